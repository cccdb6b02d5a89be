"""Card info, as Anki's: the card's schedule, its FSRS memory state (retrievability now) and review history."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from studyml.content.mathtext import render_math
from studyml.tui.i18n import interval_label, pick
from studyml.tui.localized import LocalizedMixin, localize_bindings
from studyml.tui.markup import literal
from studyml.tui.widgets.footer import Footer

STATE_KEYS = {1: "learning", 2: "review", 3: "relearning"}


def retrievability(state, now: datetime) -> float | None:
    """The probability of recalling the card now, from fsrs (None for a card never studied)."""
    if state is None or state.is_new or state.stability is None:
        return None
    from studyml.srs.scheduler import Settings, to_fsrs

    return float(Settings().fsrs_scheduler(fuzz=False).get_card_retrievability(to_fsrs(state, now), now))


class CardInfoScreen(LocalizedMixin, Screen):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="card_info.back")]

    def __init__(self, pack_id: str, card_id: str, now: datetime | None = None) -> None:
        super().__init__()
        self.pack_id, self.card_id = pack_id, card_id
        self.now = now  # fixed in tests

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="card-info"):
            yield Static(id="info-heading", classes="heading")
            yield Static(id="info-facts")
            yield Static(id="info-history-heading", classes="heading")
            yield DataTable(id="info-history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.relabel()

    def _when(self, ms: int) -> str:
        t = datetime.fromtimestamp(ms / 1000, UTC).astimezone()
        return t.strftime("%Y-%m-%d %H:%M")

    def relabel(self) -> None:
        from studyml.srs.scheduler import format_interval, from_ms

        lang = self.app.lang
        srs = self.app.services.srs
        now = self.now or datetime.now(UTC)
        pack = self.app.services.pack(self.pack_id)
        card = pack.card(self.card_id) if pack else None
        title = literal(render_math(pick(card.title, lang)) if card else self.card_id)
        self.query_one("#info-heading", Static).update(
            self.t("info.heading", title=title, pack=literal(pick(pack.manifest.title, lang) if pack else self.pack_id))
        )
        state = srs.state(self.pack_id, self.card_id)
        suspended, buried, flag = srs.store.card_actions(self.pack_id).get(self.card_id, (False, None, 0))
        dash = "—"
        rows: list[tuple[str, str]] = []
        if state is None or state.is_new:
            rows.append((self.t("info.state"), self.t("info.state.new")))
        else:
            due = from_ms(state.due_ms)
            wait = interval_label(format_interval(abs(due - now)), lang)
            rows += [
                (self.t("info.state"), self.t(f"info.state.{STATE_KEYS.get(state.state, 'learning')}")),
                (
                    self.t("info.due"),
                    f"{self._when(state.due_ms)} ({self.t('info.in' if due >= now else 'info.ago', interval=wait)})",
                ),
                (self.t("info.first"), self._when(state.first_review_ms) if state.first_review_ms else dash),
                (self.t("info.reviews"), str(state.reps)),
                (self.t("info.lapses"), str(state.lapses)),
                (
                    self.t("info.stability"),
                    self.t("info.days", n=f"{state.stability:.2f}") if state.stability else dash,
                ),
                (self.t("info.difficulty"), f"{state.difficulty:.2f} / 10" if state.difficulty else dash),
            ]
            r = retrievability(state, now)
            rows.append((self.t("info.retrievability"), f"{r:.1%}" if r is not None else dash))
        marks = [self.t("info.suspended")] if suspended else []
        if buried and buried > int(now.timestamp() * 1000):
            marks.append(self.t("info.buried"))
        if flag:
            marks.append(f"⚑ {self.t(f'flag.{flag}')}")
        if marks:
            rows.append((self.t("info.marks"), " · ".join(marks)))
        # In terminal cells, not characters: a Korean label is twice as wide as its length.
        width = max(cell_len(k) for k, _ in rows) + 2
        self.query_one("#info-facts", Static).update(
            "\n".join(f"[b]{k}[/b]{' ' * (width - cell_len(k))}{v}" for k, v in rows)
        )
        self.query_one("#info-history-heading", Static).update(self.t("info.history"))
        table = self.query_one("#info-history", DataTable)
        table.clear(columns=True)
        for key in ("when", "rating", "source", "interval", "stability"):
            table.add_column(self.t(f"info.col.{key}"), key=key)
        ratings = {1: "key.again", 2: "key.hard", 3: "key.good", 4: "key.easy"}
        for review in srs.store.reviews(pack_id=self.pack_id):
            if review.card_id != self.card_id:
                continue
            after = review.state_after
            gap = (
                interval_label(format_interval(from_ms(after["due_ms"]) - from_ms(review.time_ms)), lang)
                if after.get("due_ms")
                else dash
            )
            table.add_row(
                self._when(review.time_ms),
                self.t(ratings[review.rating]),
                self.t(f"info.source.{review.source}"),
                gap,
                f"{after['stability']:.2f}" if after.get("stability") else dash,
            )
