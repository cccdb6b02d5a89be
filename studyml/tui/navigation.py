"""Opening screens from anywhere (library, palette, cards), importing each screen only when used."""

from __future__ import annotations


def study(app, pack_id: str, card_id: str | None = None) -> None:
    from studyml.tui.screens.study import StudyScreen

    app.push_screen(StudyScreen(pack_id, card_id=card_id))


def quiz(app, pack_id: str, card_id: str | None = None) -> None:
    from studyml.tui.screens.quiz import QuizSetupScreen

    app.push_screen(QuizSetupScreen(pack_id, card_id=card_id))


def practice(app, pack_id: str, card_id: str | None = None, items: list | None = None) -> None:
    """Endless fresh variants of templates (a card's, or the given items'), until the learner stops."""
    from studyml.tui.screens.quiz import QuizScreen

    if items is None:
        pack = app.services.pack(pack_id)
        items = [i for i in (pack.items_for(card_id) if card_id else pack.items) if i.is_template]
    if items:
        app.push_screen(QuizScreen(pack_id, list(items), practice=True))


def demo(app, plugin_id: str, params: dict | None = None, predict_item=None, prediction=None) -> None:
    from studyml.tui.screens.demo import DemoScreen

    app.push_screen(DemoScreen(plugin_id, params=params or {}, predict_item=predict_item, prediction=prediction))


def stats(app) -> None:
    from studyml.tui.screens.stats import StatsScreen

    app.push_screen(StatsScreen())


def demos(app) -> None:
    from studyml.tui.screens.demo_list import DemoListScreen

    app.push_screen(DemoListScreen())


def options(app) -> None:
    from studyml.tui.screens.options import StudyOptionsScreen

    app.push_screen(StudyOptionsScreen())


def browse(app, query: str = "") -> None:
    from studyml.tui.screens.browser import BrowserScreen

    app.push_screen(BrowserScreen(query))
