"""The ministry desk's settings: the interface language, the ministry's name (kept in the
store, printed on the national report) and where the store is."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.ministry.store import init_store
from ui.db_lane import Progress, report_error
from ui.form_columns import FIELD_MAX_WIDTH, align_form_labels
from ui.ministry.common import MinistryContext, alive
from ui.style import icon
from ui.widgets import error_label, hint_label

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


class MinistrySettingsPage(QWidget):
    """Language, the ministry's name, the store.

    Signals:
        language_changed(str): the user chose another language (``vi`` or ``en``).
        name_changed(str): the ministry's name was saved in the store.

    Attributes:
        language_box, name_edit: the choices.
        error_labels: the message under the name, at ``name``.
    """

    language_changed = Signal(str)
    name_changed = Signal(str)

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.error_labels: dict[str, QLabel] = {}

        heading = QLabel(self.page_title())
        heading.setProperty("role", "heading")

        self.language_box = QComboBox()
        self.language_box.setObjectName("language_box")
        for code, name in LANGUAGE_NAMES.items():
            self.language_box.addItem(name, code)
        self.language_box.setCurrentIndex(max(self.language_box.findData(context.language), 0))
        self.language_box.currentIndexChanged.connect(self._on_language)
        language_group = QGroupBox(self.tr("Language"))
        language_form = QFormLayout(language_group)
        language_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        language_form.addRow(self.tr("Interface language:"), self.language_box)

        self.name_edit = QLineEdit(context.ministry_name)
        self.name_edit.setObjectName("ministry_name")
        save = QPushButton(icon("save"), self.tr("Save"))
        save.setObjectName("save_name")
        save.clicked.connect(self.save_name)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name_edit, 1)
        name_row.addWidget(save)
        name_column = QVBoxLayout()
        name_column.addLayout(name_row)
        name_column.addWidget(error_label("name", self.error_labels))
        name_column.addWidget(
            hint_label(
                self.tr(
                    "Printed at the head of the national report and kept in the store, so every "
                    "member of staff sees the same name."
                )
            )
        )
        ministry_group = QGroupBox(self.tr("The ministry"))
        ministry_form = QFormLayout(ministry_group)
        ministry_form.addRow(self.tr("Name:"), name_column)

        store = context.store
        location = QLabel(store.display)
        location.setObjectName("store_location")
        location.setWordWrap(True)
        location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        engine = self.tr("SQLite file") if store.is_sqlite else self.tr("PostgreSQL server")
        store_group = QGroupBox(self.tr("National store"))
        store_form = QFormLayout()
        store_form.addRow(self.tr("Kind:"), QLabel(engine))
        store_form.addRow(self.tr("Location:"), location)
        store_layout = QVBoxLayout(store_group)
        store_layout.addLayout(store_form)
        store_layout.addWidget(
            hint_label(
                self.tr(
                    "To open another store, start the app with --ministry --store followed by a "
                    "file path, or by postgresql+psycopg://user@server/database for a server "
                    "shared by several staff."
                )
            )
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading)
        layout.addWidget(language_group)
        layout.addWidget(ministry_group)
        layout.addWidget(store_group)
        layout.addStretch(1)
        for group in (language_group, ministry_group, store_group):
            group.setMaximumWidth(860)  # not stretched across a wide window
        self.name_edit.setMaximumWidth(FIELD_MAX_WIDTH)
        name_row.addStretch(1)
        self.label_width = align_form_labels(self)  # one label column for the three groups

    # --- the page interface --------------------------------------------------------------------
    def page_title(self) -> str:
        return self.tr("Settings")

    def refresh(self) -> None:
        """Nothing to reload."""

    def apply_params(self, params: dict[str, Any]) -> None:
        del params

    # --- actions -------------------------------------------------------------------------------
    def _on_language(self) -> None:
        language = self.language_box.currentData()
        if language != self.context.language:
            self.language_changed.emit(language)

    def save_name(self) -> None:
        """Keep the ministry's name in the store (on the lane)."""
        label = self.error_labels["name"]
        label.hide()
        name = " ".join(self.name_edit.text().split())
        if not name:
            label.setText(self.tr("Type the ministry's name."))
            label.show()
            return
        store, user = self.context.store, self.context.user

        def operation(session: Session, progress: Progress) -> str:
            del session, progress  # init_store runs its own unit of work
            init_store(store, name, user=user)
            return name

        self.context.lane.run(
            operation,
            on_success=self._saved,
            on_error=lambda error: report_error(self, error),
        )

    def _saved(self, name: str) -> None:
        if alive(self):
            self.name_edit.setText(name)
            self.name_changed.emit(name)
