"""Reporting periods: ``2024`` (year), ``2024-H1``/``H2`` (halves), ``2024-Q1``..``Q4``.

A record belongs to a period when its start date falls inside it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]))?$")


class PeriodError(ValueError):
    """Raised for text that is not a period in the product's notation."""


@dataclass(frozen=True)
class Period:
    """A reporting period with its first and last day (both inclusive)."""

    code: str
    start: date
    end: date

    def contains(self, day: date) -> bool:
        """True when ``day`` lies in the period."""
        return self.start <= day <= self.end

    @property
    def year(self) -> int:
        return self.start.year


def parse_period(text: str) -> Period:
    """Parse ``2024``, ``2024-H1`` or ``2024-Q3`` (case-insensitive) into a :class:`Period`."""
    match = _PATTERN.match(text.strip().upper())
    if not match:
        raise PeriodError(
            f"'{text}' is not a period: use 2024, 2024-H1, 2024-H2 or 2024-Q1 to 2024-Q4"
        )
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise PeriodError(f"'{text}': the year must lie between 2000 and 2100")
    part = match.group(2)
    if part is None:
        first_month, last_month = 1, 12
    elif part.startswith("H"):
        half = int(part[1])
        first_month, last_month = 6 * half - 5, 6 * half
    else:
        quarter = int(part[1])
        first_month, last_month = 3 * quarter - 2, 3 * quarter
    last_day = calendar.monthrange(year, last_month)[1]
    code = f"{year}" if part is None else f"{year}-{part}"
    return Period(code, date(year, first_month, 1), date(year, last_month, last_day))


# --- scopes: a period or a program phase ----------------------------------------------------
_PHASE = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class Scope:
    """The time span indicators are computed over: a period (``2024``, ``2024-H1``…) or a
    program phase (``2021-2025``)."""

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
