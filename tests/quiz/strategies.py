"""Hypothesis strategies shared by the quiz tests: arbitrary math trees."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from studyml.quiz.mathparse import FUNCTIONS, BinOp, Call, Const, Neg, Num, Sym


def trees(names=("x", "y"), functions=FUNCTIONS):
    leaves = st.one_of(
        st.integers(0, 20).map(lambda n: Num(Fraction(n), str(n))),
        st.sampled_from(names).map(Sym),
        st.sampled_from(["pi", "e"]).map(Const),
    )

    def grow(children):
        return st.one_of(
            children.map(Neg),
            st.tuples(st.sampled_from("+-*/"), children, children).map(lambda t: BinOp(*t)),
            st.tuples(children, st.integers(-3, 3)).map(
                lambda t: BinOp(
                    "^",
                    t[0],
                    Num(Fraction(abs(t[1])), str(abs(t[1]))) if t[1] >= 0 else Neg(Num(Fraction(-t[1]), str(-t[1]))),
                )
            ),
            st.tuples(st.sampled_from(functions), children).map(lambda t: Call(*t)),
        )

    return st.recursive(leaves, grow, max_leaves=8)
