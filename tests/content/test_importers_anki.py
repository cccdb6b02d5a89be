"""`pack import` of packages made by the real Anki (the `anki` package, in its own venv: see tests/srs)."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from studyml.content.importers import guid_id, import_pack
from studyml.content.loader import load_pack
from tests.anki_env import anki_python

MAKE = r"""
import json, sys
from anki.collection import Collection, ExportAnkiPackageOptions
col = Collection(sys.argv[1])
if col.note_count():  # the second export: the learner edited a note in Anki
    n, m = (col.get_note(i) for i in sorted(col.find_notes("")))
    n["Back"] = sys.argv[4]
    col.update_note(n)
else:
    n = col.new_note(col.models.by_name("Basic"))
    n["Front"] = "What is <b>ReLU</b>?"
    n["Back"] = sys.argv[4]
    n.tags = ["nn::activation"]
    col.add_note(n, col.decks.id("Default"))
    m = col.new_note(col.models.by_name("Cloze"))
    m["Text"] = "Adam was published at {{c1::ICLR}} in {{c2::2015}}"
    col.add_note(m, col.decks.id("Default"))
for legacy, out in ((True, sys.argv[2]), (False, sys.argv[3])):
    col.export_anki_package(out_path=out, options=ExportAnkiPackageOptions(
        with_scheduling=False, with_deck_configs=False, with_media=False, legacy=legacy), limit=None)
print(json.dumps([n.guid, m.guid]))
col.close()
"""


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["legacy", "modern"])
def test_packages_made_by_anki_import_and_reimport_updates(tmp_path, variant):
    python = anki_python()

    def make(back: str, tag: str) -> tuple[list[str], object]:
        out = tmp_path / tag
        out.mkdir()
        proc = subprocess.run(
            [
                python,
                "-c",
                MAKE,
                str(tmp_path / "collection.anki2"),
                str(out / "legacy.apkg"),
                str(out / "modern.apkg"),
                back,
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        import json

        return json.loads(proc.stdout.strip().splitlines()[-1]), out / f"{variant}.apkg"

    guids, apkg = make(r"\(\max(0, x)\)", "first")
    folder = tmp_path / "pack"
    first = import_pack(apkg, folder, pack_id="from-anki")
    assert (first.cards, first.added) == (2, 2)
    cards = yaml.safe_load(next((folder / "cards").glob("*.yaml")).read_text(encoding="utf-8"))
    by_id = {c["id"]: c for c in cards}
    relu, adam = by_id[guid_id(guids[0])], by_id[guid_id(guids[1])]
    assert relu["front"]["en"] == "What is **ReLU**?" and relu["back"]["en"] == r"$\max(0, x)$"
    assert relu["tags"] == ["nn-activation"]
    assert adam["front"]["en"] == "Adam was published at […] in […]"
    assert adam["back"]["en"] == "Adam was published at **ICLR** in **2015**"
    result = load_pack(folder)
    assert [d for d in result.diagnostics if d.severity == "error"] == []

    # A note edited in Anki and exported again: the import updates that card (same GUID, same id).
    guids_again, apkg_again = make("ReLU(x) = max(0, x)", "second")
    assert guids_again == guids
    again = import_pack(apkg_again, folder)
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)  # only the edited note changed
    cards = yaml.safe_load(next((folder / "cards").glob("*.yaml")).read_text(encoding="utf-8"))
    assert {c["id"]: c for c in cards}[guid_id(guids[0])]["back"]["en"] == "ReLU(x) = max(0, x)"
