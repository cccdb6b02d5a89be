"""The progress database: SQLite in the data dir, WAL, one transaction per review, versioned schema."""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final, TypedDict

from studyml import paths

APPLICATION_ID = 0x53544D4C  # "STML": tells our database apart from any other SQLite file
SQLITE_HEADER = b"SQLite format 3\x00"

# State numbers are fsrs.State's (kept here so the store never needs fsrs).
LEARNING: Final = 1
REVIEW: Final = 2
RELEARNING: Final = 3
MASTERED_STABILITY_DAYS = 21.0  # Anki's "mature": an interval of three weeks or more
BUSY_WAIT_MS = 10_000  # how long a write waits for another to end before it gives up
BULK_REVIEWS = 10_000  # reviews added at once from which an index is cheaper to build again (see adding_reviews)

# Each entry upgrades the schema from version i to i + 1; never edit a released entry, append.
MIGRATIONS: list[str] = [
    # 1: progress, the review log, quiz attempts, demo runs
    """
    CREATE TABLE progress(
        pack_id TEXT NOT NULL, card_id TEXT NOT NULL,
        state INTEGER NOT NULL, step INTEGER, stability REAL, difficulty REAL,
        due_ms INTEGER NOT NULL, last_review_ms INTEGER,
        PRIMARY KEY (pack_id, card_id)
    ) WITHOUT ROWID;
    CREATE TABLE reviews(
        id INTEGER PRIMARY KEY,
        time_ms INTEGER NOT NULL, pack_id TEXT NOT NULL, pack_version TEXT NOT NULL DEFAULT '',
        card_id TEXT NOT NULL, rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        duration_ms INTEGER, state_after TEXT NOT NULL, state_before TEXT
    );
    CREATE TABLE quiz_attempts(
        id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, pack_id TEXT NOT NULL,
        item_id TEXT NOT NULL, card_id TEXT, answer TEXT, correct INTEGER NOT NULL
    );
    CREATE TABLE demo_runs(
        id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, plugin_id TEXT NOT NULL,
        params TEXT NOT NULL, claims TEXT NOT NULL, duration_ms REAL, ok INTEGER NOT NULL
    );
    """,
    # 2: settings, review identity for merging imports, counters kept on progress, indexes for the queue
    """
    CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    ALTER TABLE progress ADD COLUMN reps INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE progress ADD COLUMN lapses INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE progress ADD COLUMN first_review_ms INTEGER;
    UPDATE progress SET
        reps = (SELECT count(*) FROM reviews r WHERE r.pack_id = progress.pack_id AND r.card_id = progress.card_id),
        first_review_ms = (SELECT min(time_ms) FROM reviews r
                           WHERE r.pack_id = progress.pack_id AND r.card_id = progress.card_id);
    CREATE UNIQUE INDEX reviews_identity ON reviews(pack_id, card_id, time_ms, rating);
    CREATE INDEX reviews_time ON reviews(time_ms);
    CREATE INDEX progress_due ON progress(pack_id, due_ms);
    CREATE UNIQUE INDEX quiz_identity ON quiz_attempts(pack_id, item_id, time_ms);
    CREATE UNIQUE INDEX demo_identity ON demo_runs(plugin_id, time_ms);
    -- The review log is history: nothing edits it (undo deletes the one row it undoes).
    CREATE TRIGGER reviews_append_only BEFORE UPDATE ON reviews
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
    """,
    # 3: where a review came from (a card or a quiz answer), card actions (suspend, bury, flag), the
    # drawn variant and details of a quiz attempt, and record identities that survive a sync between devices
    """
    ALTER TABLE reviews ADD COLUMN source TEXT NOT NULL DEFAULT 'card';
    ALTER TABLE reviews ADD COLUMN uuid TEXT;
    ALTER TABLE progress ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE progress ADD COLUMN buried_until_ms INTEGER;
    ALTER TABLE progress ADD COLUMN flag INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE quiz_attempts ADD COLUMN seed INTEGER;
    ALTER TABLE quiz_attempts ADD COLUMN detail TEXT;
    ALTER TABLE quiz_attempts ADD COLUMN uuid TEXT;
    ALTER TABLE demo_runs ADD COLUMN uuid TEXT;
    CREATE UNIQUE INDEX reviews_uuid ON reviews(uuid) WHERE uuid IS NOT NULL;
    CREATE UNIQUE INDEX quiz_uuid ON quiz_attempts(uuid) WHERE uuid IS NOT NULL;
    CREATE UNIQUE INDEX demo_uuid ON demo_runs(uuid) WHERE uuid IS NOT NULL;
    """,
    # 4: review ids are never reused (AUTOINCREMENT: sync sends "every id above the last one sent", and undo
    # deletes a row), an undone review is kept as a tombstone (undone_reviews) so sync can tell the devices that
    # already have it, and a received review's uuid is no longer indexed (a review is identified by its pack, card,
    # time and rating, reviews_identity; its uuid is derived from them and nothing looks a review up by it).
    # SQLite adds AUTOINCREMENT only by rebuilding the table: every row is copied with its id.
    # undone_reviews: the undone review's identity (uuid = review_uuid of the four next columns), when it was undone,
    # the row id and state_after it had in this log (NULL: it never reached this device; its state_after is kept so a
    # later review that names it as `prev` in a sync file still finds its state), whether it had come from
    # another device (received), and whether it was undone here (here = 1) or read from another device's file.
    """
    CREATE TABLE reviews_v4(
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time_ms INTEGER NOT NULL, pack_id TEXT NOT NULL, pack_version TEXT NOT NULL DEFAULT '',
        card_id TEXT NOT NULL, rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        duration_ms INTEGER, state_after TEXT NOT NULL, state_before TEXT,
        source TEXT NOT NULL DEFAULT 'card', uuid TEXT
    );
    INSERT INTO reviews_v4 (id, time_ms, pack_id, pack_version, card_id, rating, duration_ms, state_after,
                            state_before, source, uuid)
        SELECT id, time_ms, pack_id, pack_version, card_id, rating, duration_ms, state_after, state_before,
               source, uuid FROM reviews ORDER BY id;
    DROP TABLE reviews;
    ALTER TABLE reviews_v4 RENAME TO reviews;
    CREATE UNIQUE INDEX reviews_identity ON reviews(pack_id, card_id, time_ms, rating);
    CREATE INDEX reviews_time ON reviews(time_ms);
    -- The review log is history: nothing edits it (undo deletes the one row it undoes, and keeps a tombstone).
    CREATE TRIGGER reviews_append_only BEFORE UPDATE ON reviews
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
    CREATE TABLE undone_reviews(
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        uuid TEXT NOT NULL UNIQUE,
        pack_id TEXT NOT NULL, card_id TEXT NOT NULL, time_ms INTEGER NOT NULL, rating INTEGER NOT NULL,
        undone_ms INTEGER NOT NULL,
        review_id INTEGER, state_after TEXT,
        received INTEGER NOT NULL DEFAULT 0,
        here INTEGER NOT NULL DEFAULT 1
    );
    CREATE UNIQUE INDEX undone_identity ON undone_reviews(pack_id, card_id, time_ms, rating);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The progress database cannot be used; the message says why and what to do."""


class ReadOnlyError(StoreError):
    """The database file or its folder cannot be written (permissions, a read-only mount)."""


class DiskFullError(StoreError):
    """The disk holding the database is full; the write was rolled back, nothing was lost."""


class NotLatest(StoreError):
    """An undo refused: the review is no longer its card's latest (another window or device rated the card after
    it), or no longer in the log (`gone`: undone elsewhere, or a restore took it back)."""

    def __init__(self, message: str, gone: bool = False) -> None:
        super().__init__(message)
        self.gone = gone


class BusyError(StoreError):
    """Another write (a sync, another window or command) held the database longer than this one would wait."""


class CorruptError(StoreError):
    """The database is damaged; it is left untouched and nothing is written to it."""


# SQLite primary result codes (the low byte of the extended code).
_SQLITE_BUSY, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = (
    5,
    8,
    10,
    11,
    13,
    14,
    26,
)


@dataclass
class CardState:
    """Scheduling state of one card, keyed by (pack id, card id); times are UTC epoch milliseconds."""

    pack_id: str
    card_id: str
    state: int = LEARNING
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due_ms: int = 0
    last_review_ms: int | None = None
    reps: int = 0
    lapses: int = 0
    first_review_ms: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> CardState:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})

    @property
    def is_new(self) -> bool:
        return self.last_review_ms is None


@dataclass
class Review:
    """One row of the review log."""

    time_ms: int
    pack_id: str
    card_id: str
    rating: int
    pack_version: str = ""
    duration_ms: int | None = None
    state_after: dict = field(default_factory=dict)
    state_before: dict | None = None
    id: int | None = None
    source: str = "card"  # "card": rated while studying; "quiz": a quiz answer that reviewed its card


class QuizAttempt(TypedDict):
    """The keyword arguments of one quiz attempt (Store.record_quiz), carried along with its review."""

    pack_id: str
    item_id: str
    card_id: str | None
    answer: object
    correct: bool
    time_ms: int
    seed: int | None
    detail: dict | None


@dataclass
class Counts:
    cards: int
    due: int
    new: int
    learned: int
    mastered: int
    due_reviews: int = 0  # of `due`, the cards in review (what the daily review limit holds back)

    @property
    def mastery(self) -> float:
        return self.mastered / self.cards if self.cards else 0.0


def now_ms() -> int:
    return time.time_ns() // 1_000_000


RECORD_NAMESPACE = uuid.UUID("5f0c7a0e-3f5e-4d0b-9d43-7a3c2b1f6e10")  # namespace of record identities (see sync)


def review_uuid(pack_id: str, card_id: str, time_ms: int, rating: int) -> str:
    """A review's identity: the same on every device, so a review merged twice is stored once."""
    return str(uuid.uuid5(RECORD_NAMESPACE, f"review\x1f{pack_id}\x1f{card_id}\x1f{time_ms}\x1f{rating}"))


_PROGRESS_COLS = (
    "pack_id, card_id, state, step, stability, difficulty, due_ms, last_review_ms, reps, lapses, first_review_ms"
)


def _restore_hint(path: Path) -> str:
    from studyml.srs.backup import list_backups

    backups = list_backups(path.parent / "backups")
    if not backups:
        return f"No backups found in {path.parent / 'backups'}. Move {path.name} aside to start afresh."
    newest = backups[0].path
    return f"Restore a backup with `studyml srs restore {newest}` (list them with `studyml srs backups`)."


def _read_only_message(path: Path, what: Path, action: str = "progress cannot be saved") -> str:
    # Every file of the three that stands in the way, not only the first: SQLite makes -wal and -shm with the
    # database's mode, so a database of mode 444 that was read leaves two more, and the learner who did as told
    # (`chmod u+w` the database) was told the next one, and then the third.
    files = [f for f in (path, beside(path, "-wal"), beside(path, "-shm")) if f.exists() and not os.access(f, os.W_OK)]
    blockers = list(dict.fromkeys(([what] if what == path.parent or not files else []) + files))
    names = ", ".join(str(b) for b in blockers[:-1]) + (" and " if len(blockers) > 1 else "") + str(blockers[-1])
    return (
        f"the progress database {path} is read-only: {names} cannot be written by this user, so {action}. "
        f"Make {'them' if len(blockers) > 1 else 'it'} writable (e.g. `chmod u+w {' '.join(map(str, blockers))}`) "
        "or set STUDYML_HOME to a writable folder."
    )


def beside(path: Path, suffix: str) -> Path:
    """The database's -wal or -shm file."""
    return path.with_name(path.name + suffix)


def read_only_reason(path: Path) -> Path | None:
    """The file or folder that makes the database read-only for this process, or None if it is writable."""
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        return path
    # WAL needs to create -wal and -shm files beside the database.
    if not os.access(folder, os.W_OK | os.X_OK):
        return folder
    # ... or to write them: a read-only run can leave a -shm of mode 444 behind, and the message named the database
    # (already writable) while the -shm was what stood in the way.
    for side in (beside(path, "-wal"), beside(path, "-shm")):
        if side.exists() and not os.access(side, os.W_OK):
            return side
    return None


def missing_hint(path: Path) -> str | None:
    """A message when the database is missing but backups or a moved-aside copy show there was one."""
    from studyml.srs.backup import list_backups

    aside = sorted(path.parent.glob(f"{path.name}.before-restore-*"))
    backups = list_backups(path.parent / "backups")
    if not backups and not aside:
        return None
    where = f"backups in {path.parent / 'backups'}" if backups else f"{aside[-1]}"
    return (
        f"the progress database {path} is missing, but {where} exist; an empty one was not created in its place. "
        f"{_restore_hint(path) if backups else f'Move {aside[-1].name} back to {path.name}.'} "
        f"To start afresh instead, move the backups folder and any {path.name}.before-restore-* files aside."
    )


def check_file(path: Path) -> None:
    """Refuse, without writing a byte, a file that is not an SQLite database."""
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except FileNotFoundError:
        return
    except PermissionError as e:
        raise StoreError(
            f"cannot read the progress database {path}: permission denied. "
            f"Give this user read and write access to it (e.g. `chmod u+rw {path}`)."
        ) from e
    except OSError as e:
        raise StoreError(f"cannot read the progress database {path}: {e.strerror}. {_restore_hint(path)}") from e
    if not head:
        from studyml.srs.backup import list_backups

        # Empty is how a fresh database starts; with backups around, it is one that lost its contents.
        if list_backups(path.parent / "backups"):
            raise StoreError(
                f"the progress database {path} is empty but backups exist; it was left untouched. {_restore_hint(path)}"
            )
        return
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        raise StoreError(
            f"the progress database {path} is corrupt or not a database; it was left untouched. {_restore_hint(path)}"
        )


class Store:
    """One connection to the progress database; every write is its own transaction.

    Safety nets around every write: the database must be writable, must have passed the integrity check
    started in the background when it was opened, and must still be the file at `path` (a restore replaces
    it: the store then reopens the new one instead of writing into the old one).
    """

    def __init__(self, path: Path | str | None = None, *, check: bool = False) -> None:
        self.path = Path(path) if path is not None else paths.db_path()
        self.read_only: str | None = None  # why writes are refused, when the file or its folder is read-only
        self._generation = 0  # bumped on every reopen, so readers notice a replaced database
        self._gone: str | None = None  # set while the file at `path` is missing after having been open
        self._connect(check)

    # -- opening ------------------------------------------------------------------------------

    def _connect(self, check: bool) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(
                f"cannot create the data folder {self.path.parent}: {e.strerror}. "
                f"Set STUDYML_HOME to a writable folder."
            ) from e
        check_file(self.path)
        exists = self.path.exists() and self.path.stat().st_size > 0
        if not self.path.exists():
            hint = missing_hint(self.path)
            if hint:
                raise StoreError(hint)
        blocker = read_only_reason(self.path)
        self.read_only = _read_only_message(self.path, blocker) if blocker else None
        if blocker and not exists:
            raise ReadOnlyError(_read_only_message(self.path, blocker, "no database can be created there"))
        try:
            self._conn = self._sqlite("mode=" + ("ro" if blocker else ("rw" if exists else "rwc")))
        except sqlite3.Error as e:
            raise StoreError(f"cannot open the progress database {self.path}: {e}. {_restore_hint(self.path)}") from e
        try:
            self._open(exists, check)
        except sqlite3.OperationalError as e:
            self._conn.close()
            if blocker:  # a WAL database cannot even be read without creating -shm beside it: read it whole
                if not (exists and self._open_immutable(check, _read_only_message(self.path, blocker))):
                    raise ReadOnlyError(_read_only_message(self.path, blocker, "it cannot be opened")) from e
            else:
                explained = self.explain(e)
                full = f"the disk holding {self.path.parent} is full. Free some space and try again"
                if isinstance(explained, DiskFullError) and exists and self._open_immutable(check, full):
                    pass  # reads work (stats, exports); every write says the disk is full
                elif isinstance(explained, StoreError):
                    raise explained from e
                else:
                    raise StoreError(
                        f"cannot open the progress database {self.path}: {e}. {_restore_hint(self.path)}"
                    ) from e
        except BaseException:
            self._conn.close()
            raise
        st = os.stat(self.path)
        self._identity = (st.st_dev, st.st_ino)
        self._seen_version = (self._generation, self._data_version())
        self._start_check(exists and not check)

    def _sqlite(self, query: str) -> sqlite3.Connection:
        return sqlite3.connect(self.path.resolve().as_uri() + "?" + query, uri=True, isolation_level=None, timeout=10.0)

    def _open_immutable(self, check: bool, why: str) -> bool:
        """Open for reading only when no -shm can be made beside the database, which a WAL database needs even to be
        read: a full disk, or a read-only folder. `stats` and `export json` failed, so the learner could not get their
        data out. With no -wal beside it (the last writer closed cleanly), the file is the whole database: opened
        immutable it needs no -shm. With a -wal, whose commits the file alone lacks, it is not. `why`: what every
        write then says."""
        wal = beside(self.path, "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return False
        self._conn = self._sqlite("mode=ro&immutable=1")
        self.read_only = why
        try:
            self._open(True, check)
        except BaseException:
            self._conn.close()
            raise
        return True

    def _open(self, exists: bool, check: bool) -> None:
        c = self._conn
        try:
            # Reads only until the database has proved to be ours and readable.
            app_id = c.execute("PRAGMA application_id").fetchone()[0]
            version = c.execute("PRAGMA user_version").fetchone()[0]
            tables = c.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if check:
                result = c.execute("PRAGMA quick_check").fetchall()
                if result != [("ok",)]:
                    raise sqlite3.DatabaseError("; ".join(r[0] for r in result[:3]))
        except sqlite3.OperationalError as e:
            if _code(e) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
                raise self._corrupt(str(e)) from e
            raise
        except sqlite3.DatabaseError as e:
            raise self._corrupt(str(e)) from e
        if exists and tables and app_id != APPLICATION_ID:
            raise StoreError(
                f"{self.path} is an SQLite file but not a studyml progress database; it was left untouched."
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the progress database {self.path} was written by a newer studyml (schema {version}, "
                f"this version knows up to {SCHEMA_VERSION}); upgrade studyml to use it. It was left untouched."
            )
        c.execute(f"PRAGMA busy_timeout = {BUSY_WAIT_MS}")
        if self.read_only:
            if version < SCHEMA_VERSION:
                raise ReadOnlyError(
                    _read_only_message(
                        self.path,
                        read_only_reason(self.path) or self.path,
                        "it cannot be upgraded to this version's schema",
                    )
                )
            return
        if c.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise StoreError(f"cannot switch {self.path} to WAL mode (is the file system read-only?)")
        c.execute("PRAGMA synchronous = FULL")
        c.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            self._migrate(version)

    def _corrupt(self, detail: str) -> CorruptError:
        detail = one_line(detail)
        return CorruptError(
            f"the progress database {self.path} is corrupt or unreadable ({detail}); it was left "
            f"untouched and nothing was written to it. {_restore_hint(self.path)}"
        )

    def _migrate(self, version: int) -> None:
        c = self._conn
        c.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            migrate(c, c.execute("PRAGMA user_version").fetchone()[0])
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    # -- the background integrity check --------------------------------------------------------

    def _start_check(self, run: bool) -> None:
        """PRAGMA quick_check on a read-only connection of its own; the first write waits for the verdict."""
        event = self._checked = threading.Event()
        self._verdict: str | None = "ok"
        if not run:
            event.set()
            return
        self._verdict = None
        uri, generation = self.path.resolve().as_uri() + "?mode=ro", self._generation

        def check() -> None:
            verdict = "ok"
            try:
                conn = sqlite3.connect(uri, uri=True, timeout=10.0, check_same_thread=False)
                self._check_conn = conn  # close() interrupts a check still running
                try:
                    verdict = "; ".join(r[0] for r in conn.execute("PRAGMA quick_check").fetchall()[:3])
                finally:
                    conn.close()
            except sqlite3.OperationalError as e:
                # Could not check (locked, no -shm in a read-only folder): a corrupt page still fails its write.
                verdict = str(e) if _code(e) in (_SQLITE_CORRUPT, _SQLITE_NOTADB) else "ok"
            except sqlite3.DatabaseError as e:
                verdict = str(e)
            finally:
                if generation == self._generation:  # not a check of a file that was replaced since
                    self._verdict = verdict
                event.set()

        self._check_thread = threading.Thread(target=check, name="studyml-quick-check", daemon=True)
        self._check_thread.start()

    def _stop_check(self) -> None:
        """Interrupt and wait for a check still running: no thread may touch the files after close()."""
        thread = getattr(self, "_check_thread", None)
        if thread is None or not thread.is_alive():
            return
        conn = getattr(self, "_check_conn", None)
        if conn is not None:
            try:
                conn.interrupt()
            except sqlite3.Error:
                pass
        thread.join(10)

    # -- the checkpoint after a big write -------------------------------------------------------

    @contextmanager
    def checkpoint_after(self) -> Iterator[None]:
        """Around a big write (a sync that merges thousands of reviews): its pages are copied from the WAL into the
        database by a thread of its own after it, not by its commit (SQLite's automatic checkpoint): the commit of
        100,000 reviews took 270 ms with it, 150 without. The WAL holds them durably meanwhile, and readers read
        them there. A thread with a connection of its own is how SQLite's documentation says to checkpoint apart."""
        c = self.conn
        pages = int(c.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        c.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            yield
        finally:
            c.execute(f"PRAGMA wal_autocheckpoint = {pages}")
        previous = getattr(self, "_checkpoint_thread", None)
        if previous is not None:
            previous.join(30)
        uri = self.path.resolve().as_uri() + "?mode=rw"

        def checkpoint() -> None:
            try:
                conn = sqlite3.connect(uri, uri=True, timeout=10.0, check_same_thread=False)
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                finally:
                    conn.close()
            except sqlite3.Error:
                pass  # left to the next automatic checkpoint: the WAL keeps every page until then

        self._checkpoint_thread = threading.Thread(target=checkpoint, name="studyml-checkpoint", daemon=True)
        self._checkpoint_thread.start()

    def verdict(self, wait: bool = True) -> str | None:
        """The integrity check's result ("ok" or what is wrong); None while it runs and `wait` is False."""
        if wait:
            self._checked.wait()
        return self._verdict if self._checked.is_set() else None

    def writable(self) -> None:
        """Raise (ReadOnlyError, CorruptError) if a write must not be attempted; waits for the integrity check."""
        if self.read_only:
            raise ReadOnlyError("not saved: " + self.read_only)
        self.sound()

    def sound(self) -> None:
        """Raise CorruptError if the integrity check found damage (waits for it)."""
        verdict = self.verdict(wait=True)
        if verdict != "ok":
            raise self._corrupt(verdict or "unknown")

    # -- a replaced database (restore while open) ------------------------------------------------

    def _replaced(self) -> bool:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return True
        return (st.st_dev, st.st_ino) != self._identity

    def _reopen(self) -> None:
        """Close the connection to the old file and open the one now at `path` (checks and all)."""
        if self._gone is None:
            self._stop_check()
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._generation += 1
        if not self.path.exists():
            self._gone = (
                f"the progress database {self.path} was moved or deleted while studyml was open; nothing "
                f"was written. Put it back or restore a backup (`studyml srs backups`), then try again."
            )
            raise StoreError(self._gone)
        self._gone = None
        self._connect(check=False)

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection; outside a transaction, reopened first if the file at `path` was replaced."""
        if self._gone is not None or (not self._conn.in_transaction and self._replaced()):
            self._reopen()
        return self._conn

    def changed_elsewhere(self) -> bool:
        """True once after another connection (a second window, a restore) changed the database."""
        now = (self._generation, self._data_version())
        changed = now != self._seen_version
        self._seen_version = now
        return changed

    def _data_version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    # -- plumbing ---------------------------------------------------------------------------

    def close(self) -> None:
        self._stop_check()
        thread = getattr(self, "_checkpoint_thread", None)
        if thread is not None:
            thread.join(30)  # no thread touches the files after close() (it takes a fraction of a second)
        try:
            self._conn.close()
        except sqlite3.Error:
            pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> None:
        self.close()
        # A read that found the damage (`stats`, `export json`): said as a write that found it is, with the file and
        # how to restore, not as SQLite's bare "database disk image is malformed".
        if isinstance(error, sqlite3.DatabaseError) and _code(error) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            raise self._corrupt(str(error)) from error

    def explain(self, e: sqlite3.Error) -> Exception:
        """A StoreError saying what a failed SQLite call means for the learner (other errors unchanged)."""
        code = _code(e)
        if code == _SQLITE_FULL or (code in (_SQLITE_IOERR, _SQLITE_CANTOPEN) and _disk_full(self.path.parent)):
            return DiskFullError(
                f"not saved: the disk holding {self.path.parent} is full. Free some space and try "
                f"again; what was saved before is safe."
            )
        if code == _SQLITE_READONLY:
            blocker = read_only_reason(self.path) or self.path
            return ReadOnlyError("not saved: " + _read_only_message(self.path, blocker))
        if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            self._verdict = str(e)  # refuse every later write too
            return self._corrupt(str(e))
        if code == _SQLITE_BUSY:
            return BusyError(
                f"the progress database {self.path} stayed locked by another write (a sync merging many records, "
                f"here or in another studyml, can hold it for seconds); nothing was written. Try again."
            )
        if code == _SQLITE_IOERR:
            return StoreError(f"not saved: the disk holding {self.path} reported an I/O error ({e}).")
        return e

    @contextmanager
    def waiting_at_most(self, ms: int) -> Iterator[None]:
        """Writes in the block wait at most `ms` for another write to end (then BusyError), not BUSY_WAIT_MS: the app
        rates on its UI thread, which froze for 10 s while its own sync merged many records."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(ms)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_WAIT_MS}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT: all or nothing, durable once this returns.

        Refused before it starts if the database is read-only, damaged or replaced; SQLite's own failures
        (disk full, read-only mount, corruption found while writing) roll back and raise a StoreError.
        """
        c = self.conn
        self.writable()
        try:
            c.execute("BEGIN IMMEDIATE")
            if self._replaced():  # a restore swapped the file while we waited for the lock
                c.execute("ROLLBACK")
                c = self.conn
                self.writable()
                c.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise self.explain(e) from e
        try:
            yield c
            c.execute("COMMIT")
        except BaseException as e:
            try:
                if c.in_transaction:
                    c.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite rolls back by itself after some errors (SQLITE_FULL); nothing was committed
            if isinstance(e, (sqlite3.OperationalError, sqlite3.DatabaseError)) and not isinstance(
                e, sqlite3.IntegrityError
            ):
                raise self.explain(e) from e
            raise

    @property
    def user_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def integrity_check(self) -> str:
        return "; ".join(r[0] for r in self.conn.execute("PRAGMA integrity_check").fetchall())

    # -- progress ---------------------------------------------------------------------------

    def get(self, pack_id: str, card_id: str) -> CardState | None:
        row = self.conn.execute(
            f"SELECT {_PROGRESS_COLS} FROM progress WHERE pack_id = ? AND card_id = ?", (pack_id, card_id)
        ).fetchone()
        return CardState(*row) if row else None

    def states(self, pack_id: str | None = None) -> list[CardState]:
        if pack_id is None:
            rows = self.conn.execute(f"SELECT {_PROGRESS_COLS} FROM progress ORDER BY pack_id, card_id")
        else:
            rows = self.conn.execute(f"SELECT {_PROGRESS_COLS} FROM progress WHERE pack_id = ?", (pack_id,))
        return [CardState(*r) for r in rows]

    def is_suspended(self, pack_id: str, card_id: str) -> bool:
        row = self.conn.execute(
            "SELECT suspended FROM progress WHERE pack_id = ? AND card_id = ?", (pack_id, card_id)
        ).fetchone()
        return bool(row and row[0])

    # -- card actions (suspend, bury, flag) ------------------------------------------------------
    # A card never studied gets a placeholder row (last_review_ms NULL) to carry them; queries treat it as new.

    def _ensure_row(self, c, pack_id: str, card_id: str) -> None:
        c.execute(
            "INSERT OR IGNORE INTO progress (pack_id, card_id, state, step, due_ms) VALUES (?, ?, ?, 0, 0)",
            (pack_id, card_id, LEARNING),
        )

    def set_card_action(self, pack_id: str, card_id: str, **values: int | None) -> None:
        """Set `suspended` (0/1), `buried_until_ms` (epoch ms or None) and/or `flag` (0-7) in one transaction."""
        allowed = {"suspended", "buried_until_ms", "flag"}
        if not values or set(values) - allowed:
            raise ValueError(f"card actions are {', '.join(sorted(allowed))}")
        with self.transaction():
            self.write_card_action(pack_id, card_id, **values)

    def write_card_action(self, pack_id: str, card_id: str, **values: int | None) -> None:
        """`set_card_action` inside the caller's open transaction (an import sets many in its own)."""
        c = self.conn
        self._ensure_row(c, pack_id, card_id)
        sets = ", ".join(f"{k} = ?" for k in values)
        c.execute(f"UPDATE progress SET {sets} WHERE pack_id = ? AND card_id = ?", (*values.values(), pack_id, card_id))

    def all_card_actions(self) -> dict[tuple[str, str], tuple[bool, int | None, int]]:
        """(pack id, card id) -> (suspended, buried_until_ms, flag) for every card with any of them set."""
        return self._card_actions("", ())

    def card_actions(self, pack_id: str) -> dict[str, tuple[bool, int | None, int]]:
        """card id -> (suspended, buried_until_ms, flag) for cards with any of them set."""
        return {cid: v for (_p, cid), v in self._card_actions("pack_id = ? AND ", (pack_id,)).items()}

    def _card_actions(self, where: str, params: tuple) -> dict[tuple[str, str], tuple[bool, int | None, int]]:
        rows = self.conn.execute(
            "SELECT pack_id, card_id, suspended, buried_until_ms, flag FROM progress"
            f" WHERE {where}(suspended OR buried_until_ms IS NOT NULL OR flag)",
            params,
        )
        return {(p, cid): (bool(s), b, f) for p, cid, s, b, f in rows}

    def hidden_cards(self, pack_id: str, now_ms_: int) -> set[str]:
        """Cards the queue skips: suspended, or buried until a time still to come."""
        rows = self.conn.execute(
            "SELECT card_id FROM progress WHERE pack_id = ? AND (suspended OR buried_until_ms > ?)", (pack_id, now_ms_)
        )
        return {r[0] for r in rows}

    def pack_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT pack_id FROM progress ORDER BY pack_id")]

    def put_state(self, s: CardState) -> None:
        self.put_states([s])

    def put_states(self, states: Iterable[CardState]) -> None:
        # An upsert, not INSERT OR REPLACE: a review must keep the card's suspended, buried and flag columns.
        updates = ", ".join(f"{c} = excluded.{c}" for c in _PROGRESS_COLS.split(", ")[2:])
        self.conn.executemany(
            f"INSERT INTO progress ({_PROGRESS_COLS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
            f" ON CONFLICT(pack_id, card_id) DO UPDATE SET {updates}",
            [
                (
                    s.pack_id,
                    s.card_id,
                    s.state,
                    s.step,
                    s.stability,
                    s.difficulty,
                    s.due_ms,
                    s.last_review_ms,
                    s.reps,
                    s.lapses,
                    s.first_review_ms,
                )
                for s in states
            ],
        )

    def record_review(self, review: Review, after: CardState, quiz: QuizAttempt | None = None) -> int:
        """Append a review and the card's new state (and its quiz attempt) in one transaction."""
        with self.transaction():
            return self.write_review(review, after, quiz)

    def write_review(self, review: Review, after: CardState, quiz: QuizAttempt | None = None) -> int:
        """The rows of one review, inside a transaction the caller holds (see Scheduler.review)."""
        if not self._conn.in_transaction:
            raise RuntimeError("write_review needs an open transaction")
        if quiz is not None:
            self._insert_quiz(**quiz)
        cur = self._conn.execute(
            "INSERT INTO reviews (time_ms, pack_id, pack_version, card_id, rating, duration_ms, state_after,"
            " state_before, source) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                review.time_ms,
                review.pack_id,
                review.pack_version,
                review.card_id,
                review.rating,
                review.duration_ms,
                state_json(after.to_dict()),
                state_json(review.state_before),
                review.source,
            ),
        )
        self.put_state(after)
        assert cur.lastrowid is not None, "an INSERT sets lastrowid"
        return cur.lastrowid

    @contextmanager
    def adding_reviews(self, n: int) -> Iterator[None]:
        """Around adding `n` reviews at once, inside a transaction that rolls back if this raises (a sync).

        When they are at least as many as the log already holds, reviews_time, an index that only serves reads, is
        dropped and built again after in one sorted pass: for 100,000 reviews that is about half the cost of
        inserting into it one by one, in random order. (A failure rolls the drop back with everything else.)
        """
        c = self.conn
        if not c.in_transaction:
            raise RuntimeError("adding_reviews needs an open transaction")
        held = c.execute("SELECT coalesce(max(id), 0) FROM reviews").fetchone()[0]  # ids are never reused: >= count
        row = c.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'reviews_time'").fetchone()
        if n < max(held, BULK_REVIEWS) or row is None:
            yield
            return
        c.execute("DROP INDEX reviews_time")
        yield
        c.execute(row[0])

    def identity_taken(self, pack_id: str, card_id: str, time_ms: int, rating: int) -> bool:
        """Whether a review with this identity is in the log or was undone (here, or on a device whose undo this one
        has read)."""
        return any(
            self.conn.execute(
                f"SELECT 1 FROM {table} WHERE pack_id = ? AND card_id = ? AND time_ms = ? AND rating = ?",
                (pack_id, card_id, time_ms, rating),
            ).fetchone()
            for table in ("reviews", "undone_reviews")
        )

    def latest_review_ms(self, pack_id: str, card_id: str) -> int:
        """The time of the card's latest review in the log (-1: none)."""
        row = self.conn.execute(
            "SELECT max(time_ms) FROM reviews WHERE pack_id = ? AND card_id = ?", (pack_id, card_id)
        ).fetchone()
        return row[0] if row and row[0] is not None else -1

    def last_review(self, pack_id: str | None = None, card_id: str | None = None) -> Review | None:
        """The latest review, or the latest of one card (a second window's reviews are not this one's to undo)."""
        if card_id is None:
            row = self.conn.execute(f"SELECT {_REVIEW_COLS} FROM reviews ORDER BY id DESC LIMIT 1").fetchone()
        else:
            row = self.conn.execute(
                f"SELECT {_REVIEW_COLS} FROM reviews WHERE pack_id = ? AND card_id = ?"
                " ORDER BY time_ms DESC, id DESC LIMIT 1",
                (pack_id, card_id),
            ).fetchone()
        return _review(row) if row else None

    def undo_review(self, review_id: int) -> CardState | None:
        """Delete one review and put its card back as it was before; returns that state (None: new again).

        The undo is kept as a tombstone (undone_reviews), so a sync can tell the devices that already have the
        review, and never merges it again. NotLatest if the review is gone or no longer its card's latest.
        """
        return self._undo("id = ?", (review_id,))

    def undo_identity(self, pack_id: str, card_id: str, time_ms: int, rating: int) -> CardState | None:
        """`undo_review` of the review with this identity, looked up in the undo's own transaction."""
        return self._undo(
            "pack_id = ? AND card_id = ? AND time_ms = ? AND rating = ?", (pack_id, card_id, time_ms, rating)
        )

    def _undo(self, where: str, params: tuple) -> CardState | None:
        with self.transaction() as c:
            row = c.execute(f"SELECT {_REVIEW_COLS}, uuid FROM reviews WHERE {where}", params).fetchone()
            if row is None:
                raise NotLatest("that review is no longer in the progress (undone, or gone with a restore)", gone=True)
            r, received = _review(row[:-1]), row[-1] is not None
            review_id = row[0]
            current = self.get(r.pack_id, r.card_id)
            if current is None or current.last_review_ms != r.time_ms:
                raise NotLatest(
                    "the card was rated again after that review (in another window or on another device); "
                    "undoing it would take that rating back too, so it was not undone"
                )
            c.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
            c.execute(
                "INSERT OR IGNORE INTO undone_reviews (uuid, pack_id, card_id, time_ms, rating, undone_ms, review_id,"
                " state_after, received, here) VALUES (?,?,?,?,?,?,?,?,?,1)",
                (
                    review_uuid(r.pack_id, r.card_id, r.time_ms, r.rating),
                    r.pack_id,
                    r.card_id,
                    r.time_ms,
                    r.rating,
                    now_ms(),
                    review_id,
                    row[7],  # state_after as the log holds it
                    int(received),
                ),
            )
            if r.state_before is None:
                self.make_new(r.pack_id, r.card_id)
                return None
            before = CardState.from_dict({**r.state_before, "pack_id": r.pack_id, "card_id": r.card_id})
            self.put_state(before)
            return before

    def make_new(self, pack_id: str, card_id: str) -> None:
        """The card as never studied, inside the caller's transaction: its progress row goes, or, when it carries
        a card action (suspended, buried, flag), becomes the placeholder such a card has (see _ensure_row)."""
        c = self.conn
        c.execute(
            "DELETE FROM progress WHERE pack_id = ? AND card_id = ? AND NOT suspended AND buried_until_ms IS NULL"
            " AND NOT flag",
            (pack_id, card_id),
        )
        c.execute(
            "UPDATE progress SET state = ?, step = 0, stability = NULL, difficulty = NULL, due_ms = 0,"
            " last_review_ms = NULL, reps = 0, lapses = 0, first_review_ms = NULL WHERE pack_id = ? AND card_id = ?",
            (LEARNING, pack_id, card_id),
        )

    def reviews(self, since_ms: int | None = None, pack_id: str | None = None) -> list[Review]:
        sql, args = f"SELECT {_REVIEW_COLS} FROM reviews WHERE 1", list[object]()
        if since_ms is not None:
            sql, args = sql + " AND time_ms >= ?", [*args, since_ms]
        if pack_id is not None:
            sql, args = sql + " AND pack_id = ?", [*args, pack_id]
        return [_review(r) for r in self.conn.execute(sql + " ORDER BY time_ms, id", args)]

    def review_count(self, source: str | None = None) -> int:
        """Reviews in the log; with `source`, only those from studying ("card") or from quiz answers ("quiz")."""
        if source is None:
            return self.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        return self.conn.execute("SELECT count(*) FROM reviews WHERE source = ?", (source,)).fetchone()[0]

    # -- quiz attempts and demo runs -----------------------------------------------------------

    def _insert_quiz(
        self,
        *,
        pack_id: str,
        item_id: str,
        card_id: str | None,
        answer: object,
        correct: bool,
        time_ms: int,
        seed: int | None = None,
        detail: dict | None = None,
    ) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO quiz_attempts (time_ms, pack_id, item_id, card_id, answer, correct, seed, detail)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                time_ms,
                pack_id,
                item_id,
                card_id,
                json.dumps(answer, ensure_ascii=False),
                int(bool(correct)),
                seed,
                json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail is not None else None,
            ),
        )

    def record_quiz(
        self,
        pack_id: str,
        item_id: str,
        card_id: str | None,
        answer: object,
        correct: bool,
        time_ms: int | None = None,
        seed: int | None = None,
        detail: dict | None = None,
    ) -> None:
        with self.transaction():
            self._insert_quiz(
                pack_id=pack_id,
                item_id=item_id,
                card_id=card_id,
                answer=answer,
                correct=correct,
                time_ms=time_ms if time_ms is not None else now_ms(),
                seed=seed,
                detail=detail,
            )

    def last_quiz_seed(self, pack_id: str, item_id: str) -> int | None:
        """The variant seed of the latest attempt at a template (None if there was none)."""
        row = self.conn.execute(
            "SELECT seed FROM quiz_attempts WHERE pack_id=? AND item_id=? AND seed IS NOT NULL"
            " ORDER BY time_ms DESC, id DESC LIMIT 1",
            (pack_id, item_id),
        ).fetchone()
        return row[0] if row else None

    def quiz_seeds(self, pack_id: str, item_id: str) -> list[int]:
        """Seeds of every attempt at a template, oldest first: each variant can be shown again."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT seed FROM quiz_attempts WHERE pack_id=? AND item_id=? AND seed IS NOT NULL ORDER BY time_ms, id",
                (pack_id, item_id),
            )
        ]

    def quiz_durations(self, limit: int = 200, kind: str | None = None) -> list[int]:
        """How long the learner took on recent quiz answers (ms), for 'slow for this learner'; with `kind`, on items of
        that kind only (putting five steps in order takes longer than picking one answer), and on the answers recorded
        before their kind was."""
        rows = self.conn.execute(
            "SELECT json_extract(detail, '$.duration_ms') FROM quiz_attempts WHERE detail IS NOT NULL"
            # Answers recorded before the kind was kept count for every kind: a learner's usual time is not lost.
            + (" AND coalesce(json_extract(detail, '$.kind'), ?) = ?" if kind else "")
            + " ORDER BY time_ms DESC, id DESC LIMIT ?",
            (kind, kind, limit) if kind else (limit,),
        )
        return [int(r[0]) for r in rows if isinstance(r[0], (int, float))]

    def quiz_attempts(self) -> list[dict]:
        rows = self.conn.execute(
            "SELECT time_ms, pack_id, item_id, card_id, answer, correct FROM quiz_attempts ORDER BY time_ms, id"
        )
        return [
            dict(time_ms=t, pack_id=p, item_id=i, card_id=c, answer=json.loads(a) if a else None, correct=bool(ok))
            for t, p, i, c, a, ok in rows
        ]

    def record_demo_run(
        self, plugin_id: str, params: dict, claims: object, duration_ms: float, ok: bool, time_ms: int | None = None
    ) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO demo_runs (time_ms, plugin_id, params, claims, duration_ms, ok)"
                " VALUES (?,?,?,?,?,?)",
                (
                    time_ms if time_ms is not None else now_ms(),
                    plugin_id,
                    json.dumps(params, sort_keys=True),
                    json.dumps(claims, sort_keys=True, default=str),
                    duration_ms,
                    int(bool(ok)),
                ),
            )

    def demo_runs(self) -> list[dict]:
        rows = self.conn.execute(
            "SELECT time_ms, plugin_id, params, claims, duration_ms, ok FROM demo_runs ORDER BY time_ms, id"
        )
        return [
            dict(time_ms=t, plugin_id=p, params=json.loads(pa), claims=json.loads(cl), duration_ms=d, ok=bool(ok))
            for t, p, pa, cl, d, ok in rows
        ]

    # -- settings -----------------------------------------------------------------------------

    def get_setting(self, key: str, default: object = None) -> object:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def get_mapping(self, key: str) -> dict[str, Any]:
        """A setting stored as a JSON object; {} when it is missing or not an object."""
        value = self.get_setting(key)
        return dict(value) if isinstance(value, dict) else {}

    def set_setting(self, key: str, value: object) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, json.dumps(value)))

    def settings(self) -> dict:
        return {k: json.loads(v) for k, v in self.conn.execute("SELECT key, value FROM settings")}

    # -- queries --------------------------------------------------------------------------------

    def due_cards(self, pack_id: str, review_before_ms: int, learning_before_ms: int) -> list[str]:
        """Card ids due now: review cards due before the day ends, learning cards due by `learning_before_ms`."""
        return [cid for cid, _state in self.due_card_states(pack_id, review_before_ms, learning_before_ms)]

    def due_card_states(self, pack_id: str, review_before_ms: int, learning_before_ms: int) -> list[tuple[str, int]]:
        """(card id, state) of the cards due now, oldest due first (see due_cards)."""
        rows = self.conn.execute(
            "SELECT card_id, state, due_ms FROM progress WHERE pack_id = ? AND due_ms < ? AND last_review_ms IS NOT NULL"
            " ORDER BY due_ms, card_id",
            (pack_id, max(review_before_ms, learning_before_ms)),
        )
        return [
            (cid, state)
            for cid, state, due in rows
            if (due < review_before_ms if state == REVIEW else due <= learning_before_ms)
        ]

    def review_card_reviews_since(self, pack_id: str, since_ms: int) -> int:
        """Ratings given while studying (not from quizzes) since `since_ms` to cards that were in review: what the
        daily review limit counts."""
        rows = self.conn.execute(
            "SELECT state_before FROM reviews WHERE +pack_id = ? AND time_ms >= ? AND source = 'card'"  # by reviews_time
            " AND state_before IS NOT NULL",
            (pack_id, since_ms),
        )
        count = 0
        for (before,) in rows:
            try:
                count += json.loads(before).get("state") == REVIEW
            except (ValueError, AttributeError):
                continue  # a state this log cannot read was no review card's, as far as a limit can tell
        return count

    def new_introduced_since(self, pack_id: str, since_ms: int) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM progress WHERE pack_id = ? AND first_review_ms >= ?", (pack_id, since_ms)
        ).fetchone()[0]

    def known_card_ids(self, pack_id: str) -> set[str]:
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT card_id FROM progress WHERE pack_id = ? AND last_review_ms IS NOT NULL", (pack_id,)
            )
        }

    def ahead(self, pack_id: str, after_ms: int, limit: int) -> list[str]:
        rows = self.conn.execute(
            "SELECT card_id FROM progress WHERE pack_id = ? AND due_ms > ? AND last_review_ms IS NOT NULL"
            " AND NOT suspended ORDER BY due_ms, card_id LIMIT ?",
            (pack_id, after_ms, limit),
        )
        return [r[0] for r in rows]

    def counts(
        self,
        pack_id: str,
        card_ids: Sequence[str] | None,
        review_before_ms: int,
        learning_before_ms: int,
        now_ms_: int | None = None,
    ) -> Counts:
        """Due/new/learned/mastered for a pack; with `card_ids`, only cards still in the pack count. A card hidden at
        `now_ms_` (suspended, buried: see hidden_cards) is not due: the queue skips it, and the library counted it (12
        due, 11 to study)."""
        wanted = set(card_ids) if card_ids is not None else None
        due = due_reviews = learned = mastered = seen = 0
        for cid, state, due_ms, stability, hidden in self.conn.execute(
            "SELECT card_id, state, due_ms, stability, suspended OR coalesce(buried_until_ms > ?, 0) FROM progress"
            " WHERE pack_id = ? AND last_review_ms IS NOT NULL",
            (now_ms_ if now_ms_ is not None else MAX_MS, pack_id),
        ):
            if wanted is not None and cid not in wanted:
                continue
            seen += 1
            if state in (REVIEW, RELEARNING):  # graduated at least once
                learned += 1
            if state == REVIEW:
                mastered += (stability or 0) >= MASTERED_STABILITY_DAYS
            if not hidden and ((due_ms < review_before_ms) if state == REVIEW else (due_ms <= learning_before_ms)):
                due += 1
                due_reviews += state == REVIEW
        total = len(wanted) if wanted is not None else seen
        return Counts(
            cards=total, due=due, new=total - seen, learned=learned, mastered=mastered, due_reviews=due_reviews
        )

    def orphans(self, pack_id: str, card_ids: Iterable[str]) -> list[str]:
        return sorted(self.known_card_ids(pack_id) - set(card_ids))


_REVIEW_COLS = "id, time_ms, pack_id, pack_version, card_id, rating, duration_ms, state_after, state_before, source"


def _review(row: tuple) -> Review:
    rid, t, pack, version, card, rating, duration, after, before, source = row
    return Review(
        time_ms=t,
        pack_id=pack,
        card_id=card,
        rating=rating,
        pack_version=version,
        duration_ms=duration,
        state_after=json.loads(after),
        state_before=json.loads(before) if before else None,
        id=rid,
        source=source,
    )


# UTC epoch milliseconds, up to the last of year 9999: SQLite's integers stop at 2**63 - 1, and a number past them in
# a sync file or an import stopped every sync with an internal error (OverflowError), naming no file or line.
MAX_MS = 253_402_300_799_999

LOCAL_SETTINGS = frozenset({"device_id"})  # and every key starting with "sync_"
FOLDER_SETTING = "sync_dir"  # the remembered sync folder (study options, `studyml sync DIR --remember`)


RESTORED_SETTING = "sync_restored"  # when `srs restore` made this database (ms): its sync file holds what it lacks


def travels(setting: str) -> bool:
    """Whether a setting goes to the learner's other devices (sync) or comes in with an import: not this device's own
    id and sync folder, which copied to another made two devices write one sync file and miss each other's."""
    return setting not in LOCAL_SETTINGS and not setting.startswith("sync_")


def state_json(state: dict | None) -> str | None:
    """A state for the log: compact, without the pack and card ids the row already holds (halves the log)."""
    if state is None:
        return None
    return json.dumps({k: v for k, v in state.items() if k not in ("pack_id", "card_id")}, separators=(",", ":"))


def one_line(detail: str) -> str:
    """SQLite's check output on one line, for a one-line CLI error."""
    return " ".join(detail.replace("*** in database main ***", "").split())


def _disk_full(folder: Path) -> bool:
    """SQLite reports a full disk as an I/O error when it cannot grow its -shm or -wal: ask the file system."""
    import shutil

    try:
        return shutil.disk_usage(folder).free < 256 * 1024
    except OSError:
        return False


def _code(e: sqlite3.Error) -> int:
    return (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF


def migrate(c: sqlite3.Connection, version: int, to: int = SCHEMA_VERSION) -> None:
    """Bring a database at schema `version` to schema `to` (this version's), inside the caller's transaction."""
    for i in range(version, to):
        for statement in _statements(MIGRATIONS[i]):
            c.execute(statement)
    c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    c.execute(f"PRAGMA user_version = {to}")


def schema_of(conn: sqlite3.Connection) -> set[tuple]:
    """What a database holds beyond its rows: each table, index and trigger (type, name, table, and the SQL that made
    it, spaces aside), and each table's columns (name, declared type, not null, primary key). Two studyml databases of
    one schema version hold the same (the migrations' SQL never changed once released)."""
    out: set[tuple] = set()
    # SQLite's own objects start `sqlite_` (LIKE would read `_` as any character: `sqliteX_wipe` slipped through).
    for kind, name, table, sql in conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE substr(name, 1, 7) != 'sqlite_'"
    ).fetchall():
        out.add((kind, name, table))
        # What it does too: a trigger or index of studyml's name with another body passed by its name alone.
        out.add(("sql", kind, name, " ".join(str(sql or "").split())))
        if kind == "table":
            for _cid, column, declared, notnull, _default, pk in conn.execute(f"PRAGMA table_info({_quoted(name)})"):
                out.add(("column", name, column, str(declared).upper(), notnull, pk))
    return out


@functools.cache
def expected_schema(version: int) -> frozenset[tuple]:
    """`schema_of` a database made by the first `version` migrations, as studyml makes it."""
    conn = sqlite3.connect(":memory:")
    try:
        migrate(conn, 0, version)
        return frozenset(schema_of(conn))
    finally:
        conn.close()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would COMMIT our transaction)."""
    out, buf = [], ""
    for line in script.strip().splitlines():
        if line.strip().startswith("--"):
            continue
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def open_store(path: Path | str | None = None, *, check: bool = False) -> Store:
    """Open (creating or migrating) the progress database; raises StoreError with a way out."""
    return Store(path, check=check)


def orphans(pack_id: str, card_ids: Iterable[str], store: Store | None = None) -> list[str]:
    """Card ids with progress in `pack_id` that the pack no longer has."""
    if store is not None:
        return store.orphans(pack_id, card_ids)
    with open_store() as s:
        return s.orphans(pack_id, card_ids)
