"""Tags by their names in the learner's language (pack.yaml `tags:`); a tag no pack names shows its id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from studyml.lang import pick

TagNames = Mapping[str, Mapping[str, str]]


def names_by_pack(packs: Iterable) -> dict[str, TagNames]:
    """Each pack's tag names (pack.yaml `tags:`), by pack id: two packs may give one tag id different names."""
    return {pack.id: pack.manifest.tags for pack in packs}


def counted_tag_label(tag: str, lang: str, by_pack: Mapping[str, TagNames], pack_ids: Iterable[str]) -> str:
    """A tag counted over the items of `pack_ids` (statistics), by the names those packs give it: "loss functions /
    loss" when two name it differently; its id when none does. (The first pack to name a tag named it for all, and
    a pack's own tag read as another pack's.)"""
    names: list[str] = []
    for pack_id in pack_ids:
        name = pick((by_pack.get(pack_id) or {}).get(tag), lang)
        if name and name not in names:
            names.append(name)
    return " / ".join(names) or tag


def tag_label(tag: str, lang: str, names: TagNames) -> str:
    return pick(names.get(tag), lang) or tag


def tags_line(tags: Iterable[str], lang: str, names: TagNames) -> str:
    """Several tags on one line: names may hold spaces, so they are set apart by a dot."""
    return " · ".join(tag_label(t, lang, names) for t in tags)
