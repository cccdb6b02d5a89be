"""The app syncs with the remembered folder at start (in a thread, after the first frame) and at exit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyml.srs.scheduler import Scheduler
from studyml.srs.store import Store, open_store
from studyml.srs.sync import sync

from .helpers import PACK_ID, SIZE, app, enter_option, settle


def other_device_synced(tmp_path) -> Path:
    """A shared folder where another machine that studied the fixture's card has synced."""
    shared = tmp_path / "shared"
    shared.mkdir()
    other = Store(tmp_path / "other.sqlite3")
    Scheduler(other).review(PACK_ID, "sigmoid", 3, now=datetime(2026, 3, 1, tzinfo=UTC))
    sync(other, shared)
    other.close()
    return shared


async def test_start_merges_another_devices_reviews_and_exit_sends_ours(fixture_pack, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    other = Store(tmp_path / "other.sqlite3")  # another machine studied the card and synced
    Scheduler(other).review(PACK_ID, "sigmoid", 3, now=datetime(2026, 3, 1, tzinfo=UTC))
    sync(other, shared)
    with open_store() as store:
        store.set_setting("sync_dir", str(shared))

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with open_store() as store:
            assert store.get(PACK_ID, "sigmoid") is not None, "the other device's review was not merged"
        Scheduler(a.services.srs.store).review(PACK_ID, "sigmoid", 4)  # a rating made in the app
    # At exit the app sent its rating: the other machine receives it.
    assert sync(other, shared).received == 1
    assert len(other.reviews()) == 2
    other.close()


async def test_a_broken_sync_folder_never_stops_the_app(fixture_pack, tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with open_store() as store:
        store.set_setting("sync_dir", str(not_a_folder))

    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pilot.app.screen.__class__.__name__ == "LibraryScreen"


async def test_the_sync_toast_speaks_the_learners_language(fixture_pack, tmp_path):
    """It was English whatever the language ("synced: sent 0, received 1")."""
    shared = other_device_synced(tmp_path)
    with open_store() as store:
        store.set_setting("sync_dir", str(shared))

    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [n.message for n in a._notifications] == ["동기화했습니다: 0건 보냄, 1건 받음"]


async def test_a_failed_sync_is_said_in_the_learners_language(fixture_pack, tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with open_store() as store:
        store.set_setting("sync_dir", str(not_a_folder))

    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = [n.message for n in a._notifications]
        assert len(notes) == 1 and notes[0].startswith("동기화하지 못했습니다: ") and str(not_a_folder) in notes[0]


async def test_a_failed_syncs_toast_shows_the_folder_as_written(fixture_pack, tmp_path):
    """The toast quotes the folder; `[b]` in its name was read as a style and vanished."""
    not_a_folder = tmp_path / "[b]file"
    not_a_folder.write_text("x")
    with open_store() as store:
        store.set_setting("sync_dir", str(not_a_folder))

    a = app()
    async with a.run_test(size=SIZE, notifications=True) as pilot:  # toasts drawn, as in the app
        await settle(pilot)
        await pilot.pause(0.2)
        toasts = list(a.screen.query("Toast"))
        assert toasts
        shown = " ".join(line.text for toast in toasts for line in toast.render_lines(toast.region.reset_offset))
        assert "[b]file" in shown, shown


async def test_the_sync_folder_is_set_in_the_study_options_and_syncs_at_once(fixture_pack, tmp_path):
    # Issue 15 asks for a folder set once in the app's options; only `studyml sync DIR --remember` could set it.
    from textual.widgets import Input, Static

    shared = other_device_synced(tmp_path)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        status = a.screen.query_one("#options-status", Static)
        # a folder that is not there is refused, not made
        field = await enter_option(pilot, "options-sync", str(tmp_path / "typo"))
        assert "does not exist" in str(status.render()) and not (tmp_path / "typo").exists()
        field.value = str(shared)
        await pilot.press("enter")
        await settle(pilot)
        [note] = list(a._notifications)  # sent: the study settings just saved, which travel
        assert note.message.startswith("Synced: sent ") and note.message.endswith(", received 1"), note.message
    with open_store() as store:
        assert store.get_setting("sync_dir") == str(shared.resolve())
        assert len(store.conn.execute("SELECT * FROM reviews").fetchall()) == 1
    async with app().run_test(size=SIZE) as pilot:  # emptied: forgotten
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert pilot.app.screen.query_one("#options-sync", Input).value == str(shared.resolve())
        await enter_option(pilot, "options-sync", "")
    with open_store() as store:
        assert store.get_setting("sync_dir") is None


async def test_a_missing_sync_folder_is_said_as_a_warning_and_not_made(fixture_pack, tmp_path):
    # A drive not mounted: the folder was made on the local disk, took this device's file, and the toast said
    # "Synced" for 4 s.
    gone = tmp_path / "drive" / "studyml"
    with open_store() as store:
        store.set_setting("sync_dir", str(gone))
    a = app(lang="ko")
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        [note] = list(a._notifications)
        assert note.severity == "warning" and note.timeout >= 30
        assert note.message.startswith("동기화하지 못했습니다: 동기화 폴더가 없습니다") and str(gone) in note.message
    assert not (tmp_path / "drive").exists()
    assert a.exit_note is not None and a.exit_note[1]  # said again in the terminal after the app is gone


async def test_a_skipped_record_is_said_with_its_file_and_line(fixture_pack, tmp_path):
    shared = other_device_synced(tmp_path)
    [file] = shared.glob("*.jsonl")
    file.write_text(file.read_text().replace('"rating":3', '"rating":7'))
    with open_store() as store:
        store.set_setting("sync_dir", str(shared))
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        [note] = list(a._notifications)
        assert note.severity == "warning"
        assert f"1 bad record skipped (first: {file.name}:1: rating:" in note.message
        # How to repair it; and the file was read, not counted as a file not read (it said "1 file not read").
        assert "To repair a file with damaged lines: delete it from the sync folder" in note.message
        assert "not read" not in note.message


async def test_the_sync_folder_field_never_crashes_the_app_and_a_missing_one_does_not_block_the_others(
    fixture_pack, tmp_path
):
    # A name too long (or a folder that may not be entered, a dead network mount) raised out of Save and the app
    # quit with a traceback; a remembered folder on a drive not mounted stopped every other option from saving.
    from textual.widgets import Input, Static

    gone = tmp_path / "drive"
    gone.mkdir()
    with open_store() as store:
        store.set_setting("sync_dir", str(gone))
    gone.rmdir()
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        await enter_option(pilot, "options-new", "7")
        status = a.screen.query_one("#options-status", Static)
        assert str(status.render()) == "Saved.", str(status.render())
        await enter_option(pilot, "options-sync", str(tmp_path / ("x" * 300)))
        assert "File name too long" in str(status.render())
        assert a.is_running
    with open_store() as store:
        assert store.get_setting("sync_dir") == str(gone)  # kept: the drive may come back
    assert Scheduler(open_store()).settings.new_per_day == 7


async def test_an_unknown_users_home_in_the_sync_folder_field_is_said_not_a_crash(fixture_pack):
    from textual.widgets import Input, Static

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        await enter_option(pilot, "options-sync", "~nosuchuser-studyml/Sync")
        assert a.is_running and "~nosuchuser-studyml/Sync" in str(
            a.screen.query_one("#options-status", Static).render()
        )


def test_syncing_is_said_before_the_result_never_after_it_and_a_stopped_sync_says_what_was_kept(capsys):
    import time

    from studyml.tui.app import sync_in_the_terminal

    class Slow:
        def sync(self, lang):
            time.sleep(0.3)
            return ("Sync failed: boom", True)

    class Stopped:
        def sync(self, lang):
            raise KeyboardInterrupt

    for _ in range(20):
        assert sync_in_the_terminal(Slow(), "en", slow_s=0.3) == ("Sync failed: boom", True)
        time.sleep(0.05)  # a late "syncing…" would land here
        assert capsys.readouterr().err.count("\n") <= 1
    with pytest.raises(KeyboardInterrupt):
        sync_in_the_terminal(Stopped(), "en")
    assert "nothing was merged or sent; the next sync sends it all" in capsys.readouterr().err


def _app_sync_says(tmp_path, monkeypatch, lang: str, received: int, code: str) -> tuple[str, Path, bool]:
    """What the app's sync says of a report with one problem of `code`, with a remembered folder (returned too)."""
    import studyml.srs.sync as sync_module
    from studyml.srs.sync import Problem, SyncReport
    from studyml.tui.services import Services

    shared = tmp_path / "shared"
    shared.mkdir()
    with open_store() as store:
        store.set_setting("sync_dir", str(shared))
    report = SyncReport(received=received, problems=[Problem("me.jsonl", 0, "…", code=code)])
    monkeypatch.setattr(sync_module, "sync", lambda store, folder: report)
    message, warn = Services().sync(lang)
    return message, shared, warn


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_another_install_writing_this_devices_file_is_said_not_as_a_file_not_read(
    fixture_pack, tmp_path, lang, monkeypatch
):
    # The warning is about a file that was read: counted among "files not read" (line 0), it said the wrong thing.
    message, _shared, warn = _app_sync_says(tmp_path, monkeypatch, lang, 1, "another_writer")
    assert warn
    if lang == "en":
        assert message == (
            "Synced: sent 0, received 1. Another install uses this device's id (a data folder copied from another "
            "machine?) and writes its sync file too: run `studyml sync DIR --new-device` on one of them"
        )
    else:
        assert "not read" not in message and "읽지 못한" not in message and "--new-device" in message


def test_a_sync_that_could_not_send_says_so_in_the_learners_language(fixture_pack, tmp_path, monkeypatch):
    message, shared, warn = _app_sync_says(tmp_path, monkeypatch, "ko", 2, "not_sent")
    assert warn and message == (
        f"동기화했습니다: 0건 보냄, 2건 받음. 보낸 것은 없습니다: {shared}에 있는 이 기기의 동기화 파일에 여기서 쓸 수 "
        "없습니다(권한, 또는 읽기 전용 공유). 폴더에 쓰기 권한을 주거나 쓸 수 있는 폴더를 고르세요"
    )
