"""One tolerance rule for every numeric comparison: quiz keys, demo-checked keys and predictions."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


def _decimal(x: float | int | Fraction | None) -> Fraction:
    """The number as written in YAML (0.1 is 1/10, not the nearest binary float)."""
    if x is None:
        return Fraction(0)
    return x if isinstance(x, Fraction) else Fraction(repr(x)) if isinstance(x, float) else Fraction(x)


def percent(rel: float) -> str:
    """A relative tolerance as a learner reads it: 0.0006 is 0.06% (shown as 0% when rounded to whole percent)."""
    return f"{float(rel) * 100:.3g}%"


@dataclass(frozen=True)
class Tolerance:
    """`|value - reference| <= max(abs, rel * |reference|)`, computed on the written decimals.

    The reference is what the value is judged against: the answer key when grading or verifying a
    key, the observed metric when checking a learner's prediction of a demo.
    """

    abs: float | None = None
    rel: float | None = None

    @classmethod
    def of(cls, model) -> Tolerance:
        """From anything with `abs` and `rel` attributes (the pack model), or None for exact."""
        return cls(getattr(model, "abs", None), getattr(model, "rel", None)) if model is not None else cls()

    def allowed(self, reference: float | Fraction) -> Fraction:
        """The largest difference accepted around `reference`."""
        return max(_decimal(self.abs), _decimal(self.rel) * abs(_decimal(reference)))

    def allows(self, value: float | Fraction, reference: float | Fraction) -> bool:
        """Whether `value` is within tolerance of `reference`.

        Exact values (Fractions, ints) compare exactly, so 0.8 vs 0.7 ± 0.1 is inside despite binary
        floats; a float value (sqrt, pi, a measured metric) gets its own rounding error on top.
        """
        ref = _decimal(reference)
        allowed = self.allowed(ref)
        if isinstance(value, (Fraction, int)) and not isinstance(value, bool):
            return abs(Fraction(value) - ref) <= allowed
        slack = 1e-12 * max(1.0, abs(float(ref)))
        return abs(float(value) - float(ref)) <= float(allowed) + slack
