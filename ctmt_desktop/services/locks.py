"""Frozen periods: may a record starting on a day be written?

A period is frozen while it is approved (not reopened since) or locked by its package; a
record starting in a frozen period cannot be added, changed, deleted or imported
(:mod:`ctmt_desktop.services.approval` explains the period's life). The checks read the
``period_approval`` table with plain SQL, on a :class:`sqlite3.Connection` or an ORM
session's (:func:`~ctmt_desktop.services.listing.dbapi_connection`), so the one write path
of records checks them without importing the ORM. Every name here is importable from
:mod:`ctmt_desktop.services.approval` too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from ctmt_desktop.errors import PeriodLockedError
from ctmt_desktop.periods import Period, parse_period
from ctmt_desktop.services.listing import Source, dbapi_connection

#: The status of an approved period (the other one is ``reopened``).
APPROVED = "approved"


@dataclass(frozen=True)
class FrozenPeriod:
    """A frozen period as the lock checks need it."""

    period: Period
    locked: bool
    locked_at: datetime | None
    approved_by: str
    approved_at: datetime | None

    def refusal(self, day: date) -> PeriodLockedError:
        """The error a write of a record starting on ``day`` gets."""
        return PeriodLockedError(
            self.period.code,
            day,
            self.locked_at if self.locked else None,
            approved_by=self.approved_by,
            approved_at=self.approved_at,
        )


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def frozen_periods(source: Source) -> list[FrozenPeriod]:
    """Every frozen period: approved (not reopened since), or locked by a package."""
    rows = dbapi_connection(source).execute(
        "SELECT period, locked, locked_at, approved_by, approved_at FROM period_approval "
        "WHERE locked = 1 OR status = ? ORDER BY period",
        (APPROVED,),
    )
    return [
        FrozenPeriod(parse_period(code), bool(locked), _moment(locked_at), by, _moment(at))
        for code, locked, locked_at, by, at in rows
    ]


def locking_code(source: Source, day: date) -> str | None:
    """The code of the frozen period containing ``day`` (the longest when several do)."""
    found = [frozen.period for frozen in frozen_periods(source) if frozen.period.contains(day)]
    if not found:
        return None
    return min(found, key=lambda period: (period.start, -period.end.toordinal())).code


def check_period_open(source: Source, start_date: date, *more: date) -> None:
    """Raise :class:`PeriodLockedError` when any of the start dates lies in a frozen period
    (approved, or locked by its package).

    Called once at the top of every record write (create, import, update, delete) with the
    start dates the write touches (for an update: the old and the new one).
    """
    frozen = frozen_periods(source)
    if not frozen:
        return
    for day in sorted({start_date, *more}):
        for period in frozen:
            if period.period.contains(day):
                raise period.refusal(day)


def locked_days(source: Source, days: Iterable[date]) -> dict[date, PeriodLockedError]:
    """Each of ``days`` in a frozen period, with the refusal a write starting on it would get
    (a dry-run import reports every such row without writing)."""
    frozen = frozen_periods(source)
    found: dict[date, PeriodLockedError] = {}
    if not frozen:
        return found
    for day in set(days):
        for period in frozen:
            if period.period.contains(day):
                found[day] = period.refusal(day)
                break
    return found


def check_days_open(source: Source, days: Iterable[date]) -> None:
    """:func:`check_period_open` for any number of days (nothing to check when empty)."""
    unique = sorted(set(days))
    if unique:
        check_period_open(source, *unique)
