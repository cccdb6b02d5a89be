"""What `studyml verify` says in a demo's row."""

from __future__ import annotations

import pytest

from studyml.cli.verify import _demo_check
from studyml.demos.runner import RunResult


@pytest.mark.parametrize(("n", "said"), [(1, "1 claim holds"), (3, "3 claims hold")])
def test_a_demo_whose_claims_hold_says_how_many_in_words_that_agree(n, said):
    claims = [{"id": f"c{i}", "passed": True} for i in range(n)]
    res = RunResult("fx", {}, 0, result={"claims": claims, "passed": True})
    assert _demo_check("fx", res, 0.1).detail == said  # "1 claims hold" before


def test_quiz_show_prints_formulas_as_the_learner_sees_them_not_latex(capsys):
    # "as a learner sees it", and it printed $\partial L/\partial a$.
    from studyml.cli import main

    assert main(["quiz", "show", "ml-foundations/dead-relu-definition-choice"]) == 0
    out = capsys.readouterr().out
    assert "∂L/∂a" in out and "\\partial" not in out and "$" not in out
