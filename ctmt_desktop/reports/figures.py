"""Report contents as plain data: the period report, the list report and the criterion report.

Nothing here knows about PDF or Excel. A report is a letterhead (agency, number, place, date,
signer), some text and :class:`Table` objects whose cells hold typed values (``int`` counts,
``int`` đồng, ``float`` percentages, ``date``, ``str``) and whose totals were added up from
the same rows, which the builders read from the database. The PDF renderer
(:mod:`ctmt_desktop.reports.pdf`) and the Excel export print the same objects.

What the period report counts:

* activities (training, events, media, clusters, radio stations, devices) whose start date
  falls in the scope, grouped per program node under their program;
* funding plans and criterion assessments by their ``year`` (every year of the scope), as
  :func:`ctmt_desktop.services.indicators.funding_totals` does; the per-commune criterion
  table shows the latest assessed year of the scope;
* indicators as :func:`ctmt_desktop.services.indicators.compute_indicators` computes them,
  against the target of the scope (of its year for a half or a quarter).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctmt_desktop.catalog import REORGANISATION_DAY, AdminUnit, Catalog
from ctmt_desktop.db.models import (
    MODEL_OF_KIND,
    Activity,
    ActivityEvidence,
    ActivityPlace,
    Target,
)
from ctmt_desktop.errors import ConfigurationError, NotFoundError
from ctmt_desktop.formatting import format_date, format_money, format_number, format_percent
from ctmt_desktop.kinds import KIND_CODES, FieldSpec, FieldType, kind_spec
from ctmt_desktop.periods import PeriodError
from ctmt_desktop.services.indicators import (
    IndicatorValue,
    Scope,
    compute_indicators,
    parse_scope,
)
from ctmt_desktop.services.profile import current_profile, document_settings, title_lines
from ctmt_desktop.services.records import RecordQuery, ordered_ids
from ctmt_desktop.services.targets import find_target
from ctmt_desktop.text import fold, sort_key

__all__ = [
    "Agency",
    "Annex",
    "Column",
    "ColumnKind",
    "CriterionReport",
    "Letterhead",
    "ListReport",
    "PeriodReport",
    "Section",
    "Table",
    "agency_abbreviation",
    "build_criterion_report",
    "build_list_report",
    "build_period_report",
    "date_in_words",
    "describe_query",
    "list_columns",
    "make_letterhead",
    "period_in_words",
]

ColumnKind = Literal["text", "int", "number", "money", "percent", "date"]
"""How a column's values are written: ``int`` counts, ``number`` counts or rates (ints
without decimals, floats with one), ``money`` whole đồng, ``percent`` a float 0–100 (or
more), ``date`` a :class:`datetime.date`, ``text`` a string (an ``int`` in a text column is
a count, e.g. in a totals row)."""

TOTAL_LABEL = "Tổng cộng"
MET = "Đạt"
NOT_MET = "Không đạt"
NOT_ASSESSED = "Chưa đánh giá"
YES = "Có"
NO = "Không"
UNCLASSIFIED = "Chưa phân loại"
#: The target cell of an indicator without a target, when others of its table have one.
NO_TARGET = "Chưa giao"
#: Records read per query when a list report loads them.
LIST_CHUNK = 1000
#: Kinds whose records are placed in the scope by their ``year``, not their start date.
_YEAR_KINDS = frozenset(code for code in KIND_CODES if kind_spec(code).year_based)
#: Kinds reported in part I (activities); funding has its own part.
_ACTIVITY_KINDS = tuple(code for code in KIND_CODES if code != "funding")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]))?$")
_PHASE = re.compile(r"^(\d{4})-(\d{4})$")


# --- the data model ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A column of a table.

    Attributes:
        key: the key of the value in each row.
        label_vi: the column heading.
        kind: how values are written (see :data:`ColumnKind`).
        width: relative width, a hint for renderers (1 is a narrow number column).
    """

    key: str
    label_vi: str
    kind: ColumnKind = "text"
    width: float = 1.0


@dataclass
class Table:
    """A titled table: columns, rows of typed values and a totals row (empty: none).

    Attributes:
        key: a stable identifier (``training/GNBV21.DA6.TDA1.ND1``, ``annex/media``…) for
            renderers and tests.
        title: the caption.
        columns: the columns in order.
        rows: one dict per row, keyed by column key; a missing key is an empty cell.
        totals: the totals row (the first text column holds :data:`TOTAL_LABEL` or a
            label of its own); empty when the table has no totals.
        note: a sentence printed under the table (how a figure is computed).
        kind: the record kind the rows come from, if any.
        groups: ``(row index, heading)`` pairs: a heading printed across the table before
            that row (annexes group their records by program node this way).
    """

    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    kind: str | None = None
    groups: list[tuple[int, str]] = field(default_factory=list)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def values(self, key: str) -> list[Any]:
        """The values of one column, row by row."""
        return [row.get(key) for row in self.rows]


@dataclass
class Section:
    """A numbered heading with text and tables. Sections form a flat list; ``level`` (1 for
    the parts I, II…, 2 for a program, 3 for a node) gives the outline."""

    key: str
    number: str
    title: str
    level: int
    subtitle: str = ""
    text: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Annex:
    """An annex after the signature: ``Phụ lục I`` and its table."""

    number: str
    table: Table


@dataclass(frozen=True)
class Agency:
    """The sending agency, from the profile valid on the report's date."""

    name: str
    parent_body: str
    province_code: str
    province_name: str
    receiving_ministry: str


@dataclass(frozen=True)
class Letterhead:
    """What the official layout prints around the content (Decree 30/2020).

    Attributes:
        number: the document number: its serial (``12``), completed with the type and the
            agency's abbreviation into ``12/BC-SVHTTDL``, or the whole symbol as the clerk
            writes it (``125/BC-SVHTTDL``, kept as given); empty leaves the blank the clerk
            fills by hand.
        place: the place name of the date line (the province by default).
        signer_title: may hold two lines (``KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC``).
        recipients: the "Nơi nhận" list, last line ``Lưu: VT``.
        document_type: the code in the number (``BC`` for a report); empty for a document
            without a number.
        abbreviation: the agency's abbreviation in the symbol (``SVHTTDL``).
    """

    agency: Agency
    number: str
    place: str
    issued_on: date
    signer: str
    signer_title: str
    recipients: tuple[str, ...]
    document_type: str = "BC"
    abbreviation: str = ""

    @property
    def symbol(self) -> str:
        """``12/BC-SVHTTDL`` from the number and the abbreviation; empty without a number."""
        number = self.number.strip()
        if not number or not self.document_type or "/" in number:
            return number
        suffix = f"-{self.abbreviation}" if self.abbreviation else ""
        return f"{number}/{self.document_type}{suffix}"

    @property
    def number_line(self) -> str:
        """``Số: 12/BC-SVHTTDL``, or ``Số:      /BC-SVHTTDL`` with the blank the clerk fills in
        by hand; empty for a document without a number (a printed list)."""
        if not self.document_type:
            return ""
        if self.symbol:
            return f"Số: {self.symbol}"
        return f"Số:{' ' * 8}/{self.document_type}-{self.abbreviation or ' ' * 6}"

    @property
    def agency_line(self) -> str:
        """The agency's name under its parent body in the header: without the province when
        the parent body already names it (``UBND TỈNH QUẢNG TRỊ`` over ``SỞ VĂN HÓA, THỂ
        THAO VÀ DU LỊCH``, not ``… DU LỊCH TỈNH QUẢNG TRỊ``)."""
        return _without_province(self.agency.name, self.agency.parent_body)

    @property
    def title_lines(self) -> list[str]:
        """The signer's title as printed lines (``KT. GIÁM ĐỐC``, ``PHÓ GIÁM ĐỐC``)."""
        return title_lines(self.signer_title)

    @property
    def place_and_date(self) -> str:
        """``Quảng Trị, ngày 05 tháng 3 năm 2026`` (Decree 30: 0 before days 1–9, months 1–2)."""
        return f"{self.place}, {date_in_words(self.issued_on)}"

    @property
    def attachment_line(self) -> str:
        """The line under an annex title naming the report it belongs to."""
        number = f" số {self.symbol}" if self.symbol else ""
        return (
            f"(Kèm theo Báo cáo{number} ngày {format_date(self.issued_on)} của {self.agency.name})"
        )


@dataclass
class PeriodReport:
    """The 6-month, annual or phase report of results (see the module docstring).

    Attributes:
        scope: the period or phase.
        period_words: the scope in words (``6 tháng đầu năm 2024``).
        program: the program node the report is restricted to, if any.
        title, subtitle: ``BÁO CÁO`` and the summary line under it.
        introduction: paragraphs before part I.
        sections: parts I (activities per program node), II (indicators), III (funding).
        annexes: the records of each kind in the scope.
    """

    letterhead: Letterhead
    scope: Scope
    period_words: str
    program: str | None
    title: str
    subtitle: str
    introduction: list[str]
    sections: list[Section]
    annexes: list[Annex]

    def tables(self) -> Iterator[Table]:
        """Every table, sections first, then annexes."""
        for section in self.sections:
            yield from section.tables
        for annex in self.annexes:
            yield annex.table

    def table(self, key: str) -> Table:
        for table in self.tables():
            if table.key == key:
                return table
        raise KeyError(key)

    @property
    def record_count(self) -> int:
        """Records listed in the annexes."""
        return sum(len(annex.table.rows) for annex in self.annexes)


@dataclass
class ListReport:
    """What a table page shows: its filters in words, the chosen columns, every matching row."""

    letterhead: Letterhead
    kind: str
    title: str
    filters: list[str]
    table: Table

    @property
    def count(self) -> int:
        return len(self.table.rows)


@dataclass
class CriterionReport:
    """Every commune of the province with its ICT criterion status in a year.

    Attributes:
        legacy_units: True before 2025 (the communes before the 2025 reorganisation).
        communes, assessed, met: counts; ``assessed - met`` communes did not meet it.
    """

    letterhead: Letterhead
    year: int
    criterion_set: str
    criterion_name: str
    title: str
    subtitle: str
    introduction: list[str]
    table: Table
    legacy_units: bool
    communes: int
    assessed: int
    met: int

    @property
    def not_assessed(self) -> int:
        return self.communes - self.assessed


# --- words ---------------------------------------------------------------------------------------
def period_in_words(code: str) -> str:
    """``2024`` → ``năm 2024``; ``2024-H1`` → ``6 tháng đầu năm 2024``; ``2024-Q3`` →
    ``quý III năm 2024``; ``2021-2025`` → ``giai đoạn 2021-2025``."""
    text = code.strip().upper()
    phase = _PHASE.match(text)
    if phase:
        return f"giai đoạn {phase.group(1)}-{phase.group(2)}"
    match = _PERIOD.match(text)
    if not match:
        raise PeriodError(f"'{code}' is not a period or a phase")
    year, part = match.group(1), match.group(2)
    if part is None:
        return f"năm {year}"
    if part == "H1":
        return f"6 tháng đầu năm {year}"
    if part == "H2":
        return f"6 tháng cuối năm {year}"
    return f"quý {_ROMAN[int(part[1]) - 1]} năm {year}"


def date_in_words(day: date) -> str:
    """``ngày 05 tháng 3 năm 2026``: a 0 before days 1–9 and months 1–2 (Decree 30/2020)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


# --- letterhead ----------------------------------------------------------------------------------
def _default_signer_title(agency_name: str) -> str:
    # A department (Sở) is headed by a director; other agencies get the neutral title.
    return "GIÁM ĐỐC" if fold(agency_name).startswith("so ") else "THỦ TRƯỞNG CƠ QUAN"


_PROVINCE_WORDS = re.compile(r"\s+(?:tỉnh|thành phố|tp\.?)\s+(.+)$", re.IGNORECASE)


def _without_province(name: str, parent_body: str) -> str:
    """``name`` without its trailing ``tỉnh X`` (``thành phố X``) when ``parent_body`` ends
    with the same province."""
    match = _PROVINCE_WORDS.search(name.strip())
    if match is None or not parent_body.strip():
        return name.strip()
    if fold(parent_body).endswith(fold(match.group(1))):
        return name.strip()[: match.start()].rstrip(" ,")
    return name.strip()


def agency_abbreviation(name: str) -> str:
    """The usual abbreviation of an agency's name: the first letter of each syllable, ``và``
    left out, the province part too (``Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị`` →
    ``SVHTTDL``; ``Bộ Khoa học và Công nghệ`` → ``BKHCN``). A guess for profiles that do not
    set one; the profile's abbreviation wins."""
    match = _PROVINCE_WORDS.search(name.strip())
    core = name.strip()[: match.start()] if match else name.strip()
    letters = [word[0] for word in re.findall(r"\w+", core) if fold(word) != "va"]
    return "".join(letters).upper()


def make_letterhead(
    session: Session,
    catalog: Catalog,
    *,
    issued_on: date | None = None,
    number: str = "",
    place: str = "",
    signer: str = "",
    signer_title: str = "",
    recipients: Sequence[str] | None = None,
    document_type: str = "BC",
    abbreviation: str = "",
    settings: bool = True,
) -> Letterhead:
    """The letterhead from the agency profile valid on ``issued_on`` (today by default).

    The abbreviation, the signer, the title and the recipients not given here come from the
    profile's document settings (:class:`~ctmt_desktop.services.profile.DocumentSettings`),
    then from defaults; the number is per report (``12`` prints ``Số: 12/BC-<abbreviation>``).
    ``settings=False`` leaves the settings out (a list is signed by who drew it up, not by
    the report's signer).
    """
    day = issued_on or date.today()
    profile = current_profile(session, day)
    if profile is None:
        raise ConfigurationError(
            "the database has no agency profile yet; set it up before printing reports"
        )
    kept = document_settings(profile if settings else None)
    province = catalog.admin.get(profile.province_code)
    province_name = province.name if province else profile.province_code
    agency = Agency(
        name=profile.name,
        parent_body=profile.parent_body or "",
        province_code=profile.province_code,
        province_name=province_name,
        receiving_ministry=profile.receiving_ministry or "",
    )
    if recipients is None:
        recipients = kept.recipients or default_recipients(agency)
    return Letterhead(
        agency=agency,
        number=number.strip(),
        place=place.strip() or province_name,
        issued_on=day,
        signer=signer.strip() or kept.signer,
        signer_title=(
            signer_title.strip() or kept.signer_title or _default_signer_title(agency.name)
        ),
        recipients=tuple(recipients),
        document_type=document_type,
        abbreviation=(
            abbreviation.strip().upper() or kept.abbreviation or agency_abbreviation(agency.name)
        ),
    )


def default_recipients(agency: Agency) -> tuple[str, ...]:
    """The "Nơi nhận" of a profile that sets none: the receiving ministry and the parent
    body (to report to), then the office's own copy."""
    listed = [
        f"{body} (để báo cáo)"
        for body in (agency.receiving_ministry, agency.parent_body)
        if body.strip()
    ]
    return (*listed, "Lưu: VT")


# --- reading records -----------------------------------------------------------------------------
def _first_place(model: type[Activity]) -> Any:
    return (
        select(ActivityPlace.unit_code)
        .where(ActivityPlace.activity_id == model.id, ActivityPlace.position == 0)
        .scalar_subquery()
        .label("place_code")
    )


def _program_condition(model: type[Activity], program: str | None) -> list[Any]:
    if not program:
        return []
    return [(model.program == program) | model.program.startswith(program + ".")]


def _fetch_kind(
    session: Session, kind: str, scope: Scope, program: str | None
) -> list[dict[str, Any]]:
    """Every record of ``kind`` in the scope as a dict of its stored fields, plus
    ``place_names`` (display text) and ``place_code`` (its first place)."""
    spec = kind_spec(kind)
    model = MODEL_OF_KIND[kind]
    names = [f.name for f in spec.fields if f.type not in (FieldType.PLACES, FieldType.EVIDENCE)]
    columns = [model.id.label("id"), *(getattr(model, n).label(n) for n in names)]
    columns += [model.place_names.label("place_names"), _first_place(model)]
    if kind == "criterion":
        columns.append(model.met.label("met"))  # type: ignore[attr-defined]
    if kind in _YEAR_KINDS:
        in_scope = model.year.in_(list(scope.years))  # type: ignore[attr-defined]
    else:
        in_scope = model.start_date.between(scope.start, scope.end)
    statement = select(*columns).where(in_scope, *_program_condition(model, program))
    return [dict(row._mapping) for row in session.execute(statement)]


class _Order:
    """Catalog orders: program nodes in tree order, vocabulary terms in catalog order."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.program = {code: index for index, code in enumerate(catalog.programs)}
        self._vocabularies: dict[str, dict[str, int]] = {}

    def term(self, vocabulary: str, code: str | None) -> tuple[int, str]:
        index = self._vocabularies.get(vocabulary)
        if index is None:
            terms = self.catalog.vocabularies.get(vocabulary, {})
            index = self._vocabularies[vocabulary] = {c: i for i, c in enumerate(terms)}
        return (index.get(code or "", len(index) + (0 if code else 1)), code or "")

    def node(self, code: str) -> tuple[int, str]:
        return (self.program.get(code, len(self.program)), code)

    def record(self, row: dict[str, Any]) -> tuple[Any, ...]:
        return (*self.node(row["program"]), row["start_date"], row["id"])


def _total(rows: Iterable[dict[str, Any]], name: str) -> int:
    return sum(row.get(name) or 0 for row in rows)


def _share(part: float, whole: float) -> float | None:
    return 100.0 * part / whole if whole else None


def _numbered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for position, row in enumerate(rows, start=1):
        row["stt"] = position
    return rows


def _group(
    rows: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Any]
) -> dict[Any, list[dict[str, Any]]]:
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def _by_terms(
    rows: Iterable[dict[str, Any]], order: _Order, *fields: tuple[str, str]
) -> list[tuple[tuple[Any, ...], list[dict[str, Any]]]]:
    """``rows`` grouped by the terms of ``fields`` ((field, vocabulary) pairs), the groups in
    the catalog's order of those vocabularies."""
    groups = _group(rows, lambda r: tuple(r[field] for field, _ in fields))

    def position(codes: tuple[Any, ...]) -> tuple[tuple[int, str], ...]:
        vocabularies = (vocabulary for _, vocabulary in fields)
        return tuple(order.term(v, code) for v, code in zip(vocabularies, codes, strict=True))

    return [(codes, groups[codes]) for codes in sorted(groups, key=position)]


STT = Column("stt", "TT", "int", 0.55)
COST = Column("cost", "Kinh phí (đồng)", "money", 1.75)


def commune_label(catalog: Catalog, code: str | None, fallback: str = "") -> str:
    """A commune's name; a legacy one with its district (``Phường 1, Thành phố Đông Hà``),
    since names repeat across the old districts."""
    if not code:
        return fallback
    unit = catalog.admin.get(code)
    if unit is None:
        return fallback or code
    if unit.legacy and unit.parent:
        district = catalog.admin.get(unit.parent)
        if district is not None and district.level == "district":
            return f"{unit.name}, {district.name}"
    return unit.name


# --- part I: one table per kind and node ---------------------------------------------------------
def _training_table(key: str, rows: list[dict[str, Any]], order: _Order) -> Table:
    catalog = order.catalog
    out = []
    for (group,), part in _by_terms(rows, order, ("target_group", "participant_groups")):
        out.append(
            {
                "group": catalog.term_name("participant_groups", group) if group else UNCLASSIFIED,
                "records": len(part),
                "classes": _total(part, "classes"),
                "participants": _total(part, "participants"),
                "female": _total(part, "participants_female"),
                "ethnic": _total(part, "participants_ethnic"),
                "commune": _total(part, "participants_commune"),
                "village": _total(part, "participants_village"),
                "cost": _total(part, "cost"),
            }
        )
    columns = [
        STT,
        Column("group", "Đối tượng", "text", 3.2),
        Column("classes", "Số lớp", "int", 0.9),
        Column("participants", "Số lượt người", "int", 1.15),
        Column("female", "Trong đó: nữ", "int", 1.0),
        Column("ethnic", "Trong đó: DTTS", "int", 1.05),
        Column("commune", "Cấp xã", "int", 0.95),
        Column("village", "Cấp thôn, bản", "int", 1.0),
        COST,
    ]
    return Table(
        key,
        "Lớp tập huấn, bồi dưỡng theo đối tượng",
        columns,
        _numbered(out),
        _totals(columns, out, "group"),
        note="Số lượt người tính theo lượt tham dự; một người dự nhiều lớp được tính nhiều lượt.",
        kind="training",
    )


def _event_table(key: str, rows: list[dict[str, Any]], order: _Order) -> Table:
    catalog = order.catalog
    out = []
    for (group,), part in _by_terms(rows, order, ("event_type", "event_types")):
        out.append(
            {
                "type": catalog.term_name("event_types", group),
                "records": len(part),
                "sessions": _total(part, "sessions"),
                "participants": _total(part, "participants"),
                "female": _total(part, "participants_female"),
                "ethnic": _total(part, "participants_ethnic"),
                "poor": _total(part, "participants_poor"),
                "cost": _total(part, "cost"),
            }
        )
    columns = [
        STT,
        Column("type", "Loại hoạt động", "text", 2.6),
        Column("records", "Số hoạt động", "int", 1.0),
        Column("sessions", "Số cuộc, buổi", "int", 1.0),
        Column("participants", "Số lượt người", "int", 1.15),
        Column("female", "Trong đó: nữ", "int", 1.0),
        Column("ethnic", "Trong đó: DTTS", "int", 1.05),
        Column("poor", "Trong đó: hộ nghèo", "int", 1.05),
        COST,
    ]
    return Table(
        key,
        "Hội nghị, tọa đàm, đối thoại chính sách, liên hoan theo loại",
        columns,
        _numbered(out),
        _totals(columns, out, "type"),
        kind="event",
    )


def _media_minutes(row: dict[str, Any]) -> int:
    return (row["quantity"] or 0) * (row["duration_minutes"] or 0)


def _media_pages(row: dict[str, Any]) -> int:
    return (row["quantity"] or 0) * (row["pages"] or 0)


def _media_table(key: str, rows: list[dict[str, Any]], order: _Order) -> Table:
    catalog = order.catalog
    out = []
    fields = (("media_type", "media_types"), ("quantity_unit", "quantity_units"))
    for (media_type, unit), part in _by_terms(rows, order, *fields):
        out.append(
            {
                "type": catalog.term_name("media_types", media_type),
                "unit": catalog.term_name("quantity_units", unit),
                "records": len(part),
                "quantity": _total(part, "quantity"),
                "ethnic_quantity": sum(r["quantity"] or 0 for r in part if r["language"] != "vi"),
                "minutes": sum(_media_minutes(r) for r in part),
                "pages": sum(_media_pages(r) for r in part),
                "cost": _total(part, "cost"),
            }
        )
    columns = [
        STT,
        Column("type", "Loại sản phẩm", "text", 2.3),
        Column("unit", "Đơn vị tính", "text", 1.15),
        Column("quantity", "Số lượng", "int", 1.0),
        Column("ethnic_quantity", "Trong đó: tiếng DTTS", "int", 1.05),
        Column("minutes", "Tổng thời lượng (phút)", "int", 1.1),
        Column("pages", "Tổng số trang", "int", 1.1),
        COST,
    ]
    totals = _totals(columns, out, "type")
    totals.pop("unit", None)
    note = "Tổng thời lượng, tổng số trang = số lượng × thời lượng (số trang) của mỗi sản phẩm."
    by_unit = quantities_by_unit(rows, order)
    if len(by_unit) > 1:
        # Leaflets and articles are not added up: the totals are per unit, in the note.
        totals.pop("quantity", None)
        totals.pop("ethnic_quantity", None)
        note += f" Số lượng theo đơn vị tính: {quantity_words(by_unit)}."
    return Table(
        key,
        "Sản phẩm truyền thông theo loại",
        columns,
        _numbered(out),
        totals,
        note=note,
        kind="media",
    )


def quantities_by_unit(rows: Iterable[dict[str, Any]], order: _Order) -> list[tuple[str, int]]:
    """(unit name, total quantity) of media records, units in catalog order: quantities are
    only ever added within one unit."""
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row["quantity_unit"]] += row["quantity"] or 0
    ordered = sorted(totals, key=lambda code: order.term("quantity_units", code))
    return [(order.catalog.term_name("quantity_units", code), totals[code]) for code in ordered]


def quantity_words(by_unit: Sequence[tuple[str, int]]) -> str:
    """``876 tin, bài; 124 ảnh; 10.400 tờ``."""
    return "; ".join(f"{format_number(count)} {_lower_first(unit)}" for unit, count in by_unit)


def _cluster_table(key: str, rows: list[dict[str, Any]], order: _Order) -> Table:
    catalog = order.catalog
    out = []
    for (group,), part in _by_terms(rows, order, ("cluster_status", "cluster_statuses")):
        out.append(
            {
                "status": catalog.term_name("cluster_statuses", group),
                "records": len(part),
                "border_gate": sum(1 for r in part if r["cluster_type"] == "border_gate"),
                "grassroots": sum(1 for r in part if r["cluster_type"] != "border_gate"),
                "investment": _total(part, "investment"),
            }
        )
    columns = [  # a cluster's money is its investment (it has no cost field)
        STT,
        Column("status", "Tình trạng", "text", 2.4),
        Column("records", "Số cụm", "int", 0.9),
        Column("border_gate", "Tại cửa khẩu", "int", 1.0),
        Column("grassroots", "Cụm thông tin cơ sở", "int", 1.1),
        Column("investment", "Vốn đầu tư (đồng)", "money", 1.75),
    ]
    return Table(
        key,
        "Cụm thông tin theo tình trạng",
        columns,
        _numbered(out),
        _totals(columns, out, "status"),
        kind="cluster",
    )


def _radio_table(key: str, rows: list[dict[str, Any]], order: _Order) -> Table:
    catalog = order.catalog
    out = []
    for (group,), part in _by_terms(rows, order, ("technology", "radio_technologies")):
        hamlets, covered = _total(part, "hamlets"), _total(part, "hamlets_covered")
        out.append(
            {
                "technology": catalog.term_name("radio_technologies", group),
                "records": len(part),
                "communes": len({r["place_code"] for r in part}),
                "loudspeakers": _total(part, "loudspeaker_clusters"),
                "hamlets": hamlets,
                "covered": covered,
                "coverage": _share(covered, hamlets),
                "connected": sum(1 for r in part if r["connected_to_province"]),
                "cost": _total(part, "cost"),
            }
        )
    columns = [
        STT,
        Column("technology", "Công nghệ", "text", 2.3),
        Column("records", "Số lượt đài", "int", 0.95),
        Column("communes", "Số xã", "int", 0.8),
        Column("loudspeakers", "Số cụm loa", "int", 0.9),
        Column("hamlets", "Tổng số thôn, bản", "int", 0.95),
        Column("covered", "Số thôn, bản có loa", "int", 0.95),
        Column("coverage", "Tỷ lệ thôn có loa", "percent", 0.95),
        Column("connected", "Kết nối cấp tỉnh", "int", 0.9),
        COST,
    ]
    totals = _totals(columns, out, "technology")
    totals["communes"] = len({r["place_code"] for r in rows})
    totals["coverage"] = _share(totals["covered"], totals["hamlets"])
    return Table(
        key,
        "Đài truyền thanh cấp xã được đầu tư, nâng cấp theo công nghệ",
        columns,
        _numbered(out),
        totals,
        note=(
            "Số xã đếm mỗi xã một lần; số thôn, bản cộng theo từng lượt đầu tư. "
            "Tỷ lệ bao phủ hiện trạng theo xã ở Mục II."
        ),
        kind="radio",
    )


def _device_table(key: str, rows: list[dict[str, Any]], order: _Order) -> Table:
    catalog = order.catalog
    out = []
    fields = (("device_type", "device_types"), ("beneficiary_group", "beneficiary_groups"))
    for (device_type, beneficiary), part in _by_terms(rows, order, *fields):
        out.append(
            {
                "type": catalog.term_name("device_types", device_type),
                "beneficiary": catalog.term_name("beneficiary_groups", beneficiary),
                "records": len(part),
                "quantity": _total(part, "quantity"),
                "cost": _total(part, "cost"),
            }
        )
    columns = [
        STT,
        Column("type", "Loại phương tiện", "text", 2.6),
        Column("beneficiary", "Đối tượng thụ hưởng", "text", 2.6),
        Column("records", "Số lượt hỗ trợ", "int", 1.0),
        Column("quantity", "Số lượng", "int", 1.0),
        COST,
    ]
    totals = _totals(columns, out, "type")
    totals.pop("beneficiary", None)
    return Table(
        key,
        "Hỗ trợ phương tiện nghe, xem theo loại và đối tượng",
        columns,
        _numbered(out),
        totals,
        kind="device",
    )


def _criterion_codes(catalog: Catalog, rows: Iterable[dict[str, Any]]) -> list[str]:
    """Indicator codes of the criterion sets used by ``rows``, in catalog order."""
    codes: list[str] = []
    for criterion_set in dict.fromkeys(r["criterion_set"] for r in rows):
        for term in catalog.criterion_indicators(criterion_set):
            if term.code not in codes:
                codes.append(term.code)
    return codes


def _met_word(value: Any) -> str:
    if value is None:
        return ""
    return MET if value else NOT_MET


def latest_assessments(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per place code, the latest assessment of the latest year among ``rows``."""
    rows = list(rows)
    if not rows:
        return {}
    year = max(r["year"] for r in rows)
    latest: dict[str, dict[str, Any]] = {}
    for row in sorted(
        (r for r in rows if r["year"] == year), key=lambda r: (r["start_date"], r["id"])
    ):
        latest[row["place_code"]] = row
    return latest


def _criterion_table(key: str, rows: list[dict[str, Any]], order: _Order) -> Table:
    catalog = order.catalog
    latest = latest_assessments(rows)
    year = max(r["year"] for r in rows)
    codes = _criterion_codes(catalog, latest.values())
    out = []
    for code, row in latest.items():
        item: dict[str, Any] = {"commune": commune_label(catalog, code, row["place_names"])}
        for indicator in codes:
            item[indicator] = _met_word(row["indicators"].get(indicator))
        item["result"] = MET if row["met"] else NOT_MET
        out.append(item)
    out.sort(key=lambda item: sort_key(item["commune"]))
    columns = [
        STT,
        Column("commune", "Xã", "text", 3.4),
        *(Column(code, f"Chỉ tiêu {code}", "text", 1.05) for code in codes),
        Column("result", "Kết quả chung", "text", 1.2),
    ]
    totals: dict[str, Any] = {"commune": "Số xã đạt"}
    for indicator in codes:
        totals[indicator] = sum(1 for item in out if item[indicator] == MET)
    totals["result"] = sum(1 for item in out if item["result"] == MET)
    return Table(
        key,
        f"Kết quả đánh giá tiêu chí thông tin và truyền thông năm {year} theo xã",
        columns,
        _numbered(out),
        totals,
        kind="criterion",
    )


_SECTION_TABLES: dict[str, Callable[[str, list[dict[str, Any]], _Order], Table]] = {
    "training": _training_table,
    "event": _event_table,
    "media": _media_table,
    "cluster": _cluster_table,
    "radio": _radio_table,
    "device": _device_table,
    "criterion": _criterion_table,
}


def _totals(columns: Sequence[Column], rows: Sequence[dict[str, Any]], label: str) -> dict:
    """Sums of the count and money columns (not TT), the label in ``label``."""
    totals: dict[str, Any] = {label: TOTAL_LABEL}
    for column in columns:
        if column.key != "stt" and column.kind in ("int", "money"):
            totals[column.key] = sum(row.get(column.key) or 0 for row in rows)
    return totals


# --- annexes -------------------------------------------------------------------------------------
_ANNEX_TITLES = {
    "training": "Danh sách lớp tập huấn, bồi dưỡng",
    "event": "Danh sách hội nghị, tọa đàm, đối thoại chính sách, liên hoan",
    "media": "Danh sách sản phẩm truyền thông",
    "cluster": "Danh sách cụm thông tin",
    "radio": "Danh sách đài truyền thanh cấp xã được đầu tư, nâng cấp",
    "device": "Danh sách hỗ trợ phương tiện nghe, xem",
    "criterion": "Kết quả đánh giá tiêu chí thông tin và truyền thông của các xã",
    "funding": "Kế hoạch vốn và kết quả giải ngân",
}
TITLE = Column("title", "Tên hoạt động", "text", 3.3)
START = Column("start_date", "Ngày bắt đầu", "date", 1.3)
PLACES = Column("place_names", "Địa bàn", "text", 1.9)


def _annex_columns(kind: str, codes: Sequence[str]) -> list[Column]:
    if kind == "training":
        return [
            STT,
            replace(TITLE, label_vi="Tên lớp"),
            START,
            PLACES,
            Column("classes", "Số lớp", "int", 0.7),
            Column("days", "Số ngày", "int", 0.7),
            Column("participants", "Số lượt người", "int", 0.95),
            Column("participants_female", "Nữ", "int", 0.8),
            Column("participants_ethnic", "DTTS", "int", 0.8),
            replace(COST, width=1.55),
        ]
    if kind == "event":
        return [
            STT,
            TITLE,
            START,
            PLACES,
            Column("event_type", "Loại", "text", 1.3),
            Column("sessions", "Số cuộc", "int", 0.75),
            Column("participants", "Số lượt người", "int", 0.95),
            Column("participants_female", "Nữ", "int", 0.8),
            replace(COST, width=1.55),
        ]
    if kind == "media":
        return [
            STT,
            replace(TITLE, label_vi="Tên sản phẩm", width=3.6),
            Column("published_on", "Ngày phát hành", "date", 1.3),
            Column("media_type", "Loại", "text", 1.3),
            Column("quantity", "Số lượng", "int", 0.85),
            Column("quantity_unit", "Đơn vị", "text", 0.95),
            Column("duration_minutes", "Phút", "int", 0.65),
            Column("pages", "Trang", "int", 0.65),
            Column("language", "Ngôn ngữ", "text", 1.15),
            replace(COST, width=1.55),
        ]
    if kind == "cluster":
        return [
            STT,
            TITLE,
            START,
            PLACES,
            Column("cluster_type", "Loại cụm", "text", 1.6),
            Column("border_gate", "Cửa khẩu", "text", 1.4),
            Column("cluster_status", "Tình trạng", "text", 1.2),
            Column("year_in_service", "Năm sử dụng", "text", 0.85),
            Column("investment", "Vốn đầu tư (đồng)", "money", 1.6),
        ]
    if kind == "radio":
        return [
            STT,
            TITLE,
            START,
            replace(PLACES, label_vi="Xã"),
            Column("technology", "Công nghệ", "text", 1.35),
            Column("loudspeaker_clusters", "Cụm loa", "int", 0.7),
            Column("hamlets", "Số thôn", "int", 0.7),
            Column("hamlets_covered", "Thôn có loa", "int", 0.75),
            Column("connected_to_province", "Kết nối tỉnh", "text", 0.8),
            replace(COST, width=1.55),
        ]
    if kind == "device":
        return [
            STT,
            TITLE,
            START,
            PLACES,
            Column("device_type", "Loại phương tiện", "text", 1.4),
            Column("beneficiary_group", "Đối tượng", "text", 1.4),
            Column("quantity", "Số lượng", "int", 0.85),
            replace(COST, width=1.55),
        ]
    if kind == "criterion":
        return [
            STT,
            Column("commune", "Xã", "text", 3.4),
            Column("year", "Năm", "text", 0.8),
            *(Column(code, f"Chỉ tiêu {code}", "text", 1.0) for code in codes),
            Column("result", "Kết quả chung", "text", 1.1),
        ]
    if kind == "funding":
        return [
            STT,
            replace(TITLE, label_vi="Nội dung", width=2.8),
            Column("year", "Năm", "text", 0.7),
            Column("funding_source", "Nguồn vốn", "text", 1.5),
            Column("funding_type", "Loại vốn", "text", 1.2),
            Column("plan_amount", "Kế hoạch (đồng)", "money", 1.65),
            Column("disbursed_amount", "Đã giải ngân (đồng)", "money", 1.65),
            Column("as_of", "Đến ngày", "date", 1.3),
            Column("rate", "Tỷ lệ", "percent", 0.8),
        ]
    raise KeyError(kind)


def _annex_row(kind: str, row: dict[str, Any], catalog: Catalog, codes: Sequence[str]) -> dict:
    spec = kind_spec(kind)
    out = dict(row)
    for field_spec in spec.fields:
        name = field_spec.name
        if field_spec.type is FieldType.CODE and name != "program" and name in out:
            out[name] = catalog.term_name(field_spec.vocabulary or "", out[name])
        elif field_spec.type is FieldType.BOOL and name in out:
            out[name] = YES if out[name] else NO
    if kind == "media" and out.get("published_on") is None:
        out["published_on"] = row["start_date"]
    if kind == "cluster" and out.get("year_in_service") is not None:
        out["year_in_service"] = str(out["year_in_service"])
    if kind == "criterion":
        out["commune"] = commune_label(catalog, row["place_code"], row["place_names"])
        out["year"] = str(row["year"])
        for code in codes:
            out[code] = _met_word(row["indicators"].get(code))
        out["result"] = MET if row["met"] else NOT_MET
    if kind == "funding":
        out["year"] = str(row["year"])
        out["rate"] = _share(row["disbursed_amount"] or 0, row["plan_amount"] or 0)
    return out


def _annex_table(kind: str, rows: list[dict[str, Any]], order: _Order) -> Table:
    catalog = order.catalog
    codes = _criterion_codes(catalog, rows) if kind == "criterion" else []
    if kind == "criterion":
        ordered = sorted(
            rows,
            key=lambda r: (-r["year"], sort_key(commune_label(catalog, r["place_code"])), r["id"]),
        )
    else:
        ordered = sorted(rows, key=order.record)
    columns = _annex_columns(kind, codes)
    out = _numbered([_annex_row(kind, row, catalog, codes) for row in ordered])
    groups = []
    if kind != "criterion":
        previous = None
        for index, row in enumerate(ordered):
            if row["program"] != previous:
                previous = row["program"]
                groups.append((index, program_heading(catalog, previous)))
    label = columns[1].key
    totals = _totals(columns, out, label)
    for column in columns:
        if column.key in ("duration_minutes", "pages", "loudspeaker_clusters"):
            totals.pop(column.key, None)  # per-item figures: a sum would mislead
    if kind == "media" and len({row["quantity_unit"] for row in rows}) > 1:
        totals.pop("quantity", None)  # never added across units (tin, bài and tờ)
    if kind == "criterion":
        totals = {"commune": "Số lượt đạt"}
        for code in codes:
            totals[code] = sum(1 for r in out if r[code] == MET)
        totals["result"] = sum(1 for r in out if r["result"] == MET)
    if kind == "funding":
        totals["rate"] = _share(totals["disbursed_amount"], totals["plan_amount"])
    return Table(
        f"annex/{kind}",
        _ANNEX_TITLES.get(kind, f"Danh sách {_lower_first(kind_spec(kind).name_vi)}"),
        columns,
        out,
        totals,
        kind=kind,
        groups=groups,
    )


# --- part II: indicators -------------------------------------------------------------------------
_INDICATOR_UNITS = {
    "training_classes": "Lớp",
    "training_participants": "Lượt người",
    "event_participants": "Lượt người",
    "media_outputs": "Sản phẩm",
    "clusters_operating": "Cụm",
    "devices_delivered": "Chiếc, bộ",
}


def _target_period(scope: Scope) -> tuple[str, str]:
    """(period code of the targets to compare with, its words for the column heading)."""
    if scope.is_year_or_phase:
        return scope.code, "Chỉ tiêu giao"
    return str(scope.start.year), f"Chỉ tiêu năm {scope.start.year}"


def _indicator_table(
    session: Session,
    catalog: Catalog,
    province: str,
    scope: Scope,
    node: str,
    kinds_present: set[str],
) -> Table | None:
    period, target_label = _target_period(scope)
    values = compute_indicators(session, catalog, province, scope, node)
    rows = []
    for value in values:
        target = value.target
        if target is None and period != scope.code:
            found = find_target(session, province, node, value.code, period)
            target = found.value if found is not None else None
        if target is None and value.kind not in kinds_present:
            continue
        if value.code == "media_outputs" and target is None:
            continue  # a sum over every unit (leaflets and articles): only against its target
        rows.append(_indicator_row(value, target))
    if not rows:
        return None
    name = catalog.term_name("program", node)
    columns = [
        STT,
        Column("indicator", "Chỉ tiêu", "text", 4.2),
        Column("unit", "Đơn vị tính", "text", 1.1),
        Column("value", "Kết quả thực hiện", "number", 1.25),
    ]
    note = ""
    if any(row["target"] is not None for row in rows):
        columns += [
            Column("target", target_label, "number", 1.25),
            Column("progress", "Tỷ lệ so với chỉ tiêu", "percent", 1.25),
        ]
        for row in rows:
            if row["target"] is None:
                row["target"] = NO_TARGET
    else:
        note = f"Chưa giao chỉ tiêu {period_in_words(period)} cho các chỉ tiêu này."
    return Table(
        f"indicators/{node}",
        f"Chỉ tiêu của {_lower_first(name) if node.count('.') else name}",
        columns,
        _numbered(rows),
        note=note,
    )


def _indicator_row(value: IndicatorValue, target: float | None) -> dict[str, Any]:
    percent = value.unit == "percent"
    figure: float | int | None = value.value
    if figure is not None and not percent:
        figure = round(figure)
    target_value: float | int | None = target
    if target is not None and not percent and float(target).is_integer():
        target_value = int(target)
    progress = None
    if target and value.value is not None:
        progress = 100.0 * value.value / target
    unit = "%" if percent else _INDICATOR_UNITS.get(value.code, "Số lượng")
    if value.code == "media_outputs":
        unit = "Sản phẩm (mọi đơn vị tính)"
    return {
        "indicator": value.name_vi,
        "unit": unit,
        "value": None if figure is None else (float(figure) if percent else figure),
        "target": target_value,
        "progress": progress,
        "code": value.code,
    }


# --- part III: funding ---------------------------------------------------------------------------
def _funding_columns(first: Column | None) -> list[Column]:
    return [
        STT,
        *([first] if first is not None else []),
        Column("source", "Nguồn vốn", "text", 1.7),
        Column("type", "Loại vốn", "text", 1.35),
        Column("plan", "Kế hoạch vốn (đồng)", "money", 1.75),
        Column("disbursed", "Đã giải ngân (đồng)", "money", 1.75),
        Column("rate", "Tỷ lệ giải ngân", "percent", 0.95),
    ]


def _funding_rows(
    rows: Iterable[dict[str, Any]], order: _Order, by_node: bool
) -> list[dict[str, Any]]:
    catalog = order.catalog

    def key(row: dict[str, Any]) -> tuple[str, str, str]:
        return (row["program"] if by_node else "", row["funding_source"], row["funding_type"])

    groups = _group(rows, key)
    ordered = sorted(
        groups,
        key=lambda g: (
            order.node(g[0]),
            order.term("funding_sources", g[1]),
            order.term("funding_types", g[2]),
        ),
    )
    out = []
    for node, source, funding_type in ordered:
        part = groups[(node, source, funding_type)]
        plan, disbursed = _total(part, "plan_amount"), _total(part, "disbursed_amount")
        item = {
            "source": catalog.term_name("funding_sources", source),
            "type": catalog.term_name("funding_types", funding_type),
            "plan": plan,
            "disbursed": disbursed,
            "rate": _share(disbursed, plan),
        }
        if by_node:
            item["node"] = catalog.term_name("program", node)
        out.append(item)
    return _numbered(out)


def _funding_section(rows: list[dict[str, Any]], order: _Order, scope: Scope) -> list[Table]:
    tables = []
    roots = _group(rows, lambda r: r["program"].split(".", 1)[0])
    for root in sorted(roots, key=order.node):
        part = roots[root]
        columns = _funding_columns(Column("node", "Dự án, nội dung", "text", 3.0))
        out = _funding_rows(part, order, by_node=True)
        totals = _totals(columns, out, "node")
        totals["rate"] = _share(totals["disbursed"], totals["plan"])
        tables.append(
            Table(
                f"funding/{root}",
                order.catalog.term_name("program", root),
                columns,
                out,
                totals,
                kind="funding",
            )
        )
    columns = _funding_columns(None)
    out = _funding_rows(rows, order, by_node=False)
    totals = _totals(columns, out, "source")
    totals["rate"] = _share(totals["disbursed"], totals["plan"])
    years = f"năm {scope.start.year}" if len(scope.years) == 1 else f"các năm {scope.code}"
    tables.append(
        Table(
            "funding/summary",
            f"Tổng hợp theo nguồn vốn và loại vốn ({years})",
            columns,
            out,
            totals,
            kind="funding",
        )
    )
    return tables


# --- the period report ---------------------------------------------------------------------------
def _ancestry(catalog: Catalog, code: str) -> list[str]:
    """The names of the nodes between the program and ``code``, from the top
    (``Dự án 6: …``, ``Tiểu dự án 1: …``)."""
    names = []
    node = catalog.program(code)
    parent = catalog.program(node.parent) if node and node.parent else None
    while parent is not None and parent.parent is not None:
        names.append(parent.name)
        parent = catalog.program(parent.parent) if parent.parent else None
    return list(reversed(names))


def program_heading(catalog: Catalog, code: str) -> str:
    """A program node named for a heading over rows: its name and, below the program
    level, the program's short name (``Nâng cấp đài truyền thanh cấp xã (Giảm nghèo bền
    vững 2021-2025)``); never its code."""
    node = catalog.program(code)
    if node is None:
        return code
    root = catalog.program(node.program_code)
    if root is None or root.code == node.code:
        return node.name
    return f"{node.name} ({root.short_name or root.name})"


def _summary_sentences(data: dict[str, list[dict[str, Any]]], order: _Order) -> list[str]:
    """The figures a reader looks for first, in one paragraph."""
    parts = []
    training = data.get("training") or []
    if training:
        parts.append(
            f"tổ chức {format_number(_total(training, 'classes'))} lớp tập huấn, bồi dưỡng với "
            f"{format_number(_total(training, 'participants'))} lượt người tham gia (nữ "
            f"{format_number(_total(training, 'participants_female'))} lượt, người dân tộc "
            f"thiểu số {format_number(_total(training, 'participants_ethnic'))} lượt)"
        )
    events = data.get("event") or []
    if events:
        parts.append(
            f"tổ chức {format_number(len(events))} hội nghị, tọa đàm, đối thoại chính sách, "
            f"liên hoan ({format_number(_total(events, 'sessions'))} cuộc, buổi) với "
            f"{format_number(_total(events, 'participants'))} lượt người tham dự"
        )
    media = data.get("media") or []
    if media:
        parts.append(
            f"sản xuất, phát hành sản phẩm truyền thông ({format_number(len(media))} lượt thực "
            f"hiện): {quantity_words(quantities_by_unit(media, order))}"
        )
    clusters = data.get("cluster") or []
    if clusters:
        parts.append(f"đầu tư, vận hành {format_number(len(clusters))} cụm thông tin")
    radio = data.get("radio") or []
    if radio:
        communes = len({r["place_code"] for r in radio})
        parts.append(
            f"đầu tư, nâng cấp đài truyền thanh tại {format_number(communes)} xã "
            f"({format_number(len(radio))} lượt)"
        )
    devices = data.get("device") or []
    if devices:
        parts.append(f"hỗ trợ {format_number(_total(devices, 'quantity'))} phương tiện nghe, xem")
    if not parts:
        return ["Trong kỳ báo cáo chưa có hoạt động nào được cập nhật vào cơ sở dữ liệu."]
    # The kinds' cost; a cluster's money is an investment, said apart rather than added in.
    cost = sum(_total(data.get(kind) or [], "cost") for kind in _ACTIVITY_KINDS)
    money = f"Tổng kinh phí thực hiện các hoạt động: {format_money(cost)}"
    investment = _total(clusters, "investment")
    if investment:
        money += f"; vốn đầu tư cụm thông tin: {format_money(investment)}"
    text = "Trong kỳ báo cáo, đã " + "; ".join(parts) + "."
    return [text, money + "."]


def build_period_report(
    session: Session,
    catalog: Catalog,
    *,
    scope: str,
    program: str | None = None,
    number: str = "",
    place: str = "",
    signer: str = "",
    signer_title: str = "",
    recipients: Sequence[str] | None = None,
    abbreviation: str = "",
    issued_on: date | None = None,
) -> PeriodReport:
    """The report of results over ``scope`` (``2024``, ``2024-H1``, ``2021-2025``…).

    ``program`` restricts it to a node and its sub-nodes. ``number``, ``place``, ``signer``,
    ``signer_title``, ``recipients`` and ``abbreviation`` go into the letterhead and the
    signature block (those not given come from the profile's document settings, see
    :func:`make_letterhead`); ``issued_on`` (today by default) dates it and picks the agency
    profile.

    Raises:
        PeriodError: ``scope`` is not a period or a phase.
        NotFoundError: ``program`` is not in the catalog.
        ConfigurationError: the database has no agency profile.
    """
    period = parse_scope(scope)
    if program and catalog.program(program) is None:
        raise NotFoundError(f"'{program}' is not a program node of the catalog")
    letterhead = make_letterhead(
        session,
        catalog,
        issued_on=issued_on,
        number=number,
        place=place,
        signer=signer,
        signer_title=signer_title,
        recipients=recipients,
        abbreviation=abbreviation,
    )
    order = _Order(catalog)
    data = {kind: _fetch_kind(session, kind, period, program) for kind in KIND_CODES}
    words = period_in_words(period.code)
    if program:
        node = catalog.programs[program]
        root = catalog.programs.get(node.program_code)
        scope_text = node.name
        if root is not None and root.code != node.code:
            scope_text = f"{node.name} thuộc {root.name}"
        # A program's name often ends with its phase ("… giai đoạn 2021-2025"): not twice.
        subject = f"thuộc {scope_text}" if words in scope_text else f"thuộc {scope_text}, {words}"
    else:
        subject = f"thuộc các Chương trình mục tiêu quốc gia {words}"
    subtitle = f"Kết quả thực hiện nội dung thông tin và truyền thông {subject}"
    introduction = [
        f"{letterhead.agency.name} báo cáo kết quả thực hiện nội dung thông tin và truyền "
        f"thông {subject} (từ ngày {format_date(period.start)} đến ngày "
        f"{format_date(period.end)}) như sau:",
    ]
    sections = [
        *_activities_part(data, order),
        _indicators_part(session, catalog, letterhead, period, program, data),
        _funding_part(data.get("funding") or [], order, period),
    ]
    annexes = []
    for kind in KIND_CODES:
        if data[kind]:
            annexes.append(Annex(_ROMAN[len(annexes)], _annex_table(kind, data[kind], order)))
    return PeriodReport(
        letterhead=letterhead,
        scope=period,
        period_words=words,
        program=program,
        title="BÁO CÁO",
        subtitle=subtitle,
        introduction=introduction,
        sections=sections,
        annexes=annexes,
    )


def _activities_part(data: dict[str, list[dict[str, Any]]], order: _Order) -> list[Section]:
    """Part I and its sub-sections: a program (level 2), its nodes with records (level 3)."""
    catalog = order.catalog
    part = Section(
        "activities",
        "I",
        "KẾT QUẢ THỰC HIỆN CÁC HOẠT ĐỘNG",
        1,
        text=_summary_sentences(data, order),
    )
    part_sections = [part]
    nodes: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(dict)
    for kind in _ACTIVITY_KINDS:
        for node, rows in _group(data.get(kind) or [], lambda r: r["program"]).items():
            nodes[node][kind] = rows
    roots = _group(nodes, lambda code: code.split(".", 1)[0])
    for root_number, root in enumerate(sorted(roots, key=order.node), start=1):
        part_sections.append(
            Section(f"activities/{root}", str(root_number), catalog.term_name("program", root), 2)
        )
        shown: list[str] = []
        for node_number, node in enumerate(sorted(roots[root], key=order.node), start=1):
            kinds = nodes[node]
            # Where a node belongs (its project and sub-project), said when it changes.
            path = _ancestry(catalog, node)
            node_section = Section(
                f"activities/{node}",
                f"{root_number}.{node_number}",
                catalog.term_name("program", node),
                3,
                subtitle=f"Thuộc {'; '.join(path)}" if path and path != shown else "",
            )
            shown = path
            for kind in _ACTIVITY_KINDS:
                if kind in kinds:
                    table = _SECTION_TABLES[kind](f"{kind}/{node}", kinds[kind], order)
                    node_section.tables.append(table)
                    if kind == "criterion":
                        node_section.text.append(_criterion_sentence(table))
            part_sections.append(node_section)
    return part_sections


def _criterion_sentence(table: Table) -> str:
    assessed = len(table.rows)
    met = table.totals.get("result", 0)
    share = format_percent(_share(met, assessed))
    return (
        f"Số xã đạt tiêu chí: {format_number(met)}/{format_number(assessed)} xã được đánh giá "
        f"({share})."
    )


def _indicators_part(
    session: Session,
    catalog: Catalog,
    letterhead: Letterhead,
    scope: Scope,
    program: str | None,
    data: dict[str, list[dict[str, Any]]],
) -> Section:
    order = _Order(catalog)
    province = letterhead.agency.province_code
    present: dict[str, set[str]] = defaultdict(set)
    for kind, rows in data.items():
        for row in rows:
            present[row["program"]].add(kind)
    roots = {code.split(".", 1)[0] for code in present}
    # Stock indicators (radio coverage, clusters, criterion) look at every record up to the
    # scope's end: programs running in the scope show them even without records in it.
    for kind in ("radio", "cluster", "criterion"):
        model = MODEL_OF_KIND[kind]
        statement = (
            select(model.program)
            .where(model.start_date <= scope.end, *_program_condition(model, program))
            .distinct()
        )
        for node in session.scalars(statement):
            present[node].add(kind)
    period, _label = _target_period(scope)
    target_nodes = set(
        session.scalars(
            select(Target.program).where(
                Target.province_code == province, Target.period.in_({period, scope.code})
            )
        )
    )
    if program:
        target_nodes = {n for n in target_nodes if n == program or n.startswith(program + ".")}
    for code in list(present):
        node = catalog.program(code.split(".", 1)[0])
        if node is not None and node.valid_from <= scope.end and scope.start <= node.valid_to:
            roots.add(node.code)
    nodes = {code for code in roots if code in catalog.programs}
    if program:
        nodes = {program}
    nodes |= target_nodes
    section = Section(
        "indicators",
        "II",
        "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        1,
    )
    for node in sorted(nodes, key=order.node):
        kinds = set().union(
            *(k for code, k in present.items() if code == node or code.startswith(node + "."))
        )
        table = _indicator_table(session, catalog, province, scope, node, kinds)
        if table is not None:
            section.tables.append(table)
    if section.tables:
        section.text.append(
            "Các chỉ tiêu số lượng cộng các hoạt động trong kỳ; các chỉ tiêu tỷ lệ về đài "
            "truyền thanh, cụm thông tin và tiêu chí thông tin và truyền thông tính theo hiện "
            "trạng mới nhất của mỗi xã đến hết kỳ; tỷ lệ giải ngân theo kế hoạch vốn của các năm "
            "trong kỳ."
        )
    else:
        section.text.append("Chưa có chỉ tiêu nào được giao hoặc tính được cho kỳ báo cáo.")
    return section


def _funding_part(rows: list[dict[str, Any]], order: _Order, scope: Scope) -> Section:
    section = Section("funding", "III", "TÌNH HÌNH BỐ TRÍ VÀ GIẢI NGÂN VỐN", 1)
    if not rows:
        section.text.append("Chưa có số liệu kế hoạch vốn, giải ngân cho kỳ báo cáo.")
        return section
    plan, disbursed = _total(rows, "plan_amount"), _total(rows, "disbursed_amount")
    as_of = max((r["as_of"] for r in rows if r["as_of"] is not None), default=None)
    when = f" đến ngày {format_date(as_of)}" if as_of else ""
    section.text.append(
        f"Tổng kế hoạch vốn được giao: {format_money(plan)}; đã giải ngân{when}: "
        f"{format_money(disbursed)}, đạt {format_percent(_share(disbursed, plan))} kế hoạch."
    )
    section.tables = _funding_section(rows, order, scope)
    return section


# --- the list report -----------------------------------------------------------------------------
_LIST_EXTRAS: dict[str, Column] = {
    "id": Column("id", "Mã số", "int", 0.8),
    "met": Column("met", "Kết quả chung", "text", 1.1),
    "created_at": Column("created_at", "Ngày nhập", "date", 1.3),
    "created_by": Column("created_by", "Người nhập", "text", 1.3),
    "updated_at": Column("updated_at", "Ngày sửa", "date", 1.3),
    "updated_by": Column("updated_by", "Người sửa", "text", 1.3),
}
#: Count columns that are not quantities: never added up.
_NOT_SUMMED = frozenset({"id", "year", "year_in_service"})
_SORT_LABELS = {"id": "mã số", "updated_at": "ngày sửa", "places": "địa bàn"}


def default_list_columns(kind: str) -> list[str]:
    """The columns a list report shows unless told otherwise: those a table shows first."""
    from ctmt_desktop.kinds import DEFAULT_COLUMNS

    accepted = set(list_columns(kind))
    return [name for name in DEFAULT_COLUMNS.get(kind, ()) if name in accepted]


def list_columns(kind: str) -> list[str]:
    """Column names :func:`build_list_report` accepts for ``kind``."""
    extras = [name for name in _LIST_EXTRAS if name != "met" or kind == "criterion"]
    return [*kind_spec(kind).field_names, *extras]


def _field_column(field_spec: FieldSpec) -> Column:
    name, label = field_spec.name, field_spec.label_vi
    if field_spec.type is FieldType.TEXT:
        width = {"title": 3.3, "notes": 3.0}.get(name, 1.7)
        return Column(name, label, "text", width)
    if field_spec.type is FieldType.DATE:
        return Column(name, label, "date", 1.3)
    if field_spec.type is FieldType.INT:
        if name in ("year", "year_in_service"):
            return Column(name, label, "text", 0.85)
        return Column(name, label, "int", 0.95)
    if field_spec.type is FieldType.MONEY:
        return Column(name, label, "money", 1.65)
    if field_spec.type is FieldType.CODE:
        if name == "program":
            return Column(name, "Mã nội dung", "text", 1.55)
        return Column(name, label, "text", 1.4)
    if field_spec.type is FieldType.PLACES:
        return Column(name, label, "text", 1.9)
    if field_spec.type is FieldType.BOOL:
        return Column(name, label, "text", 0.85)
    if field_spec.type is FieldType.INDICATORS:
        return Column(name, label, "text", 1.9)
    return Column(name, "Số tệp minh chứng", "int", 0.95)  # evidence


def _list_reader(field_spec: FieldSpec | None, name: str, catalog: Catalog) -> Callable:
    """A function from a stored record to the value of column ``name``."""
    if field_spec is None:
        if name == "met":
            return lambda r: MET if r.met else NOT_MET
        if name in ("created_at", "updated_at"):
            return lambda r: getattr(r, name).date()
        return lambda r: getattr(r, name)
    kind = field_spec.type
    if kind is FieldType.CODE and name != "program":
        vocabulary = field_spec.vocabulary or ""
        return lambda r: catalog.term_name(vocabulary, getattr(r, name))
    if kind is FieldType.PLACES:
        return lambda r: r.place_names
    if kind is FieldType.BOOL:
        return lambda r: YES if getattr(r, name) else NO
    if kind is FieldType.INDICATORS:
        return lambda r: "; ".join(
            f"{code}: {_met_word(met)}" for code, met in sorted((r.indicators or {}).items())
        )
    if kind is FieldType.EVIDENCE:
        return lambda r: r.evidence  # a count, see _stored_values
    if name in ("year", "year_in_service"):
        return lambda r: None if getattr(r, name) is None else str(getattr(r, name))
    return lambda r: getattr(r, name)


def _stored_values(
    session: Session, kind: str, ids: Sequence[int], names: Iterable[str]
) -> list[Any]:
    """Rows with the stored values of columns ``names`` for records ``ids``, in that order.

    Reads just those columns: loading whole records with their places and evidence (as
    :func:`load_records` does for a form) takes three times as long for a 10,000-row list.
    """
    model = MODEL_OF_KIND[kind]
    columns: list[Any] = [model.id.label("id")]
    for name in dict.fromkeys(names):
        if name == "places":
            columns.append(model.place_names.label("place_names"))
        elif name == "evidence":
            count = select(func.count()).where(ActivityEvidence.activity_id == model.id)
            columns.append(count.scalar_subquery().label("evidence"))
        else:
            columns.append(getattr(model, name).label(name))
    statement = select(*columns).where(model.id.in_(list(ids)))
    found = {row.id: row for row in session.execute(statement)}
    return [found[i] for i in ids if i in found]


def describe_query(catalog: Catalog, kind: str, query: RecordQuery) -> list[str]:
    """The filters of a table page in words, one line each, and its order."""
    lines = []
    if query.ids is not None:
        lines.append(f"Các hồ sơ được chọn: {format_number(len(query.ids))} hồ sơ")
    if query.period is not None:
        lines.append(
            f"Kỳ báo cáo: {period_in_words(query.period.code)} (từ ngày "
            f"{format_date(query.period.start)} đến ngày {format_date(query.period.end)})"
        )
    if query.program:
        lines.append(
            f"Chương trình, dự án: {catalog.term_name('program', query.program)} "
            "và các nội dung thuộc đó"
        )
    if query.place:
        unit = catalog.admin.get(query.place)
        name = commune_label(catalog, query.place) if unit else query.place
        extra = ""
        if unit is not None and unit.level == "province":
            extra = " (mọi xã trong tỉnh)"
        elif unit is not None and not unit.legacy:
            extra = " (kể cả các xã cũ đã sáp nhập vào)"
        lines.append(f"Địa bàn: {name}{extra}")
    if query.status:
        lines.append(f"Trạng thái: {catalog.term_name('record_statuses', query.status)}")
    if query.search.strip():
        lines.append(f"Từ khóa tìm kiếm: “{query.search.strip()}”")
    if not lines:
        lines.append("Tất cả hồ sơ (không lọc)")
    spec = kind_spec(kind)
    if query.sort in spec.field_names:
        sort_label = spec.field(query.sort).label_vi
    else:
        sort_label = _SORT_LABELS.get(query.sort, query.sort)
    direction = "giảm dần" if query.descending else "tăng dần"
    lines.append(f"Sắp xếp theo: {_lower_first(sort_label)}, {direction}")
    return lines


def build_list_report(
    session: Session,
    catalog: Catalog,
    kind: str,
    query: RecordQuery,
    columns: Sequence[str],
    *,
    issued_on: date | None = None,
    signer: str = "",
    signer_title: str = "",
) -> ListReport:
    """Every record of ``kind`` matching ``query`` (offset and limit ignored), in its order,
    with the chosen ``columns`` (see :func:`list_columns`: the kind's field names, ``id``,
    ``created_at``, ``created_by``, ``updated_at``, ``updated_by``, and ``met`` for
    criterion assessments). The ids come from :func:`ordered_ids`; their values are read
    :data:`LIST_CHUNK` records at a time.

    Raises:
        KeyError: an unknown kind or column.
    """
    spec = kind_spec(kind)
    chosen: list[Column] = []
    readers: list[tuple[str, Callable]] = []
    for name in columns:
        if name in spec.field_names:
            field_spec: FieldSpec | None = spec.field(name)
            column = _field_column(spec.field(name))
        elif name in _LIST_EXTRAS and name in list_columns(kind):
            field_spec, column = None, _LIST_EXTRAS[name]
        else:
            raise KeyError(f"{kind} records have no column '{name}'")
        chosen.append(column)
        readers.append((name, _list_reader(field_spec, name, catalog)))
    ids = ordered_ids(session, kind, query, catalog)
    grouped = "program" in columns
    extra = ["program"] if grouped else []
    if kind == "media" and "quantity" in columns:
        extra.append("quantity_unit")  # to know whether the quantities may be added
    read_names = [name for name, _ in readers] + [n for n in extra if n not in columns]
    rows: list[dict[str, Any]] = []
    codes: list[str] = []
    units: set[str] = set()
    for first in range(0, len(ids), LIST_CHUNK):
        chunk = ids[first : first + LIST_CHUNK]
        for record in _stored_values(session, kind, chunk, read_names):
            rows.append({name: read(record) for name, read in readers})
            if grouped:
                codes.append(record.program)
            if "quantity_unit" in extra:
                units.add(record.quantity_unit)
    groups: list[tuple[int, str]] = []
    if grouped:
        # The program as headings over its rows (in catalog order, each group in the
        # query's order) rather than a column of codes.
        order = _Order(catalog)
        positions = sorted(range(len(rows)), key=lambda i: order.node(codes[i]))
        rows = [rows[i] for i in positions]
        previous = None
        for index, position in enumerate(positions):
            if codes[position] != previous:
                previous = codes[position]
                groups.append((index, program_heading(catalog, previous)))
        chosen = [column for column in chosen if column.key != "program"]
        for row in rows:
            row.pop("program", None)
    table_columns = [STT, *chosen]
    label = next((c.key for c in chosen if c.kind == "text"), "stt")
    totals: dict[str, Any] = {label: TOTAL_LABEL}
    for column in chosen:
        if column.key == "quantity" and kind == "media" and len(units) != 1:
            continue  # quantities of different units (tin, bài and tờ) are not added
        if column.kind in ("int", "money") and column.key not in _NOT_SUMMED:
            totals[column.key] = sum(row.get(column.key) or 0 for row in rows)
    letterhead = make_letterhead(
        session,
        catalog,
        issued_on=issued_on,
        signer=signer,
        signer_title=signer_title or "NGƯỜI LẬP BIỂU",
        recipients=(),
        document_type="",
        settings=False,
    )
    title = f"Danh sách {_lower_first(spec.name_vi)}"
    filters = describe_query(catalog, kind, query)
    if grouped:
        filters[-1] = f"{filters[-1]}; nhóm theo chương trình, dự án, nội dung"
    return ListReport(
        letterhead=letterhead,
        kind=kind,
        title=title.upper(),
        filters=filters,
        table=Table(
            f"list/{kind}", title, table_columns, _numbered(rows), totals, kind=kind, groups=groups
        ),
    )


# --- the criterion report ------------------------------------------------------------------------
def _assessments_of_year(session: Session, year: int) -> list[dict[str, Any]]:
    model = MODEL_OF_KIND["criterion"]
    statement = select(
        model.id.label("id"),
        model.start_date.label("start_date"),
        model.year.label("year"),  # type: ignore[attr-defined]
        model.criterion_set.label("criterion_set"),  # type: ignore[attr-defined]
        model.indicators.label("indicators"),  # type: ignore[attr-defined]
        model.met.label("met"),  # type: ignore[attr-defined]
        model.place_names.label("place_names"),
        _first_place(model),
    ).where(model.year == year)  # type: ignore[attr-defined]
    return [dict(row._mapping) for row in session.execute(statement)]


def _combine(parts: Sequence[dict[str, Any]], codes: Sequence[str]) -> dict[str, Any]:
    """One result from the assessments of the old communes that formed a new one: an
    indicator (and the criterion) is met only when every assessed part met it."""
    indicators = {}
    for code in codes:
        values = [p["indicators"].get(code) for p in parts]
        indicators[code] = None if all(v is None for v in values) else all(bool(v) for v in values)
    return {"indicators": indicators, "met": all(p["met"] for p in parts)}


def build_criterion_report(
    session: Session,
    catalog: Catalog,
    province: str,
    year: int,
    *,
    issued_on: date | None = None,
    number: str = "",
    place: str = "",
    signer: str = "",
    signer_title: str = "",
    recipients: Sequence[str] | None = None,
    abbreviation: str = "",
) -> CriterionReport:
    """Every commune of ``province`` with its ICT criterion status in ``year``.

    Years before 2025 list the communes before the 2025 reorganisation, later years the
    current ones; an assessment entered for old communes is rolled up to the new commune
    they went into (met only when every part met it). Communes without an assessment are
    listed as not assessed; an assessment of a unit outside the list is listed at the end.
    """
    letterhead = make_letterhead(
        session,
        catalog,
        issued_on=issued_on,
        number=number,
        place=place,
        signer=signer,
        signer_title=signer_title,
        recipients=recipients,
        abbreviation=abbreviation,
    )
    legacy = year < REORGANISATION_DAY.year
    communes = catalog.admin.communes(province, legacy=legacy)
    latest = latest_assessments(_assessments_of_year(session, year))
    sets = [row["criterion_set"] for row in latest.values()]
    criterion_set = max(set(sets), key=sets.count) if sets else _default_set(year)
    codes = _criterion_codes(catalog, latest.values()) or [
        t.code for t in catalog.criterion_indicators(criterion_set)
    ]
    direct: dict[str, dict[str, Any]] = {}
    rolled: dict[str, list[dict[str, Any]]] = defaultdict(list)
    listed = {unit.code for unit in communes}
    outside: list[dict[str, Any]] = []
    for code, row in latest.items():
        if code in listed:
            direct[code] = row
        elif not legacy and (target := catalog.admin.current_equivalent(code)) in listed:
            rolled[target].append(row)
        else:
            outside.append(row)

    def district(unit: AdminUnit) -> str:
        parent = catalog.admin.get(unit.parent) if unit.parent else None
        return parent.name if parent is not None and parent.level == "district" else ""

    if legacy:
        communes.sort(key=lambda u: (sort_key(district(u)), sort_key(u.name)))
    rows: list[dict[str, Any]] = []
    for unit in communes:
        item: dict[str, Any] = {"commune": unit.name, "note": ""}
        if legacy:
            item["district"] = district(unit)
        found: dict[str, Any] | None = direct.get(unit.code)
        if found is None and rolled.get(unit.code):
            parts = sorted(rolled[unit.code], key=lambda r: sort_key(r["place_names"]))
            found = _combine(parts, codes)
            names = _communes_in_words(catalog, [p["place_code"] for p in parts])
            item["note"] = f"Tổng hợp từ kết quả của {len(parts)} xã cũ: {names}"
        _fill_status(item, found, codes)
        rows.append(item)
    for row in sorted(outside, key=lambda r: sort_key(r["place_names"])):
        item = {"commune": commune_label(catalog, row["place_code"], row["place_names"])}
        if legacy:
            item["district"] = ""
        item["note"] = f"Đơn vị không thuộc danh sách xã năm {year}"
        _fill_status(item, row, codes)
        rows.append(item)
    columns = [
        STT,
        Column("commune", "Tên xã, phường", "text", 2.6),
        *([Column("district", "Huyện, thị xã, thành phố", "text", 2.0)] if legacy else []),
        *(Column(code, f"Chỉ tiêu {code}", "text", 1.0) for code in codes),
        Column("result", "Kết quả chung", "text", 1.2),
        *([Column("note", "Ghi chú", "text", 2.2)] if any(r["note"] for r in rows) else []),
    ]
    totals: dict[str, Any] = {"commune": "Số xã đạt"}
    for code in codes:
        totals[code] = sum(1 for row in rows if row[code] == MET)
    met = sum(1 for row in rows[: len(communes)] if row["result"] == MET)
    assessed = sum(1 for row in rows[: len(communes)] if row["result"] != NOT_ASSESSED)
    totals["result"] = sum(1 for row in rows if row["result"] == MET)
    unit = catalog.admin.get(province)
    province_words = f"{unit.kind} {unit.name}".strip() if unit else province
    criterion_name = catalog.term_name("criterion_sets", criterion_set)
    era = (
        "đơn vị hành chính trước ngày 01/07/2025"
        if legacy
        else "đơn vị hành chính sau sắp xếp từ ngày 01/07/2025"
    )
    introduction = [
        f"Năm {year}, {province_words} có {format_number(len(communes))} đơn vị hành chính "
        f"cấp xã ({era}). Đã đánh giá {format_number(assessed)} xã theo {criterion_name}, "
        f"trong đó {format_number(met)} xã đạt ({format_percent(_share(met, assessed))} số xã "
        f"được đánh giá), {format_number(assessed - met)} xã chưa đạt; "
        f"{format_number(len(communes) - assessed)} đơn vị chưa được đánh giá."
    ]
    return CriterionReport(
        letterhead=letterhead,
        year=year,
        criterion_set=criterion_set,
        criterion_name=criterion_name,
        title="BÁO CÁO",
        subtitle=(
            f"Kết quả đánh giá tiêu chí thông tin và truyền thông của các xã trên địa bàn "
            f"{province_words} năm {year}"
        ),
        introduction=introduction,
        table=Table(
            f"criterion/{year}",
            f"Kết quả đánh giá tiêu chí thông tin và truyền thông năm {year}",
            columns,
            _numbered(rows),
            totals,
            kind="criterion",
        ),
        legacy_units=legacy,
        communes=len(communes),
        assessed=assessed,
        met=met,
    )


def _communes_in_words(catalog: Catalog, codes: Sequence[str]) -> str:
    """Old communes named once per district: ``Xã Cam Thủy, Xã Hồng Thủy (Huyện Lệ Thủy);
    Xã Gio An (Huyện Gio Linh)``."""
    by_district: dict[str, list[str]] = {}
    for code in codes:
        unit = catalog.admin.get(code)
        if unit is None:
            by_district.setdefault("", []).append(code)
            continue
        parent = catalog.admin.get(unit.parent) if unit.parent else None
        district = parent.name if parent is not None and parent.level == "district" else ""
        by_district.setdefault(district, []).append(unit.name)
    return "; ".join(
        ", ".join(names) + (f" ({district})" if district else "")
        for district, names in by_district.items()
    )


def _default_set(year: int) -> str:
    return "QD318_TC8" if year <= 2025 else "QD51_TC7"


def _fill_status(item: dict[str, Any], found: dict[str, Any] | None, codes: Sequence[str]) -> None:
    if found is None:
        for code in codes:
            item[code] = ""
        item["result"] = NOT_ASSESSED
        return
    for code in codes:
        item[code] = _met_word(found["indicators"].get(code))
    item["result"] = MET if found["met"] else NOT_MET
