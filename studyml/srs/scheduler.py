"""FSRS scheduling (the fsrs library) over the store: queue, preview, review, quiz reviews, undo, study ahead."""

from __future__ import annotations

import math
import random
import re
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from studyml.srs.store import LEARNING, RELEARNING, REVIEW, CardState, QuizAttempt, Review, Store, StoreError

_stamps = random.Random()  # its own: the review times it draws leave fsrs's fuzz (the random module's) alone

if TYPE_CHECKING:
    import fsrs

RATINGS = ("again", "hard", "good", "easy")  # rating n is RATINGS[n - 1], as fsrs.Rating numbers them
QUIZ_REVIEWS = ("off", "started", "all")


class ReviewedElsewhere(Exception):
    """The card was rated elsewhere (another window) after it was shown: the rating given here was not recorded."""


class UnschedulableState(StoreError):
    """A card's saved state that fsrs cannot schedule from (a stability of 0 from an old sync or a hand-edited
    database): said as a store failure, so a screen keeps going and shows it, and the card can be suspended."""


class AnswerSavedCardNotReviewed(UnschedulableState):
    """A quiz answer saved on its own: its card's state is one fsrs cannot schedule from, so no review goes with it
    (rolled back with the review, the answer was lost)."""


class SettingError(ValueError):
    """A setting out of its range: `setting` names it, so a screen can say so in the learner's language."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(message)
        self.setting = setting


MAX_NEW_PER_DAY = MAX_REVIEWS_PER_DAY = 9999  # Anki's limits
MAX_STEP_S = 365 * 86_400  # a learning step of a year is already a review
_WHOLE_RANGES = (("maximum_interval", 1, 36_500), ("learn_ahead_min", 0, 24 * 60), ("day_start_hour", 0, 23))


def _whole(value: object, lo: int, hi: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi


@dataclass
class Settings:
    """Learner-tunable scheduling settings, kept in the store's settings table under "srs"."""

    desired_retention: float = 0.9
    new_per_day: int = 20
    # Review cards (not learning ones) studied per pack per day, as Anki's "maximum reviews/day" (its default): the
    # cards past it stay due, and studying ahead reaches them first.
    reviews_per_day: int = 200
    # Whether a quiz answer also reviews its card: "off", "started" (only cards already studied) or "all".
    quiz_reviews: str = "started"
    # None: the fsrs library's defaults (parameters, learning and relearning steps)
    parameters: list[float] | None = None
    learning_steps_s: list[int] | None = None
    relearning_steps_s: list[int] | None = None
    maximum_interval: int = 36500
    enable_fuzzing: bool = True
    learn_ahead_min: int = 20  # learning cards this close to due are shown, as Anki does
    day_start_hour: int = 4  # a study day ends at 4 am local time, as in Anki

    @classmethod
    def load(cls, store: Store) -> Settings:
        """The saved settings; the defaults if what is saved cannot be used (so studying never stops on them)."""
        saved = store.get_mapping("srs")
        if saved.get("quiz_counts_as_review") is False and "quiz_reviews" not in saved:  # the old on/off switch
            saved["quiz_reviews"] = "off"
        known = {f.name for f in fields(cls)}
        try:
            settings = cls(**{k: v for k, v in saved.items() if k in known})
            settings.validate()
            settings.fsrs_scheduler()  # fsrs checks parameters and steps
        except (TypeError, ValueError, AttributeError):
            return cls()
        return settings

    def save(self, store: Store) -> None:
        """Saved with the keys a newer studyml wrote and this one does not know (synced from another device): they
        were dropped, and that device's setting went back to its default at the next sync."""
        self.validate()
        known = {f.name for f in fields(self)}
        kept = {k: v for k, v in store.get_mapping("srs").items() if k not in known}
        store.set_setting("srs", {**kept, **asdict(self)})

    def validate(self) -> None:
        """Every value of its type and in its range. Settings come from other devices (sync) and from imports: a
        study day starting at hour 24 stopped every screen that counts a day, on every device that synced it."""
        r = self.desired_retention
        if isinstance(r, bool) or not isinstance(r, (int, float)) or not 0.7 <= r <= 0.99:
            raise SettingError("retention", "desired retention must be between 0.70 and 0.99")
        if not _whole(self.new_per_day, 0, MAX_NEW_PER_DAY):
            raise SettingError(
                "new_per_day", f"the daily new-card limit must be a whole number from 0 to {MAX_NEW_PER_DAY}"
            )
        if not _whole(self.reviews_per_day, 0, MAX_REVIEWS_PER_DAY):
            raise SettingError(
                "reviews_per_day", f"the daily review limit must be a whole number from 0 to {MAX_REVIEWS_PER_DAY}"
            )
        if self.quiz_reviews not in QUIZ_REVIEWS:
            raise SettingError("quiz_reviews", f"quiz reviews must be one of {', '.join(QUIZ_REVIEWS)}")
        for name, lo, hi in _WHOLE_RANGES:
            if not _whole(getattr(self, name), lo, hi):
                raise SettingError(name, f"{name} must be a whole number from {lo} to {hi}")
        if not isinstance(self.enable_fuzzing, bool):
            raise SettingError("enable_fuzzing", "enable_fuzzing must be true or false")
        for name in ("learning_steps_s", "relearning_steps_s"):
            steps = getattr(self, name)
            if steps is not None and (not isinstance(steps, list) or not all(_whole(s, 1, MAX_STEP_S) for s in steps)):
                raise SettingError(name, f"{name} must be a list of whole seconds from 1 to {MAX_STEP_S}")
        p = self.parameters
        if p is not None and (
            not isinstance(p, list)
            or not all(not isinstance(x, bool) and isinstance(x, (int, float)) and math.isfinite(x) for x in p)
        ):
            raise SettingError("parameters", "parameters must be a list of finite numbers")

    def steps_s(self, name: str) -> list[int]:
        """The learning (`learning_steps_s`) or relearning steps in effect, in seconds: the fsrs library's when unset."""
        steps = getattr(self, name)
        if steps is not None:
            return list(steps)
        import fsrs

        default = fsrs.Scheduler()
        return [round(d.total_seconds()) for d in getattr(default, name.removesuffix("_s"))]

    def fsrs_scheduler(self, fuzz: bool | None = None) -> fsrs.Scheduler:
        import fsrs

        kw: dict = {}
        if self.parameters is not None:
            kw["parameters"] = self.parameters
        if self.learning_steps_s is not None:
            kw["learning_steps"] = [timedelta(seconds=s) for s in self.learning_steps_s]
        if self.relearning_steps_s is not None:
            kw["relearning_steps"] = [timedelta(seconds=s) for s in self.relearning_steps_s]
        return fsrs.Scheduler(
            desired_retention=self.desired_retention,
            maximum_interval=self.maximum_interval,
            enable_fuzzing=self.enable_fuzzing if fuzz is None else fuzz,
            **kw,
        )


_STEP_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}
_STEP = re.compile(r"(\d+(?:\.\d+)?)([smhd]?)")


def parse_steps(text: str, setting: str = "learning_steps_s") -> list[int]:
    """Steps written as in Anki's deck options (`1m 10m`, `30s 1h 1d`; a bare number is minutes), in whole
    seconds. Empty: no steps (a new card goes straight to review, a lapse stays in review). SettingError names
    `setting` when a step cannot be read or is out of range."""
    out = []
    for word in text.replace(",", " ").split():
        m = _STEP.fullmatch(word.lower())
        seconds = round(float(m[1]) * _STEP_UNITS[m[2] or "m"]) if m else 0
        if not 1 <= seconds <= MAX_STEP_S:
            raise SettingError(
                setting, f"{word!r} is not a step from 1s to 365d: write steps such as 1m 10m 1h 1d, apart by spaces"
            )
        out.append(seconds)
    return out


def format_steps(steps: list[int]) -> str:
    """Steps in seconds as Anki's deck options write them: each in the largest unit that divides it (`1m 10m`)."""
    words = []
    for seconds in steps:
        unit = next(u for u in "dhms" if seconds % _STEP_UNITS[u] == 0)
        words.append(f"{seconds // _STEP_UNITS[unit]}{unit}")
    return " ".join(words)


@dataclass
class Outcome:
    """What a rating would do: the next due time and the interval until it."""

    rating: int
    due: datetime
    interval: timedelta
    state: CardState = field(repr=False)

    @property
    def name(self) -> str:
        return RATINGS[self.rating - 1]


def utc(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return now.astimezone(UTC)


def to_ms(t: datetime) -> int:
    return int(round(t.timestamp() * 1000))


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def parse_rating(rating: int | str) -> int:
    if isinstance(rating, str):
        if rating.lower() not in RATINGS:
            raise ValueError(f"unknown rating {rating!r}; expected one of {', '.join(RATINGS)}")
        return RATINGS.index(rating.lower()) + 1
    if int(rating) not in (1, 2, 3, 4):
        raise ValueError(f"unknown rating {rating!r}; expected 1-4")
    return int(rating)


def to_fsrs(s: CardState | None, now: datetime) -> fsrs.Card:
    import fsrs

    if s is None:
        return fsrs.Card(card_id=0, due=now)
    return fsrs.Card(
        card_id=0,
        state=fsrs.State(s.state),
        step=s.step,
        stability=s.stability,
        difficulty=s.difficulty,
        due=from_ms(s.due_ms),
        last_review=from_ms(s.last_review_ms) if s.last_review_ms is not None else None,
    )


def apply_rating(
    settings: Settings,
    pack_id: str,
    card_id: str,
    before: CardState | None,
    rating: int,
    now: datetime,
    fuzz: bool | None = None,
) -> CardState:
    """The card's state after `rating` at `now`, computed by fsrs."""
    import fsrs

    try:
        card, _ = settings.fsrs_scheduler(fuzz).review_card(to_fsrs(before, now), fsrs.Rating(rating), now)
        due_ms = to_ms(card.due)
        if rating > 1 and card.state == fsrs.State.Review:
            days = _ordered_days(settings, to_fsrs(before, now), now)
            if rating in days:
                # Between the days its neighbours' buttons show, fuzz and all: a fuzzed Hard fell after the Easy shown.
                # (Fuzz off, that is the day its own button shows.)
                lo = days[rating - 1] + 1 if rating - 1 in days else 1
                hi = days[rating + 1] - 1 if rating + 1 in days else settings.maximum_interval
                given = _days_until(card.due, now)
                kept = days[rating] if hi < lo else min(max(given, lo), hi)
                if kept != given:
                    due_ms = to_ms(now + timedelta(days=kept))
    except (AssertionError, ArithmeticError, ValueError, TypeError) as e:  # fsrs on a state it cannot use
        if before is None:
            raise  # a new card always schedules: this is not the state's fault
        raise UnschedulableState(
            f"the card {pack_id}/{card_id} cannot be scheduled from its saved state (state {before.state}, stability "
            f"{before.stability}, difficulty {before.difficulty}, step {before.step}: {type(e).__name__}: {e}). "
            "Suspend it to study the others; restoring a backup from before it was damaged mends it"
        ) from e
    t = to_ms(now)
    was_review = before is not None and before.state == fsrs.State.Review
    return CardState(
        pack_id=pack_id,
        card_id=card_id,
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due_ms=due_ms,
        last_review_ms=t,
        reps=(before.reps if before else 0) + 1,
        lapses=(before.lapses if before else 0) + (1 if was_review and rating == 1 else 0),
        first_review_ms=before.first_review_ms if before and before.first_review_ms is not None else t,
    )


def _days_until(due: datetime, now: datetime) -> int:
    return round((due - now).total_seconds() / 86_400)


def _ordered_days(settings: Settings, card: fsrs.Card, now: datetime) -> dict[int, int]:
    """The days Hard, Good and Easy would give without fuzz (those that reach review), in Anki's order: Hard no later
    than Good, Good a day after Hard, Easy a day after Good, none past the maximum interval. fsrs computes each rating
    on its own: a card studied ahead showed Hard 1d, Good 1d, Easy 1d (Anki never shows Easy no longer than Good)."""
    import fsrs

    unfuzzed = settings.fsrs_scheduler(fuzz=False)
    days = {}
    for rating in (2, 3, 4):
        after, _ = unfuzzed.review_card(card, fsrs.Rating(rating), now)
        if after.state == fsrs.State.Review:
            days[rating] = _days_until(after.due, now)
    top = settings.maximum_interval
    if 2 in days and 3 in days:
        days[2] = min(days[2], days[3])
        days[3] = min(max(days[3], days[2] + 1), top)
    if 3 in days and 4 in days:
        days[4] = min(max(days[4], days[3] + 1), top)
    return days


def preview(
    card_state: CardState | None,
    now: datetime | None = None,
    settings: Settings | None = None,
    pack_id: str = "",
    card_id: str = "",
) -> dict[int, Outcome]:
    """Next due time and interval for each rating 1-4 (Again, Hard, Good, Easy), before fuzz as Anki shows."""
    # Whole milliseconds, as due times are stored: otherwise Hard's 5.5 min shows as 5m or 6m at random.
    now = from_ms(to_ms(utc(now)))
    settings = settings or Settings()
    if card_state is not None:
        pack_id, card_id = card_state.pack_id, card_state.card_id
    out = {}
    for rating in (1, 2, 3, 4):
        after = apply_rating(settings, pack_id, card_id, card_state, rating, now, fuzz=False)
        due = from_ms(after.due_ms)
        out[rating] = Outcome(rating=rating, due=due, interval=due - now, state=after)
    return out


def format_interval(interval: timedelta) -> str:
    """Short interval label for rating buttons: 10m, 3h, 4d, 2.5mo, 1.2y."""
    s = interval.total_seconds()
    if s < 3600:
        return f"{max(1, round(s / 60))}m"
    if s < 86400:
        return f"{round(s / 3600)}h"
    days = s / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


class Scheduler:
    """The learner's scheduler: what to study now, and recording each answer durably."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings.load(store)

    # -- the day ---------------------------------------------------------------------------

    def day_bounds(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        """Start and end of the local study day containing `now` (days roll over at day_start_hour)."""
        local = utc(now).astimezone()
        start = local.replace(hour=self.settings.day_start_hour, minute=0, second=0, microsecond=0)
        if local < start:
            start -= timedelta(days=1)
        return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)

    def _limits(self, now: datetime) -> tuple[int, int]:
        _, end = self.day_bounds(now)
        return to_ms(end), to_ms(now + timedelta(minutes=self.settings.learn_ahead_min))

    # -- queues ------------------------------------------------------------------------------

    def due_queue(self, pack_id: str, card_ids: list[str], now: datetime | None = None) -> list[str]:
        """Today's queue: due cards (oldest due first; review cards up to the daily review limit), then new cards in
        pack order up to the daily new-card limit."""
        now = utc(now)
        return self._due(pack_id, self._present(pack_id, card_ids, now), now)[0] + self.new_cards(
            pack_id, card_ids, now
        )

    def held_back(self, pack_id: str, card_ids: list[str], now: datetime | None = None) -> list[str]:
        """The review cards due today past the daily review limit, oldest due first."""
        now = utc(now)
        return self._due(pack_id, self._present(pack_id, card_ids, now), now)[1]

    def _present(self, pack_id: str, card_ids: list[str], now: datetime) -> set[str]:
        return set(card_ids) - self.store.hidden_cards(pack_id, to_ms(now))  # suspended and buried wait

    def _due(self, pack_id: str, present: set[str], now: datetime) -> tuple[list[str], list[str]]:
        """The due cards of `present` today's review limit lets in, oldest due first, and the review cards past it."""
        review_before, learning_before = self._limits(now)
        left = self.reviews_left(pack_id, now)
        kept: list[str] = []
        over: list[str] = []
        for cid, state in self.store.due_card_states(pack_id, review_before, learning_before):
            if cid not in present:
                continue
            if state == REVIEW:  # learning cards are never held back: their steps are minutes apart
                if left <= 0:
                    over.append(cid)
                    continue
                left -= 1
            kept.append(cid)
        return kept, over

    def reviews_left(self, pack_id: str, now: datetime | None = None) -> int:
        """Review cards the daily review limit still lets in today (reviews from quizzes do not count)."""
        start, _ = self.day_bounds(utc(now))
        done = self.store.review_card_reviews_since(pack_id, to_ms(start))
        return max(0, self.settings.reviews_per_day - done)

    def new_cards(self, pack_id: str, card_ids: list[str], now: datetime | None = None) -> list[str]:
        now = utc(now)
        start, _ = self.day_bounds(now)
        left = self.settings.new_per_day - self.store.new_introduced_since(pack_id, to_ms(start))
        if left <= 0:
            return []
        # Suspended and buried new cards leave their place to the next ones (as in Anki): taken out after the limit,
        # a suspended new card took a slot of every day's new cards.
        known = self.store.known_card_ids(pack_id) | self.store.hidden_cards(pack_id, to_ms(now))
        return [c for c in card_ids if c not in known][:left]

    def study_ahead(self, pack_id: str, card_ids: list[str], now: datetime | None = None, limit: int = 20) -> list[str]:
        """For when today's queue is empty: the due cards past the daily review limit, then cards not yet due,
        soonest first."""
        now = utc(now)
        present = self._present(pack_id, card_ids, now)
        out = self._due(pack_id, present, now)[1][:limit]
        taken = set(out)
        # Over-fetch a little: orphaned cards (gone from the pack) are skipped.
        for cid in self.store.ahead(pack_id, to_ms(now), limit * 2 + 10):
            if len(out) >= limit:
                break
            if cid in present and cid not in taken:
                out.append(cid)
        return out

    def counts(self, pack_id: str, card_ids: list[str] | None, now: datetime | None = None) -> dict:
        now = utc(now)
        c = self.store.counts(pack_id, card_ids, *self._limits(now), to_ms(now))
        new_today = len(self.new_cards(pack_id, card_ids, now)) if card_ids is not None else 0
        over = max(0, c.due_reviews - self.reviews_left(pack_id, now))  # due, held back by the daily review limit
        return {
            "cards": c.cards,
            "due": c.due - over,
            "over_limit": over,
            "new": c.new,
            "new_today": new_today,
            "learned": c.learned,
            "mastered": c.mastered,
            "mastery": round(c.mastery, 4),
        }

    # -- answering -------------------------------------------------------------------------

    def state(self, pack_id: str, card_id: str) -> CardState | None:
        return self.store.get(pack_id, card_id)

    def preview(self, pack_id: str, card_id: str, now: datetime | None = None) -> dict[int, Outcome]:
        return preview(self.store.get(pack_id, card_id), now, self.settings, pack_id, card_id)

    def review(
        self,
        pack_id: str,
        card_id: str,
        rating: int | str,
        *,
        pack_version: str = "",
        duration_ms: int | None = None,
        now: datetime | None = None,
        _quiz: QuizAttempt | None = None,
        source: str = "card",
        shown_after_ms: int | None = None,
    ) -> CardState:
        """Rate a card and commit it (one transaction); returns the card's new state.

        `shown_after_ms`: the card's last review (`last_review_ms`) when the caller showed it. A later one means
        another window rated the card meanwhile: ReviewedElsewhere is raised, and nothing is written.
        """
        rating = parse_rating(rating)
        now = utc(now)
        # The previous state is read inside the write transaction (BEGIN IMMEDIATE): a second window rating the
        # same card at the same instant waits for this one and then builds on it, never on a stale state.
        with self.store.transaction():
            before = self.store.get(pack_id, card_id)
            last = self._last_review_ms(pack_id, card_id, before)
            if shown_after_ms is not None and last > shown_after_ms:
                # Two windows showed the card; the other rated it first. Rated here too, it went through two steps
                # in a second, on a rating given to the card as it was before.
                raise ReviewedElsewhere(f"{pack_id}/{card_id} was rated in another window after it was shown here")
            # Strictly after the card's last review, in its state or in the log (an undo after a merge can leave the
            # state before a review merged in), to keep its reviews ordered in time: when one is dated ahead of this
            # clock (a device whose clock was fast), at a random millisecond of the next second, so two devices that
            # both do this almost never make two reviews with one identity (pack, card, time, rating), of which each
            # would keep its own copy, their schedules of the card apart for good.
            if to_ms(now) <= last:
                now = from_ms(last + 1 + _stamps.randrange(1000))
            # Never the identity of a review in the log or an undone one: the insert would fail, or every device that
            # read the undo would drop this review as undone.
            while self.store.identity_taken(pack_id, card_id, to_ms(now), rating):
                now = from_ms(to_ms(now) + 1)
            after = apply_rating(self.settings, pack_id, card_id, before, rating, now)
            review = Review(
                time_ms=to_ms(now),
                pack_id=pack_id,
                card_id=card_id,
                rating=rating,
                pack_version=pack_version,
                duration_ms=duration_ms,
                state_before=before.to_dict() if before else None,
                source=source,
            )
            if _quiz is not None:
                _quiz["time_ms"] = review.time_ms
            self.store.write_review(review, after, quiz=_quiz)
        return after

    def answer_quiz(
        self,
        pack_id: str,
        item_id: str,
        card_id: str | None,
        answer: object,
        correct: bool,
        *,
        pack_version: str = "",
        duration_ms: int | None = None,
        now: datetime | None = None,
        rating: int | None = None,
        seed: int | None = None,
        detail: dict | None = None,
        review: bool = True,
    ) -> CardState | None:
        """Record a quiz attempt; as the learner chose (settings.quiz_reviews) it also reviews its card with
        `rating` (by default Good when correct, Again when wrong), logged with source 'quiz'. `seed` is the
        template variant, `detail` the rest. `review=False` records the attempt alone (a quiz reviews a card once,
        whatever number of its items it asks). Returns the card's new state, or None."""
        now = utc(now)
        quiz = QuizAttempt(
            pack_id=pack_id,
            item_id=item_id,
            card_id=card_id,
            answer=answer,
            correct=correct,
            time_ms=to_ms(now),
            seed=seed,
            detail=detail,
        )
        if not card_id or not review or not self.quiz_reviews_card(pack_id, card_id):
            self.store.record_quiz(**quiz)
            return None
        try:
            return self.review(
                pack_id,
                card_id,
                rating if rating is not None else (3 if correct else 1),
                pack_version=pack_version,
                duration_ms=duration_ms,
                now=now,
                _quiz=quiz,
                source="quiz",
            )
        except UnschedulableState as e:
            self.store.record_quiz(**quiz)
            raise AnswerSavedCardNotReviewed(f"the answer is saved; its card was not reviewed: {e}") from e

    def last_review_ms(self, pack_id: str, card_id: str) -> int:
        """The time of the card's last review, in its state or in the log (-1: none)."""
        return self._last_review_ms(pack_id, card_id, self.store.get(pack_id, card_id))

    def _last_review_ms(self, pack_id: str, card_id: str, before: CardState | None) -> int:
        return max(
            before.last_review_ms if before and before.last_review_ms is not None else -1,
            self.store.latest_review_ms(pack_id, card_id),
        )

    def quiz_reviews_card(self, pack_id: str, card_id: str) -> bool:
        """Whether a quiz answer on this card reschedules it: never a suspended card, a new one only with "all"."""
        return self.quiz_review_refusal(pack_id, card_id) is None

    def quiz_review_refusal(self, pack_id: str, card_id: str) -> str | None:
        """Why a quiz answer on this card does not reschedule it ("off", "suspended", "new"), None when it does; the
        quiz says the reason where it would offer a rating."""
        mode = self.settings.quiz_reviews
        if mode == "off":
            return "off"
        before = self.store.get(pack_id, card_id)
        if before is not None and self.store.is_suspended(pack_id, card_id):
            return "suspended"
        return None if mode == "all" or (before is not None and not before.is_new) else "new"

    def returns_this_session(self, after: CardState, now: datetime | None = None) -> bool:
        """Whether a card just rated comes back in the same study session: it is in a learning or relearning step
        shorter than a day (Anki's intraday learning). The day's end does not count: a 10-minute step taken at
        3:58, with days ending at 4:00, comes back at 4:08 like any other."""
        return after.state in (LEARNING, RELEARNING) and after.due_ms - to_ms(utc(now)) < 86_400_000

    def bury_until(self, now: datetime | None = None) -> int:
        """The end of today's study day, in epoch ms: a buried card comes back tomorrow, as in Anki."""
        return to_ms(self.day_bounds(now)[1])

    def undo(
        self, pack_id: str | None = None, card_id: str | None = None, review: tuple[int, int] | None = None
    ) -> CardState | None:
        """Undo the most recent rating (of `card_id`, if given); returns the card's restored state (None: new again).

        `review`: the (time_ms, rating) of the rating to undo, which must still be the card's latest (NotLatest if
        not). The study screen names its own: the card's latest may be another window's or another device's, and
        undoing it deleted that rating, here and, through sync, everywhere.
        """
        if review is not None and pack_id is not None and card_id is not None:
            return self.store.undo_identity(pack_id, card_id, *review)
        last = self.store.last_review(pack_id, card_id)
        if last is None:
            raise StoreError("nothing to undo")
        assert last.id is not None, "a review read from the store has its row id"
        return self.store.undo_review(last.id)


# -- fitting parameters (`studyml srs optimize`) ------------------------------------------------

MAX_SEQ_LEN = 64  # fsrs' optimizer reads at most the first 64 reviews of each card
# fsrs' optimizer trains only on reviews on a later day than the card's previous one, in mini-batches of 512;
# with fewer it returns the defaults unchanged.
OPTIMIZER_MIN_REVIEWS = 512


def count_training_reviews(store: Store) -> int:
    """Reviews fsrs' optimizer learns from: those a day or more after the card's previous review."""
    n, key, prev, seen = 0, None, 0, 0
    for pack_id, card_id, t in store.conn.execute(
        "SELECT pack_id, card_id, time_ms FROM reviews ORDER BY pack_id, card_id, time_ms"
    ):
        if (pack_id, card_id) != key:
            key, prev, seen = (pack_id, card_id), t, 1
            continue
        seen += 1
        if seen <= MAX_SEQ_LEN and t - prev >= 86_400_000:
            n += 1
        prev = t
    return n


def optimize(store: Store, save: bool = True) -> list[float]:
    """Fit FSRS parameters to the review log with fsrs.Optimizer; saves them into the settings unless told not to."""
    from importlib.util import find_spec

    # Checked before importing fsrs' optimizer, which imports torch (seconds) before finding these missing.
    missing = [m for m in ("torch", "pandas", "tqdm") if find_spec(m) is None]
    if missing:
        raise StoreError(f"the FSRS optimizer needs {', '.join(missing)}: pip install 'fsrs[optimizer]'")
    import fsrs

    ids: dict[tuple[str, str], int] = {}
    logs = []
    for r in store.reviews():
        cid = ids.setdefault((r.pack_id, r.card_id), len(ids) + 1)
        logs.append(
            fsrs.ReviewLog(
                card_id=cid,
                rating=fsrs.Rating(r.rating),
                review_datetime=from_ms(r.time_ms),
                review_duration=r.duration_ms,
            )
        )
    try:
        optimizer = fsrs.Optimizer(logs)
    except ImportError:
        raise StoreError("the FSRS optimizer needs extra packages: pip install 'fsrs[optimizer]'") from None
    parameters = [float(p) for p in optimizer.compute_optimal_parameters()]
    if save:
        settings = Settings.load(store)
        settings.parameters = parameters
        settings.save(store)
    return parameters
