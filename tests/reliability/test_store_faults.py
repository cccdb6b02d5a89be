"""Progress-store faults (issue 10, items 5–12): each reproduced through the store, scheduler or CLI the app uses."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyml import paths
from studyml.cli import ExitCode
from studyml.srs import backup as backup_mod
from studyml.srs.backup import BackupSkipped, backup, list_backups, restore
from studyml.srs.export import export_json, import_json
from studyml.srs.scheduler import Scheduler
from studyml.srs.store import CorruptError, DiskFullError, ReadOnlyError, Store, StoreError

from . import faults

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


CLI = "import sys; from studyml.cli import main; sys.exit(main())"  # the `studyml` console script


def cli(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        capture_output=True,
        text=True,
        env=env or os.environ.copy(),
        timeout=timeout,
    )


# -- 5: an unopenable database ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(faults.UNOPENABLE))
def test_unopenable_database_is_a_clear_cli_error_and_stays_untouched(kind):
    db = paths.db_path()
    faults.UNOPENABLE[kind](db)
    before = digest(db)
    r = cli("srs", "settings", "--retention", "0.85")  # a command that reads and then writes
    assert r.returncode == ExitCode.RUN_ERROR, r.stdout
    assert "Traceback" not in r.stderr and r.stderr.startswith("studyml: error: ")
    expected = {
        "not-sqlite": "not a database",
        "truncated": "corrupt or unreadable",
        "newer-schema": "newer studyml",
        "foreign-sqlite": "not a studyml progress database",
    }[kind]
    assert expected in r.stderr
    assert digest(db) == before


# -- 6: read-only database --------------------------------------------------------------------------

RATE_AS_USER = r"""
import json, sys
from studyml.tui.services import Services
from studyml.srs.store import StoreError
services = Services()
out = {}
try:
    srs = services.srs
    out["counts"] = srs.counts("p", ["card-0000", "card-0001"])
    srs.review("p", "card-0000", 3)
    out["saved"] = True
except StoreError as e:
    out["error"], out["type"] = str(e), type(e).__name__
print(json.dumps(out))
"""


def _run_unprivileged(script: Path, home: Path) -> dict:
    """Run `script` as a user the file permissions apply to (nobody when we are root)."""
    env = {**os.environ, "STUDYML_HOME": str(home)}
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd = faults.python_as_nobody()
        if cmd is None:
            pytest.skip("running as root and cannot run Python as nobody: permissions would not apply")
        r = subprocess.run([*cmd, str(script)], capture_output=True, text=True, env=env, timeout=60)
    else:
        r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert "Traceback" not in r.stderr and r.stdout.strip(), f"exit {r.returncode}: {r.stderr}"
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.fixture
def shared_home(tmp_path_factory):
    """A data dir outside the root-only pytest temp folder, so `nobody` can reach it."""
    import shutil
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="studyml-ro-"))
    os.chmod(home, 0o755)
    yield home
    os.chmod(home, 0o755)
    shutil.rmtree(home, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_database_refuses_the_rating_and_says_read_only_and_where(shared_home, what):
    db = shared_home / "progress.sqlite3"
    faults.seeded_db(db, cards=5)
    before = digest(db)
    script = shared_home / "rate.py"  # where nobody can read it (pytest's own temp folders are root-only)
    script.write_text(RATE_AS_USER)
    os.chmod(script, 0o644)
    if what == "file":
        os.chmod(shared_home, 0o777)  # only the file is read-only: the folder takes -wal and -shm
        os.chmod(db, 0o444)
    else:
        os.chmod(db, 0o666)
        os.chmod(shared_home, 0o555)
    out = _run_unprivileged(script, shared_home)
    assert "saved" not in out, "the rating claims to be saved into a read-only database"
    message = out["error"]
    assert out["type"] == "ReadOnlyError"
    assert "read-only" in message
    assert str(db if what == "file" else shared_home) in message
    assert "corrupt" not in message and "aside" not in message
    assert digest(db) == before
    if what == "file":  # the folder is writable: the learner can still see the counts
        assert out["counts"]["cards"] == 2


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


class FullOnInsert:
    """A connection whose review INSERT fails as SQLite does on a full disk (the seam is the store's connection)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, *args):
        if sql.lstrip().startswith("INSERT INTO reviews"):
            raise faults.sqlite_full()
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_disk_full_rating_is_rolled_back_and_reported(store_with_reviews):
    store = store_with_reviews
    before = store.get("p", "card-0000")
    store._conn = FullOnInsert(store._conn)
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


def test_real_full_disk_every_acknowledged_rating_is_stored_and_the_failure_is_said(tmpfs_home):
    db = tmpfs_home / "progress.sqlite3"
    seeded(db, cards=50)
    acked, error = [], None
    with Store() as store:  # the app is open when the disk fills up
        srs = Scheduler(store)
        srs.review("full", "warm-up", 3, now=NOON)
        acked.append("warm-up")
        filler = faults.fill_disk(tmpfs_home)
        for i in range(5000):
            try:
                srs.review("full", f"c{i}", 3, now=NOON + timedelta(seconds=i))
                acked.append(f"c{i}")
            except StoreError as e:
                error = e
                break
    assert isinstance(error, DiskFullError), f"no disk-full error after {len(acked)} ratings: {error!r}"
    assert "full" in str(error) and str(tmpfs_home) in str(error)
    try:  # a window opened on the full disk says so too (or opens, if the closing checkpoint freed pages)
        Store().close()
    except StoreError as e:
        assert isinstance(e, DiskFullError) and "is full" in str(e)
    filler.unlink()
    with Store() as store:
        assert store.integrity_check() == "ok"
        stored = {r.card_id for r in store.reviews(pack_id="full")}
    assert stored == set(acked), "a rating was acknowledged but not stored, or stored but not acknowledged"


def test_backup_is_skipped_with_a_message_when_space_is_short(store_with_reviews, monkeypatch):
    import shutil

    usage = shutil.disk_usage(paths.data_dir())
    monkeypatch.setattr(backup_mod.shutil, "disk_usage", lambda p: usage._replace(free=1024 * 1024))
    with pytest.raises(BackupSkipped, match=r"backup skipped: 1\.0 MiB free in .*backups"):
        backup(store_with_reviews)
    assert list(backup_mod.backups_dir().iterdir()) == []


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
    before = digest(db)
    with Store() as store:
        srs = Scheduler(store)
        with pytest.raises(CorruptError, match=r"corrupt.*left untouched.*studyml srs restore"):
            srs.review("p", "card-0001", 3)
        with pytest.raises(CorruptError, match="no backup was taken"):
            backup(store)
    assert digest(db) == before
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


def test_two_windows_rating_the_same_card_at_the_same_instant_lose_nothing():
    with Store():
        pass
    rounds, errors = 150, []
    barrier = threading.Barrier(2)

    def window(rating: int) -> None:
        with Store() as store:
            srs = Scheduler(store)
            for i in range(rounds):
                barrier.wait()
                try:
                    srs.review("p", f"c{i}", rating, now=NOON)
                except Exception as e:
                    errors.append(repr(e))

    threads = [threading.Thread(target=window, args=(r,)) for r in (3, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store() as store:
        for i in range(rounds):
            log = store.reviews(pack_id="p")
            mine = [r for r in log if r.card_id == f"c{i}"]
            assert len(mine) == 2
            first, second = sorted(mine, key=lambda r: r.time_ms)
            # The later review built on the earlier one: nothing ignored.
            assert second.state_before == first.state_after
            assert store.get("p", f"c{i}").reps == 2


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


def test_a_rating_after_a_restore_lands_in_the_restored_database():
    from studyml.tui.services import Services

    services = Services()  # the app's store, open all along
    srs = services.srs
    srs.review("p", "before-backup", 3, now=NOON)
    saved = backup(srs.store)
    srs.review("p", "after-backup", 3, now=NOON)
    r = cli("srs", "restore", str(saved))  # another process, as the learner would
    assert r.returncode == 0, r.stderr
    aside = Path(r.stdout.split("kept as ")[1].rstrip(".\n"))
    assert srs.store.changed_elsewhere()
    srs.review("p", "after-restore", 3, now=NOON)
    with Store() as live:
        assert {x.card_id for x in live.reviews()} == {"before-backup", "after-restore"}
    with Store(aside) as old:
        assert {x.card_id for x in old.reviews()} == {"before-backup", "after-backup"}


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


RESTORE_LOOP = r"""
import sys
from studyml.srs.backup import restore
print("start", flush=True)
restore(sys.argv[1])
print("done", flush=True)
"""


@pytest.mark.slow
def test_restore_killed_at_random_points_never_leaves_no_database(tmp_path):
    import random
    import signal

    with Store() as s:
        srs = Scheduler(s)
        for i in range(300):
            srs.review("p", f"old-{i}", 3, now=NOON)
        saved = backup(s)
        srs.review("p", "newest", 3, now=NOON)
    old_cards = {f"old-{i}" for i in range(300)}
    script = tmp_path / "restore.py"
    script.write_text(RESTORE_LOOP)
    rng = random.Random(11)
    seen = {"old": 0, "new": 0}
    for _ in range(20):
        p = subprocess.Popen([sys.executable, str(script), str(saved)], stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline() == "start\n"
        time.sleep(rng.uniform(0, 0.05))
        p.send_signal(signal.SIGKILL)
        p.wait()
        with Store() as s:
            cards = {r.card_id for r in s.reviews()}
            assert s.integrity_check() == "ok"
        assert cards in (old_cards, old_cards | {"newest"}), "neither the old nor the new database"
        seen["new" if cards == old_cards else "old"] += 1
        if cards == old_cards:  # restored: put the newer one back for the next round
            with Store() as s:
                Scheduler(s).review("p", "newest", 3, now=NOON)
    print(f"restore kills: {seen}")


def test_a_missing_database_with_backups_is_reported_not_replaced_by_an_empty_one():
    with Store() as s:
        Scheduler(s).review("p", "c", 3, now=NOON)
        backup(s)
    paths.db_path().unlink()
    r = cli("stats")
    assert r.returncode == ExitCode.RUN_ERROR and "Traceback" not in r.stderr
    assert "is missing, but backups" in r.stderr and "studyml srs restore" in r.stderr
    assert not paths.db_path().exists()


def test_an_interrupted_backup_leaves_no_part_file_forever():
    with Store() as s:
        Scheduler(s).review("p", "c", 3, now=NOON)
    folder = backup_mod.backups_dir()
    folder.mkdir(parents=True)
    stale = folder / "progress-20260101T000000000000Z.sqlite3.abc123.part"
    stale.write_bytes(b"half a backup")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    fresh = folder / "progress-20260101T000000000001Z.sqlite3.def456.part"  # maybe another backup, running now
    fresh.write_bytes(b"in progress")
    r = cli("srs", "backup")
    assert r.returncode == 0, r.stderr
    assert not stale.exists() and fresh.exists()


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


def test_cli_import_of_a_bad_record_is_one_clear_error(tmp_path):
    f = _file(tmp_path, reviews=[_review(0, rating=7)])
    r = cli("import", "json", str(f))
    assert r.returncode == ExitCode.CHECK_FAILED and "Traceback" not in r.stderr
    assert "reviews[0].rating: Input should be 1, 2, 3 or 4" in r.stderr


def test_a_deeply_nested_json_is_a_clean_error(tmp_path):
    f = tmp_path / "deep.json"
    f.write_text("[" * 100_000 + "]" * 100_000)
    r = cli("import", "json", str(f))
    assert r.returncode == ExitCode.CHECK_FAILED
    assert "Traceback" not in r.stderr and "RecursionError" not in r.stderr
    assert "nested too deeply" in r.stderr


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
        assert added["reviews"] == 2 and added["cards"] == 1 and added["settings"] == 1
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
