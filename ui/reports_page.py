"""Reports and Excel: choose a report, its period and program; preview it, print it, save it;
export records to Excel; take in a filled import template after checking every row.

What a report carries to be signed (Decree 30/2020) is filled in from the profile's document
settings and can be changed for one report: its number, the agency's abbreviation in the
symbol, the signer, the signer's title and the "Nơi nhận" list; "Keep as the defaults"
stores them in the profile.

Reports are built and rendered by the core on the database lane; the preview shows the very
file that is printed or saved.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QKeySequence, QPainter, QShortcut, QWheelEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.errors import ValidationError
from ctmt_desktop.formatting import format_number
from ctmt_desktop.kinds import KIND_CODES, kind_spec
from ctmt_desktop.periods import Period
from ctmt_desktop.services.indicators import Scope, parse_scope
from ctmt_desktop.services.records import RecordQuery
from ui.context import AppContext
from ui.db_lane import Progress, report_error
from ui.i18n import translate_buttons
from ui.style import icon

PERIOD_REPORT, LIST_REPORT, CRITERION_REPORT = "period", "list", "criterion"
EXCEL_FORMS, EXCEL_RECORDS, EXCEL_CRITERION = "excel_forms", "excel_records", "excel_criterion"
# The reports that are saved as Excel workbooks.
EXCEL_CHOICES = (EXCEL_FORMS, EXCEL_RECORDS, EXCEL_CRITERION)


def scope_choices(today: date | None = None) -> list[str]:
    """Scopes offered: years, halves and quarters of 2021 to this year, then the phases."""
    year = (today or date.today()).year
    choices: list[str] = []
    for y in range(year, 2020, -1):
        choices += [str(y), f"{y}-H1", f"{y}-H2"] + [f"{y}-Q{q}" for q in range(1, 5)]
    return choices + ["2021-2025", "2026-2030"]


def scope_query(scope: Scope, program: str | None, kind_filter: str | None = None) -> RecordQuery:
    """Records starting within ``scope`` under ``program``."""
    del kind_filter
    return RecordQuery(
        period=Period(scope.code, scope.start, scope.end), program=program, limit=None
    )


def render_report(
    session: Session,
    context: AppContext,
    choice: str,
    scope: Scope,
    program: str | None,
    kind: str | None,
    target: Path,
    letter: dict[str, Any],
) -> int:
    """Build and write the chosen report to ``target``; return its pages (0 for Excel).

    ``letter``: ``number``, ``abbreviation``, ``signer``, ``signer_title`` and
    ``recipients`` (a list) for the letterhead and the signature; empty values and a missing
    ``recipients`` leave the profile's settings."""
    from ctmt_desktop.reports import figures, pdf
    from ctmt_desktop.spreadsheets.export import (
        export_criterion_form,
        export_period_forms,
        export_records,
    )

    catalog = context.catalog
    if choice in (PERIOD_REPORT, EXCEL_FORMS):
        report = figures.build_period_report(
            session, catalog, scope=scope.code, program=program, **letter
        )
        if choice == EXCEL_FORMS:
            export_period_forms(report, target)
            return 0
        return pdf.render_period_pdf(report, target)
    if choice in (CRITERION_REPORT, EXCEL_CRITERION):
        criterion = figures.build_criterion_report(
            session, catalog, context.province, scope.end.year, **letter
        )
        if choice == EXCEL_CRITERION:
            export_criterion_form(criterion, target)
            return 0
        return pdf.render_criterion_pdf(criterion, target)
    assert kind is not None
    query = scope_query(scope, program)
    if choice == EXCEL_RECORDS:
        export_records(session, catalog, target, kinds=[kind], query=query)
        return 0
    signer = {k: v for k, v in letter.items() if k in ("signer", "signer_title")}
    listing = figures.build_list_report(
        session, catalog, kind, query, figures.default_list_columns(kind), **signer
    )
    return pdf.render_list_pdf(listing, target)


# An A4 page's width in pixels at 100 % (210 mm at 96 dpi) and a little margin.
PAGE_WIDTH_AT_100 = 820
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)


class PreviewView(QPdfView):
    """The PDF preview: Ctrl+wheel zooms like in a browser or a PDF reader."""

    def __init__(
        self,
        zoom: Callable[[int], None],
        resized: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._zoom = zoom
        self._resized = resized

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._resized()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y()
            if steps:
                self._zoom(1 if steps > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)


def print_pdf(path: Path, parent: QWidget) -> bool:
    """Send a PDF to a printer chosen in the system's print dialog."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    document = QPdfDocument(parent)
    document.load(str(path))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(path.name)
    printer.setFromTo(1, document.pageCount())
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    first, last = printer.fromPage() or 1, printer.toPage() or document.pageCount()
    painter = QPainter(printer)
    try:
        for index in range(first - 1, last):
            if index > first - 1:
                printer.newPage()
            area = painter.viewport()
            image = document.render(index, QSize(area.width(), area.height()))
            painter.drawImage(QPointF(0, 0), image)
    finally:
        painter.end()
    return True


class ReportsPage(QWidget):
    """Reports (PDF) and Excel exchange.

    Attributes:
        report_box, scope_box, program_box, kind_box: what to produce.
        preview: the PDF preview (QPdfView) of the last report made.
        problems_table: the rows an import refused, with sheet, row, column and problem.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        # Previews live in a private folder removed with the page (or at exit at the latest).
        self._work = Path(tempfile.mkdtemp(prefix="ctmt-report-"))
        weakref.finalize(self, shutil.rmtree, self._work, True)
        self._last_pdf: Path | None = None
        self._import_path: Path | None = None

        heading = QLabel(self.page_title())
        heading.setProperty("role", "heading")

        self.report_box = QComboBox()
        self.report_box.setObjectName("report_box")
        for code, text in (
            (PERIOD_REPORT, self.tr("Period report (PDF)")),
            (LIST_REPORT, self.tr("List of records (PDF)")),
            (CRITERION_REPORT, self.tr("ICT criterion of every commune (PDF)")),
            (EXCEL_FORMS, self.tr("Period report as official forms (Excel)")),
            (EXCEL_CRITERION, self.tr("ICT criterion of every commune (Excel)")),
            (EXCEL_RECORDS, self.tr("Records (Excel)")),
        ):
            self.report_box.addItem(text, code)
        self.report_box.currentIndexChanged.connect(self._update_fields)
        self.scope_box = QComboBox()
        self.scope_box.setObjectName("scope_box")
        for code in scope_choices():
            self.scope_box.addItem(self._scope_label(code), code)
        self.program_box = QComboBox()
        self.program_box.setObjectName("program_box")
        self.program_box.addItem(self.tr("All programs"), None)
        for node in context.catalog.programs.values():
            if node.level in ("program", "project", "subproject"):
                indent = "    " * node.depth
                self.program_box.addItem(
                    f"{indent}{node.code} — {node.short_name or node.name}", node.code
                )
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("kind_box")
        for kind in KIND_CODES:
            self.kind_box.addItem(kind_spec(kind).name(context.language), kind)
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("number_edit")
        self.number_edit.setPlaceholderText(self.tr("e.g. 12; empty: filled in by hand"))
        self.number_edit.setToolTip(
            self.tr(
                "The document's number: 12 prints “Số: 12/BC-SVHTTDL” with the agency's "
                "abbreviation; a whole symbol is printed as typed."
            )
        )
        self.abbreviation_edit = QLineEdit()
        self.abbreviation_edit.setObjectName("abbreviation_edit")
        self.abbreviation_edit.setMaxLength(40)
        self.signer_edit = QLineEdit()
        self.signer_edit.setObjectName("signer_edit")
        self.signer_title_edit = QLineEdit()
        self.signer_title_edit.setObjectName("signer_title_edit")
        self.signer_title_edit.setPlaceholderText(self.tr("e.g. KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"))
        self.signer_title_edit.setToolTip(self.tr("Two lines are separated by “ / ”."))
        self.recipients_edit = QPlainTextEdit()
        self.recipients_edit.setObjectName("recipients_edit")
        self.recipients_edit.setTabChangesFocus(True)
        self.recipients_edit.setPlaceholderText(self.tr("One recipient a line; “Lưu: VT” last"))
        lines = self.recipients_edit.fontMetrics().lineSpacing()
        self.recipients_edit.setFixedHeight(lines * 4 + 12)
        self.defaults_button = QPushButton(self.tr("Keep as the defaults"))
        self.defaults_button.setObjectName("defaults_button")
        self.defaults_button.setToolTip(
            self.tr(
                "Store the abbreviation, the signer, the title and the recipients in the "
                "agency profile: every report starts from them."
            )
        )
        self.defaults_button.clicked.connect(self.save_defaults)

        for box in (self.report_box, self.scope_box, self.program_box, self.kind_box):
            # Long program names must not squeeze the labels: the list shows them whole.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(18)
        form = QFormLayout()
        form.addRow(self.tr("Report:"), self.report_box)
        form.addRow(self.tr("Period:"), self.scope_box)
        form.addRow(self.tr("Program:"), self.program_box)
        self._kind_label = QLabel(self.tr("Kind:"))
        form.addRow(self._kind_label, self.kind_box)
        document = QFormLayout()
        document.addRow(self.tr("Number:"), self.number_edit)
        document.addRow(self.tr("Agency abbreviation:"), self.abbreviation_edit)
        document.addRow(self.tr("Signed by:"), self.signer_edit)
        document.addRow(self.tr("Title of the signer:"), self.signer_title_edit)
        document.addRow(self.tr("Recipients:"), self.recipients_edit)
        document.addRow("", self.defaults_button)
        self.document_group = QGroupBox(self.tr("Document to sign"))
        self.document_group.setLayout(document)

        self.make_button = QPushButton(icon("file-text"), self.tr("Preview"))
        self.make_button.setObjectName("preview_button")
        self.make_button.setProperty("primary", True)
        self.make_button.clicked.connect(self.make_preview)
        self.print_button = QPushButton(icon("printer"), self.tr("Print…"))
        self.print_button.clicked.connect(self._print)
        self.save_button = QPushButton(icon("save"), self.tr("Save as…"))
        self.save_button.setObjectName("save_button")
        self.save_button.clicked.connect(self._save_as)
        buttons = QHBoxLayout()
        for button in (self.make_button, self.print_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        report_group = QGroupBox(self.tr("Reports"))
        report_layout = QVBoxLayout(report_group)
        report_layout.addLayout(form)
        report_layout.addWidget(self.document_group)
        report_layout.addLayout(buttons)

        # Excel import
        import_group = QGroupBox(self.tr("Import from Excel"))
        self.template_button = QPushButton(icon("file-down"), self.tr("Save an import template…"))
        self.template_button.clicked.connect(self._save_template)
        self.choose_button = QPushButton(icon("file-up"), self.tr("Check a filled workbook…"))
        self.choose_button.setObjectName("choose_import")
        self.choose_button.clicked.connect(self._choose_import)
        self.import_button = QPushButton(icon("upload"), self.tr("Import the checked rows"))
        self.import_button.setObjectName("import_button")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self._import)
        self.import_status = QLabel(
            self.tr(
                "Rows are checked with the same rules as the forms; nothing is written "
                "unless every row passes."
            )
        )
        self.import_status.setWordWrap(True)
        self.import_status.setObjectName("import_status")
        self.problems_table = QTableWidget(0, 4)
        self.problems_table.setObjectName("problems_table")
        self.problems_table.setHorizontalHeaderLabels(
            [self.tr("Sheet"), self.tr("Row"), self.tr("Column"), self.tr("Problem")]
        )
        self.problems_table.verticalHeader().hide()
        self.problems_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems_table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch
        )
        self.problems_table.hide()
        import_buttons = QHBoxLayout()
        for button in (self.template_button, self.choose_button, self.import_button):
            import_buttons.addWidget(button)
        import_buttons.addStretch(1)
        import_layout = QVBoxLayout(import_group)
        import_layout.addLayout(import_buttons)
        import_layout.addWidget(self.import_status)
        import_layout.addWidget(self.problems_table, 1)
        import_layout.addStretch(0)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(heading)
        left_layout.addWidget(report_group)
        left_layout.addWidget(import_group)
        left_layout.addStretch(1)
        left.setMaximumWidth(640)

        self.document = QPdfDocument(self)
        self.preview = PreviewView(self.zoom_step, self._update_zoom_bar)
        self.preview.setObjectName("preview")
        self.preview.setDocument(self.document)
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview_label = QLabel(self.tr("Press Preview to see the report here."))
        self.preview_label.setProperty("role", "muted")
        # The hint must not widen the page past a 1366 px screen: it gives way to the buttons.
        self.preview_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.preview_label.setWordWrap(True)
        # The preview's own bar: hide the form to read wide, zoom, fit to width or page.
        self.form_button = QPushButton(self.tr("Hide the form"))
        self.form_button.setObjectName("form_button")
        self.form_button.setCheckable(True)
        self.form_button.setToolTip(
            self.tr("Give the whole width to the preview, or show the form again.")
        )
        self.form_button.toggled.connect(self._show_form)
        self.zoom_out_button = QPushButton("−")
        self.zoom_out_button.setObjectName("zoom_out")
        self.zoom_out_button.setToolTip(self.tr("Zoom out (Ctrl+−)"))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_step(-1))
        self.zoom_label = QLabel()
        self.zoom_label.setObjectName("zoom_label")
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("8888 %"))
        self.zoom_in_button = QPushButton("+")
        self.zoom_in_button.setObjectName("zoom_in")
        self.zoom_in_button.setToolTip(self.tr("Zoom in (Ctrl++)"))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_step(1))
        self.fit_width_button = QPushButton(self.tr("Fit to width"))
        self.fit_width_button.setObjectName("fit_width")
        self.fit_width_button.setCheckable(True)
        self.fit_width_button.clicked.connect(
            lambda: self.set_zoom_mode(QPdfView.ZoomMode.FitToWidth)
        )
        self.fit_page_button = QPushButton(self.tr("Fit page"))
        self.fit_page_button.setObjectName("fit_page")
        self.fit_page_button.setCheckable(True)
        self.fit_page_button.clicked.connect(
            lambda: self.set_zoom_mode(QPdfView.ZoomMode.FitInView)
        )
        for button in (self.zoom_out_button, self.zoom_in_button):
            button.setFixedWidth(button.sizeHint().height() + 8)
        bar = QHBoxLayout()
        bar.addWidget(self.form_button)
        bar.addWidget(self.preview_label, 1)
        for widget in (
            self.zoom_out_button,
            self.zoom_label,
            self.zoom_in_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            bar.addWidget(widget)
        for keys, step in (
            (QKeySequence.StandardKey.ZoomIn, 1),
            (QKeySequence.StandardKey.ZoomOut, -1),
            (QKeySequence("Ctrl+="), 1),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.zoom_step(step))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.preview, 1)

        self._left = left
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter = self.splitter
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setCollapsible(1, False)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([640, 700])
        self._update_zoom_bar()
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._load_defaults()
        self._update_fields()

    # --- page interface ------------------------------------------------------------------------
    def page_title(self) -> str:
        return self.tr("Reports and Excel")

    def refresh(self) -> None:
        """Nothing to reload: reports are made on request."""

    def apply_params(self, params: dict[str, Any]) -> None:
        for key, box in (
            ("period", self.scope_box),
            ("program", self.program_box),
            ("kind", self.kind_box),
            ("report", self.report_box),
        ):
            value = params.get(key)
            if value is not None:
                index = box.findData(value)
                if index >= 0:
                    box.setCurrentIndex(index)

    # --- helpers -------------------------------------------------------------------------------
    def _scope_label(self, code: str) -> str:
        if len(code) == 4:
            return self.tr("Year {year}").format(year=code)
        if code[4] == "-" and code[5] == "H":
            return self.tr("{half} half of {year}").format(
                half=self.tr("First") if code[6] == "1" else self.tr("Second"), year=code[:4]
            )
        if code[5] == "Q":
            return self.tr("Quarter {quarter} of {year}").format(quarter=code[6], year=code[:4])
        return self.tr("Phase {phase}").format(phase=code)

    def _update_fields(self) -> None:
        choice = self.report_box.currentData()
        needs_kind = choice in (LIST_REPORT, EXCEL_RECORDS)
        self.kind_box.setVisible(needs_kind)
        self._kind_label.setVisible(needs_kind)
        is_pdf = choice in (PERIOD_REPORT, LIST_REPORT, CRITERION_REPORT)
        self.make_button.setEnabled(is_pdf)
        self.print_button.setEnabled(is_pdf and self._last_pdf is not None)
        # A list of records is signed by who drew it up, the records workbook by no one.
        self.document_group.setEnabled(choice not in (LIST_REPORT, EXCEL_RECORDS))

    # --- preview zoom -------------------------------------------------------------------------
    def zoom_factor(self) -> float:
        """The zoom the preview shows now, fitted or not (1.0 = 100 %)."""
        mode = self.preview.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or self.document.pageCount() == 0:
            return float(self.preview.zoomFactor())
        page = self.document.pagePointSize(0)
        dpi = self.preview.logicalDpiX() / 72.0
        margins = self.preview.documentMargins()
        viewport = self.preview.viewport().size()
        width = max(1.0, viewport.width() - margins.left() - margins.right())
        factor = width / (page.width() * dpi)
        if mode == QPdfView.ZoomMode.FitInView:
            height = max(1.0, viewport.height() - margins.top() - margins.bottom())
            factor = min(factor, height / (page.height() * dpi))
        return factor

    def zoom_step(self, direction: int) -> None:
        """Zoom in (direction > 0) or out to the next step of the usual scale."""
        current = self.zoom_factor()
        if direction > 0:
            factor = next((z for z in ZOOM_STEPS if z > current + 0.005), ZOOM_STEPS[-1])
        else:
            smaller = [z for z in ZOOM_STEPS if z < current - 0.005]
            factor = smaller[-1] if smaller else ZOOM_STEPS[0]
        self.preview.setZoomMode(QPdfView.ZoomMode.Custom)
        self.preview.setZoomFactor(factor)
        self._update_zoom_bar()

    def set_zoom_mode(self, mode: QPdfView.ZoomMode) -> None:
        self.preview.setZoomMode(mode)
        self._update_zoom_bar()

    def _update_zoom_bar(self) -> None:
        mode = self.preview.zoomMode()
        self.fit_width_button.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page_button.setChecked(mode == QPdfView.ZoomMode.FitInView)
        shown = self.document.pageCount() > 0
        # Until a report is shown, the bar holds only the hint: no controls for nothing.
        for widget in (
            self.form_button,
            self.zoom_out_button,
            self.zoom_label,
            self.zoom_in_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            widget.setVisible(shown)
        self.zoom_label.setText(f"{round(self.zoom_factor() * 100)} %" if shown else "")

    def _show_form(self, hidden: bool) -> None:
        self._left.setVisible(not hidden)
        self.form_button.setText(self.tr("Show the form") if hidden else self.tr("Hide the form"))
        self._update_zoom_bar()

    def _load_defaults(self) -> None:
        """Fill the document fields from the profile's document settings."""
        from ctmt_desktop.reports.figures import agency_abbreviation
        from ctmt_desktop.services.profile import current_profile, document_settings

        with self.context.database.session() as session:
            profile = current_profile(session)
            settings = document_settings(profile)
            name = profile.name if profile is not None else ""
        self.abbreviation_edit.setPlaceholderText(agency_abbreviation(name))
        self.abbreviation_edit.setText(settings.abbreviation)
        self.signer_edit.setText(settings.signer)
        self.signer_title_edit.setText(" / ".join(settings.signer_title.splitlines()))
        self.recipients_edit.setPlainText("\n".join(settings.recipients))

    def _settings(self) -> Any:
        from ctmt_desktop.services.profile import DocumentSettings

        recipients = self.recipients_edit.toPlainText().splitlines()
        return DocumentSettings(
            abbreviation=self.abbreviation_edit.text().strip(),
            signer=self.signer_edit.text().strip(),
            signer_title=self.signer_title_edit.text().strip(),
            recipients=tuple(line.strip() for line in recipients if line.strip()),
        )

    def _letter(self) -> dict[str, Any]:
        settings = self._settings()
        letter: dict[str, Any] = {
            "number": self.number_edit.text().strip(),
            "abbreviation": settings.abbreviation,
            "signer": settings.signer,
            "signer_title": settings.signer_title,
        }
        if settings.recipients:
            letter["recipients"] = list(settings.recipients)
        return letter

    def save_defaults(self) -> None:
        """Keep the abbreviation, signer, title and recipients in the agency profile."""
        from ctmt_desktop.services.profile import set_document_settings

        settings = self._settings()
        actor, user = self.context.actor, self.context.user

        def operation(session: Session, progress: Progress) -> None:
            set_document_settings(session, settings, actor=actor, user=user)

        def saved(_result: object) -> None:
            self._load_defaults()
            self.import_status.setText(
                self.tr("The document settings are kept in the agency profile.")
            )

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationError):
                message = "\n".join(problem.message for problem in error.problems)
                box = QMessageBox(
                    QMessageBox.Icon.Warning,
                    self.tr("Document settings"),
                    self.tr("The settings were not kept:") + "\n" + message,
                    QMessageBox.StandardButton.Ok,
                    self,
                )
                translate_buttons(box)
                box.exec()
            else:
                report_error(self, error)

        self.context.lane.run(
            operation,
            on_success=saved,
            on_error=failed,
            label=self.tr("Keeping the document settings…"),
            parent=self,
        )

    def _run(self, target: Path, on_done: Callable[[int], None], label: str) -> None:
        choice = self.report_box.currentData()
        scope = parse_scope(self.scope_box.currentData())
        program = self.program_box.currentData()
        kind = self.kind_box.currentData()
        # A list has no number or recipients, and who drew it up signs it, not the signer of
        # the reports.
        letter = {} if choice in (LIST_REPORT, EXCEL_RECORDS) else self._letter()
        context = self.context

        def operation(session: Session, progress: Progress) -> int:
            return render_report(session, context, choice, scope, program, kind, target, letter)

        context.lane.run(operation, on_success=on_done, label=label, parent=self)

    # --- actions -------------------------------------------------------------------------------
    def make_preview(self) -> None:
        """Render the chosen PDF report into a temporary file and show it."""
        self._previews = getattr(self, "_previews", 0) + 1
        target = self._work / f"preview-{self._previews}.pdf"

        def shown(pages: int) -> None:
            self.document.close()
            self.document.load(str(target))
            self._last_pdf = target
            self.preview_label.setText(self.tr("{pages} pages").format(pages=format_number(pages)))
            self._update_fields()
            # The report is what one wants to read now: where the preview beside the form is
            # narrower than an A4 page at 100 % (a 1366 px screen), it takes the page's width
            # (the bar's button brings the form back); a large screen keeps both.
            if self._left.isVisible() and self.preview.width() < PAGE_WIDTH_AT_100:
                self.form_button.setChecked(True)
            self._update_zoom_bar()

        self._run(target, shown, self.tr("Making the report…"))

    def _print(self) -> None:
        if self._last_pdf is not None:
            print_pdf(self._last_pdf, self)

    def _save_as(self) -> None:
        choice = self.report_box.currentData()
        excel = choice in EXCEL_CHOICES
        suffix = ".xlsx" if excel else ".pdf"
        name = f"bao-cao-{self.scope_box.currentData()}{suffix}"
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the report"),
            name,
            self.tr("Excel workbook (*.xlsx)") if excel else self.tr("PDF document (*.pdf)"),
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != suffix:
            target = target.with_suffix(suffix)
        self._run(target, lambda _pages: self._saved(target), self.tr("Saving the report…"))

    def _saved(self, target: Path) -> None:
        self.import_status.setText(self.tr("Saved {path}.").format(path=target))

    def _save_template(self) -> None:
        from ctmt_desktop.spreadsheets.templates import write_template

        kind = self.kind_box.currentData()
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save an import template"),
            f"mau-nhap-{kind}.xlsx",
            self.tr("Excel workbook (*.xlsx)"),
        )
        if not path:
            return
        try:
            write_template(kind, Path(path), self.context.catalog, province=self.context.province)
        except Exception as error:  # noqa: BLE001 - shown to the user, never swallowed
            report_error(self, error)

    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a filled workbook"), "", self.tr("Excel workbook (*.xlsx)")
        )
        if path:
            self.check_import(Path(path))

    def check_import(self, path: Path) -> None:
        """Dry run: check every row of ``path``; show what would be added or what is wrong."""
        self._import_path = path
        self._run_import(path, dry_run=True)

    def _import(self) -> None:
        if self._import_path is not None:
            self._run_import(self._import_path, dry_run=False)

    def _run_import(self, path: Path, *, dry_run: bool, allow_duplicates: bool = False) -> None:
        from ctmt_desktop.spreadsheets.importer import ImportCancelled, import_workbook

        context = self.context

        def operation(session: Session, progress: Progress) -> Any:
            def step(done: int, total: int) -> bool:
                return progress(done, total)

            if not dry_run:
                from ctmt_desktop.backup import create_backup

                create_backup(context.database.path, reason="before-import")
            try:
                result = import_workbook(
                    session,
                    context.record_context(session),
                    path,
                    dry_run=dry_run,
                    allow_duplicates=allow_duplicates,
                    progress=step,
                )
            except ImportCancelled:
                from ui.db_lane import Cancelled

                raise Cancelled("import cancelled") from None
            if dry_run:
                session.rollback()
            return result

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationError):
                self._show_problems(error, path, dry_run=dry_run)
            else:
                self.import_button.setEnabled(False)
                self.problems_table.hide()
                report_error(self, error)

        label = self.tr("Checking the workbook…") if dry_run else self.tr("Importing…")
        context.lane.run(
            operation,
            on_success=lambda result: self._imported(result, dry_run),
            on_error=failed,
            label=label,
            parent=self,
        )

    def _show_problems(self, error: ValidationError, path: Path, *, dry_run: bool) -> None:
        problems = error.problems
        if problems and all(p.warning for p in problems):
            box = QMessageBox(
                QMessageBox.Icon.Question,
                self.tr("Likely duplicates"),
                self.tr(
                    "{count} rows look like records already entered (same title, start "
                    "date and place). Import them anyway?"
                ).format(count=len(problems)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self,
            )
            translate_buttons(box)
            if box.exec() == QMessageBox.StandardButton.Yes:
                self._run_import(path, dry_run=dry_run, allow_duplicates=True)
                return
        self._fill_problems(problems)
        self.import_button.setEnabled(False)
        self.import_status.setText(
            self.tr(
                "{count} problems: nothing was imported. Correct the workbook and check it again."
            ).format(count=format_number(len(problems)))
        )

    def _fill_problems(self, problems: Sequence[Any]) -> None:
        table = self.problems_table
        table.setRowCount(len(problems))
        for row, problem in enumerate(problems):
            cells = (
                getattr(problem, "sheet", ""),
                str(getattr(problem, "excel_row", "") or ""),
                " ".join(
                    str(part)
                    for part in (
                        getattr(problem, "column", "") or "",
                        f"({problem.header})" if getattr(problem, "header", "") else "",
                    )
                    if part
                ),
                problem.message,
            )
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.setVisible(bool(problems))

    def _imported(self, result: Any, dry_run: bool) -> None:
        self._fill_problems([])
        counts = ", ".join(
            f"{kind_spec(kind).name(self.context.language)}: {format_number(count)}"
            for kind, count in result.counts.items()
        )
        total = format_number(sum(result.counts.values()))
        if dry_run:
            self.import_status.setText(
                self.tr("Every row passed. {total} records would be added ({counts}).").format(
                    total=total, counts=counts
                )
            )
            self.import_button.setEnabled(True)
        else:
            self.import_status.setText(
                self.tr("{total} records were added ({counts}).").format(total=total, counts=counts)
            )
            self.import_button.setEnabled(False)
            self.context.navigator.data_changed.emit()
