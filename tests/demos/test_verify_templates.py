"""`studyml verify` over quiz templates: each draw's key against the plugin check, through the real CLI."""

from __future__ import annotations

import json
import shutil

from tests.demos.helpers import FIXTURES, add_plugins, cli


def _rows(home, *args):
    add_plugins(home, "template_plugins")
    shutil.copytree(FIXTURES / "template_pack", home / "packs" / "fx-templates", dirs_exist_ok=True)
    out = cli("verify", "fx-checks", "--json", *args)
    return out, {c["check"]: c for c in json.loads(out.stdout)["checks"]}


def test_a_key_that_disagrees_with_its_check_fails_with_its_seed(home):
    out, rows = _rows(home, "--seeds", "20")
    assert out.returncode == 1
    assert rows["template:fx-templates/twice-right"] | {"seconds": 0} == {
        "check": "template:fx-templates/twice-right",
        "passed": True,
        "seconds": 0,
        "detail": "20 draws agree with fx-checks/double",
    }
    wrong = rows["template:fx-templates/twice-wrong-key"]
    # n + 2 equals 2n only at n = 2: the first other draw fails and names its seed and values.
    assert not wrong["passed"] and wrong["detail"].startswith("seed ") and "but the check computes" in wrong["detail"]
    seed = int(wrong["detail"].split()[1].rstrip(":"))
    shown = cli("quiz", "show", "fx-templates/twice-wrong-key", "--seed", str(seed))
    assert shown.returncode == 0, shown.stderr
    n = int(wrong["detail"].split("n=")[1].rstrip(")"))
    assert f"Twice {n}?" in shown.stdout and f"key: {n + 2}" in shown.stdout


def test_a_check_that_raises_for_some_seed_fails(home):
    _, rows = _rows(home, "--seeds", "30")
    raised = rows["template:fx-templates/twice-check-raises"]
    assert not raised["passed"] and "the check raised ValueError: seven is not allowed" in raised["detail"]
    assert raised["detail"].startswith("seed ")
    unknown = rows["template:fx-templates/twice-unknown-check"]
    assert (
        not unknown["passed"]
        and unknown["detail"] == "plugin 'fx-checks' has no check 'triple' (its checks: double, double-but-not-seven)"
    )


def test_demo_info_lists_the_checks(home):
    add_plugins(home, "template_plugins")
    text = cli("demo", "info", "fx-checks").stdout
    assert "Template checks" in text and "double-but-not-seven: Twice n, raising at 7." in text
