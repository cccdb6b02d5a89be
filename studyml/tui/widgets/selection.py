"""SelectionLists that tick the option Space was pressed on, and that can be refilled while a highlight is on its
way."""

from __future__ import annotations

from typing import Any, cast

from textual.widgets import OptionList, SelectionList


class TicksWhereSpaceWasPressed:
    """Textual's SelectionList ticks the option highlighted when the tick is handled, not the one Space was pressed
    on: "Space Down" arriving together (fast typing, a slow link) ticked the second option. Put before SelectionList
    in the bases."""

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # Textual calls this handler of every class in the MRO in turn: SelectionList's own is prevented, not called.
        event.prevent_default()
        event.stop()
        options = cast(SelectionList, self)
        if 0 <= event.option_index < options.option_count:
            options.toggle(options.get_option_at_index(event.option_index))


class RefillableSelectionList(TicksWhereSpaceWasPressed, SelectionList[Any]):
    """Textual's SelectionList turns each OptionList highlight into its own message by looking the option up by index
    when the message is handled. Cleared in between (a tag filter typed fast: "z" highlights the first match, "zz"
    matches none), the index names no option and the app closed on OptionDoesNotExist. A highlight whose option is
    gone is dropped: the list's own highlight has moved on with the refill."""

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Textual calls this handler of every class in the MRO in turn: SelectionList's own runs next unless
        # prevented, so it is not called from here.
        if event.option_index >= self.option_count:
            event.prevent_default()
            event.stop()
