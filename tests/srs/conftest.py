"""SRS tests: a throwaway data dir and UTC local time, so day boundaries are the same on every machine."""

from __future__ import annotations

import time

import pytest

from studyml.srs.store import Store
from tests.srs.helpers import fake_pack


@pytest.fixture(autouse=True)
def srs_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("STUDYML_HOME", str(home))
    # A patch of its own: monkeypatch.undo() would also undo STUDYML_HOME before the other fixtures' teardowns.
    with pytest.MonkeyPatch.context() as m:
        m.setenv("TZ", "UTC")
        time.tzset()
        yield home
    time.tzset()


@pytest.fixture
def store(srs_home):
    s = Store()
    yield s
    s.close()


@pytest.fixture
def make_pack():
    return fake_pack
