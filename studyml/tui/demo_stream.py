"""What a demo run's thread tells its screen: small messages, coalesced so a flood of points stays a trickle."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

from studyml.demos.protocol import point_columns

POST_INTERVAL = 0.1  # at most ~10 messages a second from one run, however many points it streams


@dataclass
class RunProgress(Message):
    """Everything the run reported since the last message: the latest progress and the new points
    (per series, its xs and ys: two lists, not one per point)."""

    fraction: float | None = None
    message: str | dict[str, str] = ""  # {language: text} when the plugin gave one: shown in the learner's language
    points: dict[str, tuple[list[float], list[float]]] = field(default_factory=dict)


@dataclass
class RunFinished(Message):
    """The run ended: a RunResult (done, failed, cancelled, timed out) or the exception that stopped it."""

    outcome: Any = None


class Coalescer:
    """The runner's `on_event`, called on the run's thread: folds events and posts one RunProgress per interval.

    Progress keeps only its latest value; points are appended per series in order, so nothing is lost.
    """

    def __init__(self, post: Callable[[Message], Any], interval: float = POST_INTERVAL) -> None:
        self._post, self.interval = post, interval
        self._last = 0.0
        self._reset()

    def _reset(self) -> None:
        self._fraction: float | None = None
        self._message: str | dict[str, str] = ""
        self._points: dict[str, tuple[list[float], list[float]]] = {}

    def __call__(self, event: dict) -> None:
        kind = event.get("type")
        if kind == "progress":
            self._fraction = float(event.get("fraction", 0.0))
            text = event.get("text")
            self._message = dict(text) if isinstance(text, dict) else str(event.get("message", ""))
        elif kind == "point":
            xs, ys = self._points.setdefault(event["series"], ([], []))
            new_x, new_y = point_columns({"x": [event.get("x")], "y": [event.get("y")]})
            xs.extend(new_x)
            ys.extend(new_y)
        elif kind == "points":
            for name, columns in (event.get("series") or {}).items():
                xs, ys = self._points.setdefault(name, ([], []))
                new_x, new_y = point_columns(columns)
                xs.extend(new_x)
                ys.extend(new_y)
        if time.monotonic() - self._last >= self.interval:
            self.flush()

    def flush(self) -> None:
        if self._fraction is None and not self._points:
            return
        message = RunProgress(self._fraction, self._message, self._points)
        self._reset()
        self._last = time.monotonic()
        self._post(message)
