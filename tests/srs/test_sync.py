"""Sync through a folder: two devices converge whatever order, delay, duplication or tearing the files suffer."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path

import pytest

from studyml.srs.scheduler import Scheduler
from studyml.srs.store import Store
from studyml.srs.sync import review_uuid, sync
from tests.srs.helpers import NOON

PACK = "p"
CARDS = [f"c{i}" for i in range(6)]


class Device:
    """A data dir with its own view of the shared folder (as Syncthing or a git clone gives each machine)."""

    def __init__(self, root: Path, name: str) -> None:
        self.store = Store(root / name / "progress.sqlite3")
        self.srs = Scheduler(self.store)
        self.folder = root / name / "sync"
        self.acked: list[tuple[str, int, int]] = []

    def study(self, card: str, rating: int, when) -> None:
        after = self.srs.review(PACK, card, rating, now=when)
        self.acked.append((card, after.last_review_ms, rating))

    def sync(self):
        return sync(self.store, self.folder)

    def reviews(self) -> list[tuple]:
        return sorted(self.store.conn.execute("SELECT pack_id, card_id, time_ms, rating FROM reviews").fetchall())

    def states(self) -> list[tuple]:
        return sorted(
            self.store.conn.execute(
                "SELECT card_id, state, step, stability, difficulty, due_ms, last_review_ms FROM progress"
            ).fetchall()
        )


def carry(src: Device, dst: Device, torn: bool = False, rng: random.Random | None = None) -> None:
    """The sync tool copies src's own files into dst's folder (whole, or cut mid-line while being written)."""
    own = src.store.get_setting("device_id")
    for f in src.folder.glob(f"{own}.jsonl"):
        target = dst.folder / f.name
        dst.folder.mkdir(parents=True, exist_ok=True)
        data = f.read_bytes()
        if torn and rng is not None and len(data) > 10:
            cut = rng.randrange(1, len(data))
            data = data[:cut]
            if target.exists() and target.stat().st_size > cut:
                continue  # a sync tool never shrinks a file it already delivered further
        target.write_bytes(data)


@pytest.fixture
def devices(tmp_path):
    a, b = Device(tmp_path, "a"), Device(tmp_path, "b")
    yield a, b
    a.store.close()
    b.store.close()


@pytest.mark.parametrize("seed", range(12))
def test_two_devices_converge_in_any_order(devices, seed):
    a, b = devices
    rng = random.Random(seed)
    t = NOON
    for _ in range(40):
        t += timedelta(minutes=rng.randint(1, 600))
        action = rng.random()
        dev = a if rng.random() < 0.5 else b
        if action < 0.6:
            dev.study(rng.choice(CARDS), rng.randint(1, 4), t)
        elif action < 0.75:
            dev.sync()
        elif action < 0.9:
            carry(*(rng.sample([a, b], 2)), torn=rng.random() < 0.4, rng=rng)
        else:
            carry(a, b)  # the same file delivered again
            carry(a, b)
    for _ in range(2):  # settle: every file delivered whole, both devices synced
        for dev in (a, b):
            dev.sync()
        carry(a, b)
        carry(b, a)
    for dev in (a, b):
        dev.sync()
    acked = sorted((PACK, c, t, r) for c, t, r in a.acked + b.acked)
    assert a.reviews() == acked, "a review was lost or duplicated"
    assert b.reviews() == acked
    assert a.states() == b.states()
    assert len(a.states()) == len({c for _, c, _, _ in acked})


def test_cards_studied_apart_are_replayed_identically(devices):
    a, b = devices
    a.study("c0", 3, NOON)
    a.sync()
    carry(a, b)
    b.sync()
    a.study("c0", 1, NOON + timedelta(days=1))  # both study the same card offline
    b.study("c0", 4, NOON + timedelta(days=1, hours=2))
    for _ in range(2):
        a.sync(), b.sync()
        carry(a, b), carry(b, a)
    a.sync(), b.sync()
    assert a.states() == b.states()
    assert [r[3] for r in a.reviews()] == [3, 1, 4]
    # The fork was replayed: every review in time order, as fsrs' own reschedule_card computes it.
    import fsrs

    from studyml.srs.scheduler import from_ms

    logs = [
        fsrs.ReviewLog(card_id=1, rating=fsrs.Rating(r), review_datetime=from_ms(t), review_duration=None)
        for _, _, t, r in a.reviews()
    ]
    expected = fsrs.Scheduler(enable_fuzzing=False).reschedule_card(fsrs.Card(card_id=1), logs)
    state = a.store.get(PACK, "c0")
    assert (state.stability, state.difficulty, state.state) == (
        expected.stability,
        expected.difficulty,
        int(expected.state),
    )


def test_a_card_studied_after_a_fork_converges_too(devices):
    a, b = devices
    a.study("c0", 3, NOON)
    b.study("c0", 3, NOON + timedelta(hours=1))  # a fork
    for _ in range(2):
        a.sync(), b.sync()
        carry(a, b), carry(b, a)
    for days in (3, 12, 40):  # then a alone studies it on: long, fuzzed intervals
        a.study("c0", 3, NOON + timedelta(days=days))
    a.sync()
    carry(a, b)
    b.sync()
    assert a.states() == b.states()


def test_sync_is_idempotent(devices):
    a, b = devices
    a.study("c1", 3, NOON)
    assert a.sync().sent == 1
    carry(a, b)
    first = b.sync()
    assert first.received == 1
    again = b.sync()
    assert (again.received, again.sent) == (0, 0)
    # The same file read from the start (settings lost) merges nothing twice.
    b.store.set_setting("sync_offsets", {})
    third = b.sync()
    assert third.received == 0 and third.duplicates == 1
    assert len(b.reviews()) == 1


def test_a_torn_last_line_is_left_for_the_next_sync(devices):
    a, b = devices
    a.study("c0", 3, NOON)
    a.study("c1", 3, NOON + timedelta(minutes=1))
    a.sync()
    own = next(a.folder.glob("*.jsonl"))
    data = own.read_bytes()
    b.folder.mkdir(parents=True)
    (b.folder / own.name).write_bytes(data[: data.index(b"\n") + 20])  # the second line cut
    report = b.sync()
    assert report.received == 1 and report.torn == [own.name] and report.problems == []
    (b.folder / own.name).write_bytes(data)
    assert b.sync().received == 1
    assert b.reviews() == a.reviews()


def test_a_malformed_record_is_reported_with_its_line_and_skipped(devices, tmp_path):
    a, b = devices
    a.study("c0", 3, NOON)
    a.sync()
    own = next(a.folder.glob("*.jsonl"))
    good = own.read_text()
    bad = json.loads(good)
    bad["rating"] = 7
    b.folder.mkdir(parents=True)
    (b.folder / "other.jsonl").write_text(
        "not json\n" + json.dumps(bad) + "\n" + json.dumps({**bad, "rating": 2, "uuid": "x"}) + "\n"
    )
    report = b.sync()
    assert [str(p).split(":")[:2] for p in report.problems] == [["other.jsonl", "1"], ["other.jsonl", "2"]]
    assert "rating" in str(report.problems[1])
    assert report.received == 1
    assert [r[3] for r in b.reviews()] == [2]


def test_a_crash_that_tore_our_own_file_cannot_swallow_the_next_record(devices):
    a, b = devices
    a.study("c0", 3, NOON)
    a.sync()
    own = next(a.folder.glob("*.jsonl"))
    with open(own, "ab") as f:
        f.write(b'{"v":1,"type":"rev')  # a crash mid-append
    a.study("c1", 3, NOON + timedelta(minutes=5))
    a.sync()
    carry(a, b)
    report = b.sync()
    assert report.received == 2
    assert len(report.problems) == 1


def test_settings_travel_newest_wins_and_device_ids_stay(devices):
    a, b = devices
    a.store.set_setting("srs", {"desired_retention": 0.85})
    a.sync()
    carry(a, b)
    b.sync()
    assert b.store.get_setting("srs") == {"desired_retention": 0.85}
    assert a.store.get_setting("device_id") != b.store.get_setting("device_id")
    assert b.sync().sent == 0  # what came from a is not echoed back


def test_our_own_file_lost_or_rolled_back_is_written_again(devices):
    a, b = devices
    a.study("c0", 3, NOON)
    a.sync()
    own = next(a.folder.glob("*.jsonl"))
    own.unlink()  # the sync tool lost it (or restored an older copy)
    a.study("c1", 3, NOON + timedelta(minutes=5))
    assert a.sync().sent == 2
    carry(a, b)
    assert b.sync().received == 2


def test_review_identity_is_the_same_on_every_device():
    assert review_uuid("p", "c", 1, 3) == review_uuid("p", "c", 1, 3) != review_uuid("p", "c", 1, 4)


def test_a_folder_that_is_a_file_is_a_clear_error(devices, tmp_path):
    a, _ = devices
    f = tmp_path / "file"
    f.write_text("x")
    from studyml.srs.store import StoreError

    with pytest.raises(StoreError, match="sync folder"):
        sync(a.store, f)


def test_a_card_studied_on_one_device_keeps_its_state_fuzz_and_all(devices):
    a, b = devices
    for days in (0, 3, 12, 40, 100):
        a.study("c0", 3, NOON + timedelta(days=days))
    before = a.states()
    a.sync()
    carry(a, b)
    b.sync()
    assert a.states() == before == b.states()


# -- the file format: version 2 (a chained review names the review it follows), and version 1 still merges ----------


def _lines(dev: Device) -> list[dict]:
    own = dev.store.get_setting("device_id")
    return [json.loads(line) for line in (dev.folder / f"{own}.jsonl").read_text().splitlines()]


def test_a_review_that_follows_the_previous_one_names_it_instead_of_repeating_its_state(devices):
    a, b = devices
    a.study("c0", 3, NOON)
    a.study("c0", 4, NOON + timedelta(days=2))
    a.sync()
    first, second = _lines(a)
    assert first["v"] == second["v"] == 2
    assert "prev" not in first and "before" not in first  # the card's first review
    assert second["prev"] == [first["time_ms"], 3] and "before" not in second
    carry(a, b)
    assert b.sync().received == 2
    assert b.states() == a.states()
    assert b.store.conn.execute("SELECT state_before FROM reviews ORDER BY time_ms").fetchall() == (
        a.store.conn.execute("SELECT state_before FROM reviews ORDER BY time_ms").fetchall()
    )


def _v1_line(row: tuple) -> str:
    """A review line exactly as studyml wrote it before format 2 (both states in full)."""
    t, pack, version, card, rating, dur, after, before, source = row
    return json.dumps(
        {
            "v": 1,
            "type": "review",
            "uuid": review_uuid(pack, card, t, rating),
            "time_ms": t,
            "pack_id": pack,
            "card_id": card,
            "rating": rating,
            "pack_version": version,
            "duration_ms": dur,
            "source": source,
            "state_after": json.loads(after),
            "state_before": json.loads(before) if before else None,
        },
        separators=(",", ":"),
    )


def test_a_file_written_in_format_1_still_merges(devices):
    a, b = devices
    for days in (0, 3, 12):
        a.study("c0", 3, NOON + timedelta(days=days))
    a.study("c1", 1, NOON)
    rows = a.store.conn.execute(
        "SELECT time_ms, pack_id, pack_version, card_id, rating, duration_ms, state_after, state_before, source"
        " FROM reviews ORDER BY id"
    ).fetchall()
    b.folder.mkdir(parents=True)
    (b.folder / "old-device.jsonl").write_text("".join(_v1_line(r) + "\n" for r in rows))
    report = b.sync()
    assert (report.received, report.problems) == (4, [])
    assert b.states() == a.states()  # the chain was recognised: the fuzzed states stand as a computed them


def test_offsets_kept_by_an_older_studyml_are_read_again(devices):
    a, b = devices
    a.study("c0", 3, NOON)
    a.study("c1", 3, NOON + timedelta(minutes=1))
    a.sync()
    carry(a, b)
    own = a.store.get_setting("device_id")
    size = (b.folder / f"{own}.jsonl").stat().st_size
    # An older studyml read the whole file, reported its format 2 lines as malformed and skipped them.
    b.store.set_setting("sync_offsets", {str(b.folder.resolve()): {f"{own}.jsonl": [size, 2]}})
    assert b.sync().received == 2
    assert b.states() == a.states()


def test_a_record_from_a_newer_studyml_stops_its_file_until_this_one_can_read_it(devices):
    a, b = devices
    a.study("c0", 3, NOON)
    a.study("c1", 3, NOON + timedelta(minutes=1))
    a.study("c2", 3, NOON + timedelta(minutes=2))
    a.sync()
    lines = (a.folder / f"{a.store.get_setting('device_id')}.jsonl").read_text().splitlines()
    future = json.dumps({**json.loads(lines[1]), "v": 9})
    b.folder.mkdir(parents=True)
    other = b.folder / "other.jsonl"
    other.write_text("\n".join([lines[0], future, lines[2]]) + "\n")
    for _ in range(2):  # reported at every sync, and nothing after it is skipped
        report = b.sync()
        assert [str(p).split(":")[:2] for p in report.problems] == [["other.jsonl", "2"]]
        assert "newer studyml" in str(report.problems[0]) and "1 line(s) after it" in str(report.problems[0])
    assert [r[1] for r in b.reviews()] == ["c0"]
    other.write_text("\n".join(lines) + "\n")  # as a studyml that reads format 9 would see it
    report = b.sync()
    assert (report.received, report.problems) == (2, [])
    assert b.states() == a.states()


def test_a_review_naming_a_review_that_is_not_in_the_file_is_reported_and_skipped(devices):
    a, b = devices
    a.study("c0", 3, NOON)
    a.study("c0", 3, NOON + timedelta(days=2))
    a.study("c1", 3, NOON)
    a.sync()
    lines = (a.folder / f"{a.store.get_setting('device_id')}.jsonl").read_text().splitlines()
    b.folder.mkdir(parents=True)
    (b.folder / "other.jsonl").write_text("\n".join(lines[1:]) + "\n")  # the review it follows is missing
    report = b.sync()
    assert [str(p).split(":")[:2] for p in report.problems] == [["other.jsonl", "1"]]
    assert "prev" in str(report.problems[0])
    assert [r[1] for r in b.reviews()] == ["c1"]


def test_a_state_spelled_another_way_still_continues_the_chain():
    from studyml.srs.sync import card_state

    after = '{"state":2,"step":null,"stability":3.5,"difficulty":5.0,"due_ms":9,"last_review_ms":1,"reps":1,"lapses":0,"first_review_ms":1}'
    spelled = '{"state":2,"stability":3.5,"difficulty":5.0,"due_ms":9,"last_review_ms":1,"reps":1,"lapses":0,"first_review_ms":1}'
    last = '{"state":2,"step":null,"stability":40.25,"difficulty":4.5,"due_ms":99,"last_review_ms":2,"reps":2,"lapses":0,"first_review_ms":1}'
    state = card_state("p", "c", [(1, 3, None, after), (2, 3, spelled, last)], settings=None)
    assert (state.stability, state.due_ms) == (40.25, 99)  # kept as logged, not replayed


def test_a_sync_with_nothing_new_writes_nothing_even_on_a_device_that_has_sent_nothing(devices):
    a, b = devices
    a.study("c0", 3, NOON)
    a.sync()
    carry(a, b)
    assert b.sync().received == 1  # b has studied nothing: it has no file of its own
    for dev in (a, b):
        changes = dev.store.conn.total_changes
        report = dev.sync()
        assert (report.sent, report.received) == (0, 0)
        assert dev.store.conn.total_changes == changes, "an idle sync wrote to the database"


def test_a_review_made_after_undoing_a_sent_one_is_still_sent(devices):
    # Sync, then undo the review just sent, then rate again: the new review takes the freed row id,
    # and must still reach the other device rather than pass for one already sent.
    a, b = devices
    a.study("c1", 3, NOON)
    assert a.sync().sent == 1
    a.srs.undo(PACK, "c1")
    a.study("c1", 1, NOON + timedelta(minutes=5))
    assert a.sync().sent == 1
    carry(a, b)
    b.sync()
    assert (PACK, "c1", int((NOON + timedelta(minutes=5)).timestamp() * 1000), 1) in b.reviews()
