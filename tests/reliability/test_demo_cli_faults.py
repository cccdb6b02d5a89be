"""`studyml demo run` with a flood of points or log lines, and with results JSON cannot carry."""

from __future__ import annotations

import json

import pytest

from .helpers import add_plugins, cli

pytestmark = pytest.mark.slow


# 200,000 lines or points: forty times what any pipe buffers, so a lost or reordered write still shows. The
# issue's million, as the learner ran it, is a case of `make faults` (tests/reliability/matrix.py).
FLOOD = 200_000


@pytest.fixture
def home(studyml_home):
    add_plugins(studyml_home, "running")
    return studyml_home


def test_every_log_line_of_a_flood_is_printed(home):
    out, _ = cli(home, "demo", "run", "fx-flood", "-p", "points=0", "-p", f"lines={FLOOD}", timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("  | line ")]
    assert lines == [f"  | line {i}" for i in range(FLOOD)]


def test_a_flood_of_points_arrives_complete(home):
    out, seconds = cli(home, "demo", "run", "fx-flood", "-p", f"points={FLOOD}", "--json", timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    series = json.loads(out.stdout)["result"]["series"]["flood"]
    assert series == [[float(i), (i % 1000) / 1000] for i in range(FLOOD)]
    print(f"{FLOOD} points from the CLI: {seconds:.1f} s")


@pytest.mark.parametrize(
    "kind,field",
    [
        ("tuple-key", "result['claims'][0]['threshold'] has a tuple key (1, 2)"),
        ("object", "result['metrics']['weird'] is a object"),
        ("observed-object", "result['claims'][0]['observed']['v'] is a object"),
        ("table-object", "result['tables'][0]['rows'][0][0] is a object"),
    ],
)
def test_a_result_json_cannot_carry_is_a_clear_error_naming_the_field(home, kind, field):
    out, _ = cli(home, "demo", "run", "fx-badresult", "-p", f"kind={kind}")
    assert out.returncode == 3  # ExitCode.RUN_ERROR: the demo did not finish
    assert field in out.stderr and "internal error" not in out.stderr and "SIGABRT" not in out.stderr


def test_a_text_call_with_a_number_is_a_clear_error(home):
    out, _ = cli(home, "demo", "run", "fx-badresult", "-p", "kind=text")
    assert out.returncode == 3  # ExitCode.RUN_ERROR: the demo did not finish
    assert "ctx.text(12345): expected a string or a {language: string} dict, got int" in out.stderr


def test_a_crash_is_named_and_its_dump_printed_once(home):
    # The worker's dump was printed as it came (each line after "  | ") and then again whole, unmarked.
    import shutil

    from tests.demos.helpers import FIXTURES

    shutil.copy(FIXTURES / "demo_plugins" / "fx_segfault.py", home / "plugins")
    out, _ = cli(home, "demo", "run", "fx-segfault")
    assert out.returncode == 3  # ExitCode.RUN_ERROR
    assert "crashed the worker (SIGSEGV: segmentation fault)" in out.stderr
    assert out.stderr.count("Fatal Python error: Segmentation fault") == 1, out.stderr
    assert "fx_segfault.py" in out.stderr  # the dump says where
