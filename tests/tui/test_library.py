"""Library (home): packs with counts, broken packs, search, opening packs, quitting."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, OptionList

from .helpers import PACK_ID, SIZE, app, loaded, prompt_text, rows, text, type_text


async def test_lists_packs_with_card_and_quiz_counts_due_and_new(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert type(a.screen).__name__ == "LibraryScreen"
        # pack, cards, quiz, due, new, mastery, source
        assert rows(a.screen) == [["My pack", "1", "6", "0", "1", "0%", "installed"]]
        detail = text(a.screen.query_one("#pack-detail-text"))
        assert "My pack" in detail and "v0.1.0" in detail and "CC-BY-4.0" in detail


async def test_counts_follow_studying(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "space", "4")  # open, flip, Easy (due in days)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"
        assert rows(a.screen)[0][1:5] == ["1", "6", "0", "0"]  # nothing due, no new card left today


async def test_empty_library_says_how_to_make_a_pack(no_builtins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert rows(a.screen) == []
        assert "studyml pack new" in text(a.screen.query_one("#pack-detail-text"))


async def test_broken_pack_shows_its_errors_and_the_others_still_work(broken_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        table = rows(a.screen)
        assert len(table) == 2
        broken = next(r for r in table if "Broken pack" in r[0])
        assert broken[0].startswith("⚠") and broken[-1] == "broken" and broken[1:6] == ["–"] * 5
        good_row = next(i for i, r in enumerate(table) if r[0] == "My pack")
        bad_row = 1 - good_row
        a.screen.query_one("#packs", DataTable).move_cursor(row=bad_row)
        await pilot.pause()
        detail = a.screen.query_one("#pack-detail-text")
        assert detail.has_class("broken")
        assert "cannot be studied" in text(detail)
        assert "z" in text(detail) and "basics.yaml" in text(detail)  # the bad answer key and where it is
        await pilot.press("enter")  # a broken pack does not open
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"
        a.screen.query_one("#packs", DataTable).move_cursor(row=good_row)
        await pilot.pause()
        assert not a.screen.query_one("#pack-detail-text").has_class("broken")
        await pilot.press("enter")
        await pilot.pause()
        assert type(a.screen).__name__ == "StudyScreen"
        assert a.screen.pack_id == PACK_ID


async def _search(pilot, query: str) -> list:
    await pilot.press("slash")
    await pilot.pause()
    box = pilot.app.screen.query_one("#search", Input)
    assert box.has_focus and not box.has_class("hidden")
    await type_text(pilot, query)
    await pilot.pause()
    results = pilot.app.screen.query_one("#search-results", OptionList)
    return [prompt_text(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


async def _open_first_hit(query: str, expected_title: str, lang: str | None = None):
    a = app(lang=lang)
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        hits = await _search(pilot, query)
        assert len(hits) == 1 and expected_title in hits[0]
        await pilot.press("enter")  # to the results
        await pilot.pause()
        await pilot.press("enter")  # open the highlighted card
        await pilot.pause()
        screen = a.screen
        assert type(screen).__name__ == "StudyScreen"
        assert screen.single_card == "sigmoid" and screen.current == "sigmoid"
        assert expected_title in text(screen.query_one("#card-title"))
        await pilot.press("escape")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"


async def test_search_finds_a_card_by_an_english_word_and_opens_it(fixture_pack):
    await _open_first_hit("derivative", "The sigmoid function")


async def test_search_finds_a_card_by_a_korean_word_and_opens_it(fixture_pack):
    # Korean query, English UI: the hit shows in the UI language, the search looks in both.
    await _open_first_hit("도함수", "The sigmoid function")


async def test_search_finds_a_korean_term_written_without_its_space(fixture_pack):
    # 기울기 소실 found cards, 기울기소실 none: Korean spacing varies, and the same term is the same term.
    await _open_first_hit("시그모이드함수", "The sigmoid function")


async def test_search_in_korean_ui_shows_korean_titles(fixture_pack):
    await _open_first_hit("squashes", "시그모이드 함수", lang="ko")


async def test_search_without_a_match_says_so_and_esc_closes_it(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        hits = await _search(pilot, "transformer")
        assert hits == ["No card matches “transformer”."]
        await pilot.press("escape")
        await pilot.pause()
        assert a.screen.query_one("#search").has_class("hidden")
        assert a.screen.query_one("#packs").has_focus


async def test_keys_open_study_and_quiz(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert type(a.screen).__name__ == "StudyScreen"
        await pilot.press("escape", "t")
        await pilot.pause()
        assert type(a.screen).__name__ == "QuizSetupScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"


async def test_q_quits_from_the_library(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert a.return_code == 0
    assert not a.is_running


async def test_the_source_column_says_where_each_pack_comes_from(fixture_pack, tmp_path, monkeypatch):
    """Installed, from a Python package (`studyml.packs`), from a folder in $STUDYML_PACKS: as `pack list` says."""
    from studyml.content import packages
    from studyml.content.scaffold import scaffold

    def pack(folder, title):  # a pack whose id is the folder's name
        scaffold(folder)
        manifest = folder / "pack.yaml"
        manifest.write_text(manifest.read_text(encoding="utf-8").replace("My pack", title), encoding="utf-8")
        return folder

    shipped = pack(tmp_path / "site-packages" / "shipped", "Shipped pack")
    monkeypatch.setattr(packages, "package_packs", lambda: [packages.PackageRef("shipped", "pkg", shipped)])
    monkeypatch.setenv("STUDYML_PACKS", str(pack(tmp_path / "drafts" / "draft", "Draft pack")))
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert sorted((r[0], r[-1]) for r in rows(a.screen)) == [
            ("Draft pack", "folder"),
            ("My pack", "installed"),
            ("Shipped pack", "package"),
        ]


async def test_the_first_key_at_start_reaches_the_library_not_the_hidden_search(fixture_pack):
    """The search box is hidden until `/`, but it came first in the screen and took the focus at start: a `d`
    pressed before the packs were loaded was typed into it and opened nothing."""
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        assert not isinstance(a.screen.focused, Input)
        await pilot.press("d")
        await pilot.pause()
        assert type(a.screen).__name__ == "DemoListScreen"
        assert a.screen_stack[0].query_one("#search", Input).value == ""


async def test_a_python_package_whose_entry_point_names_no_pack_folder_is_listed_as_broken(
    fixture_pack, monkeypatch, tmp_path
):
    # `pack list` showed such a package as BROKEN, but the app's library left it out without a word.
    from studyml.content import packages

    declared = tmp_path / "studyml_pack_x-0.1.dist-info" / "entry_points.txt"
    ref = packages.PackageRef("x", "studyml-pack-x", None, "/site/studyml_pack_x/packs holds no pack.yaml", declared, 2)
    monkeypatch.setattr(packages, "package_packs", lambda: [ref])
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        table = rows(a.screen)
        assert [r[0] for r in table] == ["My pack", "⚠ x"] and table[1][-1] == "broken"
        a.screen.query_one("#packs", DataTable).move_cursor(row=1)
        await pilot.pause()
        detail = text(a.screen.query_one("#pack-detail-text"))
        assert (
            f"{declared}:2:1: studyml.packs.x: studyml-pack-x: /site/studyml_pack_x/packs holds no pack.yaml" in detail
        )
        assert "package data" in detail


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_the_keys_line_under_a_pack_breaks_between_keys_not_inside_one_at_80_columns(fixture_pack, lang):
    # "… d: demos · o:" ended one line and "study options" began the next.
    from textual.widgets import Static

    a = app(lang=lang)
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        widget = a.screen.query_one("#pack-detail-text", Static)
        lines = [
            "".join(seg.text for seg in widget.render_line(y)).replace("\xa0", " ").rstrip()
            for y in range(widget.size.height)
        ]
        keys_lines = [line for line in lines if ": " in line and " · " in line]
        assert len(keys_lines) >= 2, lines  # it does wrap at 80 columns
        assert not any(line.endswith(":") for line in lines), lines
