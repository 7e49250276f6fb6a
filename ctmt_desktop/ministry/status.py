"""Who has reported: the 34 provinces by period.

For each province and period the state is ``on_time`` or ``late`` (a current submission,
signed before or after the catalog's deadline, :mod:`.deadlines`), ``refused`` (no accepted
submission, one or more packages refused) or ``missing``. Each cell also tells the version,
the superseded versions, the received and signing times, the counts per kind, the signer,
the review state and the refusals' reasons. Two queries answer any number of periods.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.ministry.deadlines import due_before, is_on_time
from ctmt_desktop.ministry.models import CURRENT, Refusal, Submission
from ctmt_desktop.periods import PeriodError, parse_period
from ctmt_desktop.text import sort_key

MISSING, ON_TIME, LATE, REFUSED = "missing", "on_time", "late", "refused"
STATES = (ON_TIME, LATE, REFUSED, MISSING)


@dataclass
class StatusCell:
    """One province in one period."""

    province: str
    province_name: str
    period: str
    state: str = MISSING
    due_before: date | None = None
    submission_id: int | None = None
    package_id: str | None = None
    version: int | None = None
    superseded: list[int] = field(default_factory=list)
    received_at: datetime | None = None
    signing_time: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)
    record_count: int = 0
    signer: str = ""
    signer_fingerprint: str = ""
    review_state: str = ""
    refusals: int = 0
    reasons: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """What ``ctmt ministry status --format json`` prints for the cell."""
        return {
            "province": self.province,
            "province_name": self.province_name,
            "period": self.period,
            "state": self.state,
            "due_before": self.due_before.isoformat() if self.due_before else None,
            "version": self.version,
            "superseded_versions": list(self.superseded),
            "package_id": self.package_id,
            "received_at": _iso(self.received_at),
            "signing_time": _iso(self.signing_time, utc=True),
            "counts": dict(self.counts),
            "records": self.record_count,
            "signer": self.signer,
            "signer_fingerprint": self.signer_fingerprint,
            "review_state": self.review_state or None,
            "refused_packages": self.refusals,
            "reasons": list(self.reasons),
        }


def holder(subject: str) -> str:
    """The common name of an RFC 4514 subject (``CN=Nguyễn Văn A,O=…`` → ``Nguyễn Văn A``)."""
    match = re.search(r"(?:^|,)CN=((?:\\.|[^,])*)", subject)
    if match is None:
        return subject
    return re.sub(r"\\(.)", r"\1", match.group(1))


def _iso(moment: datetime | None, *, utc: bool = False) -> str | None:
    if moment is None:
        return None
    if utc and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


@dataclass
class StatusMatrix:
    """The cells of ``provinces`` × ``periods`` and their totals."""

    periods: list[str]
    provinces: list[tuple[str, str]]
    cells: dict[tuple[str, str], StatusCell]

    def cell(self, province: str, period: str) -> StatusCell:
        return self.cells[(province, period)]

    def column(self, period: str) -> list[StatusCell]:
        return [self.cells[(code, period)] for code, _name in self.provinces]

    def totals(self, period: str) -> dict[str, int]:
        """How many provinces are in each state, ``expected`` and ``received`` (on time or
        late), and the reporting rates in percent (DHIS2's reporting rate and on-time rate)."""
        counts = dict.fromkeys(STATES, 0)
        for cell in self.column(period):
            counts[cell.state] += 1
        expected = len(self.provinces)
        received = counts[ON_TIME] + counts[LATE]
        return {
            **counts,
            "expected": expected,
            "received": received,
            "rate": round(100 * received / expected) if expected else 0,
            "on_time_rate": round(100 * counts[ON_TIME] / expected) if expected else 0,
        }


def current_provinces(catalog: Catalog) -> list[tuple[str, str]]:
    """The current provinces (34), as (code, name) in Vietnamese order."""
    units = catalog.admin.provinces()
    return [(unit.code, unit.name) for unit in sorted(units, key=lambda u: sort_key(u.name))]


def known_periods(session: Session) -> list[str]:
    """Every period the store has a submission or a refusal for, latest first."""
    found = set(session.scalars(select(Submission.period).distinct()))
    found |= {p for p in session.scalars(select(Refusal.period).distinct()) if p}
    valid = []
    for code in found:
        try:
            valid.append(parse_period(code))
        except PeriodError:
            continue
    valid.sort(key=lambda p: (p.start, -(p.end - p.start).days), reverse=True)
    return [p.code for p in valid]


def status_matrix(
    session: Session, catalog: Catalog, periods: Sequence[str], *, province: str | None = None
) -> StatusMatrix:
    """The state of every current province (or of ``province``) in each of ``periods``."""
    codes = [parse_period(p).code for p in periods]
    provinces = current_provinces(catalog)
    if province:
        provinces = [(code, name) for code, name in provinces if code == province]
    cells = {
        (code, period): StatusCell(code, name, period, due_before=due_before(catalog, period))
        for period in codes
        for code, name in provinces
    }
    rows = session.execute(
        select(
            Submission.id,
            Submission.province,
            Submission.period,
            Submission.state,
            Submission.version,
            Submission.package_id,
            Submission.received_at,
            Submission.signing_time,
            Submission.counts,
            Submission.record_count,
            Submission.signer_subject,
            Submission.signer_fingerprint,
            Submission.review_state,
        ).where(Submission.period.in_(codes))
    ).all()
    superseded: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in rows:
        key = (row.province, row.period)
        cell = cells.get(key)
        if cell is None:
            continue
        if row.state != CURRENT:
            superseded[key].append(row.version)
            continue
        on_time = is_on_time(catalog, row.period, row.signing_time)
        cell.state = LATE if on_time is False else ON_TIME
        cell.submission_id = row.id
        cell.package_id = row.package_id
        cell.version = row.version
        cell.received_at = row.received_at
        cell.signing_time = row.signing_time
        cell.counts = {k: int(v) for k, v in (row.counts or {}).items()}
        cell.record_count = row.record_count
        cell.signer = holder(row.signer_subject)
        cell.signer_fingerprint = row.signer_fingerprint
        cell.review_state = row.review_state
    for key, versions in superseded.items():
        cells[key].superseded = sorted(versions)
    refusals = session.execute(
        select(Refusal.province, Refusal.period, Refusal.reasons, Refusal.received_at)
        .where(Refusal.period.in_(codes))
        .order_by(Refusal.received_at)
    ).all()
    for row in refusals:
        cell = cells.get((row.province, row.period))
        if cell is None:
            continue
        cell.refusals += 1
        cell.reasons = list(row.reasons or [])
        if cell.state == MISSING:
            cell.state = REFUSED
    return StatusMatrix(codes, provinces, cells)
