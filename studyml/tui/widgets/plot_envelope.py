"""A series' min/max envelope per x-bucket, kept as points arrive, so a plot of a million points draws a few hundred.

Each bucket keeps its lowest and its highest point: a one-sample spike stays visible however many points
share its column. The buckets double in width when the series' x-range outgrows them (merging pairs of
buckets is exact), so adding points costs O(new points) and drawing costs O(buckets), never O(all points).
"""

from __future__ import annotations

import math
from bisect import bisect_left

BUCKETS = 1024  # finer than any terminal plot's columns; drawing merges them down to the plot's width


class Envelope:
    """Min and max y per x-bucket of one series, in the order x grows."""

    def __init__(self) -> None:
        self.origin = 0.0
        self.width = 0.0  # 0 until the first points set the scale
        self.x_lo = self.x_hi = 0.0  # the x-range seen
        self.cells: dict[int, list[float]] = {}  # bucket -> [y_min, x_at_min, y_max, x_at_max]

    def add(self, xs: list[float], ys: list[float]) -> None:
        """Fold finite points in (the caller skips non-finite ones); O(len(xs)) plus O(BUCKETS) for a rescale."""
        if not xs:
            return
        lo, hi = min(xs), max(xs)
        if not self.width:
            self.origin, self.x_lo, self.x_hi = lo, lo, hi
            self.width = max(abs(lo), 1.0) * 2.0**-20  # until the x-range is known; widened below
        self.x_lo, self.x_hi = min(self.x_lo, lo), max(self.x_hi, hi)
        half_range = self.x_hi / 2 - self.x_lo / 2  # halves: no overflow near the largest floats
        if half_range > 0:
            # Wide enough that the whole x-range fits in BUCKETS buckets (logs: no overflow either).
            need = math.log2(half_range) + 1 - math.log2(BUCKETS - 1) - math.log2(self.width)
            if need > 0:
                self._coarsen(math.ceil(need))
        width, start = self.width, self.origin / self.width
        if xs == sorted(xs):  # the usual stream (x grows): a bucket at a time, with C loops inside it
            i, n = 0, len(xs)
            while i < n:
                k = math.floor(xs[i] / width - start)
                j = max(bisect_left(xs, (k + 1 + start) * width, i + 1), i + 1)
                seg = ys[i:j]
                lo, hi = min(seg), max(seg)
                self._merge(k, lo, xs[i + seg.index(lo)], hi, xs[i + seg.index(hi)])
                i = j
            return
        for x, y in zip(xs, ys):
            self._merge(math.floor(x / width - start), y, x, y, x)

    def _merge(self, k: int, lo: float, x_lo: float, hi: float, x_hi: float) -> None:
        cell = self.cells.get(k)
        if cell is None:
            self.cells[k] = [lo, x_lo, hi, x_hi]
            return
        if lo < cell[0]:
            cell[0], cell[1] = lo, x_lo
        if hi > cell[2]:
            cell[2], cell[3] = hi, x_hi

    def _coarsen(self, shift: int) -> None:
        """Buckets 2**shift times wider: each new bucket merges the old ones it covers (floor division is exact)."""
        self.width = math.ldexp(self.width, shift)
        merged: dict[int, list[float]] = {}
        for k, (lo, x_lo, hi, x_hi) in self.cells.items():
            cell = merged.get(k >> shift)
            if cell is None:
                merged[k >> shift] = [lo, x_lo, hi, x_hi]
                continue
            if lo < cell[0]:
                cell[0], cell[1] = lo, x_lo
            if hi > cell[2]:
                cell[2], cell[3] = hi, x_hi
        self.cells = merged

    def points(self, columns: int) -> tuple[list[float], list[float]]:
        """At most 2 * columns points: each column's lowest and highest, in x order."""
        if not self.cells:
            return [], []
        first, last = min(self.cells), max(self.cells)
        group = max(1, math.ceil((last - first + 1) / max(columns, 1)))
        merged: dict[int, list[float]] = {}
        for k in sorted(self.cells):
            lo, x_lo, hi, x_hi = self.cells[k]
            cell = merged.get((k - first) // group)
            if cell is None:
                merged[(k - first) // group] = [lo, x_lo, hi, x_hi]
                continue
            if lo < cell[0]:
                cell[0], cell[1] = lo, x_lo
            if hi > cell[2]:
                cell[2], cell[3] = hi, x_hi
        xs: list[float] = []
        ys: list[float] = []
        for lo, x_lo, hi, x_hi in merged.values():
            pair = [(x_lo, lo)] if (x_lo, lo) == (x_hi, hi) else sorted([(x_lo, lo), (x_hi, hi)])
            for x, y in pair:
                xs.append(x)
                ys.append(y)
        return xs, ys
