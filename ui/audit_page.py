"""The audit trail page: who did what and when, newest first, a page at a time.

Filters (user, action, kind, date range, search with diacritics ignored) are the core's
(:func:`ctmt_desktop.audit.list_entries`); the details pane shows the values before and
after the selected entry side by side, the changed fields highlighted. Read-only.
"""

from __future__ import annotations

import json
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
from ctmt_desktop.db.models import AuditEntry
from ctmt_desktop.kinds import KIND_CODES, kind_spec

PAGE_SIZE = 100
_OTHER_KINDS = ("target", "profile", "account", "period", "package", "backup")
_EMPTY_DATE = QDate(2000, 1, 1)
_CHANGED = QColor("#fff1b8")


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class AuditModel(QAbstractTableModel):
    """One page of audit entries (as :func:`entry_to_dict` gives them), newest first."""

    def __init__(self, parent: QObject | None = None, language: str = "vi") -> None:
        super().__init__(parent)
        self._entries: list[dict[str, Any]] = []
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
        self.endResetModel()

    def entry(self, row: int) -> dict[str, Any]:
        return self._entries[row]

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
            return self._text(entry, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 6:
            return entry["summary"] or None
        if role == Qt.ItemDataRole.UserRole:
            return entry["id"]
        return None

    def _text(self, entry: dict[str, Any], column: int) -> str | None:
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
            return entry["summary"]
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

        self.model = AuditModel(self, context.language)
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
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
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
    def _field_label(self, kind: str | None, name: str) -> str:
        if kind in KIND_CODES:
            try:
                return kind_spec(kind).field(name).label(self.context.language)
            except KeyError:
                pass
        return name

    def _show_details(self, current: QModelIndex, _previous: object = None) -> None:
        self.details.setRowCount(0)
        if not current.isValid():
            self.details_title.setText(self.tr("Select an entry to see its values."))
            return
        entry = self.model.entry(current.row())
        self.details_title.setText(
            " — ".join(
                part
                for part in (
                    self.model.data(self.model.index(current.row(), 0)),
                    entry["username"],
                    self.model.action_name(entry["action"]),
                    entry["summary"],
                )
                if part
            )
        )
        before, after = entry["before"], entry["after"]
        if isinstance(before, dict) or isinstance(after, dict):
            old = before if isinstance(before, dict) else {}
            new = after if isinstance(after, dict) else {}
            names = list(old) + [name for name in new if name not in old]
            rows = [(self._field_label(entry["kind"], n), old.get(n), new.get(n)) for n in names]
        elif before is None and after is None:
            rows = []
        else:
            rows = [(self.tr("Value"), before, after)]
        both = before is not None and after is not None
        bold = QFont(self.details.font())
        bold.setBold(True)
        self.details.setRowCount(len(rows))
        for row, (label, old_value, new_value) in enumerate(rows):
            changed = both and old_value != new_value
            items = (
                QTableWidgetItem(label),
                QTableWidgetItem(_value_text(old_value)),
                QTableWidgetItem(_value_text(new_value)),
            )
            for column, item in enumerate(items):
                item.setToolTip(item.text())
                if changed:
                    item.setBackground(QBrush(_CHANGED))
                    item.setFont(bold)
                    item.setData(Qt.ItemDataRole.UserRole, True)
                self.details.setItem(row, column, item)
        self.details.resizeRowsToContents()

    def changed_fields(self) -> list[str]:
        """The fields highlighted in the details pane (their labels)."""
        return [
            self.details.item(row, 0).text()
            for row in range(self.details.rowCount())
            if self.details.item(row, 0).data(Qt.ItemDataRole.UserRole)
        ]
