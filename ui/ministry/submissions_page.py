"""Submissions received: every accepted package (current and superseded versions), filtered by
period and province, and the detail of one: its facts (province, period, version, signer,
signing and received times, review state), its counts per kind and its records, kind by kind,
searchable without diacritics.

The same detail opens from the reporting status (:class:`SubmissionDialog`), and a refused
cell opens :class:`RefusalsDialog` with every refused package's failed checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.formatting import format_date, format_money, format_number
from ctmt_desktop.kinds import DEFAULT_COLUMNS, FieldSpec, FieldType, kind_spec
from ctmt_desktop.ministry.records import (
    NationalRecordQuery,
    RefusalInfo,
    SubmissionInfo,
    count_national_records,
    get_submission,
    list_national_records,
    list_refusals,
    list_submissions,
)
from ctmt_desktop.ministry.status import current_provinces, holder, known_periods
from ctmt_desktop.signing.identity import format_fingerprint
from ui.db_lane import Progress, report_error
from ui.i18n import translate_buttons
from ui.ministry.common import (
    MinistryContext,
    alive,
    format_moment,
    kind_counts,
    period_label,
    province_name,
    review_text,
    submission_state_text,
    vietnam_time,
)
from ui.style import icon
from ui.verification import check_title

Index = QModelIndex | QPersistentModelIndex
#: Records of one kind shown at once in a detail (the count tells how many match).
RECORDS_SHOWN = 1000
#: Milliseconds after the last key press before a search runs.
SEARCH_DELAY_MS = 250
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


# --- the records of a submission ---------------------------------------------------------------
def record_columns(kind: str) -> list[FieldSpec]:
    """The fields a received record's table shows: those a province's table shows first
    (without the draft/confirmed status: every record received was approved)."""
    spec = kind_spec(kind)
    names = [name for name in DEFAULT_COLUMNS.get(kind, ("title",)) if name != "status"]
    return [spec.field(name) for name in names if name in spec.field_names]


def field_text(field: FieldSpec, record: dict[str, Any], catalog: Catalog, language: str) -> str:
    """A field of a record as its package sent it, written the Vietnamese way."""
    if field.type is FieldType.PLACES:
        return str(record.get("place_names") or ", ".join(record.get("places") or []))
    value = record.get(field.name)
    if value is None or value == "":
        return ""
    if field.type is FieldType.DATE:
        try:
            return format_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if field.type is FieldType.MONEY:
        return format_money(int(value))
    if field.type is FieldType.INT:
        if (field.minimum or 0) >= 1900:  # a year: 2025, not 2.025
            return str(value)
        return format_number(value)
    if field.type is FieldType.BOOL:
        if value:
            return QCoreApplication.translate("NationalRecordsModel", "Yes")
        return QCoreApplication.translate("NationalRecordsModel", "No")
    if field.type is FieldType.CODE and field.vocabulary == "program":
        return str(value)
    if field.type is FieldType.CODE and field.vocabulary:
        return catalog.term_name(field.vocabulary, str(value), language)
    return str(value)


class NationalRecordsModel(QAbstractTableModel):
    """Received records of one kind (dicts as their packages sent them), a row each."""

    def __init__(self, catalog: Catalog, language: str = "vi",
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._catalog = catalog
        self._language = language
        self.kind = ""
        self.fields: list[FieldSpec] = []
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, kind: str, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.kind = kind
        self.fields = record_columns(kind) if kind else []
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        field = self.fields[index.column()]
        record = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = field_text(field, record, self._catalog, self._language)
            if role == Qt.ItemDataRole.ToolTipRole:
                if field.type is FieldType.CODE and field.vocabulary == "program":
                    return self._catalog.term_name("program", record.get(field.name)) or None
                return text or None
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole and field.type in (
            FieldType.INT,
            FieldType.MONEY,
        ):
            return int(_RIGHT)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.fields)
        ):
            return self.fields[section].label(self._language)
        return None


@dataclass(frozen=True)
class RecordPage:
    """The records of one kind of a submission that match a search, and how many match."""

    kind: str
    rows: list[dict[str, Any]]
    matching: int


class SubmissionDetail(QWidget):
    """One submission: its facts on the left, its records kind by kind on the right.

    Signals:
        loaded(): the submission's facts are shown.
        records_loaded(): its records of the chosen kind are shown.

    Attributes:
        info: the submission shown (None before one is loaded).
        fact_labels: the value label of each fact, by name (``province``, ``period``,
            ``version``, ``state``, ``package_id``, ``file``, ``sender``, ``signer``,
            ``fingerprint``, ``signed``, ``received``, ``records``, ``review``).
        kind_box: the kind whose records are shown (with its count).
        search_edit: words to find (diacritics and đ ignored).
        records_model, records_view: the records.
        records_label: how many records match and are shown.
    """

    loaded = Signal()
    records_loaded = Signal()

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.info: SubmissionInfo | None = None
        self._request = 0
        self._records_request = 0

        self.title_label = QLabel(self.tr("Choose a submission to see its detail."))
        self.title_label.setObjectName("detail_title")
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title_label.setFont(font)

        facts = QFormLayout()
        facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fact_labels: dict[str, QLabel] = {}
        for name, caption in (
            ("province", self.tr("Province:")),
            ("period", self.tr("Period:")),
            ("version", self.tr("Version:")),
            ("state", self.tr("State:")),
            ("review", self.tr("Review:")),
            ("records", self.tr("Records:")),
            ("kinds", self.tr("By kind:")),
            ("signer", self.tr("Signed by:")),
            ("fingerprint", self.tr("Certificate:")),
            ("signed", self.tr("Signed at:")),
            ("received", self.tr("Received:")),
            ("sender", self.tr("Sender:")),
            ("file", self.tr("File:")),
            ("package_id", self.tr("Package id:")),
        ):
            label = QLabel()
            label.setObjectName(f"fact_{name}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fact_labels[name] = label
            facts.addRow(caption, label)
        facts_box = QWidget()
        facts_layout = QVBoxLayout(facts_box)
        facts_layout.setContentsMargins(0, 0, 8, 0)
        facts_layout.addLayout(facts)
        facts_layout.addStretch(1)
        facts_box.setObjectName("facts")
        facts_scroll = QScrollArea()
        facts_scroll.setObjectName("facts_scroll")
        facts_scroll.setWidgetResizable(True)
        facts_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        facts_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        facts_scroll.setStyleSheet(
            "QScrollArea#facts_scroll, QWidget#facts { background: transparent; }"
        )
        facts_scroll.viewport().setAutoFillBackground(False)
        facts_scroll.setWidget(facts_box)
        facts_scroll.setMinimumWidth(self.fontMetrics().averageCharWidth() * 52)

        self.kind_box = QComboBox()
        self.kind_box.setObjectName("detail_kind_box")
        self.kind_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_box.currentIndexChanged.connect(self.reload_records)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("detail_search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self.tr("Search (diacritics optional)…"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload_records)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.records_label = QLabel()
        self.records_label.setObjectName("detail_records_label")
        self.records_label.setProperty("role", "muted")
        self.records_model = NationalRecordsModel(context.catalog, context.language, self)
        self.records_view = QTableView()
        self.records_view.setObjectName("detail_records")
        self.records_view.setModel(self.records_model)
        self.records_view.setAlternatingRowColors(True)
        self.records_view.setWordWrap(False)
        self.records_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.records_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.records_view.verticalHeader().hide()
        self.records_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.records_model.modelReset.connect(self._size_record_columns)

        search_row = QHBoxLayout()
        search_row.addWidget(QLabel(self.tr("Records of:")))
        search_row.addWidget(self.kind_box)
        search_row.addWidget(self.search_edit, 1)
        records_box = QWidget()
        records_layout = QVBoxLayout(records_box)
        records_layout.setContentsMargins(0, 0, 0, 0)
        records_layout.addLayout(search_row)
        records_layout.addWidget(self.records_label)
        records_layout.addWidget(self.records_view, 1)

        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(facts_scroll)
        body.addWidget(records_box)
        body.setStretchFactor(1, 1)
        body.setChildrenCollapsible(False)
        # The answer to the province: the review, then the signed receipts (review_dialog).
        self.review_button = QPushButton(icon("clipboard-check"), self.tr("Review…"))
        self.review_button.setObjectName("review_button")
        self.review_button.clicked.connect(lambda: self.review())
        self.receipts_button = QPushButton(icon("file-down"), self.tr("Write receipts…"))
        self.receipts_button.setObjectName("receipts_button")
        self.receipts_button.clicked.connect(lambda: self.write_receipts())
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label, 1)
        title_row.addWidget(self.review_button)
        title_row.addWidget(self.receipts_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(title_row)
        layout.addWidget(body, 1)
        self._answer_buttons()

    # --- the answer ----------------------------------------------------------------------------
    def _answer_buttons(self) -> None:
        for button in (self.review_button, self.receipts_button):
            button.setEnabled(self.info is not None)

    def review(self) -> QDialog | None:
        """Open the review of the submission shown, with the records selected to comment."""
        from ui.ministry.review_dialog import ReviewDialog

        if self.info is None:
            return None
        rows = {index.row() for index in self.records_view.selectionModel().selectedRows()}
        chosen = [
            (self.records_model.kind, int(self.records_model.rows[row]["id"]))
            for row in sorted(rows)
            if "id" in self.records_model.rows[row]
        ]
        dialog = ReviewDialog(self.context, self.info, chosen, self)
        dialog.reviewed.connect(self.show_submission)
        dialog.open()
        return dialog

    def write_receipts(self) -> QDialog | None:
        """Open the writing of the receipts of the submission's period and province."""
        from ui.ministry.review_dialog import WriteReceiptsDialog

        if self.info is None:
            return None
        dialog = WriteReceiptsDialog(
            self.context, period=self.info.period, province=self.info.province, parent=self
        )
        dialog.open()
        return dialog

    # --- loading -------------------------------------------------------------------------------
    def show_submission(self, submission_id: int | None) -> None:
        """Load and show the submission ``submission_id`` (None: none)."""
        self._request += 1
        request = self._request
        if submission_id is None:
            self._fill(request, None)
            return

        def operation(session: Session, progress: Progress) -> tuple[SubmissionInfo, int | None]:
            del progress
            info = get_submission(session, submission_id)
            replaced = None
            if info.supersedes:
                versions = list_submissions(session, province=info.province, period=info.period)
                replaced = next(
                    (s.version for s in versions if s.package_id == info.supersedes), None
                )
            return info, replaced

        self.context.lane.run(
            operation,
            on_success=lambda found: self._fill(request, *found),
            on_error=lambda error: report_error(self, error),
        )

    def _fill(self, request: int, info: SubmissionInfo | None, replaced: int | None = None) -> None:
        if not alive(self) or request != self._request:
            return
        self.info = info
        self._answer_buttons()
        catalog = self.context.catalog
        language = self.context.language
        values: dict[str, str] = dict.fromkeys(self.fact_labels, "")
        self.kind_box.blockSignals(True)
        self.kind_box.clear()
        if info is None:
            self.title_label.setText(self.tr("Choose a submission to see its detail."))
        else:
            name = province_name(catalog, info.province)
            self.title_label.setText(
                self.tr("{province} — {period}, version {version}").format(
                    province=name, period=period_label(info.period), version=info.version
                )
            )
            values["province"] = f"{name} ({info.province})"
            if info.province_code != info.province:
                values["province"] += " — " + self.tr("sent as {legacy}").format(
                    legacy=province_name(catalog, info.province_code)
                )
            values["period"] = period_label(info.period)
            values["version"] = f"v{info.version}"
            if replaced is not None:
                values["version"] += " — " + self.tr("replaces v{version}").format(version=replaced)
            values["state"] = submission_state_text(info.state)
            values["review"] = review_text(info.review_state)
            if info.review_comment:
                values["review"] += f"\n{info.review_comment}"
            evidence = (
                self.tr(", {count} evidence files").format(count=format_number(info.evidence_count))
                if info.evidence_count
                else ""
            )
            values["records"] = format_number(info.record_count) + evidence
            values["kinds"] = "\n".join(
                f"{kind_spec(kind).name(language)}: {format_number(count)}"
                for kind, count in kind_counts(info.counts)
            )
            values["signer"] = holder(info.signer_subject)
            colons = format_fingerprint(info.signer_fingerprint)
            values["fingerprint"] = f"SHA-256 {colons[:47]}\n{colons[48:]}"
            values["signed"] = self.tr("{time} (Vietnam time)").format(
                time=format_moment(vietnam_time(info.signing_time, catalog))
            )
            values["received"] = self.tr("{time} by {user}").format(
                time=format_moment(info.received_at), user=info.received_by
            )
            values["sender"] = info.sender
            values["file"] = info.source_name
            values["package_id"] = info.package_id
            for kind, count in kind_counts(info.counts):
                self.kind_box.addItem(
                    f"{kind_spec(kind).name(language)} ({format_number(count)})", kind
                )
            first = next((i for i in range(self.kind_box.count())
                          if info.counts.get(self.kind_box.itemData(i))), 0)  # fmt: skip
            self.kind_box.setCurrentIndex(first)
        self.kind_box.blockSignals(False)
        for name, label in self.fact_labels.items():
            label.setText(values[name])
        self.loaded.emit()
        self.reload_records()

    def reload_records(self) -> None:
        """Read the records of the chosen kind that match the search (on the lane)."""
        self._search_timer.stop()
        self._records_request += 1
        request = self._records_request
        kind = self.kind_box.currentData()
        if self.info is None or not kind:
            self._show_records(request, RecordPage("", [], 0))
            return
        query = NationalRecordQuery(
            kind=kind,
            submission_id=self.info.id,
            search=self.search_edit.text(),
            limit=RECORDS_SHOWN,
        )

        def operation(session: Session, progress: Progress) -> RecordPage:
            del progress
            rows = list_national_records(session, query)
            matching = len(rows)
            if matching >= RECORDS_SHOWN:
                matching = count_national_records(session, query)
            return RecordPage(kind, rows, matching)

        self.context.lane.run(
            operation,
            on_success=lambda page: self._show_records(request, page),
            on_error=lambda error: report_error(self, error),
        )

    def _show_records(self, request: int, page: RecordPage) -> None:
        if not alive(self) or request != self._records_request:
            return
        self.records_model.set_rows(page.kind, page.rows)
        if not page.kind:
            self.records_label.setText("")
        elif len(page.rows) < page.matching:
            self.records_label.setText(
                self.tr("The first {shown} of {count} records; search to narrow them.").format(
                    shown=format_number(len(page.rows)), count=format_number(page.matching)
                )
            )
        else:
            self.records_label.setText(
                self.tr("{count} records").format(count=format_number(page.matching))
            )
        self.records_loaded.emit()

    def _size_record_columns(self) -> None:
        header = self.records_view.horizontalHeader()
        metrics = self.records_view.fontMetrics()
        for column, field in enumerate(self.records_model.fields):
            label = metrics.horizontalAdvance(field.label(self.context.language)) + 24
            if field.type is FieldType.TEXT and field.name == "title":
                width = metrics.averageCharWidth() * 48
            elif field.type in (FieldType.TEXT, FieldType.PLACES, FieldType.CODE):
                width = metrics.averageCharWidth() * 22
            else:
                width = metrics.averageCharWidth() * 12
            header.resizeSection(column, max(label, width))


class SubmissionDialog(QDialog):
    """The detail of one submission, over the reporting status.

    Attributes:
        detail: the submission's facts and records.
    """

    def __init__(self, context: MinistryContext, submission_id: int,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.context = context
        self.submission_id = submission_id
        self.setWindowTitle(self.tr("Submission"))
        self.detail = SubmissionDetail(context)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        translate_buttons(buttons)
        buttons.rejected.connect(self.reject)
        self.show_in_list = QPushButton(
            icon("external-link"), self.tr("Show among the submissions")
        )
        self.show_in_list.clicked.connect(self._show_in_list)
        buttons.addButton(self.show_in_list, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.detail, 1)
        layout.addWidget(buttons)
        self.resize(1120, 640)
        self.detail.loaded.connect(self._retitle)
        self.detail.show_submission(submission_id)

    def _retitle(self) -> None:
        self.setWindowTitle(self.detail.title_label.text())

    def _show_in_list(self) -> None:
        self.accept()
        self.context.navigator.navigate.emit("submissions", {"submission_id": self.submission_id})


class RefusalsDialog(QDialog):
    """The refused packages of a province and period, with the checks each failed.

    Signals:
        loaded(): the refusals are shown.

    Attributes:
        refusals: what was refused, latest first.
        table: one row per refused package.
    """

    loaded = Signal()

    def __init__(self, context: MinistryContext, province: str, period: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.context = context
        self.refusals: list[RefusalInfo] = []
        name = province_name(context.catalog, province)
        self.setWindowTitle(
            self.tr("Refused packages of {province}, {period}").format(
                province=name, period=period_label(period)
            )
        )
        intro = QLabel(
            self.tr(
                "These packages were refused and nothing of them was stored. Tell the province "
                "which checks failed; a corrected package, signed with its registered "
                "certificate and a higher version, is received normally."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("refusals_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Received"), self.tr("File"), self.tr("Version"), self.tr("Failed checks")]
        )
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        translate_buttons(buttons)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1000, 460)

        def operation(session: Session, progress: Progress) -> list[RefusalInfo]:
            del progress
            return list_refusals(session, province=province, period=period)

        context.lane.run(
            operation, on_success=self._fill, on_error=lambda error: report_error(self, error)
        )

    def _fill(self, refusals: list[RefusalInfo]) -> None:
        if not alive(self):
            return
        self.refusals = refusals
        self.table.setRowCount(len(refusals))
        for row, refusal in enumerate(refusals):
            reasons = "\n".join(
                f"{check_title(item.get('check', ''))}: {item.get('reason', '')}"
                for item in refusal.reasons
            )
            texts = (
                format_moment(refusal.received_at),
                refusal.source_name,
                "" if refusal.version is None else f"v{refusal.version}",
                reasons,
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        self.table.resizeColumnToContents(2)
        self.table.resizeRowsToContents()
        self.loaded.emit()


# --- the list of submissions -------------------------------------------------------------------
class SubmissionListModel(QAbstractTableModel):
    """Submissions received, latest first: province, period, version, state, times, signer,
    records, review."""

    COLUMNS = ("province", "period", "version", "state", "received", "signed", "signer",
               "records", "review")  # fmt: skip

    def __init__(self, catalog: Catalog, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self.rows: list[SubmissionInfo] = []

    def set_rows(self, rows: Sequence[SubmissionInfo]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_of(self, submission_id: int) -> int | None:
        for row, info in enumerate(self.rows):
            if info.id == submission_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def _text(self, info: SubmissionInfo, column: str) -> str:
        if column == "province":
            return province_name(self._catalog, info.province)
        if column == "period":
            return period_label(info.period)
        if column == "version":
            return f"v{info.version}"
        if column == "state":
            return submission_state_text(info.state)
        if column == "received":
            return format_moment(info.received_at)
        if column == "signed":
            return format_moment(vietnam_time(info.signing_time, self._catalog))
        if column == "signer":
            return holder(info.signer_subject)
        if column == "records":
            return format_number(info.record_count)
        return review_text(info.review_state)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        info = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(info, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("version", "records"):
            return int(_RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole and info.state != "current":
            return QBrush(QColor("#64748b"))
        if role == Qt.ItemDataRole.UserRole:
            return info.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if (
            orientation != Qt.Orientation.Horizontal
            or role != Qt.ItemDataRole.DisplayRole
            or not 0 <= section < len(self.COLUMNS)
        ):
            return None
        return {
            "province": self.tr("Province"),
            "period": self.tr("Period"),
            "version": self.tr("Version"),
            "state": self.tr("State"),
            "received": self.tr("Received"),
            "signed": self.tr("Signed (Vietnam time)"),
            "signer": self.tr("Signer"),
            "records": self.tr("Records"),
            "review": self.tr("Review"),
        }[self.COLUMNS[section]]


@dataclass(frozen=True)
class SubmissionList:
    submissions: list[SubmissionInfo]
    periods: list[str]


class ReceivedSubmissionsPage(QWidget):
    """The submissions received and the detail of the chosen one.

    Signals:
        loaded(): the list is shown.

    Attributes:
        period_box, province_box, current_check: the filters.
        model, table: the submissions.
        detail: the chosen submission.
    """

    loaded = Signal()

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._request = 0
        self._wanted: int | None = None

        heading = QLabel(self.page_title())
        heading.setProperty("role", "heading")
        self.count_label = QLabel()
        self.count_label.setObjectName("submissions_count")
        self.count_label.setProperty("role", "muted")

        self.period_box = QComboBox()
        self.period_box.setObjectName("submissions_period")
        self.period_box.addItem(self.tr("All periods"), None)
        self.province_box = QComboBox()
        self.province_box.setObjectName("submissions_province")
        self.province_box.addItem(self.tr("All provinces"), None)
        for code, name in current_provinces(context.catalog):
            self.province_box.addItem(name, code)
        self.province_box.setMaxVisibleItems(20)
        self.current_check = QCheckBox(self.tr("Current versions only"))
        self.current_check.setObjectName("submissions_current")
        for signal in (self.period_box.currentIndexChanged, self.province_box.currentIndexChanged):
            signal.connect(self.refresh)
        self.current_check.toggled.connect(self.refresh)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Period:")))
        filters.addWidget(self.period_box)
        filters.addSpacing(12)
        filters.addWidget(QLabel(self.tr("Province:")))
        filters.addWidget(self.province_box)
        filters.addSpacing(12)
        filters.addWidget(self.current_check)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        self.model = SubmissionListModel(context.catalog, self)
        self.table = QTableView()
        self.table.setObjectName("submissions_table")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.model.modelReset.connect(self._size_columns)

        self.detail = SubmissionDetail(context)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

    # --- the page interface --------------------------------------------------------------------
    def page_title(self) -> str:
        return self.tr("Submissions")

    def refresh(self) -> None:
        """Read the list again with the filters (on the lane)."""
        self._request += 1
        request = self._request
        province = self.province_box.currentData()
        period = self.period_box.currentData()
        current_only = self.current_check.isChecked()

        def operation(session: Session, progress: Progress) -> SubmissionList:
            del progress
            return SubmissionList(
                list_submissions(
                    session, province=province, period=period, current_only=current_only
                ),
                known_periods(session),
            )

        self.context.lane.run(
            operation,
            on_success=lambda found: self._show(request, found),
            on_error=lambda error: report_error(self, error),
        )

    def apply_params(self, params: dict[str, Any]) -> None:
        """``{"submission_id": id}``: every filter off, that submission chosen."""
        submission_id = params.get("submission_id")
        if submission_id is None:
            return
        self._wanted = int(submission_id)
        for box in (self.period_box, self.province_box):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.current_check.blockSignals(True)
        self.current_check.setChecked(False)
        self.current_check.blockSignals(False)
        self.refresh()

    # --- showing -------------------------------------------------------------------------------
    def _show(self, request: int, found: SubmissionList) -> None:
        if not alive(self) or request != self._request:
            return
        chosen = self.period_box.currentData()
        self.period_box.blockSignals(True)
        while self.period_box.count() > 1:
            self.period_box.removeItem(1)
        for code in found.periods:
            self.period_box.addItem(period_label(code), code)
        index = self.period_box.findData(chosen)
        self.period_box.setCurrentIndex(max(index, 0))
        self.period_box.blockSignals(False)

        keep = self._wanted if self._wanted is not None else self.current_id()
        self._wanted = None
        self.model.set_rows(found.submissions)
        self.count_label.setText(
            self.tr("{count} submissions").format(count=format_number(len(found.submissions)))
        )
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and self.model.rows:
            row = 0
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.detail.show_submission(None)
        self.loaded.emit()

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()].id

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.model.rows):
            info = self.model.rows[current.row()]
            if self.detail.info is None or self.detail.info.id != info.id:
                self.detail.show_submission(info.id)

    def _size_columns(self) -> None:
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        signer = SubmissionListModel.COLUMNS.index("signer")
        header.resizeSection(signer, min(header.sectionSize(signer), 300))
