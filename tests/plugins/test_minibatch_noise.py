import json

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("minibatch_noise")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert abs(m["slope_log_var_vs_log_B"] + 1) < 0.1
    assert m["variance_full_batch"] < 1e-20
    assert abs(m["variance_B1"] / m["per_example_variance"] - 1) < 0.2
    assert len(ctx.series["variance"]) == 11  # B = 1, 2, 4, ..., 1024
    json.dumps(ctx.claim_results, allow_nan=False)


def test_with_replacement_full_batch_still_noisy():
    c = claims(run_plugin(plugin, sampling="with_replacement"))
    assert c["full_batch_zero_variance"] is False
    assert c["variance_scales_as_1_over_B"] is True  # sigma^2 / B exactly, no finite-population factor


def test_unshuffled_contiguous_batches_break_one_over_b():
    c = claims(run_plugin(plugin, sampling="contiguous_unshuffled"))
    assert c["variance_scales_as_1_over_B"] is False
    assert c["matches_theory"] is False


def test_reproducible():
    assert run_plugin(plugin, seed=7, repeats=50).metrics == run_plugin(plugin, seed=7, repeats=50).metrics
