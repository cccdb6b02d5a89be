"""Re-opening a pack reuses its parse, and never a stale one."""

from __future__ import annotations

import os

from studyml.content.loader import load_pack
from tests.content.packutil import make_pack, messages


def test_second_load_uses_the_cache_and_gives_the_same_pack(tmp_path, studyml_home):
    root = make_pack(tmp_path)
    first = load_pack(root)
    (cache_file,) = (studyml_home / "cache").glob("pack-*.json")
    assert first.ok
    # Make the YAML unreadable without changing size or mtime: a cache hit never reads it.
    card_file = root / "cards" / "basics.yaml"
    st = card_file.stat()
    card_file.write_bytes(b"\xff" * st.st_size)
    os.utime(card_file, ns=(st.st_atime_ns, st.st_mtime_ns))
    second = load_pack(root)
    assert second.ok and second.pack.cards == first.pack.cards
    assert cache_file.exists()


def test_an_edited_file_is_parsed_again(tmp_path):
    root = make_pack(tmp_path)
    assert load_pack(root).ok
    card_file = root / "cards" / "basics.yaml"
    card_file.write_text(card_file.read_text().replace("id: sigmoid", "id: Sigmoid"), encoding="utf-8")
    got = messages(root)
    assert "demo-pack/cards/basics.yaml:2:7: cards[0].id: 'Sigmoid' is not a valid id" in got[0]


def test_errors_in_a_cached_file_still_have_positions(tmp_path):
    root = make_pack(tmp_path)
    assert load_pack(root).ok  # the quiz file is now cached
    card_file = root / "cards" / "basics.yaml"
    card_file.write_text(card_file.read_text().replace("id: sigmoid", "id: logistic"), encoding="utf-8")
    got = messages(root)
    assert got[0] == "demo-pack/quizzes/basics.yaml:3:9: quizzes[0].card: no card 'sigmoid' in this pack"
    assert len(got) == 6


def test_cache_can_be_turned_off(tmp_path, studyml_home):
    root = make_pack(tmp_path)
    assert load_pack(root, cache=False).ok
    assert list(studyml_home.glob("cache/*.json")) == []


def test_the_cache_keeps_the_most_recent_packs_only(tmp_path, studyml_home, monkeypatch):
    # Each validated folder left a pack-*.json for good (85 files, 1.8 MB after an author's afternoon).
    from studyml.content import parsecache

    monkeypatch.setattr(parsecache, "KEPT", 3)
    roots = [make_pack(tmp_path, name=f"pack-{k}") for k in range(5)]
    for k, root in enumerate(roots):
        assert load_pack(root).ok
        for path in (studyml_home / "cache").glob("pack-*.json"):  # strictly older, whatever the clock's grain
            st = path.stat()
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 10**9))
    caches = sorted((studyml_home / "cache").glob("pack-*.json"))
    assert len(caches) == 3
    newest = parsecache.ParseCache(roots[-1]).file
    assert newest in caches and parsecache.ParseCache(roots[0]).file not in caches
