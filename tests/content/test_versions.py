"""A pack's `requires.studyml` follows PEP 440, as pip reads the same specifier."""

from __future__ import annotations

import pytest

from studyml.content.versions import parse_specifier, satisfies


@pytest.mark.parametrize(
    "version,spec,expected",
    [
        ("0.9.0", "~=0.1.2", False),  # ~=0.1.2 means >=0.1.2,==0.1.*: the old check admitted any 0.x
        ("0.1.5", "~=0.1.2", True),
        ("0.1.1", "~=0.1.2", False),
        ("0.1.0rc1", ">=0.1", False),  # a release candidate comes before 0.1.0
        ("0.1.0", ">=0.1", True),
        ("0.2.0rc1", ">=0.1", True),  # a pre-release of studyml itself is judged by its place in the order
        ("1.0.0", ">=0.1,<1", False),
        ("0.1.0", "==0.1", True),
        ("0.1.0", "!=0.1.0", False),
        ("1.2.3", "==1.*", True),
    ],
)
def test_satisfies_follows_pep_440(version, spec, expected):
    assert satisfies(version, spec) is expected


@pytest.mark.parametrize("spec", ["", "0.1", ">= banana", "=>0.1"])
def test_a_malformed_specifier_is_a_value_error_with_a_hint(spec):
    with pytest.raises(ValueError, match="is not a version specifier such as '>=0.1'"):
        parse_specifier(spec)
