"""Feedback on an answered item: every option of a choice or multi item under the labels the learner saw, every step
of an order item where the learner put it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


def label(index: int) -> str:
    """The on-screen label of the option shown at `index` (0 -> 'a)')."""
    return f"{chr(97 + index)})" if index < 26 else f"{index + 1})"


@dataclass(frozen=True)
class OptionFeedback:
    label: str  # as shown, e.g. "b)"
    key: str  # the option's key in the pack file
    text: str
    correct: bool  # this option is the answer (choice) or one of the answers (multi)
    chosen: bool  # the learner picked it
    why: str  # the pack's feedback on this option, or ""


def _pick(text: dict[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or text.get("en") or next(iter(text.values()))


def option_feedback(item: Any, shown: Iterable[str], response: Any, lang: str) -> list[OptionFeedback]:
    """One row per option in the order it was shown. `shown`: the option keys top to bottom on screen
    (keys missing from it are appended, so no option is ever dropped); `response`: the graded answer."""
    order = [k for k in shown if k in item.choices]
    order += [k for k in item.choices if k not in order]
    right = {item.answer} if item.kind == "choice" else set(item.answers)
    if isinstance(response, (list, tuple, set)):
        chosen = {str(r) for r in response}
    else:
        chosen = {str(response)} if response is not None else set()
    why = getattr(item, "why", {}) or {}
    return [
        OptionFeedback(label(i), k, _pick(item.choices[k], lang), k in right, k in chosen, _pick(why.get(k), lang))
        for i, k in enumerate(order)
    ]


def feedback_markdown(rows: list[OptionFeedback], your_answer: str) -> str:
    """The rows as a Markdown list: label, ✓/✗ (is the option right?), text, the learner's pick, why."""
    out = []
    for r in rows:
        mark = "✓" if r.correct else "✗"
        mine = f" ← *{your_answer}*" if r.chosen else ""
        text = " ".join(r.text.split())
        line = f"- **{r.label}** {mark} {text}{mine}"
        if r.why:
            line += "  \n  " + " ".join(r.why.split())
        out.append(line)
    return "\n".join(out)


@dataclass(frozen=True)
class StepFeedback:
    text: str  # the step, in the learner's language
    place: int  # where it belongs, from 1
    in_place: bool  # among the longest run of steps the learner has in the right order relative to each other


def order_feedback(item: Any, response: Any, lang: str) -> list[StepFeedback]:
    """One row per step in the learner's order (`response`: step indices, as graded); none if it is not one."""
    from studyml.quiz.grading import as_order, ordered_run

    order = as_order(item, response)
    if order is None:
        return []
    run = ordered_run(order)
    return [StepFeedback(_pick(item.steps[i], lang), i + 1, i in run) for i in order]


def order_markdown(rows: list[StepFeedback], heading: str, belongs: str) -> str:
    """The rows as a Markdown list, in the learner's order: ✓ for a step in place relative to the others, ✗ and where
    it belongs for one that was moved (`belongs`: a format with {n}, the step's number in the right order as the
    answer numbers it). Not numbered: the only numbers are the right order's."""
    out = [f"**{heading}**", ""]
    for r in rows:
        text = " ".join(r.text.split())
        out.append(f"- ✓ {text}" if r.in_place else f"- ✗ {text} — *{belongs.format(n=r.place)}*")
    return "\n".join(out)


# An option letter written in pack text: "(c)" anywhere, or "c)" that does not close a parenthesis.
_PAREN_REF = re.compile(r"\(([A-Za-z])\)")
_BARE_REF = re.compile(r"(?<![\w(])([A-Za-z])\)")
# "option b", "options a and c", "choice d"; Korean "보기 b", and a lone letter with a particle: "b는", "(d)와".
_WORD_REF = re.compile(
    r"\b(?:options?|choices?|answers?)\s+([A-Za-z])\b(?:(?:\s*(?:,|and|or|&)\s*)([A-Za-z])\b)?", re.I
)
_KO_REF = re.compile(
    r"(?:보기|선택지)\s*([A-Za-z])(?![A-Za-z])|(?<![A-Za-z0-9_\\])([A-Za-z])(?=(?:는|은|가|와|과|를|을|도|의|처럼)(?:\s|[.,)]|$))"
)
_EN_SUBJECT_REF = re.compile(
    r"(?<![A-Za-z0-9_\\'’])([A-Za-z])(?=\s+(?:is|are|was|were|describes|swaps|gives|holds|would|confuses|means)\b)"
)
_RANGE_REF = re.compile(r"(?<![A-Za-z0-9_\\])\(?([A-Za-z])\)?\s*[–-]\s*\(?([A-Za-z])\)?(?![A-Za-z0-9])")
_MATH_OR_CODE = re.compile(r"\$\$.+?\$\$|\$[^$]*\$|`[^`]*`", re.S)


def letter_references(text: str, keys: Iterable[str]) -> list[str]:
    """Option keys that `text` names by letter, e.g. '(c) is underfitting' -> ['c'] (math and code skipped)."""
    keys = set(keys)
    plain = _MATH_OR_CODE.sub(lambda m: " " * len(m.group(0)), text)
    found: list[str] = []
    for m in _PAREN_REF.finditer(plain):
        if m.group(1) in keys and m.group(1) not in found:
            found.append(m.group(1))
    for m in [
        *_WORD_REF.finditer(plain),
        *_KO_REF.finditer(plain),
        *_RANGE_REF.finditer(plain),
        *_EN_SUBJECT_REF.finditer(plain),
    ]:
        for letter in m.groups():
            if letter and letter in keys and letter not in found:
                found.append(letter)
    for m in _BARE_REF.finditer(plain):
        before = plain[: m.start()]
        if before.count("(") > before.count(")"):
            continue  # closes a parenthesis, e.g. "(a, b)"
        if m.group(1) in keys and m.group(1) not in found:
            found.append(m.group(1))
    return found
