"""Every test gets its own data dir: progress, installed packs and settings never touch the user's."""

import pytest


@pytest.fixture(autouse=True)
def studyml_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("studyml-home")
    monkeypatch.setenv("STUDYML_HOME", str(home))
    return home
