"""Golden tests: the exact messages an author sees for malformed packs."""

from __future__ import annotations

import pytest

from tests.content.packutil import card, item, make_pack, messages

CHOICE = "  choices: {a: {en: A, ko: 가}, b: {en: B, ko: 나}}\n  answer: a\n"

CASES: dict[str, tuple[dict, list[str]]] = {
    "missing-manifest": (
        {"pack.yaml": None},
        [
            "demo-pack/pack.yaml:1:1: missing pack.yaml; write one here (its keys are in docs/packs.md), or copy the one `studyml pack new NEW-DIR` writes in a new folder"
        ],
    ),
    "manifest-not-mapping": (
        {"pack.yaml": "- id: x\n"},
        ["demo-pack/pack.yaml:1:1: pack.yaml must be a mapping of keys such as id, version, title"],
    ),
    "bad-pack-id": (
        {
            "pack.yaml": "id: My Pack\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\nlicense: MIT\nauthors: [A]\n"
        },
        [
            "demo-pack/pack.yaml:1:5: id: 'My Pack' is not a valid id: use lowercase letters and digits, words joined by "
            "a single '-', starting with a letter (no '-' at the end), e.g. 'my-pack'"
        ],
    ),
    "pack-id-with-two-hyphens": (
        {
            "pack.yaml": "id: a--b\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\nlicense: MIT\nauthors: [A]\n"
        },
        [
            "demo-pack/pack.yaml:1:5: id: 'a--b' is not a valid id: use lowercase letters and digits, words joined by "
            "a single '-', starting with a letter (no '-' at the end), e.g. 'a-b'"
        ],
    ),
    "language-code-with-a-digit": (
        {
            "pack.yaml": "id: p\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko, en-1]\nlicense: MIT\n"
            "authors: [A]\n"
        },
        ["demo-pack/pack.yaml:4:21: languages[2]: 'en-1' is not a language code such as 'en' or 'ko'"],
    ),
    "bad-semver": (
        {
            "pack.yaml": "id: p\nversion: '1.0'\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\nlicense: MIT\nauthors: [A]\n"
        },
        ["demo-pack/pack.yaml:2:10: version: '1.0' is not a semantic version such as 1.0.0"],
    ),
    "bad-expr-symbol": (
        {"quizzes/basics.yaml": item("expr", "  symbols: [x, 2y]\n  answer: x\n")},
        [
            "demo-pack/quizzes/basics.yaml:6:16: quizzes[0].symbols[1]: '2y' is not a valid name: a letter, then "
            "letters, digits or '_'; at most 32 characters"
        ],
    ),
    "bad-choice-key": (
        {
            "quizzes/basics.yaml": item(
                "choice", "  choices: {a: {en: A, ko: 가}, bbbbbbbbbbbbbbbbb: {en: B, ko: 나}}\n  answer: a\n"
            )
        },
        [
            "demo-pack/quizzes/basics.yaml:6:32: quizzes[0].choices.bbbbbbbbbbbbbbbbb: 'bbbbbbbbbbbbbbbbb' is not a valid choice key: 1 to 16 "
            "of A-Z, a-z, 0-9, '_' and '-'"
        ],
    ),
    "a-bare-number-for-the-tolerance": (
        {"quizzes/basics.yaml": item("numeric", "  answer: 1\n  tolerance: 0.1\n  unit: pixels\n")},
        [
            "demo-pack/quizzes/basics.yaml:7:14: quizzes[0].tolerance: expected a mapping, got the number 0.1 — write "
            "{abs: 0.1} (an absolute margin) or {rel: 0.1} (a fraction of the answer)",
            "demo-pack/quizzes/basics.yaml:8:9: quizzes[0].unit: expected a mapping, got text 'pixels' — write one "
            "text per language, e.g. {en: pixels, ko: ...}",
        ],
    ),
    "misconception-names-the-key": (
        {
            "quizzes/basics.yaml": item(
                "choice", CHOICE + "  misconceptions:\n    - choice: a\n      feedback: {en: F, ko: 피드백}\n"
            )
        },
        [
            "demo-pack/quizzes/basics.yaml:9:15: quizzes[0].misconceptions[0].choice: 'a' is a right answer: a "
            "misconception names a wrong option"
        ],
    ),
    "misconception-the-key-accepts": (
        {
            "quizzes/basics.yaml": item(
                "numeric",
                "  answer: 3\n  tolerance: {abs: 0.5}\n  misconceptions:\n    - value: 3.2\n"
                "      feedback: {en: F, ko: 피드백}\n    - value: 6\n      feedback: {en: F, ko: 피드백}\n",
            )
        },
        [
            "demo-pack/quizzes/basics.yaml:9:14: quizzes[0].misconceptions[0].value: the key accepts 3.2 (within the "
            "tolerance of the answer 3): a misconception is a wrong answer, and its feedback would never show"
        ],
    ),
    "misconception-beside-a-formula-tolerance": (  # the check of the misconception against the key crashed
        {
            "quizzes/basics.yaml": item(
                "numeric",
                "  answer: 0.5\n  tolerance: {abs: 'x/100'}\n  misconceptions:\n    - value: 0.45\n"
                "      feedback: {en: F, ko: 피드백}\n",
            )
        },
        [
            "demo-pack/quizzes/basics.yaml:7:14: quizzes[0].tolerance: a formula tolerance needs `params`; write a number"
        ],
    ),
    "misconception-where-none-is-matched": (
        {
            "quizzes/basics.yaml": item(
                "text",
                "  answers: {en: [x], ko: [x]}\n  misconceptions:\n    - value: 3\n      feedback: {en: F, ko: 피드백}\n",
            )
            + item(
                "expr",
                "  symbols: [x]\n  answer: x\n  misconceptions:\n    - choice: a\n      feedback: {en: F, ko: 피드백}\n",
                id="q2",
            )
        },
        [
            "demo-pack/quizzes/basics.yaml:8:14: quizzes[0].misconceptions[0].value: a misconception `value` is matched "
            "on numeric items only, not text: say it in the explanation",
            "demo-pack/quizzes/basics.yaml:18:15: quizzes[1].misconceptions[0].choice: a misconception `choice` is for "
            "choice and multi items, not expr",
        ],
    ),
    "a-name-listed-twice": (
        {"quizzes/basics.yaml": item("expr", "  symbols: [x, w, x]\n  signed: [w, w]\n  answer: w*x\n")},
        [
            "demo-pack/quizzes/basics.yaml:6:12: quizzes[0].symbols: 'x' is listed twice",
            "demo-pack/quizzes/basics.yaml:7:11: quizzes[0].signed: 'w' is listed twice",
        ],
    ),
    "korea-for-korean": (  # a country code for the language: named the languages, not the slip
        {"cards/basics.yaml": card().replace("title: {en: T, ko: 제목}", "title: {en: T, ko: 제목, kr: 제목}")},
        [
            "demo-pack/cards/basics.yaml:2:26: cards[0].title.kr: warning: language 'kr' is not in the manifest's "
            "languages (en, ko); did you mean 'ko'?"
        ],
    ),
    "license-not-spdx": (
        {
            "pack.yaml": "id: demo-pack\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\n"
            "license: MIT-ish\nauthors: [A]\n"
        },
        [
            "demo-pack/pack.yaml:5:10: license: warning: 'MIT-ish' is not an SPDX license expression (Unknown "
            "license: 'mit-ish'); write one such as CC-BY-4.0, MIT or Apache-2.0 (the list: spdx.org/licenses)"
        ],
    ),
    "expr-signed-not-a-symbol": (
        {"quizzes/basics.yaml": item("expr", "  symbols: [x, w]\n  signed: [x, b]\n  answer: w*x\n")},
        ["demo-pack/quizzes/basics.yaml:7:15: quizzes[0].signed[1]: 'b' is not one of the item's `symbols`"],
    ),
    "expr-ranges": (
        {
            "quizzes/basics.yaml": item(
                "expr",
                "  symbols: [p, q, r, s, t]\n  signed: [t]\n"
                "  ranges: {p: [1, 0], z: [0, 1], q: [-2, -1], t: [0, 5], r: [0, .inf]}\n  answer: p*q*r*s*t\n",
            )
        },
        [
            "demo-pack/quizzes/basics.yaml:8:15: quizzes[0].ranges.p: the range's low end 1 must be below its high end "
            "0: write [0, 1]",
            "demo-pack/quizzes/basics.yaml:8:26: quizzes[0].ranges.z: 'z' is not one of the item's `symbols` (they "
            "are: p, q, r, s, t); add it to `symbols` or remove its range",
            "demo-pack/quizzes/basics.yaml:8:37: quizzes[0].ranges.q: the range [-2, -1] has no positive values; "
            "symbols are checked as positive: use a symbol for its opposite (write -q in the key) with the range [1, 2]",
            "demo-pack/quizzes/basics.yaml:8:50: quizzes[0].ranges.t: 't' is `signed` but its range [0, 5] has no "
            "negative values: take it out of `signed`, or widen the range below 0",
            "demo-pack/quizzes/basics.yaml:8:61: quizzes[0].ranges.r: a range is two finite numbers [low, high], got "
            "[0, inf]",
        ],
    ),
    "expr-range-not-two-numbers-or-a-symbol-misspelled": (
        {
            "quizzes/basics.yaml": item(
                "expr", "  symbols: [p, rho]\n  ranges: {p: [1], Rho: [-1, 1]}\n  answer: p*rho\n"
            )
        },
        [
            "demo-pack/quizzes/basics.yaml:7:15: quizzes[0].ranges.p: a range is two numbers [low, high], got [1]",
            "demo-pack/quizzes/basics.yaml:7:25: quizzes[0].ranges.Rho: 'Rho' is not one of the item's `symbols`; did "
            "you mean 'rho'? (they are: p, rho); add it to `symbols` or remove its range",
        ],
    ),
    "a-key-of-another-kind": (  # "unknown key 'ranges'; did you mean 'tags'?"
        {
            "quizzes/basics.yaml": item(
                "numeric", "  answer: 0.5\n  tolerance: {abs: 0.01}\n  ranges: {p: [0, 1]}\n  steps: [a, b]\n"
            )
        },
        [
            "demo-pack/quizzes/basics.yaml:8:3: quizzes[0].ranges: `ranges` is for expr items, not numeric",
            "demo-pack/quizzes/basics.yaml:9:3: quizzes[0].steps: `steps` is for order items, not numeric",
        ],
    ),
    "a-name-given-twice-in-braces": (  # it said "inside { }, a comma separates entries: put text … in quotes"
        {"quizzes/basics.yaml": item("expr", "  symbols: [p]\n  ranges: {p: [0, 1], p: [0, 2]}\n  answer: p\n")},
        ["demo-pack/quizzes/basics.yaml:7:23: quizzes[0].ranges.p: duplicate key 'p'"],
    ),
    "expr-key-undefined-across-its-ranges": (  # every answer was graded wrong, and --strict said nothing
        {"quizzes/basics.yaml": item("expr", "  symbols: [p]\n  ranges: {p: [1.5, 3]}\n  answer: log(p/(1 - p))\n")},
        [
            "demo-pack/quizzes/basics.yaml:7:11: quizzes[0].ranges: the answer 'log(p/(1 - p))' has no value at 12 of "
            "the 12 points in these ranges (e.g. at p=2.34), and answers are compared where it has one: narrow the "
            "ranges to where it is defined",
        ],
    ),
    "expr-symbol-shadows-a-constant": (
        {"quizzes/basics.yaml": item("expr", "  symbols: [e, lam]\n  answer: e*lam\n")},
        [
            "demo-pack/quizzes/basics.yaml:6:13: quizzes[0].symbols[0]: symbol 'e' shadows the math constant 'e'; rename it"
        ],
    ),
    "tab-indentation": (
        {"cards/basics.yaml": "- id: sigmoid\n\ttitle: {en: T, ko: 제목}\n"},
        [
            # The entry the line is in, not the value read last before it (it said cards[0].id)
            "demo-pack/cards/basics.yaml:2:1: cards[0]: YAML syntax: while scanning a plain scalar found a tab "
            "character that violates indentation; indent with spaces: YAML does not allow tabs there"
        ],
    ),
    "tab-before-a-key-after-a-nested-text": (  # said quizzes[0].prompt.ko
        {"quizzes/basics.yaml": "- id: q1\n  card: sigmoid\n  prompt: {en: P, ko: 문제}\n\tsymbols: [x]\n"},
        [
            "demo-pack/quizzes/basics.yaml:4:1: quizzes[0]: YAML syntax: while scanning for the next token found "
            "character that cannot start any token; indent with spaces: YAML does not allow tabs there"
        ],
    ),
    "unquoted-placeholder-in-flow-text": (
        {"quizzes/basics.yaml": "- id: q1\n  card: sigmoid\n  explanation: {en: E {n}, ko: 이 {n}}\n"},
        [
            "demo-pack/quizzes/basics.yaml:3:23: quizzes[0].explanation.en: YAML syntax: while parsing a flow mapping "
            "did not find expected ',' or '}'; inside { } or [ ], quote a text that holds a placeholder such as {n} "
            "('E {n}')"
        ],
    ),
    "unquoted-colon-in-flow-text": (
        {"cards/basics.yaml": "- id: sigmoid\n  title: {en: Range: what is it?, ko: 제목}\n"},
        [
            "demo-pack/cards/basics.yaml:2:20: cards[0].title.en: YAML syntax: while parsing a flow mapping did not "
            "find expected ',' or '}'; inside { } or [ ], quote a text that holds ': ' or ',' ('…')"
        ],
    ),
    # Three slips of a first pack, each said with what to do (they read as parser errors or as the wrong problem):
    "unquoted-comma-in-flow-text": (
        {
            "cards/basics.yaml": "- id: sigmoid\n  title: {en: max(0, x), ko: 제목}\n  front: {en: F, ko: 앞}\n  back: {en: B, ko: 뒤}\n"
        },
        [
            "demo-pack/cards/basics.yaml:2:22: cards[0].title.x): 'x)' is not a language code such as 'en' or 'ko'; "
            "inside { }, a ',' ends a text: if this is the end of the text before it, quote that text ('…')"
        ],
    ),
    "markdown-bold-at-the-start": (
        {"cards/basics.yaml": "- id: sigmoid\n  title:\n    en: **ReLU** computes\n    ko: 제목\n"},
        [
            "demo-pack/cards/basics.yaml:3:10: cards[0].title.en: YAML syntax: while scanning an alias did not find "
            "expected alphabetic or numeric character; a text that starts with '*', '&', '!', '%', '@' or '`' must be "
            "in quotes ('**ReLU** …')"
        ],
    ),
    "hash-at-the-start": (
        {
            "cards/basics.yaml": "- id: sigmoid\n  title:\n    en: #1 What\n    ko: 제목\n  front: {en: F, ko: 앞}\n  back: {en: B, ko: 뒤}\n"
        },
        [
            "demo-pack/cards/basics.yaml:3:8: cards[0].title.en: expected text, got nothing (null) — write the text "
            "after the ':'; a text that starts with '#' must be in quotes ('#1 …')"
        ],
    ),
    "too-many-hints": (
        {
            "quizzes/basics.yaml": item(
                "numeric",
                "  answer: 1\n  tolerance: {abs: 0}\n"
                "  hints: [{en: a, ko: 가}, {en: b, ko: 나}, {en: c, ko: 다}, {en: d, ko: 라}]\n",
            )
        },
        ["demo-pack/quizzes/basics.yaml:8:10: quizzes[0].hints: `hints` needs at most 3 entries, it has 4"],
    ),
    "bad-licence": (
        {
            "pack.yaml": "id: p\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\n"
            "license: Creative Commons\nauthors: [A]\n"
        },
        [
            "demo-pack/pack.yaml:5:10: license: 'Creative Commons' is not an SPDX licence id such as CC-BY-4.0 or "
            "MIT (or 'MIT OR Apache-2.0')"
        ],
    ),
    "version-as-number": (
        {"pack.yaml": "id: p\nversion: 1.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\nlicense: MIT\nauthors: [A]\n"},
        [
            "demo-pack/pack.yaml:2:10: version: expected text, got the number 1.0 — write a semantic version in quotes, such as '1.0.0'"
        ],
    ),
    "unknown-key-in-a-list-entry": (  # was said without the keys allowed there
        {
            "cards/basics.yaml": "- id: sigmoid\n  title: {en: T, ko: 제목}\n  front: {en: F, ko: 앞}\n"
            "  back: {en: B, ko: 뒤}\n  sources:\n    - rf: Goodfellow et al. (2016)\n"
        },
        [
            "demo-pack/cards/basics.yaml:6:7: cards[0].sources[0].rf: unknown key 'rf'; did you mean 'ref'? (allowed "
            "here: note, ref, url)"
        ],
    ),
    "numeric-without-tolerance": (
        {"quizzes/basics.yaml": item("numeric", "  answer: 1\n")},
        [
            "demo-pack/quizzes/basics.yaml:1:3: quizzes[0].tolerance: missing required key 'tolerance' (how far from "
            "the answer still counts: `tolerance: {abs: 0.01}` or `tolerance: {rel: 0.05}`)"
        ],
    ),
    "unknown-manifest-key": (
        {
            "pack.yaml": "id: p\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\nlicense: MIT\nauthors: [A]\nauthor: [B]\n"
        },
        [
            "demo-pack/pack.yaml:7:1: author: unknown key 'author'; did you mean 'authors'? (allowed here: id, version, title, description, languages, license, authors, requires, notes, tags)"
        ],
    ),
    "missing-manifest-key": (
        {"pack.yaml": "id: p\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\nauthors: [A]\n"},
        ["demo-pack/pack.yaml:1:1: license: missing required key 'license'"],
    ),
    "needs-newer-studyml": (
        {
            "pack.yaml": "id: p\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\nlicense: MIT\nauthors: [A]\nrequires: {studyml: '>=99'}\n"
        },
        None,  # checked by substring below
    ),
    "cards-file-not-list": (
        {"cards/basics.yaml": "id: c1\n"},
        ["demo-pack/cards/basics.yaml:1:1: cards: a file in cards/ must be a YAML list (each entry starts with '- ')"],
    ),
    "card-title-plain-string": (
        {"cards/basics.yaml": card().replace("title: {en: T, ko: 제목}", "title: Just a title")},
        [
            "demo-pack/cards/basics.yaml:2:10: cards[0].title: expected a mapping, got text 'Just a title' — write one text per language, e.g. {en: ..., ko: ...}"
        ],
    ),
    "card-missing-korean": (
        {"cards/basics.yaml": card().replace("back: {en: B, ko: 뒤}", "back: {en: B}")},
        ["demo-pack/cards/basics.yaml:4:9: cards[0].back: missing the 'ko' text (the manifest lists languages en, ko)"],
    ),
    "card-unknown-key": (
        {"cards/basics.yaml": card(tag="[a]")},
        [
            "demo-pack/cards/basics.yaml:6:3: cards[0].tag: unknown key 'tag'; did you mean 'tags'? (allowed here: id, title, front, back, tags, demo, see_also, sources)"
        ],
    ),
    "card-missing-front": (
        {"cards/basics.yaml": card().replace("  front: {en: F, ko: 앞}\n", "")},
        ["demo-pack/cards/basics.yaml:1:3: cards[0].front: missing required key 'front'"],
    ),
    "duplicate-card-id": (
        {"cards/basics.yaml": card() + card()},
        [
            "demo-pack/cards/basics.yaml:6:7: cards[1].id: duplicate card id 'sigmoid' (first at demo-pack/cards/basics.yaml:1)"
        ],
    ),
    "duplicate-item-id": (
        {"quizzes/basics.yaml": item("choice", CHOICE) + item("choice", CHOICE)},
        [
            "demo-pack/quizzes/basics.yaml:8:7: quizzes[1].id: duplicate quiz item id 'q1' (first at demo-pack/quizzes/basics.yaml:1)"
        ],
    ),
    "dangling-see-also": (
        {"cards/basics.yaml": card(see_also="[c2]") + card("c3")},
        ["demo-pack/cards/basics.yaml:6:14: cards[0].see_also[0]: no card 'c2' in this pack"],
    ),
    "dangling-item-card": (
        {"cards/basics.yaml": card("sigmoid"), "quizzes/basics.yaml": item("choice", CHOICE, card="sigmoidd")},
        [
            "demo-pack/quizzes/basics.yaml:2:9: quizzes[0].card: no card 'sigmoidd' in this pack; did you mean 'sigmoid'?"
        ],
    ),
    "choice-answer-not-a-choice": (
        {"quizzes/basics.yaml": item("choice", CHOICE.replace("answer: a", "answer: c"), card="sigmoid")},
        ["demo-pack/quizzes/basics.yaml:7:11: quizzes[0].answer: answer 'c' is not one of the choices (a, b)"],
    ),
    "multi-answer-not-a-choice": (
        {
            "quizzes/basics.yaml": item(
                "multi", "  choices: {a: {en: A, ko: 가}, b: {en: B, ko: 나}}\n  answers: [a, z]\n", card="sigmoid"
            )
        },
        ["demo-pack/quizzes/basics.yaml:7:16: quizzes[0].answers[1]: answer 'z' is not one of the choices (a, b)"],
    ),
    "unknown-kind": (
        {"quizzes/basics.yaml": item("chioce", CHOICE, card="sigmoid")},
        [
            "demo-pack/quizzes/basics.yaml:3:9: quizzes[0].kind: unknown quiz kind 'chioce'; use one of choice, multi, order, numeric, text, expr"
        ],
    ),
    "negative-tolerance": (
        {"quizzes/basics.yaml": item("numeric", "  answer: 0.25\n  tolerance: {abs: -0.1}\n", card="sigmoid")},
        ["demo-pack/quizzes/basics.yaml:7:20: quizzes[0].tolerance.abs: tolerance must be zero or positive, got -0.1"],
    ),
    "tolerance-missing": (
        {"quizzes/basics.yaml": item("numeric", "  answer: 0.25\n  tolerance: {}\n", card="sigmoid")},
        ["demo-pack/quizzes/basics.yaml:7:14: quizzes[0].tolerance: a tolerance needs `abs` or `rel`"],
    ),
    "numeric-answer-text": (
        {"quizzes/basics.yaml": item("numeric", "  answer: one quarter\n  tolerance: {abs: 0}\n", card="sigmoid")},
        [
            "demo-pack/quizzes/basics.yaml:6:11: quizzes[0].answer: expected a number, got text 'one quarter' "
            "(a formula key needs `params` to compute it from)"
        ],
    ),
    "text-answers-missing-language": (
        {"quizzes/basics.yaml": item("text", "  answers: {en: [sigmoid]}\n", card="sigmoid")},
        ["demo-pack/quizzes/basics.yaml:6:12: quizzes[0].answers: missing accepted answers for 'ko'"],
    ),
    "expr-does-not-parse": (
        {"quizzes/basics.yaml": item("expr", "  symbols: [x]\n  answer: 2x + 1\n", card="sigmoid")},
        None,
    ),
    "expr-undeclared-symbol": (
        {"quizzes/basics.yaml": item("expr", "  symbols: [x]\n  answer: x + y\n", card="sigmoid")},
        None,
    ),
    "yaml-syntax": (
        {"cards/basics.yaml": "- id: c1\n  title: {en: T, ko: [\n"},
        None,
    ),
    "yaml-python-tag": (
        {"cards/basics.yaml": "- !!python/object/apply:os.system ['echo hi']\n"},
        [
            "demo-pack/cards/basics.yaml:1:3: cards[0]: tag !!python/object/apply:os.system is not allowed: packs hold only plain strings, numbers, booleans, lists and mappings"
        ],
    ),
    "yaml-duplicate-key": (
        {"cards/basics.yaml": card().replace("  tags", "  id: again\n  tags") + "  id: c2\n"},
        ["demo-pack/cards/basics.yaml:6:3: cards[0].id: duplicate key 'id'"],
    ),
    "invalid-utf8": (
        {"cards/basics.yaml": card().encode("utf-8").replace("제목".encode(), b"\xff\xfe")},
        ["demo-pack/cards/basics.yaml:2:22: cards[0].title.ko: invalid UTF-8 (byte 0xff); save the file as UTF-8"],
    ),
    "yes-no-stay-strings": (
        # YAML 1.1 would turn `no` into false; here it stays the text "no" and the pack is valid.
        {"quizzes/basics.yaml": item("text", "  answers: {en: [no], ko: [아니오]}\n", card="sigmoid")},
        [],
    ),
    "merge-key": (
        {
            "cards/basics.yaml": "- &base\n  id: sigmoid\n  title: {en: T, ko: 제목}\n  front: {en: F, ko: 앞}\n  back: {en: B, ko: 뒤}\n- <<: *base\n  id: c2\n"
        },
        [
            "demo-pack/cards/basics.yaml:6:3: cards[1].<<: merge keys (<<) are not supported in packs; write the keys out"
        ],
    ),
    "unknown-demo-warning": (
        {"cards/basics.yaml": card("sigmoid", demo="{id: dead-relu-x}")},
        [
            "demo-pack/cards/basics.yaml:6:14: cards[0].demo.id: warning: unknown demo 'dead-relu-x'; did you mean 'dead-relu'? (install the plugin that provides it)"
        ],
    ),
    "verify-metric-on-choice": (
        {
            "quizzes/basics.yaml": item(
                "choice", CHOICE + "  verify: {demo: dead-relu, metric: dead_fraction}\n", card="sigmoid"
            )
        },
        [
            "demo-pack/quizzes/basics.yaml:8:37: quizzes[0].verify.metric: `verify.metric` needs a numeric item; use `verify.claim` for other kinds"
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_pack_messages(case, tmp_path):
    files, expected = CASES[case]
    root = make_pack(tmp_path, files)
    got = messages(root, known_demos={"dead-relu", "weight-init"})
    if expected is not None:
        assert got == expected


def test_newer_studyml_required(tmp_path):
    root = make_pack(tmp_path, CASES["needs-newer-studyml"][0])
    (msg,) = messages(root)
    assert (
        msg
        == "demo-pack/pack.yaml:7:21: requires.studyml: this pack needs studyml >=99; you have 0.1.0: upgrade studyml"
    )


def test_expr_key_that_does_not_parse_names_the_place(tmp_path):
    root = make_pack(tmp_path, CASES["expr-does-not-parse"][0])
    (msg,) = messages(root)
    assert msg.startswith("demo-pack/quizzes/basics.yaml:7:11: quizzes[0].answer: the answer does not parse: ")
    assert "2*x" in msg


def test_expr_undeclared_symbol(tmp_path):
    root = make_pack(tmp_path, CASES["expr-undeclared-symbol"][0])
    (msg,) = messages(root)
    assert msg.startswith("demo-pack/quizzes/basics.yaml:7:11: quizzes[0].answer: the answer does not parse: ")
    assert "'y'" in msg


def test_yaml_syntax_error_has_position(tmp_path):
    root = make_pack(tmp_path, CASES["yaml-syntax"][0])
    (msg,) = messages(root)
    assert msg.startswith("demo-pack/cards/basics.yaml:3:1: cards[0].title.ko: YAML syntax:")


def test_one_run_reports_errors_of_every_file(tmp_path):
    root = make_pack(
        tmp_path,
        {
            "cards/basics.yaml": card("sigmoid").replace("back: {en: B, ko: 뒤}", "back: {en: B}"),
            "cards/more.yaml": card("other", tags="[Bad Tag]"),
            "quizzes/basics.yaml": item("choice", CHOICE.replace("answer: a", "answer: c"), card="nope"),
        },
    )
    got = messages(root)
    assert len(got) == 4
    assert {m.split(":")[0] for m in got} == {
        "demo-pack/cards/basics.yaml",
        "demo-pack/cards/more.yaml",
        "demo-pack/quizzes/basics.yaml",
    }


def test_a_parenthesised_spdx_expression_is_a_license(tmp_path):
    # `(MIT OR Apache-2.0) AND CC-BY-4.0` is how SPDX writes a dual-licensed pack with CC text; it was refused as an
    # error by the shape the manifest allowed, though packaging reads it.
    root = make_pack(
        tmp_path,
        {
            "pack.yaml": "id: demo-pack\nversion: 1.0.0\ntitle: {en: T, ko: T}\nlanguages: [en, ko]\n"
            "license: (MIT OR Apache-2.0) AND CC-BY-4.0\nauthors: [A]\n"
        },
    )
    assert [m for m in messages(root) if "license" in m] == []


def test_a_bold_that_shows_its_asterisks_is_a_warning_at_its_text(tmp_path):
    root = make_pack(
        tmp_path,
        {
            "cards/basics.yaml": card("sigmoid").replace(
                "back: {en: B, ko: 뒤}", "back: {en: B, ko: '**포화(saturation)**됩니다'}"
            )
        },
    )
    got = [m for m in messages(root) if "shows its asterisks" in m]
    assert len(got) == 1 and "cards[0].back.ko: warning:" in got[0], messages(root)
