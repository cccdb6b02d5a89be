import json

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("regularization")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["gap:none"] > 0.2  # the unregularised model overfits
    assert m["val_loss:weight_decay"] < m["val_loss:none"] and m["val_loss:dropout"] < m["val_loss:none"]
    assert m["train_loss:none"] < m["train_loss:dropout"]
    assert m["frac_abs_w_below_1e-3:l1"] > 0.5
    json.dumps(ctx.claim_results, allow_nan=False)


def test_switching_regularisers_off_fails_their_claims():
    c = claims(run_plugin(plugin, weight_decay=0.0, dropout=0.0, l1=0.0, epochs=150))
    assert c == {"weight_decay_lowers_val_loss": False, "dropout_lowers_val_loss": False, "l1_sparse": False}


def test_underfitting_shrinks_the_gap_but_fails_the_claim():
    # The claims compared only the train/validation gap, which underfitting shrinks too: with dropout 0.95 the gap is
    # smaller than without regularisation (0.47 against 0.62), yet the validation loss is higher (0.80 against 0.67).
    ctx = run_plugin(plugin, dropout=0.95)
    m = ctx.metrics
    assert m["gap:dropout"] < m["gap:none"]
    assert m["val_loss:dropout"] > m["val_loss:none"]
    assert claims(ctx)["dropout_lowers_val_loss"] is False


def test_reproducible():
    assert run_plugin(plugin, seed=9, epochs=40).metrics == run_plugin(plugin, seed=9, epochs=40).metrics
