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
