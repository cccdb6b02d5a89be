"""What several command groups share: argument types, JSON output, the packs and demo ids the core is given."""

from __future__ import annotations

import argparse
import functools
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studyml.cli import CliError, ExitCode


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _whole(text: str, least: int, rule: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(rule)
    return value


def positive_int(text: str) -> int:
    return _whole(text, 1, "must be at least 1")


def seed_int(text: str) -> int:
    """A demo's seed: numpy's generators take a whole number 0 or more (a negative one was a worker traceback)."""
    return _whole(text, 0, "must be 0 or more")


_printed = [False]  # whether this command printed a JSON document (see main: a failure prints one otherwise)


def dump(obj: Any, compact: bool = False) -> None:
    """Print one JSON document on stdout (values a plugin computed are made JSON-safe first)."""
    from studyml.demos.protocol import json_safe

    print_json(json.dumps(json_safe(obj), ensure_ascii=False, indent=None if compact else 2))


def print_json(text: str) -> None:
    """Print a JSON document already encoded, flushed (a watch prints one per validation)."""
    _printed[0] = True
    print(text, flush=True)


def printed_json() -> bool:
    return _printed[0]


def forget_printed() -> None:
    _printed[0] = False


def say(text: str) -> None:
    """Progress for a person watching: stderr, so stdout stays the result."""
    print(text, file=sys.stderr, flush=True)


JSON_HELP = "print one JSON object on stdout instead of text"


def add_json(parser: argparse.ArgumentParser, help: str = JSON_HELP) -> None:
    parser.add_argument("--json", action="store_true", help=help)


def get_demo(registry, demo_id: str):
    """The runnable demo with this id. An unknown id is a usage error; one that is installed but cannot run
    (incompatible plugin API, two plugins claiming it) is a run error."""
    try:
        return registry.get(demo_id)
    except LookupError as e:
        known = demo_id in registry.incompatible or demo_id in registry.duplicates or registry.broken_named(demo_id)
        raise CliError(message(e), ExitCode.RUN_ERROR if known else ExitCode.USAGE) from None


def message(e: BaseException) -> str:
    """An exception's message as written: str() of a KeyError is its repr, quoted (a message's own last quote
    was lost when the quotes were stripped instead)."""
    return str(e.args[0]) if isinstance(e, KeyError) and len(e.args) == 1 else str(e)


def find_pack(pack_id: str):
    """The pack with this id, or a usage error."""
    from studyml.content.library import find_pack as find

    pack = find(pack_id)
    if pack is None:
        raise CliError(f"no pack {pack_id!r} (list packs with `studyml pack list`)", ExitCode.USAGE)
    return pack


def known_demo_specs() -> dict[str, dict[str, Any]]:
    """Each demo's declared parameters (JSON schemas), claims and metrics, from plugin metadata (no plugin
    code runs here), so pack validation can check the parameters and names a pack uses. A plugin that is there but
    cannot run (its import failed, its id is defined twice, it needs a newer studyml) maps to `{"unusable": why}`:
    a pack that names it is told why, not that no such demo exists and to install it."""
    from studyml.demos.discovery import broken_message, discover, duplicate_message, incompatible_message

    registry = discover()
    specs: dict[str, dict[str, Any]] = {}
    for b in registry.broken:  # by its id, or its file or entry point name, as `demo run` finds it (broken_named)
        for key in ("name", "file"):
            for name in {str(b.get(key, b["name"])), str(b.get(key, b["name"])).replace("_", "-")}:
                specs.setdefault(name, {"unusable": broken_message(name, b)})
    for pid, info in registry.incompatible.items():
        specs[pid] = {"unusable": incompatible_message(info)}
    for pid, sources in registry.duplicates.items():
        specs[pid] = {"unusable": duplicate_message(pid, sources)}
    for pid, info in registry.plugins.items():
        specs[pid] = {
            "fields": info.plugin.fields,
            "claims": [c["id"] for c in info.plugin.claims],
            # a 1.0 plugin declares no metrics: any name may be right, so none is checked
            "metrics": [m["id"] for m in info.plugin.metrics] if info.plugin.metrics else None,
        }
    return specs


def loaded_packs() -> list:
    """Every pack that loads (built-in and installed)."""
    from studyml.content.library import discover_packs

    return [r.pack for r in discover_packs() if r.pack is not None]


def progress_errors(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the progress store's expected failures into CliErrors: bad values are usage errors, an unreadable
    database or a failed write is a run error."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        from studyml.srs.store import StoreError

        try:
            return func(args)
        except (StoreError, sqlite3.Error) as e:
            raise CliError(str(e), ExitCode.RUN_ERROR) from None
        except ValueError as e:
            raise CliError(str(e), ExitCode.USAGE) from None
        except BrokenPipeError:
            raise  # `studyml … | head`: not an error (main says nothing)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError) as e:
            raise CliError(_os_message(e), ExitCode.USAGE) from None
        except OSError as e:
            raise CliError(_os_message(e), ExitCode.RUN_ERROR) from None

    return run


def _os_message(e: OSError) -> str:
    return f"{e.strerror or e}: {e.filename or ''}".rstrip(": ")


def existing_file(path: Path, what: str) -> Path:
    """A file named on the command line must exist: otherwise a usage error, before anything is opened."""
    if not path.is_file():
        raise CliError(f"no such {what}: {path}", ExitCode.USAGE)
    return path


def emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> int:
    """The command's report: one JSON object with --json, else the text."""
    if getattr(args, "json", False):
        dump(data)
    else:
        print(text)
    return ExitCode.OK


def open_progress():
    from studyml.srs.store import open_store

    return open_store()
