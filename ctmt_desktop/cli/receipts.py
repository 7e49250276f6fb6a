"""``ctmt receipt import``: the province takes in the ministry's signed receipts.

Every receipt named (a ``.receipt.json`` with its ``.p7s`` beside it, or a folder of them) is
checked against the ministry's certificate (``--ministry-cert FILE.pem``, then kept in the
agency profile; else the one kept there) and bound to a package this database made; all or
nothing: one refused, nothing changes (exit 1, one line naming the file and the problem).
See :mod:`ctmt_desktop.services.receipts`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ctmt_desktop.cli.common import (
    EXIT_OK,
    EXIT_REJECTED,
    UsageError,
    add_command,
    current_actor,
    db_option,
    open_db,
    user_options,
)
from ctmt_desktop.cli.messages import t


def cmd_receipt_import(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.receipts import ReceiptRefused, import_receipts

    for source in args.files:
        if not Path(source).exists():
            raise UsageError(t("{path}: no such file or folder", path=source))
    database = open_db(args)
    try:
        with database.session() as session:
            actor = current_actor(session, args)
            try:
                result = import_receipts(
                    session,
                    args.files,
                    actor=actor,
                    user=args.user,
                    ministry_certificate_file=args.ministry_cert,
                )
            except ReceiptRefused as refused:
                session.rollback()
                # The service's reason is in English: the whole line stays English.
                print(f"refused: {refused}; nothing was imported", file=sys.stderr)
                return EXIT_REJECTED
    finally:
        database.close()
    if result.certificate_kept:
        print(
            t(
                "The ministry's certificate {path} is kept in the agency profile",
                path=args.ministry_cert,
            )
        )
    for item in result.receipts:
        print(item.line())
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``ctmt receipt ACTION`` to ``commands`` (the subparsers of ``ctmt``)."""
    group = commands.add_parser(
        "receipt",
        help=t("the ministry's signed receipts of this database's packages"),
        description=t("The ministry's signed receipts of this database's packages."),
    )
    actions = group.add_subparsers(dest="receipt_action", required=True, metavar="ACTION")
    sub = add_command(
        actions,
        "import",
        cmd_receipt_import,
        t(
            "verify and take in receipts (NAME.receipt.json with its .p7s, or folders of them): "
            "all or nothing; exit 1 naming a forged, foreign or mismatched receipt"
        ),
    )
    sub.add_argument("files", nargs="+", metavar="FILE")
    db_option(sub)
    sub.add_argument(
        "--ministry-cert",
        metavar="FILE.pem",
        help=t("the ministry's certificate (kept in the agency profile once the import succeeds)"),
    )
    user_options(sub, t("importing"))
