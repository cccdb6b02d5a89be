"""Per-language text from packs and plugins ({"en": ..., "ko": ...}): the learner's language, else English."""

from __future__ import annotations

import os
from collections.abc import Mapping


def pick(text: Mapping[str, str] | str | None, lang: str) -> str:
    """`text` in `lang`, else English, else any language it has; plain text is the same in every language."""
    if not text:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and the English noun in the right number: "1 card", "2 cards", "0 cards" (never "card(s)")."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def seconds(x: float) -> str:
    """A duration as every screen and command shows it: 0.4, 2.5, 11, 150 (never 1.5e+02)."""
    return f"{x:.1f}" if x < 10 else f"{x:.0f}"


def cell_width(text: str) -> int:
    """How many terminal cells `text` takes, as rich (and so the app) counts them: a Korean syllable takes two, so
    padding by characters put every column after a Korean title out of line."""
    from rich.cells import cell_len  # here, not at the top: `studyml --help` never needs it

    return cell_len(text)


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal cells (see cell_width)."""
    return text + " " * max(0, width - cell_width(text))


def terminal_text(text: str) -> str:
    """A plugin's words as a terminal shows them: control characters but tabs and line ends escaped (`\\x1b`). A demo's
    log, progress and traceback were copied raw to the terminal, where an escape sequence could clear or recolour
    it, or retitle the window. (The app's screens show them as text already.)"""
    return _escaped(text, keep="\t\n")


def _escaped(text: str, keep: str = "") -> str:
    return "".join(c if c.isprintable() or c in keep else c.encode("unicode_escape").decode("ascii") for c in text)


def shown_name(name: str) -> str:
    """A file name as a terminal shows it: bytes that are not UTF-8 (which Python keeps as lone surrogates) and control
    characters as escapes (`\\xff`, `\\x1b`). Printed raw, one made a strict UTF-8 terminal's print fail and
    another could colour the terminal."""
    return _escaped(os.fsencode(name).decode("utf-8", "backslashreplace"))
