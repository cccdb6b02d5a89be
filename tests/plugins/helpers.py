"""Helpers that load and run the built-in demo plugins in-process (fast claim tests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from studyml.demos.api import Context

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"


def load_plugin(module_name: str):
    """Load `plugins/<module_name>.py` (or a package folder) and return its `plugin` object."""
    path = PLUGINS / f"{module_name}.py"
    if not path.exists():
        path = PLUGINS / module_name / "__init__.py"
    name = f"_test_plugin_{module_name}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module.plugin


def run_plugin(plugin, seed: int = 0, **params) -> Context:
    """Run a plugin with params (defaults for the rest) and return the filled context."""
    ctx = Context(seed=seed, plugin=plugin)  # undeclared claims and (API 1.1) metrics are errors
    plugin.run(plugin.params(**params), ctx)
    missing = {c.id for c in plugin.claims} - set(ctx.claim_results)
    assert not missing, f"claims not evaluated: {missing}"
    # With defaults every streamed series has a panel, a title and a legend label: named in a panel, or a
    # member of a panel's series family (API 1.2: series named after parameter values).
    if plugin.api_version in ("1.1", "1.2") and not params:
        loose = {sid for sid in ctx.series if not in_a_panel(plugin, sid)}
        assert not loose, f"series in no panel: {loose}"
    return ctx


def in_a_panel(plugin, series_id: str) -> bool:
    from studyml.demos.families import match

    return any(
        series_id in panel.series or any(match(f.pattern, series_id) is not None for f in panel.families)
        for panel in plugin.plots
    )


def claims(ctx: Context) -> dict[str, bool]:
    """Each evaluated claim and whether it held; never empty, so `all(claims(ctx).values())` cannot pass vacuously."""
    assert ctx.claim_results, "the run evaluated no claim"
    return {cid: r["passed"] for cid, r in ctx.claim_results.items()}


def streams_early(plugin, **params) -> bool:
    """Whether the run streams its first plot point before it reports half its progress (points arrive live)."""
    events = []
    plugin.run(plugin.params(**params), Context(seed=0, emit=events.append))
    first_point = next(i for i, e in enumerate(events) if e["type"] == "point")
    half = next(i for i, e in enumerate(events) if e["type"] == "progress" and e["fraction"] >= 0.5)
    return first_point < half
