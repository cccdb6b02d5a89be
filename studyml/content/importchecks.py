"""The options of `pack import`, checked by the rules of pack.yaml before anything is read or written."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from studyml.content.models import ID_RULE, MAX_ID, LangCode, Slug, slugify


class ImportError_(Exception):
    """The source cannot be imported; the message says where and why."""


class ImportUsageError(ImportError_):
    """An option's value is wrong, or missing for this source (nothing is written); the message says what to give."""


def slug(text: str, fallback: str) -> str:
    """`text` as an id (lowercase letters, digits and '-', starting with a letter), or `fallback` when none is left."""
    s = re.sub(r"^[^a-z]+", "", slugify(text))[:60].strip("-")
    return s or fallback


_SLUG, _LANG = TypeAdapter(Slug), TypeAdapter(LangCode)  # the rules `pack validate` applies to pack.yaml
LANG_RULE = "2–3 lowercase letters, optionally '-' and 2–8 letters or digits: en, ko, pt-BR"


def _valid(adapter: TypeAdapter, value: str) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def _lang_fix(code: str) -> str:
    """`KO` -> `ko`, `PT-BR` -> `pt-BR`: the likely meaning of a code written in the wrong case."""
    base, dash, region = code.partition("-")
    return base.lower() + dash + region.upper()


def check_options(lang: str, languages: list[str] | None, pack_id: str | None) -> None:
    """The values given on the command line, by the rules of pack.yaml: a pack made from them must validate."""
    if pack_id is not None and not _valid(_SLUG, pack_id):
        hint = slug(pack_id, "")
        raise ImportUsageError(
            f"--id {pack_id!r} is not a valid pack id: {ID_RULE}, at most {MAX_ID} characters"
            + (f" (e.g. --id {hint})" if _valid(_SLUG, hint) else "")
        )
    if not _valid(_LANG, lang):
        hint = _lang_fix(lang)
        raise ImportUsageError(
            f"--source-lang {lang!r} is not a language code ({LANG_RULE})"
            + (f"; e.g. --source-lang {hint}" if _valid(_LANG, hint) else "")
        )
    if languages is None:
        return
    if not languages:
        raise ImportUsageError(f"--languages names no language; list the pack's languages, e.g. --languages {lang}")
    fixed = ",".join(code for code in dict.fromkeys(map(_lang_fix, languages)) if _valid(_LANG, code))
    example = f"; e.g. --languages {fixed}" if fixed else ""
    for code in languages:
        if not _valid(_LANG, code):
            raise ImportUsageError(f"--languages: {code!r} is not a language code ({LANG_RULE}){example}")
        if languages.count(code) > 1:
            raise ImportUsageError(f"--languages lists {code!r} twice; list each language once{example}")


def check_languages(source: Path, manifest: Path | None, lang: str, languages: list[str], found: list[str]) -> None:
    """The source's language must be one of the pack's, and no text of the source may be left out."""
    if lang not in languages:
        if manifest is None:
            raise ImportUsageError(
                f"the source's language {lang!r} (--source-lang) is not among --languages {','.join(languages)}: "
                f"add it (--languages {','.join([lang, *languages])}), or give the language the source is written "
                "in with --source-lang"
            )
        raise ImportUsageError(
            f"the source's language {lang!r} (--source-lang) is not among the languages of {manifest} "
            f"({', '.join(languages)}): give the language the source is written in with --source-lang, or add "
            f"{lang!r} to `languages:` there"
        )
    left_out = [code for code in found if code not in languages]
    if left_out:  # never drop the author's text without a word
        where = f"`languages:` in {manifest}" if manifest else "--languages"
        error = ImportError_ if manifest else ImportUsageError  # a pack's own languages, or an option's value
        raise error(
            f"{source}: the source has text in {', '.join(map(repr, left_out))} (columns such as "
            f"front_{left_out[0]}), which the pack's languages {', '.join(languages)} leave out; "
            f"add {left_out[0]!r} to {where}"
        )
