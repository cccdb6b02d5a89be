"""A pack's `requires.studyml` (a PEP 440 specifier such as '>=0.1,<2') checked with `packaging`."""

from __future__ import annotations

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version


def parse_specifier(spec: str) -> SpecifierSet:
    """Parse '>=0.1,<2'; ValueError with a hint when malformed."""
    try:
        if not spec.strip():
            raise InvalidSpecifier(spec)
        return SpecifierSet(spec)
    except InvalidSpecifier:
        raise ValueError(f"{spec!r} is not a version specifier such as '>=0.1' or '>=0.1,<2'") from None


def satisfies(version: str, spec: str) -> bool:
    """Whether `version` is in `spec` by PEP 440 ('~=0.1.2' is >=0.1.2,==0.1.*; 0.1.0rc1 comes before 0.1).

    A pre-release of studyml itself is judged by its place in that order (0.2.0rc1 satisfies '>=0.1') instead
    of being refused outright, as pip's default would.
    """
    try:
        return parse_specifier(spec).contains(Version(version), prereleases=True)
    except InvalidVersion:
        return False
