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


def _item(**verify):
    from studyml.content.models import NumericItem

    return NumericItem.model_validate(
        {
            "id": "i",
            "card": "c",
            "kind": "numeric",
            "answer": 1,
            "tolerance": {"abs": 0.1},
            "prompt": {"en": "?", "ko": "?"},
            "explanation": {"en": "."},
            "verify": {"demo": "fx", **verify},
        }
    )


def test_a_quiz_row_says_the_numbers_that_decided_its_claim():
    # It said "claim positive fails" alone, where `demo run` gives the observed value and the threshold.
    from studyml.cli.verify import _quiz_check

    claims = [{"id": "positive", "passed": False, "observed": {"value": -1.5}, "threshold": {"value": "> 0"}}]
    res = RunResult("fx", {}, 0, result={"claims": claims, "passed": False, "metrics": {}})
    row = _quiz_check("p", _item(claim="positive"), res, 0.1)
    assert not row.passed and row.detail == "claim positive fails (observed value = -1.5, threshold value > 0)"


def test_a_metric_the_demo_declares_but_did_not_report_is_said_as_that():
    # "demo fx has no metric 'other' (has: value)": the demo declares it, its run did not report it.
    from studyml.cli.verify import _quiz_check

    res = RunResult("fx", {"mode": "ok"}, 0, result={"claims": [], "passed": True, "metrics": {"value": 1.0}})
    row = _quiz_check("p", _item(metric="other", params={"mode": "ok"}), res, 0.1, ["value", "other"])
    assert (
        row.detail
        == "demo fx declares metric 'other', but its run with mode = ok did not report it (it reported: value)"
    )
    row = _quiz_check("p", _item(metric="nope"), res, 0.1, ["value", "other"])
    assert row.detail == "demo fx has no metric 'nope' (it reported: value)"


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


def test_quiz_show_of_a_pack_not_in_the_library_says_how_to_reach_it_and_an_expr_its_symbols(capsys):
    # An author writing a pack got "no quiz item 'hd-pack/logit-expr'", and an expr item showed no symbols.
    import json

    from studyml.cli import main

    assert main(["quiz", "show", "my-new-pack/logit-expr"]) == 2
    err = capsys.readouterr().err
    assert "no pack 'my-new-pack' in the library" in err and "STUDYML_PACKS" in err
    assert main(["quiz", "show", "ml-foundations/bagging-variance-expr"]) == 0
    assert "symbols: rho in [-1, 1], sigma, B" in capsys.readouterr().out
    assert main(["quiz", "show", "ml-foundations/bagging-variance-expr", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["signed"], shown["ranges"]) == (["rho"], {"rho": [-1.0, 1.0]})


def test_quiz_show_json_gives_the_key_as_data_and_a_seed_on_a_plain_item_is_said(capsys):
    # `key` was display text alone ("117 (± 0.5)"), and --seed on an item that is no template was ignored unsaid.
    import json

    from studyml.cli import main

    assert main(["quiz", "show", "ml-foundations/gpt3-vs-gpt2-numeric", "--json", "--seed", "3"]) == 0
    out, err = capsys.readouterr()
    shown = json.loads(out)
    assert (shown["answer"], shown["tolerance"]) == (117, {"abs": 0.5, "rel": None})
    assert "is not a template: --seed changes nothing" in err
    assert main(["quiz", "show", "ml-foundations/t-conv-output-size", "--seed", "7", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["key"].startswith(f"{json.loads(out)['answer']:g}") and err == ""
