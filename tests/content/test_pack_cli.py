"""`studyml pack ...` as an author uses it: exit codes, messages, JSON."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from studyml.cli import main
from tests.content.packutil import card, make_pack, run


def test_new_pack_validates(tmp_path, capsys):
    code, out, _ = run(capsys, "pack", "new", str(tmp_path / "fresh"))
    assert code == 0 and "created" in out
    code, out, err = run(capsys, "pack", "validate", str(tmp_path / "fresh"))
    assert code == 0, out
    assert out.splitlines()[-1].endswith(
        "valid: 1 card, 6 quiz items, 0 errors, 0 warnings"
    )  # on stdout, as when invalid
    assert err == ""


def test_new_refuses_a_non_empty_folder(tmp_path, capsys):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    code, _, err = run(capsys, "pack", "new", str(tmp_path / "x"))
    assert code == 2 and "already exists and is not empty" in err  # a usage error
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"


def test_validate_reports_every_error_and_exits_1(tmp_path, capsys):
    root = make_pack(tmp_path, {"cards/basics.yaml": "- id: Bad\n  title: x\n"})
    code, out, _ = run(capsys, "pack", "validate", str(root))
    assert code == 1
    lines = out.splitlines()
    diags = [l for l in lines if re.match(rf"^{re.escape(str(root))}/cards/basics.yaml:\d+:\d+: cards\[0\]", l)]
    assert len(diags) == 4  # bad id, title not a mapping, missing front, missing back: all in one run
    # Counted as read valid: the bad card is not, the scaffold's items are (it said 0 quiz items, as if none)
    assert lines[-1].endswith("INVALID: 0 cards, 6 quiz items, 10 errors, 0 warnings")


def test_validate_json(tmp_path, capsys):
    root = make_pack(tmp_path, {"cards/basics.yaml": "- id: Bad\n"})
    code, out, _ = run(capsys, "pack", "validate", "--json", str(root))
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    d = data["packs"][0]["diagnostics"][0]
    assert set(d) == {"file", "line", "col", "path", "message", "severity"}


def test_validate_json_gives_every_pack_the_same_keys_even_one_that_is_not_a_pack(tmp_path, capsys):
    # A path that was no pack lacked id, cards, items and kinds.
    good = make_pack(tmp_path)
    (tmp_path / "notes.txt").write_text("not a pack")
    code, out, _ = run(capsys, "pack", "validate", "--json", str(good), str(tmp_path / "notes.txt"))
    packs = json.loads(out)["packs"]
    assert code == 1 and [p["ok"] for p in packs] == [True, False]
    assert set(packs[0]) == set(packs[1]) and (packs[1]["cards"], packs[1]["id"]) == (0, None)


def _with_unknown_demo(tmp_path: Path) -> Path:
    """A valid pack whose card names a demo that no plugin provides: a warning, an error under --strict."""
    text = (make_pack(tmp_path) / "cards" / "basics.yaml").read_text()
    return make_pack(
        tmp_path / "b",
        {"cards/basics.yaml": text.replace("  tags: [activation]", "  tags: [activation]\n  demo: {id: no-such-demo}")},
    )


def test_strict_turns_unknown_demo_into_an_error(tmp_path, capsys):
    root = _with_unknown_demo(tmp_path)
    assert run(capsys, "pack", "validate", str(root))[0] == 0
    code, out, _ = run(capsys, "pack", "validate", "--strict", str(root))
    assert code == 1 and "unknown demo 'no-such-demo'" in out


def test_watch_strict_shows_a_warning_as_the_error_it_counts_as(tmp_path, capsys):
    # `pack watch --strict` counted an unknown demo as a problem but printed it as "warning: …" (validate did not).
    root = _with_unknown_demo(tmp_path)
    code, out, _ = run(capsys, "pack", "watch", "--once", str(root))
    assert code == 0 and "warning: unknown demo 'no-such-demo'" in out and ": valid:" in out
    code, out, _ = run(capsys, "pack", "watch", "--once", "--strict", str(root))
    assert code == 1 and "unknown demo 'no-such-demo'" in out and "warning:" not in out and "2 problems" in out
    code, out, _ = run(capsys, "pack", "watch", "--once", "--strict", "--json", str(root))
    report = json.loads(out)
    assert code == 1 and not report["ok"] and {d["severity"] for d in report["diagnostics"]} == {"error"}


def test_missing_path_is_a_clear_error(tmp_path, capsys):
    code, out, _ = run(capsys, "pack", "validate", str(tmp_path / "nope"))
    # Exit 2 (usage), as `pack install` and every command given a name that names nothing; still reported.
    assert code == 2 and "no such folder or .zip file" in out and "INVALID" in out


def test_an_installed_pack_hidden_by_a_folder_pack_of_the_same_id_is_told_and_can_be_removed(
    tmp_path, capsys, monkeypatch
):
    # A package or $STUDYML_PACKS pack with the same id wins in the library: `pack install` said only "installed",
    # and `pack remove` refused the installed copy as "a folder pack, not an installed one".
    root = make_pack(tmp_path)
    mine = make_pack(tmp_path / "elsewhere")
    monkeypatch.setenv("STUDYML_PACKS", str(mine))
    code, out, _ = run(capsys, "pack", "install", str(root))
    assert code == 0 and out.startswith("installed demo-pack")
    assert f"note: the folder pack demo-pack 0.1.0 ({mine}) has the same id" in out and "$STUDYML_PACKS" in out
    code, out, err = run(capsys, "pack", "remove", "demo-pack")
    assert code == 0, err
    assert "removed demo-pack" in out and "the folder pack with this id stays in the library" in out
    from studyml import paths

    assert not (paths.packs_dir() / "demo-pack").exists()
    code, _, err = run(capsys, "pack", "remove", "demo-pack")  # only the folder pack is left: not removable
    assert code == 2 and "is a folder pack, not an installed one" in err


def test_an_invalid_pack_is_refused_with_its_problems_first_and_the_error_line_last(tmp_path, capsys):
    # "studyml: error: …: not installed, the pack has 2 problems:" came first with the problems under it, where every
    # other error ends with that line; under --json the problems were one string.
    import json

    root = make_pack(tmp_path, {"cards/basics.yaml": card().replace("ko: 앞", "ko: ''").replace("ko: 뒤", "ko: ''")})
    code, _, err = run(capsys, "pack", "install", str(root))
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) >= 2
    assert lines[-1].startswith("studyml: error: ") and lines[-1].endswith("problems (above)"), lines
    assert all(not line.startswith("studyml: error") for line in lines[:-1])
    code, out, _ = run(capsys, "pack", "install", str(root), "--json")
    got = json.loads(out)
    assert code == 1 and got["ok"] is False and len(got["problems"]) == len(lines) - 1
    assert got["error"].endswith("problems") and "\n" not in got["error"]


def test_a_file_that_is_not_a_pack_is_named_as_such_not_as_missing(tmp_path, capsys):
    # An author who passes the CSV they meant to import, or the pack.yaml instead of its folder, was told the
    # file did not exist.
    deck = tmp_path / "cards.csv"
    deck.write_text("front,back\nq,a\n", encoding="utf-8")
    code, out, _ = run(capsys, "pack", "validate", str(deck))
    assert code == 1 and "no such" not in out
    assert f"{deck}:1:1: not a pack folder or a .zip file" in out and "studyml pack import" in out
    code, _, err = run(capsys, "pack", "install", str(deck))
    assert code != 0 and "no such" not in err and "not a pack folder or a .zip file" in err
    code, _, err = run(capsys, "pack", "watch", str(deck), "--once")
    assert code == 2 and "no such" not in err and "not a folder" in err


def test_install_then_list_json(tmp_path, capsys):
    root = make_pack(tmp_path)
    code, out, _ = run(capsys, "pack", "install", str(root))
    assert code == 0 and out.startswith("installed demo-pack 0.1.0")
    code, out, _ = run(capsys, "pack", "list", "--json")
    rows = {r["id"]: r for r in json.loads(out)["packs"]}
    assert rows["demo-pack"]["cards"] == 1 and rows["demo-pack"]["items"] == 6
    assert rows["demo-pack"]["source"] == "installed"
    assert rows["demo-pack"]["kinds"] == {"choice": 1, "multi": 1, "order": 1, "numeric": 1, "text": 1, "expr": 1}


def test_reinstalling_a_newer_version_says_progress_is_kept(tmp_path, capsys):
    root = make_pack(tmp_path)
    run(capsys, "pack", "install", str(root))
    (root / "pack.yaml").write_text((root / "pack.yaml").read_text().replace("0.1.0", "0.2.0"))
    code, out, _ = run(capsys, "pack", "install", str(root))
    assert code == 0
    assert out.strip() == "updated demo-pack 0.1.0 -> 0.2.0; progress is kept for every card id that still exists"


def test_schema_is_json_schema_for_each_file_kind(capsys):
    code, out, _ = run(capsys, "pack", "schema")
    data = json.loads(out)
    assert code == 0 and set(data) == {"pack.yaml", "cards/*.yaml", "quizzes/*.yaml"}
    assert data["pack.yaml"]["additionalProperties"] is False


def test_schema_out_names_the_folder_it_wrote_in_the_first_lines_it_suggests(tmp_path, capsys, monkeypatch):
    # It always suggested `$schema=.schema/pack.schema.json`, wherever --out had written the files.
    root = make_pack(tmp_path)
    monkeypatch.chdir(root)
    code, out, _ = run(capsys, "pack", "schema", "--out", "schemas")
    assert code == 0 and ".schema/" not in out
    lines = {line.split(":")[0].strip(): line.split("$schema=")[1] for line in out.splitlines() if "$schema=" in line}
    assert lines == {
        "pack.yaml": "schemas/pack.schema.json",
        "cards/*.yaml": "../schemas/cards.schema.json",
        "quizzes/*.yaml": "../schemas/quizzes.schema.json",
    }
    # Each path, taken from where its file is, reaches the schema written.
    for where, path in (
        ("", lines["pack.yaml"]),
        ("cards", lines["cards/*.yaml"]),
        ("quizzes", lines["quizzes/*.yaml"]),
    ):
        assert json.loads((root / where / path).read_text())["$schema"].startswith("https://json-schema.org/")


def test_schema_out_inside_a_pack_suggests_lines_for_that_pack(tmp_path, capsys, monkeypatch):
    # docs/packs.md suggests `pack schema --out mypack/.schema`: the lines said `$schema=mypack/.schema/…` (a path
    # from the current folder, wrong in every file of the pack).
    root = make_pack(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "pack", "schema", "--out", f"{root.name}/.schema")
    assert code == 0 and f"for the pack in {root}" in out
    lines = {line.split(":")[0].strip(): line.split("$schema=")[1] for line in out.splitlines() if "$schema=" in line}
    assert lines == {
        "pack.yaml": ".schema/pack.schema.json",
        "cards/*.yaml": "../.schema/cards.schema.json",
        "quizzes/*.yaml": "../.schema/quizzes.schema.json",
    }


def test_no_traceback_for_a_broken_pack_from_the_real_command(tmp_path):
    root = make_pack(tmp_path, {"pack.yaml": "id: [\n"})
    proc = subprocess.run(
        [sys.executable, "-m", "studyml.cli", "pack", "validate", str(root)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "pack.yaml:2:1: id: YAML syntax" in proc.stdout


def test_upgrade_keeps_progress_and_orphans_lists_removed_cards(tmp_path, capsys):
    from studyml.srs.scheduler import Scheduler
    from studyml.srs.store import open_store

    root = make_pack(
        tmp_path,
        {
            "cards/more.yaml": (
                "- id: tanh\n  title: {en: tanh, ko: tanh}\n  front: {en: F, ko: 앞}\n  back: {en: B, ko: 뒤}\n"
                "  sources: [{ref: R}]\n"
            )
        },
    )
    assert run(capsys, "pack", "install", str(root))[0] == 0
    with open_store() as store:
        srs = Scheduler(store)
        srs.review("demo-pack", "sigmoid", 3)
        srs.review("demo-pack", "tanh", 3)
    # Version 0.2.0 drops the tanh card and rewrites the sigmoid card's text.
    (root / "cards" / "more.yaml").unlink()
    (root / "pack.yaml").write_text((root / "pack.yaml").read_text().replace("0.1.0", "0.2.0"))
    basics = root / "cards" / "basics.yaml"
    basics.write_text(basics.read_text().replace("squashes any real number", "maps every real number"))
    assert run(capsys, "pack", "install", str(root))[0] == 0
    with open_store() as store:
        assert store.get("demo-pack", "sigmoid").reps == 1  # same id: progress kept across the upgrade
    code, out, _ = run(capsys, "pack", "orphans", "--json")
    assert code == 0 and json.loads(out) == {"orphans": [{"pack": "demo-pack", "card": "tanh", "pack_missing": False}]}


def test_orphans_lists_the_progress_of_a_removed_pack_until_it_is_installed_again(tmp_path, capsys):
    from studyml.srs.scheduler import Scheduler
    from studyml.srs.store import open_store

    root = make_pack(tmp_path, {})
    assert run(capsys, "pack", "install", str(root))[0] == 0
    with open_store() as store:
        Scheduler(store).review("demo-pack", "sigmoid", 3)
    code, out, _ = run(capsys, "pack", "remove", "demo-pack")
    assert code == 0 and "progress of 1 card is kept" in out
    # `pack remove` points at `pack orphans`: it must not say that every card with reviews still exists.
    code, out, _ = run(capsys, "pack", "orphans")
    assert code == 0 and "no orphaned progress" not in out
    assert "demo-pack\tsigmoid\t(pack not installed" in out
    code, out, _ = run(capsys, "pack", "orphans", "--json")
    assert json.loads(out) == {"orphans": [{"pack": "demo-pack", "card": "sigmoid", "pack_missing": True}]}
    assert run(capsys, "pack", "install", str(root))[0] == 0  # the reinstall restores it: no orphan left
    code, out, _ = run(capsys, "pack", "orphans", "--json")
    assert json.loads(out) == {"orphans": []}


def test_validate_reports_every_link_with_every_other_problem(tmp_path, capsys):
    """A link used to stop `pack validate` at the first one, hiding the pack's other problems."""
    import os

    run(capsys, "pack", "new", str(tmp_path / "p"))
    pack = tmp_path / "p"
    os.symlink(tmp_path / "elsewhere.txt", pack / "notes.txt")
    os.symlink("basics.yaml", pack / "cards" / "link.yaml")
    (pack / "quizzes" / "more.yml").write_text("[]\n", encoding="utf-8")
    code, out, _ = run(capsys, "pack", "validate", str(pack))
    assert code == 1
    lines = out.splitlines()
    assert [line.split(": ")[0] for line in lines[:-1]] == [
        f"{pack}/cards/link.yaml:1:1",
        f"{pack}/notes.txt:1:1",
        f"{pack}/quizzes/more.yml:1:1",
    ]
    assert all("is a symbolic link" in line for line in lines[:2]) and "rename it to more.yaml" in lines[2]
    assert lines[-1].endswith("INVALID: 1 card, 6 quiz items, 3 errors, 0 warnings")


def test_install_strict_writes_a_warning_it_refuses_for_as_a_problem_not_as_a_warning(tmp_path, capsys):
    # `pack validate --strict` drops the "warning:" label; install --strict printed it on what it refused.
    root = _with_unknown_demo(tmp_path)
    code, _, err = run(capsys, "pack", "install", "--strict", str(root))
    assert code == 1 and "unknown demo 'no-such-demo'" in err and "warning:" not in err


def test_a_packs_own_pack_yaml_names_its_folder_and_a_file_inside_a_pack_says_which_pack(tmp_path, capsys, monkeypatch):
    # An author who gives the pack.yaml they are editing meant its pack; they were told it was "not a pack folder".
    run(capsys, "pack", "new", str(tmp_path / "mine"))
    code, out, _ = run(capsys, "pack", "validate", str(tmp_path / "mine" / "pack.yaml"))
    assert code == 0 and out.splitlines()[-1].endswith("valid: 1 card, 6 quiz items, 0 errors, 0 warnings")
    monkeypatch.chdir(tmp_path / "mine" / "cards")
    code, out, _ = run(capsys, "pack", "validate", "basics.yaml")  # a card file, from its own folder
    assert code == 1 and "(this file is part of the pack in ..)" in out and "pack import" not in out
    code, out, _ = run(capsys, "pack", "watch", str(tmp_path / "mine" / "pack.yaml"), "--once")
    assert code == 0 and "valid: 1 card" in out
    # An invalid pack given so: its files named as in the folder (they were `pack.yaml/cards/basics.yaml`).
    basics = tmp_path / "mine" / "cards" / "basics.yaml"
    basics.write_text(basics.read_text(encoding="utf-8").replace("front:", "frnt:", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "pack", "validate", "mine/pack.yaml")
    assert code == 1 and out.startswith("mine/cards/basics.yaml:"), out
    basics.write_text(basics.read_text(encoding="utf-8").replace("frnt:", "front:", 1), encoding="utf-8")
    # Installed from the folder, then again from its pack.yaml: one source, not "installed from elsewhere".
    assert run(capsys, "pack", "install", "mine")[0] == 0
    manifest = tmp_path / "mine" / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("version: 0.1.0", "version: 0.2.0"), "utf-8")
    code, out, err = run(capsys, "pack", "install", "mine/pack.yaml")
    assert code == 0 and "0.2.0" in out, err


def test_install_says_the_packs_warnings_where_the_author_can_fix_them(tmp_path, capsys):
    # `pack install` printed "installed …" alone: the warnings `pack validate` lists were hidden.
    root = make_pack(tmp_path, {"cards/empty.yaml": ""})
    assert main(["pack", "validate", str(root)]) == 0
    warning = next(line for line in capsys.readouterr().out.splitlines() if "empty.yaml" in line)
    assert main(["pack", "install", str(root)]) == 0
    got = capsys.readouterr()
    assert warning in got.err.splitlines() and got.out.startswith("installed demo-pack")
    root.joinpath("pack.yaml").write_text(root.joinpath("pack.yaml").read_text().replace("0.1.0", "0.2.0"))
    assert main(["pack", "install", str(root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["warnings"] == [warning]


def test_installing_the_same_version_again_says_reinstalled_and_json_says_ok(tmp_path, capsys):
    # It said "updated demo-pack 0.1.0 -> 0.1.0", and --json had no "ok" (every failure and validate have one).
    import json

    root = make_pack(tmp_path)
    code, out, _ = run(capsys, "pack", "install", str(root), "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    code, out, _ = run(capsys, "pack", "install", str(root))
    assert code == 0
    assert out.strip() == "reinstalled demo-pack 0.1.0; progress is kept for every card id that still exists"
