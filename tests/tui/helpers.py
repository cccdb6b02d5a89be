"""Pilot helpers shared by the UI tests."""

from __future__ import annotations

import time

from textual.visual import RichVisual
from textual.widgets import DataTable

from studyml.tui.app import StudyApp

SIZE = (120, 40)
PACK_ID = "fixture"


def app(**kw) -> StudyApp:
    kw.setdefault("warm_worker", False)
    return StudyApp(**kw)


async def loaded(pilot, timeout: float = 30.0) -> None:
    """Wait until the library has its packs (they load in a thread after the first frame).

    Waits for the packs themselves: under `app.run` (snapshots) the pilot starts before the loading worker
    exists, and waiting for the workers alone returned at once.
    """
    await wait_for(pilot, lambda: pilot.app.services.packs is not None, timeout, "the packs to load")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def settle(pilot) -> None:
    """Let thread workers finish and their call_from_thread callbacks run."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def wait_for(pilot, predicate, timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await pilot.pause(0.05)


def rows(screen) -> list[list[str]]:
    table = screen.query_one("#packs", DataTable)
    return [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]


def text(widget) -> str:
    """The plain text a Static/Label shows."""
    from rich.text import Text

    r = widget.render()
    if isinstance(r, Text):
        return r.plain
    if isinstance(r, RichVisual):  # a rich renderable: a label beside its text
        return prompt_text(r._renderable)
    return str(r)


def prompt_text(prompt) -> str:
    """An option's text: its string, or what a rich renderable (a demo's title over its summary) prints."""
    if isinstance(prompt, str):
        return prompt
    import io

    from rich.console import Console

    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(prompt)
    return console.export_text().strip()


async def type_text(pilot, s: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in s])


__all__ = ["SIZE", "app", "loaded", "prompt_text", "rows", "settle", "text", "type_text", "wait_for"]


async def enter_option(pilot, field_id: str, value: str):
    """In the study options, put `value` in the field `field_id` and press Enter (which saves); returns the field."""
    field = pilot.app.screen.query_one(f"#{field_id}")
    field.value = value
    field.focus()
    await pilot.press("enter")
    await pilot.pause()
    return field
