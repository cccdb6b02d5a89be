"""The runner and its worker: streaming, failures that end in clear errors, cancel, warm workers, calls."""

from __future__ import annotations

import threading
import time

import pytest

from studyml.demos.discovery import discover
from studyml.demos.params import ParamError, parse_params
from studyml.demos.runner import CallError, DemoRunner

pytestmark = pytest.mark.slow  # real worker processes


def test_progress_and_points_stream_before_the_result(runner):
    events = []
    res = runner.run("fx-stream", {"steps": 4}, on_event=events.append, timeout=20)
    kinds = [e["type"] for e in events]
    assert kinds[-1] == "result"
    streamed = sum(len(cols["x"]) for e in events if e["type"] == "points" for cols in e["series"].values())
    assert kinds.count("progress") == 4 and streamed == 4  # points arrive coalesced, none lost
    assert kinds.index("progress") < kinds.index("result")
    assert {"type": "log", "text": "a plugin print must not break the protocol"} in events
    assert res.exit_code == 0 and res.metrics == {"total": 4.0}
    claim = res.claims[0]
    assert claim["observed"] == {"total": 4.0} and claim["threshold"] == "total > 2"
    assert res.result["tables"][0]["rows"][-1] == [3, 4] and res.result["texts"]
    assert res.result["series"]["x"][-1] == (3.0, 4.0)
    assert res.first_progress_seconds is not None and not res.warm


def test_a_failing_claim_gives_exit_code_1(runner):
    res = runner.run("fx-stream", {"steps": 30}, timeout=20)
    assert res.ok and not res.passed and res.exit_code == 1
    assert [c["passed"] for c in res.claims] == [True, False]


def test_a_claim_not_evaluated_fails(runner):
    res = runner.run("fx-partial", timeout=20)
    forgotten = next(c for c in res.claims if c["id"] == "forgotten")
    assert not forgotten["passed"] and forgotten["detail"] == "not evaluated"
    assert res.exit_code == 1


@pytest.mark.parametrize(
    "plugin_id, timeout, kind, text",
    [
        ("fx-raise", 5, "exception", "ValueError: fixture failure 42 at x[i]"),
        ("fx-hang", 3, "timeout", "did not finish within 3 s"),
        ("fx-segfault", 5, "crash", "SIGSEGV"),
        ("fx-alloc", 5, "memory", "out of memory"),
    ],
)
def test_bad_demos_end_in_a_clear_error_and_the_next_run_works(runner, plugin_id, timeout, kind, text):
    start = time.monotonic()
    res = runner.run(plugin_id, timeout=timeout)
    assert time.monotonic() - start < timeout + 1.5
    assert res.error is not None and res.error["kind"] == kind, res.error
    assert text in res.error["message"]
    assert res.exit_code == 2
    if kind == "exception":
        assert "fx_raise.py" in res.error["traceback"]
    if kind == "crash":
        assert "fx_segfault.py" in res.error["traceback"]  # faulthandler's stack from the worker's stderr
    assert runner.run("fx-stream", timeout=20).exit_code == 0


def test_timeout_kills_the_whole_process_group(runner):
    pids = []
    res = runner.run(
        "fx-spawn",
        timeout=3,
        on_event=lambda e: pids.append(int(e["message"].split()[1])) if e["type"] == "progress" else None,
    )
    assert res.error["kind"] == "timeout" and pids
    deadline = time.monotonic() + 5
    while _alive(pids[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pids[0])


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_cancel_mid_run_stops_a_cooperative_demo(runner):
    cancel = threading.Event()
    fractions = []

    def on_event(e):
        if e["type"] == "progress":
            fractions.append(e["fraction"])
            if len(fractions) == 5:
                cancel.set()

    start = time.monotonic()
    res = runner.run("fx-slow", {"seconds": 30}, timeout=20, on_event=on_event, cancel_event=cancel)
    assert res.error["kind"] == "cancelled" and res.error["message"] == "the run was cancelled"
    assert time.monotonic() - start < 5


def test_cancel_kills_a_demo_that_ignores_it_after_the_grace_period(runner):
    cancel = threading.Event()
    start = time.monotonic()
    res = runner.run(
        "fx-hang", timeout=20, cancel_event=cancel, on_event=lambda e: e["type"] == "progress" and cancel.set()
    )  # once it is past its last check
    assert res.error["kind"] == "cancelled" and "grace" in res.error["message"]
    assert time.monotonic() - start < 5
    assert runner.run("fx-stream", timeout=20).exit_code == 0


def test_warm_worker_runs_torch_demos_and_answers_calls(demo_home):
    with DemoRunner(registry=discover()) as runner:  # default memory cap: torch must import under it
        runner.start_warm()
        assert runner.wait_warm(60)
        res = runner.run("fx-torch", timeout=30)
        assert res.warm and res.exit_code == 0, res.error
        assert res.first_progress_seconds < 2  # goal 0.3 s, measured by benchmarks/demo_latency.py
        assert runner.wait_warm(60)  # a fresh warm worker replaces the used one
        versions = runner.call("studyml.demos.worker:versions")
        assert set(versions) >= {"torch", "sympy", "numpy"}
        assert runner.call("studyml.demos.worker:versions") == versions  # the same worker serves calls
        with pytest.raises(CallError, match="not allowed"):
            runner.call("os:system", command="true")


def test_cuda_request_without_cuda_is_a_clear_error(runner):
    res = runner.run("fx-stream", device="cuda", timeout=30)
    if res.ok:
        pytest.skip("this machine has CUDA")
    assert res.error["kind"] == "device" and "--device cpu" in res.error["message"]


def test_parse_params_validates_types_and_bounds(demo_home):
    plugin = discover().plugins["fx-stream"].plugin
    assert parse_params(plugin, ["steps=7", "target=0.5", "label=loss"]).model_dump() == {
        "steps": 7,
        "target": 0.5,
        "label": "loss",
    }
    with pytest.raises(ParamError, match=r"steps: .*less than or equal to 50.*int 1 <= steps <= 50"):
        parse_params(plugin, ["steps=300"])
    with pytest.raises(ParamError, match=r"target: .*allowed: float 0 < target <= 100"):
        parse_params(plugin, ["target=abc"])
    with pytest.raises(ParamError, match="unknown parameter 'stepz'.*steps, target, label"):
        parse_params(plugin, ["stepz=3"])
    with pytest.raises(ParamError, match="NAME=VALUE"):
        parse_params(plugin, ["steps"])


def test_close_during_a_run_stops_it(runner):
    threading.Timer(0.5, runner.close).start()
    start = time.monotonic()
    res = runner.run("fx-hang", timeout=20)
    assert res.error["kind"] == "cancelled" and "closed" in res.error["message"]
    assert time.monotonic() - start < 5


def test_running_an_incompatible_plugin_is_an_error_result(home):
    from tests.demos.helpers import add_plugins

    add_plugins(home, "plugin_dirs/incompatible")
    res = DemoRunner(registry=discover(), keep_warm=False).run("fx-future")
    assert res.error["kind"] == "incompatible" and "version 2" in res.error["message"] and res.exit_code == 2


def test_a_crash_dump_read_after_the_workers_stdout_closed_still_reaches_the_listener(runner, monkeypatch):
    """Under load the dump a segfault writes to stderr was queued after the end of stdout, and never forwarded:
    `demo run` then printed the crash without the lines that say where."""
    from studyml.demos import process

    read_stderr = process.WorkerProcess._read_stderr

    def late(self):
        time.sleep(0.5)  # the stdout reader sees the end first, as it did on a busy machine
        read_stderr(self)

    monkeypatch.setattr(process.WorkerProcess, "_read_stderr", late)
    events = []
    res = runner.run("fx-segfault", on_event=events.append, timeout=20)
    assert res.error is not None and res.error["kind"] == "crash"
    logs = "\n".join(e["text"] for e in events if e.get("type") == "log")
    assert "Fatal Python error: Segmentation fault" in logs and "fx_segfault.py" in logs
