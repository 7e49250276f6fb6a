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

Messages follow the interface language (``--lang vi|en``, else the window's saved language,
else Vietnamese): every printed line goes through ``messages.t`` (the catalog, English source
strings with their Vietnamese), argparse through ``parser.Parser`` and the core's errors
through ``problems.error_lines``; see :mod:`ctmt_desktop.cli.messages`.

Adding a group (e.g. ``ctmt ministry ACTION``): write ``ctmt_desktop/cli/ministry.py`` with a
``register(commands)`` function, import it below and append it to ``GROUPS``; ``ctmt --help``
lists the commands in the order of ``GROUPS``. Keep heavy imports inside the command
functions (start-up stays fast) and never import PySide6 (tests/test_core_boundary.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ctmt_desktop import __version__
from ctmt_desktop.catalog import CatalogError
from ctmt_desktop.cli import admin, ministry, package, receipts, records, reports
from ctmt_desktop.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, UsageError
from ctmt_desktop.cli.messages import LANGUAGES, choose_language, set_language, t
from ctmt_desktop.cli.parser import Parser, subparsers
from ctmt_desktop.cli.problems import error_lines
from ctmt_desktop.collector import skip_collections_at_exit
from ctmt_desktop.errors import CtmtError
from ctmt_desktop.periods import PeriodError

__all__ = ["EXIT_OK", "EXIT_REJECTED", "EXIT_USAGE", "GROUPS", "UsageError", "build_parser", "main"]

# The command groups, in the order ``ctmt --help`` lists their commands. A new group is one
# more module here (and its import above).
GROUPS = (records, reports, package, receipts, admin, ministry)


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``ctmt``, its texts in the language set (:func:`set_language`)."""
    parser = Parser(
        prog="ctmt",
        description=t(
            "CTMT Desktop: records of the information-and-communications part of the "
            "National Target Programs."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"ctmt {__version__}",
        help=t("show the version and exit"),
    )
    _language_option(parser, argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(commands)
    for sub in subparsers(parser):
        # A UsageError raised by a command prints the usage of that (sub)command.
        sub.set_defaults(usage_parser=sub)
        _language_option(sub, argparse.SUPPRESS)  # ``--lang`` after the command too
    return parser


def _language_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=default,
        help=t("the language of the messages (default: the window's choice, else vi)"),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ctmt``; return the exit code (also used as the console script)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    skip_collections_at_exit()  # a quarter of a second at the end of a package (issue 15)
    set_language(choose_language(arguments))
    parser = build_parser()
    args, extras = parser.parse_known_args(arguments)
    if extras:  # named by the (sub)command they were given to, with its usage
        command = getattr(args, "usage_parser", parser)
        command.error(t("unrecognized arguments: {names}", names=" ".join(extras)))
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
        print(t("{prog}: error: {message}", prog=command.prog, message=error), file=sys.stderr)
        return EXIT_USAGE
    except (CtmtError, CatalogError, PeriodError, KeyError) as error:
        # One line per problem (a ValidationError), else one line; a likely duplicate is
        # refused like any other problem, its line saying how to add it all the same.
        for line in error_lines(error):
            print(line, file=sys.stderr)
        return EXIT_REJECTED
