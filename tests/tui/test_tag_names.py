"""Tags by their names in the learner's language (pack.yaml `tags:`), everywhere tags are shown, following `L`."""

from __future__ import annotations

from textual.widgets import DataTable, Input, SelectionList

from .helpers import SIZE, app, loaded, prompt_text, text, type_text


def _prompts(tags: SelectionList) -> list[str]:
    return [str(tags.get_option_at_index(i).prompt) for i in range(tags.option_count)]


async def test_the_quiz_tag_filter_names_tags_in_the_learners_language(fixture_pack):
    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("t")
        await pilot.pause()
        setup = a.screen
        tags = setup.query_one("#setup-tags", SelectionList)
        assert _prompts(tags) == ["활성화 함수 (6)"]
        await pilot.press("L")
        await pilot.pause()
        assert _prompts(tags) == ["activation (6)"]
        # The filter finds a tag by any of its names (and its id), whatever the language on screen.
        setup.query_one("#setup-tag-filter", Input).value = "활성"
        await pilot.pause()
        assert _prompts(tags) == ["activation (6)"]
        setup.query_one("#setup-tag-filter", Input).value = "손실"
        await pilot.pause()
        assert _prompts(tags) == []


async def test_the_card_shows_its_tags_by_name_and_follows_L(fixture_pack):
    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "space")  # study, show the back
        await pilot.pause()
        meta = a.screen.query_one("#card-meta")
        assert text(meta).splitlines()[0] == "# 활성화 함수"
        await pilot.press("L")
        await pilot.pause()
        assert text(meta).splitlines()[0] == "# activation"


async def test_the_browser_shows_tag_names_and_finds_cards_by_them(fixture_pack):
    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
        screen = a.screen
        table = screen.query_one("#browse-table", DataTable)
        assert str(table.get_row_at(0)[2]) == "활성화 함수"
        await pilot.press("L")
        await pilot.pause()
        assert str(table.get_row_at(0)[2]) == "activation"
        screen.query_one("#browse-query").value = "활성화"  # free text matches a tag's name in any language
        await pilot.pause()
        assert table.row_count == 1


async def test_search_finds_a_card_by_a_tag_name_and_shows_it(fixture_pack):
    a = app(lang="en")
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        await type_text(pilot, "활성화")
        await pilot.pause()
        results = a.screen.query_one("#search-results")
        assert results.option_count == 1
        assert "활성화" in prompt_text(results.get_option_at_index(0).prompt)


async def test_misconceptions_by_tag_name_the_tag_in_the_learners_language(fixture_pack):
    from studyml.tui.screens.stats import StatsScreen

    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await a.push_screen(StatsScreen())
        await pilot.pause()
        screen = a.screen
        screen.data = {
            "quiz": {
                "by_tag": {"activation": {"attempts": 2, "correct": 0, "accuracy": 0.0, "packs": ["fixture"]}},
                "misconceptions": [
                    {"tag": "activation", "feedback": {"en": "Not the slope.", "ko": "기울기가 아닙니다."}, "count": 2}
                ],
            }
        }
        screen._tags_table()
        assert "2× 활성화 함수: 기울기가 아닙니다." in text(screen.query_one("#stats-misconceptions"))
        assert str(screen.query_one("#stats-tags", DataTable).get_row_at(0)[0]) == "활성화 함수"


async def test_statistics_name_a_tag_as_the_pack_its_answers_came_from_does(fixture_pack, studyml_home):
    # Two packs use the tag id `activation`, naming it differently. The first pack to name a tag named it for all:
    # the answers of the second pack's items were counted under the first pack's name.
    import json
    import subprocess
    import sys

    from studyml.content.scaffold import scaffold
    from studyml.srs.scheduler import Scheduler
    from studyml.srs.store import open_store
    from studyml.tui.screens.stats import StatsScreen

    second = scaffold(studyml_home / "packs" / "second")
    manifest = second / "pack.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "activation: {en: activation, ko: 활성화 함수}", "activation: {en: nonlinearities, ko: 비선형 함수}"
        ),
        encoding="utf-8",
    )
    assert "nonlinearities" in manifest.read_text(encoding="utf-8")

    def answer(pack_id: str) -> None:
        with open_store() as store:
            Scheduler(store).answer_quiz(pack_id, "sigmoid-range", "sigmoid", "b", True, review=False)

    def cli(*args: str) -> str:
        run = subprocess.run([sys.executable, "-m", "studyml.cli", *args], capture_output=True, text=True, check=True)
        return run.stdout

    async def screen_tag(lang: str) -> str:
        a = app(lang=lang)
        async with a.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            await a.push_screen(StatsScreen())
            for _ in range(100):
                await pilot.pause(0.05)
                table = a.screen.query_one("#stats-tags", DataTable)
                if table.row_count:
                    break
            return str(table.get_row_at(0)[0])

    answer("second")
    assert await screen_tag("en") == "nonlinearities"
    assert await screen_tag("ko") == "비선형 함수"
    answer("fixture")
    assert await screen_tag("en") == "activation / nonlinearities"
    assert "  activation / nonlinearities: 2/2 (100%)" in cli("stats").splitlines()
    assert "  활성화 함수 / 비선형 함수: 2문항 중 2개 정답 (100%)" in cli("--lang", "ko", "stats").splitlines()
    data = json.loads(cli("stats", "--json"))
    assert data["quiz"]["by_tag"]["activation"]["packs"] == ["fixture", "second"]
