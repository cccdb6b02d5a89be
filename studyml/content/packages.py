"""Packs shipped as Python packages: the `studyml.packs` entry point group, found without running their code.

A distribution declares `[project.entry-points."studyml.packs"] my-pack = "my_package:pack"`: the folder `pack`
inside the package `my_package` holds pack.yaml. The folder is located from the package's files on disk (the
top-level package is found with `find_spec`, which reads no code of it; a dotted name is followed as folders), so
listing packs never imports, and so never runs, anything a stranger wrote. An editable install (`pip install -e`)
is found the same way: `find_spec` goes through the path entry or the import hook setuptools installed, and the
folder is the package's source folder, so the pack's edits are seen without reinstalling.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

GROUP = "studyml.packs"
ENV_FOLDERS = "STUDYML_PACKS"  # extra pack folders (os.pathsep-separated), listed with source "folder"


@dataclass(frozen=True)
class PackageRef:
    name: str  # the entry point's name
    distribution: str
    folder: Path | None
    problem: str | None = None
    declared: Path | None = None  # the entry_points.txt that declares it, when the distribution is a folder on disk
    line: int = 1  # its line there


def package_packs() -> list[PackageRef]:
    from importlib.metadata import entry_points

    out = []
    for ep in entry_points(group=GROUP):
        dist = ep.dist.name if ep.dist is not None else "?"
        folder, problem = _locate(ep.value)
        declared, line = _declared(ep) if problem else (None, 1)
        out.append(PackageRef(ep.name, dist, folder, problem, declared, line))
    return sorted(out, key=lambda r: (r.distribution, r.name))


def _declared(ep) -> tuple[Path | None, int]:
    """The entry_points.txt that declares `ep`, and the line, so a problem can say where to fix it."""
    base = getattr(ep.dist, "_path", None)  # a PathDistribution's .dist-info folder (importlib has no public name)
    if base is None:
        return None, 1
    path = Path(base) / "entry_points.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None, 1
    for number, text in enumerate(lines, 1):
        if text.split("=", 1)[0].strip() == ep.name:
            return path, number
    return path, 1


def _locate(value: str) -> tuple[Path | None, str | None]:
    from importlib.util import find_spec

    module, _, attr = value.partition(":")
    parts = [p for p in module.strip().split(".") if p]
    if not parts or any(not p.isidentifier() for p in parts):
        return None, f"entry point value {value!r} is not 'package:folder'"
    try:
        spec = find_spec(parts[0])  # a top-level name: located, not executed
    except (ImportError, ValueError) as e:
        return None, f"package {parts[0]!r} cannot be located: {e}"
    if spec is None or not spec.submodule_search_locations:
        return None, f"package {parts[0]!r} is not installed as a folder"
    base = Path(list(spec.submodule_search_locations)[0]).joinpath(*parts[1:])
    folder = base.joinpath(*[p for p in attr.strip().split("/") if p]) if attr.strip() else base
    try:
        resolved = folder.resolve()
        if not resolved.is_relative_to(base.resolve()):
            return None, f"{value!r} points outside its package"
    except OSError as e:
        return None, f"{folder}: {e.strerror}"
    manifest = folder / "pack.yaml"
    if manifest.is_symlink():
        # An editable install in setuptools' strict mode (`pip install -e . --config-settings editable_mode=strict`)
        # is a tree of links into the package's source, which the pack loader refuses (it follows no links in a
        # pack). The pack is the source folder they point into: read as any folder, and its new files seen at once.
        folder = Path(os.path.realpath(manifest)).parent
    if not (folder / "pack.yaml").is_file():
        return None, f"{folder} holds no pack.yaml"
    return folder, None


def env_folders() -> list[Path]:
    raw = os.environ.get(ENV_FOLDERS, "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]
