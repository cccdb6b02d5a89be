"""Plain-text rendering for the demo commands: tables, results, progress on stderr."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from studyml.lang import cell_width, pad, pick, terminal_text


def fmt(v: Any) -> str:
    """A metric, observed value or threshold as text; {'x': 1.5, 'y': '< 2'} -> 'x = 1.5, y < 2'."""
    if isinstance(v, bool) or v is None:
        return str(v).lower() if isinstance(v, bool) else "-"
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, dict):
        # A threshold may already carry its comparison ('== λ‖w‖²', 'in (1, 300)'): no '=' in front of it then.
        return ", ".join(
            f"{k} {x}" if isinstance(x, str) and (x[:1] in "<>=!≤≥∈≠" or x.startswith("in ")) else f"{k} = {fmt(x)}"
            for k, x in v.items()
        )
    if isinstance(v, list):
        return "[" + ", ".join(fmt(x) for x in v) + "]"
    return str(v)


def cells(row: list[Any], lang: str) -> list[Any]:
    """A row of a plugin's table with its cells of words in `lang` (a {language: string} cell; see ctx.table)."""
    return [pick(v, lang) if isinstance(v, dict) else v for v in row]


def table(headers: list[str], rows: list[list[Any]], out: TextIO, indent: str = "") -> None:
    cells = [[fmt(c) for c in r] for r in rows]
    # In terminal cells, not characters: a Korean title takes two cells a syllable.
    widths = [max([cell_width(h)] + [cell_width(r[i]) for r in cells if i < len(r)]) for i, h in enumerate(headers)]
    for r in [headers] + cells:
        print(indent + "  ".join(pad(c, w) for c, w in zip(r, widths)).rstrip(), file=out)


def result(res, title: str, lang: str, out: TextIO | None = None) -> None:
    """The human-readable result of a run: metrics, claims (✓/✗ with observed and threshold), tables, text."""
    out = out or sys.stdout  # looked up per call: the stream may be replaced after import (tests, redirects)
    r = res.result or {}
    print(f"{res.plugin_id} — {title}  (seed {res.seed}, {r.get('duration', res.wall_seconds):.2f} s)", file=out)
    if r.get("metrics"):
        print("\nMetrics", file=out)
        table(["name", "value"], [[k, v] for k, v in r["metrics"].items()], out, "  ")
    for t in r.get("tables", []):
        print(f"\n{pick(t.get('title'), lang)}", file=out)
        rows = [cells(r, lang) for r in t.get("rows", [])]
        table([pick(c, lang) for c in t.get("columns", [])], rows[:20], out, "  ")
        if len(rows) > 20:
            print(f"  … {len(rows) - 20} more rows", file=out)
    for text in r.get("texts", []):
        print("\n" + pick(text, lang), file=out)
    claims = r.get("claims", [])
    if claims:
        print("\nClaims", file=out)
    for c in claims:
        mark = "✓" if c.get("passed") else "✗"
        print(f"  {mark} {c['id']}: {pick(c.get('text'), lang)}", file=out)
        parts = [
            f"observed {fmt(c.get('observed') or {})}" if c.get("observed") else "",
            f"threshold {fmt(c.get('threshold'))}" if c.get("threshold") is not None else "",
            pick(c.get("detail"), lang),
        ]
        if any(parts):
            print("      " + " · ".join(p for p in parts if p), file=out)
    held = sum(1 for c in claims if c.get("passed"))
    print(f"\n{held}/{len(claims)} claims hold", file=out)


class Progress:
    """Streams run events to stderr: one rewritten line on a terminal, sparse lines otherwise."""

    def __init__(self, out: TextIO | None = None):
        out = out or sys.stderr  # looked up per call, like result()
        self.out = out
        self.tty = out.isatty()
        self._last: tuple[str | None, int] = (None, -1)
        self._printed_at = 0.0
        self._open = False

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "progress":
            pct, msg = int(100 * event.get("fraction", 0)), terminal_text(str(event.get("message", "")))
            line = f"[{pct:3d}%] {msg}"
            if self.tty:
                self.out.write("\r\x1b[2K" + line[:200])
                self._open = True
            elif pct // 10 != self._last[1] // 10 or (msg != self._last[0] and time.monotonic() - self._printed_at > 1):
                # Logs and CI output get a line per 10% or per second, not one per step.
                print(line, file=self.out)
                self._printed_at = time.monotonic()
            self._last = (msg, pct)
        elif kind == "log":
            self.end()
            print(f"  | {terminal_text(str(event.get('text', '')))}", file=self.out)
        elif kind in ("result", "error"):
            self.end()
        self.out.flush()

    def end(self) -> None:
        if self._open:
            self.out.write("\n")
            self._open = False
