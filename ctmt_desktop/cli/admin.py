"""``ctmt`` commands on the installation: backup, restore, catalog, self-test."""

from __future__ import annotations

import argparse
from pathlib import Path

from ctmt_desktop.catalog import install_catalog, load_catalog
from ctmt_desktop.cli.common import (
    EXIT_OK,
    add_command,
    current_actor,
    db_option,
    db_path,
    user_options,
)
from ctmt_desktop.cli.messages import t
from ctmt_desktop.db import open_database


def cmd_backup(args: argparse.Namespace) -> int:
    from ctmt_desktop.backup import create_backup

    path = db_path(args)
    open_database(path, create=False).close()  # refuse a missing or foreign file first
    info = create_backup(path, reason="manual", out=Path(args.out) if args.out else None)
    print(
        t(
            "Backed up {records} records and {files} evidence files to {path}",
            records=info.records,
            files=info.evidence_files,
            path=info.path,
        )
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from ctmt_desktop.backup import restore_backup

    path = db_path(args)
    if path.exists():
        database = open_database(path, create=False)
        try:
            with database.session() as session:
                current_actor(
                    session, args, "restore"
                )  # restoring replaces everyone's work: admins
        finally:
            database.close()
    kept = restore_backup(Path(args.file), path, force=args.force)
    database = open_database(path)  # upgrades an older backup's schema, after a backup
    database.close()
    print(t("Restored {path} from {file}", path=path, file=args.file))
    if kept is not None:
        print(t("The replaced database is kept as {path}", path=kept))
    return EXIT_OK


def cmd_catalog(args: argparse.Namespace) -> int:
    if args.catalog_command == "install":
        certificate = Path(args.ministry_cert) if args.ministry_cert else None
        catalog = install_catalog(Path(args.file), ministry_certificate=certificate)
        print(
            t(
                "Installed catalog version {version}, signed by the ministry",
                version=catalog.version,
            )
        )
        if certificate is not None:
            print(
                t(
                    "The ministry's certificate {path} is remembered for this user",
                    path=certificate,
                )
            )
        return EXIT_OK
    catalog = load_catalog()
    admin = catalog.admin
    current = [u for u in admin if not u.legacy]
    print(
        t(
            "Catalog version {version} ({released}) from {origin}",
            version=catalog.version,
            released=catalog.released,
            origin=catalog.origin,
        )
    )
    print(
        t(
            "Programs: {programs} nodes; vocabularies: {vocabularies}",
            programs=len(catalog.programs),
            vocabularies=len(catalog.vocabularies),
        )
    )
    print(
        t(
            "Administrative units: {provinces} provinces, {communes} communes; legacy: "
            "{legacy} communes",
            provinces=sum(u.level == "province" for u in current),
            communes=sum(u.level == "commune" for u in current),
            legacy=sum(u.level == "commune" for u in admin if u.legacy),
        )
    )
    return EXIT_OK


def cmd_self_test(args: argparse.Namespace) -> int:
    from ctmt_desktop.selftest import run_core_self_test

    return run_core_self_test()


def register(commands: argparse._SubParsersAction) -> None:
    """Add the admin commands to ``commands`` (the subparsers of ``ctmt``)."""
    sub = add_command(
        commands, "backup", cmd_backup, t("back up a database with its evidence files")
    )
    db_option(sub)
    sub.add_argument(
        "--out",
        metavar="FILE",
        help=t("backup file to write (default: a new file in the database's .backups folder)"),
    )
    sub = add_command(
        commands, "restore", cmd_restore, t("replace a database with a verified backup")
    )
    sub.add_argument("file", metavar="FILE", help=t("a backup made by CTMT Desktop"))
    db_option(sub)
    sub.add_argument(
        "--force",
        action="store_true",
        help=t("restore even a backup of another agency or province (refused otherwise)"),
    )
    user_options(sub, t("restoring (an administrator)"))

    sub = add_command(
        commands, "catalog", cmd_catalog, t("show the catalog in use or install a newer one")
    )
    catalog_commands = sub.add_subparsers(dest="catalog_command", metavar="ACTION")
    catalog_commands.add_parser("show", help=t("versions and counts"))
    install = catalog_commands.add_parser(
        "install", help=t("install a newer catalog signed by the ministry (FILE.json.p7m)")
    )
    install.add_argument("file", metavar="FILE")
    install.add_argument(
        "--ministry-cert",
        metavar="FILE.pem",
        help=t("the ministry's certificate (remembered for this user once the catalog installs)"),
    )

    add_command(
        commands,
        "self-test",
        cmd_self_test,
        t(
            "check this installation on a temporary database (the window's part: "
            "ctmt-desktop --self-test); exit 0 when every step passed"
        ),
    )
