"""Indicators computed from the records, against their targets (the dashboard and reports).

A *scope* is a reporting period (``2024``, ``2024-H1``, ``2024-Q3``) or a program phase
(``2021-2025``). Flow indicators (classes, participant-times, outputs, disbursement) add up
the records starting in the scope; stock indicators (radio coverage, clusters operating,
communes meeting the ICT criterion) take, per commune, the latest record up to the scope's
end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from ctmt_desktop.catalog import REORGANISATION_DAY, Catalog
from ctmt_desktop.db.models import (
    MODEL_OF_KIND,
    Activity,
    ActivityPlace,
    CriterionAssessment,
    FundingPlan,
    InformationCluster,
    RadioStation,
)
from ctmt_desktop.periods import PeriodError, parse_period
from ctmt_desktop.services.targets import find_target

_PHASE = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class Scope:
    """The time span indicators are computed over."""

    code: str
    start: date
    end: date

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    @property
    def is_year_or_phase(self) -> bool:
        return (
            self.start.month == 1
            and self.start.day == 1
            and (self.end.month, self.end.day)
            == (
                12,
                31,
            )
        )


def parse_scope(text: str) -> Scope:
    """A period (``2024``, ``2024-H1``…) or a phase (``2021-2025``)."""
    phase = _PHASE.match(text.strip())
    if phase:
        first, last = int(phase.group(1)), int(phase.group(2))
        if not 2000 <= first <= last <= 2100:
            raise PeriodError(f"'{text}' is not a phase: the first year must not follow the last")
        return Scope(text.strip(), date(first, 1, 1), date(last, 12, 31))
    period = parse_period(text)
    return Scope(period.code, period.start, period.end)


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
    session: Session, kind: str, scope: Scope, program: str | None
) -> list[Any]:
    """For each commune, the latest record of ``kind`` starting on or before the scope's end."""
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
    return list(session.scalars(select(model).where(model.id.in_(latest))))


def commune_count(catalog: Catalog, province: str, on: date) -> int:
    """How many communes the province had on a day (legacy units before 1 July 2025)."""
    legacy = on < REORGANISATION_DAY
    return sum(
        1
        for unit in catalog.admin
        if unit.level == "commune" and unit.province == province and unit.legacy == legacy
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

    stations: list[RadioStation] = _latest_per_commune(session, "radio", scope, program)
    covered = sum(s.hamlets_covered for s in stations)
    hamlets = sum(s.hamlets for s in stations)
    out.add("radio_hamlet_coverage", "radio", _share(covered, hamlets), covered, hamlets)
    on_it = sum(1 for s in stations if s.technology == "it_telecom")
    out.add("radio_it_share", "radio", _share(on_it, len(stations)), on_it, len(stations))

    clusters: list[InformationCluster] = _latest_per_commune(session, "cluster", scope, program)
    operating = sum(1 for c in clusters if c.cluster_status == "operating")
    out.add("clusters_operating", "cluster", operating, operating)

    met, communes = criterion_result(session, catalog, province, scope, program)
    out.add("ict_criterion_share", "criterion", _share(met, communes), met, communes)

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


def criterion_result(
    session: Session, catalog: Catalog, province: str, scope: Scope, program: str | None = None
) -> tuple[int, int]:
    """(communes meeting the ICT criterion, communes) in the latest assessed year of scope."""
    year = session.scalar(
        select(func.max(CriterionAssessment.year)).where(
            CriterionAssessment.year <= scope.end.year, *_program_condition(program)
        )
    )
    if year is None:
        return 0, commune_count(catalog, province, scope.end)
    met = session.scalar(
        select(func.count(func.distinct(ActivityPlace.unit_code)))
        .select_from(CriterionAssessment)
        .join(ActivityPlace, ActivityPlace.activity_id == CriterionAssessment.id)
        .where(
            CriterionAssessment.year == year,
            CriterionAssessment.met.is_(True),
            *_program_condition(program),
        )
    )
    return int(met or 0), commune_count(catalog, province, date(year, 12, 31))


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
