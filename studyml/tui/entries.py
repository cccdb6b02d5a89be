"""A list entry of two parts, a title line over an indented text whose wrapped lines keep the indent."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text


def entry(title: Text, body: Text) -> Group:
    """`title`, then `body` two columns in: as one string, the body's wrapped lines went back to the left edge."""
    return Group(title, Padding(body, (0, 0, 0, 2)))


def title_line(title: str, aside: str) -> Text:
    """A bold title and a dim note beside it, both plain text (never read as markup)."""
    return Text.assemble((title, "bold"), "  ", (aside, "dim"))
