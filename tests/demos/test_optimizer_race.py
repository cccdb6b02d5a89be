import json

from conftest import claims, load_plugin, run_plugin

plugin = load_plugin("optimizer_race")

OPTS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
PROBLEMS = ["quartic", "ill_conditioned", "rosenbrock"]


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    for o in OPTS:
        for prob in PROBLEMS:
            assert f"path:{o}:{prob}" in ctx.series
            assert len(ctx.series[f"path:{o}:{prob}"]) <= 62
            assert m[f"final_loss:{o}:{prob}"] >= m["quartic_global_min"] - 1e-9 if prob == "quartic" else True
    assert m["final_loss:adam:rosenbrock"] < 1e-2
    json.dumps({"metrics": m, "claims": ctx.claim_results, "tables": ctx.tables}, allow_nan=False)


def test_tiny_budget_fails():
    c = claims(run_plugin(plugin, steps=10))
    assert c == {"momentum_beats_sgd": False, "adam_solves_rosenbrock": False, "adaptive_beats_sgd_on_ill_conditioned": False}


def test_well_conditioned_quadratic_gives_momentum_no_edge():
    # kappa = 1 and lr = 1 on the grid: plain SGD lands on the minimum in one step.
    assert claims(run_plugin(plugin, kappa=1.0, steps=50))["momentum_beats_sgd"] is False


def test_reproducible():
    assert run_plugin(plugin, seed=1, steps=40).metrics == run_plugin(plugin, seed=1, steps=40).metrics
