"""Fixtures for the demo machinery: a temporary data dir with fixture plugins, and CLI helpers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from studyml.demos.discovery import discover
from studyml.demos.runner import DemoRunner

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def add_plugins(home: Path, folder: str) -> None:
    shutil.copytree(FIXTURES / folder, home / "plugins", dirs_exist_ok=True)


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the real `studyml` command line in a subprocess (inherits STUDYML_HOME)."""
    return subprocess.run(
        [sys.executable, "-m", "studyml.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


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
