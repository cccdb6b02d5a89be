"""SIGKILL a process rating cards through the app's path (Services → Scheduler → Store), again and again."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass
class KillLoop:
    """What the kills left: reviews acknowledged (printed only after their commit) and stored, checks."""

    kills: int
    acked: set[tuple[str, int]] = field(default_factory=set)
    stored: set[tuple[str, int]] = field(default_factory=set)
    integrity: list[str] = field(default_factory=list)  # PRAGMA integrity_check after each kill
    stale: list[str] = field(default_factory=list)  # cards whose state is not their latest review's
    errors: list[str] = field(default_factory=list)  # tracebacks the rater printed before it was killed
    seconds: float = 0.0

    def problems(self) -> list[str]:
        """What a learner would have lost, in words; empty when every kill left the database whole."""
        lost = self.acked - self.stored
        said = []
        if len(self.acked) < self.kills:
            said.append(f"only {len(self.acked)} acknowledged reviews: the loop proves nothing")
        if lost:
            said.append(f"{len(lost)} acknowledged reviews lost, e.g. {sorted(lost)[:3]}")
        if self.integrity != ["ok"] * self.kills:
            said.append(f"integrity ok {self.integrity.count('ok')}/{self.kills}")
        if self.stale:
            said.append(f"state and log out of step for {self.stale[:3]}")
        if len(self.stored - self.acked) > self.kills:  # at most one committed but not yet printed per kill
            said.append(f"{len(self.stored - self.acked)} reviews stored that were never acknowledged")
        if self.errors:
            said.append(self.errors[0].strip().splitlines()[-1][:120])
        return said

    def summary(self) -> str:
        return (
            f"{self.kills} SIGKILLs: {len(self.acked)} acknowledged, {len(self.stored)} stored, "
            f"{len(self.acked - self.stored)} lost, integrity ok {self.integrity.count('ok')}/{self.kills}"
        )


def kill_loop(home: Path, kills: int, seed: int) -> KillLoop:
    """Start the rater in `home` `kills` times and SIGKILL it: one run in five during start-up, else mid-rating."""
    script = home / "rater.py"
    script.write_text(RATER)
    env = {**os.environ, "STUDYML_HOME": str(home)}
    with Store(home / "progress.sqlite3"):
        pass  # created up front so every run races only on reviews
    rng, out = random.Random(seed), KillLoop(kills)
    t0 = time.monotonic()
    for run in range(kills):
        proc = subprocess.Popen(
            [sys.executable, str(script), f"r{run}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
        reader.start()
        if rng.random() < 0.2:  # opening, the integrity check, a migration
            time.sleep(rng.uniform(0, 0.4))
        else:
            # After the first acknowledged review, not just "ready": on a loaded machine the first review
            # (importing fsrs) can take longer than the whole random delay, and the run would prove nothing.
            deadline = time.monotonic() + 20
            while not any(ln.startswith("ack ") for ln in lines) and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0.01, 0.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join(5)
        if "Traceback" in (err := proc.stderr.read()):
            out.errors.append(err)
        out.acked |= {
            (ln.split()[1], int(ln.split()[2])) for ln in lines if ln.startswith("ack ") and ln.endswith("\n")
        }
        with Store(home / "progress.sqlite3") as store:
            out.integrity.append(store.integrity_check())
    out.seconds = time.monotonic() - t0
    with Store(home / "progress.sqlite3") as store:
        out.stored = {(r.card_id, r.time_ms) for r in store.reviews(pack_id="kill")}
        latest: dict[str, int] = {}
        for card, ms in out.stored:
            latest[card] = max(ms, latest.get(card, 0))
        # The review and the card's state were committed together: each card's state is its latest review's.
        out.stale = [card for card, ms in latest.items() if store.get("kill", card).last_review_ms != ms]
    return out
