"""docs/packs.md describes every `studyml pack` subcommand and every option, and states the limits the code enforces."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from studyml.cli import build_parser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "packs.md"


def _pack_actions() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    pack = commands.choices["pack"]
    actions = next(a for a in pack._actions if isinstance(a, argparse._SubParsersAction))
    return dict(actions.choices)


@pytest.mark.parametrize("name", sorted(_pack_actions()))
def test_every_pack_subcommand_is_documented(name):
    assert f"studyml pack {name}" in DOCS.read_text(encoding="utf-8"), (
        f"docs/packs.md never mentions `studyml pack {name}`"
    )


@pytest.mark.parametrize(
    "name, options",
    [
        (name, action.option_strings)
        for name, sub in sorted(_pack_actions().items())
        for action in sub._actions
        if action.option_strings and not {"--help", "--json"} & set(action.option_strings)
    ],
)
def test_every_pack_option_is_documented(name, options):
    docs = DOCS.read_text(encoding="utf-8")
    assert any(re.search(r"(?<![\w-])" + re.escape(o) + r"\b", docs) for o in options), (
        f"`studyml pack {name} {options[-1]}` is not in docs/packs.md"
    )


def test_limits_in_the_docs_are_the_code_s():
    from studyml.content import install, yamlsafe
    from studyml.content.models import ItemBase, NonEmpty, OptionsBase, OrderItem
    from studyml.quiz import mathparse

    docs = DOCS.read_text(encoding="utf-8")
    max_text = next(m.max_length for m in NonEmpty.__metadata__ if hasattr(m, "max_length"))
    hints = next(m.max_length for m in ItemBase.model_fields["hints"].metadata if hasattr(m, "max_length"))
    fewest = {
        f: next(m.min_length for m in model.model_fields[f].metadata if hasattr(m, "min_length"))
        for model, f in ((OptionsBase, "choices"), (OrderItem, "steps"))
    }
    for figure in (
        f"at least {fewest['choices']} choices",
        f"at least {fewest['steps']} steps",
        f"{max_text:,} characters",
        f"{yamlsafe.MAX_FILE_BYTES // 2**20} MiB",
        f"{install.MAX_ZIP_BYTES // 2**20} MiB unpacked",
        f"{install.MAX_ZIP_ENTRIES:,} entries",
        f"{mathparse.MAX_LEN:,} characters",
        f"{mathparse.MAX_NODES} parts",
        f"nesting depth {mathparse.MAX_DEPTH}",
        f"up to {mathparse.MAX_EXPONENT:,} in absolute value",
        f"{mathparse.MAX_DIGITS:,} digits",
        f"at most {hints}",
    ):
        assert figure in docs, f"docs/packs.md does not state the limit {figure!r}"


@pytest.mark.slow
def test_the_python_package_example_in_the_docs_installs_and_lists_as_package(tmp_path):
    """The pyproject.toml of docs/packs.md, as written there, ships a pack that `pack list` shows as `package`."""
    import json
    import os
    import subprocess
    import sys

    from studyml.content.scaffold import scaffold

    docs = DOCS.read_text(encoding="utf-8")
    pyproject = re.search(r"```toml\n(.*?)```", docs, re.S).group(1)
    entry = re.search(r'^(\w[\w-]*) = "(\w+):(\w+)"$', pyproject, re.M)
    package, folder = entry.group(2), entry.group(3)
    src = tmp_path / "project"
    (src / "src" / package).mkdir(parents=True)
    (src / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (src / "src" / package / "__init__.py").write_text("")
    scaffold(src / "src" / package / folder)
    site = tmp_path / "site"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "--target",
            str(site),
            str(src),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p),
        "STUDYML_HOME": str(tmp_path / "home"),
    }
    out = subprocess.run(
        [sys.executable, "-m", "studyml.cli", "pack", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    row = next(p for p in json.loads(out.stdout)["packs"] if p["source"] == "package")
    assert row["ok"] and row["cards"] == 1 and row["items"] == 6  # cards/ and quizzes/ both shipped


def test_the_diagnostics_example_in_the_docs_is_what_validate_prints(tmp_path, capsys):
    """The example under "Diagnostics", made as a pack: every line, the verdict's counts included, as printed."""
    from tests.content.packutil import make_pack, run

    docs = DOCS.read_text(encoding="utf-8")
    example = re.search(r"## Diagnostics\n.*?```\n(.*?)```", docs, re.S).group(1).splitlines()
    long_back = "x" * 20001
    root = make_pack(
        tmp_path,
        {
            "cards/basics.yaml": (
                "- id: sigmoid\n  title: {en: T, ko: 제목}\n  front: {en: F, ko: 앞}\n"
                f"  back: {{en: {long_back}, ko: 뒤}}\n"
            ),
            "quizzes/q.yaml": (
                "- id: q1\n  card: sigmoid\n  kind: choice\n  prompt: {en: P, ko: 질문}\n"
                "  choices:\n    a: {en: A, ko: 가}\n    b: {en: B, ko: 나}\n"
                "  answer: c\n  explanation: {en: E, ko: 설명}\n"
            ),
        },
        name="my-pack",
    )
    # A second card without sources: the warning of the example (a card with an error is not checked further).
    (root / "cards" / "more.yaml").write_text(
        "- id: tanh\n  title: {en: T, ko: 제목}\n  front: {en: F, ko: 앞}\n  back: {en: B, ko: 뒤}\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, "pack", "validate", str(root))
    assert code == 1
    # Lines, columns, the order (by file) and the verdict's counts (of the entries read valid) as printed.
    assert [line.replace(str(root), "my-pack") for line in out.splitlines()] == example


def test_the_keys_of_pack_watch_json_are_the_documented_ones(tmp_path, capsys):
    """docs/packs.md and `pack watch --help` list the keys `pack watch --json` prints (they left out `kinds`)."""
    import json

    from tests.content.packutil import make_pack, run

    root = make_pack(tmp_path)
    code, out, _ = run(capsys, "pack", "watch", str(root), "--once", "--json")
    assert code == 0
    printed = set(json.loads(out))
    documented = re.search(
        r"`--json` prints one object per validation,\s*`\{([^}]*)\}`", DOCS.read_text(encoding="utf-8")
    )
    assert {k.strip() for k in documented.group(1).split(",")} == printed
    helped = re.search(r"\{([^}]*)\}", _pack_actions()["watch"].format_help().replace("\n", " "))
    assert {re.sub(r"\s+", "", k) for k in helped.group(1).split(",")} == printed
