"""The page of each activity kind and the record form: add, edit, duplicate and delete
records of all eight kinds through the window, search and filter the table, and the
editors the form is made of (commune picker, program tree, money, counts, dates)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
)
from pytestqt.qtbot import QtBot

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.formatting import format_number
from ctmt_desktop.kinds import KIND_CODES, kind_spec
from ctmt_desktop.periods import parse_period
from ctmt_desktop.services.records import (
    RecordQuery,
    add_record,
    add_records,
    count_records,
    delete_record,
    get_record,
    record_context,
)
from ui.context import AppContext
from ui.db_lane import DbLane
from ui.record_form import RecordForm
from ui.records_model import RecordTableModel
from ui.records_page import RecordsPage
from ui.widgets import (
    CommunePicker,
    CountEdit,
    DateEdit,
    EvidenceList,
    IndicatorChecks,
    MoneyEdit,
    ProgramPicker,
)

PROVINCE = "44"
LAO_BAO = "19432"  # Xã Lao Bảo, a current commune of province 44
HUONG_PHUNG = "19441"  # Xã Hướng Phùng
OLD_HUONG_PHUNG = "old:19441"  # the legacy commune of the same name (before 01/07/2025)
OLD_TAN_THANH = "old:19456"  # Xã Tân Thành, merged into Xã Lao Bảo on 01/07/2025


# The offscreen platform cannot raise a popup or let it grab the keyboard (the program tree,
# the commune suggestions); a real window system can.


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def lane(database: Database, qtbot: QtBot) -> Iterator[DbLane]:
    lane = DbLane(database)
    yield lane
    lane.shutdown()


@pytest.fixture
def context(database: Database, lane: DbLane, catalog: Catalog) -> AppContext:
    return AppContext(
        database,
        lane,
        catalog,
        PROVINCE,
        "Sở Văn hóa, Thể thao và Du lịch",
        user="tester",
        language="en",
    )


@pytest.fixture
def open_page(qtbot: QtBot, context: AppContext) -> Callable[[str], RecordsPage]:
    def build(kind: str) -> RecordsPage:
        page = RecordsPage(context, kind)
        qtbot.addWidget(page)
        page.resize(1300, 700)
        page.show()
        qtbot.waitExposed(page)
        page.activateWindow()  # shortcuts work in the active window only
        qtbot.waitUntil(page.isActiveWindow)
        return page

    return build


class Questions:
    """Answers every question box with ``answer`` and remembers what was asked."""

    def __init__(self) -> None:
        self.answer = QMessageBox.StandardButton.Yes
        self.asked: list[str] = []

    def __call__(self, box: QMessageBox) -> int:
        self.asked.append(box.text())
        return self.answer.value


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    answering = Questions()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: answering(box))
    return answering


def store(database: Database, kind: str, *records: dict[str, Any]) -> list[int]:
    """Write records through the service, as another screen or an import would."""
    with database.session() as session:
        context = record_context(session, database.path, user="tester")
        return add_records(session, context, kind, list(records), allow_duplicates=True)


def count(
    database: Database, kind: str, query: RecordQuery | None = None, catalog: Catalog | None = None
) -> int:
    with database.session() as session:
        return count_records(session, kind, query or RecordQuery(), catalog)


def stored(database: Database, kind: str, record_id: int) -> dict[str, Any]:
    with database.session() as session:
        return get_record(session, kind, record_id)


def as_date(value: Any) -> Any:
    """An ISO date text as a date; any other value as it is."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return value


def fill(qtbot: QtBot, form: RecordForm, data: dict[str, Any]) -> None:
    """Fill the form's editors one by one, as a user would (typing where QTest can type).

    The dates come first: they decide which program nodes and communes the form offers.
    """
    first = ("year", "start_date", "end_date")
    for name, value in sorted(data.items(), key=lambda item: item[0] not in first):
        editor = form.editors[name]
        if isinstance(editor, MoneyEdit):
            editor.clear()
            qtbot.keyClicks(editor, str(value))
        elif isinstance(editor, QLineEdit):
            editor.setText(value)  # QTest types Latin-1 only; the names are Vietnamese
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value)
        elif isinstance(editor, DateEdit):
            editor.set_day(as_date(value))
        elif isinstance(editor, CountEdit):
            editor.lineEdit().selectAll()
            qtbot.keyClicks(editor, str(value))
        elif isinstance(editor, ProgramPicker):
            editor.showPopup()
            assert value in editor.visible_codes(), f"{value} not offered on the dates"
            editor.choose(value)
        elif isinstance(editor, QComboBox):
            index = editor.findData(value)
            assert index >= 0, f"{name}: no {value}"
            editor.setCurrentIndex(index)
        elif isinstance(editor, CommunePicker):
            for code in value:
                editor.choose(code)
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, IndicatorChecks):
            for code, met in value.items():
                editor.boxes[code].setChecked(met)
        elif isinstance(editor, EvidenceList):
            editor.add_paths(value)
        else:  # pragma: no cover - every editor is handled above
            raise AssertionError(type(editor))


def save(qtbot: QtBot, form: RecordForm) -> int:
    """Press Save and wait for the record to be written; return its id."""
    with qtbot.waitSignal(form.saved, timeout=10_000) as blocker:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    return int(blocker.args[0])


def press_save_and_wait(qtbot: QtBot, form: RecordForm, context: AppContext) -> None:
    """Press Save and wait until the lane has answered (saved or rejected)."""
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert context.lane.wait_idle()


def titles(model: RecordTableModel) -> list[str]:
    column = model.column_of("title")
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


# --- adding records of every kind --------------------------------------------------------------
@pytest.mark.parametrize("kind", KIND_CODES)
def test_a_record_added_through_its_form_appears_in_the_table(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    make_record: Callable[..., dict[str, Any]],
    kind: str,
) -> None:
    page = open_page(kind)
    assert page.model.rowCount() == 0
    assert page.count_label.text() == "0 / 0 records"
    form = page.new_record()
    assert form.isVisible() and form.mode == "add"
    data = make_record(kind)
    fill(qtbot, form, data)
    record_id = save(qtbot, form)

    assert not form.isVisible()
    assert page.model.rowCount() == 1
    assert page.selected_ids() == [record_id]
    assert titles(page.model) == [data["title"]]
    assert page.count_label.text() == "1 / 1 records"
    saved = stored(database, kind, record_id)
    for name, value in data.items():
        expected = as_date(value)
        assert saved[name] == expected, name
    assert saved["status"] == "draft"
    # A criterion assessment saves without a funding source or cost, a cluster without a cost.
    assert kind_spec(kind).retired_fields.isdisjoint(saved)


def test_codes_show_as_their_names_in_the_language(
    open_page: Callable[[str], RecordsPage],
    database: Database,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    store(database, "media", make_record("media"))
    model = open_page("media").model
    model.set_hidden("language", False)  # not a default column of the list
    assert model.data(model.index(0, model.column_of("media_type"))) == "Radio programme"
    assert model.data(model.index(0, model.column_of("quantity_unit"))) == "Programmes"
    assert model.data(model.index(0, model.column_of("language"))) == "Bru - Vân Kiều"
    assert model.data(model.index(0, model.column_of("quantity"))) == "12"
    vietnamese = RecordTableModel(database, "media", model._catalog, language="vi")
    assert vietnamese.data(vietnamese.index(0, model.column_of("media_type"))) == (
        "Chương trình phát thanh"
    )


def test_criterion_and_funding_tables_show_derived_columns(
    open_page: Callable[[str], RecordsPage],
    database: Database,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    store(
        database,
        "criterion",
        make_record("criterion", indicators={"8.1": True, "8.2": True, "8.3": False, "8.4": True}),
    )
    model = open_page("criterion").model
    assert model.data(model.index(0, model.column_of("met"))) == "No"
    assert model.data(model.index(0, model.column_of("indicators"))) == "3/4"
    assert model.data(model.index(0, model.column_of("year"))) == "2024"
    store(database, "funding", make_record("funding"))
    funding = open_page("funding").model
    assert funding.data(funding.index(0, funding.column_of("disbursement_rate"))) == "60,0%"
    assert funding.data(funding.index(0, funding.column_of("plan_amount"))) == "1.000.000.000 ₫"


# --- validation --------------------------------------------------------------------------------
def test_more_women_than_participants_is_shown_under_the_field_and_nothing_is_saved(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    context: AppContext,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    page = open_page("training")
    form = page.new_record()
    fill(qtbot, form, make_record("training", participants=50, participants_female=60))
    press_save_and_wait(qtbot, form, context)

    assert form.isVisible()
    label = form.error_labels["participants_female"]
    assert label.isVisible()
    assert label.text() == "of which women (60) is more than participant-times (50)."
    assert form.editors["participants_female"].property("invalid") is True
    assert not form.error_labels["participants"].isVisible()
    assert not form.error_labels[""].isVisible()
    assert count(database, "training") == 0
    assert page.model.rowCount() == 0

    # Corrected, it saves and the message goes away.
    form.editors["participants_female"].set_number(20)  # type: ignore[attr-defined]
    save(qtbot, form)
    assert count(database, "training") == 1


def test_an_end_date_before_the_start_is_shown_under_the_end_date(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    context: AppContext,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    form = open_page("event").new_record()
    fill(qtbot, form, make_record("event", start_date="2024-05-10", end_date="2024-05-01"))
    press_save_and_wait(qtbot, form, context)
    assert form.error_labels["end_date"].isVisible()
    assert form.error_labels["end_date"].text() == "The end date is before the start date."
    assert form.editors["end_date"].property("invalid") is True
    assert count(database, "event") == 0


def test_every_missing_required_field_is_named(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    context: AppContext,
) -> None:
    form = open_page("radio").new_record()
    press_save_and_wait(qtbot, form, context)
    for field in (
        "program",
        "title",
        "places",
        "funding_source",
        "technology",
        "hamlets",
        "hamlets_covered",
    ):
        assert form.error_labels[field].isVisible(), field
    assert form.error_labels["title"].text() == "Fill in this field."
    assert form.error_labels["places"].text() == "Choose at least one commune."
    assert form.editors["places"].search_box.property("invalid") is True  # type: ignore[attr-defined]
    assert count(database, "radio") == 0


def test_a_legacy_commune_for_an_activity_after_the_reorganisation_is_refused(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    context: AppContext,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    form = open_page("training").new_record()
    fill(
        qtbot,
        form,
        make_record(
            "training",
            start_date="2025-08-01",
            end_date="2025-08-02",
            program="GNBV21.DA6.TDA1.ND1",
            places=[OLD_TAN_THANH],
        ),
    )
    press_save_and_wait(qtbot, form, context)
    assert form.error_labels["places"].text().startswith("Xã Tân Thành ceased to exist")
    assert count(database, "training") == 0


# --- duplicates --------------------------------------------------------------------------------
def test_a_likely_duplicate_asks_and_saves_only_on_yes(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    context: AppContext,
    questions: Questions,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    store(database, "training", make_record("training"))
    page = open_page("training")
    form = page.new_record()
    fill(qtbot, form, make_record("training"))

    questions.answer = QMessageBox.StandardButton.No
    press_save_and_wait(qtbot, form, context)
    assert questions.asked == ["A record with the same title, start date and place already exists."]
    assert form.isVisible()
    assert count(database, "training") == 1

    questions.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(form.saved, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert len(questions.asked) == 2
    assert count(database, "training") == 2
    assert page.model.rowCount() == 2


# --- edit, duplicate as new, delete ------------------------------------------------------------
def test_editing_a_record_changes_its_row(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    [record_id] = store(database, "device", make_record("device"))
    page = open_page("device")
    assert page.select_record(record_id)
    form = page.edit_record()
    assert form is not None and form.mode == "edit"
    assert form.editors["title"].text() == "Hỗ trợ ti vi cho hộ nghèo"  # type: ignore[attr-defined]
    assert form.editors["quantity"].number() == 100  # type: ignore[attr-defined]
    assert form.editors["places"].codes() == ["old:45"]  # type: ignore[attr-defined]
    form.editors["title"].setText("Hỗ trợ ti vi cho hộ cận nghèo")  # type: ignore[attr-defined]
    fill(qtbot, form, {"quantity": 120, "beneficiary_group": "near_poor"})
    assert save(qtbot, form) == record_id

    model = page.model
    assert model.rowCount() == 1
    assert titles(model) == ["Hỗ trợ ti vi cho hộ cận nghèo"]
    assert model.data(model.index(0, model.column_of("quantity"))) == "120"
    model.set_hidden("beneficiary_group", False)  # not a default column of the list
    assert model.data(model.index(0, model.column_of("beneficiary_group"))) == (
        "Near-poor households"
    )
    assert stored(database, "device", record_id)["updated_by"] == "tester"


def test_changing_the_year_of_a_plan_moves_its_dates(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    [record_id] = store(database, "funding", make_record("funding"))
    page = open_page("funding")
    page.select_record(record_id)
    form = page.edit_record()
    assert form is not None
    assert (form.values()["start_date"], form.values()["end_date"]) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
    )
    fill(qtbot, form, {"year": 2025, "as_of": "2025-06-30"})
    assert (form.values()["start_date"], form.values()["end_date"]) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    save(qtbot, form)
    assert stored(database, "funding", record_id)["year"] == 2025


def test_enter_on_a_row_opens_it_for_editing(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    [record_id] = store(database, "radio", make_record("radio"))
    page = open_page("radio")
    page.select_record(record_id)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert page.form is not None
    assert page.form.mode == "edit" and page.form.record_id == record_id
    assert page.form.editors["hamlets_covered"].number() == 8  # type: ignore[attr-defined]


def test_duplicate_as_new_opens_a_filled_form_that_saves_a_second_record(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    questions: Questions,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    [record_id] = store(database, "event", make_record("event", status="confirmed"))
    page = open_page("event")
    page.select_record(record_id)
    page.duplicate_action.trigger()
    form = page.form
    assert form is not None and form.mode == "duplicate"
    assert form.windowTitle().startswith("Duplicate as new record")
    values = form.values()
    assert values["title"] == "Đối thoại chính sách giảm nghèo"
    assert values["participants"] == 80 and values["places"] == [LAO_BAO]
    assert values["status"] == "draft"  # a copy starts as a draft
    fill(qtbot, form, {"start_date": "2024-06-10"})
    assert form.values()["end_date"] == date(2024, 6, 10)  # the end moved with the start
    new_id = save(qtbot, form)
    assert new_id != record_id
    assert questions.asked == []  # another start date: not a duplicate
    assert count(database, "event") == 2
    assert stored(database, "event", new_id)["participants"] == 80


def test_delete_asks_and_removes_the_record(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    context: AppContext,
    questions: Questions,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    ids = store(
        database,
        "cluster",
        make_record("cluster"),
        make_record(
            "cluster",
            title="Cụm thông tin cơ sở xã Hướng Phùng",
            cluster_type="grassroots",
            places=[HUONG_PHUNG],
        ),
    )
    page = open_page("cluster")
    page.select_record(ids[0])
    page.view.setFocus()

    questions.answer = QMessageBox.StandardButton.No
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert context.lane.wait_idle()
    assert questions.asked == [
        "Delete the record “Cụm thông tin điện tử công cộng cửa khẩu Lao Bảo”?"
    ]
    assert count(database, "cluster") == 2

    questions.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(page.records_changed, timeout=10_000):
        qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert count(database, "cluster") == 1
    assert titles(page.model) == ["Cụm thông tin cơ sở xã Hướng Phùng"]
    assert page.count_label.text() == "1 / 1 records"


def test_editing_a_record_deleted_meanwhile_says_so(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    questions: Questions,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    [record_id] = store(database, "device", make_record("device"))
    page = open_page("device")
    page.select_record(record_id)
    with database.session() as session:  # another window deletes it
        delete_record(session, "device", record_id)
    assert page.edit_record() is None
    assert questions.asked == [f"no device record with id {record_id}"]
    assert page.model.rowCount() == 0


def test_delete_of_several_selected_records(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    questions: Questions,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    store(database, "media", *[make_record("media", title=f"Bản tin số {n}") for n in range(5)])
    page = open_page("media")
    page.view.selectAll()
    with qtbot.waitSignal(page.records_changed, timeout=10_000):
        page.delete_action.trigger()
    assert questions.asked == ["Delete the 5 selected records?"]
    assert count(database, "media") == 0
    assert page.model.rowCount() == 0


# --- search and filters ------------------------------------------------------------------------
@pytest.fixture
def trainings(database: Database, make_record: Callable[..., dict[str, Any]]) -> list[int]:
    """Five classes in different places, periods, programs and statuses."""
    return store(
        database,
        "training",
        make_record(
            "training",
            title="Tập huấn kỹ năng số cho cán bộ xã",
            start_date="2025-08-12",
            end_date="2025-08-13",
            places=[LAO_BAO],
            status="confirmed",
        ),
        make_record(
            "training",
            title="Ánh sáng tri thức",
            start_date="2024-03-05",
            end_date="2024-03-05",
            places=[OLD_TAN_THANH],
        ),
        make_record(
            "training",
            title="Bình dân học vụ số",
            start_date="2026-02-01",
            end_date="2026-02-02",
            program="MTQG26.TT.DT",
            places=[HUONG_PHUNG],
        ),
        make_record(
            "training",
            title="Đức tin và truyền thông cơ sở",
            start_date="2024-09-10",
            end_date="2024-09-11",
            places=[OLD_HUONG_PHUNG],
            status="confirmed",
        ),
        make_record(
            "training",
            title="Dân vận khéo",
            start_date="2024-05-02",
            end_date="2024-05-03",
            program="DTTS21.DA10.TDA1.ND2",
            places=[LAO_BAO],
        ),
    )


def count_text(page: RecordsPage, query: RecordQuery, catalog: Catalog, database: Database) -> str:
    shown = count(database, page.kind, query, catalog)
    total = count(database, page.kind)
    return f"{format_number(shown)} / {format_number(total)} records"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("lao bao", {"Tập huấn kỹ năng số cho cán bộ xã", "Dân vận khéo"}),
        ("duc", {"Đức tin và truyền thông cơ sở"}),
        ("huong phung", {"Bình dân học vụ số", "Đức tin và truyền thông cơ sở"}),
        ("MTQG26", {"Bình dân học vụ số"}),
    ],
)
def test_search_narrows_the_table(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    trainings: list[int],
    typed: str,
    expected: set[str],
) -> None:
    page = open_page("training")
    assert page.model.rowCount() == 5
    qtbot.keyClicks(page.search_box, typed)
    qtbot.waitUntil(lambda: page.model.rowCount() == len(expected))
    assert set(titles(page.model)) == expected
    assert page.count_label.text() == f"{len(expected)} / 5 records"
    page.search_box.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)


def test_ctrl_f_focuses_the_search_box(
    qtbot: QtBot, open_page: Callable[[str], RecordsPage], trainings: list[int]
) -> None:
    page = open_page("training")
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_box.hasFocus()


def test_ctrl_n_opens_a_new_record(
    qtbot: QtBot, open_page: Callable[[str], RecordsPage], trainings: list[int]
) -> None:
    page = open_page("training")
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.form is not None and page.form.mode == "add"


def test_each_filter_narrows_the_table_and_the_count_matches_the_core(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    trainings: list[int],
    database: Database,
    catalog: Catalog,
) -> None:
    page = open_page("training")
    model = page.model

    page.year_box.setCurrentIndex(page.year_box.findData(2024))
    query = RecordQuery(period=parse_period("2024"))
    assert set(titles(model)) == {
        "Ánh sáng tri thức",
        "Đức tin và truyền thông cơ sở",
        "Dân vận khéo",
    }
    assert page.count_label.text() == count_text(page, query, catalog, database) == "3 / 5 records"
    page.part_box.setCurrentIndex(page.part_box.findData("H1"))
    assert set(titles(model)) == {"Ánh sáng tri thức", "Dân vận khéo"}
    page.part_box.setCurrentIndex(page.part_box.findData("Q1"))
    assert titles(model) == ["Ánh sáng tri thức"]
    assert page.period_code() == "2024-Q1"
    page.clear_filters()
    assert model.rowCount() == 5 and page.count_label.text() == "5 / 5 records"

    page.program_box.setCurrentIndex(page.program_box.findData("GNBV21"))
    query = RecordQuery(program="GNBV21")
    assert model.rowCount() == 3
    assert page.count_label.text() == count_text(page, query, catalog, database)
    page.program_box.setCurrentIndex(page.program_box.findData("MTQG26.TT"))
    assert titles(model) == ["Bình dân học vụ số"]
    page.clear_filters()

    # A current commune also finds the legacy communes merged into it.
    page.place_picker.choose(LAO_BAO)
    query = RecordQuery(place=LAO_BAO)
    assert set(titles(model)) == {
        "Tập huấn kỹ năng số cho cán bộ xã",
        "Dân vận khéo",
        "Ánh sáng tri thức",
    }
    assert page.count_label.text() == count_text(page, query, catalog, database)
    page.clear_filters()
    assert page.place_picker.codes() == []

    page.status_box.setCurrentIndex(page.status_box.findData("confirmed"))
    query = RecordQuery(status="confirmed")
    assert set(titles(model)) == {
        "Tập huấn kỹ năng số cho cán bộ xã",
        "Đức tin và truyền thông cơ sở",
    }
    assert page.count_label.text() == count_text(page, query, catalog, database)

    # Filters combine.
    page.year_box.setCurrentIndex(page.year_box.findData(2025))
    assert titles(model) == ["Tập huấn kỹ năng số cho cán bộ xã"]
    assert page.count_label.text() == "1 / 5 records"
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 5
    assert not page.clear_button.isEnabled()


def test_the_commune_filter_is_found_by_typing(
    qtbot: QtBot, open_page: Callable[[str], RecordsPage], trainings: list[int]
) -> None:
    page = open_page("training")
    picker = page.place_picker
    picker.search_box.setFocus()
    qtbot.keyClicks(picker.search_box, "huong phung")
    assert picker.suggestions()[0] == "Xã Hướng Phùng"
    qtbot.keyClick(picker.completer.popup(), Qt.Key.Key_Return)
    assert picker.codes() == [HUONG_PHUNG]
    assert picker.search_box.text() == "Xã Hướng Phùng"
    # The current commune finds the records of the legacy commune of the same name too.
    assert set(titles(page.model)) == {"Bình dân học vụ số", "Đức tin và truyền thông cơ sở"}


def test_emptying_the_commune_filter_shows_every_commune_again(
    open_page: Callable[[str], RecordsPage], trainings: list[int]
) -> None:
    page = open_page("training")
    page.place_picker.choose(LAO_BAO)
    assert page.model.rowCount() == 3
    page.place_picker.search_box.clear()  # what its clear button does
    assert page.place_picker.codes() == []
    assert page.model.rowCount() == 5


def test_dashboard_click_through_applies_its_params(
    open_page: Callable[[str], RecordsPage],
    trainings: list[int],
    catalog: Catalog,
) -> None:
    page = open_page("training")
    page.search_box.setText("something typed before")
    page.apply_params({"period": "2024-H2", "status": "confirmed"})
    assert titles(page.model) == ["Đức tin và truyền thông cơ sở"]
    assert page.search_box.text() == ""
    assert page.year_box.currentData() == 2024 and page.part_box.currentData() == "H2"
    assert page.status_box.currentData() == "confirmed"

    page.apply_params({"ids": trainings[:2], "program": "GNBV21"})
    assert set(titles(page.model)) == {"Tập huấn kỹ năng số cho cán bộ xã", "Ánh sáng tri thức"}
    assert page.year_box.currentData() is None
    assert not page._ids_label.isHidden()
    assert page.count_label.text() == "2 / 5 records"

    page.apply_params({"place": LAO_BAO, "search": "dan van"})
    assert titles(page.model) == ["Dân vận khéo"]
    page.clear_filters()
    assert page.model.rowCount() == 5 and page._ids_label.isHidden()


def test_clicking_a_header_sorts_in_vietnamese_order(
    qtbot: QtBot, open_page: Callable[[str], RecordsPage], trainings: list[int]
) -> None:
    page = open_page("training")
    assert titles(page.model)[0] == "Bình dân học vụ số"  # newest first
    page.view.sortByColumn(page.model.column_of("title"), Qt.SortOrder.AscendingOrder)
    assert titles(page.model) == [
        "Ánh sáng tri thức",
        "Bình dân học vụ số",
        "Dân vận khéo",
        "Đức tin và truyền thông cơ sở",
        "Tập huấn kỹ năng số cho cán bộ xã",
    ]


# --- columns -----------------------------------------------------------------------------------
def test_columns_can_be_hidden_and_shown_and_are_remembered(
    open_page: Callable[[str], RecordsPage], trainings: list[int]
) -> None:
    page = open_page("training")
    header = page.view.horizontalHeader()
    days = page.model.column_of("days")
    unit = page.model.column_of("implementing_unit")
    assert page.column_shown("days") and not header.isSectionHidden(days)
    assert not page.column_shown("implementing_unit")

    page.columns_menu.aboutToShow.emit()
    actions = {action.data(): action for action in page.columns_menu.actions() if action.data()}
    assert actions["days"].isChecked() and not actions["implementing_unit"].isChecked()
    assert not actions["title"].isEnabled()
    actions["days"].trigger()
    actions["implementing_unit"].trigger()
    assert header.isSectionHidden(days) and not header.isSectionHidden(unit)
    assert page.model.data(page.model.index(0, unit)) == "Trung tâm Văn hóa tỉnh"
    page.save_settings()

    again = open_page("training")
    assert not again.column_shown("days") and again.column_shown("implementing_unit")
    again.reset_columns()
    assert again.column_shown("days") and not again.column_shown("implementing_unit")
    other_kind = open_page("event")
    assert other_kind.column_shown("participants")


def test_the_form_is_walked_with_tab_in_the_order_it_is_read(
    qtbot: QtBot, open_page: Callable[[str], RecordsPage]
) -> None:
    form = open_page("training").new_record()
    editors = form.editors
    expected = [
        editors["title"],
        editors["program"],
        editors["start_date"],
        editors["end_date"],
        editors["places"].search_box,  # type: ignore[attr-defined]
        editors["implementing_unit"],
        editors["funding_source"],
        editors["cost"],
        editors["classes"],  # the record's status is in the footer, last before Save
        editors["days"],
    ]
    editors["title"].setFocus()
    walked = [form.focusWidget()]
    for _ in expected[1:]:
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
        focused = form.focusWidget()
        # Spin and date boxes pass the focus to the line inside them.
        walked.append(
            focused.parentWidget()
            if isinstance(focused.parentWidget(), (CountEdit, DateEdit))
            else focused
        )
    assert walked == expected


def test_enter_in_the_commune_box_chooses_and_does_not_save(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    context: AppContext,
) -> None:
    form = open_page("radio").new_record()
    picker = form.editors["places"]
    assert isinstance(picker, CommunePicker)
    picker.search_box.setFocus()
    qtbot.keyClicks(picker.search_box, "lao bao")
    qtbot.keyClick(picker.search_box, Qt.Key.Key_Return)
    assert picker.codes() == [LAO_BAO]
    assert context.lane.wait_idle()
    assert form.isVisible() and not form.error_labels["title"].isVisible()
    assert count(database, "radio") == 0


# --- the commune picker ------------------------------------------------------------------------
def test_commune_picker_finds_communes_without_diacritics(qtbot: QtBot, catalog: Catalog) -> None:
    picker = CommunePicker(catalog, PROVINCE, multiple=True)
    qtbot.addWidget(picker)
    assert [u.name for u in picker.candidates("huong phung")] == ["Xã Hướng Phùng"]
    assert [u.code for u in picker.candidates("lao bao")] == [LAO_BAO]
    assert [u.code for u in picker.candidates("LAO BẢO")] == [LAO_BAO]
    assert picker.candidates("xa lao") and picker.candidates("xa lao")[0].code == LAO_BAO
    assert picker.candidates("no such commune") == []
    picker.show()
    picker.search_box.setFocus()
    qtbot.keyClicks(picker.search_box, "lao bao")
    assert picker.suggestions() == ["Xã Lao Bảo"]
    qtbot.keyClick(picker.search_box, Qt.Key.Key_Return)
    qtbot.keyClicks(picker.search_box, "huong phung")
    qtbot.keyClick(picker.search_box, Qt.Key.Key_Return)
    assert picker.codes() == [LAO_BAO, HUONG_PHUNG]
    assert picker.chip_texts() == ["Xã Lao Bảo", "Xã Hướng Phùng"]
    assert picker.search_box.text() == ""
    qtbot.keyClick(picker.search_box, Qt.Key.Key_Backspace)
    assert picker.codes() == [LAO_BAO]


def test_commune_picker_offers_legacy_communes_only_for_old_dates(
    qtbot: QtBot, open_page: Callable[[str], RecordsPage]
) -> None:
    form = open_page("training").new_record()
    picker = form.editors["places"]
    assert isinstance(picker, CommunePicker)
    form.editors["start_date"].set_day(date(2024, 3, 5))  # type: ignore[attr-defined]
    found = picker.candidates("huong phung")
    assert [u.code for u in found] == [HUONG_PHUNG, OLD_HUONG_PHUNG]
    assert picker.display_name(OLD_HUONG_PHUNG) == (
        "Xã Hướng Phùng, Huyện Hướng Hóa (before 01/07/2025)"
    )
    assert [u.code for u in picker.candidates("tan thanh")].count(OLD_TAN_THANH) == 1

    form.editors["start_date"].set_day(date(2025, 7, 1))  # type: ignore[attr-defined]
    assert [u.code for u in picker.candidates("huong phung")] == [HUONG_PHUNG]
    assert OLD_TAN_THANH not in [u.code for u in picker.candidates("tan thanh")]
    assert all(not unit.legacy for unit in picker.candidates("xa"))


def test_places_of_a_one_commune_kind_are_a_single_choice(
    qtbot: QtBot, open_page: Callable[[str], RecordsPage]
) -> None:
    form = open_page("radio").new_record()
    picker = form.editors["places"]
    assert isinstance(picker, CommunePicker)
    picker.choose(LAO_BAO)
    picker.choose(HUONG_PHUNG)
    assert picker.codes() == [HUONG_PHUNG]
    assert picker.search_box.text() == "Xã Hướng Phùng"
    assert PROVINCE not in [u.code for u in picker.candidates("quang tri")]


# --- the program picker ------------------------------------------------------------------------
def test_program_picker_shows_only_nodes_valid_on_the_dates(qtbot: QtBot, catalog: Catalog) -> None:
    picker = ProgramPicker(catalog)
    qtbot.addWidget(picker)
    picker.set_dates(date(2024, 3, 5), date(2024, 3, 7))
    offered = picker.visible_codes()
    assert "GNBV21.DA6.TDA1.ND1" in offered and "NTM21.TC8" in offered
    assert not [code for code in offered if code.startswith(("MTQG26", "GNBV16"))]
    picker.set_dates(date(2026, 2, 1), None)
    offered = picker.visible_codes()
    assert offered and all(code.startswith("MTQG26") for code in offered)
    assert "MTQG26.TT.DT" in offered


def test_program_picker_follows_the_form_dates_and_chooses_from_its_tree(
    qtbot: QtBot, open_page: Callable[[str], RecordsPage]
) -> None:
    form = open_page("training").new_record()
    picker = form.editors["program"]
    assert isinstance(picker, ProgramPicker)
    form.editors["start_date"].set_day(date(2024, 3, 5))  # type: ignore[attr-defined]
    assert "GNBV21.DA6.TDA1.ND1" in picker.visible_codes()
    assert "MTQG26.TT.DT" not in picker.visible_codes()

    picker.setFocus()
    qtbot.keyClick(picker, Qt.Key.Key_F4)
    assert picker.popup_visible()
    item = picker._find_item("GNBV21.DA6.TDA1.ND1")
    assert item is not None
    picker.tree.setCurrentItem(item)
    qtbot.keyClick(picker.tree, Qt.Key.Key_Return)
    assert not picker.popup_visible()
    assert picker.code() == "GNBV21.DA6.TDA1.ND1"
    assert picker.currentText().startswith("GNBV21.DA6.TDA1.ND1 — ")

    form.editors["start_date"].set_day(date(2026, 2, 1))  # type: ignore[attr-defined]
    assert picker.visible_codes()[0] == "MTQG26"
    assert picker.code() == "GNBV21.DA6.TDA1.ND1"  # kept; the core will say why it cannot be
    assert not picker.is_valid_choice()
    assert "not valid on these dates" in picker.currentText()


# --- the other editors -------------------------------------------------------------------------
def test_money_is_typed_with_thousands_separators(qtbot: QtBot) -> None:
    money = MoneyEdit()
    qtbot.addWidget(money)
    qtbot.keyClicks(money, "1234567")
    assert money.text() == "1.234.567"
    assert money.value() == 1_234_567
    qtbot.keyClicks(money, "a-,")
    assert money.value() == 1_234_567
    money.clear()
    assert money.value() is None
    money.setValue(45_000_000)
    assert money.text() == "45.000.000"


def test_counts_may_stay_empty_and_years_are_not_grouped(qtbot: QtBot) -> None:
    count_edit = CountEdit(0, 10_000_000)
    qtbot.addWidget(count_edit)
    assert count_edit.number() is None and count_edit.text() == ""
    qtbot.keyClicks(count_edit, "1250")
    assert count_edit.number() == 1250 and count_edit.text() == "1.250"
    count_edit.lineEdit().selectAll()
    qtbot.keyClick(count_edit, Qt.Key.Key_Delete)
    assert count_edit.number() is None
    qtbot.keyClick(count_edit, Qt.Key.Key_Up)
    assert count_edit.number() == 0
    year = CountEdit(2016, 2035, grouped=False)
    year.set_number(2024)
    assert year.text() == "2024"


def test_an_optional_date_can_be_emptied_and_typed(qtbot: QtBot) -> None:
    day = DateEdit(optional=True)
    qtbot.addWidget(day)
    assert day.day() is None
    assert day.displayFormat() == "dd/MM/yyyy" and day.calendarPopup()
    day.set_reference_date(date(2024, 3, 1))
    day.setFocus()
    qtbot.keyClicks(day, "15062024")
    assert day.day() == date(2024, 6, 15)
    assert day.text() == "15/06/2024"
    day.selectAll()
    qtbot.keyClick(day, Qt.Key.Key_Delete)
    assert day.day() is None
    required = DateEdit()
    assert required.day() == date.today()


def test_criterion_indicators_follow_the_set(open_page: Callable[[str], RecordsPage]) -> None:
    form = open_page("criterion").new_record()
    indicators = form.editors["indicators"]
    assert isinstance(indicators, IndicatorChecks)
    assert indicators.boxes == {}
    combo = form.editors["criterion_set"]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("QD318_TC8"))
    assert list(indicators.boxes) == ["8.1", "8.2", "8.3", "8.4"]
    indicators.boxes["8.2"].setChecked(True)
    assert form.values()["indicators"] == {"8.1": False, "8.2": True, "8.3": False, "8.4": False}


def test_the_disbursement_rate_is_shown_as_amounts_are_typed(
    qtbot: QtBot, open_page: Callable[[str], RecordsPage]
) -> None:
    form = open_page("funding").new_record()
    fill(qtbot, form, {"plan_amount": 1_000_000_000, "disbursed_amount": 600_000_000})
    assert form.findChild(type(form.error_labels[""]), "disbursement_rate").text() == "60,0%"


# --- evidence ----------------------------------------------------------------------------------
def test_evidence_is_attached_stored_opened_and_removed(
    qtbot: QtBot,
    open_page: Callable[[str], RecordsPage],
    database: Database,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    photo = tmp_path / "danh-sach-hoc-vien.pdf"
    photo.write_bytes(b"%PDF-1.4 attendance list")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args, **kwargs: ([str(photo)], ""))
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)

    page = open_page("training")
    form = page.new_record()
    fill(qtbot, form, make_record("training"))
    evidence = form.editors["evidence"]
    assert isinstance(evidence, EvidenceList)
    qtbot.mouseClick(evidence.attach_button, Qt.MouseButton.LeftButton)
    assert evidence.names() == ["danh-sach-hoc-vien.pdf"]
    record_id = save(qtbot, form)

    [link] = stored(database, "training", record_id)["evidence"]
    assert link["name"] == "danh-sach-hoc-vien.pdf"
    assert context.evidence.path_of(link["sha256"]).read_bytes() == photo.read_bytes()

    page.select_record(record_id)
    form = page.edit_record()
    assert form is not None
    evidence = form.editors["evidence"]
    assert isinstance(evidence, EvidenceList)
    assert evidence.names() == ["danh-sach-hoc-vien.pdf"]
    evidence.files.setCurrentRow(0)
    qtbot.mouseClick(evidence.open_button, Qt.MouseButton.LeftButton)
    [url] = opened
    assert Path(url.toLocalFile()).name == "danh-sach-hoc-vien.pdf"
    assert Path(url.toLocalFile()).read_bytes() == photo.read_bytes()

    qtbot.mouseClick(evidence.remove_button, Qt.MouseButton.LeftButton)
    assert evidence.names() == []
    save(qtbot, form)
    assert stored(database, "training", record_id)["evidence"] == []


# --- the model ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KIND_CODES)
def test_the_model_of_every_kind_passes_the_model_tester(
    qtmodeltester: Any,
    database: Database,
    catalog: Catalog,
    kind: str,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    base = make_record(kind)
    store(database, kind, *[{**base, "title": f"{base['title']} {n}"} for n in range(130)])
    model = RecordTableModel(database, kind, catalog)
    assert model.rowCount() == 130
    assert {f.name for f in model.fields} >= set(kind_spec(kind).field_names) - {"evidence"}
    qtmodeltester.check(model)
    model.set_search("1")
    qtmodeltester.check(model)
    model.set_filters(status="draft", place=base["places"][0])
    qtmodeltester.check(model)
    model.set_hidden(model.fields[1].name, True)
    qtmodeltester.check(model)


def test_the_model_pages_and_finds_the_row_of_a_record(
    database: Database, catalog: Catalog, make_record: Callable[..., dict[str, Any]]
) -> None:
    ids = store(
        database, "event", *[make_record("event", title=f"Hội nghị {n:03d}") for n in range(250)]
    )
    model = RecordTableModel(database, "event", catalog)
    model.sort(model.column_of("title"), Qt.SortOrder.AscendingOrder)
    assert model.record_id(249) == ids[249]
    assert model.row_of(ids[180]) == 180
    model.set_filters(ids=ids[:3])
    assert model.rowCount() == 3 and model.total_count == 250
    assert model.row_of(ids[180]) is None


def test_counts_of_a_record_added_elsewhere_show_after_refresh(
    open_page: Callable[[str], RecordsPage],
    database: Database,
    make_record: Callable[..., dict[str, Any]],
) -> None:
    page = open_page("funding")
    assert page.model.rowCount() == 0
    with database.session() as session:
        add_record(
            session, record_context(session, database.path), "funding", make_record("funding")
        )
    page.refresh()
    assert page.model.rowCount() == 1
    assert page.count_label.text() == "1 / 1 records"


def test_print_and_export_save_what_the_table_shows(qtbot, tmp_path, database, make_record):
    """The list report and the Excel sheet hold the filtered rows and the visible columns."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.services.profile import current_profile
    from ctmt_desktop.services.records import add_records, record_context
    from ui.context import AppContext
    from ui.db_lane import DbLane
    from ui.records_page import RecordsPage

    with database.session() as session:
        context = record_context(session, database.path)
        add_records(
            session,
            context,
            "training",
            [
                make_record("training", title="Lớp Hướng Phùng"),
                make_record(
                    "training", title="Lớp Đông Hà khác", start_date="2024-04-02", end_date=None
                ),
            ],
        )
        profile = current_profile(session)
    lane = DbLane(database)
    try:
        app_context = AppContext(
            database, lane, load_catalog(), profile.province_code, profile.name
        )
        page = RecordsPage(app_context, "training")
        qtbot.addWidget(page)
        page.apply_params({"search": "huong phung"})
        page.set_column_shown("cost", False)
        pdf, xlsx = tmp_path / "ds.pdf", tmp_path / "ds.xlsx"
        for fmt, path in (("pdf", pdf), ("xlsx", xlsx)):
            with qtbot.waitSignal(page.list_saved, timeout=20_000):
                page.export_list(fmt, path)
        text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
        assert "Lớp Hướng Phùng" in text and "Đông Hà khác" not in text
        workbook = load_workbook(xlsx, read_only=True)
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            cells = [str(c) for row in rows for c in row if c]
        finally:
            workbook.close()
        assert "Lớp Hướng Phùng" in cells and "Lớp Đông Hà khác" not in cells
        assert not any("Kinh phí" in c for c in cells)  # the hidden column stays out
    finally:
        lane.shutdown()


# --- the lists at 1366 px (issue 13) ------------------------------------------------------------
#: The figures each kind's list must show without scrolling sideways.
KEY_COLUMNS = {
    "training": ("title", "start_date", "places", "participants", "cost", "status"),
    "event": ("title", "start_date", "places", "participants", "cost", "status"),
    "media": ("title", "start_date", "quantity", "quantity_unit", "cost", "status"),
    "cluster": ("title", "places", "cluster_status", "investment", "status"),
    "radio": ("title", "places", "loudspeaker_clusters", "hamlets_covered", "cost", "status"),
    "device": ("title", "start_date", "places", "quantity", "cost", "status"),
    "criterion": ("title", "places", "year", "met", "indicators", "status"),
    "funding": ("title", "year", "plan_amount", "disbursed_amount", "disbursement_rate",
                "status"),
}  # fmt: skip
LONG_TITLE = (
    "Lớp bồi dưỡng nghiệp vụ thông tin cơ sở cho cán bộ văn hóa - xã hội các xã biên giới "
    "và vùng đồng bào dân tộc thiểu số năm 2025"
)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("kind", KIND_CODES)
def test_the_key_figures_fit_a_1366_screen_and_the_title_stretches(
    qtbot: QtBot,
    database: Database,
    lane: DbLane,
    catalog: Catalog,
    make_record: Callable[..., dict[str, Any]],
    kind: str,
    language: str,
) -> None:
    store(database, kind, make_record(kind, title=LONG_TITLE))
    context = AppContext(database, lane, catalog, PROVINCE, "Sở Văn hóa, Thể thao và Du lịch",
                         user="tester", language=language)  # fmt: skip
    page = RecordsPage(context, kind)
    qtbot.addWidget(page)
    page.resize(1366 - 325, 700)  # the window at 1366 px beside the sidebar
    page.show()
    qtbot.waitExposed(page)
    header = page.view.horizontalHeader()
    title = page.model.column_of("title")
    assert header.sectionResizeMode(title) == header.ResizeMode.Stretch
    assert page.view.horizontalScrollBar().maximum() == 0, "the table scrolls sideways"
    viewport = page.view.viewport().width()
    for name in KEY_COLUMNS[kind]:
        column = page.model.column_of(name)
        assert page.column_shown(name), name
        left = header.sectionViewportPosition(column)
        assert 0 <= left and left + header.sectionSize(column) <= viewport, name
    assert header.sectionSize(title) >= 200
    # No figure is cut: every shown value fits its column.
    metrics = page.view.fontMetrics()
    for column, field in enumerate(page.model.fields):
        text = page.model.data(page.model.index(0, column)) or ""
        if column != title and not header.isSectionHidden(column) and field.type.name in (
            "INT", "MONEY", "DATE"
        ):  # fmt: skip
            assert metrics.horizontalAdvance(text) < header.sectionSize(column), field.name
    # The elided title says it all in its tooltip.
    index = page.model.index(0, title)
    assert metrics.horizontalAdvance(LONG_TITLE) > header.sectionSize(title)
    assert page.model.data(index, Qt.ItemDataRole.ToolTipRole) == LONG_TITLE


def test_a_short_heading_has_the_whole_label_in_its_tooltip(
    open_page: Callable[[str], RecordsPage],
) -> None:
    page = open_page("training")
    column = page.model.column_of("participants")
    heading = page.model.headerData(column, Qt.Orientation.Horizontal)
    whole = page.model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert heading == "Participants"
    assert whole == kind_spec("training").field("participants").label("en")


def _arrow_points_up(page: RecordsPage, column: int) -> bool:
    """Whether the sort arrow drawn in ``column``'s heading points up (read from its pixels)."""
    header = page.view.horizontalHeader()
    image = header.grab().toImage()
    right = header.sectionViewportPosition(column) + header.sectionSize(column) - 4
    widths: list[int] = []
    for y in range(2, image.height() - 2):  # the arrow: the dark pixels at the section's end
        dark = sum(1 for x in range(right - 24, right) if image.pixelColor(x, y).lightness() < 150)
        if dark:
            widths.append(dark)
    # Under the app's stylesheet a section border adds the same few pixels to every row.
    border = min(widths, default=0)
    widths = [width - border for width in widths if width > border]
    assert len(widths) >= 2, "no sort arrow drawn"
    return widths[0] < widths[-1]


def test_the_sort_arrow_points_up_for_ascending_as_in_windows_and_excel(
    open_page: Callable[[str], RecordsPage], trainings: list[int]
) -> None:
    page = open_page("training")
    header = page.view.horizontalHeader()
    date_column = page.model.column_of("start_date")
    # At first the newest first: descending, the arrow down.
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert not _arrow_points_up(page, date_column)
    page.view.sortByColumn(date_column, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    dates = [
        stored(page.context.database, "training", page.model.record_id(row))["start_date"]
        for row in range(page.model.rowCount())
    ]
    assert dates == sorted(dates)
    assert _arrow_points_up(page, date_column)


def test_the_year_and_half_filters_read_apart(open_page: Callable[[str], RecordsPage]) -> None:
    page = open_page("training")
    assert page.year_box.itemText(0) == "Year: all"
    parts = [page.part_box.itemText(i) for i in range(page.part_box.count())]
    assert parts[:3] == ["Whole year", "First 6 months", "Last 6 months"]
    assert not set(parts) & {page.year_box.itemText(i) for i in range(page.year_box.count())}
