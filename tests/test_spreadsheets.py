"""Excel export, templates and the validated import: real workbooks in ``tmp_path``.

Round trips (export then import gives identical records), totals that agree with their
formulas, the template's drop-down lists, the accepted spellings of dates, numbers, choices
and communes, and every bad input refused with the database left as it was.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.db.models import Activity
from ctmt_desktop.errors import StorageError
from ctmt_desktop.kinds import KIND_CODES, FieldType, kind_spec
from ctmt_desktop.periods import parse_period
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import (
    RecordQuery,
    add_records,
    load_records,
    ordered_ids,
    record_context,
    record_to_dict,
)
from ctmt_desktop.spreadsheets import importer
from ctmt_desktop.spreadsheets.export import (
    ExportCancelled,
    export_period_forms,
    export_records,
)
from ctmt_desktop.spreadsheets.importer import (
    ImportCancelled,
    ImportRejected,
    ImportResult,
    WorkbookError,
    import_workbook,
    read_workbook,
)
from ctmt_desktop.spreadsheets.layout import (
    CATALOG_SHEET,
    FIRST_DATA_ROW,
    HEADER_ROW,
    KEY_ROW,
    SHEET_NAMES,
    TOTAL_LABEL,
)
from ctmt_desktop.spreadsheets.templates import write_template

MakeRecord = Callable[..., dict[str, Any]]
PROVINCE = "44"
LAO_BAO = "19432"
READ_ONLY = ("id", "created_at", "created_by", "updated_at", "updated_by")


# --- helpers -------------------------------------------------------------------------------------
@pytest.fixture
def other_database(tmp_path: Path, catalog: Catalog) -> Iterator[Database]:
    """A second, empty database of the same province to import into."""
    db = open_database(tmp_path / "other.sqlite3")
    try:
        with db.session() as session:
            set_profile(session, ProfileData("Sở Văn hóa tỉnh Quảng Trị", PROVINCE), catalog)
        yield db
    finally:
        db.close()


def add(database: Database, kind: str, items: list[dict[str, Any]]) -> list[int]:
    with database.session() as session:
        context = record_context(session, database.path)
        return add_records(session, context, kind, items, allow_duplicates=True)


def dump(database: Database, kind: str) -> list[dict[str, Any]]:
    """Every record of ``kind`` as ``record_to_dict`` gives it, without ids and stamps."""
    with database.session() as session:
        records = load_records(session, kind, ordered_ids(session, kind))
        result = []
        for record in records:
            values = record_to_dict(record)
            for key in READ_ONLY:
                values.pop(key)
            result.append(values)
    return sorted(result, key=repr)


def count(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(Activity)) or 0)


def do_import(database: Database, path: Path, kind: str | None = None, **options: Any) -> Any:
    with database.session() as session:
        context = record_context(session, database.path)
        return import_workbook(session, context, path, kind, **options)


def rejected(database: Database, path: Path, kind: str | None = "training") -> ImportRejected:
    before = count(database)
    with pytest.raises(ImportRejected) as caught:
        do_import(database, path, kind)
    assert count(database) == before
    return caught.value


def refused(database: Database, path: Path, kind: str | None = "training") -> WorkbookError:
    before = count(database)
    with pytest.raises(WorkbookError) as caught:
        do_import(database, path, kind)
    assert count(database) == before
    return caught.value


def filled_template(
    path: Path, catalog: Catalog, kind: str, rows: list[dict[str, Any]], *, keep_example=False
) -> Path:
    """The import template of ``kind`` with ``rows`` (field key -> cell value) filled in."""
    write_template(kind, path, catalog, province=PROVINCE)
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET_NAMES[kind]]
    keys = {cell.value: cell.column for cell in sheet[KEY_ROW] if cell.value}
    first = FIRST_DATA_ROW + (1 if keep_example else 0)
    if not keep_example:
        for cell in sheet[FIRST_DATA_ROW]:
            cell.value = None
    for offset, row in enumerate(rows):
        sheet.cell(row=first + offset, column=1, value=offset + 1)
        for key, value in row.items():
            sheet.cell(row=first + offset, column=keys[key], value=value)
    book.save(path)
    return path


def training_row(**changes: Any) -> dict[str, Any]:
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


def formula_value(sheet: Any, formula: str, row: int) -> Any:
    """What the few formulas the exports write compute, from the sheet's own cells."""
    match = re.fullmatch(r"=(?:SUM\(|SUBTOTAL\(109,)([A-Z]+)(\d+):([A-Z]+)(\d+)\)", formula)
    if match:
        column, first, _, last = match.groups()
        values = [sheet[f"{column}{r}"].value for r in range(int(first), int(last) + 1)]
        return sum(v for v in values if isinstance(v, int | float))
    match = re.fullmatch(r'=COUNTIF\(([A-Z]+)(\d+):([A-Z]+)(\d+),"(.+)"\)', formula)
    if match:
        column, first, _, last, word = match.groups()
        return sum(
            1 for r in range(int(first), int(last) + 1) if sheet[f"{column}{r}"].value == word
        )
    match = re.fullmatch(r'=IF\(([A-Z]+)(\d+)=0,"",([A-Z]+)\d+/[A-Z]+\d+\)', formula)
    if match:  # the ratio of two totals of the same row
        whole_column, formula_row, part_column = match.groups()
        part = formula_value(sheet, sheet[f"{part_column}{formula_row}"].value, row)
        whole = formula_value(sheet, sheet[f"{whole_column}{formula_row}"].value, row)
        return "" if whole == 0 else part / whole
    raise AssertionError(f"unexpected formula {formula}")


# --- export, then import -------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KIND_CODES)
def test_export_then_import_gives_identical_records(
    kind: str,
    database: Database,
    other_database: Database,
    catalog: Catalog,
    make_record: MakeRecord,
    tmp_path: Path,
) -> None:
    second = make_record(kind, title="Bản ghi thứ hai", notes="Ghi chú; có dấu chấm phẩy")
    add(database, kind, [make_record(kind), second])
    path = tmp_path / "export.xlsx"
    with database.session() as session:
        result = export_records(session, catalog, path, kinds=[kind])
    assert result.counts == {kind: 2}

    imported = do_import(other_database, path, kind)

    assert imported.counts == {kind: 2}
    assert dump(other_database, kind) == dump(database, kind)


def test_whole_export_imports_back_in_one_go(
    database: Database,
    other_database: Database,
    catalog: Catalog,
    make_record: MakeRecord,
    tmp_path: Path,
) -> None:
    kinds = [kind for kind in KIND_CODES if kind != "cluster"]
    for kind in kinds:
        add(database, kind, [make_record(kind)])
    path = tmp_path / "all.xlsx"
    with database.session() as session:
        export_records(session, catalog, path, kinds=list(KIND_CODES))

    result = do_import(other_database, path)  # every kind with records in its sheet

    assert result.counts == dict.fromkeys(kinds, 1)  # the empty cluster sheet is left out
    for kind in KIND_CODES:
        assert dump(other_database, kind) == dump(database, kind)


def test_evidence_links_survive_a_round_trip_in_the_same_database(
    database: Database, catalog: Catalog, make_record: MakeRecord, tmp_path: Path
) -> None:
    scan = tmp_path / "bien-ban.pdf"
    scan.write_bytes(b"%PDF-1.4 minutes of the class")
    add(database, "training", [make_record("training", evidence=[{"path": str(scan)}])])
    before = dump(database, "training")
    path = tmp_path / "export.xlsx"
    with database.session() as session:
        export_records(session, catalog, path, kinds=["training"])
        session.execute(Activity.__table__.delete())

    do_import(database, path, "training")

    assert dump(database, "training") == before
    assert before[0]["evidence"][0]["name"] == "bien-ban.pdf"


def test_importing_the_same_export_twice_is_refused_as_duplicates(
    database: Database, catalog: Catalog, make_record: MakeRecord, tmp_path: Path
) -> None:
    add(database, "event", [make_record("event")])
    path = tmp_path / "export.xlsx"
    with database.session() as session:
        export_records(session, catalog, path, kinds=["event"])

    error = rejected(database, path, "event")
    assert error.only_warnings
    assert error.problems[0].code == "likely_duplicate"

    do_import(database, path, "event", allow_duplicates=True)
    assert count(database) == 2


def test_duplicate_rows_of_one_sheet_name_each_other(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    path = filled_template(tmp_path / "d.xlsx", catalog, "training", [training_row()] * 2)
    error = rejected(database, path)
    assert error.only_warnings
    assert [str(p) for p in error.problems] == [
        "sheet 'Tập huấn', row 5, column C (Tên hoạt động (*)): looks like a duplicate of "
        "row 4 of this sheet (same title, start date and place)"
    ]
    assert do_import(database, path, "training", allow_duplicates=True).total == 2


# --- what an export looks like -------------------------------------------------------------------
def test_export_has_titles_frozen_headers_formats_and_hidden_codes(
    database: Database, catalog: Catalog, make_record: MakeRecord, tmp_path: Path
) -> None:
    add(database, "training", [make_record("training", cost=1_234_567)])
    path = tmp_path / "export.xlsx"
    with database.session() as session:
        export_records(session, catalog, path, kinds=["training"])

    book = openpyxl.load_workbook(path)
    sheet = book["Tập huấn"]
    assert len(sheet.title) <= 31
    # The header row, STT and the title stay in view.
    assert sheet.freeze_panes == f"C{FIRST_DATA_ROW}"
    assert [cell.value for cell in sheet[HEADER_ROW]][:3] == [
        "STT",
        "Tên hoạt động",
        "Chương trình/dự án",
    ]
    assert sheet.row_dimensions[KEY_ROW].hidden
    assert str(sheet["A1"].value).startswith("DANH SÁCH LỚP TẬP HUẤN, BỒI DƯỠNG")
    headers = {cell.value: cell.column_letter for cell in sheet[HEADER_ROW] if cell.value}
    row = FIRST_DATA_ROW
    start = sheet[f"{headers['Ngày bắt đầu']}{row}"]
    assert start.value == datetime(2024, 3, 5) and start.number_format == "DD/MM/YYYY"
    cost = sheet[f"{headers['Kinh phí (đồng)']}{row}"]
    assert cost.value == 1_234_567 and cost.number_format == "#,##0"
    assert sheet[f"{headers['Hình thức']}{row}"].value == "Trực tiếp"
    # Places by name; their codes in a hidden column, for the import.
    assert sheet[f"{headers['Địa bàn']}{row}"].value == "Xã Lao Bảo"
    assert sheet[f"{headers['Mã: Địa bàn']}{row}"].value == "19432"
    assert sheet.column_dimensions[headers["Mã: Địa bàn"]].hidden
    code_column = headers["Mã: Hình thức"]
    assert sheet[f"{code_column}{row}"].value == "in_person"
    assert sheet.column_dimensions[code_column].hidden
    assert sheet.column_dimensions[headers["Tên hoạt động"]].width >= 40
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")


#: Two former communes of one name, in Huyện Lệ Thủy and Huyện Cam Lộ.
CAM_THUY = ("old:19270", "old:19606")


def test_places_read_as_names_and_come_back_by_their_hidden_codes(
    database: Database,
    other_database: Database,
    catalog: Catalog,
    make_record: MakeRecord,
    tmp_path: Path,
) -> None:
    add(database, "training", [make_record("training", places=list(reversed(CAM_THUY)))])
    path = tmp_path / "export.xlsx"
    with database.session() as session:
        export_records(session, catalog, path, kinds=["training"])
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET_NAMES["training"]]
    headers = {cell.value: cell.column_letter for cell in sheet[HEADER_ROW] if cell.value}
    cell = sheet[f"{headers['Địa bàn']}{FIRST_DATA_ROW}"]
    assert cell.value == "Xã Cam Thủy, Huyện Cam Lộ; Xã Cam Thủy, Huyện Lệ Thủy"
    assert "old:" not in cell.value
    do_import(other_database, path, "training")
    assert dump(other_database, "training")[0]["places"] == list(reversed(CAM_THUY))
    # Without the hidden codes (a row typed by hand), the district tells the communes apart.
    sheet.delete_cols(sheet[f"{headers['Mã: Địa bàn']}1"].column)
    cell.value = "Xã Cam Thủy, Huyện Lệ Thủy"
    book.save(path)
    do_import(other_database, path, "training", allow_duplicates=True)
    places = sorted(record["places"] for record in dump(other_database, "training"))
    assert places == sorted([list(reversed(CAM_THUY)), [CAM_THUY[0]]])


def test_one_totals_row_of_formulas_that_follow_the_filter(
    database: Database, catalog: Catalog, make_record: MakeRecord, tmp_path: Path
) -> None:
    add(
        database,
        "training",
        [make_record("training", title=f"Lớp {n}", participants=50 + n) for n in range(7)],
    )
    add(database, "funding", [make_record("funding")])
    path = tmp_path / "export.xlsx"
    with database.session() as session:
        export_records(session, catalog, path, kinds=["training", "funding"])

    book = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    checked = 0
    for sheet in book.worksheets:
        labels = [sheet.cell(row=r, column=1).value for r in range(1, sheet.max_row + 1)]
        assert labels.count(TOTAL_LABEL) == 1 and labels[-1] == TOTAL_LABEL
        totals_row = sheet.max_row
        for cell in sheet[totals_row][1:]:
            if cell.value is None:
                continue
            assert cell.value.startswith("=SUBTOTAL(109,")  # the rows a filter shows
            cached_value = cached[sheet.title].cell(row=totals_row, column=cell.column).value
            assert formula_value(sheet, cell.value, totals_row) == cached_value
            checked += 1
    participants = 7 * 50 + sum(range(7))
    training = cached["Tập huấn"]
    headers = {c.value: c.column for c in training[HEADER_ROW]}
    total_row = FIRST_DATA_ROW + 7
    assert training.cell(row=total_row, column=headers["Số lượt người tham dự"]).value == (
        participants
    )
    assert checked >= 5


def test_media_quantities_are_added_only_within_one_unit(
    database: Database, catalog: Catalog, make_record: MakeRecord, tmp_path: Path
) -> None:
    add(
        database,
        "media",
        [
            make_record("media", title="Tờ rơi", quantity=5000, quantity_unit="sheet"),
            make_record("media", title="Tin bài", quantity=12, quantity_unit="item"),
        ],
    )
    path = tmp_path / "media.xlsx"
    with database.session() as session:
        export_records(session, catalog, path, kinds=["media"])
    sheet = openpyxl.load_workbook(path)[SHEET_NAMES["media"]]
    headers = {cell.value: cell.column for cell in sheet[HEADER_ROW]}
    totals = sheet.max_row
    assert sheet.cell(row=totals, column=1).value == TOTAL_LABEL
    assert sheet.cell(row=totals, column=headers["Số lượng"]).value is None  # tờ + tin, bài
    assert sheet.cell(row=totals, column=headers["Kinh phí (đồng)"]).value.startswith("=")


def test_export_follows_the_query_and_the_chosen_columns(
    database: Database, catalog: Catalog, make_record: MakeRecord, tmp_path: Path
) -> None:
    add(
        database,
        "event",
        [
            make_record("event", title="Tháng 3", start_date="2024-03-01"),
            make_record("event", title="Tháng 9", start_date="2024-09-01"),
        ],
    )
    path = tmp_path / "h1.xlsx"
    query = RecordQuery(period=parse_period("2024-H1"))
    with database.session() as session:
        result = export_records(
            session,
            catalog,
            path,
            kinds=["event"],
            query=query,
            columns={"event": ["title", "event_type", "participants"]},
        )

    assert result.total == 1
    sheet = openpyxl.load_workbook(path)[SHEET_NAMES["event"]]
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    assert headers == [
        "STT",
        "Tên hoạt động",
        "Loại sự kiện",
        "Số lượt người tham dự",
        "Mã: Loại sự kiện",
    ]
    assert sheet.cell(row=FIRST_DATA_ROW, column=2).value == "Tháng 3"
    assert "kỳ 2024-H1" in sheet["A1"].value


def test_export_to_an_unwritable_place_is_a_storage_error(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    with database.session() as session, pytest.raises(StorageError):
        export_records(session, catalog, blocker / "x.xlsx", kinds=["training"])
    assert list(tmp_path.glob("**/*.tmp")) == []


def test_a_cancelled_export_leaves_no_file(
    database: Database, catalog: Catalog, make_record: MakeRecord, tmp_path: Path
) -> None:
    add(database, "media", [make_record("media")])
    target = tmp_path / "out.xlsx"
    with database.session() as session, pytest.raises(ExportCancelled):
        export_records(session, catalog, target, kinds=["media"], progress=lambda d, t: d == 0)
    assert list(tmp_path.glob("*.xlsx*")) == []
    with database.session() as session, pytest.raises(ValueError):
        export_records(session, catalog, target, kinds=[])


# --- period report as forms ----------------------------------------------------------------------
def test_period_forms_have_a_sheet_per_form_and_totals_that_agree(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    from ctmt_desktop.demo import generate_demo
    from ctmt_desktop.reports.figures import build_period_report

    generate_demo(database, records=600, seed=5)
    with database.session() as session:
        report = build_period_report(session, catalog, scope="2024")
    path = export_period_forms(report, tmp_path / "period.xlsx")

    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Báo cáo"
    assert {"I. Tập huấn", "I. Sản phẩm truyền thông", "II. Chỉ tiêu", "III. Vốn, giải ngân"} <= (
        set(book.sheetnames)
    )
    training = book["I. Tập huấn"]
    assert training.freeze_panes == "C6"  # one header for every node's block, TT and name
    assert [c.value for c in training[5]][:3] == ["TT", "Đối tượng", "Số lớp"]
    annexes = [name for name in book.sheetnames if name.startswith("Phụ lục")]
    assert len(annexes) == len(report.annexes) and all(len(n) <= 31 for n in book.sheetnames)
    cached = openpyxl.load_workbook(path, data_only=True)
    checked = 0
    for sheet in book.worksheets:
        labels = [row[0] for row in sheet.iter_rows(values_only=True) if row]
        assert not any(isinstance(text, str) and "công thức" in text for text in labels)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    # One totals row: the formula's cached result is the builder's total.
                    value = cached[sheet.title][cell.coordinate].value
                    computed = formula_value(sheet, cell.value, cell.row)
                    assert computed == pytest.approx(value), (sheet.title, cell.coordinate)
                    checked += 1
    assert checked > 50
    annex = book[annexes[0]]
    assert annex.freeze_panes is not None
    table = report.annexes[0].table
    header_row = int(annex.freeze_panes[1:]) - 1
    assert [c.value for c in annex[header_row]][: len(table.columns)] == [
        c.label_vi for c in table.columns
    ]
    money = [c for c in annex[header_row + 2] if c.number_format == "#,##0"]
    assert money, "counts and money carry the #,##0 format"


# --- templates -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KIND_CODES)
def test_template_lists_the_catalog_choices_and_its_example_is_valid(
    kind: str, database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    path = write_template(kind, tmp_path / f"{kind}.xlsx", catalog, province=PROVINCE)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [SHEET_NAMES[kind], "Hướng dẫn", CATALOG_SHEET]
    assert book[CATALOG_SHEET].sheet_state == "hidden"
    sheet = book[SHEET_NAMES[kind]]
    assert sheet.row_dimensions[KEY_ROW].hidden and sheet.freeze_panes == "A4"
    keys = {cell.value: cell.column_letter for cell in sheet[KEY_ROW] if cell.value}
    lists: dict[str, list[Any]] = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type != "list":
            continue
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        formula = validation.formula1
        if formula.startswith('"'):
            lists[column] = formula.strip('"').split(",")
            continue
        match = re.fullmatch(r"'(.+)'!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", formula)
        assert match, formula
        source, letter, first, last = match.groups()
        lists[column] = [
            book[source][f"{letter}{r}"].value for r in range(int(first), int(last) + 1)
        ]
    spec = kind_spec(kind)
    for field in spec.fields:
        if field.type is FieldType.CODE:
            names = [term.vi for term in catalog.vocabulary(field.vocabulary or "").values()]
            assert lists[keys[field.name]] == names, field.name
    assert "Xã Lao Bảo (19432)" in lists[keys["places"]]
    if kind == "radio":
        assert lists[keys["connected_to_province"]] == ["Có", "Không"]
    if kind == "criterion":
        assert lists[keys["indicator:8.1"]] == ["Đạt", "Không đạt"]
    required = [cell.value for cell in sheet[HEADER_ROW] if str(cell.value).endswith("(*)")]
    assert "Tên hoạt động (*)" in required
    assert book["Hướng dẫn"]["A1"].value.startswith("HƯỚNG DẪN NHẬP DỮ LIỆU")

    # The example row is skipped, so an untouched template holds nothing to import…
    error = refused(database, path, kind)
    assert error.code == "no_rows"
    # …and once its STT is replaced by a number it is a valid record of the province.
    sheet["A4"] = 1
    book.save(path)
    result = do_import(database, path, kind, dry_run=True)
    assert result.counts == {kind: 1}


def test_valid_fifty_row_import(database: Database, catalog: Catalog, tmp_path: Path) -> None:
    rows = [
        training_row(title=f"Lớp tập huấn số {n}", participants=30 + n, participants_female=n)
        for n in range(50)
    ]
    path = filled_template(tmp_path / "fifty.xlsx", catalog, "training", rows)

    result = do_import(database, path, "training")

    assert isinstance(result, ImportResult) and result.total == 50
    assert len(result.sheets[0].ids) == 50
    stored = dump(database, "training")
    assert len(stored) == 50
    sample = next(r for r in stored if r["title"] == "Lớp tập huấn số 7")
    assert sample["participants"] == 37 and sample["participants_female"] == 7
    assert sample["places"] == [LAO_BAO] and sample["form"] == "in_person"
    assert sample["program"] == "GNBV21.DA6.TDA1.ND1" and sample["cost"] == 45_000_000


def test_dry_run_returns_the_clean_records_and_writes_nothing(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    path = filled_template(tmp_path / "t.xlsx", catalog, "training", [training_row()] * 1)
    result = do_import(database, path, "training", dry_run=True)
    assert result.dry_run and result.total == 1 and result.sheets[0].ids == []
    record = result.sheets[0].records[0]
    assert record["start_date"] == date(2024, 3, 5) and record["places"] == [LAO_BAO]
    assert count(database) == 0


# --- accepted spellings --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(2024, 3, 5), date(2024, 3, 5)),
        ("05/03/2024", date(2024, 3, 5)),
        ("5/3/2024", date(2024, 3, 5)),
        ("05-03-2024", date(2024, 3, 5)),
        ("05.03.2024", date(2024, 3, 5)),
        ("2024-03-05", date(2024, 3, 5)),
        (45356, date(2024, 3, 5)),  # an Excel serial in a cell without a date format
    ],
)
def test_date_spellings_are_accepted(
    cell: Any, expected: date, database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    row = training_row(start_date=cell, end_date=None)
    path = filled_template(tmp_path / "d.xlsx", catalog, "training", [row])
    record = do_import(database, path, "training", dry_run=True).sheets[0].records[0]
    assert record["start_date"] == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1.234.567", 1_234_567),
        ("1234567", 1_234_567),
        ("1,234,567", 1_234_567),
        ("1 234 567", 1_234_567),
        ("1.234.567 đ", 1_234_567),
        ("1.234.567,00", 1_234_567),
        (1234567.0, 1_234_567),
    ],
)
def test_number_spellings_are_accepted(
    cell: Any, expected: int, database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    path = filled_template(tmp_path / "n.xlsx", catalog, "training", [training_row(cost=cell)])
    record = do_import(database, path, "training", dry_run=True).sheets[0].records[0]
    assert record["cost"] == expected


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"form": "truc tiep"}, "form", "in_person"),
        ({"form": "In person"}, "form", "in_person"),
        ({"form": "in_person"}, "form", "in_person"),
        ({"funding_source": "ngan sach dia phuong (doi ung)"}, "funding_source", "NSDP"),
        ({"places": "lao bao", "start_date": datetime(2025, 8, 1)}, "places", [LAO_BAO]),
        ({"places": "Xa Lao Bao"}, "places", [LAO_BAO]),
        ({"places": "19432"}, "places", [LAO_BAO]),
        ({"places": 19432}, "places", [LAO_BAO]),
        # before 01/07/2025 a name means the commune of that time
        ({"places": "thi tran lao bao"}, "places", ["old:19432"]),
        ({"places": "Xã Tân Thành (old:19456)"}, "places", ["old:19456"]),
        ({"places": "Xa Tan Thanh", "start_date": datetime(2025, 8, 1)}, "places", ["18919"]),
        (
            {"places": "lao bao; Quảng Trị", "start_date": datetime(2025, 8, 1)},
            "places",
            [LAO_BAO, PROVINCE],
        ),
    ],
)
def test_choice_and_commune_spellings_are_accepted(
    changes: dict[str, Any],
    field: str,
    expected: Any,
    database: Database,
    catalog: Catalog,
    tmp_path: Path,
) -> None:
    row = training_row(**changes)
    if "start_date" in changes:
        row["end_date"] = changes["start_date"]
        row["program"] = "GNBV21.DA6.TDA1.ND1"  # a code works as well as a name
    path = filled_template(tmp_path / "c.xlsx", catalog, "training", [row])
    record = do_import(database, path, "training", dry_run=True).sheets[0].records[0]
    assert record[field] == expected


def test_headers_without_key_row_map_by_their_labels(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    """A sheet people made themselves: Vietnamese or English headers, no hidden key row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "tap huan"
    sheet.append(["Bảng theo dõi của phòng"])
    sheet.append(
        [
            "STT",
            "Chương trình/dự án",
            "Title",
            "Ngày bắt đầu (*)",
            "Địa bàn",
            "Nguồn vốn",
            "Days",
            "Số lượt người tham dự",
            "Ghi chú riêng",
        ]
    )
    sheet.append(
        [
            1,
            "GNBV21.DA6.TDA1.ND1",
            "Tập huấn",
            "05/03/2024",
            "lao bao",
            "NSTW",
            2,
            "1.250",
            "không nhập",
        ]
    )
    path = tmp_path / "own.xlsx"
    book.save(path)

    plan = read_workbook(path, "training", catalog, PROVINCE)
    assert plan.ignored_columns == ["I (Ghi chú riêng)"]
    record = do_import(database, path, "training").sheets[0].records[0]
    assert record["participants"] == 1250 and record["days"] == 2


def test_renamed_headers_and_sheet_still_map_through_the_key_row(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    path = filled_template(tmp_path / "t.xlsx", catalog, "training", [training_row()])
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET_NAMES["training"]]
    sheet.title = "Lớp học 2024"
    for cell in sheet[HEADER_ROW]:
        cell.value = f"Cột {cell.column}"
    book.save(path)
    assert do_import(database, path, "training").total == 1


# --- bad rows ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"participants": "nhiều"}, "participants", "invalid"),
        ({"start_date": "hôm qua"}, "start_date", "invalid"),
        ({"start_date": "31/02/2024"}, "start_date", "invalid"),
        ({"participants": -5, "participants_female": None}, "participants", "negative"),
        ({"cost": "-1.000"}, "cost", "negative"),
        ({"participants_female": 60}, "participants_female", "part_above_total"),
        ({"places": "Xã Không Có"}, "places", "unknown_place_name"),
        ({"places": "99999"}, "places", "unknown_place_name"),
        ({"places": "01"}, "places", "outside_province"),
        ({"places": "Xã Tân Thành"}, "places", "ambiguous_place"),
        ({"form": "Học từ xa"}, "form", "unknown_choice"),
        ({"program": "XYZ.1"}, "program", "unknown_choice"),
        ({"cost": "1,234"}, "cost", "ambiguous_number"),
        ({"days": 2.5}, "days", "invalid"),
        ({"title": None}, "title", "required"),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_written(
    changes: dict[str, Any],
    field: str,
    code: str,
    database: Database,
    catalog: Catalog,
    tmp_path: Path,
) -> None:
    rows = [training_row(title="Lớp tốt"), training_row(**changes)]
    path = filled_template(tmp_path / "bad.xlsx", catalog, "training", rows)

    error = rejected(database, path)

    problems = [p for p in error.problems if p.field == field]
    assert [p.code for p in problems] == [code], [str(p) for p in error.problems]
    problem = problems[0]
    assert problem.sheet == "Tập huấn" and problem.excel_row == FIRST_DATA_ROW + 1
    assert problem.column is not None and problem.header
    assert str(problem).startswith(f"sheet 'Tập huấn', row {FIRST_DATA_ROW + 1}, column ")


def test_a_problem_names_sheet_row_column_and_header(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    path = filled_template(
        tmp_path / "bad.xlsx", catalog, "training", [training_row(participants_female=60)]
    )
    error = rejected(database, path)
    keys = {c.value: c.column_letter for c in openpyxl.load_workbook(path).active[KEY_ROW]}
    letter = keys["participants_female"]
    assert str(error.problems[0]) == (
        f"sheet 'Tập huấn', row 4, column {letter} (Trong đó: nữ): 60 is more than the "
        "participant-times (50)"
    )


def test_ambiguous_commune_names_its_candidates(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    row = training_row(places="tan thanh")
    error = rejected(database, filled_template(tmp_path / "a.xlsx", catalog, "training", [row]))
    message = error.problems[0].message
    assert "old:18919" in message and "old:19456" in message and "Huyện Hướng Hóa" in message


def test_evidence_names_without_files_are_refused(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tập huấn"
    keys = [
        "program",
        "title",
        "start_date",
        "places",
        "funding_source",
        "days",
        "participants",
        "evidence",
    ]
    sheet.append([kind_spec("training").field(k).label_vi for k in keys])
    sheet.append(["GNBV21.DA6.TDA1.ND1", "Lớp", "05/03/2024", LAO_BAO, "NSTW", 2, 10, "a.pdf"])
    path = tmp_path / "e.xlsx"
    book.save(path)
    assert rejected(database, path).problems[0].code == "evidence_without_file"


# --- bad files -----------------------------------------------------------------------------------
def test_missing_required_columns_are_named(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    path = filled_template(tmp_path / "t.xlsx", catalog, "training", [training_row()])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    keys = {c.value: c.column for c in sheet[KEY_ROW]}
    sheet.delete_cols(keys["participants"])
    sheet.delete_cols(keys["days"])
    book.save(path)
    error = refused(database, path)
    assert error.code == "missing_columns"
    assert "Số ngày (days)" in str(error) and "Số lượt người tham dự (participants)" in str(error)


def test_a_renamed_sheet_without_the_key_row_is_refused_naming_the_expected_sheet(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    path = filled_template(tmp_path / "t.xlsx", catalog, "training", [training_row()])
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET_NAMES["training"]]
    sheet.title = "Sheet1"
    sheet.delete_rows(KEY_ROW)
    book.save(path)
    error = refused(database, path)
    assert error.code == "no_sheet" and "'Tập huấn'" in str(error) and "'Sheet1'" in str(error)


def test_a_sheet_of_another_kind_is_refused(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    path = write_template("event", tmp_path / "event.xlsx", catalog, province=PROVINCE)
    book = openpyxl.load_workbook(path)
    book[SHEET_NAMES["event"]].title = SHEET_NAMES["training"]
    book.save(path)
    assert refused(database, path, "training").code == "wrong_kind"


def test_an_empty_file_is_refused(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.touch()
    error = refused(database, path)
    assert error.code == "empty" and "empty" in str(error)


def test_a_missing_file_is_refused(database: Database, tmp_path: Path) -> None:
    assert refused(database, tmp_path / "nowhere.xlsx").code == "not_found"


def test_a_text_file_named_xlsx_is_refused(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("STT;Tên hoạt động\n1;Tập huấn\n", encoding="utf-8")
    error = refused(database, path)
    assert error.code == "not_a_workbook" and "not an Excel workbook" in str(error)


def test_an_old_xls_file_is_refused_with_advice(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    error = refused(database, path)
    assert error.code == "not_a_workbook" and ".xls" in str(error)


def test_a_zip_that_is_no_workbook_is_refused(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    error = refused(database, path)
    assert error.code == "not_a_workbook" and "Word document" in str(error)


def _template_parts(catalog: Catalog, tmp_path: Path) -> dict[str, bytes]:
    path = filled_template(tmp_path / "base.xlsx", catalog, "training", [training_row()])
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_workbook_with_macros_is_refused(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    parts = _template_parts(catalog, tmp_path)
    parts["xl/vbaProject.bin"] = b'\xd0\xcf\x11\xe0 Attribute VB_Name = "Module1"'
    error = refused(database, _write_zip(tmp_path / "macro.xlsx", parts))
    assert error.code == "macros" and "macros" in str(error)
    macro_enabled = tmp_path / "book.xlsm"
    macro_enabled.write_bytes((tmp_path / "base.xlsx").read_bytes())
    assert refused(database, macro_enabled).code == "macros"


def test_a_zip_bomb_is_refused_before_parsing(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    parts = _template_parts(catalog, tmp_path)
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"<sheetData>", b"<sheetData>" + b" " * (20 * 1024 * 1024)
    )
    path = _write_zip(tmp_path / "bomb.xlsx", parts)
    assert path.stat().st_size < 200_000  # a small file…
    error = refused(database, path)
    assert error.code == "zip_bomb" and "expands" in str(error)  # …that expands 1000-fold


def test_an_oversized_workbook_is_refused(
    database: Database, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = filled_template(tmp_path / "t.xlsx", catalog, "training", [training_row()])
    monkeypatch.setattr(importer, "MAX_UNCOMPRESSED_BYTES", 50_000)
    assert refused(database, path).code == "zip_bomb"
    monkeypatch.setattr(importer, "MAX_ENTRIES", 5)
    assert refused(database, path).code == "zip_bomb"
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 1_000)
    assert refused(database, path).code == "too_large"


XXE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    b'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)


def _with_entity(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The part holding the sheet's texts declares an external entity and uses it in a text.

    openpyxl keeps strings in the sheet or in the shared-strings part (and may write them as
    character references) depending on whether lxml is installed; either way the entity
    goes into the first text of that part.
    """
    name = next(
        n
        for n in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml")
        if n in parts and b"<t>" in parts[n]
    )
    body = parts[name]
    if body.startswith(b"<?xml"):
        body = body.split(b"?>", 1)[1].lstrip()
    root = body[1:].split(b" ", 1)[0].split(b">", 1)[0]
    parts[name] = XXE.replace(b"sst", root) + body.replace(b"<t>", b"<t>&xxe;", 1)
    return parts


def test_xml_external_entities_are_refused(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    parts = _template_parts(catalog, tmp_path)
    path = _write_zip(tmp_path / "xxe.xlsx", _with_entity(parts))
    error = refused(database, path)
    assert error.code == "xml_entities" and "DTD" in str(error)


def test_defusedxml_refuses_entities_even_past_the_prolog_check(
    database: Database, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML, "openpyxl must parse workbooks with defusedxml"
    parts = _template_parts(catalog, tmp_path)
    path = _write_zip(tmp_path / "xxe.xlsx", _with_entity(parts))
    monkeypatch.setattr(importer, "_declares_dtd", lambda head: False)
    error = refused(database, path)
    assert error.code in ("xml_entities", "unreadable")
    assert "passwd" not in str(error) or "Entit" in str(error)


def test_damaged_xml_is_reported_as_unreadable(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    parts = _template_parts(catalog, tmp_path)
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:-200]
    error = refused(database, _write_zip(tmp_path / "cut.xlsx", parts))
    assert error.code == "unreadable"


# --- one transaction -----------------------------------------------------------------------------
def test_a_cancelled_import_leaves_nothing(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    rows = [training_row(title=f"Lớp {n}") for n in range(2500)]
    path = filled_template(tmp_path / "big.xlsx", catalog, "training", rows)
    seen: list[int] = []

    def stop_after_first_chunk(done: int, total: int) -> bool:
        seen.append(done)
        return done < 1000

    with pytest.raises(ImportCancelled):
        do_import(database, path, "training", progress=stop_after_first_chunk)
    assert seen[-1] == 1000  # a chunk had been inserted when it stopped…
    assert count(database) == 0  # …and the transaction took it back


def test_read_workbook_reports_skipped_rows(catalog: Catalog, tmp_path: Path) -> None:
    path = filled_template(
        tmp_path / "t.xlsx", catalog, "training", [training_row()], keep_example=True
    )
    plan = read_workbook(path, "training", catalog, PROVINCE)
    assert [row.excel_row for row in plan.rows] == [FIRST_DATA_ROW + 1]
    assert [(s.excel_row, s.reason) for s in plan.skipped] == [(FIRST_DATA_ROW, "example")]
    assert plan.columns["places"].header == "Địa bàn (*)"


def test_import_never_reads_a_workbook_outside_the_checks(tmp_path: Path) -> None:
    """The guard itself: a crafted zip never reaches openpyxl."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", XXE + b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    path = tmp_path / "crafted.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(WorkbookError) as caught:
        importer.check_workbook_file(path)
    assert caught.value.code == "xml_entities"
