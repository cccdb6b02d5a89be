"""Golden tests: a card's `demo.params` and a quiz item's `verify` are checked against the plugin's metadata."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studyml.demos.loading import describe
from tests.content.packutil import card, item, make_pack, messages

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def specs() -> dict:
    """What `studyml pack validate` passes: from plugin metadata (here read in-process from the plugin file)."""
    meta = describe(f"file:{ROOT / 'plugins' / 'monte_carlo.py'}")
    return {
        "monte-carlo": {
            "fields": meta["fields"],
            "claims": [c["id"] for c in meta["claims"]],
            "metrics": [m["id"] for m in meta["metrics"]],
        }
    }


def _card_with(params: str) -> str:
    return card(demo="{id: monte-carlo, params: " + params + "}")


CASES = {
    "misspelt-key": (
        "{n_maxx: 5000}",
        [
            "demo-pack/cards/basics.yaml:6:36: cards[0].demo.params.n_maxx: demo 'monte-carlo' has no parameter 'n_maxx'; "
            "did you mean 'n_max'? (its parameters: n_min, n_max, n_sizes, repeats, method); the demo would run with its default"
        ],
    ),
    "out-of-range": (
        "{repeats: 5}",
        [
            "demo-pack/cards/basics.yaml:6:45: cards[0].demo.params.repeats: Input should be greater than or equal to 10; "
            "got 5 (allowed: int 10 <= repeats <= 1000): see `studyml demo info monte-carlo`"
        ],
    ),
    "not-a-choice": (
        "{method: antithetic}",
        [
            "demo-pack/cards/basics.yaml:6:44: cards[0].demo.params.method: Input should be 'uniform' or 'stratified'; "
            "got 'antithetic' (allowed: one of uniform, stratified): see `studyml demo info monte-carlo`"
        ],
    ),
    "wrong-type": (
        "{n_max: many}",
        [
            "demo-pack/cards/basics.yaml:6:43: cards[0].demo.params.n_max: Input should be a valid integer; got 'many' "
            "(allowed: int 100 <= n_max <= 100000): see `studyml demo info monte-carlo`"
        ],
    ),
    "valid": ("{n_max: 20000, method: stratified}", []),
}


@pytest.mark.parametrize("name", CASES)
def test_card_demo_params_are_checked_against_the_plugin(tmp_path, specs, name):
    params, expected = CASES[name]
    root = make_pack(tmp_path, {"cards/basics.yaml": _card_with(params)})
    got = [m for m in messages(root, known_demos=specs) if "demo" in m]
    assert got == expected


def test_without_plugin_metadata_params_are_not_judged(tmp_path):
    root = make_pack(tmp_path, {"cards/basics.yaml": _card_with("{n_maxx: 5000}")})
    assert not [m for m in messages(root, known_demos={"monte-carlo"}) if "n_maxx" in m]


VERIFY = "  answer: 0.5\n  tolerance: {abs: 0.1}\n  verify: {demo: monte-carlo, params: {repeats: 20}, %s}\n"


@pytest.mark.parametrize(
    "what, expected",
    [
        (
            "metric: slope",
            "demo-pack/quizzes/basics.yaml:8:62: quizzes[0].verify.metric: warning: demo 'monte-carlo' declares no "
            "metric 'slope' (its metrics: exact, estimate, standard_error, abs_error, slope_log_error_vs_log_n, "
            "coverage_3se)",
        ),
        (
            "claim: exact_within_3_se",
            "demo-pack/quizzes/basics.yaml:8:61: quizzes[0].verify.claim: warning: demo 'monte-carlo' "
            "declares no claim 'exact_within_3_se'; did you mean 'exact_within_3se'? (its claims: "
            "error_shrinks_as_inv_sqrt_n, exact_within_3se, standard_error_predicts_error)",
        ),
        ("metric: standard_error", None),
    ],
)
def test_verify_names_are_checked_against_declared_metrics_and_claims(tmp_path, specs, what, expected):
    root = make_pack(tmp_path, {"quizzes/basics.yaml": item("numeric", VERIFY % what)})
    got = [m for m in messages(root, known_demos=specs) if "verify" in m]
    assert got == ([expected] if expected else [])


@pytest.mark.slow
def test_pack_validate_uses_plugin_metadata_and_strict_fails_on_names(tmp_path):
    env = {**os.environ, "STUDYML_HOME": str(tmp_path / "home")}
    bad = make_pack(tmp_path, {"cards/basics.yaml": _card_with("{learning_rate: 0.1}")}, name="bad-param")

    def validate(*args):
        return subprocess.run(
            [sys.executable, "-m", "studyml.cli", "pack", "validate", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    out = validate(str(bad))
    assert out.returncode == 1
    assert "cards[0].demo.params.learning_rate: demo 'monte-carlo' has no parameter 'learning_rate'" in out.stdout
    names = make_pack(tmp_path, {"quizzes/basics.yaml": item("numeric", VERIFY % "metric: slope")}, name="bad-metric")
    assert validate(str(names)).returncode == 0  # a warning without --strict
    strict = validate("--strict", "--json", str(names))
    assert strict.returncode == 1
    [diag] = [
        d for d in json.loads(strict.stdout)["packs"][0]["diagnostics"] if d["path"] == "quizzes[0].verify.metric"
    ]
    assert diag["severity"] == "error" and "declares no metric 'slope'" in diag["message"]
