"""`pack import`: CSV/TSV, Markdown and Anki packages become packs that validate; a re-import updates by id."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
import yaml

from studyml.cli import ExitCode, main
from studyml.content.importers import ImportError_, guid_id, html_text, import_pack
from studyml.content.loader import load_pack


def cards_of(folder: Path) -> list[dict]:
    files = sorted((folder / "cards").glob("*.yaml"))
    return [c for f in files for c in yaml.safe_load(f.read_text(encoding="utf-8"))]


def validate(folder: Path):
    result = load_pack(folder)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    return result, errors


def test_csv_with_header_becomes_a_valid_pack(tmp_path):
    src = tmp_path / "deck.csv"
    src.write_text(
        "id,front,back,tags,front_ko,back_ko\n"
        'relu,"What is ReLU?","max(0, x)","activation nn","ReLU란?","max(0, x)입니다."\n'
        ',"What is a tensor?","An n-dimensional array",,,\n'
        ',"no answer",,,,\n',
        encoding="utf-8",
    )
    result = import_pack(src, tmp_path / "pack", languages=["en", "ko"])
    assert (result.cards, result.added, result.updated) == (2, 2, 0)
    assert result.skipped == ["deck.csv:4: a row needs both front and back"]
    cards = cards_of(tmp_path / "pack")
    assert cards[0]["id"] == "relu" and cards[0]["front"] == {"en": "What is ReLU?", "ko": "ReLU란?"}
    assert cards[0]["tags"] == ["activation", "nn"]
    pack, errors = validate(tmp_path / "pack")
    # The card without Korean is listed for the author to fill, and nothing else is wrong.
    assert all("missing the 'ko' text" in d.message for d in errors)
    assert cards[0]["title"] == {"en": "What is ReLU?", "ko": "ReLU란?"}  # each title from its language's front
    assert sorted(d.path for d in errors) == ["cards[1].back", "cards[1].front", "cards[1].title"]
    # The pack's title is the file name in each language the source has.
    assert yaml.safe_load((tmp_path / "pack" / "pack.yaml").read_text(encoding="utf-8"))["title"] == {
        "en": "deck",
        "ko": "deck",
    }


def test_a_row_split_by_an_unquoted_comma_is_skipped_and_said_not_cut(tmp_path):
    # `What is max(0, x)?,ReLU` became front "What is max(0", back "x)?", and "ReLU" was dropped without a word.
    src = tmp_path / "deck.csv"
    src.write_text("front,back\nWhat is max(0, x)?,ReLU\nWhat is a tensor?,An n-dimensional array\n", encoding="utf-8")
    result = import_pack(src, tmp_path / "pack")
    assert result.cards == 1
    assert result.skipped == [
        'deck.csv:2: 3 fields where the header has 2; put a text that holds a comma in double quotes ("What is max(0,'
        ' x)?")'
    ]
    assert [c["front"]["en"] for c in cards_of(tmp_path / "pack")] == ["What is a tensor?"]
    # A line that only ends in a comma (or a tab) loses nothing: it is read, as before.
    src.write_text("front,back\nWhat is ReLU?,max(0; x),\nWhat is a tensor?,An array,,\n", encoding="utf-8")
    result = import_pack(src, tmp_path / "pack2")
    assert result.cards == 2 and result.skipped == []


def test_a_row_split_by_an_unquoted_comma_into_an_optional_column_is_imported_with_a_warning(tmp_path, capsys):
    # Under `front,back,tags` the split row has exactly three fields: front "What is max(0", back " x)?", and the
    # answer became a tag, with nothing said.
    src = tmp_path / "deck.csv"
    src.write_text(
        "front,back,tags\n"
        "What is max(0, x)?,ReLU\n"
        '"What is max(0, x)?",ReLU,activation\n'  # quoted: one text, nothing to say
        '"Is 1 in [0, 1)?","no, [0, 1) leaves 1 out",interval\n'  # brackets that balance within each text
        "Sum of (a,b) and c?,a+b+c\n"
        '"Which character opens a tuple, (","It is closed by ) later"\n'  # quoted: as meant, however it looks
        '"Smiley :(",":) is the opposite",emoji\n'
        'Say "max(0, x)" aloud,relu\n',  # a quote inside a field is a character: this text was split
        encoding="utf-8",
    )
    result = import_pack(src, tmp_path / "pack")
    assert result.cards == 7 and result.skipped == []
    assert result.warnings == [
        "deck.csv:2: the front 'What is max(0' opens a bracket that the back ' x)?' closes: if a comma split one "
        "text, put that text in double quotes and import again (the row was imported as it is)",
        "deck.csv:5: the front 'Sum of (a' opens a bracket that the back 'b) and c?' closes: if a comma split one "
        "text, put that text in double quotes and import again (the row was imported as it is)",
        "deck.csv:8: the front 'Say \"max(0' opens a bracket that the back ' x)\" aloud' closes: if a comma split one "
        "text, put that text in double quotes and import again (the row was imported as it is)",
    ]
    # Lines ended by a bare CR (a CSV saved on an old Mac) are counted as the reader counts them.
    mac = tmp_path / "mac.csv"
    mac.write_bytes(
        b'front,back,tags\r"line one\rline two",c\rWhat is max(0, x)?,relu\r"Complete: sigmoid(x","= 1/(1+exp(-x)))"\r'
    )
    result = import_pack(mac, tmp_path / "pack-cr")
    assert [w.split(":")[1] for w in result.warnings] == ["4"], result.warnings
    assert main(["pack", "import", str(src), "-o", str(tmp_path / "cli")]) == ExitCode.OK
    assert "warning: deck.csv:2: the front 'What is max(0' opens a bracket" in capsys.readouterr().out


def test_source_language_alone_validates_cleanly(tmp_path):
    src = tmp_path / "deck.tsv"
    src.write_text("front\tback\nWhat is a gradient?\tThe vector of partial derivatives.\n", encoding="utf-8")
    import_pack(src, tmp_path / "pack")
    _, errors = validate(tmp_path / "pack")
    assert errors == []


def test_csv_language_columns_make_the_default_languages_and_are_never_dropped(tmp_path):
    # Without --languages the pack takes every language the source has text in: the Korean columns were dropped
    # without a word when the default was the source language alone.
    src = tmp_path / "deck.csv"
    src.write_text(
        'front,back,front_ko,back_ko\nWhat is ReLU?,"max(0, x)",ReLU란?,"max(0, x)입니다."\n', encoding="utf-8"
    )
    import_pack(src, tmp_path / "pack")
    assert yaml.safe_load((tmp_path / "pack" / "pack.yaml").read_text(encoding="utf-8"))["languages"] == ["en", "ko"]
    card = cards_of(tmp_path / "pack")[0]
    assert card["front"] == {"en": "What is ReLU?", "ko": "ReLU란?"} and card["back"]["ko"] == "max(0, x)입니다."
    _, errors = validate(tmp_path / "pack")
    assert errors == []
    # Languages given that leave out a language of the source: an error that says which, and nothing written.
    with pytest.raises(ImportError_, match=r"deck.csv: the source has text in 'ko' .*add 'ko' to --languages"):
        import_pack(src, tmp_path / "other", languages=["en"])
    assert not (tmp_path / "other").exists()


@pytest.mark.parametrize(
    "name, text, title",
    [
        ("cards.csv", "front,back,front_ko,back_ko,tags\nWhat is ReLU?,max(0 x),ReLU란?,max(0 x)입니다.,nn\n", None),
        ("cards.tsv", "front\tback\tfront_ko\tback_ko\nWhat is ReLU?\tmax(0, x)\tReLU란?\tmax(0, x)입니다.\n", None),
        ("cards.csv", "front,back,front_ko,back_ko\nWhat is ReLU?,max(0 x),ReLU란?,max(0 x)입니다.\n", "Activations"),
    ],
)
def test_a_source_with_every_text_in_each_language_validates_at_once(tmp_path, capsys, name, text, title):
    # As docs/packs.md promises; the pack's title had the source language's text alone (`title: missing the 'ko'
    # text ... INVALID`).
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    pack = tmp_path / "pack"
    assert main(["pack", "import", str(src), "-o", str(pack), *(["--title", title] if title else [])]) == ExitCode.OK
    assert "still to write" not in capsys.readouterr().out
    assert main(["pack", "validate", str(pack)]) == ExitCode.OK
    expected = title or "cards"
    assert yaml.safe_load((pack / "pack.yaml").read_text(encoding="utf-8"))["title"] == {"en": expected, "ko": expected}


def test_a_text_that_reads_as_a_number_in_yaml_stays_text(tmp_path):
    # `3e-4` was written bare, and YAML 1.2 (as `pack validate` reads it) made it the number 0.0003: "expected text".
    src = tmp_path / "lr.csv"
    src.write_text("front,back\nA safe learning rate for Adam?,3e-4\nOctal?,0o17\n", encoding="utf-8")
    import_pack(src, tmp_path / "pack")
    assert validate(tmp_path / "pack")[1] == []
    assert [c["back"]["en"] for c in cards_of(tmp_path / "pack")] == ["3e-4", "0o17"]


def test_csv_without_required_column_says_which(tmp_path):
    src = tmp_path / "deck.csv"
    src.write_text("question,answer\nq,a\n", encoding="utf-8")
    with pytest.raises(ImportError_, match=r"deck.csv:1: no `front` column \(the header has: question, answer\)"):
        import_pack(src, tmp_path / "pack")


def test_markdown_questions_and_cloze(tmp_path):
    src = tmp_path / "notes.md"
    src.write_text(
        "# Optimisation\n\nQ: What does momentum accumulate?\nA: An exponentially decaying average\n"
        "of past gradients.\n\nThe {{c1::Hessian}} holds the {{c2::second derivatives::order}}.\n\n"
        "Q: Orphan question\n",
        encoding="utf-8",
    )
    result = import_pack(src, tmp_path / "pack")
    cards = cards_of(tmp_path / "pack")
    assert [c["front"]["en"] for c in cards] == ["What does momentum accumulate?", "The […] holds the [order]."]
    assert cards[0]["back"]["en"] == "An exponentially decaying average\nof past gradients."
    assert cards[1]["back"]["en"] == "The **Hessian** holds the **second derivatives**."
    assert cards[0]["tags"] == ["optimisation"]
    assert result.skipped == ["notes.md:9: a question without an `A:` answer"]
    assert validate(tmp_path / "pack")[1] == []


def test_an_empty_answer_ends_at_the_blank_line_and_takes_no_paragraph(tmp_path):
    # `A:` then a blank line took the next paragraph as its answer, cloze markup and all, without a word.
    src = tmp_path / "notes.md"
    src.write_text(
        "Q: Empty answer?\nA:\n\nAn empty cloze {{c1::}} here.\n\nQ: Answer below?\nA:\nIt is here.\n",
        encoding="utf-8",
    )
    result = import_pack(src, tmp_path / "pack")
    assert [(c["front"]["en"], c["back"]["en"]) for c in cards_of(tmp_path / "pack")] == [
        ("Answer below?", "It is here.")
    ]
    assert result.skipped == [
        "notes.md:1: an empty `A:` answer (an answer runs until a blank line: write it on the `A:` line or right "
        "below it)",
        "notes.md:4: an empty cloze deletion; write the answer after `c1::`",
    ]


def test_heading_words_that_make_no_tag_are_said(tmp_path):
    # `## 한국어 제목` left the cards below it with no tag, and the import said nothing of it.
    src = tmp_path / "notes.md"
    src.write_text("## 활성화 함수 ReLU — (part 2)\n\nQ: What is ReLU?\nA: max(0, x)\n", encoding="utf-8")
    result = import_pack(src, tmp_path / "pack")
    assert cards_of(tmp_path / "pack")[0]["tags"] == ["relu", "part"]  # as before: `2)` makes none
    assert result.skipped == [  # not '—' or '2)': marks, not words
        "notes.md:1: '활성화', '함수' in the heading make no tag (a tag id holds only a-z, 0-9 and '-'); add a word "
        "in a-z to the heading to tag the cards below it (## 활성화 함수 activation)"
    ]


def test_an_empty_cloze_deletion_is_skipped_with_its_line_not_made_a_card(tmp_path):
    # `{{c1::}}` made a card whose back read "**** …": nothing to recall, and the author was not told.
    src = tmp_path / "notes.md"
    src.write_text(
        "# Activations\n\nReLU is {{c1::max(0, x)}}.\n\nThe sigmoid maps into\n{{c1::}} here.\n", encoding="utf-8"
    )
    result = import_pack(src, tmp_path / "pack")
    assert [c["back"]["en"] for c in cards_of(tmp_path / "pack")] == ["ReLU is **max(0, x)**."]
    assert result.skipped == ["notes.md:5: an empty cloze deletion; write the answer after `c1::`"]


def test_reimport_updates_by_id_and_keeps_what_the_author_added(tmp_path):
    src = tmp_path / "deck.csv"
    src.write_text("id,front,back\nrelu,What is ReLU?,max(0 x)\n", encoding="utf-8")
    import_pack(src, tmp_path / "pack", languages=["en", "ko"])
    f = next((tmp_path / "pack" / "cards").glob("*.yaml"))
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data[0]["back"]["ko"] = "max(0, x)입니다."  # the author fills in Korean and a source
    data[0]["sources"] = [{"ref": "Goodfellow et al. (2016), §6.3.1"}]
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    src.write_text('id,front,back\nrelu,What is ReLU?,"max(0, x), fixed"\nnew,New?,Yes\n', encoding="utf-8")
    result = import_pack(src, tmp_path / "pack", languages=["en", "ko"])
    assert (result.added, result.updated) == (1, 1)
    card = cards_of(tmp_path / "pack")[0]
    assert card["back"] == {"en": "max(0, x), fixed", "ko": "max(0, x)입니다."}
    assert card["sources"] == [{"ref": "Goodfellow et al. (2016), §6.3.1"}]


def test_reimporting_the_same_source_says_the_cards_are_unchanged_not_updated(tmp_path):
    src = tmp_path / "deck.tsv"
    src.write_text("front\tback\nWhat is a gradient?\tThe vector of partial derivatives.\nQ2\tA2\n", encoding="utf-8")
    import_pack(src, tmp_path / "pack")
    src.write_text(
        "front\tback\nWhat is a gradient?\tThe vector of partial derivatives.\nQ2\tA2, edited\n", encoding="utf-8"
    )
    again = import_pack(src, tmp_path / "pack")
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)
    assert again.to_dict()["unchanged"] == 1


def test_html_fields_become_text():
    assert html_text("<b>Bold</b> and <i>it</i><br>line&nbsp;2<script>x()</script>") == "**Bold** and *it*\nline 2"
    assert html_text(r"\(x^2\) and \[y\]") == "$x^2$ and $$y$$"


def test_guid_ids_are_slugs_and_reversible():
    gid = guid_id("b&/Xy#9:Q")
    assert gid.startswith("anki-") and bytes.fromhex(gid[5:]).decode() == "b&/Xy#9:Q"


def _legacy_apkg(path: Path, notes: list[tuple[str, str, str]]) -> None:
    """A minimal legacy package: the notes table is all the importer reads."""
    db = path.with_suffix(".anki2")
    db.unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, mod INTEGER, usn INTEGER,"
        " tags TEXT, flds TEXT, sfld TEXT, csum INTEGER, flags INTEGER, data TEXT)"
    )
    for i, (guid, flds, tags) in enumerate(notes):
        conn.execute("INSERT INTO notes VALUES (?,?,1,0,0,?,?,'',0,0,'')", (i + 1, guid, tags, flds))
    conn.commit()
    conn.close()
    with zipfile.ZipFile(path, "w") as z:
        z.write(db, "collection.anki2")
        z.writestr("media", "{}")


def test_apkg_notes_become_cards_and_reimport_updates(tmp_path):
    apkg = tmp_path / "deck.apkg"
    _legacy_apkg(
        apkg,
        [
            ("g1", "Front <b>one</b>\x1fBack one", " deck::part1 "),
            ("g2", "{{c1::Paris}} is the capital of France\x1fExtra", ""),
        ],
    )
    import_pack(apkg, tmp_path / "pack")
    cards = cards_of(tmp_path / "pack")
    assert [c["id"] for c in cards] == [guid_id("g1"), guid_id("g2")]
    assert cards[0]["front"]["en"] == "Front **one**" and cards[0]["tags"] == ["deck-part1"]
    assert cards[1]["front"]["en"] == "[…] is the capital of France"
    assert validate(tmp_path / "pack")[1] == []
    _legacy_apkg(apkg, [("g1", "Front one\x1fBack one, edited", "")])
    result = import_pack(apkg, tmp_path / "pack")
    assert (result.added, result.updated) == (0, 1)
    assert cards_of(tmp_path / "pack")[0]["back"]["en"] == "Back one, edited"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a zip", "not an Anki package"),
        (None, "no collection inside"),
    ],
)
def test_broken_packages_are_clear_errors(tmp_path, content, message):
    apkg = tmp_path / "bad.apkg"
    if content is None:
        with zipfile.ZipFile(apkg, "w") as z:
            z.writestr("readme.txt", "hi")
    else:
        apkg.write_bytes(content)
    with pytest.raises(ImportError_, match=message):
        import_pack(apkg, tmp_path / "pack")


def test_a_collection_that_is_not_sqlite_is_a_clear_error(tmp_path):
    apkg = tmp_path / "bad.apkg"
    with zipfile.ZipFile(apkg, "w") as z:
        z.writestr("collection.anki2", b"garbage" * 100)
    with pytest.raises(ImportError_, match="not a readable Anki database"):
        import_pack(apkg, tmp_path / "pack")


@pytest.mark.parametrize(
    "name, text", [("deck.csv", "front,back\nWhat is ReLU?,max(0 x)\n"), ("notes.md", "Q: Why?\nA: Because.\n")]
)
def test_imported_files_name_their_schema_for_editors_as_pack_new_does(tmp_path, name, text):
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    pack = tmp_path / "pack"
    for _ in range(2):  # a re-import keeps the line, once
        import_pack(src, pack)
        files = [pack / "pack.yaml", *sorted((pack / "cards").glob("*.yaml"))]
        for f in files:
            lines = f.read_text(encoding="utf-8").splitlines()
            first = lines[0]
            assert first.startswith("# yaml-language-server: $schema="), f
            assert sum(line.startswith("# yaml-language-server:") for line in lines) == 1
            schema = (f.parent / first.split("=", 1)[1]).resolve()
            assert schema.is_file() and schema.name == (
                "pack.schema.json" if f.name == "pack.yaml" else "cards.schema.json"
            )
    assert validate(pack)[1] == []


def test_a_column_the_importer_does_not_read_is_named_not_dropped_silently(tmp_path):
    # Before, `tag` (for `tags`) and `notes` were left out without a word.
    src = tmp_path / "deck.csv"
    src.write_text("front,back,tag,notes,front_ko,back_ko\nQ,A,x,y,질문,답\n", encoding="utf-8")
    result = import_pack(src, tmp_path / "pack", languages=["en", "ko"])
    assert result.cards == 1
    assert [s.split(" is not read")[0] for s in result.skipped] == [
        "deck.csv:1: column 'tag'",
        "deck.csv:1: column 'notes'",
    ]
    assert cards_of(tmp_path / "pack")[0]["front"] == {"en": "Q", "ko": "질문"}


@pytest.mark.parametrize(
    "name,options,message",
    [
        ("deck.dat", [], "cannot tell the format from '.dat'; use --format"),
        ("deck.csv", ["--languages", "en"], "which the pack's languages en leave out; add 'ko' to --languages"),
    ],
)
def test_what_the_command_line_must_say_is_a_usage_error(tmp_path, capsys, name, options, message):
    # Both exited 1 (a failed check); an option to give or fix is a usage error (2), as README's table says.
    src = tmp_path / name
    src.write_text("front,back,front_ko,back_ko\nQ,A,질문,답\n", encoding="utf-8")
    assert main(["pack", "import", str(src), "-o", str(tmp_path / "out"), *options]) == ExitCode.USAGE
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
