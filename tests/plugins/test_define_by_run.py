import pytest

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("define_by_run")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["max_iterations"] > m["min_iterations"]
    assert m["max_rel_grad_error"] < 1e-12
    rows = ctx.tables[0]["rows"]
    assert {r[3] for r in rows} == {"square", "sin"}  # both branches taken with the default seed
    assert all(r[5] == r[2] for r in rows)  # one Mul node per loop iteration


@pytest.mark.parametrize("params", [{"n_inputs": 1}, {"threshold": 0.01}])
def test_same_path_for_all_inputs(params):
    assert claims(run_plugin(plugin, **params))["paths_differ"] is False


def test_forgetting_the_loop_factor_breaks_the_gradient():
    assert claims(run_plugin(plugin, mistake="forget_loop_factor"))["autograd_matches_analytic"] is False


def test_reproducible():
    a, b = run_plugin(plugin, seed=8), run_plugin(plugin, seed=8)
    assert a.metrics == b.metrics and a.tables == b.tables
