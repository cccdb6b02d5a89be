"""SIGKILL a process rating cards through the app's own path (Services → Scheduler → Store) again and again.

Every review the process acknowledged (printed and flushed only after the commit returned) must be stored,
nothing it did not acknowledge may be half there, and the database must pass PRAGMA integrity_check each time.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

from studyml.srs.store import Store

RATER = r"""
import sys
from studyml.tui.services import Services

run = sys.argv[1]
services = Services()                  # what the app's screens use
srs = services.srs
print("ready", flush=True)
i = 0
while True:
    card = f"{run}-{i % 5}"
    rating = 1 + (i * 7) % 4
    state = srs.review("kill", card, rating, pack_version="1.0.0", duration_ms=i)  # StudyScreen.action_rate's call
    print("ack", card, state.last_review_ms, flush=True)  # only once the commit has returned
    i += 1
"""

KILLS = 24


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_loop_through_the_app_path_loses_no_acknowledged_review(tmp_path):
    script = tmp_path / "rater.py"
    script.write_text(RATER)
    with Store():
        pass
    rng = random.Random(2026)
    acked: set[tuple[str, int]] = set()
    checks = []
    for run in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, str(script), f"r{run}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
        reader.start()
        if rng.random() < 0.2:  # now and then during start-up (opening, the integrity check, migration)
            time.sleep(rng.uniform(0, 0.4))
        else:
            deadline = time.monotonic() + 20
            while not lines and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0.01, 0.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join(5)
        err = proc.stderr.read()
        assert "Traceback" not in err, err
        acked |= {(ln.split()[1], int(ln.split()[2])) for ln in lines if ln.startswith("ack ") and ln.endswith("\n")}
        with Store() as store:
            checks.append(store.integrity_check())
    with Store() as store:
        stored = {(r.card_id, r.time_ms) for r in store.reviews(pack_id="kill")}
        latest: dict[str, int] = {}
        for card, ms in stored:
            latest[card] = max(ms, latest.get(card, 0))
        for card, ms in latest.items():  # the review and the card's state were committed together
            assert store.get("kill", card).last_review_ms == ms
    assert checks == ["ok"] * KILLS
    assert len(acked) >= KILLS, f"only {len(acked)} acknowledged reviews: the loop proves nothing"
    lost = acked - stored
    assert not lost, f"{len(lost)} acknowledged reviews lost, e.g. {sorted(lost)[:3]}"
    # At most one unacknowledged review per kill (committed, killed before its "ack" line was flushed).
    assert len(stored - acked) <= KILLS
    print(
        f"kill loop: {KILLS} SIGKILLs, {len(acked)} acknowledged, {len(stored)} stored, "
        f"{len(stored - acked)} stored but not yet acknowledged, integrity ok {checks.count('ok')}/{KILLS}"
    )
