"""Approving, locking and reopening reporting periods, and the register of packages made.

The life of a period (``2024``, ``2024-H1``, ``2024-Q3``):

1. an approver (role ``approver`` or ``admin``) approves it (:func:`approve_period`) once no
   record starting in it is a draft (:func:`draft_records`; ``confirm_drafts`` confirms them
   as part of the approval, after the window asked or with ``ctmt approve --confirm-drafts``).
   The approval **freezes** the period: records starting in it can no longer be added,
   changed, deleted or imported (:func:`check_period_open`, called by the one write path in
   :mod:`ctmt_desktop.services.records`, and :func:`locked_days` by the spreadsheet import,
   dry runs included, raise or report :class:`PeriodLockedError` naming the period), so that
   what was approved is what is sent;
2. a submission package can then be made for it; recording the package
   (:func:`record_package`) also **locks** it (``Approval.locked``: a package was made);
3. to change a record after that, an approver reopens the period with a written reason
   (:func:`reopen_period`); it must be approved again before the next package, which gets
   version n+1 and names version n as the package it supersedes.

Periods overlap (``2024`` contains ``2024-H1`` contains ``2024-Q1``): a day is frozen when
any approved or locked period contains it. Every approval, reopening and package is audited
(actions ``approve``, ``reopen``, ``package``; kind ``period``, the period code as entity
id); drafts confirmed by an approval are audited as updates of their records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ctmt_desktop import audit
from ctmt_desktop.accounts import Actor, Permission, require
from ctmt_desktop.db.models import Activity, PeriodApproval, SubmissionPackage
from ctmt_desktop.errors import PeriodLockedError, Problem, ValidationError
from ctmt_desktop.periods import Period, parse_period
from ctmt_desktop.text import clean_text

APPROVED = "approved"
REOPENED = "reopened"
#: Longest reopening reason kept.
REASON_MAX = 2000


@dataclass(frozen=True)
class Approval:
    """The approval state of a period, as plain data."""

    period: str
    status: str
    approved_by: str
    approved_at: datetime
    locked: bool
    locked_at: datetime | None
    reopened_by: str | None
    reopened_at: datetime | None
    reopen_reason: str | None

    @property
    def approved(self) -> bool:
        return self.status == APPROVED

    @property
    def frozen(self) -> bool:
        """True while records starting in the period cannot change: approved (and perhaps
        packaged, ``locked``), not reopened since."""
        return self.approved or self.locked


@dataclass(frozen=True)
class DraftRecord:
    """A record still a draft, which keeps its period from being approved."""

    kind: str
    id: int
    title: str
    start_date: date

    def __str__(self) -> str:
        return f"{self.kind} #{self.id} ({self.start_date:%d/%m/%Y}): {self.title}"


@dataclass(frozen=True)
class PackageInfo:
    """One submission package made, as plain data."""

    period: str
    version: int
    supersedes: str | None
    package_id: str
    file_path: str
    part_count: int
    size: int
    record_count: int
    created_at: datetime
    created_by: str
    signer_fingerprint: str
    signer_subject: str

    @property
    def files(self) -> list[Path]:
        """Every file to send: the zip, or its numbered parts (``file_path`` is the first)."""
        first = Path(self.file_path)
        if self.part_count <= 1 or not first.name.endswith(".001"):
            return [first]
        stem = first.name[: -len(".001")]
        return [first.with_name(f"{stem}.{n:03d}") for n in range(1, self.part_count + 1)]


def _approval(row: PeriodApproval) -> Approval:
    return Approval(
        period=row.period,
        status=row.status,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        locked=row.locked,
        locked_at=row.locked_at,
        reopened_by=row.reopened_by,
        reopened_at=row.reopened_at,
        reopen_reason=row.reopen_reason,
    )


def _package(row: SubmissionPackage) -> PackageInfo:
    return PackageInfo(
        period=row.period,
        version=row.version,
        supersedes=row.supersedes,
        package_id=row.package_id,
        file_path=row.file_path,
        part_count=row.part_count,
        size=row.size,
        record_count=row.record_count,
        created_at=row.created_at,
        created_by=row.created_by,
        signer_fingerprint=row.signer_fingerprint,
        signer_subject=row.signer_subject,
    )


def _code(period: Period | str) -> str:
    return (parse_period(period) if isinstance(period, str) else period).code


def _state(row: PeriodApproval) -> dict[str, object]:
    return {
        "status": row.status,
        "approved_by": row.approved_by,
        "approved_at": row.approved_at,
        "locked": row.locked,
        "reopen_reason": row.reopen_reason,
    }


def _row(session: Session, code: str) -> PeriodApproval | None:
    return session.scalars(select(PeriodApproval).where(PeriodApproval.period == code)).first()


# --- approving and reopening ---------------------------------------------------------------------
def draft_records(session: Session, period: Period | str) -> list[DraftRecord]:
    """The records starting in ``period`` that are still drafts, by start date and id."""
    span = parse_period(period) if isinstance(period, str) else period
    statement = (
        select(Activity.kind, Activity.id, Activity.title, Activity.start_date)
        .where(
            Activity.status == "draft",
            Activity.start_date >= span.start,
            Activity.start_date <= span.end,
        )
        .order_by(Activity.start_date, Activity.id)
    )
    return [DraftRecord(*row) for row in session.execute(statement)]


def _confirm(
    session: Session, actor: Actor, code: str, drafts: list[DraftRecord], moment: datetime
) -> None:
    """Confirm ``drafts`` as part of approving ``code``; one ``update`` entry each."""
    ids = [draft.id for draft in drafts]
    for first in range(0, len(ids), 500):
        session.execute(
            update(Activity)
            .where(Activity.id.in_(ids[first : first + 500]))
            .values(status="confirmed", updated_at=moment, updated_by=actor.username)
            .execution_options(synchronize_session=False)
        )
    audit.record_many(
        session,
        actor,
        (
            audit.Change(
                "update",
                kind=draft.kind,
                entity_id=draft.id,
                period=audit.quarter_of(draft.start_date),
                summary=f"{draft.kind} #{draft.id} confirmed on approving {code}",
                before={"title": draft.title, "status": "draft"},
                after={"title": draft.title, "status": "confirmed"},
            )
            for draft in drafts
        ),
        at=moment,
    )


def approve_period(
    session: Session,
    actor: Actor,
    period: Period | str,
    *,
    now: datetime | None = None,
    confirm_drafts: bool = False,
) -> Approval:
    """Approve ``period`` (``2024-H1``…) and freeze it; return its approval.

    Records starting in the period that are still drafts keep it from being approved: the
    refusal lists them (``drafts_remain``, params ``count`` and ``records``, a list of
    :class:`DraftRecord`). With ``confirm_drafts`` (the user saw them and agreed) they are
    confirmed in the same unit of work, each audited as an ``update``.

    Raises:
        PermissionDeniedError: the actor's role cannot approve.
        PeriodError: ``period`` is not a period.
        ValidationError: the period is approved already (code ``already_approved``), or
            drafts remain (``drafts_remain``).
    """
    require(actor, Permission.APPROVE)
    code = _code(period)
    moment = now or datetime.now()
    row = _row(session, code)
    before = _state(row) if row is not None else None
    if row is not None and row.status == APPROVED:
        raise ValidationError(
            [
                Problem(
                    "period",
                    "already_approved",
                    f"{code} was approved already by {row.approved_by} on "
                    f"{row.approved_at:%d/%m/%Y %H:%M}",
                    {"period": code, "by": row.approved_by, "at": row.approved_at},
                )
            ]
        )
    drafts = draft_records(session, code)
    if drafts and not confirm_drafts:
        raise ValidationError(
            [
                Problem(
                    "period",
                    "drafts_remain",
                    f"{code} cannot be approved while {len(drafts)} record(s) starting in it "
                    "are drafts; confirm them first (or approve with --confirm-drafts)",
                    {"period": code, "count": len(drafts), "records": drafts},
                )
            ]
        )
    if drafts:
        _confirm(session, actor, code, drafts, moment)
    if row is None:
        row = PeriodApproval(period=code, locked=False)
        session.add(row)
    row.status = APPROVED
    row.approved_by = actor.username
    row.approved_at = moment
    row.locked = False
    row.locked_at = None
    session.flush()
    audit.record(
        session,
        actor,
        "approve",
        kind="period",
        entity_id=code,
        summary=f"period {code} approved by '{actor.username}'",
        before=before,
        after=_state(row),
        at=moment,
    )
    return _approval(row)


def reopen_period(
    session: Session,
    actor: Actor,
    period: Period | str,
    reason: str,
    *,
    now: datetime | None = None,
) -> Approval:
    """Reopen an approved (and perhaps locked) period so its records can change again.

    The written ``reason`` is required and kept with the approval and in the audit trail.
    The period must be approved again before its next package.

    Raises:
        PermissionDeniedError: the actor's role cannot reopen.
        PeriodError: ``period`` is not a period.
        ValidationError: no reason (``reason``/``required``), or the period is not approved
            (``period``/``not_approved``).
    """
    require(actor, Permission.REOPEN)
    code = _code(period)
    text = clean_text(reason or "")
    if not text:
        raise ValidationError(
            [Problem("reason", "required", "a reason for reopening the period is required")]
        )
    if len(text) > REASON_MAX:
        raise ValidationError(
            [
                Problem(
                    "reason",
                    "too_long",
                    f"must have at most {REASON_MAX} characters",
                    {"max": REASON_MAX},
                )
            ]
        )
    row = _row(session, code)
    if row is None or row.status != APPROVED:
        raise ValidationError(
            [
                Problem(
                    "period",
                    "not_approved",
                    f"{code} is not approved, so there is nothing to reopen",
                    {"period": code},
                )
            ]
        )
    moment = now or datetime.now()
    before = _state(row)
    row.status = REOPENED
    row.locked = False
    row.reopened_by = actor.username
    row.reopened_at = moment
    row.reopen_reason = text
    session.flush()
    audit.record(
        session,
        actor,
        "reopen",
        kind="period",
        entity_id=code,
        summary=f"period {code} reopened by '{actor.username}': {text}",
        before=before,
        after=_state(row),
        at=moment,
    )
    return _approval(row)


def get_approval(session: Session, period: Period | str) -> Approval | None:
    """The approval state of ``period`` (None when it was never approved)."""
    row = _row(session, _code(period))
    return _approval(row) if row is not None else None


def list_approvals(session: Session) -> list[Approval]:
    """Every period ever approved, by period code."""
    rows = session.scalars(select(PeriodApproval).order_by(PeriodApproval.period))
    return [_approval(row) for row in rows]


def require_approved(session: Session, period: Period | str) -> Approval:
    """The approval of ``period``; raise ValidationError (``not_approved``) unless approved
    now (packaging a period needs it)."""
    code = _code(period)
    row = _row(session, code)
    if row is None or row.status != APPROVED:
        state = "was reopened and is not approved again" if row is not None else "is not approved"
        raise ValidationError(
            [
                Problem(
                    "period",
                    "not_approved",
                    f"{code} {state}; an approver must approve it before it is packaged "
                    f"(ctmt approve --period {code})",
                    {"period": code},
                )
            ]
        )
    return _approval(row)


# --- locks ---------------------------------------------------------------------------------------
def _locked_rows(session: Session) -> list[tuple[Period, PeriodApproval]]:
    """The frozen periods: approved (not reopened since), or locked by a package."""
    rows = session.scalars(
        select(PeriodApproval).where(
            or_(PeriodApproval.locked.is_(True), PeriodApproval.status == APPROVED)
        )
    )
    return [(parse_period(row.period), row) for row in rows]


def locking_period(session: Session, day: date) -> Approval | None:
    """The frozen period (approved or packaged) containing ``day`` (the longest when several
    do), or None."""
    found = [(p, row) for p, row in _locked_rows(session) if p.contains(day)]
    if not found:
        return None
    found.sort(key=lambda item: (item[0].start, -item[0].end.toordinal()))
    return _approval(found[0][1])


def is_locked(session: Session, day: date) -> bool:
    """True when a record starting on ``day`` lies in a frozen period (approved or
    packaged), so that it cannot be added, changed or deleted."""
    return locking_period(session, day) is not None


def _locked_error(row: PeriodApproval, day: date) -> PeriodLockedError:
    return PeriodLockedError(
        row.period,
        day,
        row.locked_at if row.locked else None,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
    )


def check_period_open(session: Session, start_date: date, *more: date) -> None:
    """Raise :class:`PeriodLockedError` when any of the start dates lies in a frozen period
    (approved, or locked by its package).

    Called once at the top of every record write (create, import, update, delete) with the
    start dates the write touches (for an update: the old and the new one).
    """
    locked = _locked_rows(session)
    if not locked:
        return
    for day in sorted({start_date, *more}):
        for period, row in locked:
            if period.contains(day):
                raise _locked_error(row, day)


def locked_days(session: Session, days: Iterable[date]) -> dict[date, PeriodLockedError]:
    """Each of ``days`` in a frozen period, with the refusal a write starting on it would get
    (a dry-run import reports every such row without writing)."""
    locked = _locked_rows(session)
    found: dict[date, PeriodLockedError] = {}
    if not locked:
        return found
    for day in set(days):
        for period, row in locked:
            if period.contains(day):
                found[day] = _locked_error(row, day)
                break
    return found


def check_days_open(session: Session, days: Iterable[date]) -> None:
    """:func:`check_period_open` for any number of days (nothing to check when empty)."""
    unique = sorted(set(days))
    if unique:
        check_period_open(session, *unique)


# --- packages ------------------------------------------------------------------------------------
def next_version(session: Session, period: Period | str) -> tuple[int, str | None]:
    """The version the next package of ``period`` gets, and the package id it supersedes."""
    code = _code(period)
    last = session.scalars(
        select(SubmissionPackage)
        .where(SubmissionPackage.period == code)
        .order_by(SubmissionPackage.version.desc())
        .limit(1)
    ).first()
    if last is None:
        return 1, None
    return last.version + 1, last.package_id


def record_package(
    session: Session,
    actor: Actor,
    *,
    period: Period | str,
    version: int,
    supersedes: str | None,
    package_id: str,
    file_path: str,
    signer_fingerprint: str,
    signer_subject: str,
    part_count: int = 1,
    size: int = 0,
    record_count: int = 0,
    now: datetime | None = None,
) -> PackageInfo:
    """Register a package written for ``period`` and lock the period (audited ``package``).

    Raises:
        PermissionDeniedError: the actor's role cannot sign and package.
        ValidationError: the period is not approved, or ``version`` is not the next one.
    """
    require(actor, Permission.SIGN)
    code = _code(period)
    require_approved(session, code)
    expected, previous = next_version(session, code)
    if version != expected or supersedes != previous:
        raise ValidationError(
            [
                Problem(
                    "version",
                    "stale_version",
                    f"{code}: the next package is version {expected}, not {version}; "
                    "another package was made meanwhile",
                    {"expected": expected, "version": version},
                )
            ]
        )
    moment = now or datetime.now()
    row = SubmissionPackage(
        period=code,
        version=version,
        supersedes=supersedes,
        package_id=package_id,
        file_path=file_path,
        part_count=part_count,
        size=size,
        record_count=record_count,
        created_at=moment,
        created_by=actor.username,
        signer_fingerprint=signer_fingerprint.lower(),
        signer_subject=signer_subject,
    )
    session.add(row)
    approval = _row(session, code)
    assert approval is not None
    approval.locked = True
    approval.locked_at = moment
    session.flush()
    info = _package(row)
    audit.record(
        session,
        actor,
        "package",
        kind="period",
        entity_id=code,
        summary=f"package v{version} of {code} made by '{actor.username}'; period locked",
        after={
            "package_id": package_id,
            "version": version,
            "supersedes": supersedes,
            "file": file_path,
            "parts": part_count,
            "records": record_count,
            "signer_fingerprint": info.signer_fingerprint,
            "signer_subject": signer_subject,
        },
        at=moment,
    )
    return info


def list_packages(session: Session, period: Period | str | None = None) -> list[PackageInfo]:
    """Packages made (of one period when given), newest first."""
    statement = select(SubmissionPackage)
    if period is not None:
        statement = statement.where(SubmissionPackage.period == _code(period))
    statement = statement.order_by(SubmissionPackage.created_at.desc(), SubmissionPackage.id.desc())
    return [_package(row) for row in session.scalars(statement)]


def package_count(session: Session) -> int:
    """How many packages were made in all."""
    return int(session.scalar(select(func.count(SubmissionPackage.id))) or 0)
