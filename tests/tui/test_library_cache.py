"""The library's first frame: the packs from the cached summary at once, then the validated packs replace them."""

from __future__ import annotations

import json
import threading

import pytest

from studyml.content.summary import cache_path
from studyml.tui.services import Services

from .helpers import SIZE, app, loaded, rows, settle, text, wait_for


@pytest.fixture
def held_load(monkeypatch):
    """The packs' load (validation) waits until the test sets the returned event."""
    gate = threading.Event()
    real = Services.load_packs

    def held(self):
        assert gate.wait(30), "the test never released the load"
        return real(self)

    monkeypatch.setattr(Services, "load_packs", held)
    yield gate
    gate.set()


def _cache_from_a_run() -> dict:
    from studyml.content.library import discover_packs
    from studyml.content.summary import write_summary

    write_summary(Services().pack_files_signature(), discover_packs())  # what a previous run leaves behind
    return json.loads(cache_path().read_text(encoding="utf-8"))


async def test_cached_packs_are_on_screen_before_the_load_finishes(fixture_pack, held_load):
    _cache_from_a_run()
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert a.services.packs is None  # not validated yet
        # pack, cards, quiz, due, new, mastery, source (no progress database yet: counts come with the load)
        assert rows(a.screen) == [["My pack", "1", "6", "–", "–", "–", "installed"]]
        assert "Checking the packs" in text(a.screen.query_one("#pack-detail-text"))
        held_load.set()
        await loaded(pilot)
        assert rows(a.screen) == [["My pack", "1", "6", "0", "1", "0%", "installed"]]
        assert "Checking" not in text(a.screen.query_one("#pack-detail-text"))


async def test_cached_rows_get_their_due_counts_from_the_store_before_validation(fixture_pack, held_load):
    _cache_from_a_run()
    from studyml.srs.store import open_store

    open_store().close()  # a learner who has a progress database
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(a.screen) and rows(a.screen)[0][3] != "–", 10, "due counts")
        assert a.services.packs is None
        assert rows(a.screen) == [["My pack", "1", "6", "0", "1", "0%", "installed"]]
        held_load.set()  # else quitting waits for the held load to give up


async def test_a_row_the_load_disagrees_with_shows_its_true_state_after_the_load(fixture_pack, broken_pack, held_load):
    data = _cache_from_a_run()
    # The cache says both packs are fine and "My pack" has another title; the files say otherwise.
    for row in data["packs"]:
        if row["id"] == "broken":
            row.update(ok=True, cards=1, items=6, card_ids=["sigmoid"], errors=[], error_count=0)
        else:
            row["title"] = {"en": "Stale title", "ko": "옛 제목"}
    cache_path().write_text(json.dumps(data), encoding="utf-8")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert sorted(r[0] for r in rows(a.screen)) == ["Broken pack", "Stale title"]
        held_load.set()
        await loaded(pilot)
        table = sorted(rows(a.screen))
        assert table[0][0] == "My pack" and table[0][1:3] == ["1", "6"]
        assert table[1][0] == "⚠ Broken pack" and table[1][-1] == "broken"


async def test_an_edited_pack_is_not_shown_from_the_stale_cache(fixture_pack, held_load):
    _cache_from_a_run()
    manifest = fixture_pack / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("My pack", "Renamed pack"), encoding="utf-8")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert rows(a.screen) == []  # the cached "My pack" is stale: never shown
        assert "Loading packs" in text(a.screen.query_one("#pack-detail-text"))
        held_load.set()
        await loaded(pilot)
        assert rows(a.screen)[0][0] == "Renamed pack"
    # The next start shows the new title at once.
    assert json.loads(cache_path().read_text(encoding="utf-8"))["packs"][0]["title"]["en"] == "Renamed pack"


async def test_a_corrupt_cache_is_ignored_and_replaced(fixture_pack, held_load):
    _cache_from_a_run()
    cache_path().write_bytes(b'{"format": 1, "packs": [{"title": 3}]')  # cut short mid-write
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert rows(a.screen) == []
        held_load.set()
        await loaded(pilot)
        assert rows(a.screen)[0][:3] == ["My pack", "1", "6"]
    assert Services().cached_packs()[0].title["en"] == "My pack"


async def test_enter_on_a_cached_row_studies_once_the_packs_are_loaded(fixture_pack, held_load):
    _cache_from_a_run()
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"  # nothing to study yet: it waits
        held_load.set()
        await wait_for(pilot, lambda: type(a.screen).__name__ == "StudyScreen", 10, "the study screen")
        await settle(pilot)


async def test_cached_rows_follow_the_language(fixture_pack, held_load):
    _cache_from_a_run()
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        assert rows(a.screen)[0][0] == "나의 팩" and rows(a.screen)[0][-1] == "설치됨"
        assert "팩을 확인하는 중" in text(a.screen.query_one("#pack-detail-text"))
        held_load.set()  # else quitting waits for the held load to give up
