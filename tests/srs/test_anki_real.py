"""An exported .apkg imports into a real Anki collection (the `anki` package from PyPI, in its own venv).

The venv lives in a cache dir and is created on first use (about 65 MB, seconds from a PyPI mirror).
Set STUDYML_ANKI_PYTHON to a Python that can `import anki` to use that instead. Without either, the
test is skipped with the reason, or fails if STUDYML_REQUIRE_ANKI=1 (for CI).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studyml.srs.export import export_anki
from tests.anki_env import anki_python

IMPORT_SCRIPT = r"""
import json, sys
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as When

col = Collection(sys.argv[1])
out = []
for apkg in sys.argv[2:]:
    options = ImportAnkiPackageOptions(merge_notetypes=True, with_scheduling=False,
                                       update_notes=When.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=apkg, options=options))
    notes = [col.get_note(nid) for nid in col.find_notes("")]
    out.append({"notes": col.note_count(), "cards": col.card_count(),
                "guids": sorted(n.guid for n in notes), "backs": sorted(n.fields[1] for n in notes),
                "tags": sorted({t for n in notes for t in n.tags})})
col.close()
print(json.dumps(out))
"""


@pytest.mark.slow
def test_apkg_imports_into_real_anki_and_reimport_updates(tmp_path, make_pack):
    import genanki

    python = anki_python()
    pack = make_pack(6)
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    export_anki(pack, first, "both", timestamp=1_800_000_000)
    pack.cards[2].back["en"] = "edited answer"
    export_anki(pack, second, "both", timestamp=1_800_000_060)  # a later export: Anki's default update rule
    result = subprocess.run(
        [python, "-c", IMPORT_SCRIPT, str(tmp_path / "collection.anki2"), str(first), str(second)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    after_first, after_second = json.loads(result.stdout.strip().splitlines()[-1])
    assert after_first["notes"] == after_first["cards"] == 6  # one note (and one Anki card) per card
    assert after_second["notes"] == 6  # the second export updated the notes instead of adding
    assert (
        after_first["guids"]
        == after_second["guids"]
        == sorted(genanki.guid_for(pack.manifest.id, c.id) for c in pack.cards)
    )
    assert not any("edited answer" in b for b in after_first["backs"])
    assert any("edited answer" in b for b in after_second["backs"])
    assert {"basics", "t0", "t1", "studyml::demo-pack"} <= set(after_second["tags"])
