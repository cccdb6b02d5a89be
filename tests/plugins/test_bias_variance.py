from tests.plugins.helpers import claims, in_a_panel, load_plugin, run_plugin

plugin = load_plugin("bias_variance")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["bias2_highest_degree"] < m["bias2_lowest_degree"]
    assert m["variance_highest_degree"] > m["variance_lowest_degree"]
    assert 1 <= m["best_degree"] <= 9
    assert m["best_test_error"] >= 0.3**2 * 0.95  # never below the noise floor
    assert len(ctx.series["bias²"]) == 11


def test_no_noise_means_no_variance():
    c = claims(run_plugin(plugin, noise=0.0))
    assert c["variance_rises"] is False
    assert c["decomposition_holds"] is True


def test_forgetting_the_noise_term_breaks_the_sum():
    ctx = run_plugin(plugin, include_noise=False)
    assert claims(ctx)["decomposition_holds"] is False
    # Said as the sum's missing term, and the plotted sum named for what it adds: its legend said "+ σ²" without it.
    detail = ctx.claim_results["decomposition_holds"]["detail"]
    assert "left out (include_noise = off)" in detail["en"] and "뺐습니다" in detail["ko"]
    assert "bias² + variance" in ctx.series and "bias² + variance + σ²" not in ctx.series
    assert in_a_panel(plugin, "bias² + variance")
    headers = [c["en"] if isinstance(c, dict) else c for c in ctx.tables[0]["columns"]]
    assert "bias²+var" in headers and "bias²+var+σ²" not in headers


def test_reproducible():
    assert run_plugin(plugin, seed=2).metrics == run_plugin(plugin, seed=2).metrics
