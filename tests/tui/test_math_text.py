"""A formula the learner typed is said in their language: the parser's codes, in the catalogue's words."""

from __future__ import annotations

import re

import pytest

from studyml.quiz.mathparse import MathError, parse
from studyml.tui.i18n import math_text

from .helpers import PACK_ID, SIZE, app, loaded, type_text


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("2(x+1)", "missing_operator"),
        ("x y", "missing_operator"),
        ("w(x)", "missing_operator"),
        ("wx", "unknown_name"),
        ("sigmod(x)", "unknown_function"),
        ("x**", "unreadable"),
        ("sigmoid", "is_function"),
        ("x // 2", "operator"),
    ],
)
def test_each_common_slip_is_said_in_korean_and_in_english_as_the_parser_wrote_it(typed, code):
    # "수식을 아직 읽을 수 없습니다: missing operator between '2' and '(': write 2*(...)": English in the Korean UI.
    with pytest.raises(MathError) as e:
        parse(typed, ["x", "w"])
    assert e.value.code == code
    assert math_text(e.value.code, e.value.values, e.value.message, "en") == e.value.message
    korean = math_text(e.value.code, e.value.values, e.value.message, "ko")
    assert re.search("[가-힣]", korean) and not re.search(r"\b(missing|unknown|write|could|allowed|operator)\b", korean)


def test_a_verdict_on_a_different_formula_is_said_in_korean():
    from studyml.quiz.expr import grade_expr

    result = grade_expr("x**2", "x**3", ["x"])
    assert result["code"] == "differs_at"
    said = math_text(result["code"], result["values"], result["message"], "ko")
    assert said.startswith("기대한 답과 같지 않습니다. x=") and "expected" not in said
    assert math_text(result["code"], result["values"], result["message"], "en") == result["message"]


def test_an_unknown_code_or_no_code_keeps_the_graders_words():
    assert math_text("", {}, "could not check this answer: timeout", "ko") == "could not check this answer: timeout"
    assert math_text("from-a-newer-worker", {"x": 1}, "its words", "ko") == "its words"
    assert math_text("differs_at", {"where": "x=1"}, "its words", "ko") == "its words"  # values missing


async def test_the_formula_preview_speaks_korean(fixture_pack):
    from studyml.tui.screens.quiz import QuizScreen

    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        item = next(i for i in a.services.pack(PACK_ID).items if i.kind == "expr")
        await a.push_screen(QuizScreen(PACK_ID, [item]))
        await pilot.pause()
        await type_text(pilot, "2(x+1)")
        await pilot.pause()
        preview = str(a.screen.query_one("#answer-preview").render())
        assert "번째 글자:" in preview and "앞에 연산자가 없습니다" in preview, preview
