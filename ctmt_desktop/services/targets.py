"""Targets (chỉ tiêu): a value per indicator, program node, year or phase, and province.

Every change is audited (action ``target``: the target before, after, or None when created
or deleted); with an actor, the role must allow changing targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ctmt_desktop import audit
from ctmt_desktop.accounts import Actor, Permission, acting_name, require
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db.models import Target
from ctmt_desktop.errors import Problem, ValidationError
from ctmt_desktop.text import clean_text

_YEAR = re.compile(r"^(\d{4})$")
_PHASE = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class TargetData:
    """A target as plain data. ``period`` is a year (``2024``) or a phase (``2021-2025``)."""

    program: str
    indicator: str
    period: str
    value: float
    note: str = ""


def period_years(period: str) -> range:
    """Years a target period covers: ``2024`` → 2024; ``2021-2025`` → 2021…2025."""
    year = _YEAR.match(period)
    if year:
        return range(int(year.group(1)), int(year.group(1)) + 1)
    phase = _PHASE.match(period)
    if phase:
        return range(int(phase.group(1)), int(phase.group(2)) + 1)
    raise ValueError(period)


def check_target(data: TargetData, catalog: Catalog) -> TargetData:
    """Validate a target; raise ValidationError naming each bad field."""
    problems = []
    node = catalog.program(data.program)
    if node is None:
        problems.append(
            Problem("program", "unknown_code", f"'{data.program}' is not a program node")
        )
    indicator = catalog.indicators.get(data.indicator)
    if indicator is None:
        problems.append(
            Problem("indicator", "unknown_code", f"'{data.indicator}' is not an indicator")
        )
    try:
        years = period_years(data.period.strip())
    except ValueError:
        problems.append(
            Problem(
                "period", "invalid", f"'{data.period}' is not a year (2024) or phase (2021-2025)"
            )
        )
        years = range(0)
    if (
        node is not None
        and years
        and not (node.valid_from.year <= years.start and years.stop - 1 <= node.valid_to.year)
    ):
        problems.append(
            Problem(
                "period",
                "program_not_valid",
                f"{data.program} runs {node.valid_from.year}-{node.valid_to.year}, "
                f"not over {data.period}",
            )
        )
    if isinstance(data.value, bool) or not isinstance(data.value, int | float):
        problems.append(Problem("value", "invalid", f"'{data.value}' is not a number"))
    elif data.value < 0:
        problems.append(Problem("value", "negative", "must not be negative"))
    elif indicator is not None and indicator.extra.get("unit") == "percent" and data.value > 100:
        problems.append(Problem("value", "too_large", "a percentage is at most 100"))
    if problems:
        raise ValidationError(problems)
    return TargetData(
        data.program, data.indicator, data.period.strip(), float(data.value), clean_text(data.note)
    )


def target_to_dict(target: Target) -> dict[str, object]:
    """A stored target as plain data (what the audit trail keeps)."""
    return {
        "id": target.id,
        "program": target.program,
        "indicator": target.indicator,
        "period": target.period,
        "province_code": target.province_code,
        "value": target.value,
        "note": target.note,
    }


def _target_summary(target: Target, verb: str) -> str:
    return f"target {target.indicator} of {target.program} for {target.period} {verb}"


def set_target(
    session: Session,
    catalog: Catalog,
    province: str,
    data: TargetData,
    *,
    user: str,
    actor: Actor | None = None,
) -> Target:
    """Create or replace the target for (program, indicator, period) in ``province``."""
    if actor is not None:
        require(actor, Permission.EDIT_TARGETS)
    clean = check_target(data, catalog)
    target = session.scalars(
        select(Target).where(
            Target.program == clean.program,
            Target.indicator == clean.indicator,
            Target.period == clean.period,
            Target.province_code == province,
        )
    ).first()
    before = target_to_dict(target) if target is not None else None
    if target is None:
        target = Target(
            program=clean.program,
            indicator=clean.indicator,
            period=clean.period,
            province_code=province,
        )
        session.add(target)
    target.value = clean.value
    target.note = clean.note or None
    target.updated_at = datetime.now()
    target.updated_by = actor.username if actor is not None else user
    session.flush()
    audit.record(
        session,
        actor if actor is not None else user,
        "target",
        kind="target",
        entity_id=target.id,
        summary=_target_summary(target, "set" if before is None else "changed"),
        before=before,
        after=target_to_dict(target),
        at=target.updated_at,
    )
    return target


def delete_target(
    session: Session, target_id: int, *, actor: Actor | None = None, user: str | None = None
) -> None:
    """Delete a target (audited with the target as it was; nothing when there is none)."""
    if actor is not None:
        require(actor, Permission.EDIT_TARGETS)
    target = session.get(Target, target_id)
    if target is None:
        return
    before = target_to_dict(target)
    session.execute(delete(Target).where(Target.id == target_id))
    session.expunge(target)
    audit.record(
        session,
        actor if actor is not None else acting_name(None, user),
        "target",
        kind="target",
        entity_id=target_id,
        summary=_target_summary(target, "deleted"),
        before=before,
    )


def list_targets(session: Session, province: str, *, program: str | None = None) -> list[Target]:
    statement = select(Target).where(Target.province_code == province)
    if program:
        statement = statement.where(Target.program == program)
    return list(
        session.scalars(statement.order_by(Target.program, Target.period, Target.indicator))
    )


def find_target(
    session: Session, province: str, program: str, indicator: str, period: str
) -> Target | None:
    return session.scalars(
        select(Target).where(
            Target.province_code == province,
            Target.program == program,
            Target.indicator == indicator,
            Target.period == period,
        )
    ).first()


@dataclass(frozen=True)
class CombinedTarget:
    """The target a node (or every program) has for an indicator over a period.

    Attributes:
        value: the target (None: none set, or percentages that differ between programs).
        differs: percentages set differently on the programs below: no single target.
    """

    value: float | None
    differs: bool = False


def combined_targets(
    session: Session,
    catalog: Catalog,
    province: str,
    program: str | None,
    period: str,
    units: dict[str, str],
) -> dict[str, CombinedTarget]:
    """The target of each indicator of ``units`` (code -> unit) for ``program`` over ``period``.

    A node's own target counts; without one, the targets of the nodes below it do: added up
    for counts, the common value for percentages (none when they differ). ``program`` None
    stands for every program: the top-level programs below it. For a phase without a target,
    a count's target is the sum of the phase's yearly targets when every year has one.
    """
    stored = {(t.program, t.indicator, t.period): t.value for t in list_targets(session, province)}
    children: dict[str | None, list[str]] = {}
    for node in catalog.programs.values():
        children.setdefault(node.parent, []).append(node.code)
    years = [str(year) for year in period_years(period)]

    def resolve(node: str | None, indicator: str, when: str) -> CombinedTarget:
        own = stored.get((node, indicator, when)) if node is not None else None
        if own is not None:
            return CombinedTarget(own)
        below = [resolve(child, indicator, when) for child in children.get(node, [])]
        if any(part.differs for part in below):
            return CombinedTarget(None, differs=True)
        values = [part.value for part in below if part.value is not None]
        if not values:
            return CombinedTarget(None)
        if units.get(indicator) != "percent":
            return CombinedTarget(float(sum(values)))
        if len(set(values)) > 1:
            return CombinedTarget(None, differs=True)
        return CombinedTarget(values[0])

    out: dict[str, CombinedTarget] = {}
    for indicator, unit in units.items():
        target = resolve(program, indicator, period)
        if target.value is None and not target.differs and len(years) > 1 and unit != "percent":
            parts = [resolve(program, indicator, year) for year in years]
            if all(part.value is not None for part in parts):
                target = CombinedTarget(float(sum(part.value or 0.0 for part in parts)))
        out[indicator] = target
    return out
