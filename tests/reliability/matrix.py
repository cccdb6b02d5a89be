"""The fault matrix: every reliability case as a named scenario, run by `make faults` and printed as a table.

Each area keeps its cases in its own module (`*_cases.py` next to this one) as a list `CASES` of `Case`.
A case runs the real code path (the CLI, the store, the worker) against one fault and reports what a
user would have seen: the outcome, how long until a message, and how many processes it left behind.
The pytest files in this folder run the cases too (a case must come out clean); this module collects and prints them.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

OUTCOMES = ("clean", "degraded", "lost", "hang", "crash")


@dataclass(frozen=True)
class Outcome:
    outcome: str  # one of OUTCOMES: clean = clear message and nothing lost; degraded = works with less
    seconds_to_message: float
    processes_left: int = 0
    detail: str = ""


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable[[Path], Outcome]  # gets a fresh scratch folder (use it as STUDYML_HOME)
    slow: bool = False  # left out of `make test-fast` when a test runs the case


def all_cases() -> list[Case]:
    here = Path(__file__).parent
    cases: list[Case] = []
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if info.name.endswith("_cases"):
            cases += importlib.import_module(f"tests.reliability.{info.name}").CASES
    return cases


def main() -> int:
    import tempfile

    rows = []
    for case in all_cases():
        with tempfile.TemporaryDirectory() as scratch:
            t0 = time.monotonic()
            try:
                out = case.run(Path(scratch))
            except Exception as e:  # the harness must report, not stop, on a case that raises
                out = Outcome("crash", time.monotonic() - t0, detail=f"{type(e).__name__}: {e}")
        rows.append((case.name, out))
    width = max((len(n) for n, _ in rows), default=4)
    print(f"{'case':<{width}}  outcome   to message  procs left  detail")
    for name, o in rows:
        print(f"{name:<{width}}  {o.outcome:<8}  {o.seconds_to_message:8.2f} s  {o.processes_left:10d}  {o.detail}")
    bad = [n for n, o in rows if o.outcome not in ("clean", "degraded") or o.processes_left]
    print(f"{len(rows) - len(bad)} passed, {len(bad)} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
