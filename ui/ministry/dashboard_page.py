"""The national dashboard: who has reported for a period, the provinces compared on one
indicator, the key indicators of every province that reported with the national total, and
the national consolidated report (PDF preview, PDF and Excel forms).

The figures are the national report's own (:func:`ctmt_desktop.ministry.report.national_figures`,
each province's row computed by the province's own indicator code over the records received;
the total adds counts and recomputes shares from their parts,
:func:`~ctmt_desktop.ministry.report.indicator_table`). They take seconds for 34 provinces, so
they are computed on the lane, kept, and computed again only when the period changes, packages
arrive or the user asks.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.formatting import format_date, format_number, format_percent
from ctmt_desktop.ministry.report import (
    NationalFigures,
    build_national_report,
    indicator_table,
    national_figures,
)
from ctmt_desktop.ministry.status import known_periods, status_matrix
from ctmt_desktop.periods import PeriodError, parse_period
from ctmt_desktop.reports.figures import Table
from ui.dashboard_page import _PAGE_STYLE as TILE_STYLE  # the province dashboard's cards
from ui.dashboard_page import ChartCard, IndicatorTile, _bar_set
from ui.db_lane import Cancelled, Progress, report_error
from ui.i18n import translate_buttons
from ui.ministry.common import (
    LATE,
    MISSING,
    ON_TIME,
    REFUSED,
    MinistryContext,
    alive,
    period_label,
)
from ui.style import icon

#: The indicators the table shows, in the national report's order.
KEY_INDICATORS = (
    "training_classes",
    "training_participants",
    "training_women_share",
    "event_participants",
    "media_outputs",
    "devices_delivered",
    "radio_hamlet_coverage",
    "clusters_operating",
    "ict_criterion_share",
    "disbursement_rate",
)
#: The indicator the chart compares first.
DEFAULT_CHART_INDICATOR = "training_participants"
#: Phases offered after the periods received.
PHASES = ("2021-2025", "2026-2030")
_BAR_COLOUR = "#2563eb"
_TOTAL_BACKGROUND = "#eef1f5"


@dataclass(frozen=True)
class NationalDashboardData:
    """The dashboard's figures of one period or phase (plain data, computed on the lane).

    Attributes:
        figures: every province's figures that reported.
        table: provinces × :data:`KEY_INDICATORS` with the national total.
        totals: the reporting status' totals of a period (None for a phase).
        records: records received in the current packages of the period.
        packages: current packages the figures come from.
    """

    scope: str
    figures: NationalFigures
    table: Table
    totals: dict[str, int] | None
    records: int
    packages: int


def compute_national_dashboard(
    session: Session, catalog: Catalog, scope: str, progress: Progress | None = None
) -> NationalDashboardData:
    """The dashboard's figures over ``scope`` (a period or a phase)."""

    def step(done: int, total: int) -> None:
        if progress is not None and not progress(done, total):
            raise Cancelled("cancelled")

    figures = national_figures(session, catalog, scope, progress=step)
    table = indicator_table(figures, catalog, KEY_INDICATORS, "", "dashboard", "")
    packages = len({p for found in figures.figures.values() for p in found.submissions})
    try:
        period = parse_period(scope).code
    except PeriodError:
        records = sum(sum(found.counts.values()) for found in figures.figures.values())
        return NationalDashboardData(scope, figures, table, None, records, packages)
    matrix = status_matrix(session, catalog, [period])
    received = [cell for cell in matrix.column(period) if cell.state in (ON_TIME, LATE)]
    return NationalDashboardData(
        scope,
        figures,
        table,
        matrix.totals(period),
        sum(cell.record_count for cell in received),
        len(received),
    )


@dataclass(frozen=True)
class DashboardLoad:
    known: list[str]
    data: NationalDashboardData | None


def value_text(value: float | int | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return format_percent(float(value))
    return format_number(value)


class ReportPreviewDialog(QDialog):
    """A national report's PDF, shown with QtPdf as the Reports page shows a province's.

    Attributes:
        document: the PDF; view: its pages.
    """

    def __init__(self, path: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(title)
        self.document = QPdfDocument(self)
        self.document.load(str(path))
        self.view = QPdfView()
        self.view.setObjectName("national_preview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        pages = QLabel(
            self.tr("{pages} pages").format(pages=format_number(self.document.pageCount()))
        )
        pages.setProperty("role", "muted")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        translate_buttons(buttons)
        buttons.rejected.connect(self.reject)
        print_button = QPushButton(icon("printer"), self.tr("Print…"))
        print_button.clicked.connect(self._print)
        buttons.addButton(print_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(pages)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(900, 760)

    def _print(self) -> None:
        from ui.reports_page import print_pdf

        print_pdf(self.path, self)


class NationalDashboardPage(QWidget):
    """The national figures of a period or phase.

    Signals:
        updated(): new figures are shown.
        saved(object): a report was written (its ``Path``).

    Attributes:
        period_box: the period (periods received, latest first, then phases).
        tiles: the cards by name (``reported``, ``on_time``, ``late``, ``missing``,
            ``records``).
        chart_card: the provinces compared on the indicator of ``indicator_box``.
        table: provinces × key indicators, the national total in the last row.
        data: the figures shown (None before the first computation).
        preview_dialog: the report preview opened last.
    """

    updated = Signal()
    saved = Signal(object)

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.data: NationalDashboardData | None = None
        self.preview_dialog: ReportPreviewDialog | None = None
        self._request = 0
        self._stale = True
        self._work = Path(tempfile.mkdtemp(prefix="ctmt-national-"))
        weakref.finalize(self, shutil.rmtree, self._work, True)
        self.setStyleSheet(TILE_STYLE)
        context.navigator.data_changed.connect(self._mark_stale)

        heading = QLabel(self.page_title())
        heading.setProperty("role", "heading")
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("national_subtitle")
        self.subtitle_label.setProperty("role", "muted")
        self.subtitle_label.setWordWrap(True)
        self.period_box = QComboBox()
        self.period_box.setObjectName("national_period")
        self.period_box.setMinimumContentsLength(18)
        self.period_box.currentIndexChanged.connect(self._on_period)
        refresh = QPushButton(icon("refresh-cw"), self.tr("Refresh"))
        refresh.setObjectName("national_refresh")
        refresh.clicked.connect(lambda: self.refresh(force=True))
        self.preview_button = QPushButton(icon("file-text"), self.tr("Preview the report"))
        self.preview_button.setObjectName("national_preview_button")
        self.preview_button.setProperty("primary", True)
        self.preview_button.clicked.connect(self.preview_report)
        self.pdf_button = QPushButton(icon("save"), self.tr("Save the report (PDF)…"))
        self.pdf_button.clicked.connect(lambda: self.save_report(".pdf"))
        self.excel_button = QPushButton(icon("file-spreadsheet"), self.tr("Save the Excel forms…"))
        self.excel_button.clicked.connect(lambda: self.save_report(".xlsx"))
        choosers = QHBoxLayout()
        choosers.addWidget(QLabel(self.tr("Period:")))
        choosers.addWidget(self.period_box)
        choosers.addWidget(refresh)
        choosers.addStretch(1)
        for button in (self.preview_button, self.pdf_button, self.excel_button):
            choosers.addWidget(button)

        self.tiles: dict[str, IndicatorTile] = {}
        for name, caption in (
            ("reported", self.tr("Provinces that reported")),
            ("on_time", self.tr("On time")),
            ("late", self.tr("Late")),
            ("missing", self.tr("Not reported")),
            ("records", self.tr("Records received")),
        ):
            tile = IndicatorTile(name, caption)
            tile.setObjectName("indicatorTile")
            tile.clicked.connect(self._open_status)
            self.tiles[name] = tile
        tiles = QGridLayout()
        tiles.setSpacing(12)
        for column, tile in enumerate(self.tiles.values()):
            tiles.addWidget(tile, 0, column)

        self.indicator_box = QComboBox()
        self.indicator_box.setObjectName("chart_indicator")
        for code in KEY_INDICATORS:
            term = context.catalog.indicators.get(code)
            if term is not None:
                self.indicator_box.addItem(term.name(context.language), code)
        self.indicator_box.setCurrentIndex(
            max(self.indicator_box.findData(DEFAULT_CHART_INDICATOR), 0)
        )
        self.indicator_box.currentIndexChanged.connect(self._show_chart)
        self.chart_card = ChartCard(
            self.tr("The provinces compared"), self.tr("No province has reported yet.")
        )
        self.chart_card.use_bars(horizontal=True, labels=True)
        self.chart_card.chart.legend().hide()
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(self.tr("Indicator:")))
        chooser.addWidget(self.indicator_box, 1)
        card_layout = self.chart_card.layout()
        assert isinstance(card_layout, QVBoxLayout)
        card_layout.insertLayout(2, chooser)

        self.table = QTableWidget(0, 0)
        self.table.setObjectName("national_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        table_card = QFrame()
        table_card.setObjectName("chartCard")
        table_title = QLabel(self.tr("Key indicators by province"))
        table_title.setObjectName("chartTitle")
        self.table_subtitle = QLabel()
        self.table_subtitle.setObjectName("chartSubtitle")
        self.table_subtitle.setWordWrap(True)
        table_layout = QVBoxLayout(table_card)
        table_layout.addWidget(table_title)
        table_layout.addWidget(self.table_subtitle)
        table_layout.addWidget(self.table)

        content = QWidget()
        content.setObjectName("dashboardContent")
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 4, 0)
        content_layout.setSpacing(12)
        content_layout.addLayout(tiles)
        content_layout.addWidget(self.chart_card)
        content_layout.addWidget(table_card)
        content_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("dashboardScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.subtitle_label)
        layout.addLayout(choosers)
        layout.addWidget(self.scroll, 1)
        self._update_buttons()

    # --- the page interface --------------------------------------------------------------------
    def page_title(self) -> str:
        return self.tr("National dashboard")

    def refresh(self, *, force: bool = False) -> None:
        """Compute the figures of the chosen period when they may have changed (on the lane)."""
        chosen = self.period_box.currentData()
        if not force and not self._stale and self.data is not None and self.data.scope == chosen:
            return
        self._stale = False
        self._request += 1
        request = self._request
        catalog = self.context.catalog

        def operation(session: Session, progress: Progress) -> DashboardLoad:
            known = known_periods(session)
            scope = chosen if chosen in known or chosen in PHASES else (known[0] if known else None)
            if scope is None:
                return DashboardLoad(known, None)
            return DashboardLoad(
                known, compute_national_dashboard(session, catalog, scope, progress)
            )

        self.subtitle_label.setText(self.tr("Computing the national figures…"))
        self.context.lane.run(
            operation,
            on_success=lambda load: self._show(request, load),
            on_error=lambda error: self._failed(request, error),
            label=self.tr("Computing the national figures…"),
            parent=self,
        )

    def apply_params(self, params: dict[str, Any]) -> None:
        period = params.get("period")
        if period:
            index = self.period_box.findData(period)
            if index >= 0:
                self.period_box.setCurrentIndex(index)

    # --- showing -------------------------------------------------------------------------------
    def _mark_stale(self) -> None:
        self._stale = True

    def _on_period(self) -> None:
        if self.period_box.signalsBlocked():
            return
        self.refresh()

    def _failed(self, request: int, error: BaseException) -> None:
        if not alive(self) or request != self._request:
            return
        self._stale = True
        self.subtitle_label.setText("")
        report_error(self, error)

    def _show(self, request: int, load: DashboardLoad) -> None:
        if not alive(self) or request != self._request:
            return
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for code in [*load.known, *PHASES]:
            self.period_box.addItem(period_label(code), code)
        if load.data is not None:
            self.period_box.setCurrentIndex(max(self.period_box.findData(load.data.scope), 0))
        self.period_box.blockSignals(False)
        self.data = load.data
        self._update_buttons()
        if load.data is None:
            self.subtitle_label.setText(
                self.tr(
                    "No package received yet: the figures appear here once the provinces' "
                    "packages are received."
                )
            )
            self._show_tiles(None)
            self.chart_card.show_empty(True)
            self.table.setRowCount(0)
            self.updated.emit()
            return
        data = load.data
        scope = data.figures.scope
        self.subtitle_label.setText(
            self.tr(
                "From {start} to {end}. Each province's figures are computed with the "
                "province's own report code over the records received; the national total "
                "adds the counts and recomputes the shares."
            ).format(start=format_date(scope.start), end=format_date(scope.end))
        )
        self.context.navigator.period_shown.emit(data.scope)
        self._show_tiles(data)
        self._show_chart()
        self._show_table(data)
        self.updated.emit()

    def _update_buttons(self) -> None:
        ready = self.data is not None
        for button in (self.preview_button, self.pdf_button, self.excel_button):
            button.setEnabled(ready)

    def _show_tiles(self, data: NationalDashboardData | None) -> None:
        if data is None:
            for tile in self.tiles.values():
                tile.show_value("—", "", "")
            return
        expected = len(data.figures.provinces)
        totals = data.totals
        click = self.tr("Click to see the reporting status.")
        if totals is None:  # a phase: provinces with a current package in it
            reported = len(data.figures.figures)
            self.tiles["reported"].show_value(
                f"{format_number(reported)}/{format_number(expected)}",
                self.tr("with packages in the phase"),
                click,
            )
            for name in ("on_time", "late", "missing"):
                self.tiles[name].show_value("—", self.tr("per period only"), click)
        else:
            self.tiles["reported"].show_value(
                f"{format_number(totals['received'])}/{format_number(totals['expected'])}",
                self.tr("reporting rate {rate}%").format(rate=format_number(totals["rate"])),
                click,
            )
            self.tiles["on_time"].show_value(
                format_number(totals[ON_TIME]),
                self.tr("on-time rate {rate}%").format(rate=format_number(totals["on_time_rate"])),
                click,
            )
            self.tiles["late"].show_value(
                format_number(totals[LATE]), self.tr("signed after the deadline"), click
            )
            self.tiles["missing"].show_value(
                format_number(totals[MISSING] + totals[REFUSED]),
                self.tr("{missing} missing, {refused} refused").format(
                    missing=format_number(totals[MISSING]),
                    refused=format_number(totals[REFUSED]),
                ),
                click,
            )
        self.tiles["records"].show_value(
            format_number(data.records),
            self.tr("in {count} current packages").format(count=format_number(data.packages)),
            click,
        )

    def chart_values(self) -> list[tuple[str, float]]:
        """(province, value) of the chosen indicator, largest first (provinces with a value)."""
        if self.data is None:
            return []
        code = self.indicator_box.currentData()
        pairs = [
            (str(row["province"]), float(row[code]))
            for row in self.data.table.rows
            if row.get(code) is not None
        ]
        pairs.sort(key=lambda pair: pair[1], reverse=True)
        return pairs

    def _show_chart(self) -> None:
        card = self.chart_card
        pairs = self.chart_values()
        code = self.indicator_box.currentData()
        term = self.context.catalog.indicators.get(code)
        percent = bool(term is not None and term.extra.get("unit") == "percent")
        if not pairs:
            card.show_empty(True)
            return
        card.subtitle_label.setText(
            self.tr("{count} provinces, largest first").format(count=format_number(len(pairs)))
        )
        ordered = list(reversed(pairs))  # a horizontal chart draws its first category lowest
        bar_set = _bar_set(self.indicator_box.currentText(), _BAR_COLOUR, self.font())
        bar_set.append([value for _name, value in ordered])
        top = max(value for _name, value in pairs)
        lines = max(10, int(len(pairs) * 1.7) + 4)
        card.view.setMinimumHeight(self.fontMetrics().lineSpacing() * lines)
        card.show_bars(
            [name for name, _value in ordered],
            [bar_set],
            top * 1.15 if top else 1.0,
            "%.1f" if percent else "%.0f",
        )
        card.bar_series.setLabelsPrecision(4 if percent else 15)

    def _show_table(self, data: NationalDashboardData) -> None:
        catalog = self.context.catalog
        codes = [code for code in KEY_INDICATORS if code in catalog.indicators]
        captions = [self.tr("Province"), self.tr("Records")]
        captions += [self._short_caption(code) for code in codes]
        self.table.clear()
        self.table.setColumnCount(len(captions))
        self.table.setHorizontalHeaderLabels(captions)
        for column, code in enumerate(codes, start=2):
            header = self.table.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(catalog.indicators[code].name(self.context.language))
        rows = data.table.rows
        total_row = len(rows)
        self.table.setRowCount(len(rows) + (1 if data.table.totals else 0))
        records_total = 0
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row, values in enumerate(rows):
            found = data.figures.figures.get(str(values["code"]))
            records = sum(found.counts.values()) if found else 0
            records_total += records
            self._fill_row(row, str(values["province"]), records, values, codes)
        if data.table.totals:
            self._fill_row(
                total_row, self.tr("National total"), records_total, data.table.totals, codes
            )
            for column in range(self.table.columnCount()):
                item = self.table.item(total_row, column)
                if item is not None:
                    item.setFont(bold)
                    item.setBackground(QBrush(QColor(_TOTAL_BACKGROUND)))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        height = header.sizeHint().height() + 4
        height += sum(self.table.rowHeight(row) for row in range(self.table.rowCount()))
        self.table.setFixedHeight(height + self.table.frameWidth() * 2)
        self.table_subtitle.setText(
            self.tr(
                "Every program; the national total adds the counts and recomputes the shares "
                "from their parts, as the national report does."
            )
        )

    def _fill_row(self, row: int, name: str, records: int, values: dict[str, Any],
                  codes: list[str]) -> None:  # fmt: skip
        catalog = self.context.catalog
        texts = [name, format_number(records)]
        for code in codes:
            unit = catalog.indicators[code].extra.get("unit", "")
            texts.append(value_text(values.get(code), unit))
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if column > 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)

    def _short_caption(self, code: str) -> str:
        """Two short lines per indicator, so that ten columns fit the window."""
        return {
            "training_classes": self.tr("Training\nclasses"),
            "training_participants": self.tr("Trainee\ntimes"),
            "training_women_share": self.tr("Women\n(%)"),
            "event_participants": self.tr("Event\nparticipants"),
            "media_outputs": self.tr("Media\noutputs"),
            "devices_delivered": self.tr("Devices\ndelivered"),
            "radio_hamlet_coverage": self.tr("Hamlets with\nloudspeakers (%)"),
            "clusters_operating": self.tr("Clusters\noperating"),
            "ict_criterion_share": self.tr("Communes meeting\nthe ICT criterion (%)"),
            "disbursement_rate": self.tr("Disbursement\n(%)"),
        }.get(code, code)

    def _open_status(self) -> None:
        params = {"period": self.data.scope} if self.data is not None else {}
        self.context.navigator.navigate.emit("status", params)

    # --- the report ----------------------------------------------------------------------------
    def _render(self, target: Path, on_done: Any, label: str) -> None:
        """Write the national report of the figures shown to ``target`` (.pdf or .xlsx)."""
        data = self.data
        if data is None:
            return
        catalog = self.context.catalog

        def operation(session: Session, progress: Progress) -> Path:
            del session, progress  # the figures are computed: only the report is written
            from ctmt_desktop.reports.pdf import render_period_pdf
            from ctmt_desktop.spreadsheets.export import export_period_forms

            report = build_national_report(data.figures, catalog)
            if target.suffix.lower() == ".xlsx":
                export_period_forms(report, target)
            else:
                render_period_pdf(report, target)
            return target

        self.context.lane.run(
            operation,
            on_success=on_done,
            on_error=lambda error: report_error(self, error),
            label=label,
            parent=self,
        )

    def preview_report(self) -> None:
        """Render the national report of the period shown and open its preview."""
        if self.data is None:
            return
        self._previews = getattr(self, "_previews", 0) + 1
        target = self._work / f"national-{self._previews}.pdf"
        title = self.tr("National report — {period}").format(period=period_label(self.data.scope))

        def shown(path: Path) -> None:
            if not alive(self):
                return
            if self.preview_dialog is not None:
                self.preview_dialog.close()
                self.preview_dialog.deleteLater()
            self.preview_dialog = ReportPreviewDialog(path, title, self)
            self.preview_dialog.open()

        self._render(target, shown, self.tr("Making the national report…"))

    def save_report(self, suffix: str, path: Path | None = None) -> None:
        """Save the national report as PDF (``.pdf``) or Excel forms (``.xlsx``)."""
        if self.data is None:
            return
        if path is None:
            excel = suffix == ".xlsx"
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Save the national report"),
                f"bao-cao-quoc-gia-{self.data.scope}{suffix}",
                self.tr("Excel workbook (*.xlsx)") if excel else self.tr("PDF document (*.pdf)"),
            )
            if not chosen:
                return
            path = Path(chosen)
        target = path if path.suffix.lower() == suffix else path.with_suffix(suffix)

        def done(written: Path) -> None:
            if not alive(self):
                return
            self.subtitle_label.setText(self.tr("Saved {path}.").format(path=written))
            self.saved.emit(written)

        self._render(target, done, self.tr("Saving the national report…"))
