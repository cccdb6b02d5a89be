"""Cold vs warm worker: time to the first progress event and to the result, for three fast demos."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studyml.demos.discovery import discover  # noqa: E402
from studyml.demos.runner import DemoRunner  # noqa: E402

PREFERRED = ["monte-carlo", "lr-too-large", "cnn-shapes"]
GOAL_WARM_FIRST_PROGRESS = 0.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per demo and mode (median reported)")
    parser.add_argument("demos", nargs="*", help=f"demo ids (default: {', '.join(PREFERRED)})")
    args = parser.parse_args()
    import os

    os.environ.setdefault("STUDYML_HOME", tempfile.mkdtemp(prefix="studyml-bench-"))
    reg = discover()
    demos = args.demos or [d for d in PREFERRED if d in reg.plugins]
    if len(demos) < 3 and not args.demos:  # until the preferred built-ins exist, take the fastest others
        rest = sorted((i.plugin.expected_seconds, pid) for pid, i in reg.plugins.items() if pid not in demos)
        demos += [pid for _, pid in rest[: 3 - len(demos)]]
    if not demos:
        print("no demos found", file=sys.stderr)
        return 1

    rows = []
    for demo in demos:
        cold = [_measure(DemoRunner(registry=reg, keep_warm=False), demo, warm=False) for _ in range(args.repeat)]
        warm_runner = DemoRunner(registry=reg, keep_warm=True)
        warm = [_measure(warm_runner, demo, warm=True) for _ in range(args.repeat)]
        warm_runner.close()
        rows.append((demo, *_medians(cold), *_medians(warm)))

    print(f"median of {args.repeat} runs, seconds from request")
    print(f"{'demo':<22}{'cold first':>12}{'cold result':>13}{'warm first':>12}{'warm result':>13}")
    for demo, cf, cr, wf, wr in rows:
        print(f"{demo:<22}{cf:>12.3f}{cr:>13.3f}{wf:>12.3f}{wr:>13.3f}")
    worst = max(r[3] for r in rows)
    verdict = "meets" if worst < GOAL_WARM_FIRST_PROGRESS else "misses"
    print(f"warm first progress: worst {worst:.3f} s ({verdict} the {GOAL_WARM_FIRST_PROGRESS} s goal)")
    return 0


def _measure(runner: DemoRunner, demo: str, warm: bool) -> tuple[float, float]:
    if warm:
        runner.start_warm()
        runner.wait_warm(60)
    res = runner.run(demo, {}, timeout=120)
    if not warm:
        runner.close()
    if not res.ok:
        raise SystemExit(f"{demo}: {res.error['kind']}: {res.error['message']}")
    first = res.first_progress_seconds if res.first_progress_seconds is not None else float("nan")
    return first, res.wall_seconds


def _medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


if __name__ == "__main__":
    sys.exit(main())
