"""One input widget per quiz kind; each reports the learner's response in the grader's form."""

from __future__ import annotations

import random

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, ListItem, ListView, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from studyml.content.mathtext import render_math
from studyml.tui.i18n import pick, tr


class AnswerInput(Vertical):
    """Base: subclasses post `Submitted(response)` when the learner commits an answer."""

    class Submitted(Message):
        def __init__(self, response) -> None:
            super().__init__()
            self.response = response

    def __init__(self, item, lang: str, **kw) -> None:
        super().__init__(**kw)
        self.item, self.lang = item, lang
        # Shuffle per item, not per run: the same item shows the same order (stable snapshots, fair retries).
        self.rng = random.Random(item.id)

    def focus_input(self) -> None:
        for w in self.query("Input, OptionList, SelectionList, ListView"):
            w.focus()
            return


class ChoiceInput(AnswerInput):
    def compose(self) -> ComposeResult:
        keys = list(self.item.choices)
        self.rng.shuffle(keys)
        yield OptionList(*[Option(f"{chr(97 + i)}) " + render_math(pick(self.item.choices[k], self.lang)), id=k) for i, k in enumerate(keys)], id="answer-choices")
        yield Static(tr("quiz.hint.choice", self.lang), classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Submitted(event.option.id))


class MultiInput(AnswerInput):
    BINDINGS = [Binding("s", "submit", "Check", id="check")]

    def compose(self) -> ComposeResult:
        keys = list(self.item.choices)
        self.rng.shuffle(keys)
        yield SelectionList[str](*[(f"{chr(97 + i)}) " + render_math(pick(self.item.choices[k], self.lang)), k) for i, k in enumerate(keys)], id="answer-multi")
        yield Static(tr("quiz.hint.multi", self.lang), classes="hint")

    def action_submit(self) -> None:
        self.post_message(self.Submitted(list(self.query_one(SelectionList).selected)))


class OrderInput(AnswerInput):
    BINDINGS = [
        Binding("shift+up,K", "move(-1)", "Move up", id="move_up"),
        Binding("shift+down,J", "move(1)", "Move down", id="move_down"),
        Binding("s", "submit", "Check", id="check"),
    ]

    def compose(self) -> ComposeResult:
        self.order = list(range(len(self.item.steps)))
        while len(self.order) > 1 and self.order == sorted(self.order):
            self.rng.shuffle(self.order)
        yield ListView(id="answer-order")
        yield Static(tr("quiz.hint.order", self.lang), classes="hint")

    def on_mount(self) -> None:
        self._show_steps(0)

    def _show_steps(self, index: int) -> None:
        view = self.query_one(ListView)
        view.clear()
        for pos, step in enumerate(self.order):
            view.append(ListItem(Static(f"{pos + 1}. " + render_math(pick(self.item.steps[step], self.lang)))))
        view.index = index

    def action_move(self, delta: int) -> None:
        view = self.query_one(ListView)
        i = view.index or 0
        j = i + delta
        if 0 <= j < len(self.order):
            self.order[i], self.order[j] = self.order[j], self.order[i]
            self._show_steps(j)

    def action_submit(self) -> None:
        self.post_message(self.Submitted(list(self.order)))


class TextLikeInput(AnswerInput):
    """numeric, text and expr: typed answers; expr shows a live parse as you type."""

    def compose(self) -> ComposeResult:
        placeholder = tr(f"quiz.placeholder.{self.item.kind}", self.lang)
        yield Input(placeholder=placeholder, id="answer-text")
        hint = tr(f"quiz.hint.{self.item.kind}", self.lang)
        if self.item.kind == "expr":
            hint += "  " + tr("quiz.symbols", self.lang, symbols=", ".join(self.item.symbols) or "–")
        if self.item.kind == "numeric" and self.item.unit:
            hint += "  " + tr("quiz.unit", self.lang, unit=pick(self.item.unit, self.lang))
        yield Static(hint, classes="hint")
        yield Static(id="answer-preview", classes="preview")

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.item.kind != "expr":
            return
        from studyml.quiz.mathparse import MathError, parse, to_text

        preview = self.query_one("#answer-preview", Static)
        if not event.value.strip():
            preview.update("")
            return
        try:
            preview.update("= " + to_text(parse(event.value, self.item.symbols)))
            preview.remove_class("bad")
        except MathError as e:
            preview.update(str(e))
            preview.add_class("bad")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Submitted(event.value))


def answer_input_for(item, lang: str) -> AnswerInput:
    cls = {"choice": ChoiceInput, "multi": MultiInput, "order": OrderInput}.get(item.kind, TextLikeInput)
    return cls(item, lang, id="answer")


def expected_text(item, lang: str) -> str:
    """The right answer, written for the learner."""
    kind = item.kind
    if kind == "choice":
        return render_math(pick(item.choices[item.answer], lang))
    if kind == "multi":
        return "; ".join(render_math(pick(item.choices[k], lang)) for k in item.answers)
    if kind == "order":
        return " → ".join(render_math(pick(s, lang)) for s in item.steps)
    if kind == "numeric":
        tol = item.tolerance
        allowed = tol.abs if tol.abs else (f"{tol.rel:.0%}" if tol.rel else None)
        unit = f" {pick(item.unit, lang)}" if item.unit else ""
        return f"{item.answer:g}{unit}" + (f" (± {allowed})" if allowed else "")
    if kind == "text":
        answers = item.answers.get(lang) or next(iter(item.answers.values()))
        return answers[0]
    from studyml.quiz.mathparse import parse, to_text

    return to_text(parse(item.answer, item.symbols))
