"""The FSRS rating a quiz answer proposes: the learner sees it with the feedback and may change it."""

from __future__ import annotations

from statistics import median

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
SLOW_FACTOR, FAST_FACTOR = 2.0, 0.5  # relative to this learner's median answer time
SLOW_DEFAULT_MS = 90_000  # before there is any history
MIN_HISTORY = 5


def typical_ms(durations: list[int]) -> float | None:
    """This learner's median answer time, once there are enough answers to trust it."""
    return float(median(durations)) if len(durations) >= MIN_HISTORY else None


def propose(
    correct: bool,
    *,
    hints_used: int = 0,
    duration_ms: int | None = None,
    typical: float | None = None,
    in_review: bool = False,
) -> int:
    """Wrong → Again; right after a hint or slow → Hard; right → Good; right and fast on a card in review → Easy."""
    return proposal(correct, hints_used=hints_used, duration_ms=duration_ms, typical=typical, in_review=in_review)[0]


def proposal(
    correct: bool,
    *,
    hints_used: int = 0,
    duration_ms: int | None = None,
    typical: float | None = None,
    in_review: bool = False,
) -> tuple[int, str | None]:
    """The proposed rating and why, when it is not the plain one (Again when wrong, Good when right): "hint",
    "slow" (slower than twice this learner's median, or 90 s before there is one) or "fast" (under half of it). A
    learner offered Hard for a right answer was not told it was for the time taken."""
    if not correct:
        return AGAIN, None
    slow_after = typical * SLOW_FACTOR if typical else SLOW_DEFAULT_MS
    if hints_used:
        return HARD, "hint"
    if duration_ms is not None and duration_ms > slow_after:
        return HARD, "slow"
    if in_review and typical and duration_ms is not None and duration_ms < typical * FAST_FACTOR:
        return EASY, "fast"
    return GOOD, None
