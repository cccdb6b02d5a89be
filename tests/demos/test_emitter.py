"""The worker's point batching: the first point of a run is sent at once, later ones in batches."""

from __future__ import annotations

import io
import json

from studyml.demos.worker import Emitter


def test_the_first_point_is_written_at_once_and_the_next_ones_are_batched():
    out = io.BytesIO()
    emitter = Emitter(out)
    emitter.emit({"type": "point", "series": "loss", "x": 0, "y": 1.0})
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        {"type": "points", "series": {"loss": {"x": [0], "y": [1.0]}}}
    ]
    emitter.emit({"type": "point", "series": "loss", "x": 1, "y": 0.5})
    emitter.emit({"type": "point", "series": "loss", "x": 2, "y": 0.25})
    emitter.flush()
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[1:] == [
        {"type": "points", "series": {"loss": {"x": [1, 2], "y": [0.5, 0.25]}}}
    ]  # one batch of columns, in order
    assert emitter.streamed == {"loss": 3}
