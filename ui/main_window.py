"""The main window: the training records of the open database, with a search box.

It grows into the full desktop app (other kinds, record forms, reports, packages); for now it
lists one kind. The window remembers its geometry and the table's column widths and order.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.formatting import format_date, format_money, format_number
from ctmt_desktop.kinds import FieldType, kind_spec
from ctmt_desktop.services.profile import current_profile
from ui import APPLICATION, app_settings
from ui.i18n import current_language
from ui.records_model import RecordTableModel

# Milliseconds of quiet typing before the search runs (one query, not one per keystroke).
SEARCH_DELAY_MS = 250
_GEOMETRY_KEY = "main_window/geometry"
_STATE_KEY = "main_window/state"

# Sample texts that size the columns: about as wide as the values they will hold.
_SAMPLE_OF_TYPE = {
    FieldType.DATE: format_date(date(2025, 12, 31)),
    FieldType.INT: format_number(99_999),
    FieldType.MONEY: format_money(999_999_999),
}
_SAMPLE_OF_FIELD = {
    "title": "x" * 32,
    "places": "x" * 20,
    "program": "GNBV21.DA6.TDA1.ND1",
    "status": "Đã xác nhận",
}


class MainWindow(QMainWindow):
    """The records of one kind in a table, a search box above it, facts in the status bar.

    Attributes:
        database: the open database.
        records_model: the table model of the records.
        records_view: the table showing them.
        search_box: the search field; typing filters the table after a short pause.
    """

    def __init__(self, database: Database, catalog: Catalog, *, kind: str = "training",
                 language: str | None = None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.database = database
        self._language = language or current_language()
        self._columns_fitted = False  # the title column takes the free width at the first show
        with database.session() as session:
            profile = current_profile(session)
            agency = profile.name if profile else ""
            province = catalog.admin.get(profile.province_code) if profile else None
        self.setWindowTitle(f"{APPLICATION} — {agency}" if agency else APPLICATION)

        self.records_model = RecordTableModel(database, kind, catalog, language=self._language,
                                              parent=self)  # fmt: skip
        self.search_box = QLineEdit()
        self.search_box.setObjectName("search_box")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(
            self.tr("Search by title, place, implementing unit or program code")
        )
        self.search_box.setToolTip(
            self.tr("Accents and capitals do not matter: “duc” finds “Đức”.")
        )
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_box.textChanged.connect(self._search_timer.start)
        self.search_box.returnPressed.connect(self._apply_search)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)

        heading = QLabel(kind_spec(kind).name(self._language))
        heading_font = QFont(heading.font())
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        heading.setFont(heading_font)

        self.records_view = self._make_view()

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.search_box, 2)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.records_view)
        self.setCentralWidget(central)

        place = f" — {province.name}" if province else ""
        self._agency_label = QLabel(f"{agency}{place}")
        self._agency_label.setContentsMargins(6, 0, 0, 0)
        self._path_label = QLabel(self.tr("Database file: {path}").format(path=database.path))
        self._path_label.setContentsMargins(12, 0, 0, 0)
        self._path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._count_label = QLabel()
        self._count_label.setObjectName("record_count")
        status = self.statusBar()
        status.addWidget(self._agency_label)
        status.addWidget(self._path_label, 1)
        status.addPermanentWidget(self._count_label)
        self.records_model.counts_changed.connect(self._show_counts)
        self._show_counts(self.records_model.shown_count, self.records_model.total_count)

        self._default_size()
        self._restore_settings()

    def _default_size(self) -> None:
        """The size of the first start (later starts restore the last one): most of the screen."""
        screen = self.screen().availableGeometry()
        self.resize(min(1440, int(screen.width() * 0.9)), min(900, int(screen.height() * 0.85)))

    # --- table ---------------------------------------------------------------------------------
    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setObjectName("records_view")
        view.setModel(self.records_model)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = view.fontMetrics()
        padding = metrics.averageCharWidth() + 20  # cell margins and the sort arrow
        for column, field in enumerate(self.records_model.fields):
            sample = _SAMPLE_OF_FIELD.get(field.name) or _SAMPLE_OF_TYPE.get(field.type, "x" * 12)
            label = field.label(self._language)
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(label))
            header.resizeSection(column, width + padding)
        # The newest records first until the user picks another order.
        header.setSortIndicator(self.records_model.column_of("start_date"),
                                Qt.SortOrder.DescendingOrder)  # fmt: skip
        view.setSortingEnabled(True)
        return view

    def _focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.records_model.set_search(self.search_box.text())

    def _show_counts(self, shown: int, total: int) -> None:
        self._count_label.setText(
            self.tr("{shown} / {total} records").format(
                shown=format_number(shown), total=format_number(total)
            )
        )

    # --- settings ------------------------------------------------------------------------------
    def _header_state_key(self) -> str:
        columns = ",".join(field.name for field in self.records_model.fields)
        return f"records/{self.records_model.kind}/{columns}/header"

    def _restore_settings(self) -> None:
        settings = app_settings()
        geometry = settings.value(_GEOMETRY_KEY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value(_STATE_KEY)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        header_state = settings.value(self._header_state_key())
        header = self.records_view.horizontalHeader()
        self._columns_fitted = isinstance(header_state, QByteArray)
        if isinstance(header_state, QByteArray):
            header.restoreState(header_state)
            self.records_view.sortByColumn(header.sortIndicatorSection(),
                                           header.sortIndicatorOrder())  # fmt: skip

    def save_settings(self) -> None:
        """Remember the window's geometry and the table's columns for the next start."""
        settings = app_settings()
        settings.setValue(_GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(_STATE_KEY, self.saveState())
        settings.setValue(self._header_state_key(),
                          self.records_view.horizontalHeader().saveState())  # fmt: skip
        settings.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._columns_fitted:
            self._columns_fitted = True
            self._fit_title_column()

    def _fit_title_column(self) -> None:
        """Give the title the width the other columns leave (first start only)."""
        header = self.records_view.horizontalHeader()
        column = self.records_model.column_of("title")
        others = sum(header.sectionSize(c) for c in range(header.count()) if c != column)
        free = self.records_view.viewport().width() - others
        header.resizeSection(column, max(header.sectionSize(column), free))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        super().closeEvent(event)
