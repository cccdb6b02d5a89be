"""Tags by their names in the learner's language (pack.yaml `tags:`); a tag no pack names shows its id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from studyml.lang import pick

TagNames = Mapping[str, Mapping[str, str]]


def names_of(packs: Iterable) -> dict[str, dict[str, str]]:
    """Every tag's names by tag id, across packs; the first pack that names a tag gives its name."""
    out: dict[str, dict[str, str]] = {}
    for pack in packs:
        for tag, names in pack.manifest.tags.items():
            out.setdefault(tag, dict(names))
    return out


def tag_label(tag: str, lang: str, names: TagNames) -> str:
    return pick(names.get(tag), lang) or tag


def tags_line(tags: Iterable[str], lang: str, names: TagNames) -> str:
    """Several tags on one line: names may hold spaces, so they are set apart by a dot."""
    return " · ".join(tag_label(t, lang, names) for t in tags)
