"""The card browser's query language: `pack:` `tag:` `is:due|new|learning|review|suspended|buried|flagged`
`prop:r<0.8` and free text (English or Korean); every term must match, and a `-term` must not."""

from __future__ import annotations

import operator
import re
import shlex
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt, "=": operator.eq}
PROPS = {"r": "retrievability", "s": "stability", "d": "difficulty", "reps": "reps", "lapses": "lapses"}
IS = {"due", "new", "learning", "review", "suspended", "buried", "flagged"}
ANKI_IS = {"learn": "learning"}  # Anki's spelling, which its users type


class QueryError(ValueError):
    """A term the browser cannot read; the message names it and what is allowed."""


@dataclass
class Row:
    pack_id: str
    pack_title: str
    card_id: str
    title: str
    text: str  # every language's title, front, back and tags, folded for search
    tags: list[str]
    state: str  # new | learning | review
    due: bool
    suspended: bool = False
    buried: bool = False
    flag: int = 0
    props: dict[str, float] = field(default_factory=dict)
    tag_names: list[str] = field(default_factory=list)  # the tags' names in every language (pack.yaml `tags:`)


def fold(s: str) -> str:
    return unicodedata.normalize("NFKC", s).casefold()


def parse(query: str):
    """A predicate Row -> bool for `query`; raises QueryError naming a bad term."""
    try:
        terms = shlex.split(query)
    except ValueError as e:
        raise QueryError(f"unbalanced quotes: {e}") from None
    checks: list[Callable[[Row], bool]] = []
    for term in terms:
        # `-is:new`, `-tag:cnn`, `-tanh`: not that, as in Anki's browser (it was read as a word and matched nothing).
        # Only before a letter: `-1` is text ("from -1 to 1"), and `--x` too.
        if len(term) > 1 and term[0] == "-" and term[1].isalpha():
            checks.append(_not(_term(term[1:])))
        else:
            checks.append(_term(term))
    return lambda row: all(c(row) for c in checks)


def _term(term: str) -> Callable[[Row], bool]:
    """The predicate of one term; raises QueryError naming a bad one."""
    key, sep, value = term.partition(":")
    key = key.lower()
    if sep and key == "pack":
        return partial(_in_pack, fold(value))
    if sep and key == "tag":
        return partial(_has_tag, fold(value))
    if sep and key == "is":
        v = ANKI_IS.get(value.lower(), value.lower())
        if v not in IS:
            raise QueryError(f"is:{value}: expected one of {', '.join(sorted(IS))}")
        return _is(v)
    if sep and key == "prop":
        m = re.fullmatch(r"(\w+)(<=|>=|<|>|=)([0-9.]+)", value)
        if not m or m.group(1) not in PROPS:
            raise QueryError(f"prop:{value}: write e.g. prop:r<0.8 (properties: {', '.join(PROPS)})")
        return partial(_compare, PROPS[m.group(1)], OPS[m.group(2)], float(m.group(3)))
    return partial(_in_text, fold(term))


def _not(check: Callable[[Row], bool]) -> Callable[[Row], bool]:
    return lambda row: not check(row)


def _is(v: str):
    if v == "due":
        return lambda r: r.due and not r.suspended and not r.buried
    if v in ("new", "learning", "review"):
        return lambda r: r.state == v
    if v == "flagged":
        return lambda r: r.flag > 0
    return lambda r: getattr(r, v)


def _compare(name: str, op: Callable[[float, float], bool], num: float, row: Row) -> bool:
    """`prop:<name><op><num>`: rows without the property never match."""
    return name in row.props and op(row.props[name], num)


def _in_pack(v: str, row: Row) -> bool:
    return v in fold(row.pack_id) or v in fold(row.pack_title)


def _has_tag(v: str, row: Row) -> bool:
    """`tag:x` matches the tag x and its subtags (x-…), or a tag named x in any language; `tag:x*` a prefix."""
    return any(
        v == fold(t) or fold(t).startswith(v + "-") or (v.endswith("*") and fold(t).startswith(v[:-1]))
        for t in row.tags
    ) or any(v == fold(n) or (v.endswith("*") and fold(n).startswith(v[:-1])) for n in row.tag_names)


def _in_text(v: str, row: Row) -> bool:
    return v in row.text
