"""The packs a learner has: built-in ones shipped with studyml and those installed in the data dir."""

from __future__ import annotations

from studyml.content.checks import KnownDemos
from studyml.content.folders import pack_folders
from studyml.content.loader import Pack, PackResult, load_pack


def discover_packs(known_demos: KnownDemos = None) -> list[PackResult]:
    """Load every pack; broken ones come back with their diagnostics and no `pack`.

    An installed pack with the same id as a built-in one replaces it (a newer version of it).
    """
    results: dict[str, PackResult] = {}
    for folder, source in pack_folders():
        result = load_pack(folder, known_demos=known_demos, source=source)
        key = result.manifest.id if result.manifest else f"{source}:{folder.name}"
        results[key] = result
    return list(results.values())


def find_pack(pack_id: str) -> Pack | None:
    for result in discover_packs():
        if result.pack is not None and result.pack.id == pack_id:
            return result.pack
    return None
