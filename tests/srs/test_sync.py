"""Sync through a folder: two devices converge whatever order, delay, duplication or tearing the files suffer."""

from __future__ import annotations

import json
import os
import random
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from studyml.srs.scheduler import Scheduler
from studyml.srs.store import Store
from studyml.srs.sync import SyncFolderMissing, review_uuid, sync
from tests.srs.helpers import NOON

PACK = "p"
CARDS = [f"c{i}" for i in range(6)]


class Device:
    """A data dir with its own view of the shared folder (as Syncthing or a git clone gives each machine)."""

    def __init__(self, root: Path, name: str) -> None:
        self.store = Store(root / name / "progress.sqlite3")
        self.srs = Scheduler(self.store)
        self.folder = root / name / "sync"
        self.folder.mkdir(parents=True)  # the learner's synced folder exists: sync never makes one
        self.acked: list[tuple[str, int, int]] = []

    def study(self, card: str, rating: int, when) -> None:
        after = self.srs.review(PACK, card, rating, now=when)
        self.acked.append((card, after.last_review_ms, rating))

    def undo(self, card: str) -> tuple[str, str, int, int]:
        """Undo the card's latest review here; returns the identity of the review undone."""
        last = self.store.last_review(PACK, card)
        assert last is not None
        self.srs.undo(PACK, card)
        return (PACK, card, last.time_ms, last.rating)

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
    b.folder.mkdir(parents=True, exist_ok=True)
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
    b.folder.mkdir(parents=True, exist_ok=True)
    (b.folder / "other.jsonl").write_text(
        "not json\n" + json.dumps(bad) + "\n" + json.dumps({**bad, "rating": 2, "uuid": "x"}) + "\n"
    )
    report = b.sync()
    assert [(p.file, p.line) for p in report.problems] == [("other.jsonl", 1), ("other.jsonl", 2), ("other.jsonl", 0)]
    assert "rating" in str(report.problems[1])
    # Once for the file, what to do: a block a sync tool zeroed mid-file lost its lines for good, and said nothing.
    assert report.problems[2].message.startswith("2 damaged lines skipped. To repair: delete this file")
    assert report.received == 1
    assert [r[3] for r in b.reviews()] == [2]


def test_a_line_nested_thousands_deep_is_reported_and_skipped_not_an_internal_error(devices):
    # 2.5 KB of brackets in any device's file made every sync end with "internal error: RecursionError", for good.
    a, b = devices
    a.study("c0", 3, NOON)
    a.sync()
    good = next(a.folder.glob("*.jsonl")).read_text()
    deep = '{"v":2,"type":"quiz","uuid":"q","time_ms":1,"pack_id":"p","item_id":"i","correct":true,"answer":'
    (b.folder / "other.jsonl").write_text(deep + "[" * 1200 + "]" * 1200 + "}\n" + good)
    report = b.sync()
    assert [(p.file, p.line) for p in report.problems] == [("other.jsonl", 1), ("other.jsonl", 0)]
    assert report.received == 1 and len(b.reviews()) == 1


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
    # The torn line is cut off, not ended with a newline: ended, it was a damaged line every device reported at every
    # sync, and its owner never did.
    assert report.problems == []
    assert [json.loads(line)["card_id"] for line in own.read_bytes().splitlines()] == ["c0", "c1"]


def test_a_torn_last_line_is_cut_off_even_when_there_is_nothing_to_send(devices):
    # Only an append cut it: with nothing new here, the other devices listed the file as still arriving at every sync.
    a, b = devices
    a.study("c0", 3, NOON)
    a.sync()
    own = next(a.folder.glob("*.jsonl"))
    whole = own.read_bytes()
    with open(own, "ab") as f:
        f.write(b'{"v":2,"type":"review","uuid":"')  # a crash mid-append
    report = a.sync()
    assert report.sent == 0 and own.read_bytes() == whole
    carry(a, b)
    report = b.sync()
    assert (report.received, report.torn, report.problems) == (1, [], [])


def _own_lines(device: Device, folder: Path | None = None) -> list[str]:
    own = (folder or device.folder) / f"{device.store.get_setting('device_id')}.jsonl"
    return [json.loads(line)["uuid"] for line in own.read_bytes().splitlines()]


def test_this_devices_file_cut_short_mid_line_is_cut_back_and_completed_not_written_twice(devices):
    # A sync tool delivered an older, partial copy of this device's own file: the device wrote its whole history
    # again after the broken fragment (10 lines for 5 records), and every other device reported the fragment.
    a, b = devices
    for k in range(5):
        a.study(CARDS[k], 3, NOON + timedelta(minutes=k))
    a.sync()
    own = a.folder / f"{a.store.get_setting('device_id')}.jsonl"
    whole = _own_lines(a)
    os.truncate(own, own.stat().st_size - 50)
    report = a.sync()
    assert report.sent == 1 and report.problems == []
    assert _own_lines(a) == whole
    carry(a, b)
    report = b.sync()
    assert report.received == 5 and report.problems == [] and b.reviews() == a.reviews()


def test_a_folder_copied_to_a_new_place_gets_nothing_its_file_there_holds(devices, tmp_path):
    # Switching sync services: the folder copied, then synced at its new path. The device sent its history again
    # after the same records in its file there, each uuid twice.
    a, b = devices
    for k in range(5):
        a.study(CARDS[k], 3, NOON + timedelta(minutes=k))
    a.sync()
    copy = tmp_path / "copy"
    shutil.copytree(a.folder, copy)
    a.folder = copy
    a.study(CARDS[5], 3, NOON + timedelta(hours=1))
    report = a.sync()
    assert report.sent == 1 and report.read_back == 5
    uuids = _own_lines(a)
    assert len(uuids) == len(set(uuids)) == 6
    assert a.sync().sent == 0


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
    b.folder.mkdir(parents=True, exist_ok=True)
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
    b.folder.mkdir(parents=True, exist_ok=True)
    other = b.folder / "other.jsonl"
    other.write_text("\n".join([lines[0], future, lines[2]]) + "\n")
    for _ in range(2):  # reported at every sync, and nothing after it is skipped
        report = b.sync()
        assert [str(p).split(":")[:2] for p in report.problems] == [["other.jsonl", "2"]]
        assert "newer studyml" in str(report.problems[0]) and "1 line after it" in str(report.problems[0])
    assert [r[1] for r in b.reviews()] == ["c0"]
    other.write_text("\n".join(lines) + "\n")  # as a studyml that reads format 9 would see it
    report = b.sync()
    assert (report.received, report.problems) == (2, [])
    assert b.states() == a.states()
    # The newer record last in its file: "upgrade studyml to merge it", not "… it and the 0 lines after it".
    other.write_text("\n".join([*lines, future]) + "\n")
    problems = [str(p) for p in sync(b.store, b.folder, again=True).problems]
    assert len(problems) == 1 and problems[0].endswith("upgrade studyml to merge it"), problems


def test_a_review_naming_a_review_that_is_not_in_the_file_is_reported_and_skipped(devices):
    a, b = devices
    a.study("c0", 3, NOON)
    a.study("c0", 3, NOON + timedelta(days=2))
    a.study("c1", 3, NOON)
    a.sync()
    lines = (a.folder / f"{a.store.get_setting('device_id')}.jsonl").read_text().splitlines()
    b.folder.mkdir(parents=True, exist_ok=True)
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
    # Sync, then undo the review just sent, then rate again: the new review must reach the other device rather
    # than pass for one already sent (review ids are never reused).
    a, b = devices
    a.study("c1", 3, NOON)
    assert a.sync().sent == 1
    a.srs.undo(PACK, "c1")
    a.study("c1", 1, NOON + timedelta(minutes=5))
    assert a.sync().sent == 2  # the new review, and the undo of the one sent before
    carry(a, b)
    b.sync()
    assert b.reviews() == [(PACK, "c1", int((NOON + timedelta(minutes=5)).timestamp() * 1000), 1)]


# -- undo: a review undone after it was sent is undone on every device ----------------------------------------------


def _ms(when) -> int:
    return int(when.timestamp() * 1000)


def _undo_then_rate_again(a: Device, b: Device) -> tuple:
    """a rates c1, sends it, b merges it; then a undoes it and rates the card again differently."""
    a.study("c1", 3, NOON)
    a.study("c2", 3, NOON)
    a.sync()
    carry(a, b)
    assert b.sync().received == 2
    undone = a.undo("c1")
    a.study("c1", 1, NOON + timedelta(minutes=5))
    return undone


ORDERS = {
    "a sends, b merges": ["a", "a>b", "b"],
    "b syncs first": ["b", "a", "a>b", "b"],
    "b studies the card before the undo arrives": ["b-study", "b", "b>a", "a", "a>b", "b", "b>a", "a"],
    "the file twice, then b": ["a", "a>b", "a>b", "b", "b"],
    "b studies first and both sync twice": ["b-study", "a", "b", "a>b", "b>a", "a", "b", "a>b", "b>a", "a", "b"],
}


@pytest.mark.parametrize("order", list(ORDERS))
def test_an_undone_review_that_was_sent_is_undone_on_every_device(devices, order):
    a, b = devices
    undone = _undo_then_rate_again(a, b)
    got_undo = 0
    for step in ORDERS[order]:
        if step == "a":
            a.sync()
        elif step == "b":
            got_undo += b.sync().undone
        elif step == "b-study":
            b.study("c1", 4, NOON + timedelta(minutes=20))  # b goes on from the review a will undo
        else:
            src, dst = (a, b) if step == "a>b" else (b, a)
            carry(src, dst)
    for _ in range(2):
        a.sync()
        got_undo += b.sync().undone
        carry(a, b), carry(b, a)
    a.sync(), b.sync()
    assert undone not in a.reviews() and undone not in b.reviews()
    assert a.reviews() == b.reviews()
    expected = [(PACK, "c1", _ms(NOON + timedelta(minutes=5)), 1), (PACK, "c2", _ms(NOON), 3)]
    if "b-study" in ORDERS[order]:
        expected.insert(1, (PACK, "c1", _ms(NOON + timedelta(minutes=20)), 4))
    assert a.reviews() == expected
    assert a.states() == b.states()
    assert got_undo == 1, "b deleted the undone review exactly once"
    assert b.store.review_count() == len(expected)


def test_a_card_whose_only_review_is_undone_is_new_again_everywhere_and_keeps_its_flag(devices):
    a, b = devices
    a.study("c1", 3, NOON)
    a.sync()
    carry(a, b)
    b.sync()
    b.store.set_card_action(PACK, "c1", flag=2)
    a.undo("c1")
    assert a.store.get(PACK, "c1") is None
    report = a.sync()
    assert report.sent == 1
    carry(a, b)
    report = b.sync()
    assert (report.received, report.undone) == (1, 1)
    assert b.reviews() == []
    state = b.store.get(PACK, "c1")
    assert state is not None and state.is_new and state.reps == 0
    assert b.store.card_actions(PACK) == {"c1": (False, None, 2)}
    assert b.store.known_card_ids(PACK) == set()


def test_an_undo_arriving_before_its_review_and_a_file_read_again_never_bring_it_back(devices, tmp_path):
    a, b = devices
    undone = _undo_then_rate_again(a, b)
    a.sync()
    # c never saw the review: it gets a's whole file late, review and undo in one read.
    c = Device(tmp_path, "c")
    try:
        carry(a, c)
        report = c.sync()
        assert report.problems == [] and undone not in c.reviews()
        assert c.reviews() == a.reviews()
        # Read again from the start (offsets lost): the undone review is recognised, nothing changes.
        c.store.set_setting("sync_offsets", {})
        again = c.sync()
        assert (again.received, again.undone) == (0, 0) and again.duplicates == 4
        assert c.reviews() == a.reviews() and c.states() == a.states()
    finally:
        c.store.close()
    carry(a, b)
    assert b.sync().undone == 1
    b.store.set_setting("sync_offsets", {})
    assert b.sync().received == 0
    assert undone not in b.reviews() and b.reviews() == a.reviews() and b.states() == a.states()


def test_an_undo_of_a_received_review_reaches_the_device_that_made_it(devices):
    a, b = devices
    a.study("c1", 3, NOON)
    a.sync()
    carry(a, b)
    b.sync()
    undone = b.undo("c1")  # b undoes a's review
    assert b.sync().sent == 1
    carry(b, a)
    assert a.sync().undone == 1
    assert undone not in a.reviews() and a.store.get(PACK, "c1") is None
    # a's own file still holds the review: b never merges it again, and a studies on from a new card.
    a.study("c1", 2, NOON + timedelta(hours=1))
    a.sync()
    carry(a, b)
    b.store.set_setting("sync_offsets", {})
    b.sync()
    assert a.reviews() == b.reviews() == [(PACK, "c1", _ms(NOON + timedelta(hours=1)), 2)]
    assert a.states() == b.states()


def test_a_review_undone_before_it_was_sent_sends_no_undo(devices):
    a, b = devices
    a.study("c1", 3, NOON)
    a.undo("c1")
    a.study("c1", 4, NOON + timedelta(minutes=1))
    assert a.sync().sent == 1
    assert [r["type"] for r in _lines(a)] == ["review"]
    changes = a.store.conn.total_changes
    assert a.sync().sent == 0 and a.store.conn.total_changes == changes  # and the next sync is idle


def test_a_review_that_follows_an_undone_one_still_merges(devices, tmp_path):
    # b undoes a's review while a, not knowing yet, rates the card again: a's new review names the undone one as
    # the state it started from (`prev`). Every device, whichever it read first, still merges it.
    a, b = devices
    a.study("c1", 3, NOON)
    a.sync()
    carry(a, b)
    b.sync()
    b.undo("c1")
    b.sync()
    a.study("c1", 4, NOON + timedelta(days=2))
    a.sync()
    assert _lines(a)[-1]["prev"] == [_ms(NOON), 3]
    c = Device(tmp_path, "c")
    try:
        carry(b, c)  # c reads b's undo first, then a's file
        c.sync()
        carry(a, c)
        carry(a, b)
        for dev in (b, c):
            report = dev.sync()
            assert report.problems == []
        carry(b, a)
        a.sync()
        expected = [(PACK, "c1", _ms(NOON + timedelta(days=2)), 4)]
        assert a.reviews() == b.reviews() == c.reviews() == expected
        assert a.states() == b.states() == c.states()
    finally:
        c.store.close()


@pytest.mark.parametrize("seed", range(12))
def test_two_devices_that_undo_converge_in_any_order(devices, seed):
    a, b = devices
    rng = random.Random(1000 + seed)
    t = NOON
    kept: set[tuple] = set()
    for _ in range(50):
        t += timedelta(minutes=rng.randint(1, 600))
        action = rng.random()
        dev = a if rng.random() < 0.5 else b
        if action < 0.45:
            card = rng.choice(CARDS[:3])
            dev.study(card, rng.randint(1, 4), t)
            kept.add((PACK, card, dev.acked[-1][1], dev.acked[-1][2]))
        elif action < 0.6:
            card = rng.choice(CARDS[:3])
            if dev.store.last_review(PACK, card) is not None:
                kept.discard(dev.undo(card))
        elif action < 0.75:
            dev.sync()
        elif action < 0.9:
            carry(*(rng.sample([a, b], 2)), torn=rng.random() < 0.4, rng=rng)
        else:
            carry(a, b)
            carry(a, b)
    for _ in range(2):
        for dev in (a, b):
            dev.sync()
        carry(a, b)
        carry(b, a)
    for dev in (a, b):
        dev.sync()
    assert a.reviews() == sorted(kept), "an undone review survived or a kept one was lost"
    assert b.reviews() == sorted(kept)
    assert a.states() == b.states()


def test_lines_are_written_in_format_2_but_an_undo_which_older_readers_stop_at(devices):
    a, b = devices
    undone = _undo_then_rate_again(a, b)
    a.store.set_setting("srs", {"desired_retention": 0.85})
    a.sync()
    lines = _lines(a)
    assert [(r["type"], r["v"]) for r in lines] == [
        ("review", 2),
        ("review", 2),
        ("review", 2),
        ("setting", 2),
        ("undo", 3),
    ]
    assert lines[-1]["review"] == [undone[2], undone[3]] and lines[-1]["card_id"] == "c1"


def test_a_studyml_that_reads_format_2_stops_at_an_undo_until_it_is_upgraded(devices):
    from tests.srs import sync_format2 as old

    a, b = devices
    a.study("c1", 3, NOON)
    a.sync()
    a.undo("c1")
    a.study("c1", 1, NOON + timedelta(minutes=5))
    a.sync()  # the undo line is the last
    a.study("c2", 3, NOON + timedelta(minutes=6))
    a.sync()  # a review after the undo line
    carry(a, b)
    report = old.sync(b.store, b.folder)
    assert [str(p).split(":")[1] for p in report.problems] == ["3"]
    assert "newer studyml (record format 3" in str(report.problems[0]) and "upgrade studyml" in str(report.problems[0])
    # What came before the undo line merged; the undo and everything after it wait (nothing skipped).
    assert [r[1:] for r in b.reviews()] == [("c1", _ms(NOON), 3), ("c1", _ms(NOON + timedelta(minutes=5)), 1)]
    assert len(old.sync(b.store, b.folder).problems) == 1  # reported at every sync
    # Upgraded, b reads on from the undo line (the older reader's offsets stand: nothing is read twice).
    report = b.sync()
    assert (report.received, report.duplicates, report.undone, report.problems) == (2, 0, 1, [])
    assert b.reviews() == a.reviews() and b.states() == a.states()


def test_a_state_with_numbers_written_with_an_exponent_is_stored_as_the_log_writes_it(devices):
    # The merge encodes states with pydantic-core, which writes 1e-05 as 0.00001 and 1e-07 as 1e-7: such states
    # must still be stored exactly as store.state_json writes them, so every device compares the same texts.
    a, b = devices
    a.study("c0", 3, NOON)
    a.sync()
    line = _lines(a)[0]
    states = [  # (a difficulty is 1 to 10: the exponents are in stabilities)
        {**line["after"], "stability": 1e-05, "difficulty": 2.5},
        {**line["after"], "stability": 1e-07, "difficulty": 5.5},
        {**line["after"], "stability": 0.000099, "difficulty": 1.0},
        {**line["after"], "stability": 2.5e16, "difficulty": 10.0},
    ]
    b.folder.mkdir(parents=True, exist_ok=True)
    (b.folder / "other.jsonl").write_text(
        "".join(
            json.dumps({**line, "card_id": f"x{i}", "uuid": f"u{i}", "after": s}, separators=(",", ":")) + "\n"
            for i, s in enumerate(states)
        )
    )
    report = b.sync()
    assert (report.received, report.problems) == (4, [])
    stored = [r[0] for r in b.store.conn.execute("SELECT state_after FROM reviews ORDER BY card_id")]
    assert stored == [json.dumps(s, separators=(",", ":")) for s in states]
    assert "1e-05" in stored[0] and "1e-07" in stored[1] and "9.9e-05" in stored[2] and "2.5e+16" in stored[3]


def test_every_review_read_is_stored_exactly_across_insert_batches(devices, monkeypatch, tmp_path):
    # A new device inserts what it reads many rows per statement: every row, in full, whatever the batch edges.
    from studyml.srs import sync as sync_module

    monkeypatch.setattr(sync_module, "_ROWS_PER_INSERT", 7)  # 38 reviews: 5 full batches and a part of one
    a, b = devices
    rng = random.Random(1)
    t = NOON
    for _ in range(38):
        t += timedelta(minutes=rng.randint(1, 600))
        a.study(rng.choice(CARDS), rng.randint(1, 4), t)
    a.sync()
    carry(a, b)
    report = b.sync()
    assert (report.received, report.problems) == (38, [])
    columns = "time_ms, pack_id, pack_version, card_id, rating, duration_ms, state_after, state_before, source"
    rows = f"SELECT {columns} FROM reviews ORDER BY pack_id, card_id, time_ms"
    assert b.store.conn.execute(rows).fetchall() == a.store.conn.execute(rows).fetchall()
    assert b.states() == a.states()
    # A device that studied before (one of the same cards, and one of its own) gets every review it lacked.
    c = Device(tmp_path, "c")
    try:
        c.study(CARDS[0], 3, NOON - timedelta(days=1))
        c.study("mine", 4, NOON - timedelta(days=1))
        carry(a, c)
        report = c.sync()
        assert (report.received, report.problems) == (38, [])
        mine = f"SELECT {columns} FROM reviews WHERE time_ms >= ? ORDER BY pack_id, card_id, time_ms"
        since = int((NOON - timedelta(hours=1)).timestamp() * 1000)
        assert c.store.conn.execute(mine, (since,)).fetchall() == a.store.conn.execute(mine, (since,)).fetchall()
        assert len(c.reviews()) == 40
    finally:
        c.store.close()


def test_a_link_in_place_of_this_devices_file_is_refused_not_written_through(devices, tmp_path):
    # Sync appended its records to whatever the link named (/etc/passwd, run as root).
    from studyml.srs.store import StoreError

    a, _ = devices
    a.study("c0", 3, NOON)
    a.sync()
    own = a.folder / f"{a.store.get_setting('device_id')}.jsonl"
    target = tmp_path / "passwd"
    target.write_text("root:x:0:0::/root:/bin/sh\n")
    own.unlink()
    own.symlink_to(target)
    a.study("c1", 3, NOON + timedelta(minutes=5))
    with pytest.raises(StoreError, match="is a symbolic link; studyml writes only a file of its own there"):
        a.sync()
    assert target.read_text() == "root:x:0:0::/root:/bin/sh\n"
    own.unlink()  # as the message says: then the sync sends everything again
    assert a.sync().sent == 2


def test_a_file_deleted_and_written_again_longer_is_read_again_from_the_start(devices):
    # A kept "read up to byte N" of b's file; deleted and written again in full with more, the file was longer than
    # N, so A read on from N: in the middle of a line ("Invalid JSON"), and what came before N never arrived.
    a, b = devices
    for k in range(8):
        b.study(CARDS[k % 6], 3, NOON + timedelta(days=k))
    b.sync()
    carry(b, a)
    assert a.sync().received == 8
    b.undo(CARDS[7 % 6])
    b.undo(CARDS[6 % 6])
    b.sync()
    carry(b, a)
    assert a.sync().undone == 2
    own = f"{b.store.get_setting('device_id')}.jsonl"
    (b.folder / own).unlink()
    (a.folder / own).unlink()
    for k in range(8, 20):
        b.study(CARDS[k % 6], 2, NOON + timedelta(days=k))
    b.sync()  # its file is gone: b writes everything again, without what it undid, so the bytes differ
    carry(b, a)
    report = a.sync()
    assert report.problems == [] and report.received == 12
    assert a.reviews() == b.reviews() and a.states() == b.states()


@pytest.mark.parametrize("field", ["time_ms", "after.due_ms", "after.reps"])
def test_a_number_past_what_sqlite_holds_is_reported_and_skipped_not_a_stop(devices, field):
    # 2**63 in one line stopped every sync: "internal error: OverflowError: Python int too large to convert to
    # SQLite INTEGER", naming no file or line, and nothing was received.
    a, b = devices
    b.study("c0", 3, NOON)
    b.study("c1", 3, NOON + timedelta(minutes=1))
    b.sync()
    own = b.folder / f"{b.store.get_setting('device_id')}.jsonl"
    first, second = own.read_text().splitlines()
    record = json.loads(first)
    where = record["after"] if field.startswith("after.") else record
    where[field.split(".")[-1]] = 2**63
    own.write_text(json.dumps(record) + "\n" + second + "\n")
    carry(b, a)
    report = a.sync()
    assert report.received == 1
    problem, repair = report.problems
    assert problem.line == 1 and field.split(".")[-1] in problem.message and "skipped" in problem.message
    assert repair.line == 0 and repair.message.startswith("1 damaged line skipped. To repair")


def test_a_damaged_line_says_how_to_repair_and_the_repair_converges(devices):
    # A damaged line made every later review of its card from that device be skipped, for good, and the message
    # said nothing about what to do.
    a, b = devices
    b.study("c0", 3, NOON)
    b.sync()
    own = f"{b.store.get_setting('device_id')}.jsonl"
    carry(b, a)
    (a.folder / own).write_bytes(b"\xff" + (a.folder / own).read_bytes()[1:])  # damaged on the way
    a.sync()
    b.study("c0", 3, NOON + timedelta(days=3))
    b.sync()
    carry(b, a)
    (a.folder / own).write_bytes(b"\xff" + (a.folder / own).read_bytes()[1:])
    [problem] = a.sync().problems
    assert "delete this file from the sync folder (its device writes it again in full" in problem.message
    assert "then sync here with `studyml sync --again`" in problem.message
    (a.folder / own).unlink()  # as it says; the sync tool deletes b's copy too
    (b.folder / own).unlink()
    b.sync()
    carry(b, a)
    report = sync(a.store, a.folder, again=True)
    assert report.problems == [] and report.received == 2
    assert a.reviews() == b.reviews() and a.states() == b.states()


def test_a_big_file_arrives_over_several_syncs_and_a_huge_line_is_skipped_not_held(devices, monkeypatch):
    # A file was read whole at every sync (800 MB of zeros took 850 MB), and one without a newline was "still
    # arriving" for ever.
    import studyml.srs.sync as sync_module

    a, b = devices
    for k in range(12):
        b.study(CARDS[k % 6], 3, NOON + timedelta(days=k))
    b.sync()
    carry(b, a)
    monkeypatch.setattr(sync_module, "MAX_READ", 1500)  # four or five lines a sync
    monkeypatch.setattr(sync_module, "MAX_LINE", 1000)
    reports = [a.sync() for _ in range(5)]
    received = [r.received for r in reports]
    assert sum(received) == 12 and all(0 < r < 12 for r in received[:2])
    name = f"{b.store.get_setting('device_id')}.jsonl"
    assert reports[0].more == [name] and reports[-1].more == []  # the report says more is waiting
    assert a.reviews() == b.reviews() and a.states() == b.states()
    junk = a.folder / "0123456789abcdef0123456789abcdef.jsonl"
    junk.write_bytes(b"\0" * 5000)  # no newline, longer than any line may be
    report = a.sync()
    assert [(p.line, "line longer than 1000 bytes; skipped" in p.message) for p in report.problems] == [(1, True)]
    assert report.torn == [] and a.sync().problems == []  # skipped once, not read again


def test_a_review_dated_years_ahead_is_reported_and_skipped_not_taking_the_card_over(devices):
    # A device whose clock said 2031: its review made every later review of the card be dated after it, everywhere.
    from datetime import UTC, datetime

    a, b = devices
    b.study("c0", 3, datetime(2031, 1, 1, tzinfo=UTC))
    b.study("c1", 3, datetime.now(UTC) - timedelta(hours=1))
    b.sync()
    carry(b, a)
    report = a.sync()
    assert report.received == 1
    [problem] = report.problems
    assert (
        problem.line == 1 and "dated 2031-01-01 00:00 UTC, more than a day after this device's clock" in problem.message
    )
    assert [r[1] for r in a.reviews()] == ["c1"]


def test_many_records_dated_ahead_in_one_file_are_reported_in_two_lines_not_one_each(devices):
    # A device whose clock is wrong writes every record ahead: each got a line with the same long advice.
    from datetime import UTC, datetime

    a, b = devices
    for k in range(5):
        b.study(CARDS[k], 3, datetime(2031, 1, 1 + k, tzinfo=UTC))
    b.sync()
    carry(b, a)
    report = a.sync()
    assert report.received == 0
    first, rest = (str(p) for p in report.problems)
    assert ":1: time_ms: dated 2031-01-01 00:00 UTC" in first and "sync --again" in first
    assert rest.endswith(
        ":2: time_ms: 4 more records dated more than a day after this device's clock (lines 2, 3, 4, …; the latest "
        "2031-01-05 00:00 UTC); skipped likewise"
    ), rest


def test_two_first_syncs_at_once_agree_on_one_device_id(tmp_path):
    # Read, then written outside a transaction: three first syncs at once made two files of the same records.
    import threading

    from studyml.srs.sync import device_id

    db = tmp_path / "progress.sqlite3"
    Store(db).close()
    real = Store.get_setting
    gate = threading.Barrier(4)

    def slow_get(self, key):
        value = real(self, key)
        if key == "device_id" and value is None:
            gate.wait(timeout=5)  # every thread has read "none" before one writes
        return value

    def first_sync() -> None:  # each window or command has its own connection
        with Store(db) as store:
            ids.append(device_id(store))

    ids: list[str] = []
    try:
        Store.get_setting = slow_get  # type: ignore[method-assign]
        threads = [threading.Thread(target=first_sync) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        Store.get_setting = real  # type: ignore[method-assign]
    assert len(ids) == 4 and len(set(ids)) == 1


def test_a_device_that_restored_a_backup_gets_its_own_later_reviews_back_and_the_devices_agree(devices, tmp_path):
    """Restoring a backup left the devices apart for good: the other kept the reviews made after the backup, and
    this one never read them again from its own file."""
    from studyml.srs.backup import backup, restore

    a, b = devices
    a.study("c0", 3, NOON)
    a.sync()
    saved = backup(a.store)
    a.study("c0", 3, NOON + timedelta(days=3))
    a.study("c1", 1, NOON + timedelta(days=3, minutes=1))
    a.sync()
    carry(a, b)
    b.sync()
    assert len(b.reviews()) == 3

    db = a.store.path
    a.store.close()
    restore(saved, db=db)
    a.store = Store(db)
    a.srs = Scheduler(a.store)
    assert len(a.reviews()) == 1  # the backup's

    report = a.sync()
    assert report.received == 2 and report.read_back == 2 and not report.problems
    assert a.reviews() == b.reviews()
    assert a.states() == b.states()
    assert a.sync().received == 0  # read once: the next sync is idle
    # Studying on from here chains as usual, and the other device agrees again.
    a.study("c0", 2, NOON + timedelta(days=9))
    a.sync()
    carry(a, b)
    b.sync()
    assert a.reviews() == b.reviews() and a.states() == b.states()


def test_a_data_folder_copied_to_another_machine_is_told_and_given_an_id_of_its_own(devices, tmp_path):
    # Both installs had one device id and wrote one file (a sync tool makes conflict copies of it), and nothing said so.
    import sqlite3

    from studyml.srs.sync import new_device_id

    a, _b = devices
    a.study(CARDS[0], 3, NOON)
    a.sync()
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(copy) as target:
        a.store.conn.backup(target)
    c = Device(tmp_path, "c")
    c.store.close()
    c.store = Store(copy)
    c.srs = Scheduler(c.store)
    c.folder = a.folder  # one shared folder (a network drive): the other install appends to a's own file
    assert c.store.get_setting("device_id") == a.store.get_setting("device_id")
    c.study(CARDS[1], 3, NOON + timedelta(hours=1))
    c.sync()
    report = a.sync()
    assert [str(p) for p in report.problems] == [
        f"{a.store.get_setting('device_id')}.jsonl: this device's own file has 1 review this database never had: "
        "another install uses this device's id (a data folder copied from another machine?), and the two write one "
        "file. On one of them, run `studyml sync DIR --new-device` to give it an id of its own. (Merged anyway: "
        "nothing is lost.)"
    ]
    assert a.reviews() == c.reviews()  # merged anyway
    new_device_id(c.store)
    c.study(CARDS[2], 3, NOON + timedelta(hours=2))
    assert c.sync().sent == 3  # its whole history, into a file of its own
    report = a.sync()
    assert report.problems == [] and a.reviews() == c.reviews() and a.states() == c.states()
    assert len(list(a.folder.glob("*.jsonl"))) == 2
    c.store.close()


def test_a_restored_device_reads_back_all_of_its_own_file_even_past_one_reads_limit(devices, monkeypatch):
    """Another device's file is read at most MAX_READ bytes per sync; this device's own tail must be read whole, since
    the next sync starts after the file as it is now."""
    import studyml.srs.sync as sync_module
    from studyml.srs.backup import backup, restore

    a, b = devices
    a.study("c0", 3, NOON)
    a.sync()
    saved = backup(a.store)
    for k, card in enumerate(CARDS):
        a.study(card, 3, NOON + timedelta(days=3, minutes=k))
    a.sync()
    monkeypatch.setattr(sync_module, "MAX_READ", 400)  # about one line per read
    db = a.store.path
    a.store.close()
    restore(saved, db=db)
    a.store = Store(db)
    assert a.sync().read_back == len(CARDS)
    assert len(a.reviews()) == 1 + len(CARDS)


_EDITS = [
    (b'"rating":3', b'"rating":3,"type":"quiz"'),  # a later key of the same name wins, in both validators
    (b'"rating":3', b'"rating":3,"v":1'),
    (b'"rating":3', b'"rating":3,"v":3'),
    (b'"rating":3', b'"rating":3,"v":4'),  # a newer format: the file stops here
    (b'"rating":3', b'"rating":"3"'),
    (b'"rating":3', b'"rating":5'),
    (b'"state":', b'"state":null,"state":'),
    (b'"stability":', b'"stability":-'),
    (b'"prev":[', b'"prev":["'),
    (b'"uuid":"', b'"uuid":1,"x":"'),
    (b"}", b',"extra":[1,2]}'),
    (b"}", b""),
    (b'"after":{', b'"after":{"after":{},'),
]


@pytest.mark.parametrize("edit", _EDITS)
def test_a_review_line_validated_straight_away_reads_as_the_union_reads_it(devices, edit, monkeypatch):
    # A line that starts as a format 2 review is validated as one without the union: the records, the lines used
    # and the problems reported must be what the union makes of every line, valid or not.
    from studyml.srs import sync as sync_module

    a, _b = devices
    for k in range(3):
        a.study(CARDS[0], 3, NOON + timedelta(days=k))
    a.sync()
    path = next(a.folder.glob("*.jsonl"))
    lines = path.read_bytes().split(b"\n")[:-1]
    assert all(line.startswith(sync_module._REVIEW_START) for line in lines)
    old, new = edit
    lines[2] = lines[2].replace(old, new, 1)

    def parse() -> tuple:
        report = sync_module.SyncReport()
        records, used = sync_module._parse(path, 1, lines, report)
        return records, used, [str(p) for p in report.problems]

    straight = parse()
    monkeypatch.setattr(sync_module, "_REVIEW_START", b"\xff")  # every line through the union, as before
    assert straight == parse()
    assert len(straight[0]) + len(straight[2]) >= 2  # the two lines left alone are read either way


def test_a_big_merge_checkpoints_in_a_thread_that_close_waits_for_and_a_failed_one_leaves_sqlite_as_it_was(
    devices, monkeypatch, tmp_path
):
    from studyml.srs import sync as sync_module
    from studyml.srs.store import StoreError

    monkeypatch.setattr(sync_module, "BIG_MERGE", 5)
    a, b = devices
    for k in range(20):
        a.study(CARDS[k % len(CARDS)], 3, NOON + timedelta(hours=k))
    a.sync()
    carry(a, b)
    pragmas = "PRAGMA wal_autocheckpoint", "PRAGMA cache_size"
    before = [b.store.conn.execute(p).fetchone()[0] for p in pragmas]

    def fail(*args, **kwargs):
        raise StoreError("not saved: the disk is full")

    with monkeypatch.context() as m:
        m.setattr(sync_module, "_merge_and_send", fail)
        with pytest.raises(StoreError):
            b.sync()
    assert [b.store.conn.execute(p).fetchone()[0] for p in pragmas] == before
    assert getattr(b.store, "_checkpoint_thread", None) is None  # nothing was written: nothing to copy

    assert b.sync().received == 20
    assert [b.store.conn.execute(p).fetchone()[0] for p in pragmas] == before
    thread = b.store._checkpoint_thread
    path = b.store.path
    b.store.close()
    assert not thread.is_alive()
    with Store(path) as again:
        assert again.integrity_check() == "ok"
        assert again.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 20


def test_moving_the_sync_folder_and_back_sends_only_what_that_folder_lacks(devices, tmp_path):
    # Before, each move sent the whole history again: back in the first folder, its file held every record twice.
    a, b = devices
    first, second = a.folder, tmp_path / "elsewhere"
    second.mkdir()
    for k in range(3):
        a.study(CARDS[k], 3, NOON + timedelta(hours=k))
    assert a.sync().sent == 3
    a.folder = second
    assert a.sync().sent == 3  # a new folder gets everything
    a.study(CARDS[3], 3, NOON + timedelta(hours=5))
    assert a.sync().sent == 1
    a.folder = first
    assert a.sync().sent == 1  # only the review the first folder lacks
    own = first / f"{a.store.get_setting('device_id')}.jsonl"
    assert len(own.read_bytes().splitlines()) == 4
    assert a.sync().sent == 0
    carry(a, b)
    assert b.sync().received == 4 and b.reviews() == a.reviews()
    # A folder whose file was lost meanwhile gets everything again.
    a.folder = second
    (second / own.name).unlink()
    assert a.sync().sent == 4


@pytest.mark.parametrize("synced_before", [False, True])
def test_an_undo_reaches_the_others_after_a_sync_killed_between_its_append_and_its_commit(
    devices, monkeypatch, synced_before
):
    # The killed sync's lines reached the other device, but this one never marked them sent: its undo of one
    # of those reviews stayed home, and the other device kept the review for good.
    from studyml.srs import sync as sync_module

    a, b = devices
    if synced_before:
        a.study("earlier", 3, NOON - timedelta(days=1))
        a.sync()
    a.study(CARDS[0], 3, NOON)
    a.study(CARDS[1], 3, NOON + timedelta(minutes=1))
    real_append = sync_module._append

    def append_then_die(path, lines):
        real_append(path, lines)
        raise KeyboardInterrupt  # as a kill right after the append: the transaction never commits

    with monkeypatch.context() as m:
        m.setattr(sync_module, "_append", append_then_die)
        with pytest.raises(KeyboardInterrupt):
            a.sync()
    carry(a, b)
    b.sync()
    assert b.reviews() == a.reviews()
    a.undo(CARDS[1])
    a.sync()
    uuids = _own_lines(a)
    assert len(uuids) == len(set(uuids))  # the killed sync's lines, read back, were written a second time
    carry(a, b)
    report = b.sync()
    assert report.undone == 1
    assert b.reviews() == a.reviews() and b.states() == a.states()


def test_a_review_made_after_an_undo_never_takes_the_undone_reviews_identity(devices, monkeypatch):
    # A card last reviewed "in the future" (a device whose clock was fast) stamps the next review just after that
    # review; after an undo the next one could land on the undone review's identity, and every other device dropped
    # it as undone.
    _fixed_stamps(monkeypatch, 0)  # both at the first millisecond after it
    a, b = devices
    a.study(CARDS[0], 4, NOON + timedelta(hours=12))
    a.study(CARDS[0], 3, NOON)  # stamped just after the one above
    a.sync()
    carry(a, b)
    b.sync()
    undone = a.undo(CARDS[0])
    a.study(CARDS[0], 3, NOON + timedelta(minutes=1))
    assert a.reviews()[-1] != undone
    a.sync()
    carry(a, b)
    b.sync()
    assert len(a.reviews()) == 2 and b.reviews() == a.reviews() and b.states() == a.states()


def test_two_devices_that_rate_a_card_after_a_review_dated_ahead_make_two_reviews_and_agree(devices, monkeypatch):
    # Both devices stamped their review 1 ms after a review dated ahead of their clocks (from a device whose clock was
    # fast): one identity, two states (the interval's fuzz). Each kept its own copy, the card due on different days.
    import itertools

    from studyml.srs import scheduler

    offsets = itertools.cycle([3, 8, 5])

    class Stamps:
        def randrange(self, n):
            return next(offsets) % n

    monkeypatch.setattr(scheduler, "_stamps", Stamps(), raising=False)
    a, b = devices
    a.study(CARDS[0], 4, NOON + timedelta(hours=12))
    a.sync()
    carry(a, b)
    b.sync()
    a.study(CARDS[0], 3, NOON)
    b.study(CARDS[0], 3, NOON)
    ahead = int((NOON + timedelta(hours=12)).timestamp() * 1000)
    assert a.reviews()[-1][2] > ahead and b.reviews()[-1][2] > ahead  # still after the review dated ahead
    assert a.reviews()[-1] != b.reviews()[-1]  # two reviews
    for first, second in ((a, b), (b, a), (a, b)):
        first.sync()
        carry(first, second)
        second.sync()
    assert len(a.reviews()) == 3 and a.reviews() == b.reviews() and a.states() == b.states()


def test_a_full_disk_mid_append_leaves_the_file_as_it_was_and_the_next_sync_writes_it_whole(devices, monkeypatch):
    # Before, part of a line stayed: every reader reported a damaged line, and the next sync wrote the records again
    # after it.
    import errno
    import os

    from studyml.srs import sync as sync_module
    from studyml.srs.store import StoreError

    a, b = devices
    a.study(CARDS[0], 3, NOON)
    a.sync()
    own = a.folder / f"{a.store.get_setting('device_id')}.jsonl"
    before = own.read_bytes()
    for k in range(1, 4):
        a.study(CARDS[k], 3, NOON + timedelta(hours=k))
    real_write, calls = os.write, []

    def write_then_fill_the_disk(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(sync_module.os, "write", write_then_fill_the_disk)
        with pytest.raises(StoreError, match="No space left on device; nothing was merged or sent") as e:
            a.sync()
    assert f"Free some space on the disk holding {a.folder} and sync again." in str(e.value)
    assert len(calls) == 2 and own.read_bytes() == before
    assert a.sync().sent == 3
    carry(a, b)
    report = b.sync()
    assert (report.received, report.duplicates, report.problems) == (4, 0, [])


def test_a_hard_link_in_place_of_this_devices_file_is_refused_not_written_through(devices, tmp_path):
    import os

    from studyml.srs.store import StoreError

    a, _b = devices
    a.study(CARDS[0], 3, NOON)
    a.sync()
    own = a.folder / f"{a.store.get_setting('device_id')}.jsonl"
    elsewhere = tmp_path / "elsewhere.txt"
    os.link(own, elsewhere)
    kept = elsewhere.read_bytes()
    a.study(CARDS[1], 3, NOON + timedelta(hours=1))
    with pytest.raises(StoreError, match="has another name \\(a hard link\\)"):
        a.sync()
    assert elsewhere.read_bytes() == kept


def test_another_devices_file_that_is_a_link_or_a_folder_is_reported_not_skipped_silently(devices, tmp_path):
    a, _b = devices
    a.folder.mkdir(parents=True, exist_ok=True)
    (tmp_path / "target.jsonl").write_text("")
    (a.folder / "linked.jsonl").symlink_to(tmp_path / "target.jsonl")
    (a.folder / "folder.jsonl").mkdir()
    report = a.sync()
    assert report.devices == 0
    assert [str(p) for p in report.problems] == [
        "folder.jsonl: not read: not a regular file; a device's sync file is a file of its own",
        "linked.jsonl: not read: a symbolic link; a device's sync file is a file of its own",
    ]


def test_an_undo_reaches_the_others_after_both_moved_folders_and_back(devices, tmp_path):
    # The review went out through the second folder; back in the first, whose marks had never seen it sent, its undo
    # stayed home and the other device kept the review for good.
    a, b = devices
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    a.folder = b.folder = first
    a.study(CARDS[0], 3, NOON)
    a.sync()
    b.sync()
    a.folder = b.folder = second
    a.sync()
    b.sync()
    a.study(CARDS[1], 3, NOON + timedelta(hours=1))
    a.sync()
    b.sync()
    assert b.reviews() == a.reviews() and len(a.reviews()) == 2
    a.folder = b.folder = first
    a.undo(CARDS[1])
    a.sync()
    report = b.sync()
    assert report.undone == 1 and b.reviews() == a.reviews() and b.states() == a.states()


def _fixed_stamps(monkeypatch, *offsets):
    """Scheduler.review's draws of a millisecond after a review dated ahead of the clock, in this order."""
    import itertools

    from studyml.srs import scheduler

    cycle = itertools.cycle(offsets)

    class Stamps:
        def randrange(self, n):
            return next(cycle) % n

    monkeypatch.setattr(scheduler, "_stamps", Stamps(), raising=False)


def test_a_review_after_undoing_one_on_a_card_studied_apart_lands_after_every_review_in_the_log(devices, monkeypatch):
    # The undo put the card's state back before a review merged in meanwhile; the next review was dated from that
    # state and landed on the merged review's identity: "UNIQUE constraint failed" (or before it, out of order).
    _fixed_stamps(monkeypatch, 800, 499)
    a, b = devices
    ahead = NOON + timedelta(hours=1)  # a's clock is an hour fast
    a.study(CARDS[0], 3, ahead)
    a.sync()
    carry(a, b)
    b.sync()
    b.study(CARDS[0], 3, NOON)  # 801 ms after a's review
    a.study(CARDS[0], 3, ahead + timedelta(milliseconds=500))
    a.sync()
    carry(a, b)
    b.sync()
    b.undo(CARDS[0])  # b's own review, the latest: the state goes back to a's first review
    b.study(CARDS[0], 3, NOON + timedelta(minutes=2))  # 1 + 499 ms after a's first review: a's second one
    times = [r[2] for r in b.reviews()]
    assert len(times) == 3 and times[-1] > times[-2]
    b.sync()
    carry(b, a)
    a.sync()
    assert a.reviews() == b.reviews() and a.states() == b.states()


def test_send_marks_edited_by_hand_do_not_stop_a_sync(devices):
    # A mark that was not a number (settings edited by hand) raised ValueError at every sync: an internal error.
    a, b = devices
    a.study(CARDS[0], 3, NOON)
    a.sync()
    a.store.set_setting("sync_exported_folders", {"/elsewhere": {"reviews": "many", "own_size": -5}})
    marks = a.store.get_mapping("sync_exported")
    a.store.set_setting("sync_exported", {**marks, "quiz_attempts": "abc", "checked": {"reviews": None}})
    a.study(CARDS[1], 3, NOON + timedelta(hours=1))
    assert a.sync().sent == 1
    carry(a, b)
    assert b.sync().received == 2 and b.reviews() == a.reviews()


def test_a_new_sync_folder_gets_the_settings_as_they_are(devices, tmp_path):
    # Before, a setting went to a new folder only once it changed again: a device reading only that folder never
    # had it.
    a, b = devices
    a.store.set_setting("srs", {"desired_retention": 0.85})
    a.sync()
    a.folder = b.folder = tmp_path / "new"
    a.folder.mkdir()
    assert a.sync().sent == 1
    report = b.sync()
    assert (report.received, report.sent) == (1, 0)  # not echoed back: it is a's to send
    assert b.store.get_setting("srs") == {"desired_retention": 0.85}
    assert a.sync().sent == 0 and b.sync().sent == 0


def test_a_missing_sync_folder_is_an_error_and_is_not_made(devices, tmp_path):
    # A drive not mounted, or a typo: sync made the folder, wrote this device's whole file into it, said "synced",
    # and the reviews written there never reached the devices of the real folder.
    a, _b = devices
    a.study(CARDS[0], 3, NOON)
    a.folder = tmp_path / "drive" / "studyml"
    with pytest.raises(SyncFolderMissing, match="does not exist: is its drive or share mounted"):
        a.sync()
    assert not (tmp_path / "drive").exists()
    assert a.store.get_mapping("sync_exported") == {}  # nothing counted as sent


def test_this_devices_file_swapped_for_another_copy_is_written_again_in_full(devices, tmp_path):
    # The drive was not mounted at one sync and the folder was made anew on the local disk, which took this device's
    # file; back on the drive, the older copy there was longer than that file, so it passed for the one the last sync
    # left, and the review made meanwhile never went out.
    a, b = devices
    for k in range(3):
        a.study(CARDS[k], 3, NOON + timedelta(hours=k))
    for retention in (0.85, 0.86, 0.87, 0.88, 0.89, 0.9):  # six setting records: the drive's copy is the longer
        a.store.set_setting("srs", {"desired_retention": retention})
        a.sync()
    b.folder = a.folder
    b.sync()
    drive = tmp_path / "unmounted"
    a.folder.rename(drive)
    a.folder.mkdir()  # the empty mount point
    a.study(CARDS[3], 3, NOON + timedelta(hours=5))
    assert a.sync().sent == 5  # the folder looks new: everything again, the setting once
    shutil.rmtree(a.folder)
    drive.rename(a.folder)  # mounted again
    own = a.folder / f"{a.store.get_setting('device_id')}.jsonl"
    assert own.stat().st_size >= a.store.get_mapping("sync_exported")["own_size"]
    a.sync()
    b.sync()
    assert b.reviews() == a.reviews() and len(b.reviews()) == 4
    assert b.states() == a.states()


def test_cards_updated_counts_the_cards_a_sync_changed_not_those_it_only_sent(devices):
    # A first send said "3 cards updated" though nothing changed on the device.
    a, b = devices
    for k in range(3):
        a.study(CARDS[k], 3, NOON + timedelta(hours=k))
    report = a.sync()
    assert (report.sent, report.cards_updated) == (3, 0)
    b.folder = a.folder
    assert b.sync().cards_updated == 3


def test_marks_kept_before_the_own_file_was_hashed_get_its_hash_at_the_next_sync(devices):
    a, _b = devices
    a.study(CARDS[0], 3, NOON)
    a.sync()
    marks = a.store.get_mapping("sync_exported")
    assert isinstance(marks.pop("own_check"), str)
    a.store.set_setting("sync_exported", marks)  # as an older studyml left them
    a.sync()  # nothing new, but the hash is recorded, so a later swap of the file is seen
    assert isinstance(a.store.get_mapping("sync_exported").get("own_check"), str)


def test_a_folder_in_place_of_this_devices_file_is_a_sync_error_not_a_crash(devices):
    from studyml.srs.store import StoreError
    from studyml.srs.sync import device_id

    a, _b = devices
    (a.folder / f"{device_id(a.store)}.jsonl").mkdir()
    a.sync()  # nothing to send: the folder in its place is not written to
    a.study(CARDS[0], 3, NOON)
    with pytest.raises(StoreError, match="cannot write the sync file .*: Is a directory; nothing was merged or sent"):
        a.sync()


def test_a_file_that_starts_with_a_byte_order_mark_loses_no_record(devices):
    # Saved by an editor that writes one, the file's first record was reported as "Invalid JSON" and skipped.
    a, b = devices
    a.study(CARDS[0], 3, NOON)
    a.study(CARDS[1], 3, NOON + timedelta(minutes=1))
    a.sync()
    own = a.folder / f"{a.store.get_setting('device_id')}.jsonl"
    (b.folder / own.name).write_bytes(b"\xef\xbb\xbf" + own.read_bytes())
    report = b.sync()
    assert (report.received, report.problems) == (2, []) and b.reviews() == a.reviews()


def test_a_byte_order_mark_before_a_newer_record_leaves_the_next_sync_where_it_stopped(devices):
    # The mark taken off the first line made the saved offset 3 bytes short: the next sync read from inside a line,
    # reported it damaged, and every line number after it was one off for good.
    a, b = devices
    a.study(CARDS[0], 3, NOON)
    a.study(CARDS[1], 3, NOON + timedelta(minutes=1))
    a.sync()
    first, second = (a.folder / f"{a.store.get_setting('device_id')}.jsonl").read_bytes().splitlines()
    newer = json.dumps({**json.loads(first), "v": 9, "uuid": "x"}).encode()
    (b.folder / "other.jsonl").write_bytes(b"\xef\xbb\xbf" + first + b"\n" + newer + b"\n" + second + b"\n")
    for _ in range(2):
        report = b.sync()
        assert [(p.line, "newer studyml" in p.message) for p in report.problems] == [(2, True)], report.problems
    assert [r[1] for r in b.reviews()] == [CARDS[0]]


def test_another_devices_file_that_cannot_be_read_is_not_counted_as_a_device(devices, monkeypatch):
    from studyml.srs import sync as sync_module

    a, b = devices
    a.study(CARDS[0], 3, NOON)
    a.sync()
    carry(a, b)
    (b.folder / "unreadable.jsonl").write_text("")

    def refuse(path, *args, **kwargs):
        if path.name == "unreadable.jsonl":
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    real = sync_module._read_new_lines
    monkeypatch.setattr(sync_module, "_read_new_lines", refuse)
    report = b.sync()
    assert report.devices == 1 and [str(p) for p in report.problems] == [
        "unreadable.jsonl: cannot read: Permission denied"
    ]


def test_a_folder_this_device_cannot_write_to_still_brings_the_other_devices_records(devices, monkeypatch):
    # A read-only share: the sync stopped at its append and merged nothing, so this device never heard of the others.
    from studyml.srs import sync as sync_module

    a, b = devices
    a.study(CARDS[0], 3, NOON)
    a.sync()
    carry(a, b)
    b.study(CARDS[1], 3, NOON + timedelta(hours=1))
    b.store.set_setting("srs", {"desired_retention": 0.85})
    own = b.folder / f"{sync_module.device_id(b.store)}.jsonl"
    real_open = os.open

    def read_only(path, flags, *args):
        if Path(path) == own and flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    with monkeypatch.context() as m:
        m.setattr(sync_module.os, "open", read_only)
        report = b.sync()
        assert (report.received, report.sent) == (1, 0)
        assert [(p.code, p.line) for p in report.problems] == [("not_sent", 0)]
        assert "what the other devices sent was merged, but nothing was sent" in report.problems[0].message
        assert "writable for this user" in report.problems[0].message
        assert set(b.reviews()) == set(a.reviews()) | {r for r in b.reviews() if r[1] == CARDS[1]}
        assert not own.exists()
        assert b.sync().received == 0  # read once: not merged again
    report = b.sync()  # writable again: what waited is sent, the setting changed meanwhile with it
    assert report.sent == 2 and report.problems == []
    carry(b, a)
    a.sync()
    assert a.reviews() == b.reviews() and a.store.get_setting("srs") == {"desired_retention": 0.85}


def test_a_sync_tools_conflict_copy_of_this_devices_file_is_told_and_read(devices):
    # Two installs with one id under Syncthing: each machine's file is replaced by the winner's, the loser's lines go to
    # `<id>.sync-conflict-….jsonl`, read as another device's file, and neither install was ever told.
    from studyml.srs.sync import device_id

    a, b = devices
    b.study(CARDS[0], 3, NOON)
    b.sync()
    me = device_id(a.store)
    theirs = next(b.folder.glob("*.jsonl")).read_bytes()
    (a.folder / f"{me}.sync-conflict-20261130-120000-ABCDEFG.jsonl").write_bytes(theirs)
    report = a.sync()
    assert report.received == 1
    assert [(p.file.startswith(me), p.code) for p in report.problems] == [(True, "another_writer")]
    assert "a conflict copy made by a sync tool" in report.problems[0].message


def test_a_torn_own_file_that_cannot_be_cut_does_not_stop_receiving(devices, tmp_path):
    a, b = devices
    a.study(CARDS[0], 3, NOON)
    a.sync()
    carry(a, b)
    b.sync()
    from studyml.srs.sync import device_id

    own = b.folder / f"{device_id(b.store)}.jsonl"
    own.write_bytes(b'{"v":2,"type":"rev')  # torn, and a hard link: the cut is refused
    os.link(own, tmp_path / "other-name")
    a.study(CARDS[1], 3, NOON + timedelta(hours=1))
    a.sync()
    carry(a, b)
    assert b.sync().received == 1


def test_a_failure_computing_states_while_the_rows_go_in_rolls_the_whole_merge_back(devices, monkeypatch):
    # An error computing the cards' states (after the rows went in) must reach the sync as any other does, before its
    # commit, and leave nothing half merged.
    import studyml.srs.sync as sync_module

    a, b = devices
    for i, card in enumerate(CARDS):
        a.study(card, 3, NOON + timedelta(minutes=i))
    a.sync()
    carry(a, b)
    real = sync_module.card_state

    def failing(pack_id, card_id, reviews, settings):
        if card_id == CARDS[3]:
            raise RuntimeError("no state for c3")
        return real(pack_id, card_id, reviews, settings)

    monkeypatch.setattr(sync_module, "card_state", failing)
    with pytest.raises(RuntimeError, match="no state for c3"):
        b.sync()
    assert b.reviews() == [] and b.states() == []
    monkeypatch.setattr(sync_module, "card_state", real)
    assert b.sync().received == len(CARDS)  # read again from where the failed sync started
    assert b.states() == a.states()


@pytest.mark.parametrize(
    "value, says",
    [
        ({"day_start_hour": 24}, "day_start_hour must be a whole number from 0 to 23"),
        ({"learn_ahead_min": 1e12}, "learn_ahead_min"),
        ({"new_per_day": 1e308}, "new_per_day"),
        ({"maximum_interval": 0}, "maximum_interval must be a whole number from 1 to 36500"),
        ({"learning_steps_s": [60, -5]}, "learning_steps_s must be a list of whole seconds"),
        # Read leniently these pass as 20 and [60, 600], and every start's strict reading fell back to the defaults.
        ({"new_per_day": 20.0}, "the daily new-card limit must be a whole number"),
        ({"learning_steps_s": [60.0, 600.0]}, "learning_steps_s must be a list of whole seconds"),
        ({"enable_fuzzing": 1}, "enable_fuzzing must be true or false"),
        ("fast", "srs"),
    ],
)
def test_a_scheduling_setting_out_of_range_from_another_device_is_reported_and_skipped(devices, value, says):
    # A study day starting at hour 24 was merged: every device that synced it crashed on its study screen, and
    # `stats` failed, until the setting was removed by hand.
    import json
    import uuid
    from datetime import UTC, datetime

    from studyml.srs.scheduler import Settings

    a, b = devices
    b.store.set_setting("srs", {"desired_retention": 0.85})
    line = {"v": 2, "type": "setting", "uuid": str(uuid.uuid4()), "time_ms": 1_767_225_600_000, "key": "srs"}
    (b.folder / ("e" * 32 + ".jsonl")).write_text(json.dumps({**line, "value": value}) + "\n", encoding="utf-8")
    report = b.sync()
    assert [(p.file, p.line) for p in report.problems] == [("e" * 32 + ".jsonl", 1)]
    assert says in report.problems[0].message and report.problems[0].message.endswith("; skipped")
    assert b.store.get_setting("srs") == {"desired_retention": 0.85}  # this device's own stays
    assert Settings.load(b.store).desired_retention == 0.85
    b.srs.review(PACK, "c0", 3, now=datetime(2026, 1, 2, tzinfo=UTC))  # and studying goes on


@pytest.mark.parametrize(
    "saved",
    [{"day_start_hour": 24}, {"learn_ahead_min": 10**12}, {"new_per_day": 1e308}, {"enable_fuzzing": "yes"}],
)
def test_saved_scheduling_settings_out_of_range_fall_back_to_the_defaults(tmp_path, saved):
    # Saved before this check (synced, imported, edited by hand): studying never stops on them.
    from datetime import UTC, datetime

    from studyml.srs.scheduler import Scheduler, Settings
    from studyml.srs.store import Store

    with Store(tmp_path / "p.sqlite3") as store:
        store.set_setting("srs", {"desired_retention": 0.85, **saved})
        assert Settings.load(store) == Settings()
        srs = Scheduler(store)
        srs.review(PACK, "c0", 3, now=datetime(2026, 1, 2, tzinfo=UTC))
        assert "c1" in srs.due_queue(PACK, ["c0", "c1"], now=datetime(2026, 1, 2, tzinfo=UTC))


@pytest.mark.parametrize(
    "after,said",
    [
        # Each passed validation; the card then stopped the app at every flip (fsrs raised, and the card stayed due).
        ({"stability": 0.0, "difficulty": 0.0}, "after.stability: Input should be greater than 0"),
        ({"difficulty": 11.0}, "after.difficulty: Input should be less than or equal to 10"),
        ({"stability": None}, "after.stability: Input should be a valid number"),  # a card in review needs one
        ({"state": 3, "step": None}, "after.step: Input should be a valid integer"),  # one in relearning, its step
        ({"last_review_ms": 253_402_300_799_999}, "last_review_ms: after the review's time_ms"),
    ],
)
def test_a_review_whose_state_fsrs_cannot_schedule_from_is_reported_and_skipped(devices, after, said):
    import time

    a, _ = devices
    now = int(time.time() * 1000)
    state = {
        "state": 2,
        "step": None,
        "stability": 3.0,
        "difficulty": 5.0,
        "due_ms": now - 1000,
        "last_review_ms": now - 60_000,
        "reps": 1,
        "lapses": 0,
        "first_review_ms": now - 60_000,
    }
    good = {"v": 2, "type": "review", "time_ms": now - 60_000, "pack_id": PACK, "card_id": "c1", "rating": 3}
    bad = {**good, "card_id": "c0", "uuid": "u0", "after": state | after}
    lines = [bad, {**good, "uuid": "u1", "after": state}, {**bad, "uuid": "u2", "time_ms": now - 50_000}]
    (a.folder / ("d" * 32 + ".jsonl")).write_text("".join(json.dumps(r) + "\n" for r in lines))
    report = a.sync()
    assert report.received == 1 and [r[1] for r in a.reviews()] == ["c1"]  # the sound one, not the other two
    problem = report.problems[0]
    assert problem.line == 1 and said in problem.message and "skipped" in problem.message, report.problems
    assert {p.line for p in report.problems} <= {1, 3}
    # Well formed: not a damaged line, whose repair (delete the file, its device writes it again) brings it back.
    assert not any("To repair" in p.message or p.code for p in report.problems), report.problems
    a.srs.preview(PACK, "c0")  # the card is as if never reviewed: fsrs schedules it
