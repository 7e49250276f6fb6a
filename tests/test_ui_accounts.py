"""Accounts in the desktop app: the first administrator, logging in, and Settings' accounts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ctmt_desktop import accounts
from ctmt_desktop.accounts import Actor, authenticate, create_user, get_account, has_accounts
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.db.models import UserAccount
from ctmt_desktop.services.profile import ProfileData, current_profile, set_profile
from tests.conftest import PROVINCE, when_shown
from ui.accounts_section import AccountDialog, AccountsSection
from ui.app import main
from ui.context import AppContext
from ui.db_lane import DbLane
from ui.first_start import FirstStartDialog
from ui.i18n import install_translators, remove_translators
from ui.login import LoginDialog
from ui.main_window import MainWindow

AGENCY = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the smallest cost, so that the tests stay fast."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "new.sqlite3")
    yield database
    database.close()


@pytest.fixture
def staff(database: Database) -> Database:
    """The shared database with an administrator (an) and a data-entry user (kim)."""
    with database.session() as session:
        create_user(session, "an", "quan-tri-2024", role="admin", full_name="Nguyễn Văn An")
        create_user(session, "kim", "nhap-lieu-2024", actor=Actor("an", "admin"))
    return database


@pytest.fixture
def lane(database: Database) -> Iterator[DbLane]:
    lane = DbLane(database)
    yield lane
    lane.shutdown()


def _context(database: Database, lane: DbLane, catalog: Catalog, actor: Actor) -> AppContext:
    return AppContext(database, lane, catalog, PROVINCE, AGENCY, user=actor.username,
                      language="en", actor=actor)  # fmt: skip


# --- first start ---------------------------------------------------------------------------------
def _first_start(qtbot: QtBot, database: Database, catalog: Catalog) -> FirstStartDialog:
    dialog = FirstStartDialog(database, catalog, offer_demo=False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText(AGENCY)
    dialog.province_box.setCurrentIndex(dialog.province_box.findData("44"))
    return dialog


def test_first_start_creates_the_profile_and_the_administrator(
    qtbot: QtBot, new_database: Database, catalog: Catalog
) -> None:
    dialog = _first_start(qtbot, new_database, catalog)
    dialog.username_edit.setText(" Lan.Nguyen ")
    dialog.full_name_edit.setText("Nguyễn Thị Lan")
    dialog.password_edit.setText("mat-khau-dai")
    dialog.repeat_edit.setText("mat-khau-dai")
    with qtbot.waitSignal(dialog.accepted):
        dialog.accept()
    assert dialog.account is not None and dialog.account.username == "lan.nguyen"
    with new_database.session() as session:
        assert current_profile(session) is not None
        row = session.scalars(select(UserAccount)).one()
        assert (row.username, row.role, row.full_name) == ("lan.nguyen", "admin", "Nguyễn Thị Lan")
        assert row.password_hash.startswith("$argon2id$")
        assert "mat-khau-dai" not in row.password_hash
        assert authenticate(session, "lan.nguyen", "mat-khau-dai").role == "admin"


def test_first_start_saves_nothing_when_the_account_is_wrong(
    qtbot: QtBot, new_database: Database, catalog: Catalog
) -> None:
    dialog = _first_start(qtbot, new_database, catalog)
    dialog.username_edit.setText("Lan Nguyễn")
    dialog.password_edit.setText("ngan")
    dialog.repeat_edit.setText("khac")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_labels["username"].isVisible()
    assert dialog.error_labels["password"].text() == "Use at least 8 characters."
    assert dialog.error_labels["password_repeat"].text() == "The two passwords differ."
    with new_database.session() as session:
        assert current_profile(session) is None
        assert not has_accounts(session)


def test_first_start_saves_no_account_when_the_profile_is_wrong(
    qtbot: QtBot, new_database: Database, catalog: Catalog
) -> None:
    dialog = _first_start(qtbot, new_database, catalog)
    dialog.name_edit.clear()
    dialog.username_edit.setText("lan")
    dialog.password_edit.setText("mat-khau-dai")
    dialog.repeat_edit.setText("mat-khau-dai")
    dialog.accept()
    assert dialog.error_labels["name"].text() == "Enter the name of your agency."
    assert not dialog.error_labels["username"].isVisible()
    with new_database.session() as session:
        assert current_profile(session) is None
        assert not has_accounts(session)


# --- logging in ----------------------------------------------------------------------------------
def _login(qtbot: QtBot, database: Database, username: str, password: str) -> LoginDialog:
    dialog = LoginDialog(database)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username_edit.setText(username)
    dialog.password_edit.setText(password)
    dialog.accept()
    return dialog


def test_login_returns_the_account(qtbot: QtBot, staff: Database) -> None:
    dialog = _login(qtbot, staff, "KIM", "nhap-lieu-2024")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.account is not None
    assert dialog.account.actor == Actor("kim", "entry")


def test_wrong_passwords_are_refused_then_lock_the_account(qtbot: QtBot, staff: Database) -> None:
    dialog = _login(qtbot, staff, "kim", "sai-mat-khau")
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "Wrong user name or password."
    assert dialog.password_edit.text() == ""
    for _ in range(2):
        dialog.password_edit.setText("sai-mat-khau")
        dialog.accept()
    assert dialog.error_label.text() == "Locked for now; try again in 5 seconds."
    dialog.password_edit.setText("nhap-lieu-2024")  # right, but too early
    dialog.accept()
    assert dialog.error_label.text().startswith("Locked for now; try again in ")
    assert dialog.account is None
    with staff.session() as session:
        assert get_account(session, "kim").locked_until is not None


def test_the_login_speaks_vietnamese(qtbot: QtBot, qapp: QApplication, staff: Database) -> None:
    translators = install_translators(qapp, "vi")
    try:
        dialog = _login(qtbot, staff, "kim", "sai-mat-khau")
        assert dialog.error_label.text() == "Tên đăng nhập hoặc mật khẩu không đúng."
        for _ in range(2):
            dialog.password_edit.setText("sai-mat-khau")
            dialog.accept()
        assert dialog.error_label.text() == "Tạm khóa, thử lại sau 5 giây."
    finally:
        remove_translators(qapp, translators)


# --- Settings: accounts ---------------------------------------------------------------------------
def test_an_entry_user_sees_no_admin_controls_and_a_forced_change_is_refused(
    qtbot: QtBot, staff: Database, lane: DbLane, catalog: Catalog
) -> None:
    section = AccountsSection(_context(staff, lane, catalog, Actor("kim", "entry")))
    qtbot.addWidget(section)
    section.show()
    assert section.change_password_button.isVisible()
    assert not section.admin_box.isVisible()
    assert not section.create_admin_button.isVisible()
    assert "kim" in section.user_label.text()
    section.change_role("kim", "admin")
    assert lane.wait_idle()
    assert section.message_label.isVisible()
    assert section.message_label.text() == (
        "Not allowed: your account has the Data entry role; this needs: Administrator."
    )
    with staff.session() as session:
        assert get_account(session, "kim").role == "entry"


def test_an_admin_adds_an_account_and_resets_a_password(
    qtbot: QtBot, staff: Database, lane: DbLane, catalog: Catalog
) -> None:
    context = _context(staff, lane, catalog, Actor("an", "admin"))
    section = AccountsSection(context)
    qtbot.addWidget(section)
    section.show()
    assert section.admin_box.isVisible()
    assert section.table.rowCount() == 2

    dialog = AccountDialog(context, parent=section)
    dialog.username_edit.setText("binh")
    dialog.full_name_edit.setText("Trần Văn Bình")
    dialog.role_box.setCurrentIndex(dialog.role_box.findData("approver"))
    dialog.password_edit.setText("tam-thoi-2024")
    dialog.repeat_edit.setText("tam-thoi-2024")
    with qtbot.waitSignal(dialog.accepted):
        dialog.accept()
    section.refresh()
    assert [section.table.item(r, 0).text() for r in range(3)] == ["an", "binh", "kim"]
    assert section.table.item(1, 2).text() == "Approver"

    section.reset_password("kim", "mat-khau-moi-1")
    assert lane.wait_idle()
    assert section.message_label.text() == "The password of kim was reset."
    with staff.session() as session:
        binh = get_account(session, "binh")
        assert (binh.role, binh.created_by, binh.must_change_password) == ("approver", "an", True)
        kim = authenticate(session, "kim", "mat-khau-moi-1")
        assert kim.must_change_password


def test_the_account_dialog_shows_the_core_s_problems(
    qtbot: QtBot, staff: Database, lane: DbLane, catalog: Catalog
) -> None:
    dialog = AccountDialog(_context(staff, lane, catalog, Actor("an", "admin")))
    qtbot.addWidget(dialog)
    dialog.username_edit.setText("kim")
    dialog.password_edit.setText("tam-thoi-2024")
    dialog.repeat_edit.setText("tam-thoi-2024")
    dialog.accept()
    assert lane.wait_idle()
    assert dialog.error_labels["username"].text() == "This user name is already taken."
    assert dialog.result() != QDialog.DialogCode.Accepted


# --- start-up ------------------------------------------------------------------------------------
def _database_with_accounts(path: Path, catalog: Catalog) -> None:
    database = open_database(path)
    try:
        with database.session() as session:
            set_profile(session, ProfileData(AGENCY, PROVINCE), catalog)
            create_user(session, "an", "quan-tri-2024", role="admin")
    finally:
        database.close()


def test_main_asks_for_a_login_then_opens_the_window(
    running_app: QApplication, tmp_path: Path, catalog: Catalog
) -> None:
    path = tmp_path / "office.sqlite3"
    _database_with_accounts(path, catalog)
    seen: list[tuple[str, Actor | None]] = []

    def log_in(dialog: LoginDialog) -> None:
        dialog.username_edit.setText("an")
        dialog.password_edit.setText("quan-tri-2024")
        dialog.accept()

    def close(window: MainWindow) -> None:
        seen.append((window.windowTitle(), window.context.actor))
        window.close()
        running_app.exit(0)

    when_shown(LoginDialog, log_in)
    when_shown(MainWindow, close)
    assert main(["--db", str(path), "--lang", "en"]) == 0
    assert seen == [(f"Dashboard — CTMT Desktop — {AGENCY}", Actor("an", "admin"))]


def test_cancelling_the_login_ends_the_app(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "office.sqlite3"
    _database_with_accounts(path, catalog)
    when_shown(LoginDialog, lambda dialog: dialog.reject())
    assert main(["--db", str(path), "--lang", "en"]) == 0
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]
