"""The demo screen shows a plugin's per-language progress message in the learner's language, and relabels on L."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studyml.tui import navigation

from .helpers import SIZE, app, loaded
from .helpers import text as _text


async def test_a_per_language_progress_message_follows_the_learners_language(demo_plugins):
    from studyml.tui.widgets.run_status import RunStatus

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        navigation.demo(pilot.app, "fx-stream")
        await pilot.pause()
        status = a.screen.query_one(RunStatus)
        status.start()
        status.progress(0.3, {"en": "step 3 of 10", "ko": "10단계 중 3단계"})
        await pilot.pause()
        assert "step 3 of 10" in _text(a.screen.query_one("#demo-status"))
        await pilot.press("L")
        await pilot.pause()
        assert "10단계 중 3단계" in _text(a.screen.query_one("#demo-status"))
        status.progress(0.4, "plain text")  # an API 1.0/1.1 plugin's string: the same in every language
        await pilot.pause()
        assert "plain text" in _text(a.screen.query_one("#demo-status"))
