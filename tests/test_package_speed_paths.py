"""The quick paths of the submission package, checked for what they produce.

* the official forms (``report.xlsx``), written by the streaming writer instead of openpyxl:
  read back with openpyxl they carry the report's titles, headers, merged headings, values,
  number formats, fonts, fills, borders, frozen header rows and name columns, printed title
  rows and one totals row per table (a formula wherever one reproduces the total exactly,
  whose cached value is that total; else the total as a value);
* the records of ``records.json``, read as columns: exactly what
  ``audit.jsonable(record_to_dict(record))`` gives for every kind;
* :func:`hash_files`: the SHA-256 of hashlib, whatever the size.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from ctmt_desktop import audit
from ctmt_desktop.catalog import Catalog, load_catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.db.models import Activity
from ctmt_desktop.demo import generate_demo
from ctmt_desktop.evidence import CHUNK
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.package import build
from ctmt_desktop.periods import parse_period
from ctmt_desktop.reports.figures import PeriodReport, build_period_report
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import (
    RecordQuery,
    add_record,
    load_records,
    ordered_ids,
    record_context,
    record_to_dict,
)
from ctmt_desktop.spreadsheets.export import export_period_forms

MakeRecord = Callable[..., dict[str, Any]]
FORMULA_LOOKALIKE = "=HYPERLINK(1+1)"


@dataclass
class Forms:
    report: PeriodReport
    path: Path
    book: Any  # formulas as written
    cached: Any  # the values a viewer that does not recalculate shows


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Forms]:
    """The forms of 2024 of a 600-record demo database (and one record whose title looks
    like a formula)."""
    folder = tmp_path_factory.mktemp("forms")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CTMT_DATA_DIR", str(folder / "data"))
        catalog = load_catalog()
        db = open_database(folder / "ctmt.sqlite3")
        try:
            with db.session() as session:
                set_profile(
                    session,
                    ProfileData(
                        "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị",
                        "44",
                        parent_body="Ủy ban nhân dân tỉnh Quảng Trị",
                    ),
                    catalog,
                )
            generate_demo(db, records=600, seed=5)
            with db.session() as session:
                context = record_context(session, db.path, user="lan")
                add_record(
                    session,
                    context,
                    "event",
                    {
                        "program": "GNBV21.DA6.TDA2.ND1",
                        "title": FORMULA_LOOKALIKE,
                        "start_date": "2024-05-10",
                        "places": ["19432"],
                        "funding_source": "NSDP",
                        "event_type": "policy_dialogue",
                        "participants": 80,
                    },
                )
            with db.session() as session:
                report = build_period_report(session, catalog, scope="2024")
        finally:
            db.close()
        path = export_period_forms(report, folder / "period.xlsx")
        yield Forms(
            report,
            path,
            openpyxl.load_workbook(path),
            openpyxl.load_workbook(path, data_only=True),
        )


def _expected(kind: str, value: Any) -> Any:
    """A report value as openpyxl reads it back from the forms."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if kind == "percent" and isinstance(value, int | float) and not isinstance(value, bool):
        return pytest.approx(value / 100.0, rel=1e-12)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        return pytest.approx(value, rel=1e-12)
    return value


def _format(kind: str, value: Any) -> str:
    if value is None or value == "" or isinstance(value, bool):
        return "General"
    if isinstance(value, date):
        return "DD/MM/YYYY"
    if kind == "percent" and isinstance(value, int | float):
        return "0.0%"
    if isinstance(value, int):
        return "#,##0"
    if isinstance(value, float):
        return "#,##0.0"
    return "General"


def _merged(sheet: Worksheet) -> set[str]:
    return {str(cells) for cells in sheet.merged_cells.ranges}


def _is_grid(cell: Cell) -> bool:
    sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
    return all(side.style == "thin" and side.color.rgb.endswith("7F7F7F") for side in sides)


def _assert_header(sheet: Worksheet, row: int, columns: list[Any]) -> None:
    cells = [sheet.cell(row=row, column=i) for i in range(1, len(columns) + 1)]
    assert [cell.value for cell in cells] == [column.label_vi for column in columns]
    for cell, column in zip(cells, columns, strict=True):
        assert cell.font.b and cell.font.name == "Times New Roman" and cell.font.sz == 12
        assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("DDEBF7")
        assert cell.alignment.horizontal == "center" and cell.alignment.wrap_text
        assert _is_grid(cell)
        width = sheet.column_dimensions[cell.column_letter].width
        assert width >= max(8.0, column.width * 11.0) - 1e-9
    assert sheet.row_dimensions[row].height == 40


def _formula_value(sheet: Worksheet, formula: str) -> Any:
    """What the formulas of the forms compute, from the sheet's own cells."""
    if match := re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", formula):
        column, first, _, last = match.groups()
        values = [sheet[f"{column}{r}"].value for r in range(int(first), int(last) + 1)]
        return sum(v for v in values if isinstance(v, int | float))
    if match := re.fullmatch(r'=COUNTIF\(([A-Z]+)(\d+):([A-Z]+)(\d+),"(.+)"\)', formula):
        column, first, _, last, word = match.groups()
        return sum(
            1 for r in range(int(first), int(last) + 1) if sheet[f"{column}{r}"].value == word
        )
    if match := re.fullmatch(r'=IF\(([A-Z]+)(\d+)=0,"",([A-Z]+)\d+/[A-Z]+\d+\)', formula):
        # the ratio of two totals (formulas themselves) of the same row
        whole_column, row, part_column = match.groups()
        part = _formula_value(sheet, sheet[f"{part_column}{row}"].value)
        whole = _formula_value(sheet, sheet[f"{whole_column}{row}"].value)
        return "" if whole == 0 else part / whole
    raise AssertionError(f"unexpected formula {formula}")


def _assert_rows_and_totals(forms: Forms, sheet: Worksheet, table: Any, row: int) -> int:
    """``table`` written from ``row``: group headings merged across it, every value with its
    format and grid, then its one totals row; return the next row.

    In the totals row every column holds the builder's total: as a formula wherever one over
    the data rows (``SUM``, ``COUNTIF`` of "Đạt", or the ratio of two totals of the row)
    computes exactly that total, its cached value being the total; else as a value."""
    count = len(table.columns)
    last_letter = sheet.cell(row=1, column=count).column_letter
    groups = dict(table.groups)
    first_data = row
    for position, values in enumerate(table.rows):
        if position in groups:
            heading = sheet.cell(row=row, column=1)
            assert heading.value == groups[position] and heading.font.i
            assert f"A{row}:{last_letter}{row}" in _merged(sheet)
            row += 1
        for index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=row, column=index)
            value = values.get(column.key)
            assert cell.value == _expected(column.kind, value), (sheet.title, cell.coordinate)
            assert cell.number_format == _format(column.kind, value), cell.coordinate
            assert _is_grid(cell) and cell.font.name == "Times New Roman" and not cell.font.b
            if column.kind == "text":
                assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
        row += 1
    if not (table.totals and table.rows):
        return row
    label = next(key for key, value in table.totals.items() if isinstance(value, str))
    formulas = 0
    for index, column in enumerate(table.columns, start=1):
        total = sheet.cell(row=row, column=index)
        raw = table.totals.get(column.key)
        kind = "int" if column.kind == "text" and isinstance(raw, int) else column.kind
        expected = _expected(kind, raw)
        assert total.font.b and not total.font.i and _is_grid(total), total.coordinate
        assert total.font.name == "Times New Roman"
        letter = total.column_letter
        data = [values.get(column.key) for values in table.rows]
        # Where a SUM or a COUNTIF over the rows gives the total exactly, it is a formula.
        summable = column.kind in ("int", "money", "number") and isinstance(raw, int | float)
        exact_sum = summable and raw == sum(
            v for v in data if isinstance(v, int | float) and not isinstance(v, bool)
        )
        counted = column.kind == "text" and isinstance(raw, int)
        exact_count = counted and raw == sum(1 for v in data if v == "Đạt")
        if total.data_type == "f":
            formulas += 1
            assert isinstance(raw, int | float) and not isinstance(raw, bool), total.coordinate
            if total.value.startswith("=IF("):  # the ratio of two totals of this row
                assert column.kind == "percent"
                assert re.fullmatch(
                    rf'=IF\([A-Z]+{row}=0,"",[A-Z]+{row}/[A-Z]+{row}\)', total.value
                )
            else:  # over the data rows of the column
                assert f"({letter}{first_data}:{letter}{row - 1}" in total.value
                function = "SUM" if summable else "COUNTIF"
                assert total.value.startswith(f"={function}("), total.coordinate
            assert _formula_value(sheet, total.value) == expected, total.coordinate
            cached = forms.cached[sheet.title].cell(row=row, column=index).value
            assert cached == expected, total.coordinate
            assert total.number_format == (
                "0.0%" if column.kind == "percent" else _format(kind, raw)
            ), total.coordinate
        else:
            assert not (exact_sum or exact_count), f"{total.coordinate}: no formula for {raw}"
            assert total.value == expected, (sheet.title, total.coordinate)
            assert total.number_format == _format(kind, raw), total.coordinate
            if column.key == label:
                assert total.value == raw and isinstance(raw, str)
    if row < sheet.max_row:  # one totals row, no second one below (no cell made past the end)
        at = [column.key for column in table.columns].index(label) + 1
        assert not str(sheet.cell(row=row + 1, column=at).value).startswith(table.totals[label])
    assert formulas, f"{sheet.title}: the totals of {table.title} have no formula"
    return row + 1


def _frozen_columns_name_the_rows(sheet: Worksheet, header_row: int, columns: list[Any]) -> None:
    """The header rows and TT with the column naming the rows stay in view."""
    assert columns[0].key == "stt" and columns[1].kind == "text"
    assert sheet.freeze_panes == f"C{header_row + 1}"
    assert sheet.cell(row=header_row, column=1).value == columns[0].label_vi
    assert sheet.cell(row=header_row, column=2).value == columns[1].label_vi


def test_cover_has_the_letterhead_merged_the_title_and_the_list_of_forms(forms: Forms) -> None:
    book, report = forms.book, forms.report
    cover = book["Báo cáo"]
    assert book.sheetnames[0] == "Báo cáo" and book.active.title == "Báo cáo"
    assert book.properties.creator == "CTMT Desktop"
    assert book.properties.title == f"{report.title} {report.subtitle}"
    letterhead = report.letterhead
    fixed = {
        "A1:C1": (letterhead.agency.parent_body.upper(), False, False, 12),
        "D1:H1": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 12),
        "A2:C2": (letterhead.agency_line.upper(), True, False, 12),
        "D2:H2": ("Độc lập - Tự do - Hạnh phúc", True, False, 12),
        "A4:C4": (letterhead.number_line, False, False, 12),
        "D4:H4": (letterhead.place_and_date, False, True, 12),
        "A6:H6": (report.title, True, False, 14),
        "A7:H7": (report.subtitle, True, False, 12),
    }
    # The parent body names the province: the agency's line does not repeat it.
    assert letterhead.agency.parent_body == "Ủy ban nhân dân tỉnh Quảng Trị"
    assert letterhead.agency.name == "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"
    assert letterhead.agency_line == "Sở Văn hóa, Thể thao và Du lịch"
    assert set(fixed) <= _merged(cover)
    for cells, (text, bold, italic, size) in fixed.items():
        cell = cover[cells.split(":")[0]]
        assert (cell.value, bool(cell.font.b), bool(cell.font.i), cell.font.sz) == (
            text,
            bold,
            italic,
            size,
        )
        assert cell.alignment.horizontal == "center" and cell.alignment.wrap_text
    assert cover["A2"].value == "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
    assert cover.row_dimensions[2].height == 32 and cover.row_dimensions[7].height == 36
    assert cover["A9"].value == report.introduction[0] and "A9:H9" in _merged(cover)
    assert cover.row_dimensions[9].height == 16 * (len(report.introduction[0]) // 90 + 1)
    listed = [row[0] for row in cover.iter_rows(values_only=True)]
    start = listed.index("Các biểu kèm theo (mỗi biểu một trang tính):")
    assert listed[start + 1 : start + len(book.sheetnames)] == book.sheetnames[1:]
    # The text of every part under its heading, in bold, before the list of forms.
    for section in (s for s in report.sections if s.level == 1):
        at = listed.index(section.heading)
        assert at < start and cover.cell(row=at + 1, column=1).font.b
        assert f"A{at + 1}:H{at + 1}" in _merged(cover)
    if letterhead.recipients:  # "Nơi nhận" under the list of forms
        at = listed.index("Nơi nhận:")
        assert at > start and cover.cell(row=at + 1, column=1).font.b
        lines = listed[at + 1 : at + 1 + len(letterhead.recipients)]
        assert [line.strip("-;. ") for line in lines] == [
            r.strip(". ") for r in letterhead.recipients
        ]
    assert [cover.column_dimensions[c].width for c in "ABCDEFGH"] == [12] * 8
    assert cover.freeze_panes is None and cover.page_setup.orientation == "portrait"
    assert cover.page_setup.paperSize == 9 and cover.page_setup.fitToWidth == 1
    assert cover.page_setup.fitToHeight == 0 and cover.sheet_properties.pageSetUpPr.fitToPage


def test_every_annex_holds_the_report_rows_with_formats_and_totals(forms: Forms) -> None:
    book, report = forms.book, forms.report
    annexes = [name for name in book.sheetnames if name.startswith("Phụ lục")]
    assert annexes == [f"Phụ lục {annex.number}" for annex in report.annexes]
    for annex in report.annexes:
        sheet = book[f"Phụ lục {annex.number}"]
        table = annex.table
        assert sheet["A1"].value == f"Phụ lục {annex.number}" and sheet["A1"].font.b
        assert sheet["A2"].value == table.title.upper() and sheet["A2"].font.sz == 13
        assert sheet["A3"].value == report.letterhead.attachment_line and sheet["A3"].font.i
        _assert_header(sheet, 5, table.columns)
        _frozen_columns_name_the_rows(sheet, 5, table.columns)
        assert sheet.print_title_rows == "$5:$5"
        assert sheet.page_setup.orientation == "landscape"
        row = _assert_rows_and_totals(forms, sheet, table, 6)
        if table.note:
            assert sheet.cell(row=row + 1, column=1).value == f"Ghi chú: {table.note}"
        assert sheet.max_row == (row + 1 if table.note else row - 1)
        keys = [column.key for column in table.columns]
        if "quantity_unit" in keys and len({r["quantity_unit"] for r in table.rows}) > 1:
            # Quantities in tin, bài and tờ are not added up.
            assert sheet.cell(row=row - 1, column=keys.index("quantity") + 1).value is None
    assert sum(len(annex.table.rows) for annex in report.annexes) > 100


def _row_matches(sheet: Worksheet, row: int, table: Any, values: dict[str, Any]) -> bool:
    return all(
        sheet.cell(row=row, column=index).value == _expected(column.kind, values.get(column.key))
        for index, column in enumerate(table.columns, start=1)
    )


def _placed(
    forms: Forms, names: list[str], table: Any, after: dict[str, int]
) -> tuple[str, int] | None:
    """The sheet where ``table`` is written whole (rows and totals) below row ``after`` of
    that sheet, and its first row, if any."""
    for name in names:
        sheet = forms.book[name]
        for row in range(after.get(name, 0) + 1, sheet.max_row + 1):
            if not _row_matches(sheet, row, table, table.rows[0]):
                continue
            start = row - 1 if 0 in dict(table.groups) else row
            try:
                _assert_rows_and_totals(forms, sheet, table, start)
            except AssertionError:
                continue
            return name, start
    return None


def _totals_cells(forms: Forms) -> dict[tuple[str, str], Any]:
    """(sheet, cell) of every numeric total of every table of the forms, with the total as
    openpyxl reads it back (each table checked written whole on the way)."""
    book, report = forms.book, forms.report
    found: dict[tuple[str, str], Any] = {}

    def note(sheet: Worksheet, table: Any, start: int) -> None:
        if not table.totals:
            return
        row = _assert_rows_and_totals(forms, sheet, table, start) - 1
        for index, column in enumerate(table.columns, start=1):
            raw = table.totals.get(column.key)
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                kind = "int" if column.kind == "text" else column.kind
                coordinate = sheet.cell(row=row, column=index).coordinate
                found[sheet.title, coordinate] = _expected(kind, raw)

    for annex in report.annexes:
        note(book[f"Phụ lục {annex.number}"], annex.table, 6)
    parts = [name for name in book.sheetnames[1:] if not name.startswith("Phụ lục")]
    after: dict[str, int] = {}
    for section in report.sections:
        for table in section.tables:
            if table.rows:
                placed = _placed(forms, parts, table, after)
                assert placed is not None, f"{table.title} ({table.key}) is not written whole"
                name, start = placed
                after[name] = start
                note(book[name], table, start)
    return found


def test_part_sheets_have_their_headings_header_and_every_table(forms: Forms) -> None:
    book, report = forms.book, forms.report
    parts = [name for name in book.sheetnames[1:] if not name.startswith("Phụ lục")]
    assert {"I. Tập huấn", "I. Sản phẩm truyền thông", "II. Chỉ tiêu", "III. Vốn, giải ngân"} <= (
        set(parts)
    )
    headings = {s.heading for s in report.sections if s.level == 1}
    for name in parts:
        sheet = book[name]
        assert sheet["A1"].value in headings and sheet["A1"].font.sz == 14 and sheet["A1"].font.b
        assert sheet["A3"].value == report.subtitle and sheet["A3"].font.i
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.freeze_panes in ("C6", "A4")
    tables_of: dict[str, list[Any]] = {}
    after: dict[str, int] = {}
    for section in report.sections:
        for table in section.tables:
            if table.rows:
                placed = _placed(forms, parts, table, after)
                assert placed is not None, f"{table.title} ({table.key}) is not written whole"
                name, after[name] = placed
                tables_of.setdefault(name, []).append(table)
    assert len(tables_of) >= 4
    for name, tables in tables_of.items():
        sheet = book[name]
        if sheet.freeze_panes == "C6":  # one header, frozen, for every block of the sheet
            assert sheet.print_title_rows == "$5:$5"
            _assert_header(sheet, 5, tables[0].columns)
            _frozen_columns_name_the_rows(sheet, 5, tables[0].columns)  # TT and the name
        else:  # each table under its own header: only the headings stay in view
            assert sheet.freeze_panes == "A4" and sheet.print_title_rows is None
    assert sum(book[name].freeze_panes == "C6" for name in tables_of) >= 4


def test_text_that_looks_like_a_formula_stays_text(forms: Forms) -> None:
    hits = [
        cell
        for sheet in forms.book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == FORMULA_LOOKALIKE
    ]
    assert hits and all(cell.data_type == "s" for cell in hits)


def test_every_formula_computes_the_total_of_its_table(forms: Forms) -> None:
    """Every formula of the forms stands in a table's one totals row and computes that
    table's total (its cached value too), and no two totals rows follow each other."""
    totals = _totals_cells(forms)
    checked = 0
    for sheet in forms.book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    where = (sheet.title, cell.coordinate)
                    assert where in totals, f"{where}: {cell.value} is no table's total"
                    assert _formula_value(sheet, cell.value) == totals[where], where
                    assert forms.cached[sheet.title][cell.coordinate].value == totals[where]
                    if cell.row < sheet.max_row:  # (reading no cell past the end)
                        below = sheet.cell(row=cell.row + 1, column=cell.column)
                        assert below.data_type != "f", f"{where}: a second totals row"
                    checked += 1
    assert checked > 50
    assert not [
        cell.coordinate
        for sheet in forms.book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "(công thức)" in cell.value
    ]


def test_forms_of_an_empty_period_are_the_cover_alone(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    with database.session() as session:
        report = build_period_report(session, catalog, scope="2019")
    path = export_period_forms(report, tmp_path / "nested" / "empty.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Báo cáo"]  # no table, no form
    assert book["Báo cáo"]["A6"].value == report.title
    assert not [p for p in path.parent.iterdir() if p.name != "empty.xlsx"]  # no temporary


# --- records.json ------------------------------------------------------------------------------
def test_records_json_holds_what_record_to_dict_gives_for_every_kind(
    database: Database, make_record: MakeRecord, tmp_path: Path
) -> None:
    photo, scan = tmp_path / "ảnh.jpg", tmp_path / "danh sách.pdf"
    photo.write_bytes(os.urandom(5000))
    scan.write_bytes(b"%PDF-1.4 danh sach " * 100)
    with database.session() as session:
        context = record_context(session, database.path, user="lan")
        for kind in KIND_CODES:
            data = make_record(kind)
            if kind in ("training", "event"):
                data["evidence"] = [
                    {"path": str(scan), "name": "b danh sách.pdf"},
                    {"path": str(photo), "name": "a ảnh lớp.jpg"},
                ]
            add_record(session, context, kind, data)
            add_record(session, context, kind, make_record(kind, title=f"Bản ghi hai ({kind})"))
    with database.session() as session:
        years = {day.year for day in session.scalars(select(Activity.start_date))}
        compared = 0
        for year in sorted(years):
            period = parse_period(str(year))
            fast = list(build._period_records(session, period))
            assert fast == _orm_records(session, period)
            compared += len(fast)
    assert compared == 2 * len(KIND_CODES)
    with database.session() as session:
        training = next(
            r
            for r in build._period_records(session, parse_period("2024"))
            if r["kind"] == "training" and r["evidence"]
        )
    assert [ref["name"] for ref in training["evidence"]] == ["a ảnh lớp.jpg", "b danh sách.pdf"]


def _orm_records(session: Any, period: Any) -> list[dict[str, Any]]:
    """The records of ``period`` as the ORM and ``record_to_dict`` give them."""
    records = []
    for kind in KIND_CODES:
        ids = ordered_ids(session, kind, RecordQuery(period=period, sort="id", limit=None))
        for record in load_records(session, kind, ids):
            data = audit.jsonable(record_to_dict(record))
            data["kind"] = kind
            records.append(data)
    return records


# --- hashing -----------------------------------------------------------------------------------
def test_hash_files_gives_the_sha256_of_each_file(tmp_path: Path) -> None:
    sizes = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5]
    files = []
    for number, size in enumerate(sizes):
        path = tmp_path / f"tệp {number}.bin"
        path.write_bytes(os.urandom(size))
        files.append(path)
    digests = build.hash_files([*files, files[0]])  # a repeat is hashed once
    assert list(digests) == files
    for path in files:
        assert digests[path] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert build.sha256_file(path) == digests[path]
    assert build.hash_files([]) == {}
    with pytest.raises(FileNotFoundError):
        build.hash_files([*files, tmp_path / "không có.bin"])
