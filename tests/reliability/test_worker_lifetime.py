"""Workers and whatever a plugin starts never outlive their parent or their run; the cwd cannot break them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from studyml.demos import reaper

from .helpers import FIXTURES, ROOT, STUDYML, add_plugins, cli, env_for, kill_all, processes_with, start

pytestmark = pytest.mark.slow


def _wait_gone(pids: list[int], limit: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit + 5:
        if not [p for p in pids if os.path.exists(f"/proc/{p}") and _state(p) != "Z"]:
            return time.monotonic() - t0
        time.sleep(0.02)
    return float("inf")


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0].decode()
    except OSError:
        return "gone"


def _wait_for_line(stream, text: str, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        line = stream.readline()
        if text in line:
            return
        if not line:
            break
    raise AssertionError(f"never saw {text!r}")


def test_a_worker_holding_the_gil_dies_within_2_s_of_a_sigkilled_cli(studyml_home):
    add_plugins(studyml_home, "running")
    parent = start(studyml_home, "demo", "run", "fx-gil-sleep")
    try:
        _wait_for_line(parent.stderr, "holding the GIL")
        workers = reaper.descendants(parent.pid)
        assert workers
        parent.kill()
        parent.wait()
        assert _wait_gone(workers, 2.0) < 2.0
    finally:
        kill_all(reaper.descendants(parent.pid))
        parent.kill()


APP_LIKE = textwrap.dedent("""
    import sys, threading, time
    from studyml.demos.runner import DemoRunner
    runner = DemoRunner(keep_warm=False)
    # Like the app: each run in its own short-lived thread; a spare worker is started from another one.
    t = threading.Thread(target=runner.start_warm); t.start(); t.join()
    time.sleep(1.0)
    print("warm alive after its thread ended:", runner._idle.alive(), flush=True)
    threading.Thread(target=runner.run, args=("fx-gil-sleep",), kwargs={"timeout": 600}).start()
    time.sleep(3600)
""")


def test_workers_of_an_app_like_parent_die_with_it_but_not_with_the_thread_that_started_them(studyml_home):
    add_plugins(studyml_home, "running")
    parent = start(studyml_home, python=APP_LIKE)
    try:
        _wait_for_line(parent.stdout, "warm alive after its thread ended: True")
        deadline = time.monotonic() + 30
        while not reaper.descendants(parent.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # the run is now inside the plugin's C sleep
        workers = reaper.descendants(parent.pid)
        # The warm worker, started from a thread that has ended, is alive and now runs the demo (the runner
        # hands a run to its spare worker).
        assert len(workers) >= 1
        parent.kill()
        parent.wait()
        assert _wait_gone(workers, 2.0) < 2.0
    finally:
        kill_all(reaper.descendants(parent.pid))
        parent.kill()


@pytest.mark.parametrize(
    "params,mark", [([], 777201), (["--param", "hang=true", "--timeout", "3"], 777301)], ids=["finishes", "timeout"]
)
def test_no_child_of_a_plugin_survives_the_run_even_in_a_new_session(studyml_home, params, mark):
    # Each case's children have their own names: the two cases run at the same time under xdist, and one saw
    # the other's children as left behind.
    add_plugins(studyml_home, "running")
    children = (f"sleep {mark}", f"sleep {mark + 1}")
    try:
        for _ in range(3):
            out, _ = cli(studyml_home, "demo", "run", "fx-children", "--param", f"mark={mark}", *params)
            assert out.returncode == (0 if not params else 3), out.stderr  # 3: RUN_ERROR, the run timed out
            left = processes_with(children[0]) + processes_with(children[1])
            assert left == [], f"left behind: {left}"
    finally:
        kill_all(processes_with(children[0]) + processes_with(children[1]))


def test_a_random_py_in_the_current_directory_does_not_break_the_worker(studyml_home, tmp_path):
    (studyml_home / "plugins").mkdir()
    for name in ("fx_stream.py", "fx_torch.py"):
        shutil.copy(FIXTURES.parents[1] / "fixtures" / "demo_plugins" / name, studyml_home / "plugins")
    cwd = tmp_path / "work"
    cwd.mkdir()
    for name in ("random.py", "concurrent.py"):
        (cwd / name).write_text("raise RuntimeError('the cwd shadowed the standard library')\n")
    out, _ = cli(studyml_home, "demo", "run", "fx-stream", cwd=cwd, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "shadowed" not in out.stderr
    torch_run, _ = cli(studyml_home, "demo", "run", "fx-torch", cwd=cwd, timeout=120)  # torch imports concurrent
    assert torch_run.returncode == 0, torch_run.stderr
    listed, _ = cli(studyml_home, "demo", "list", cwd=cwd)
    assert listed.returncode == 0 and "fx-stream" in listed.stdout


@pytest.mark.parametrize("sig, mark", [(signal.SIGTERM, 777401), (signal.SIGHUP, 777501)], ids=["term", "hup"])
def test_no_child_of_a_plugin_survives_a_terminated_or_hung_up_cli(studyml_home, sig, mark):
    # `kill PID` or closing the terminal: the worker died with the CLI, and what the plugin started lived on.
    add_plugins(studyml_home, "running")
    children = (f"sleep {mark}", f"sleep {mark + 1}")
    parent = start(studyml_home, "demo", "run", "fx-children", "--param", f"mark={mark}", "--param", "hang=true")
    try:
        _wait_for_line(parent.stderr, "children started")
        # Both are there before the signal (polled: on a loaded machine /proc may show the second a moment later).
        deadline = time.monotonic() + 10
        while not (processes_with(children[0]) and processes_with(children[1])) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_with(children[0]) and processes_with(children[1])
        parent.send_signal(sig)
        assert parent.wait(timeout=30) == 130  # like Ctrl-C: the run stopped, and said so
        deadline = time.monotonic() + 5
        while (processes_with(children[0]) or processes_with(children[1])) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_with(children[0]) + processes_with(children[1]) == []
        assert "Traceback" not in parent.stderr.read()
    finally:
        kill_all(processes_with(children[0]) + processes_with(children[1]))
        parent.kill()
