"""studyml/srs/sync.py as released with record format 2 (before undo records), verbatim but for this docstring.

The tests run it as the older studyml a learner may still have on another machine, reading the files this one
writes. Do not edit it to follow the current module: it stands for released code.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal, NotRequired, Required

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from studyml.srs.store import CardState, Store, StoreError, now_ms

FORMAT_VERSION = 2  # of the records this version writes; it reads every version up to this one
SUFFIX = ".jsonl"
MAX_LINE = 1 << 20  # a record is a few hundred bytes; a 1 MiB line is not one of ours
_NS = uuid.UUID("5f0c7a0e-3f5e-4d0b-9d43-7a3c2b1f6e10")  # namespace of record identities
BIG_MERGE, BIG_MERGE_CACHE_KIB = 5_000, 64 * 1024  # records; page cache while merging that many
READER = "_reader"
_TABLES = (
    "reviews",
    "quiz_attempts",
    "demo_runs",
)  # the records a device sends, each with an id and a uuid  # in a folder's read offsets: the format version of the reader that kept them

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
_STATE_DEFAULTS = {"reps": 0, "lapses": 0}  # what format 1 filled in for a missing key (None for the others)
_encode = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode  # state_json's form, made once

_Strict = ConfigDict(strict=True, extra="ignore")
_Id = Annotated[str, Field(min_length=1, max_length=200)]
_Ms = Annotated[int, Field(ge=0)]
_Rating = Literal[1, 2, 3, 4]


class _State(TypedDict, total=False):
    """A card's scheduling state as the review log stores it (see store.state_json)."""

    __pydantic_config__ = _Strict  # type: ignore[misc]
    state: Required[Literal[1, 2, 3]]
    step: int | None
    stability: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None
    difficulty: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None
    due_ms: Required[int]
    last_review_ms: int | None
    reps: Annotated[int, Field(ge=0)]
    lapses: Annotated[int, Field(ge=0)]
    first_review_ms: int | None


class _Review(TypedDict):
    __pydantic_config__ = _Strict  # type: ignore[misc]
    type: Literal["review"]
    uuid: Annotated[str, Field(min_length=1, max_length=64)]
    time_ms: _Ms
    pack_id: _Id
    card_id: _Id
    rating: _Rating
    pack_version: NotRequired[str]
    duration_ms: NotRequired[Annotated[int, Field(ge=0)] | None]
    source: NotRequired[Literal["card", "quiz"]]


class ReviewV1(_Review):
    """Format 1: both states in full."""

    v: Literal[1]
    state_after: _State
    state_before: NotRequired[_State | None]


class ReviewV2(_Review):
    """Format 2: the state after; the state before is named by the review that left it (`prev`), or given in
    full (`before`) when no earlier review of this file left it; neither: the card's first review."""

    v: Literal[2]
    after: _State
    prev: NotRequired[Annotated[tuple[_Ms, _Rating], Field(strict=False)]]  # (time_ms, rating), same card
    before: NotRequired[_State]


class QuizRecord(TypedDict):
    __pydantic_config__ = _Strict  # type: ignore[misc]
    v: Literal[1, 2]
    type: Literal["quiz"]
    uuid: Annotated[str, Field(min_length=1, max_length=64)]
    time_ms: _Ms
    pack_id: _Id
    item_id: _Id
    card_id: NotRequired[str | None]
    answer: NotRequired[object]
    correct: bool
    seed: NotRequired[int | None]


class DemoRecord(TypedDict):
    __pydantic_config__ = _Strict  # type: ignore[misc]
    v: Literal[1, 2]
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
    v: Literal[1, 2]
    type: Literal["setting"]
    uuid: Annotated[str, Field(min_length=1, max_length=64)]
    time_ms: _Ms
    key: _Id
    value: NotRequired[object]


# TypedDicts, not models, and discriminators pydantic evaluates itself: validating a line yields plain dicts,
# which is most of what makes a sync of 100,000 records fast (building and dumping a model per record cost more
# than reading the file).
_RECORD: TypeAdapter = TypeAdapter(
    Annotated[
        Annotated[ReviewV1 | ReviewV2, Field(discriminator="v")] | QuizRecord | DemoRecord | SettingRecord,
        Field(discriminator="type"),
    ]
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
    (`store.state_json`). When the reviews form one chain (each starts from the state the previous one left),
    the last state stands, fuzz and all, as the device that made it computed it. When two devices studied the
    card apart, the chain forks: then every review is replayed in time order with fsrs, without fuzz, so every
    device computes the same.
    """
    from studyml.srs.scheduler import apply_rating, from_ms

    ordered = sorted(reviews, key=lambda r: (r[0], r[1]))  # (time, rating) is a review's identity
    chain = ordered[0][2] is None and all(
        _same_state(cur[2], prev[3]) for prev, cur in zip(ordered, ordered[1:], strict=False)
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


def _read_new_lines(path: Path, offset: int, report: SyncReport) -> list[bytes]:
    """The complete lines after byte `offset`.

    A last line without its newline is a file still being written or copied: it is left for the next sync.
    """
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        report.torn.append(path.name)
    return data[:end].split(b"\n")[:-1] if end else []


def _parse(path: Path, first_line: int, raw: list[bytes], report: SyncReport) -> tuple[list, int]:
    """The valid records of `raw` as (file, line, record), and how many lines were consumed.

    A record from a newer studyml stops the file there, reported: it and the lines after it are read again at
    every sync, and merged once this device runs a studyml that knows their format, so nothing is skipped.
    """
    records = []
    for index, line in enumerate(raw):
        number = first_line + index
        if not line.strip():
            continue
        if len(line) > MAX_LINE:
            report.problems.append(Problem(path.name, number, f"line longer than {MAX_LINE} bytes; skipped"))
            continue
        try:
            records.append((path.name, number, _RECORD.validate_json(line)))
        except ValidationError as e:
            version = _newer_version(line)
            if version is not None:
                report.problems.append(
                    Problem(
                        path.name,
                        number,
                        f"written by a newer studyml (record format {version}, this one reads up to "
                        f"{FORMAT_VERSION}); upgrade studyml to merge it and the {len(raw) - index - 1} line(s) "
                        "after it",
                    )
                )
                return records, index
            err = e.errors()[0]
            loc = err["loc"][2:] if err["loc"][:1] == ("review",) else err["loc"][1:]  # the type (and version)
            where = ".".join(str(p) for p in loc) or "record"
            report.problems.append(Problem(path.name, number, f"{where}: {err['msg']}; skipped"))
    return records, len(raw)


def _newer_version(line: bytes) -> int | None:
    """The format version of a record this version cannot read because it is newer (None: not that)."""
    try:
        v = json.loads(line).get("v")
    except (ValueError, AttributeError):
        return None
    return v if isinstance(v, int) and not isinstance(v, bool) and v > FORMAT_VERSION else None


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
    if seen.get(READER) != FORMAT_VERSION:
        # Kept by an older studyml, which skipped the records it could not read: read every file again (what
        # this device already has is recognised and counted as a duplicate).
        seen = {}

    # 1. Read every other device's new lines (validation only; nothing written yet).
    incoming: list = []
    new_offsets = {**seen, READER: FORMAT_VERSION}
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path.name == own.name or path.is_symlink() or not path.is_file():
            continue
        report.devices += 1
        offset, lines_before = _mark(seen.get(path.name))
        try:
            if path.stat().st_size < offset:  # rewritten (a sync tool restored an older copy): read it all again
                offset, lines_before = 0, 0
            raw = _read_new_lines(path, offset, report)
        except OSError as e:
            report.problems.append(Problem(path.name, 0, f"cannot read: {e.strerror}"))
            continue
        records, used = _parse(path, lines_before + 1, raw, report)
        incoming += records
        new_offset = offset + sum(len(line) + 1 for line in raw[:used])
        new_offsets[path.name] = [new_offset, lines_before + used]

    if not incoming and new_offsets == seen and not _has_news(store, own, key):
        return report  # the common case at every start and exit: nothing to write, not even a transaction
    settings = Settings.load(store)
    cache = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    if len(incoming) > BIG_MERGE:
        # The review log's indexes take random inserts: with SQLite's default 2 MB page cache a big merge spills
        # pages to the WAL file mid-transaction and waits on the disk more than it computes.
        store.conn.execute(f"PRAGMA cache_size = {-BIG_MERGE_CACHE_KIB}")
    try:
        return _merge_and_send(store, key, me, own, offsets, new_offsets, incoming, settings, report)
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
    settings: object,
    report: SyncReport,
) -> SyncReport:
    """Steps 2 to 5 of a sync, in one transaction: merge what was read, send this device's news, update states."""
    with store.transaction() as c:
        # 2. Merge them: a union keyed by identity.
        touched = _merge_reviews(c, [r for r in incoming if r[2]["type"] == "review"], report)
        latest_setting = store.get_mapping("sync_settings")
        sent_settings = store.get_mapping("sync_sent_settings")
        for _name, _number, r in incoming:
            kind = r["type"]
            if kind == "review":
                continue
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
                if _travels(setting) and (r["time_ms"], r["uuid"]) > tuple(latest_setting.get(setting, (0, ""))):
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

        # 3. Send: this device's records not yet in its own file.
        exported = store.get_mapping("sync_exported")
        own_size = own.stat().st_size if own.exists() else 0
        if own_size < int(exported.get("own_size", 0)) or exported.get("folder") != key:
            exported = {}  # our file was lost, rolled back, or this is a new folder: send everything again
        marks = {t: int(exported.get(t, 0)) for t in _TABLES}
        lines, marks["reviews"] = _review_lines(c, marks["reviews"], touched)
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

        # 4. Card states that changed: a pure function of each card's reviews. (put_state keeps a card's
        # suspended, buried and flag columns.)
        new_states = []
        for (pack_id, card_id), known in sorted(touched.items()):
            revs = (
                known
                or c.execute(
                    "SELECT time_ms, rating, state_before, state_after FROM reviews WHERE pack_id = ? AND card_id = ?",
                    (pack_id, card_id),
                ).fetchall()
            )
            new_states.append(card_state(pack_id, card_id, revs, settings))
        store.put_states(new_states)
        report.cards_updated += len(new_states)

        # 5. Append to our own file, durably, before the marks that say it was sent are committed.
        if lines:
            _append(own, lines)
            report.sent = len(lines)
        offsets[key] = new_offsets
        # Every row up to these ids is sent or came from elsewhere: an idle sync looks for news only after them
        # (the rows this device received have ids above its own last one, and scanning them took 60-80 ms).
        checked = {t: c.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t in _TABLES}
        marks_out: dict = {
            **marks,
            "checked": checked,
            "own_size": own.stat().st_size if own.exists() else 0,
            "folder": key,
        }
        for k, v in (
            ("sync_offsets", offsets),
            ("sync_exported", marks_out),
            ("sync_settings", latest_setting),
            ("sync_sent_settings", sent_settings),
        ):
            c.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (k, json.dumps(v)))
    return report


def _merge_reviews(c, incoming: list, report: SyncReport) -> dict[tuple[str, str], list | None]:
    """Insert the reviews new to this device; returns the cards that got any, each with its whole review log
    as (time_ms, rating, state_before, state_after) when this sync brought all of it (None: read it back).

    A format 2 review names the review its state started from (`prev`), an earlier line of the same file: its
    state_before is that review's state_after, looked up among the records just read, then in the log.
    """
    states: list[dict] = []
    for _name, _number, r in incoming:
        states.append(_full(r["state_after"] if r["v"] == 1 else r["after"]))
        given = r.get("state_before") if r["v"] == 1 else r.get("before")
        if given:
            states.append(_full(given))
    texts = iter(_encode_states(states))
    afters: dict[tuple[str, str, int, int], str] = {}  # identity → state_after, of the records read so far
    by_card: dict[tuple[str, str], dict[tuple[int, int], tuple]] = {}
    records: dict[tuple[str, str], int] = {}
    for name, number, r in incoming:
        pack, card, t, rating = r["pack_id"], r["card_id"], r["time_ms"], r["rating"]
        after = next(texts)
        v1 = r["v"] == 1
        before = next(texts) if (r.get("state_before") if v1 else r.get("before")) else None
        if not v1 and "prev" in r:
            before = _prev_state(c, afters, pack, card, *r["prev"])
            if before is None:
                report.problems.append(
                    Problem(name, number, f"prev: no review of this card at {r['prev'][0]} in the file; skipped")
                )
                continue
        afters.setdefault((pack, card, t, rating), after)
        records[(pack, card)] = records.get((pack, card), 0) + 1
        row = (
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
        by_card.setdefault((pack, card), {}).setdefault((t, rating), row)  # the first one wins, as in the log
    touched: dict[tuple[str, str], list | None] = {}
    for card_key, rows in by_card.items():
        before_changes = c.total_changes
        c.executemany(
            "INSERT OR IGNORE INTO reviews (time_ms, pack_id, pack_version, card_id, rating, duration_ms,"
            " state_after, state_before, source, uuid) VALUES (?,?,?,?,?,?,?,?,?,?)",
            list(rows.values()),
        )
        added = c.total_changes - before_changes
        report.received += added
        report.duplicates += records[card_key] - added
        if added:
            touched[card_key] = None
    if touched:
        # A card whose log holds exactly the reviews just read needs no reading back (the common case of a first
        # sync, or of cards this device never studied).
        cards = json.dumps(list(touched))
        for pack, card, n in c.execute(
            "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), (SELECT count(*) FROM reviews"
            " WHERE pack_id = json_extract(value, '$[0]') AND card_id = json_extract(value, '$[1]'))"
            " FROM json_each(?)",
            (cards,),
        ):
            rows = by_card[(pack, card)]
            if n == len(rows):
                touched[(pack, card)] = [(row[0], row[4], row[7], row[6]) for row in rows.values()]
    return touched


def _full(state: dict) -> dict:
    # A validated state lists its keys in STATE_KEYS order (pydantic keeps the schema's order): when all are
    # there it is already in the log's form.
    return state if len(state) == len(STATE_KEYS) else _canonical(state)


def _encode_states(states: list[dict]) -> list[str]:
    """Each state as store.state_json writes it, encoded in one call: one call per state cost more than the
    encoding itself. A validated state holds numbers and nulls only, so `},{` can only separate two states."""
    if not states:
        return []
    texts = _encode(states)[2:-2].split("},{")
    assert len(texts) == len(states), "a state holds numbers and nulls only"
    return ["{" + text + "}" for text in texts]


def _prev_state(c, afters: dict, pack: str, card: str, t: int, rating: int) -> str | None:
    found = afters.get((pack, card, t, rating))
    if found is not None:
        return found
    row = c.execute(
        "SELECT state_after FROM reviews WHERE pack_id = ? AND card_id = ? AND time_ms = ? AND rating = ?",
        (pack, card, t, rating),
    ).fetchone()
    return row[0] if row else None


def _review_lines(c, mark: int, touched: dict[tuple[str, str], list | None]) -> tuple[list[str], int]:
    """This device's reviews after id `mark`, as format 2 lines; and the id of the last.

    A review whose state_before is the state_after of this device's previous review of the card (an earlier line
    of this same file) names that review (`prev`) instead of repeating the state: the file is about half as
    large, and so about twice as fast to read on the other devices.
    """
    lines: list[str] = []
    last: dict[tuple[str, str], tuple[int, int, str]] = {}  # card → (time_ms, rating, state_after) of its last
    for row in c.execute(
        "SELECT id, time_ms, pack_id, pack_version, card_id, rating, duration_ms, state_after, state_before,"
        " source FROM reviews WHERE id > ? AND uuid IS NULL ORDER BY id",
        (mark,),
    ).fetchall():
        rid, t, pack, version, card, rating, dur, after, before, source = row
        record: dict = {
            "v": FORMAT_VERSION,
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


def _has_news(store: Store, own: Path, key: str) -> bool:
    """Whether this device has records or settings its own file does not hold yet (reads only)."""
    exported = store.get_mapping("sync_exported")
    # A device that has sent nothing has no file yet: that is not news (it made every idle sync a transaction).
    own_size = own.stat().st_size if own.exists() else 0
    if exported.get("folder") != key or own_size < int(exported.get("own_size", 0)):
        return True
    c = store.conn
    raw = exported.get("checked")
    checked: dict = raw if isinstance(raw, dict) else {}
    for table in _TABLES:
        after = max(int(exported.get(table, 0)), int(checked.get(table, 0)))
        if c.execute(f"SELECT 1 FROM {table} WHERE id > ? AND uuid IS NULL LIMIT 1", (after,)).fetchone():
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
