import pytest

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("mle_kl")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert abs(m["mu_hat"] - 1.5) < 0.3
    assert m["var_hat"] < m["var_unbiased"]
    assert m["kl_p_q"] > 0 and m["kl_q_p"] > 0
    assert abs(m["cross_entropy_p_q"] - (m["entropy_p"] + m["kl_p_q"])) < 1e-10


@pytest.mark.parametrize(
    "params, claim_id",
    [
        ({"mistake": "unbiased_variance"}, "normal_mle"),
        ({"mistake": "add_one_counts"}, "categorical_mle"),
        ({"mistake": "unnormalised_q"}, "kl_nonnegative"),
        ({"mistake": "wrong_kl_direction"}, "cross_entropy_decomposition"),
        ({"q": "reversed"}, "kl_asymmetric"),
        ({"skew": 0.0, "q": "uniform"}, "kl_asymmetric"),
    ],
)
def test_claim_fails_when_broken(params, claim_id):
    assert claims(run_plugin(plugin, **params))[claim_id] is False


def test_reproducible():
    assert run_plugin(plugin, seed=3).metrics == run_plugin(plugin, seed=3).metrics
