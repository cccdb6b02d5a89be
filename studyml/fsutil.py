"""Atomic file replacement: write a temp file beside the target, fsync, os.replace; never leave the temp behind."""

from __future__ import annotations

import errno
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_SUFFIX = ".part"


def fsync_file(path: Path | str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path | str) -> None:
    """Make a rename in `path` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: Path | str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _as_target(e: OSError, target: Path) -> OSError:
    """The error with the target's name, not the temp file's: "Is a directory: ./.x.json.k3j2.part" said nothing
    the learner had typed."""
    if e.errno is None:
        return e
    return type(e)(e.errno, e.strerror, str(target))


def _mkstemp(target: Path, prefix: str | None, suffix: str) -> tuple[int, str]:
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    try:
        return tempfile.mkstemp(dir=target.parent, prefix=prefix or f".{target.name}.", suffix=suffix)
    except OSError as e:
        raise _as_target(e, target) from None


@contextmanager
def atomic_path(target: Path | str, *, prefix: str | None = None, suffix: str = TEMP_SUFFIX) -> Iterator[Path]:
    """Yield a fresh temp path in the target's folder; on success it replaces `target`, on any failure it is removed.

    For writers that want a path (SQLite's backup, genanki). The caller writes and closes the file inside the block.
    """
    target = Path(target)
    fd, tmp = _mkstemp(target, prefix, suffix)
    _hold(fd)  # while this writer lives: a temp file nobody holds was left by a killed one (remove_stale(held=True))
    try:
        yield Path(tmp)
        fsync_file(tmp)
        os.replace(tmp, target)
    except OSError as e:
        _remove(tmp)
        raise (_as_target(e, target) if e.filename == tmp else e) from None
    except BaseException:
        _remove(tmp)
        raise
    finally:
        # After the caller closed its own handle: SQLite's locks are per process, and closing first would free them.
        os.close(fd)
    fsync_dir(target.parent)


def _hold(fd: int) -> None:
    """An exclusive flock on `fd` if the system has them (released when the process ends, however it ends)."""
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError):
        pass  # no flock here (another system, a file system without them): stale temp files go by their age


def _abandoned(path: Path) -> bool | None:
    """Whether no live writer holds the temp file `path` (see _hold); None when that cannot be told."""
    try:
        import fcntl
    except ImportError:
        return None
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # its writer is at work
    except OSError:
        return None
    finally:
        os.close(fd)  # releases the lock just taken
    return True


def atomic_write_bytes(target: Path | str, data: bytes, *, prefix: str | None = None, durable: bool = True) -> None:
    """Replace `target` with `data`: readers see the old or the new content, never a part of it.

    `durable=False` skips the fsyncs (for caches, where a lost write only costs time).
    """
    target = Path(target)
    fd, tmp = _mkstemp(target, prefix, TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as e:
        _remove(tmp)
        raise (_as_target(e, target) if e.filename in (tmp, None) else e) from None
    except BaseException:
        _remove(tmp)
        raise
    if durable:
        fsync_dir(target.parent)


def atomic_write_text(
    target: Path | str, text: str, *, encoding: str = "utf-8", prefix: str | None = None, durable: bool = True
) -> None:
    atomic_write_bytes(target, text.encode(encoding), prefix=prefix, durable=durable)


def remove_stale(directory: Path | str, pattern: str, older_than_s: float = 600.0, held: bool = False) -> list[Path]:
    """Delete temp files matching `pattern` not touched for `older_than_s` (left by a killed writer).

    `held`: every writer of these files holds them while it writes (atomic_path), so one nobody holds is deleted
    whatever its age; one held is never. (A killed backup's copy, as large as the database, stayed 10 minutes.)
    """
    directory = Path(directory)
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    cutoff = time.time() - older_than_s
    for p in directory.glob(pattern):
        try:
            if not p.is_file():
                continue
            left = _abandoned(p) if held else None
            if left or (left is None and p.stat().st_mtime < cutoff):
                p.unlink()
                removed.append(p)
        except OSError:
            continue  # gone already, or not ours to delete
    return removed
