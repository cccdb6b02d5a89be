"""Benchmark the progress store: 10,000 cards and 1,000,000 logged reviews; medians of the hot paths."""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CARDS, REVIEWS, PACK = 10_000, 1_000_000, "bench-pack"
GOALS_MS = {"due queue": 50.0, "review commit": 5.0}


def build(store, now_ms: int, rng: random.Random) -> list[str]:
    from studyml.srs.store import state_json

    card_ids = [f"card-{i:05d}" for i in range(CARDS)]
    studied = card_ids[: CARDS * 4 // 5]  # a fifth stay new
    per_card = REVIEWS // len(studied)
    day = 86_400_000
    with store.transaction() as c:
        progress, reviews = [], []
        for cid in studied:
            due = now_ms + rng.randint(-30, 120) * day
            last = now_ms - rng.randint(1, 60) * day
            state = {
                "pack_id": PACK,
                "card_id": cid,
                "state": 2,
                "step": None,
                "stability": rng.uniform(1, 200),
                "difficulty": rng.uniform(1, 10),
                "due_ms": due,
                "last_review_ms": last,
                "reps": per_card,
                "lapses": 0,
                "first_review_ms": last - 700 * day,
            }
            progress.append(tuple(state.values()))
            after = state_json(state)
            for k in range(per_card):
                t = last - (per_card - 1 - k) * 7 * day
                reviews.append((t, PACK, "1.0.0", cid, rng.choice((1, 2, 3, 3, 3, 4)), 4000, after, after))
            if len(reviews) >= 100_000:
                c.executemany(
                    "INSERT INTO reviews (time_ms, pack_id, pack_version, card_id, rating, duration_ms,"
                    " state_after, state_before) VALUES (?,?,?,?,?,?,?,?)",
                    reviews,
                )
                reviews.clear()
        c.executemany(
            "INSERT INTO reviews (time_ms, pack_id, pack_version, card_id, rating, duration_ms,"
            " state_after, state_before) VALUES (?,?,?,?,?,?,?,?)",
            reviews,
        )
        c.executemany(
            "INSERT INTO progress (pack_id, card_id, state, step, stability, difficulty, due_ms,"
            " last_review_ms, reps, lapses, first_review_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            progress,
        )
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.conn.execute("ANALYZE")
    return card_ids


def median_ms(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="studyml-bench-") as home:
        os.environ["STUDYML_HOME"] = home
        from studyml.srs.scheduler import Scheduler, Settings, to_ms
        from studyml.srs.store import Store

        now = datetime.now(UTC)
        rng = random.Random(0)
        t0 = time.perf_counter()
        store = Store()
        card_ids = build(store, to_ms(now), rng)
        built = time.perf_counter() - t0
        size = Path(store.path).stat().st_size / 2**20
        print(f"built {CARDS:,} cards and {store.review_count():,} reviews in {built:.1f}s ({size:.0f} MiB)")
        store.close()
        # Let the half-gigabyte just written reach the disk: until it has, each commit's fsync queues behind
        # that writeback (about 4 ms here), which a learner's database at rest never sees.
        os.sync()
        time.sleep(3)

        results = {"open store": median_ms(lambda: Store().close(), 20)}
        store = Store()
        srs = Scheduler(store, Settings())
        queue = srs.due_queue(PACK, card_ids, now)
        results["due queue"] = median_ms(lambda: srs.due_queue(PACK, card_ids, now), 50)
        todo = iter(queue)
        results["review commit"] = median_ms(lambda: srs.review(PACK, next(todo), 3), 200)
        results["counts"] = median_ms(lambda: srs.counts(PACK, card_ids, now), 20)
        t = time.perf_counter()
        store.conn.execute("PRAGMA quick_check").fetchall()
        results["quick_check (once)"] = (time.perf_counter() - t) * 1000
        store.close()

        new = sum(1 for c in queue if c in set(card_ids[CARDS * 4 // 5 :]))
        print(f"today's queue: {len(queue) - new} due + {new} new cards")
        failed = False
        for name, ms in results.items():
            goal = GOALS_MS.get(name)
            verdict = "" if goal is None else (f"  (goal < {goal:g} ms: {'ok' if ms < goal else 'MISSED'})")
            failed |= goal is not None and ms >= goal
            print(f"{name:>20}: {ms:8.2f} ms median{verdict}")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
