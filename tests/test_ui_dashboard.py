"""The dashboard and the targets editor on a real database file: the figures match the records,
every tile and chart opens the records behind it, and targets are added, checked, shown against
the figures and deleted."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.db.models import Activity, FundingPlan, TrainingClass
from ctmt_desktop.formatting import format_number, format_percent
from ctmt_desktop.services.indicators import parse_scope
from ctmt_desktop.services.records import add_records, record_context
from ctmt_desktop.services.targets import TargetData, list_targets, set_target
from ui.context import AppContext
from ui.dashboard_page import DashboardPage, compute_dashboard
from ui.db_lane import DbLane
from ui.targets_page import (
    TargetDialog,
    TargetsPage,
    TargetTableModel,
    load_target_rows,
    parse_number,
)

PROVINCE = "44"
LAO_BAO = "19432"  # Xã Lao Bảo, a current commune (xã) of province 44
OLD_TAN_THANH = "old:19456"  # Xã Tân Thành, a legacy commune merged into Xã Lao Bảo


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def lane(database: Database) -> Iterator[DbLane]:
    shown = DbLane(database)
    yield shown
    shown.shutdown()


@pytest.fixture
def context(database: Database, lane: DbLane, catalog: Catalog) -> AppContext:
    return AppContext(database, lane, catalog, PROVINCE, "Sở Văn hóa, Thể thao và Du lịch",
                      user="tester", language="en")  # fmt: skip


def current_xa(catalog: Catalog) -> list[str]:
    return [u.code for u in catalog.admin.communes(PROVINCE) if u.kind == "xã"]


def legacy_xa(catalog: Catalog) -> list[str]:
    return [
        u.code for u in catalog.admin.communes(PROVINCE, legacy=True) if u.name.startswith("Xã ")
    ]


def add(database: Database, kind: str, records: list[dict[str, Any]]) -> list[int]:
    with database.session() as session:
        context = record_context(session, database.path, user="tester")
        return add_records(session, context, kind, records, allow_duplicates=True)


def training(start: date, participants: int, women: int, ethnic: int, **changes: Any) -> dict:
    record: dict[str, Any] = {
        "program": "GNBV21.DA6.TDA1.ND1",
        "title": f"Tập huấn kỹ năng thông tin cơ sở {start:%d/%m/%Y}",
        "start_date": start,
        "places": [OLD_TAN_THANH],
        "funding_source": "NSTW",
        "days": 2,
        "participants": participants,
        "participants_female": women,
        "participants_ethnic": ethnic,
    }
    record.update(changes)
    return record


@pytest.fixture
def records(database: Database, catalog: Catalog, make_record: Callable[..., dict]) -> Database:
    """Known records of 2024 and 2025: trainings, assessments, funding, radio, clusters, media."""
    add(database, "training", [
        training(date(2024, 3, 5), 50, 20, 15),
        training(date(2024, 6, 1), 40, 30, 5),
        training(date(2024, 11, 20), 35, 10, 0, program="NTM21.TT"),
        training(date(2025, 4, 2), 120, 60, 30),
    ])  # fmt: skip
    xa = current_xa(catalog)
    other = next(code for code in xa if code != LAO_BAO)
    third = next(code for code in xa if code not in (LAO_BAO, other))
    failed = {"8.1": True, "8.2": True, "8.3": False, "8.4": True}
    add(database, "criterion", [
        make_record("criterion", places=[LAO_BAO], title="Đánh giá 1"),
        make_record("criterion", places=[other], title="Đánh giá 2"),
        make_record("criterion", places=[third], title="Đánh giá 3", indicators=failed),
    ])  # fmt: skip
    add(database, "funding", [
        make_record("funding", plan_amount=1_000_000_000, disbursed_amount=600_000_000),
        make_record("funding", funding_source="NSDP", title="Kế hoạch vốn đối ứng 2024",
                    plan_amount=500_000_000, disbursed_amount=450_000_000),
        make_record("funding", year=2025, title="Kế hoạch vốn 2025", as_of="2025-09-30",
                    plan_amount=2_000_000_000, disbursed_amount=500_000_000),
    ])  # fmt: skip
    add(database, "radio", [
        make_record("radio", places=[LAO_BAO]),  # IT-telecom, 8 of 10 hamlets
        make_record("radio", places=[other], technology="fm", hamlets=6, hamlets_covered=6),
    ])  # fmt: skip
    add(database, "cluster", [make_record("cluster")])
    add(database, "media", [
        make_record("media"),  # 12 radio programmes
        make_record("media", media_type="leaflet", quantity=5000, quantity_unit="copy",
                    duration_minutes=None, title="Tờ gấp giảm nghèo"),
    ])  # fmt: skip
    return database


def shown_dashboard(qtbot: QtBot, context: AppContext, **params: Any) -> DashboardPage:
    page = DashboardPage(context)
    qtbot.addWidget(page)
    page.resize(1366, 800)
    if params:
        page.apply_params(params)
    with qtbot.waitSignal(page.updated, timeout=10_000):
        page.show()
        if page.data is not None:  # apply_params computed already: compute once more
            page.refresh()
    return page


def recompute(qtbot: QtBot, page: DashboardPage, act: Callable[[], Any]) -> None:
    with qtbot.waitSignal(page.updated, timeout=10_000):
        act()


def sql_sum(database: Database, column: Any, start: date, end: date) -> int:
    with database.session() as session:
        return int(
            session.scalar(select(func.sum(column)).where(Activity.start_date.between(start, end)))
            or 0
        )


# --- the figures -------------------------------------------------------------------------------
def test_participant_times_tile_is_the_sum_of_the_records(
    qtbot: QtBot, records: Database, context: AppContext
) -> None:
    page = shown_dashboard(qtbot, context, period="2024", program=None)
    expected = sql_sum(records, TrainingClass.participants, date(2024, 1, 1), date(2024, 12, 31))
    assert expected == 125
    assert page.tiles["training_participants"].value_label.text() == format_number(expected)
    assert page.tiles["training_classes"].value_label.text() == "3"
    women = page.tiles["training_women_share"]
    assert women.value_label.text() == format_percent(100 * 60 / 125) == "48,0%"
    assert women.detail_label.text() == "60 women of 125 participant-times"
    assert page.tiles["training_ethnic_share"].value_label.text() == "16,0%"
    assert page.subtitle_label.text() == "From 01/01/2024 to 31/12/2024 · all programs"


def test_ict_share_is_communes_meeting_the_criterion_over_all_xa(
    qtbot: QtBot, records: Database, context: AppContext, catalog: Catalog
) -> None:
    page = shown_dashboard(qtbot, context, period="2024")
    communes = len(current_xa(catalog))
    assert communes == 69  # wards and the special zone are not assessed
    tile = page.tiles["ict_criterion_share"]
    assert tile.value_label.text() == format_percent(100 * 2 / communes)
    assert tile.detail_label.text() == f"2 of {communes} communes, assessed in 2024"


def test_ict_share_of_legacy_assessments_counts_the_legacy_xa(
    qtbot: QtBot, database: Database, context: AppContext, catalog: Catalog,
    make_record: Callable[..., dict],
) -> None:  # fmt: skip
    old = legacy_xa(catalog)
    add(database, "criterion", [
        make_record("criterion", year=2023, places=[code], title=f"Đánh giá {code}",
                    indicators={"8.1": True, "8.2": True, "8.3": index != 0, "8.4": True})
        for index, code in enumerate(old[:4])
    ])  # fmt: skip
    page = shown_dashboard(qtbot, context, period="2023")
    tile = page.tiles["ict_criterion_share"]
    assert tile.value_label.text() == format_percent(100 * 3 / len(old))
    assert tile.detail_label.text() == f"3 of {len(old)} communes, assessed in 2023"


def test_no_assessment_shows_no_share(qtbot: QtBot, database: Database,
                                      context: AppContext) -> None:  # fmt: skip
    page = shown_dashboard(qtbot, context, period="2024")
    tile = page.tiles["ict_criterion_share"]
    assert tile.value_label.text() == "—"
    assert tile.detail_label.text() == "No commune assessed yet"


def test_disbursement_rate_is_disbursed_over_plan(
    qtbot: QtBot, records: Database, context: AppContext
) -> None:
    page = shown_dashboard(qtbot, context, period="2024")
    with records.session() as session:
        plan, paid = session.execute(
            select(func.sum(FundingPlan.plan_amount), func.sum(FundingPlan.disbursed_amount))
            .where(FundingPlan.year == 2024)
        ).one()  # fmt: skip
    tile = page.tiles["disbursement_rate"]
    assert tile.value_label.text() == format_percent(100 * paid / plan) == "70,0%"
    assert tile.detail_label.text() == "1,0 of 1,5 billion đồng planned"  # 1,05: half to even


def test_radio_and_cluster_tiles_take_the_latest_record_of_each_commune(
    qtbot: QtBot, records: Database, context: AppContext
) -> None:
    page = shown_dashboard(qtbot, context, period="2024")
    assert page.tiles["radio_hamlet_coverage"].value_label.text() == format_percent(100 * 14 / 16)
    assert page.tiles["radio_it_share"].value_label.text() == "50,0%"
    assert page.tiles["clusters_operating"].value_label.text() == "1"
    assert page.tiles["media_outputs"].value_label.text() == "5.012"


def test_a_merged_communes_station_replaces_its_legacy_communes_station(
    qtbot: QtBot, database: Database, context: AppContext, make_record: Callable[..., dict]
) -> None:
    add(database, "radio", [
        make_record("radio", places=[OLD_TAN_THANH], start_date="2024-06-15", technology="fm",
                    hamlets=10, hamlets_covered=5),
        make_record("radio", places=[LAO_BAO], start_date="2025-09-01", hamlets=20,
                    hamlets_covered=18, title="Đài truyền thanh xã Lao Bảo sau sáp nhập"),
    ])  # fmt: skip
    page = shown_dashboard(qtbot, context, period="2024")
    assert page.tiles["radio_hamlet_coverage"].value_label.text() == "50,0%"
    recompute(qtbot, page, lambda: page.apply_params({"period": "2026"}))
    assert page.tiles["radio_hamlet_coverage"].detail_label.text() == (
        "18 of 20 hamlets have loudspeakers"
    )
    assert page.tiles["radio_it_share"].value_label.text() == "100,0%"


def test_changing_the_scope_changes_the_figures(
    qtbot: QtBot, records: Database, context: AppContext
) -> None:
    page = shown_dashboard(qtbot, context, period="2024")
    tile = page.tiles["training_participants"]
    assert tile.value_label.text() == "125"

    recompute(qtbot, page, lambda: page.year_box.setCurrentIndex(page.year_box.findData("2025")))
    assert page.scope().code == "2025"
    assert tile.value_label.text() == "120"
    assert page.tiles["disbursement_rate"].value_label.text() == "25,0%"

    recompute(qtbot, page, lambda: page.year_box.setCurrentIndex(page.year_box.findData("2024")))
    recompute(qtbot, page, lambda: page.part_box.setCurrentIndex(page.part_box.findData("H1")))
    assert page.scope().code == "2024-H1"
    assert tile.value_label.text() == "90"

    phase = page.year_box.findData("2021-2025")
    recompute(qtbot, page, lambda: page.year_box.setCurrentIndex(phase))
    assert not page.part_box.isEnabled()
    assert page.scope().code == "2021-2025"
    assert tile.value_label.text() == "245"

    program = page.program_box.findData("NTM21")
    recompute(qtbot, page, lambda: page.program_box.setCurrentIndex(program))
    assert tile.value_label.text() == "35"


def test_the_page_says_it_is_calculating_while_the_figures_take_a_while(
    qtbot: QtBot, records: Database, context: AppContext
) -> None:
    page = shown_dashboard(qtbot, context, period="2024")
    tile = page.tiles["training_participants"]
    lane_free = threading.Event()
    context.lane.run(lambda _session, _progress: lane_free.wait(10))  # the lane is busy
    with qtbot.waitSignal(page.updated, timeout=10_000):
        page.refresh()
        assert page.status_label.text() == ""  # not at once: quick figures do not blink
        qtbot.waitUntil(lambda: page.status_label.text() == "Calculating…")
        assert not tile.isEnabled()
        with qtbot.assertNotEmitted(context.navigator.navigate):  # old figures open nothing
            qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
            page.open_indicator("training_participants")
        lane_free.set()
    assert page.status_label.text() == ""
    assert tile.isEnabled()


def test_compute_dashboard_matches_the_page(records: Database, catalog: Catalog) -> None:
    with records.session() as session:
        data = compute_dashboard(session, catalog, PROVINCE, parse_scope("2024"), None,
                                 years=[2023, 2024, 2025])  # fmt: skip
    assert data.participants_by_year == {2023: (0.0, 0.0), 2024: (125.0, 0.0), 2025: (120.0, 0.0)}
    assert data.media_by_type == {"leaflet": 5000.0, "radio_programme": 12.0}
    assert data.funding_by_source == {
        "NSDP": (500_000_000.0, 450_000_000.0),
        "NSTW": (1_000_000_000.0, 600_000_000.0),
    }
    assert {k: len(v) for k, v in data.radio_by_technology.items()} == {"fm": 1, "it_telecom": 1}


def test_the_dashboard_remembers_its_choice(
    qtbot: QtBot, records: Database, context: AppContext
) -> None:
    first = shown_dashboard(qtbot, context, period="2025-Q3", program="NTM21")
    first.save_settings()
    second = DashboardPage(context)
    qtbot.addWidget(second)
    assert second.scope().code == "2025-Q3"
    assert second.program() == "NTM21"


# --- click-through -----------------------------------------------------------------------------
def test_a_click_on_a_tile_opens_its_records_for_the_scope(
    qtbot: QtBot, records: Database, context: AppContext
) -> None:
    page = shown_dashboard(qtbot, context, period="2024-H1", program="GNBV21")
    with qtbot.waitSignal(context.navigator.navigate) as blocker:
        qtbot.mouseClick(page.tiles["training_participants"], Qt.MouseButton.LeftButton)
    kind, params = blocker.args
    assert kind == "training"
    assert params == {
        "period": "2024-H1",
        "date_from": date(2024, 1, 1),
        "date_to": date(2024, 6, 30),
        "program": "GNBV21",
    }


def test_stock_tiles_open_the_records_behind_them_by_id(
    qtbot: QtBot, records: Database, context: AppContext
) -> None:
    page = shown_dashboard(qtbot, context, period="2024")
    radio_ids = sorted(i for ids in page.data.radio_by_technology.values() for i in ids)
    with qtbot.waitSignal(context.navigator.navigate) as blocker:
        qtbot.mouseClick(page.tiles["radio_hamlet_coverage"], Qt.MouseButton.LeftButton)
    assert blocker.args == [
        "radio",
        {"program": None, "ids": radio_ids, "as_of": date(2024, 12, 31)},
    ]
    with qtbot.waitSignal(context.navigator.navigate) as blocker:
        qtbot.keyClick(page.tiles["clusters_operating"], Qt.Key.Key_Return)
    kind, params = blocker.args
    assert kind == "cluster"
    assert params["cluster_status"] == "operating"
    assert len(params["ids"]) == 1
    with qtbot.waitSignal(context.navigator.navigate) as blocker:
        qtbot.mouseClick(page.tiles["ict_criterion_share"], Qt.MouseButton.LeftButton)
    assert blocker.args[0] == "criterion"
    assert blocker.args[1]["period"] == "2024"
    with qtbot.waitSignal(context.navigator.navigate) as blocker:
        qtbot.mouseClick(page.tiles["disbursement_rate"], Qt.MouseButton.LeftButton)
    assert blocker.args[0] == "funding"


def test_charts_show_the_records_by_category(
    qtbot: QtBot, records: Database, context: AppContext, catalog: Catalog
) -> None:
    page = shown_dashboard(qtbot, context, period="2024")

    participants = page.cards["participants_by_year"].chart
    [series] = participants.series()
    assert [s.label() for s in series.barSets()] == ["Training", "Conferences and events"]
    [axis] = participants.axes(Qt.Orientation.Horizontal)
    assert axis.categories() == [str(y) for y in page.data.participants_by_year]
    training_set = series.barSets()[0]
    assert training_set.at(axis.categories().index("2024")) == 125
    assert training_set.at(axis.categories().index("2025")) == 120

    media = page.cards["media_by_type"]
    assert list(media.facets) == ["programme", "copy"]  # one chart, one scale per unit
    assert media.facets["programme"].bars.bars == [("radio_programme", "Radio programme", 12)]
    assert media.facets["copy"].bars.bars == [("leaflet", "Leaflet", 5000)]
    assert [f.title_label.text() for f in media.facets.values()] == ["Programmes", "Copies"]

    radio = page.cards["radio_by_technology"]
    [pie] = radio.chart.series()
    assert [(s.property("code"), s.value()) for s in pie.slices()] == [
        ("fm", 1),
        ("it_telecom", 1),
    ]
    assert set(radio.legend_labels) == {"fm", "it_telecom"}

    clusters = page.cards["clusters_by_status"].chart
    [pie] = clusters.series()
    assert [s.label() for s in pie.slices()] == ["Operating"]

    funding = page.cards["funding_by_source"].chart
    [series] = funding.series()
    assert [s.label() for s in series.barSets()] == ["Disbursed", "Plan"]
    [axis] = funding.axes(Qt.Orientation.Vertical)
    assert axis.categories() == ["Local counterpart budget", "Central budget"]
    assert series.barSets()[1].at(1) == 1.0  # the central plan: 1 billion đồng


def test_a_click_on_a_bar_or_slice_opens_its_records(
    qtbot: QtBot, records: Database, context: AppContext
) -> None:
    page = shown_dashboard(qtbot, context, period="2024", program="GNBV21")

    bars = page.cards["media_by_type"].facets["copy"].bars
    with qtbot.waitSignal(context.navigator.navigate) as blocker:
        qtbot.mouseClick(bars, Qt.MouseButton.LeftButton, pos=bars.row_rect(0).center())
    kind, params = blocker.args
    assert (kind, params["media_type"], params["period"], params["program"]) == (
        "media", "leaflet", "2024", "GNBV21",
    )  # fmt: skip

    [series] = page.cards["participants_by_year"].chart.series()
    categories = page.cards["participants_by_year"].chart.axes(Qt.Orientation.Horizontal)[0]
    with qtbot.waitSignal(context.navigator.navigate) as blocker:
        series.barSets()[1].clicked.emit(categories.categories().index("2023"))
    assert blocker.args[0] == "event"
    assert blocker.args[1]["period"] == "2023"

    [series] = page.cards["funding_by_source"].chart.series()
    with qtbot.waitSignal(context.navigator.navigate) as blocker:
        series.barSets()[0].clicked.emit(1)
    assert blocker.args[0] == "funding"
    assert blocker.args[1]["funding_source"] == "NSTW"

    assert page.cards["radio_by_technology"].is_empty  # the stations are NTM21's
    recompute(qtbot, page, lambda: page.apply_params({"program": "NTM21"}))
    card = page.cards["radio_by_technology"]
    [pie] = card.chart.series()
    it_slice = next(s for s in pie.slices() if s.property("code") == "it_telecom")
    with qtbot.waitSignal(context.navigator.navigate) as blocker:
        it_slice.clicked.emit()
    assert blocker.args == [
        "radio",
        {"program": "NTM21", "ids": page.data.radio_by_technology["it_telecom"],
         "as_of": date(2024, 12, 31), "technology": "it_telecom"},
    ]  # fmt: skip
    with qtbot.waitSignal(context.navigator.navigate) as blocker:
        card.legend_labels["fm"].linkActivated.emit("fm")
    assert blocker.args[1]["technology"] == "fm"


def test_an_empty_period_shows_notes_instead_of_charts(
    qtbot: QtBot, records: Database, context: AppContext
) -> None:
    page = shown_dashboard(qtbot, context, period="2022")
    assert page.cards["media_by_type"].is_empty
    assert page.cards["funding_by_source"].is_empty
    assert page.cards["radio_by_technology"].is_empty
    assert not page.cards["participants_by_year"].is_empty  # it shows every year
    assert page.tiles["training_participants"].value_label.text() == "0"


# --- targets -----------------------------------------------------------------------------------
@pytest.fixture
def targets_page(qtbot: QtBot, records: Database, context: AppContext) -> TargetsPage:
    page = TargetsPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    return page


def fill_dialog(dialog: TargetDialog, *, program: str, indicator: str, period: str,
                value: str, note: str = "") -> None:  # fmt: skip
    dialog.program_tree.setCurrentItem(dialog._tree_items[program])
    dialog.indicator_box.setCurrentIndex(dialog.indicator_box.findData(indicator))
    dialog.period_box.setCurrentIndex(dialog.period_box.findData(period))
    dialog.value_edit.setText(value)
    dialog.note_edit.setPlainText(note)


def saved_targets(database: Database) -> list[tuple[str, str, str, float]]:
    with database.session() as session:
        return [(t.program, t.indicator, t.period, t.value)
                for t in list_targets(session, PROVINCE)]  # fmt: skip


def test_a_target_added_through_the_dialog_is_listed_and_shown_on_the_dashboard(
    qtbot: QtBot, targets_page: TargetsPage, records: Database, context: AppContext
) -> None:
    dialog = targets_page.add_target()
    assert dialog.isVisible()
    fill_dialog(dialog, program="GNBV21", indicator="training_participants", period="2024",
                value="1.000", note="Kế hoạch số 45/KH-UBND")  # fmt: skip
    with qtbot.waitSignals([dialog.saved, context.navigator.data_changed], timeout=10_000):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert not dialog.isVisible()
    assert saved_targets(records) == [("GNBV21", "training_participants", "2024", 1000.0)]

    model = targets_page.model
    assert model.rowCount() == 1
    texts = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert texts[:5] == [
        "GNBV21 — Giảm nghèo bền vững 2021-2025",
        "Training participant-times",
        "2024",
        "1.000",
        "Kế hoạch số 45/KH-UBND",
    ]
    assert texts[5] == "tester"
    assert targets_page.selected_row() is not None

    dashboard = shown_dashboard(qtbot, context, period="2024", program="GNBV21")
    tile = dashboard.tiles["training_participants"]
    assert tile.value_label.text() == "90"
    assert tile.target_label.text() == "Target: 1.000 · 9,0% reached"
    assert tile.progress_bar.isVisibleTo(dashboard)
    assert tile.progress_bar.value() == 90
    other = dashboard.tiles["training_women_share"]
    assert other.target_label.text() == "no target set"
    assert not other.progress_bar.isVisibleTo(dashboard)


def test_every_program_adds_up_the_targets_of_the_programs_and_a_half_shows_its_years(
    qtbot: QtBot, records: Database, context: AppContext, catalog: Catalog
) -> None:
    with records.session() as session:
        for program, value in (("GNBV21", 200.0), ("NTM21.TT", 50.0)):
            set_target(
                session,
                catalog,
                PROVINCE,
                TargetData(program, "training_participants", "2024", value),
                user="t",
            )
        for program, value in (("GNBV21", 40.0), ("NTM21", 45.0)):
            set_target(
                session,
                catalog,
                PROVINCE,
                TargetData(program, "training_women_share", "2024", value),
                user="t",
            )
    page = shown_dashboard(qtbot, context, period="2024", program=None)
    tile = page.tiles["training_participants"]
    assert tile.target_label.text() == "Target: 250 · 50,0% reached"  # 125 of 200 + 50
    assert tile.progress_bar.value() == 500
    women = page.tiles["training_women_share"]
    assert women.target_label.text() == "targets differ by program: choose one"
    assert not women.progress_bar.isVisibleTo(page)
    assert page.tiles["media_outputs"].target_label.text() == "no target set"

    recompute(qtbot, page, lambda: page.apply_params({"period": "2024-H1"}))
    assert tile.value_label.text() == "90"
    assert tile.target_label.text() == "2024 target: 250 · 36,0% reached"


def test_the_status_bar_shows_the_dashboards_period(
    qtbot: QtBot, records: Database, context: AppContext
) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    page = window.show_page("dashboard")
    context.lane.wait_idle()
    year = page.scope().code
    assert window._period_label.text() == f"Period: year {year}"
    page.year_box.setCurrentIndex(page.year_box.findData("2024"))
    page.part_box.setCurrentIndex(page.part_box.findData("H1"))
    assert window._period_label.text() == "Period: first half of 2024"
    page.year_box.setCurrentIndex(page.year_box.findData("2021-2025"))
    assert window._period_label.text() == "Period: phase 2021–2025"
    context.lane.wait_idle()


def test_the_dialog_shows_the_figure_achieved_for_the_target(
    qtbot: QtBot, targets_page: TargetsPage
) -> None:
    dialog = targets_page.add_target()
    fill_dialog(dialog, program="GNBV21", indicator="training_women_share", period="2024",
                value="40")  # fmt: skip
    qtbot.waitUntil(lambda: dialog.achieved_label.text() == "55,6%", timeout=10_000)
    assert dialog.achieved_detail.text() == "computed from 50 / 90 · 138,9% of this target"
    dialog.value_edit.setText("60")
    assert dialog.achieved_detail.text().endswith("92,6% of this target")

    fill_dialog(dialog, program="MTQG26", indicator="ict_criterion_share", period="2026",
                value="50")  # fmt: skip
    qtbot.waitUntil(lambda: dialog.achieved_label.text() == "—", timeout=10_000)
    assert dialog.achieved_detail.text() == "No records to compute it from yet."
    dialog.reject()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("150", "A percentage cannot be more than 100."),
        ("-5", "A target cannot be negative."),
        ("năm mươi", "Enter a number, e.g. 86,5 or 1.200."),
    ],
)
def test_an_invalid_value_is_explained_next_to_the_field_and_nothing_is_saved(
    qtbot: QtBot, targets_page: TargetsPage, records: Database, typed: str, message: str
) -> None:
    dialog = targets_page.add_target()
    fill_dialog(dialog, program="GNBV21", indicator="disbursement_rate", period="2024",
                value=typed)  # fmt: skip
    dialog.save()
    error = dialog.error_labels["value"]
    assert error.isVisibleTo(dialog)
    assert error.text() == message
    assert dialog.value_edit.property("invalid") is True
    assert not dialog.error_labels["period"].isVisibleTo(dialog)
    assert dialog.isVisible()
    context = targets_page.context
    assert context.lane.wait_idle()
    assert saved_targets(records) == []

    dialog.value_edit.setText("95")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    assert not error.isVisibleTo(dialog)
    assert saved_targets(records) == [("GNBV21", "disbursement_rate", "2024", 95.0)]


def test_a_period_outside_the_node_is_refused_next_to_the_period(
    qtbot: QtBot, targets_page: TargetsPage, records: Database
) -> None:
    dialog = targets_page.add_target()
    fill_dialog(dialog, program="GNBV21", indicator="media_outputs", period="2024", value="10")
    dialog.period_box.addItem("2026", "2026")  # not offered for GNBV21: forced here
    dialog.period_box.setCurrentIndex(dialog.period_box.findData("2026"))
    dialog.save()
    assert dialog.error_labels["period"].text() == (
        "This node runs from 2021 to 2025: choose a year or phase inside it."
    )
    assert saved_targets(records) == []
    dialog.reject()


def test_the_period_box_offers_the_phase_and_years_of_the_node(targets_page: TargetsPage) -> None:
    dialog = targets_page.add_target()
    dialog.program_tree.setCurrentItem(dialog._tree_items["MTQG26.TT"])
    periods = [dialog.period_box.itemData(i) for i in range(dialog.period_box.count())]
    assert periods[:2] == ["2026-2030", "2031-2035"]
    assert periods[2:4] == ["2026", "2027"]
    assert dialog.period_box.itemText(0) == "Phase 2026-2030"
    dialog.reject()


def test_editing_a_target_changes_it_in_place(
    qtbot: QtBot, targets_page: TargetsPage, records: Database, context: AppContext,
    catalog: Catalog,
) -> None:  # fmt: skip
    with records.session() as session:
        set_target(session, catalog, PROVINCE, TargetData("NTM21", "ict_criterion_share",
                   "2021-2025", 90.0), user="someone")  # fmt: skip
    targets_page.refresh()
    targets_page.view.selectRow(0)
    dialog = targets_page.edit_target()
    assert dialog is not None
    assert dialog.value_edit.text() == "90"
    assert dialog.period_box.currentData() == "2021-2025"
    dialog.value_edit.setText("92,5")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    assert saved_targets(records) == [("NTM21", "ict_criterion_share", "2021-2025", 92.5)]
    assert targets_page.model.data(targets_page.model.index(0, 3)) == "92,5%"


def test_changing_the_period_of_a_target_moves_it(
    qtbot: QtBot, targets_page: TargetsPage, records: Database, catalog: Catalog
) -> None:
    with records.session() as session:
        set_target(
            session,
            catalog,
            PROVINCE,
            TargetData("GNBV16.DA4.C1", "training_classes", "2018", 40.0),
            user="someone",
        )
    targets_page.refresh()
    targets_page.view.selectRow(0)
    dialog = targets_page.edit_target()
    assert dialog is not None
    assert dialog.program_code() == "GNBV16.DA4.C1"
    assert dialog.program_tree.currentItem().parent().isExpanded()  # an ended program, shown
    dialog.period_box.setCurrentIndex(dialog.period_box.findData("2016-2020"))
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    assert saved_targets(records) == [("GNBV16.DA4.C1", "training_classes", "2016-2020", 40.0)]


def test_adding_a_target_that_exists_asks_before_replacing_it(
    qtbot: QtBot, targets_page: TargetsPage, records: Database, catalog: Catalog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    with records.session() as session:
        set_target(session, catalog, PROVINCE,
                   TargetData("GNBV21", "media_outputs", "2024", 10.0), user="someone")  # fmt: skip
    asked: list[str] = []

    def answer_no(box: QMessageBox) -> int:
        asked.append(box.text())
        return QMessageBox.StandardButton.No.value

    monkeypatch.setattr(QMessageBox, "exec", answer_no)
    dialog = targets_page.add_target()
    fill_dialog(dialog, program="GNBV21", indicator="media_outputs", period="2024", value="20")
    dialog.save()
    assert asked == ["GNBV21 already has a target of 10 for this indicator in 2024. Replace it?"]
    assert dialog.isVisible()
    assert saved_targets(records) == [("GNBV21", "media_outputs", "2024", 10.0)]
    dialog.reject()


def test_delete_asks_then_removes_the_target(
    qtbot: QtBot, targets_page: TargetsPage, records: Database, context: AppContext,
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    with records.session() as session:
        set_target(
            session,
            catalog,
            PROVINCE,
            TargetData("GNBV21", "disbursement_rate", "2024", 95.0),
            user="someone",
        )
        set_target(
            session,
            catalog,
            PROVINCE,
            TargetData("NTM21", "ict_criterion_share", "2021-2025", 90.0),
            user="someone",
        )
    targets_page.refresh()
    assert targets_page.model.rowCount() == 2
    questions: list[tuple[str, list[str]]] = []
    answer = {"button": QMessageBox.StandardButton.No}

    def reply(box: QMessageBox) -> int:
        questions.append((box.text(), [b.text() for b in box.buttons()]))
        return answer["button"].value

    monkeypatch.setattr(QMessageBox, "exec", reply)
    targets_page.view.selectRow(0)
    targets_page.delete_target()
    assert context.lane.wait_idle()
    assert len(saved_targets(records)) == 2  # answered No
    assert questions[0][0] == ("Delete the target “Disbursement rate” of GNBV21 for 2024?")
    assert sorted(questions[0][1]) == ["&No", "&Yes"]

    answer["button"] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(context.navigator.data_changed, timeout=10_000):
        targets_page.delete_target()
    assert saved_targets(records) == [("NTM21", "ict_criterion_share", "2021-2025", 90.0)]
    assert targets_page.model.rowCount() == 1


def test_the_program_filter_keeps_the_node_and_the_nodes_below_it(
    targets_page: TargetsPage, records: Database, catalog: Catalog
) -> None:
    with records.session() as session:
        for program in ("GNBV21", "GNBV21.DA6.TDA1", "NTM21"):
            set_target(
                session,
                catalog,
                PROVINCE,
                TargetData(program, "media_outputs", "2024", 10.0),
                user="someone",
            )
    targets_page.apply_params({"program": "GNBV21"})
    assert [row.program for row in targets_page.model.rows] == ["GNBV21", "GNBV21.DA6.TDA1"]
    assert targets_page.count_label.text() == "2 targets"
    targets_page.apply_params({"program": None})
    assert targets_page.model.rowCount() == 3


def test_target_model_passes_the_model_tester(
    qtmodeltester: Any, records: Database, catalog: Catalog
) -> None:
    with records.session() as session:
        for indicator, value in (("media_outputs", 10.0), ("disbursement_rate", 95.0)):
            set_target(
                session,
                catalog,
                PROVINCE,
                TargetData("GNBV21", indicator, "2024", value, "ghi chú"),
                user="someone",
            )
        rows = load_target_rows(session, PROVINCE)
    model = TargetTableModel(catalog, "vi")
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)) in {"Số sản phẩm truyền thông", "Tỷ lệ giải ngân"}


@pytest.mark.parametrize(
    ("typed", "number"),
    [("86,5", 86.5), ("1.200", 1200.0), ("86.5", 86.5), ("1.234.567,5", 1234567.5),
     (" 90 % ", 90.0), ("-5", -5.0), ("", None), ("abc", None), ("inf", None)],
)  # fmt: skip
def test_numbers_are_read_the_vietnamese_way(typed: str, number: float | None) -> None:
    assert parse_number(typed) == number


def test_a_media_bar_keeps_its_whole_name_where_there_is_room(qtbot: QtBot) -> None:
    from ui.dashboard_page import BarList

    bars = BarList()
    qtbot.addWidget(bars)
    names = [("film", "Phim, phóng sự tài liệu", 1.0), ("radio", "Chương trình phát thanh", 61.0)]
    bars.set_bars(names)
    bars.resize(420, bars.sizeHint().height())
    assert [code for code, _n, _a in bars.bars] == ["radio", "film"]  # the largest first
    widest = max(bars.fontMetrics().horizontalAdvance(name) for _c, name, _a in names)
    assert bars._label_width() >= widest  # no name cut at this width
    side_by_side = bars.heightForWidth(420)
    bars.resize(200, bars.heightForWidth(200))
    assert bars._stacked()  # narrow: each name on a line of its own above its bar
    assert bars._label_width() >= widest and bars.heightForWidth(200) > side_by_side
    assert bars.row_at(bars.row_rect(1).center().y()) == 1
    assert bars.row_at(bars.height() + 50) is None
