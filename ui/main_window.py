"""The main window: navigation on the left (dashboard, the eight kinds, targets, reports,
settings…), the chosen page on the right, facts in the status bar.

Pages are built the first time they are shown. The window remembers its geometry, the
navigation width and the last page; switching the language rebuilds the pages so every text
is retranslated.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QByteArray, QCoreApplication, QSize, Qt
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from ctmt_desktop.backup import ForeignBackupError, list_backups
from ctmt_desktop.formatting import format_date
from ctmt_desktop.kinds import KIND_CODES, kind_spec
from ctmt_desktop.paths import backup_dir
from ui import APPLICATION, app_settings
from ui.context import AppContext
from ui.navigation import add_separator, prepare_sidebar
from ui.style import icon

_GEOMETRY_KEY = "main_window/geometry"
_SPLITTER_KEY = "main_window/splitter"
_PAGE_KEY = "main_window/page"

_KIND_ICONS = {
    "training": "graduation-cap",
    "event": "users",
    "media": "newspaper",
    "cluster": "monitor-speaker",
    "radio": "radio",
    "device": "tv",
    "criterion": "clipboard-check",
    "funding": "wallet",
}


class Page(Protocol):
    """What the window needs of a page."""

    def page_title(self) -> str: ...

    def refresh(self) -> None: ...

    def apply_params(self, params: dict[str, Any]) -> None: ...


def last_backup_time(database_path: Path) -> datetime | None:
    """When the newest backup of a database was made (None when there is none)."""
    backups = list_backups(backup_dir(database_path))
    return backups[0].created if backups else None


class MainWindow(QMainWindow):
    """The app's window over one open database.

    Attributes:
        context: what every page shares (database, lane, catalog…).
        navigation: the list of pages on the left.
        pages: the stack of built pages.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._built: dict[str, QWidget] = {}
        self._release_connected = False
        self._factories = self._page_factories()

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(20, 20))
        prepare_sidebar(self.navigation)
        self.navigation.currentItemChanged.connect(self._on_navigation)
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("main_splitter")
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self._splitter = splitter
        self.setCentralWidget(splitter)

        self._agency_label = QLabel()
        self._period_label = QLabel()
        self._path_label = QLabel()
        self._path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._backup_label = QLabel()
        self._busy_label = QLabel()
        for label in (self._agency_label, self._period_label, self._path_label):
            label.setContentsMargins(6, 0, 10, 0)
        status = self.statusBar()
        status.addWidget(self._agency_label)
        status.addWidget(self._period_label)
        status.addWidget(self._path_label, 1)
        status.addPermanentWidget(self._busy_label)
        status.addPermanentWidget(self._backup_label)

        context.navigator.navigate.connect(self.show_page)
        context.navigator.data_changed.connect(self._refresh_current)
        self._connect_lane()
        QShortcut(QKeySequence("Ctrl+1"), self, activated=lambda: self.show_page("dashboard"))

        self._fill_navigation()
        self.update_status()
        self._default_size()
        self._restore_settings()

    # --- pages ---------------------------------------------------------------------------------
    def _page_factories(self) -> dict[str, Callable[[], QWidget]]:
        context = self.context

        def dashboard() -> QWidget:
            from ui.dashboard_page import DashboardPage

            page = DashboardPage(context)
            page.period_changed.connect(self._show_period)
            return page

        def records(kind: str) -> Callable[[], QWidget]:
            def build() -> QWidget:
                from ui.records_page import RecordsPage

                return RecordsPage(context, kind)

            return build

        def targets() -> QWidget:
            from ui.targets_page import TargetsPage

            return TargetsPage(context)

        def audit_trail() -> QWidget:
            from ui.audit_page import AuditPage

            return AuditPage(context)

        def reports() -> QWidget:
            from ui.reports_page import ReportsPage

            return ReportsPage(context)

        def submissions() -> QWidget:
            from ui.submissions_page import SubmissionsPage

            return SubmissionsPage(context)

        def settings() -> QWidget:
            from ui.settings_page import SettingsPage

            page = SettingsPage(context)
            page.language_changed.connect(self._on_language_changed)
            page.profile_changed.connect(self._on_profile_changed)
            page.backups.restore_requested.connect(self.restore_from_backup)
            return page

        factories: dict[str, Callable[[], QWidget]] = {"dashboard": dashboard}
        factories.update({kind: records(kind) for kind in KIND_CODES})
        factories["targets"] = targets
        factories["audit"] = audit_trail
        factories["reports"] = reports
        factories["submissions"] = submissions
        factories["settings"] = settings
        return factories

    def _page_label(self, key: str) -> tuple[str, str]:
        language = self.context.language
        if key in KIND_CODES:
            return kind_spec(key).name(language), _KIND_ICONS[key]
        return {
            "dashboard": (self.tr("Dashboard"), "layout-dashboard"),
            "targets": (self.tr("Targets"), "target"),
            "audit": (self.tr("Audit trail"), "history"),
            "reports": (self.tr("Reports and Excel"), "file-text"),
            "submissions": (self.tr("Submissions"), "package"),
            "settings": (self.tr("Settings"), "settings"),
        }[key]

    def _fill_navigation(self) -> None:
        self.navigation.blockSignals(True)
        self.navigation.clear()
        for key in self._factories:
            text, icon_name = self._page_label(key)
            item = QListWidgetItem(icon(icon_name), text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(text)
            self.navigation.addItem(item)
            if key in ("dashboard", "funding", "audit"):
                add_separator(self.navigation)
        self.navigation.setMinimumWidth(self.navigation.sizeHintForColumn(0) + 24)
        self.navigation.blockSignals(False)
        self._update_title()

    def _update_title(self) -> None:
        """``<page> — CTMT Desktop — <agency>``: the window list tells what each window shows."""
        key = self.current_key()
        page = self._page_label(key)[0] if key else ""
        parts = [part for part in (page, APPLICATION, self.context.agency_name) if part]
        self.setWindowTitle(" — ".join(parts))

    def page(self, key: str) -> QWidget:
        """The page ``key``, built on first use."""
        if key not in self._built:
            widget = self._factories[key]()
            widget.setObjectName(f"page_{key}")
            self._built[key] = widget
            self.pages.addWidget(widget)
        return self._built[key]

    def current_key(self) -> str | None:
        item = self.navigation.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def show_page(self, key: str, params: dict[str, Any] | None = None) -> QWidget:
        """Show the page ``key`` and hand it ``params`` (filters of a click-through)."""
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                if self.navigation.currentRow() != row:
                    self.navigation.setCurrentRow(row)
                break
        widget = self.page(key)
        self.pages.setCurrentWidget(widget)
        self._update_title()
        if params:
            widget.apply_params(params)  # type: ignore[attr-defined]
        return widget

    def _on_navigation(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is None:
            return
        key = current.data(Qt.ItemDataRole.UserRole)
        if key:
            built = key in self._built
            widget = self.page(key)
            self.pages.setCurrentWidget(widget)
            self._update_title()
            # A page built just now has read its data (the dashboard computes on the lane,
            # when asked): reading it again would double the first show of a records page.
            if built or key == "dashboard":
                widget.refresh()  # type: ignore[attr-defined]

    def _refresh_current(self) -> None:
        widget = self.pages.currentWidget()
        if widget is not None:
            widget.refresh()  # type: ignore[attr-defined]

    # --- restoring a backup --------------------------------------------------------------------
    def _connect_lane(self) -> None:
        self.context.lane.busy_changed.connect(self._show_busy)
        self.context.lane.operation_done.connect(self.update_status)

    def restore_from_backup(self, backup: Path) -> bool:
        """Check ``backup`` completely, then close the database, replace it, reopen it and
        rebuild the pages.

        A refused backup (damaged, crafted, of an unknown schema…) is reported and the
        database stays open, untouched. A backup of another agency or province is restored
        only when the user says yes to :meth:`confirm_foreign_restore`. Returns whether the
        data now comes from the backup.
        """
        from ctmt_desktop.backup import prepare_restore
        from ctmt_desktop.db import open_database
        from ui.db_lane import DbLane, report_error

        context = self.context
        if context.actor is not None:  # databases with accounts: administrators only
            from ctmt_desktop.accounts import Permission, require
            from ctmt_desktop.errors import PermissionDeniedError

            try:
                require(context.actor, Permission.RESTORE)
            except PermissionDeniedError as error:
                report_error(self, error)
                return False
        path = context.database.path
        try:  # every check, while the database is still open and untouched
            prepared = prepare_restore(backup, path)
        except Exception as error:
            report_error(self, error)
            return False
        with prepared:
            if prepared.foreign is not None and not self.confirm_foreign_restore(prepared.foreign):
                return False
            old_lane = context.lane
            old_lane.shutdown()
            old_lane.deleteLater()
            context.database.close()
            failure: BaseException | None = None
            kept: Path | None = None
            try:
                kept = prepared.apply()
            except Exception as error:  # reported below, after the database is open again
                failure = error
        try:
            database = open_database(path)
        except Exception as error:
            report_error(self, error)
            self.setEnabled(False)
            return False
        context.database = database
        context.lane = DbLane(database)
        self._connect_lane()
        app = QCoreApplication.instance()
        if app is not None and not self._release_connected:
            app.aboutToQuit.connect(self._release_database)
            self._release_connected = True
        if failure is None:
            who = getattr(context, "actor", None) or context.user
            note = {"file": backup.name, "kept": str(kept) if kept else None}

            def record(session, progress):  # type: ignore[no-untyped-def]
                from ctmt_desktop import audit

                audit.record(
                    session, who, "restore", kind="backup", summary=backup.name, after=note
                )

            context.lane.run(record)
        self.rebuild_pages(keep="settings")
        if failure is not None:
            report_error(self, failure)
            return False
        text = self.tr("Restored the data of the backup {name}.").format(name=backup.name)
        if kept is not None:
            text += "\n" + self.tr("The replaced database file is kept as {path}.").format(
                path=kept
            )
        self.statusBar().showMessage(text.splitlines()[0], 15_000)
        self._inform(text)
        return True

    def confirm_foreign_restore(self, error: ForeignBackupError) -> bool:
        """Ask whether to restore a backup of another agency or province (tests replace
        this)."""
        from ui.backups_section import ask_foreign_restore

        return ask_foreign_restore(self, error, self.context.catalog)

    def _inform(self, text: str) -> None:
        """Tell the user (tests replace this)."""
        from PySide6.QtWidgets import QMessageBox

        from ui.i18n import translate_buttons

        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Backup restored"),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        translate_buttons(box)
        box.exec()

    @staticmethod
    def second_backup_folder() -> Path | None:
        """The folder (a USB drive…) that receives a copy of each backup, if one is chosen."""
        from ui.backups_section import second_folder

        return second_folder()

    def _release_database(self) -> None:
        """At quit, stop the lane and close the database opened after a restore."""
        self.context.lane.shutdown()
        self.context.database.close()

    # --- language and profile ------------------------------------------------------------------
    def _on_language_changed(self, language: str) -> None:
        from ui.i18n import switch_language

        switch_language(language)
        self.context.language = language
        self.rebuild_pages(keep="settings")

    def rebuild_pages(self, keep: str | None = None) -> None:
        """Drop every built page so each is rebuilt (retranslated) when shown again."""
        current = self.current_key() or "dashboard"
        for widget in list(self._built.values()):
            self.pages.removeWidget(widget)
            widget.deleteLater()
        self._built.clear()
        self._fill_navigation()
        self.update_status()
        self.show_page(keep or current)

    def _on_profile_changed(self, agency_name: str) -> None:
        self.context.agency_name = agency_name
        self._update_title()
        self.update_status()

    # --- status bar ----------------------------------------------------------------------------
    def update_status(self) -> None:
        context = self.context
        province = context.catalog.province_name(context.province)
        where = f" — {province}" if province else ""
        self._agency_label.setText(f"{context.agency_name}{where}")
        self._show_period()
        self._path_label.setText(self.tr("Database: {path}").format(path=context.database.path))
        backup = last_backup_time(context.database.path)
        if backup is None:
            self._backup_label.setText(self.tr("Last backup: none yet"))
        else:
            when = f"{format_date(backup.date())} {backup:%H:%M}"
            self._backup_label.setText(self.tr("Last backup: {time}").format(time=when))

    def _show_period(self, code: str | None = None) -> None:
        """The dashboard's period, in words (the one it shows, or will show when opened)."""
        from ui.period_words import dashboard_period, period_words

        period = period_words(code or dashboard_period())
        self._period_label.setText(self.tr("Period: {period}").format(period=period))

    def _show_busy(self, busy: bool) -> None:
        self._busy_label.setText(self.tr("Working…") if busy else "")

    # --- settings ------------------------------------------------------------------------------
    def _default_size(self) -> None:
        screen = self.screen().availableGeometry()
        self.resize(min(1440, int(screen.width() * 0.9)), min(900, int(screen.height() * 0.85)))

    def _restore_settings(self) -> None:
        settings = app_settings()
        geometry = settings.value(_GEOMETRY_KEY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = settings.value(_SPLITTER_KEY)
        if isinstance(splitter, QByteArray):
            self._splitter.restoreState(splitter)
        else:
            self._splitter.setSizes([self.navigation.minimumWidth(), self.width()])
        key = settings.value(_PAGE_KEY, "dashboard")
        self.show_page(key if key in self._factories else "dashboard")

    def save_settings(self) -> None:
        """Remember geometry, navigation width and the page shown, for the next start."""
        settings = app_settings()
        settings.setValue(_GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(_SPLITTER_KEY, self._splitter.saveState())
        settings.setValue(_PAGE_KEY, self.current_key() or "dashboard")
        for widget in self._built.values():
            save = getattr(widget, "save_settings", None)
            if save is not None:
                save()
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        super().closeEvent(event)


def window_icon() -> QIcon:
    return icon("layout-dashboard")
