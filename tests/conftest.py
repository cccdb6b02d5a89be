"""Every test gets its own data dir: progress, installed packs and settings never touch the user's."""

import gc
import os
import tempfile
from pathlib import Path

import pytest

from studyml import paths
from studyml.content.scaffold import scaffold
from tests.plugin_memo import memoized

# Where studyml would go without $STUDYML_HOME (platformdirs reads these) is a throwaway folder too, so a test
# that loses its STUDYML_HOME cannot reach the data of whoever runs the tests; `no_leak_to_default_home` fails it.
_DEFAULT_HOMES = Path(tempfile.mkdtemp(prefix="studyml-tests-xdg-"))
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = str(_DEFAULT_HOMES / _var.lower())


def pytest_unconfigure(config):
    """The throwaway default homes go with the run (each worker made one: hundreds piled up in /tmp)."""
    import shutil

    shutil.rmtree(_DEFAULT_HOMES, ignore_errors=True)


def pytest_collection_finish(session):
    """What collection imported (textual, pydantic, every test module) lives until the run ends: frozen,
    the garbage collector's full passes no longer walk it after every few tests (a fifth of their time in the TUI
    tests, where each test's app is cyclic garbage that only a full pass frees)."""
    gc.freeze()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test and its fixtures are gone: its garbage is collected, and what outlives it is frozen too.

    A UI test's app is cyclic garbage that only a full pass frees, and full passes walk every object not frozen:
    without this, each test's full passes walked what earlier tests left (a quarter of the UI tests' CPU time).
    Textual also keeps the last 1,024 widgets' style caches, with every line they rendered, in an lru_cache keyed
    by the cache itself (StylesCache.get_inner_outer): it is emptied first, so no test's app is kept by it."""
    yield
    import sys

    styles_cache = sys.modules.get("textual._styles_cache")  # not imported by the tests that never start the app
    if styles_cache is not None:
        styles_cache.StylesCache.get_inner_outer.cache_clear()
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items):
    """The slow and e2e tests first, in their order: handed out early, none of them ends a parallel run alone."""
    items.sort(key=lambda item: not (item.get_closest_marker("slow") or item.get_closest_marker("e2e")))


@pytest.fixture(autouse=True)
def no_leak_to_default_home():
    """A test that opened the default data dir (its STUDYML_HOME lost, e.g. by monkeypatch.undo()) fails."""
    yield
    leaked = sorted(str(p) for p in _DEFAULT_HOMES.glob("*/studyml"))
    if leaked:
        import shutil

        for path in leaked:
            shutil.rmtree(path, ignore_errors=True)  # so the next test is judged on its own
        pytest.fail(f"the test wrote to the default data dir, not to its STUDYML_HOME: {leaked}")


@pytest.fixture(autouse=True)
def studyml_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("studyml-home")
    monkeypatch.setenv("STUDYML_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def plugin_metadata_memo(request, monkeypatch):
    """Plugin metadata a real subprocess already read in this test process is reused (tests/plugin_memo.py).

    Tests of metadata reading itself (subprocess counts, the cache) opt out with `@pytest.mark.real_discovery`.
    """
    if request.node.get_closest_marker("real_discovery"):
        return
    from studyml.demos import plugin_meta

    monkeypatch.setattr(plugin_meta, "_describe_all", memoized(plugin_meta._describe_all))


@pytest.fixture(autouse=True)
def no_spare_demo_worker(monkeypatch):
    """The app's runner starts no spare warm worker (torch + sympy, seconds of CPU) after each run in a test.

    Only the default changes: a runner built with keep_warm=True (the CLI's, the runner tests') keeps it,
    and tests/tui/test_app.py checks the real default in a fresh process.
    """
    import studyml.demos.runner as runner

    class NoSpareRunner(runner.DemoRunner):
        def __init__(self, **kw):
            kw.setdefault("keep_warm", False)
            super().__init__(**kw)

    monkeypatch.setattr(runner, "DemoRunner", NoSpareRunner)


@pytest.fixture
def no_builtins(tmp_path_factory, monkeypatch):
    """Hide the built-in packs and plugins: they are written by others and may change or break."""
    empty = tmp_path_factory.mktemp("no-builtins")
    monkeypatch.setattr(paths, "builtin_content_dir", lambda: empty)
    monkeypatch.setattr(paths, "builtin_plugins_dir", lambda: empty)
    return empty


@pytest.fixture
def fixture_pack(studyml_home, no_builtins) -> Path:
    """The scaffolded pack (1 card, one quiz item of each kind) installed as `fixture`."""
    return scaffold(studyml_home / "packs" / "fixture")
