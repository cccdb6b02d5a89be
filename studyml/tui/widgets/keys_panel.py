"""The `?` panel: the screen's and the app's own keys first, then the focused widget's (a table's cursor keys)."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from operator import itemgetter

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import HelpPanel, KeyPanel, Markdown
from textual.widgets._key_panel import BindingsTable


class OwnKeysFirst(BindingsTable):
    """Textual's table of keys with its groups reordered.

    Textual lists the focused widget's keys first: in the library that is fourteen cursor keys of its table, and at
    80×24 Study, Quiz and the rest were below the fold. Here the screen's and the app's keys come first; the
    focused widget's follow. Each group is drawn as Textual draws it.
    """

    def render_bindings_table(self) -> Table:
        groups = [(ns, list(group)) for ns, group in groupby(self.screen.active_bindings.values(), key=itemgetter(0))]
        groups.sort(key=lambda g: not isinstance(g[0], Screen | App))  # stable: each part keeps its order
        divider_transparent = self.get_component_styles("bindings-table--divider").color.a == 0
        table = Table(
            padding=(0, 0),
            show_header=False,
            box=box.SIMPLE if divider_transparent else box.HORIZONTALS,
            border_style=self.get_component_rich_style("bindings-table--divider"),
        )
        table.add_column("", justify="right")
        key_style = self.get_component_rich_style("bindings-table--key")
        header_style = self.get_component_rich_style("bindings-table--header")
        description_style = self.get_component_rich_style("bindings-table--description")
        for namespace, bindings in groups:
            if namespace.BINDING_GROUP_TITLE:
                table.add_row("", Text(namespace.BINDING_GROUP_TITLE, end="", style=header_style))
            by_action: defaultdict[str, list] = defaultdict(list)
            for _, binding, _enabled, _tooltip in bindings:
                if not binding.system:
                    by_action[binding.action].append(binding)
            for same in by_action.values():
                first = same[0]
                keys = " ".join(dict.fromkeys(self.app.get_key_display(b) for b in same))
                text = Text.from_markup(first.description, end="", style=description_style)
                if first.tooltip:
                    text.append(" " if first.description else "")
                    text.append(first.tooltip, "dim")
                table.add_row(Text(keys, style=key_style), text)
            table.add_section()
        return table


class OwnKeysPanel(KeyPanel):
    def compose(self) -> ComposeResult:
        yield OwnKeysFirst(shrink=True, expand=False)


class KeysPanel(HelpPanel):
    """Textual's help panel (a focused widget's HELP text, then the keys) with the keys in the order above."""

    def compose(self) -> ComposeResult:
        yield Markdown(id="widget-help")
        yield OwnKeysPanel(id="keys-help")
