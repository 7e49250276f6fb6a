"""The main window: navigation to every page, status bar, click-through, language switch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from ctmt_desktop.backup import create_backup
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.services.profile import current_profile
from tests.conftest import demo_main_window
from ui.i18n import adopt_translators, install_translators, switch_language
from ui.main_window import MainWindow
from ui.period_words import dashboard_period, period_words


@pytest.fixture
def window(qtbot, database, catalog) -> Iterator[MainWindow]:
    yield from demo_main_window(qtbot, database, catalog, records=200, seed=3)


def _status(window: MainWindow) -> str:
    from PySide6.QtWidgets import QLabel

    return " | ".join(label.text() for label in window.statusBar().findChildren(QLabel))


def _keys(window: MainWindow) -> list[str]:
    navigation = window.navigation
    items = (navigation.item(row) for row in range(navigation.count()))
    return [key for item in items if (key := item.data(Qt.ItemDataRole.UserRole))]


def test_navigation_offers_every_page_and_shows_it(window, qtbot):
    assert _keys(window) == [
        "dashboard",
        *KIND_CODES,
        "targets",
        "audit",
        "reports",
        "submissions",
        "settings",
    ]
    for key in _keys(window):
        page = window.show_page(key)
        window.context.lane.wait_idle()
        assert window.pages.currentWidget() is page
        assert page.page_title() in window.windowTitle()


def test_status_bar_names_agency_period_file_and_last_backup(window, qtbot):
    texts = _status(window)
    assert window.context.agency_name in texts
    assert f"Period: {period_words(dashboard_period())}" in texts  # the dashboard's
    assert str(window.context.database.path) in texts
    assert "none yet" in texts
    create_backup(window.context.database.path)
    window.update_status()
    texts = _status(window)
    assert "Last backup: " in texts and "none yet" not in texts


def test_a_dashboard_click_through_with_a_phase_filters_the_records(window, qtbot):
    window.context.navigator.navigate.emit("training", {"period": "2021-2025"})
    page = window.pages.currentWidget()
    assert page is window.page("training")
    assert page.period_code() == "2021-2025"
    rows = [page.model.record_id(row) for row in range(page.model.rowCount())]
    assert rows
    with window.context.database.session() as session:
        from ctmt_desktop.db.models import Activity

        for record_id in rows:
            start = session.get(Activity, record_id).start_date
            assert 2021 <= start.year <= 2025


def test_switching_the_language_retitles_the_window(window, qtbot):
    from PySide6.QtWidgets import QApplication

    adopt_translators(install_translators(QApplication.instance(), "en"))
    window.show_page("settings")
    english = window.windowTitle()
    assert english.startswith("Settings")
    settings = window.page("settings")
    settings.language_box.setCurrentIndex(settings.language_box.findData("vi"))
    assert window.windowTitle().startswith("Cài đặt")
    assert window.windowTitle() != english
    assert window.navigation.item(0).text() == "Tổng quan"
    switch_language("en")


def test_settings_saves_a_renamed_agency_and_retitles_the_window(window, qtbot):
    settings = window.show_page("settings")
    settings.name_edit.setText("Sở Khoa học và Công nghệ tỉnh Quảng Trị")
    settings.save_profile()
    assert window.context.lane.wait_idle()
    assert window.windowTitle().endswith("Sở Khoa học và Công nghệ tỉnh Quảng Trị")
    with window.context.database.session() as session:
        assert current_profile(session).name == "Sở Khoa học và Công nghệ tỉnh Quảng Trị"


def test_settings_shows_the_error_under_the_name_and_saves_nothing(window, qtbot):
    settings = window.show_page("settings")
    before = window.context.agency_name
    settings.name_edit.setText("   ")
    settings.save_profile()
    assert window.context.lane.wait_idle()
    error = settings.findChild(type(settings.province_label), "error_name")
    assert error is not None and error.isVisibleTo(settings) and error.text()
    with window.context.database.session() as session:
        assert current_profile(session).name == before
