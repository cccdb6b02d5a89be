"""What a crashed worker's last output says: the lines the plugin printed last, and where it stopped."""

from __future__ import annotations

import re
from pathlib import PurePath

_FRAME = re.compile(r'^\s*File "(?P<file>.+)", line (?P<line>\d+) in (?P<name>.+)$')

# faulthandler writes a frame `File "x.py", line 9 in run`, without the comma of a Python traceback's `, in run`: a
# traceback the plugin printed before it crashed is its output, not the dump.
_DUMP = re.compile(
    r'^(Fatal Python error:|Current thread 0x|Thread 0x|\s+File ".+", line \d+ in |\s+<no Python frame>)'
)
WORKER_FILE = "studyml/demos/worker.py"


def crash_lines(tail: str, printed: int = 5) -> list[str]:
    """From the tail of a crashed worker's stderr: the last `printed` lines the plugin wrote before it died, then the
    frames of the thread that crashed down to the worker's own (faulthandler lists the innermost first: the
    outermost lines of the dump are the worker's, and say nothing about the plugin). Each frame as `file.py:line in
    function`: the whole path is in the dump `studyml demo run` prints."""
    lines = tail.splitlines()
    # Where the dump starts: its first line, or (a deep stack having pushed that out of the tail) its first frame.
    start = next((i for i, line in enumerate(lines) if _DUMP.match(line)), len(lines))
    before = [line for line in lines[:start] if line.strip()][-printed:]
    frames: list[str] = []
    current = next((i for i, line in enumerate(lines) if line.startswith("Current thread")), None)
    if current is not None:
        for line in lines[current + 1 :]:
            if not line.strip() or WORKER_FILE in line.replace("\\", "/"):
                break
            frame = _FRAME.match(line)  # `File "/a/long/path/demo.py", line 9 in run` → `demo.py:9 in run`
            frames.append(
                f"{PurePath(frame['file']).name}:{frame['line']} in {frame['name']}" if frame else line.strip()
            )
    return before + frames
