"""The national consolidated report: one row per province and the national total.

Built as a :class:`~ctmt_desktop.reports.figures.PeriodReport`, so the provinces' own PDF
renderer (Decree 30/2020 layout) and Excel forms writer print it unchanged:

* I. who has reported (every current province: on time, late, refused, missing; version,
  signing date, records);
* II. the indicators of the provinces' period report, per root program node and over every
  program, one row per province that reported and the national total (counts added up;
  shares recomputed from the added numerators and denominators, not averaged);
* III. funding planned and disbursed per province.

Each province's figures come from :func:`ctmt_desktop.ministry.figures.province_figures`,
which runs the province's own indicator code on the records received, so a province's row
equals the figures of its own report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.formatting import format_date, format_number
from ctmt_desktop.ministry.figures import ProvinceFigures, province_figures
from ctmt_desktop.ministry.status import (
    LATE,
    MISSING,
    ON_TIME,
    REFUSED,
    current_provinces,
    status_matrix,
)
from ctmt_desktop.ministry.store import store_name
from ctmt_desktop.periods import PeriodError, parse_period
from ctmt_desktop.reports.figures import (
    Agency,
    Column,
    Letterhead,
    PeriodReport,
    Section,
    Table,
    agency_abbreviation,
    period_in_words,
)
from ctmt_desktop.services.indicators import IndicatorValue, Scope, parse_scope

STATE_WORDS = {ON_TIME: "Đúng hạn", LATE: "Muộn", REFUSED: "Bị từ chối", MISSING: "Chưa nhận"}
#: Indicators that add up (the rest are shares, recomputed from their parts).
FLOW = (
    "training_classes",
    "training_participants",
    "training_women_share",
    "training_ethnic_share",
    "event_participants",
    "media_outputs",
    "devices_delivered",
)
STOCK = (
    "radio_hamlet_coverage",
    "radio_it_share",
    "clusters_operating",
    "ict_criterion_share",
    "disbursement_rate",
)
_SHORT = {
    "training_classes": "Lớp tập huấn",
    "training_participants": "Lượt người được tập huấn",
    "training_women_share": "Tỷ lệ nữ (%)",
    "training_ethnic_share": "Tỷ lệ người DTTS (%)",
    "event_participants": "Lượt người dự hội nghị, sự kiện",
    "media_outputs": "Sản phẩm truyền thông",
    "devices_delivered": "Phương tiện nghe xem",
    "radio_hamlet_coverage": "Tỷ lệ thôn có loa (%)",
    "radio_it_share": "Tỷ lệ đài ứng dụng CNTT-VT (%)",
    "clusters_operating": "Cụm thông tin hoạt động",
    "ict_criterion_share": "Tỷ lệ xã đạt tiêu chí TT-TT (%)",
    "disbursement_rate": "Tỷ lệ giải ngân (%)",
}
STT = Column("stt", "TT", "int", 0.55)
PROVINCE = Column("province", "Tỉnh, thành phố", "text", 2.2)
DEFAULT_PLACE = "Hà Nội"


@dataclass
class NationalFigures:
    """The figures of every province that reported over a scope."""

    scope: Scope
    ministry: str
    matrix_states: dict[str, str]
    provinces: list[tuple[str, str]]
    figures: dict[str, ProvinceFigures]


def national_figures(
    session: Session,
    catalog: Catalog,
    scope_text: str,
    *,
    progress: Callable[[int, int], Any] | None = None,
) -> NationalFigures:
    """Every current province's figures over ``scope_text`` (a period or a phase)."""
    scope = parse_scope(scope_text)
    try:
        periods = [parse_period(scope.code).code]
    except PeriodError:  # a phase (2021-2025): no deadline, the states of its years differ
        periods = []
    matrix = status_matrix(session, catalog, periods) if periods else None
    provinces = current_provinces(catalog)
    states = {}
    for code, _name in provinces:
        states[code] = matrix.cell(code, scope.code).state if matrix else MISSING
    figures: dict[str, ProvinceFigures] = {}
    for index, (code, _name) in enumerate(provinces):
        if progress is not None:
            progress(index, len(provinces))
        found = province_figures(session, catalog, code, scope)
        if found.submissions:
            figures[code] = found
            if matrix is None:
                states[code] = ON_TIME
    return NationalFigures(scope, store_name(session), states, provinces, figures)


def _value_cell(value: IndicatorValue | None) -> float | int | None:
    if value is None or value.value is None:
        return None
    if value.unit == "percent":
        return float(value.value)
    return round(value.value)


def _total(values: Sequence[IndicatorValue | None]) -> float | int | None:
    present = [v for v in values if v is not None and v.value is not None]
    if not present:
        return None
    if present[0].unit != "percent":
        return round(sum(v.numerator for v in present))
    numerator = sum(v.numerator for v in present)
    denominator = sum(v.denominator or 0 for v in present)
    return 100.0 * numerator / denominator if denominator else None


def indicator_table(
    data: NationalFigures,
    catalog: Catalog,
    codes: Sequence[str],
    program: str,
    key: str,
    title: str,
) -> Table:
    """Provinces × ``codes`` indicators of ``program`` ("" for every program) and the total."""
    columns = [STT, PROVINCE]
    for code in codes:
        unit = catalog.indicators[code].extra.get("unit") if code in catalog.indicators else ""
        columns.append(
            Column(code, _SHORT.get(code, code), "percent" if unit == "percent" else "number", 1.2)
        )
    rows = []
    per_code: dict[str, list[IndicatorValue | None]] = {code: [] for code in codes}
    for code, name in data.provinces:
        figures = data.figures.get(code)
        if figures is None or program not in figures.programs:
            continue
        row: dict[str, Any] = {"stt": len(rows) + 1, "province": name, "code": code}
        for indicator in codes:
            value = figures.value(indicator, program)
            per_code[indicator].append(value)
            row[indicator] = _value_cell(value)
        rows.append(row)
    totals: dict[str, Any] = {"province": "Toàn quốc"}
    for indicator in codes:
        totals[indicator] = _total(per_code[indicator])
    return Table(key, title, columns, rows, totals if rows else {})


def build_national_report(
    data: NationalFigures,
    catalog: Catalog,
    *,
    issued_on: date | None = None,
    number: str = "",
    place: str = "",
    signer: str = "",
    signer_title: str = "",
) -> PeriodReport:
    """The national consolidated report (see the module docstring)."""
    scope = data.scope
    words = period_in_words(scope.code)
    day = issued_on or date.today()
    ministry = data.ministry or "Bộ Văn hóa, Thể thao và Du lịch"
    agency = Agency(
        name=ministry,
        parent_body="",
        province_code="",
        province_name="",
        receiving_ministry="",
    )
    letterhead = Letterhead(
        agency=agency,
        number=number.strip(),
        place=place.strip() or DEFAULT_PLACE,
        issued_on=day,
        signer=signer.strip(),
        signer_title=signer_title.strip() or "TL. BỘ TRƯỞNG",
        recipients=("Lãnh đạo Bộ (để báo cáo)", "Sở VHTTDL các tỉnh, thành phố", "Lưu: VT"),
        abbreviation=agency_abbreviation(ministry),
    )
    counts = {state: 0 for state in STATE_WORDS}
    for state in data.matrix_states.values():
        counts[state] += 1
    expected = len(data.provinces)
    received = len(data.figures)
    introduction = [
        f"Căn cứ các gói dữ liệu có chữ ký số của các tỉnh, thành phố gửi về, {ministry} tổng "
        f"hợp kết quả thực hiện nội dung thông tin và truyền thông thuộc các Chương trình mục "
        f"tiêu quốc gia {words} (từ ngày {format_date(scope.start)} đến ngày "
        f"{format_date(scope.end)}) như sau:",
    ]
    status_rows = []
    for code, name in data.provinces:
        figures = data.figures.get(code)
        state = data.matrix_states.get(code, MISSING)
        status_rows.append(
            {
                "stt": len(status_rows) + 1,
                "province": name,
                "state": STATE_WORDS[state],
                "records": sum(figures.counts.values()) if figures else None,
                "packages": len(figures.submissions) if figures else None,
            }
        )
    status_section = Section(
        "status",
        "I",
        "TÌNH HÌNH BÁO CÁO CỦA CÁC TỈNH, THÀNH PHỐ",
        1,
        text=[
            f"Đã nhận báo cáo của {format_number(received)}/{format_number(expected)} tỉnh, "
            f"thành phố ({format_number(counts[ON_TIME])} đúng hạn, "
            f"{format_number(counts[LATE])} muộn); {format_number(counts[REFUSED])} gói bị từ "
            f"chối chưa được gửi lại; {format_number(counts[MISSING])} tỉnh, thành phố chưa "
            "báo cáo."
        ],
        tables=[
            Table(
                "status",
                "Tình hình báo cáo",
                [
                    STT,
                    PROVINCE,
                    Column("state", "Tình trạng", "text", 1.3),
                    Column("packages", "Số gói", "int", 0.8),
                    Column("records", "Số bản ghi trong kỳ", "int", 1.2),
                ],
                status_rows,
                {
                    "province": "Toàn quốc",
                    "records": sum(r["records"] or 0 for r in status_rows),
                    "packages": sum(r["packages"] or 0 for r in status_rows),
                },
            )
        ],
    )
    indicators = Section(
        "indicators",
        "II",
        "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        1,
        text=[
            "Số liệu của mỗi tỉnh, thành phố được tính bằng chính cách tính của báo cáo kỳ của "
            "tỉnh, từ các bản ghi trong gói dữ liệu đã tiếp nhận; dòng Toàn quốc cộng các chỉ "
            "tiêu số lượng và tính lại các tỷ lệ từ tổng tử số và tổng mẫu số."
        ],
    )
    programs = [""]
    for figures in data.figures.values():
        for code in figures.programs:
            if code and code not in programs:
                programs.append(code)
    programs = [""] + [code for code in catalog.programs if code in programs]
    for number_, program in enumerate(programs, start=1):
        name = "Tất cả các chương trình" if not program else catalog.term_name("program", program)
        indicators.tables.append(
            indicator_table(
                data,
                catalog,
                FLOW,
                program,
                f"flow/{program or 'all'}",
                f"{number_}a. {name}: hoạt động trong kỳ",
            )
        )
        indicators.tables.append(
            indicator_table(
                data,
                catalog,
                STOCK,
                program,
                f"stock/{program or 'all'}",
                f"{number_}b. {name}: hiện trạng và giải ngân",
            )
        )
    funding_rows = []
    for code, name in data.provinces:
        figures = data.figures.get(code)
        if figures is None:
            continue
        plan, disbursed = figures.funding
        funding_rows.append(
            {
                "stt": len(funding_rows) + 1,
                "province": name,
                "plan": round(plan),
                "disbursed": round(disbursed),
                "rate": 100.0 * disbursed / plan if plan else None,
            }
        )
    plan_total = sum(r["plan"] for r in funding_rows)
    disbursed_total = sum(r["disbursed"] for r in funding_rows)
    funding = Section(
        "funding",
        "III",
        "TÌNH HÌNH BỐ TRÍ VÀ GIẢI NGÂN VỐN",
        1,
        tables=[
            Table(
                "funding",
                "Kế hoạch vốn và giải ngân",
                [
                    STT,
                    PROVINCE,
                    Column("plan", "Kế hoạch (đồng)", "money", 1.8),
                    Column("disbursed", "Đã giải ngân (đồng)", "money", 1.8),
                    Column("rate", "Tỷ lệ giải ngân (%)", "percent", 1.1),
                ],
                funding_rows,
                {
                    "province": "Toàn quốc",
                    "plan": plan_total,
                    "disbursed": disbursed_total,
                    "rate": 100.0 * disbursed_total / plan_total if plan_total else None,
                }
                if funding_rows
                else {},
            )
        ],
    )
    return PeriodReport(
        letterhead=letterhead,
        scope=scope,
        period_words=words,
        program=None,
        title="BÁO CÁO",
        subtitle=(
            "Tổng hợp kết quả thực hiện nội dung thông tin và truyền thông thuộc các Chương "
            f"trình mục tiêu quốc gia {words} của các tỉnh, thành phố"
        ),
        introduction=introduction,
        sections=[status_section, indicators, funding],
        annexes=[],
    )


def write_national_report(
    session: Session, catalog: Catalog, scope_text: str, out: Path | str, **letterhead: Any
) -> tuple[Path, PeriodReport]:
    """Write the national report over ``scope_text`` to ``out`` (``.pdf`` or ``.xlsx``)."""
    from ctmt_desktop.reports.pdf import render_period_pdf
    from ctmt_desktop.spreadsheets.export import export_period_forms

    target = Path(out)
    data = national_figures(session, catalog, scope_text)
    report = build_national_report(data, catalog, **letterhead)
    if target.suffix.lower() == ".xlsx":
        export_period_forms(report, target)
    else:
        render_period_pdf(report, target)
    return target, report
