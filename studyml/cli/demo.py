"""`studyml demo list|info|run`: nothing heavy is imported at registration."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studyml.cli import CliError, ExitCode
from studyml.cli.common import add_json, dump, get_demo, message, positive_float, seed_int
from studyml.lang import pick, seconds, terminal_text


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser(
        "demo", help="list, describe and run verified demos", description="List, describe and run demo plugins."
    )
    actions = demo.add_subparsers(dest="demo_command", metavar="ACTION", required=True)

    p = actions.add_parser("list", help="list every demo plugin")
    add_json(p, "print {plugins: [{id, title, status, origin, ...}], problems: [...]}")
    p.set_defaults(func=cmd_list)

    p = actions.add_parser("info", help="a demo's parameters and claims")
    p.add_argument("id", metavar="ID", help="a demo id (see `studyml demo list`)")
    add_json(p, "print the demo's metadata, parameters and claims as one object")
    p.set_defaults(func=cmd_info)

    p = actions.add_parser(
        "run",
        help="run a demo and check its claims",
        description="Run a demo in a worker process. Progress goes to stderr, the result to "
        "stdout. Exit 0: every claim holds; 1: a claim failed; 2: unknown demo or bad "
        "parameter; 3: the run failed (error, timeout, crash).",
    )
    p.add_argument("id", metavar="ID", help="a demo id (see `studyml demo list`)")
    p.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a parameter (repeatable); see `studyml demo info ID`",
    )
    add_json(p, "print the run's result (params, metrics, claims, series, error) as one object")
    p.add_argument("--timeout", type=positive_float, default=120.0, metavar="S", help="wall-clock limit (default 120)")
    p.add_argument("--seed", type=seed_int, default=0, metavar="N", help="random seed (default 0)")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="torch device (default cpu)")
    p.set_defaults(func=cmd_run)

    p = actions.add_parser(
        "new",
        help="write a demo plugin package to start from",
        description="Write a plugin package into DIR: pyproject.toml with the studyml.plugins "
        "entry point, a demo with two claims, declared metrics and a plot, and a "
        "pytest test. Install it with `pip install -e DIR`.",
    )
    p.add_argument("dir", metavar="DIR", type=Path, help="a new or empty folder")
    p.add_argument("--id", help="the plugin id (default: from the folder's name)")
    add_json(p, "print {id, package, module, path} of the created plugin")
    p.set_defaults(func=cmd_new)


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or "en"


def cmd_list(args: argparse.Namespace) -> int:
    from studyml.demos import render
    from studyml.demos.discovery import discover
    from studyml.demos.runner import plugin_listing

    reg = discover()
    listing = plugin_listing(reg)
    if args.json:
        dump({"plugins": listing, "problems": reg.problems})
    else:
        lang = _lang(args)
        rows = [
            [
                m["id"],
                pick(m.get("title"), lang)[:48],
                f"~{seconds(m['default_seconds'])} s" if "default_seconds" in m else "",
                m["status"],
                _short_source(m),
            ]
            for m in listing
        ]
        render.table(["ID", "TITLE", "TIME", "STATUS", "SOURCE"], rows, sys.stdout)
    for problem in reg.problems:
        print(f"studyml: warning: {problem}", file=sys.stderr)
    return ExitCode.OK


def _short_source(m: dict[str, Any]) -> str:
    return {"builtin": "built-in", "user": "data dir", "entry_point": "entry point"}.get(m.get("origin", ""), "")


def cmd_info(args: argparse.Namespace) -> int:
    from studyml.demos import render
    from studyml.demos.discovery import discover
    from studyml.demos.params import describe_params

    info = get_demo(discover(), args.id)
    meta = info.plugin.metadata() | {"source": info.source, "parameters": describe_params(info.plugin)}
    if args.json:
        dump(meta)
        return ExitCode.OK
    lang, out = _lang(args), sys.stdout
    print(f"{info.id} — {pick(meta['title'], lang)}\n{pick(meta['summary'], lang)}\n", file=out)
    formula = f" (estimate: {meta['estimate']} s)" if meta.get("estimate") else ""
    print(
        f"source: {info.source}\nexpected time with defaults: ~{seconds(info.plugin.default_seconds)} s{formula}   plugin API: "
        f"{meta['api_version']}",
        file=out,
    )
    if meta["parameters"]:
        print("\nParameters (set with --param NAME=VALUE)", file=out)
        render.table(
            ["NAME", "DEFAULT", "ALLOWED", "DESCRIPTION"],
            [
                [
                    p["name"],
                    "(required)" if p["required"] else p["default"],
                    p["bounds"],
                    p.get("descriptions", {}).get(lang) or p["description"],  # description_ko, for --lang ko
                ]
                for p in meta["parameters"]
            ],
            out,
            "  ",
        )
    if meta["claims"]:
        print("\nClaims", file=out)
        for c in meta["claims"]:
            print(f"  {c['id']}: {pick(c['text'], lang)}", file=out)
    if meta.get("metrics"):
        print("\nMetrics (name one in a quiz item as `verify: {metric: ID}`)", file=out)
        render.table(
            ["ID", "LABEL", "UNIT"],
            [[m["id"], pick(m["label"], lang), _unit(m.get("unit"), lang)] for m in meta["metrics"]],
            out,
            "  ",
        )
    if meta.get("plots"):
        print("\nPlots", file=out)
        for panel in meta["plots"]:
            log = ", log scale" if panel.get("log_y") else ""
            print(
                f"  {panel['id']}: {pick(panel['title'], lang)} ({pick(panel['x'], lang)} → "
                f"{pick(panel['y'], lang)}{log})",
                file=out,
            )
            for sid, label in panel["series"].items():
                print(f"    {sid}: {pick(label, lang)}", file=out)
            for family in panel.get("families") or []:  # series named after parameter values (API 1.2)
                print(f"    {family['pattern']} (a series per value): {pick(family['label'], lang)}", file=out)
    if meta.get("checks"):
        print("\nTemplate checks (name one in a quiz template as `check: {plugin: ID, id: CHECK}`)", file=out)
        for c in meta["checks"]:
            print(f"  {c['id']}: {pick(c['text'], lang)}", file=out)
    return ExitCode.OK


def cmd_new(args: argparse.Namespace) -> int:
    import shlex

    from studyml.demos.discovery import discover
    from studyml.demos.scaffold import ScaffoldError, plugin_id_for, scaffold

    try:
        wanted = args.id or plugin_id_for(Path(args.dir))
        taken = discover().plugins.get(wanted)
        if taken is not None:  # installed next to it, both would be refused as duplicates
            raise ScaffoldError(f"a plugin with id {wanted!r} exists already ({taken.source}); choose another --id")
        made = scaffold(args.dir, args.id)
    except ScaffoldError as e:
        raise CliError(str(e), ExitCode.USAGE) from None
    if args.json:
        dump(made)
        return ExitCode.OK
    print(
        f"created plugin {made['id']!r} in {made['path']}: install it with `pip install -e {shlex.quote(str(made['path']))}`, then "
        f"`studyml demo run {made['id']}` and `studyml verify {made['id']}`"
    )
    return ExitCode.OK


def _unit(unit: Any, lang: str) -> str:
    return pick(unit, lang) if isinstance(unit, dict) else str(unit or "")


def cmd_run(args: argparse.Namespace) -> int:
    from studyml.demos import render
    from studyml.demos.discovery import discover
    from studyml.demos.params import ParamError, parse_params
    from studyml.demos.runner import DemoError, DemoRunner

    reg = discover()
    runner = DemoRunner(registry=reg, keep_warm=False)
    try:
        try:
            info = get_demo(reg, args.id)
            params = parse_params(info.plugin, args.param).model_dump(mode="json")
            # The plugin's own checks across fields run in the worker, which then runs the demo.
            problems = runner.validate_params(info.id, params)
            if problems:
                raise ParamError(f"invalid parameters for demo {info.id!r}:\n  " + "\n  ".join(problems))
        except (CliError, ParamError, DemoError) as e:
            cannot_run = isinstance(e, DemoError) or reg.broken_named(args.id) is not None
            if isinstance(e, CliError):
                error = e
            else:
                error = CliError(message(e), ExitCode.RUN_ERROR if cannot_run else ExitCode.USAGE)
            if args.json:  # the result object a run prints, with the reason it did not start
                if args.id in reg.incompatible:
                    kind = "incompatible"
                elif args.id in reg.duplicates:
                    kind = "duplicate"
                else:
                    kind = "broken" if cannot_run else "usage"
                dump(
                    {
                        "plugin_id": args.id,
                        "ok": False,
                        "passed": False,
                        "error": error.message,  # as every command's failure says it (README)
                        "error_kind": kind,
                        "exit_code": int(error.code),
                    }
                )
            raise error from None
        lang = _lang(args)
        progress = render.Progress()
        res = runner.run(
            info.id, params, seed=args.seed, timeout=args.timeout, device=args.device, lang=lang, on_event=progress
        )
    finally:
        runner.close()
    progress.end()
    if args.json:
        out = res.to_json()
        if res.error:  # a run that started and failed: its error is an object (kind, message, traceback)
            out["exit_code"] = int(ExitCode.RUN_ERROR)
        dump(out, compact=True)  # series can hold thousands of points
    elif res.ok:
        render.result(res, pick(info.plugin.title, lang), lang)
    if res.error:
        err = res.error
        # A crash's traceback is the worker's last output, already printed line by line as it came.
        if err.get("traceback") and not args.json and err["kind"] != "crash":
            print(terminal_text(err["traceback"].rstrip()), file=sys.stderr)
        said = f"the demo did not finish ({err['kind']}): {terminal_text(err['message'])}"
        if err["kind"] == "timeout":  # what to do: the app cannot give a run longer, the command line can
            import math

            from studyml.demos.runner import DEFAULT_TIMEOUT

            longer = math.ceil(2 * (args.timeout or DEFAULT_TIMEOUT))
            said += f". Smaller values run faster, or give it longer: --timeout {longer}"
        raise CliError(said, ExitCode.RUN_ERROR)
    return ExitCode.OK if res.passed else ExitCode.CHECK_FAILED
