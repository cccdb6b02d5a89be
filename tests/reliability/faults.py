"""Ways to break a progress database, as a reliability engineer would: shared by the tests and the fault matrix."""

from __future__ import annotations

import errno
import os
import random
import sqlite3
import subprocess
import sys
from datetime import UTC
from pathlib import Path

from studyml.srs.store import SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parents[2]


def seeded_db(path: Path, cards: int = 400, pack: str = "p") -> None:
    """A real progress database with enough reviews to span many pages (so the middle is data, not free space)."""
    from datetime import datetime, timedelta

    from studyml.srs.scheduler import Scheduler

    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    with Store(path) as store:
        srs = Scheduler(store)
        store.conn.execute("PRAGMA synchronous = OFF")  # only to build it fast
        for i in range(cards):
            srs.review(pack, f"card-{i:04d}", 1 + i % 4, now=t0 + timedelta(minutes=i), pack_version="1.0.0")


def not_sqlite(path: Path) -> None:
    path.write_bytes(b"These are not the bytes of a database.\n" * 50)


def truncated(path: Path) -> None:
    seeded_db(path)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.truncate(max(4096 + 100, size // 3))


def newer_schema(path: Path) -> None:
    with Store(path) as store:
        store.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")


def foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos(name) VALUES ('cat.jpg')")
    conn.commit()
    conn.close()


def random_middle(path: Path, nbytes: int = 4096, seed: int = 7) -> None:
    """`dd` 4 KB of random bytes into the middle of the file (conv=notrunc), as a failing disk might."""
    size = path.stat().st_size
    assert size > 3 * nbytes, "the database is too small to corrupt its middle"
    data = random.Random(seed).randbytes(nbytes)
    with open(path, "r+b") as f:
        f.seek((size // 2) // 4096 * 4096)
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


UNOPENABLE = {
    "not-sqlite": not_sqlite,
    "truncated": truncated,
    "newer-schema": newer_schema,
    "foreign-sqlite": foreign_sqlite,
}
UNOPENABLE_SAYS = {  # what the learner is told for each
    "not-sqlite": "not a database",
    "truncated": "corrupt or unreadable",
    "newer-schema": "newer studyml",
    "foreign-sqlite": "not a studyml progress database",
}


def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def sqlite_full() -> sqlite3.OperationalError:
    e = sqlite3.OperationalError("database or disk is full")
    e.sqlite_errorcode = 13  # SQLITE_FULL, as SQLite sets it
    e.sqlite_errorname = "SQLITE_FULL"
    return e


class FullOnInsert:
    """A connection whose review INSERT fails as SQLite does on a full disk (the seam is the store's connection)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, *args):
        if sql.lstrip().startswith("INSERT INTO reviews"):
            raise sqlite_full()
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def can_mount_tmpfs() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and Path("/proc/mounts").exists()


def mount_tmpfs(folder: Path, size: str = "2m") -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if not can_mount_tmpfs():
        return False
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True
    )
    return r.returncode == 0


def umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill_disk(folder: Path, leave: int = 0) -> Path:
    """Fill the file system holding `folder` until fewer than `leave` bytes are free."""
    import shutil

    filler = folder / "filler"
    with open(filler, "wb") as f:
        chunk = b"\0" * 65536
        while shutil.disk_usage(folder).free > leave + len(chunk):
            try:
                f.write(chunk)
                f.flush()
            except OSError:
                break
        while True:
            try:
                free = shutil.disk_usage(folder).free
                if free <= leave:
                    break
                f.write(b"\0" * max(1, min(4096, free - leave)))
                f.flush()
            except OSError:
                break
    return filler


def python_as_nobody() -> list[str] | None:
    """A command line that runs Python as `nobody` with this checkout importable, or None if that cannot be done."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not Path("/usr/bin/python3").exists():
        return None
    site = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"), None)
    if site is None:
        return None
    code = "import sys; print(sys.version_info[:2])"
    probe = subprocess.run(
        ["su", "nobody", "-s", "/bin/sh", "-c", f"/usr/bin/python3 -c '{code}'"], capture_output=True, text=True
    )
    if probe.returncode != 0 or probe.stdout.strip() != str(tuple(sys.version_info[:2])):
        return None
    return [
        "su",
        "nobody",
        "-s",
        "/bin/sh",
        "-c",
        f'PYTHONDONTWRITEBYTECODE=1 PYTHONPATH={ROOT}:{site} /usr/bin/python3 "$0" "$@"',
    ]
