"""Each province's figures at the ministry, computed with the province's own code.

The national report must give, for each province, the same figures as that province's own
report inside its package. So nothing here re-implements an indicator: for a province and a
scope, :func:`province_database` rebuilds a province database in memory (the province's
own tables, :mod:`ctmt_desktop.db.models`) from the records the ministry received, and
:func:`ctmt_desktop.services.indicators.compute_indicators` and ``funding_totals`` run on it
exactly as they run on the province's file.

Which records: the province's *current* submissions of every period that starts on or before
the scope's end (a record sent in several packages — a half year and its year — counts once:
the copy of the latest period, then the latest received). Flow kinds are read for the scope
only, stock kinds (radio stations, information clusters, criterion assessments) up to its
end, as the indicators read them. Submissions of legacy provinces (before 1 July 2025) roll
up to the current province they became part of.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.schema import CreateIndex, CreateTable

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db.models import MODEL_OF_KIND, Activity, ActivityPlace, AgencyProfile, Base
from ctmt_desktop.kinds import KIND_CODES, FieldType, kind_spec
from ctmt_desktop.ministry.models import CURRENT, FiguresCache, NationalRecord, Submission
from ctmt_desktop.services.indicators import (
    IndicatorValue,
    Scope,
    compute_indicators,
    funding_totals,
)

#: Part of the figures cache's key: change it when the indicator code changes its results.
FIGURES_VERSION = "1"
#: Kinds whose indicators look at every record up to the scope's end.
STOCK_KINDS = frozenset({"radio", "cluster", "criterion"})
_YEAR_KINDS = frozenset(code for code in KIND_CODES if kind_spec(code).year_based)
_STAMP = datetime(2000, 1, 1)
_CHUNK = 5000


@dataclass(frozen=True)
class ProvinceFigures:
    """A province's indicators over a scope, per root program node and for all programs.

    Attributes:
        programs: ``{node code: [IndicatorValue…]}`` for each root node with records;
            ``""`` holds the indicators over every program.
        counts: records per kind in the scope.
        funding: (plan, disbursed) đồng of the scope's years.
        submissions: the package ids the figures come from.
    """

    province: str
    scope: Scope
    programs: dict[str, list[IndicatorValue]]
    counts: dict[str, int]
    funding: tuple[float, float]
    submissions: tuple[str, ...]

    def value(self, code: str, program: str = "") -> IndicatorValue | None:
        for value in self.programs.get(program, []):
            if value.code == code:
                return value
        return None


def _current_submissions(session: Session, province: str, scope: Scope) -> list[Submission]:
    return list(
        session.scalars(
            select(Submission)
            .where(
                Submission.province == province,
                Submission.state == CURRENT,
                Submission.period_start <= scope.end,
            )
            .order_by(Submission.period_end, Submission.received_at, Submission.id)
        )
    )


def province_records(session: Session, province: str, scope: Scope) -> list[dict[str, Any]]:
    """The records the figures of ``province`` over ``scope`` read (see the module
    docstring), each once."""
    submissions = _current_submissions(session, province, scope)
    if not submissions:
        return []
    rank = {submission.id: index for index, submission in enumerate(submissions)}
    flow = [code for code in KIND_CODES if code not in STOCK_KINDS and code not in _YEAR_KINDS]
    ids = list(rank)
    wanted = NationalRecord.submission_id.in_(ids)
    # Three queries rather than one with OR: each runs on the (submission, kind, start date)
    # index, where an OR made SQLite scan every record of those kinds in the store.
    conditions = [
        (NationalRecord.kind.in_(sorted(STOCK_KINDS)), NationalRecord.start_date <= scope.end),
        (NationalRecord.kind.in_(flow), NationalRecord.start_date.between(scope.start, scope.end)),
        (
            NationalRecord.kind.in_(sorted(_YEAR_KINDS - STOCK_KINDS)),
            NationalRecord.year.in_(list(scope.years)),
        ),
    ]
    chosen: dict[tuple[str, int], tuple[int, str]] = {}
    for kinds, dates in conditions:
        statement = select(
            NationalRecord.submission_id,
            NationalRecord.kind,
            NationalRecord.record_id,
            NationalRecord.data,
        ).where(wanted, kinds, dates)
        for submission_id, kind, record_id, data in session.execute(statement):
            key = (kind, record_id)
            order = rank[submission_id]
            held = chosen.get(key)
            if held is None or held[0] < order:
                chosen[key] = (order, data)
    records = []
    for (_kind, record_id), (_order, data) in chosen.items():
        record = json.loads(data)
        record["id"] = record_id  # the stored column (the same as the package's id)
        records.append(record)
    return records


# --- a province database in memory ---------------------------------------------------------------
def _columns_of(kind: str) -> list[tuple[str, FieldType]]:
    spec = kind_spec(kind)
    return [
        (f.name, f.type)
        for f in spec.fields
        if f.type not in (FieldType.PLACES, FieldType.EVIDENCE)
    ]


def _row(kind: str, columns: Sequence[tuple[str, FieldType]], record: dict[str, Any]) -> dict:
    row: dict[str, Any] = {"id": int(record["id"])}
    for name, kind_of in columns:
        value = record.get(name)
        if kind_of is FieldType.DATE and isinstance(value, str):
            value = date.fromisoformat(value)
        row[name] = value
    if kind == "criterion":
        row["met"] = bool(record.get("met"))
    row["place_names"] = record.get("place_names") or ""
    row.update(created_at=_STAMP, created_by="", updated_at=_STAMP, updated_by="")
    return row


class _TableWriter:
    """Plain ``executemany`` inserts on the SQLite connection, each value converted by its
    column type's own bind processor (so stored exactly as SQLAlchemy stores it): the ORM's
    bulk insert took four times as long, Core's parameter handling twice as long."""

    def __init__(self, connection: Any) -> None:
        self.dialect = connection.dialect
        self.cursor = connection.connection.driver_connection.cursor()
        self._plans: dict[str, tuple[str, list[tuple[str, Any, Any]]]] = {}

    def _plan(self, table: Any) -> tuple[str, list[tuple[str, Any, Any]]]:
        plan = self._plans.get(table.name)
        if plan is None:
            columns = []
            for column in table.columns:
                default = column.default.arg if column.default is not None else None
                if callable(default):
                    default = None
                columns.append((column.name, column.type.bind_processor(self.dialect), default))
            names = ", ".join(name for name, _p, _d in columns)
            marks = ", ".join("?" for _ in columns)
            plan = (f"INSERT INTO {table.name} ({names}) VALUES ({marks})", columns)
            self._plans[table.name] = plan
        return plan

    def insert(self, table: Any, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        sql, columns = self._plan(table)
        values = []
        for row in rows:
            values.append(
                tuple(
                    (process(row.get(name, default)) if process else row.get(name, default))
                    for name, process, default in columns
                )
            )
        self.cursor.executemany(sql, values)


@contextmanager
def province_database(
    catalog: Catalog, province: str, records: Sequence[dict[str, Any]]
) -> Iterator[Session]:
    """A session on a province database in memory holding ``records`` (as packages carry
    them), with the province's agency profile: what the province's code reads."""
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    try:
        # Tables first, their indexes once the rows are in (a third quicker than inserting
        # into indexed tables).
        with engine.begin() as connection:
            for table in Base.metadata.sorted_tables:
                connection.execute(CreateTable(table))
        sessions = sessionmaker(engine)
        with sessions() as session:
            unit = catalog.admin.get(province)
            session.add(
                AgencyProfile(
                    name=unit.name if unit else province,
                    province_code=province,
                    parent_body="",
                    receiving_ministry="",
                    valid_from=date(2000, 1, 1),
                    valid_to=None,
                    created_at=_STAMP,
                )
            )
            by_kind: dict[str, list[dict[str, Any]]] = {}
            for record in records:
                by_kind.setdefault(record["kind"], []).append(record)
            connection = session.connection()
            writer = _TableWriter(connection)
            for kind, items in by_kind.items():
                table = MODEL_OF_KIND[kind].__table__
                columns = _columns_of(kind)
                for first in range(0, len(items), _CHUNK):
                    chunk = items[first : first + _CHUNK]
                    rows = [_row(kind, columns, r) | {"kind": kind} for r in chunk]
                    writer.insert(Activity.__table__, rows)
                    writer.insert(table, rows)
                    writer.insert(
                        ActivityPlace.__table__,
                        [
                            {"activity_id": int(r["id"]), "position": position, "unit_code": code}
                            for r in chunk
                            for position, code in enumerate(r.get("places") or [])
                        ],
                    )
            for table in Base.metadata.sorted_tables:
                for index in table.indexes:
                    connection.execute(CreateIndex(index))
            session.commit()
            yield session
    finally:
        engine.dispose()


def root_programs(catalog: Catalog, records: Sequence[dict[str, Any]], scope: Scope) -> list[str]:
    """Root program nodes with records, or valid over the scope, in catalog order."""
    roots = {str(r.get("program") or "").split(".", 1)[0] for r in records}
    roots |= {
        node.code
        for node in catalog.programs.values()
        if node.parent is None and node.valid_from <= scope.end and scope.start <= node.valid_to
    }
    return [code for code in catalog.programs if code in roots]


def _cache_key(catalog: Catalog, submissions: Sequence[str]) -> str:
    text = "\n".join([FIGURES_VERSION, catalog.version, *sorted(submissions)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _to_data(figures: ProvinceFigures) -> dict[str, Any]:
    return {
        "programs": {
            code: [asdict(value) for value in values] for code, values in figures.programs.items()
        },
        "counts": dict(figures.counts),
        "funding": list(figures.funding),
        "submissions": list(figures.submissions),
    }


def _from_data(province: str, scope: Scope, data: dict[str, Any]) -> ProvinceFigures:
    return ProvinceFigures(
        province,
        scope,
        {
            code: [IndicatorValue(**value) for value in values]
            for code, values in data["programs"].items()
        },
        {kind: int(count) for kind, count in data["counts"].items()},
        (float(data["funding"][0]), float(data["funding"][1])),
        tuple(data["submissions"]),
    )


def province_figures(
    session: Session, catalog: Catalog, province: str, scope: Scope, *, cache: bool = True
) -> ProvinceFigures:
    """``province``'s figures over ``scope`` from the store (see the module docstring).

    The figures are kept in ``figures_cache`` with a key made of the submissions they come
    from, the catalog's version and :data:`FIGURES_VERSION`: while none of them changes they
    are read back (a new or superseding package changes the key, so they are computed again).
    The intake computes those of a package's own period as it stores it.
    """
    submissions = tuple(s.package_id for s in _current_submissions(session, province, scope))
    if not submissions:
        return ProvinceFigures(province, scope, {}, dict.fromkeys(KIND_CODES, 0), (0.0, 0.0), ())
    key = _cache_key(catalog, submissions)
    if cache:
        row = session.get(FiguresCache, (province, scope.code))
        if row is not None and row.key == key:
            try:
                return _from_data(province, scope, row.data)
            except (KeyError, TypeError, ValueError, IndexError):
                pass  # written by another version: computed again below
    records = province_records(session, province, scope)
    figures = figures_of_records(catalog, province, scope, records, submissions)
    if cache:
        _keep(session, province, scope, key, figures)
    return figures


def _keep(
    session: Session, province: str, scope: Scope, key: str, figures: ProvinceFigures
) -> None:
    """Write the figures to the cache in a savepoint: another process writing the same row
    at the same moment (PostgreSQL) costs the cache entry, never the caller's work."""
    try:
        with session.begin_nested():
            row = session.get(FiguresCache, (province, scope.code))
            if row is None:
                row = FiguresCache(province=province, scope=scope.code)
                session.add(row)
            row.key = key
            row.computed_at = datetime.now()
            row.data = _to_data(figures)
    except IntegrityError:
        pass


def figures_of_records(
    catalog: Catalog,
    province: str,
    scope: Scope,
    records: Sequence[dict[str, Any]],
    submissions: tuple[str, ...] = (),
) -> ProvinceFigures:
    counts = dict.fromkeys(KIND_CODES, 0)
    for record in records:
        kind = record["kind"]
        if kind in _YEAR_KINDS:
            inside = record.get("year") in scope.years
        else:
            start = record.get("start_date") or ""
            inside = scope.start.isoformat() <= start <= scope.end.isoformat()
        if inside:
            counts[kind] += 1
    programs: dict[str, list[IndicatorValue]] = {}
    with province_database(catalog, province, records) as mirror:
        programs[""] = compute_indicators(mirror, catalog, province, scope, None)
        for root in root_programs(catalog, records, scope):
            programs[root] = compute_indicators(mirror, catalog, province, scope, root)
        funding = funding_totals(mirror, scope, None)
    return ProvinceFigures(province, scope, programs, counts, funding, submissions)
