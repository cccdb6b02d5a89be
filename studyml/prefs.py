"""The learner's preferences kept between runs (UI language), in the data dir as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Literal

from studyml import paths

# A dataclass, not a pydantic model: this is read before the app's first frame, and pydantic costs ~30 ms to import.
LANGS = ("en", "ko")


@dataclass
class Prefs:
    lang: Literal["en", "ko"] = "en"


def _file():
    return paths.data_dir() / "prefs.json"


def load_prefs() -> Prefs:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Prefs()  # missing or hand-broken prefs fall back to defaults; nothing else depends on them
    lang = data.get("lang", "en") if isinstance(data, dict) else None
    return Prefs(lang=lang) if lang in LANGS else Prefs()


def save_prefs(prefs: Prefs) -> bool:
    """Save atomically; False when the data dir is read-only or full (the choice then lasts for this run only)."""
    from studyml.fsutil import atomic_write_text

    try:
        atomic_write_text(_file(), json.dumps(asdict(prefs)), prefix=".prefs-")
    except OSError:
        return False
    return True
