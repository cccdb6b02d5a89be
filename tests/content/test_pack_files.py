"""Which files a pack reads: one spelling (.yaml), empty files are warned about, the verdict goes to stdout."""

from __future__ import annotations

from studyml.content.loader import load_pack
from tests.content.packutil import card, make_pack, messages, run


def test_an_empty_card_file_is_a_warning(tmp_path):
    root = make_pack(tmp_path, {"cards/later.yaml": "# to write\n"})
    assert messages(root) == [
        "demo-pack/cards/later.yaml:1:1: cards: warning: the file holds no cards; "
        "add them as a YAML list (each entry starts with '- ') or delete the file"
    ]
    assert load_pack(root).ok  # a warning: the pack still loads


def test_an_empty_quiz_file_and_an_empty_list_are_warnings(tmp_path):
    root = make_pack(tmp_path, {"quizzes/none.yaml": "", "cards/none.yaml": "[]\n"})
    assert messages(root) == [
        "demo-pack/cards/none.yaml:1:1: cards: warning: the file holds no cards; add them as a YAML list (each entry starts with '- ') or delete the file",
        "demo-pack/quizzes/none.yaml:1:1: quizzes: warning: the file holds no quiz items; add them as a YAML list (each entry starts with '- ') or delete the file",
    ]


def test_an_empty_file_fails_strict_validation(tmp_path, capsys):
    root = make_pack(tmp_path, {"cards/later.yaml": ""})
    assert run(capsys, "pack", "validate", str(root))[0] == 0
    code, out, _ = run(capsys, "pack", "validate", "--strict", str(root))
    assert code == 1 and "cards/later.yaml:1:1: cards: the file holds no cards" in out


def test_a_yml_card_file_is_refused_with_the_name_to_use(tmp_path):
    # Before, a .yml card file was read but a pack.yml was refused: one rule now, as the docs say.
    root = make_pack(tmp_path, {"cards/more.yml": card("other")})
    assert messages(root) == ["demo-pack/cards/more.yml:1:1: not read: pack files end in .yaml; rename it to more.yaml"]
    assert not load_pack(root).ok


def test_pack_yml_is_refused_the_same_way(tmp_path):
    root = make_pack(tmp_path)
    (root / "pack.yaml").rename(root / "pack.yml")
    assert messages(root) == ["demo-pack/pack.yaml:1:1: missing pack.yaml (found pack.yml: rename it to pack.yaml)"]


def test_other_files_are_ignored_with_a_warning_and_hidden_ones_silently(tmp_path):
    import os

    root = make_pack(tmp_path, {"cards/README.md": "notes\n", "cards/.hidden.yaml": "x", "quizzes/.git/x.yaml": "x"})
    os.symlink("me@host.4242:1700000000", root / "cards" / ".#basics.yaml")  # Emacs's lock while a file is edited
    assert messages(root) == ["demo-pack/cards/README.md:1:1: warning: ignored: only .yaml files are read here"]


def test_the_verdict_line_goes_to_stdout_valid_or_not(tmp_path, capsys):
    good = make_pack(tmp_path)
    bad = make_pack(tmp_path, {"cards/basics.yaml": "- id: Bad\n"}, name="bad-pack")
    code, out, err = run(capsys, "pack", "validate", str(good), str(bad))
    assert code == 1 and err == ""
    verdicts = [line for line in out.splitlines() if ": valid: " in line or ": INVALID: " in line]
    assert [v.split(": ")[1] for v in verdicts] == ["valid", "INVALID"]


def test_a_bad_zip_entry_prints_like_any_diagnostic(tmp_path, capsys):
    import zipfile

    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("p/pack.yaml", "id: p\n")
        zf.writestr("../evil.yaml", "x")
    code, out, _ = run(capsys, "pack", "validate", str(archive))
    assert code == 1
    assert (
        out.splitlines()[0]
        == f"{archive}:1:1: ../evil.yaml: this entry would be written outside the pack folder; refusing to install"
    )
