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
