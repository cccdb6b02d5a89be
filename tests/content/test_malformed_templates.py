"""Golden tests: the exact messages an author sees for malformed quiz templates."""

from __future__ import annotations

import pytest

from tests.content.packutil import item, make_pack, messages

NUMERIC = "  params:\n{params}  answer: '{answer}'\n  tolerance: {{abs: 0.5}}\n  check: {{plugin: checks, id: c}}\n"


def template(params: str, answer: str, prompt: str = "{en: 'n = {n}', ko: 'n = {n}'}") -> str:
    text = item("numeric", NUMERIC.format(params=params, answer=answer))
    return text.replace("prompt: {en: P, ko: 문제}", f"prompt: {prompt}")


CASES: dict[str, tuple[str, list[str]]] = {
    "misconception-the-key-always-accepts": (
        template("    n: {range: [1, 5]}\n", "n*2")
        + "  misconceptions:\n    - value: '2*n'\n      feedback: {en: F, ko: 피드백}\n"
        + "    - value: 'n + 2'\n      feedback: {en: F, ko: 피드백}\n",  # equal at n = 2 only: as ranges go
        [
            "demo-pack/quizzes/basics.yaml:12:14: quizzes[0].misconceptions[0].value: the key accepts this value at "
            "every draw checked (n=1, …): a misconception is a wrong answer, and its feedback would never show"
        ],
    ),
    "placeholder-without-param": (
        template("    n: {range: [1, 5]}\n", "n + 1", "{en: 'n = {n}, m = {m}', ko: 'n = {n}'}"),
        [
            "demo-pack/quizzes/basics.yaml:4:16: quizzes[0].prompt.en: placeholder {m} has no param; "
            "declare it under `params` (params: n)"
        ],
    ),
    "negative-constant-tolerance": (  # it said "negative for n=1; narrow a range or change the formula"
        template("    n: {range: [1, 5]}\n", "n + 1").replace("tolerance: {abs: 0.5}", "tolerance: {rel: -1}"),
        ["demo-pack/quizzes/basics.yaml:9:20: quizzes[0].tolerance.rel: tolerance must be zero or positive, got -1"],
    ),
    "empty-range": (
        template("    n: {range: [5, 1]}\n", "n + 1"),
        ["demo-pack/quizzes/basics.yaml:7:16: quizzes[0].params.n.range: empty range: low 5 is above high 1"],
    ),
    "decimal-range-without-step": (
        template("    n: {range: [0.5, 1]}\n", "n + 1"),
        [
            "demo-pack/quizzes/basics.yaml:7:8: quizzes[0].params.n.step: a range of decimals needs a `step`, e.g. step: 0.1"
        ],
    ),
    "division-by-zero-at-range-end": (
        template("    n: {range: [0, 5]}\n", "1/n"),
        [
            "demo-pack/quizzes/basics.yaml:8:11: quizzes[0].answer: fails for n=0: float division by zero; "
            "narrow a range or change the formula"
        ],
    ),
    "derived-param-fails": (
        template("    n: {range: [1, 9]}\n    k: {formula: 'ln(n - 1)'}\n", "k"),
        [
            "demo-pack/quizzes/basics.yaml:8:18: quizzes[0].params.k.formula: fails for n=1: math domain error; "
            "narrow a range or change the formula"
        ],
    ),
    "param-shadows-function": (
        template("    n: {range: [1, 5]}\n    exp: {range: [1, 5]}\n", "n + exp"),
        [
            "demo-pack/quizzes/basics.yaml:8:10: quizzes[0].params.exp: param name 'exp' shadows the math "
            "function 'exp'; rename it"
        ],
    ),
    "param-shadows-constant": (
        template("    n: {range: [1, 5]}\n    pi: {choice: [3, 4]}\n", "n * pi"),
        [
            "demo-pack/quizzes/basics.yaml:8:9: quizzes[0].params.pi: param name 'pi' shadows the math "
            "constant 'pi'; rename it"
        ],
    ),
    "key-uses-unknown-name": (
        template("    n: {range: [1, 5]}\n", "n + m"),
        [
            "demo-pack/quizzes/basics.yaml:8:11: quizzes[0].answer: the formula does not parse: column 5: "
            "unknown name 'm'; this item's symbols are: n"
        ],
    ),
    "formula-key-without-params": (
        item("numeric", "  answer: '1/2'\n  tolerance: {abs: 0.5}\n"),
        [
            "demo-pack/quizzes/basics.yaml:6:11: quizzes[0].answer: expected a number, got text '1/2' "
            "(a formula key needs `params` to compute it from)"
        ],
    ),
    "param-with-two-kinds": (
        template("    n: {range: [1, 5], choice: [1, 2]}\n", "n"),
        [
            "demo-pack/quizzes/basics.yaml:7:8: quizzes[0].params.n: a param needs exactly one of `range`, "
            "`choice` or `formula`"
        ],
    ),
}


def test_two_choices_that_read_the_same_at_a_range_end_are_refused(tmp_path):
    # Xavier's 2/(fin+fout) and LeCun's 1/fin read alike when fin = fout: `pack validate --strict` passed it, and
    # `studyml verify` found it only at a seed past its default 50.
    body = (
        "  params:\n    fin: {range: [10, 100]}\n    fout: {range: [10, 100]}\n    he: {formula: '2/fin'}\n"
        "    xav: {formula: '2/(fin+fout)'}\n    lecun: {formula: '1/fin'}\n"
        "  choices: {a: {en: '{he}', ko: '{he}'}, b: {en: '{xav}', ko: '{xav}'}, c: {en: '{lecun}', ko: '{lecun}'}}\n"
        "  answer: b\n  check: {plugin: checks, id: c}\n"
    )
    root = make_pack(tmp_path, {"quizzes/basics.yaml": item("choice", body)})
    assert messages(root) == [
        "demo-pack/quizzes/basics.yaml:12:76: quizzes[0].choices.c: reads the same as choice 'b' ('0.1') for fin=10, "
        "fout=10, he=0.2, xav=0.1, lecun=0.1: the learner cannot tell them apart; narrow a range or change a formula "
        "so they stay apart"
    ]
    apart = body.replace("fout: {range: [10, 100]}", "fout: {range: [200, 300]}")  # fin + fout > 2 fin always
    root = make_pack(tmp_path / "apart", {"quizzes/basics.yaml": item("choice", apart)})
    assert messages(root) == []


def test_a_template_without_check_is_warned_where_verify_would_fail_it(tmp_path):
    # `pack validate --strict` passed it; only a full `studyml verify` (minutes) said "no `check`".
    text = template("    n: {range: [1, 5]}\n", "n + 1").replace("  check: {plugin: checks, id: c}\n", "")
    root = make_pack(tmp_path, {"quizzes/basics.yaml": text})
    assert messages(root) == [
        "demo-pack/quizzes/basics.yaml:6:3: quizzes[0].params: warning: a template without `check`: `studyml verify` "
        "fails it; name a plugin check that computes the key another way (check: {plugin: ID, id: CHECK})"
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_template_messages(case, tmp_path):
    text, expected = CASES[case]
    root = make_pack(tmp_path, {"quizzes/basics.yaml": text})
    assert messages(root) == expected


def test_valid_template_loads(tmp_path):
    root = make_pack(tmp_path, {"quizzes/basics.yaml": template("    n: {range: [1, 5]}\n", "1/n")})
    assert messages(root) == []


def test_latex_arguments_are_not_placeholders(tmp_path):
    prompt = r"{en: '$\frac{1}{n}$ and $\mathbb{E}[x]$', ko: '$\frac{1}{n}$'}"
    root = make_pack(tmp_path, {"quizzes/basics.yaml": template("    n: {range: [1, 5]}\n", "1/n", prompt)})
    assert messages(root) == []
