"""Signers: the registry of the provinces' signing certificates, and registering one.

A package is accepted only when its signer's certificate is registered for the province it
claims. :class:`RegisterSignerDialog` registers one through
:func:`ctmt_desktop.ministry.registry.register_signer`: a self-issued certificate with the
fingerprint typed from the province's printed registration form, a CA-issued one with the CA's
root certificate. What the registry refuses appears under the field it concerns, in the
interface's language (the core's own sentence in the tooltip).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.formatting import format_date, format_number
from ctmt_desktop.ministry.registry import (
    RegisteredSigner,
    RegistryError,
    list_signers,
    normalise_fingerprint,
    register_signer,
)
from ctmt_desktop.ministry.status import current_provinces
from ctmt_desktop.signing.identity import (
    IdentityError,
    format_fingerprint,
    load_certificates,
    subject_name,
)
from ctmt_desktop.text import sort_key
from ui.db_lane import Progress, report_error
from ui.i18n import translate_buttons
from ui.ministry.common import MinistryContext, alive, format_moment, province_name
from ui.style import icon
from ui.widgets import hint_label, mark_invalid, with_error_label

FIELDS = ("province", "certificate", "fingerprint", "root")


class RegisterSignerDialog(QDialog):
    """Register a province's certificate.

    Signals:
        registered(object, bool): the signer registered (``RegisteredSigner``) and whether it
            is new (the same certificate again changes nothing).

    Attributes:
        province_box, certificate_edit, fingerprint_edit, root_edit: the fields.
        certificate_info: what the chosen certificate file holds.
        error_labels: the message under each field, by field name (``province``,
            ``certificate``, ``fingerprint``, ``root``).
        buttons: Register and Cancel.
        signer: the signer registered, once the dialog is accepted.
    """

    registered = Signal(object, bool)

    def __init__(self, context: MinistryContext, province: str | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.context = context
        self.signer: RegisteredSigner | None = None
        self.error_labels: dict[str, QLabel] = {}
        self.setWindowTitle(self.tr("Register a province's certificate"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 100)

        intro = hint_label(
            self.tr(
                "A province sends its certificate file with its printed registration form. "
                "For a self-issued certificate type the SHA-256 fingerprint printed on the "
                "form: it proves the file is the one the department signed for. For a "
                "certificate a CA issued, choose the CA's root certificate."
            )
        )
        self.province_box = QComboBox()
        self.province_box.setObjectName("signer_province")
        for code, name in current_provinces(context.catalog):
            self.province_box.addItem(f"{name} ({code})", code)
        self.province_box.setMaxVisibleItems(20)
        if province:
            self.province_box.setCurrentIndex(max(self.province_box.findData(province), 0))

        self.certificate_edit = QLineEdit()
        self.certificate_edit.setObjectName("signer_certificate")
        self.certificate_edit.setPlaceholderText(self.tr("The .pem or .cer file of the province"))
        self.certificate_edit.editingFinished.connect(self._describe_certificate)
        browse = QPushButton(icon("folder-open"), self.tr("Choose…"))
        browse.clicked.connect(self._choose_certificate)
        certificate_row = QHBoxLayout()
        certificate_row.setContentsMargins(0, 0, 0, 0)
        certificate_row.addWidget(self.certificate_edit, 1)
        certificate_row.addWidget(browse)
        certificate_box = QWidget()
        certificate_box.setLayout(certificate_row)
        self.certificate_info = hint_label("")
        self.certificate_info.setObjectName("certificate_info")
        self.certificate_info.hide()

        self.fingerprint_edit = QLineEdit()
        self.fingerprint_edit.setObjectName("signer_fingerprint")
        self.fingerprint_edit.setPlaceholderText("AB:CD:EF:…")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.fingerprint_edit.setFont(mono)

        self.root_edit = QLineEdit()
        self.root_edit.setObjectName("signer_root")
        self.root_edit.setPlaceholderText(self.tr("Only for a certificate a CA issued"))
        browse_root = QPushButton(icon("folder-open"), self.tr("Choose…"))
        browse_root.clicked.connect(self._choose_root)
        root_row = QHBoxLayout()
        root_row.setContentsMargins(0, 0, 0, 0)
        root_row.addWidget(self.root_edit, 1)
        root_row.addWidget(browse_root)
        root_box = QWidget()
        root_box.setLayout(root_row)

        form = QFormLayout()
        form.addRow(self.tr("Province:"), with_error_label(self.province_box, "province",
                                                           self.error_labels))  # fmt: skip
        certificate_column = QWidget()
        column = QVBoxLayout(certificate_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(with_error_label(certificate_box, "certificate", self.error_labels))
        column.addWidget(self.certificate_info)
        form.addRow(self.tr("Certificate file:"), certificate_column)
        form.addRow(
            self.tr("SHA-256 fingerprint:"),
            with_error_label(self.fingerprint_edit, "fingerprint", self.error_labels),
        )
        form.addRow(
            self.tr("CA root certificate:"),
            with_error_label(root_box, "root", self.error_labels),
        )

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(self.buttons)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Register"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    # --- files ---------------------------------------------------------------------------------
    def _choose_certificate(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the province's certificate"),
            "",
            self.tr("Certificates (*.pem *.cer *.crt *.der)"),
        )
        if path:
            self.certificate_edit.setText(path)
            self._describe_certificate()

    def _choose_root(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the CA's root certificate"),
            "",
            self.tr("Certificates (*.pem *.cer *.crt *.der)"),
        )
        if path:
            self.root_edit.setText(path)

    def _describe_certificate(self) -> None:
        """Say whose certificate the chosen file holds (a small file: read here)."""
        text = self.certificate_edit.text().strip()
        self.certificate_info.setVisible(bool(text))
        if not text:
            return
        try:
            certificates = load_certificates(Path(text))
        except IdentityError:
            self.certificate_info.setText(self.tr("This file holds no certificate."))
            return
        cert = certificates[0]
        kind = self.tr("self-issued") if cert.issuer == cert.subject else self.tr("issued by a CA")
        self.certificate_info.setText(
            self.tr("{holder}, {kind}, valid {start} to {end}").format(
                holder=subject_name(cert),
                kind=kind,
                start=format_date(cert.not_valid_before_utc.date()),
                end=format_date(cert.not_valid_after_utc.date()),
            )
        )

    # --- registering ---------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for label in self.error_labels.values():
            label.clear()
            label.setToolTip("")
            label.hide()
        for widget in (self.certificate_edit, self.fingerprint_edit, self.root_edit):
            mark_invalid(widget, False)

    def show_error(self, field: str, text: str, detail: str = "") -> None:
        """``text`` under ``field`` (the core's sentence ``detail`` as its tooltip)."""
        label = self.error_labels[field]
        label.setText(text)
        label.setToolTip(detail)
        label.show()
        widget = {
            "certificate": self.certificate_edit,
            "fingerprint": self.fingerprint_edit,
            "root": self.root_edit,
        }.get(field)
        if widget is not None:
            mark_invalid(widget, True)

    def submit(self) -> None:
        """Check what can be checked here, then register on the lane."""
        self.clear_errors()
        province = self.province_box.currentData()
        certificate = self.certificate_edit.text().strip()
        typed = self.fingerprint_edit.text().strip()
        root = self.root_edit.text().strip()
        if not certificate:
            self.show_error(
                "certificate", self.tr("Choose the certificate file the province sent.")
            )
            return
        if typed:
            try:
                normalise_fingerprint(typed)
            except RegistryError as error:
                self.show_error("fingerprint", self.refusal_text(str(error))[1], str(error))
                return
        context = self.context
        user = context.user

        def operation(session: Session, progress: Progress) -> tuple[RegisteredSigner, bool]:
            del progress
            return register_signer(
                session,
                context.catalog,
                province=province,
                certificate=Path(certificate),
                fingerprint=typed or None,
                trust_roots=[Path(root)] if root else [],
                user=user,
            )

        self.buttons.setEnabled(False)
        context.lane.run(operation, on_success=self._registered, on_error=self._refused)

    def _registered(self, outcome: tuple[RegisteredSigner, bool]) -> None:
        if not alive(self):
            return
        self.buttons.setEnabled(True)
        signer, new = outcome
        self.signer = signer
        self.context.navigator.data_changed.emit()
        self.registered.emit(signer, new)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        if not alive(self):
            return
        self.buttons.setEnabled(True)
        if not isinstance(error, RegistryError):
            report_error(self, error)
            return
        field, text = self.refusal_text(str(error))
        self.show_error(field, text, str(error))

    def refusal_text(self, message: str) -> tuple[str, str]:
        """The field a refusal of the registry concerns, and what to tell the user.

        Known refusals are said in the interface's language; any other keeps the core's
        sentence, under the certificate.
        """
        lowered = message.lower()
        if "is not a province code" in lowered:
            return "province", self.tr("Choose a province of the catalog.")
        if "is not a sha-256 fingerprint" in lowered:
            return "fingerprint", self.tr(
                "This is not a SHA-256 fingerprint: type the 64 hexadecimal digits printed on "
                "the registration form (colons, spaces and case do not matter)."
            )
        if "fingerprint typed" in lowered:
            return "fingerprint", self.tr(
                "This fingerprint is not the certificate's: either it was mistyped, or the file "
                "is not the certificate of the registration form. Nothing was registered."
            )
        if "self-issued certificate: type" in lowered:
            return "fingerprint", self.tr(
                "This certificate is self-issued: type the SHA-256 fingerprint printed on the "
                "province's registration form."
            )
        if "expired on" in lowered:
            return "certificate", self.tr(
                "This certificate has expired; ask the province for its new one."
            )
        if "is issued by a ca" in lowered:
            return "root", self.tr(
                "A CA issued this certificate: choose the CA's root certificate."
            )
        if "does not chain" in lowered:
            return "root", self.tr("This certificate does not chain to the root chosen.")
        if "registered for province" in lowered:
            return "province", self.tr(
                "This certificate is registered for another province already; a certificate "
                "signs for one province only."
            )
        if "holds" in lowered and "certificates" in lowered:
            return "certificate", self.tr(
                "The file holds several certificates: choose the province's own certificate "
                "alone (its CA's root goes below)."
            )
        return "certificate", message


class SignersPage(QWidget):
    """The registered certificates, by province.

    Signals:
        loaded(): the list is shown.

    Attributes:
        province_box: every province, or one.
        table: one row per registered certificate.
        signers: what the table shows.
        dialog: the registration dialog opened last (None before).
    """

    loaded = Signal()

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.signers: list[RegisteredSigner] = []
        self.dialog: RegisterSignerDialog | None = None
        self._request = 0

        heading = QLabel(self.page_title())
        heading.setProperty("role", "heading")
        intro = hint_label(
            self.tr(
                "A package is accepted only when its signer's certificate is registered here "
                "for the province it claims, and was valid when it signed. A province may have "
                "several certificates over time (a renewal, a new token)."
            )
        )
        self.province_box = QComboBox()
        self.province_box.setObjectName("signers_province")
        self.province_box.addItem(self.tr("All provinces"), None)
        for code, name in current_provinces(context.catalog):
            self.province_box.addItem(name, code)
        self.province_box.setMaxVisibleItems(20)
        self.province_box.currentIndexChanged.connect(self.refresh)
        register = QPushButton(icon("key-round"), self.tr("Register a certificate…"))
        register.setObjectName("register_signer")
        register.setProperty("primary", True)
        register.clicked.connect(self.open_register_dialog)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "muted")
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Province:")))
        row.addWidget(self.province_box)
        row.addSpacing(12)
        row.addWidget(self.count_label)
        row.addStretch(1)
        row.addWidget(register)

        self.table = QTableWidget(0, 7)
        self.table.setObjectName("signers_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Province"),
                self.tr("Holder"),
                self.tr("SHA-256 fingerprint"),
                self.tr("Valid from"),
                self.tr("Valid to"),
                self.tr("Trusted by"),
                self.tr("Registered"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)

    # --- the page interface --------------------------------------------------------------------
    def page_title(self) -> str:
        return self.tr("Signers")

    def refresh(self) -> None:
        self._request += 1
        request = self._request
        province = self.province_box.currentData()

        def operation(session: Session, progress: Progress) -> list[RegisteredSigner]:
            del progress
            return list_signers(session, province)

        self.context.lane.run(
            operation,
            on_success=lambda signers: self._show(request, signers),
            on_error=lambda error: report_error(self, error),
        )

    def apply_params(self, params: dict[str, Any]) -> None:
        province = params.get("province")
        if province:
            self.province_box.setCurrentIndex(max(self.province_box.findData(province), 0))

    # --- showing -------------------------------------------------------------------------------
    def _show(self, request: int, signers: list[RegisteredSigner]) -> None:
        if not alive(self) or request != self._request:
            return
        catalog = self.context.catalog
        signers = sorted(
            signers,
            key=lambda s: (sort_key(province_name(catalog, s.province_code)), s.not_before),
        )
        self.signers = signers
        now = datetime.now()
        self.table.setRowCount(len(signers))
        for row, signer in enumerate(signers):
            expired = signer.not_after < now
            method = (
                self.tr("registration form") if signer.method == "form" else self.tr("CA chain")
            )
            fingerprint = format_fingerprint(signer.fingerprint)
            texts = (
                province_name(catalog, signer.province_code),
                signer.holder,
                fingerprint[:23] + "…",
                format_date(signer.not_before.date()),
                format_date(signer.not_after.date())
                + (" " + self.tr("(expired)") if expired else ""),
                method,
                self.tr("{time} by {user}").format(
                    time=format_moment(signer.registered_at), user=signer.registered_by
                ),
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(fingerprint if column == 2 else signer.subject)
                if expired:
                    item.setForeground(QBrush(QColor("#94a3b8")))
                self.table.setItem(row, column, item)
        for column in (0, 2, 3, 4, 5, 6):
            self.table.resizeColumnToContents(column)
        self.count_label.setText(
            self.tr("{count} certificates registered").format(count=format_number(len(signers)))
        )
        self.loaded.emit()

    def _on_registered(self, _signer: RegisteredSigner, _new: bool) -> None:
        self.refresh()

    def open_register_dialog(self) -> RegisterSignerDialog:
        """Open the registration dialog (window-modal); the list reloads when it succeeds."""
        if self.dialog is not None:
            self.dialog.deleteLater()
        dialog = RegisterSignerDialog(self.context, self.province_box.currentData(), self)
        dialog.registered.connect(self._on_registered)  # a slot: the dialog is deleted later
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog
