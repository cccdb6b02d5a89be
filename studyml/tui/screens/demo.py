"""One demo: its parameter form, predict-then-run, the run with progress and live plots, claims and metrics.

The screen wires widgets together and owns the run; the run's thread only posts messages (demo_stream).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Static
from textual.worker import Worker, get_current_worker

if TYPE_CHECKING:
    from array import array

    from studyml.demos.runner import RunResult

from studyml.content.mathtext import render_math
from studyml.demos.crash import crash_lines, exception_frames
from studyml.demos.runner import DEFAULT_TIMEOUT
from studyml.lang import seconds
from studyml.tui.demo_stream import Coalescer, RunFinished, RunProgress
from studyml.tui.i18n import pick
from studyml.tui.localized import LocalizedMixin, localize_bindings
from studyml.tui.markup import code_markup, literal
from studyml.tui.widgets import run_status
from studyml.tui.widgets.demo_claims import DemoClaims
from studyml.tui.widgets.demo_results import DemoResults, metric_label
from studyml.tui.widgets.footer import Footer
from studyml.tui.widgets.param_form import ParamForm
from studyml.tui.widgets.predict_panel import PredictPanel
from studyml.tui.widgets.run_status import RunStatus
from studyml.tui.widgets.series_plot import SeriesPlot

PLOT_INTERVAL = 0.1  # at most ~10 plot redraws a second while points stream in
SLOW_SECONDS = 30  # an estimate above this is a warning: the learner may prefer smaller parameters


class DemoScreen(LocalizedMixin, Screen):
    BINDINGS = [
        Binding("escape", "cancel_or_back", "Cancel/Back", id="demo.cancel_back"),
        Binding("r", "run", "Run", id="demo.run"),
        # A focused field types r and ?: these keys run and show help from a field (shown only there).
        Binding("ctrl+r", "run('field')", "Run", id="demo.run_field"),
        Binding("f1", "help_from_field", "Keys", id="demo.help_field"),
        Binding("p", "next_plot", "Next plot", id="demo.next_plot"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # at 80 columns the sidebar gives the plot room
    TIMEOUT: float | None = None  # the runner's default; tests shorten it to exercise timeouts

    running: reactive[bool] = reactive(False, bindings=True)
    blocked: reactive[bool] = reactive(True, bindings=True)  # run not possible (prediction or fields missing)
    result = var(None)  # the last successful RunResult
    finished_runs = var(0)

    def __init__(
        self,
        plugin_id: str,
        params: dict | None = None,
        predict_item=None,
        seed: int = 0,
        prediction: float | bool | None = None,
    ) -> None:
        super().__init__()
        self.plugin_id = plugin_id
        self.initial = dict(params or {})
        if predict_item is not None and getattr(predict_item, "verify", None) is None:
            predict_item = None
        self.predict_item = predict_item
        self.initial_prediction = prediction  # a prediction made already (the quiz answer) is locked in
        self.seed = seed
        self.plugin: Any = None  # the plugin's metadata proxy (PluginMeta); plugin code never runs here
        self.meta: dict = {}
        self.fields: list[dict] = []
        self.load_error = ""
        self.cross_errors: list[str] = []  # the plugin's checks across fields, from the worker
        self._worker: Worker | None = None
        self._last_plot = 0.0
        self._plot_dirty = False
        self._memory: dict | None = None

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._load()
        yield Header()
        with Horizontal(id="demo"):
            with VerticalScroll(id="demo-side"):
                yield Static(id="demo-title", classes="heading")
                yield Static(id="demo-summary")
                yield Static(id="demo-meta", classes="hint")
                if self.predict_item is not None:
                    yield PredictPanel(
                        self.predict_item, self.initial_prediction, self._claim_text, self._metric_label, id="predict"
                    )
                yield Static(id="demo-params-heading", classes="heading")
                start = {**self.initial, **self._memory["fields"]} if self._memory else self.initial
                yield ParamForm(self.plugin, self.fields, start, self.load_error, id="demo-form")
                yield Static(id="demo-checks", classes="hidden")
                yield Static(id="demo-estimate", classes="hint")
                yield Button(id="demo-run", variant="primary")
            with VerticalScroll(id="demo-main"):
                yield RunStatus(id="demo-progress-row")
                yield Static(id="demo-error", classes="hidden")
                yield SeriesPlot(self.meta.get("plots"), id="demo-plot")
                yield Static(id="demo-plot-caption", classes="hint")
                yield Static(id="demo-claims-heading", classes="heading")
                yield DemoClaims(self.meta.get("claims", []), id="demo-claims")
                yield DemoResults(self.meta.get("metrics", []), id="demo-results")
        yield Footer()

    def _load(self) -> None:
        services = self.app.services
        self.meta = services.plugins().get(self.plugin_id) or {}
        # Coming back to a demo (opened the same way, no prediction asked) shows its last edits and result.
        memory = services.demo_memory.get(self.plugin_id)
        if memory is not None and self.predict_item is None and memory["opened_with"] == self.initial:
            self._memory = memory
        try:
            from studyml.demos.params import describe_params

            self.plugin = services.runner.plugin(self.plugin_id).plugin
            self.fields = describe_params(self.plugin)
            if not self.meta:
                self.meta = self.plugin.metadata()
        except Exception as e:  # unknown or broken plugin: say so, keep the app running
            self.load_error = str(e) or self.t("demo.unknown", id=self.plugin_id)

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self._render_texts()
        self.query_one(DemoClaims).pending()
        self.query_one(DemoResults).clear()
        self._render_plot()
        self.status.say("demo.ready" if not self.load_error else "")
        if self.load_error:
            self._show_error(self.load_error)
        self._refresh_blocked()
        self._check_fields()
        self._restore_memory()
        if self.predict is not None and self.predict.state == "predict":
            self.predict.focus_input()
        else:
            self.query_one("#demo-run").focus(scroll_visible=False)
        # Open at the top: the title and summary first, even when the focused control is further down.
        self.call_after_refresh(self.query_one("#demo-side").scroll_home, animate=False)

    # -- parts --------------------------------------------------------------------------------------
    @property
    def predict(self) -> PredictPanel | None:
        found = self.query(PredictPanel)
        return found.first() if found else None

    @property
    def status(self) -> RunStatus:
        return self.query_one(RunStatus)

    @property
    def plot(self) -> SeriesPlot:
        return self.query_one("#demo-plot", SeriesPlot)

    @property
    def series(self) -> dict[str, tuple[array, array]]:
        return self.plot.series

    @property
    def fraction(self) -> float:
        return self.status.fraction

    @property
    def prediction(self) -> float | bool | None:
        return self.predict.prediction if self.predict is not None else self.initial_prediction

    def _claim_text(self, claim_id: str) -> str:
        for c in self.meta.get("claims", []):
            if c["id"] == claim_id:
                return literal(render_math(pick(c["text"], self.app.lang)))
        return claim_id

    def _metric_label(self, metric_id: str) -> str:
        return literal(metric_label(self.meta.get("metrics", []), metric_id, self.app.lang)[0])  # for markup

    # -- state ---------------------------------------------------------------------------------------
    def _refresh_blocked(self) -> None:
        values, bad = self.query_one(ParamForm).values()
        self.blocked = (
            bool(self.load_error)
            or (self.predict is not None and self.predict.prediction is None)
            or bool(bad)
            or bool(self.cross_errors)
        )
        self._render_run_button()
        self._render_estimate(values, bad)

    def _render_estimate(self, values: dict, bad: list[str]) -> None:
        from studyml.demos.estimate import estimate_seconds

        box = self.query_one("#demo-estimate", Static)
        secs = (
            estimate_seconds(self.meta.get("estimate"), values, float(self.meta.get("expected_seconds", 5.0)))
            if self.meta and not bad
            else None
        )
        slow = secs is not None and secs > SLOW_SECONDS
        stop = self.TIMEOUT or DEFAULT_TIMEOUT  # the runner stops a run that takes longer: say so before it starts
        if secs is None:
            said = ""
        elif secs > stop:
            said = self.t("demo.estimate.too_long", secs=seconds(secs), stop=seconds(stop), id=self.plugin_id)
        else:
            said = self.t("demo.estimate.slow" if slow else "demo.estimate", secs=seconds(secs), limit=SLOW_SECONDS)
        box.update(said)
        box.set_class(slow, "slow")

    def _check_fields(self) -> None:
        """Checks across fields (the plugin's model validator) run in the worker: ask it, off the UI thread."""
        values, bad = self.query_one(ParamForm).values()
        if bad or self.load_error or not hasattr(self.app.services.runner, "validate_params"):
            self._show_cross_errors([])
            return
        self._validate(values)

    @work(thread=True, exclusive=True, group="demo-validate", exit_on_error=False)
    def _validate(self, values: dict) -> None:
        try:
            errors = list(self.app.services.runner.validate_params(self.plugin_id, values))
        except Exception:  # the check is a courtesy: the run still validates and reports
            errors = []
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_cross_errors, errors)

    def _show_cross_errors(self, errors: list[str]) -> None:
        self.cross_errors = errors
        box = self.query_one("#demo-checks", Static)
        box.update("\n".join(f"✗ {literal(e)}" for e in errors))  # the plugin's words
        box.set_class(not errors, "hidden")
        self._refresh_blocked()

    def watch_running(self) -> None:
        self._render_run_button()

    def _render_run_button(self) -> None:
        button = self.query_one("#demo-run", Button)
        if self.running:
            button.label = self.t("demo.running")
        else:
            button.label = f"▶ {self.t('demo.rerun' if self.result is not None else 'demo.run')} (r)"
        button.disabled = self.running or self.blocked

    @on(ParamForm.Changed)
    def _param_changed(self) -> None:
        self._refresh_blocked()
        self._check_fields()
        self._remember()

    def _restore_memory(self) -> None:
        result = self._memory.get("result") if self._memory else None
        if result is None:
            return
        self.result = result
        series = result.result.get("series") or {}
        if series:
            self.plot.replace(series)
        self.status.stop("demo.done_plain", fraction=1.0)
        self.query_one(DemoClaims).result(result.claims)
        self.query_one(DemoResults).show(result)
        self._render_plot()
        self._render_run_button()

    def _remember(self) -> None:
        """Keep this demo's field texts and last result for when the learner comes back to it."""
        if self.predict_item is not None or self.load_error:
            return
        try:
            fields = self.query_one(ParamForm).raw()
        except Exception:  # the form is already gone (the screen is closing)
            return
        self.app.services.demo_memory[self.plugin_id] = {
            "opened_with": dict(self.initial),
            "fields": fields,
            "result": self.result,
        }

    @on(PredictPanel.Locked)
    def _prediction_locked(self) -> None:
        self._refresh_blocked()
        self.query_one("#demo-run").focus()

    def _in_field(self) -> bool:
        return isinstance(self.focused, Input)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "run":
            if parameters == ("field",) and not self._in_field():
                return False  # r does it (and is shown) when no field has focus
            if self.running:
                return None
            # Waiting only for the prediction: r still answers, and says so (at 80×24 the yes or no can sit below
            # the fold, and a dimmed r that did nothing left the learner stuck).
            waiting = self.predict is not None and self.predict.prediction is None and not self.load_error
            return (not self.blocked or waiting) or None
        if action == "help_from_field":
            return self._in_field()
        if action == "next_plot":
            # The footer asks while the screen is being dismissed too, when its plot may be gone already.
            plots = self.query("#demo-plot").results(SeriesPlot)
            return any(len(plot.groups()) > 1 for plot in plots)
        return True

    # -- running ------------------------------------------------------------------------------------
    @on(Button.Pressed, "#demo-run")
    def _run_pressed(self) -> None:
        self.action_run()

    @on(Input.Submitted, ".param-input")
    def _field_submitted(self) -> None:
        self.action_run()  # Enter in a parameter field runs, as in any form

    def action_help_from_field(self) -> None:
        self.app.action_toggle_help()

    def action_run(self, where: str = "") -> None:
        if self.running or self.load_error:
            return
        if self.predict is not None and self.predict.prediction is None:
            self.notify(self.t("demo.predict.needed"), severity="warning")
            self.predict.focus_input()
            self.predict.scroll_visible()
            return
        values, bad = self.query_one(ParamForm).values()
        if bad:
            self.notify(self.t("demo.fix_params"), severity="warning")
            return
        self.running = True
        self.plot.clear_series()
        self.query_one("#demo-error").add_class("hidden")
        if self.predict is not None:
            self.predict.run_started()
        self.query_one(DemoClaims).pending()
        self.query_one(DemoResults).clear()
        self._render_plot()
        self.status.start()
        self._worker = self._run_worker(values)

    @work(thread=True, exclusive=True, group="demo-run", exit_on_error=False)
    def _run_worker(self, values: dict) -> None:
        worker = get_current_worker()
        sink = Coalescer(self.post_message, PLOT_INTERVAL)
        outcome: RunResult | Exception
        try:
            outcome = self.app.services.runner.run(
                self.plugin_id,
                values,
                seed=self.seed,
                timeout=self.TIMEOUT,
                lang=self.app.lang,
                on_event=sink,
                cancel_event=worker.cancelled_event,
            )
        except Exception as e:  # bad parameters or a broken plugin: shown in the screen
            outcome = e
        sink.flush()
        self.post_message(RunFinished(outcome))

    @on(RunProgress)
    def _progress(self, message: RunProgress) -> None:
        self.status.progress(message.fraction, message.message)
        if message.points:
            for name, (xs, ys) in message.points.items():
                self.plot.add_columns(name, xs, ys)
            self._plot_dirty = True
        # Redraws cost the UI thread what plotext's build costs: keep them under ~15% of its time.
        interval = max(PLOT_INTERVAL, 6 * self.plot.render_seconds)
        if self._plot_dirty and message.time - self._last_plot >= interval:
            self._last_plot = message.time
            self._plot_dirty = False
            self._render_plot()

    @on(RunFinished)
    def _finished(self, message: RunFinished) -> None:
        outcome = message.outcome
        self.finished_runs += 1
        if isinstance(outcome, Exception):
            self._show_error(str(outcome))
            self.status.stop()
            self._stopped(failed=True)
        elif outcome.error is not None:
            kind = outcome.error.get("kind", "crash")
            if kind == "cancelled":
                self.status.stop("demo.cancelled")
                self._stopped(failed=False, params=outcome.params)
            else:
                said = self.t("demo.failed", kind=kind, message=outcome.error.get("message", ""))
                tb = outcome.error.get("traceback") or ""
                last = crash_lines(tb) if kind == "crash" else []
                if last:  # what it printed and where it stopped, as `studyml demo run` shows it
                    said += "\n" + self.t("demo.crash_lines") + "\n" + "\n".join(last)
                elif kind == "exception" and (frames := exception_frames(tb)):  # the author's file and line
                    said += "\n" + self.t("demo.raised_at", id=self.plugin_id) + "\n" + "\n".join(frames)
                self._show_error(said)
                self.status.stop()
                self._record(outcome)
                self._stopped(failed=True)
        else:
            series = outcome.result.get("series") or {}
            # The final result is complete even if the stream was cut short (it is lossless otherwise).
            if series and sum(len(v) for v in series.values()) != self.plot.count():
                self.plot.replace(series)
            if run_status.SHOW_TIMING:
                self.status.stop("demo.done", fraction=1.0, secs=seconds(outcome.wall_seconds))
            else:
                self.status.stop("demo.done_plain", fraction=1.0)
            self._record(outcome)
            self.result = outcome
            self._remember()
            self.query_one(DemoClaims).result(outcome.claims)
            self.query_one(DemoResults).show(outcome)
            if self.predict is not None:
                self.predict.run_finished(outcome)
        self._plot_dirty = False
        self.running = False
        self._render_plot()
        self.query_one("#demo-run").focus()

    def _stopped(self, failed: bool, params: dict | None = None) -> None:
        """A run that ended without a result. The last result is shown again only when it was cancelled and the
        last result came from the same parameters: its ✓ stood under a failed run's error (a plugin edited to
        raise), and beside parameters that never produced it. Otherwise the claims wait for a run."""
        if self.predict is not None:
            self.predict.run_stopped()
        last = self.result
        if last is not None and not failed and last.params == params:
            # All of it, the plot too: the cancelled run's partial plot stood above the last run's verdicts.
            self.plot.replace(last.result.get("series") or {} if last.result else {})
            self.query_one(DemoClaims).result(last.claims)
            self.query_one(DemoResults).show(last)
            return
        if failed:
            self.result = None  # no longer what this demo gives: "Run", not "Run again", and not remembered
            self._remember()

    def _record(self, outcome) -> None:
        try:
            self.app.services.srs.store.record_demo_run(
                outcome.plugin_id,
                outcome.params,
                outcome.claims if outcome.ok else {"error": outcome.error},
                outcome.wall_seconds * 1000,
                outcome.passed,
            )
        except Exception as e:  # progress that cannot be saved must not hide the result
            self.notify(str(e), severity="error", markup=False)

    def _show_error(self, message: str) -> None:
        box = self.query_one("#demo-error", Static)
        box.update(f"[b]{self.t('error.title')}[/b]\n{literal(message)}")
        box.remove_class("hidden")

    def action_cancel_or_back(self) -> None:
        if isinstance(self.focused, Input):  # Esc first leaves the field being edited, keeping its text
            self.query_one("#demo-run").focus()
            return
        if self.running and self._worker is not None:
            self._worker.cancel()  # sets the worker's cancelled_event, which the runner watches
            self.status.cancel()
        else:
            self.dismiss(self.verdict())

    def verdict(self):
        """The prediction's verdict on the last run (None without a prediction or a run), for the quiz."""
        return self.predict.verdict if self.predict is not None else None

    def action_next_plot(self) -> None:
        self.plot.next_group()
        self._render_plot()

    # -- rendering ------------------------------------------------------------------------------------
    def _render_plot(self) -> None:
        self.query_one("#demo-plot-caption", Static).update(self.plot.redraw(self.t))
        # A demo that plots nothing shows no empty box: known up front (API 1.1 declares no panels) or
        # once a run has finished without a series.
        version = str(self.meta.get("api_version", "1.0"))
        declares_none = version.startswith("1.") and version != "1.0" and not self.meta.get("plots")
        ran_without = self.finished_runs > 0 and not self.running and not self.plot.series
        self.plot.display = not (declares_none or ran_without)

    def _render_texts(self) -> None:
        lang = self.app.lang
        meta = self.meta
        title = literal(render_math(pick(meta.get("title"), lang))) if meta else self.plugin_id
        self.query_one("#demo-title", Static).update(title)
        self.query_one("#demo-summary", Static).update(
            code_markup(render_math(pick(meta.get("summary"), lang))) if meta else ""
        )
        self.query_one("#demo-meta", Static).update(
            self.t("demo.meta", secs=seconds(meta.get("default_seconds", 5.0)), n=len(meta.get("claims", [])))
            if meta
            else ""
        )
        self.query_one("#demo-params-heading", Static).update(self.t("demo.params"))
        self.query_one("#demo-claims-heading", Static).update(self.t("demo.claims"))
        self._render_run_button()

    def relabel(self) -> None:
        self._render_texts()
        for form in self.query(ParamForm):
            form.set_language()  # the fields' help and "Allowed" lines
        self._refresh_blocked()  # the estimate's text
        self.status.relabel()
        if self.predict is not None:
            self.predict.render_texts()
        self.query_one(DemoClaims).show()
        self.query_one(DemoResults).show()
        self._render_plot()
