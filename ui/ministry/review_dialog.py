"""The ministry's answer to a submission: its review (:class:`ReviewDialog`: the state, a
general comment, comments on records) and the signed receipts that carry it back to the
provinces (:class:`WriteReceiptsDialog`: the identity that signs, the folder to write into).

Both work through the core (:mod:`ctmt_desktop.ministry.review`,
:mod:`ctmt_desktop.ministry.receipts`) on the store's lane; the core's refusals (an unknown
record id, no package for the period…) are shown in the dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.errors import CtmtError
from ctmt_desktop.ministry.records import SubmissionInfo
from ctmt_desktop.ministry.review import REVIEW_VERDICTS, review_submission
from ui import app_settings
from ui.db_lane import Progress, report_error
from ui.i18n import translate_buttons
from ui.ministry.common import MinistryContext, alive, period_label, province_name, review_text
from ui.signing import SecretDialog, SigningChoice
from ui.style import icon
from ui.widgets import ERROR_STYLE, hint_label


class ReviewDialog(QDialog):
    """Set the review of one submission.

    Signals:
        reviewed(int): the review was saved (the submission's id).

    Attributes:
        state_box: accepted, has issues or rejected.
        comment_edit: the general comment.
        records_table: one row per record comment (the record as ``KIND/ID`` or its id, the
            comment).
        error: the core's refusal, when there is one.
    """

    reviewed = Signal(int)

    def __init__(self, context: MinistryContext, info: SubmissionInfo,
                 records: list[tuple[str, int]] | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.context = context
        self.info = info
        self.setObjectName("review_dialog")
        self.setWindowTitle(
            self.tr("Review — {province}, {period}, version {version}").format(
                province=province_name(context.catalog, info.province),
                period=period_label(info.period),
                version=info.version,
            )
        )
        self.state_box = QComboBox()
        self.state_box.setObjectName("review_state")
        for state in REVIEW_VERDICTS:
            self.state_box.addItem(review_text(state), state)
        if info.review_state in REVIEW_VERDICTS:
            self.state_box.setCurrentIndex(REVIEW_VERDICTS.index(info.review_state))
        else:
            self.state_box.setCurrentIndex(REVIEW_VERDICTS.index("accepted"))
        self.comment_edit = QPlainTextEdit(info.review_comment)
        self.comment_edit.setObjectName("review_comment")
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)

        self.records_table = QTableWidget(0, 2)
        self.records_table.setObjectName("review_records")
        self.records_table.setHorizontalHeaderLabels([self.tr("Record"), self.tr("Comment")])
        self.records_table.verticalHeader().hide()
        self.records_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.records_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        for (kind, record_id), text in sorted(info.record_comments.items()):
            self.add_row(f"{kind}/{record_id}", text)
        for kind, record_id in records or []:
            if (kind, record_id) not in info.record_comments:
                self.add_row(f"{kind}/{record_id}", "")
        add = QPushButton(icon("plus"), self.tr("Add a record comment"))
        add.setObjectName("review_add_record")
        add.clicked.connect(lambda: self.add_row("", ""))
        remove = QPushButton(icon("trash-2"), self.tr("Remove"))
        remove.clicked.connect(self._remove_rows)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(add)
        row_buttons.addWidget(remove)
        row_buttons.addStretch(1)
        self.error = QLabel()
        self.error.setObjectName("review_error")
        self.error.setProperty("role", "error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)

        form = QFormLayout()
        form.addRow(self.tr("State:"), self.state_box)
        form.addRow(self.tr("General comment:"), self.comment_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(buttons)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Comments on records (the record's id in the package):")))
        layout.addWidget(self.records_table, 1)
        layout.addLayout(row_buttons)
        layout.addWidget(
            hint_label(
                self.tr(
                    "Write a record as KIND/ID (training/1234) or its id alone. The review "
                    "replaces the one before; the province learns it from the next receipt."
                )
            )
        )
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(720, 520)

    def add_row(self, reference: str, text: str) -> None:
        row = self.records_table.rowCount()
        self.records_table.insertRow(row)
        self.records_table.setItem(row, 0, QTableWidgetItem(reference))
        self.records_table.setItem(row, 1, QTableWidgetItem(text))

    def _remove_rows(self) -> None:
        rows = sorted({index.row() for index in self.records_table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.records_table.removeRow(row)

    def record_comments(self) -> list[tuple[str, str]]:
        """(record, comment) of every row with a record (rows left empty are dropped)."""
        found = []
        for row in range(self.records_table.rowCount()):
            reference = self.records_table.item(row, 0)
            comment = self.records_table.item(row, 1)
            text = reference.text().strip() if reference is not None else ""
            if text:
                found.append((text, comment.text() if comment is not None else ""))
        return found

    def save(self) -> None:
        """Save the review through the core on the lane; a refusal stays in the dialog."""
        state = self.state_box.currentData()
        comment = self.comment_edit.toPlainText()
        records = self.record_comments()
        seen: set[str] = set()
        for reference, _ in records:
            if reference in seen:
                self.error.setText(
                    self.tr("The record {record} is listed twice.").format(record=reference)
                )
                return
            seen.add(reference)
        submission_id, user = self.info.id, self.context.user

        def operation(session: Session, progress: Progress) -> bool:
            del progress
            return review_submission(
                session, submission_id, state, user=user, comment=comment, record_comments=records
            ).changed

        def failed(error: BaseException) -> None:
            if not alive(self):
                return
            if isinstance(error, CtmtError):
                self.error.setText(str(error))
            else:
                report_error(self, error)

        def done(_changed: bool) -> None:
            if not alive(self):
                return
            self.reviewed.emit(submission_id)
            self.context.navigator.data_changed.emit()
            self.accept()

        self.error.setText("")
        self.context.lane.run(operation, on_success=done, on_error=failed)


# --- receipts ------------------------------------------------------------------------------------
_SETTINGS_GROUP = "ministry_receipts"
_KEYS = ("kind", "p12_path", "module", "token_label", "folder")


class WriteReceiptsDialog(QDialog):
    """Write the signed receipts of a period (one province, or every one) into a folder.

    Signals:
        written(list): the receipts written (each a
            :class:`~ctmt_desktop.ministry.receipts.WrittenReceipt`).

    Attributes:
        file_radio, token_radio: the kind of identity that signs.
        p12_edit: the PKCS#12 file; module_edit, token_edit: the token's module and label.
        folder_edit: where the receipts go (a USB drive, a folder to e-mail from).
        period_edit, province_box: which packages (empty period: every period).
        status: what was written, or why not.
    """

    written = Signal(list)

    def __init__(self, context: MinistryContext, *, period: str | None = None,
                 province: str | None = None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.context = context
        self.setObjectName("write_receipts_dialog")
        self.setWindowTitle(self.tr("Write receipts"))
        saved = self._saved()
        self.file_radio = QRadioButton(self.tr("A certificate file (PKCS#12: .p12, .pfx)"))
        self.token_radio = QRadioButton(self.tr("A USB token (PKCS#11)"))
        kinds = QButtonGroup(self)
        kinds.addButton(self.file_radio)
        kinds.addButton(self.token_radio)
        (self.token_radio if saved["kind"] == "pkcs11" else self.file_radio).setChecked(True)
        self.p12_edit = QLineEdit(saved["p12_path"])
        self.p12_edit.setObjectName("receipts_p12")
        choose_p12 = QPushButton(self.tr("Choose…"))
        choose_p12.clicked.connect(self._choose_p12)
        self.module_edit = QLineEdit(saved["module"])
        self.module_edit.setObjectName("receipts_module")
        self.token_edit = QLineEdit(saved["token_label"])
        self.token_edit.setObjectName("receipts_token")
        self.folder_edit = QLineEdit(saved["folder"])
        self.folder_edit.setObjectName("receipts_folder")
        choose_folder = QPushButton(self.tr("Choose…"))
        choose_folder.clicked.connect(self._choose_folder)
        self.period_edit = QLineEdit(period or "")
        self.period_edit.setObjectName("receipts_period")
        self.period_edit.setPlaceholderText(self.tr("every period"))
        self.province_box = QComboBox()
        self.province_box.setObjectName("receipts_province")
        self.province_box.addItem(self.tr("Every province"), None)
        for unit in context.catalog.admin.provinces():
            self.province_box.addItem(f"{unit.code} {unit.name}", unit.code)
        if province and self.province_box.findData(province) >= 0:
            self.province_box.setCurrentIndex(self.province_box.findData(province))

        def row(*widgets: QWidget) -> QWidget:
            holder = QWidget()
            line = QHBoxLayout(holder)
            line.setContentsMargins(0, 0, 0, 0)
            for widget in widgets:
                line.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
            return holder

        form = QFormLayout()
        form.addRow(self.tr("Signed with:"), row(self.file_radio, self.token_radio))
        form.addRow(self.tr("Certificate file:"), row(self.p12_edit, choose_p12))
        form.addRow(self.tr("Token module:"), self.module_edit)
        form.addRow(self.tr("Token label:"), self.token_edit)
        form.addRow(self.tr("Write into:"), row(self.folder_edit, choose_folder))
        form.addRow(self.tr("Period:"), self.period_edit)
        form.addRow(self.tr("Province:"), self.province_box)
        self.status = QLabel()
        self.status.setObjectName("receipts_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.write_button = QPushButton(icon("file-down"), self.tr("Write the receipts"))
        self.write_button.setObjectName("write_receipts")
        self.write_button.setProperty("primary", True)
        self.write_button.clicked.connect(lambda: self.write())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        translate_buttons(buttons)
        buttons.addButton(self.write_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            hint_label(
                self.tr(
                    "Each package received, accepted or refused, gets its receipt "
                    "(NAME.zip.receipt.json and its signature .p7s) with its review; copy the "
                    "folder to the province's USB drive or attach both files to an e-mail."
                )
            )
        )
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(640, 0)

    @staticmethod
    def _saved() -> dict[str, str]:
        settings = app_settings()
        settings.beginGroup(_SETTINGS_GROUP)
        values = {key: str(settings.value(key, "") or "") for key in _KEYS}
        settings.endGroup()
        return values

    def _remember(self) -> None:
        choice = self.choice()
        settings = app_settings()
        settings.beginGroup(_SETTINGS_GROUP)
        for key, value in (
            ("kind", choice.kind),
            ("p12_path", choice.p12_path),
            ("module", choice.module),
            ("token_label", choice.token_label),
            ("folder", self.folder_edit.text().strip()),
        ):
            settings.setValue(key, value)
        settings.endGroup()
        settings.sync()

    def choice(self) -> SigningChoice:
        """The identity as chosen in the dialog."""
        if self.token_radio.isChecked():
            return SigningChoice(
                "pkcs11", module=self.module_edit.text().strip(),
                token_label=self.token_edit.text().strip(),
            )  # fmt: skip
        return SigningChoice("p12", p12_path=self.p12_edit.text().strip())

    def _choose_p12(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the ministry's certificate file"), "",
            self.tr("PKCS#12 (*.p12 *.pfx)"),
        )  # fmt: skip
        if path:
            self.p12_edit.setText(path)
            self.file_radio.setChecked(True)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder or the drive"))
        if folder:
            self.folder_edit.setText(folder)

    def write(self, secret: str | None = None) -> None:
        """Write the receipts (``secret``: the passphrase or PIN, else asked)."""
        from ctmt_desktop.ministry.receipts import write_receipts
        from ui.signing import open_signer

        choice = self.choice()
        folder = self.folder_edit.text().strip()
        if not choice.complete:
            self.status.setText(self.tr("Choose the certificate file or the token that signs."))
            return
        if not folder:
            self.status.setText(self.tr("Choose the folder to write the receipts into."))
            return
        if secret is None:
            secret = SecretDialog.ask(self, choice)
            if secret is None:
                return
        self._remember()
        store, user = self.context.store, self.context.user
        period = self.period_edit.text().strip() or None
        province = self.province_box.currentData()

        def operation(session: Session, progress: Progress) -> list[Any]:
            del session, progress
            with open_signer(choice, secret) as signer:
                return write_receipts(
                    store, Path(folder), signer, user=user, period=period, province=province
                )

        def done(written: list[Any]) -> None:
            if not alive(self):
                return
            accepted = sum(1 for item in written if item.verdict == "accepted")
            self.status.setText(
                self.tr(
                    "{count} receipts written into {folder} ({accepted} accepted, {refused} "
                    "refused)."
                ).format(
                    count=len(written),
                    folder=folder,
                    accepted=accepted,
                    refused=len(written) - accepted,
                )
            )
            self.written.emit(written)

        def failed(error: BaseException) -> None:
            if not alive(self):
                return
            if isinstance(error, CtmtError):
                self.status.setText(str(error))
            else:
                report_error(self, error)

        self.status.setText(self.tr("Writing…"))
        self.context.lane.run(
            operation,
            on_success=done,
            on_error=failed,
            label=self.tr("Writing the receipts…"),
            parent=self,
        )
