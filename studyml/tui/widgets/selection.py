"""A SelectionList that can be emptied and refilled while its last highlight is still on its way."""

from __future__ import annotations

from typing import Any

from textual.widgets import OptionList, SelectionList


class RefillableSelectionList(SelectionList[Any]):
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
