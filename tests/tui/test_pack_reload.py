"""The library reloads a pack whose files change while the app runs, keeping the learner's place and the last good version."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from studyml.content.scaffold import scaffold
from tests.content.packutil import card

from .helpers import SIZE, app, loaded, rows, settle, text


async def _recheck(pilot) -> None:
    pilot.app.screen.check_pack_files()  # what the 2-second timer does
    await settle(pilot)


@pytest.fixture(autouse=True)
def no_reload_timer(monkeypatch):
    """Only the test's own rechecks. The test failed once in a full run at load 3-5 (not reproduced alone); the
    likely cause is the 2-second timer's check running beside one of them, its result landing after the test
    had looked."""
    from studyml.tui.screens.library import LibraryScreen

    monkeypatch.setattr(LibraryScreen, "RELOAD_SECONDS", 3600.0)


async def test_an_edited_pack_is_reloaded_and_a_broken_edit_keeps_the_last_good_version(
    fixture_pack, tmp_path, monkeypatch
):
    writing = scaffold(tmp_path / "writing")  # a pack being written, shown through $STUDYML_PACKS
    monkeypatch.setenv("STUDYML_PACKS", str(writing))
    cards = writing / "cards" / "basics.yaml"
    quiz = writing / "quizzes" / "basics.yaml"
    (writing / "pack.yaml").write_text(
        (writing / "pack.yaml").read_text(encoding="utf-8").replace("My pack", "Draft"), encoding="utf-8"
    )
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        table = a.screen.query_one("#packs", DataTable)
        assert [r[:3] for r in rows(a.screen)] == [["My pack", "1", "6"], ["Draft", "1", "6"]]
        table.move_cursor(row=1)
        await pilot.pause()

        await _recheck(pilot)  # nothing changed: nothing reloaded
        assert [r[:3] for r in rows(a.screen)] == [["My pack", "1", "6"], ["Draft", "1", "6"]]

        cards.write_text(cards.read_text(encoding="utf-8") + card("tanh"), encoding="utf-8")
        await _recheck(pilot)
        assert [r[:3] for r in rows(a.screen)] == [["My pack", "1", "6"], ["Draft", "2", "6"]]
        assert table.cursor_row == 1  # still on the pack the learner was looking at

        quiz.write_text(quiz.read_text(encoding="utf-8").replace("  answer: a\n", "  answer: z\n", 1), encoding="utf-8")
        await _recheck(pilot)
        draft = rows(a.screen)[1]
        assert draft[0] == "⚠ Draft" and draft[1:3] == ["2", "6"]  # the last good version, marked
        detail = text(a.screen.query_one("#pack-detail-text"))
        assert "1 problem" in detail and "quizzes[0].answer" in detail and "basics.yaml" in detail
        assert a.services.pack("writing").card("tanh") is not None
        await pilot.press("enter")  # still studyable
        await pilot.pause()
        assert type(a.screen).__name__ == "StudyScreen" and a.screen.pack_id == "writing"
        await pilot.press("escape")
        await pilot.pause()

        quiz.write_text(quiz.read_text(encoding="utf-8").replace("  answer: z\n", "  answer: a\n", 1), encoding="utf-8")
        await _recheck(pilot)
        assert [r[:3] for r in rows(a.screen)] == [["My pack", "1", "6"], ["Draft", "2", "6"]]
        assert "problem" not in text(a.screen.query_one("#pack-detail-text"))
