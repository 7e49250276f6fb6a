"""Logging in at start, and changing one's own password.

:class:`LoginDialog` is shown at start when the database has accounts; it returns the
:class:`~ctmt_desktop.accounts.Account` that logged in. :class:`ChangePasswordDialog` asks for a
new password, forced after an administrator reset it, or from Settings. Both go through the
core (:mod:`ctmt_desktop.accounts`), which hashes, counts failures and audits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.accounts import (
    PASSWORD_MAX,
    PASSWORD_MIN,
    Account,
    Actor,
    authenticate,
    change_password,
)
from ctmt_desktop.db import Database
from ctmt_desktop.errors import (
    AccountLockedError,
    AuthenticationError,
    PermissionDeniedError,
    Problem,
    StorageError,
    ValidationError,
)
from ui import APPLICATION
from ui.db_lane import DbLane
from ui.i18n import translate_buttons
from ui.widgets import error_label, with_error_label


def role_name(role: str) -> str:
    """The translated name of a role (``entry``, ``approver``, ``admin``)."""
    names = {
        "entry": QCoreApplication.translate("Accounts", "Data entry"),
        "approver": QCoreApplication.translate("Accounts", "Approver"),
        "admin": QCoreApplication.translate("Accounts", "Administrator"),
    }
    return names.get(role, role)


def account_problem_text(problem: Problem) -> str:
    """A translated sentence for a problem the accounts core (or a form) reported."""
    code = problem.code
    if code == "invalid_username":
        return QCoreApplication.translate(
            "Accounts",
            "Use 2 to 64 unaccented letters, digits, dots, hyphens or underscores, "
            "starting with a letter or digit.",
        )
    if code == "taken":
        return QCoreApplication.translate("Accounts", "This user name is already taken.")
    if code == "too_short":
        return QCoreApplication.translate("Accounts", "Use at least {minimum} characters.").format(
            minimum=PASSWORD_MIN
        )
    if code == "too_long" and problem.field == "password":
        return QCoreApplication.translate("Accounts", "Use at most {maximum} characters.").format(
            maximum=PASSWORD_MAX
        )
    if code == "same_as_username":
        return QCoreApplication.translate("Accounts", "The password must not be the user name.")
    if code == "unchanged":
        return QCoreApplication.translate(
            "Accounts", "The new password must differ from the current one."
        )
    if code == "mismatch":
        return QCoreApplication.translate("Accounts", "The two passwords differ.")
    if code == "required":
        return QCoreApplication.translate("Accounts", "Fill in this field.")
    if code == "last_admin":
        return QCoreApplication.translate(
            "Accounts", "This is the only active administrator; make another administrator first."
        )
    if code == "own_account":
        return QCoreApplication.translate("Accounts", "You cannot deactivate your own account.")
    if code == "wrong_password":
        return QCoreApplication.translate("Accounts", "The current password is wrong.")
    if code == "storage":
        return problem.message
    return str(problem)  # a problem not known here yet: the core's English


def permission_text(error: PermissionDeniedError) -> str:
    """A translated sentence for a refused action."""
    roles = ", ".join(role_name(role) for role in getattr(error, "roles_allowed", []) or [])
    role = getattr(error, "role", "") or ""
    if not role:
        return QCoreApplication.translate("Accounts", "An administrator must log in to do this.")
    return QCoreApplication.translate(
        "Accounts", "Not allowed: your account has the {role} role; this needs: {roles}."
    ).format(role=role_name(role), roles=roles)


def password_edit(object_name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(object_name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(PASSWORD_MAX)
    return edit


class FormDialog(QDialog):
    """A dialog of fields with an error message under each, that writes through the core.

    The write runs on the lane when there is one (Settings), else in its own unit of work on
    the GUI thread (at start, before the window and its lane exist).
    """

    def __init__(self, database: Database, lane: DbLane | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._database = database
        self._lane = lane
        self.error_labels: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {}
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _layout(self, intro: str = "") -> None:
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
            layout.addSpacing(6)
        layout.addLayout(self._form)
        layout.addWidget(self._error_label(""))
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _error_label(self, field: str) -> QLabel:
        return error_label(field, self.error_labels)

    def _add_field(self, field: str, label: str, widget: QWidget) -> None:
        self._fields[field] = widget
        self._form.addRow(label, with_error_label(widget, field, self.error_labels))

    def show_problems(self, problems: list[Problem]) -> None:
        messages: dict[str, list[str]] = {}
        for problem in problems:
            field = problem.field if problem.field in self.error_labels else ""
            messages.setdefault(field, []).append(account_problem_text(problem))
        for field, label in self.error_labels.items():
            label.setText("\n".join(messages.get(field, [])))
            label.setVisible(field in messages)
        first = next(iter(messages), None)
        if first and first in self._fields:
            self._fields[first].setFocus()

    def show_error(self, error: BaseException) -> None:
        """Show what the core refused, under the fields."""
        if isinstance(error, ValidationError):
            self.show_problems(list(error.problems))
        elif isinstance(error, PermissionDeniedError):
            self.show_problems([Problem("", "storage", permission_text(error))])
        elif isinstance(error, AuthenticationError):
            self.show_problems([Problem("old_password", "wrong_password", str(error))])
        elif isinstance(error, StorageError):
            message = QCoreApplication.translate("Accounts", "Could not save: {reason}").format(
                reason=error
            )
            self.show_problems([Problem("", "storage", message)])
        else:
            from ui.db_lane import report_error

            report_error(self, error)

    def submit(self, operation: Callable[[Session], Any], done: Callable[[Any], None]) -> None:
        """Run ``operation`` in a unit of work; ``done(result)`` on success, else show why."""
        self.show_problems([])
        if self._lane is not None:
            self.buttons.setEnabled(False)

            def finished(result: Any) -> None:
                self.buttons.setEnabled(True)
                done(result)

            def failed(error: BaseException) -> None:
                self.buttons.setEnabled(True)
                self.show_error(error)

            self._lane.run(
                lambda session, progress: operation(session),
                on_success=finished,
                on_error=failed,
            )
            return
        try:
            with self._database.session() as session:
                result = operation(session)
        except Exception as error:  # noqa: BLE001 - shown to the user, bugs included
            self.show_error(error)
            return
        done(result)


class LoginDialog(FormDialog):
    """User name and password; :attr:`account` holds who logged in once accepted.

    Attributes:
        username_edit, password_edit: the fields.
        error_label: the message under the fields (wrong password, lock-out).
    """

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, None, parent)
        self.account: Account | None = None
        self.password = ""
        self.setWindowTitle(self.tr("Log in — {app}").format(app=APPLICATION))
        self.setMinimumWidth(420)
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username_edit")
        self.password_edit = password_edit("password_edit")
        self._add_field("username", self.tr("User name:"), self.username_edit)
        self._add_field("password", self.tr("Password:"), self.password_edit)
        self._layout(self.tr("Log in with your account."))
        self.error_label = self.error_labels[""]

    def accept(self) -> None:
        """Check the password through the core; close on success, else say why."""
        self.show_problems([])
        username, password = self.username_edit.text(), self.password_edit.text()
        try:
            with self._database.session() as session:
                account = authenticate(session, username, password)
        except AccountLockedError as error:
            self._refuse(
                self.tr("Locked for now; try again in {seconds} seconds.").format(
                    seconds=error.seconds_left
                )
            )
            return
        except AuthenticationError as error:
            if "deactivated" in str(error) and username.strip():
                self._refuse(self.tr("This account is deactivated; ask an administrator."))
            else:
                self._refuse(self.tr("Wrong user name or password."))
            return
        except StorageError as error:
            self._refuse(self.tr("Cannot log in: {reason}").format(reason=error))
            return
        self.account = account
        self.password = password
        super(FormDialog, self).accept()

    def _refuse(self, message: str) -> None:
        self.show_problems([Problem("", "storage", message)])
        self.password_edit.clear()
        self.password_edit.setFocus()


class ChangePasswordDialog(FormDialog):
    """Change one's own password (the current one, then the new one twice).

    With ``current_password`` given (just after a login that must change it), the current
    password is not asked again.
    """

    def __init__(
        self,
        database: Database,
        actor: Actor,
        *,
        lane: DbLane | None = None,
        current_password: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(database, lane, parent)
        self.actor = actor
        self._current = current_password
        self.account: Account | None = None
        self.setWindowTitle(self.tr("Change password"))
        self.setMinimumWidth(440)
        self.old_password_edit = password_edit("old_password_edit")
        self.new_password_edit = password_edit("new_password_edit")
        self.repeat_edit = password_edit("repeat_edit")
        if current_password is None:
            self._add_field("old_password", self.tr("Current password:"), self.old_password_edit)
        self._add_field("password", self.tr("New password:"), self.new_password_edit)
        self._add_field("password_repeat", self.tr("Repeat the new password:"), self.repeat_edit)
        if current_password is None:
            intro = self.tr("Account: {username}").format(username=actor.username)
        else:
            intro = self.tr(
                "An administrator reset your password. Choose a new one that only you know."
            )
        self._layout(intro)

    def accept(self) -> None:
        new = self.new_password_edit.text()
        if new != self.repeat_edit.text():
            self.show_problems([Problem("password_repeat", "mismatch", "passwords differ")])
            return
        old = self._current if self._current is not None else self.old_password_edit.text()
        actor = self.actor

        def done(account: Account) -> None:
            self.account = account
            super(FormDialog, self).accept()

        self.submit(lambda session: change_password(session, actor, old, new), done)
