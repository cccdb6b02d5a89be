"""`studyml verify` for quiz templates: every draw renders, stays in bounds and agrees with its check."""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Callable
from typing import Any

from studyml.cli.common import message
from studyml.quiz.mathparse import MathError, evaluate, parse
from studyml.quiz.template import PLACEHOLDER, TemplateError, instantiate, key_of, within_bounds
from studyml.quiz.tolerance import Tolerance

DEFAULT_SEEDS = 50
EXPR_POINTS = 3
CHOICE_RTOL = 0.01  # choices show 4 significant digits; checks may measure (1e6 samples: ~0.3%)
CLOSE_RTOL = 1e-6


def seeds(n: int) -> list[int]:
    """The draws verify checks: seeds 1..n, so a failure is reproduced with `studyml quiz show --seed`."""
    return list(range(1, n + 1))


def check_template(call: Callable[..., list[dict]], reg, item, n_seeds: int) -> tuple[bool, str]:
    """(passed, detail) for one template; `call(locator, check, draws)` runs the plugin check in the worker."""
    variants = []
    for seed in seeds(n_seeds):
        try:
            v = instantiate(item, seed)
            key_of(item, v.values)
        except TemplateError as e:
            return False, f"seed {seed}: {'.'.join(map(str, e.path))}: {e.message}"
        bad = within_bounds(item, v.values) + _render_problems(item, v)
        if bad:
            return False, f"seed {seed}: {bad[0]}"
        variants.append(v)
    if item.check is None:
        return False, "no `check`: name a plugin check that computes the key another way"
    try:
        info = reg.get(item.check.plugin)
        info.plugin.check(item.check.id)
    except LookupError as e:
        return False, message(e)
    draws, owners = [], []
    for v in variants:
        for point in _points(item, v.seed):
            draws.append({**v.values, **point})
            owners.append((v, point))
    results = call(info.locator, item.check.id, draws)
    for (v, point), res in zip(owners, results):
        if "error" in res:
            return False, f"seed {v.seed}: the check raised {res['error']}"
        problem = _compare(item, v, point, res["value"])
        if problem:
            return False, f"seed {v.seed}: {problem} (values: {_shown(v.values)})"
    return True, f"{len(variants)} draws agree with {item.check.plugin}/{item.check.id}"


def _shown(values: dict) -> str:
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in values.items())


def _points(item, seed: int) -> list[dict[str, float]]:
    if item.kind != "expr" or not item.symbols:
        return [{}]
    rng = random.Random(seed)
    return [{s: round(rng.uniform(0.1, 4.0), 3) for s in item.symbols} for _ in range(EXPR_POINTS)]


def _render_problems(item, v) -> list[str]:
    out = []
    for field in ("prompt", "explanation"):
        for lang, text in getattr(v.item, field).items():
            left = [m.group(1) for m in PLACEHOLDER.finditer(text) if m.group(1) in v.values]
            if left or not text.strip():
                out.append(f"the {field} in {lang!r} did not render ({left or 'empty'})")
    for key, text in (getattr(v.item, "choices", None) or {}).items():
        if not all(t.strip() for t in text.values()):
            out.append(f"choice {key} renders empty")
    if item.kind in ("choice", "multi"):
        shown = [t.get("en") or next(iter(t.values())) for t in v.item.choices.values()]
        if len(set(shown)) != len(shown):
            out.append(f"two choices read the same: {shown}")
    return out


def _close(a: float, b: float, rtol: float) -> bool:
    return math.isclose(a, b, rel_tol=rtol, abs_tol=1e-9)


def _choice_number(text: str) -> float | None:
    from studyml.quiz.grading import read_number

    try:
        return float(read_number(re.sub(r"[$\\{}]", "", text).replace("×10^", "e")))
    except ValueError:
        return None


def _compare(item, v, point: dict, got: Any) -> str | None:
    kind = item.kind
    if kind == "numeric":
        key = v.item.answer
        if Tolerance.of(v.item.tolerance).allows(float(got), key) or _close(float(got), key, CLOSE_RTOL):
            return None
        return f"key {key:.6g} but the check computes {float(got):.6g}"
    if kind == "expr":
        try:
            key = evaluate(parse(v.item.answer, list(item.symbols)), point)
        except (MathError, ValueError) as e:
            return f"the key {v.item.answer!r} cannot be evaluated at {point}: {e}"
        if _close(key, float(got), CLOSE_RTOL):
            return None
        return f"key {v.item.answer} is {key:.6g} at {_shown(point)} but the check computes {float(got):.6g}"
    if kind == "order":
        key = key_of(item, v.values)
        if len(got) == len(key) and all(_close(a, b, CLOSE_RTOL) for a, b in zip(key, got)):
            return None
        return f"step values {key} but the check computes {got}"
    if kind in ("choice", "multi"):
        right = {v.item.answer} if kind == "choice" else set(v.item.answers)
        wanted = [float(x) for x in (got if isinstance(got, list) else [got])]
        for k, text in v.item.choices.items():
            shown = text.get("en") or next(iter(text.values()))
            num = _choice_number(shown)
            if num is None:
                return f"choice {k} ({shown!r}) is not a number the check can compare"
            hit = any(_close(num, w, CHOICE_RTOL) for w in wanted)
            if k in right and not hit:
                return f"the right choice {k} reads {shown} but the check computes {wanted}"
            if k not in right and hit:
                return f"the distractor {k} reads {shown}, which the check computes as right"
        return None
    return f"kind {kind!r} templates cannot be checked by a plugin"


def template_checks(runner, reg, templates: list[tuple[str, Any]], n_seeds: int, say) -> list:
    """One verify row per template."""
    from studyml.cli.verify import Check

    def call(locator: str, check: str, draws: list[dict]) -> list[dict]:
        return runner.call("studyml.demos.checks:run_check", locator=locator, check=check, draws=draws, timeout=60.0)

    rows = []
    for n, (pack_id, item) in enumerate(templates, 1):
        say(f"[template {n}/{len(templates)}] {pack_id}/{item.id}")
        start = time.monotonic()
        try:
            ok, detail = check_template(call, reg, item, n_seeds)
        except Exception as e:  # a worker that died or timed out fails this template, not the run
            ok, detail = False, f"{type(e).__name__}: {e}"
        rows.append(Check(f"template:{pack_id}/{item.id}", ok, time.monotonic() - start, detail))
    return rows
