"""Fixtures for the built-in plugin tests; the helpers themselves live in tests/plugins/helpers.py."""

from __future__ import annotations

import pytest

from tests.plugins.helpers import run_plugin


@pytest.fixture
def run():
    return run_plugin
