"""Quiz: setup (tags, count), every item kind right and wrong, feedback, records, summary, retry."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input, SelectionList

from studyml.content.models import KINDS
from studyml.srs.store import open_store

from .helpers import PACK_ID, SIZE, app, loaded, settle, text, type_text, wait_for
from .quizkeys import answer

EXPR_WAIT = 60.0  # the first expr answer starts a worker process that imports sympy


def _attempts():
    with open_store() as store:
        return store.quiz_attempts()


async def _quiz_on(pilot, kinds=None):
    """Open a quiz on the fixture pack's items (of `kinds`, in pack order) straight from the library."""
    from studyml.tui.screens.quiz import QuizScreen

    await loaded(pilot)
    pack = pilot.app.services.pack(PACK_ID)
    items = [i for i in pack.items if kinds is None or i.kind in kinds]
    await pilot.app.push_screen(QuizScreen(PACK_ID, items))
    await pilot.pause()
    return pilot.app.screen


async def _graded(pilot, screen, item) -> None:
    await wait_for(
        pilot,
        lambda: len(screen.results) > 0 and screen.results[-1][0] is item and screen.query_one("#quiz-answer").disabled,
        timeout=EXPR_WAIT if item.kind == "expr" else 10,
        what=f"grading of {item.id}",
    )
    await settle(pilot)


def _add_second_card(folder):
    (folder / "cards" / "loss.yaml").write_text(
        "- id: mse\n  title: {en: Mean squared error, ko: 평균 제곱 오차}\n"
        "  front: {en: What is MSE?, ko: MSE란?}\n  back: {en: The mean of squared errors., ko: 오차 제곱의 평균.}\n"
        "  tags: [loss]\n",
        encoding="utf-8",
    )
    (folder / "quizzes" / "loss.yaml").write_text(
        "- id: mse-zero\n  card: mse\n  kind: numeric\n  prompt: {en: MSE of a perfect fit?, ko: 완벽한 적합의 MSE는?}\n"
        "  answer: 0\n  tolerance: {abs: 0.001}\n  explanation: {en: No error at all., ko: 오차가 없다.}\n",
        encoding="utf-8",
    )


# -- setup ----------------------------------------------------------------------------------------


async def _setup(pilot):
    """The quiz setup of the library's pack, opened with `t`."""
    await loaded(pilot)
    await pilot.press("t")
    await pilot.pause()
    return pilot.app.screen


def _tag_prompts(setup) -> list[str]:
    tags = setup.query_one("#setup-tags", SelectionList)
    return [str(tags.get_option_at_index(i).prompt) for i in range(tags.option_count)]


async def test_setup_offers_tags_with_counts_and_filters_by_them(fixture_pack, no_shuffle):
    _add_second_card(fixture_pack)

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        setup = await _setup(pilot)
        assert type(setup).__name__ == "QuizSetupScreen"
        assert text(setup.query_one("#setup-heading")) == "Quiz: My pack"
        tags = setup.query_one("#setup-tags", SelectionList)
        assert _tag_prompts(setup) == ["activation (6)", "loss (1)"]
        assert text(setup.query_one("#setup-status")) == "7 items match."
        await pilot.press("shift+tab", "shift+tab")  # from Start, past the count, to the tags
        assert tags.has_focus
        await pilot.press("end", "space")  # tick "loss"
        await pilot.pause()
        assert tags.selected == ["loss"]
        assert text(setup.query_one("#setup-status")) == "1 item matches."
        await pilot.click("#setup-start")
        await pilot.pause()
        quiz = a.screen
        assert type(quiz).__name__ == "QuizScreen"
        assert [i.id for i in quiz.items] == ["mse-zero"]
        assert text(quiz.query_one("#quiz-status")) == "Question 1 of 1 · 0 right · a number"


async def test_slash_in_the_setup_goes_to_the_tag_filter(fixture_pack, no_shuffle):
    # Focus starts on Start: a learner typing a tag's name typed into nothing; / goes to the filter, as in the browser.
    _add_second_card(fixture_pack)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        setup = await _setup(pilot)
        await pilot.press("slash")
        await type_text(pilot, "los")
        await pilot.pause()
        assert _tag_prompts(setup) == ["loss (1)"]


async def test_a_tag_typed_on_start_goes_to_the_filter_and_a_filter_that_finds_none_says_so(fixture_pack, no_shuffle):
    # Typed on Start (where focus starts), "los" went nowhere; a filter that matched nothing left an empty box.
    _add_second_card(fixture_pack)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        setup = await _setup(pilot)
        await type_text(pilot, "los")
        await pilot.pause()
        assert setup.query_one("#setup-tag-filter", Input).value == "los"
        assert _tag_prompts(setup) == ["loss (1)"]
        await type_text(pilot, "xyz")
        await pilot.pause()
        assert _tag_prompts(setup) == []
        assert text(setup.query_one("#setup-status")).startswith("No tag matches “losxyz”.")

    async with app(lang="en").run_test(size=SIZE) as pilot:  # a key bound on this screen still does its work
        setup = await _setup(pilot)
        await pilot.press("L")
        await pilot.pause()
        assert pilot.app.lang == "ko" and setup.query_one("#setup-tag-filter", Input).value == ""


async def test_setup_count_limits_the_questions(fixture_pack, no_shuffle):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        count = (await _setup(pilot)).query_one("#setup-count", Input)
        count.focus()
        await pilot.press("backspace", "backspace", "2", "enter")
        await pilot.pause()
        quiz = a.screen
        assert [i.kind for i in quiz.items] == ["choice", "multi"]
        assert text(quiz.query_one("#quiz-status")) == "Question 1 of 2 · 0 right · one answer"


async def test_setup_with_no_matching_item_warns_and_stays(fixture_pack):
    from studyml.tui.screens.quiz import QuizSetupScreen

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await a.push_screen(QuizSetupScreen(PACK_ID, card_id="no-such-card"))
        await pilot.pause()
        assert text(a.screen.query_one("#setup-status")) == "0 items match."
        await pilot.click("#setup-start")
        await pilot.pause()
        assert type(a.screen).__name__ == "QuizSetupScreen"
        assert any("No item matches" in str(n.message) for n in a._notifications)


# -- every kind, right and wrong ------------------------------------------------------------------


@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
@pytest.mark.parametrize("kind", KINDS)
async def test_every_kind_answered_with_feedback_explanation_and_record(fixture_pack, kind, right):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, [kind])
        item = screen.item
        assert item.kind == kind
        await answer(pilot, item, right)
        await _graded(pilot, screen, item)
        verdict = screen.query_one("#quiz-verdict")
        shown = text(verdict)
        assert not verdict.has_class("hidden")
        assert verdict.has_class("right" if right else "wrong")
        assert shown.startswith("✓ Correct" if right else "✗ Not quite"), shown
        assert ("Answer:" in shown) is (not right)
        assert "c the card" in shown
        explanation = screen.query_one("#quiz-explanation")
        assert not explanation.has_class("hidden")
        assert item.explanation["en"].split()[0] in explanation.source
        assert (
            text(screen.query_one("#quiz-status"))
            == f"Question 1 of 1 · {int(right)} right · {screen.t('quiz.kind.' + kind)}"
        )
        assert screen.results == [(item, right)]
    attempts = _attempts()
    assert [(t["pack_id"], t["item_id"], t["card_id"], t["correct"]) for t in attempts] == [
        (PACK_ID, item.id, "sigmoid", right)
    ]
    if kind == "order" and right:
        assert attempts[0]["answer"] == [0, 1, 2, 3]
    # The card was never studied: by default a quiz answer leaves its schedule alone (study options).
    with open_store() as store:
        assert store.reviews() == [] and store.get(PACK_ID, "sigmoid") is None


async def test_wrong_answers_show_what_was_expected(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["choice", "order", "numeric"])  # in pack order
        shown = []
        for _ in range(3):
            item = screen.item
            await answer(pilot, item, right=False)
            await _graded(pilot, screen, item)
            shown.append(text(screen.query_one("#quiz-verdict")))
            await pilot.press("n")
            await pilot.pause()
        assert re.search(r"Answer: [a-z]\) \(0, 1\)", shown[0]), shown[0]  # under the label it was shown with
        # Numbered as an explanation's "step 3" counts them: the learner's list above is in their own order
        assert "Answer: 1. Forward pass → 2. Compute the loss → 3. Backward pass → 4. Update the weights" in shown[1]
        assert "In the right order relative to each other: " in shown[1] and " of 4." in shown[1]
        assert "Answer: 0.25 (± 0.001)" in shown[2]


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_wrong_order_shows_the_learners_order_each_step_marked_and_where_a_moved_one_belongs(
    fixture_pack, lang
):
    # The verdict said only "2 of 4 steps were in the right order relative to each other"; which ones, and where
    # the others go, was left to the learner, whose order was gone from the screen.
    a = app(lang=lang)
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["order"])
        item = screen.item
        await answer(pilot, item, right=False)
        await _graded(pilot, screen, item)
        given = screen.last_answer[0]
        assert given != sorted(given)
        lines = screen.query_one("#quiz-explanation").source.split("\n")
        heading = {
            "en": "**Your order (✗ one to move; the ✓ ones are in order among themselves)**",
            "ko": "**내가 놓은 순서 (✗ 옮길 것, ✓끼리는 순서가 맞음)**",
        }[lang]
        listed = lines[lines.index(heading) + 2 : lines.index(heading) + 2 + len(given)]
        assert [line.split(" ", 2)[2].split(" — ")[0] for line in listed] == [item.steps[i][lang] for i in given]
        assert all(line.startswith(("- ✓ ", "- ✗ ")) for line in listed)  # the only numbers: the answer's
        moved = [line for line in listed if " ✗ " in line]
        assert moved and len(listed) - len(moved) == round(screen.last_answer[1].score * len(given))  # as the verdict
        for line in moved:
            step = next(i for i in given if line.split(" ", 2)[2].startswith(item.steps[i][lang]))
            said = {"en": f"*belongs at {step + 1}*", "ko": f"*제자리는 {step + 1}번째*"}[lang]
            assert line.endswith(said), line


async def test_numeric_feedback_is_in_the_learners_language(fixture_pack):
    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["numeric"])
        item = screen.item
        await type_text(pilot, "1/3")
        await pilot.press("enter")
        await _graded(pilot, screen, item)
        shown = text(screen.query_one("#quiz-verdict"))
        assert "정답: 0.25 (± 0.001)" in shown
        assert "입력한 값: 0.3333333333" in shown  # the value read, so a typo is visible
        assert "expected" not in shown and "you gave" not in shown


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_the_expr_hint_says_each_symbols_range_and_sign(fixture_pack, lang):
    # A signed z was tried negative, and a learner's form right only for positive z marked wrong at z=-3.12: the hint
    # said "Symbols: z" alone.
    from studyml.content.models import ExprItem
    from studyml.tui.screens.quiz import QuizScreen

    a = app(lang=lang)
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        item = ExprItem.model_validate(
            {
                "id": "bce",
                "card": a.services.pack(PACK_ID).cards[0].id,
                "kind": "expr",
                "prompt": {"en": "dL/dz?", "ko": "dL/dz는?"},
                "symbols": ["z", "y", "n", "rho"],
                "signed": ["z"],
                "ranges": {"y": [0, 1], "rho": [-1, 1]},
                "answer": "sigmoid(z) - y + n*rho",
                "explanation": {"en": ".", "ko": "."},
            }
        )
        await a.push_screen(QuizScreen(PACK_ID, [item]))
        await pilot.pause()
        hint = text(a.screen.query_one("#answer .hint"))
        said = {"en": "z (may be negative)", "ko": "z (음수 가능)"}[lang]
        assert f"{said}, y ∈ [0, 1], n, rho ∈ [-1, 1]" in hint, hint


async def test_expr_shows_a_live_preview_while_typing(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["expr"])
        preview = screen.query_one("#answer-preview")
        hint = text(screen.query_one("#answer .hint"))
        assert "Symbols: x" in hint
        await type_text(pilot, "exp(-x")
        # The preview follows the typing on a short timer: wait for it rather than for one frame.
        await wait_for(pilot, lambda: preview.has_class("bad") and text(preview), 10, "the unparsable preview")
        await type_text(pilot, ")/2")
        await wait_for(pilot, lambda: not preview.has_class("bad"), 10, "the preview of a complete formula")
        assert text(preview).startswith("= ") and "exp" in text(preview)


async def test_a_formula_right_only_for_positive_values_of_a_signed_symbol_is_graded_wrong(fixture_pack):
    # The grading worker is told which symbols may be negative: `x*abs(w)` for `x*w` with a weight w was ✓.
    from studyml.content.models import ExprItem
    from studyml.tui.screens.quiz import QuizScreen

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        card = a.services.pack(PACK_ID).cards[0].id
        item = ExprItem.model_validate(
            {
                "id": "wx",
                "card": card,
                "kind": "expr",
                "prompt": {"en": "d(wx)/dx?", "ko": "d(wx)/dx는?"},
                "symbols": ["w", "x"],
                "signed": ["w"],
                "answer": "w",
                "explanation": {"en": "w.", "ko": "w."},
            }
        )
        await a.push_screen(QuizScreen(PACK_ID, [item]))
        await pilot.pause()
        screen = a.screen
        await type_text(pilot, "abs(w)")
        await pilot.press("enter")
        await _graded(pilot, screen, item)
        assert screen.results == [(item, False)]
        assert "w=-" in text(screen.query_one("#quiz-verdict"))


async def test_a_formula_is_graded_within_the_items_ranges_and_a_point_said_is_one_of_them(fixture_pack):
    # The grading worker is told where each symbol lies: |log p| for -log p, right for every probability, was ✗
    # "at p=2.3", a probability of 2.3.
    from studyml.content.models import ExprItem
    from studyml.tui.screens.quiz import QuizScreen

    def item(item_id: str) -> ExprItem:
        return ExprItem.model_validate(
            {
                "id": item_id,
                "card": card,
                "kind": "expr",
                "prompt": {"en": "-log of p?", "ko": "p의 음의 로그는?"},
                "symbols": ["p"],
                "ranges": {"p": [0, 1]},
                "answer": "-log(p)",
                "explanation": {"en": "-log p.", "ko": "-log p."},
            }
        )

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        card = a.services.pack(PACK_ID).cards[0].id
        right, wrong = item("nll"), item("nll-again")
        await a.push_screen(QuizScreen(PACK_ID, [right, wrong]))
        await pilot.pause()
        screen = a.screen
        await type_text(pilot, "abs(log(p))")
        await pilot.press("enter")
        await _graded(pilot, screen, right)
        assert screen.results == [(right, True)]
        await pilot.press("n")
        await wait_for(pilot, lambda: screen.item is wrong, 10, "the second item")
        await type_text(pilot, "log(p)")
        await pilot.press("enter")
        await _graded(pilot, screen, wrong)
        assert screen.results[1] == (wrong, False)
        verdict = text(screen.query_one("#quiz-verdict"))
        assert 0 < float(re.search(r"p=([-\d.]+)", verdict)[1]) < 1, verdict


async def test_text_answer_in_korean(fixture_pack):
    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["text"])
        await answer(pilot, screen.item, right=True, lang="ko")
        await _graded(pilot, screen, screen.item)
        assert text(screen.query_one("#quiz-verdict")).startswith("✓ 정답")
    assert _attempts()[0]["answer"] == "시그모이드"


# -- the run, summary and retry ---------------------------------------------------------------------


async def test_a_whole_quiz_summary_with_missed_items_and_retry(fixture_pack, no_shuffle):
    plan = {"choice": True, "multi": False, "order": True, "numeric": False, "text": True}

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        (await _setup(pilot)).query_one("#setup-count", Input).value = "5"  # the first five: everything but expr
        await pilot.click("#setup-start")
        await pilot.pause()
        screen = a.screen
        for n, (kind, right) in enumerate(plan.items(), 1):
            item = screen.item
            assert item.kind == kind
            assert text(screen.query_one("#quiz-status")).startswith(f"Question {n} of 5")
            await answer(pilot, item, right)
            await _graded(pilot, screen, item)
            await pilot.press("enter" if n % 2 else "n")  # both go on
            await pilot.pause()
        assert screen.item is None
        assert text(screen.query_one("#quiz-status")) == "Quiz finished"
        summary = screen.query_one("#quiz-summary").source
        assert "Score: 3 / 5 (60%)" in summary
        assert "✗ Which statements about the sigmoid are true?" in summary
        assert "✗ What is σ'(0)?" in summary
        assert "Put the steps" not in summary
        assert "Press r to retry" in summary
        await pilot.press("r")
        await pilot.pause()
        retry = a.screen
        assert retry is not screen and [i.kind for i in retry.items] == ["multi", "numeric"]
        for item in list(retry.items):
            await answer(pilot, item, right=True)
            await _graded(pilot, retry, item)
            await pilot.press("n")
            await pilot.pause()
        summary = retry.query_one("#quiz-summary").source
        assert "Score: 2 / 2 (100%)" in summary and "Every answer right" in summary
        await pilot.press("r")  # nothing to retry
        await pilot.pause()
        assert a.screen is retry
        await pilot.press("escape")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"
    attempts = _attempts()
    assert len(attempts) == 7
    assert [t["correct"] for t in attempts] == [True, False, True, False, True, True, True]


async def test_c_opens_the_card_and_esc_comes_back(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["numeric"])
        await pilot.press("c")  # not before answering (it is typed into the answer instead)
        await pilot.pause()
        assert a.screen is screen
        await pilot.press("backspace")
        await answer(pilot, screen.item, right=True)
        await _graded(pilot, screen, screen.item)
        await pilot.press("c")
        await pilot.pause()
        assert type(a.screen).__name__ == "StudyScreen" and a.screen.single_card == "sigmoid"
        await pilot.press("escape")
        await pilot.pause()
        assert a.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen"


async def test_language_switch_rerenders_the_question(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["choice"])
        assert "range of the sigmoid" in screen.query_one("#quiz-prompt").source
        await pilot.press("L")
        await pilot.pause()
        await pilot.pause()
        assert "치역" in screen.query_one("#quiz-prompt").source
        assert text(screen.query_one("#quiz-status")) == "1문항 중 1번째 · 정답 0 · 하나 고르기"
        assert "↑↓로 고른 뒤 Enter" in text(screen.query_one("#answer .hint"))


def test_a_numeric_answer_becomes_the_demos_prediction():
    """Predict, then run: the number typed in the quiz is locked in as the demo's prediction;
    a choice answer is not (the demo screen asks yes/no about the claim itself)."""
    from types import SimpleNamespace

    from studyml.tui.screens.demo import DemoScreen
    from studyml.tui.screens.quiz import QuizScreen

    screen = QuizScreen("fixture", [])
    screen.last_answer = ("1/4", SimpleNamespace(correct=False))
    metric_item = SimpleNamespace(verify=SimpleNamespace(metric="dead_fraction", claim=None))
    claim_item = SimpleNamespace(verify=SimpleNamespace(metric=None, claim="most_units_dead"))
    assert screen._prediction(metric_item) == 0.25
    assert screen._prediction(claim_item) is None
    assert DemoScreen("dead-relu", prediction=0.25).prediction == 0.25
    assert DemoScreen("dead-relu").prediction is None


@pytest.mark.parametrize("switch_first", [True, False], ids=["opened-in-korean", "switched-while-open"])
async def test_the_order_answers_footer_keys_are_in_the_learners_language(fixture_pack, switch_first):
    # "shift+↑ Move up  shift+↓ Move down  s Check" stayed English on a Korean screen: only the screen's own keys
    # and the focused widget's were translated, not those of the answer widget around the focused list.
    from textual.widgets._footer import FooterKey

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        if switch_first:
            await pilot.press("L")
            await pilot.pause()
        await _quiz_on(pilot, ["order"])
        if not switch_first:
            await pilot.press("L")
        await pilot.pause()
        await pilot.pause()
        shown = {k.description for k in a.screen.query(FooterKey)}
        assert {"위로", "아래로", "확인"} <= shown, shown
        assert not {"Move up", "Move down", "Check"} & shown


async def test_the_next_question_starts_without_the_last_ones_explanation(fixture_pack, no_shuffle):
    # The last item's option breakdown stood for a moment under the next item's verdict: the explanation was shown
    # again at the grade while its new text was still being built.
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, kinds={"multi", "choice"})
        first = screen.item
        await answer(pilot, first, right=False)
        await _graded(pilot, screen, first)
        said = " ".join(b.source or "" for b in screen.query_one("#quiz-explanation").query("MarkdownBlock"))
        assert said.strip()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.item is not first
        left = [b for b in screen.query_one("#quiz-explanation").query("MarkdownBlock")]
        assert not left, [getattr(b, "source", b) for b in left]


async def test_the_setups_tags_are_in_alphabetical_order_whatever_their_case(studyml_home):
    # "ImageNet", "ReLU" and "Transformer" came before "activation".
    from studyml.tui.screens.quiz import QuizSetupScreen

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await a.push_screen(QuizSetupScreen("ml-foundations"))
        await pilot.pause()
        names = [p.rsplit(" (", 1)[0] for p in _tag_prompts(a.screen)]
        assert len(names) > 20 and any(n[0].isupper() for n in names) and any(n[0].islower() for n in names)
        assert names == sorted(names, key=str.casefold)


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_retry_that_reviews_no_card_says_it_was_rated_earlier_not_that_the_options_forbid_it(
    fixture_pack, no_shuffle, lang
):
    # The retry's summary said "quiz answers review only cards you have started": both cards were started; they had
    # been rated in the first round, and a quiz reviews a card once.
    from studyml.srs.scheduler import Settings
    from studyml.tui.screens.quiz import QuizScreen

    with open_store() as store:
        Settings(quiz_reviews="all").save(store)
    a = app(lang=lang)
    async with a.run_test(size=SIZE) as pilot:
        screen = await _quiz_on(pilot, ["numeric"])
        item = screen.item
        await answer(pilot, item, right=False, lang=lang)
        await _graded(pilot, screen, item)
        await pilot.press("n")
        await pilot.pause()
        assert screen.rescheduled  # the first round rated its card
        await pilot.press("r")
        await pilot.pause()
        retry = a.screen
        assert isinstance(retry, QuizScreen) and retry is not screen
        await answer(pilot, retry.item, right=True, lang=lang)
        await _graded(pilot, retry, retry.item)
        await pilot.press("n")
        await pilot.pause()
        summary = retry.query_one("#quiz-summary").source
        said = {
            "en": "these cards were rated earlier in this sitting, and a quiz reviews a card once",
            "ko": "이번 퀴즈에서 이미 평가한 카드이고, 퀴즈는 카드를 한 번만 복습으로 칩니다",
        }[lang]
        assert said in summary, summary
