"""PDF reports read back from the file: every printed total equals a sum computed from the
database with plain SQL, the Vietnamese text comes back intact, the layout holds (page
numbers, repeated table headers, embedded serif faces), and a failed write leaves nothing."""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from ctmt_desktop.catalog import Catalog, load_catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.demo import generate_demo
from ctmt_desktop.errors import NotFoundError
from ctmt_desktop.formatting import format_number, format_percent
from ctmt_desktop.periods import parse_period
from ctmt_desktop.reports import figures, pdf
from ctmt_desktop.reports.figures import (
    PeriodReport,
    build_criterion_report,
    build_list_report,
    build_period_report,
    date_in_words,
    period_in_words,
)
from ctmt_desktop.reports.pdf import (
    find_times_new_roman,
    render_criterion_pdf,
    render_list_pdf,
    render_period_pdf,
)
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import RecordQuery, add_records, record_context
from ctmt_desktop.services.targets import TargetData, set_target

AGENCY = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"
PARENT = "Ủy ban nhân dân tỉnh Quảng Trị"
MINISTRY = "Bộ Văn hóa, Thể thao và Du lịch"
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
YEAR_START, YEAR_END = "2024-01-01", "2024-12-31"
#: A training class of 2024 in a commune whose name stacks two marks on one letter.
HUONG_PHUNG_TITLE = "Tập huấn kỹ năng số cho cán bộ thôn, bản xã Hướng Phùng"
PARTICIPANTS_TARGET = 2_000.0


@dataclass
class Demo:
    database: Database
    catalog: Catalog
    folder: Path

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        """Plain SQL on the database file, independent of the ORM and the report code."""
        with contextlib.closing(sqlite3.connect(self.database.path)) as connection:
            return connection.execute(statement, params).fetchall()


@dataclass
class Rendered:
    report: Any
    path: Path
    pages: list[str]  # the text of each page, whitespace runs collapsed

    @property
    def text(self) -> str:
        return " ".join(self.pages)


def n(value: float) -> str:
    """A whole number as the report prints it (Vietnamese grouping)."""
    return format_number(round(value))


def read_pdf(path: Path) -> list[str]:
    reader = PdfReader(path)
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def totals_line(label: str, *values: Any) -> str:
    parts = [label]
    for value in values:
        if isinstance(value, str):
            parts.append(value)
        else:
            parts.append(n(value))
    return " ".join(parts)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """Demo data of province 44 (2021–2026) plus a class in Hướng Phùng and a target."""
    folder = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CTMT_DATA_DIR", str(folder / "data"))
        catalog = load_catalog()
        database = open_database(folder / "ctmt.sqlite3")
        try:
            with database.session() as session:
                set_profile(
                    session,
                    ProfileData(AGENCY, "44", parent_body=PARENT, receiving_ministry=MINISTRY),
                    catalog,
                )
            generate_demo(database, records=1500, seed=7, catalog=catalog)
            huong_phung = catalog.admin.find("Hướng Phùng", province="44", legacy=True)
            assert len(huong_phung) == 1
            with database.session() as session:
                context = record_context(session, database.path, catalog=catalog)
                add_records(
                    session,
                    context,
                    "training",
                    [
                        {
                            "program": "GNBV21.DA6.TDA1.ND1",
                            "title": HUONG_PHUNG_TITLE,
                            "start_date": "2024-04-09",
                            "end_date": "2024-04-11",
                            "places": [huong_phung[0].code],
                            "funding_source": "NSTW",
                            "days": 3,
                            "form": "in_person",
                            "target_group": "village_heads",
                            "participants": 47,
                            "participants_female": 19,
                            "participants_ethnic": 31,
                            "participants_commune": 12,
                            "participants_village": 35,
                            "cost": 38_450_000,
                        }
                    ],
                )
                set_target(
                    session,
                    catalog,
                    "44",
                    TargetData("GNBV21", "training_participants", "2024", PARTICIPANTS_TARGET),
                    user="test",
                )
            yield Demo(database, catalog, folder)
        finally:
            database.close()


@pytest.fixture(scope="module")
def period(demo: Demo) -> Rendered:
    """The annual report of 2024, rendered once for the tests that read it."""
    with demo.database.session() as session:
        report = build_period_report(
            session,
            demo.catalog,
            scope="2024",
            number="125/BC-SVHTTDL",
            signer="Nguyễn Văn Hùng",
            signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
            issued_on=date(2025, 1, 15),
        )
    path = demo.folder / "period-2024.pdf"
    pages = render_period_pdf(report, path)
    text = read_pdf(path)
    assert len(text) == pages
    return Rendered(report, path, text)


# --- the figures ---------------------------------------------------------------------------------
def flow(demo: Demo, kind: str, columns: str) -> dict[str, tuple[Any, ...]]:
    """Per program node, aggregates of the kind's records starting in 2024."""
    rows = demo.sql(
        f"SELECT a.program, {columns} FROM activity a JOIN {kind} k ON k.id = a.id "
        "WHERE a.start_date BETWEEN ? AND ? GROUP BY a.program",
        YEAR_START,
        YEAR_END,
    )
    return {row[0]: row[1:] for row in rows}


def test_training_sections_print_the_database_sums(demo: Demo, period: Rendered) -> None:
    sums = flow(
        demo,
        "training",
        "SUM(k.classes), SUM(k.participants), SUM(COALESCE(k.participants_female, 0)), "
        "SUM(COALESCE(k.participants_ethnic, 0)), SUM(COALESCE(k.participants_commune, 0)), "
        "SUM(COALESCE(k.participants_village, 0)), SUM(a.cost)",
    )
    assert sums
    for node, values in sums.items():
        table = period.report.table(f"training/{node}")
        keys = ("classes", "participants", "female", "ethnic", "commune", "village", "cost")
        assert tuple(table.totals[k] for k in keys) == values
        assert totals_line("Tổng cộng", *values) in period.text


def test_the_summary_paragraph_names_the_year_totals(demo: Demo, period: Rendered) -> None:
    ((classes, participants, women),) = demo.sql(
        "SELECT SUM(k.classes), SUM(k.participants), SUM(k.participants_female) FROM activity a "
        "JOIN training k ON k.id = a.id WHERE a.start_date BETWEEN ? AND ?",
        YEAR_START,
        YEAR_END,
    )
    assert f"đã tổ chức {n(classes)} lớp tập huấn, bồi dưỡng với {n(participants)} lượt" in (
        period.text
    )
    assert f"(nữ {n(women)} lượt" in period.text


def test_event_sections_count_events_sessions_and_participants(
    demo: Demo, period: Rendered
) -> None:
    sums = flow(
        demo,
        "event",
        "COUNT(*), SUM(k.sessions), SUM(k.participants), SUM(COALESCE(k.participants_female, 0)),"
        " SUM(COALESCE(k.participants_ethnic, 0)), SUM(COALESCE(k.participants_poor, 0)), "
        "SUM(a.cost)",
    )
    assert sums
    for node, values in sums.items():
        assert totals_line("Tổng cộng", *values) in period.text, node
    by_type = demo.sql(
        "SELECT k.event_type, COUNT(*), SUM(k.participants) FROM activity a "
        "JOIN event k ON k.id = a.id WHERE a.start_date BETWEEN ? AND ? "
        "AND a.program = 'GNBV21.DA6.TDA2.ND2' GROUP BY k.event_type",
        YEAR_START,
        YEAR_END,
    )
    table = period.report.table("event/GNBV21.DA6.TDA2.ND2")
    printed = {row["type"]: (row["records"], row["participants"]) for row in table.rows}
    names = {code: demo.catalog.term_name("event_types", code) for code, _c, _p in by_type}
    assert printed == {names[code]: (count, people) for code, count, people in by_type}


def test_media_sections_add_durations_and_pages_and_quantities_only_per_unit(
    demo: Demo, period: Rendered
) -> None:
    sums = flow(
        demo,
        "media",
        "SUM(k.quantity * COALESCE(k.duration_minutes, 0)), "
        "SUM(k.quantity * COALESCE(k.pages, 0)), SUM(a.cost), COUNT(DISTINCT k.quantity_unit)",
    )
    assert sums
    several_units = 0
    for node, (*values, units) in sums.items():
        table = period.report.table(f"media/{node}")
        keys = ("minutes", "pages", "cost")
        assert tuple(table.totals[k] for k in keys) == tuple(values)
        assert totals_line("Tổng cộng", *values) in period.text
        per_unit = demo.sql(
            "SELECT k.quantity_unit, SUM(k.quantity) FROM activity a JOIN media k ON "
            "k.id = a.id WHERE a.program = ? AND a.start_date BETWEEN ? AND ? "
            "GROUP BY k.quantity_unit",
            node,
            YEAR_START,
            YEAR_END,
        )
        if units > 1:
            # Leaflets and articles are never added up: no total, each unit's in the note.
            several_units += 1
            assert "quantity" not in table.totals and "ethnic_quantity" not in table.totals
            for unit, quantity in per_unit:
                name = demo.catalog.term_name("quantity_units", unit).lower()
                assert f"{n(quantity)} {name}" in table.note
        else:
            assert table.totals["quantity"] == per_unit[0][1]
    assert several_units
    quantities = dict(
        demo.sql(
            "SELECT k.media_type, SUM(k.quantity) FROM activity a JOIN media k ON k.id = a.id "
            "WHERE a.start_date BETWEEN ? AND ? GROUP BY k.media_type",
            YEAR_START,
            YEAR_END,
        )
    )
    printed: dict[str, int] = {}
    for table in period.report.tables():
        if table.key.startswith("media/"):
            for row in table.rows:
                printed[row["type"]] = printed.get(row["type"], 0) + row["quantity"]
    assert printed == {
        demo.catalog.term_name("media_types", code): total for code, total in quantities.items()
    }


def test_radio_sections_count_hamlets_covered(demo: Demo, period: Rendered) -> None:
    sums = flow(
        demo,
        "radio",
        "COUNT(*), COUNT(DISTINCT (SELECT p.unit_code FROM activity_place p "
        "WHERE p.activity_id = a.id AND p.position = 0)), "
        "SUM(COALESCE(k.loudspeaker_clusters, 0)), SUM(k.hamlets), SUM(k.hamlets_covered), "
        "SUM(k.connected_to_province), SUM(a.cost)",
    )
    assert sums
    for node, (stations, communes, speakers, hamlets, covered, connected, cost) in sums.items():
        coverage = format_percent(100.0 * covered / hamlets)
        line = totals_line(
            "Tổng cộng", stations, communes, speakers, hamlets, covered, coverage, connected, cost
        )
        assert line in period.text, node


def test_cluster_and_device_sections_match_the_database(demo: Demo, period: Rendered) -> None:
    clusters = flow(
        demo,
        "cluster",
        # A cluster's money is its investment: it has no cost.
        "COUNT(*), SUM(k.cluster_type = 'border_gate'), SUM(k.cluster_type <> 'border_gate'), "
        "SUM(k.investment)",
    )
    devices = flow(demo, "device", "COUNT(*), SUM(k.quantity), SUM(a.cost)")
    assert devices
    for values in [*clusters.values(), *devices.values()]:
        assert totals_line("Tổng cộng", *values) in period.text


def test_criterion_section_counts_the_communes_meeting_it(demo: Demo, period: Rendered) -> None:
    latest = demo.sql(
        "SELECT p.unit_code, k.met, k.indicators FROM criterion k JOIN activity a ON a.id = k.id "
        "JOIN activity_place p ON p.activity_id = a.id AND p.position = 0 "
        "WHERE k.year = 2024 ORDER BY a.start_date, a.id"
    )
    assert latest
    per_commune = {code: (met, indicators) for code, met, indicators in latest}
    met = sum(1 for value, _ in per_commune.values() if value)
    indicator_met = [
        sum(1 for _, text in per_commune.values() if f'"{code}": true' in text)
        for code in ("8.1", "8.2", "8.3", "8.4")
    ]
    assert totals_line("Số xã đạt", *indicator_met, met) in period.text
    assert f"Số xã đạt tiêu chí: {n(met)}/{n(len(per_commune))} xã được đánh giá" in period.text


def test_funding_part_prints_plan_disbursed_and_rate(demo: Demo, period: Rendered) -> None:
    ((plan, disbursed),) = demo.sql(
        "SELECT SUM(plan_amount), SUM(disbursed_amount) FROM funding WHERE year = 2024"
    )
    rate = format_percent(100.0 * disbursed / plan)
    assert totals_line("Tổng cộng", plan, disbursed, rate) in period.text
    by_source = demo.sql(
        "SELECT a.funding_source, SUM(k.plan_amount), SUM(k.disbursed_amount) FROM funding k "
        "JOIN activity a ON a.id = k.id WHERE k.year = 2024 GROUP BY a.funding_source"
    )
    summary = period.report.table("funding/summary")
    printed: dict[str, list[int]] = {}
    for row in summary.rows:
        sums = printed.setdefault(row["source"], [0, 0])
        sums[0] += row["plan"]
        sums[1] += row["disbursed"]
    assert printed == {
        demo.catalog.term_name("funding_sources", code): [p, d] for code, p, d in by_source
    }


def test_indicators_are_compared_with_their_target(demo: Demo, period: Rendered) -> None:
    ((participants,),) = demo.sql(
        "SELECT SUM(k.participants) FROM training k JOIN activity a ON a.id = k.id "
        "WHERE a.start_date BETWEEN ? AND ? AND a.program LIKE 'GNBV21.%'",
        YEAR_START,
        YEAR_END,
    )
    table = period.report.table("indicators/GNBV21")
    row = next(r for r in table.rows if r["code"] == "training_participants")
    assert (row["value"], row["target"]) == (participants, PARTICIPANTS_TARGET)
    progress = format_percent(100.0 * participants / PARTICIPANTS_TARGET)
    assert f"Số lượt người được tập huấn, bồi dưỡng Lượt người {n(participants)} " in period.text
    assert f"{n(participants)} {n(PARTICIPANTS_TARGET)} {progress}" in period.text


def test_annexes_list_every_record_of_the_year(demo: Demo, period: Rendered) -> None:
    counts = dict(
        demo.sql(
            "SELECT a.kind, COUNT(*) FROM activity a WHERE a.kind NOT IN ('criterion', 'funding')"
            " AND a.start_date BETWEEN ? AND ? GROUP BY a.kind",
            YEAR_START,
            YEAR_END,
        )
    )
    counts.update(demo.sql("SELECT 'criterion', COUNT(*) FROM criterion WHERE year = 2024"))
    counts.update(demo.sql("SELECT 'funding', COUNT(*) FROM funding WHERE year = 2024"))
    listed = {annex.table.kind: len(annex.table.rows) for annex in period.report.annexes}
    assert listed == {kind: count for kind, count in counts.items() if count}
    ((cost,),) = demo.sql(
        "SELECT SUM(a.cost) FROM activity a WHERE a.kind = 'training' "
        "AND a.start_date BETWEEN ? AND ?",
        YEAR_START,
        YEAR_END,
    )
    assert period.report.table("annex/training").totals["cost"] == cost
    last = period.report.table("annex/media").rows[-1]
    assert last["stt"] == counts["media"]


# --- the text and the layout ---------------------------------------------------------------------
def test_vietnamese_text_comes_back_intact(period: Rendered) -> None:
    first = period.pages[0]
    assert NATIONAL in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    # Under the parent body, the agency's line leaves out the province the parent names.
    assert f"{PARENT.upper()} SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH CỘNG HÒA" in first
    assert AGENCY.upper() not in first
    assert AGENCY in first  # the introduction names the agency in full
    assert "Số: 125/BC-SVHTTDL" in first
    assert "Quảng Trị, ngày 15 tháng 01 năm 2025" in first
    assert "BÁO CÁO" in first
    assert (
        "Kết quả thực hiện nội dung thông tin và truyền thông thuộc các Chương trình mục tiêu "
        "quốc gia năm 2024" in first
    )
    assert HUONG_PHUNG_TITLE in period.text
    assert "Xã Hướng Phùng" in period.text
    assert period.text == unicodedata.normalize("NFC", period.text)


def test_signature_block_names_signer_and_recipients(period: Rendered) -> None:
    page = next(p for p in period.pages if "Nơi nhận:" in p)
    assert f"- {MINISTRY} (để báo cáo);" in page
    assert "- Lưu: VT." in page
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in page
    assert "Nguyễn Văn Hùng" in page


def test_the_text_names_programs_without_codes_or_breadcrumbs(demo: Demo, period: Rendered) -> None:
    codes = [code for code in demo.catalog.programs if "." in code or code in period.text]
    assert "›" not in period.text
    printed = [code for code in codes if re.search(rf"\\b{re.escape(code)}\\b", period.text)]
    assert printed == []
    # The part I headings still say where a node belongs, by name.
    assert "Thuộc Dự án 6: Truyền thông và giảm nghèo về thông tin; Tiểu dự án 1" in period.text


def test_indicators_without_a_target_hide_the_target_columns(demo: Demo) -> None:
    with demo.database.session() as session:
        report = build_period_report(session, demo.catalog, scope="2024", program="NTM21")
    table = report.table("indicators/NTM21")
    assert [column.key for column in table.columns] == ["stt", "indicator", "unit", "value"]
    assert table.note.startswith("Chưa giao chỉ tiêu năm 2024")
    # GNBV21 has one target: the others are marked, not left blank or zero.
    targeted = next(t for t in build_tables(demo, "2024") if t.key == "indicators/GNBV21")
    targets = {row["code"]: row["target"] for row in targeted.rows}
    assert targets.pop("training_participants") == PARTICIPANTS_TARGET
    assert set(targets.values()) == {figures.NO_TARGET}
    # A sum of media products over every unit is shown only against a target of its own.
    assert "media_outputs" not in targets


def build_tables(demo: Demo, scope: str) -> list[figures.Table]:
    with demo.database.session() as session:
        return list(build_period_report(session, demo.catalog, scope=scope).tables())


def test_number_signer_and_recipients_come_from_the_profile_and_give_way_to_options(
    database: Database, catalog: Catalog
) -> None:
    from ctmt_desktop.services.profile import DocumentSettings, set_document_settings

    with database.session() as session:
        blank = build_period_report(session, catalog, scope="2024")
        set_document_settings(
            session,
            DocumentSettings(
                abbreviation="svhttdl",
                signer="Trần Thị Mai",
                signer_title="KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
                recipients=("UBND tỉnh (để báo cáo);", "Lưu: VT, KHTC."),
            ),
            user="test",
        )
        kept = build_period_report(session, catalog, scope="2024", number="12")
        given = build_period_report(
            session,
            catalog,
            scope="2024",
            number="7/BC-SVHTTDL-KHTC",
            signer="Lê Văn Nam",
            signer_title="GIÁM ĐỐC",
            recipients=["Bộ Văn hóa, Thể thao và Du lịch"],
        )
    # Without settings: the symbol is guessed from the agency's name, the number left blank.
    assert blank.letterhead.number_line.replace(" ", "") == "Số:/BC-SVHTTDL"
    assert blank.letterhead.title_lines == ["GIÁM ĐỐC"]
    path = database.path.parent / "kept.pdf"
    render_period_pdf(kept, path)
    pages = read_pdf(path)
    assert "Số: 12/BC-SVHTTDL" in pages[0]
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in pages[-1] and "Trần Thị Mai" in pages[-1]
    assert "- UBND tỉnh (để báo cáo); - Lưu: VT, KHTC." in pages[-1]
    assert given.letterhead.number_line == "Số: 7/BC-SVHTTDL-KHTC"
    assert (given.letterhead.signer, given.letterhead.title_lines) == ("Lê Văn Nam", ["GIÁM ĐỐC"])
    assert given.letterhead.recipients == ("Bộ Văn hóa, Thể thao và Du lịch",)


def test_the_signature_never_stands_alone_on_a_page(demo: Demo, tmp_path: Path) -> None:
    """Whatever the length of the last table, the page with the signature also holds its
    last rows."""
    query = RecordQuery(period=parse_period("2024"), sort="title", limit=None)
    with demo.database.session() as session:
        full = build_list_report(session, demo.catalog, "event", query, ["title", "cost"])
    seen = set()
    assert len(full.table.rows) > 45
    for count in range(20, len(full.table.rows) + 1):
        rows = full.table.rows[:count]
        totals = {"title": figures.TOTAL_LABEL, "cost": sum(row["cost"] for row in rows)}
        report = replace(full, table=replace(full.table, rows=rows, totals=totals))
        path = tmp_path / f"list-{count}.pdf"
        render_list_pdf(report, path)
        last = read_pdf(path)[-1]
        assert "Tổng cộng" in last and f" {count} " in f" {last}", count
        seen.add(len(PdfReader(path).pages))
    assert len(seen) > 1  # the lengths tried put the signature at a page end


def drawn_text(page: Any) -> list[tuple[str, float, float, float]]:
    """Each piece of text of a PDF page with its position (x, y in points) and size."""
    pieces: list[tuple[str, float, float, float]] = []

    def visit(text: str, _cm: Any, tm: Any, _font: Any, size: float) -> None:
        if text.strip():
            pieces.append((text.strip(), float(tm[4]), float(tm[5]), float(size)))

    page.extract_text(visitor_text=visit)
    return pieces


def page_numbers(path: Path) -> list[list[tuple[str, float]]]:
    """Per page, the text drawn in its top margin at the size of a page number (13 pt), with
    its distance from the horizontal centre of the text, in points."""
    found: list[list[tuple[str, float]]] = []
    for page in PdfReader(path).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        centre = 30 * MM + (width - 45 * MM) / 2 if width < height else width / 2
        found.append(
            [
                (text, x - centre)
                for text, x, y, size in drawn_text(page)
                if y > height - 20 * MM and abs(size - 13) < 0.1
            ]
        )
    return found


MM = 72 / 25.4


def test_page_numbers_stand_at_the_top_centre_from_page_two(period: Rendered) -> None:
    numbers = page_numbers(period.path)
    assert len(numbers) > 3
    assert numbers[0] == []  # Decree 30/2020: none on the first page
    texts = [[text for text, _offset in page] for page in numbers]
    assert texts[1] == ["2"] and texts[2] == ["3"]
    # Centred over the text: the number's start is within its own width of the centre.
    assert all(-10 < offset < 0 for page in numbers[1:3] for _text, offset in page)
    # No "X / Y" anywhere.
    assert not re.search(r"\b\d+ / \d+\b", period.text)


def test_each_annex_is_numbered_on_its_own_from_its_second_page(period: Rendered) -> None:
    numbers = [[text for text, _offset in page] for page in page_numbers(period.path)]
    starts = [
        index
        for index, page in enumerate(period.pages)
        if re.match(r"^Phụ lục [IVX]+ ", page.strip())
    ]
    assert len(starts) == len(period.report.annexes) > 1
    body = starts[0]
    assert numbers[body - 1] == [str(body)]  # the last page of the text
    for first, end in zip(starts, [*starts[1:], len(numbers)], strict=True):
        assert numbers[first] == []
        assert [page for page in numbers[first + 1 : end]] == [
            [str(number)] for number in range(2, end - first + 1)
        ]


def test_annexes_are_on_landscape_pages_and_the_text_on_portrait_ones(period: Rendered) -> None:
    reader = PdfReader(period.path)
    shapes = [page.mediabox.width > page.mediabox.height for page in reader.pages]
    first_annex = next(
        index for index, page in enumerate(period.pages) if page.strip().startswith("Phụ lục I ")
    )
    assert not any(shapes[:first_annex])  # this year's tables all fit a portrait page
    assert all(shapes[first_annex:])


def test_tables_stay_inside_the_text_margins(period: Rendered) -> None:
    styles = pdf._styles(pdf.register_serif_family())
    for table in period.report.tables():
        for orientation, width in pdf.FRAME_WIDTH.items():
            flowable = pdf.grid(table, styles, width=width, style=pdf.ANNEX_STYLE)
            assert flowable.wrap(width, 10_000)[0] <= width + 0.01, (table.key, orientation)


def test_a_wide_table_goes_on_a_landscape_page(demo: Demo, tmp_path: Path) -> None:
    columns = [*figures.default_list_columns("training"), "implementing_unit", "form"]
    query = RecordQuery(period=parse_period("2024"), limit=None)
    with demo.database.session() as session:
        report = build_list_report(session, demo.catalog, "training", query, columns)
        narrow = build_list_report(session, demo.catalog, "training", query, ["title", "days"])
    fonts = pdf.register_serif_family()
    assert pdf.orientation_of(report.table, fonts, pdf.ANNEX_STYLE) == pdf.LANDSCAPE
    assert pdf.orientation_of(narrow.table, fonts, pdf.ANNEX_STYLE) == pdf.PORTRAIT
    path = tmp_path / "wide.pdf"
    render_list_pdf(report, path)
    assert all(page.mediabox.width > page.mediabox.height for page in PdfReader(path).pages)
    # On those pages its rows take two lines at most (a cell of three places may take three).
    layout = pdf._GridLayout(report.table, fonts, pdf.ANNEX_STYLE, pdf.LANDSCAPE_TEXT_WIDTH, "")
    depths = [row.depth for row in layout.rows]
    assert max(depths) <= 3 and sum(depth > 2 for depth in depths) <= 2


def test_a_long_annex_repeats_its_header_row_on_every_page(period: Rendered) -> None:
    annex = next(a for a in period.report.annexes if a.table.kind == "media")
    title = annex.table.title.upper()
    first = next(i for i, page in enumerate(period.pages) if title in page)
    following = [
        page
        for page in period.pages[first + 1 :]
        if "Phụ lục" not in page and "Tên sản phẩm" in page
    ]
    assert following, "the media annex fits on one page; the demo data is too small"
    for page in following:
        assert "TT Tên sản phẩm Ngày phát hành Loại Số lượng" in page


def test_only_the_serif_faces_are_embedded(period: Rendered) -> None:
    reader = PdfReader(period.path)
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object()
    faces = {name.split("+", 1)[-1] for name in names}
    assert not any("Helvetica" in face or face.startswith("Times-") for face in faces)
    family = pdf.register_serif_family()
    expected = "LiberationSerif" if family.label == "Liberation Serif" else "TimesNewRoman"
    assert all(face.startswith(expected) for face in faces), faces
    assert any("Bold" in face for face in faces)  # a real bold face, not a faux one
    assert any("Italic" in face for face in faces)


# --- the list report -----------------------------------------------------------------------------
def test_list_report_describes_its_filters_and_prints_every_row(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(figures, "LIST_CHUNK", 37)  # several chunks even with demo data
    query = RecordQuery(period=parse_period("2024"), program="GNBV21", sort="title", limit=50)
    columns = ["title", "start_date", "places", "media_type", "quantity", "cost"]
    with demo.database.session() as session:
        report = build_list_report(session, demo.catalog, "media", query, columns)
    expected = demo.sql(
        "SELECT a.title, k.quantity, a.cost FROM activity a JOIN media k ON k.id = a.id "
        "WHERE a.start_date BETWEEN ? AND ? AND (a.program = 'GNBV21' OR a.program LIKE "
        "'GNBV21.%') ORDER BY a.title_sort, a.id",
        YEAR_START,
        YEAR_END,
    )
    assert len(expected) > 50
    assert [(r["title"], r["quantity"], r["cost"]) for r in report.table.rows] == expected
    path = tmp_path / "list.pdf"
    render_list_pdf(report, path)
    text = " ".join(read_pdf(path))
    assert "DANH SÁCH SẢN PHẨM TRUYỀN THÔNG" in text
    assert "Kỳ báo cáo: năm 2024 (từ ngày 01/01/2024 đến ngày 31/12/2024)" in text
    assert "Chương trình, dự án: Chương trình MTQG giảm nghèo bền vững" in text
    assert "Sắp xếp theo: tên hoạt động, tăng dần" in text
    assert f"Số hồ sơ: {n(len(expected))}" in text
    # Quantities of different units (tin, bài and tờ) are not added up: the cost only.
    cost = sum(c for _t, _q, c in expected)
    assert "quantity" not in report.table.totals
    assert totals_line("Tổng cộng", cost) in text
    assert re.search(rf"\b{len(expected)} {re.escape(expected[-1][0][:20])}", text)


def test_list_report_finds_stacked_marks(demo: Demo, tmp_path: Path) -> None:
    query = RecordQuery(search="huong phung", period=parse_period("2024-H1"))
    with demo.database.session() as session:
        report = build_list_report(
            session, demo.catalog, "training", query, ["title", "places", "participants"]
        )
    assert HUONG_PHUNG_TITLE in [row["title"] for row in report.table.rows]
    path = tmp_path / "list.pdf"
    render_list_pdf(report, path)
    text = " ".join(read_pdf(path))
    assert "Từ khóa tìm kiếm: “huong phung”" in text
    assert "Kỳ báo cáo: 6 tháng đầu năm 2024" in text
    assert HUONG_PHUNG_TITLE in text


def test_list_report_refuses_an_unknown_column(demo: Demo) -> None:
    with demo.database.session() as session, pytest.raises(KeyError, match="hamlets"):
        build_list_report(session, demo.catalog, "media", RecordQuery(), ["title", "hamlets"])


# --- the criterion report ------------------------------------------------------------------------
def test_criterion_report_lists_every_commune_of_the_year(demo: Demo, tmp_path: Path) -> None:
    legacy = demo.catalog.admin.communes("44", legacy=True)
    with demo.database.session() as session:
        report = build_criterion_report(session, demo.catalog, "44", 2024)
    assert report.legacy_units and len(report.table.rows) == len(legacy) == report.communes
    ((assessed, met),) = demo.sql(
        "SELECT COUNT(DISTINCT p.unit_code), COUNT(DISTINCT CASE WHEN k.met THEN p.unit_code END)"
        " FROM criterion k JOIN activity_place p ON p.activity_id = k.id WHERE k.year = 2024"
    )
    assert (report.assessed, report.met) == (assessed, met)
    statuses = [row["result"] for row in report.table.rows]
    assert statuses.count(figures.NOT_ASSESSED) == len(legacy) - assessed
    path = tmp_path / "criterion.pdf"
    pages = render_criterion_pdf(report, path)
    text = " ".join(read_pdf(path))
    for unit in legacy:
        assert unit.name in text
    assert f"trong đó {n(met)} xã đạt" in text
    numbers = [[text for text, _offset in page] for page in page_numbers(path)]
    assert pages > 1 and numbers[:2] == [[], ["2"]]


def test_criterion_report_of_2025_rolls_old_communes_up(demo: Demo) -> None:
    current = demo.catalog.admin.communes("44")
    with demo.database.session() as session:
        report = build_criterion_report(session, demo.catalog, "44", 2025)
    assert not report.legacy_units
    assert [row["commune"] for row in report.table.rows] == [unit.name for unit in current]
    rolled = [row for row in report.table.rows if row.get("note")]
    assert rolled and all(r["note"].startswith("Tổng hợp từ kết quả của") for r in rolled)


# --- the period report's edges -------------------------------------------------------------------
def test_an_empty_half_year_prints_a_one_page_report(database: Database, catalog: Catalog) -> None:
    with database.session() as session:
        report = build_period_report(session, catalog, scope="2024-H1")
    assert report.annexes == [] and report.record_count == 0
    path = database.path.parent / "empty.pdf"
    assert render_period_pdf(report, path) == 1
    text = read_pdf(path)[0]
    assert "6 tháng đầu năm 2024" in text
    assert "chưa có hoạt động nào" in text
    assert page_numbers(path) == [[]]  # one page, and no number on it


def test_a_report_of_one_program_keeps_to_it(demo: Demo) -> None:
    with demo.database.session() as session:
        report = build_period_report(session, demo.catalog, scope="2021-2025", program="NTM21")
    assert report.subtitle.endswith("nông thôn mới giai đoạn 2021-2025")
    programs = {
        row["program"]
        for table in report.tables()
        if table.key.startswith("annex/")
        for row in table.rows
        if "program" in row
    }
    assert programs and all(code.startswith("NTM21") for code in programs)


def test_an_unknown_program_is_refused(demo: Demo) -> None:
    with demo.database.session() as session, pytest.raises(NotFoundError):
        build_period_report(session, demo.catalog, scope="2024", program="XYZ99")


def test_a_failed_render_leaves_the_previous_file(
    period: Rendered, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"previous report")

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(pdf.BaseDocTemplate, "build", broken)
    with pytest.raises(RuntimeError):
        render_period_pdf(period.report, target)
    assert target.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_a_report_renders_into_an_open_file(period: Rendered, tmp_path: Path) -> None:
    report: PeriodReport = period.report
    path = tmp_path / "stream.pdf"
    with path.open("wb") as handle:
        pages = render_period_pdf(report, handle)
    assert pages == len(period.pages)


# --- helpers -------------------------------------------------------------------------------------
def test_times_new_roman_is_used_only_when_all_four_faces_exist(tmp_path: Path) -> None:
    source = Path(pdf.__file__).resolve().parents[2] / "resources" / "fonts"
    names = ("times.ttf", "timesbd.ttf", "timesi.ttf", "TIMESBI.TTF")  # any case will do
    for name in names[:3]:
        shutil.copyfile(source / "LiberationSerif-Regular.ttf", tmp_path / name)
    assert find_times_new_roman([tmp_path]) is None
    shutil.copyfile(source / "LiberationSerif-Regular.ttf", tmp_path / names[3])
    found = find_times_new_roman([tmp_path / "missing", tmp_path])
    assert found is not None
    assert [path.name for path in found] == list(names)


def test_whole_numbers_are_printed_as_format_number_writes_them() -> None:
    for value in (0, 7, 999, 1000, 86_411, 1_234_567, 23_053_000_000, -1_234_567):
        assert pdf.cell_text(value, "money") == format_number(value)
    assert pdf.cell_text(86.04, "percent") == "86,0%"
    assert pdf.cell_text(date(2024, 3, 5), "date") == "05/03/2024"
    assert pdf.cell_text(None, "int") == ""


def test_periods_and_dates_in_words() -> None:
    assert period_in_words("2024") == "năm 2024"
    assert period_in_words("2024-H1") == "6 tháng đầu năm 2024"
    assert period_in_words("2024-H2") == "6 tháng cuối năm 2024"
    assert period_in_words("2024-Q3") == "quý III năm 2024"
    assert period_in_words("2021-2025") == "giai đoạn 2021-2025"
    assert date_in_words(date(2026, 3, 5)) == "ngày 05 tháng 3 năm 2026"
    assert date_in_words(date(2026, 2, 14)) == "ngày 14 tháng 02 năm 2026"
    assert date_in_words(date(2026, 11, 22)) == "ngày 22 tháng 11 năm 2026"


# --- a long list ---------------------------------------------------------------------------------
LONG_LIST_CLASSES = 2_240  # a year of a large province's training classes (demo: 100,000 records)


@pytest.fixture(scope="module")
def classes_of_a_year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """A database holding 2,240 demo training classes of 2024, validated and written as the
    demo writes them."""
    import random

    from ctmt_desktop import demo as demo_data

    folder = tmp_path_factory.mktemp("long-list")
    catalog = load_catalog()
    database = open_database(folder / "ctmt.sqlite3")
    with database.session() as session:
        set_profile(session, ProfileData(AGENCY, "44", parent_body=PARENT), catalog)
    rng = random.Random(11)
    generator = demo_data._Generator(demo_data._World(catalog, "44", AGENCY, rng), rng)
    seen: set[tuple[str, str, date, str]] = set()
    classes: list[dict[str, Any]] = []
    while len(classes) < LONG_LIST_CLASSES:
        record = demo_data._unique("training", generator.training, seen)
        if str(record["start_date"]).startswith("2024"):
            classes.append(record)
    try:
        with database.session() as session:
            context = record_context(session, database.path, catalog=catalog)
            demo_data._write(session, context, "training", classes)
        yield Demo(database, catalog, folder)
    finally:
        database.close()


def test_a_years_classes_print_on_at_most_100_landscape_pages(
    classes_of_a_year: Demo, tmp_path: Path
) -> None:
    query = RecordQuery(period=parse_period("2024"), limit=None)
    with classes_of_a_year.database.session() as session:
        report = build_list_report(
            session,
            classes_of_a_year.catalog,
            "training",
            query,
            figures.default_list_columns("training"),
        )
    assert report.count == LONG_LIST_CLASSES
    path = tmp_path / "classes.pdf"
    pages = render_list_pdf(report, path)
    # 238 portrait pages of nine rows before: titles wrapped to five lines beside a column
    # of program codes.
    assert 60 <= pages <= 100
    reader = PdfReader(path)
    assert all(page.mediabox.width > page.mediabox.height for page in reader.pages)
    fonts = pdf.register_serif_family()
    layout = pdf._GridLayout(
        report.table, fonts, pdf._list_style(report.table), pdf.LANDSCAPE_TEXT_WIDTH, ""
    )
    depths = [row.depth for row in layout.rows if not row.span]
    assert max(depths) <= 3 and sum(depth <= 2 for depth in depths) / len(depths) > 0.99
    # The program is a heading over its classes, by name: no column of codes.
    assert "program" not in [column.key for column in report.table.columns]
    text = " ".join(read_pdf(path))
    assert "GNBV21" not in text and "DTTS21." not in text
    heading = figures.program_heading(classes_of_a_year.catalog, "GNBV21.DA6.TDA1.ND1")
    assert heading in text
