"""Answering each kind of quiz item with the keys a learner would press."""

from __future__ import annotations

from .helpers import type_text

TYPED = {
    # kind: (right, wrong)
    "numeric": ("0.25", "0.5"),
    "text": ("sigmoid", "tanh"),
    "expr": ("sigmoid(x)*(1-sigmoid(x))", "sigmoid(x)"),
}
TYPED_KO = {"text": ("시그모이드", "탄젠트")}


async def move_to(pilot, current: int, target: int) -> None:
    key = "down" if target > current else "up"
    await pilot.press(*[key] * abs(target - current))


async def answer(pilot, item, right: bool, lang: str = "en") -> None:
    """Answer `item` on the current QuizScreen, rightly or wrongly, with keys only."""
    screen = pilot.app.screen
    kind = item.kind
    if kind == "choice":
        ol = screen.query_one("#answer-choices")
        ids = [ol.get_option_at_index(i).id for i in range(ol.option_count)]
        target = item.answer if right else next(k for k in ids if k != item.answer)
        await move_to(pilot, ol.highlighted or 0, ids.index(target))
        await pilot.press("enter")
    elif kind == "multi":
        sl = screen.query_one("#answer-multi")
        values = [sl.get_option_at_index(i).value for i in range(sl.option_count)]
        want = set(item.answers) if right else {next(v for v in values if v not in item.answers)}
        await move_to(pilot, sl.highlighted or 0, 0)
        for v in values:
            if v in want:
                await pilot.press("space")
            await pilot.press("down")
        await pilot.press("s")
    elif kind == "order":
        widget = screen.query_one("#answer")
        view = screen.query_one("#answer-order")
        if right:
            for p in range(len(widget.order)):
                j = widget.order.index(p)
                await move_to(pilot, view.index or 0, j)
                await pilot.press(*["K"] * (j - p))
            assert widget.order == sorted(widget.order)
        await pilot.press("s")
    else:
        table = TYPED_KO if lang == "ko" and kind in TYPED_KO else TYPED
        await type_text(pilot, table[kind][0 if right else 1])
        await pilot.press("enter")
