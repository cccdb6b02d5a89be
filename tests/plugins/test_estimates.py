"""Every built-in demo declares a run-time estimate, and at its parameters' maxima that estimate stays well inside
the worker's timeout (computed from the declared formula: no demo is run here)."""

import itertools

import pytest

from studyml.demos.estimate import estimate_seconds
from studyml.demos.params import describe_params
from studyml.demos.runner import DEFAULT_TIMEOUT
from tests.plugins.helpers import PLUGINS, load_plugin

# A machine shared with other work runs demos slower than the estimate says: keep a quarter of the timeout spare.
LIMIT = 0.75 * DEFAULT_TIMEOUT
MODULES = sorted(p.stem for p in PLUGINS.glob("*.py") if not p.name.startswith("_"))


def worst_case_values(plugin) -> list[dict]:
    """Every number at its maximum (an integer below an exclusive maximum); each boolean both ways."""
    base, flags = {}, []
    for d in describe_params(plugin):
        schema = d["schema"]
        if "maximum" in schema:
            base[d["name"]] = schema["maximum"]
        elif "exclusiveMaximum" in schema:
            step = 1 if d["type"] == "integer" else 1e-9
            base[d["name"]] = schema["exclusiveMaximum"] - step
        else:
            base[d["name"]] = d["default"]
        if d["type"] == "bool":
            flags.append(d["name"])
    return [base | dict(zip(flags, combo)) for combo in itertools.product((False, True), repeat=len(flags))]


@pytest.mark.parametrize("module", MODULES)
def test_the_estimate_at_the_maxima_is_well_inside_the_timeout(module):
    plugin = load_plugin(module)
    assert plugin.estimate, f"{plugin.id} declares no estimate"
    worst = max(estimate_seconds(plugin.estimate, v, float("inf")) for v in worst_case_values(plugin))
    assert worst <= LIMIT, f"{plugin.id}: {worst:.0f} s at its maxima (estimate {plugin.estimate!r})"


def test_the_worst_case_is_taken_at_the_declared_bounds_with_each_boolean_both_ways():
    [values] = worst_case_values(load_plugin("monte_carlo"))
    assert (values["n_min"], values["n_max"], values["n_sizes"], values["repeats"]) == (1000, 100_000, 20, 1000)
    sweeps = worst_case_values(load_plugin("dead_relu"))
    assert sorted(v["sweep"] for v in sweeps) == [False, True] and {v["steps"] for v in sweeps} == {500}
    assert estimate_seconds("0.001*n_max*repeats", values, 0.0) > LIMIT  # a formula that grows too fast fails
