"""Per-language text from packs and plugins ({"en": ..., "ko": ...}): the learner's language, else English."""

from __future__ import annotations

from collections.abc import Mapping


def pick(text: Mapping[str, str] | str | None, lang: str) -> str:
    """`text` in `lang`, else English, else any language it has; plain text is the same in every language."""
    if not text:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")
