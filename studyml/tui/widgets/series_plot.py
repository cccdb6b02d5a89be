"""Live plots of a demo's named series: loss curves, optimizer paths, one group of series per plot."""

from __future__ import annotations

import math
import time
from typing import Callable

from textual_plotext import PlotextPlot

MAX_DRAWN = 400  # points drawn per series: a terminal plot has a few hundred braille columns; plotext is slow


def group_of(name: str) -> str:
    """'path:<opt>:<problem>' series share a plot per problem with 'contour:<problem>' (the level sets
    drawn behind them); 'loss:train' and 'loss:val' share 'loss'."""
    if name.startswith("path:") and name.count(":") >= 2:
        return "path:" + name.split(":", 2)[2]
    if name.startswith("contour:"):
        return "path:" + name.split(":", 1)[1]
    return name.split(":", 1)[0] if ":" in name else ""


class SeriesPlot(PlotextPlot):
    """Holds the series of the current run and draws one group at a time (`next_group` cycles)."""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.series: dict[str, tuple[list[float], list[float]]] = {}
        self.skipped: dict[str, int] = {}  # non-finite points per series: plotext cannot draw them
        self.index = 0
        self.render_seconds = 0.0  # what the last plotext build cost on the UI thread

    def render(self):
        t0 = time.perf_counter()
        try:
            return super().render()
        finally:
            self.render_seconds = time.perf_counter() - t0

    def clear_series(self) -> None:
        self.series = {}
        self.skipped = {}
        self.index = 0

    def add(self, name: str, x: float, y: float) -> None:
        self.add_many(name, [[x, y]])

    def add_many(self, name: str, points: list[list[float]]) -> None:
        """Append points; NaN and infinite ones are counted, not kept."""
        xs, ys = self.series.setdefault(name, ([], []))
        try:  # fast path (C loops only): a finite sum means every value is finite
            new_x, new_y = [float(p[0]) for p in points], [float(p[1]) for p in points]
            if math.isfinite(math.fsum(new_x) + math.fsum(new_y)):
                xs.extend(new_x)
                ys.extend(new_y)
                return
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
        finite = [p for p in points if _finite(p)]
        if len(finite) != len(points):
            self.skipped[name] = self.skipped.get(name, 0) + len(points) - len(finite)
        xs.extend(float(p[0]) for p in finite)
        ys.extend(float(p[1]) for p in finite)

    def count(self) -> int:
        """Points received, shown or not."""
        return sum(len(xs) for xs, _ in self.series.values()) + sum(self.skipped.values())

    def replace(self, series: dict[str, list[list[float]]]) -> None:
        """The final series of a result (the stream may have been throttled or cut short)."""
        self.series, self.skipped = {}, {}
        for name, points in series.items():
            self.add_many(name, points)

    def groups(self) -> list[str]:
        out: list[str] = []
        for name in self.series:
            g = group_of(name)
            if g not in out:
                out.append(g)
        return out

    def next_group(self) -> None:
        groups = self.groups()
        if groups:
            self.index = (self.index + 1) % len(groups)

    def redraw(self, t: Callable[..., str]) -> str:
        """Draw the current group; returns its caption ('' when there is one plot). `t` translates."""
        plt = self.plt
        plt.clear_figure()
        groups = self.groups()
        if not groups:
            plt.title(t("demo.plot.waiting"))
            self.refresh()
            return ""
        self.index %= len(groups)
        group = groups[self.index]
        members = [n for n in self.series if group_of(n) == group]
        drawn = {n: _thin(*self.series[n]) for n in members}
        ys_all = [y for n in members if not n.startswith("contour:") for y in drawn[n][1]]
        # Losses spanning decades read better on a log axis.
        if ys_all and all(y > 0 for y in ys_all) and max(ys_all) / min(ys_all) > 1e3:
            plt.yscale("log")
        paths = group.startswith("path:")
        # Level sets first, so the optimizer paths are drawn on top of them.
        members.sort(key=lambda n: not n.startswith("contour:"))
        for name in members:
            xs, ys = drawn[name]
            if not xs:
                continue  # e.g. a series that was all NaN: the caption says so
            label = name.split(":")[1] if paths else name
            if name.startswith("contour:"):
                plt.scatter(xs, ys, marker="braille", color="gray")
            elif paths:
                plt.plot(xs, ys, label=label, marker="dot")
                plt.scatter(xs[-1:], ys[-1:], marker="x")
            elif len(xs) == 1:
                plt.scatter(xs, ys, label=label)
            elif len(self.series[name][0]) > MAX_DRAWN:
                # A thinned series is dense enough as dots; lines between them would cost plotext
                # (on the UI thread) far more, e.g. 0.4 s for a zig-zag of 400 points.
                plt.scatter(xs, ys, label=label, marker="braille")
            else:
                plt.plot(xs, ys, label=label, marker="braille")
        title = t("demo.plot.paths", problem=group.split(":", 1)[1]) if paths else (group or t("demo.plot.main"))
        plt.title(title)
        self.refresh()
        caption = t("demo.plot", i=self.index + 1, n=len(groups), name=title) if len(groups) > 1 else ""
        hidden = sum(self.skipped.get(n, 0) for n in members)
        if hidden:
            caption = " · ".join(filter(None, [caption, t("demo.plot.nonfinite", n=hidden)]))
        return caption


def _finite(p) -> bool:
    try:
        return math.isfinite(p[0]) and math.isfinite(p[1])
    except (TypeError, IndexError):
        return False


def _thin(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """At most about MAX_DRAWN evenly spaced points, the last one always kept."""
    if len(xs) <= MAX_DRAWN:
        return xs, ys
    step = math.ceil(len(xs) / MAX_DRAWN)
    return xs[::step] + xs[-1:], ys[::step] + ys[-1:]
