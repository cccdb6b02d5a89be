"""Command line: `studyml` opens the app; subcommands manage packs, demos and progress."""

from __future__ import annotations

import argparse
import os
import sys

from studyml import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studyml",
        description="A terminal study app for machine learning. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"studyml {__version__}")
    parser.add_argument("--lang", choices=["en", "ko"], help="language of content and UI (remembered)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Each area owns its subcommands; their modules import nothing heavy at registration.
    from studyml.content import commands as content_commands
    from studyml.demos import commands as demo_commands
    from studyml.srs import commands as srs_commands

    content_commands.register(sub)
    demo_commands.register(sub)
    srs_commands.register(sub)
    from studyml import quizcli

    quizcli.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from studyml.tui.app import run_app

        return run_app(lang=args.lang) or 0
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug of ours: say so in one line unless asked for the traceback
        if os.environ.get("STUDYML_DEBUG"):
            raise
        print(f"studyml: internal error: {type(e).__name__}: {e} (set STUDYML_DEBUG=1 for the traceback)", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
