"""The JSON-lines protocol between the runner and its worker process, and the worker's limits."""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any

# Requests (runner -> worker, one JSON object per line on stdin):
#   {"op": "run", "plugin": id, "locator": str, "params": {...}, "seed": int, "device": str, "lang": str}
#   {"op": "cancel"}
#   {"op": "call", "id": int, "fn": "module:function", "kwargs": {...}}
#   {"op": "exit"}
# Events (worker -> runner, one JSON object per line on stdout):
#   ready    {pid, warm, memory_limit}
#   progress {fraction, message}
#   points   {series: {name: {x: [...], y: [...]}}}   (the `point`s of ~50 ms, coalesced by the worker, as columns)
#   result   {plugin, params, seed, device, metrics, series, tables, texts, claims, passed, duration,
#             series_order, streamed_series}  (streamed series are left out: the runner rebuilds them)
#   describing {locator} / described {locator, ok, meta | problem}   (the `--describe` mode)
#   error    {kind, message, traceback}
#   return   {id, value}                       (answer to a `call`)
# The runner adds `log` {text} events for lines the worker writes to stderr (plugin prints).

ERROR_KINDS = ("exception", "timeout", "crash", "memory", "cancelled", "incompatible", "device", "params")

# Functions a `call` request may name. The UI process never imports sympy; it asks the worker.
CALLABLE_FUNCTIONS: frozenset[str] = frozenset(
    {
        "studyml.quiz.expr:grade_expr",
        "studyml.demos.checks:run_check",
        "studyml.demos.params:worker_param_errors",
        "studyml.demos.worker:versions",
    }
)

DEFAULT_MEMORY_LIMIT = 6 << 30
MEMORY_ENV = "STUDYML_WORKER_MEMORY"
CANCEL_GRACE_SECONDS = 2.0


def encode(obj: dict[str, Any]) -> bytes:
    """One protocol line; non-finite floats travel as JSON's NaN/Infinity (both ends are Python)."""
    return (json.dumps(obj, separators=(",", ":"), default=str) + "\n").encode()


def decode(line: bytes | str) -> dict[str, Any] | None:
    """Parse one line; None for anything that is not a JSON object."""
    try:
        obj = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    return obj if isinstance(obj, dict) else None


def point_columns(value: Any) -> tuple[list[float], list[float]]:
    """The xs and ys of one series in a `points` event, as floats (what is not a number becomes NaN)."""
    if isinstance(value, dict):
        xs, ys = value.get("x"), value.get("y")
    elif isinstance(value, list):  # [[x, y], ...]
        xs, ys = (
            [p[0] if isinstance(p, list | tuple) and p else None for p in value],
            [p[1] if isinstance(p, list | tuple) and len(p) > 1 else None for p in value],
        )
    else:
        return [], []
    if not isinstance(xs, list) or not isinstance(ys, list) or len(xs) != len(ys):
        return [], []
    try:  # the usual case, in C loops: every value a number
        return [float(x) for x in xs], [float(y) for y in ys]
    except (TypeError, ValueError):
        return [_float(x) for x in xs], [_float(y) for y in ys]


def _float(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def error_event(kind: str, message: str, traceback: str = "") -> dict[str, Any]:
    return {"type": "error", "kind": kind, "message": message, "traceback": traceback}


def parse_size(text: str) -> int:
    """'6G', '512M', '1073741824' -> bytes; '0' or 'none' means no limit (returns 0)."""
    t = text.strip().lower()
    if t in ("", "0", "none", "off", "unlimited"):
        return 0
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?", t)
    if not m:
        raise ValueError(f"not a memory size: {text!r} (use e.g. 6G, 512M or a number of bytes)")
    scale = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}[m.group(2)]
    return int(float(m.group(1)) * scale)


def memory_limit_from_env() -> int:
    value = os.environ.get(MEMORY_ENV)
    try:
        return DEFAULT_MEMORY_LIMIT if value is None else parse_size(value)
    except ValueError as e:
        import sys

        print(f"warning: ${MEMORY_ENV}: {e}; using {format_size(DEFAULT_MEMORY_LIMIT)}", file=sys.stderr)
        return DEFAULT_MEMORY_LIMIT


def format_size(n: int) -> str:
    return "no limit" if n <= 0 else f"{n / (1 << 30):.1f} GiB" if n >= 1 << 30 else f"{n / (1 << 20):.0f} MiB"


def json_safe(obj: Any) -> Any:
    """Replace non-finite floats by strings ('NaN', 'Infinity', '-Infinity') for strict JSON output."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return "NaN" if math.isnan(obj) else ("Infinity" if obj > 0 else "-Infinity")
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    return obj


def json_problem(obj: Any, path: str = "result") -> str | None:
    """Where `obj` holds something JSON cannot carry (an object, a tuple key), or None when it is all JSON."""
    if obj is None or isinstance(obj, (str, bool, int, float)):
        return None
    if isinstance(obj, dict):
        for k, v in obj.items():
            if not isinstance(k, str):
                return f"{path} has a {type(k).__name__} key {k!r} (keys must be strings)"
            problem = json_problem(v, f"{path}[{k!r}]")
            if problem:
                return problem
        return None
    if isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            problem = json_problem(v, f"{path}[{i}]")
            if problem:
                return problem
        return None
    return f"{path} is a {type(obj).__name__} ({str(obj)[:60]!r}), not a number, string, list or dict"
