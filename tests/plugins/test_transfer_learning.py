import json

import pytest

from tests.plugins.helpers import claims, load_plugin, run_plugin, streams_early

plugin = load_plugin("transfer_learning")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["error_b_transfer"] < 0.1  # A's features explain task B almost entirely
    assert m["error_b_scratch"] > 0.3  # 20 examples in 20 dimensions: from scratch the net can only memorise
    assert m["trainable_parameters_transfer"] == 33 and m["trainable_parameters_scratch"] == 20 * 32 + 32 + 33
    json.dumps(ctx.claim_results, allow_nan=False)


def test_no_pretraining_no_head_start():
    assert claims(run_plugin(plugin, pretrain_examples=0))["transfer_helps_related_task"] is False


def test_unrelated_task_made_related_does_get_help():
    c = claims(run_plugin(plugin, overlap=1.0))
    assert c["no_help_for_unrelated_task"] is False
    assert c["transfer_helps_related_task"] is True


def test_fine_tuning_also_transfers():
    assert claims(run_plugin(plugin, freeze=False))["transfer_helps_related_task"] is True


@pytest.mark.parametrize("seed", range(1, 4))
def test_claims_hold_across_seeds(seed):
    assert all(claims(run_plugin(plugin, seed=seed)).values())


def test_streams_points_while_running():
    assert streams_early(plugin, steps=20)


def test_reproducible():
    # equal up to rounding: vectorised float sums may differ in the last bit with memory alignment
    a, b = run_plugin(plugin, seed=5, steps=30).metrics, run_plugin(plugin, seed=5, steps=30).metrics
    assert a == pytest.approx(b, rel=1e-9)
