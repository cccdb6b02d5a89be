import json

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("vanishing_gradients")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["sigmoid_grad_ratio_first_last"] < 1e-6  # ~ (1/4)^19 at depth 20
    assert m["sigmoid_grad_ratio_first_last"] < m["tanh_grad_ratio_first_last"] < 1.5
    assert 0.1 < m["relu_grad_ratio_first_last"] < 10
    assert len(ctx.series["log10_grad_norm:relu"]) == 20
    json.dumps(ctx.claim_results, allow_nan=False)


def test_shallow_net_does_not_vanish():
    ctx = run_plugin(plugin, depth=3)
    assert claims(ctx)["sigmoid_vanishes"] is False
    # Its text speaks of the depth that ran: "over 20 layers" was said of any depth.
    assert "over 3 layers" in ctx.texts[0]["en"] and "3개 층을 지나면" in ctx.texts[0]["ko"]


def test_xavier_init_for_relu_loses_the_gradient():
    ctx = run_plugin(plugin, relu_init="xavier")
    assert claims(ctx)["relu_he_preserves"] is False
    assert ctx.metrics["relu_grad_ratio_first_last"] < 1e-2  # about 2^(-19/2)


def test_reproducible():
    assert run_plugin(plugin, seed=5, depth=8).metrics == run_plugin(plugin, seed=5, depth=8).metrics
