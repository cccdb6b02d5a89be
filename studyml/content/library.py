"""The packs a learner has: built-in ones shipped with studyml and those installed in the data dir."""

from __future__ import annotations

from pathlib import Path

from studyml.content.checks import KnownDemos
from studyml.content.diagnostics import Diagnostic
from studyml.content.folders import pack_folders
from studyml.content.loader import Pack, PackResult, load_pack


def discover_packs(known_demos: KnownDemos = None) -> list[PackResult]:
    """Load every pack; broken ones come back with their diagnostics and no `pack`.

    An installed pack with the same id as a built-in one replaces it (a newer version of it). A Python package whose
    `studyml.packs` entry point names no pack folder comes back broken too, so it does not vanish without a word.
    """
    results: dict[str, PackResult] = {}
    broken: list = []
    for folder, source in pack_folders(broken=broken):
        result = load_pack(folder, known_demos=known_demos, source=source)
        key = result.manifest.id if result.manifest else f"{source}:{folder.name}"
        results[key] = result
    for ref in broken:
        results[f"entry point:{ref.distribution}:{ref.name}"] = broken_package(ref)
    return list(results.values())


def broken_package(ref) -> PackResult:
    """A `packages.PackageRef` with a problem as a broken pack: where the entry point is declared, and what to do."""
    where = ref.declared or Path(ref.distribution)
    message = (
        f"{ref.distribution}: {ref.problem}; check the folder after ':' in the entry point and that the package data "
        "includes the pack's files"
    )
    diagnostic = Diagnostic(str(where), ref.line, 1, f"studyml.packs.{ref.name}", message)
    return PackResult(where.parent if ref.declared else where, None, None, [diagnostic], "package", label=ref.name)


def find_pack(pack_id: str) -> Pack | None:
    for result in discover_packs():
        if result.pack is not None and result.pack.id == pack_id:
            return result.pack
    return None
