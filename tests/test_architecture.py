"""The arrows stay one-way, and start-up paths never load torch, sympy or (outside the app) textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ["content", "quiz", "srs", "demos"]


def _type_checking_only(tree: ast.AST) -> set[ast.AST]:
    """Nodes under `if TYPE_CHECKING:` (annotations only, never imported at run time)."""
    skip: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.body:
                skip |= set(ast.walk(child))
    return skip


def _imports(path: Path, runtime_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree) if runtime_only else set()
    names = set()
    for node in ast.walk(tree):
        if node in skip:
            continue
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


@pytest.mark.parametrize("package", CORE)
def test_core_packages_never_import_the_cli(package):
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "studyml" / package).rglob("*.py")
        if any(n == "studyml.cli" or n.startswith("studyml.cli.") for n in _imports(p))
    ]
    assert offenders == []


# The one arrow between domain packages: content validates quiz answer keys with the quiz parser.
ALLOWED = {("content", "quiz")}
# One tolerated file (as in pyproject's contracts): a plugin's run-time estimate is a formula read with the safe
# math parser, the one thing of quiz that demos use.
TOLERATED = {("demos", "quiz", "studyml/demos/estimate.py")}


@pytest.mark.parametrize("package", CORE)
def test_domain_packages_import_no_other_except_content_to_quiz(package):
    """Lazy imports count too; imports under TYPE_CHECKING (annotations only) do not."""
    found = set()
    for path in (ROOT / "studyml" / package).rglob("*.py"):
        for name in _imports(path, runtime_only=True):
            parts = name.split(".")
            if parts[0] == "studyml" and len(parts) > 1 and parts[1] in CORE and parts[1] != package:
                found.add((package, parts[1], str(path.relative_to(ROOT))))
    assert {f for f in found if f[:2] not in ALLOWED and f not in TOLERATED} == set()


def test_nothing_imports_the_builtin_plugins_by_name():
    """Plugins are found by discovery; import-linter cannot see `studyml._plugins` (mapped by package-dir)."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "studyml").rglob("*.py")
        if any(n.split(".")[0] == "plugins" or n.startswith("studyml._plugins") for n in _imports(p))
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
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print(",".join(heavy))
"""
HEAVY = ("torch", "sympy", "textual")


@pytest.mark.parametrize(
    "code,heavy",
    [
        ("import studyml.cli; studyml.cli.build_parser()", HEAVY),
        (
            "import contextlib, io, studyml.cli\nwith contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):"
            " studyml.cli.main(['--help'])",
            HEAVY,
        ),
        ("import studyml.tui.app", ("torch", "sympy")),
        ("from studyml.content.library import discover_packs; discover_packs()", HEAVY),
        ("from studyml.demos.discovery import discover; discover()", HEAVY),
        ("import studyml.quiz.grading, studyml.quiz.mathparse", HEAVY),
    ],
)
def test_start_up_paths_do_not_load_heavy_modules(code, heavy, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(code=code, heavy=heavy)],
        capture_output=True,
        text=True,
        env={"STUDYML_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_the_first_frame_shows_the_cached_packs_without_pydantic_yaml_or_plugins(tmp_path):
    """The library's cached rows (read in the first frame) need neither validation nor plugin discovery."""
    env = {"STUDYML_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    write = "from studyml.tui.services import Services; Services().load_packs()"
    subprocess.run([sys.executable, "-c", write], env=env, cwd=ROOT, check=True, capture_output=True)
    first_frame = (
        "import studyml.tui.app, studyml.tui.screens.library\n"
        "from studyml.tui.services import Services\n"
        "assert Services().cached_packs(), 'no cached rows'"
    )
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(code=first_frame, heavy=HEAVY[:2] + ("pydantic", "yaml", "studyml.demos"))],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
