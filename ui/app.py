"""Start the desktop app: ``python main.py [--db PATH] [--demo] [--lang vi|en] [--self-test]``,
or the ministry's desk: ``python main.py --ministry [--store URL] [--demo]`` (:mod:`ui.ministry`).

Opens the database (the user's own one unless told otherwise), asks for the agency profile and
the first administrator the first time, asks for a login when the database has accounts, and
shows the main window. A database without accounts (the demo one, or one whose first start left
the administrator empty) runs under the computer's login name with no role checks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

import ctmt_desktop
from ctmt_desktop.backup import automatic_backup, restore_backup
from ctmt_desktop.catalog import Catalog, load_catalog
from ctmt_desktop.db import Database, QuickCheck, load_orm, open_database
from ctmt_desktop.errors import DatabaseDamagedError, StorageError
from ctmt_desktop.formatting import format_date, format_number
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.paths import DEMO_DB_FILENAME, app_db_path
from ctmt_desktop.roles import Actor
from ctmt_desktop.services.agency import ProfileData, current_profile_row, has_accounts
from ctmt_desktop.services.listing import count_records
from ui import APPLICATION, ORGANIZATION
from ui.context import AppContext
from ui.db_lane import DbLane
from ui.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    adopt_translators,
    install_translators,
    remove_translators,
    saved_language,
    standard_button_texts,
    translate_buttons,
)
from ui.main_window import MainWindow, window_icon
from ui.style import apply_style

if TYPE_CHECKING:  # the ORM and argon2 load when an account logs in, not at every start
    from ctmt_desktop.accounts import Account

DEMO_RECORDS = 2000
DEMO_PROFILE = ProfileData(
    name="Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị",
    province_code="44",
    parent_body="Ủy ban nhân dân tỉnh Quảng Trị",
    receiving_ministry="Bộ Văn hóa, Thể thao và Du lịch",
)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="CTMT Desktop: records and reports of the information-and-communications "
        "parts of the National Target Programs.",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="database file to open, created when missing (default: your own database)",
    )
    where.add_argument(
        "--demo",
        action="store_true",
        help=f"open the demo database ({DEMO_DB_FILENAME} in your data folder), "
        f"filled with {DEMO_RECORDS} sample records when empty",
    )
    parser.add_argument(
        "--ministry",
        action="store_true",
        help="open the ministry's desk: the national store of the provinces' packages "
        "(with --demo: a demo store filled with 12 provinces' packages)",
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        help="with --ministry: the national store, a file path or "
        "postgresql+psycopg://user@host/db (default: national.sqlite3 in your data folder)",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="interface language (default: the one chosen in Settings, else vi)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation on a temporary database, without a window (offscreen), "
        "print one line per step and exit: 0 when every step passed, else 1",
    )
    parser.add_argument(
        "--self-test-report",
        type=Path,
        metavar="FILE",
        help="with --self-test: also write the lines to FILE (a windowed build has no console)",
    )
    args = parser.parse_args(argv)
    if args.store and not args.ministry:
        parser.error("--store needs --ministry")
    if args.ministry and args.db:
        parser.error("--db is a province's database; the ministry's store is --store")
    return args


def main(argv: list[str] | None = None, precheck: QuickCheck | None = None) -> int:
    """Run the app; return its exit code (0 normal, 1 database unusable, 2 bad arguments).

    ``precheck``: the quick check of the database, begun before the imports
    (``main.py``'s ``early_check``)."""
    try:
        args = parse_arguments(sys.argv[1:] if argv is None else argv)
    except SystemExit as stop:  # --help, or a usage error argparse already explained
        return stop.code if isinstance(stop.code, int) else 2
    if args.self_test:
        from ui.selftest import main as self_test

        return self_test(args.self_test_report)
    app = _application()
    if args.lang is None:
        args.lang = saved_language() or DEFAULT_LANGUAGE
    translators = install_translators(app, args.lang)
    adopt_translators(translators)
    try:
        if args.ministry:
            from ui.ministry.startup import run_ministry

            return run_ministry(app, args)
        return _run(app, args, precheck)
    finally:
        remove_translators(app, translators)


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setApplicationVersion(ctmt_desktop.__version__)
    apply_style(app)
    return app


def _run(app: QApplication, args: argparse.Namespace, precheck: QuickCheck | None = None) -> int:
    catalog = load_catalog()
    path = app_db_path(args.db, demo=args.demo)
    is_new = not path.exists() or path.stat().st_size == 0
    try:
        database = open_database(path, check=precheck or True)
    except DatabaseDamagedError as error:
        restored = offer_backup(error)
        if restored is None:
            return 1
        database = restored
    except StorageError as error:
        show_storage_error(error)
        return 1
    lane: DbLane | None = None
    account: Account | None = None
    try:
        created: list[Account] = []
        if not _ensure_profile(database, catalog, demo=args.demo, is_new=is_new, created=created):
            return 0
        with database.reading() as connection:  # no ORM before the first page is painted
            profile = current_profile_row(connection)
            assert profile is not None
            province, agency = profile["province_code"], profile["name"]
            needs_login = has_accounts(connection)
        account = created[0] if created else None
        if account is None and needs_login:
            account = log_in(database)
            if account is None:
                return 0
        lane = DbLane(database)
        context = AppContext(database, lane, catalog, province, agency, language=args.lang)
        if account is not None:
            context.user = account.username
            context.actor = account.actor
        window = MainWindow(context)
        window.setWindowIcon(window_icon())
    except StorageError as error:
        show_storage_error(error)
        return 1
    try:
        window.show()
        lane.run(lambda session, progress: load_orm())  # for the first edit, off the GUI thread
        lane.run(
            lambda session, progress: automatic_backup(
                database.path, second_folder=MainWindow.second_backup_folder()
            ),
            on_success=lambda _info: window.update_status(),
            on_error=lambda error: window.statusBar().showMessage(
                QCoreApplication.translate("App", "The daily backup failed: {error}").format(
                    error=error
                ),
                15_000,
            ),
        )
        return app.exec()
    finally:
        if lane is not None:
            lane.shutdown()
            _log_out(database, account.actor if account is not None else None)
        database.close()


def log_in(database: Database) -> Account | None:
    """Ask for a user name and password (and a new password after a reset).

    Return the account, or None when the user cancelled (the app then ends).
    """
    from ui.login import ChangePasswordDialog, LoginDialog  # only databases with accounts

    dialog = LoginDialog(database)
    dialog.setWindowIcon(window_icon())
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.account is None:
        return None
    account = dialog.account
    if account.must_change_password:
        change = ChangePasswordDialog(database, account.actor, current_password=dialog.password)
        change.setWindowIcon(window_icon())
        if change.exec() != QDialog.DialogCode.Accepted or change.account is None:
            return None
        account = change.account
    return account


def _log_out(database: Database, actor: Actor | None) -> None:
    """Record the logout of the account that worked in this run (nothing without accounts)."""
    if actor is None:
        return
    from ctmt_desktop.accounts import logout

    try:
        with database.session() as session:
            logout(session, actor)
    except StorageError:  # the app is closing anyway; the login stays in the trail
        pass


def _ensure_profile(
    database: Database,
    catalog: Catalog,
    *,
    demo: bool,
    is_new: bool,
    created: list[Account] | None = None,
) -> bool:
    """Make sure the database has an agency profile; False when the user declined to give one.

    The administrator account made with the profile, if any, is appended to ``created``.
    """
    with database.reading() as connection:
        has_profile = current_profile_row(connection) is not None
        has_records = any(count_records(connection, kind) for kind in KIND_CODES)
    if demo and not has_profile:
        from ctmt_desktop.services.profile import set_profile

        with database.session() as session:
            set_profile(session, DEMO_PROFILE, catalog)
    if demo:
        if not has_records:  # new, or an earlier filling was cancelled
            load_demo_data(database, catalog)
        return True
    if has_profile:
        return True
    from ui.first_start import FirstStartDialog  # once per database

    dialog = FirstStartDialog(database, catalog, offer_demo=is_new)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    if dialog.account is not None and created is not None:
        created.append(dialog.account)
    if dialog.load_demo:
        load_demo_data(database, catalog)
    return True


def load_demo_data(database: Database, catalog: Catalog, parent: QWidget | None = None) -> bool:
    """Fill ``database`` with sample records, with a progress dialog that can cancel.

    Return False when the user cancelled (then nothing was written).
    """
    from ctmt_desktop.demo import DemoCancelled, generate_demo  # the app rarely needs it

    progress = QProgressDialog(
        QCoreApplication.translate("App", "Creating demo data…"),
        standard_button_texts()["Cancel"],
        0,
        DEMO_RECORDS,
        parent,
    )
    progress.setWindowTitle(APPLICATION)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)

    def report(done: int, total: int) -> bool:
        progress.setMaximum(total)
        progress.setValue(done)
        QApplication.processEvents()  # the writing runs here, on the GUI thread: keep painting
        return not progress.wasCanceled()

    try:
        generate_demo(
            database, records=DEMO_RECORDS, seed=1, progress=report, catalog=catalog, targets=True
        )
    except DemoCancelled:
        return False
    finally:
        progress.close()
        progress.deleteLater()
    return True


def offer_backup(error: DatabaseDamagedError) -> Database | None:
    """The database failed its start-up check: offer to restore its newest good backup.

    Return the restored database, open, or None when the user declined or none exists.
    """
    backup = error.backup
    if backup is None:
        show_storage_error(error)
        return None
    when = f"{format_date(backup.created.date())} {backup.created:%H:%M}"
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        APPLICATION,
        QCoreApplication.translate("App", "The database file is damaged."),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "App",
            "{error}\n\nRestore the last good backup, made on {time} ({records} records)? "
            "The damaged file is kept beside it.",
        ).format(error=error, time=when, records=format_number(backup.records))
    )
    translate_buttons(box)
    if box.exec() != QMessageBox.StandardButton.Yes:
        return None
    try:
        restore_backup(backup.path, error.path)
        return open_database(error.path)
    except StorageError as failure:
        show_storage_error(failure)
        return None


def show_storage_error(error: StorageError, parent: QWidget | None = None) -> None:
    """Tell the user that the database file cannot be used, and why (the core's words)."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        APPLICATION,
        QCoreApplication.translate("App", "CTMT Desktop cannot use this database file."),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    hint = QCoreApplication.translate(
        "App",
        "Check that the file is a CTMT database, that no other program holds it and that "
        "the disk is neither full nor read-only.",
    )
    box.setInformativeText(f"{error}\n\n{hint}")
    translate_buttons(box)
    box.exec()
