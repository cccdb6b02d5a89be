"""Command palette entries: the main actions of the app, in the current language."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

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


class LocalizedPalette(CommandPalette):
    """Textual's palette with its own words in the learner's language: the placeholder, and "No matches found"."""

    def __init__(self, lang: str, providers=None, placeholder_key: str = "palette.placeholder") -> None:
        super().__init__(providers=providers, placeholder=tr(placeholder_key, lang), id="--command-palette")
        self._lang = lang

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own, but for its words: it writes "No matches found" in English (textual<9, pinned).
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(tr("palette.no_matches", self._lang), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
