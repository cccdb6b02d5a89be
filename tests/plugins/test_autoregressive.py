import json

import pytest

from tests.plugins.helpers import claims, load_plugin, run_plugin, streams_early

plugin = load_plugin("autoregressive")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["sequences"] == 3**7
    assert m["joint_total_probability"] == pytest.approx(1.0)
    assert m["nll_order_2"] < m["nll_order_1"] < m["nll_order_0"]
    assert m["nll_order_2"] == pytest.approx(m["nll_true_chain"], abs=0.02)  # enough data to learn the true table
    assert m["nll_order_3"] > m["nll_order_2"] - 0.01  # a longer context than the chain's memory adds nothing
    json.dumps(ctx.claim_results, allow_nan=False)


def test_full_context_is_the_plain_chain_rule():
    assert claims(run_plugin(plugin, context=6))["chain_rule_exact"] is True


def test_too_short_context_is_not_the_joint_but_still_a_distribution():
    ctx = run_plugin(plugin, context=1)
    assert claims(ctx)["chain_rule_exact"] is False
    assert ctx.metrics["chain_rule_total_variation"] > 0.01
    assert ctx.metrics["factorised_total_probability"] == pytest.approx(1.0)


def test_order_one_chain_leaves_nothing_for_a_longer_context():
    c = claims(run_plugin(plugin, true_order=1))
    assert c["longer_context_wins"] is False
    assert c["chain_rule_exact"] is True
    assert claims(run_plugin(plugin, true_order=1, context=1))["chain_rule_exact"] is True


def test_too_little_training_data_cannot_show_the_gap():
    assert claims(run_plugin(plugin, train_length=10))["longer_context_wins"] is False


@pytest.mark.parametrize("seed", range(5))
def test_claims_hold_across_seeds(seed):
    assert all(claims(run_plugin(plugin, seed=seed)).values())


def test_streams_points_while_running():
    assert streams_early(plugin)


def test_reproducible():
    # equal up to rounding: vectorised float sums may differ in the last bit with memory alignment
    a, b = run_plugin(plugin, seed=5).metrics, run_plugin(plugin, seed=5).metrics
    assert a == pytest.approx(b, rel=1e-9)
