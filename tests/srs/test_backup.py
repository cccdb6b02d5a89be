"""Backups through SQLite's backup API: verified copies, thinning, restore that keeps the old file."""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyml import paths
from studyml.srs.backup import PREFIX, STAMP, SUFFIX, auto_backup, backup, backups_dir, list_backups, restore, thin
from studyml.srs.scheduler import Scheduler
from studyml.srs.store import Store, StoreError
from tests.srs.helpers import NOON


def test_backup_is_a_complete_readable_copy(store):
    Scheduler(store).review("p", "c", 3, now=NOON)  # still in the WAL: the backup must include it
    path = backup(store)
    assert path.parent == backups_dir() and list_backups()[0].path == path
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no -wal/-shm/.part left beside it


def test_auto_backup_waits_for_the_interval(store):
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    assert auto_backup(store, t0) is not None
    assert auto_backup(store, t0 + timedelta(hours=1)) is None
    assert auto_backup(store, t0 + timedelta(hours=7)) is not None
    assert len(list_backups()) == 2


def test_thinning_keeps_recent_daily_and_weekly(store):
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    # Four backups a day for 120 days (copies of one real backup, named by time: thinning reads names).
    first = backup(store, now)
    for h in range(6, 120 * 24, 6):
        stamp = (now - timedelta(hours=h)).strftime(STAMP)
        shutil.copyfile(first, first.with_name(f"{PREFIX}{stamp}{SUFFIX}"))
    assert len(list_backups()) == 480
    thin(now=now, keep_recent=5)
    kept = [b.time for b in list_backups()]
    assert kept[:5] == [now - timedelta(hours=6 * i) for i in range(5)]
    days = {t.date() for t in kept if now - t < timedelta(days=7)}
    assert len(days) >= 7  # seven days back touches eight dates
    weeks = {t.isocalendar()[:2] for t in kept if now - t < timedelta(weeks=8)}
    assert len(weeks) >= 8
    assert all(now - t < timedelta(weeks=8) for t in kept)
    assert len(kept) <= 5 + 8 + 9
    # Thinning twice changes nothing.
    assert thin(now=now, keep_recent=5) == []


def test_restore_replaces_and_keeps_the_previous_database(srs_home):
    with Store() as s:
        Scheduler(s).review("p", "c", 3, now=NOON)
        saved = backup(s)
        Scheduler(s).review("p", "d", 3, now=NOON)
    aside = restore(saved)
    assert aside.exists()
    with Store() as s:
        assert [r.card_id for r in s.reviews()] == ["c"]
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(aside) as old:
        assert {r.card_id for r in old.reviews()} == {"c", "d"}


def test_restore_over_a_corrupt_database_keeps_its_bytes(srs_home):
    with Store() as s:
        Scheduler(s).review("p", "c", 3, now=NOON)
        saved = backup(s)
    garbage = b"\x01garbage" * 1000
    paths.db_path().write_bytes(garbage)
    aside = restore(saved)
    assert aside.read_bytes() == garbage
    with Store() as s:
        assert s.review_count() == 1


def test_restore_refuses_a_bad_backup(srs_home, tmp_path):
    with Store() as s:
        Scheduler(s).review("p", "c", 3, now=NOON)
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"nonsense" * 100)
    before = paths.db_path().read_bytes()
    with pytest.raises(StoreError, match="not a studyml backup"):
        restore(bad)
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another program"):
        restore(other)
    with pytest.raises(StoreError, match="no such backup"):
        restore(tmp_path / "missing.sqlite3")
    assert paths.db_path().read_bytes() == before


def test_restore_refuses_a_file_with_studyml_s_id_but_not_its_tables(srs_home, tmp_path):
    # Missing tables: "no such table: settings" half way through, a `.restoring` copy left beside the database. A trigger
    # of its own: restored, and it deleted every review the next sync merged.
    from studyml.srs.store import APPLICATION_ID

    with Store() as s:
        Scheduler(s).review("p", "c", 3, now=NOON)
    before = paths.db_path().read_bytes()
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 4")
    conn.execute("CREATE TABLE x(a)")
    conn.commit()
    conn.close()
    with pytest.raises(
        StoreError,
        match=r"not a studyml backup: it does not hold the tables studyml writes \(missing table .*; not studyml's: table x\)",
    ):
        restore(foreign)
    assert not list(paths.db_path().parent.glob("*.restoring*"))
    backup_file = backup()
    conn = sqlite3.connect(backup_file)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON reviews BEGIN DELETE FROM reviews WHERE id != new.id; END")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=r"\(not studyml's: trigger wipe\)"):
        restore(backup_file)
    # Named as SQLite names its own objects, or as studyml's own trigger and index with another body: they passed.
    for sql, said in (
        (
            "DROP TRIGGER wipe; CREATE TRIGGER sqliteX_wipe AFTER INSERT ON reviews BEGIN SELECT 1; END",
            "trigger sqliteX_wipe",
        ),
        (
            "DROP TRIGGER sqliteX_wipe; DROP TRIGGER reviews_append_only; CREATE TRIGGER reviews_append_only AFTER INSERT"
            " ON reviews BEGIN DELETE FROM reviews WHERE id != new.id; END",
            "made another way: trigger reviews_append_only",
        ),
    ):
        conn = sqlite3.connect(backup_file)
        conn.executescript(sql)
        conn.close()
        with pytest.raises(StoreError, match=re.escape(said)):
            restore(backup_file)
    assert paths.db_path().read_bytes() == before


def test_restore_takes_every_backup_studyml_makes(srs_home, tmp_path):
    # The schema check must not refuse a real backup: after a big merge rebuilt an index, with its -wal beside it.
    from studyml.srs.sync import sync

    with Store() as s:
        Scheduler(s).review("p", "c", 3, now=NOON)
        with s.transaction(), s.adding_reviews(10_000):
            pass  # reviews_time dropped and made again
        s.conn.execute("ANALYZE")
        sync(s, tmp_path)
    made = backup()
    shutil.copy(paths.db_path(), tmp_path / "live.sqlite3")
    for suffix in ("-wal", "-shm"):
        if Path(str(paths.db_path()) + suffix).exists():
            shutil.copy(str(paths.db_path()) + suffix, str(tmp_path / "live.sqlite3") + suffix)
    for file in (made, tmp_path / "live.sqlite3"):
        assert restore(file) is not None


def test_a_backup_of_an_older_schema_is_restored_and_brought_up_to_date(srs_home, tmp_path):
    # Schema 1 had no settings table: the restore failed half way ("no such table: settings").
    from studyml.srs.store import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, _statements

    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    restore(old)
    with Store() as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_restore_that_fails_while_copying_leaves_no_copy_beside_the_database(srs_home, monkeypatch):
    from studyml.srs import backup as backup_module

    with Store() as s:
        Scheduler(s).review("p", "c", 3, now=NOON)
    made = backup()
    before = paths.db_path().read_bytes()

    def failing(*a, **k):
        raise OSError("disk gone")

    monkeypatch.setattr(backup_module.json, "dumps", failing)  # the restore's own setting, written into the copy
    with pytest.raises(OSError, match="disk gone"):
        restore(made)
    assert not list(paths.db_path().parent.glob("*.restoring*"))
    assert paths.db_path().read_bytes() == before


def test_a_killed_restores_copy_is_cleared_at_the_next_start_or_exit(store):
    # A killed restore left progress.sqlite3.restoring (as large as the database) until the next restore.
    import os
    import time

    old = store.path.with_name(store.path.name + ".restoring")
    old.write_bytes(b"\0" * 4096)
    journal = store.path.with_name(store.path.name + ".restoring-journal")
    journal.write_bytes(b"\0" * 512)
    hour_ago = time.time() - 3600
    for p in (old, journal):
        os.utime(p, (hour_ago, hour_ago))
    auto_backup(store)
    assert not old.exists() and not journal.exists()
    fresh = store.path.with_name(store.path.name + ".restoring")
    fresh.write_bytes(b"\0")  # a restore running now, in another process
    auto_backup(store, datetime.now(UTC) + timedelta(hours=7))
    assert fresh.exists()


def _damage_an_index(db: Path) -> None:
    """The review log's identity index made to disagree with its table, as a flipped bit in an index cell does:
    quick_check passes it (it does not compare an index with its table), integrity_check does not."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'time_ms, rating', 'rating, time_ms') WHERE name = 'reviews_identity'"
    )
    conn.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    conn.close()


def test_a_database_whose_index_disagrees_with_its_table_is_neither_backed_up_nor_restored(srs_home, tmp_path):
    # It passed the check at backup and at restore; the backup made after the damage was the one the error advised.
    with Store() as s:
        for k in range(3):
            Scheduler(s).review("p", f"c{k}", 3, now=NOON + timedelta(minutes=k))
    damaged = tmp_path / "damaged.sqlite3"
    with Store() as s:
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(s.path, damaged)
    _damage_an_index(damaged)
    before = paths.db_path().read_bytes()
    with pytest.raises(StoreError, match="is damaged"):
        restore(damaged)
    assert paths.db_path().read_bytes() == before
    shutil.copy(damaged, paths.db_path())
    with Store() as s, pytest.raises(StoreError, match="no backup was taken"):
        backup(s)
    assert list_backups() == []


def test_a_database_whose_index_disagrees_is_told_how_to_mend_it_and_reindex_mends_it(srs_home, capsys):
    # Index damage passes the check at open: the app went on, and every start and exit refused a backup with no way
    # out but a restore (of a backup from before, if any).
    from studyml.cli import main

    with Store() as s:
        for k in range(3):
            Scheduler(s).review("p", f"c{k}", 3, now=NOON + timedelta(minutes=k))
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage_an_index(paths.db_path())
    with Store() as s, pytest.raises(StoreError, match="`studyml srs reindex` rebuilds the indexes"):
        backup(s)
    assert main(["srs", "reindex", "--json"]) == 0
    assert '"ok": true' in capsys.readouterr().out
    with Store() as s:
        assert backup(s).exists() and len(s.reviews()) == 3
