"""Load + validate a generated 10,000-card pack; compare with parsing the same files with CSafeLoader.

Goal (issue 2): under 2x the libyaml parse and under 1 s on a 2-core machine.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studyml.content.loader import load_pack

N_CARDS = 10_000
PER_FILE = 500
ITEMS_PER_CARD = 1


def generate(root: Path) -> None:
    (root / "cards").mkdir(parents=True)
    (root / "quizzes").mkdir()
    (root / "pack.yaml").write_text(
        "id: bench\nversion: 1.0.0\ntitle: {en: Bench, ko: 벤치}\nlanguages: [en, ko]\nlicense: MIT\nauthors: [b]\n",
        encoding="utf-8",
    )
    for f in range(N_CARDS // PER_FILE):
        cards, items = [], []
        for j in range(PER_FILE):
            i = f * PER_FILE + j
            cards.append(
                f"- id: card-{i}\n  title: {{en: Card {i}, ko: 카드 {i}}}\n"
                f"  front:\n    en: What is the derivative of $x^{i % 7 + 2}$ and why does it matter here?\n"
                f"    ko: $x^{i % 7 + 2}$의 도함수는 무엇이며 왜 중요한가?\n"
                f"  back:\n    en: |\n      It is ${i % 7 + 2}x^{i % 7 + 1}$. Gradients drive learning.\n"
                f"    ko: |\n      ${i % 7 + 2}x^{i % 7 + 1}$이다. 기울기가 학습을 이끈다.\n"
                f"  tags: [calculus, t{i % 13}]\n  see_also: [card-{(i + 1) % N_CARDS}]\n"
                f"  sources: [{{ref: 'Goodfellow et al. (2016), §4.3'}}]\n"
            )
            items.append(
                f"- id: item-{i}\n  card: card-{i}\n  kind: choice\n"
                f"  prompt: {{en: Pick the derivative, ko: 도함수를 고르시오}}\n"
                f"  choices: {{a: {{en: '{i % 7 + 2}x', ko: '{i % 7 + 2}x'}}, b: {{en: '0', ko: '0'}}}}\n"
                f"  answer: a\n  explanation: {{en: Power rule., ko: 거듭제곱 법칙.}}\n"
            )
        (root / "cards" / f"part-{f:03d}.yaml").write_text("".join(cards), encoding="utf-8")
        (root / "quizzes" / f"part-{f:03d}.yaml").write_text("".join(items), encoding="utf-8")


def baseline(root: Path) -> None:
    for p in sorted(root.rglob("*.yaml")):
        yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def median_time(fn, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STUDYML_HOME"] = str(Path(tmp) / "home")  # the parse cache goes there, not in the user's data
        root = Path(tmp) / "bench"
        generate(root)
        result = load_pack(root)
        assert result.ok and len(result.pack.cards) == N_CARDS, [str(d) for d in result.diagnostics[:5]]
        del result  # live objects would slow every later run's garbage collection
        gc.collect()
        base = median_time(lambda: baseline(root))
        cold = median_time(lambda: load_pack(root, cache=False))
        load_pack(root)  # fills the parse cache
        warm = median_time(lambda: load_pack(root))
    print(
        f"pack_load: {N_CARDS} cards + {N_CARDS * ITEMS_PER_CARD} quiz items in {N_CARDS // PER_FILE * 2} files, medians of 5"
    )
    print(f"  CSafeLoader parse only                  : {base * 1000:8.1f} ms")
    print(f"  studyml load + validate, first open     : {cold * 1000:8.1f} ms  ({cold / base:.2f}x)")
    print(f"  studyml load + validate, files unchanged: {warm * 1000:8.1f} ms  ({warm / base:.2f}x)")
    print("  goal: under 2x the CSafeLoader parse and under 1000 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
