"""Validated import of records from an Excel workbook (.xlsx): all rows or none.

A workbook is checked as a file before any of its XML is parsed:

1. it exists, is not empty and not larger than :data:`MAX_FILE_BYTES`;
2. it is a zip holding ``[Content_Types].xml`` and ``xl/workbook.xml`` (else "not an Excel
   workbook"; old .xls files, binary .xlsb workbooks and Word documents are named as such);
3. it carries no macros (``vbaProject.bin``, a macro-enabled content type or an .xlsm name);
4. zip-bomb caps: at most :data:`MAX_ENTRIES` parts, :data:`MAX_UNCOMPRESSED_BYTES` in all
   once expanded, and no part expanding more than :data:`MAX_RATIO` times (Python's zipfile
   never returns more bytes than a part declares, so the declared sizes are binding);
5. no XML part declares a document type (DTD) or entities: external entities could read
   files of this computer, entity expansion could exhaust its memory;
6. ``defusedxml`` is installed, so that openpyxl parses every part with it (a second guard
   against the same attacks).

Only then is it opened read-only with openpyxl. The sheet of a kind is found by its name
(:data:`~ctmt_desktop.spreadsheets.layout.SHEET_NAMES`, diacritics and case ignored) or,
when renamed, by the hidden key row of the template or export; columns are mapped by that
key row, else by their headers (Vietnamese or English labels). Cell values are translated
into what the core accepts (Excel dates and ``dd/mm/yyyy`` text, ``1.234.567`` and
``1234567``, vocabulary names without diacritics, commune names within the province, a
former commune's with its district) and then every row is validated by the core's
:func:`~ctmt_desktop.services.records.validate_batch`, the one write path. Nothing is
written unless every row passes; problems name the sheet, the Excel row, the column and the
problem. An export's hidden code columns (``code:<field>``, ``code:places``) pick among names
that several units share and stand for names no longer in the catalog; a visible name that
names another unit wins.

A workbook gives values, not instructions. Sheets are read from their XML as written
(:class:`_SheetXml`), so that a formula is seen as one and never taken at the value cached
with it (which whoever made the file chose, and which Excel may not show):

* a formula in an imported cell is taken only when it is a plain arithmetic of numbers
  (digits, ``+ - * /``, brackets: ``=45000000+2000000``, at most
  :data:`MAX_FORMULA_LENGTH` characters), and then its value is recomputed here, exactly;
  any other formula (a reference, a function such as ``HYPERLINK`` or ``WEBSERVICE``, a DDE
  call ``=cmd|…``, a shared or array formula) is a problem naming the sheet and the cell.
  A formula in the key row or the header row refuses the file. The totals rows of an export
  ("Tổng cộng (công thức)") are skipped as before, their formulas unread;
* the hidden key row must agree with the visible headers: a column whose header is the label
  of another field than its key says is refused (a renamed header that names no field is
  still mapped by its key);
* rows that are hidden (or lower than :data:`MIN_ROW_HEIGHT` points) and hold values, the
  key row excepted, hidden columns of values, and cells merged over the data are refused,
  naming the rows, the column or the ranges.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import IO, Any

from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter, range_boundaries
from sqlalchemy import select
from sqlalchemy.orm import Session

from ctmt_desktop.accounts import Permission
from ctmt_desktop.catalog import REORGANISATION_DAY, AdminUnit, Catalog
from ctmt_desktop.db.models import EvidenceFile
from ctmt_desktop.errors import CtmtError, Problem, ValidationError
from ctmt_desktop.formatting import format_date
from ctmt_desktop.kinds import KIND_CODES, FieldSpec, FieldType, KindSpec, kind_spec
from ctmt_desktop.services.approval import locked_days
from ctmt_desktop.services.records import RecordContext, insert_validated, validate_batch
from ctmt_desktop.spreadsheets.layout import (
    HEADER_SEARCH_ROWS,
    LIST_SEPARATOR,
    MET,
    NOT_MET,
    ROW_NUMBER_HEADER,
    SHEET_NAMES,
    Role,
    folded_header,
    indicator_codes,
    kind_of_marker,
    place_label,
    place_name,
    required_in_sheet,
)
from ctmt_desktop.text import fold

__all__ = [
    "ImportCancelled",
    "ImportPlan",
    "ImportRejected",
    "ImportResult",
    "ImportRow",
    "SheetProblem",
    "SheetResult",
    "SkippedRow",
    "WorkbookError",
    "check_workbook_file",
    "import_workbook",
    "read_workbook",
]

Progress = Callable[[int, int], bool]

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
#: Parts smaller than this once expanded are not held to MAX_RATIO (a small sheet of
#: repeated empty cells legitimately packs very well).
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_ENTRIES = 10_000
MAX_DATA_ROWS = 200_000
#: Bytes of each XML part read to look for a DTD before the root element.
_PROLOG_BYTES = 64 * 1024
#: Records inserted per call: SQLAlchemy splices the RETURNING rows of a joined-inheritance
#: insert at a cost that grows with the call (10,000 records: 2.1 s by 2000, 1.2 s by 500).
_INSERT_CHUNK = 500
_BATCH_RECORD = re.compile(r"^record (\d+) of this batch$")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
_XML_SUFFIXES = (".xml", ".rels", ".vml")


# --- errors and results ----------------------------------------------------------------------
class WorkbookError(CtmtError):
    """The file cannot be imported at all (not a workbook, unsafe, no sheet, columns missing).

    Attributes:
        code: a stable identifier for a translated message (``not_found``, ``empty``,
            ``not_a_workbook``, ``macros``, ``too_large``, ``zip_bomb``, ``xml_entities``,
            ``no_defusedxml``, ``unreadable``, ``no_sheet``, ``several_sheets``,
            ``wrong_kind``, ``no_header``, ``duplicate_column``, ``missing_columns``,
            ``no_rows``, ``too_many_rows``, ``formula``, ``key_mismatch``,
            ``hidden_rows``, ``hidden_columns``, ``merged_cells``).
        params: values for that message.
    """

    def __init__(self, message: str, *, code: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class ImportCancelled(CtmtError):
    """The progress callback asked to stop; the caller's transaction must be rolled back."""


@dataclass(frozen=True)
class SheetProblem(Problem):
    """A problem of one cell (or row) of the workbook.

    Attributes:
        sheet: the sheet's name as in the file.
        excel_row: the row number Excel shows.
        column: the column letter, when the problem concerns one column.
        header: that column's header as in the file.
    """

    sheet: str = ""
    excel_row: int | None = None
    column: str | None = None
    header: str | None = None

    @property
    def location(self) -> str:
        parts = [f"sheet '{self.sheet}'"]
        if self.excel_row is not None:
            parts.append(f"row {self.excel_row}")
        if self.column is not None:
            parts.append(f"column {self.column} ({self.header})" if self.header else self.column)
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ImportRejected(ValidationError):
    """Rows of the workbook failed validation; nothing was written.

    ``problems`` are :class:`SheetProblem`\\ s in sheet and row order. When all of them are
    warnings (likely duplicates) the import may be repeated with ``allow_duplicates``.
    """

    problems: list[SheetProblem]  # type: ignore[assignment]


@dataclass(frozen=True)
class ImportRow:
    """A data row: its Excel row number and the values handed to validation."""

    excel_row: int
    values: dict[str, Any]


@dataclass(frozen=True)
class SkippedRow:
    """A row the importer left out on purpose.

    Attributes:
        reason: ``totals`` (the "Tổng cộng" rows of an export) or ``example`` (the
            template's "Ví dụ" row).
    """

    excel_row: int
    reason: str

    def __str__(self) -> str:
        what = {"totals": "a totals row", "example": "the template's example row"}
        return f"row {self.excel_row} skipped: {what.get(self.reason, self.reason)}"


@dataclass(frozen=True)
class ColumnRef:
    """Where a field sits in the sheet."""

    letter: str
    header: str


@dataclass
class ImportPlan:
    """What :func:`read_workbook` found in a sheet, before validation.

    Attributes:
        kind, sheet: the kind and the sheet's name in the file.
        rows: the data rows, values translated for validation.
        problems: what the importer itself could not translate (unknown or ambiguous
            names, ambiguous numbers…); validation adds the core's problems.
        columns: field name -> where its (visible) column is.
        skipped: rows left out on purpose.
        ignored_columns: columns that map to no field (``F (Ghi chú riêng)``).
    """

    path: Path
    kind: str
    sheet: str
    rows: list[ImportRow]
    problems: list[SheetProblem]
    columns: dict[str, ColumnRef]
    skipped: list[SkippedRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SheetResult:
    """The outcome for one sheet: clean records (and their ids when written)."""

    kind: str
    sheet: str
    records: list[dict[str, Any]]
    ids: list[int]
    skipped: list[SkippedRow]

    @property
    def count(self) -> int:
        return len(self.records)


@dataclass(frozen=True)
class ImportResult:
    """The outcome of :func:`import_workbook`.

    Attributes:
        dry_run: True when nothing was written (``records`` is what would be added).
        sheets: one entry per imported sheet.
    """

    path: Path
    dry_run: bool
    sheets: list[SheetResult]

    @property
    def counts(self) -> dict[str, int]:
        return {sheet.kind: sheet.count for sheet in self.sheets}

    @property
    def total(self) -> int:
        return sum(sheet.count for sheet in self.sheets)


# --- the file ---------------------------------------------------------------------------------
def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_workbook_file(path: Path | str) -> None:
    """Refuse a file that is not a safe .xlsx workbook; raise :class:`WorkbookError`."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise WorkbookError(f"{path}: no such file", code="not_found")
    if not path.is_file():
        raise WorkbookError(f"{path}: is a folder, not a workbook", code="not_a_workbook")
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError(f"{name}: the file is empty", code="empty")
    if size > MAX_FILE_BYTES:
        raise WorkbookError(
            f"{name}: the file is {_megabytes(size)}; workbooks above "
            f"{_megabytes(MAX_FILE_BYTES)} are refused",
            code="too_large",
            size=size,
            limit=MAX_FILE_BYTES,
        )
    if path.suffix.lower() in _MACRO_SUFFIXES:
        raise _macros(name)
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic == _OLE_MAGIC:
        raise WorkbookError(
            f"{name}: an Excel 97-2003 workbook (.xls) or a password-protected one; open it in "
            "Excel and save it as an Excel workbook (.xlsx) without a password",
            code="not_a_workbook",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(name, archive)
    except zipfile.BadZipFile as exc:
        raise WorkbookError(
            f"{name}: not an Excel workbook (.xlsx): the file is not a zip package (a text or "
            "CSV file, or a damaged download?); open it in Excel and save it as an Excel "
            "workbook",
            code="not_a_workbook",
        ) from exc
    except OSError as exc:
        raise WorkbookError(
            f"{name}: cannot be read ({exc.strerror or exc})", code="unreadable"
        ) from exc


def _macros(name: str) -> WorkbookError:
    return WorkbookError(
        f"{name}: the workbook contains macros (VBA); macros are refused: save it in Excel "
        "as 'Excel Workbook (*.xlsx)' and import that file",
        code="macros",
    )


def _check_archive(name: str, archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise WorkbookError(
            f"{name}: {len(entries):,} parts in the file; at most {MAX_ENTRIES:,} are accepted",
            code="zip_bomb",
            entries=len(entries),
        )
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names:
        raise WorkbookError(
            f"{name}: not an Excel workbook (.xlsx): no [Content_Types].xml in the zip",
            code="not_a_workbook",
        )
    if any(PurePosixPath(entry).name.lower() == "vbaproject.bin" for entry in names):
        raise _macros(name)
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            detail = "a binary workbook (.xlsb); save it in Excel as an Excel workbook (.xlsx)"
        elif "word/document.xml" in names:
            detail = "a Word document, not an Excel workbook"
        elif "ppt/presentation.xml" in names:
            detail = "a PowerPoint presentation, not an Excel workbook"
        else:
            detail = "not an Excel workbook (.xlsx): no xl/workbook.xml in the zip"
        raise WorkbookError(f"{name}: {detail}", code="not_a_workbook")
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise WorkbookError(
                f"{name}: the workbook is encrypted; remove its password in Excel first",
                code="not_a_workbook",
            )
        total += entry.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise WorkbookError(
                f"{name}: the workbook expands to more than "
                f"{_megabytes(MAX_UNCOMPRESSED_BYTES)}; refusing it (too large, or a zip bomb)",
                code="zip_bomb",
                limit=MAX_UNCOMPRESSED_BYTES,
            )
        if entry.file_size > RATIO_FLOOR_BYTES:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if ratio > MAX_RATIO:
                raise WorkbookError(
                    f"{name}: part {entry.filename} expands {ratio:,.0f} times its packed size "
                    f"(at most {MAX_RATIO} accepted); refusing a possible zip bomb",
                    code="zip_bomb",
                    part=entry.filename,
                    ratio=ratio,
                )
    content_types = archive.read("[Content_Types].xml")[: _PROLOG_BYTES * 4]
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        raise _macros(name)
    for entry in entries:
        if entry.filename.lower().endswith(_XML_SUFFIXES):
            with archive.open(entry) as handle:
                head = handle.read(_PROLOG_BYTES)
            if _declares_dtd(head):
                raise WorkbookError(
                    f"{name}: part {entry.filename} declares an XML document type (DTD) or "
                    "entities; such workbooks are refused (XML external entities can read "
                    "files of this computer)",
                    code="xml_entities",
                    part=entry.filename,
                )


def _declares_dtd(head: bytes) -> bool:
    """True when the start of an XML part holds a DTD, or no root element at all."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    elif head.startswith(b"<\x00"):
        text = head.decode("utf-16-le", errors="replace")
    elif head.startswith(b"\x00<"):
        text = head.decode("utf-16-be", errors="replace")
    else:
        text = head.decode("latin-1")
    root = re.search(r"<[A-Za-z_]", text)
    prolog = text if root is None else text[: root.start()]
    if "<!DOCTYPE" in prolog or "<!ENTITY" in prolog:
        return True
    # A root element must start within the first bytes; a prolog this long hides something.
    return root is None and len(head) >= _PROLOG_BYTES


def _load_workbook(path: Path, handle: IO[bytes]) -> Any:
    """Open a checked workbook read-only (its sheets are then read by :class:`_SheetXml`).

    openpyxl reads from ``handle``, which the caller closes: a sheet parser abandoned by an
    error keeps its zip member open, and would otherwise keep the file open too.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise WorkbookError(
            "defusedxml is not installed: refusing to read workbooks without protection "
            "against XML attacks (install the defusedxml package)",
            code="no_defusedxml",
        )
    # openpyxl.load_workbook, but closing the file when reading fails half-way.
    reader = ExcelReader(handle, read_only=True, keep_vba=False, data_only=True, keep_links=False)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it ignores (extensions, print settings…).
            warnings.simplefilter("ignore")
            reader.read()
    except DefusedXmlException as exc:
        reader.archive.close()
        raise WorkbookError(
            f"{path.name}: the workbook uses XML entities or a DTD; refused ({exc})",
            code="xml_entities",
        ) from exc
    except Exception as exc:  # openpyxl raises many types for damaged files
        reader.archive.close()
        raise WorkbookError(
            f"{path.name}: cannot be read as an Excel workbook ({type(exc).__name__}: {exc})",
            code="unreadable",
        ) from exc
    return reader.wb


# --- sheets as written -----------------------------------------------------------------------
@dataclass(frozen=True)
class _Formula:
    """A cell holding a formula: its text (without ``=``), never the value cached with it."""

    text: str
    plain: bool  # a formula of its own cell (not an array formula or a data table)

    def __str__(self) -> str:
        shown = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return f"={shown}"


class _SheetXml:
    """The rows of one sheet read from its XML with openpyxl's own parser, as written: a
    formula comes as a :class:`_Formula` (a read-only workbook opened for values would give
    the value cached with it, which the file's author chose), and the rows that are hidden
    (or shorter than :data:`MIN_ROW_HEIGHT` points), the hidden columns and the merged ranges
    are noted, which openpyxl's read-only sheets do not tell. Uses openpyxl 3.1's
    ``WorkSheetParser`` (the version is pinned)."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.hidden_rows: set[int] = set()
        self.hidden_columns: set[int] = set()  # 1-based
        self.merged: list[str] = []  # known once rows() has read to the end
        self.formula_rows: set[int] = set()

    def rows(self, max_row: int | None = None) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(Excel row number, values from column A) of each row written in the file."""
        from openpyxl.worksheet._reader import WorkSheetParser

        book = self.sheet.parent
        with self.sheet._get_source() as source:
            parser = WorkSheetParser(
                source,
                self.sheet._shared_strings,
                data_only=False,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            columns_seen = False
            for number, cells in parser.parse():
                if max_row is not None and number > max_row:
                    return
                if not columns_seen:  # <cols> comes before the rows
                    columns_seen = True
                    self._note_columns(parser.column_dimensions)
                if _hidden_row(parser.row_dimensions.get(str(number))):
                    self.hidden_rows.add(number)
                values, formulas = _row_values(cells)
                if formulas:
                    self.formula_rows.add(number)
                yield number, values
            if parser.merged_cells is not None:
                self.merged = [str(cell.ref) for cell in parser.merged_cells.mergeCell]

    def _note_columns(self, dimensions: dict[str, dict[str, str]]) -> None:
        for attributes in dimensions.values():
            if attributes.get("hidden") in ("1", "true"):
                first = int(attributes.get("min", 0))
                last = min(int(attributes.get("max", first)), first + 16384)
                self.hidden_columns.update(range(first, last + 1))


#: A row lower than this many points is as good as hidden (Excel's default is 15).
MIN_ROW_HEIGHT = 2.0


def _hidden_row(attributes: dict[str, str] | None) -> bool:
    if not attributes:
        return False
    if attributes.get("hidden") in ("1", "true"):
        return True
    try:
        return float(attributes.get("ht", MIN_ROW_HEIGHT)) < MIN_ROW_HEIGHT
    except ValueError:
        return False


def _row_values(cells: list[dict[str, Any]]) -> tuple[tuple[Any, ...], bool]:
    """A row's values by column from A, as openpyxl's ``values_only`` rows, formulas as
    :class:`_Formula`; and whether it holds any formula."""
    if not cells:
        return (), False
    values: list[Any] = [None] * max(cell["column"] for cell in cells)
    formulas = False
    for cell in cells:
        value = cell["value"]
        if cell["data_type"] == "f":
            formulas = True
            text = value if isinstance(value, str) else getattr(value, "text", None) or ""
            value = _Formula(text.removeprefix("="), isinstance(value, str))
        values[cell["column"] - 1] = value
    return tuple(values), formulas


def _has_value(row: Sequence[Any]) -> bool:
    return any(not _empty(value) for value in row)


# --- sheets and columns -------------------------------------------------------------------------
@dataclass
class _SheetHead:
    """The first rows of a sheet and what they say about it."""

    sheet: Any
    title: str
    rows: list[tuple[Any, ...]]
    xml: _SheetXml
    marker_kind: str | None = None
    marker_row: int | None = None  # 0-based index into rows
    marker_column: int | None = None


def _read_head(sheet: Any) -> _SheetHead:
    xml = _SheetXml(sheet)
    rows: list[tuple[Any, ...]] = []
    for number, values in xml.rows(max_row=HEADER_SEARCH_ROWS):
        if number <= len(rows):
            continue  # a row written out of order (openpyxl skips it too)
        rows.extend([()] * (number - 1 - len(rows)))  # rows not in the file are empty
        rows.append(values)
    head = _SheetHead(sheet, sheet.title, rows, xml)
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            kind = kind_of_marker(value)
            if kind is not None:
                head.marker_kind, head.marker_row, head.marker_column = kind, index, column
                return head
    return head


def _sheet_names(kind: str) -> set[str]:
    spec = kind_spec(kind)
    return {fold(SHEET_NAMES[kind]), kind, fold(spec.name_vi), fold(spec.name_en)}


def _find_sheet(name: str, heads: list[_SheetHead], kind: str) -> _SheetHead | None:
    """The sheet of ``kind``: by name, else the one sheet whose key row names the kind."""
    wanted = _sheet_names(kind)
    for head in heads:
        if fold(head.title) in wanted:
            if head.marker_kind is not None and head.marker_kind != kind:
                raise WorkbookError(
                    f"{name}: sheet '{head.title}' holds {head.marker_kind} records (its key "
                    f"row says so), not {kind} records",
                    code="wrong_kind",
                    sheet=head.title,
                )
            return head
    marked = [head for head in heads if head.marker_kind == kind]
    if len(marked) > 1:
        titles = ", ".join(f"'{head.title}'" for head in marked)
        raise WorkbookError(
            f"{name}: sheets {titles} all hold {kind} records; keep one, or name the one to "
            f"import '{SHEET_NAMES[kind]}'",
            code="several_sheets",
            sheets=[head.title for head in marked],
        )
    return marked[0] if marked else None


@dataclass(frozen=True)
class _Column:
    index: int
    letter: str
    header: str
    role: Role
    field: FieldSpec | None = None
    indicator: str | None = None

    @property
    def key(self) -> str:
        if self.role is Role.ROW_NUMBER:
            return "#"
        assert self.field is not None
        if self.role is Role.CODE:
            return f"code:{self.field.name}"
        if self.role is Role.INDICATOR:
            return f"indicator:{self.indicator}"
        if self.role is Role.EVIDENCE_HASH:
            return "evidence:sha256"
        return self.field.name


class _ColumnMatcher:
    """Maps keys of the key row and header texts to columns of a kind."""

    def __init__(self, spec: KindSpec, catalog: Catalog) -> None:
        self.spec = spec
        self.by_key: dict[str, tuple[Role, FieldSpec | None, str | None]] = {}
        self.by_header: dict[str, tuple[Role, FieldSpec | None, str | None]] = {}
        self.by_header[fold(ROW_NUMBER_HEADER)] = (Role.ROW_NUMBER, None, None)
        #: Every column a header text may name (by_header keeps the first of several).
        self.named_by: dict[str, set[tuple[Role, str | None, str | None]]] = {}
        for spec_field in spec.fields:
            if spec_field.type is FieldType.INDICATORS:
                for code in indicator_codes(catalog):
                    target = (Role.INDICATOR, spec_field, code)
                    self.by_key[f"indicator:{code}"] = target
                    for text in (f"Chỉ tiêu {code}", f"Indicator {code}", code):
                        self.by_header[folded_header(text)] = target
                continue
            value = (Role.VALUE, spec_field, None)
            self.by_key[spec_field.name] = value
            for text in (spec_field.label_vi, spec_field.label_en, spec_field.name):
                self.by_header.setdefault(folded_header(text), value)
            if spec_field.type in (FieldType.CODE, FieldType.PLACES):
                code_target = (Role.CODE, spec_field, None)
                self.by_key[f"code:{spec_field.name}"] = code_target
                self.by_header[folded_header(f"Mã: {spec_field.label_vi}")] = code_target
                self.by_header[folded_header(f"Code: {spec_field.label_en}")] = code_target
            elif spec_field.type is FieldType.EVIDENCE:
                hash_target = (Role.EVIDENCE_HASH, spec_field, None)
                self.by_key["evidence:sha256"] = hash_target
                self.by_header[folded_header("Mã SHA-256 của tệp")] = hash_target

    def names(self, header: str) -> set[tuple[Role, str | None, str | None]]:
        """The columns (role, field, indicator) ``header`` is a label of (none: a header
        of its own, renamed or translated)."""
        if not self.named_by:
            self.named_by[fold(ROW_NUMBER_HEADER)] = {(Role.ROW_NUMBER, None, None)}
            for folded, target in self.by_header.items():
                self.named_by.setdefault(folded, set()).add(_target_id(target))
            for spec_field in self.spec.fields:  # labels two fields share
                if spec_field.type is FieldType.INDICATORS:
                    continue
                for text in (spec_field.label_vi, spec_field.label_en, spec_field.name):
                    entry = (Role.VALUE, spec_field.name, None)
                    self.named_by.setdefault(folded_header(text), set()).add(entry)
        return self.named_by.get(folded_header(header), set())

    def header_matches(self, row: Sequence[Any]) -> int:
        return sum(
            1 for value in row if isinstance(value, str) and folded_header(value) in self.by_header
        )


def _target_id(
    target: tuple[Role, FieldSpec | None, str | None],
) -> tuple[Role, str | None, str | None]:
    role, spec_field, indicator = target
    return role, spec_field.name if spec_field is not None else None, indicator


def _refuse_formulas(name: str, head: _SheetHead, row_index: int, what: str) -> None:
    """A formula in the key row or the header row: the column mapping must be plain text."""
    for index, value in enumerate(head.rows[row_index] if row_index < len(head.rows) else ()):
        if isinstance(value, _Formula):
            cell = f"{get_column_letter(index + 1)}{row_index + 1}"
            raise WorkbookError(
                f"{name}: sheet '{head.title}', cell {cell} of the {what} holds the formula "
                f"{value}; only values are imported",
                code="formula",
                sheet=head.title,
                cell=cell,
            )


def _map_columns(
    name: str, head: _SheetHead, matcher: _ColumnMatcher
) -> tuple[list[_Column], int, list[str]]:
    """Columns of the sheet, the Excel row where data starts, and the ignored columns."""
    rows = head.rows
    keys: tuple[Any, ...] = ()
    if head.marker_row is not None:
        keys = rows[head.marker_row]
        header_index = head.marker_row + 1
        # The layout puts the headers right under the key row; if someone moved them, use
        # the best-matching row below it.
        below = rows[head.marker_row + 1 :]
        if below:
            best = max(range(len(below)), key=lambda i: matcher.header_matches(below[i]))
            if matcher.header_matches(below[best]) > matcher.header_matches(below[0]):
                header_index = head.marker_row + 1 + best
    else:
        scores = [matcher.header_matches(row) for row in rows]
        if not scores or max(scores) < 2:
            examples = ", ".join(
                f.label_vi for f in matcher.spec.fields if required_in_sheet(matcher.spec, f)
            )
            raise WorkbookError(
                f"{name}: sheet '{head.title}': no header row in its first "
                f"{HEADER_SEARCH_ROWS} rows (expected headers such as {examples})",
                code="no_header",
                sheet=head.title,
            )
        header_index = scores.index(max(scores))
    if head.marker_row is not None:
        _refuse_formulas(name, head, head.marker_row, "key row")
    _refuse_formulas(name, head, header_index, "header row")
    headers = rows[header_index] if header_index < len(rows) else ()
    width = max(len(keys), len(headers))
    columns: list[_Column] = []
    ignored: list[str] = []
    seen: dict[str, _Column] = {}
    for index in range(width):
        key = keys[index] if index < len(keys) else None
        header_value = headers[index] if index < len(headers) else None
        header = "" if header_value is None else str(header_value).strip()
        letter = get_column_letter(index + 1)
        target = None
        if index == head.marker_column and head.marker_row is not None:
            target = (Role.ROW_NUMBER, None, None)
        elif isinstance(key, str) and key.strip() in matcher.by_key:
            target = matcher.by_key[key.strip()]
        elif header:
            target = matcher.by_header.get(folded_header(header))
        if target is None:
            if header:
                ignored.append(f"{letter} ({header})")
            continue
        named = matcher.names(header) if header and head.marker_row is not None else set()
        if named and _target_id(target) not in named:
            raise WorkbookError(
                f"{name}: sheet '{head.title}', column {letter}: the hidden key row says "
                f"'{key if isinstance(key, str) else head.marker_kind}' but the header "
                f"'{header}' shown above the values names another column; the key row must "
                "match the visible headers (fix the header, or start from the template)",
                code="key_mismatch",
                sheet=head.title,
                column=letter,
                header=header,
            )
        role, spec_field, indicator = target
        if not header and spec_field is not None:
            header = spec_field.label_vi
        column = _Column(index, letter, header or ROW_NUMBER_HEADER, role, spec_field, indicator)
        if column.key in seen:
            other = seen[column.key]
            raise WorkbookError(
                f"{name}: sheet '{head.title}': columns {other.letter} and {letter} both hold "
                f"'{column.header}'; keep one",
                code="duplicate_column",
                sheet=head.title,
                columns=[other.letter, letter],
            )
        seen[column.key] = column
        columns.append(column)
    _check_required(name, head.title, matcher.spec, columns)
    first_data_row = max(header_index, head.marker_row or 0) + 2  # Excel rows count from 1
    return columns, first_data_row, ignored


def _check_required(name: str, title: str, spec: KindSpec, columns: list[_Column]) -> None:
    present = {column.field.name for column in columns if column.field is not None}
    missing = [f for f in spec.fields if required_in_sheet(spec, f) and f.name not in present]
    if missing:
        listed = ", ".join(f"{f.label_vi} ({f.name})" for f in missing)
        raise WorkbookError(
            f"{name}: sheet '{title}': missing required columns: {listed}",
            code="missing_columns",
            sheet=title,
            columns=[f.name for f in missing],
        )


# --- cell values ------------------------------------------------------------------------------
_PLAIN_INT = re.compile(r"[+-]?\d+")
_DOT_GROUPS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,0+)?")
_COMMA_GROUPS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.0+)?")
_SPACE_GROUPS = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+")
_CURRENCY = re.compile(r"\s*(₫|đồng|đ|vnđ|vnd)\.?$", re.IGNORECASE)
_DMY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_EXCEL_EPOCH = date(1899, 12, 30)
_LAST_EXCEL_SERIAL = 2_958_465  # 31/12/9999
_MET_WORDS = {fold(MET), "co", "x", "true", "yes", "1", "met"}
_NOT_MET_WORDS = {fold(NOT_MET), "chua dat", "khong", "false", "no", "0", "not met"}
_ITEM_SPLIT = re.compile(r"\s*[;\n]\s*")


class _Ambiguous(Exception):
    """A cell value that reads two ways."""


#: The longest formula taken as arithmetic, its deepest brackets and largest result.
MAX_FORMULA_LENGTH = 200
_MAX_FORMULA_DEPTH = 20
_MAX_FORMULA_VALUE = 10**18
_ARITHMETIC_TOKEN = re.compile(r"\s*(\d+(?:\.\d+)?|\.\d+|[-+*/()])")


def _arithmetic(text: str) -> Fraction | None:
    """The exact value of a formula made only of numbers, ``+ - * /`` and brackets
    (``45000000+2000000``, ``3*(15000+2500)``); None for anything else: a reference, a
    function, text, a name… Raises ZeroDivisionError."""
    source = text.strip()
    if not source or len(source) > MAX_FORMULA_LENGTH:
        return None
    tokens: list[str] = []
    position = 0
    while position < len(source):
        match = _ARITHMETIC_TOKEN.match(source, position)
        if match is None:
            return None
        tokens.append(match.group(1))
        position = match.end()
        while position < len(source) and source[position].isspace():
            position += 1

    def expression(at: int, depth: int) -> tuple[Fraction, int]:
        value, at = term(at, depth)
        while at < len(tokens) and tokens[at] in ("+", "-"):
            right, after = term(at + 1, depth)
            value = value + right if tokens[at] == "+" else value - right
            at = after
        return value, at

    def term(at: int, depth: int) -> tuple[Fraction, int]:
        value, at = factor(at, depth)
        while at < len(tokens) and tokens[at] in ("*", "/"):
            right, after = factor(at + 1, depth)
            value = value * right if tokens[at] == "*" else value / right
            at = after
        return value, at

    def factor(at: int, depth: int) -> tuple[Fraction, int]:
        if depth > _MAX_FORMULA_DEPTH or at >= len(tokens):
            raise _Ambiguous
        token = tokens[at]
        if token in ("+", "-"):
            value, at = factor(at + 1, depth + 1)
            return (value if token == "+" else -value), at
        if token == "(":
            value, at = expression(at + 1, depth + 1)
            if at >= len(tokens) or tokens[at] != ")":
                raise _Ambiguous
            return value, at + 1
        if token in ("*", "/", ")"):
            raise _Ambiguous
        return Fraction(token), at + 1

    try:
        value, end = expression(0, 0)
    except _Ambiguous:
        return None
    return value if end == len(tokens) else None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return format_date(value.date())
    return value


def _date_value(value: Any) -> Any:
    """An Excel date, ``dd/mm/yyyy`` (``.`` and ``-`` too) or an Excel serial number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= _LAST_EXCEL_SERIAL:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return value
    if isinstance(value, str):
        match = _DMY.fullmatch(value.strip())
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                return value.strip()  # the core reports it as not a date
    return value


def _number_value(value: Any, money: bool) -> Any:
    """Whole numbers from Excel numbers or text with Vietnamese or plain separators.

    ``1.234.567``, ``1234567``, ``1 234 567`` and ``1,234,567`` are 1234567; ``1,234`` reads
    as 1234 in English and 1,234 in Vietnamese, so it is refused as ambiguous. Text that is
    no number is handed on unchanged: the core's rule rejects it with its own message.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if money:
        text = _CURRENCY.sub("", text)
    if _PLAIN_INT.fullmatch(text):
        return int(text)
    if _DOT_GROUPS.fullmatch(text):
        return int(text.split(",")[0].replace(".", ""))
    if _SPACE_GROUPS.fullmatch(text):
        return int(re.sub(r"[ \u00a0\u202f]", "", text))
    if _COMMA_GROUPS.fullmatch(text):
        if text.count(",") == 1 and "." not in text:
            raise _Ambiguous
        return int(text.split(".")[0].replace(",", ""))
    return value


class _Choices:
    """Vocabulary terms by folded code, Vietnamese name or English name."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._index: dict[str, dict[str, list[str]]] = {}

    def lookup(self, vocabulary: str, text: str) -> list[str]:
        index = self._index.get(vocabulary)
        if index is None:
            index = {}
            for code, term in self.catalog.vocabulary(vocabulary).items():
                for name in (code, term.vi, term.en):
                    codes = index.setdefault(fold(name), [])
                    if code not in codes:
                        codes.append(code)
            self._index[vocabulary] = index
        terms = self.catalog.vocabulary(vocabulary)
        stripped = text.strip()
        if stripped in terms:
            return [stripped]
        return index.get(fold(stripped), [])

    def names(self, vocabulary: str) -> list[str]:
        return [term.vi for term in self.catalog.vocabulary(vocabulary).values()]


class _Places:
    """Administrative units of the province by code, ``name (code)`` or name.

    A name may leave out diacritics and the type (``lao bao`` for ``Xã Lao Bảo``). For a
    record dated before 01/07/2025 the communes of that time (legacy) are looked up first,
    then the current ones; for later records only the current ones (a legacy match is still
    handed on, so that the core explains that the unit ceased to exist).
    """

    _CODE_SUFFIX = re.compile(r"^(.*?)\s*\(\s*([^()]+?)\s*\)$")

    def __init__(self, catalog: Catalog, province: str) -> None:
        self.catalog = catalog
        self.province = province
        self._current: dict[str, list[AdminUnit]] = {}
        self._legacy: dict[str, list[AdminUnit]] = {}
        self._exact_current: dict[str, list[AdminUnit]] = {}
        self._exact_legacy: dict[str, list[AdminUnit]] = {}
        for unit in catalog.admin:
            if unit.province != province:
                continue
            suffixes = self._legacy if unit.legacy else self._current
            exact = self._exact_legacy if unit.legacy else self._exact_current
            words = unit.folded.split()
            exact.setdefault(unit.folded, []).append(unit)
            for start in range(len(words)):
                suffixes.setdefault(" ".join(words[start:]), []).append(unit)
        self._cache: dict[tuple[str, bool | None], str | list[AdminUnit]] = {}

    def province_name(self) -> str:
        unit = self.catalog.admin.get(self.province)
        return unit.name if unit else self.province

    def resolve(self, text: str, early: bool | None) -> str | list[AdminUnit]:
        """A code, or the candidates (none or several) when the text names no single unit.

        ``early``: the record starts before 01/07/2025 (None when its date is unknown).
        """
        key = (text, early)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._resolve(text, early)
        return cached

    def names(self, text: str, code: str) -> bool:
        """Whether ``text`` names the unit ``code``: the code itself, its name (with its
        former district, as exports write it) or ``name (code)``."""
        unit = self.catalog.admin.get(code)
        if unit is None or unit.province != self.province:
            return False
        stripped = text.strip()
        if stripped == code:
            return True
        match = self._CODE_SUFFIX.match(stripped)
        if match and match.group(2) == code:
            return True
        folded = fold(stripped)
        return folded in (unit.folded, fold(place_name(unit, self.catalog)))

    def _resolve(self, text: str, early: bool | None) -> str | list[AdminUnit]:
        admin = self.catalog.admin
        stripped = text.strip()
        if stripped in admin:
            return stripped
        match = self._CODE_SUFFIX.match(stripped)
        if match and match.group(2) in admin:
            return match.group(2)
        if ", " in stripped and not match:
            # "Xã Cam Thủy, Huyện Lệ Thủy": a former commune named with its district.
            name, _, district = stripped.rpartition(", ")
            found = self._resolve(name, early)
            candidates = [admin.get(found)] if isinstance(found, str) else found
            wanted = fold(district)
            narrowed = [
                unit
                for unit in candidates
                if unit is not None
                and unit.parent
                and (parent := admin.get(unit.parent)) is not None
                and parent.folded == wanted
            ]
            if narrowed:
                return narrowed[0].code if len(narrowed) == 1 else narrowed
        needle = fold(match.group(1) if match else stripped)
        if early is None:
            pools = [
                (self._exact_current, self._exact_legacy),
                (self._current, self._legacy),
            ]
        elif early:
            pools = [
                (self._exact_legacy,),
                (self._exact_current,),
                (self._legacy,),
                (self._current,),
            ]
        else:
            pools = [
                (self._exact_current,),
                (self._current,),
                (self._exact_legacy,),
                (self._legacy,),
            ]
        for group in pools:
            found: list[AdminUnit] = []
            for pool in group:
                found.extend(pool.get(needle, []))
            if found:
                unique = list({unit.code: unit for unit in found}.values())
                return unique[0].code if len(unique) == 1 else unique
        return []

    def describe(self, unit: AdminUnit) -> str:
        label = place_label(unit)
        if unit.legacy and unit.parent:
            parent = self.catalog.admin.get(unit.parent)
            if parent is not None:
                label += f", {parent.name}"
        return label


class _SheetReader:
    """Turns the rows of one sheet into values for validation, noting what it cannot read."""

    def __init__(
        self, head: _SheetHead, columns: list[_Column], choices: _Choices, places: _Places
    ) -> None:
        self.head = head
        self.choices = choices
        self.places = places
        self.problems: list[SheetProblem] = []
        self.by_field: dict[str, _Column] = {}
        self.code_columns: dict[str, _Column] = {}
        self.indicator_columns: list[_Column] = []
        self.hash_column: _Column | None = None
        self.row_number_column: _Column | None = None
        for column in columns:
            if column.role is Role.ROW_NUMBER:
                self.row_number_column = column
            elif column.role is Role.VALUE:
                assert column.field is not None
                self.by_field[column.field.name] = column
            elif column.role is Role.CODE:
                assert column.field is not None
                self.code_columns[column.field.name] = column
            elif column.role is Role.INDICATOR:
                self.indicator_columns.append(column)
            else:
                self.hash_column = column
        self.data_columns = [c for c in columns if c.role is not Role.ROW_NUMBER]

    def problem(
        self,
        row: int,
        column: _Column | None,
        field_name: str,
        code: str,
        message: str,
        **params: Any,
    ) -> None:
        self.problems.append(
            SheetProblem(
                field_name,
                code,
                message,
                params,
                sheet=self.head.title,
                excel_row=row,
                column=column.letter if column else None,
                header=column.header if column else None,
            )
        )

    def skip_reason(self, cells: Sequence[Any]) -> str | None:
        """Why a row is left out: blank, totals or example; None for a data row."""
        if all(_empty(self.cell(cells, c)) for c in self.data_columns):
            return ""
        if self.row_number_column is not None:
            label = self.cell(cells, self.row_number_column)
            if isinstance(label, str):
                folded = fold(label)
                if folded.startswith("tong cong"):
                    return "totals"
                if folded.startswith("vi du"):
                    return "example"
        return None

    def take_formulas(self, row: int, cells: tuple[Any, ...]) -> tuple[Any, ...]:
        """The cells with each formula of an imported column replaced by its value when it
        is a plain arithmetic of numbers (recomputed here); any other formula is a problem
        of its cell, which is then read as empty."""
        values = list(cells)
        for column in self.data_columns:
            value = values[column.index] if column.index < len(values) else None
            if not isinstance(value, _Formula):
                continue
            assert column.field is not None
            cell = f"{column.letter}{row}"
            try:
                result = _arithmetic(value.text) if value.plain else None
                problem = None if result is not None else "formula"
            except ZeroDivisionError:
                result, problem = None, "divides by zero"
            if result is not None and abs(result) > _MAX_FORMULA_VALUE:
                result, problem = None, "gives a number too large"
            if result is None:
                message = (
                    f"cell {cell} holds the formula {value}; formulas are not imported (only "
                    "a plain arithmetic of numbers such as =45000000+2000000): type the value"
                    if problem == "formula"
                    else f"cell {cell} holds the formula {value}, which {problem}"
                )
                self.problem(row, column, column.field.name, "formula", message, formula=str(value))
                values[column.index] = None
            else:
                values[column.index] = int(result) if result.denominator == 1 else float(result)
        return tuple(values)

    @staticmethod
    def cell(cells: Sequence[Any], column: _Column) -> Any:
        return cells[column.index] if column.index < len(cells) else None

    def read_row(self, excel_row: int, cells: Sequence[Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        codes: dict[str, str] = {}
        for name, column in self.code_columns.items():
            raw = self.cell(cells, column)
            if not _empty(raw):
                codes[name] = str(_text_value(raw)).strip()
        hidden_places = codes.pop("places", None)
        for name, column in self.by_field.items():
            raw = self.cell(cells, column)
            if _empty(raw):
                continue
            assert column.field is not None
            if column.field.type is FieldType.CODE:
                values[name] = self.code(excel_row, column, column.field, raw, codes.get(name))
            else:
                values[name] = self.convert(excel_row, column, column.field, raw)
        for name, code in codes.items():
            values.setdefault(name, code)
        if self.indicator_columns:
            results = self.indicators(excel_row, cells)
            if results:
                values["indicators"] = results
        if self.hash_column is not None or "evidence" in values:
            self.evidence(excel_row, cells, values)
        hidden = [code for code in _ITEM_SPLIT.split(hidden_places or "") if code]
        if "places" not in values and hidden:
            values["places"] = list(hidden)  # the names were cleared: the codes stand
        if "places" in values:
            values["places"] = self.place_codes(excel_row, values["places"], values, hidden)
        return values

    def convert(self, row: int, column: _Column, spec_field: FieldSpec, raw: Any) -> Any:
        kind = spec_field.type
        if kind is FieldType.TEXT:
            return _text_value(raw)
        if kind is FieldType.DATE:
            return _date_value(raw)
        if kind in (FieldType.INT, FieldType.MONEY):
            try:
                return _number_value(raw, kind is FieldType.MONEY)
            except _Ambiguous:
                self.problem(
                    row,
                    column,
                    spec_field.name,
                    "ambiguous_number",
                    f"'{raw}' is ambiguous (a thousands comma or a decimal comma?); write "
                    f"{str(raw).replace(',', '')} or {str(raw).replace(',', '.')}",
                    value=raw,
                )
                return raw
        if kind is FieldType.PLACES:
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                return [str(int(raw))]
            return [item for item in _ITEM_SPLIT.split(str(raw).strip()) if item]
        return raw

    def code(
        self, row: int, column: _Column, spec_field: FieldSpec, raw: Any, hidden: str | None
    ) -> Any:
        """The code a name, English name or code stands for.

        The visible name decides; the hidden code column of an export is used when the name
        is not (or no longer) in the catalog, or to pick among several matches.
        """
        vocabulary = spec_field.vocabulary
        assert vocabulary is not None
        text = _text_value(raw)
        if not isinstance(text, str):
            return raw
        codes = self.choices.lookup(vocabulary, text)
        if len(codes) == 1:
            return codes[0]
        if hidden is not None and (not codes or hidden in codes):
            return hidden
        if codes:
            self.problem(
                row,
                column,
                spec_field.name,
                "ambiguous_choice",
                f"'{text}' could be any of {', '.join(codes)}; write the code",
                value=text,
                candidates=codes,
            )
            return text
        names = self.choices.names(vocabulary)
        shown = ", ".join(names[:20]) + (", …" if len(names) > 20 else "")
        self.problem(
            row,
            column,
            spec_field.name,
            "unknown_choice",
            f"'{text}' is not in the list of {spec_field.label_vi}: use one of {shown}",
            value=text,
            vocabulary=vocabulary,
        )
        return text

    def indicators(self, row: int, cells: Sequence[Any]) -> dict[str, bool]:
        results: dict[str, bool] = {}
        for column in self.indicator_columns:
            raw = self.cell(cells, column)
            if _empty(raw):
                continue
            assert column.indicator is not None and column.field is not None
            if isinstance(raw, bool):
                results[column.indicator] = raw
                continue
            word = fold(str(int(raw)) if isinstance(raw, int | float) else str(raw))
            if word in _MET_WORDS:
                results[column.indicator] = True
            elif word in _NOT_MET_WORDS:
                results[column.indicator] = False
            else:
                self.problem(
                    row,
                    column,
                    column.field.name,
                    "invalid_indicator",
                    f"'{raw}' is neither {MET} nor {NOT_MET}",
                    value=raw,
                    indicator=column.indicator,
                )
        return results

    def evidence(self, row: int, cells: Sequence[Any], values: dict[str, Any]) -> None:
        names_cell = values.pop("evidence", None)
        names = [] if names_cell is None else _ITEM_SPLIT.split(str(names_cell).strip())
        hashes_cell = self.cell(cells, self.hash_column) if self.hash_column else None
        hashes = [] if _empty(hashes_cell) else _ITEM_SPLIT.split(str(hashes_cell).strip())
        hashes = [h for h in hashes if h]
        if hashes:
            values["evidence"] = [
                {"sha256": sha, "name": names[i] if i < len(names) and names[i] else sha}
                for i, sha in enumerate(hashes)
            ]
        elif names and any(names):
            column = self.by_field.get("evidence")
            self.problem(
                row,
                column,
                "evidence",
                "evidence_without_file",
                "evidence files cannot be attached from a spreadsheet; attach "
                f"{LIST_SEPARATOR.join(n for n in names if n)} in the app, or clear the cell",
            )

    def place_codes(
        self, row: int, items: Any, values: dict[str, Any], hidden: Sequence[str] = ()
    ) -> Any:
        """The codes of the places a cell names. An export's hidden ``code:places`` column
        (``hidden``) decides for each name that still names one of its units (the same
        position first): names repeat across the former districts."""
        if not isinstance(items, list):
            return items
        start = values.get("start_date")
        year = values.get("year")
        if isinstance(start, date):
            early: bool | None = start < REORGANISATION_DAY
        elif isinstance(year, int):
            early = date(year, 1, 1) < REORGANISATION_DAY
        else:
            early = None
        codes = []
        column = self.by_field.get("places")
        for position, item in enumerate(items):
            same = hidden[position : position + 1]
            named = next((code for code in [*same, *hidden] if self.places.names(item, code)), None)
            if named is not None:
                codes.append(named)
                continue
            found = self.places.resolve(item, early)
            if isinstance(found, str):
                codes.append(found)
                continue
            codes.append(item)
            if found:
                listed = "; ".join(self.places.describe(unit) for unit in found[:8])
                self.problem(
                    row,
                    column,
                    "places",
                    "ambiguous_place",
                    f"'{item}' could be {listed}; write the name in full or its code",
                    value=item,
                    candidates=[unit.code for unit in found],
                )
            else:
                self.problem(
                    row,
                    column,
                    "places",
                    "unknown_place_name",
                    f"'{item}' is not a commune (current or former) of "
                    f"{self.places.province_name()}, nor an administrative unit code",
                    value=item,
                )
        return codes


# --- reading ------------------------------------------------------------------------------------
def read_workbook(path: Path | str, kind: str, catalog: Catalog, province: str) -> ImportPlan:
    """Check the file, find the sheet of ``kind`` and translate its rows for validation.

    Nothing is validated against the core's rules yet and nothing is written: that is
    :func:`import_workbook`. Raises :class:`WorkbookError` when the file cannot be imported
    at all.
    """
    return _read_plans(Path(path), [kind_spec(kind).code], catalog, province)[0]


def _read_plans(
    path: Path, kinds: Sequence[str] | None, catalog: Catalog, province: str
) -> list[ImportPlan]:
    check_workbook_file(path)
    with path.open("rb") as handle:
        return _read_book(path, _load_workbook(path, handle), kinds, catalog, province)


def _read_book(
    path: Path, book: Any, kinds: Sequence[str] | None, catalog: Catalog, province: str
) -> list[ImportPlan]:
    name = path.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            heads = [_read_head(sheet) for sheet in book.worksheets]
            choices = _Choices(catalog)
            places = _Places(catalog, province)
            plans = []
            wanted = list(kinds) if kinds is not None else list(KIND_CODES)
            for kind in wanted:
                head = _find_sheet(name, heads, kind)
                if head is None:
                    if kinds is None:
                        continue
                    titles = ", ".join(f"'{h.title}'" for h in heads)
                    raise WorkbookError(
                        f"{name}: no sheet '{SHEET_NAMES[kind]}' of {kind} records "
                        f"(sheets: {titles}); name the sheet '{SHEET_NAMES[kind]}' or start "
                        "from the import template",
                        code="no_sheet",
                        expected=SHEET_NAMES[kind],
                        sheets=[h.title for h in heads],
                    )
                plans.append(_read_sheet(path, head, kind, catalog, choices, places))
            if not plans:
                expected = ", ".join(f"'{SHEET_NAMES[k]}'" for k in KIND_CODES)
                raise WorkbookError(
                    f"{name}: no sheet of records (expected one of {expected})",
                    code="no_sheet",
                    expected=list(SHEET_NAMES.values()),
                    sheets=[h.title for h in heads],
                )
            # Reading every kind, a sheet with no records (an export of a kind with none)
            # is left out; one asked for by name must hold some.
            filled = [plan for plan in plans if plan.rows]
            if not filled or (kinds is not None and len(filled) < len(plans)):
                empty = next(plan for plan in plans if not plan.rows)
                example = " (its example row 'Ví dụ' is skipped)" if empty.skipped else ""
                raise WorkbookError(
                    f"{name}: sheet '{empty.sheet}' has no records to import{example}",
                    code="no_rows",
                    sheet=empty.sheet,
                )
            return filled
    except WorkbookError:
        raise
    except DefusedXmlException as exc:
        raise WorkbookError(
            f"{name}: the workbook uses XML entities or a DTD; refused ({exc})",
            code="xml_entities",
        ) from exc
    except Exception as exc:  # damaged XML inside a part that looked right
        raise WorkbookError(
            f"{name}: cannot be read as an Excel workbook ({type(exc).__name__}: {exc})",
            code="unreadable",
        ) from exc
    finally:
        book.close()


def _refuse_hidden_and_merged(
    name: str, head: _SheetHead, columns: list[_Column], first_row: int, hidden: list[int]
) -> None:
    """Values a person reading the sheet does not see are not imported: hidden rows (the
    key row excepted), hidden columns of values, cells merged over the data."""
    xml = head.xml
    if hidden:
        shown = ", ".join(str(row) for row in hidden[:10]) + (", …" if len(hidden) > 10 else "")
        raise WorkbookError(
            f"{name}: sheet '{head.title}': rows {shown} are hidden and hold values; unhide "
            "them (to check what they hold) or delete them",
            code="hidden_rows",
            sheet=head.title,
            rows=hidden,
        )
    for column in columns:
        if column.role in (Role.VALUE, Role.INDICATOR) and column.index + 1 in xml.hidden_columns:
            raise WorkbookError(
                f"{name}: sheet '{head.title}': column {column.letter} ({column.header}) is "
                "hidden; unhide it (to check what it holds) or delete it",
                code="hidden_columns",
                sheet=head.title,
                column=column.letter,
            )
    imported = {column.index + 1 for column in columns}
    over = []
    for reference in xml.merged:
        try:
            first_column, first, last_column, last = range_boundaries(reference)
        except (TypeError, ValueError):
            continue
        if (first_column, first) == (last_column, last):
            continue  # one cell: nothing merged
        if (last or 0) >= first_row and imported & set(range(first_column, last_column + 1)):
            over.append(reference)
    if over:
        raise WorkbookError(
            f"{name}: sheet '{head.title}': cells {', '.join(over[:10])} are merged over the "
            "data; unmerge them so that each record has its own cells",
            code="merged_cells",
            sheet=head.title,
            ranges=over,
        )


def _read_sheet(
    path: Path,
    head: _SheetHead,
    kind: str,
    catalog: Catalog,
    choices: _Choices,
    places: _Places,
) -> ImportPlan:
    spec = kind_spec(kind)
    name = path.name
    columns, first_row, ignored = _map_columns(name, head, _ColumnMatcher(spec, catalog))
    reader = _SheetReader(head, columns, choices, places)
    rows: list[ImportRow] = []
    skipped: list[SkippedRow] = []
    xml = head.xml
    key_row = None if head.marker_row is None else head.marker_row + 1
    hidden: list[int] = []
    for excel_row, cells in xml.rows():
        if excel_row in xml.hidden_rows and excel_row != key_row and _has_value(cells):
            hidden.append(excel_row)
        if excel_row < first_row:
            continue
        reason = reader.skip_reason(cells)
        if reason is not None:
            if reason:
                skipped.append(SkippedRow(excel_row, reason))
            continue
        if len(rows) >= MAX_DATA_ROWS:
            raise WorkbookError(
                f"{name}: sheet '{head.title}' has more than {MAX_DATA_ROWS:,} rows; split it",
                code="too_many_rows",
                limit=MAX_DATA_ROWS,
            )
        if excel_row in xml.formula_rows:
            cells = reader.take_formulas(excel_row, cells)
        rows.append(ImportRow(excel_row, reader.read_row(excel_row, cells)))
    _refuse_hidden_and_merged(name, head, columns, first_row, hidden)
    refs = {key: ColumnRef(c.letter, c.header) for key, c in reader.by_field.items()}
    if reader.indicator_columns:  # the first indicator column stands for them all
        first = reader.indicator_columns[0]
        refs["indicators"] = ColumnRef(first.letter, first.header)
    for field_name, column in reader.code_columns.items():
        refs.setdefault(field_name, ColumnRef(column.letter, column.header))
    return ImportPlan(
        path=path,
        kind=spec.code,
        sheet=head.title,
        rows=rows,
        problems=reader.problems,
        columns=refs,
        skipped=skipped,
        ignored_columns=ignored,
    )


# --- importing ----------------------------------------------------------------------------------
def import_workbook(
    session: Session,
    context: RecordContext,
    path: Path | str,
    kind: str | None = None,
    *,
    dry_run: bool = False,
    allow_duplicates: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the records of ``kind`` (or of every kind with a sheet, when None), all or none.

    Every row is translated and validated with the core's rules first; when any row has a
    problem, :class:`ImportRejected` lists them all and nothing is written. With
    ``dry_run`` the clean records come back and nothing is written either. Otherwise they
    are inserted through the one write path, inside the caller's transaction: run it in
    ``with database.session() as session`` so that an error or a cancel (a ``progress``
    callback returning False raises :class:`ImportCancelled`) rolls everything back.

    Raises:
        WorkbookError: the file cannot be imported at all.
        ImportRejected: rows with problems (likely duplicates are warnings, accepted with
            ``allow_duplicates``).
        ImportCancelled: the progress callback asked to stop.
    """
    path = Path(path)
    context.require(Permission.IMPORT)  # a dry run is refused what the import would be
    kinds = None if kind is None else [kind_spec(kind).code]
    plans = _read_plans(path, kinds, context.catalog, context.province)
    total = sum(len(plan.rows) for plan in plans)
    if progress is not None and progress(0, total) is False:
        raise ImportCancelled("import cancelled; nothing was written")
    problems: list[SheetProblem] = []
    cleaned: list[list[dict[str, Any]]] = []
    for plan in plans:
        clean, plan_problems = _validate(session, context, plan, allow_duplicates)
        problems.extend(plan_problems)
        cleaned.append(clean)
    if problems:
        problems.sort(key=lambda p: (p.sheet, p.excel_row or 0, p.column or ""))
        raise ImportRejected(problems)
    results = []
    done = 0
    for plan, clean in zip(plans, cleaned, strict=True):
        ids: list[int] = []
        if not dry_run:
            spec = kind_spec(plan.kind)
            for first in range(0, len(clean), _INSERT_CHUNK):
                chunk = clean[first : first + _INSERT_CHUNK]
                rows = plan.rows[first : first + len(chunk)]
                source = (
                    f"{path.name}, sheet '{plan.sheet}', rows "
                    f"{rows[0].excel_row}-{rows[-1].excel_row}"
                )
                ids.extend(insert_validated(session, context, spec, chunk, audit_summary=source))
                done += len(chunk)
                if progress is not None and progress(done, total) is False:
                    raise ImportCancelled("import cancelled; nothing was written")
        results.append(SheetResult(plan.kind, plan.sheet, clean, ids, plan.skipped))
    if dry_run and progress is not None:
        progress(total, total)
    return ImportResult(path, dry_run, results)


def _validate(
    session: Session, context: RecordContext, plan: ImportPlan, allow_duplicates: bool
) -> tuple[list[dict[str, Any]], list[SheetProblem]]:
    """Validate a plan's rows with the core; return the clean records and every problem."""
    problems = list(plan.problems)
    reported = {(p.excel_row, p.field) for p in problems}
    items = [row.values for row in plan.rows]
    clean: list[dict[str, Any]] = []
    try:
        clean = validate_batch(
            session, context, plan.kind, items, allow_duplicates=allow_duplicates
        )
    except ValidationError as error:
        for problem in error.problems:
            row = plan.rows[problem.row or 0].excel_row
            if (row, problem.field) in reported:
                continue  # the importer already said what is wrong with that cell
            ref = plan.columns.get(problem.field)
            message, params = problem.message, problem.params
            other = _BATCH_RECORD.match(str(params.get("other", "")))
            if other is not None:  # a duplicate within the sheet: name its Excel row
                where = f"row {plan.rows[int(other.group(1)) - 1].excel_row} of this sheet"
                message = message.replace(other.group(0), where)
                params = {**params, "other": where}
            problems.append(
                SheetProblem(
                    problem.field,
                    problem.code,
                    message,
                    params,
                    problem.warning,
                    sheet=plan.sheet,
                    excel_row=row,
                    column=ref.letter if ref else None,
                    header=ref.header if ref else None,
                )
            )
        return [], problems
    if not problems:
        problems.extend(_unknown_evidence(session, plan, clean))
        problems.extend(_locked_rows(session, plan, clean))
    return clean, problems


def _locked_rows(
    session: Session, plan: ImportPlan, clean: Sequence[dict[str, Any]]
) -> Iterable[SheetProblem]:
    """Rows starting in a locked (approved or packaged) period: the write would refuse them,
    so a dry run names them too, each with its sheet, row and date column."""
    refusals = locked_days(session, (values["start_date"] for values in clean))
    if not refusals:
        return []
    ref = plan.columns.get("start_date") or plan.columns.get("year")
    field_name = "start_date" if "start_date" in plan.columns or ref is None else "year"
    found = []
    for row, values in zip(plan.rows, clean, strict=True):
        refusal = refusals.get(values["start_date"])
        if refusal is not None:
            found.append(
                SheetProblem(
                    field_name,
                    "period_locked",
                    str(refusal),
                    {
                        "period": refusal.period,
                        "day": refusal.day,
                        "locked_at": refusal.locked_at,
                        "approved_by": refusal.approved_by,
                        "approved_at": refusal.approved_at,
                    },
                    sheet=plan.sheet,
                    excel_row=row.excel_row,
                    column=ref.letter if ref else None,
                    header=ref.header if ref else None,
                )
            )
    return found


def _unknown_evidence(
    session: Session, plan: ImportPlan, clean: Sequence[dict[str, Any]]
) -> Iterable[SheetProblem]:
    """Rows naming evidence files (by hash) that this database does not hold."""
    wanted = {ref["sha256"] for values in clean for ref in values.get("evidence", [])}
    if not wanted:
        return []
    stored = set(
        session.scalars(select(EvidenceFile.sha256).where(EvidenceFile.sha256.in_(wanted)))
    )
    ref = plan.columns.get("evidence")
    found = []
    for row, values in zip(plan.rows, clean, strict=True):
        missing = [r for r in values.get("evidence", []) if r["sha256"] not in stored]
        if missing:
            found.append(
                SheetProblem(
                    "evidence",
                    "unknown_evidence",
                    "evidence files not stored in this database: "
                    + ", ".join(r["name"] for r in missing)
                    + "; attach them in the app",
                    sheet=plan.sheet,
                    excel_row=row.excel_row,
                    column=ref.letter if ref else None,
                    header=ref.header if ref else None,
                )
            )
    return found
