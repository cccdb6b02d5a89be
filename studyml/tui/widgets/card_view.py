"""A card's front and back as Markdown, with inline math shown as Unicode."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from studyml.content.mathtext import render_math
from studyml.content.sources import source_line
from studyml.tui.i18n import pick, tr
from studyml.tui.markup import literal
from studyml.tui.tagnames import tags_line


class CardView(VerticalScroll, can_focus=False):
    """Shows one card; `flip()` reveals the back under the front.

    Not focusable: the study screen owns the keys (space, 1–4) and scrolls the card with PgUp/PgDn, so the
    help panel lists the keys a learner needs rather than a scroll view's ten.
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.card = None
        self.revealed = False
        self.related: list = []

    def compose(self) -> ComposeResult:
        yield Static(id="card-title", classes="card-title")
        yield Markdown(id="card-front", classes="card-front")
        yield Static("─" * 40, id="card-rule", classes="card-rule hidden")
        yield Markdown(id="card-back", classes="card-back hidden")
        yield Static(id="card-meta", classes="card-meta hidden")

    def show(
        self,
        card,
        lang: str,
        revealed: bool = False,
        notes: dict | None = None,
        tags: dict | None = None,
        related: list | None = None,
    ) -> None:
        """`notes`: the pack's titles of its study notes (pack.yaml `notes:`), for the sources line; `tags`: the
        pack's tag names (pack.yaml `tags:`), so tags read in the learner's language; `related`: the cards its
        `see_also` names, shown by their titles under the back."""
        self.card, self.revealed, self.related = card, revealed, related or []
        if notes is not None:
            self.notes = notes
        if tags is not None:
            self.tag_names = tags
        self.render_card(lang)
        self.scroll_home(animate=False)

    def flip(self, lang: str) -> None:
        self.revealed = True
        self.render_card(lang)

    def render_card(self, lang: str) -> None:
        card = self.card
        if card is None:
            return
        self.query_one("#card-title", Static).update(f"[b]{literal(render_math(pick(card.title, lang)))}[/b]")
        self.query_one("#card-front", Markdown).update(render_math(pick(card.front, lang)))
        self.query_one("#card-back", Markdown).update(render_math(pick(card.back, lang)) if self.revealed else "")
        meta = []
        if card.tags:
            meta.append("# " + tags_line(card.tags, lang, getattr(self, "tag_names", {})))
        if self.related:
            # Validated as cards of the pack (pack validate), and said nowhere else: authors filled it for no one.
            titles = " · ".join(literal(render_math(pick(c.title, lang))) for c in self.related)
            meta.append(f"→ {tr('card.see_also', lang)}: {titles}")
        for s in card.sources:
            meta.append("↳ " + source_line(s, getattr(self, "notes", None), lang))
        self.query_one("#card-meta", Static).update("\n".join(meta))
        for wid in ("#card-rule", "#card-back", "#card-meta"):
            self.query_one(wid).set_class(not self.revealed, "hidden")
