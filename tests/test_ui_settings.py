"""Settings as a list of categories with one label column, its document settings kept in the
profile, and the sidebars' thin separators (issue 13, item 5)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.services.profile import current_profile, document_settings
from ui.context import AppContext
from ui.db_lane import DbLane
from ui.main_window import MainWindow
from ui.navigation import SEPARATOR_HEIGHT, is_separator
from ui.settings_page import SettingsPage

CATEGORIES = ["general", "profile", "documents", "signing", "ministry", "data", "accounts"]


@pytest.fixture
def context(database: Database, catalog: Catalog) -> Iterator[AppContext]:
    lane = DbLane(database)
    with database.session() as session:
        profile = current_profile(session)
    shared = AppContext(
        database, lane, catalog, profile.province_code, profile.name, user="lan", language="en"
    )
    yield shared
    shared.lane.shutdown()


@pytest.fixture
def page(qtbot: QtBot, context: AppContext) -> SettingsPage:
    widget = SettingsPage(context)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _visible_form_labels(widget: QWidget) -> list[QLabel]:
    labels = []
    for form in widget.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel) and label.isVisibleTo(widget) and label.text():
                labels.append(label)
    return labels


def test_categories_are_listed_and_switching_shows_their_page(page: SettingsPage) -> None:
    assert page.categories_shown() == CATEGORIES
    assert page.categories.count() == len(CATEGORIES)
    assert [page.categories.item(row).text() for row in range(page.categories.count())] == [
        "General",
        "Agency profile",
        "Documents ready to sign",
        "Signing identity",
        "Catalog and the ministry's certificate",
        "Data and backups",
        "Accounts",
    ]
    expected = {
        "general": page.language_box,
        "profile": page.name_edit,
        "documents": page.signer_edit,
        "signing": page.signing,
        "ministry": page.ministry_cert_label,
        "data": page.backups,
        "accounts": page.accounts_section,
    }
    for key, widget in expected.items():
        shown = page.show_category(key)
        assert page.category_pages.currentWidget() is shown
        assert shown.objectName() == f"settings_{key}"
        assert widget.isVisible(), key
        others = [w for k, w in expected.items() if k != key]
        assert not any(other.isVisible() for other in others), key
    page.categories.setCurrentRow(1)  # a click in the list shows the profile
    assert page.name_edit.isVisible() and not page.accounts_section.isVisible()


def test_every_category_shares_one_label_column(page: SettingsPage) -> None:
    lefts: set[int] = set()
    fields: set[int] = set()
    for key in CATEGORIES:
        shown = page.show_category(key)
        labels = _visible_form_labels(shown)
        if key != "accounts":  # accounts is a table and buttons, no form
            assert labels, key
        for label in labels:
            assert label.width() == page.label_width, (key, label.text())
            lefts.add(label.mapTo(page, QPoint(0, 0)).x())
        for form in shown.findChildren(QFormLayout):
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                if item is None or label is None or label.widget() is None:
                    continue
                if not label.widget().isVisibleTo(shown):
                    continue
                fields.add(item.geometry().left() + _form_offset(form, page))
    assert len(lefts) == 1, lefts  # every label starts at one x
    assert len(fields) == 1, fields  # and every field too
    assert page.name_edit.width() <= 520  # not stretched across the whole page


def _form_offset(form: QFormLayout, page: SettingsPage) -> int:
    return form.parentWidget().mapTo(page, QPoint(0, 0)).x()


def test_document_settings_are_kept_in_the_profile(
    qtbot: QtBot, page: SettingsPage, context: AppContext
) -> None:
    page.show_category("documents")
    page.abbreviation_edit.setText("svhttdl")
    page.signer_edit.setText("Nguyễn Văn An")
    page.signer_title_edit.setText("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC")
    page.recipients_edit.setPlainText("Bộ Văn hóa, Thể thao và Du lịch;\n\nLưu: VT.")
    page.save_document_button.click()
    qtbot.waitUntil(lambda: bool(page.document_status.text()))
    with context.database.session() as session:
        kept = document_settings(current_profile(session))
    assert kept.abbreviation == "SVHTTDL"
    assert kept.signer == "Nguyễn Văn An"
    assert kept.recipients == ("Bộ Văn hóa, Thể thao và Du lịch", "Lưu: VT")  # blank dropped
    assert page.abbreviation_edit.text() == "SVHTTDL"  # shown as kept

    page.abbreviation_edit.setText("SỞ VĂN HÓA!")
    page.save_document_button.click()
    error = page.findChild(QLabel, "error_abbreviation")
    qtbot.waitUntil(lambda: error.isVisibleTo(page))
    assert "SỞVĂNHÓA!" in error.text()
    with context.database.session() as session:
        assert document_settings(current_profile(session)).abbreviation == "SVHTTDL"


def _separators(navigation: QListWidget) -> list[int]:
    return [row for row in range(navigation.count()) if is_separator(navigation.item(row))]


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> MainWindow:
    shown = MainWindow(context)
    qtbot.addWidget(shown)
    shown.resize(1366, 800)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_sidebar_separators_are_thin_lines_that_arrow_keys_skip(
    qtbot: QtBot, window: MainWindow
) -> None:
    navigation = window.navigation
    rows = _separators(navigation)
    assert len(rows) == 3
    page_row_height = navigation.visualItemRect(navigation.item(0)).height()
    for row in rows:
        item = navigation.item(row)
        assert not item.flags() & Qt.ItemFlag.ItemIsSelectable
        assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
        height = navigation.visualItemRect(item).height()
        assert height <= SEPARATOR_HEIGHT <= 9
        assert height < page_row_height / 2
        assert navigation.sizeHintForIndex(navigation.model().index(row, 0)).height() <= 9
    window.show_page("dashboard")
    navigation.setFocus()
    qtbot.keyClick(navigation, Qt.Key.Key_Down)
    assert navigation.currentRow() == rows[0] + 1  # over the line to the first kind
    assert window.current_key() == "training"
    qtbot.keyClick(navigation, Qt.Key.Key_Up)
    assert window.current_key() == "dashboard"
    for _ in range(navigation.count()):
        qtbot.keyClick(navigation, Qt.Key.Key_Down)
        assert not is_separator(navigation.currentItem())
    assert window.current_key() == "settings"


def test_settings_fit_a_1366_pixel_window(qtbot: QtBot, window: MainWindow) -> None:
    page = window.show_page("settings")
    for key in CATEGORIES:
        page.show_category(key)
        QApplication.processEvents()
        assert window.width() == 1366, key
        assert window.minimumSizeHint().width() <= 1366, key


def test_the_ministry_sidebar_has_thin_separators_too(qtbot: QtBot, tmp_path: Path) -> None:
    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.ministry.store import init_store, open_store
    from ui.ministry.common import MinistryContext
    from ui.ministry.window import MinistryWindow

    store = open_store(tmp_path / "national.sqlite3")
    init_store(store, "Bộ Văn hóa, Thể thao và Du lịch", user="tester")
    lane = DbLane(store)
    try:
        context = MinistryContext(store, lane, load_catalog(), store.name(), user="tester")
        window = MinistryWindow(context)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        navigation = window.navigation
        rows = _separators(navigation)
        assert len(rows) == 2
        for row in rows:
            item = navigation.item(row)
            assert not item.flags() & Qt.ItemFlag.ItemIsSelectable
            assert navigation.visualItemRect(item).height() <= 9
        navigation.setCurrentRow(rows[0] - 1)
        navigation.setFocus()
        qtbot.keyClick(navigation, Qt.Key.Key_Down)
        assert navigation.currentRow() == rows[0] + 1
        window.close()
    finally:
        lane.shutdown()
        store.close()


def test_the_ministry_settings_share_one_label_column(qtbot: QtBot, tmp_path: Path) -> None:
    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.ministry.store import init_store, open_store
    from ui.ministry.common import MinistryContext
    from ui.ministry.settings_page import MinistrySettingsPage

    store = open_store(tmp_path / "national.sqlite3")
    init_store(store, "Bộ Văn hóa, Thể thao và Du lịch", user="tester")
    lane = DbLane(store)
    try:
        context = MinistryContext(store, lane, load_catalog(), store.name(), user="tester")
        page = MinistrySettingsPage(context)
        qtbot.addWidget(page)
        page.resize(1366, 700)
        page.show()
        qtbot.waitExposed(page)
        labels = _visible_form_labels(page)
        assert len(labels) == 4  # language, name, kind, location
        assert {label.mapTo(page, QPoint(0, 0)).x() for label in labels} == {
            labels[0].mapTo(page, QPoint(0, 0)).x()
        }
        assert {label.width() for label in labels} == {page.label_width}
        assert page.name_edit.width() <= 520
    finally:
        lane.shutdown()
        store.close()
