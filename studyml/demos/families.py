"""Series families: a panel's pattern for series named after parameter values ("lr = {factor}·(2/L)"), and their labels.

A pattern is the series id with `{name}` placeholders; each matches any text, and the label template
(per language) is filled with what they matched. Plain text, never eval; `{{` and `}}` are literal braces.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache


def fields(template: str) -> list[str]:
    """The placeholder names of a template, in order ("lr = {factor}" -> ["factor"]); ValueError if malformed."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(f"(?P<{name}>.+?)")
    return re.compile("".join(parts), re.DOTALL)


def match(pattern: str, series_id: str) -> dict[str, str] | None:
    """What each placeholder matched when `series_id` is a member of the family, else None."""
    try:
        found = _regex(pattern).fullmatch(series_id)
    except (ValueError, re.error):  # a malformed pattern (validated when the plugin is listed) matches nothing
        return None
    return found.groupdict() if found else None


def fill(template: str, values: dict[str, str]) -> str:
    """The label for one member: the template with its placeholders filled (a bad template is shown as is)."""
    try:
        return template.format_map(values)
    except (KeyError, ValueError, IndexError, AttributeError):
        return template


def problems(pattern: object, label: object) -> list[str]:
    """What is wrong with a family's declaration, for the plugin's listing (empty when it is fine)."""
    if not isinstance(pattern, str) or not pattern:
        return [f"a series family's pattern must be a non-empty string, not {pattern!r}"]
    try:
        names = fields(pattern)
    except ValueError as e:
        return [f"series family pattern {pattern!r}: {e} (write literal braces as {{{{ and }}}})"]
    out = []
    if not names:
        out.append(f"series family pattern {pattern!r} has no {{placeholder}}: name the series in `series` instead")
    elif any(not n.isidentifier() for n in names):
        out.append(f"series family pattern {pattern!r}: placeholders are names, like {{lr}}, not {names}")
    elif len(set(names)) != len(names):
        out.append(f"series family pattern {pattern!r} repeats a placeholder")
    elif re.search(r"\{\w+\}\{\w+\}", pattern):
        out.append(f"series family pattern {pattern!r}: put text between placeholders, or one cannot be told apart")
    if not isinstance(label, dict) or not isinstance(label.get("en"), str) or not label["en"]:
        out.append(f"series family {pattern!r} needs a label {{'en': ..., 'ko': ...}}")
        return out
    for lang, text in label.items():
        if not isinstance(text, str):
            out.append(f"series family {pattern!r}: its {lang!r} label must be a string")
            continue
        try:
            unknown = [n for n in fields(text) if n not in names]
        except ValueError as e:
            out.append(f"series family {pattern!r}: its {lang!r} label {text!r}: {e}")
            continue
        if unknown:
            out.append(
                f"series family {pattern!r}: its {lang!r} label uses {{{unknown[0]}}}, which the pattern does not "
                f"have (it has {', '.join('{' + n + '}' for n in names) or 'none'})"
            )
    return out
