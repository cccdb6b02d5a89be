"""Golden tests: pack text that names an option by its letter in the file, and per-option `why` feedback."""

from __future__ import annotations

import pytest

from studyml.quiz.feedback import feedback_markdown, letter_references, option_feedback
from tests.content.packutil import make_pack, messages

ITEM = """\
- id: q1
  card: sigmoid
  kind: {kind}
  prompt: {{en: Which statement defines overfitting?, ko: 과적합의 정의는?}}
  choices:
    a: {{en: 'Low training error, high test error', ko: '훈련 오차는 낮고 테스트 오차는 높다'}}
    b: {{en: Both errors high, ko: 두 오차가 모두 높다}}
    c: {{en: Generalises too well, ko: 너무 잘 일반화한다}}
  {key}
  explanation:
    en: {en}
    ko: {ko}
{why}"""


def _pack(
    tmp_path, en="'A gap between the errors.'", ko="'오차 사이의 격차입니다.'", why="", kind="choice", key="answer: a"
):
    return make_pack(tmp_path, {"quizzes/basics.yaml": ITEM.format(kind=kind, key=key, en=en, ko=ko, why=why)})


def test_letter_in_an_explanation_is_reported_with_its_place(tmp_path):
    root = _pack(tmp_path, en="'(b) is underfitting.'", ko="'b는 과소적합입니다.'")
    assert messages(root) == [
        "demo-pack/quizzes/basics.yaml:11:9: quizzes[0].explanation.en: warning: refers to option (b) by its letter in the file, "
        "but options are shuffled and relabelled on screen, so the learner cannot tell which one is meant: "
        "say it under `why: {b: ...}` or name the option by its content",
        "demo-pack/quizzes/basics.yaml:12:9: quizzes[0].explanation.ko: warning: refers to option (b) by its letter in the file, "
        "but options are shuffled and relabelled on screen, so the learner cannot tell which one is meant: "
        "say it under `why: {b: ...}` or name the option by its content",
    ]


def test_the_same_text_under_why_is_clean(tmp_path):
    why = "  why:\n    b: {en: 'That is underfitting.', ko: '그것은 과소적합입니다.'}\n"
    assert messages(_pack(tmp_path, why=why)) == []


def test_why_for_an_option_that_does_not_exist_is_an_error(tmp_path):
    why = "  why:\n    z: {en: 'No such option.', ko: '없는 보기.'}\n"
    assert messages(_pack(tmp_path, why=why, kind="multi", key="answers: [a]")) == [
        "demo-pack/quizzes/basics.yaml:14:5: quizzes[0].why.z: `why` names 'z', which is not one of the choices (a, b, c)",
    ]


def test_why_needs_every_language(tmp_path):
    why = "  why:\n    b: {en: 'That is underfitting.'}\n"
    assert messages(_pack(tmp_path, why=why)) == [
        "demo-pack/quizzes/basics.yaml:14:8: quizzes[0].why.b: missing the 'ko' text (the manifest lists languages en, ko)",
    ]


def test_strict_cli_fails_on_a_letter_reference(tmp_path, capsys):
    from studyml.cli import main

    root = _pack(tmp_path, en="'Option c is the opposite.'")
    assert main(["pack", "validate", str(root)]) == 0
    assert main(["pack", "validate", "--strict", str(root)]) == 1
    out = capsys.readouterr().out
    assert "quizzes/basics.yaml:11:9: quizzes[0].explanation.en: refers to option (c) by its letter" in out


@pytest.mark.parametrize(
    "text, refs",
    [
        ("(c) is underfitting", ["c"]),
        ("c) describes L1", ["c"]),
        ("Options b–d describe define-and-run", ["b", "d"]),
        ("b is GoogLeNet's module, c is ResNet", ["b", "c"]),
        ("(a)–(c)는 흔한 이유이고 e는 버그입니다", ["a", "c", "e"]),
        ("보기 d는 틀렸습니다", ["d"]),
        ("The pair (a, b) is ordered", []),  # closes a parenthesis: not an option label
        ("$f(a)$ and `g(b)` stay math and code", []),
        ("a model with (x) unknown", []),  # x is not one of the choices
        ("This is a hard case", []),  # the article 'a'
    ],
)
def test_letter_references(text, refs):
    assert letter_references(text, ["a", "b", "c", "d", "e"]) == refs


class _Item:
    kind = "multi"
    choices = {"a": {"en": "A"}, "b": {"en": "B"}, "c": {"en": "C"}}
    answers = ["a", "c"]
    why = {"b": {"en": "B is wrong."}}


def test_feedback_rows_follow_the_screen_order_and_labels():
    rows = option_feedback(_Item, ["c", "b", "a"], ["b", "c"], "en")
    assert [(r.label, r.key, r.correct, r.chosen) for r in rows] == [
        ("a)", "c", True, True),
        ("b)", "b", False, True),
        ("c)", "a", True, False),
    ]
    md = feedback_markdown(rows, "your answer")
    assert md.splitlines() == [
        "- **a)** ✓ C ← *your answer*",
        "- **b)** ✗ B ← *your answer*  ",
        "  B is wrong.",
        "- **c)** ✓ A",
    ]
