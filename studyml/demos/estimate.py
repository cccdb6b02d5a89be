"""A demo's run-time estimate: the plugin's `estimate` formula over its parameters, read by the safe math parser."""

from __future__ import annotations

from typing import Any

from studyml.quiz.mathparse import MathError, evaluate, parse


def estimate_seconds(meta: dict[str, Any], values: dict[str, Any]) -> float | None:
    """Seconds the run should take with `values`: the `estimate` formula (API 1.1), else `expected_seconds`.

    The formula is pack-author text from a stranger: parsed under the whitelist of studyml.quiz.mathparse and
    evaluated with floats, never eval'd. A formula that cannot be read or evaluated falls back to
    `expected_seconds` (None when there is neither).
    """
    fallback = meta.get("expected_seconds")
    formula = meta.get("estimate")
    if not isinstance(formula, str) or not formula.strip():
        return float(fallback) if fallback is not None else None
    numbers = {k: float(v) for k, v in values.items()
               if isinstance(v, (int, float)) and not isinstance(v, bool)}
    numbers.update({k: float(v) for k, v in values.items() if isinstance(v, bool)})
    try:
        seconds = evaluate(parse(formula, sorted(numbers)), numbers)
    except (MathError, ValueError):
        return float(fallback) if fallback is not None else None
    return max(0.0, seconds)
