"""A card's sources name the study note by its title from pack.yaml, never by its file name."""

from __future__ import annotations

from .helpers import SIZE, app, text
from .test_study import _open_study

NOTE = "000_0ce6076d91a55b0a.txt"


def _cite_note(folder) -> None:
    cards = folder / "cards" / "basics.yaml"
    cards.write_text(
        cards.read_text(encoding="utf-8").replace("  sources:\n", f"  sources:\n    - note: {NOTE}\n", 1),
        encoding="utf-8",
    )
    pack = folder / "pack.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8") + f"notes:\n  {NOTE}: {{en: 'Study note 1 — convexity and optimisation', "
        "ko: '학습 노트 1 — 볼록성과 최적화'}\n",
        encoding="utf-8",
    )


async def test_card_sources_show_the_note_title_in_the_learners_language(fixture_pack):
    _cite_note(fixture_pack)

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        await pilot.press("space")
        await pilot.pause()
        meta = text(screen.query_one("#card-meta"))
        assert "↳ Study note 1 — convexity and optimisation" in meta
        assert NOTE not in meta and ".txt" not in meta
        await pilot.press("L")  # switch to Korean
        await pilot.pause()
        assert "↳ 학습 노트 1 — 볼록성과 최적화" in text(screen.query_one("#card-meta"))
