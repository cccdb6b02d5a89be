"""Benchmark sync through a folder: 100,000 records from another device, then a sync with nothing new.

Goals (issue 15): merging 100k records under 2 s; a sync with nothing new under 100 ms. The baseline measured in
the same run is reading the same file with json.loads alone, so the ratio says what validation and the merge cost.
The file is in the format this version writes (format 2: a chained review names the previous one); a format 1
file of the same reviews is about 1.6 times as large.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RECORDS, CARDS = int(os.environ.get("SYNC_RECORDS", 100_000)), 5_000
RUNS = 3
GOALS_MS = {"merge 100k records": 2000.0, "sync, nothing new": 100.0}


def other_device_file(folder: Path) -> Path:
    """Another device's file: 100k reviews, each starting from the state the previous one left, then sent."""
    import random

    from studyml.srs.store import CardState, Store, state_json
    from studyml.srs.sync import sync

    rng = random.Random(0)
    t0, day = 1_767_225_600_000, 86_400_000
    with Store(folder.parent / "other.sqlite3") as store:
        with store.transaction() as c:
            rows, last = [], None
            for i in range(CARDS):
                before = None
                for k in range(RECORDS // CARDS):
                    t = t0 + k * 3 * day + i
                    after = CardState(
                        "p",
                        f"c{i}",
                        state=2,
                        step=None,
                        stability=rng.uniform(1, 200),
                        difficulty=rng.uniform(1, 10),
                        due_ms=t + 3 * day,
                        last_review_ms=t,
                        reps=k + 1,
                        first_review_ms=t0 + i,
                    )
                    rows.append(
                        (
                            t,
                            "p",
                            "",
                            f"c{i}",
                            3,
                            None,
                            state_json(after.to_dict()),
                            state_json(before.to_dict()) if before else None,
                        )
                    )
                    before = last = after
                store.put_state(before)
            c.executemany(
                "INSERT INTO reviews (time_ms, pack_id, pack_version, card_id, rating, duration_ms,"
                " state_after, state_before) VALUES (?,?,?,?,?,?,?,?)",
                rows,
            )
        assert last is not None
        sync(store, folder)
    return next(folder.glob("*.jsonl"))


def main() -> int:
    from studyml.srs.store import Store
    from studyml.srs.sync import sync

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "shared"
        t = time.perf_counter()
        path = other_device_file(folder)
        print(f"built {RECORDS:,} records in {time.perf_counter() - t:.1f} s ({path.stat().st_size / 1e6:.1f} MB)")

        t = time.perf_counter()
        with open(path, "rb") as f:
            n = sum(1 for line in f if json.loads(line))
        baseline = (time.perf_counter() - t) * 1000

        # Three merges, each into a new data dir: the median is the figure (this machine's speed varies by a third
        # from minute to minute; one run says little).
        merges, cpus, loads = [], [], []
        for i in range(RUNS):
            with Store(root / f"me{i}.sqlite3") as me:
                loads.append(os.getloadavg()[0])
                t, cpu = time.perf_counter(), time.process_time()
                report = sync(me, folder)
                merges.append((time.perf_counter() - t) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
                assert report.received == n == RECORDS, (report.received, n)
                assert not report.problems
                if i == RUNS - 1:
                    idle = statistics.median(_timed(lambda: sync(me, folder)) for _ in range(7))
    merge, cpu, load = statistics.median(merges), statistics.median(cpus), max(loads)
    figures = {"merge 100k records": merge, "sync, nothing new": idle}
    print(f"baseline: json.loads of the same file {baseline:.0f} ms")
    # The machine may be shared: the load and the merge's own CPU time say how much of the wall time was waiting.
    print(f"merges: {', '.join(f'{m:.0f}' for m in merges)} ms (median below)")
    print(
        f"load average up to {load:.2f} at the merges; median CPU time {cpu:.0f} ms (×{cpu / baseline:.2f} of baseline)"
    )
    failed = False
    for name, ms in figures.items():
        goal = GOALS_MS[name]
        ok = ms <= goal
        failed |= not ok
        print(
            f"{name:22s} {ms:8.1f} ms  goal {goal:6.0f} ms  {'ok' if ok else 'OVER'}  ×{ms / baseline:.2f} of baseline"
        )
    return 1 if failed else 0


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


if __name__ == "__main__":
    sys.exit(main())
