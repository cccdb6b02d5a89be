"""The demo list: it says it is reading the plugins instead of freezing while a cold discovery runs."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import OptionList

import studyml.demos.runner as runner

from .helpers import SIZE, app, prompt_text, text, wait_for


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
    return [prompt_text(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


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


_LONG_TITLE = '{"en": "A [b]long[/b] summary", "ko": "긴 요약"}'
_LONG_SUMMARY = (
    '{"en": "The mean E[X] of many samples drawn again and again settles near the true value, and this summary goes '
    'on long enough to wrap onto a second and a third line at eighty columns.", '
    '"ko": "여러 번 다시 뽑은 표본의 평균 E[X]는 참값 가까이에 자리 잡는다. 이 요약은 80열에서 둘째 줄과 셋째 줄로 '
    '넘어갈 만큼 길게 이어진다."}'
)


def _long_plugin(folder) -> None:
    """The fixture demo fx-noplot again as fx-long, with a bracketed title and a summary that wraps."""
    text = (folder / "fx_noplot.py").read_text(encoding="utf-8")
    for old, new in (
        ('id="fx-noplot"', 'id="fx-long"'),
        ('title={"en": "No plot", "ko": "그래프 없음"}', f"title={_LONG_TITLE}"),
        ('summary={"en": "Derives.", "ko": "유도."}', f"summary={_LONG_SUMMARY}"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    (folder / "fx_long.py").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_long_summary_wraps_under_its_indent_and_shows_brackets_as_written(demo_plugins, lang):
    """A summary's wrapped lines keep its indent (they went back to the left edge), and plugin text is never read
    as markup: `E[X]` and a title's `[b]` show as written."""
    _long_plugin(demo_plugins)
    a = app(lang=lang)
    async with a.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await wait_for(pilot, lambda: type(a.screen).__name__ == "DemoListScreen", 10, "the demo list")
        options = a.screen.query_one("#demo-options", OptionList)
        await wait_for(pilot, lambda: options.option_count > 1, 30, "the plugins")
        await pilot.pause()
        lines = [options.render_line(y).text for y in range(options.size.height)]
        title = "A [b]long[/b] summary" if lang == "en" else "긴 요약"
        first = next(i for i, line in enumerate(lines) if title in line)
        left = lines[first].index(title[0])  # where the titles start, inside the list's border and padding
        summary = []
        for line in lines[first + 1 :]:
            if not line.strip() or line.strip().startswith("─"):  # the gap before the next demo
                break
            summary.append(line)
        assert len(summary) >= 2, summary  # it wraps
        assert "E[X]" in "".join(summary), summary
        assert all(line[left : left + 2] == "  " and line[left + 2] != " " for line in summary), summary


async def test_a_plugin_that_cannot_run_is_listed_with_why(demo_plugins):
    # The library names a broken pack; a broken plugin was left out of the demos without a word.
    (demo_plugins / "fx_author_slip.py").write_text(
        "raise ImportError('the [b]author[/b] forgot a dependency')\n"  # brackets: shown as written
    )
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await wait_for(pilot, lambda: type(a.screen).__name__ == "DemoListScreen", 10, "the demo list")
        await wait_for(pilot, lambda: len(_options(a.screen)) > 1, 30, "the plugins")
        [shown] = [o for o in _options(a.screen) if "fx_author_slip" in o]
        assert shown.startswith("⚠ fx_author_slip: cannot run") and "the [b]author[/b] forgot a dependency" in shown
        options = a.screen.query_one("#demo-options", OptionList)
        # Reached by the keys: End went to the last demo that runs (a disabled entry is skipped), so the list never
        # scrolled to the plugins that cannot run, and Enter on one says why.
        options.focus()
        await pilot.press("end")
        await pilot.pause()
        last = options.get_option_at_index(options.highlighted)
        assert "fx_author_slip" in prompt_text(last.prompt)
        assert options.scroll_offset.y + options.scrollable_content_region.height >= options.virtual_size.height
        await pilot.press("enter")
        await pilot.pause()
        assert type(a.screen).__name__ == "DemoListScreen"
        [said] = [n for n in a._notifications if "forgot a dependency" in n.message]
        assert "fx_author_slip: cannot run" in said.title and said.severity == "warning"
        # Listed last, after every demo that runs: the heading says there are some, where the learner looks first.
        heading = text(a.screen.query_one("#demo-list-heading"))
        assert "1 plugin cannot run: listed last" in heading, heading
