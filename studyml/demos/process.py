"""A worker process seen from the runner: its own process group, pipes drained by threads."""

from __future__ import annotations

import collections
import os
import queue
import signal
import subprocess
import threading
import time
from typing import Any

from studyml.demos import launch, protocol, reaper

EOF = object()  # put on the event queue when the worker's stdout closes
MAX_LOG_LINE = 64 << 10  # bytes of one line of a plugin's output kept (the tail keeps 200 lines: at most 13 MB)


class WorkerProcess:
    """One worker process in its own session (process group), with threads draining its pipes."""

    def __init__(self, python: str, warm: bool, memory_limit: int):
        self.warm = warm
        self.started = time.monotonic()
        # Isolated from the current directory (-I), tied to this process's life (see launch).
        self.proc = launch.spawn(
            launch.worker_command(python, *(["--warm"] if warm else []), "--memory-limit", str(memory_limit)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self._stdin, self._stdout, self._stderr = launch.pipes(self.proc)
        self.events: queue.Queue = queue.Queue()
        self.ready = threading.Event()
        self.forward_logs = False
        # Enough for a crash dump of a deep stack (a torch model's nested modules) and the lines printed before it.
        self.log_tail: collections.deque[str] = collections.deque(maxlen=200)
        self.killed_by_us = False
        self._out = threading.Thread(target=self._read_stdout, daemon=True)
        self._err = threading.Thread(target=self._read_stderr, daemon=True)
        self._out.start()
        self._err.start()

    # The reader threads own (and close) their pipes, so a kill from another thread never closes a
    # file under a blocked read; they end at EOF, which a SIGKILL to the process group guarantees.
    def _read_stdout(self) -> None:
        try:
            with self._stdout as pipe:
                for line in pipe:
                    event = protocol.decode(line)
                    if event is None:
                        continue
                    if event.get("type") == "ready":
                        self.ready.set()
                    else:
                        self.events.put(event)
        except (OSError, ValueError):
            pass
        self.events.put(EOF)

    def _read_stderr(self) -> None:
        """The plugin's output, line by line, each cut at MAX_LOG_LINE: a plugin writing without newlines (binary to
        stderr) made this process hold each whole "line", 2.9 GB for 1.5 GB written, outside the worker's cap."""
        try:
            with self._stderr as pipe:
                cut = False  # in the rest of a line already cut: dropped up to its newline
                while raw := pipe.readline(MAX_LOG_LINE):
                    whole = raw.endswith(b"\n")
                    if cut:
                        cut = not whole
                        continue
                    text = raw.decode("utf-8", "replace").rstrip("\n")
                    if not whole and len(raw) == MAX_LOG_LINE:
                        cut = True
                        text += f" … (cut: a line longer than {MAX_LOG_LINE >> 10} KiB)"
                    self.log_tail.append(text)
                    if self.forward_logs:
                        self.events.put({"type": "log", "text": text})
        except (OSError, ValueError):
            pass

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, msg: dict[str, Any]) -> bool:
        try:
            self._stdin.write(protocol.encode(msg))
            self._stdin.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False

    def kill(self) -> None:
        """SIGKILL the worker and every descendant (its subreaper role keeps even new sessions in its tree)."""
        if self.alive():
            self.killed_by_us = True
            reaper.kill_tree(self.proc.pid)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.reap()

    def retire(self, grace: float = 2.0) -> threading.Thread:
        """Let the worker exit on its own (killing it after `grace` seconds) and reap it in a thread,
        which the runner joins when it closes: a CLI exits only after the cleanup."""

        def wait() -> None:
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
            self.kill()  # also whatever the demo left running in the worker's process group

        thread = threading.Thread(target=wait, daemon=True, name="studyml-retire")
        thread.start()
        return thread

    def wait_logs(self, timeout: float = 2.0) -> None:
        """Wait until every line the worker wrote to stderr has been queued (its pipe closed)."""
        self._err.join(timeout=timeout)

    def reap(self) -> None:
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        try:
            self._stdin.close()
        except (OSError, ValueError):
            pass

    def death_error(self) -> dict[str, Any]:
        """Explain why the worker ended without a result or error event."""
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        self._err.join(timeout=1)
        tail = "\n".join(self.log_tail)
        if code is not None and code < 0:
            sig = signal.Signals(-code)
            why = {
                signal.SIGSEGV: "segmentation fault",
                signal.SIGBUS: "bus error",
                signal.SIGABRT: "abort",
                signal.SIGKILL: "killed, possibly by the system's out-of-memory killer",
            }.get(sig, "signal")
            return protocol.error_event("crash", f"the demo crashed the worker ({sig.name}: {why})", tail)
        return protocol.error_event("crash", f"the worker exited unexpectedly (exit code {code})", tail)
