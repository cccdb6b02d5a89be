import json

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("weight_init")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert 0.5 < m["relu_he_last_std"] < 2
    assert m["relu_tiny_last_std"] < 1e-6 and m["tanh_tiny_last_std"] < 1e-6
    assert abs(m["relu_lecun_per_layer_factor"] - 2**-0.5) < 0.05
    assert m["relu_xavier_last_std"] < 0.1  # n_in = n_out: Xavier = LeCun, too small for ReLU
    assert len(ctx.series["std:relu:he"]) == 10
    json.dumps(ctx.claim_results, allow_nan=False)


def test_activation_param_only_filters_curves():
    ctx = run_plugin(plugin, activation="tanh", depth=4, width=64)
    assert ctx.series and all(k.startswith("std:tanh:") for k in ctx.series)  # not vacuous: some curves exist


def test_larger_small_init_does_not_collapse():
    assert claims(run_plugin(plugin, small_std=0.1))["tiny_init_collapses"] is False


def test_narrow_very_deep_relu_net_drifts_even_with_he():
    c = claims(run_plugin(plugin, width=8, depth=60))
    assert c["he_keeps_relu_scale"] is False
    assert c["xavier_suits_tanh"] is False


def test_reproducible():
    kw = dict(seed=6, width=64, depth=5)
    assert run_plugin(plugin, **kw).metrics == run_plugin(plugin, **kw).metrics
