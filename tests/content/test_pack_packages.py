"""Packs shipped as Python packages (`studyml.packs` entry points) are found without running their code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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


def _project(tmp_path: Path, marker: Path, *, src_layout: bool = False) -> tuple[Path, Path]:
    """A pack package's source: (the project folder, the pack folder inside its package)."""
    src = tmp_path / "src"
    pkg = (src / "src" if src_layout else src) / "studyml_pack_demo"
    (pkg / "pack" / "cards").mkdir(parents=True)
    pyproject = PYPROJECT
    if src_layout:
        pyproject = pyproject.replace(
            'packages = ["studyml_pack_demo"]', 'package-dir = {"" = "src"}\npackages = ["studyml_pack_demo"]'
        )
    (src / "pyproject.toml").write_text(pyproject)
    (pkg / "__init__.py").write_text(INIT.format(marker=str(marker)))
    (pkg / "pack" / "pack.yaml").write_text(MANIFEST)
    (pkg / "pack" / "cards" / "basics.yaml").write_text(CARDS)
    return src, pkg / "pack"


def _pip_install(*args: str, python: Path | None = None) -> None:
    """pip, from this interpreter, installing into this interpreter's target, or into `python`'s environment."""
    target = ["--python", str(python)] if python is not None else []
    proc = subprocess.run(
        [sys.executable, "-m", "pip", *target, "install", "--no-deps", "--no-build-isolation", "-q", *args],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


LIST = (
    "import json; from studyml.content.library import discover_packs; "
    "from studyml.content.packages import package_packs; "
    "print(json.dumps({'packs': {r.manifest.id: r.source for r in discover_packs() if r.manifest},"
    " 'cards': {r.manifest.id: len(r.pack.cards) if r.pack else r.diagnostics[0].message"
    " for r in discover_packs() if r.manifest},"
    " 'problems': [p.problem for p in package_packs() if p.problem]}))"
)


def _list_packs(python: str | Path, env: dict, cwd: Path) -> dict:
    out = subprocess.run([str(python), "-c", LIST], env=env, capture_output=True, text=True, cwd=cwd)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.slow
def test_a_pack_installed_as_a_python_package_is_listed_with_its_source(tmp_path):
    marker = tmp_path / "imported.txt"
    src, _ = _project(tmp_path, marker)
    site = tmp_path / "site"
    _pip_install("--target", str(site), str(src))
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, "STUDYML_HOME": str(tmp_path / "home")}
    data = _list_packs(sys.executable, env, tmp_path)
    assert data["packs"]["pack-demo"] == "package"
    assert data["cards"]["pack-demo"] == 1
    assert data["packs"]["ml-foundations"] == "built-in"
    assert len(data["problems"]) == 1 and "holds no pack.yaml" in data["problems"][0]
    assert not marker.exists(), "listing packs ran the package's code"


def _throwaway_venv(tmp_path: Path) -> Path:
    """A new venv (its python returned) that also sees this interpreter's site-packages, and so studyml and its
    dependencies, the way a learner's venv holds both studyml and the pack package."""
    import site

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dirs = "; ".join(f"site.addsitedir({d!r})" for d in site.getsitepackages())
    (Path(purelib) / "_studyml_under_test.pth").write_text(f"import site; {dirs}\n")
    return python


EDITABLE = {
    # setuptools' default for a package at the project's top: an import hook maps the name to the source folder
    "flat layout (import hook)": ([], False),
    # the layout docs/packs.md shows: a .pth file puts src/ on sys.path
    "src layout (.pth)": ([], True),
    # a tree of links to the source files, in build/
    "strict mode (links)": (["--config-settings", "editable_mode=strict"], False),
}


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(EDITABLE))
def test_a_pack_package_installed_editable_is_listed_and_its_edits_are_seen(tmp_path, mode):
    options, src_layout = EDITABLE[mode]
    marker = tmp_path / "imported.txt"
    src, pack = _project(tmp_path, marker, src_layout=src_layout)
    python = _throwaway_venv(tmp_path)
    _pip_install(*options, "-e", str(src), python=python)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"STUDYML_HOME": str(tmp_path / "home")}
    data = _list_packs(python, env, tmp_path)
    assert data["packs"]["pack-demo"] == "package", data
    assert data["cards"]["pack-demo"] == 1, data
    assert not marker.exists(), "listing packs ran the package's code"
    # Edit the source: a card added to a file, and a new card file; no reinstall.
    (pack / "cards" / "basics.yaml").write_text(CARDS + CARDS.replace("id: one", "id: two"))
    (pack / "cards" / "more.yaml").write_text(CARDS.replace("id: one", "id: three"))
    data = _list_packs(python, env, tmp_path)
    assert data["cards"]["pack-demo"] == 3, data
    assert not marker.exists()


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


def test_a_broken_entry_point_is_reported_where_it_is_declared(tmp_path):
    # So the author knows which distribution and which line of its entry_points.txt to fix.
    from importlib.metadata import EntryPoint, PathDistribution

    from studyml.content import packages
    from studyml.content.library import broken_package

    info = tmp_path / "studyml_pack_x-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: studyml-pack-x\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[studyml.packs]\nother = other_pkg:pack\nx = no_such_pkg_xyz:pack\n")
    ep = EntryPoint("x", "no_such_pkg_xyz:pack", "studyml.packs")._for(PathDistribution(info))
    assert packages._declared(ep) == (info / "entry_points.txt", 3)
    ref = packages.PackageRef(
        "x", "studyml-pack-x", None, "package 'no_such_pkg_xyz' is not installed", info / "entry_points.txt", 3
    )
    result = broken_package(ref)
    assert not result.ok and result.source == "package" and result.label == "x"
    assert str(result.errors[0]).startswith(f"{info / 'entry_points.txt'}:3:1: studyml.packs.x: studyml-pack-x: ")
