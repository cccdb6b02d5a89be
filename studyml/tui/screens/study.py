"""Study: today's due cards in FSRS order then new ones; flip, rate 1–4, undo, study ahead, summary."""

from __future__ import annotations

import time
from collections import Counter

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from studyml.tui import navigation
from studyml.tui.i18n import interval_label, pick
from studyml.tui.localized import LocalizedMixin, localize_bindings
from studyml.tui.widgets.card_view import CardView

RATING_KEYS = {1: "again", 2: "hard", 3: "good", 4: "easy"}


class StudyScreen(LocalizedMixin, Screen):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="back"),
        Binding("space", "flip", "Show answer", id="flip"),
        # As in Anki: on the answer side, space (or enter) means Good.
        Binding("space,enter", "rate(3)", "Good", id="good_space", show=False),
        Binding("1", "rate(1)", "Again", id="again", show=False),
        Binding("2", "rate(2)", "Hard", id="hard", show=False),
        Binding("3", "rate(3)", "Good", id="good", show=False),
        Binding("4", "rate(4)", "Easy", id="easy", show=False),
        Binding("d", "demo", "Demo", id="demo"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("a", "ahead", "Study ahead", id="ahead"),
        Binding("pageup", "scroll_card(-1)", "Scroll up", id="card_up", show=False),
        Binding("pagedown", "scroll_card(1)", "Scroll down", id="card_down", show=False),  # shown only when nothing is due (check_action)
    ]

    def __init__(self, pack_id: str, card_id: str | None = None) -> None:
        super().__init__()
        self.pack_id = pack_id
        self.single_card = card_id
        self.queue: list[str] = []
        self.current: str | None = None
        self.shown_at = 0.0
        self.history: list[tuple[str, int]] = []  # (card id, rating) rated this session, for undo and the summary
        self.started = time.monotonic()
        self.mode = "study"  # study | empty | done

    @property
    def pack(self):
        return self.app.services.pack(self.pack_id)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="study"):
            yield Static(id="study-status", classes="heading")
            yield CardView(id="card")
            yield Static(id="study-message", classes="message hidden")
            with Horizontal(id="ratings", classes="hidden"):
                for r, key in RATING_KEYS.items():
                    button = Button("", id=f"rate-{r}", classes=f"rate rate-{key}")
                    button.can_focus = False  # keys go to the screen: a focused button would turn space into "Again"
                    yield button
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        if self.single_card:
            self.queue = [self.single_card]
        else:
            self.queue = self._due()
        self._next()

    def _card_ids(self) -> list[str]:
        return [c.id for c in self.pack.cards]

    def _due(self) -> list[str]:
        return self.app.services.srs.due_queue(self.pack_id, self._card_ids())

    # -- flow ---------------------------------------------------------------------------------
    def _next(self) -> None:
        if self.queue:
            self.current = self.queue.pop(0)
            self.mode = "study"
            card = self.pack.card(self.current)
            self.query_one(CardView).show(card, self.app.lang)
            self.query_one(CardView).remove_class("hidden")
            self.query_one("#ratings").add_class("hidden")
            self.query_one("#study-message").add_class("hidden")
            self.shown_at = time.monotonic()
        else:
            self.current = None
            self.mode = "done" if self.history else "empty"
            self.query_one(CardView).add_class("hidden")
            self.query_one("#ratings").add_class("hidden")
            msg = self.query_one("#study-message", Static)
            msg.remove_class("hidden")
            msg.update(self._summary() if self.mode == "done" else self.t("study.empty"))
        self._status()
        self.refresh_bindings()

    def _status(self) -> None:
        pack = self.pack
        left = len(self.queue) + (1 if self.current else 0)
        self.query_one("#study-status", Static).update(
            self.t("study.status", pack=pick(pack.manifest.title, self.app.lang), left=left, done=len(self.history))
        )

    def _summary(self) -> str:
        minutes = (time.monotonic() - self.started) / 60
        # Counted from the history, so an undone rating leaves both the total and the breakdown.
        ratings = Counter(r for _, r in self.history)
        parts = "  ".join(f"{self.t('key.' + RATING_KEYS[r])}: {ratings[r]}" for r in RATING_KEYS)
        return self.t("study.summary", n=len(self.history), minutes=f"{minutes:.1f}") + "\n\n" + parts + "\n\n" + self.t("study.summary_hint")

    def check_action(self, action: str, parameters) -> bool | None:
        revealed = self.current is not None and self.query_one(CardView).revealed
        if action == "flip":
            return self.current is not None and not revealed
        if action == "rate":
            return revealed
        if action == "demo":
            card = self.pack.card(self.current) if self.current else None
            return card is not None and card.demo is not None
        if action == "undo":
            return bool(self.history)
        if action == "ahead":
            return self.mode in ("empty", "done")
        return True

    def action_scroll_card(self, direction: int) -> None:
        view = self.query_one(CardView)
        (view.scroll_page_down if direction > 0 else view.scroll_page_up)(animate=False)

    def action_flip(self) -> None:
        if self.current is None:
            return
        self.query_one(CardView).flip(self.app.lang)
        self._show_ratings()
        self.refresh_bindings()

    def _show_ratings(self) -> None:
        from studyml.srs.scheduler import format_interval

        outcomes = self.app.services.srs.preview(self.pack_id, self.current)
        for r, key in RATING_KEYS.items():
            wait = interval_label(format_interval(outcomes[r].interval), self.app.lang)
            self.query_one(f"#rate-{r}", Button).label = f"{r} {self.t('key.' + key)} · {wait}"
        self.query_one("#ratings").remove_class("hidden")

    def action_rate(self, rating: int) -> None:
        if self.current is None or not self.query_one(CardView).revealed:
            return
        duration = int((time.monotonic() - self.shown_at) * 1000)
        self.app.services.srs.review(self.pack_id, self.current, rating, pack_version=self.pack.version, duration_ms=duration)
        self.history.append((self.current, rating))
        if rating == 1 and not self.single_card:
            # Again: the card comes back in this session once its learning step is due.
            self.queue.append(self.current)
        self._next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("rate-"):
            self.action_rate(int(event.button.id.split("-")[1]))

    def action_undo(self) -> None:
        if not self.history:
            return
        from studyml.srs.store import StoreError

        try:
            self.app.services.srs.undo()
        except StoreError as e:
            self.notify(str(e), severity="warning")
            return
        card_id, _ = self.history.pop()
        if self.current is not None:
            self.queue.insert(0, self.current)
        # The undone card is shown again first, once: an Again had also queued it for later.
        self.queue = [card_id] + [c for c in self.queue if c != card_id]
        self.notify(self.t("study.undone"))
        self._next()

    def action_ahead(self) -> None:
        ahead = self.app.services.srs.study_ahead(self.pack_id, self._card_ids())
        if not ahead:
            self.notify(self.t("study.nothing_ahead"))
            return
        self.queue = ahead
        self._next()

    def action_demo(self) -> None:
        card = self.pack.card(self.current) if self.current else None
        if card is not None and card.demo is not None:
            navigation.demo(self.app, card.demo.id, params=dict(card.demo.params))

    def on_language(self) -> None:
        if self.current is not None:
            view = self.query_one(CardView)
            view.render_card(self.app.lang)
            if view.revealed:
                self._show_ratings()
        else:
            self.query_one("#study-message", Static).update(self._summary() if self.mode == "done" else self.t("study.empty"))
        self._status()
