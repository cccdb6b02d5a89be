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
    assert f"studyml pack {name}" in DOCS.read_text(encoding="utf-8"), f"docs/packs.md never mentions `studyml pack {name}`"


@pytest.mark.parametrize("name, options", [
    (name, action.option_strings) for name, sub in sorted(_pack_actions().items()) for action in sub._actions
    if action.option_strings and not {"--help", "--json"} & set(action.option_strings)
])
def test_every_pack_option_is_documented(name, options):
    docs = DOCS.read_text(encoding="utf-8")
    assert any(re.search(r"(?<![\w-])" + re.escape(o) + r"\b", docs) for o in options), \
        f"`studyml pack {name} {options[-1]}` is not in docs/packs.md"


def test_limits_in_the_docs_are_the_code_s():
    from studyml.content import install, yamlsafe
    from studyml.content.models import ItemBase, NonEmpty, OptionsBase, OrderItem
    from studyml.quiz import mathparse

    docs = DOCS.read_text(encoding="utf-8")
    max_text = next(m.max_length for m in NonEmpty.__metadata__ if hasattr(m, "max_length"))
    hints = next(m.max_length for m in ItemBase.model_fields["hints"].metadata if hasattr(m, "max_length"))
    fewest = {f: next(m.min_length for m in model.model_fields[f].metadata if hasattr(m, "min_length"))
              for model, f in ((OptionsBase, "choices"), (OrderItem, "steps"))}
    for figure in (f"at least {fewest['choices']} choices", f"at least {fewest['steps']} steps", f"{max_text:,} characters", f"{yamlsafe.MAX_FILE_BYTES // 2**20} MiB",
                   f"{install.MAX_ZIP_BYTES // 2**20} MiB unpacked", f"{install.MAX_ZIP_ENTRIES:,} entries",
                   f"{mathparse.MAX_LEN:,} characters", f"{mathparse.MAX_NODES} parts", f"nesting depth {mathparse.MAX_DEPTH}",
                   f"up to {mathparse.MAX_EXPONENT:,} in absolute value", f"{mathparse.MAX_DIGITS:,} digits",
                   f"at most {hints}"):
        assert figure in docs, f"docs/packs.md does not state the limit {figure!r}"
