"""Shared fixtures for the Textual UI tests: a fixture pack only, no built-in content, no warm worker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.tui.helpers import PACK_ID

DEMO_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "demo_plugins"


@pytest.fixture
def demo_plugins(studyml_home, no_builtins) -> Path:
    """Only the fixture plugins (fast, no torch), so runs are quick and results stable."""
    shutil.copytree(DEMO_FIXTURES, studyml_home / "plugins", dirs_exist_ok=True)
    return studyml_home / "plugins"


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
