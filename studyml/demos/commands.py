"""`studyml demo list|info|run` and `studyml verify`; nothing heavy is imported at registration."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="list, describe and run verified demos",
                          description="List, describe and run demo plugins.")
    actions = demo.add_subparsers(dest="demo_command", metavar="ACTION", required=True)

    p = actions.add_parser("list", help="list every demo plugin")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_list)

    p = actions.add_parser("info", help="a demo's parameters and claims")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_info)

    p = actions.add_parser("run", help="run a demo and check its claims",
                           description="Run a demo in a worker process. Progress goes to stderr, the result to "
                                       "stdout. Exit 0: every claim holds; 1: a claim failed; 2: error or timeout.")
    p.add_argument("id", metavar="ID")
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                   help="set a parameter (repeatable); see `studyml demo info ID`")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--timeout", type=_positive, default=120.0, metavar="S", help="wall-clock limit (default 120)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default 0)")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="torch device (default cpu)")
    p.set_defaults(func=cmd_run)

    v = sub.add_parser("verify", help="run every demo and every demo-linked quiz check",
                       description="Run each demo with its defaults and check every quiz answer key that names a "
                                   "demo. Exits non-zero on any failure.")
    v.add_argument("ids", nargs="*", metavar="ID", help="only these demos (and quiz items linked to them)")
    v.add_argument("--json", action="store_true", help="machine-readable output")
    v.add_argument("--timeout", type=_positive, default=None, metavar="S",
                   help="per-demo limit (default: 6x the demo's expected time, at least 30 s)")
    v.add_argument("--seeds", type=int, default=50, metavar="N",
                   help="draws of each quiz template checked against its plugin check (default 50)")
    v.set_defaults(func=cmd_verify)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or "en"


def _dump(obj: Any, compact: bool = False) -> None:
    from studyml.demos.protocol import json_safe

    print(json.dumps(json_safe(obj), ensure_ascii=False, indent=None if compact else 2))


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_list(args: argparse.Namespace) -> int:
    from studyml.demos import render
    from studyml.demos.discovery import discover
    from studyml.demos.runner import plugin_listing

    reg = discover()
    listing = plugin_listing(reg)
    if args.json:
        _dump({"plugins": listing, "problems": reg.problems})
    else:
        lang = _lang(args)
        rows = [[m["id"], render.tr(m.get("title"), lang)[:48], f"~{m['expected_seconds']:g} s"
                 if "expected_seconds" in m else "", m["status"], _short_source(m)] for m in listing]
        render.table(["ID", "TITLE", "TIME", "STATUS", "SOURCE"], rows, sys.stdout)
    for problem in reg.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 0


def _short_source(m: dict[str, Any]) -> str:
    return {"builtin": "built-in", "user": "data dir", "entry_point": "entry point"}.get(m.get("origin", ""), "")


def cmd_info(args: argparse.Namespace) -> int:
    from studyml.demos import render
    from studyml.demos.discovery import discover
    from studyml.demos.params import describe_params

    try:
        info = discover().get(args.id)
    except LookupError as e:
        return _error(str(e))
    meta = info.plugin.metadata() | {"source": info.source, "parameters": describe_params(info.plugin)}
    if args.json:
        _dump(meta)
        return 0
    lang, out = _lang(args), sys.stdout
    print(f"{info.id} — {render.tr(meta['title'], lang)}\n{render.tr(meta['summary'], lang)}\n", file=out)
    print(f"source: {info.source}\nexpected time: ~{meta['expected_seconds']:g} s   plugin API: "
          f"{meta['api_version']}", file=out)
    if meta["parameters"]:
        print("\nParameters (set with --param NAME=VALUE)", file=out)
        render.table(["NAME", "DEFAULT", "ALLOWED", "DESCRIPTION"],
                     [[p["name"], "(required)" if p["required"] else p["default"], p["bounds"], p["description"]]
                      for p in meta["parameters"]], out, "  ")
    if meta["claims"]:
        print("\nClaims", file=out)
        for c in meta["claims"]:
            print(f"  {c['id']}: {render.tr(c['text'], lang)}", file=out)
    if meta.get("checks"):
        print("\nTemplate checks (name one in a quiz template as `check: {plugin: ID, id: CHECK}`)", file=out)
        for c in meta["checks"]:
            print(f"  {c['id']}: {render.tr(c['text'], lang)}", file=out)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from studyml.demos import render
    from studyml.demos.discovery import discover
    from studyml.demos.params import ParamError, parse_params
    from studyml.demos.runner import DemoRunner

    reg = discover()
    try:
        info = reg.get(args.id)
        params = parse_params(info.plugin, args.param).model_dump(mode="json")
    except (LookupError, ParamError) as e:
        if args.json:
            kind = "incompatible" if args.id in reg.incompatible else "usage"
            _dump({"plugin_id": args.id, "ok": False, "passed": False, "error": {"kind": kind, "message": str(e)}})
        return _error(str(e).strip("'\""))
    lang = _lang(args)
    progress = render.Progress()
    with DemoRunner(registry=reg, keep_warm=False) as runner:
        res = runner.run(info.id, params, seed=args.seed, timeout=args.timeout, device=args.device, lang=lang,
                         on_event=progress)
    progress.end()
    if args.json:
        _dump(res.to_json(), compact=True)  # series can hold thousands of points
    elif res.ok:
        render.result(res, render.tr(info.plugin.title, lang), lang)
    if res.error:
        err = res.error
        if err.get("traceback") and not args.json:
            print(err["traceback"].rstrip(), file=sys.stderr)
        print(f"error ({err['kind']}): {err['message']}", file=sys.stderr)
    return res.exit_code


def cmd_verify(args: argparse.Namespace) -> int:
    from studyml.demos.verify import verify

    return verify(args.ids, as_json=args.json, timeout=args.timeout, seeds=max(1, args.seeds))
