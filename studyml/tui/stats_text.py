"""The statistics summary in the learner's words: the app's statistics screen and `studyml --lang ko stats`."""

from __future__ import annotations

from studyml.tui.i18n import tr


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def summary_lines(d: dict, lang: str) -> list[str]:
    """Reviews, retention, what is due and quiz accuracy, from `srs.stats.compute_stats`, one line each."""
    tot, r, q, f = d["totals"], d["retention"], d["quiz"], d["forecast"]
    return [
        # Card reviews and quiz answers that reviewed a card, apart (a quiz can add many at once).
        tr(
            "stats.totals",
            lang,
            total=tot.get("card_reviews", tot["reviews"]),
            quiz=tot.get("quiz_reviews", 0),
            today=tot["reviews_today"],
            cards=tot["cards_studied"],
        ),
        tr(
            "stats.retention" if r["reviews"] else "stats.retention.none",  # "of 0 reviews: —" said nothing
            lang,
            days=r["window_days"],
            pct=pct(r["true_retention"]),
            n=r["reviews"],
            all=pct(r["all_time"]["true_retention"]),
        ),
        tr("stats.due", lang, today=f[0]["count"] if f else 0, d14=d["forecast_14"], d30=d["forecast_30"]),
        tr("stats.quiz", lang, correct=q["correct"], attempts=q["attempts"], pct=pct(q["accuracy"])),
    ]
