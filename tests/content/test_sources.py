"""Card sources as the learner reads them: study notes by title, or a name derived from the file."""

from studyml.content.models import Source
from studyml.content.sources import note_title, source_line
from tests.content.packutil import make_pack, messages

NOTES = {"001_42d3631d7a3a256f.txt": {"en": "Study note 2 — deep-learning basics", "ko": "학습 노트 2 — 딥러닝 기초"}}


def test_title_from_the_pack_in_each_language():
    assert note_title("001_42d3631d7a3a256f.txt", NOTES, "ko") == "학습 노트 2 — 딥러닝 기초"
    assert note_title("001_42d3631d7a3a256f.txt", NOTES, "fr") == "Study note 2 — deep-learning basics"


def test_without_a_title_the_hash_is_dropped():
    assert note_title("000_0ce6076d91a55b0a.txt", {}, "en") == "study note 000"
    assert note_title("000_0ce6076d91a55b0a.txt", None, "ko") == "학습 노트 000"
    assert note_title("lecture_3.md", None, "en") == "study note: lecture 3"


def test_source_line_joins_reference_note_and_url():
    s = Source(ref="Glorot & Bengio (2010), §4.2.1", url="https://proceedings.mlr.press/v9/glorot10a.html")
    assert (
        source_line(s, None, "en") == "Glorot & Bengio (2010), §4.2.1 · https://proceedings.mlr.press/v9/glorot10a.html"
    )
    assert source_line(Source(note="001_42d3631d7a3a256f.txt"), NOTES, "en") == "Study note 2 — deep-learning basics"


def test_validate_warns_about_a_cited_note_without_a_title(tmp_path):
    root = make_pack(tmp_path, {})
    cards = root / "cards" / "basics.yaml"
    cards.write_text(
        cards.read_text(encoding="utf-8").replace(
            "  sources:\n", "  sources:\n    - note: 002_57a399fb23593393.txt\n", 1
        ),
        encoding="utf-8",
    )
    pack = root / "pack.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8") + "notes:\n  001_42d3631d7a3a256f.txt: {en: Note 2, ko: 노트 2}\n",
        encoding="utf-8",
    )
    assert messages(root) == [
        "demo-pack/cards/basics.yaml:16:13: cards[0].sources[0].note: warning: note '002_57a399fb23593393.txt' has no title under "
        "`notes:` in pack.yaml: learners would see only a name derived from the file",
    ]
