"""Parsed pack files kept as JSON in the data dir, keyed by size and mtime: re-opening a pack skips YAML.

Only the parse is cached; validation runs every time, and positions for diagnostics are read from the
YAML file itself when one is needed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from studyml import __version__, paths
from studyml.fsutil import atomic_write_text, remove_stale

_MISS = object()
KEPT = 64  # pack folders whose parse is kept: an author validating folder after folder left one file each for good


class ParseCache:
    """One JSON file per pack folder: {relative path: [size, mtime_ns, data]}."""

    def __init__(self, root: Path) -> None:
        key = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:20]
        self.file = paths.data_dir() / "cache" / f"pack-{key}.json"
        self.root = root
        self.entries: dict[str, list] = {}
        self.used: set[str] = set()
        self.dirty = False
        try:
            raw = json.loads(self.file.read_text(encoding="utf-8"))
            if raw.get("version") == __version__:
                self.entries = raw["files"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no cache or an unusable one: parse from YAML and write a new one

    def get(self, path: Path, stat: os.stat_result) -> Any:
        rel = path.relative_to(self.root).as_posix()
        entry = self.entries.get(rel)
        if entry and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            self.used.add(rel)
            return entry[2]
        return _MISS

    def put(self, path: Path, stat: os.stat_result, data: Any) -> None:
        rel = path.relative_to(self.root).as_posix()
        self.entries[rel] = [stat.st_size, stat.st_mtime_ns, data]
        self.used.add(rel)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty and set(self.entries) == self.used:
            return
        files = {k: v for k, v in self.entries.items() if k in self.used}  # forget deleted files
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps({"version": __version__, "files": files}, ensure_ascii=False, separators=(",", ":"))
            # The temp file is removed on any failure (a full disk must not leave .pack-* files behind);
            # one left by a killed process is removed once it is old.
            remove_stale(self.file.parent, ".pack-*")
            atomic_write_text(self.file, text, prefix=".pack-", durable=False)  # a cache: no fsync
            _forget_the_oldest(self.file.parent, keep=self.file)
        except OSError:
            pass  # a read-only or full data dir only costs speed


def _forget_the_oldest(folder: Path, keep: Path) -> None:
    """Delete the least recently written pack caches beyond KEPT (a pack read again is parsed again)."""
    caches = []
    for path in folder.glob("pack-*.json"):
        try:
            caches.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue  # deleted meanwhile
    caches.sort(reverse=True)
    for _mtime, path in caches[KEPT:]:
        if path != keep:
            path.unlink(missing_ok=True)


def is_miss(value: Any) -> bool:
    return value is _MISS
