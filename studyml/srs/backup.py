"""Backups of the progress database through SQLite's backup API: taken automatically, thinned, restorable."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from collections.abc import Set
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studyml import paths
from studyml.fsutil import atomic_path, fsync_dir, fsync_file, remove_stale
from studyml.srs.store import (
    APPLICATION_ID,
    RESTORED_SETTING,
    SCHEMA_VERSION,
    CorruptError,
    DiskFullError,
    Store,
    StoreError,
    check_file,
    expected_schema,
    migrate,
    one_line,
    schema_of,
)

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
            t = datetime.strptime(p.name[len(PREFIX) : -len(SUFFIX)], STAMP).replace(tzinfo=UTC)
        except ValueError:
            continue  # not ours: leave it alone
        out.append(BackupInfo(p, t, p.stat().st_size))
    return sorted(out, key=lambda b: b.time, reverse=True)


def _quick_check(conn: sqlite3.Connection) -> str:
    return "; ".join(r[0] for r in conn.execute("PRAGMA quick_check").fetchall())


def _integrity_check(conn: sqlite3.Connection) -> str:
    """A backup's check, made and restored: quick_check does not compare an index with its table, and a database
    whose review index had lost a row passed it, was backed up, and the backup restored (an undo then deleted a
    review of another card). About the time of the copy itself."""
    return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check(3)").fetchall())


class BackupSkipped(StoreError):
    """No backup was taken because there is not enough free space; the database itself is fine."""


# Free space a backup must leave behind: the database needs room to grow, the system needs room to work.
RESERVE_BYTES = 16 * 1024 * 1024


def _db_bytes(db: Path) -> int:
    return sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists())


def check_free_space(db: Path, directory: Path) -> None:
    """Raise BackupSkipped unless a copy of `db` fits in `directory` with RESERVE_BYTES to spare."""
    need = _db_bytes(db)
    free = shutil.disk_usage(directory).free
    if free < need + RESERVE_BYTES:
        mib = 1024 * 1024
        raise BackupSkipped(
            f"backup skipped: {free / mib:.1f} MiB free in {directory}, a backup needs about "
            f"{need / mib:.1f} MiB plus {RESERVE_BYTES // mib} MiB to spare. Free some space; "
            f"the progress database itself is unharmed."
        )


INDEX_ONLY_MEND = (
    "Only an index disagrees with its table: `studyml srs reindex` rebuilds the indexes from the tables, and "
    "nothing in them is lost."
)
_INDEX_PROBLEM = re.compile(r"(missing from|wrong # of entries in|non-unique entry in) index ")


def index_damage_only(verdict: str) -> bool:
    """Whether integrity_check found only indexes that disagree with their tables (REINDEX mends those)."""
    parts = [p.strip() for p in verdict.split(";") if p.strip()]
    return bool(parts) and all(_INDEX_PROBLEM.search(p) for p in parts)


def reindex(store: Store) -> str:
    """Rebuild every index from its table, in one transaction; returns integrity_check's verdict after ("ok")."""
    with store.transaction() as c:
        c.execute("REINDEX")
    return _integrity_check(store.conn)


def _what_is_left(directory: Path) -> str:
    """What a learner whose database is damaged can do, by whether backups exist (it said "the backups you have were
    kept" when there were none)."""
    if list_backups(directory):
        return (
            "The backups you have were kept; restore one with `studyml srs restore FILE` "
            "(list them with `studyml srs backups`)."
        )
    return (
        "There is no backup to restore. The database was left untouched: keep a copy of it (SQLite's "
        "`sqlite3 COPY .recover` can save what is still readable)."
    )


def backup(store: Store | None = None, now: datetime | None = None) -> Path:
    """Copy the live database (WAL included) to a new file in backups/, verified; returns its path.

    Never copies a damaged database (CorruptError) and never leaves a partial file behind (BackupSkipped or
    DiskFullError when space runs short); a `.part` file left by a killed backup is removed here.
    """
    own = store is None
    store = store or Store()
    try:
        now = now or datetime.now(UTC)
        directory = backups_dir(store.path)
        directory.mkdir(parents=True, exist_ok=True)
        remove_stale(directory, "*.part", held=True)  # every backup holds its copy while it writes it
        for journal in directory.glob("*.part-journal"):  # SQLite's journal of a copy that is gone
            if not journal.with_name(journal.name.removesuffix("-journal")).exists():
                journal.unlink(missing_ok=True)
        verdict = store.verdict(wait=True)
        if verdict != "ok":
            raise CorruptError(
                f"no backup was taken: the progress database {store.path} is damaged ({one_line(verdict or 'unknown')}). "
                + _what_is_left(directory)
            )
        check_free_space(store.path, directory)
        target = directory / f"{PREFIX}{now.astimezone(UTC).strftime(STAMP)}{SUFFIX}"
        with atomic_path(target, prefix=target.name + ".") as tmp:
            dst = sqlite3.connect(tmp)
            try:
                store.conn.backup(dst)
                # A rollback-journal copy is one self-contained file: no -wal/-shm appear beside it when read.
                dst.execute("PRAGMA journal_mode = DELETE")
                # Checking the copy checks what was read from the source too.
                result = _integrity_check(dst)
            finally:
                dst.close()
            if result != "ok":
                # An index that disagrees with its table passes the check at open, so the app goes on: say how to
                # mend it, or every start and exit refused a backup with no way out.
                mend = INDEX_ONLY_MEND if index_damage_only(result) else _what_is_left(directory)
                raise CorruptError(
                    f"no backup was taken: the progress database {store.path} failed its check "
                    f"({one_line(result)}). " + mend
                )
        return target
    except sqlite3.DatabaseError as e:
        if (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF == 13 or "full" in str(e):
            raise DiskFullError(
                f"backup failed: the disk holding {backups_dir(store.path)} is full; no partial "
                f"backup was left. Free some space; the progress database itself is unharmed."
            ) from e
        raise CorruptError(
            f"no backup was taken: reading {store.path} failed ({e}). " + _what_is_left(backups_dir(store.path))
        ) from e
    except OSError as e:
        if e.errno == 28:  # ENOSPC
            raise DiskFullError(
                f"backup failed: the disk holding {backups_dir(store.path)} is full; no partial "
                f"backup was left. Free some space; the progress database itself is unharmed."
            ) from e
        raise StoreError(f"backup failed: {e.strerror or e}: {e.filename or backups_dir(store.path)}") from e
    finally:
        if own:
            store.close()


def thin(
    directory: Path | None = None, now: datetime | None = None, keep_recent: int = 10, days: int = 7, weeks: int = 8
) -> list[Path]:
    """Keep the newest `keep_recent`, the newest of each of the last `days` days and `weeks` weeks; delete the rest."""
    now = now or datetime.now(UTC)
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


def auto_backup(
    store: Store | None = None, now: datetime | None = None, every: timedelta = timedelta(hours=6)
) -> Path | None:
    """Back up if the newest backup is older than `every`, then thin; the UI calls this at start and exit."""
    now = now or datetime.now(UTC)
    db = store.path if store is not None else paths.db_path()
    # A killed restore's copy (as large as the database) waited for the next restore; one this old is nobody's.
    remove_stale(db.parent, f"{db.name}.restoring*")
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
            result = _integrity_check(conn)
            held = schema_of(conn) if result == "ok" and 1 <= version <= SCHEMA_VERSION else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{file} is not a readable database ({e})") from e
    if result != "ok":
        raise StoreError(f"{file} is damaged ({result}); choose another backup")
    if version > SCHEMA_VERSION:
        raise StoreError(f"{file} was written by a newer studyml (schema {version}); upgrade studyml first")
    # Its tables as studyml makes them, and nothing more: a file with studyml's id but missing tables failed half way
    # through the restore ("no such table: settings"), and one with a trigger of its own was restored, the trigger
    # deleting every review the next sync merged.
    expected = expected_schema(version) if held is not None else frozenset()
    if held is None or held != expected:
        held = held or set()
        missing, extra = expected - held, held - expected
        # An object of studyml's name made another way: its definition is missing, and one not studyml's is there.
        both = {(o[1], o[2]) for o in missing if o[0] == "sql"} & {(o[1], o[2]) for o in extra if o[0] == "sql"}
        changed = {o for o in missing | extra if o[0] == "sql" and (o[1], o[2]) in both}
        missing, extra = missing - changed, extra - changed
        said = (
            ([f"missing {_listed(missing)}"] if missing else [])
            + ([f"made another way: {_listed(changed)}"] if changed else [])
            + ([f"not studyml's: {_listed(extra)}"] if extra else [])
        )
        raise StoreError(
            f"{file} is not a studyml backup: it does not hold the tables studyml writes"
            + (f" ({'; '.join(said)})" if said else "")
            + "; nothing was changed. Choose a backup studyml made (`studyml srs backups` lists them)"
        )


_ORDER = {"table": 0, "column": 1, "index": 2, "trigger": 3, "view": 4}


def _listed(objects: Set[tuple], most: int = 3) -> str:
    """Schema objects (see store.schema_of) as a reader names them, tables first: `table x, column reviews.uuid, …`.
    A table named needs none of its columns named, and an object named none of its definition."""
    plain = {(o[0], o[1]) for o in objects if o[0] != "sql"}
    tables = {name for kind, name in plain if kind == "table"}
    labels = set()
    for o in objects:
        if o[0] == "sql":
            if (o[1], o[2]) not in plain:
                labels.add((_ORDER.get(o[1], 5), f"{o[1]} {o[2]}"))
        elif o[0] == "column":
            if o[1] not in tables:
                labels.add((1, f"column {o[1]}.{o[2]}"))
        else:
            labels.add((_ORDER.get(o[0], 5), f"{o[0]} {o[1]}"))
    shown = [name for _, name in sorted(labels)]
    return ", ".join(shown[:most]) + (", …" if len(shown) > most else "")


class RestoreRefused(StoreError):
    """The restore did not start (another studyml holds the database); nothing was changed."""


def _quiesce(db: Path) -> sqlite3.Connection | None:
    """Lock a readable studyml database for the swap: its WAL checkpointed into the file and emptied, and the
    write lock held, so no process appends to a WAL that would then sit beside the restored file.

    Returns the connection holding the lock, or None for a database that cannot be opened (it is moved aside
    as it is, WAL and all). Raises RestoreRefused when another process keeps the WAL from being emptied.
    """
    if not db.exists() or db.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(db.resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None, timeout=10.0)
    except sqlite3.Error:
        return None
    try:
        # A foreign or damaged database is moved aside exactly as it is (its WAL too), never checkpointed.
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID or _quick_check(conn) != "ok":
            conn.close()
            return None
        busy, log, done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            conn.close()
            raise RestoreRefused(
                f"not restored: another studyml is reading {db} right now (a second window or "
                f"command); nothing was changed. Close it, or wait a moment, and try again."
            )
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        conn.close()
        if "locked" in str(e) or "busy" in str(e):
            raise RestoreRefused(
                f"not restored: another studyml is writing to {db}; nothing was changed. Try again in a moment."
            ) from e
        return None
    except sqlite3.DatabaseError:
        conn.close()
        return None
    return conn


def restore(file: Path | str, db: Path | None = None, now: datetime | None = None) -> Path | None:
    """Make `file` the progress database, atomically: killed at any point, `db` is the old or the new database.

    The backup is copied to a temp file beside `db` and fsynced, the current database gets a second name
    (`….before-restore-STAMP`, a hard link: never deleted, even if unreadable), and one os.replace swaps the
    copy in. An app that has the database open notices the new file before its next write and reopens it.
    Returns where the previous database was kept (None if there was none).
    """
    file = Path(file)
    db = db or paths.db_path()
    validate_backup(file)
    now = now or datetime.now(UTC)
    stamp = now.astimezone(UTC).strftime(STAMP)
    aside = db.with_name(f"{db.name}.before-restore-{stamp}")
    remove_stale(db.parent, f"{db.name}.restoring*", older_than_s=0)  # left by a killed restore: never in use
    tmp = db.with_name(db.name + ".restoring")
    src = sqlite3.connect(file.resolve().as_uri() + "?mode=ro", uri=True)
    dst = sqlite3.connect(tmp, isolation_level=None)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, whatever -wal sits beside it
        dst.execute("BEGIN IMMEDIATE")
        # An older schema is brought to this one first (schema 1 had no settings table: the restore failed half way).
        migrate(dst, dst.execute("PRAGMA user_version").fetchone()[0])
        # When it was restored: its device's sync file holds the reviews made before it, which it lacks; a review
        # there made after it is another install's (see sync._another_writer).
        dst.execute(
            "INSERT OR REPLACE INTO settings VALUES (?, ?)",
            (RESTORED_SETTING, json.dumps(int(now.timestamp() * 1000))),
        )
        dst.execute("COMMIT")
    except BaseException:
        dst.close()
        tmp.unlink(missing_ok=True)  # a copy that failed half way is no one's: it was left beside the database
        raise
    finally:
        src.close()
        dst.close()
    fsync_file(tmp)
    lock = _quiesce(db)
    try:
        kept = None
        if db.exists():
            _second_name(db, aside)
            kept = aside
            if lock is None:
                # Unreadable: its WAL (if any) goes with it, or SQLite would replay it into the restored file.
                for suffix in ("-wal", "-shm"):
                    if Path(str(db) + suffix).exists():
                        os.replace(Path(str(db) + suffix), Path(str(aside) + suffix))
        os.replace(tmp, db)
        fsync_dir(db.parent)
    finally:
        if lock is not None:
            try:
                lock.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            lock.close()
        if tmp.exists():
            tmp.unlink()
    return kept


def _second_name(db: Path, aside: Path) -> None:
    """Keep the current database's bytes under `aside` without ever taking them away from `db`."""
    try:
        os.link(db, aside)
    except OSError:  # no hard links here (some file systems): a full, fsynced copy instead
        shutil.copyfile(db, aside)
        fsync_file(aside)
