"""Progress-store faults (issue 10, items 5–12): every case of `make faults`, and the faults only the store API shows."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyml import paths
from studyml.srs import backup as backup_mod
from studyml.srs.backup import backup, list_backups, restore
from studyml.srs.export import export_json, import_json
from studyml.srs.scheduler import Scheduler
from studyml.srs.store import CorruptError, DiskFullError, ReadOnlyError, Store, StoreError

from . import faults, store_cases

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


# -- every case of `make faults` (store_cases.py): the learner is told, and nothing is lost ------------------


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.name, marks=[pytest.mark.slow] if c.slow else []) for c in store_cases.CASES]
)
def test_fault_case_is_said_clearly_and_loses_nothing(case, tmp_path):
    out = case.run(tmp_path)
    if out.outcome == "degraded" and out.detail.startswith("skipped"):  # no tmpfs, or no second user, here
        pytest.skip(out.detail)
    assert (out.outcome, out.processes_left) == ("clean", 0), out.detail


# -- 6: read-only database --------------------------------------------------------------------------


def test_read_only_message_without_a_second_user(monkeypatch):
    """The same path as root sees it when the kernel says read-only (a read-only mount: EROFS)."""
    db = paths.db_path()
    faults.seeded_db(db, cards=3)
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode, **kw: False if Path(p) == db and mode & os.W_OK else real_access(p, mode, **kw)
    )
    with Store() as store:
        assert store.read_only and "read-only" in store.read_only
        with pytest.raises(ReadOnlyError, match=r"read-only: .*progress\.sqlite3 cannot be written"):
            Scheduler(store).review("p", "card-0000", 3)
        assert store.review_count() == 3


# -- 7: disk full ------------------------------------------------------------------------------------


def test_disk_full_rating_is_rolled_back_and_reported(store_with_reviews):
    store = store_with_reviews
    before = store.get("p", "card-0000")
    store._conn = faults.FullOnInsert(store._conn)
    with pytest.raises(DiskFullError, match=r"not saved: the disk holding .* is full"):
        Scheduler(store).review("p", "card-0000", 3)
    store._conn = store._conn._conn
    assert not store.conn.in_transaction
    assert store.get("p", "card-0000") == before
    assert store.review_count() == 5


@pytest.fixture
def store_with_reviews():
    faults.seeded_db(paths.db_path(), cards=5)
    with Store() as store:
        yield store


@pytest.fixture
def tmpfs_home(tmp_path, monkeypatch):
    home = tmp_path / "tmpfs"
    if not faults.mount_tmpfs(home, "2m"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    monkeypatch.setenv("STUDYML_HOME", str(home))
    yield home
    faults.umount(home)


def seeded(db: Path, cards: int) -> None:
    """A seeded database copied in (building it on a 2 MB tmpfs would fill it with WAL)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        faults.seeded_db(Path(scratch) / "db.sqlite3", cards=cards)
        shutil.copyfile(Path(scratch) / "db.sqlite3", db)


def test_backup_that_runs_out_of_space_leaves_no_part_file(tmpfs_home, monkeypatch):
    db = tmpfs_home / "progress.sqlite3"
    seeded(db, cards=300)
    faults.fill_disk(tmpfs_home, leave=db.stat().st_size // 2)
    monkeypatch.setattr(backup_mod, "check_free_space", lambda *a: None)  # get past the check to a real ENOSPC
    with Store() as store, pytest.raises(DiskFullError, match="full; no partial backup was left"):
        backup(store)
    assert list((tmpfs_home / "backups").iterdir()) == []


def test_atomic_write_leaves_no_temp_file_on_a_full_disk(tmpfs_home):
    from studyml.content.parsecache import ParseCache
    from studyml.fsutil import atomic_write_bytes

    target = tmpfs_home / "prefs.json"
    target.write_text("{}")
    faults.fill_disk(tmpfs_home, leave=8192)
    with pytest.raises(OSError) as info:
        atomic_write_bytes(target, b"x" * 200_000)
    assert info.value.errno == 28
    assert target.read_text() == "{}"
    assert sorted(p.name for p in tmpfs_home.iterdir()) == ["filler", "prefs.json"]
    cache = ParseCache(tmpfs_home / "pack")
    cache.file = tmpfs_home / "cache" / "pack.json"
    cache.entries, cache.used, cache.dirty = {"a.yaml": [1, 2, "y" * 200_000]}, {"a.yaml"}, True
    (tmpfs_home / "cache").mkdir()
    cache.save()  # a full disk only costs speed, and leaves no .pack-* behind
    assert list((tmpfs_home / "cache").iterdir()) == []


# -- 8: corruption inside the file ---------------------------------------------------------------------


def test_random_bytes_in_the_middle_are_found_before_the_first_write_and_the_file_is_kept():
    db = paths.db_path()
    faults.seeded_db(db)
    with Store() as store:
        backup(store)  # a good backup to restore from
    faults.random_middle(db)
    before = store_cases.digest(db)
    with Store() as store:
        srs = Scheduler(store)
        with pytest.raises(CorruptError, match=r"corrupt.*left untouched.*studyml srs restore"):
            srs.review("p", "card-0001", 3)
        with pytest.raises(CorruptError, match="no backup was taken"):
            backup(store)
    assert store_cases.digest(db) == before
    assert len(list_backups()) == 1
    assert not list(backup_mod.backups_dir().glob("*.part"))


def test_auto_backup_of_a_damaged_database_reports(monkeypatch):
    from studyml.tui.services import Services

    db = paths.db_path()
    faults.seeded_db(db)
    faults.random_middle(db)
    message = Services().backup()
    assert message and "no backup was taken" in message and "damaged" in message
    assert list_backups() == []


# -- 9: two windows on one data dir ----------------------------------------------------------------------


TWO_PROCESSES = r"""
import sys, time
from datetime import datetime, timezone
from studyml.srs.scheduler import Scheduler
from studyml.srs.store import Store
rating, start = int(sys.argv[1]), float(sys.argv[2])
srs = Scheduler(Store())
now = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
while time.time() < start:
    pass
for i in range(int(sys.argv[3])):
    srs.review("p", "shared", rating, now=now)
print("done", flush=True)
"""


@pytest.mark.slow
def test_two_processes_hammering_one_card_keep_every_review(tmp_path):
    with Store():
        pass
    script = tmp_path / "w.py"
    script.write_text(TWO_PROCESSES)
    n, start = 200, time.time() + 1.5
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(r), str(start), str(n)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for r in (3, 1)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0 and "Traceback" not in err, err
    with Store() as store:
        assert store.review_count() == 2 * n
        assert store.get("p", "shared").reps == 2 * n
        log = store.reviews(pack_id="p")
        for a, b in zip(log, log[1:]):
            assert b.state_before == a.state_after


# -- 10: restore while the app is open ------------------------------------------------------------------


def test_a_database_deleted_while_open_is_said_and_not_recreated_empty():
    with Store() as store:
        Scheduler(store).review("p", "c", 3, now=NOON)
        backup(store)
        paths.db_path().unlink()
        with pytest.raises(StoreError, match="moved or deleted while studyml was open"):
            Scheduler(store).review("p", "d", 3, now=NOON)
    assert not paths.db_path().exists()


# -- 11: restore is atomic; a missing database is reported; no .part forever ----------------------------


class Killed(BaseException):
    """Stands for SIGKILL at one step of a restore."""


@pytest.mark.parametrize("step", ["link", "replace"])
def test_restore_killed_at_any_step_leaves_the_old_or_the_new_database(monkeypatch, tmp_path, step):
    """Die at the 1st, 2nd, … call of os.link / os.replace inside restore, until one run gets through."""
    real = {"link": os.link, "replace": os.replace}[step]
    for k in range(1, 8):
        monkeypatch.setenv("STUDYML_HOME", str(tmp_path / f"k{k}"))  # a fresh data dir for each k
        with Store() as s:
            Scheduler(s).review("p", "old", 3, now=NOON)
            saved = backup(s)
            Scheduler(s).review("p", "newer", 3, now=NOON)
        calls = []

        def dies(*args, **kw):
            calls.append(args)
            if len(calls) == k:
                raise Killed()
            return real(*args, **kw)

        monkeypatch.setattr(backup_mod.os, step, dies)
        try:
            restore(saved)
            finished = True
        except Killed:
            finished = False
        finally:
            monkeypatch.setattr(backup_mod.os, step, real)
        assert paths.db_path().exists(), f"no database after dying at {step} call {k}"
        with Store() as s:
            cards = {r.card_id for r in s.reviews()}
            assert s.integrity_check() == "ok"
        assert cards in ({"old", "newer"}, {"old"}), f"neither old nor new after dying at {step} call {k}"
        if finished:
            assert cards == {"old"}
            break
    else:
        pytest.fail("restore never finished")


# -- 12: import validates every record; export writes strict JSON ----------------------------------------


def _file(tmp_path, **records) -> Path:
    data = {"format": "studyml-progress", "version": 1, "progress": [], "reviews": [], **records}
    f = tmp_path / "in.json"
    f.write_text(json.dumps(data))
    return f


def _review(i: int, **kw) -> dict:
    return {
        "time_ms": 1000 + i,
        "pack_id": "p",
        "card_id": f"c{i}",
        "rating": 3,
        "state_after": {"state": 1, "step": 1, "stability": 2.3, "difficulty": 5.0},
        **kw,
    }


def test_import_lists_every_bad_record_by_index_and_imports_nothing(tmp_path):
    f = _file(
        tmp_path,
        reviews=[_review(0), _review(1, rating=7), _review(2), _review(3, state_after={"stability": "abc"})],
        progress=[{"pack_id": "p", "card_id": "c0", "state": 99, "due_ms": 1}],
        settings={"srs": {"desired_retention": 3}},
    )
    with Store() as store:
        with pytest.raises(StoreError) as info:
            import_json(store, f)
        assert store.review_count() == 0 and store.states() == [] and store.settings() == {}
    message = str(info.value)
    assert "nothing was imported" in message
    assert "reviews[1].rating:" in message
    assert "reviews[3].state_after.stability:" in message
    assert "progress[0].state:" in message
    assert "settings.srs: desired retention must be between 0.70 and 0.99" in message
    assert "reviews[0]" not in message and "reviews[2]" not in message


def test_valid_file_still_imports(tmp_path):
    f = _file(
        tmp_path,
        reviews=[_review(0), _review(1)],
        progress=[
            {
                "pack_id": "p",
                "card_id": "c0",
                "state": 2,
                "step": None,
                "stability": 3.0,
                "difficulty": 5.0,
                "due_ms": 5,
                "last_review_ms": 1000,
            }
        ],
        settings={"srs": {"desired_retention": 0.85}},
    )
    with Store() as store:
        added = import_json(store, f)
        # c0's state comes from the file; c1 has a review but no state there: its state is made from its log.
        assert added["reviews"] == 2 and added["cards"] == 2 and added["settings"] == 1
        assert store.get("p", "c1") is not None and store.get("p", "c0").stability == 3.0
        assert Scheduler(store).settings.desired_retention == 0.85


def test_export_is_strict_json_even_with_non_finite_values(tmp_path):
    with Store() as store:
        Scheduler(store).review("p", "c", 3, now=NOON)
        store.conn.execute("UPDATE progress SET stability = ?", (float("inf"),))
        store.record_demo_run("plugin", {"x": 1}, {"loss": float("inf")}, float("nan"), True, time_ms=5)
        counts = export_json(store, tmp_path / "out.json")
    text = (tmp_path / "out.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON token {c}"))
    assert data["progress"][0]["stability"] is None
    assert counts["nonfinite"] >= 2
    assert not list(tmp_path.glob("*.part"))


def test_unusable_saved_settings_fall_back_to_the_defaults():
    """A database that took bad settings before import validated them still lets the learner study."""
    with Store() as store:
        store.set_setting("srs", {"desired_retention": "abc", "parameters": [1.0, 2.0]})
        srs = Scheduler(store)
        assert srs.settings.desired_retention == 0.9 and srs.settings.parameters is None
        assert srs.review("p", "c", 3, now=NOON).reps == 1


# -- the one atomic-write helper ------------------------------------------------------------------------


def test_atomic_path_replaces_on_success_and_removes_the_temp_on_failure(tmp_path):
    from studyml.fsutil import atomic_path, atomic_write_text, remove_stale

    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("writer failed")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]
    atomic_write_text(target, "text")
    assert target.read_text() == "text"
    old = tmp_path / ".pack-abc.part"
    old.write_text("x")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    young = tmp_path / ".pack-def.part"
    young.write_text("y")
    assert remove_stale(tmp_path, ".pack-*") == [old]
    assert young.exists()


def test_undo_in_one_window_never_removes_the_other_windows_review():
    with Store() as a, Store() as b:
        Scheduler(a).review("p", "mine", 3, now=NOON)
        Scheduler(b).review("p", "theirs", 3, now=NOON + timedelta(seconds=1))  # the latest review overall
        Scheduler(a).undo("p", "mine")
        assert [r.card_id for r in a.reviews()] == ["theirs"]


def test_a_full_disk_still_lets_the_learner_read_and_export_their_progress(tmpfs_home, tmp_path):
    # `stats` and `export json` to another disk failed with "not saved: the disk is full": reading a WAL database
    # needs its -shm made first, and there was no room for it.
    from studyml.srs.export import export_json

    faults.seeded_db(paths.db_path(), cards=5)
    faults.fill_disk(tmpfs_home)
    with Store() as store:
        assert store.review_count() == 5
        out = export_json(store, tmp_path / "out.json")  # tmp_path is on another disk
        assert out["reviews"] == 5
        with pytest.raises(StoreError, match=r"not saved: the disk holding .* is full"):
            Scheduler(store).review("p", "card-0000", 3)
    with Store() as store:
        assert store.review_count() == 5


@pytest.mark.parametrize(
    "command",
    [["stats"], ["export", "json", "{out}"], ["srs", "optimize"], ["sync", "{folder}"]],
    ids=["stats", "export", "optimize", "sync with nothing new"],  # sync reported success, nothing to write
)
def test_a_damaged_database_found_by_a_read_says_which_file_and_how_to_restore(command, studyml_home, capsys, tmp_path):
    # Writes said it in full; these reads printed SQLite's bare "database disk image is malformed".
    from studyml.cli import ExitCode, main

    db = paths.db_path()
    faults.seeded_db(db)
    backup(Store(db))
    (studyml_home / "shared").mkdir()
    if command[0] == "sync":  # synced before: the next sync has nothing to write
        assert main(["sync", str(studyml_home / "shared")]) == ExitCode.OK
        capsys.readouterr()
    with open(db, "r+b") as f:  # the pages after the schema's: every table's first pages
        # (for a sync with nothing new, pages in the middle of the review log: it never reads them)
        f.seek(4096 if command[0] != "sync" else db.stat().st_size // 2 // 4096 * 4096)
        f.write(random.Random(3).randbytes(4 * 4096))
    before = db.read_bytes()
    argv = [
        # (an export goes outside the data dir: one into it is refused before the database is read)
        part.replace("{out}", str(tmp_path / "out.json")).replace("{folder}", str(studyml_home / "shared"))
        for part in command
    ]
    assert main(argv) == ExitCode.RUN_ERROR
    err = capsys.readouterr().err
    assert f"the progress database {db} is corrupt" in err and "studyml srs restore" in err, err
    assert db.read_bytes() == before


def test_a_damaged_database_without_backups_is_not_said_to_have_backups_kept(studyml_home):
    # At start, the app's backup of a damaged database said "The backups you have were kept" where there were none.
    db = paths.db_path()
    faults.seeded_db(db)
    with open(db, "r+b") as f:
        f.seek(4096)
        f.write(random.Random(3).randbytes(4 * 4096))
    with pytest.raises(CorruptError) as e:
        backup(Store(db))
    assert "no backup was taken" in str(e.value) and "There is no backup to restore" in str(e.value)
    assert "were kept" not in str(e.value)
    assert list_backups(db.parent / "backups") == []


def test_a_backup_whose_read_fails_says_what_is_left_too(studyml_home, monkeypatch):
    # The third way a backup finds damage (SQLite fails while copying) still said "Restore a backup" with none.
    import sqlite3

    db = paths.db_path()
    faults.seeded_db(db, cards=5)

    def malformed(conn):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(backup_mod, "_integrity_check", malformed)
    with pytest.raises(CorruptError) as e:
        backup(Store(db))
    assert "reading" in str(e.value) and "There is no backup to restore" in str(e.value), str(e.value)
