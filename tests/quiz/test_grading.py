"""`grade` for every quiz kind, with the learner's mistakes turned into feedback, never exceptions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyml.content.models import ChoiceItem, ExprItem, MultiItem, NumericItem, OrderItem, TextItem
from studyml.quiz.grading import Grade, grade, read_number

BASE = {"card": "xavier-init", "prompt": {"en": "?", "ko": "?"}, "explanation": {"en": "!", "ko": "!"}}


def t(text):
    return {"en": text, "ko": text}


CHOICE = ChoiceItem(
    id="c", kind="choice", choices={"a": t("1/n"), "b": t("2/(n+m)"), "c": t("2/n")}, answer="b", **BASE
)
MULTI = MultiItem(
    id="m", kind="multi", choices={"a": t("dropout"), "b": t("more layers"), "c": t("L2")}, answers=["a", "c"], **BASE
)
ORDER = OrderItem(id="o", kind="order", steps=[t("forward"), t("loss"), t("backward"), t("update")], **BASE)
TEXT = TextItem(
    id="t",
    kind="text",
    answers={"en": ["vanishing gradient", "vanishing gradients"], "ko": ["기울기 소실", "그래디언트 소실"]},
    **BASE,
)
EXPR = ExprItem(id="e", kind="expr", symbols=["n_in", "n_out"], answer="2/(n_in + n_out)", **BASE)


def numeric(answer, unit=None, **tolerance):
    return NumericItem(id="n", kind="numeric", answer=answer, tolerance=tolerance, unit=unit, **BASE)


# choice


def test_choice():
    assert grade(CHOICE, "b") == Grade(True, "b", "correct", 1.0)
    assert grade(CHOICE, " B ").correct
    assert grade(CHOICE, "a") == Grade(False, "b", "the answer is b")
    assert grade(CHOICE, "z").feedback == "'z' is not one of the choices (a, b, c)"
    assert grade(CHOICE, 3).feedback == "'3' is not one of the choices (a, b, c)"
    assert grade(CHOICE, "").feedback == grade(CHOICE, None).feedback == "no answer given"


# multi


def test_multi_all_and_only():
    assert grade(MULTI, ["c", "a"]) == Grade(True, ["a", "c"], "correct", 1.0)
    assert grade(MULTI, "a, c").correct and grade(MULTI, {"a", "c"}).correct
    missed = grade(MULTI, ["a"])
    assert (missed.correct, missed.feedback, missed.score) == (False, "also correct: c", pytest.approx(2 / 3))
    both = grade(MULTI, ["a", "b"])
    assert both.feedback == "also correct: c; not correct: b" and both.score == pytest.approx(1 / 3)
    assert grade(MULTI, ["a", "b", "c"]).feedback == "not correct: b"
    assert grade(MULTI, []).feedback == "also correct: a, c"
    assert grade(MULTI, ["a", "x"]).feedback == "'x' is not one of the choices (a, b, c)"
    assert grade(MULTI, 5).feedback == "could not read '5' as a list of choices"


# order


def test_order():
    assert grade(ORDER, [0, 1, 2, 3]) == Grade(True, [0, 1, 2, 3], "correct", 1.0)
    swapped = grade(ORDER, [0, 2, 1, 3])
    assert (swapped.correct, swapped.feedback, swapped.score) == (
        False,
        "3 of 4 in the right order relative to each other",
        0.75,
    )
    assert grade(ORDER, (3, 2, 1, 0)).score == 0.25
    # Partial credit is the longest correctly ordered subsequence: moving the last step to the front
    # puts no step "in place" but keeps three in order.
    rotated = grade(ORDER, [3, 0, 1, 2])
    assert (rotated.feedback, rotated.score) == ("3 of 4 in the right order relative to each other", 0.75)
    bad = "expected each of the 4 steps exactly once (indices 0 to 3)"
    for response in ([0, 1, 2], [0, 1, 1, 3], [0, 1, 2, 4], ["0", "1", "2", "3"], [0, 1, 2, True], "0123", 7):
        result = grade(ORDER, response)
        assert (result.correct, result.feedback) == (False, bad)


@given(st.permutations(range(7)).flatmap(lambda full: st.integers(1, 7).map(lambda n: [i for i in full if i < n])))
def test_the_steps_said_in_place_are_a_longest_run_in_the_right_order(order):
    from itertools import combinations

    from studyml.quiz.grading import ordered_run

    run = ordered_run(order)
    kept = [step for step in order if step in run]
    assert kept == sorted(kept)  # in the right order relative to each other
    longest = max(r for r in range(len(order) + 1) for c in combinations(order, r) if list(c) == sorted(c))
    assert len(run) == longest  # and no longer run exists


def test_a_wrong_order_is_said_step_by_step_where_the_learner_put_each():
    from studyml.quiz.feedback import order_feedback, order_markdown

    rows = order_feedback(ORDER, [0, 2, 1, 3], "en")
    assert [(r.place, r.in_place) for r in rows] == [(1, True), (3, False), (2, True), (4, True)]
    steps = [ORDER.steps[i]["en"] for i in (0, 2, 1, 3)]
    assert order_markdown(rows, "Your order", "belongs at {n}").split("\n") == [
        "**Your order**",
        "",
        f"- ✓ {steps[0]}",
        f"- ✗ {steps[1]} — *belongs at 3*",
        f"- ✓ {steps[2]}",
        f"- ✓ {steps[3]}",
    ]
    for unreadable in ([0, 1, 2], [0, 1, 1, 3], "0123", None, [0, 1, 2, True]):
        assert order_feedback(ORDER, unreadable, "en") == []


# numeric


@pytest.mark.parametrize(
    "text,value",
    [
        ("0.25", 0.25),
        ("1/4", 0.25),
        ("2.5e-1", 0.25),
        (".25", 0.25),
        ("25%", 0.25),
        (" 25 % ", 0.25),
        ("-3", -3),
        ("+3", 3),
        ("1,000", 1000),
        ("1,234.5", 1234.5),
        ("2^10", 1024),
        ("pi/4", 0.7853981633974483),
        ("−0.5", -0.5),
        (28, 28),
        (0.5, 0.5),
    ],
)
def test_read_number(text, value):
    assert float(read_number(text)) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize(
    "text",
    [
        "2x",
        "",
        "abc",
        "0,25",
        "1/0",
        "1e999",
        "sqrt(-1)",
        "__import__('os')",
        "x",
        "1 2",
        True,
        float("nan"),
        float("inf"),
        [1],
    ],
)
def test_read_number_refuses(text):
    with pytest.raises(ValueError):
        read_number(text)


def test_numeric_feedback_on_unreadable_input():
    item = numeric(28, abs=0)
    assert grade(item, "2x") == Grade(False, 28.0, "could not read '2x' as a number")
    assert grade(item, "0,25").feedback == "could not read '0,25' as a number"


def test_numeric_exact():
    item = numeric(28, abs=0, unit={"en": "pixels", "ko": "픽셀"})
    assert grade(item, "28") == Grade(True, 28.0, "correct", 1.0, normalised="28")
    assert grade(item, "28 pixels").correct and grade(item, "28픽셀").correct and grade(item, "56/2").correct
    wrong = grade(item, "28.001")
    assert (wrong.correct, wrong.feedback) == (False, "expected 28 pixels; you gave 28.001")


def test_numeric_absolute_tolerance_is_inclusive():
    item = numeric(0.7, abs=0.1)
    assert grade(item, "0.8").correct  # 0.8 - 0.7 > 0.1 in binary floats, but not as written
    assert grade(item, "0.6").correct
    assert grade(item, 0.8).correct
    assert not grade(item, "0.8000001").correct
    assert grade(item, "0.75").feedback == "correct: the key is 0.7 (± 0.1)"
    assert grade(item, "0.9").feedback == "expected 0.7 (± 0.1); you gave 0.9"


def test_numeric_relative_tolerance_is_inclusive():
    item = numeric(200, rel=0.05)
    assert grade(item, "210").correct and grade(item, "190").correct
    assert not grade(item, "210.0001").correct and not grade(item, "189.999").correct
    negative = numeric(-0.3, rel=0.1)
    assert grade(negative, "-0.33").correct and grade(negative, "-0.27").correct
    assert not grade(negative, "0.3").correct


def test_numeric_both_tolerances_take_the_wider():
    item = numeric(10, abs=0.5, rel=0.1)
    assert grade(item, "11").correct and not grade(item, "11.01").correct


def test_numeric_irrational_input():
    item = numeric(0.7071067811865476, abs=0)
    assert grade(item, "sqrt(2)/2").correct and grade(item, "1/sqrt(2)").correct
    assert not grade(numeric(0.785, abs=0.0001), "pi/4").correct
    assert grade(numeric(0.785, abs=0.001), "pi/4").correct


def test_numeric_percent():
    assert grade(numeric(0.25, abs=0), "25%").correct
    assert not grade(numeric(25, abs=0), "25%").correct
    percent_unit = numeric(25, abs=0, unit={"en": "%", "ko": "%"})
    assert grade(percent_unit, "25%").correct and grade(percent_unit, "25").correct


# text


@pytest.mark.parametrize(
    "answer",
    [
        "vanishing gradient",
        "Vanishing Gradients!",
        "vanishing-gradient",
        "기울기 소실",
        "기울기소실",
        "기울기 소실.",
        "그래디언트소실",
        "ＶＡＮＩＳＨＩＮＧ gradient",
    ],
)
def test_text_accepts_any_language(answer):
    assert grade(TEXT, answer).correct


def test_text_rejects():
    wrong = grade(TEXT, "기울기 폭발")
    assert (wrong.correct, wrong.feedback) == (False, "expected: vanishing gradient / 기울기 소실")
    assert grade(TEXT, "   ").feedback == "no answer given"
    assert grade(TEXT, "?!").feedback == "expected: vanishing gradient / 기울기 소실"
    assert grade(TEXT, 12).feedback == "could not read '12' as text"


# expr


def test_expr_uses_the_given_grader():
    calls = []

    def fake(answer, key, symbols, *, signed, ranges):
        calls.append((answer, key, symbols, signed, ranges))
        return {"correct": True, "message": "equivalent to the expected answer", "normalised": "n", "col": None}

    result = grade(EXPR, "2/(n_out+n_in)", expr_grader=fake)
    assert calls == [("2/(n_out+n_in)", "2/(n_in + n_out)", ["n_in", "n_out"], [], {})]
    assert result == Grade(True, "2/(n_in + n_out)", "equivalent to the expected answer", 1.0, None, "n")


def test_expr_grader_failure_is_feedback():
    def broken(answer, key, symbols, *, signed, ranges):
        raise TimeoutError("worker timed out")

    result = grade(EXPR, "2/(n_out+n_in)", expr_grader=broken)
    assert (result.correct, result.feedback) == (False, "could not check this answer: worker timed out")


def test_expr_default_grader():
    assert grade(EXPR, "2*(n_out+n_in)^-1").correct
    wrong = grade(EXPR, "2x")
    assert (wrong.correct, wrong.feedback, wrong.col) == (False, "missing operator between '2' and 'x': write 2*x", 2)
    assert (
        grade(EXPR, "__import__('os').system('ls')").feedback
        == "names with double underscores are not allowed: '__import__'"
    )


def test_unknown_kind_is_a_programming_error():
    class Odd:
        kind = "essay"

    with pytest.raises(TypeError):
        grade(Odd(), "x")


def test_a_known_mistake_given_less_precisely_than_the_key_asks_still_gets_its_feedback():
    # "(4 significant digits)": the standard deviation sqrt(2/128) given as 0.125 or 0.1768 got its feedback only
    # when within the key's tolerance, which a mistake rounded to 3 digits often is not.
    import math as m

    item = NumericItem(
        id="n4",
        kind="numeric",
        answer=2 / 128,
        tolerance={"rel": 0.0006},
        misconceptions=[{"value": m.sqrt(2 / 64), "feedback": t("the standard deviation")}],
        **BASE,
    )
    for said in ("0.177", "0.1768", "0.17678"):
        result = grade(item, said)
        assert not result.correct and result.misconception == t("the standard deviation"), said
    assert grade(item, "0.19").misconception is None  # not any wrong number
