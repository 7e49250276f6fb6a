"""The first-start dialog: who sends the reports, asked once when a database has no profile.

The dialog saves the agency profile through the profile service; when the service rejects the
input, each message appears under the field it names and nothing is saved.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.errors import Problem, StorageError, ValidationError
from ctmt_desktop.services.profile import NAME_MAX, ProfileData, set_profile
from ui.i18n import translate_buttons

ERROR_STYLE = "color: #b3261e;"


class FirstStartDialog(QDialog):
    """Asks the agency's name, province, parent body and receiving ministry; saves the profile.

    Attributes:
        name_edit, province_box, parent_body_edit, ministry_edit: the fields.
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
        self.demo_check.setChecked(offer_demo)

        self.error_labels: dict[str, QLabel] = {}
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._add_field("name", self.tr("Agency name:"), self.name_edit)
        self._add_field("province", self.tr("Province or city:"), self.province_box)
        self._add_field("parent_body", self.tr("Parent body:"), self.parent_body_edit)
        self._add_field("receiving_ministry", self.tr("Receiving ministry:"), self.ministry_edit)
        general_error = self._error_label("")

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
        layout.addWidget(general_error)
        layout.addWidget(self.demo_check)
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

    def accept(self) -> None:
        """Save the profile and close, or show what is wrong and stay open."""
        self._show_problems([])
        try:
            with self._database.session() as session:
                set_profile(session, self.profile_data(), self._catalog)
        except ValidationError as error:
            self._show_problems(error.problems)
            return
        except StorageError as error:  # disk full, file locked…: say so, keep what was typed
            message = self.tr("The profile could not be saved: {reason}").format(reason=error)
            self._show_problems([Problem("", "storage", message)])
            return
        super().accept()

    # --- errors --------------------------------------------------------------------------------
    def _error_label(self, field: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"{field or 'general'}_error")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        self.error_labels[field] = label
        return label

    def _add_field(self, field: str, label: str, widget: QWidget) -> None:
        """A row for ``widget`` with its error message under it (hidden until needed)."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self._error_label(field))
        self._form.addRow(label, box)

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
        }.get(first or "")
        if focus is not None:
            focus.setFocus()

    def problem_text(self, problem: Problem) -> str:
        """A translated sentence for a problem the profile service reported."""
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
