"""Startup to the first interactive frame: a bare Textual app (Header, Static, Footer) vs studyml.

Each app runs in a fresh interpreter (interpreter start-up included), N times, headless and in a
pseudo-terminal (the real Linux driver, 120x40). The child notes the wall clock when its first frame
has been painted (on_mount + call_after_refresh) and exits; the parent takes medians.
For studyml it also notes when the built-in packs are on screen: at once from the library summary the last
run cached (data dir cache/library.json; the untimed warm-up run writes it), then with their due counts,
then validated (the real load, after the first frame, replaces the cached rows).

    python benchmarks/startup.py [--runs 7] [--mode both|headless|pty] [--cold]

`--cold` removes the cached summary before every studyml run: the first start after an install or an edit.

Goals: the first frame within 1.5x of bare Textual and under 0.5 s (issue 6); the packs on screen within
1.5x of bare Textual's first frame (issue 11).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RATIO_GOAL, ABS_GOAL, PACKS_GOAL = 1.5, 0.5, 1.5

CHILD_COMMON = r"""
import json, os, sys, time
OUT = os.environ["STARTUP_BENCH_OUT"]
HEADLESS = os.environ["STARTUP_BENCH_HEADLESS"] == "1"
marks = {}
def mark(name):
    marks[name] = time.time()
def done(app):
    with open(OUT, "w") as f:
        json.dump(marks, f)
    app.exit()
"""

BARE = (
    CHILD_COMMON
    + r"""
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.first)
    def first(self):
        mark("first_frame")
        done(self)

Bare().run(headless=HEADLESS, size=(120, 40) if HEADLESS else None)
"""
)

STUDYML = (
    CHILD_COMMON
    + r"""
from studyml.tui.app import StudyApp

# Patched rather than subclassed: a subclass defined in `-c` code cannot resolve the app's CSS_PATH.
_on_mount = StudyApp.on_mount
def on_mount(self):
    _on_mount(self)
    self.call_after_refresh(first, self)
def first(app):
    mark("first_frame")
    table = app.screen.query("#packs")
    if table and table.first().row_count:  # rows already in the table were painted in this first frame
        mark("packs")
    poll(app)
    app.set_interval(0.005, lambda: poll(app))
def poll(app):
    # Rows come from the cached summary (if any) in the first frame, then due counts, then the validated packs
    # (loaded in a thread after the first frame); each is on screen at the refresh after it is in the table.
    table = app.screen.query("#packs")
    rows = table.first().row_count if table else 0
    if rows and "packs" not in marks:
        app.call_after_refresh(mark, "packs")
        marks["packs"] = None
    if rows and "due" not in marks and str(table.first().get_row_at(0)[3]) != "–":
        app.call_after_refresh(mark, "due")
        marks["due"] = None
    if rows and "validated" not in marks and app.services.packs is not None:
        marks["validated"] = None
        app.call_after_refresh(lambda: (mark("validated"), done(app)))
StudyApp.on_mount = on_mount

StudyApp().run(headless=HEADLESS, size=(120, 40) if HEADLESS else None)
"""
)


def _run_once(code: str, headless: bool, home: str, cold: bool = False) -> dict[str, float]:
    if cold:
        Path(home, "cache", "library.json").unlink(missing_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    env = dict(
        os.environ,
        STARTUP_BENCH_OUT=out,
        STARTUP_BENCH_HEADLESS="1" if headless else "0",
        STUDYML_HOME=home,
        TERM=os.environ.get("TERM", "xterm-256color"),
    )
    env.pop("TEXTUAL", None)
    # An installed studyml has its bytecode compiled (pip does it); without this, a PYTHONDONTWRITEBYTECODE set in
    # the environment makes every run compile each module edited since the last .pyc was written.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        if headless:
            t0 = time.time()
            subprocess.run(
                [sys.executable, "-c", code],
                env=env,
                cwd=ROOT,
                check=True,
                timeout=60,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
        else:
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            env["TERM"] = "xterm-256color"
            t0 = time.time()
            proc = subprocess.Popen(
                [sys.executable, "-c", code],
                env=env,
                cwd=ROOT,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                start_new_session=True,
            )
            os.close(slave)
            drain = threading.Thread(target=_drain, args=(master,), daemon=True)
            drain.start()
            if proc.wait(timeout=60) != 0:
                raise RuntimeError(f"child failed with {proc.returncode}")
            drain.join(timeout=2)
            os.close(master)
        marks = json.loads(Path(out).read_text())
        return {k: v - t0 for k, v in marks.items() if v is not None}
    finally:
        Path(out).unlink(missing_ok=True)


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def measure(runs: int, headless: bool, cold: bool = False) -> dict[str, list[float]]:
    home = tempfile.mkdtemp(prefix="studyml-bench-")  # a fresh data dir: no progress, built-in packs only
    _run_once(STUDYML, headless, home)  # warm the OS file cache and __pycache__ once, not counted
    _run_once(BARE, headless, home)
    out: dict[str, list[float]] = {"bare": [], "first_frame": [], "packs": [], "due": [], "validated": []}
    for _ in range(runs):  # interleaved, so background load hits both alike
        out["bare"].append(_run_once(BARE, headless, home)["first_frame"])
        m = _run_once(STUDYML, headless, home, cold)
        for key in ("first_frame", "packs", "due", "validated"):
            out[key].append(m[key])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--mode", choices=["both", "headless", "pty"], default="both")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a goal is missed")
    parser.add_argument("--cold", action="store_true", help="no cached library summary (the first start)")
    args = parser.parse_args()

    ok = True
    modes = ["headless", "pty"] if args.mode == "both" else [args.mode]
    print(
        f"startup, median of {args.runs} runs (interpreter start-up included)"
        + (", without the cached library summary" if args.cold else "")
    )
    for mode in modes:
        r = measure(args.runs, headless=mode == "headless", cold=args.cold)
        bare, app, packs, due, valid = (
            statistics.median(r[k]) for k in ("bare", "first_frame", "packs", "due", "validated")
        )
        ratio, packs_ratio = app / bare, packs / bare
        good = ratio <= RATIO_GOAL and app < ABS_GOAL
        packs_good = packs_ratio <= PACKS_GOAL
        ok &= good and packs_good
        print(
            f"  {mode:8}  bare Textual first frame {bare * 1000:6.0f} ms\n"
            f"            studyml first frame      {app * 1000:6.0f} ms   ratio {ratio:4.2f}x   "
            f"{'OK' if good else 'MISSED'} [goal ≤ {RATIO_GOAL}x and < {ABS_GOAL * 1000:.0f} ms]\n"
            f"            packs on screen          {packs * 1000:6.0f} ms   ratio {packs_ratio:4.2f}x   "
            f"{'OK' if packs_good else 'MISSED'} [goal ≤ {PACKS_GOAL}x bare's first frame]\n"
            f"            with due counts          {due * 1000:6.0f} ms   ratio {due / bare:4.2f}x\n"
            f"            validated packs          {valid * 1000:6.0f} ms   ratio {valid / bare:4.2f}x"
        )
    return 1 if (args.strict and not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
