"""The one write path for activity records, and records as ORM objects.

The writes run in plain SQL on a :class:`sqlite3.Connection`: a ``session`` argument is an
ORM session (the window, imports, the demo generator: the write joins its transaction, and
its objects are read again afterwards) or a plain connection in a transaction
(:func:`ctmt_desktop.db.writing`: ``ctmt add`` and ``ctmt delete``, which then never import
SQLAlchemy). Values are stored as the ORM's column types store them
(:mod:`ctmt_desktop.db.storage`).

Which records a listing shows, in what order, and their values as plain dicts, are read by
:mod:`ctmt_desktop.services.listing` (``RecordQuery``, ``ordered_ids``, ``count_records`` and
``sortable_fields`` are importable from here too); :func:`page_records` and
:func:`list_records` give the same records as ORM objects.

Every create, update and delete of a record goes through this module, whoever asks (the
window, the command line, an import, the demo generator), so validation, the derived
search and sort keys, the role check and the audit trail apply everywhere.

Auditing (:mod:`ctmt_desktop.audit`), in the same unit of work as the change:

- :func:`add_records` / :func:`add_record`: one ``create`` entry per record, ``after`` being
  the record as :func:`record_to_dict` gives it; with ``audit_action="import"`` (spreadsheet
  imports, big JSON loads) one ``import`` entry for the batch with its count and ids;
- :func:`insert_validated` (the bulk path: imports, demo data): one ``import`` entry per
  call unless told ``audit_action="create"``;
- :func:`update_record`: one ``update`` entry with ``before`` and ``after``;
- :func:`delete_record`: one ``delete`` entry with ``before``.

When the context (or the call) carries an :class:`~ctmt_desktop.accounts.Actor`, its role
must allow the change (``edit_records``; ``import`` for imports).

Records starting in a frozen period (approved, or packaged, and not reopened since) are
refused with :class:`~ctmt_desktop.errors.PeriodLockedError`
(:func:`~ctmt_desktop.services.approval.check_period_open`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctmt_desktop import audit
from ctmt_desktop.catalog import Catalog, load_catalog
from ctmt_desktop.db.storage import insert_row, insert_rows, update_row
from ctmt_desktop.errors import ConfigurationError, NotFoundError, Problem, ValidationError
from ctmt_desktop.evidence import EvidenceStore
from ctmt_desktop.kinds import COMMON_FIELD_NAMES, FieldType, KindSpec, kind_spec
from ctmt_desktop.paths import evidence_dir
from ctmt_desktop.roles import Actor, Permission, acting_name, require
from ctmt_desktop.services.agency import current_profile_row
from ctmt_desktop.services.listing import (  # the read path; its names stay importable here
    RecordQuery,
    Source,
    after_plain_write,
    count_records,  # noqa: F401
    dbapi_connection,
    ordered_ids,  # noqa: F401
    page_ids,
    read_records,
    sortable_fields,  # noqa: F401
)
from ctmt_desktop.services.locks import check_days_open, check_period_open
from ctmt_desktop.text import fold, sort_key
from ctmt_desktop.validation import ValidationContext, validate_record

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.orm import Session

    from ctmt_desktop.db.models import Activity

#: Text fields of a kind that go into the search key besides the common ones.
_SEARCHABLE_SPECIFIC = ("outlet", "border_gate", "cost_norm")
_BULK_CHUNK = 2000
#: How ``add_records`` and ``insert_validated`` may audit a batch.
AUDIT_ACTIONS = ("create", "import")
_TITLE_IN_SUMMARY = 120


@dataclass(frozen=True)
class RecordContext:
    """What the record services need besides a session.

    Attributes:
        catalog: the loaded catalog.
        province: the department's (current) province code, from the agency profile.
        user: who is acting, for created_by/updated_by and the audit trail.
        evidence: the evidence store of the database.
        actor: the logged-in account; when given, its role is checked before every change
            and it is recorded in the audit trail (None: ``user``, role not checked).
    """

    catalog: Catalog
    province: str
    user: str
    evidence: EvidenceStore
    actor: Actor | None = None

    @property
    def validation(self) -> ValidationContext:
        return ValidationContext(self.catalog, self.province)

    @property
    def acting(self) -> Actor | str:
        """Who the audit trail names: the actor when there is one, else ``user``."""
        return self.actor if self.actor is not None else self.user

    def require(self, permission: Permission) -> None:
        """Check the actor's role (nothing to check without an actor)."""
        if self.actor is not None:
            require(self.actor, permission)


def record_context(
    session: Source,
    db_path: Path,
    *,
    user: str | None = None,
    catalog: Catalog | None = None,
    actor: Actor | None = None,
) -> RecordContext:
    """Build the context for the database at ``db_path`` from its agency profile.

    ``user`` defaults to the actor's name, else the operating system's login name.
    """
    profile = current_profile_row(session)
    if profile is None:
        raise ConfigurationError(
            f"{db_path}: the database has no agency profile yet; run 'ctmt init' first"
        )
    return RecordContext(
        catalog=catalog or load_catalog(),
        province=profile["province_code"],
        user=user or acting_name(actor),
        evidence=EvidenceStore(evidence_dir(Path(db_path))),
        actor=actor,
    )


# --- derived columns -------------------------------------------------------------------------
def search_columns(values: Mapping[str, Any], catalog: Catalog) -> tuple[str, str]:
    """(folded search key, display text of the places) of a record: what a search matches
    (title, places, implementing unit, outlet, border gate, cost norm, program code)."""
    names = []
    for code in values.get("places") or []:
        unit = catalog.admin.get(code)
        names.append(unit.name if unit else code)
    place_names = ", ".join(names)
    searchable = [values.get("title") or "", place_names, values.get("implementing_unit") or ""]
    searchable += [values.get(name) or "" for name in _SEARCHABLE_SPECIFIC if name in values]
    searchable.append(values.get("program") or "")
    return fold(" ".join(part for part in searchable if part)), place_names


def derived_columns(spec: KindSpec, values: Mapping[str, Any], catalog: Catalog) -> dict[str, str]:
    """Search key, sort keys and the display text of places for a validated record."""
    search_key, place_names = search_columns(values, catalog)
    return {
        "search_key": search_key,
        "title_sort": sort_key(values.get("title") or ""),
        "place_names": place_names,
        "place_sort": sort_key(place_names),
    }


def _column_values(spec: KindSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """The ORM column values of a validated record (places and evidence go elsewhere)."""
    skip = {"places", "evidence"}
    columns = {name: values[name] for name in spec.field_names if name not in skip}
    if spec.code == "criterion":
        columns["met"] = values["met"]
    return columns


#: What the columns of retired fields get when a kind has no such field (the models'
#: defaults): a criterion has no funding source and no cost, a cluster no cost.
_RETIRED_DEFAULTS: dict[str, Any] = {"funding_source": "", "cost": 0}
#: Columns of a kind's own table stored as JSON text.
_JSON_COLUMNS = frozenset({"indicators"})


def _split_columns(
    spec: KindSpec, values: Mapping[str, Any], defaults: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(``activity``'s columns, the kind table's columns) of a validated record."""
    common: dict[str, Any] = dict(defaults or {})
    own: dict[str, Any] = {}
    for name, value in _column_values(spec, values).items():
        (common if name in COMMON_FIELD_NAMES else own)[name] = value
    return common, own


# --- duplicates --------------------------------------------------------------------------------
def _duplicate_key(kind: str, values: Mapping[str, Any]) -> tuple[str, str, date, str]:
    places = values.get("places") or [""]
    return (kind, fold(values.get("title") or ""), values["start_date"], places[0])


def _find_duplicates(
    connection: sqlite3.Connection,
    kind: str,
    batch: Sequence[Mapping[str, Any]],
    exclude_id: int | None = None,
) -> dict[int, int]:
    """Rows of ``batch`` that look like a stored record: row -> id of the stored record."""
    wanted: dict[tuple[str, str, date, str], list[int]] = {}
    for row, values in enumerate(batch):
        wanted.setdefault(_duplicate_key(kind, values), []).append(row)
    found: dict[int, int] = {}
    if not wanted:
        return found
    dates = json.dumps(sorted({key[2].isoformat() for key in wanted}))
    statement = (
        "SELECT a.id, a.title, a.start_date, p.unit_code FROM activity a "
        "LEFT JOIN activity_place p ON p.activity_id = a.id AND p.position = 0 "
        "WHERE a.kind = ? AND a.start_date IN (SELECT value FROM json_each(?))"
    )
    params: list[Any] = [kind, dates]
    if exclude_id is not None:
        statement += " AND a.id != ?"
        params.append(exclude_id)
    for record_id, title, start, place in connection.execute(statement, params):
        key = (kind, fold(title), date.fromisoformat(start), place or "")
        for row in wanted.get(key, []):
            found[row] = record_id
    return found


# --- writing ---------------------------------------------------------------------------------
def validate_batch(
    session: Source,
    context: RecordContext,
    kind: str,
    items: Sequence[Mapping[str, Any]],
    *,
    allow_duplicates: bool = False,
    exclude_id: int | None = None,
) -> list[dict[str, Any]]:
    """Validate every item; raise one ValidationError listing all problems with their rows.

    A likely duplicate (same kind, title, start date and first place as a stored record or
    another item) is a warning: it raises unless ``allow_duplicates``.
    """
    spec = kind_spec(kind)
    problems: list[Problem] = []
    clean: list[dict[str, Any]] = []
    single = len(items) == 1
    for row, item in enumerate(items):
        try:
            clean.append(validate_record(spec.code, item, context.validation))
        except ValidationError as error:
            problems.extend(_at_row(p, None if single else row) for p in error.problems)
            clean.append({})
    if problems:
        raise ValidationError(problems)
    if not allow_duplicates:
        seen: dict[tuple[str, str, date, str], int] = {}
        for row, values in enumerate(clean):
            key = _duplicate_key(kind, values)
            if key in seen:
                problems.append(
                    _duplicate_problem(
                        None if single else row, f"record {seen[key] + 1} of this batch"
                    )
                )
            seen.setdefault(key, row)
        stored = _find_duplicates(dbapi_connection(session), kind, clean, exclude_id)
        for row, record_id in sorted(stored.items()):
            problems.append(_duplicate_problem(None if single else row, f"record #{record_id}"))
        if problems:
            raise ValidationError(problems)
    return clean


def _at_row(problem: Problem, row: int | None) -> Problem:
    return Problem(
        problem.field, problem.code, problem.message, problem.params, problem.warning, row
    )


def _duplicate_problem(row: int | None, other: str) -> Problem:
    return Problem(
        "title",
        "likely_duplicate",
        f"looks like a duplicate of {other} (same title, start date and place)",
        {"other": other},
        warning=True,
        row=row,
    )


def _store_evidence(
    connection: sqlite3.Connection, context: RecordContext, refs: Iterable[Mapping[str, str]]
) -> list[tuple[str, str]]:
    """Import files given by path, check those given by hash; return (sha256, name) pairs."""
    links: list[tuple[str, str]] = []
    for ref in refs:
        if "path" in ref:
            source = Path(ref["path"])
            stored = context.evidence.put(source)
            if not _evidence_known(connection, stored.sha256):
                insert_row(
                    connection,
                    "evidence_file",
                    {
                        "sha256": stored.sha256,
                        "size": stored.size,
                        "media_type": stored.media_type,
                        "stored_at": datetime.now(),
                    },
                )
            links.append((stored.sha256, ref.get("name") or source.name))
        else:
            if not _evidence_known(connection, ref["sha256"]):
                raise ValidationError(
                    [
                        Problem(
                            "evidence",
                            "unknown_evidence",
                            f"no stored evidence file {ref['sha256']}",
                        )
                    ]
                )
            links.append((ref["sha256"], ref["name"]))
    return links


def _evidence_known(connection: sqlite3.Connection, sha256: str) -> bool:
    found = connection.execute("SELECT 1 FROM evidence_file WHERE sha256 = ?", (sha256,))
    return found.fetchone() is not None


def _link_evidence(
    connection: sqlite3.Connection,
    context: RecordContext,
    record_id: int,
    refs: Iterable[Mapping[str, str]],
) -> None:
    """Store a record's evidence and link it (the same content once per record)."""
    links = dict(_store_evidence(connection, context, refs))
    insert_rows(
        connection,
        "activity_evidence",
        [{"activity_id": record_id, "sha256": sha, "name": name} for sha, name in links.items()],
    )


def _insert_places(
    connection: sqlite3.Connection, records: Iterable[tuple[int, Mapping[str, Any]]]
) -> None:
    insert_rows(
        connection,
        "activity_place",
        [
            {"activity_id": record_id, "position": position, "unit_code": code}
            for record_id, values in records
            for position, code in enumerate(values["places"])
        ],
    )


def add_records(
    session: Source,
    context: RecordContext,
    kind: str,
    items: Sequence[Mapping[str, Any]],
    *,
    allow_duplicates: bool = False,
    audit_action: str = "create",
    audit_summary: str = "",
) -> list[int]:
    """Validate and insert records of one kind; all or nothing. Return their ids in order.

    ``audit_action`` is ``create`` (one audit entry per record, for records typed in) or
    ``import`` (one entry for the batch; ``audit_summary`` says where it came from, e.g.
    the file name).
    """
    _check_audit_action(audit_action)
    context.require(Permission.IMPORT if audit_action == "import" else Permission.EDIT_RECORDS)
    spec = kind_spec(kind)
    clean = validate_batch(session, context, kind, items, allow_duplicates=allow_duplicates)
    return insert_validated(
        session, context, spec, clean, audit_action=audit_action, audit_summary=audit_summary
    )


def _check_audit_action(action: str) -> None:
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"audit_action must be one of {', '.join(AUDIT_ACTIONS)}, not {action!r}")


def add_record(
    session: Source,
    context: RecordContext,
    kind: str,
    data: Mapping[str, Any],
    *,
    allow_duplicate: bool = False,
) -> int:
    """Validate and insert one record; return its id."""
    return add_records(session, context, kind, [data], allow_duplicates=allow_duplicate)[0]


def insert_validated(
    session: Source,
    context: RecordContext,
    spec: KindSpec,
    clean: Sequence[Mapping[str, Any]],
    *,
    audit_action: str = "import",
    audit_summary: str = "",
) -> list[int]:
    """Insert records that :func:`validate_batch` returned, in bulk.

    Audited as one ``import`` entry (count and ids) by default, or with
    ``audit_action="create"`` one ``create`` entry per record.
    """
    _check_audit_action(audit_action)
    context.require(Permission.IMPORT if audit_action == "import" else Permission.EDIT_RECORDS)
    connection = dbapi_connection(session)
    check_days_open(connection, (values["start_date"] for values in clean))
    now = datetime.now()
    stamp = {
        "created_at": now,
        "created_by": context.user,
        "updated_at": now,
        "updated_by": context.user,
    }
    ids: list[int] = []
    for first in range(0, len(clean), _BULK_CHUNK):
        chunk = clean[first : first + _BULK_CHUNK]
        own_rows = []
        for values in chunk:
            common, own = _split_columns(spec, values, _RETIRED_DEFAULTS)
            derived = derived_columns(spec, values, context.catalog)
            row = {"kind": spec.code, **common, **derived, **stamp}
            record_id = insert_row(connection, "activity", row)
            own_rows.append({"id": record_id, **own})
            ids.append(record_id)
        insert_rows(connection, spec.code, own_rows, json_columns=_JSON_COLUMNS)
        chunk_ids = ids[first:]
        _insert_places(connection, zip(chunk_ids, chunk, strict=True))
        for record_id, values in zip(chunk_ids, chunk, strict=True):
            if values.get("evidence"):
                _link_evidence(connection, context, record_id, values["evidence"])
    if audit_action == "import":
        _audit_import(connection, context, spec, clean, ids, audit_summary, now)
    else:
        _audit_creates(connection, context, spec, ids, now)
    after_plain_write(session)
    return ids


def _record_summary(kind: str, record_id: int, title: str) -> str:
    if len(title) > _TITLE_IN_SUMMARY:
        title = title[: _TITLE_IN_SUMMARY - 1] + "…"
    return f"{kind} #{record_id}: {title}"


def _audit_creates(
    connection: sqlite3.Connection,
    context: RecordContext,
    spec: KindSpec,
    ids: Sequence[int],
    now: datetime,
) -> None:
    """One ``create`` entry per new record, with the record as :func:`get_record` reads."""
    for first in range(0, len(ids), _BULK_CHUNK):
        records = read_records(connection, spec.code, ids[first : first + _BULK_CHUNK])
        audit.write(
            connection,
            context.acting,
            (
                audit.Change(
                    "create",
                    kind=spec.code,
                    entity_id=record["id"],
                    period=audit.quarter_of(record["start_date"]),
                    summary=_record_summary(spec.code, record["id"], record["title"]),
                    after=record,
                )
                for record in records
            ),
            at=now,
        )


def _audit_import(
    connection: sqlite3.Connection,
    context: RecordContext,
    spec: KindSpec,
    clean: Sequence[Mapping[str, Any]],
    ids: Sequence[int],
    summary: str,
    now: datetime,
) -> None:
    """One ``import`` entry for a batch: how many, which ids, and where they came from."""
    if not ids:
        return
    quarters = {audit.quarter_of(values["start_date"]) for values in clean}
    text = f"{len(ids)} {spec.code} records imported"
    audit.write(
        connection,
        context.acting,
        [
            audit.Change(
                "import",
                kind=spec.code,
                period=quarters.pop() if len(quarters) == 1 else None,
                summary=f"{text}: {summary}" if summary else text,
                after={"count": len(ids), "ids": list(ids), "source": summary or None},
            )
        ],
        at=now,
    )


def update_record(
    session: Source,
    context: RecordContext,
    kind: str,
    record_id: int,
    data: Mapping[str, Any],
    *,
    allow_duplicate: bool = False,
) -> None:
    """Replace every field of a stored record with validated ``data`` (audited: ``update``)."""
    context.require(Permission.EDIT_RECORDS)
    spec = kind_spec(kind)
    connection = dbapi_connection(session)
    before = _stored(connection, spec, record_id)
    check_period_open(connection, before["start_date"])  # before validation: say "locked" first
    values = validate_batch(
        connection, context, kind, [data], allow_duplicates=allow_duplicate, exclude_id=record_id
    )[0]
    if values["start_date"] != before["start_date"]:  # moved into another period
        check_period_open(connection, values["start_date"])
    now = datetime.now()
    common, own = _split_columns(spec, values)  # retired fields keep their stored values
    derived = derived_columns(spec, values, context.catalog)
    stamp = {"updated_at": now, "updated_by": context.user}
    update_row(connection, "activity", record_id, {**common, **derived, **stamp})
    update_row(connection, spec.code, record_id, own, json_columns=_JSON_COLUMNS)
    connection.execute("DELETE FROM activity_place WHERE activity_id = ?", (record_id,))
    _insert_places(connection, [(record_id, values)])
    connection.execute("DELETE FROM activity_evidence WHERE activity_id = ?", (record_id,))
    _link_evidence(connection, context, record_id, values["evidence"])
    after = _stored(connection, spec, record_id)
    audit.write(
        connection,
        context.acting,
        [
            audit.Change(
                "update",
                kind=spec.code,
                entity_id=record_id,
                period=audit.quarter_of(after["start_date"]),
                summary=_record_summary(spec.code, record_id, after["title"]),
                before=before,
                after=after,
            )
        ],
        at=now,
    )
    after_plain_write(session)


def delete_record(
    session: Source,
    kind: str,
    record_id: int,
    *,
    context: RecordContext | None = None,
    actor: Actor | None = None,
    user: str | None = None,
) -> None:
    """Delete a record (its places and evidence links go with it; stored files stay).

    Audited as ``delete`` with the record as it was. Who acts: ``actor``, else the
    context's actor, else ``user``, else the context's user, else the operating system's
    login name; an actor's role must allow changing records.
    """
    actor = actor if actor is not None else (context.actor if context is not None else None)
    if actor is not None:
        require(actor, Permission.EDIT_RECORDS)
    who: Actor | str
    if actor is not None:
        who = actor
    elif user or context is None:
        who = acting_name(None, user)
    else:
        who = context.user
    spec = kind_spec(kind)
    connection = dbapi_connection(session)
    before = _stored(connection, spec, record_id)
    check_period_open(connection, before["start_date"])
    # The kind's row, the places and the evidence links go with it (ON DELETE CASCADE).
    connection.execute("DELETE FROM activity WHERE id = ?", (record_id,))
    audit.write(
        connection,
        who,
        [
            audit.Change(
                "delete",
                kind=spec.code,
                entity_id=record_id,
                period=audit.quarter_of(before["start_date"]),
                summary=_record_summary(spec.code, record_id, before["title"]),
                before=before,
            )
        ],
    )
    after_plain_write(session)


def _stored(connection: sqlite3.Connection, spec: KindSpec, record_id: int) -> dict[str, Any]:
    """A stored record as :func:`get_record` gives it; NotFoundError when there is none."""
    found = read_records(connection, spec.code, [record_id])
    if not found:
        raise NotFoundError(f"no {spec.code} record with id {record_id}")
    return found[0]


# --- reading ---------------------------------------------------------------------------------
def record_to_dict(record: Activity) -> dict[str, Any]:
    """A record as ``ctmt add`` accepts it, plus its id and read-only facts."""
    spec = kind_spec(record.kind)
    result: dict[str, Any] = {"id": record.id}
    for field_spec in spec.fields:
        if field_spec.type is FieldType.PLACES:
            result["places"] = [place.unit_code for place in record.places]
        elif field_spec.type is FieldType.EVIDENCE:
            result["evidence"] = [
                {"sha256": link.sha256, "name": link.name} for link in record.evidence
            ]
        else:
            result[field_spec.name] = getattr(record, field_spec.name)
    if record.kind == "criterion":
        result["met"] = record.met  # type: ignore[attr-defined]
    result.update(
        place_names=record.place_names,
        created_at=record.created_at,
        created_by=record.created_by,
        updated_at=record.updated_at,
        updated_by=record.updated_by,
    )
    return result


def get_record(session: Source, kind: str, record_id: int) -> dict[str, Any]:
    """A stored record as ``ctmt add`` accepts it, plus its id and read-only facts
    (NotFoundError when there is none)."""
    return _stored(dbapi_connection(session), kind_spec(kind), record_id)


def load_records(session: Session, kind: str, ids: Sequence[int]) -> list[Activity]:
    """The records with these ids, in the order of ``ids`` (missing ones left out)."""
    if not ids:
        return []
    from sqlalchemy import select

    from ctmt_desktop.db.models import MODEL_OF_KIND

    model = MODEL_OF_KIND[kind_spec(kind).code]
    found = {r.id: r for r in session.scalars(select(model).where(model.id.in_(list(ids))))}
    return [found[i] for i in ids if i in found]


#: The default query: every record of the kind, by start date, the first page.
_EVERY = RecordQuery()


@dataclass(frozen=True)
class RecordPage:
    """One page of records and how many match in all."""

    total: int
    records: list[Activity]


def page_records(
    session: Session, kind: str, query: RecordQuery = _EVERY, catalog: Catalog | None = None
) -> RecordPage:
    """The page ``query.offset``…``offset + limit`` of matching records as ORM objects, and
    their count (:func:`~ctmt_desktop.services.listing.page_rows` gives them as dicts,
    several times faster)."""
    total, ids = page_ids(session, kind, query, catalog)
    return RecordPage(total, load_records(session, kind, ids))


def list_records(
    session: Session, kind: str, query: RecordQuery = _EVERY, catalog: Catalog | None = None
) -> list[Activity]:
    """Records of ``kind`` matching ``query``, in its order, one page (offset, limit)."""
    return page_records(session, kind, query, catalog).records
