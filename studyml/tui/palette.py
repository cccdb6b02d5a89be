"""Command palette entries: the main actions of the app, in the current language."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from studyml.tui.i18n import pick, tr

if TYPE_CHECKING:
    from studyml.tui.app import StudyApp


class StudyCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object]]]:
        # Not `getters.app(StudyApp)`: the app module imports this one, so the class is not there yet.
        app = cast("StudyApp", self.app)
        lang = app.lang
        from studyml.tui import navigation

        out: list[tuple[str, Callable[[], object]]] = [
            (tr("cmd.library", lang), app.action_go_library),
            (tr("cmd.search", lang), app.action_search_cards),
            (tr("cmd.lang", lang), app.action_toggle_language),
        ]

        for pack in app.services.good_packs():
            title = pick(pack.manifest.title, lang)
            out.append((tr("cmd.study", lang, pack=title), partial(navigation.study, app, pack.id)))
            out.append((tr("cmd.quiz", lang, pack=title), partial(navigation.quiz, app, pack.id)))
        for pid, meta in app.services.plugins().items():
            out.append((tr("cmd.demo", lang, demo=pick(meta["title"], lang)), partial(navigation.demo, app, pid)))
        out.append((tr("cmd.stats", lang), partial(navigation.stats, app)))
        out.append((tr("cmd.options", lang), partial(navigation.options, app)))
        out.append((tr("cmd.browse", lang), partial(navigation.browse, app)))
        return out

    async def discover(self) -> Hits:
        for text, fn in self._commands():
            yield DiscoveryHit(text, fn)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, fn in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), fn)
