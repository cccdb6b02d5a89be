"""The learner's preferences kept between runs (UI language, key bindings), in the data dir as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Literal

from studyml import paths

# A dataclass, not a pydantic model: this is read before the app's first frame, and pydantic costs ~30 ms to import.
LANGS = ("en", "ko")


@dataclass
class Prefs:
    lang: Literal["en", "ko"] = "en"
    # binding id -> keys, e.g. {"study.flip": "f5", "library.search": "slash,ctrl+f"}: the TUI's `App.set_keymap`
    keymap: dict[str, str] = field(default_factory=dict)


def _file():
    return paths.data_dir() / "prefs.json"


def load_prefs() -> Prefs:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Prefs()  # missing or hand-broken prefs fall back to defaults; nothing else depends on them
    if not isinstance(data, dict):
        return Prefs()
    lang = data.get("lang", "en")
    keymap = data.get("keymap", {})
    # A hand-edited keymap that is not a table of strings is ignored whole rather than half-applied.
    if not (isinstance(keymap, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in keymap.items())):
        keymap = {}
    return Prefs(lang=lang if lang in LANGS else "en", keymap=keymap)


def save_prefs(prefs: Prefs) -> bool:
    """Save atomically; False when the data dir is read-only or full (the choice then lasts for this run only)."""
    from studyml.fsutil import atomic_write_text

    try:
        data = asdict(prefs)
        if not data["keymap"]:  # a learner who never set keys keeps the file as it was: {"lang": …}
            del data["keymap"]
        atomic_write_text(_file(), json.dumps(data), prefix=".prefs-")
    except OSError:
        return False
    return True
