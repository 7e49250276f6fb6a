"""Period codes in words for the window (``2026`` -> "năm 2026", ``2026-H1`` -> "6 tháng đầu
năm 2026"), and the period the dashboard shows, which the status bar repeats.

Kept apart from the dashboard page so that the main window can name the period without
loading the charts.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QCoreApplication

from ui import app_settings

# Where the dashboard keeps its chosen period (a period or phase code).
DASHBOARD_SCOPE_KEY = "dashboard/scope"

_YEAR = re.compile(r"^(\d{4})$")
_PART = re.compile(r"^(\d{4})-(H[12]|Q[1-4])$")
_PHASE = re.compile(r"^(\d{4})-(\d{4})$")


def period_words(code: str) -> str:
    """A period or phase code in the interface language; the code itself when unknown."""

    translate = QCoreApplication.translate
    if _YEAR.match(code):
        return translate("PeriodWords", "year {year}").format(year=code)
    phase = _PHASE.match(code)
    if phase:
        return translate("PeriodWords", "phase {first}–{last}").format(
            first=phase.group(1), last=phase.group(2)
        )
    part = _PART.match(code)
    if part is None:
        return code
    year, which = part.groups()
    texts = {
        "H1": translate("PeriodWords", "first half of {year}"),
        "H2": translate("PeriodWords", "second half of {year}"),
        "Q1": translate("PeriodWords", "quarter I of {year}"),
        "Q2": translate("PeriodWords", "quarter II of {year}"),
        "Q3": translate("PeriodWords", "quarter III of {year}"),
        "Q4": translate("PeriodWords", "quarter IV of {year}"),
    }
    return texts[which].format(year=year)


def dashboard_period(today: date | None = None) -> str:
    """The period the dashboard shows: the one chosen last, else this year."""
    saved = str(app_settings().value(DASHBOARD_SCOPE_KEY, "") or "")
    if _YEAR.match(saved) or _PART.match(saved) or _PHASE.match(saved):
        return saved
    return str((today or date.today()).year)
