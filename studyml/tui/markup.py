"""Text from packs, plugins and the learner inside Textual markup: shown as written, never read as styles."""


def literal(text: str) -> str:
    """`text` as Textual markup that shows exactly `text`.

    Textual reads any `[word]` as a style tag, so `E[X]`, `x[i]` and `[MASK]` lost their brackets; rich's
    `escape` leaves `[X]` alone (it escapes lowercase tags only, as rich's own parser reads them). A backslash
    before every `[` is exact for Textual's parser (tests/tui/test_text_shown.py).
    """
    return text.replace("[", "\\[")
