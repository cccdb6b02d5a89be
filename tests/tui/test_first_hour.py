"""What a new learner met in the first hour (issue 11, "Broken"): each scenario is the one that showed it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, ListView, OptionList

from studyml.tui import navigation

from .helpers import SIZE, app, loaded, prompt_text, text, type_text, wait_for

# -- search ---------------------------------------------------------------------------------------


async def test_one_enter_opens_a_hit_and_esc_returns_to_the_results(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        await type_text(pilot, "sigmoid")
        await pilot.press("enter")  # one Enter: the top hit opens
        await pilot.pause()
        assert type(a.screen).__name__ == "StudyScreen" and a.screen.current == "sigmoid"
        await pilot.press("escape")
        await pilot.pause()
        library = a.screen
        results = library.query_one("#search-results", OptionList)
        assert results.has_focus and results.highlighted == 0
        await pilot.press("enter")  # the results take keys again: the hit opens a second time
        await pilot.pause()
        assert type(a.screen).__name__ == "StudyScreen"


async def test_q_in_the_search_results_does_not_quit(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        await type_text(pilot, "sigmoid")
        a.screen.query_one("#search-results").focus()
        await pilot.press("q")
        await pilot.pause()
        assert a.is_running and type(a.screen).__name__ == "LibraryScreen"
        await pilot.press("escape", "q")  # out of the search, q quits as before
        await pilot.pause()
    assert not a.is_running


# -- demos ----------------------------------------------------------------------------------------


async def test_the_demo_list_opens_the_first_demo_on_enter(demo_plugins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await pilot.pause()
        options = a.screen.query_one(OptionList)
        assert options.highlighted == 0
        first = options.get_option_at_index(0).id
        await pilot.press("enter")
        await pilot.pause()
        assert type(a.screen).__name__ == "DemoScreen" and a.screen.plugin_id == first


async def _run_to_end(pilot) -> None:
    screen = pilot.app.screen
    done = screen.finished_runs
    screen.query_one("#demo-run").focus()
    await pilot.press("r")
    await wait_for(pilot, lambda: screen.finished_runs > done, 60, "the run to finish")
    await pilot.pause()


async def test_esc_leaves_the_parameter_field_first_and_a_demo_remembers_its_result(demo_plugins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        navigation.demo(a, "fx-stream")
        await pilot.pause()
        screen = a.screen
        await _run_to_end(pilot)
        assert screen.result is not None
        await pilot.click("#param-steps")
        await pilot.press("end", "backspace", "9")
        await pilot.pause()
        await pilot.press("escape")  # leaves the field, not the screen
        await pilot.pause()
        assert a.screen is screen and not screen.query_one("#param-steps", Input).has_focus
        assert screen.query_one("#param-steps", Input).value == "9"
        await pilot.press("escape")  # now back to the library
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"
        navigation.demo(a, "fx-stream")
        await pilot.pause()
        again = a.screen
        assert again is not screen and again.result is not None  # the last result is shown again
        assert again.query_one("#param-steps", Input).value == "9"  # and the edit is kept
        assert again.query_one("#demo-metrics").display and not again.query_one("#demo-metrics").has_class("hidden")


# -- study ----------------------------------------------------------------------------------------


async def test_the_study_summary_leaves_out_undone_ratings(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await pilot.pause()
        screen = a.screen
        await pilot.press("space", "1", "u")
        await pilot.pause()
        await pilot.press("space", "4")
        await pilot.pause()
        summary = text(screen.query_one("#study-message"))
        assert "1 review in" in summary
        assert "Again: 0" in summary and "Easy: 1" in summary


# -- quiz: order items ----------------------------------------------------------------------------


async def test_an_order_step_stays_highlighted_after_a_move(fixture_pack, no_shuffle):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        pack = a.services.pack("fixture")
        order_item = next(i for i in pack.items if i.kind == "order")
        from studyml.tui.screens.quiz import QuizScreen

        a.push_screen(QuizScreen("fixture", [order_item]))
        await pilot.pause()
        await pilot.pause()
        view = a.screen.query_one("#answer-order", ListView)
        widget = a.screen.query_one("#answer")
        before = list(widget.order)
        for key, expect in (("shift+down", 1), ("J", 2), ("shift+up", 1), ("K", 0)):
            await pilot.press(key)
            await pilot.pause()
            assert view.index == expect
            assert view.highlighted_child is not None and view.highlighted_child.highlighted
            shown = [text(s) for s in view.query(".order-step").results()]
            assert shown == [f"{p + 1}. {pack_step(order_item, widget.order[p])}" for p in range(len(before))]
        assert widget.order == before


def pack_step(item, index: int) -> str:
    from studyml.content.mathtext import render_math

    return render_math(item.steps[index]["en"])


# -- command palette ------------------------------------------------------------------------------


async def _palette(pilot, query: str) -> list[str]:
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), 5, "the command palette")
    await type_text(pilot, query)
    results = pilot.app.screen.query_one(CommandList)
    await wait_for(pilot, lambda: results.option_count > 0, 5, "palette results")
    await pilot.pause(0.3)
    return [prompt_text(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


async def _choose(pilot, prompts: list[str], wanted: str) -> None:
    results = pilot.app.screen.query_one("CommandList")
    results.highlighted = next(i for i, p in enumerate(prompts) if p.splitlines()[0].strip() == wanted)
    await pilot.press("enter")
    await pilot.pause()


async def test_palette_goes_to_the_library_and_searches_cards(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("i")  # stats, on top of the library
        await pilot.pause()
        prompts = await _palette(pilot, "library")
        await _choose(pilot, prompts, "Go to the library")
        await wait_for(pilot, lambda: type(a.screen).__name__ == "LibraryScreen", 5, "the library")
        navigation.study(a, "fixture")
        await pilot.pause()
        prompts = await _palette(pilot, "Search cards")
        await _choose(pilot, prompts, "Search cards")
        await wait_for(pilot, lambda: type(a.screen).__name__ == "LibraryScreen", 5, "the library")
        await pilot.pause()
        box = a.screen.query_one("#search", Input)
        assert not box.has_class("hidden") and box.has_focus


async def test_palette_lists_statistics_once(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        prompts = await _palette(pilot, "")  # the list shown before typing
        assert sum(p.splitlines()[0].strip() == "Show statistics" for p in prompts) == 1, prompts


async def test_textuals_own_palette_entries_follow_the_language(fixture_pack):
    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        prompts = await _palette(pilot, "테마")
        assert any("테마" in p and "화면 테마를 바꿉니다" in p for p in prompts), prompts
        await pilot.press("escape")
        await pilot.pause()
        prompts = await _palette(pilot, "스크린숏")
        assert any("스크린숏" in p for p in prompts), prompts
        assert not any("Screenshot" in p or "Theme" in p for p in prompts)


# -- L switches everything on screen ----------------------------------------------------------------


async def test_L_switches_demo_parameter_help_and_allowed_lines(demo_plugins):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        navigation.demo(a, "fx-stream")
        await pilot.pause()
        screen = a.screen
        shown = text(screen.query_one("#help-steps"))
        assert "Allowed: int 1 ≤ steps ≤ 50" in shown
        screen.query_one("#demo-run").focus()
        await pilot.press("L")
        await pilot.pause()
        shown = text(screen.query_one("#help-steps"))
        # The type word too: the Korean screen said "허용 범위: int 1 ≤ steps ≤ 50".
        assert "허용 범위: 정수 1 ≤ steps ≤ 50" in shown and "Allowed" not in shown and "int" not in shown


async def test_L_switches_textuals_own_key_help_of_the_focused_widget(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("slash")  # the search box: Textual's Input keys
        await pilot.pause()
        descriptions = {b.description for _, b, _, _ in a.screen.active_bindings.values()}
        assert "커서 왼쪽으로" in descriptions or "왼쪽 글자 지우기" in descriptions, descriptions
        assert not descriptions & {"Delete character left", "Move cursor left"}


async def test_search_results_show_why_they_matched_the_pack_title_and_the_count(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        await type_text(pilot, "derivative")
        await pilot.pause()
        screen = a.screen
        results = screen.query_one("#search-results", OptionList)
        from rich.console import Console

        prompt = results.get_option_at_index(0).prompt
        plain = prompt_text(prompt)
        assert "My pack" in plain and "fixture ·" not in plain  # the pack's title, not its id
        assert "derivative" in plain.lower()
        # The matched word is highlighted (reverse video) in what the learner sees.
        console = Console(width=200)
        spans = [seg.text for seg in console.render(prompt) if seg.style and seg.style.reverse]
        assert [s.lower() for s in spans] == ["derivative"], (plain, spans)
        assert text(screen.query_one("#search-count")) == "1 card"
