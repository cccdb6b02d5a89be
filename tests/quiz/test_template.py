"""Templates: seeded draws, rendering in both languages, keys computed by formula for every kind."""

from __future__ import annotations

import subprocess
import sys

from pydantic import TypeAdapter

from studyml.content.models import QuizItem
from studyml.quiz.grading import grade
from studyml.quiz.template import format_number, fresh_variant, instantiate, problems

ITEM = TypeAdapter(QuizItem)


def make(kind: str, **fields):
    base = {
        "id": "t",
        "card": "c",
        "kind": kind,
        "prompt": {"en": "P", "ko": "문제"},
        "explanation": {"en": "E", "ko": "해설"},
    }
    return ITEM.validate_python(base | fields)


CONV = make(
    "numeric",
    params={
        "o": {"range": [2, 30]},
        "k": {"choice": [1, 3, 5]},
        "p": {"range": [0, 2]},
        "s": {"range": [1, 2]},
        "n": {"formula": "(o - 1)*s + k - 2*p"},
    },
    prompt={
        "en": "Input {n}, kernel {k}, padding {p}, stride {s}: output size?",
        "ko": "입력 {n}, 커널 {k}, 패딩 {p}, 스트라이드 {s}일 때 출력 크기는?",
    },
    answer="(n + 2*p - k)/s + 1",
    tolerance={"abs": 0},
    misconceptions=[{"value": "(n - k)/s + 1", "feedback": {"en": "padding forgotten", "ko": "패딩 누락"}}],
)


def test_same_seed_same_variant_and_key_is_computed():
    a, b = instantiate(CONV, 7), instantiate(CONV, 7)
    assert a.values == b.values and a.item == b.item
    v = a.values
    assert a.item.answer == v["o"]  # the output size the input was built from
    assert f"Input {v['n']}, kernel {v['k']}" in a.item.prompt["en"]
    assert f"입력 {v['n']}, 커널 {v['k']}" in a.item.prompt["ko"]
    assert "{" not in a.item.prompt["en"] + a.item.prompt["ko"]


def test_seeds_give_different_variants_and_grading_uses_the_variant_key():
    variants = {instantiate(CONV, s).key for s in range(1, 30)}
    assert len(variants) > 20
    v = instantiate(CONV, 3)
    assert grade(v.item, str(v.values["o"])).correct
    assert not grade(v.item, str(v.values["o"] + 1)).correct


def test_fresh_variant_never_repeats_the_previous_one():
    tiny = make("numeric", params={"n": {"range": [1, 2]}}, answer="n", tolerance={"abs": 0})
    prev = 1
    for _ in range(20):
        v = fresh_variant(tiny, prev)
        assert v.values != instantiate(tiny, prev).values
        prev = v.seed


def test_misconception_formula_gives_its_feedback():
    v = next(instantiate(CONV, s) for s in range(1, 99) if instantiate(CONV, s).values["p"] > 0)
    n, k, s = v.values["n"], v.values["k"], v.values["s"]
    wrong = (n - k) / s + 1
    result = grade(v.item, format_number(wrong, "en"))
    assert not result.correct and result.misconception == {"en": "padding forgotten", "ko": "패딩 누락"}
    assert grade(v.item, str(v.values["o"] + 100)).misconception is None


def test_choice_distractors_are_computed_and_shuffled_and_the_key_follows():
    item = make(
        "choice",
        params={
            "n": {"range": [2, 50]},
            "v": {"formula": "1/n"},
            "sd": {"formula": "1/sqrt(n)"},
            "w": {"formula": "n"},
        },
        choices={"a": {"en": "{v}", "ko": "{v}"}, "b": {"en": "{sd}", "ko": "{sd}"}, "c": {"en": "{w}", "ko": "{w}"}},
        answer="a",
        prompt={"en": "Var of mean of {n}", "ko": "{n}개 평균의 분산"},
    )
    answers = set()
    for seed in range(1, 40):
        v = instantiate(item, seed)
        right = v.item.choices[v.item.answer]["en"]
        assert right == format_number(1 / v.values["n"], "en")
        answers.add(v.item.answer)
    assert answers == {"a", "b", "c"}  # the right answer is not always under the same key


def test_expr_key_has_params_substituted():
    item = make("expr", params={"a": {"range": [2, 9]}}, symbols=["x"], answer="a*sigmoid(a*x)*(1 - sigmoid(a*x))")
    v = instantiate(item, 5)
    a = v.values["a"]
    assert v.item.answer == f"{a}*sigmoid({a}*x)*(1 - sigmoid({a}*x))"


def test_order_sorted_by_computed_values():
    item = make(
        "order",
        params={"a": {"range": [1, 9]}, "b": {"range": [10, 19]}},
        steps=[{"en": "big {b}", "ko": "큰 {b}"}, {"en": "small {a}", "ko": "작은 {a}"}],
        sort_by=["b", "a"],
    )
    v = instantiate(item, 1)
    assert [s["en"].split()[0] for s in v.item.steps] == ["small", "big"]


def test_tolerance_may_depend_on_params():
    item = make("numeric", params={"n": {"range": [100, 200]}}, answer="n", tolerance={"abs": "n/100"})
    v = instantiate(item, 2)
    n = v.values["n"]
    assert v.item.tolerance.abs == n / 100
    assert grade(v.item, str(n + n / 200)).correct and not grade(v.item, str(n + n / 50)).correct


def test_problems_catch_a_key_that_fails_only_inside_the_range():
    item = make("numeric", params={"n": {"range": [-3, 3]}}, answer="1/n", tolerance={"abs": 0})
    [p] = problems(item)
    assert p.path == ("answer",) and "n=0" in p.message


def test_numbers_are_formatted_for_reading():
    assert [format_number(x, "en") for x in (12, 12544, 0.25, 1 / 3, 12.0)] == ["12", "12,544", "0.25", "0.3333", "12"]
    assert format_number(0.5, "ko", digits=2) == "0.50"
    assert format_number(1234.5, "de", digits=1) == "1234,5"


def test_drawing_rendering_and_grading_load_no_sympy_or_torch():
    code = (
        "import sys; from tests.quiz.test_template import CONV; from studyml.quiz.template import fresh_variant;"
        "from studyml.quiz.grading import grade; v = fresh_variant(CONV); grade(v.item, '3');"
        "print(sorted(m for m in ('sympy', 'torch', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
