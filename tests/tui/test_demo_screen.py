"""Demo list and demo screen: form, run, cancel, failures, predict-then-run, snapshots (isolation: test_app.py)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Input, Markdown, OptionList

from studyml.content.models import ChoiceItem, NumericItem
from studyml.srs.store import open_store
from studyml.tui import navigation
from studyml.tui.screens import demo as demo_module
from studyml.tui.widgets import run_status

from .helpers import SIZE, app, loaded, prompt_text, wait_for
from .helpers import text as _text


def text(widget) -> str:
    """Plain text of a Static, including one showing a Rich table (the claims checklist)."""
    from rich.console import Console

    content = widget.content
    if isinstance(content, str):
        return _text(widget)
    console = Console(width=200, record=True, file=open(os.devnull, "w"))
    console.print(content)
    return console.export_text()


async def open_demo(pilot, plugin_id: str, **kw) -> None:
    await loaded(pilot)
    navigation.demo(pilot.app, plugin_id, **kw)
    await pilot.pause()


async def run_to_end(pilot, timeout: float = 60) -> None:
    screen = pilot.app.screen
    done = screen.finished_runs
    screen.query_one("#demo-run").focus()  # `r` typed into a field would be text, not the key
    await pilot.press("r")
    await wait_for(pilot, lambda: screen.finished_runs > done, timeout, "the run to finish")
    await pilot.pause()


def numeric_item(**verify) -> NumericItem:
    return NumericItem.model_validate(
        {
            "id": "total",
            "card": "c",
            "kind": "numeric",
            "answer": 5,
            "tolerance": {"abs": 0.01},
            "prompt": {"en": "What is the total with the defaults?", "ko": "기본값에서 합은?"},
            "explanation": {"en": "Five.", "ko": "5."},
            "verify": {"demo": "fx-stream", **verify},
        }
    )


def claim_item() -> ChoiceItem:
    return ChoiceItem.model_validate(
        {
            "id": "few",
            "card": "c",
            "kind": "choice",
            "answer": "y",
            "choices": {"y": {"en": "yes"}, "n": {"en": "no"}},
            "prompt": {"en": "Does the default run take at most 20 steps?", "ko": "기본 실행은 20단계 이하인가?"},
            "explanation": {"en": "It takes 5."},
            "verify": {"demo": "fx-stream", "claim": "few-steps"},
        }
    )


async def test_list_opens_a_demo_that_runs_to_its_claims_and_is_recorded(demo_plugins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert type(a.screen).__name__ == "DemoListScreen"
        options = a.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "fx-stream" in ids and "fx-slow" in ids
        listing = prompt_text(options.get_option("fx-stream").prompt)
        assert "Fixture stream" in listing and "about 0.1 s · 2 claims" in listing and "Streams points." in listing
        options.highlighted = ids.index("fx-stream")
        await pilot.press("enter")
        await pilot.pause()
        screen = a.screen
        assert type(screen).__name__ == "DemoScreen" and screen.plugin_id == "fx-stream"
        assert screen.query_one("#param-steps", Input).value == "5"
        assert "1 ≤ steps ≤ 50" in text(screen.query_one("#help-steps"))
        await run_to_end(pilot)
        claims = text(screen.query_one("#demo-claims"))
        assert claims.count("✓") == 2 and "✗" not in claims
        assert "2 of 2 claims hold." in claims and "The total exceeds the target." in claims
        assert "total = 5" in claims and "total > 2" in claims
        table = screen.query_one("#demo-metrics", DataTable)
        assert [str(c) for c in table.get_row_at(0)] == ["Total [i]", "5 steps"]  # the declared label and unit
        shown = [table.render_line(y).text for y in range(table.size.height)]
        assert any("Total [i]" in line for line in shown), shown  # a label's brackets are not read as markup
        assert [list(c) for c in screen.series["x"]] == [[0, 1, 2, 3, 4], [1, 2, 3, 4, 5]]
        assert screen.query_one("#demo-error").has_class("hidden")
        # Re-run with other parameters: 30 steps break the second claim.
        await pilot.click("#param-steps")
        screen.query_one("#param-steps", Input).value = "30"
        await pilot.pause()
        await run_to_end(pilot)
        claims = text(screen.query_one("#demo-claims"))
        assert claims.count("✓") == 1 and claims.count("✗") == 1 and "steps = 30" in claims
        await pilot.press("L")
        await pilot.pause()
        assert "합이 목표보다 크다." in text(screen.query_one("#demo-claims"))
        assert [str(c) for c in table.get_row_at(0)] == ["합계", "30 단계"]
        assert "끝났습니다" in text(screen.query_one("#demo-status"))  # the status follows the language too
        assert "이번 실행: 약" in text(screen.query_one("#demo-estimate"))
    with open_store() as store:
        runs = store.demo_runs()
    assert [(r["plugin_id"], r["params"]["steps"], r["ok"]) for r in runs] == [
        ("fx-stream", 5, True),
        ("fx-stream", 30, False),
    ]
    assert [c["passed"] for c in runs[0]["claims"]] == [True, True]


async def test_escape_cancels_a_slow_run_then_goes_back(demo_plugins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-slow")
        screen = a.screen
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.fraction > 0, 20, "progress from the slow demo")
        assert screen.query_one("#demo-run", Button).disabled
        await pilot.press("escape")
        await wait_for(pilot, lambda: not screen.running, 10, "the cancel")
        await pilot.pause()
        assert a.screen is screen
        assert "Cancelled" in text(screen.query_one("#demo-status"))
        assert not screen.query_one("#demo-run", Button).disabled
        await pilot.press("escape")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"
    with open_store() as store:
        assert store.demo_runs() == []


async def test_a_failing_demo_shows_its_error_and_the_app_keeps_running(demo_plugins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-raise")
        screen = a.screen
        await run_to_end(pilot)
        error = screen.query_one("#demo-error")
        assert not error.has_class("hidden")
        assert "ValueError: fixture failure 42 at x[i]" in text(error) and "exception" in text(error)
        # Where, in the author's file (the worker's own frames left out): it said only what.
        assert "fx_raise.py:14 in run: raise ValueError" in text(error), text(error)
        assert "worker.py" not in text(error) and "studyml demo run fx-raise" in text(error)
        await pilot.press("escape")
        await pilot.pause()
        await open_demo(pilot, "fx-stream")
        await run_to_end(pilot)
        assert "2 of 2" in text(a.screen.query_one("#demo-claims"))
    with open_store() as store:
        assert [(r["plugin_id"], r["ok"]) for r in store.demo_runs()] == [("fx-raise", False), ("fx-stream", True)]


async def test_a_demo_that_crashes_the_worker_shows_what_it_printed_last_and_where_it_stopped(demo_plugins):
    # docs/plugins.md promises the last lines when the worker crashes; the screen showed only "SIGSEGV".
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-segfault")
        await run_to_end(pilot)
        said = text(a.screen.query_one("#demo-error"))
        assert "SIGSEGV" in said and "about to read address 0" in said, said
        assert "fx_segfault.py:17 in run" in said and "worker.py" not in said, said  # where, not the worker's frames


async def test_a_demo_that_times_out_says_so(demo_plugins, monkeypatch):
    monkeypatch.setattr(demo_module.DemoScreen, "TIMEOUT", 1.0)

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-slow")
        await run_to_end(pilot, timeout=20)
        assert "did not finish within 1 s" in text(a.screen.query_one("#demo-error"))


async def test_unknown_demo_shows_an_error(demo_plugins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "no-such-demo")
        assert "no-such-demo" in text(a.screen.query_one("#demo-error"))
        assert a.screen.query_one("#demo-run", Button).disabled


async def test_the_form_rejects_an_out_of_range_value_naming_the_range(demo_plugins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-stream")
        screen = a.screen
        await pilot.click("#param-steps")
        await pilot.press("end", "backspace", "9", "9")
        await pilot.pause()
        error = screen.query_one("#error-steps")
        assert not error.has_class("hidden") and "1 ≤ steps ≤ 50" in text(error)
        assert screen.query_one("#demo-run", Button).disabled
        screen.action_run()
        await pilot.pause()
        assert not screen.running
        screen.query_one("#param-target", Input).value = "abc"
        await pilot.pause()
        assert "Not a number" in text(screen.query_one("#error-target"))
        screen.query_one("#param-steps", Input).value = "7"
        screen.query_one("#param-target", Input).value = "3.5"
        await pilot.pause()
        assert screen.query_one("#error-steps").has_class("hidden")
        assert not screen.query_one("#demo-run", Button).disabled


async def test_predict_a_number_then_run(demo_plugins):
    """predict → locked → running → verdict, each saying what it is; the prediction is fixed after the run."""
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-stream", predict_item=numeric_item(metric="total"))
        screen = a.screen
        panel = screen.query_one("#predict")
        assert "What is the total" in screen.query_one("#predict-prompt").source
        assert panel.state == "predict" and "Predict first" in text(screen.query_one("#predict-heading"))
        assert "Your prediction of Total" in text(screen.query_one("#predict-ask"))  # the label, not the id
        assert screen.query_one("#demo-run", Button).disabled  # predict first
        assert screen.focused is screen.query_one("#predict-number")
        await pilot.press("4", "enter")
        await wait_for(pilot, lambda: panel.state == "locked", 10, "the locked prediction")
        assert panel.state == "locked" and "Prediction locked" in text(screen.query_one("#predict-heading"))
        assert "4 (locked)" in text(screen.query_one("#predict-status"))
        assert not screen.query_one("#predict-number").display or screen.query_one("#predict-number").has_class(
            "hidden"
        )
        assert not screen.query_one("#predict-ask").display
        assert not screen.query_one("#demo-run", Button).disabled
        assert screen.focused is screen.query_one("#demo-run")
        states = []
        panel.watch(panel, "state", lambda value: states.append(value), init=False)
        await run_to_end(pilot)
        assert states == ["running", "verdict"]
        assert "Verdict" in text(screen.query_one("#predict-heading"))
        verdict = text(screen.query_one("#predict-verdict"))
        assert "✗ You predicted 4; the demo measured Total [i] = 5" in verdict
        assert screen.verdict().ok is False and screen.verdict().observed == 5
        # No second guess: the field is gone, and a re-run judges the same prediction.
        assert screen.query_one("#predict-number").has_class("hidden")
        await run_to_end(pilot)
        assert "✗ You predicted 4" in text(screen.query_one("#predict-verdict"))


def test_the_prediction_is_judged_with_the_quiz_tolerance_rule():
    from types import SimpleNamespace

    from studyml.tui.widgets.predict_panel import judge

    item = NumericItem.model_validate(
        {
            "id": "t",
            "card": "c",
            "kind": "numeric",
            "answer": 0.7,
            "tolerance": {"abs": 0.1},
            "prompt": {"en": "?"},
            "explanation": {"en": "."},
            "verify": {"demo": "fx-stream", "metric": "m"},
        }
    )
    run = SimpleNamespace(metrics={"m": 0.7}, claims=[])
    assert judge(item, 0.8, run).ok  # 0.8 vs 0.7 ± 0.1: inside, as written (binary floats would say outside)
    assert not judge(item, 0.81, run).ok
    assert judge(item, 0.8, SimpleNamespace(metrics={}, claims=[])).observed is None


async def test_predict_a_claim_then_run(demo_plugins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-stream", predict_item=claim_item())
        screen = a.screen
        assert "At most 20 steps." in text(screen.query_one("#predict-ask"))
        await pilot.click("#predict-yes")
        # On a busy machine the radio set's Changed message can take more than one pause.
        await wait_for(pilot, lambda: screen.prediction is True, 10, "the prediction")
        await run_to_end(pilot)
        assert "✓ You predicted “Yes, it holds”, and the claim holds." in text(screen.query_one("#predict-verdict"))


async def _opened(pilot) -> None:
    await open_demo(pilot, "fx-stream")
    await pilot.pause()


async def _ran(pilot) -> None:
    await _opened(pilot)
    await run_to_end(pilot)
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("when", ["before", "after"])
def test_demo_snapshot(demo_plugins, snap_compare, monkeypatch, lang, size, when):
    monkeypatch.setattr(run_status, "SHOW_TIMING", False)
    assert snap_compare(app(lang=lang), terminal_size=size, run_before=_ran if when == "after" else _opened)


@pytest.mark.real_discovery
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_demo_list_snapshot(demo_plugins, snap_compare, lang):
    async def before(pilot):
        await loaded(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "DemoListScreen", 10, "the demo list")
        await pilot.pause()

    assert snap_compare(app(lang=lang), terminal_size=SIZE, run_before=before)


def test_contour_series_are_drawn_with_their_problems_paths():
    from studyml.tui.widgets.series_plot import group_of

    assert group_of("contour:rosenbrock") == group_of("path:adam:rosenbrock") == "path:rosenbrock"
    assert group_of("loss:train") == group_of("loss:val") == "loss"


def test_parameter_help_follows_the_language():
    from pydantic import BaseModel, Field

    from studyml.demos.api import ClaimSpec, Plugin
    from studyml.demos.params import describe_params

    class P(BaseModel):
        lr: float = Field(
            0.1, gt=0, le=1, description="Learning rate.", json_schema_extra={"description_ko": "학습률."}
        )
        steps: int = Field(5, ge=1, le=9, description="Steps.")

    plugin = Plugin(
        id="x",
        title={"en": "x"},
        summary={"en": "x"},
        params=P,
        claims=[ClaimSpec("c", {"en": "c"})],
        run=lambda p, ctx: None,
    )
    lr, steps = describe_params(plugin)
    assert lr["descriptions"] == {"ko": "학습률."} and lr["description"] == "Learning rate."
    assert steps["descriptions"] == {}  # no translation: the form falls back to English


def test_a_flood_of_events_is_coalesced_into_a_few_messages_losing_no_point():
    from studyml.tui.demo_stream import Coalescer, RunProgress

    posted = []
    sink = Coalescer(posted.append, interval=10.0)
    for i in range(10_000):
        sink({"type": "point", "series": "a", "x": i, "y": -i})
        if i % 100 == 0:
            sink({"type": "progress", "fraction": i / 10_000, "message": f"step {i}"})
    sink({"type": "points", "series": {"b": {"x": [0, 1], "y": [1, 2]}}})
    sink.flush()
    assert len(posted) == 2 and all(isinstance(m, RunProgress) for m in posted)  # the first, then the rest
    xs = [x for m in posted for x in m.points.get("a", ([], []))[0]]
    ys = [y for m in posted for y in m.points.get("a", ([], []))[1]]
    assert xs == list(range(10_000)) and ys == [-i for i in range(10_000)]
    assert posted[-1].fraction == 0.99 and posted[-1].message == "step 9900"
    assert posted[-1].points["b"] == ([0, 1], [1, 2])


async def test_at_80_columns_the_cancelled_message_wraps_instead_of_being_cut(demo_plugins):
    # "취소했습니다. 매개변수를" and nothing after: the status was one line, cut at the pane's edge.
    a = app(lang="ko")
    async with a.run_test(size=(80, 24)) as pilot:
        await open_demo(pilot, "fx-slow")
        screen = a.screen
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.fraction > 0, 20, "progress from the slow demo")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not screen.running, 10, "the cancel")
        await pilot.pause()
        status = screen.query_one("#demo-status")
        said = text(status)
        assert said.endswith("다시 실행하세요.")
        row = screen.query_one("#demo-progress-row")
        assert status.size.height >= 2 and row.region.contains_region(status.region), (status.region, row.region)
        assert status.region.right <= 80


async def test_the_run_posts_messages_to_widgets_and_cancels_through_the_worker(demo_plugins):
    from studyml.tui.demo_stream import RunFinished, RunProgress
    from studyml.tui.widgets.demo_claims import DemoClaims
    from studyml.tui.widgets.demo_results import DemoResults
    from studyml.tui.widgets.run_status import RunStatus

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-slow")
        screen = a.screen
        assert screen.query_one(RunStatus) and screen.query_one(DemoClaims) and screen.query_one(DemoResults)
        seen = []
        original = screen.post_message
        screen.post_message = lambda m: (seen.append(type(m)), original(m))[1]
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.fraction > 0, 20, "progress from the slow demo")
        assert screen.running and screen.query_one("#demo-run", Button).label.plain == "Running…"
        worker = screen._worker
        await pilot.press("escape")
        await wait_for(pilot, lambda: not screen.running, 10, "the cancel")
        assert worker.cancelled_event.is_set()
        ours = [m for m in seen if m in (RunProgress, RunFinished)]
        assert RunProgress in ours and ours[-1] is RunFinished and ours.count(RunFinished) == 1
        assert "Cancelled" in text(screen.query_one("#demo-status"))


def _total_keyed_4(card: str) -> NumericItem:
    """A demo-checked item whose key is wrong: the fixture demo fx-stream measures a total of 5."""
    return NumericItem.model_validate(
        {
            "id": "total",
            "card": card,
            "kind": "numeric",
            "answer": 4,
            "tolerance": {"abs": 0.01},
            "prompt": {"en": "What is the total with the defaults?"},
            "explanation": {"en": "The demo counts its steps."},
            "verify": {"demo": "fx-stream", "metric": "total"},
        }
    )


async def test_a_demo_checked_answer_stays_hidden_until_the_demo_ran_and_the_verdict_is_recorded(
    demo_plugins, fixture_pack
):
    """The key (wrongly 4 here) says the answer 4 is right; the demo measures 5, and its verdict is what counts."""
    from studyml.tui.screens.quiz import QuizScreen

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        card = a.services.pack("fixture").cards[0].id
        item = _total_keyed_4(card)
        await a.push_screen(QuizScreen("fixture", [item]))
        await pilot.pause()
        quiz = a.screen
        await pilot.press("4", "enter")
        await wait_for(pilot, lambda: quiz.answered and quiz.pending is not None, 30, "the grading")
        await pilot.pause()
        shown = text(quiz.query_one("#quiz-verdict"))
        assert "locked in" in shown and "✓" not in shown and "✗" not in shown
        assert quiz.query_one("#quiz-explanation").has_class("hidden")
        # Nor the score: it went up at once for an answer the key called right, giving the verdict away.
        assert "0 right" in text(quiz.query_one("#quiz-status")), text(quiz.query_one("#quiz-status"))
        await pilot.press("d")
        await pilot.pause()
        demo = a.screen
        assert type(demo).__name__ == "DemoScreen" and demo.query_one("#predict").state == "locked"
        await run_to_end(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert a.screen is quiz
        shown = text(quiz.query_one("#quiz-verdict"))
        assert "✗" in shown and "Judged against what the demo measured." in shown
        assert not quiz.query_one("#quiz-explanation").has_class("hidden")
        await pilot.press("n")
        await pilot.pause()
    with open_store() as store:
        attempts = store.quiz_attempts()
    assert [(q["item_id"], q["answer"], q["correct"]) for q in attempts] == [("total", "4", False)]


def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_palette_has_eight_colours_readable_on_dark_and_light():
    from studyml.tui.widgets.series_plot import PALETTE

    assert len(set(PALETTE)) >= 8
    for rgb in PALETTE:
        lum = _luminance(rgb)
        assert (lum + 0.05) / 0.05 >= 2 and 1.05 / (lum + 0.05) >= 2, rgb  # contrast on black and on white
    closest = min(
        sum((a - b) ** 2 for a, b in zip(p, q)) ** 0.5 for i, p in enumerate(PALETTE) for q in PALETTE[i + 1 :]
    )
    assert closest > 40


def _braille(plot) -> int:
    """Braille dots plotext drew in the plot area (the lines and points of the series)."""
    return sum(0x2801 <= ord(ch) <= 0x28FF for ch in plot.plt.build())


async def test_plots_follow_the_plugins_panels_with_colours_labels_and_axes_that_hold_the_data(demo_plugins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-panels")
        screen = a.screen
        await run_to_end(pilot)
        plot = screen.plot
        # Each declared panel is its own plot (estimates near 1.5 and errors near 1e-5 are apart); an
        # undeclared series gets a default panel.
        assert plot.groups() == ["loss", "estimate", "error", "default:"]
        assert plot.title == "Loss per optimizer" and plot.axes == ("step", "loss")
        labels = [label for label, *_ in plot.legend]
        assert labels == ["SGD", "MOMENTUM", "NESTEROV", "ADAGRAD", "RMSPROP", "ADAM", "ADAMW", "LION"]
        assert (
            len({rgb for _, rgb, _ in plot.legend}) == len({m for *_, m in plot.legend}) == 8
        )  # its own colour and mark
        caption = text(screen.query_one("#demo-plot-caption"))
        assert "SGD" in caption and "LION" in caption and "Plot 1 of 4" in caption  # the legend is under the plot
        assert _braille(plot) >= 20
        x0, x1, y0, y1 = plot.limits
        drawn = [(x, y) for xs, ys in plot.drawn.values() for x, y in zip(xs, ys)]
        assert drawn and all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in drawn)
        await pilot.press("p", "p")
        await pilot.pause()
        assert plot.title == "Error" and plot.axes == ("samples", "abs error (log scale)")  # said on the axis
        errors = plot.drawn["error"][1]
        assert errors and all(y > 0 for y in errors)  # the zero is not drawn below a log axis
        assert _braille(plot) >= 5  # and the rest is drawn (a log axis's limits are powers of ten in plotext)
        assert "1 point at or below zero not shown" in text(screen.query_one("#demo-plot-caption"))
        await pilot.press("L")
        await pilot.pause()
        assert plot.title == "오차" and plot.axes == ("표본", "절대 오차 (로그 눈금)")
        await pilot.press("p", "p")
        await pilot.pause()
        assert plot.title == "옵티마이저별 손실" and [label for label, *_ in plot.legend][0] == "SGD(ko)"


async def test_a_demo_without_plots_shows_no_empty_plot_box_after_its_run(demo_plugins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-noplot")
        screen = a.screen
        assert screen.plot.display  # an API 1.0 plugin may stream points: the box waits for them
        await run_to_end(pilot)
        assert screen.result.ok and not screen.plot.display
        assert text(screen.query_one("#demo-plot-caption")) == ""


def _visible(screen, selector: str) -> bool:
    widget = screen.query_one(selector)
    region = widget.region
    return widget.display and region.height > 0 and screen.region.contains_region(region)


def _footer_keys(screen) -> set[str]:
    return {key for key, active in screen.active_bindings.items() if active.binding.show}


async def test_the_screen_opens_at_the_top_and_a_field_runs_with_enter_then_run_again_has_focus(demo_plugins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-form")
        await pilot.pause()
        screen = a.screen
        assert screen.query_one("#demo-side").scroll_y == 0
        assert _visible(screen, "#demo-title") and _visible(screen, "#demo-summary")
        assert screen.focused is screen.query_one("#demo-run")
        assert {"r", "question_mark"} <= _footer_keys(screen) and "ctrl+r" not in _footer_keys(screen)
        screen.query_one("#param-width").focus()  # (below the fold: a click would land elsewhere)
        await pilot.pause()
        assert {"ctrl+r", "f1"} <= _footer_keys(screen)  # r and ? would be typed into the field
        await pilot.press("end", "backspace", "backspace", "8", "enter")
        await wait_for(pilot, lambda: screen.finished_runs == 1, 30, "the run started with Enter")
        await pilot.pause()
        assert screen.result.params["width"] == 8
        assert screen.focused is screen.query_one("#demo-run")
        assert "Run again" in str(screen.query_one("#demo-run", Button).label)


async def test_cross_field_errors_and_the_estimate_show_on_the_form_before_a_run(demo_plugins, monkeypatch):
    """The plugin's model validator (plugin code) is asked in the worker; its message shows before a run."""
    monkeypatch.setattr(demo_module.DemoScreen, "TIMEOUT", 60.0)  # the runner's 120 s, shortened
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-form")
        screen = a.screen
        await pilot.pause()
        estimate = screen.query_one("#demo-estimate")
        assert "about 1.2 s" in text(estimate) and not estimate.has_class("slow")  # 0.2 + 1000/1000
        screen.query_one("#param-n_min", Input).value = "5000"
        await wait_for(pilot, lambda: not screen.query_one("#demo-checks").has_class("hidden"), 30, "the check")
        assert "n_min (5000) must not exceed n_max (1000)" in text(screen.query_one("#demo-checks"))
        assert screen.query_one("#demo-run", Button).disabled
        screen.query_one("#param-n_max", Input).value = "40000"
        await wait_for(pilot, lambda: screen.query_one("#demo-checks").has_class("hidden"), 30, "the check to pass")
        assert not screen.query_one("#demo-run", Button).disabled
        assert "about 40 s" in text(estimate) and "more than 30 s" in text(estimate) and estimate.has_class("slow")
        # Past the time a run is given: it said "more than 30 s", started, and was stopped at 120 s.
        screen.query_one("#param-n_max", Input).value = "100000"
        await wait_for(pilot, lambda: "100 s" in text(estimate), 30, "the estimate")
        said = " ".join(text(estimate).split())
        assert "a run is stopped at 60 s" in said and "studyml demo run fx-form --timeout S" in said, said
        assert estimate.has_class("slow")


async def test_at_80_by_24_the_sidebar_narrows_so_plot_progress_and_claims_stay_in_view(demo_plugins):
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await open_demo(pilot, "fx-stream")
        screen = a.screen
        await run_to_end(pilot)
        assert screen.query_one("#demo-side").size.width <= 30
        assert screen.plot.size.width >= 40
        for selector in ("#demo-progress-row", "#demo-plot", "#demo-claims-heading"):
            assert _visible(screen, selector), selector
        claims = screen.query_one("#demo-claims")
        assert claims.region.y < 22  # the checklist starts on screen, above the footer


async def test_a_keymap_in_prefs_rebinds_a_demo_screen_key(demo_plugins, studyml_home):
    # The learner runs demos with g instead of r (prefs.json "keymap", by the binding's id `demo.run`).
    (studyml_home / "prefs.json").write_text(json.dumps({"lang": "en", "keymap": {"demo.run": "g"}}))
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-stream")
        screen = a.screen
        screen.query_one("#demo-run").focus()
        await pilot.press("r")
        await pilot.pause()
        assert not screen.running and screen.finished_runs == 0  # r no longer runs
        keys = {b.key: b.description for _, b, _, _ in screen.active_bindings.values()}
        assert keys.get("g") == "Run" and "r" not in keys
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.finished_runs == 1, 60, "the run started with g")
        await pilot.press("L")  # the rebound key keeps its label in the other language
        await pilot.pause()
        keys = {b.key: b.description for _, b, _, _ in screen.active_bindings.values()}
        assert keys.get("g") == "실행"


async def test_a_claim_checked_answer_keeps_its_grade_against_the_key_whatever_is_guessed_on_the_demo_screen(
    demo_plugins, fixture_pack
):
    # A wrong answer was marked correct once the learner guessed "Yes, it holds" on the demo screen, a question
    # that states the claim (a typed 5 for 1.49 got ✓).
    from studyml.tui.screens.quiz import QuizScreen
    from tests.tui.quizkeys import answer

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        item = claim_item().model_copy(update={"card": a.services.pack("fixture").cards[0].id})
        await a.push_screen(QuizScreen("fixture", [item]))
        await pilot.pause()
        quiz = a.screen
        await answer(pilot, item, right=False)  # "no": the key is "yes"
        await wait_for(pilot, lambda: quiz.answered and quiz.pending is not None, 30, "the grading")
        await pilot.press("d")
        await pilot.pause()
        demo = a.screen
        await pilot.click("#predict-yes")  # the right guess about the claim
        await wait_for(pilot, lambda: demo.prediction is True, 10, "the prediction")
        await run_to_end(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert a.screen is quiz
        shown = text(quiz.query_one("#quiz-verdict"))
        assert "✗" in shown and "the demo's run confirmed the claim" in shown, shown
        await pilot.press("n")
        await pilot.pause()
    with open_store() as store:
        attempts = store.quiz_attempts()
    assert [(q["item_id"], q["correct"]) for q in attempts] == [("few", False)]


async def test_r_before_a_prediction_says_what_is_missing_and_goes_to_it_at_80x24(demo_plugins):
    # r was dimmed and did nothing: at 80×24 the yes or no sits below the fold, and the learner was stuck.
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await open_demo(pilot, "fx-stream", predict_item=claim_item())
        screen = a.screen
        screen.query_one("#demo-run").focus()
        await pilot.press("r")
        await pilot.pause()
        assert any("Make your prediction before running the demo." in str(n.message) for n in a._notifications)
        assert a.focused is not None and a.focused.id == "predict-claim"
        assert screen.finished_runs == 0 and not screen.running


async def test_a_demo_that_overturns_the_key_proposes_by_the_learners_usual_time(
    demo_plugins, fixture_pack, monkeypatch
):
    """The key (wrongly 4) calls 5 wrong; the demo measures 5, so the answer is right and the rating is proposed again.
    That second proposal forgot the learner's usual time: 60 s against a usual 10 s was Good ("over 90 s" only)."""
    import studyml.quiz.rating as rating
    from studyml.tui.screens.quiz import QuizScreen

    monkeypatch.setattr(rating, "typical_ms", lambda durations: 10_000.0)  # the learner's usual: 10 s
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        card = a.services.pack("fixture").cards[0].id
        a.services.srs.review("fixture", card, 3)  # started: a quiz answer on it is a review (the default options)
        item = _total_keyed_4(card)
        await a.push_screen(QuizScreen("fixture", [item]))
        await pilot.pause()
        quiz = a.screen
        quiz.shown_at -= 60
        await pilot.press("5", "enter")
        await wait_for(pilot, lambda: quiz.answered and quiz.pending is not None, 30, "the grading")
        await pilot.press("d")
        await pilot.pause()
        await run_to_end(pilot)
        await pilot.press("escape")
        await pilot.pause()
        shown = text(quiz.query_one("#quiz-verdict"))
        assert "✓" in shown and "Rating: Hard" in shown and "over twice your usual 10 s" in shown, shown


async def test_the_footer_asking_about_the_plot_key_while_the_screen_closes_does_not_crash_the_app(demo_plugins):
    """CI saw the app close with NoMatches: the footer recomposed after the demo screen's widgets were gone, and its
    question "is `next plot` enabled?" looked the plot up with query_one."""
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-stream")
        screen = a.screen
        assert type(screen).__name__ == "DemoScreen"
        await screen.query_one("#demo-plot").remove()
        assert screen.check_action("next_plot", ()) is False
        await pilot.press("escape")
        await pilot.pause()
        assert a.is_running and type(a.screen).__name__ != "DemoScreen"


async def test_a_run_that_fails_after_one_that_passed_does_not_show_the_old_checkmarks(demo_plugins, monkeypatch):
    # A plugin edited to raise: the error stood above "2 of 2 claims hold" and the ✓ of the run before it.
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-stream")
        screen = a.screen
        await run_to_end(pilot)
        assert "2 of 2" in text(screen.query_one("#demo-claims"))
        assert not screen.query_one("#demo-metrics").has_class("hidden")

        def broken(*args, **kw):
            raise RuntimeError("plugin 'fx-stream' cannot be read: SyntaxError")

        monkeypatch.setattr(a.services.runner, "run", broken)
        await run_to_end(pilot)
        claims = text(screen.query_one("#demo-claims"))
        assert "SyntaxError" in text(screen.query_one("#demo-error"))
        assert "✓" not in claims and "2 of 2" not in claims and "○" in claims, claims
        assert screen.query_one("#demo-metrics").has_class("hidden")
        assert "Run again" not in str(screen.query_one("#demo-run", Button).label)


async def test_a_cancelled_run_shows_the_last_result_again_only_beside_the_parameters_that_gave_it(
    demo_plugins, monkeypatch
):
    from studyml.demos.runner import RunResult

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-stream")
        screen = a.screen
        await run_to_end(pilot)
        passed = screen.result.params

        def cancelled(plugin_id, values, **kw):
            return RunResult(plugin_id, dict(values), 0, error={"kind": "cancelled", "message": "cancelled"})

        monkeypatch.setattr(a.services.runner, "run", cancelled)
        await run_to_end(pilot)  # the same parameters: its result stands, plot and all
        assert screen.result is not None and screen.result.params == passed
        assert screen.plot.count() == 5, screen.plot.count()  # the partial run's plot stood above its verdicts
        assert "2 of 2" in text(screen.query_one("#demo-claims"))
        assert not screen.query_one("#demo-metrics").has_class("hidden")
        steps = screen.query_one("#param-steps", Input)
        steps.value = "7"
        await pilot.pause()
        await run_to_end(pilot)  # other parameters, cancelled: nothing was checked with them
        claims = text(screen.query_one("#demo-claims"))
        assert "✓" not in claims and "○" in claims, claims
        assert screen.query_one("#demo-metrics").has_class("hidden")


async def test_a_claims_detail_is_shown_beside_its_numbers(demo_plugins):
    # The plugin's why ("σ² left out (include_noise = off)") was printed by `demo run` and left out here, so a ✗ on
    # a true theorem read as the theorem failing.
    from studyml.tui.widgets.demo_claims import DemoClaims

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-stream")
        claims = a.screen.query_one(DemoClaims)
        claims.result(
            [
                {
                    "id": "sum-exceeds-target",
                    "passed": False,
                    "observed": {"total": 1},
                    "detail": {"en": "σ² left out", "ko": "σ²를 뺐습니다"},
                }
            ]
        )
        await pilot.pause()
        assert "σ² left out" in text(claims) and "뺐습니다" not in text(claims) and "total = 1" in text(claims)
        await pilot.press("L")  # in the learner's language
        await pilot.pause()
        assert "σ²를 뺐습니다" in text(claims) and "left out" not in text(claims)


async def test_a_long_metric_label_wraps_and_its_value_stays_in_view(demo_plugins):
    # "Smallest Hessian eigenvalue of the two-layer linear net at the origin" pushed the value column off screen.
    from studyml.demos.runner import RunResult
    from studyml.tui.widgets.demo_results import DemoResults

    long = "Smallest Hessian eigenvalue of the two-layer linear net at the examined point, a label of some length"
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await open_demo(pilot, "fx-stream")
        results = a.screen.query_one(DemoResults)
        results.metrics_meta = [{"id": "total", "label": {"en": long}}]
        results.show(RunResult("fx-stream", {}, 0, result={"metrics": {"total": -2.0}, "claims": []}))
        await pilot.pause()
        table = a.screen.query_one("#demo-metrics", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width, (table.virtual_size, table.size)
        shown = " ".join(table.render_line(y).text for y in range(table.size.height))
        assert "-2" in shown and "some length" in " ".join(shown.split()), shown


async def _locked_answer(pilot, practice: bool = False):
    """A quiz of a demo-checked item and a numeric one, the first answered right by its key and locked until its demo
    runs; returns the quiz screen and the second item."""
    from studyml.tui.screens.quiz import QuizScreen

    a = pilot.app
    await loaded(pilot)
    pack = a.services.pack("fixture")
    item = _total_keyed_4(pack.cards[0].id)
    other = next(i for i in pack.items if i.kind == "numeric")
    await a.push_screen(QuizScreen("fixture", [item, other], practice=practice))
    await pilot.pause()
    quiz = a.screen
    await pilot.press("4", "enter")  # right by the key, locked
    await wait_for(pilot, lambda: quiz.answered and quiz.pending is not None, 30, "the grading")
    return quiz, other


async def test_a_demo_checked_answer_skipped_while_locked_does_not_move_the_score(demo_plugins, fixture_pack):
    # Enter on a locked answer went to the next question, where "1 right" gave the hidden verdict away.
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        quiz, other = await _locked_answer(pilot)
        await pilot.press("enter")  # skip the demo
        await pilot.pause()
        assert quiz.item is other
        assert "0 right" in text(quiz.query_one("#quiz-status")), text(quiz.query_one("#quiz-status"))
        # The summary counts it, and says so: "8 of 10 right" under a header of 6 read as a miscount.
        quiz._summary()
        summary = quiz.query_one("#quiz-summary", Markdown).source
        assert "Answered and skipped before their demo ran" in summary and "- ✓ " in summary, summary


async def test_a_locked_answer_in_practice_is_not_counted_as_answered_either(demo_plugins, fixture_pack):
    # "Practice · 0 of 1 right" during the lock, and after a skip, read as wrong: the verdict given away.
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        quiz, _other = await _locked_answer(pilot, practice=True)
        assert "0 of 0 right" in text(quiz.query_one("#quiz-status")), text(quiz.query_one("#quiz-status"))
        await pilot.press("enter")  # skip the demo
        await pilot.pause()
        assert "0 of 0 right" in text(quiz.query_one("#quiz-status")), text(quiz.query_one("#quiz-status"))


async def test_a_tables_row_labels_are_shown_in_the_learners_language(demo_plugins):
    # A table's title and headers were Korean and its row labels ("train", "validation") English only: a cell could
    # not hold text in two languages.
    from studyml.demos.runner import RunResult
    from studyml.tui.widgets.demo_results import DemoResults

    table = {
        "title": {"en": "Losses", "ko": "손실"},
        "columns": [{"en": "split", "ko": "데이터"}, "MSE"],
        "rows": [[{"en": "train", "ko": "학습"}, 0.5], [{"en": "validation", "ko": "검증"}, 0.75]],
    }
    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-stream")
        results = a.screen.query_one(DemoResults)
        results.show(RunResult("fx-stream", {}, 0, result={"metrics": {}, "claims": [], "tables": [table]}))
        await pilot.pause()
        shown = a.screen.query_one("#demo-text", Markdown).source
        assert "학습" in shown and "검증" in shown and "0.75" in shown, shown
        assert "train" not in shown and "validation" not in shown and "'ko'" not in shown, shown
