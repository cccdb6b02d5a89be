"""`studyml quiz show ITEM --seed N`: one variant of a quiz item (prompt and key), as a learner would see it."""

from __future__ import annotations

import argparse
import sys

from studyml.cli import CliError, ExitCode
from studyml.cli.common import add_json, dump


def register(sub: argparse._SubParsersAction) -> None:
    quiz = sub.add_parser("quiz", help="quiz items: show a template's variant")
    qsub = quiz.add_subparsers(dest="quiz_command", metavar="QUIZ_COMMAND", required=True)
    p = qsub.add_parser(
        "show",
        help="print an item's prompt and key; for a template, the variant of --seed",
        description="Print a quiz item as a learner sees it, with its key. For a template, "
        "--seed picks the variant (the seed is stored with each attempt and printed "
        "by `studyml verify` for a failing draw).",
    )
    p.add_argument("item", metavar="ITEM", help="PACK/ITEM or ITEM")
    p.add_argument("--seed", type=int, default=1, metavar="N", help="variant to show (default 1)")
    add_json(
        p, "print {pack, item, seed, params, prompt, choices, steps, key} (and symbols, signed, ranges of an expr)"
    )
    p.set_defaults(func=cmd_show)


def cmd_show(args: argparse.Namespace) -> int:
    from studyml.content.variants import describe, expected, find_item, shuffled_steps
    from studyml.lang import pick
    from studyml.quiz.template import instantiate

    lang = getattr(args, "lang", None) or "en"
    try:
        pack_id, item = find_item(args.item)
    except LookupError as e:
        raise CliError(str(e.args[0]), ExitCode.USAGE) from None
    variant = instantiate(item, args.seed)
    if not item.is_template and args.seed != 1:  # said, not ignored without a word
        print(f"studyml: note: {item.id} is not a template: --seed changes nothing", file=sys.stderr)
    if args.json:
        shown = variant.item
        dump(
            {
                "pack": pack_id,
                "item": item.id,
                "seed": variant.seed if variant.values else None,
                "params": variant.values,
                "prompt": pick(shown.prompt, lang),
                "choices": {k: pick(v, lang) for k, v in (getattr(shown, "choices", None) or {}).items()},
                "steps": shuffled_steps(shown, variant.seed, lang) if shown.kind == "order" else [],
                **(
                    {"symbols": list(shown.symbols), "signed": list(shown.signed), "ranges": dict(shown.ranges)}
                    if shown.kind == "expr"
                    else {}
                ),
                "key": expected(shown, lang),
                **_key_as_data(shown, lang),
            }
        )
        return ExitCode.OK
    print(describe(pack_id, variant, lang))
    return ExitCode.OK


def _key_as_data(item, lang: str) -> dict:
    """The key as a script reads it (`key` is the text a learner reads): `answer`, and a numeric item's `tolerance`."""
    from studyml.lang import pick

    kind = item.kind
    if kind == "numeric":
        tol = item.tolerance
        return {"answer": item.answer, "tolerance": {"abs": tol.abs, "rel": tol.rel}}
    if kind in ("choice", "expr"):
        return {"answer": item.answer}
    if kind == "multi":
        return {"answer": list(item.answers)}
    if kind == "order":
        return {"answer": [pick(step, lang) for step in item.steps]}
    return {"answer": list(item.answers.get(lang) or next(iter(item.answers.values())))}  # text
