"""The demo generator: realistic, deterministic, complete, and written through the services."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from ctmt_desktop.catalog import REORGANISATION_DAY, Catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.demo import DemoCancelled, generate_demo
from ctmt_desktop.errors import ConfigurationError
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import RecordQuery, count_records, list_records, record_to_dict


def _new_database(path: Path, catalog: Catalog, province: str = "44") -> Database:
    database = open_database(path)
    with database.session() as session:
        set_profile(session, ProfileData("Sở Văn hóa, Thể thao và Du lịch", province), catalog)
    return database


def _fingerprint(database: Database) -> str:
    digest = hashlib.sha256()
    with database.session() as session:
        for kind in KIND_CODES:
            query = RecordQuery(sort="id", limit=None)
            for record in list_records(session, kind, query):
                data = record_to_dict(record)
                for volatile in ("id", "created_at", "updated_at"):
                    data.pop(volatile)
                digest.update(json.dumps(data, default=str, sort_keys=True).encode())
    return digest.hexdigest()


def test_same_seed_gives_identical_records_and_another_seed_differs(tmp_path, catalog):
    first = _new_database(tmp_path / "a.sqlite3", catalog)
    second = _new_database(tmp_path / "b.sqlite3", catalog)
    third = _new_database(tmp_path / "c.sqlite3", catalog)
    try:
        generate_demo(first, records=300, seed=5)
        generate_demo(second, records=300, seed=5)
        generate_demo(third, records=300, seed=6)
        assert _fingerprint(first) == _fingerprint(second)
        assert _fingerprint(first) != _fingerprint(third)
    finally:
        for database in (first, second, third):
            database.close()


@pytest.mark.parametrize("records", [8, 40, 1500])
def test_exactly_the_requested_number_with_every_kind(tmp_path, catalog, records):
    database = _new_database(tmp_path / "d.sqlite3", catalog)
    try:
        counts = generate_demo(database, records=records, seed=1)
        with database.session() as session:
            stored = {kind: count_records(session, kind) for kind in KIND_CODES}
    finally:
        database.close()
    assert sum(counts.values()) == records
    assert stored == counts
    assert all(stored[kind] >= 1 for kind in KIND_CODES)


def test_places_are_legacy_before_the_reorganisation_and_current_after(tmp_path, catalog):
    database = _new_database(tmp_path / "e.sqlite3", catalog, province="11")
    try:
        generate_demo(database, records=800, seed=2)
        with database.session() as session:
            records = [r for kind in KIND_CODES
                       for r in list_records(session, kind, RecordQuery(limit=None))]  # fmt: skip
    finally:
        database.close()
    years = {r.start_date.year for r in records}
    assert {2021, 2026} <= years and max(r.start_date for r in records) < date(2026, 11, 23)
    for record in records:
        for place in record.places:
            unit = catalog.admin.get(place.unit_code)
            assert unit is not None and unit.province == "11"
            assert unit.legacy == (record.start_date < REORGANISATION_DAY)


def test_cancel_leaves_no_record(tmp_path, catalog):
    database = _new_database(tmp_path / "f.sqlite3", catalog)
    try:
        with pytest.raises(DemoCancelled):
            generate_demo(database, records=3000, seed=1, progress=lambda done, total: done == 0)
        with database.session() as session:
            assert sum(count_records(session, kind) for kind in KIND_CODES) == 0
    finally:
        database.close()
    with sqlite3.connect(tmp_path / "f.sqlite3") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_database_without_profile_is_refused(tmp_path):
    database = open_database(tmp_path / "g.sqlite3")
    try:
        with pytest.raises(ConfigurationError):
            generate_demo(database, records=20)
    finally:
        database.close()


def test_demo_sets_targets_of_every_year_through_the_audited_service(tmp_path, catalog):
    from ctmt_desktop.db.models import AuditEntry
    from ctmt_desktop.services.indicators import compute_indicators, parse_scope
    from ctmt_desktop.services.targets import TargetData, list_targets, set_target

    database = _new_database(tmp_path / "t.sqlite3", catalog)
    try:
        with database.session() as session:  # a target the office set itself stays
            set_target(
                session,
                catalog,
                "44",
                TargetData("NTM21", "training_classes", "2024", 7.0),
                user="office",
            )
        generate_demo(database, records=400, seed=3, targets=True)
        with database.session() as session:
            targets = list_targets(session, "44")
            audited = session.query(AuditEntry).filter(AuditEntry.action == "target").count()
            reached = {
                v.code: v.value
                for v in compute_indicators(session, catalog, "44", parse_scope("2024"), "GNBV21")
            }
    finally:
        database.close()
    periods = {t.period for t in targets}
    assert {str(year) for year in range(2021, 2027)} <= periods
    assert {t.program for t in targets} >= {"GNBV21", "NTM21", "MTQG26"}
    assert audited == len(targets)
    kept = [
        t
        for t in targets
        if (t.program, t.indicator, t.period) == ("NTM21", "training_classes", "2024")
    ]
    assert [t.value for t in kept] == [7.0]
    participants = next(
        t
        for t in targets
        if (t.program, t.indicator, t.period) == ("GNBV21", "training_participants", "2024")
    )
    assert 0.8 <= reached["training_participants"] / participants.value <= 1.2
    assert not any(t.indicator == "media_outputs" for t in targets)  # different units
