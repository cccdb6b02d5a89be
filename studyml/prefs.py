"""The learner's preferences kept between runs (UI language, key bindings), in the data dir as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

from studyml import paths

# A dataclass, not a pydantic model: this is read before the app's first frame, and pydantic costs ~30 ms to import.
LANGS = ("en", "ko")


@dataclass
class Prefs:
    lang: Literal["en", "ko"] = "en"
    # binding id -> keys, e.g. {"study.flip": "f5", "library.search": "slash,ctrl+f"}: the TUI's `App.set_keymap`.
    # Only the entries that are text; the others are in `keymap_problems`.
    keymap: dict[str, str] = field(default_factory=dict)
    keymap_problems: list[tuple[str, object]] = field(default_factory=list)  # (id, value) entries not text
    # The file as read: saving writes back what this version does not use (a keymap entry it ignored, a key
    # it does not know) as the learner wrote it. Losing a hand-written keymap to one typo was losing their work.
    file: dict = field(default_factory=dict)
    # Why prefs.json could not be read (not JSON, not an object): the file is then never written over, so a learner's
    # keymap with a trailing comma is not replaced by {"lang": …} at the next language switch.
    unreadable: str | None = None


def _file():
    return paths.data_dir() / "prefs.json"


def load_prefs() -> Prefs:
    try:
        text = _file().read_text(encoding="utf-8")
    except FileNotFoundError:
        return Prefs()
    except (OSError, ValueError) as e:  # ValueError: not UTF-8
        return Prefs(unreadable=str(e))
    try:
        data = json.loads(text)
    except ValueError as e:  # hand-broken prefs fall back to defaults for this run, and are left as they are
        return Prefs(unreadable=f"not JSON: {e}")
    if not isinstance(data, dict):
        return Prefs(unreadable="not a JSON object")
    lang = data.get("lang", "en")
    raw = data.get("keymap", {})
    keymap: dict[str, str] = {}
    problems: list[tuple[str, object]] = []
    if isinstance(raw, dict):
        for binding_id, keys in raw.items():
            if isinstance(keys, str):
                keymap[binding_id] = keys
            else:  # one wrong entry costs that entry, not the learner's whole keymap
                problems.append((binding_id, keys))
    else:
        problems.append(("", raw))
    return Prefs(lang=lang if lang in LANGS else "en", keymap=keymap, keymap_problems=problems, file=data)


def save_prefs(prefs: Prefs) -> bool:
    """Save atomically; False when the data dir is read-only or full (the choice then lasts for this run only).

    The keymap and any other key of the file are written back as they were read (the app never edits them)."""
    from studyml.fsutil import atomic_write_text

    if prefs.unreadable:  # what the learner wrote stays until they mend it (the choice lasts for this run)
        return False
    try:
        data = {**prefs.file, "lang": prefs.lang}
        if "keymap" not in prefs.file and prefs.keymap:
            data["keymap"] = prefs.keymap
        atomic_write_text(_file(), json.dumps(data), prefix=".prefs-")
    except OSError:
        return False
    return True
