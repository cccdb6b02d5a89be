"""How a card's sources read on screen: references as written, study notes by their title, not their file name."""

from __future__ import annotations

import re

# A note file named like "000_0ce6076d91a55b0a.txt": a number, then a hash that means nothing to a learner.
_NUMBERED = re.compile(r"^(\d+)[_-][0-9a-fA-F]{6,}$")
_WORD = {"en": "study note", "ko": "학습 노트"}


def _pick(text: dict[str, str], lang: str) -> str:
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


def note_title(note: str, notes: dict[str, dict[str, str]] | None, lang: str) -> str:
    """The title the pack gives the note (`notes:` in pack.yaml), else a readable name derived from the file."""
    title = (notes or {}).get(note)
    if title:
        return _pick(title, lang)
    stem = note.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    word = _WORD.get(lang, _WORD["en"])
    m = _NUMBERED.match(stem)
    if m:
        return f"{word} {m.group(1)}"
    return f"{word}: {stem.replace('_', ' ')}"


def source_line(source, notes: dict[str, dict[str, str]] | None, lang: str) -> str:
    """One source on one line: the reference, or the note's title, then the URL."""
    parts = [source.ref] if source.ref else []
    if source.note:
        parts.append(note_title(source.note, notes, lang))
    if source.url:
        parts.append(source.url)
    return " · ".join(parts)
