"""The record forms' editors as a user sees them (issue 13, item 5): long combo values end
with "…" and give the whole value as a tooltip, a legacy commune's chip keeps its whole
"(before 01/07/2025)", dates are compact date edits, the record's own status sits in the
footer apart from the fields about the activity, and the first-start dialog marks its
required fields and leaves the demo data unticked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.kinds import KIND_CODES, FieldType, kind_spec
from ui.context import AppContext
from ui.db_lane import DbLane
from ui.first_start import FirstStartDialog
from ui.i18n import install_translators, remove_translators
from ui.record_form import RecordForm
from ui.widgets import CommunePicker, DateEdit, ElidedComboBox, MoneyEdit, ProgramPicker

PROVINCE = "44"
OLD_HUONG_PHUNG = "old:19441"  # Xã Hướng Phùng before 01/07/2025
LONG_PROGRAM = "GNBV21.DA6.TDA1.ND2"


@pytest.fixture
def lane(database: Database, qtbot: QtBot) -> Iterator[DbLane]:
    lane = DbLane(database)
    yield lane
    lane.shutdown()


@pytest.fixture
def context(database: Database, lane: DbLane, catalog: Catalog) -> AppContext:
    return AppContext(database, lane, catalog, PROVINCE, "Sở Văn hóa, Thể thao và Du lịch",
                      user="tester", language="en")  # fmt: skip


@pytest.fixture
def vietnamese(qapp: QApplication) -> Iterator[None]:
    translators = install_translators(qapp, "vi")
    yield
    remove_translators(qapp, translators)


def _form(qtbot: QtBot, context: AppContext, kind: str) -> RecordForm:
    form = RecordForm(context, kind)
    qtbot.addWidget(form)
    form.resize(1180, 760)
    form.show()
    qtbot.waitExposed(form)
    # Closing at teardown may not ask "Discard changes?" (a modal box would wait forever).
    form.reject = lambda: QDialog.done(form, 0)  # type: ignore[method-assign]
    return form


def test_a_long_program_is_elided_with_the_whole_value_as_tooltip(
    qtbot: QtBot, context: AppContext, catalog: Catalog
) -> None:
    form = _form(qtbot, context, "cluster")
    picker = form.editors["program"]
    assert isinstance(picker, ProgramPicker) and isinstance(picker, ElidedComboBox)
    picker.set_code(LONG_PROGRAM)
    picker.setFixedWidth(320)
    node = catalog.program(LONG_PROGRAM)
    assert node is not None
    whole = picker.currentText()
    assert whole.startswith(f"{LONG_PROGRAM} — {node.name}")
    shown = picker.displayed_text()
    assert shown.endswith("…")
    assert whole.startswith(shown[:-1])
    assert picker.fontMetrics().horizontalAdvance(shown) < 320
    assert picker.toolTip() == whole


def test_a_long_catalog_value_is_elided_with_tooltip(qtbot: QtBot, context: AppContext) -> None:
    form = _form(qtbot, context, "cluster")
    combo = form.editors["cluster_type"]
    assert isinstance(combo, ElidedComboBox)
    combo.setCurrentIndex(combo.count() - 1)
    whole = combo.currentText()
    combo.setFixedWidth(combo.fontMetrics().horizontalAdvance(whole) // 2)
    assert combo.displayed_text().endswith("…")
    assert combo.toolTip() == whole
    combo.setFixedWidth(combo.fontMetrics().horizontalAdvance(whole) + 80)
    assert combo.displayed_text() == whole


def test_a_legacy_commune_chip_keeps_its_whole_date(
    qtbot: QtBot, catalog: Catalog, vietnamese: None
) -> None:
    picker = CommunePicker(catalog, PROVINCE, multiple=True, include_province=True, legacy=True)
    qtbot.addWidget(picker)
    picker.set_codes([OLD_HUONG_PHUNG])
    [text] = picker.chip_texts()
    assert text.endswith("(trước 01/07/2025)")
    assert text.startswith("Xã Hướn")  # a long name with its old district elides in the middle


@pytest.mark.parametrize("kind", KIND_CODES)
def test_every_date_is_a_compact_date_edit(qtbot: QtBot, context: AppContext, kind: str) -> None:
    form = _form(qtbot, context, kind)
    dates = [f.name for f in kind_spec(kind).fields if f.type is FieldType.DATE]
    assert dates
    for name in dates:
        editor = form.editors[name]
        assert isinstance(editor, DateEdit)
        assert editor.displayFormat() == "dd/MM/yyyy"
        assert editor.calendarPopup()
        assert 100 <= editor.width() <= 200  # not stretched across the column


@pytest.mark.parametrize("kind", KIND_CODES)
def test_the_record_status_is_in_the_footer_not_the_field_grid(
    qtbot: QtBot, context: AppContext, kind: str
) -> None:
    form = _form(qtbot, context, kind)
    status = form.editors["status"]
    content = form._scroll.widget()
    assert not content.isAncestorOf(status)
    label = form.findChild(QLabel, "record_status_label")
    assert label is not None and label.buddy() is status
    assert label.text() == "Record status:"


def test_first_start_marks_required_fields_and_leaves_demo_unticked(
    qtbot: QtBot, database: Database, catalog: Catalog
) -> None:
    dialog = FirstStartDialog(database, catalog, offer_demo=True)
    qtbot.addWidget(dialog)
    assert not dialog.demo_check.isChecked()
    labels = {label.buddy(): label.text() for label in dialog.findChildren(QLabel) if label.buddy()}
    assert "*" in labels[dialog.name_edit]
    assert "*" in labels[dialog.province_box]
    assert "*" not in labels[dialog.parent_body_edit]
    assert "*" not in labels[dialog.username_edit]
    hint = dialog.findChild(QLabel, "required_hint")
    assert hint is not None and "*" in hint.text()


def test_a_criterion_assessment_form_asks_no_funding_source_or_cost(
    qtbot: QtBot, context: AppContext
) -> None:
    form = _form(qtbot, context, "criterion")
    assert "funding_source" not in form.editors and "cost" not in form.editors
    for name in ("funding_source", "cost"):
        assert form.findChild(QWidget, f"field_{name}") is None
    assert not [e for e in form.editors.values() if isinstance(e, MoneyEdit)]


def test_a_cluster_form_has_one_money_field_its_investment(
    qtbot: QtBot, context: AppContext
) -> None:
    form = _form(qtbot, context, "cluster")
    money = [name for name, editor in form.editors.items() if isinstance(editor, MoneyEdit)]
    assert money == ["investment"]
    assert form.findChild(QWidget, "field_cost") is None
    assert "funding_source" in form.editors  # a cluster is still paid from a source
