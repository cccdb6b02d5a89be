"""Textual's footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds all its keys after every `refresh_bindings()` (a focus change, a screen push, each
reactive declared with `bindings=True`), even when nothing it shows changed, and one event often asks two or
three times. Each rebuild mounts and restyles every key: most of the CPU a keypress cost on the study screen.
This footer coalesces the requests of one refresh into one check and rebuilds only when what it would show
(keys, labels, enabled state, tooltips, the key display a user keymap sets) differs from what it shows; and
a rebuild styles each key once, not three times.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

COMPACT_BELOW = 110  # columns: narrower, the keys drop their padding (at 80 columns a screen's keys fit only so)


class Footer(TextualFooter):
    """A Footer that rebuilds its keys only when they change (see the module docstring), compact when narrow."""

    _shown: tuple | None = None
    _check_pending = False

    def _what_it_shows(self) -> tuple:
        app = self.app
        keys = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
                binding.tooltip,
                binding.group,
            )
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (keys, self.compact, self.show_command_palette, app.ENABLE_COMMAND_PALETTE)

    def on_resize(self) -> None:
        self.compact = self.size.width < COMPACT_BELOW

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._what_it_shows()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # A FooterKey starts compact, and most are bound to the footer's `compact` once mounted: each was
                # restyled twice after mounting (class added, then removed). Given the value it will end with, and
                # its class, before it mounts, it is styled once. (The command palette's key is not bound: it
                # stays compact.)
                bound = "compact" in (getattr(widget, "_reactive_connect", None) or {})
                compact = self.compact if bound else True  # FooterKey's default (reading it would initialise it)
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._check_pending:
            self._check_pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._check_pending = False
        if self.is_attached and self._what_it_shows() != self._shown:
            await self.recompose()
