"""A demo's parameter form, built from its pydantic schema: defaults, bounds and descriptions."""

from __future__ import annotations

import json
from typing import Any

from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label, Select, Static, Switch

from studyml.content.mathtext import render_math
from studyml.tui.app import StudyApp
from studyml.tui.i18n import tr
from studyml.tui.markup import literal


def pretty_bounds(bounds: str, lang: str = "en") -> str:
    """The worker's bounds ("int 1 <= n <= 50", "one of sgd, adam") with ≤ and ≥, its type word in `lang` (the
    Korean screen said `허용 범위: int 1 ≤ features ≤ 50`)."""
    import re

    bounds = bounds.replace("<=", "≤").replace(">=", "≥")
    if bounds.startswith("one of "):
        return tr("demo.bounds.one_of", lang, values=bounds.removeprefix("one of "))
    kind = re.match(r"(int|float|bool|str|any)\b", bounds)
    return tr(f"demo.bounds.{kind.group(1)}", lang) + bounds[kind.end() :] if kind else bounds


class ParamValidator(Validator):
    """Checks one field against the plugin's pydantic model, naming the allowed range."""

    def __init__(self, form: ParamForm, desc: dict) -> None:
        super().__init__()
        self.form, self.desc = form, desc

    def validate(self, value: str) -> ValidationResult:
        problem = self.form.field_problem(self.desc, value)
        return self.failure(problem) if problem else self.success()


class ParamForm(Vertical):
    """One control per parameter: Switch for bool, Select for choices, a validated Input otherwise."""

    app = getters.app(StudyApp)  # typed: self.app.lang and .services

    class Changed(Message):
        """A field changed (its error, if any, is already shown under it)."""

    def __init__(self, plugin, fields: list[dict], initial: dict, load_error: str = "", **kw) -> None:
        super().__init__(**kw)
        self.plugin, self.fields, self.initial, self.load_error = plugin, fields, initial, load_error
        self._notes: dict[str, tuple[str, str]] = {}  # name -> (why the card's value was replaced, text shown)

    def t(self, key: str, **kw) -> str:
        return tr(key, self.app.lang, **kw)

    def _initial(self, d: dict) -> tuple[object, str]:
        """The starting value (a card's, else the default) and why a card's value was not usable.

        A pack is written by anyone: a value its card passes that the field cannot take falls back to the
        default instead of crashing the form (e.g. Select refuses a value that is not among its choices).
        """
        name, kind, default = d["name"], d["type"], d["default"]
        if name not in self.initial:
            return default, ""
        value = self.initial[name]
        if kind == "bool":
            problem = None if isinstance(value, bool) else self.t("demo.not_bool")
        elif kind == "choice":
            choices = d["choices"] or []
            problem = None if value in choices else self._allowed(d)
        else:
            problem = self.field_problem(d, "" if value is None else str(value))
        if problem is None:
            return value, ""
        return default, self.t("demo.bad_initial", value=repr(value), problem=problem, default=repr(default))

    def compose(self) -> ComposeResult:
        for d in self.fields:
            name, kind = d["name"], d["type"]
            value, note = self._initial(d)
            if note:
                self._notes[name] = (note, "" if value is None else str(value))
            wid = f"param-{name}"
            control: Switch | Select[Any] | Input
            if kind == "bool":
                control = Switch(value=bool(value), id=wid)
            elif kind == "choice":
                choices = d["choices"] or []
                control = Select(
                    [(str(c), c) for c in choices],
                    value=value if value in choices else Select.BLANK,
                    allow_blank=False,
                    id=wid,
                )
            else:
                control = Input(
                    "" if value is None else str(value),
                    id=wid,
                    validators=[ParamValidator(self, d)],
                    valid_empty=False,
                    classes="param-input",
                )
            with Vertical(classes="param"):
                yield Label(f"[b]{name}[/b]", classes="param-name")
                yield control
                yield Static(self.help_text(d), classes="param-help hint", id=f"help-{name}")
                yield Static(
                    _error_line(note),
                    id=f"error-{name}",
                    classes="param-error" + ("" if note else " hidden"),
                )
        if not self.fields:
            yield Static(self.t("demo.no_params") if not self.load_error else "", classes="hint no-params")

    def _allowed(self, d: dict) -> str:
        return self.t("demo.allowed", bounds=pretty_bounds(d["bounds"], self.app.lang))

    def help_text(self, d: dict) -> str:
        """A field's description and its allowed range, in the app's language."""
        bounds = self._allowed(d) if d["type"] in ("int", "float") else ""
        text = d.get("descriptions", {}).get(self.app.lang) or d["description"] or ""
        return literal(render_math(text)) + (f"\n[dim]{bounds}[/dim]" if bounds else "")

    def set_language(self) -> None:
        for d in self.fields:
            self.query_one(f"#help-{d['name']}", Static).update(self.help_text(d))
            control = self.query_one(f"#param-{d['name']}")
            if isinstance(control, Input):  # its error, if any, in the new language too
                control.validate(control.value)
                self._show_error(d["name"], control)
        for hint in self.query(".no-params").results(Static):
            hint.update(self.t("demo.no_params") if not self.load_error else "")

    def _show_error(self, name: str, control: Input) -> None:
        err = self.query_one(f"#error-{name}", Static)
        problem = self.field_problem(next(d for d in self.fields if d["name"] == name), control.value)
        err.update(_error_line(problem))
        err.set_class(not problem, "hidden")

    def field_problem(self, desc: dict, raw: str) -> str | None:
        """Why `raw` is not a valid value for this field (None when it is)."""
        from studyml.demos.params import ParamError, validate_params

        value = self.convert(desc, raw)
        if value is None:
            return self.t("demo.not_number", bounds=pretty_bounds(desc["bounds"], self.app.lang))
        try:
            validate_params(self.plugin, {desc["name"]: value})
        except ParamError as e:
            # Only this field's complaint: the others keep their defaults in this check.
            mine = [ln for ln in str(e).splitlines() if ln.strip().startswith(desc["name"] + ":")]
            if mine:
                return self._allowed(desc)
        return None

    @staticmethod
    def convert(desc: dict, raw: str) -> Any:
        raw = raw.strip()
        try:
            if desc["type"] == "int":
                f = float(raw)
                return int(f) if f.is_integer() else f
            if desc["type"] == "float":
                return float(raw)
        except ValueError:
            return None
        if desc["type"].startswith("list"):
            try:
                return json.loads(raw)
            except ValueError:
                return None
        return raw

    def values(self) -> tuple[dict, list[str]]:
        """(values by name, names of fields whose text is not valid)."""
        values, bad = {}, []
        for d in self.fields:
            control = self.query_one(f"#param-{d['name']}", Switch | Select | Input)  # type: ignore[arg-type]
            if isinstance(control, (Switch, Select)):
                values[d["name"]] = control.value
            else:
                if self.field_problem(d, control.value):
                    bad.append(d["name"])
                values[d["name"]] = self.convert(d, control.value)
        return values, bad

    def raw(self) -> dict[str, Any]:
        """Each control's value as shown (an Input's text, even if it is not valid yet)."""
        return {
            d["name"]: self.query_one(f"#param-{d['name']}", Switch | Select | Input).value  # type: ignore[arg-type]
            for d in self.fields
        }

    @on(Input.Changed, ".param-input")
    def _changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("param-")
        err = self.query_one(f"#error-{name}", Static)
        problem = (
            None
            if event.validation_result is None or event.validation_result.is_valid
            else event.validation_result.failure_descriptions[0]
        )
        if not problem and name in self._notes and event.value == self._notes[name][1]:
            problem = self._notes[name][0]  # still the fallback default: keep saying why
        err.update(_error_line(problem))
        err.set_class(not problem, "hidden")
        self.post_message(self.Changed())


def _error_line(problem: str | None) -> str:
    """A field's problem under it, as written (it may quote what the learner typed); empty when there is none."""
    return f"✗ {literal(problem)}" if problem else ""
