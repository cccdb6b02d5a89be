"""Packs come from strangers: object tags, alias bombs, huge files and escaping zip entries are refused."""

from __future__ import annotations

import os
import stat
import time
import warnings
import zipfile
from pathlib import Path

import pytest

from studyml.content import yamlsafe
from studyml.content.install import InstallError, install_pack
from studyml.content.yamlsafe import YamlError, load
from tests.content.packutil import make_pack, messages

BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_alias_bomb_is_refused_quickly():
    start = time.perf_counter()
    with pytest.raises(YamlError) as e:
        load(BOMB)
    assert time.perf_counter() - start < 1.0
    assert (
        e.value.message
        == "anchors and aliases expand to more values than the file holds (an alias bomb?); write the values out"
    )


def test_small_aliases_still_work():
    assert load("a: &x [1, 2]\nb: *x\n").data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize(
    "doc, tag",
    [
        ("!!python/object/apply:os.system ['rm -rf /']", "!!python/object/apply:os.system"),
        ("x: !!python/name:os.system", "!!python/name:os.system"),
        ("x: !!binary aGVsbG8=", "!!binary"),
        ("x: !custom 1", "!custom"),
        ("x: !!set {a, b}", "!!set"),
    ],
)
def test_object_tags_are_refused(doc, tag):
    with pytest.raises(YamlError) as e:
        load(doc)
    refused = f"tag {tag} is not allowed: packs hold only plain strings, numbers, booleans, lists and mappings"
    # `en: !important …` is a text an author forgot to quote; a `!!` tag never is.
    quote = f"; if {tag} is the start of a text, put the text in quotes ('{tag} …')"
    assert e.value.message == refused + ("" if tag.startswith("!!") else quote)


@pytest.mark.parametrize(
    "text, value",
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("NO", "NO"),
        ("2024-01-01", "2024-01-01"),
        ("12:30", "12:30"),
        ("0777", 777),
        ("1e-3", 0.001),
        ("true", True),
        ("null", None),
        ("1_000", "1_000"),
        ("0x1F", 31),
        (".5", 0.5),
    ],
)
def test_yaml_11_surprises_do_not_change_values(text, value):
    assert load(f"k: {text}\n").data == {"k": value}


def test_oversized_file_is_refused_with_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlsafe, "MAX_FILE_BYTES", 10 * 1024)
    root = make_pack(tmp_path, {"cards/big.yaml": "# " + "x" * 20_478 + "\n"})
    assert messages(root) == [
        "demo-pack/cards/big.yaml:1:1: file is 20,481 bytes; the limit is 10,240 bytes — split it into several files"
    ]


def _zip(path: Path, entries: dict[str, bytes], symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


def _pack_entries(tmp_path: Path, prefix: str = "p/") -> dict[str, bytes]:
    root = make_pack(tmp_path / "src")
    return {prefix + str(f.relative_to(root)): f.read_bytes() for f in root.rglob("*") if f.is_file()}


@pytest.mark.parametrize(
    "evil, why",
    [
        ("../evil.yaml", "has '..' in its name, which packs may not hold"),
        ("p/../../evil.yaml", "has '..' in its name, which packs may not hold"),
        (
            "p/cards/../img/x.txt",
            "has '..' in its name, which packs may not hold",
        ),  # inside, and refused: as the docs say
        ("/tmp/evil.yaml", "would be written outside the pack folder"),
        ("C:/evil.yaml", "would be written outside the pack folder"),
    ],
)
def test_zip_entries_cannot_escape(tmp_path, evil, why):
    archive = _zip(tmp_path / "evil.zip", {**_pack_entries(tmp_path), evil: b"x"})
    with pytest.raises(InstallError) as e:
        install_pack(archive)
    assert str(e.value) == f"{archive}:1:1: {evil}: this entry {why}; refusing to install"
    assert not (tmp_path / "evil.yaml").exists()
    assert not Path("/tmp/evil.yaml").exists() or evil != "/tmp/evil.yaml"


def test_zip_symlink_entry_is_refused(tmp_path):
    archive = _zip(tmp_path / "link.zip", _pack_entries(tmp_path), symlink="p/cards/link.yaml")
    with pytest.raises(InstallError) as e:
        install_pack(archive)
    assert (
        str(e.value) == f"{archive}:1:1: p/cards/link.yaml: this entry is a symbolic link; packs may not contain links"
    )


@pytest.mark.parametrize("file_first", [True, False])
def test_a_zip_name_that_is_a_file_and_a_folder_or_a_file_twice_is_refused_clearly(tmp_path, studyml_home, file_first):
    # `p/quizzes` as a file and `p/quizzes/basics.yaml`: "internal error: FileExistsError" (IsADirectoryError the
    # other way round), the staging folder removed but nothing said of the archive.
    entries = _pack_entries(tmp_path)
    quiz = entries.pop("p/quizzes/basics.yaml")
    both = {"p/quizzes": b"a file", "p/quizzes/basics.yaml": quiz}
    archive = tmp_path / "both.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in [*entries.items(), *(both.items() if file_first else reversed(both.items()))]:
            zf.writestr(name, data)
    with pytest.raises(InstallError) as e:
        install_pack(archive)
    assert str(e.value) == f"{archive}:1:1: p/quizzes: this entry is both a file and a folder; refusing to install"
    with warnings.catch_warnings(), zipfile.ZipFile(tmp_path / "twice.zip", "w") as zf:
        warnings.simplefilter("ignore")  # zipfile warns of the name given twice: what this archive is made to do
        for name, data in [*entries.items(), ("p/quizzes/basics.yaml", quiz), ("p/quizzes/basics.yaml", b"- x\n")]:
            zf.writestr(name, data)
    with pytest.raises(InstallError, match="p/quizzes/basics.yaml: this file is in the archive twice"):
        install_pack(tmp_path / "twice.zip")
    assert not (studyml_home / "packs").exists() or not list((studyml_home / "packs").iterdir())


def test_names_one_file_system_would_take_for_one_file_are_refused_and_windows_folders_are_folders(
    tmp_path, studyml_home
):
    # On macOS or Windows `Cards/A.yaml` and `cards/a.yaml` (or é written two ways) are one file: which one the pack
    # got depended on the order. A folder entry written `p\\cards\\` was taken for a file of that name.
    entries = _pack_entries(tmp_path)
    cases = {
        "case.zip": {**entries, "p/cards/extra.yaml": b"[]", "p/Cards/EXTRA.yaml": b"[]"},
        "nfc.zip": {**entries, "p/cards/\u00e9.yaml": b"[]", "p/cards/e\u0301.yaml": b"[]"},
    }
    for name, files in cases.items():
        with pytest.raises(InstallError, match="this file is in the archive twice"):
            install_pack(_zip(tmp_path / name, files))
    with zipfile.ZipFile(tmp_path / "win.zip", "w") as zf:
        zf.writestr("p\\cards\\", b"")
        for entry, data in entries.items():
            zf.writestr(entry, data)
    result, _ = install_pack(tmp_path / "win.zip")  # it was refused as "both a file and a folder"
    assert result.pack is not None and (studyml_home / "packs" / "demo-pack" / "cards").is_dir()


def test_zip_install_works_and_is_listed(tmp_path, studyml_home):
    archive = _zip(tmp_path / "ok.zip", _pack_entries(tmp_path))
    result, msg = install_pack(archive)
    assert msg == "installed demo-pack 0.1.0: 1 card, 6 quiz items"
    assert (studyml_home / "packs" / "demo-pack" / "pack.yaml").is_file()
    assert not [p for p in (studyml_home / "packs").iterdir() if p.name.startswith(".staging")]


def test_invalid_pack_is_not_installed(tmp_path, studyml_home):
    root = make_pack(tmp_path, {"cards/basics.yaml": "- id: Bad Id\n"})
    with pytest.raises(InstallError) as e:
        install_pack(root)
    assert "not installed, the pack has" in str(e.value)
    assert not (studyml_home / "packs" / "demo-pack").exists()


def test_symlink_in_pack_folder_is_not_followed(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("- id: stolen\n")
    root = make_pack(tmp_path)
    os.symlink(secret, root / "cards" / "link.yaml")
    assert messages(root) == [
        "demo-pack/cards/link.yaml:1:1: symbolic links are not followed in packs; copy the file instead"
    ]


@pytest.mark.parametrize("text", ["**ReLU** computes", "*ReLU computes", "@home", "`x` is"])
def test_a_text_starting_with_a_yaml_mark_says_to_quote_it(text):
    # The parser's words alone ("found undefined alias") never said what to do.
    with pytest.raises(YamlError) as e:
        load(f"title:\n  en: {text}\n")
    assert "must be in quotes" in e.value.message, e.value.message


def test_a_file_name_with_a_control_character_is_shown_escaped_in_diagnostics(tmp_path, capsys):
    # A card file named with ESC ] 0 ; … BEL set the terminal's title when `pack validate` printed it.
    from studyml.cli import main

    root = make_pack(tmp_path / "src")
    (root / "cards" / "e\x1b]0;pwned\x07.yaml").write_text("- id: Bad\n", encoding="utf-8")
    assert main(["pack", "validate", str(root)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "e\\x1b]0;pwned\\x07.yaml:" in out, out


def test_a_zip_just_over_the_size_limit_says_both_sizes_in_bytes(tmp_path, monkeypatch):
    # 64 MiB and one byte read "unpacks to 64 MiB; the limit is 64 MiB".
    from studyml.content import install

    entries = _pack_entries(tmp_path)
    size = sum(len(v) for v in entries.values())
    monkeypatch.setattr(install, "MAX_ZIP_BYTES", size - 1)
    archive = _zip(tmp_path / "big.zip", entries)
    with pytest.raises(InstallError) as e:
        install_pack(archive)
    assert f"unpacks to {size:,} bytes; the limit is {size - 1:,} bytes" in str(e.value)
