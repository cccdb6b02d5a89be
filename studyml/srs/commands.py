"""CLI: `studyml srs …`, `studyml stats`, `studyml export …`, `studyml import json`."""

from __future__ import annotations

import argparse
import functools
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

# fsrs' optimizer trains only on reviews on a later day than the card's previous one, in mini-batches of 512;
# with fewer it returns the defaults unchanged.
OPTIMIZER_MIN_REVIEWS = 512


def register(sub: argparse._SubParsersAction) -> None:
    srs = sub.add_parser("srs", help="spaced repetition: optimize, back up, restore, settings")
    ssub = srs.add_subparsers(dest="srs_command", metavar="SRS_COMMAND", required=True)

    p = ssub.add_parser("optimize", help="fit FSRS parameters to your review history")
    p.add_argument("--dry-run", action="store_true", help="fit and show, but keep the current parameters")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_optimize)

    p = ssub.add_parser("backup", help="back up the progress database now")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_backup)

    p = ssub.add_parser("backups", help="list backups, newest first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_backups)

    p = ssub.add_parser("restore", help="replace the progress database with a backup (the current one is kept aside)")
    p.add_argument("file", type=Path, help="a backup file (see `studyml srs backups`)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_restore)

    p = ssub.add_parser("settings", help="show or change scheduling settings")
    p.add_argument("--retention", type=float, help="desired retention, 0.70-0.99 (default 0.90)")
    p.add_argument("--new-per-day", type=int, help="new cards per pack per day")
    p.add_argument("--quiz-reviews", choices=["off", "started", "all"],
                   help="whether quiz answers review their card: off, started cards only (default) or all")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_settings)

    p = sub.add_parser("stats", help="reviews, retention, forecast, mastery and quiz accuracy")
    p.add_argument("--days", type=_positive, default=30, help="days of history to show (default 30)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

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


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


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


def _packs() -> list:
    """Installed packs, or none while the content library is unavailable."""
    try:
        from studyml.content.library import discover_packs
    except ImportError:
        return []
    return [r.pack for r in discover_packs() if r.pack is not None]


@_guard
def cmd_optimize(args: argparse.Namespace) -> int:
    from studyml.srs.scheduler import count_training_reviews, optimize

    with _store() as store:
        have = count_training_reviews(store)
        if have < OPTIMIZER_MIN_REVIEWS:
            data = {"optimized": False, "training_reviews": have, "needed": OPTIMIZER_MIN_REVIEWS}
            return _emit(args, data, f"Not enough reviews to optimize yet: {have} of {OPTIMIZER_MIN_REVIEWS} needed "
                                     f"(reviews on a later day than the card's previous review count).") or 0
        parameters = optimize(store, save=not args.dry_run)
    data = {"optimized": True, "saved": not args.dry_run, "training_reviews": have, "parameters": parameters}
    return _emit(args, data, f"Fitted FSRS parameters on {have} reviews"
                             f"{' (not saved: --dry-run)' if args.dry_run else ' and saved them'}:\n"
                             + ", ".join(f"{p:.4f}" for p in parameters))


@_guard
def cmd_backup(args: argparse.Namespace) -> int:
    from studyml.srs.backup import backup, backups_dir, thin

    with _store() as store:
        path = backup(store)
        thin(backups_dir(store.path))
    return _emit(args, {"path": str(path)}, f"Backed up to {path}")


@_guard
def cmd_backups(args: argparse.Namespace) -> int:
    from studyml.srs.backup import list_backups

    items = list_backups()
    text = "\n".join(f"{b.time:%Y-%m-%d %H:%M:%S}  {b.size // 1024:>7} KiB  {b.path}" for b in items) or "No backups yet."
    return _emit(args, [b.to_dict() for b in items], text)


@_guard
def cmd_restore(args: argparse.Namespace) -> int:
    from studyml.srs.backup import restore

    aside = restore(args.file)
    data = {"restored": str(args.file), "previous": str(aside)}
    return _emit(args, data, f"Restored {args.file}. The previous database was kept as {aside}.")


@_guard
def cmd_settings(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from studyml.srs.scheduler import Settings

    with _store() as store:
        s = Settings.load(store)
        if args.retention is not None or args.new_per_day is not None or args.quiz_reviews is not None:
            if args.retention is not None:
                s.desired_retention = args.retention
            if args.new_per_day is not None:
                s.new_per_day = args.new_per_day
            if args.quiz_reviews is not None:
                s.quiz_reviews = args.quiz_reviews
            s.save(store)
    data = asdict(s)
    return _emit(args, data, "\n".join(f"{k}: {v}" for k, v in data.items()))


@_guard
def cmd_stats(args: argparse.Namespace) -> int:
    from studyml.srs.stats import compute_stats

    packs, tags = {}, {}
    for pack in _packs():
        pid = pack.manifest.id
        packs[pid] = [c.id for c in pack.cards]
        card_tags = {c.id: list(c.tags) for c in pack.cards}
        for item in pack.items:
            tags[f"{pid}/{item.id}"] = list(item.tags) or card_tags.get(item.card, [])
    with _store() as store:
        if not packs:
            packs = None  # no content library: count what the store knows
        data = compute_stats(store, packs, tags, days=args.days)
    return _emit(args, data, format_stats(data))


def format_stats(d: dict) -> str:
    r = d["retention"]
    pct = lambda x: "—" if x is None else f"{x:.0%}"  # noqa: E731
    lines = [
        f"Reviews: {d['totals']['reviews']} total, {d['totals']['reviews_today']} today; "
        f"{d['totals']['cards_studied']} cards studied",
        f"True retention ({r['window_days']} days): {pct(r['true_retention'])} of {r['reviews']} reviews; "
        f"all time {pct(r['all_time']['true_retention'])}",
        f"Due: {d['forecast'][0]['count']} today, {d['forecast_14']} in 14 days, {d['forecast_30']} in 30 days",
        "Reviews per day: " + " ".join(str(x["count"]) for x in d["reviews_per_day"][-14:]),
    ]
    for pid, c in d["packs"].items():
        lines.append(f"  {pid}: {c['due']} due, {c['new']} new, {c['learned']}/{c['cards']} learned, "
                     f"mastery {c['mastery']:.0%}")
    q = d["quiz"]
    lines.append(f"Quiz: {q['correct']}/{q['attempts']} correct ({pct(q['accuracy'])})")
    for tag, t in q["by_tag"].items():
        lines.append(f"  {tag}: {t['correct']}/{t['attempts']} ({pct(t['accuracy'])})")
    return "\n".join(lines)


@_guard
def cmd_export_anki(args: argparse.Namespace) -> int:
    from studyml.srs.export import export_anki

    try:
        from studyml.content.library import find_pack
    except ImportError:
        raise ValueError("pack content is not available in this build") from None
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
