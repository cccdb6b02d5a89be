"""Sync through a folder: each device appends its own records to DIR/<device>.jsonl and merges the others'.

No server and no merge conflicts: a device only ever appends to its own file, so git, Syncthing or a cloud
folder never sees two writers of one file. Merging is a union of records keyed by their identity, so it is
idempotent and independent of the order files arrive in. A card's state is a pure function of the set of its
reviews (see `card_state`), so two devices that hold the same reviews hold the same state.

Files in DIR come from elsewhere: every line is validated before anything is written, a line torn by a sync
tool copying a file being written is left for the next sync, and a malformed line is reported and skipped.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from studyml.srs.store import CardState, Store, StoreError, now_ms, state_json

FORMAT_VERSION = 1
SUFFIX = ".jsonl"
MAX_LINE = 1 << 20  # a record is a few hundred bytes; a 1 MiB line is not one of ours
_NS = uuid.UUID("5f0c7a0e-3f5e-4d0b-9d43-7a3c2b1f6e10")  # namespace of record identities


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    v: Literal[1]
    uuid: str = Field(min_length=1, max_length=64)
    time_ms: int = Field(ge=0)


class _State(BaseModel):
    """A card's scheduling state as the review log stores it (see store.state_json)."""

    model_config = ConfigDict(extra="ignore", strict=True)
    state: Literal[1, 2, 3]
    step: int | None = None
    stability: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    difficulty: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    due_ms: int
    last_review_ms: int | None = None
    reps: int = Field(default=0, ge=0)
    lapses: int = Field(default=0, ge=0)
    first_review_ms: int | None = None


class ReviewRecord(_Record):
    type: Literal["review"]
    pack_id: str = Field(min_length=1, max_length=200)
    card_id: str = Field(min_length=1, max_length=200)
    rating: Literal[1, 2, 3, 4]
    pack_version: str = ""
    duration_ms: int | None = Field(default=None, ge=0)
    source: Literal["card", "quiz"] = "card"
    state_after: _State
    state_before: _State | None = None


class QuizRecord(_Record):
    type: Literal["quiz"]
    pack_id: str = Field(min_length=1, max_length=200)
    item_id: str = Field(min_length=1, max_length=200)
    card_id: str | None = None
    answer: object = None
    correct: bool
    seed: int | None = None


class DemoRecord(_Record):
    type: Literal["demo"]
    plugin_id: str = Field(min_length=1, max_length=200)
    params: dict = Field(default_factory=dict)
    claims: object = None
    duration_ms: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    ok: bool


class SettingRecord(_Record):
    type: Literal["setting"]
    key: str = Field(min_length=1, max_length=200)
    value: object = None


_RECORD: TypeAdapter = TypeAdapter(
    Annotated[ReviewRecord | QuizRecord | DemoRecord | SettingRecord, Field(discriminator="type")]
)


# Settings that belong to one machine and must not travel.
LOCAL_SETTINGS = frozenset({"device_id"})  # and every key starting with "sync_"


@dataclass
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class SyncReport:
    sent: int = 0
    received: int = 0  # records new to this device
    duplicates: int = 0  # records read that this device already had
    cards_updated: int = 0
    devices: int = 0
    problems: list[Problem] = field(default_factory=list)
    torn: list[str] = field(default_factory=list)  # files whose last line is incomplete (read up to it)

    def to_dict(self) -> dict:
        return {
            "sent": self.sent,
            "received": self.received,
            "duplicates": self.duplicates,
            "cards_updated": self.cards_updated,
            "devices": self.devices,
            "problems": [str(p) for p in self.problems],
            "torn": self.torn,
        }


def review_uuid(pack_id: str, card_id: str, time_ms: int, rating: int) -> str:
    """A review's identity: the same on every device, so a review merged twice is stored once."""
    return str(uuid.uuid5(_NS, f"review\x1f{pack_id}\x1f{card_id}\x1f{time_ms}\x1f{rating}"))


def _other_uuid(kind: str, *parts: object) -> str:
    return str(uuid.uuid5(_NS, "\x1f".join([kind, *map(str, parts)])))


def device_id(store: Store) -> str:
    """This data dir's device id, made on first use (a copied data dir should be given a new one)."""
    dev = store.get_setting("device_id")
    if not isinstance(dev, str) or not dev:
        dev = uuid.uuid4().hex
        store.set_setting("device_id", dev)
    return dev


# -- the state of a card as a function of its reviews ----------------------------------------------------------


def card_state(
    pack_id: str, card_id: str, reviews: list[tuple[int, int, str | None, str]], settings: object
) -> CardState:
    """The state a card's reviews lead to, the same on every device that holds the same reviews.

    `reviews` are (time_ms, rating, state_before, state_after), the states as the review log stores them
    (`store.state_json`, so equal states are equal strings). When the reviews form one chain (each starts from
    the state the previous one left), the last state stands, fuzz and all, as the device that made it computed
    it. When two devices studied the card apart, the chain forks: then every review is replayed in time order
    with fsrs, without fuzz, so every device computes the same.
    """
    from studyml.srs.scheduler import apply_rating, from_ms

    ordered = sorted(reviews, key=lambda r: (r[0], r[1]))  # (time, rating) is a review's identity
    chain = ordered[0][2] is None and all(cur[2] == prev[3] for prev, cur in zip(ordered, ordered[1:], strict=False))
    if chain:
        return CardState.from_dict({**json.loads(ordered[-1][3]), "pack_id": pack_id, "card_id": card_id})
    state: CardState | None = None
    for t, rating, _b, _a in ordered:
        state = apply_rating(settings, pack_id, card_id, state, rating, from_ms(t), fuzz=False)  # type: ignore[arg-type]
    assert state is not None
    return state


# -- reading other devices' files ---------------------------------------------------------------------------


def _read_new_lines(path: Path, offset: int, report: SyncReport) -> tuple[list[bytes], int]:
    """The complete lines after byte `offset`, and the offset after the last of them.

    A last line without its newline is a file still being written or copied: it is left for the next sync.
    """
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        report.torn.append(path.name)
    return (data[:end].split(b"\n")[:-1] if end else []), offset + end


def _parse(path: Path, first_line: int, raw: list[bytes], report: SyncReport) -> list:
    records = []
    for number, line in enumerate(raw, start=first_line):
        if not line.strip():
            continue
        if len(line) > MAX_LINE:
            report.problems.append(Problem(path.name, number, f"line longer than {MAX_LINE} bytes; skipped"))
            continue
        try:
            records.append(_RECORD.validate_json(line))
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(p) for p in err["loc"][1:]) or "record"  # loc[0] names the record type
            report.problems.append(Problem(path.name, number, f"{where}: {err['msg']}; skipped"))
    return records


# -- the sync -----------------------------------------------------------------------------------------------


def sync(store: Store, folder: Path | str, *, now: datetime | None = None) -> SyncReport:
    """Send this device's new records to `folder` and merge every other device's; returns what happened."""
    from studyml.srs.scheduler import Settings

    folder = Path(folder).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"cannot use the sync folder {folder}: {e.strerror}") from e
    if not folder.is_dir():
        raise StoreError(f"the sync folder {folder} is not a folder")
    report = SyncReport()
    me = device_id(store)
    own = folder / f"{me}{SUFFIX}"
    offsets = store.get_mapping("sync_offsets")
    key = str(folder.resolve())
    seen = offsets.get(key, {}) if isinstance(offsets.get(key), dict) else {}

    # 1. Read every other device's new lines (validation only; nothing written yet).
    incoming: list = []
    new_offsets = dict(seen)
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path.name == own.name or path.is_symlink() or not path.is_file():
            continue
        report.devices += 1
        offset, lines_before = _mark(seen.get(path.name))
        try:
            if path.stat().st_size < offset:  # rewritten (a sync tool restored an older copy): read it all again
                offset, lines_before = 0, 0
            raw, new_offset = _read_new_lines(path, offset, report)
        except OSError as e:
            report.problems.append(Problem(path.name, 0, f"cannot read: {e.strerror}"))
            continue
        incoming += _parse(path, lines_before + 1, raw, report)
        new_offsets[path.name] = [new_offset, lines_before + len(raw)]

    if not incoming and new_offsets == seen and not _has_news(store, own, key):
        return report  # the common case at every start and exit: nothing to write, not even a transaction
    settings = Settings.load(store)
    with store.transaction() as c:
        # 2. Merge them: a union keyed by identity.
        touched: set[tuple[str, str]] = set()
        latest_setting = store.get_mapping("sync_settings")
        sent_settings = store.get_mapping("sync_sent_settings")
        reviews = [r for r in incoming if isinstance(r, ReviewRecord)]
        by_card: dict[tuple[str, str], list[tuple]] = {}
        for r in reviews:
            by_card.setdefault((r.pack_id, r.card_id), []).append(
                (
                    r.time_ms,
                    r.pack_id,
                    r.pack_version,
                    r.card_id,
                    r.rating,
                    r.duration_ms,
                    state_json(r.state_after.model_dump()),
                    state_json(r.state_before.model_dump()) if r.state_before else None,
                    r.source,
                    r.uuid,
                )
            )
        for card, rows in by_card.items():
            before = c.total_changes
            c.executemany(
                "INSERT OR IGNORE INTO reviews (time_ms, pack_id, pack_version, card_id, rating, duration_ms,"
                " state_after, state_before, source, uuid) VALUES (?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            added = c.total_changes - before
            report.received += added
            report.duplicates += len(rows) - added
            if added:
                touched.add(card)
        for r in incoming:
            if isinstance(r, ReviewRecord):
                continue
            if isinstance(r, QuizRecord):
                cur = c.execute(
                    "INSERT OR IGNORE INTO quiz_attempts (time_ms, pack_id, item_id, card_id, answer, correct, seed,"
                    " uuid) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        r.time_ms,
                        r.pack_id,
                        r.item_id,
                        r.card_id,
                        json.dumps(r.answer, ensure_ascii=False),
                        int(r.correct),
                        r.seed,
                        r.uuid,
                    ),
                )
            elif isinstance(r, DemoRecord):
                cur = c.execute(
                    "INSERT OR IGNORE INTO demo_runs (time_ms, plugin_id, params, claims, duration_ms, ok, uuid)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (
                        r.time_ms,
                        r.plugin_id,
                        json.dumps(r.params, sort_keys=True),
                        json.dumps(r.claims, sort_keys=True, default=str),
                        r.duration_ms,
                        int(r.ok),
                        r.uuid,
                    ),
                )
            else:  # a setting: the newest change wins, on every device alike
                cur = None
                if _travels(r.key) and (r.time_ms, r.uuid) > tuple(latest_setting.get(r.key, (0, ""))):
                    value = json.dumps(r.value)
                    c.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (r.key, value))
                    latest_setting[r.key] = [r.time_ms, r.uuid]
                    sent_settings[r.key] = value  # it came from another device: nothing to send back
                    report.received += 1
                else:
                    report.duplicates += 1
            if cur is not None:
                if cur.rowcount:
                    report.received += 1
                else:
                    report.duplicates += 1

        # 3. Send: this device's records not yet in its own file.
        exported = store.get_mapping("sync_exported")
        own_size = own.stat().st_size if own.exists() else 0
        if own_size < int(exported.get("own_size", 0)) or exported.get("folder") != key:
            exported = {}  # our file was lost, rolled back, or this is a new folder: send everything again
        lines: list[str] = []
        marks = {t: int(exported.get(t, 0)) for t in ("reviews", "quiz_attempts", "demo_runs")}
        for row in c.execute(
            "SELECT id, time_ms, pack_id, pack_version, card_id, rating, duration_ms, state_after, state_before,"
            " source FROM reviews WHERE id > ? AND uuid IS NULL ORDER BY id",
            (marks["reviews"],),
        ).fetchall():
            rid, t, pack, version, card, rating, dur, after, before, source = row
            lines.append(
                json.dumps(
                    {
                        "v": FORMAT_VERSION,
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
                    ensure_ascii=False,
                    separators=(",", ":"),
                    allow_nan=False,
                )
            )
            marks["reviews"] = rid
            touched.add((pack, card))  # so this device computes the same state the others will
        for row in c.execute(
            "SELECT id, time_ms, pack_id, item_id, card_id, answer, correct, seed FROM quiz_attempts"
            " WHERE id > ? AND uuid IS NULL ORDER BY id",
            (marks["quiz_attempts"],),
        ).fetchall():
            qid, t, pack, item, card, answer, ok, seed = row
            lines.append(
                json.dumps(
                    {
                        "v": FORMAT_VERSION,
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
            " WHERE id > ? AND uuid IS NULL ORDER BY id",
            (marks["demo_runs"],),
        ).fetchall():
            did, t, plugin, params, claims, dur, ok = row
            lines.append(
                json.dumps(
                    {
                        "v": FORMAT_VERSION,
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
            if not _travels(k) or sent_settings.get(k) == v:
                continue
            t = now_ms()
            u = _other_uuid("setting", me, k, t)
            lines.append(
                json.dumps(
                    {"v": FORMAT_VERSION, "type": "setting", "uuid": u, "time_ms": t, "key": k, "value": json.loads(v)},
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
            )
            latest_setting[k] = [t, u]
            sent_settings[k] = v

        # 4. Card states that changed: a pure function of each card's reviews.
        for pack_id, card_id in sorted(touched):
            revs = c.execute(
                "SELECT time_ms, rating, state_before, state_after FROM reviews WHERE pack_id = ? AND card_id = ?",
                (pack_id, card_id),
            ).fetchall()
            new = card_state(pack_id, card_id, revs, settings)
            flags = c.execute(
                "SELECT suspended, buried_until_ms, flag FROM progress WHERE pack_id = ? AND card_id = ?",
                (pack_id, card_id),
            ).fetchone()
            store.put_state(new)
            if flags:
                c.execute(
                    "UPDATE progress SET suspended = ?, buried_until_ms = ?, flag = ? WHERE pack_id = ? AND"
                    " card_id = ?",
                    (*flags, pack_id, card_id),
                )
            report.cards_updated += 1

        # 5. Append to our own file, durably, before the marks that say it was sent are committed.
        if lines:
            _append(own, lines)
            report.sent = len(lines)
        offsets[key] = new_offsets
        marks_out: dict = {**marks, "own_size": own.stat().st_size if own.exists() else 0, "folder": key}
        for k, v in (
            ("sync_offsets", offsets),
            ("sync_exported", marks_out),
            ("sync_settings", latest_setting),
            ("sync_sent_settings", sent_settings),
        ):
            c.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (k, json.dumps(v)))
    return report


def _has_news(store: Store, own: Path, key: str) -> bool:
    """Whether this device has records or settings its own file does not hold yet (reads only)."""
    exported = store.get_mapping("sync_exported")
    if exported.get("folder") != key or not own.exists() or own.stat().st_size < int(exported.get("own_size", 0)):
        return True
    c = store.conn
    for table in ("reviews", "quiz_attempts", "demo_runs"):
        if c.execute(
            f"SELECT 1 FROM {table} WHERE id > ? AND uuid IS NULL LIMIT 1", (int(exported.get(table, 0)),)
        ).fetchone():
            return True
    sent = store.get_mapping("sync_sent_settings")
    return any(_travels(k) and sent.get(k) != v for k, v in c.execute("SELECT key, value FROM settings"))


def _travels(key: str) -> bool:
    return key not in LOCAL_SETTINGS and not key.startswith("sync_")


def _mark(entry: object) -> tuple[int, int]:
    """(byte offset, lines read) kept for one file; anything else (hand-edited settings) reads from the start."""
    if isinstance(entry, list) and len(entry) == 2 and all(isinstance(x, int) and x >= 0 for x in entry):
        return entry[0], entry[1]
    return 0, 0


def _append(path: Path, lines: list[str]) -> None:
    """Append whole lines and fsync; a torn last line left by a crash is ended first so it cannot swallow ours."""
    data = ("\n".join(lines) + "\n").encode()
    try:
        with open(path, "ab+") as f:
            if f.tell() > 0:
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    data = b"\n" + data
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        raise StoreError(f"cannot write the sync file {path}: {e.strerror}; nothing was marked as sent") from e
