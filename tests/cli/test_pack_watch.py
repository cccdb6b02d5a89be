"""`studyml pack watch` as an author runs it: a save is validated again and printed; Ctrl-C ends it cleanly."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

from tests.content.packutil import make_pack


def _lines(stream, out: queue.Queue) -> None:
    for line in stream:
        out.put(line.rstrip("\n"))


def _until(out: queue.Queue, pattern: str, seen: list[str], timeout: float = 20.0) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            line = out.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(line)
        if pattern in line:
            return line
    raise AssertionError(f"no line with {pattern!r} in {seen}")


@pytest.mark.slow
def test_watch_prints_the_diagnostics_of_a_save_and_ctrl_c_ends_it_without_an_error(tmp_path):
    root = make_pack(tmp_path)
    env = {**os.environ, "STUDYML_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-X",
            "faulthandler",  # so a watch that does not stop can be asked where it is (SIGABRT below)
            "-c",
            "import sys; from studyml.cli import main; sys.exit(main())",
            "pack",
            "watch",
            str(root),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    out: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stdout, out), daemon=True).start()
    seen: list[str] = []
    try:
        assert "valid:" in _until(out, f"{root}: valid", seen)
        time.sleep(0.5)  # a save in the same second as the first snapshot must still be told apart by its size
        quiz = root / "quizzes" / "basics.yaml"
        text = quiz.read_text(encoding="utf-8")
        quiz.write_text(text.replace("answer: a\n", "answer: zz\n", 1), encoding="utf-8")
        verdict = _until(out, "after quizzes/basics.yaml", seen)
        assert "1 problem:" in verdict
        assert any(
            l.startswith(f"{quiz}:") and "answer 'zz' is not one of the choices" in l and ": quizzes[" in l
            for l in seen
        ), seen
        proc.send_signal(signal.SIGINT)  # Ctrl-C: the documented way to stop watching
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack to stderr
            proc.wait(timeout=10)
            raise AssertionError("Ctrl-C did not end the watch in 10 s; where it was:\n" + proc.stderr.read()) from None
        err = proc.stderr.read() if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 0, err
    assert "error" not in err and "Traceback" not in err
    assert "stopped watching" in err
