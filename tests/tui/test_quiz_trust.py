"""A quiz a learner can trust: unreadable input refused, the schedule changed only as chosen, `L`, mouse, Esc."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from textual.widgets import Input, Markdown, OptionList, SelectionList

from studyml.srs.scheduler import Scheduler, Settings
from studyml.srs.store import open_store

from .helpers import PACK_ID, SIZE, app, loaded, prompt_text, settle, text, type_text, wait_for
from .quizkeys import answer


async def _quiz_on(pilot, kinds):
    from studyml.tui.screens.quiz import QuizScreen

    await loaded(pilot)
    pack = pilot.app.services.pack(PACK_ID)
    items = [i for i in pack.items if i.kind in kinds]
    await pilot.app.push_screen(QuizScreen(PACK_ID, items))
    await pilot.pause()
    await pilot.pause()
    return pilot.app.screen


async def _graded(pilot, screen, n: int = 1, timeout: float = 10) -> None:
    await wait_for(
        pilot, lambda: len(screen.results) >= n and screen.query_one("#quiz-answer").disabled, timeout, "grading"
    )
    await settle(pilot)


def _attempts():
    with open_store() as store:
        return store.quiz_attempts()


# -- unreadable input is refused, not graded --------------------------------------------------------


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("팔 나누기 삼", "not a number I can read"),
        ("2,667", "is ambiguous: type 2667 or 2.667"),
    ],
)
async def test_an_unreadable_number_is_refused_with_the_reason_and_the_item_stays_open(fixture_pack, typed, reason):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["numeric"])
        await type_text(pilot, typed)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert screen.results == [] and not screen.answered
        assert reason in text(screen.query_one("#answer-preview"))
        assert screen.query_one("#answer-text", Input).has_focus
    assert _attempts() == []


async def test_full_width_digits_are_read_as_digits(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["numeric"])
        screen.query_one("#answer-text", Input).value = "０.２５"  # as a Korean IME may type it
        await pilot.press("enter")
        await _graded(pilot, screen)
        assert screen.results[0][1] is True
    assert _attempts()[0]["answer"] == "0.25"


async def test_a_formula_the_preview_marks_unparsable_is_not_submitted(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["expr"])
        await type_text(pilot, "sigmoid(x")
        await pilot.pause()
        assert screen.query_one("#answer-preview").has_class("bad")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert screen.results == [] and not screen.answered
        assert "not graded" in text(screen.query_one("#answer-preview"))
    assert _attempts() == []


# -- the schedule changes only as the learner chose -------------------------------------------------


def _set_quiz_reviews(mode: str) -> None:
    with open_store() as store:
        s = Settings.load(store)
        s.quiz_reviews = mode
        s.save(store)


def _study_sigmoid_once() -> None:
    from datetime import datetime

    with open_store() as store:
        Scheduler(store).review(PACK_ID, "sigmoid", 3, now=datetime.now(UTC) - timedelta(minutes=30))


@pytest.mark.parametrize(
    "mode, started, reviewed",
    [("started", False, False), ("started", True, True), ("off", True, False), ("all", False, True)],
)
async def test_a_quiz_reviews_cards_only_as_chosen_and_the_summary_says_which(fixture_pack, mode, started, reviewed):
    _set_quiz_reviews(mode)
    if started:
        _study_sigmoid_once()

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["numeric"])
        await answer(pilot, screen.item, right=False)
        await _graded(pilot, screen)
        await pilot.press("n")
        await pilot.pause()
        summary = screen.query_one("#quiz-summary", Markdown).source
        if reviewed:
            assert "rescheduled 1 card " in summary and "- The sigmoid function: next review in 1m" in summary
        else:
            assert "No card was rescheduled" in summary
    with open_store() as store:
        sources = [r.source for r in store.reviews()]
    assert sources == (["card"] if started else []) + (["quiz"] if reviewed else [])


async def test_the_quiz_summary_renders_markdown_and_shortens_prompts_at_a_word(fixture_pack):
    prompt = "What is **σ'(0)** " + " ".join(["word"] * 40) + " incomprehensibilities"
    quiz = fixture_pack / "quizzes" / "basics.yaml"
    quiz.write_text(
        quiz.read_text(encoding="utf-8").replace('''prompt: {en: "What is σ'(0)?"''', f'prompt: {{en: "{prompt}"'),
        encoding="utf-8",
    )

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["numeric"])
        assert screen.item.prompt["en"] == prompt
        await answer(pilot, screen.item, right=False)
        await _graded(pilot, screen)
        await pilot.press("n")
        await pilot.pause()
        summary = screen.query_one("#quiz-summary", Markdown)
        line = next(ln for ln in summary.source.splitlines() if ln.startswith("- ✗"))
        assert line.endswith("word …") and "incomprehens" not in line
        shown = " ".join(str(b.render()) if hasattr(b, "render") else "" for b in summary.query("*"))
        assert "**" not in shown  # rendered, not raw Markdown


# -- Esc mid-quiz asks first --------------------------------------------------------------------------


async def test_esc_mid_quiz_asks_before_leaving(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["choice", "numeric"])
        await answer(pilot, screen.item, right=True)
        await _graded(pilot, screen)
        await pilot.press("escape")
        await pilot.pause()
        assert type(a.screen).__name__ == "Confirm"
        assert "1 of 2 answers are saved" in text(a.screen.query_one("#confirm-question"))
        await pilot.press("n")  # keep going
        await pilot.pause()
        assert a.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"


# -- the mouse: one click selects, it does not commit ---------------------------------------------------


async def test_one_click_on_a_choice_selects_it_without_answering(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["choice"])
        options = screen.query_one("#answer-choices", OptionList)
        await pilot.click("#answer-choices", offset=(4, 3))  # the third option, under the border
        await pilot.pause(0.3)
        assert options.highlighted == 2 and screen.results == [] and not screen.answered
        await pilot.press("enter")
        await _graded(pilot, screen)
        assert len(screen.results) == 1


async def test_one_click_on_a_pack_row_selects_it_without_starting_a_session(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.click("#packs", offset=(3, 1))  # the first (highlighted) pack row
        await pilot.pause(0.3)
        assert type(a.screen).__name__ == "LibraryScreen"
        await pilot.press("enter")
        await pilot.pause()
        assert type(a.screen).__name__ == "StudyScreen"


@pytest.mark.parametrize("key", ["c", "3"])
async def test_a_choice_is_answered_with_its_letter_or_number(fixture_pack, key):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["choice"])
        options = screen.query_one("#answer-choices", OptionList)
        third = options.get_option_at_index(2).id
        await pilot.press(key)
        await _graded(pilot, screen)
        third = third
    assert _attempts()[0]["answer"] == third


# -- setup: the tag list has a filter -----------------------------------------------------------------


async def _tag_filter(pilot):
    """The quiz setup open, its tag filter focused: (the screen, its tag list, how many tags it lists)."""
    await loaded(pilot)
    await pilot.press("t")
    await pilot.pause()
    setup = pilot.app.screen
    tags = setup.query_one("#setup-tags", SelectionList)
    setup.query_one("#setup-tag-filter", Input).focus()
    return setup, tags, tags.option_count


async def test_the_setup_tag_filter_narrows_the_list_and_keeps_the_choice(fixture_pack, no_shuffle):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        setup, tags, before = await _tag_filter(pilot)
        await type_text(pilot, "activ")
        await pilot.pause()
        shown = [tags.get_option_at_index(i).value for i in range(tags.option_count)]
        assert shown == ["activation"] and before >= 1
        tags.focus()
        await pilot.press("space")
        await pilot.pause()
        setup.query_one("#setup-tag-filter", Input).value = ""
        await pilot.pause()
        assert tags.selected == ["activation"] and setup.picked == {"activation"}


async def test_a_filter_that_matches_no_tag_then_cleared_keeps_the_app_running(fixture_pack, no_shuffle):
    # "zz" then backspace closed the app: OptionDoesNotExist (no option with an index of 0), then NoMatches.
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        setup, tags, before = await _tag_filter(pilot)
        # Typed fast: "z" highlights the first match, and "zz" empties the list before that highlight is handled.
        tags.highlighted = 0
        setup._fill_tags("zz")
        await pilot.pause()
        assert tags.option_count == 0
        setup._fill_tags("")  # the filter cleared
        await pilot.pause()
        assert a.is_running and a.screen is setup and tags.option_count == before


# -- L switches an answered item too ------------------------------------------------------------------


async def test_L_switches_the_options_hint_and_verdict_of_an_answered_item(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["choice"])
        await answer(pilot, screen.item, right=False)
        await _graded(pilot, screen)
        assert "Not quite" in text(screen.query_one("#quiz-verdict"))
        await pilot.press("L")
        await pilot.pause()
        await pilot.pause()
        options = screen.query_one("#answer-choices", OptionList)
        item = screen.item
        key = options.get_option_at_index(0).id
        assert item.choices[key]["ko"] in prompt_text(options.get_option_at_index(0).prompt)
        n = len(item.choices)  # the keys that answer this item, not always a–f
        assert f"a–{chr(96 + n)} 또는 1–{n} 키로" in text(screen.query_one("#answer .hint")) and n < 6
        assert "오답" in text(screen.query_one("#quiz-verdict"))
        # Shown again, not answered again: one result, still waiting for its rating (recorded on the way out).
        assert len(screen.results) == 1 and screen.pending is not None and _attempts() == []


async def test_a_pasted_page_is_not_echoed_in_full(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["numeric"])
        screen.query_one("#answer-text", Input).value = "x" * 3000
        await pilot.press("enter")
        await pilot.pause(0.3)
        shown = text(screen.query_one("#answer-preview"))
        assert "not a number" in shown and len(shown) < 300 and "x" * 39 + "…" in shown


async def test_a_new_cards_answer_says_it_is_not_a_review_and_offers_no_rating(fixture_pack):
    # "Rating: Again (1 Again · 2 Hard · …)" was offered, and then "No card was rescheduled": nothing was rated.
    async with app().run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["choice"])
        await answer(pilot, screen.item, right=False)
        await _graded(pilot, screen)
        verdict = text(screen.query_one("#quiz-verdict"))
        assert "Not counted as a review: the card is new" in verdict and "Rating:" not in verdict
        await pilot.press("4")  # no rating to change
        await pilot.pause()
        assert "Rating:" not in text(screen.query_one("#quiz-verdict"))
        assert not screen.check_action("rate", (4,))  # nor is one offered by the keys panel
        await pilot.press("n")
        await pilot.pause()
    with open_store() as store:
        assert store.reviews() == [] and len(store.quiz_attempts()) == 1


async def test_a_quiz_reviews_a_card_once_whatever_number_of_its_items_it_asks(fixture_pack):
    # Three items on one card, answered within a minute, were three reviews: Good, then Hard, then a lapse.
    with open_store() as store:
        Scheduler(store, Settings(enable_fuzzing=False)).review(PACK_ID, "sigmoid", 3)
    async with app().run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["choice", "multi"])
        assert {i.card for i in screen.items} == {"sigmoid"}
        await answer(pilot, screen.item, right=True)
        await _graded(pilot, screen)
        assert "Rating: Good" in text(screen.query_one("#quiz-verdict"))
        await pilot.press("n")
        await pilot.pause()
        await answer(pilot, screen.item, right=False)
        await _graded(pilot, screen, 2)
        assert "Not another review: this quiz already rated this card" in text(screen.query_one("#quiz-verdict"))
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("r")  # retry the missed one: the same sitting, the card is not rated again a minute later
        await pilot.pause()
        retry = pilot.app.screen
        assert retry is not screen
        await answer(pilot, retry.item, right=True)
        await _graded(pilot, retry)
        assert "Not another review" in text(retry.query_one("#quiz-verdict"))
        await pilot.press("n")
        await pilot.pause()
    with open_store() as store:
        assert [(r.rating, r.source) for r in store.reviews()] == [(3, "card"), (3, "quiz")]
        assert [a["correct"] for a in store.quiz_attempts()] == [True, False, True]


async def test_space_then_down_arriving_together_ticks_the_option_space_was_pressed_on(fixture_pack):
    # Textual's SelectionList ticked the option highlighted when it handled the tick, after the Down that came with
    # it: over a slow link "Space Down" ticked the second option, not the first.
    from textual import events

    async with app().run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["multi"])
        options = screen.query_one("#answer-multi", SelectionList)
        first = options.get_option_at_index(0).value
        for key, char in (("space", " "), ("down", None)):  # both queued before either is handled
            pilot.app._driver.send_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert options.selected == [first] and options.highlighted == 1


async def test_a_slow_answer_is_judged_against_the_usual_time_for_its_kind_of_question(fixture_pack):
    # Five steps to put in order took 9.7 s and were offered Hard, "over twice your usual 3.8 s": the usual came from
    # one-answer questions.
    with open_store() as store:
        Scheduler(store, Settings(enable_fuzzing=False)).review(PACK_ID, "sigmoid", 3)
        for n in range(6):
            store.record_quiz(PACK_ID, "x", None, "a", True, time_ms=n, detail={"duration_ms": 2000, "kind": "choice"})
            store.record_quiz(PACK_ID, "y", None, [0], True, time_ms=n, detail={"duration_ms": 9000, "kind": "order"})
    async with app().run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["order"])
        screen.shown_at -= 10  # 10 s: slow for a choice, usual for an order
        await answer(pilot, screen.item, right=True)
        await _graded(pilot, screen)
        verdict = text(screen.query_one("#quiz-verdict"))
        assert "Rating: Good" in verdict and "as you took" not in verdict, verdict
    with open_store() as store:  # and this answer's time joins the order questions' usual
        assert len(store.quiz_durations(kind="order")) == 7 and store.quiz_durations(kind="choice") == [2000] * 6
        # Answers recorded before their kind was kept count for every kind: an upgrade keeps the learner's usual.
        store.record_quiz(PACK_ID, "z", None, "a", True, time_ms=99, detail={"duration_ms": 4000})
        assert store.quiz_durations(kind="choice") == [4000] + [2000] * 6


async def test_a_retry_shows_the_options_in_another_order(fixture_pack):
    # The retry showed the same order: the right answer was remembered by its place, not known.
    async with app().run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["multi"])
        options = screen.query_one("#answer-multi", SelectionList)
        first = [options.get_option_at_index(i).value for i in range(options.option_count)]
        await answer(pilot, screen.item, right=False)
        await _graded(pilot, screen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        retry = pilot.app.screen
        options = retry.query_one("#answer-multi", SelectionList)
        again = [options.get_option_at_index(i).value for i in range(options.option_count)]
        assert sorted(again) == sorted(first) and again != first, (first, again)
        # and the right answers are not where they were: a new order that kept them there taught their letters
        right = set(retry.item.answers)
        assert {i for i, k in enumerate(again) if k in right} != {i for i, k in enumerate(first) if k in right}


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_multi_item_ticks_by_letter_and_an_empty_answer_is_not_graded(fixture_pack, lang):
    # Letters answered a choice item but did nothing on an all-that-apply item, and s then graded an empty answer.
    a = app(lang=lang)
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ("multi",))
        item = screen.item
        await pilot.press("s")
        await pilot.pause()
        assert screen.results == [] and _attempts() == []
        hint = text(screen.query_one("#quiz-answer .hint"))
        assert ("Nothing is ticked" if lang == "en" else "체크한 보기가 없습니다") in hint, hint
        options = screen.query_one("#answer-multi", SelectionList)
        values = [options.get_option_at_index(i).value for i in range(options.option_count)]
        for i, value in enumerate(values):
            if value in item.answers:
                await pilot.press("abcdef"[i] if i % 2 == 0 else str(i + 1))  # a letter or its number
        await pilot.pause()
        assert set(options.selected) == set(item.answers)
        await pilot.press("s")
        await _graded(pilot, screen)
    assert [(q["item_id"], q["correct"]) for q in _attempts()] == [(item.id, True)]


async def test_at_80_columns_the_keys_scroll_to_the_feedback_under_a_graded_answer(fixture_pack):
    # After an answer the explanation was below the fold at 80×24, nothing had focus, and ↓ did nothing.
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        screen = await _quiz_on(pilot, ("choice",))
        await answer(pilot, screen.item, right=False)
        await _graded(pilot, screen)
        body = screen.query_one("#quiz")
        assert body.max_scroll_y > 0 and body.scroll_y == 0
        await pilot.press("down", "down")
        await pilot.pause()
        assert body.scroll_y == 2
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y or body.scroll_y > 2
        await pilot.press("n")  # the quiz's own keys still work from there
        await settle(pilot)
        assert screen.phase == "summary"
