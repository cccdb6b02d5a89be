"""The library's summary of every pack, cached on disk so the next start shows the packs before validating them.

One JSON file in the data dir's cache folder, replaced atomically. It is keyed by the identity of every pack
file (folder, path, size, mtime) and by the studyml version: when anything differs it is not used. It is read
without pydantic or YAML, and every value is checked on the way in, so a corrupt or hand-edited file is
ignored, never trusted. The real load (validation) always runs after it and replaces what it showed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from studyml import __version__, paths
from studyml.fsutil import atomic_write_text, remove_stale

FORMAT = 1
MAX_ERRORS = 50  # the library shows at most this many of a broken pack's diagnostics
MAX_BYTES = 16 * 1024 * 1024  # a cache file larger than this is not ours, or not worth reading


@dataclass(frozen=True)
class PackSummary:
    """What the library lists for one pack: enough for its row and its details, nothing to study with."""

    path: str
    source: str
    ok: bool
    title: dict[str, str]  # the pack's title per language; {} when its pack.yaml could not be read
    id: str = ""
    version: str = ""
    license: str = ""
    authors: tuple[str, ...] = ()
    description: dict[str, str] | None = None
    cards: int = 0
    items: int = 0
    card_ids: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()  # the first MAX_ERRORS diagnostics of a broken pack, as printed
    error_count: int = 0


def cache_path() -> Path:
    return paths.data_dir() / "cache" / "library.json"


def identity(signature: dict[str, dict[str, tuple[int, int]]]) -> list:
    """The cache key: every pack folder in order, each with its files' (mtime_ns, size), as JSON would hold it."""
    return [[folder, sorted([name, list(stat)] for name, stat in files.items())] for folder, files in signature.items()]


def summarize(results: list[Any]) -> list[PackSummary]:
    """One summary per loaded pack (`PackResult`s, in the library's order)."""
    out = []
    for r in results:
        m, pack, errors = r.manifest, r.pack, r.errors
        out.append(
            PackSummary(
                path=str(r.path),
                source=r.source,
                ok=pack is not None,
                title=dict(m.title) if m else ({"en": r.label} if r.label else {}),
                id=m.id if m else "",
                version=m.version if m else "",
                license=m.license if m else "",
                authors=tuple(m.authors) if m else (),
                description=dict(m.description) if m and m.description else None,
                cards=len(pack.cards) if pack else 0,
                items=len(pack.items) if pack else 0,
                card_ids=tuple(c.id for c in pack.cards) if pack else (),
                errors=tuple(str(d) for d in errors[:MAX_ERRORS]),
                error_count=len(errors),
            )
        )
    return out


def write_summary(signature: dict[str, dict[str, tuple[int, int]]], results: list[Any]) -> None:
    """Cache the summary of `results`, loaded from pack files whose identity was `signature` before loading.

    Never raises: a read-only or full data dir only costs the next start its head start.
    """
    try:
        data = {
            "format": FORMAT,
            "version": __version__,
            "identity": identity(signature),
            "packs": [asdict(s) for s in summarize(results)],
        }
        path = cache_path()
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        try:  # every start ends its load here: an unchanged library costs a read, not a write and a rename
            if path.read_text(encoding="utf-8") == text:
                return
        except (OSError, UnicodeDecodeError):
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(path.parent, ".library-*")  # a temp file left by a killed process
        atomic_write_text(path, text, prefix=".library-", durable=False)  # a cache: no fsync
    except (OSError, ValueError, TypeError, AttributeError):
        pass


def read_summary(signature: dict[str, dict[str, tuple[int, int]]]) -> list[PackSummary] | None:
    """The cached summary if it was written by this studyml for exactly these pack files; else None."""
    try:
        path = cache_path()
        if path.stat().st_size > MAX_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, unreadable, not UTF-8 or not JSON
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != __version__:
        return None
    if data.get("identity") != identity(signature):
        return None  # a pack file was added, removed or changed since: the summary is stale
    rows = data.get("packs")
    if not isinstance(rows, list):
        return None
    out = []
    for row in rows:
        summary = _parse(row)
        if summary is None:
            return None  # one bad row and none of it is trusted
        out.append(summary)
    return out


def _is_text(v: Any) -> bool:
    return isinstance(v, dict) and all(isinstance(k, str) and isinstance(t, str) for k, t in v.items())


def _is_strs(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _is_count(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _parse(row: Any) -> PackSummary | None:
    if not isinstance(row, dict) or set(row) != {f for f in PackSummary.__dataclass_fields__}:
        return None
    strs = ("path", "source", "id", "version", "license")
    if not all(isinstance(row[k], str) for k in strs) or not isinstance(row["ok"], bool):
        return None
    if not _is_text(row["title"]) or not (row["description"] is None or _is_text(row["description"])):
        return None
    if not all(_is_strs(row[k]) for k in ("authors", "card_ids", "errors")):
        return None
    if not all(_is_count(row[k]) for k in ("cards", "items", "error_count")):
        return None
    if row["ok"] and (not row["id"] or row["cards"] != len(row["card_ids"])):
        return None
    return PackSummary(**{**row, **{k: tuple(row[k]) for k in ("authors", "card_ids", "errors")}})
