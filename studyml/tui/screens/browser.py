"""The card browser: every card of every pack in a sortable table, filtered by a small query language."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static
from textual.widgets.data_table import RowDoesNotExist

from studyml.content.mathtext import render_math
from studyml.tui import navigation
from studyml.tui.browse_query import QueryError, Row, fold, parse
from studyml.tui.i18n import interval_label, pick, tr
from studyml.tui.localized import LocalizedMixin, localize_bindings
from studyml.tui.markup import literal
from studyml.tui.tagnames import tags_line
from studyml.tui.widgets.footer import Footer

COLUMNS = ("pack", "card", "tags", "state", "due", "r", "flag")
# Widths on a wide screen; `layout` fits them to a narrower one.
WIDTHS = {"pack": 16, "card": 36, "tags": 18, "state": 14, "due": 13, "r": 7, "flag": 8}
CARD_MIN = 24  # the card title is cut to this before any column is left out
STATE_MAX = 24  # "learning · suspended", whole, given the room


def layout(room: int, headers: dict[str, int] | None = None, state: int = 0) -> dict[str, int]:
    """The columns shown in `room` cells, with their widths: the card, its state, when it is due, recall and flag
    always; the card title is cut first, then the tags and then the pack are left out (the query still filters
    by `tag:` and `pack:`). At 80 columns Due, Recall and Flag were all off screen. A column is never narrower
    than its header (`headers`: cells each takes; 기억 확률 was cut to 기억 확).

    `state`: the cells the widest state of the cards takes ("learning · suspended"; of all of them, not only those a
    filter shows, so that the columns stay put while the learner types a query). It is given room before the tags are:
    at 118 to 130 columns the tags came in and every suspended card's state was cut to "learning · su…"."""
    widths = {key: max(w, (headers or {}).get(key, 0)) for key, w in WIDTHS.items()}
    least_state = widths["state"]
    widths["state"] = max(least_state, min(state, STATE_MAX))

    def need() -> int:
        return sum(w + 2 for w in widths.values())  # a cell of padding either side

    widths["card"] -= min(max(need() - room, 0), widths["card"] - CARD_MIN)
    if need() > room:
        del widths["tags"]
    widths["state"] -= min(max(need() - room, 0), widths["state"] - least_state)
    if need() > room:
        del widths["pack"]
    widths["card"] = max(12, min(WIDTHS["card"], widths["card"] + room - need()))
    if need() > room:  # under about 66 columns: recall goes too, so that the flag stays in view
        del widths["r"]
        widths["card"] = max(12, min(WIDTHS["card"], widths["card"] + room - need()))
    # Room to spare (a wide screen): the state, whose "learning · suspended" was always cut to "learning · su…"
    widths["state"] += max(0, min(room - need(), STATE_MAX - widths["state"]))
    return widths


def _cut(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    while cell_len(text) > width - 1:
        text = text[:-1]
    return text + "…"


class QueryInput(Input):
    """The browser's query box; its help (the `?` panel) documents the query language."""

    HELP = ""


class BrowseTable(DataTable):
    """The cards; the `?` panel shows the query language here too (where `?` is a key, not text)."""

    HELP = ""


class BrowserScreen(LocalizedMixin, Screen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="browser.back"),
        Binding("slash", "focus_query", "Search", id="browser.search"),
        Binding("enter", "open", "Open", id="browser.open"),
        Binding("s", "study", "Study", id="browser.study"),
        Binding("at", "suspend", "Suspend", id="browser.suspend"),
        Binding("i", "card_info", "Card info", id="browser.card_info"),
        # Said in the status line, not the footer: at 80 columns the footer is full.
        Binding("o", "sort", "Sort", id="browser.sort", show=False),
        Binding("O", "sort_reverse", "Reverse", id="browser.sort_reverse", show=False),
    ]

    def __init__(self, query: str = "", now: datetime | None = None) -> None:
        super().__init__()
        self.query_text, self.now = query, now
        self.rows: list[Row] = []
        self.sort_key, self.sort_reverse = "pack", False
        self._typing = False  # keys typed at the table are going to the query (see on_key)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="browser"):
            yield QueryInput(self.query_text, id="browse-query")
            yield Static(id="browse-status", classes="hint")
            yield BrowseTable(id="browse-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self._collect()
        self.relabel()
        self.query_one("#browse-table").focus()

    # -- data ---------------------------------------------------------------------------------------
    def _collect(self) -> None:
        from studyml.srs.scheduler import Settings, to_fsrs, to_ms
        from studyml.srs.store import REVIEW

        srs = self.app.services.srs
        now = self.now or datetime.now(UTC)
        review_before, learning_before = srs._limits(now)
        scheduler = Settings().fsrs_scheduler(fuzz=False)
        lang = self.app.lang
        self.rows = []
        for pack in self.app.services.good_packs():
            states = {s.card_id: s for s in srs.store.states(pack.id)}
            actions = srs.store.card_actions(pack.id)
            for card in pack.cards:
                st = states.get(card.id)
                suspended, buried_until, flag = actions.get(card.id, (False, None, 0))
                props: dict[str, float] = {}
                if st is None or st.is_new:
                    state, due = "new", False
                else:
                    state = "review" if st.state == REVIEW else "learning"
                    due = st.due_ms < review_before if st.state == REVIEW else st.due_ms <= learning_before
                    props = {"reps": st.reps, "lapses": st.lapses}
                    if st.stability is not None:
                        props["stability"] = st.stability
                        props["difficulty"] = st.difficulty or 0.0
                        props["retrievability"] = float(scheduler.get_card_retrievability(to_fsrs(st, now), now))
                tag_names = [name for t in card.tags for name in pack.manifest.tags.get(t, {}).values()]
                words = [
                    *card.title.values(),
                    *card.front.values(),
                    *card.back.values(),
                    *card.tags,
                    *tag_names,
                    card.id,
                ]
                self.rows.append(
                    Row(
                        pack_id=pack.id,
                        pack_title=" ".join(pack.manifest.title.values()),
                        card_id=card.id,
                        title=pick(card.title, lang),
                        text=fold(" ".join(words)),
                        tags=list(card.tags),
                        tag_names=tag_names,
                        state=state,
                        due=due,
                        suspended=suspended,
                        buried=bool(buried_until and buried_until > to_ms(now)),
                        flag=flag,
                        props=props | ({"due_ms": st.due_ms} if st and not st.is_new else {}),
                    )
                )

    def _fill(self) -> None:
        from datetime import timedelta

        from studyml.srs.scheduler import format_interval

        table = self.query_one("#browse-table", DataTable)
        # The card under the cursor stays under it, wherever the refill puts it (back from a card's page, a sort, a
        # suspend, a query it still matches): the cursor went back to the first row, as Anki's browser never does.
        picked, at = self._selected(), table.cursor_row
        table.clear(columns=True)
        headers = {key: self._header(key) for key in COLUMNS}
        widths = self._widths = layout(
            self._room(), {key: cell_len(h) for key, h in headers.items()}, self._widest_state()
        )
        for key in widths:
            table.add_column(headers[key], key=key, width=widths[key])
        status = self.query_one("#browse-status", Static)
        try:
            keep = parse(self.query_one("#browse-query", Input).value)
        except QueryError as e:
            status.update(f"[b red]{self.t('browse.bad_query', message=literal(str(e)))}[/]")
            return
        lang = self.app.lang
        titles = {p.id: pick(p.manifest.title, lang) for p in self.app.services.good_packs()}
        self._tag_names = {p.id: p.manifest.tags for p in self.app.services.good_packs()}
        cards = {(p.id, c.id): c for p in self.app.services.good_packs() for c in p.cards}
        now_ms = int((self.now or datetime.now(UTC)).timestamp() * 1000)
        shown = [r for r in self.rows if keep(r)]
        shown.sort(key=self._sort_value, reverse=self.sort_reverse)
        for r in shown:
            card = cards[(r.pack_id, r.card_id)]
            due_ms = r.props.get("due_ms")
            due = (
                "—"
                if due_ms is None
                else interval_label(format_interval(timedelta(milliseconds=abs(due_ms - now_ms))), lang)
            )
            if due_ms is not None and due_ms <= now_ms:
                due = self.t("browse.overdue", interval=due)
            state = self._state(r, widths["state"])
            rv = r.props.get("retrievability")
            values = {
                "pack": titles.get(r.pack_id, r.pack_id),
                "card": render_math(pick(card.title, lang)),
                "tags": self._tags_shown(r),
                "state": state,
                "due": due,
                "r": f"{rv:.0%}" if rv is not None else "—",
                "flag": f"⚑ {self.t(f'flag.{r.flag}')}" if r.flag else "",
            }
            # Each cut to its column, as Text: a str cell is read as rich markup.
            table.add_row(*(Text(_cut(values[k], w)) for k, w in widths.items()), key=f"{r.pack_id}\x00{r.card_id}")
        if table.row_count:
            try:
                row = table.get_row_index("\x00".join(picked)) if picked else at
            except RowDoesNotExist:  # filtered out: the first match (its old row was often the last match's)
                row = 0
            table.move_cursor(row=min(max(row, 0), table.row_count - 1), animate=False)
        said = self.t("browse.count", n=len(shown), total=len(self.rows))
        if self.sort_key not in widths:  # its column left out at this width: its arrow cannot say it
            said = self.t("browse.sorted_by", column=self._header(self.sort_key)) + " · " + said
        if self.rows and not shown:  # an empty table under the box said nothing of why
            said = self.t("browse.no_match") + " · " + said
        status.update(said)

    def _state(self, r: Row, width: int | None = None) -> str:
        """The card's state, and whether it is suspended or buried; in `width` cells, the latter alone when both do
        not fit (at 80 columns "learning · suspended" was cut to "learning · su…", and "새 카드 · 보…")."""
        state = self.t(f"info.state.{r.state}").split(" (")[0]
        hidden = self.t("info.suspended") if r.suspended else self.t("info.buried") if r.buried else None
        if hidden is None:
            return state
        both = f"{state} · {hidden}"
        return hidden if width is not None and cell_len(both) > width else both

    def _widest_state(self) -> int:
        return max((cell_len(self._state(r)) for r in self.rows), default=0)

    def _header(self, key: str) -> str:
        return self.t(f"browse.col.{key}") + ((" ▼" if self.sort_reverse else " ▲") if key == self.sort_key else "")

    def _room(self) -> int:
        return self.app.size.width - 4  # the screen's padding and the table's scroll bar

    def on_resize(self) -> None:
        headers = {key: cell_len(self._header(key)) for key in COLUMNS}
        if (
            getattr(self, "_widths", None) is not None
            and layout(self._room(), headers, self._widest_state()) != self._widths
        ):
            self._fill()

    def _tags_shown(self, r: Row) -> str:
        """The row's tags by their names in the learner's language (pack.yaml `tags:`)."""
        return tags_line(r.tags, self.app.lang, self._tag_names.get(r.pack_id, {}))

    def _sort_value(self, r: Row):
        fold = str.casefold  # as a reader orders words: `Choosing…` before `CVXPY…`, `activation` before `Transformer`
        return {
            "pack": (fold(r.pack_title), fold(r.title)),
            "card": (fold(r.title),),
            "tags": (fold(self._tags_shown(r)),),
            "state": (r.state, r.suspended),
            "due": (r.props.get("due_ms", float("inf")),),
            "r": (r.props.get("retrievability", 2.0),),
            "flag": (r.flag,),
        }[self.sort_key]

    @on(DataTable.HeaderSelected, "#browse-table")
    def _sort(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        self.sort_reverse = not self.sort_reverse if key == self.sort_key else False
        self.sort_key = key
        self._fill()

    def action_sort(self) -> None:
        """Sort by the next column shown, ascending: from the keyboard, what a click on its header does."""
        shown = list(getattr(self, "_widths", None) or COLUMNS)
        at = shown.index(self.sort_key) if self.sort_key in shown else -1
        self.sort_key, self.sort_reverse = shown[(at + 1) % len(shown)], False
        self._fill()

    def action_sort_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._fill()

    @on(Input.Changed, "#browse-query")
    def _query_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#browse-query")
    def _to_table(self) -> None:
        self.query_one("#browse-table").focus()

    # -- actions ------------------------------------------------------------------------------------
    def _selected(self) -> tuple[str, str] | None:
        table = self.query_one("#browse-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None:
            return None
        pack_id, card_id = key.split("\x00")
        return pack_id, card_id

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("open", "study", "suspend", "card_info", "sort", "sort_reverse") and isinstance(
            self.focused, Input
        ):
            return False  # keys typed into the query are text
        return True

    def action_focus_query(self) -> None:
        self.query_one("#browse-query").focus()

    def on_key(self, event: events.Key) -> None:
        """A character no key binds, typed at the table, goes to the query: the box above looks ready for typing, and
        `pack:soft` typed there lost its letters until `s` opened a study session. (A bound key keeps its action.)

        The box stops what is typed into it, so a character that reaches here with the box focused was sent to the
        table before the focus moved (keys typed fast in a terminal arrive together): it goes to the box too."""
        if not event.character or not event.is_printable or event.character.isspace():
            return
        query = self.query_one("#browse-query", Input)
        new_term = False
        if self.focused is not query:
            bound = self.active_bindings.get(event.key)
            if bound is not None and bound.enabled:
                return
            # Focused now (focus() waits for the app's next turn), and the character put in after the box has handled
            # its focus, which selects its text: the next key typed replaced the character.
            self.set_focus(query)
            new_term, self._typing = not self._typing, True  # the first of a burst of keys begins a new term
        query.call_later(self._append, query, event.character, new_term)
        event.stop()
        event.prevent_default()

    def _append(self, query: Input, text: str, new_term: bool) -> None:
        """`text` at the end of the query; a new term after a space: `loss` typed at the table after a search for
        `is:flagged` made `is:flaggedloss`."""
        query.cursor_position = len(query.value)
        if new_term and query.value and not query.value.endswith(" "):
            text = " " + text
        query.insert_text_at_cursor(text)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is not self.query_one("#browse-query"):
            self._typing = False  # keys typed at the table next begin a new term

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#browse-table").focus()
        else:
            self.app.pop_screen()

    @on(DataTable.RowSelected, "#browse-table")
    def action_open(self) -> None:
        picked = self._selected()
        if picked:
            navigation.study(self.app, picked[0], card_id=picked[1])

    def action_study(self) -> None:
        picked = self._selected()
        if picked:
            navigation.study(self.app, picked[0])

    def action_card_info(self) -> None:
        picked = self._selected()
        if picked:
            from studyml.tui.screens.card_info import CardInfoScreen

            self.app.push_screen(CardInfoScreen(*picked, now=self.now))

    def action_suspend(self) -> None:
        """Suspend the selected card, or unsuspend it if it is suspended."""
        picked = self._selected()
        if not picked:
            return
        store = self.app.services.srs.store
        suspended = store.card_actions(picked[0]).get(picked[1], (False, None, 0))[0]
        store.set_card_action(*picked, suspended=0 if suspended else 1)
        self.notify(self.t("browse.unsuspended" if suspended else "browse.suspended"))
        self._collect()
        self._fill()

    def on_screen_resume(self) -> None:
        self._collect()
        self._fill()

    def relabel(self) -> None:
        self.query_one("#browse-query", Input).placeholder = self.t("browse.placeholder")
        # HELP is a class attribute in Textual; these classes exist for this one screen, so set it there.
        QueryInput.HELP = BrowseTable.HELP = tr("browse.help", self.app.lang)
        self._collect()
        self._fill()
