"""The demo list: it says it is reading the plugins instead of freezing while a cold discovery runs."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import OptionList

import studyml.demos.runner as runner

from .helpers import SIZE, app, wait_for


@pytest.fixture
def held_discovery(monkeypatch):
    """Plugin discovery waits until the test sets the returned event (a cold first start, slowed down)."""
    gate = threading.Event()
    real = runner.discover

    def held():
        assert gate.wait(30), "the test never released discovery"
        return real()

    monkeypatch.setattr(runner, "discover", held)
    yield gate
    gate.set()


def _options(screen) -> list[str]:
    options = screen.query_one("#demo-options", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_list_says_it_is_reading_and_fills_when_discovery_ends(demo_plugins, held_discovery):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await wait_for(pilot, lambda: type(a.screen).__name__ == "DemoListScreen", 10, "the demo list")
        screen = a.screen
        assert _options(screen) == ["Reading the demo plugins (the first time takes a few seconds)…"]
        await pilot.press("L")  # the screen answers while discovery runs
        await pilot.pause()
        assert _options(screen) == ["데모 플러그인을 읽는 중입니다(처음에는 몇 초 걸립니다)…"]
        held_discovery.set()
        await wait_for(pilot, lambda: len(_options(screen)) > 1, 30, "the plugins")
        assert any("픽스처 양식" in o for o in _options(screen))
        assert screen.query_one("#demo-options", OptionList).highlighted == 0


async def test_going_back_before_discovery_ends_is_safe(demo_plugins, held_discovery):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await wait_for(pilot, lambda: type(a.screen).__name__ == "DemoListScreen", 10, "the demo list")
        await pilot.press("escape")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"
        held_discovery.set()
        await a.workers.wait_for_complete()
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"  # and no error from filling a closed list
