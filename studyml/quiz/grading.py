"""Grade a learner's response to any quiz item; never raises on what the learner typed."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from studyml.quiz.mathparse import MathError, evaluate, exact_value, parse
from studyml.quiz.textmatch import matches, normalise
from studyml.quiz.tolerance import Tolerance

if TYPE_CHECKING:
    from studyml.content.models import ChoiceItem, ExprItem, MultiItem, NumericItem, OrderItem, TextItem

ExprGrader = Callable[..., dict]  # (answer, key, symbols, *, signed, ranges) -> grade_expr's dict
NO_ANSWER = "no answer given"


@dataclass(frozen=True)
class Grade:
    """The verdict: `score` is 0..1 (partial for multi and order), `col` points into a bad expr answer."""

    correct: bool
    expected: Any
    feedback: str
    score: float = 0.0
    col: int | None = None
    normalised: str = ""
    misconception: dict | None = None  # the item's explanation of this known wrong answer, per language
    code: str = ""  # what `feedback` says, for a screen to say it in the learner's language (MathError.code)
    values: dict | None = None


def grade(item: Any, response: Any, expr_grader: ExprGrader | None = None) -> Grade:
    """Grade `response` to `item`; `expr_grader` (default: expr.grade_expr) may route to a worker."""
    if response is None or (isinstance(response, str) and not response.strip()):
        return Grade(False, _expected(item), NO_ANSWER)
    result = _grade(item, response, expr_grader)
    if not result.correct and getattr(item, "misconceptions", None):
        found = _misconception(item, response)
        if found is not None:
            result = replace(result, misconception=dict(found.feedback))
    return result


def _misconception(item: Any, response: Any):
    """The first known wrong answer that matches the response (a number within the item's tolerance, or 1%: a
    tolerance that asks for 4 significant digits let the mistake given to 3 go without its feedback)."""
    for m in item.misconceptions:
        if m.choice is not None:
            if item.kind == "choice" and _key(item.choices, response) == m.choice:
                return m
            if item.kind == "multi" and isinstance(response, (str, list, tuple, set)):
                raw = re.split(r"[\s,]+", response.strip()) if isinstance(response, str) else response
                if m.choice in {_key(item.choices, r) for r in raw}:
                    return m
        elif item.kind == "numeric" and isinstance(m.value, (int, float)):
            try:
                given = read_number(response, False, tuple(item.unit.values()) if item.unit else ())
            except ValueError:
                return None
            if Tolerance.of(item.tolerance).allows(given, m.value) or math.isclose(given, m.value, rel_tol=0.01):
                return m
    return None


def _grade(item: Any, response: Any, expr_grader: ExprGrader | None) -> Grade:
    kind = item.kind
    if kind == "choice":
        return _choice(item, response)
    if kind == "multi":
        return _multi(item, response)
    if kind == "order":
        return _order(item, response)
    if kind == "numeric":
        return _numeric(item, response)
    if kind == "text":
        return _text(item, response)
    if kind == "expr":
        return _expr(item, response, expr_grader)
    raise TypeError(f"unknown quiz item kind {kind!r}")


def _expected(item: Any) -> Any:
    return {
        "choice": lambda: item.answer,
        "multi": lambda: sorted(item.answers),
        "order": lambda: list(range(len(getattr(item, "steps", [])))),
        "numeric": lambda: item.answer,
        "text": lambda: dict(item.answers),
        "expr": lambda: item.answer,
    }[item.kind]()


def _key(choices: dict, given: Any) -> str | None:
    """The choice key the learner meant: exact, else the one key equal ignoring case."""
    if not isinstance(given, str):
        return None
    given = given.strip()
    if given in choices:
        return given
    folded = [k for k in choices if k.casefold() == given.casefold()]
    return folded[0] if len(folded) == 1 else None


def _not_a_choice(given: Any, choices: dict) -> str:
    return f"'{given}' is not one of the choices ({', '.join(choices)})"


def _choice(item: ChoiceItem, response: Any) -> Grade:
    key = _key(item.choices, response)
    if key is None:
        return Grade(False, item.answer, _not_a_choice(response, item.choices))
    if key == item.answer:
        return Grade(True, item.answer, "correct", 1.0)
    return Grade(False, item.answer, f"the answer is {item.answer}")


def _multi(item: MultiItem, response: Any) -> Grade:
    expected = sorted(item.answers)
    raw = re.split(r"[\s,]+", response.strip()) if isinstance(response, str) else response
    try:
        picked_raw = list(raw)
    except TypeError:
        return Grade(False, expected, f"could not read '{response}' as a list of choices")
    picked = set()
    for given in picked_raw:
        key = _key(item.choices, given)
        if key is None:
            return Grade(False, expected, _not_a_choice(given, item.choices))
        picked.add(key)
    missed = [k for k in item.choices if k in item.answers and k not in picked]
    extra = [k for k in item.choices if k in picked and k not in item.answers]
    score = (len(item.choices) - len(missed) - len(extra)) / len(item.choices)
    if not missed and not extra:
        return Grade(True, expected, "correct", 1.0)
    parts = ([f"also correct: {', '.join(missed)}"] if missed else []) + (
        [f"not correct: {', '.join(extra)}"] if extra else []
    )
    return Grade(False, expected, "; ".join(parts), score)


def as_order(item: OrderItem, response: Any) -> list[int] | None:
    """`response` as the step indices of an order item, each once; None if it is not that."""
    if isinstance(response, str):
        return None
    try:
        order = list(response)
    except TypeError:
        return None
    if any(type(i) is not int for i in order) or sorted(order) != list(range(len(item.steps))):
        return None
    return order


def _order(item: OrderItem, response: Any) -> Grade:
    n = len(item.steps)
    expected = list(range(n))
    order = as_order(item, response)
    if order is None:
        return Grade(False, expected, f"expected each of the {n} steps exactly once (indices 0 to {n - 1})")
    if order == expected:
        return Grade(True, expected, "correct", 1.0)
    kept = longest_ordered_run(order)
    return Grade(False, expected, f"{kept} of {n} in the right order relative to each other", kept / n)


def longest_ordered_run(order: list[int]) -> int:
    """Length of the longest subsequence already in the right order (partial credit for order items):
    moving one step to the wrong end costs one step, not all of them."""
    return len(ordered_run(order))


def ordered_run(order: list[int]) -> set[int]:
    """The steps of one longest subsequence of `order` already in the right order (the steps a learner has in place
    relative to each other; the others were moved). Patience sorting, with each step's predecessor kept."""
    import bisect

    tails: list[int] = []  # tails[k]: the smallest last step of a run of k + 1 steps so far
    ends: list[int] = []  # positions in `order` of those steps
    before: dict[int, int | None] = {}  # position -> the position of the step before it in its run
    for at, step in enumerate(order):
        k = bisect.bisect_left(tails, step)
        before[at] = ends[k - 1] if k else None
        tails[k : k + 1] = [step]
        ends[k : k + 1] = [at]
    run: set[int] = set()
    last: int | None = ends[-1] if ends else None
    while last is not None:
        run.add(order[last])
        last = before[last]
    return run


def read_number(text: Any, percent_is_unit: bool = False, units: tuple[str, ...] = ()) -> Fraction | float:
    """A learner's number, exact when it is plain arithmetic; raises ValueError if unreadable."""
    # Accepted: `0.25`, `1/4`, `2.5e-1`, `1,000` (comma only as a thousands separator), `pi/4`,
    # `sqrt(2)/2`, and a trailing unit word. `25%` means 0.25, except when the item's unit is
    # itself `%`: then the learner is just repeating the unit and means 25.
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, (int, float)):
        if not math.isfinite(text):
            raise ValueError(text)
        return Fraction(text) if isinstance(text, int) else text
    if not isinstance(text, str):
        raise ValueError(text)
    s = text.strip()
    for unit in sorted((u.strip() for u in units if u.strip()), key=len, reverse=True):
        if len(s) > len(unit) and normalise(s[-len(unit) :]) == normalise(unit) and normalise(unit):
            s = s[: -len(unit)].strip()
            break
    scale = Fraction(1)
    if s.endswith("%") and not percent_is_unit:
        s, scale = s[:-1].strip(), Fraction(1, 100)
    elif s.endswith("%"):
        s = s[:-1].strip()
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")  # thousands separators, as written in English and Korean
    try:
        tree = parse(s, [])
        exact = exact_value(tree)
        return exact * scale if exact is not None else evaluate(tree, {}) * float(scale)
    except (MathError, ValueError, OverflowError, ZeroDivisionError):
        raise ValueError(text) from None


def _fmt(x: float | Fraction) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else format(x, ".10g")


def _numeric(item: NumericItem, response: Any) -> Grade:
    units = tuple(item.unit.values()) if item.unit else ()
    percent_is_unit = any(u.strip() == "%" for u in units)
    try:
        given = read_number(response, percent_is_unit, units)
    except ValueError:
        return Grade(False, item.answer, f"could not read '{response}' as a number")
    tolerance = Tolerance.of(item.tolerance)
    answer = Fraction(repr(item.answer))
    allowed = tolerance.allowed(answer)
    ok = tolerance.allows(given, answer)
    unit = f" {(item.unit.get('en') or next(iter(item.unit.values())))}" if item.unit else ""
    within = f" (± {_fmt(allowed)})" if allowed else ""
    if ok:
        exact = given == answer if isinstance(given, Fraction) else False
        return Grade(
            True,
            item.answer,
            "correct" if exact else f"correct: the key is {_fmt(answer)}{unit}{within}",
            1.0,
            normalised=_fmt(given),
        )
    return Grade(
        False, item.answer, f"expected {_fmt(answer)}{unit}{within}; you gave {_fmt(given)}", normalised=_fmt(given)
    )


def _text(item: TextItem, response: Any) -> Grade:
    accepted = [a for answers in item.answers.values() for a in answers]
    expected = dict(item.answers)
    if not isinstance(response, str):
        return Grade(False, expected, f"could not read '{response}' as text")
    if matches(response, accepted):
        return Grade(True, expected, "correct", 1.0, normalised=normalise(response))
    shown = " / ".join(answers[0] for answers in item.answers.values() if answers)
    return Grade(False, expected, f"expected: {shown}", normalised=normalise(response))


def _expr(item: ExprItem, response: Any, expr_grader: ExprGrader | None) -> Grade:
    if not isinstance(response, str):
        return Grade(False, item.answer, f"could not read '{response}' as an expression")
    if expr_grader is None:
        from studyml.quiz.expr import grade_expr  # sympy loads only on this path

        expr_grader = grade_expr
    try:
        ranges = {sym: list(bounds) for sym, bounds in item.ranges.items()}  # JSON: to a worker process
        result = expr_grader(response, item.answer, list(item.symbols), signed=list(item.signed), ranges=ranges)
        correct, message = bool(result["correct"]), str(result["message"])
    except Exception as exc:  # a crashed or timed-out worker must not crash the quiz
        return Grade(False, item.answer, f"could not check this answer: {exc or type(exc).__name__}")
    return Grade(
        correct,
        item.answer,
        message,
        1.0 if correct else 0.0,
        result.get("col"),
        str(result.get("normalised", "")),
        code=str(result.get("code") or ""),
        values=dict(result.get("values") or {}) or None,
    )
