"""The demo screen survives what a plugin streams or returns, and what a card passes as parameters."""

from __future__ import annotations

import time

import pytest

from studyml.tui import navigation
from tests.tui.helpers import app, loaded, text, wait_for

from .helpers import add_plugins

pytestmark = pytest.mark.slow


@pytest.fixture
def running_plugins(studyml_home, no_builtins):
    add_plugins(studyml_home, "running")
    return studyml_home / "plugins"


async def _open(pilot, plugin_id: str, **kw):
    await loaded(pilot)
    navigation.demo(pilot.app, plugin_id, **kw)
    await pilot.pause()
    return pilot.app.screen


async def _run(pilot, screen, timeout: float = 120) -> None:
    done = screen.finished_runs
    screen.query_one("#demo-run").focus()
    await pilot.press("r")
    await wait_for(pilot, lambda: screen.finished_runs > done, timeout, "the run to finish")
    await pilot.pause()


async def test_non_finite_points_are_skipped_and_counted_not_a_crash(running_plugins):
    a = app()
    async with a.run_test() as pilot:
        screen = await _open(pilot, "fx-nonfinite")
        await _run(pilot, screen)
        assert screen.result is not None and screen.result.ok
        caption = text(screen.query_one("#demo-plot-caption"))
        assert "13 non-finite points" in caption  # 3 infinite losses, a series all NaN (under the legend)
        assert list(screen.plot.series["loss"][1]) == [1.0, 0.5, 1 / 3, 0.2, 1 / 7, 1 / 9, 0.1]
        assert a.is_running


async def test_a_million_points_finish_and_the_app_keeps_answering(running_plugins):
    """The stream is coalesced; the event loop is never blocked for long (see benchmarks/demo_flood.py)."""
    a = app()
    async with a.run_test() as pilot:
        screen = await _open(pilot, "fx-flood")
        gaps, last = [], [time.monotonic()]

        def tick():
            now = time.monotonic()
            gaps.append(now - last[0])
            last[0] = now

        timer = screen.set_interval(0.02, tick)
        await _run(pilot, screen, timeout=110)
        timer.stop()
        print(f"longest event-loop stall during the flood: {max(gaps):.3f} s")
        assert screen.result is not None and screen.result.ok, screen.result and screen.result.error
        assert len(screen.result.result["series"]["flood"]) == 1_000_000
        assert screen.plot.count() == 1_000_000
        return max(gaps)


async def test_a_text_call_with_a_number_is_an_error_naming_the_call(running_plugins):
    a = app()
    async with a.run_test() as pilot:
        screen = await _open(pilot, "fx-badresult", params={"kind": "text"})
        await _run(pilot, screen)
        error = text(screen.query_one("#demo-error"))
        assert "ctx.text(12345)" in error
        assert screen.result is None and a.is_running


async def test_a_bad_initial_choice_from_a_card_falls_back_to_the_default_and_says_why(running_plugins):
    a = app()
    async with a.run_test() as pilot:
        screen = await _open(pilot, "fx-badresult", params={"kind": "hinge"})
        form_error = text(screen.query_one("#error-kind"))
        assert "hinge" in form_error and "tuple-key" in form_error
        assert screen.query_one("#param-kind").value == "tuple-key"
        assert a.is_running


async def test_a_bad_initial_number_from_a_card_falls_back_to_the_default_and_says_why(running_plugins):
    a = app()
    async with a.run_test() as pilot:
        screen = await _open(pilot, "fx-flood", params={"points": "many"})
        assert "many" in text(screen.query_one("#error-points"))
        assert screen.query_one("#param-points").value == "1000000"
        assert not screen.query_one("#demo-run").disabled


@pytest.mark.parametrize("sig, mark", [("SIGHUP", 779101), ("SIGTERM", 779201)], ids=["hup", "term"])
async def test_a_closed_terminal_stops_the_app_and_what_its_demo_started(running_plugins, sig, mark):
    # Closing the terminal mid-run (SIGHUP) killed the app at once: its worker died with it (the kernel kills it)
    # and the processes the plugin had started lived on, orphaned.
    import os
    import signal

    from .helpers import kill_all, processes_with

    children = (f"sleep {mark}", f"sleep {mark + 1}")
    before = signal.getsignal(getattr(signal, sig))
    a = app()
    try:
        async with a.run_test() as pilot:
            screen = await _open(pilot, "fx-children", params={"hang": True, "mark": mark})
            screen.query_one("#demo-run").focus()
            await pilot.press("r")
            await wait_for(pilot, lambda: bool(processes_with(children[1])), 60, "the plugin's children")
            os.kill(os.getpid(), getattr(signal, sig))
            await wait_for(pilot, lambda: not a.is_running, 20, "the app to exit")
        deadline = time.monotonic() + 5
        while (processes_with(children[0]) or processes_with(children[1])) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_with(children[0]) + processes_with(children[1]) == []
        assert signal.getsignal(getattr(signal, sig)) == before  # this process's handler is given back
    finally:
        kill_all(processes_with(children[0]) + processes_with(children[1]))
