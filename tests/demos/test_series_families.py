"""Plugin API 1.2: a plot panel declares a family of series named after parameter values, validated when listed."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from studyml.demos.api import ClaimSpec, PanelSpec, Plugin, SeriesFamily
from studyml.demos.families import fill, match


class P(BaseModel):
    n: int = 3


def _plugin(*families: SeriesFamily, api_version: str = "1.2", **panel) -> Plugin:
    return Plugin(
        id="fam",
        title={"en": "F"},
        summary={"en": "F"},
        params=P,
        claims=[ClaimSpec("a", {"en": "A"})],
        run=lambda p, ctx: None,
        api_version=api_version,
        plots=(PanelSpec("loss", {"en": "Loss"}, {"en": "step"}, {"en": "loss"}, families=families, **panel),),
    )


LR = SeriesFamily("lr = {lr}", {"en": "learning rate {lr}", "ko": "학습률 {lr}"})


def test_a_family_matches_its_series_and_fills_the_label_from_the_id():
    assert match(LR.pattern, "lr = 0.05") == {"lr": "0.05"}
    assert match(LR.pattern, "lr = 0.05 (momentum)") == {"lr": "0.05 (momentum)"}
    assert match(LR.pattern, "loss") is None and match(LR.pattern, "lr = ") is None
    two = "width {w}, start {s}: MSE"
    assert match(two, "width 16, start 3: MSE") == {"w": "16", "s": "3"}
    assert fill(LR.label["ko"], {"lr": "0.05"}) == "학습률 0.05"
    assert match("{{raw}} {x}", "{raw} 7") == {"x": "7"}  # doubled braces are literal


def test_metadata_lists_the_families_of_a_panel():
    meta = _plugin(LR, series={"base": {"en": "baseline", "ko": "기준"}}).metadata()
    assert meta["api_version"] == "1.2"
    assert meta["plots"][0]["families"] == [
        {"pattern": "lr = {lr}", "label": {"en": "learning rate {lr}", "ko": "학습률 {lr}"}}
    ]
    assert meta["plots"][0]["series"] == {"base": {"en": "baseline", "ko": "기준"}}


@pytest.mark.parametrize(
    "family, problem",
    [
        (SeriesFamily("lr", {"en": "lr"}), "has no {placeholder}"),
        (SeriesFamily("lr = {lr}", {"en": "lr {rate}"}), "uses {rate}, which the pattern does not have"),
        (SeriesFamily("lr = {lr}", {"ko": "학습률 {lr}"}), "needs a label {'en': ..., 'ko': ...}"),
        (SeriesFamily("lr = {lr", {"en": "lr"}), "write literal braces as {{ and }}"),
        (SeriesFamily("{a}{b}", {"en": "{a}"}), "put text between placeholders"),
        (SeriesFamily("lr = {0}", {"en": "lr"}), "placeholders are names"),
    ],
)
def test_a_bad_family_is_refused_with_a_reason(family, problem):
    with pytest.raises(ValueError) as e:
        _plugin(family)
    assert "plugin 'fam'" in str(e.value) and "plot panel 'loss'" in str(e.value) and problem in str(e.value)


def test_families_need_api_1_2():
    with pytest.raises(ValueError) as e:
        _plugin(LR, api_version="1.1")
    assert 'declares series families, which need api_version="1.2"' in str(e.value)
