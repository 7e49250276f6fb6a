"""The ministry's desk in the window: the reporting status matrix, a submission's detail,
receiving packages, registering a signer, the national dashboard and report, the language,
and ``main.py --ministry --demo``.

One demo national store (four provinces of 2025: two on time, one of them resubmitted as
version 2, one late, one refused) is built once for the module; tests that change a store
use one of their own.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.formatting import format_number
from ctmt_desktop.ministry.demo import DemoResult, ProvinceKit, build_demo
from ctmt_desktop.ministry.records import current_submission
from ctmt_desktop.ministry.registry import list_signers, register_signer
from ctmt_desktop.ministry.store import Store, init_store, open_store
from ctmt_desktop.paths import user_data_dir
from ctmt_desktop.text import fold
from ui.db_lane import DbLane
from ui.i18n import adopt_translators, install_translators, switch_language
from ui.ministry.common import STATE_COLOURS, MinistryContext
from ui.ministry.dashboard_page import KEY_INDICATORS, NationalDashboardPage
from ui.ministry.receive_page import ReceivePage
from ui.ministry.signers_page import RegisterSignerDialog, SignersPage
from ui.ministry.status_page import STATE_ROLE, ReportingStatusPage
from ui.ministry.submissions_page import RefusalsDialog, SubmissionDialog
from ui.ministry.window import MinistryWindow

ROOT = Path(__file__).resolve().parent.parent
PERIOD = "2025"
#: The demo's provinces for four: Quảng Trị, Huế (resubmitted), Hà Nội (late), and
#: Hồ Chí Minh City, signed by a key nobody registered (refused).
QUANG_TRI, HUE, HA_NOI, HCM = "44", "46", "01", "79"
#: A province the demo leaves missing.
LAI_CHAU = "12"
#: Indicators that add up (their national total is the sum of the provinces').
COUNT_INDICATORS = (
    "training_classes",
    "training_participants",
    "event_participants",
    "media_outputs",
    "devices_delivered",
    "clusters_operating",
)


@dataclass
class Desk:
    store_path: Path
    demo: DemoResult

    def kit(self, code: str) -> ProvinceKit:
        return next(kit for kit in self.demo.provinces if kit.code == code)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    root = tmp_path_factory.mktemp("ministry-ui")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CTMT_DATA_DIR", str(root / "data"))
        store = open_store(root / "national.sqlite3")
        try:
            demo = build_demo(store, root / "demo", provinces=4, period=PERIOD, records=60)
        finally:
            store.close()
    return Desk(root / "national.sqlite3", demo)


def _context(store: Store) -> Iterator[MinistryContext]:
    lane = DbLane(store)
    try:
        yield MinistryContext(store, lane, load_catalog(), store.name(), user="tester")
    finally:
        lane.shutdown()
        store.close()


@pytest.fixture
def context(qtbot: QtBot, desk: Desk) -> Iterator[MinistryContext]:
    """The module's demo store (tests on it only read)."""
    yield from _context(open_store(desk.store_path))


@pytest.fixture
def fresh_context(qtbot: QtBot, tmp_path: Path) -> Iterator[MinistryContext]:
    """An empty named store of the test's own."""
    store = open_store(tmp_path / "own.sqlite3")
    init_store(store, "Bộ Văn hóa, Thể thao và Du lịch", user="tester")
    yield from _context(store)


def _idle(context: MinistryContext) -> None:
    assert context.lane.wait_idle(120_000)


def _loaded_status(qtbot: QtBot, context: MinistryContext) -> ReportingStatusPage:
    page = ReportingStatusPage(context)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=60_000):
        page.refresh()
    return page


# --- the reporting status --------------------------------------------------------------------
def test_matrix_shows_each_province_state_with_its_colour(qtbot, qtmodeltester, context):
    page = _loaded_status(qtbot, context)
    model = page.model
    qtmodeltester.check(model)
    assert model.periods == [PERIOD]
    assert model.rowCount() == 34

    expected = {
        QUANG_TRI: ("on_time", "v1 · "),
        HUE: ("on_time", "v2 · "),
        HA_NOI: ("late", "Late · v1 · "),
        HCM: ("refused", "Refused"),
        LAI_CHAU: ("missing", "—"),
    }
    for code, (state, text) in expected.items():
        index = model.index_of(code, PERIOD)
        assert index.isValid()
        assert index.data(STATE_ROLE) == state
        assert index.data(Qt.ItemDataRole.DisplayRole).startswith(text)
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        assert isinstance(background, QBrush)
        assert background.color() == QColor(STATE_COLOURS[state][0])
    assert "replaces v1" in model.index_of(HUE, PERIOD).data(Qt.ItemDataRole.ToolTipRole)
    refused_tip = model.index_of(HCM, PERIOD).data(Qt.ItemDataRole.ToolTipRole)
    assert "signer trusted" in refused_tip
    header = model.headerData(1, Qt.Orientation.Horizontal)
    assert "Year 2025" in header and "Received 3/34" in header
    assert "On time 2 · late 1" in header and "Refused 1 · missing 30" in header
    assert "Hà Nội" in page.panel_label.text()  # among the late ones, beside the matrix


def test_clicking_a_received_cell_opens_that_submission_with_its_records(
    qtbot: QtBot, context: MinistryContext
):
    page = _loaded_status(qtbot, context)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    index = page.model.index_of(HUE, PERIOD)
    page.view.scrollTo(index)
    qtbot.mouseClick(
        page.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.view.visualRect(index).center(),
    )
    dialog = page.detail_dialog
    assert isinstance(dialog, SubmissionDialog)
    _idle(context)
    with context.store.session() as session:
        stored = current_submission(session, HUE, PERIOD)
    assert stored is not None
    detail = dialog.detail
    assert detail.info is not None and detail.info.package_id == stored.package_id
    assert detail.fact_labels["package_id"].text() == stored.package_id
    assert detail.fact_labels["version"].text() == "v2 — replaces v1"
    assert "Huế" in dialog.windowTitle()
    rows = detail.records_model.rowCount()
    assert rows > 0 and detail.records_label.text() == f"{format_number(rows)} records"

    title = detail.records_model.rows[0]["title"]
    word = fold(title).split()[-1]
    detail.search_edit.setText(word.upper())
    detail.reload_records()
    _idle(context)
    found = detail.records_model.rows
    assert 0 < len(found) <= rows
    assert all(word in fold(record["title"]) or word in fold(str(record)) for record in found)
    dialog.close()


def test_a_refused_cell_opens_the_reasons_and_a_missing_one_nothing(qtbot, context):
    page = _loaded_status(qtbot, context)
    page.open_cell(page.model.index_of(LAI_CHAU, PERIOD))
    assert page.detail_dialog is None
    page.open_cell(page.model.index_of(HCM, PERIOD))
    dialog = page.detail_dialog
    assert isinstance(dialog, RefusalsDialog)  # a child of the page: closed with it
    with qtbot.waitSignal(dialog.loaded, timeout=30_000):
        pass
    assert len(dialog.refusals) == 1 and dialog.table.rowCount() == 1
    assert dialog.table.item(0, 3).text().startswith("signer trusted:")
    dialog.close()


# --- receiving -------------------------------------------------------------------------------
def test_receiving_a_package_accepts_it_then_calls_it_a_duplicate(
    qtbot: QtBot, desk: Desk, fresh_context: MinistryContext, tmp_path: Path
):
    context = fresh_context
    kit = desk.kit(QUANG_TRI)
    with context.store.session() as session:
        register_signer(
            session,
            context.catalog,
            province=kit.code,
            certificate=kit.certificate_pem,
            fingerprint=kit.fingerprint,
            user="tester",
        )
    package = kit.package(PERIOD, tmp_path / "usb", signed_at=datetime(2025, 11, 20, tzinfo=UTC))
    page = ReceivePage(context)
    qtbot.addWidget(page)

    with qtbot.waitSignal(page.finished, timeout=120_000) as first:
        page.receive_paths([package.parent])
    assert [result.verdict for result in first.args[0]] == ["accepted"]
    verdict = page.table.item(0, 0)
    assert verdict.text() == "Accepted"
    assert verdict.background().color() == QColor(STATE_COLOURS["on_time"][0])
    assert page.table.item(0, 1).text() == package.name
    assert page.table.item(0, 2).text() == "Quảng Trị"
    assert page.summary_label.text() == "1 packages: 1 accepted."

    with qtbot.waitSignal(page.finished, timeout=120_000) as second:
        page.receive_paths([package])
    assert [result.verdict for result in second.args[0]] == ["duplicate"]
    assert page.table.rowCount() == 1
    assert page.table.item(0, 0).text() == "Duplicate: nothing changed"
    assert page.table.item(0, 0).data(Qt.ItemDataRole.UserRole) == "duplicate"


def test_a_package_signed_by_an_unregistered_key_is_refused_with_the_check(
    qtbot: QtBot, desk: Desk, fresh_context: MinistryContext
):
    page = ReceivePage(fresh_context)
    qtbot.addWidget(page)
    inbox = desk.demo.folder / "inbox"
    hcm = next(path for path in inbox.iterdir() if "HoChiMinh" in path.name)
    with qtbot.waitSignal(page.finished, timeout=120_000):
        page.receive_paths([hcm])
    assert page.table.item(0, 0).text() == "Refused"
    assert page.table.item(0, 6).text().startswith("signer trusted:")
    assert page.summary_label.text() == "1 packages: 1 refused."


# --- signers ---------------------------------------------------------------------------------
def test_the_register_dialog_refuses_a_wrong_fingerprint_under_the_field(
    qtbot: QtBot, desk: Desk, fresh_context: MinistryContext
):
    context = fresh_context
    kit, other = desk.kit(HCM), desk.kit(QUANG_TRI)
    dialog = RegisterSignerDialog(context, HCM)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.certificate_edit.setText(str(kit.certificate_pem))

    dialog.fingerprint_edit.setText("12:34")
    dialog.submit()
    label = dialog.error_labels["fingerprint"]
    assert label.isVisible() and "not a SHA-256 fingerprint" in label.text()

    dialog.fingerprint_edit.setText(other.fingerprint)  # a real fingerprint, another file's
    dialog.submit()
    _idle(context)
    assert label.isVisible()
    assert label.text().startswith("This fingerprint is not the certificate's")
    assert "is not the certificate's" in label.toolTip()  # the core's own sentence
    assert dialog.signer is None and dialog.isVisible()
    with context.store.session() as session:
        assert list_signers(session, HCM) == []

    dialog.fingerprint_edit.setText(kit.fingerprint.upper())
    with qtbot.waitSignal(dialog.registered, timeout=30_000):
        dialog.submit()
    assert dialog.signer is not None and dialog.signer.province_code == HCM
    assert not label.isVisible()


def test_the_signers_page_lists_the_registry_by_province(qtbot, context):
    page = SignersPage(context)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.refresh()
    provinces = [page.table.item(row, 0).text() for row in range(page.table.rowCount())]
    assert provinces == ["Quảng Trị", "Thành phố Hà Nội", "Thành phố Huế"]


# --- the national dashboard ------------------------------------------------------------------
def _number(text: str) -> int:
    return int(text.replace(".", ""))


def test_the_dashboard_total_is_the_sum_of_the_provinces(qtbot, context):
    page = NationalDashboardPage(context)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.updated, timeout=120_000):
        page.refresh()
    data = page.data
    assert data is not None and data.scope == PERIOD
    assert page.tiles["reported"].value_label.text() == "3/34"
    assert page.tiles["late"].value_label.text() == "1"

    table = page.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    last = table.rowCount() - 1
    assert table.item(last, 0).text() == "National total"
    assert last == 3  # the three provinces that reported
    for code in COUNT_INDICATORS:
        column = 2 + KEY_INDICATORS.index(code)  # after the province and its records
        values = [_number(table.item(row, column).text()) for row in range(last)]
        assert _number(table.item(last, column).text()) == sum(values), headers[column]
    records = [_number(table.item(row, 1).text()) for row in range(last)]
    assert _number(table.item(last, 1).text()) == sum(records) > 0

    pairs = page.chart_values()
    assert len(pairs) == 3
    assert [value for _name, value in pairs] == sorted((v for _n, v in pairs), reverse=True)
    assert page.chart_card.bar_series.count() == 1


def test_the_national_report_is_previewed_and_saved(qtbot, context, tmp_path: Path):
    page = NationalDashboardPage(context)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.updated, timeout=120_000):
        page.refresh()
    page.preview_report()
    _idle(context)
    assert page.preview_dialog is not None
    assert page.preview_dialog.document.pageCount() >= 2
    page.preview_dialog.close()
    for suffix in (".pdf", ".xlsx"):
        with qtbot.waitSignal(page.saved, timeout=60_000) as saved:
            page.save_report(suffix, tmp_path / f"national{suffix}")
        written = saved.args[0]
        assert written == tmp_path / f"national{suffix}" and written.stat().st_size > 1000
    assert (tmp_path / "national.pdf").read_bytes().startswith(b"%PDF")


# --- the window, its language, and starting it -----------------------------------------------
def test_the_window_shows_every_page_and_switching_to_english_retitles_them(qtbot, context):
    adopt_translators(install_translators(QApplication.instance(), "vi"))
    try:
        _window_in_vietnamese_then_english(qtbot, context)
    finally:
        switch_language("en")  # the next tests read English whatever happened here


def _window_in_vietnamese_then_english(qtbot: QtBot, context: MinistryContext) -> None:
    context.language = "vi"
    window = MinistryWindow(context)
    qtbot.addWidget(window)
    keys = list(window._factories)
    vietnamese = {}
    for key in keys:
        page = window.show_page(key)
        _idle(context)
        vietnamese[key] = page.page_title()  # type: ignore[attr-defined]
    assert window.navigation.item(0).text() == "Tình hình báo cáo"
    assert vietnamese["status"] == "Tình hình báo cáo"
    assert window.windowTitle().startswith(vietnamese[keys[-1]])
    ministry = window.findChild(QLabel, "ministry_label")
    assert ministry is not None and ministry.text() == "Bộ Văn hóa, Thể thao và Du lịch"

    settings = window.page("settings")
    settings.language_box.setCurrentIndex(settings.language_box.findData("en"))  # type: ignore[attr-defined]
    _idle(context)
    english = {key: window.page(key).page_title() for key in keys}  # type: ignore[attr-defined]
    assert english == {
        "status": "Reporting status",
        "dashboard": "National dashboard",
        "receive": "Receive",
        "submissions": "Submissions",
        "signers": "Signers",
        "settings": "Settings",
    }
    assert all(english[key] != vietnamese[key] for key in keys)
    assert window.windowTitle().startswith("Settings")
    assert window.navigation.item(0).text() == "Reporting status"


def test_every_string_of_the_ministry_pages_has_its_vietnamese_translation(tmp_path: Path):
    import importlib.util
    import shutil
    import xml.etree.ElementTree as ElementTree

    spec = importlib.util.spec_from_file_location(
        "update_translations", ROOT / "installer" / "update_translations.py"
    )
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    ts_file = tmp_path / "ctmt_vi.ts"
    shutil.copyfile(ROOT / "resources" / "translations" / "ctmt_vi.ts", ts_file)
    tool.run_lupdate(ts_file, "vi")
    missing, seen = [], 0
    source_file = ""  # lupdate names a file only where it changes, across contexts too
    for context in ElementTree.parse(ts_file).getroot().iter("context"):
        for message in context.iter("message"):
            location = message.find("location")
            if location is not None and location.get("filename"):
                source_file = location.get("filename", "")
            if "ui/ministry/" not in source_file:
                continue
            seen += 1
            translation = message.find("translation")
            if (
                translation is None
                or translation.get("type") in ("unfinished", "vanished", "obsolete")
                or not "".join(translation.itertext()).strip()
            ):
                missing.append(f"{context.findtext('name')}: {message.findtext('source')}")
    assert seen > 200
    assert missing == []


@pytest.fixture
def started_windows(monkeypatch: pytest.MonkeyPatch) -> list[MinistryWindow]:
    """The windows ``run_ministry`` shows (other tests' windows may still be around)."""
    from ui.ministry import startup

    windows: list[MinistryWindow] = []

    class Recorded(MinistryWindow):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            windows.append(self)

    monkeypatch.setattr(startup, "MinistryWindow", Recorded)
    return windows


def test_main_ministry_demo_builds_the_demo_store_and_shows_the_window(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, started_windows: list[MinistryWindow]
):
    from ui.ministry import startup

    monkeypatch.setattr(startup, "DEMO_PROVINCES", 3)
    monkeypatch.setattr(startup, "DEMO_RECORDS", 40)
    shown: dict[str, Any] = {}

    class App:
        """Stands for the QApplication: looks at the window instead of running it."""

        def exec(self) -> int:
            window = started_windows[-1]
            assert window.context.lane.wait_idle(60_000)
            QApplication.processEvents()
            shown["title"] = window.windowTitle()
            shown["store"] = window.context.store.display
            page = window.page("status")
            shown["states"] = {
                page.model.index(row, 1).data(STATE_ROLE)  # type: ignore[attr-defined]
                for row in range(page.model.rowCount())  # type: ignore[attr-defined]
            }
            window.close()
            window.deleteLater()
            return 0

    args = argparse.Namespace(ministry=True, demo=True, store=None, lang="en", db=None)
    assert startup.run_ministry(App(), args) == 0  # type: ignore[arg-type]
    assert shown["store"].endswith(startup.DEMO_STORE_NAME)
    assert Path(shown["store"]).parent == user_data_dir()
    assert "Bộ Văn hóa, Thể thao và Du lịch" in shown["title"]
    assert {"on_time", "refused", "missing"} <= shown["states"]


def test_a_store_without_a_name_asks_it_once_and_keeps_it(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    started_windows: list[MinistryWindow],
):
    from PySide6.QtWidgets import QDialog

    from ui.ministry import startup

    asked: list[str] = []

    def answer(dialog: startup.MinistryNameDialog) -> QDialog.DialogCode:
        asked.append(dialog.name)  # the ministry of today, suggested
        dialog.name_edit.setText("  Bộ   Thông tin và Truyền thông ")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(startup.MinistryNameDialog, "exec", answer)
    titles: list[str] = []

    class App:
        def exec(self) -> int:
            window = started_windows[-1]
            assert window.context.lane.wait_idle(60_000)
            titles.append(window.windowTitle())
            window.close()
            window.deleteLater()
            return 0

    path = tmp_path / "national.sqlite3"
    args = argparse.Namespace(ministry=True, demo=False, store=str(path), lang="en", db=None)
    assert startup.run_ministry(App(), args) == 0  # type: ignore[arg-type]
    assert startup.run_ministry(App(), args) == 0  # type: ignore[arg-type]
    assert asked == ["Bộ Văn hóa, Thể thao và Du lịch"]  # once
    assert len(titles) == 2
    assert all(title.endswith("Bộ Thông tin và Truyền thông") for title in titles)
    store = open_store(path)
    try:
        assert store.name() == "Bộ Thông tin và Truyền thông"
    finally:
        store.close()


def test_store_without_ministry_is_a_usage_error(capsys):
    from ui.app import main

    assert main(["--store", "national.sqlite3"]) == 2
    assert "--store needs --ministry" in capsys.readouterr().err
