"""The arrows stay one-way, and start-up paths never load torch or sympy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ["content", "quiz", "srs", "demos"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", CORE)
def test_core_packages_never_import_the_tui(package):
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "studyml" / package).rglob("*.py")
        if any(n == "studyml.tui" or n.startswith("studyml.tui.") for n in _imports(p))
    ]
    assert offenders == []


def test_tui_never_imports_torch_or_sympy_directly():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "studyml" / "tui").rglob("*.py")
        if any(n.split(".")[0] in ("torch", "sympy") for n in _imports(p))
    ]
    assert offenders == []


PROBE = """
import sys
{code}
heavy = sorted(m for m in ("torch", "sympy") if m in sys.modules)
print(",".join(heavy))
"""


@pytest.mark.parametrize("code", [
    "import studyml.cli; studyml.cli.build_parser()",
    "import studyml.tui.app",
    "from studyml.content.library import discover_packs; discover_packs()",
    "from studyml.demos.discovery import discover; discover()",
    "import studyml.quiz.grading, studyml.quiz.mathparse",
])
def test_start_up_paths_do_not_load_heavy_modules(code, tmp_path):
    proc = subprocess.run([sys.executable, "-c", PROBE.format(code=code)], capture_output=True, text=True,
                          env={"STUDYML_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
