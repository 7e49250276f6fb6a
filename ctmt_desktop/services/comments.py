"""The ministry's comments on records, read on a plain :class:`sqlite3.Connection` without
SQLAlchemy (issue 15's fast paths): one record's as ``ctmt show`` gives them, and the open
ones of the records table (its marker, painted with the window's first page); and the
open-comment rules :mod:`ctmt_desktop.services.receipts` shares with these readers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ctmt_desktop.services.listing import Source, dbapi_connection


@dataclass(frozen=True)
class _Issued:
    """What the open-comment rules read of a receipt."""

    id: int
    package_ref: int | None
    period: str | None
    version: int | None
    review_state: str | None
    issued_at: datetime
    sha256: str


def _open_of(rows: Iterable[_Issued]) -> tuple[dict[int, _Issued], set[int]]:
    """The newest receipt of each package (``rows`` in issue order), and the ids of those
    whose comments are open: the newest receipt of the latest version of its period that
    has a receipt."""
    newest: dict[int, _Issued] = {}
    for row in rows:
        if row.package_ref is not None:
            newest[row.package_ref] = row
    latest: dict[str, _Issued] = {}
    for row in newest.values():
        key = row.period or ""
        if key not in latest or (row.version or 0) > (latest[key].version or 0):
            latest[key] = row
    return {row.id: row for row in newest.values()}, {row.id for row in latest.values()}


@dataclass(frozen=True)
class RecordComment:
    """A comment of the ministry on a record."""

    comment: str
    period: str | None
    version: int | None
    review_state: str | None
    issued_at: datetime
    receipt: str
    open: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "comment": self.comment,
            "period": self.period,
            "package_version": self.version,
            "review_state": self.review_state,
            "issued_at": self.issued_at.isoformat(timespec="seconds"),
            "receipt_sha256": self.receipt,
            "open": self.open,
        }


def _comments(
    found: Iterable[tuple[int, str]], by_id: dict[int, _Issued], open_ids: set[int]
) -> list[RecordComment]:
    comments = []
    for receipt_id, text in found:
        receipt = by_id.get(receipt_id)
        if receipt is None:  # an older receipt of its package: not what the package says now
            continue
        comments.append(
            RecordComment(
                text,
                receipt.period,
                receipt.version,
                receipt.review_state,
                receipt.issued_at,
                receipt.sha256,
                receipt.id in open_ids,
            )
        )
    return sorted(comments, key=lambda c: (c.issued_at, c.version or 0), reverse=True)


def _issued(connection: Any) -> tuple[dict[int, _Issued], set[int]]:
    rows = connection.execute(
        "SELECT id, package_ref, period, version, review_state, issued_at, sha256 "
        "FROM ministry_receipt ORDER BY issued_at, id"
    ).fetchall()
    return _open_of(
        _Issued(row[0], row[1], row[2], row[3], row[4], datetime.fromisoformat(row[5]), row[6])
        for row in rows
    )


def record_comments_read(connection: Any, kind: str, record_id: int) -> list[RecordComment]:
    """:func:`record_comments` on a plain :class:`sqlite3.Connection` (``ctmt show``, which
    reads without the ORM)."""
    by_id, open_ids = _issued(connection)
    if not by_id:
        return []
    found = connection.execute(
        "SELECT receipt_id, comment FROM ministry_comment WHERE record_id = ? AND kind = ?",
        (record_id, kind),
    ).fetchall()
    return _comments(((int(a), str(b)) for a, b in found), by_id, open_ids)


def open_comments(source: Source, record_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Record id → the ministry's open comment on it (the records table's marker), through
    an ORM session or a plain connection."""
    connection = dbapi_connection(source)
    _by_id, open_ids = _issued(connection)
    if not open_ids:
        return {}
    statement = (
        "SELECT record_id, comment FROM ministry_comment "
        "WHERE receipt_id IN (SELECT value FROM json_each(?))"
    )
    params = [json.dumps(sorted(open_ids))]
    if record_ids is not None:
        ids = list(record_ids)
        if not ids:
            return {}
        statement += " AND record_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(ids))
    return {int(record_id): text for record_id, text in connection.execute(statement, params)}
