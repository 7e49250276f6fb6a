"""Settings: interface language, the agency profile, the ministry's certificate (receipts and
catalog updates are checked against it), the catalog in use, where data lives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ctmt_desktop.catalog import CatalogError, install_catalog, load_catalog
from ctmt_desktop.catalog.signed import remembered_ministry_certificate
from ctmt_desktop.errors import ValidationError
from ctmt_desktop.formatting import format_date, format_number
from ctmt_desktop.paths import evidence_dir
from ctmt_desktop.services.profile import ProfileData, current_profile, set_profile
from ctmt_desktop.services.receipts import certificate_summary, ministry_certificate
from ctmt_desktop.signing.identity import format_fingerprint
from ui.context import AppContext
from ui.i18n import translate_buttons
from ui.widgets import hint_label

_LANGUAGE_NAMES = (("vi", "Tiếng Việt"), ("en", "English"))


def _left(button: QPushButton) -> QWidget:
    """A button at its natural width on the left of a form row."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(button)
    layout.addStretch(1)
    return row


class SettingsPage(QWidget):
    """Signals:
    language_changed(str): the user picked another interface language.
    profile_changed(str): a new agency profile was saved (its name).
    """

    language_changed = Signal(str)
    profile_changed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._errors: dict[str, QLabel] = {}

        heading = QLabel(self.page_title())
        heading.setProperty("role", "heading")

        # Language
        self.language_box = QComboBox()
        self.language_box.setObjectName("language_box")
        for code, name in _LANGUAGE_NAMES:
            self.language_box.addItem(name, code)
        self.language_box.setCurrentIndex(
            [code for code, _ in _LANGUAGE_NAMES].index(context.language)
        )
        self.language_box.currentIndexChanged.connect(self._on_language)
        language_group = QGroupBox(self.tr("Interface language"))
        language_layout = QFormLayout(language_group)
        language_layout.addRow(self.tr("Language:"), self.language_box)

        # Agency profile
        profile_group = QGroupBox(self.tr("Agency profile"))
        profile_form = QFormLayout(profile_group)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("profile_name")
        self.parent_edit = QLineEdit()
        self.ministry_edit = QLineEdit()
        self.province_label = QLabel()
        self.valid_from_edit = QDateEdit()
        self.valid_from_edit.setCalendarPopup(True)
        self.valid_from_edit.setDisplayFormat("dd/MM/yyyy")
        self.valid_from_edit.setDate(QDate.currentDate())
        for key, label, widget in (
            ("name", self.tr("Agency name:"), self.name_edit),
            ("parent_body", self.tr("Parent body:"), self.parent_edit),
            ("receiving_ministry", self.tr("Receiving ministry:"), self.ministry_edit),
        ):
            profile_form.addRow(label, self._with_error(key, widget))
        profile_form.addRow(self.tr("Province:"), self.province_label)
        profile_form.addRow(
            self.tr("Valid from:"), self._with_error("valid_from", self.valid_from_edit)
        )
        hint = hint_label(
            self.tr(
                "After a reorganisation, enter the new name with the day it took effect: "
                "reports for earlier periods keep the old name."
            )
        )
        profile_form.addRow(hint)
        self.save_profile_button = QPushButton(self.tr("Save profile"))
        self.save_profile_button.setObjectName("save_profile")
        self.save_profile_button.setProperty("primary", True)
        self.save_profile_button.clicked.connect(self.save_profile)
        profile_form.addRow("", _left(self.save_profile_button))

        # Catalog
        catalog_group = QGroupBox(self.tr("Catalog"))
        catalog_form = QFormLayout(catalog_group)
        self.catalog_label = QLabel()
        self.catalog_label.setWordWrap(True)
        install = QPushButton(self.tr("Install a newer catalog…"))
        install.clicked.connect(self._install_catalog)
        catalog_form.addRow(self.tr("In use:"), self.catalog_label)
        catalog_form.addRow("", _left(install))

        # The ministry's certificate: receipts and catalog updates are checked against it
        ministry_group = QGroupBox(self.tr("The ministry's certificate"))
        ministry_form = QFormLayout(ministry_group)
        self.ministry_cert_label = QLabel()
        self.ministry_cert_label.setObjectName("ministry_certificate")
        self.ministry_cert_label.setWordWrap(True)
        self.ministry_cert_label.setTextFormat(Qt.TextFormat.PlainText)
        self.ministry_cert_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        choose_cert = QPushButton(self.tr("Choose the certificate file…"))
        choose_cert.setObjectName("choose_ministry_certificate")
        choose_cert.clicked.connect(lambda: self.set_ministry_certificate())
        ministry_form.addRow(self.tr("In use:"), self.ministry_cert_label)
        ministry_form.addRow("", _left(choose_cert))
        ministry_form.addRow(
            hint_label(
                self.tr(
                    "The ministry's receipts and catalog updates are accepted only when this "
                    "certificate signed them. Compare its fingerprint with the one the ministry "
                    "published."
                )
            )
        )

        # Data
        data_group = QGroupBox(self.tr("Data"))
        data_form = QFormLayout(data_group)
        self.database_label = QLabel()
        self.database_label.setWordWrap(True)
        self.evidence_label = QLabel()
        self.evidence_label.setWordWrap(True)
        open_folder = QPushButton(self.tr("Open the data folder"))
        open_folder.clicked.connect(self._open_data_folder)
        data_form.addRow(self.tr("Database file:"), self.database_label)
        data_form.addRow(self.tr("Evidence files:"), self.evidence_label)
        data_form.addRow("", _left(open_folder))

        # Backups
        from ui.backups_section import BackupsSection

        self.backups = BackupsSection(context)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(heading)
        from ui.accounts_section import AccountsSection
        from ui.signing import SigningSection

        self.accounts_section = AccountsSection(context)
        self.signing = SigningSection(context)
        groups = (language_group, profile_group, ministry_group, catalog_group, data_group,
                  self.signing, self.backups, self.accounts_section)  # fmt: skip
        for group in groups:
            group.setMaximumWidth(900)
            layout.addWidget(group)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.refresh()

    def page_title(self) -> str:
        return self.tr("Settings")

    def apply_params(self, params: dict[str, object]) -> None:
        del params  # nothing to filter here

    def _with_error(self, key: str, widget: QWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setProperty("role", "error")
        error.setObjectName(f"error_{key}")
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self._errors[key] = error
        return box

    def refresh(self) -> None:
        context = self.context
        with context.database.session() as session:
            profile = current_profile(session)
            certificate = ministry_certificate(session) or remembered_ministry_certificate()
            if profile is not None:
                self.name_edit.setText(profile.name)
                self.parent_edit.setText(profile.parent_body)
                self.ministry_edit.setText(profile.receiving_ministry)
                since = profile.valid_from
                self.valid_from_edit.setDate(QDate(since.year, since.month, since.day))
        province = context.catalog.admin.get(context.province)
        self.province_label.setText(
            f"{province.name} ({context.province})" if province else context.province
        )
        catalog = context.catalog
        admin = catalog.admin
        communes = sum(1 for u in admin if u.level == "commune" and not u.legacy)
        self.catalog_label.setText(
            self.tr(
                "version {version} of {released}; {programs} program nodes, {communes} communes"
            ).format(
                version=catalog.version,
                released=format_date(date.fromisoformat(catalog.released))
                if catalog.released
                else "",
                programs=format_number(len(catalog.programs)),
                communes=format_number(communes),
            )
        )
        if certificate is None:
            self.ministry_cert_label.setText(self.tr("none yet"))
        else:
            facts = certificate_summary(certificate)
            self.ministry_cert_label.setText(
                self.tr("{holder}\nSHA-256 {fingerprint}\nvalid {start} to {end}").format(
                    holder=facts["holder"],
                    fingerprint=format_fingerprint(facts["fingerprint"]),
                    start=format_date(date.fromisoformat(facts["valid_from"])),
                    end=format_date(date.fromisoformat(facts["valid_to"])),
                )
            )
        path = context.database.path
        size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
        self.database_label.setText(f"{path} ({format_number(size // 1024)} KB)")
        self.evidence_label.setText(str(evidence_dir(path)))
        self.backups.refresh()

    def _on_language(self) -> None:
        language = self.language_box.currentData()
        if language and language != self.context.language:
            self.language_changed.emit(language)

    def _show_errors(self, problems: dict[str, str]) -> None:
        for key, label in self._errors.items():
            text = problems.get(key, "")
            label.setText(text)
            label.setVisible(bool(text))

    def save_profile(self) -> None:
        """Save the profile through the lane; field errors appear under their fields."""
        qdate = self.valid_from_edit.date()
        data = ProfileData(
            name=self.name_edit.text(),
            province_code=self.context.province,
            parent_body=self.parent_edit.text(),
            receiving_ministry=self.ministry_edit.text(),
            valid_from=date(qdate.year(), qdate.month(), qdate.day()),
        )
        catalog = self.context.catalog

        def operation(session, progress):  # type: ignore[no-untyped-def]
            return set_profile(session, data, catalog).name

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationError):
                self._show_errors({p.field: p.message for p in error.problems})
            else:
                from ui.db_lane import report_error

                report_error(self, error)

        def saved(name: str) -> None:
            self._show_errors({})
            self.profile_changed.emit(name)

        self.context.lane.run(operation, on_success=saved, on_error=failed)

    def set_ministry_certificate(self, path: Path | None = None) -> None:
        """Keep the ministry's certificate (``path`` skips the file dialog): in the agency
        profile for receipts, and for this user for catalog updates."""
        from ctmt_desktop.catalog.signed import read_certificate_file, remember_ministry_certificate
        from ctmt_desktop.services.receipts import set_ministry_certificate
        from ui.db_lane import report_error

        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Choose the ministry's certificate"),
                "",
                self.tr("Certificates (*.pem *.cer *.crt)"),
            )
            if not chosen:
                return
            path = Path(chosen)
        try:
            certificate = read_certificate_file(path)
        except CatalogError as error:
            report_error(self, error)
            return
        actor, user = self.context.actor, self.context.user

        def operation(session, progress):  # type: ignore[no-untyped-def]
            changed = set_ministry_certificate(session, certificate, actor=actor, user=user)
            remember_ministry_certificate(certificate)
            return changed

        def saved(_changed: bool) -> None:
            self.refresh()

        self.context.lane.run(
            operation, on_success=saved, on_error=lambda error: report_error(self, error)
        )

    def _install_catalog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a catalog file"),
            "",
            self.tr("Catalog signed by the ministry (*.p7m)"),
        )
        if not path:
            return
        try:
            catalog = install_catalog(Path(path))
        except CatalogError as error:
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Catalog"), str(error),
                              QMessageBox.StandardButton.Ok, self)  # fmt: skip
            translate_buttons(box)
            box.exec()
            return
        self.context.catalog = load_catalog()
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Catalog"),
            self.tr("Catalog version {version} is installed.").format(version=catalog.version),
            QMessageBox.StandardButton.Ok,
            self,
        )
        translate_buttons(box)
        box.exec()
        self.refresh()

    def _open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.context.database.path.parent)))
