"""Reporting deadlines, from the catalog (so a ministry changes them without a new release).

The catalog's ``deadlines.due_before`` maps a period type (``year``, ``H1``, ``H2``, ``Q1``…)
to the day a package must be signed *before*, written relative to the period's year: ``Y-06-01``
(1 June of the same year), ``Y+1-01-15`` (15 January of the next). The day starts at midnight
in Vietnam (``timezone_offset_hours``, 7). A package is on time when its signing time (the CMS
signing-time attribute) is before that moment (TT 10/2022/TT-BLĐTBXH: before 1 June for the
first half year, before 1 December for the year).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.periods import PeriodError, parse_period

_RULE = re.compile(r"^Y(?:\+(\d))?-(\d{2})-(\d{2})$")
DEFAULT_OFFSET_HOURS = 7


def period_type(code: str) -> str:
    """``year``, ``H1``, ``H2``, ``Q1``…``Q4`` of a period code."""
    period = parse_period(code)
    return period.code.split("-", 1)[1] if "-" in period.code else "year"


def due_before(catalog: Catalog, code: str) -> date | None:
    """The day a package for period ``code`` must be signed before (None: no deadline)."""
    try:
        year = parse_period(code).start.year
        kind = period_type(code)
    except PeriodError:
        return None
    rule = (catalog.deadlines.get("due_before") or {}).get(kind)
    if not isinstance(rule, str):
        return None
    match = _RULE.match(rule.strip())
    if match is None:
        return None
    try:
        return date(year + int(match.group(1) or 0), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def deadline_moment(catalog: Catalog, code: str) -> datetime | None:
    """The moment (UTC) a package of ``code`` becomes late."""
    day = due_before(catalog, code)
    if day is None:
        return None
    hours = catalog.deadlines.get("timezone_offset_hours", DEFAULT_OFFSET_HOURS)
    zone = timezone(timedelta(hours=float(hours)))
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def is_on_time(catalog: Catalog, code: str, signing_time: datetime | None) -> bool | None:
    """Whether a package signed at ``signing_time`` (naive = UTC) is on time; None when the
    period has no deadline or the signing time is unknown."""
    limit = deadline_moment(catalog, code)
    if limit is None or signing_time is None:
        return None
    moment = signing_time if signing_time.tzinfo else signing_time.replace(tzinfo=UTC)
    return moment < limit
