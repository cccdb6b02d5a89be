"""A demo's run-time estimate: the plugin's formula over its parameters, read with the safe math parser."""

from __future__ import annotations

from typing import Any

from studyml.quiz import mathparse


def _numeric(values: dict[str, Any]) -> dict[str, float]:
    """Parameters a formula can use: numbers and booleans (as 0/1); choices and lists are left out."""
    out = {}
    for name, v in values.items():
        if isinstance(v, bool) or isinstance(v, (int, float)):
            out[name] = float(v)
    return out


def formula_problem(formula: str, param_names: list[str]) -> str | None:
    """Why `formula` is not a usable estimate over these parameters, or None."""
    try:
        mathparse.parse(formula, param_names)
    except mathparse.MathError as e:
        return f"estimate {formula!r}: {e}"
    return None


def estimate_seconds(formula: str | None, values: dict[str, Any], fallback: float) -> float:
    """Seconds the run should take with `values` (defaults filled in); `fallback` without a usable formula."""
    if not formula:
        return fallback
    nums = _numeric(values)
    try:
        seconds = mathparse.evaluate(mathparse.parse(formula, list(nums)), nums)
    except ValueError:  # MathError is one; a choice parameter used in the formula is another
        return fallback
    return max(seconds, 0.0)


def for_plugin(meta: Any, values: dict[str, Any]) -> float:
    """Estimate for a plugin known by its metadata (`PluginMeta`) with these (complete) parameter values."""
    return estimate_seconds(getattr(meta, "estimate", None), values, float(getattr(meta, "expected_seconds", 5.0)))
