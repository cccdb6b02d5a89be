"""A demo's claims as a checklist: what will be checked before a run, ✓/✗ with the observed values after."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import getters
from textual.widgets import Static

from studyml.content.mathtext import render_math
from studyml.demos.render import fmt
from studyml.tui.app import StudyApp
from studyml.tui.i18n import pick, tr


class DemoClaims(Static):
    """Pending claims (from the plugin's metadata) until a result arrives, then that result's verdicts."""

    app = getters.app(StudyApp)  # typed: self.app.lang and .services

    def __init__(self, declared: list[dict], **kw) -> None:
        super().__init__(**kw)
        self.declared = declared
        self.claims: list[dict] | None = None  # the last result's, None before a run or during one

    def t(self, key: str, **kw) -> str:
        return tr(key, self.app.lang, **kw)

    def text_of(self, claim_id: str) -> str:
        for c in self.declared:
            if c["id"] == claim_id:
                return render_math(pick(c["text"], self.app.lang))
        return claim_id

    def pending(self) -> None:
        self.claims = None
        self.show()

    def result(self, claims: list[dict]) -> None:
        self.claims = claims
        self.show()

    def show(self) -> None:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1)
        # fold: a table cell cuts a line a cell too wide with "…", and Korean lines lost a syllable to it
        grid.add_column(ratio=1, overflow="fold")
        if self.claims is None:
            grid.add_row("", self.t("demo.claims.pending"))
            for c in self.declared:
                grid.add_row("○", Text(self.text_of(c["id"])))  # Text: a str cell is read as rich markup
            self.update(grid)
            return
        grid.add_row(
            "", self.t("demo.claims.summary", ok=sum(bool(c["passed"]) for c in self.claims), n=len(self.claims))
        )
        for c in self.claims:
            mark = Text("✓", "bold green") if c["passed"] else Text("✗", "bold red")
            text = Text(render_math(pick(c.get("text"), self.app.lang)) or self.text_of(c["id"]))
            detail = []
            if c.get("observed"):
                detail.append(f"{self.t('demo.observed')}: {fmt(c['observed'])}")
            if c.get("threshold") is not None:
                detail.append(f"{self.t('demo.threshold')}: {fmt(c['threshold'])}")
            if c.get("detail"):  # the plugin's why (σ² left out), as `studyml demo run` shows it
                detail.append(pick(c["detail"], self.app.lang))
            if detail:
                text.append("\n" + " · ".join(detail), "dim")
            grid.add_row(mark, text)
        self.update(grid)
