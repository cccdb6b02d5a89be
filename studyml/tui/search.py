"""Card search across packs: title, front, back and tags in every language, with the text that matched."""

from __future__ import annotations

import re
import unicodedata

from rich.text import Text

from studyml.content.mathtext import render_math
from studyml.tui.tagnames import tags_line

SNIPPET = 70  # characters of context around the match


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).casefold()


def search_cards(packs, query: str, lang: str):
    """(pack, card, snippet) for cards containing every word of the query, title matches first.

    The snippet is the text where the query matched (the learner's language first), with the match
    highlighted (rich Text), so a hit says why it was found."""
    words = [_norm(w) for w in query.split() if w]
    hits = []
    for pack in packs:
        for card in pack.cards:
            title = " ".join(card.title.values())
            body = " ".join(list(card.front.values()) + list(card.back.values()))
            names = pack.manifest.tags
            tag_names = " ".join(n for t in card.tags for n in names.get(t, {}).values())
            hay = _norm(" ".join((title, body, " ".join(card.tags), tag_names, card.id)))
            if all(_found(w, hay) for w in words):
                rank = 0 if all(_found(w, _norm(title)) for w in words) else 1
                hits.append((rank, pack, card, _snippet(card, words, lang, names)))
    hits.sort(key=lambda h: h[0])
    return [(p, c, s) for _, p, c, s in hits]


_HANGUL = re.compile("[\uac00-\ud7a3]")


def _found(word: str, hay: str) -> bool:
    """`word` in `hay`; a Korean word also across the spaces of `hay`. Korean spacing varies (기울기 소실,
    기울기소실): the same term written without its space found nothing."""
    return word in hay or (_HANGUL.search(word) is not None and word in hay.replace(" ", ""))


def _plain(text: str) -> str:
    """Card Markdown as one line of plain text: math as Unicode, no emphasis marks, links or code fences."""
    text = render_math(text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [label](url) -> label
    text = re.sub(r"[*_`#>]+", "", text)
    return " ".join(text.split())


def _texts(card, lang: str, names=None) -> list[str]:
    """Where to look for the match, in order: front, back, tags (by name: pack.yaml `tags:`); the learner's
    language before the others."""
    order = [lang] + [x for x in list(card.front) + list(card.back) if x != lang]
    out = []
    for code in dict.fromkeys(order):
        for field in (card.front, card.back):
            if code in field:
                out.append(_plain(field[code]))
    if card.tags:
        names = names or {}
        for code in dict.fromkeys([lang, *(x for t in card.tags for x in names.get(t, {}))]):
            out.append("# " + tags_line(card.tags, code, names))
        out.append("# " + " ".join(card.tags))  # the ids, as `tag:` in the browser takes them
    return out


def _snippet(card, words: list[str], lang: str, names=None) -> Text:
    """The text around the first match, each match in reverse video; plain text, never markup."""
    texts = _texts(card, lang, names)
    for text in texts:
        folded = _norm(text)
        if len(folded) != len(text):  # NFKC changed the length: positions would not line up
            folded = text.casefold()
        spots = sorted((folded.find(w), len(w)) for w in words if w and folded.find(w) >= 0)
        if not spots:
            continue
        start = max(0, spots[0][0] - SNIPPET // 3)
        end = min(len(text), start + SNIPPET)
        out, pos = Text("…" if start else ""), start
        for at, n in spots:
            if at < pos or at >= end:
                continue
            out.append(text[pos:at])
            out.append(text[at : at + n], style="reverse")
            pos = at + n
        out.append(text[pos:end] + ("…" if end < len(text) else ""))
        return out
    front = texts[0] if texts else ""  # matched in the title or the id only
    return Text(front[:SNIPPET] + ("…" if len(front) > SNIPPET else ""))
