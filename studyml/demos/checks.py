"""Run a plugin's template check in the worker over a batch of draws (the app process never does)."""

from __future__ import annotations

import json
import math
from typing import Any


def run_check(locator: str, check: str, draws: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each draw, `{"value": ...}` from the plugin's check, or `{"error": ...}` if it raised."""
    from studyml.demos.discovery import load_locator

    fn = load_locator(locator).check(check).fn
    out: list[dict[str, Any]] = []
    # A check is a function of the draw's values: draws that repeat values (a template with eight
    # possible fan-ins, say) are computed once.
    done: dict[str, dict[str, Any]] = {}
    for values in draws:
        key = json.dumps(values, sort_keys=True)
        if key not in done:
            try:
                done[key] = {"value": _plain(fn(**values))}
            except Exception as e:  # one draw's failure is reported with its seed, the batch goes on
                done[key] = {"error": f"{type(e).__name__}: {e}"}
        out.append(done[key])
    return out


def _plain(v: Any) -> Any:
    """Numbers (and lists of numbers) as JSON floats; torch and numpy scalars convert."""
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, str):
        return v
    f = float(v)
    if not math.isfinite(f):
        raise ValueError(f"the check returned {f}")
    return f
