"""Plugin metadata read by a worker subprocess under a time limit, and cached on disk between starts.

A plugin whose import crashes or hangs costs one subprocess (killed after IMPORT_TIMEOUT seconds) and is
recorded as broken with the reason; the others are read by a fresh subprocess. The cache is one JSON file
in the data dir's cache folder, replaced atomically, keyed by the plugin files' path, size and mtime
(or an entry point's distribution name and version) and by studyml's own plugin API files.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studyml.demos.discovery import Candidate

CACHE_FORMAT = 1
IMPORT_TIMEOUT = 5.0  # per plugin, once the worker has started
STARTUP_TIMEOUT = 20.0  # the interpreter and pydantic on a busy machine


def cache_path() -> Path:
    from studyml import paths

    return paths.data_dir() / "cache" / "plugins.json"


def _studyml_identity() -> list:
    """The files that shape metadata: a new studyml invalidates every cached entry."""
    here = Path(__file__).resolve().parent
    out: list = [CACHE_FORMAT, sys.executable, sys.version]
    for name in ("api.py", "params.py", "loading.py", "worker.py"):
        try:
            st = (here / name).stat()
            out.append([name, st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([name])
    return out


def _key(cand: Candidate) -> str:
    return json.dumps([cand.locator, cand.identity])


def _load_cache() -> dict[str, Any]:
    try:
        data = json.loads(cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("studyml") != json.loads(json.dumps(_studyml_identity())):
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def _save_cache(entries: dict[str, Any]) -> None:
    path = cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".plugins-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:  # one write: json.dump writes each piece (~3x slower)
                f.write(json.dumps({"studyml": _studyml_identity(), "entries": entries}))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only or full disk only costs a subprocess next time


def read(candidates: list[Candidate], *, use_cache: bool = True) -> tuple[dict[str, dict], int]:
    """{locator: {"ok": True, "meta": {...}} or {"ok": False, "problem": str, "declared_id": str | None}} and how
    many subprocesses ran."""
    cached = _load_cache() if use_cache else {}
    out: dict[str, dict] = {}
    missing = []
    for cand in candidates:
        rec = cached.get(_key(cand))
        if isinstance(rec, dict) and "ok" in rec:
            out[cand.locator] = rec
        else:
            missing.append(cand)
    runs = 0
    if missing:
        fresh, runs = _describe_all([c.locator for c in missing])
        out.update(fresh)
    if use_cache and (missing or len(cached) != len(candidates)):
        _save_cache({_key(c): out[c.locator] for c in candidates if not out[c.locator].get("transient")})
    return out, runs


def _describe_all(locators: list[str]) -> tuple[dict[str, dict], int]:
    """Describe each locator in worker subprocesses; a crash or hang marks that one plugin broken."""
    results: dict[str, dict] = {}
    todo = list(locators)
    runs = 0
    while todo:
        runs += 1
        done = _describe_batch(todo, results)
        todo = [loc for loc in todo if loc not in results]
        if not done and todo:  # the worker could not even start: the same reason for every plugin left
            break
    for loc in todo:
        results.setdefault(
            loc,
            {
                "ok": False,
                "transient": True,
                "problem": f"the worker reading plugin metadata did not start within {STARTUP_TIMEOUT:g} s",
            },
        )
    return results, runs


def _describe_batch(locators: list[str], results: dict[str, dict]) -> bool:
    """One subprocess for `locators`, in order; returns False when it failed before describing any."""
    from studyml.demos import launch, reaper

    proc = launch.spawn(
        launch.worker_command(sys.executable, "--describe"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    stdin, stdout, stderr = launch.pipes(proc)
    events: queue.Queue = queue.Queue()
    err_tail: list[str] = []

    def pump_out() -> None:
        for line in stdout:
            try:
                events.put(json.loads(line))
            except ValueError:
                continue
        events.put(None)

    def pump_err() -> None:
        for raw in stderr:
            err_tail.append(raw.decode("utf-8", "replace").rstrip())
            del err_tail[:-20]

    threading.Thread(target=pump_out, daemon=True).start()
    threading.Thread(target=pump_err, daemon=True).start()
    try:
        stdin.write("".join(json.dumps({"locator": loc}) + "\n" for loc in locators).encode())
        stdin.close()
    except OSError:
        pass
    current, any_done = None, False
    declared: str | None = None  # the id the source of `current` declares (the worker reads it before importing)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    try:
        while True:
            try:
                ev = events.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                if current is None:
                    return False
                results[current] = {
                    "ok": False,
                    "problem": f"its import did not finish within "
                    f"{IMPORT_TIMEOUT:g} s (a plugin must not block or loop at import)",
                    "declared_id": declared,
                }
                return True
            if ev is None:
                break
            if ev.get("type") == "describing":
                current, any_done, declared = ev.get("locator"), True, None
                deadline = time.monotonic() + IMPORT_TIMEOUT
            elif ev.get("type") == "declared" and ev.get("locator") == current:
                declared = ev.get("declared_id") if isinstance(ev.get("declared_id"), str) else None
            elif ev.get("type") == "described":
                results[ev["locator"]] = {k: v for k, v in ev.items() if k in ("ok", "meta", "problem", "declared_id")}
                current = None
        code = proc.wait(timeout=5)
        if current is not None:
            why = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
            last = next((ln for ln in reversed(err_tail) if ln.strip()), "")
            results[current] = {
                "ok": False,
                "problem": f"its import crashed the process reading it ({why})"
                + (f": {last}" if last and code >= 0 else ""),
                "declared_id": declared,
            }
            return True
        if not any_done and locators:
            problem = "could not start the worker to read plugin metadata" + (f": {err_tail[-1]}" if err_tail else "")
            for loc in locators:
                results.setdefault(loc, {"ok": False, "problem": problem, "transient": True})
        return any_done
    finally:
        reaper.kill_tree(proc.pid)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
