"""Sync through a folder: each device appends its own records to DIR/<device>.jsonl and merges the others'.

No server and no merge conflicts: a device only ever appends to its own file, so git, Syncthing or a cloud
folder never sees two writers of one file. Merging is a union of records keyed by their identity, so it is
idempotent and independent of the order files arrive in. A card's state is a pure function of the set of its
reviews (see `card_state`), so two devices that hold the same reviews hold the same state. A review undone after
it was sent travels as an undo record: every device deletes it, keeps the undo (the store's undone_reviews) so it
never merges the review again, and computes the card's state from the reviews left.

Files in DIR come from elsewhere: every line is validated before anything is written, a line torn by a sync
tool copying a file being written is left for the next sync, and a malformed line is reported and skipped.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import json
import os
import re
import sqlite3
import stat
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Annotated, Literal, NotRequired, Required

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import to_json
from typing_extensions import TypedDict

from studyml.lang import count, shown_name
from studyml.srs.records import Count as _Count
from studyml.srs.records import Ms as _Ms  # times up to store.MAX_MS: SQLite's integers stop at 2**63 - 1
from studyml.srs.records import settings_problems
from studyml.srs.store import (
    FOLDER_SETTING,  # noqa: F401  the remembered folder, as sync's callers name it
    RECORD_NAMESPACE,
    RESTORED_SETTING,
    CardState,
    Store,
    StoreError,
    now_ms,
    review_uuid,
    travels,
)

FORMAT_VERSION = 3  # the newest record format this version reads (and writes: an undo); it reads every older one
# Records format 2 can express are still written as format 2: a studyml that reads up to format 2 stops only at an
# undo line (a newer format stops a file there, reported), not at every line this version writes.
WRITE_VERSION, UNDO_VERSION = 2, 3
SUFFIX = ".jsonl"
MAX_LINE = 1 << 20  # a record is a few hundred bytes; a 1 MiB line is not one of ours
# Bytes of one file read by one sync: a larger file arrives over several syncs, and memory stays bounded (a file of
# 800 MB took 850 MB at every sync, read whole).
MAX_READ = 64 << 20
BIG_MERGE, BIG_MERGE_CACHE_KIB = 5_000, 64 * 1024  # records; page cache while merging that many
READER = "_reader"  # in a folder's read offsets: the format version of the reader that kept them
# Offsets kept by a reader older than this skipped the lines it could not read (format 1 readers did): read again.
REREAD_BELOW = 2
_TABLES = ("reviews", "quiz_attempts", "demo_runs")  # the records a device sends, each with an id and a uuid

# A card's state as the review log stores it (store.state_json of CardState.to_dict), in that key order.
STATE_KEYS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due_ms",
    "last_review_ms",
    "reps",
    "lapses",
    "first_review_ms",
)
_KEY_ES = sum(f'"{k}":'.count("e") for k in STATE_KEYS)  # the `e` in a logged state's keys (see _encode_states)
_STATE_DEFAULTS = {"reps": 0, "lapses": 0}  # what format 1 filled in for a missing key (None for the others)
_TINY = ":0.0000"  # a value that pydantic-core writes unlike json (see _encode_states); states are never negative
_encode = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode  # state_json's form, made once

_Strict = ConfigDict(strict=True, extra="ignore")
_Id = Annotated[str, Field(min_length=1, max_length=200)]
_Int64 = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
_Rating = Literal[1, 2, 3, 4]


_Stability = Annotated[float, Field(gt=0, allow_inf_nan=False)]
_Difficulty = Annotated[float, Field(ge=1, le=10, allow_inf_nan=False)]


# A card's scheduling state as the review log stores it (see store.state_json), one shape per kind, told apart by
# `state` (in Rust, not per record in Python). As `import json` reads them (records.StateLog), and as fsrs can
# schedule from: a stability of 0 synced in, and the app stopped at every flip of that card (fsrs: 0.0 cannot be
# raised to a negative power); a card in review without a stability, or in relearning without its step, raised an
# AssertionError in fsrs. Each lists its keys in STATE_KEYS order: a validated state keeps it (see _full).
class _LearningState(TypedDict, total=False):
    __pydantic_config__ = _Strict  # type: ignore[misc]
    state: Required[Literal[1]]
    step: _Count | None  # fsrs takes a learning card without one as at its first step
    stability: _Stability | None
    difficulty: _Difficulty | None
    due_ms: Required[_Ms]
    last_review_ms: _Ms | None
    reps: _Count
    lapses: _Count
    first_review_ms: _Ms | None


class _ReviewState(TypedDict, total=False):
    __pydantic_config__ = _Strict  # type: ignore[misc]
    state: Required[Literal[2]]
    step: _Count | None
    stability: Required[_Stability]
    difficulty: Required[_Difficulty]
    due_ms: Required[_Ms]
    last_review_ms: _Ms | None
    reps: _Count
    lapses: _Count
    first_review_ms: _Ms | None


class _RelearningState(TypedDict, total=False):
    __pydantic_config__ = _Strict  # type: ignore[misc]
    state: Required[Literal[3]]
    step: Required[_Count]
    stability: Required[_Stability]
    difficulty: Required[_Difficulty]
    due_ms: Required[_Ms]
    last_review_ms: _Ms | None
    reps: _Count
    lapses: _Count
    first_review_ms: _Ms | None


_State = Annotated[_LearningState | _ReviewState | _RelearningState, Field(discriminator="state")]


class _Review(TypedDict):
    __pydantic_config__ = _Strict  # type: ignore[misc]
    type: Literal["review"]
    uuid: Annotated[str, Field(min_length=1, max_length=64)]
    time_ms: _Ms
    pack_id: _Id
    card_id: _Id
    rating: _Rating
    pack_version: NotRequired[str]
    duration_ms: NotRequired[_Ms | None]
    source: NotRequired[Literal["card", "quiz"]]


class ReviewV1(_Review):
    """Format 1: both states in full."""

    v: Literal[1]
    state_after: _State
    state_before: NotRequired[_State | None]


class ReviewV2(_Review):
    """Format 2: the state after; the state before is named by the review that left it (`prev`), or given in
    full (`before`) when no earlier review of this file left it; neither: the card's first review. (Format 3
    changed nothing for reviews.)"""

    v: Literal[2, 3]
    after: _State
    prev: NotRequired[Annotated[tuple[_Ms, _Rating], Field(strict=False)]]  # (time_ms, rating), same card
    before: NotRequired[_State]


class QuizRecord(TypedDict):
    __pydantic_config__ = _Strict  # type: ignore[misc]
    v: Literal[1, 2, 3]
    type: Literal["quiz"]
    uuid: Annotated[str, Field(min_length=1, max_length=64)]
    time_ms: _Ms
    pack_id: _Id
    item_id: _Id
    card_id: NotRequired[str | None]
    answer: NotRequired[object]
    correct: bool
    seed: NotRequired[_Int64 | None]


class DemoRecord(TypedDict):
    __pydantic_config__ = _Strict  # type: ignore[misc]
    v: Literal[1, 2, 3]
    type: Literal["demo"]
    uuid: Annotated[str, Field(min_length=1, max_length=64)]
    time_ms: _Ms
    plugin_id: _Id
    params: NotRequired[dict]
    claims: NotRequired[object]
    duration_ms: NotRequired[Annotated[float, Field(ge=0, allow_inf_nan=False)] | None]
    ok: bool


class SettingRecord(TypedDict):
    __pydantic_config__ = _Strict  # type: ignore[misc]
    v: Literal[1, 2, 3]
    type: Literal["setting"]
    uuid: Annotated[str, Field(min_length=1, max_length=64)]
    time_ms: _Ms
    key: _Id
    value: NotRequired[object]


class UndoRecord(TypedDict):
    """Format 3: a device undid a review (pack_id, card_id, `review`: [time_ms, rating]) at `time_ms`; every device
    deletes it and never merges it again."""

    __pydantic_config__ = _Strict  # type: ignore[misc]
    v: Literal[3]
    type: Literal["undo"]
    uuid: Annotated[str, Field(min_length=1, max_length=64)]
    time_ms: _Ms
    pack_id: _Id
    card_id: _Id
    review: Annotated[tuple[_Ms, _Rating], Field(strict=False)]


# TypedDicts, not models, and discriminators pydantic evaluates itself: validating a line yields plain dicts,
# which is most of what makes a sync of 100,000 records fast (building and dumping a model per record cost more
# than reading the file).
_RECORD: TypeAdapter = TypeAdapter(
    Annotated[
        Annotated[ReviewV1 | ReviewV2, Field(discriminator="v")] | QuizRecord | DemoRecord | SettingRecord | UndoRecord,
        Field(discriminator="type"),
    ]
)
# Nearly every line of a file is a review as this version writes it, which starts so: such a line is validated as
# a format 2 review straight away, a third faster (to find the type in a union, pydantic reads the line twice).
# What passes is what the union makes of it (the type and version it has are a review's of format 2); a line
# that does not is validated again by the union, which says what is wrong with it.
_REVIEW_START = b'{"v":2,"type":"review",'
_REVIEW: TypeAdapter = TypeAdapter(ReviewV2)


class SyncFolderMissing(StoreError):
    """The sync folder does not exist (a drive not mounted, a typo): nothing was read or written."""


class SyncFileUnwritable(StoreError):
    """This device's sync file cannot be written for want of permission (or a read-only file system)."""

    def __init__(self, message: str, path: Path, error: OSError) -> None:
        super().__init__(message)
        self.path, self.error = path, error

    def received_message(self) -> str:
        """Said when what the other devices sent was merged all the same."""
        return (
            f"cannot write this device's sync file: {self.error.strerror}; what the other devices sent was merged, "
            f"but nothing was sent. {_write_hint(self.error, self.path)}"
        )


ANOTHER_WRITER = "another_writer"  # another install writes this device's file (Problem.code)
NOT_SENT = "not_sent"  # this device's file could not be written: merged, nothing sent (Problem.code)
DAMAGED = "damaged"  # a file's lines skipped as damaged, counted, with how to repair (Problem.code; line 0, yet read)


@dataclass
class Problem:
    file: str
    line: int
    message: str
    code: str = ""  # for a screen to say it in its own words: ANOTHER_WRITER or NOT_SENT (line 0, yet not unread)

    def __str__(self) -> str:
        name = shown_name(self.file)
        return f"{name}:{self.line}: {self.message}" if self.line else f"{name}: {self.message}"


@dataclass
class SyncReport:
    sent: int = 0
    received: int = 0  # records new to this device
    duplicates: int = 0  # records read that this device already had
    cards_updated: int = 0
    undone: int = 0  # reviews deleted here because a device undid them
    devices: int = 0
    read_back: int = 0  # records of this device's own file it no longer had (a restored backup), read again
    problems: list[Problem] = field(default_factory=list)
    torn: list[str] = field(default_factory=list)  # files whose last line is incomplete (read up to it)
    more: list[str] = field(default_factory=list)  # files read MAX_READ bytes of, with more for the next sync

    def to_dict(self) -> dict:
        return {
            "sent": self.sent,
            "received": self.received,
            "duplicates": self.duplicates,
            "cards_updated": self.cards_updated,
            "undone": self.undone,
            "devices": self.devices,
            "read_back": self.read_back,
            "problems": [str(p) for p in self.problems],
            "torn": [shown_name(name) for name in self.torn],
            "more": [shown_name(name) for name in self.more],
        }


def _other_uuid(kind: str, *parts: object) -> str:
    return str(uuid.uuid5(RECORD_NAMESPACE, "\x1f".join([kind, *map(str, parts)])))


def new_device_id(store: Store) -> str:
    """Give this data dir a device id of its own (a data dir copied from another machine shares that one's): its next
    sync writes a new file with its whole history; the old file stays, read as any other device's."""
    dev = uuid.uuid4().hex
    store.set_setting("device_id", dev)
    return dev


def device_id(store: Store) -> str:
    """This data dir's device id, made on first use (a copied data dir should be given a new one: new_device_id)."""
    dev = store.get_setting("device_id")
    if isinstance(dev, str) and dev:
        return dev
    # Read and written in one transaction: two first syncs at once (the app and a command) each made an id, and the
    # device's records went into two files.
    with store.transaction() as c:
        row = c.execute("SELECT value FROM settings WHERE key = 'device_id'").fetchone()
        dev = json.loads(row[0]) if row else None
        if not isinstance(dev, str) or not dev:
            dev = uuid.uuid4().hex
            c.execute("INSERT OR REPLACE INTO settings VALUES ('device_id', ?)", (json.dumps(dev),))
    return dev


# -- the state of a card as a function of its reviews ----------------------------------------------------------


_IDENTITY = itemgetter(0, 1)


def card_state(
    pack_id: str, card_id: str, reviews: list[tuple[int, int, str | None, str]], settings: object
) -> CardState:
    """The state a card's reviews lead to, the same on every device that holds the same reviews.

    `reviews` are (time_ms, rating, state_before, state_after), the states as the review log stores them
    (`store.state_json`). When the reviews form one chain (each starts from the state the previous one left),
    the last state stands, fuzz and all, as the device that made it computed it. When two devices studied the
    card apart, the chain forks: then every review is replayed in time order with fsrs, without fuzz, so every
    device computes the same.
    """
    from studyml.srs.scheduler import apply_rating, from_ms

    ordered = sorted(reviews, key=_IDENTITY)  # (time, rating) is a review's identity
    # Compared as lists first: one comparison in C for the common case of a chain logged as written.
    chain = ordered[0][2] is None and (
        [r[2] for r in ordered[1:]] == [r[3] for r in ordered[:-1]]
        or all(_same_state(cur[2], prev[3]) for prev, cur in zip(ordered, ordered[1:], strict=False))
    )
    if chain:
        return CardState.from_dict({**json.loads(ordered[-1][3]), "pack_id": pack_id, "card_id": card_id})
    state: CardState | None = None
    for t, rating, _b, _a in ordered:
        state = apply_rating(settings, pack_id, card_id, state, rating, from_ms(t), fuzz=False)  # type: ignore[arg-type]
    assert state is not None
    return state


def _canonical(state: dict) -> dict:
    """A logged state with every key, in the log's order, as format 1 filled them in."""
    return {k: state.get(k, _STATE_DEFAULTS.get(k)) for k in STATE_KEYS}


def _same_state(a: str | None, b: str | None) -> bool:
    """Two logged states are the same state: the same text, or the same values written another way (a progress
    import leaves out empty keys), so every device finds the same chains whichever way its log spells them."""
    if a == b:
        return True
    if a is None or b is None:
        return False
    try:
        x, y = json.loads(a), json.loads(b)
    except ValueError:
        return False
    return isinstance(x, dict) and isinstance(y, dict) and _canonical(x) == _canonical(y)


# -- reading other devices' files ---------------------------------------------------------------------------


BOM = b"\xef\xbb\xbf"


def _read_new_lines(path: Path, offset: int, report: SyncReport, note_more: bool = True) -> tuple[list[bytes], int]:
    """The complete lines after byte `offset` (at most MAX_READ bytes of them), and their length in bytes.

    A last line without its newline is a file still being written or copied: it is left for the next sync.
    """
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read(MAX_READ)
        end = data.rfind(b"\n") + 1
        if not end and len(data) > MAX_LINE:  # a line longer than any record: skipped whole, never held whole
            skipped = len(data)
            while chunk := f.read(1 << 20):
                newline = chunk.find(b"\n")
                if newline >= 0:
                    skipped += newline + 1
                    break
                skipped += len(chunk)
            return [b"\0" * (MAX_LINE + 1)], skipped  # stands for it: reported as too long, with its number
        if note_more and len(data) == MAX_READ and f.read(1):
            report.more.append(path.name)
    if end < len(data) and len(data) < MAX_READ:
        report.torn.append(path.name)
    if not end:
        return [], 0
    lines = data.split(b"\n")  # not data[:end]: a copy of up to MAX_READ bytes
    lines.pop()  # what follows the last newline: nothing, or a line still being written
    return lines, end


def _parse(path: Path, first_line: int, raw: list[bytes], report: SyncReport) -> tuple[list, int]:
    """The valid records of `raw` as (file, line, record), and how many lines were consumed.

    A record from a newer studyml stops the file there, reported: it and the lines after it are read again at
    every sync, and merged once this device runs a studyml that knows their format, so nothing is skipped.
    """
    name, validate = path.name, _RECORD.validator.validate_json  # looked up once: this loop runs per line
    if first_line == 1 and raw and raw[0].startswith(BOM):
        # An editor's byte order mark: the first record is read, not reported. A copy: the caller counts the bytes
        # read from the lines as they are in the file (the mark taken off them made the next sync start 3 bytes early).
        raw = [raw[0][len(BOM) :], *raw[1:]]
    if raw and max(map(len, raw)) <= MAX_LINE:
        review, start = _REVIEW.validator.validate_json, _REVIEW_START
        try:  # the common case, every line valid, in one comprehension (the loop below costs a tenth more)
            return [
                (name, first_line + index, review(line) if line.startswith(start) else validate(line))
                for index, line in enumerate(raw)
            ], len(raw)
        except ValidationError:
            pass  # some line is not: read them one by one to report it
    records, skipped = [], 0
    for index, line in enumerate(raw):
        number = first_line + index
        if len(line) > MAX_LINE:
            if line.strip():
                report.problems.append(Problem(name, number, f"line longer than {MAX_LINE} bytes; skipped"))
            continue
        try:
            records.append((name, number, validate(line)))
        except ValidationError as e:
            if not line.strip():
                continue  # a blank line
            version = _newer_version(line)
            if version is not None:
                report.problems.append(
                    Problem(
                        name,
                        number,
                        f"written by a newer studyml (record format {version}, this one reads up to "
                        f"{FORMAT_VERSION}); upgrade studyml to merge it"
                        + (f" and the {count(after, 'line')} after it" if (after := len(raw) - index - 1) else ""),
                    )
                )
                return records, index
            err = e.errors()[0]
            loc = err["loc"][2:] if err["loc"][:1] == ("review",) else err["loc"][1:]  # the type (and version)
            in_a_state = bool(loc) and loc[0] in _STATE_KEYS_OF_A_REVIEW
            if in_a_state and len(loc) > 2:
                loc = (loc[0], *loc[2:])  # after.2.stability: the 2 is which kind of state (_State's tag)
            where = ".".join(str(p) for p in loc) or "record"
            if in_a_state and loc[-1] in _MEMORY_KEYS:
                # Well formed, with a memory state fsrs cannot schedule from (a stability of 0): what a writer wrote,
                # not a damaged line, and the repair (delete the file, its device writes it again) brings it back.
                report.problems.append(
                    Problem(name, number, f"{where}: {err['msg']}; a state no scheduler can use; skipped")
                )
                continue
            report.problems.append(Problem(name, number, f"{where}: {err['msg']}; skipped"))
            skipped += 1
    if skipped:  # said once for the file: a sync tool that zeroed a block mid-file lost its lines for good, unsaid
        report.problems.append(Problem(name, 0, f"{count(skipped, 'damaged line')} skipped. {REPAIR}", code=DAMAGED))
    return records, len(raw)


REPAIR = (
    "To repair: delete this file from the sync folder (its device writes it again in full at its next sync), then "
    "sync here with `studyml sync --again`"
)
FUTURE_SLACK_MS = 86_400_000  # a clock a little fast is not a wrong clock


def _valid(path: Path, first_line: int, raw: list[bytes], report: SyncReport) -> tuple[list, int]:
    """`_parse`, less the records dated in the future and the reviews whose states fsrs cannot schedule from
    (reported): what a file read brings to the merge."""
    records, used = _parse(path, first_line, raw, report)
    return _sound_states(_not_in_the_future(records, now_ms() + FUTURE_SLACK_MS, report), report), used


_STATE_FIELDS = (("after", "before"), ("state_after", "state_before"))  # format 2 and 3, format 1
_STATE_KEYS_OF_A_REVIEW = {key for keys in _STATE_FIELDS for key in keys}
_MEMORY_KEYS = {"stability", "difficulty", "step"}  # what fsrs schedules from, besides the times


def _sound_states(records: list, report: SyncReport) -> list:
    """The records less the reviews with a state last reviewed after the review itself, reported: the first of a
    file in full, the number of the others. One last reviewed in 9999 while the review was dated now passed
    validation, and the app stopped at every flip of the card ('year 10000 is out of range'). (What else fsrs
    cannot schedule from is refused by validation: _State.)"""
    empty: dict = {}
    # Two passes of plain lookups (a function per record cost 200 ms in a 100,000-record merge): every state after,
    # and the few states before given in full (the first review of a file's chain; every format 1 record).
    late = [
        k
        for k, (_name, _number, r) in enumerate(records)
        if ((r.get("after") or r.get("state_after") or empty).get("last_review_ms") or 0) > r["time_ms"] + 1000
    ]  # a second for rounding: the state after is the review's own
    late += [
        k
        for k, (_name, _number, r) in enumerate(records)
        if ("before" in r or r.get("state_before"))
        and ((r.get("before") or r.get("state_before") or empty).get("last_review_ms") or 0) > r["time_ms"] + 1000
    ]
    if not late:
        return records
    bad: dict[str, list[int]] = {}
    for k in late:
        name, number, _r = records[k]
        bad.setdefault(name, []).append(number)
    for name, numbers in bad.items():
        more = f" ({count(len(numbers) - 1, 'more review')} of this file likewise)" if len(numbers) > 1 else ""
        report.problems.append(Problem(name, numbers[0], f"last_review_ms: after the review's time_ms; skipped{more}"))
    skip = set(late)
    return [record for k, record in enumerate(records) if k not in skip]


def _not_in_the_future(records: list, limit_ms: int, report: SyncReport) -> list:
    """The records not dated after `limit_ms`; the others are reported and skipped. A review from a device whose
    clock said 2031 took the card over everywhere: every later review of it was dated after it, and it was due
    in 2031."""
    if all(r["time_ms"] <= limit_ms for _name, _number, r in records):
        return records
    kept = []
    ahead: dict[str, list[tuple[int, int]]] = {}  # file → (line, time_ms) of its records dated too far ahead
    for name, number, r in records:
        if r["time_ms"] <= limit_ms:
            kept.append((name, number, r))
        else:
            ahead.setdefault(name, []).append((number, r["time_ms"]))

    def when(ms: int) -> str:
        return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")

    # The first of a file in full, the rest of it in one line: a device with a wrong clock writes many, and each had
    # the same long advice.
    for name, found in ahead.items():
        number, t = found[0]
        report.problems.append(
            Problem(
                name,
                number,
                f"time_ms: dated {when(t)}, more than a day after this device's clock: the clock of the device that "
                "wrote it (or of this one) is wrong; skipped. Once the clocks are right, `studyml sync --again` "
                "reads it again",
            )
        )
        if len(found) > 1:
            rest = found[1:]
            lines = ", ".join(str(n) for n, _ in rest[:3]) + (", …" if len(rest) > 3 else "")
            report.problems.append(
                Problem(
                    name,
                    rest[0][0],
                    f"time_ms: {count(len(rest), 'more record')} dated more than a day after this device's clock "
                    f"(line{'s' if len(rest) > 1 else ''} {lines}; the latest {when(max(t for _, t in rest))}); "
                    "skipped likewise",
                )
            )
    return kept


def _own_tail(exported: dict, own: Path, as_left: bool, report: SyncReport) -> list:
    """The records of this device's own file after the point where this database's last sync left it.

    Only this device appends to its file, so they are records this database sent and no longer has: a backup was
    restored since. Without them the devices never agreed again: the others kept the reviews made after the
    backup, and this one never read its own file. Merged like another device's records, they bring those reviews
    back (a union, as sync always is; `undo` takes a review back everywhere). A sync that died between its append
    and its commit leaves records this database still has: they count as duplicates. With no marks for this folder
    (a first sync killed after its append, marks forgotten) the whole file is read: what it holds may be elsewhere.
    """
    sent = _mark_of(exported, "own_size") if as_left else 0  # not as left: read all of it
    try:
        if own.is_symlink() or not own.is_file() or own.stat().st_size <= sent:
            return []  # the common case: nothing since this database's last sync
        with open(own, "rb") as f:
            if sent:
                f.seek(sent - 1)
                if f.read(1) != b"\n":
                    sent = 0  # not where a line ended: the file was written again; read it all
            f.seek(0)
            lines_before, left = 0, sent
            while left > 0 and (chunk := f.read(min(left, 1 << 20))):
                lines_before += chunk.count(b"\n")
                left -= len(chunk)
        raw, offset = [], sent
        while True:  # all of it, not MAX_READ at a time: the next sync starts after this device's file as it is now
            lines, size = _read_new_lines(own, offset, report, note_more=False)
            if not size:
                break
            raw += lines
            offset += size
    except OSError as e:
        report.problems.append(Problem(own.name, 0, f"cannot read: {e.strerror}"))
        return []
    return _valid(own, lines_before + 1, raw, report)[0]


SAMPLE = 200  # the read-back reviews looked up to tell another writer of this device's file


def _another_writer(store: Store, own: Path, mine: list, report: SyncReport) -> None:
    """Report reviews this device's own file holds after its last sync that this database never had: another install
    with this device's id appended them (a data dir copied to another machine), and the two write one file (a sync
    tool makes conflict copies of it). A restored backup explains them when they are older than the restore."""
    restored = store.get_setting(RESTORED_SETTING)
    since = restored if isinstance(restored, int) and not isinstance(restored, bool) else -1
    # The newest: after a sync killed past its append, the first ones are this database's own.
    reviews = [r for _n, _l, r in mine if r["type"] == "review" and r["time_ms"] > since][-SAMPLE:]
    strangers = sum(not store.identity_taken(r["pack_id"], r["card_id"], r["time_ms"], r["rating"]) for r in reviews)
    if strangers:
        many = "at least " if strangers == SAMPLE else ""
        what = f"{many}{count(strangers, 'review')} this database never had"
        report.problems.append(Problem(own.name, 0, _ANOTHER_WRITER.format(what=what), code=ANOTHER_WRITER))


_ANOTHER_WRITER = (
    "this device's own file has {what}: another install uses this device's id (a data folder copied from another "
    "machine?), and the two write one file. On one of them, run `studyml sync DIR --new-device` to give it an id of "
    "its own. (Merged anyway: nothing is lost.)"
)


def _newer_version(line: bytes) -> int | None:
    """The format version of a record this version cannot read because it is newer (None: not that)."""
    try:
        v = json.loads(line).get("v")
    except (ValueError, AttributeError, RecursionError):  # RecursionError: a line nested thousands deep
        return None
    return v if isinstance(v, int) and not isinstance(v, bool) and v > FORMAT_VERSION else None


# -- the sync -----------------------------------------------------------------------------------------------


def sync(store: Store, folder: Path | str, *, now: datetime | None = None, again: bool = False) -> SyncReport:
    """Send this device's new records to `folder` and merge every other device's; returns what happened.

    `again`: read every other device's file from its start, not from where the last sync stopped (after a damaged
    file was repaired: what this device already has counts as a duplicate)."""
    folder = Path(folder).expanduser()
    # Never made here: a folder that is missing is most often a drive or share not mounted, or a typo. Made anew,
    # it took this device's whole file, and the reviews written there never reached the real folder's devices.
    if not folder.exists():
        raise SyncFolderMissing(
            f"the sync folder {folder} does not exist: is its drive or share mounted? (If it is a new folder, create "
            "it first.) Nothing was merged or sent"
        )
    if not folder.is_dir():
        raise StoreError(f"the sync folder {folder} is not a folder")
    # A damaged database is said even when nothing is new: a sync that found nothing to write reported success, and
    # `stats` then said the database was corrupt.
    store.sound()
    report = SyncReport()
    me = device_id(store)
    own = folder / f"{me}{SUFFIX}"
    offsets = store.get_mapping("sync_offsets")
    key = str(folder.resolve())
    seen = offsets.get(key, {}) if isinstance(offsets.get(key), dict) else {}
    reader = seen.get(READER)
    if again or not isinstance(reader, int) or reader < REREAD_BELOW:
        # Kept by a studyml that skipped the records it could not read: read every file again (what this device
        # already has is recognised and counted as a duplicate). Later readers stop a file at a line they cannot
        # read, so their offsets stand.
        seen = {}

    # Reading 100,000 records makes a million small dicts and tuples, none in a cycle: the cyclic garbage collector
    # would walk every one of them again and again while they pile up (a third of a big merge's time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read_and_merge(store, folder, report, me, own, offsets, key, seen)
    finally:
        if collecting:
            gc.enable()


def _read_and_merge(
    store: Store, folder: Path, report: SyncReport, me: str, own: Path, offsets: dict, key: str, seen: dict
) -> SyncReport:
    from studyml.srs.scheduler import Settings

    # 1. Read every other device's new lines (validation only; nothing written yet).
    incoming: list = []
    new_offsets = {**seen, READER: FORMAT_VERSION}
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path.name == own.name:
            continue
        if path.name.startswith(me) and not any(p.code == ANOTHER_WRITER for p in report.problems):
            # A sync tool's conflict copy of this device's file (`<id>.sync-conflict-….jsonl`, `<id> (conflicted
            # copy).jsonl`): two writers of it, one of them another install. Read as any other file all the same.
            what = "a conflict copy made by a sync tool"
            report.problems.append(Problem(path.name, 0, _ANOTHER_WRITER.format(what=what), code=ANOTHER_WRITER))
        if path.is_symlink() or not path.is_file():  # a device writes a file of its own: this is none
            what = "a symbolic link" if path.is_symlink() else "not a regular file"
            report.problems.append(
                Problem(path.name, 0, f"not read: {what}; a device's sync file is a file of its own")
            )
            continue
        offset, lines_before, check = _mark(seen.get(path.name))
        try:
            # Rewritten (a sync tool restored an older copy, or the file was deleted and its device wrote it again):
            # read it all again, what this device has is counted as a duplicate. Shorter is not the only sign: a file
            # written again may be longer than what was read of it, so the bytes read last must still be there.
            if path.stat().st_size < offset or (check is not None and _check(path, offset) != check):
                offset, lines_before, check = 0, 0, None
            raw, size = _read_new_lines(path, offset, report)
            records, used = _valid(path, lines_before + 1, raw, report)
            new_offset = offset + (size if used == len(raw) else sum(len(line) + 1 for line in raw[:used]))
            # Read nothing new (every sync at start and exit): the bytes before the offset were just hashed.
            kept = check if new_offset == offset and check is not None else _check(path, new_offset)
            new_offsets[path.name] = [new_offset, lines_before + used, kept]
        except OSError as e:
            report.problems.append(Problem(path.name, 0, f"cannot read: {e.strerror}"))
            continue
        report.devices += 1  # a file that could not be read is a problem reported, not a device synced with
        incoming += records
    exported = _exported(store, key)  # what this device's last sync to this folder sent (read again in the merge)
    as_left = _own_file_as_left(exported, own, key)  # checked again in the merge's transaction
    mine = _own_tail(exported, own, as_left, report)
    report.read_back = len(mine)
    if as_left and mine:
        _another_writer(store, own, mine, report)
    incoming += mine
    # Reviews in this device's file that its marks do not say were sent (a sync killed between its append and its
    # commit): other devices may have read them, so an undo of one must go out too.
    in_own_file = {
        (r["pack_id"], r["card_id"], r["time_ms"], r["rating"]) for _n, _l, r in mine if r["type"] == "review"
    }
    own_uuids = {r["uuid"] for _n, _l, r in mine}  # not sent again: the file holds them

    if not incoming and new_offsets == seen and not _has_news(store, exported, as_left) and not _ends_torn(own):
        return report  # the common case at every start and exit: nothing to write, not even a transaction
    settings = Settings.load(store)
    if len(incoming) <= BIG_MERGE:
        return _merge_and_send(
            store, key, me, own, offsets, new_offsets, incoming, in_own_file, own_uuids, settings, report
        )
    cache = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    # The review log's indexes take random inserts: with SQLite's default 2 MB page cache a big merge spills pages
    # to the WAL file mid-transaction and waits on the disk more than it computes.
    store.conn.execute(f"PRAGMA cache_size = {-BIG_MERGE_CACHE_KIB}")
    try:
        with store.checkpoint_after():
            return _merge_and_send(
                store, key, me, own, offsets, new_offsets, incoming, in_own_file, own_uuids, settings, report
            )
    finally:
        store.conn.execute(f"PRAGMA cache_size = {int(cache)}")


def _merge_and_send(
    store: Store,
    key: str,
    me: str,
    own: Path,
    offsets: dict,
    new_offsets: dict,
    incoming: list,
    in_own_file: set[tuple],
    own_uuids: set[str],
    settings: object,
    report: SyncReport,
) -> SyncReport:
    """Steps 2 to 5 of a sync, in one transaction: merge what was read, send this device's news, update states."""
    with store.transaction() as c:
        # This device's own rows are all at or below these ids: what the merge adds comes after them, and the send
        # step need not scan it (a 100k merge would make it read every received row: 60-80 ms).
        own_max = {t: c.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t in _TABLES}
        # 2. Merge them: a union keyed by identity. Undos first: a review undone anywhere is never merged again.
        reviews: list = []
        undos: list = []
        others: list = []  # quiz attempts, demo runs, settings
        kinds = {"review": reviews, "undo": undos}
        for record in incoming:  # one pass: nearly all are reviews
            kinds.get(record[2]["type"], others).append(record)
        undone = _merge_undos(c, undos, report)
        touched = _merge_reviews(store, reviews, report)
        for card_key in undone:
            touched[card_key] = None  # its log lost a review: read it back
        report.cards_updated += len(touched)  # the cards whose reviews this sync changed (not those it only sends)
        latest_setting = store.get_mapping("sync_settings")
        sent_settings = store.get_mapping("sync_sent_settings")
        for name, number, r in others:
            kind = r["type"]
            if kind == "quiz":
                cur = c.execute(
                    "INSERT OR IGNORE INTO quiz_attempts (time_ms, pack_id, item_id, card_id, answer, correct, seed,"
                    " uuid) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        r["time_ms"],
                        r["pack_id"],
                        r["item_id"],
                        r.get("card_id"),
                        json.dumps(r.get("answer"), ensure_ascii=False),
                        int(r["correct"]),
                        r.get("seed"),
                        r["uuid"],
                    ),
                )
            elif kind == "demo":
                cur = c.execute(
                    "INSERT OR IGNORE INTO demo_runs (time_ms, plugin_id, params, claims, duration_ms, ok, uuid)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (
                        r["time_ms"],
                        r["plugin_id"],
                        json.dumps(r.get("params", {}), sort_keys=True),
                        json.dumps(r.get("claims"), sort_keys=True, default=str),
                        r.get("duration_ms"),
                        int(r["ok"]),
                        r["uuid"],
                    ),
                )
            else:  # a setting: the newest change wins, on every device alike
                cur = None
                setting = r["key"]
                wrong = settings_problems({setting: r.get("value")})  # the scheduling settings ("srs")
                if wrong:  # every start reads it: a study day starting at hour 24 stopped the app on every device
                    report.problems.append(Problem(name, number, f"{wrong[0].removeprefix('settings.')}; skipped"))
                elif travels(setting) and (r["time_ms"], r["uuid"]) > tuple(latest_setting.get(setting, (0, ""))):
                    value = json.dumps(r.get("value"))
                    c.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (setting, value))
                    latest_setting[setting] = [r["time_ms"], r["uuid"]]
                    sent_settings[setting] = value  # it came from another device: nothing to send back
                    report.received += 1
                else:
                    report.duplicates += 1
            if cur is not None:
                if cur.rowcount:
                    report.received += 1
                else:
                    report.duplicates += 1

        # 3. Send: this device's records not yet in its own file. (The settings as received, for a folder this device
        # cannot write to: its own changes are then not marked sent.)
        received_settings = {"sync_settings": dict(latest_setting), "sync_sent_settings": dict(sent_settings)}
        exported = _exported(store, key)
        # Our file was lost, rolled back or swapped, or this is a new folder: send everything again. If this device
        # had sent before, to any folder, which reviews other devices may have is no longer known (`resend`).
        stale = not _own_file_as_left(exported, own, key)
        resend = bool(store.get_mapping("sync_exported")) and stale
        if stale:
            exported = {}
        marks = {t: _mark_of(exported, t) for t in (*_TABLES, "undone")}
        # Whether an undone review may be elsewhere: sent through any folder, not only this one (a review sent while
        # the device synced elsewhere, undone back here, kept its undo home).
        by_folder = _exported_by_folder(store)  # read once: its marks count here, and this folder's go in at the end
        sent_reviews = max([marks["reviews"], *(_mark_of(m, "reviews") for m in by_folder.values())])
        # No higher than any id this log ever gave (a mark edited by hand would send every undo, to no purpose).
        issued = c.execute("SELECT seq FROM sqlite_sequence WHERE name = 'reviews'").fetchone()
        sent_reviews = min(sent_reviews, issued[0] if issued else 0)
        lines, marks["reviews"] = _review_lines(c, marks["reviews"], own_max["reviews"], touched)
        for row in c.execute(
            "SELECT id, time_ms, pack_id, item_id, card_id, answer, correct, seed FROM quiz_attempts"
            " WHERE id > ? AND id <= ? AND uuid IS NULL ORDER BY id",
            (marks["quiz_attempts"], own_max["quiz_attempts"]),
        ).fetchall():
            qid, t, pack, item, card, answer, ok, seed = row
            lines.append(
                json.dumps(
                    {
                        "v": WRITE_VERSION,
                        "type": "quiz",
                        "uuid": _other_uuid("quiz", pack, item, t),
                        "time_ms": t,
                        "pack_id": pack,
                        "item_id": item,
                        "card_id": card,
                        "answer": json.loads(answer) if answer else None,
                        "correct": bool(ok),
                        "seed": seed,
                    },
                    ensure_ascii=False,
                    separators=(",", ":"),
                    allow_nan=False,
                )
            )
            marks["quiz_attempts"] = qid
        for row in c.execute(
            "SELECT id, time_ms, plugin_id, params, claims, duration_ms, ok FROM demo_runs"
            " WHERE id > ? AND id <= ? AND uuid IS NULL ORDER BY id",
            (marks["demo_runs"], own_max["demo_runs"]),
        ).fetchall():
            did, t, plugin, params, claims, dur, ok = row
            lines.append(
                json.dumps(
                    {
                        "v": WRITE_VERSION,
                        "type": "demo",
                        "uuid": _other_uuid("demo", plugin, t),
                        "time_ms": t,
                        "plugin_id": plugin,
                        "params": json.loads(params),
                        "claims": json.loads(claims),
                        "duration_ms": dur,
                        "ok": bool(ok),
                    },
                    ensure_ascii=False,
                    separators=(",", ":"),
                    allow_nan=False,
                    default=str,
                )
            )
            marks["demo_runs"] = did
        for k, v in c.execute("SELECT key, value FROM settings").fetchall():
            if not travels(k):
                continue
            if sent_settings.get(k) != v:  # changed here since it was last sent: a new record
                t = now_ms()
                u = _other_uuid("setting", me, k, t)
                latest_setting[k], sent_settings[k] = [t, u], v
            else:
                known = latest_setting.get(k)
                # A folder that lacks this device's file (a new one) gets this device's setting as it last sent
                # it, under that record's time and uuid, so a device that has it counts a duplicate (one set on
                # another device is that device's to send). Before, a new folder got it only once it changed.
                if not (stale and isinstance(known, list) and len(known) == 2):
                    continue
                t, u = known
                if u != _other_uuid("setting", me, k, t):
                    continue
            lines.append(
                json.dumps(
                    {"v": WRITE_VERSION, "type": "setting", "uuid": u, "time_ms": t, "key": k, "value": json.loads(v)},
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
            )
        # Undos last: a studyml that reads up to format 2 stops at the first one, having read what came before.
        undo_lines, marks["undone"] = _undo_lines(c, marks["undone"], sent_reviews, resend, touched, in_own_file)
        lines += undo_lines

        # 4. Card states that changed: a pure function of each card's reviews; a card left without any (its
        # reviews undone) is new again. (put_state and make_new keep a card's suspended, buried and flag columns.)
        new_states = []
        for (pack_id, card_id), known in sorted(touched.items()):
            revs = (
                known
                or c.execute(
                    "SELECT time_ms, rating, state_before, state_after FROM reviews WHERE pack_id = ? AND card_id = ?",
                    (pack_id, card_id),
                ).fetchall()
            )
            if revs:
                new_states.append(card_state(pack_id, card_id, revs, settings))
            else:
                store.make_new(pack_id, card_id)
        store.put_states(new_states)

        # 5. Append to our own file, durably, before the marks that say it was sent are committed. Not the records it
        # holds already (read back above): a sync killed after its append, or a folder copied to a new place, sent
        # every one of them again, and the file grew by them a second time.
        if own_uuids and lines:
            lines = [line for line in lines if _uuid_of(line) not in own_uuids]
        unwritable: SyncFileUnwritable | None = None
        if lines:
            try:
                _append(own, lines)
                report.sent = len(lines)
            except SyncFileUnwritable as e:
                unwritable = e
        elif _ends_torn(own):  # with nothing to send, a torn last line is still cut off, if the file lets it be
            with contextlib.suppress(StoreError):
                _append(own, [])
        offsets[key] = new_offsets
        kept: dict[str, object] = {"sync_offsets": offsets}
        if unwritable is not None:
            # A folder this device may read but not write (a read-only share, another user's folder): what the
            # other devices sent is merged all the same (it stopped everything before). What this device has to send
            # stays unsent: its send marks and its own setting changes are kept as they were, for the next sync.
            report.problems.append(Problem(own.name, 0, unwritable.received_message(), code=NOT_SENT))
            kept |= received_settings
        else:
            # Every row up to these ids is sent or came from elsewhere: an idle sync looks for news only after them
            # (the rows this device received have ids above its own last one, and scanning them took 60-80 ms).
            checked = {t: c.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t in _TABLES}
            checked["undone"] = c.execute("SELECT coalesce(max(id), 0) FROM undone_reviews").fetchone()[0]
            own_size, own_check = _own_size_and_check(own)
            marks_out = {**marks, "checked": checked, "own_size": own_size, "own_check": own_check, "folder": key}
            by_folder.pop(key, None)
            by_folder[key] = marks_out  # the newest last: the oldest folders are forgotten first
            kept |= {
                "sync_exported": marks_out,
                "sync_exported_folders": dict(list(by_folder.items())[-MAX_FOLDERS:]),
                "sync_settings": latest_setting,
                "sync_sent_settings": sent_settings,
            }
        for k, v in kept.items():
            c.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (k, json.dumps(v)))
    return report


_HELD = "SELECT time_ms, rating FROM reviews WHERE pack_id = ? AND card_id = ?"  # a card's identities in the log
_INSERT_INTO = (
    "INSERT OR IGNORE INTO reviews (time_ms, pack_id, pack_version, card_id, rating, duration_ms, state_after,"
    " state_before, source, uuid) VALUES "
)
_COLUMNS = 10  # of _INSERT_INTO
_ROW = "(" + ",".join("?" * _COLUMNS) + ")"
_ROWS_PER_INSERT = 3_000  # 30,000 values, under SQLite's default limit of 32,766 per statement


def _insert_all(c, rows: list[tuple]) -> None:
    """Insert `rows` (each one _ROW), many per statement: executemany runs the statement once per row, and each run
    of an insert into the review log (AUTOINCREMENT) also writes sqlite_sequence. A third faster for 100,000."""
    per = max(1, min(_ROWS_PER_INSERT, c.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // _COLUMNS))
    full = _INSERT_INTO + ",".join([_ROW] * per)
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        sql = full if len(chunk) == per else _INSERT_INTO + ",".join([_ROW] * len(chunk))
        c.execute(sql, list(chain.from_iterable(chunk)))


def _merge_reviews(store: Store, incoming: list, report: SyncReport) -> dict[tuple[str, str], list | None]:
    """Insert the reviews new to this device; returns the cards that got any, each with its whole review log
    as (time_ms, rating, state_before, state_after) when this sync brought all of it (None: read it back).

    A format 2 review names the review its state started from (`prev`), an earlier line of the same file: its
    state_before is that review's state_after, looked up among the records just read, then in the log.
    """
    c = store.conn
    states: list[dict] = []
    for _name, _number, r in incoming:
        v1 = r["v"] == 1
        states.append(_full(r["state_after"] if v1 else r["after"]))
        given = r.get("state_before") if v1 else r.get("before")
        if given:
            states.append(_full(given))
    texts = iter(_encode_states(states))
    dead = set(c.execute("SELECT pack_id, card_id, time_ms, rating FROM undone_reviews"))  # undone: never merged
    undone: dict[tuple, str] = {}  # identity → state_after of the undone reviews read, for a `prev` naming one
    # card → (time_ms, rating) → row, in the log's column order: a `prev` is found among them
    by_card: dict[tuple[str, str], dict[tuple[int, int], tuple]] = {}
    read = 0  # review records read, each new or a duplicate
    for name, number, r in incoming:
        pack, card, t, rating = r["pack_id"], r["card_id"], r["time_ms"], r["rating"]
        key = (pack, card)
        rows = by_card.get(key)
        after = next(texts)
        if r["v"] == 1:
            before = next(texts) if r.get("state_before") else None
        else:
            before = next(texts) if "before" in r else None
            if "prev" in r:
                prev = r["prev"]
                found = rows.get(prev) if rows is not None else None
                before = found[6] if found is not None else _prev_state(c, undone, pack, card, *prev)
                if before is None:
                    report.problems.append(
                        Problem(
                            name,
                            number,
                            f"prev: no review of this card at {prev[0]} in the file (a line before it was damaged "
                            f"or removed); skipped. {REPAIR}",
                        )
                    )
                    continue
        if dead and (pack, card, t, rating) in dead:
            # Undone (here, or on a device whose undo this one has read): counted as a record this device has.
            report.duplicates += 1
            undone.setdefault((pack, card, t, rating), after)
            c.execute(
                "UPDATE undone_reviews SET state_after = ? WHERE pack_id = ? AND card_id = ? AND time_ms = ?"
                " AND rating = ? AND state_after IS NULL",
                (after, pack, card, t, rating),
            )  # so a later review that names it as `prev` still finds the state it started from
            continue
        read += 1
        if rows is None:
            rows = by_card[key] = {}
        if (t, rating) not in rows:  # the first one wins, as in the log
            rows[(t, rating)] = (
                t,
                pack,
                r.get("pack_version", ""),
                card,
                rating,
                r.get("duration_ms"),
                after,
                before,
                r.get("source", "card"),
                r["uuid"],
            )
    touched: dict[tuple[str, str], list | None] = {}
    added = c.total_changes
    empty = c.execute("SELECT 1 FROM reviews LIMIT 1").fetchone() is None  # a new device's first sync
    # What the log already holds of each card read (nothing, on a new device's first sync): the rows to insert are
    # known before inserting, so they go in many per statement, whichever device this is.
    have: dict[tuple[str, str], set[tuple[int, int]]] = {}
    if not empty:
        for card_key in by_card:
            identities = c.execute(_HELD, card_key).fetchall()
            if identities:
                have[card_key] = set(identities)
    new_rows: list[tuple] = []
    for card_key in sorted(by_card):  # the identity index's order, so each insert appends to it
        rows, held = by_card[card_key], have.get(card_key)
        fresh = [row for identity, row in sorted(rows.items()) if not held or identity not in held]
        if not fresh:
            continue
        new_rows += fresh
        # A card whose log held none of its reviews needs no reading back: its log is exactly the reviews read
        # (a new device's first sync, or cards this device never studied). Otherwise it is read back after.
        touched[card_key] = None if held else [(row[0], row[4], row[7], row[6]) for row in rows.values()]
    with store.adding_reviews(read):
        _insert_all(c, new_rows)
    added = c.total_changes - added
    report.received += added
    report.duplicates += read - added
    return touched


def _full(state: dict) -> dict:
    # A validated state lists its keys in STATE_KEYS order (pydantic keeps the schema's order): when all are
    # there it is already in the log's form.
    return state if len(state) == len(STATE_KEYS) else _canonical(state)


def _encode_states(states: list[dict]) -> list[str]:
    """Each state as store.state_json writes it.

    pydantic-core's encoder takes a third of the time of json's, and writes every number as json does but a
    float that json writes with an exponent (below 1e-4, or from 1e16): pydantic-core writes those with an
    exponent too, or as `0.0000…`. The states holding one are found by counting over all of them at once: a state
    (every key, see _full) has as many `e` as its keys unless a number has an exponent (a regular expression cost
    more than the encoding); they, and any with a number that starts `0.0000`, are encoded again by json. (Only
    the start: 120.00001 is written alike, and among 200,000 numbers a `0.0000` inside one is common.)
    """
    out = [to_json(state).decode() for state in states]  # faster than one call for the list split apart after
    if _unlike_json("".join(out), len(states)):  # rare: a tiny number
        out = [_encode(state) if _unlike_json(t) else t for state, t in zip(states, out)]
    return out


def _unlike_json(text: str, states: int = 1) -> bool:
    """Whether pydantic-core may have written a number of these `states` (all keys) unlike json (see _encode_states)."""
    return text.count("e") != _KEY_ES * states or _TINY in text


def _prev_state(c, undone: dict, pack: str, card: str, t: int, rating: int) -> str | None:
    """The state_after of a review not among the records just read: in the log, or kept by its undo."""
    found = undone.get((pack, card, t, rating))
    if found is not None:
        return found
    for table in ("reviews", "undone_reviews"):  # a review undone since still left the state it left
        row = c.execute(
            f"SELECT state_after FROM {table} WHERE pack_id = ? AND card_id = ? AND time_ms = ? AND rating = ?",
            (pack, card, t, rating),
        ).fetchone()
        if row and row[0] is not None:
            return row[0]
    return None


def _merge_undos(c, undos: list, report: SyncReport) -> set[tuple[str, str]]:
    """Remember the undos new to this device and delete the reviews they undo; returns the cards that lost one.

    The tombstone keeps the undone review's state_after, so a review that names it as `prev` still merges.
    """
    cards: set[tuple[str, str]] = set()
    for _name, _number, r in undos:
        pack, card, (t, rating) = r["pack_id"], r["card_id"], r["review"]
        row = c.execute(
            "SELECT id, state_after, uuid FROM reviews WHERE pack_id = ? AND card_id = ? AND time_ms = ? AND rating = ?",
            (pack, card, t, rating),
        ).fetchone()
        cur = c.execute(
            "INSERT OR IGNORE INTO undone_reviews (uuid, pack_id, card_id, time_ms, rating, undone_ms, review_id,"
            " state_after, received, here) VALUES (?,?,?,?,?,?,?,?,?,0)",
            (
                review_uuid(pack, card, t, rating),
                pack,
                card,
                t,
                rating,
                r["time_ms"],
                row[0] if row else None,
                row[1] if row else None,
                int(row is not None and row[2] is not None),
            ),
        )
        if cur.rowcount:
            report.received += 1
        else:
            report.duplicates += 1
        if row is not None:  # also a review brought back (by an import) after its undo was known
            c.execute("DELETE FROM reviews WHERE id = ?", (row[0],))
            c.execute(
                "UPDATE undone_reviews SET state_after = ? WHERE pack_id = ? AND card_id = ? AND time_ms = ?"
                " AND rating = ? AND state_after IS NULL",
                (row[1], pack, card, t, rating),
            )
            report.undone += 1
            cards.add((pack, card))
    return cards


def _undo_lines(
    c,
    mark: int,
    sent_reviews: int,
    resend: bool,
    touched: dict[tuple[str, str], list | None],
    in_own_file: set[tuple],
) -> tuple[list[str], int]:
    """This device's undos after tombstone id `mark` that other devices need, as format 3 lines; and the last id.

    An undo goes out when the review it undoes may be elsewhere: it had been sent (its row id is at most
    `sent_reviews`, the last one sent before this sync: ids are never reused), it had come from another device, or
    this device's file is being written again from the start after it had sent some (`resend`: what was sent is
    unknown), or its file holds it (`in_own_file`: a sync killed after its append never marked it sent). A review
    undone before it was ever sent needs no undo, but its card's state is computed again, from
    the reviews left, as every other device computes it.
    """
    lines: list[str] = []
    for tid, identity, pack, card, t, rating, undone_ms, review_id, received in c.execute(
        "SELECT id, uuid, pack_id, card_id, time_ms, rating, undone_ms, review_id, received FROM undone_reviews"
        " WHERE id > ? AND here ORDER BY id",
        (mark,),
    ).fetchall():
        mark = tid
        touched.setdefault((pack, card), None)  # so this device computes the same state the others will
        sent = resend or received or (review_id is not None and review_id <= sent_reviews)
        if not (sent or (pack, card, t, rating) in in_own_file):
            continue
        record = {
            "v": UNDO_VERSION,
            "type": "undo",
            "uuid": _other_uuid("undo", identity),
            "time_ms": undone_ms,
            "pack_id": pack,
            "card_id": card,
            "review": [t, rating],
        }
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    return lines, mark


def _review_lines(c, mark: int, own_max: int, touched: dict[tuple[str, str], list | None]) -> tuple[list[str], int]:
    """This device's reviews after id `mark` (and up to `own_max`), as format 2 lines; and the id of the last.

    A review whose state_before is the state_after of this device's previous review of the card (an earlier line
    of this same file) names that review (`prev`) instead of repeating the state: the file is about half as
    large, and so about twice as fast to read on the other devices.
    """
    lines: list[str] = []
    last: dict[tuple[str, str], tuple[int, int, str]] = {}  # card → (time_ms, rating, state_after) of its last
    for row in c.execute(
        "SELECT id, time_ms, pack_id, pack_version, card_id, rating, duration_ms, state_after, state_before,"
        " source FROM reviews WHERE id > ? AND id <= ? AND uuid IS NULL ORDER BY id",
        (mark, own_max),
    ).fetchall():
        rid, t, pack, version, card, rating, dur, after, before, source = row
        record: dict = {
            "v": WRITE_VERSION,
            "type": "review",
            "uuid": review_uuid(pack, card, t, rating),
            "time_ms": t,
            "pack_id": pack,
            "card_id": card,
            "rating": rating,
        }
        if version:
            record["pack_version"] = version
        if dur is not None:
            record["duration_ms"] = dur
        if source != "card":
            record["source"] = source
        record["after"] = json.loads(after)
        if before is not None:
            prev = last.get((pack, card))
            if prev is None:
                prev = c.execute(
                    "SELECT time_ms, rating, state_after FROM reviews WHERE pack_id = ? AND card_id = ?"
                    " AND uuid IS NULL AND id < ? ORDER BY id DESC LIMIT 1",
                    (pack, card, rid),
                ).fetchone()
            if prev is not None and _same_state(before, prev[2]):
                record["prev"] = [prev[0], prev[1]]
            else:
                record["before"] = json.loads(before)
        last[(pack, card)] = (t, rating, after)
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
        mark = rid
        touched.setdefault((pack, card), None)  # so this device computes the same state the others will
    return lines, mark


MAX_FOLDERS = 20  # sync folders whose send marks are kept (a path and a dozen numbers each)


def _mark_of(marks: dict, table: str) -> int:
    """A row id or size kept in the send marks; 0 (from the start) for anything else (settings edited by hand)."""
    value = marks.get(table, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _exported_by_folder(store: Store) -> dict:
    return {k: v for k, v in store.get_mapping("sync_exported_folders").items() if isinstance(v, dict)}


def _exported(store: Store, key: str) -> dict:
    """What this device's last sync to the folder `key` sent (`sync_exported` is the last sync's, to any folder).

    Kept per folder: a learner who moved their sync folder and back sent the whole history again, the records
    already in that folder's file appended a second time (other devices read them as duplicates)."""
    last = store.get_mapping("sync_exported")
    if last.get("folder") == key:
        return last
    return _exported_by_folder(store).get(key, {})


def _has_news(store: Store, exported: dict, as_left: bool) -> bool:
    """Whether this device has records or settings its own file does not hold yet (reads only); `as_left`: whether
    its own file is the one the last sync left (see _own_file_as_left)."""
    # A device that has sent nothing has no file yet: that is not news (it made every idle sync a transaction).
    if not as_left:
        return True
    if _mark_of(exported, "own_size") and not isinstance(exported.get("own_check"), str):
        return True  # marks kept by a studyml that did not hash this file: the next sync records its hash
    c = store.conn
    raw = exported.get("checked")
    checked: dict = raw if isinstance(raw, dict) else {}
    for table in _TABLES:
        after = max(_mark_of(exported, table), _mark_of(checked, table))
        if c.execute(f"SELECT 1 FROM {table} WHERE id > ? AND uuid IS NULL LIMIT 1", (after,)).fetchone():
            return True
    after = max(_mark_of(exported, "undone"), _mark_of(checked, "undone"))
    if c.execute("SELECT 1 FROM undone_reviews WHERE id > ? AND here LIMIT 1", (after,)).fetchone():
        return True
    sent = store.get_mapping("sync_sent_settings")
    return any(travels(k) and sent.get(k) != v for k, v in c.execute("SELECT key, value FROM settings"))


CHECK_BYTES = 256  # the bytes before a file's read offset whose hash says it is still the file that was read


def _own_file_as_left(exported: dict, own: Path, key: str) -> bool:
    """Whether this device's file in the folder is the one its last sync there left: as long at least, and the bytes
    before that point the same. Otherwise it was lost, rolled back or swapped for another copy (a drive that was not
    mounted at the last sync, whose folder was then made anew on the local disk): written again in full."""
    if exported.get("folder") != key:
        return False
    mark = _mark_of(exported, "own_size")
    try:
        size = own.stat().st_size if own.is_file() else 0
        if size < mark:
            return False
        check = exported.get("own_check")
        return not (isinstance(check, str) and mark and _check(own, mark) != check)
    except OSError:
        return False


def _own_size_and_check(own: Path) -> tuple[int, str | None]:
    """The length of this device's file and the hash of its last bytes, for the marks (0, None: no file of its own;
    something else in its place is refused by _append before it is written to)."""
    if not own.is_file():
        return 0, None
    size = own.stat().st_size
    return size, _check(own, size) if size else None


def _mark(entry: object) -> tuple[int, int, str | None]:
    """(byte offset, lines read, hash of the bytes before the offset) kept for one file; a mark kept by an earlier
    studyml has no hash (None); anything else (hand-edited settings) reads from the start."""
    if isinstance(entry, list) and len(entry) in (2, 3) and all(isinstance(x, int) and x >= 0 for x in entry[:2]):
        check = entry[2] if len(entry) == 3 and isinstance(entry[2], str) else None
        return entry[0], entry[1], check
    return 0, 0, None


def _check(path: Path, offset: int) -> str:
    """A hash of the CHECK_BYTES before `offset` in the file (of nothing at offset 0)."""
    start = max(0, offset - CHECK_BYTES)
    with open(path, "rb") as f:
        f.seek(start)
        return hashlib.blake2b(f.read(offset - start), digest_size=8).hexdigest()


_NO_PERMISSION = (errno.EACCES, errno.EPERM, errno.EROFS)


def _write_hint(e: OSError, path: Path) -> str:
    """What to do when this device's sync file cannot be written."""
    if e.errno == errno.ENOSPC or e.errno == errno.EDQUOT:
        return f"Free some space on the disk holding {path.parent} and sync again."
    if e.errno == errno.EROFS:
        return f"{path.parent} is on a read-only file system (or share): sync with a folder you can write to."
    if e.errno in _NO_PERMISSION:
        return (
            f"Make {path.parent} (and {path.name} in it, if there) writable for this user, or sync with a folder "
            "you can write to."
        )
    return "Check the folder's disk or share, and sync again."


def _write_error(path: Path, e: OSError, state: str) -> StoreError:
    """The error for this device's sync file failing to be written; `state`: what became of the file."""
    message = (
        f"cannot write the sync file {path}: {e.strerror}; nothing was merged or sent{state}. {_write_hint(e, path)}"
    )
    return SyncFileUnwritable(message, path, e) if e.errno in _NO_PERMISSION else StoreError(message)


_UUID_FIELD = re.compile(r'"uuid":"([^"\\]*)"')


def _uuid_of(line: str) -> str | None:
    """The uuid of a record this device writes (the first "uuid" key is the record's: `v` and `type` come before it,
    and a text value holding the same characters has its quotes escaped)."""
    m = _UUID_FIELD.search(line)
    return m.group(1) if m else None


def _ends_torn(own: Path) -> bool:
    """Whether this device's file ends inside a line (a crash mid-append, or a copy cut short)."""
    try:
        if own.is_symlink() or not own.is_file():
            return False
        with open(own, "rb") as f:
            size = f.seek(0, os.SEEK_END)
            return size > 0 and os.pread(f.fileno(), 1, size - 1) != b"\n"
    except OSError:
        return False


def _whole_lines_end(fd: int, size: int) -> int:
    """Where the last whole line of the file ends (just after its newline; 0: none)."""
    end = size
    while end > 0:
        start = max(0, end - (1 << 16))
        newline = os.pread(fd, end - start, start).rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        end = start
    return 0


def _append(path: Path, lines: list[str]) -> None:
    """Append whole lines and fsync, or nothing; a torn last line is cut off first so it cannot swallow ours. It runs
    inside the sync's transaction: when it fails, nothing is merged or sent."""
    data = ("\n".join(lines) + "\n").encode() if lines else b""
    cut = False
    try:
        # Never through a symbolic link or into a device or a pipe: the folder is shared, and a link in place of
        # this device's file made sync append its records to whatever it pointed at (/etc/passwd, as root).
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise StoreError(
                f"the sync file {path} is a symbolic link; studyml writes only a file of its own there: remove the "
                "link and sync again (nothing was merged or sent)"
            ) from e
        raise _write_error(path, e, "") from e
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(
                f"the sync file {path} is not a regular file; remove it and sync again (nothing was merged or sent)"
            )
        if st.st_nlink > 1:  # a hard link: appending would write into the other name's file too
            raise StoreError(
                f"the sync file {path} has another name (a hard link); studyml writes only a file of its own there: "
                f"make it a copy (cp {path.name} {path.name}.new && mv {path.name}.new {path.name}) and sync again "
                "(nothing was merged or sent)"
            )
        size = os.lseek(fd, 0, os.SEEK_END)
        try:
            if size > 0 and os.pread(fd, 1, size - 1) != b"\n":
                # A torn last line (this device's file cut short by a copy, or a crash mid-write): cut back to the
                # last whole line. Ended with a newline instead, it stayed a damaged line that every other device
                # reported at every sync. What it held was a record of this device's: it is sent again below.
                size, cut = _whole_lines_end(fd, size), True
                os.ftruncate(fd, size)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError:
            # Take back what was written: part of a line (a full disk) was a damaged line for every device that read
            # the file, and the next sync wrote its records again after it.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
    except OSError as e:
        raise _write_error(path, e, " (the file is as it was" + (", less a torn last line" if cut else "") + ")") from e
    finally:
        os.close(fd)
