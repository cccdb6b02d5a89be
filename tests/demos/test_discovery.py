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


def test_run_json_of_a_duplicate_id_says_duplicate_with_its_run_error_code(home, capsys):
    # It said "error_kind": "usage" beside "exit_code": 3, a usage kind with a run error's code.
    from studyml.cli import main

    add_plugins(home, "plugin_dirs/duplicate")
    assert main(["demo", "run", "fx-dup", "--json"]) == 3
    out = json.loads(capsys.readouterr().out)
    assert (out["error_kind"], out["exit_code"]) == ("duplicate", 3) and "fx_dup_b.py" in out["error"]


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
    for args in (("demo", "info", "fx-broken"), ("demo", "run", "fx_broken")):
        out = cli(*args)
        assert out.returncode == 3, (args, out.stderr)
        assert "cannot run:" in out.stderr and "fixture module is broken on purpose" in out.stderr, out.stderr
        assert "no demo plugin" not in out.stderr and "Traceback" not in out.stderr
    # verify checks it: a plugin that cannot load fails its row (exit 1), as one that loads and cannot run does
    out = cli("verify", "fx-broken")
    assert out.returncode == 1, out.stderr
    assert "demo:fx-broken  FAIL" in out.stdout and "fixture module is broken on purpose" in out.stdout
    usage = cli("demo", "run", "fx-fine", "--param", "lo")
    assert usage.returncode == 2 and "expected NAME=VALUE, got 'lo'" in usage.stderr  # its closing quote kept


BROKEN_WITH_ITS_ID = """
from studyml.demos.api import Plugin
import a_module_that_is_not_installed

plugin = Plugin(id="half-mean", title={"en": "Half mean", "ko": "절반 평균"}, run=lambda p, ctx: None)
"""
ABORTS = """
import os
from studyml.demos.api import Plugin
os.abort()
plugin = Plugin(id='crash-me', title={'en': 'C'}, run=lambda p, ctx: None)
"""


def test_a_plugin_broken_at_import_is_known_by_the_id_its_source_declares(home, capsys):
    # The file is mydemo.py, the id half-mean: `demo run half-mean` said "no demo plugin with id 'half-mean'" (exit 2)
    # and the list showed "mydemo"; an author looking for their demo by its id could not find why it was missing.
    from studyml.cli import main

    (home / "plugins" / "mydemo.py").write_text(BROKEN_WITH_ITS_ID)
    (home / "plugins" / "aborts.py").write_text(ABORTS)
    assert main(["demo", "list", "--json"]) == 0
    listed = {p["id"]: p for p in json.loads(capsys.readouterr().out)["plugins"]}
    assert listed["half-mean"]["status"] == "broken"
    assert "a_module_that_is_not_installed" in listed["half-mean"]["problem"]
    assert listed["half-mean"]["problem"].endswith("(at mydemo.py:3 in <module>)")  # where: the line that failed
    assert listed["crash-me"]["status"] == "broken" and "crashed the process" in listed["crash-me"]["problem"]
    assert "mydemo" not in listed and "aborts" not in listed
    for plugin_id in ("half-mean", "mydemo", "crash-me"):  # by its id or by its file name
        assert main(["demo", "run", plugin_id]) == 3
        err = capsys.readouterr().err
        assert "cannot run:" in err and "no demo plugin" not in err, err
    assert main(["verify", "half-mean"]) == 1
    assert "demo:half-mean  FAIL" in capsys.readouterr().out
    # An id no plugin has names the plugins that could not be read, one of which may be the one meant.
    assert main(["demo", "run", "half-meen"]) == 2
    err = capsys.readouterr().err
    assert "no demo plugin with id 'half-meen'" in err and "2 plugins could not be loaded: " in err
    assert f"half-mean ({home / 'plugins' / 'mydemo.py'})" in err


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('from studyml.demos import api\nplugin = api.Plugin(id="a-b", run=None)\n', "a-b"),
        ('plugin = Plugin(id="x")\nother = Plugin(id="y")\n', None),  # two: which is unknown
        ('ID = "x"\nplugin = Plugin(id=ID)\n', None),  # not a literal: not guessed
        ("plugin = Plugin(id='x'\n", None),  # does not parse
        ('run(id="x")\n', None),  # not a Plugin
    ],
)
def test_the_declared_id_is_read_without_running_the_source(tmp_path, source, expected):
    from studyml.demos.loading import declared_id

    path = tmp_path / "p.py"
    path.write_text("raise SystemExit('never run')\n" + source)
    assert declared_id(f"file:{path}") == expected
    assert declared_id("entry:some.module:plugin") is None  # an entry point's name is its id


def test_an_entry_point_whose_name_is_not_its_id_is_listed_broken_with_the_reason(home, monkeypatch):
    # It was dropped from `demo list` with only a warning on stderr.
    from studyml.demos import discovery, plugin_meta
    from studyml.demos.discovery import Candidate

    cand = Candidate("entry:pkg:plugin", "entry_point", "entry point 'mean-demo' = 'pkg:plugin'", ("e",), "mean-demo")
    meta = {"id": "mean-of-uniforms", "title": {"en": "Mean"}}
    monkeypatch.setattr(discovery, "_from_entry_points", lambda: [cand])
    monkeypatch.setattr(
        plugin_meta, "read", lambda cands, use_cache=True: ({cand.locator: {"ok": True, "meta": meta}}, 0)
    )
    reg = discover(builtin_dir=home / "none", user_dir=home / "none")
    assert not reg.plugins
    [broken] = reg.broken
    assert broken["name"] == "mean-of-uniforms" and "entry point is named 'mean-demo'" in broken["problem"]
    assert reg.broken_named("mean-demo") is broken and reg.broken_named("mean-of-uniforms") is broken


ESTIMATED = """
from pydantic import BaseModel, Field
from studyml.demos.api import Plugin

class Params(BaseModel):
    steps: int = Field(4, ge=1, le=100, description="steps")

plugin = Plugin(
    id="fx-estimated", title={"en": "Estimated", "ko": "추정"}, summary={"en": "E", "ko": "추정"}, claims=[],
    params=Params, run=lambda p, ctx: None,
    expected_seconds=9, estimate="0.5*steps", api_version="1.1",
)
"""


def test_the_list_shows_the_time_the_demos_own_page_shows(home, capsys):
    # `demo list` said ~9 s (expected_seconds) where `demo info` said ~2 s (the estimate with the defaults).
    from studyml.cli import main

    (home / "plugins" / "fx_estimated.py").write_text(ESTIMATED)
    assert main(["demo", "list"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("fx-estimated"))
    assert "~2.0 s" in row and "~9" not in row
    assert main(["demo", "info", "fx-estimated"]) == 0
    assert "expected time with defaults: ~2.0 s (estimate: 0.5*steps s)" in capsys.readouterr().out
    assert discover().plugins["fx-estimated"].plugin.metadata()["default_seconds"] == 2.0  # what the app shows
    (home / "plugins" / "fx_estimated.py").write_text(ESTIMATED.replace("0.5*steps", "37.5*steps"))
    assert main(["demo", "list"]) == 0  # as the app writes it: 150, not 1.5e+02
    assert "~150 s" in next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("fx-estimated"))


def _broken(plugin_id: str, why: str = "nope") -> str:
    return f"from studyml.demos.api import Plugin\nraise ImportError({why!r})\nplugin = Plugin(id={plugin_id!r})\n"


def test_a_broken_plugin_that_declares_a_working_plugins_id_is_listed_by_its_file(home):
    # It was listed as a second "batchnorm", with no file named, and `demo run batchnorm` said nothing of it.
    (home / "plugins" / "shadow.py").write_text(_broken("batchnorm"))
    (home / "plugins" / "a0.py").write_text(_broken("t3", "a0 is broken"))
    (home / "plugins" / "t3.py").write_text(_broken("zz", "t3 is broken"))
    (home / "plugins" / "odd.py").write_text(_broken("Not An Id\nat all"))
    reg = discover()
    assert "batchnorm" in reg.plugins and reg.plugins["batchnorm"].origin == "builtin"
    names = {b["name"]: b for b in reg.broken}
    assert "declares id 'batchnorm', which built-in" in names["shadow"]["problem"]
    assert reg.broken_named("t3") is names["t3"] and "a0 is broken" in names["t3"]["problem"]  # its id before a file
    assert reg.broken_named("zz") is names["zz"]
    assert "odd" in names  # an id that could never be one is not taken for one


def test_the_worker_says_it_started_on_a_plugin_before_reading_its_source(home):
    # It read the source first, on the previous plugin's clock: after a 4 s import, a large plugin file and every
    # plugin after it were listed broken ("the worker reading plugin metadata did not start").
    from studyml.demos import launch

    path = home / "plugins" / "big.py"
    path.write_text(_fine("big-one"))
    proc = subprocess.run(
        launch.worker_command(sys.executable, "--describe"),
        input=json.dumps({"locator": f"file:{path}"}) + "\n",
        capture_output=True,
        text=True,
        env=launch.worker_env(),
        timeout=60,
    )
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert [e["type"] for e in events] == ["describing", "declared", "described"], proc.stderr
    assert events[1]["declared_id"] == "big-one" and events[2]["ok"]


def _fine(plugin_id: str) -> str:
    return (
        "from pydantic import BaseModel\nfrom studyml.demos.api import Plugin\nclass P(BaseModel):\n    pass\n"
        f"plugin = Plugin(id={plugin_id!r}, title={{'en': 'T', 'ko': '티'}}, summary={{'en': 'S', 'ko': '에스'}},"
        " params=P, claims=[], run=lambda p, ctx: None)\n"
    )


def test_a_pack_naming_a_plugin_that_cannot_run_is_told_why_not_to_install_it(home, capsys, tmp_path):
    # `pack validate` said "unknown demo 'half-mean' … (install the plugin that provides it)" of a plugin that is
    # installed and broken: it now says why it cannot run. An id no plugin has is still unknown, and a did-you-mean
    # never suggests the broken one.
    from studyml.cli import main
    from tests.content.packutil import make_pack

    (home / "plugins" / "mydemo.py").write_text(BROKEN_WITH_ITS_ID)
    card = "- id: sigmoid\n  title: {en: T, ko: 제목}\n  front: {en: F, ko: 앞}\n  back: {en: B, ko: 뒤}\n  demo: {id: DEMO}\n"
    # By its id, or by its file name as `demo run` finds it too.
    cases = (("half-mean", "cannot run: "), ("mydemo", "cannot run: "), ("half-meen", "unknown demo 'half-meen'"))
    for demo, said in cases:
        root = make_pack(tmp_path / demo, {"cards/basics.yaml": card.replace("DEMO", demo)})
        assert main(["pack", "validate", str(root)]) == 0  # a warning (and the card cites no source)
        out = capsys.readouterr().out
        assert said in out, out
        assert "did you mean 'half-mean'" not in out and ("install the plugin" in out) == (demo == "half-meen")
