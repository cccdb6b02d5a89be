"""Screens whose key descriptions and texts follow the app's language, with typed access to the app."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from textual import getters
from textual.events import DescendantFocus

from studyml.tui.app import StudyApp
from studyml.tui.i18n import tr
from studyml.tui.keylabels import TEXTUAL_KEYS_KO, localize_bindings

__all__ = ["TEXTUAL_KEYS_KO", "LocalizedMixin", "localize_bindings"]

if TYPE_CHECKING:
    from textual.screen import Screen

    _ScreenBase = Screen[Any]
else:
    _ScreenBase = object


class LocalizedMixin(_ScreenBase):
    """Mixed into a Screen: the typed app, `t(key)` in its language, and `relabel()` when the language changes."""

    app = getters.app(StudyApp)

    def t(self, key: str, **kw: object) -> str:
        return tr(key, self.app.lang, **kw)

    def on_mount(self) -> Awaitable[None] | None:
        # Textual runs every class's on_mount along the MRO, so the screens' own on_mount does not replace this.
        # (Typed as either kind of handler: a screen's own on_mount may be async, like the quiz's.)
        self.watch(self.app, "lang", self._language_changed, init=False)
        return None

    def _language_changed(self, lang: str) -> None:
        self.apply_language()

    def apply_language(self) -> None:
        localize_bindings(self, self.app.lang)
        for node in self.query("*"):  # our widgets' keys (a quiz answer's) and Textual's own (an input's)
            localize_bindings(node, self.app.lang)
        self.refresh_bindings()
        self.relabel()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        # Widgets mounted later (a quiz's answer list, a demo's fields) get their keys in the language too, and so
        # do the widgets around them whose keys the footer shows (the order answer's "Move up": it stayed English).
        for node in event.widget.ancestors_with_self:
            if node is self:
                break
            localize_bindings(node, self.app.lang)
        self.refresh_bindings()  # and the footer follows the focus (the demo screen's run and help keys)

    def relabel(self) -> None:  # screens override to re-render their texts in the new language
        pass
