"""Stats screen: figures from a constructed history (the same as `studyml stats --json`), the empty state, snapshots."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from textual.widgets import DataTable

from studyml.srs.scheduler import Scheduler, Settings
from studyml.srs.stats import compute_stats
from studyml.srs.store import open_store

from .helpers import PACK_ID, SIZE, app, loaded, text

NOW = datetime(2025, 3, 14, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch):
    """Study days are local days: pin the zone so the calendar is the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def build_history() -> None:
    """Reviews on many of the last 20 weeks' days, a few due cards, quiz answers in two tags."""
    with open_store() as store:
        settings = Settings.load(store)
        settings.enable_fuzzing = False  # fuzzed intervals would move the forecast between runs
        s = Scheduler(store, settings)
        for i in range(133, -1, -3):  # oldest first: each card's reviews are in time order
            day = NOW - timedelta(days=i, hours=2)
            for k in range(1 + (i * 7) % 5):
                s.review("other", f"c{k}", 1 if (i + k) % 7 == 0 else 3, now=day + timedelta(minutes=k))
        s.review(PACK_ID, "sigmoid", 3, now=NOW - timedelta(days=9))
        s.review(PACK_ID, "sigmoid", 3, now=NOW - timedelta(days=8))
        s.review(PACK_ID, "sigmoid", 1, now=NOW - timedelta(days=1))
        answers = [("sigmoid-range", True), ("sigmoid-name", False), ("sigmoid-range", True), ("loose-item", False)]
        for n, (item, ok) in enumerate(answers):
            pack = "other" if item == "loose-item" else PACK_ID
            store.record_quiz(pack, item, None, "x", ok, time_ms=int((NOW - timedelta(hours=n + 1)).timestamp() * 1000))


async def open_stats(pilot) -> None:
    from studyml.tui.screens.stats import StatsScreen

    await loaded(pilot)
    await pilot.app.push_screen(StatsScreen(now=NOW))
    await pilot.pause()


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]


async def test_stats_show_the_figures_of_stats_json(fixture_pack):
    build_history()
    with open_store() as store:
        tags = {f"{PACK_ID}/sigmoid-range": ["activation"], f"{PACK_ID}/sigmoid-name": ["activation"]}
        expected = compute_stats(store, {PACK_ID: ["sigmoid"]}, tags, now=NOW)

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_stats(pilot)
        screen = a.screen
        assert screen.data["totals"] == expected["totals"]
        assert screen.data["retention"] == expected["retention"]
        assert screen.data["forecast_14"] == expected["forecast_14"]
        summary = text(screen.query_one("#stats-summary"))
        assert f"Card reviews: {expected['totals']['card_reviews']} · from quiz answers: 0" in summary
        assert f"{expected['retention']['true_retention']:.0%}" in summary
        assert f"{expected['forecast_14']} in 14 days" in summary
        assert "2 of 4 right (50%)" in summary
        c = expected["packs"][PACK_ID]
        row = cells(screen.query_one("#stats-packs", DataTable))[0]
        assert row[:5] == ["My pack", str(c["cards"]), str(c["learned"]), str(c["mastered"]), str(c["due"])]
        packs = screen.query_one("#stats-packs", DataTable)
        # At 120 columns every column, Due and Mastery included, fits without scrolling sideways.
        assert packs.virtual_size.width <= packs.scrollable_content_region.width, (packs.virtual_size, packs.size)
        assert cells(screen.query_one("#stats-tags", DataTable)) == [
            ["(untagged)", "1", "0", "0%"],
            ["activation", "3", "2", "67%"],
        ]
        calendar = text(screen.query_one("#stats-calendar"))
        assert "Reviews, last 20 weeks" in calendar and "Mon" in calendar and calendar.count("■") > 100
        assert screen.query_one("#stats-empty").has_class("hidden")
        await pilot.press("L")
        await pilot.pause()
        assert "카드 복습" in text(screen.query_one("#stats-summary"))
        assert "월" in text(screen.query_one("#stats-calendar"))
        # Tags by their Korean names (pack.yaml `tags:`), "(untagged)" too.
        assert cells(screen.query_one("#stats-tags", DataTable)) == [
            ["(태그 없음)", "1", "0", "0%"],
            ["활성화 함수", "3", "2", "67%"],
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"


async def test_stats_empty_state_is_friendly(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("i")
        await pilot.pause()
        screen = a.screen
        assert type(screen).__name__ == "StatsScreen"
        assert "No reviews yet" in text(screen.query_one("#stats-empty"))
        assert screen.query_one("#stats-body").has_class("hidden")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_stats_snapshot(fixture_pack, snap_compare, lang):
    build_history()
    assert snap_compare(app(lang=lang), terminal_size=SIZE, run_before=open_stats)


@pytest.mark.parametrize(("width", "lang"), [(120, "en"), (80, "en"), (80, "ko")])
async def test_stats_show_due_and_mastery_of_a_long_titled_pack_at_any_width(fixture_pack, width, lang):
    # At 80 columns the title pushed the mastery percentage out of view: it is now cut, with an ellipsis.
    manifest = fixture_pack / "pack.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        .replace("My pack", "Machine learning foundations from losses to transformers")
        .replace("나의 팩", "Machine learning 기초 손실 함수부터 트랜스포머까지"),
        encoding="utf-8",
    )
    build_history()

    a = app(lang=lang)
    async with a.run_test(size=(width, 24)) as pilot:
        await open_stats(pilot)
        packs = a.screen.query_one("#stats-packs", DataTable)
        container = packs.parent
        assert packs.virtual_size.width <= packs.size.width <= container.size.width, (packs.virtual_size, packs.size)
        assert packs.region.right <= width
        title = next(
            str(row[0]) for row in (packs.get_row_at(r) for r in range(packs.row_count)) if "Machine" in str(row[0])
        )
        assert title.endswith("…") == (width == 80)
        assert "%" in str(packs.get_row_at(0)[-1])
        await pilot.resize_terminal(200, 24)  # wider again: the whole title comes back
        await pilot.pause()
        assert any(str(packs.get_row_at(r)[0]).endswith(("transformers", "까지")) for r in range(packs.row_count))


@pytest.mark.parametrize("days", [[1, 10], [1, 2, 3], [5], [2, 30, 31]])
def test_every_forecast_bar_is_half_a_day_wide_however_far_apart_the_days(days):
    # 11 cards due today and 1 in nine days were drawn as two blocks 4.5 days wide.
    from plotext._utility import bars

    from studyml.tui.screens.stats import bar_width

    xbar, _ = bars(days, [1] * len(days), bar_width(days), 0)
    assert all(abs((right - left) - 0.5) < 1e-9 for left, right in xbar), xbar


def _tick_rows(rendered: str) -> list[tuple[int, int]]:
    """(row, value) of each labelled y tick of a rendered plotext plot."""
    import re

    return [(i, int(m.group(1))) for i, row in enumerate(rendered.split("\n")) if (m := re.match(r"\s*(\d+)\s*┤", row))]


def _evenly(ticks: list[tuple[int, int]]) -> bool:
    rows = [r for r, _ in ticks]
    return len({b - a for a, b in zip(rows, rows[1:])}) == 1


async def test_the_charts_y_ticks_are_evenly_spaced_rows_apart(fixture_pack):
    # Ticks 0 … 5 of reviews per day fell on rows 0, 2, 4, 5, 7, 9 and the forecast's 0, 1, 2 on rows 0, 4, 9.
    from textual_plotext import PlotextPlot

    build_history()
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_stats(pilot)
        for wid in ("#stats-per-day", "#stats-forecast"):
            ticks = _tick_rows(a.screen.query_one(wid, PlotextPlot).render().plain)
            assert len(ticks) >= 3 and _evenly(ticks), (wid, ticks)


@pytest.mark.parametrize("top", [*range(1, 41), 57, 99, 100, 137, 999])
def test_a_counts_axis_holds_the_highest_bar_with_ticks_evenly_rows_apart(top):
    import plotext as plt

    from studyml.tui.screens.stats import counts_axis

    height = 14
    high, ticks = counts_axis(top, height - 4)
    assert high >= top and ticks[0] == 0 and (2 if top == 1 else 3) <= len(ticks) <= 7 and ticks[-1] <= high
    steps = {b - a for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1 and str(steps.pop())[0] in "125"
    plt.clear_figure()
    plt.plotsize(60, height)
    plt.bar([1, 2], [top, 1])
    plt.ylim(0, high)
    plt.yticks(ticks)
    plt.title("t")
    plt.theme("clear")
    assert _evenly(_tick_rows(plt.build())), (top, high, ticks, plt.build())


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_retention_without_a_review_to_measure_says_so_not_of_0_reviews(lang, studyml_home):
    # "실제 기억 유지율 (30일): 복습 0번 중 —" said nothing a learner could read.
    from studyml.tui.stats_text import summary_lines

    with open_store() as store:
        s = Scheduler(store)
        s.review(PACK_ID, "c", 3, now=NOW - timedelta(days=1))  # a new card's first review: nothing to measure
        data = compute_stats(store, {}, {}, now=NOW)
    line = summary_lines(data, lang)[1]
    assert ("nothing to measure yet" if lang == "en" else "아직 잴 복습이 없음") in line, line
    assert "0번 중" not in line and "of 0" not in line


def test_the_study_counts_read_naturally_in_korean():
    from studyml.tui.i18n import tr

    said = tr("study.counts", "ko", pack="팩", new=1, learning=0, review=0, done=3)
    assert said.endswith("공부한 카드 3장") and "평가 3번" not in said
