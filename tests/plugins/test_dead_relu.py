import json

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("dead_relu")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert 0.5 < m["dead_fraction"] <= 1.0
    assert m["leaky_dead_fraction"] == 0.0
    # The units that start off: frozen under ReLU, moving under Leaky ReLU, and yet hardly any back after 200 steps.
    assert m["relu_off_units_max_weight_change"] == 0.0 < m["leaky_off_units_min_weight_change"]
    assert m["leaky_off_units_still_off"] > 0.9
    assert round(m["dead_fraction"] * 100) == m["dead_fraction"] * 100  # a clean multiple of 1/width
    assert len(ctx.series["dead_fraction_vs_bias_init"]) == 8
    json.dumps(ctx.claim_results, allow_nan=False)


def test_bias_minus_five_kills_nearly_all_units():
    ctx = run_plugin(plugin, bias_init=-5.0, sweep=False)
    assert ctx.metrics["dead_fraction"] >= 0.95
    assert claims(ctx)["most_units_dead"] is True


def test_zero_bias_small_lr_has_no_dead_units():
    ctx = run_plugin(plugin, bias_init=0.0, lr=0.01, sweep=False)
    assert ctx.metrics["dead_fraction"] == 0.0
    assert claims(ctx) == {
        "most_units_dead": False,
        "off_units_frozen_under_relu_move_under_leaky": False,
        "dead_units_get_zero_gradient": False,
    }
    json.dumps(ctx.claim_results, allow_nan=False)


def test_off_units_claim_fails_if_relu_passed_gradient_on_the_negative_side(monkeypatch):
    # The claim is measured, not true by construction: were ReLU's derivative not 0 for negative inputs (here torch.relu
    # is made leaky), the units that start off would get gradient and their weights would move under "ReLU" too.
    import torch

    monkeypatch.setattr(torch, "relu", lambda z: torch.nn.functional.leaky_relu(z, 0.01))
    ctx = run_plugin(plugin, sweep=False, steps=50)
    assert ctx.metrics["relu_off_units_max_weight_change"] > 0
    assert claims(ctx)["off_units_frozen_under_relu_move_under_leaky"] is False


def test_reproducible():
    assert run_plugin(plugin, seed=4, sweep=False).metrics == run_plugin(plugin, seed=4, sweep=False).metrics
