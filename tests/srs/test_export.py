"""JSON export/import of progress (merging without duplicates) and Anki export with stable GUIDs."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import timedelta

import genanki
import pytest

from studyml.srs.export import export_anki, export_json, import_json, markdown_html, stable_id
from studyml.srs.scheduler import Scheduler, Settings
from studyml.srs.store import Store, StoreError
from tests.srs.helpers import NOON


def fill(store, cards, start=NOON, quiz=True):
    s = Scheduler(store, Settings(enable_fuzzing=False))
    for i, cid in enumerate(cards):
        s.review("p", cid, 3, now=start + timedelta(minutes=i), pack_version="1.0.0", duration_ms=900)
    if quiz:
        s.answer_quiz("p", "q1", None, ["a", "b"], True, now=start)
    store.record_demo_run("softmax", {"t": 2}, {"sum": 1.0}, 3.5, True, time_ms=123)
    return s


def test_json_round_trip(store, tmp_path):
    fill(store, ["a", "b", "c"])
    store.set_setting("srs", {"desired_retention": 0.88})
    counts = export_json(store, tmp_path / "p.json")
    assert counts == {"progress": 3, "reviews": 3, "quiz_attempts": 1, "demo_runs": 1}
    with Store(tmp_path / "other.sqlite3") as other:
        added = import_json(other, tmp_path / "p.json")
        assert added["reviews"] == 3 and added["cards"] == 3 and added["settings"] == 1
        assert [vars(r) | {"id": None} for r in other.reviews()] == [vars(r) | {"id": None} for r in store.reviews()]
        assert other.states() == store.states()
        assert other.quiz_attempts() == store.quiz_attempts() and other.demo_runs() == store.demo_runs()
        assert other.get_setting("srs") == {"desired_retention": 0.88}
        again = import_json(other, tmp_path / "p.json")  # importing twice adds nothing
        assert again["reviews"] == again["cards"] == again["quiz_attempts"] == again["demo_runs"] == 0
        assert other.review_count() == 3


def test_suspended_buried_and_flagged_cards_travel_with_an_export(store, tmp_path):
    # The export had no suspended, buried or flag fields: a card suspended before came back to study after an import.
    fill(store, ["a", "b", "c"])
    store.set_card_action("p", "a", suspended=1)
    store.set_card_action("p", "b", buried_until_ms=1_900_000_000_000, flag=3)
    store.set_card_action("p", "never-studied", suspended=1)  # a new card suspended before its first review
    export_json(store, tmp_path / "p.json")
    with Store(tmp_path / "other.sqlite3") as other:
        other.set_card_action("p", "c", flag=1)  # this device's own: kept
        added = import_json(other, tmp_path / "p.json")
        assert added["card_actions"] == 3
        assert other.all_card_actions() == {
            ("p", "a"): (True, None, 0),
            ("p", "b"): (False, 1_900_000_000_000, 3),
            ("p", "c"): (False, None, 1),
            ("p", "never-studied"): (True, None, 0),
        }
        assert import_json(other, tmp_path / "p.json")["card_actions"] == 0


def test_merge_of_two_machines(store, tmp_path):
    fill(store, ["a", "b"])
    export_json(store, tmp_path / "laptop.json")
    with Store(tmp_path / "desk.sqlite3") as desk:
        import_json(desk, tmp_path / "laptop.json")
        # The desk goes on studying "b" later, and a new card "z".
        later = Scheduler(desk, Settings(enable_fuzzing=False))
        later.review("p", "b", 1, now=NOON + timedelta(hours=2))
        later.review("p", "z", 3, now=NOON + timedelta(hours=2))
        export_json(desk, tmp_path / "desk.json")
        desk_b = desk.get("p", "b")
    added = import_json(store, tmp_path / "desk.json")
    assert added["reviews"] == 2  # the two shared reviews are not duplicated
    assert store.review_count() == 4
    assert store.get("p", "b") == desk_b  # the latest review wins
    keys = [(r.pack_id, r.card_id, r.time_ms, r.rating) for r in store.reviews()]
    assert len(keys) == len(set(keys))


def test_an_import_does_not_take_over_the_other_devices_id_or_sync_folder(store, tmp_path):
    # Imported on a new machine, A's device_id and sync folder made both write A's sync file: each missed the other.
    from studyml.srs.sync import device_id

    fill(store, ["a"])
    laptop = device_id(store)
    store.set_setting("sync_dir", str(tmp_path / "Sync"))
    store.set_setting("theme", "dark")
    export_json(store, tmp_path / "laptop.json")
    with Store(tmp_path / "new.sqlite3") as new:
        added = import_json(new, tmp_path / "laptop.json")
        assert added["settings"] == 1 and new.get_setting("theme") == "dark"
        assert new.get_setting("device_id") is None and new.get_setting("sync_dir") is None
        assert device_id(new) != laptop


def test_an_import_with_a_number_past_what_sqlite_holds_names_the_file_and_record(store, tmp_path):
    # time_ms 2**70 was "internal error: OverflowError"; 5,000 digits, Python's own "sys.set_int_max_str_digits()".
    fill(store, ["a"])
    export_json(store, tmp_path / "good.json")
    data = json.loads((tmp_path / "good.json").read_text())
    data["reviews"][0]["time_ms"] = 2**70
    (tmp_path / "far.json").write_text(json.dumps(data))
    with pytest.raises(StoreError, match=r"(?s)far\.json has 1 invalid record.*reviews\[0\]\.time_ms"):
        import_json(store, tmp_path / "far.json")
    (tmp_path / "long.json").write_text(
        (tmp_path / "good.json").read_text().replace('"reviews"', '"x": ' + "9" * 5000 + ', "reviews"', 1)
    )
    with pytest.raises(StoreError, match=r"long\.json is not a studyml progress file"):
        import_json(store, tmp_path / "long.json")
    assert store.review_count() == 1


def test_import_refuses_bad_files_and_changes_nothing(store, tmp_path):
    fill(store, ["a"])
    bad = tmp_path / "bad.json"
    for text in ("{nope", json.dumps({"format": "other"}), json.dumps([1, 2])):
        bad.write_text(text)
        with pytest.raises(StoreError, match="not a studyml progress file"):
            import_json(store, bad)
    newer = {"format": "studyml-progress", "version": 99}
    bad.write_text(json.dumps(newer))
    with pytest.raises(StoreError, match="newer"):
        import_json(store, bad)
    broken = {
        "format": "studyml-progress",
        "version": 1,
        "reviews": [{"time_ms": 1, "pack_id": "p", "card_id": "x", "rating": 3, "state_after": {}}, {"pack_id": "p"}],
    }
    bad.write_text(json.dumps(broken))
    with pytest.raises(StoreError, match="nothing was imported"):
        import_json(store, bad)
    assert store.review_count() == 1
    with pytest.raises(StoreError, match="no such file"):
        import_json(store, tmp_path / "missing.json")
    # A file that cannot be read here is a run error, not "not a studyml progress file" (a check failed, exit 1).
    from studyml.srs.export import InvalidProgressFile

    with pytest.raises(StoreError, match="cannot read .*; nothing was imported") as e:
        import_json(store, tmp_path)  # a folder: IsADirectoryError, as a file without read permission is an OSError
    assert not isinstance(e.value, InvalidProgressFile)


def read_apkg(path):
    with zipfile.ZipFile(path) as z:
        (tmp := path.with_suffix(".anki2")).write_bytes(z.read("collection.anki2"))
    conn = sqlite3.connect(tmp)
    rows = conn.execute("SELECT guid, flds, tags, mid FROM notes ORDER BY id").fetchall()
    conn.close()
    return rows


@pytest.mark.parametrize("lang", ["en", "ko", "both"])
def test_anki_export_one_note_per_card_with_stable_guids(tmp_path, make_pack, lang):
    pack = make_pack(5)
    assert export_anki(pack, tmp_path / "a.apkg", lang) == 5
    first = read_apkg(tmp_path / "a.apkg")
    assert len(first) == 5
    assert {g for g, *_ in first} == {genanki.guid_for("demo-pack", c.id) for c in pack.cards}
    assert all(mid == stable_id("studyml-model", "demo-pack") for *_, mid in first)
    front, back, _ = first[0][1].split("\x1f")
    if lang in ("en", "both"):
        assert "<strong>0</strong>" in front and r"\(x^0\)" in front and r"\[\sum_i x_i\]" in back
    if lang in ("ko", "both"):
        assert "카드 0" in front
    assert set(first[0][2].split()) == {"basics", "t0", "studyml::demo-pack"}
    # Edit a card's text and export again: same GUIDs, new text.
    pack.cards[0].back["en"] = pack.cards[0].back["ko"] = "changed"
    export_anki(pack, tmp_path / "b.apkg", lang)
    second = read_apkg(tmp_path / "b.apkg")
    assert [g for g, *_ in second] == [g for g, *_ in first]
    assert "changed" in second[0][1]


def test_anki_export_refuses_a_missing_language(tmp_path, make_pack):
    pack = make_pack(2)
    pack.manifest.languages = ["en"]
    with pytest.raises(ValueError, match="no 'ko' text"):
        export_anki(pack, tmp_path / "x.apkg", "ko")


def test_markdown_to_anki_html():
    assert markdown_html("a $b<c$ d") == r"<p>a \(b&lt;c\) d</p>"
    assert markdown_html("*x*") == "<p><em>x</em></p>"
    assert markdown_html("<script>") == "<p>&lt;script&gt;</p>"


def test_an_import_does_not_bring_back_a_review_undone_since_the_export(store, tmp_path):
    s = fill(store, ["a"], quiz=False)
    s.review("p", "a", 1, now=NOON + timedelta(days=1))
    export_json(store, tmp_path / "before-undo.json")
    s.undo("p", "a")
    state, reviews = store.get("p", "a"), store.review_count()
    added = import_json(store, tmp_path / "before-undo.json")
    assert (added["reviews"], added["cards"]) == (0, 0)
    assert store.review_count() == reviews == 1
    assert store.get("p", "a") == state


def test_a_file_of_reviews_alone_gives_each_card_its_state(store, tmp_path):
    # 600,000 reviews came in and "0 card states": no card counted as studied until a sync rebuilt them.
    fill(store, ["a", "b"])
    export_json(store, tmp_path / "all.json")
    data = json.loads((tmp_path / "all.json").read_text())
    del data["progress"]
    (tmp_path / "reviews.json").write_text(json.dumps(data))
    with Store(tmp_path / "new.sqlite3") as new:
        added = import_json(new, tmp_path / "reviews.json")
        assert added["cards"] == 2
        for card in ("a", "b"):
            assert new.get("p", card) == store.get("p", card)
