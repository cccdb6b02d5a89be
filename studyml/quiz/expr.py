"""Grade `expr` answers by symbolic equivalence; plain JSON in and out, for a worker process."""

from __future__ import annotations

import math
import random
import signal
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from studyml.quiz.mathparse import MathError, MathTree, evaluate, parse, sympy_symbol, to_sympy, to_text

POINTS = 12
SEED = 20240607  # fixed, so a learner's answer gets the same verdict every time
LOW, HIGH = 0.1, 4.0  # symbols are positive reals; this range straddles 1, where many slips show
RTOL, ATOL = 1e-9, 1e-12


class _Timeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    # SIGALRM only works in a process's main thread; elsewhere the calling worker enforces its own
    # limit (the UI kills a worker that overruns).
    if seconds <= 0 or not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _alarm(signum, frame):
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:  # the alarm may fire inside this very block; the old handler comes back regardless
            signal.signal(signal.SIGALRM, previous)


def _result(
    correct: bool, message: str, normalised: str = "", col: int | None = None, code: str = "", **values: str
) -> dict:
    """The verdict as JSON; `code` and `values` let a screen say it in the learner's language (MathError's)."""
    return {
        "correct": correct,
        "message": message,
        "normalised": normalised,
        "col": col,
        "code": code,
        "values": values,
    }


Ranges = Mapping[str, Sequence[float]]  # symbol → (low, high): an item's `ranges`


def _points(symbols: list[str], ranges: Ranges | None = None) -> list[dict[str, float]]:
    rng = random.Random(SEED)
    names = list(dict.fromkeys(symbols))
    return [{s: _draw(rng, s, 1, ranges) for s in names} for _ in range(POINTS if names else 1)]


def signed_symbols(signed: list[str], ranges: Ranges | None) -> list[str]:
    """The symbols that also take negative values: those listed `signed`, and those whose range goes below 0."""
    below = [s for s, bounds in (ranges or {}).items() if len(bounds) == 2 and bounds[0] < 0]
    return list(dict.fromkeys([*signed, *below]))


def symbols_said(
    symbols: list[str], signed: list[str], ranges: Ranges | None, *, negative: str, within: str = "∈"
) -> str:
    """The symbols with what the grader takes of them, for the learner: `p ∈ [0, 1], z (may be negative), n`.
    `negative`: how a signed symbol is said, a format with {name}; `within`: the word before a range."""
    ranges = ranges or {}
    below = set(signed_symbols(signed, ranges))
    said = []
    for name in symbols:
        if name in ranges:
            low, high = ranges[name]
            said.append(f"{name} {within} [{low:g}, {high:g}]")
        else:
            said.append(negative.format(name=name) if name in below else name)
    return ", ".join(said)


def _draw(rng: random.Random, symbol: str, sign: int, ranges: Ranges | None) -> float:
    """A test value of `symbol` of the given sign: within the symbol's range if it has one, else between LOW and
    HIGH (or -HIGH and -LOW)."""
    if not ranges or symbol not in ranges:
        return sign * _point_value(rng)
    low, high = (float(v) for v in ranges[symbol])
    return _inside(rng, max(low, 0.0), high) if sign > 0 else _inside(rng, low, min(high, 0.0))


def _point_value(rng: random.Random) -> float:
    """A test value with two decimals: a point said in feedback is the point the values were computed at (x=2.3 was
    shown for 2.2953, and tanh(2.3) is not the 0.9799 shown as expected)."""
    return round(rng.uniform(LOW, HIGH), 2)


def _inside(rng: random.Random, low: float, high: float) -> float:
    """A value strictly between `low` and `high`, with as few decimals as their distance allows (two at least), as
    _point_value's. The ends are left out: a probability of 0 or 1 is where a logarithm has no value."""
    if not (high > low and math.isfinite(high - low)):  # a range pack validate refuses: a value of it
        return low if math.isfinite(low) else high
    decimals = max(2, math.ceil(-math.log10((high - low) / 100)))
    for _ in range(100):
        v = round(rng.uniform(low, high), decimals)
        if low < v < high:
            return v
    return (low + high) / 2


def _numeric(
    given: MathTree, key: MathTree, symbols: list[str], ranges: Ranges | None = None
) -> tuple[bool, dict[str, float] | None, list[dict[str, float]]]:
    """(all usable points agree and there are enough of them, the point where the values differ most, the usable
    points: where both have a value).

    The point said to the learner is where the two differ most, not the first: "at x=2.3 yours is 4.084e-08,
    expected 1.633e-07" hid a factor of 4 that x=0.13 shows plainly."""
    points = _points(symbols, ranges)
    values = _values(given, key, points)
    tolerance = _abs_tol(values)
    widest, at = 0.0, None
    for point, (a, b) in values:
        if not math.isclose(a, b, rel_tol=RTOL, abs_tol=tolerance) and (gap := abs(a - b)) >= widest:
            widest, at = gap, point
    usable = [point for point, _ in values]
    if at is not None:
        return False, at, usable
    return len(values) >= max(1, len(points) // 2), None, usable


def _values(given: MathTree, key: MathTree, points: list[dict[str, float]]) -> list[tuple[dict, tuple[float, float]]]:
    """(point, (the answer's value, the key's)) at each point where both have one."""
    out = []
    for point in points:
        try:
            out.append((point, (evaluate(given, point), evaluate(key, point))))
        except ValueError:
            continue  # off the domain or overflowing at this point: sympy decides instead
    return out


def _abs_tol(values: list[tuple[dict, tuple[float, float]]]) -> float:
    """The absolute tolerance near zero, at the scale of the key's values: a fixed 1e-12 took every value of a
    range like [0, 1e-6] for zero, and p**3 was right for p**2 there."""
    scale = max((abs(b) for _, (_, b) in values), default=0.0)
    return ATOL * scale if scale > 0 else ATOL


def undefined_key_points(key: str, symbols: list[str], ranges: Ranges | None) -> tuple[int, int, dict | None]:
    """Of the points an answer is checked at (within `ranges`), how many the key has no value at, of how many, and
    one of them: a key with none across a range (log(p/(1-p)) for p in [1.5, 3]) made every answer wrong."""
    tree = parse(key, symbols)
    points = _points(symbols, ranges)
    missing = []
    for point in points:
        try:
            evaluate(tree, point)
        except ValueError:
            missing.append(point)
    return len(missing), len(points), (missing[0] if missing else None)


def _signed_points(symbols: list[str], signed: list[str], ranges: Ranges | None = None) -> list[dict[str, float]]:
    """Points where some of the `signed` symbols are negative: each of them negative or positive by a coin toss, at
    least one negative; the other symbols positive. Each value within its symbol's range, if it has one."""
    rng = random.Random(SEED + 1)
    names = list(dict.fromkeys(symbols))
    may = [s for s in names if s in signed]
    points = []
    for _ in range(POINTS if may else 0):
        signs = {s: rng.choice((-1, 1)) if s in may else 1 for s in names}
        if all(signs[s] > 0 for s in may):
            signs[may[rng.randrange(len(may))]] = -1
        points.append({s: _draw(rng, s, signs[s], ranges) for s in names})
    return points


def _differs_off_the_positives(
    given: MathTree, key: MathTree, symbols: list[str], signed: list[str], ranges: Ranges | None = None
) -> tuple[dict, tuple] | None:
    """A point where some `signed` symbols are negative, both are defined and they really differ, with their values
    there; else None.

    Symbols are taken as positive for the symbolic check, as a count, a width or a standard deviation is. But an
    input, a weight or a bias may be negative (the item says which: `signed`), and there `abs(x)` is not `x`: an
    answer right only for positive values was marked right (`-abs(b)/w` for `-b/w`). Where either side is undefined
    for negative values, nothing is compared: only the values both sides have are.
    """
    values = _values(given, key, _signed_points(symbols, signed, ranges))
    tolerance = _abs_tol(values)
    differing = [
        (abs(a - b), point) for point, (a, b) in values if not math.isclose(a, b, rel_tol=RTOL, abs_tol=tolerance)
    ]
    for _gap, point in sorted(differing, key=lambda d: -d[0]):  # the widest first, as on the positives
        confirmed = _confirm(to_sympy(given, positive=False), to_sympy(key, positive=False), point, positive=False)
        if confirmed is not None:
            return point, confirmed
    return None


def _confirm(a, b, point: dict[str, float], positive: bool = True) -> tuple[float, float] | None:
    """Values of both at `point` in 30-digit arithmetic if they really differ there, else None."""
    import sympy

    subs = {sympy_symbol(k, positive): sympy.Float(v, 30) for k, v in point.items()}
    va, vb = a.evalf(30, subs=subs), b.evalf(30, subs=subs)
    if not (va.is_Float and vb.is_Float):
        return None  # complex or undefined there: leave it to simplify
    fa, fb = float(va), float(vb)
    if abs(va - vb) > 1e-20 * max(1.0, abs(fa), abs(fb)):
        return fa, fb
    return None


def grade_expr(
    answer_given: str,
    key: str,
    symbols: list[str],
    timeout: float = 5.0,
    signed: list[str] | None = None,
    ranges: Ranges | None = None,
) -> dict:
    """Whether `answer_given` equals `key` for all positive values of `symbols`, and wherever both are defined when
    some of the `signed` symbols are negative, as a JSON-ready dict.

    `ranges` bounds where a symbol's values lie (an item's `ranges`: a probability in [0, 1]). The answer is compared
    with the key there only: a form right for every probability is right, and a point said to the learner is a value
    the symbol can take (a probability of 2.3 was). A range that goes below 0 makes its symbol signed."""
    try:
        key_tree = parse(key, symbols)
    except MathError as exc:
        return _result(False, f"the answer key does not parse: {exc.message}")
    try:
        given = parse(answer_given, symbols)
    except MathError as exc:
        return _result(False, exc.message, "", exc.col, exc.code, **exc.values)
    signed = signed_symbols(signed or [], ranges)
    verdict = _on_the_positives(given, key_tree, symbols, timeout, ranges)
    if verdict["correct"] and signed:
        try:
            # Floats at 12 points, and sympy only at a point where they differ: a bound for the rare slow evalf
            # (past it, the verdict for positive values stands).
            with _time_limit(min(timeout, 2.0)):
                differs = _differs_off_the_positives(given, key_tree, symbols, signed, ranges)
        except _Timeout:
            differs = None
        if differs is not None:
            return _differs_result(*differs, verdict["normalised"])
    return verdict


def _differs_result(point: dict[str, float], values: tuple[float, float], normalised: str) -> dict:
    where = ", ".join(f"{k}={v!r}" for k, v in point.items())  # as drawn (few decimals): exactly the point used
    place = f"at {where} " if where else ""
    # Four significant digits, or as many as tell the two apart ("yours is 0.00056, expected 0.00056" said nothing).
    digits = next((d for d in range(4, 18) if f"{values[0]:.{d}g}" != f"{values[1]:.{d}g}"), 17)
    yours, expected = f"{values[0]:.{digits}g}", f"{values[1]:.{digits}g}"
    return _result(
        False,
        f"not equivalent to the expected answer: {place}yours is {yours}, expected {expected}",
        normalised,
        None,
        "differs_at" if where else "differs",
        where=where,
        yours=yours,
        expected=expected,
    )


def _on_the_positives(
    given: MathTree, key_tree: MathTree, symbols: list[str], timeout: float, ranges: Ranges | None = None
) -> dict:
    """grade_expr's verdict for positive values of the symbols (within their ranges): symbolic where sympy decides,
    else numeric."""
    normalised = to_text(given)
    agree, differs_at, usable = _numeric(given, key_tree, symbols, ranges)

    import sympy  # outside the time limit: an interrupted import would leave sympy half-loaded

    try:
        with _time_limit(timeout):
            a, b = to_sympy(given), to_sympy(key_tree)
            # Fast reject: a point where floats disagree, confirmed in high precision so that
            # rounding (e.g. catastrophic cancellation) never rejects a right answer.
            if differs_at is not None:
                values = _confirm(a, b, differs_at)
                if values is not None:
                    return _differs_result(differs_at, values, normalised)
            diff = a - b
            simplified = diff if diff == 0 else sympy.simplify(diff)
            if simplified == 0:
                return _result(True, "equivalent to the expected answer", normalised)
            if simplified.is_number and not simplified.has(sympy.zoo, sympy.nan):
                value = simplified.evalf(30)
                if value.is_Float and abs(value) > 1e-25:
                    return _result(False, "not equivalent to the expected answer", normalised)
            # A residue simplify cannot clear: the two in 30-digit arithmetic at the points, where floats agree to
            # 9 digits only (rho + rho**4 and rho agree so for a correlation of 0.001, and were taken as equal).
            for point in usable:
                values = _confirm(a, b, point)
                if values is not None:
                    return _differs_result(point, values, normalised)
    except _Timeout:
        if agree:
            return _result(True, f"equivalent to the expected answer (checked at {POINTS} random points)", normalised)
        return _result(False, "could not decide in time whether this is equivalent; not counted as correct", normalised)
    # simplify is not a decision procedure (equivalence of elementary expressions is undecidable,
    # Richardson 1968), so when it leaves a non-zero residue we fall back to the numbers: two
    # different expressions learners type essentially never agree to 1e-9 at 12 random points.
    if agree:
        return _result(True, f"equivalent to the expected answer (checked at {POINTS} random points)", normalised)
    return _result(False, "not equivalent to the expected answer", normalised)
