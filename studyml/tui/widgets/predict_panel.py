"""Predict, then run: the learner's prediction of a demo-checked quiz item, locked before the run, judged after."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Markdown, RadioButton, RadioSet, Static

from studyml.content.mathtext import render_math
from studyml.demos.render import fmt
from studyml.quiz.tolerance import Tolerance
from studyml.tui.app import StudyApp
from studyml.tui.i18n import pick, tr

STATES = ("predict", "locked", "running", "verdict")


@dataclass(frozen=True)
class Verdict:
    """How a prediction compares with a run: `ok`, and the observed value (a number, or whether the claim held)."""

    ok: bool
    observed: float | bool | None
    allowed: float | None = None  # the tolerance around the observed number


def judge(item, prediction: float | bool, result) -> Verdict:
    """The verdict on `prediction` for `item.verify` against a finished run (its metrics and claims)."""
    v = item.verify
    if v.metric is not None:
        obs = result.metrics.get(v.metric)
        if obs is None:
            return Verdict(False, None)
        tolerance = Tolerance.of(getattr(item, "tolerance", None))
        return Verdict(tolerance.allows(float(prediction), obs), obs, float(tolerance.allowed(obs)))
    claim = next((c for c in result.claims if c["id"] == v.claim), None)
    if claim is None:
        return Verdict(False, None)
    return Verdict(bool(claim["passed"]) == bool(prediction), bool(claim["passed"]))


class PredictPanel(Vertical):
    """States: predict (asks), locked (prediction made, run not started), running, verdict (after the run).

    The prediction is fixed once locked: the run is judged against what was predicted before it.
    """

    app = getters.app(StudyApp)  # typed: self.app.lang and .services

    state: reactive[str] = reactive("predict")

    class Locked(Message):
        """The learner made their prediction; the demo may run."""

        def __init__(self, prediction: float | bool) -> None:
            super().__init__()
            self.prediction = prediction

    def __init__(
        self,
        item,
        prediction: float | bool | None,
        claim_text: Callable[[str], str],
        metric_label: Callable[[str], str],
        **kw,
    ) -> None:
        super().__init__(**kw)
        self.item, self.prediction = item, prediction
        self.claim_text, self.metric_label = claim_text, metric_label
        self.verdict: Verdict | None = None
        self.set_reactive(PredictPanel.state, "predict" if prediction is None else "locked")

    @property
    def numeric(self) -> bool:
        return self.item.verify.metric is not None

    def t(self, key: str, **kw: Any) -> str:
        return tr(key, self.app.lang, **kw)

    def compose(self) -> ComposeResult:
        yield Static(id="predict-heading", classes="heading")
        yield Markdown(id="predict-prompt")
        yield Static(id="predict-ask")
        yield Input(id="predict-number", classes="hidden")
        with RadioSet(id="predict-claim", classes="hidden"):
            yield RadioButton(id="predict-yes")
            yield RadioButton(id="predict-no")
        yield Static(id="predict-status", classes="hint")
        yield Static(id="predict-verdict", classes="hidden")

    def on_mount(self) -> None:
        self.render_texts()

    def focus_input(self) -> None:
        if self.state == "predict":
            self.query_one("#predict-number" if self.numeric else "#predict-claim").focus()

    # -- transitions --------------------------------------------------------------------------------
    def lock_in(self, prediction: float | bool) -> None:
        self.prediction = prediction
        self.state = "locked"
        self.post_message(self.Locked(prediction))

    def run_started(self) -> None:
        if self.prediction is not None:
            self.state = "running"

    def run_stopped(self) -> None:
        """The run ended without a result (cancelled or failed): the prediction stays locked for the next run."""
        if self.state == "running":
            self.state = "locked"

    def run_finished(self, result) -> Verdict | None:
        """Judge the prediction against a successful run; the panel shows the verdict."""
        if self.prediction is None:
            return None
        self.verdict = judge(self.item, self.prediction, result)
        self.state = "verdict"
        return self.verdict

    def watch_state(self) -> None:
        self.render_texts()

    # -- input ----------------------------------------------------------------------------------------
    @on(Input.Submitted, "#predict-number")
    def _number(self, event: Input.Submitted) -> None:
        event.stop()
        from studyml.quiz.grading import read_number

        try:
            value = float(read_number(event.value))
        except (ValueError, ZeroDivisionError):
            self.app.notify(self.t("demo.predict.bad_number"), severity="warning")
            return
        self.lock_in(value)

    @on(RadioSet.Changed, "#predict-claim")
    def _claim(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.lock_in(event.pressed.id == "predict-yes")

    # -- rendering --------------------------------------------------------------------------------------
    def prediction_text(self) -> str:
        if isinstance(self.prediction, bool):
            return self.t("demo.predict.yes" if self.prediction else "demo.predict.no")
        return fmt(self.prediction)

    def render_texts(self) -> None:
        item, state = self.item, self.state
        self.query_one("#predict-heading", Static).update(self.t(f"demo.predict.state.{state}"))
        self.query_one("#predict-prompt", Markdown).update(render_math(pick(item.prompt, self.app.lang)))
        asking = state == "predict"
        if self.numeric:
            ask = self.t("demo.predict.number", metric=self.metric_label(item.verify.metric)) if asking else ""
        else:
            ask = f"[i]{self.claim_text(item.verify.claim)}[/i]" + (
                f"\n{self.t('demo.predict.claim')}" if asking else ""
            )
        box = self.query_one("#predict-ask", Static)
        box.update(ask)
        box.display = bool(ask)
        self.query_one("#predict-number").set_class(not (asking and self.numeric), "hidden")
        self.query_one("#predict-claim").set_class(not (asking and not self.numeric), "hidden")
        self.query_one("#predict-yes", RadioButton).label = self.t("demo.predict.yes")
        self.query_one("#predict-no", RadioButton).label = self.t("demo.predict.no")
        status = {
            "predict": self.t("demo.predict.needed"),
            "locked": self.t("demo.predict.locked", value=self.prediction_text()),
            "running": self.t("demo.predict.running", value=self.prediction_text()),
            "verdict": self.t("demo.predict.final", value=self.prediction_text()),
        }[state]
        self.query_one("#predict-status", Static).update(status)
        self._render_verdict()

    def _render_verdict(self) -> None:
        box = self.query_one("#predict-verdict", Static)
        v = self.verdict
        if self.state != "verdict" or v is None:
            box.add_class("hidden")
            return
        spec = self.item.verify
        if v.observed is None:
            text = self.t("demo.predict.missing", what=self.metric_label(spec.metric) if spec.metric else spec.claim)
        elif self.numeric:
            key = "demo.predict.numeric_right" if v.ok else "demo.predict.numeric_wrong"
            text = self.t(
                key,
                pred=self.prediction_text(),
                metric=self.metric_label(spec.metric),
                obs=fmt(v.observed),
                tol=fmt(v.allowed),
            )
        else:
            verdict = self.t("demo.predict.holds" if v.observed else "demo.predict.fails")
            text = self.t(
                "demo.predict.claim_right" if v.ok else "demo.predict.claim_wrong",
                pred=self.prediction_text(),
                verdict=verdict,
            )
        box.update(text)
        box.set_class(v.ok, "right")
        box.set_class(not v.ok, "wrong")
        box.remove_class("hidden")
