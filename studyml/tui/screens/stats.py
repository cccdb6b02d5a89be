"""Stats: review calendar, reviews per day, retention, due forecast, mastery by pack, quiz accuracy by tag."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual_plotext import PlotextPlot

from studyml.lang import pad
from studyml.srs.stats import UNTAGGED
from studyml.tui.i18n import pick
from studyml.tui.localized import LocalizedMixin, localize_bindings
from studyml.tui.markup import literal
from studyml.tui.stats_text import pct as _pct
from studyml.tui.stats_text import summary_lines
from studyml.tui.tagnames import counted_tag_label, names_by_pack
from studyml.tui.widgets.footer import Footer

WEEKS = 20
PER_DAY_DAYS = 30
FORECAST_DAYS = 14
# GitHub-like greens: no reviews, then four levels relative to the busiest day.
SHADES = ["#2d333b", "#0e4429", "#006d32", "#26a641", "#39d353"]


class StatsScreen(LocalizedMixin, Screen):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="stats.back"),
        Binding("g", "refresh", "Refresh", id="stats.refresh"),
    ]

    def __init__(self, now: datetime | None = None) -> None:
        super().__init__()
        self.now = now  # fixed in tests so the calendar and forecast do not move
        self.data: dict = {}
        self.days: list[dict] = []
        self.error: str | None = None  # why the progress could not be read, shown instead of the charts
        self._title_room: int | None = None  # cells the pack titles were cut to fit (_pack_title_room)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(id="stats-heading", classes="heading")
            yield Static(id="stats-empty", classes="message hidden")
            with Vertical(id="stats-body"):
                with Horizontal(id="stats-top"):
                    yield Static(id="stats-calendar")
                    yield Static(id="stats-summary")
                with Horizontal(id="stats-charts"):
                    yield PlotextPlot(id="stats-per-day")
                    yield PlotextPlot(id="stats-forecast")
                with Horizontal(id="stats-tables"):
                    with Vertical():
                        yield Static(id="stats-packs-heading", classes="heading")
                        yield DataTable(id="stats-packs", cursor_type="row", zebra_stripes=True)
                    with Vertical():
                        yield Static(id="stats-tags-heading", classes="heading")
                        yield DataTable(id="stats-tags", cursor_type="row", zebra_stripes=True)
                        yield Static(id="stats-no-quiz", classes="hint hidden")
                        yield Static(id="stats-misconceptions", classes="hidden")
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.action_refresh()

    # -- data ---------------------------------------------------------------------------------
    def action_refresh(self) -> None:
        self.error = None
        try:
            self._load()
        except Exception as e:  # an unreadable store: say so instead of crashing the app
            self.data = {}
            self.error = self.app.services.store_problem(e) or str(e)
            self.notify(self.error, severity="error", timeout=20, markup=False)
        self._show()

    def _load(self) -> None:
        from studyml.srs.stats import compute_stats, content_inputs

        packs, tags = content_inputs(self.app.services.good_packs())
        store = self.app.services.srs.store
        self.data = compute_stats(store, packs, tags, now=self.now, days=PER_DAY_DAYS)
        # The calendar needs a longer window; only its per-day counts are used.
        self.days = compute_stats(store, {}, {}, now=self.now, days=WEEKS * 7, forecast_days=1)["reviews_per_day"]

    # -- rendering ------------------------------------------------------------------------------
    def _show(self) -> None:
        d = self.data
        self.query_one("#stats-heading", Static).update(self.t("stats.heading"))
        empty = not d or (d["totals"]["reviews"] == 0 and d["quiz"]["attempts"] == 0)
        self.query_one("#stats-empty", Static).update(literal(self.error) if self.error else self.t("stats.empty"))
        self.query_one("#stats-empty").set_class(not empty, "hidden")
        self.query_one("#stats-body").set_class(empty, "hidden")
        if empty:
            return
        self.query_one("#stats-calendar", Static).update(self._calendar())
        self.query_one("#stats-summary", Static).update(self._summary())
        self._bars("#stats-per-day", d["reviews_per_day"], self.t("stats.per_day", days=PER_DAY_DAYS), "green")
        self._bars(
            "#stats-forecast", d["forecast"][:FORECAST_DAYS], self.t("stats.forecast", days=FORECAST_DAYS), "blue"
        )
        self.query_one("#stats-packs-heading", Static).update(self.t("stats.packs"))
        self.query_one("#stats-tags-heading", Static).update(self.t("stats.tags"))
        self._packs_table()
        self._tags_table()

    def _summary(self) -> str:
        d = self.data
        return "\n\n".join(summary_lines(d, self.app.lang))

    def _calendar(self) -> Text:
        """Weekday rows, week columns, the last column holding today; shade by review count."""
        counts = {date.fromisoformat(x["date"]): x["count"] for x in self.days}
        today = max(counts) if counts else date.today()
        last_monday = today - timedelta(days=today.weekday())
        first_monday = last_monday - timedelta(weeks=WEEKS - 1)
        top = max(counts.values(), default=0)
        names = self.t("stats.weekdays").split(",")
        label_w = max(cell_len(n) for n in names) + 1
        out = Text()
        out.append(self.t("stats.calendar", weeks=WEEKS) + "\n", style="bold")
        out.append(self._months_row(first_monday, label_w) + "\n", style="dim")
        for wd in range(7):
            out.append(pad(names[wd] if wd % 2 == 0 else "", label_w), style="dim")
            for w in range(WEEKS):
                day = first_monday + timedelta(weeks=w, days=wd)
                if day > today:
                    out.append("  ")
                    continue
                n = counts.get(day, 0)
                level = 0 if n == 0 or top == 0 else min(4, 1 + (4 * n - 1) // top)
                out.append("■ ", style=SHADES[level])
            out.append("\n")
        out.append(pad("", label_w) + self.t("stats.less") + " ", style="dim")
        for shade in SHADES:
            out.append("■ ", style=shade)
        out.append(self.t("stats.more"), style="dim")
        return out

    def _months_row(self, first_monday: date, label_w: int) -> str:
        """Month labels above the week where each month starts; labels never overlap."""
        row, used, prev = " " * label_w, label_w, None
        names = self.t("stats.months").split(",")
        for w in range(WEEKS):
            month = (first_monday + timedelta(weeks=w)).month
            col = label_w + 2 * w
            if month != prev and col >= used:
                label = names[month - 1]
                row += " " * (col - used) + label
                used = col + cell_len(label) + 1
                row += " "
            prev = month
        return row.rstrip()

    def _bars(self, wid: str, rows: list[dict], title: str, color: str) -> None:
        widget = self.query_one(wid, PlotextPlot)
        plt = widget.plt
        plt.clear_figure()
        labels = [r["date"][5:] for r in rows]  # MM-DD: the year is obvious
        counts = [r["count"] for r in rows]
        # Only non-zero days: plotext draws a one-row block for a zero bar.
        days = [i + 1 for i, c in enumerate(counts) if c]
        if days:
            plt.bar(days, [counts[i - 1] for i in days], color=color, width=bar_width(days))
        top = max(counts, default=0)
        plt.xlim(0, len(rows) + 1)
        # The plot's own rows less its title, x tick labels and the frame's top and bottom lines.
        canvas = (widget.size.height or int(widget.styles.height.value if widget.styles.height else 0)) - 4
        high, ticks = counts_axis(top, canvas)
        plt.ylim(0, high)
        plt.yticks([float(t) for t in ticks], [str(t) for t in ticks])
        step = max(1, len(rows) // 6)
        ticks = list(range(1, len(rows) + 1, step))
        plt.xticks([float(t) for t in ticks], [labels[i - 1] for i in ticks])
        plt.title(title)
        widget.refresh()

    def _packs_table(self) -> None:
        table = self.query_one("#stats-packs", DataTable)
        table.clear(columns=True)
        for key in ("pack", "cards", "learned", "mastered", "due", "mastery"):
            table.add_column(self.t(f"stats.col.{key}"), key=key)
        titles = {p.id: pick(p.manifest.title, self.app.lang) for p in self.app.services.good_packs()}
        room = self._title_room = self._pack_title_room()
        for pid, c in self.data["packs"].items():
            filled = round(c["mastery"] * 10)
            bar = "█" * filled + "░" * (10 - filled)
            title = Text(titles.get(pid, pid))  # as Text: a str cell is read as rich markup
            title.truncate(room, overflow="ellipsis")
            table.add_row(
                title,
                str(c["cards"]),
                str(c["learned"]),
                str(c["mastered"]),
                str(c["due"]),
                f"{bar} {c['mastery']:.0%}",
            )

    def _pack_title_room(self) -> int:
        """Cells the pack title may take so that a row fits the screen: at 80 columns a long title pushed the
        mastery percentage out of view. Each other column takes its header's width or its widest value, with a
        cell of padding either side; the screen's padding, scroll bar and the table's margin take 6, and the
        table's own scroll bar 2 more once it holds more rows than it shows."""
        packs = self.data["packs"].values()
        widest = {
            key: max((len(str(c[key])) for c in packs), default=1) for key in ("cards", "learned", "mastered", "due")
        }
        widest["mastery"] = len("██████████ 100%") if any(c["mastery"] >= 1 for c in packs) else len("██████████ 99%")
        others = sum(max(cell_len(self.t(f"stats.col.{key}")), w) + 2 for key, w in widest.items())
        scroll_bar = 2 if len(packs) > 14 else 0  # max-height 16: a header and 15 rows, less a margin of one
        return max(12, self.app.size.width - 6 - scroll_bar - others - 2)

    def on_resize(self) -> None:
        # Filled again only when the room changed: a refill waits for the table to measure its cells again.
        if self.data and self.data.get("packs") and self._pack_title_room() != self._title_room:
            self._packs_table()

    def _tags_table(self) -> None:
        table = self.query_one("#stats-tags", DataTable)
        table.clear(columns=True)
        for key in ("tag", "attempts", "correct", "accuracy"):
            table.add_column(self.t(f"stats.col.{key}"), key=key)
        by_tag = self.data["quiz"]["by_tag"]
        for tag, t in sorted(by_tag.items(), key=lambda kv: (kv[1]["accuracy"] or 0, self._tag(kv[0]))):
            table.add_row(Text(self._tag(tag)), str(t["attempts"]), str(t["correct"]), _pct(t["accuracy"]))
        none = self.query_one("#stats-no-quiz", Static)
        none.update(self.t("stats.no_quiz"))
        none.set_class(bool(by_tag), "hidden")
        table.set_class(not by_tag, "hidden")
        hits = self.data["quiz"].get("misconceptions") or []
        box = self.query_one("#stats-misconceptions", Static)
        box.update(
            "\n".join(
                [f"[b]{self.t('stats.misconceptions')}[/b]"]
                + [
                    f"{h['count']}× {literal(self._tag(h['tag']))}: {literal(pick(h['feedback'], self.app.lang))}"
                    for h in hits
                ]
            )
        )
        box.set_class(not hits, "hidden")

    def _tag(self, tag: str) -> str:
        """A tag by the names the packs its answers came from give it, in the learner's language."""
        if tag == UNTAGGED:
            return self.t("stats.untagged")
        names = getattr(self, "_tag_names", None)
        if names is None:
            names = self._tag_names = names_by_pack(self.app.services.good_packs())
        packs = self.data["quiz"]["by_tag"].get(tag, {}).get("packs", [])
        return counted_tag_label(tag, self.app.lang, names, packs)

    def relabel(self) -> None:
        self._show()


def counts_axis(top: int, rows: int, most: int = 6) -> tuple[float, list[int]]:
    """The top of a y-axis of counts up to `top` drawn on `rows` rows, and its ticks: whole numbers 1, 2 or 5 times a
    power of ten apart, at most `most` steps, each the same number of rows apart; the lowest such axis with three
    ticks or more. plotext puts a value on the row nearest it: ticks 0 … 5 on ten rows fell on rows 0, 2, 4, 5, 7,
    9, and 0, 1, 2 on rows 0, 4, 9."""
    top = max(top, 1)
    found: list[tuple[bool, float, int]] = []  # (fewer than three ticks, the axis's top, step)
    for step in (m * 10**e for e in range(len(str(top))) for m in (1, 2, 5)):
        if step > top:
            break
        steps = -(-top // step)  # to reach `top`
        per = (rows - 1) // steps if rows > 1 else 0  # rows per step: a whole number
        if per:
            high = step * (rows - 1) / per  # the axis's top: every step is `per` rows
            if high // step <= most:
                found.append((high // step < 2, high, step))
    if not found:  # no room for even steps (a plot a few rows high): as plotext would
        step = max(1, -(-top // 5))
        return float(top), list(range(0, top + step, step))
    _, high, step = min(found)
    return high, list(range(0, int(high // step) * step + 1, step))


def bar_width(days: list[int], wide: float = 0.5) -> float:
    """The `width` that makes plotext draw each bar `wide` days wide: it widens bars by the mean gap between them, and
    two days with cards nine days apart were drawn 4.5 days wide, as if cards were due in between."""
    gap = (days[-1] - days[0]) / (len(days) - 1) if len(days) > 1 and days[-1] > days[0] else 1
    return wide / gap
