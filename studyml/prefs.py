"""The learner's preferences kept between runs (UI language), in the data dir as JSON."""

from __future__ import annotations

import json
import os
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


def save_prefs(prefs: Prefs) -> None:
    import tempfile

    target = _file()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".prefs-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(asdict(prefs), f)
    os.replace(tmp, target)
