"""Process trees on Linux: tie a worker to its parent's life, adopt orphans, and kill every descendant."""

from __future__ import annotations

import os
import signal
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def tie_to_parent(expected_parent: int) -> None:
    """Die by SIGKILL when the parent (thread) dies: the kernel sends it, so no GIL or Python code is needed.

    A parent that died before the prctl call is caught by comparing getppid() with the expected pid.
    """
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if expected_parent and os.getppid() != expected_parent:
        os._exit(1)


def become_subreaper() -> None:
    """Orphaned descendants (even ones in a new session) are re-parented to this process, not to init."""
    _prctl(PR_SET_CHILD_SUBREAPER, 1)


def _parents() -> dict[int, int]:
    """pid -> parent pid for every process visible in /proc."""
    out: dict[int, int] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return out
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields resume after the last ')'.
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 1:
            out[int(name)] = int(fields[1])
    return out


def descendants(pid: int) -> list[int]:
    """Every live descendant of `pid` (children first, then their children)."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    out, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _signal(pids: list[int], sig: int) -> None:
    for p in pids:
        try:
            os.kill(p, sig)
        except (ProcessLookupError, PermissionError):
            pass


def kill_tree(pid: int, include_self: bool = True) -> None:
    """SIGKILL `pid` and all its descendants; they are stopped first so none can fork away meanwhile."""
    seen: set[int] = set()
    for _ in range(5):
        found = [p for p in descendants(pid) if p not in seen]
        if include_self and pid not in seen:
            found.append(pid)
        if not found:
            break
        _signal(found, signal.SIGSTOP)
        seen.update(found)
    _signal(sorted(seen), signal.SIGKILL)


def kill_own_descendants(timeout: float = 2.0) -> int:
    """In a subreaper: kill every descendant and reap them (and the orphans they leave); returns how many."""
    me, killed = os.getpid(), 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = descendants(me)
        if pids:
            _signal(pids, signal.SIGSTOP)
            pids = descendants(me)
            _signal(pids, signal.SIGKILL)
            killed += len(pids)
        while True:  # reap whatever has ended, including adopted orphans
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                pid = 0
            if pid == 0:
                break
        if not pids and not descendants(me):
            break
        time.sleep(0.01)
    return killed
