"""Symbolic equivalence grading of `expr` answers (the worker-side function)."""

from __future__ import annotations

import json
import signal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyml.quiz.expr import grade_expr
from studyml.quiz.mathparse import BinOp, Num, to_text
from tests.quiz.strategies import trees

XAVIER = ["n_in", "n_out"]
KEY = "2/(n_in+n_out)"


@pytest.mark.parametrize(
    "given_",
    [
        "2/(n_out + n_in)",
        "2*(n_in+n_out)^-1",
        "2*(n_in+n_out)**-1",
        "4/(2*n_in + 2*n_out)",
        "1/((n_in+n_out)/2)",
        "2 / (n_in + n_out)\n",
    ],
)
def test_xavier_accepts(given_):
    result = grade_expr(given_, KEY, XAVIER)
    assert result["correct"] is True
    assert result["message"] == "equivalent to the expected answer"


def test_xavier_rejects_with_a_counterexample():
    result = grade_expr("1/(n_in+n_out)", KEY, XAVIER)
    assert result["correct"] is False
    assert result["message"].startswith("not equivalent to the expected answer: at n_in=")
    assert "yours is" in result["message"] and "expected" in result["message"]
    assert result["normalised"] == "1/(n_in + n_out)"


def test_result_is_plain_json():
    for answer in ["2/(n_out+n_in)", "1/(n_in+n_out)", "2x", "__import__('os')"]:
        result = grade_expr(answer, KEY, XAVIER)
        assert json.loads(json.dumps(result)) == result
        assert set(result) == {"correct", "message", "normalised", "col", "code", "values"}


def test_parse_error_of_the_learner():
    assert grade_expr("2n_in", KEY, XAVIER) == {
        "correct": False,
        "message": "missing operator between '2' and 'n_in': write 2*n_in",
        "normalised": "",
        "col": 2,
        "code": "missing_operator",  # for the app to say it in the learner's language
        "values": {"left": "2", "right": "n_in", "fix": "2*n_in"},
    }
    assert grade_expr("y", KEY, XAVIER)["message"] == "unknown name 'y'; this item's symbols are: n_in, n_out"


def test_bad_key_is_reported_not_raised():
    result = grade_expr("x", "x.__class__", ["x"])
    assert result == {
        "correct": False,
        "normalised": "",
        "col": None,
        "message": "the answer key does not parse: attribute access is not allowed: '.__class__'",
        "code": "",
        "values": {},
    }


@pytest.mark.parametrize(
    "answer,key,symbols,correct",
    [
        ("sigmoid(x)*(1-sigmoid(x))", "exp(-x)/(1+exp(-x))^2", ["x"], True),
        ("tanh(x)", "2*sigmoid(2*x) - 1", ["x"], True),
        ("sqrt(x^2)", "x", ["x"], True),  # symbols are positive reals, unless the item says `signed`
        ("abs(x)", "x", ["x"], True),
        ("ln(x)", "log(x)", ["x"], True),
        ("sin(x)^2 + cos(x)^2", "1", ["x"], True),
        ("lambda*w^2/2", "0.5*lambda*w**2", ["lambda", "w"], True),
        ("(1+x)^1000", "(x+1)^1000", ["x"], True),
        ("(1+x)^1000 - 1", "(x+1)^1000", ["x"], False),
        ("2/(n_in+n_out) + 1e-12", KEY, XAVIER, False),  # numerically close, symbolically not
        ("sqrt(2)", "1.41421356237", [], False),
        ("pi", "pi", [], True),
        ("1/0", "1", [], False),
        ("x", "1/0", ["x"], False),
        ("x - x", "0", ["x"], True),
    ],
)
def test_equivalence(answer, key, symbols, correct):
    assert grade_expr(answer, key, symbols)["correct"] is correct


@pytest.mark.parametrize(
    "answer,key,symbols,signed,correct",
    [
        # Right only for positive values: wrong where an input, a weight or a bias the item says may be negative
        # is negative (all were accepted)
        ("sqrt(x^2)", "x", ["x"], ["x"], False),
        ("abs(x)", "x", ["x"], ["x"], False),
        ("-abs(b)/w", "-b/w", ["b", "w"], ["b"], False),
        ("w2*abs(x)*(1-tanh(w1*x)^2)", "w2*x*(1-tanh(w1*x)^2)", ["w1", "w2", "x"], ["w1", "w2", "x"], False),
        ("abs(x)", "sqrt(x^2)", ["x"], ["x"], True),  # equal for every real x
        # A symbol not signed stays positive: w > 0 in the item, sigma a standard deviation
        ("-b/abs(w)", "-b/w", ["b", "w"], ["b"], True),
        ("sqrt(sigma^2/n)", "sigma/sqrt(n)", ["sigma", "n"], [], True),
        ("(sigma^2/n)^0.5", "sigma/sqrt(n)", ["sigma", "n"], [], True),
        # Undefined for negative values on one side: compared for positive ones only, where they are equal
        ("log(a) + log(b)", "log(a*b)", ["a", "b"], ["a", "b"], True),
        ("2*log(x)", "log(x^2)", ["x"], ["x"], True),
        ("w*x*sigmoid(w*x)*(1-sigmoid(w*x))/w", "x*sigmoid(w*x)*(1-sigmoid(w*x))", ["w", "x"], ["w", "x"], True),
    ],
)
def test_signed_symbols_are_also_tried_negative(answer, key, symbols, signed, correct):
    assert grade_expr(answer, key, symbols, signed=signed)["correct"] is correct


def test_an_answer_right_only_for_positive_values_is_wrong_and_says_where():
    key = "x*sigmoid(w*x)*(1-sigmoid(w*x))"
    result = grade_expr("abs(x)*sigmoid(w*x)*(1-sigmoid(w*x))", key, ["x", "w"], signed=["x", "w"])
    assert result["correct"] is False and result["code"] == "differs_at"
    assert "x=-" in result["message"] and result["message"].startswith("not equivalent to the expected answer: at ")
    assert result["values"]["yours"] == result["values"]["expected"].lstrip("-")


@pytest.mark.parametrize(
    "answer,key,symbols,ranges,correct",
    [
        # Equal wherever a probability can be, not beyond: right within the item's range (wrong without it)
        ("abs(log(p))", "-log(p)", ["p"], {"p": [0, 1]}, True),
        ("-log(1 - abs(1 - p))", "-log(p)", ["p"], {"p": [0, 1]}, True),
        ("abs(log(beta1))*t", "-t*log(beta1)", ["beta1", "t"], {"beta1": [0, 1]}, True),
        # Still wrong where they differ within the range
        ("log(p)", "-log(p)", ["p"], {"p": [0, 1]}, False),
        ("p", "p^2", ["p"], {"p": [0, 1]}, False),
        # A range below 0 makes its symbol signed: |rho| is not rho for a correlation
        ("abs(rho)*sigma^2", "rho*sigma^2", ["rho", "sigma"], {"rho": [-1, 1]}, False),
        ("rho*sigma^2", "sigma^2*rho", ["rho", "sigma"], {"rho": [-1, 1]}, True),
    ],
)
def test_answers_are_compared_within_the_items_ranges(answer, key, symbols, ranges, correct):
    assert grade_expr(answer, key, symbols, ranges=ranges)["correct"] is correct


def test_without_a_range_a_form_right_only_for_probabilities_is_wrong():
    # What `ranges` changes: outside [0, 1] the two differ, and the point said was a probability of 2.3.
    result = grade_expr("abs(log(p))", "-log(p)", ["p"])
    assert result["correct"] is False and float(result["values"]["where"].removeprefix("p=")) > 1


def test_the_point_said_for_a_wrong_answer_is_where_the_two_differ_most():
    # A factor of 4 was shown as "at x=2.3 yours is 4.084e-08, expected 1.633e-07", where tanh saturates.
    from studyml.quiz.expr import _points
    from studyml.quiz.mathparse import evaluate, parse

    given, key = "1 - tanh(4*x)^2", "4*(1 - tanh(4*x)^2)"
    result = grade_expr(given, key, ["x"], signed=["x"])
    assert result["correct"] is False
    gaps = [abs(evaluate(parse(given, ["x"]), p) - evaluate(parse(key, ["x"]), p)) for p in _points(["x"])]
    shown = float(result["values"]["expected"]) - float(result["values"]["yours"])
    assert shown == pytest.approx(max(gaps), rel=1e-3) and float(result["values"]["expected"]) > 0.01


@pytest.mark.parametrize(
    "answer,key,symbols,signed,ranges",
    [
        ("s", "s*(1 - s)", ["s"], [], {"s": [0, 1]}),
        ("p - 1", "p - y", ["p", "y"], [], {"p": [0, 1], "y": [0, 1]}),
        ("1/(1 - beta1)", "1/(1 - beta1^t)", ["beta1", "t"], [], {"beta1": [0.85, 0.999], "t": [1, 1000]}),
        ("abs(r)", "r", ["r"], [], {"r": [-1, 1]}),
        ("abs(g)/(1 - alpha)", "g/(1 - alpha)", ["g", "alpha"], ["g"], {"alpha": [0, 1]}),
    ],
)
def test_a_point_said_for_a_wrong_answer_is_within_every_range(answer, key, symbols, signed, ranges):
    result = grade_expr(answer, key, symbols, signed=signed, ranges=ranges)
    assert result["correct"] is False and result["code"] == "differs_at"
    point = dict(part.split("=") for part in result["values"]["where"].split(", "))
    assert set(point) == set(symbols)
    for sym, value in point.items():
        low, high = ranges.get(sym, (-4.0 if sym in signed else 0.1, 4.0))
        assert low < float(value) < high, (sym, value, (low, high))


def test_a_narrow_range_is_drawn_with_the_decimals_it_needs():
    # Two decimals would round every draw in (0.9, 0.999) to 0.9 or 1.0, the range's ends.
    from studyml.quiz.expr import _points

    values = [p["b"] for p in _points(["b"], {"b": (0.9, 0.999)})]
    assert all(0.9 < v < 0.999 for v in values) and len(set(values)) > 6


def test_time_bound_falls_back_to_the_numbers():
    before = signal.getsignal(signal.SIGALRM)
    result = grade_expr("tanh(x)", "2*sigmoid(2*x) - 1", ["x"], timeout=1e-6)
    assert result["correct"] is True
    assert signal.getsignal(signal.SIGALRM) is before


def rewrites(tree):
    """Expressions equal to `tree` written differently."""
    one, zero = Num(__import__("fractions").Fraction(1), "1"), Num(__import__("fractions").Fraction(0), "0")
    options = [tree, BinOp("*", one, tree), BinOp("+", tree, zero), BinOp("/", tree, one)]
    if isinstance(tree, BinOp) and tree.op in "+*":
        options.append(BinOp(tree.op, tree.right, tree.left))
    return st.sampled_from(options)


SAFE = ("exp", "sqrt", "sigmoid", "abs", "log")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_equivalence_is_symmetric(data):
    a = data.draw(trees(functions=SAFE))
    b = data.draw(st.one_of(trees(functions=SAFE), rewrites(a)))
    ta, tb = to_text(a), to_text(b)
    forward = grade_expr(ta, tb, ["x", "y"], timeout=3)["correct"]
    backward = grade_expr(tb, ta, ["x", "y"], timeout=3)["correct"]
    assert forward == backward


def test_the_point_a_difference_is_shown_at_is_the_point_its_values_were_computed_at():
    # "at x=2.3 yours is 0.817, expected 0.9799": the point was 2.2953, and tanh(2.3) = 0.9801. A learner checking the
    # key by hand thought it wrong.
    import math
    import re

    result = grade_expr("2*sigmoid(x) - 1", "tanh(x)", ["x"])
    assert result["correct"] is False
    x = float(re.search(r"at x=([-0-9.e]+) ", result["message"]).group(1))
    assert f"expected {math.tanh(x):.4g}" in result["message"], result["message"]


@pytest.mark.parametrize(
    "answer,key,ranges",
    [
        ("p**3", "p**2", {"p": [0, 1e-6]}),  # every value below the old absolute tolerance of 1e-12: taken as equal
        ("2*p", "p", {"p": [0, 1e-12]}),
        ("rho + rho**4", "rho", {"rho": [-1e-3, 1e-3]}),  # equal to 9 digits: only 30-digit arithmetic tells
    ],
)
def test_a_range_of_tiny_values_does_not_make_a_wrong_formula_right(answer, key, ranges):
    result = grade_expr(answer, key, list(ranges), ranges=ranges)
    assert result["correct"] is False
    if result["code"] == "differs_at":  # the two values said tell the two apart
        assert result["values"]["yours"] != result["values"]["expected"], result["message"]


def test_a_point_said_is_the_point_used_however_large():
    result = grade_expr("2*x", "x", ["x"], ranges={"x": [0, 1e6]})
    x = float(result["values"]["where"].removeprefix("x="))
    assert float(result["values"]["expected"]) == pytest.approx(x, rel=1e-3)  # 908762 was shown for 908761.53
    assert result["values"]["where"] == f"x={x!r}"
