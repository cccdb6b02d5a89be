"""Opening screens from anywhere (library, palette, cards), importing each screen only when used."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studyml.tui.app import StudyApp


def study(app: StudyApp, pack_id: str, card_id: str | None = None) -> None:
    from studyml.tui.screens.study import StudyScreen

    app.push_screen(StudyScreen(pack_id, card_id=card_id))


def quiz(app: StudyApp, pack_id: str, card_id: str | None = None) -> None:
    from studyml.tui.screens.quiz import QuizSetupScreen

    app.push_screen(QuizSetupScreen(pack_id, card_id=card_id))


def practice(app: StudyApp, pack_id: str, card_id: str | None = None, items: list[Any] | None = None) -> None:
    """Endless fresh variants of templates (a card's, or the given items'), until the learner stops."""
    from studyml.tui.screens.quiz import QuizScreen

    if items is None:
        pack = app.services.pack(pack_id)
        if pack is None:
            return
        items = [i for i in (pack.items_for(card_id) if card_id else pack.items) if i.is_template]
    if items:
        app.push_screen(QuizScreen(pack_id, list(items), practice=True))


def demo(
    app: StudyApp,
    plugin_id: str,
    params: dict[str, Any] | None = None,
    predict_item: Any = None,
    prediction: Any = None,
    on_verdict: Any = None,
) -> None:
    """`on_verdict(verdict)` gets the prediction's verdict (or None) when the learner leaves the demo."""
    from studyml.tui.screens.demo import DemoScreen

    app.push_screen(
        DemoScreen(plugin_id, params=params or {}, predict_item=predict_item, prediction=prediction), on_verdict
    )


def stats(app: StudyApp) -> None:
    from studyml.tui.screens.stats import StatsScreen

    app.push_screen(StatsScreen())


def demos(app: StudyApp) -> None:
    from studyml.tui.screens.demo_list import DemoListScreen

    app.push_screen(DemoListScreen())


def options(app: StudyApp) -> None:
    from studyml.tui.screens.options import StudyOptionsScreen

    app.push_screen(StudyOptionsScreen())


def browse(app: StudyApp, query: str = "") -> None:
    from studyml.tui.screens.browser import BrowserScreen

    app.push_screen(BrowserScreen(query))
