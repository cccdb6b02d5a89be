"""Every diagnostic names the dotted path it concerns (`file:line:col: path: message`), unless it is about a whole file."""

from __future__ import annotations

import pytest

from studyml.content.yamlsafe import path_at
from tests.content.packutil import card, item, make_pack, messages
from tests.content.test_malformed_packs import CASES as MALFORMED
from tests.content.test_malformed_templates import CASES as TEMPLATES

GOLDEN: dict[str, tuple[dict, list[str]]] = {
    "yaml-syntax": (
        {"cards/basics.yaml": "- id: c1\n  title: {en: T, ko: [\n"},
        [
            "demo-pack/cards/basics.yaml:3:1: cards[0].title.ko: YAML syntax: while parsing a flow node did not find expected node content"
        ],
    ),
    "yaml-syntax-bad-indent": (
        {"cards/basics.yaml": card() + "- id: c2\n  title: {en: T, ko: T}\n   front: {en: F, ko: F}\n"},
        [
            "demo-pack/cards/basics.yaml:8:4: cards[1].title: YAML syntax: while parsing a block mapping did not find "
            "expected key; check this line's indentation: the keys of one entry line up under each other, and a key's "
            "own keys are indented under it by the same number of spaces"
        ],
    ),
    # A pack author's slips: each said where and what to do (all four had the quoting hint, or none, or the end of
    # the file as their place).
    "keys-indented-apart": (
        {
            "cards/basics.yaml": "- id: c2\n  title: {en: T, ko: T}\n  front:\n   en: F\n    ko: G\n  back: {en: B, ko: B}\n"
        },
        [
            "demo-pack/cards/basics.yaml:5:7: cards[0].front.en: YAML syntax: mapping values are not allowed in this "
            "context; check this line's indentation: the keys of one entry line up under each other, and a key's own "
            "keys are indented under it by the same number of spaces"
        ],
    ),
    "no-space-after-a-colon": (
        {"cards/basics.yaml": "- id:c2\n  title: {en: T, ko: T}\n  front: {en: F, ko: F}\n  back: {en: B, ko: B}\n"},
        [
            "demo-pack/cards/basics.yaml:2:8: cards[0]: YAML syntax: mapping values are not allowed in this context; "
            "the line above has no space after its ':' ('- id:c2'): a key needs one ('id: relu')"
        ],
    ),
    "a-quote-never-closed": (
        {"cards/basics.yaml": "- id: c2\n  title: 'T\n  front: {en: F, ko: F}\n  back: {en: B, ko: B}\n"},
        [
            "demo-pack/cards/basics.yaml:2:10: cards[0].title: YAML syntax: a quoted text starts here and is not "
            "closed; close it with the same quote (inside '…', write ' twice)"
        ],
    ),
    "a-quote-closed-before-its-text-ends": (  # was told to check its indentation
        {
            "cards/basics.yaml": "- id: c2\n  title: {en: T, ko: T}\n  front:\n    en: 'don't panic'\n    ko: F\n  back: {en: B, ko: B}\n"
        },
        [
            "demo-pack/cards/basics.yaml:4:14: cards[0].front.en: YAML syntax: while parsing a block mapping did not "
            "find expected key; a quoted text ends at its next quote, and more follows it on this line: inside '…' "
            "write ' twice (don''t), inside \"…\" write \\\" (or quote the text with the other kind)"
        ],
    ),
    "a-backslash-in-double-quotes": (
        {
            "cards/basics.yaml": '- id: c2\n  title: {en: T, ko: T}\n  front: {en: "the \\sigma", ko: F}\n  back: {en: B, ko: B}\n'
        },
        [
            'demo-pack/cards/basics.yaml:3:15: cards[0].front.en: YAML syntax: in the text that starts here in "…", a '
            "backslash (line 3) starts no escape YAML knows: write the text in single quotes ('\\frac…'), or each "
            "backslash twice; if its closing quote is missing, add it"
        ],
    ),
    # LaTeX in "…": YAML reads `\frac` as a form feed and "rac", `\nabla` as a new line and "abla"; the text was
    # shown broken without a word.
    "latex-read-as-an-escape-in-double-quotes": (
        {
            "cards/basics.yaml": '- id: c2\n  title: {en: T, ko: T}\n  front: {en: "$\\frac{1}{2}$", ko: F}\n  back: {en: B, ko: B}\n'
        },
        [
            "demo-pack/cards/basics.yaml:3:17: cards[0].front.en: YAML syntax: '\\frac' inside \"…\" is read as a form "
            "feed then 'rac', not as written: write the text in single quotes ('…'), or the backslash twice (\\\\frac)"
        ],
    ),
    "latex-command-after-n-in-double-quotes": (
        {
            "cards/basics.yaml": '- id: c2\n  title: {en: T, ko: T}\n  front: {en: F, ko: F}\n  back:\n    en: "line\\n$\\nabla f$"\n    ko: B\n'
        },
        [
            "demo-pack/cards/basics.yaml:5:17: cards[0].back.en: YAML syntax: '\\nabla' inside \"…\" is read as a new "
            "line then 'abla', not as written: write the text in single quotes ('…'), or the backslash twice (\\\\nabla)"
        ],
    ),
    "invalid-utf8": (
        {"cards/basics.yaml": card().encode("utf-8").replace("제목".encode(), b"\xff\xfe")},
        ["demo-pack/cards/basics.yaml:2:22: cards[0].title.ko: invalid UTF-8 (byte 0xff); save the file as UTF-8"],
    ),
    "object-tag": (
        {"cards/basics.yaml": card().replace("front: {en: F", "front: {en: !!python/name:os.system F")},
        [
            "demo-pack/cards/basics.yaml:3:15: cards[0].front.en: tag !!python/name:os.system is not allowed: packs hold only plain strings, numbers, booleans, lists and mappings"
        ],
    ),
    "duplicate-key": (
        {"cards/basics.yaml": card().replace("  tags", "  id: again\n  tags") + "  id: c2\n"},
        ["demo-pack/cards/basics.yaml:6:3: cards[0].id: duplicate key 'id'"],
    ),
    "comma-in-flow-mapping": (
        {"cards/basics.yaml": card().replace("back: {en: B, ko: 뒤}", "back: {en: max(0, x), ko: max(0, x)}")},
        [
            "demo-pack/cards/basics.yaml:4:36: cards[0].back.x): duplicate key 'x)' — inside { }, a comma separates entries: "
            "put text with commas in quotes, e.g. {en: 'a, b'}"
        ],
    ),
    "merge-key": (
        {
            "cards/basics.yaml": "- &base\n  id: sigmoid\n  title: {en: T, ko: 제목}\n  front: {en: F, ko: 앞}\n  back: {en: B, ko: 뒤}\n- <<: *base\n  id: c2\n"
        },
        [
            "demo-pack/cards/basics.yaml:6:3: cards[1].<<: merge keys (<<) are not supported in packs; write the keys out"
        ],
    ),
    "mapping-key-not-text": (
        {
            "pack.yaml": "id: p\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\nlicense: MIT\nauthors: [A]\nnotes:\n  ? [a, b]\n  : {en: N, ko: N}\n"
        },
        ["demo-pack/pack.yaml:8:5: notes: a mapping key must be a plain string"],
    ),
    "integer-too-long": (
        {"quizzes/basics.yaml": item("numeric", "  answer: -" + "9" * 50 + "\n  tolerance: {abs: 0}\n")},
        [
            "demo-pack/quizzes/basics.yaml:6:11: quizzes[0].answer: integer -99999999999…999999 (50 digits) is "
            "longer than 40 digits or malformed; a text must be in quotes"
        ],
    ),
    "integer-of-40-digits-with-a-sign": (  # refused as 41 digits: the sign was counted
        {"quizzes/basics.yaml": item("numeric", "  answer: -" + "9" * 40 + "\n  tolerance: {abs: 0}\n")},
        [],
    ),
    "alias-bomb": (
        {
            "pack.yaml": "id: p\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\nlicense: MIT\nauthors: [A]\nx:\n"
            "  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            + "".join(f"  {chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
        },
        None,  # the node where the budget runs out depends on the order of expansion; the path must start at x
    ),
    "cards-file-not-list": (
        {"cards/basics.yaml": "id: c1\n"},
        ["demo-pack/cards/basics.yaml:1:1: cards: a file in cards/ must be a YAML list (each entry starts with '- ')"],
    ),
    "card-missing-front": (
        {"cards/basics.yaml": card().replace("  front: {en: F, ko: 앞}\n", "")},
        ["demo-pack/cards/basics.yaml:1:3: cards[0].front: missing required key 'front'"],
    ),
    "manifest-missing-key": (
        {"pack.yaml": "id: p\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\nauthors: [A]\n"},
        ["demo-pack/pack.yaml:1:1: license: missing required key 'license'"],
    ),
    "source-missing-key": (
        {"cards/basics.yaml": card().replace("sources: [{ref: R}]", "sources: [{ref: R}, {url: 'https://x'}]")},
        ["demo-pack/cards/basics.yaml:5:23: cards[0].sources[1]: a source needs `note` or `ref`"],
    ),
    "item-missing-kind": (
        {
            "quizzes/basics.yaml": "- id: q1\n  card: sigmoid\n  prompt: {en: P, ko: 문제}\n  explanation: {en: E, ko: 해설}\n"
        },
        [
            "demo-pack/quizzes/basics.yaml:1:3: quizzes[0].kind: missing required key 'kind' (one of choice, multi, order, numeric, text, expr)"
        ],
    ),
    "too-few-choices": (
        {"quizzes/basics.yaml": item("choice", "  choices: {a: {en: A, ko: 가}}\n  answer: a\n")},
        [
            "demo-pack/quizzes/basics.yaml:6:12: quizzes[0].choices: `choices` needs at least 2 entries, it has 1; "
            "add choices or use another kind of item"
        ],
    ),
    "text-answers-empty": (  # "needs at least 1 entries"
        {"quizzes/basics.yaml": item("text", "  answers: {}\n")},
        ["demo-pack/quizzes/basics.yaml:6:12: quizzes[0].answers: `answers` needs at least 1 entry, it has 0"],
    ),
    "unquoted-colon-in-a-text": (  # the trap docs/packs.md describes: the message now says what to do
        {
            "cards/basics.yaml": card().replace(
                "front: {en: F, ko: 앞}", "front:\n    en: Range: what is it?\n    ko: 앞"
            )
        },
        [
            "demo-pack/cards/basics.yaml:4:14: cards[0].front.en: YAML syntax: mapping values are not allowed in this context; "
            "a text that holds ': ' must be in quotes ('…')"
        ],
    ),
    "too-few-steps": (
        {"quizzes/basics.yaml": item("order", "  steps: [{en: A, ko: 가}]\n")},
        [
            "demo-pack/quizzes/basics.yaml:6:10: quizzes[0].steps: `steps` needs at least 2 entries, it has 1; "
            "add steps or use another kind of item"
        ],
    ),
    "manifest-title-missing-a-language": (
        {
            "pack.yaml": "id: p\nversion: 1.0.0\ntitle: {en: T}\ndescription: {ko: 설명}\nlanguages: [en, ko]\nlicense: MIT\nauthors: [A]\n"
        },
        [
            "demo-pack/pack.yaml:3:8: title: missing the 'ko' text (the manifest lists languages en, ko)",
            "demo-pack/pack.yaml:4:14: description: missing the 'en' text (the manifest lists languages en, ko)",
        ],
    ),
    "text-too-long": (
        {"cards/basics.yaml": card().replace("back: {en: B,", "back: {en: " + "b" * 20_001 + ",")},
        ["demo-pack/cards/basics.yaml:4:14: cards[0].back.en: string should have at most 20000 characters"],
    ),
}

MANIFEST = "id: p\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\nlicense: MIT\nauthors: [A]\n"
CHOICE = "  choices: {a: {en: A, ko: 가}, b: {en: B, ko: 나}}\n  answer: a\n"
NUMERIC = "  answer: 0.25\n  tolerance: {abs: 0.1}\n"

# One pack per remaining kind of rejection (the exact messages of most are in the golden tests elsewhere).
OTHER_KINDS: dict[str, dict] = {
    "see-also-self": {"cards/basics.yaml": card(see_also="[sigmoid]")},
    "note-without-title": {
        "pack.yaml": MANIFEST + "notes: {a.txt: {en: A, ko: 가}}\n",
        "cards/basics.yaml": card().replace("sources: [{ref: R}]", "sources: [{note: b.txt}]"),
    },
    "no-sources": {"cards/basics.yaml": card().replace("  sources: [{ref: R}]\n", "")},
    "language-not-in-manifest": {
        "cards/basics.yaml": card().replace("front: {en: F, ko: 앞}", "front: {en: F, ko: 앞, fr: F}")
    },
    "unknown-required-plugin": {"pack.yaml": MANIFEST + "requires: {plugins: [nope]}\n"},
    "multi-answer-twice": {
        "quizzes/basics.yaml": item("multi", "  choices: {a: {en: A, ko: 가}, b: {en: B, ko: 나}}\n  answers: [a, a]\n")
    },
    "why-not-a-choice": {"quizzes/basics.yaml": item("choice", CHOICE + "  why: {z: {en: Z, ko: 지}}\n")},
    "letter-reference": {
        "quizzes/basics.yaml": item("choice", CHOICE).replace(
            "explanation: {en: E,", "explanation: {en: '(b) is wrong',"
        )
    },
    "formula-tolerance-without-params": {
        "quizzes/basics.yaml": item("numeric", "  answer: 0.25\n  tolerance: {abs: 'n/2'}\n")
    },
    "answer-not-finite": {"quizzes/basics.yaml": item("numeric", "  answer: .nan\n  tolerance: {abs: 0.1}\n")},
    "symbol-twice": {"quizzes/basics.yaml": item("expr", "  symbols: [x, x]\n  answer: x\n")},
    "sort-by-on-choice": {"quizzes/basics.yaml": item("choice", CHOICE + "  sort_by: ['1']\n")},
    "sort-by-without-params": {
        "quizzes/basics.yaml": item("order", "  steps: [{en: A, ko: 가}, {en: B, ko: 나}]\n  sort_by: ['1', '2']\n")
    },
    "misconception-choice": {
        "quizzes/basics.yaml": item("choice", CHOICE + "  misconceptions: [{choice: z, feedback: {en: F, ko: 에프}}]\n")
    },
    "misconception-formula-without-params": {
        "quizzes/basics.yaml": item(
            "numeric", NUMERIC + "  misconceptions: [{value: 'n', feedback: {en: F, ko: 에프}}]\n"
        )
    },
    "check-without-params": {"quizzes/basics.yaml": item("numeric", NUMERIC + "  check: {plugin: p, id: c}\n")},
    "verify-needs-one": {"quizzes/basics.yaml": item("numeric", NUMERIC + "  verify: {demo: dead-relu}\n")},
    "too-many-hints": {
        "quizzes/basics.yaml": item(
            "numeric", NUMERIC + "  hints: [{en: a, ko: 가}, {en: b, ko: 나}, {en: c, ko: 다}, {en: d, ko: 라}]\n"
        )
    },
    "languages-twice": {"pack.yaml": MANIFEST.replace("[en, ko]", "[en, ko, en]")},
    "bad-specifier": {"pack.yaml": MANIFEST + "requires: {studyml: '>>1'}\n"},
    "bad-license": {"pack.yaml": MANIFEST.replace("MIT", "my own licence")},
    "bad-language-code": {"pack.yaml": MANIFEST.replace("[en, ko]", "[en, Korean]")},
    "misconception-needs-one": {
        "quizzes/basics.yaml": item("numeric", NUMERIC + "  misconceptions: [{feedback: {en: F, ko: 에프}}]\n")
    },
    "hints-wrong-type": {"quizzes/basics.yaml": item("numeric", NUMERIC + "  hints: just one\n")},
}


# Problems with a whole file (or folder) have no path inside it: these messages are the only ones without one.
WHOLE_FILE = (
    "missing pack.yaml",
    "pack.yaml must be a mapping",
    "symbolic links are not followed",
    "ignored: only .yaml",
    "not read: pack files end in .yaml",
    "cannot read:",
    "file is ",
    "not a folder",
)


@pytest.mark.parametrize("case", sorted(GOLDEN))
def test_diagnostic_names_its_path(case, tmp_path):
    files, expected = GOLDEN[case]
    got = messages(make_pack(tmp_path, files), known_demos={"dead-relu", "weight-init"})
    if expected is None:
        assert len(got) == 1 and got[0].startswith("demo-pack/pack.yaml:") and ": x." in got[0], got
    else:
        assert got == expected


ALL_KINDS = {
    **{f"malformed:{k}": v[0] for k, v in MALFORMED.items()},
    **{f"golden:{k}": v[0] for k, v in GOLDEN.items()},
    **{f"other:{k}": v for k, v in OTHER_KINDS.items()},
    **{f"template:{k}": {"quizzes/basics.yaml": v[0]} for k, v in TEMPLATES.items()},
}


def dotted_path(line: str) -> str:
    """The path of one printed diagnostic, '' when it has none."""
    rest = line.split(":", 3)[3].strip()
    head = rest.split(": ", 1)[0]
    return head if " " not in head and not head.startswith("warning") else ""


@pytest.mark.parametrize("case", sorted(ALL_KINDS))
def test_every_diagnostic_has_a_path_unless_it_is_about_a_whole_file(case, tmp_path):
    got = messages(make_pack(tmp_path, ALL_KINDS[case]), known_demos={"dead-relu", "weight-init"})
    if case.startswith("other:"):
        assert got, "this pack should draw a diagnostic"
    for line in got:
        if not any(w in line for w in WHOLE_FILE):
            assert dotted_path(line), f"no dotted path in: {line}"


@pytest.mark.parametrize(
    "text, line, col, path",
    [
        ("a: 1\nb: [x, {c: [", 3, 1, ("b", 1, "c")),
        ("- id: c1\n  title: {en: T}\n- id: c2\n  front: x\n", 4, 10, (1, "front")),
        ("a:\n  b: 1\n  c:\n    - 1\n    - 2\n", 5, 7, ("a", "c", 1)),
        ("k: v\n", 1, 1, ("k",)),
    ],
)
def test_path_at_position(text, line, col, path):
    assert path_at(text, line, col) == path
