"""Plugin metadata read by a real worker subprocess once per test process, then reused by file content.

Every test has its own data dir, so discovery finds the same built-in and fixture plugins at new paths
(or with no cache) and would start a metadata subprocess each time: half a second of CPU per test. The
memo keeps what a real subprocess read for a plugin whose files are byte for byte the same; anything
else (a plugin edited by the test, one that crashes, hangs or fails to load) is read for real.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

# content key -> the JSON of {"ok": True, "meta": {...}} as a real metadata subprocess returned it
_memo: dict[tuple, str] = {}


def _content_key(locator: str) -> tuple | None:
    """What a file plugin's metadata depends on: its files' relative names and bytes (None: not a file)."""
    if not locator.startswith("file:"):
        return None
    target = Path(locator.removeprefix("file:"))
    if target.name == "__init__.py":
        root = target.parent
        files = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    else:
        root, files = target.parent, [target]
    try:
        return tuple((str(f.relative_to(root)), hashlib.sha1(f.read_bytes()).hexdigest()) for f in files)
    except OSError:
        return None


def memoized(describe_all):
    """Wrap plugin_meta._describe_all: memo hits skip the subprocess, misses go to `describe_all`."""

    def wrapper(locators: list[str]) -> tuple[dict[str, dict], int]:
        keys = {loc: _content_key(loc) for loc in locators}
        # A copy each time: a test that changes what it got must not change the next test's.
        out = {loc: json.loads(_memo[k]) for loc, k in keys.items() if k is not None and k in _memo}
        missing = [loc for loc in locators if loc not in out]
        runs = 0
        if missing:
            fresh, runs = describe_all(missing)
            out.update(fresh)
            for loc in missing:
                rec, key = fresh.get(loc), keys[loc]
                folder = str(Path(loc.removeprefix("file:")).parent)
                # Only clean reads, and only if nothing in them names where the file was.
                if key is not None and rec and rec.get("ok") and folder not in repr(rec):
                    _memo[key] = json.dumps(rec)
        return out, runs

    return wrapper
