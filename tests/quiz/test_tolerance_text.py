"""A relative tolerance is said as the percentage it is: the He-init key read "0.173205 (± 0%)" in the app."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from studyml.quiz.tolerance import percent


@pytest.mark.parametrize(("rel", "shown"), [(0.0006, "0.06%"), (0.006, "0.6%"), (0.05, "5%"), (0.125, "12.5%")])
def test_a_relative_tolerance_is_said_to_its_first_significant_digits(rel, shown):
    assert percent(rel) == shown


def _numeric(rel):
    return SimpleNamespace(kind="numeric", answer=0.173205, unit=None, tolerance=SimpleNamespace(abs=None, rel=rel))


def test_the_key_shown_after_an_answer_and_in_practice_gives_the_tolerance_it_grades_with():
    from studyml.content.variants import expected
    from studyml.tui.widgets.answer_input import expected_text

    assert expected_text(_numeric(0.0006), "en") == "0.173205 (± 0.06%)"
    assert expected(_numeric(0.0006), "en").endswith("(± 0.06%)")
