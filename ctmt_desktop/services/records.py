"""The one write path for activity records, and records as ORM objects.

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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.orm import Session

from ctmt_desktop import audit
from ctmt_desktop.accounts import Actor, Permission, acting_name, os_user, require
from ctmt_desktop.catalog import Catalog, load_catalog
from ctmt_desktop.db.models import (
    MODEL_OF_KIND,
    Activity,
    ActivityEvidence,
    ActivityPlace,
    EvidenceFile,
)
from ctmt_desktop.errors import ConfigurationError, NotFoundError, Problem, ValidationError
from ctmt_desktop.evidence import EvidenceStore
from ctmt_desktop.kinds import FieldType, KindSpec, kind_spec
from ctmt_desktop.paths import evidence_dir
from ctmt_desktop.services.approval import check_days_open, check_period_open
from ctmt_desktop.services.listing import (  # the read path; its names stay importable here
    RecordQuery,
    count_records,  # noqa: F401
    ordered_ids,  # noqa: F401
    page_ids,
    sortable_fields,  # noqa: F401
)
from ctmt_desktop.services.profile import current_profile
from ctmt_desktop.text import fold, sort_key
from ctmt_desktop.validation import ValidationContext, validate_record

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
    session: Session,
    db_path: Path,
    *,
    user: str | None = None,
    catalog: Catalog | None = None,
    actor: Actor | None = None,
) -> RecordContext:
    """Build the context for the database at ``db_path`` from its agency profile.

    ``user`` defaults to the actor's name, else the operating system's login name.
    """
    profile = current_profile(session)
    if profile is None:
        raise ConfigurationError(
            f"{db_path}: the database has no agency profile yet; run 'ctmt init' first"
        )
    return RecordContext(
        catalog=catalog or load_catalog(),
        province=profile.province_code,
        user=user or acting_name(actor),
        evidence=EvidenceStore(evidence_dir(Path(db_path))),
        actor=actor,
    )


def _os_user() -> str:
    return os_user()


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


# --- duplicates --------------------------------------------------------------------------------
def _duplicate_key(kind: str, values: Mapping[str, Any]) -> tuple[str, str, date, str]:
    places = values.get("places") or [""]
    return (kind, fold(values.get("title") or ""), values["start_date"], places[0])


def _find_duplicates(
    session: Session, kind: str, batch: Sequence[Mapping[str, Any]], exclude_id: int | None = None
) -> dict[int, int]:
    """Rows of ``batch`` that look like a stored record: row -> id of the stored record."""
    wanted: dict[tuple[str, str, date, str], list[int]] = {}
    for row, values in enumerate(batch):
        wanted.setdefault(_duplicate_key(kind, values), []).append(row)
    found: dict[int, int] = {}
    if not wanted:
        return found
    dates = {key[2] for key in wanted}
    statement = (
        select(Activity.id, Activity.title, Activity.start_date, ActivityPlace.unit_code)
        .outerjoin(
            ActivityPlace,
            and_(ActivityPlace.activity_id == Activity.id, ActivityPlace.position == 0),
        )
        .where(Activity.kind == kind, Activity.start_date.in_(dates))
    )
    if exclude_id is not None:
        statement = statement.where(Activity.id != exclude_id)
    for record_id, title, start, place in session.execute(statement):
        for row in wanted.get((kind, fold(title), start, place or ""), []):
            found[row] = record_id
    return found


# --- writing ---------------------------------------------------------------------------------
def validate_batch(
    session: Session,
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
        for row, record_id in sorted(_find_duplicates(session, kind, clean, exclude_id).items()):
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
    session: Session, context: RecordContext, refs: Iterable[Mapping[str, str]]
) -> list[tuple[str, str]]:
    """Import files given by path, check those given by hash; return (sha256, name) pairs."""
    links: list[tuple[str, str]] = []
    for ref in refs:
        if "path" in ref:
            source = Path(ref["path"])
            stored = context.evidence.put(source)
            if session.get(EvidenceFile, stored.sha256) is None:
                session.add(
                    EvidenceFile(
                        sha256=stored.sha256,
                        size=stored.size,
                        media_type=stored.media_type,
                        stored_at=datetime.now(),
                    )
                )
                session.flush()
            links.append((stored.sha256, ref.get("name") or source.name))
        else:
            if session.get(EvidenceFile, ref["sha256"]) is None:
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


def add_records(
    session: Session,
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
    session: Session,
    context: RecordContext,
    kind: str,
    data: Mapping[str, Any],
    *,
    allow_duplicate: bool = False,
) -> int:
    """Validate and insert one record; return its id."""
    return add_records(session, context, kind, [data], allow_duplicates=allow_duplicate)[0]


def insert_validated(
    session: Session,
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
    check_days_open(session, (values["start_date"] for values in clean))
    model = MODEL_OF_KIND[spec.code]
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
        rows = [
            {
                **_column_values(spec, values),
                **derived_columns(spec, values, context.catalog),
                **stamp,
            }
            for values in chunk
        ]
        chunk_ids = list(session.scalars(insert(model).returning(model.id), rows))
        place_rows = [
            {"activity_id": record_id, "position": position, "unit_code": code}
            for record_id, values in zip(chunk_ids, chunk, strict=True)
            for position, code in enumerate(values["places"])
        ]
        if place_rows:
            session.execute(insert(ActivityPlace), place_rows)
        for record_id, values in zip(chunk_ids, chunk, strict=True):
            if values.get("evidence"):
                links = dict(_store_evidence(session, context, values["evidence"]))
                for sha256, name in links.items():  # the same content once per record
                    session.add(ActivityEvidence(activity_id=record_id, sha256=sha256, name=name))
        ids.extend(chunk_ids)
    session.flush()
    if audit_action == "import":
        _audit_import(session, context, spec, clean, ids, audit_summary, now)
    else:
        _audit_creates(session, context, spec, ids, now)
    return ids


def _record_summary(kind: str, record_id: int, title: str) -> str:
    if len(title) > _TITLE_IN_SUMMARY:
        title = title[: _TITLE_IN_SUMMARY - 1] + "…"
    return f"{kind} #{record_id}: {title}"


def _audit_creates(
    session: Session, context: RecordContext, spec: KindSpec, ids: Sequence[int], now: datetime
) -> None:
    """One ``create`` entry per new record, with the record as :func:`record_to_dict` reads."""
    for first in range(0, len(ids), _BULK_CHUNK):
        records = load_records(session, spec.code, ids[first : first + _BULK_CHUNK])
        audit.record_many(
            session,
            context.acting,
            (
                audit.Change(
                    "create",
                    kind=spec.code,
                    entity_id=record.id,
                    period=audit.quarter_of(record.start_date),
                    summary=_record_summary(spec.code, record.id, record.title),
                    after=record_to_dict(record),
                )
                for record in records
            ),
            at=now,
        )
        for record in records:  # a big batch need not stay in the identity map
            session.expunge(record)


def _audit_import(
    session: Session,
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
    audit.record(
        session,
        context.acting,
        "import",
        kind=spec.code,
        period=quarters.pop() if len(quarters) == 1 else None,
        summary=f"{text}: {summary}" if summary else text,
        after={"count": len(ids), "ids": list(ids), "source": summary or None},
        at=now,
    )


def update_record(
    session: Session,
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
    record = _get(session, kind, record_id)
    check_period_open(session, record.start_date)  # before validation: say "locked" first
    values = validate_batch(
        session, context, kind, [data], allow_duplicates=allow_duplicate, exclude_id=record_id
    )[0]
    if values["start_date"] != record.start_date:  # moved into another period
        check_period_open(session, values["start_date"])
    before = record_to_dict(record)
    for name, value in _column_values(spec, values).items():
        setattr(record, name, value)
    for name, value in derived_columns(spec, values, context.catalog).items():
        setattr(record, name, value)
    record.updated_at = datetime.now()
    record.updated_by = context.user
    record.places = [
        ActivityPlace(position=position, unit_code=code)
        for position, code in enumerate(values["places"])
    ]
    session.flush()
    links = _store_evidence(session, context, values["evidence"])
    record.evidence = [ActivityEvidence(sha256=sha, name=name) for sha, name in dict(links).items()]
    session.flush()
    audit.record(
        session,
        context.acting,
        "update",
        kind=spec.code,
        entity_id=record.id,
        period=audit.quarter_of(record.start_date),
        summary=_record_summary(spec.code, record.id, record.title),
        before=before,
        after=record_to_dict(record),
        at=record.updated_at,
    )


def delete_record(
    session: Session,
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
    record = _get(session, kind, record_id)
    check_period_open(session, record.start_date)
    before = record_to_dict(record)
    session.execute(delete(Activity).where(Activity.id == record.id))
    session.expunge(record)
    audit.record(
        session,
        who,
        "delete",
        kind=record.kind,
        entity_id=record_id,
        period=audit.quarter_of(record.start_date),
        summary=_record_summary(record.kind, record_id, record.title),
        before=before,
    )


def _get(session: Session, kind: str, record_id: int) -> Activity:
    model = MODEL_OF_KIND[kind_spec(kind).code]
    record = session.get(model, record_id)
    if record is None:
        raise NotFoundError(f"no {kind} record with id {record_id}")
    return record


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


def get_record(session: Session, kind: str, record_id: int) -> dict[str, Any]:
    return record_to_dict(_get(session, kind, record_id))


def load_records(session: Session, kind: str, ids: Sequence[int]) -> list[Activity]:
    """The records with these ids, in the order of ``ids`` (missing ones left out)."""
    if not ids:
        return []
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
