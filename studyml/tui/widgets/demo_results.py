"""A demo's results: metrics by their declared label and unit, then its explanation texts and tables."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Markdown, Static

from studyml.content.mathtext import render_math
from studyml.demos.render import cells, fmt
from studyml.tui.app import StudyApp
from studyml.tui.i18n import pick, tr


def metric_label(metrics: list[dict], metric_id: str, lang: str) -> tuple[str, str]:
    """(label, unit) of a metric from the plugin's `metrics` metadata; an undeclared one (API 1.0) is its id."""
    for m in metrics or []:
        if m.get("id") == metric_id:
            unit = m.get("unit") or ""
            return pick(m.get("label"), lang) or metric_id, pick(unit, lang) if isinstance(unit, dict) else str(unit)
    return metric_id, ""


def with_unit(value: str, unit: str) -> str:
    if not unit:
        return value
    return f"{value}{unit}" if unit in ("%", "°") else f"{value} {unit}"


class DemoResults(Vertical):
    """Hidden parts stay hidden: no metrics heading without metrics, no explanation heading without text."""

    app = getters.app(StudyApp)  # typed: self.app.lang and .services

    def __init__(self, metrics_meta: list[dict], **kw) -> None:
        super().__init__(**kw)
        self.metrics_meta = metrics_meta
        self.result = None

    def t(self, key: str, **kw) -> str:
        return tr(key, self.app.lang, **kw)

    def compose(self) -> ComposeResult:
        yield Static(id="demo-metrics-heading", classes="heading hidden")
        yield DataTable(id="demo-metrics", classes="hidden", cursor_type="none", zebra_stripes=True)
        yield Static(id="demo-text-heading", classes="heading hidden")
        yield Markdown(id="demo-text")

    def label(self, metric_id: str) -> str:
        return metric_label(self.metrics_meta, metric_id, self.app.lang)[0]

    def on_resize(self) -> None:
        if self.result is not None:  # the label column's width follows the room (see show)
            self.show()

    def clear(self) -> None:
        self.result = None
        self.show()

    def show(self, result=None) -> None:
        if result is not None:
            self.result = result
        r, lang = self.result, self.app.lang
        self.query_one("#demo-metrics-heading", Static).update(self.t("demo.metrics"))
        self.query_one("#demo-text-heading", Static).update(self.t("demo.explanation"))
        metrics: dict[str, Any] = r.metrics if r is not None else {}
        table = self.query_one("#demo-metrics", DataTable)
        table.clear(columns=True)
        rows = [(*metric_label(self.metrics_meta, name, lang), value) for name, value in metrics.items()]
        values = [with_unit(fmt(value), unit) for _, unit, value in rows]
        # A label wraps in a column that leaves the values room: a long one ("Smallest Hessian eigenvalue of the
        # two-layer linear net at …") pushed the value column off the screen, behind a horizontal scrollbar.
        widest = max((cell_len(v) for v in values), default=0)
        room = max(16, (self.size.width or 80) - max(widest, cell_len(self.t("demo.col.value"))) - 6)
        labels = [Text(label) for label, _, _ in rows]  # a str cell is read as markup
        header = self.t("demo.col.metric")
        width = min(room, max([cell_len(header)] + [cell_len(t.plain) for t in labels]))
        table.add_column(header, key="metric", width=width)
        table.add_column(self.t("demo.col.value"), key="value")
        for label, value in zip(labels, values):
            table.add_row(label, Text(value), height=None)  # as many rows as the label wraps to
        for wid in ("#demo-metrics", "#demo-metrics-heading"):
            self.query_one(wid).set_class(not metrics, "hidden")
        parts: list[str] = []
        if r is not None:
            parts = [render_math(pick(t, lang)) for t in r.result.get("texts", [])]
            for tab in r.result.get("tables", []):
                head = "| " + " | ".join(pick(c, lang) for c in tab["columns"]) + " |"
                rule = "|" + "---|" * len(tab["columns"])
                rows = ["| " + " | ".join(fmt(v) for v in cells(row, lang)) + " |" for row in tab["rows"]]
                parts.append(f"**{pick(tab['title'], lang)}**\n\n" + "\n".join([head, rule, *rows]))
        self.query_one("#demo-text", Markdown).update("\n\n".join(parts))
        self.query_one("#demo-text-heading").set_class(not parts, "hidden")
