"""The app with a broken, read-only, full, damaged, shared or restored progress database: it stays up and says so."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from studyml import paths
from studyml.srs.backup import backup, restore
from studyml.srs.scheduler import Scheduler
from studyml.srs.store import Store
from tests.tui.helpers import PACK_ID, SIZE, app, loaded, settle, text

from . import faults
from .faults import FullOnInsert


def _notes(a) -> list[str]:
    return [n.message for n in a._notifications]


def _recording(a) -> list[str]:
    """Every message the app notifies from now on (a toast expires: on a loaded machine it was gone when looked for)."""
    said: list[str] = []
    notify = a.notify

    def record(message, *args, **kw):
        said.append(str(message))
        return notify(message, *args, **kw)

    a.notify = record
    return said


def _reviews(pack_id: str = PACK_ID) -> list:
    with Store() as store:
        return store.reviews(pack_id=pack_id)


async def _study(pilot):
    await loaded(pilot)
    await pilot.press("s")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "StudyScreen"
    return pilot.app.screen


async def _rate(pilot, screen, rating: int = 3) -> None:
    await pilot.press("space")
    await pilot.pause()
    await pilot.press(str(rating))
    await settle(pilot)


# -- 5: every screen that needs the store stays up and says what is wrong ----------------------------


@pytest.mark.parametrize("kind", sorted(faults.UNOPENABLE))
async def test_unopenable_database_study_quiz_and_stats_stay_up(fixture_pack, kind):
    faults.UNOPENABLE[kind](paths.db_path())
    before = hashlib.sha256(paths.db_path().read_bytes()).hexdigest()
    expected = faults.UNOPENABLE_SAYS[kind]

    from studyml.tui.screens.quiz import QuizScreen
    from tests.tui.quizkeys import answer

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        message = text(screen.query_one("#study-message"))
        assert expected in message, message
        assert screen.mode == "error"
        await pilot.press("escape")
        await pilot.pause()
        # quiz: the answer is graded and the learner is told it could not be saved
        pack = a.services.pack(PACK_ID)
        item = next(i for i in pack.items if i.kind == "choice")
        await a.push_screen(QuizScreen(PACK_ID, [item]))
        await pilot.pause()
        await answer(pilot, item, right=True)
        await settle(pilot)
        assert any(expected in n for n in _notes(a)), _notes(a)
        assert "✓" in text(a.screen.query_one("#quiz-verdict"))
        await pilot.press("escape")
        await pilot.pause()
        # stats: the reason instead of the charts
        a.pop_screen() if type(a.screen).__name__ != "LibraryScreen" else None
        await pilot.pause()
        await pilot.press("i")
        await settle(pilot)
        assert type(a.screen).__name__ == "StatsScreen"
        assert expected in text(a.screen.query_one("#stats-empty"))
        assert a.is_running
    assert hashlib.sha256(paths.db_path().read_bytes()).hexdigest() == before


# -- 6, 7, 8: a rating that could not be written is not acknowledged ------------------------------------


def _assert_not_acknowledged(screen, fragment: str) -> None:
    assert screen.history == [] and screen.current == "sigmoid"
    assert "0 reviewed" in text(screen.query_one("#study-status"))
    message = text(screen.query_one("#study-message"))
    assert fragment in message, message
    assert any(fragment in n for n in _notes(screen.app))


async def test_read_only_database_first_rating_is_refused_and_said(fixture_pack, monkeypatch):
    with Store():
        pass
    db = paths.db_path()
    real_access = os.access
    # Only this patch is undone before the check below: monkeypatch.undo() also undid the test's STUDYML_HOME,
    # and the check then opened the real data dir of whoever ran the tests.
    with monkeypatch.context() as m:
        m.setattr(
            os,
            "access",
            lambda p, mode, **kw: False if Path(p) == db and mode & os.W_OK else real_access(p, mode, **kw),
        )
        a = app()
        async with a.run_test(size=SIZE) as pilot:
            screen = await _study(pilot)
            await _rate(pilot, screen)
            _assert_not_acknowledged(screen, "read-only")
            message = text(screen.query_one("#study-message"))
            assert str(db) in message and "corrupt" not in message and "aside" not in message
            assert a.is_running
    assert _reviews() == []


async def test_disk_full_rating_is_not_acknowledged_and_said(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        store = a.services.srs.store
        store._conn = FullOnInsert(store._conn)
        await _rate(pilot, screen)
        _assert_not_acknowledged(screen, "is full")
        store._conn = store._conn._conn  # space freed: the same card can be rated again
        await pilot.press("3")
        await settle(pilot)
        assert screen.history == [("sigmoid", 3)]  # (card, rating)
    assert [r.rating for r in _reviews()] == [3]


async def test_damaged_database_is_never_written_and_the_learner_is_told_to_restore(fixture_pack):
    faults.seeded_db(paths.db_path())
    with Store() as s:
        backup(s)
    faults.random_middle(paths.db_path())
    before = hashlib.sha256(paths.db_path().read_bytes()).hexdigest()

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = a.screen
        if screen.mode != "error":  # the queue could be read: the first write finds the damage
            await _rate(pilot, screen)
            assert screen.history == []
        message = text(screen.query_one("#study-message"))
        assert "corrupt" in message and "studyml srs restore" in message, message
        assert a.is_running
    assert hashlib.sha256(paths.db_path().read_bytes()).hexdigest() == before


# -- 9: the other window's reviews are seen before the next card --------------------------------------


def _add_second_card(folder: Path) -> None:
    (folder / "cards" / "loss.yaml").write_text(
        "- id: mse\n  title: {en: Mean squared error, ko: 평균 제곱 오차}\n"
        "  front: {en: What is MSE?, ko: MSE란?}\n  back: {en: The mean of squared errors., ko: 오차 제곱의 평균.}\n"
        "  tags: [loss]\n",
        encoding="utf-8",
    )


async def test_a_card_rated_in_another_window_is_not_shown_again(fixture_pack):
    _add_second_card(fixture_pack)

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        assert screen.current == "sigmoid" and screen.queue == ["mse"]
        with Store() as other:  # the second window rates the next card Easy (due in days)
            Scheduler(other).review(PACK_ID, "mse", 4)
        await _rate(pilot, screen, 4)  # Easy: sigmoid leaves the learning steps, so nothing else is due here
        assert screen.current is None and screen.mode == "done"
    assert sorted(r.card_id for r in _reviews()) == ["mse", "sigmoid"]


async def test_undo_takes_back_this_windows_rating_never_a_later_one_from_another_window(fixture_pack):
    # Window A rated a card Again; a minute later window B rated it Easy; `u` in A deleted B's Easy (the card's
    # latest review), and a sync then deleted it on every device.
    from datetime import timedelta

    from studyml.srs.scheduler import from_ms

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        await _rate(pilot, screen, 1)  # Again: sigmoid comes back in a minute
        mine = _reviews()[0]
        with Store() as other:  # the other window, a minute later
            Scheduler(other).review(PACK_ID, "sigmoid", 4, now=from_ms(mine.time_ms) + timedelta(minutes=1))
        await pilot.press("u")
        await settle(pilot)
        assert any("Not undone: the card was rated again after your rating" in n for n in _notes(a)), _notes(a)
        assert not screen.undoable  # nothing more to take back here
    assert [(r.card_id, r.rating) for r in _reviews()] == [("sigmoid", 1), ("sigmoid", 4)]
    with Store() as store:
        assert store.conn.execute("SELECT count(*) FROM undone_reviews").fetchone()[0] == 0


async def test_undo_takes_back_this_windows_own_rating(fixture_pack):
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        await _rate(pilot, screen, 3)
        await pilot.press("u")
        await settle(pilot)
        assert screen.current == "sigmoid" and screen.history == []
    assert _reviews() == []


async def test_the_card_on_screen_rated_in_another_window_is_not_rated_again_here(fixture_pack):
    # Two windows showed the same card; the second was rated 1.2 s after the first, and the card went through two
    # learning steps in a second.
    _add_second_card(fixture_pack)

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        assert screen.current == "sigmoid"
        with Store() as other:  # the other window rates the card this one shows
            Scheduler(other).review(PACK_ID, "sigmoid", 3)
        await _rate(pilot, screen, 3)
        assert any("rated elsewhere while it was shown here (another window" in n for n in _notes(a))
        assert screen.history == [] and screen.current == "mse"  # not acknowledged; the next card
        await _rate(pilot, screen, 4)
    assert sorted((r.card_id, r.rating) for r in _reviews()) == [("mse", 4), ("sigmoid", 3)]


class _LockHolder:
    """Another write holding the database (a sync merging many records, another window, a command), in a thread."""

    def __init__(self) -> None:
        import threading

        self.holding, self.release = threading.Event(), threading.Event()

    def hold(self) -> None:
        import sqlite3

        conn = sqlite3.connect(paths.db_path(), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        self.holding.set()
        self.release.wait(60)
        conn.execute("ROLLBACK")
        conn.close()

    async def start(self, pilot, *, as_sync: bool = False):
        """Hold the lock from a thread: this app's own sync worker, or a thread standing for another process."""
        import threading

        if as_sync:
            worker = pilot.app.run_worker(self.hold, thread=True, group="sync")
        else:
            thread = threading.Thread(target=self.hold, daemon=True)
            thread.start()
            worker = None
        for _ in range(200):  # wait for it without blocking the event loop
            if self.holding.is_set():
                break
            await pilot.pause(0.05)
        assert self.holding.is_set()
        return worker


async def _rating_waits(pilot, screen) -> _LockHolder:
    """Another write holds the database, and the card on screen is rated Good: the rating waits for it."""
    lock = _LockHolder()
    await lock.start(pilot)
    await pilot.press("space")
    await pilot.pause()
    await pilot.press("3")
    await pilot.pause()
    assert screen.saving
    return lock


async def _until(pilot, condition, seconds: float = 30.0) -> float:
    import time

    started = time.monotonic()
    while not condition() and time.monotonic() - started < seconds:
        await pilot.pause(0.05)
    assert condition()
    return time.monotonic() - started


@pytest.mark.parametrize("holder", ["this app's sync", "another studyml"])
async def test_a_rating_while_another_write_holds_the_database_is_saved_when_it_ends_and_nothing_freezes(
    fixture_pack, holder
):
    # The app's start sync merged 250,000 records with the write lock held: the rating froze the screen for 10 s and
    # then failed. Then only this app's sync was handled, by refusing the rating; another window's or command's long
    # write still froze the screen for 10 s. Now the screen says the rating is being saved, and saves it after.
    import time

    _add_second_card(fixture_pack)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        lock = _LockHolder()
        worker = await lock.start(pilot, as_sync=holder == "this app's sync")
        await pilot.press("space")
        await pilot.pause()
        started = time.monotonic()
        await pilot.press("3")  # not _rate: its settle waits for the sync worker to end
        await pilot.pause()
        assert time.monotonic() - started < 2  # it froze for 10 s
        assert "Saving this rating" in text(screen.query_one("#study-message"))
        assert screen.current == "sigmoid" and screen.history == []
        # The screen answers meanwhile: a redraw and a key go through in well under a second each.
        started = time.monotonic()
        await pilot.press("4")  # a second rating is not taken while the first waits
        await pilot.pause()
        await pilot.press("i")  # the card's info opens over the study screen
        await pilot.pause()
        assert type(a.screen).__name__ == "CardInfoScreen" and time.monotonic() - started < 2
        await pilot.press("escape")
        await pilot.pause(0.5)
        assert _reviews() == []
        await pilot.press("L")  # the message follows the language, as everything on screen does
        await pilot.pause()
        assert "이 평가를 저장하는 중입니다" in text(screen.query_one("#study-message"))
        await pilot.press("L")
        await pilot.pause()
        lock.release.set()
        if worker is not None:
            await worker.wait()
        await _until(pilot, lambda: screen.history == [("sigmoid", 3)])
        assert screen.current == "mse" and text(screen.query_one("#study-message")) == ""
        await _rate(pilot, screen, 4)
    assert [(r.card_id, r.rating) for r in _reviews()] == [("sigmoid", 3), ("mse", 4)]


async def test_a_database_busy_past_the_limit_says_the_rating_was_not_saved_and_the_card_stays(
    fixture_pack, monkeypatch
):
    from studyml.tui import write_retry

    monkeypatch.setattr(write_retry, "GIVE_UP_S", 1.0)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        lock = await _rating_waits(pilot, screen)
        await _until(pilot, lambda: any("stayed locked by another write" in n for n in _notes(a)))
        assert not screen.saving
        assert screen.current == "sigmoid" and screen.history == []  # the card stays, to be rated again
        lock.release.set()
        await pilot.pause(0.2)
        await pilot.press("3")
        await settle(pilot)
        assert screen.history == [("sigmoid", 3)]
    assert [(r.card_id, r.rating) for r in _reviews()] == [("sigmoid", 3)]


async def test_leaving_the_study_screen_while_a_rating_waits_saves_it_when_the_other_write_ends(fixture_pack):
    # A last try on leaving froze the screen for up to 10 s: the app keeps trying instead, and the learner goes on.
    import time

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        lock = await _rating_waits(pilot, screen)
        started = time.monotonic()
        await pilot.press("escape")
        await pilot.pause()
        assert type(a.screen).__name__ == "LibraryScreen" and time.monotonic() - started < 2
        assert _reviews() == [] and len(a.outbox.waiting) == 1
        lock.release.set()
        await _until(pilot, lambda: not a.outbox.waiting)
        assert [(r.card_id, r.rating) for r in _reviews()] == [("sigmoid", 3)]
    assert not any("not saved" in n for n in _notes(a)), _notes(a)


async def test_a_rating_left_waiting_that_the_database_never_takes_is_said_not_saved(fixture_pack, monkeypatch):
    from studyml.tui import write_retry

    # Long enough that the first try (300 ms) has not given up already on a loaded machine (CI, 4 workers on 2 cores:
    # at 1 s the rating was said not saved before the screen was seen saving it).
    monkeypatch.setattr(write_retry, "GIVE_UP_S", 3.0)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        lock = await _rating_waits(pilot, screen)
        await pilot.press("escape")
        await _until(pilot, lambda: any("The last card's rating was not saved" in n for n in _notes(a)))
        assert any("stayed locked by another write" in n for n in _notes(a)), _notes(a)
        assert not a.outbox.waiting
        lock.release.set()
    assert _reviews() == []


async def test_a_rating_that_fails_otherwise_at_exit_is_said_in_the_terminal_not_to_the_gone_app(
    fixture_pack, monkeypatch
):
    # At exit the screens go after the app stops: the outbox's first try of a rating left waiting failed (a full disk)
    # and notified the app, which no longer showed anything, and dropped it: run_app never said it.
    from studyml.srs.store import DiskFullError
    from studyml.tui.screens import study

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        lock = await _rating_waits(pilot, screen)

        def disk_full(*args):
            raise DiskFullError("not saved: the disk holding the progress is full. Free some space and try again")

        monkeypatch.setattr(study, "_write_rating", disk_full)
        a.exit()
    lock.release.set()
    assert len(a.not_saved) == 1 and "the disk holding the progress is full" in a.not_saved[0], a.not_saved


@pytest.mark.parametrize("freed", [True, False])
async def test_a_rating_waiting_at_exit_gets_a_last_try_and_a_failure_is_said(fixture_pack, monkeypatch, freed):
    # At exit the screens go after the app stops reading its messages: a failure notified then was said to no one.
    import threading

    from studyml.srs import store as store_module

    monkeypatch.setattr(store_module, "BUSY_WAIT_MS", 1500)  # the exit's last wait (10 s in use)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        lock = await _rating_waits(pilot, screen)
        if freed:  # the other write ends while the exit waits for it
            threading.Timer(0.8, lock.release.set).start()
        a.exit()
    lock.release.set()
    if freed:
        assert a.not_saved == [] and [(r.card_id, r.rating) for r in _reviews()] == [("sigmoid", 3)]
    else:
        assert len(a.not_saved) == 1 and a.not_saved[0].startswith("The last card's rating was not saved"), a.not_saved
        assert "stayed locked by another write" in a.not_saved[0] and _reviews() == []


def _quiz_rows() -> list[tuple[str, bool]]:
    """The quiz attempts in the order they were written."""
    import sqlite3

    conn = sqlite3.connect(paths.db_path())
    try:
        return [(i, bool(ok)) for i, ok in conn.execute("SELECT item_id, correct FROM quiz_attempts ORDER BY id")]
    finally:
        conn.close()


async def _quiz(pilot, items):
    from studyml.tui.screens.quiz import QuizScreen

    await pilot.app.push_screen(QuizScreen(PACK_ID, items))
    await pilot.pause()
    return pilot.app.screen


async def test_quiz_answers_while_another_write_holds_the_database_are_saved_after_and_the_quiz_goes_on(fixture_pack):
    # Each answer's record was written with the UI frozen for up to 10 s, then lost with "locked by another write".
    import time

    from tests.tui.quizkeys import answer

    with Store() as store:
        store.set_setting("srs", {"quiz_reviews": "all"})  # the first answer reviews the card (a new one)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        said = _recording(a)
        await loaded(pilot)
        items = [i for i in a.services.pack(PACK_ID).items if i.kind in ("choice", "numeric", "text")][:3]
        assert len(items) == 3 and {i.card for i in items} == {"sigmoid"}
        screen = await _quiz(pilot, items)
        lock = _LockHolder()
        await lock.start(pilot)
        started = time.monotonic()
        for k, item in enumerate(items):
            await answer(pilot, item, right=k != 1)
            await pilot.pause()
            await pilot.press("enter")  # next (the last: the summary); the answer is recorded
            await pilot.pause()
        assert time.monotonic() - started < 20  # each of the three records froze the screen for 10 s
        assert screen.phase == "summary" and len(screen.unsaved) == 3
        assert any("your answers are saved as soon as it ends" in n for n in said), said
        assert "No card was rescheduled" in screen.query_one("#quiz-summary").source
        assert _quiz_rows() == []
        lock.release.set()
        await _until(pilot, lambda: "Your answers are saved." in said)
        # The summary is drawn again with what the answers did once saved (it said no card was rescheduled).
        assert "These answers rescheduled 1 card" in screen.query_one("#quiz-summary").source
    assert _quiz_rows() == [(items[0].id, True), (items[1].id, False), (items[2].id, True)]  # in the order given
    with Store() as store:
        assert [(r.card_id, r.source) for r in store.reviews(pack_id=PACK_ID)] == [("sigmoid", "quiz")]
    assert not any("not saved" in n for n in said), said


async def test_a_quiz_answer_never_saved_says_so_and_a_later_answer_of_its_card_reviews_it(fixture_pack, monkeypatch):
    # The card counted as reviewed by an answer that was then never saved: every later item of it was recorded as
    # an attempt alone, and the card got no review at all.
    from studyml.tui import write_retry
    from tests.tui.quizkeys import answer

    monkeypatch.setattr(write_retry, "GIVE_UP_S", 0.5)
    with Store() as store:
        store.set_setting("srs", {"quiz_reviews": "all"})
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        items = [i for i in a.services.pack(PACK_ID).items if i.kind in ("choice", "numeric")][:2]
        screen = await _quiz(pilot, items)
        lock = _LockHolder()
        await lock.start(pilot)
        await answer(pilot, items[0], right=True)
        await pilot.pause()
        await pilot.press("enter")
        await _until(pilot, lambda: any("An answer was not saved" in n for n in _notes(a)))
        assert screen.index == 1 and "stayed locked by another write" in _notes(a)[-1]
        lock.release.set()
        await answer(pilot, items[1], right=True)
        await pilot.pause()
        assert screen.pending is not None and not screen.pending.get("not_a_review")  # it reviews the card
        await pilot.press("enter")
        await settle(pilot)
        assert not any(n == "Your answers are saved." for n in _notes(a))  # one was not: never said all were
    assert _quiz_rows() == [(items[1].id, True)]
    with Store() as store:
        assert [(r.card_id, r.source) for r in store.reviews(pack_id=PACK_ID)] == [("sigmoid", "quiz")]


async def test_quiz_answers_left_waiting_are_written_by_the_app_in_order_or_said_not_saved_at_exit(
    fixture_pack, monkeypatch
):
    # Leaving tried each waiting answer once more, freezing the screen up to 10 s for each.
    import time

    from studyml.srs import store as store_module
    from tests.tui.quizkeys import answer

    monkeypatch.setattr(store_module, "BUSY_WAIT_MS", 1000)  # the exit's last wait, in all (10 s in use)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        items = [i for i in a.services.pack(PACK_ID).items if i.kind in ("choice", "numeric", "text")][:3]
        screen = await _quiz(pilot, items)
        lock = _LockHolder()
        await lock.start(pilot)
        for item in items:
            await answer(pilot, item, right=True)
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        assert len(screen.unsaved) == 3
        started = time.monotonic()
        await pilot.press("escape")
        await pilot.pause()
        assert time.monotonic() - started < 2 and len(a.outbox.waiting) == 3
        started = time.monotonic()
        a.exit()
    waited = time.monotonic() - started
    lock.release.set()
    assert waited < 5, waited  # one wait for all three, not one for each
    assert len(a.not_saved) == 3 and all(n.startswith("An answer was not saved") for n in a.not_saved), a.not_saved
    assert _quiz_rows() == []


# -- 10: restore while the app is open ----------------------------------------------------------------


async def test_undo_of_a_rating_a_restore_took_back_says_so(fixture_pack):
    _add_second_card(fixture_pack)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        saved = backup(a.services.srs.store)
        await _rate(pilot, screen, 4)  # sigmoid: Easy, then taken back by the restore
        restore(saved)
        await pilot.press("u")
        await settle(pilot)
        notes = _notes(a)
        assert any("Not undone: that rating is no longer in your progress (a restore" in n for n in notes), notes
        assert not any("rated again after your rating" in n for n in notes), notes  # not the other window's reason
    assert _reviews() == []


async def test_rating_after_a_restore_lands_in_the_restored_database(fixture_pack):
    _add_second_card(fixture_pack)

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        await _rate(pilot, screen, 1)  # sigmoid: Again
        saved = backup(a.services.srs.store)
        await _rate(pilot, screen, 4)  # mse: Easy, then undone by the restore
        aside = restore(saved)
        with Store(aside) as old:
            assert sorted(r.card_id for r in old.reviews()) == ["mse", "sigmoid"]
        await _rate(pilot, screen, 3)  # sigmoid again, into the restored database
    assert [(r.card_id, r.rating) for r in _reviews()] == [("sigmoid", 1), ("sigmoid", 3)]
