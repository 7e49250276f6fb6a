"""The sheet layout shared by the Excel export, the import templates and the importer.

A records sheet, whether exported or a template, looks the same::

    row 1   title (kind, count, filters)
    row 2   hidden key row: A2 holds the marker ``ctmt:<kind>:1``, the other cells the key of
            their column (``title``, ``code:program``, ``indicator:8.1``…)
    row 3   headers in Vietnamese (required ones marked ``(*)`` in templates)
    row 4…  one record per row

Column A is "STT" (row number): ignored on import, except that a row whose STT reads
"Tổng cộng…" (the totals rows of an export) or "Ví dụ" (a template's example row) is skipped.

Each field has one visible column holding what a person reads: codes as their Vietnamese
names, places by name (``Xã Lao Bảo``; a commune before the 2025 reorganisation with its
district, ``Xã Cam Thủy, Huyện Lệ Thủy``; templates offer them as ``Xã Lao Bảo (19432)``),
yes/no as ``Có``/``Không``, one column per criterion indicator (``Đạt``/``Không đạt``).
Exports add hidden trailing columns with the codes of the vocabulary fields and of the
places and the hashes of the evidence files, so that export then import gives identical
records even if the catalog renames a term or two communes share a name. The key row lets the
importer map columns whose headers were renamed or translated, and find a renamed sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ctmt_desktop.catalog import AdminUnit, Catalog
from ctmt_desktop.kinds import FieldSpec, FieldType, KindSpec, kind_spec
from ctmt_desktop.text import fold

LAYOUT_VERSION = 1
TITLE_ROW = 1
KEY_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4
#: How far down the importer looks for the key row or the header row.
HEADER_SEARCH_ROWS = 12

#: Sheet names (Excel allows 31 characters, none of ``[]:*?/\``).
SHEET_NAMES: dict[str, str] = {
    "training": "Tập huấn",
    "event": "Hội nghị, sự kiện",
    "media": "Sản phẩm truyền thông",
    "cluster": "Cụm thông tin",
    "radio": "Đài truyền thanh",
    "device": "Phương tiện nghe, xem",
    "criterion": "Đánh giá tiêu chí",
    "funding": "Kế hoạch vốn",
}
CATALOG_SHEET = "Danh mục"
INSTRUCTIONS_SHEET = "Hướng dẫn"

ROW_NUMBER_HEADER = "STT"
TOTAL_LABEL = "Tổng cộng"
FORMULA_TOTAL_LABEL = "Tổng cộng (công thức)"
EXAMPLE_LABEL = "Ví dụ"
REQUIRED_MARK = " (*)"

DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0"
YEAR_FORMAT = "0"
YES, NO = "Có", "Không"
MET, NOT_MET = "Đạt", "Không đạt"
#: Separator of several places or evidence files in one cell.
LIST_SEPARATOR = "; "

_MARKER = re.compile(r"^ctmt:([a-z]+):(\d+)$")
#: Numbers that are years: written without grouping (2024, not 2.024).
_YEARS = frozenset({"year", "year_in_service"})
#: Numbers whose sum means nothing (a sum of years, of unit prices).
_NOT_ADDITIVE = _YEARS | {"unit_cost"}


class Role(StrEnum):
    """What a column of a records sheet holds."""

    ROW_NUMBER = "row_number"
    VALUE = "value"  # the field's value as people read it
    CODE = "code"  # the catalog code of a vocabulary field (hidden in exports)
    INDICATOR = "indicator"  # met or not, for one criterion indicator
    EVIDENCE_HASH = "evidence_hash"  # SHA-256 of the evidence files (hidden in exports)


@dataclass(frozen=True)
class Column:
    """One column of a records sheet.

    Attributes:
        key: what the hidden key row holds for it.
        header: the Vietnamese header.
        role: what the column holds.
        field: the record field it belongs to (None for the row number).
        indicator: the indicator code of an INDICATOR column.
        hidden: hidden in the sheet (code and hash columns of exports).
    """

    key: str
    header: str
    role: Role
    field: FieldSpec | None = None
    indicator: str | None = None
    hidden: bool = False

    @property
    def number_format(self) -> str | None:
        if self.role is not Role.VALUE or self.field is None:
            return None
        if self.field.type is FieldType.DATE:
            return DATE_FORMAT
        if self.field.type in (FieldType.INT, FieldType.MONEY):
            return YEAR_FORMAT if self.field.name in _YEARS else NUMBER_FORMAT
        return None

    @property
    def additive(self) -> bool:
        """True for the numbers a totals row adds up."""
        return (
            self.role is Role.VALUE
            and self.field is not None
            and self.field.type in (FieldType.INT, FieldType.MONEY)
            and self.field.name not in _NOT_ADDITIVE
        )

    @property
    def width(self) -> float:
        """Column width in characters (headers wrap, so they need not fit on one line)."""
        if self.role is Role.ROW_NUMBER:
            return 7
        if self.role is Role.INDICATOR:
            return 11
        if self.role in (Role.CODE, Role.EVIDENCE_HASH):
            return 22
        assert self.field is not None
        name, kind = self.field.name, self.field.type
        if name == "title":
            return 48
        if name in ("notes", "program"):
            return 40
        widths = {
            FieldType.DATE: 12,
            FieldType.INT: 11,
            FieldType.MONEY: 17,
            FieldType.CODE: 26,
            FieldType.PLACES: 32,
            FieldType.BOOL: 12,
            FieldType.TEXT: 28,
            FieldType.EVIDENCE: 30,
        }
        return widths.get(kind, 16)


def marker(kind: str) -> str:
    """The text of cell A2 that names the kind of a records sheet."""
    return f"ctmt:{kind}:{LAYOUT_VERSION}"


def kind_of_marker(value: object) -> str | None:
    """The kind a marker cell names, or None when the value is not a marker."""
    if not isinstance(value, str):
        return None
    match = _MARKER.match(value.strip())
    return match.group(1) if match else None


def required_in_sheet(spec: KindSpec, field: FieldSpec) -> bool:
    """True when an import must have a column for ``field`` (no default, not derivable)."""
    if not field.required or field.default is not None:
        return False
    return not (spec.year_based and field.name == "start_date")


def indicator_codes(catalog: Catalog) -> list[str]:
    """Codes of every published criterion indicator, one column each in criterion sheets."""
    codes: list[str] = []
    for criterion_set in catalog.vocabulary("criterion_sets"):
        for term in catalog.criterion_indicators(criterion_set):
            if term.code not in codes:
                codes.append(term.code)
    return codes


def sheet_columns(
    kind: str,
    catalog: Catalog,
    *,
    fields: list[str] | None = None,
    hidden_codes: bool = True,
    evidence: bool = True,
) -> list[Column]:
    """The columns of a records sheet of ``kind``, in order.

    ``fields`` restricts and orders the fields (all of the kind by default);
    ``hidden_codes`` adds the trailing hidden code and hash columns; ``evidence`` keeps the
    evidence column (templates leave it out: files are attached in the app).
    """
    spec = kind_spec(kind)
    if fields is None:
        chosen = list(spec.fields)
    else:
        unknown = [name for name in fields if name not in spec.field_names]
        if unknown:
            raise ValueError(f"not fields of a {kind} record: {', '.join(unknown)}")
        chosen = [spec.field(name) for name in dict.fromkeys(fields)]
    if not evidence:
        chosen = [f for f in chosen if f.type is not FieldType.EVIDENCE]
    columns = [Column(marker(kind), ROW_NUMBER_HEADER, Role.ROW_NUMBER)]
    trailing: list[Column] = []
    for field in chosen:
        if field.type is FieldType.INDICATORS:
            columns.extend(
                Column(f"indicator:{code}", f"Chỉ tiêu {code}", Role.INDICATOR, field, code)
                for code in indicator_codes(catalog)
            )
            continue
        columns.append(Column(field.name, field.label_vi, Role.VALUE, field))
        if not hidden_codes:
            continue
        if field.type in (FieldType.CODE, FieldType.PLACES):
            trailing.append(
                Column(f"code:{field.name}", f"Mã: {field.label_vi}", Role.CODE, field, hidden=True)
            )
        elif field.type is FieldType.EVIDENCE:
            trailing.append(
                Column(
                    "evidence:sha256", "Mã SHA-256 của tệp", Role.EVIDENCE_HASH, field, hidden=True
                )
            )
    return columns + trailing


def column_letter(number: int) -> str:
    """The letters of the ``number``-th column (1: A, 26: Z, 27: AA), as openpyxl's
    ``get_column_letter`` gives them, without importing openpyxl (a tenth of a second that
    ``ctmt package`` does not need: the forms are written by our own streaming writer)."""
    if not 1 <= number <= 18278:  # XFD, the last column Excel allows
        raise ValueError(f"Invalid column index {number}")
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def letters(count: int) -> list[str]:
    """Column letters A, B, … for ``count`` columns."""
    return [column_letter(index + 1) for index in range(count)]


def place_label(unit: AdminUnit) -> str:
    """How a template offers a place: ``Xã Lao Bảo (19432)``."""
    return f"{unit.name} ({unit.code})"


def place_name(unit: AdminUnit, catalog: Catalog) -> str:
    """How an export writes a place: ``Xã Lao Bảo``; a former commune with its district,
    ``Xã Cam Thủy, Huyện Lệ Thủy`` (names repeat across the old districts). Its code is in
    the hidden ``code:places`` column."""
    if unit.legacy and unit.parent:
        district = catalog.admin.get(unit.parent)
        if district is not None and district.level == "district":
            return f"{unit.name}, {district.name}"
    return unit.name


def folded_header(text: str) -> str:
    """A header as the importer compares it: folded, without the required mark."""
    return fold(text.replace("(*)", "").replace("*", ""))
