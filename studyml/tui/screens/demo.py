"""One demo: its parameter form, predict-then-run, the run with progress and live plots, claims and metrics."""

from __future__ import annotations

import threading
import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (Button, DataTable, Footer, Header, Input, Markdown, ProgressBar, RadioButton, RadioSet,
                             Static)

from studyml.content.mathtext import render_math
from studyml.demos.render import fmt
from studyml.quiz.tolerance import Tolerance
from studyml.tui.i18n import pick
from studyml.tui.localized import LocalizedMixin, localize_bindings
from studyml.tui.widgets.param_form import ParamForm
from studyml.tui.widgets.series_plot import SeriesPlot

SHOW_TIMING = True  # snapshot tests turn this off: elapsed seconds differ from run to run
PLOT_INTERVAL = 0.1  # at most ~10 plot redraws a second while points stream in


from studyml.tui.screens.demo_list import seconds as _secs


_num = fmt  # one formatter for the CLI and the UI


class DemoScreen(LocalizedMixin, Screen):
    BINDINGS = [
        Binding("escape", "cancel_or_back", "Cancel/Back", id="cancel_back"),
        Binding("r", "run", "Run", id="run"),
        Binding("p", "next_plot", "Next plot", id="next_plot"),
    ]
    TIMEOUT: float | None = None  # the runner's default; tests shorten it to exercise timeouts

    def __init__(self, plugin_id: str, params: dict | None = None, predict_item=None, seed: int = 0,
                 prediction: float | bool | None = None) -> None:
        super().__init__()
        self.plugin_id = plugin_id
        self.initial = dict(params or {})
        self.predict_item = predict_item
        # A prediction made already (the learner's quiz answer) is locked in: no second question.
        self.prediction: float | bool | None = prediction
        self.seed = seed
        self.plugin = None
        self.meta: dict = {}
        self.fields: list[dict] = []
        self.running = False
        self.finished_runs = 0
        self.cancel_event: threading.Event | None = None
        self.result = None  # the last RunResult
        self.fraction = 0.0
        self.message = ""
        self.started = 0.0
        self._pending: list[dict] = []
        self._lock = threading.Lock()
        self._last_post = 0.0
        self._last_plot = 0.0
        self._plot_dirty = False
        self.load_error = ""

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._load()
        yield Header()
        with Horizontal(id="demo"):
            with VerticalScroll(id="demo-side"):
                yield Static(id="demo-title", classes="heading")
                yield Static(id="demo-summary")
                yield Static(id="demo-meta", classes="hint")
                with Vertical(id="predict", classes="hidden"):
                    yield Static(id="predict-heading", classes="heading")
                    yield Markdown(id="predict-prompt")
                    yield Static(id="predict-ask")
                    yield Input(id="predict-number", classes="hidden")
                    with RadioSet(id="predict-claim", classes="hidden"):
                        yield RadioButton(id="predict-yes")
                        yield RadioButton(id="predict-no")
                    yield Static(id="predict-status", classes="hint")
                yield Static(id="demo-params-heading", classes="heading")
                start = {**self.initial, **self._memory["fields"]} if self._memory else self.initial
                yield ParamForm(self.plugin, self.fields, start, self.load_error, id="demo-form")
                yield Button(id="demo-run", variant="primary")
            with VerticalScroll(id="demo-main"):
                with Horizontal(id="demo-progress-row"):
                    yield ProgressBar(id="demo-progress", total=1.0, show_eta=False)
                    yield Static(id="demo-status")
                yield Static(id="demo-error", classes="hidden")
                yield Static(id="predict-verdict", classes="hidden")
                yield SeriesPlot(id="demo-plot")
                yield Static(id="demo-plot-caption", classes="hint")
                yield Static(id="demo-claims-heading", classes="heading")
                yield Static(id="demo-claims")
                yield Static(id="demo-metrics-heading", classes="heading hidden")
                yield DataTable(id="demo-metrics", classes="hidden", cursor_type="none", zebra_stripes=True)
                yield Static(id="demo-text-heading", classes="heading hidden")
                yield Markdown(id="demo-text")
        yield Footer()

    def _load(self) -> None:
        services = self.app.services
        self.meta = services.plugins().get(self.plugin_id) or {}
        # Coming back to a demo (opened the same way, no prediction asked) shows its last edits and result.
        memory = services.demo_memory.get(self.plugin_id)
        if memory is not None and self.predict_item is None and memory["opened_with"] == self.initial:
            self._memory = memory
        else:
            self._memory = None
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
        self._setup_predict()
        self._render_texts()
        self._render_claims()
        self._render_plot()
        self._update_progress()
        self.query_one("#demo-status", Static).update(self.t("demo.ready") if not self.load_error else "")
        if self.load_error:
            self._show_error(self.load_error)
        self._ticker = self.set_interval(0.25, self._tick, pause=True)
        self._refresh_run_button()
        self._restore_memory()
        self._focus_first()

    def _restore_memory(self) -> None:
        memory = self._memory
        if memory is None or memory.get("result") is None:
            return
        self.result = memory["result"]
        self.fraction = 1.0
        series = self.result.result.get("series") or {}
        if series:
            self.plot.replace(series)
        self.query_one("#demo-status", Static).update(self.t("demo.done_plain"))
        self.query_one("#demo-progress", ProgressBar).update(progress=1.0)
        self._render_result()
        self._render_plot()
        self._refresh_run_button()

    def _remember(self) -> None:
        """Keep this demo's field texts and last result for when the learner comes back to it."""
        if self.predict_item is not None or self.load_error:
            return
        try:
            fields = self.query_one(ParamForm).raw()
        except Exception:  # the form is already gone (the screen is closing)
            return
        self.app.services.demo_memory[self.plugin_id] = {"opened_with": dict(self.initial), "fields": fields,
                                                          "result": self.result}

    def _focus_first(self) -> None:
        if self.predict_item is not None and self.prediction is None:
            target = "#predict-number" if self._numeric_predict() else "#predict-claim"
            self.query_one(target).focus()
        else:
            self.query_one("#demo-run").focus()

    @on(ParamForm.Changed)
    def _param_changed(self) -> None:
        self._refresh_run_button()
        self._remember()

    # -- predict, then run --------------------------------------------------------------------------
    def _numeric_predict(self) -> bool:
        v = getattr(self.predict_item, "verify", None)
        return v is not None and v.metric is not None

    def _setup_predict(self) -> None:
        item = self.predict_item
        if item is None or getattr(item, "verify", None) is None:
            self.predict_item = None
            return
        self.query_one("#predict").remove_class("hidden")
        if self.prediction is None:
            self.query_one("#predict-number" if self._numeric_predict() else "#predict-claim").remove_class("hidden")

    def _render_predict(self) -> None:
        item = self.predict_item
        if item is None:
            return
        lang = self.app.lang
        self.query_one("#predict-heading", Static).update(self.t("demo.predict.heading"))
        self.query_one("#predict-prompt", Markdown).update(render_math(pick(item.prompt, lang)))
        if self._numeric_predict():
            ask = self.t("demo.predict.number", metric=item.verify.metric)
        else:
            ask = f"[i]{self._claim_text(item.verify.claim)}[/i]\n{self.t('demo.predict.claim')}"
        ask_widget = self.query_one("#predict-ask", Static)
        ask_widget.update(ask)
        # A prediction brought from the quiz is locked in; only a claim's text is worth repeating.
        ask_widget.display = self.prediction is None or not self._numeric_predict() or not self.is_mounted
        self.query_one("#predict-yes", RadioButton).label = self.t("demo.predict.yes")
        self.query_one("#predict-no", RadioButton).label = self.t("demo.predict.no")
        status = self.t("demo.predict.locked", value=self._prediction_text()) if self.prediction is not None \
            else self.t("demo.predict.needed")
        self.query_one("#predict-status", Static).update(status)

    def _prediction_text(self) -> str:
        if isinstance(self.prediction, bool):
            return self.t("demo.predict.yes" if self.prediction else "demo.predict.no")
        return _num(self.prediction)

    def _claim_text(self, claim_id: str) -> str:
        for c in self.meta.get("claims", []):
            if c["id"] == claim_id:
                return render_math(pick(c["text"], self.app.lang))
        return claim_id

    @on(Input.Submitted, "#predict-number")
    def _predicted_number(self, event: Input.Submitted) -> None:
        from studyml.quiz.grading import read_number

        try:
            self.prediction = float(read_number(event.value))
        except (ValueError, ZeroDivisionError):
            self.prediction = None
            self.notify(self.t("demo.predict.bad_number"), severity="warning")
        self._render_predict()
        self._refresh_run_button()
        if self.prediction is not None:
            self.query_one("#demo-run").focus()

    @on(RadioSet.Changed, "#predict-claim")
    def _predicted_claim(self, event: RadioSet.Changed) -> None:
        self.prediction = event.pressed.id == "predict-yes"
        self._render_predict()
        self._refresh_run_button()

    def _predict_verdict(self) -> None:
        box = self.query_one("#predict-verdict", Static)
        item, r = self.predict_item, self.result
        if item is None or self.prediction is None or r is None or not r.ok:
            box.add_class("hidden")
            return
        v = item.verify
        if v.metric is not None:
            obs = r.metrics.get(v.metric)
            if obs is None:
                text, ok = self.t("demo.predict.missing", what=v.metric), False
            else:
                tol = getattr(item, "tolerance", None)
                tolerance = Tolerance.of(tol)
                allowed = float(tolerance.allowed(obs))
                ok = tolerance.allows(float(self.prediction), obs)
                key = "demo.predict.numeric_right" if ok else "demo.predict.numeric_wrong"
                text = self.t(key, pred=_num(self.prediction), metric=v.metric, obs=_num(obs), tol=_num(allowed))
        else:
            claim = next((c for c in r.claims if c["id"] == v.claim), None)
            if claim is None:
                text, ok = self.t("demo.predict.missing", what=v.claim), False
            else:
                ok = bool(claim["passed"]) == bool(self.prediction)
                verdict = self.t("demo.predict.holds" if claim["passed"] else "demo.predict.fails")
                text = self.t("demo.predict.claim_right" if ok else "demo.predict.claim_wrong",
                              pred=self._prediction_text(), verdict=verdict)
        box.update(text)
        box.set_class(ok, "right")
        box.set_class(not ok, "wrong")
        box.remove_class("hidden")

    # -- running ------------------------------------------------------------------------------------
    def _run_blocked(self) -> bool:
        if self.running or self.load_error:
            return True
        if self.predict_item is not None and self.prediction is None:
            return True
        return bool(self.query_one(ParamForm).values()[1])

    def _refresh_run_button(self) -> None:
        button = self.query_one("#demo-run", Button)
        button.label = f"▶ {self.t('demo.rerun' if self.result is not None else 'demo.run')} (r)"
        button.disabled = self._run_blocked()
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "run":
            return not self._run_blocked() or None
        if action == "next_plot":
            return len(self.plot.groups()) > 1
        return True

    @on(Button.Pressed, "#demo-run")
    def _run_pressed(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        if self.running or self.load_error:
            return
        if self.predict_item is not None and self.prediction is None:
            self.notify(self.t("demo.predict.needed"), severity="warning")
            return
        values, bad = self.query_one(ParamForm).values()
        if bad:
            self.notify(self.t("demo.fix_params"), severity="warning")
            return
        self.running = True
        self.cancel_event = threading.Event()
        self.plot.clear_series()
        self.fraction, self.message = 0.0, self.t("demo.starting")
        self.started = time.monotonic()
        self.query_one("#demo-error").add_class("hidden")
        self.query_one("#predict-verdict").add_class("hidden")
        self._render_plot()
        self._render_claims(pending=True)
        self._update_progress()
        self._ticker.resume()
        self._refresh_run_button()
        self._run_worker(values, self.cancel_event)

    @work(thread=True, exclusive=True, group="demo-run", exit_on_error=False)
    def _run_worker(self, values: dict, cancel: threading.Event) -> None:
        def on_event(event: dict) -> None:
            with self._lock:
                self._pending.append(event)
            now = time.monotonic()
            # Batch streaming events: one UI update per PLOT_INTERVAL, not one per point.
            if event.get("type") in ("result", "error") or now - self._last_post >= PLOT_INTERVAL:
                self._last_post = now
                self._post(self._flush)

        try:
            outcome = self.app.services.runner.run(self.plugin_id, values, seed=self.seed, timeout=self.TIMEOUT,
                                                   lang=self.app.lang, on_event=on_event, cancel_event=cancel)
        except Exception as e:  # bad parameters or a broken plugin: shown in the screen
            outcome = e
        self._post(self._finished, outcome)

    def _post(self, fn, *args) -> None:
        try:
            self.app.call_from_thread(fn, *args)
        except Exception:  # the app is shutting down; nobody is left to show it
            pass

    def _tick(self) -> None:
        self._flush()

    def _flush(self) -> None:
        with self._lock:
            events, self._pending = self._pending, []
        for ev in events:
            kind = ev.get("type")
            if kind == "progress":
                self.fraction = float(ev.get("fraction", 0.0))
                self.message = ev.get("message", "")
            elif kind == "point":
                self.plot.add(ev["series"], ev["x"], ev["y"])
                self._plot_dirty = True
            elif kind == "points":
                for name, points in (ev.get("series") or {}).items():
                    self.plot.add_many(name, points)
                self._plot_dirty = True
        self._update_progress()
        now = time.monotonic()
        # Redraws cost the UI thread what plotext's build costs: keep them under ~15% of its time.
        interval = max(PLOT_INTERVAL, 6 * self.plot.render_seconds)
        if self._plot_dirty and now - self._last_plot >= interval:
            self._last_plot = now
            self._plot_dirty = False
            self._render_plot()

    def _update_progress(self) -> None:
        bar = self.query_one("#demo-progress", ProgressBar)
        bar.update(progress=self.fraction)
        if not self.running:
            return
        elapsed = time.monotonic() - self.started
        parts = [self.message] if self.message else []
        if SHOW_TIMING:
            if 0.02 < self.fraction < 1:
                eta = elapsed / self.fraction * (1 - self.fraction)
                parts.append(self.t("demo.eta", elapsed=_secs(elapsed), eta=_secs(eta)))
            else:
                parts.append(self.t("demo.elapsed", elapsed=_secs(elapsed)))
        if self.cancel_event is not None and self.cancel_event.is_set():
            parts = [self.t("demo.cancelling")]
        self.query_one("#demo-status", Static).update(" · ".join(parts))

    def _finished(self, outcome) -> None:
        self._flush()
        self.running = False
        self.finished_runs += 1
        self._ticker.pause()
        status = self.query_one("#demo-status", Static)
        if isinstance(outcome, Exception):
            self._show_error(str(outcome))
            status.update("")
        elif outcome.error is not None:
            kind = outcome.error.get("kind", "crash")
            if kind == "cancelled":
                status.update(self.t("demo.cancelled"))
            else:
                self._show_error(self.t("demo.failed", kind=kind, message=outcome.error.get("message", "")))
                status.update("")
                self._record(outcome)
        else:
            self.result = outcome
            self.fraction = 1.0
            series = outcome.result.get("series") or {}
            # The final result is complete even if the stream was cut short (it is lossless otherwise).
            if series and sum(len(v) for v in series.values()) != self.plot.count():
                self.plot.replace(series)
            status.update(self.t("demo.done", secs=_secs(outcome.wall_seconds)) if SHOW_TIMING
                          else self.t("demo.done_plain"))
            self._record(outcome)
            self._render_result()
            self._predict_verdict()
            self._remember()
        self.query_one("#demo-progress", ProgressBar).update(progress=self.fraction)
        self._render_plot()
        self._refresh_run_button()

    def _record(self, outcome) -> None:
        try:
            self.app.services.srs.store.record_demo_run(
                outcome.plugin_id, outcome.params, outcome.claims if outcome.ok else {"error": outcome.error},
                outcome.wall_seconds * 1000, outcome.passed)
        except Exception as e:  # progress that cannot be saved must not hide the result
            self.notify(str(e), severity="error")

    def _show_error(self, message: str) -> None:
        box = self.query_one("#demo-error", Static)
        box.update(f"[b]{self.t('error.title')}[/b]\n{message}")
        box.remove_class("hidden")

    def action_cancel_or_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):  # Esc first leaves the field being edited, keeping its text
            self.query_one("#demo-run").focus()
            return
        if self.running and self.cancel_event is not None:
            self.cancel_event.set()
            self._update_progress()
        else:
            self.app.pop_screen()

    def action_next_plot(self) -> None:
        self.plot.next_group()
        self._render_plot()

    # -- rendering ------------------------------------------------------------------------------------
    @property
    def plot(self) -> SeriesPlot:
        return self.query_one("#demo-plot", SeriesPlot)

    @property
    def series(self) -> dict[str, tuple[list[float], list[float]]]:
        return self.plot.series

    def _render_plot(self) -> None:
        self.query_one("#demo-plot-caption", Static).update(self.plot.redraw(self.t))

    def _render_texts(self) -> None:
        lang = self.app.lang
        meta = self.meta
        title = render_math(pick(meta.get("title"), lang)) if meta else self.plugin_id
        self.query_one("#demo-title", Static).update(title)
        self.query_one("#demo-summary", Static).update(render_math(pick(meta.get("summary"), lang)) if meta else "")
        self.query_one("#demo-meta", Static).update(
            self.t("demo.meta", secs=_secs(meta.get("expected_seconds", 5.0)), n=len(meta.get("claims", []))) if meta else "")
        self.query_one("#demo-params-heading", Static).update(self.t("demo.params"))
        self.query_one("#demo-claims-heading", Static).update(self.t("demo.claims"))
        self.query_one("#demo-metrics-heading", Static).update(self.t("demo.metrics"))
        self.query_one("#demo-text-heading", Static).update(self.t("demo.explanation"))
        self._render_predict()
        self._refresh_run_button()

    def _render_claims(self, pending: bool = False) -> None:
        box = self.query_one("#demo-claims", Static)
        from rich.table import Table

        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1)
        grid.add_column(ratio=1)
        if self.result is None or pending:
            grid.add_row("", self.t("demo.claims.pending"))
            for c in self.meta.get("claims", []):
                grid.add_row("○", self._claim_text(c["id"]))
            box.update(grid)
            return
        claims = self.result.claims
        grid.add_row("", self.t("demo.claims.summary", ok=sum(bool(c["passed"]) for c in claims), n=len(claims)))
        for c in claims:
            mark = "[b green]✓[/]" if c["passed"] else "[b red]✗[/]"
            text = render_math(pick(c.get("text"), self.app.lang)) or c["id"]
            detail = []
            if c.get("observed"):
                detail.append(f"{self.t('demo.observed')}: {_num(c['observed'])}")
            if c.get("threshold") is not None:
                detail.append(f"{self.t('demo.threshold')}: {_num(c['threshold'])}")
            grid.add_row(mark, text + (f"\n[dim]{' · '.join(detail)}[/dim]" if detail else ""))
        box.update(grid)

    def _render_result(self) -> None:
        r = self.result
        if r is None:
            return
        self._render_claims()
        table = self.query_one("#demo-metrics", DataTable)
        table.clear(columns=True)
        table.add_column(self.t("demo.col.metric"), key="metric")
        table.add_column(self.t("demo.col.value"), key="value")
        for name, value in r.metrics.items():
            table.add_row(name, _num(value))
        for wid in ("#demo-metrics", "#demo-metrics-heading"):
            self.query_one(wid).set_class(not r.metrics, "hidden")
        lang = self.app.lang
        parts = [render_math(pick(t, lang)) for t in r.result.get("texts", [])]
        for tab in r.result.get("tables", []):
            head = "| " + " | ".join(map(str, tab["columns"])) + " |"
            rule = "|" + "---|" * len(tab["columns"])
            rows = ["| " + " | ".join(_num(v) for v in row) + " |" for row in tab["rows"]]
            parts.append(f"**{tab['title']}**\n\n" + "\n".join([head, rule, *rows]))
        self.query_one("#demo-text", Markdown).update("\n\n".join(parts))
        self.query_one("#demo-text-heading").set_class(not parts, "hidden")

    def on_language(self) -> None:
        self.query_one(ParamForm).set_language()
        self._render_texts()
        self._render_claims(pending=self.running)
        if self.result is not None and not self.running:
            self._render_result()
            self._predict_verdict()
        self._render_plot()
