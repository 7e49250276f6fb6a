"""``ctmt report``, ``ctmt export-xlsx``, ``ctmt import-xlsx`` and ``ctmt template``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ctmt_desktop.cli import main
from ctmt_desktop.spreadsheets.layout import FIRST_DATA_ROW, KEY_ROW, SHEET_NAMES


@pytest.fixture
def demo_db(tmp_path: Path) -> str:
    db = str(tmp_path / "qt.sqlite3")
    assert main(["init", "--db", db, "--province", "44", "--agency",
                 "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"]) == 0  # fmt: skip
    assert main(["demo", "--db", db, "--records", "400", "--seed", "4"]) == 0
    return db


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_period_report_as_pdf_and_as_excel_forms(demo_db, tmp_path, capsys):
    pdf, xlsx = tmp_path / "bc.pdf", tmp_path / "bc.xlsx"
    assert main(["report", "--db", demo_db, "--period", "2024", "--out", str(pdf)]) == 0
    assert main(["report", "--db", demo_db, "--period", "2024-H1", "--out", str(xlsx)]) == 0
    text = _text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in text
    workbook = load_workbook(xlsx, read_only=True)
    try:
        assert len(workbook.sheetnames) > 2
    finally:
        workbook.close()


def test_list_and_criterion_reports(demo_db, tmp_path):
    listing, criterion = tmp_path / "ds.pdf", tmp_path / "tc.pdf"
    assert main(["report", "--db", demo_db, "--period", "2021-2025", "--form", "list",
                 "--kind", "training", "--out", str(listing)]) == 0  # fmt: skip
    assert main(["report", "--db", demo_db, "--period", "2024", "--form", "criterion",
                 "--out", str(criterion)]) == 0  # fmt: skip
    assert "DANH SÁCH" in _text(listing)
    assert "8.1" in _text(criterion)


def test_report_usage_and_input_errors(demo_db, tmp_path, capsys):
    assert main(["report", "--db", demo_db, "--period", "2024", "--form", "list",
                 "--out", str(tmp_path / "x.pdf")]) == 2  # fmt: skip
    assert main(["report", "--db", demo_db, "--period", "2024", "--out", "x.doc"]) == 2
    assert main(["report", "--db", demo_db, "--period", "2024-H3",
                 "--out", str(tmp_path / "x.pdf")]) == 1  # fmt: skip
    assert "2024-H3" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_export_then_import_back_into_an_empty_database(demo_db, tmp_path, capsys):
    out = tmp_path / "training.xlsx"
    assert main(["export-xlsx", "--db", demo_db, "--out", str(out), "--kind", "training"]) == 0
    other = str(tmp_path / "other.sqlite3")
    assert main(["init", "--db", other, "--province", "44", "--agency", "Sở khác"]) == 0
    capsys.readouterr()
    assert main(["import-xlsx", str(out), "--db", other, "--dry-run"]) == 0
    assert "Would add" in capsys.readouterr().out
    assert main(["list", "training", "--db", other, "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") == 1  # header only: the dry run wrote nothing
    assert main(["import-xlsx", str(out), "--db", other]) == 0
    assert main(["export-xlsx", "--db", other, "--out", str(tmp_path / "again.xlsx"),
                 "--kind", "training"]) == 0  # fmt: skip
    assert "training" in capsys.readouterr().out


def test_importing_a_text_file_is_refused(demo_db, tmp_path, capsys):
    fake = tmp_path / "so-lieu.xlsx"
    fake.write_text("tên,ngày\nlớp,01/01/2024\n", encoding="utf-8")
    assert main(["import-xlsx", str(fake), "--db", demo_db]) == 1
    assert "so-lieu.xlsx" in capsys.readouterr().err


def test_template_has_the_kind_sheet(tmp_path):
    out = tmp_path / "mau.xlsx"
    assert main(["template", "media", "--out", str(out)]) == 0
    workbook = load_workbook(out)
    assert "Hướng dẫn" in workbook.sheetnames
    assert workbook.worksheets[0].data_validations.dataValidation  # in-cell choice lists


# --- import-xlsx --dry-run: every check of the import ------------------------------------------
def _training_book(path: Path, rows: list[dict[str, object]]) -> tuple[Path, dict[str, str]]:
    """The training template with ``rows`` (field -> cell value) filled in from its first data
    row; returns it and the column letter of each field."""
    assert main(["template", "training", "--out", str(path)]) == 0
    book = load_workbook(path)
    sheet = book[SHEET_NAMES["training"]]
    letters = {c.value: c.column_letter for c in sheet[KEY_ROW] if c.value}
    for cell in sheet[FIRST_DATA_ROW]:  # the example row
        cell.value = None
    for offset, row in enumerate(rows):
        sheet[f"A{FIRST_DATA_ROW + offset}"] = offset + 1
        for name, value in {**_TRAINING_ROW, **row}.items():
            sheet[f"{letters[name]}{FIRST_DATA_ROW + offset}"] = value
    book.save(path)
    return path, letters


_TRAINING_ROW: dict[str, object] = {
    "program": "Đào tạo, bồi dưỡng nâng cao năng lực cán bộ làm công tác thông tin và "
    "truyền thông cơ sở",
    "places": "Xã Lao Bảo (19432)",
    "funding_source": "Ngân sách trung ương",
    "days": 2,
    "form": "Trực tiếp",
    "participants": 40,
    "participants_female": 15,
    "cost": 30_000_000,
}


def _lock(db: str, period: str) -> None:
    """Approve ``period`` and register a package of it, as ``ctmt package`` does."""
    from ctmt_desktop.accounts import Actor
    from ctmt_desktop.db import open_database
    from ctmt_desktop.services import approval

    database = open_database(Path(db), create=False)
    try:
        with database.session() as session:
            actor = Actor("lanh.dao", "approver")
            approval.approve_period(session, actor, period)
            approval.record_package(
                session,
                actor,
                period=period,
                version=1,
                supersedes=None,
                package_id="00000000-0000-4000-8000-000000000001",
                file_path="goi.zip",
                signer_fingerprint="ab" * 32,
                signer_subject="CN=Test",
            )
    finally:
        database.close()


def _import(capsys: pytest.CaptureFixture[str], book: Path, db: str, *extra: str) -> list[str]:
    """``ctmt import-xlsx`` refused: its stderr lines (nothing on stdout)."""
    assert main(["import-xlsx", str(book), "--db", db, *extra]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    return err.splitlines()


def _trainings(capsys: pytest.CaptureFixture[str], db: str) -> list[object]:
    assert main(["list", "training", "--db", db, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_dry_run_refuses_rows_of_a_locked_period_as_the_import_does(tmp_path, capsys):
    db = str(tmp_path / "qt.sqlite3")
    assert main(["init", "--db", db, "--province", "44", "--agency", "Sở Văn hóa"]) == 0
    rows = [
        {"title": "Lớp quý I", "start_date": datetime(2024, 3, 5)},
        {"title": "Lớp quý III", "start_date": datetime(2024, 9, 3)},
        {"title": "Lớp quý II", "start_date": datetime(2024, 5, 14)},
    ]
    book, letters = _training_book(tmp_path / "lop.xlsx", rows)
    _lock(db, "2024-H1")
    capsys.readouterr()
    dry = _import(capsys, book, db, "--dry-run")
    assert dry == _import(capsys, book, db)  # the same refusal, line for line
    column = letters["start_date"]
    assert len(dry) == 2
    for line, row in zip(dry, (FIRST_DATA_ROW, FIRST_DATA_ROW + 2), strict=True):
        assert line.startswith(f"sheet 'Tập huấn', row {row}, column {column} (")
        assert "2024-H1" in line and "ctmt reopen --period 2024-H1" in line
    assert _trainings(capsys, db) == []


def test_a_dry_run_and_the_import_name_sheet_row_and_column_of_each_problem(tmp_path, capsys):
    db = str(tmp_path / "qt.sqlite3")
    assert main(["init", "--db", db, "--province", "44", "--agency", "Sở Văn hóa"]) == 0
    good = {"title": "Lớp đã nhập", "start_date": datetime(2024, 3, 5)}
    first, _ = _training_book(tmp_path / "truoc.xlsx", [good])
    assert main(["import-xlsx", str(first), "--db", db]) == 0
    # A duplicate of the stored record, and a row whose parts exceed its total.
    bad = {"title": "Lớp sai", "start_date": datetime(2024, 4, 2), "participants_female": 90}
    for rows, field in (([good], "title"), ([bad], "participants_female")):
        book, letters = _training_book(tmp_path / f"{field}.xlsx", rows)
        capsys.readouterr()
        dry = _import(capsys, book, db, "--dry-run")
        assert dry == _import(capsys, book, db)
        [line] = dry
        assert line.startswith(f"sheet 'Tập huấn', row {FIRST_DATA_ROW}, column {letters[field]} (")
    assert len(_trainings(capsys, db)) == 1


def test_report_number_signer_and_recipients_from_the_profile_or_options(demo_db, tmp_path):
    assert main(["document-settings", "--db", demo_db, "--signer", "Trần Thị Mai",
                 "--signer-title", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
                 "--recipient", "UBND tỉnh Quảng Trị (để báo cáo)",
                 "--recipient", "Lưu: VT, KHTC"]) == 0  # fmt: skip
    kept, given = tmp_path / "kept.pdf", tmp_path / "given.pdf"
    assert main(["report", "--db", demo_db, "--period", "2024-H1", "--number", "12",
                 "--date", "2024-07-05", "--out", str(kept)]) == 0  # fmt: skip
    assert main(["report", "--db", demo_db, "--period", "2024-H1", "--number", "12",
                 "--signer", "Lê Văn Nam", "--signer-title", "GIÁM ĐỐC",
                 "--recipient", "Bộ Văn hóa, Thể thao và Du lịch",
                 "--out", str(given)]) == 0  # fmt: skip
    texts = [" ".join(page.extract_text().split()) for page in PdfReader(kept).pages]
    first, last = texts[0], next(text for text in texts if "Nơi nhận:" in text)
    assert "Số: 12/BC-SVHTTDL" in first and "Quảng Trị, ngày 05 tháng 7 năm 2024" in first
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in last and "Trần Thị Mai" in last
    assert "- UBND tỉnh Quảng Trị (để báo cáo); - Lưu: VT, KHTC." in last
    others = [" ".join(page.extract_text().split()) for page in PdfReader(given).pages]
    other = next(text for text in others if "Nơi nhận:" in text)
    assert "Lê Văn Nam" in other and "Trần Thị Mai" not in other
    assert "- Bộ Văn hóa, Thể thao và Du lịch." in other and "KHTC" not in other


def test_criterion_report_as_excel_forms(demo_db, tmp_path):
    out = tmp_path / "tc.xlsx"
    assert main(["report", "--db", demo_db, "--period", "2024", "--form", "criterion",
                 "--out", str(out)]) == 0  # fmt: skip
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Báo cáo", "Biểu 1"]
    cover, table = workbook["Báo cáo"], workbook["Biểu 1"]
    assert any("Số:" in str(cell.value) for cell in cover["A"] if cell.value)
    headers = [cell.value for cell in table[4]]
    assert headers[:2] == ["TT", "Tên xã, phường"] and "Kết quả chung" in headers
    assert table.freeze_panes == "C5"  # the header row, TT and the commune stay in view
    names = [row[1] for row in table.iter_rows(min_row=5, values_only=True)]
    assert names[-1] == "Số xã đạt" and len(names) > 100
