"""The first window: training records of a real database file in a table that pages, searches
and sorts through the core; the first-start dialog; translations; the start-up itself."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.formatting import format_date, format_money, format_number
from ctmt_desktop.services.profile import current_profile
from ctmt_desktop.services.records import add_records, record_context
from tests.conftest import when_shown
from ui.app import DEMO_PROFILE, main
from ui.context import AppContext
from ui.db_lane import DbLane
from ui.first_start import FirstStartDialog
from ui.i18n import install_translators, remove_translators
from ui.main_window import MainWindow
from ui.records_model import PAGE_SIZE, RecordTableModel

ROOT = Path(__file__).resolve().parent.parent
LAO_BAO = "19432"  # Xã Lao Bảo, a current commune of province 44
OLD_TAN_THANH = "old:19456"  # Xã Tân Thành, merged into Xã Lao Bảo on 1 July 2025

# The offscreen platform says so whenever a window is shown; nothing is wrong.


def training(title: str, start: date, **changes: Any) -> dict[str, Any]:
    """A valid training record of province 44 starting on ``start``."""
    record: dict[str, Any] = {
        "program": "GNBV21.DA6.TDA1.ND1",
        "title": title,
        "start_date": start,
        "places": [LAO_BAO] if start >= date(2025, 7, 1) else [OLD_TAN_THANH],
        "funding_source": "NSTW",
        "days": 2,
        "participants": 40,
        "participants_female": 18,
        "cost": 15_000_000,
    }
    record.update(changes)
    return record


def add_training(database: Database, records: list[dict[str, Any]]) -> list[int]:
    with database.session() as session:
        context = record_context(session, database.path, user="tester")
        return add_records(session, context, "training", records)


FIVE_CLASSES = [
    training("Tập huấn kỹ năng số cho cán bộ xã", date(2025, 8, 12), cost=1_234_567, days=3),
    training("Ánh sáng tri thức", date(2024, 3, 5), cost=0),
    training("Bình dân học vụ số", date(2025, 9, 1), participants=1250, participants_female=600),
    training("Đức tin và truyền thông cơ sở", date(2024, 5, 10)),
    training("Dân vận khéo trên mạng xã hội", date(2024, 6, 1), days=5),
]


@pytest.fixture
def five_classes(database: Database) -> Database:
    add_training(database, FIVE_CLASSES)
    return database


@pytest.fixture
def make_window(qtbot: QtBot, catalog: Catalog) -> Iterator[Callable[..., MainWindow]]:
    """Build the main window over a database, showing the training records."""
    lanes: list[DbLane] = []

    def build(database: Database, language: str = "en") -> MainWindow:
        lane = DbLane(database)
        lanes.append(lane)
        with database.session() as session:
            profile = current_profile(session)
            assert profile is not None
        context = AppContext(
            database, lane, catalog, profile.province_code, profile.name, language=language
        )
        shown = MainWindow(context)
        qtbot.addWidget(shown)
        shown.show_page("training")
        return shown

    yield build
    for lane in lanes:
        lane.shutdown()


@pytest.fixture
def window(
    qtbot: QtBot, five_classes: Database, make_window: Callable[..., MainWindow]
) -> MainWindow:
    shown = make_window(five_classes)
    shown.resize(1300, 600)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _page(window: MainWindow) -> Any:
    """The training records page of the window."""
    return window.page("training")


def cell(model: RecordTableModel, row: int, field: str, role: int = 0) -> Any:
    return model.data(model.index(row, model.column_of(field)), role)


def column_texts(model: RecordTableModel, field: str) -> list[str]:
    return [cell(model, row, field) for row in range(model.rowCount())]


def click_header(qtbot: QtBot, window: MainWindow, field: str) -> None:
    header = _page(window).view.horizontalHeader()
    column = _page(window).model.column_of(field)
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


# --- formatting --------------------------------------------------------------------------------
def test_values_are_written_the_vietnamese_way() -> None:
    assert format_money(1_234_567) == "1.234.567 ₫"
    assert format_money(0) == "0 ₫"
    assert format_number(1250) == "1.250"
    assert format_date(date(2025, 7, 1)) == "01/07/2025"
    assert format_money(None) == format_date(None) == ""


# --- the main window ---------------------------------------------------------------------------
def test_window_lists_the_training_records(window: MainWindow) -> None:
    model = _page(window).model
    assert model.rowCount() == 5
    assert "Sở Văn hóa, Thể thao và Du lịch" in window.windowTitle()
    assert "Ánh sáng tri thức" in column_texts(model, "title")
    row = column_texts(model, "title").index("Tập huấn kỹ năng số cho cán bộ xã")
    assert cell(model, row, "cost") == "1.234.567 ₫"
    assert cell(model, row, "start_date") == "12/08/2025"
    _page(window).set_column_shown("end_date", True)  # hidden until the user asks for it
    assert cell(model, row, "end_date") == "12/08/2025"
    assert cell(model, row, "places") == "Xã Lao Bảo"
    assert cell(model, row, "status") == "Draft"
    other = column_texts(model, "title").index("Bình dân học vụ số")
    assert cell(model, other, "participants") == "1.250"
    alignment = cell(model, row, "cost", Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert _count_text(window) == "5 / 5 records"
    assert str(window.context.database.path) in _status_texts(window)


def _count_text(window: MainWindow) -> str:
    return _page(window).count_label.text()


def _status_texts(window: MainWindow) -> str:
    return " ".join(label.text() for label in window.statusBar().findChildren(QLabel))


def test_newest_records_come_first(window: MainWindow) -> None:
    starts = column_texts(_page(window).model, "start_date")
    assert starts[0] == "01/09/2025"
    assert starts[-1] == "05/03/2024"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("lao bao", {"Tập huấn kỹ năng số cho cán bộ xã", "Bình dân học vụ số"}),
        ("duc", {"Đức tin và truyền thông cơ sở"}),
        ("ÁNH SÁNG", {"Ánh sáng tri thức"}),
    ],
)
def test_search_box_narrows_the_rows(
    qtbot: QtBot, window: MainWindow, typed: str, expected: set[str]
) -> None:
    model = _page(window).model
    qtbot.keyClicks(_page(window).search_box, typed)
    qtbot.waitUntil(lambda: model.rowCount() == len(expected))
    assert set(column_texts(model, "title")) == expected
    assert _count_text(window) == f"{len(expected)} / 5 records"
    _page(window).search_box.clear()
    qtbot.waitUntil(lambda: model.rowCount() == 5)


def test_clicking_the_title_header_sorts_in_vietnamese_order(
    qtbot: QtBot, window: MainWindow
) -> None:
    model = _page(window).model
    with qtbot.waitSignal(model.modelReset):
        click_header(qtbot, window, "title")
    vietnamese_order = [
        "Ánh sáng tri thức",
        "Bình dân học vụ số",
        "Dân vận khéo trên mạng xã hội",
        "Đức tin và truyền thông cơ sở",
        "Tập huấn kỹ năng số cho cán bộ xã",
    ]
    assert column_texts(model, "title") == vietnamese_order
    with qtbot.waitSignal(model.modelReset):
        click_header(qtbot, window, "title")
    assert column_texts(model, "title") == vietnamese_order[::-1]


def test_sorting_by_money_and_counts_is_numeric(window: MainWindow) -> None:
    model = _page(window).model
    model.sort(model.column_of("cost"), Qt.SortOrder.AscendingOrder)
    assert column_texts(model, "cost")[:2] == ["0 ₫", "1.234.567 ₫"]
    model.sort(model.column_of("participants"), Qt.SortOrder.DescendingOrder)
    assert column_texts(model, "participants")[0] == "1.250"


def test_window_remembers_its_geometry_and_columns(
    qtbot: QtBot, five_classes: Database, make_window: Callable[..., MainWindow]
) -> None:
    first = make_window(five_classes)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(712, 543)  # the window keeps its minimum width if that is larger
    remembered = (first.width(), first.height())
    # Column 1 (the date): the title column stretches over the width the others leave.
    _page(first).view.horizontalHeader().resizeSection(1, 123)
    _page(first).view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    assert _page(first).model.sort_field == "title"
    first.close()

    second = make_window(five_classes)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == remembered
    assert _page(second).view.horizontalHeader().sectionSize(1) == 123
    assert _page(second).model.sort_field == "title"
    assert column_texts(_page(second).model, "title")[0] == "Ánh sáng tri thức"


# --- the model ---------------------------------------------------------------------------------
@pytest.fixture
def many_classes(database: Database) -> Database:
    records = [
        training(f"Lớp {number:03d}", date(2024, 1, 1 + number % 28), participants=20 + number)
        for number in range(1, 251)
    ]
    add_training(database, records)
    return database


def test_model_passes_the_model_tester(
    qtmodeltester: Any, many_classes: Database, catalog: Catalog
) -> None:
    model = RecordTableModel(many_classes, "training", catalog)
    qtmodeltester.check(model)
    model.set_search("lop 1")
    qtmodeltester.check(model)


def test_rows_past_the_first_page_load_when_asked(many_classes: Database, catalog: Catalog) -> None:
    model = RecordTableModel(many_classes, "training", catalog)
    model.sort(model.column_of("title"), Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 250 > PAGE_SIZE
    assert cell(model, 0, "title") == "Lớp 001"
    assert cell(model, 150, "title") == "Lớp 151"
    assert cell(model, 249, "title") == "Lớp 250"
    assert model.record_id(249) == cell(model, 249, "title", RecordTableModel.RecordIdRole)
    assert model.data(model.index(250, 0)) is None


def test_headers_follow_the_language(many_classes: Database, catalog: Catalog) -> None:
    english = RecordTableModel(many_classes, "training", catalog, language="en")
    vietnamese = RecordTableModel(many_classes, "training", catalog, language="vi")
    horizontal = Qt.Orientation.Horizontal
    assert english.headerData(0, horizontal) == "Title"
    assert vietnamese.headerData(0, horizontal) == "Tên hoạt động"
    assert vietnamese.headerData(vietnamese.column_of("cost"), horizontal) == "Kinh phí (đồng)"
    assert cell(vietnamese, 0, "status") == "Nháp"


# --- first start -------------------------------------------------------------------------------
@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "new.sqlite3")
    yield database
    database.close()


def _first_start(
    qtbot: QtBot, database: Database, catalog: Catalog, offer_demo: bool = True
) -> FirstStartDialog:
    dialog = FirstStartDialog(database, catalog, offer_demo=offer_demo)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _click_ok(qtbot: QtBot, dialog: FirstStartDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_first_start_shows_the_error_under_the_name_and_saves_nothing(
    qtbot: QtBot, new_database: Database, catalog: Catalog
) -> None:
    dialog = _first_start(qtbot, new_database, catalog)
    dialog.province_box.setCurrentIndex(dialog.province_box.findData("44"))
    _click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_labels["name"].isVisible()
    assert dialog.error_labels["name"].text() == "Enter the name of your agency."
    assert not dialog.error_labels["province"].isVisible()
    with new_database.session() as session:
        assert current_profile(session) is None


def test_first_start_asks_for_the_province(
    qtbot: QtBot, new_database: Database, catalog: Catalog
) -> None:
    dialog = _first_start(qtbot, new_database, catalog)
    assert dialog.province_box.count() == 34
    dialog.name_edit.setText("Sở Văn hóa, Thể thao và Du lịch")  # QTest types Latin-1 only
    _click_ok(qtbot, dialog)
    assert dialog.error_labels["province"].isVisible()
    assert not dialog.error_labels["name"].isVisible()
    with new_database.session() as session:
        assert current_profile(session) is None


def test_first_start_creates_the_profile(
    qtbot: QtBot, new_database: Database, catalog: Catalog
) -> None:
    dialog = _first_start(qtbot, new_database, catalog, offer_demo=False)
    assert not dialog.load_demo
    dialog.name_edit.setText("Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị")
    dialog.province_box.setCurrentIndex(dialog.province_box.findData("44"))
    dialog.parent_body_edit.setText("Ủy ban nhân dân tỉnh Quảng Trị")
    with qtbot.waitSignal(dialog.accepted):
        _click_ok(qtbot, dialog)
    with new_database.session() as session:
        profile = current_profile(session)
        assert profile is not None
        assert profile.name == "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"
        assert profile.province_code == "44"
        assert profile.parent_body == "Ủy ban nhân dân tỉnh Quảng Trị"


def test_first_start_offers_demo_data_unticked(
    qtbot: QtBot, new_database: Database, catalog: Catalog
) -> None:
    dialog = _first_start(qtbot, new_database, catalog, offer_demo=True)
    assert dialog.demo_check.isVisibleTo(dialog)
    assert not dialog.load_demo  # sample records only when the user ticks the box
    dialog.demo_check.setChecked(True)
    assert dialog.load_demo


# --- translations ------------------------------------------------------------------------------
@pytest.fixture
def vietnamese(qapp: QApplication) -> Iterator[None]:
    translators = install_translators(qapp, "vi")
    yield
    remove_translators(qapp, translators)


@pytest.mark.usefixtures("vietnamese")
def test_the_interface_speaks_vietnamese(
    qtbot: QtBot,
    five_classes: Database,
    new_database: Database,
    catalog: Catalog,
    make_window: Callable[..., MainWindow],
) -> None:
    dialog = _first_start(qtbot, new_database, catalog)
    assert dialog.windowTitle() == "Thiết lập thông tin cơ quan"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "Đồng ý"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Hủy"
    _click_ok(qtbot, dialog)
    assert dialog.error_labels["name"].text() == "Hãy nhập tên cơ quan."

    window = make_window(five_classes, language="vi")
    assert _count_text(window) == "5 / 5 bản ghi"
    assert _page(window).model.headerData(0, Qt.Orientation.Horizontal) == "Tên hoạt động"


def test_every_interface_string_has_its_vietnamese_translation() -> None:
    script = ROOT / "installer" / "update_translations.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert (ROOT / "resources" / "translations" / "ctmt_vi.qm").stat().st_size > 0


# --- start-up ----------------------------------------------------------------------------------
def profile_of(path: Path) -> tuple[str, str] | None:
    database = open_database(path, create=False)
    try:
        with database.session() as session:
            profile = current_profile(session)
            return (profile.name, profile.province_code) if profile else None
    finally:
        database.close()


def test_an_unusable_database_file_gives_a_clear_message_and_exit_code_1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shown: list[tuple[str, str, list[str]]] = []

    def record_box(box: QMessageBox) -> int:
        shown.append((box.text(), box.informativeText(), [b.text() for b in box.buttons()]))
        return QMessageBox.StandardButton.Ok.value

    monkeypatch.setattr(QMessageBox, "exec", record_box)
    broken = tmp_path / "not-a-database.sqlite3"
    broken.write_bytes(b"these are not the bytes of an SQLite file" * 100)
    assert main(["--db", str(broken), "--lang", "en"]) == 1
    [(text, details, buttons)] = shown
    assert text == "CTMT Desktop cannot use this database file."
    assert str(broken) in details
    assert buttons == ["OK"]


def test_demo_start_opens_the_window_on_demo_data(
    running_app: QApplication, tmp_path: Path
) -> None:
    seen: list[tuple[str, int]] = []

    def look_and_close(window: MainWindow) -> None:
        window.show_page("training")
        seen.append((window.windowTitle(), _page(window).model.rowCount()))
        window.close()
        running_app.exit(0)

    when_shown(MainWindow, look_and_close)
    assert main(["--demo", "--lang", "en"]) == 0
    [(title, rows)] = seen
    assert title == "Training class — CTMT Desktop — Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"
    assert rows > 0
    assert profile_of(tmp_path / "data" / "demo.sqlite3") == (DEMO_PROFILE.name, "44")


def test_first_start_through_main_saves_the_profile_then_opens_the_window(
    running_app: QApplication, tmp_path: Path
) -> None:
    path = tmp_path / "mine.sqlite3"
    titles: list[str] = []

    def fill(dialog: FirstStartDialog) -> None:
        assert not dialog.load_demo  # offered unticked: the database is new
        dialog.name_edit.setText("Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị")
        dialog.province_box.setCurrentIndex(dialog.province_box.findData("44"))
        dialog.accept()

    def close(window: MainWindow) -> None:
        titles.append(window.windowTitle())
        window.close()
        running_app.exit(0)

    when_shown(FirstStartDialog, fill)
    when_shown(MainWindow, close)
    assert main(["--db", str(path), "--lang", "en"]) == 0
    assert titles == ["Dashboard — CTMT Desktop — Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"]
    assert profile_of(path) == ("Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị", "44")


def test_cancelling_the_first_start_ends_the_app_without_saving(tmp_path: Path) -> None:
    path = tmp_path / "mine.sqlite3"
    when_shown(FirstStartDialog, lambda dialog: dialog.reject())
    assert main(["--db", str(path), "--lang", "en"]) == 0
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]
    assert profile_of(path) is None


def test_bad_arguments_end_with_exit_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "fr"]) == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err
