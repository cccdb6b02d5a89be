"""How worker processes start: an isolated interpreter with an explicit path, spawned by one long-lived thread.

`python -m` would put the current directory first on sys.path, so a `random.py` there would replace the
standard library in the worker; `-I` leaves it (and $PYTHON* variables) out, and the path the worker needs
(studyml itself, third-party plugin packages) is appended after the standard library.
The worker asks the kernel to SIGKILL it when the thread that spawned it ends (PR_SET_PDEATHSIG), so
every worker is spawned by one thread that lives as long as the process, not by short-lived UI threads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

STUDYML_ROOT = str(Path(__file__).resolve().parents[2])
PATH_ENV = "STUDYML_WORKER_PATH"
PARENT_ENV = "STUDYML_WORKER_PARENT"

BOOTSTRAP = (
    "import os, sys\n"
    f"sys.path += [p for p in os.environ.get({PATH_ENV!r}, '').split(os.pathsep) if p and p not in sys.path]\n"
    "from studyml.demos.worker import main\n"
    "sys.exit(main())\n"
)

_spawner: ThreadPoolExecutor | None = None
_spawner_lock = threading.Lock()


def worker_path() -> list[str]:
    """The caller's import path without the current directory; studyml's own root first."""
    cwd = os.getcwd()
    out = [STUDYML_ROOT]
    for p in sys.path:
        if not p or p == "." or p in out:
            continue
        try:
            if os.path.samefile(p, cwd):
                continue
        except OSError:
            pass
        out.append(p)
    return out


def worker_command(python: str, *args: str) -> list[str]:
    return [python, "-I", "-c", BOOTSTRAP, *args]


def worker_env() -> dict[str, str]:
    env = dict(os.environ)
    env[PATH_ENV] = os.pathsep.join(worker_path())
    env.setdefault("MALLOC_ARENA_MAX", "2")  # per-thread arenas waste address space under RLIMIT_AS
    return env


def spawn(cmd: list[str], **kwargs) -> subprocess.Popen:
    """Popen from the spawner thread; the child learns this process's pid to detect an early parent death."""
    global _spawner
    env = dict(kwargs.pop("env", None) or worker_env())
    env[PARENT_ENV] = str(os.getpid())
    with _spawner_lock:
        if _spawner is None:
            _spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studyml-spawner")
        spawner = _spawner

    def start() -> subprocess.Popen:
        return subprocess.Popen(cmd, env=env, **kwargs)

    return spawner.submit(start).result()


def pipes(proc: subprocess.Popen) -> tuple[IO[bytes], IO[bytes], IO[bytes]]:
    """stdin, stdout and stderr of a process `spawn`ed with PIPE for all three (binary mode)."""
    stdin, stdout, stderr = proc.stdin, proc.stdout, proc.stderr
    if stdin is None or stdout is None or stderr is None:
        raise ValueError("the process was not started with stdin, stdout and stderr piped")
    return stdin, stdout, stderr
