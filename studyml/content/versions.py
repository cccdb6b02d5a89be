"""Version specifiers such as '>=0.1,<2' checked without extra dependencies."""

from __future__ import annotations

import re

_CLAUSE = re.compile(r"^\s*(==|!=|>=|<=|>|<|~=)\s*(\d+(?:\.\d+){0,2})\s*$")


def _key(v: str) -> tuple[int, int, int]:
    parts = [int(p) for p in re.match(r"\d+(?:\.\d+)*", v).group(0).split(".")[:3]]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


def parse_specifier(spec: str) -> list[tuple[str, tuple[int, int, int]]]:
    """Parse '>=0.1,<2' into clauses; ValueError with a hint when malformed."""
    clauses = []
    for raw in spec.split(","):
        m = _CLAUSE.match(raw)
        if not m:
            raise ValueError(f"{spec!r} is not a version specifier such as '>=0.1' or '>=0.1,<2'")
        clauses.append((m.group(1), _key(m.group(2))))
    return clauses


def satisfies(version: str, spec: str) -> bool:
    v = _key(version)
    for op, k in parse_specifier(spec):
        ok = {
            "==": v == k, "!=": v != k, ">=": v >= k, "<=": v <= k, ">": v > k, "<": v < k,
            "~=": v >= k and v[0] == k[0],
        }[op]
        if not ok:
            return False
    return True
