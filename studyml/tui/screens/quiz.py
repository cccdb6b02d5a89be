"""Quiz: choose pack, tags and count; answer every kind of item; feedback, explanation, summary, retry."""

from __future__ import annotations

import math
import random
import time
from datetime import UTC
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Markdown, SelectionList, Static

from studyml.content.mathtext import render_math
from studyml.tui import navigation, write_retry
from studyml.tui.i18n import interval_label, math_text, pick, tr
from studyml.tui.localized import LocalizedMixin, localize_bindings
from studyml.tui.markup import code_markup, literal
from studyml.tui.widgets.answer_input import AnswerInput, answer_input_for, expected_text
from studyml.tui.widgets.footer import Footer
from studyml.tui.widgets.selection import RefillableSelectionList

if TYPE_CHECKING:
    from studyml.srs.store import CardState


def _item_tags(pack, item) -> set[str]:
    card = pack.card(item.card)
    return set(item.tags) | (set(card.tags) if card else set())


def _write_answer(srs, pack_id: str, version: str, p: dict, wait_ms: int):
    """Record the answer `p`, waiting at most `wait_ms` for another write to end; its card's new state, or None."""
    item = p["item"]
    with srs.store.waiting_at_most(wait_ms):
        return srs.answer_quiz(
            pack_id,
            item.id,
            item.card,
            p["response"],
            p["correct"],
            pack_version=version,
            duration_ms=p["duration"],
            now=p["now"],
            rating=p["rating"],
            seed=p["seed"],
            detail=p["detail"],
            review=not p.get("not_a_review"),
        )


class QuizSetupScreen(LocalizedMixin, Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="quiz_setup.back"),
        # As in the browser: focus starts on Start, and text typed there went nowhere.
        Binding("slash", "filter_tags", "Search", id="quiz_setup.search"),
    ]

    def __init__(self, pack_id: str, card_id: str | None = None) -> None:
        super().__init__()
        self.pack_id, self.card_id = pack_id, card_id
        self._no_match = ""  # a tag filter that finds none, said in the status (see _fill_tags)

    @property
    def pack(self):
        return self.app.services.pack(self.pack_id)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quiz-setup"):
            yield Static(id="setup-heading", classes="heading")
            yield Label(id="setup-tags-label")
            yield Input(id="setup-tag-filter", select_on_focus=False)  # a letter typed on Start is kept (on_key)
            yield RefillableSelectionList(id="setup-tags")
            with Horizontal(id="setup-row"):
                yield Label(id="setup-count-label")
                yield Input(value="10", id="setup-count", type="integer", max_length=4)
                yield Button(id="setup-start", variant="primary")
            yield Static(id="setup-status", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.tag_counts: dict[str, int] = {}
        self.picked: set[str] = set()  # chosen tags, kept while the filter hides some of them
        for item in self.pack.items:
            for tag in _item_tags(self.pack, item):
                self.tag_counts[tag] = self.tag_counts.get(tag, 0) + 1
        self.relabel()  # fills the tags too
        self.query_one("#setup-start").focus()

    def _fill_tags(self, needle: str) -> None:
        tags = self.query_one("#setup-tags", SelectionList)
        at = tags.highlighted
        was = tags.get_option_at_index(at).value if at is not None and at < tags.option_count else None
        tags.clear_options()
        needle = needle.strip().casefold()
        # By name in the learner's language (pack.yaml `tags:`); the filter finds a tag by its id or any of its names.
        names = self.pack.manifest.tags
        # Alphabetical whatever the case: "ImageNet", "ReLU" and "Transformer" came before "activation".
        shown = sorted(
            ((self.pack.tag_name(t, self.app.lang), t, n) for t, n in self.tag_counts.items()),
            key=lambda shown: (shown[0].casefold(), shown[1]),
        )
        tags.add_options(
            [
                (f"{label} ({n})", t, t in self.picked)
                for label, t, n in shown
                if any(needle in w.casefold() for w in (t, *names.get(t, {}).values()))
            ]
        )
        values = [tags.get_option_at_index(i).value for i in range(tags.option_count)]
        self._no_match = needle if needle and not values else ""  # an empty box said nothing: say so
        self._update_status()
        if was in values:  # a relabel (L) keeps the learner's place
            tags.highlighted = values.index(was)
        elif tags.option_count and needle:
            tags.highlighted = 0  # Tab from the filter, then space ticks the first match

    def action_filter_tags(self) -> None:
        self.query_one("#setup-tag-filter", Input).focus()

    @on(Input.Changed, "#setup-tag-filter")
    def _filter_tags(self, event: Input.Changed) -> None:
        self._fill_tags(event.value)

    @on(SelectionList.SelectionToggled, "#setup-tags")
    def _toggled(self, event: SelectionList.SelectionToggled) -> None:
        self.picked ^= {event.selection.value}
        self._update_status()

    def relabel(self) -> None:
        title = literal(pick(self.pack.manifest.title, self.app.lang))
        self._fill_tags(self.query_one("#setup-tag-filter", Input).value)
        self.query_one("#setup-tag-filter", Input).placeholder = self.t("quiz.tag_filter", n=len(self.tag_counts))
        self.query_one("#setup-heading", Static).update(self.t("quiz.setup", pack=title))
        self.query_one("#setup-tags-label", Label).update(self.t("quiz.tags"))
        self.query_one("#setup-count-label", Label).update(self.t("quiz.count"))
        self.query_one("#setup-start", Button).label = self.t("quiz.start")
        self._update_status()

    def _chosen(self) -> list:
        tags = self.picked
        items = [i for i in self.pack.items if (not tags or _item_tags(self.pack, i) & tags)]
        if self.card_id:
            items = [i for i in items if i.card == self.card_id]
        return items

    def _update_status(self) -> None:
        said = self.t("quiz.available", n=len(self._chosen()))
        if self._no_match:
            said = self.t("quiz.no_tag_match", needle=self._no_match) + "  " + said
        self.query_one("#setup-status", Static).update(literal(said))

    def on_key(self, event: events.Key) -> None:
        """A letter typed on Start goes to the tag filter: text typed there went nowhere."""
        if (
            self.focused is self.query_one("#setup-start")
            and event.is_printable
            and (event.character or " ").isalnum()
            and event.key not in self.active_bindings  # L still switches the language
        ):
            event.stop()
            field = self.query_one("#setup-tag-filter", Input)
            field.focus()
            field.insert_text_at_cursor(event.character or "")

    @on(Input.Submitted, "#setup-count")
    @on(Button.Pressed, "#setup-start")
    def start(self) -> None:
        items = self._chosen()
        try:
            count = max(1, int(self.query_one("#setup-count", Input).value or "10"))
        except ValueError:
            count = 10
        if not items:
            self.notify(self.t("quiz.none"), severity="warning")
            return
        random.shuffle(items)
        self.app.switch_screen(QuizScreen(self.pack_id, items[:count]))


class QuizScreen(LocalizedMixin, Screen):
    BINDINGS = [
        Binding("escape", "leave", "Back", id="quiz.back"),
        Binding("n", "next", "Next", id="quiz.next"),
        Binding("c", "card", "Card", id="quiz.card"),
        Binding("d", "demo", "Demo", id="quiz.demo"),
        Binding("r", "retry", "Retry missed", id="quiz.retry"),
        Binding("ctrl+g", "hint", "Hint", id="quiz.hint", priority=True),  # h would be typed into the answer
        Binding("1", "rate(1)", "Again", id="quiz.again", show=False),
        Binding("2", "rate(2)", "Hard", id="quiz.hard", show=False),
        Binding("3", "rate(3)", "Good", id="quiz.good", show=False),
        Binding("4", "rate(4)", "Easy", id="quiz.easy", show=False),
        # From an answer field too: at 80×24 the explanation under a graded item was reached only with Tab, then PgDn.
        Binding("pageup", "scroll_page(-1)", "Scroll up", id="quiz.page_up", show=False),
        Binding("pagedown", "scroll_page(1)", "Scroll down", id="quiz.page_down", show=False),
    ]

    # What the footer and the layout follow (`watch_phase`, `watch_hints_used`):
    # question → checking (grading) → graded, or → locked (a demo-checked answer, until its demo ran) → graded;
    # after the last item, summary.
    phase: reactive[str] = reactive("question", bindings=True, init=False)
    hints_used: reactive[int] = reactive(0, bindings=True, init=False)

    def __init__(self, pack_id: str, items: list, practice: bool = False) -> None:
        super().__init__()
        self.pack_id, self.items = pack_id, items
        # Practice: the items come round again (reshuffled, each a fresh variant) until the learner stops.
        self.practice, self.pool = practice, list(items)
        self.index = 0
        self.results: list[tuple[object, bool]] = []
        self.shown_at = time.monotonic()
        self.variant = None  # the drawn variant when the item is a template
        self.pending: dict | None = None  # the graded answer, recorded with its rating on the way out
        self.unsaved: list[dict] = []  # answers recorded and not yet written: the database was busy (_save_answers)
        self.reviewed: set[str] = set()  # cards whose review by an answer of this screen is saved
        self._gave_up = False  # an answer was said not saved while the others waited
        self.unrevealed: set[int] = set()  # results of demo-checked answers skipped while locked (see _status)
        self._retry = write_retry.Retry(self, lambda: self._save_answers(write_retry.RETRY_WAIT_MS))
        self.seeds: dict[str, int] = {}  # latest variant shown per template in this run
        self.seen: list = []  # the item as shown for each result
        self.rescheduled: dict[str, CardState] = {}  # card id -> its new state, from quiz answers that reviewed it
        self.not_reviewed: set[str] = set()  # why answers reviewed no card (quiz.not_a_review.*)
        self.rated: set[str] = set()  # cards this sitting reviewed (a retry of the missed items shares it)
        self.round = 0  # 1, 2, … in the retries of the missed items

    @property
    def answered(self) -> bool:
        return self.phase in ("checking", "locked", "graded")

    @property
    def awaiting_demo(self) -> bool:
        """A demo-checked answer is locked: its key shows after the demo has run."""
        return self.phase == "locked"

    @property
    def shown(self):
        """The item as the learner sees it: a template's drawn variant, or the item itself."""
        return self.variant.item if self.variant is not None else self.item

    @property
    def pack(self):
        return self.app.services.pack(self.pack_id)

    @property
    def item(self):
        return self.items[self.index] if self.index < len(self.items) else None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="quiz"):
            yield Static(id="quiz-status", classes="heading")
            yield Markdown(id="quiz-prompt")
            yield Static(id="quiz-hints", classes="hidden hint")
            yield Vertical(id="quiz-answer")
            yield Static(id="quiz-verdict", classes="hidden")
            yield Markdown(id="quiz-explanation", classes="hidden")
            yield Markdown(id="quiz-summary", classes="hidden message")
        yield Footer()

    async def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        await self._show()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "next":
            return self.answered
        if action == "hint":
            return self.phase == "question" and self.item is not None and self.hints_used < len(self.shown.hints)
        if action == "rate":  # not where no rating applies: the keys panel listed "1 Again …" by "Not a review"
            return self.pending is not None and self.phase != "locked" and not self.pending.get("not_a_review")
        if action in ("card", "demo"):
            if not self.answered:
                return False
            if action == "demo":
                card = self.pack.card(self.item.card)
                return bool(self.item.verify or (card and card.demo))
        if action == "retry":
            return not self.practice and self.phase == "summary" and any(not ok for _, ok in self.results)
        return True

    def watch_phase(self, phase: str) -> None:
        self.query_one("#quiz-prompt").set_class(phase == "summary", "hidden")
        self.query_one("#quiz-verdict").set_class(not self.answered, "hidden")
        self.query_one("#quiz-explanation").set_class(phase != "graded", "hidden")
        self.query_one("#quiz-summary").set_class(phase != "summary", "hidden")
        self.query_one("#quiz-answer").disabled = phase in ("locked", "graded")  # the answer given stays as it was

    def watch_hints_used(self, n: int) -> None:
        box = self.query_one("#quiz-hints", Static)
        hints = self.shown.hints[:n] if n else []
        box.update("\n".join(f"💡 {literal(render_math(pick(h, self.app.lang)))}" for h in hints))
        box.set_class(not n, "hidden")

    async def _show(self) -> None:
        self.hints_used = 0
        item = self.item
        self.variant = self._draw(item) if item is not None else None
        self.phase = "question" if item is not None else "summary"
        box = self.query_one("#quiz-answer", Vertical)
        await box.remove_children()
        if item is None:
            self._summary()
            return
        self._status()
        # The last question's explanation goes now: shown again at the next grade while its update was still
        # building, it stood for a moment under the new verdict (the last item's option breakdown).
        await self.query_one("#quiz-explanation", Markdown).update("")
        self.query_one("#quiz-prompt", Markdown).update(render_math(pick(self.shown.prompt, self.app.lang)))
        widget = answer_input_for(self.shown, self.app.lang, self.round)
        await box.mount(widget)
        self.call_after_refresh(widget.focus_input)
        self.shown_at = time.monotonic()

    def _draw(self, item):
        """A fresh variant of a template, never the one shown last time (in this run or recorded)."""
        if not getattr(item, "params", None):
            return None
        from studyml.quiz.template import fresh_variant

        previous = self.seeds.get(item.id)
        if previous is None:
            try:
                previous = self.app.services.srs.store.last_quiz_seed(self.pack_id, item.id)
            except Exception:  # no readable progress store: still draw, just without that memory
                previous = None
        variant = fresh_variant(item, previous)
        self.seeds[item.id] = variant.seed
        return variant

    def action_hint(self) -> None:
        if self.check_action("hint", ()):
            self.hints_used += 1

    def _status(self) -> None:
        # A locked answer's grade is not counted until its demo ran: the count going up gave the hidden verdict away.
        graded = self.results[:-1] if self.phase == "locked" else self.results
        # Nor one skipped while locked: counted as the next question came, it gave away the verdict never shown.
        counted = [ok for i, (_, ok) in enumerate(graded) if i not in self.unrevealed]
        right = sum(counted)
        if self.practice:  # "0 of 1 right" gave the hidden verdict away as well as "1 right" did
            self.query_one("#quiz-status", Static).update(
                self.t("quiz.practice_status", n=self.index + 1, right=right, answered=len(counted))
            )
            return
        self.query_one("#quiz-status", Static).update(
            self.t(
                "quiz.status",
                n=min(self.index + 1, len(self.items)),
                total=len(self.items),
                right=right,
                kind=self.t(f"quiz.kind.{self.item.kind}") if self.item else "",
            )
        )

    @on(AnswerInput.Submitted)
    def _submitted(self, event: AnswerInput.Submitted) -> None:
        if self.phase != "question":
            return
        self.query_one("#quiz-verdict", Static).update(self.t("quiz.checking"))
        self.phase = "checking"
        self.grade(self.shown, event.response)

    @work(thread=True, exclusive=True, group="grade")
    def grade(self, item, response) -> None:
        from studyml.quiz.grading import grade

        services = self.app.services

        def expr_grader(given: str, key: str, symbols: list[str], *, signed: list[str], ranges: dict) -> dict:
            # sympy lives in the worker process, never in the UI process.
            return services.runner.call(
                "studyml.quiz.expr:grade_expr",
                answer_given=given,
                key=key,
                symbols=symbols,
                signed=signed,
                ranges=ranges,
                timeout=20.0,
            )

        result = grade(item, response, expr_grader=expr_grader)
        self.app.call_from_thread(self._record, item, response, result)

    def _record(self, item, response, result) -> None:
        """Save the answer (and, as the learner chose in the study options, review its card), then show it."""
        duration = int((time.monotonic() - self.shown_at) * 1000)
        self.results.append((self.item, result.correct))
        self.seen.append(item)
        self.last_answer = (response, result)
        self.pending = self._attempt(item, response, result, duration)
        self._shown_keys = self._options_on_screen()
        if item.verify is not None:
            # Predict, then run: the key and explanation would give the demo's result away before it runs.
            verdict = self.query_one("#quiz-verdict", Static)
            verdict.update(f"[b]{self.t('quiz.locked')}[/b]\n[dim]{self.t('quiz.locked_hint')}[/dim]")
            verdict.remove_class("right", "wrong")
            self.phase = "locked"
            self._status()
            self._focus_body()
            return
        self._graded(item, self.last_answer[0], result)

    def _demo_ran(self, verdict) -> None:
        """Back from the demo of a demo-checked item, now show the key: for a metric item the verdict (the number typed
        against what the demo measured) is the grade; a claim item keeps its grade against the key."""
        if verdict is None or self.phase != "locked" or self.pending is None:
            return  # left without a run: the answer stays hidden until the demo has run
        from dataclasses import replace

        from studyml.quiz.rating import proposal

        p = self.pending
        p["detail"]["demo"] = {"observed": verdict.observed, "ok": bool(verdict.ok)}
        if p["item"].verify.metric is None:
            # A claim: the answer was graded against the key when it was locked, and that stands; the run shows
            # whether the claim held. The yes or no asked on the demo screen is not the quiz answer: it names the
            # claim, so it gave the key away, and a typed 5 for 1.49 was marked correct after a right guess there.
            self._graded(p["item"], *self.last_answer)
            return
        p["correct"] = bool(verdict.ok)
        if p["correct"] != self.results[-1][1]:  # the demo disagreed with the key: propose for the verdict
            p["rating"], reason = proposal(
                p["correct"],
                hints_used=self.hints_used,
                duration_ms=p["duration"],
                typical=p["typical"],
                in_review=p["in_review"],
            )
            p["detail"]["proposed"] = p["rating"]
            p["reason"] = _reason_values(reason, p["duration"], p["typical"])
        self.results[-1] = (self.results[-1][0], bool(verdict.ok))
        response, result = self.last_answer
        result = replace(result, correct=bool(verdict.ok))
        self.last_answer = (response, result)
        self._graded(p["item"], response, result)

    def _graded(self, item, response, result) -> None:
        """The verdict with the key, the proposed rating and the explanation (shown again in the other language on `L`)."""
        lang = self.app.lang
        mark = f"[b green]✓ {self.t('quiz.correct')}[/]" if result.correct else f"[b red]✗ {self.t('quiz.wrong')}[/]"
        lines = [mark]
        if item.verify is not None and item.verify.metric is not None:
            lines.append(self.t("quiz.judged_by_demo"))
        elif item.verify is not None:
            held = ((self.pending or {}).get("detail") or {}).get("demo", {}).get("observed")
            if held is not None:
                lines.append(self.t("quiz.claim_held" if held else "quiz.claim_not_held"))
        if not result.correct:
            lines.append(self.t("quiz.expected", answer=self._expected(item, lang)))
            if item.kind == "order":
                lines.append(
                    f"[dim]{self.t('quiz.in_place', k=round(result.score * len(item.steps)), n=len(item.steps))}[/dim]"
                )
            elif item.kind == "numeric":
                lines.append(
                    f"[dim]{self.t('quiz.you_gave', value=result.normalised) if result.normalised else self.t('quiz.not_a_number', value=literal(str(response)))}[/dim]"
                )
            elif item.kind == "expr" and result.col is not None:
                said = math_text(result.code, result.values, result.feedback, lang)
                lines.append(f"[dim]{self.t('quiz.bad_formula', message=literal(said))}[/dim]")
            elif item.kind == "expr" and result.feedback:  # the point where the two formulas differ
                lines.append(f"[dim]{literal(math_text(result.code, result.values, result.feedback, lang))}[/dim]")
            elif item.kind == "multi":
                n = len(item.choices)
                lines.append(f"[dim]{self.t('quiz.partial_multi', k=round(result.score * n), n=n)}[/dim]")
            if result.misconception:
                lines.append(f"[b yellow]{literal(render_math(pick(result.misconception, lang)))}[/]")
        self.rating_line_at = len(lines)
        lines.append(self._rating_line())
        lines.append(f"[dim]{self.t('quiz.after_demo' if self.check_action('demo', ()) else 'quiz.after')}[/dim]")
        verdict = self.query_one("#quiz-verdict", Static)
        verdict.update("\n".join(lines))
        verdict.set_class(result.correct, "right")
        verdict.set_class(not result.correct, "wrong")
        self.query_one("#quiz-explanation", Markdown).update(self._explanation(item, lang))
        self.verdict_lines = lines
        self.phase = "graded"
        self._status()
        self._focus_body()

    def _focus_body(self) -> None:
        """The answer given, focus goes to the page, so ↓ and PgDn scroll to the feedback under it: at 80×24 the
        explanation was below the fold, nothing had focus, and ↓ did nothing."""
        self.set_focus(self.query_one("#quiz", VerticalScroll))

    def _attempt(self, item, response, result, duration: int) -> dict:
        """What will be recorded, with the rating the answer proposes (the learner may change it)."""
        from studyml.quiz.rating import proposal, typical_ms

        try:  # an unreadable store only loses the timing and state the proposal uses; the answer is still graded
            srs = self.app.services.srs
            typical = typical_ms(srs.store.quiz_durations(kind=item.kind))  # the usual time for this kind of item
            state = srs.state(self.pack_id, item.card)
            refusal = srs.quiz_review_refusal(self.pack_id, item.card) if item.card else "no_card"
        except Exception:
            typical, state, refusal = None, None, "unreadable"
        # Why this answer does not review its card (None: it does): as the study options say, and once per card in a
        # quiz (three items on one card answered in a minute were three reviews: Good, Hard, then a lapse).
        not_a_review = refusal or ("again" if item.card in self.rated else None)
        if not_a_review:
            self.not_reviewed.add(not_a_review)  # why, said in the summary when no card was rescheduled
        in_review = state is not None and state.state == 2  # fsrs State.Review
        rating, reason = proposal(
            result.correct, hints_used=self.hints_used, duration_ms=duration, typical=typical, in_review=in_review
        )
        detail = {
            "duration_ms": duration,
            "hints": self.hints_used,
            "proposed": rating,
            "score": result.score,
            "kind": item.kind,  # whose usual time this answer's time joins
        }
        if self.variant is not None:
            detail["values"] = self.variant.values
        if result.misconception:
            detail["misconception"] = dict(result.misconception)
        return {
            "item": item,
            "response": response,
            "correct": result.correct,
            "duration": duration,
            "rating": rating,
            "reason": _reason_values(reason, duration, typical),
            "typical": typical,  # kept: a demo that disagrees with the key proposes again, by the same rule
            "in_review": in_review,
            "not_a_review": not_a_review,  # why the rating is not applied (None: it is)
            "detail": detail,
            "seed": self.variant.seed if self.variant else None,
        }

    def _rating_line(self) -> str:
        if self.pending is None:
            return ""
        p = self.pending
        if p.get("not_a_review"):  # no rating to choose: say why instead ("Rating: Again", then nothing rated)
            why = p["not_a_review"]
            return f"[dim]{self.t(f'quiz.not_a_review.{why}')}[/dim]"
        name = self.t(f"quiz.rating.{p['rating']}")
        line = f"[b]{self.t('quiz.proposed', rating=name)}[/b]"
        reason = p.get("reason")
        if reason and p["rating"] == p["detail"]["proposed"]:  # why it is not the plain Good, until changed
            line += "\n" + self.t(f"quiz.reason.{reason[0]}", **reason[1])
        return line

    def action_scroll_page(self, direction: int) -> None:
        body = self.query_one("#quiz", VerticalScroll)
        (body.scroll_page_down if direction > 0 else body.scroll_page_up)(animate=False)

    def action_rate(self, rating: int) -> None:
        if self.pending is None or self.awaiting_demo or self.pending.get("not_a_review"):
            return
        self.pending["rating"] = int(rating)
        self.verdict_lines[self.rating_line_at] = self._rating_line()
        self.query_one("#quiz-verdict", Static).update("\n".join(self.verdict_lines))

    def _commit(self) -> None:
        """Record the pending answer with the rating shown (proposed, or the learner's choice)."""
        if self._take_pending():
            self._save_answers(write_retry.FIRST_WAIT_MS)

    def _take_pending(self) -> bool:
        """Move the pending answer to the answers to save, dated now; False if there was none."""
        p, self.pending = self.pending, None
        if p is None:
            return False
        from datetime import datetime

        p["detail"]["rating"] = p["rating"]
        p["now"], p["since"] = datetime.now(UTC), time.monotonic()  # dated when given, however long it waits
        if not p.get("not_a_review") and p["item"].card:
            self.rated.add(p["item"].card)  # the next item of its card proposes no second review, saved yet or not
        self.unsaved.append(p)
        return True

    def _save_answers(self, wait_ms: int) -> None:
        """Write the answers not saved yet, oldest first, each waiting at most `wait_ms` for another write to end.

        While a sync or another window holds the database the quiz goes on: the answers wait here and are tried
        again (see write_retry), not written with the UI frozen for up to 10 s. An answer not saved is said; it
        stays graded on the screen.
        """
        from studyml.srs.scheduler import AnswerSavedCardNotReviewed
        from studyml.srs.store import BusyError

        while self.unsaved:
            p = self.unsaved[0]
            try:
                after = self._write(p, wait_ms)
            except AnswerSavedCardNotReviewed as e:  # saved, its card left as it is: said, not "not saved"
                self.unsaved.pop(0)
                self.app.notify(str(e), severity="warning", timeout=30, markup=False)
                continue
            except Exception as e:  # the answer is graded even if it could not be saved; say so
                if isinstance(e, BusyError) and write_retry.still_trying(p["since"]):
                    if not self._retry.running:
                        self._gave_up = False
                        self.notify(self.t("quiz.saving"), timeout=4)
                        self._retry.start()
                    return
                self.unsaved.pop(0)
                self._not_saved(p, e)
                continue
            self.unsaved.pop(0)
            if after is not None:
                self.rescheduled[p["item"].card] = after
                self.reviewed.add(p["item"].card)
        if self._retry.running:  # the answers waited: said once they are all in, and the summary redrawn
            self._retry.stop()
            if not self._gave_up:
                self.notify(self.t("quiz.saved"), timeout=3)
            if self.phase == "summary":
                self._summary()

    def _write(self, p: dict, wait_ms: int):
        return _write_answer(self.app.services.srs, self.pack_id, self.pack.version, p, wait_ms)

    def _not_saved(self, p: dict, e: Exception) -> None:
        why = self.app.services.store_problem(e) or str(e)
        self.app.notify(self.t("quiz.not_saved", why=why), severity="error", timeout=30, markup=False)
        self._gave_up = True
        card = p["item"].card
        if not p.get("not_a_review") and card not in self.reviewed:
            self.rated.discard(card)  # its review was lost: a later item of the card may review it again

    def on_unmount(self) -> None:
        """Leaving (esc records the last answer): the answers not saved yet go to the app, which writes them now if
        it can and keeps trying if not (at exit, run_app makes a last try and says what failed). A last try here froze
        the screen for up to 10 s for each answer, and at exit its failure was said to no one."""
        self._retry.stop()
        self._take_pending()
        unsaved, self.unsaved = self.unsaved, []
        from studyml.tui.outbox import Write

        if not unsaved:
            return
        # What the writes need, taken now: the app may have stopped running when the last try is made (at exit).
        lang, services, pack_id, version = self.app.lang, self.app.services, self.pack_id, self.pack.version
        for p in unsaved:
            self.app.outbox.add(
                Write(
                    run=lambda wait_ms, p=p: _write_answer(services.srs, pack_id, version, p, wait_ms),  # type: ignore[misc]
                    not_saved=lambda why: tr("quiz.not_saved", lang, why=why),
                    since=p["since"],
                )
            )

    async def action_next(self) -> None:
        if not self.answered:
            return
        if self.phase == "locked":  # skipped without its demo: its verdict stays hidden until the summary
            self.unrevealed.add(len(self.results) - 1)
        self._commit()
        self.index += 1
        if self.practice and self.index >= len(self.items):
            more = list(self.pool)
            random.shuffle(more)
            if len(more) > 1 and more[0] is self.items[-1]:
                more.append(more.pop(0))  # not the same template twice in a row
            self.items += more
        await self._show()

    async def key_enter(self) -> None:
        if self.answered and self.item is not None:
            await self.action_next()

    def _summary(self) -> None:
        right = sum(ok for _, ok in self.results)
        total = len(self.results)
        lang = self.app.lang
        lines = [
            f"**{self.t('quiz.score', right=right, total=total, pct=f'{right / total:.0%}' if total else '–')}**",
            "",
        ]
        # The variants the learner saw, so a missed template reads with its numbers, not its placeholders.
        missed = [shown for shown, (_, ok) in zip(self.seen, self.results) if not ok]
        if missed:
            lines.append(self.t("quiz.missed"))
            lines.append("")
            lines += [f"- ✗ {_first_line(render_math(pick(i.prompt, lang)))}" for i in missed]
            lines.append("")
        # Skipped while locked, before their demo ran: their verdicts were never shown, right ones included.
        kept = [(self.seen[i], self.results[i][1]) for i in sorted(self.unrevealed) if i < len(self.results)]
        if kept:
            lines += [self.t("quiz.unrevealed"), ""]
            lines += [f"- {'✓' if ok else '✗'} {_first_line(render_math(pick(i.prompt, lang)))}" for i, ok in kept]
            lines.append("")
        lines += self._rescheduled_lines()
        lines.append(self.t("quiz.retry_hint") if missed else self.t("quiz.perfect"))
        self.query_one("#quiz-summary", Markdown).update("\n".join(lines))
        self.query_one("#quiz-status", Static).update(self.t("quiz.done"))

    def _rescheduled_lines(self) -> list[str]:
        """Which flashcards these answers rescheduled, and when each is due now (or that none was)."""
        from datetime import datetime, timedelta

        from studyml.srs.scheduler import format_interval, from_ms

        mode = self.app.services.srs.settings.quiz_reviews
        if not self.rescheduled:
            # A retry's cards were rated in the first round: the options were not why (it said they were).
            why = "again" if self.not_reviewed == {"again"} else mode
            return [self.t(f"quiz.rescheduled_none.{why}"), ""]
        lines = [self.t("quiz.rescheduled", n=len(self.rescheduled)), ""]
        now = datetime.now(UTC)
        for card_id, state in self.rescheduled.items():
            card = self.pack.card(card_id)
            title = render_math(pick(card.title, self.app.lang)) if card else card_id
            wait = format_interval(max(from_ms(state.due_ms) - now, timedelta(0)))
            lines.append(f"- {title}: {self.t('quiz.due_in', interval=interval_label(wait, self.app.lang))}")
        lines.append("")
        return lines

    def action_leave(self) -> None:
        """Esc: leave at once before the first answer, after the summary, or from practice; mid-quiz, ask first."""
        if self.practice or self.item is None or not self.results or len(self.results) >= len(self.items):
            # Nothing answered yet, nothing left to answer, or practice (no end to stop before): nothing to lose.
            self.app.pop_screen()
            return
        from studyml.tui.widgets.confirm import Confirm

        question = self.t("quiz.leave", done=len(self.results), total=len(self.items))

        def leave(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        self.app.push_screen(Confirm(question, self.t("quiz.leave_yes"), self.t("quiz.leave_no")), leave)

    def action_retry(self) -> None:
        self._commit()
        missed = [item for item, ok in self.results if not ok]
        if missed:
            retry = QuizScreen(self.pack_id, missed)
            retry.rated = self.rated  # the same sitting: a card rated here is not rated again there, a minute later
            retry.round = self.round + 1  # the options in another order
            self.app.switch_screen(retry)

    def action_card(self) -> None:
        if self.item is not None:
            navigation.study(self.app, self.pack_id, card_id=self.item.card)

    def action_demo(self) -> None:
        item = self.item
        if item is None:
            return
        if item.verify is not None:
            navigation.demo(
                self.app,
                item.verify.demo,
                params=dict(item.verify.params),
                predict_item=item,
                prediction=self._prediction(item),
                on_verdict=self._demo_ran,
            )
            return
        card = self.pack.card(item.card)
        if card and card.demo:
            navigation.demo(self.app, card.demo.id, params=dict(card.demo.params))

    def _prediction(self, item):
        """The number typed for a metric item is the prediction the demo checks. A choice does not map
        one-to-one onto "the claim holds", so for claim items the demo screen asks yes or no itself."""
        response, result = getattr(self, "last_answer", (None, None))
        if result is None or item.verify.metric is None:
            return None
        from studyml.quiz.grading import read_number

        try:
            return float(read_number(response))
        except (ValueError, TypeError, ZeroDivisionError):
            return None

    def relabel(self) -> None:
        # Everything on screen in the new language, in place: what the learner picked or typed stays.
        if self.item is None:
            self._summary()
            return
        self._status()
        self.query_one("#quiz-prompt", Markdown).update(render_math(pick(self.shown.prompt, self.app.lang)))
        for widget in self.query("#answer").results(AnswerInput):
            widget.set_language(self.app.lang)
        self.watch_hints_used(self.hints_used)
        if self.phase == "graded":
            response, result = self.last_answer
            self._graded(self.shown, response, result)

    def _options_on_screen(self) -> list[str]:
        """The option keys of a choice/multi item top to bottom, as the answer widget shows them."""
        from textual.widgets import OptionList

        lists = list(self.query("#answer-choices, #answer-multi").results(OptionList))
        if not lists:
            return []
        ol = lists[0]
        keys = []
        for i in range(ol.option_count):
            option = ol.get_option_at_index(i)
            keys.append(str(getattr(option, "value", None) or option.id))
        return keys

    def _expected(self, item, lang: str) -> str:
        """The right answer; for options, under the labels shown on screen (not the pack file's keys)."""
        # Markdown's `code` shown as code, as the options show it: the answer line showed the backticks.
        if item.kind not in ("choice", "multi"):
            return code_markup(expected_text(item, lang))
        from studyml.quiz.feedback import option_feedback

        rows = [r for r in option_feedback(item, self._shown_keys, None, lang) if r.correct]
        said = ""
        for r in rows:  # "; " between options, but a space after one that ends its sentence ("같다.; c)" read badly)
            if said:
                said += " " if said.rstrip().endswith((".", "?", "!", "。")) else "; "
            said += f"{r.label} {render_math(r.text)}"
        return code_markup(said)

    def _explanation(self, item, lang: str) -> str:
        """Every option marked ✓/✗ under the label the learner saw, their pick and its `why`; then the explanation."""
        body = render_math(pick(item.explanation, lang))
        if item.kind == "order":
            return self._order_feedback(item, lang) + body
        if item.kind not in ("choice", "multi"):
            return body
        from studyml.quiz.feedback import feedback_markdown, option_feedback

        response = getattr(self, "last_answer", (None, None))[0]
        rows = option_feedback(item, getattr(self, "_shown_keys", []), response, lang)
        return render_math(feedback_markdown(rows, self.t("quiz.your_answer"))) + "\n\n" + body

    def _order_feedback(self, item, lang: str) -> str:
        """The learner's order, each step marked: ✓ in place relative to the others, ✗ moved, with where it belongs
        (the verdict said only how many were in order, and the learner's order was gone). Nothing when right."""
        from studyml.quiz.feedback import order_feedback, order_markdown

        response, result = getattr(self, "last_answer", (None, None))
        rows = order_feedback(item, response, lang)
        if not rows or (result is not None and result.correct):
            return ""
        return render_math(order_markdown(rows, self.t("quiz.your_order"), self.t("quiz.belongs_at"))) + "\n\n"


def _first_line(text: str, width: int = 90) -> str:
    """A prompt's first line, shortened at a word boundary (never mid-word)."""
    import textwrap

    line = text.strip().splitlines()[0] if text.strip() else ""
    return textwrap.shorten(line, width=width, placeholder=" …")


def _reason_values(reason: str | None, duration_ms: int | None, typical: float | None) -> tuple[str, dict] | None:
    """The catalogue key's suffix for why a rating was proposed, with the seconds it names.

    To a tenth of a second, rounded the way the rule compared them: a slow answer's time up and the usual time down,
    a fast one's the other way ("took 90 s (over 90 s)" was 90.4 s against 90).
    """
    if reason is None:
        return None
    taken = (duration_ms or 0) / 1000
    up, down = (math.ceil, math.floor) if reason != "fast" else (math.floor, math.ceil)
    seconds = f"{up(taken * 10) / 10:g}"
    if reason in ("slow", "fast") and typical:
        return f"{reason}.usual", {"s": seconds, "usual": f"{down(typical / 100) / 10:g}"}
    return reason, {"s": seconds}
