import json

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("batchnorm")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["eval_mode_output_diff"] == 0.0
    assert m["train_mode_output_diff"] > 0.01
    assert m["running_mean_max_error_in_stds"] < 0.15
    assert m["final_loss_with_bn"] < m["final_loss_without_bn"]
    assert len(ctx.series["train_loss:with_bn"]) == 150
    json.dumps(ctx.claim_results, allow_nan=False)


def test_without_running_stats_eval_depends_on_batch():
    c = claims(run_plugin(plugin, track_running_stats=False, train_steps=20))
    assert c["eval_mode_independent"] is False
    assert c["running_mean_converges"] is False
    assert c["train_mode_depends_on_batch"] is True


def test_too_few_batches_running_mean_not_there_yet():
    assert claims(run_plugin(plugin, stat_steps=5, train_steps=20))["running_mean_converges"] is False


def test_reproducible():
    assert run_plugin(plugin, seed=8, train_steps=30).metrics == run_plugin(plugin, seed=8, train_steps=30).metrics
