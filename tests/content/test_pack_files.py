"""Which files a pack reads: one spelling (.yaml), empty files are warned about, the verdict goes to stdout."""

from __future__ import annotations

import pytest

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


def test_a_refused_yml_card_file_brings_no_cascade_of_missing_cards(tmp_path):
    # Its items' cards were "not in this pack" (four errors, and two tags said unused): a card file that does not
    # parse brings none, and this one is not read either.
    from tests.content.packutil import item

    root = make_pack(
        tmp_path,
        {
            "cards/more.yml": card("other", tags="[extra]"),
            "quizzes/more.yaml": item(
                "choice", "  choices: {a: {en: A, ko: 가}, b: {en: B, ko: 나}}\n  answer: a\n", id="q9", card="other"
            ),
        },
    )
    assert messages(root) == ["demo-pack/cards/more.yml:1:1: not read: pack files end in .yaml; rename it to more.yaml"]


def test_pack_yml_is_refused_the_same_way(tmp_path):
    root = make_pack(tmp_path)
    (root / "pack.yaml").rename(root / "pack.yml")
    assert messages(root) == ["demo-pack/pack.yml:1:1: not read: pack files end in .yaml; rename it to pack.yaml"]


def test_other_files_are_ignored_with_a_warning_and_hidden_ones_silently(tmp_path):
    import os

    root = make_pack(tmp_path, {"cards/README.md": "notes\n", "cards/.hidden.yaml": "x", "quizzes/.git/x.yaml": "x"})
    os.symlink("me@host.4242:1700000000", root / "cards" / ".#basics.yaml")  # Emacs's lock while a file is edited
    assert messages(root) == [
        "demo-pack/cards/README.md:1:1: warning: not read: only .yaml files are read in cards/; move it out of the folder"
    ]


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
        == f"{archive}:1:1: ../evil.yaml: this entry has '..' in its name, which packs may not hold; refusing to install"
    )


def test_a_pack_yml_beside_pack_yaml_is_an_error_not_silently_ignored(tmp_path):
    # Before, the pack was valid: an author editing pack.yml saw nothing change and no word why.
    root = make_pack(tmp_path)
    (root / "pack.yml").write_text((root / "pack.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert messages(root) == [
        "demo-pack/pack.yml:1:1: not read: the manifest is pack.yaml; move what this holds there and delete it"
    ]
    assert not load_pack(root).ok


def test_a_bad_studyml_specifier_is_named_by_its_path_at_its_value(tmp_path):
    root = make_pack(tmp_path)
    manifest = (root / "pack.yaml").read_text(encoding="utf-8")
    assert 'studyml: ">=0.1"' in manifest
    (root / "pack.yaml").write_text(manifest.replace('studyml: ">=0.1"', 'studyml: "=>0.1"'), encoding="utf-8")
    line = next(n for n, text in enumerate(manifest.splitlines(), 1) if "studyml:" in text)
    assert messages(root) == [
        f"demo-pack/pack.yaml:{line}:12: requires.studyml: '=>0.1' is not a version specifier such as '>=0.1' or "
        "'>=0.1,<2'"
    ]


@pytest.mark.parametrize(
    "text,where",
    [
        ("- id: a\n  title:\n\ten: x\n", "3:1"),  # a tab where an indentation starts
        ("- id: a\n\t- id: b\n", "2:1"),
        ("- id: a\n  front: {en: x}\n  \tback: {en: y}\n", "3:3"),  # spaces, then a tab
        ("- id: a\n  front: x\t\n", None),  # a tab after a value is allowed
    ],
)
def test_a_tab_in_an_indentation_is_named_whatever_pyyaml_says(tmp_path, text, where):
    # PyYAML names the tab only in some of these ("found character that cannot start any token" in others).
    root = make_pack(tmp_path, {"cards/tabs.yaml": text})
    found = [m for m in messages(root) if "tabs.yaml" in m]
    if where is None:
        assert not any("YAML does not allow tabs" in m for m in found), found
        return
    assert len(found) == 1 and found[0].startswith(f"demo-pack/cards/tabs.yaml:{where}: "), found
    assert found[0].endswith("indent with spaces: YAML does not allow tabs there")


def test_a_control_character_is_one_line_at_its_column(tmp_path):
    # Before: "…:1:1: cards: YAML syntax: unacceptable character #x0001: …" and a second line
    # `  in "<unicode string>", position 7`.
    root = make_pack(tmp_path, {"cards/ctrl.yaml": "- id: a\x01b\n"})
    found = [m for m in messages(root) if "ctrl.yaml" in m]
    assert found == [
        "demo-pack/cards/ctrl.yaml:1:8: cards: YAML syntax: character U+0001 is not allowed in YAML (control "
        "characters are not allowed); delete it (most editors do not show it)"
    ]
