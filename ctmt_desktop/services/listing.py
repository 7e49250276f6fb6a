"""The read path of records: which records a listing shows and in what order, and their
values, as SQL on SQLite's own connection.

``ctmt list``, the window's tables, the Excel export and the submission package read records
here. A record comes out as :func:`~ctmt_desktop.services.records.record_to_dict` gives it
(id, every field of its kind in order, ``met`` for a criterion, the display text of its
places, who made and changed it when), built from selected columns rather than from ORM
objects, and without SQLAlchemy: ``ctmt list`` on 100,000 records answers within a small
factor of the ``sqlite3`` command line (bench/bench_cli.py), and the command does not pay
SQLAlchemy's import.

Each function takes an ORM session (pending changes are flushed first, as a query of the
session would), a SQLAlchemy connection, or a :class:`sqlite3.Connection`; the SQL runs on
that connection, inside its transaction.

Ordering: a field's values in SQL order, ties on id; text fields sort by their precomputed
Vietnamese sort keys. Few matches (up to :data:`SPARSE_MATCHES`) are sorted in memory; more
are read in order from the sort index (each way stays fast at its own end of the range).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ctmt_desktop.kinds import COMMON_FIELD_NAMES, FieldType, KindSpec, kind_spec
from ctmt_desktop.periods import Period
from ctmt_desktop.text import fold

if TYPE_CHECKING:
    from ctmt_desktop.catalog import Catalog

#: Where records are read from: an ORM session, a SQLAlchemy connection or a sqlite3 one.
Source = Any

#: Fields every kind can be sorted by, and the column of ``activity`` that orders them.
SORTABLE_COMMON: dict[str, str] = {
    "title": "title_sort",
    "places": "place_sort",
    "start_date": "start_date",
    "end_date": "end_date",
    "program": "program",
    "cost": "cost",
    "status": "status",
    "funding_source": "funding_source",
    "implementing_unit": "implementing_unit",
    "updated_at": "updated_at",
    "id": "id",
}
#: Up to this many matches, their sort values are fetched and sorted in memory; above it the
#: sort index is walked and filtered in SQL.
SPARSE_MATCHES = 5_000
#: Up to this many matches, the scan that finds them counts them too; above it (a search
#: for one common letter) SQLite counts them, cheaper than handing each id to Python.
COUNTED_MATCHES = 20_000
#: Ids read per statement (one JSON array parameter each).
CHUNK = 5_000
_IDS = "SELECT value FROM json_each(?)"


@dataclass(frozen=True)
class RecordQuery:
    """Filters and order for listing records of one kind.

    Attributes:
        search: words that must all appear (diacritics and case ignored) in the title,
            places, implementing unit, outlet or program code.
        period: keep records starting in it.
        program: keep records of this node or below it.
        place: keep records in this unit (a current commune also finds the legacy communes
            that became part of it).
        status: ``draft`` or ``confirmed``.
        sort: a field name; ``descending`` reverses it. Ties break on id.
    """

    search: str = ""
    period: Period | None = None
    program: str | None = None
    place: str | None = None
    status: str | None = None
    sort: str = "start_date"
    descending: bool = False
    offset: int = 0
    limit: int | None = 100
    ids: Sequence[int] | None = field(default=None)


def dbapi_connection(source: Source) -> sqlite3.Connection:
    """The sqlite3 connection under ``source`` (an ORM session's pending changes flushed)."""
    if isinstance(source, sqlite3.Connection):
        return source
    if hasattr(source, "get_bind"):  # an ORM session: its connection, in its transaction
        if source.autoflush:
            source.flush()
        source = source.connection()
    driver = source.connection.driver_connection
    if not isinstance(driver, sqlite3.Connection):
        raise TypeError(f"records are read from SQLite, not {type(driver).__name__}")
    return driver


def after_plain_write(source: Source) -> None:
    """After a write in plain SQL under an ORM session (:func:`dbapi_connection`), the
    session's objects are read again when next used (a plain connection: nothing to do)."""
    expire_all = getattr(source, "expire_all", None)
    if expire_all is not None:
        expire_all()


# --- which records, in which order -------------------------------------------------------------
def _common_sortable(spec: KindSpec, name: str) -> bool:
    """A common field the kind has (a criterion has no cost), or a stamp every record has."""
    return name in SORTABLE_COMMON and (name in spec.field_names or name in ("updated_at", "id"))


def sortable_fields(kind: str) -> list[str]:
    """Field names :class:`RecordQuery` can sort records of ``kind`` by."""
    spec = kind_spec(kind)
    common = [name for name in SORTABLE_COMMON if _common_sortable(spec, name)]
    specific = [
        f.name
        for f in spec.specific_fields
        if f.type not in (FieldType.INDICATORS, FieldType.EVIDENCE)
    ]
    return [*common, *specific]


def _sort_column(spec: KindSpec, name: str) -> str:
    """``a.column`` (the activity table) or ``k.column`` (the kind's own table)."""
    if _common_sortable(spec, name):
        return f"a.{SORTABLE_COMMON[name]}"
    if name in spec.field_names and name not in COMMON_FIELD_NAMES:
        return f"k.{name}"
    raise ValueError(f"cannot sort {spec.code} records by '{name}'")


def _filters(query: RecordQuery, catalog: Catalog | None) -> tuple[list[str], list[Any]]:
    """The query's conditions on ``activity a`` and their parameters."""
    conditions: list[str] = []
    params: list[Any] = []
    for word in fold(query.search).split():
        conditions.append("instr(a.search_key, ?) > 0")
        params.append(word)
    if query.period is not None:
        conditions.append("a.start_date BETWEEN ? AND ?")
        params += [query.period.start.isoformat(), query.period.end.isoformat()]
    if query.program:
        conditions.append("(a.program = ? OR (a.program LIKE ? || '%'))")
        params += [query.program, query.program + "."]
    if query.status:
        conditions.append("a.status = ?")
        params.append(query.status)
    if query.place:
        codes = {query.place}
        if catalog is not None:
            codes |= {u.code for u in catalog.admin if u.legacy and query.place in u.new_communes}
            unit = catalog.admin.get(query.place)
            if unit is not None and unit.level == "province":
                codes |= {u.code for u in catalog.admin if u.province == query.place}
        conditions.append(
            f"a.id IN (SELECT activity_id FROM activity_place WHERE unit_code IN ({_IDS}))"
        )
        params.append(json.dumps(sorted(codes)))
    if query.ids is not None:
        conditions.append(f"a.id IN ({_IDS})")
        params.append(json.dumps([int(i) for i in query.ids]))
    return conditions, params


def _kind_condition(query: RecordQuery) -> str:
    if query.search.strip():
        # Wrapping the column keeps the planner off the (kind, …) indexes that would need a
        # row lookup per record; it then scans the narrow covering (kind, search_key) index.
        return "coalesce(a.kind, '') = ?"
    return "a.kind = ?"


def _where(conditions: Sequence[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def _ordered_sql(spec: KindSpec, query: RecordQuery, conditions: Sequence[str]) -> str:
    """Ids of the kind's records meeting ``conditions`` (after the kind's own parameter
    when the sort is on a common field), in the query's order."""
    column = _sort_column(spec, query.sort)
    way = " DESC" if query.descending else ""
    order = f" ORDER BY {column}{way}, a.id{way}"
    if query.sort in SORTABLE_COMMON:
        return "SELECT a.id FROM activity a" + _where(["a.kind = ?", *conditions]) + order
    return (
        f"SELECT k.id FROM activity a JOIN {spec.code} k ON a.id = k.id"
        + _where(conditions)
        + order
    )


def _ordered_params(spec: KindSpec, query: RecordQuery, params: Sequence[Any]) -> list[Any]:
    return [spec.code, *params] if query.sort in SORTABLE_COMMON else list(params)


def _count(
    connection: sqlite3.Connection, spec: KindSpec, query: RecordQuery, conditions: Sequence[str],
    params: Sequence[Any],
) -> int:  # fmt: skip
    sql = "SELECT count(*) FROM activity a" + _where([_kind_condition(query), *conditions])
    return int(connection.execute(sql, [spec.code, *params]).fetchone()[0] or 0)


def _few_matches(
    connection: sqlite3.Connection, spec: KindSpec, query: RecordQuery, conditions: Sequence[str],
    params: Sequence[Any],
) -> list[int] | None:  # fmt: skip
    """Ids of the matching records when there are few of them, else None."""
    ids = _matches(connection, spec, query, conditions, params, SPARSE_MATCHES)
    return ids if len(ids) <= SPARSE_MATCHES else None


def _matches(
    connection: sqlite3.Connection, spec: KindSpec, query: RecordQuery, conditions: Sequence[str],
    params: Sequence[Any], most: int,
) -> list[int]:  # fmt: skip
    """Ids of the matching records, up to one more than ``most``, in one scan of the narrow
    search index (one more: whether there are more than ``most`` is known)."""
    sql = (
        "SELECT a.id FROM activity a"
        + _where([_kind_condition(query), *conditions])
        + f" LIMIT {int(most) + 1}"
    )
    return [row[0] for row in connection.execute(sql, [spec.code, *params])]


def _sorted_in_memory(
    connection: sqlite3.Connection, spec: KindSpec, query: RecordQuery, ids: list[int]
) -> list[int]:
    if not ids:
        return []
    column = _sort_column(spec, query.sort)
    if query.sort in SORTABLE_COMMON:
        sql = f"SELECT a.id, {column} FROM activity a WHERE a.id IN ({_IDS})"
    else:
        sql = (
            f"SELECT k.id, {column} FROM activity a JOIN {spec.code} k ON a.id = k.id "
            f"WHERE k.id IN ({_IDS})"
        )
    rows = connection.execute(sql, [json.dumps(ids)]).fetchall()
    rows.sort(key=_sort_value, reverse=query.descending)
    return [row[0] for row in rows]


def _sort_value(row: tuple[Any, ...]) -> tuple[bool, Any, int]:
    value = row[1]
    return (value is None, 0 if value is None else value, row[0])


def ordered_ids(
    source: Source, kind: str, query: RecordQuery = RecordQuery(), catalog: Catalog | None = None
) -> list[int]:
    """Ids of every record matching ``query`` in its order (offset and limit ignored)."""
    spec = kind_spec(kind)
    connection = dbapi_connection(source)
    conditions, params = _filters(query, catalog)
    few = _few_matches(connection, spec, query, conditions, params) if conditions else None
    if few is not None:
        return _sorted_in_memory(connection, spec, query, few)
    sql = _ordered_sql(spec, query, conditions)
    return [row[0] for row in connection.execute(sql, _ordered_params(spec, query, params))]


def page_ids(
    source: Source, kind: str, query: RecordQuery = RecordQuery(), catalog: Catalog | None = None
) -> tuple[int, list[int]]:
    """(how many records match, the ids of the page ``offset``…``offset + limit``).

    Few matches are sorted in memory; many are read in order from the sort index, which
    finds a page of them quickly because they are dense.
    """
    spec = kind_spec(kind)
    connection = dbapi_connection(source)
    end = None if query.limit is None else query.offset + query.limit
    conditions, params = _filters(query, catalog)
    # Up to COUNTED_MATCHES, the scan that finds the matches counts them (no second scan);
    # up to SPARSE_MATCHES they are sorted in memory.
    matches = (
        _matches(connection, spec, query, conditions, params, COUNTED_MATCHES)
        if conditions
        else None
    )
    if matches is not None and len(matches) <= SPARSE_MATCHES:
        return len(matches), _sorted_in_memory(connection, spec, query, matches)[query.offset : end]
    sql = _ordered_sql(spec, query, conditions)
    ordered = _ordered_params(spec, query, params)
    if query.limit is None:
        ids = [row[0] for row in connection.execute(sql, ordered)]
        if query.offset == 0:
            return len(ids), ids
        return _count(connection, spec, query, conditions, params), ids[query.offset :]
    if matches is not None and len(matches) <= COUNTED_MATCHES:
        total = len(matches)  # the scan that found them counted them
    else:
        total = _count(connection, spec, query, conditions, params)
    sql += " LIMIT ? OFFSET ?"
    ids = [row[0] for row in connection.execute(sql, [*ordered, query.limit, query.offset])]
    return total, ids


def count_records(
    source: Source, kind: str, query: RecordQuery = RecordQuery(), catalog: Catalog | None = None
) -> int:
    """How many records of ``kind`` match the query's filters."""
    spec = kind_spec(kind)
    conditions, params = _filters(query, catalog)
    return _count(dbapi_connection(source), spec, query, conditions, params)


# --- the records' values -----------------------------------------------------------------------
def _as_date(value: Any) -> Any:
    return date.fromisoformat(value)


def _as_datetime(value: Any) -> Any:
    return datetime.fromisoformat(value)


def _as_bool(value: Any) -> Any:
    return bool(value)


def _as_json(value: Any) -> Any:
    return json.loads(value)


_DECODE: dict[FieldType, Callable[[Any], Any]] = {
    FieldType.DATE: _as_date,
    FieldType.BOOL: _as_bool,
    FieldType.INDICATORS: _as_json,
}
#: Column values that need no conversion for JSON.
_PLAIN = frozenset({type(None), str, int, bool})


@dataclass(frozen=True)
class _Plan:
    """How rows of one kind become records.

    ``columns`` are selected in ``record_to_dict``'s order of ``keys`` (NULL in the place of
    ``places`` and ``evidence``), so that ``dict(zip(keys, row))`` lays a record out;
    ``decoded`` are the keys whose stored text or number becomes a date, a time, a boolean
    or the indicators' dict.
    """

    columns: tuple[str, ...]
    source: str
    keys: tuple[str, ...]
    decoded: tuple[tuple[str, Callable[[Any], Any]], ...]


_PLANS: dict[tuple[str, tuple[str, ...] | None], _Plan] = {}


def _plan(kind: str, only: Sequence[str] | None = None) -> _Plan:
    """The plan of a kind's records, or of ``only`` these keys of them (in their order)."""
    wanted = None if only is None else tuple(only)
    plan = _PLANS.get((kind, wanted))
    if plan is not None:
        return plan
    if wanted is not None:
        whole = _plan(kind)
        columns = dict(zip(whole.keys, whole.columns, strict=True))
        unknown = [key for key in wanted if key not in columns]
        if unknown or "id" not in wanted:
            raise ValueError(f"{kind} records have no {', '.join(unknown) or 'id'}")
        decoders = dict(whole.decoded)
        plan = _PLANS[(kind, wanted)] = _Plan(
            tuple(columns[key] for key in wanted),
            whole.source,
            wanted,
            tuple((key, decoders[key]) for key in wanted if key in decoders),
        )
        return plan
    spec = kind_spec(kind)
    keys = ["id"]
    columns = ["a.id"]
    decoded: list[tuple[str, Callable[[Any], Any]]] = []
    for field_spec in spec.fields:
        keys.append(field_spec.name)
        if field_spec.type in (FieldType.PLACES, FieldType.EVIDENCE):
            columns.append("NULL")
            continue
        columns.append(("a." if field_spec.name in COMMON_FIELD_NAMES else "k.") + field_spec.name)
        if field_spec.type in _DECODE:
            decoded.append((field_spec.name, _DECODE[field_spec.type]))
    tail: list[tuple[str, str, Callable[[Any], Any] | None]] = []
    if spec.code == "criterion":
        tail.append(("met", "k.met", _as_bool))
    tail += [
        ("place_names", "a.place_names", None),
        ("created_at", "a.created_at", _as_datetime),
        ("created_by", "a.created_by", None),
        ("updated_at", "a.updated_at", _as_datetime),
        ("updated_by", "a.updated_by", None),
    ]
    for key, column, decode in tail:
        keys.append(key)
        columns.append(column)
        if decode is not None:
            decoded.append((key, decode))
    plan = _PLANS[(kind, None)] = _Plan(
        tuple(columns),
        f"activity a JOIN {spec.code} k ON k.id = a.id",
        tuple(keys),
        tuple(decoded),
    )
    return plan


def _records(
    connection: sqlite3.Connection,
    plan: _Plan,
    rows: Sequence[Sequence[Any]],
    convert: Callable[[Any], Any] | None,
) -> Iterator[dict[str, Any]]:
    """Records from ``rows`` of ``plan``'s columns, in their order, with their places and
    evidence."""
    wanted = json.dumps([row[0] for row in rows])
    places: dict[int, list[str]] = {}
    for record_id, code in connection.execute(
        "SELECT activity_id, unit_code FROM activity_place "
        f"WHERE activity_id IN ({_IDS}) ORDER BY activity_id, position",
        (wanted,),
    ):
        places.setdefault(record_id, []).append(code)
    evidence: dict[int, list[dict[str, str]]] = {}
    for record_id, sha256, name in connection.execute(
        "SELECT activity_id, sha256, name FROM activity_evidence "
        f"WHERE activity_id IN ({_IDS}) ORDER BY activity_id, name, sha256",
        (wanted,),
    ):
        evidence.setdefault(record_id, []).append({"sha256": sha256, "name": name})
    keys, decoded, plain = plan.keys, plan.decoded, _PLAIN
    has_places, has_evidence = "places" in keys, "evidence" in keys
    for row in rows:
        record = dict(zip(keys, row, strict=True))
        for key, decode in decoded:
            value = record[key]
            if value is not None:
                record[key] = decode(value)
        if has_places:
            record["places"] = places.get(row[0], [])
        if has_evidence:
            record["evidence"] = evidence.get(row[0], [])
        if convert is not None:
            for key, value in record.items():
                if type(value) not in plain and key not in ("places", "evidence"):
                    record[key] = convert(value)
        yield record


def iter_records(
    source: Source,
    kind: str,
    ids: Sequence[int],
    *,
    convert: Callable[[Any], Any] | None = None,
    only: Sequence[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """The records of ``kind`` with these ids, in the order of ``ids`` (missing ones left
    out), as ``record_to_dict`` gives them, read :data:`CHUNK` at a time.

    ``convert`` is applied to every value, other than the places and evidence, that is not
    None, text, a whole number or a boolean (dates, times, the indicators of a criterion):
    the package passes its JSON conversion. ``only`` names the keys wanted (``id`` among
    them), in the order wanted: the other columns are not read.
    """
    plan = _plan(kind_spec(kind).code, only)
    connection = dbapi_connection(source)
    sql = f"SELECT {', '.join(plan.columns)} FROM {plan.source} WHERE a.id IN ({_IDS})"
    for first in range(0, len(ids), CHUNK):
        chunk = [int(i) for i in ids[first : first + CHUNK]]
        found = {row[0]: row for row in connection.execute(sql, (json.dumps(chunk),))}
        rows = [found[i] for i in chunk if i in found]
        yield from _records(connection, plan, rows, convert)


def iter_matching(
    source: Source,
    kind: str,
    query: RecordQuery = RecordQuery(),
    catalog: Catalog | None = None,
    *,
    convert: Callable[[Any], Any] | None = None,
    only: Sequence[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every record matching ``query``, in its order (offset and limit ignored), as
    :func:`iter_records` gives them: what :func:`ordered_ids` orders, read with their
    values in the same statement when there are many."""
    spec = kind_spec(kind)
    connection = dbapi_connection(source)
    conditions, params = _filters(query, catalog)
    few = _few_matches(connection, spec, query, conditions, params) if conditions else None
    if few is not None:
        ordered = _sorted_in_memory(connection, spec, query, few)
        yield from iter_records(connection, kind, ordered, convert=convert, only=only)
        return
    plan = _plan(spec.code, only)
    column = _sort_column(spec, query.sort)
    way = " DESC" if query.descending else ""
    sql = (
        f"SELECT {', '.join(plan.columns)} FROM {plan.source}"
        + _where(["a.kind = ?", *conditions])
        + f" ORDER BY {column}{way}, a.id{way}"
    )
    cursor = connection.execute(sql, [spec.code, *params])
    while rows := cursor.fetchmany(CHUNK):
        yield from _records(connection, plan, rows, convert)


def read_records(source: Source, kind: str, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The records with these ids in that order, as ``record_to_dict`` gives them."""
    return list(iter_records(source, kind, ids))


@dataclass(frozen=True)
class RowPage:
    """One page of records (as dicts) and how many match in all."""

    total: int
    records: list[dict[str, Any]]


def page_rows(
    source: Source, kind: str, query: RecordQuery = RecordQuery(), catalog: Catalog | None = None
) -> RowPage:
    """The page ``query.offset``…``offset + limit`` of matching records, and their count."""
    if query.limit is None and query.offset == 0:
        records = list(iter_matching(source, kind, query, catalog))
        return RowPage(len(records), records)
    total, ids = page_ids(source, kind, query, catalog)
    return RowPage(total, read_records(source, kind, ids))


def list_rows(
    source: Source,
    kind: str,
    query: RecordQuery = RecordQuery(),
    catalog: Catalog | None = None,
    *,
    only: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Records of ``kind`` matching ``query``, in its order, one page (offset, limit);
    ``only`` these keys of them (see :func:`iter_records`)."""
    if query.limit is None:
        return list(iter_matching(source, kind, query, catalog, only=only))[query.offset :]
    _total, ids = page_ids(source, kind, query, catalog)
    return list(iter_records(source, kind, ids, only=only))
