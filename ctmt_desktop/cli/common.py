"""What the ``ctmt`` command groups share: exit codes, the usage error, output helpers,
database access, the login of ``--user`` and the argparse helpers (option sets, argument
types, adding a command).

Only light modules are imported here: heavy ones stay inside the command functions so that
``ctmt --help`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ctmt_desktop.cli.messages import json_reason, os_reason, t
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.errors import CtmtError
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.paths import default_db_path

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """Bad arguments found after argparse (exit 2)."""


# --- output helpers ----------------------------------------------------------------------------
def json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=json_default)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, list):
        return ";".join(cell(v) if not isinstance(v, dict) else v.get("name", "") for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}={cell(v)}" for k, v in value.items())
    return str(value)


def table(rows: list[list[str]], headers: list[str], widths: Sequence[int | None]) -> str:
    def fit(text: str, width: int | None) -> str:
        if width is None or len(text) <= width:
            return text
        return text[: width - 1] + "…"

    cells = [[fit(c, w) for c, w in zip(row, widths, strict=True)] for row in [headers, *rows]]
    sizes = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(sizes[i]) for i, c in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * s for s in sizes))
    return "\n".join(lines)


# --- database access ------------------------------------------------------------------------
def db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_db_path()


def open_db(args: argparse.Namespace) -> Database:
    return open_database(db_path(args), create=False)


@contextmanager
def writing_records(args: argparse.Namespace, permission: str) -> Iterator[tuple[Any, Any]]:
    """A unit of work for a command that writes records, and who acts: (source, actor).

    A database without accounts is written in one plain SQLite transaction
    (:func:`ctmt_desktop.db.writing`: the ORM is never imported) and the actor is None. With
    accounts, ``--user`` logs in (:func:`current_actor`) in an ORM session whose transaction
    the write then shares. Either way the record services are the same code.
    """
    from ctmt_desktop.db import writing
    from ctmt_desktop.services.agency import has_accounts

    with writing(db_path(args)) as connection:
        if not has_accounts(connection):
            yield connection, None
            return
    database = open_db(args)
    try:
        with database.session() as session:
            yield session, current_actor(session, args, permission)
    finally:
        database.close()


def read_json_input(source: str) -> Any:
    """The JSON of the file ``source`` (``-``: standard input), read as UTF-8 with or without
    a byte order mark (Notepad and PowerShell write one)."""
    try:
        if source == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            raw = stdin.read().decode("utf-8-sig") if stdin is not None else sys.stdin.read()
            text = raw.removeprefix("\ufeff")  # a text stream decoded with the BOM kept
        else:
            text = Path(source).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CtmtError(
            t("{source}: cannot read the file ({why})", source=source, why=os_reason(exc))
        ) from exc
    except UnicodeDecodeError as exc:
        raise CtmtError(t("{source}: not UTF-8 text", source=source)) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = t("standard input") if source == "-" else source
        raise CtmtError(
            t(
                "{where}: invalid JSON at line {line}, column {column}: {reason}",
                where=where,
                line=exc.lineno,
                column=exc.colno,
                reason=json_reason(exc.msg),
            )
        ) from exc


def current_actor(session: Any, args: argparse.Namespace, permission: str | None = None) -> Any:
    """Who acts, for databases with accounts: ``--user`` logged in with the password from
    the environment variable ``--password-env`` (default ``CTMT_PASSWORD``).

    Databases without accounts (created before any was made) keep the login name and no
    role checks. Returns the Actor, or None for such databases.
    """
    import os

    from ctmt_desktop.accounts import authenticate, has_accounts, require

    if not has_accounts(session):
        return None
    user = getattr(args, "user", None)
    if not user:
        raise CtmtError(t("--user: this database has accounts; say who you are with --user NAME"))
    variable = getattr(args, "password_env", None) or "CTMT_PASSWORD"
    password = os.environ.get(variable)
    if password is None:
        raise CtmtError(
            t(
                "--user: put the password of '{user}' in the environment variable {variable}",
                user=user,
                variable=variable,
            )
        )
    logged_in = authenticate(session, user, password).actor
    if permission is not None:
        require(logged_in, permission)
    return logged_in


def secret(variable: str | None, what: str) -> str | None:
    """The value of the environment variable ``variable`` (None when no variable is named)."""
    import os

    if not variable:
        return None
    value = os.environ.get(variable)
    if value is None:
        raise CtmtError(
            t(
                "{what}: the environment variable {variable} is not set",
                what=what,
                variable=variable,
            )
        )
    return value


# --- argparse helpers -------------------------------------------------------------------------
def record_kind(text: str) -> str:
    """Argument type: a record kind."""
    if text not in KIND_CODES:
        raise argparse.ArgumentTypeError(
            t("'{text}' is not a kind; use one of {kinds}", text=text, kinds=", ".join(KIND_CODES))
        )
    return text


def positive_int(text: str) -> int:
    """Argument type: a whole number, zero or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("'{text}' is not a whole number", text=text)) from None
    if value < 0:
        raise argparse.ArgumentTypeError(t("'{text}' must not be negative", text=text))
    return value


def db_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--db", metavar="PATH", help=t("database file (default: {path})", path=default_db_path())
    )


def user_options(sub: argparse.ArgumentParser, what: str) -> None:
    """``--user NAME`` and ``--password-env VAR``; ``what`` is the action, translated
    (``t("adding")``)."""
    sub.add_argument(
        "--user",
        metavar="NAME",
        help=t("who is {what}; required when the database has accounts", what=what),
    )
    sub.add_argument(
        "--password-env",
        metavar="VAR",
        default="CTMT_PASSWORD",
        help=t("environment variable holding that user's password (default: CTMT_PASSWORD)"),
    )


def identity_options(sub: argparse.ArgumentParser) -> None:
    """The signing identity: ``--p12 FILE [--passphrase-env VAR]`` or ``--pkcs11-module LIB
    --token-label LABEL [--pin-env VAR]`` (``ctmt package``, the ministry's receipts and
    catalogs)."""
    sub.add_argument("--p12", metavar="FILE", help=t("PKCS#12 signing identity"))
    sub.add_argument("--passphrase-env", metavar="VAR", default="CTMT_PASSPHRASE")
    sub.add_argument("--pkcs11-module", metavar="LIB", help=t("the USB token's PKCS#11 library"))
    sub.add_argument("--token-label", metavar="LABEL")
    sub.add_argument("--pin-env", metavar="VAR", default="CTMT_PIN")


def open_signer(args: argparse.Namespace, stack: Any) -> Any:
    """The pyHanko signer of :func:`identity_options`; a token's session closes with
    ``stack`` (a :class:`contextlib.ExitStack`).

    Raises:
        UsageError: neither or both identities given, or a token without its label.
        IdentityError: a wrong passphrase or PIN, no such file or token.
    """
    from ctmt_desktop.signing.identity import pkcs11_signer, pkcs12_signer

    if bool(args.p12) == bool(args.pkcs11_module):
        raise UsageError(t("give either --p12 FILE or --pkcs11-module LIB --token-label LABEL"))
    if args.pkcs11_module and not args.token_label:
        raise UsageError(t("--pkcs11-module needs --token-label"))
    if args.p12:
        return pkcs12_signer(Path(args.p12), secret(args.passphrase_env, "--passphrase-env"))
    return stack.enter_context(
        pkcs11_signer(args.pkcs11_module, args.token_label, secret(args.pin_env, "--pin-env"))
    )


def add_command(
    commands: argparse._SubParsersAction, name: str, handler: Handler, help_text: str
) -> argparse.ArgumentParser:
    """Add the subcommand ``name`` to ``commands``; ``main`` runs ``handler(args)``."""
    sub = commands.add_parser(name, help=help_text, description=help_text)
    sub.set_defaults(handler=handler)
    return sub
