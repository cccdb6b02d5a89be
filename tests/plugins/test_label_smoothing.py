import math

import pytest

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("label_smoothing")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    eps, K = 0.1, 4
    a, b = 1 - eps + eps / K, eps / K
    assert m["theoretical_min"] == pytest.approx(-a * math.log(a) - (K - 1) * b * math.log(b))
    assert m["closed_form_no_overlap"] == pytest.approx(m["theoretical_min"])
    assert 0 <= m["gap_to_min"] < 0.01
    losses = [y for _, y in ctx.series["training loss"]]
    assert losses[0] > losses[-1]


def test_no_smoothing_no_overlap_floor_is_zero():
    ctx = run_plugin(plugin, epsilon=0.0)
    assert claims(ctx)["min_above_zero"] is False
    assert ctx.metrics["final_loss"] < 0.01


def test_overlap_alone_raises_the_floor():
    ctx = run_plugin(plugin, epsilon=0.0, overlap=0.2)
    assert all(claims(ctx).values()), ctx.claim_results
    assert ctx.metrics["theoretical_min"] > 0.3


def test_too_few_steps_do_not_reach_the_floor():
    assert claims(run_plugin(plugin, steps=5))["approaches_min_from_above"] is False


def test_reproducible():
    assert run_plugin(plugin, seed=9, overlap=0.1).metrics == run_plugin(plugin, seed=9, overlap=0.1).metrics
