"""The list of demo plugins: title, summary, expected time and number of claims; Enter opens one."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from studyml.content.mathtext import render_math
from studyml.lang import seconds
from studyml.tui import navigation
from studyml.tui.entries import entry, title_line
from studyml.tui.i18n import pick
from studyml.tui.localized import LocalizedMixin, localize_bindings
from studyml.tui.markup import inline_code
from studyml.tui.widgets.footer import Footer

UNUSABLE = "unusable:"  # an option id: a plugin that cannot run, by its place among them (ids may repeat there)


class DemoListScreen(LocalizedMixin, Screen):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="demo_list.back"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._unusable: list[dict] = []  # the plugins that cannot run, as listed (an entry's id is its place)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="demo-list"):
            yield Static(id="demo-list-heading", classes="heading")
            yield OptionList(id="demo-options")
            yield Static(id="demo-list-hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.query_one("#demo-options").focus()
        if not self._show():  # the first start reads every plugin in a worker process: not on the UI thread
            self._read_plugins()

    def _show(self) -> bool:
        """The demos, or while the plugins are still being read, a line that says so; whether they are shown."""
        if self.app.services.plugins_ready():
            self._fill()
            return True
        options = self.query_one("#demo-options", OptionList)
        options.clear_options()
        options.add_option(Option(self.t("demo.list.loading"), disabled=True))
        self._texts()
        return False

    @work(thread=True, exclusive=True, group="demo-list")
    def _read_plugins(self) -> None:
        self.app.services.plugins()
        self.app.call_from_thread(self._filled)

    def _filled(self) -> None:
        if self.is_attached:  # the learner may have gone back meanwhile
            self._fill()

    def _texts(self) -> None:
        heading = self.t("demo.list.heading")
        # Listed after every demo that runs (35 of them with a few installed): say so where the learner looks first.
        unusable = len(self.app.services.unusable_plugins()) if self.app.services.plugins_ready() else 0
        if unusable:
            heading += f"  [dim]{self.t('demo.list.unusable', n=unusable)}[/dim]"
        self.query_one("#demo-list-heading", Static).update(heading)
        self.query_one("#demo-list-hint", Static).update(self.t("demo.list.hint"))

    def _fill(self) -> None:
        lang = self.app.lang
        options = self.query_one("#demo-options", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        plugins = self.app.services.plugins()
        for pid, meta in sorted(plugins.items(), key=lambda kv: pick(kv[1]["title"], lang).lower()):
            if options.option_count:
                options.add_option(None)
            info = self.t(
                "demo.list.meta", secs=seconds(meta.get("default_seconds", 5.0)), n=len(meta.get("claims", []))
            )
            title = title_line(render_math(pick(meta["title"], lang)), info)
            options.add_option(Option(entry(title, inline_code(render_math(pick(meta["summary"], lang)))), id=pid))
        self._unusable = self.app.services.unusable_plugins()
        for i, meta in enumerate(self._unusable):  # the plugin's own words: rich Text, never markup
            if options.option_count:
                options.add_option(None)
            title = Text(self._cannot_run(meta), style="bold")
            detail = Text(_why_and_where(meta), style="dim")
            # Reachable by the keys (a disabled entry is skipped, so the list never scrolled to it): Enter says why.
            options.add_option(Option(entry(title, detail), id=f"{UNUSABLE}{i}"))
        if not plugins:
            options.add_option(Option(self.t("demo.list.empty"), disabled=True))
        else:  # the first demo is highlighted from the start, so Enter opens it as the hint says
            options.highlighted = min(highlighted or 0, options.option_count - 1)
        self._texts()

    @on(OptionList.OptionSelected, "#demo-options")
    def _open(self, event: OptionList.OptionSelected) -> None:
        pid = event.option.id
        if pid and pid.startswith(UNUSABLE):
            meta = self._unusable[int(pid.removeprefix(UNUSABLE))]
            self.notify(
                _why_and_where(meta),
                title=self._cannot_run(meta),
                severity="warning",
                timeout=15,
                markup=False,
            )
        elif pid:
            navigation.demo(self.app, pid)

    def _cannot_run(self, meta: dict) -> str:
        name = pick(meta["title"], self.app.lang) if meta.get("title") else meta["id"]
        return self.t("demo.list.cannot_run", name=name)

    def relabel(self) -> None:
        self._show()


def _why_and_where(meta: dict) -> str:
    """Why a plugin cannot run, and where it is: two files may claim an id, and the author must know which to mend."""
    return f"{meta['problem']}\n{meta.get('source', '')}".rstrip()
