"""`studyml verify`: run every demo with its defaults and check every demo-linked quiz answer key."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from studyml.cli import CliError, ExitCode
from studyml.cli.common import add_json, message, positive_float, positive_int, print_json, say

if TYPE_CHECKING:  # imported when the command runs: registering it must stay cheap
    from studyml.demos.discovery import Registry
    from studyml.demos.runner import DemoRunner, RunResult


def register(sub) -> None:
    v = sub.add_parser(
        "verify",
        help="run every demo and every demo-linked quiz check",
        description="Run each demo with its defaults and check every quiz answer key that names a "
        "demo. Exits non-zero on any failure.",
    )
    v.add_argument("ids", nargs="*", metavar="ID", help="only these demos (and quiz items linked to them)")
    add_json(v, "print {passed, seconds, checks: [{check, passed, seconds, detail}]}")
    v.add_argument(
        "--timeout",
        type=positive_float,
        default=None,
        metavar="S",
        help="per-demo limit (default: 6x the demo's expected time, at least 30 s)",
    )
    v.add_argument(
        "--seeds",
        type=positive_int,
        default=50,
        metavar="N",
        help="draws of each quiz template checked against its plugin check (default 50)",
    )
    v.set_defaults(func=cmd_verify)


def cmd_verify(args) -> int:
    return verify(args.ids, as_json=args.json, timeout=args.timeout, seeds=args.seeds)


@dataclass
class Check:
    """One row of the verify table."""

    check: str  # "demo:<id>", "quiz:<pack>/<item>" or "plugins"
    passed: bool
    seconds: float = 0.0
    detail: str = ""


def verify(ids: list[str], *, as_json: bool = False, timeout: float | None = None, seeds: int = 50) -> int:
    """Run the checks, print the table (or JSON) to stdout and progress to stderr; OK when all pass."""
    from studyml.demos import render
    from studyml.demos.discovery import broken_message, discover
    from studyml.demos.runner import DemoRunner

    start = time.monotonic()
    reg = discover()
    # A plugin that cannot be loaded fails its check, as one that loads and then cannot run does (exit 1).
    broken = {i: b for i in ids if i not in reg.plugins and (b := reg.broken_named(i)) is not None}
    unknown = [
        i
        for i in ids
        if i not in reg.plugins and i not in reg.incompatible and i not in reg.duplicates and i not in broken
    ]
    if unknown:
        raise CliError(reg.unknown_message(*unknown), ExitCode.USAGE)
    checks: list[Check] = [Check(f"demo:{i}", False, detail=broken_message(i, b)) for i, b in broken.items()]
    if not ids:
        checks += [Check("plugins", False, detail=p) for p in reg.problems]
    wanted = [i for i in ids if i not in broken] or ([] if ids else sorted(reg.plugins))
    items, pack_problems, templates = _quiz_items(reg, set(ids))
    if not ids:
        checks += [Check("packs", False, detail=p) for p in pack_problems]
    total = len(wanted) + len(items)
    cache: dict[str, RunResult | str] = {}
    runs = len({_key(d, {}) for d in wanted} | {_key(i.verify.demo, i.verify.params or {}) for _, i in items})
    # A warm worker costs one torch import; it pays off from the third run, and the last run needs no spare.
    with DemoRunner(registry=reg, overlap_warm=True, keep_warm=runs >= 3) as runner:
        if runner.keep_warm:
            runner.start_warm()
        for n, demo_id in enumerate(wanted, 1):
            say(f"[{n}/{total}] demo {demo_id}")
            checks.append(_demo_check(demo_id, *_run(runner, reg, cache, runs, demo_id, {}, timeout)))
            say(f"        {_mark(checks[-1])}")
        for n, (pack_id, item) in enumerate(items, len(wanted) + 1):
            say(f"[{n}/{total}] quiz {pack_id}/{item.id} -> {item.verify.demo}")
            res, seconds = _run(runner, reg, cache, runs, item.verify.demo, dict(item.verify.params or {}), timeout)
            declared = reg.plugins[d].plugin.metrics if (d := item.verify.demo) in reg.plugins else []
            checks.append(_quiz_check(pack_id, item, res, seconds, [m.get("id") for m in declared]))
            say(f"        {_mark(checks[-1])}")
        if templates:
            from studyml.cli.verify_templates import template_checks

            for row in template_checks(runner, reg, templates, seeds, say):
                checks.append(row)
                say(f"        {_mark(checks[-1])}")
    passed = all(c.passed for c in checks)
    elapsed = time.monotonic() - start
    if as_json:
        print_json(
            json.dumps(
                {"passed": passed, "seconds": round(elapsed, 2), "checks": [asdict(c) for c in checks]},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        render.table(
            ["CHECK", "RESULT", "TIME", "DETAIL"],
            [[c.check, "pass" if c.passed else "FAIL", f"{c.seconds:.1f}s", c.detail] for c in checks],
            sys.stdout,
        )
        failed = sum(not c.passed for c in checks)
        print(f"\n{len(checks) - failed}/{len(checks)} checks passed in {elapsed:.1f} s")
    return ExitCode.OK if passed else ExitCode.CHECK_FAILED


def _mark(c: Check) -> str:
    return f"{'✓' if c.passed else '✗'} {c.seconds:.1f} s{'  ' + c.detail if c.detail and not c.passed else ''}"


def _key(demo_id: str, params: dict[str, Any]) -> str:
    return json.dumps([demo_id, dict(params)], sort_keys=True)


def _run(
    runner: DemoRunner,
    reg: Registry,
    cache: dict,
    runs: int,
    demo_id: str,
    params: dict[str, Any],
    timeout: float | None,
) -> tuple[RunResult | str, float]:
    """Run (or reuse, taking 0 s) one demo; a string is the error of a run that could not start."""
    from studyml.demos.params import ParamError
    from studyml.demos.runner import DemoError

    key = _key(demo_id, params)
    if key in cache:
        return cache[key], 0.0
    if len(cache) + 1 == runs:
        runner.keep_warm = False
    try:
        info = reg.get(demo_id)
        limit = timeout or max(30.0, 6 * info.plugin.default_seconds)
        cache[key] = runner.run(demo_id, params, timeout=limit)
    except (LookupError, DemoError, ParamError) as e:
        cache[key] = message(e)
    return cache[key], getattr(cache[key], "wall_seconds", 0.0)


def _demo_check(demo_id: str, res: RunResult | str, seconds: float) -> Check:
    from studyml.demos import render

    if isinstance(res, str):
        return Check(f"demo:{demo_id}", False, detail=res)
    if not res.ok:
        return Check(f"demo:{demo_id}", False, seconds, _failure(res))
    failed = [c for c in res.claims if not c.get("passed")]
    detail = "; ".join(
        f"{c['id']} failed ({render.fmt(c.get('observed') or {})} vs {render.fmt(c.get('threshold'))})"
        if c.get("detail") != "not evaluated"
        else f"{c['id']} not evaluated"
        for c in failed
    )
    n = len(res.claims)
    return Check(f"demo:{demo_id}", not failed, seconds, detail or (f"{n} claims hold" if n != 1 else "1 claim holds"))


def _failure(res: RunResult) -> str:
    """Why a run is not ok: its error event (a run that ended without a result has one)."""
    error = res.error or {"kind": "no result", "message": "the demo ended without a result"}
    return f"{error['kind']}: {error['message']}"


def _quiz_check(pack_id: str, item: Any, res: RunResult | str, seconds: float, declared: list | None = None) -> Check:
    """The check of one item against its demo's run; `declared`: the metric ids the demo's metadata lists."""
    from studyml.demos import render

    name, v = f"quiz:{pack_id}/{item.id}", item.verify
    if isinstance(res, str):
        return Check(name, False, detail=res)
    if not res.ok:
        return Check(name, False, seconds, f"demo {v.demo}: {_failure(res)}")
    if v.claim:
        claim = next((c for c in res.claims if c["id"] == v.claim), None)
        if claim is None:
            return Check(name, False, seconds, f"demo {v.demo} has no claim {v.claim!r}")
        said = f"claim {v.claim} {'holds' if claim['passed'] else 'fails'}"
        if claim.get("observed") or claim.get("threshold") is not None:  # the numbers that decided it
            said += (
                f" (observed {render.fmt(claim.get('observed') or {})}, threshold {render.fmt(claim.get('threshold'))})"
            )
        return Check(name, bool(claim["passed"]), seconds, said)
    value = res.metrics.get(v.metric)
    if value is None:
        reported = ", ".join(res.metrics) or "none"
        params = f" with {render.fmt(v.params)}" if v.params else " with its defaults"
        if v.metric in (declared or []):  # declared, and not reported by this run: the plugin's slip, not the pack's
            said = f"demo {v.demo} declares metric {v.metric!r}, but its run{params} did not report it (it reported: {reported})"
        else:
            said = f"demo {v.demo} has no metric {v.metric!r} (it reported: {reported})"
        return Check(name, False, seconds, said)
    answer, tol = getattr(item, "answer", None), getattr(item, "tolerance", None)
    if not isinstance(answer, (int, float)) or tol is None:
        return Check(name, False, seconds, "a metric check needs a numeric item (answer and tolerance)")
    from studyml.quiz.tolerance import Tolerance

    tolerance = Tolerance.of(tol)
    allowed, ok = float(tolerance.allowed(answer)), tolerance.allows(float(value), answer)
    return Check(name, ok, seconds, f"{v.metric}={value:.6g}, answer {answer:g} ± {allowed:.3g}")


def _quiz_items(reg: Registry, only: set[str]) -> tuple[list[tuple[str, Any]], list[str], list[tuple[str, Any]]]:
    """(pack id, item) for every quiz item with `verify`, packs that failed to load, and every template
    (only those whose check a wanted plugin provides, when `only` names plugins)."""
    from studyml.content.library import discover_packs

    items, problems, templates = [], [], []
    for result in discover_packs(known_demos=set(reg.plugins) | set(reg.incompatible)):
        pack = result.pack
        if pack is None:
            where = result.manifest.id if result.manifest else str(result.path)
            errors = result.errors
            first = f": {errors[0]}" + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "") if errors else ""
            problems.append(f"pack {where} failed to load{first}; see `studyml pack validate`")
            continue
        for item in pack.items:
            if getattr(item, "verify", None) is not None and (not only or item.verify.demo in only):
                items.append((pack.manifest.id, item))
            if getattr(item, "params", None) and (not only or (item.check and item.check.plugin in only)):
                templates.append((pack.manifest.id, item))
    return items, problems, templates
