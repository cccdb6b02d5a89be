"""Plugin code never runs in the app's or the CLI's process: metadata is read by a worker, cached on disk."""

from __future__ import annotations

import json
import os
import sys
import time

import pytest

from studyml.demos.discovery import discover

from .helpers import add_plugins, cli

pytestmark = pytest.mark.slow


def _listing(home):
    out, seconds = cli(home, "demo", "list", "--json", timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return {p["id"]: p for p in json.loads(out.stdout)["plugins"]}, seconds


def test_a_plugin_that_segfaults_at_import_is_listed_broken_and_the_rest_works(studyml_home):
    add_plugins(studyml_home, "import_segfault")
    plugins, _ = _listing(studyml_home)
    assert plugins["fx_import_segv"]["status"] == "broken"
    assert "SIGSEGV" in plugins["fx_import_segv"]["problem"]
    assert plugins["convexity-hessian"]["status"] == "ok"  # the built-ins after it are still read
    packs, _ = cli(studyml_home, "pack", "list")
    assert packs.returncode == 0 and "ml-foundations" in packs.stdout


def test_a_plugin_that_hangs_at_import_is_listed_broken_after_a_time_limit(studyml_home):
    from studyml.demos.plugin_meta import IMPORT_TIMEOUT

    add_plugins(studyml_home, "import_hang")
    plugins, cold = _listing(studyml_home)
    assert plugins["fx_import_hang"]["status"] == "broken"
    assert f"did not finish within {IMPORT_TIMEOUT:g} s" in plugins["fx_import_hang"]["problem"]
    assert cold < IMPORT_TIMEOUT + 15
    from studyml import paths

    builtin = len([p for p in paths.builtin_plugins_dir().glob("*.py") if not p.name.startswith("_")])
    assert len(plugins) == builtin + 1  # every built-in plugin is still listed, beside the broken one
    _, warm = _listing(studyml_home)  # the verdict is cached with the file's identity: no second wait
    assert warm < IMPORT_TIMEOUT
    packs, _ = cli(studyml_home, "pack", "list", timeout=60)
    assert packs.returncode == 0 and "ml-foundations" in packs.stdout


def _plugin_modules() -> set[str]:
    """Plugin modules loaded in this process (other tests in the same worker may load some on purpose)."""
    return {m for m in sys.modules if m.startswith("studyml_plugin_")}


def test_warm_discovery_runs_no_subprocess_and_an_edited_plugin_is_read_again(studyml_home, monkeypatch):
    already = _plugin_modules()
    add_plugins(studyml_home, "marker")
    marker = studyml_home / "marker.txt"
    monkeypatch.setenv("STUDYML_TEST_MARKER", str(marker))
    cold = discover()
    assert cold.subprocesses == 1 and "fx-marker" in cold.plugins
    warm = discover()
    assert warm.subprocesses == 0 and set(warm.plugins) == set(cold.plugins)
    assert len(marker.read_text().split()) == 1
    plugin = studyml_home / "plugins" / "fx_marker.py"
    plugin.write_text(plugin.read_text().replace('"Marker"', '"Marker 2"'))
    edited = discover()
    assert edited.subprocesses == 1 and edited.plugins["fx-marker"].plugin.title["en"] == "Marker 2"
    assert str(os.getpid()) not in marker.read_text().split()
    assert _plugin_modules() - already == set()


def test_demo_list_and_the_app_never_import_a_plugin_in_their_own_process(studyml_home, monkeypatch):
    already = _plugin_modules()
    add_plugins(studyml_home, "marker")
    marker = studyml_home / "marker.txt"
    out, _ = cli(studyml_home, "demo", "list", STUDYML_TEST_MARKER=str(marker))
    assert out.returncode == 0 and "fx-marker" in out.stdout
    cli_pids = marker.read_text().split()
    assert len(cli_pids) == 1  # read once, by a worker (the CLI's pid is unknown here: see the app below)

    marker.unlink()
    (studyml_home / "cache" / "plugins.json").unlink()
    monkeypatch.setenv("STUDYML_TEST_MARKER", str(marker))
    from asyncio import run  # a plain test: the app runs in the middle of it

    from tests.tui.helpers import app, wait_for

    async def scenario():
        a = app()
        async with a.run_test() as pilot:
            await wait_for(pilot, lambda: a.services.packs is not None, timeout=60, what="packs")
            assert "fx-marker" in a.services.plugins()
            await pilot.press("ctrl+q")

    run(scenario())
    pids = marker.read_text().split()
    assert pids and str(os.getpid()) not in pids
    assert _plugin_modules() - already == set()


def test_the_app_with_a_plugin_hanging_at_import_shows_the_library_and_quits(studyml_home):
    add_plugins(studyml_home, "import_hang")
    from asyncio import run  # a plain test: the app runs in the middle of it

    from tests.tui.helpers import app, wait_for

    async def scenario():
        a = app()
        async with a.run_test() as pilot:
            t0 = time.monotonic()
            await wait_for(pilot, lambda: a.services.packs is not None, timeout=40, what="packs")
            assert any(r.pack is not None and r.pack.id == "ml-foundations" for r in a.services.packs)
            assert "convexity-hessian" in a.services.plugins()
            await pilot.press("ctrl+q")
            return time.monotonic() - t0

    assert run(scenario()) < 30
