"""The card browser: every card in a sortable table, the query language, and open/study/suspend from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable

from studyml.srs.scheduler import Scheduler, Settings
from studyml.srs.store import open_store
from studyml.tui.browse_query import QueryError, Row, parse

from .helpers import PACK_ID, SIZE, app, loaded, text, type_text

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _row(**kw) -> Row:
    base = dict(
        pack_id="ml",
        pack_title="Machine learning 머신러닝",
        card_id="c",
        title="Sigmoid",
        text="sigmoid 시그모이드 squashes",
        tags=["activation", "optimisers-sgd"],
        tag_names=["activation functions", "활성화 함수", "SGD", "확률적 경사 하강법"],
        state="review",
        due=True,
    )
    return Row(**{**base, **kw})


@pytest.mark.parametrize(
    "query, match",
    [
        ("", True),
        ("pack:ml", True),
        ("pack:머신", True),
        ("pack:cv", False),
        ("tag:activation", True),
        ("tag:optimisers", True),
        ("tag:opt*", True),
        ("tag:act", False),
        ("tag:활성화", False),  # a tag's name, like its id, is matched whole (or as a prefix with *)
        ('"tag:활성화 함수"', True),
        ('tag:"activation functions"', True),
        ("tag:확률적*", True),
        ("tag:sgd", True),  # the name "SGD", folded
        ("is:due", True),
        ("is:new", False),
        ("is:review", True),
        ("is:suspended", False),
        ("is:flagged", False),
        ("is:learn", False),  # Anki's spelling of is:learning: it was "Cannot read the filter"
        ("-is:learn", True),
        ("prop:r<0.8", True),
        ("prop:r>0.8", False),
        ("prop:s>=3", True),
        ("시그모이드", True),
        ("SQUASHES", True),
        ("sigmoid tanh", False),
        ('"sigmoid 시그"', True),
        ("-is:new", True),  # Anki's negation: it was read as a word and matched nothing, without a word
        ("-is:due", False),
        ("-tag:cnn is:due", True),
        ('-"tag:활성화 함수"', False),
        ("-tanh", True),
    ],
)
def test_query_terms(query, match):
    assert parse(query)(_row(props={"retrievability": 0.5, "stability": 3.0})) is match


def test_a_dash_before_anything_but_a_letter_is_text():
    # `-1` hid every card holding "1" (and "-1" could not be searched at all); 300 dashes closed the app.
    row = _row(text="tanh ranges from -1 to 1")
    assert parse("-1")(row) and not parse("-1")(_row(text="from 0 to 1"))
    assert parse("--x")(_row(text="a --x flag")) and not parse("--x")(_row(text="x"))
    assert parse("-" * 300 + "x")(_row(text="x")) is False
    assert not parse("-시그모이드")(_row())  # a Korean word is negated like any other


@pytest.mark.parametrize("bad", ["is:soon", "prop:r<<1", "prop:x<1", '"open', "-is:soon"])
def test_a_bad_term_is_named(bad):
    with pytest.raises(QueryError):
        parse(bad)


def _history():
    with open_store() as store:
        Scheduler(store, Settings(enable_fuzzing=False)).review(PACK_ID, "sigmoid", 3, now=NOW - timedelta(days=3))


async def test_the_browser_lists_filters_sorts_and_suspends(fixture_pack):
    from .test_study import _add_cards

    _add_cards(fixture_pack, 2)
    _history()

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
        screen = a.screen
        table = screen.query_one("#browse-table", DataTable)
        assert table.row_count == 3
        assert "3 of 3 cards" in text(screen.query_one("#browse-status"))
        await pilot.press("slash")
        await type_text(pilot, "is:new")
        await pilot.pause()
        assert table.row_count == 2
        screen.query_one("#browse-query").value = "prop:r<0.99"
        await pilot.pause()
        assert [str(c) for c in table.get_row_at(0)][1] == "The sigmoid function"
        screen.query_one("#browse-query").value = "is:soon"
        await pilot.pause()
        assert "is:soon" in text(screen.query_one("#browse-status"))
        screen.query_one("#browse-query").value = "is:flagged"
        await pilot.pause()
        assert table.row_count == 0 and text(screen.query_one("#browse-status")).startswith(
            "No card matches the filter · 0 of 3 cards"
        )
        screen.query_one("#browse-query").value = ""
        await pilot.press("enter")  # to the table
        await pilot.pause()
        table.move_cursor(row=0)
        await pilot.press("at")
        await pilot.pause()
        first = screen._selected()
        with open_store() as store:
            assert store.card_actions(first[0])[first[1]][0] is True
        screen.query_one("#browse-query").value = "is:suspended"
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("enter")  # open the card
        await pilot.pause()
        assert type(a.screen).__name__ == "StudyScreen" and a.screen.single_card == first[1]


async def test_text_typed_at_the_table_goes_to_the_query_and_a_bound_key_keeps_its_action(fixture_pack):
    # The query box looks ready for typing; `pack:soft` typed at the table lost its letters until `s` opened a study
    # session (and `f` there flagged a card).
    from .test_study import _add_cards

    _add_cards(fixture_pack, 2)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen, table = await _browser(pilot)
        assert screen.focused is table
        await type_text(pilot, "pack:fixture is:new")
        await pilot.pause()
        query = screen.query_one("#browse-query")
        assert query.value == "pack:fixture is:new" and screen.focused is query
        assert type(a.screen).__name__ == "BrowserScreen" and table.row_count == 3
        await pilot.press("enter")  # to the table, where the keys act
        await pilot.pause()
        assert screen.focused is table
        # Typed at the table again, a new term: `loss` after `is:flagged` made `is:flaggedloss`.
        await type_text(pilot, "extra")
        await pilot.pause()
        assert query.value == "pack:fixture is:new extra" and table.row_count == 2, query.value
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert type(a.screen).__name__ == "StudyScreen"


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_at_80_columns_the_card_its_state_due_recall_and_flag_are_in_view(fixture_pack, lang):
    # Due, Recall and Flag were off screen at 80 columns, and 기억 확률 was cut to 기억 확 at any width.
    _history()
    a = app(lang=lang)
    async with a.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
        table = a.screen.query_one("#browse-table", DataTable)
        keys = [str(c.key.value) for c in table.ordered_columns]
        assert keys == ["card", "state", "due", "r", "flag"]
        # Sorted by pack, whose column (and so its arrow) is left out: the status line says it instead.
        status = text(a.screen.query_one("#browse-status"))
        assert status.startswith(("sorted by Pack ▲ · ", "정렬: 팩 ▲ · ")), status
        assert table.virtual_size.width <= table.size.width, (table.virtual_size, table.size)
        assert all(c.width >= cell_len(c.label.plain) for c in table.ordered_columns)
        due = str(table.get_row_at(0)[keys.index("due")])
        assert due.endswith(("overdue", "지남")) and "…" not in due
        await pilot.resize_terminal(150, 24)  # wide: every column, nothing left out, and room for the state
        await pilot.pause()
        assert [str(c.key.value) for c in table.ordered_columns] == [
            "pack",
            "card",
            "tags",
            "state",
            "due",
            "r",
            "flag",
        ]
        assert table.virtual_size.width <= table.size.width
        assert table.ordered_columns[3].width >= 20  # "learning · suspended" was always cut
        await pilot.resize_terminal(60, 24)  # narrower still: the flag stays in view, recall goes
        await pilot.pause()
        assert [str(c.key.value) for c in table.ordered_columns] == ["card", "state", "due", "flag"]
        assert table.virtual_size.width <= table.size.width


async def _browser(pilot):
    """The card browser opened from the library with `b`: the screen and its table."""
    await loaded(pilot)
    await pilot.press("b")
    await pilot.pause()
    return pilot.app.screen, pilot.app.screen.query_one("#browse-table", DataTable)


async def test_clicking_a_header_sorts(fixture_pack):
    from .test_study import _add_cards

    _add_cards(fixture_pack, 2)

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen, table = await _browser(pilot)
        screen._sort(DataTable.HeaderSelected(table, table.ordered_columns[1].key, 1, "Card"))
        screen._sort(DataTable.HeaderSelected(table, table.ordered_columns[1].key, 1, "Card"))
        await pilot.pause()
        titles = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert titles == sorted(titles, reverse=True)


async def test_o_sorts_by_the_next_column_and_capital_o_reverses_ignoring_case(fixture_pack):
    # Only a click on a header sorted; and `CVXPY…` came before `Choosing…`, upper case before lower.
    body = "".join(
        f"- id: c{i}\n  title: {{en: {title}, ko: {title}}}\n  front: {{en: F, ko: 앞}}\n  back: {{en: B, ko: 뒤}}\n"
        for i, title in enumerate(["CVXPY basics", "Choosing a loss", "adam", "Batch norm"])
    )
    (fixture_pack / "cards" / "case.yaml").write_text(body, encoding="utf-8")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen, table = await _browser(pilot)
        table.focus()
        await pilot.press("o")  # from Pack to Card
        await pilot.pause()
        assert (screen.sort_key, screen.sort_reverse) == ("card", False)
        titles = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert titles == sorted(titles, key=str.casefold), titles
        assert titles.index("Choosing a loss") < titles.index("CVXPY basics") and titles[0] == "adam"
        await pilot.press("O")
        await pilot.pause()
        assert [str(table.get_row_at(i)[1]) for i in range(table.row_count)] == titles[::-1]
        await pilot.press("slash")
        await type_text(pilot, "o")  # in the query, a letter is text
        assert screen.query_one("#browse-query").value == "o" and screen.sort_key == "card"


async def test_the_help_panel_documents_the_query_language_in_both_languages(fixture_pack):
    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        panel = a.screen.query_one("HelpPanel")
        help_md = panel.query_one("Markdown").source
        assert "prop:r<0.8" in help_md and "카드 거르기" in help_md


@pytest.mark.parametrize("width", [120, 126])
async def test_a_suspended_cards_state_is_whole_at_120_columns(fixture_pack, width):
    # From 118 to 130 columns the tags came in and the state was cut to "learning · su…": the state now has its room
    # before the tags do.
    _history()
    with open_store() as store:
        store.set_card_action(PACK_ID, "sigmoid", suspended=1)
    a = app()
    async with a.run_test(size=(width, 30)) as pilot:
        _, table = await _browser(pilot)
        keys = [str(c.key.value) for c in table.ordered_columns]
        state = str(table.get_row_at(0)[keys.index("state")])
        assert state == "learning · suspended", state
        assert table.virtual_size.width <= table.size.width


async def test_text_typed_fast_at_the_table_reaches_the_query_whole(fixture_pack):
    # In a terminal the keys of `pack:m` arrive together: all went to the table before the first moved the focus,
    # and the box got `p` alone (the rest were dropped as keys typed into the box).
    from textual import events

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen, _table = await _browser(pilot)
        for ch in "pack:s":
            a.post_message(events.Key(ch, ch))
        await pilot.pause(0.3)
        assert screen.query_one("#browse-query").value == "pack:s"
        assert type(a.screen).__name__ == "BrowserScreen"  # the `s` typed was text, not "study"


@pytest.mark.parametrize("lang, said", [("en", "suspended"), ("ko", "보류됨")])
async def test_at_80_columns_a_suspended_cards_state_says_suspended_whole(fixture_pack, lang, said):
    # At 80 columns "learning · suspended" was cut to "learning · su…" ("새 카드 · 보…"): what matters is that it is
    # suspended, said whole.
    _history()
    with open_store() as store:
        store.set_card_action(PACK_ID, "sigmoid", suspended=1)
    a = app(lang=lang)
    async with a.run_test(size=(80, 24)) as pilot:
        _, table = await _browser(pilot)
        keys = [str(c.key.value) for c in table.ordered_columns]
        assert str(table.get_row_at(0)[keys.index("state")]) == said


async def test_the_card_under_the_cursor_stays_under_it_back_from_its_page_and_after_a_sort(fixture_pack):
    # Back from a card's page the cursor was on the first row again: Enter then opened another card.
    from .test_study import _add_cards

    _add_cards(fixture_pack, 3)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen, table = await _browser(pilot)
        assert table.row_count == 4
        table.focus()
        await pilot.press("down", "down")
        await pilot.pause()
        picked = screen._selected()
        assert table.cursor_row == 2
        await pilot.press("i")  # the card's page
        await pilot.pause()
        assert a.screen is not screen
        await pilot.press("escape")
        await pilot.pause()
        assert a.screen is screen and table.cursor_row == 2 and screen._selected() == picked
        await pilot.press("O")  # reversed: the card moves, the cursor with it
        await pilot.pause()
        assert screen._selected() == picked and table.cursor_row == 1
        # A query that leaves it out: the first match, not the row it had (often the last match's)
        table.move_cursor(row=3)
        await pilot.pause()
        gone = screen._selected()
        screen.query_one("#browse-query").value = f"-{gone[1]}"
        await pilot.pause()
        assert table.row_count == 3 and table.cursor_row == 0
