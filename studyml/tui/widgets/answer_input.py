"""One input widget per quiz kind; each reports the learner's response in the grader's form."""

from __future__ import annotations

import random
import re
import unicodedata

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, ListItem, ListView, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from studyml.content.mathtext import render_math
from studyml.quiz.feedback import label
from studyml.quiz.tolerance import percent
from studyml.tui.i18n import math_text, pick, tr
from studyml.tui.markup import code_markup, literal
from studyml.tui.widgets.choice_lines import LetteredSelectionList, labelled
from studyml.tui.widgets.clicks import ClickToHighlight


class AnswerInput(Vertical):
    """Base: subclasses post `Submitted(response)` when the learner commits an answer."""

    class Submitted(Message):
        def __init__(self, response) -> None:
            super().__init__()
            self.response = response

    def __init__(self, item, lang: str, round: int = 0, **kw) -> None:
        super().__init__(**kw)
        self.item, self.lang = item, lang
        # Shuffle per item, not per run: the same item shows the same order (stable snapshots); a retry of the missed
        # items (round 1, 2, …) shows another, so the right answer is not remembered by its place.
        self.rng = random.Random(item.id if not round else f"{item.id}:{round}")
        self.round = round

    def shuffled(self, keys: list) -> list:
        """`keys` in this item's order for this round. In a retry the right answers are not where any earlier round
        showed them, when the options allow it: a new order that kept the answer at b) taught its letter."""
        right = {self.item.answer} if self.item.kind == "choice" else set(getattr(self.item, "answers", ()) or ())
        first = list(keys)
        random.Random(self.item.id).shuffle(first)
        seen = [first]
        for r in range(1, self.round + 1):
            seen.append(_another_order(keys, right, seen, f"{self.item.id}:{r}"))
        return seen[self.round]

    def focus_input(self) -> None:
        for w in self.query("Input, OptionList, SelectionList, ListView"):
            w.focus()
            return

    def set_language(self, lang: str) -> None:
        """Re-label everything in `lang`, in place: what the learner picked, typed or ordered stays."""
        self.lang = lang
        self.query_one(".hint", Static).update(self.hint_text())
        self.relabel()

    def hint_text(self) -> str:
        return tr(f"quiz.hint.{self.item.kind}", self.lang)

    def relabel(self) -> None:  # subclasses re-label their options
        pass


class ChoiceList(ClickToHighlight, OptionList):
    def action_select(self) -> None:
        if not self._clicking:
            super().action_select()


class ChoiceInput(AnswerInput):
    KEYS = "abcdef"
    # As in Anki's multiple-choice add-ons: the letter on screen, or its number, answers at once.
    BINDINGS = [Binding(f"{k},{i + 1}", f"pick({i})", show=False, id=f"choice.pick_{k}") for i, k in enumerate(KEYS)]

    def hint_text(self) -> str:
        # The keys that answer this item: "a–f or 1–6" on a four-option item named keys that do nothing.
        n = min(len(self.item.choices), len(self.KEYS))
        return tr("quiz.hint.choice", self.lang, last=self.KEYS[n - 1], n=n)

    def compose(self) -> ComposeResult:
        keys = self.shuffled(list(self.item.choices))
        yield ChoiceList(
            *[
                Option(labelled(label(i), render_math(pick(self.item.choices[k], self.lang))), id=k)
                for i, k in enumerate(keys)
            ],
            id="answer-choices",
        )
        yield Static(self.hint_text(), classes="hint")

    def relabel(self) -> None:
        options = self.query_one(ChoiceList)
        for i in range(options.option_count):
            key = options.get_option_at_index(i).id
            options.replace_option_prompt_at_index(
                i, labelled(label(i), render_math(pick(self.item.choices[key], self.lang)))
            )

    def action_pick(self, index: int) -> None:
        options = self.query_one(ChoiceList)
        if index < options.option_count:
            options.highlighted = index
            self.post_message(self.Submitted(options.get_option_at_index(index).id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Submitted(event.option.id))


class MultiInput(AnswerInput):
    KEYS = ChoiceInput.KEYS
    # As on a choice item, the letter on screen (or its number) is the option's key: here it ticks it (letters did
    # nothing, and a learner who pressed one and then s checked an empty answer).
    BINDINGS = [
        Binding("s", "submit", "Check", id="multi.check"),
        *(Binding(f"{k},{i + 1}", f"tick({i})", show=False, id=f"multi.tick_{k}") for i, k in enumerate(KEYS)),
    ]

    def compose(self) -> ComposeResult:
        keys = self.shuffled(list(self.item.choices))
        yield LetteredSelectionList(
            *[(code_markup(render_math(pick(self.item.choices[k], self.lang))), k) for k in keys],
            id="answer-multi",
        )
        yield Static(self.hint_text(), classes="hint")

    def relabel(self) -> None:
        options = self.query_one(SelectionList)
        for i in range(options.option_count):
            key = options.get_option_at_index(i).value
            options.replace_option_prompt_at_index(i, code_markup(render_math(pick(self.item.choices[key], self.lang))))

    def action_tick(self, index: int) -> None:
        options = self.query_one(SelectionList)
        if index < options.option_count:
            options.highlighted = index
            options.toggle(options.get_option_at_index(index).value)

    def action_submit(self) -> None:
        picked = list(self.query_one(SelectionList).selected)
        if not picked:  # at least one statement is always true: nothing ticked is a slip, not an answer
            self.query_one(".hint", Static).update(tr("quiz.hint.multi_none", self.lang))
            return
        self.post_message(self.Submitted(picked))


class OrderInput(AnswerInput):
    BINDINGS = [
        Binding("shift+up,K", "move(-1)", "Move up", id="order.move_up"),
        Binding("shift+down,J", "move(1)", "Move down", id="order.move_down"),
        Binding("s", "submit", "Check", id="order.check"),
    ]

    def compose(self) -> ComposeResult:
        self.order = list(range(len(self.item.steps)))
        while len(self.order) > 1 and self.order == sorted(self.order):
            self.rng.shuffle(self.order)
        yield ListView(id="answer-order")
        yield Static(self.hint_text(), classes="hint")

    def relabel(self) -> None:
        for pos, step in enumerate(self.query(".order-step").results(Static)):
            step.update(self._step_text(pos))

    def on_mount(self) -> None:
        view = self.query_one(ListView)
        view.extend(ListItem(Static(self._step_text(pos), classes="order-step")) for pos in range(len(self.order)))
        view.index = 0

    def _step_text(self, pos: int) -> Table:
        return labelled(f"{pos + 1}.", render_math(pick(self.item.steps[self.order[pos]], self.lang)))

    def action_move(self, delta: int) -> None:
        view = self.query_one(ListView)
        i = view.index or 0
        j = i + delta
        if 0 <= j < len(self.order):
            self.order[i], self.order[j] = self.order[j], self.order[i]
            # Relabel the rows in place: rebuilding the list would drop the highlight until it is remounted.
            steps = list(view.query(".order-step").results(Static))
            for pos in (i, j):
                steps[pos].update(self._step_text(pos))
            view.index = j

    def action_submit(self) -> None:
        self.post_message(self.Submitted(list(self.order)))


class TextLikeInput(AnswerInput):
    """numeric, text and expr: typed answers; expr shows a live parse as you type."""

    def compose(self) -> ComposeResult:
        placeholder = tr(f"quiz.placeholder.{self.item.kind}", self.lang)
        yield Input(placeholder=placeholder, id="answer-text")
        yield Static(self.hint_text(), classes="hint")
        yield Static(id="answer-preview", classes="preview")

    def hint_text(self) -> str:
        hint = tr(f"quiz.hint.{self.item.kind}", self.lang)
        if self.item.kind == "expr":
            from studyml.quiz.expr import symbols_said

            # Each symbol's range and sign: an answer right only for positive z was marked wrong at z=-3.12, and the
            # hint had said "Symbols: z" alone.
            negative = tr("quiz.symbol_signed", self.lang, name="{name}")
            said = symbols_said(self.item.symbols, self.item.signed, self.item.ranges, negative=negative)
            hint += "  " + tr("quiz.symbols", self.lang, symbols=literal(said) or "–")
        if self.item.kind == "numeric" and self.item.unit:
            hint += "  " + tr("quiz.unit", self.lang, unit=literal(pick(self.item.unit, self.lang)))
        return hint

    def relabel(self) -> None:
        self.query_one(Input).placeholder = tr(f"quiz.placeholder.{self.item.kind}", self.lang)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.item.kind != "expr":
            self.query_one("#answer-preview", Static).update("")  # a refusal is about the old text
            return
        from studyml.quiz.mathparse import MathError, parse, to_text

        preview = self.query_one("#answer-preview", Static)
        if not event.value.strip():
            preview.update("")
            return
        try:
            preview.update("= " + literal(to_text(parse(event.value, self.item.symbols))))
            preview.remove_class("bad")
        except MathError as e:  # it may quote what was typed: literal
            preview.update(
                literal(tr("math.at", self.lang, col=e.col, message=math_text(e.code, e.values, e.message, self.lang)))
            )
            preview.add_class("bad")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        # Full-width digits and symbols (an IME's ２.６６７) read as the plain ones.
        value = unicodedata.normalize("NFKC", event.value).strip()
        if not value:
            return
        problem = unreadable(self.item, value, self.lang)
        preview = self.query_one("#answer-preview", Static)
        if problem:  # refused, not graded: the item stays open and says why
            preview.update(literal(problem))
            preview.add_class("bad")
            return
        self.post_message(self.Submitted(value))


def _another_order(keys: list, right: set, seen: list[list], seed: str, tries: int = 50) -> list:
    """An order of `keys` whose right answers sit where none of the `seen` orders put them; failing that (two
    options, or every place tried), one that at least differs from the last order seen."""

    def places(order: list) -> frozenset:
        return frozenset(i for i, k in enumerate(order) if k in right)

    taken = {places(order) for order in seen}
    rng = random.Random(seed)
    fallback = None
    for _ in range(tries):
        order = list(keys)
        rng.shuffle(order)
        if places(order) not in taken:
            return order
        if fallback is None and order != seen[-1]:
            fallback = order
    if fallback is not None:
        return fallback
    last = seen[-1]
    return last[1:] + last[:1] if len(last) > 1 else list(last)


# One comma then exactly three digits: a thousands separator (2667) or a decimal comma (2.667)?
AMBIGUOUS_COMMA = re.compile(r"[+-]?\d{1,3},\d{3}")


def _short(value: str, width: int = 40) -> str:
    """An answer as echoed back: a pasted page is not repeated in full."""
    return value if len(value) <= width else value[: width - 1] + "…"


def unreadable(item, value: str, lang: str) -> str | None:
    """Why a typed answer cannot be graded (None when it can): it is refused, never marked wrong."""
    if item.kind == "numeric":
        if AMBIGUOUS_COMMA.fullmatch(value):
            whole, frac = value.split(",")
            return tr("quiz.ambiguous_comma", lang, value=value, thousands=whole + frac, decimal=f"{whole}.{frac}")
        from studyml.quiz.grading import read_number

        units = tuple(item.unit.values()) if item.unit else ()
        try:
            read_number(value, percent_is_unit=any(u.strip() == "%" for u in units), units=units)
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return tr("quiz.unreadable_number", lang, value=_short(value))
        return None
    if item.kind == "expr":
        from studyml.quiz.mathparse import MathError, parse

        try:
            parse(value, item.symbols)
        except MathError as e:
            return tr(
                "quiz.unreadable_formula", lang, message=_short(math_text(e.code, e.values, e.message, lang), 120)
            )
    return None


def answer_input_for(item, lang: str, round: int = 0) -> AnswerInput:
    cls = {"choice": ChoiceInput, "multi": MultiInput, "order": OrderInput}.get(item.kind, TextLikeInput)
    return cls(item, lang, round, id="answer")


def expected_text(item, lang: str) -> str:
    """The right answer, written for the learner."""
    kind = item.kind
    if kind == "choice":
        return render_math(pick(item.choices[item.answer], lang))
    if kind == "multi":
        return "; ".join(render_math(pick(item.choices[k], lang)) for k in item.answers)
    if kind == "order":
        # Numbered: an explanation's "step 3" is the third of the right order, not of the learner's shuffled list.
        return " → ".join(f"{i}. {render_math(pick(s, lang))}" for i, s in enumerate(item.steps, 1))
    if kind == "numeric":
        tol = item.tolerance
        allowed = tol.abs if tol.abs else (percent(tol.rel) if tol.rel else None)
        unit = f" {pick(item.unit, lang)}" if item.unit else ""
        return f"{item.answer:g}{unit}" + (f" (± {allowed})" if allowed else "")
    if kind == "text":
        answers = item.answers.get(lang) or next(iter(item.answers.values()))
        return answers[0]
    from studyml.quiz.mathparse import parse, to_text

    return to_text(parse(item.answer, item.symbols))
