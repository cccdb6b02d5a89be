"""`studyml export anki|json` and `studyml import json`: progress and packs in and out."""

from __future__ import annotations

import argparse
from pathlib import Path

from studyml.cli.common import _emit, _guard, _store


def register(sub: argparse._SubParsersAction) -> None:
    exp = sub.add_parser("export", help="export a pack to Anki, or all progress to JSON")
    esub = exp.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    p = esub.add_parser("anki", help="write a pack as an Anki .apkg (re-exports update the same notes)")
    p.add_argument("pack", help="pack id")
    p.add_argument("-o", "--output", type=Path, required=True, help="the .apkg file to write")
    p.add_argument("--lang", choices=["en", "ko", "both"], default="en")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_export_anki)
    p = esub.add_parser("json", help="write all progress to a JSON file")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_export_json)

    imp = sub.add_parser("import", help="merge progress from a JSON export")
    isub = imp.add_subparsers(dest="import_command", metavar="FORMAT", required=True)
    p = isub.add_parser("json", help="merge a progress JSON file (reviews already present are skipped)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import_json)


@_guard
def cmd_export_anki(args: argparse.Namespace) -> int:
    from studyml.srs.export import export_anki

    from studyml.content.library import find_pack

    pack = find_pack(args.pack)
    if pack is None:
        raise ValueError(f"no pack {args.pack!r} (list packs with `studyml pack list`)")
    n = export_anki(pack, args.output, args.lang)
    return _emit(args, {"pack": args.pack, "notes": n, "path": str(args.output)},
                 f"Wrote {n} notes to {args.output}; importing it again in Anki updates the same notes.")


@_guard
def cmd_export_json(args: argparse.Namespace) -> int:
    from studyml.srs.export import export_json

    with _store() as store:
        counts = export_json(store, args.file)
    return _emit(args, {"path": str(args.file), **counts},
                 f"Wrote {counts['reviews']} reviews of {counts['progress']} cards to {args.file}")


@_guard
def cmd_import_json(args: argparse.Namespace) -> int:
    from studyml.srs.backup import backup
    from studyml.srs.export import import_json

    with _store() as store:
        if store.review_count():
            backup(store)  # a merge is reversible through `studyml srs restore`
        added = import_json(store, args.file)
    return _emit(args, added, f"Imported {added['reviews']} new reviews, {added['cards']} card states, "
                              f"{added['quiz_attempts']} quiz attempts, {added['demo_runs']} demo runs")
