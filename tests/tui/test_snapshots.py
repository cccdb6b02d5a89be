"""SVG snapshots of every screen, in English and Korean (pytest-textual-snapshot).

Deterministic by construction: only the fixture pack (no built-in content or plugins), no warm worker,
no shuffled quiz order, file names in diagnostics shown relative to the data dir, and a frozen study clock.
Update with `pytest tests/tui/test_snapshots.py --snapshot-update`, then look at every changed SVG.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from types import SimpleNamespace

import pytest

from .helpers import PACK_ID, SIZE, loaded, settle, type_text, wait_for
from .quizkeys import answer

LANGS = pytest.mark.parametrize("lang", ["en", "ko"])


@pytest.fixture
def snap(snap_compare, fixture_pack, monkeypatch):
    """snap(lang, steps): the app in `lang`, packs loaded, then `steps(pilot)` run, then compared."""
    import studyml.content.library as library
    import studyml.tui.screens.study as study

    load_pack = library.load_pack
    monkeypatch.setattr(
        library, "load_pack", lambda folder, **kw: load_pack(folder, display_root=Path("packs") / folder.name, **kw)
    )
    monkeypatch.setattr(study, "time", SimpleNamespace(monotonic=lambda: 1000.0))  # "0.0 min" in summaries
    from studyml.srs.scheduler import Settings
    from studyml.srs.store import open_store

    with open_store() as store:  # no fuzz: a done screen says when the next card is due, the same every run
        Settings(enable_fuzzing=False).save(store)

    def compare(lang: str, steps=None, press=()) -> bool:
        from studyml.tui.app import StudyApp

        async def run_before(pilot):
            await loaded(pilot)  # the packs, not just the workers: under app.run the pilot can start before them
            if steps is not None:
                await steps(pilot)
            await settle(pilot)

        return snap_compare(
            StudyApp(lang=lang, warm_worker=False), press=press, terminal_size=SIZE, run_before=run_before
        )

    return compare


async def _quiz(pilot, kinds):
    from studyml.tui.screens.quiz import QuizScreen

    pack = pilot.app.services.pack(PACK_ID)
    await pilot.app.push_screen(QuizScreen(PACK_ID, [i for i in pack.items if i.kind in kinds]))
    await pilot.pause()
    await pilot.pause()
    return pilot.app.screen


async def _answer_and_wait(pilot, screen, right: bool, lang: str):
    item = screen.item
    n = len(screen.results)
    await answer(pilot, item, right, lang)
    await wait_for(pilot, lambda: len(screen.results) > n and screen.query_one("#quiz-answer").disabled, 60, "grading")
    await settle(pilot)


@LANGS
class TestLibrary:
    def test_library(self, snap, lang):
        assert snap(lang)

    def test_broken_pack(self, snap, broken_pack, lang):
        # Packs are listed by folder: "broken" comes first and is highlighted, its errors below.
        assert snap(lang)

    def test_search(self, snap, lang):
        async def steps(pilot):
            await pilot.press("slash")
            await type_text(pilot, "시그모이드" if lang == "ko" else "sigmoid")

        assert snap(lang, steps)


@LANGS
class TestStudyFront:
    def test_front(self, snap, lang):
        assert snap(lang, press=["enter"])


@LANGS
class TestStudyBack:
    def test_back_with_ratings(self, snap, lang):
        assert snap(lang, press=["enter", "space"])


@LANGS
class TestStudySummary:
    def test_summary(self, snap, lang):
        assert snap(lang, press=["enter", "space", "4"])

    def test_nothing_due(self, snap, lang):
        assert snap(lang, press=["enter", "space", "4", "escape", "enter"])


@LANGS
class TestQuizSetup:
    def test_setup(self, snap, lang):
        assert snap(lang, press=["t"])


@LANGS
class TestQuizChoice:
    def test_choice(self, snap, lang):
        async def steps(pilot):
            await _quiz(pilot, ["choice"])

        assert snap(lang, steps)


@LANGS
class TestQuizOrder:
    def test_order(self, snap, lang):
        async def steps(pilot):
            await _quiz(pilot, ["order"])

        assert snap(lang, steps)


@LANGS
class TestQuizExpr:
    def test_expr_live_preview(self, snap, lang):
        async def steps(pilot):
            await _quiz(pilot, ["expr"])
            await type_text(pilot, "exp(-x)/(1+exp(-x))^2")

        assert snap(lang, steps)


@LANGS
class TestQuizFeedback:
    def test_wrong_answer(self, snap, lang):
        async def steps(pilot):
            screen = await _quiz(pilot, ["multi"])
            await _answer_and_wait(pilot, screen, False, lang)

        assert snap(lang, steps)

    def test_right_answer(self, snap, lang):
        async def steps(pilot):
            screen = await _quiz(pilot, ["numeric"])
            await _answer_and_wait(pilot, screen, True, lang)

        assert snap(lang, steps)


@LANGS
class TestQuizSummary:
    def test_summary_with_missed_items(self, snap, lang):
        async def steps(pilot):
            screen = await _quiz(pilot, ["choice", "multi", "numeric", "text"])
            for right in (True, False, False, True):
                await _answer_and_wait(pilot, screen, right, lang)
                await pilot.press("n")
                await pilot.pause()

        assert snap(lang, steps)


@LANGS
class TestHelpPanel:
    def test_help_on_library(self, snap, lang):
        assert snap(lang, press=["question_mark"])

    def test_help_on_study(self, snap, lang):
        assert snap(lang, press=["enter", "space", "question_mark"])


# -- study options and card info --------------------------------------------------------------------


@LANGS
class TestStudyOptions:
    def test_options(self, snap, lang):
        assert snap(lang, press=["o"])


@pytest.fixture
def utc_clock(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


@LANGS
class TestCardInfo:
    def test_card_info(self, snap, lang, utc_clock):
        from datetime import datetime, timedelta

        from studyml.srs.scheduler import Scheduler, Settings
        from studyml.srs.store import open_store

        start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        with open_store() as store:
            s = Scheduler(store, Settings(enable_fuzzing=False))
            s.review(PACK_ID, "sigmoid", 3, now=start)
            s.review(PACK_ID, "sigmoid", 3, now=start + timedelta(minutes=10))
            s.review(PACK_ID, "sigmoid", 2, now=start + timedelta(days=3))
            store.set_card_action(PACK_ID, "sigmoid", flag=3)

        async def steps(pilot):
            from studyml.tui.screens.card_info import CardInfoScreen

            await pilot.app.push_screen(CardInfoScreen(PACK_ID, "sigmoid", now=start + timedelta(days=5)))
            await pilot.pause()

        assert snap(lang, steps)


@LANGS
class TestBrowser:
    def test_browser(self, snap, lang, utc_clock):
        from datetime import datetime, timedelta

        from studyml.srs.scheduler import Scheduler, Settings
        from studyml.srs.store import open_store

        now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
        with open_store() as store:
            Scheduler(store, Settings(enable_fuzzing=False)).review(PACK_ID, "sigmoid", 3, now=now - timedelta(days=3))
            store.set_card_action(PACK_ID, "sigmoid", flag=1)

        async def steps(pilot):
            from studyml.tui.screens.browser import BrowserScreen

            await pilot.app.push_screen(BrowserScreen(now=now))
            await pilot.pause()

        assert snap(lang, steps)
