"""Text from packs, plugins and the learner shows whole and as written: brackets kept, long lines wrapped, not cut."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.content import Content

from studyml.tui.markup import literal

from .helpers import PACK_ID, SIZE, app, loaded, settle, text, type_text, wait_for
from .quizkeys import answer

_MARKUPISH = st.text(alphabet=st.sampled_from(list("ab X/=@#[]\\:'\"$\n")), max_size=40)


@settings(max_examples=500, deadline=None)
@given(_MARKUPISH)
def test_literal_text_reads_back_exactly_through_textuals_markup(s):
    assert Content.from_markup(literal(s)).plain == s


def _edit(path, *changes: tuple[str, str]) -> None:
    """Rewrite `path` with each (old, new) replaced once; an `old` no longer in the file fails the test."""
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, f"{path.name} no longer holds {old!r}"
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def _bracketed(folder) -> None:
    """The fixture pack with brackets where ML text has them: an expectation, an index, BERT's mask token."""
    _edit(folder / "cards" / "basics.yaml", ("{en: The sigmoid function,", '{en: "The sigmoid σ(x)[i] of E[X]",'))
    _edit(
        folder / "quizzes" / "basics.yaml",
        ('a: {en: "(0, 1)",', 'a: {en: "(0, 1), the mean E[y]",'),
        ('c: {en: "[0, ∞)",', 'c: {en: "[MASK] tokens",'),
    )
    _edit(folder / "pack.yaml", ("{en: My pack,", '{en: "My pack [MASK]",'))


def _lines(widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_brackets_in_a_card_title_a_choice_the_answer_and_the_pack_title_are_shown(fixture_pack):
    from studyml.tui.screens.quiz import QuizScreen

    _bracketed(fixture_pack)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert "My pack [MASK]" in text(a.screen.query_one("#pack-detail-text"))
        await pilot.press("s")
        await wait_for(pilot, lambda: type(a.screen).__name__ == "StudyScreen", 10, "the study screen")
        await settle(pilot)
        assert text(a.screen.query_one("#card-title")) == "The sigmoid σ(x)[i] of E[X]"
        assert "My pack [MASK]" in text(a.screen.query_one("#study-status"))
        await pilot.press("escape")
        await pilot.pause()

        pack = a.services.pack(PACK_ID)
        item = next(i for i in pack.items if i.id == "sigmoid-range")
        await a.push_screen(QuizScreen(PACK_ID, [item]))
        await pilot.pause()
        screen = a.screen
        shown = "\n".join(_lines(screen.query_one("#answer-choices")))
        assert "(0, 1), the mean E[y]" in shown and "[MASK] tokens" in shown, shown
        await answer(pilot, item, right=False)
        await wait_for(pilot, lambda: screen.results, 10, "grading")
        await settle(pilot)
        assert "the mean E[y]" in text(screen.query_one("#quiz-verdict"))  # the answer the learner should have given


_LONG_EN = (
    "Once the data, the architecture and the loss are fixed, the cost is a fully determined function of the weights"
)
_LONG_KO = (
    "데이터와 구조와 손실을 정하고 나면 비용은 가중치에 대한 함수로 완전히 결정되며 데이터는 그 함수 위의 점이 아니다"
)


def _long_choices(folder) -> None:
    long = f'{{en: "{_LONG_EN}", ko: "{_LONG_KO}"}}'
    _edit(
        folder / "quizzes" / "basics.yaml",
        ('b: {en: "(-1, 1)", ko: "(-1, 1)"}', f"b: {long}"),
        ("c: {en: Its gradient vanishes for large inputs, ko: 입력이 크면 기울기가 사라집니다}", f"c: {long}"),
        ("- {en: Compute the loss, ko: 손실 계산}", f"- {long}"),
    )


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_long_choice_is_shown_whole_at_80_columns_its_lines_under_its_text(fixture_pack, lang):
    """A multi-select cut every choice to one line ("… the cost is a fu…"): the learner judged statements they could
    not read. Every kind now wraps, and the wrapped lines start under the text, not under its letter or number."""
    from studyml.tui.screens.quiz import QuizScreen

    _long_choices(fixture_pack)
    long = _LONG_EN if lang == "en" else _LONG_KO
    a = app(lang=lang)
    async with a.run_test(size=(80, 40)) as pilot:
        await loaded(pilot)
        pack = a.services.pack(PACK_ID)
        for kind, selector in (("choice", "#answer-choices"), ("multi", "#answer-multi"), ("order", ".order-step")):
            item = next(i for i in pack.items if i.kind == kind)
            await a.push_screen(QuizScreen(PACK_ID, [item]))
            await pilot.pause()
            lines = [line for widget in a.screen.query(selector) for line in _lines(widget)]
            first = next(i for i, line in enumerate(lines) if long.split()[0] in line)
            start = lines[first].index(long.split()[0])  # where the choice's text starts, after its letter
            assert re.search(r"([a-f]\)|[1-4]\.) $", lines[first][:start]), lines[first]  # its label, then its text
            wrapped = []
            for line in lines[first + 1 :]:
                if line[:start].strip():  # the next choice's letter (or box)
                    break
                wrapped.append(line[start:].rstrip())
            assert wrapped and all(part and not part.startswith(" ") for part in wrapped), lines
            shown = " ".join([lines[first][start:].rstrip(), *wrapped])
            assert shown == long, (shown, lines)  # whole: nothing cut, nothing lost between lines
            a.pop_screen()
            await pilot.pause()


_CLAIM_KO = (
    "define-by-run 방식의 autograd에서는 기록된 그래프가 입력에 따라 달라집니다. 입력마다 반복 횟수나 분기가 "
    "다르고, 그래프에는 실제로 실행된 연산만 정확히 기록됩니다."
)


async def test_a_korean_claim_wraps_whole_on_the_demo_screen(demo_plugins):
    """At 80 columns the claim list showed "그래프에는 실제 …": a table cell cut the line that was a cell too wide
    and ate "로". A claim's lines now fold, and every character is shown."""
    from studyml.tui import navigation

    (demo_plugins / "fx_claim.py").write_text(
        (demo_plugins / "fx_noplot.py")
        .read_text(encoding="utf-8")
        .replace('id="fx-noplot"', 'id="fx-claim"')
        .replace('{"en": "Convex.", "ko": "볼록."}', f'{{"en": "Convex.", "ko": "{_CLAIM_KO}"}}'),
        encoding="utf-8",
    )
    a = app(lang="ko")
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        navigation.demo(a, "fx-claim")
        await wait_for(pilot, lambda: type(a.screen).__name__ == "DemoScreen", 10, "the demo screen")
        await settle(pilot)
        claims = a.screen.query_one("#demo-claims")
        lines = [line.strip() for line in _lines(claims)]
        assert not any("…" in line for line in lines), lines
        shown = "".join(lines).replace(" ", "")
        assert _CLAIM_KO.replace(" ", "") in shown, lines


async def test_a_long_heading_wraps_instead_of_losing_its_end(fixture_pack):
    """Headings were one line: at 80 columns the card info heading lost its pack's name, and the demo screen's
    title its last word."""
    from studyml.tui.screens.card_info import CardInfoScreen

    _edit(
        fixture_pack / "cards" / "basics.yaml",
        ("{en: The sigmoid function,", "{en: The sigmoid function and its derivative as a probability of success,"),
    )
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await a.push_screen(CardInfoScreen(PACK_ID, "sigmoid"))
        await pilot.pause()
        heading = " ".join(line.strip() for line in _lines(a.screen.query_one("#info-heading")))
        assert heading.endswith("probability of success · My pack"), heading


async def test_a_click_on_any_line_of_a_wrapped_choice_ticks_that_choice(fixture_pack):
    """The multi-select's lines map to options through OptionList (not line y to option y, as Textual's did)."""
    from studyml.tui.screens.quiz import QuizScreen

    _long_choices(fixture_pack)
    a = app()
    async with a.run_test(size=(80, 40)) as pilot:
        await loaded(pilot)
        item = next(i for i in a.services.pack(PACK_ID).items if i.kind == "multi")
        await a.push_screen(QuizScreen(PACK_ID, [item]))
        await pilot.pause()
        widget = a.screen.query_one("#answer-multi")
        lines = _lines(widget)
        first = next(i for i, line in enumerate(lines) if _LONG_EN.split()[0] in line)
        key = widget.get_option_at_index(int(lines[first].split(")")[0][-1], 36) - 10).value  # its letter's option
        top, left = widget.content_region.y - widget.region.y, widget.content_region.x - widget.region.x
        await pilot.click(widget, offset=(left + 1, top + first + 1))  # its wrapped line, left of the text
        await pilot.pause()
        assert widget.selected == [key]


async def test_a_multi_select_is_as_tall_as_its_wrapped_choices(fixture_pack):
    """Its height was measured without the box and the letter: a choice a little narrower than the list took one
    line in the height and two on screen, and the last choices (two right answers) were below the box's edge."""
    from studyml.tui.screens.quiz import QuizScreen

    tail = " 가나다라"
    _edit(
        fixture_pack / "quizzes" / "basics.yaml",
        (
            "ko: 모든 점에서 미분 가능합니다}",
            "ko: 여러 구조를 시험해 보고 테스트 세트 정확도가 가장 좋은 것을 고름" + tail + "}",
        ),
        ("ko: 출력의 중심이 0입니다}", "ko: 테스트 세트를 훈련 데이터와 같은 분포에서 무작위로 추출함 가나다라마바사}"),
    )
    a = app(lang="ko")
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        item = next(i for i in a.services.pack(PACK_ID).items if i.kind == "multi")
        await a.push_screen(QuizScreen(PACK_ID, [item]))
        await pilot.pause()
        widget = a.screen.query_one("#answer-multi")
        assert len(widget._lines) > widget.option_count  # a choice wraps
        assert widget.size.height == len(widget._lines), (widget.size, len(widget._lines))  # and all are in view


async def test_a_search_hit_wraps_under_its_indent_and_a_query_shows_as_typed(fixture_pack):
    a = app()
    async with a.run_test(size=(60, 40)) as pilot:  # a hit's 70 characters of context wrap
        await loaded(pilot)
        await pilot.press("slash")
        await type_text(pilot, "squashes")
        await pilot.pause()
        results = a.screen.query_one("#search-results")
        lines = _lines(results)
        first = next(i for i, line in enumerate(lines) if "The sigmoid function" in line)
        left = lines[first].index("The sigmoid function")
        snippet = [line for line in lines[first + 1 :] if line.strip()]
        assert len(snippet) >= 2, lines  # it wraps
        assert all(line[left : left + 2] == "  " and line[left + 2] != " " for line in snippet), lines
        query = a.screen.query_one("#search")
        query.value = ""
        await type_text(pilot, "x[i]")
        await pilot.pause()
        assert "x[i]" in "".join(_lines(results)), _lines(results)


async def test_what_the_learner_typed_and_a_typed_key_keep_their_brackets(fixture_pack):
    """A refused number quotes what was typed; a wrong text answer shows the key: both as written."""
    from studyml.tui.screens.quiz import QuizScreen

    _edit(
        fixture_pack / "quizzes" / "basics.yaml", ("en: [sigmoid, logistic function", 'en: ["σ[x]", logistic function')
    )
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        items = {i.kind: i for i in a.services.pack(PACK_ID).items}
        await a.push_screen(QuizScreen(PACK_ID, [items["numeric"], items["text"]]))
        await pilot.pause()
        await type_text(pilot, "[b]2")
        await pilot.press("enter")
        await pilot.pause()
        assert "[b]2" in text(a.screen.query_one("#answer-preview"))
        screen = a.screen
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "0.25")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(screen.results) == 1, 10, "grading")
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "tanh")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(screen.results) == 2, 10, "grading")
        await settle(pilot)
        assert "σ[x]" in text(screen.query_one("#quiz-verdict"))


async def test_a_bad_browser_query_is_quoted_as_typed(fixture_pack):
    from studyml.tui.screens.browser import BrowserScreen

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await a.push_screen(BrowserScreen("prop:[b]x"))
        await settle(pilot)
        assert "prop:[b]x" in text(a.screen.query_one("#browse-status"))


async def test_table_cells_show_a_title_with_brackets_as_written(fixture_pack):
    """Table cells given as strings are read as rich markup, which eats `[i]` (not `[MASK]`)."""
    from studyml.tui.screens.browser import BrowserScreen

    _edit(fixture_pack / "pack.yaml", ("{en: My pack,", '{en: "My pack x[i]",'))
    _edit(fixture_pack / "cards" / "basics.yaml", ("{en: The sigmoid function,", '{en: "The sigmoid σ(x)[i]",'))
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert "My pack x[i]" in "\n".join(_lines(a.screen.query_one("#packs")))
        await a.push_screen(BrowserScreen())
        await settle(pilot)
        shown = "\n".join(_lines(a.screen.query_one("#browse-table")))
        assert "My pack x[i]" in shown and "The sigmoid σ(x)[i]" in shown, shown


async def test_inline_code_in_a_choice_and_a_multi_choice_shows_as_code_not_backticks(fixture_pack):
    # "a) `[MASK]` never appears…": options are not Markdown, and the backticks showed.
    from studyml.tui.markup import code_markup, inline_code
    from studyml.tui.screens.quiz import QuizScreen

    _edit(
        fixture_pack / "quizzes" / "basics.yaml",
        ('a: {en: "(0, 1)",', 'a: {en: "(0, 1), as `torch.sigmoid(x)` gives",'),
    )
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        item = next(i for i in a.services.pack(PACK_ID).items if i.id == "sigmoid-range")
        await a.push_screen(QuizScreen(PACK_ID, [item]))
        await pilot.pause()
        shown = "\n".join(_lines(a.screen.query_one("#answer-choices")))
        assert "(0, 1), as torch.sigmoid(x) gives" in shown and "`" not in shown, shown
        # ... and in the answer line of the verdict, once answered wrong (it showed `torch.sigmoid(x)` there)
        screen = a.screen
        await answer(pilot, item, right=False)
        await wait_for(pilot, lambda: screen.results, 10, "grading")
        await settle(pilot)
        verdict = text(screen.query_one("#quiz-verdict"))
        assert "(0, 1), as torch.sigmoid(x) gives" in verdict and "`" not in verdict, verdict
    code = inline_code("a `[MASK]` b")
    assert code.plain == "a [MASK] b" and [code.plain[s.start : s.end] for s in code.spans] == ["[MASK]"]
    assert Content.from_markup(code_markup("x `E[y]` and ` alone")).plain == "x E[y] and ` alone"
