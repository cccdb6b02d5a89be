"""Reliability tests: a throwaway data dir (tests/conftest.py) the UI fixtures are in tests/conftest.py."""

from __future__ import annotations

import time

import pytest


@pytest.fixture
def utc_tz():
    # A patch of its own: monkeypatch.undo() would also undo the test's STUDYML_HOME before the other teardowns.
    with pytest.MonkeyPatch.context() as m:
        m.setenv("TZ", "UTC")
        time.tzset()
        yield
    time.tzset()
