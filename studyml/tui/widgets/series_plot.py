"""Live plots of a demo's named series, one panel at a time: the plugin's declared panels, titles and labels.

A panel comes from the plugin's `plots` metadata (API 1.1): its title, axis labels and legend labels in the
learner's language, and which series it holds (series of different units go on different panels). A streamed
series no panel declares goes to a default panel (API 1.0 plugins), grouped by its name's prefix.
"""

from __future__ import annotations

import math
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.markup import escape
from rich.text import Text
from textual import getters
from textual_plotext import PlotextPlot

from studyml.demos import families
from studyml.tui.app import StudyApp
from studyml.tui.i18n import pick, tr
from studyml.tui.widgets.plot_envelope import Envelope

# Points handed to plotext per series: at most POINTS_PER_COLUMN per character column of the plot. Its build
# runs on the UI thread and costs about 0.1 ms a point (more for lines), so a flood must not reach it.
POINTS_PER_COLUMN = 2
DEFAULT_COLUMNS = 100  # before the widget has a size

# Ten mid-luminance colours (matplotlib's tab10): each stays readable, and distinct from the others,
# on a dark and on a light background.
PALETTE: tuple[tuple[int, int, int], ...] = (
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
)
CONTOUR = (110, 110, 110)
# A mark per series, drawn a few times along its line and shown in the legend: series told apart by colour alone
# were one grey tangle without colour (NO_COLOR, a monochrome terminal, a printout) and hard to tell apart for a
# learner who does not see red from green. ASCII: a wide glyph (●, ▲) is two cells in some East Asian terminals.
MARKS = ("o", "x", "+", "*", "#", "@", "%", "=", "&", "$")
MARKS_ALONG = (2, 5)  # marks per series along its line: fewest, most (about one per 25 columns between them)


def group_of(name: str) -> str:
    """'path:<opt>:<problem>' series share a plot per problem with 'contour:<problem>' (the level sets
    drawn behind them); 'loss:train' and 'loss:val' share 'loss'."""
    if name.startswith("path:") and name.count(":") >= 2:
        return "path:" + name.split(":", 2)[2]
    if name.startswith("contour:"):
        return "path:" + name.split(":", 1)[1]
    return name.split(":", 1)[0] if ":" in name else ""


@dataclass
class Panel:
    """One plot: declared (from metadata) or a default one for undeclared series."""

    id: str
    title: dict | str = ""
    x: dict | str = ""
    y: dict | str = ""
    labels: dict[str, dict | str] = field(default_factory=dict)  # series id -> legend label per language
    families: list[tuple[str, dict | str]] = field(default_factory=list)  # (id pattern, label template) (API 1.2)
    log_y: bool | None = None  # None: decide from the data (decades apart → log)
    declared: bool = False

    @classmethod
    def of(cls, spec: dict) -> Panel:
        return cls(
            id=str(spec.get("id", "")),
            title=spec.get("title") or "",
            x=spec.get("x") or "",
            y=spec.get("y") or "",
            labels=dict(spec.get("series") or {}),
            families=[
                (f["pattern"], f.get("label") or "")
                for f in spec.get("families") or []
                if isinstance(f, dict) and isinstance(f.get("pattern"), str)
            ],
            log_y=bool(spec.get("log_y")),
            declared=True,
        )

    def rank(self, name: str) -> int | None:
        """Where the series goes in this panel's legend: its declared place, then its family's; None: not here."""
        if name in self.labels:
            return list(self.labels).index(name)
        for i, (pattern, _) in enumerate(self.families):
            if families.match(pattern, name) is not None:
                return len(self.labels) + i
        return None

    def label(self, name: str, lang: str) -> str | None:
        """The series' legend label in `lang`: declared, or its family's template filled from its id."""
        if name in self.labels:
            return _text(self.labels[name], lang)
        for pattern, template in self.families:
            values = families.match(pattern, name)
            if values is not None:
                return families.fill(_text(template, lang), values)
        return None


def _text(value: dict | str, lang: str) -> str:
    return pick(value, lang) if isinstance(value, dict) else str(value or "")


def legend_markup(entries: list[tuple[str, tuple[int, int, int], str]], width: int = 0) -> str:
    """The legend under the plot (never over its data): a coloured line with the series' mark, and its label,
    packed into rows of `width` cells that break between entries, never inside one (Rich would break at any
    space, no-break ones included)."""
    rows: list[list[str]] = [[]]
    used = 0
    for label, (r, g, b), mark in entries:
        cells = 4 + cell_len(label)
        if rows[-1] and width and used + 3 + cells > width:
            rows.append([])
            used = 0
        used += cells + (3 if rows[-1] else 0)
        rows[-1].append(f"[rgb({r},{g},{b})]━{escape(mark)}━[/] {escape(label)}")
    return "\n".join("   ".join(row) for row in rows)


class SeriesPlot(PlotextPlot):
    """Holds the series of the current run and draws one panel at a time (`next_group` cycles)."""

    app = getters.app(StudyApp)  # typed: self.app.lang and .services

    def __init__(self, panels: list[dict] | None = None, **kw) -> None:
        super().__init__(**kw)
        self.declared = [Panel.of(p) for p in panels or [] if isinstance(p, dict)]
        # Every finite point received, per series, in arrays: the garbage collector never walks them (a million
        # floats in lists made each of its full passes stall the UI for ~0.5 s).
        self.series: dict[str, tuple[array, array]] = {}
        self.skipped: dict[str, int] = {}  # non-finite points per series: plotext cannot draw them
        self.envelopes: dict[str, Envelope] = {}  # per series, kept as points arrive: what a long series draws
        self.nonpositive: dict[str, int] = {}  # points at or below zero per series (not drawable on a log axis)
        self.index = 0
        self.render_seconds = 0.0  # what the last plotext build cost on the UI thread
        self.drawn: dict[str, tuple[list[float], list[float]]] = {}  # what the last redraw plotted, per series
        self.limits: tuple[float, float, float, float] | None = None  # its axes (x0, x1, y0, y1)
        self.legend: list[tuple[str, tuple[int, int, int], str]] = []  # (label, colour, mark) per series
        self.title, self.axes = "", ("", "")  # the drawn panel's title and (x, y) axis labels

    def render(self):
        t0 = time.perf_counter()
        try:
            return self._render_with_y_label()
        except (ValueError, OverflowError, ZeroDivisionError):  # plotext on values near the float limits (±1e308)
            return Text(tr("demo.plot.unplottable", self.app.lang if self.is_attached else "en"), style="dim")
        finally:
            self.render_seconds = time.perf_counter() - t0

    def _render_with_y_label(self):
        """The plot with its y-axis label at the top left, above the y ticks, where one reads it first.

        plotext puts it in the bottom-left corner, on the x label's row, where it reads as part of the
        x-axis. It goes in the title's row when there is room beside the centred title, else on a row of
        its own above the plot.
        """
        tag = f"↑ {self.axes[1]}" if self.axes[1] else ""
        width, height = self.size.width, self.size.height
        if not tag or width <= 0 or height < 6:
            return super().render()
        beside = (width - cell_len(self.title)) // 2 - 1  # blank cells left of the title, at least
        if cell_len(tag) <= beside:
            text = super().render()
            lines = text.split("\n", allow_blank=True)
            n = cell_len(tag)
            if lines and not lines[0].plain[:n].strip():
                lines[0] = Text(tag, style=_style_at_start(lines[0])) + lines[0][n:]
                return Text("\n").join(lines)
        plot = self._plot  # as PlotextPlot.render does, one row shorter
        plot.plotsize(width, height - 1)
        plot._set_size(width, height - 1)
        plot.theme(self._get_plotext_theme_name(self.app.theme))
        rows = Text.from_ansi(plot.build()).split("\n", allow_blank=True)
        style = _style_at_start(rows[0]) if rows else ""
        return Text("\n").join([Text(tag.ljust(width - cell_len(tag) + len(tag)), style=style), *rows])

    def clear_series(self) -> None:
        self.series, self.skipped, self.envelopes, self.nonpositive = {}, {}, {}, {}
        self.index = 0

    def add(self, name: str, x: float, y: float) -> None:
        self.add_many(name, [[x, y]])

    def add_many(self, name: str, points: list[list[float]]) -> None:
        """Append [x, y] points; NaN and infinite ones are counted, not kept."""
        try:
            xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
        except (TypeError, ValueError, IndexError):
            good = [p for p in points if _finite(p)]
            self.skipped[name] = self.skipped.get(name, 0) + len(points) - len(good)
            xs, ys = [float(p[0]) for p in good], [float(p[1]) for p in good]
        self.add_columns(name, xs, ys)

    def add_columns(self, name: str, new_x: list[float], new_y: list[float]) -> None:
        """Append points given as xs and ys, in O(new points) whatever the series holds already; NaN and
        infinite ones are counted, not kept."""
        xs, ys = self.series.setdefault(name, (array("d"), array("d")))
        try:  # fast path (C loops only): a finite sum means every value is finite
            finite = math.isfinite(math.fsum(new_x) + math.fsum(new_y))
        except OverflowError:
            finite = False
        if not finite:
            keep = [i for i, (x, y) in enumerate(zip(new_x, new_y)) if math.isfinite(x) and math.isfinite(y)]
            self.skipped[name] = self.skipped.get(name, 0) + len(new_x) - len(keep)
            new_x, new_y = [new_x[i] for i in keep], [new_y[i] for i in keep]
        xs.extend(new_x)
        ys.extend(new_y)
        self.envelopes.setdefault(name, Envelope()).add(new_x, new_y)
        low = sum(1 for y in new_y if y <= 0)
        if low:
            self.nonpositive[name] = self.nonpositive.get(name, 0) + low

    def count(self) -> int:
        """Points received, shown or not."""
        return sum(len(xs) for xs, _ in self.series.values()) + sum(self.skipped.values())

    def replace(self, series: dict[str, list[list[float]]]) -> None:
        """The final series of a result (the stream may have been throttled or cut short)."""
        self.clear_series()
        for name, points in series.items():
            self.add_many(name, points)

    # -- panels -------------------------------------------------------------------------------------
    def _panel_of(self, name: str) -> str:
        for p in self.declared:  # a series named exactly goes where it is named, before any family
            if name in p.labels:
                return p.id
        for p in self.declared:
            if p.rank(name) is not None:
                return p.id
        return "default:" + group_of(name)

    def panels(self) -> list[tuple[Panel, list[str]]]:
        """The panels that have series, declared ones first in their order, each with its series in order."""
        members: dict[str, list[str]] = {}
        for name in self.series:
            members.setdefault(self._panel_of(name), []).append(name)
        out: list[tuple[Panel, list[str]]] = []
        for p in self.declared:
            if p.id in members:  # declared order, then each family's members in the order they arrived
                ranked = sorted((p.rank(n) or 0, i, n) for i, n in enumerate(members[p.id]))
                out.append((p, [n for _, _, n in ranked]))
        for pid, names in members.items():
            if pid.startswith("default:"):
                out.append((Panel(id=pid), names))
        return out

    def groups(self) -> list[str]:
        return [p.id for p, _ in self.panels()]

    def next_group(self) -> None:
        groups = self.groups()
        if groups:
            self.index = (self.index + 1) % len(groups)

    def redraw(self, t: Callable[..., str]) -> str:
        """Draw the current panel; returns the caption under it (legend, which panel, hidden points)."""
        lang = self.app.lang if self.is_attached else "en"
        plt = self.plt
        plt.clear_figure()
        self.drawn, self.limits, self.legend = {}, None, []
        self.title, self.axes = "", ("", "")
        panels = self.panels()
        if not panels:
            plt.title(t("demo.plot.waiting"))
            self.refresh()
            return ""
        self.index %= len(panels)
        panel, members = panels[self.index]
        group = panel.id.removeprefix("default:")
        paths = not panel.declared and group.startswith("path:")
        columns = self._columns()
        drawn = {n: self._decimated(n, columns) for n in members}
        data_ys = [y for n in members if not n.startswith("contour:") for y in drawn[n][1]]
        log_y = panel.log_y
        if log_y is None:  # losses spanning decades read better on a log axis
            log_y = bool(data_ys) and all(y > 0 for y in data_ys) and max(data_ys) / min(data_ys) > 1e3
        hidden = sum(self.skipped.get(n, 0) for n in members)
        decimated = {n for n in members if len(drawn[n][0]) < len(self.series[n][0])}
        off_axis = 0
        if log_y:  # a log axis cannot place zero or negative values: they are counted, not drawn below it
            off_axis = sum(self.nonpositive.get(n, 0) for n in members if not n.startswith("contour:"))
            for n, (xs, ys) in list(drawn.items()):
                keep = [i for i, y in enumerate(ys) if y > 0]
                drawn[n] = ([xs[i] for i in keep], [ys[i] for i in keep])
        # Level sets first, so the optimizer paths are drawn on top of them.
        members = sorted(members, key=lambda n: not n.startswith("contour:"))
        colour = 0
        series = sum(1 for n in members if not n.startswith("contour:"))
        along = min(max(columns // 25, MARKS_ALONG[0]), MARKS_ALONG[1])
        marks: list[tuple[list[float], list[float], str, tuple[int, int, int]]] = []  # drawn last: a later line
        for name in members:  # would draw over the marks of an earlier one
            xs, ys = drawn[name]
            # A log axis is drawn as log10 on a linear one: plotext's own log scale transforms the figure's data
            # in place, so a second render (a resize) fails on logs of logs.
            plotted = [math.log10(y) for y in ys] if log_y else ys
            if name.startswith("contour:"):
                if xs:
                    plt.scatter(xs, plotted, marker="braille", color=CONTOUR)
                    self.drawn[name] = (xs, ys)
                continue
            # One series alone needs no mark to be told apart: its marks would read as points of their own.
            rgb, mark = PALETTE[colour % len(PALETTE)], MARKS[colour % len(MARKS)] if series > 1 else None
            offset = (colour + 0.5) / series  # staggered: series that lie on one another still show each mark
            colour += 1
            label = panel.label(name, lang) or (name.split(":")[1] if paths else name)
            self.legend.append((label, rgb, mark or "━"))
            if not xs:
                continue  # e.g. a series that was all NaN: the caption says so
            self.drawn[name] = (xs, ys)
            if paths:
                plt.plot(xs, plotted, marker="dot", color=rgb)
                marks.append((xs[-1:], plotted[-1:], mark or "x", rgb))  # where the optimizer ended
                continue
            if len(xs) == 1:
                plt.scatter(xs, plotted, color=rgb)
            elif name in decimated:
                # A decimated series is dense enough as dots; lines between them would cost plotext
                # (on the UI thread) far more, e.g. 0.4 s for a zig-zag of 400 points.
                plt.scatter(xs, plotted, marker="braille", color=rgb)
            else:
                plt.plot(xs, plotted, marker="braille", color=rgb)
            if mark:
                at = _mark_points(len(xs), along, offset)
                marks.append(([xs[i] for i in at], [plotted[i] for i in at], mark, rgb))
        for xs, ys, mark, rgb in marks:
            plt.scatter(xs, ys, marker=mark, color=rgb)
        self._set_limits(plt, log_y)
        if panel.declared:
            title = _text(panel.title, lang) or panel.id
            self.axes = (_text(panel.x, lang), _text(panel.y, lang))
            plt.xlabel(self.axes[0])  # the y label is drawn by render(), at the top left
        else:
            title = t("demo.plot.paths", problem=group.split(":", 1)[1]) if paths else (group or t("demo.plot.main"))
        if log_y:  # said on the axis: a minimum of 0.378 near the top of a log axis read as about 0.67
            scale = t("demo.plot.log_scale")
            self.axes = (self.axes[0], f"{self.axes[1]} ({scale})" if self.axes[1] else scale)
        self.title = title
        # On one row: a title wider than the plot wrapped, its second line at column 0 over the y ticks (80×24).
        shown = _fit(title, max(10, self.size.width - 2)) if self.size.width else title
        plt.title(shown)
        self.refresh()
        # Two cells spare: the column's scrollbar may appear after this caption is laid out (it is not redone).
        lines = [legend_markup(self.legend, self.size.width - 2)] if self.legend else []
        # The whole title under the plot: "Plot 1 of 4: …", or alone when the plot's own row cut it.
        which = t("demo.plot", i=self.index + 1, n=len(panels), name=title) if len(panels) > 1 else ""
        if not which and shown != title:
            which = title
        if hidden:
            which = " · ".join(filter(None, [which, t("demo.plot.nonfinite", n=hidden)]))
        if off_axis:
            which = " · ".join(filter(None, [which, t("demo.plot.off_log_axis", n=off_axis)]))
        if which:
            lines.append(which)
        return "\n".join(lines)

    def _columns(self) -> int:
        """Character columns of the plot's drawing area (about: the y ticks take a few)."""
        return max(self.size.width, 10) if self.size.width else DEFAULT_COLUMNS

    def _decimated(self, name: str, columns: int) -> tuple[list[float], list[float]]:
        """What is drawn of a series: all of it when it fits the width, else its min/max envelope per column
        (a path or level set: evenly spaced points); the last point always. O(width), never O(points)."""
        xs, ys = self.series[name]
        most = POINTS_PER_COLUMN * columns
        if len(xs) <= most:
            return list(xs), list(ys)
        if name.startswith(("path:", "contour:")):  # x is not the order of the points: keep the path's shape
            return _thin(xs, ys, most)
        env_x, env_y = self.envelopes[name].points(columns - 1)  # one column left for the last point
        if env_x and (env_x[-1], env_y[-1]) != (xs[-1], ys[-1]):
            env_x.append(xs[-1])
            env_y.append(ys[-1])
        return env_x, env_y

    def _set_limits(self, plt, log_y: bool) -> None:
        """Axes that hold every drawn point: nothing is drawn past them."""
        xs = [x for a, _ in self.drawn.values() for x in a]
        ys = [y for _, b in self.drawn.values() for y in b]
        if not xs:
            return
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        if x0 == x1:
            x0, x1 = x0 - 1, x1 + 1
        if y0 == y1:
            y0, y1 = (y0 / 2, y1 * 2) if log_y else (y0 - 1, y1 + 1)
        elif not log_y:
            pad = (y1 - y0) * 0.05
            y0, y1 = y0 - pad, y1 + pad
        plt.xlim(x0, x1)
        self.limits = (x0, x1, y0, y1)
        # Ticks of our own, at round values evenly stepped: plotext's fell at 0.068, 0.003, -0.061 and wrote a
        # tick near zero as -0.0.
        # Counts (a width, a number of samples): ticks at whole numbers, not 1.8, 3.5, 5.2.
        plt.xticks(*(_whole_ticks(x0, x1) if _whole(xs) else _round_ticks(x0, x1)))
        if not log_y:
            plt.ylim(y0, y1)
            plt.yticks(*(_whole_ticks(y0, y1) if _whole(ys) else _round_ticks(y0, y1)))
            return
        lo, hi = math.log10(y0), math.log10(y1)
        plt.ylim(lo, hi)
        plt.yticks(*_log_ticks(lo, hi))


def _fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells with an ellipsis (a Korean syllable takes two)."""
    if cell_len(text) <= width:
        return text
    cut = Text(text)
    cut.truncate(width, overflow="ellipsis")
    return cut.plain


def _mark_points(n: int, marks: int, offset: float) -> list[int]:
    """Indices of `marks` points among `n`, one in each of `marks` equal stretches, at `offset` (0 to 1) into it."""
    return sorted({min(n - 1, round((k + offset) * (n - 1) / marks)) for k in range(marks)})


def _whole(values: list[float]) -> bool:
    """Whether every value is a whole number that a float holds exactly (an axis of counts): 1e20 or 1e308 is a
    measurement, and its ticks are left to plotext."""
    return bool(values) and all(float(v).is_integer() and abs(v) < 2**53 for v in values)


def _whole_ticks(lo: float, hi: float, most: int = 6) -> tuple[list[int], list[str]]:
    """At most `most` ticks at whole numbers between `lo` and `hi`, evenly stepped (1, 2, 5 times a power of 10)."""
    step = max(1, round(_step(max(hi - lo, 1.0), most)))
    first = math.ceil(lo / step) * step
    ticks = list(range(int(first), int(math.floor(hi)) + 1, int(step)))
    return ticks, [str(t) for t in ticks]


def _step(span: float, most: int) -> float:
    """The smallest of 1, 2 or 5 times a power of ten that divides `span` into at most `most` steps."""
    magnitude = 10.0 ** math.floor(math.log10(span / most))
    return next(m * magnitude for m in (1, 2, 5, 10) if span / (m * magnitude) <= most)


def _round_ticks(lo: float, hi: float, most: int = 6) -> tuple[list[float], list[str]]:
    """At most `most` ticks between `lo` and `hi` at round values (multiples of 1, 2 or 5 times a power of ten),
    written with the decimals the step needs and never as -0."""
    if not hi - lo > 1e-290 or not math.isfinite(hi - lo):  # ±1e308 (plotext says it cannot draw them), denormals
        return [lo, hi], _apart([lo, hi])
    step = _step(hi - lo, most - 1)  # `most` ticks: one more than the steps between them
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    first = math.ceil(lo / step - 1e-9)
    ticks = [k * step for k in range(first, math.floor(hi / step + 1e-9) + 1)]
    biggest = max(abs(v) for v in ticks) or step
    if biggest >= 1e5 or step < 1e-3:  # 2e+12, 1.5e-09: as many digits as tell the ticks apart, not 13 zeros
        digits = max(1, math.floor(math.log10(biggest)) - math.floor(math.log10(step) + 1e-9) + 1)
        return ticks, [f"{round(v / step) * step + 0.0:.{digits}g}" for v in ticks]
    return ticks, [f"{round(v, decimals) + 0.0:.{decimals}f}" for v in ticks]  # + 0.0: -0.0 becomes 0.0


def _log_ticks(lo: float, hi: float, most: int = 6) -> tuple[list[float], list[str]]:
    """Ticks of a log axis drawn as log10 between `lo` and `hi`: powers of ten, every k-th when there are too many
    to label evenly (plotext dropped labels unevenly: 0.1, 0.01, 1e-06 on evenly spaced rows); within less than
    three decades, 1, 2 and 5 times them (then every mantissa: two powers of ten alone said little); the ends at
    worst, written with the digits that tell them apart."""
    decades = list(range(math.ceil(lo - 1e-9), math.floor(hi + 1e-9) + 1))
    if len(decades) >= 3:
        every = math.ceil(len(decades) / most)
        ticks = [float(d) for d in decades if d % every == 0]
        if len(ticks) >= 2:
            return ticks, [f"{10**v:.3g}" for v in ticks]
    for mantissas in ((1, 2, 5), range(1, 10)):
        ticks = [
            math.log10(m) + d
            for d in range(math.floor(lo), math.ceil(hi) + 1)
            for m in mantissas
            if lo - 1e-9 <= math.log10(m) + d <= hi + 1e-9
        ]
        if 3 <= len(ticks) <= most + 3:
            return ticks, [f"{10**v:.3g}" for v in ticks]
    if len(decades) >= 2:
        return [float(d) for d in decades], [f"{10**d:.3g}" for d in decades]
    return [lo, hi], _apart([10**lo, 10**hi])


def _apart(values: list[float]) -> list[str]:
    """`values` written with three significant digits, or as many as tell them apart (1 and 1.002 read '1', '1')."""
    for digits in range(3, 18):
        labels = [f"{v:.{digits}g}" for v in values]
        if len(set(labels)) == len(set(values)):
            return labels
    return [repr(v) for v in values]


def _style_at_start(line: Text):
    """The style plotext gave a row's first cell (its background), for text written over that row."""
    styles = [span.style for span in line.spans if span.start == 0]
    return styles[0] if styles else line.style


def _finite(p) -> bool:
    try:
        return math.isfinite(p[0]) and math.isfinite(p[1])
    except (TypeError, IndexError):
        return False


def _thin(xs: array, ys: array, most: int) -> tuple[list[float], list[float]]:
    """At most `most` evenly spaced points (a path keeps its shape), the last one always kept."""
    step = math.ceil(len(xs) / max(most - 1, 1))
    return list(xs[:-1:step]) + [xs[-1]], list(ys[:-1:step]) + [ys[-1]]
