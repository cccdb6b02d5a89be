import pytest

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("lr_too_large")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["L"] == pytest.approx(4.0)
    assert m["two_over_L"] == pytest.approx(0.5)
    assert m["n_converged"] == 6 and m["n_diverged"] == 6
    assert 0 <= m["boundary_rel_error"] <= 0.05
    assert len(ctx.series) == 12  # one loss curve per learning rate


def test_momentum_moves_the_boundary():
    c = claims(run_plugin(plugin, momentum=0.5))
    assert c["above_diverge"] is False
    assert c["boundary_at_2_over_L"] is False
    assert c["below_converge"] is True


def test_too_few_steps_to_converge():
    assert claims(run_plugin(plugin, steps=3))["below_converge"] is False


def test_reproducible():
    assert run_plugin(plugin, seed=10).metrics == run_plugin(plugin, seed=10).metrics
