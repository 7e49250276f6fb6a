"""Settings: interface language, the agency profile, the ministry's certificate (receipts and
catalog updates are checked against it), the catalog in use, where data lives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ctmt_desktop.catalog import CatalogError, install_catalog, load_catalog
from ctmt_desktop.catalog.signed import remembered_ministry_certificate
from ctmt_desktop.errors import ValidationError
from ctmt_desktop.formatting import format_date, format_number
from ctmt_desktop.paths import evidence_dir
from ctmt_desktop.reports.figures import agency_abbreviation
from ctmt_desktop.services.profile import (
    DocumentSettings,
    ProfileData,
    current_profile,
    document_settings,
    set_document_settings,
    set_profile,
)
from ctmt_desktop.services.receipts import certificate_summary, ministry_certificate
from ctmt_desktop.signing.identity import format_fingerprint
from ui.context import AppContext
from ui.form_columns import FIELD_MAX_WIDTH, align_form_labels
from ui.i18n import translate_buttons
from ui.style import icon
from ui.widgets import hint_label

_LANGUAGE_NAMES = (("vi", "Tiếng Việt"), ("en", "English"))
#: The widest a category's groups grow; text fields stop at a readable width.
_PAGE_MAX_WIDTH = 860
_FIELD_MAX_WIDTH = FIELD_MAX_WIDTH
#: The fields of the "Documents ready to sign" category (the others are the profile's).
_DOCUMENT_FIELDS = ("abbreviation", "signer", "signer_title", "recipients")
#: The categories look like the window's sidebar: roomy rows, the chosen one highlighted.
_CATEGORIES_STYLE = """
QListWidget { background: #ffffff; border: 1px solid #d7dce3; border-radius: 6px; padding: 4px; }
QListWidget::item { padding: 7px 8px; border-radius: 6px; margin: 1px 0; }
QListWidget::item:hover { background: #e2e8f0; }
QListWidget::item:selected { background: #dbe7f7; color: #0f3d75; font-weight: bold; }
"""


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

        # Documents ready to sign: what every report starts from (Decree 30/2020)
        document_group = QGroupBox(self.tr("Documents ready to sign"))
        document_form = QFormLayout(document_group)
        self.abbreviation_edit = QLineEdit()
        self.abbreviation_edit.setObjectName("settings_abbreviation")
        self.abbreviation_edit.setMaxLength(40)
        self.abbreviation_edit.setPlaceholderText(self.tr("e.g. SVHTTDL"))
        self.signer_edit = QLineEdit()
        self.signer_edit.setObjectName("settings_signer")
        self.signer_title_edit = QLineEdit()
        self.signer_title_edit.setObjectName("settings_signer_title")
        self.signer_title_edit.setPlaceholderText(self.tr("e.g. KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"))
        self.signer_title_edit.setToolTip(self.tr("Two lines are separated by “ / ”."))
        self.recipients_edit = QPlainTextEdit()
        self.recipients_edit.setObjectName("settings_recipients")
        self.recipients_edit.setTabChangesFocus(True)
        self.recipients_edit.setPlaceholderText(self.tr("One recipient a line; “Lưu: VT” last"))
        lines = self.recipients_edit.fontMetrics().lineSpacing()
        self.recipients_edit.setFixedHeight(lines * 5 + 12)
        for key, label, widget in (
            ("abbreviation", self.tr("Agency abbreviation:"), self.abbreviation_edit),
            ("signer", self.tr("Signed by:"), self.signer_edit),
            ("signer_title", self.tr("Title of the signer:"), self.signer_title_edit),
            ("recipients", self.tr("Recipients:"), self.recipients_edit),
        ):
            document_form.addRow(label, self._with_error(key, widget))
        document_form.addRow(
            hint_label(
                self.tr(
                    "Every report starts from these; the Reports page can change them for one "
                    "report. The number is given to each report there."
                )
            )
        )
        self.save_document_button = QPushButton(self.tr("Save document settings"))
        self.save_document_button.setObjectName("save_document_settings")
        self.save_document_button.setProperty("primary", True)
        self.save_document_button.clicked.connect(self.save_document_settings)
        self.document_status = QLabel()
        self.document_status.setObjectName("document_status")
        self.document_status.setWordWrap(True)
        document_form.addRow("", _left(self.save_document_button))
        document_form.addRow("", self.document_status)

        # Backups
        from ui.backups_section import BackupsSection

        self.backups = BackupsSection(context)
        from ui.accounts_section import AccountsSection
        from ui.signing import SigningSection

        self.accounts_section = AccountsSection(context)
        self.signing = SigningSection(context)

        # A list of categories on the left, the chosen one on the right.
        self.categories = QListWidget()
        self.categories.setObjectName("settings_categories")
        self.categories.setIconSize(QSize(18, 18))
        self.category_pages = QStackedWidget()
        self.category_pages.setObjectName("settings_category_pages")
        self._category_keys: list[str] = []
        for key, icon_name, title, groups in (
            ("general", "settings", self.tr("General"), (language_group,)),
            ("profile", "badge-check", self.tr("Agency profile"), (profile_group,)),
            ("documents", "file-text", self.tr("Documents ready to sign"), (document_group,)),
            ("signing", "key-round", self.tr("Signing identity"), (self.signing,)),
            ("ministry", "shield-check", self.tr("Catalog and the ministry's certificate"),
             (catalog_group, ministry_group)),
            ("data", "database", self.tr("Data and backups"), (data_group, self.backups)),
            ("accounts", "users", self.tr("Accounts"), (self.accounts_section,)),
        ):  # fmt: skip
            item = QListWidgetItem(icon(icon_name), title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(title)
            self.categories.addItem(item)
            self._category_keys.append(key)
            self.category_pages.addWidget(self._category_page(key, groups))
        self.categories.setStyleSheet(_CATEGORIES_STYLE)
        self.categories.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widest = self.categories.sizeHintForColumn(0)  # in the regular font; bold is ~10 % wider
        self.categories.setFixedWidth(min(widest + widest // 10 + 24, 300))
        self.categories.currentRowChanged.connect(self.category_pages.setCurrentIndex)
        self.categories.setCurrentRow(0)

        body = QHBoxLayout()
        body.addWidget(self.categories)
        body.addWidget(self.category_pages, 1)
        outer = QVBoxLayout(self)
        outer.addWidget(heading)
        outer.addLayout(body, 1)
        self._align_labels()  # once every form is inside this page
        self.refresh()

    def page_title(self) -> str:
        return self.tr("Settings")

    def _category_page(self, key: str, groups: tuple[QWidget, ...]) -> QWidget:
        """One category: its groups one under another, at most a readable width, scrolling
        when taller than the window."""
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 0, 8, 0)
        for group in groups:
            group.setMaximumWidth(_PAGE_MAX_WIDTH)
            layout.addWidget(group)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName(f"settings_{key}")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        return scroll

    def _align_labels(self) -> None:
        """One label column for every form of every category: labels share the widest
        label's width, left-aligned; text fields keep a readable width."""
        width = align_form_labels(self, _FIELD_MAX_WIDTH)
        for form in self.findChildren(QFormLayout):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.label_width = width
        for edit in (self.name_edit, self.parent_edit, self.ministry_edit, self.signer_edit,
                     self.signer_title_edit, self.recipients_edit):  # fmt: skip
            edit.setMaximumWidth(_FIELD_MAX_WIDTH)
        self.abbreviation_edit.setMaximumWidth(200)
        self.valid_from_edit.setMaximumWidth(160)
        for field in (self.signing.p12_edit, self.signing.module_box, self.signing.token_box):
            field.setMaximumWidth(_FIELD_MAX_WIDTH - 100)  # its button follows it
        self.language_box.setMaximumWidth(200)

    def categories_shown(self) -> list[str]:
        """The keys of the categories, in the order of the list."""
        return list(self._category_keys)

    def show_category(self, key: str) -> QWidget:
        """Show category ``key`` (general, profile, documents, signing, ministry, data,
        accounts); returns its page."""
        row = self._category_keys.index(key)
        self.categories.setCurrentRow(row)
        return self.category_pages.widget(row)

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
            document = document_settings(profile)
            derived = agency_abbreviation(profile.name) if profile is not None else ""
        self.abbreviation_edit.setText(document.abbreviation)
        # Empty: the abbreviation derived from the agency's name is printed (shown greyed).
        self.abbreviation_edit.setPlaceholderText(derived or self.tr("e.g. SVHTTDL"))
        self.signer_edit.setText(document.signer)
        self.signer_title_edit.setText(document.signer_title)
        self.recipients_edit.setPlainText("\n".join(document.recipients))
        self.save_document_button.setEnabled(profile is not None)
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
        """Each problem under its field, the category holding the first one shown."""
        for key, label in self._errors.items():
            text = problems.get(key, "")
            label.setText(text)
            label.setVisible(bool(text))
        for key in problems:
            if key in self._errors:
                category = "documents" if key in _DOCUMENT_FIELDS else "profile"
                self.show_category(category)
                break

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

    def save_document_settings(self) -> None:
        """Keep the document settings in the current profile (through the lane, audited);
        field errors appear under their fields."""
        settings = DocumentSettings(
            abbreviation=self.abbreviation_edit.text(),
            signer=self.signer_edit.text(),
            signer_title=self.signer_title_edit.text(),
            recipients=tuple(self.recipients_edit.toPlainText().split("\n")),
        )
        actor, user = self.context.actor, self.context.user

        def operation(session, progress):  # type: ignore[no-untyped-def]
            set_document_settings(session, settings, actor=actor, user=user)

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationError):
                self._show_errors({p.field: p.message for p in error.problems})
                self.document_status.setText("")
            else:
                from ui.db_lane import report_error

                report_error(self, error)

        def saved(_result: object) -> None:
            self._show_errors({})
            self.refresh()
            self.document_status.setText(
                self.tr("The document settings are kept in the agency profile.")
            )

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
