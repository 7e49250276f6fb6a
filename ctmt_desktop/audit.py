"""The audit trail: who did what, when, to which thing, with the values before and after.

Every write path of the core records here, inside the same unit of work as the change it
describes (a rolled-back change leaves no entry, a committed one always has its entry):

- records (:mod:`ctmt_desktop.services.records`): ``create`` (after), ``update`` (before and
  after), ``delete`` (before), each as :func:`~ctmt_desktop.services.records.record_to_dict`
  gives the record; a bulk load (a spreadsheet import, demo data) is one ``import`` entry
  with the count and the ids;
- the agency profile (``profile``), targets (``target``), accounts (``account_create``,
  ``account_update``, ``password_change``, ``password_reset``) and logins (``login``,
  ``login_failed``, ``logout``);
- approvals, reopenings, packages, backups and restores are recorded by the code that does
  them, with the actions below.

The table is append-only from the app's side: SQLite triggers abort any UPDATE or DELETE.
Entries of a record carry the quarter of its start date (``2024-Q1``), so
:func:`entries_for_period` finds every entry of a period's records for its package.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from ctmt_desktop.db.storage import insert_rows
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.periods import Period, parse_period
from ctmt_desktop.text import fold

if TYPE_CHECKING:  # the ORM is imported by the functions that use it, not by the writers
    import sqlite3

    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session

    from ctmt_desktop.db.models import AuditEntry
    from ctmt_desktop.roles import Actor

#: The actions the core and the app record (others of the same shape may be added).
ACTIONS = frozenset(
    {
        "create",
        "update",
        "delete",
        "import",
        "approve",
        "reopen",
        "package",
        "sign",
        "restore",
        "backup",
        "login",
        "login_failed",
        "logout",
        "password_change",
        "password_reset",
        "account_create",
        "account_update",
        "profile",
        "target",
        "settings",
        "catalog",
        "receipt",
        "ministry_certificate",
    }
)
_ACTION = re.compile(r"^[a-z][a-z_]{1,31}$")
_SUMMARY_MAX = 500
#: Columns stored as JSON text, SQL NULL for None (``JSON(none_as_null=True)``).
_JSON_COLUMNS = frozenset({"before", "after"})


# --- JSON-safe values ------------------------------------------------------------------------
def jsonable(value: Any) -> Any:
    """``value`` made of JSON types only: dates and times as ISO text, whole decimals as
    integers (others as text), enums by value, sets and tuples as lists, dataclasses as
    dicts, paths as text; anything else unknown as its ``str``."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def quarter_of(day: date) -> str:
    """The quarter a day lies in, as a period code: ``2024-Q2``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _quarters(period: Period) -> list[str]:
    codes = []
    for year in range(period.start.year, period.end.year + 1):
        for quarter in range(1, 5):
            code = f"{year}-Q{quarter}"
            part = parse_period(code)
            if part.start <= period.end and part.end >= period.start:
                codes.append(code)
    return codes


# --- writing ---------------------------------------------------------------------------------
def _who(actor_or_username: Actor | str) -> tuple[str, str | None]:
    if isinstance(actor_or_username, str):
        return actor_or_username, None
    return actor_or_username.username, str(actor_or_username.role)


def _row(
    username: str,
    role: str | None,
    action: str,
    *,
    kind: str | None,
    entity_id: object,
    period: str | None,
    summary: str,
    before: Any,
    after: Any,
    at: datetime,
) -> dict[str, Any]:
    if not _ACTION.match(action):
        raise ValueError(f"'{action}' is not an audit action")
    entity = None if entity_id is None else str(entity_id)
    text = summary.strip()[:_SUMMARY_MAX]
    words = [username, action, kind or "", entity or "", period or "", text]
    return {
        "at": at,
        "username": username,
        "role": role,
        "action": action,
        "kind": kind,
        "entity_id": entity,
        "period": period,
        "summary": text,
        "before": jsonable(before),
        "after": jsonable(after),
        "search_key": fold(" ".join(word for word in words if word)),
    }


def record(
    session: Session,
    actor_or_username: Actor | str,
    action: str,
    *,
    kind: str | None = None,
    entity_id: object = None,
    period: str | None = None,
    summary: str = "",
    before: Any = None,
    after: Any = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add one entry to the trail (in ``session``'s unit of work) and return it.

    ``actor_or_username`` is an :class:`~ctmt_desktop.accounts.Actor` (its role is kept
    too) or a plain name. ``before`` and ``after`` may hold dates, datetimes, decimals…:
    they are stored as JSON (see :func:`jsonable`).
    """
    from ctmt_desktop.db.models import AuditEntry

    username, role = _who(actor_or_username)
    values = _row(
        username,
        role,
        action,
        kind=kind,
        entity_id=entity_id,
        period=period,
        summary=summary,
        before=before,
        after=after,
        at=at or datetime.now(),
    )
    entry = AuditEntry(**values)
    session.add(entry)
    session.flush()
    return entry


@dataclasses.dataclass(frozen=True)
class Change:
    """One entry for :func:`write` (the fields of :func:`record` after the action)."""

    action: str
    kind: str | None = None
    entity_id: object = None
    period: str | None = None
    summary: str = ""
    before: Any = None
    after: Any = None


def write(
    connection: sqlite3.Connection,
    actor_or_username: Actor | str,
    changes: Iterable[Change],
    *,
    at: datetime | None = None,
) -> int:
    """Add many entries in bulk on a plain SQLite connection, in its transaction (the record
    and approval services write this way, without the ORM; under an ORM session, on
    :func:`~ctmt_desktop.services.listing.dbapi_connection`); return how many."""
    username, role = _who(actor_or_username)
    moment = at or datetime.now()
    rows = [
        _row(
            username,
            role,
            change.action,
            kind=change.kind,
            entity_id=change.entity_id,
            period=change.period,
            summary=change.summary,
            before=change.before,
            after=change.after,
            at=moment,
        )
        for change in changes
    ]
    insert_rows(connection, "audit_entry", rows, json_columns=_JSON_COLUMNS)
    return len(rows)


# --- reading ---------------------------------------------------------------------------------
def _as_datetime(value: date | datetime, *, end: bool) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.max if end else time.min)


def _conditions(
    *,
    user: str | None,
    action: str | Collection[str] | None,
    kind: str | None,
    entity_id: object,
    since: date | datetime | None,
    until: date | datetime | None,
    search: str | None,
    period: Period | str | None,
) -> list[ColumnElement[bool]]:
    from sqlalchemy import func

    from ctmt_desktop.db.models import AuditEntry

    conditions: list[ColumnElement[bool]] = []
    if user:
        conditions.append(AuditEntry.username == user)
    if action:
        actions = [action] if isinstance(action, str) else list(action)
        conditions.append(AuditEntry.action.in_(actions))
    if kind:
        conditions.append(AuditEntry.kind == kind)
    if entity_id is not None:
        conditions.append(AuditEntry.entity_id == str(entity_id))
    if since is not None:
        conditions.append(AuditEntry.at >= _as_datetime(since, end=False))
    if until is not None:
        conditions.append(AuditEntry.at <= _as_datetime(until, end=True))
    for word in fold(search or "").split():
        conditions.append(func.instr(AuditEntry.search_key, word) > 0)
    if period is not None:
        parsed = parse_period(period) if isinstance(period, str) else period
        conditions.append(AuditEntry.period.in_(_quarters(parsed)))
    return conditions


def list_entries(
    session: Session,
    *,
    user: str | None = None,
    action: str | Collection[str] | None = None,
    kind: str | None = None,
    entity_id: object = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    search: str | None = None,
    period: Period | str | None = None,
    offset: int = 0,
    limit: int | None = 200,
) -> list[AuditEntry]:
    """Entries matching every filter given, newest first, one page (offset, limit).

    ``since``/``until`` are inclusive (a date ``until`` covers that whole day); ``search``
    words must all appear, diacritics and case ignored, in the user, action, kind, id,
    period or summary; ``period`` keeps entries whose record starts in it.
    """
    conditions = _conditions(
        user=user,
        action=action,
        kind=kind,
        entity_id=entity_id,
        since=since,
        until=until,
        search=search,
        period=period,
    )
    from sqlalchemy import select

    from ctmt_desktop.db.models import AuditEntry

    statement = select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc())
    statement = statement.offset(offset)
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement))


def count_entries(
    session: Session,
    *,
    user: str | None = None,
    action: str | Collection[str] | None = None,
    kind: str | None = None,
    entity_id: object = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    search: str | None = None,
    period: Period | str | None = None,
) -> int:
    """How many entries :func:`list_entries` would page through with these filters."""
    conditions = _conditions(
        user=user,
        action=action,
        kind=kind,
        entity_id=entity_id,
        since=since,
        until=until,
        search=search,
        period=period,
    )
    from sqlalchemy import func, select

    from ctmt_desktop.db.models import AuditEntry

    return int(session.scalar(select(func.count(AuditEntry.id)).where(*conditions)) or 0)


def entries_for_period(session: Session, period: Period | str) -> list[AuditEntry]:
    """Every entry about the records of a period, oldest first (for its package).

    A record belongs to the period when it starts in it now, or when any entry recorded it
    starting in it (a record deleted since, or moved to another period). Its whole history
    comes along, and the ``import`` entries whose ids include it.
    """
    from sqlalchemy import String, cast, select, union

    from ctmt_desktop.db.models import Activity, AuditEntry

    parsed = parse_period(period) if isinstance(period, str) else period
    quarters = _quarters(parsed)
    kinds = list(KIND_CODES)
    current = select(cast(Activity.id, String).label("id")).where(
        Activity.start_date.between(parsed.start, parsed.end)
    )
    recorded = select(AuditEntry.entity_id.label("id")).where(
        AuditEntry.kind.in_(kinds),
        AuditEntry.period.in_(quarters),
        AuditEntry.entity_id.is_not(None),
    )
    ids = {row for row in session.scalars(union(current, recorded))}
    entries = {}
    if ids:
        for chunk in _chunks(sorted(ids), 10_000):
            statement = select(AuditEntry).where(
                AuditEntry.kind.in_(kinds), AuditEntry.entity_id.in_(chunk)
            )
            entries.update({entry.id: entry for entry in session.scalars(statement)})
    entries.update({entry.id: entry for entry in _imports_of(session, ids, quarters)})
    return [entries[key] for key in sorted(entries)]


def _imports_of(session: Session, ids: set[str], quarters: list[str]) -> list[AuditEntry]:
    """The ``import`` entries of records: whose id list holds one of ``ids``, or whose
    records all started in one of ``quarters``."""
    from sqlalchemy import select

    from ctmt_desktop.db.models import AuditEntry

    found = []
    imports = select(AuditEntry).where(
        AuditEntry.action == "import", AuditEntry.kind.in_(list(KIND_CODES))
    )
    for entry in session.scalars(imports):
        if entry.period in quarters:
            found.append(entry)
            continue
        listed = entry.after.get("ids", []) if isinstance(entry.after, dict) else []
        if any(str(record_id) in ids for record_id in listed):
            found.append(entry)
    return found


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for first in range(0, len(items), size):
        yield items[first : first + size]


def entry_to_dict(entry: AuditEntry) -> dict[str, Any]:
    """An entry as JSON-safe data (for packages, exports and the command line)."""
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "username": entry.username,
        "role": entry.role,
        "action": entry.action,
        "kind": entry.kind,
        "entity_id": entry.entity_id,
        "period": entry.period,
        "summary": entry.summary,
        "before": entry.before,
        "after": entry.after,
    }
