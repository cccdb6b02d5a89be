"""Stats figures on a constructed history."""

from __future__ import annotations

import json
from datetime import timedelta

from studyml.srs.scheduler import Scheduler, Settings
from studyml.srs.stats import compute_stats
from studyml.srs.store import MASTERED_STABILITY_DAYS
from tests.srs.helpers import NOON


def day(n: int, hour: int = 12):
    return NOON.replace(hour=hour) + timedelta(days=n)


def history(store) -> Scheduler:
    s = Scheduler(store, Settings(enable_fuzzing=False, quiz_reviews="off"))
    s.review("p", "a", 3, now=day(-5, 10))
    s.review("p", "a", 3, now=day(-5, 10).replace(minute=15))  # graduates
    s.review("p", "a", 3, now=day(-2))  # review: passed
    s.review("p", "a", 1, now=day(-1))  # review: forgotten, relearning
    s.review("p", "b", 4, now=day(-3))
    s.review("p", "b", 2, now=day(0, 9))  # review: passed (Hard counts)
    s.review("p", "c", 4, now=day(-100))
    s.review("p", "c", 4, now=day(-50))  # review: passed; long ago
    for item, ok in (("q-0", True), ("q-1", False), ("q-2", True), ("loose", False)):
        s.answer_quiz("p", item, None, "x", ok, now=NOON)
    return s


def test_stats_figures(store):
    history(store)
    tags = {"q-0": ["t0"], "q-1": ["t1"], "q-2": ["t0", "extra"], "p/q-1": ["t1", "pack-specific"]}
    st = compute_stats(store, {"p": ["a", "b", "c", "d"]}, tags, now=NOON)
    json.dumps(st)  # plain data

    per_day = {d["date"]: d["count"] for d in st["reviews_per_day"]}
    assert len(st["reviews_per_day"]) == 30 and st["reviews_per_day"][-1]["date"] == "2026-03-10"
    assert per_day["2026-03-05"] == 2 and per_day["2026-03-07"] == 1 and per_day["2026-03-08"] == 1
    assert per_day["2026-03-09"] == 1 and per_day["2026-03-10"] == 1 and sum(per_day.values()) == 6
    assert st["totals"] == {"reviews": 8, "card_reviews": 8, "quiz_reviews": 0, "reviews_today": 1, "cards_studied": 3}

    # Reviews of graduated cards in the window: a Good, a Again, b Hard; all time adds c Easy.
    assert (st["retention"]["reviews"], st["retention"]["passed"]) == (3, 2)
    assert st["retention"]["true_retention"] == round(2 / 3, 4)
    assert (st["retention"]["all_time"]["reviews"], st["retention"]["all_time"]["passed"]) == (4, 3)

    states = {x.card_id: x for x in store.states()}
    assert st["forecast"][0]["count"] >= 1  # a is overdue in relearning: due today
    horizon = NOON.replace(hour=4) + timedelta(days=30)
    assert st["forecast_30"] == sum(x.due_ms < horizon.timestamp() * 1000 for x in states.values())
    assert st["forecast_14"] <= st["forecast_30"] and len(st["forecast"]) == 30

    pack = st["packs"]["p"]
    assert (pack["cards"], pack["new"], pack["learned"]) == (4, 1, 3)
    assert states["c"].stability >= MASTERED_STABILITY_DAYS > states["b"].stability
    assert pack["mastered"] == 1 and pack["mastery"] == 0.25

    q = st["quiz"]
    assert (q["attempts"], q["correct"], q["accuracy"]) == (4, 2, 0.5)
    assert q["by_tag"]["t0"] == {"attempts": 2, "correct": 2, "accuracy": 1.0, "packs": ["p"]}
    assert q["by_tag"]["pack-specific"]["attempts"] == 1 and q["by_tag"]["t1"]["accuracy"] == 0.0
    assert q["by_tag"]["(untagged)"]["attempts"] == 1 and "extra" in q["by_tag"]


def test_stats_of_an_empty_store(store):
    st = compute_stats(store, now=NOON)
    assert st["retention"]["true_retention"] is None and st["quiz"]["accuracy"] is None
    assert st["packs"] == {} and st["forecast_30"] == 0


def test_content_inputs_from_packs():
    """The one builder `studyml stats` and the Stats screen use: an untagged item takes its card's tags."""
    from types import SimpleNamespace as NS

    from studyml.srs.stats import content_inputs

    pack = NS(
        id="p",
        cards=[NS(id="a", tags=["x"]), NS(id="b", tags=[])],
        items=[NS(id="q1", tags=["own"], card="a"), NS(id="q2", tags=[], card="a"), NS(id="q3", tags=[], card="b")],
    )
    assert content_inputs([pack]) == ({"p": ["a", "b"]}, {"p/q1": ["own"], "p/q2": ["x"], "p/q3": []})
    assert content_inputs([]) == (None, {})  # no pack loads: compute_stats counts the packs the store knows


def test_misconceptions_hit_most_are_counted_by_tag(store):
    from studyml.srs.stats import quiz_accuracy

    variance = {"en": "You gave the std; the variance is 2/n.", "ko": "표준편차를 답했습니다."}
    padding = {"en": "Padding forgotten.", "ko": "패딩 누락."}
    for i, fb in enumerate([variance, variance, padding, None]):
        store.record_quiz(
            "p",
            "he" if fb is not padding else "conv",
            None,
            "0.1",
            False,
            time_ms=1000 + i,
            seed=7 + i,
            detail={"duration_ms": 5000, **({"misconception": fb} if fb else {})},
        )
    q = quiz_accuracy(store, {"p/he": ["init"], "p/conv": ["cnn"]})
    assert q["misconceptions"] == [
        {"tag": "init", "feedback": variance, "count": 2},
        {"tag": "cnn", "feedback": padding, "count": 1},
    ]
    assert store.quiz_seeds("p", "he") == [7, 8, 10] and store.last_quiz_seed("p", "he") == 10
