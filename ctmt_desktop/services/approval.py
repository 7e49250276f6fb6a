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

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctmt_desktop import audit
from ctmt_desktop.db.storage import datetime_text, insert_row
from ctmt_desktop.errors import Problem, ValidationError
from ctmt_desktop.periods import Period, parse_period
from ctmt_desktop.roles import Actor, Permission, require
from ctmt_desktop.services.listing import Source, after_plain_write, dbapi_connection
from ctmt_desktop.services.locks import (  # the checks read without the ORM; importable here
    APPROVED,
    check_days_open,  # noqa: F401
    check_period_open,  # noqa: F401
    locked_days,  # noqa: F401
    locking_code,
)
from ctmt_desktop.text import clean_text

if TYPE_CHECKING:  # the packages' register is read and written through the ORM
    from sqlalchemy.orm import Session

    from ctmt_desktop.db.models import SubmissionPackage

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


_APPROVAL_COLUMNS = (
    "period, status, approved_by, approved_at, locked, locked_at, reopened_by, reopened_at, "
    "reopen_reason"
)


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _approval(row: Any) -> Approval:
    """An approval from a row of :data:`_APPROVAL_COLUMNS`."""
    period, status, by, at, locked, locked_at, reopened_by, reopened_at, reason = row
    return Approval(
        period=period,
        status=status,
        approved_by=by,
        approved_at=datetime.fromisoformat(at),
        locked=bool(locked),
        locked_at=_moment(locked_at),
        reopened_by=reopened_by,
        reopened_at=_moment(reopened_at),
        reopen_reason=reason,
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


def _state(row: Approval) -> dict[str, object]:
    return {
        "status": row.status,
        "approved_by": row.approved_by,
        "approved_at": row.approved_at,
        "locked": row.locked,
        "reopen_reason": row.reopen_reason,
    }


def _row(connection: Any, code: str) -> Approval | None:
    found = connection.execute(
        f"SELECT {_APPROVAL_COLUMNS} FROM period_approval WHERE period = ?", (code,)
    ).fetchone()
    return _approval(found) if found is not None else None


# --- approving and reopening ---------------------------------------------------------------------
def draft_records(session: Source, period: Period | str) -> list[DraftRecord]:
    """The records starting in ``period`` that are still drafts, by start date and id."""
    span = parse_period(period) if isinstance(period, str) else period
    rows = dbapi_connection(session).execute(
        "SELECT kind, id, title, start_date FROM activity "
        "WHERE status = 'draft' AND start_date >= ? AND start_date <= ? "
        "ORDER BY start_date, id",
        (span.start.isoformat(), span.end.isoformat()),
    )
    return [DraftRecord(kind, i, title, date.fromisoformat(day)) for kind, i, title, day in rows]


def _confirm(
    connection: Any, actor: Actor, code: str, drafts: list[DraftRecord], moment: datetime
) -> None:
    """Confirm ``drafts`` as part of approving ``code``; one ``update`` entry each."""
    connection.execute(
        "UPDATE activity SET status = 'confirmed', updated_at = ?, updated_by = ? "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (datetime_text(moment), actor.username, json.dumps([draft.id for draft in drafts])),
    )
    audit.write(
        connection,
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
    session: Source,
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
    connection = dbapi_connection(session)
    row = _row(connection, code)
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
    drafts = draft_records(connection, code)
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
        _confirm(connection, actor, code, drafts, moment)
    approved = {
        "status": APPROVED,
        "approved_by": actor.username,
        "approved_at": datetime_text(moment),
        "locked": 0,
        "locked_at": None,
    }
    if row is None:
        insert_row(connection, "period_approval", {"period": code, **approved})
    else:
        connection.execute(
            "UPDATE period_approval SET status = :status, approved_by = :approved_by, "
            "approved_at = :approved_at, locked = :locked, locked_at = :locked_at "
            "WHERE period = :period",
            {**approved, "period": code},
        )
    after = _row(connection, code)
    assert after is not None
    audit.write(
        connection,
        actor,
        [
            audit.Change(
                "approve",
                kind="period",
                entity_id=code,
                summary=f"period {code} approved by '{actor.username}'",
                before=before,
                after=_state(after),
            )
        ],
        at=moment,
    )
    after_plain_write(session)
    return after


def reopen_period(
    session: Source,
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
    connection = dbapi_connection(session)
    row = _row(connection, code)
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
    connection.execute(
        "UPDATE period_approval SET status = ?, locked = 0, reopened_by = ?, reopened_at = ?, "
        "reopen_reason = ? WHERE period = ?",
        (REOPENED, actor.username, datetime_text(moment), text, code),
    )
    after = _row(connection, code)
    assert after is not None
    audit.write(
        connection,
        actor,
        [
            audit.Change(
                "reopen",
                kind="period",
                entity_id=code,
                summary=f"period {code} reopened by '{actor.username}': {text}",
                before=_state(row),
                after=_state(after),
            )
        ],
        at=moment,
    )
    after_plain_write(session)
    return after


def get_approval(session: Source, period: Period | str) -> Approval | None:
    """The approval state of ``period`` (None when it was never approved)."""
    return _row(dbapi_connection(session), _code(period))


def list_approvals(session: Source) -> list[Approval]:
    """Every period ever approved, by period code."""
    rows = dbapi_connection(session).execute(
        f"SELECT {_APPROVAL_COLUMNS} FROM period_approval ORDER BY period"
    )
    return [_approval(row) for row in rows]


def require_approved(session: Source, period: Period | str) -> Approval:
    """The approval of ``period``; raise ValidationError (``not_approved``) unless approved
    now (packaging a period needs it)."""
    code = _code(period)
    row = _row(dbapi_connection(session), code)
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
    return row


# --- locks ---------------------------------------------------------------------------------------
def locking_period(session: Source, day: date) -> Approval | None:
    """The frozen period (approved or packaged) containing ``day`` (the longest when several
    do), or None."""
    code = locking_code(session, day)
    return _row(dbapi_connection(session), code) if code is not None else None


def is_locked(session: Source, day: date) -> bool:
    """True when a record starting on ``day`` lies in a frozen period (approved or
    packaged), so that it cannot be added, changed or deleted."""
    return locking_code(session, day) is not None


# --- packages ------------------------------------------------------------------------------------
def next_version(session: Session, period: Period | str) -> tuple[int, str | None]:
    """The version the next package of ``period`` gets, and the package id it supersedes."""
    from sqlalchemy import select

    from ctmt_desktop.db.models import SubmissionPackage

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
    from ctmt_desktop.db.models import SubmissionPackage

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
    session.flush()
    dbapi_connection(session).execute(
        "UPDATE period_approval SET locked = 1, locked_at = ? WHERE period = ?",
        (datetime_text(moment), code),
    )
    after_plain_write(session)
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
    from sqlalchemy import select

    from ctmt_desktop.db.models import SubmissionPackage

    statement = select(SubmissionPackage)
    if period is not None:
        statement = statement.where(SubmissionPackage.period == _code(period))
    statement = statement.order_by(SubmissionPackage.created_at.desc(), SubmissionPackage.id.desc())
    return [_package(row) for row in session.scalars(statement)]


def package_count(session: Session) -> int:
    """How many packages were made in all."""
    found = dbapi_connection(session).execute("SELECT count(*) FROM submission_package")
    return int(found.fetchone()[0])
