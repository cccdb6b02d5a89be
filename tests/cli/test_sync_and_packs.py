"""`studyml sync`, `pack remove` and `pack import` as a learner runs them, in two data dirs where it matters."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from studyml.cli import ExitCode, main
from studyml.content.scaffold import scaffold


def studyml(home: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "STUDYML_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "studyml.cli", *argv], env=env, capture_output=True, text=True, timeout=120
    )


def rate(home: Path, card: str, rating: int) -> None:
    code = (
        "from studyml.srs.scheduler import Scheduler; from studyml.srs.store import open_store; "
        f"s = open_store(); Scheduler(s).review('my-pack', {card!r}, {rating}); s.close()"
    )
    env = {**os.environ, "STUDYML_HOME": str(home)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)


@pytest.mark.slow
def test_two_data_dirs_converge_through_the_real_command(tmp_path):
    a, b, shared = tmp_path / "a", tmp_path / "b", tmp_path / "shared"
    shared.mkdir()
    rate(a, "sigmoid", 3)
    rate(b, "relu", 1)
    first = studyml(a, "sync", str(shared), "--remember", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["sent"] == 1
    got = json.loads(studyml(b, "sync", str(shared), "--json").stdout)
    assert (got["sent"], got["received"]) == (1, 1)
    again = studyml(a, "sync")  # the remembered folder
    assert again.returncode == 0 and "received 1 new record from 1 other device" in again.stdout
    idle = json.loads(studyml(a, "sync", "--json").stdout)
    assert (idle["sent"], idle["received"]) == (0, 0)
    stats = [json.loads(studyml(h, "stats", "--json").stdout) for h in (a, b)]
    assert stats[0]["totals"] == stats[1]["totals"]


def test_sync_without_a_folder_says_how_to_give_one(capsys):
    assert main(["sync"]) == ExitCode.USAGE
    assert "studyml sync DIR --remember" in capsys.readouterr().err


def test_a_malformed_line_is_reported_with_file_and_line_and_the_rest_merged(tmp_path, capsys):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "other.jsonl").write_text('{"v":1,"type":"review","uuid":"u"}\n', encoding="utf-8")
    assert main(["sync", str(shared)]) == ExitCode.OK
    out = capsys.readouterr().out
    assert f"{shared / 'other.jsonl'}:1: " in out and "skipped" in out


def test_new_device_gives_this_data_folder_an_id_of_its_own_and_sends_its_history_again(tmp_path, capsys):
    from studyml.srs.scheduler import Scheduler
    from studyml.srs.store import open_store

    shared = tmp_path / "shared"
    shared.mkdir()
    with open_store() as store:
        Scheduler(store).review("my-pack", "sigmoid", 3)
    assert main(["sync", str(shared), "--json"]) == ExitCode.OK
    before = {p.name for p in shared.glob("*.jsonl")}
    capsys.readouterr()
    assert main(["sync", str(shared), "--new-device", "--json"]) == ExitCode.OK
    got = json.loads(capsys.readouterr().out)
    after = {p.name for p in shared.glob("*.jsonl")}
    assert len(before) == 1 and before < after and len(after) == 2
    assert (got["sent"], got["received"], got["problems"]) == (1, 0, [])  # the old file's review is this one's


def test_a_sync_that_merged_but_could_not_send_exits_3_after_its_summary(tmp_path, capsys, monkeypatch):
    import studyml.srs.sync as sync_module
    from studyml.srs.sync import Problem, SyncReport

    shared = tmp_path / "shared"
    shared.mkdir()
    report = SyncReport(received=2, devices=1, problems=[Problem("me.jsonl", 0, "cannot write …", code="not_sent")])
    monkeypatch.setattr(sync_module, "sync", lambda store, folder, again=False: report)
    assert main(["sync", str(shared)]) == ExitCode.RUN_ERROR
    out = capsys.readouterr().out
    assert "me.jsonl: cannot write …" in out and "received 2 new records from 1 other device" in out
    assert main(["sync", str(shared), "--json"]) == ExitCode.RUN_ERROR
    # The failure contract of every command's --json (README): it said nothing of the failure but in its problems.
    got = capsys.readouterr()
    data = json.loads(got.out)
    assert (data["ok"], data["error"], data["exit_code"], data["received"]) == (False, "cannot write …", 3, 2)
    assert "studyml: error: cannot write …" in got.err


def test_remove_keeps_progress_and_a_reinstall_restores_it(tmp_path, capsys):
    pack = scaffold(tmp_path / "my-pack")
    assert main(["pack", "install", str(pack)]) == ExitCode.OK
    from studyml.srs.scheduler import Scheduler
    from studyml.srs.store import open_store

    with open_store() as store:
        Scheduler(store).review("my-pack", "sigmoid", 3)
    capsys.readouterr()
    assert main(["pack", "remove", "my-pack"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "progress of 1 card is kept" in out
    assert main(["pack", "list", "--json"]) == ExitCode.OK
    assert "my-pack" not in [p["id"] for p in json.loads(capsys.readouterr().out)["packs"]]
    assert main(["pack", "install", str(pack)]) == ExitCode.OK
    with open_store() as store:
        assert store.get("my-pack", "sigmoid") is not None


def test_a_built_in_pack_cannot_be_removed(capsys):
    assert main(["pack", "remove", "ml-foundations"]) == ExitCode.USAGE
    assert "built-in pack" in capsys.readouterr().err


def test_import_then_validate_lists_the_texts_still_to_write(tmp_path, capsys):
    src = tmp_path / "cards.csv"
    src.write_text("front,back\nWhat is ReLU?,max(0 x)\n", encoding="utf-8")
    out_dir = tmp_path / "pack"
    assert main(["pack", "import", str(src), "-o", str(out_dir), "--languages", "en,ko"]) == ExitCode.OK
    assert "4 texts still to write" in capsys.readouterr().out  # the card's title, front, back and the pack's title
    assert main(["pack", "validate", str(out_dir)]) == ExitCode.CHECK_FAILED
    assert capsys.readouterr().out.count("missing the 'ko' text") == 4


@pytest.mark.parametrize(
    "options, message",
    [
        (
            ["--id", "Bad_Id"],
            "--id 'Bad_Id' is not a valid pack id: lowercase letters and digits, words joined by a single '-', "
            "starting with a letter (no '-' at the end), at most 80 characters (e.g. --id bad-id)",
        ),
        (
            ["--source-lang", "KO", "--languages", "KO"],
            "--source-lang 'KO' is not a language code (2–3 lowercase "
            "letters, optionally '-' and 2–8 letters or digits: en, ko, pt-BR); e.g. --source-lang ko",
        ),
        (
            ["--languages", "EN,ko"],
            "--languages: 'EN' is not a language code (2–3 lowercase letters, optionally '-' "
            "and 2–8 letters or digits: en, ko, pt-BR); e.g. --languages en,ko",
        ),
        (["--languages", "en,ko,en"], "--languages lists 'en' twice; list each language once; e.g. --languages en,ko"),
        (
            ["--languages", "ko"],
            "the source's language 'en' (--source-lang) is not among --languages ko: add it "
            "(--languages en,ko), or give the language the source is written in with --source-lang",
        ),
    ],
)
def test_import_refuses_options_that_would_make_an_invalid_pack(tmp_path, capsys, options, message):
    # They were written into pack.yaml as given (then 17 errors from validate), or refused with a Python list
    # (['EN', 'ko']) and exit 1, where the command line's mistakes exit 2.
    src = tmp_path / "cards.csv"
    src.write_text("front,back\nWhat is ReLU?,max(0 x)\n", encoding="utf-8")
    out_dir = tmp_path / "pack"
    assert main(["pack", "import", str(src), "-o", str(out_dir), *options]) == ExitCode.USAGE
    assert capsys.readouterr().err == f"studyml: error: {message}\n"
    assert not out_dir.exists()


def test_a_file_name_that_is_not_utf_8_or_holds_a_control_character_is_shown_escaped(tmp_path):
    # On a strict UTF-8 terminal the sync committed and then failed to print ("surrogates not allowed", exit 2);
    # a name with ESC coloured the terminal.
    folder = tmp_path / "sync"
    folder.mkdir()
    (folder / os.fsdecode(b"\xff\xfebad.jsonl")).write_bytes(b"garbage\n")
    (folder / "red\x1b[31m.jsonl").write_bytes(b"garbage\n")
    for json_out in ((), ("--json",)):
        home = tmp_path / f"home{len(json_out)}"  # a data dir each: a line reported is not reported again
        env = {**os.environ, "STUDYML_HOME": str(home), "PYTHONIOENCODING": "utf-8:strict"}
        ran = subprocess.run(
            [sys.executable, "-m", "studyml.cli", "sync", str(folder), *json_out],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
        assert ran.returncode == 0, ran.stderr
        said = "\n".join(json.loads(ran.stdout)["problems"]) if json_out else ran.stdout
        assert "\\xff\\xfebad.jsonl:1:" in said and "red\\x1b[31m.jsonl:1:" in said, said
        assert "\x1b" not in said
    # A folder whose own name is not UTF-8: escaped in the summary, --json and the Korean summary, exit 0.
    odd = tmp_path / os.fsdecode(b"sync\xff")
    odd.mkdir()
    for argv in (("sync", str(odd)), ("sync", str(odd), "--json"), ("--lang", "ko", "sync", str(odd))):
        env = {**os.environ, "STUDYML_HOME": str(tmp_path / "home9"), "PYTHONIOENCODING": "utf-8:strict"}
        ran = subprocess.run([sys.executable, "-m", "studyml.cli", *argv], env=env, capture_output=True, timeout=120)
        assert ran.returncode == 0, ran.stderr
        out = ran.stdout.decode("utf-8")
        said = json.loads(out)["folder"] if "--json" in argv else out
        assert "sync\\xff" in said, said


@pytest.mark.parametrize(
    ("name", "pack_id"),
    [
        ("1pack", "pack-1pack"),
        ("a" * 81, "a" * 80),
        ("My Pack!", "my-pack"),
        ("2b", "pack-2b"),
        ("ml-" + "x" * 90, None),
    ],
)
def test_pack_new_makes_an_id_that_validates_from_any_folder_name_and_says_it(tmp_path, capsys, name, pack_id):
    # `pack new aaa…a` (81 letters) wrote an id pack validate refused; `pack new 1pack` and `2b` both wrote `my-pack`,
    # so installing the second replaced the first.
    folder = tmp_path / name
    assert main(["pack", "new", str(folder), "--json"]) == ExitCode.OK
    made = json.loads(capsys.readouterr().out)["id"]
    if pack_id is not None:
        assert made == pack_id
    assert len(made) <= 80 and not made.endswith("-")
    assert main(["pack", "validate", str(folder), "--strict"]) == ExitCode.OK
    assert f"id: {made}" in (folder / "pack.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("listed", "encoding"),
    [
        ("languages:\n- en\n", "utf-8"),
        ("languages: [en]  # the author's note\n", "utf-8"),
        ("languages: [en,]\n", "utf-8"),  # valid YAML; it became [en,, ko], which is not
        ("languages: [en]\n", "utf-8-sig"),  # a byte order mark: `authors: [Imported, ko]` was written
    ],
)
def test_a_reimport_with_more_languages_adds_them_to_pack_yaml_and_lists_the_texts_to_write(
    tmp_path, capsys, listed, encoding
):
    # `pack import notes.md -o mdpack --languages en,ko` on a pack made with [en]: "0 updated, 2 unchanged", pack.yaml
    # left at [en], and no word of the Korean texts the author asked for.
    src = tmp_path / "notes.md"
    src.write_text("Q: What is ReLU?\nA: max(0, x)\n", encoding="utf-8")
    out_dir = tmp_path / "pack"
    assert main(["pack", "import", str(src), "-o", str(out_dir)]) == ExitCode.OK
    manifest = out_dir / "pack.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text[: text.index("languages:")] + listed + text[text.index("license:") :]
    manifest.write_text(text.replace("authors:\n- Imported", "authors: [Imported]"), encoding=encoding)
    capsys.readouterr()
    assert main(["pack", "import", str(src), "-o", str(out_dir), "--languages", "en,ko"]) == ExitCode.OK
    said = capsys.readouterr().out
    assert "pack.yaml lists ko too" in said and "4 texts still to write" in said, said
    after = manifest.read_text(encoding="utf-8")
    assert ("# the author's note" in after) == ("#" in listed)  # the rest as the author wrote it
    assert "authors: [Imported]" in after and after.startswith("\ufeff") == (encoding == "utf-8-sig")
    from studyml.content.reimport import pack_languages

    assert pack_languages(manifest) == ["en", "ko"]
    assert main(["pack", "validate", str(out_dir)]) == ExitCode.CHECK_FAILED
    assert capsys.readouterr().out.count("missing the 'ko' text") == 4
    # Asked again, nothing more to add.
    assert main(["pack", "import", str(src), "-o", str(out_dir), "--languages", "en,ko"]) == ExitCode.OK
    assert "lists ko too" not in capsys.readouterr().out and manifest.read_text(encoding="utf-8") == after


def test_a_csv_row_whose_front_is_given_twice_in_the_source_language_says_which_is_left_out(tmp_path, capsys):
    # `front` and `front_ko` under --source-lang ko: "What is ReLU?" disappeared, with no skipped line.
    src = tmp_path / "cards.csv"
    src.write_text("front,back,front_ko\nWhat is ReLU?,max,ReLU란?\n", encoding="utf-8")
    out_dir = tmp_path / "pack"
    assert main(["pack", "import", str(src), "-o", str(out_dir), "--source-lang", "ko", "--languages", "ko,en"]) == 0
    said = capsys.readouterr().out
    assert "warning: cards.csv:2: front 'What is ReLU?' is left out: column front_ko gives the front in ko" in said
    assert "1 card added" in said


def test_quiz_show_on_a_pack_being_written_that_has_errors_says_so_not_install_it(tmp_path, capsys, monkeypatch):
    # "no pack 'm-chb' in the library: install it … or point $STUDYML_PACKS at its folder", to an author who had.
    folder = tmp_path / "m-chb"
    assert main(["pack", "new", str(folder)]) == 0
    (folder / "cards" / "basics.yaml").write_text("- id: x\n  title: oops\n", encoding="utf-8")
    monkeypatch.setenv("STUDYML_PACKS", str(folder))
    capsys.readouterr()
    assert main(["quiz", "show", "m-chb/relu-range"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert (
        f"pack 'm-chb' has errors and cannot be read until they are fixed: see `studyml pack validate {folder}`" in err
    )


def test_a_reimport_refused_for_its_card_file_leaves_pack_yaml_as_it_was(tmp_path, capsys):
    # pack.yaml was given `- ko` before the card file was checked: the import said "nothing was written", and the next
    # run no longer said the language was added.
    src = tmp_path / "notes.md"
    src.write_text("Q: What is ReLU?\nA: max(0, x)\n", encoding="utf-8")
    out_dir = tmp_path / "pack"
    assert main(["pack", "import", str(src), "-o", str(out_dir)]) == ExitCode.OK
    cards = next((out_dir / "cards").glob("*.yaml"))
    text = cards.read_text(encoding="utf-8")
    cards.write_text(re.sub(r"front:\n(\s+)en: (.*)\n", r"front: \2\n", text, count=1), encoding="utf-8")
    manifest = (out_dir / "pack.yaml").read_text(encoding="utf-8")
    assert main(["pack", "import", str(src), "-o", str(out_dir), "--languages", "en,ko"]) == ExitCode.CHECK_FAILED
    assert "nothing was written" in capsys.readouterr().err
    assert (out_dir / "pack.yaml").read_text(encoding="utf-8") == manifest
