"""Where packs live: the folder and source of every pack, found without reading (or validating) any of them."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from studyml import paths
from studyml.fsutil import atomic_write_text


def pack_folders(*, quick: bool = False, broken: list | None = None) -> list[tuple[Path, str]]:
    """(folder, source) for every pack: built-in, installed, from Python packages, then folders named in $STUDYML_PACKS.

    Later sources replace earlier ones with the same pack id (see library.discover_packs). `quick` takes the
    package packs from the last scan while no folder on sys.path changed (see `package_folders`). `broken`, when
    given, receives the package entry points that name no pack folder (`packages.PackageRef`s with a problem).
    """
    from studyml.content.packages import env_folders

    out: list[tuple[Path, str]] = []
    for base, source in ((paths.builtin_content_dir(), "built-in"), (paths.packs_dir(), "installed")):
        if not base.is_dir():
            continue
        entries = sorted(base.iterdir())
        if source == "installed" and any(p.name.startswith(STAGING_PREFIX) for p in entries):
            if put_back_interrupted(base):  # an update killed mid-swap: its pack is back, listed again
                entries = sorted(base.iterdir())
        out += [(p, source) for p in entries if p.is_dir() and not p.name.startswith((".", "_"))]
    out += [(p, "package") for p in package_folders(quick=quick, broken=broken)]
    out += [(p, "folder") for p in env_folders() if p.is_dir()]
    return out


def package_folders(*, quick: bool = False, broken: list | None = None) -> list[Path]:
    """The pack folders of installed Python packages (the `studyml.packs` entry points).

    Reading entry points means importing importlib.metadata and opening every installed distribution's
    metadata: too slow for the first frame. So each scan is remembered with the mtimes of the sys.path folders
    (installing or removing a distribution adds or removes entries there, which changes its folder's mtime), and
    `quick` reuses it while they are unchanged. Only for the library's first frame: a wrong answer there only
    makes the cached summary look stale, and the real load scans anyway.
    """
    key = _sys_path_key()
    cache = paths.data_dir() / "cache" / "package-packs.json"
    if quick and broken is None:
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data["key"] == key and all(isinstance(f, str) for f in data["folders"]):
                return [Path(f) for f in data["folders"]]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no scan remembered, or not one we can use: scan now
    from studyml.content.packages import package_packs

    refs = package_packs()
    folders = [ref.folder for ref in refs if ref.folder is not None]
    if broken is not None:
        broken += [ref for ref in refs if ref.problem]
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"key": key, "folders": [str(f) for f in folders]})
        atomic_write_text(cache, text, prefix=".package-packs-", durable=False)
    except OSError:
        pass  # a cache: a read-only data dir only costs speed
    return folders


def _sys_path_key() -> list:
    key = []
    for entry in sys.path:
        try:
            key.append([entry, os.stat(entry or ".").st_mtime_ns])
        except OSError:
            key.append([entry, None])
    return key


STAGING_PREFIX = ".staging-"  # an install's scratch folder in the packs folder (content.install)
TARGET_FILE = "target"  # in a scratch folder: the installed folder's name its `old` came from
INTERRUPTED_AFTER_S = 60.0  # an install's swap takes microseconds: a scratch folder this old lost its process


def scratch_target(scratch: Path) -> str | None:
    """The installed folder's name an install's scratch folder holds the old copy of; None when it names none that
    can be one (unreadable, empty, a path): such a folder is neither put back nor deleted."""
    try:
        name = (scratch / TARGET_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if name and "/" not in name and "\\" not in name and not name.startswith(".") else None


def put_back_interrupted(base: Path, now: float | None = None) -> list[str]:
    """Put back a pack an install killed mid-update left aside; returns the ids put back.

    Where the system cannot swap two folders in one step, an update renames the installed pack into its scratch
    folder (`.staging-…/old`), then the new one into place: killed between the two, the pack vanished from the
    library. Its folder is put back when the scratch folder is older than INTERRUPTED_AFTER_S and nothing took
    its place.
    """
    import time

    now = time.time() if now is None else now
    put_back: list[str] = []
    try:
        scratches = [p for p in base.iterdir() if p.name.startswith(STAGING_PREFIX)]
    except OSError:
        return put_back
    for scratch in scratches:
        old = scratch / "old"
        try:
            if now - scratch.stat().st_mtime < INTERRUPTED_AFTER_S or not old.is_dir():
                continue
            pack_id = scratch_target(scratch)
            if pack_id is None or (base / pack_id).exists():
                continue
            os.replace(old, base / pack_id)
            put_back.append(pack_id)
        except OSError:
            continue  # a read-only packs folder: nothing can be put back, and listing goes on
    return put_back
