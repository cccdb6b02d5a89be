"""Fault matrix cases for plugins, the worker, the demo screen and pack installs (issue 10: design, 1-4, 13-17).

Each case runs the real command line (or the app under a pilot, in a subprocess) in a scratch data dir and
reports the outcome, the seconds until the user saw a message, and the processes it left behind (found by
scanning /proc for the scratch dir in a process's environment, or a fixture's marker argv).
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

from tests.reliability.helpers import (
    FIXTURES,
    ROOT,
    STUDYML,
    add_plugins,
    cli_or_timeout,
    env_for,
    kill_all,
    processes_with,
    start,
)
from tests.reliability.matrix import Case, Outcome


def _leftovers(home: Path, grace: float = 2.0) -> list[int]:
    """Processes (other than us) still running with this scratch dir as their data dir after `grace` s."""
    needle = f"STUDYML_HOME={home}\0".encode()
    deadline = time.monotonic() + grace
    while True:
        found = []
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) == os.getpid():
                continue
            try:
                env = Path(f"/proc/{name}/environ").read_bytes()
                state = Path(f"/proc/{name}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
            except OSError:
                continue
            if state != b"Z" and needle in env + b"\0":
                found.append(int(name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


_run = cli_or_timeout


def _judge(out, seconds: float, home: Path, ok: bool, detail: str, extra_left: int = 0) -> Outcome:
    left = _leftovers(home)
    kill_all(left)
    if out is None:
        return Outcome("hang", seconds, len(left) + extra_left, "no answer before the time limit")
    last = (out.stderr.strip().splitlines() or [""])[-1]
    # A plugin's own traceback may precede the runner's one-line verdict (it helps the plugin's author).
    clear_end = last.startswith(("error (", "studyml: error: ")) or not out.stderr.strip()
    if out.returncode < 0 or "internal error" in out.stderr or ("Traceback" in out.stderr and not clear_end):
        return Outcome("crash", seconds, len(left) + extra_left, (out.stderr.strip().splitlines() or [""])[-1][:90])
    return Outcome("clean" if ok else "lost", seconds, len(left) + extra_left, detail)


def _listed(home: Path, folder: str, plugin: str) -> Outcome:
    add_plugins(home, folder)
    out, seconds = _run(home, "demo", "list", "--json")
    entry = {}
    if out is not None and out.returncode == 0:
        entry = next((p for p in json.loads(out.stdout)["plugins"] if p["id"] == plugin), {})
    packs, _ = _run(home, "pack", "list")
    ok = entry.get("status") == "broken" and packs is not None and packs.returncode == 0
    warm, warm_s = _run(home, "demo", "list")
    return _judge(
        out, seconds, home, ok and warm is not None, f"{entry.get('problem', '?')[:60]}; warm list {warm_s:.2f} s"
    )


def _segfault_at_import(home: Path) -> Outcome:
    return _listed(home, "import_segfault", "fx_import_segv")


def _hang_at_import(home: Path) -> Outcome:
    return _listed(home, "import_hang", "fx_import_hang")


def _cold_vs_warm(home: Path) -> Outcome:
    out, cold = _run(home, "demo", "list")
    _, warm = _run(home, "demo", "list")
    return _judge(
        out, cold, home, out is not None and out.returncode == 0, f"demo list: cold {cold:.2f} s, warm {warm:.2f} s"
    )


def _orphaned_worker(home: Path) -> Outcome:
    from studyml.demos import reaper

    add_plugins(home, "running")
    parent = start(home, "demo", "run", "fx-gil-sleep")
    t0 = time.monotonic()
    while "holding the GIL" not in (parent.stderr.readline() or "holding the GIL"):
        pass
    workers = reaper.descendants(parent.pid)
    parent.kill()
    parent.wait()
    killed = time.monotonic()

    def alive(pid: int) -> bool:  # a zombie waiting for init to reap it runs nothing
        try:
            return Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0] != b"Z"
        except OSError:
            return False

    while any(alive(p) for p in workers) and time.monotonic() - killed < 2.0:
        time.sleep(0.02)
    left = [p for p in workers if alive(p)]
    kill_all(left)
    return Outcome(
        "clean" if workers and not left else "lost",
        time.monotonic() - t0,
        len(left),
        f"{len(workers)} worker(s) gone {time.monotonic() - killed:.2f} s after SIGKILL of the CLI",
    )


def _children(params: list[str]):
    def case(home: Path) -> Outcome:
        add_plugins(home, "running")
        left = 0
        t_total = 0.0
        for _ in range(3):
            out, seconds = _run(home, "demo", "run", "fx-children", *params)
            t_total += seconds
            pids = processes_with("sleep 777101") + processes_with("sleep 777102")
            left += len(pids)
            kill_all(pids)
        ok = out is not None and out.returncode == (3 if params else 0)  # ExitCode.RUN_ERROR: timed out
        return _judge(out, t_total / 3, home, ok, "3 runs, sleep 777101 + 777102 (new session)", left)

    return case


def _flood_points(home: Path) -> Outcome:
    add_plugins(home, "running")
    out, seconds = _run(home, "demo", "run", "fx-flood")
    ok = out is not None and out.returncode == 0 and "1/1 claims hold" in out.stdout
    return _judge(out, seconds, home, ok, f"CLI: 1e6 points in {seconds:.1f} s (the app case below: same run)")


def _flood_lines(home: Path) -> Outcome:
    add_plugins(home, "running")
    out, seconds = _run(home, "demo", "run", "fx-flood", "-p", "points=0", "-p", "lines=1000000")
    n = sum(1 for ln in out.stderr.splitlines() if ln.startswith("  | line ")) if out is not None else 0
    return _judge(out, seconds, home, n == 1_000_000, f"CLI printed {n} of 1e6 log lines")


APP = textwrap.dedent("""
    import asyncio, json, sys, time
    START = time.monotonic()
    sys.path.insert(0, {root!r})
    from studyml.tui import navigation
    from tests.tui.helpers import app, loaded, text, wait_for

    async def main():
        a = app()
        async with a.run_test() as pilot:
            await loaded(pilot)
            navigation.demo(a, {plugin!r}, params={params!r})
            await pilot.pause()
            s = a.screen
            gaps, last = [0.0], [time.monotonic()]
            def tick():
                now = time.monotonic(); gaps.append(now - last[0]); last[0] = now
            s.set_interval(0.02, tick)
            t0 = time.monotonic()
            if {run!r}:
                s.query_one("#demo-run").focus()
                await pilot.press("r")
                await wait_for(pilot, lambda: s.finished_runs > 0, 150, "run")
            seconds = time.monotonic() - t0 if {run!r} else time.monotonic() - START
            shown = " | ".join(text(w) for w in s.query(".param-error, #demo-plot-caption, #demo-error")
                               if text(w).strip())
            print(json.dumps({{"ok": a.is_running, "seconds": seconds, "stall": max(gaps),
                              "points": s.plot.count(), "shown": shown}}))
            await pilot.press("ctrl+q")

    asyncio.run(main())
""")


def _app(plugin: str, params: dict, run: bool, expect: str):
    def case(home: Path) -> Outcome:
        add_plugins(home, "running")
        code = APP.format(root=str(ROOT), plugin=plugin, params=params, run=run)
        t0 = time.monotonic()
        try:
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env_for(home), cwd=ROOT, timeout=200
            )
        except subprocess.TimeoutExpired:
            return Outcome("hang", time.monotonic() - t0, len(_leftovers(home)), "the app did not finish")
        try:
            data = json.loads(out.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return _judge(out, time.monotonic() - t0, home, False, "")
        ok = data["ok"] and expect in data["shown"]
        detail = f"{data['shown'][:50]}" if expect else f"app {data['seconds']:.1f} s, {data['points']} points"
        return _judge(out, data["seconds"], home, ok, f"{detail}; longest stall {data['stall'] * 1000:.0f} ms")

    return case


def _random_py(home: Path) -> Outcome:
    (home / "plugins").mkdir(parents=True, exist_ok=True)
    for name in ("fx_stream.py", "fx_torch.py"):
        shutil.copy(FIXTURES.parents[1] / "fixtures" / "demo_plugins" / name, home / "plugins")
    cwd = home / "cwd"
    cwd.mkdir()
    for name in ("random.py", "concurrent.py"):
        (cwd / name).write_text("raise RuntimeError('the cwd shadowed the standard library')\n")
    out, seconds = _run(home, "demo", "run", "fx-torch", cwd=cwd)
    return _judge(out, seconds, home, out is not None and out.returncode == 0, "torch demo from a cwd with random.py")


def _pack(home: Path, name: str = "demo-pack") -> Path:
    from studyml.content.scaffold import scaffold

    return scaffold(home / "src" / name)


def _symlink(home: Path) -> Outcome:
    root = _pack(home)
    (home / "ssh").mkdir()
    (home / "ssh" / "id_rsa").write_text("secret\n")
    (root / "cards" / "keys").symlink_to(home / "ssh")
    (root / "quizzes" / "loop").symlink_to(root)
    out, seconds = _run(home, "pack", "install", str(root))
    copied = list((home / "packs").rglob("id_rsa")) if (home / "packs").exists() else []
    return _judge(
        out,
        seconds,
        home,
        out is not None and out.returncode == 1 and "symbolic link" in out.stderr and not copied,
        out.stderr.strip()[-60:] if out else "",
    )


def _builtin_id(home: Path) -> Outcome:
    root = _pack(home)
    manifest = root / "pack.yaml"
    manifest.write_text(manifest.read_text().replace("id: demo-pack", "id: ml-foundations"))
    out, seconds = _run(home, "pack", "install", str(root))
    ok = out is not None and out.returncode == 1 and "--replace" in out.stderr
    return _judge(
        out, seconds, home, ok and not (home / "packs" / "ml-foundations").exists(), "refused without --replace"
    )


def _bad_zip(home: Path) -> Outcome:
    root = _pack(home)
    archive = home / "pack.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(root.parent).as_posix())
    data = bytearray(archive.read_bytes())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, struct.unpack_from("<I", data, central + 24)[0] // 2)
    archive.write_bytes(bytes(data))
    out, seconds = _run(home, "pack", "install", str(archive))
    return _judge(out, seconds, home, out is not None and "header is wrong" in out.stderr, "under-stated size")


def _bad_result(kind: str, expect: str):
    def case(home: Path) -> Outcome:
        add_plugins(home, "running")
        out, seconds = _run(home, "demo", "run", "fx-badresult", "-p", f"kind={kind}")
        ok = out is not None and out.returncode == 3 and expect in out.stderr  # ExitCode.RUN_ERROR
        return _judge(out, seconds, home, ok, expect)

    return case


CASES = [
    Case("plugin segfaults at import", _segfault_at_import),
    Case("plugin hangs at import", _hang_at_import),
    Case("plugin discovery cold vs warm", _cold_vs_warm),
    Case("1 non-finite plot points (app)", _app("fx-nonfinite", {}, True, "13 non-finite points")),
    Case("2 worker holding the GIL, CLI killed", _orphaned_worker),
    Case("3 plugin children, run ends", _children([])),
    Case("3 plugin children, run times out", _children(["--param", "hang=true", "--timeout", "3"])),
    Case("4 1e6 points (CLI)", _flood_points),
    Case("4 1e6 points (app)", _app("fx-flood", {}, True, "")),
    Case("4 1e6 log lines (CLI)", _flood_lines),
    Case("13 random.py in the cwd", _random_py),
    Case("14 folder install with links", _symlink),
    Case("15 pack with the built-in id", _builtin_id),
    Case("16 zip header under-states a size", _bad_zip),
    Case("16 result with a tuple key", _bad_result("tuple-key", "has a tuple key")),
    Case("16 result with an object", _bad_result("object", "is a object")),
    Case("16 ctx.text(12345)", _bad_result("text", "ctx.text(12345)")),
    Case("17 card param not a choice (app)", _app("fx-badresult", {"kind": "hinge"}, False, "hinge")),
]
