"""Shared by the reliability tests and the fault matrix: the real CLI, fixture plugins, leftover processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
STUDYML = Path(sys.executable).parent / "studyml"  # the console script: the cwd is not on its path


def add_plugins(home: Path, folder: str) -> None:
    shutil.copytree(FIXTURES / folder, home / "plugins", dirs_exist_ok=True)


def env_for(home: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "STUDYML_HOME": str(home), **extra}


def cli(home: Path, *args: str, cwd: Path | None = None, timeout: float = 120, **extra: str):
    """Run the installed `studyml` command; returns (CompletedProcess, seconds)."""
    t0 = time.monotonic()
    out = subprocess.run(
        [str(STUDYML), *args],
        capture_output=True,
        text=True,
        env=env_for(home, **extra),
        cwd=cwd or ROOT,
        timeout=timeout,
    )
    return out, time.monotonic() - t0


def cli_or_timeout(home: Path, *args: str, timeout: float = 300, **kw):
    """`cli`, with a run past `timeout` returned as (None, seconds) for the caller to judge."""
    t0 = time.monotonic()
    try:
        return cli(home, *args, timeout=timeout, **kw)
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - t0


def start(home: Path, *args: str, python: str | None = None) -> subprocess.Popen:
    """Start `studyml ARGS` (or `python -c PYTHON`) with home as STUDYML_HOME and its output piped."""
    return subprocess.Popen(
        [sys.executable, "-c", python] if python is not None else [str(STUDYML), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_for(home),
        cwd=ROOT,
    )


def processes_with(marker: str) -> list[int]:
    """Pids whose command line contains `marker` (e.g. 'sleep 777101'), found by scanning /proc."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            raw = Path(f"/proc/{name}/cmdline").read_bytes()
            state = Path(f"/proc/{name}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state != b"Z" and marker in raw.replace(b"\0", b" ").decode("utf-8", "replace"):
            out.append(int(name))
    return out


def kill_all(pids: list[int]) -> None:
    import signal

    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
