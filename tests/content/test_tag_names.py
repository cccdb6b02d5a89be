"""Tag names in pack.yaml (`tags: {id: {en, ko}}`): validated at file:line:col, in the schema, filled in the built-in pack."""

from __future__ import annotations

import json

import pytest

from studyml.content.loader import load_pack
from studyml.paths import builtin_content_dir
from tests.content.packutil import card, make_pack, messages, run

MANIFEST = """\
id: demo-pack
version: 0.1.0
title: {{en: T, ko: 제목}}
languages: [en, ko]
license: CC-BY-4.0
authors: [A]
{tags}"""


def _pack(tmp_path, tags: str, card_tags: str = "[cnn, batch-norm]"):
    return make_pack(
        tmp_path,
        {
            "pack.yaml": MANIFEST.format(tags=tags),
            "cards/basics.yaml": card(tags=card_tags),
            "quizzes/basics.yaml": "[]",
        },
    )


def _tag_messages(root) -> list[str]:
    return [m for m in messages(root) if "tag" in m and "holds no quiz items" not in m]


def test_named_tags_load_and_are_shown_by_name(tmp_path):
    root = _pack(
        tmp_path, "tags:\n  cnn: {en: CNN, ko: 합성곱 신경망}\n  batch-norm: {en: batch norm, ko: 배치 정규화}\n"
    )
    assert _tag_messages(root) == []
    pack = load_pack(root).pack
    assert pack.tag_name("cnn", "ko") == "합성곱 신경망" and pack.tag_name("cnn", "en") == "CNN"
    assert pack.tag_name("other", "ko") == "other"  # no name: the id


def test_a_used_tag_without_names_is_a_warning_at_its_first_use(tmp_path):
    root = _pack(tmp_path, "tags:\n  cnn: {en: CNN, ko: 합성곱 신경망}\n")
    assert _tag_messages(root) == [
        "demo-pack/cards/basics.yaml:6:15: cards[0].tags[1]: warning: tag 'batch-norm' has no name in 'en', 'ko', "
        "so learners read the id there; add it under `tags:` in pack.yaml (batch-norm: {en: ..., ko: ...})"
    ]


def test_a_pack_without_a_tags_mapping_is_told_about_every_tag(tmp_path):
    root = _pack(tmp_path, "")
    assert len(_tag_messages(root)) == 2


def test_a_name_missing_korean_is_a_warning_where_the_name_is(tmp_path):
    root = _pack(tmp_path, "tags:\n  cnn: {en: CNN, ko: 합성곱 신경망}\n  batch-norm: {en: batch norm}\n")
    assert _tag_messages(root) == [
        "demo-pack/pack.yaml:9:15: tags.batch-norm: warning: tag 'batch-norm' has no name in 'ko', so learners "
        "read the id there; add it under `tags:` in pack.yaml (batch-norm: {en: ..., ko: ...})"
    ]


def test_a_name_for_a_tag_nothing_uses_is_a_warning(tmp_path):
    root = _pack(
        tmp_path,
        "tags:\n  cnn: {en: CNN, ko: 합성곱 신경망}\n  batch-norm: {en: b, ko: 배치}\n  batchnorm: {en: b, ko: 배치}\n",
    )
    assert _tag_messages(root) == [
        "demo-pack/pack.yaml:10:3: tags.batchnorm: warning: no card or quiz item has the tag 'batchnorm': "
        "remove its name or fix the id; did you mean 'batch-norm'?"
    ]


def test_a_card_with_an_error_still_uses_its_tags(tmp_path):
    # A typo elsewhere in the card (here `x-sources`) left it out of the tag count, and every name in pack.yaml
    # was reported as unused: false warnings that `--strict` turned into errors next to the real one.
    root = make_pack(
        tmp_path,
        {
            "pack.yaml": MANIFEST.format(tags="tags:\n  cnn: {en: CNN, ko: 합성곱 신경망}\n"),
            "cards/basics.yaml": card(tags="[cnn]").replace("  sources:", "  x-sources:"),
            "quizzes/basics.yaml": "[]",
        },
    )
    got = [m for m in messages(root) if "holds no quiz items" not in m]
    assert len(got) == 1 and "unknown key 'x-sources'" in got[0]
    # A tag named in pack.yaml that is on no entry at all is still reported.
    (root / "cards" / "basics.yaml").write_text(card(tags="[rnn]").replace("  sources:", "  x-sources:"))
    assert any("no card or quiz item has the tag 'cnn'" in m for m in messages(root))


def test_a_name_in_a_language_the_pack_does_not_list_is_a_warning(tmp_path):
    root = _pack(tmp_path, "tags:\n  cnn: {en: CNN, ko: 합성곱, fr: RNC}\n  batch-norm: {en: b, ko: 배치}\n")
    assert _tag_messages(root) == [
        "demo-pack/pack.yaml:8:27: tags.cnn.fr: warning: language 'fr' is not in the manifest's languages (en, ko)"
    ]


@pytest.mark.parametrize(
    "tags, expected",
    [
        (
            "tags:\n  CNN: {en: CNN, ko: 합성곱}\n",
            "demo-pack/pack.yaml:8:3: tags.CNN: 'CNN' is not a valid id: use lowercase letters and digits, words "
            "joined by a single '-', starting with a letter (no '-' at the end), e.g. 'cnn'",
        ),
        (
            "tags:\n  cnn: {en: '', ko: 합성곱}\n",
            "demo-pack/pack.yaml:8:13: tags.cnn.en: string should have at least 1",
        ),
        (
            "tags:\n  cnn: {en: " + "x" * 81 + ", ko: 합성곱}\n",
            "demo-pack/pack.yaml:8:13: tags.cnn.en: string should have at most 80",
        ),
        ("tags:\n  cnn: CNN\n", "demo-pack/pack.yaml:8:8: tags.cnn: expected a mapping, got text 'CNN'"),
    ],
    ids=["bad-id", "empty-name", "long-name", "not-a-mapping"],
)
def test_bad_names_are_errors_with_their_place(tmp_path, tags, expected):
    root = _pack(tmp_path, tags, card_tags="[cnn]")
    errors = [m for m in messages(root) if "warning" not in m]
    assert len(errors) == 1 and errors[0].startswith(expected), errors
    assert load_pack(root).pack is None


def test_strict_makes_an_unnamed_tag_an_error(tmp_path, capsys):
    root = _pack(tmp_path, "tags:\n  cnn: {en: CNN, ko: 합성곱 신경망}\n  batch-norm: {en: b}\n")
    assert run(capsys, "pack", "validate", str(root))[0] == 0
    code, out, _ = run(capsys, "pack", "validate", "--strict", str(root))
    assert code == 1 and "tags.batch-norm" in out and "INVALID" in out


def test_the_schema_describes_tag_names(tmp_path, capsys):
    assert run(capsys, "pack", "schema", "--out", str(tmp_path / "s"))[0] == 0
    schema = json.loads((tmp_path / "s" / "pack.schema.json").read_text())
    tags = schema["properties"]["tags"]
    assert "name learners see for each tag" in tags["description"]
    assert "tags" not in schema.get("required", [])


def test_every_tag_of_the_builtin_pack_has_an_english_and_a_korean_name():
    result = load_pack(builtin_content_dir() / "ml-foundations", cache=False)
    assert result.pack is not None
    used = {t for c in result.pack.cards for t in c.tags} | {t for i in result.pack.items for t in i.tags}
    names = result.pack.manifest.tags
    assert used == set(names)
    assert all(set(names[t]) == {"en", "ko"} for t in used)
    assert [str(d) for d in result.diagnostics if "tag" in d.message] == []
    assert result.pack.tag_name("batch-norm", "ko") == "배치 정규화"
