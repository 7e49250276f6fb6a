"""Reporting status: who has reported, the current provinces by period.

Each cell is coloured by its state (on time green, late amber, refused red, missing grey) and
says the version and the signing day; its tooltip tells the signer, the counts, the deadline
and a refusal's reasons. Each period's header holds its totals line (received x/34 with the
reporting rate, on time, late, refused, missing). Clicking a cell opens the submission's
detail, or the refusals' reasons of a refused cell.

The matrix is read on the lane (:func:`ctmt_desktop.ministry.status.status_matrix`, two
queries for any number of periods).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.formatting import format_date, format_number
from ctmt_desktop.ministry.status import StatusCell, StatusMatrix, known_periods, status_matrix
from ctmt_desktop.periods import parse_period
from ui.db_lane import Progress, report_error
from ui.ministry.common import (
    LATE,
    MISSING,
    ON_TIME,
    REFUSED,
    STATE_ACCENTS,
    MinistryContext,
    alive,
    format_moment,
    kind_counts_text,
    period_label,
    review_text,
    state_colours,
    state_text,
    vietnam_time,
)
from ui.style import icon
from ui.verification import check_title

Index = QModelIndex | QPersistentModelIndex
#: The item data role that holds a cell's state code (``on_time``, ``late``…).
STATE_ROLE = Qt.ItemDataRole.UserRole + 1
#: Period types the filter offers: all, years, half years, quarters.
PERIOD_TYPES = ("all", "year", "half", "quarter")
#: How many of the latest periods the filter offers (0: all); the first 4 by default.
PERIOD_COUNTS = (1, 2, 4, 8, 0)
DEFAULT_COUNT = 4


def period_type_of(code: str) -> str:
    """``year``, ``half`` or ``quarter``."""
    period = parse_period(code)
    if "-" not in period.code:
        return "year"
    return "half" if period.code.split("-", 1)[1].startswith("H") else "quarter"


def choose_periods(known: list[str], period_type: str, count: int) -> list[str]:
    """The latest ``count`` (0: all) of ``known`` periods (latest first) of ``period_type``."""
    chosen = [code for code in known if period_type == "all" or period_type_of(code) == period_type]
    return chosen[:count] if count else chosen


def fallback_period(today: date | None = None) -> str:
    """The period shown while the store holds none: last year, the last one due."""
    return str((today or date.today()).year - 1)


@dataclass(frozen=True)
class StatusView:
    """What the page shows: the matrix and every period known to the store."""

    matrix: StatusMatrix
    known: list[str]


def load_status(session: Session, catalog: Catalog, period_type: str, count: int) -> StatusView:
    """The matrix of the chosen periods (runs on the lane)."""
    known = known_periods(session)
    periods = choose_periods(known, period_type, count) or [fallback_period()]
    return StatusView(status_matrix(session, catalog, periods), known)


class StatusMatrixModel(QAbstractTableModel):
    """The provinces (rows, Vietnamese order) by period (columns 1…); column 0 names the
    province. :data:`STATE_ROLE` gives a cell's state code; the background and text colours
    are the state's (:data:`~ui.ministry.common.STATE_COLOURS`).

    Attributes:
        matrix: the status shown (None before the first load).
    """

    def __init__(self, catalog: Catalog, language: str = "vi",
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._catalog = catalog
        self._language = language
        self.matrix: StatusMatrix | None = None

    def set_matrix(self, matrix: StatusMatrix | None) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.endResetModel()

    @property
    def periods(self) -> list[str]:
        return list(self.matrix.periods) if self.matrix is not None else []

    def cell(self, index: Index) -> StatusCell | None:
        """The status cell at ``index`` (None for the province column)."""
        if self.matrix is None or not index.isValid() or index.column() == 0:
            return None
        code, _name = self.matrix.provinces[index.row()]
        return self.matrix.cell(code, self.matrix.periods[index.column() - 1])

    def index_of(self, province: str, period: str) -> QModelIndex:
        """The index of ``province`` in ``period`` (invalid when not shown)."""
        if self.matrix is None or period not in self.matrix.periods:
            return QModelIndex()
        for row, (code, _name) in enumerate(self.matrix.provinces):
            if code == province:
                return self.index(row, self.matrix.periods.index(period) + 1)
        return QModelIndex()

    # --- Qt's model interface ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid() or self.matrix is None:
            return 0
        return len(self.matrix.provinces)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid():
            return 0
        return 1 + len(self.periods)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.matrix is None or not index.isValid():
            return None
        if index.column() == 0:
            code, name = self.matrix.provinces[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return name
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{name} ({code})"
            return None
        cell = self.cell(index)
        assert cell is not None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.cell_tooltip(cell)
        if role == STATE_ROLE:
            return cell.state
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(state_colours(cell.state)[0])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(state_colours(cell.state)[1])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if section == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr("Province")
            return None
        period = self.periods[section - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join([period_label(period), *self.totals_lines(period)])
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.totals_tooltip(period)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # --- texts ---------------------------------------------------------------------------------
    def _signed_day(self, cell: StatusCell) -> str:
        local = vietnam_time(cell.signing_time, self._catalog)
        return format_date(local.date()) if local is not None else ""

    def cell_text(self, cell: StatusCell) -> str:
        """``v2 · 28/11/2025``, ``Late · v1 · 04/12/2025``, ``Refused``, ``—``."""
        if cell.state == ON_TIME:
            return f"v{cell.version} · {self._signed_day(cell)}"
        if cell.state == LATE:
            return self.tr("Late · v{version} · {day}").format(
                version=cell.version, day=self._signed_day(cell)
            )
        if cell.state == REFUSED:
            if cell.refusals > 1:
                return self.tr("Refused ({count})").format(count=format_number(cell.refusals))
            return state_text(REFUSED)
        return "—"

    def cell_tooltip(self, cell: StatusCell) -> str:
        """Everything the status knows of a cell, one fact a line."""
        catalog = self._catalog
        lines = [f"{cell.province_name} — {period_label(cell.period)}", state_text(cell.state)]
        due = (
            self.tr("Deadline: signed before {day}").format(day=format_date(cell.due_before))
            if cell.due_before
            else self.tr("No deadline for this period")
        )
        if cell.state in (ON_TIME, LATE):
            lines.append(
                self.tr("Signed {time} (Vietnam time)").format(
                    time=format_moment(vietnam_time(cell.signing_time, catalog))
                )
            )
            lines.append(due)
            lines.append(self.tr("Received {time}").format(time=format_moment(cell.received_at)))
            version = self.tr("Version {version}").format(version=cell.version)
            if cell.superseded:
                version += "; " + self.tr("replaces {versions}").format(
                    versions=", ".join(f"v{v}" for v in cell.superseded)
                )
            lines.append(version)
            lines.append(self.tr("Signed by {signer}").format(signer=cell.signer))
            lines.append(
                self.tr("{count} records: {kinds}").format(
                    count=format_number(cell.record_count),
                    kinds=kind_counts_text(cell.counts, self._language),
                )
            )
            lines.append(self.tr("Review: {state}").format(state=review_text(cell.review_state)))
            if cell.refusals:
                lines.append(
                    self.tr("{count} package(s) refused for this period").format(
                        count=format_number(cell.refusals)
                    )
                )
            lines.append(self.tr("Click to see the submission and its records."))
        elif cell.state == REFUSED:
            lines.append(due)
            lines.append(
                self.tr("{count} package(s) refused, none accepted. Last reasons:").format(
                    count=format_number(cell.refusals)
                )
            )
            for reason in cell.reasons:
                text = reason.get("reason", "")
                short = text if len(text) <= 160 else text[:157] + "…"
                lines.append(f"• {check_title(reason.get('check', ''))}: {short}")
            lines.append(self.tr("Click to see the refused packages."))
        else:
            lines.append(due)
            lines.append(self.tr("No package received."))
        return "\n".join(lines)

    def totals_lines(self, period: str) -> list[str]:
        """The totals line of a period, as the header shows it (three short lines)."""
        assert self.matrix is not None
        totals = self.matrix.totals(period)
        return [
            self.tr("Received {received}/{expected} · {rate}%").format(
                received=format_number(totals["received"]),
                expected=format_number(totals["expected"]),
                rate=format_number(totals["rate"]),
            ),
            self.tr("On time {on_time} · late {late}").format(
                on_time=format_number(totals[ON_TIME]), late=format_number(totals[LATE])
            ),
            self.tr("Refused {refused} · missing {missing}").format(
                refused=format_number(totals[REFUSED]), missing=format_number(totals[MISSING])
            ),
        ]

    def totals_tooltip(self, period: str) -> str:
        assert self.matrix is not None
        totals = self.matrix.totals(period)
        return self.tr(
            "{period}: {received} of {expected} provinces reported (reporting rate {rate}%), "
            "{on_time} on time (on-time rate {on_time_rate}%), {late} late; {refused} refused "
            "and not yet sent again; {missing} missing."
        ).format(
            period=period_label(period),
            received=format_number(totals["received"]),
            expected=format_number(totals["expected"]),
            rate=format_number(totals["rate"]),
            on_time=format_number(totals[ON_TIME]),
            on_time_rate=format_number(totals["on_time_rate"]),
            late=format_number(totals[LATE]),
            refused=format_number(totals[REFUSED]),
            missing=format_number(totals[MISSING]),
        )


def legend_chip(state: str) -> QLabel:
    """A coloured square and the state's name."""
    label = QLabel(
        f'<span style="color:{STATE_ACCENTS[state]}; font-size:14pt">&#9632;</span>&nbsp;'
        f"{state_text(state)}"
    )
    label.setObjectName(f"legend_{state}")
    return label


class ReportingStatusPage(QWidget):
    """Who has reported: the matrix of provinces by period.

    Signals:
        loaded(): a new matrix is shown.

    Attributes:
        type_box: which periods (all, years, half years, quarters).
        count_box: how many of the latest.
        model: the matrix model; view: its table.
        summary_label: the latest period's totals in a sentence.
        detail_dialog: the submission or refusal dialog opened last (None before).
    """

    loaded = Signal()

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.detail_dialog: QDialog | None = None
        self.known: list[str] = []
        self._request = 0

        heading = QLabel(self.page_title())
        heading.setProperty("role", "heading")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("status_summary")
        self.summary_label.setProperty("role", "muted")
        self.summary_label.setWordWrap(True)

        self.type_box = QComboBox()
        self.type_box.setObjectName("period_type_box")
        for code, text in zip(
            PERIOD_TYPES,
            (self.tr("All periods"), self.tr("Years"), self.tr("Half years"), self.tr("Quarters")),
            strict=True,
        ):
            self.type_box.addItem(text, code)
        self.count_box = QComboBox()
        self.count_box.setObjectName("period_count_box")
        for count in PERIOD_COUNTS:
            text = (
                self.tr("the latest {count}").format(count=count)
                if count
                else self.tr("every period")
            )
            self.count_box.addItem(text, count)
        self.count_box.setCurrentIndex(PERIOD_COUNTS.index(DEFAULT_COUNT))
        self.type_box.currentIndexChanged.connect(self.refresh)
        self.count_box.currentIndexChanged.connect(self.refresh)
        refresh_button = QPushButton(icon("refresh-cw"), self.tr("Refresh"))
        refresh_button.setObjectName("refresh_button")
        refresh_button.clicked.connect(self.refresh)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Periods:")))
        filters.addWidget(self.type_box)
        filters.addWidget(QLabel(self.tr("show")))
        filters.addWidget(self.count_box)
        filters.addSpacing(24)
        for state in (ON_TIME, LATE, REFUSED, MISSING):
            filters.addWidget(legend_chip(state))
            filters.addSpacing(8)
        filters.addStretch(1)
        filters.addWidget(refresh_button)

        self.model = StatusMatrixModel(context.catalog, context.language, self)
        self.view = QTableView()
        self.view.setObjectName("status_matrix")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setMouseTracking(True)
        header = self.view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.clicked.connect(self.open_cell)
        self.view.activated.connect(self._on_activated)
        self.model.modelReset.connect(self._size_columns)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading)
        layout.addWidget(self.summary_label)
        layout.addLayout(filters)
        self.period_panel = QGroupBox()
        self.period_panel.setObjectName("period_panel")
        self.period_panel.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)
        self.panel_label = QLabel()
        self.panel_label.setObjectName("period_panel_text")
        self.panel_label.setWordWrap(True)
        self.panel_label.setTextFormat(Qt.TextFormat.RichText)
        self.panel_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        panel_scroll = QScrollArea()
        panel_scroll.setWidgetResizable(True)
        panel_scroll.setFrameShape(QFrame.Shape.NoFrame)
        panel_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        panel_scroll.setWidget(self.panel_label)
        panel_scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        panel_layout = QVBoxLayout(self.period_panel)
        panel_layout.addWidget(panel_scroll)
        self.view.selectionModel().currentChanged.connect(self._on_current_cell)
        table_row = QHBoxLayout()
        table_row.addWidget(self.view, 3)
        table_row.addWidget(self.period_panel, 2)
        layout.addLayout(table_row, 1)

    # --- the page interface --------------------------------------------------------------------
    def page_title(self) -> str:
        return self.tr("Reporting status")

    def refresh(self) -> None:
        """Read the matrix of the chosen periods again (on the lane)."""
        self._request += 1
        request = self._request
        catalog = self.context.catalog
        period_type = self.type_box.currentData()
        count = int(self.count_box.currentData())

        def operation(session: Session, progress: Progress) -> StatusView:
            del progress
            return load_status(session, catalog, period_type, count)

        self.context.lane.run(
            operation,
            on_success=lambda view: self._show(request, view),
            on_error=lambda error: report_error(self, error),
        )

    def apply_params(self, params: dict[str, Any]) -> None:
        """``{"period": code}``: show every period so that ``code`` is among them."""
        if params.get("period"):
            self.type_box.setCurrentIndex(0)
            self.count_box.setCurrentIndex(len(PERIOD_COUNTS) - 1)

    # --- showing -------------------------------------------------------------------------------
    def _show(self, request: int, view: StatusView) -> None:
        if not alive(self) or request != self._request:  # gone, or the filter changed since
            return
        self.known = view.known
        self.model.set_matrix(view.matrix)
        periods = view.matrix.periods
        if not view.known:
            self.summary_label.setText(
                self.tr(
                    "No package received yet: receive the provinces' packages on the Receive "
                    "page. Every province is shown missing for {period}."
                ).format(period=period_label(periods[0]))
            )
        else:
            self.summary_label.setText(self.model.totals_tooltip(periods[0]))
        self.show_period_panel(periods[0])
        self.context.navigator.period_shown.emit(periods[0])
        self.loaded.emit()

    def _on_current_cell(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.column() > 0:
            self.show_period_panel(self.model.periods[current.column() - 1])

    def show_period_panel(self, period: str) -> None:
        """Who is late, refused and missing in ``period``, by name, beside the matrix."""
        matrix = self.model.matrix
        if matrix is None or period not in matrix.periods:
            return
        self.period_panel.setTitle(
            self.tr("{period} at a glance").format(period=period_label(period))
        )
        cells = matrix.column(period)
        parts: list[str] = []
        for state, caption in (
            (LATE, self.tr("Late ({count})")),
            (REFUSED, self.tr("Refused, not sent again ({count})")),
            (MISSING, self.tr("Not received ({count})")),
            (ON_TIME, self.tr("On time ({count})")),
        ):
            names = [cell.province_name for cell in cells if cell.state == state]
            if not names:
                continue
            colour = STATE_ACCENTS[state]
            parts.append(
                f'<b><span style="color:{colour}">&#9632;</span> '
                f"{html.escape(caption.format(count=format_number(len(names))))}</b><br>"
                + html.escape(", ".join(names))
            )
        self.panel_label.setText("<br><br>".join(parts))

    def _size_columns(self) -> None:
        metrics = self.view.fontMetrics()
        header = self.view.horizontalHeader()
        names = [name for _code, name in (self.model.matrix.provinces if self.model.matrix else [])]
        widest = max((metrics.horizontalAdvance(name) for name in names), default=160)
        header.resizeSection(0, widest + 28)
        for column in range(1, self.model.columnCount()):
            header.resizeSection(column, max(200, metrics.horizontalAdvance("M" * 16)))
        # As wide as its columns: the panel beside it takes the rest.
        frame = self.view.frameWidth() * 2 + self.view.verticalScrollBar().sizeHint().width()
        self.view.setMaximumWidth(header.length() + frame + 2)

    # --- opening a cell ------------------------------------------------------------------------
    def _on_activated(self, index: QModelIndex) -> None:
        if self.detail_dialog is not None and self.detail_dialog.isVisible():
            return  # the click of a double click opened it already
        self.open_cell(index)

    def open_cell(self, index: QModelIndex) -> None:
        """The submission of a received cell, or the refused packages of a refused one."""
        cell = self.model.cell(index)
        if cell is None or cell.state == MISSING:
            return
        from ui.ministry.submissions_page import RefusalsDialog, SubmissionDialog

        if self.detail_dialog is not None:
            self.detail_dialog.close()
            self.detail_dialog.deleteLater()
        if cell.state in (ON_TIME, LATE) and cell.submission_id is not None:
            dialog: QDialog = SubmissionDialog(self.context, cell.submission_id, self)
        else:
            dialog = RefusalsDialog(self.context, cell.province, cell.period, self)
        self.detail_dialog = dialog
        dialog.open()
