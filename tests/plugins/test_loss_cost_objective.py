import pytest

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("loss_cost_objective")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["cost"] == pytest.approx(m["mean_of_losses"])
    assert m["objective"] == pytest.approx(m["cost"] + m["penalty"])
    assert m["norm_w_objective_min"] < m["norm_w_cost_min"]
    assert m["gd_distance_to_closed_form"] < 1e-3  # gradient descent reached the closed-form minimisers
    assert m["cost_gradient_norm_at_descent_end"] > 0.1 and m["cost_gradient_plus_penalty_pull_relative"] < 1e-12


def test_no_regularisation_means_objective_is_cost():
    c = claims(run_plugin(plugin, lam=0.0))
    assert c["descent_stops_where_penalty_balances_cost"] is False  # the cost's gradient is 0 there
    assert c["regularised_optimum_shrinks"] is False
    assert c["cost_is_mean_loss"] is True


def test_descent_stopped_early_is_not_balanced():
    # The claim is measured at the point gradient descent reached, not computed from the objective's definition
    # (objective − cost == λ‖w‖², which held by construction): stopped after 5 steps, it is not at the balance.
    ctx = run_plugin(plugin, steps=5)
    assert ctx.metrics["cost_gradient_plus_penalty_pull_relative"] > 0.1
    assert claims(ctx)["descent_stops_where_penalty_balances_cost"] is False


def test_sum_reduction_is_not_the_cost():
    assert claims(run_plugin(plugin, reduction="sum"))["cost_is_mean_loss"] is False


def test_reproducible():
    assert run_plugin(plugin, seed=7).metrics == run_plugin(plugin, seed=7).metrics
