"""Fixtures for the demo machinery: a temporary data dir with fixture plugins, and a runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyml.demos.discovery import discover
from studyml.demos.runner import DemoRunner
from tests.demos.helpers import add_plugins


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data dir; built-in plugins are still discovered, fixtures go to home/plugins."""
    path = tmp_path / "home"
    (path / "plugins").mkdir(parents=True)
    monkeypatch.setenv("STUDYML_HOME", str(path))
    return path


@pytest.fixture
def demo_home(home: Path) -> Path:
    add_plugins(home, "demo_plugins")
    return home


@pytest.fixture
def runner(demo_home: Path):
    """A runner without warm workers (fixtures need no torch) and a small memory cap."""
    r = DemoRunner(registry=discover(), keep_warm=False, memory_limit=512 << 20, cancel_grace=0.5)
    yield r
    r.close()
