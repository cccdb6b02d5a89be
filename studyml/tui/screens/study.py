"""Study: today's due cards in FSRS order then new ones; flip, rate 1–4, undo, study ahead, summary."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from time import time_ns  # wall clock for learning steps (tests freeze `time.monotonic` only)

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Header, Static

from studyml.tui import navigation, write_retry
from studyml.tui.i18n import interval_label, pick, tr
from studyml.tui.localized import LocalizedMixin, localize_bindings
from studyml.tui.markup import literal
from studyml.tui.widgets.card_view import CardView
from studyml.tui.widgets.footer import Footer

RATING_KEYS = {1: "again", 2: "hard", 3: "good", 4: "easy"}


@dataclass(frozen=True)
class _Pending:
    """A rating given and not yet written."""

    card_id: str
    rating: int
    duration_ms: int
    now: datetime
    shown_after_ms: int | None
    since: float = field(default_factory=time.monotonic)


def _write_rating(srs, pack_id: str, version: str, p: _Pending, wait_ms: int):
    """Write the rating `p`, waiting at most `wait_ms` for another write to end; the card's new state."""
    with srs.store.waiting_at_most(wait_ms):
        return srs.review(
            pack_id,
            p.card_id,
            p.rating,
            pack_version=version,
            duration_ms=p.duration_ms,
            now=p.now,
            shown_after_ms=p.shown_after_ms,
        )


_WRITES_OR_LEAVES = {"rate", "undo", "suspend", "bury", "flag", "ahead", "practice", "demo"}


class StudyScreen(LocalizedMixin, Screen):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="study.back"),
        Binding("space", "flip", "Show answer", id="study.flip"),
        # As in Anki: on the answer side, space (or enter) means Good.
        Binding("space,enter", "rate(3)", "Good", id="study.good_space", show=False),
        Binding("1", "rate(1)", "Again", id="study.again", show=False),
        Binding("2", "rate(2)", "Hard", id="study.hard", show=False),
        Binding("3", "rate(3)", "Good", id="study.good", show=False),
        Binding("4", "rate(4)", "Easy", id="study.easy", show=False),
        Binding("d", "demo", "Demo", id="study.demo"),
        Binding("p", "practice", "Practise", id="study.practice"),
        Binding("u", "undo", "Undo", id="study.undo"),
        Binding("a", "ahead", "Study ahead", id="study.ahead"),
        # Not in the footer: with them, "? Keys" fell off its end at 80 columns (and the palette's label was cut in
        # Korean). A long card shows its scrollbar; the keys panel (?) lists them.
        Binding("pageup", "scroll_card(-1)", "Scroll up", id="study.card_up", show=False),
        Binding("pagedown", "scroll_card(1)", "Scroll down", id="study.card_down", show=False),
        # Anki's card actions: @ suspend, - bury until tomorrow; f cycles the flag; i shows the card's info.
        Binding("at", "suspend", "Suspend", id="study.suspend", show=False),
        Binding("minus", "bury", "Bury", id="study.bury", show=False),
        Binding("f", "flag", "Flag", id="study.flag", show=False),
        Binding("i", "card_info", "Card info", id="study.card_info", show=False),
    ]

    # The state the footer and the layout follow (`_layout`); watchers run on every change, bindings refresh.
    current: reactive[str | None] = reactive(None, always_update=True, bindings=True, init=False)  # card shown
    revealed: reactive[bool] = reactive(False, bindings=True, init=False)  # its answer side is shown
    mode: reactive[str] = reactive("study", bindings=True, init=False)  # study | empty | waiting | done | error
    message: reactive[str] = reactive("", init=False)  # instead of the card, or above it after a store failure
    saving: reactive[bool] = reactive(False, bindings=True, init=False)  # a rating waits for the database

    def __init__(self, pack_id: str, card_id: str | None = None) -> None:
        super().__init__()
        self.pack_id = pack_id
        self.single_card = card_id
        self.queue: list[str] = []
        # Cards studied ahead → their last review when taken (see _drop_reviewed_elsewhere).
        self.ahead: dict[str, int] = {}
        self.refilled: dict[str, list[str]] = {}  # a card buried or suspended here -> the cards that took its place
        self.shown_at = 0.0
        self.shown_after_ms: int | None = None  # the card's last review as shown: a later one is another window's
        self.history: list[tuple[str, int]] = []  # (card id, rating) rated this session, for undo and the summary
        # What `u` undoes, newest last: a rating ("rate", card, its time_ms and rating) or a suspend or bury ("hide",
        # card, the card's suspended and buried_until_ms before it). Anki's undo takes back the last action, not the last rating.
        self.undoable: list[tuple[str, str, tuple | None]] = []
        self.started = time.monotonic()
        # Anki's learning queue: cards rated into a learning step come back this session when it is due.
        self.learning: dict[str, int] = {}  # card id -> due (epoch ms)
        self.kind: dict[str, str] = {}  # card id -> new | learning | review, for the counts
        self._wait_timer: Timer | None = None
        self._pending: _Pending | None = None  # a rating waiting for the database (see _save_rating)
        self._retry = write_retry.Retry(self, lambda: self._save_rating(write_retry.RETRY_WAIT_MS))

    @property
    def pack(self):
        return self.app.services.pack(self.pack_id)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="study"):
            yield Static(id="study-status", classes="heading")
            yield CardView(id="card")
            yield Static(id="study-message", classes="message hidden")
            with Horizontal(id="show-row"):
                show = Button("", id="show-answer", variant="primary")
                show.can_focus = False  # for the mouse; space stays the screen's key
                yield show
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
            try:
                self.queue = self._due()
            except Exception as e:  # an unopenable progress database: say why and what to do, stay up
                if not self._store_failed(e):
                    raise
                return
        self._classify(self.queue)
        self._next()

    def _store_failed(self, e: BaseException, *, keep_card: bool = False) -> bool:
        """Show a store failure (read-only, full, damaged…); False if `e` is something else."""
        message = self.app.services.store_problem(e)
        if message is None:
            return False
        self.notify(message, severity="error", timeout=30, markup=False)
        self.message = f"[b]{self.t('error.title')}[/b]\n{literal(message)}"
        if not keep_card:
            self.queue, self.mode, self.current = [], "error", None
        return True

    def _layout(self) -> None:
        """Show what the state says: the card with its show-answer button or its ratings, and the message."""
        on_card = self.current is not None
        self.query_one(CardView).set_class(not on_card, "hidden")
        self.query_one("#show-row").set_class(not on_card or self.revealed, "hidden")
        self.query_one("#ratings").set_class(not (on_card and self.revealed), "hidden")
        box = self.query_one("#study-message", Static)
        box.update(self.message)
        box.set_class(not self.message, "hidden")

    watch_current = watch_revealed = watch_message = _layout

    def watch_saving(self, saving: bool) -> None:
        self.query_one("#ratings").disabled = saving  # greyed: a rating is taken once it is saved

    def _classify(self, card_ids) -> None:
        from studyml.srs.store import REVIEW

        for cid in card_ids:
            state = self.app.services.srs.state(self.pack_id, cid)
            self.kind[cid] = (
                "new" if state is None or state.is_new else ("review" if state.state == REVIEW else "learning")
            )

    def _card_ids(self) -> list[str]:
        return [c.id for c in self.pack.cards]

    def _due(self) -> list[str]:
        return self.app.services.srs.due_queue(self.pack_id, self._card_ids())

    # -- flow ---------------------------------------------------------------------------------
    def _now_ms(self) -> int:
        return time_ns() // 1_000_000

    def _take(self) -> str | None:
        """The next card: a learning card whose step is due, else the queue, else one due within learn-ahead."""
        if self.queue and not self.single_card:
            self._drop_reviewed_elsewhere()
        now = self._now_ms()
        due_learning = sorted((d, c) for c, d in self.learning.items() if d <= now)
        if due_learning:
            card_id = due_learning[0][1]
            del self.learning[card_id]
            return card_id
        if self.queue:
            return self.queue.pop(0)
        ahead = now + self.app.services.srs.settings.learn_ahead_min * 60_000
        soon = sorted((d, c) for c, d in self.learning.items() if d <= ahead)
        if soon:
            self.learning.pop(soon[0][1])
            return soon[0][1]
        return None

    def _next(self) -> None:
        if self._wait_timer is not None:
            self._wait_timer.stop()
            self._wait_timer = None
        card_id = self._take()
        card = self.pack.card(card_id) if card_id else None
        if card_id is not None and card is None:  # gone from the pack since it was queued
            self._next()
            return
        self.revealed = False
        if card is not None:
            related = [c for c in map(self.pack.card, card.see_also) if c is not None]
            self.query_one(CardView).show(
                card, self.app.lang, notes=self.pack.manifest.notes, tags=self.pack.manifest.tags, related=related
            )
            self.mode, self.message, self.current = "study", "", card_id
            self.shown_at = time.monotonic()
            self.shown_after_ms = self._last_review_ms(card.id)
        else:
            self.mode = "waiting" if self.learning else ("done" if self.history else "empty")
            self.current = None
            self.message = self._message()
            if self.mode == "waiting":  # come back by itself when the next learning step is due
                wait = min(self.learning.values()) - self._now_ms()
                self._wait_timer = self.set_timer(max(1.0, wait / 1000), self._next)
        self._show_button()
        self._status()

    def _last_review_ms(self, card_id: str) -> int | None:
        """The card's last review as it is shown (None: unreadable now; the rating then says why, or goes ahead)."""
        try:
            return self.app.services.srs.last_review_ms(self.pack_id, card_id)
        except Exception as e:
            if self.app.services.store_problem(e) is None:
                raise
            return None

    def _drop_reviewed_elsewhere(self) -> None:
        """Another window (or a restore) changed the progress: skip cards that are no longer due."""
        try:
            if self.app.services.srs.store.changed_elsewhere():
                due = set(self._due())
                srs = self.app.services.srs
                # Cards studied ahead (not due, or past the day's review limit) stay unless rated elsewhere since:
                # the other window's rating dropped them all, and "limit reached" came back.
                self.queue = [
                    c
                    for c in self.queue
                    if c in due or (c in self.ahead and srs.last_review_ms(self.pack_id, c) == self.ahead[c])
                ]
        except Exception as e:
            if not self._store_failed(e, keep_card=True):
                raise

    def _message(self) -> str:
        # Past the day's review limit, what it holds back; else when the next card is due (Anki's end of a deck).
        if self.mode in ("empty", "done"):
            held = self._held_back()
            first = self._summary() if self.mode == "done" else ("" if held else self.t("study.empty"))
            return "\n\n".join(p for p in (first, held or self._next_due()) if p)
        if self.mode == "waiting":
            return self.t("study.waiting", interval=self._wait(min(self.learning.values()))) + "\n\n" + self._summary()
        return self._summary()

    def _wait(self, due_ms: int) -> str:
        """The time until `due_ms`, as a rating button says an interval, in the learner's language."""
        from datetime import timedelta

        from studyml.srs.scheduler import format_interval

        wait = format_interval(timedelta(milliseconds=max(0, due_ms - self._now_ms())))
        return interval_label(wait, self.app.lang)

    def _held_back(self) -> str:
        """What the daily review limit holds back now, said with what to do (empty: nothing)."""
        srs = self.app.services.srs
        try:
            over = len(srs.held_back(self.pack_id, self._card_ids()))
        except Exception as e:
            if self.app.services.store_problem(e) is None:
                raise
            return ""  # said where the next card is read
        return self.t("study.review_limit", n=over, limit=srs.settings.reviews_per_day) if over else ""

    def _next_due(self) -> str:
        """When the pack's next card is due, as Anki says it at the end of a deck (empty: none is scheduled)."""
        srs = self.app.services.srs
        try:
            ahead = srs.study_ahead(self.pack_id, self._card_ids(), limit=1)
            state = srs.state(self.pack_id, ahead[0]) if ahead else None
        except Exception as e:
            if self.app.services.store_problem(e) is None:
                raise
            return ""
        return self.t("study.next_due", interval=self._wait(state.due_ms)) if state is not None else ""

    def _show_button(self) -> None:
        self.query_one("#show-answer", Button).label = f"{self.t('key.flip')} (space)"

    def _counts(self) -> tuple[int, int, int]:
        """New, learning and review cards left, the one on screen included (as Anki counts them)."""
        waiting = list(self.queue) + ([self.current] if self.current else [])
        new = sum(self.kind.get(c) == "new" for c in waiting)
        review = sum(self.kind.get(c) == "review" for c in waiting)
        return new, len(waiting) - new - review + len(self.learning), review

    def _status(self) -> None:
        pack = self.pack
        new, learning, review = self._counts()
        flag = ""
        if self.current:
            actions = self.app.services.srs.store.card_actions(self.pack_id).get(self.current)
            if actions and actions[2]:
                flag = f" · [b]⚑ {self.t(f'flag.{actions[2]}')}[/b]"
        self.query_one("#study-status", Static).update(
            self.t(
                "study.counts",
                pack=literal(pick(pack.manifest.title, self.app.lang)),
                new=new,
                learning=learning,
                review=review,
                done=len(self.history),
            )
            + flag
        )

    def _summary(self) -> str:
        minutes = (time.monotonic() - self.started) / 60
        # Counted from the history, so an undone rating leaves both the total and the breakdown.
        ratings = Counter(r for _, r in self.history)
        parts = "  ".join(f"{self.t('key.' + RATING_KEYS[r])}: {ratings[r]}" for r in RATING_KEYS)
        return (
            (
                self.t("study.summary", n=len(self.history), minutes=f"{minutes:.1f}")
                if minutes >= 1
                else self.t("study.summary_s", n=len(self.history), seconds=round(minutes * 60))
            )
            + "\n\n"
            + parts
            + "\n\n"
            + self.t("study.summary_hint")
        )

    def check_action(self, action: str, parameters) -> bool | None:
        if self.saving and action in _WRITES_OR_LEAVES:
            return False  # one rating at a time, and the card stays until it is saved
        if action == "flip":
            return self.current is not None and not self.revealed
        if action == "rate":
            return self.current is not None and self.revealed
        if action == "demo":
            card = self.pack.card(self.current) if self.current else None
            return card is not None and card.demo is not None
        if action == "practice":
            return self.current is not None and any(i.is_template for i in self.pack.items_for(self.current))
        if action == "undo":
            return bool(self.undoable)
        if action == "ahead":
            return self.mode in ("empty", "done", "waiting")
        if action in ("suspend", "bury", "flag", "card_info", "scroll_card"):
            return self.current is not None
        return True

    def action_scroll_card(self, direction: int) -> None:
        view = self.query_one(CardView)
        (view.scroll_page_down if direction > 0 else view.scroll_page_up)(animate=False)

    def action_flip(self) -> None:
        if self.current is None:
            return
        self.query_one(CardView).flip(self.app.lang)
        self._label_ratings()
        self.revealed = True

    # -- card actions ---------------------------------------------------------------------------
    def _drop_current(self, note: str) -> None:
        card_id = self.current
        self.queue = [c for c in self.queue if c != card_id]
        if card_id is not None:
            self.learning.pop(card_id, None)
        self.current = None
        if not self.single_card and card_id is not None:
            self.refilled[card_id] = self._refill()
        self.notify(note)
        self._next()

    def _refill(self) -> list[str]:
        """The cards the day's limits let in now: a new card buried or suspended is not one of the day's new cards,
        so the next one takes its place, as in Anki (the header said New 18 where the library said 20)."""
        try:
            due = self._due()
        except Exception:  # an unreadable store is said where the next card is read
            return []
        have = set(self.queue) | set(self.learning) | {self.current}
        extra = [c for c in due if c not in have]
        self._classify(extra)
        self.queue += extra
        return extra

    def _hide(self, **values: int) -> None:
        store = self.app.services.srs.store
        assert self.current is not None
        suspended, buried, _flag = store.card_actions(self.pack_id).get(self.current, (False, None, 0))
        store.set_card_action(self.pack_id, self.current, **values)
        self.undoable.append(("hide", self.current, (int(suspended), buried)))

    def action_suspend(self) -> None:
        if self.current is None:
            return
        self._hide(suspended=1)
        self._drop_current(self.t("study.suspended"))

    def action_bury(self) -> None:
        if self.current is None:
            return
        self._hide(buried_until_ms=self.app.services.srs.bury_until())
        self._drop_current(self.t("study.buried"))

    def action_flag(self) -> None:
        if self.current is None:
            return
        store = self.app.services.srs.store
        flag = (store.card_actions(self.pack_id).get(self.current, (False, None, 0))[2] + 1) % 5
        store.set_card_action(self.pack_id, self.current, flag=flag)
        self._status()

    def action_card_info(self) -> None:
        if self.current is not None:
            from studyml.tui.screens.card_info import CardInfoScreen

            self.app.push_screen(CardInfoScreen(self.pack_id, self.current))

    def _label_ratings(self) -> None:
        """Each rating button with the interval it would give the card."""
        from studyml.srs.scheduler import format_interval

        if self.current is None:
            return
        try:
            outcomes = self.app.services.srs.preview(self.pack_id, self.current)
        except Exception as e:  # the card can still be rated; the store failure is shown
            if not self._store_failed(e, keep_card=True):
                raise
            outcomes = {}
        for r, key in RATING_KEYS.items():
            after = (
                f" · {interval_label(format_interval(outcomes[r].interval), self.app.lang)}" if r in outcomes else ""
            )
            self.query_one(f"#rate-{r}", Button).label = f"{r} {self.t('key.' + key)}{after}"

    def action_rate(self, rating: int) -> None:
        if self.current is None or not self.revealed or self._pending is not None:
            return
        from datetime import UTC

        duration = int((time.monotonic() - self.shown_at) * 1000)
        # Dated when the key was pressed, however long the database keeps it waiting.
        self._pending = _Pending(self.current, rating, duration, datetime.now(UTC), self.shown_after_ms)
        self._save_rating()

    def _write(self, p: _Pending, wait_ms: int):
        return _write_rating(self.app.services.srs, self.pack_id, self.pack.version, p, wait_ms)

    def _save_rating(self, wait_ms: int = write_retry.FIRST_WAIT_MS) -> None:
        """Write the pending rating, waiting at most `wait_ms` for another write to end.

        The write runs on the UI thread: while a sync (this app's, or a command's) or another window holds the
        database, the screen says the rating is being saved and tries again (see write_retry), so keys and redraws
        go on (it froze for 10 s, then refused the rating). When the database stays busy it says so, and the card
        stays to be rated again.
        """
        from studyml.srs.scheduler import ReviewedElsewhere
        from studyml.srs.store import BusyError

        p = self._pending
        if p is None:
            return
        try:
            after = self._write(p, wait_ms)
        except BusyError as e:
            if write_retry.still_trying(p.since):
                if not self._retry.running:
                    self.saving, self.message = True, self.t("study.saving")
                    self._retry.start()
                return
            self._end_saving()
            self._store_failed(e, keep_card=True)
            return
        except ReviewedElsewhere:  # another window rated it after it was shown here: not rated twice
            self._end_saving()
            self.notify(self.t("study.rated_elsewhere"), severity="warning", timeout=8)
            self.learning.pop(p.card_id, None)
            self._next()
            return
        except Exception as e:  # not saved (read-only, disk full, damaged): not acknowledged, the card stays
            self._end_saving()
            if not self._store_failed(e, keep_card=True):
                raise
            return
        self._end_saving()
        self.history.append((p.card_id, p.rating))
        self.undoable.append(("rate", p.card_id, (after.last_review_ms, p.rating)))  # this window's own rating
        # In a learning step: it comes back in this session when the step is due (Anki's learning queue).
        if not self.single_card and self.app.services.srs.returns_this_session(after):
            self.learning[p.card_id] = after.due_ms
            self.kind[p.card_id] = "learning"
        self._next()

    def _end_saving(self) -> None:
        self._retry.stop()
        self._pending = None
        if self.saving:
            self.saving = False
            if self.message == self.t("study.saving"):  # not a store failure said meanwhile
                self.message = ""

    def on_unmount(self) -> None:
        """Left with a rating still waiting for the database: the app keeps trying it (and at exit, says if it could
        not). A last try here froze the screen for up to 10 s, and at exit its failure was said to no one."""
        p = self._pending
        if p is None:
            return
        self._retry.stop()
        self._pending = None
        from studyml.tui.outbox import Write

        # What the write needs, taken now: the app may have stopped running when the last try is made (at exit).
        lang, services, pack_id, version = self.app.lang, self.app.services, self.pack_id, self.pack.version
        self.app.outbox.add(
            Write(
                run=lambda wait_ms: _write_rating(services.srs, pack_id, version, p, wait_ms),
                not_saved=lambda why: tr("study.not_saved", lang, why=why),
                since=p.since,
            )
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "show-answer":
            self.action_flip()
        elif event.button.id and event.button.id.startswith("rate-"):
            self.action_rate(int(event.button.id.split("-")[1]))

    def action_undo(self) -> None:
        if not self.undoable:
            return
        from studyml.srs.store import NotLatest, StoreError

        kind, card_id, before = self.undoable[-1]
        try:
            if kind == "hide":
                assert before is not None
                suspended, buried = before
                self.app.services.srs.store.set_card_action(
                    self.pack_id, card_id, suspended=suspended, buried_until_ms=buried
                )
            else:  # this window's own rating, not the card's latest: that may be another window's or device's
                self.app.services.srs.undo(self.pack_id, card_id, review=before)
        except NotLatest as e:
            self.undoable.pop()  # it stays as it is: the later rating stands on it (or it is gone already)
            self.notify(
                self.t("study.undo_gone" if e.gone else "study.undo_not_latest"), severity="warning", timeout=10
            )
            return
        except StoreError as e:  # includes a read-only, full or damaged database
            self.notify(str(e), severity="warning", markup=False)
            return
        self.undoable.pop()
        if kind == "rate":
            self.history.pop()
        self.learning.pop(card_id, None)
        self._classify([card_id])
        if self.current is not None:
            self.queue.insert(0, self.current)
        # The undone card is shown again first, once: an Again had also queued it for later.
        self.queue = [card_id] + [c for c in self.queue if c != card_id]
        if kind == "hide":  # the card that took its place goes (New 4 of a day's 3 after a bury and its undo)
            took_its_place = self.refilled.pop(card_id, [])
            self.queue = [c for c in self.queue if c not in took_its_place]
        self.notify(self.t("study.undone" if kind == "rate" else "study.unhidden"))
        self._next()

    def action_ahead(self) -> None:
        try:
            ahead = self.app.services.srs.study_ahead(self.pack_id, self._card_ids())
        except Exception as e:
            if not self._store_failed(e, keep_card=True):
                raise
            return
        if not ahead:
            self.notify(self.t("study.nothing_ahead"))
            return
        self._classify(ahead)  # counted by kind in the header: unclassified, review cards were counted as learning
        try:
            self.ahead = {c: self.app.services.srs.last_review_ms(self.pack_id, c) for c in ahead}
        except Exception as e:
            if not self._store_failed(e, keep_card=True):
                raise
            return
        self.queue = ahead
        self._next()

    def action_practice(self) -> None:
        if self.current is not None:
            navigation.practice(self.app, self.pack_id, card_id=self.current)

    def action_demo(self) -> None:
        card = self.pack.card(self.current) if self.current else None
        if card is not None and card.demo is not None:
            navigation.demo(self.app, card.demo.id, params=dict(card.demo.params))

    def relabel(self) -> None:
        if self.saving:
            self.message = self.t("study.saving")
        if self.current is not None:
            self.query_one(CardView).render_card(self.app.lang)
            if self.revealed:
                self._label_ratings()
        elif self.mode != "error":  # a store failure stays on screen as it was said
            self.message = self._message()
        self._show_button()
        self._status()
