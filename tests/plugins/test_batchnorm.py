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


def test_eval_mode_must_match_the_running_statistics_formula_not_only_be_batch_independent(monkeypatch):
    # The claim once checked only that eval mode gives the same output in two batches, which any fixed map does. Now
    # the output must also be the affine map of the running statistics: a BatchNorm that ignored the running variance
    # in eval mode (here F.batch_norm is made to) is still batch-independent, and fails.
    import torch

    batch_norm = torch.nn.functional.batch_norm

    def ignores_running_var(
        x, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5
    ):
        if not training and running_var is not None:
            running_var = torch.ones_like(running_var)
        return batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)

    monkeypatch.setattr(torch.nn.functional, "batch_norm", ignores_running_var)
    ctx = run_plugin(plugin, train_steps=20)
    observed = ctx.claim_results["eval_mode_independent"]["observed"]
    assert observed["eval_mode_output_diff"] == 0.0 and observed["eval_output_minus_running_stats_formula"] > 1
    assert claims(ctx)["eval_mode_independent"] is False


def test_too_few_batches_running_mean_not_there_yet():
    assert claims(run_plugin(plugin, stat_steps=5, train_steps=20))["running_mean_converges"] is False


def test_reproducible():
    assert run_plugin(plugin, seed=8, train_steps=30).metrics == run_plugin(plugin, seed=8, train_steps=30).metrics
