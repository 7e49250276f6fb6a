"""The first-start dialog: who sends the reports, asked once when a database has no profile,
and the first administrator account.

The dialog saves the agency profile through the profile service and creates the administrator
through the accounts core, in one unit of work; when either rejects the input, each message
appears under the field it names and nothing is saved. Leaving the account fields empty keeps
the database without accounts (no login, no role checks; an administrator can be created later
in Settings).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ctmt_desktop.accounts import (
    Account,
    Role,
    check_password_policy,
    create_user,
    normalise_username,
)
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.errors import Problem, StorageError, ValidationError
from ctmt_desktop.services.profile import NAME_MAX, ProfileData, set_profile
from ui.i18n import translate_buttons
from ui.login import account_problem_text, password_edit
from ui.widgets import error_label, hint_label, with_error_label

REQUIRED_STAR = ' <span style="color:#b91c1c">*</span>'
ACCOUNT_FIELDS = ("username", "full_name", "password", "password_repeat")


class FirstStartDialog(QDialog):
    """Asks the agency's name, province, parent body and receiving ministry; saves the profile.

    Attributes:
        name_edit, province_box, parent_body_edit, ministry_edit: the fields.
        username_edit, full_name_edit, password_edit, repeat_edit: the first administrator
            account (all empty: no accounts, no login).
        account: the administrator created, once the dialog is accepted (None when none).
        demo_check: "Load demo data"; read :attr:`load_demo` after the dialog is accepted.
        buttons: OK (save) and Cancel.
        error_labels: the message label under each field, by the profile field it shows
            problems of (``""`` for problems that concern no field).
    """

    def __init__(self, database: Database, catalog: Catalog, *, offer_demo: bool = True,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._database = database
        self._catalog = catalog
        self.account: Account | None = None
        self.setWindowTitle(self.tr("Set up your agency"))
        self.setMinimumWidth(560)

        intro = QLabel(
            self.tr(
                "Before you start, tell CTMT Desktop which agency sends the reports. "
                "The names can be changed later; the province cannot."
            )
        )
        intro.setWordWrap(True)

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name_edit")
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.setPlaceholderText(
            self.tr("e.g. Department of Culture, Sports and Tourism of … province")
        )
        self.province_box = QComboBox()
        self.province_box.setObjectName("province_box")
        self.province_box.setPlaceholderText(self.tr("Choose the province or city"))
        for province in catalog.admin.provinces():
            self.province_box.addItem(province.name, province.code)
        self.province_box.setCurrentIndex(-1)
        self.province_box.setMaxVisibleItems(20)
        self.parent_body_edit = QLineEdit()
        self.parent_body_edit.setObjectName("parent_body_edit")
        self.parent_body_edit.setMaxLength(NAME_MAX)
        self.parent_body_edit.setPlaceholderText(self.tr("e.g. People's Committee of … province"))
        self.ministry_edit = QLineEdit()
        self.ministry_edit.setObjectName("ministry_edit")
        self.ministry_edit.setMaxLength(NAME_MAX)
        self.ministry_edit.setPlaceholderText(
            self.tr("e.g. Ministry of Culture, Sports and Tourism")
        )
        self.demo_check = QCheckBox(self.tr("Load demo data (sample records to try the app)"))
        self.demo_check.setObjectName("demo_check")
        self.demo_check.setChecked(False)  # sample records only when asked for

        self.error_labels: dict[str, QLabel] = {}
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._add_field("name", self.tr("Agency name:"), self.name_edit, required=True)
        self._add_field("province", self.tr("Province or city:"), self.province_box,
                        required=True)  # fmt: skip
        self._add_field("parent_body", self.tr("Parent body:"), self.parent_body_edit)
        self._add_field("receiving_ministry", self.tr("Receiving ministry:"), self.ministry_edit)
        profile_form = self._form

        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username_edit")
        self.username_edit.setPlaceholderText(self.tr("e.g. lan.nguyen"))
        self.full_name_edit = QLineEdit()
        self.full_name_edit.setObjectName("full_name_edit")
        self.password_edit = password_edit("password_edit")
        self.repeat_edit = password_edit("repeat_edit")
        account_group = QGroupBox(self.tr("Administrator account"))
        account_layout = QVBoxLayout(account_group)
        account_intro = hint_label(
            self.tr(
                "The administrator manages the accounts of the staff and the settings. "
                "Each person then logs in with their own account. Leave these fields empty "
                "to work without logging in."
            )
        )
        account_layout.addWidget(account_intro)
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        account_layout.addLayout(self._form)
        self._add_field("username", self.tr("User name:"), self.username_edit)
        self._add_field("full_name", self.tr("Full name:"), self.full_name_edit)
        self._add_field("password", self.tr("Password:"), self.password_edit)
        self._add_field("password_repeat", self.tr("Repeat the password:"), self.repeat_edit)
        self._form = profile_form
        general_error = self._error_label("")
        required_hint = hint_label(self.tr("Fields marked * are required."))
        required_hint.setObjectName("required_hint")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(self._form)
        layout.addWidget(account_group)
        layout.addWidget(general_error)
        layout.addWidget(self.demo_check)
        layout.addWidget(required_hint)
        layout.addStretch(1)
        layout.addSpacing(6)
        layout.addWidget(buttons)

    @property
    def load_demo(self) -> bool:
        """Whether the user asked for demo data."""
        return self.demo_check.isChecked()

    def profile_data(self) -> ProfileData:
        """The profile as the fields now give it."""
        return ProfileData(
            name=self.name_edit.text(),
            province_code=self.province_box.currentData() or "",
            parent_body=self.parent_body_edit.text(),
            receiving_ministry=self.ministry_edit.text(),
        )

    def wants_account(self) -> bool:
        """Whether any administrator field is filled in."""
        edits = (self.username_edit, self.full_name_edit, self.password_edit, self.repeat_edit)
        return any(edit.text() for edit in edits)

    def _account_problems(self) -> list[Problem]:
        """What is wrong with the administrator fields, checked before anything is written."""
        problems: list[Problem] = []
        name = ""
        try:
            name = normalise_username(self.username_edit.text())
        except ValidationError as error:
            problems.extend(error.problems)
        try:
            check_password_policy(self.password_edit.text(), name or self.username_edit.text())
        except ValidationError as error:
            problems.extend(error.problems)
        if self.password_edit.text() != self.repeat_edit.text():
            problems.append(Problem("password_repeat", "mismatch", "the passwords differ"))
        return problems

    def accept(self) -> None:
        """Save the profile and the administrator and close, or show what is wrong and stay open."""
        self._show_problems([])
        wants_account = self.wants_account()
        account: Account | None = None
        try:
            with self._database.session() as session:
                problems = self._account_problems() if wants_account else []
                try:
                    set_profile(session, self.profile_data(), self._catalog)
                except ValidationError as error:
                    problems = [*error.problems, *problems]
                if problems:
                    raise ValidationError(problems)  # rolls the unit of work back
                if wants_account:
                    account = create_user(
                        session,
                        self.username_edit.text(),
                        self.password_edit.text(),
                        role=Role.ADMIN,
                        full_name=self.full_name_edit.text(),
                    )
        except ValidationError as error:
            self._show_problems(error.problems)
            return
        except StorageError as error:  # disk full, file locked…: say so, keep what was typed
            message = self.tr("The profile could not be saved: {reason}").format(reason=error)
            self._show_problems([Problem("", "storage", message)])
            return
        self.account = account
        super().accept()

    # --- errors --------------------------------------------------------------------------------
    def _error_label(self, field: str) -> QLabel:
        return error_label(field, self.error_labels)

    def _add_field(self, field: str, label: str, widget: QWidget, *,
                   required: bool = False) -> None:  # fmt: skip
        """A row for ``widget`` with its error message under it (hidden until needed); a
        required field's label ends with a red * as in the record forms."""
        label_widget = QLabel(f"{label}{REQUIRED_STAR}" if required else label)
        label_widget.setTextFormat(Qt.TextFormat.RichText)
        label_widget.setBuddy(widget)
        label_widget.setProperty("required", required)
        self._form.addRow(label_widget, with_error_label(widget, field, self.error_labels))

    def _show_problems(self, problems: list[Problem]) -> None:
        messages: dict[str, list[str]] = {}
        for problem in problems:
            field = problem.field if problem.field in self.error_labels else ""
            messages.setdefault(field, []).append(self.problem_text(problem))
        for field, label in self.error_labels.items():
            label.setText("\n".join(messages.get(field, [])))
            label.setVisible(field in messages)
        self.resize(self.width(), max(self.height(), self.heightForWidth(self.width())))
        first = next(iter(messages), None)
        focus = {
            "name": self.name_edit,
            "province": self.province_box,
            "parent_body": self.parent_body_edit,
            "receiving_ministry": self.ministry_edit,
            "username": self.username_edit,
            "full_name": self.full_name_edit,
            "password": self.password_edit,
            "password_repeat": self.repeat_edit,
        }.get(first or "")
        if focus is not None:
            focus.setFocus()

    def problem_text(self, problem: Problem) -> str:
        """A translated sentence for a problem the profile service reported."""
        if problem.field in ACCOUNT_FIELDS or problem.field == "role":
            return account_problem_text(problem)
        if problem.code == "required" and problem.field == "name":
            return self.tr("Enter the name of your agency.")
        if problem.code == "too_long":
            return self.tr("Use at most {maximum} characters.").format(maximum=NAME_MAX)
        if problem.code == "unknown_province":
            return self.tr("Choose your province or city from the list.")
        if problem.code == "province_change":
            return self.tr(
                "This database belongs to another province; its province cannot be changed."
            )
        if problem.code == "storage":
            return problem.message
        return str(problem)  # a problem this dialog does not know yet: the core's English
