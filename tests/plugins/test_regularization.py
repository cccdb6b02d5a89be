import json

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("regularization")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["gap:none"] > 0.2  # the unregularised model overfits
    assert m["train_loss:none"] < m["train_loss:dropout"]
    assert m["frac_abs_w_below_1e-3:l1"] > 0.5
    json.dumps(ctx.claim_results, allow_nan=False)


def test_switching_regularisers_off_fails_their_claims():
    c = claims(run_plugin(plugin, weight_decay=0.0, dropout=0.0, l1=0.0, epochs=150))
    assert c == {"weight_decay_shrinks_gap": False, "dropout_shrinks_gap": False, "l1_sparse": False}


def test_reproducible():
    assert run_plugin(plugin, seed=9, epochs=40).metrics == run_plugin(plugin, seed=9, epochs=40).metrics
