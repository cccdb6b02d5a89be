"""The Textual app: the library first, packs loaded after the first frame, demos in a worker process."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from studyml.prefs import load_prefs, save_prefs
from studyml.tui.i18n import tr
from studyml.tui.keylabels import localize_bindings
from studyml.tui.keymap import checked_keymap
from studyml.tui.palette import StudyCommands
from studyml.tui.services import Services

if TYPE_CHECKING:
    from studyml.tui.screens.library import LibraryScreen


class StudyApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "studyml"
    COMMANDS = App.COMMANDS | {StudyCommands}
    BINDINGS = [
        Binding("question_mark", "toggle_help", "Keys", id="app.help"),
        Binding("L", "toggle_language", "한국어", id="app.lang"),
        # Textual's own ctrl+q, re-declared so the help panel shows it in the learner's language.
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
        # Declared here (not left to Textual) so its footer label follows the language too.
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.palette"),
    ]

    lang: reactive[str] = reactive("en", init=False)

    def __init__(
        self,
        lang: str | None = None,
        services: Services | None = None,
        warm_worker: bool = True,
        sync_at_exit: bool = True,
    ) -> None:
        super().__init__()
        prefs = load_prefs()
        self.set_reactive(StudyApp.lang, lang or prefs.lang)
        if lang and lang != prefs.lang:
            prefs.lang = "ko" if lang == "ko" else "en"
            save_prefs(prefs)
        # The learner's own keys (`"keymap": {"study.flip": "f5"}` in prefs.json), by binding id: ids are unique.
        # An entry that cannot apply is said once the first frame is up; the others apply.
        self.keymap, self._keymap_problems = checked_keymap(prefs, self.lang)  # what applies, by binding id
        self.set_keymap(self.keymap)
        self.services = services or Services()
        self._warm_worker = warm_worker
        self.exit_note: tuple[str, bool] | None = None  # what the sync at exit did (see on_unmount)
        from studyml.tui.outbox import Outbox

        self.outbox = Outbox(self, self.services.store_problem)  # ratings and answers a screen left waiting
        self.not_saved: list[str] = []  # what the exit's last try could not save (said by run_app, or in tests)
        self._sync_at_exit = sync_at_exit  # False: run_app syncs once the terminal is the learner's again

    def get_default_screen(self) -> LibraryScreen:
        """The library is the home screen: the bottom of the stack, never pushed over a blank one."""
        from studyml.tui.screens.library import LibraryScreen

        return LibraryScreen()

    def on_mount(self) -> None:
        self._catch_stop_signals()
        localize_bindings(self, self.lang)
        self.sub_title = tr("app.subtitle", self.lang)
        # The warm demo worker (torch + sympy in another process) starts once the first frame is up.
        if self._warm_worker:
            self.call_after_refresh(
                lambda: self.run_worker(self.services.start_warm_worker, thread=True, group="warm", exit_on_error=False)
            )
        self.call_after_refresh(lambda: self.run_worker(self._backup, thread=True, group="backup", exit_on_error=False))
        for problem in self._keymap_problems:
            self.notify(problem, severity="warning", timeout=30, markup=False)
        self.call_after_refresh(lambda: self.run_worker(self.sync_now, thread=True, group="sync", exit_on_error=False))

    def _backup(self) -> None:
        problem = self.services.backup()
        if problem:  # a skipped or failed backup is said, never silent
            self.call_from_thread(self.notify, problem, severity="warning", timeout=30, markup=False)

    def sync_now(self) -> None:
        """Sync with the remembered folder and say what happened (in a thread worker: at start, after the folder is
        set in the study options)."""
        note = self.services.sync(self.lang)
        if note:
            message, problem = note
            # A problem stays long enough to be read; markup off: it may name a path.
            severity, timeout = ("warning", 30) if problem else ("information", 4)
            self.call_from_thread(self.notify, message, severity=severity, timeout=timeout, markup=False)

    def t(self, key: str, **kw: object) -> str:
        return tr(key, self.lang, **kw)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Textual's screenshot, into the Downloads folder when there is one, else the data dir's `screenshots`:
        without ~/Downloads (a new account, a server) it said only "Failed to save screenshot". Here, not in
        action_screenshot: the palette's Screenshot calls this directly, and still failed."""
        if path is None:
            from pathlib import Path

            from platformdirs import user_downloads_dir

            from studyml import paths

            if not Path(user_downloads_dir()).is_dir():
                folder = paths.data_dir() / "screenshots"
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    path = str(folder)
                except OSError:
                    pass  # Textual says it failed, as before
        return super().deliver_screenshot(filename, path, time_format)

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_show_help_panel(self) -> None:
        """Textual's help panel, with the screen's own keys listed before a table's cursor keys."""
        from studyml.tui.widgets.keys_panel import KeysPanel

        if not self.screen.query("HelpPanel"):
            self.screen.mount(KeysPanel())

    def action_go_library(self) -> None:
        """Back to the library (home), closing every screen above it."""
        from studyml.tui.screens.library import LibraryScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, LibraryScreen):
            self.pop_screen()

    def action_search_cards(self) -> None:
        self.action_go_library()
        self.call_later(self._search_in_library)

    def _search_in_library(self) -> None:
        from studyml.tui.screens.library import LibraryScreen

        if isinstance(self.screen, LibraryScreen):
            self.screen.action_search()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own palette entries (Theme, Quit, Keys, …) in the learner's language."""
        for cmd in super().get_system_commands(screen):
            key = f"sys.{cmd.title.lower()}"
            title = tr(key, self.lang)
            if title == key:  # an entry this catalogue does not know yet: keep Textual's text
                yield cmd
                continue
            help_key = f"{key}.help.{'hide' if cmd.title == 'Keys' and screen.query('HelpPanel') else 'show'}"
            yield cmd._replace(title=title, help=tr(help_key, self.lang))

    def action_command_palette(self) -> None:
        """Textual's palette, its placeholder and "No matches found" in the learner's language."""
        from studyml.tui.palette import LocalizedPalette

        if self.use_command_palette and not isinstance(self.screen, LocalizedPalette):
            self.push_screen(LocalizedPalette(self.lang))

    def search_themes(self) -> None:
        """Textual's theme picker, with our palette's words ("Search for themes…" was English in the Korean app)."""
        from textual.theme import ThemeProvider

        from studyml.tui.palette import LocalizedPalette

        self.push_screen(LocalizedPalette(self.lang, providers=[ThemeProvider], placeholder_key="palette.themes"))

    def action_toggle_language(self) -> None:
        self.lang = "ko" if self.lang == "en" else "en"

    def watch_lang(self, lang: str) -> None:
        prefs = load_prefs()
        prefs.lang = "ko" if lang == "ko" else "en"
        save_prefs(prefs)
        self.sub_title = tr("app.subtitle", lang)
        localize_bindings(self, lang)
        # Screens follow through their own watch on `lang` (LocalizedMixin), not a loop over the stack here.
        self.refresh_bindings()
        self.notify(tr("lang.switched", lang), timeout=2)

    def _catch_stop_signals(self) -> None:
        """A closed terminal (SIGHUP) or `kill` (SIGTERM) ends the app as `q` does. Python's default is to die at
        once: a demo's worker died with it (the kernel kills it), and whatever the plugin had started lived on."""
        loop = asyncio.get_running_loop()
        self._signals_before: dict[int, object] = {}
        for sig in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)):
            if sig is None:
                continue
            before = signal.getsignal(sig)
            try:
                loop.add_signal_handler(sig, self._stop_by_signal)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or not on this system
                continue
            self._signals_before[sig] = before

    def _stop_by_signal(self) -> None:
        self.services.close()  # the demos first: the terminal may be gone, and exiting may not get far
        self.exit()

    def _release_stop_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for sig, before in getattr(self, "_signals_before", {}).items():
            loop.remove_signal_handler(sig)
            if before is not None:  # None: a handler not set from Python, which cannot be put back from here
                signal.signal(sig, before)

    def on_unmount(self) -> None:
        self._release_stop_signals()
        if self._sync_at_exit:  # an app run by other means than run_app (tests, an embedding)
            from studyml.srs.store import BUSY_WAIT_MS

            self.not_saved = self.outbox.flush(BUSY_WAIT_MS)
            self.exit_note = self.services.sync(self.lang)
            self.services.backup()  # run_app backs up after its sync, where a failure can be said
        self.services.close()


def run_app(lang: str | None = None) -> int:
    app = StudyApp(lang=lang, sync_at_exit=False)
    app.run()
    from studyml.srs.store import BUSY_WAIT_MS

    # What a screen left waiting for the database (another window's or a command's long write), written before the
    # sync so that it goes out: here, where the wait and a failure can be seen, not behind the app's blank screen.
    for message in app.outbox.flush(BUSY_WAIT_MS):
        _say(f"studyml: {message}")
    # The sync at exit, once the terminal is the learner's again. Inside the app it left a blank screen for
    # seconds in a big merge, and said nothing when it failed: the learner left believing their reviews had gone out.
    app.exit_note = sync_in_the_terminal(app.services, app.lang)
    if app.exit_note and app.exit_note[1]:  # one that failed or skipped something; not every success
        _say(f"studyml: {app.exit_note[0]}")
    # The backup at exit, after the sync so that it holds what came in, and said when it fails: in the app's unmount
    # it came before the sync, and a failure was silent (one at start was said: a backups folder another user owns).
    if problem := app.services.backup():
        _say(f"studyml: {tr('backup.exit_failed', app.lang, error=problem)}")
    return app.return_code or 0


def sync_in_the_terminal(services: Services, lang: str, slow_s: float = 0.5) -> tuple[str, bool] | None:
    """Sync with the remembered folder; a sync still running after `slow_s` says so first. Ctrl-C (or SIGTERM,
    SIGHUP: see cli.main) stops it with nothing merged or sent, and says the next sync sends it."""
    import threading

    done, said = threading.Event(), threading.Lock()  # "syncing…" is said before the result, or not at all

    def say_when_slow() -> None:
        if not done.wait(slow_s):
            with said:
                if not done.is_set():
                    _say(f"studyml: {tr('sync.running', lang)}")

    threading.Thread(target=say_when_slow, daemon=True).start()
    try:
        return services.sync(lang)
    except KeyboardInterrupt:
        with said:
            done.set()
        _say(f"studyml: {tr('sync.interrupted', lang)}")
        raise
    finally:
        with said:
            done.set()


def _say(line: str) -> None:
    import sys

    try:
        sys.stderr.write(line + "\n")  # one write: a line is never split by another thread's
        sys.stderr.flush()
    except OSError:  # the terminal is gone (SIGHUP): nobody to tell
        pass
