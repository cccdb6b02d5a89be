import json

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("convexity_hessian")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["mse_min_eigenvalue"] > 0  # random features: XᵀX is positive definite
    assert abs(m["linear_net_eig_min"] + 2) < 1e-12 and abs(m["linear_net_eig_max"] - 2) < 1e-12
    assert m["net_min_eigenvalue"] < 0
    assert m["max_abs_diff_sympy_autograd"] < 1e-10
    json.dumps(ctx.claim_results, allow_nan=False)


def test_breaking_params_fail_each_claim():
    c = claims(
        run_plugin(
            plugin,
            ridge=-3.0,  # a negative "penalty" makes the MSE Hessian indefinite
            point_w1=1.0,
            point_w2=1.0,  # a minimum of (w1*w2 - 1)^2, not a saddle
            output_loss="squared_error",  # squared error on softmax probabilities is not convex in the logits
            freeze_hidden=True,  # logistic regression on fixed features is convex
            autograd_dtype="float32",  # float32 autograd differs from exact sympy by ~1e-7
        )
    )
    assert c == {
        "mse_convex": False,
        "linear_net_saddle": False,
        "ce_convex_in_logits": False,
        "net_not_convex_in_weights": False,
        "sympy_matches_autograd": False,
    }


def test_reproducible():
    assert run_plugin(plugin, seed=3, n_points=3).metrics == run_plugin(plugin, seed=3, n_points=3).metrics
