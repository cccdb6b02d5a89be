import json

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("dead_relu")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert 0.5 < m["dead_fraction"] <= 1.0
    assert m["leaky_dead_fraction"] == 0.0
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
    assert claims(ctx) == {"most_units_dead": False, "leaky_fewer_dead": False, "dead_units_get_zero_gradient": False}
    json.dumps(ctx.claim_results, allow_nan=False)


def test_reproducible():
    assert run_plugin(plugin, seed=4, sweep=False).metrics == run_plugin(plugin, seed=4, sweep=False).metrics
