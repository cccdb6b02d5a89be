"""Study options: daily limits, desired retention, learning steps, maximum interval, quiz reviews, the sync folder."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, RadioButton, RadioSet, Static

from studyml.srs.scheduler import QUIZ_REVIEWS, SettingError, format_steps, parse_steps
from studyml.srs.store import FOLDER_SETTING  # not from sync: its record schemas cost an import
from studyml.tui.localized import LocalizedMixin, localize_bindings
from studyml.tui.markup import literal
from studyml.tui.widgets.footer import Footer


class StudyOptionsScreen(LocalizedMixin, Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="options.back"),
        # In the footer: at 80×24 the Save button is below the fold, and that Enter in a field saves was said nowhere.
        Binding("ctrl+s", "save", "Save", id="options.save", priority=True),
    ]

    def compose(self) -> ComposeResult:
        s = self._saved_settings()
        yield Header()
        with VerticalScroll(id="options"):  # scrolls above the footer at 80×24 (the status line stays in view)
            yield Static(id="options-heading", classes="heading")
            # A label beside its field: one above the other, the Save button was below the fold at 120×40.
            fields = [
                ("options-new", str(s.new_per_day), "integer", 4),
                ("options-reviews", str(s.reviews_per_day), "integer", 4),
                ("options-retention", f"{s.desired_retention:.2f}", "text", 4),
                *((_STEPS[name], format_steps(s.steps_s(name)), "text", None) for name in _STEPS),
                ("options-interval", str(s.maximum_interval), "integer", 5),
                ("options-day-start", str(s.day_start_hour), "integer", 2),
                ("options-learn-ahead", str(s.learn_ahead_min), "integer", 4),
            ]
            for widget, value, kind, length in fields:
                with Horizontal(classes="option-row"):
                    yield Label(id=f"{widget}-label")
                    yield Input(value, id=widget, type=kind, max_length=length or 0)  # type: ignore[arg-type]
            yield Label(id="options-quiz-label")
            with RadioSet(id="options-quiz"):
                for mode in QUIZ_REVIEWS:
                    yield RadioButton(id=f"quiz-{mode}", value=s.quiz_reviews == mode)
            yield Label(id="options-sync-label")
            yield Input(str(self.app.services.srs.store.get_setting(FOLDER_SETTING) or ""), id="options-sync")
            # Above the button, not under it: at 80×24 a line under it was hidden behind the footer.
            yield Static(id="options-status", classes="hint")
            yield Button(id="options-save", variant="primary")
        yield Footer()

    def _saved_settings(self):
        """The settings as saved now: `studyml srs settings` or another window may have changed them since this app
        read them, and Save wrote the old values back over theirs."""
        from studyml.srs.scheduler import Settings

        srs = self.app.services.srs
        try:
            srs.settings = Settings.load(srs.store)
        except Exception as e:
            if self.app.services.store_problem(e) is None:
                raise
        return srs.settings

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.relabel()
        self.query_one("#options-new").focus()

    def relabel(self) -> None:
        self.query_one("#options-heading", Static).update(self.t("options.heading"))
        for widget, key in _LABELS.items():
            self.query_one(f"#{widget}-label", Label).update(self.t(key))
        self.query_one("#options-sync", Input).placeholder = self.t("options.sync.placeholder")
        for mode in QUIZ_REVIEWS:
            self.query_one(f"#quiz-{mode}", RadioButton).label = self.t(f"options.quiz.{mode}")
        self.query_one("#options-save", Button).label = self.t("options.save")

    def action_save(self) -> None:
        self.save()

    @on(Button.Pressed, "#options-save")
    @on(Input.Submitted)
    def save(self) -> None:
        """Validate, then save to the progress database's settings (one transaction); say what was wrong."""
        from dataclasses import replace

        srs = self.app.services.srs
        status = self.query_one("#options-status", Static)
        self.call_after_refresh(status.scroll_visible, animate=False)  # what it says, in view once drawn
        pressed = self.query_one("#options-quiz", RadioSet).pressed_button
        try:
            new = int(self.query_one("#options-new", Input).value)
            reviews = int(self.query_one("#options-reviews", Input).value)
            retention = float(self.query_one("#options-retention", Input).value.replace(",", "."))
            interval = int(self.query_one("#options-interval", Input).value)
            day_start = int(self.query_one("#options-day-start", Input).value)
            learn_ahead = int(self.query_one("#options-learn-ahead", Input).value)
        except ValueError:
            status.update(f"[b red]{self.t('options.not_number')}[/]")
            return
        mode = (pressed.id or "").removeprefix("quiz-") if pressed else srs.settings.quiz_reviews
        typed = self.query_one("#options-sync", Input).value.strip()
        remembered = srs.store.get_setting(FOLDER_SETTING)
        # Checked only when changed: a remembered folder on a drive not mounted now must not stop the other options.
        chosen: str | None = typed or None
        if typed and typed != remembered:
            chosen, reason = _sync_folder(typed, self.t)
            if reason:
                status.update(f"[b red]{self.t('options.invalid', reason=literal(reason))}[/]")
                return
        try:
            updated = replace(
                srs.settings,
                new_per_day=new,
                reviews_per_day=reviews,
                desired_retention=retention,
                maximum_interval=interval,
                day_start_hour=day_start,
                learn_ahead_min=learn_ahead,
                quiz_reviews=mode,
                learning_steps_s=self._steps("learning_steps_s", srs.settings),
                relearning_steps_s=self._steps("relearning_steps_s", srs.settings),
            )
            updated.save(srs.store)
        except ValueError as e:
            # The scheduler's words are English; a setting it names is said in the learner's language.
            reason = self.t(f"options.error.{e.setting}") if isinstance(e, SettingError) else literal(str(e))
            status.update(f"[b red]{self.t('options.invalid', reason=reason)}[/]")
            return
        srs.settings = updated
        if chosen != remembered:
            srs.store.set_setting(FOLDER_SETTING, chosen)
            if chosen is not None:  # synced now, as at every start and exit from here on
                self.run_worker(self.app.sync_now, thread=True, group="sync", exit_on_error=False)
        status.update(self.t("options.saved"))

    def _steps(self, name: str, settings) -> list[int] | None:
        """The steps typed; None (the fsrs library's, which may change with it) while they are the ones in effect
        and were never set."""
        steps = parse_steps(self.query_one(f"#{_STEPS[name]}", Input).value, name)
        if getattr(settings, name) is None and steps == settings.steps_s(name):
            return None
        return steps


_STEPS = {"learning_steps_s": "options-learning", "relearning_steps_s": "options-relearning"}  # setting → field
_LABELS = {  # field → the catalogue key of its label
    "options-new": "options.new",
    "options-reviews": "options.reviews",
    "options-retention": "options.retention",
    **{widget: f"options.{name}" for name, widget in _STEPS.items()},
    "options-interval": "options.maximum_interval",
    "options-day-start": "options.day_start_hour",
    "options-learn-ahead": "options.learn_ahead_min",
    "options-quiz": "options.quiz",
    "options-sync": "options.sync",
}


def _sync_folder(typed: str, t) -> tuple[str | None, str | None]:
    """The folder to remember for what the learner typed (absolute, `~` expanded), or why it cannot be one, in their
    language. Never raises: a name too long, a folder that may not be entered, a dead network mount, `~nobody` or a
    link loop is said, not a crash of the app."""
    try:
        folder = Path(typed).expanduser()
        if folder.is_dir():
            return str(folder.resolve()), None
        return None, t("options.error.sync_not_folder" if folder.exists() else "options.error.sync_missing")
    except (OSError, RuntimeError) as e:  # RuntimeError: a home that cannot be found, a loop of links
        return None, f"{typed}: {getattr(e, 'strerror', None) or e}"
