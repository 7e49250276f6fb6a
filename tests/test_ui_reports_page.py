"""The Reports page: preview a report, save it, and take in a workbook after checking it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.demo import generate_demo
from ctmt_desktop.services.profile import current_profile
from ctmt_desktop.services.records import RecordQuery, count_records
from ctmt_desktop.spreadsheets.export import export_records
from ui.context import AppContext
from ui.db_lane import DbLane
from ui.reports_page import ReportsPage


@pytest.fixture
def page(qtbot, database) -> Iterator[ReportsPage]:
    generate_demo(database, records=150, seed=9)
    lane = DbLane(database)
    with database.session() as session:
        profile = current_profile(session)
    context = AppContext(database, lane, load_catalog(), profile.province_code, profile.name)
    shown = ReportsPage(context)
    qtbot.addWidget(shown)
    yield shown
    lane.shutdown()


def test_preview_shows_the_period_report(page):
    page.apply_params({"period": "2024", "report": "period"})
    page.make_preview()
    assert page.context.lane.wait_idle(60_000)
    assert page.document.pageCount() >= 2
    assert page.print_button.isEnabled()


def test_a_workbook_is_checked_then_imported(page, tmp_path: Path, database):
    sheet = tmp_path / "training.xlsx"
    with database.session() as session:
        export_records(
            session, page.context.catalog, sheet, kinds=["training"], query=RecordQuery(limit=None)
        )
        before = count_records(session, "training")
        from ctmt_desktop.db.models import Activity

        session.query(Activity).filter(Activity.kind == "training").delete()
    page.check_import(sheet)
    assert page.context.lane.wait_idle(60_000)
    assert page.import_button.isEnabled()
    with database.session() as session:
        assert count_records(session, "training") == 0  # the check wrote nothing
    page.import_button.click()
    assert page.context.lane.wait_idle(60_000)
    with database.session() as session:
        assert count_records(session, "training") == before


def test_a_bad_workbook_lists_its_problems_and_imports_nothing(
    page, tmp_path: Path, database, monkeypatch
):
    from ui import reports_page

    shown = []
    monkeypatch.setattr(reports_page, "report_error", lambda parent, error: shown.append(error))
    fake = tmp_path / "so-lieu.xlsx"
    fake.write_text("không phải Excel", encoding="utf-8")
    page.check_import(fake)
    assert page.context.lane.wait_idle(60_000)
    assert shown and "so-lieu.xlsx" in str(shown[0])
    assert not page.import_button.isEnabled()


def test_document_fields_start_from_the_profile_and_are_kept_as_defaults(page, database):
    from pypdf import PdfReader

    from ctmt_desktop.services.profile import document_settings

    assert page.signer_edit.text() == "" and page.abbreviation_edit.placeholderText() == ("SVHTTDL")
    page.apply_params({"period": "2024", "report": "period"})
    page.number_edit.setText("12")
    page.signer_edit.setText("Trần Thị Mai")
    page.signer_title_edit.setText("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC")
    page.recipients_edit.setPlainText("UBND tỉnh Quảng Trị (để báo cáo)\n\nLưu: VT, KHTC")
    page.make_preview()
    assert page.context.lane.wait_idle(60_000)
    texts = [" ".join(p.extract_text().split()) for p in PdfReader(page._last_pdf).pages]
    signed = next(text for text in texts if "Nơi nhận:" in text)
    assert "Số: 12/BC-SVHTTDL" in texts[0]
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in signed and "Trần Thị Mai" in signed
    assert "- UBND tỉnh Quảng Trị (để báo cáo); - Lưu: VT, KHTC." in signed
    with database.session() as session:
        assert document_settings(current_profile(session)).signer == ""  # one report only
    page.defaults_button.click()
    assert page.context.lane.wait_idle(60_000)
    with database.session() as session:
        kept = document_settings(current_profile(session))
    assert kept.signer == "Trần Thị Mai"
    assert kept.signer_title == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    assert kept.recipients == ("UBND tỉnh Quảng Trị (để báo cáo)", "Lưu: VT, KHTC")
    again = ReportsPage(page.context)
    assert again.signer_title_edit.text() == "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    assert again.recipients_edit.toPlainText() == "UBND tỉnh Quảng Trị (để báo cáo)\nLưu: VT, KHTC"
    again.deleteLater()


def test_the_criterion_report_is_saved_as_a_workbook(page, tmp_path: Path, monkeypatch):
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "tieu-chi.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.apply_params({"period": "2024", "report": "excel_criterion"})
    assert not page.make_button.isEnabled()  # a workbook has no preview
    page.save_button.click()
    assert page.context.lane.wait_idle(60_000)
    assert load_workbook(target).sheetnames == ["Báo cáo", "Biểu 1"]


def test_the_preview_fits_the_width_by_default_and_zooms_by_steps(page, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtPdfWidgets import QPdfView

    page.resize(1300, 760)
    page.show()
    qtbot.waitExposed(page)
    assert page.preview.zoomMode() == QPdfView.ZoomMode.FitToWidth
    page.apply_params({"period": "2024", "report": "period"})
    page.make_preview()
    assert page.context.lane.wait_idle(60_000)
    # Shown, the report takes the page's width: the form steps aside until asked back.
    assert not page._left.isVisible()
    assert page.preview.width() > 1000
    assert page.fit_width_button.isChecked()
    fitted = page.zoom_factor()
    assert page.zoom_label.text() == f"{round(fitted * 100)} %"
    page.zoom_in_button.click()
    assert page.preview.zoomMode() == QPdfView.ZoomMode.Custom
    assert page.preview.zoomFactor() > fitted
    assert not page.fit_width_button.isChecked()
    qtbot.keyClick(page.preview, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.preview, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert page.preview.zoomFactor() < fitted
    assert page.zoom_label.text() == f"{round(page.preview.zoomFactor() * 100)} %"
    page.fit_page_button.click()
    assert page.preview.zoomMode() == QPdfView.ZoomMode.FitInView
    assert page.zoom_factor() < fitted  # a whole A4 page is smaller than its width
    page.form_button.click()
    assert page._left.isVisible()


def test_the_english_preview_shows_a_rendered_page(qtbot, database):
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor

    generate_demo(database, records=60, seed=4)
    lane = DbLane(database)
    with database.session() as session:
        profile = current_profile(session)
    context = AppContext(
        database, lane, load_catalog(), profile.province_code, profile.name, language="en"
    )
    shown = ReportsPage(context)
    qtbot.addWidget(shown)
    try:
        shown.resize(1300, 760)
        shown.show()
        shown.apply_params({"period": "2024", "report": "period"})
        shown.make_preview()
        assert lane.wait_idle(60_000)
        assert shown.document.pageCount() >= 2
        image = shown.document.render(0, QSize(600, 850))
        white = QColor("white").rgb()
        inked = sum(
            1
            for y in range(0, image.height(), 5)
            for x in range(0, image.width(), 5)
            if image.pixel(x, y) != white
        )
        assert inked > 200  # letterhead, title and text, not an empty sheet
    finally:
        lane.shutdown()


def test_on_a_large_screen_the_form_stays_beside_the_preview(page, qtbot):
    page.resize(1700, 1000)
    page.show()
    qtbot.waitExposed(page)
    page.apply_params({"period": "2024", "report": "period"})
    page.make_preview()
    assert page.context.lane.wait_idle(60_000)
    assert page._left.isVisible()
    assert page.preview.width() >= 820  # an A4 page at 100 % fits beside the form
    assert page.form_button.text() == page.tr("Hide the form")


def test_ctrl_wheel_zooms_the_preview(page, qtbot):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    page.resize(1300, 760)
    page.show()
    page.apply_params({"period": "2024", "report": "period"})
    page.make_preview()
    assert page.context.lane.wait_idle(60_000)
    fitted = page.zoom_factor()

    def wheel(delta: int, modifiers: Qt.KeyboardModifier) -> None:
        centre = QPointF(page.preview.viewport().rect().center())
        event = QWheelEvent(
            centre,
            QPointF(page.preview.viewport().mapToGlobal(centre.toPoint())),
            QPoint(0, 0),
            QPoint(0, delta),
            Qt.MouseButton.NoButton,
            modifiers,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(page.preview.viewport(), event)

    wheel(120, Qt.KeyboardModifier.ControlModifier)
    assert page.preview.zoomFactor() > fitted
    zoomed = page.preview.zoomFactor()
    wheel(-120, Qt.KeyboardModifier.NoModifier)  # a plain wheel scrolls, it does not zoom
    assert page.preview.zoomFactor() == zoomed
