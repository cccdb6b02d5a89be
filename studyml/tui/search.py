"""Card search across packs: title, front, back and tags in every language."""

from __future__ import annotations

import unicodedata

from studyml.content.mathtext import render_math


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).casefold()


def search_cards(packs, query: str, lang: str):
    """(pack, card, snippet) for cards containing every word of the query, title matches first."""
    words = [_norm(w) for w in query.split() if w]
    hits = []
    for pack in packs:
        for card in pack.cards:
            title = " ".join(card.title.values())
            body = " ".join(list(card.front.values()) + list(card.back.values()))
            hay = _norm(" ".join((title, body, " ".join(card.tags), card.id)))
            if all(w in hay for w in words):
                rank = 0 if all(w in _norm(title) for w in words) else 1
                hits.append((rank, pack, card, _snippet(card, words, lang)))
    hits.sort(key=lambda h: h[0])
    return [(p, c, s) for _, p, c, s in hits]


def _snippet(card, words, lang: str) -> str:
    text = render_math(card.front.get(lang) or next(iter(card.front.values())))
    text = " ".join(text.split())
    return text[:70] + ("…" if len(text) > 70 else "")
