"""Discovery: folders, packages, duplicates, API versions, broken imports, cheap listing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from studyml.demos.api import API_VERSION
from studyml.demos.discovery import discover
from tests.demos.helpers import add_plugins, cli


def test_data_dir_plugins_are_found_by_file(demo_home):
    reg = discover()
    info = reg.plugins["fx-stream"]
    assert info.origin == "user"
    assert info.source.endswith("fx_stream.py")
    assert info.locator.startswith("file:")


def test_builtin_plugins_use_the_folder_mechanism(home):
    reg = discover()
    builtin = [i for i in reg.plugins.values() if i.origin == "builtin"]
    assert builtin  # an empty list would make the next line pass without checking anything
    assert all(i.locator.startswith("file:") and "built-in" in i.source for i in builtin)


@pytest.mark.slow
def test_package_folder_plugin_with_relative_import_runs(home):
    from studyml.demos.runner import DemoRunner

    add_plugins(home, "plugin_dirs/package_plugin")
    reg = discover()
    assert "fx-pkg" in reg.plugins
    res = DemoRunner(registry=reg, keep_warm=False).run("fx-pkg", timeout=20)
    assert res.exit_code == 0, res.error


def test_duplicate_id_is_an_error_naming_both_sources(home):
    add_plugins(home, "plugin_dirs/duplicate")
    reg = discover()
    assert "fx-dup" not in reg.plugins
    [problem] = [p for p in reg.problems if "fx-dup" in p]
    assert "fx_dup_a.py" in problem and "fx_dup_b.py" in problem
    with pytest.raises(LookupError, match="fx_dup_a.py.*fx_dup_b.py"):
        reg.get("fx-dup")


@pytest.mark.slow
def test_api_version_mismatch_is_reported_not_loaded(home):
    add_plugins(home, "plugin_dirs/incompatible")
    reg = discover()
    assert "fx-future" not in reg.plugins and "fx-future" in reg.incompatible
    [problem] = [p for p in reg.problems if "fx-future" in p]
    assert "version 2" in problem and f"version {API_VERSION}" in problem

    listed = cli("demo", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    entry = next(p for p in json.loads(listed.stdout)["plugins"] if p["id"] == "fx-future")
    assert entry["status"] == "incompatible"
    ran = cli("demo", "run", "fx-future")
    assert ran.returncode == 3  # installed but cannot run here: a run error, not a usage error
    assert "targets plugin API version 2" in ran.stderr and "Traceback" not in ran.stderr


def test_failing_import_is_reported_and_others_load(home):
    add_plugins(home, "plugin_dirs/broken_import")
    reg = discover()
    assert "fx-fine" in reg.plugins
    [problem] = [p for p in reg.problems if "fx_broken" in p]
    assert str(home / "plugins" / "fx_broken.py") in problem
    assert "fixture module is broken on purpose" in problem


@pytest.mark.slow
def test_listing_does_not_import_torch_or_sympy(demo_home):
    code = (
        "import sys\n"
        "from studyml.demos.discovery import discover\n"
        "from studyml.demos.runner import plugin_listing\n"
        "plugin_listing(discover())\n"
        "print('discovery', [m for m in ('torch', 'sympy') if m in sys.modules])\n"
        "from studyml.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['demo', 'list', '--json'])\n"
        "print('cli', rc, [m for m in ('torch', 'sympy') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "discovery []" in out.stdout
    assert "cli 0 []" in out.stdout


@pytest.fixture(scope="module")
def thirdparty_site(tmp_path_factory):
    """Install the fixture package (a real build, with its entry point) into a target dir."""
    from tests.demos.helpers import FIXTURES

    src = tmp_path_factory.mktemp("src") / "thirdparty_plugin"
    import shutil

    shutil.copytree(FIXTURES / "thirdparty_plugin", src)  # the build writes next to the sources
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--no-cache-dir",
            "--disable-pip-version-check",
            "--target",
            str(site),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert list(site.glob("*.dist-info/entry_points.txt"))
    return site


@pytest.mark.slow
def test_thirdparty_entry_point_is_listed_and_runs(home, thirdparty_site):
    env = {"PYTHONPATH": str(thirdparty_site)}
    listed = cli("demo", "list", "--json", env=env)
    entry = next(p for p in json.loads(listed.stdout)["plugins"] if p["id"] == "fx-thirdparty")
    assert entry["origin"] == "entry_point" and "studyml-fixture-demo" in entry["source"]
    assert entry["status"] == "ok"

    ran = cli("demo", "run", "fx-thirdparty", "--json", env=env)
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout)["result"]
    assert [c["passed"] for c in result["claims"]] == [True, True]
    assert len(result["series"]["running_mean"]) == 10

    failing = cli("demo", "run", "fx-thirdparty", "--param", "n=50", env=env)
    assert failing.returncode == 1 and "✗ enough-samples" in failing.stdout


_EDITABLE = """
from pydantic import BaseModel

from studyml.demos.api import ClaimSpec, Plugin


class Params(BaseModel):
    pass


def run(p, ctx):
    ctx.claim("holds", True, {}, "true")


plugin = Plugin(
    id="fx-editable",
    title={"en": "TITLE", "ko": "TITLE"},
    summary={"en": "An editable install.", "ko": "편집 가능한 설치."},
    params=Params,
    claims=[ClaimSpec("holds", {"en": "It holds.", "ko": "성립한다."})],
    run=run,
)
"""


def test_an_editable_installs_edits_are_read_again(home, tmp_path, monkeypatch):
    # `pip install -e` keeps the version while the author edits: the cached metadata showed the first title forever.
    site = tmp_path / "site"
    (site / "fx_editable").mkdir(parents=True)
    info = site / "fx_editable-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fx-editable\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[studyml.plugins]\nfx-editable = fx_editable:plugin\n")
    module = site / "fx_editable" / "__init__.py"
    module.write_text(_EDITABLE.replace("TITLE", "Before"))
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", str(site))  # for the worker that reads the metadata
    assert discover().plugins["fx-editable"].plugin.title["en"] == "Before"
    module.write_text(_EDITABLE.replace("TITLE", "After, edited"))
    assert discover().plugins["fx-editable"].plugin.title["en"] == "After, edited"
    assert "fx_editable" not in sys.modules  # found and keyed without importing it here


def test_a_broken_plugin_asked_for_by_name_says_why_it_cannot_run(home):
    # It was "no demo plugin with id 'fx-broken'" (exit 2) while `demo list` showed it broken.
    add_plugins(home, "plugin_dirs/broken_import")
    for args in (("demo", "info", "fx-broken"), ("demo", "run", "fx_broken"), ("verify", "fx-broken")):
        out = cli(*args)
        assert out.returncode == 3, (args, out.stderr)
        assert "cannot run:" in out.stderr and "fixture module is broken on purpose" in out.stderr, out.stderr
        assert "no demo plugin" not in out.stderr and "Traceback" not in out.stderr
    usage = cli("demo", "run", "fx-fine", "--param", "lo")
    assert usage.returncode == 2 and "expected NAME=VALUE, got 'lo'" in usage.stderr  # its closing quote kept
