"""The ministry's window: navigation on the left (reporting status, national dashboard,
receive, submissions, signers, settings), the chosen page on the right, the ministry, the
period shown and the store in the status bar.

It looks like a province's :class:`~ui.main_window.MainWindow` (the same stylesheet names)
and behaves like it: pages are built the first time they are shown and reload when shown
again; switching the language rebuilds them so every text is retranslated; geometry, the
navigation width and the last page are remembered (under keys of their own).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from ui import APPLICATION, app_settings
from ui.ministry.common import MinistryContext, period_label
from ui.navigation import add_separator, prepare_sidebar
from ui.style import icon

_GEOMETRY_KEY = "ministry_window/geometry"
_SPLITTER_KEY = "ministry_window/splitter"
_PAGE_KEY = "ministry_window/page"
#: The page shown at the first start.
FIRST_PAGE = "status"
#: A gap in the navigation after these pages (what is seen, what is done, the settings).
_GAP_AFTER = ("dashboard", "signers")


class MinistryWindow(QMainWindow):
    """The ministry's window over one open national store.

    Attributes:
        context: what every page shares (store, lane, catalog…).
        navigation: the list of pages on the left.
        pages: the stack of built pages.
    """

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._built: dict[str, QWidget] = {}
        self._factories = self._page_factories()
        self._period = ""

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

        self._ministry_label = QLabel()
        self._ministry_label.setObjectName("ministry_label")
        self._period_label = QLabel()
        self._period_label.setObjectName("period_label")
        self._store_label = QLabel()
        self._store_label.setObjectName("store_label")
        self._store_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._busy_label = QLabel()
        for label in (self._ministry_label, self._period_label, self._store_label):
            label.setContentsMargins(6, 0, 10, 0)
        status = self.statusBar()
        status.addWidget(self._ministry_label)
        status.addWidget(self._period_label)
        status.addWidget(self._store_label, 1)
        status.addPermanentWidget(self._busy_label)

        context.navigator.navigate.connect(self.show_page)
        context.navigator.data_changed.connect(self._refresh_current)
        context.navigator.period_shown.connect(self._on_period_shown)
        context.lane.busy_changed.connect(self._show_busy)
        QShortcut(QKeySequence("Ctrl+1"), self, activated=lambda: self.show_page(FIRST_PAGE))

        self._fill_navigation()
        self.update_status()
        self._default_size()
        self._restore_settings()

    # --- pages ---------------------------------------------------------------------------------
    def _page_factories(self) -> dict[str, Callable[[], QWidget]]:
        context = self.context

        def status() -> QWidget:
            from ui.ministry.status_page import ReportingStatusPage

            return ReportingStatusPage(context)

        def dashboard() -> QWidget:
            from ui.ministry.dashboard_page import NationalDashboardPage

            return NationalDashboardPage(context)

        def receive() -> QWidget:
            from ui.ministry.receive_page import ReceivePage

            return ReceivePage(context)

        def submissions() -> QWidget:
            from ui.ministry.submissions_page import ReceivedSubmissionsPage

            return ReceivedSubmissionsPage(context)

        def signers() -> QWidget:
            from ui.ministry.signers_page import SignersPage

            return SignersPage(context)

        def settings() -> QWidget:
            from ui.ministry.settings_page import MinistrySettingsPage

            page = MinistrySettingsPage(context)
            page.language_changed.connect(self.switch_language)
            page.name_changed.connect(self._on_name_changed)
            return page

        return {
            "status": status,
            "dashboard": dashboard,
            "receive": receive,
            "submissions": submissions,
            "signers": signers,
            "settings": settings,
        }

    def page_label(self, key: str) -> tuple[str, str]:
        """The navigation text and icon of page ``key``."""
        return {
            "status": (self.tr("Reporting status"), "calendar"),
            "dashboard": (self.tr("National dashboard"), "layout-dashboard"),
            "receive": (self.tr("Receive"), "download"),
            "submissions": (self.tr("Submissions"), "package"),
            "signers": (self.tr("Signers"), "key-round"),
            "settings": (self.tr("Settings"), "settings"),
        }[key]

    def _fill_navigation(self) -> None:
        self.navigation.blockSignals(True)
        self.navigation.clear()
        for key in self._factories:
            text, icon_name = self.page_label(key)
            item = QListWidgetItem(icon(icon_name), text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(text)
            self.navigation.addItem(item)
            if key in _GAP_AFTER:
                add_separator(self.navigation)
        self.navigation.setMinimumWidth(self.navigation.sizeHintForColumn(0) + 24)
        self.navigation.blockSignals(False)
        self._update_title()

    def _update_title(self) -> None:
        """``<page> — CTMT Desktop — <ministry>``."""
        key = self.current_key()
        page = self.page_label(key)[0] if key else ""
        parts = [part for part in (page, APPLICATION, self.context.ministry_name) if part]
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
        """Show the page ``key`` (reloaded) and hand it ``params``."""
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                if self.navigation.currentRow() != row:
                    self.navigation.setCurrentRow(row)  # shows and reloads it
                break
        widget = self.page(key)
        if self.pages.currentWidget() is not widget:
            self.pages.setCurrentWidget(widget)
            widget.refresh()  # type: ignore[attr-defined]
        self._update_title()
        if params:
            widget.apply_params(params)  # type: ignore[attr-defined]
        return widget

    def _on_navigation(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is None:
            return
        key = current.data(Qt.ItemDataRole.UserRole)
        if key:
            widget = self.page(key)
            self.pages.setCurrentWidget(widget)
            self._update_title()
            widget.refresh()  # type: ignore[attr-defined]

    def _refresh_current(self) -> None:
        widget = self.pages.currentWidget()
        if widget is not None:
            widget.refresh()  # type: ignore[attr-defined]

    # --- language and name ---------------------------------------------------------------------
    def switch_language(self, language: str) -> None:
        """Show the interface in ``language`` (``vi`` or ``en``) and remember it."""
        from ui.i18n import switch_language

        switch_language(language)
        self.context.language = language
        self.rebuild_pages(keep=self.current_key())

    def rebuild_pages(self, keep: str | None = None) -> None:
        """Drop every built page so each is rebuilt (retranslated) when shown again."""
        current = keep or self.current_key() or FIRST_PAGE
        for widget in list(self._built.values()):
            self.pages.removeWidget(widget)
            widget.deleteLater()
        self._built.clear()
        self._fill_navigation()
        self.update_status()
        self.show_page(current)

    def _on_name_changed(self, name: str) -> None:
        self.context.ministry_name = name
        self._update_title()
        self.update_status()

    # --- status bar ----------------------------------------------------------------------------
    def update_status(self) -> None:
        self._ministry_label.setText(self.context.ministry_name)
        self._period_label.setText(
            self.tr("Period shown: {period}").format(period=period_label(self._period))
            if self._period
            else ""
        )
        self._store_label.setText(
            self.tr("Store: {location}").format(location=self.context.store.display)
        )

    def _on_period_shown(self, period: str) -> None:
        self._period = period
        self.update_status()

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
        key = settings.value(_PAGE_KEY, FIRST_PAGE)
        self.show_page(key if key in self._factories else FIRST_PAGE)

    def save_settings(self) -> None:
        """Remember geometry, navigation width and the page shown, for the next start."""
        settings = app_settings()
        settings.setValue(_GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(_SPLITTER_KEY, self._splitter.saveState())
        settings.setValue(_PAGE_KEY, self.current_key() or FIRST_PAGE)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_settings()
        super().closeEvent(event)
