"""The ministry's review of a received submission (ODK Central's review states).

A submission arrives ``received`` (every check passed, nobody has looked yet). Staff then set
its review: ``accepted``, ``has_issues`` (the province should fix and resubmit; the comments
say what) or ``rejected``, with a general comment and comments on single records, each named
by the record's kind and its id in the package (``training/1234``, or the id alone: ids are
unique across kinds in a province's database).

A review states the whole answer: the state, the general comment and the record comments
given replace the ones before (a record comment not given again is withdrawn). Every change
is audited in the store with the review before and after; a review that changes nothing is
not. A record id that is not in the submission is refused, naming every such id, and nothing
changes. The answer reaches the province as a signed receipt (:mod:`.receipts`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ctmt_desktop.errors import CtmtError, NotFoundError
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.ministry.audit import log
from ctmt_desktop.ministry.models import NationalRecord, RecordComment, Submission
from ctmt_desktop.ministry.records import SubmissionInfo, current_submission, get_submission

#: The states a reviewer sets (``received`` is the state before any review).
REVIEW_VERDICTS = ("accepted", "has_issues", "rejected")
COMMENT_MAX = 4000
RECORD_COMMENTS_MAX = 2000
_SPACE_RUN = re.compile(r"[ \t\u00a0]+")
_REFERENCE = re.compile(r"^\s*(?:(?P<kind>[a-z]+)\s*[/:]\s*)?(?P<id>\d{1,18})\s*$")


class ReviewError(CtmtError):
    """A review refused: an unknown state, record or submission, a comment too long."""


@dataclass(frozen=True)
class ReviewResult:
    """What a review did: the submission after it, and whether anything changed."""

    submission: SubmissionInfo
    changed: bool


def parse_record_reference(text: str) -> tuple[str | None, int]:
    """``training/12``, ``training:12`` or ``12`` as (kind or None, id).

    Raises:
        ReviewError: not a record reference.
    """
    match = _REFERENCE.match(text)
    if match is None:
        raise ReviewError(f"'{text}' is not a record id (ID or KIND/ID, e.g. training/1234)")
    kind = match.group("kind")
    if kind is not None and kind not in KIND_CODES:
        raise ReviewError(f"'{text}': {kind} is not a kind ({', '.join(KIND_CODES)})")
    return kind, int(match.group("id"))


def parse_record_comment(text: str) -> tuple[str, str]:
    """``ID=TEXT`` (the command line's ``--record-comment``) as (reference, comment)."""
    reference, sep, comment = text.partition("=")
    if not sep or not reference.strip():
        raise ReviewError(f"'{text}': give a record comment as ID=TEXT (or KIND/ID=TEXT)")
    parse_record_reference(reference)
    return reference.strip(), comment


def comment_text(text: str) -> str:
    """A comment as kept: NFC, lines kept (trailing spaces and control characters dropped,
    runs of spaces collapsed), no empty lines at either end."""
    normal = unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    lines = [
        "".join(ch for ch in line if ch == "\t" or ch.isprintable()) for line in normal.split("\n")
    ]
    return "\n".join(_SPACE_RUN.sub(" ", line).strip() for line in lines).strip()


def _clean_comment(text: str, what: str) -> str:
    cleaned = comment_text(text)
    if len(cleaned) > COMMENT_MAX:
        raise ReviewError(f"{what} is longer than {COMMENT_MAX} characters")
    return cleaned


def _resolve(
    session: Session, submission_id: int, comments: Mapping[str | int, str]
) -> dict[tuple[str, int], str]:
    """Record comments keyed by (kind, id), every id checked against the submission."""
    wanted: dict[tuple[str | None, int], str] = {}
    for reference, text in comments.items():
        kind, record_id = parse_record_reference(str(reference))
        comment = _clean_comment(text, f"the comment on record {reference}")
        if comment:
            wanted[(kind, record_id)] = comment
    if len(wanted) > RECORD_COMMENTS_MAX:
        raise ReviewError(f"{len(wanted)} record comments: at most {RECORD_COMMENTS_MAX}")
    ids = sorted({record_id for _, record_id in wanted})
    found: dict[int, set[str]] = {}
    for first in range(0, len(ids), 500):
        rows = session.execute(
            select(NationalRecord.record_id, NationalRecord.kind).where(
                NationalRecord.submission_id == submission_id,
                NationalRecord.record_id.in_(ids[first : first + 500]),
            )
        )
        for record_id, kind in rows:
            found.setdefault(int(record_id), set()).add(kind)
    resolved: dict[tuple[str, int], str] = {}
    unknown: list[str] = []
    for (kind, record_id), comment in wanted.items():
        kinds = found.get(record_id, set())
        if kind is not None and kind in kinds:
            resolved[(kind, record_id)] = comment
        elif kind is None and len(kinds) == 1:
            resolved[(next(iter(kinds)), record_id)] = comment
        elif kind is None and len(kinds) > 1:
            raise ReviewError(
                f"record {record_id} is several kinds in this package: name it as KIND/ID"
            )
        else:
            unknown.append(f"{kind}/{record_id}" if kind else str(record_id))
    if unknown:
        raise ReviewError(
            "no such record in this package: " + ", ".join(sorted(unknown, key=_natural))
        )
    return resolved


def _natural(text: str) -> tuple[int, str]:
    kind, _, number = text.rpartition("/")
    return int(number), kind


def _state(row: Submission, comments: Mapping[tuple[str, int], str]) -> dict[str, Any]:
    return {
        "state": row.review_state,
        "comment": row.review_comment,
        "records": {f"{kind}/{rid}": text for (kind, rid), text in sorted(comments.items())},
    }


def review_submission(
    session: Session,
    submission_id: int,
    state: str,
    *,
    user: str,
    comment: str = "",
    record_comments: Mapping[str | int, str] | Iterable[tuple[str, str]] = (),
    now: datetime | None = None,
) -> ReviewResult:
    """Set the review of a submission (in ``session``'s unit of work); see the module
    docstring.

    Raises:
        NotFoundError: no such submission.
        ReviewError: an unknown state, an unknown record id (all of them named), a comment
            too long.
    """
    if state not in REVIEW_VERDICTS:
        raise ReviewError(
            f"'{state}' is not a review state; use one of {', '.join(REVIEW_VERDICTS)}"
        )
    row = session.get(Submission, submission_id)
    if row is None:
        raise NotFoundError(f"no submission #{submission_id} in the store")
    general = _clean_comment(comment, "the general comment")
    given = dict(
        record_comments.items() if isinstance(record_comments, Mapping) else record_comments
    )
    resolved = _resolve(session, submission_id, given)
    existing = {
        (c.kind, int(c.record_id)): c.comment
        for c in session.scalars(
            select(RecordComment).where(RecordComment.submission_id == submission_id)
        )
    }
    before = _state(row, existing)
    if (row.review_state, row.review_comment, existing) == (state, general, resolved):
        return ReviewResult(get_submission(session, submission_id), False)
    moment = now or datetime.now()
    row.review_state = state
    row.review_comment = general
    row.reviewed_at = moment
    row.reviewed_by = user
    session.execute(delete(RecordComment).where(RecordComment.submission_id == submission_id))
    for (kind, record_id), text in sorted(resolved.items()):
        session.add(
            RecordComment(submission_id=submission_id, kind=kind, record_id=record_id, comment=text)
        )
    session.flush()
    after = _state(row, resolved)
    log(
        session,
        user,
        "review",
        f"{row.province_code} {row.period} v{row.version}: {before['state']} → {state}"
        + (f", {len(resolved)} record comments" if resolved else ""),
        province=row.province,
        period=row.period,
        package_id=row.package_id,
        detail={"submission": submission_id, "before": before, "after": after},
        at=moment,
    )
    return ReviewResult(get_submission(session, submission_id), True)


def review_current(
    session: Session,
    province: str,
    period: str,
    state: str,
    *,
    user: str,
    comment: str = "",
    record_comments: Mapping[str | int, str] | Iterable[tuple[str, str]] = (),
    now: datetime | None = None,
) -> ReviewResult:
    """Review the current submission of a province's period (``ctmt ministry review``).

    Raises:
        NotFoundError: the province has no submission for that period.
    """
    current = current_submission(session, province, period)
    if current is None:
        raise NotFoundError(f"no submission of province {province} for {period} in the store")
    return review_submission(
        session,
        current.id,
        state,
        user=user,
        comment=comment,
        record_comments=record_comments,
        now=now,
    )
