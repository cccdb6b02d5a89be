"""The footer shows the keys the screen's state allows, and is rebuilt only when they change."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

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


async def test_at_80_columns_the_study_footer_keeps_keys_and_the_language_switch_in_view(fixture_pack):
    # The card's scroll keys filled the footer: "? Keys" and "L 한국어" fell off its end at 80 columns (and the
    # palette's "명령" was cut to "령" in Korean). They work from the keys panel's list, without a footer entry.
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await pilot.pause()
        for lang, wanted in (("en", {"Back", "Show answer", "Keys", "한국어"}), ("ko", {"뒤로", "정답 보기", "단축키"})):
            if lang == "ko":
                await pilot.press("L")
                await pilot.pause()
                await pilot.pause()
            keys = _shown(a.screen)
            palette = next(k for k in keys if k.key == a.COMMAND_PALETTE_BINDING)
            shown = [k for k in keys if k is not palette]
            assert wanted <= {k.description for k in shown}
            assert all(k.region.right <= palette.region.x for k in shown), [(k.key, k.region) for k in shown]
            assert not {"pageup", "pagedown"} & {k.key for k in shown}


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
