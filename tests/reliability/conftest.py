"""Reliability tests: a throwaway data dir (tests/conftest.py) and the UI fixtures (a fixture pack, no built-ins)."""

from __future__ import annotations

import time

import pytest

from tests.tui.conftest import fixture_pack, no_builtins


@pytest.fixture
def utc_tz(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
