"""Checks across files: ids, references, answer keys, languages, math and demo links."""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Mapping
from typing import Any

from studyml import __version__
from studyml.content.diagnostics import Diagnostic, did_you_mean
from studyml.content.models import Card, Manifest
from studyml.content.versions import satisfies
from studyml.quiz.tolerance import Tolerance

KnownDemos = set[str] | Mapping[str, Mapping[str, Any]] | None
"""Demo ids that exist, or each id mapped to its plugin's declared fields, claims and metrics."""

_TEXT_FIELDS_CARD = ("title", "front", "back")
_TEXT_FIELDS_ITEM = ("prompt", "explanation", "unit")


def cross_check(
    manifest: Manifest,
    manifest_loc,
    cards: list[tuple[Card, Any, tuple]],
    items: list[tuple[Any, Any, tuple]],
    known_demos: set[str] | Mapping[str, Mapping[str, Any]] | None,
    all_card_ids: set[str] | None,
    all_tags: set[str] | None,
) -> list[Diagnostic]:
    """`all_card_ids`: every id written in the card files (valid or not); None when some file was unreadable.
    `all_tags`: every tag written on a card or item (valid or not); None when some file was unreadable.

    `known_demos` may map each demo id to what its plugin declares (`fields`: each parameter's name and
    JSON schema, `claims`: ids, `metrics`: ids or None for a plugin that declares none); then the
    parameters a pack sets are checked against them; an id that maps to `{"unusable": message}` names a plugin that
    is there but cannot run (broken, defined twice, for a newer studyml), and the message says why. The caller reads
    these from plugin metadata: content never imports a plugin.
    """
    out: list[Diagnostic] = []
    langs = list(manifest.languages)

    if manifest.requires.studyml and not satisfies(__version__, manifest.requires.studyml):
        out.append(
            manifest_loc.diag(
                ("requires", "studyml"),
                f"this pack needs studyml {manifest.requires.studyml}; you have {__version__}: upgrade studyml",
            )
        )
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:  # the shape was checked by the model; the ids are SPDX's (`MIT-ish` had the right shape)
        canonicalize_license_expression(manifest.license)
    except InvalidLicenseExpression as e:
        out.append(
            manifest_loc.diag(
                ("license",),
                f"{manifest.license!r} is not an SPDX license expression ({e}); write one such as CC-BY-4.0, MIT or "
                "Apache-2.0 (the list: spdx.org/licenses)",
                "warning",
            )
        )
    for i, plugin in enumerate(manifest.requires.plugins):
        out += _demo(plugin, known_demos, manifest_loc, ("requires", "plugins", i))
    out += _langs(manifest.title, langs, manifest_loc, ("title",))
    if manifest.description is not None:
        out += _langs(manifest.description, langs, manifest_loc, ("description",))
    for note, title in manifest.notes.items():
        out += _langs(title, langs, manifest_loc, ("notes", note))
    card_ids = _first_of_each_id(cards, "card", out)
    _first_of_each_id(items, "quiz item", out)
    out += _tag_names(manifest, manifest_loc, cards, items, all_tags)

    def exists(card_id: str) -> bool:
        return card_id in card_ids or all_card_ids is None or card_id in all_card_ids

    for card, loc, base in cards:
        for f in _TEXT_FIELDS_CARD:
            out += _langs(getattr(card, f), langs, loc, base + (f,))
        for f in ("front", "back"):
            out += [
                loc.diag(base + (f, lang), _ASTERISKS, "warning")
                for lang, text in getattr(card, f).items()
                if shows_asterisks(text)
            ]
        for i, ref in enumerate(card.see_also):
            if not exists(ref):
                out.append(
                    loc.diag(base + ("see_also", i), f"no card {ref!r} in this pack{did_you_mean(ref, card_ids)}")
                )
            elif ref == card.id:
                out.append(loc.diag(base + ("see_also", i), "a card cannot list itself in see_also", "warning"))
        if card.demo is not None:
            out += _demo(card.demo.id, known_demos, loc, base + ("demo", "id"))
            out += _demo_params(card.demo.id, card.demo.params, known_demos, loc, base + ("demo", "params"))
        for i, source in enumerate(card.sources):
            if source.note and manifest.notes and source.note not in manifest.notes:
                out.append(
                    loc.diag(
                        base + ("sources", i, "note"),
                        f"note {source.note!r} has no title under `notes:` in pack.yaml: learners would see only a "
                        f"name derived from the file{did_you_mean(source.note, manifest.notes)}",
                        "warning",
                    )
                )
        if not card.sources:
            out.append(
                loc.diag(
                    base + ("id",), "no sources: cite the note or reference this card was checked against", "warning"
                )
            )

    for item, loc, base in items:
        if not exists(item.card):
            out.append(
                loc.diag(base + ("card",), f"no card {item.card!r} in this pack{did_you_mean(item.card, card_ids)}")
            )
        for f in _TEXT_FIELDS_ITEM:
            text = getattr(item, f, None)
            if text is not None:
                out += _langs(text, langs, loc, base + (f,))
        out += _kind_checks(item, langs, loc, base)
        if item.verify is not None:
            out += _demo(item.verify.demo, known_demos, loc, base + ("verify", "demo"))
            out += _demo_params(item.verify.demo, item.verify.params, known_demos, loc, base + ("verify", "params"))
            out += _verify_names(item.verify, known_demos, loc, base + ("verify",))
            if item.verify.metric is not None and item.kind != "numeric":
                out.append(
                    loc.diag(
                        base + ("verify", "metric"),
                        "`verify.metric` needs a numeric item; use `verify.claim` for other kinds",
                    )
                )
    return out


def _tag_names(manifest: Manifest, manifest_loc, cards, items, all_tags: set[str] | None) -> list[Diagnostic]:
    """Every tag cards and items use needs a name in each language of the pack (`tags:` in pack.yaml), or the
    learner reads its id in every language; a name for a tag nothing uses is probably a typo."""
    out: list[Diagnostic] = []
    langs = list(manifest.languages)
    first_use: dict[str, tuple] = {}  # tag -> (loc, path) of its first use
    for entries in (cards, items):
        for obj, loc, base in entries:
            for i, tag in enumerate(obj.tags):
                first_use.setdefault(tag, (loc, base + ("tags", i)))
    for tag, names in manifest.tags.items():
        for lang in names:
            if lang not in langs:
                out.append(
                    manifest_loc.diag(
                        ("tags", tag, lang),
                        f"language {lang!r} is not in the manifest's languages ({', '.join(langs)})",
                        "warning",
                        key=True,
                    )
                )
        # An entry with an error is left out of `cards`/`items`, but its tags are still written there.
        if tag not in first_use and all_tags is not None and tag not in all_tags:
            out.append(
                manifest_loc.diag(
                    ("tags", tag),
                    f"no card or quiz item has the tag {tag!r}: remove its name or fix the id"
                    f"{did_you_mean(tag, first_use)}",
                    "warning",
                    key=True,
                )
            )
    for tag, (loc, path) in first_use.items():
        names = manifest.tags.get(tag, {})
        missing = [lang for lang in langs if lang not in names]
        if not missing:
            continue
        wanted = ", ".join(f"{lang}: ..." for lang in langs)
        if names:  # named, but not in every language: said where the name is
            where, at = manifest_loc, ("tags", tag)
        else:
            where, at = loc, path
        out.append(
            where.diag(
                at,
                f"tag {tag!r} has no name in {', '.join(repr(lang) for lang in missing)}, so learners read "
                f"the id there; add it under `tags:` in pack.yaml ({tag}: {{{wanted}}})",
                "warning",
            )
        )
    return out


def _first_of_each_id(entries, label: str, out: list[Diagnostic]) -> dict[str, tuple]:
    """Where each id is first defined; every later definition is reported as a duplicate."""
    first: dict[str, tuple] = {}
    for obj, loc, base in entries:
        if obj.id in first:
            floc, fbase = first[obj.id]
            out.append(
                loc.diag(
                    base + ("id",), f"duplicate {label} id {obj.id!r} (first at {floc.file}:{floc.at(*fbase, 'id')[0]})"
                )
            )
        else:
            first[obj.id] = (loc, base)
    return first


def _listed_twice(names: list[str]) -> str | None:
    """The first name that comes a second time (None: each comes once)."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return name
        seen.add(name)
    return None


_LANGUAGE_SLIPS = {"kr": "ko", "kor": "ko", "eng": "en", "english": "en", "korean": "ko"}  # a country, a name


def _misspelt_language(lang: str, langs: list[str]) -> str:
    meant = _LANGUAGE_SLIPS.get(lang.lower())
    return f"; did you mean {meant!r}?" if meant in langs else did_you_mean(lang, langs)


def _langs(text: dict[str, str], langs: list[str], loc, path: tuple) -> list[Diagnostic]:
    out = []
    for lang in langs:
        if lang not in text:
            out.append(loc.diag(path, f"missing the {lang!r} text (the manifest lists languages {', '.join(langs)})"))
    for lang in text:
        if lang not in langs:
            out.append(
                loc.diag(
                    path + (lang,),
                    f"language {lang!r} is not in the manifest's languages ({', '.join(langs)})"
                    + _misspelt_language(lang, langs),
                    "warning",
                    key=True,
                )
            )
    return out


_ASTERISKS = (
    "a bold or italic here shows its asterisks: Markdown does not close `**` after a bracket or `$` and before a "
    "letter (`**포화(saturation)**됩니다`); put the bracket after it (`**포화**(saturation)됩니다`)"
)


@functools.lru_cache(maxsize=4096)  # a pack is checked again on each save it is watched for, its texts mostly unchanged
def shows_asterisks(text: str) -> bool:
    """Whether `text`, read as the app's Markdown reads it (CommonMark), shows `**` as written instead of bold."""
    if "**" not in text:
        return False
    tokens = _commonmark().parse(text)
    return any(
        t.type == "text" and "**" in t.content for tok in tokens if tok.type == "inline" for t in tok.children or []
    )


@functools.cache
def _commonmark():
    """One parser for every text of a pack (made here, not at import: `studyml --help` never needs it)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _demo(demo_id: str, known: Collection[str] | None, loc, path: tuple) -> list[Diagnostic]:
    if known is None:
        return []
    spec = _spec(demo_id, known)
    if spec is not None and spec.get("unusable"):  # installed, but broken, defined twice or for a newer studyml
        return [loc.diag(path, str(spec["unusable"]), "warning")]
    if demo_id in known:
        return []
    usable = [k for k in known if not (_spec(k, known) or {}).get("unusable")]
    return [
        loc.diag(
            path,
            f"unknown demo {demo_id!r}{did_you_mean(demo_id, usable)} (install the plugin that provides it)",
            "warning",
        )
    ]


def _spec(demo_id: str, known) -> Mapping[str, Any] | None:
    if not isinstance(known, Mapping):
        return None
    spec = known.get(demo_id)
    return spec if isinstance(spec, Mapping) else None


def _demo_params(demo_id: str, params: Mapping[str, Any], known, loc, path: tuple) -> list[Diagnostic]:
    """Each parameter a pack sets must be one the demo has, with a value its schema allows."""
    from studyml.paramcheck import check_value

    spec = _spec(demo_id, known)
    if spec is None or spec.get("fields") is None:
        return []
    fields = {f["name"]: f for f in spec["fields"]}
    out = []
    for name, value in params.items():
        if name not in fields:
            names = ", ".join(fields) or "none"
            out.append(
                loc.diag(
                    path + (name,),
                    f"demo {demo_id!r} has no parameter {name!r}{did_you_mean(name, fields)} "
                    f"(its parameters: {names}); the demo would run with its default",
                    key=True,
                )
            )
            continue
        field = fields[name]
        _, problem = check_value(field, value)
        if problem:
            allowed = field.get("bounds") or field.get("type", "")
            out.append(
                loc.diag(
                    path + (name,),
                    f"{problem}; got {value!r}"
                    + (f" (allowed: {allowed})" if allowed else "")
                    + f": see `studyml demo info {demo_id}`",
                )
            )
    return out


def _verify_names(verify: Any, known, loc, path: tuple) -> list[Diagnostic]:
    """`verify.metric`/`verify.claim` must name what the demo declares (an error under --strict)."""
    spec = _spec(verify.demo, known)
    if spec is None:
        return []
    if verify.claim is not None and spec.get("claims") is not None and verify.claim not in spec["claims"]:
        claims = list(spec["claims"])
        return [
            loc.diag(
                path + ("claim",),
                f"demo {verify.demo!r} declares no claim {verify.claim!r}"
                f"{did_you_mean(verify.claim, claims)} (its claims: {', '.join(claims) or 'none'})",
                "warning",
            )
        ]
    if verify.metric is not None and spec.get("metrics") is not None and verify.metric not in spec["metrics"]:
        metrics = list(spec["metrics"])
        return [
            loc.diag(
                path + ("metric",),
                f"demo {verify.demo!r} declares no metric {verify.metric!r}"
                f"{did_you_mean(verify.metric, metrics)} (its metrics: {', '.join(metrics) or 'none'})",
                "warning",
            )
        ]
    return []


def _letter_references(item: Any, loc, base: tuple) -> list[Diagnostic]:
    """Options are shuffled and relabelled a), b), … on screen, so "(c)" in the pack file is not the
    c) the learner sees: such a reference cannot be resolved and misleads."""
    from studyml.quiz.feedback import letter_references

    out: list[Diagnostic] = []
    texts: list[tuple[tuple[str, ...], str]] = [(("prompt", lang), t) for lang, t in item.prompt.items()]
    texts += [(("explanation", lang), t) for lang, t in item.explanation.items()]
    texts += [(("choices", k, lang), t) for k, text in item.choices.items() for lang, t in text.items()]
    texts += [(("why", k, lang), t) for k, text in item.why.items() for lang, t in text.items()]
    for path, text in texts:
        refs = letter_references(text, item.choices)
        if refs:
            named = ", ".join(f"({r})" for r in refs)
            out.append(
                loc.diag(
                    base + path,
                    f"refers to option {named} by its letter in the file, but options are shuffled and relabelled "
                    f"on screen, so the learner cannot tell which one is meant: say it under `why: {{{refs[0]}: ...}}` "
                    "or name the option by its content",
                    "warning",
                )
            )
    return out


def _kind_checks(item: Any, langs: list[str], loc, base: tuple) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    kind = item.kind
    if kind in ("choice", "multi"):
        keys = list(item.choices)
        for k, text in item.choices.items():
            out += _langs(text, langs, loc, base + ("choices", k))
        answers = [item.answer] if kind == "choice" else item.answers
        field = "answer" if kind == "choice" else "answers"
        for i, a in enumerate(answers):
            if a not in item.choices:
                path = base + ((field,) if kind == "choice" else (field, i))
                out.append(loc.diag(path, f"answer {a!r} is not one of the choices ({', '.join(keys)})"))
        if kind == "multi" and (twice := _listed_twice(answers)) is not None:
            out.append(loc.diag(base + ("answers",), f"the answer {twice!r} is listed twice"))
        for k, text in item.why.items():
            if k not in item.choices:
                out.append(
                    loc.diag(
                        base + ("why", k),
                        f"`why` names {k!r}, which is not one of the choices ({', '.join(keys)})",
                        key=True,
                    )
                )
            else:
                out += _langs(text, langs, loc, base + ("why", k))
        out += _letter_references(item, loc, base)
    elif kind == "order":
        for i, step in enumerate(item.steps):
            out += _langs(step, langs, loc, base + ("steps", i))
    elif kind == "numeric" and item.is_template:
        pass  # the key is a formula: checked with the template below
    elif kind == "numeric":
        if isinstance(item.answer, str):
            out.append(
                loc.diag(
                    base + ("answer",),
                    f"expected a number, got text {item.answer[:40]!r} "
                    "(a formula key needs `params` to compute it from)",
                )
            )
        elif any(isinstance(getattr(item.tolerance, w), str) for w in ("abs", "rel")):
            out.append(loc.diag(base + ("tolerance",), "a formula tolerance needs `params`; write a number"))
        elif not math.isfinite(item.answer):
            out.append(loc.diag(base + ("answer",), "the answer must be a finite number"))
        for which in ("abs", "rel"):
            v = getattr(item.tolerance, which)
            if isinstance(v, (int, float)) and (not math.isfinite(v) or v < 0):  # a formula was reported above
                out.append(loc.diag(base + ("tolerance", which), f"tolerance must be zero or positive, got {v}"))
    elif kind == "text":
        for lang in langs:
            if lang not in item.answers:
                out.append(loc.diag(base + ("answers",), f"missing accepted answers for {lang!r}"))
    elif kind == "expr":
        from studyml.quiz.mathparse import CONSTANTS, FUNCTIONS, MathError, parse

        for field in ("symbols", "signed"):
            if (twice := _listed_twice(getattr(item, field))) is not None:
                out.append(loc.diag(base + (field,), f"{twice!r} is listed twice"))
        for i, sym in enumerate(item.symbols):
            # A symbol `e` took the place of Euler's number in the key and in every answer: a learner's exp(1)
            # was then graded wrong, with no word to the author.
            if sym in CONSTANTS or sym in FUNCTIONS:
                what = "constant" if sym in CONSTANTS else "function"
                out.append(
                    loc.diag(base + ("symbols", i), f"symbol {sym!r} shadows the math {what} {sym!r}; rename it")
                )
        for i, sym in enumerate(item.signed):
            if sym not in item.symbols:
                out.append(loc.diag(base + ("signed", i), f"{sym!r} is not one of the item's `symbols`"))
        bad_ranges = _range_problems(item, loc, base)
        out += bad_ranges
        if item.ranges and not bad_ranges and not item.params:  # drawn within ranges that are themselves sound
            out += _key_across_ranges(item, loc, base)
        try:
            parse(item.answer, [*item.symbols, *(item.params or {})])
        except MathError as e:
            out.append(loc.diag(base + ("answer",), f"the answer does not parse: {e}"))
    if kind != "order" and getattr(item, "sort_by", None):
        out.append(loc.diag(base + ("sort_by",), "`sort_by` is for order items"))
    if kind == "order" and item.sort_by and not item.is_template:
        out.append(loc.diag(base + ("sort_by",), "`sort_by` needs `params`; without them, list the steps in order"))
    for i, h in enumerate(item.hints):
        out += _langs(h, langs, loc, base + ("hints", i))
    for i, m in enumerate(item.misconceptions):
        out += _langs(m.feedback, langs, loc, base + ("misconceptions", i, "feedback"))
        where = base + ("misconceptions", i)
        # Matched only where the grader looks for them: a `choice` on choice and multi items, a `value` on numeric
        # ones. Elsewhere a misconception was accepted and never shown.
        if m.choice is not None and kind not in ("choice", "multi"):
            out.append(
                loc.diag(where + ("choice",), f"a misconception `choice` is for choice and multi items, not {kind}")
            )
            continue
        if m.value is not None and kind != "numeric":
            out.append(
                loc.diag(
                    where + ("value",),
                    f"a misconception `value` is matched on numeric items only, not {kind}: say it in the explanation"
                    + (" or in a `why`" if kind in ("choice", "multi") else ""),
                )
            )
            continue
        if m.choice is not None and m.choice not in (getattr(item, "choices", None) or {}):
            out.append(loc.diag(where + ("choice",), f"{m.choice!r} is not one of the choices"))
        elif m.choice is not None and m.choice in ({item.answer} if kind == "choice" else set(item.answers)):
            out.append(
                loc.diag(where + ("choice",), f"{m.choice!r} is a right answer: a misconception names a wrong option")
            )
        if isinstance(m.value, str) and not item.is_template:
            out.append(loc.diag(where + ("value",), "a formula needs `params`; write a number"))
        elif (
            isinstance(m.value, (int, float))
            and not item.is_template
            and isinstance(item.answer, (int, float))
            # numbers only: a formula here is an error said above ("needs `params`"), and Fraction('x/100') raised
            and all(isinstance(getattr(item.tolerance, w), (int, float, type(None))) for w in ("abs", "rel"))
            and Tolerance.of(item.tolerance).allows(m.value, item.answer)
        ):
            out.append(
                loc.diag(
                    where + ("value",),
                    f"the key accepts {m.value:g} (within the tolerance of the answer {item.answer:g}): a misconception is "
                    "a wrong answer, and its feedback would never show",
                )
            )
    if item.check is not None and not item.is_template:
        out.append(loc.diag(base + ("check",), "`check` verifies a template: declare `params` or drop it"))
    if item.is_template and item.check is None:
        # `studyml verify` fails it ("no `check`"): said here too, where `pack validate --strict` before a release
        # would otherwise pass it.
        out.append(
            loc.diag(
                base + ("params",),
                "a template without `check`: `studyml verify` fails it; name a plugin check that computes the key "
                "another way (check: {plugin: ID, id: CHECK})",
                "warning",
                key=True,
            )
        )
    if item.is_template:
        from studyml.quiz.template import problems

        for p in problems(item):
            out.append(loc.diag(base + p.path, p.message))
    return out


def _range_problems(item, loc, base: tuple) -> list[Diagnostic]:
    """An expr item's `ranges`: each of one of its symbols, finite, low below high, with positive values in it (the
    symbolic check takes symbols as positive), and none narrower than a signed symbol's negative values."""
    out = []
    for sym, bounds in item.ranges.items():
        where = base + ("ranges", sym)
        if sym not in item.symbols:
            known = ", ".join(item.symbols) or "none"
            out.append(
                loc.diag(
                    where,
                    f"{sym!r} is not one of the item's `symbols`{did_you_mean(sym, item.symbols)} (they are: "
                    f"{known}); add it to `symbols` or remove its range",
                )
            )
            continue
        if len(bounds) != 2:
            shown = ", ".join(f"{v:g}" for v in bounds)
            out.append(loc.diag(where, f"a range is two numbers [low, high], got [{shown}]"))
            continue
        low, high = bounds
        if not (math.isfinite(low) and math.isfinite(high)):
            out.append(loc.diag(where, f"a range is two finite numbers [low, high], got [{low:g}, {high:g}]"))
        elif low >= high:
            out.append(
                loc.diag(
                    where, f"the range's low end {low:g} must be below its high end {high:g}: write [{high:g}, {low:g}]"
                )
                if low > high
                else loc.diag(where, f"the range's two ends are both {low:g}: give it a width")
            )
        elif high <= 0:
            out.append(
                loc.diag(
                    where,
                    f"the range [{low:g}, {high:g}] has no positive values; symbols are checked as positive: use "
                    f"a symbol for its opposite (write -{sym} in the key) with the range [{-high:g}, {-low:g}]",
                )
            )
        elif sym in item.signed and low >= 0:
            out.append(
                loc.diag(
                    where,
                    f"{sym!r} is `signed` but its range [{low:g}, {high:g}] has no negative values: take it out of "
                    "`signed`, or widen the range below 0",
                )
            )
    return out


def _key_across_ranges(item, loc, base: tuple) -> list[Diagnostic]:
    """An expr key with no value at most points of its symbols' ranges: every answer would be graded wrong there."""
    from studyml.quiz.expr import undefined_key_points
    from studyml.quiz.mathparse import MathError

    try:
        missing, total, point = undefined_key_points(item.answer, list(item.symbols), item.ranges)
    except MathError:
        return []  # said as the answer's own problem
    if point is None or missing * 2 < total:
        return []
    at = ", ".join(f"{k}={v!r}" for k, v in point.items())
    return [
        loc.diag(
            base + ("ranges",),
            f"the answer {item.answer!r} has no value at {missing} of the {total} points in these ranges (e.g. at "
            f"{at}), and answers are compared where it has one: narrow the ranges to where it is defined",
        )
    ]
