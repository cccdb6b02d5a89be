"""`studyml demo list|info|run` and `studyml verify` through the real command line."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.demos.helpers import FIXTURES, cli

pytestmark = pytest.mark.slow  # real worker processes


def test_run_exit_codes_0_1_3(demo_home):
    ok = cli("demo", "run", "fx-stream")
    assert ok.returncode == 0, ok.stderr
    assert "✓ sum-exceeds-target" in ok.stdout and "observed total = 5" in ok.stdout
    assert "[100%] step 5" in ok.stderr and "[100%]" not in ok.stdout
    assert "\nsteps\n  i  total" in ok.stdout  # the table's title and columns in the learner's language
    ko = cli("--lang", "ko", "demo", "run", "fx-stream")
    assert ko.returncode == 0, ko.stderr
    assert "\n단계표\n  i  누계" in ko.stdout

    failed = cli("demo", "run", "fx-stream", "--param", "steps=30")
    assert failed.returncode == 1
    assert "✗ few-steps" in failed.stdout and "threshold steps <= 20" in failed.stdout

    raised = cli("demo", "run", "fx-raise", "--timeout", "5")
    assert raised.returncode == 3
    assert (
        "studyml: error: the demo did not finish (exception): ValueError: fixture failure 42 at x[i]" in raised.stderr
    )

    hung = cli("demo", "run", "fx-hang", "--timeout", "2")
    assert hung.returncode == 3 and "studyml: error: the demo did not finish (timeout)" in hung.stderr
    assert "Smaller values run faster, or give it longer: --timeout 4" in hung.stderr  # what to do


def test_user_errors_are_one_line_without_traceback(demo_home):
    for args, text in [
        (["demo", "run", "fx-stream", "-p", "steps=abc"], "steps: "),
        (["demo", "run", "fx-stream", "-p", "nope=1"], "unknown parameter 'nope'"),
        (["demo", "run", "no-such-demo"], "no demo plugin with id 'no-such-demo'"),
        (["demo", "info", "no-such-demo"], "no demo plugin with id 'no-such-demo'"),
    ]:
        out = cli(*args)
        assert out.returncode == 2, args
        assert out.stderr.startswith("studyml: error: "), out.stderr
        assert text in out.stderr and "Traceback" not in out.stderr, out.stderr


def test_run_json_is_the_result(demo_home):
    out = cli("demo", "run", "fx-stream", "--json", "--seed", "3", "-p", "steps=3")
    data = json.loads(out.stdout)
    assert out.returncode == 0 and data["passed"] and data["seed"] == 3
    assert data["result"]["metrics"] == {"total": 3.0} and data["params"]["steps"] == 3


def test_list_and_info(demo_home):
    listed = json.loads(cli("demo", "list", "--json").stdout)
    ids = {p["id"] for p in listed["plugins"]}
    assert {"fx-stream", "fx-raise", "fx-hang"} <= ids
    human = cli("demo", "list").stdout
    assert "fx-stream" in human and "Fixture stream" in human

    info = json.loads(cli("demo", "info", "fx-stream", "--json").stdout)
    steps = next(p for p in info["parameters"] if p["name"] == "steps")
    assert steps["default"] == 5 and steps["bounds"] == "int 1 <= steps <= 50"
    assert [c["id"] for c in info["claims"]] == ["sum-exceeds-target", "few-steps"]
    text = cli("demo", "info", "fx-stream").stdout
    assert "number of steps" in text and "At most 20 steps." in text


def test_verify_runs_demos_and_demo_linked_quiz_checks(demo_home):
    shutil.copytree(FIXTURES / "verify_pack", demo_home / "packs" / "fx-verify")
    out = cli("verify", "fx-stream", "--json")
    assert out.returncode == 1, out.stderr
    rows = {c["check"]: c for c in json.loads(out.stdout)["checks"]}
    assert rows["demo:fx-stream"]["passed"]
    assert rows["quiz:fx-verify/total-default"]["passed"]
    assert rows["quiz:fx-verify/few-steps-claim"]["passed"]
    wrong = rows["quiz:fx-verify/total-wrong-key"]
    assert not wrong["passed"] and "total=3" in wrong["detail"]
    assert "[1/4] demo fx-stream" in out.stderr

    (demo_home / "packs" / "fx-verify" / "quizzes" / "quiz.yaml").write_text(
        (FIXTURES / "verify_pack" / "quizzes" / "quiz.yaml").read_text().replace("answer: 4", "answer: 3")
    )
    table = cli("verify", "fx-stream")
    assert table.returncode == 0, table.stdout + table.stderr
    assert "4/4 checks passed" in table.stdout


def test_verify_fails_on_a_failing_demo(demo_home):
    out = cli("verify", "fx-partial", "fx-raise")
    assert out.returncode == 1
    assert "forgotten not evaluated" in out.stdout and "exception: ValueError" in out.stdout
