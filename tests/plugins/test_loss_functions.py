import json
import math

import pytest

from tests.plugins.helpers import claims, load_plugin, run_plugin, streams_early

plugin = load_plugin("loss_functions")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    s = 1 / (1 + math.exp(6))
    assert m["ce_grad_at_wrong_logit"] == pytest.approx(1 - s)  # autograd agrees with σ(z) − y
    assert m["mse_grad_at_wrong_logit"] == pytest.approx(2 * (1 - s) * s * (1 - s))
    assert m["grad_ratio_ce_over_mse"] == pytest.approx(m["grad_ratio_closed_form"], rel=1e-9)
    assert m["nll_minus_scaled_mse_mean"] == pytest.approx(m["half_log_2pi_sigma2"], abs=1e-9)
    assert m["argmin_slope_mse"] == m["argmin_slope_nll"] == pytest.approx(1.5, abs=0.15)
    json.dumps(ctx.claim_results, allow_nan=False)


def test_undecided_logit_does_not_saturate():
    # at z = 0 the sigmoid is steepest: the ratio is 1/(2·¼) = 2, far from "vanishing"
    ctx = run_plugin(plugin, wrong_logit=0.0)
    assert claims(ctx)["mse_saturates_ce_does_not"] is False
    assert ctx.metrics["grad_ratio_ce_over_mse"] == pytest.approx(2.0)


@pytest.mark.parametrize("params", [{"noise_model": "input_dependent"}, {"n": 0}])
def test_mse_is_not_the_nll_with_input_dependent_noise_or_no_data(params):
    c = claims(run_plugin(plugin, **params))
    assert c["mse_is_gaussian_nll"] is False
    assert c["mse_saturates_ce_does_not"] is True


def test_streams_points_while_running():
    assert streams_early(plugin)


def test_reproducible():
    # equal up to rounding: vectorised float sums may differ in the last bit with memory alignment
    a, b = run_plugin(plugin, seed=4).metrics, run_plugin(plugin, seed=4).metrics
    assert a == pytest.approx(b, rel=1e-9)
