"""Startup to the first interactive frame: a bare Textual app (Header, Static, Footer) vs studyml.

Each app runs in a fresh interpreter (interpreter start-up included), N times, headless and in a
pseudo-terminal (the real Linux driver, 120x40). The child notes the wall clock when its first frame
has been painted (on_mount + call_after_refresh) and exits; the parent takes medians.
For studyml it also notes when the built-in packs are on screen (they load after the first frame).

    python benchmarks/startup.py [--runs 7] [--mode both|headless|pty]

Goal (issue 6): studyml within 1.5x of bare Textual and under 0.5 s.
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
RATIO_GOAL, ABS_GOAL = 1.5, 0.5

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
    app.set_interval(0.005, lambda: poll(app))
def poll(app):
    # Packs load in a thread after the first frame; the library shows them on the next refresh.
    table = app.screen.query("#packs")
    if "packs" not in marks and app.services.packs is not None and table and table.first().row_count:
        mark("packs")
        app.call_after_refresh(lambda: done(app))
StudyApp.on_mount = on_mount

StudyApp().run(headless=HEADLESS, size=(120, 40) if HEADLESS else None)
"""
)


def _run_once(code: str, headless: bool, home: str) -> dict[str, float]:
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
        return {k: v - t0 for k, v in marks.items()}
    finally:
        Path(out).unlink(missing_ok=True)


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def measure(runs: int, headless: bool) -> dict[str, list[float]]:
    home = tempfile.mkdtemp(prefix="studyml-bench-")  # a fresh data dir: no progress, built-in packs only
    _run_once(STUDYML, headless, home)  # warm the OS file cache and __pycache__ once, not counted
    _run_once(BARE, headless, home)
    out: dict[str, list[float]] = {"bare": [], "studyml": [], "studyml_packs": []}
    for _ in range(runs):  # interleaved, so background load hits both alike
        out["bare"].append(_run_once(BARE, headless, home)["first_frame"])
        m = _run_once(STUDYML, headless, home)
        out["studyml"].append(m["first_frame"])
        out["studyml_packs"].append(m["packs"])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--mode", choices=["both", "headless", "pty"], default="both")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a goal is missed")
    args = parser.parse_args()

    ok = True
    modes = ["headless", "pty"] if args.mode == "both" else [args.mode]
    print(f"startup to the first interactive frame, median of {args.runs} runs (interpreter start-up included)")
    for mode in modes:
        r = measure(args.runs, headless=mode == "headless")
        bare, app, packs = (statistics.median(r[k]) for k in ("bare", "studyml", "studyml_packs"))
        ratio = app / bare
        good = ratio <= RATIO_GOAL and app < ABS_GOAL
        ok &= good
        print(
            f"  {mode:8}  bare Textual {bare * 1000:6.0f} ms   studyml {app * 1000:6.0f} ms   ratio {ratio:4.2f}x"
            f"   (packs on screen {packs * 1000:.0f} ms)   {'OK' if good else 'MISSED'}"
            f" [goal ≤ {RATIO_GOAL}x and < {ABS_GOAL * 1000:.0f} ms]"
        )
    return 1 if (args.strict and not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
