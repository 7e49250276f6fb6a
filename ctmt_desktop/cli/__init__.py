"""The ``ctmt`` command line.

Exit codes: 0 success, 1 rejected input (one line per problem on stderr), 2 usage error.
Every subcommand that touches data takes ``--db PATH`` (default: the user's database).

The commands live in one module per group, each with a ``register(commands)`` function that
adds its subcommands to the ``commands`` subparsers action (``common.add_command`` sets the
handler ``main`` calls):

- ``records``: init, demo, list, add, show, delete, schema
- ``reports``: report, export-xlsx, import-xlsx, template
- ``package``: identity, approve, reopen, package, verify
- ``admin``: backup, restore, catalog, self-test
- ``ministry``: ``ctmt ministry ACTION``, the ministry's national store

``common`` holds what they share (exit codes, ``UsageError``, output helpers, database access,
``--user`` login, option sets and argument types).

Adding a group (e.g. ``ctmt ministry ACTION``): write ``ctmt_desktop/cli/ministry.py`` with a
``register(commands)`` function, import it below and append it to ``GROUPS``; ``ctmt --help``
lists the commands in the order of ``GROUPS``. Keep heavy imports inside the command
functions (start-up stays fast) and never import PySide6 (tests/test_core_boundary.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence

from ctmt_desktop import __version__
from ctmt_desktop.catalog import CatalogError
from ctmt_desktop.cli import admin, ministry, package, receipts, records, reports
from ctmt_desktop.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, UsageError
from ctmt_desktop.errors import CtmtError, ValidationError
from ctmt_desktop.periods import PeriodError

__all__ = ["EXIT_OK", "EXIT_REJECTED", "EXIT_USAGE", "GROUPS", "UsageError", "build_parser", "main"]

# The command groups, in the order ``ctmt --help`` lists their commands. A new group is one
# more module here (and its import above).
GROUPS = (records, reports, package, receipts, admin, ministry)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctmt",
        description="CTMT Desktop: records of the information-and-communications part of the "
        "National Target Programs.",
    )
    parser.add_argument("--version", action="version", version=f"ctmt {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(commands)
    for sub in _subparsers(parser):
        # A UsageError raised by a command prints the usage of that (sub)command.
        sub.set_defaults(usage_parser=sub)
    return parser


def _subparsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every subcommand parser under ``parser``, at any depth (``identity create``…)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases once
                yield sub
                yield from _subparsers(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ctmt``; return the exit code (also used as the console script)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args.handler(args))
        sys.stdout.flush()  # a reader gone (``| head``) is found here, not at exit
        return code
    except BrokenPipeError:
        # The reader went away (``ctmt list … | head``): stop quietly, as Unix tools do.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_OK
    except UsageError as error:
        command = getattr(args, "usage_parser", parser)
        command.print_usage(sys.stderr)
        print(f"{command.prog}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as error:
        for problem in error.problems:
            # A likely duplicate is refused like any other problem; the hint says how to
            # add it all the same.
            hint = "; refused: use --allow-duplicate to add it anyway" if problem.warning else ""
            print(f"{problem}{hint}", file=sys.stderr)
        return EXIT_REJECTED
    except PeriodError as error:
        print(f"period: {error}", file=sys.stderr)
        return EXIT_REJECTED
    except (CtmtError, CatalogError, KeyError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"ctmt: {message}", file=sys.stderr)
        return EXIT_REJECTED
