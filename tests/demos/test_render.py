"""The plain-text result `studyml demo run` prints: texts and claims in the learner's language."""

from __future__ import annotations

import io
from types import SimpleNamespace

from studyml.demos import render


def _printed(result: dict, lang: str = "ko") -> str:
    """What `demo run` prints for a run of the fixture plugin that gave `result`."""
    res = SimpleNamespace(plugin_id="fx", seed=0, wall_seconds=0.1, result=result)
    out = io.StringIO()
    render.result(res, "Fixture", lang, out)
    return out.getvalue()


def test_result_prints_texts_and_claims_in_the_chosen_language():
    shown = _printed(
        {
            "duration": 0.1,
            "metrics": {"total": 5.0},
            "texts": [{"en": "The loss fell.", "ko": "손실이 줄었습니다."}],
            "claims": [{"id": "c", "text": {"en": "It holds.", "ko": "성립합니다."}, "passed": True}],
        }
    )
    assert "손실이 줄었습니다." in shown and "✓ c: 성립합니다." in shown and "The loss fell." not in shown
    assert "1/1 claims hold" in shown


def test_a_plugins_log_and_progress_reach_the_terminal_as_text_not_control_sequences():
    # A plugin's output was copied raw to stderr: "\x1b]0;…\x07" retitled the window, "\x1b[2J" cleared the screen.
    import io

    from studyml.demos.render import Progress

    out = io.StringIO()
    progress = Progress(out)
    progress({"type": "progress", "fraction": 0.5, "message": "step\x1b[2J one"})
    progress({"type": "log", "text": "loss\t0.5 \x1b]0;owned\x07 \udcff done"})
    shown = out.getvalue()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "step\\x1b[2J one" in shown and "  | loss\t0.5 \\x1b]0;owned\\x07 \\udcff done" in shown


def test_a_tables_cells_of_words_are_printed_in_the_chosen_language():
    shown = _printed(
        {
            "tables": [
                {
                    "title": {"en": "Losses", "ko": "손실"},
                    "columns": [{"en": "split", "ko": "데이터"}, "MSE"],
                    "rows": [[{"en": "train", "ko": "학습"}, 0.5]],
                }
            ]
        }
    )
    assert "학습" in shown and "0.5" in shown and "train" not in shown and "'ko'" not in shown, shown


def test_a_threshold_that_carries_its_comparison_is_not_given_another():
    # "best_val_epoch = in (1, 300)" beside a claim.
    assert (
        render.fmt({"best_val_epoch": "in (1, 300)", "x": "< 2", "y": 1.5})
        == "best_val_epoch in (1, 300), x < 2, y = 1.5"
    )
