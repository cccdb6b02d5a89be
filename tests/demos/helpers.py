"""Helpers for the demo machinery tests: fixture plugin folders and the real command line in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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
