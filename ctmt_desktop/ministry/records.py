"""What the ministry holds: submissions, refusals and the records received, for the pages
and ``ctmt ministry list``.

Listings read columns, never whole rows they do not show; a search ignores diacritics and
đ (the folded key kept with each record, as on the province side).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctmt_desktop.errors import NotFoundError
from ctmt_desktop.kinds import KINDS
from ctmt_desktop.ministry.models import (
    CURRENT,
    NationalRecord,
    RecordComment,
    Refusal,
    Submission,
)
from ctmt_desktop.periods import parse_period
from ctmt_desktop.text import fold


@dataclass(frozen=True)
class SubmissionInfo:
    """A submission as the pages show it."""

    id: int
    package_id: str
    province_code: str
    province: str
    period: str
    version: int
    state: str
    supersedes: str | None
    sender: str
    signer_subject: str
    signer_fingerprint: str
    signing_time: datetime | None
    received_at: datetime
    received_by: str
    source_name: str
    tagmanifest_sha256: str
    record_count: int
    evidence_count: int
    counts: dict[str, int]
    review_state: str
    review_comment: str
    reviewed_at: datetime | None
    reviewed_by: str
    record_comments: dict[tuple[str, int], str] = field(default_factory=dict)


def _info(row: Submission, comments: dict[tuple[str, int], str] | None = None) -> SubmissionInfo:
    return SubmissionInfo(
        id=row.id,
        package_id=row.package_id,
        province_code=row.province_code,
        province=row.province,
        period=row.period,
        version=row.version,
        state=row.state,
        supersedes=row.supersedes,
        sender=row.sender,
        signer_subject=row.signer_subject,
        signer_fingerprint=row.signer_fingerprint,
        signing_time=row.signing_time,
        received_at=row.received_at,
        received_by=row.received_by,
        source_name=row.source_name,
        tagmanifest_sha256=row.tagmanifest_sha256,
        record_count=row.record_count,
        evidence_count=row.evidence_count,
        counts={k: int(v) for k, v in (row.counts or {}).items()},
        review_state=row.review_state,
        review_comment=row.review_comment,
        reviewed_at=row.reviewed_at,
        reviewed_by=row.reviewed_by,
        record_comments=dict(comments or {}),
    )


def list_submissions(
    session: Session,
    *,
    province: str | None = None,
    period: str | None = None,
    current_only: bool = False,
) -> list[SubmissionInfo]:
    """Submissions, latest received first."""
    statement = select(Submission).order_by(Submission.received_at.desc(), Submission.id.desc())
    if province:
        statement = statement.where(Submission.province == province)
    if period:
        statement = statement.where(Submission.period == parse_period(period).code)
    if current_only:
        statement = statement.where(Submission.state == CURRENT)
    return [_info(row) for row in session.scalars(statement)]


def get_submission(session: Session, submission_id: int) -> SubmissionInfo:
    """One submission with its record comments.

    Raises:
        NotFoundError: no such submission.
    """
    row = session.get(Submission, submission_id)
    if row is None:
        raise NotFoundError(f"no submission #{submission_id} in the store")
    comments = {
        (c.kind, c.record_id): c.comment
        for c in session.scalars(
            select(RecordComment).where(RecordComment.submission_id == submission_id)
        )
    }
    return _info(row, comments)


def current_submission(session: Session, province: str, period: str) -> SubmissionInfo | None:
    row = session.scalar(
        select(Submission).where(
            Submission.province == province,
            Submission.period == parse_period(period).code,
            Submission.state == CURRENT,
        )
    )
    return None if row is None else get_submission(session, row.id)


@dataclass(frozen=True)
class RefusalInfo:
    id: int
    received_at: datetime
    source_name: str
    package_id: str | None
    province_code: str | None
    province: str | None
    period: str | None
    version: int | None
    signer_fingerprint: str | None
    reasons: list[dict[str, str]]


def list_refusals(
    session: Session, *, province: str | None = None, period: str | None = None
) -> list[RefusalInfo]:
    statement = select(Refusal).order_by(Refusal.received_at.desc(), Refusal.id.desc())
    if province:
        statement = statement.where(Refusal.province == province)
    if period:
        statement = statement.where(Refusal.period == parse_period(period).code)
    return [
        RefusalInfo(
            r.id,
            r.received_at,
            r.source_name,
            r.package_id,
            r.province_code,
            r.province,
            r.period,
            r.version,
            r.signer_fingerprint,
            list(r.reasons or []),
        )
        for r in session.scalars(statement)
    ]


@dataclass(frozen=True)
class NationalRecordQuery:
    """Filters of a listing of received records (current submissions unless
    ``submission_id`` names one)."""

    kind: str
    province: str | None = None
    period: str | None = None
    search: str = ""
    submission_id: int | None = None
    offset: int = 0
    limit: int | None = None


def _conditions(query: NationalRecordQuery) -> list[Any]:
    conditions: list[Any] = [NationalRecord.kind == query.kind]
    if query.submission_id is not None:
        conditions.append(NationalRecord.submission_id == query.submission_id)
    else:
        current = select(Submission.id).where(Submission.state == CURRENT)
        if query.period:
            current = current.where(Submission.period == parse_period(query.period).code)
        conditions.append(NationalRecord.submission_id.in_(current))
    if query.province:
        conditions.append(NationalRecord.province == query.province)
    needle = fold(query.search or "")
    for word in needle.split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(NationalRecord.search_key.like(f"%{escaped}%", escape="\\"))
    return conditions


def count_national_records(session: Session, query: NationalRecordQuery) -> int:
    return int(
        session.scalar(select(func.count()).select_from(NationalRecord).where(*_conditions(query)))
        or 0
    )


def list_national_records(session: Session, query: NationalRecordQuery) -> list[dict[str, Any]]:
    """Records as their packages sent them, plus ``province`` (current code),
    ``submission_id`` and ``ministry_comment`` when the ministry commented on one; ordered by
    province, start date and id. Fields the kind no longer has, which older packages carry (a
    criterion's funding source and cost, a cluster's cost), are left out: the store keeps
    them as received (:func:`~ctmt_desktop.ministry.intake.submission_records`)."""
    statement = (
        select(
            NationalRecord.submission_id,
            NationalRecord.province,
            NationalRecord.data,
            RecordComment.comment,
        )
        .outerjoin(
            RecordComment,
            (RecordComment.submission_id == NationalRecord.submission_id)
            & (RecordComment.kind == NationalRecord.kind)
            & (RecordComment.record_id == NationalRecord.record_id),
        )
        .where(*_conditions(query))
        .order_by(NationalRecord.province, NationalRecord.start_date, NationalRecord.record_id)
        .offset(query.offset)
    )
    if query.limit is not None:
        statement = statement.limit(query.limit)
    spec = KINDS.get(query.kind)
    retired = spec.retired_fields if spec is not None else frozenset()
    out = []
    for submission_id, province, data, comment in session.execute(statement):
        record = json.loads(data)
        for name in retired:
            record.pop(name, None)
        record["province"] = province
        record["submission_id"] = submission_id
        if comment:
            record["ministry_comment"] = comment
        out.append(record)
    return out
