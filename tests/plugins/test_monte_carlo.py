import json
import math

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("monte_carlo")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert abs(m["exact"] - 1.493648) < 1e-6
    assert abs(m["estimate"] - m["exact"]) <= 3 * m["standard_error"]
    assert abs(m["slope_log_error_vs_log_n"] + 0.5) < 0.1
    assert 0.95 <= m["coverage_3se"] <= 1.0
    # SE ≈ 2·sd(e^(−x²))/√n with sd ≈ 0.2 for x ~ U(−1, 1)
    assert 0.5 * 0.4 / math.sqrt(10000) < m["standard_error"] < 2 * 0.4 / math.sqrt(10000)
    json.dumps(ctx.claim_results, allow_nan=False)


def test_stratified_sampling_beats_one_over_sqrt_n():
    ctx = run_plugin(plugin, method="stratified")
    c = claims(ctx)
    assert c["error_shrinks_as_inv_sqrt_n"] is False
    assert c["standard_error_predicts_error"] is False
    assert ctx.metrics["slope_log_error_vs_log_n"] < -1.0


def test_reproducible():
    assert run_plugin(plugin, seed=10, n_max=1000).metrics == run_plugin(plugin, seed=10, n_max=1000).metrics


def test_n_min_above_n_max_is_refused_before_a_run():
    """Issue 12: n_min=1000 with n_max=100 used to run and then fail a claim."""
    import pydantic
    import pytest

    from studyml.demos.params import param_errors

    plugin = load_plugin("monte_carlo")
    with pytest.raises(pydantic.ValidationError, match=r"n_max \(100\) must be at least 10 × n_min \(1000\)"):
        plugin.params(n_min=1000, n_max=100)
    assert param_errors(plugin, {"n_min": 1000, "n_max": 100}) == [
        "n_max (100) must be at least 10 × n_min (1000): the 1/√n slope is fitted over sample sizes spanning a "
        "factor of 10 or more"
    ]
    assert param_errors(plugin, {"n_min": 100, "n_max": 1000}) == []
