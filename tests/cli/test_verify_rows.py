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


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_quiz_show_of_an_order_item_lists_its_steps_shuffled_and_numbers_the_key(capsys, lang):
    # It printed the prompt and the key alone ("choices": {}): not the item as a learner sees it.
    import json

    from studyml.cli import main
    from studyml.content.variants import find_item

    _pack, item = find_item("ml-foundations/backprop-steps-order")
    steps = [s[lang] for s in item.steps]
    assert main(["--lang", lang, "quiz", "show", "ml-foundations/backprop-steps-order", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert sorted(shown["steps"]) == sorted(steps) and shown["steps"] != steps  # every step, not in order
    assert shown["key"] == " → ".join(f"{i}. {s}" for i, s in enumerate(steps, 1))
    assert main(["--lang", lang, "quiz", "show", "ml-foundations/backprop-steps-order"]) == 0
    listed = [line[4:] for line in capsys.readouterr().out.splitlines() if line.startswith("  - ")]
    assert len(listed) == len(steps)
