"""`studyml demo new DIR`: the scaffolded package installs with pip, is found by its entry point, and passes
`studyml verify` and its own tests as generated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from studyml.demos.discovery import ENTRY_POINT_GROUP
from studyml.demos.scaffold import ScaffoldError, plugin_id_for, scaffold

ROOT = Path(__file__).resolve().parents[2]


def test_scaffold_names_the_entry_point_after_the_plugin_id(tmp_path):
    made = scaffold(tmp_path / "studyml-coin-mean")
    assert made["id"] == "coin-mean" and made["module"] == "studyml_coin_mean"
    pyproject = (tmp_path / "studyml-coin-mean" / "pyproject.toml").read_text()
    assert f'[project.entry-points."{ENTRY_POINT_GROUP}"]\ncoin-mean = "studyml_coin_mean:plugin"' in pyproject


def test_scaffold_refuses_a_folder_with_files_and_a_bad_id(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("mine")
    with pytest.raises(ScaffoldError, match="not an empty folder"):
        scaffold(tmp_path / "full")
    assert (tmp_path / "full" / "x.txt").read_text() == "mine"
    with pytest.raises(ScaffoldError, match="--id"):
        plugin_id_for(tmp_path / "123")
    with pytest.raises(ScaffoldError, match="not a plugin id"):
        scaffold(tmp_path / "new", "Bad Id")


def test_demo_new_refuses_an_id_taken_and_quotes_the_folder_it_names(tmp_path, home, capsys):
    from studyml.cli import ExitCode, main
    from studyml.demos.discovery import discover

    builtin = sorted(discover().plugins)[0]
    assert main(["demo", "new", str(tmp_path / "mine"), "--id", builtin]) == ExitCode.USAGE
    assert f"a plugin with id {builtin!r} exists already" in capsys.readouterr().err
    assert not (tmp_path / "mine").exists()
    assert main(["demo", "new", str(tmp_path / "My Demo!")]) == ExitCode.OK
    assert f"pip install -e '{tmp_path / 'My Demo!'}'" in capsys.readouterr().out  # copied as is, it works


@pytest.mark.slow
def test_generated_plugin_installs_with_pip_and_passes_verify(tmp_path):
    """A throwaway venv that sees this studyml: `pip install -e` must not touch the test environment."""
    env = {**os.environ, "STUDYML_HOME": str(tmp_path / "home")}
    made = subprocess.run(
        [sys.executable, "-m", "studyml.cli", "demo", "new", str(tmp_path / "my-demo"), "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["id"] == "my-demo"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "studyml-under-test.pth").write_text(f"{sysconfig.get_paths()['purelib']}\n{ROOT}\n")
    pip = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "-e",
            str(tmp_path / "my-demo"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert pip.returncode == 0, pip.stderr

    def studyml(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [python, "-m", "studyml.cli", *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=180
        )

    listed = {p["id"]: p for p in json.loads(studyml("demo", "list", "--json").stdout)["plugins"]}
    assert listed["my-demo"]["status"] == "ok" and listed["my-demo"]["origin"] == "entry_point"
    # The API version the docs describe (it was 1.1: families, which the docs show, were refused in it).
    from studyml.demos.api import API_VERSION

    assert listed["my-demo"]["api_version"] == API_VERSION
    verified = studyml("verify", "my-demo")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "2 claims hold" in verified.stdout
    refused = studyml("demo", "run", "my-demo", "-p", "n=10", "-p", "checkpoints=50")
    assert refused.returncode == 2 and "checkpoints (50) cannot exceed n (10)" in refused.stderr
    tests = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / "my-demo" / "tests")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=180,
    )
    assert tests.returncode == 0 and "2 passed" in tests.stdout, tests.stdout
