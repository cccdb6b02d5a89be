"""Quiz templates: draw + render + grade in the app process, a plugin check on the warm worker, and
`studyml verify` of 50 draws for every built-in template.

Goals (issue 13): under 20 ms for draw + render + grade of a formula template, with neither sympy nor
torch loaded; under 100 ms for one plugin check on a warm worker; under 60 s for verify of every
template. Ratios are against baselines measured in the same run: grading the same item with fixed
numbers (no template), and an allow-listed no-op call on the same warm worker.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STUDYML_HOME", tempfile.mkdtemp(prefix="studyml-bench-"))

from studyml.content.loader import load_pack  # noqa: E402
from studyml.quiz.grading import grade  # noqa: E402
from studyml.quiz.template import fresh_variant, instantiate  # noqa: E402

PACK = ROOT / "content" / "ml-foundations"
REPS = 200


def ms(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1e3:.3f} ms, p95 {sorted(times)[int(len(times) * 0.95)] * 1e3:.3f} ms"


def app_process(items) -> float:
    item = next(i for i in items if i.id == "t-kl-categorical")  # six params, two derived, a long key
    fixed = instantiate(item, 1).item
    base, templ = [], []
    for n in range(REPS):
        t = time.perf_counter()
        grade(fixed, "0.1")
        base.append(time.perf_counter() - t)
        t = time.perf_counter()
        v = fresh_variant(item, n)
        _ = v.item.prompt["en"], v.item.prompt["ko"]
        grade(v.item, "0.1")
        templ.append(time.perf_counter() - t)
    heavy = [m for m in ("sympy", "torch", "numpy") if m in sys.modules]
    print(f"app process, {item.id}: draw + render (en, ko) + grade: {ms(templ)}")
    print(
        f"  baseline, grading the same item with fixed numbers: {ms(base)}; "
        f"ratio {statistics.median(templ) / statistics.median(base):.1f}x"
    )
    print(f"  heavy modules loaded in the app process: {heavy or 'none'}  (goal: none; < 20 ms)")
    return statistics.median(templ)


def warm_worker(items) -> float:
    from studyml.demos.discovery import discover
    from studyml.demos.runner import DemoRunner

    reg = discover()
    info = reg.get("template-checks")
    item = next(i for i in items if i.id == "t-conv-output-size")
    draws = [instantiate(item, s).values for s in range(1, 21)]
    with DemoRunner(registry=reg, keep_warm=True) as runner:
        runner.start_warm()
        runner.wait_warm(120)
        runner.call(
            "studyml.demos.checks:run_check",
            locator=info.locator,
            check="conv-output-size",
            draws=draws[:1],
            timeout=120,
        )  # loads the plugin once
        base, one = [], []
        for d in draws:
            t = time.perf_counter()
            runner.call("studyml.demos.worker:versions", timeout=30)
            base.append(time.perf_counter() - t)
            t = time.perf_counter()
            runner.call(
                "studyml.demos.checks:run_check", locator=info.locator, check="conv-output-size", draws=[d], timeout=30
            )
            one.append(time.perf_counter() - t)
    print(f"warm worker, check conv-output-size (a real torch Conv2d) for one draw: {ms(one)}  (goal < 100 ms)")
    print(
        f"  baseline, an allow-listed no-op call on the same worker: {ms(base)}; "
        f"ratio {statistics.median(one) / statistics.median(base):.1f}x"
    )
    return statistics.median(one)


def verify_all(n_templates: int) -> float:
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "studyml.cli", "verify", "template-checks", "--seeds", "50"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - t
    last = (out.stdout.strip().splitlines() or ["?"])[-1]
    print(
        f"studyml verify, 50 draws of each of {n_templates} templates (plus the template-checks demo): "
        f"{seconds:.1f} s wall  (goal < 60 s) — {last}"
    )
    return seconds


def main() -> None:
    result = load_pack(PACK, cache=False)
    assert result.pack is not None, result.errors[:3]
    templates = [i for i in result.pack.items if i.is_template]
    print(f"{len(templates)} templates in {PACK.name}")
    app_process(result.pack.items)
    warm_worker(result.pack.items)
    if "--no-verify" not in sys.argv:
        verify_all(len(templates))


if __name__ == "__main__":
    main()
