"""Demos whose series are named after parameter values put every series in its panel, labelled in both languages."""

from __future__ import annotations

import pytest

from studyml.demos.families import fill, match
from tests.plugins.helpers import in_a_panel, load_plugin, run_plugin


def _labels(plugin, series_id: str) -> dict[str, str]:
    for panel in plugin.plots:
        for family in panel.families:
            values = match(family.pattern, series_id)
            if values is not None:
                return {lang: fill(text, values) for lang, text in family.label.items()}
    return {}


@pytest.mark.parametrize(
    "name, params, example",
    [
        ("lr_too_large", {"n_lrs": 5, "steps": 40}, {"en": "lr = 1.50·(2/L)", "ko": "학습률 = 1.50·(2/L)"}),
        (
            "universal_approximation",
            {"max_width": 4, "restarts": 2, "steps": 20, "compositions": 2, "deep_start": "random"},
            {"en": "deep (2 layers × 2 units), start 2", "ko": "깊은 신경망 (층 2개 × 유닛 2개), 시작 2"},
        ),
    ],
)
def test_series_named_after_other_parameter_values_are_in_a_panel_with_labels_in_both_languages(name, params, example):
    plugin = load_plugin(name)
    ctx = run_plugin(plugin, **params)
    loose = [sid for sid in ctx.series if not in_a_panel(plugin, sid)]
    assert not loose, f"series that would fall back to a default panel with raw ids: {loose}"
    labels = {sid: _labels(plugin, sid) for sid in ctx.series}
    assert example in labels.values()
    for sid, by_lang in labels.items():  # every family member: a label per language, no placeholder left
        if by_lang:
            assert set(by_lang) == {"en", "ko"} and all("{" not in t for t in by_lang.values()), sid
