"""The accounts part of Settings: change one's password; administrators manage the accounts.

Every change goes through the accounts core on the lane, with the logged-in actor, so the core
checks the role and audits it; a refusal (:class:`PermissionDeniedError`) is shown in the
section in plain words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.accounts import (
    Account,
    Actor,
    Permission,
    Role,
    create_user,
    deactivate,
    has_accounts,
    list_accounts,
    reset_password,
    set_role,
)
from ctmt_desktop.errors import PermissionDeniedError, Problem, ValidationError
from ctmt_desktop.formatting import format_date
from ui.context import AppContext
from ui.i18n import translate_buttons
from ui.login import (
    ChangePasswordDialog,
    FormDialog,
    account_problem_text,
    password_edit,
    permission_text,
    role_name,
)
from ui.widgets import ERROR_STYLE

COLUMNS = ("username", "full_name", "role", "active", "locked_until")


class AccountDialog(FormDialog):
    """A new account: user name, full name, role, a first password (asked twice).

    With ``first_admin`` the role is administrator and no actor is needed (the first account
    of a database that had none).
    """

    def __init__(self, context: AppContext, *, first_admin: bool = False,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(context.database, context.lane, parent)
        self._actor = None if first_admin else context.actor
        self.account: Account | None = None
        self.setWindowTitle(
            self.tr("Create the administrator account") if first_admin else self.tr("New account")
        )
        self.setMinimumWidth(460)
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username_edit")
        self.full_name_edit = QLineEdit()
        self.full_name_edit.setObjectName("full_name_edit")
        self.role_box = QComboBox()
        self.role_box.setObjectName("role_box")
        for role in Role:
            self.role_box.addItem(role_name(role.value), role.value)
        self.role_box.setCurrentIndex(self.role_box.findData(
            Role.ADMIN.value if first_admin else Role.ENTRY.value))  # fmt: skip
        self.role_box.setEnabled(not first_admin)
        self.password_edit = password_edit("password_edit")
        self.repeat_edit = password_edit("repeat_edit")
        self.must_change_check = QCheckBox(self.tr("Must choose a new password at the first login"))
        self.must_change_check.setChecked(not first_admin)
        self.must_change_check.setVisible(not first_admin)
        self._add_field("username", self.tr("User name:"), self.username_edit)
        self._add_field("full_name", self.tr("Full name:"), self.full_name_edit)
        self._add_field("role", self.tr("Role:"), self.role_box)
        self._add_field("password", self.tr("Password:"), self.password_edit)
        self._add_field("password_repeat", self.tr("Repeat the password:"), self.repeat_edit)
        self._form.addRow("", self.must_change_check)
        self._layout()

    def accept(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            self.show_problems([Problem("password_repeat", "mismatch", "passwords differ")])
            return
        username, password = self.username_edit.text(), self.password_edit.text()
        full_name, role = self.full_name_edit.text(), self.role_box.currentData()
        must_change, actor = self.must_change_check.isChecked(), self._actor

        def operation(session: Session) -> Account:
            return create_user(session, username, password, role=role, full_name=full_name,
                               actor=actor, must_change_password=must_change)  # fmt: skip

        def done(account: Account) -> None:
            self.account = account
            super(FormDialog, self).accept()

        self.submit(operation, done)


class ResetPasswordDialog(FormDialog):
    """A new password for someone who forgot theirs (asked twice); they change it at login."""

    def __init__(self, context: AppContext, username: str, parent: QWidget | None = None) -> None:
        super().__init__(context.database, context.lane, parent)
        self._actor = context.actor
        self._username = username
        self.setWindowTitle(self.tr("Reset password"))
        self.setMinimumWidth(440)
        self.password_edit = password_edit("password_edit")
        self.repeat_edit = password_edit("repeat_edit")
        self._add_field("password", self.tr("New password:"), self.password_edit)
        self._add_field("password_repeat", self.tr("Repeat the password:"), self.repeat_edit)
        self._layout(
            self.tr(
                "Give {username} a temporary password; they must choose a new one "
                "when they next log in."
            ).format(username=username)
        )

    def accept(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            self.show_problems([Problem("password_repeat", "mismatch", "passwords differ")])
            return
        actor, username, password = self._actor, self._username, self.password_edit.text()
        if actor is None:
            self.show_problems([Problem("", "storage", permission_text(_no_actor()))])
            return
        self.submit(
            lambda session: reset_password(session, actor, username, password),
            lambda _account: super(FormDialog, self).accept(),
        )


def _no_actor() -> PermissionDeniedError:
    return PermissionDeniedError("no one is logged in", username="", role="",
                                 permission=Permission.MANAGE_ACCOUNTS.value,
                                 roles_allowed=[Role.ADMIN.value])  # fmt: skip


class AccountsSection(QGroupBox):
    """The "Accounts" group of Settings.

    Attributes:
        change_password_button: for everyone who logged in.
        create_admin_button: while the database has no accounts.
        admin_box: the table and the buttons of administrators (hidden for other roles).
        table: the accounts (user name, full name, role, active, locked until).
        message_label: what the last action did, or why it was refused.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Accounts"), parent)
        self.setObjectName("accounts_section")
        self.context = context
        self.accounts: list[Account] = []

        self.user_label = QLabel()
        self.user_label.setWordWrap(True)
        self.change_password_button = QPushButton(self.tr("Change password…"))
        self.change_password_button.setObjectName("change_password")
        self.change_password_button.clicked.connect(self.open_change_password)
        self.create_admin_button = QPushButton(self.tr("Create an administrator account…"))
        self.create_admin_button.setObjectName("create_admin")
        self.create_admin_button.clicked.connect(self.open_create_admin)
        top = QHBoxLayout()
        top.addWidget(self.change_password_button)
        top.addWidget(self.create_admin_button)
        top.addStretch(1)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("accounts_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("User name"),
                self.tr("Full name"),
                self.tr("Role"),
                self.tr("Active"),
                self.tr("Locked until"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(160)
        self.add_button = QPushButton(self.tr("Add…"))
        self.add_button.setObjectName("add_account")
        self.add_button.clicked.connect(self.open_add_account)
        self.reset_button = QPushButton(self.tr("Reset password…"))
        self.reset_button.setObjectName("reset_password")
        self.reset_button.clicked.connect(self._on_reset)
        self.role_button = QPushButton(self.tr("Change role…"))
        self.role_button.setObjectName("change_role")
        self.role_button.clicked.connect(self._on_role)
        self.deactivate_button = QPushButton(self.tr("Deactivate"))
        self.deactivate_button.setObjectName("deactivate")
        self.deactivate_button.clicked.connect(self._on_deactivate)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.role_button,
                       self.deactivate_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.admin_box = QWidget()
        self.admin_box.setObjectName("accounts_admin")
        admin_layout = QVBoxLayout(self.admin_box)
        admin_layout.setContentsMargins(0, 0, 0, 0)
        admin_layout.addWidget(self.table)
        admin_layout.addLayout(buttons)

        self.message_label = QLabel()
        self.message_label.setObjectName("accounts_message")
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.user_label)
        layout.addLayout(top)
        layout.addWidget(self.admin_box)
        layout.addWidget(self.message_label)
        self.refresh()

    # --- state -----------------------------------------------------------------------------------
    @property
    def actor(self) -> Actor | None:
        return self.context.actor

    def is_admin(self) -> bool:
        return self.actor is not None and self.actor.can(Permission.MANAGE_ACCOUNTS)

    def refresh(self) -> None:
        """Show what the logged-in role may see; reload the accounts for administrators."""
        actor = self.actor
        with self.context.database.session() as session:
            any_accounts = has_accounts(session)
            self.accounts = list_accounts(session) if self.is_admin() else []
        if actor is None:
            self.user_label.setText(
                self.tr(
                    "No one logs in: everyone works as “{user}” and roles are not checked. "
                    "Create an administrator account to give each person their own login."
                ).format(user=self.context.user)
                if not any_accounts
                else self.tr("Working as “{user}”.").format(user=self.context.user)
            )
        else:
            self.user_label.setText(
                self.tr("Logged in as {username} ({role}).").format(
                    username=actor.username, role=role_name(actor.role)
                )
            )
        self.change_password_button.setVisible(actor is not None)
        self.create_admin_button.setVisible(actor is None and not any_accounts)
        self.admin_box.setVisible(self.is_admin())
        self._fill_table()

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.accounts))
        for row, account in enumerate(self.accounts):
            locked = account.locked_until
            values = (
                account.username,
                account.full_name,
                role_name(account.role),
                self.tr("yes") if account.active else self.tr("no"),
                f"{format_date(locked.date())} {locked:%H:%M:%S}" if locked else "",
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))

    def selected_username(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.accounts[rows[0].row()].username

    # --- messages --------------------------------------------------------------------------------
    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setVisible(bool(text))

    def show_error(self, error: BaseException) -> None:
        """Say why the core refused (a refused role, a rule on accounts), or report a bug."""
        if isinstance(error, PermissionDeniedError):
            self.show_message(permission_text(error), error=True)
        elif isinstance(error, ValidationError):
            text = "\n".join(account_problem_text(p) for p in error.problems)
            self.show_message(text, error=True)
        else:
            from ui.db_lane import report_error

            report_error(self, error)

    # --- actions through the core ----------------------------------------------------------------
    def _run(self, operation: Callable[[Session, Actor], Any], success: str) -> None:
        actor = self.actor
        if actor is None:
            self.show_error(_no_actor())
            return

        def done(_result: Any) -> None:
            self.refresh()
            self.show_message(success)

        self.context.lane.run(
            lambda session, progress: operation(session, actor),
            on_success=done,
            on_error=self.show_error,
        )

    def reset_password(self, username: str, password: str) -> None:
        """Give ``username`` a new password (they must change it at their next login)."""
        self._run(
            lambda session, actor: reset_password(session, actor, username, password),
            self.tr("The password of {username} was reset.").format(username=username),
        )

    def change_role(self, username: str, role: str) -> None:
        self._run(
            lambda session, actor: set_role(session, actor, username, role),
            self.tr("{username} now has the {role} role.").format(
                username=username, role=role_name(role)
            ),
        )

    def deactivate(self, username: str) -> None:
        self._run(
            lambda session, actor: deactivate(session, actor, username),
            self.tr("{username} can no longer log in.").format(username=username),
        )

    # --- dialogs ---------------------------------------------------------------------------------
    def open_change_password(self) -> None:
        if self.actor is None:
            return
        dialog = ChangePasswordDialog(self.context.database, self.actor,
                                      lane=self.context.lane, parent=self)  # fmt: skip
        if dialog.exec() == ChangePasswordDialog.DialogCode.Accepted:
            self.show_message(self.tr("Your password was changed."))

    def open_add_account(self) -> None:
        dialog = AccountDialog(self.context, parent=self)
        if dialog.exec() == AccountDialog.DialogCode.Accepted and dialog.account is not None:
            self.refresh()
            self.show_message(
                self.tr("The account {username} was created.").format(
                    username=dialog.account.username
                )
            )

    def open_create_admin(self) -> None:
        dialog = AccountDialog(self.context, first_admin=True, parent=self)
        if dialog.exec() == AccountDialog.DialogCode.Accepted and dialog.account is not None:
            self.adopt_first_admin(dialog.account)

    def adopt_first_admin(self, account: Account) -> None:
        """Work as the new administrator from now on (the next start asks for a login)."""
        self.context.user = account.username
        self.context.actor = account.actor
        self.refresh()
        self.show_message(
            self.tr(
                "The account {username} was created. From the next start, everyone logs in."
            ).format(username=account.username)  # fmt: skip
        )

    def _need_selection(self) -> str | None:
        username = self.selected_username()
        if username is None:
            self.show_message(self.tr("Choose an account in the table first."), error=True)
        return username

    def _on_reset(self) -> None:
        username = self._need_selection()
        if username is None:
            return
        dialog = ResetPasswordDialog(self.context, username, parent=self)
        if dialog.exec() == ResetPasswordDialog.DialogCode.Accepted:
            self.refresh()
            self.show_message(
                self.tr("The password of {username} was reset.").format(username=username)
            )

    def _on_role(self) -> None:
        username = self._need_selection()
        if username is None:
            return
        current = next(a.role for a in self.accounts if a.username == username)
        roles = [role.value for role in Role]
        names = [role_name(role) for role in roles]
        choice, ok = QInputDialog.getItem(
            self,
            self.tr("Change role"),
            self.tr("Role of {username}:").format(username=username),
            names,
            roles.index(current),
            False,
        )
        if ok:
            self.change_role(username, roles[names.index(choice)])

    def _on_deactivate(self) -> None:
        username = self._need_selection()
        if username is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Deactivate"),
            self.tr(
                "Deactivate the account {username}? It can no longer log in; its name stays "
                "in the audit trail."
            ).format(username=username),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        translate_buttons(box)
        if box.exec() == QMessageBox.StandardButton.Yes:
            self.deactivate(username)
