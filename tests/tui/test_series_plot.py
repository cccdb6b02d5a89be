"""The live plot under a flood of points: what it draws stays faithful (spikes, the last point) and bounded by its width."""

from __future__ import annotations

import math

import pytest
from textual.app import ComposeResult
from textual.screen import Screen

from studyml.tui.widgets.series_plot import POINTS_PER_COLUMN, SeriesPlot

from .helpers import app

N = 1_000_000
BATCH = 8_000  # about what one coalesced message carries during a flood
PANEL = {
    "id": "loss",
    "title": {"en": "Loss", "ko": "손실"},
    "x": {"en": "step", "ko": "스텝"},
    "y": {"en": "loss", "ko": "손실"},
    "series": {"loss": {"en": "training", "ko": "훈련"}},
}


class PlotScreen(Screen):
    def compose(self) -> ComposeResult:
        yield SeriesPlot([PANEL], id="plot")


async def _plot(pilot, width: int) -> SeriesPlot:
    await pilot.app.push_screen(PlotScreen())
    await pilot.pause()
    plot = pilot.app.screen.query_one(SeriesPlot)
    plot.styles.width = width
    plot.styles.height = 20
    await pilot.pause()
    return plot


def _stream(plot: SeriesPlot, ys, n: int = N) -> None:
    """Points as the run's messages bring them: batches in x order."""
    for start in range(0, n, BATCH):
        xs = [float(i) for i in range(start, min(n, start + BATCH))]
        plot.add_columns("loss", xs, [ys(i) for i in range(start, min(n, start + BATCH))])


async def test_a_one_sample_spike_among_a_million_points_is_drawn():
    async with app().run_test(size=(120, 40)) as pilot:
        plot = await _plot(pilot, 100)
        _stream(plot, lambda i: 10.0 if i == 654_321 else 1.0 + (i % 7) / 100)
        plot.redraw(pilot.app.t)
        xs, ys = plot.drawn["loss"]
        assert (654_321.0, 10.0) in zip(xs, ys)  # a stride through the points would step over it
        assert min(ys) == 1.0 and plot.limits is not None and plot.limits[3] >= 10.0


async def test_the_points_drawn_are_bounded_by_the_plots_width():
    async with app().run_test(size=(160, 40)) as pilot:
        plot = await _plot(pilot, 140)
        _stream(plot, lambda i: math.sin(i / 5_000))
        plot.redraw(pilot.app.t)
        wide = len(plot.drawn["loss"][0])
        assert 140 <= wide <= POINTS_PER_COLUMN * 140
        plot.styles.width = 50
        await pilot.pause()
        plot.redraw(pilot.app.t)
        narrow = plot.drawn["loss"]
        assert len(narrow[0]) <= POINTS_PER_COLUMN * 50 < wide
        # The envelope still spans the whole curve: its lowest and highest values are drawn.
        assert min(narrow[1]) < -0.999 and max(narrow[1]) > 0.999
        assert plot.count() == N  # every point is kept, only the drawing is bounded


async def test_the_last_point_is_drawn_when_the_run_ends():
    async with app().run_test(size=(120, 40)) as pilot:
        plot = await _plot(pilot, 80)
        # The last point is neither the lowest nor the highest of its column: an envelope alone would drop it.
        _stream(plot, lambda i: 0.5 if i == N - 1 else float(i % 2))
        plot.redraw(pilot.app.t)
        xs, ys = plot.drawn["loss"]
        assert (xs[-1], ys[-1]) == (N - 1, 0.5)
        assert plot.limits is not None and plot.limits[1] == N - 1  # the x-axis reaches it


async def test_non_finite_points_in_a_flood_are_skipped_and_said():
    async with app().run_test(size=(120, 40)) as pilot:
        plot = await _plot(pilot, 80)
        _stream(plot, lambda i: math.nan if i % 100_000 == 5 else (math.inf if i == 17 else 1.0 / (1 + i)), n=300_000)
        caption = plot.redraw(pilot.app.t)
        assert "4 non-finite points (NaN or infinite) not shown" in caption
        xs, ys = plot.drawn["loss"]
        assert all(math.isfinite(v) for v in xs + ys) and len(xs) <= POINTS_PER_COLUMN * 80
        assert plot.count() == 300_000


FAMILY_PANEL = PANEL | {
    "id": "sweep",
    "series": {"baseline": {"en": "baseline", "ko": "기준"}},
    "families": [
        {"pattern": "lr = {lr}", "label": {"en": "learning rate {lr}", "ko": "학습률 {lr}"}},
        {"pattern": "width {w}, start {s}", "label": {"en": "width {w} (start {s})", "ko": "너비 {w} (시작 {s})"}},
    ],
}


class FamilyScreen(Screen):
    def compose(self) -> ComposeResult:
        yield SeriesPlot([FAMILY_PANEL], id="plot")


async def test_series_named_after_parameter_values_share_their_panel_with_labels_from_the_family():
    async with app(lang="en").run_test(size=(120, 40)) as pilot:
        await pilot.app.push_screen(FamilyScreen())
        await pilot.pause()
        plot = pilot.app.screen.query_one(SeriesPlot)
        for name in ("width 16, start 2", "lr = 0.3", "lr = 0.1", "baseline", "stray"):
            plot.add_columns(name, [0.0, 1.0], [1.0, 2.0])
        assert plot.groups() == ["sweep", "default:"]  # only the series no panel declares is left over
        caption = plot.redraw(pilot.app.t)
        assert plot.title == "Loss"
        labels = [label for label, *_ in plot.legend]
        assert labels == ["baseline", "learning rate 0.3", "learning rate 0.1", "width 16 (start 2)"]
        assert "learning rate 0.3" in caption  # the legend under the plot
        pilot.app.lang = "ko"
        await pilot.pause()
        plot.redraw(pilot.app.t)
        assert [label for label, *_ in plot.legend] == ["기준", "학습률 0.3", "학습률 0.1", "너비 16 (시작 2)"]


LABELS_PANEL = PANEL | {
    "id": "error",
    "title": {"en": "Error of the estimate per sample size", "ko": "표본 크기별 추정 오차"},
    "y": {"en": "log10 error", "ko": "log10 오차"},
    "series": {f"n{i}": {"en": f"estimate with seed {i}", "ko": f"시드 {i}의 추정값"} for i in range(8)},
}


class LabelsScreen(Screen):
    def compose(self) -> ComposeResult:
        yield SeriesPlot([LABELS_PANEL], id="plot")


async def test_the_y_label_is_at_the_top_left_and_the_legend_breaks_between_entries():
    from rich.cells import cell_len
    from rich.text import Text

    async with app(lang="en").run_test(size=(120, 40)) as pilot:
        await pilot.app.push_screen(LabelsScreen())
        await pilot.pause()
        plot = pilot.app.screen.query_one(SeriesPlot)
        plot.styles.height = 16
        for i in range(8):
            plot.add_columns(f"n{i}", [10.0, 100.0, 1000.0], [-1.0 - i / 10, -2.0, -3.0])
        for width, own_row in ((90, False), (46, True)):
            plot.styles.width = width
            await pilot.pause()
            caption = plot.redraw(pilot.app.t)
            rows = plot.render().plain.rstrip("\n").split("\n")
            assert len(rows) <= 16
            # Above the y ticks, where it is read first: beside the title when there is room, else on its own row.
            assert rows[0].startswith("↑ log10 error")
            assert ("Error of the estimate" in rows[0]) is not own_row
            assert not any("log10 error" in row for row in rows[1:])  # not on the x label's row, not over ticks
            assert "step" in rows[-1]
            legend = caption.split("\n")[:-1] if "Plot" in caption else caption.split("\n")
            for i in range(8):  # each entry whole on one row, each row within the plot's width
                assert sum(f"estimate with seed {i}" in row for row in legend) == 1
            assert all(cell_len(Text.from_markup(row).plain) <= width for row in legend)


async def test_an_axis_of_whole_numbers_has_whole_number_ticks():
    # A running total of 1 … 5 over steps 0 … 4 was ticked 0.80, 2.27, 3.00, 4.47, 5.20 (and inputs 1.8, 3.5, 5.2).
    import re

    async with app().run_test(size=(120, 40)) as pilot:
        plot = await _plot(pilot, 60)
        plot.add_columns("loss", [0.0, 1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0, 5.0])
        plot.redraw(pilot.app.t)
        rows = plot.render().plain.split("\n")
        y_ticks = [m.group(1) for row in rows if (m := re.match(r"\s*(-?[\d.]+)┤", row))]
        assert y_ticks and all(re.fullmatch(r"-?\d+", t) for t in y_ticks), rows
        x_row = next(row for row in rows if re.fullmatch(r"[\s\d.-]+", row) and row.strip())
        assert "." not in x_row and "4" in x_row, x_row
        plot.add_columns("loss", [5.0], [5.5])  # a value that is not whole: round ticks, evenly stepped
        plot.redraw(pilot.app.t)
        rows = plot.render().plain.split("\n")
        y_ticks = [float(m.group(1)) for row in rows if (m := re.match(r"\s*(-?[\d.]+)┤", row))]
        steps = {round(b - a, 9) for a, b in zip(y_ticks[1:], y_ticks)}
        assert len(y_ticks) >= 3 and len(steps) == 1 and steps.pop() in (0.5, 1.0, 2.0), rows


@pytest.mark.parametrize(
    "ys,log",
    [
        ([-1.7, 0.3, 1.6], False),  # plotext ticked -1.7 -0.9 -0.0 0.8 1.6
        ([-0.253, -0.1, 0.068], False),  # and 0.068, 0.003, -0.061, -0.125
        ([-8.5, 1.0, 8.5], False),
        ([1e-9, 2e-9, 3e-9], False),
        ([0.0126, 0.2, 0.745], True),  # a log axis under two decades: its ends alone, 0.745 and 0.0126
        ([1e-7, 1e-3, 0.1], True),  # seven decades: plotext dropped labels unevenly (0.1, 0.01, 1e-06, 1e-07)
    ],
)
async def test_ticks_are_round_evenly_stepped_values_and_never_minus_zero(ys, log):
    import re

    panel = {**PANEL, "log_y": log}

    class Screen1(Screen):
        def compose(self) -> ComposeResult:
            yield SeriesPlot([panel], id="plot")

    async with app().run_test(size=(120, 40)) as pilot:
        await pilot.app.push_screen(Screen1())
        await pilot.pause()
        plot = pilot.app.screen.query_one(SeriesPlot)
        plot.styles.width, plot.styles.height = 80, 20
        await pilot.pause()
        plot.add_columns("loss", [0.5 * i for i in range(len(ys))], ys)
        plot.redraw(pilot.app.t)
        rows = plot.render().plain.split("\n")
        labels = [m.group(1) for row in rows if (m := re.match(r"\s*(-?[\d.e+-]+)┤", row))]
        assert len(labels) >= 2, rows
        assert not any(re.fullmatch(r"-0(\.0*)?", t) for t in labels), rows
        values = [math.log10(float(t)) if log else float(t) for t in labels]
        steps = [a - b for a, b in zip(values, values[1:])]  # top to bottom
        assert all(s > 0 for s in steps), labels
        if log:  # powers of ten, or 1, 2 and 5 times them within two decades: each at its place on the axis
            assert {f"{float(t):.0e}"[0] for t in labels} <= {"1", "2", "5"}, labels
        if not log or all(f"{float(t):.0e}".startswith("1") for t in labels):
            assert max(steps) - min(steps) < 1e-6 * max(steps) + 1e-9, labels  # evenly stepped
        x_row = next(row for row in rows if row.strip() and re.fullmatch(r"[\s\d.e+-]+", row))
        assert not re.search(r"(^|\s)-0(\.0*)?(\s|$)", x_row), x_row
        assert plot.axes[1].endswith("(log scale)") is log


async def test_huge_whole_values_are_plotted_without_an_error():
    # ±1e308 are whole as floats: ticking them at "whole numbers" raised OverflowError in the redraw, and plotext
    # itself raised ValueError while drawing them: either closed the app.
    async with app().run_test(size=(120, 40)) as pilot:
        plot = await _plot(pilot, 60)
        plot.add_columns("loss", [0.0, 1.0, 2.0], [-1e308, 0.0, 1e308])
        plot.redraw(pilot.app.t)
        assert "too large to plot" in plot.render().plain
        await pilot.pause()
        assert pilot.app.is_running


@pytest.mark.parametrize(
    "lo,hi,log",
    [
        (0.0, 5e-323, False),  # raised ZeroDivisionError in the redraw
        (-1.0, 0.0, True),  # one decade: 0.1 and 1 alone
        (-1.2, 0.3, True),
        (0.0, math.log10(1.002), True),  # labelled 1 and 1
        (-7.0, -1.0, True),
    ],
)
def test_ticks_at_the_edges_are_told_apart_and_never_raise(lo, hi, log):
    from studyml.tui.widgets.series_plot import _log_ticks, _round_ticks

    ticks, labels = (_log_ticks if log else _round_ticks)(lo, hi)
    assert len(ticks) == len(labels) >= 2 and len(set(labels)) == len(labels), labels
    assert all(lo - 1e-9 <= t <= hi + 1e-9 for t in ticks)
    if log and hi - lo <= 2:  # within two decades: more than its two powers of ten
        assert len(ticks) >= 3 or hi - lo < 0.3, labels


MONO_PANEL = PANEL | {
    "title": "Train/val",
    "y": "err",
    "series": {"train": {"en": "t"}, "val": {"en": "v"}},
}


class MonoScreen(Screen):
    def compose(self) -> ComposeResult:
        yield SeriesPlot([MONO_PANEL], id="plot")


async def test_series_are_told_apart_without_colour_by_marks_along_them_and_in_the_legend():
    # Two series, one over the other: drawn in colour alone they were one braille line without colour (NO_COLOR, a
    # monochrome terminal) and the legend said only which colour was which.
    from rich.text import Text

    async with app(lang="en").run_test(size=(120, 40)) as pilot:
        await pilot.app.push_screen(MonoScreen())
        await pilot.pause()
        plot = pilot.app.screen.query_one(SeriesPlot)
        plot.styles.width, plot.styles.height = 100, 16
        await pilot.pause()
        xs = [float(i) for i in range(200)]
        for name in ("train", "val"):
            plot.add_columns(name, xs, [1.0 / (1 + x) for x in xs])
        caption = Text.from_markup(plot.redraw(pilot.app.t)).plain
        marks = {label: mark for label, _, mark in plot.legend}
        assert set(marks) == {"t", "v"} and marks["t"] != marks["v"]
        assert f"━{marks['t']}━ t" in caption and f"━{marks['v']}━ v" in caption
        rows = plot.render().plain.split("\n")
        for mark in marks.values():  # each drawn a few times along the curve, apart from the other's
            assert sum(row.count(mark) for row in rows) >= 2, (mark, rows)
        assert {i for row in rows for i, ch in enumerate(row) if ch == marks["t"]}.isdisjoint(
            {i for row in rows for i, ch in enumerate(row) if ch == marks["v"]}
        )


async def test_a_title_wider_than_the_plot_stays_on_its_row():
    # At 80×24 "…음수가 되지 / 않습니다" wrapped, its second line at column 0, over the y ticks.
    long = {**PANEL, "title": {"en": "A rather long title of a plot that does not fit into the width of the panel"}}

    class LongScreen(Screen):
        def compose(self) -> ComposeResult:
            yield SeriesPlot([long], id="plot")

    async with app(lang="en").run_test(size=(80, 24)) as pilot:
        await pilot.app.push_screen(LongScreen())
        await pilot.pause()
        plot = pilot.app.screen.query_one(SeriesPlot)
        plot.styles.width, plot.styles.height = 40, 14
        await pilot.pause()
        plot.add_columns("loss", [0.0, 1.0, 2.0], [3.0, 2.0, 1.0])
        caption = plot.redraw(pilot.app.t)
        rows = plot.render().plain.split("\n")
        assert sum("A rather long" in row for row in rows) == 1 and "…" in "".join(rows)
        assert long["title"]["en"] in caption  # whole, under the plot
        assert not any("panel" in row for row in rows)  # no second line of it
