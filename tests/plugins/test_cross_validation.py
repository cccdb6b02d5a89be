from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("cross_validation")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert 0.2 < m["true_error"] < 0.5  # noise variance 0.25 plus a little model error
    assert m["kfold_std"] < m["holdout_std"]
    assert len(ctx.series["std of k-fold estimate"]) == 20


def test_small_training_part_makes_holdout_pessimistic():
    ctx = run_plugin(plugin, holdout_fraction=0.8)
    c = claims(ctx)
    assert c["holdout_mean_near_true"] is False
    assert ctx.metrics["holdout_mean"] > ctx.metrics["true_error"]
    assert c["kfold_mean_near_true"] is True


def test_reproducible():
    assert run_plugin(plugin, seed=5).metrics == run_plugin(plugin, seed=5).metrics
