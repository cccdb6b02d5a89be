"""`pack watch` notices every save, once per burst, and nothing else."""

from __future__ import annotations

import threading
import time

from studyml.content.watch import changes, snapshot


def test_a_save_is_seen_once_and_other_files_are_ignored(tmp_path):
    (tmp_path / "cards").mkdir()
    card = tmp_path / "cards" / "a.yaml"
    card.write_text("- id: a\n")
    stop = threading.Event()
    seen: list[list[str]] = []

    def consume():
        for changed in changes(tmp_path, interval=0.05, settle=0.05, stop=stop):
            seen.append(changed)

    t = threading.Thread(target=consume)
    t.start()
    time.sleep(0.2)
    (tmp_path / "notes.txt").write_text("not a pack file")
    time.sleep(0.3)
    card.write_text("- id: a\n- id: b\n")
    (tmp_path / "pack.yml").write_text("id: x\n")
    time.sleep(0.4)
    stop.set()
    t.join(2)
    flat = [name for batch in seen for name in batch]
    assert sorted(flat) == ["cards/a.yaml", "pack.yml"]  # each save once; the text file never


def test_snapshot_skips_links(tmp_path):
    (tmp_path / "real.yaml").write_text("x")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    assert list(snapshot(tmp_path)) == ["real.yaml"]
