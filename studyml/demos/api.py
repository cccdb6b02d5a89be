"""The plugin API: what a demo plugin declares and the context its run receives."""

from __future__ import annotations

import math
import operator
import random
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from studyml.lang import pick

API_VERSION = "1.2"
"""Version of this API. A plugin declares the version it targets in `Plugin.api_version` (None means "1.0")."""

OPERATORS = ("<", "<=", ">", ">=", "==", "!=")
"""The comparisons `Context.compare` accepts."""

Lang = str
Text = dict[Lang, str]
Op = Literal["<", "<=", ">", ">=", "==", "!="]


class Cancelled(Exception):
    """Raised by `Context.check_cancelled()` when the learner cancelled the run."""


@dataclass(frozen=True)
class ClaimSpec:
    """A claim a demo states up front and checks against what it computes."""

    id: str
    text: Text


@dataclass(frozen=True)
class MetricSpec:
    """A number the demo reports with `ctx.metric(id, value)`, as the UI, `demo info` and pack authors see it."""

    id: str
    label: Text
    unit: Text | str = ""  # "" for a plain number; e.g. "%", "s", {"en": "steps", "ko": "스텝"}


@dataclass(frozen=True)
class SeriesFamily:
    """Series named after parameter values (API 1.2), e.g. one per learning rate: `pattern` is their id with
    `{name}` placeholders ("lr = {factor}·(2/L)"); `label` per language fills the same placeholders."""

    pattern: str
    label: Text


@dataclass(frozen=True)
class PanelSpec:
    """One plot panel: its title, axis labels and the streamed series it draws (id -> legend label), and
    families of series whose ids depend on the parameters (API 1.2)."""

    id: str
    title: Text
    x: Text
    y: Text
    series: dict[str, Text] = field(default_factory=dict)
    log_y: bool = False
    families: tuple[SeriesFamily, ...] = ()


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


def parse_version(version: object) -> tuple[int, int] | None:
    """ "1.1" -> (1, 1); None -> (1, 0) (a plugin that does not say is an API 1.0 plugin); junk -> None."""
    if version is None:
        return (1, 0)
    parts = str(version).strip().split(".")
    try:
        nums = [int(p) for p in parts]
    except ValueError:
        return None
    if not 1 <= len(nums) <= 2 or any(n < 0 for n in nums):
        return None
    return (nums[0], nums[1] if len(nums) == 2 else 0)


def version_text(version: object) -> str:
    """How a declared version is shown: None -> "1.0", 2 -> "2.0", "1.1" -> "1.1"."""
    v = parse_version(version)
    return f"{v[0]}.{v[1]}" if v else str(version)


def compatibility_problem(version: object) -> str | None:
    """None when this studyml can run a plugin declaring `version`; else why not, naming what it needs."""
    have = parse_version(API_VERSION)
    want = parse_version(version)
    assert have is not None
    if want is None:
        return f'declares plugin API version {version!r}, which is not a version: use "{API_VERSION}" (major.minor)'
    if want[0] != have[0] or want[1] > have[1]:
        needs = (
            f"a studyml providing plugin API {want[0]}.x"
            if want[0] != have[0]
            else f"a newer studyml (plugin API {want[0]}.{want[1]} or later)"
        )
        return (
            f"targets plugin API version {want[0]}.{want[1]}, but this studyml provides version {API_VERSION}; "
            f"it needs {needs}: update studyml or use a version of the plugin made for API {API_VERSION}"
        )
    return None


PLUGIN_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def _english(text: object) -> bool:
    """Whether a declared text has English words: a listing falls back to English."""
    return isinstance(text, dict) and isinstance(text.get("en"), str) and bool(text["en"].strip())


def _repeated(kind: str, ids: list[str]) -> list[str]:
    twice = sorted({i for i in ids if ids.count(i) > 1})
    return [f"{kind} ids repeat: {twice}"] if twice else []


def _kind_problems(plugin: Plugin) -> list[str]:
    """Fields that hold the wrong kind of thing: `run` not a function, a claim, metric or panel not its spec."""
    problems = []
    if not callable(plugin.run):  # was listed ok, and failed in each run inside the worker's own code
        problems.append(f"run must be a function run(params, ctx) (got {type(plugin.run).__name__})")
    for name, spec, example in (
        ("claims", ClaimSpec, "ClaimSpec('id', {'en': ..., 'ko': ...})"),
        ("metrics", MetricSpec, "MetricSpec('id', {'en': ..., 'ko': ...})"),
        ("plots", PanelSpec, "PanelSpec('id', title, x, y, series)"),
    ):
        given = getattr(plugin, name)
        if not isinstance(given, (list, tuple)):
            problems.append(f"{name} must be a list of {spec.__name__}, like [{example}] (got {type(given).__name__})")
            continue
        wrong = [item for item in given if not isinstance(item, spec)]
        if wrong:
            problems.append(
                f"{name} must be {spec.__name__} objects, like {example} (got {type(wrong[0]).__name__} "
                f"{wrong[0]!r:.40})"
            )
    return problems


def _identity_problems(plugin: Plugin) -> list[str]:
    """What a listing and a run rely on: a slug id, English texts, tags as a list, a sane estimate, valid defaults."""
    problems = []
    if not isinstance(plugin.id, str) or not PLUGIN_ID.fullmatch(plugin.id):
        problems.append("the id must be a lowercase slug: letters a-z, digits and '-', at most 64 characters")
    texts = [("title", plugin.title), ("summary", plugin.summary)]
    texts += [(f"claim {spec.id!r}", spec.text) for spec in plugin.claims]
    problems += [f"{name} needs English text: {{'en': ..., 'ko': ...}}" for name, text in texts if not _english(text)]
    if isinstance(plugin.tags, str) or not all(isinstance(t, str) for t in plugin.tags):
        problems.append(f"tags must be a list of strings, like ['optimization'] (got {plugin.tags!r})")
    seconds = plugin.expected_seconds
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds < math.inf:
        problems.append(f"expected_seconds must be a number of seconds, 0 or more (got {seconds!r})")
    if isinstance(plugin.params, type) and issubclass(plugin.params, BaseModel):
        try:  # pydantic does not check a default against its own bounds unless given it as a value
            plugin.params.model_validate(
                {
                    name: f.get_default(call_default_factory=True)
                    for name, f in plugin.params.model_fields.items()
                    if not f.is_required()
                }
            )
        except ValidationError as e:
            wrong = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
            problems.append(
                f"the parameters' defaults are not valid ({wrong}): give every field a default in its bounds"
            )
    else:
        problems.append("params must be a pydantic model class")
    return problems


@dataclass(frozen=True)
class Plugin:
    """A demo plugin. Module-level `plugin = Plugin(...)`; heavy imports (torch, sympy) go inside `run`."""

    id: str
    title: Text
    summary: Text
    params: type[BaseModel]
    claims: list[ClaimSpec]
    run: Callable[[Any, Context], None]
    # None: an API 1.0 plugin (written before plugins said). "1.1" declares metrics, plots and estimate; "1.2"
    # adds series families to plot panels.
    api_version: str | None = None
    tags: tuple[str, ...] = ()
    # Rough wall-clock seconds with default parameters on a 2-core CPU; the UI shows it before a run.
    expected_seconds: float = 5.0
    checks: tuple[CheckSpec, ...] = ()
    metrics: tuple[MetricSpec, ...] = ()
    # Series of different units go on separate panels; a streamed series in no panel gets a default one.
    plots: tuple[PanelSpec, ...] = ()
    # Run time in seconds as a formula over the parameter names (studyml/quiz/mathparse.py syntax).
    estimate: str | None = None

    def __post_init__(self) -> None:
        """Mistakes in what a plugin declares are found when it is listed, not in a learner's run."""
        kinds = _kind_problems(self)
        if kinds:  # what follows reads their fields: `claims=["c"]` was "'str' object has no attribute 'id'"
            raise ValueError(f"plugin {self.id!r}: " + "; ".join(kinds))
        problems = _identity_problems(self)
        problems += _repeated("metric", [m.id for m in self.metrics])
        # Two claims with one id: one evaluated claim would stand for both, and the run say "2/2 claims hold".
        problems += _repeated("claim", [c.id for c in self.claims])
        problems += _repeated("plot panel", [p.id for p in self.plots])
        for spec in self.metrics:
            if not _english(spec.label):
                problems.append(f"metric {spec.id!r} needs a label {{'en': ..., 'ko': ...}}")
        problems += _family_problems(self.plots, self.api_version)
        if self.estimate is not None:
            from studyml.demos.estimate import formula_problem

            problem = formula_problem(self.estimate, list(self.params.model_fields))
            if problem:
                problems.append(problem)
        if problems:
            raise ValueError(f"plugin {self.id!r}: " + "; ".join(problems))

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
            "api_version": version_text(self.api_version),
            "tags": list(self.tags),
            "expected_seconds": self.expected_seconds,
            "estimate": self.estimate,
            "claims": [{"id": c.id, "text": dict(c.text)} for c in self.claims],
            "metrics": [
                {"id": m.id, "label": dict(m.label), "unit": dict(m.unit) if isinstance(m.unit, dict) else m.unit}
                for m in self.metrics
            ],
            "plots": [
                {
                    "id": p.id,
                    "title": dict(p.title),
                    "x": dict(p.x),
                    "y": dict(p.y),
                    "series": {k: dict(v) for k, v in p.series.items()},
                    "log_y": p.log_y,
                    "families": [{"pattern": f.pattern, "label": dict(f.label)} for f in p.families],
                }
                for p in self.plots
            ],
            "checks": [{"id": c.id, "text": dict(c.text)} for c in self.checks],
            "params": self.params.model_json_schema(),
        }


def _family_problems(plots: tuple[PanelSpec, ...], version: object) -> list[str]:
    from studyml.demos import families

    out = []
    for panel in plots:
        if panel.families and (parse_version(version) or (1, 0)) < (1, 2):
            out.append(f'plot panel {panel.id!r} declares series families, which need api_version="1.2"')
        for fam in panel.families:
            out += [f"plot panel {panel.id!r}: {p}" for p in families.problems(fam.pattern, fam.label)]
    return out


_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


class Context:
    """Handed to `Plugin.run`: streams progress and points, and collects the result.

    The runner builds it (`emit(event)` writes each event to the worker's pipe); a plugin only calls
    its methods. The collected result is readable through the read-only properties below.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        device: str = "cpu",
        lang: Lang = "en",
        emit: Callable[[dict[str, Any]], None] | None = None,
        is_cancelled: Callable[[], bool] | None = None,
        plugin: Plugin | None = None,
    ) -> None:
        self._seed = seed
        self._device = device
        self._lang = lang
        self._emit: Callable[[dict[str, Any]], None] = emit or (lambda event: None)
        self._is_cancelled: Callable[[], bool] = is_cancelled or (lambda: False)
        self._claim_ids = None if plugin is None else [c.id for c in plugin.claims]
        strict_metrics = plugin is not None and (parse_version(plugin.api_version) or (1, 0)) >= (1, 1)
        self._metric_ids = [m.id for m in plugin.metrics] if strict_metrics and plugin else None
        self._metrics: dict[str, float] = {}
        self._series: dict[str, list[list[float]]] = {}
        self._tables: list[dict[str, Any]] = []
        self._texts: list[Text] = []
        self._claim_results: dict[str, dict[str, Any]] = {}

    # -- the run's settings ----------------------------------------------------------------
    @property
    def seed(self) -> int:
        return self._seed

    @property
    def device(self) -> str:
        """ "cpu" unless the learner asked for a CUDA device."""
        return self._device

    @property
    def lang(self) -> Lang:
        """The learner's language, for texts built at run time."""
        return self._lang

    # -- what the run produced (read-only views for the runner and tests) ----------------------
    @property
    def metrics(self) -> dict[str, float]:
        return dict(self._metrics)

    @property
    def series(self) -> dict[str, list[list[float]]]:
        return {k: list(v) for k, v in self._series.items()}

    @property
    def tables(self) -> list[dict[str, Any]]:
        return list(self._tables)

    @property
    def texts(self) -> list[Text]:
        return list(self._texts)

    @property
    def claim_results(self) -> dict[str, dict[str, Any]]:
        return dict(self._claim_results)

    # -- randomness -------------------------------------------------------------------------
    def rng(self):
        """A numpy Generator seeded from the run's seed (also seeds Python's `random`)."""
        import numpy as np

        random.seed(self._seed)
        return np.random.default_rng(self._seed)

    def torch_seed(self):
        """Seed torch (CPU and CUDA) from the run's seed and return a seeded `torch.Generator`."""
        import torch

        torch.manual_seed(self._seed)
        g = torch.Generator(device="cpu")
        g.manual_seed(self._seed)
        return g

    @contextmanager
    def single_thread(self) -> Iterator[None]:
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
    def progress(self, fraction: float, message: Text | str = "") -> None:
        """Report progress in [0, 1] with a message (a string, or {language: string}); also a cancellation point.

        A fraction outside [0, 1] is drawn at the nearer end; NaN or a value that is not a number raises.

        The event's `message` is the text in the learner's language (`ctx.lang`); a per-language message
        also rides along whole as `text`, so a screen can show it again in another language.
        """
        done = _num(fraction, "ctx.progress fraction")
        if math.isnan(done):  # was drawn as a full bar: 0/0 in a plugin's arithmetic, shown as "finished"
            raise ValueError("ctx.progress: the fraction is NaN; pass a number from 0 to 1")
        # A little past 1 (k/n summed in floats) or below 0 is drawn at the end it passed, as documented.
        event: dict[str, Any] = {"type": "progress", "fraction": max(0.0, min(1.0, done))}
        if isinstance(message, dict):
            _check_text("ctx.progress", message)
            event |= {"message": pick(message, self._lang), "text": dict(message)}
        elif isinstance(message, str):
            event["message"] = message
        else:  # as documented: 42 or None was shown as "42", "None", and the bug went unseen
            _check_text("ctx.progress", message)
        self._emit(event)
        self.check_cancelled()

    def point(self, series: str, x: float, y: float) -> None:
        """Append (x, y) to a named series and stream it for live plots."""
        x, y = _num(x, f"ctx.point({series!r}) x"), _num(y, f"ctx.point({series!r}) y")
        self._series.setdefault(series, []).append([x, y])
        self._emit({"type": "point", "series": series, "x": x, "y": y})

    def cancelled(self) -> bool:
        return self._is_cancelled()

    def check_cancelled(self) -> None:
        if self._is_cancelled():
            raise Cancelled()

    # -- result -----------------------------------------------------------------------------
    def metric(self, name: str, value: float) -> float:
        """Record a named number; an API 1.1 plugin must declare it in `Plugin.metrics`."""
        if self._metric_ids is not None and name not in self._metric_ids:
            raise ValueError(
                f"ctx.metric({name!r}): metric {name!r} is not declared in the plugin's `metrics` "
                f"(declared: {', '.join(self._metric_ids) or 'none'}); add a MetricSpec for it"
            )
        self._metrics[name] = _num(value, f"ctx.metric({name!r})")
        return self._metrics[name]

    def table(self, title: Text | str, columns: list[Text | str], rows: list[list[Any]]) -> None:
        """A small table: its title, each column and any cell of words a string (English) or {language: string},
        like every text; the other cells numbers (or true/false, None)."""
        texts = [
            _given_text("ctx.table title" if i == 0 else f"ctx.table column {i - 1}", text)
            if isinstance(text, (str, dict))
            else str(text)  # a number heads a column too
            for i, text in enumerate([title, *columns])
        ]
        cells = [
            [
                _given_text(f"ctx.table row {i} column {j}", v) if isinstance(v, dict) else _cell(v)
                for j, v in enumerate(r)
            ]
            for i, r in enumerate(rows)
        ]
        self._tables.append({"title": texts[0], "columns": texts[1:], "rows": cells})

    def text(self, markdown: Text | str) -> None:
        """Explanation shown after the result: a string (English) or {language: string}."""
        given = _given_text("ctx.text", markdown)
        self._texts.append(given if isinstance(given, dict) else {"en": given})

    def claim(
        self, claim_id: str, passed: bool, observed: dict[str, Any], threshold: Any, detail: Text | str = ""
    ) -> bool:
        """Record the verdict of a declared claim with the observed values that decided it; `detail`, why, in a
        string or {language: string} as every text the learner reads (the app shows it beside the numbers)."""
        self._check_claim_id(claim_id)
        detail = _given_text(f"ctx.claim({claim_id!r}) detail", detail)
        self._claim_results[claim_id] = {
            "id": claim_id,
            "passed": bool(passed),
            "observed": {k: _cell(v) for k, v in observed.items()},
            "threshold": _cell(threshold)
            if not isinstance(threshold, dict)
            else {k: _cell(v) for k, v in threshold.items()},
            "detail": detail,
        }
        return bool(passed)

    def compare(
        self, claim_id: str, name: str, value: float, op: Op, threshold: float, detail: Text | str = ""
    ) -> bool:
        """`claim` for the common case `value OP threshold`, e.g. compare("u", "best_epoch", 37, "<", 99).

        `op` is one of <, <=, >, >=, ==, !=; a NaN value never passes.
        """
        if op not in _OPS:
            raise ValueError(f"unknown comparison {op!r}; use one of {', '.join(OPERATORS)}")
        self._check_claim_id(claim_id)
        value = _num(value, f"ctx.compare({claim_id!r}) value")
        threshold = _num(threshold, f"ctx.compare({claim_id!r}) threshold")
        passed = _OPS[op](value, threshold) and not math.isnan(value)
        return self.claim(claim_id, passed, {name: value}, f"{name} {op} {_fmt(threshold)}", detail)

    def _check_claim_id(self, claim_id: str) -> None:
        if self._claim_ids is not None and claim_id not in self._claim_ids:
            raise ValueError(
                f"claim {claim_id!r} is not declared in the plugin's `claims` "
                f"(declared: {', '.join(self._claim_ids) or 'none'})"
            )


def _given_text(call: str, text: Any) -> Text | str:
    """`text` as a plugin gave it, a string or a checked {language: string} dict (see _check_text)."""
    if not isinstance(text, str):
        _check_text(call, text)
    return text


def _check_text(call: str, text: Any) -> None:
    """A per-language text a plugin passes at run time: a non-empty {language: string} dict."""
    ok = isinstance(text, dict) and text and all(isinstance(k, str) and isinstance(v, str) for k, v in text.items())
    if not ok:
        if isinstance(text, dict):
            got = "an empty dict" if not text else "a dict whose keys and values are not all strings"
        else:
            got = type(text).__name__
        raise TypeError(f"{call}({text!r:.60}): expected a string or a {{language: string}} dict, got {got}")


def _num(v: Any, call: str) -> float:
    """A number for `call` (named in the error, so the author finds the line): numpy and torch scalars convert."""
    if isinstance(v, str):  # float("1e3") would take it: a plugin bug all the same
        raise TypeError(f"{call}: expected a number, got str {v[:40]!r}")
    try:
        return float(v)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{call}: expected a number, got {type(v).__name__}") from e


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
        return v  # not a number: left as it is, for the result's JSON check to name (it was shown as its str())
    return int(f) if f.is_integer() and abs(f) < 2**53 and not isinstance(v, float) else f


def _fmt(x: float) -> str:
    return f"{x:.6g}"
