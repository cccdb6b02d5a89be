"""Interop: a pack to an Anki .apkg (genanki, stable ids), and all progress to/from JSON."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studyml.srs.store import FOLDER_SETTING, SCHEMA_VERSION, CardState, Store, StoreError, state_json, travels

JSON_FORMAT = "studyml-progress"
JSON_VERSION = 1
LANG_CHOICES = ("en", "ko", "both")


def stable_id(*parts: str) -> int:
    """A 31-bit id from a hash, in the range genanki recommends, the same on every export."""
    h = int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")
    return (1 << 30) + h % (1 << 30)


_MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)


def markdown_html(text: str) -> str:
    """Markdown to HTML for Anki; $…$ and $$…$$ become MathJax \\(…\\) and \\[…\\], which Anki renders."""
    from markdown_it import MarkdownIt  # ships with textual; imported only when exporting

    maths: list[str] = []

    def stash(m: re.Match) -> str:
        display, inline = m.group(1), m.group(2)
        maths.append(rf"\[{html.escape(display)}\]" if display is not None else rf"\({html.escape(inline)}\)")
        return f"MATHPLACEHOLDER{len(maths) - 1}X"

    rendered = MarkdownIt("commonmark", {"html": False}).enable("table").render(_MATH.sub(stash, text))
    return re.sub(r"MATHPLACEHOLDER(\d+)X", lambda m: maths[int(m.group(1))], rendered).strip()


def _pick(text: dict[str, str], lang: str, languages: list[str]) -> str:
    if lang == "both":
        parts = [markdown_html(text[code]) for code in languages if code in text]
        return "<hr>".join(parts)
    for code in (lang, *languages):
        if code in text:
            return markdown_html(text[code])
    return ""


def export_anki(pack: Any, out: Path | str, lang: str = "en", timestamp: float | None = None) -> int:
    """Write `pack` as an .apkg with one note per card; returns the number of notes.

    Note GUIDs come from (pack id, card id), so importing a later export updates the notes instead of adding
    (Anki updates a note when the export's `timestamp`, default now, is newer than its copy).
    """
    import genanki

    from studyml import paths

    refuse_own_file(out, paths.db_path())
    if lang not in LANG_CHOICES:
        raise ValueError(f"--lang must be one of {', '.join(LANG_CHOICES)}")
    m = pack.manifest
    languages = list(m.languages)
    if lang != "both" and lang not in languages:
        raise ValueError(f"pack {m.id} has no {lang!r} text (it has {', '.join(languages)})")
    model = genanki.Model(
        stable_id("studyml-model", m.id),
        f"studyml ({m.id})",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Card"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Back}}',
            }
        ],
        css=".card { font-family: sans-serif; font-size: 18px; text-align: left; }",
    )
    title = m.title
    deck_name = title.get(lang) or next(iter(title.values())) if isinstance(title, dict) else str(title)
    deck = genanki.Deck(stable_id("studyml-deck", m.id), f"studyml::{deck_name}")
    for card in pack.cards:
        front = f"<h3>{_pick(card.title, lang, languages)}</h3>{_pick(card.front, lang, languages)}"
        tags = [re.sub(r"\s+", "_", t) for t in (*card.tags, f"studyml::{m.id}")]
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[front, _pick(card.back, lang, languages), html.escape(f"{m.id}/{card.id}")],
                guid=genanki.guid_for(m.id, card.id),
                tags=tags,
            )
        )
    from studyml.fsutil import atomic_path

    try:
        with atomic_path(Path(out)) as tmp:
            genanki.Package(deck).write_to_file(str(tmp), timestamp=timestamp)
    except OSError as e:
        if e.filename is None:  # zipfile's write on a full disk names no file: "No space left on device" alone
            e.filename = str(out)
        raise
    return len(pack.cards)


def progress_dict(store: Store) -> dict:
    actions = store.all_card_actions()
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "schema": SCHEMA_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "progress": [_with_actions(s.to_dict(), actions) for s in store.states()],
        "reviews": [{k: v for k, v in vars(r).items() if k != "id"} for r in store.reviews()],
        "quiz_attempts": store.quiz_attempts(),
        "demo_runs": store.demo_runs(),
        "settings": store.settings(),
    }


def _with_actions(state: dict, actions: dict) -> dict:
    """A card's state with what the learner did to it (suspended, buried, flagged): an export lost them, and a
    card suspended before came back to study after an import."""
    suspended, buried, flag = actions.get((state["pack_id"], state["card_id"]), (False, None, 0))
    return {**state, "suspended": suspended, "buried_until_ms": buried, "flag": flag}


def refuse_own_file(out: Path | str, db: Path, sync_folder: object = None) -> None:
    """An export never replaces the progress database, its journal files, a backup or an installed pack's file.

    `export json progress.sqlite3` wrote its JSON over the database, said "Wrote 400 reviews" and exited 0: the
    review history was gone but for a backup, and a new data dir has none. Raises ValueError (a usage error)."""
    from studyml import paths
    from studyml.srs.backup import backups_dir

    target = Path(out).expanduser().resolve()  # through symlinks: a link to the database is the database
    files = {"the progress database": db, **{f"the progress database's {s} file": Path(f"{db}{s}") for s in _SIDECARS}}
    for what, path in files.items():
        same = target == path.resolve() or (target.exists() and path.exists() and os.path.samefile(target, path))
        if same:
            raise ValueError(f"{out} is {what}: an export there would replace it. Write the export to another file")
    # The backups (beside a database kept anywhere), everything else of studyml's (installed packs, a plugin's
    # source: a plugin author's `plugins/mydemo.py` was written over), and the sync folder, where a file is read as
    # a device's records.
    folders = [("backups", backups_dir(db)), ("studyml's data", paths.data_dir())]
    if isinstance(sync_folder, str) and sync_folder:
        folders.append(("the sync folder", Path(sync_folder).expanduser()))
    for what, folder in folders:
        if target.is_relative_to(folder.resolve()):
            raise ValueError(f"{out} is in the folder of {what} ({folder}): write the export outside it")


_SIDECARS = ("-wal", "-shm", "-journal")


def export_json(store: Store, out: Path | str) -> dict[str, int]:
    """Write all progress to a strict JSON file (atomically); returns how many records of each kind.

    NaN and infinities have no JSON spelling: they are written as null and counted under "nonfinite" (only
    present when there were some).
    """
    from studyml.fsutil import atomic_write_text
    from studyml.srs.records import finite_or_none

    refuse_own_file(out, store.path, store.get_setting(FOLDER_SETTING))
    data, nonfinite = finite_or_none(progress_dict(store))
    atomic_write_text(Path(out), json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False))
    counts = {k: len(data[k]) for k in ("progress", "reviews", "quiz_attempts", "demo_runs")}
    return {**counts, "nonfinite": nonfinite} if nonfinite else counts


class InvalidProgressFile(StoreError):
    """A progress file that failed validation: nothing was imported (the command line's CHECK_FAILED)."""


def read_progress_file(file: Path | str) -> dict:
    """Read and validate a progress JSON file; raises StoreError listing every bad record by where it is."""
    from pydantic import ValidationError

    from studyml.srs.records import ProgressFile, problems, settings_problems

    file = Path(file)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"no such file: {file}") from None  # not the file's fault: a run error
    except OSError as e:  # unreadable here (permissions, a folder, an I/O error): not the file's contents either
        raise StoreError(f"cannot read {file}: {e.strerror or e}; nothing was imported") from None
    except RecursionError:
        raise InvalidProgressFile(
            f"{file} is not a studyml progress file (nested too deeply to be one); nothing was imported"
        ) from None
    except ValueError as e:  # ValueError: bad JSON or UTF-8, or a number of thousands of digits
        raise InvalidProgressFile(f"{file} is not a studyml progress file ({e})") from None
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise InvalidProgressFile(f'{file} is not a studyml progress file (no "format": "{JSON_FORMAT}")')
    version = data.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidProgressFile(f"{file}: version: must be a whole number; nothing was imported")
    if version > JSON_VERSION:
        raise InvalidProgressFile(f"{file} was written by a newer studyml (format version {version}); upgrade first")
    try:
        parsed = ProgressFile.model_validate(data)
        bad: list[str] = []
    except ValidationError as e:
        parsed, bad = None, problems(e)
    except RecursionError:
        raise InvalidProgressFile(f"{file}: a record is nested too deeply; nothing was imported") from None
    if isinstance(data.get("settings"), dict):
        bad += settings_problems(data["settings"])
    if bad or parsed is None:
        raise InvalidProgressFile(
            f"{file} has {len(bad)} invalid record{'s' if len(bad) != 1 else ''}; nothing was "
            f"imported. Fix or remove them:\n  " + "\n  ".join(bad)
        )
    return parsed.model_dump()


def import_json(store: Store, file: Path | str) -> dict[str, int]:
    """Merge a progress JSON file into the store, all or nothing; reviews already present are not duplicated."""
    data = read_progress_file(file)
    try:
        return merge(store, data)
    except (KeyError, TypeError, ValueError, sqlite3.IntegrityError, RecursionError) as e:
        raise InvalidProgressFile(
            f"{file} has a malformed record ({type(e).__name__}: {e}); nothing was imported"
        ) from None


def merge(store: Store, data: dict) -> dict[str, int]:
    """Merge exported progress: reviews by (pack, card, time, rating); a card's state by its latest review."""
    added = {"reviews": 0, "quiz_attempts": 0, "demo_runs": 0, "cards": 0, "settings": 0, "card_actions": 0}
    with store.transaction() as c:
        # A review undone here (or on a device this one syncs with) stays undone: a file exported before the undo
        # does not bring it back, nor the state it left.
        undone = set(c.execute("SELECT pack_id, card_id, time_ms, rating FROM undone_reviews"))
        undone_times = {(p, card, t) for p, card, t, _ in undone}
        touched: set[tuple[str, str]] = set()  # cards that got reviews
        for r in data.get("reviews", []):
            if (r["pack_id"], r["card_id"], int(r["time_ms"]), int(r["rating"])) in undone:
                continue
            cur = c.execute(
                "INSERT OR IGNORE INTO reviews (time_ms, pack_id, pack_version, card_id, rating, duration_ms,"
                " state_after, state_before) VALUES (?,?,?,?,?,?,?,?)",
                (
                    int(r["time_ms"]),
                    r["pack_id"],
                    r.get("pack_version", ""),
                    r["card_id"],
                    int(r["rating"]),
                    r.get("duration_ms"),
                    state_json(_given(r["state_after"])),
                    state_json(_given(r.get("state_before"))),
                ),
            )
            added["reviews"] += cur.rowcount
            if cur.rowcount:
                touched.add((r["pack_id"], r["card_id"]))
        for p in data.get("progress", []):
            s = CardState.from_dict(p)
            if (s.pack_id, s.card_id, s.last_review_ms) in undone_times:
                continue  # the state an undone review left
            mine = store.get(s.pack_id, s.card_id)
            if mine is None or (s.last_review_ms or 0) > (mine.last_review_ms or 0):
                if mine is not None and mine.first_review_ms is not None:
                    s.first_review_ms = min(mine.first_review_ms, s.first_review_ms or mine.first_review_ms)
                store.put_state(s)
                added["cards"] += 1
        added["cards"] += _states_from_reviews(store, c, touched)
        # What the learner did to a card, taken over where this device did nothing to it (as for settings).
        acted = store.all_card_actions()
        for p in data.get("progress", []):
            key = (p["pack_id"], p["card_id"])
            if key in acted or not (p.get("suspended") or p.get("buried_until_ms") is not None or p.get("flag")):
                continue
            store.write_card_action(
                *key,
                suspended=int(bool(p.get("suspended"))),
                buried_until_ms=p.get("buried_until_ms"),
                flag=p.get("flag") or 0,
            )
            added["card_actions"] += 1
        for q in data.get("quiz_attempts", []):
            cur = c.execute(
                "INSERT OR IGNORE INTO quiz_attempts (time_ms, pack_id, item_id, card_id, answer, correct)"
                " VALUES (?,?,?,?,?,?)",
                (
                    int(q["time_ms"]),
                    q["pack_id"],
                    q["item_id"],
                    q.get("card_id"),
                    json.dumps(q.get("answer"), ensure_ascii=False),
                    int(bool(q["correct"])),
                ),
            )
            added["quiz_attempts"] += cur.rowcount
        for d in data.get("demo_runs", []):
            cur = c.execute(
                "INSERT OR IGNORE INTO demo_runs (time_ms, plugin_id, params, claims, duration_ms, ok)"
                " VALUES (?,?,?,?,?,?)",
                (
                    int(d["time_ms"]),
                    d["plugin_id"],
                    json.dumps(d.get("params", {}), sort_keys=True),
                    json.dumps(d.get("claims"), sort_keys=True),
                    d.get("duration_ms"),
                    int(bool(d["ok"])),
                ),
            )
            added["demo_runs"] += cur.rowcount
        # This machine's settings win; only missing ones are taken over, and never another device's own.
        for key, value in data.get("settings", {}).items():
            if not travels(key):
                continue
            cur = c.execute("INSERT OR IGNORE INTO settings VALUES (?, ?)", (key, json.dumps(value)))
            added["settings"] += cur.rowcount
    return added


def _states_from_reviews(store: Store, c, cards: set[tuple[str, str]]) -> int:
    """A state for each card whose reviews are newer than its state (or that has none): a file of reviews alone (no
    `progress`) imported hundreds of thousands of reviews and no card studied. Computed as sync does, from the log."""
    from studyml.srs.scheduler import Settings
    from studyml.srs.sync import card_state

    settings, made = Settings.load(store), 0
    for pack, card in sorted(cards):
        rows = c.execute(
            "SELECT time_ms, rating, state_before, state_after FROM reviews WHERE pack_id = ? AND card_id = ?",
            (pack, card),
        ).fetchall()
        mine = store.get(pack, card)
        if rows and (mine is None or (mine.last_review_ms or 0) < max(r[0] for r in rows)):
            store.put_state(card_state(pack, card, rows, settings))
            made += 1
    return made


def _given(state: dict | None) -> dict | None:
    """A validated state log without the fields the file did not have (model_dump fills them with None)."""
    return None if state is None else {k: v for k, v in state.items() if v is not None}
