"""The "Backups" group of Settings: the last backup, back up now, the list of backups, a
second folder (a USB drive…) that receives a copy of each, and restoring one.

A backup is checked completely before the data is replaced (see
:func:`ctmt_desktop.backup.prepare_restore`); one of another agency or province is restored
only when the user says yes to :func:`ask_foreign_restore`.

Backing up runs on the database lane. Restoring needs the database closed, so the section
only asks (after the user confirmed) with :attr:`BackupsSection.restore_requested`; the
main window closes the database, restores, reopens it and rebuilds its pages.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ctmt_desktop import audit
from ctmt_desktop.backup import (
    Agency,
    BackupInfo,
    ForeignBackupError,
    copy_to_second_folder,
    create_backup,
    list_backups,
)
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.errors import CtmtError
from ctmt_desktop.formatting import format_date, format_number
from ctmt_desktop.paths import backup_dir
from ui import app_settings
from ui.i18n import translate_buttons
from ui.widgets import hint_label

SECOND_FOLDER_KEY = "backup/second_folder"


def second_folder() -> Path | None:
    """The second backup folder the user chose (None when there is none)."""
    value = app_settings().value(SECOND_FOLDER_KEY, "")
    return Path(str(value)) if value else None


def format_time(moment: datetime) -> str:
    """``dd/mm/yyyy HH:MM``."""
    return f"{format_date(moment.date())} {moment:%H:%M}"


def _agency_text(agency: Agency, catalog: Catalog) -> str:
    unit = catalog.admin.get(agency.province_code)
    province = unit.name if unit is not None else agency.province_code
    return f"{agency.name} ({province})"


def ask_foreign_restore(
    parent: QWidget | None, error: ForeignBackupError, catalog: Catalog
) -> bool:
    """Ask whether to restore a backup of another agency or province; No is the default."""
    live = _agency_text(error.live_agency, catalog)
    if error.backup_agency is None:
        text = QCoreApplication.translate(
            "BackupsSection", "This backup names no agency. The data open now is that of {live}."
        ).format(live=live)
    else:
        text = QCoreApplication.translate(
            "BackupsSection",
            "This backup holds the data of {backup}, not of {live} whose data is open now.",
        ).format(backup=_agency_text(error.backup_agency, catalog), live=live)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("BackupsSection", "Backup of another agency"),
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "BackupsSection",
            "Restoring it replaces all the data open now with that data. The current database "
            "file is backed up first and kept beside it.\n\nRestore this backup anyway?",
        )
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    translate_buttons(box)
    return box.exec() == QMessageBox.StandardButton.Yes


class BackupsSection(QGroupBox):
    """Signals:
    restore_requested(Path): the user confirmed restoring this backup file.
    """

    restore_requested = Signal(Path)

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Backups"), parent)
        self.setObjectName("backups_section")
        self.context = context
        self._backups: list[BackupInfo] = []

        self.last_label = QLabel()
        self.last_label.setObjectName("last_backup")
        self.backup_button = QPushButton(self.tr("Back up now"))
        self.backup_button.setObjectName("backup_now")
        self.backup_button.setProperty("primary", True)
        self.backup_button.clicked.connect(self.back_up_now)

        self.list = QTreeWidget()
        self.list.setObjectName("backup_list")
        self.list.setRootIsDecorated(False)
        self.list.setColumnCount(3)
        self.list.setHeaderLabels([self.tr("Time"), self.tr("Reason"), self.tr("Records")])
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.setMinimumHeight(160)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.restore_button = QPushButton(self.tr("Restore…"))
        self.restore_button.setObjectName("restore_backup")
        self.restore_button.clicked.connect(self.restore_selected)

        self.folder_label = QLabel()
        self.folder_label.setObjectName("second_folder")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose_folder)
        self.clear_folder_button = QPushButton(self.tr("Do not copy"))
        self.clear_folder_button.clicked.connect(lambda: self.set_second_folder(None))

        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        folder_buttons = QWidget()
        folder_row = QHBoxLayout(folder_buttons)
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(choose)
        folder_row.addWidget(self.clear_folder_button)
        folder_row.addStretch(1)
        hint = hint_label(
            self.tr(
                "A backup is made automatically on the first start of each day, and before "
                "every upgrade and restore. A second folder, such as a USB drive, receives a "
                "copy of each backup made here and at start."
            )
        )

        form = QFormLayout(self)
        form.addRow(self.tr("Last backup:"), self.last_label)
        form.addRow("", buttons)
        form.addRow(self.list)
        form.addRow(self.tr("Second folder:"), self.folder_label)
        form.addRow("", folder_buttons)
        form.addRow(hint)
        self.refresh()

    # --- showing -------------------------------------------------------------------------------
    def _reason_text(self, reason: str) -> str:
        return {
            "daily": self.tr("daily"),
            "manual": self.tr("by hand"),
            "before-restore": self.tr("before a restore"),
            "before-migration": self.tr("before an upgrade"),
            "before-import": self.tr("before an import"),
        }.get(reason, reason)

    def refresh(self) -> None:
        """Read the backup folder again."""
        self._backups = list_backups(backup_dir(self.context.database.path))
        self.list.clear()
        for info in self._backups:
            item = QTreeWidgetItem(
                [
                    format_time(info.created),
                    self._reason_text(info.reason),
                    format_number(info.records),
                ]
            )
            item.setToolTip(0, str(info.path))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(item)
        if self._backups:
            self.last_label.setText(format_time(self._backups[0].created))
        else:
            self.last_label.setText(self.tr("none yet"))
        folder = second_folder()
        self.folder_label.setText(str(folder) if folder else self.tr("none"))
        self.clear_folder_button.setEnabled(folder is not None)
        self._update_buttons()

    def backups(self) -> list[BackupInfo]:
        """The backups listed, newest first."""
        return list(self._backups)

    def selected(self) -> BackupInfo | None:
        items = self.list.selectedItems()
        if not items:
            return None
        return self._backups[self.list.indexOfTopLevelItem(items[0])]

    def select(self, info: BackupInfo) -> None:
        for row, listed in enumerate(self._backups):
            if listed.path == info.path:
                self.list.setCurrentItem(self.list.topLevelItem(row))

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    # --- second folder -------------------------------------------------------------------------
    def _choose_folder(self) -> None:
        start = str(second_folder() or "")
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the second backup folder"), start
        )
        if chosen:
            self.set_second_folder(Path(chosen))

    def set_second_folder(self, folder: Path | None) -> None:
        settings = app_settings()
        if folder is None:
            settings.remove(SECOND_FOLDER_KEY)
        else:
            settings.setValue(SECOND_FOLDER_KEY, str(folder))
        settings.sync()
        self.refresh()

    # --- backing up ----------------------------------------------------------------------------
    def back_up_now(self) -> None:
        """Back up on the lane (then copy to the second folder); the list shows it."""
        path = self.context.database.path
        folder = second_folder()
        who = getattr(self.context, "actor", None) or self.context.user

        def operation(session, progress):  # type: ignore[no-untyped-def]
            info = create_backup(path, reason="manual")
            copy_error = None
            if folder is not None:
                try:
                    copy_to_second_folder(info, folder)
                except CtmtError as error:
                    copy_error = error
            audit.record(
                session,
                who,
                "backup",
                kind="backup",
                summary=info.path.name,
                after={"file": str(info.path), "records": info.records},
            )
            return info, copy_error

        self.backup_button.setEnabled(False)
        self.context.lane.run(
            operation,
            on_success=self._backed_up,
            on_error=self._failed,
            label=self.tr("Backing up…"),
            parent=self,
            cancellable=False,
        )

    def _backed_up(self, result: tuple[BackupInfo, CtmtError | None]) -> None:
        info, copy_error = result
        self.backup_button.setEnabled(True)
        self.refresh()
        self.select(info)
        if copy_error is not None:
            self._message(
                QMessageBox.Icon.Warning,
                self.tr("The backup is made, but it could not be copied to the second folder:")
                + f"\n{copy_error}",
            )

    def _failed(self, error: BaseException) -> None:
        from ui.db_lane import report_error

        self.backup_button.setEnabled(True)
        report_error(self, error)

    # --- restoring -----------------------------------------------------------------------------
    def confirm_restore(self, info: BackupInfo) -> bool:
        """Ask the user; tests replace this."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Restore a backup"),
            self.tr(
                "Replace the data with the backup of {time} ({records} records)?\n\n"
                "Everything entered since then will no longer be shown. The current database "
                "file is kept beside it and backed up first, so nothing is lost."
            ).format(time=format_time(info.created), records=format_number(info.records)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        translate_buttons(box)
        return box.exec() == QMessageBox.StandardButton.Yes

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None or not self.confirm_restore(info):
            return
        self.restore_requested.emit(info.path)

    def _message(self, icon: QMessageBox.Icon, text: str) -> None:
        box = QMessageBox(icon, self.tr("Backups"), text, QMessageBox.StandardButton.Ok, self)
        translate_buttons(box)
        box.exec()
