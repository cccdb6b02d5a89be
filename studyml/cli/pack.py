"""`studyml pack ...`: validate, list, new, install, schema, orphans."""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from studyml.cli import CliError, ExitCode
from studyml.cli.common import add_json, dump, known_demo_specs, print_json, progress_errors
from studyml.lang import count, pick


def register(sub) -> None:
    pack = sub.add_parser("pack", help="validate, list, create and install content packs")
    psub = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)

    p = psub.add_parser("validate", help="check packs and report every problem as file:line:col: path: message")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="pack folder or .zip")
    p.add_argument("--strict", action="store_true", help="treat warnings (e.g. unknown demo ids) as errors")
    add_json(p, "print {ok, packs: [{path, ok, id, cards, items, kinds, diagnostics}]} instead of text")
    p.set_defaults(func=cmd_validate)

    p = psub.add_parser("list", help="every pack with its source (built-in, installed, package, folder) and counts")
    add_json(p, "print {packs: [{id, version, title, source, path, ok, cards, items, kinds, errors}]}")
    p.set_defaults(func=cmd_list)

    p = psub.add_parser("new", help="create a small valid pack to start from")
    p.add_argument("folder", type=Path, help="a new or empty folder")
    add_json(p, "print {path, id} of the created pack")
    p.set_defaults(func=cmd_new)

    p = psub.add_parser("install", help="validate, then install a pack folder or .zip into the data dir")
    p.add_argument("source", type=Path, metavar="PATH|ZIP", help="a pack folder, or a .zip of one")
    p.add_argument("--strict", action="store_true", help="refuse a pack with warnings too")
    p.add_argument("--replace", action="store_true", help="replace a built-in pack or one installed from elsewhere")
    p.add_argument("--downgrade", action="store_true", help="install an older version than the one you have")
    add_json(p, "print {ok, id, version, path, cards, items, kinds, message, warnings} of the installed pack")
    p.set_defaults(func=cmd_install)

    p = psub.add_parser("schema", help="print the JSON Schema of pack.yaml, card files and quiz files")
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write pack.schema.json, cards.schema.json and quizzes.schema.json into DIR instead",
    )
    add_json(p, "print the schemas as one JSON object (with --out: {files: [...]})")
    p.set_defaults(func=cmd_schema)

    p = psub.add_parser("import", help="make a pack from an Anki .apkg, a CSV/TSV with a header row, or Markdown cards")
    p.add_argument("source", type=Path, metavar="FILE", help="deck.apkg, cards.csv, cards.tsv or cards.md")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="DIR",
        help="pack folder to create, or to update (cards are matched by id, so a re-import updates)",
    )
    p.add_argument(
        "--format", choices=["apkg", "csv", "tsv", "md"], help="the source's format (default: its extension)"
    )
    p.add_argument(
        "--source-lang",
        dest="source_lang",
        default="en",
        metavar="CODE",
        help="the language of the source's text (default en)",
    )
    p.add_argument(
        "--languages",
        metavar="CODES",
        help="the pack's languages, e.g. en,ko (default: on a re-import those of its pack.yaml, else the source's); "
        "`pack validate` then lists every text still to write",
    )
    p.add_argument("--id", dest="pack_id", help="pack id for a new pack (default: from the file name)")
    p.add_argument("--title", help="pack title for a new pack")
    add_json(p, "print {folder, cards, added, updated, unchanged, skipped, warnings, languages_added, diagnostics}")
    p.set_defaults(func=cmd_import)

    p = psub.add_parser("watch", help="validate a pack folder on every save and print what is wrong")
    p.add_argument("folder", type=Path, metavar="DIR", help="the pack folder you are editing")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--once", action="store_true", help="validate once and exit (as `pack validate`)")
    add_json(p, "print one JSON object per validation {ok, changed, cards, items, kinds, diagnostics} (one line each)")
    p.set_defaults(func=cmd_watch)

    p = psub.add_parser("remove", help="remove an installed pack; its progress is kept for a reinstall")
    p.add_argument("pack_id", metavar="ID", help="an installed pack's id (see `studyml pack list`)")
    add_json(p, "print {id, path, cards_with_progress}")
    p.set_defaults(func=cmd_remove)

    p = psub.add_parser("orphans", help="progress kept for cards whose ids no longer exist in their pack")
    add_json(p, "print {orphans: [{pack, card, pack_missing}]}")
    p.set_defaults(func=cmd_orphans)


def cmd_validate(args) -> int:
    from studyml.content.install import InstallError, open_pack_source, pack_folder_of
    from studyml.content.loader import load_pack

    known = known_demo_specs()
    reports = []
    failed = missing = False
    for source in map(pack_folder_of, args.paths):
        with tempfile.TemporaryDirectory() as scratch:
            try:
                # A folder is read as it is, its links reported with every other problem (install refuses them).
                folder = source if source.is_dir() else open_pack_source(source, Path(scratch))
            except InstallError as e:
                if e.file is None:
                    e.file = source
                # The keys of every other report, so a script reads each pack alike.
                report = {"path": str(source), "ok": False, "id": None, "cards": 0, "items": 0, "kinds": {}}
                reports.append({**report, "diagnostics": [e.to_json()]})
                failed = True
                missing |= not source.exists()  # a path that names nothing: a usage error, as for install
                if not args.json:
                    print(e)
                    print(f"{source}: INVALID: 0 cards, 0 quiz items, 1 error, 0 warnings")
                continue
            result = load_pack(folder, known_demos=known, display_root=source if source.is_dir() else Path(source.name))
        if source.is_dir():
            result = _with_links(result, source)
        bad = result.errors + (result.warnings if args.strict else [])
        ok = not bad
        failed |= not ok
        diags = _as_strict(result.diagnostics, args.strict)
        counts = _counts(result)
        reports.append(
            {
                "path": str(source),
                "ok": ok,
                "id": result.manifest.id if result.manifest else None,
                **counts,
                "diagnostics": [d.to_json() for d in diags],
            }
        )
        if not args.json:
            for d in diags:
                print(d)
            errs = sum(d.severity == "error" for d in diags)
            warns = len(diags) - errs
            status = "valid" if ok else "INVALID"
            print(
                f"{source}: {status}: {count(counts['cards'], 'card')}, {count(counts['items'], 'quiz item')}, "
                f"{count(errs, 'error')}, {count(warns, 'warning')}"
            )
    gone = [str(source) for source in args.paths if not source.exists()]
    error = f"no such folder or .zip file: {', '.join(gone)}" if gone else None
    if args.json:
        # A path that names nothing is a usage error: said as every failure is (`error`, `exit_code`), with the
        # reports of the paths that were there.
        dump({"ok": not failed, "packs": reports, **({"error": error, "exit_code": 2} if error else {})})
    if missing:
        print(f"studyml: error: {error}", file=sys.stderr)
        return ExitCode.USAGE
    return ExitCode.CHECK_FAILED if failed else ExitCode.OK


def _with_links(result, folder: Path):
    """`result` with an error for every symbolic link in `folder`, as `pack install` would refuse it (the loader
    sees only those among the card and quiz files, and says less about them)."""
    from studyml.content.diagnostics import Diagnostic
    from studyml.content.install import find_links, link_message

    links = {str(p): Diagnostic(str(p), 1, 1, "", link_message(p)) for p in find_links(folder)}
    if not links:
        return result
    kept = [d for d in result.diagnostics if not (d.file in links and "symbolic link" in d.message)]
    return dataclasses.replace(result, pack=None, diagnostics=sorted(kept + list(links.values()), key=lambda d: d.file))


def _counts(result) -> dict:
    """The cards and quiz items read valid, of a valid pack or not (the errors are said beside them)."""
    cards, items = (result.pack.cards, result.pack.items) if result.pack is not None else result.read
    kinds: dict[str, int] = {}
    for it in items:
        kinds[it.kind] = kinds.get(it.kind, 0) + 1
    return {"cards": len(cards), "items": len(items), "kinds": kinds}


def cmd_list(args) -> int:
    from studyml.content.library import discover_packs

    rows = []
    for r in discover_packs(known_demos=known_demo_specs()):
        m = r.manifest
        rows.append(
            {
                "id": m.id if m else (r.label or r.path.name),
                "version": m.version if m else None,
                "title": dict(m.title) if m else None,
                "source": r.source,
                "path": None if r.label else str(r.path),  # a package entry point naming no folder: none to validate
                "ok": r.ok,
                **_counts(r),
                "errors": [str(d) for d in r.errors],
            }
        )
    if args.json:
        dump({"packs": rows})
        return ExitCode.OK
    if not rows:
        print("no packs; create one with `studyml pack new DIR`")
    for row in rows:
        title = pick(row["title"], args.lang or "en")
        if row["ok"]:
            state = "ok"
        elif row["path"] is None:  # an entry point that names no pack folder: nothing to validate
            state = f"BROKEN: {row['errors'][0]}"
        else:
            n = len(row["errors"])
            state = f"BROKEN ({n} error{'' if n == 1 else 's'}: studyml pack validate {row['path']})"
        print(
            f"{row['id']:<24} {row['version'] or '?':<8} {row['source']:<9} {count(row['cards'], 'card'):>10} "
            f"{count(row['items'], 'item'):>10}  {title}  {state}"
        )
    return ExitCode.OK


def cmd_new(args) -> int:
    from studyml.content.scaffold import pack_id_for, scaffold

    try:
        folder = scaffold(args.folder)
    except FileExistsError as e:
        raise CliError(str(e), ExitCode.USAGE) from None
    pack_id = pack_id_for(folder.resolve().name)
    if args.json:
        dump({"path": str(folder), "id": pack_id})
        return ExitCode.OK
    # The id is said: made from the folder's name, it may differ from it (`1pack` gives `pack-1pack`).
    print(
        f"created {folder} (pack id {pack_id!r}, in its pack.yaml): check it with `studyml pack validate {folder}`, "
        f"install it with `studyml pack install {folder}`"
    )
    return ExitCode.OK


def cmd_install(args) -> int:
    from studyml.content.install import InstallError, install_pack

    if not args.source.exists():
        raise CliError(f"{args.source}: no such folder or .zip file", ExitCode.USAGE)
    try:
        result, message = install_pack(
            args.source,
            known_demos=known_demo_specs(),
            strict=args.strict,
            replace=args.replace,
            downgrade=args.downgrade,
            progress_of=_progress_of,
        )
    except InstallError as e:  # the pack or archive failed its checks; nothing was installed
        head, _, problems = str(e).partition("\n")
        if not problems:
            raise CliError(str(e), ExitCode.CHECK_FAILED) from None
        # The problems first and the error line last, as every error ends (it came first, the problems under it);
        # under --json, the problems as a list, not inside one string.
        head = head.rstrip(":")
        if args.json:
            dump(
                {"ok": False, "error": head, "exit_code": int(ExitCode.CHECK_FAILED), "problems": problems.splitlines()}
            )
        else:
            print(problems, file=sys.stderr)
        raise CliError(head + ("" if args.json else " (above)"), ExitCode.CHECK_FAILED) from None
    if args.json:
        if result.pack is None or result.manifest is None:  # installed, yet the copy in place does not read back
            raise CliError(
                f"{result.path}: installed, but it does not load; run `studyml pack validate {result.path}`",
                ExitCode.RUN_ERROR,
            )
        dump(
            {
                "ok": True,  # as every failure says `ok`, and `pack validate` always
                "id": result.pack.id,
                "version": result.manifest.version,
                "path": str(result.path),
                **_counts(result),
                "message": message,
                "warnings": [str(d) for d in result.warnings],
            }
        )
        return ExitCode.OK
    # Installed with warnings (as `pack validate` lists them): said, not hidden behind "installed".
    for d in result.warnings:
        print(d, file=sys.stderr)
    print(message + _shadowed_by(result))
    return ExitCode.OK


def _folders_with_id(pack_id: str, sources: tuple[str, ...]) -> list[tuple[Path, str, Any]]:
    """(folder, source, manifest) of every pack folder from `sources` whose pack id is `pack_id` (a folder without a
    readable manifest goes by its name), whether or not the library shows it: a later source with the same id hides
    an earlier one there."""
    from studyml.content.folders import pack_folders
    from studyml.content.loader import load_pack

    found = []
    for folder, source in pack_folders():
        if source in sources:
            manifest = load_pack(folder).manifest
            if (manifest.id if manifest is not None else folder.name) == pack_id:
                found.append((folder, source, manifest))
    return found


def _shadowed_by(result) -> str:
    """A note when a package or $STUDYML_PACKS pack with the same id hides the copy just installed (later sources
    win in the library): without it the author studies the other version and wonders why the edit is not there."""
    if result.manifest is None:
        return ""
    for folder, source, manifest in _folders_with_id(result.manifest.id, ("package", "folder")):
        if manifest is not None:
            until = "its Python package is uninstalled" if source == "package" else "it is dropped from $STUDYML_PACKS"
            return (
                f"\nnote: the {source} pack {manifest.id} {manifest.version} ({folder}) has the same id, and the "
                f"library shows it instead of this copy until {until}"
            )
    return ""


def _progress_of(pack_id: str) -> set[str]:
    """Card ids with progress in this pack (content cannot ask the store itself)."""
    from studyml import paths
    from studyml.srs.store import open_store

    if not paths.db_path().exists():
        return set()  # nothing studied yet (and no database to create for a count)
    with open_store() as store:
        return store.known_card_ids(pack_id)


def cmd_schema(args) -> int:
    from studyml.content.schema import FILES, modeline, schemas, write_schemas

    if args.out is not None:
        if args.out.exists() and not args.out.is_dir():  # a mistake on the command line, not an environment error
            raise CliError(f"{args.out} is a file; --out names a folder for the schema files", ExitCode.USAGE)
        try:
            written = write_schemas(args.out)
        except OSError as e:
            raise CliError(f"{args.out}: {e.strerror}", ExitCode.RUN_ERROR) from None
        if args.json:
            dump({"files": [str(p) for p in written]})
        else:
            # The first lines for the pack the folder is in (`--out mypack/.schema`), else for a pack in the current
            # folder: a path relative to each file (not always .schema/).
            out = args.out.resolve()
            pack = out.parent if (out.parent / "pack.yaml").is_file() else Path.cwd()
            folder = Path(os.path.relpath(out, pack)).as_posix()
            where = "this folder" if pack == Path.cwd() else str(pack)
            print(
                f"wrote {', '.join(p.name for p in written)} to {args.out}; for the pack in {where}, make these the "
                "first line of each file so editors complete and check it:"
            )
            for name, depth, label in (
                ("pack.yaml", 0, "pack.yaml"),
                ("cards", 1, "cards/*.yaml"),
                ("quizzes", 1, "quizzes/*.yaml"),
            ):
                print(f"  {label + ':':16s}{modeline(FILES[name], depth, folder).rstrip()}")
        return ExitCode.OK
    by_name = schemas()
    dump(
        {
            "pack.yaml": by_name["pack.schema.json"],
            "cards/*.yaml": by_name["cards.schema.json"],
            "quizzes/*.yaml": by_name["quizzes.schema.json"],
        }
    )
    return ExitCode.OK


@progress_errors
def cmd_orphans(args) -> int:
    from studyml.content.library import discover_packs
    from studyml.srs.store import open_store, orphans

    rows = []
    listed = set()  # ids of every pack found, broken ones too (their cards are not orphans, only unreadable)
    with open_store() as store:
        for r in discover_packs():
            if r.manifest is not None:
                listed.add(r.manifest.id)
            if r.pack is not None:
                for card_id in orphans(r.pack.id, [c.id for c in r.pack.cards], store):
                    rows.append({"pack": r.pack.id, "card": card_id, "pack_missing": False})
        # A removed pack's progress is kept for a reinstall: every card of it is without a card until then.
        for pack_id in store.pack_ids():
            if pack_id not in listed:
                rows += [{"pack": pack_id, "card": c, "pack_missing": True} for c in orphans(pack_id, [], store)]
    if args.json:
        dump({"orphans": rows})
    elif not rows:
        print("no orphaned progress: every card with reviews still exists in its pack")
    else:
        for row in rows:
            note = "\t(pack not installed: `studyml pack install` it again to restore)" if row["pack_missing"] else ""
            print(f"{row['pack']}\t{row['card']}{note}")
    return ExitCode.OK


def cmd_import(args) -> int:
    from studyml.content.importchecks import ImportError_, ImportUsageError
    from studyml.content.importers import import_pack
    from studyml.content.loader import load_pack

    languages = None if args.languages is None else [c.strip() for c in args.languages.split(",") if c.strip()]
    if not args.source.is_file():
        raise CliError(f"{args.source}: no such file", ExitCode.USAGE)
    try:
        result = import_pack(
            args.source,
            args.output,
            fmt=args.format,
            lang=args.source_lang,
            languages=languages,
            pack_id=args.pack_id,
            title=args.title,
        )
    except ImportUsageError as e:  # an option's value: refused before anything was read or written
        raise CliError(str(e), ExitCode.USAGE) from None
    except ImportError_ as e:
        raise CliError(str(e), ExitCode.CHECK_FAILED) from None
    except OSError as e:
        raise CliError(f"{args.output}: {e.strerror}", ExitCode.RUN_ERROR) from None
    loaded = load_pack(args.output, known_demos=known_demo_specs())
    if args.json:
        dump({**result.to_dict(), "diagnostics": [d.to_json() for d in loaded.diagnostics]})
        return ExitCode.OK
    for line in result.skipped:
        print(f"skipped: {line}")
    for line in result.warnings:
        print(f"warning: {line}")
    missing = [d for d in loaded.errors if "missing the" in d.message]
    print(
        f"{args.output}: {count(result.added, 'card')} added, {result.updated} updated"
        + (f", {result.unchanged} unchanged" if result.unchanged else "")
        + f" from {args.source.name}"
        + (f"; pack.yaml lists {', '.join(result.languages_added)} too" if result.languages_added else "")
        + (
            f"; {count(len(missing), 'text')} still to write (see `studyml pack validate {args.output}`)"
            if missing
            else ""
        )
    )
    return ExitCode.OK


def _as_strict(diagnostics: list, strict: bool) -> list:
    """Under --strict a warning is an error: shown, counted and reported as one (not labelled "warning:")."""
    if not strict:
        return list(diagnostics)
    return [d if d.severity == "error" else dataclasses.replace(d, severity="error") for d in diagnostics]


def cmd_watch(args) -> int:
    import json

    from studyml.content.install import pack_folder_of
    from studyml.content.loader import load_pack
    from studyml.content.watch import watch

    args.folder = pack_folder_of(args.folder)
    if not args.folder.is_dir():
        what = (
            "not a folder: give the pack's folder (the one that holds pack.yaml)"
            if args.folder.exists()
            else "no such folder"
        )
        raise CliError(f"{args.folder}: {what}", ExitCode.USAGE)
    known = known_demo_specs()

    def check(changed: list[str]) -> bool:
        result = load_pack(args.folder, known_demos=known)
        bad = result.errors + (result.warnings if args.strict else [])
        counts = _counts(result)
        diags = _as_strict(result.diagnostics, args.strict)
        if args.json:
            print_json(
                json.dumps(
                    {
                        "ok": not bad,
                        "changed": changed,
                        **counts,
                        "diagnostics": [d.to_json() for d in diags],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            from datetime import datetime

            stamp = datetime.now().strftime("%H:%M:%S")
            for d in diags:
                print(d)
            what = f" after {', '.join(changed)}" if changed else ""
            verdict = "valid" if not bad else count(len(bad), "problem")
            print(
                f"[{stamp}] {args.folder}{what}: {verdict}: {count(counts['cards'], 'card')}, "
                f"{count(counts['items'], 'quiz item')}",
                flush=True,
            )
        return not bad

    ok = check([])
    if args.once:
        return ExitCode.OK if ok else ExitCode.CHECK_FAILED
    if not args.json:
        print("watching for saves (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        watch(args.folder, check)
    except KeyboardInterrupt:  # Ctrl-C is how a watch ends, as the docs say: not an error, nor exit status 130
        if not args.json:
            print("stopped watching", file=sys.stderr, flush=True)
    return ExitCode.OK


def cmd_remove(args) -> int:
    import os
    import shutil

    from studyml.content.library import discover_packs
    from studyml.srs.store import StoreError, open_store

    found = [r for r in discover_packs() if r.manifest is not None and r.manifest.id == args.pack_id]
    # The installed copy is looked for among the installed folders themselves: a package or $STUDYML_PACKS pack
    # with the same id hides it from the library, and `pack remove` must still reach it.
    installed = [folder for folder, _source, _manifest in _folders_with_id(args.pack_id, ("installed",))]
    if not found and not installed:
        raise CliError(f"no pack with id {args.pack_id!r} (see `studyml pack list`)", ExitCode.USAGE)
    if not installed:
        raise CliError(
            f"{args.pack_id} is a {found[0].source} pack, not an installed one; only packs added with "
            "`studyml pack install` can be removed",
            ExitCode.USAGE,
        )
    folder = installed[0]
    others = [r.source for r in found if r.source != "installed"]  # what the library shows once it is gone
    try:
        with open_store() as store:
            with_progress = len(store.known_card_ids(args.pack_id))
    except StoreError:
        with_progress = -1  # unknown: the progress database cannot be read (it is not touched either way)
    trash = folder.with_name(f".removed-{folder.name}-{os.getpid()}")
    try:
        os.replace(folder, trash)  # gone from the library at once, and atomically
        shutil.rmtree(trash, ignore_errors=True)
    except OSError as e:
        raise CliError(f"cannot remove {folder}: {e.strerror}", ExitCode.RUN_ERROR) from None
    if args.json:
        dump({"id": args.pack_id, "path": str(folder), "cards_with_progress": with_progress})
        return ExitCode.OK
    kept = (
        "progress could not be read; it was left as it was"
        if with_progress < 0
        else f"progress of {count(with_progress, 'card')} is kept and returns if you install it again"
        if with_progress
        else "it had no progress"
    )
    if others:  # the progress is not orphaned: the pack the library showed all along still uses it
        kept = f"the {others[0]} pack with this id stays in the library, with its progress"
    print(f"removed {args.pack_id} ({folder}); {kept}")
    return ExitCode.OK
