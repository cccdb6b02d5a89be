"""One contract for every command: --json prints one JSON object, errors are `studyml: error: …` with a named
exit code, and the global --lang reaches every subcommand."""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from studyml.cli import ExitCode, build_parser, main
from studyml.content.scaffold import scaffold

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def world(studyml_home: Path, tmp_path: Path, capsys) -> dict[str, str]:
    """A data dir with the fast fixture demos, an installed scaffold pack, one review and one backup."""
    shutil.copytree(FIXTURES / "demo_plugins", studyml_home / "plugins")
    pack = scaffold(tmp_path / "my-pack")
    assert run(capsys, "pack", "install", str(pack))[0] == ExitCode.OK
    from studyml.srs.scheduler import Scheduler
    from studyml.srs.store import open_store

    with open_store() as store:
        Scheduler(store).review("my-pack", "sigmoid", 3)
    assert run(capsys, "srs", "backup")[0] == ExitCode.OK
    from studyml.srs.backup import list_backups

    (tmp_path / "cards.csv").write_text(
        'front,back\nWhat is ReLU?,"max(0, x)"\n', encoding="utf-8"
    )  # quoted: it holds a comma
    return {"pack": str(pack), "pack_id": "my-pack", "tmp": str(tmp_path), "backup": str(list_backups()[0].path)}


# Every leaf command with the arguments it needs; {name} is filled from the `world` fixture.
COMMANDS = {
    "pack validate": ["pack", "validate", "{pack}"],
    "pack list": ["pack", "list"],
    "pack new": ["pack", "new", "{tmp}/new-pack"],
    "pack install": ["pack", "install", "{pack}"],
    "pack schema": ["pack", "schema"],
    "pack orphans": ["pack", "orphans"],
    "pack import": ["pack", "import", "{tmp}/cards.csv", "-o", "{tmp}/imported"],
    "pack watch": ["pack", "watch", "{pack}", "--once"],
    "pack remove": ["pack", "remove", "{pack_id}"],
    "sync": ["sync", "{tmp}/sync-folder"],
    "demo list": ["demo", "list"],
    "demo info": ["demo", "info", "fx-stream"],
    "demo run": ["demo", "run", "fx-stream"],
    "demo new": [
        "demo",
        "new",
        "{tmp}/new-plugin",
    ],  # a fixture plugin: a worker process, no torch, well under a second
    "verify": ["verify", "fx-stream"],
    "quiz show": ["quiz", "show", "ml-foundations/t-conv-output-size", "--seed", "7"],
    "srs optimize": ["srs", "optimize"],
    "srs backup": ["srs", "backup"],
    "srs backups": ["srs", "backups"],
    "srs restore": ["srs", "restore", "{backup}"],
    "srs reindex": ["srs", "reindex"],
    "srs settings": ["srs", "settings"],
    "stats": ["stats"],
    "export anki": ["export", "anki", "{pack_id}", "-o", "{tmp}/out.apkg"],
    "export json": ["export", "json", "{tmp}/progress.json"],
    "import json": ["import", "json", "{tmp}/progress.json"],
}


def leaf_commands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return {prefix.strip(): parser}
    found = {}
    for name, child in subs[0].choices.items():
        found |= leaf_commands(child, f"{prefix} {name}")
    return found


def test_every_command_takes_json_with_help_and_is_tested_here():
    leaves = leaf_commands(build_parser())
    assert set(leaves) == set(COMMANDS)
    for name, parser in leaves.items():
        [option] = [a for a in parser._actions if "--json" in a.option_strings] or [None]
        assert option is not None, f"`studyml {name}` has no --json"
        assert option.help and option.help.strip(), f"`studyml {name} --json` has no help text"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_json_output_is_one_object(name, world, capsys):
    if name == "import json":
        assert run(capsys, "export", "json", f"{world['tmp']}/progress.json")[0] == ExitCode.OK
    if name == "sync":
        Path(world["tmp"], "sync-folder").mkdir()
    argv = [a.format(**world) for a in COMMANDS[name]]
    code, out, err = run(capsys, *argv, "--json")
    assert code == ExitCode.OK, err
    data = json.loads(out)
    assert isinstance(data, dict) and data, out[:300]


@pytest.mark.parametrize(
    "argv,code,message",
    [
        (["pack", "validate"], ExitCode.USAGE, "the following arguments are required: PATH"),
        (["stats", "--days", "0"], ExitCode.USAGE, "argument --days: must be at least 1"),
        (["nonsense"], ExitCode.USAGE, "invalid choice: 'nonsense'"),
        (["export", "anki", "no-such-pack", "-o", "x.apkg"], ExitCode.USAGE, "no pack 'no-such-pack'"),
        (["demo", "info", "no-such-demo"], ExitCode.USAGE, "no demo plugin with id 'no-such-demo'"),
        (["demo", "run", "no-such-demo"], ExitCode.USAGE, "no demo plugin with id 'no-such-demo'"),
        (["verify", "no-such-demo"], ExitCode.USAGE, "no demo plugin with id 'no-such-demo'"),
        (["demo", "run", "no-such-demo", "--seed", "-5"], ExitCode.USAGE, "argument --seed: must be 0 or more"),
        (["sync", ""], ExitCode.USAGE, "argument DIR: an empty folder name"),  # it synced into the current folder
        (["pack", "install", "no/such/folder"], ExitCode.USAGE, "no such folder or .zip file"),
        (["srs", "restore", "no-such.sqlite3"], ExitCode.USAGE, "no such backup"),
    ],
)
def test_errors_are_one_line_with_a_named_code(argv, code, message, capsys):
    got, out, err = run(capsys, *argv)
    assert got == code
    assert err.startswith("studyml: error: ") and err.count("\n") == 1 and message in err, err
    assert out == ""


def test_an_invalid_pack_is_a_failed_check(tmp_path, capsys):
    pack = scaffold(tmp_path / "bad")
    (pack / "pack.yaml").write_text("id: [\n")
    assert run(capsys, "pack", "validate", str(pack))[0] == ExitCode.CHECK_FAILED
    code, _, err = run(capsys, "pack", "install", str(pack))
    last = err.strip().splitlines()[-1]  # the problems above it, the error line last (as every error ends)
    assert code == ExitCode.CHECK_FAILED and last.startswith("studyml: error: ") and "not installed" in last


def test_an_internal_error_is_one_line_and_a_run_error(monkeypatch, capsys):
    import studyml.cli.pack as pack_commands

    def broken(args):
        raise KeyError("oops")

    monkeypatch.setattr(pack_commands, "cmd_schema", broken)
    code, _, err = run(capsys, "pack", "schema")
    assert code == ExitCode.RUN_ERROR
    assert err == "studyml: error: internal error: KeyError: 'oops' (set STUDYML_DEBUG=1 for the traceback)\n"


def test_help_documents_every_exit_code(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for code in ExitCode:
        assert f"  {code.value:<4} {code.name.lower().replace('_', ' ')}" in out


def _note_fields(apkg: Path) -> str:
    with zipfile.ZipFile(apkg) as z:
        (db := apkg.with_suffix(".anki2")).write_bytes(z.read("collection.anki2"))
    with sqlite3.connect(db) as conn:
        return "\n".join(f for (f,) in conn.execute("SELECT flds FROM notes"))


def test_global_lang_reaches_export_anki(tmp_path, capsys):
    """Before the fix the subcommand's --lang default ("en") replaced the global `studyml --lang ko`."""
    pack = scaffold(tmp_path / "my-pack")
    assert run(capsys, "pack", "install", str(pack))[0] == ExitCode.OK
    code, _, err = run(capsys, "--lang", "ko", "export", "anki", "my-pack", "-o", str(tmp_path / "ko.apkg"))
    assert code == ExitCode.OK, err
    fields = _note_fields(tmp_path / "ko.apkg")
    assert "시그모이드 함수" in fields and "What does the sigmoid function compute" not in fields
    # The subcommand's own option still wins, and without either the notes are English.
    run(capsys, "--lang", "ko", "export", "anki", "my-pack", "-o", str(tmp_path / "en.apkg"), "--lang", "en")
    assert "시그모이드" not in _note_fields(tmp_path / "en.apkg")
    run(capsys, "export", "anki", "my-pack", "-o", str(tmp_path / "default.apkg"))
    assert "What does the sigmoid function compute" in _note_fields(tmp_path / "default.apkg")


def test_global_lang_reaches_pack_list(capsys):
    code, out, _ = run(capsys, "--lang", "ko", "pack", "list")
    assert code == ExitCode.OK and "머신러닝 기초" in out
    assert "Machine learning foundations" in run(capsys, "pack", "list")[1]


def test_a_pack_with_one_error_is_listed_as_broken_with_1_error(tmp_path, studyml_home, capsys):
    pack = scaffold(tmp_path / "my-pack")
    assert run(capsys, "pack", "install", str(pack))[0] == ExitCode.OK
    manifest = studyml_home / "packs" / "my-pack" / "pack.yaml"
    manifest.write_text(manifest.read_text().replace("version: 0.1.0", "version: one"))
    [row] = [r for r in json.loads(run(capsys, "pack", "list", "--json")[1])["packs"] if r["id"] == "my-pack"]
    assert len(row["errors"]) == 1
    assert "BROKEN (1 error: studyml pack validate" in run(capsys, "pack", "list")[1]  # not "1 errors"


def test_commands_speak_the_language_last_chosen_in_the_app(capsys):
    # `--lang` said "(remembered)": the app remembered it, and the commands went on in English.
    from studyml.prefs import Prefs, save_prefs

    assert save_prefs(Prefs(lang="ko"))
    assert "머신러닝 기초" in run(capsys, "pack", "list")[1]
    assert "Machine learning foundations" in run(capsys, "--lang", "en", "pack", "list")[1]


def test_demo_info_describes_parameters_in_the_language_asked(capsys):
    from studyml.demos.discovery import discover
    from studyml.demos.params import describe_params

    reg = discover()
    demo, described = next(
        (i, p) for i in reg.plugins.values() for p in describe_params(i.plugin) if p["descriptions"].get("ko")
    )
    out = run(capsys, "--lang", "ko", "demo", "info", demo.id)[1]
    assert described["descriptions"]["ko"][:20] in out and described["description"][:20] not in out


@pytest.mark.parametrize("module", ["studyml", "studyml.cli"])
def test_python_dash_m_runs_the_command_line(module, studyml_home):
    """`python -m studyml` (what a learner without the script on PATH tries first) and `python -m studyml.cli`."""
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", module, "pack", "list", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "STUDYML_HOME": str(studyml_home)},
        timeout=60,
    )
    assert out.returncode == ExitCode.OK, out.stderr
    assert "ml-foundations" in [p["id"] for p in json.loads(out.stdout)["packs"]]


@pytest.mark.parametrize("command", [["stats"], ["pack", "list"]])
def test_output_into_a_closed_pipe_is_not_an_error(command, studyml_home):
    """`studyml stats | head -1`: the reader left before the output was written. It said "studyml: error: Broken
    pipe" and exited 3 (the command's OSError handling took it for a failed write)."""
    import os
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "studyml.cli", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "STUDYML_HOME": str(studyml_home)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the command, still starting, writes anything
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == ExitCode.OK, err
    assert err == ""


@pytest.mark.parametrize(
    "argv,code",
    [
        (["pack", "remove", "no-such-pack"], ExitCode.USAGE),
        (["pack", "import", "no-such.csv", "-o", "{tmp}/out"], ExitCode.USAGE),
        (["pack", "install", "{tmp}/bad"], ExitCode.CHECK_FAILED),
        (["demo", "info", "no-such-demo"], ExitCode.USAGE),
        (["stats", "--bogus"], ExitCode.USAGE),  # refused by the parser itself
        (["sync", ""], ExitCode.USAGE),
        # Each of these was an internal error or a run error (3), said without what to do, or said nothing on stderr:
        (["pack", "new", "{tmp}/a-file"], ExitCode.USAGE),
        (["pack", "schema", "--out", "{tmp}/a-file"], ExitCode.USAGE),
        (["pack", "validate", "{tmp}/no-such-pack"], ExitCode.USAGE),
        (["demo", "run", "no-such-demo"], ExitCode.USAGE),  # its error was an object, with no exit_code
        (["sync", "{tmp}", "--remember", "--forget"], ExitCode.USAGE),
        (["export", "json", "{tmp}"], ExitCode.USAGE),
    ],
)
def test_a_failure_under_json_is_one_json_object_on_stdout_too(argv, code, tmp_path, capsys):
    # Before, stdout stayed empty: a script that asked for JSON had nothing to parse, only stderr's line.
    pack = scaffold(tmp_path / "bad")
    (pack / "pack.yaml").write_text("id: [\n")
    (tmp_path / "a-file").write_text("x")
    got, out, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv], "--json")
    assert got == code
    assert err.startswith("studyml: error: ")
    data = json.loads(out)
    assert data["ok"] is False and data["exit_code"] == code
    assert data["error"] == err.removeprefix("studyml: error: ").rstrip("\n")
    assert "internal error" not in err and ".part" not in err  # a temp file's name is nothing the learner typed


def test_sync_with_a_folder_that_does_not_exist_is_a_usage_error_and_makes_nothing(tmp_path, capsys):
    # It made the folder (parents too) and said "synced": a typo or an unmounted drive became the sync folder.
    missing = tmp_path / "nonexistent" / "x"
    code, out, err = run(capsys, "sync", str(missing), "--remember")
    assert code == ExitCode.USAGE
    assert "no such folder" in err and "create it first" in err
    assert not (tmp_path / "nonexistent").exists()
    from studyml.srs.store import open_store

    with open_store() as store:  # not remembered either
        assert store.get_setting("sync_dir") is None
    # A remembered folder that went missing (a drive not mounted): an environment error, not made either.
    shared = tmp_path / "shared"
    shared.mkdir()
    assert run(capsys, "sync", str(shared), "--remember")[0] == ExitCode.OK
    shutil.rmtree(shared)
    code, out, err = run(capsys, "sync")
    assert code == ExitCode.RUN_ERROR and "is its drive or share mounted" in err
    assert not shared.exists()


def test_a_data_dir_that_is_a_file_is_said_as_such_not_as_an_internal_error(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home-file"
    home.write_text("x")
    monkeypatch.setenv("STUDYML_HOME", str(home))
    for argv in (["pack", "list"], ["pack", "orphans"], ["stats"], ["sync", str(tmp_path)]):
        code, _out, err = run(capsys, *argv)
        assert code == ExitCode.RUN_ERROR, argv
        assert "internal error" not in err and "STUDYML_HOME names" in err and "point STUDYML_HOME at a folder" in err


def test_orphans_on_a_damaged_database_is_a_run_error_said_plainly(studyml_home, capsys):
    (studyml_home / "progress.sqlite3").write_bytes(b"not a database" * 100)
    code, _out, err = run(capsys, "pack", "orphans")
    assert code == ExitCode.RUN_ERROR and "internal error" not in err and "corrupt" in err


def test_counts_are_in_the_right_number(world, capsys):
    code, out, _err = run(capsys, "pack", "list")
    assert code == ExitCode.OK
    line = next(x for x in out.splitlines() if x.startswith("my-pack"))
    assert " 1 card " in line and "cards" not in line
    code, out, _err = run(capsys, "stats", "--days", "1")
    assert "1 card studied" in out and "(1 day)" in out and "of 0 reviews;" in out


def test_command_line_tables_line_up_korean_titles_by_terminal_cells():
    import io

    from studyml.demos.render import table
    from studyml.lang import cell_width

    out = io.StringIO()
    table(["ID", "TITLE", "TIME"], [["a", "편향–분산 트레이드오프", "~1 s"], ["b", "Bias and variance", "~2 s"]], out)
    lines = out.getvalue().splitlines()
    starts = {cell_width(line[: line.index("~")]) for line in lines[1:]}
    assert len(starts) == 1, lines


def test_sync_takes_a_quoted_tilde_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "Sync").mkdir()
    code, _out, err = run(capsys, "sync", "~/Sync")
    assert code == ExitCode.OK, err


def test_a_data_dir_under_a_file_is_said_as_what_it_is(tmp_path, monkeypatch, capsys):
    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv("STUDYML_HOME", str(tmp_path / "a-file" / "sub"))
    code, _out, err = run(capsys, "stats")
    assert code == ExitCode.RUN_ERROR
    assert "cannot make the data directory" in err and "which is a file" not in err


def test_the_sync_at_exit_runs_in_the_terminal_says_when_it_is_slow_and_speaks_only_when_it_went_wrong(
    monkeypatch, capsys
):
    # Inside the app a big merge at exit left a blank screen for seconds, and a failed one was never said.
    import time

    from studyml.tui import app as app_module
    from studyml.tui.services import Services

    monkeypatch.setattr(app_module.StudyApp, "run", lambda self: None)
    for note, pause, said, slow in (
        (("Synced: sent 1, received 0", False), 0, False, False),
        (("Sync failed: disk full", True), 0, True, False),
        (("Synced: sent 0, received 100000", False), 1.0, False, True),
    ):

        def sync(self, lang="en", note=note, pause=pause):
            time.sleep(pause)
            return note

        monkeypatch.setattr(Services, "sync", sync)
        assert app_module.run_app() == 0
        err = capsys.readouterr().err
        assert ("studyml: " + note[0] in err) is said
        assert ("syncing with the sync folder…" in err) is slow


def test_stats_speaks_korean_with_lang_ko(world, capsys):
    # `--lang` is the language of content and UI, but `stats` printed the same English whatever it said.
    code, out, _err = run(capsys, "--lang", "ko", "stats")
    assert code == ExitCode.OK
    assert "실제 기억 유지율" in out and "학습한 카드 1장" in out and "True retention" not in out


def test_sync_with_an_unknown_users_home_is_a_usage_error(capsys):
    code, _out, err = run(capsys, "sync", "~nosuchuser-studyml/Sync")
    assert code == ExitCode.USAGE and "internal error" not in err


def test_stats_in_korean_names_untagged_answers_and_the_days_it_shows(world, capsys):
    from studyml.srs.store import open_store

    with open_store() as store:
        store.record_quiz("my-pack", "no-such-item", None, "a", True)  # an item without tags
    code, out, _err = run(capsys, "--lang", "ko", "stats", "--days", "3")
    assert code == ExitCode.OK
    assert "(태그 없음)" in out and "(untagged)" not in out
    assert "최근 3일" in out and "최근 14일" not in out


def test_sync_speaks_korean_with_lang_ko(world, tmp_path, capsys):
    shared = tmp_path / "shared-ko"
    shared.mkdir()
    code, out, _err = run(capsys, "--lang", "ko", "sync", str(shared))
    assert code == ExitCode.OK
    assert out.startswith(f"동기화했습니다({shared}): 1건 보냄") and "synced with" not in out


def test_a_backup_that_fails_at_exit_is_said_in_the_terminal_after_the_sync(monkeypatch, capsys):
    # A backups folder another user owns: the failure was said at start, and the one at exit was silent; and the
    # backup at exit came before the sync, without what it brought in.
    from studyml.tui import app as app_module
    from studyml.tui.services import Services

    calls: list[str] = []
    monkeypatch.setattr(app_module.StudyApp, "run", lambda self: None)
    monkeypatch.setattr(Services, "sync", lambda self, lang="en": calls.append("sync"))

    def backup(self):
        calls.append("backup")
        return "Permission denied: /data/backups/progress-x.sqlite3"

    monkeypatch.setattr(Services, "backup", backup)
    assert app_module.run_app() == 0
    err = capsys.readouterr().err
    assert calls == ["sync", "backup"]
    assert "studyml: the backup at exit was not taken: Permission denied: /data/backups/progress-x.sqlite3" in err
