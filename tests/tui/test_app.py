"""App-wide: language switch (remembered), help panel, quitting and going back, command palette, isolation."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .helpers import SIZE, app, loaded, prompt_text, rows, text, type_text, wait_for

ROOT = Path(__file__).resolve().parents[2]


async def test_L_switches_ui_and_content_language_and_is_remembered(fixture_pack, studyml_home):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert a.lang == "en" and text(a.screen.query_one("#library-heading")) == "Your packs"
        await pilot.press("L")
        await pilot.pause()
        assert a.lang == "ko"
        assert text(a.screen.query_one("#library-heading")) == "내 학습 팩"
        assert rows(a.screen)[0][0] == "나의 팩"  # content: the pack's Korean title
        assert rows(a.screen)[0][-1] == "설치됨"
        assert a.sub_title == "머신러닝 공부"
        footer_keys = {b.description for _, b, enabled, _ in a.screen.active_bindings.values()}
        assert {"종료", "학습", "퀴즈", "검색"} <= footer_keys
    assert json.loads((studyml_home / "prefs.json").read_text()) == {"lang": "ko"}

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert a.lang == "ko"
        assert text(a.screen.query_one("#library-heading")) == "내 학습 팩"
        await pilot.press("L")
        await pilot.pause()
        assert a.lang == "en" and rows(a.screen)[0][0] == "My pack"
    assert json.loads((studyml_home / "prefs.json").read_text()) == {"lang": "en"}


async def test_lang_argument_wins_and_is_saved(fixture_pack, studyml_home):
    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert a.lang == "ko"
    assert json.loads((studyml_home / "prefs.json").read_text()) == {"lang": "ko"}


@pytest.mark.parametrize("where", ["library", "study", "quiz-setup"])
async def test_question_mark_toggles_the_help_panel(fixture_pack, where):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        if where == "study":
            await pilot.press("enter")
        elif where == "quiz-setup":
            await pilot.press("t")
        await pilot.pause()
        assert not a.screen.query("HelpPanel")
        await pilot.press("question_mark")
        await pilot.pause()
        panel = a.screen.query("HelpPanel")
        assert panel, "no help panel"
        await pilot.press("question_mark")
        await pilot.pause()
        assert not a.screen.query("HelpPanel")


async def test_help_panel_lists_the_screens_keys_before_the_tables_cursor_keys(fixture_pack):
    """At 80×24 the library's panel showed fourteen cursor keys of its table, and Study, Quiz… below the fold."""
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        table = a.screen.query_one("HelpPanel BindingsTable")
        shown = prompt_text(table.render_bindings_table())
        for own in ("Study", "Quiz", "Demos", "Search", "Keys"):
            assert own in shown and shown.index(own) < shown.index("Cursor up"), shown


async def test_help_panel_lists_the_screens_keys_in_korean(fixture_pack):
    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert a.screen.query("HelpPanel")
        descriptions = {b.description for _, b, _, _ in a.screen.active_bindings.values()}
        assert {"종료", "학습", "퀴즈", "검색", "단축키", "English"} <= descriptions


async def test_q_quits_from_the_library_and_esc_goes_back_from_inner_screens(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        # The library is the app's default screen, not pushed over a blank one: escape cannot leave it empty.
        assert [type(s).__name__ for s in a.screen_stack] == ["LibraryScreen"]
        for key in ("enter", "t"):
            await pilot.press(key)
            await pilot.pause()
            assert type(a.screen).__name__ != "LibraryScreen"
            await pilot.press("escape")
            await pilot.pause()
            assert type(a.screen).__name__ == "LibraryScreen"
        assert a.is_running
        await pilot.press("q")
        await pilot.pause()
    assert not a.is_running and a.return_code == 0


async def _palette_prompts(pilot, query: str) -> list[str]:
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), 5, "the command palette")
    await type_text(pilot, query)
    results = pilot.app.screen.query_one(CommandList)
    await wait_for(pilot, lambda: results.option_count > 0, 5, "palette results")
    await pilot.pause(0.2)
    return [prompt_text(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


async def test_palette_lists_study_pack_and_opens_it(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        prompts = await _palette_prompts(pilot, "Study")
        assert any("Study My pack" in p for p in prompts), prompts
        results = a.screen.query_one("CommandList")
        index = next(i for i, p in enumerate(prompts) if "Study My pack" in p)
        results.highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(a.screen).__name__ == "StudyScreen", 5, "the study screen")
        assert a.screen.pack_id == "fixture"


async def test_palette_quiz_and_language_commands(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        prompts = await _palette_prompts(pilot, "Quiz on")
        assert any("Quiz on My pack" in p for p in prompts), prompts
        await pilot.press("escape")
        await pilot.pause()
        prompts = await _palette_prompts(pilot, "Switch language")
        assert prompts and "Switch language" in prompts[0]
        await pilot.press("enter")
        await wait_for(pilot, lambda: a.lang == "ko", 5, "Korean")
        await pilot.pause()
        prompts = await _palette_prompts(pilot, "학습")
        assert any("나의 팩 학습" in p for p in prompts), prompts


# -- isolation: torch and sympy stay out of the UI process ------------------------------------------

PROBE = textwrap.dedent("""
    import asyncio, json, shutil, sys, time
    from pathlib import Path
    from studyml.content.scaffold import scaffold
    from studyml import paths

    scaffold(paths.packs_dir() / "fixture")
    shutil.copytree(sys.argv[1], paths.plugins_dir())  # fx-torch imports torch and sympy in its run
    from studyml.tui.app import StudyApp
    from studyml.tui import navigation
    from studyml.tui.screens.quiz import QuizScreen

    report = {}

    def heavy():
        return sorted(m for m in ("torch", "sympy") if m in sys.modules)

    async def main():
        app = StudyApp()  # the real default: the warm worker starts after the first frame
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            report["startup"] = heavy()
            report["warm_started"] = app.services._runner is not None
            pack = app.services.pack("fixture")
            item = next(i for i in pack.items if i.kind == "expr")
            await app.push_screen(QuizScreen("fixture", [item]))
            await pilot.pause()
            await pilot.press(*"sigmoid(x)*(1-sigmoid(x))", "enter")
            screen = app.screen
            for _ in range(1200):
                if screen.results:
                    break
                await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            report["expr_correct"] = [ok for _, ok in screen.results]
            report["after_expr"] = heavy()
            # A torch and sympy demo run from the demo screen: in the worker, through the app's runner.
            navigation.demo(app, "fx-torch")
            await pilot.pause()
            demo = app.screen
            demo.query_one("#demo-run").focus()
            await pilot.press("r")
            deadline = time.monotonic() + 120
            while not demo.finished_runs and time.monotonic() < deadline:
                await pilot.pause(0.1)
            report["demo_claims"] = [c["passed"] for c in demo.result.claims] if demo.result else None
            report["after_demo"] = heavy()

    asyncio.run(main())
    print("REPORT " + json.dumps(report))
""")


@pytest.mark.slow
def test_ui_process_never_imports_torch_or_sympy(studyml_home):
    """A fresh process (this one may have imported torch in other tests): start, expr grading, a torch demo.

    It also stands for the demo screen's own isolation test (merged into this one: one fresh app process and
    one torch demo run instead of two): the fx-torch demo runs from the demo screen, to its claims.
    """
    plugins = Path(__file__).resolve().parents[1] / "fixtures" / "demo_plugins"
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(plugins)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={"STUDYML_HOME": str(studyml_home), "PATH": "/usr/bin:/bin", "HOME": str(studyml_home)},
    )
    line = next((l for l in proc.stdout.splitlines() if l.startswith("REPORT ")), None)
    assert proc.returncode == 0 and line, proc.stderr[-3000:]
    report = json.loads(line[len("REPORT ") :])
    assert report["startup"] == []
    assert report["warm_started"] is True
    assert report["expr_correct"] == [True]  # graded with sympy, in the worker
    assert report["after_expr"] == []
    assert report["demo_claims"] == [True, True]  # the demo ran in the worker, with torch and sympy
    assert report["after_demo"] == []


async def test_a_keymap_in_prefs_rebinds_an_action_by_its_binding_id(fixture_pack, studyml_home):
    # The learner moves the library's search from / to f (and the help panel keeps its label in Korean).
    (studyml_home / "prefs.json").write_text(json.dumps({"lang": "ko", "keymap": {"library.search": "f"}}))
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert not a.screen.searching  # the old key no longer searches
        keys = {b.key: b.description for _, b, _, _ in a.screen.active_bindings.values()}
        assert keys.get("f") == "검색" and "slash" not in keys
        await pilot.press("f")
        await pilot.pause()
        assert a.screen.searching and a.screen.focused is a.screen.query_one("#search")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("L")  # a language switch keeps the rebinding and relabels it
        await pilot.pause()
        keys = {b.key: b.description for _, b, _, _ in a.screen.active_bindings.values()}
        assert keys.get("f") == "Search"
    # Switching the language saved prefs without losing the keymap.
    assert json.loads((studyml_home / "prefs.json").read_text()) == {"lang": "en", "keymap": {"library.search": "f"}}


def test_binding_ids_are_unique_across_the_app():
    """A keymap entry names one binding: no two bindings of the app's screens and widgets share an id."""
    from studyml.tui.keymap import binding_owners

    owners = binding_owners()
    assert len(owners) > 40
    assert {bid: who for bid, who in owners.items() if len(who) > 1} == {}


async def test_a_wrong_keymap_entry_costs_that_entry_is_said_and_prefs_keep_what_the_learner_wrote(
    fixture_pack, studyml_home
):
    # One entry that was not text dropped the whole keymap without a word, and the next save erased it from the file;
    # an unknown id or a key name Textual never reports was applied or ignored silently.
    written = {
        "lang": "en",
        "keymap": {"library.search": "f", "library.quiz": 5, "library.serch": "g", "library.stats": "not a key!!"},
        "theme": "mine",  # a key this version does not know stays too
    }
    (studyml_home / "prefs.json").write_text(json.dumps(written))
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        keys = {b.key: b.id for _, b, _, _ in a.screen.active_bindings.values()}
        assert (
            keys.get("f") == "library.search" and keys.get("i") == "library.stats" and keys.get("t") == "library.quiz"
        )
        notes = [n.message for n in a._notifications if n.severity == "warning"]
        assert len(notes) == 3
        assert any("library.quiz: 5 is not a key" in n for n in notes)
        assert any("library.serch: no key binding has this id" in n for n in notes)
        assert any("library.stats: 'not a key!!' is not a key name" in n for n in notes)
        # The library's line of keys says the key the keymap gives, not the default.
        detail = str(a.screen.query_one("#pack-detail-text").render())
        assert "f: search" in detail and "/: search" not in detail, detail
        await pilot.press("L")
        await pilot.pause()
    assert json.loads((studyml_home / "prefs.json").read_text()) == {**written, "lang": "ko"}


def test_key_names_are_checked_as_textual_reads_them():
    from studyml.tui.keymap import is_key

    for key in ("f", "F", "5", "?", "f5", "ctrl+f", "ctrl+shift+up", "space", "slash", "question_mark", "enter"):
        assert is_key(key), key
    for key in ("", "not a key!!", "ctrl+", "hyper+", "cmd+f", "f 5", "foo"):
        assert not is_key(key), key


async def test_the_command_palette_speaks_korean_in_korean(fixture_pack):
    # Its placeholder ("Search for commands…") and "No matches found" were Textual's English in a Korean app.
    from textual.command import CommandInput, CommandList

    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert a.screen.query_one(CommandInput).placeholder == "명령 찾기…"
        await pilot.press(*"qqqqqq")
        commands = a.screen.query_one(CommandList)

        def no_match():
            return commands.option_count == 1 and commands.get_option_at_index(0).id == "--no-matches"

        await wait_for(pilot, no_match, 5, "the no-match line")
        shown = commands.get_option_at_index(0).prompt
        assert "맞는 명령이 없습니다" in str(getattr(shown, "renderable", shown))


async def test_a_prefs_file_that_does_not_parse_is_said_and_left_as_written(fixture_pack, studyml_home):
    # A trailing comma: the keymap was dropped without a word, and the next language switch wrote {"lang": …} over it.
    written = '{"lang": "en", "keymap": {"study.flip": "f5",}}'
    (studyml_home / "prefs.json").write_text(written)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        [note] = [n.message for n in a._notifications if n.severity == "warning"]
        assert note.startswith("prefs.json could not be read (not JSON:")
        await pilot.press("L")
        await pilot.pause()
        assert a.lang == "ko"  # for this run
    assert (studyml_home / "prefs.json").read_text() == written


def test_key_names_textual_never_reports_are_refused():
    from studyml.tui.keymap import is_key

    for key in ("Escape", "esc", "Space", "solidus", "latin_capital_letter_a", "ctrl+?", "digit_five", "Tab"):
        assert not is_key(key), key
    for key in ("ctrl+slash", "question_mark", "full_stop", "shift+tab", "ctrl+a"):
        assert is_key(key), key


def test_ctrl_at_is_a_key_name():
    from studyml.tui.keymap import is_key

    assert is_key("ctrl+@")  # what ctrl+space sends on many terminals: refused by the last tightening


async def test_the_theme_picker_speaks_korean_in_korean(fixture_pack):
    # Its placeholder was Textual's "Search for themes…" in the Korean app.
    from textual.command import CommandInput

    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        a.search_themes()
        await pilot.pause()
        assert a.screen.query_one(CommandInput).placeholder == "테마 찾기…"
        await pilot.press("escape")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"


async def test_a_screenshot_without_a_downloads_folder_goes_to_the_data_dir(
    fixture_pack, studyml_home, monkeypatch, tmp_path
):
    # A new account without ~/Downloads: "Failed to save screenshot", and nothing said where one could go.
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_downloads_dir", lambda: str(tmp_path / "no-downloads"))
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        a.action_screenshot()
        folder = studyml_home / "screenshots"
        await wait_for(pilot, lambda: folder.is_dir() and len(list(folder.glob("*.svg"))) == 1, 10, "the screenshot")
        # The palette's Screenshot too: it calls deliver_screenshot itself (not the action), and still failed.
        a.deliver_screenshot(filename="from-palette.svg")
        await wait_for(pilot, lambda: (folder / "from-palette.svg").is_file(), 10, "the palette's screenshot")
        assert not any("Failed" in n.message for n in a._notifications)
