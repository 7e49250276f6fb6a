"""Receive: take the provinces' packages into the national store.

Choose files (a package, or all its numbered parts) or a folder such as a USB drive, or drop
them on the page. Each package goes through the core's intake
(:func:`ctmt_desktop.ministry.intake.receive_package`: every check of the verifier, the
signer registered for the province, the version) on the lane, one after another; each
verdict appears as soon as its package is done, coloured, with the checks that failed. CA
root certificates can be added for provinces whose certificates a CA issued.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.formatting import format_number
from ctmt_desktop.ministry.intake import IntakeResult, find_packages, receive_package
from ui.db_lane import Progress, report_error
from ui.ministry.common import (
    VERDICT_COLOURS,
    MinistryContext,
    alive,
    period_label,
    province_name,
    verdict_text,
)
from ui.style import icon
from ui.verification import check_title
from ui.widgets import hint_label

VERDICTS = ("accepted", "superseded", "duplicate", "refused")


class ReceivePage(QWidget):
    """Receive packages and show one line per package.

    Signals:
        finished(list): the results of the last run (``IntakeResult``), once it ended.
        package_done(object): one package's result, emitted on the lane's thread and
            shown on the GUI thread.
        package_started(str): the file the lane is checking now.

    Attributes:
        results: the results shown, in the order the packages were received.
        table: one row per package (verdict, file, province, period, version, records,
            failed checks).
        summary_label: how many packages got which verdict.
        roots_list: the CA root certificates to trust (optional).
    """

    finished = Signal(list)
    package_done = Signal(object)
    package_started = Signal(str)

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.results: list[IntakeResult] = []
        self._job: Any = None
        self.setAcceptDrops(True)

        heading = QLabel(self.page_title())
        heading.setProperty("role", "heading")
        intro = hint_label(
            self.tr(
                "Choose the packages the provinces sent: the zip files (a package split for "
                "email: all its numbered parts) or a folder such as a USB drive; you can also "
                "drop them here. Each package passes every check of the verifier, then its "
                "signer must be registered for the province it claims and its version must be "
                "newer than the one stored. A refused package is recorded with its reasons; "
                "nothing of it is stored."
            )
        )
        files_button = QPushButton(icon("file-up"), self.tr("Receive files…"))
        files_button.setObjectName("receive_files")
        files_button.setProperty("primary", True)
        files_button.clicked.connect(self.choose_files)
        folder_button = QPushButton(icon("folder-open"), self.tr("Receive a folder or drive…"))
        folder_button.setObjectName("receive_folder")
        folder_button.clicked.connect(self.choose_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(files_button)
        buttons.addWidget(folder_button)
        buttons.addStretch(1)

        roots_group = QGroupBox(self.tr("CA root certificates to trust (optional)"))
        self.roots_list = QListWidget()
        self.roots_list.setObjectName("trust_roots")
        self.roots_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 2 + 12)
        add_root = QPushButton(icon("plus"), self.tr("Add…"))
        add_root.setObjectName("add_root")
        add_root.clicked.connect(self.choose_roots)
        remove_root = QPushButton(icon("trash-2"), self.tr("Remove"))
        remove_root.clicked.connect(self._remove_root)
        root_buttons = QVBoxLayout()
        root_buttons.addWidget(add_root)
        root_buttons.addWidget(remove_root)
        root_buttons.addStretch(1)
        roots_row = QHBoxLayout()
        roots_row.addWidget(self.roots_list, 1)
        roots_row.addLayout(root_buttons)
        roots_layout = QVBoxLayout(roots_group)
        roots_layout.addWidget(
            hint_label(
                self.tr(
                    "Only for provinces whose certificates a CA issued (Viettel-CA, VNPT-CA…): "
                    "their signatures must chain to one of these roots. Self-issued "
                    "certificates are trusted by their registration on the Signers page."
                )
            )
        )
        roots_layout.addLayout(roots_row)

        self.summary_label = QLabel(self.tr("No package received in this session yet."))
        self.summary_label.setObjectName("receive_summary")
        self.summary_label.setWordWrap(True)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("receive_results")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Verdict"),
                self.tr("File"),
                self.tr("Province"),
                self.tr("Period"),
                self.tr("Version"),
                self.tr("Records"),
                self.tr("Failed checks"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(roots_group)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)

        self.package_done.connect(self._add_result)
        self.package_started.connect(self._show_progress_text)

    # --- the page interface --------------------------------------------------------------------
    def page_title(self) -> str:
        return self.tr("Receive")

    def refresh(self) -> None:
        """Nothing to reload: the results stay until the next packages."""

    def apply_params(self, params: dict[str, Any]) -> None:
        del params

    # --- choosing ------------------------------------------------------------------------------
    def choose_files(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Choose the packages (all the parts of a split one)"),
            "",
            self.tr("Packages (*.zip *.zip.*);;All files (*)"),
        )
        if chosen:
            self.receive_paths([Path(path) for path in chosen])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the folder or drive that holds the packages")
        )
        if folder:
            self.receive_paths([Path(folder)])

    def choose_roots(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Choose the CA root certificates"),
            "",
            self.tr("Certificates (*.pem *.cer *.crt *.der)"),
        )
        self.add_roots([Path(path) for path in chosen])

    def add_roots(self, paths: list[Path]) -> None:
        present = set(self.trust_roots())
        for path in paths:
            if path not in present:
                self.roots_list.addItem(str(path))

    def trust_roots(self) -> list[Path]:
        return [Path(self.roots_list.item(row).text()) for row in range(self.roots_list.count())]

    def _remove_root(self) -> None:
        for item in self.roots_list.selectedItems():
            self.roots_list.takeItem(self.roots_list.row(item))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.receive_paths(paths)

    # --- receiving -----------------------------------------------------------------------------
    def receive_paths(self, sources: list[Path]) -> None:
        """Receive every package found in ``sources`` (files and folders), on the lane."""
        context = self.context
        store, catalog, user = context.store, context.catalog, context.user
        roots = self.trust_roots()
        self.results = []
        self.table.setRowCount(0)
        self.summary_label.setText(self.tr("Looking for packages…"))

        def operation(session: Session, progress: Progress) -> list[IntakeResult]:
            del session  # the intake runs its own units of work on the store
            packages = find_packages(sources)
            results: list[IntakeResult] = []
            for index, parts in enumerate(packages):
                if not progress(index, len(packages)):
                    break
                self.package_started.emit(parts[0].name)
                result = receive_package(
                    store, parts, user=user, catalog=catalog, trust_roots=roots
                )
                results.append(result)
                self.package_done.emit(result)
            progress(len(results), len(packages))
            return results

        self._job = context.lane.run(
            operation,
            on_success=self._finished,
            on_error=self._failed,
            label=self.tr("Receiving the packages…"),
            parent=self,
        )

    @Slot(str)
    def _show_progress_text(self, name: str) -> None:
        dialog = getattr(self._job, "dialog", None)
        if dialog is not None:
            dialog.setLabelText(self.tr("Checking {file}…").format(file=name))

    @Slot(object)
    def _add_result(self, result: IntakeResult) -> None:
        self.results.append(result)
        row = self.table.rowCount()
        self.table.insertRow(row)
        catalog = self.context.catalog
        failed = "\n".join(f"{check_title(check)}: {reason}" for check, reason in result.reasons)
        province = province_name(catalog, result.province or result.province_code)
        texts = (
            verdict_text(result.verdict, result.replaced),
            Path(result.source).name,
            province,
            period_label(result.period) if result.period else "",
            "" if result.version is None else f"v{result.version}",
            format_number(result.record_count) if result.ok else "",
            failed,
        )
        background, foreground = VERDICT_COLOURS.get(result.verdict, VERDICT_COLOURS["refused"])
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if column == 0:
                item.setData(Qt.ItemDataRole.UserRole, result.verdict)
                item.setBackground(QBrush(background))
                item.setForeground(QBrush(foreground))
            if column in (4, 5):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        for column in range(6):
            self.table.resizeColumnToContents(column)
        self.table.resizeRowToContents(row)
        self._summarise(done=False)

    def _summarise(self, *, done: bool) -> None:
        counts = Counter(result.verdict for result in self.results)
        if not self.results:
            self.summary_label.setText(
                self.tr("No package found there: a package is a .zip file or its numbered parts.")
                if done
                else ""
            )
            return
        words = {
            "accepted": self.tr("{count} accepted"),
            "superseded": self.tr("{count} accepted as a new version"),
            "duplicate": self.tr("{count} received already"),
            "refused": self.tr("{count} refused"),
        }
        parts = [
            words[verdict].format(count=format_number(counts[verdict]))
            for verdict in VERDICTS
            if counts[verdict]
        ]
        text = self.tr("{count} packages: {verdicts}.").format(
            count=format_number(len(self.results)), verdicts=", ".join(parts)
        )
        self.summary_label.setText(text)

    def _finished(self, results: list[IntakeResult]) -> None:
        if not alive(self):
            return
        self._job = None
        self._summarise(done=True)
        self.context.navigator.data_changed.emit()
        self.finished.emit(results)

    def _failed(self, error: BaseException) -> None:
        if not alive(self):
            return
        self._job = None
        self._summarise(done=True)
        if self.results:
            self.context.navigator.data_changed.emit()
        report_error(self, error)
