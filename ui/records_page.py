"""The page of one activity kind: its records in a table that pages, searches, filters and
sorts through the core, with the actions to add, edit, duplicate and delete them.

Filters: period (year, then the whole year, a half or a quarter), program node (and below),
commune (a current commune also finds the legacy communes merged into it), status. The
dashboard clicks through with :meth:`RecordsPage.apply_params`. The table's column widths and
the columns the user hid are remembered per kind.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProxyStyle,
    QPushButton,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionHeader,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ctmt_desktop.errors import NotFoundError
from ctmt_desktop.formatting import format_date, format_money, format_number
from ctmt_desktop.kinds import FieldType, kind_spec
from ctmt_desktop.periods import PeriodError, parse_period, parse_scope
from ctmt_desktop.services.records import delete_record
from ui import app_settings
from ui.context import AppContext
from ui.db_lane import Progress, report_error
from ui.records_model import RecordTableModel
from ui.style import icon
from ui.widgets import CommunePicker, ask_confirmation, ignore_wheel_unless_focused

if TYPE_CHECKING:  # the form is imported when the first one opens; the ORM on the lane
    from sqlalchemy.orm import Session

    from ui.record_form import RecordForm

#: Milliseconds of quiet typing before the search runs (one query, not one per keystroke).
SEARCH_DELAY_MS = 200
FIRST_YEAR = 2016
_PARTS = ("", "H1", "H2", "Q1", "Q2", "Q3", "Q4")

# Sample texts that size the columns: about as wide as the values they will hold.
_SAMPLE_OF_TYPE = {
    FieldType.DATE: format_date(date(2025, 12, 31)),
    FieldType.INT: format_number(99_999),
    FieldType.MONEY: format_money(9_999_999_999),
    FieldType.BOOL: "Không",
}
_SAMPLE_OF_FIELD = {
    "title": "x" * 44,
    "places": "x" * 22,
    "program": "GNBV21.DA6.TDA1.ND1",
    "status": "Đã xác nhận",
    "outlet": "x" * 24,
    "border_gate": "x" * 24,
    "notes": "x" * 30,
    "implementing_unit": "x" * 24,
    "updated_at": "31/12/2025 23:59",
    "year": "2025",
    "year_in_service": "2025",
    "indicators": "4/4",
    "evidence": "99",
}
#: The least a column of these types is sized for, whatever the first page holds.
_FLOOR_OF_TYPE = {
    FieldType.DATE: format_date(date(2025, 12, 31)),
    FieldType.MONEY: format_money(999_999_999),
    FieldType.BOOL: "Không",
}
#: Widest a text column starts (it can be dragged wider; the title takes what is left).
_MAX_START_WIDTH = 170
#: Narrowest the stretching title column gets before the table scrolls sideways.
_MIN_TITLE_WIDTH = 220
#: Rows of the first page whose texts size the columns.
_SIZING_ROWS = 100


class SortArrowStyle(QProxyStyle):
    """Draws a header's sort arrow as Windows and Excel do: ▲ ascending, ▼ descending.

    QHeaderView marks ascending order ``SortDown`` and Fusion (the app's style on every
    system) draws ``SortDown`` as a downward arrow; this swaps the two before Fusion draws.
    """

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: Any, widget: QWidget | None = None) -> None:  # fmt: skip
        if (
            element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow
            and isinstance(option, QStyleOptionHeader)
            and self.baseStyle().name().lower() == "fusion"  # Windows' own style draws ▲ right
        ):
            flipped = QStyleOptionHeader(option)
            if option.sortIndicator == QStyleOptionHeader.SortIndicator.SortDown:
                flipped.sortIndicator = QStyleOptionHeader.SortIndicator.SortUp
            elif option.sortIndicator == QStyleOptionHeader.SortIndicator.SortUp:
                flipped.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
            option = flipped
        super().drawPrimitive(element, option, painter, widget)


class RecordsPage(QWidget):
    """The records of one kind.

    Signals:
        records_changed(): a record was added, changed or deleted from this page.

    Attributes:
        kind: the activity kind.
        model: the table model.
        view: the table.
        search_box: search-as-you-type (Ctrl+F).
        year_box, part_box, program_box, place_picker, status_box: the filters.
        clear_button: clears the search and every filter.
        count_label: "shown / total records".
        new_action, edit_action, duplicate_action, delete_action: the record actions.
        columns_button: the menu of columns to show or hide.
        form: the record form opened last (None before the first).
    """

    records_changed = Signal()
    list_saved = Signal(object)

    def __init__(self, context: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.spec = kind_spec(kind)
        self.kind = self.spec.code
        self._language = context.language
        self._applying = False
        self._ignore_refresh = False
        self._phase: str | None = None
        self.form: RecordForm | None = None

        self.model = RecordTableModel(
            context.database, self.kind, context.catalog, language=self._language, parent=self
        )
        self.model.counts_changed.connect(self._show_counts)
        self.model.hidden_changed.connect(self._on_hidden_changed)

        heading = QLabel(self.page_title())
        heading.setObjectName("page_heading")
        heading.setProperty("role", "heading")

        self.count_label = QLabel()
        self.count_label.setObjectName("record_count")
        self.count_label.setProperty("role", "muted")
        self._make_actions()
        toolbar = self._make_toolbar()
        filters = self._make_filters()
        self.view = self._make_view()
        self._ids_label = QLabel()
        self._ids_label.setObjectName("ids_filter")
        self._ids_label.setVisible(False)

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.count_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self._ids_label)
        bottom.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(toolbar)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        self._restore_columns()
        self._show_counts(self.model.shown_count, self.model.total_count)
        self._update_actions()

    # --- what the window asks ------------------------------------------------------------------
    def page_title(self) -> str:
        return self.spec.name(self._language)

    def refresh(self) -> None:
        """Read the records again, keeping the scroll position and the selected record."""
        if self._ignore_refresh:
            return
        selected = self.selected_ids()
        scroll = self.view.verticalScrollBar().value()
        self.model.refresh()
        self.view.verticalScrollBar().setValue(scroll)
        if selected:
            self.select_record(selected[0], scroll_to=False)

    def apply_params(self, params: dict[str, Any]) -> None:
        """Show the records a click-through asks for; every filter not named is cleared.

        Keys: ``period`` (``2024``, ``2024-H1``, ``2024-Q3``), ``program`` (a node code),
        ``place`` (a unit code), ``status``, ``search`` and ``ids`` (record ids).
        """
        self._applying = True
        try:
            self._reset_filter_widgets()
            period = params.get("period")
            if period:
                try:
                    parsed = parse_period(str(period))
                except PeriodError:  # a program phase such as 2021-2025, from the dashboard
                    self._phase = parse_scope(str(period)).code
                else:
                    self._ensure_year(parsed.year)
                    self.year_box.setCurrentIndex(self.year_box.findData(parsed.year))
                    part = parsed.code.partition("-")[2]
                    self.part_box.setCurrentIndex(self.part_box.findData(part))
            if params.get("program"):
                self._set_combo(self.program_box, params["program"])
            if params.get("place"):
                self.place_picker.set_codes([str(params["place"])])
            if params.get("status"):
                self._set_combo(self.status_box, params["status"])
            self.search_box.setText(str(params.get("search") or ""))
            ids = params.get("ids")
            self._ids = None if ids is None else tuple(int(i) for i in ids)
        finally:
            self._applying = False
        self._search_timer.stop()
        self.model.set_search(self.search_box.text())
        self._apply_filters()

    def shown_columns(self) -> list[str]:
        """The fields of the visible columns, in the table's order."""
        header = self.view.horizontalHeader()
        columns = sorted(range(len(self.model.fields)), key=header.visualIndex)
        names = [self.model.fields[c].name for c in columns if not header.isSectionHidden(c)]
        from ctmt_desktop.reports.figures import list_columns  # the report's, when asked

        return [name for name in names if name in list_columns(self.kind)]

    def export_list(self, fmt: str, path: Path | None = None) -> None:
        """Save what the table shows (its search, filters, order and visible columns) as a
        PDF list report or an Excel sheet; ``path`` skips the file dialog."""
        if path is None:
            pdf = fmt == "pdf"
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Save the list"),
                f"danh-sach-{self.kind}.{fmt}",
                self.tr("PDF document (*.pdf)") if pdf else self.tr("Excel workbook (*.xlsx)"),
            )
            if not chosen:
                return
            path = Path(chosen).with_suffix(f".{fmt}")
        query = replace(self.model.query, offset=0, limit=None)
        columns = self.shown_columns()
        context, kind, target = self.context, self.kind, path

        def operation(session: Session, progress: Progress) -> Path:
            if fmt == "pdf":
                from ctmt_desktop.reports.figures import build_list_report
                from ctmt_desktop.reports.pdf import render_list_pdf

                report = build_list_report(session, context.catalog, kind, query, columns)
                render_list_pdf(report, target)
            else:
                from ctmt_desktop.spreadsheets.export import export_records

                export_records(
                    session,
                    context.catalog,
                    target,
                    kinds=[kind],
                    query=query,
                    columns={kind: columns},
                )
            return target

        context.lane.run(
            operation,
            on_success=self.list_saved.emit,
            label=self.tr("Saving the list…"),
            parent=self,
        )

    def save_settings(self) -> None:
        """Remember the column widths, order, sort and hidden columns of this kind."""
        settings = app_settings()
        settings.setValue(self._header_key(), self.view.horizontalHeader().saveState())
        settings.setValue(self._hidden_key(), sorted(self.model.hidden_fields) or ["-"])
        settings.sync()

    # --- actions -------------------------------------------------------------------------------
    def _make_actions(self) -> None:
        self.new_action = QAction(icon("plus"), self.tr("New"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setToolTip(self.tr("Add a record (Ctrl+N)"))
        self.new_action.triggered.connect(lambda: self.new_record())
        self.edit_action = QAction(icon("pencil"), self.tr("Edit"), self)
        self.edit_action.setToolTip(self.tr("Edit the selected record (Enter or double-click)"))
        self.edit_action.triggered.connect(lambda: self.edit_record())
        self.duplicate_action = QAction(icon("copy"), self.tr("Duplicate as new"), self)
        self.duplicate_action.setToolTip(
            self.tr("Open a new record filled with the selected one's values")
        )
        self.duplicate_action.triggered.connect(lambda: self.duplicate_record())
        self.delete_action = QAction(icon("trash-2"), self.tr("Delete"), self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.setToolTip(self.tr("Delete the selected records (Delete)"))
        self.delete_action.triggered.connect(lambda: self.delete_selected())
        find = QAction(self.tr("Search"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_search)
        # Window-wide while the page is shown (hidden pages' shortcuts do not fire).
        for action in (self.new_action, find):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

    def _tool_button(self, action: QAction, name: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def _make_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        new_button = self._tool_button(self.new_action, "new_button")
        new_button.setProperty("primary", True)
        row.addWidget(new_button)
        row.addWidget(self._tool_button(self.edit_action, "edit_button"))
        row.addWidget(self._tool_button(self.duplicate_action, "duplicate_button"))
        row.addWidget(self._tool_button(self.delete_action, "delete_button"))
        row.addSpacing(8)
        self.print_action = QAction(icon("printer"), self.tr("Print list…"), self)
        self.print_action.setToolTip(
            self.tr("A PDF of the records shown, with these filters and columns")
        )
        self.print_action.triggered.connect(lambda: self.export_list("pdf"))
        self.excel_action = QAction(icon("file-spreadsheet"), self.tr("Export to Excel…"), self)
        self.excel_action.triggered.connect(lambda: self.export_list("xlsx"))
        row.addWidget(self._tool_button(self.print_action, "print_list_button"))
        row.addWidget(self._tool_button(self.excel_action, "excel_button"))
        self.columns_button = QToolButton()
        self.columns_button.setObjectName("columns_button")
        self.columns_button.setText(self.tr("Columns…"))
        self.columns_button.setIcon(icon("columns-3"))
        self.columns_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.columns_menu = QMenu(self.columns_button)
        self.columns_menu.aboutToShow.connect(self._fill_columns_menu)
        self.columns_button.setMenu(self.columns_menu)
        row.addWidget(self.columns_button)
        row.addStretch(1)

        self.search_box = QLineEdit()
        self.search_box.setObjectName("search_box")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_box.setPlaceholderText(self.tr("Search title, place, unit or program code"))
        self.search_box.setToolTip(
            self.tr("Search (Ctrl+F). Accents and capitals do not matter: “duc” finds “Đức”.")
        )
        self.search_box.setMinimumWidth(self.search_box.fontMetrics().horizontalAdvance("x" * 32))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_box.textChanged.connect(self._on_search_typed)
        self.search_box.returnPressed.connect(self._apply_search)
        row.addWidget(self.search_box, 1)
        return row

    def _make_filters(self) -> QHBoxLayout:
        self._ids: tuple[int, ...] | None = None
        self.year_box = QComboBox()
        self.year_box.setObjectName("year_filter")
        self.year_box.addItem(self.tr("Year: all"), None)
        for year in range(max(date.today().year, 2026), FIRST_YEAR - 1, -1):
            self.year_box.addItem(str(year), year)
        self.part_box = QComboBox()
        self.part_box.setObjectName("part_filter")
        part_names = {
            "": self.tr("Whole year"),
            "H1": self.tr("First 6 months"),
            "H2": self.tr("Last 6 months"),
            "Q1": self.tr("Quarter 1"),
            "Q2": self.tr("Quarter 2"),
            "Q3": self.tr("Quarter 3"),
            "Q4": self.tr("Quarter 4"),
        }
        for part in _PARTS:
            self.part_box.addItem(part_names[part], part)
        self.part_box.setEnabled(False)

        self.program_box = QComboBox()
        self.program_box.setObjectName("program_filter")
        self.program_box.addItem(self.tr("All programs"), None)
        for node in self.context.catalog.programs.values():
            indent = "    " * node.depth
            self.program_box.addItem(f"{indent}{node.code} — {node.name}", node.code)
            self.program_box.setItemData(
                self.program_box.count() - 1,
                f"{node.code}\n{node.name}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.program_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.program_box.setMinimumContentsLength(16)
        self.program_box.view().setMinimumWidth(
            self.program_box.fontMetrics().horizontalAdvance("x" * 90)
        )
        self.program_box.setMaxVisibleItems(24)

        self.place_picker = CommunePicker(
            self.context.catalog, self.context.province, multiple=False, legacy=True
        )
        self.place_picker.setObjectName("place_filter")
        self.place_picker.search_box.setPlaceholderText(self.tr("All communes"))
        self.place_picker.setMinimumWidth(
            self.place_picker.fontMetrics().horizontalAdvance("x" * 20)
        )

        self.status_box = QComboBox()
        self.status_box.setObjectName("status_filter")
        self.status_box.addItem(self.tr("All statuses"), None)
        for code, term in self.context.catalog.vocabulary("record_statuses").items():
            self.status_box.addItem(term.name(self._language), code)

        for combo in (self.year_box, self.part_box, self.program_box, self.status_box):
            ignore_wheel_unless_focused(combo)
        self.year_box.currentIndexChanged.connect(self._on_year_changed)
        self.part_box.currentIndexChanged.connect(self._on_filter_changed)
        self.program_box.currentIndexChanged.connect(self._on_filter_changed)
        self.status_box.currentIndexChanged.connect(self._on_filter_changed)
        self.place_picker.changed.connect(self._on_filter_changed)

        self.clear_button = QPushButton(icon("x"), self.tr("Clear filters"))
        self.clear_button.setObjectName("clear_filters")
        self.clear_button.clicked.connect(self.clear_filters)

        row = QHBoxLayout()
        row.setSpacing(6)
        filter_icon = QLabel()
        filter_icon.setPixmap(icon("filter").pixmap(16, 16))
        row.addWidget(filter_icon)
        # Each filter says what it filters by its "All …" entry; the tooltips say it in full.
        for tooltip, widget, stretch in (
            (self.tr("Period: a year, then the whole year, a half or a quarter"), self.year_box, 0),
            (self.tr("Part of the year"), self.part_box, 0),
            (self.tr("Program node (and the nodes below it)"), self.program_box, 3),
            (
                self.tr("Commune (a current commune also finds the communes merged into it)"),
                self.place_picker,
                2,
            ),
            (self.tr("Status of the records"), self.status_box, 0),
        ):
            widget.setToolTip(tooltip)
            widget.setAccessibleName(tooltip)
            row.addWidget(widget, stretch)
        row.addSpacing(4)
        row.addWidget(self.clear_button)
        return row

    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setObjectName("records_view")
        view.setModel(self.model)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = view.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(view.fontMetrics().height() + 12)
        header = view.horizontalHeader()
        base = QStyleFactory.create(QApplication.style().name()) or QStyleFactory.create("Fusion")
        self._arrow_style = SortArrowStyle(base)  # kept: the header does not own its style
        header.setStyle(self._arrow_style)
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_header_menu)
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        header.setMinimumSectionSize(view.fontMetrics().averageCharWidth() * 4)
        self._size_columns(view)
        # The newest records first until the user picks another order.
        self._sort_column = self.model.column_of("start_date")
        self._sort_order = Qt.SortOrder.DescendingOrder
        header.setSortIndicator(self._sort_column, self._sort_order)
        view.setSortingEnabled(True)
        view.activated.connect(lambda _index: self.edit_record())
        view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.model.modelReset.connect(self._update_actions)
        view.addAction(self.delete_action)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._show_row_menu)
        return view

    def _size_columns(self, view: QTableView) -> None:
        """Fit each column to its heading and its values (the first page's, or a sample of
        the values it will hold); the title column stretches over the width left.

        Figures are never cut: number columns are as wide as their widest value. Text
        columns start at most :data:`_MAX_START_WIDTH` wide, elided, their tooltip saying all.
        """
        header = view.horizontalHeader()
        metrics = view.fontMetrics()
        bold = header.font()
        bold.setBold(True)  # the stylesheet's headings are bold
        heading_metrics = type(metrics)(bold)
        cell_padding = metrics.averageCharWidth() + 8
        heading_padding = 30  # the stylesheet's 2 × 6 px margins and the sort arrow
        rows = min(self.model.rowCount(), _SIZING_ROWS)
        for column, field in enumerate(self.model.fields):
            hidden = self.model.is_hidden(field.name)
            header.setSectionHidden(column, hidden)
            if field.name == "title":
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            label = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            # Room for the values a refresh may add: a date, hundreds of millions of đồng.
            samples = [_FLOOR_OF_TYPE[field.type]] if field.type in _FLOOR_OF_TYPE else []
            if hidden or not rows:  # no values read: a value of the kind it holds
                sample = _SAMPLE_OF_FIELD.get(field.name) or _SAMPLE_OF_TYPE.get(
                    field.type, "x" * 16
                )
                if field.type is FieldType.CODE and field.vocabulary not in (None, "program"):
                    terms = self.context.catalog.vocabulary(str(field.vocabulary)).values()
                    names = [term.name(self._language) for term in terms]
                    sample = max(names, key=metrics.horizontalAdvance, default=sample)
                samples.append(sample)
            else:
                samples += [
                    str(self.model.data(self.model.index(row, column)) or "") for row in range(rows)
                ]
            value_width = max((metrics.horizontalAdvance(text) for text in samples), default=0)
            value_width += cell_padding
            if field.type not in (FieldType.INT, FieldType.MONEY, FieldType.DATE):
                value_width = min(value_width, _MAX_START_WIDTH)
            width = max(value_width, heading_metrics.horizontalAdvance(label) + heading_padding)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # --- selection -----------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        """Ids of the selected records, in row order."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        ids = [self.model.record_id(row) for row in rows]
        return [record_id for record_id in ids if record_id is not None]

    def current_id(self) -> int | None:
        """The record the actions apply to: the current row if selected, else the first one."""
        current = self.view.currentIndex()
        selected = self.selected_ids()
        if current.isValid() and self.view.selectionModel().isRowSelected(current.row()):
            return self.model.record_id(current.row())
        return selected[0] if selected else None

    def select_record(self, record_id: int, *, scroll_to: bool = True) -> bool:
        """Select the row of ``record_id``; False when the search or filters hide it."""
        row = self.model.row_of(record_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
            | QItemSelectionModel.SelectionFlag.Current
        )
        self.view.selectionModel().setCurrentIndex(index, flags)
        if scroll_to:
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _update_actions(self) -> None:
        count = len(self.view.selectionModel().selectedRows())
        self.edit_action.setEnabled(count >= 1)
        self.duplicate_action.setEnabled(count >= 1)
        self.delete_action.setEnabled(count >= 1)

    # --- the record form -----------------------------------------------------------------------
    def new_record(self) -> RecordForm:
        """Open the form for a new record (program and commune filled from the filters)."""
        initial: dict[str, Any] = {}
        program = self.program_box.currentData()
        if program:
            initial["program"] = program
        place = self.model.filters.place
        if place:
            initial["places"] = [place]
        from ui.record_form import RecordForm  # imported with the first form, not at start

        return self._open_form(RecordForm(self.context, self.kind, initial=initial, parent=self))

    def edit_record(self, record_id: int | None = None) -> RecordForm | None:
        """Open the form on the selected record (or ``record_id``)."""
        record_id = record_id if record_id is not None else self.current_id()
        if record_id is None:
            return None
        return self._open_stored(record_id, duplicate=False)

    def duplicate_record(self, record_id: int | None = None) -> RecordForm | None:
        """Open a new-record form filled with the selected record's values."""
        record_id = record_id if record_id is not None else self.current_id()
        if record_id is None:
            return None
        return self._open_stored(record_id, duplicate=True)

    def _open_stored(self, record_id: int, *, duplicate: bool) -> RecordForm | None:
        from ui.record_form import RecordForm

        try:
            form = RecordForm(
                self.context, self.kind, record_id=record_id, duplicate=duplicate, parent=self
            )
        except NotFoundError as error:  # deleted meanwhile (another window, an import)
            report_error(self, error)
            self.refresh()
            return None
        return self._open_form(form)

    def _open_form(self, form: RecordForm) -> RecordForm:
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(self._on_saved)
        self.form = form
        form.destroyed.connect(lambda *_: self._forget_form(form))
        form.open()
        return form

    def _forget_form(self, form: RecordForm) -> None:
        if self.form is form:
            self.form = None

    def _on_saved(self, record_id: int) -> None:
        self.model.refresh()
        self.select_record(record_id)
        self._announce_change()

    def _announce_change(self) -> None:
        self.records_changed.emit()
        self._ignore_refresh = True  # this page is up to date already
        try:
            self.context.navigator.data_changed.emit()
        finally:
            self._ignore_refresh = False

    # --- deleting ------------------------------------------------------------------------------
    def delete_selected(self) -> None:
        """Delete the selected records after the user confirmed."""
        ids = self.selected_ids()
        if not ids:
            return
        if len(ids) == 1:
            row = self.view.selectionModel().selectedRows()[0].row()
            title = self.model.data(self.model.index(row, self.model.column_of("title"))) or ""
            text = self.tr("Delete the record “{title}”?").format(title=title)
        else:
            text = self.tr("Delete the {count} selected records?").format(
                count=format_number(len(ids))
            )
        if not ask_confirmation(
            self,
            self.tr("Delete records"),
            text,
            details=self.tr(
                "Deleted records cannot be restored. "
                "Their evidence files stay in the evidence "
                "folder."
            ),
            yes_text=self.tr("Delete"),
        ):
            return
        kind = self.kind

        def operation(session: Any, progress: Any) -> int:
            for done, record_id in enumerate(ids):
                delete_record(session, kind, record_id)
                progress(done + 1, len(ids))
            return len(ids)

        self.context.lane.run(
            operation,
            on_success=self._on_deleted,
            label=self.tr("Deleting records…"),
            parent=self,
            cancellable=len(ids) > 1,
        )

    def _on_deleted(self, _count: int) -> None:
        self.view.clearSelection()
        scroll = self.view.verticalScrollBar().value()
        self.model.refresh()
        self.view.verticalScrollBar().setValue(scroll)
        self._announce_change()

    # --- search and filters --------------------------------------------------------------------
    def _on_search_typed(self) -> None:
        if not self._applying:
            self._search_timer.start()

    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_search(self.search_box.text())

    def _on_year_changed(self) -> None:
        if not self._applying:
            self._phase = None  # the user chose a period: the dashboard's phase no longer holds
        has_year = self.year_box.currentData() is not None
        self.part_box.setEnabled(has_year)
        if not has_year and self.part_box.currentIndex() != 0:
            self.part_box.blockSignals(True)
            self.part_box.setCurrentIndex(0)
            self.part_box.blockSignals(False)
        self._on_filter_changed()

    def _on_filter_changed(self) -> None:
        if not self._applying:
            self._apply_filters()

    def period_code(self) -> str | None:
        """The period the filters choose (``2024``, ``2024-H1``…, or a phase such as
        ``2021-2025`` a dashboard click asked for), None for all."""
        year = self.year_box.currentData()
        if year is None:
            return getattr(self, "_phase", None)
        part = self.part_box.currentData() or ""
        return f"{year}-{part}" if part else str(year)

    def _apply_filters(self) -> None:
        codes = self.place_picker.codes()
        self.model.set_filters(
            period=self.period_code(),
            program=self.program_box.currentData(),
            place=codes[0] if codes else None,
            status=self.status_box.currentData(),
            ids=self._ids,
        )
        if self._ids is not None:
            self._ids_label.setText(
                self.tr("Showing the {count} records behind a dashboard figure.").format(
                    count=format_number(len(self._ids))
                )
            )
        self._ids_label.setVisible(self._ids is not None)
        self.clear_button.setEnabled(self.model.filters.active or bool(self.model.search))

    def clear_filters(self) -> None:
        """Show every record of the kind again."""
        self.apply_params({})

    def _reset_filter_widgets(self) -> None:
        self._phase = None
        self.year_box.setCurrentIndex(0)
        self.part_box.setCurrentIndex(0)
        self.part_box.setEnabled(False)
        self.program_box.setCurrentIndex(0)
        self.status_box.setCurrentIndex(0)
        self.place_picker.set_codes([])
        self.search_box.clear()
        self._ids = None

    def _ensure_year(self, year: int) -> None:
        if self.year_box.findData(year) < 0:
            self.year_box.addItem(str(year), year)

    @staticmethod
    def _set_combo(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _show_counts(self, shown: int, total: int) -> None:
        self.count_label.setText(
            self.tr("{shown} / {total} records").format(
                shown=format_number(shown), total=format_number(total)
            )
        )
        if hasattr(self, "clear_button"):
            self.clear_button.setEnabled(self.model.filters.active or bool(self.model.search))

    # --- sorting -------------------------------------------------------------------------------
    def _on_sort_indicator(self, column: int, order: Qt.SortOrder) -> None:
        """Keep the arrow on the column the records are really ordered by."""
        if self.model.is_sortable(column):
            self._sort_column, self._sort_order = column, order
            return
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(self._sort_column, self._sort_order)
        header.blockSignals(False)

    # --- columns -------------------------------------------------------------------------------
    def _fill_columns_menu(self) -> None:
        self._populate_columns_menu(self.columns_menu)

    def _populate_columns_menu(self, menu: QMenu) -> None:
        menu.clear()
        for field in self.model.fields:
            action = menu.addAction(field.label(self._language))
            action.setCheckable(True)
            action.setChecked(not self.model.is_hidden(field.name))
            action.setData(field.name)
            action.setEnabled(field.name != "title")  # a row always says what it is
            action.toggled.connect(
                lambda shown, name=field.name: self.set_column_shown(name, shown)
            )
        menu.addSeparator()
        reset = menu.addAction(self.tr("Default columns"))
        reset.triggered.connect(self.reset_columns)

    def _show_header_menu(self, position: Any) -> None:
        menu = QMenu(self)
        self._populate_columns_menu(menu)
        menu.popup(self.view.horizontalHeader().mapToGlobal(position))

    def set_column_shown(self, field_name: str, shown: bool) -> None:
        """Show or hide the column of a field (remembered for this kind)."""
        self.model.set_hidden(field_name, not shown)

    def column_shown(self, field_name: str) -> bool:
        return not self.view.horizontalHeader().isSectionHidden(self.model.column_of(field_name))

    def reset_columns(self) -> None:
        """Show the kind's default columns only."""
        defaults = RecordTableModel(
            self.context.database, self.kind, self.context.catalog, language=self._language
        )
        for field in self.model.fields:
            self.model.set_hidden(field.name, defaults.is_hidden(field.name))
        defaults.deleteLater()

    def _on_hidden_changed(self, field_name: str, hidden: bool) -> None:
        self.view.horizontalHeader().setSectionHidden(self.model.column_of(field_name), hidden)
        settings = app_settings()
        settings.setValue(self._hidden_key(), sorted(self.model.hidden_fields) or ["-"])

    def _header_key(self) -> str:
        columns = ",".join(field.name for field in self.model.fields)
        # v2: the title column stretches (states saved before sized it by hand).
        return f"records/{self.kind}/header-v2/{zlib.crc32(columns.encode()):08x}"

    def _hidden_key(self) -> str:
        return f"records/{self.kind}/hidden_columns"

    def _restore_columns(self) -> None:
        settings = app_settings()
        state = settings.value(self._header_key())
        header = self.view.horizontalHeader()
        if isinstance(state, QByteArray):
            header.restoreState(state)
            stretch = QHeaderView.ResizeMode.Stretch
            header.setSectionResizeMode(self.model.column_of("title"), stretch)
            self.view.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        hidden = settings.value(self._hidden_key())
        if isinstance(hidden, str):
            hidden = [hidden]
        if isinstance(hidden, Sequence):
            names = {str(name) for name in hidden} - {"-", "title"}
            for field in self.model.fields:
                self.model.set_hidden(field.name, field.name in names)
        for column, field in enumerate(self.model.fields):
            header.setSectionHidden(column, self.model.is_hidden(field.name))

    # --- context menu --------------------------------------------------------------------------
    def _show_row_menu(self, position: Any) -> None:
        index: QModelIndex = self.view.indexAt(position)
        if not index.isValid():
            return
        menu = QMenu(self)
        for action in (self.edit_action, self.duplicate_action, self.delete_action):
            menu.addAction(action)
        menu.popup(self.view.viewport().mapToGlobal(position))
