"""`studyml`: with no command, opens the app; subcommands manage packs, demos and progress."""

from __future__ import annotations

import argparse
import contextlib
import enum
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import NoReturn

from studyml import __version__
from studyml.paths import DataDirError


class ExitCode(enum.IntEnum):
    """What every command's exit status means (also in `studyml --help` and the README)."""

    OK = 0  # done; every check passed
    CHECK_FAILED = 1  # the command ran, and a check it reports failed (a claim, a pack, a quiz key)
    USAGE = 2  # the command line was wrong: a bad option, an unknown pack or demo id, a missing file
    RUN_ERROR = 3  # it could not run: a demo error or timeout, an unreadable database, an internal error
    INTERRUPTED = 130  # Ctrl-C, or stopped by SIGTERM or SIGHUP


EPILOG = (
    "exit status:\n"
    + "\n".join(
        f"  {c.value:<4} {c.name.lower().replace('_', ' '):<13} {d}"
        for c, d in [
            (ExitCode.OK, "done; every check passed"),
            (ExitCode.CHECK_FAILED, "a check failed (a demo claim, a pack, a quiz answer key)"),
            (ExitCode.USAGE, "wrong command line: bad option, unknown pack or demo id, missing file"),
            (ExitCode.RUN_ERROR, "could not run: demo error or timeout, unreadable database, internal error"),
            (ExitCode.INTERRUPTED, "interrupted (Ctrl-C, SIGTERM or SIGHUP)"),
        ]
    )
    + "\n\nErrors are one line on stderr: `studyml: error: ...` (STUDYML_DEBUG=1 shows the traceback of an internal\n"
    "error). Every command that reports something takes --json and then prints one JSON object on stdout."
)


class CliError(Exception):
    """What a command raises to stop with `studyml: error: <message>` and an exit code; main() prints it."""

    def __init__(self, message: str, code: ExitCode = ExitCode.RUN_ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class Parser(argparse.ArgumentParser):
    """argparse that raises usage errors instead of exiting, so they print like every other error."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see `{self.prog} --help`)", ExitCode.USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="studyml",
        description="A terminal study app for machine learning. With no command, opens the app.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"studyml {__version__}")
    parser.add_argument(
        "--lang",
        choices=["en", "ko"],
        help="language of the app, of `stats`, and of pack and demo text a command prints; a command's own messages "
        "and diagnostics are in English (default: the language last chosen in the app)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    # One module per command group; registering imports nothing heavy (each command imports what it runs).
    from studyml.cli import demo, pack, quiz, srs, sync, transfer, verify

    pack.register(sub)
    demo.register(sub)
    verify.register(sub)
    quiz.register(sub)
    srs.register(sub)
    transfer.register(sub)
    sync.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; the one place where errors become `studyml: error: …` and an exit code."""
    from studyml.cli.common import forget_printed

    forget_printed()  # main runs more than once in a process (tests, the app's palette)
    # A name that is not UTF-8 (a file's, a folder's) printed on a strict UTF-8 terminal raised after the command had
    # done its work (a sync committed, then exit 2): what cannot be encoded is printed as an escape instead.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    # Until the command line parses, whether it asked for JSON is read from the words themselves.
    args: object = argparse.Namespace(json="--json" in (sys.argv[1:] if argv is None else argv))
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            from studyml.tui.app import run_app

            # The app catches SIGTERM and SIGHUP itself while it runs; after, they stop the sync at exit as Ctrl-C
            # does (rolled back, said, exit 130), where they killed the process outright.
            with _stop_on_term_and_hup():
                return run_app(lang=args.lang) or ExitCode.OK
        if args.lang is None:  # the language the learner last chose in the app
            from studyml.prefs import load_prefs

            args.lang = load_prefs().lang
        with _stop_on_term_and_hup():
            return int(args.func(args) or ExitCode.OK)
    except CliError as e:
        return _fail(e.message, e.code, args)
    except DataDirError as e:  # STUDYML_HOME names a file, or the data dir cannot be made: not a bug of ours
        return _fail(str(e), ExitCode.RUN_ERROR, args)
    except KeyboardInterrupt:
        return _fail("interrupted", ExitCode.INTERRUPTED, args)
    except BrokenPipeError:  # `studyml ... | head`: the reader has all it wanted
        _quiet_stdout()
        return ExitCode.OK
    except Exception as e:  # a bug of ours: say so in one line unless asked for the traceback
        if os.environ.get("STUDYML_DEBUG"):
            raise
        return _fail(
            f"internal error: {type(e).__name__}: {e} (set STUDYML_DEBUG=1 for the traceback)",
            ExitCode.RUN_ERROR,
            args,
        )


@contextlib.contextmanager
def _stop_on_term_and_hup() -> Iterator[None]:
    """`kill PID` and a closed terminal stop a command as Ctrl-C does: its cleanup runs (a demo's worker and what
    the plugin started are killed, a transaction rolls back). Python's default for them is to die at once."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signals = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        signals = []
    before = {sig: signal.signal(sig, interrupt) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in before.items():
            if handler is not None:  # None: a handler not set from Python, which cannot be put back from here
                signal.signal(sig, handler)


def _quiet_stdout() -> None:
    """Python flushes stdout at exit; into a closed pipe that prints "Exception ignored … BrokenPipeError"."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _fail(message: str, code: ExitCode, args: object = None) -> int:
    print(f"studyml: error: {message}", file=sys.stderr)
    # With --json, stdout holds a JSON object whatever happens: a script reads the failure there too.
    from studyml.cli.common import dump, printed_json

    if getattr(args, "json", False) and not printed_json():
        with contextlib.suppress(OSError):  # stdout itself may be what failed (a closed pipe)
            dump({"ok": False, "error": message, "exit_code": int(code)})
    return int(code)
