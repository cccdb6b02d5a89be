"""Diagnostics: one problem in a pack, with the file, line, column and dotted path it concerns."""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from typing import Literal

from studyml.lang import shown_name


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    col: int
    path: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        path = f" {self.path}:" if self.path else ""
        # A file name from a stranger's pack may hold an ESC (it set the terminal's title) or bytes that are not UTF-8.
        return f"{shown_name(str(self.file))}:{self.line}:{self.col}:{path} {prefix}{self.message}"

    def to_json(self) -> dict:
        return asdict(self)


def format_path(parts: tuple[str | int, ...]) -> str:
    """('cards', 3, 'front', 'ko') -> 'cards[3].front.ko'."""
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + p
    return out


def did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
