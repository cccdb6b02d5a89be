"""The built-in ml-foundations pack: complete in both languages, well-formed keys, unique ids, cited."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from studyml import paths
from studyml.content.loader import load_pack
from studyml.quiz.mathparse import evaluate, parse
from studyml.quiz.template import instantiate

PACK_DIR = paths.builtin_content_dir() / "ml-foundations"


@pytest.fixture(scope="module")
def result():
    # No parse cache: a module's fixture runs before the per-test STUDYML_HOME, so a cache would be written to the
    # default data dir of whoever runs the tests.
    return load_pack(PACK_DIR, cache=False)


@pytest.fixture(scope="module")
def pack(result):
    assert result.pack is not None, "\n".join(str(d) for d in result.errors)
    return result.pack


@pytest.fixture(scope="module")
def shown(pack):
    """Every item as a learner meets it: a template as several of its variants."""
    return [instantiate(i, seed).item for i in pack.items for seed in ((1, 2, 3) if i.is_template else (0,))]


def test_pack_loads_without_errors(result):
    assert result.errors == []


def test_size_and_every_kind(pack):
    kinds = Counter(i.kind for i in pack.items)
    assert len(pack.cards) >= 60 and len(pack.items) >= 150
    assert set(kinds) == {"choice", "multi", "order", "numeric", "text", "expr"}
    assert kinds["expr"] >= 10 and kinds["numeric"] >= 10


def _texts(obj):
    for name in ("title", "front", "back", "prompt", "explanation", "unit"):
        value = getattr(obj, name, None)
        if value is not None:
            yield name, value
    for key, choice in (getattr(obj, "choices", None) or {}).items():
        yield f"choices.{key}", choice
    for i, step in enumerate(getattr(obj, "steps", None) or []):
        yield f"steps[{i}]", step


def test_every_text_in_english_and_korean(pack):
    missing = []
    for obj in [*pack.cards, *pack.items]:
        for name, text in _texts(obj):
            for lang in ("en", "ko"):
                if not (text.get(lang) or "").strip():
                    missing.append(f"{obj.id}.{name}.{lang}")
        if getattr(obj, "kind", None) == "text":
            for lang in ("en", "ko"):
                if not obj.answers.get(lang):
                    missing.append(f"{obj.id}.answers.{lang}")
    assert missing == []


def test_korean_text_is_korean(pack):
    # A Korean field that is only a copy of the English one is a missing translation.
    copied = [c.id for c in pack.cards for f in ("front", "back") if getattr(c, f)["ko"] == getattr(c, f)["en"]]
    no_hangul = [c.id for c in pack.cards if not any("가" <= ch <= "힣" for ch in c.back["ko"])]
    assert copied == [] and no_hangul == []


def test_ids_unique(pack):
    for ids in ([c.id for c in pack.cards], [i.id for i in pack.items]):
        dupes = [k for k, n in Counter(ids).items() if n > 1]
        assert dupes == []


def test_every_card_cites_a_published_reference(pack):
    assert [c.id for c in pack.cards if not any(s.ref for s in c.sources)] == []


def test_expr_keys_parse_and_evaluate(shown):
    bad = []
    for item in shown:
        if item.kind != "expr":
            continue
        tree = parse(item.answer, item.symbols)
        value = evaluate(tree, {s: 1.3 + 0.1 * k for k, s in enumerate(item.symbols)})
        if not math.isfinite(value):
            bad.append(item.id)
    assert bad == []


def test_numeric_keys_well_formed(shown):
    bad = [
        i.id
        for i in shown
        if i.kind == "numeric"
        and (
            not math.isfinite(i.answer)
            or (i.tolerance.abs or 0) < 0
            or (i.tolerance.rel or 0) < 0
            # a zero tolerance only for keys a learner can type exactly (28, 0.25), never for 0.693147…
            or (
                (i.tolerance.abs or 0) == 0
                and (i.tolerance.rel or 0) == 0
                and len(repr(float(i.answer)).split(".")[1]) > 3
            )
        )
    ]
    assert bad == []


def test_choice_keys_point_at_choices(pack):
    bad = [i.id for i in pack.items if i.kind == "choice" and i.answer not in i.choices]
    bad += [i.id for i in pack.items if i.kind == "multi" and not set(i.answers) <= set(i.choices)]
    assert bad == []


def test_every_card_has_a_quiz_item(pack):
    linked = {i.card for i in pack.items}
    assert [c.id for c in pack.cards if c.id not in linked] == []


def test_strict_clean_no_warnings(result):
    # `pack validate --strict` treats warnings as errors: e.g. an explanation naming an option by a letter
    # from the file ("(c) is underfitting"), which is not the label the learner sees after shuffling.
    assert [str(d) for d in result.warnings] == []


def test_every_choice_and_multi_item_names_options_by_content(pack):
    from studyml.quiz.feedback import letter_references

    bad = []
    for item in pack.items:
        if item.kind in ("choice", "multi"):
            texts = [item.prompt, item.explanation, *item.choices.values(), *item.why.values()]
            bad += [item.id for t in texts for s in t.values() if letter_references(s, item.choices)]
    assert bad == []


def test_study_notes_are_shown_by_title(pack):
    from studyml.content.sources import source_line

    lines = [
        source_line(s, pack.manifest.notes, lang)
        for c in pack.cards
        for s in c.sources
        if s.note
        for lang in ("en", "ko")
    ]
    assert lines and not [line for line in lines if ".txt" in line or "_" in line]


@pytest.mark.parametrize("g", [1.5, -0.7])
def test_the_momentum_limit_key_is_where_the_update_goes(pack, g):
    # The key was epsilon*g/(1-alpha), the size of v's limit for g > 0, asked as "|v|": abs() of it was marked
    # wrong and a negative g made the key itself wrong. Here the update runs until it settles.
    item = next(i for i in pack.items if i.id == "momentum-terminal-step-expr")
    alpha, epsilon, v = 0.9, 0.1, 0.0
    for _ in range(2000):
        v = alpha * v - epsilon * g
    key = evaluate(parse(item.answer, item.symbols), {"alpha": alpha, "epsilon": epsilon, "g": g})
    assert key == pytest.approx(v, rel=1e-9)


def test_no_english_text_holds_korean(pack):
    # An English option read "Generalisation (일반화) rather than regularisation".
    import re

    hangul = re.compile("[\uac00-\ud7a3]")

    def english(node, where):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "en" and isinstance(v, str):
                    yield where, v
                else:
                    yield from english(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from english(v, f"{where}[{i}]")

    found = [
        (where, text)
        for thing in (*pack.cards, *pack.items)
        for where, text in english(thing.model_dump(), thing.id)
        if hangul.search(text)
    ]
    assert found == []


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_right_option_is_not_given_away_by_being_the_longest(pack, lang):
    """A test-wise learner picks the longest, most detailed option. In 55 of 125 single-choice items the key was more
    than 15 % longer than every other option (59 in Korean); now one item in twenty at most may be."""
    items = [i for i in pack.items if i.kind == "choice" and not i.is_template]
    standing_out = []
    for item in items:
        size = {key: len(text[lang]) for key, text in item.choices.items()}
        if size[item.answer] > 1.15 * max(n for key, n in size.items() if key != item.answer):
            standing_out.append(item.id)
    assert len(items) >= 100
    assert len(standing_out) <= len(items) / 20, f"{len(standing_out)} of {len(items)}: {standing_out}"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_true_statements_are_not_given_away_by_being_longer(pack, lang):
    """In multi-select items the true statements were on average 30 % longer than the false ones (53 against 41
    characters in English): ticking the long, detailed ones scored without reading. Now about as long."""
    true, false = [], []
    for item in pack.items:
        if item.kind == "multi" and not item.is_template:
            for key, text in item.choices.items():
                (true if key in item.answers else false).append(len(text[lang]))
    assert len(true) >= 50 and len(false) >= 50
    ratio = (sum(true) / len(true)) / (sum(false) / len(false))
    assert ratio <= 1.1, f"true statements are {ratio:.2f} times as long as false ones"


@pytest.mark.parametrize(
    ("item_id", "mistake"),
    [
        # K = 1000 put 1 - eps + eps/K within the tolerance of 1 - eps (0.9001 against 0.9).
        ("t-label-smoothing-target", "1 - eps"),
        # w = 0, or lr = lam = 0.01, made the decay step smaller than the tolerance: forgetting it was right.
        ("t-weight-decay-step", "w - lr*g"),
    ],
)
def test_a_template_never_accepts_the_mistake_it_is_there_to_catch(pack, item_id, mistake):
    # Every combination of its params is tried, ranges included.
    import itertools
    from fractions import Fraction

    from studyml.quiz.template import key_of
    from studyml.quiz.tolerance import Tolerance

    item = next(i for i in pack.items if i.id == item_id)
    assert mistake in [m.value for m in item.misconceptions]

    def values_of(p) -> list:
        if p.choice is not None:
            return list(p.choice)
        lo, hi = (Fraction(str(v)) for v in p.range)
        step = Fraction(str(p.step or 1))
        return [float(lo + k * step) for k in range(int((hi - lo) / step) + 1)]

    params = {name: values_of(p) for name, p in item.params.items()}
    tolerance = Tolerance(item.tolerance.abs, item.tolerance.rel)
    for combo in itertools.product(*params.values()):
        values = dict(zip(params, combo, strict=True))
        wrong = evaluate(parse(mistake, list(values)), values)
        assert not tolerance.allows(float(wrong), float(key_of(item, values))), values


def test_no_card_shows_the_asterisks_of_a_bold_that_does_not_render(pack):
    # "둘 다 **포화(saturation)**됩니다" showed its asterisks: a closing ** after a bracket and before a letter does
    # not close under CommonMark, which the app's Markdown follows.
    from studyml.content.checks import shows_asterisks

    assert shows_asterisks("둘 다 **포화(saturation)**됩니다") and not shows_asterisks(
        "둘 다 **포화**(saturation)됩니다"
    )
    assert not shows_asterisks("write `**` for bold")
    shown = [
        (card.id, lang)
        for card in pack.cards
        for side in (card.front, card.back)
        for lang, text in side.items()
        if shows_asterisks(text)
    ]
    assert shown == []


def _asked_precision(item) -> tuple[str, int] | None:
    """What the English prompt asks a number to be given as: ('sig', N) significant digits, ('whole', 0)."""
    import re

    prompt = item.prompt["en"]
    if m := re.search(r"(\d) significant (?:digits|figures)", prompt):
        return "sig", int(m.group(1))
    if m := re.search(r"(\d) decimal(?:s| places)", prompt):
        return "dec", int(m.group(1))
    if "nearest whole number" in prompt:
        return "dec", 0
    return None


def test_a_number_given_as_the_prompt_asks_is_right_and_one_less_precise_is_not(pack):
    # "(4 significant digits)" accepted 0.0156 for 0.015625 (1% allowed); "(nearest whole number)" accepted 116
    # for 116.7; "(3 decimals)" accepted -0.63 for -0.632. The key rounded as asked is always right; rounded one
    # step less, it is wrong at some draw.
    from studyml.quiz.grading import grade

    asked = [(i, p) for i in pack.items if i.kind == "numeric" and (p := _asked_precision(i))]
    assert len(asked) >= 8
    checked = 0
    for item, (how, n) in asked:
        looser_wrong, told = False, 0
        for seed in range(1, 30) if item.is_template else (0,):
            shown = instantiate(item, seed).item
            exact = float(shown.answer)
            if how == "sig":
                right, looser = f"{exact:.{n}g}", f"{exact:.{n - 1}g}"
            elif n:
                right, looser = f"{exact:.{n}f}", f"{exact:.{n - 1}f}"
            else:
                right, looser = str(round(exact)), str(round(exact) - 1)
            assert grade(shown, right).correct, (item.id, seed, right, exact)
            if float(looser) != float(right):  # 0.68 is 0.680: a draw where the two are one number tells nothing
                told += 1
                looser_wrong |= not grade(shown, looser).correct
        assert looser_wrong or not told, f"{item.id}: an answer less precise than the prompt asks is always right"
        checked += bool(told)
    assert checked >= 20


def test_an_answer_off_by_one_unit_in_the_last_decimal_asked_is_wrong(pack):
    # "(3 decimals)" with {abs: 0.001} (or 0.002) accepted 0.681 for 0.680 and -0.334 for -0.335: a neighbour of the
    # right answer in the last decimal asked. docs/packs.md: a correctly rounded answer is within half a unit of that
    # decimal, so "(n decimals)" takes {abs: 0.6·10⁻ⁿ}. At every draw the key rounded to n decimals is right, and a
    # neighbour one unit away is wrong unless the exact key lies within 0.1 unit of the midpoint between the two
    # (where the rule's margin over half a unit lets both in).
    from studyml.quiz.grading import grade

    asked = [
        (i, n)
        for i in pack.items
        if i.kind == "numeric" and (p := _asked_precision(i)) and p[0] == "dec" and (n := p[1])
    ]
    assert len(asked) >= 20
    loose, checked = [], 0
    for item, n in asked:
        unit = 10.0**-n
        for seed in range(1, 60) if item.is_template else (0,):
            shown = instantiate(item, seed).item
            exact = float(shown.answer)
            right = round(exact, n)
            assert grade(shown, f"{right:.{n}f}").correct, (item.id, seed, right, exact)
            for off in (right - unit, right + unit):
                if abs(off - exact) > 0.6 * unit + 1e-12:  # a neighbour the rule rejects
                    checked += 1
                    if grade(shown, f"{off:.{n}f}").correct:
                        loose.append((item.id, seed, f"{off:.{n}f}", exact))
    assert checked >= 500
    assert loose == []


def test_a_multi_item_that_says_why_an_option_is_wrong_says_it_for_each(pack):
    # The learner ticked "Truncated BPTT helps…": the other wrong options had their why, this one had none.
    gaps = {}
    for item in pack.items:
        if item.kind != "multi" or not item.why:
            continue
        missing = sorted(c for c in item.choices if c not in item.answers and c not in item.why)
        if missing:
            gaps[item.id] = missing
    assert not gaps, gaps
