"""`studyml quiz show ITEM --seed N`: print one variant of a quiz item (prompt and key)."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    quiz = sub.add_parser("quiz", help="quiz items: show a template's variant")
    qsub = quiz.add_subparsers(dest="quiz_command", metavar="QUIZ_COMMAND", required=True)
    p = qsub.add_parser("show", help="print an item's prompt and key; for a template, the variant of --seed",
                        description="Print a quiz item as a learner sees it, with its key. For a template, "
                                    "--seed picks the variant (the seed is stored with each attempt and printed "
                                    "by `studyml verify` for a failing draw).")
    p.add_argument("item", metavar="ITEM", help="PACK/ITEM or ITEM")
    p.add_argument("--seed", type=int, default=1, metavar="N", help="variant to show (default 1)")
    p.set_defaults(func=cmd_show)


def cmd_show(args: argparse.Namespace) -> int:
    from studyml.content.variants import show

    lang = getattr(args, "lang", None) or "en"
    try:
        print(show(args.item, args.seed, lang))
    except LookupError as e:
        print(f"studyml quiz show: {e.args[0]}", file=sys.stderr)
        return 1
    return 0
