"""The learner's preferences kept between runs (UI language), in the data dir as JSON."""

from __future__ import annotations

import json
import os
import tempfile
from typing import Literal

from pydantic import BaseModel, ValidationError

from studyml import paths


class Prefs(BaseModel):
    lang: Literal["en", "ko"] = "en"


def _file():
    return paths.data_dir() / "prefs.json"


def load_prefs() -> Prefs:
    try:
        return Prefs.model_validate_json(_file().read_text(encoding="utf-8"))
    except (OSError, ValidationError, ValueError):
        return Prefs()  # missing or hand-broken prefs fall back to defaults; nothing else depends on them


def save_prefs(prefs: Prefs) -> None:
    target = _file()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".prefs-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(prefs.model_dump(), f)
    os.replace(tmp, target)
