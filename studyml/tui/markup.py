"""Text from packs, plugins and the learner inside Textual markup: shown as written, never read as styles."""

from __future__ import annotations

from rich.text import Text


def literal(text: str) -> str:
    """`text` as Textual markup that shows exactly `text`.

    Textual reads any `[word]` as a style tag, so `E[X]`, `x[i]` and `[MASK]` lost their brackets; rich's
    `escape` leaves `[X]` alone (it escapes lowercase tags only, as rich's own parser reads them). A backslash
    before every `[` is exact for Textual's parser (tests/tui/test_text_shown.py).
    """
    return text.replace("[", "\\[")


def _code_spans(text: str) -> list[tuple[str, bool]]:
    """`text` split into (piece, is code) at Markdown's inline code backticks (a lone backtick stays as written)."""
    parts = text.split("`")
    if len(parts) < 3:
        return [(text, False)]
    if len(parts) % 2 == 0:  # an odd number of backticks: the last one opens nothing
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    return [(part, i % 2 == 1) for i, part in enumerate(parts) if part]


CODE_STYLE = "bold"


def inline_code(text: str) -> Text:
    """Plain text with Markdown's `code` shown as code, not as backticks: options and summaries are not Markdown
    widgets, and "`[MASK]` never appears" showed its backticks."""
    return Text.assemble(*[(piece, CODE_STYLE if code else "") for piece, code in _code_spans(text)])


def code_markup(text: str) -> str:
    """`inline_code` as Textual markup, every other character shown as written (see `literal`)."""
    return "".join(f"[{CODE_STYLE}]{literal(p)}[/]" if code else literal(p) for p, code in _code_spans(text))
