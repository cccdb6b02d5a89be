"""The packs a learner has: built-in ones shipped with studyml and those installed in the data dir."""

from __future__ import annotations

from pathlib import Path

from studyml import paths
from studyml.content.checks import KnownDemos
from studyml.content.loader import Pack, PackResult, load_pack


def pack_folders() -> list[tuple[Path, str]]:
    """(folder, source) for every pack: built-in, installed, from Python packages, then folders named in $STUDYML_PACKS.

    Later sources replace earlier ones with the same pack id (see discover_packs).
    """
    from studyml.content.packages import env_folders, package_packs

    out: list[tuple[Path, str]] = []
    for base, source in ((paths.builtin_content_dir(), "built-in"), (paths.packs_dir(), "installed")):
        if base.is_dir():
            out += [(p, source) for p in sorted(base.iterdir()) if p.is_dir() and not p.name.startswith((".", "_"))]
    out += [(ref.folder, "package") for ref in package_packs() if ref.folder is not None]
    out += [(p, "folder") for p in env_folders() if p.is_dir()]
    return out


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
