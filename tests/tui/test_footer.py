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
