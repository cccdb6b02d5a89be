"""The store: WAL and FULL sync, versioned schema with migrations, refusals that never touch the file."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from studyml import paths
from studyml.srs import store as store_mod
from studyml.srs.backup import backup
from studyml.srs.scheduler import Scheduler, Settings
from studyml.srs.store import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, Store, StoreError, _statements, orphans
from tests.srs.helpers import NOON


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_wal_full_sync_and_versioned(store):
    c = store.conn
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.user_version == SCHEMA_VERSION
    assert c.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert store.path == paths.db_path() and store.path.parent == paths.data_dir()


def test_review_log_is_append_only(store):
    Scheduler(store).review("p", "c", 3, now=NOON)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE reviews SET rating = 1")


def test_review_row_has_everything(store):
    Scheduler(store).review("p", "c", 2, pack_version="1.2.0", duration_ms=1500, now=NOON)
    (r,) = store.reviews()
    assert (r.pack_id, r.card_id, r.rating, r.pack_version, r.duration_ms) == ("p", "c", 2, "1.2.0", 1500)
    state = store.get("p", "c").to_dict()
    assert r.state_after == {k: v for k, v in state.items() if k not in ("pack_id", "card_id")}
    assert r.state_before is None


def make_v1(path, rows=3):
    conn = sqlite3.connect(path)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    for i in range(rows):
        state = {"pack_id": "p", "card_id": "c", "state": 1, "step": 1, "due_ms": 1000 + i}
        conn.execute(
            "INSERT INTO reviews (time_ms, pack_id, card_id, rating, state_after) VALUES (?,?,?,?,?)",
            (100 + i, "p", "c", 3, json.dumps(state)),
        )
    conn.execute(
        "INSERT INTO progress (pack_id, card_id, state, step, due_ms, last_review_ms) VALUES"
        " ('p', 'c', 1, 1, 1002, 102)"
    )
    conn.commit()
    conn.close()


def test_migrates_an_older_database(srs_home):
    srs_home.mkdir(parents=True, exist_ok=True)
    make_v1(paths.db_path())
    with Store() as s:
        assert s.user_version == SCHEMA_VERSION
        state = s.get("p", "c")
        assert (state.reps, state.first_review_ms, state.last_review_ms) == (3, 100, 102)
        assert s.review_count() == 3
        s.set_setting("x", 1)  # the settings table arrived with version 2


def test_newer_database_is_refused_untouched(srs_home):
    with Store() as s:
        s.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = digest(paths.db_path())
    with pytest.raises(StoreError, match=r"newer studyml .*upgrade studyml"):
        Store()
    assert digest(paths.db_path()) == before


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x00\x13garbage" * 500,  # not a database at all
        b"hello",  # too short to be one
        None,  # a real SQLite header followed by garbage pages
    ],
)
def test_corrupt_database_gives_a_way_out_and_stays_byte_identical(srs_home, garbage):
    with Store() as s:
        Scheduler(s).review("p", "c", 3, now=NOON)
        backup(s)
    db = paths.db_path()
    if garbage is None:
        raw = bytearray(db.read_bytes())
        raw[100:] = b"\xff" * (len(raw) - 100)
        garbage = bytes(raw)
    db.write_bytes(garbage)
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    before = digest(db)
    with pytest.raises(StoreError) as err:
        Store()
    message = str(err.value)
    assert "left untouched" in message and "studyml srs restore" in message, message
    assert digest(db) == before and db.stat().st_size == len(garbage)
    assert not db.with_name(db.name + "-wal").exists() or db.with_name(db.name + "-wal").stat().st_size == 0


def test_emptied_database_with_backups_is_refused(srs_home):
    with Store() as s:
        backup(s)
    paths.db_path().write_bytes(b"")
    with pytest.raises(StoreError, match="empty but backups exist"):
        Store()
    assert paths.db_path().read_bytes() == b""


def test_foreign_sqlite_file_is_refused(srs_home):
    srs_home.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(paths.db_path())
    conn.execute("CREATE TABLE other(x)")
    conn.commit()
    conn.close()
    before = digest(paths.db_path())
    with pytest.raises(StoreError, match="not a studyml progress database"):
        Store()
    assert digest(paths.db_path()) == before


def test_no_backup_message_when_there_are_none(srs_home):
    srs_home.mkdir(parents=True, exist_ok=True)
    paths.db_path().write_bytes(b"not a database" * 20)
    with pytest.raises(StoreError, match="No backups found"):
        Store()


def test_counts_and_orphans(store):
    s = Scheduler(store, Settings(enable_fuzzing=False))
    for cid in ("a", "b", "old"):
        s.review("p", cid, 4, now=NOON)
    c = s.counts("p", ["a", "b", "c", "d"], NOON)
    assert (c["cards"], c["new"], c["learned"], c["due"], c["mastered"]) == (4, 2, 2, 0, 0)
    assert orphans("p", ["a", "b", "c"], store) == ["old"]
    assert orphans("p", ["a", "b", "c"]) == ["old"]  # opens the default database itself
    assert orphans("nope", []) == []


def test_quiz_attempts_and_demo_runs(store):
    store.record_quiz("p", "q1", "c1", {"choice": "b"}, True, time_ms=5)
    store.record_demo_run("softmax", {"t": 1.0}, [{"claim": "sums to 1", "ok": True}], 12.5, True, time_ms=6)
    assert store.quiz_attempts() == [
        dict(time_ms=5, pack_id="p", item_id="q1", card_id="c1", answer={"choice": "b"}, correct=True)
    ]
    (run,) = store.demo_runs()
    assert run["plugin_id"] == "softmax" and run["params"] == {"t": 1.0} and run["ok"] is True


def test_a_failed_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as c:
            c.execute("INSERT INTO settings VALUES ('k', '1')")
            raise RuntimeError
    assert store.get_setting("k") is None


def test_store_module_imports_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys, studyml.srs.store, studyml.srs.scheduler, studyml.cli.srs, studyml.cli.transfer; "
        "bad = [m for m in ('torch', 'sympy', 'studyml.tui', 'numpy', 'genanki', 'fsrs') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"imported at start-up: {out}"
    assert len(MIGRATIONS) == store_mod.SCHEMA_VERSION


def make_v3(path) -> None:
    """A database as studyml with schema 3 left it: reviews made here and received, one id freed by an undo."""
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:3]:
        for statement in _statements(migration):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 3")
    state = '{"state":1,"step":0,"stability":2.3,"difficulty":5.1,"due_ms":%d,"last_review_ms":%d,"reps":1,"lapses":0,"first_review_ms":%d}'
    for rid, t, source, uid in [
        (1, 100, "card", None),
        (2, 200, "quiz", None),
        (3, 300, "card", "u-3"),
        (5, 500, "card", None),
    ]:
        conn.execute(
            "INSERT INTO reviews (id, time_ms, pack_id, card_id, rating, duration_ms, state_after, state_before, source,"
            " uuid) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (rid, t, "p", f"c{rid}", 3, 900 + rid, state % (t + 10, t, t), None, source, uid),
        )
    conn.execute(
        "INSERT INTO progress (pack_id, card_id, state, step, due_ms, last_review_ms, reps, suspended, flag)"
        " VALUES ('p', 'c5', 1, 0, 510, 500, 1, 1, 3)"
    )
    conn.execute(
        "INSERT INTO quiz_attempts (time_ms, pack_id, item_id, correct, seed, uuid) VALUES (7, 'p', 'q', 1, 4, 'x')"
    )
    conn.execute("INSERT INTO demo_runs (time_ms, plugin_id, params, claims, ok) VALUES (8, 'd', '{}', '[]', 1)")
    conn.execute("INSERT INTO settings VALUES ('sync_dir', '\"/x\"')")
    conn.commit()
    conn.close()


def _dump(path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
            for t in ("reviews", "progress", "quiz_attempts", "demo_runs", "settings")
        }
    finally:
        conn.close()


def test_schema_4_keeps_every_row_of_a_schema_3_database(srs_home):
    srs_home.mkdir(parents=True, exist_ok=True)
    make_v3(paths.db_path())
    before = _dump(paths.db_path())
    with Store() as s:
        assert s.user_version == SCHEMA_VERSION == 4
        c = s.conn
        assert _dump(paths.db_path()) == before  # every row, with its id, uuid and source
        indexes = {
            r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reviews'")
        }
        assert {"reviews_identity", "reviews_time"} <= indexes and "reviews_uuid" not in indexes
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            c.execute("UPDATE reviews SET rating = 1")
        with pytest.raises(sqlite3.IntegrityError):  # the identity is still unique
            c.execute(
                "INSERT INTO reviews (time_ms, pack_id, card_id, rating, state_after) VALUES (100, 'p', 'c1', 3, '{}')"
            )
        assert s.integrity_check() == "ok"
        assert c.execute("SELECT count(*) FROM undone_reviews").fetchone()[0] == 0


def test_review_ids_are_never_reused_after_an_undo(store):
    srs = Scheduler(store)
    srs.review("p", "c", 3, now=NOON)
    first = store.last_review("p", "c").id
    srs.undo("p", "c")
    srs.review("p", "c", 1, now=NOON)
    assert store.last_review("p", "c").id > first
    (tombstone,) = store.conn.execute("SELECT pack_id, card_id, rating, review_id, here FROM undone_reviews")
    assert tombstone == ("p", "c", 3, first, 1)


def test_undoing_a_flagged_cards_first_review_keeps_the_flag(store):
    # A first review logged without a state before (as a sync brings a card this device flagged but never studied).
    from studyml.srs.store import CardState, Review

    store.set_card_action("p", "c", flag=4)
    after = CardState("p", "c", state=1, step=1, due_ms=2, last_review_ms=1, reps=1, first_review_ms=1)
    rid = store.record_review(Review(time_ms=1, pack_id="p", card_id="c", rating=3), after)
    assert store.undo_review(rid) is None
    state = store.get("p", "c")
    assert state is not None and state.is_new and state.reps == 0
    assert store.card_actions("p") == {"c": (False, None, 4)}


def _indexes(store) -> set[str]:
    return {
        r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reviews'")
    }


def test_adding_many_reviews_builds_the_time_index_again_and_a_failure_keeps_it(store):
    from studyml.srs.store import BULK_REVIEWS

    rows = [(t, "p", "c", 3, "{}") for t in range(BULK_REVIEWS)]
    sql = "INSERT INTO reviews (time_ms, pack_id, card_id, rating, state_after) VALUES (?,?,?,?,?)"
    with pytest.raises(RuntimeError), store.transaction() as c, store.adding_reviews(len(rows)):
        assert "reviews_time" not in _indexes(store)  # dropped while the rows go in
        c.executemany(sql, rows)
        raise RuntimeError("a failure half-way")
    assert "reviews_time" in _indexes(store) and store.review_count() == 0
    with store.transaction() as c, store.adding_reviews(len(rows)):
        c.executemany(sql, rows)
    assert {"reviews_time", "reviews_identity"} <= _indexes(store)
    assert store.integrity_check() == "ok"
    plan = " ".join(
        r[-1] for r in store.conn.execute("EXPLAIN QUERY PLAN SELECT time_ms FROM reviews WHERE time_ms >= 5")
    )
    assert "reviews_time" in plan
    with store.transaction(), store.adding_reviews(10):  # few: nothing dropped
        assert "reviews_time" in _indexes(store)


def test_a_read_only_database_and_the_side_files_a_read_left_are_named_at_once(tmp_path, monkeypatch):
    # Reading a database of mode 444 leaves a -wal and a -shm of mode 444 (SQLite gives them the database's mode):
    # the learner who did `chmod u+w` as told was told the -wal next, and then the -shm.
    import os

    from studyml.srs import store as store_module

    db = tmp_path / "progress.sqlite3"
    with Store(db):
        pass
    side = [tmp_path / "progress.sqlite3-wal", tmp_path / "progress.sqlite3-shm"]
    for f in side:
        f.write_bytes(b"")
    blocked = {db, *side}
    real = os.access
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: Path(p) not in blocked and real(p, mode))
    with pytest.raises(store_module.ReadOnlyError) as e:
        with Store(db) as store:
            store.writable()
    message = str(e.value)
    assert f"{db}, {side[0]} and {side[1]} cannot be written by this user" in message, message
    assert f"`chmod u+w {db} {side[0]} {side[1]}`" in message and "Make them writable" in message
    blocked = {tmp_path, side[0]}  # the folder, and a file in it: both
    with pytest.raises(store_module.ReadOnlyError) as e:
        with Store(db) as store:
            store.writable()
    assert f"{tmp_path} and {side[0]} cannot be written by this user" in str(e.value), str(e.value)
    blocked = {side[1]}  # one file: said as before
    with pytest.raises(store_module.ReadOnlyError) as e:
        with Store(db) as store:
            store.writable()
    assert f"{side[1]} cannot be written by this user" in str(e.value) and "Make it writable" in str(e.value)


def test_a_read_only_shm_left_by_a_read_only_run_is_named_as_what_stands_in_the_way(tmp_path, monkeypatch):
    # The message named progress.sqlite3 (chmod u+w it), already writable: the -shm of mode 444 was the reason.
    # Tests run as root, which ignores permissions: os.access answers as it would for the learner.
    import os

    from studyml.srs import store as store_module

    db = tmp_path / "progress.sqlite3"
    with Store(db):
        pass
    shm = tmp_path / "progress.sqlite3-shm"
    shm.write_bytes(b"")
    real = os.access
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: Path(p) != shm and real(p, mode))
    assert store_module.read_only_reason(db) == shm


def test_a_write_kept_waiting_by_a_long_sync_says_a_sync_may_hold_the_lock(tmp_path):
    # The app's own start sync, merging 250,000 records, held the lock while the learner rated: the message blamed
    # "another studyml", of which there was none.
    import sqlite3 as sq

    from studyml.srs.store import Store, StoreError

    with Store(tmp_path / "p.sqlite3") as store:
        other = sq.connect(tmp_path / "p.sqlite3", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        store.conn.execute("PRAGMA busy_timeout = 50")
        try:
            with pytest.raises(StoreError, match=r"a sync merging many records, here or in another studyml"):
                with store.transaction():
                    pass
        finally:
            other.execute("ROLLBACK")
            other.close()
