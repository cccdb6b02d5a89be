"""Templated quiz items in the app: a fresh variant per attempt, graded by computation, a proposed rating."""

from __future__ import annotations

import json
import math

from studyml.quiz.template import format_number, instantiate
from studyml.srs.store import open_store

from .helpers import PACK_ID, SIZE, app, loaded, settle, text, type_text, wait_for

TEMPLATE = """\
- id: sigmoid-slope-t
  card: sigmoid
  kind: numeric
  params:
    x: {range: [-3, 3], step: 0.5}
  prompt: {en: "What is the slope of the sigmoid at x = {x}?", ko: "x = {x}에서 시그모이드의 기울기는 얼마입니까?"}
  answer: 'sigmoid(x)*(1 - sigmoid(x))'
  tolerance: {abs: 0.001}
  hints:
    - {en: "Use σ(x)(1 − σ(x)).", ko: "σ(x)(1 − σ(x))를 쓰십시오."}
  misconceptions:
    - value: 'sigmoid(x)'
      feedback: {en: "That is σ({x}) itself, not its slope.", ko: "그 값은 기울기가 아니라 σ({x}) 자체입니다."}
  explanation: {en: "σ'(x) = σ(x)(1 − σ(x)).", ko: "σ'(x) = σ(x)(1 − σ(x))입니다."}
"""


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


async def _open(pilot, times: int):
    from studyml.tui.screens.quiz import QuizScreen

    await loaded(pilot)
    item = next(i for i in pilot.app.services.pack(PACK_ID).items if i.id == "sigmoid-slope-t")
    await pilot.app.push_screen(QuizScreen(PACK_ID, [item] * times))
    await pilot.pause()
    return pilot.app.screen, item


async def _answer(pilot, screen, value: float) -> None:
    n = len(screen.results)
    await type_text(pilot, format_number(round(value, 4), "en"))
    await pilot.press("enter")
    await wait_for(pilot, lambda: len(screen.results) == n + 1 and screen.pending is not None, what="grading")
    await settle(pilot)


def _write(fixture_pack, quiz_reviews: str | None = None):
    (fixture_pack / "quizzes" / "templates.yaml").write_text(TEMPLATE, encoding="utf-8")
    if quiz_reviews is not None:  # the card is new: by default a quiz answer leaves its schedule alone
        with open_store() as store:
            store.set_setting("srs", {"quiz_reviews": quiz_reviews})


async def test_three_attempts_three_variants_each_graded_and_recorded_with_its_seed(fixture_pack):
    _write(fixture_pack)

    async with app().run_test(size=SIZE) as pilot:
        screen, item = await _open(pilot, 3)
        prompts = []
        for _ in range(3):
            x = screen.variant.values["x"]
            prompts.append(screen.query_one("#quiz-prompt").source)
            assert f"x = {format_number(x, 'en')}" in prompts[-1]
            await _answer(pilot, screen, _sigmoid(x) * (1 - _sigmoid(x)))
            assert text(screen.query_one("#quiz-verdict")).startswith("✓ Correct")
            await pilot.press("n")
            await pilot.pause()
    assert prompts[0] != prompts[1] and prompts[1] != prompts[2]  # never the same variant twice in a row
    with open_store() as store:
        seeds = store.quiz_seeds(PACK_ID, item.id)
        assert len(seeds) == 3 and all(seeds)
        # The stored seed reproduces the variant the learner saw.
        assert [
            f"x = {format_number(instantiate(item, s).values['x'], 'en')}" in p for s, p in zip(seeds, prompts)
        ] == [True] * 3


async def test_the_proposed_rating_can_be_changed_before_it_is_recorded(fixture_pack):
    _write(fixture_pack, quiz_reviews="all")

    async with app().run_test(size=SIZE) as pilot:
        screen, _ = await _open(pilot, 1)
        x = screen.variant.values["x"]
        await _answer(pilot, screen, _sigmoid(x) * (1 - _sigmoid(x)))
        assert "Rating: Good" in text(screen.query_one("#quiz-verdict"))
        await pilot.press("2")
        await pilot.pause()
        assert "Rating: Hard" in text(screen.query_one("#quiz-verdict"))
        await pilot.press("n")
        await pilot.pause()
    with open_store() as store:
        assert [r.rating for r in store.reviews()] == [2]
        detail = json.loads(store.conn.execute("SELECT detail FROM quiz_attempts").fetchone()[0])
    assert (detail["proposed"], detail["rating"], detail["hints"]) == (3, 2, 0)


async def test_a_hint_caps_the_proposal_at_hard_and_a_misconception_is_explained(fixture_pack):
    _write(fixture_pack, quiz_reviews="all")

    async with app().run_test(size=SIZE) as pilot:
        screen, _ = await _open(pilot, 2)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "Use σ(x)(1 − σ(x))." in text(screen.query_one("#quiz-hints"))
        x = screen.variant.values["x"]
        await _answer(pilot, screen, _sigmoid(x) * (1 - _sigmoid(x)))
        assert "Rating: Hard" in text(screen.query_one("#quiz-verdict"))
        await pilot.press("n")
        await pilot.pause()
        x = screen.variant.values["x"]
        await _answer(pilot, screen, _sigmoid(x))
        verdict = text(screen.query_one("#quiz-verdict"))
        assert f"That is σ({format_number(x, 'en')}) itself, not its slope." in verdict
        # The same card, asked again in the same quiz: recorded, not a second review (a drill of variants was
        # as many reviews of one card in a few minutes).
        assert "Not another review: this quiz already rated this card" in verdict and "Rating:" not in verdict
        await pilot.press("n")
        await pilot.pause()
        summary = screen.query_one("#quiz-summary").source  # the missed variant, with its numbers (Markdown)
        assert f"x = {format_number(x, 'en')}" in summary and "{x}" not in summary
    with open_store() as store:
        assert [r.rating for r in store.reviews()] == [2]
        assert [a["correct"] for a in store.quiz_attempts()] == [True, False]


async def test_hints_shown_follow_the_language(fixture_pack):
    _write(fixture_pack)
    async with app().run_test(size=SIZE) as pilot:
        screen, _ = await _open(pilot, 1)
        await pilot.press("ctrl+g")
        await pilot.pause()
        screen.set_focus(None)  # in the answer field L is typed; outside it, it switches the language
        await pilot.press("L")
        await pilot.pause()
        assert "σ(x)(1 − σ(x))를 쓰십시오." in text(screen.query_one("#quiz-hints"))


async def test_practice_from_a_card_goes_on_with_fresh_variants_until_the_learner_stops(fixture_pack):
    _write(fixture_pack)

    from studyml.tui import navigation

    async with app().run_test(size=SIZE) as pilot:
        await loaded(pilot)
        navigation.study(pilot.app, PACK_ID, card_id="sigmoid")
        await pilot.pause()
        await settle(pilot)
        assert pilot.app.screen.check_action("practice", ()) is True
        await pilot.press("p")
        await pilot.pause()
        screen = pilot.app.screen
        assert type(screen).__name__ == "QuizScreen" and screen.practice
        seen = []
        for _ in range(4):  # more answers than the card has templates: practice never runs out
            x = screen.variant.values["x"]
            seen.append(x)
            await _answer(pilot, screen, _sigmoid(x) * (1 - _sigmoid(x)))
            await pilot.press("n")
            await pilot.pause()
        assert all(a != b for a, b in zip(seen, seen[1:]))
        assert text(screen.query_one("#quiz-status")).startswith("Practice · question 5 · 4 of 4 right")
        await pilot.press("escape")
        await pilot.pause()
        # Back to the card at once: practice has no end to leave early ("23 of 24 answers are saved; the rest are not
        # asked" was asked of it), and every answer is saved.
        assert type(pilot.app.screen).__name__ == "StudyScreen"
    with open_store() as store:
        assert len(store.quiz_seeds(PACK_ID, "sigmoid-slope-t")) == 4


async def test_a_proposed_hard_or_easy_says_why_until_the_learner_changes_it(fixture_pack, monkeypatch):
    # A slow right answer was offered Hard with no word of why: it looked like a grading mistake.
    _write(fixture_pack, quiz_reviews="all")

    async with app().run_test(size=SIZE) as pilot:
        screen, _ = await _open(pilot, 2)
        await pilot.press("ctrl+g")
        await pilot.pause()
        x = screen.variant.values["x"]
        await _answer(pilot, screen, _sigmoid(x) * (1 - _sigmoid(x)))
        assert "Rating: Hard" in text(screen.query_one("#quiz-verdict"))
        assert "Hard, as you used a hint." in text(screen.query_one("#quiz-verdict"))
        await pilot.press("3")  # changed: the reason no longer applies
        await pilot.pause()
        assert "as you used a hint" not in text(screen.query_one("#quiz-verdict"))
        screen, _ = await _open(pilot, 1)  # another quiz: the card is rated again there
        screen.shown_at -= 120  # two minutes on it
        x = screen.variant.values["x"]
        await _answer(pilot, screen, _sigmoid(x) * (1 - _sigmoid(x)))
        assert "Hard, as you took 1" in text(screen.query_one("#quiz-verdict"))


async def test_pagedown_scrolls_a_graded_item_from_its_answer_field(fixture_pack):
    # On a small terminal the explanation under the verdict was reached only with Tab, then PgDn.
    from textual.containers import VerticalScroll

    _write(fixture_pack)
    async with app().run_test(size=(80, 14)) as pilot:
        screen, _ = await _open(pilot, 1)
        x = screen.variant.values["x"]
        await _answer(pilot, screen, _sigmoid(x) * (1 - _sigmoid(x)))
        body = screen.query_one("#quiz", VerticalScroll)
        body.scroll_home(animate=False)
        await pilot.pause()
        assert body.max_scroll_y > 0 and body.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0


def test_a_reasons_seconds_are_rounded_the_way_the_rule_compared_them():
    # "took 90 s (over 90 s)" was 90.4 s; "took 3 s, under half your usual 5 s" was 2.6 s against 5.4 s.
    from studyml.tui.screens.quiz import _reason_values

    assert _reason_values("slow", 90_400, None) == ("slow", {"s": "90.4"})
    assert _reason_values("slow", 90_001, None) == ("slow", {"s": "90.1"})
    assert _reason_values("slow", 20_400, 10_000) == ("slow.usual", {"s": "20.4", "usual": "10"})
    assert _reason_values("fast", 2_600, 5_400) == ("fast.usual", {"s": "2.6", "usual": "5.4"})
    assert _reason_values("fast", 2_690, 5_410) == ("fast.usual", {"s": "2.6", "usual": "5.5"})
