"""What the ministry's pages share: the context of the open store, the words and colours of
the reporting states and intake verdicts, and times shown in Vietnam's time.

Words come from Qt's translation (context ``Ministry``); the core keeps its codes (``on_time``,
``signer_registered``…), which the pages never show raw.
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QColor

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.formatting import format_date, format_number
from ctmt_desktop.kinds import KIND_CODES, kind_spec
from ctmt_desktop.ministry.deadlines import DEFAULT_OFFSET_HOURS
from ctmt_desktop.ministry.store import Store
from ctmt_desktop.periods import PeriodError, parse_period
from ui.context import Navigator
from ui.db_lane import DbLane

ON_TIME, LATE, REFUSED, MISSING = "on_time", "late", "refused", "missing"

#: (background, text) of each reporting state: on time green, late amber, refused red,
#: missing grey; pale backgrounds so that the text stays readable.
STATE_COLOURS: dict[str, tuple[str, str]] = {
    ON_TIME: ("#dcfce7", "#14532d"),
    LATE: ("#fef3c7", "#78350f"),
    REFUSED: ("#fee2e2", "#991b1b"),
    MISSING: ("#f1f5f9", "#64748b"),
}
#: The strong colour of each state (legends, chart bars, card accents).
STATE_ACCENTS = {ON_TIME: "#16a34a", LATE: "#d97706", REFUSED: "#dc2626", MISSING: "#94a3b8"}
#: (background, text) of each intake verdict.
VERDICT_COLOURS: dict[str, tuple[str, str]] = {
    "accepted": STATE_COLOURS[ON_TIME],
    "superseded": STATE_COLOURS[ON_TIME],
    "duplicate": ("#e0e7ff", "#1e3a8a"),
    "refused": STATE_COLOURS[REFUSED],
}


class MinistryNavigator(Navigator):
    """Page-to-page requests of the ministry's window.

    Signals:
        navigate(str, dict): show the page ``key`` (``status``, ``submissions``, ``receive``,
            ``signers``, ``dashboard``, ``settings``) with ``params`` (e.g.
            ``{"submission_id": 4}``, ``{"period": "2025"}``).
        data_changed(): packages were received or signers registered; pages reload.
        period_shown(str): the period a page now shows (for the status bar).
    """

    period_shown = Signal(str)


@dataclass
class MinistryContext:
    """What every page of the ministry's window shares.

    Attributes:
        store: the open national store.
        lane: the single lane of work on the store.
        catalog: the loaded catalog (provinces, deadlines, indicators).
        ministry_name: the ministry's name kept in the store.
        user: who is working (the computer's login name; the store's audit names them).
        language: ``vi`` or ``en``.
        navigator: page-to-page requests.
    """

    store: Store
    lane: DbLane
    catalog: Catalog
    ministry_name: str
    user: str = field(default_factory=getpass.getuser)
    language: str = "vi"
    navigator: MinistryNavigator = field(default_factory=MinistryNavigator)


def state_text(state: str) -> str:
    """The reporting state in words."""
    return {
        ON_TIME: QCoreApplication.translate("Ministry", "On time"),
        LATE: QCoreApplication.translate("Ministry", "Late"),
        REFUSED: QCoreApplication.translate("Ministry", "Refused"),
        MISSING: QCoreApplication.translate("Ministry", "Missing"),
    }.get(state, state)


def state_colours(state: str) -> tuple[QColor, QColor]:
    background, text = STATE_COLOURS.get(state, STATE_COLOURS[MISSING])
    return QColor(background), QColor(text)


def verdict_text(verdict: str, replaced: int | None = None) -> str:
    """An intake verdict in words (``superseded`` tells the version it replaced)."""
    if verdict == "superseded":
        return QCoreApplication.translate("Ministry", "Accepted, replaces v{version}").format(
            version=replaced if replaced is not None else "?"
        )
    return {
        "accepted": QCoreApplication.translate("Ministry", "Accepted"),
        "duplicate": QCoreApplication.translate("Ministry", "Duplicate: nothing changed"),
        "refused": QCoreApplication.translate("Ministry", "Refused"),
    }.get(verdict, verdict)


def review_text(state: str) -> str:
    """A review state (ODK Central's) in words."""
    return {
        "received": QCoreApplication.translate("Ministry", "Not reviewed yet"),
        "accepted": QCoreApplication.translate("Ministry", "Accepted after review"),
        "has_issues": QCoreApplication.translate("Ministry", "Has issues"),
        "rejected": QCoreApplication.translate("Ministry", "Rejected"),
    }.get(state, state)


def submission_state_text(state: str) -> str:
    return {
        "current": QCoreApplication.translate("Ministry", "Current"),
        "superseded": QCoreApplication.translate("Ministry", "Superseded"),
    }.get(state, state)


def period_label(code: str) -> str:
    """``Year 2025``, ``First half of 2025``, ``Quarter 3 of 2025``, ``Phase 2021-2025``."""
    try:
        period = parse_period(code)
    except PeriodError:
        return QCoreApplication.translate("Ministry", "Phase {phase}").format(phase=code)
    year = str(period.start.year)
    if "-" not in period.code:
        return QCoreApplication.translate("Ministry", "Year {year}").format(year=year)
    part = period.code.split("-", 1)[1]
    if part == "H1":
        return QCoreApplication.translate("Ministry", "First half of {year}").format(year=year)
    if part == "H2":
        return QCoreApplication.translate("Ministry", "Second half of {year}").format(year=year)
    return QCoreApplication.translate("Ministry", "Quarter {quarter} of {year}").format(
        quarter=part[1:], year=year
    )


def vietnam_time(moment: datetime | None, catalog: Catalog) -> datetime | None:
    """A stored UTC moment (naive or aware) in Vietnam's time, as deadlines are read."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    hours = float(catalog.deadlines.get("timezone_offset_hours", DEFAULT_OFFSET_HOURS))
    return (aware.astimezone(UTC) + timedelta(hours=hours)).replace(tzinfo=None)


def format_moment(moment: datetime | None) -> str:
    """``28/11/2025 09:30`` (empty for None)."""
    if moment is None:
        return ""
    return f"{format_date(moment.date())} {moment:%H:%M}"


def province_name(catalog: Catalog, code: str | None) -> str:
    """The province's name in the catalog (its code when unknown)."""
    if not code:
        return ""
    unit = catalog.admin.get(code)
    return unit.name if unit is not None else code


def kind_counts(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """``(kind, count)`` of the activity kinds in a package's counts, in the kinds' order
    (the counts also hold ``records`` and ``evidence_files``)."""
    return [(kind, int(counts.get(kind, 0))) for kind in KIND_CODES if kind in counts]


def kind_counts_text(counts: Mapping[str, int], language: str) -> str:
    """``Training classes 9 · Events 19 · …`` (kinds without records left out)."""
    parts = [
        f"{kind_spec(kind).name(language)} {format_number(count)}"
        for kind, count in kind_counts(counts)
        if count
    ]
    return " · ".join(parts)


def alive(widget: QObject) -> bool:
    """False once Qt deleted ``widget`` (a page rebuilt while its lane work ran)."""
    return shiboken6.isValid(widget)
