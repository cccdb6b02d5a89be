"""Backups of the progress database through SQLite's backup API: taken automatically, thinned, restorable."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from studyml import paths
from studyml.srs.store import APPLICATION_ID, SCHEMA_VERSION, Store, StoreError, check_file

PREFIX, SUFFIX = "progress-", ".sqlite3"
STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass
class BackupInfo:
    path: Path
    time: datetime
    size: int

    def to_dict(self) -> dict:
        return {"path": str(self.path), "time": self.time.isoformat(), "size": self.size}


def backups_dir(db: Path | None = None) -> Path:
    return (db or paths.db_path()).parent / "backups"


def list_backups(directory: Path | None = None) -> list[BackupInfo]:
    """Backups, newest first."""
    directory = directory or backups_dir()
    out = []
    for p in directory.glob(f"{PREFIX}*{SUFFIX}") if directory.is_dir() else []:
        try:
            t = datetime.strptime(p.name[len(PREFIX):-len(SUFFIX)], STAMP).replace(tzinfo=timezone.utc)
        except ValueError:
            continue  # not ours: leave it alone
        out.append(BackupInfo(p, t, p.stat().st_size))
    return sorted(out, key=lambda b: b.time, reverse=True)


def _quick_check(conn: sqlite3.Connection) -> str:
    return "; ".join(r[0] for r in conn.execute("PRAGMA quick_check").fetchall())


def backup(store: Store | None = None, now: datetime | None = None) -> Path:
    """Copy the live database (WAL included) to a new file in backups/, verified; returns its path."""
    own = store is None
    store = store or Store()
    try:
        now = now or datetime.now(timezone.utc)
        directory = backups_dir(store.path)
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"{PREFIX}{now.astimezone(timezone.utc).strftime(STAMP)}{SUFFIX}"
        tmp = target.with_name(target.name + ".part")
        dst = sqlite3.connect(tmp)
        try:
            store.conn.backup(dst)
            # A rollback-journal copy is one self-contained file: no -wal/-shm appear beside it when read.
            dst.execute("PRAGMA journal_mode = DELETE")
            # Checking the copy checks what was read from the source too.
            result = _quick_check(dst)
        finally:
            dst.close()
        if result != "ok":
            tmp.unlink()
            raise StoreError(f"the progress database failed its check ({result}); no backup was taken")
        _fsync(tmp)
        os.replace(tmp, target)
        return target
    except sqlite3.DatabaseError as e:
        raise StoreError(f"backup failed: {e}") from e
    finally:
        if own:
            store.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def thin(directory: Path | None = None, now: datetime | None = None, keep_recent: int = 10, days: int = 7,
         weeks: int = 8) -> list[Path]:
    """Keep the newest `keep_recent`, the newest of each of the last `days` days and `weeks` weeks; delete the rest."""
    now = now or datetime.now(timezone.utc)
    backups = list_backups(directory)
    keep = {b.path for b in backups[:keep_recent]}
    seen_days: set = set()
    seen_weeks: set = set()
    for b in backups:  # newest first, so the first of each day/week is its newest
        age = now - b.time
        day = b.time.date()
        week = b.time.isocalendar()[:2]
        if age < timedelta(days=days) and day not in seen_days:
            seen_days.add(day)
            keep.add(b.path)
        if age < timedelta(weeks=weeks) and week not in seen_weeks:
            seen_weeks.add(week)
            keep.add(b.path)
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink()
            removed.append(b.path)
    return removed


def auto_backup(store: Store | None = None, now: datetime | None = None,
                every: timedelta = timedelta(hours=6)) -> Path | None:
    """Back up if the newest backup is older than `every`, then thin; the UI calls this at start and exit."""
    now = now or datetime.now(timezone.utc)
    db = store.path if store is not None else paths.db_path()
    existing = list_backups(backups_dir(db))
    if existing and now - existing[0].time < every:
        return None
    path = backup(store, now)
    thin(backups_dir(db), now)
    return path


def validate_backup(file: Path) -> None:
    """Raise StoreError unless `file` is a readable studyml database this version can use."""
    if not file.is_file():
        raise StoreError(f"no such backup: {file}")
    try:
        check_file(file)
    except StoreError:
        raise StoreError(f"{file} is not a studyml backup (not an SQLite database)") from None
    try:
        conn = sqlite3.connect(file.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise StoreError(f"{file} is not a studyml backup (another program's database)")
            result = _quick_check(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{file} is not a readable database ({e})") from e
    if result != "ok":
        raise StoreError(f"{file} is damaged ({result}); choose another backup")
    if version > SCHEMA_VERSION:
        raise StoreError(f"{file} was written by a newer studyml (schema {version}); upgrade studyml first")


def restore(file: Path | str, db: Path | None = None, now: datetime | None = None) -> Path:
    """Make `file` the progress database. The current one (even if unreadable) is moved aside, never deleted.

    Returns where the previous database was moved. Close every Store on the database first.
    """
    file = Path(file)
    db = db or paths.db_path()
    validate_backup(file)
    now = now or datetime.now(timezone.utc)
    stamp = now.astimezone(timezone.utc).strftime(STAMP)
    aside = db.with_name(f"{db.name}.before-restore-{stamp}")
    tmp = db.with_name(db.name + ".restoring")
    src = sqlite3.connect(file.resolve().as_uri() + "?mode=ro", uri=True)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        src.close()
        dst.close()
    _fsync(tmp)
    # The old -wal/-shm belong to the old file: they move with it, or SQLite would replay them into the restored one.
    for suffix in ("", "-wal", "-shm"):
        old = Path(str(db) + suffix)
        if old.exists():
            os.replace(old, Path(str(aside) + suffix))
    os.replace(tmp, db)
    return aside
