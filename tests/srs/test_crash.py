"""A review committed before a crash is never lost: SIGKILL a reviewing process many times, then check."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

from studyml import paths
from studyml.srs.store import Store

WORKER = r"""
import sys
from studyml.srs.scheduler import Scheduler
from studyml.srs.store import Store

run = sys.argv[1]
store = Store()
srs = Scheduler(store)
print("ready", flush=True)
i = 0
while True:
    card = f"{run}-{i % 7}"
    state = srs.review("crash", card, 1 + i % 4, pack_version="1.0.0", duration_ms=i)
    print("ack", card, state.last_review_ms, flush=True)  # only after the commit returned
    i += 1
"""

KILLS = 30


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_never_loses_an_acknowledged_review(tmp_path):
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER)
    with Store():
        pass  # create the database up front so every run races only on reviews
    rng = random.Random(1234)
    acked: list[tuple[str, int]] = []
    started = time.monotonic()
    for run in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, str(worker), f"r{run}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=os.environ.copy(),
        )
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
        reader.start()
        # Kill at a random point: in one run of five during start-up, otherwise while reviewing.
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0, 0.3))
        else:
            # Wait for the first acknowledged review, not just "ready": on a loaded machine the first review
            # (importing fsrs) can take longer than the whole random delay, and the run would prove nothing.
            deadline = time.monotonic() + 10
            while not any(ln.startswith("ack ") for ln in lines) and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join(5)
        for line in lines:
            if line.startswith("ack ") and line.endswith("\n"):
                _, card, ms = line.split()
                acked.append((card, int(ms)))
    elapsed = time.monotonic() - started

    assert len(acked) >= KILLS, f"only {len(acked)} reviews acknowledged; the test proves nothing"
    with Store() as store:
        assert store.integrity_check() == "ok"
        logged = {(r.card_id, r.time_ms) for r in store.reviews(pack_id="crash")}
        missing = [a for a in acked if a not in logged]
        assert not missing, f"{len(missing)} acknowledged reviews lost, e.g. {missing[:3]}"
        # Progress and log were committed together: each card's state is its latest review's.
        latest: dict[str, int] = {}
        for card, ms in logged:
            latest[card] = max(ms, latest.get(card, 0))
        for card, ms in latest.items():
            assert store.get("crash", card).last_review_ms == ms
    assert paths.db_path().exists()
    print(f"{KILLS} kills, {len(acked)} acknowledged reviews, {elapsed:.1f}s")
