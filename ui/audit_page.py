"""The audit trail page: who did what and when, newest first, a page at a time.

Filters (user, action, kind, date range, search with diacritics ignored) are the core's
(:func:`ctmt_desktop.audit.list_entries`); the search looks in what the core stored. Each
entry's summary is told in the interface language from its data (:mod:`ui.audit_text`),
the stored English sentence being its tooltip and a line of the details pane. The details
pane shows the values before and after the selected entry side by side under their field
labels, formatted like the rest of the app, the changed fields highlighted. Read-only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from ctmt_desktop.audit import ACTIONS, count_entries, entry_to_dict, list_entries
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db.models import AuditEntry
from ctmt_desktop.kinds import KIND_CODES, kind_spec
from ui.audit_text import AuditText
from ui.widgets import hint_label

PAGE_SIZE = 100
_OTHER_KINDS = ("target", "profile", "account", "period", "package", "backup")
_EMPTY_DATE = QDate(2000, 1, 1)
_CHANGED = QColor("#fff1b8")


class AuditModel(QAbstractTableModel):
    """One page of audit entries (as :func:`entry_to_dict` gives them), newest first."""

    def __init__(
        self, parent: QObject | None = None, language: str = "vi", catalog: Catalog | None = None
    ) -> None:
        super().__init__(parent)
        self._entries: list[dict[str, Any]] = []
        self._summaries: list[str] = []
        self.texts = AuditText(catalog, language, self)
        self._actions = self._action_table()
        self._kinds = self._kind_table(language)
        self._headers = (
            self.tr("Time"),
            self.tr("User"),
            self.tr("Action"),
            self.tr("Kind"),
            self.tr("Record id"),
            self.tr("Period"),
            self.tr("Summary"),
        )

    def _action_table(self) -> dict[str, str]:
        return {
            "create": self.tr("Created"),
            "update": self.tr("Changed"),
            "delete": self.tr("Deleted"),
            "import": self.tr("Imported"),
            "approve": self.tr("Approved"),
            "reopen": self.tr("Reopened"),
            "package": self.tr("Package made"),
            "sign": self.tr("Signed"),
            "restore": self.tr("Restored from a backup"),
            "backup": self.tr("Backed up"),
            "login": self.tr("Logged in"),
            "login_failed": self.tr("Login failed"),
            "logout": self.tr("Logged out"),
            "password_change": self.tr("Password changed"),
            "password_reset": self.tr("Password reset"),
            "account_create": self.tr("Account created"),
            "account_update": self.tr("Account changed"),
            "profile": self.tr("Agency profile saved"),
            "target": self.tr("Target changed"),
            "settings": self.tr("Settings changed"),
            "catalog": self.tr("Catalog installed"),
            "receipt": self.tr("Receipt of the ministry imported"),
            "ministry_certificate": self.tr("The ministry's certificate set"),
        }

    def _kind_table(self, language: str) -> dict[str, str]:
        names = {code: kind_spec(code).name(language) for code in KIND_CODES}
        names.update(
            {
                "target": self.tr("Target"),
                "profile": self.tr("Agency profile"),
                "account": self.tr("Account"),
                "period": self.tr("Period"),
                "package": self.tr("Package"),
                "backup": self.tr("Backup"),
            }
        )
        return names

    def set_entries(self, entries: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._summaries = [self._told(entry) for entry in self._entries]
        self.endResetModel()

    def entry(self, row: int) -> dict[str, Any]:
        return self._entries[row]

    def summary(self, row: int) -> str:
        """The summary of an entry in the interface language (see :mod:`ui.audit_text`)."""
        return self._summaries[row]

    def _told(self, entry: dict[str, Any]) -> str:
        """The summary in the interface language: told from the entry's data, else (an
        action this version cannot tell) from its action, kind, id and period, never the
        core's English sentence in another language."""
        told = self.texts.told(entry)
        if told is not None:
            return told
        stored = str(entry.get("summary") or "")
        if self.texts.language == "en" and stored:
            return stored
        parts = [self.action_name(entry["action"])]
        if entry.get("kind"):
            parts.append(self.kind_name(entry["kind"]))
        if entry.get("entity_id"):
            parts.append(f"#{entry['entity_id']}")
        if entry.get("period"):
            parts.append(self.tr("period {period}").format(period=entry["period"]))
        return " — ".join(parts)

    def tells_differently(self, row: int) -> bool:
        """Whether the stored sentence is worth showing beside the summary: only in English
        (the core stores English; another interface language shows none of it)."""
        stored = self._entries[row]["summary"]
        return self.texts.language == "en" and bool(stored) and stored != self._summaries[row]

    def stored_text(self, entry: dict[str, Any]) -> str:
        """The sentence the core stored with an entry, as a line to show under the summary."""
        return self.tr("Recorded as: {summary}").format(summary=entry["summary"])

    def action_name(self, action: str) -> str:
        return self._actions.get(action, action)

    def kind_name(self, kind: str | None) -> str:
        return self._kinds.get(kind, kind) if kind else ""

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 6:
                summary = self._summaries[index.row()]
                if self.tells_differently(index.row()):
                    return f"{summary}\n{self.stored_text(entry)}"
                return summary or None
            if index.column() in (2, 3):  # long names are elided in their columns
                return self._text(index.row(), index.column()) or None
        if role == Qt.ItemDataRole.UserRole:
            return entry["id"]
        return None

    def _text(self, row: int, column: int) -> str | None:
        entry = self._entries[row]
        if column == 0:
            return QDate.fromString(entry["at"][:10], "yyyy-MM-dd").toString("dd/MM/yyyy") + entry[
                "at"
            ][10:16].replace("T", " ")
        if column == 1:
            return entry["username"]
        if column == 2:
            return self.action_name(entry["action"])
        if column == 3:
            return self.kind_name(entry["kind"])
        if column == 4:
            return entry["entity_id"] or ""
        if column == 5:
            return entry["period"] or ""
        if column == 6:
            return self._summaries[row]
        return None


class AuditPage(QWidget):
    """Browse and filter the audit trail; see each entry's before and after."""

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._offset = 0
        self._total = 0

        heading = QLabel(self.page_title())
        heading.setProperty("role", "heading")

        self.model = AuditModel(self, context.language, context.catalog)
        self.user_box = QComboBox()
        self.user_box.setObjectName("audit_user")
        self.action_box = QComboBox()
        self.action_box.setObjectName("audit_action")
        self.action_box.addItem(self.tr("All actions"), None)
        for action in sorted(ACTIONS, key=self.model.action_name):
            self.action_box.addItem(self.model.action_name(action), action)
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("audit_kind")
        self.kind_box.addItem(self.tr("All kinds"), None)
        for kind in (*KIND_CODES, *_OTHER_KINDS):
            self.kind_box.addItem(self.model.kind_name(kind), kind)
        self.since_edit = self._date_edit("audit_since")
        self.until_edit = self._date_edit("audit_until")
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("audit_search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self.tr("Search (user, record, summary…)"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(300)
        self._search_timer.timeout.connect(self._filters_changed)
        self.search_edit.textChanged.connect(self._search_timer.start)
        for box in (self.user_box, self.action_box, self.kind_box):
            box.currentIndexChanged.connect(self._filters_changed)
        for edit in (self.since_edit, self.until_edit):
            edit.dateChanged.connect(self._filters_changed)
        clear = QPushButton(self.tr("Clear filters"))
        clear.clicked.connect(self.clear_filters)

        for box in (self.user_box, self.action_box, self.kind_box):
            # Long names must not widen the page beyond the screen: the list shows them whole.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(16)
        filters = QVBoxLayout()
        first_row, second_row = QHBoxLayout(), QHBoxLayout()
        first_row.addWidget(QLabel(self.tr("User:")))
        first_row.addWidget(self.user_box, 1)
        first_row.addWidget(QLabel(self.tr("Action:")))
        first_row.addWidget(self.action_box, 1)
        first_row.addWidget(QLabel(self.tr("Kind:")))
        first_row.addWidget(self.kind_box, 1)
        second_row.addWidget(QLabel(self.tr("From:")))
        second_row.addWidget(self.since_edit)
        second_row.addWidget(QLabel(self.tr("To:")))
        second_row.addWidget(self.until_edit)
        second_row.addWidget(self.search_edit, 1)
        second_row.addWidget(clear)
        filters.addLayout(first_row)
        filters.addLayout(second_row)

        self.table = QTableView()
        self.table.setObjectName("audit_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Summaries and long kind names wrap onto a second line rather than being cut.
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAlternatingRowColors(True)
        columns = self.table.horizontalHeader()
        columns.setStretchLastSection(True)
        for column in (0, 1, 4, 5):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (2, 3):  # longer action and kind names wrap (and show whole as tooltips)
            columns.resizeSection(column, 160)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)

        self.previous_button = QPushButton(self.tr("Newer"))
        self.previous_button.clicked.connect(lambda: self._go(-PAGE_SIZE))
        self.next_button = QPushButton(self.tr("Older"))
        self.next_button.clicked.connect(lambda: self._go(PAGE_SIZE))
        self.range_label = QLabel()
        self.range_label.setObjectName("audit_range")
        pager = QHBoxLayout()
        pager.addWidget(self.range_label, 1)
        pager.addWidget(self.previous_button)
        pager.addWidget(self.next_button)

        self.details_title = QLabel()
        self.details_title.setWordWrap(True)
        self.details_title.setObjectName("audit_details_title")
        self.details_stored = hint_label("")
        self.details_stored.setObjectName("audit_details_stored")
        self.details_stored.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QTableWidget(0, 3)
        self.details.setObjectName("audit_details")
        self.details.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Before"), self.tr("After")]
        )
        self.details.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.details.verticalHeader().hide()
        self.details.setWordWrap(True)
        header = self.details.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        details_box = QWidget()
        details_layout = QVBoxLayout(details_box)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.details_title)
        details_layout.addWidget(self.details_stored)
        details_layout.addWidget(self.details, 1)

        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        table_layout.addLayout(pager)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(table_box)
        splitter.addWidget(details_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self._fill_users()
        self.refresh()

    # --- the Page protocol ---------------------------------------------------------------------
    def page_title(self) -> str:
        return self.tr("Audit trail")

    def refresh(self) -> None:
        """Read the current page of entries again (the trail grows as people work)."""
        self._fill_users()
        filters = self.filters()
        with self.context.database.session() as session:
            self._total = count_entries(session, **filters)
            if self._offset >= self._total:
                self._offset = max(0, (self._total - 1) // PAGE_SIZE * PAGE_SIZE)
            entries = list_entries(session, **filters, offset=self._offset, limit=PAGE_SIZE)
            rows = [entry_to_dict(entry) for entry in entries]
        self.model.set_entries(rows)
        first = self._offset + 1 if rows else 0
        self.range_label.setText(
            self.tr("{first}–{last} of {total} entries").format(
                first=first, last=self._offset + len(rows), total=self._total
            )
        )
        self.previous_button.setEnabled(self._offset > 0)
        self.next_button.setEnabled(self._offset + len(rows) < self._total)
        if rows:
            self.table.selectRow(0)
        else:
            self._show_details(QModelIndex())

    def apply_params(self, params: dict[str, Any]) -> None:
        """``user``, ``action``, ``kind``, ``search``, ``since``/``until`` (dates)."""
        widgets = ((self.user_box, "user"), (self.action_box, "action"), (self.kind_box, "kind"))
        for box, key in widgets:
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(params.get(key))))
            box.blockSignals(False)
        for edit, key in ((self.since_edit, "since"), (self.until_edit, "until")):
            day = params.get(key)
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day) if day else _EMPTY_DATE)
            edit.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.setText(str(params.get("search", "")))
        self.search_edit.blockSignals(False)
        self._filters_changed()

    # --- filters -------------------------------------------------------------------------------
    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMinimumDate(_EMPTY_DATE)
        edit.setSpecialValueText(self.tr("any day"))
        edit.setDate(_EMPTY_DATE)
        return edit

    @staticmethod
    def _day(edit: QDateEdit) -> date | None:
        value = edit.date()
        if value == _EMPTY_DATE:
            return None
        return date(value.year(), value.month(), value.day())

    def filters(self) -> dict[str, Any]:
        """The filters chosen, as :func:`list_entries` takes them."""
        return {
            "user": self.user_box.currentData(),
            "action": self.action_box.currentData(),
            "kind": self.kind_box.currentData(),
            "since": self._day(self.since_edit),
            "until": self._day(self.until_edit),
            "search": self.search_edit.text().strip() or None,
        }

    def clear_filters(self) -> None:
        self.apply_params({})

    def _fill_users(self) -> None:
        with self.context.database.session() as session:
            users = sorted(set(session.scalars(select(AuditEntry.username).distinct())))
        chosen = self.user_box.currentData()
        self.user_box.blockSignals(True)
        self.user_box.clear()
        self.user_box.addItem(self.tr("Everyone"), None)
        for user in users:
            self.user_box.addItem(user, user)
        self.user_box.setCurrentIndex(max(0, self.user_box.findData(chosen)))
        self.user_box.blockSignals(False)

    def _filters_changed(self) -> None:
        self._search_timer.stop()
        self._offset = 0
        self.refresh()

    def _go(self, step: int) -> None:
        self._offset = max(0, self._offset + step)
        self.refresh()

    # --- details -------------------------------------------------------------------------------
    def _show_details(self, current: QModelIndex, _previous: object = None) -> None:
        self.details.setRowCount(0)
        if not current.isValid():
            self.details_title.setText(self.tr("Select an entry to see its values."))
            self.details_stored.clear()
            self.details_stored.hide()
            return
        row = current.row()
        entry = self.model.entry(row)
        self.details_title.setText(
            " — ".join(
                part
                for part in (
                    self.model.data(self.model.index(row, 0)),
                    entry["username"],
                    self.model.action_name(entry["action"]),
                    self.model.summary(row),
                )
                if part
            )
        )
        differs = self.model.tells_differently(row)
        self.details_stored.setText(self.model.stored_text(entry) if differs else "")
        self.details_stored.setVisible(differs)
        rows = self.model.texts.details(entry)
        bold = QFont(self.details.font())
        bold.setBold(True)
        self.details.setRowCount(len(rows))
        for number, detail in enumerate(rows):
            items = (
                QTableWidgetItem(detail.label),
                QTableWidgetItem(detail.before),
                QTableWidgetItem(detail.after),
            )
            items[0].setData(Qt.ItemDataRole.UserRole + 1, detail.name)
            for column, item in enumerate(items):
                item.setToolTip(item.text())
                if detail.changed:
                    item.setBackground(QBrush(_CHANGED))
                    item.setFont(bold)
                    item.setData(Qt.ItemDataRole.UserRole, True)
                self.details.setItem(number, column, item)
        self.details.resizeRowsToContents()
        changed = [number for number, detail in enumerate(rows) if detail.changed]
        if changed:  # a record has many fields: bring the first change into view
            self.details.updateGeometries()  # the scroll range of the rows just laid out
            self.details.scrollToItem(
                self.details.item(changed[0], 0), QAbstractItemView.ScrollHint.PositionAtCenter
            )

    def changed_fields(self) -> list[str]:
        """The fields highlighted in the details pane (their labels)."""
        return [
            self.details.item(row, 0).text()
            for row in range(self.details.rowCount())
            if self.details.item(row, 0).data(Qt.ItemDataRole.UserRole)
        ]
