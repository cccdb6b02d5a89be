"""Run demos in worker processes: warm workers, streaming events, timeouts, cancel, sympy calls."""

from __future__ import annotations

import itertools
import queue
import sys
import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from pydantic import BaseModel

from studyml.demos import protocol
from studyml.demos.discovery import PluginInfo, Registry, discover, duplicate_message, incompatible_message
from studyml.demos.params import ParamError, describe_params, parse_params, validate_params
from studyml.demos.process import EOF, WorkerProcess

__all__ = [
    "CallError",
    "DemoError",
    "DemoRunner",
    "ParamError",
    "RunResult",
    "describe_params",
    "parse_params",
    "validate_params",
]

DEFAULT_TIMEOUT = 120.0


class DemoError(Exception):
    """A user-facing error before any demo ran (unknown id, bad parameters)."""


class CallError(Exception):
    """An allowlisted worker call failed; `kind` is one of protocol.ERROR_KINDS."""

    def __init__(self, kind: str, message: str, traceback: str = ""):
        super().__init__(message)
        self.kind, self.message, self.traceback = kind, message, traceback


@dataclass
class RunResult:
    """What one run produced: the worker's `result` event, or an `error` {kind, message, traceback}."""

    plugin_id: str
    params: dict[str, Any]
    seed: int
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    wall_seconds: float = 0.0
    first_progress_seconds: float | None = None
    warm: bool = False
    events: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None and self.result is not None

    @property
    def passed(self) -> bool:
        return self.ok and self.result is not None and bool(self.result.get("passed"))

    @property
    def claims(self) -> list[dict[str, Any]]:
        return list(self.result.get("claims", [])) if self.result else []

    @property
    def metrics(self) -> dict[str, float]:
        return dict(self.result.get("metrics", {})) if self.result else {}

    @property
    def exit_code(self) -> int:
        """0: every claim holds; 1: a claim failed; 2: the run failed (error, timeout, cancel)."""
        return 0 if self.passed else 1 if self.ok else 2

    def to_json(self) -> dict[str, Any]:
        return protocol.json_safe(asdict(self) | {"ok": self.ok, "passed": self.passed})


class DemoRunner:
    """Runs demos in worker processes; one instance per app. Thread-safe for one run at a time per thread."""

    def __init__(
        self,
        *,
        registry: Registry | None = None,
        keep_warm: bool = True,
        memory_limit: int | None = None,
        python: str | None = None,
        cancel_grace: float = protocol.CANCEL_GRACE_SECONDS,
        overlap_warm: bool = False,
    ):
        self._registry = registry
        self.keep_warm = keep_warm
        # Boot the next warm worker while a run goes on: faster back-to-back runs (verify), but the
        # boot competes with the running demo for the CPU, so interactive use boots it afterwards.
        self.overlap_warm = overlap_warm
        self.memory_limit = protocol.memory_limit_from_env() if memory_limit is None else memory_limit
        self.python = python or sys.executable
        self.cancel_grace = cancel_grace
        self._idle: WorkerProcess | None = None
        self._active: set[WorkerProcess] = set()
        self._lock = threading.Lock()
        self._registry_lock = threading.Lock()
        self._retiring: list[threading.Thread] = []
        self._call_ids = itertools.count(1)

    # -- plugins ----------------------------------------------------------------------------
    @property
    def registry(self) -> Registry:
        """The one plugin registry of this process (the app's screens and runs share it)."""
        with self._registry_lock:
            if self._registry is None:
                self._registry = discover()
            return self._registry

    @property
    def registry_ready(self) -> bool:
        """Whether the registry is read already: asking for it then does not wait for discovery."""
        return self._registry is not None

    def refresh(self) -> Registry:
        """Discover plugins again (e.g. after the learner added one to the data dir)."""
        with self._registry_lock:
            self._registry = discover()
            return self._registry

    def plugin(self, plugin_id: str) -> PluginInfo:
        try:
            return self.registry.get(plugin_id)
        except LookupError as e:
            raise DemoError(str(e)) from None

    def metadata(self) -> list[dict[str, Any]]:
        """Every plugin's metadata for listings, with its source and status."""
        return plugin_listing(self.registry)

    def validate_params(self, demo_id: str, params: dict[str, Any]) -> list[str]:
        """Error messages for `params` (empty when valid), the plugin's cross-field checks included.

        Bounds and choices are checked from the metadata; the plugin's own model (its validators are
        plugin code) is asked in the warm worker, which stays warm for the next run.
        """
        info = self.plugin(demo_id)
        try:
            values = dict(validate_params(info.plugin, params))
        except ParamError as e:
            return [line.strip() for line in str(e).splitlines()[1:] if line.strip()] or [str(e)]
        try:
            return list(self.call("studyml.demos.params:worker_param_errors", locator=info.locator, params=values))
        except CallError as e:  # not the parameters' fault: the plugin could not be loaded or crashed
            raise DemoError(f"could not check the parameters in the worker ({e.kind}): {e.message}") from None

    # -- workers ----------------------------------------------------------------------------
    def start_warm(self) -> None:
        """Spawn a warm worker in the background (returns at once); the next run uses it."""
        with self._lock:
            if self._idle is not None and self._idle.alive():
                return
            self._idle = WorkerProcess(self.python, True, self.memory_limit)

    def wait_warm(self, timeout: float | None = None) -> bool:
        """Block until the idle warm worker has announced `ready`; False if there is none or it died."""
        with self._lock:
            w = self._idle
        return w is not None and w.ready.wait(timeout) and w.alive()

    def _take(self) -> WorkerProcess:
        with self._lock:
            w, self._idle = self._idle, None
        if w is not None and w.alive():
            return w
        if w is not None:
            w.reap()
        return WorkerProcess(self.python, False, self.memory_limit)

    def _give_back(self, w: WorkerProcess) -> None:
        spare: WorkerProcess | None = w
        with self._lock:
            if self._idle is None and w.alive():
                self._idle, spare = w, None
        if spare is not None:
            spare.send({"op": "exit"})
            spare.reap()

    def close(self) -> None:
        """Stop the idle warm worker and any run still going (it ends as cancelled)."""
        with self._lock:
            workers = [w for w in [self._idle, *self._active] if w is not None]
            self._idle = None
            self.keep_warm = False
        for w in workers:
            w.kill()
        with self._lock:
            retiring, self._retiring = self._retiring, []
        for t in retiring:  # a finished run's worker cleans up its descendants; wait for it
            t.join(timeout=10)

    def __enter__(self) -> DemoRunner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- running ----------------------------------------------------------------------------
    def run(
        self,
        plugin_id: str,
        params: dict[str, Any] | BaseModel | None = None,
        *,
        seed: int = 0,
        timeout: float | None = None,
        device: str = "cpu",
        lang: str = "en",
        on_event: Callable[[dict[str, Any]], None] | None = None,
        cancel_event: threading.Event | None = None,
    ) -> RunResult:
        """Run one demo to completion in a worker; raises DemoError/ParamError only for bad input.

        `on_event` gets every event (progress, point, log, then result or error) in this thread.
        """
        if plugin_id in self.registry.incompatible:
            message = incompatible_message(self.registry.incompatible[plugin_id])
            error = _err(protocol.error_event("incompatible", message))
            return RunResult(plugin_id, dict(params or {}), seed, error=error)
        info = self.plugin(plugin_id)
        if isinstance(params, BaseModel):
            params = params.model_dump(mode="json")
        values = dict(validate_params(info.plugin, params or {}))
        timeout = DEFAULT_TIMEOUT if timeout is None else timeout
        start = time.monotonic()
        worker = self._take()
        with self._lock:
            self._active.add(worker)
        out = RunResult(plugin_id, values, seed, warm=worker.warm)
        worker.forward_logs = on_event is not None
        request = {
            "op": "run",
            "plugin": plugin_id,
            "locator": info.locator,
            "params": values,
            "seed": seed,
            "device": device,
            "lang": lang,
        }
        finished = False
        try:
            if not worker.send(request):
                out.error = _err(worker.death_error())
            else:
                self._follow(worker, out, start, timeout, on_event, cancel_event)
            finished = True
        finally:
            out.wall_seconds = time.monotonic() - start
            with self._lock:
                self._active.discard(worker)
            if finished:
                # It exits by itself after a run; reaping it must not delay the result, but close() waits.
                thread = worker.retire()
                with self._lock:
                    self._retiring = [t for t in self._retiring if t.is_alive()] + [thread]
            else:
                worker.kill()  # e.g. KeyboardInterrupt in the caller's thread
            if self.keep_warm:
                self.start_warm()
        return out

    def _follow(
        self, worker: WorkerProcess, out: RunResult, start: float, timeout: float, on_event, cancel_event
    ) -> None:
        deadline = start + timeout
        cancel_deadline = None
        streamed: dict[str, tuple[array, array]] = {}
        spare = not (self.keep_warm and self.overlap_warm)
        while True:
            now = time.monotonic()
            if not spare and (out.events or now - start > 0.3):
                self.start_warm()
                spare = True
            if cancel_event is not None and cancel_event.is_set() and cancel_deadline is None:
                worker.send({"op": "cancel"})
                cancel_deadline = now + self.cancel_grace
            if cancel_deadline is not None and now >= cancel_deadline:
                worker.kill()
                out.error = _err(
                    protocol.error_event("cancelled", "the run was cancelled (stopped after a grace period)")
                )
                return
            if now >= deadline:
                worker.kill()
                out.error = _err(
                    protocol.error_event(
                        "timeout", f"the demo did not finish within {timeout:g} s; its worker was stopped"
                    )
                )
                return
            wait = min(deadline, cancel_deadline or deadline) - now
            if cancel_event is not None:
                wait = min(wait, 0.05)
            if not spare:
                wait = min(wait, 0.1)
            try:
                event = worker.events.get(timeout=max(wait, 0.001))
            except queue.Empty:
                continue
            if event is EOF:
                stopped = worker.killed_by_us  # close() from another thread
                out.error = _err(
                    protocol.error_event("cancelled", "the runner was closed") if stopped else worker.death_error()
                )
                if on_event is not None and worker.forward_logs:
                    # What it wrote as it died (a crash's dump) may be read after its stdout closed: under load the
                    # CLI printed a segfault without the dump that says where.
                    self._drain_logs(worker, on_event)
                return
            kind = event.get("type")
            out.events += 1
            if kind == "progress" and out.first_progress_seconds is None:
                out.first_progress_seconds = time.monotonic() - start
            if kind == "points":
                for name, pts in (event.get("series") or {}).items():
                    # In arrays, which the garbage collector never walks: a million [x, y] lists made each of its
                    # full passes take ~0.5 s, and the app's UI thread waited for them.
                    xs, ys = streamed.setdefault(name, (array("d"), array("d")))
                    new_x, new_y = protocol.point_columns(pts)
                    xs.extend(new_x)
                    ys.extend(new_y)
            if kind == "result":
                out.result = _with_streamed_series({k: v for k, v in event.items() if k != "type"}, streamed)
                event = {"type": "result", **out.result}
            elif kind == "error":
                out.error = _err(event)
            if kind in ("result", "error") and on_event is not None and worker.forward_logs:
                self._drain_logs(worker, on_event)  # every line the demo printed comes before its result
            if on_event is not None:
                on_event(event)
            if kind in ("result", "error"):
                return

    @staticmethod
    def _drain_logs(worker: WorkerProcess, on_event) -> None:
        worker.wait_logs(timeout=2.0)
        while True:
            try:
                ev = worker.events.get_nowait()
            except queue.Empty:
                return
            if ev is not EOF and ev.get("type") == "log":
                on_event(ev)

    # -- calls ------------------------------------------------------------------------------
    def call(self, fn: str, /, *, timeout: float = 10.0, **kwargs: Any) -> Any:
        """Call an allowlisted function (`module:name`) in a worker, e.g. sympy grading; returns its value."""
        if fn not in protocol.CALLABLE_FUNCTIONS:
            raise CallError("exception", f"function not allowed in the worker: {fn!r}")
        call_id = next(self._call_ids)
        worker = self._take()
        try:
            if not worker.send({"op": "call", "id": call_id, "fn": fn, "kwargs": kwargs}):
                raise CallError(**_err(worker.death_error()))
            deadline = time.monotonic() + timeout
            while True:
                try:
                    event = worker.events.get(timeout=max(deadline - time.monotonic(), 0.001))
                except queue.Empty:
                    worker.kill()
                    raise CallError("timeout", f"{fn} did not return within {timeout:g} s") from None
                if event is EOF:
                    raise CallError(**_err(worker.death_error()))
                if event.get("id") != call_id:
                    continue
                if event.get("type") == "return":
                    return event.get("value")
                raise CallError(**_err(event))
        finally:
            self._give_back(worker)


def plugin_listing(reg: Registry) -> list[dict[str, Any]]:
    """Metadata of every discovered plugin, sorted by id; `status` is ok, incompatible or duplicate."""
    out = []
    for info in reg.plugins.values():
        base = {"source": info.source, "origin": info.origin}
        try:
            out.append(info.plugin.metadata() | base | {"status": "ok"})
        except Exception as e:  # e.g. a parameter model pydantic cannot describe: list it, don't crash
            out.append(
                {
                    "id": info.id,
                    "title": dict(info.plugin.title),
                    "summary": {},
                    **base,
                    "status": "broken",
                    "problem": f"metadata failed: {type(e).__name__}: {e}",
                }
            )
    for info in reg.incompatible.values():
        out.append(
            {
                "id": info.id,
                "title": dict(info.plugin.title),
                "summary": dict(info.plugin.summary),
                "api_version": info.plugin.api_version,
                "source": info.source,
                "origin": info.origin,
                "status": "incompatible",
                "problem": incompatible_message(info),
            }
        )
    for b in reg.broken:
        out.append(
            {
                "id": b["name"],
                "file": b.get("file", b["name"]),
                "title": dict(b.get("title") or {}),
                "summary": {},
                "source": b["source"],
                "origin": b["origin"],
                "status": "broken",
                "problem": b["problem"],
            }
        )
    for pid, sources in reg.duplicates.items():
        out.append(
            {
                "id": pid,
                "title": {},
                "summary": {},
                "source": " | ".join(sources),
                "origin": "",
                "status": "duplicate",
                "problem": duplicate_message(pid, sources),
            }
        )
    return sorted(out, key=lambda m: m["id"])


def _with_streamed_series(result: dict[str, Any], streamed: dict[str, tuple[array, array]]) -> dict[str, Any]:
    """Put back the series the worker streamed as `points` instead of repeating them in its result."""
    series = dict(result.get("series") or {})
    for name in result.pop("streamed_series", None) or []:
        # (x, y) tuples, not lists: the garbage collector stops tracking tuples of floats. In slices: one C loop
        # over a million points would hold the GIL, and the app's UI thread, for a few hundred ms.
        xs, ys = streamed.get(name, ((), ()))
        points: list[tuple[float, float]] = []
        for i in range(0, len(xs), 20_000):
            points.extend(zip(xs[i : i + 20_000], ys[i : i + 20_000]))
        series[name] = points
    order = result.pop("series_order", None) or list(series)
    result["series"] = {k: series[k] for k in order if k in series} | series
    return result


def _err(event: dict[str, Any]) -> dict[str, str]:
    return {
        "kind": event.get("kind", "crash"),
        "message": event.get("message", ""),
        "traceback": event.get("traceback", ""),
    }
