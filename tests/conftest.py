"""Every test gets its own data dir: progress, installed packs and settings never touch the user's."""

from pathlib import Path

import pytest

from studyml import paths
from studyml.content.scaffold import scaffold


@pytest.fixture(autouse=True)
def studyml_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("studyml-home")
    monkeypatch.setenv("STUDYML_HOME", str(home))
    return home


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
    return scaffold(studyml_home / "packs" / "fixture")
