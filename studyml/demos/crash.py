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


_TRACEBACK_FRAME = re.compile(r'^\s*File "(?P<file>.+)", line (?P<line>\d+), in (?P<name>.+)$')
_OURS = "studyml/demos/"  # the worker and the plugin API: a frame there says nothing about where the plugin stopped


def exception_frames(tb: str, most: int = 3) -> list[str]:
    """The innermost `most` frames of a plugin's Python traceback that are not studyml's own, each as `file.py:line
    in function` and the line's code: where a demo that raised stopped (ctx.compare raising names its caller)."""
    lines = tb.splitlines()
    frames: list[str] = []
    for i, line in enumerate(lines):
        frame = _TRACEBACK_FRAME.match(line)
        if frame is None or _OURS in frame["file"].replace("\\", "/"):
            continue
        code = lines[i + 1].strip() if i + 1 < len(lines) and not _TRACEBACK_FRAME.match(lines[i + 1]) else ""
        said = f"{PurePath(frame['file']).name}:{frame['line']} in {frame['name']}"
        frames.append(f"{said}: {code}" if code and not code.startswith(("^", "~")) else said)
    return frames[-most:]
