"""`studyml export anki|json` and `studyml import json`: progress and packs in and out."""

from __future__ import annotations

import argparse
from pathlib import Path

from studyml.cli import CliError, ExitCode
from studyml.cli.common import add_json, emit, existing_file, find_pack, open_progress, progress_errors
from studyml.lang import count


def register(sub: argparse._SubParsersAction) -> None:
    exp = sub.add_parser("export", help="export a pack to Anki, or all progress to JSON")
    esub = exp.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    p = esub.add_parser("anki", help="write a pack as an Anki .apkg (re-exports update the same notes)")
    p.add_argument("pack", help="pack id")
    p.add_argument("-o", "--output", type=Path, required=True, help="the .apkg file to write")
    # Its own dest: a subcommand default for "lang" would replace the global `studyml --lang ko`.
    p.add_argument(
        "--lang",
        dest="anki_lang",
        choices=["en", "ko", "both"],
        default=None,
        help="language of the notes (default: the global --lang, else en)",
    )
    add_json(p, "print {pack, lang, notes, path}")
    p.set_defaults(func=cmd_export_anki)
    p = esub.add_parser("json", help="write all progress to a JSON file")
    p.add_argument("file", type=Path, help="the JSON file to write (replaced if it exists)")
    add_json(p, "print {path, reviews, progress, ...} (counts written)")
    p.set_defaults(func=cmd_export_json)

    imp = sub.add_parser("import", help="merge progress from a JSON export")
    isub = imp.add_subparsers(dest="import_command", metavar="FORMAT", required=True)
    p = isub.add_parser("json", help="merge a progress JSON file (reviews already present are skipped)")
    p.add_argument("file", type=Path, help="a file written by `studyml export json`")
    add_json(p, "print {reviews, cards, quiz_attempts, demo_runs} (counts merged)")
    p.set_defaults(func=cmd_import_json)


@progress_errors
def cmd_export_anki(args: argparse.Namespace) -> int:
    from studyml.srs.export import export_anki

    pack = find_pack(args.pack)
    lang = args.anki_lang or args.lang or "en"
    n = export_anki(pack, args.output, lang)
    return emit(
        args,
        {"pack": args.pack, "lang": lang, "notes": n, "path": str(args.output)},
        f"Wrote {count(n, 'note')} to {args.output}; importing it again in Anki updates the same notes.",
    )


@progress_errors
def cmd_export_json(args: argparse.Namespace) -> int:
    from studyml.srs.export import export_json

    with open_progress() as store:
        counts = export_json(store, args.file)
    return emit(
        args,
        {"path": str(args.file), **counts},
        f"Wrote {count(counts['reviews'], 'review')} of {count(counts['progress'], 'card')} to {args.file}"
        + (f" ({count(counts['nonfinite'], 'NaN/infinite value')} written as null)" if counts.get("nonfinite") else ""),
    )


@progress_errors
def cmd_import_json(args: argparse.Namespace) -> int:
    from studyml.srs.backup import backup
    from studyml.srs.export import InvalidProgressFile, import_json, read_progress_file

    source = existing_file(args.file, "file")
    try:
        read_progress_file(source)  # validated before a backup is taken or anything opened for writing
    except InvalidProgressFile as e:
        raise CliError(str(e), ExitCode.CHECK_FAILED) from None
    with open_progress() as store:
        if store.review_count():
            backup(store)  # a merge is reversible through `studyml srs restore`
        added = import_json(store, source)
    return emit(
        args,
        added,
        f"Imported {count(added['reviews'], 'new review')}, {count(added['cards'], 'card state')}, "
        f"{count(added['quiz_attempts'], 'quiz attempt')}, {count(added['demo_runs'], 'demo run')}"
        + (
            f"; {count(added['card_actions'], 'card')} suspended, buried or flagged as in the file"
            if added["card_actions"]
            else ""
        ),
    )
