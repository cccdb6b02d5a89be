"""Where packs live: the folder and source of every pack, found without reading (or validating) any of them."""

from __future__ import annotations

from pathlib import Path

from studyml import paths


def pack_folders() -> list[tuple[Path, str]]:
    """(folder, source) for every pack: built-in, installed, from Python packages, then folders named in $STUDYML_PACKS.

    Later sources replace earlier ones with the same pack id (see library.discover_packs).
    """
    from studyml.content.packages import env_folders, package_packs

    out: list[tuple[Path, str]] = []
    for base, source in ((paths.builtin_content_dir(), "built-in"), (paths.packs_dir(), "installed")):
        if base.is_dir():
            out += [(p, source) for p in sorted(base.iterdir()) if p.is_dir() and not p.name.startswith((".", "_"))]
    out += [(ref.folder, "package") for ref in package_packs() if ref.folder is not None]
    out += [(p, "folder") for p in env_folders() if p.is_dir()]
    return out
