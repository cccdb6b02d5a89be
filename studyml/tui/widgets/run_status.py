"""A demo run's progress bar and status line: what the run says, elapsed time and an estimate of what is left."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.timer import Timer

import time

from textual import getters
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from studyml.lang import pick, seconds
from studyml.tui.app import StudyApp
from studyml.tui.i18n import tr
from studyml.tui.markup import literal

SHOW_TIMING = True  # snapshot tests turn this off: elapsed seconds differ from run to run


class RunStatus(Horizontal):
    """Progress in [0, 1] with the run's message, elapsed seconds and an ETA once the run is under way."""

    app = getters.app(StudyApp)  # typed: self.app.lang and .services

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.fraction = 0.0
        self.message: str | dict[str, str] = ""
        self.started: float | None = None  # monotonic start of the current run, None when idle
        self.cancelling = False
        self._timer: Timer | None = None
        self._said: tuple[str, dict] = ("", {})

    def compose(self) -> ComposeResult:
        yield ProgressBar(id="demo-progress", total=1.0, show_eta=False)
        yield Static(id="demo-status")

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.25, self._show, pause=True)

    def t(self, key: str, **kw) -> str:
        return tr(key, self.app.lang, **kw)

    def start(self) -> None:
        self.fraction, self.message, self.cancelling = 0.0, self.t("demo.starting"), False
        self.started = time.monotonic()
        if self._timer is not None:
            if self._timer is not None:
                self._timer.resume()
        self._show()

    def progress(self, fraction: float | None, message: str | dict[str, str]) -> None:
        if fraction is not None:
            self.fraction, self.message = fraction, message
        self._show()

    def cancel(self) -> None:
        self.cancelling = True
        self._show()

    def stop(self, key: str = "", fraction: float | None = None, **kw) -> None:
        """The run ended; the catalogue text `key` (with `kw`) says how ('' for nothing)."""
        self.started = None
        if self._timer is not None:
            self._timer.pause()
        if fraction is not None:
            self.fraction = fraction
        self.query_one(ProgressBar).update(progress=self.fraction)
        self.say(key, **kw)

    def say(self, key: str = "", **kw) -> None:
        """Show the catalogue text `key`; kept so `relabel` shows it again in another language."""
        self._said = (key, kw)
        self.query_one("#demo-status", Static).update(self.t(key, **kw) if key else "")

    def relabel(self) -> None:
        if self.started is not None:
            self._show()
        else:
            self.say(*self._said[:1], **self._said[1])

    def _show(self) -> None:
        self.query_one(ProgressBar).update(progress=self.fraction)
        if self.started is None:
            return
        if self.cancelling:
            self.say("demo.cancelling")
            return
        elapsed = time.monotonic() - self.started
        # A per-language message is picked here, so switching language mid-run relabels it at once.
        parts = [literal(pick(self.message, self.app.lang))] if self.message else []
        if SHOW_TIMING:
            if 0.02 < self.fraction < 1:
                eta = elapsed / self.fraction * (1 - self.fraction)
                parts.append(self.t("demo.eta", elapsed=seconds(elapsed), eta=seconds(eta)))
            else:
                parts.append(self.t("demo.elapsed", elapsed=seconds(elapsed)))
        self.query_one("#demo-status", Static).update(" · ".join(parts))
