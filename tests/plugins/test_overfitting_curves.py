import json

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("overfitting_curves")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert 1 < m["best_val_epoch"] < 300
    assert m["final_train_loss"] < m["noise_variance"] < m["min_val_loss"] < m["final_val_loss"]
    assert m["checkpoint_epoch"] < m["early_stop_epoch"] <= 300
    assert 0 < m["test_loss_at_checkpoint"] < m["final_val_loss"]
    assert len(ctx.series["train_loss"]) == len(ctx.series["val_loss"]) == 300
    json.dumps(ctx.claim_results, allow_nan=False)


def test_too_few_epochs_no_u_shape():
    c = claims(run_plugin(plugin, epochs=3))
    assert c["val_loss_u_shaped"] is False
    assert c["early_stopping_fires"] is False


def test_the_margin_holds_the_rise_only_as_the_claim_says():
    # margin=0.9 failed a run whose rise was 0.916: the drop from the start was held to the margin too.
    ctx = run_plugin(plugin, margin=0.9)
    observed = ctx.claim_results["val_loss_u_shaped"]["observed"]
    rise, drop = observed["relative_rise"], observed["relative_drop"]
    assert claims(ctx)["val_loss_u_shaped"] is (rise > 0.9 and drop > 0 and 1 < observed["best_val_epoch"] < 300)
    assert claims(run_plugin(plugin, margin=2.0))["val_loss_u_shaped"] is (rise > 2.0)


def test_heavy_weight_decay_stops_training_loss_falling():
    # The penalty drags the net toward a constant: training loss ends above its value at the best-validation epoch.
    assert claims(run_plugin(plugin, weight_decay=2.0, epochs=150))["train_loss_keeps_falling"] is False


def test_patience_longer_than_training_never_stops():
    c = claims(run_plugin(plugin, patience=1000, epochs=100))
    assert c["early_stopping_fires"] is False


def test_early_stopping_that_fires_at_the_last_epoch_stopped_nothing():
    # The claim says it stops before the last epoch; it passed when stopping fired at the last one.
    epochs = 120
    best = run_plugin(plugin, patience=2000, epochs=epochs).metrics["checkpoint_epoch"]  # never fires: the best epoch
    assert best < epochs
    ctx = run_plugin(plugin, patience=epochs - best, epochs=epochs)  # fires exactly at the last epoch
    assert ctx.metrics["early_stop_epoch"] == epochs
    assert claims(ctx)["early_stopping_fires"] is False
    assert claims(run_plugin(plugin, patience=epochs - best - 1, epochs=epochs))["early_stopping_fires"] is (
        ctx.metrics["checkpoint_val_loss"] < ctx.metrics["final_val_loss"]
    )


def test_reproducible():
    assert run_plugin(plugin, seed=2, epochs=60).metrics == run_plugin(plugin, seed=2, epochs=60).metrics
