"""`studyml pack ...`: validate, list, new, install, schema, orphans."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def register(sub) -> None:
    pack = sub.add_parser("pack", help="validate, list, create and install content packs")
    psub = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)

    p = psub.add_parser("validate", help="check packs and report every problem as file:line:col: path: message")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="pack folder or .zip")
    p.add_argument("--strict", action="store_true", help="treat warnings (e.g. unknown demo ids) as errors")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_validate)

    p = psub.add_parser("list", help="built-in and installed packs with card and quiz counts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = psub.add_parser("new", help="create a small valid pack to start from")
    p.add_argument("folder", type=Path)
    p.set_defaults(func=cmd_new)

    p = psub.add_parser("install", help="validate, then install a pack folder or .zip into the data dir")
    p.add_argument("source", type=Path, metavar="PATH|ZIP")
    p.add_argument("--strict", action="store_true")
    p.add_argument("--replace", action="store_true", help="replace a built-in pack or one installed from elsewhere")
    p.add_argument("--downgrade", action="store_true", help="install an older version than the one you have")
    p.set_defaults(func=cmd_install)

    p = psub.add_parser("schema", help="print the JSON Schema of pack.yaml, card files and quiz files")
    p.set_defaults(func=cmd_schema)

    p = psub.add_parser("orphans", help="progress kept for cards whose ids no longer exist in their pack")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_orphans)


def known_demo_ids() -> set[str] | None:
    """Ids of the demo plugins that can be found (metadata only: no torch)."""
    try:
        from studyml.demos.discovery import discover
    except ImportError:
        return None
    return set(discover().plugins)


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
        print(json.dumps({"ok": not failed, "packs": reports}, ensure_ascii=False, indent=2))
    return 1 if failed else 0


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
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no packs; create one with `studyml pack new DIR`")
    for row in rows:
        title = (row["title"] or {}).get("en", "")
        state = "ok" if row["ok"] else f"BROKEN ({len(row['errors'])} errors: studyml pack validate {row['path']})"
        print(f"{row['id']:<24} {row['version'] or '?':<8} {row['source']:<9} {row['cards']:>4} cards {row['items']:>4} items  {title}  {state}")
    return 0


def cmd_new(args) -> int:
    from studyml.content.scaffold import scaffold

    try:
        folder = scaffold(args.folder)
    except FileExistsError as e:
        print(f"studyml: {e}", file=sys.stderr)
        return 1
    print(f"created {folder}: check it with `studyml pack validate {folder}`, install it with `studyml pack install {folder}`")
    return 0


def cmd_install(args) -> int:
    from studyml.content.install import InstallError, install_pack

    try:
        _, message = install_pack(args.source, known_demos=known_demo_ids(), strict=args.strict,
                                  replace=args.replace, downgrade=args.downgrade, progress_of=_progress_of)
    except InstallError as e:
        print(f"studyml: {e}", file=sys.stderr)
        return 1
    print(message)
    return 0


def _progress_of(pack_id: str) -> set[str]:
    from studyml import paths
    from studyml.srs.store import open_store

    if not paths.db_path().exists():
        return set()  # nothing studied yet (and no database to create for a count)
    with open_store() as store:
        return store.known_card_ids(pack_id)


def cmd_schema(args) -> int:
    from pydantic import TypeAdapter

    from studyml.content.models import Card, Manifest, QuizItem

    schema = {
        "pack.yaml": Manifest.model_json_schema(),
        "cards/*.yaml": TypeAdapter(list[Card]).json_schema(),
        "quizzes/*.yaml": TypeAdapter(list[QuizItem]).json_schema(),
    }
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0


def cmd_orphans(args) -> int:
    from studyml.content.library import discover_packs

    try:
        from studyml.srs.store import orphans
    except ImportError:
        print("studyml: progress store unavailable", file=sys.stderr)
        return 2
    rows = []
    for r in discover_packs():
        if r.pack is not None:
            for card_id in orphans(r.pack.id, [c.id for c in r.pack.cards]):
                rows.append({"pack": r.pack.id, "card": card_id})
    if args.json:
        print(json.dumps(rows, indent=2))
    elif not rows:
        print("no orphaned progress: every card with reviews still exists in its pack")
    else:
        for row in rows:
            print(f"{row['pack']}\t{row['card']}")
    return 0
