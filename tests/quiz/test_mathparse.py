"""The safe math parser on valid input, its conversions, and properties over arbitrary text."""

from __future__ import annotations

import math
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyml.quiz.mathparse import (
    FUNCTIONS,
    BinOp,
    Call,
    Const,
    MathError,
    Neg,
    Num,
    Sym,
    evaluate,
    parse,
    to_sympy,
    to_text,
)
from tests.quiz.strategies import trees

XAVIER = ["n_in", "n_out"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2/(n_in+n_out)", "2/(n_in + n_out)"),
        ("2*(n_in+n_out)^-1", "2*(n_in + n_out)^(-1)"),
        ("2*(n_in+n_out)**-1", "2*(n_in + n_out)^(-1)"),
        ("  n_in - (n_out - 1)\n", "n_in - (n_out - 1)"),
        ("-n_in^2", "-n_in^2"),
        ("(-n_in)^2", "(-n_in)^2"),
        ("+n_in", "n_in"),
        ("n_in²", "n_in^2"),
        ("n_in⁻¹", "n_in^(-1)"),
        ("n_in × n_out ÷ 2 − 1", "n_in*n_out/2 - 1"),
        ("n_in\u3000+\u00a01", "n_in + 1"),
        ("ｎ_in", "n_in"),
        ("1.50e-3 + .5 + 5.", "1.50e-3 + .5 + 5."),
        ("pi*e", "pi*e"),
        ("sigmoid(n_in)*(1-sigmoid(n_in))", "sigmoid(n_in)*(1 - sigmoid(n_in))"),
    ],
)
def test_valid_input_and_pretty_form(text, expected):
    assert to_text(parse(text, XAVIER)) == expected


def test_tree_shape():
    assert parse("2/(n_in+n_out)", XAVIER) == BinOp("/", Num(Fraction(2)), BinOp("+", Sym("n_in"), Sym("n_out")))
    assert parse("-exp(pi)", []) == Neg(Call("exp", Const("pi")))
    assert parse("0.1", []) == Num(Fraction(1, 10))  # exact, not the binary float


def test_declared_symbols_shadow_constants_and_may_be_keywords():
    assert parse("e", ["e"]) == Sym("e")
    assert parse("lambda*w^2/2", ["lambda", "w"]) == BinOp(
        "/", BinOp("*", Sym("lambda"), BinOp("^", Sym("w"), Num(Fraction(2)))), Num(Fraction(2))
    )
    with pytest.raises(MathError, match="lambda is not allowed"):
        parse("lambda: 1", ["w"])


def test_evaluate():
    tree = parse("2/(n_in+n_out) + sigmoid(-1000) + sqrt(4) + ln(e) + abs(-1)", XAVIER)
    assert evaluate(tree, {"n_in": 1.0, "n_out": 3.0}) == pytest.approx(0.5 + 0 + 2 + 1 + 1)
    assert evaluate(parse("sigmoid(1000)", []), {}) == 1.0
    for bad in ["1/0", "log(0)", "sqrt(-1)", "exp(1000)", "(-8)^(1/3)", "10.0^300*10.0^300"]:
        with pytest.raises(ValueError):
            evaluate(parse(bad, []), {})
    with pytest.raises(ValueError, match="no value for symbol 'n_out'"):
        evaluate(parse("n_out", XAVIER), {})


def test_to_sympy_builds_from_the_tree():
    import sympy

    n_in, n_out = sympy.symbols("n_in n_out", positive=True)
    assert to_sympy(parse("2/(n_in+n_out)", XAVIER)) == 2 / (n_in + n_out)
    x = sympy.Symbol("x", positive=True)
    assert to_sympy(parse("sigmoid(x)", ["x"])) == 1 / (1 + sympy.exp(-x))
    assert to_sympy(parse("ln(x) - log(x)", ["x"])) == 0
    assert to_sympy(parse("0.1", [])) == sympy.Rational(1, 10)


def test_parser_does_not_load_sympy():
    code = (
        "import studyml.quiz.mathparse, studyml.quiz.grading, studyml.quiz.textmatch, studyml.quiz.expr\n"
        "from studyml.quiz.mathparse import parse, evaluate\n"
        "evaluate(parse('2/(x+1)', ['x']), {'x': 1.0})\n"
        "import sys; assert 'sympy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# Arbitrary text never raises anything but MathError.
MATHY = st.lists(
    st.sampled_from(
        list("0123456789.eE+-*/^()_, xyn'[]{}:=<>%~!@#λ²⁻기 \t\n")
        + ["**", "exp", "log", "sqrt", "sigmoid", "__", "lambda", "if", "for"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=80), MATHY))
def test_parse_raises_only_math_error(text):
    try:
        tree = parse(text, ["x", "y", "lambda"])
    except MathError as exc:
        assert isinstance(exc.col, int) and 1 <= exc.col <= len(text) + 1
        assert exc.message
        return
    # Whatever parses is printable and parses back to the same tree.
    assert parse(to_text(tree), ["x", "y", "lambda"]) == tree


@settings(max_examples=300)
@given(trees())
def test_to_text_round_trips(tree):
    assert parse(to_text(tree), ["x", "y"]) == tree


@settings(max_examples=200)
@given(trees(), st.floats(0.1, 4), st.floats(0.1, 4))
def test_evaluate_is_finite_or_value_error(tree, x, y):
    try:
        value = evaluate(tree, {"x": x, "y": y})
    except ValueError:
        return
    assert math.isfinite(value)


def test_a_greek_letter_is_read_as_the_symbol_named_after_it():
    # The prompt shows σ and τ: "σ^2/τ^2" was "unknown name 'σ'" where "sigma^2/tau^2" was right.
    from studyml.quiz.mathparse import MathError, parse

    assert parse("σ^2/τ^2", ["sigma", "tau"]) == parse("sigma^2/tau^2", ["sigma", "tau"])
    assert parse("λ*w", ["lambda", "w"]) == parse("lambda*w", ["lambda", "w"])  # a Python keyword as a symbol
    assert parse("2*π*r", ["r"]) == parse("2*pi*r", ["r"])
    with pytest.raises(MathError, match="missing operator between 'σ' and 'x'"):  # two names, as typed
        parse("σx", ["sigma", "x"])
    with pytest.raises(MathError, match="unknown name 'σ'"):  # not a symbol of this item: as before
        parse("σ", ["x"])
