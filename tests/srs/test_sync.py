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
