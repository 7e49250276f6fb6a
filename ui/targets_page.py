"""Targets (chỉ tiêu): the province's targets per program node, indicator, and year or phase.

The page lists them in a table (filtered by program node), and adds, edits and deletes them
through the targets service on the database lane. The editor, :class:`TargetDialog`, shows the
core's validation messages next to the field they name, and the dashboard's figure for the
target it edits ("Achieved: 86,0%") so the user sees progress while typing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.catalog import Catalog, ProgramNode
from ctmt_desktop.errors import Problem, ValidationError
from ctmt_desktop.formatting import format_date, format_number, format_percent
from ctmt_desktop.services.indicators import IndicatorValue, compute_indicators, parse_scope
from ctmt_desktop.services.targets import (
    TargetData,
    check_target,
    delete_target,
    find_target,
    list_targets,
    period_years,
    set_target,
)
from ctmt_desktop.text import sort_key
from ui.context import AppContext
from ui.dashboard_page import value_text
from ui.db_lane import report_error
from ui.i18n import translate_buttons
from ui.style import icon

Index = QModelIndex | QPersistentModelIndex
# The role giving a cell's sort key (numbers as numbers, text in Vietnamese order).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
# Milliseconds of quiet before the dialog recomputes the achieved figure.
ACHIEVED_DELAY_MS = 150
_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


# --- plain data and helpers --------------------------------------------------------------------
@dataclass(frozen=True)
class TargetRow:
    """A target as the table shows it."""

    id: int
    program: str
    indicator: str
    period: str
    value: float
    note: str
    updated_by: str
    updated_at: datetime | None


def load_target_rows(
    session: Session, province: str, program: str | None = None
) -> list[TargetRow]:
    """The province's targets; with ``program``, those of the node and the nodes below it."""
    rows = []
    for target in list_targets(session, province):
        if program and not (target.program == program or target.program.startswith(program + ".")):
            continue
        rows.append(
            TargetRow(
                target.id,
                target.program,
                target.indicator,
                target.period,
                float(target.value),
                target.note or "",
                target.updated_by,
                target.updated_at,
            )
        )
    return rows


def parse_number(text: str) -> float | None:
    """A number typed the Vietnamese way (``86,5``, ``1.200``) or with a decimal point (``86.5``).

    A percent sign and spaces are ignored. None when the text is no number.
    """
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").removesuffix("%")
    if not cleaned:
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def editable_number(value: float) -> str:
    """A number as it is typed back into the value field: ``1.200``, ``86,5``."""
    if float(value).is_integer():
        return format_number(value)
    return format_number(value, 2).rstrip("0").rstrip(",")


def indicator_unit(catalog: Catalog, code: str) -> str:
    term = catalog.indicators.get(code)
    return str(term.extra.get("unit", "count")) if term else "count"


def node_periods(catalog: Catalog, node: ProgramNode) -> list[str]:
    """Periods a target of ``node`` may have: the phases of its program, then its years."""
    first, last = node.valid_from.year, node.valid_to.year
    root = catalog.program(node.program_code) or node
    phases = []
    for phase in root.phases:
        try:
            years = period_years(phase)
        except ValueError:
            continue
        if first <= years.start and years.stop - 1 <= last:
            phases.append(phase)
    return phases + [str(year) for year in range(first, last + 1)]


def period_label(period: str) -> str:
    """``2024`` -> "Year 2024"; ``2021-2025`` -> "Phase 2021-2025" (translated)."""
    if "-" in period:
        return QCoreApplication.translate("TargetsPage", "Phase {phase}").format(phase=period)
    return QCoreApplication.translate("TargetsPage", "Year {year}").format(year=period)


# --- the table model ---------------------------------------------------------------------------
class TargetTableModel(QAbstractTableModel):
    """The targets in a table: program node, indicator, period, target, note, changed by/at.

    Attributes:
        rows: the targets shown, as plain data.
    """

    COLUMNS = ("program", "indicator", "period", "value", "note", "updated_by", "updated_at")

    def __init__(self, catalog: Catalog, language: str = "vi", parent: Any = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._language = language
        self.rows: list[TargetRow] = []
        self._order = {code: index for index, code in enumerate(catalog.indicators)}

    def set_rows(self, rows: list[TargetRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_of(self, target_id: int) -> int:
        """The row of a target id, -1 when it is not shown."""
        return next((i for i, row in enumerate(self.rows) if row.id == target_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "program": self.tr("Program node"),
                "indicator": self.tr("Indicator"),
                "period": self.tr("Year or phase"),
                "value": self.tr("Target"),
                "note": self.tr("Note"),
                "updated_by": self.tr("Changed by"),
                "updated_at": self.tr("Changed at"),
            }[self.COLUMNS[section]]
        if role == Qt.ItemDataRole.TextAlignmentRole and self.COLUMNS[section] == "value":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == "value":
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            return self._sort_value(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _display(self, row: TargetRow, column: str) -> str:
        if column == "program":
            node = self._catalog.program(row.program)
            return f"{row.program} — {node.short_name or node.name}" if node else row.program
        if column == "indicator":
            term = self._catalog.indicators.get(row.indicator)
            return term.name(self._language) if term else row.indicator
        if column == "period":
            return row.period
        if column == "value":
            return value_text(row.value, indicator_unit(self._catalog, row.indicator))
        if column == "note":
            return row.note
        if column == "updated_by":
            return row.updated_by
        if column == "updated_at" and row.updated_at is not None:
            return f"{format_date(row.updated_at.date())} {row.updated_at:%H:%M}"
        return ""

    def _tooltip(self, row: TargetRow, column: str) -> str | None:
        if column == "program":
            node = self._catalog.program(row.program)
            return node.name if node else None
        if column == "indicator":
            return row.indicator
        if column == "note" and row.note:
            return row.note
        return None

    def _sort_value(self, row: TargetRow, column: str) -> Any:
        if column == "value":
            return row.value
        if column == "indicator":
            return self._order.get(row.indicator, len(self._order))
        if column == "updated_at":
            return row.updated_at.isoformat() if row.updated_at else ""
        if column in ("note", "updated_by"):
            return sort_key(self._display(row, column))
        return getattr(row, column)


# --- the page ----------------------------------------------------------------------------------
class TargetsPage(QWidget):
    """The province's targets: a table filtered by program node; add, edit, delete.

    Attributes:
        context: the shared state of the open database.
        program_box: the program filter (every program, or a node and the nodes below it).
        model: the targets as a table model; ``proxy`` sorts it for the view.
        view: the table.
        add_button, edit_button, delete_button: the actions.
        dialog: the editor while it is open.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.dialog: TargetDialog | None = None

        heading = QLabel(self.page_title())
        heading.setProperty("role", "heading")
        subtitle = QLabel(
            self.tr(
                "Targets per program node, for a year or a whole phase. The dashboard compares "
                "the figures of the records with them."
            )
        )
        subtitle.setProperty("role", "muted")
        subtitle.setWordWrap(True)

        self.program_box = QComboBox()
        self.program_box.setObjectName("target_program_filter")
        self.program_box.addItem(self.tr("All programs"), None)
        for node in context.catalog.programs.values():
            self.program_box.addItem(
                f"{'    ' * node.depth}{node.code} — {node.short_name or node.name}", node.code
            )
            self.program_box.setItemData(
                self.program_box.count() - 1, node.name, Qt.ItemDataRole.ToolTipRole
            )
        self.program_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.program_box.setMinimumContentsLength(20)
        self.program_box.view().setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)
        self.program_box.setMaxVisibleItems(24)
        self.program_box.currentIndexChanged.connect(self.refresh)

        self.add_button = QPushButton(icon("plus"), self.tr("Add target…"))
        self.add_button.setObjectName("add_target")
        self.add_button.setProperty("primary", True)
        self.add_button.clicked.connect(self.add_target)
        self.edit_button = QPushButton(icon("pencil"), self.tr("Edit…"))
        self.edit_button.setObjectName("edit_target")
        self.edit_button.clicked.connect(self.edit_target)
        self.delete_button = QPushButton(icon("trash-2"), self.tr("Delete"))
        self.delete_button.setObjectName("delete_target")
        self.delete_button.clicked.connect(self.delete_target)

        self.model = TargetTableModel(context.catalog, context.language, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = QTableView()
        self.view.setObjectName("targets_view")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        metrics = self.view.fontMetrics()
        widths = {  # in average characters
            "program": 34,
            "indicator": 40,
            "period": 10,
            "value": 10,
            "note": 24,
            "updated_by": 14,
            "updated_at": 16,
        }
        for column, name in enumerate(TargetTableModel.COLUMNS):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.averageCharWidth() * widths[name], metrics.horizontalAdvance(title))
            header.resizeSection(column, width + 24)
        header.setSectionResizeMode(
            TargetTableModel.COLUMNS.index("note"), QHeaderView.ResizeMode.Stretch
        )
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(lambda _index: self.edit_target())
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        QShortcut(QKeySequence.StandardKey.Delete, self.view, activated=self.delete_target)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.view, activated=self.edit_target)
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.add_target)

        self.count_label = QLabel()
        self.count_label.setObjectName("target_count")
        self.count_label.setProperty("role", "muted")

        tools = QHBoxLayout()
        tools.addWidget(QLabel(self.tr("Program:")))
        tools.addWidget(self.program_box, 1)
        tools.addStretch(1)
        tools.addWidget(self.add_button)
        tools.addWidget(self.edit_button)
        tools.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(subtitle)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        self.refresh()

    # --- the page interface --------------------------------------------------------------------
    def page_title(self) -> str:
        return self.tr("Targets")

    def refresh(self) -> None:
        """Read the targets again (a few hundred rows at most: milliseconds on this thread)."""
        selected = self.selected_row()
        with self.context.database.session() as session:
            rows = load_target_rows(session, self.context.province, self.program_filter())
        self.model.set_rows(rows)
        count = len(rows)
        self.count_label.setText(
            self.tr("No targets yet: add one with “Add target…”.")
            if count == 0 and self.program_filter() is None
            else self.tr("{count} targets").format(count=format_number(count))
        )
        if selected is not None:
            self.select_target(selected.id)
        self._update_buttons()

    def apply_params(self, params: dict[str, Any]) -> None:
        """Show the targets of ``params["program"]`` (None: every program)."""
        if "program" in params:
            index = self.program_box.findData(params["program"])
            self.program_box.setCurrentIndex(max(index, 0))
        self.refresh()

    # --- selection -----------------------------------------------------------------------------
    def program_filter(self) -> str | None:
        return self.program_box.currentData()

    def selected_row(self) -> TargetRow | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self.model.rows[source.row()] if source.isValid() else None

    def select_target(self, target_id: int) -> None:
        row = self.model.row_of(target_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.selectRow(index.row())
        self.view.scrollTo(index)

    def _update_buttons(self) -> None:
        chosen = self.selected_row() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    # --- actions -------------------------------------------------------------------------------
    def add_target(self) -> TargetDialog:
        """Open the editor for a new target (of the filtered program node, if any)."""
        return self._open_dialog(None)

    def edit_target(self) -> TargetDialog | None:
        """Open the editor on the selected target."""
        row = self.selected_row()
        return None if row is None else self._open_dialog(row)

    def _open_dialog(self, row: TargetRow | None) -> TargetDialog:
        dialog = TargetDialog(self.context, row, program=self.program_filter(), parent=self)
        dialog.saved.connect(self._on_saved)
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _forget_dialog(self, dialog: TargetDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _on_saved(self, target_id: int) -> None:
        if not shiboken6.isValid(self):
            return
        self.refresh()
        self.select_target(target_id)
        self.context.navigator.data_changed.emit()

    def delete_target(self) -> None:
        """Ask, then delete the selected target."""
        row = self.selected_row()
        if row is None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete target"))
        indicator = self.model.data(
            self.model.index(self.model.row_of(row.id), TargetTableModel.COLUMNS.index("indicator"))
        )
        box.setText(
            self.tr("Delete the target “{indicator}” of {program} for {period}?").format(
                indicator=indicator, program=row.program, period=row.period
            )
        )
        box.setInformativeText(self.tr("The dashboard will no longer compare with it."))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        translate_buttons(box)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        target_id, user = row.id, self.context.user

        def remove(session: Session, _progress: Callable[[int, int], bool]) -> None:
            delete_target(session, target_id, user=user)

        self.context.lane.run(remove, on_success=lambda _result: self._on_deleted())

    def _on_deleted(self) -> None:
        if not shiboken6.isValid(self):
            return
        self.refresh()
        self.context.navigator.data_changed.emit()


# --- the editor --------------------------------------------------------------------------------
class TargetDialog(QDialog):
    """Adds or edits one target; saves it through the targets service on the lane.

    Signals:
        saved(int): the target was saved (its id); the dialog then closes.

    Attributes:
        program_tree: the program nodes; the current item is the target's node.
        indicator_box: the indicators of the catalog, with their unit.
        period_box: the node's phases and years.
        value_edit: the target value (``86,5`` or ``1.200``); ``unit_label`` beside it.
        achieved_label: the dashboard's figure for this node, indicator and period.
        note_edit: a free note.
        error_labels: the message label under each field, by the service's field name
            (``""`` for problems that concern no field).
        buttons: Save and Cancel.
    """

    saved = Signal(int)

    def __init__(self, context: AppContext, target: TargetRow | None = None, *,
                 program: str | None = None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.context = context
        self.target = target
        self._request = 0
        self._achieved: IndicatorValue | None = None
        self._saving = False
        catalog = context.catalog
        self.setWindowTitle(self.tr("Edit target") if target else self.tr("New target"))
        self.setObjectName("target_dialog")

        self.program_tree = QTreeWidget()
        self.program_tree.setObjectName("program_tree")
        self.program_tree.setHeaderLabels([self.tr("Program node"), self.tr("Years")])
        self.program_tree.setUniformRowHeights(True)
        self.program_tree.setAlternatingRowColors(True)
        items: dict[str, QTreeWidgetItem] = {}
        for node in catalog.programs.values():
            parent_item = items.get(node.parent or "")
            item = QTreeWidgetItem([f"{node.code} — {node.short_name or node.name}",
                                    f"{node.valid_from.year}–{node.valid_to.year}"])  # fmt: skip
            item.setData(0, Qt.ItemDataRole.UserRole, node.code)
            item.setToolTip(0, node.name)
            if parent_item is None:
                self.program_tree.addTopLevelItem(item)
            else:
                parent_item.addChild(item)
            items[node.code] = item
        self._tree_items = items
        for code, item in items.items():
            node = catalog.programs[code]
            item.setExpanded(node.depth < 2 and node.valid_to >= date(2021, 1, 1))
        header = self.program_tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        metrics = self.fontMetrics()
        self.program_tree.setMinimumWidth(metrics.averageCharWidth() * 60)
        self.program_tree.setMinimumHeight(metrics.lineSpacing() * 20)

        self.indicator_box = QComboBox()
        self.indicator_box.setObjectName("indicator_box")
        for code, term in catalog.indicators.items():
            unit = "%" if term.extra.get("unit") == "percent" else self.tr("number")
            self.indicator_box.addItem(f"{term.name(context.language)} ({unit})", code)
        self.indicator_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.indicator_box.setMinimumContentsLength(30)
        self.period_box = QComboBox()
        self.period_box.setObjectName("period_box")
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("value_edit")
        self.value_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.value_edit.setMaximumWidth(metrics.averageCharWidth() * 18)
        self.unit_label = QLabel()
        self.unit_label.setObjectName("unit_label")
        self.unit_label.setProperty("role", "muted")
        self.achieved_label = QLabel()
        self.achieved_label.setObjectName("achieved_label")
        self.achieved_label.setWordWrap(True)
        self.achieved_label.setStyleSheet("color: #0f2747; font-weight: bold;")
        self.achieved_detail = QLabel()
        self.achieved_detail.setObjectName("achieved_detail")
        self.achieved_detail.setProperty("role", "muted")
        self.achieved_detail.setStyleSheet("color: #64748b;")
        self.achieved_detail.setWordWrap(True)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("note_edit")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(metrics.lineSpacing() * 4 + 12)

        self.error_labels: dict[str, QLabel] = {}
        value_row = QHBoxLayout()
        value_row.setContentsMargins(0, 0, 0, 0)
        value_row.addWidget(self.value_edit)
        value_row.addWidget(self.unit_label)
        value_row.addStretch(1)
        value_box = QWidget()
        value_box.setLayout(value_row)
        achieved_box = QWidget()
        achieved_layout = QVBoxLayout(achieved_box)
        achieved_layout.setContentsMargins(0, 0, 0, 0)
        achieved_layout.setSpacing(2)
        achieved_layout.addWidget(self.achieved_label)
        achieved_layout.addWidget(self.achieved_detail)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Indicator:"), self._with_error("indicator", self.indicator_box))
        form.addRow(self.tr("Year or phase:"), self._with_error("period", self.period_box))
        form.addRow(self.tr("Target:"), self._with_error("value", value_box))
        form.addRow(self.tr("Achieved:"), achieved_box)
        form.addRow(self.tr("Note:"), self._with_error("note", self.note_edit))

        tree_box = QVBoxLayout()
        tree_box.addWidget(self.program_tree, 1)
        tree_box.addWidget(self._error_label("program"))

        columns = QHBoxLayout()
        columns.addLayout(tree_box, 5)
        columns.addSpacing(12)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addStretch(1)
        columns.addLayout(right, 6)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self._error_label(""))
        layout.addWidget(self.buttons)

        self._achieved_timer = QTimer(self)
        self._achieved_timer.setSingleShot(True)
        self._achieved_timer.setInterval(ACHIEVED_DELAY_MS)
        self._achieved_timer.timeout.connect(self._compute_achieved)

        self.resize(metrics.averageCharWidth() * 150, metrics.lineSpacing() * 30)
        self._fill(target, program)
        self.program_tree.currentItemChanged.connect(self._on_node)
        self.indicator_box.currentIndexChanged.connect(self._on_indicator)
        self.period_box.currentIndexChanged.connect(lambda _index: self._achieved_timer.start())
        self.value_edit.textChanged.connect(lambda _text: self._show_achieved())
        self._compute_achieved()

    # --- the fields ----------------------------------------------------------------------------
    def _fill(self, target: TargetRow | None, program: str | None) -> None:
        catalog = self.context.catalog
        code = target.program if target else program
        if code is None or code not in self._tree_items:
            this_year = date.today().year
            current = [
                n for n in catalog.programs.values() if n.parent is None
                and n.valid_from.year <= this_year <= n.valid_to.year
            ]  # fmt: skip
            code = current[0].code if current else next(iter(catalog.programs))
        item = self._tree_items[code]
        ancestor = item.parent()
        while ancestor is not None:
            ancestor.setExpanded(True)
            ancestor = ancestor.parent()
        self.program_tree.setCurrentItem(item)
        self.program_tree.scrollToItem(item)
        self._fill_periods(target.period if target else None)
        if target is not None:
            self.indicator_box.setCurrentIndex(
                max(self.indicator_box.findData(target.indicator), 0)
            )
            self.value_edit.setText(editable_number(target.value))
            self.note_edit.setPlainText(target.note)
        self._show_unit()

    def _fill_periods(self, wanted: str | None = None) -> None:
        """The periods of the chosen node; keeps the chosen one (or ``wanted``) when offered."""
        keep = wanted or self.period_box.currentData()
        node = self.context.catalog.program(self.program_code())
        self.period_box.blockSignals(True)
        self.period_box.clear()
        periods = node_periods(self.context.catalog, node) if node else []
        for period in periods:
            self.period_box.addItem(period_label(period), period)
        if keep and keep not in periods:  # a target of an old catalog stays editable
            self.period_box.addItem(period_label(keep), keep)
        index = self.period_box.findData(keep) if keep else -1
        if index < 0:
            index = self.period_box.findData(str(date.today().year))
        self.period_box.setCurrentIndex(max(index, 0))
        self.period_box.blockSignals(False)

    def _show_unit(self) -> None:
        if self.unit() == "percent":
            self.unit_label.setText(self.tr("% (at most 100)"))
        else:
            self.unit_label.setText(self.tr("number"))

    def _on_node(self) -> None:
        self._fill_periods()
        self._achieved_timer.start()

    def _on_indicator(self) -> None:
        self._show_unit()
        self._achieved_timer.start()

    def program_code(self) -> str:
        item = self.program_tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else ""

    def unit(self) -> str:
        return indicator_unit(self.context.catalog, self.indicator_box.currentData() or "")

    def target_data(self) -> TargetData | None:
        """The target as the fields give it; None when the value is not a number."""
        value = parse_number(self.value_edit.text())
        if value is None:
            return None
        return TargetData(
            program=self.program_code(),
            indicator=self.indicator_box.currentData() or "",
            period=self.period_box.currentData() or "",
            value=value,
            note=self.note_edit.toPlainText(),
        )

    # --- the achieved figure -------------------------------------------------------------------
    def _compute_achieved(self) -> None:
        """Compute, on the lane, the dashboard's figure for the chosen node, indicator, period."""
        self._achieved_timer.stop()
        program, indicator = self.program_code(), self.indicator_box.currentData()
        period = self.period_box.currentData()
        if not (program and indicator and period):
            self._achieved = None
            self._show_achieved()
            return
        self._request += 1
        request = self._request
        catalog, province = self.context.catalog, self.context.province
        self.achieved_label.setText(self.tr("Calculating…"))
        self.achieved_detail.clear()

        def compute(session: Session, _progress: Callable[[int, int], bool]) -> IndicatorValue:
            values = compute_indicators(session, catalog, province, parse_scope(period), program)
            return next(value for value in values if value.code == indicator)

        self.context.lane.run(
            compute,
            on_success=lambda value: self._on_achieved(request, value),
            on_error=lambda _error: self._on_achieved(request, None),
        )

    def _on_achieved(self, request: int, value: IndicatorValue | None) -> None:
        if not shiboken6.isValid(self) or request != self._request:
            return
        self._achieved = value
        self._show_achieved()

    def _show_achieved(self) -> None:
        """The figure beside the target (the form labels it "Achieved:"), with the share of the
        typed target it reaches."""
        value = self._achieved
        if value is None:
            self.achieved_label.setText("—")
            self.achieved_detail.clear()
            return
        if value.value is None:
            self.achieved_label.setText("—")
            self.achieved_detail.setText(self.tr("No records to compute it from yet."))
            self.achieved_detail.show()
            return
        self.achieved_label.setText(value_text(value.value, value.unit))
        typed = parse_number(self.value_edit.text())
        details = []
        if value.denominator is not None:
            details.append(
                self.tr("computed from {numerator} / {denominator}").format(
                    numerator=format_number(value.numerator),
                    denominator=format_number(value.denominator),
                )
            )
        if typed:
            details.append(
                self.tr("{share} of this target").format(
                    share=format_percent(100 * value.value / typed)
                )
            )
        self.achieved_detail.setText(" · ".join(details))
        self.achieved_detail.setVisible(bool(details))

    # --- saving --------------------------------------------------------------------------------
    def save(self) -> None:
        """Check the fields, then save on the lane; close when saved, else show the problems."""
        if self._saving:
            return
        self._show_problems([])
        data = self.target_data()
        if data is None:
            self._show_problems([Problem("value", "invalid", "not a number")])
            return
        try:
            check_target(data, self.context.catalog)
        except ValidationError as error:
            self._show_problems(error.problems)
            return
        if not self._confirm_replace(data):
            return
        self._saving = True
        self.buttons.setEnabled(False)
        province, user, catalog = self.context.province, self.context.user, self.context.catalog
        # A target moved to another node, indicator or period leaves its old place; one that
        # stays is changed in place (the audit trail then says "changed").
        original = self.target
        replaced = None
        if original is not None and (original.program, original.indicator, original.period) != (
            data.program,
            data.indicator,
            data.period,
        ):
            replaced = original.id

        def write(session: Session, _progress: Callable[[int, int], bool]) -> int:
            if replaced is not None:
                delete_target(session, replaced, user=user)
                session.flush()
            return set_target(session, catalog, province, data, user=user).id

        self.context.lane.run(write, on_success=self._on_saved, on_error=self._on_save_failed)

    def _confirm_replace(self, data: TargetData) -> bool:
        """Ask before overwriting another target of the same node, indicator and period."""
        with self.context.database.session() as session:
            other = find_target(
                session, self.context.province, data.program, data.indicator, data.period
            )
            other_id = other.id if other is not None else None
            other_value = other.value if other is not None else 0.0
        if other_id is None or (self.target is not None and other_id == self.target.id):
            return True
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Replace target"))
        box.setText(
            self.tr(
                "{program} already has a target of {value} for this indicator in {period}. "
                "Replace it?"
            ).format(
                program=data.program,
                value=value_text(other_value, self.unit()),
                period=data.period,
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        translate_buttons(box)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _on_saved(self, target_id: int) -> None:
        if not shiboken6.isValid(self):
            return
        self._saving = False
        self.buttons.setEnabled(True)
        self.saved.emit(target_id)
        self.accept()

    def _on_save_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._saving = False
        self.buttons.setEnabled(True)
        if isinstance(error, ValidationError):
            self._show_problems(error.problems)
        else:
            report_error(self, error)

    # --- problems ------------------------------------------------------------------------------
    def _error_label(self, field: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"{field or 'general'}_error")
        label.setProperty("role", "error")
        label.setStyleSheet("color: #b91c1c;")
        label.setWordWrap(True)
        label.hide()
        self.error_labels[field] = label
        return label

    def _with_error(self, field: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self._error_label(field))
        return box

    def _field_widget(self, field: str) -> QWidget | None:
        return {
            "program": self.program_tree,
            "indicator": self.indicator_box,
            "period": self.period_box,
            "value": self.value_edit,
            "note": self.note_edit,
        }.get(field)

    def _show_problems(self, problems: list[Problem]) -> None:
        messages: dict[str, list[str]] = {}
        for problem in problems:
            field = problem.field if problem.field in self.error_labels else ""
            messages.setdefault(field, []).append(self.problem_text(problem))
        for field, label in self.error_labels.items():
            label.setText("\n".join(messages.get(field, [])))
            label.setVisible(field in messages)
            widget = self._field_widget(field)
            if widget is not None and bool(widget.property("invalid")) != (field in messages):
                widget.setProperty("invalid", field in messages)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        first = next(iter(messages), None)
        widget = self._field_widget(first or "")
        if widget is not None:
            widget.setFocus()

    def problem_text(self, problem: Problem) -> str:
        """A translated sentence for a problem the targets service reported."""
        node = self.context.catalog.program(self.program_code())
        texts = {
            ("program", "unknown_code"): self.tr("Choose a program node in the tree."),
            ("indicator", "unknown_code"): self.tr("Choose an indicator from the list."),
            ("period", "invalid"): self.tr("Choose a year or a phase."),
            ("period", "program_not_valid"): self.tr(
                "This node runs from {first} to {last}: choose a year or phase inside it."
            ).format(
                first=node.valid_from.year if node else "", last=node.valid_to.year if node else ""
            ),
            ("value", "invalid"): self.tr("Enter a number, e.g. 86,5 or 1.200."),
            ("value", "negative"): self.tr("A target cannot be negative."),
            ("value", "too_large"): self.tr("A percentage cannot be more than 100."),
        }
        return texts.get((problem.field, problem.code), str(problem))
