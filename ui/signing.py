"""Signing identities in the window.

- :class:`SigningChoice`: which identity signs the packages — a PKCS#12 file or a USB token
  (its PKCS#11 module and label) — kept in the user's settings with the certificate last
  seen. The passphrase and the PIN are never stored: :class:`SecretDialog` asks for them
  each time, and for a token warns that wrong PINs lock it (saying so more loudly when the
  token reports a wrong PIN or its last try).
- :class:`CreateIdentityDialog` makes a self-issued identity (RSA 3072 or EC P-256 in a
  passphrase-protected PKCS#12 file), its certificate file for the ministry and the
  registration form to print, sign and seal.
- :class:`SigningSection`: the Settings group that ties them together.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ctmt_desktop.errors import CtmtError
from ctmt_desktop.paths import user_data_dir
from ctmt_desktop.signing import identity
from ui import app_settings
from ui.i18n import translate_buttons
from ui.widgets import ERROR_STYLE, hint_label, with_error_label

WARNING_STYLE = "color: #92400e; background: #fef3c7; padding: 6px; border-radius: 4px;"


# --- the choice, kept in the user's settings -----------------------------------------------------
@dataclass(frozen=True)
class SigningChoice:
    """The identity that signs packages on this computer.

    Attributes:
        kind: ``p12`` (a PKCS#12 file), ``pkcs11`` (a USB token) or ``""`` (none chosen).
        certificate_pem: the identity's certificate as last read (public: shown, exported
            and printed on the registration form without asking for the secret again).
    """

    kind: str = ""
    p12_path: str = ""
    module: str = ""
    token_label: str = ""
    certificate_pem: str = ""

    @property
    def complete(self) -> bool:
        if self.kind == "p12":
            return bool(self.p12_path.strip())
        if self.kind == "pkcs11":
            return bool(self.module.strip() and self.token_label.strip())
        return False

    @property
    def certificate(self) -> x509.Certificate | None:
        if not self.certificate_pem:
            return None
        try:
            return x509.load_pem_x509_certificate(self.certificate_pem.encode("ascii"))
        except ValueError:
            return None

    @property
    def fingerprint(self) -> str:
        cert = self.certificate
        return identity.fingerprint_sha256(cert) if cert is not None else ""


_KEYS = ("kind", "p12_path", "module", "token_label", "certificate_pem")


def load_choice() -> SigningChoice:
    settings = app_settings()
    settings.beginGroup("signing")
    values = {key: str(settings.value(key, "") or "") for key in _KEYS}
    settings.endGroup()
    return SigningChoice(**values)


def save_choice(choice: SigningChoice) -> None:
    settings = app_settings()
    settings.beginGroup("signing")
    for key in _KEYS:
        settings.setValue(key, getattr(choice, key))
    settings.endGroup()
    settings.sync()


@contextmanager
def open_signer(choice: SigningChoice, secret: str) -> Iterator[Any]:
    """The pyHanko signer of ``choice`` unlocked with ``secret`` (a token's session closes
    after). Raises :class:`~ctmt_desktop.signing.identity.IdentityError` with the reason."""
    if choice.kind == "p12":
        yield identity.pkcs12_signer(choice.p12_path, secret)
    elif choice.kind == "pkcs11":
        with identity.pkcs11_signer(choice.module, choice.token_label, secret) as signer:
            yield signer
    else:
        raise identity.IdentityError("no signing identity is chosen; choose one in Settings")


def certificate_of(signer: Any) -> x509.Certificate:
    return x509.load_der_x509_certificate(identity.certificate_der(signer.signing_cert))


def describe(choice: SigningChoice) -> str:
    """One line naming the identity for the user."""
    translate = QCoreApplication.translate
    if choice.kind == "p12" and choice.complete:
        text = translate("SigningChoice", "Certificate file {name}").format(
            name=Path(choice.p12_path).name
        )
    elif choice.kind == "pkcs11" and choice.complete:
        text = translate("SigningChoice", "USB token “{label}” ({module})").format(
            label=choice.token_label, module=Path(choice.module).name
        )
    else:
        return translate("SigningChoice", "No signing identity chosen yet: choose one in Settings.")
    cert = choice.certificate
    if cert is not None:
        text += ": " + identity.subject_name(cert)
    return text


# --- asking for the passphrase or the PIN ---------------------------------------------------------
class SecretDialog(QDialog):
    """Asks the passphrase of a PKCS#12 file or the PIN of a token, never stored.

    For a token it warns that wrong PINs lock it, more loudly when the token says a wrong
    PIN was entered (``count_low``) or one try is left (``final_try``); a locked token
    cannot be unlocked here.
    """

    def __init__(self, choice: SigningChoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = choice
        token = choice.kind == "pkcs11"
        self.setWindowTitle(self.tr("Token PIN") if token else self.tr("Passphrase"))
        layout = QVBoxLayout(self)
        if token:
            intro = self.tr("Enter the PIN of the USB token “{label}” to sign.").format(
                label=choice.token_label
            )
        else:
            intro = self.tr("Enter the passphrase of the signing identity {name}.").format(
                name=Path(choice.p12_path).name
            )
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.warning = QLabel()
        self.warning.setObjectName("pin_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.state = "ok"
        if token:
            try:
                self.state = identity.token_pin_state(choice.module, choice.token_label)
            except CtmtError:
                self.state = "unknown"
            self.warning.setText(self._warning_text())
            layout.addWidget(self.warning)
        else:
            self.warning.hide()
        self.secret_edit = QLineEdit()
        self.secret_edit.setObjectName("secret_edit")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("PIN:") if token else self.tr("Passphrase:"), self.secret_edit)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.secret_edit.textChanged.connect(
            lambda text: ok.setEnabled(bool(text) and self.state != "locked")
        )
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def _warning_text(self) -> str:
        general = self.tr(
            "A token locks itself after a few wrong PINs in a row (often 3 to 10 tries). If "
            "you are not sure of the PIN, stop and ask the person who keeps the token; only "
            "the certificate authority can unlock a locked token."
        )
        if self.state == "locked":
            return self.tr(
                "This token's PIN is LOCKED after too many wrong tries. It cannot sign until "
                "the certificate authority that issued it unlocks it."
            )
        if self.state == "final_try":
            return self.tr(
                "LAST TRY: one more wrong PIN locks this token. Enter the PIN only if you "
                "are sure of it."
            )
        if self.state == "count_low":
            return self.tr("A wrong PIN was entered on this token recently.") + " " + general
        return general

    def value(self) -> str:
        return self.secret_edit.text()

    @staticmethod
    def ask(parent: QWidget | None, choice: SigningChoice) -> str | None:
        dialog = SecretDialog(choice, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.value()


# --- a new self-issued identity ---------------------------------------------------------------
@dataclass(frozen=True)
class CreatedIdentity:
    p12_path: Path
    certificate: x509.Certificate
    certificate_path: Path
    form_path: Path | None


def default_identity_path(on: date | None = None) -> Path:
    day = on or date.today()
    return user_data_dir() / "signing" / f"ctmt-signing-{day:%Y-%m-%d}.p12"


class CreateIdentityDialog(QDialog):
    """Makes a self-issued identity and, if asked, its registration form.

    ``agency`` (a :class:`~ctmt_desktop.reports.figures.Agency`) fills the organisation and
    the form. On success :attr:`created` holds what was written.
    """

    def __init__(self, agency: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.agency = agency
        self.created: CreatedIdentity | None = None
        self._errors: dict[str, QLabel] = {}
        self.setWindowTitle(self.tr("Create a self-issued signing identity"))
        intro = QLabel(
            self.tr(
                "For a department without a USB token: the app makes a key pair and a "
                "certificate, kept in a file protected by a passphrase. Print the "
                "registration form, have the director sign and seal it, and send it to the "
                "ministry by post with the certificate file (.pem), so that the ministry "
                "recognises your packages."
            )
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(agency.name)
        self.name_edit.setObjectName("identity_name")
        self.organization_edit = QLineEdit(agency.name)
        self.key_box = QComboBox()
        self.key_box.setObjectName("identity_key")
        self.key_box.addItem(self.tr("RSA 3072 bit (widest support)"), "rsa")
        self.key_box.addItem(self.tr("EC P-256 (shorter signatures)"), "ec")
        self.years_box = QComboBox()
        self.years_box.setObjectName("identity_years")
        for years in (1, 2, 3, 5, 10):
            self.years_box.addItem(self.tr("%n year(s)", "", years), years)
        self.years_box.setCurrentIndex(self.years_box.findData(identity.DEFAULT_VALID_DAYS // 365))
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setObjectName("identity_passphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setObjectName("identity_repeat")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.path_edit = QLineEdit(str(default_identity_path()))
        self.path_edit.setObjectName("identity_path")
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_path)
        path_row = QWidget()
        path_layout = QHBoxLayout(path_row)
        path_layout.setContentsMargins(0, 0, 0, 0)
        path_layout.addWidget(self.path_edit, 1)
        path_layout.addWidget(browse)
        self.form_check = QCheckBox(self.tr("Also save the registration form (PDF) beside it"))
        self.form_check.setObjectName("identity_form")
        self.form_check.setChecked(True)

        form = QFormLayout()
        errors = self._errors
        form.addRow(
            self.tr("Name on the certificate:"), with_error_label(self.name_edit, "name", errors)
        )
        form.addRow(self.tr("Organisation:"), self.organization_edit)
        form.addRow(self.tr("Key:"), self.key_box)
        form.addRow(self.tr("Valid for:"), self.years_box)
        form.addRow(
            self.tr("Passphrase:"), with_error_label(self.passphrase_edit, "passphrase", errors)
        )
        form.addRow(
            self.tr("Passphrase again:"), with_error_label(self.repeat_edit, "repeat", errors)
        )
        form.addRow(self.tr("Save as:"), with_error_label(path_row, "path", errors))
        form.addRow("", self.form_check)
        hint = hint_label(
            self.tr(
                "At least {count} characters. Whoever has the file and the passphrase can "
                "sign in the department's name; a lost passphrase cannot be recovered."
            ).format(count=identity.PASSPHRASE_MIN)
        )
        self.general_error = QLabel()
        self.general_error.setObjectName("identity_error")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)

    def _choose_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the signing identity"), self.path_edit.text(),
            self.tr("PKCS#12 (*.p12)"),
        )  # fmt: skip
        if path:
            self.path_edit.setText(
                path if path.lower().endswith((".p12", ".pfx")) else path + ".p12"
            )

    def _show(self, problems: dict[str, str]) -> None:
        for field, label in self._errors.items():
            label.setText(problems.get(field, ""))
            label.setVisible(field in problems)
        general = problems.get("")
        self.general_error.setText(general or "")
        self.general_error.setVisible(bool(general))

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if not self.name_edit.text().strip():
            problems["name"] = self.tr("Enter the name the certificate carries.")
        passphrase = self.passphrase_edit.text()
        if len(passphrase) < identity.PASSPHRASE_MIN:
            problems["passphrase"] = self.tr(
                "The passphrase must have at least {count} characters."
            ).format(count=identity.PASSPHRASE_MIN)
        elif self.repeat_edit.text() != passphrase:
            problems["repeat"] = self.tr("The two passphrases differ.")
        text = self.path_edit.text().strip()
        if not text:
            problems["path"] = self.tr("Choose where to save the identity file.")
        elif Path(text).exists():
            problems["path"] = self.tr(
                "A file with this name exists; choose another name (an identity is never "
                "overwritten)."
            )
        return problems

    def create(self) -> None:
        problems = self.problems()
        self._show(problems)
        if problems:
            return
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        path = Path(self.path_edit.text().strip())
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            certificate = identity.create_self_issued(
                self.name_edit.text(),
                path,
                self.passphrase_edit.text(),
                key_type=self.key_box.currentData(),
                organization=self.organization_edit.text().strip(),
                province=self.agency.province_name,
                valid_days=self.years_box.currentData() * 365,
            )
            pem = path.with_suffix(".pem")
            pem.write_bytes(certificate.public_bytes(Encoding.PEM))
            form = None
            if self.form_check.isChecked():
                form = identity.registration_form_pdf(
                    certificate, self.agency, path.with_suffix(".pdf")
                )
        except (CtmtError, OSError) as error:
            self._show({"": str(error)})
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.created = CreatedIdentity(path, certificate, pem, form)
        self.accept()


# --- the Settings section ------------------------------------------------------------------------
class SigningSection(QGroupBox):
    """Choose, check, create the signing identity; save its certificate and print its form.

    Signals:
        choice_changed(): the identity in use changed (pages showing it refresh).
    """

    choice_changed = Signal()

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Signing identity"), parent)
        self.context = context
        self.setObjectName("signing_section")
        choice = load_choice()

        self.file_radio = QRadioButton(self.tr("A certificate file (PKCS#12: .p12, .pfx)"))
        self.file_radio.setObjectName("signing_kind_p12")
        self.token_radio = QRadioButton(self.tr("A USB token (PKCS#11)"))
        self.token_radio.setObjectName("signing_kind_pkcs11")
        kinds = QButtonGroup(self)
        kinds.addButton(self.file_radio)
        kinds.addButton(self.token_radio)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.file_radio)
        kind_row.addWidget(self.token_radio)
        kind_row.addStretch(1)

        # a PKCS#12 file
        self.p12_edit = QLineEdit(choice.p12_path)
        self.p12_edit.setObjectName("signing_p12")
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose_p12)
        create = QPushButton(self.tr("Create a self-issued identity…"))
        create.setObjectName("create_identity")
        create.clicked.connect(self.create_identity)
        file_page = QWidget()
        file_form = QFormLayout(file_page)
        file_form.setContentsMargins(0, 0, 0, 0)
        file_row = QHBoxLayout()
        file_row.addWidget(self.p12_edit, 1)
        file_row.addWidget(choose)
        file_row.addStretch(0)  # takes what is left once the path stops at its readable width
        file_form.addRow(self.tr("File:"), file_row)
        create_row = QHBoxLayout()
        create_row.addWidget(create)
        create_row.addStretch(1)
        file_form.addRow("", create_row)

        # a USB token
        self.module_box = QComboBox()
        self.module_box.setObjectName("signing_module")
        self.module_box.setEditable(True)
        self.module_box.setMinimumContentsLength(30)
        for ca, path in identity.find_token_modules():
            self.module_box.addItem(f"{ca} — {path}", str(path))
        self._set_module(choice.module)
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_module)
        module_row = QHBoxLayout()
        module_row.addWidget(self.module_box, 1)
        module_row.addWidget(browse)
        module_row.addStretch(0)
        self.token_box = QComboBox()
        self.token_box.setObjectName("signing_token")
        self.token_box.setEditable(True)
        if choice.token_label:
            self.token_box.addItem(choice.token_label)
        find = QPushButton(self.tr("Find tokens"))
        find.setObjectName("find_tokens")
        find.clicked.connect(self.find_tokens)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token_box, 1)
        token_row.addWidget(find)
        token_row.addStretch(0)
        token_page = QWidget()
        token_form = QFormLayout(token_page)
        token_form.setContentsMargins(0, 0, 0, 0)
        token_form.addRow(self.tr("PKCS#11 module:"), module_row)
        token_form.addRow(self.tr("Token:"), token_row)
        module_hint = hint_label(
            self.tr(
                "The library the token's driver installed (on Windows usually in System32, "
                "e.g. vnptca_p11_v8.dll or viettel-ca_v6.dll); those found are listed."
            )
        )
        token_form.addRow(module_hint)

        self.stack = QStackedWidget()
        self.stack.addWidget(file_page)
        self.stack.addWidget(token_page)
        self.stack.currentChanged.connect(self._fit_stack)

        # the identity in use
        self.summary = QLabel()
        self.summary.setObjectName("signing_summary")
        self.summary.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("signing_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        check = QPushButton(self.tr("Check the identity…"))
        check.setObjectName("check_identity")
        check.clicked.connect(lambda: self.check_identity())
        self.save_cert_button = QPushButton(self.tr("Save the certificate…"))
        self.save_cert_button.clicked.connect(lambda: self.save_certificate())
        self.form_button = QPushButton(self.tr("Print the registration form…"))
        self.form_button.setObjectName("registration_form")
        self.form_button.clicked.connect(lambda: self.save_registration_form())
        actions = QHBoxLayout()
        for button in (check, self.save_cert_button, self.form_button):
            actions.addWidget(button)
        actions.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(kind_row)
        layout.addWidget(self.stack)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addLayout(actions)

        self._certificate_pem = choice.certificate_pem
        (self.token_radio if choice.kind == "pkcs11" else self.file_radio).setChecked(True)
        self.stack.setCurrentIndex(1 if choice.kind == "pkcs11" else 0)
        self._fit_stack(self.stack.currentIndex())
        self.file_radio.toggled.connect(self._kind_changed)
        self.p12_edit.editingFinished.connect(self._fields_changed)
        self.module_box.currentTextChanged.connect(lambda _text: self._fields_changed())
        self.token_box.currentTextChanged.connect(lambda _text: self._fields_changed())
        self._show_summary()

    # --- the choice ------------------------------------------------------------------------------
    def _fit_stack(self, current: int) -> None:
        """As tall as the page shown, not the tallest page."""
        for index in range(self.stack.count()):
            page = self.stack.widget(index)
            policy = (
                QSizePolicy.Policy.Preferred if index == current else QSizePolicy.Policy.Ignored
            )
            page.setSizePolicy(policy, policy)
            page.adjustSize()
        self.stack.adjustSize()

    def _set_module(self, module: str) -> None:
        if not module:
            return
        index = self.module_box.findData(module)
        if index < 0:
            self.module_box.addItem(module, module)
            index = self.module_box.count() - 1
        self.module_box.setCurrentIndex(index)

    def _module_path(self) -> str:
        text = self.module_box.currentText().strip()
        index = self.module_box.findText(text)
        data = self.module_box.itemData(index) if index >= 0 else None
        return str(data) if data else text

    def current_choice(self) -> SigningChoice:
        return SigningChoice(
            kind="pkcs11" if self.token_radio.isChecked() else "p12",
            p12_path=self.p12_edit.text().strip(),
            module=self._module_path(),
            token_label=self.token_box.currentText().strip(),
            certificate_pem=self._certificate_pem,
        )

    def _kind_changed(self) -> None:
        self.stack.setCurrentIndex(0 if self.file_radio.isChecked() else 1)
        self._fields_changed()

    def _fields_changed(self) -> None:
        """Another identity: the certificate seen before no longer applies."""
        choice = self.current_choice()
        before = load_choice()
        if (choice.kind, choice.p12_path, choice.module, choice.token_label) != (
            before.kind, before.p12_path, before.module, before.token_label,
        ):  # fmt: skip
            self._certificate_pem = ""
            save_choice(replace(choice, certificate_pem=""))
            self.choice_changed.emit()
        self._show_summary()

    def _show_summary(self) -> None:
        choice = self.current_choice()
        cert = choice.certificate
        if cert is None:
            text = self.tr(
                "Not checked yet: check the identity to see its certificate and fingerprint."
            )
        else:
            text = self.tr(
                "Certificate: {subject}\nValid {start} to {end}\nSHA-256 fingerprint: {fingerprint}"
            ).format(
                subject=identity.subject_name(cert),
                start=f"{cert.not_valid_before_utc:%d/%m/%Y}",
                end=f"{cert.not_valid_after_utc:%d/%m/%Y}",
                fingerprint=identity.format_fingerprint(identity.fingerprint_sha256(cert)),
            )
        self.summary.setText(text)
        self.save_cert_button.setEnabled(cert is not None)
        self.form_button.setEnabled(cert is not None)

    def _set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _remember(self, certificate: x509.Certificate) -> None:
        self._certificate_pem = certificate.public_bytes(Encoding.PEM).decode("ascii")
        save_choice(self.current_choice())
        self._show_summary()
        self.choice_changed.emit()

    # --- actions ---------------------------------------------------------------------------------
    def _choose_p12(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the signing identity"), self.p12_edit.text(),
            self.tr("PKCS#12 (*.p12 *.pfx)"),
        )  # fmt: skip
        if path:
            self.p12_edit.setText(path)
            self._fields_changed()

    def _choose_module(self) -> None:
        pattern = self.tr("PKCS#11 module (*.dll *.so *.dylib)")
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the token's PKCS#11 module"), "", pattern
        )
        if path:
            self._set_module(path)

    def find_tokens(self) -> list[str]:
        """Fill the token list with the labels of the tokens plugged in."""
        self._set_error("")
        try:
            labels = identity.token_labels(self._module_path())
        except CtmtError as error:
            self._set_error(str(error))
            return []
        current = self.token_box.currentText()
        self.token_box.clear()
        self.token_box.addItems(labels)
        if current in labels:
            self.token_box.setCurrentText(current)
        if not labels:
            self._set_error(self.tr("No token is plugged in, or the token has no label."))
        self._fields_changed()
        return labels

    def check_identity(self, secret: str | None = None) -> x509.Certificate | None:
        """Unlock the identity (asking for the passphrase or PIN) and show its certificate."""
        self._set_error("")
        choice = self.current_choice()
        if not choice.complete:
            self._set_error(
                self.tr("Choose the identity file.")
                if choice.kind == "p12"
                else self.tr("Choose the PKCS#11 module and the token.")
            )
            return None
        if secret is None:
            secret = SecretDialog.ask(self, choice)
            if secret is None:
                return None
        try:
            with open_signer(choice, secret) as signer:
                certificate = certificate_of(signer)
        except CtmtError as error:
            self._set_error(str(error))
            return None
        self._remember(certificate)
        return certificate

    def create_identity(self) -> CreatedIdentity | None:
        dialog = CreateIdentityDialog(self._agency(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.created is None:
            return None
        self.identity_created(dialog.created)
        return dialog.created

    def identity_created(self, created: CreatedIdentity) -> None:
        """Use a newly created identity and tell the user what to send to the ministry."""
        self.file_radio.setChecked(True)
        self.p12_edit.setText(str(created.p12_path))
        self._fields_changed()
        self._remember(created.certificate)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Signing identity created"))
        text = self.tr(
            "The identity is saved in {p12} and its certificate in {pem}. Send the "
            "certificate file and the registration form, signed and sealed, to the ministry."
        ).format(p12=created.p12_path, pem=created.certificate_path)
        box.setText(text)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        translate_buttons(box)
        if created.form_path is not None:
            open_form = box.addButton(self.tr("Open the form"), QMessageBox.ButtonRole.ActionRole)
            open_form.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(created.form_path)))
            )
        box.open()

    def save_certificate(self, target: Path | None = None) -> Path | None:
        cert = self.current_choice().certificate
        if cert is None:
            return None
        if target is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save the certificate"), "ctmt-certificate.pem",
                self.tr("Certificate (*.pem)"),
            )  # fmt: skip
            if not path:
                return None
            target = Path(path)
        try:
            target.write_bytes(cert.public_bytes(Encoding.PEM))
        except OSError as error:
            self._set_error(str(error))
            return None
        return target

    def save_registration_form(self, target: Path | None = None) -> Path | None:
        cert = self.current_choice().certificate
        if cert is None:
            return None
        chosen = target is None
        if target is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save the registration form"), "ctmt-dang-ky-chung-thu.pdf",
                self.tr("PDF (*.pdf)"),
            )  # fmt: skip
            if not path:
                return None
            target = Path(path)
        try:
            identity.registration_form_pdf(cert, self._agency(), target)
        except (CtmtError, OSError) as error:
            self._set_error(str(error))
            return None
        if chosen:  # show it to print; a caller naming the file handles it itself
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target

    def _agency(self) -> Any:
        from ctmt_desktop.reports.figures import make_letterhead

        with self.context.database.session() as session:
            return make_letterhead(session, self.context.catalog).agency
