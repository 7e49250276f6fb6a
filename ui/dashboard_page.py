"""The dashboard: the indicators of a year, a half, a quarter or a program phase against their
targets, as tiles and charts, each clickable through to the records behind it.

The figures are computed on the database lane (:func:`compute_dashboard`, a plain function of a
session that returns plain data); the page keeps its last figures, dimmed, with a quiet
"Calculating…" until the new ones arrive, and drops results of a choice the user has since
changed.

A click-through emits ``context.navigator.navigate(kind, params)`` with:

* ``program``: the chosen program node, or None for every program;
* for records counted by their start date (training, events, media, devices, funding,
  criterion assessments): ``period``, a period code (``2024``, ``2024-H1``) or a phase
  (``2021-2025``, parse it with :func:`ctmt_desktop.periods.parse_scope`), with
  ``date_from`` and ``date_to`` (``datetime.date``) spelling out its days;
* for stock figures (radio stations, information clusters: the latest record of each commune
  up to the scope's end): ``ids``, the records behind the figure, and ``as_of``;
* a field-named value where a chart bar or slice stands for one (``media_type``,
  ``technology``, ``cluster_status``, ``funding_source``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QPieSlice,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QLocale, QMargins, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.formatting import format_date, format_number, format_percent
from ctmt_desktop.periods import PeriodError, Scope, parse_scope
from ui import app_settings
from ui.context import AppContext
from ui.db_lane import report_error
from ui.period_words import DASHBOARD_SCOPE_KEY
from ui.style import icon

if TYPE_CHECKING:  # the figures are computed on the lane, which imports the ORM they need
    from sqlalchemy.orm import Session

    from ctmt_desktop.services.indicators import CriterionResult, IndicatorValue
    from ctmt_desktop.services.targets import CombinedTarget

# The first year the dashboard offers (the 2021-2025 programs).
FIRST_YEAR = 2021
# Milliseconds of computing before the page dims its figures and says "Calculating…".
BUSY_DELAY_MS = 200
# Tiles in this order (by theme: infrastructure, people reached, outputs and funds); other
# indicators of the catalog follow.
TILE_ORDER = (
    "ict_criterion_share",
    "radio_hamlet_coverage",
    "radio_it_share",
    "clusters_operating",
    "training_classes",
    "training_participants",
    "training_women_share",
    "training_ethnic_share",
    "event_participants",
    "media_outputs",
    "devices_delivered",
    "disbursement_rate",
)
_BILLION = 1_000_000_000
_PARENTHESIS = re.compile(r"\s*\([^)]*\)$")
_SCOPE_KEY = DASHBOARD_SCOPE_KEY
_PROGRAM_KEY = "dashboard/program"

# Colours: one blue accent, status colours that read at a glance, slate for "not yet".
_BLUE = "#2563eb"
_BLUE_DARK = "#1d4ed8"
_BLUE_PALE = "#93c5fd"
_TEAL = "#0d9488"
_GREEN = "#16a34a"
_AMBER = "#f59e0b"
_RED = "#dc2626"
_SLATE = "#94a3b8"
_STATUS_COLOURS = {
    "planned": _SLATE,
    "under_construction": _AMBER,
    "operating": _GREEN,
    "stopped": _RED,
}
_TECHNOLOGY_COLOURS = {"wired": _SLATE, "fm": _BLUE_PALE, "it_telecom": _BLUE_DARK}
_OTHER_COLOURS = ("#7c3aed", "#db2777", "#0891b2", "#65a30d")

_PAGE_STYLE = """
QScrollArea#dashboardScroll, QWidget#dashboardContent { background: transparent; }
QFrame#indicatorTile, QFrame#chartCard {
    background: #ffffff;
    border: 1px solid #d7dce3;
    border-radius: 8px;
}
QFrame#indicatorTile:hover { border-color: #2563eb; }
QFrame#indicatorTile:focus { border-color: #1d4ed8; }
QFrame#indicatorTile QLabel, QFrame#chartCard QLabel { background: transparent; border: none; }
QLabel#tileCaption { color: #475569; }
QLabel#tileValue { color: #0f2747; }
QLabel#tileDetail, QLabel#chartSubtitle, QLabel#emptyChart, QLabel#facetTitle {
    color: #64748b;
}
QLabel#tileTarget { color: #1e3a8a; }
QLabel#tileTarget[reached="true"] { color: #15803d; }
QLabel#tileTarget[missing="true"] { color: #94a3b8; }
QLabel#chartTitle { font-weight: bold; color: #0f2747; }
QLabel#tileValue:disabled, QLabel#tileCaption:disabled, QLabel#tileDetail:disabled,
QLabel#tileTarget:disabled { color: #a3adbb; }
QProgressBar#tileBar {
    border: none;
    border-radius: 2px;
    background: #e5e7eb;
    max-height: 4px;
    min-height: 4px;
}
QProgressBar#tileBar::chunk { border-radius: 2px; background: #2563eb; }
QProgressBar#tileBar[reached="true"]::chunk { background: #16a34a; }
"""


# --- the figures (computed on the lane) --------------------------------------------------------
@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows for one scope and program node (plain data).

    Attributes:
        indicators: the indicators by code, in the catalog's order.
        criterion: the ICT criterion with the year it was last assessed.
        media_by_type: media outputs (quantities) by media type.
        event_count: events starting in the scope.
        device_records: records of supplied devices starting in the scope.
        clusters_by_status: ids of the information clusters (latest record per commune).
        radio_by_technology: ids of the commune radio stations (latest per commune).
        participants_by_year: (training, event) participant-times by year.
        funding_by_source: (plan, disbursed) in đồng by funding source.
        media_by_unit: media quantities by unit, then by media type (units never added up).
        targets: the target of each indicator (:func:`combined_targets`).
        target_period: the period of those targets: the scope's, or its year for a half or a
            quarter.
    """

    scope: Scope
    program: str | None
    indicators: dict[str, IndicatorValue]
    criterion: CriterionResult
    media_by_type: dict[str, float] = field(default_factory=dict)
    event_count: int = 0
    device_records: int = 0
    clusters_by_status: dict[str, list[int]] = field(default_factory=dict)
    radio_by_technology: dict[str, list[int]] = field(default_factory=dict)
    participants_by_year: dict[int, tuple[float, float]] = field(default_factory=dict)
    funding_by_source: dict[str, tuple[float, float]] = field(default_factory=dict)
    media_by_unit: dict[str, dict[str, float]] = field(default_factory=dict)
    targets: dict[str, CombinedTarget] = field(default_factory=dict)
    target_period: str = ""

    def target_of(self, code: str) -> CombinedTarget:
        from ctmt_desktop.services.targets import CombinedTarget

        return self.targets.get(code, CombinedTarget(None))


def target_period(scope: Scope) -> str:
    """The period of the targets a scope is compared with: a half or a quarter, its year's."""
    return scope.code if scope.is_year_or_phase else str(scope.start.year)


def dashboard_years(today: date | None = None) -> list[int]:
    """The years the dashboard offers: 2021 to this year (at least to 2026)."""
    last = max((today or date.today()).year, 2026)
    return list(range(FIRST_YEAR, last + 1))


def compute_dashboard(
    session: Session,
    catalog: Catalog,
    province: str,
    scope: Scope,
    program: str | None = None,
    *,
    years: list[int] | None = None,
) -> DashboardData:
    """The dashboard's figures; runs on the database lane and touches no widget."""
    years = years or dashboard_years()
    from ctmt_desktop.services.indicators import (
        assess_criterion,
        breakdown,
        compute_indicators,
        funding_breakdown,
        latest_breakdown,
        media_by_unit,
        yearly_totals,
    )
    from ctmt_desktop.services.targets import combined_targets

    values = compute_indicators(session, catalog, province, scope, program)
    training = yearly_totals(session, "training", "participants", years, program)
    events = yearly_totals(session, "event", "participants", years, program)
    period = target_period(scope)
    units = {value.code: value.unit for value in values}
    return DashboardData(
        scope=scope,
        program=program,
        indicators={value.code: value for value in values},
        criterion=assess_criterion(session, catalog, province, scope, program),
        media_by_type=breakdown(session, "media", "media_type", scope, program, "quantity"),
        event_count=int(sum(breakdown(session, "event", "event_type", scope, program).values())),
        device_records=int(
            sum(breakdown(session, "device", "device_type", scope, program).values())
        ),
        clusters_by_status=latest_breakdown(
            session, catalog, "cluster", "cluster_status", scope, program
        ),
        radio_by_technology=latest_breakdown(
            session, catalog, "radio", "technology", scope, program
        ),
        participants_by_year={year: (training[year], events[year]) for year in years},
        funding_by_source=funding_breakdown(session, scope, program),
        media_by_unit=media_by_unit(session, scope, program),
        targets=combined_targets(session, catalog, province, program, period, units),
        target_period=period,
    )


def years_code(scope: Scope) -> str:
    """The whole years a scope falls in, as a period or phase code (``2024``, ``2021-2025``)."""
    first, last = scope.start.year, scope.end.year
    return str(first) if first == last else f"{first}-{last}"


def value_text(value: float | None, unit: str) -> str:
    """An indicator's figure the Vietnamese way: ``86,0%`` or ``12.397``; ``—`` when undefined."""
    if value is None:
        return "—"
    if unit == "percent":
        return format_percent(value)
    return format_number(value, 0 if float(value).is_integer() else 1)


def billions(amount: float) -> str:
    """Đồng as billions with one decimal: ``16217954000`` -> ``16,2``."""
    return format_number(amount / _BILLION, 1)


# --- tiles -------------------------------------------------------------------------------------
class IndicatorTile(QFrame):
    """A compact card with one indicator: its name, its figure with what it was computed from
    beside it, and its target with the share reached and a thin bar (or a quiet note).

    Signals:
        clicked(): the user clicked the tile or pressed Enter or Space on it.

    Attributes:
        code: the indicator's code.
        caption_label, value_label, detail_label, target_label: the texts.
        progress_bar: the share of the target reached (hidden without a target).
    """

    clicked = Signal()

    def __init__(self, code: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.setObjectName("indicatorTile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

        self.caption_label = QLabel(caption)
        self.caption_label.setObjectName("tileCaption")
        self.caption_label.setWordWrap(True)
        self.caption_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Two lines kept for every caption, so the figures of a row line up.
        self.caption_label.setMinimumHeight(self.fontMetrics().lineSpacing() * 2)
        self.value_label = QLabel("—")
        self.value_label.setObjectName("tileValue")
        value_font = QFont(self.font())
        value_font.setPointSizeF(self.font().pointSizeF() * 1.7)
        value_font.setBold(True)
        self.value_label.setFont(value_font)
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.9)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("tileDetail")
        self.detail_label.setFont(small)
        self.detail_label.setWordWrap(True)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.detail_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.target_label = QLabel()
        self.target_label.setObjectName("tileTarget")
        self.target_label.setFont(small)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("tileBar")
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        # The bar keeps its room when hidden, so that the tiles of a row keep one height.
        keep = self.progress_bar.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.progress_bar.setSizePolicy(keep)

        spacing = self.fontMetrics().height() // 3
        value_row = QHBoxLayout()
        value_row.setContentsMargins(0, 0, 0, 0)
        value_row.setSpacing(spacing * 2)
        value_row.addWidget(self.value_label, 0, Qt.AlignmentFlag.AlignBottom)
        value_row.addWidget(self.detail_label, 1, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(spacing * 2, spacing + 2, spacing * 2, spacing + 2)
        layout.setSpacing(spacing - 1)
        layout.addWidget(self.caption_label)
        layout.addLayout(value_row)
        layout.addWidget(self.target_label)
        layout.addWidget(self.progress_bar)
        self.show_target(None, None, show_missing=False)

    def show_value(self, text: str, detail: str, tooltip: str) -> None:
        self.value_label.setText(text)
        self.detail_label.setText(detail)
        self.detail_label.setVisible(bool(detail))
        self.setToolTip(tooltip)

    def show_target(self, target: str | None, progress: float | None, *, show_missing: bool,
                    missing_text: str = "") -> None:  # fmt: skip
        """The target line (``target``, the whole line: "Target: 60 · 98,3% reached") with a
        bar for ``progress`` (percent of the target), or ``missing_text``, or nothing."""
        has_target = target is not None
        self.target_label.setText(target if has_target else missing_text)
        self.target_label.setVisible(has_target or show_missing)
        self.target_label.setProperty("missing", not has_target)
        reached = progress is not None and progress >= 100
        self.progress_bar.setVisible(has_target)
        self.progress_bar.setValue(int(min(progress or 0.0, 100.0) * 10))
        for widget in (self.target_label, self.progress_bar):
            if widget.property("reached") != reached or widget is self.target_label:
                widget.setProperty("reached", reached)
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            event.accept()
            return
        super().keyPressEvent(event)


# --- charts ------------------------------------------------------------------------------------
class ChartCard(QFrame):
    """A card with a chart, its title and subtitle, and a note in place of an empty chart.

    Signals:
        legend_clicked(str): the code of the legend entry the user clicked.

    Attributes:
        chart: the chart (series are replaced at every update).
        view: the view showing it.
        legend_labels: the entries of the card's own legend (pie charts), by code.
    """

    legend_clicked = Signal(str)

    def __init__(self, title: str, empty_text: str, *, lines: int = 16,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("chartCard")
        self.title_label = QLabel(title)
        self.title_label.setObjectName("chartTitle")
        self.title_label.setWordWrap(True)
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("chartSubtitle")
        self.subtitle_label.setWordWrap(True)

        self.chart = QChart()
        self.chart.setBackgroundVisible(False)
        self.chart.setBackgroundRoundness(0)
        self.chart.setMargins(QMargins(0, 0, 0, 0))
        self.chart.layout().setContentsMargins(0, 0, 0, 0)
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.setLocalizeNumbers(True)
        self.chart.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        self.chart.legend().setFont(self.font())
        self.chart.legend().setLabelColor(QColor("#334155"))
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setMinimumHeight(self.fontMetrics().lineSpacing() * lines)
        self.view.setStyleSheet("background: transparent;")
        self.empty_label = QLabel(empty_text)
        self.empty_label.setObjectName("emptyChart")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self._stack = QStackedWidget()
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.empty_label)
        self.legend_labels: dict[str, QLabel] = {}
        self._legend = QWidget()
        self._legend_layout = QVBoxLayout(self._legend)
        self._legend_layout.setContentsMargins(0, 0, 0, 0)
        self._legend.hide()
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self._stack, 3)
        body.addWidget(self._legend, 2)

        layout = QVBoxLayout(self)
        spacing = self.fontMetrics().height() // 3
        layout.setContentsMargins(spacing * 3, spacing * 2, spacing * 3, spacing * 2)
        layout.setSpacing(spacing // 2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)
        layout.addSpacing(spacing)
        layout.addLayout(body, 1)

    @property
    def is_empty(self) -> bool:
        return self._stack.currentWidget() is self.empty_label

    def use_bars(self, *, horizontal: bool = False, labels: bool = False) -> None:
        """Give the card a bar series with a category axis and a value axis.

        The series and axes live as long as the card; updates replace the bar sets, the
        categories and the range, never the objects the chart owns.
        """
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.setBarWidth(0.7)
        if labels:
            series.setLabelsVisible(True)
            series.setLabelsFormat("@value")
            series.setLabelsPrecision(15)
            series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        values = QValueAxis()
        for axis in (categories, values):
            self.style_axis(axis)
        categories.setGridLineVisible(False)
        values.setMinorTickCount(0)
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft if horizontal
                           else Qt.AlignmentFlag.AlignBottom)  # fmt: skip
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignBottom if horizontal
                           else Qt.AlignmentFlag.AlignLeft)  # fmt: skip
        series.attachAxis(categories)
        series.attachAxis(values)
        self.bar_series: QAbstractBarSeries = series
        self.category_axis = categories
        self.value_axis = values

    def use_pie(self) -> None:
        """Give the card a ring chart (its legend is the card's own, beside it)."""
        series = QPieSeries()
        series.setHoleSize(0.55)
        series.setPieSize(0.9)
        self.chart.addSeries(series)
        self.chart.legend().hide()
        self.pie_series = series

    def show_bars(self, categories: list[str], bar_sets: list[QBarSet], maximum: float,
                  label_format: str = "%.0f") -> None:  # fmt: skip
        """Replace the bars: ``bar_sets`` hold one value per category."""
        self.bar_series.clear()
        for bar_set in bar_sets:
            bar_set.hovered.connect(lambda state, _index: self.set_hover(state))
            self.bar_series.append(bar_set)
        self.category_axis.setCategories(categories)
        self.value_axis.setLabelFormat(label_format)
        self.value_axis.setRange(0, max(maximum * 1.12, 1.0))
        self.value_axis.applyNiceNumbers()
        self.show_empty(False)

    def show_empty(self, empty: bool) -> None:
        self._stack.setCurrentWidget(self.empty_label if empty else self.view)
        if empty:
            self.set_legend([])

    def set_legend(self, entries: list[tuple[str, str, str, str]]) -> None:
        """Show ``(code, colour, name, figures)`` entries beside the chart (none: hide it)."""
        for label in self.legend_labels.values():
            self._legend_layout.removeWidget(label)
            label.deleteLater()
        self.legend_labels.clear()
        while self._legend_layout.count():
            self._legend_layout.takeAt(0)
        self._legend_layout.addStretch(1)
        for code, colour, name, figures in entries:
            label = QLabel(
                f'<a href="{code}" style="color:#1f2937; text-decoration:none">'
                f'<span style="color:{colour}">&#9632;</span>&nbsp;{escape(name)}'
                f"<br><b>{escape(figures)}</b></a>"
            )
            label.setObjectName("legendEntry")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setCursor(Qt.CursorShape.PointingHandCursor)
            label.linkActivated.connect(self.legend_clicked)
            self._legend_layout.addWidget(label)
            self.legend_labels[code] = label
        self._legend_layout.addStretch(1)
        self._legend.setVisible(bool(entries))

    def set_hover(self, hovering: bool) -> None:
        """The hand cursor over a bar or slice that opens its records."""
        if hovering:
            self.view.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.view.viewport().unsetCursor()

    def style_axis(self, axis: QBarCategoryAxis | QValueAxis) -> None:
        axis.setLabelsFont(self.font())
        axis.setLabelsColor(QColor("#334155"))
        axis.setGridLineColor(QColor("#e5e7eb"))
        axis.setLinePenColor(QColor("#cbd5e1"))
        title_font = QFont(self.font())
        axis.setTitleFont(title_font)
        axis.setTitleBrush(QColor("#64748b"))


class BarList(QWidget):
    """A plain horizontal bar chart that gives its labels the room they need: one row a
    category (its name, its bar, its figure), the longest bar the widest.

    QtCharts gives a category axis a fixed share of a small chart and cuts long Vietnamese
    names on both sides ("Ⴔhim, phón…"); here a name takes up to 45 % of the width, ends
    with … when it must, and the whole name is in the row's tooltip.

    Signals:
        clicked(str): the code of the row clicked.

    Attributes:
        bars: (code, name, amount) of each row, top to bottom.
    """

    clicked = Signal(str)

    def __init__(self, colour: str = _BLUE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, str, float]] = []
        self._colour = QColor(colour)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_bars(self, bars: list[tuple[str, str, float]]) -> None:
        """Show ``bars``, the largest first."""
        self.bars = sorted(bars, key=lambda bar: -bar[2])
        self.updateGeometry()
        self.update()

    def _widest_name(self) -> int:
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(name) for _c, name, _a in self.bars), default=0)

    def _stacked(self) -> bool:
        """Whether names stand above their bars: when one would not fit beside its bar."""
        return self._widest_name() + 4 > int(self.width() * 0.45)

    def _row_height(self) -> int:
        line = self.fontMetrics().height()
        return 2 * line + 8 if self._stacked() else line + 10

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(240, self._row_height() * max(1, len(self.bars)) + 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        line = self.fontMetrics().height()
        stacked = self._widest_name() + 4 > int(width * 0.45)
        return (2 * line + 8 if stacked else line + 10) * max(1, len(self.bars)) + 2

    def row_rect(self, row: int) -> QRect:
        """Where row ``row`` is drawn."""
        height = self._row_height()
        return QRect(0, 1 + row * height, self.width(), height)

    def row_at(self, y: float) -> int | None:
        """The row at height ``y``, or None."""
        row = int((y - 1) // self._row_height())
        return row if 0 <= row < len(self.bars) else None

    def _label_width(self) -> int:
        """The room of the names: beside the bars, or the whole width above them."""
        if self._stacked():
            return self.width()
        return self._widest_name() + 4

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        stacked = self._stacked()
        label_width = self._label_width()
        figures = [format_number(amount, 0 if float(amount).is_integer() else 1)
                   for _c, _n, amount in self.bars]  # fmt: skip
        figure_width = max((metrics.horizontalAdvance(f) for f in figures), default=0) + 8
        left = 0 if stacked else label_width + 8
        room = max(10, self.width() - left - figure_width)
        top = max((amount for _c, _n, amount in self.bars), default=0) or 1
        text = self.palette().color(self.foregroundRole())
        line = metrics.height()
        for row, ((_code, name, amount), figure) in enumerate(zip(self.bars, figures, strict=True)):
            rect = self.row_rect(row)
            painter.setPen(text)
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, label_width)
            if stacked:  # the name on a line of its own, the bar under it
                painter.drawText(QRect(0, rect.top() + 2, label_width, line),
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                 shown)  # fmt: skip
                lane = QRect(0, rect.top() + line + 2, self.width(), line + 4)
            else:
                painter.drawText(QRect(0, rect.top(), label_width, rect.height()),
                                 int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                                 shown)  # fmt: skip
                lane = rect
            width = max(2, round(room * amount / top)) if amount else 0
            painter.fillRect(QRect(left, lane.top() + 4, width, lane.height() - 8), self._colour)
            painter.drawText(QRect(left + width + 6, lane.top(), figure_width, lane.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             figure)  # fmt: skip
        if not stacked:
            painter.setPen(QColor("#cbd5e1"))
            painter.drawLine(left, 0, left, self.height())
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        row = self.row_at(event.position().y())
        if row is not None and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.bars[row][0])
            return
        super().mousePressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            row = self.row_at(event.pos().y())
            if row is None:
                QToolTip.hideText()
            else:
                _code, name, amount = self.bars[row]
                QToolTip.showText(event.globalPos(), f"{name}: {format_number(amount)}", self)
            return True
        return super().event(event)


class MediaFacet(QFrame):
    """One unit's bars in the media card: its name above, then a :class:`BarList`.

    Attributes:
        title_label: the unit's name.
        bars: the chart of the unit's media types.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mediaFacet")
        self.title_label = QLabel(title)
        self.title_label.setObjectName("facetTitle")
        self.bars = BarList()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 8, 8)
        layout.setSpacing(2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.bars)
        layout.addStretch(1)


class MediaCard(ChartCard):
    """Media outputs as small multiples: one bar chart per unit (items, copies, sheets…), each
    on its own scale, so that leaflets are never measured against articles.

    Attributes:
        facets: the facets of the units shown, by unit code.
    """

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, empty_text, lines=8, parent=parent)
        self.facets: dict[str, MediaFacet] = {}
        self._grid_widget = QWidget()
        self._grid = QGridLayout(self._grid_widget)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(6)
        self._stack.removeWidget(self.view)
        self._stack.insertWidget(0, self._grid_widget)
        self.view.hide()

    @property
    def is_empty(self) -> bool:
        return self._stack.currentWidget() is self.empty_label

    def show_empty(self, empty: bool) -> None:
        self._stack.setCurrentWidget(self.empty_label if empty else self._grid_widget)

    def show_units(self, units: list[tuple[str, str, list[tuple[str, str, float]]]],
                   on_click: Callable[[str], None]) -> None:  # fmt: skip
        """``units``: (unit code, unit name, [(media type, its name, quantity)…]) in order."""
        for facet in self.facets.values():
            self._grid.removeWidget(facet)
            facet.deleteLater()
        self.facets.clear()
        if not units:
            self.show_empty(True)
            return
        for index, (unit, unit_name, bars) in enumerate(units):
            facet = MediaFacet(unit_name)
            facet.bars.set_bars(bars)
            facet.bars.clicked.connect(on_click)
            self._grid.addWidget(facet, index // 2, index % 2)
            self.facets[unit] = facet
        for row in range(self._grid.rowCount()):
            self._grid.setRowStretch(row, 0)
        self._grid.setRowStretch((len(units) + 1) // 2, 1)  # spare height below, not between
        self.show_empty(False)


def _bar_set(name: str, colour: str, label_font: QFont | None = None) -> QBarSet:
    bar_set = QBarSet(name)
    bar_set.setColor(QColor(colour))
    bar_set.setBorderColor(QColor(colour))
    if label_font is not None:
        bar_set.setLabelColor(QColor("#1f2937"))
        bar_set.setLabelFont(label_font)
    return bar_set


def _hover_slice(card: ChartCard, piece: QPieSlice, hovering: bool) -> None:
    piece.setExploded(hovering)
    card.set_hover(hovering)


# --- the page ----------------------------------------------------------------------------------
class DashboardPage(QWidget):
    """Indicators of the chosen scope and program node against their targets, with charts.

    Signals:
        updated(): new figures are shown (after :meth:`refresh` or a change of choice).
        period_changed(str): the chosen period or phase code changed (the status bar shows it).

    Attributes:
        context: the shared state of the open database.
        year_box: a year, or a program phase.
        part_box: the whole year, a half or a quarter (disabled for a phase).
        program_box: every program, or one program node (with the nodes below it).
        status_label: "Calculating…" while the figures are computed.
        tiles: the indicator tiles by indicator code.
        cards: the chart cards by name (``participants_by_year``, ``funding_by_source``,
            ``media_by_type``, ``radio_by_technology``, ``clusters_by_status``).
        data: the figures shown (None before the first computation).
    """

    updated = Signal()
    period_changed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.data: DashboardData | None = None
        self._request = 0
        self._computing = False
        self._columns = 0
        self._years = dashboard_years()
        # Figures that take longer than this get a dimmed "Calculating…"; quicker ones do not
        # make the page blink.
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(lambda: self._show_busy(self._computing))
        self.setStyleSheet(_PAGE_STYLE)

        heading = QLabel(self.page_title())
        heading.setProperty("role", "heading")
        heading_font = QFont(heading.font())
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.35)
        heading.setFont(heading_font)
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("dashboardSubtitle")
        self.subtitle_label.setProperty("role", "muted")

        self.year_box = QComboBox()
        self.year_box.setObjectName("year_box")
        for year in reversed(self._years):
            self.year_box.addItem(str(year), str(year))
        for phase in self._phases():
            self.year_box.addItem(self.tr("Phase {phase}").format(phase=phase), phase)
        self.year_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.year_box.setMinimumContentsLength(9)
        self.part_box = QComboBox()
        self.part_box.setObjectName("part_box")
        for code, text in (
            ("", self.tr("Whole year")),
            ("H1", self.tr("First half")),
            ("H2", self.tr("Second half")),
            ("Q1", self.tr("Quarter I")),
            ("Q2", self.tr("Quarter II")),
            ("Q3", self.tr("Quarter III")),
            ("Q4", self.tr("Quarter IV")),
        ):
            self.part_box.addItem(text, code)
        self.program_box = QComboBox()
        self.program_box.setObjectName("program_box")
        self.program_box.addItem(self.tr("All programs"), None)
        for node in context.catalog.programs.values():
            label = f"{'    ' * node.depth}{node.code} — {node.short_name or node.name}"
            self.program_box.addItem(label, node.code)
            self.program_box.setItemData(
                self.program_box.count() - 1, node.name, Qt.ItemDataRole.ToolTipRole
            )
        self.program_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.program_box.setMinimumContentsLength(18)
        self.program_box.view().setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)
        self.program_box.setMaxVisibleItems(24)

        self.status_label = QLabel()
        self.status_label.setObjectName("dashboardStatus")
        self.status_label.setProperty("role", "muted")
        refresh_button = QPushButton(self.tr("Refresh"))
        refresh_button.setObjectName("refresh_button")
        refresh_button.setToolTip(self.tr("Compute the figures again from the records"))
        refresh_button.clicked.connect(self.refresh)
        refresh_button.setIcon(icon("refresh-cw"))

        choosers = QHBoxLayout()
        choosers.setSpacing(8)
        choosers.addWidget(QLabel(self.tr("Period:")))
        choosers.addWidget(self.year_box)
        choosers.addWidget(self.part_box)
        choosers.addSpacing(12)
        choosers.addWidget(QLabel(self.tr("Program:")))
        choosers.addWidget(self.program_box, 1)
        title_row = QHBoxLayout()
        title_row.addWidget(heading)
        title_row.addSpacing(12)
        title_row.addWidget(self.subtitle_label)
        title_row.addStretch(1)
        title_row.addWidget(self.status_label)
        title_row.addSpacing(8)
        title_row.addWidget(refresh_button)

        # Tiles
        self.tiles: dict[str, IndicatorTile] = {}
        codes = [c for c in TILE_ORDER if c in context.catalog.indicators]
        codes += [c for c in context.catalog.indicators if c not in codes]
        for code in codes:
            term = context.catalog.indicators[code]
            tile = IndicatorTile(code, term.name(context.language))
            tile.clicked.connect(lambda code=code: self.open_indicator(code))
            self.tiles[code] = tile
        self._tile_grid = QGridLayout()
        self._tile_grid.setSpacing(12)

        # Charts
        nothing = self.tr("No records in this period.")
        self.cards: dict[str, ChartCard] = {
            "participants_by_year": ChartCard(self.tr("Participant-times by year"), nothing),
            "funding_by_source": ChartCard(
                self.tr("Funding plan and disbursement by source"), nothing
            ),
            "media_by_type": MediaCard(self.tr("Media outputs by type and unit"), nothing),
            "radio_by_technology": ChartCard(
                self.tr("Commune radio stations by technology"), nothing
            ),
            "clusters_by_status": ChartCard(self.tr("Information clusters by status"), nothing),
        }
        self.cards["participants_by_year"].use_bars()
        self.cards["funding_by_source"].use_bars(horizontal=True, labels=True)
        self.cards["radio_by_technology"].use_pie()
        self.cards["clusters_by_status"].use_pie()
        funding_legend = self.cards["funding_by_source"].chart.legend()
        funding_legend.setReverseMarkers(True)  # Plan first, as the bars read from the top
        for card in self.cards.values():
            card.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._legend_actions: dict[ChartCard, Callable[[str], None]] = {}
        for card in self.cards.values():
            card.legend_clicked.connect(lambda code, card=card: self._on_legend(card, code))
        self._chart_grid = QGridLayout()
        self._chart_grid.setSpacing(12)

        content = QWidget()
        content.setObjectName("dashboardContent")
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 4, 0)
        content_layout.setSpacing(12)
        content_layout.addLayout(self._tile_grid)
        content_layout.addLayout(self._chart_grid)
        content_layout.addStretch(1)
        self._content = content
        scroll = QScrollArea()
        scroll.setObjectName("dashboardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self._scroll = scroll

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(title_row)
        layout.addLayout(choosers)
        layout.addWidget(scroll, 1)

        self._restore_choice()
        self._arrange(self._columns_for(self.width()))
        self.year_box.currentIndexChanged.connect(self._on_choice)
        self.part_box.currentIndexChanged.connect(self._on_choice)
        self.program_box.currentIndexChanged.connect(self._on_choice)
        self._update_part_box()
        self._show_subtitle()
        self._remember_scope()

    # --- the page interface --------------------------------------------------------------------
    def page_title(self) -> str:
        return self.tr("Dashboard")

    def refresh(self) -> None:
        """Compute the figures of the current choice on the lane; show them when they arrive."""
        self._request += 1
        request = self._request
        scope, program = self.scope(), self.program()
        catalog, province, years = self.context.catalog, self.context.province, self._years
        self._set_computing(True)

        def compute(session: Session, _progress: Callable[[int, int], bool]) -> DashboardData:
            return compute_dashboard(session, catalog, province, scope, program, years=years)

        self.context.lane.run(
            compute,
            on_success=lambda data: self._on_computed(request, data),
            on_error=lambda error: self._on_failed(request, error),
        )

    def apply_params(self, params: dict[str, Any]) -> None:
        """Show ``params["period"]`` (a period or phase) and ``params["program"]`` if given."""
        changed = False
        for box in (self.year_box, self.part_box, self.program_box):
            box.blockSignals(True)
        try:
            if params.get("period"):
                changed |= self._choose_scope(str(params["period"]))
            if "program" in params:
                index = self.program_box.findData(params["program"])
                if index >= 0 and index != self.program_box.currentIndex():
                    self.program_box.setCurrentIndex(index)
                    changed = True
        finally:
            for box in (self.year_box, self.part_box, self.program_box):
                box.blockSignals(False)
        self._update_part_box()
        self._show_subtitle()
        self._remember_scope()
        if changed or self.data is None:
            self.refresh()

    def save_settings(self) -> None:
        """Remember the scope and program node for the next start."""
        settings = app_settings()
        settings.setValue(_SCOPE_KEY, self.scope().code)
        settings.setValue(_PROGRAM_KEY, self.program() or "")

    # --- the choice ----------------------------------------------------------------------------
    def scope(self) -> Scope:
        """The chosen year, half, quarter or phase."""
        year_or_phase = self.year_box.currentData()
        part = self.part_box.currentData() if self.part_box.isEnabled() else ""
        return parse_scope(f"{year_or_phase}-{part}" if part else year_or_phase)

    def program(self) -> str | None:
        """The chosen program node (None: every program)."""
        return self.program_box.currentData()

    def _phases(self) -> list[str]:
        """The phases of the programs that started by this year, oldest first."""
        last = self._years[-1]
        phases = {
            phase
            for node in self.context.catalog.programs.values()
            for phase in node.phases
            if FIRST_YEAR <= int(phase[:4]) <= last
        }
        return sorted(phases)

    def _choose_scope(self, code: str) -> bool:
        """Set the boxes to a period or phase code; False when it is not offered."""
        try:
            scope = parse_scope(code)
        except PeriodError:
            return False
        if scope.start.year != scope.end.year:
            index, part = self.year_box.findData(scope.code), ""
        else:
            index = self.year_box.findData(str(scope.start.year))
            part = scope.code[5:]
        part_index = self.part_box.findData(part)
        if index < 0 or part_index < 0:
            return False
        changed = index != self.year_box.currentIndex() or (
            part_index != self.part_box.currentIndex() and bool(part or self.part_box.currentData())
        )
        self.year_box.setCurrentIndex(index)
        self.part_box.setCurrentIndex(part_index)
        return changed

    def _restore_choice(self) -> None:
        settings = app_settings()
        scope = str(settings.value(_SCOPE_KEY, "") or "")
        if not scope or not self._choose_scope(scope):
            this_year = self.year_box.findData(str(date.today().year))
            self.year_box.setCurrentIndex(max(this_year, 0))
        program = str(settings.value(_PROGRAM_KEY, "") or "")
        index = self.program_box.findData(program) if program else 0
        self.program_box.setCurrentIndex(max(index, 0))

    def _update_part_box(self) -> None:
        is_phase = "-" in str(self.year_box.currentData())
        self.part_box.setEnabled(not is_phase)

    def _on_choice(self) -> None:
        self._update_part_box()
        self._show_subtitle()
        self._remember_scope()
        self.refresh()

    def _remember_scope(self) -> None:
        """Keep the period at once (the status bar and a rebuilt page show the same one)."""
        code = self.scope().code
        app_settings().setValue(_SCOPE_KEY, code)
        self.period_changed.emit(code)

    def _show_subtitle(self) -> None:
        scope = self.scope()
        program = self.program()
        node = self.context.catalog.program(program) if program else None
        where = node.name if node else self.tr("all programs")
        self.subtitle_label.setText(
            self.tr("From {start} to {end} · {program}").format(
                start=format_date(scope.start), end=format_date(scope.end), program=where
            )
        )

    # --- computing -----------------------------------------------------------------------------
    def _set_computing(self, computing: bool) -> None:
        """Figures on their way: dim the old ones and say so, unless they come at once."""
        self._computing = computing
        if computing:
            if not self._busy_timer.isActive() and self._content.isEnabled():
                self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self._show_busy(False)

    def _show_busy(self, busy: bool) -> None:
        self.status_label.setText(self.tr("Calculating…") if busy else "")
        self._content.setEnabled(not busy)

    def _on_computed(self, request: int, data: DashboardData) -> None:
        if not shiboken6.isValid(self) or request != self._request:
            return  # the page is gone, or the user chose something else meanwhile
        self.data = data
        self._set_computing(False)
        self._show_tiles(data)
        self._show_charts(data)
        self.updated.emit()

    def _on_failed(self, request: int, error: BaseException) -> None:
        if not shiboken6.isValid(self) or request != self._request:
            return
        self._set_computing(False)
        self.status_label.setText(self.tr("The figures could not be computed."))
        report_error(self, error)

    # --- tiles ---------------------------------------------------------------------------------
    def _show_tiles(self, data: DashboardData) -> None:
        language = self.context.language
        for code, tile in self.tiles.items():
            value = data.indicators.get(code)
            tile.setVisible(value is not None)
            if value is None:
                continue
            text = value_text(value.value, value.unit)
            detail = self._detail(value, data)
            tooltip = "\n".join(
                [value.name(language), detail, self.tr("Click to see the records behind it.")]
            )
            target_line, progress = self._target_line(value, data)
            if target_line is not None:
                tooltip += "\n" + target_line
            tile.show_value(text, detail, tooltip)
            tile.show_target(
                target_line,
                progress,
                show_missing=True,
                missing_text=self._no_target_text(data.target_of(code)),
            )

    def _target_line(
        self, value: IndicatorValue, data: DashboardData
    ) -> tuple[str | None, float | None]:
        """("Target: 60 · 98,3% reached", 98.3), or (None, None) without a target."""
        target = data.target_of(value.code).value
        if target is None:
            return None, None
        shown = value_text(target, value.unit)
        if data.target_period != data.scope.code:  # a half or a quarter: its year's target
            line = self.tr("{year} target: {target}").format(year=data.target_period, target=shown)
        else:
            line = self.tr("Target: {target}").format(target=shown)
        progress = None if value.value is None or not target else 100.0 * value.value / target
        if progress is not None:
            line = self.tr("{target} · {share} reached").format(
                target=line, share=format_percent(progress)
            )
        return line, progress

    def _no_target_text(self, target: CombinedTarget) -> str:
        if target.differs:
            return self.tr("targets differ by program: choose one")
        return self.tr("no target set")

    def _detail(self, value: IndicatorValue, data: DashboardData) -> str:
        """What a figure was computed from, in words."""
        indicators = data.indicators
        code = value.code

        def number(amount: float | None) -> str:
            return format_number(amount or 0)

        if code == "ict_criterion_share":
            criterion = data.criterion
            if criterion.year is None:
                return self.tr("No commune assessed yet")
            return self.tr("{met} of {communes} communes, assessed in {year}").format(
                met=number(criterion.met), communes=number(criterion.communes), year=criterion.year
            )
        if code == "radio_hamlet_coverage":
            return self.tr("{covered} of {hamlets} hamlets have loudspeakers").format(
                covered=number(value.numerator), hamlets=number(value.denominator)
            )
        if code == "radio_it_share":
            return self.tr("{count} of {stations} commune radio stations").format(
                count=number(value.numerator), stations=number(value.denominator)
            )
        if code == "clusters_operating":
            total = sum(len(ids) for ids in data.clusters_by_status.values())
            if not total:
                return self.tr("No cluster recorded yet")
            return self.tr("of {total} clusters recorded").format(total=number(total))
        if code in ("training_women_share", "training_ethnic_share") and not value.denominator:
            return self.tr("No trainee in this period")
        if code == "training_classes":
            participants = indicators.get("training_participants")
            people = participants.numerator if participants else 0.0
            per_class = people / value.numerator if value.numerator else None
            if per_class is None:
                return self.tr("No class in this period")
            return self.tr("{per_class} participant-times per class").format(
                per_class=format_number(per_class, 1)
            )
        if code == "training_participants":
            classes = indicators.get("training_classes")
            return self.tr("in {classes} training classes").format(
                classes=number(classes.numerator if classes else 0)
            )
        if code == "training_women_share":
            return self.tr("{women} women of {participants} participant-times").format(
                women=number(value.numerator), participants=number(value.denominator)
            )
        if code == "training_ethnic_share":
            return self.tr("{ethnic} of {participants} participant-times").format(
                ethnic=number(value.numerator), participants=number(value.denominator)
            )
        if code == "event_participants":
            return self.tr("at {events} conferences, talks and dialogues").format(
                events=number(data.event_count)
            )
        if code == "media_outputs":
            return self.tr("of {types} types").format(types=number(len(data.media_by_type)))
        if code == "devices_delivered":
            return self.tr("in {records} deliveries").format(records=number(data.device_records))
        if code == "disbursement_rate":
            return self.tr("{disbursed} of {plan} billion đồng planned").format(
                disbursed=billions(value.numerator), plan=billions(value.denominator or 0)
            )
        return ""

    def _columns_for(self, width: int) -> int:
        """Six tiles a row on a large screen, four at 1366 px: the charts start on screen."""
        tile_width = self.fontMetrics().averageCharWidth() * 30
        for columns in (6, 4, 3):
            if width >= tile_width * columns + 12 * (columns - 1) + 40:
                return columns
        return 2

    def _arrange(self, columns: int) -> None:
        """Lay the tiles out in ``columns`` columns and the charts in two (one when narrow)."""
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles.values():
            self._tile_grid.removeWidget(tile)
        for index, tile in enumerate(self.tiles.values()):
            self._tile_grid.addWidget(tile, index // columns, index % columns)
        for column in range(6):
            self._tile_grid.setColumnStretch(column, 1 if column < columns else 0)
        for card in self.cards.values():
            self._chart_grid.removeWidget(card)
        cards = self.cards
        if columns >= 3:
            self._chart_grid.addWidget(cards["participants_by_year"], 0, 0)
            self._chart_grid.addWidget(cards["funding_by_source"], 0, 1)
            self._chart_grid.addWidget(cards["media_by_type"], 1, 0, 2, 1)
            self._chart_grid.addWidget(cards["radio_by_technology"], 1, 1)
            self._chart_grid.addWidget(cards["clusters_by_status"], 2, 1)
            self._chart_grid.setColumnStretch(0, 1)
            self._chart_grid.setColumnStretch(1, 1)
        else:
            for row, card in enumerate(cards.values()):
                self._chart_grid.addWidget(card, row, 0)
            self._chart_grid.setColumnStretch(1, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(self._columns_for(event.size().width()))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.data is None and not self._computing:
            self.refresh()

    # --- charts --------------------------------------------------------------------------------
    def _show_charts(self, data: DashboardData) -> None:
        self._show_participants(data)
        self._show_funding(data)
        self._show_media(data)
        self._show_stock_pie(
            self.cards["radio_by_technology"],
            data.radio_by_technology,
            "radio_technologies",
            _TECHNOLOGY_COLOURS,
            "radio",
            "technology",
            data,
            self.tr("Stations by their latest record up to {day}"),
        )
        self._show_stock_pie(
            self.cards["clusters_by_status"],
            data.clusters_by_status,
            "cluster_statuses",
            _STATUS_COLOURS,
            "cluster",
            "cluster_status",
            data,
            self.tr("Clusters by their latest record up to {day}"),
        )

    def _vocabulary_name(self, vocabulary: str, code: str) -> str:
        return self.context.catalog.term_name(vocabulary, code, self.context.language)

    def _show_participants(self, data: DashboardData) -> None:
        card = self.cards["participants_by_year"]
        years = list(data.participants_by_year)
        card.subtitle_label.setText(
            self.tr("Training and events, {first}–{last}; click a bar to see its records").format(
                first=years[0] if years else "", last=years[-1] if years else ""
            )
        )
        if not any(t or e for t, e in data.participants_by_year.values()):
            card.show_empty(True)
            return
        bar_sets = []
        for kind, name, colour, position in (
            ("training", self.tr("Training"), _BLUE, 0),
            ("event", self.tr("Conferences and events"), _TEAL, 1),
        ):
            bar_set = _bar_set(name, colour)
            bar_set.append([data.participants_by_year[y][position] for y in years])
            bar_set.clicked.connect(
                lambda index, kind=kind: self._open_period(kind, str(years[index]))
            )
            bar_sets.append(bar_set)
        top = max(max(pair) for pair in data.participants_by_year.values())
        card.show_bars([str(y) for y in years], bar_sets, top)

    def _show_funding(self, data: DashboardData) -> None:
        card = self.cards["funding_by_source"]
        card.subtitle_label.setText(
            self.tr("Billion đồng, plans of {years}; click a bar to see its records").format(
                years=years_code(data.scope)
            )
        )
        # The first source at the top: a horizontal chart draws its first category at the bottom.
        order = list(self.context.catalog.vocabulary("funding_sources"))
        sources = [code for code, (plan, paid) in data.funding_by_source.items() if plan or paid]
        sources.sort(key=lambda c: order.index(c) if c in order else len(order), reverse=True)
        if not sources:
            card.show_empty(True)
            return
        bar_sets = []
        for name, colour, position in (
            (self.tr("Disbursed"), _BLUE_DARK, 1),
            (self.tr("Plan"), _BLUE_PALE, 0),
        ):
            bar_set = _bar_set(name, colour, self.font())
            bar_set.append(
                [round(data.funding_by_source[s][position] / _BILLION, 1) for s in sources]
            )
            bar_set.clicked.connect(lambda index: self._open_funding(sources[index]))
            bar_sets.append(bar_set)
        top = max(max(pair) for pair in data.funding_by_source.values()) / _BILLION
        # Without the parenthesis ("Ngân sách địa phương (đối ứng)"): room for the bars.
        names = [_PARENTHESIS.sub("", self._vocabulary_name("funding_sources", s)) for s in sources]
        # Room on the right for the label of the longest bar.
        card.show_bars(names, bar_sets, top * 1.15, "%.0f" if top >= 10 else "%.1f")

    def _show_media(self, data: DashboardData) -> None:
        card = self.cards["media_by_type"]
        assert isinstance(card, MediaCard)
        card.subtitle_label.setText(
            self.tr("One chart per unit, each on its own scale; click a bar to see its records")
        )
        order = list(self.context.catalog.vocabulary("quantity_units"))
        units = []
        for unit in sorted(data.media_by_unit, key=lambda u: order.index(u) if u in order else 99):
            bars = [
                (code, self._vocabulary_name("media_types", code), amount)
                for code, amount in data.media_by_unit[unit].items()
                if amount
            ]
            if bars:
                units.append((unit, self._vocabulary_name("quantity_units", unit), bars))
        card.show_units(units, self._open_media)

    def _show_stock_pie(
        self,
        card: ChartCard,
        groups: dict[str, list[int]],
        vocabulary: str,
        colours: dict[str, str],
        kind: str,
        field_name: str,
        data: DashboardData,
        subtitle: str,
    ) -> None:
        card.subtitle_label.setText(subtitle.format(day=format_date(data.scope.end)))

        def open_group(code: str) -> None:
            self._open_stock(kind, list(groups.get(code, [])), {field_name: code})

        self._legend_actions[card] = open_group
        order = list(self.context.catalog.vocabulary(vocabulary))
        codes = sorted(
            (c for c, ids in groups.items() if ids),
            key=lambda c: order.index(c) if c in order else len(order),
        )
        if not codes:
            card.show_empty(True)
            return
        total = sum(len(groups[c]) for c in codes)
        series = card.pie_series
        series.clear()
        entries = []
        for index, code in enumerate(codes):
            count = len(groups[code])
            name = self._vocabulary_name(vocabulary, code)
            figures = f"{format_number(count)} ({format_percent(100 * count / total, 0)})"
            piece = QPieSlice(name, count)
            colour = colours.get(code, _OTHER_COLOURS[index % len(_OTHER_COLOURS)])
            piece.setColor(QColor(colour))
            piece.setBorderColor(QColor("#ffffff"))
            piece.setExplodeDistanceFactor(0.04)
            piece.setProperty("code", code)
            piece.clicked.connect(lambda code=code: open_group(code))
            piece.hovered.connect(partial(_hover_slice, card, piece))
            series.append(piece)
            entries.append((code, colour, name, figures))
        card.set_legend(entries)
        card.show_empty(False)

    def _on_legend(self, card: ChartCard, code: str) -> None:
        action = self._legend_actions.get(card)
        if action is not None and not self._computing:
            action(code)

    # --- click-through -------------------------------------------------------------------------
    def _scope_params(self, scope: Scope) -> dict[str, Any]:
        return {
            "period": scope.code,
            "date_from": scope.start,
            "date_to": scope.end,
            "program": self._data_program(),
        }

    def _data_program(self) -> str | None:
        return self.data.program if self.data is not None else self.program()

    def _data_scope(self) -> Scope:
        return self.data.scope if self.data is not None else self.scope()

    def _navigate(self, kind: str, params: dict[str, Any]) -> None:
        self.context.navigator.navigate.emit(kind, params)

    def _open_period(self, kind: str, period: str, **extra: Any) -> None:
        params = self._scope_params(parse_scope(period))
        params.update(extra)
        self._navigate(kind, params)

    def _open_stock(self, kind: str, ids: list[int], extra: dict[str, Any] | None = None) -> None:
        params: dict[str, Any] = {
            "program": self._data_program(),
            "ids": list(ids),
            "as_of": self._data_scope().end,
        }
        params.update(extra or {})
        self._navigate(kind, params)

    def _open_media(self, media_type: str) -> None:
        self._open_period("media", self._data_scope().code, media_type=media_type)

    def _open_funding(self, source: str) -> None:
        self._open_period("funding", years_code(self._data_scope()), funding_source=source)

    def open_indicator(self, code: str) -> None:
        """Show the records behind the tile ``code``."""
        data = self.data
        if data is None or self._computing:
            return
        value = data.indicators.get(code)
        if value is None:
            return
        scope = data.scope
        if code == "ict_criterion_share":
            year = data.criterion.year or scope.end.year
            self._open_period("criterion", str(year))
        elif value.kind == "funding":
            self._open_period("funding", years_code(scope))
        elif value.kind == "radio":
            stations = data.radio_by_technology
            if code == "radio_it_share":
                self._open_stock("radio", stations.get("it_telecom", []),
                                 {"technology": "it_telecom"})  # fmt: skip
            else:
                self._open_stock("radio", sorted(i for ids in stations.values() for i in ids))
        elif value.kind == "cluster":
            self._open_stock("cluster", data.clusters_by_status.get("operating", []),
                             {"cluster_status": "operating"})  # fmt: skip
        else:
            self._open_period(value.kind, scope.code)
