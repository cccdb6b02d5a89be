"""Demo list and demo screen: form, run to the claims, cancel, failures, predict-then-run, isolation, snapshots."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Input, OptionList

from studyml.content.models import ChoiceItem, NumericItem
from studyml.srs.store import open_store
from studyml.tui import navigation
from studyml.tui.screens import demo as demo_module

from .helpers import SIZE, app, loaded, wait_for
from .helpers import text as _text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "demo_plugins"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_plugins(studyml_home, no_builtins) -> Path:
    """Only the fixture plugins (fast, no torch), so runs are quick and results stable."""
    shutil.copytree(FIXTURES, studyml_home / "plugins", dirs_exist_ok=True)
    return studyml_home / "plugins"


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
    return NumericItem.model_validate({
        "id": "total", "card": "c", "kind": "numeric", "answer": 5, "tolerance": {"abs": 0.01},
        "prompt": {"en": "What is the total with the defaults?", "ko": "기본값에서 합은?"},
        "explanation": {"en": "Five.", "ko": "5."}, "verify": {"demo": "fx-stream", **verify}})


def claim_item() -> ChoiceItem:
    return ChoiceItem.model_validate({
        "id": "few", "card": "c", "kind": "choice", "answer": "y",
        "choices": {"y": {"en": "yes"}, "n": {"en": "no"}},
        "prompt": {"en": "Does the default run take at most 20 steps?", "ko": "기본 실행은 20단계 이하인가?"},
        "explanation": {"en": "It takes 5."}, "verify": {"demo": "fx-stream", "claim": "few-steps"}})


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
        listing = str(options.get_option("fx-stream").prompt)
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
        assert [str(c) for c in table.get_row_at(0)] == ["total", "5"]
        assert screen.series["x"] == ([0, 1, 2, 3, 4], [1, 2, 3, 4, 5])
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
    with open_store() as store:
        runs = store.demo_runs()
    assert [(r["plugin_id"], r["params"]["steps"], r["ok"]) for r in runs] == [("fx-stream", 5, True), ("fx-stream", 30, False)]
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
        assert "ValueError: fixture failure 42" in text(error) and "exception" in text(error)
        await pilot.press("escape")
        await pilot.pause()
        await open_demo(pilot, "fx-stream")
        await run_to_end(pilot)
        assert "2 of 2" in text(a.screen.query_one("#demo-claims"))
    with open_store() as store:
        assert [(r["plugin_id"], r["ok"]) for r in store.demo_runs()] == [("fx-raise", False), ("fx-stream", True)]


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
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_demo(pilot, "fx-stream", predict_item=numeric_item(metric="total"))
        screen = a.screen
        assert "What is the total" in screen.query_one("#predict-prompt").source
        assert screen.query_one("#demo-run", Button).disabled  # predict first
        await pilot.click("#predict-number")
        await pilot.press("4", "enter")
        await wait_for(pilot, lambda: not screen.query_one("#demo-run", Button).disabled, 10, "the run button")
        await run_to_end(pilot)
        verdict = text(screen.query_one("#predict-verdict"))
        assert "✗ You predicted 4; the demo measured total = 5" in verdict
        screen.query_one("#predict-number", Input).value = "5"
        await pilot.click("#predict-number")
        await pilot.press("enter")
        await run_to_end(pilot)
        assert "✓ You predicted 5" in text(screen.query_one("#predict-verdict"))


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


def test_the_ui_process_never_imports_torch_or_sympy(demo_plugins, tmp_path):
    """A fresh process (this one may have imported torch in other tests) runs a torch+sympy demo in the UI."""
    script = tmp_path / "ui.py"
    script.write_text(textwrap.dedent("""
        import asyncio, json, sys, time
        from pathlib import Path
        from studyml import paths
        paths.builtin_plugins_dir = paths.builtin_content_dir = lambda: Path(sys.argv[1])
        from studyml.tui.app import StudyApp
        from studyml.tui import navigation

        async def main():
            a = StudyApp(warm_worker=False)
            async with a.run_test(size=(120, 40)) as pilot:
                await a.workers.wait_for_complete()
                before = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "sympy"))
                navigation.demo(a, "fx-torch")
                await pilot.pause()
                await pilot.press("r")
                deadline = time.monotonic() + 120
                while not a.screen.finished_runs and time.monotonic() < deadline:
                    await pilot.pause(0.1)
                claims = [c["passed"] for c in a.screen.result.claims] if a.screen.result else a.screen.result
                after = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "sympy"))
            print(json.dumps({"before": before, "after": after, "claims": claims}))

        asyncio.run(main())
    """))
    empty = tmp_path / "empty"
    empty.mkdir()
    out = subprocess.run([sys.executable, str(script), str(empty)], capture_output=True, text=True, timeout=180,
                         cwd=ROOT, env={**os.environ})
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"before": [], "after": [], "claims": [True, True]}


async def _ran(pilot) -> None:
    await open_demo(pilot, "fx-stream")
    await run_to_end(pilot)
    pilot.app.screen.query_one("#demo-run").focus()
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_demo_snapshot_after_a_run(demo_plugins, snap_compare, monkeypatch, lang):
    monkeypatch.setattr(demo_module, "SHOW_TIMING", False)
    assert snap_compare(app(lang=lang), terminal_size=SIZE, run_before=_ran)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_demo_list_snapshot(demo_plugins, snap_compare, lang):
    async def before(pilot):
        await loaded(pilot)
        await pilot.press("d")
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
        lr: float = Field(0.1, gt=0, le=1, description="Learning rate.", json_schema_extra={"description_ko": "학습률."})
        steps: int = Field(5, ge=1, le=9, description="Steps.")

    plugin = Plugin(id="x", title={"en": "x"}, summary={"en": "x"}, params=P,
                    claims=[ClaimSpec("c", {"en": "c"})], run=lambda p, ctx: None)
    lr, steps = describe_params(plugin)
    assert lr["descriptions"] == {"ko": "학습률."} and lr["description"] == "Learning rate."
    assert steps["descriptions"] == {}  # no translation: the form falls back to English
