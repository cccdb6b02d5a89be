"""`studyml sync [DIR]`: merge progress with other devices through a folder you already sync (git, Syncthing, …)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studyml.cli import CliError, ExitCode
from studyml.cli.common import add_json, dump, open_progress, progress_errors
from studyml.lang import count, shown_name


def folder_arg(text: str) -> Path:
    """A folder named on the command line: `""` is not one (Path("") is the current folder, and sync wrote there)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty folder name; give the folder your machines share")
    return Path(text)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help="send this device's progress to a shared folder and merge the other devices'")
    p.add_argument(
        "folder",
        type=folder_arg,
        nargs="?",
        metavar="DIR",
        help="a folder synced between your machines (default: the one remembered with --remember)",
    )
    p.add_argument("--remember", action="store_true", help="remember DIR; the app then syncs at start and exit")
    p.add_argument("--forget", action="store_true", help="forget the remembered folder")
    p.add_argument(
        "--again",
        action="store_true",
        help="read the other devices' files from their start (after a damaged file was repaired)",
    )
    p.add_argument(
        "--new-device",
        action="store_true",
        help="give this data folder a device id of its own first (it was copied from another machine's), then sync: "
        "its whole history goes into a new file",
    )
    add_json(
        p, "print {folder, sent, received, duplicates, cards_updated, undone, devices, read_back, problems, torn, more}"
    )
    p.set_defaults(func=cmd_sync)


@progress_errors
def cmd_sync(args: argparse.Namespace) -> int:
    from studyml.srs.sync import FOLDER_SETTING as SETTING  # the remembered folder
    from studyml.srs.sync import sync

    with open_progress() as store:
        if args.forget and args.remember:
            raise CliError("--remember and --forget ask for opposite things: give one of them", ExitCode.USAGE)
        if args.forget and args.again and args.folder is None:
            raise CliError("--again reads files again in a sync: give DIR too, or drop --again", ExitCode.USAGE)
        if args.forget and args.new_device and args.folder is None:
            raise CliError("--new-device takes effect in a sync: give DIR too, or drop --new-device", ExitCode.USAGE)
        if args.forget:
            store.set_setting(SETTING, None)
            if args.folder is None:
                if args.json:
                    dump({"folder": None})
                else:
                    print("forgot the sync folder; the app no longer syncs")
                return ExitCode.OK
        folder = args.folder or (Path(str(store.get_setting(SETTING))) if store.get_setting(SETTING) else None)
        if folder is None:
            raise CliError("no sync folder: give one (`studyml sync DIR --remember` keeps it)", ExitCode.USAGE)
        try:
            folder = folder.expanduser()  # `studyml sync '~/Sync'`, quoted: the shell left the ~ for us
        except RuntimeError as e:  # ~nosuchuser
            raise CliError(
                f"{shown_name(str(folder))}: {e}; give the folder your machines share", ExitCode.USAGE
            ) from None
        shown = shown_name(str(folder))  # a name that is not UTF-8, or holds a control character, escaped
        if folder.exists() and not folder.is_dir():
            raise CliError(f"{shown} is not a folder", ExitCode.USAGE)
        if args.folder is not None and not folder.exists():  # a typo, or a drive not mounted: never made here
            raise CliError(
                f"no such folder: {shown}; give the folder your machines share (create it first if it is new)",
                ExitCode.USAGE,
            )
        if args.new_device and folder.is_dir():  # a missing folder is said by the sync; the id stays until then
            from studyml.srs.sync import new_device_id

            new_device_id(store)
        report = sync(store, folder, again=args.again)
        if args.remember:
            store.set_setting(SETTING, str(folder.expanduser().resolve()))
    if args.json:
        code = _exit_code(report)
        out = {"folder": shown_name(str(folder.expanduser().resolve())), **report.to_dict()}
        error = _not_sent(report)
        if error:  # the failure contract every command keeps (README): ok, error (also on stderr), exit_code
            print(f"studyml: error: {error}", file=sys.stderr)
            out = {"ok": False, "error": error, "exit_code": int(code), **out}
        dump(out)
        return code
    for problem in report.problems:
        print(
            shown_name(f"{folder / problem.file}")
            + (f":{problem.line}" if problem.line else "")
            + f": {problem.message}"
        )
    if args.lang == "ko":
        print(_summary_ko(shown, report))
        return _exit_code(report)
    torn = (
        f"; {count(len(report.torn), 'file')} still arriving (read up to "
        f"{'its' if len(report.torn) == 1 else 'their'} last whole line)"
        if report.torn
        else ""
    )
    if report.more:  # a file of over 64 MiB: the rest comes with the next syncs
        torn += f"; {count(len(report.more), 'file')} with more to read at the next sync"
    undone = f", {count(report.undone, 'review')} undone on another device removed" if report.undone else ""
    # A restored backup: what this device had sent since, read again from its own file.
    read_back = (
        f"; {count(report.read_back, 'record')} of this device read again from its own file" if report.read_back else ""
    )
    print(
        f"synced with {shown}: sent {report.sent}, received {count(report.received, 'new record')} from "
        f"{count(report.devices, 'other device')}, "
        f"{count(report.cards_updated, 'card')} updated{undone}{read_back}{torn}"
    )
    return _exit_code(report)


def _not_sent(report) -> str | None:
    """Why this device's records were not sent (its own file could not be written), or None."""
    from studyml.srs.sync import NOT_SENT

    return next((p.message for p in report.problems if p.code == NOT_SENT), None)


def _exit_code(report) -> int:
    """A sync that merged what it read but could not send (a folder it cannot write to) is an environment error."""
    return ExitCode.RUN_ERROR if _not_sent(report) else ExitCode.OK


def _summary_ko(folder: str, report) -> str:
    """The summary line in Korean (`studyml --lang ko sync`); the problem lines above it stay as sync writes them."""
    parts = [
        f"동기화했습니다({folder}): {report.sent}건 보냄, 다른 기기 {report.devices}대에서 새 기록 {report.received}건 받음, "
        f"카드 {report.cards_updated}장 갱신"
    ]
    if report.undone:
        parts.append(f"다른 기기에서 되돌린 평가 {report.undone}건 삭제")
    if report.read_back:
        parts.append(f"이 기기의 파일에서 기록 {report.read_back}건을 다시 읽음")
    if report.torn:
        parts.append(f"아직 받는 중인 파일 {len(report.torn)}개(마지막 완전한 줄까지 읽음)")
    if report.more:
        parts.append(f"다음 동기화 때 더 읽을 파일 {len(report.more)}개")
    return "; ".join(parts)
