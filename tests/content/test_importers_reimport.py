"""`pack import` into a pack that exists: nothing the author wrote there is lost, and a file it cannot read stops it."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyml.cli import ExitCode, main
from studyml.content.importers import import_pack
from studyml.content.yamlsafe import load
from tests.content.packutil import make_pack

NOTES = """# Activation functions

Q: Why is ReLU popular?
A: It is cheap and does not saturate for positive inputs.

The derivative of the sigmoid is {{c1::σ(x)(1−σ(x))}}
"""


def cards_in(path: Path) -> list[dict]:
    return load(path.read_text(encoding="utf-8")).data


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_reimport_keeps_the_translations_written_by_hand(tmp_path, capsys):
    # The author's Korean was dropped by a re-import without --languages ("1 updated"): the languages were the
    # source's alone, and only those were kept.
    src, pack = tmp_path / "notes.md", tmp_path / "r"
    src.write_text(NOTES, encoding="utf-8")
    assert main(["pack", "import", str(src), "-o", str(pack), "--languages", "en,ko"]) == ExitCode.OK
    cards = pack / "cards" / "notes.yaml"
    text = cards.read_text(encoding="utf-8")
    text = text.replace(
        "    en: It is cheap and does not saturate for positive inputs.\n",
        "    en: It is cheap and does not saturate for positive inputs.\n"
        "    # checked with the lecture notes\n    ko: 저렴하고 양수에서 포화가 없다.\n",
    )
    cards.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["pack", "import", str(src), "-o", str(pack)]) == ExitCode.OK
    assert "0 cards added, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert cards.read_text(encoding="utf-8") == text  # nothing changed: the file, comment included, is left alone

    # The source changes that card: its English is replaced, the Korean and the comment outside it stay.
    src.write_text(NOTES.replace("positive inputs.", "positive inputs, unlike the sigmoid."), encoding="utf-8")
    assert main(["pack", "import", str(src), "-o", str(pack), "--languages", "en"]) == ExitCode.OK
    assert "0 cards added, 1 updated, 1 unchanged" in capsys.readouterr().out
    assert cards_in(cards)[0]["back"] == {
        "en": "It is cheap and does not saturate for positive inputs, unlike the sigmoid.",
        "ko": "저렴하고 양수에서 포화가 없다.",
    }


def test_reimport_defaults_to_the_languages_of_pack_yaml(tmp_path, capsys):
    # Docs: "add a language later by listing it in pack.yaml". A CSV that now has Korean columns, imported again into
    # a pack whose pack.yaml lists English alone, is refused with where to add it, not written half-listed.
    src, pack = tmp_path / "deck.csv", tmp_path / "p"
    src.write_text("front,back\nWhat is ReLU?,max(0 x)\n", encoding="utf-8")
    assert main(["pack", "import", str(src), "-o", str(pack)]) == ExitCode.OK
    src.write_text("front,back,front_ko,back_ko\nWhat is ReLU?,max(0 x),ReLU란?,max(0 x)입니다.\n", encoding="utf-8")
    before = files_of(pack)
    capsys.readouterr()
    assert main(["pack", "import", str(src), "-o", str(pack)]) == ExitCode.CHECK_FAILED
    assert f"add 'ko' to `languages:` in {pack / 'pack.yaml'}" in capsys.readouterr().err
    assert files_of(pack) == before
    # Listed there, the Korean is imported, and the pack validates.
    manifest = pack / "pack.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        .replace("- en\n", "- en\n- ko\n")
        .replace("en: deck", "en: deck\n  ko: 덱"),
        encoding="utf-8",
    )
    assert main(["pack", "import", str(src), "-o", str(pack)]) == ExitCode.OK
    assert main(["pack", "validate", str(pack)]) == ExitCode.OK


HAND_WRITTEN = """\
# yaml-language-server: $schema=../.schema/cards.schema.json
# Attention, written by hand.
- id: scaled-dot
  title: {en: Scaling, ko: 스케일링}
  front: {en: Why divide by sqrt(d_k)?, ko: 왜 sqrt(d_k)로 나누는가?}
  back:
    en: To keep the softmax out of saturation.
    ko: yes  # a placeholder until I write it
  sources: [{ref: Vaswani et al. (2017)}]
"""


def test_reimport_reads_a_hand_written_card_file_as_validate_does_and_keeps_its_comments(tmp_path, capsys):
    # A file that passes `pack validate --strict` (a `?` in a flow mapping, `ko: yes`) made the import fail with
    # "internal error: ParserError", or turned `yes` into `true`; and every comment was dropped.
    pack = make_pack(tmp_path, {"cards/basics.yaml": HAND_WRITTEN, "quizzes/basics.yaml": None}, name="attn")
    assert main(["pack", "validate", str(pack), "--strict"]) == ExitCode.OK
    src, cards = tmp_path / "basics.csv", pack / "cards" / "basics.yaml"
    src.write_text("front,back,front_ko,back_ko\nWhat is attention?,A weighted average.,어텐션?,가중 평균.\n", "utf-8")
    assert main(["pack", "import", str(src), "-o", str(pack)]) == ExitCode.OK
    assert cards.read_text(encoding="utf-8").startswith(HAND_WRITTEN)  # as it was, comments and all; the new card after
    assert [c["id"] for c in cards_in(cards)] == ["scaled-dot", "what-is-attention-270a54"]
    # The source now has the hand-written card too (by its id): its English back is replaced, the rest stays.
    src.write_text("id,front,back\nscaled-dot,Why divide by sqrt(d_k)?,So the logits keep unit variance.\n", "utf-8")
    assert main(["pack", "import", str(src), "-o", str(pack)]) == ExitCode.OK
    card = cards_in(cards)[0]
    assert card["back"] == {"en": "So the logits keep unit variance.", "ko": "yes"}
    assert card["title"] == {"en": "Scaling", "ko": "스케일링"} and card["sources"] == [
        {"ref": "Vaswani et al. (2017)"}
    ]
    assert cards.read_text(encoding="utf-8").startswith(HAND_WRITTEN.split("- id")[0])  # the comments above it stay
    capsys.readouterr()
    assert main(["pack", "validate", str(pack), "--strict"]) == ExitCode.CHECK_FAILED  # the new card has no sources
    out = capsys.readouterr().out  # nothing about a `true` where the author wrote `yes`
    assert "cards[1].id: no sources" in out and "0 quiz items, 1 error, 0 warnings" in out


def test_a_yes_written_by_hand_stays_text_through_a_reimport_that_updates_its_card(tmp_path, capsys):
    # The card file was read as YAML 1.1: `ko: yes` came back as `ko: true`, and the pack stopped validating.
    src, pack = tmp_path / "deck.csv", tmp_path / "p"
    src.write_text("id,front,back\nsane,Is ReLU cheap?,Yes: max(0 x)\n", encoding="utf-8")
    assert main(["pack", "import", str(src), "-o", str(pack), "--languages", "en,ko"]) == ExitCode.OK
    cards, manifest = pack / "cards" / "deck.yaml", pack / "pack.yaml"
    for path, old, new in (
        (cards, "    en: Is ReLU cheap?\n", "    en: Is ReLU cheap?\n    ko: ReLU는 저렴한가?\n"),
        (cards, "    en: 'Yes: max(0 x)'\n", "    en: 'Yes: max(0 x)'\n    ko: yes\n"),
        (manifest, "  en: deck\n", "  en: deck\n  ko: 덱\n"),
    ):
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert main(["pack", "validate", str(pack)]) == ExitCode.OK
    src.write_text('id,front,back\nsane,Is ReLU cheap?,"Yes: max(0, x)"\n', encoding="utf-8")
    assert main(["pack", "import", str(src), "-o", str(pack), "--languages", "en,ko"]) == ExitCode.OK
    assert cards_in(cards)[0]["back"] == {"en": "Yes: max(0, x)", "ko": "yes"}
    assert main(["pack", "validate", str(pack)]) == ExitCode.OK


@pytest.mark.parametrize(
    "rel, text, where",
    [
        ("cards/basics.yaml", "- id: a\n  front: {en: F, en: G}\n", "2:18: cards[0].front.en: duplicate key 'en'"),
        ("cards/basics.yaml", "id: a\nfront: F\n", "1:1: a file in cards/ must be a YAML list"),
        ("cards/basics.yaml", "- id: what-is-attention-270a54\n  front: What?\n", "2:10: cards[0].front: expected one"),
        ("pack.yaml", "id: attn\nlanguages: [en, ko\n", "3:1: languages[1]: YAML syntax"),
    ],
)
def test_a_pack_file_the_import_cannot_read_or_update_safely_stops_it_and_nothing_is_written(
    tmp_path, capsys, rel, text, where
):
    # A card file that did not read with YAML 1.1 was an internal error (exit 3); one that is not a list, or a card
    # whose text is not {lang: text}, was replaced by the imported cards.
    pack = make_pack(tmp_path, {rel: text, "quizzes/basics.yaml": None}, name="attn")
    before = files_of(pack)
    src = tmp_path / "basics.csv"
    src.write_text("front,back\nWhat is attention?,A weighted average.\n", encoding="utf-8")
    assert main(["pack", "import", str(src), "-o", str(pack)]) == ExitCode.CHECK_FAILED
    err = capsys.readouterr().err
    assert f"studyml: error: {pack}/{rel}:{where}" in err
    assert f"(`studyml pack validate {pack}` lists every problem) and import again: nothing was written" in err
    assert files_of(pack) == before


def test_cloze_ids_are_made_from_the_text_without_markup_and_old_ids_still_match(tmp_path):
    src, pack = tmp_path / "notes.md", tmp_path / "r"
    src.write_text(NOTES, encoding="utf-8")
    import_pack(src, pack)
    cards = pack / "cards" / "notes.yaml"
    new_id = cards_in(cards)[1]["id"]
    assert new_id.startswith("the-derivative-of-the-sigmoid-is-x-1-x-")  # was …-is-c1-x-1-…: the markup slugged
    # A pack made by the earlier importer has the old id: a re-import updates that card, it does not add a second.
    old_id = "the-derivative-of-the-sigmoid-is-c1-x-1-ca5296"  # as the importer before this change wrote it
    cards.write_text(cards.read_text(encoding="utf-8").replace(new_id, old_id), encoding="utf-8")
    again = import_pack(src, pack)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert [c["id"] for c in cards_in(cards)] == ["why-is-relu-popular-cab512", old_id]


def test_a_title_edited_by_hand_survives_a_reimport(tmp_path):
    # Without a title column the title is made from the front; made again at every re-import, it replaced the
    # author's better one.
    src, pack = tmp_path / "deck.csv", tmp_path / "p"
    src.write_text("id,front,back\nrelu,What is ReLU and why is it used?,max(0 x)\n", encoding="utf-8")
    import_pack(src, pack)
    cards = pack / "cards" / "deck.yaml"
    text = cards.read_text(encoding="utf-8")
    cards.write_text(text.replace("title:\n    en: What is ReLU and why is it used?", "title:\n    en: ReLU"), "utf-8")
    assert cards_in(cards)[0]["title"] == {"en": "ReLU"}
    src.write_text('id,front,back\nrelu,What is ReLU and why is it used?,"max(0, x)"\n', encoding="utf-8")
    assert import_pack(src, pack).updated == 1
    assert cards_in(cards)[0]["title"] == {"en": "ReLU"} and cards_in(cards)[0]["back"] == {"en": "max(0, x)"}
