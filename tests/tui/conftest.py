"""Shared fixtures for the Textual UI tests: a fixture pack only, no built-in content, no warm worker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studyml import paths
from studyml.content.scaffold import scaffold

SIZE = (120, 40)
PACK_ID = "fixture"


@pytest.fixture
def no_builtins(tmp_path_factory, monkeypatch):
    """Hide the built-in packs and plugins: they are written by others and may change or break."""
    empty = tmp_path_factory.mktemp("no-builtins")
    monkeypatch.setattr(paths, "builtin_content_dir", lambda: empty)
    monkeypatch.setattr(paths, "builtin_plugins_dir", lambda: empty)
    return empty


@pytest.fixture
def fixture_pack(studyml_home, no_builtins) -> Path:
    """The scaffolded pack (1 card, one quiz item of each kind) installed as `fixture`."""
    return scaffold(studyml_home / "packs" / PACK_ID)


@pytest.fixture
def broken_pack(studyml_home, fixture_pack) -> Path:
    """A second pack whose quiz names an answer that is not one of its choices."""
    folder = studyml_home / "packs" / "broken"
    shutil.copytree(fixture_pack, folder)
    pack = folder / "pack.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8")
        .replace("id: fixture", "id: broken")
        .replace("My pack", "Broken pack")
        .replace("나의 팩", "고장 난 팩"),
        encoding="utf-8",
    )
    quiz = folder / "quizzes" / "basics.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("  answer: a\n", "  answer: z\n", 1), encoding="utf-8")
    return folder


@pytest.fixture
def no_shuffle(monkeypatch):
    """The quiz keeps the pack's item order (QuizSetupScreen.start shuffles with random.shuffle)."""
    import studyml.tui.screens.quiz as quiz

    monkeypatch.setattr(quiz.random, "shuffle", lambda items, *a, **k: None)
