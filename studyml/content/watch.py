"""`studyml pack watch`: notice saves in a pack folder by polling (no extra dependency, works on any file system)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

WATCHED = (".yaml", ".yml")


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of every pack file under `folder`; links are not followed (they are refused anyway)."""
    out: dict[str, tuple[int, int]] = {}
    try:
        entries = sorted(folder.rglob("*"))
    except OSError:
        return out
    for p in entries:
        if p.suffix.lower() in WATCHED and not p.is_symlink():
            try:
                st = p.stat()
            except OSError:
                continue
            out[str(p.relative_to(folder))] = (st.st_mtime_ns, st.st_size)
    return out


def changes(
    folder: Path, *, interval: float = 0.3, settle: float = 0.15, stop: threading.Event | None = None
) -> Iterator[list[str]]:
    """Yield the changed file names each time the folder's pack files change (an editor's burst counts once)."""
    stop = stop or threading.Event()
    last = snapshot(folder)
    while not stop.wait(interval):
        now = snapshot(folder)
        if now == last:
            continue
        stop.wait(settle)  # editors write in several steps (temp file, rename): wait for the burst to end
        now = snapshot(folder)
        changed = sorted({k for k in now.keys() | last.keys() if now.get(k) != last.get(k)})
        last = now
        if changed:
            yield changed


def watch(
    folder: Path,
    on_change: Callable[[list[str]], object],
    *,
    interval: float = 0.3,
    stop: threading.Event | None = None,
    max_seconds: float | None = None,
) -> None:
    """Call `on_change` with the changed files after every save until `stop` is set (or `max_seconds` pass)."""
    stop = stop or threading.Event()
    if max_seconds is not None:
        timer = threading.Timer(max_seconds, stop.set)
        timer.daemon = True
        timer.start()
    started = time.monotonic()
    for changed in changes(folder, interval=interval, stop=stop):
        on_change(changed)
        if max_seconds is not None and time.monotonic() - started > max_seconds:
            break
