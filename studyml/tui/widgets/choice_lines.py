"""Quiz options that wrap in full: a choice's label hangs left of its text, and a multi-select's long choices wrap."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList
from textual.widgets._toggle_button import ToggleButton

from studyml.quiz.feedback import label
from studyml.tui.markup import inline_code
from studyml.tui.widgets.selection import TicksWhereSpaceWasPressed


def labelled(label: str, text: str) -> Table:
    """`label` then `text`, whose wrapped lines stay under the text (as one string they went back under the label).

    Both are plain text, never markup (Markdown's `code` is shown as code). `fold` breaks a line with no space in it (Korean) instead of cutting it.
    """
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(label), inline_code(text))
    return grid


class LetteredSelectionList(TicksWhereSpaceWasPressed, SelectionList[str]):
    """A multi-select whose options are lettered a), b), … and wrap in full under their text.

    Textual's SelectionList draws one line per option (`text-wrap: nowrap`, and its render_line takes line y for
    option y), so a statement the learner must judge ended in "…". Here each line finds its option through
    OptionList's line map: an option's first line gets the check box and the option's letter, its other lines as
    much blank, so the text wraps under itself.
    """

    DEFAULT_CSS = """
    LetteredSelectionList {
        text-wrap: wrap;
        text-overflow: fold;
    }
    """
    LABEL = "a) "  # the width of a letter label (quiz.feedback.label: the labels every quiz screen shows)

    def _get_left_gutter_width(self) -> int:
        return super()._get_left_gutter_width() + len(self.LABEL)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # OptionList measures its height at the whole width, but wraps its lines at the width less the gutter (the
        # box and the letter): an option a little narrower than the list took one line in the height and two on
        # screen, and the last options were cut off below ("d) and e), both right, only by scrolling").
        return super().get_content_height(container, viewport, width - self._get_left_gutter_width())

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)  # the prompt's line, wrapped by OptionList
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return line
        underlying = next(iter(line)).style or self.rich_style
        if offset:
            return Strip([Segment(" " * self._get_left_gutter_width(), underlying), *line])
        # The first line: the box as SelectionList.render_line draws it, for option `index` (not option y).
        component = "selection-list--button"
        if self.get_option_at_index(index).value in self._selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        meta = Style(meta={"option": index})
        button = self.get_component_rich_style(component) + meta
        side = Style.from_color(button.bgcolor, underlying.bgcolor) + meta
        return Strip(
            [
                Segment(ToggleButton.BUTTON_LEFT, side),
                Segment(ToggleButton.BUTTON_INNER, button),
                Segment(ToggleButton.BUTTON_RIGHT, side),
                Segment(" ", underlying + meta),
                Segment(f"{label(index)} ", underlying + meta),
                *line,
            ]
        )
