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


async def _until(pilot, condition, seconds: float = 10.0) -> float:
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
        lock = _LockHolder()
        await lock.start(pilot)
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("3")
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
    import threading

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        lock = _LockHolder()
        await lock.start(pilot)
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert screen.saving
        threading.Timer(1.0, lock.release.set).start()  # ends while the screen's last try waits for it
        await pilot.press("escape")
        await settle(pilot)
        assert type(a.screen).__name__ == "LibraryScreen"
    assert [(r.card_id, r.rating) for r in _reviews()] == [("sigmoid", 3)]


async def test_leaving_while_the_database_stays_busy_says_the_rating_was_not_saved(fixture_pack, monkeypatch):
    from studyml.srs import store

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        screen = await _study(pilot)
        lock = _LockHolder()
        await lock.start(pilot)
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert screen.saving
        monkeypatch.setattr(store, "BUSY_WAIT_MS", 300)  # the last try's wait, 10 s in use
        await pilot.press("escape")
        await pilot.pause()
        lock.release.set()
        assert any("The last card's rating was not saved; rate that card again." in n for n in _notes(a)), _notes(a)
        assert any("stayed locked by another write" in n for n in _notes(a)), _notes(a)
    assert _reviews() == []


async def test_quiz_answers_while_another_write_holds_the_database_are_saved_after_and_the_quiz_goes_on(fixture_pack):
    # Each answer's record was written with the UI frozen for up to 10 s, then lost with "locked by another write".
    import time

    from studyml.tui.screens.quiz import QuizScreen
    from tests.tui.quizkeys import answer

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        pack = a.services.pack(PACK_ID)
        items = [i for i in pack.items if i.kind in ("choice", "numeric")][:2]
        assert len(items) == 2
        await a.push_screen(QuizScreen(PACK_ID, items))
        await pilot.pause()
        lock = _LockHolder()
        await lock.start(pilot)
        started = time.monotonic()
        await answer(pilot, items[0], right=True)
        await pilot.pause()
        await pilot.press("enter")  # next: the first answer is recorded
        await pilot.pause()
        await answer(pilot, items[1], right=False)
        await pilot.pause()
        assert time.monotonic() - started < 4  # each record froze the screen for 10 s
        assert any("your answers are saved as soon as it ends" in n for n in _notes(a)), _notes(a)
        with Store() as store:
            assert store.quiz_attempts() == []
        lock.release.set()
        await _until(pilot, lambda: any(n == "Your answers are saved." for n in _notes(a)))
        await pilot.press("escape")  # leaving records the last answer
        await settle(pilot)
    with Store() as store:
        assert [(q["item_id"], bool(q["correct"])) for q in store.quiz_attempts()] == [
            (items[0].id, True),
            (items[1].id, False),
        ]
    assert not any("not saved" in n for n in _notes(a)), _notes(a)


async def test_quiz_answers_the_database_never_took_are_said_not_saved(fixture_pack, monkeypatch):
    from studyml.srs import store as store_module
    from studyml.tui import write_retry
    from studyml.tui.screens.quiz import QuizScreen
    from tests.tui.quizkeys import answer

    monkeypatch.setattr(write_retry, "GIVE_UP_S", 0.5)
    monkeypatch.setattr(store_module, "BUSY_WAIT_MS", 200)  # the last try's wait on leaving, 10 s in use
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        item = next(i for i in a.services.pack(PACK_ID).items if i.kind == "choice")
        await a.push_screen(QuizScreen(PACK_ID, [item, item]))
        await pilot.pause()
        lock = _LockHolder()
        await lock.start(pilot)
        await answer(pilot, item, right=True)
        await pilot.pause()
        await pilot.press("enter")
        await _until(pilot, lambda: any("An answer was not saved" in n for n in _notes(a)))
        assert a.screen.index == 1  # the quiz went on to the second item
        await answer(pilot, item, right=True)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        lock.release.set()
        said = [n for n in _notes(a) if "An answer was not saved (it stays graded here)." in n]
        assert len(said) == 2 and all("stayed locked by another write" in n for n in said), _notes(a)
    with Store() as store:
        assert store.quiz_attempts() == []


# -- 10: restore while the app is open ----------------------------------------------------------------


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
