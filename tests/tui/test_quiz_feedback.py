"""Quiz feedback names every option by the label the learner saw (options are shuffled and relabelled)."""

from __future__ import annotations

import re

from textual.widgets import OptionList

from .helpers import PACK_ID, SIZE, app, loaded, prompt_text, settle, text, wait_for

ITEMS = """\
- id: overfit-labels
  card: sigmoid
  kind: choice
  prompt: {en: Which statement defines overfitting correctly?, ko: 과적합을 올바르게 정의한 것은?}
  choices:
    a: {en: Good on the test data but bad in the real world, ko: 테스트 데이터에서는 잘하지만 실제로는 못한다}
    b: {en: Low training error but much higher error on unseen data, ko: 훈련 오차는 낮지만 처음 보는 데이터의 오차는 훨씬 높다}
    c: {en: Both training and test errors are high, ko: 훈련 오차와 테스트 오차가 모두 높다}
    d: {en: The model generalises too well, ko: 모델이 너무 잘 일반화한다}
  answer: b
  explanation: {en: Overfitting is a large gap between training and generalisation error., ko: 과적합은 훈련 오차와 일반화 오차의 격차가 큰 상태입니다.}
  why:
    c: {en: That is underfitting., ko: 그것은 과소적합입니다.}
    d: {en: Generalising well is never the problem., ko: 일반화가 잘 되는 것은 문제가 아닙니다.}

- id: activation-facts-fb
  card: sigmoid
  kind: multi
  prompt: {en: Which are true?, ko: 옳은 것을 모두 고르세요.}
  choices:
    a: {en: ReLU is zero for negative inputs, ko: ReLU는 음의 입력에서 0이다}
    b: {en: The sigmoid is centred on zero, ko: 시그모이드의 중심은 0이다}
    c: {en: tanh is centred on zero, ko: tanh의 중심은 0이다}
  answers: [a, c]
  explanation: {en: Only tanh of these two squashing functions is zero-centred., ko: 두 압축 함수 중 tanh만 0을 중심으로 합니다.}
  why:
    b: {en: 'Its outputs lie in (0, 1) around 0.5.', ko: '출력은 0.5를 중심으로 (0, 1)에 있습니다.'}
"""


def _install(folder) -> None:
    (folder / "quizzes" / "feedback.yaml").write_text(ITEMS, encoding="utf-8")


async def _open(pilot, item_id):
    from studyml.tui.screens.quiz import QuizScreen

    await loaded(pilot)
    pack = pilot.app.services.pack(PACK_ID)
    item = next(i for i in pack.items if i.id == item_id)
    await pilot.app.push_screen(QuizScreen(PACK_ID, [item]))
    await pilot.pause()
    return pilot.app.screen, item


def _shown(screen, selector):
    """[(label, key, text)] top to bottom, as the answer widget shows them."""
    ol = screen.query_one(selector, OptionList)
    out = []
    for i in range(ol.option_count):
        option = ol.get_option_at_index(i)
        label = f"{chr(97 + i)})"  # a choice's prompt starts with it; a multi-select draws it beside the prompt
        rest = prompt_text(option.prompt).removeprefix(f"{label} ")
        out.append((label, getattr(option, "value", None) or option.id, rest))
    return out


def _rows(markdown: str) -> dict[str, str]:
    """Feedback rows by the label they start with: '- **b)** ✓ text ← *your answer*  \\n  why'."""
    rows = {}
    for m in re.finditer(r"^- \*\*([a-z]\))\*\* (.*?)(?=^- \*\*|\Z)", markdown, re.M | re.S):
        rows[m.group(1)] = m.group(2)
    return rows


async def _graded(pilot, screen) -> None:
    await wait_for(
        pilot, lambda: screen.results and screen.query_one("#quiz-answer").disabled, timeout=10, what="grading"
    )
    await settle(pilot)


async def test_choice_feedback_uses_the_labels_on_screen(fixture_pack):
    _install(fixture_pack)

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen, item = await _open(pilot, "overfit-labels")
        shown = _shown(screen, "#answer-choices")
        label_of = {key: label for label, key, _ in shown}
        # The options really are relabelled: the right answer is not shown under its file key.
        assert label_of["b"] != "b)", "the fixed per-item shuffle left 'b' in place; pick another item id"
        # Pick the underfitting option (file key c), wherever it was shown.
        ol = screen.query_one("#answer-choices", OptionList)
        ol.focus()
        target = [key for _, key, _ in shown].index("c")
        await pilot.press(*["down"] * (target - (ol.highlighted or 0)), "enter")
        await _graded(pilot, screen)

        verdict = text(screen.query_one("#quiz-verdict"))
        assert f"Answer: {label_of['b']} Low training error" in verdict
        rows = _rows(screen.query_one("#quiz-explanation").source)
        assert sorted(rows) == sorted(label for label, _, _ in shown)
        for label, key, option_text in shown:
            row = rows[label]
            assert option_text in row, (label, row)
            assert row.startswith("✓" if key == "b" else "✗"), (label, row)
            assert ("your answer" in row) is (key == "c"), (label, row)
        assert "That is underfitting." in rows[label_of["c"]]
        assert "Generalising well is never the problem." in rows[label_of["d"]]
        assert "underfitting" not in rows[label_of["b"]]


async def test_multi_options_are_labelled_and_feedback_marks_each(fixture_pack):
    _install(fixture_pack)

    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        screen, item = await _open(pilot, "activation-facts-fb")
        shown = _shown(screen, "#answer-multi")
        assert [label for label, _, _ in shown] == ["a)", "b)", "c)"]
        label_of = {key: label for label, key, _ in shown}
        sl = screen.query_one("#answer-multi", OptionList)
        sl.focus()
        for _, key, _ in shown:  # tick a and b: one right, one wrong
            if key in ("a", "b"):
                await pilot.press("space")
            await pilot.press("down")
        await pilot.press("s")
        await _graded(pilot, screen)
        rows = _rows(screen.query_one("#quiz-explanation").source)
        assert rows[label_of["a"]].startswith("✓") and "내 답" in rows[label_of["a"]]
        assert rows[label_of["b"]].startswith("✗") and "내 답" in rows[label_of["b"]]
        assert "0.5를 중심으로" in rows[label_of["b"]]
        assert rows[label_of["c"]].startswith("✓") and "내 답" not in rows[label_of["c"]]
        verdict = text(screen.query_one("#quiz-verdict"))
        assert f"{label_of['a']} ReLU는 음의 입력에서 0이다; {label_of['c']} tanh의 중심은 0이다" in verdict


async def test_right_options_that_end_their_sentence_are_not_followed_by_a_semicolon(fixture_pack):
    # "…같다.; c) …": a period, then the list's semicolon.
    _install(fixture_pack)
    path = fixture_pack / "quizzes" / "feedback.yaml"
    items = path.read_text(encoding="utf-8")
    assert "ReLU는 음의 입력에서 0이다" in items and "tanh의 중심은 0이다" in items
    path.write_text(
        items.replace("ReLU는 음의 입력에서 0이다", "ReLU는 음의 입력에서 0이다.").replace(
            "tanh의 중심은 0이다", "tanh의 중심은 0이다."
        ),
        encoding="utf-8",
    )
    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        screen, item = await _open(pilot, "activation-facts-fb")
        label_of = {key: label for label, key, _ in _shown(screen, "#answer-multi")}
        screen.query_one("#answer-multi", OptionList).focus()
        wrong = next(key for key in label_of if key not in item.answers)
        await pilot.press(label_of[wrong][0], "s")  # a wrong statement ticked: wrong, and the answer is shown
        await _graded(pilot, screen)
        verdict = text(screen.query_one("#quiz-verdict"))
        first, second = sorted([label_of["a"], label_of["c"]])
        assert ".; " not in verdict and f"0이다. {second}" in verdict, verdict
