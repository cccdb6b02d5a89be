"""The footer shows the keys the screen's state allows, and is rebuilt only when they change."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from studyml.tui.widgets.footer import Footer

from .helpers import SIZE, app, loaded


def _shown(screen) -> list[FooterKey]:
    return list(screen.query(FooterKey))


def _labels(screen) -> set[str]:
    return {key.description for key in _shown(screen)}


async def test_the_footer_follows_the_study_screen_and_the_language(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert {"Back", "Show answer", "Keys"} <= _labels(a.screen)
        await pilot.press("space")  # the ratings are buttons on the card, not footer keys
        await pilot.pause()
        assert "Show answer" not in _labels(a.screen) and "Back" in _labels(a.screen)
        await pilot.press("L")
        await pilot.pause()
        assert {"뒤로", "단축키", "English"} <= _labels(a.screen) and "Back" not in _labels(a.screen)


async def test_a_refresh_that_changes_nothing_does_not_rebuild_the_footer(fixture_pack):
    """Textual's Footer rebuilds every key at each refresh_bindings(); ours only when a key changes."""
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        before = _shown(a.screen)
        assert before, "the library shows its keys"
        for _ in range(3):
            a.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert _shown(a.screen) == before and all(k.is_attached for k in before)


async def test_a_rebuild_styles_each_key_as_it_mounts_not_again_after(fixture_pack, monkeypatch):
    """Textual's FooterKey starts compact and is bound to the footer's `compact` once mounted: every key was
    restyled twice after mounting (about a tenth of a keypress's CPU on the study screen)."""
    restyled: list[str] = []
    original = FooterKey.update_node_styles

    def spy(self, animate: bool = True) -> None:
        restyled.append(self.key)
        original(self, animate)

    monkeypatch.setattr(FooterKey, "update_node_styles", spy)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")  # the study screen: a footer of its own, rebuilt as the card flips
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        # As Textual leaves them: the keys follow the footer (not compact), the command palette's key is compact.
        compact = {k.key: k.has_class("-compact") for k in _shown(a.screen)}
        assert compact.pop(a.COMMAND_PALETTE_BINDING) is True and compact and not any(compact.values())
        assert restyled == []


def _fits(app) -> list:
    """The footer keys (the palette's aside) that do not end before the palette's key starts: cut or hidden."""
    keys = _shown(app.screen)
    palette = next(k for k in keys if k.key == app.COMMAND_PALETTE_BINDING)
    return [(k.key, k.description) for k in keys if k is not palette and k.region.right > palette.region.x]


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_at_80_columns_every_screens_footer_keeps_its_keys_and_the_language_switch_in_view(fixture_pack, lang):
    # At 80 columns "? Keys" and "L 한국어" fell off the footer's end (library, study), and the palette's "명령" was
    # cut to "령" in Korean: the card's page keys and q left the footer (the keys panel lists them), and a narrow
    # footer drops its padding.
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        if lang == "ko":
            await pilot.press("L")
            await pilot.pause()
        switch = "English" if lang == "ko" else "한국어"
        visited = []
        for keys in ([], ["s"], ["space"], ["escape", "b"], ["escape", "i"], ["escape", "t"]):
            await pilot.press(*keys)
            await pilot.pause()
            await pilot.pause()
            visited.append(type(a.screen).__name__)
            shown = {k.description for k in _shown(a.screen)}
            assert _fits(a) == [], (type(a.screen).__name__, _fits(a))
            assert switch in shown and ("Keys" if lang == "en" else "단축키") in shown, (type(a.screen).__name__, shown)
        assert a.screen.query_one(Footer).compact
        assert visited == [
            "LibraryScreen",
            "StudyScreen",
            "StudyScreen",
            "BrowserScreen",
            "StatsScreen",
            "QuizSetupScreen",
        ]
    wide = app()
    async with wide.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert not wide.screen.query_one(Footer).compact  # wide enough for the padding


async def test_page_keys_scroll_a_card_longer_than_its_view_and_back(fixture_pack):
    a = app()
    async with a.run_test(size=(60, 16)) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "space")
        await pilot.pause()
        from studyml.tui.widgets.card_view import CardView

        view = a.screen.query_one(CardView)
        assert view.max_scroll_y > 0, "the answer side is longer than the view at this size"
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.scroll_y > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert view.scroll_y == 0


async def test_the_keys_panel_lists_textuals_own_keys_in_korean_too(fixture_pack):
    # "tab Focus Next", "shift+tab Focus Previous" and "Copy selected text" stayed English in Korean.
    from textual.widgets import HelpPanel

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("L", "question_mark")
        await pilot.pause()
        await pilot.pause()
        assert a.screen.query(HelpPanel)
        # The panel lists the screen's active bindings with these descriptions.
        descriptions = {b.description for (_node, b, _e, _t) in a.screen.active_bindings.values()}
        assert {"다음 요소로 이동", "이전 요소로 이동", "선택한 글자 복사"} <= descriptions, descriptions
        assert not {"Focus Next", "Focus Previous", "Copy selected text"} & descriptions
        await pilot.press("L")
        await pilot.pause()
        descriptions = {b.description for (_node, b, _e, _t) in a.screen.active_bindings.values()}
        assert {"Focus Next", "Focus Previous", "Copy selected text"} <= descriptions
