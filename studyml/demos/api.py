"""The plugin API: what a demo plugin declares and the context its run receives."""

from __future__ import annotations

import math
import operator
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

from pydantic import BaseModel

API_VERSION = 1
"""Major version of this API. A plugin declares the version it targets in `Plugin.api_version`."""

Lang = str
Text = dict[Lang, str]


class Cancelled(Exception):
    """Raised by `Context.check_cancelled()` when the learner cancelled the run."""


@dataclass(frozen=True)
class ClaimSpec:
    """A claim a demo states up front and checks against what it computes."""

    id: str
    text: Text


@dataclass(frozen=True)
class CheckSpec:
    """An independent computation of a quiz template's key, run in the worker by `studyml verify`.

    `fn(**values)` gets one draw's param values (and, for an expr template, the symbols' values) and
    returns the quantity the template's key claims: a number, or a list of numbers (the right options
    of a multi item, the step values of an order item). Heavy imports go inside `fn`.
    """

    id: str
    text: Text
    fn: Callable[..., Any]


@dataclass(frozen=True)
class Plugin:
    """A demo plugin. Module-level `plugin = Plugin(...)`; heavy imports (torch, sympy) go inside `run`."""

    id: str
    title: Text
    summary: Text
    params: type[BaseModel]
    claims: list[ClaimSpec]
    run: Callable[[Any, "Context"], None]
    api_version: int = API_VERSION
    tags: tuple[str, ...] = ()
    # Rough wall-clock seconds with default parameters on a 2-core CPU; the UI shows it before a run.
    expected_seconds: float = 5.0
    checks: tuple[CheckSpec, ...] = ()

    def check(self, check_id: str) -> CheckSpec:
        for c in self.checks:
            if c.id == check_id:
                return c
        known = ", ".join(c.id for c in self.checks) or "none"
        raise LookupError(f"plugin {self.id!r} has no check {check_id!r} (its checks: {known})")

    def metadata(self) -> dict[str, Any]:
        """JSON-serialisable description, used by listings and the UI's parameter form."""
        return {
            "id": self.id,
            "title": dict(self.title),
            "summary": dict(self.summary),
            "api_version": self.api_version,
            "tags": list(self.tags),
            "expected_seconds": self.expected_seconds,
            "claims": [{"id": c.id, "text": dict(c.text)} for c in self.claims],
            "checks": [{"id": c.id, "text": dict(c.text)} for c in self.checks],
            "params": self.params.model_json_schema(),
        }


_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


@dataclass
class Context:
    """Handed to `Plugin.run`. Collects the result and streams progress through `emit`.

    `emit(event: dict)` is supplied by the runner (the worker writes each event to its pipe).
    """

    seed: int = 0
    device: str = "cpu"
    lang: Lang = "en"
    emit: Callable[[dict[str, Any]], None] = lambda event: None
    is_cancelled: Callable[[], bool] = lambda: False
    metrics: dict[str, float] = field(default_factory=dict)
    series: dict[str, list[list[float]]] = field(default_factory=dict)
    tables: list[dict[str, Any]] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    claim_results: dict[str, dict[str, Any]] = field(default_factory=dict)

    # -- randomness -------------------------------------------------------------------------
    def rng(self):
        """A numpy Generator seeded from the run's seed (also seeds Python's `random`)."""
        import numpy as np

        random.seed(self.seed)
        return np.random.default_rng(self.seed)

    def torch_seed(self):
        """Seed torch (CPU and CUDA) from the run's seed and return a seeded `torch.Generator`."""
        import torch

        torch.manual_seed(self.seed)
        g = torch.Generator(device="cpu")
        g.manual_seed(self.seed)
        return g

    @contextmanager
    def single_thread(self):
        """Run torch on one thread inside the block: demo models are tiny, and thread hand-offs dominate
        their cost (and explode on a busy 2-core machine). The previous setting is restored after."""
        import torch

        previous = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(previous)

    # -- streaming --------------------------------------------------------------------------
    def progress(self, fraction: float, message: str = "") -> None:
        """Report progress in [0, 1]; also a cancellation point."""
        self.emit({"type": "progress", "fraction": max(0.0, min(1.0, float(fraction))), "message": message})
        self.check_cancelled()

    def point(self, series: str, x: float, y: float) -> None:
        """Append (x, y) to a named series and stream it for live plots."""
        x, y = float(x), float(y)
        self.series.setdefault(series, []).append([x, y])
        self.emit({"type": "point", "series": series, "x": x, "y": y})

    def cancelled(self) -> bool:
        return self.is_cancelled()

    def check_cancelled(self) -> None:
        if self.is_cancelled():
            raise Cancelled()

    # -- result -----------------------------------------------------------------------------
    def metric(self, name: str, value: float) -> float:
        self.metrics[name] = _num(value)
        return self.metrics[name]

    def table(self, title: str, columns: list[str], rows: list[list[Any]]) -> None:
        self.tables.append({"title": title, "columns": list(columns), "rows": [[_cell(v) for v in r] for r in rows]})

    def text(self, markdown: Text | str) -> None:
        """Explanation shown after the result: a string (English) or {language: string}."""
        ok = isinstance(markdown, str) or (isinstance(markdown, dict) and markdown and all(
            isinstance(k, str) and isinstance(v, str) for k, v in markdown.items()))
        if not ok:
            raise TypeError(f"ctx.text({markdown!r:.60}): expected a string or a {{language: string}} dict, "
                            f"got {type(markdown).__name__}")
        self.texts.append(markdown if isinstance(markdown, dict) else {"en": markdown})

    def claim(self, claim_id: str, passed: bool, observed: dict[str, Any], threshold: Any, detail: str = "") -> bool:
        """Record the verdict of a declared claim with the observed values that decided it."""
        self.claim_results[claim_id] = {
            "id": claim_id,
            "passed": bool(passed),
            "observed": {k: _cell(v) for k, v in observed.items()},
            "threshold": _cell(threshold) if not isinstance(threshold, dict) else {k: _cell(v) for k, v in threshold.items()},
            "detail": detail,
        }
        return bool(passed)

    def compare(self, claim_id: str, name: str, value: float, op: Literal["<", "<=", ">", ">=", "==", "!="], threshold: float, detail: str = "") -> bool:
        """`claim` for the common case `value OP threshold`, e.g. compare("u", "best_epoch", 37, "<", 99)."""
        value = _num(value)
        threshold = _num(threshold)
        passed = _OPS[op](value, threshold) and not math.isnan(value)
        return self.claim(claim_id, passed, {name: value}, f"{name} {op} {_fmt(threshold)}", detail)


def _num(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError) as e:  # numpy/torch scalars convert; anything else is a plugin bug
        raise TypeError(f"expected a number, got {type(v).__name__}") from e


def _cell(v: Any) -> Any:
    if isinstance(v, (str, bool)) or v is None:
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, (list, tuple)):
        return [_cell(x) for x in v]
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return int(f) if f.is_integer() and abs(f) < 2**53 and not isinstance(v, float) else f


def _fmt(x: float) -> str:
    return f"{x:.6g}"
