"""Learning statistics as one plain dict, shared by `studyml stats --json` and the UI."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from studyml.srs.scheduler import Scheduler, Settings, to_ms, utc
from studyml.srs.store import REVIEW, Store

UNTAGGED = "(untagged)"  # the tag that quiz answers of items without tags are counted under


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def content_inputs(packs: Iterable[Any]) -> tuple[dict[str, list[str]] | None, dict[str, list[str]]]:
    """What compute_stats takes from the loaded packs (anything with `.id`, `.cards` and `.items`): card ids per
    pack, or None when no pack loads (then the packs the store knows are counted), and tags per "pack_id/item_id"
    (an item without tags of its own takes its card's)."""
    card_ids: dict[str, list[str]] = {}
    tags: dict[str, list[str]] = {}
    for pack in packs:
        card_ids[pack.id] = [c.id for c in pack.cards]
        card_tags = {c.id: list(c.tags) for c in pack.cards}
        for item in pack.items:
            tags[f"{pack.id}/{item.id}"] = list(item.tags) or card_tags.get(item.card, [])
    return (card_ids or None), tags


def compute_stats(
    store: Store,
    packs: Mapping[str, Sequence[str]] | None = None,
    item_tags: Mapping[str, Sequence[str]] | None = None,
    now: datetime | None = None,
    days: int = 30,
    forecast_days: int = 30,
    settings: Settings | None = None,
) -> dict:
    """Reviews per day, true retention, due forecast, per-pack mastery and quiz accuracy by tag.

    `packs` maps pack id to its current card ids (default: packs with progress, counted from the store);
    `item_tags` maps quiz item id, or "pack_id/item_id", to its tags.
    """
    now = utc(now)
    srs = Scheduler(store, settings or Settings.load(store))
    today_start, _ = srs.day_bounds(now)

    def day_of(ms: int) -> str:
        return srs.day_bounds(datetime.fromtimestamp(ms / 1000).astimezone())[0].astimezone().date().isoformat()

    # Reviews per study day over the window, oldest first, zeros included so charts need no gap filling.
    window_start = today_start - timedelta(days=days - 1)
    per_day = Counter(
        day_of(t)
        for (t,) in store.conn.execute("SELECT time_ms FROM reviews WHERE time_ms >= ?", (to_ms(window_start),))
    )
    dates = [(today_start - timedelta(days=i)).astimezone().date().isoformat() for i in range(days - 1, -1, -1)]
    reviews_per_day = [{"date": d, "count": per_day.get(d, 0)} for d in dates]

    # True retention: of reviews of graduated (Review-state) cards, the share not rated Again.
    def retention(since_ms: int) -> dict:
        n, passed = store.conn.execute(
            "SELECT count(*), coalesce(sum(rating >= 2), 0) FROM reviews"
            " WHERE time_ms >= ? AND json_extract(state_before, '$.state') = ?",
            (since_ms, REVIEW),
        ).fetchone()
        return {"reviews": n, "passed": passed, "true_retention": _ratio(passed, n)}

    # Due forecast: cards due on each coming study day; overdue ones count for today.
    horizon = today_start + timedelta(days=forecast_days)
    due_by_day: Counter[int] = Counter()
    for (due_ms,) in store.conn.execute(
        "SELECT due_ms FROM progress WHERE due_ms < ? AND last_review_ms IS NOT NULL AND NOT suspended",
        (to_ms(horizon),),
    ):
        due_by_day[max(0, (due_ms - to_ms(today_start)) // 86_400_000)] += 1
    forecast = [
        {"date": (today_start + timedelta(days=i)).astimezone().date().isoformat(), "count": due_by_day[i]}
        for i in range(forecast_days)
    ]

    pack_ids = sorted(packs) if packs is not None else store.pack_ids()
    per_pack = {p: srs.counts(p, list(packs[p]) if packs is not None else None, now) for p in pack_ids}

    return {
        "generated_at": now.isoformat(),
        "totals": {
            "reviews": store.review_count(),
            "card_reviews": store.review_count("card"),
            "quiz_reviews": store.review_count("quiz"),
            "reviews_today": per_day.get(dates[-1], 0),
            "cards_studied": store.conn.execute(
                "SELECT count(*) FROM progress WHERE last_review_ms IS NOT NULL"
            ).fetchone()[0],
        },
        "reviews_per_day": reviews_per_day,
        "retention": {"window_days": days, **retention(to_ms(window_start)), "all_time": retention(0)},
        "forecast": forecast,
        "forecast_14": sum(d["count"] for d in forecast[:14]),
        "forecast_30": sum(d["count"] for d in forecast[:30]),
        "packs": per_pack,
        "quiz": quiz_accuracy(store, item_tags or {}),
    }


def quiz_accuracy(store: Store, item_tags: Mapping[str, Sequence[str]]) -> dict:
    attempts = correct = 0
    by_tag: dict[str, list[int]] = {}
    tag_packs: dict[str, set[str]] = {}  # the packs whose items a tag's answers came from: they name it
    hits: dict[tuple[str, str], list] = {}  # (tag, feedback as JSON) -> [count, feedback]
    for pack_id, item_id, ok, detail in store.conn.execute(
        "SELECT pack_id, item_id, correct, detail FROM quiz_attempts"
    ):
        attempts += 1
        correct += ok
        tags = item_tags.get(f"{pack_id}/{item_id}", item_tags.get(item_id)) or [UNTAGGED]
        for tag in tags:
            entry = by_tag.setdefault(tag, [0, 0])
            entry[0] += 1
            entry[1] += ok
            tag_packs.setdefault(tag, set()).add(pack_id)
        found = _misconception(detail)
        if found is not None:
            for tag in tags:
                hit = hits.setdefault((tag, json.dumps(found, sort_keys=True, ensure_ascii=False)), [0, found])
                hit[0] += 1
    top = sorted(hits.items(), key=lambda kv: (-kv[1][0], kv[0][0]))[:10]
    return {
        "attempts": attempts,
        "correct": correct,
        "accuracy": _ratio(correct, attempts),
        "by_tag": {
            t: {"attempts": a, "correct": c, "accuracy": _ratio(c, a), "packs": sorted(tag_packs[t])}
            for t, (a, c) in sorted(by_tag.items())
        },
        "misconceptions": [{"tag": tag, "feedback": fb, "count": n} for (tag, _), (n, fb) in top],
    }


def _misconception(detail: str | None) -> dict | None:
    """The known wrong answer an attempt hit (its feedback per language), from the attempt's detail."""
    if not detail:
        return None
    try:
        found = json.loads(detail).get("misconception")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, dict) and found else None
