"""``ctmt report``, ``ctmt export-xlsx``, ``ctmt import-xlsx`` and ``ctmt template``."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ctmt_desktop.cli import main


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
