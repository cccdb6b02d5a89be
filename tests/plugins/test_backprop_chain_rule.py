from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("backprop_chain_rule")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["max_abs_diff_autograd"] < 1e-10
    assert m["max_abs_diff_finite_difference"] < 1e-6
    assert m["grad_norm"] > 0
    assert len(ctx.tables[0]["rows"]) == 7  # w1, w2, b1, b2, v1, v2, c


def test_large_fd_step_breaks_finite_difference_only():
    c = claims(run_plugin(plugin, fd_step=1.0))
    assert c["finite_difference_matches"] is False
    assert c["autograd_matches_symbolic"] is True


def test_float32_is_not_exact():
    c = claims(run_plugin(plugin, dtype="float32"))
    assert c["autograd_matches_symbolic"] is False
    assert c["finite_difference_matches"] is False


def test_forgetting_activation_derivative_breaks_chain_rule():
    assert claims(run_plugin(plugin, drop_tanh_factor=True))["chain_rule_product"] is False


def test_reproducible():
    assert run_plugin(plugin, seed=6).metrics == run_plugin(plugin, seed=6).metrics
