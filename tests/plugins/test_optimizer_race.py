import json

import pytest

from tests.plugins.helpers import claims, load_plugin, run_plugin

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
    # RMSProp's per-coordinate steps need no run-up: on the axis-aligned quadratic they win within 10 steps (2.7e-11
    # against SGD's 1.8); Adam, which builds up momentum, did not.
    assert c == {
        "momentum_beats_sgd": False,
        "adam_solves_rosenbrock": False,
        "adaptive_beats_sgd_on_ill_conditioned": True,
    }


def test_well_conditioned_quadratic_gives_momentum_and_per_coordinate_steps_no_edge():
    # kappa = 1 and lr = 1 on the grid: plain SGD lands on the minimum in one step.
    c = claims(run_plugin(plugin, kappa=1.0, steps=50))
    assert c["momentum_beats_sgd"] is False
    assert c["adaptive_beats_sgd_on_ill_conditioned"] is False


def test_sgd_also_tries_its_best_fixed_step_on_the_quadratic():
    # "SGD crawls" was partly the grid's doing: its best grid step, 0.004, is five times below 2/(1+kappa). With that
    # step the error shrinks by (kappa-1)/(kappa+1) per step in both coordinates: loss 52·(99/101)^600 after 300 steps.
    ctx = run_plugin(plugin)
    m = ctx.metrics
    assert m["best_lr:sgd:ill_conditioned"] == pytest.approx(2 / 101)
    assert m["final_loss:sgd:ill_conditioned"] == pytest.approx(52 * (99 / 101) ** 600, rel=1e-6)
    # The per-coordinate claim rests on RMSProp, which has no momentum (Adam has both).
    observed = ctx.claim_results["adaptive_beats_sgd_on_ill_conditioned"]["observed"]
    assert observed["rmsprop_loss"] == m["final_loss:rmsprop:ill_conditioned"] < 1e-20


def test_reproducible():
    assert run_plugin(plugin, seed=1, steps=40).metrics == run_plugin(plugin, seed=1, steps=40).metrics


def test_contours_are_level_sets_of_each_problem():
    """Contour points sit where f crosses one of five levels: log f clusters tightly on five values.
    Points scattered anywhere else in the window would form one wide cluster instead."""
    import math

    ctx = run_plugin(plugin, steps=60)
    f = {
        "ill_conditioned": lambda x, y: 0.5 * (x**2 + 100.0 * y**2),
        "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    }
    assert all(len(ctx.series[f"contour:{prob}"]) > 100 for prob in PROBLEMS)
    for prob, fn in f.items():
        logs = sorted(math.log(fn(x, y) + 1e-9) for x, y in ctx.series[f"contour:{prob}"])
        spread = logs[-1] - logs[0]
        clusters = [[logs[0]]]
        for a, b in zip(logs, logs[1:]):
            if b - a > 0.02 * spread:
                clusters.append([b])
            else:
                clusters[-1].append(b)
        assert len(clusters) == 5
        assert all(c[-1] - c[0] < 0.05 * spread for c in clusters)


def test_progress_names_optimizers_and_problems_as_the_learner_reads_them_in_both_languages():
    # The Korean app read "11% quartic에서 nesterov": the ids, not the names the plots use.
    from studyml.demos.api import Context

    events: list[dict] = []
    plugin.run(plugin.params(steps=5, n_lrs=1), Context(lang="ko", emit=events.append, plugin=plugin))
    texts = [e["text"] for e in events if e["type"] == "progress" and e["text"]["en"] != "done"]
    assert texts[0] == {"en": "SGD on the quartic", "ko": "4차 함수에서 SGD"}
    assert {"en": "Nesterov on the Rosenbrock", "ko": "로젠브록 함수에서 네스테로프"} in texts
    assert not any(name in t["ko"] for t in texts for name in ("quartic", "nesterov", "momentum", "ill_conditioned"))
