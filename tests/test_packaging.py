"""A non-editable install finds the built-in packs and plugins from any directory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "studyml").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


@pytest.mark.slow
def test_wheel_install_finds_builtin_content_and_plugins(tmp_path):
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheel_dir.glob("studyml-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "STUDYML_HOME": str(tmp_path / "home")}
    code = (
        "import json, studyml, studyml.paths as p; "
        "from studyml.content.library import discover_packs; from studyml.demos.discovery import discover; "
        "print(json.dumps({'file': studyml.__file__, 'content': str(p.builtin_content_dir()), "
        "'packs': [r.manifest.id for r in discover_packs() if r.manifest], 'plugins': sorted(discover().plugins)}))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    import json

    data = json.loads(proc.stdout)
    assert data["file"].startswith(str(target))
    assert data["content"].startswith(str(target))
    assert "ml-foundations" in data["packs"]
    assert len(data["plugins"]) >= 1 and all(re.match(r"^[a-z][a-z0-9-]*$", p) for p in data["plugins"])
