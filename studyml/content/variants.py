"""Find a quiz item by reference and describe one variant of it (prompt, values, key) as plain text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studyml.content.mathtext import render_math
from studyml.lang import pick
from studyml.quiz.expr import symbols_said
from studyml.quiz.template import Variant, format_number, instantiate
from studyml.quiz.tolerance import percent


def find_item(ref: str) -> tuple[str, Any]:
    """(pack id, item) for `PACK/ITEM` or a bare `ITEM` id; LookupError says what exists instead."""
    from studyml.content.diagnostics import did_you_mean
    from studyml.content.library import discover_packs

    pack_id, _, item_id = ref.rpartition("/")
    found, ids, packs = [], [], set()
    broken: dict[str, Path] = {}  # pack id → folder, of the packs that do not load
    for result in discover_packs():
        pack = result.pack
        if pack is None:
            pack_key = result.manifest.id if result.manifest is not None else result.path.name
            broken[pack_key] = result.path
            continue
        packs.add(pack.id)
        if pack_id and pack.id != pack_id:
            continue
        for item in pack.items:
            ids.append(item.id)
            if item.id == item_id:
                found.append((pack.id, item))
    if pack_id and pack_id not in packs and pack_id in broken:  # found, and broken: not "install it"
        folder = broken[pack_id]
        raise LookupError(
            f"pack {pack_id!r} has errors and cannot be read until they are fixed: see `studyml pack validate {folder}`"
        )
    if pack_id and pack_id not in packs:  # a pack being written: the reason, and what to do
        raise LookupError(
            f"no pack {pack_id!r} in the library{did_you_mean(pack_id, sorted(packs))}: install it (`studyml pack "
            f"install DIR`) or, while writing it, point $STUDYML_PACKS at its folder"
        )
    if not found:
        raise LookupError(f"no quiz item {ref!r}{did_you_mean(item_id, ids)}")
    if len(found) > 1:
        raise LookupError(f"{item_id!r} is in several packs ({', '.join(p for p, _ in found)}): write PACK/{item_id}")
    return found[0]


def expected(item: Any, lang: str) -> str:
    """The key of a concrete item, as a learner would read it."""
    kind = item.kind
    if kind == "numeric":
        tol = item.tolerance
        unit = f" {pick(item.unit, lang)}" if item.unit else ""
        within = (f" (± {format_number(tol.abs, lang)})" if tol.abs is not None else "") + (
            f" (± {percent(tol.rel)})" if tol.rel is not None else ""
        )
        return f"{format_number(item.answer, lang)}{unit}{within}"
    if kind == "choice":
        return f"{item.answer}) {pick(item.choices[item.answer], lang)}"
    if kind == "multi":
        return "; ".join(f"{k}) {pick(item.choices[k], lang)}" for k in item.answers)
    if kind == "order":  # numbered as the app's answer line numbers them (an explanation's "step 3")
        return " → ".join(f"{i}. {pick(s, lang)}" for i, s in enumerate(item.steps, 1))
    if kind == "text":
        return " / ".join(item.answers.get(lang) or next(iter(item.answers.values())))
    return str(item.answer)


def describe(pack_id: str, variant: Variant, lang: str) -> str:
    item = variant.item
    lines = [
        f"{pack_id}/{item.id}  seed {variant.seed}" if variant.values else f"{pack_id}/{item.id}  (not a template)"
    ]
    if variant.values:
        lines.append("params: " + ", ".join(f"{k}={format_number(v, lang)}" for k, v in variant.values.items()))
    # As the learner sees it: formulas in Unicode, not the pack's LaTeX (`quiz show` printed $\partial L/\partial z$).
    lines += ["", render_math(pick(item.prompt, lang)), ""]
    for key, text in (getattr(item, "choices", None) or {}).items():
        lines.append(f"  {key}) {render_math(pick(text, lang))}")
    if getattr(item, "choices", None):
        lines.append("")
    if item.kind == "order":  # the steps as the learner gets them: shuffled (it printed none)
        lines += [f"  - {render_math(step)}" for step in shuffled_steps(item, variant.seed, lang)] + [""]
    if item.kind == "expr":  # what the grader takes of the symbols, as the learner's hint says it
        said = symbols_said(item.symbols, item.signed, item.ranges, negative="{name} (may be negative)", within="in")
        lines += [f"symbols: {said or 'none'}", ""]
    lines.append(f"key: {render_math(expected(item, lang))}")
    return "\n".join(lines)


def shuffled_steps(item: Any, seed: int, lang: str) -> list[str]:
    """An order item's steps shuffled, as a learner gets them to put in order (the order drawn from `seed`)."""
    import random

    steps = [pick(s, lang) for s in item.steps]
    order = list(range(len(steps)))
    rng = random.Random(seed)
    while len(order) > 1 and order == sorted(order):  # never already in order: there would be nothing to do
        rng.shuffle(order)
    return [steps[i] for i in order]


def show(ref: str, seed: int, lang: str) -> str:
    pack_id, item = find_item(ref)
    return describe(pack_id, instantiate(item, seed), lang)
