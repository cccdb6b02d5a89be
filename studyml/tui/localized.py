"""Screens whose key descriptions and texts follow the app's language."""

from __future__ import annotations

from dataclasses import replace

from studyml.tui.i18n import tr


def localize_bindings(node, lang: str) -> None:
    """Rewrite each binding's footer description from the catalogue key `key.<binding id>`."""
    key_to_bindings = node._bindings.key_to_bindings
    for key, bindings in list(key_to_bindings.items()):
        key_to_bindings[key] = [
            replace(b, description=tr(f"key.{b.id}", lang)) if b.id and f"key.{b.id}" != tr(f"key.{b.id}", lang) else b
            for b in bindings
        ]


class LocalizedMixin:
    """Mixed into a Screen: `t(key)` in the app's language; `on_language()` re-renders texts."""

    def t(self, key: str, **kw) -> str:
        return tr(key, self.app.lang, **kw)

    def apply_language(self) -> None:
        localize_bindings(self, self.app.lang)
        self.refresh_bindings()
        self.on_language()

    def on_language(self) -> None:  # screens override to re-render their texts
        pass
