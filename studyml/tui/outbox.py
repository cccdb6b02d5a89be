"""Writes a screen left behind while another write held the database: the app tries them again, in order, and the
exit makes a last try once the terminal is the learner's again, saying what was not saved."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from studyml.tui import write_retry

if TYPE_CHECKING:
    from textual.app import App


@dataclass
class Write:
    """A rating or a quiz answer not yet saved."""

    run: Callable[[int], object]  # writes it, waiting at most the given milliseconds for another write to end
    not_saved: Callable[[str], str]  # what to say when it was not saved, given why
    since: float = field(default_factory=time.monotonic)  # when it was first tried


class Outbox:
    """The app's writes waiting for the database, oldest first (see the module docstring)."""

    def __init__(self, app: App, problem: Callable[[BaseException], str | None]) -> None:
        self.app, self.problem = app, problem  # problem: a store failure said for the learner, None if it is none
        self.waiting: list[Write] = []
        self._retry = write_retry.Retry(app, self._tick)  # the app's timer: a screen's goes with the screen
        self._busy_said = ""  # why the last write that found the database busy was not saved

    def add(self, write: Write) -> None:
        """Write `write` now if nothing waits before it and the database is free within a short wait; otherwise keep
        it, and try it again on the app's timer."""
        self.waiting.append(write)
        if not self.app.is_running:
            return  # the app is exiting (screens go after it stops): flush tries it, and what it says is heard
        if len(self.waiting) == 1:
            self._say(self._try(write_retry.FIRST_WAIT_MS))
        if self.waiting:
            self._retry.start()

    def _tick(self) -> None:
        self._say(self._try(write_retry.RETRY_WAIT_MS))
        if not self.waiting:
            self._retry.stop()

    def _say(self, messages: list[str]) -> None:
        for message in messages:
            self.app.notify(message, severity="error", timeout=30, markup=False)

    def flush(self, wait_ms: int) -> list[str]:
        """A last try of each (at exit), oldest first, waiting at most `wait_ms` in all, not for each: what to say."""
        self._retry.stop()
        said = self._try(wait_ms, deadline=time.monotonic() + wait_ms / 1000)
        said += [w.not_saved(self._busy_said) for w in self.waiting]  # not tried: the database stayed busy
        self.waiting = []
        return said

    def _try(self, wait_ms: int, deadline: float | None = None) -> list[str]:
        """Write the waiting writes in order until one finds the database busy; returns what to say of those not
        saved (busy past write_retry.GIVE_UP_S, or at the last try, `deadline`; or failed for another reason)."""
        from studyml.srs.scheduler import ReviewedElsewhere
        from studyml.srs.store import BusyError

        said: list[str] = []
        while self.waiting:
            write = self.waiting[0]
            wait = wait_ms if deadline is None else max(0, int((deadline - time.monotonic()) * 1000))
            try:
                write.run(wait)
            except BusyError as e:
                if deadline is None and write_retry.still_trying(write.since):
                    break  # kept, in order: the next tick tries again
                self._busy_said = self.problem(e) or str(e)
                said.append(write.not_saved(self._busy_said))
                self.waiting.pop(0)
                if deadline is not None:
                    break  # the database stayed busy past the last wait: the rest are not tried
                continue
            except ReviewedElsewhere:
                pass  # another window rated the card after it was shown here: its rating stands, as on screen
            except Exception as e:
                why = self.problem(e)
                if why is None:
                    raise
                said.append(write.not_saved(why))
            self.waiting.pop(0)
        return said
