"""Import templates: one workbook per kind for staff to fill in and import.

The records sheet has the layout of :mod:`ctmt_desktop.spreadsheets.layout` (title, hidden
key row, headers with the required ones marked ``(*)``, then an example row whose STT reads
"Ví dụ", which the importer skips). The catalog's choices come as in-cell drop-down lists
(data validations of type "list") over a hidden "Danh mục" sheet holding the Vietnamese
names, and places over the current and former communes of the department's province.
Dates and numbers are formatted and checked softly (a warning, not a refusal: the importer
has the last word). A "Hướng dẫn" sheet explains every column in Vietnamese.

Templates are small, so they are written with openpyxl's normal mode.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.formatting import format_number
from ctmt_desktop.kinds import FieldType, KindSpec, kind_spec
from ctmt_desktop.spreadsheets.export import RecordCells, print_setup, save_workbook
from ctmt_desktop.spreadsheets.layout import (
    CATALOG_SHEET,
    DATE_FORMAT,
    EXAMPLE_LABEL,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    KEY_ROW,
    MET,
    NO,
    NOT_MET,
    REQUIRED_MARK,
    SHEET_NAMES,
    TITLE_ROW,
    YES,
    Column,
    Role,
    letters,
    place_label,
    required_in_sheet,
    sheet_columns,
)

__all__ = ["TEMPLATE_ROWS", "write_template"]

#: Rows below the headers that carry the drop-down lists and formats.
TEMPLATE_ROWS = 5000

_FONT = "Times New Roman"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="7F7F7F")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _examples(catalog: Catalog, province: str | None) -> dict[str, dict[str, Any]]:
    """One valid record per kind, dated after the 2025 reorganisation, for the province."""
    commune_code: str | None = None
    commune_name = "…"
    if province is not None:
        communes = catalog.admin.communes(province)
        rural = [unit for unit in communes if unit.kind == "xã"] or communes
        if rural:
            commune_code, commune_name = rural[0].code, rural[0].name
    commune = [commune_code] if commune_code else []
    whole_province = [province] if province else []
    common = {"implementing_unit": "Trung tâm Văn hóa - Thông tin tỉnh", "status": "draft"}
    return {
        "training": {
            **common,
            "program": "GNBV21.DA6.TDA1.ND1",
            "title": f"Tập huấn kỹ năng thông tin cơ sở cho cán bộ {commune_name}",
            "start_date": date(2025, 8, 12),
            "end_date": date(2025, 8, 14),
            "places": commune,
            "funding_source": "NSTW",
            "classes": 1,
            "days": 3,
            "form": "in_person",
            "target_group": "grassroots_info_staff",
            "participants": 50,
            "participants_female": 20,
            "participants_ethnic": 15,
            "participants_commune": 30,
            "participants_village": 20,
            "material_type": "print",
            "cost": 45_000_000,
        },
        "event": {
            **common,
            "program": "GNBV21.DA6.TDA2.ND2",
            "title": f"Đối thoại chính sách giảm nghèo tại {commune_name}",
            "start_date": date(2025, 9, 10),
            "end_date": date(2025, 9, 10),
            "places": commune,
            "funding_source": "NSDP",
            "event_type": "policy_dialogue",
            "sessions": 2,
            "participants": 80,
            "participants_female": 30,
            "participants_ethnic": 25,
            "participants_poor": 40,
            "cost": 20_000_000,
        },
        "media": {
            **common,
            "program": "GNBV21.DA6.TDA1.ND6",
            "title": "Chương trình phát thanh về giảm nghèo đa chiều",
            "start_date": date(2025, 8, 1),
            "end_date": date(2025, 10, 31),
            "places": whole_province,
            "funding_source": "NSTW",
            "media_type": "radio_programme",
            "quantity": 12,
            "quantity_unit": "programme",
            "duration_minutes": 15,
            "language": "vi",
            "outlet": "Đài Phát thanh và Truyền hình tỉnh",
            "published_on": date(2025, 8, 15),
            "unit_cost": 3_000_000,
            "cost": 36_000_000,
        },
        "cluster": {
            **common,
            "program": "GNBV21.DA6.TDA1.ND2",
            "title": f"Cụm thông tin cơ sở {commune_name}",
            "start_date": date(2025, 8, 1),
            "end_date": date(2025, 11, 30),
            "places": commune,
            "funding_source": "NSTW",
            "cluster_type": "grassroots",
            "cluster_status": "operating",
            "year_in_service": 2025,
            "investment": 500_000_000,
        },
        "radio": {
            **common,
            "program": "NTM21.TC8.83",
            "title": f"Nâng cấp đài truyền thanh {commune_name}",
            "start_date": date(2025, 9, 15),
            "end_date": date(2025, 11, 15),
            "places": commune,
            "funding_source": "LONGGHEP",
            "technology": "it_telecom",
            "loudspeaker_clusters": 12,
            "hamlets": 10,
            "hamlets_covered": 8,
            "connected_to_province": True,
            "cost": 300_000_000,
        },
        "device": {
            **common,
            "program": "DTTS21.DA10.TDA1.ND1",
            "title": f"Hỗ trợ ti vi cho hộ nghèo {commune_name}",
            "start_date": date(2025, 8, 20),
            "end_date": date(2025, 8, 20),
            "places": commune,
            "funding_source": "NSTW",
            "device_type": "tv",
            "quantity": 100,
            "beneficiary_group": "poor",
            "cost": 450_000_000,
        },
        "criterion": {
            "program": "NTM21.TC8",
            "title": f"Đánh giá tiêu chí 8 {commune_name} năm 2025",
            "places": commune,
            "implementing_unit": f"UBND {commune_name}",
            "year": 2025,
            "criterion_set": "QD318_TC8",
            "indicators": {"8.1": True, "8.2": True, "8.3": False, "8.4": True},
            "status": "draft",
        },
        "funding": {
            "program": "GNBV21.DA6.TDA1",
            "title": "Kế hoạch vốn sự nghiệp năm 2025 - Tiểu dự án 1",
            "places": whole_province,
            "funding_source": "NSTW",
            "year": 2025,
            "funding_type": "recurrent",
            "plan_amount": 1_000_000_000,
            "disbursed_amount": 600_000_000,
            "as_of": date(2025, 9, 30),
            "status": "draft",
        },
    }


def _how_to_fill(spec: KindSpec, column: Column, catalog: Catalog) -> str:
    """One line telling a person what to write in the column, in Vietnamese."""
    if column.role is Role.ROW_NUMBER:
        return "Số thứ tự (không bắt buộc, không được nhập vào phần mềm)"
    if column.role is Role.INDICATOR:
        return f"{MET} hoặc {NOT_MET}"
    field = column.field
    assert field is not None
    kind = field.type
    if kind is FieldType.TEXT:
        text = f"Văn bản, tối đa {format_number(field.max_length)} ký tự"
    elif kind is FieldType.DATE:
        text = "Ngày, dạng dd/mm/yyyy (ví dụ 05/03/2025)"
        if spec.year_based and field.name == "start_date":
            text += "; để trống thì lấy ngày 01/01 của năm"
        if field.name == "end_date":
            text += "; để trống thì bằng ngày bắt đầu"
    elif kind is FieldType.MONEY:
        text = "Số tiền (đồng), số nguyên không âm, ví dụ 1.234.567"
    elif kind is FieldType.INT:
        low, high = field.minimum or 0, field.maximum
        text = f"Số nguyên từ {format_number(low)}"
        if high is not None:
            text += f" đến {format_number(high)}"
    elif kind is FieldType.CODE:
        text = "Chọn trong danh sách (có thể gõ tên không dấu hoặc mã)"
    elif kind is FieldType.PLACES:
        text = (
            "Chọn xã, phường trong danh sách, hoặc gõ tên (không cần dấu) hay mã; nhiều địa "
            "bàn cách nhau bằng dấu chấm phẩy (;). Hoạt động trước 01/07/2025 ghi tên xã "
            "trước sắp xếp"
        )
        if spec.max_places == 1:
            text += "; chỉ một xã"
    elif kind is FieldType.BOOL:
        text = f"{YES} hoặc {NO}"
    else:
        text = ""
    if field.part_of:
        text += f"; không lớn hơn cột “{spec.field(field.part_of).label_vi}”"
    if field.default is not None and kind is FieldType.CODE:
        text += f"; để trống: {catalog.term_name(field.vocabulary or '', str(field.default))}"
    elif field.default is not None and kind in (FieldType.INT, FieldType.MONEY):
        text += f"; để trống: {format_number(field.default)}"  # type: ignore[arg-type]
    return text


def _allowed_values(column: Column, catalog: Catalog) -> str:
    if column.role is Role.INDICATOR:
        return f"{MET}; {NOT_MET}"
    field = column.field
    if field is None:
        return ""
    if field.type is FieldType.BOOL:
        return f"{YES}; {NO}"
    if field.type is FieldType.CODE and field.vocabulary:
        names = [term.vi for term in catalog.vocabulary(field.vocabulary).values()]
        if len(names) <= 20:
            return "; ".join(names)
        return f"{len(names)} giá trị: xem trang “{CATALOG_SHEET}”"
    return ""


class _CatalogSheet:
    """The hidden sheet holding the drop-down lists, a column per list."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.next_column = 1
        self.ranges: dict[str, str] = {}

    def add(self, key: str, title: str, values: list[str]) -> str:
        """Add a list (once per key); return its absolute range for a validation formula."""
        if key in self.ranges:
            return self.ranges[key]
        column = self.next_column
        self.next_column += 1
        letter = letters(column)[-1]
        self.sheet.cell(row=1, column=column, value=title).font = Font(name=_FONT, bold=True)
        for row, value in enumerate(values, start=2):
            self.sheet.cell(row=row, column=column, value=value)
        self.sheet.column_dimensions[letter].width = 45
        last = max(2, len(values) + 1)
        reference = f"{quote_sheetname(self.sheet.title)}!${letter}$2:${letter}${last}"
        self.ranges[key] = reference
        return reference


def _place_choices(catalog: Catalog, province: str) -> list[str]:
    """Current communes, the province, then the former units (for activities before 2025)."""
    admin = catalog.admin
    current = [place_label(unit) for unit in admin.communes(province)]
    unit = admin.get(province)
    whole = [place_label(unit)] if unit else []
    former = [u for u in admin if u.legacy and u.province == province]
    order = {"province": 0, "district": 1, "commune": 2}
    former.sort(key=lambda u: (order.get(u.level, 3), u.name))
    return current + whole + [place_label(u) for u in former]


def _validation(sheet: Worksheet, cells: str, *, error: str, style: str, **options: Any) -> None:
    """A data validation over ``cells``; ``style`` "warning" or "information" lets a person
    keep another value (the importer decides), "stop" would not."""
    validation = DataValidation(
        allow_blank=True,
        showErrorMessage=True,
        errorStyle=style,
        errorTitle="Giá trị không hợp lệ",
        error=error[:225],  # Excel's limit
        **options,
    )
    validation.add(cells)
    sheet.add_data_validation(validation)


def write_template(
    kind: str, path: Path | str, catalog: Catalog, *, province: str | None = None
) -> Path:
    """Write the import template of ``kind`` to ``path`` (.xlsx); return the path.

    ``province`` (the department's) fills the places drop-down list with its communes and
    makes the example row a valid record of it; without it the list is left out.

    Raises:
        KeyError: an unknown kind. StorageError: the file cannot be written.
    """
    spec = kind_spec(kind)
    target = Path(path)
    columns = sheet_columns(spec.code, catalog, hidden_codes=False, evidence=False)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_NAMES[spec.code]
    instructions = book.create_sheet(INSTRUCTIONS_SHEET)
    lists = _CatalogSheet(book.create_sheet(CATALOG_SHEET))
    lists.sheet.sheet_state = "hidden"

    _records_sheet(sheet, spec, columns, catalog, province, lists)
    _instructions_sheet(instructions, spec, columns, catalog)
    book.properties.creator = "CTMT Desktop"
    return save_workbook(book, target, "template")


def _records_sheet(
    sheet: Worksheet,
    spec: KindSpec,
    columns: list[Column],
    catalog: Catalog,
    province: str | None,
    lists: _CatalogSheet,
) -> None:
    names = letters(len(columns))
    last_row = FIRST_DATA_ROW + TEMPLATE_ROWS - 1
    title = sheet.cell(
        row=TITLE_ROW,
        column=1,
        value=f"MẪU NHẬP {spec.name_vi.upper()} — cột có dấu (*) là bắt buộc; xem trang "
        f"“{INSTRUCTIONS_SHEET}”",
    )
    title.font = Font(name=_FONT, bold=True, size=14)
    sheet.row_dimensions[TITLE_ROW].height = 22
    for index, column in enumerate(columns, start=1):
        sheet.cell(row=KEY_ROW, column=index, value=column.key).font = Font(
            name=_FONT, size=9, italic=True, color="808080"
        )
    sheet.row_dimensions[KEY_ROW].hidden = True

    example = _examples(catalog, province)[spec.code]
    cells = RecordCells(catalog, columns, place_codes=True).row(1, example)
    cells[0] = EXAMPLE_LABEL
    for index, column in enumerate(columns, start=1):
        letter = names[index - 1]
        required = column.field is not None and required_in_sheet(spec, column.field)
        header = sheet.cell(
            row=HEADER_ROW, column=index, value=column.header + (REQUIRED_MARK if required else "")
        )
        header.font = Font(name=_FONT, bold=True, color="C00000" if required else None)
        header.fill = _HEADER_FILL
        header.border = _BORDER
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        hint = _how_to_fill(spec, column, catalog)
        if hint:
            header.comment = Comment(hint, "CTMT Desktop", width=300, height=110)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        if column.number_format:
            dimension.number_format = column.number_format
        value = cells[index - 1]
        cell = sheet.cell(row=FIRST_DATA_ROW, column=index, value=value)
        cell.font = Font(name=_FONT, italic=True, color="595959")
        if column.number_format:
            cell.number_format = column.number_format
        cells_range = f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"
        _column_validation(sheet, column, cells_range, catalog, province, lists)
    sheet.row_dimensions[HEADER_ROW].height = 48
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    print_setup(sheet, landscape=True)


def _column_validation(
    sheet: Worksheet,
    column: Column,
    cells: str,
    catalog: Catalog,
    province: str | None,
    lists: _CatalogSheet,
) -> None:
    field = column.field
    if column.role is Role.INDICATOR:
        _validation(
            sheet,
            cells,
            type="list",
            formula1=f'"{MET},{NOT_MET}"',
            error=f"Nhập {MET} hoặc {NOT_MET}.",
            style="warning",
        )
        return
    if field is None:
        return
    kind = field.type
    if kind is FieldType.CODE and field.vocabulary:
        terms = catalog.vocabulary(field.vocabulary).values()
        reference = lists.add(field.vocabulary, field.label_vi, [term.vi for term in terms])
        _validation(
            sheet,
            cells,
            type="list",
            formula1=reference,
            error="Giá trị không có trong danh mục; chọn trong danh sách.",
            style="warning",
        )
    elif kind is FieldType.PLACES and province is not None:
        reference = lists.add("places", "Địa bàn", _place_choices(catalog, province))
        _validation(
            sheet,
            cells,
            type="list",
            formula1=reference,
            error="Không có trong danh sách xã, phường của tỉnh; vẫn có thể ghi nhiều địa "
            "bàn cách nhau bằng dấu chấm phẩy.",
            style="information",
        )
    elif kind is FieldType.BOOL:
        _validation(
            sheet,
            cells,
            type="list",
            formula1=f'"{YES},{NO}"',
            error=f"Nhập {YES} hoặc {NO}.",
            style="warning",
        )
    elif kind is FieldType.DATE:
        _validation(
            sheet,
            cells,
            type="date",
            operator="between",
            formula1="DATE(2000,1,1)",
            formula2="DATE(2100,12,31)",
            error=f"Nhập ngày dạng {DATE_FORMAT.lower()}.",
            style="warning",
        )
    elif kind in (FieldType.INT, FieldType.MONEY):
        low, high = field.minimum or 0, field.maximum
        options: dict[str, Any] = {"operator": "between", "formula1": str(low)}
        options["formula2"] = str(high if high is not None else 10**15)
        _validation(
            sheet,
            cells,
            type="whole",
            error=f"Nhập số nguyên từ {format_number(low)}"
            + (f" đến {format_number(high)}." if high is not None else "."),
            style="warning",
            **options,
        )


def _instructions_sheet(
    sheet: Worksheet, spec: KindSpec, columns: list[Column], catalog: Catalog
) -> None:
    records = SHEET_NAMES[spec.code]
    lines = [
        f"HƯỚNG DẪN NHẬP DỮ LIỆU: {spec.name_vi.upper()}",
        "",
        f"1. Nhập mỗi hoạt động trên một dòng của trang “{records}”, từ dòng {FIRST_DATA_ROW}. "
        f"Dòng có chữ “{EXAMPLE_LABEL}” ở cột STT là dòng mẫu, không được nhập; có thể xóa "
        "dòng đó hoặc ghi đè (xóa cả chữ “Ví dụ”).",
        "2. Cột có dấu (*) là bắt buộc. Không xóa dòng 2 (dòng ẩn chứa mã các cột): nhờ dòng "
        "này phần mềm nhận ra các cột và trang kể cả khi tiêu đề hoặc tên trang bị đổi.",
        "3. Ngày: kiểu ngày của Excel hoặc văn bản dạng dd/mm/yyyy, ví dụ 05/03/2025.",
        "4. Số: số nguyên, không âm; có thể viết 1.234.567 hoặc 1234567. Kinh phí tính bằng "
        "đồng. Số bộ phận (nữ, người DTTS…) không được lớn hơn tổng số.",
        "5. Danh mục: chọn trong danh sách thả xuống của ô; cũng có thể gõ tên không dấu "
        "(ví dụ “truc tiep”), tên tiếng Anh hoặc mã.",
        "6. Địa bàn: tên xã, phường (không cần dấu, không cần chữ “Xã”) hoặc mã; nhiều địa "
        "bàn cách nhau bằng dấu chấm phẩy (;). Hoạt động trước 01/07/2025 ghi tên xã trước "
        "sắp xếp; tên trùng nhau thì ghi kèm mã.",
        "7. Phần mềm kiểm tra tất cả các dòng trước khi ghi. Nếu có lỗi, không dòng nào được "
        "ghi; danh sách lỗi nêu rõ trang, dòng, cột và nội dung lỗi. Có thể chạy thử (không "
        "ghi) trước khi nhập.",
        "8. Tài liệu minh chứng đính kèm trong phần mềm, không nhập qua tệp Excel.",
        "9. Lưu tệp dạng Excel Workbook (.xlsx), không dùng macro.",
        "",
    ]
    for row, text in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text or None)
        cell.alignment = Alignment(wrap_text=False, vertical="top")
        cell.font = Font(name=_FONT, bold=row == 1, size=14 if row == 1 else 12)
    table_row = len(lines) + 1
    headings = ("Cột", "Tiêu đề", "Bắt buộc", "Cách nhập", "Giá trị cho phép")
    for index, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=table_row, column=index, value=heading)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    names = letters(len(columns))
    indicator_names = {
        term.code: term.vi
        for criterion_set in catalog.vocabulary("criterion_sets")
        for term in catalog.criterion_indicators(criterion_set)
    }
    for offset, column in enumerate(columns, start=1):
        required = column.field is not None and required_in_sheet(spec, column.field)
        header = column.header
        if column.role is Role.INDICATOR and column.indicator in indicator_names:
            header += f": {indicator_names[column.indicator]}"
        values = (
            names[offset - 1],
            header,
            "Có" if required else "",
            _how_to_fill(spec, column, catalog),
            _allowed_values(column, catalog),
        )
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=table_row + offset, column=index, value=value or None)
            cell.font = Font(name=_FONT)
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (6, 32, 10, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    print_setup(sheet, landscape=True)
