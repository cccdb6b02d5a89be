"""What a crashed worker's last output says: the lines the plugin printed last, and where it stopped."""

from __future__ import annotations

import re
from pathlib import PurePath

_FRAME = re.compile(r'^\s*File "(?P<file>.+)", line (?P<line>\d+) in (?P<name>.+)$')

DUMP_START = "Fatal Python error:"  # faulthandler's first line
WORKER_FILE = "studyml/demos/worker.py"


def crash_lines(tail: str, printed: int = 5) -> list[str]:
    """From the tail of a crashed worker's stderr: the last `printed` lines the plugin wrote before it died, then the
    frames of the thread that crashed down to the worker's own (faulthandler lists the innermost first: the
    outermost lines of the dump are the worker's, and say nothing about the plugin). Each frame as `file.py:line in
    function`: the whole path is in the dump `studyml demo run` prints."""
    lines = tail.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(DUMP_START)), len(lines))
    before = [line for line in lines[:start] if line.strip()][-printed:]
    frames: list[str] = []
    current = next((i for i in range(start, len(lines)) if lines[i].startswith("Current thread")), None)
    if current is not None:
        for line in lines[current + 1 :]:
            if not line.strip() or WORKER_FILE in line.replace("\\", "/"):
                break
            frame = _FRAME.match(line)  # `File "/a/long/path/demo.py", line 9 in run` → `demo.py:9 in run`
            frames.append(
                f"{PurePath(frame['file']).name}:{frame['line']} in {frame['name']}" if frame else line.strip()
            )
    return before + frames
