"""Reliability tests: a throwaway data dir (tests/conftest.py) the UI fixtures are in tests/conftest.py."""

from __future__ import annotations

import time

import pytest


@pytest.fixture
def utc_tz(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
