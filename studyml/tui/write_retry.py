"""How long a write on the UI thread waits for the database, and how it tries again while another write holds it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.message_pump import MessagePump
    from textual.timer import Timer

# A window's rating takes milliseconds: a first try waits this long before the screen says it is saving. Then it
# tries again every RETRY_S, each try holding the UI thread at most RETRY_WAIT_MS (keys and redraws go on), until
# GIVE_UP_S after the first (a sync merging 250,000 records holds the database for several seconds).
FIRST_WAIT_MS, RETRY_S, RETRY_WAIT_MS, GIVE_UP_S = 300, 0.25, 50, 30.0


def still_trying(since: float) -> bool:
    """Whether a write first tried at `since` (time.monotonic) is tried again after it found the database busy."""
    return time.monotonic() - since < GIVE_UP_S


class Retry:
    """Calls `again` every RETRY_S on `node`'s timer, from `start()` until `stop()`.

    A tick on a screen being popped does nothing: its widgets are going, and its on_unmount hands what still
    waits to the app's outbox.
    """

    def __init__(self, node: MessagePump, again: Callable[[], None]) -> None:
        self.node, self.again = node, again
        self._timer: Timer | None = None

    @property
    def running(self) -> bool:
        return self._timer is not None

    def start(self) -> None:
        if self._timer is None:
            self._timer = self.node.set_interval(RETRY_S, self._tick)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        if getattr(self.node, "is_attached", True) and not getattr(self.node, "_pruning", False):
            self.again()
