"""`studyml srs optimize|backup|backups|restore|settings` and `studyml stats`."""

from __future__ import annotations

import argparse
from pathlib import Path

from studyml.cli import CliError, ExitCode
from studyml.cli.common import add_json, emit, existing_file, loaded_packs, open_progress, positive_int, progress_errors
from studyml.lang import count


def register(sub: argparse._SubParsersAction) -> None:
    srs = sub.add_parser("srs", help="spaced repetition: optimize, back up, restore, settings")
    ssub = srs.add_subparsers(dest="srs_command", metavar="SRS_COMMAND", required=True)

    p = ssub.add_parser("optimize", help="fit FSRS parameters to your review history")
    p.add_argument("--dry-run", action="store_true", help="fit and show, but keep the current parameters")
    add_json(p, "print {optimized, training_reviews, needed} or {optimized, saved, training_reviews, parameters}")
    p.set_defaults(func=cmd_optimize)

    p = ssub.add_parser("backup", help="back up the progress database now")
    add_json(p, "print {path} of the new backup")
    p.set_defaults(func=cmd_backup)

    p = ssub.add_parser("backups", help="list backups, newest first")
    add_json(p, "print {backups: [{path, time, size}]}, newest first")
    p.set_defaults(func=cmd_backups)

    p = ssub.add_parser("restore", help="replace the progress database with a backup (the current one is kept aside)")
    p.add_argument("file", type=Path, help="a backup file (see `studyml srs backups`)")
    add_json(p, "print {restored, previous}")
    p.set_defaults(func=cmd_restore)

    p = ssub.add_parser(
        "reindex", help="rebuild the progress database's indexes from its tables (when a check names an index)"
    )
    add_json(p, "print {ok, check}: whether the database checks ok after")
    p.set_defaults(func=cmd_reindex)

    p = ssub.add_parser("settings", help="show or change scheduling settings")
    p.add_argument("--retention", type=float, help="desired retention, 0.70-0.99 (default 0.90)")
    p.add_argument("--new-per-day", type=int, help="new cards per pack per day (default 20)")
    p.add_argument(
        "--reviews-per-day", type=int, help="review cards per pack per day; learning cards are not held back (200)"
    )
    p.add_argument("--learning-steps", metavar="STEPS", help="a new card's steps as Anki writes them: '1m 10m'")
    p.add_argument("--relearning-steps", metavar="STEPS", help="the steps after Again on a review card: '10m'")
    p.add_argument("--maximum-interval", type=int, metavar="DAYS", help="the longest interval, in days (36500)")
    p.add_argument("--day-start-hour", type=int, metavar="HOUR", help="the hour a study day starts, 0-23 (4)")
    p.add_argument(
        "--learn-ahead", type=int, metavar="MIN", help="learning cards due within MIN minutes are shown now (20)"
    )
    p.add_argument(
        "--quiz-reviews",
        choices=["off", "started", "all"],
        help="whether quiz answers review their card: off, started cards only (default) or all",
    )
    add_json(p, "print the settings as one object")
    p.set_defaults(func=cmd_settings)

    p = sub.add_parser("stats", help="reviews, retention, forecast, mastery and quiz accuracy")
    p.add_argument("--days", type=positive_int, default=30, help="days of history to show (default 30)")
    add_json(p, "print {totals, retention, forecast, reviews_per_day, packs, quiz, ...}")
    p.set_defaults(func=cmd_stats)


@progress_errors
def cmd_optimize(args: argparse.Namespace) -> int:
    from studyml.srs.scheduler import OPTIMIZER_MIN_REVIEWS, count_training_reviews, optimize

    with open_progress() as store:
        have = count_training_reviews(store)
        if have < OPTIMIZER_MIN_REVIEWS:
            data: dict[str, object] = {"optimized": False, "training_reviews": have, "needed": OPTIMIZER_MIN_REVIEWS}
            return emit(
                args,
                data,
                f"Not enough reviews to optimize yet: {have} of {OPTIMIZER_MIN_REVIEWS} needed "
                f"(reviews on a later day than the card's previous review count).",
            )
        parameters = optimize(store, save=not args.dry_run)
    data = {"optimized": True, "saved": not args.dry_run, "training_reviews": have, "parameters": parameters}
    return emit(
        args,
        data,
        f"Fitted FSRS parameters on {count(have, 'review')}"
        f"{' (not saved: --dry-run)' if args.dry_run else ' and saved them'}:\n"
        + ", ".join(f"{p:.4f}" for p in parameters),
    )


@progress_errors
def cmd_backup(args: argparse.Namespace) -> int:
    from studyml.srs.backup import backup, backups_dir, thin

    with open_progress() as store:
        path = backup(store)
        thin(backups_dir(store.path))
    return emit(args, {"path": str(path)}, f"Backed up to {path}")


@progress_errors
def cmd_reindex(args: argparse.Namespace) -> int:
    from studyml.srs.backup import reindex

    with open_progress() as store:
        verdict = reindex(store)
    if verdict != "ok":
        raise CliError(
            f"the indexes were rebuilt, and the database still fails its check ({verdict}): restore a backup with "
            "`studyml srs restore FILE` (list them with `studyml srs backups`)",
            ExitCode.RUN_ERROR,
        )
    return emit(args, {"ok": True, "check": verdict}, "Rebuilt the indexes: the progress database checks ok.")


@progress_errors
def cmd_backups(args: argparse.Namespace) -> int:
    from studyml.srs.backup import list_backups

    items = list_backups()
    text = (
        "\n".join(f"{b.time:%Y-%m-%d %H:%M:%S}  {b.size // 1024:>7} KiB  {b.path}" for b in items) or "No backups yet."
    )
    return emit(args, {"backups": [b.to_dict() for b in items]}, text)


@progress_errors
def cmd_restore(args: argparse.Namespace) -> int:
    from studyml.srs.backup import restore

    aside = restore(existing_file(args.file, "backup"))
    data = {"restored": str(args.file), "previous": str(aside) if aside else None}
    return emit(
        args, data, f"Restored {args.file}." + (f" The previous database was kept as {aside}." if aside else "")
    )


@progress_errors
def cmd_settings(args: argparse.Namespace) -> int:
    from dataclasses import asdict, replace

    from studyml.srs.scheduler import Settings, format_steps, parse_steps

    changes = {
        name: value
        for name, value in (
            ("desired_retention", args.retention),
            ("new_per_day", args.new_per_day),
            ("reviews_per_day", args.reviews_per_day),
            ("maximum_interval", args.maximum_interval),
            ("day_start_hour", args.day_start_hour),
            ("learn_ahead_min", args.learn_ahead),
            ("quiz_reviews", args.quiz_reviews),
        )
        if value is not None
    }
    for name, typed in (("learning_steps_s", args.learning_steps), ("relearning_steps_s", args.relearning_steps)):
        if typed is not None:
            changes[name] = parse_steps(typed, name)  # a SettingError is a usage error, said before anything opens
    with open_progress() as store:
        s = Settings.load(store)
        if changes:
            s = replace(s, **changes)
            s.save(store)
    data = asdict(s)
    lines = []
    for k, v in data.items():
        if k.endswith("steps_s"):  # as the options write them, the library's own included (null in JSON: never set)
            k, v = k.removesuffix("_s"), format_steps(s.steps_s(k)) or "(none)"
        lines.append(f"{k}: {v}")
    return emit(args, data, "\n".join(lines))


@progress_errors
def cmd_stats(args: argparse.Namespace) -> int:
    from studyml.srs.stats import compute_stats, content_inputs

    loaded = loaded_packs()
    packs, tags = content_inputs(loaded)
    with open_progress() as store:
        data = compute_stats(store, packs, tags, days=args.days)
    from studyml.tui.tagnames import names_by_pack

    names = names_by_pack(loaded)
    if args.json or (args.lang or "en") != "ko":
        return emit(args, data, format_stats(data, names))
    return emit(args, data, _format_stats_ko(data, names))


def format_stats(d: dict, tag_names: dict | None = None) -> str:
    r = d["retention"]
    pct = lambda x: "—" if x is None else f"{x:.0%}"  # noqa: E731
    lines = [
        f"Reviews: {d['totals']['reviews']} total, {d['totals']['reviews_today']} today; "
        f"{count(d['totals']['cards_studied'], 'card')} studied",
        f"True retention ({count(r['window_days'], 'day')}): {pct(r['true_retention'])} of "
        f"{count(r['reviews'], 'review')}; "
        f"all time {pct(r['all_time']['true_retention'])}",
        f"Due: {d['forecast'][0]['count']} today, {d['forecast_14']} in 14 days, {d['forecast_30']} in 30 days",
        "Reviews per day: " + " ".join(str(x["count"]) for x in d["reviews_per_day"][-14:]),
    ]
    for pid, c in d["packs"].items():
        lines.append(
            f"  {pid}: {c['due']} due, {c['new']} new, {c['learned']}/{c['cards']} learned, mastery {c['mastery']:.0%}"
        )
    q = d["quiz"]
    lines.append(f"Quiz: {q['correct']}/{q['attempts']} correct ({pct(q['accuracy'])})")
    for tag, t in q["by_tag"].items():
        name = _tag_name(tag, t, "en", tag_names or {})
        lines.append(f"  {name}: {t['correct']}/{t['attempts']} ({pct(t['accuracy'])})")
    return "\n".join(lines)


def _tag_name(tag: str, counted: dict, lang: str, tag_names: dict) -> str:
    """A tag of the quiz accuracy by the names the packs its answers came from give it (the app's words)."""
    from studyml.srs.stats import UNTAGGED
    from studyml.tui.i18n import tr
    from studyml.tui.tagnames import counted_tag_label

    if tag == UNTAGGED:
        return tr("stats.untagged", lang)
    return counted_tag_label(tag, lang, tag_names, counted.get("packs", []))


def _format_stats_ko(d: dict, tag_names: dict) -> str:
    """The same report in Korean, in the words of the app's statistics screen (its summary and the packs' tag
    names)."""
    from studyml.tui.i18n import tr
    from studyml.tui.stats_text import pct, summary_lines

    totals, retention, due, quiz = summary_lines(d, "ko")
    days = d["reviews_per_day"][-14:]
    lines = [
        totals,
        retention,
        due,
        tr("stats.per_day", "ko", days=len(days)) + ": " + " ".join(str(x["count"]) for x in days),
    ]
    for pid, c in d["packs"].items():
        lines.append(
            f"  {pid}: 복습 예정 {c['due']}장, 새 카드 {c['new']}장, 학습 {c['learned']}/{c['cards']}장, "
            f"숙련도 {c['mastery']:.0%}"
        )
    lines.append(quiz)
    for tag, t in d["quiz"]["by_tag"].items():
        name = _tag_name(tag, t, "ko", tag_names)
        lines.append(f"  {name}: {t['attempts']}문항 중 {t['correct']}개 정답 ({pct(t['accuracy'])})")
    return "\n".join(lines)
