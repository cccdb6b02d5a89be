"""The worker process: runs one demo, or answers allowlisted calls, over JSON lines on stdin/stdout."""

from __future__ import annotations

import argparse
import faulthandler
import importlib
import os
import queue
import signal
import sys
import threading
import time
import traceback
from typing import Any, BinaryIO

from studyml.demos import protocol, reaper
from studyml.demos.protocol import error_event

PARENT_GONE_GRACE_SECONDS = 5.0
POINT_BATCH_SECONDS = 0.05


class Emitter:
    """Writes events to the protocol pipe; thread-safe, one flushed line per event.

    `point` events are coalesced: every POINT_BATCH_SECONDS one `points` event carries each series' new
    points, so a demo streaming a million points sends a few hundred messages, not a million. They travel
    as columns (xs and ys), so the reading side decodes two lists per series, not a list per point.
    """

    def __init__(self, out: BinaryIO):
        self._out = out
        self._lock = threading.Lock()
        self._points: dict[str, tuple[list[Any], list[Any]]] = {}  # x and y columns as the plugin sent them
        self.streamed: dict[str, int] = {}  # points sent per series
        self._flusher: threading.Thread | None = None

    def emit(self, event: dict[str, Any]) -> None:
        if event.get("type") == "point":
            self._point(event)
            return
        data = protocol.encode(event)
        with self._lock:
            self._flush_points()  # keep the order: points before the event that follows them
            self._write(data)

    def _point(self, event: dict[str, Any]) -> None:
        with self._lock:
            name = str(event.get("series"))
            xs, ys = self._points.setdefault(name, ([], []))
            xs.append(event.get("x"))
            ys.append(event.get("y"))
            self.streamed[name] = self.streamed.get(name, 0) + 1
            if self._flusher is None:
                self._flush_points()  # the first point goes out at once: the plot starts as soon as it can
                self._flusher = threading.Thread(target=self._flush_loop, daemon=True)
                self._flusher.start()

    def _flush_loop(self) -> None:
        while True:
            time.sleep(POINT_BATCH_SECONDS)
            with self._lock:
                self._flush_points()

    def _flush_points(self) -> None:
        if self._points:
            batch, self._points = self._points, {}
            series = {name: {"x": xs, "y": ys} for name, (xs, ys) in batch.items()}
            self._write(protocol.encode({"type": "points", "series": series}))

    def flush(self) -> None:
        with self._lock:
            self._flush_points()

    def _write(self, data: bytes) -> None:
        try:
            self._out.write(data)
            self._out.flush()
        except (BrokenPipeError, ValueError):
            os._exit(1)  # the runner is gone; nobody will read a result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studyml.demos.worker")
    parser.add_argument("--warm", action="store_true", help="import torch, sympy and numpy before `ready`")
    parser.add_argument("--memory-limit", type=int, default=None, help="RLIMIT_AS in bytes; 0 for none")
    parser.add_argument("--describe", action="store_true", help="read plugin locators on stdin, print metadata")
    args = parser.parse_args(argv)

    # First, before any plugin code: die with the parent, and adopt whatever a plugin leaves orphaned.
    from studyml.demos.launch import PARENT_ENV

    reaper.tie_to_parent(int(os.environ.get(PARENT_ENV) or 0))
    reaper.become_subreaper()
    out = _claim_stdout()
    if args.describe:
        return _describe(Emitter(out))
    memory_limit = protocol.memory_limit_from_env() if args.memory_limit is None else args.memory_limit
    _limit_resources(memory_limit)
    faulthandler.enable(file=sys.stderr)  # a segfault leaves a Python stack in the runner's log
    if args.warm:
        _warm_imports()
    emitter = Emitter(out)
    emitter.emit({"type": "ready", "pid": os.getpid(), "warm": args.warm, "memory_limit": memory_limit})

    inbox: queue.Queue = queue.Queue()
    cancel = threading.Event()
    threading.Thread(target=_read_stdin, args=(inbox, cancel), daemon=True).start()
    while True:
        msg = inbox.get()
        if msg is None or msg.get("op") == "exit":
            break
        if msg.get("op") == "call":
            _handle_call(msg, emitter)
        elif msg.get("op") == "run":
            # One run per process: whatever the demo did to global state dies with it.
            _handle_run(msg, emitter, cancel, memory_limit)
            break
    reaper.kill_own_descendants()
    sys.stderr.flush()
    os._exit(0)  # skip interpreter teardown: torch's can be slow, and demo threads must not keep us alive


def _describe(emitter: Emitter) -> int:
    """Metadata of each plugin named on stdin; the runner kills us if one import crashes or hangs."""
    from studyml.demos import loading

    for line in sys.stdin.buffer:
        msg = protocol.decode(line)
        if msg is None:
            continue
        locator = str(msg.get("locator", ""))
        emitter.emit({"type": "describing", "locator": locator})  # the parent times this plugin from here
        # The id its source declares, said before the import: if that crashes or hangs, it is still known by it.
        declared = loading.declared_id(locator)
        emitter.emit({"type": "declared", "locator": locator, "declared_id": declared})
        try:
            event = {"type": "described", "locator": locator, "ok": True, "meta": loading.describe(locator)}
        except loading.PluginLoadError as e:
            event = {"type": "described", "locator": locator, "ok": False, "problem": str(e), "declared_id": declared}
        reaper.kill_own_descendants()
        try:
            emitter.emit(event)
        except (TypeError, ValueError) as e:
            emitter.emit(
                {"type": "described", "locator": locator, "ok": False, "problem": f"its metadata is not JSON: {e}"}
            )
    sys.stderr.flush()
    os._exit(0)


def _claim_stdout() -> BinaryIO:
    """Keep fd 1 for the protocol only: plugin prints (Python or C level) go to stderr."""
    fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(fd, "wb", buffering=0)


def _limit_resources(memory_limit: int) -> None:
    import resource

    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if memory_limit > 0:
            soft = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))  # hard stays, so a CUDA run may lift it
        _, core_hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, core_hard))  # a crashing demo leaves no core file
    except (ValueError, OSError) as e:  # some platforms (macOS) refuse RLIMIT_AS
        print(f"studyml worker: cannot set resource limits: {e}", file=sys.stderr)


def _warm_imports() -> None:
    """Import and touch the heavy libraries so the next demo's first step is fast."""
    import numpy  # noqa: F401
    import sympy
    import torch

    import studyml.demos.api
    import studyml.demos.discovery  # noqa: F401

    x, y = sympy.symbols("x y", real=True)
    # Differentiate, substitute numbers and evaluate: a symbolic demo's first result is then a matter of
    # milliseconds (the first `subs` over real symbols alone takes ~0.1 s).
    sympy.N(sympy.diff(sympy.exp(-(x**2)) * sympy.tanh(x * y) ** 2, x).subs({x: 0.5, y: -0.25}), 30)
    w = torch.ones(4, 4, requires_grad=True)
    (torch.nn.functional.relu(w @ w).sum()).backward()
    # An optimizer's first step imports torch._dynamo (seconds): done here, a demo's first step is not a
    # multi-second freeze of its live plot.
    torch.optim.Adam([w], lr=0.1).step()


def _read_stdin(inbox: queue.Queue, cancel: threading.Event) -> None:
    for line in sys.stdin.buffer:
        msg = protocol.decode(line)
        if msg is None:
            continue
        if msg.get("op") == "cancel":
            cancel.set()
        else:
            inbox.put(msg)
    # The runner closed our stdin or died: ask the demo to stop, then make sure we do.
    cancel.set()
    inbox.put(None)
    time.sleep(PARENT_GONE_GRACE_SECONDS)
    reaper.kill_own_descendants()
    os.killpg(os.getpgrp(), signal.SIGKILL)


def _handle_call(msg: dict[str, Any], emitter: Emitter) -> None:
    call_id = msg.get("id")
    fn = msg.get("fn", "")
    if fn not in protocol.CALLABLE_FUNCTIONS:
        emitter.emit({**error_event("exception", f"function not allowed in the worker: {fn!r}"), "id": call_id})
        return
    try:
        module, _, name = fn.partition(":")
        value = getattr(importlib.import_module(module), name)(**(msg.get("kwargs") or {}))
    except BaseException as e:
        kind = "memory" if _is_alloc_failure(e) else "exception"
        emitter.emit({**error_event(kind, f"{type(e).__name__}: {e}", traceback.format_exc()), "id": call_id})
        return
    emitter.emit({"type": "return", "id": call_id, "value": value})


def _handle_run(msg: dict[str, Any], emitter: Emitter, cancel: threading.Event, memory_limit: int) -> None:
    from studyml.demos import loading
    from studyml.demos.api import Cancelled, Context, compatibility_problem

    try:
        plugin = loading.load_locator(msg.get("locator", ""))
    except loading.PluginLoadError as e:
        emitter.emit(error_event("exception", f"could not load plugin {msg.get('plugin')!r}: {e}"))
        return
    problem = compatibility_problem(plugin.api_version)
    if problem:
        emitter.emit(error_event("incompatible", f"plugin {plugin.id!r} {problem}"))
        return
    device = str(msg.get("device") or "cpu")
    problem = _prepare_device(device)
    if problem:
        emitter.emit(error_event("device", problem))
        return
    from pydantic import ValidationError

    values = msg.get("params") or {}
    try:
        params = plugin.params.model_validate(values)
    except ValidationError as e:
        # Said as `demo run` and the app's form say it (a check across fields says which; pydantic's own text named
        # its error type and a web page): a pack may set parameters its validation could not check, only the model.
        from studyml.demos.params import explain

        said = "; ".join(explain(plugin, e, values if isinstance(values, dict) else {})) or str(e)
        emitter.emit(error_event("params", f"invalid parameters for {plugin.id!r}: {said}"))
        return
    except Exception as e:  # the plugin's own validator failed (a KeyError in it): its bug, with its traceback
        from studyml.demos.loading import where_raised

        said = f"the parameter checks of {plugin.id!r} raised {type(e).__name__}: {e}{where_raised(e)}"
        emitter.emit(error_event("exception", said, traceback.format_exc()))
        return

    seed = int(msg.get("seed") or 0)
    ctx = Context(
        seed=seed,
        device=device,
        lang=str(msg.get("lang") or "en"),
        emit=emitter.emit,
        is_cancelled=cancel.is_set,
        plugin=plugin,
    )
    failure = None
    start = time.perf_counter()
    try:
        plugin.run(params, ctx)
    except Cancelled:
        failure = error_event("cancelled", "the run was cancelled")
    except MemoryError:
        # Built outside the traceback's frames, which still hold the demo's allocations.
        failure = error_event("memory", _memory_message(memory_limit))
    except BaseException as e:
        if _is_alloc_failure(e):
            failure = error_event("memory", f"{_memory_message(memory_limit)} ({type(e).__name__}: {e})")
        else:
            failure = error_event("exception", f"{type(e).__name__}: {e}", traceback.format_exc())
    duration = time.perf_counter() - start
    # No process the demo started outlives its run, even one in a new session (we are its subreaper).
    reaper.kill_own_descendants()
    if failure is not None:
        emitter.emit(failure)
        return
    claims = _claims(plugin, ctx.claim_results)
    emitter.flush()
    # Series streamed point by point are rebuilt by the runner from the `points` events already sent.
    streamed = [k for k, v in ctx.series.items() if isinstance(v, list) and len(v) == emitter.streamed.get(k)]
    result = {
        "type": "result",
        "plugin": plugin.id,
        "params": params.model_dump(mode="json"),
        "seed": seed,
        "device": device,
        "metrics": ctx.metrics,
        "series": {k: v for k, v in ctx.series.items() if k not in streamed},
        "series_order": list(ctx.series),
        "streamed_series": streamed,
        "tables": ctx.tables,
        "texts": ctx.texts,
        "claims": claims,
        "passed": all(c["passed"] for c in claims),
        "duration": duration,
    }
    problem = protocol.json_problem(
        {k: v for k, v in result.items() if k in ("metrics", "series", "tables", "texts", "claims")}
    )
    if problem:
        emitter.emit(
            error_event("exception", f"the demo's result cannot be shown: {problem}; fix the plugin's ctx calls")
        )
        return
    emitter.emit(result)


def _claims(plugin, results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Declared claims in order; one the run never evaluated counts as failed."""
    out = []
    for spec in plugin.claims:
        r = results.get(spec.id) or {
            "id": spec.id,
            "passed": False,
            "observed": {},
            "threshold": None,
            "detail": "not evaluated",
        }
        out.append({**r, "text": dict(spec.text)})
    declared = {c.id for c in plugin.claims}
    out += [{**r, "text": {}, "undeclared": True} for cid, r in results.items() if cid not in declared]
    return out


def _prepare_device(device: str) -> str | None:
    if device == "cpu":
        return None
    if not device.startswith("cuda"):
        return f"unknown device {device!r}; use 'cpu' or 'cuda'"
    import resource

    # CUDA reserves far more address space than it uses, so the address-space cap cannot apply.
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    import torch

    if not torch.cuda.is_available():
        return f"device {device!r} requested, but torch {torch.__version__} sees no CUDA device; use --device cpu"
    return None


def _is_alloc_failure(e: BaseException) -> bool:
    text = str(e).lower()
    return isinstance(e, MemoryError) or (
        isinstance(e, RuntimeError) and ("can't allocate memory" in text or "out of memory" in text)
    )


def _memory_message(limit: int) -> str:
    return f"the demo ran out of memory (worker limit {protocol.format_size(limit)}, set by ${protocol.MEMORY_ENV})"


def versions() -> dict[str, str]:
    """Library versions in the worker; an allowlisted `call` for diagnostics and tests."""
    import numpy
    import sympy
    import torch

    return {
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "sympy": sympy.__version__,
        "numpy": numpy.__version__,
        "cuda": str(torch.cuda.is_available()),
    }


if __name__ == "__main__":
    sys.exit(main())
