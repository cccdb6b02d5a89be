"""One click highlights a row of a list or table; a double click (or Enter) commits it."""

from __future__ import annotations


class ClickToHighlight:
    """Mixed into a list: one click highlights a row (a choice, a pack); a double click or Enter commits it."""

    _clicking = False

    async def _on_click(self, event) -> None:
        self._clicking = getattr(event, "chain", 1) < 2
        try:
            await super()._on_click(event)  # type: ignore[misc]
        finally:
            self._clicking = False
        # Textual calls each class's own _on_click along the MRO: stop it calling the list's again (unguarded).
        event.prevent_default()
