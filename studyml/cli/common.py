"""What several command groups share: argument types, JSON output, the packs and demo ids the core is given."""

from __future__ import annotations

import argparse
import functools
import json
import sqlite3
import sys
from collections.abc import Callable
from typing import Any


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def dump(obj: Any, compact: bool = False) -> None:
    """Print one JSON document on stdout (values a plugin computed are made JSON-safe first)."""
    from studyml.demos.protocol import json_safe

    print(json.dumps(json_safe(obj), ensure_ascii=False, indent=None if compact else 2))


def say(text: str) -> None:
    """Progress for a person watching: stderr, so stdout stays the result."""
    print(text, file=sys.stderr, flush=True)


def known_demo_ids() -> set[str]:
    """Ids of the demos that can be found (metadata only: no torch), for pack validation."""
    from studyml.demos.discovery import discover

    return set(discover().plugins)


def loaded_packs() -> list:
    """Every pack that loads (built-in and installed)."""
    from studyml.content.library import discover_packs

    return [r.pack for r in discover_packs() if r.pack is not None]


def _guard(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Expected failures print one line on stderr and exit 1, never a traceback."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        from studyml.srs.store import StoreError

        try:
            return func(args)
        except (StoreError, ValueError, sqlite3.Error) as e:
            print(f"studyml: error: {e}", file=sys.stderr)
            return 1
        except OSError as e:
            print(f"studyml: error: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
            return 1

    return run


def _emit(args: argparse.Namespace, data: object, text: str) -> int:
    print(json.dumps(data, ensure_ascii=False, indent=2) if getattr(args, "json", False) else text)
    return 0


def _store():
    from studyml.srs.store import open_store

    return open_store()
