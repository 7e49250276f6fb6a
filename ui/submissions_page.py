"""Submissions: approve a period, make its signed package, see every package made (where it
was saved, its version and signer, and what the ministry answered: received on which day,
accepted or refused, its review and comments), take in the ministry's signed receipts, copy a
package to a removable drive or prepare an email; and verify any package received (useful at
the ministry too)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.accounts import Actor
from ctmt_desktop.formatting import format_date, format_number
from ctmt_desktop.periods import parse_period
from ctmt_desktop.services.approval import (
    DraftRecord,
    approve_period,
    draft_records,
    list_packages,
)
from ctmt_desktop.services.receipts import ReceiptInfo, latest_receipts
from ui.context import AppContext
from ui.db_lane import Progress, report_error
from ui.i18n import translate_buttons
from ui.signing import SecretDialog, describe, load_choice, open_signer
from ui.style import icon
from ui.verification import check_title

#: Part sizes offered for email, in MB (many government mail servers refuse more than 10).
PART_SIZES_MB = (1, 2, 5, 10, 20, 25)
DEFAULT_PART_MB = 10
# Draft records the approval's question lists (the rest are counted).
_DRAFTS_SHOWN = 10
#: Review states that ask the province to act.
_ISSUES = ("has_issues", "rejected")


def _period_choices() -> list[str]:
    from ui.reports_page import scope_choices

    return [code for code in scope_choices() if "-" not in code or code[5] in "HQ"]


class SubmissionsPage(QWidget):
    """Packages made and received.

    Attributes:
        period_box: the period to approve and package.
        identity_label: the signing identity chosen in Settings.
        split_check, part_size: split the package into numbered parts of at most so many MB.
        table: every package made, newest first, with the ministry's newest receipt of it.
        receipt_label: everything that receipt says, for the package chosen.
        verify_table: the checks of the last package verified.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        heading = QLabel(self.page_title())
        heading.setProperty("role", "heading")

        self.period_box = QComboBox()
        self.period_box.setObjectName("package_period")
        for code in _period_choices():
            self.period_box.addItem(code, code)
        self.identity_label = QLabel()
        self.identity_label.setObjectName("signing_identity")
        self.identity_label.setWordWrap(True)
        change = QPushButton(self.tr("Change…"))
        change.setObjectName("change_identity")
        change.clicked.connect(lambda: context.navigator.navigate.emit("settings", {}))
        identity_row = QHBoxLayout()
        identity_row.addWidget(self.identity_label, 1)
        identity_row.addWidget(change)
        self.split_check = QCheckBox(self.tr("Split into parts for email, each at most"))
        self.split_check.setObjectName("split_check")
        self.part_size = QComboBox()
        self.part_size.setObjectName("part_size")
        for megabytes in PART_SIZES_MB:
            self.part_size.addItem(f"{megabytes} MB", megabytes)
        self.part_size.setCurrentIndex(PART_SIZES_MB.index(DEFAULT_PART_MB))
        self.part_size.setEnabled(False)
        self.split_check.toggled.connect(self.part_size.setEnabled)
        split_row = QHBoxLayout()
        split_row.addWidget(self.split_check)
        split_row.addWidget(self.part_size)
        split_row.addStretch(1)
        approve = QPushButton(icon("badge-check"), self.tr("Approve the period"))
        approve.setObjectName("approve_button")
        approve.clicked.connect(self.approve)
        make = QPushButton(icon("package"), self.tr("Make the signed package…"))
        make.setObjectName("package_button")
        make.setProperty("primary", True)
        make.clicked.connect(lambda: self.make_package())
        actions = QHBoxLayout()
        actions.addWidget(approve)
        actions.addWidget(make)
        actions.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("submission_status")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Period:"), self.period_box)
        form.addRow(self.tr("Signed by:"), identity_row)
        form.addRow(self.tr("Email:"), split_row)
        make_group = QGroupBox(self.tr("Approve and package"))
        make_layout = QVBoxLayout(make_group)
        make_layout.addLayout(form)
        make_layout.addLayout(actions)
        make_layout.addWidget(self.status)

        self.table = QTableWidget(0, 7)
        self.table.setObjectName("packages_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Made on"),
                self.tr("Period"),
                self.tr("Version"),
                self.tr("Records"),
                self.tr("Signer fingerprint (SHA-256)"),
                self.tr("The ministry's receipt"),
                self.tr("Saved as"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda *_: self._show_receipt())
        folder = QPushButton(icon("folder-open"), self.tr("Open its folder"))
        folder.clicked.connect(self._open_folder)
        copy = QPushButton(icon("usb"), self.tr("Copy to a drive…"))
        copy.clicked.connect(self._copy_to_drive)
        mail = QPushButton(icon("mail"), self.tr("Prepare an email"))
        mail.clicked.connect(self._prepare_email)
        receipt = QPushButton(icon("file-up"), self.tr("Import receipt…"))
        receipt.setObjectName("import_receipt")
        receipt.clicked.connect(lambda: self.import_receipts())
        buttons = QHBoxLayout()
        for button in (folder, copy, mail, receipt):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.receipt_label = QLabel()
        self.receipt_label.setObjectName("receipt_detail")
        self.receipt_label.setWordWrap(True)
        self.receipt_label.setTextFormat(Qt.TextFormat.PlainText)
        self.receipt_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        made_group = QGroupBox(self.tr("Packages made"))
        made_layout = QVBoxLayout(made_group)
        made_layout.addWidget(self.table, 1)
        made_layout.addWidget(self.receipt_label)
        made_layout.addLayout(buttons)

        verify = QPushButton(icon("shield-check"), self.tr("Verify a package…"))
        verify.setObjectName("verify_button")
        verify.clicked.connect(lambda: self.verify())
        self.verify_summary = QLabel(
            self.tr(
                "Checks the files, the signature and who signed; give the trusted root or "
                "the registered certificate of the sender."
            )
        )
        self.verify_summary.setWordWrap(True)
        self.verify_table = QTableWidget(0, 3)
        self.verify_table.setObjectName("verify_table")
        self.verify_table.setHorizontalHeaderLabels(
            [self.tr("Check"), self.tr("Result"), self.tr("Reason")]
        )
        self.verify_table.verticalHeader().hide()
        self.verify_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verify_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.verify_table.resizeColumnsToContents()  # the headings whole before any check
        verify_group = QGroupBox(self.tr("Verify a package received"))
        verify_layout = QVBoxLayout(verify_group)
        verify_row = QHBoxLayout()
        verify_row.addWidget(verify)
        verify_row.addStretch(1)
        verify_layout.addLayout(verify_row)
        verify_layout.addWidget(self.verify_summary)
        verify_layout.addWidget(self.verify_table, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(make_group)
        layout.addWidget(made_group, 1)
        layout.addWidget(verify_group, 1)
        self.refresh()

    # --- page interface ------------------------------------------------------------------------
    def page_title(self) -> str:
        return self.tr("Submissions")

    def apply_params(self, params: dict[str, Any]) -> None:
        period = params.get("period")
        if period and self.period_box.findData(period) >= 0:
            self.period_box.setCurrentIndex(self.period_box.findData(period))

    def refresh(self) -> None:
        choice = load_choice()
        self.identity_label.setText(describe(choice))
        self.identity_label.setToolTip(choice.p12_path or choice.module)
        with self.context.database.session() as session:
            self._packages = list_packages(session)
            self._receipts = latest_receipts(session)
        self.table.setRowCount(len(self._packages))
        for row, info in enumerate(self._packages):
            receipt = self._receipts.get(info.package_id)
            cells = (
                f"{format_date(info.created_at.date())} {info.created_at:%H:%M}",
                info.period,
                str(info.version),
                format_number(info.record_count),
                info.signer_fingerprint[:16] + "…",
                self.receipt_text(receipt),
                info.file_path,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 5 and receipt is not None:
                    item.setToolTip(self.receipt_details(receipt))
                    if receipt.verdict == "refused" or receipt.review_state in _ISSUES:
                        item.setIcon(icon("circle-alert"))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self._show_receipt()

    # --- the ministry's receipts ---------------------------------------------------------------
    def review_name(self, state: str | None) -> str:
        return {
            "received": self.tr("not reviewed yet"),
            "accepted": self.tr("accepted after review"),
            "has_issues": self.tr("has issues"),
            "rejected": self.tr("rejected"),
        }.get(state or "", state or "")

    def receipt_text(self, receipt: ReceiptInfo | None) -> str:
        """One line for the table: ``Received 05/12/2026: accepted, has issues (2 record
        comments)``; empty when no receipt came."""
        if receipt is None:
            return ""
        day = format_date(receipt.received_at.date()) if receipt.received_at else "?"
        if receipt.verdict == "refused":
            return self.tr("Received {day}: REFUSED").format(day=day)
        text = self.tr("Received {day}: accepted, {review}").format(
            day=day, review=self.review_name(receipt.review_state)
        )
        if receipt.comments:
            text += " " + self.tr("({count} record comments)").format(count=receipt.comments)
        if receipt.superseded:
            text += " " + self.tr("— replaced by a newer version")
        return text

    def receipt_details(self, receipt: ReceiptInfo) -> str:
        """Everything the receipt says, for the package chosen."""
        lines = [self.receipt_text(receipt)]
        if receipt.review_comment:
            lines.append(self.tr("The ministry's comment: {comment}").format(
                comment=receipt.review_comment))  # fmt: skip
        if receipt.comments:
            lines.append(
                self.tr(
                    "{count} records have a comment of the ministry: they are marked in the "
                    "tables of records, the comment shows in each record's form."
                ).format(count=receipt.comments)
            )
        for check in receipt.failed_checks:
            lines.append(
                self.tr("Failed check {check}: {reason}").format(
                    check=check.get("check", ""), reason=check.get("reason", "")
                )
            )
        lines.append(
            self.tr("Receipt signed by {issuer} on {day}.").format(
                issuer=receipt.issued_by,
                day=f"{format_date(receipt.issued_at.date())} {receipt.issued_at:%H:%M}",
            )
        )
        return "\n".join(lines)

    def _show_receipt(self) -> None:
        info = self._selected()
        receipt = self._receipts.get(info.package_id) if info is not None else None
        if info is None:
            self.receipt_label.setText("")
        elif receipt is None:
            self.receipt_label.setText(
                self.tr("No receipt of the ministry for version {version} of {period} yet.").format(
                    version=info.version, period=info.period
                )
            )
        else:
            self.receipt_label.setText(self.receipt_details(receipt))

    def import_receipts(
        self, files: list[Path] | None = None, certificate: Path | None = None
    ) -> None:
        """Check and take in the ministry's receipts (``files`` skips the file dialog,
        ``certificate`` gives the ministry's certificate; asked for when the agency profile
        has none yet)."""
        from ctmt_desktop.services.receipts import import_receipts, ministry_certificate

        if files is None:
            chosen, _ = QFileDialog.getOpenFileNames(
                self,
                self.tr("Choose the receipts"),
                "",
                self.tr("Receipts of the ministry (*.receipt.json *.receipt.json.p7s)"),
            )
            if not chosen:
                return
            files = [Path(p) for p in chosen]
        if certificate is None:
            with self.context.database.session() as session:
                known = ministry_certificate(session) is not None
            if not known:
                picked, _ = QFileDialog.getOpenFileName(
                    self,
                    self.tr("Choose the ministry's certificate (once: it is kept)"),
                    "",
                    self.tr("Certificates (*.pem *.cer *.crt)"),
                )
                if not picked:
                    return
                certificate = Path(picked)
        actor, user, sources = self.context.actor, self.context.user, list(files)

        def operation(session: Session, progress: Progress) -> Any:
            del progress
            return import_receipts(
                session, sources, actor=actor, user=user, ministry_certificate_file=certificate
            )

        def done(result: Any) -> None:
            new = [item for item in result.receipts if not item.duplicate]
            self.status.setText(
                self.tr("{count} receipts imported ({known} had been imported before).").format(
                    count=len(new), known=len(result.receipts) - len(new)
                )
            )
            self.refresh()
            self.context.navigator.data_changed.emit()

        def failed(error: BaseException) -> None:
            report_error(self, error)
            self.status.setText(self.tr("Nothing was imported."))

        self.context.lane.run(
            operation,
            on_success=done,
            on_error=failed,
            label=self.tr("Checking the receipts…"),
            parent=self,
        )

    # --- actions -------------------------------------------------------------------------------
    def _actor(self) -> Actor:
        return self.context.actor or Actor(self.context.user, "approver")

    def approve(self, confirm_drafts: bool | None = None) -> None:
        """Approve the chosen period: its records are frozen until an approver reopens it.

        Records starting in the period that are still drafts keep it from being approved: the
        page lists them and asks whether to confirm them with the approval
        (``confirm_drafts`` gives the answer without asking)."""
        period = parse_period(self.period_box.currentData())
        actor = self._actor()
        with self.context.database.session() as session:
            drafts = draft_records(session, period)
        if drafts:
            if confirm_drafts is None:
                confirm_drafts = self._ask_to_confirm_drafts(period.code, drafts)
            if not confirm_drafts:
                self.status.setText(
                    self.tr(
                        "{period} is not approved: {count} record(s) starting in it are drafts."
                    ).format(period=period.code, count=format_number(len(drafts)))
                )
                return
        confirm = bool(drafts)

        def operation(session: Session, progress: Progress) -> str:
            return approve_period(session, actor, period, confirm_drafts=confirm).period

        self.context.lane.run(
            operation,
            on_success=lambda code: self.status.setText(
                self.tr("{period} is approved.").format(period=code)
            ),
            on_error=lambda error: report_error(self, error),
        )

    def _ask_to_confirm_drafts(self, period: str, drafts: list[DraftRecord]) -> bool:
        """Ask whether to confirm the period's draft records with its approval."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Approve the period"),
            self.tr(
                "{count} record(s) starting in {period} are still drafts. Confirm them and "
                "approve the period? Its records cannot be changed afterwards until an approver "
                "reopens it."
            ).format(count=format_number(len(drafts)), period=period),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        shown = [f"{format_date(d.start_date)}  {d.title}" for d in drafts[:_DRAFTS_SHOWN]]
        if len(drafts) > _DRAFTS_SHOWN:
            shown.append(
                self.tr("… and {count} more").format(
                    count=format_number(len(drafts) - _DRAFTS_SHOWN)
                )
            )
        box.setInformativeText("\n".join(shown))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        translate_buttons(box)
        return box.exec() == QMessageBox.StandardButton.Yes

    def make_package(self, out: Path | None = None, secret: str | None = None) -> None:
        """Build and sign the package of the chosen period with the identity chosen in
        Settings (``out`` skips the file dialog, ``secret`` the passphrase or PIN dialog)."""
        from ctmt_desktop.package.build import build_package, package_file_name

        choice = load_choice()
        if not choice.complete:
            self._ask_for_identity()
            return
        code = self.period_box.currentData()
        if out is None:
            province = self.context.catalog.admin.get(self.context.province)
            suggested = package_file_name(province.name if province else "", code, 0)
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save the package"), suggested, self.tr("Package (*.zip)")
            )
            if not chosen:
                return
            out = Path(chosen)
        if secret is None:
            secret = SecretDialog.ask(self, choice)
            if secret is None:
                return
        max_part = (
            self.part_size.currentData() * 1_000_000 if self.split_check.isChecked() else None
        )
        context, actor, period = self.context, self._actor(), parse_period(code)

        def operation(session: Session, progress: Progress) -> Any:
            with open_signer(choice, secret) as signer:
                return build_package(
                    session,
                    actor,
                    period,
                    signer,
                    out,
                    db_path=context.database.path,
                    catalog=context.catalog,
                    max_part_size=max_part,
                )

        def done(result: Any) -> None:
            parts = result.parts
            if len(parts) > 1:
                text = self.tr(
                    "Package version {version} written in {count} parts beside {path}; send "
                    "every part."
                ).format(version=result.info.version, count=len(parts), path=result.path)
            else:
                text = self.tr("Package version {version} written to {path}.").format(
                    version=result.info.version, path=result.path
                )
            self.status.setText(text)
            self.refresh()
            context.navigator.data_changed.emit()

        context.lane.run(
            operation,
            on_success=done,
            on_error=lambda e: report_error(self, e),
            label=self.tr("Making the signed package…"),
            parent=self,
        )

    def _ask_for_identity(self) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("No signing identity"))
        box.setText(
            self.tr(
                "Choose the certificate file or the USB token that signs the packages, or "
                "create a self-issued identity, in Settings."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        translate_buttons(box)
        go = box.addButton(self.tr("Open Settings"), QMessageBox.ButtonRole.AcceptRole)
        go.clicked.connect(lambda: self.context.navigator.navigate.emit("settings", {}))
        box.open()

    def _selected(self) -> Any:
        row = self.table.currentRow()
        return self._packages[row] if 0 <= row < len(self._packages) else None

    def _open_folder(self) -> None:
        info = self._selected()
        if info is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(info.file_path).parent)))

    def _copy_to_drive(self) -> None:
        info = self._selected()
        if info is None:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the drive or folder"))
        if folder:
            self.copy_to(info, Path(folder))

    def copy_to(self, info: Any, folder: Path) -> list[Path]:
        """Copy the package (every part) into ``folder``, each under a temporary name first so
        that a drive pulled out mid-copy leaves no file that looks whole."""
        copied = []
        try:
            for source in info.files:
                target = folder / source.name
                temporary = folder / f".{source.name}.partial"
                shutil.copyfile(source, temporary)
                with temporary.open("rb+") as handle:
                    os.fsync(handle.fileno())
                os.replace(temporary, target)
                copied.append(target)
        except OSError as error:
            report_error(self, error)
            return copied
        self.status.setText(
            self.tr("Copied to {path}.").format(path=", ".join(str(p) for p in copied))
        )
        return copied

    def _prepare_email(self) -> None:
        info = self._selected()
        if info is None:
            return
        subject = self.tr("Submission package {period}, version {version}").format(
            period=info.period, version=info.version
        )
        body = self.tr(
            "Please find attached the signed submission package of {agency} for {period} "
            "(version {version}, {records} records). Signer fingerprint (SHA-256): {fingerprint}."
        ).format(
            agency=self.context.agency_name,
            period=info.period,
            version=info.version,
            records=info.record_count,
            fingerprint=info.signer_fingerprint,
        )
        files = info.files
        if len(files) > 1:
            body += " " + self.tr(
                "The package is in {count} parts ({files}), sent in {count} emails; keep "
                "them together in one folder to verify."
            ).format(count=len(files), files=", ".join(f.name for f in files))
        QDesktopServices.openUrl(QUrl(f"mailto:?subject={quote(subject)}&body={quote(body)}"))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(info.file_path).parent)))
        if len(files) > 1:
            self.status.setText(
                self.tr(
                    "The package is in {count} parts: send each part in its own email, in "
                    "order: {files}."
                ).format(count=len(files), files=", ".join(f.name for f in files))
            )
        else:
            self.status.setText(self.tr("Attach {path} to the email.").format(path=info.file_path))

    def verify(
        self, files: list[Path] | None = None, certificates: list[Path] | None = None
    ) -> None:
        """Verify a package (or its parts) against trusted or registered certificates."""
        from ctmt_desktop.package.verify import verify_package
        from ctmt_desktop.signing.identity import load_certificates

        if files is None:
            chosen, _ = QFileDialog.getOpenFileNames(
                self,
                self.tr("Choose the package or all its parts"),
                "",
                self.tr("Package (*.zip *.zip.*)"),
            )
            if not chosen:
                return
            files = [Path(p) for p in chosen]
            picked, _ = QFileDialog.getOpenFileNames(
                self,
                self.tr("Choose the trusted or registered certificates"),
                "",
                self.tr("Certificates (*.pem *.cer *.crt)"),
            )
            certificates = [Path(p) for p in picked]
        certs = [c for path in certificates or [] for c in load_certificates(path)]
        parts = sorted(files)

        def operation(session: Session, progress: Progress) -> Any:
            del session
            return verify_package(parts if len(parts) > 1 else parts[0], certs, certs)

        self.context.lane.run(
            operation,
            on_success=self._show_report,
            on_error=lambda e: report_error(self, e),
            label=self.tr("Verifying…"),
            parent=self,
        )

    def _show_report(self, report: Any) -> None:
        self.verify_table.setRowCount(len(report.checks))
        for row, check in enumerate(report.checks):
            result = {"ok": self.tr("passed"), "failed": self.tr("FAILED")}.get(
                check.status, self.tr("skipped")
            )
            for column, text in enumerate((check_title(check.name), result, check.reason)):
                self.verify_table.setItem(row, column, QTableWidgetItem(text))
        self.verify_table.resizeColumnsToContents()
        self.verify_summary.setText(
            self.tr("The package is verified: every check passed.")
            if report.ok
            else self.tr("The package is REFUSED: {checks}.").format(
                checks=", ".join(check_title(check.name) for check in report.failed)
            )
        )
