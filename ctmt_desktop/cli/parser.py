"""argparse in the interface language: the parser class of ``ctmt`` and of every subcommand.

argparse writes its own words (``usage:``, ``options``, "the following arguments are
required") in English through gettext, for which no Vietnamese catalog exists. The parser
here sets its section titles and the ``-h`` help through :func:`~ctmt_desktop.cli.messages.t`,
prefixes the usage with ``t("usage: ")`` and translates argparse's error messages by their
English wording (:func:`argparse_message`); an unknown wording is kept whole, in English.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any, NoReturn

from ctmt_desktop.cli.messages import current_language, t

#: argparse's error messages (Python 3.11 to 3.13), each with its source text in the catalog.
_ARGPARSE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), source)
    for pattern, source in (
        (
            r"the following arguments are required: (?P<names>.+)",
            "the following arguments are required: {names}",
        ),
        (r"unrecognized arguments: (?P<names>.+)", "unrecognized arguments: {names}"),
        (
            r"argument (?P<name>\S+): invalid choice: (?P<value>.+?) \(choose from "
            r"(?P<choices>.+)\)",
            "argument {name}: invalid choice: {value} (choose from {choices})",
        ),
        (
            r"argument (?P<name>\S+): expected one argument",
            "argument {name}: expected one argument",
        ),
        (
            r"argument (?P<name>\S+): expected at least one argument",
            "argument {name}: expected at least one argument",
        ),
        (
            r"argument (?P<name>\S+): invalid (?P<type>\S+) value: (?P<value>.+)",
            "argument {name}: invalid {type} value: {value}",
        ),
        (
            r"argument (?P<name>\S+): not allowed with argument (?P<other>\S+)",
            "argument {name}: not allowed with argument {other}",
        ),
        (
            r"argument (?P<name>\S+): ignored explicit argument (?P<value>.+)",
            "argument {name}: ignored explicit argument {value}",
        ),
        (
            r"one of the arguments (?P<names>.+) is required",
            "one of the arguments {names} is required",
        ),
        (
            r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)",
            "ambiguous option: {option} could match {matches}",
        ),
        # Last: the message of an argument type of ours, already in the language.
        (r"argument (?P<name>\S+): (?P<message>.+)", "argument {name}: {message}"),
    )
)


def argparse_message(message: str) -> str:
    """One of argparse's error messages in the interface language."""
    if current_language() == "en":
        return message
    for pattern, source in _ARGPARSE_ERRORS:
        match = pattern.fullmatch(message)
        if match is not None:
            return t(source, **match.groupdict())
    return message


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with the usage prefix in the interface language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, t("usage: ") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """The parser of ``ctmt`` and of its subcommands (``add_subparsers`` makes more of this
    class): titles, help and errors in the interface language; an error prints the usage of
    the (sub)command it concerns and exits with 2."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = t("positional arguments")
        self._optionals.title = t("options")
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=t("show this help message and exit"),
            )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        text = t("{prog}: error: {message}", prog=self.prog, message=argparse_message(message))
        self.exit(2, text + "\n")


def subparsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every subcommand parser under ``parser``, at any depth (``identity create``…)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases once
                yield sub
                yield from subparsers(sub)
