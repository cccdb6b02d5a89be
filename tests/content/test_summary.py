"""The library summary cache: written after a load, used only for exactly the same pack files and studyml."""

from __future__ import annotations

import json
import os

import pytest

from studyml.content import summary
from studyml.content.library import discover_packs
from studyml.content.summary import cache_path, read_summary, write_summary
from studyml.tui.services import Services


def _write(fixture_pack) -> dict:
    services = Services()
    signature = services.pack_files_signature()
    write_summary(signature, discover_packs())
    return signature


def test_a_summary_is_read_back_for_the_same_files(fixture_pack):
    signature = _write(fixture_pack)
    [s] = read_summary(signature)
    assert s.ok and s.title["en"] == "My pack" and s.cards == 1 and s.items == 6 and s.source == "installed"
    assert s.path == str(fixture_pack) and s.card_ids == ("sigmoid",)


@pytest.mark.parametrize(
    "change",
    [
        lambda p: (p / "cards" / "basics.yaml").write_text(
            (p / "cards" / "basics.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
        ),
        lambda p: (p / "quizzes" / "basics.yaml").unlink(),
        lambda p: (p / "cards" / "more.yaml").write_text("[]\n", encoding="utf-8"),
        lambda p: os.utime(p / "pack.yaml", ns=(1, 1)),
    ],
    ids=["edited", "removed", "added", "touched"],
)
def test_a_changed_pack_file_makes_the_summary_stale(fixture_pack, change):
    _write(fixture_pack)
    change(fixture_pack)
    assert read_summary(Services().pack_files_signature()) is None


def test_another_studyml_version_ignores_the_summary(fixture_pack, monkeypatch):
    signature = _write(fixture_pack)
    monkeypatch.setattr(summary, "__version__", "9.9.9")
    assert read_summary(signature) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: b"\x00\xff not json",
        lambda d: b'{"format": 1, "version"',
        lambda d: json.dumps([d]).encode(),
        lambda d: json.dumps({**d, "packs": {"a": 1}}).encode(),
        lambda d: json.dumps({**d, "packs": [{**d["packs"][0], "cards": True}]}).encode(),
        lambda d: json.dumps({**d, "packs": [{**d["packs"][0], "cards": -1}]}).encode(),
        lambda d: json.dumps({**d, "packs": [{**d["packs"][0], "title": "My pack"}]}).encode(),
        lambda d: json.dumps({**d, "packs": [{**d["packs"][0], "card_ids": [1]}]}).encode(),
        lambda d: json.dumps({**d, "packs": [{**d["packs"][0], "cards": 5}]}).encode(),  # 1 card id listed
        lambda d: json.dumps({**d, "packs": [{**d["packs"][0], "extra": 1}]}).encode(),
        lambda d: json.dumps({**d, "packs": [{k: v for k, v in d["packs"][0].items() if k != "ok"}]}).encode(),
        lambda d: json.dumps({**d, "format": 99}).encode(),
    ],
)
def test_a_corrupt_summary_is_ignored(fixture_pack, damage):
    signature = _write(fixture_pack)
    good = json.loads(cache_path().read_text(encoding="utf-8"))
    cache_path().write_bytes(damage(good))
    assert read_summary(signature) is None
    assert Services().cached_packs() is None


def test_an_unwritable_cache_costs_only_speed(fixture_pack, monkeypatch):
    def refuse(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(summary, "atomic_write_text", refuse)
    _write(fixture_pack)  # no exception
    assert not cache_path().exists()
    assert [p.name for p in cache_path().parent.glob(".library-*")] == []


def test_package_packs_are_rescanned_when_a_sys_path_folder_changes(studyml_home, tmp_path, monkeypatch):
    import sys

    from studyml.content import folders, packages

    scans = []
    found = tmp_path / "pkg" / "pack"

    def scan():
        scans.append(1)
        return [packages.PackageRef("p", "dist", found)]

    monkeypatch.setattr(packages, "package_packs", scan)
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(sys, "path", [str(site)])
    assert folders.package_folders(quick=True) == [found] and len(scans) == 1
    assert folders.package_folders(quick=True) == [found] and len(scans) == 1  # remembered
    assert folders.package_folders() == [found] and len(scans) == 2  # the real scan always scans
    (site / "new_dist-1.0.dist-info").mkdir()  # pip installed something
    os.utime(site, ns=(1, 10**18))
    assert folders.package_folders(quick=True) == [found] and len(scans) == 3
    (studyml_home / "cache" / "package-packs.json").write_text('{"key": 1', encoding="utf-8")  # damaged
    assert folders.package_folders(quick=True) == [found] and len(scans) == 4
