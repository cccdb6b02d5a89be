"""Library (home): every pack with its counts, broken packs with their errors, and card search."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from studyml.content.mathtext import render_math
from studyml.tui import navigation
from studyml.tui.entries import entry, title_line
from studyml.tui.i18n import pick
from studyml.tui.localized import LocalizedMixin, localize_bindings
from studyml.tui.markup import literal
from studyml.tui.search import search_cards
from studyml.tui.widgets.clicks import ClickToHighlight
from studyml.tui.widgets.footer import Footer

# Where a pack comes from (PackResult.source), as the source column names it.
SOURCE_KEYS = {
    "built-in": "library.builtin",
    "installed": "library.installed",
    "package": "library.package",
    "folder": "library.folder",
}


class PackTable(ClickToHighlight, DataTable):
    """The packs: one click selects a pack (its details show); Enter or a double click starts studying it."""

    def _post_selected_message(self) -> None:
        if not self._clicking:
            super()._post_selected_message()


class LibraryScreen(LocalizedMixin, Screen):
    # The table, not the first focusable widget: that is the hidden search box, which took the first keys
    # a learner typed at start (`d` opened no demo list; it went into the search).
    AUTO_FOCUS = "#packs"
    RELOAD_SECONDS = 2.0  # how often edited pack files are looked for while the library is shown
    BINDINGS = [
        # q quits as in most terminal apps, listed by the keys panel (?); its footer entry pushed the language
        # switch off the end at 80 columns.
        Binding("q", "quit", "Quit", id="library.quit", show=False),
        Binding("enter,s", "study", "Study", id="library.study", priority=False),
        Binding("t", "quiz", "Quiz", id="library.quiz"),
        Binding("d", "demos", "Demos", id="library.demos"),
        Binding("i", "stats", "Stats", id="library.stats"),
        Binding("o", "options", "Options", id="library.options", show=False),
        Binding("b", "browse", "Browse", id="library.browse"),
        Binding("slash", "search", "Search", id="library.search"),
        Binding("escape", "close_search", "Back", id="library.back"),
    ]

    # The search replaces the pack table; the footer follows it (esc to leave, no q to quit while typing).
    searching: reactive[bool] = reactive(False, bindings=True, init=False)

    def watch_searching(self, searching: bool) -> None:
        for wid in ("#search", "#search-count", "#search-results"):
            self.query_one(wid).set_class(not searching, "hidden")
        self.query_one("#packs").set_class(searching, "hidden")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_search":  # the footer shows esc only while searching
            return self.searching
        if action == "quit":  # `q` in the search results must not quit the app: esc leaves the search
            return not self.searching
        return True

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="library"):
            yield Static(id="library-heading", classes="heading")
            yield Input(id="search", classes="hidden")
            yield Static(id="search-count", classes="hint hidden")
            yield OptionList(id="search-results", classes="hidden")
            yield PackTable(id="packs", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="pack-detail"):
                yield Static(id="pack-detail-text")
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self._render_texts()
        self._pending: str | None = None  # study or quiz, pressed before the packs were loaded
        # The rows the last run showed, in the first frame (no pydantic, no plugin discovery): the packs are on
        # screen at once, and the real load below (validation) replaces them, with the true state of each.
        self._cached = self.app.services.cached_packs()
        self._cached_counts: dict[str, dict] = {}
        if self._cached:
            self._show_cached()
        else:
            self.query_one("#pack-detail-text", Static).update(self.t("library.loading"))
        self.load_packs()
        self.set_interval(self.RELOAD_SECONDS, self.check_pack_files)

    # -- loading ------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="packs")
    def load_packs(self) -> None:
        services = self.app.services
        if self._cached:  # the due counts of the cached rows need only the store: show them before validating
            counts = services.cached_counts(self._cached)
            if counts:
                self.app.call_from_thread(self._show_cached, counts)
        packs = services.load_packs()
        self.app.call_from_thread(self._show_packs, packs)

    @work(thread=True, exclusive=True, group="pack-reload")
    def check_pack_files(self) -> None:
        """Packs edited on disk (installed, from $STUDYML_PACKS, …) are re-validated, off the UI thread."""
        if self.app.screen is self and self.app.services.reload_if_changed():
            self.app.call_from_thread(self._show_packs, self.app.services.packs)

    def _show_cached(self, counts: dict[str, dict] | None = None) -> None:
        """The cached rows (and, once read, their due counts) until the real packs replace them."""
        if counts is not None:
            self._cached_counts = counts
        if self.app.services.packs is not None or not self._cached:
            return  # the real packs are on screen
        rows = []
        for s in self._cached:
            title = pick(s.title, self.app.lang) if s.title else Path(s.path).name
            if not s.ok:
                rows.append((s.path, (f"⚠ {title}", "–", "–", "–", "–", "–", self.t("library.broken"))))
                continue
            c = self._cached_counts.get(s.id, {})
            rows.append((s.path, (title, str(s.cards), str(s.items), *self._count_cells(c), self._source(s.source))))
        self._fill(rows)

    def _show_packs(self, packs) -> None:
        self._cached = None
        lang = self.app.lang
        srs = self._srs()
        rows = []
        for r in packs:
            m = r.manifest
            title = pick(m.title, lang) if m else (r.label or r.path.name)
            if r.pack is None:
                rows.append((str(r.path), (f"⚠ {title}", "–", "–", "–", "–", "–", self.t("library.broken"))))
                continue
            try:
                counts = srs.counts(r.pack.id, [c.id for c in r.pack.cards]) if srs else {}
            except Exception as e:  # e.g. a damaged page: the library stays usable, the learner is told
                counts, srs = {}, None
                self.notify(self.app.services.store_problem(e) or str(e), severity="error", timeout=30, markup=False)
            rows.append(
                (
                    str(r.path),
                    (
                        f"⚠ {title}" if str(r.path) in self.app.services.broken_edits else title,
                        str(len(r.pack.cards)),
                        str(len(r.pack.items)),
                        *self._count_cells(counts),
                        self._source(r.source),
                    ),
                )
            )
        self._fill(rows)
        if self._pending:  # Enter (or t) pressed while the packs were loading: do it now
            action, self._pending = self._pending, None
            getattr(self, f"action_{action}")()

    @staticmethod
    def _count_cells(counts: dict) -> tuple[str, str, str]:
        return (
            str(counts.get("due", "–")),
            str(counts.get("new_today", "–")),
            f"{counts['mastery']:.0%}" if "mastery" in counts else "–",
        )

    def _source(self, source: str) -> str:
        return self.t(SOURCE_KEYS.get(source, "library.installed"))

    def _fill(self, rows: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Replace the table's rows (keyed by pack folder), keeping the learner's place on the same pack."""
        table = self.query_one("#packs", DataTable)
        cursor = table.cursor_row
        try:  # the learner's place is the pack under the cursor, wherever a reload puts its row
            place = table.coordinate_to_cell_key(Coordinate(cursor, 0)).row_key.value if table.row_count else None
        except Exception:
            place = None
        keys = [key for key, _ in rows]
        if place in keys:
            cursor = keys.index(place)
        table.clear(columns=True)
        for key in ("pack", "cards", "quiz", "due", "new", "mastery", "source"):
            table.add_column(self.t(f"library.col.{key}"), key=key)
        for key, cells in rows:
            table.add_row(*map(Text, cells), key=key)  # as Text: a str cell is read as rich markup
        if not rows:
            self.query_one("#pack-detail-text", Static).update(self.t("library.empty"))
        elif table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))
            self._show_detail(table.cursor_row)
        if not self.searching:  # while searching, focus stays in the search (the table is hidden)
            table.focus()

    def _srs(self):
        try:
            return self.app.services.srs
        except Exception as e:  # a database we cannot read: say so, keep the library usable
            self.app.services.store_error = str(e)
            self.notify(str(e), severity="error", timeout=30, markup=False)
            return None

    def _result_at(self, row: int):
        packs = self.app.services.packs or []
        return packs[row] if 0 <= row < len(packs) else None

    @on(DataTable.RowSelected, "#packs")
    def _row_selected(self) -> None:
        # The focused table takes Enter itself (select_cursor), so the screen's `enter` binding never fires.
        self.action_study()

    @on(DataTable.RowHighlighted, "#packs")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        if self.app.services.packs is None and self._cached:
            self._show_cached_detail(row)
            return
        r = self._result_at(row)
        text = self.query_one("#pack-detail-text", Static)
        if r is None:
            return
        lang = self.app.lang
        if r.pack is None:
            self._show_broken(len(r.errors), [str(d) for d in r.errors[:50]])
            return
        text.remove_class("broken")
        m = r.manifest
        desc = literal(pick(m.description, lang)) if m.description else ""
        edit = self.app.services.broken_edits.get(str(r.path))
        warn = ""
        if edit:  # an edit broke the files: the last good version stays studyable
            warn = "\n\n" + "\n".join(
                [self.t("library.broken_edit", n=len(edit))] + [f"  {literal(str(d))}" for d in edit[:20]]
            )
        heading = _heading(pick(m.title, lang), m.version, m.license, m.authors)
        text.update(f"{heading}\n{desc}{warn}\n\n[dim]{literal(self._hint())}[/dim]")

    def _hint(self) -> str:
        """The keys line under a pack, with the keys the learner's keymap gives (the first of each binding)."""
        keys: dict[str, str] = {}
        for b in self.BINDINGS:
            if isinstance(b, Binding) and b.id:  # the first of its keys, as the learner's keymap has them
                first = (self.app.keymap.get(b.id) or b.key).split(",")[0].strip()
                keys[b.id] = "Enter" if first == "enter" else self.app.get_key_display(Binding(first, b.action))
        names = ("study", "quiz", "search", "browse", "stats", "demos", "options")
        return self.t("library.hint", **{name: keys.get(f"library.{name}", "?") for name in names})

    def _show_cached_detail(self, row: int) -> None:
        if not (self._cached and 0 <= row < len(self._cached)):
            return
        s, lang = self._cached[row], self.app.lang
        text = self.query_one("#pack-detail-text", Static)
        if not s.ok:
            self._show_broken(s.error_count, s.errors)
            return
        text.remove_class("broken")
        desc = literal(pick(s.description, lang)) if s.description else ""
        heading = _heading(pick(s.title, lang), s.version, s.license, s.authors)
        text.update(f"{heading}\n{desc}\n\n[dim]{self.t('library.checking')}[/dim]")

    def _show_broken(self, count: int, errors: Sequence[str]) -> None:
        """A broken pack's detail: how many problems, then each, the home folder written as ~."""
        home = str(Path.home())
        lines = [self.t("library.broken_detail", n=count)]
        lines += [f"  {literal(d.replace(home, '~', 1) if d.startswith(home) else d)}" for d in errors]
        text = self.query_one("#pack-detail-text", Static)
        text.update("\n".join(lines))
        text.add_class("broken")

    def _selected_pack(self, action: str | None = None):
        if self.app.services.packs is None:  # only the cached rows so far: act once the packs are loaded
            self._pending = action
            if action:
                self.notify(self.t("library.wait"), timeout=3)
            return None
        table = self.query_one("#packs", DataTable)
        r = self._result_at(table.cursor_row)
        if r is None:
            return None
        if r.pack is None:
            self.notify(self.t("library.broken_detail", n=len(r.errors)), severity="warning")
            return None
        return r.pack

    # -- actions ------------------------------------------------------------------------------
    def action_quit(self) -> None:
        self.app.exit()

    def action_study(self) -> None:
        if self.searching:
            return
        pack = self._selected_pack("study")
        if pack is not None:
            navigation.study(self.app, pack.id)

    def action_quiz(self) -> None:
        pack = self._selected_pack("quiz")
        if pack is not None:
            navigation.quiz(self.app, pack.id)

    def action_demos(self) -> None:
        navigation.demos(self.app)

    def action_stats(self) -> None:
        navigation.stats(self.app)

    def action_browse(self) -> None:
        navigation.browse(self.app)

    def action_options(self) -> None:
        navigation.options(self.app)

    def action_search(self) -> None:
        self.searching = True
        self.query_one("#search", Input).focus()

    def action_close_search(self) -> None:
        self.searching = False
        self.query_one("#packs").focus()

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        query = event.value.strip()
        if not query:
            self.query_one("#search-count", Static).update("")
            return
        hits = search_cards(self.app.services.good_packs(), query, self.app.lang)
        lang = self.app.lang
        if not hits:
            results.add_option(Option(self.t("search.none", q=literal(query)), disabled=True))
        count = self.query_one("#search-count", Static)
        count.update(self.t("search.count", n=len(hits)) if hits else "")
        for pack, card, snippet in hits[:200]:
            # Why it matched: the pack's title and the text around the match, the match highlighted.
            title = title_line(render_math(pick(card.title, lang)), pick(pack.manifest.title, lang))
            results.add_option(Option(entry(title, snippet), id=f"{pack.id}\x00{card.id}"))

    @on(Input.Submitted, "#search")
    def _to_results(self) -> None:
        """One Enter opens the top hit; focus moves to the results, where the learner comes back to."""
        results = self.query_one("#search-results", OptionList)
        results.focus()
        if results.highlighted is None and results.option_count:
            results.action_first()
        if results.highlighted is not None:
            option = results.get_option_at_index(results.highlighted)
            if option.id and not option.disabled:
                self._open_hit(option.id)

    @on(OptionList.OptionSelected, "#search-results")
    def _open_card(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._open_hit(event.option.id)

    def _open_hit(self, option_id: str) -> None:
        pack_id, card_id = option_id.split("\x00")
        navigation.study(self.app, pack_id, card_id=card_id)

    # -- language -------------------------------------------------------------------------------
    def _render_texts(self) -> None:
        self.query_one("#library-heading", Static).update(self.t("library.heading"))
        self.query_one("#search", Input).placeholder = self.t("search.placeholder")

    def relabel(self) -> None:
        self._render_texts()
        if self.app.services.packs is not None:
            self._show_packs(self.app.services.packs)
        elif self._cached:
            self._show_cached()

    def on_screen_resume(self) -> None:
        # Counts change after studying; re-read them when coming back, and look for edited pack files.
        if self.app.services.packs is not None:
            self._show_packs(self.app.services.packs)
            self.check_pack_files()
        if self.searching:  # back from a hit: the results keep the focus and the highlight
            self.query_one("#search-results", OptionList).focus()


def _heading(title: str, version: str, license: str, authors: Sequence[str]) -> str:
    """A pack's detail heading as markup, its texts as written."""
    return f"[b]{literal(title)}[/b]  v{literal(version)} · {literal(license)} · {literal(', '.join(authors))}"
