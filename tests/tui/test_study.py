"""Study: flip, rate 1–4 with intervals on the buttons, undo, summary, nothing due and study ahead."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Button

from studyml.srs.store import open_store

from .helpers import PACK_ID, SIZE, app, enter_option, loaded, settle, text


async def _open_study(pilot):
    await loaded(pilot)
    await pilot.press("enter")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "StudyScreen"
    return pilot.app.screen


def _reviews():
    with open_store() as store:
        return store.reviews()


async def test_front_first_then_space_flips_and_shows_ratings_with_intervals(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        assert text(screen.query_one("#study-status")) == "My pack · New 1 · Learning 0 · Review 0 · 0 reviewed"
        assert "The sigmoid function" in text(screen.query_one("#card-title"))
        assert screen.query_one("#card-back").has_class("hidden")
        assert screen.query_one("#ratings").has_class("hidden")
        await pilot.press("1")  # rating before flipping does nothing
        await pilot.pause()
        assert _reviews() == []
        await pilot.press("space")
        await pilot.pause()
        assert not screen.query_one("#card-back").has_class("hidden")
        assert "Goodfellow" in text(screen.query_one("#card-meta"))
        labels = [str(b.label) for b in screen.query("#ratings Button").results(Button)]
        # A new card: fsrs' default learning steps (1 m, 10 m) and the Easy graduation, without fuzz.
        assert labels == ["1 Again · 1m", "2 Hard · 6m", "3 Good · 10m", "4 Easy · 8d"]


@pytest.mark.parametrize("rating", [1, 2, 3, 4])
async def test_each_rating_is_stored(fixture_pack, rating):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await _open_study(pilot)
        await pilot.press("space", str(rating))
        await pilot.pause()
    reviews = _reviews()
    assert [(r.pack_id, r.card_id, r.rating, r.pack_version) for r in reviews] == [
        (PACK_ID, "sigmoid", rating, "0.1.0")
    ]
    assert reviews[0].duration_ms is not None and reviews[0].duration_ms >= 0


async def test_clicking_a_rating_button_rates(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await _open_study(pilot)
        await pilot.press("space")
        await pilot.pause()
        await pilot.click("#rate-3")
        await pilot.pause()
    assert [r.rating for r in _reviews()] == [3]


async def test_again_brings_the_card_back_in_the_session(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        await pilot.press("space", "1")
        await pilot.pause()
        assert screen.current == "sigmoid" and screen.mode == "study"
        assert text(screen.query_one("#study-status")) == "My pack · New 0 · Learning 1 · Review 0 · 1 reviewed"
        assert screen.query_one("#card-back").has_class("hidden")  # the front again


async def test_session_summary_after_the_last_card(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        await pilot.press("space", "3")  # a learning step of 10 min: back at once (Anki's learn-ahead)
        await pilot.pause()
        assert screen.mode == "study" and screen.current == "sigmoid"
        await pilot.press("space", "3")  # graduates
        await pilot.pause()
        assert screen.mode == "done"
        assert screen.query_one("#card").has_class("hidden")
        summary = text(screen.query_one("#study-message"))
        assert re.search(r"Session done: 2 reviews in \d+ s\.", summary), summary  # seconds, under a minute
        assert "Again: 0  Hard: 0  Good: 2  Easy: 0" in summary
        assert text(screen.query_one("#study-status")) == "My pack · New 0 · Learning 0 · Review 0 · 2 reviewed"


async def test_a_learning_step_taken_just_before_the_day_ends_still_comes_back(fixture_pack, monkeypatch):
    # CI once ran at 3:58 with days ending at 4:00: the 10-minute step fell in tomorrow and the session ended.
    from datetime import timedelta

    from studyml.srs.scheduler import Scheduler, utc

    def ends_in_a_minute(self, now=None):
        end = utc(now) + timedelta(minutes=1)
        return end - timedelta(days=1), end

    monkeypatch.setattr(Scheduler, "day_bounds", ends_in_a_minute)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        await pilot.press("space", "3")  # Good: the 10-minute step
        await pilot.pause()
        assert screen.mode == "study" and screen.current == "sigmoid"


async def test_u_undoes_the_last_rating(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        await pilot.press("space", "4")
        await pilot.pause()
        assert len(_reviews()) == 1 and screen.mode == "done"
        await pilot.press("u")
        await pilot.pause()
        assert _reviews() == []
        assert screen.current == "sigmoid" and screen.mode == "study"
        assert text(screen.query_one("#study-status")) == "My pack · New 1 · Learning 0 · Review 0 · 0 reviewed"
        await pilot.press("u")  # nothing left to undo: no error, nothing changes
        await pilot.pause()
        await pilot.press("space", "2")
        await pilot.pause()
        assert [r.rating for r in _reviews()] == [2]


async def test_nothing_due_then_a_studies_ahead(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        await pilot.press("space", "4")  # Easy: due in days
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        screen = await _open_study(pilot)
        assert screen.mode == "empty" and screen.current is None
        said = text(screen.query_one("#study-message"))
        # As Anki says at the end of a deck: when the next card is due (Easy on a new card: days from now).
        assert "Nothing is due now" in said and re.search(
            r"The next card of this pack is due in \d+(\.\d)?d\.", said
        ), said
        await pilot.press("a")
        await pilot.pause()
        assert screen.mode == "study" and screen.current == "sigmoid"
        await pilot.press("space", "3")
        await pilot.pause()
        assert screen.mode == "done"
    assert [r.rating for r in _reviews()] == [4, 3]


async def test_study_ahead_with_no_scheduled_cards_says_so(fixture_pack, studyml_home):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        # Use up today's new cards without reviewing this pack's card: nothing due, nothing ahead.
        a.services.srs.settings.new_per_day = 0
        screen = await _open_study(pilot)
        assert screen.mode == "empty"
        await pilot.press("a")
        await pilot.pause()
        assert screen.mode == "empty"
        assert any("No cards are scheduled ahead" in str(n.message) for n in a._notifications)


async def test_esc_and_q_go_back_to_the_library(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await _open_study(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"
        await _open_study(pilot)
        await pilot.press("q")  # q goes back from inner screens; it quits only from the library
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"
        assert a.is_running


async def test_language_switch_rerenders_the_card(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        await pilot.press("space", "L")
        await pilot.pause()
        assert "시그모이드 함수" in text(screen.query_one("#card-title"))
        assert text(screen.query_one("#study-status")).startswith("나의 팩 · 새 카드 1 · 학습 중 0 · 복습 0")
        labels = [str(b.label) for b in screen.query("#ratings Button").results(Button)]
        assert labels == ["1 다시 · 1분", "2 어려움 · 6분", "3 좋음 · 10분", "4 쉬움 · 8일"]


async def test_space_on_the_answer_side_means_good_as_in_anki(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        assert a.focused is None or not isinstance(a.focused, Button)  # space must never press "Again"
        await pilot.press("space")  # show the answer
        await pilot.pause()
        assert _reviews() == []
        await pilot.press("space")  # Good
        await pilot.pause()
        assert [r.rating for r in _reviews()] == [3]
        assert [r for _, r in screen.history] == [3]


# -- level with Anki -------------------------------------------------------------------------------


async def test_a_learning_card_comes_back_when_its_step_is_due_and_the_wait_is_shown(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        a.services.srs.settings.learn_ahead_min = 0  # no learning ahead: wait for the step
        screen = await _open_study(pilot)
        await pilot.press("space", "2")  # Hard: a 6 min step
        await pilot.pause()
        assert screen.mode == "waiting" and screen.current is None
        message = text(screen.query_one("#study-message"))
        assert ("Next card due in 5m" in message or "Next card due in 6m" in message) and "Hard: 1" in message
        assert text(screen.query_one("#study-status")) == "My pack · New 0 · Learning 1 · Review 0 · 1 reviewed"
        screen.learning["sigmoid"] = 0  # the step is due now
        screen._next()
        await pilot.pause()
        assert screen.mode == "study" and screen.current == "sigmoid"


async def test_suspend_bury_and_flag_from_the_study_screen(fixture_pack):
    _add_cards(fixture_pack, 3)

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        first = screen.current
        await pilot.press("f", "f")  # flag: red, then orange
        await pilot.pause()
        assert "⚑ orange" in text(screen.query_one("#study-status"))
        await pilot.press("at")  # suspend
        await pilot.pause()
        second = screen.current
        assert second != first
        await pilot.press("minus")  # bury until tomorrow
        await pilot.pause()
        assert screen.current not in (first, second)
        await pilot.press("escape")
        await pilot.pause()
        again = await _open_study(pilot)
        assert first not in again.queue + [again.current] and second not in again.queue + [again.current]
        first, second = first, second
    with open_store() as store:
        actions = store.card_actions(PACK_ID)
        assert actions[first][0] is True and actions[first][2] == 2
        assert actions[second][1] is not None and actions[second][0] is False
        assert store.reviews() == [] and store.known_card_ids(PACK_ID) == set()  # still new, not studied


async def test_a_buried_or_suspended_new_card_leaves_its_place_to_the_next_new_one(fixture_pack):
    # The header said New 18 after a bury and a suspend where the library (and Anki) said 20: the day's new cards
    # are the ones studied, and a hidden card is not studied.
    _add_cards(fixture_pack, 5)
    with open_store() as store:
        store.set_setting("srs", {"new_per_day": 3})
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        assert screen._counts()[0] == 3
        await pilot.press("at")  # suspend
        await pilot.pause()
        await pilot.press("minus")  # bury
        await pilot.pause()
        assert screen._counts()[0] == 3 and "New 3" in text(screen.query_one("#study-status"))
        await pilot.press("u")  # the bury taken back: the card that took its place goes (it said New 4)
        await pilot.pause()
        assert screen._counts()[0] == 3
        await pilot.press("minus")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        library = a.screen.query_one("#packs")
        assert str(library.get_row_at(0)[4]) == "3"  # the library's New column says the same


async def test_u_after_a_suspend_or_a_bury_takes_that_back_not_the_rating_before(fixture_pack):
    # Rate, suspend the next card, u: the rating was undone and the card stayed suspended.
    _add_cards(fixture_pack, 3)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        await pilot.press("space", "4")  # Easy: graduated, out of the session
        await pilot.pause()
        for key in ("at", "minus"):
            hidden = screen.current
            await pilot.press(key)
            await pilot.pause()
            assert screen.current != hidden
            await pilot.press("u")
            await pilot.pause()
            assert screen.current == hidden and screen.mode == "study"
            with open_store() as store:
                assert hidden not in store.card_actions(PACK_ID) or store.card_actions(PACK_ID)[hidden][:2] == (
                    False,
                    None,
                )
                assert len(store.reviews()) == 1  # the rating before stands
        await pilot.press("u")  # and then the rating
        await pilot.pause()
    assert _reviews() == []


async def test_card_info_shows_history_and_fsrs_memory_state(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await _open_study(pilot)
        await pilot.press("space", "3", "space", "3")  # graduates
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        from studyml.tui.screens.card_info import CardInfoScreen

        await a.push_screen(CardInfoScreen(PACK_ID, "sigmoid"))
        await pilot.pause()
        facts = text(a.screen.query_one("#info-facts"))
        assert "State" in facts and "review" in facts and "Retrievability now" in facts
        assert "100.0%" in facts or "99." in facts  # just reviewed: recall is (almost) certain
        history = a.screen.query_one("#info-history")
        assert history.row_count == 2
        # Every value starts at one column, in Korean too (its labels are two cells a character).
        import re

        from rich.cells import cell_len

        for lang in ("en", "ko"):
            a.lang = lang
            await pilot.pause()
            lines = text(a.screen.query_one("#info-facts")).splitlines()
            starts = {cell_len(m.group(1)) for m in (re.match(r"^(.*?\S {2,})\S", line) for line in lines) if m}
            assert len(lines) >= 4 and len(starts) == 1, (lang, lines)


async def test_the_show_answer_button_flips_the_card_for_mouse_users(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        await pilot.click("#show-answer")
        await pilot.pause()
        assert screen.query_one("#card").revealed and not screen.query_one("#ratings").has_class("hidden")
        # The card's page keys work (the keys panel lists them; a mouse scrolls with the wheel or the scrollbar),
        # without a footer entry each: at 80 columns they pushed "? Keys" off the footer (tests/tui/test_footer.py).
        keys = {b.key: (b.show, enabled) for _, b, enabled, _ in screen.active_bindings.values()}
        assert keys["pageup"] == keys["pagedown"] == (False, True)


def _add_cards(folder, n: int) -> None:
    body = "".join(
        f"- id: extra{i}\n  title: {{en: Extra {i}, ko: 추가 {i}}}\n  front: {{en: Front {i}, ko: 앞 {i}}}\n"
        f"  back: {{en: Back {i}, ko: 뒤 {i}}}\n  tags: [extra]\n"
        for i in range(n)
    )
    (folder / "cards" / "extra.yaml").write_text(body, encoding="utf-8")


async def test_an_option_out_of_range_is_said_in_korean_on_screen(fixture_pack):
    # "저장하지 않았습니다: desired retention must be between 0.70 and 0.99." (the scheduler's English words)
    a = app(lang="ko")
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        screen = a.screen
        await enter_option(pilot, "options-retention", "1.5")  # Enter saves, as the Save button does
        status = screen.query_one("#options-status")
        assert text(status) == "저장하지 않았습니다: 목표 기억 유지율은 0.70에서 0.99 사이여야 합니다."
        await pilot.pause()
        # ... and it is on screen at 80×24: it was below the Save button, seen only at 120×40.
        assert status.region.height > 0 and status.region.bottom <= 23


async def test_study_options_are_saved_and_used(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        screen = a.screen
        assert type(screen).__name__ == "StudyOptionsScreen"
        screen.query_one("#options-new").value = "5"
        screen.query_one("#options-retention").value = "1.5"
        screen.query_one("#options").scroll_end(animate=False)  # the button is below the fields (ctrl+s saves too)
        await pilot.pause()
        await pilot.click("#options-save")
        await pilot.pause()
        assert "Not saved" in text(screen.query_one("#options-status"))  # out of range: nothing written
        screen.query_one("#options-retention").value = "0.85"
        screen.query_one("#options").scroll_end(animate=False)  # the quiz choice is below the steps and the interval
        await pilot.pause()
        await pilot.click("#quiz-all")
        await pilot.click("#options-save")
        await pilot.pause()
        assert text(screen.query_one("#options-status")) == "Saved."
        assert a.services.srs.settings.quiz_reviews == "all"
    from studyml.srs.scheduler import Settings

    with open_store() as store:
        saved = Settings.load(store)
    assert (saved.new_per_day, saved.desired_retention, saved.quiz_reviews) == (5, 0.85, "all")


@pytest.mark.parametrize(
    "lang, says", [("en", "→ see also: The sigmoid function"), ("ko", "→ 함께 볼 카드: 시그모이드 함수")]
)
async def test_the_back_names_the_cards_see_also_lists(fixture_pack, lang, says):
    # `see_also` was validated by pack validate and shown nowhere: authors filled it in for no learner.
    (fixture_pack / "cards" / "extra.yaml").write_text(
        "- id: logit\n  title: {en: The logit, ko: 로짓}\n  front: {en: What is the logit?, ko: 로짓이란?}\n"
        "  back: {en: The inverse of the sigmoid., ko: 시그모이드의 역함수.}\n  see_also: [sigmoid]\n",
        encoding="utf-8",
    )
    a = app(lang=lang)
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        from studyml.tui import navigation

        navigation.study(a, PACK_ID, card_id="logit")
        await settle(pilot)
        await pilot.press("space")
        await pilot.pause()
        meta = text(a.screen.query_one("#card-meta")).splitlines()
        assert says in meta, meta


@pytest.mark.parametrize("lang, label", [("en", "Save"), ("ko", "저장")])
async def test_the_options_footer_says_how_to_save_and_ctrl_s_saves_from_any_field(fixture_pack, lang, label):
    # At 80×24 the Save button is below the fold, and that Enter in a field saves was said nowhere.
    from studyml.srs.scheduler import Settings
    from studyml.srs.store import open_store
    from studyml.tui.widgets.footer import Footer

    a = app(lang=lang)
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        footer = a.screen.query_one(Footer)
        assert any(label in text(key) and "^s" in text(key) for key in footer.query("FooterKey")), [
            text(k) for k in footer.query("FooterKey")
        ]
        a.screen.query_one("#options-retention").value = "0.85"
        a.screen.query_one("#options-new").focus()
        await pilot.press("ctrl+s")
        await pilot.pause()
    with open_store() as store:
        assert Settings.load(store).desired_retention == 0.85


async def test_a_card_whose_saved_state_fsrs_cannot_use_is_said_and_the_app_stays(fixture_pack):
    # A stability of 0 (synced in by an older studyml): the flip raised ZeroDivisionError in fsrs and the app stopped,
    # at every start, since the card stayed due.
    import time

    from studyml.srs.store import CardState

    now = int(time.time() * 1000)
    with open_store() as store:
        store.put_state(
            CardState(
                PACK_ID,
                "sigmoid",
                state=2,
                step=None,
                stability=0.0,
                difficulty=0.0,
                due_ms=now - 1000,
                last_review_ms=now - 86_400_000,
                reps=1,
                first_review_ms=now - 86_400_000,
            )
        )
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _open_study(pilot)
        await pilot.press("space")
        await pilot.pause()
        said = text(screen.query_one("#study-message"))
        assert "cannot be scheduled from its saved state" in said and "Suspend it" in said, said
        labels = [str(b.label) for b in screen.query("#ratings Button").results(Button)]
        assert labels[0] == "1 Again"  # no interval to show
        await pilot.press("3")
        await pilot.pause()
        assert a.is_running and _reviews() == [] and screen.current == "sigmoid"  # not rated, still there


def _due_review_cards(card_ids: list[str]) -> None:
    """Each card in review, due a day ago (oldest first in the order given)."""
    import time

    from studyml.srs.store import CardState

    now = int(time.time() * 1000)
    with open_store() as store:
        for k, card in enumerate(card_ids):
            store.put_state(
                CardState(
                    PACK_ID,
                    card,
                    state=2,
                    step=None,
                    stability=5.0,
                    difficulty=5.0,
                    due_ms=now - 86_400_000 + k,
                    last_review_ms=now - 6 * 86_400_000,
                    reps=2,
                    first_review_ms=now - 7 * 86_400_000,
                )
            )


@pytest.mark.parametrize(
    "lang, says",
    [
        ("en", "The daily review limit (1) is reached, and 2 more review cards are due. Press a to review them anyway"),
        ("ko", "오늘의 복습 한도(1장)에 도달했고, 복습할 카드가 2장 더 있습니다. a를 누르면 한도와 상관없이 복습하고"),
    ],
)
async def test_the_daily_review_limit_is_said_when_it_holds_cards_back_and_a_reviews_them(fixture_pack, lang, says):
    from studyml.srs.scheduler import Settings

    _add_cards(fixture_pack, 3)
    _due_review_cards(["extra0", "extra1", "extra2"])
    with open_store() as store:
        Settings(reviews_per_day=1, new_per_day=0).save(store)
    a = app(lang=lang)
    async with a.run_test(size=(80, 24)) as pilot:
        screen = await _open_study(pilot)
        assert screen.current == "extra0" and screen.queue == []  # the oldest due, alone
        await pilot.press("space", "3")
        await pilot.pause()
        assert screen.mode == "done"
        said = text(screen.query_one("#study-message"))
        assert says in said, said
        await pilot.press("a")
        await pilot.pause()
        assert screen.current == "extra1"  # past the limit, the oldest due first
        assert screen._counts() == (0, 0, 3)  # review cards (two past the limit, one ahead), not "learning"
        # Another window rates a card of another pack: the cards studied ahead stay (they were all dropped, and
        # "limit reached" came back), and one rated there since goes.
        from studyml.srs.scheduler import Scheduler

        waiting = list(screen.queue)
        assert waiting
        with open_store() as store:
            Scheduler(store).review("another-pack", "x", 3)
        screen._drop_reviewed_elsewhere()
        assert screen.queue == waiting
        assert waiting[-1] == "extra0"  # the one studied ahead of its day
        with open_store() as store:
            Scheduler(store).review(PACK_ID, "extra0", 3)
        screen._drop_reviewed_elsewhere()
        assert screen.queue == waiting[:-1]
    # The limit counts the day's ratings: a window opened again finds nothing let in, and says why.
    a = app(lang=lang)
    async with a.run_test(size=(80, 24)) as pilot:
        screen = await _open_study(pilot)
        assert screen.mode == "empty"
        assert says in text(screen.query_one("#study-message"))


async def test_steps_the_review_limit_and_the_maximum_interval_are_set_in_options(fixture_pack):
    from studyml.srs.scheduler import Settings

    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        screen = a.screen
        # The steps in effect are shown as Anki writes them, the library's own until set.
        assert screen.query_one("#options-learning").value == "1m 10m"
        assert screen.query_one("#options-relearning").value == "10m"
        screen.query_one("#options-reviews").value = "50"
        screen.query_one("#options-learning").value = "2m, 1h"
        screen.query_one("#options-relearning").value = ""  # none: a lapse stays in review
        screen.query_one("#options-day-start").value = "24"
        await enter_option(pilot, "options-interval", "365")
        assert (
            text(screen.query_one("#options-status")) == "Not saved: the day's start must be a whole hour from 0 to 23."
        )
        screen.query_one("#options-day-start").value = "5"
        screen.query_one("#options-learn-ahead").value = "10"
        await enter_option(pilot, "options-interval", "365")
        assert text(screen.query_one("#options-status")) == "Saved."
    with open_store() as store:
        saved = Settings.load(store)
    assert saved.reviews_per_day == 50 and saved.maximum_interval == 365
    assert saved.day_start_hour == 5 and saved.learn_ahead_min == 10
    assert saved.learning_steps_s == [120, 3600] and saved.relearning_steps_s == []
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert a.screen.query_one("#options-learning").value == "2m 1h"
        assert a.screen.query_one("#options-relearning").value == ""
        # Saved again untouched, steps never set stay unset (the library's defaults, whatever they become).
    with open_store() as store:
        Settings().save(store)
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        await enter_option(pilot, "options-new", "7")
    with open_store() as store:
        saved = Settings.load(store)
    assert saved.new_per_day == 7 and saved.learning_steps_s is None and saved.relearning_steps_s is None


@pytest.mark.parametrize(
    "lang, says",
    [
        ("en", "Not saved: relearning steps are times from 1s to 365d apart by spaces, such as 10m."),
        ("ko", "저장하지 않았습니다: 재학습 단계는 10m처럼 1s에서 365d 사이의 시간을 띄어 써야 합니다."),
    ],
)
async def test_a_step_that_is_not_one_is_said_and_nothing_is_saved(fixture_pack, lang, says):
    from studyml.srs.scheduler import Settings

    a = app(lang=lang)
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        a.screen.query_one("#options-new").value = "9"
        await enter_option(pilot, "options-relearning", "10x")
        assert text(a.screen.query_one("#options-status")) == says
    with open_store() as store:
        assert Settings.load(store).new_per_day == 20


async def test_the_options_show_what_was_saved_elsewhere_while_the_app_ran(fixture_pack):
    # `studyml srs settings --new-per-day 500` while the app ran: the options still showed the value read at start, and
    # Save wrote it back over the new one.
    from studyml.srs.scheduler import Settings

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        with open_store() as store:
            Settings(new_per_day=500, reviews_per_day=300).save(store)
        await pilot.press("o")
        await pilot.pause()
        assert a.screen.query_one("#options-new").value == "500"
        assert a.screen.query_one("#options-reviews").value == "300"
        assert a.services.srs.settings.new_per_day == 500  # and studying uses them
