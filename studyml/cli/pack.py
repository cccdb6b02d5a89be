"""`studyml pack ...`: validate, list, new, install, schema, orphans."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from studyml.cli import CliError, ExitCode
from studyml.cli.common import add_json, dump, known_demo_ids
from studyml.lang import pick


def register(sub) -> None:
    pack = sub.add_parser("pack", help="validate, list, create and install content packs")
    psub = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)

    p = psub.add_parser("validate", help="check packs and report every problem as file:line:col: path: message")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="pack folder or .zip")
    p.add_argument("--strict", action="store_true", help="treat warnings (e.g. unknown demo ids) as errors")
    add_json(p, "print {ok, packs: [{path, ok, id, cards, items, kinds, diagnostics}]} instead of text")
    p.set_defaults(func=cmd_validate)

    p = psub.add_parser("list", help="built-in and installed packs with card and quiz counts")
    add_json(p, "print {packs: [{id, version, title, source, path, ok, cards, items, kinds, errors}]}")
    p.set_defaults(func=cmd_list)

    p = psub.add_parser("new", help="create a small valid pack to start from")
    p.add_argument("folder", type=Path, help="a new or empty folder")
    add_json(p, "print {path} of the created pack")
    p.set_defaults(func=cmd_new)

    p = psub.add_parser("install", help="validate, then install a pack folder or .zip into the data dir")
    p.add_argument("source", type=Path, metavar="PATH|ZIP")
    p.add_argument("--strict", action="store_true", help="refuse a pack with warnings too")
    add_json(p, "print {id, version, path, cards, items, message} of the installed pack")
    p.set_defaults(func=cmd_install)

    p = psub.add_parser("schema", help="print the JSON Schema of pack.yaml, card files and quiz files")
    add_json(p, "the schema is always one JSON object; accepted so every command takes --json")
    p.set_defaults(func=cmd_schema)

    p = psub.add_parser("orphans", help="progress kept for cards whose ids no longer exist in their pack")
    add_json(p, "print {orphans: [{pack, card}]}")
    p.set_defaults(func=cmd_orphans)


def cmd_validate(args) -> int:
    from studyml.content.install import InstallError, open_pack_source
    from studyml.content.loader import load_pack

    known = known_demo_ids()
    reports = []
    failed = False
    for source in args.paths:
        with tempfile.TemporaryDirectory() as scratch:
            try:
                folder = open_pack_source(source, Path(scratch))
            except InstallError as e:
                reports.append({"path": str(source), "ok": False, "diagnostics": [{"file": str(source), "line": 1, "col": 1, "path": "", "message": str(e), "severity": "error"}]})
                failed = True
                if not args.json:
                    print(f"{source}:1:1: {e}")
                continue
            result = load_pack(folder, known_demos=known, display_root=source if source.is_dir() else Path(source.name))
        bad = result.errors + (result.warnings if args.strict else [])
        ok = not bad
        failed |= not ok
        diags = result.diagnostics
        if args.strict:
            diags = [d if d.severity == "error" else type(d)(d.file, d.line, d.col, d.path, d.message, "error") for d in diags]
        counts = _counts(result)
        reports.append({"path": str(source), "ok": ok, "id": result.manifest.id if result.manifest else None, **counts,
                        "diagnostics": [d.to_json() for d in diags]})
        if not args.json:
            for d in diags:
                print(d)
            errs = sum(d.severity == "error" for d in diags)
            warns = len(diags) - errs
            status = "valid" if ok else "INVALID"
            print(f"{source}: {status}: {counts['cards']} cards, {counts['items']} quiz items, {errs} error(s), {warns} warning(s)",
                  file=sys.stderr if ok else sys.stdout)
    if args.json:
        dump({"ok": not failed, "packs": reports})
    return ExitCode.CHECK_FAILED if failed else ExitCode.OK


def _counts(result) -> dict:
    pack = result.pack
    if pack is None:
        return {"cards": 0, "items": 0, "kinds": {}}
    kinds: dict[str, int] = {}
    for it in pack.items:
        kinds[it.kind] = kinds.get(it.kind, 0) + 1
    return {"cards": len(pack.cards), "items": len(pack.items), "kinds": kinds}


def cmd_list(args) -> int:
    from studyml.content.library import discover_packs

    rows = []
    for r in discover_packs(known_demos=known_demo_ids()):
        m = r.manifest
        rows.append({
            "id": m.id if m else r.path.name, "version": m.version if m else None,
            "title": dict(m.title) if m else None, "source": r.source, "path": str(r.path), "ok": r.ok,
            **_counts(r), "errors": [str(d) for d in r.errors],
        })
    if args.json:
        dump({"packs": rows})
        return ExitCode.OK
    if not rows:
        print("no packs; create one with `studyml pack new DIR`")
    for row in rows:
        title = pick(row["title"], args.lang or "en")
        state = "ok" if row["ok"] else f"BROKEN ({len(row['errors'])} errors: studyml pack validate {row['path']})"
        print(f"{row['id']:<24} {row['version'] or '?':<8} {row['source']:<9} {row['cards']:>4} cards {row['items']:>4} items  {title}  {state}")
    return ExitCode.OK


def cmd_new(args) -> int:
    from studyml.content.scaffold import scaffold

    try:
        folder = scaffold(args.folder)
    except FileExistsError as e:
        raise CliError(str(e), ExitCode.USAGE) from None
    if args.json:
        dump({"path": str(folder)})
        return ExitCode.OK
    print(f"created {folder}: check it with `studyml pack validate {folder}`, install it with `studyml pack install {folder}`")
    return ExitCode.OK


def cmd_install(args) -> int:
    from studyml.content.install import InstallError, install_pack

    if not args.source.exists():
        raise CliError(f"{args.source}: no such folder or .zip file", ExitCode.USAGE)
    try:
        result, message = install_pack(args.source, known_demos=known_demo_ids(), strict=args.strict)
    except InstallError as e:  # the pack or archive failed its checks; nothing was installed
        raise CliError(str(e), ExitCode.CHECK_FAILED) from None
    if args.json:
        dump({"id": result.pack.id, "version": result.manifest.version, "path": str(result.path),
              **_counts(result), "message": message})
        return ExitCode.OK
    print(message)
    return ExitCode.OK


def cmd_schema(args) -> int:
    from pydantic import TypeAdapter

    from studyml.content.models import Card, Manifest, QuizItem

    schema = {
        "pack.yaml": Manifest.model_json_schema(),
        "cards/*.yaml": TypeAdapter(list[Card]).json_schema(),
        "quizzes/*.yaml": TypeAdapter(list[QuizItem]).json_schema(),
    }
    dump(schema)
    return ExitCode.OK


def cmd_orphans(args) -> int:
    from studyml.content.library import discover_packs

    from studyml.srs.store import orphans

    rows = []
    for r in discover_packs():
        if r.pack is not None:
            for card_id in orphans(r.pack.id, [c.id for c in r.pack.cards]):
                rows.append({"pack": r.pack.id, "card": card_id})
    if args.json:
        dump({"orphans": rows})
    elif not rows:
        print("no orphaned progress: every card with reviews still exists in its pack")
    else:
        for row in rows:
            print(f"{row['pack']}\t{row['card']}")
    return ExitCode.OK
