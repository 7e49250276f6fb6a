"""Indicators computed from the records, against their targets (the dashboard and reports).

A *scope* is a reporting period (``2024``, ``2024-H1``, ``2024-Q3``) or a program phase
(``2021-2025``). Flow indicators (classes, participant-times, outputs, disbursement) add up
the records starting in the scope; stock indicators (radio coverage, clusters operating,
communes meeting the ICT criterion) take, per commune, the latest record up to the scope's
end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, cast, func, or_, select
from sqlalchemy.orm import Session

from ctmt_desktop.catalog import REORGANISATION_DAY, AdminUnit, Catalog
from ctmt_desktop.db.models import (
    MODEL_OF_KIND,
    Activity,
    ActivityPlace,
    CriterionAssessment,
    FundingPlan,
    InformationCluster,
    RadioStation,
)
from ctmt_desktop.periods import (  # a scope is a period or a phase; importable here too
    Scope,
    parse_scope,  # noqa: F401
)
from ctmt_desktop.services.targets import find_target

#: Kinds a commune has one of: a later record replaces an earlier one (clusters are facilities,
#: several to a commune, so they are not merged across the 2025 reorganisation).
_ONE_PER_COMMUNE = frozenset({"radio"})


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator over a scope.

    Attributes:
        value: the figure (a percentage for ``unit == "percent"``), None when undefined
            (nothing to divide by).
        numerator, denominator: what the figure was computed from.
        target: the target set for this scope and program node, if any.
        kind: the record kind behind the figure (for a click-through to the records).
    """

    code: str
    name_vi: str
    name_en: str
    unit: str
    value: float | None
    numerator: float
    denominator: float | None
    kind: str
    target: float | None = None

    def name(self, language: str = "vi") -> str:
        return self.name_vi if language == "vi" else self.name_en

    @property
    def progress(self) -> float | None:
        """Share of the target reached, in percent (None without a target)."""
        if self.target in (None, 0) or self.value is None:
            return None
        return 100.0 * self.value / self.target  # type: ignore[operator]


def _program_condition(program: str | None) -> list[ColumnElement[bool]]:
    if not program:
        return []
    return [or_(Activity.program == program, Activity.program.startswith(program + "."))]


def _flow_conditions(kind: str, scope: Scope, program: str | None) -> list[ColumnElement[bool]]:
    return [
        Activity.kind == kind,
        Activity.start_date.between(scope.start, scope.end),
        *_program_condition(program),
    ]


def _sums(
    session: Session, kind: str, columns: Sequence[Any], scope: Scope, program: str | None
) -> list[float]:
    model = MODEL_OF_KIND[kind]
    statement = select(*[func.coalesce(func.sum(c), 0) for c in columns]).select_from(model)
    row = session.execute(statement.where(*_flow_conditions(kind, scope, program))).one()
    return [float(v) for v in row]


def _latest_per_commune(
    session: Session,
    kind: str,
    scope: Scope,
    program: str | None,
    catalog: Catalog | None = None,
) -> list[Any]:
    """For each commune, the latest record of ``kind`` starting on or before the scope's end.

    With a ``catalog``, a legacy commune's radio station gives way to a later record of the
    current commune it became part of (1 July 2025), so a station is not counted twice.
    """
    model = MODEL_OF_KIND[kind]
    ranked = (
        select(
            model.id.label("id"),
            func.row_number()
            .over(
                partition_by=ActivityPlace.unit_code,
                order_by=(Activity.start_date.desc(), Activity.id.desc()),
            )
            .label("rank"),
        )
        .join(ActivityPlace, ActivityPlace.activity_id == model.id)
        .where(Activity.start_date <= scope.end, *_program_condition(program))
        .subquery()
    )
    latest = select(ranked.c.id).where(ranked.c.rank == 1)
    records = list(session.scalars(select(model).where(model.id.in_(latest))))
    if catalog is None or kind not in _ONE_PER_COMMUNE or scope.end < REORGANISATION_DAY:
        return records
    return _without_superseded(records, catalog)


def _without_superseded(records: list[Any], catalog: Catalog) -> list[Any]:
    """Drop records of legacy communes whose current commune has a later record of its own."""
    newest_current: dict[str, tuple[date, int]] = {}
    for record in records:
        for place in record.places:
            unit = catalog.admin.get(place.unit_code)
            if unit is not None and not unit.legacy:
                key = (record.start_date, record.id)
                newest_current[unit.code] = max(newest_current.get(unit.code, key), key)
    if not newest_current:
        return records
    kept = []
    for record in records:
        superseded = False
        for place in record.places:
            unit = catalog.admin.get(place.unit_code)
            if unit is None or not unit.legacy:
                continue
            successor = newest_current.get(catalog.admin.current_equivalent(unit.code) or "")
            if successor is not None and successor > (record.start_date, record.id):
                superseded = True
        if not superseded:
            kept.append(record)
    return kept


def commune_count(catalog: Catalog, province: str, on: date) -> int:
    """How many communes the province had on a day (legacy units before 1 July 2025)."""
    legacy = on < REORGANISATION_DAY
    return sum(
        1
        for unit in catalog.admin
        if unit.level == "commune" and unit.province == province and unit.legacy == legacy
    )


def is_rural_commune(unit: AdminUnit) -> bool:
    """A xã: the new-rural criteria apply to it, not to wards, towns or special zones."""
    if unit.legacy:
        return unit.name.startswith("Xã ")
    return unit.kind == "xã"


def rural_commune_count(catalog: Catalog, province: str, *, legacy: bool) -> int:
    """How many xã the province has (legacy ones: before 1 July 2025)."""
    return sum(
        1
        for unit in catalog.admin
        if unit.level == "commune"
        and unit.province == province
        and unit.legacy == legacy
        and is_rural_commune(unit)
    )


def _share(numerator: float, denominator: float) -> float | None:
    return 100.0 * numerator / denominator if denominator else None


@dataclass
class _Builder:
    catalog: Catalog
    values: list[IndicatorValue] = field(default_factory=list)

    def add(
        self,
        code: str,
        kind: str,
        value: float | None,
        numerator: float,
        denominator: float | None = None,
    ) -> None:
        term = self.catalog.indicators[code]
        self.values.append(
            IndicatorValue(
                code, term.vi, term.en, term.extra["unit"], value, numerator, denominator, kind
            )
        )


def compute_indicators(
    session: Session, catalog: Catalog, province: str, scope: Scope, program: str | None = None
) -> list[IndicatorValue]:
    """Every indicator of the catalog over ``scope`` for ``program`` (and its sub-nodes)."""
    from ctmt_desktop.db.models import Event, TrainingClass

    out = _Builder(catalog)
    classes, participants, women, ethnic = _sums(
        session,
        "training",
        [
            TrainingClass.classes,
            TrainingClass.participants,
            TrainingClass.participants_female,
            TrainingClass.participants_ethnic,
        ],
        scope,
        program,
    )
    out.add("training_classes", "training", classes, classes)
    out.add("training_participants", "training", participants, participants)
    out.add("training_women_share", "training", _share(women, participants), women, participants)
    out.add("training_ethnic_share", "training", _share(ethnic, participants), ethnic, participants)
    (event_participants,) = _sums(session, "event", [Event.participants], scope, program)
    out.add("event_participants", "event", event_participants, event_participants)
    media_model = MODEL_OF_KIND["media"]
    (outputs,) = _sums(session, "media", [media_model.quantity], scope, program)  # type: ignore[attr-defined]
    out.add("media_outputs", "media", outputs, outputs)
    device_model = MODEL_OF_KIND["device"]
    (devices,) = _sums(session, "device", [device_model.quantity], scope, program)  # type: ignore[attr-defined]
    out.add("devices_delivered", "device", devices, devices)

    stations: list[RadioStation] = _latest_per_commune(session, "radio", scope, program, catalog)
    covered = sum(s.hamlets_covered for s in stations)
    hamlets = sum(s.hamlets for s in stations)
    out.add("radio_hamlet_coverage", "radio", _share(covered, hamlets), covered, hamlets)
    on_it = sum(1 for s in stations if s.technology == "it_telecom")
    out.add("radio_it_share", "radio", _share(on_it, len(stations)), on_it, len(stations))

    clusters: list[InformationCluster] = _latest_per_commune(
        session, "cluster", scope, program, catalog
    )
    operating = sum(1 for c in clusters if c.cluster_status == "operating")
    out.add("clusters_operating", "cluster", operating, operating)

    criterion = assess_criterion(session, catalog, province, scope, program)
    share = None if criterion.year is None else _share(criterion.met, criterion.communes)
    out.add("ict_criterion_share", "criterion", share, criterion.met, criterion.communes)

    plan, disbursed = funding_totals(session, scope, program)
    out.add("disbursement_rate", "funding", _share(disbursed, plan), disbursed, plan)

    if program:
        period_code = scope.code
        values = []
        for value in out.values:
            target = find_target(session, province, program, value.code, period_code)
            values.append(value if target is None else _with_target(value, target.value))
        return values
    return out.values


def _with_target(value: IndicatorValue, target: float) -> IndicatorValue:
    return IndicatorValue(
        value.code,
        value.name_vi,
        value.name_en,
        value.unit,
        value.value,
        value.numerator,
        value.denominator,
        value.kind,
        target,
    )


@dataclass(frozen=True)
class CriterionResult:
    """Communes meeting the ICT criterion in the latest year assessed up to a scope's end.

    Attributes:
        year: that year (None when no commune was ever assessed).
        met: xã meeting the criterion in their latest assessment of that year.
        communes: all xã of the province, counted in the units the assessments name: legacy
            xã when they all name units of before 1 July 2025, else current xã (legacy
            assessments rolled up; a current xã meets when every assessed part of it meets).
    """

    year: int | None
    met: int
    communes: int


def assess_criterion(
    session: Session, catalog: Catalog, province: str, scope: Scope, program: str | None = None
) -> CriterionResult:
    """The ICT criterion (QĐ 318 criterion 8) over ``scope``; see :class:`CriterionResult`."""
    year = session.scalar(
        select(func.max(CriterionAssessment.year)).where(
            CriterionAssessment.year <= scope.end.year, *_program_condition(program)
        )
    )
    if year is None:
        legacy = scope.end < REORGANISATION_DAY
        return CriterionResult(None, 0, rural_commune_count(catalog, province, legacy=legacy))
    rows = session.execute(
        select(ActivityPlace.unit_code, CriterionAssessment.met)
        .select_from(CriterionAssessment)
        .join(ActivityPlace, ActivityPlace.activity_id == CriterionAssessment.id)
        .where(CriterionAssessment.year == year, *_program_condition(program))
        .order_by(CriterionAssessment.start_date, CriterionAssessment.id)
    ).all()
    latest: dict[str, bool] = {}
    for unit_code, met in rows:  # ordered oldest first: the latest assessment wins
        latest[unit_code] = bool(met)
    units = {code: catalog.admin.get(code) for code in latest}
    if all(unit is None or unit.legacy for unit in units.values()):
        met_count = sum(1 for code, met in latest.items() if met)
        return CriterionResult(year, met_count, rural_commune_count(catalog, province, legacy=True))
    own: dict[str, bool] = {}
    parts: dict[str, bool] = {}
    for code, met in latest.items():
        unit = units[code]
        if unit is not None and unit.legacy:
            current = catalog.admin.current_equivalent(code) or code
            parts[current] = parts.get(current, True) and met
        else:
            own[code] = met
    rolled = {**parts, **own}  # a current commune's own assessment wins over its parts
    met_count = sum(1 for met in rolled.values() if met)
    return CriterionResult(year, met_count, rural_commune_count(catalog, province, legacy=False))


def criterion_result(
    session: Session, catalog: Catalog, province: str, scope: Scope, program: str | None = None
) -> tuple[int, int]:
    """(xã meeting the ICT criterion, xã) in the latest assessed year of scope."""
    result = assess_criterion(session, catalog, province, scope, program)
    return result.met, result.communes


def funding_totals(
    session: Session, scope: Scope, program: str | None = None
) -> tuple[float, float]:
    """(plan, disbursed) of funding records whose year falls in the scope."""
    row = session.execute(
        select(
            func.coalesce(func.sum(FundingPlan.plan_amount), 0),
            func.coalesce(func.sum(FundingPlan.disbursed_amount), 0),
        ).where(FundingPlan.year.in_(list(scope.years)), *_program_condition(program))
    ).one()
    return float(row[0]), float(row[1])


def breakdown(
    session: Session,
    kind: str,
    field_name: str,
    scope: Scope,
    program: str | None = None,
    measure: str | None = None,
) -> dict[str, float]:
    """Totals of ``measure`` (or record counts) per value of ``field_name`` over the scope."""
    model = MODEL_OF_KIND[kind]
    group = getattr(model, field_name)
    amount = func.sum(getattr(model, measure)) if measure else func.count(model.id)
    statement = (
        select(group, amount)
        .where(*_flow_conditions(kind, scope, program))
        .group_by(group)
        .order_by(group)
    )
    return {str(key): float(total or 0) for key, total in session.execute(statement)}


def media_by_unit(
    session: Session, scope: Scope, program: str | None = None
) -> dict[str, dict[str, float]]:
    """Media quantities over the scope by unit, then by media type (units are not added up)."""
    model = MODEL_OF_KIND["media"]
    statement = (
        select(model.quantity_unit, model.media_type, func.sum(model.quantity))  # type: ignore[attr-defined]
        .where(*_flow_conditions("media", scope, program))
        .group_by(model.quantity_unit, model.media_type)  # type: ignore[attr-defined]
        .order_by(model.quantity_unit, model.media_type)  # type: ignore[attr-defined]
    )
    out: dict[str, dict[str, float]] = {}
    for unit, media_type, total in session.execute(statement):
        out.setdefault(str(unit), {})[str(media_type)] = float(total or 0)
    return out


def latest_breakdown(
    session: Session,
    catalog: Catalog,
    kind: str,
    field_name: str,
    scope: Scope,
    program: str | None = None,
) -> dict[str, list[int]]:
    """Ids of the latest record per commune up to the scope's end, by value of ``field_name``.

    The stock counterpart of :func:`breakdown` (radio stations by technology, clusters by
    status), over the same records as the radio and cluster indicators.
    """
    groups: dict[str, list[int]] = {}
    records = _latest_per_commune(session, kind, scope, program, catalog)
    for record in sorted(records, key=lambda r: r.id):
        groups.setdefault(str(getattr(record, field_name)), []).append(record.id)
    return dict(sorted(groups.items()))


def funding_breakdown(
    session: Session, scope: Scope, program: str | None = None
) -> dict[str, tuple[float, float]]:
    """(plan, disbursed) per funding source, over the records :func:`funding_totals` adds."""
    statement = (
        select(
            FundingPlan.funding_source,
            func.coalesce(func.sum(FundingPlan.plan_amount), 0),
            func.coalesce(func.sum(FundingPlan.disbursed_amount), 0),
        )
        .where(FundingPlan.year.in_(list(scope.years)), *_program_condition(program))
        .group_by(FundingPlan.funding_source)
        .order_by(FundingPlan.funding_source)
    )
    return {
        str(source): (float(plan), float(paid)) for source, plan, paid in session.execute(statement)
    }


def yearly_totals(
    session: Session, kind: str, measure: str, years: Sequence[int], program: str | None = None
) -> dict[int, float]:
    """Sum of ``measure`` over the records of ``kind`` starting in each of ``years``."""
    if not years:
        return {}
    model = MODEL_OF_KIND[kind]
    year = cast(func.strftime("%Y", Activity.start_date), Integer)
    scope = Scope("", date(min(years), 1, 1), date(max(years), 12, 31))
    statement = (
        select(year, func.coalesce(func.sum(getattr(model, measure)), 0))
        .select_from(model)
        .where(*_flow_conditions(kind, scope, program))
        .group_by(year)
    )
    totals = {int(y): float(total) for y, total in session.execute(statement)}
    return {y: totals.get(y, 0.0) for y in years}
