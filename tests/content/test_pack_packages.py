"""Packs shipped as Python packages (`studyml.packs` entry points) are found without running their code."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "studyml-pack-demo"
version = "1.2.0"

[project.entry-points."studyml.packs"]
demo = "studyml_pack_demo:pack"
broken = "studyml_pack_demo:nowhere"

[tool.setuptools]
packages = ["studyml_pack_demo"]

[tool.setuptools.package-data]
studyml_pack_demo = ["pack/*.yaml", "pack/cards/*.yaml"]
"""

INIT = """\
from pathlib import Path
Path({marker!r}).write_text("imported")  # a pack package's code must never run when packs are listed
"""

MANIFEST = """\
id: pack-demo
version: 1.2.0
title: {en: Packaged pack}
languages: [en]
license: MIT
authors: [Someone]
"""

CARDS = """\
- id: one
  title: {en: One}
  front: {en: Question?}
  back: {en: Answer.}
  sources: [{ref: "A book, §1"}]
"""


@pytest.mark.slow
def test_a_pack_installed_as_a_python_package_is_listed_with_its_source(tmp_path):
    marker = tmp_path / "imported.txt"
    src = tmp_path / "src"
    pkg = src / "studyml_pack_demo"
    (pkg / "pack" / "cards").mkdir(parents=True)
    (src / "pyproject.toml").write_text(PYPROJECT)
    (pkg / "__init__.py").write_text(INIT.format(marker=str(marker)))
    (pkg / "pack" / "pack.yaml").write_text(MANIFEST)
    (pkg / "pack" / "cards" / "basics.yaml").write_text(CARDS)
    site = tmp_path / "site"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "--target",
            str(site),
            str(src),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, "STUDYML_HOME": str(tmp_path / "home")}
    code = (
        "import json; from studyml.content.library import discover_packs; "
        "from studyml.content.packages import package_packs; "
        "print(json.dumps({'packs': {r.manifest.id: r.source for r in discover_packs() if r.manifest},"
        " 'problems': [p.problem for p in package_packs() if p.problem]}))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["packs"]["pack-demo"] == "package"
    assert data["packs"]["ml-foundations"] == "built-in"
    assert len(data["problems"]) == 1 and "holds no pack.yaml" in data["problems"][0]
    assert not marker.exists(), "listing packs ran the package's code"


def test_extra_folders_from_the_environment_are_listed_as_folder(tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    (folder / "cards").mkdir(parents=True)
    (folder / "pack.yaml").write_text(MANIFEST.replace("pack-demo", "my-folder-pack"))
    (folder / "cards" / "basics.yaml").write_text(CARDS)
    monkeypatch.setenv("STUDYML_PACKS", str(folder))
    monkeypatch.setenv("STUDYML_HOME", str(tmp_path / "home"))
    from studyml.content.library import discover_packs

    assert {r.manifest.id: r.source for r in discover_packs() if r.manifest}["my-folder-pack"] == "folder"


def test_entry_point_values_cannot_point_outside_their_package(tmp_path, monkeypatch):
    from studyml.content.packages import _locate

    pkg = tmp_path / "somepkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (tmp_path / "pack.yaml").write_text(MANIFEST)
    monkeypatch.syspath_prepend(str(tmp_path))
    folder, problem = _locate("somepkg:../")
    assert folder is None and "outside" in problem
    assert _locate("not a name")[1] is not None


def test_pack_list_shows_a_package_whose_entry_point_names_no_pack_folder_as_broken(tmp_path, monkeypatch, capsys):
    # The author's likeliest slips (a typo in the folder after ':', the YAML left out of the wheel) must not make
    # the package vanish from `pack list` without a word: docs/packs.md promises it is listed as BROKEN.
    from studyml.content import packages
    from tests.content.packutil import run

    monkeypatch.setenv("STUDYML_HOME", str(tmp_path / "home"))
    missing = tmp_path / "site" / "studyml_pack_x" / "packs"
    ref = packages.PackageRef("x", "studyml-pack-x", None, f"{missing} holds no pack.yaml")
    monkeypatch.setattr(packages, "package_packs", lambda: [ref])
    code, out, _ = run(capsys, "pack", "list")
    assert code == 0
    line = next(l for l in out.splitlines() if l.startswith("x "))
    assert "package" in line and "BROKEN" in line and "studyml-pack-x" in line and "holds no pack.yaml" in line
    code, out, _ = run(capsys, "pack", "list", "--json")
    row = next(r for r in json.loads(out)["packs"] if r["id"] == "x")
    assert row["source"] == "package" and row["ok"] is False and "holds no pack.yaml" in row["errors"][0]
