"""The plain-text result `studyml demo run` prints: texts and claims in the learner's language."""

from __future__ import annotations

import io
from types import SimpleNamespace

from studyml.demos import render


def test_result_prints_texts_and_claims_in_the_chosen_language():
    res = SimpleNamespace(
        plugin_id="fx",
        seed=0,
        wall_seconds=0.1,
        result={
            "duration": 0.1,
            "metrics": {"total": 5.0},
            "texts": [{"en": "The loss fell.", "ko": "손실이 줄었습니다."}],
            "claims": [{"id": "c", "text": {"en": "It holds.", "ko": "성립합니다."}, "passed": True}],
        },
    )
    out = io.StringIO()
    render.result(res, "Fixture", "ko", out)
    shown = out.getvalue()
    assert "손실이 줄었습니다." in shown and "✓ c: 성립합니다." in shown and "The loss fell." not in shown
    assert "1/1 claims hold" in shown
