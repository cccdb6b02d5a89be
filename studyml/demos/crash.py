"""What a crashed worker's last output says: the lines the plugin printed last, and where it stopped."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath

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
_DEMOS_DIRS = tuple({str(Path(__file__).parent) + os.sep, str(Path(__file__).resolve().parent) + os.sep})


def studyml_demos_file(name: str) -> bool:
    """Whether a frame's file is studyml's plugin machinery (the worker, the API), by its path as imported or
    resolved: such a frame says nothing about where a plugin went wrong."""
    return name.startswith(_DEMOS_DIRS)


def exception_frames(tb: str, most: int = 3) -> list[str]:
    """Where a demo that raised stopped, from its Python traceback: the innermost lines of the plugin's own files
    (ctx.compare raising names its caller), then the line that raised when that was elsewhere (torch), each as
    `file.py:line in function: code`. The innermost frames alone were torch's: `module.py:1773 …`, and the
    author's `mydemo.py:30` was left out."""
    lines = tb.splitlines()
    frames: list[tuple[str, str]] = []  # (file, as said)
    for i, line in enumerate(lines):
        frame = _TRACEBACK_FRAME.match(line)
        if frame is None or studyml_demos_file(frame["file"]):
            continue
        code = lines[i + 1].strip() if i + 1 < len(lines) and not _TRACEBACK_FRAME.match(lines[i + 1]) else ""
        said = f"{PurePath(frame['file']).name}:{frame['line']} in {frame['name']}"
        frames.append((frame["file"], f"{said}: {code}" if code and not code.startswith(("^", "~")) else said))
    if not frames:
        return []
    # The plugin's own files: the outermost frame is its `run` (the worker called it); its package when that file
    # is a package's, its folder unless that is where every installed package lives (then the file alone).
    first = PurePath(frames[0][0])
    if first.name == "__init__.py" or first.parent.name not in ("site-packages", "dist-packages"):
        root = first.parent
    else:
        root = first
    own = [said for file, said in frames if PurePath(file) == root or PurePath(file).is_relative_to(root)]
    chosen = own[-(most - 1) :] if most > 1 else own[-1:]
    if frames[-1][1] not in chosen:
        chosen.append(frames[-1][1])  # where it raised, outside the plugin's files
    return chosen[-most:]
