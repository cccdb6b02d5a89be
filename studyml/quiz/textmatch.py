"""Normalise short text answers so that case, spacing, punctuation and Unicode form do not matter."""

from __future__ import annotations

import re
import unicodedata


def _step(text: str) -> str:
    # NFKC around casefold: casefolding can produce text that is no longer NFKC (the Unicode
    # "NFKC_Casefold" recipe). Whitespace is removed, not collapsed, because Korean spacing
    # (띄어쓰기) varies between writers: "기울기 소실" and "기울기소실" are the same answer.
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    kept = (ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] not in "PC")
    return unicodedata.normalize("NFKC", "".join(kept))


def normalise(text: str) -> str:
    """Text folded for comparison: NFKC, casefolded, without punctuation, whitespace or controls."""
    # Removing a character can let its neighbours compose anew, so repeat until nothing changes.
    for _ in range(8):
        folded = _step(text)
        if folded == text:
            break
        text = folded
    return text


_GLOSS = re.compile(r"\s*[(（][^()（）]*[)）]")
_ARTICLE = re.compile(r"^\s*(?:the|an?)\s+(?=\S)", re.I)


def _readings(text: str) -> set[str]:
    """`text` folded, and without its gloss in parentheses or its leading English article."""
    forms = {text, _GLOSS.sub("", text)}
    forms |= {_ARTICLE.sub("", f) for f in forms}
    return {normalise(f) for f in forms}


def matches(given: str, accepted: list[str]) -> bool:
    """Whether `given` equals any accepted answer after normalisation; an empty answer never does.

    An answer with a gloss in parentheses ("에너지 기반 모델(EBM)", "gradient clipping (norm)") is also read
    without it, as learners write a term with its abbreviation or its other-language name; what stands outside
    the parentheses must still be an accepted answer. A leading "the", "a" or "an" is read without it, on either
    side ("the KL divergence" for "KL divergence" was wrong, and packs listed "the law of large numbers" by hand).
    An English plural by a final s is read as its singular and the other way round ("EBMs" for "EBM" was wrong)."""
    folded = {normalise(form) for a in accepted for form in (a, _ARTICLE.sub("", a))}
    return any(key and key in folded for key in _number_forms(_readings(given)))


def _number_forms(readings: set[str]) -> set[str]:
    """Each reading and its English singular or plural by a final s: "EBMs" for "EBM", "residual" for "residuals".
    Only after a Latin letter, and never to nothing: "s" alone is not read as an empty answer."""
    forms = set(readings)
    for r in readings:
        if len(r) > 2 and r.endswith("s") and r[-2].isascii() and r[-2].isalpha():
            forms.add(r[:-1])
        if len(r) > 1 and r[-1].isascii() and r[-1].isalpha():
            forms.add(r + "s")
    return forms
