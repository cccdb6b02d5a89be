"""Golden messages and columns for hostile or malformed math, from packs or learners."""

from __future__ import annotations

import pytest

from studyml.quiz.mathparse import MathError, parse

XAVIER = ["n_in", "n_out"]


def _balanced(depth: int) -> str:
    return "x" if depth == 0 else f"({_balanced(depth - 1)}+{_balanced(depth - 1)})"


BALANCED = _balanced(7) + "*" + _balanced(6)  # shallow but over the node limit: 383 parts

NESTED = (
    "expression nested too deeply: more than 100 levels (every operator in a chain such as x+x+x is a level: "
    "write it shorter, e.g. 3*x)"
)
GOLDEN = [
    # (text, symbols, column, message)
    ("__import__('os').system('ls')", [], 1, "names with double underscores are not allowed: '__import__'"),
    ("().__class__.__bases__", [], 1, "tuples are not allowed"),
    ("x.__class__", ["x"], 2, "attribute access is not allowed: '.__class__'"),
    ("n_in.real", XAVIER, 5, "attribute access is not allowed: '.real'"),
    ("__builtins__", [], 1, "names with double underscores are not allowed: '__builtins__'"),
    ("exp(__x__)", [], 5, "names with double underscores are not allowed: '__x__'"),
    ("lambda: 1", [], 1, "lambda is not allowed"),
    ("[x for x in y]", [], 1, "comprehensions are not allowed"),
    ("(x for x in y)", [], 1, "comprehensions are not allowed"),
    ("'a'*10", [], 1, "strings are not allowed"),
    ("f'{x}'", ["x"], 1, "strings are not allowed"),
    ("10**10**8", [], 5, "exponent '10**8' is too large (at most 1000 in absolute value)"),
    ("10^10^8", [], 4, "exponent '10^8' is too large (at most 1000 in absolute value)"),
    ("2**99999", [], 4, "exponent '99999' is too large (at most 1000 in absolute value)"),
    ("2**(x+1000)", ["x"], 5, "exponent 'x+1000' is too large (at most 1000 in absolute value)"),
    ("2**sqrt(1e60)", [], 4, "exponent 'sqrt(1e60)' is too large (at most 1000 in absolute value)"),
    (
        "(2**1000)**1000",
        [],
        10,
        "numbers in this expression could grow too large (over 5000 digits, counted before anything is computed: a "
        "product as the sum of its factors' digits, a power as its base's digits times the exponent, so 10**1000 "
        "counts 2000)",
    ),
    ("x" * 10_000, ["x"], 1001, "expression too long: 10000 characters (at most 1000)"),
    ("1" * 31, [], 1, "number too long: 31 digits (at most 30)"),
    ("1e999", [], 1, "number out of range: '1e999'"),
    ("0x10", [], 1, "only plain decimal numbers are allowed: '0x10'"),
    ("1_000", [], 1, "only plain decimal numbers are allowed: '1_000'"),
    ("2j", [], 1, "complex numbers are not allowed"),
    ("True", [], 1, "'True' is not allowed"),
    ("...", [], 1, "'...' is not allowed"),
    ("y", XAVIER, 1, "unknown name 'y'; this item's symbols are: n_in, n_out"),
    ("2*y", [], 3, "unknown name 'y'; this item has no symbols"),
    ("exp(x=1)", ["x"], 5, "keyword arguments are not allowed: 'x='"),
    ("exp(**x)", ["x"], 5, "keyword arguments are not allowed: '**'"),
    ("exp(*x)", ["x"], 5, "starred arguments are not allowed"),
    ("exp(1, 2)", [], 1, "exp() takes exactly one argument (2 given)"),
    ("sqrt()", [], 1, "sqrt() takes exactly one argument (0 given)"),
    (
        "foo(1)",
        [],
        1,
        "unknown function 'foo'; allowed functions: abs, cos, exp, ln, log, sigmoid, sin, sqrt, tan, tanh",
    ),
    ("exp", [], 1, "'exp' is a function: write exp(...)"),
    ("2x", ["x"], 2, "missing operator between '2' and 'x': write 2*x"),
    ("2 x", ["x"], 3, "missing operator between '2' and 'x': write 2*x"),
    ("(a)b", ["a", "b"], 4, "missing operator between ')' and 'b': write (...)*b"),
    ("2(x+1)", ["x"], 2, "missing operator between '2' and '(': write 2*(...)"),
    ("x(2)", ["x"], 2, "missing operator between 'x' and '(': write x*(...)"),
    ("(x)(2)", ["x"], 4, "missing operator between 'x' and '(': write x*(...)"),
    ("(x+1)(2)", ["x"], 6, "missing operator between 'x+1' and '(': write (...)*(...)"),
    ("기울기+2x", [], 6, "missing operator between '2' and 'x': write 2*x"),
    ("x[0]", ["x"], 2, "subscripts are not allowed: '[...]'"),
    ("x % 2", ["x"], 3, "operator '%' is not allowed; use + - * / and ** or ^"),
    ("x // 2", ["x"], 3, "operator '//' is not allowed; use + - * / and ** or ^"),
    ("not x", ["x"], 1, "operator 'not' is not allowed; use + - * / and ** or ^"),
    ("~x", ["x"], 1, "operator '~' is not allowed; use + - * / and ** or ^"),
    ("x < 1", ["x"], 1, "comparisons are not allowed"),
    ("x and x", ["x"], 1, "'and' and 'or' are not allowed"),
    ("x if x else x", ["x"], 1, "'if ... else' is not allowed"),
    ("(x := 1)", ["x"], 2, "':=' is not allowed"),
    ("{1: 2}", [], 1, "dicts are not allowed"),
    ("[1]", [], 1, "lists are not allowed"),
    ("", [], 1, "empty expression"),
    ("  \n", [], 1, "empty expression"),
    ("x\n+1", ["x"], 2, "character U+000A is not allowed"),
    ("x\u200b+1", ["x"], 2, "character U+200B is not allowed"),
    ("(x+1", ["x"], 1, "could not read the expression: '(' was never closed"),
    ("x+1)", ["x"], 4, "could not read the expression: unmatched ')'"),
    ("x^^2", ["x"], 3, "could not read the expression: invalid syntax"),
    ("-" * 900 + "1", [], 102, NESTED),
    ("+".join(["x"] * 200), ["x"], 1, NESTED),  # a flat sum: the message says why it counts as nested
    (BALANCED, ["x"], 593, "expression too large: more than 300 parts"),
]


@pytest.mark.parametrize("text,symbols,col,message", GOLDEN, ids=[g[0][:30] for g in GOLDEN])
def test_golden_message(text, symbols, col, message):
    with pytest.raises(MathError) as info:
        parse(text, symbols)
    assert (info.value.col, info.value.message) == (col, message)
    assert str(info.value) == f"column {col}: {message}"


def test_hostile_text_is_never_evaluated(monkeypatch):
    import builtins

    def boom(*args, **kwargs):
        raise AssertionError("eval or exec was called")

    monkeypatch.setattr(builtins, "eval", boom)
    monkeypatch.setattr(builtins, "exec", boom)
    for text in ["__import__('os').system('touch /tmp/pwned')", "exp(1)", "2/(n_in+n_out)"]:
        try:
            parse(text, XAVIER)
        except MathError:
            pass


def test_huge_power_is_refused_quickly():
    import time

    start = time.perf_counter()
    for text in ["10**10**8", "9**9**9**9", "(2**1000)**1000**1000", "2**(2**(2**10))"]:
        with pytest.raises(MathError):
            parse(text, [])
    assert time.perf_counter() - start < 0.5
