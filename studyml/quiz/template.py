"""Quiz templates: draw params from a seed, render prompts, compute keys by formula (never eval)."""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from studyml.quiz.mathparse import (
    CONSTANTS,
    FUNCTIONS,
    Algebra,
    BinOp,
    Call,
    MathError,
    MathTree,
    Neg,
    Num,
    evaluate,
    interpret,
    parse,
    to_text,
)

MAX_SEED = 2**31 - 1
RESERVED = frozenset(FUNCTIONS) | frozenset(CONSTANTS)
# `{name}` is a placeholder. In LaTeX, braces after a command, `^`, `_` or another group are arguments
# (`\frac{1}{n}`, `x^{2}`): those are placeholders only when the name is a param.
PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")
_LATEX_ARG = re.compile(r"(\\[A-Za-z]+|[\^_}])\s*$")


class TemplateError(ValueError):
    """A template that cannot be drawn or keyed; `path` is where in the item (e.g. ('params', 'n'))."""

    def __init__(self, path: tuple, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


@dataclass(frozen=True)
class Variant:
    """One draw of a template: its seed, the param values and the concrete item to show and grade."""

    seed: int
    values: dict[str, float | int]
    item: Any

    @property
    def key(self) -> tuple:
        """What makes two variants look the same to a learner."""
        return tuple(sorted(self.values.items()))


# -- params ---------------------------------------------------------------------------------------------


def _decimals(x: float | int) -> int:
    text = repr(float(x))
    if "e" in text:
        return 12
    return 0 if isinstance(x, int) or float(x).is_integer() else len(text.split(".")[1])


def _range_count(p) -> int:
    lo, hi = p.range
    step = p.step if p.step is not None else 1
    if step <= 0:
        return 0
    return int(math.floor((hi - lo) / step + 1e-9)) + 1 if hi >= lo else 0


def _range_value(p, i: int) -> float | int:
    lo = p.range[0]
    step = p.step if p.step is not None else 1
    if all(isinstance(v, int) for v in (*p.range, step)):
        return lo + i * step
    return round(lo + i * step, max(_decimals(lo), _decimals(step)))


def _integral(x: float) -> float | int:
    """Derived values that are whole numbers read and compare as whole numbers (`12`, not `12.0`)."""
    return int(x) if isinstance(x, float) and x.is_integer() and abs(x) < 2**53 else x


@lru_cache(maxsize=4096)
def _tree(text: str, names: tuple[str, ...]) -> MathTree:
    return parse(text, names)


def formula(text: str, names) -> MathTree:
    """Parse a formula over `names` (cached: a template is drawn over and over)."""
    return _tree(text, tuple(names))


def check_param_names(item) -> Iterator[TemplateError]:
    symbols = set(getattr(item, "symbols", ()) or ())
    for name in item.params or {}:
        if name in RESERVED:
            yield TemplateError(
                ("params", name),
                f"param name {name!r} shadows the math "
                f"{'function' if name in FUNCTIONS else 'constant'} {name!r}; rename it",
            )
        elif name in symbols:
            yield TemplateError(("params", name), f"param name {name!r} is also one of the item's symbols; rename it")


def domain_errors(item) -> Iterator[TemplateError]:
    """Empty ranges and formulas that do not parse (the shapes of the params, before any draw)."""
    earlier: list[str] = []
    for name, p in (item.params or {}).items():
        if p.range is not None:
            if p.step is None and not all(isinstance(v, int) for v in p.range):
                yield TemplateError(("params", name, "step"), "a range of decimals needs a `step`, e.g. step: 0.1")
            elif _range_count(p) == 0:
                step = p.step if p.step is not None else 1
                why = "the step must be positive" if step <= 0 else f"low {p.range[0]} is above high {p.range[1]}"
                yield TemplateError(("params", name, "range"), f"empty range: {why}")
        if p.formula is not None:
            try:
                formula(p.formula, earlier)
            except MathError as e:
                yield TemplateError(("params", name, "formula"), f"{e} (a formula may use only the params above it)")
        earlier.append(name)


def draw_values(item, seed: int) -> dict[str, float | int]:
    """The param values of the variant `seed`: the same seed always gives the same values."""
    rng = random.Random(seed)
    values: dict[str, float | int] = {}
    for name, p in (item.params or {}).items():
        if p.range is not None:
            values[name] = _range_value(p, rng.randrange(_range_count(p)))
        elif p.choice is not None:
            values[name] = rng.choice(p.choice)
        else:
            values[name] = _integral(_eval(p.formula, values, ("params", name, "formula")))
    return values


def corner_values(item) -> Iterator[dict[str, float | int]]:
    """Every combination of range ends and first/last choices (at most 32), derived params computed."""
    params = item.params or {}
    free = [n for n, p in params.items() if p.formula is None]
    ends = {}
    for n in free:
        p = params[n]
        ends[n] = (
            [p.range[0], _range_value(p, _range_count(p) - 1)] if p.range is not None else [p.choice[0], p.choice[-1]]
        )
    combos = (
        itertools.product(*(ends[n] for n in free))
        if len(free) <= 5
        else [tuple(ends[n][0] for n in free), tuple(ends[n][1] for n in free)]
    )
    for combo in combos:
        values: dict[str, float | int] = {}
        chosen = dict(zip(free, combo))
        for name, p in params.items():
            values[name] = (
                chosen[name] if name in chosen else _integral(_eval(p.formula, values, ("params", name, "formula")))
            )
        yield values


def _eval(text: str, values: dict[str, float | int], path: tuple) -> float:
    try:
        return evaluate(formula(text, list(values)), values)
    except MathError as e:
        raise TemplateError(path, str(e)) from None
    except ValueError as e:
        raise TemplateError(path, f"fails for {_shown(values)}: {e}") from None


def _shown(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={format_number(v, 'en')}" for k, v in values.items()) or "no params"


# -- rendering ------------------------------------------------------------------------------------------

# Both built-in languages group thousands with a comma and use a decimal point; a language that
# writes 3,5 would add its separators here.
_SEPARATORS = {"de": (".", ","), "fr": ("\u202f", ","), "ru": ("\u202f", ",")}


def format_number(x: float | int, lang: str, digits: int | None = None) -> str:
    """A number as a learner of `lang` reads it: `12`, `0.25`, `12,544`, at most 4 significant digits."""
    if isinstance(x, float) and x.is_integer() and digits is None and abs(x) < 1e15:
        x = int(x)
    if isinstance(x, int):
        text = f"{x:,}" if abs(x) >= 10_000 else str(x)
    elif digits is not None:
        text = f"{x:,.{digits}f}" if abs(x) >= 10_000 else f"{x:.{digits}f}"
    else:
        text = f"{x:.4g}"
        if "e" in text:
            mant, exp = text.split("e")
            text = f"{mant}×10^{int(exp)}"
    group, point = _SEPARATORS.get(lang.split("-")[0], (",", "."))
    table: dict[str, str | int | None] = {",": group, ".": point}
    return text.translate(str.maketrans(table))


def placeholders(text: str) -> Iterator[tuple[str, bool]]:
    """(name, must_be_a_param) for each `{name}`; LaTeX arguments need not be params."""
    for m in PLACEHOLDER.finditer(text):
        yield m.group(1), not _LATEX_ARG.search(text[: m.start()])


def render(text: str, values: dict[str, Any], lang: str, digits: dict[str, int | None] | None = None) -> str:
    digits = digits or {}

    def sub(m: re.Match) -> str:
        name = m.group(1)
        return format_number(values[name], lang, digits.get(name)) if name in values else m.group(0)

    return PLACEHOLDER.sub(sub, text)


def _render_text(text: dict[str, str], values, digits) -> dict[str, str]:
    return {lang: render(t, values, lang, digits) for lang, t in text.items()}


# -- keys -----------------------------------------------------------------------------------------------


class _Substitute(Algebra):
    """Rebuild a tree with each param replaced by its number (expr keys)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def num(self, t):
        return t

    def sym(self, t):
        if t.name not in self.values:
            return t
        v = self.values[t.name]
        exact = Fraction(v) if isinstance(v, int) else Fraction(repr(float(v)))
        return Num(exact, str(v) if isinstance(v, int) else repr(float(v)))

    def const(self, t):
        return t

    def neg(self, a):
        return Neg(a)

    def binop(self, op, a, b):
        return BinOp(op, a, b)

    def call(self, func, a):
        return Call(func, a)


def _number_or_formula(v, values, path) -> float:
    return float(v) if isinstance(v, (int, float)) else _eval(v, values, path)


def key_of(item, values: dict[str, Any]) -> Any:
    """The answer key of the variant with these values (raises TemplateError naming the field)."""
    kind = item.kind
    if kind == "numeric":
        return _number_or_formula(item.answer, values, ("answer",))
    if kind == "expr":
        tree = formula(item.answer, [*item.symbols, *values])
        return to_text(interpret(tree, _Substitute(values)))
    if kind == "order" and item.sort_by:
        return [_eval(f, values, ("sort_by", i)) for i, f in enumerate(item.sort_by)]
    return None


def instantiate(item, seed: int) -> Variant:
    """The variant `seed` of a template (a non-template item is its own only variant)."""
    if not getattr(item, "params", None):
        return Variant(0, {}, item)
    values = draw_values(item, seed)
    digits = {n: p.digits for n, p in item.params.items()}
    rng = random.Random(seed ^ 0x5EED)  # choice order: independent of how many params were drawn
    up: dict[str, Any] = {
        "prompt": _render_text(item.prompt, values, digits),
        "explanation": _render_text(item.explanation, values, digits),
        "hints": [_render_text(h, values, digits) for h in item.hints],
    }
    mis = []
    for i, m in enumerate(item.misconceptions):
        fb = _render_text(m.feedback, values, digits)
        value = _number_or_formula(m.value, values, ("misconceptions", i, "value")) if m.value is not None else None
        mis.append(m.model_copy(update={"value": value, "feedback": fb}))
    kind = item.kind
    if kind == "numeric":
        up["answer"] = key_of(item, values)
        tol = item.tolerance
        up["tolerance"] = tol.model_copy(
            update={
                w: _number_or_formula(getattr(tol, w), values, ("tolerance", w))
                for w in ("abs", "rel")
                if getattr(tol, w) is not None
            }
        )
        if item.unit:
            up["unit"] = _render_text(item.unit, values, digits)
    elif kind == "expr":
        up["answer"] = key_of(item, values)
    elif kind in ("choice", "multi"):
        keys = list(item.choices)
        texts = [_render_text(item.choices[k], values, digits) for k in keys]
        order = list(range(len(keys)))
        if item.shuffle:
            rng.shuffle(order)
        # The choice shown under key keys[i] is the original choice keys[order[i]].
        new_key = {keys[o]: keys[i] for i, o in enumerate(order)}
        up["choices"] = {keys[i]: texts[o] for i, o in enumerate(order)}
        if kind == "choice":
            up["answer"] = new_key[item.answer]
        else:
            up["answers"] = sorted(new_key[a] for a in item.answers)
        mis = [m.model_copy(update={"choice": new_key.get(m.choice, m.choice)}) if m.choice else m for m in mis]
    elif kind == "order":
        steps = [_render_text(s, values, digits) for s in item.steps]
        if item.sort_by:
            by = key_of(item, values)
            steps = [steps[i] for i in sorted(range(len(steps)), key=lambda i: by[i])]
        up["steps"] = steps
    elif kind == "text":
        up["answers"] = {
            lang: [render(a, values, lang, digits) for a in answers] for lang, answers in item.answers.items()
        }
    up["misconceptions"] = mis
    return Variant(seed, values, item.model_copy(update=up))


def new_seed(rng: random.Random | None = None) -> int:
    return (rng or random.SystemRandom()).randrange(1, MAX_SEED)


def fresh_variant(item, previous_seed: int | None = None, rng: random.Random | None = None, tries: int = 20) -> Variant:
    """A variant with a new seed that does not look like the variant of `previous_seed`."""
    if not getattr(item, "params", None):
        return Variant(0, {}, item)
    before = draw_values(item, previous_seed) if previous_seed is not None else None
    for _ in range(tries):
        seed = new_seed(rng)
        if seed == previous_seed:
            continue
        values = draw_values(item, seed)
        if values != before:
            return instantiate(item, seed)
    return instantiate(item, seed)  # a template with a single possible variant


# -- validation -----------------------------------------------------------------------------------------

SAMPLE_DRAWS = 12  # on top of the range ends; `studyml verify` runs many more draws


def problems(item) -> list[TemplateError]:
    """Everything wrong with a template that shows without running any plugin: names, ranges,
    placeholders, and formulas that fail at a range end or on a sample of draws."""
    if not item.params:
        return []
    out = list(check_param_names(item)) + list(domain_errors(item))
    names = set(item.params)
    for path, text in _texts(item):
        for name, must in placeholders(text):
            if must and name not in names:
                out.append(
                    TemplateError(
                        path,
                        f"placeholder {{{name}}} has no param; declare it under "
                        f"`params` (params: {', '.join(item.params)})",
                    )
                )
    if out:
        return out
    out += _formula_parse_errors(item)
    tolerance = getattr(item, "tolerance", None) if item.kind == "numeric" else None
    for w in ("abs", "rel") if tolerance is not None else ():
        v = getattr(tolerance, w)
        if isinstance(v, (int, float)) and v < 0:  # a number, not a formula: no range or draw makes it right
            out.append(TemplateError(("tolerance", w), f"tolerance must be zero or positive, got {v:g}"))
    if out:
        return out
    draws: list[dict[str, Any]] = []
    try:  # drawing computes the derived params: a formula among them can fail too
        for values in itertools.chain(corner_values(item), (draw_values(item, s) for s in range(1, SAMPLE_DRAWS + 1))):
            instantiate_values(item, values)
            draws.append(values)
    except TemplateError as e:
        out.append(TemplateError(e.path, f"{e.message}; narrow a range or change the formula"))
        return out
    return out + _accepted_misconceptions(item, draws) + _choices_alike(item, draws)


def _choices_alike(item, draws: list[dict[str, Any]]) -> list[TemplateError]:
    """Two choices of a template that read the same at a draw checked (Xavier's 2/(fin+fout) and LeCun's 1/fin when
    fin = fout): the learner cannot tell the key from a distractor. `studyml verify` found it only at the seeds it
    ran; the range ends are where it happens most."""
    if item.kind not in ("choice", "multi"):
        return []
    digits = {n: p.digits for n, p in item.params.items()}
    for values in draws:
        shown: dict[str, str] = {}
        for key, text in item.choices.items():
            lang = "en" if "en" in text else next(iter(text))
            read = render(text[lang], values, lang, digits)
            if read in shown:
                return [
                    TemplateError(
                        ("choices", key),
                        f"reads the same as choice {shown[read]!r} ({read!r}) for {_shown(values)}: the learner cannot "
                        "tell them apart; narrow a range or change a formula so they stay apart",
                    )
                ]
            shown[read] = key
    return []


def instantiate_values(item, values: dict[str, Any]) -> None:
    """Compute every formula of the item at these values (raises TemplateError on the first failure)."""
    key = key_of(item, values)
    if item.kind == "numeric":
        if not math.isfinite(key):
            raise TemplateError(("answer",), f"the key is not finite for {_shown(values)}")
        for w in ("abs", "rel"):
            v = getattr(item.tolerance, w)
            if v is not None and _number_or_formula(v, values, ("tolerance", w)) < 0:
                raise TemplateError(("tolerance", w), f"the tolerance is negative for {_shown(values)}")
    for i, m in enumerate(item.misconceptions):
        if m.value is not None:
            _number_or_formula(m.value, values, ("misconceptions", i, "value"))


def _accepted_misconceptions(item, draws: list[dict[str, Any]]) -> list[TemplateError]:
    """Misconceptions of a numeric template that the key accepts at every draw checked (`2*n` for the key `n*2`):
    never told apart from the right answer, their feedback never shows. At some draws only is how ranges go
    (p = 0.5 makes p and 1 - p one number)."""
    from studyml.quiz.tolerance import Tolerance

    if item.kind != "numeric" or not draws:
        return []
    out = []
    for i, m in enumerate(item.misconceptions):
        if m.value is None:
            continue
        path = ("misconceptions", i, "value")
        every = True
        for values in draws:
            key = key_of(item, values)
            limits = [getattr(item.tolerance, w) for w in ("abs", "rel")]
            tolerance = Tolerance(*(None if v is None else _number_or_formula(v, values, path) for v in limits))
            if not tolerance.allows(float(_number_or_formula(m.value, values, path)), float(key)):
                every = False
                break
        if every:
            out.append(
                TemplateError(
                    path,
                    f"the key accepts this value at every draw checked ({_shown(draws[0])}, …): a misconception is a "
                    "wrong answer, and its feedback would never show",
                )
            )
    return out


def _formula_parse_errors(item) -> list[TemplateError]:
    names = list(item.params)
    fields: list[tuple[tuple, str, list[str]]] = []
    if item.kind == "numeric":
        if isinstance(item.answer, str):
            fields.append((("answer",), item.answer, names))
        for w in ("abs", "rel"):
            v = getattr(item.tolerance, w)
            if isinstance(v, str):
                fields.append((("tolerance", w), v, names))
    if item.kind == "expr":
        fields.append((("answer",), item.answer, [*item.symbols, *names]))
    if item.kind == "order" and item.sort_by:
        if len(item.sort_by) != len(item.steps):
            return [TemplateError(("sort_by",), f"`sort_by` needs one formula per step ({len(item.steps)})")]
        fields += [(("sort_by", i), f, names) for i, f in enumerate(item.sort_by)]
    for i, m in enumerate(item.misconceptions):
        if isinstance(m.value, str):
            fields.append((("misconceptions", i, "value"), m.value, names))
    out = []
    for path, text, allowed in fields:
        try:
            formula(text, allowed)
        except MathError as e:
            out.append(TemplateError(path, f"the formula does not parse: {e}"))
    return out


def _texts(item) -> Iterator[tuple[tuple, str]]:
    for f in ("prompt", "explanation", "unit"):
        for lang, t in (getattr(item, f, None) or {}).items():
            yield (f, lang), t
    for i, h in enumerate(item.hints):
        for lang, t in h.items():
            yield ("hints", i, lang), t
    for i, m in enumerate(item.misconceptions):
        for lang, t in m.feedback.items():
            yield ("misconceptions", i, "feedback", lang), t
    for k, c in (getattr(item, "choices", None) or {}).items():
        for lang, t in c.items():
            yield ("choices", k, lang), t
    for i, s in enumerate(getattr(item, "steps", None) or []):
        for lang, t in s.items():
            yield ("steps", i, lang), t


def within_bounds(item, values: dict[str, Any]) -> list[str]:
    """Drawn values outside their declared range or choices (empty when all are inside)."""
    out = []
    for name, p in (item.params or {}).items():
        v = values.get(name)
        if p.range is not None and not (p.range[0] - 1e-9 <= v <= p.range[1] + 1e-9):
            out.append(f"{name}={v} is outside [{p.range[0]}, {p.range[1]}]")
        if p.choice is not None and v not in p.choice:
            out.append(f"{name}={v} is not one of {p.choice}")
    return out
