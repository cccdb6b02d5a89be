"""Checks across parameters declared by the built-in plugins: refused before a run (form and `demo run`, exit 2)."""

import pytest

from studyml.demos.params import param_errors
from tests.demos.helpers import cli
from tests.plugins.helpers import load_plugin

# (plugin module, an invalid combination, the message, the nearest valid combination)
CASES = [
    (
        "optimizer_race",
        {"lr_min": 0.5, "lr_max": 0.1},
        "lr_min (0.5) must not exceed lr_max (0.1): the learning-rate grid runs from lr_min up to lr_max",
        {"lr_min": 0.1, "lr_max": 0.1},
    ),
    (
        "cross_validation",
        {"n": 10, "k": 11},
        "k (11) must not exceed n (10): each of the k folds needs at least one example (k = n is leave-one-out)",
        {"n": 10, "k": 10},
    ),
    (
        "autoregressive",
        {"length": 4, "context": 4},
        "context (4) must be less than length (4): in a sequence of length T a symbol has at most T − 1 symbols "
        "before it",
        {"length": 4, "context": 3},
    ),
    (
        "map_vs_mle",
        {"features": 5, "n_max": 4},
        "n_max (4) must be at least features (5): the MLE of 5 weights needs at least as many examples",
        {"features": 5, "n_max": 5},
    ),
    (
        "universal_approximation",
        {"max_width": 12},
        "max_width (12) must be a power of two (1, 2, 4, …, 64): the widths tried double up to it",
        {"max_width": 16},
    ),
    (
        "monte_carlo",
        {"n_min": 1000, "n_max": 9999},
        "n_max (9999) must be at least 10 × n_min (1000): the 1/√n slope is fitted over sample sizes spanning a "
        "factor of 10 or more",
        {"n_min": 1000, "n_max": 10000},
    ),
]


@pytest.mark.parametrize(("module", "bad", "message", "good"), CASES, ids=[c[0] for c in CASES])
def test_an_invalid_combination_is_refused_with_a_message_naming_both_values(module, bad, message, good):
    plugin = load_plugin(module)
    assert param_errors(plugin, bad) == [message]
    assert param_errors(plugin, good) == []  # the boundary itself is allowed


def test_cross_validation_leave_one_out_runs_with_k_equal_to_n():
    """k = n (leave-one-out) is the largest k allowed and still runs (k > n used to be lowered to n silently)."""
    from tests.plugins.helpers import run_plugin

    ctx = run_plugin(load_plugin("cross_validation"), n=10, k=10, repeats=10)
    assert ctx.claim_results["kfold_smaller_spread"]["observed"]["k"] == 10


@pytest.mark.slow
@pytest.mark.parametrize(
    ("demo", "args", "message"),
    [
        ("optimizer-race", ["lr_min=0.5", "lr_max=0.1"], "lr_min (0.5) must not exceed lr_max (0.1)"),
        ("cross-validation", ["n=10", "k=11"], "k (11) must not exceed n (10)"),
    ],
)
def test_demo_run_refuses_the_combination_with_exit_2(demo, args, message, tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYML_HOME", str(tmp_path))
    ran = cli("demo", "run", demo, *[a for kv in args for a in ("--param", kv)])
    assert ran.returncode == 2, ran.stderr
    assert message in ran.stderr and "Traceback" not in ran.stderr
