"""The records service on a real database file: add, validate, find duplicates, update,
delete, search, filter, sort, page, and keep evidence files."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ctmt_desktop.db import Database, open_database
from ctmt_desktop.db.models import ActivityEvidence, ActivityPlace, EvidenceFile, TrainingClass
from ctmt_desktop.errors import ConfigurationError, NotFoundError, StorageError, ValidationError
from ctmt_desktop.periods import parse_period
from ctmt_desktop.services.records import (
    RecordContext,
    RecordQuery,
    add_record,
    add_records,
    count_records,
    delete_record,
    get_record,
    list_records,
    record_context,
    update_record,
)
from ctmt_desktop.text import sort_key

MakeRecord = Callable[..., dict[str, Any]]
LAO_BAO = "19432"
OLD_TAN_THANH = "old:19456"  # became part of Xã Lao Bảo on 1 July 2025
OTHER_COMMUNE = "19435"  # another current commune of province 44


def _context(session: Any, database: Database) -> RecordContext:
    return record_context(session, database.path, user="tester")


def add(database: Database, kind: str, items: list[dict[str, Any]], **options: Any) -> list[int]:
    with database.session() as session:
        return add_records(session, _context(session, database), kind, items, **options)


def get(database: Database, kind: str, record_id: int) -> dict[str, Any]:
    with database.session() as session:
        return get_record(session, kind, record_id)


def count(database: Database, kind: str, query: RecordQuery | None = None) -> int:
    with database.session() as session:
        return count_records(session, kind, query or RecordQuery())


def titles(database: Database, kind: str, query: RecordQuery, catalog: Any = None) -> list[str]:
    with database.session() as session:
        return [r.title for r in list_records(session, kind, query, catalog)]


def rejected(action: Callable[[], Any]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        action()
    return caught.value


# --- adding -----------------------------------------------------------------------------------
def test_added_record_reads_back_with_the_same_values(
    database: Database, make_record: MakeRecord
) -> None:
    data = make_record("training", start_date="05/03/2024", end_date="07/03/2024")
    [record_id] = add(database, "training", [data])

    stored = get(database, "training", record_id)

    assert stored["id"] == record_id
    for name in (
        "program",
        "title",
        "places",
        "funding_source",
        "days",
        "participants",
        "participants_female",
        "participants_ethnic",
        "participants_commune",
        "participants_village",
        "target_group",
        "material_type",
        "cost",
        "implementing_unit",
    ):
        assert stored[name] == data[name], name
    assert (stored["start_date"], stored["end_date"]) == (date(2024, 3, 5), date(2024, 3, 7))
    assert stored["status"] == "draft"
    assert stored["place_names"] == "Xã Lao Bảo"
    assert stored["created_by"] == stored["updated_by"] == "tester"
    assert stored["evidence"] == []


@pytest.mark.parametrize(
    "kind", ["training", "event", "media", "cluster", "radio", "device", "criterion", "funding"]
)
def test_a_record_of_every_kind_is_stored_and_counted(
    kind: str, database: Database, make_record: MakeRecord
) -> None:
    [record_id] = add(database, kind, [make_record(kind)])
    stored = get(database, kind, record_id)
    assert stored["title"] == make_record(kind)["title"]
    assert count(database, kind) == 1


def test_criterion_record_keeps_its_indicators_and_whether_it_is_met(
    database: Database, make_record: MakeRecord
) -> None:
    results = {"8.1": True, "8.2": True, "8.3": False, "8.4": True}
    [record_id] = add(database, "criterion", [make_record("criterion", indicators=results)])
    stored = get(database, "criterion", record_id)
    assert stored["indicators"] == results
    assert stored["met"] is False
    assert (stored["start_date"], stored["end_date"]) == (date(2024, 1, 1), date(2024, 12, 31))


def test_batch_with_one_bad_row_writes_nothing(database: Database, make_record: MakeRecord) -> None:
    good = make_record("training")
    bad = make_record("training", title="Lớp thứ hai", participants=60, participants_female=61)
    third = make_record("training", title="Lớp thứ ba")

    error = rejected(lambda: add(database, "training", [good, bad, third]))

    assert [(p.row, p.field, p.code) for p in error.problems] == [
        (1, "participants_female", "part_above_total")
    ]
    assert "record 2" in str(error) and "participants_female" in str(error)
    assert count(database, "training") == 0


def test_single_record_problems_carry_no_row_number(
    database: Database, make_record: MakeRecord
) -> None:
    error = rejected(lambda: add(database, "training", [make_record("training", days=0)]))
    assert [(p.row, p.field) for p in error.problems] == [(None, "days")]


def test_missing_evidence_file_rolls_back_the_whole_batch(
    database: Database, make_record: MakeRecord, tmp_path: Path
) -> None:
    missing = tmp_path / "khong-co.jpg"
    items = [
        make_record("training"),
        make_record("training", title="Lớp 2", evidence=[{"path": str(missing)}]),
    ]
    with pytest.raises(StorageError, match="khong-co.jpg"):
        add(database, "training", items)
    assert count(database, "training") == 0


def test_database_without_a_profile_cannot_take_records(tmp_path: Path) -> None:
    db = open_database(tmp_path / "empty.sqlite3")
    try:
        with db.session() as session, pytest.raises(ConfigurationError, match="ctmt init"):
            record_context(session, db.path)
    finally:
        db.close()


# --- duplicates -------------------------------------------------------------------------------
def test_likely_duplicate_is_a_warning_and_is_not_added(
    database: Database, make_record: MakeRecord
) -> None:
    add(database, "training", [make_record("training")])
    # Same title (other case, no diacritics), date and place: the same class entered twice.
    again = make_record("training", title="TAP HUAN KY NANG THONG TIN CO SO", participants=55)

    error = rejected(lambda: add(database, "training", [again]))

    assert error.problems and error.only_warnings
    assert {(p.field, p.code) for p in error.problems} == {("title", "likely_duplicate")}
    assert count(database, "training") == 1


def test_likely_duplicate_is_added_when_allowed(
    database: Database, make_record: MakeRecord
) -> None:
    add(database, "training", [make_record("training")])
    add(database, "training", [make_record("training")], allow_duplicates=True)
    assert count(database, "training") == 2


def test_duplicates_inside_one_batch_are_warned_about(
    database: Database, make_record: MakeRecord
) -> None:
    error = rejected(
        lambda: add(database, "training", [make_record("training"), make_record("training")])
    )
    assert error.only_warnings
    assert [p.row for p in error.problems] == [1]
    assert count(database, "training") == 0


def test_same_title_on_another_day_is_not_a_duplicate(
    database: Database, make_record: MakeRecord
) -> None:
    add(database, "training", [make_record("training")])
    add(database, "training", [make_record("training", start_date="2024-04-05", end_date=None)])
    assert count(database, "training") == 2


# --- update and delete ------------------------------------------------------------------------
def test_update_replaces_every_field(database: Database, make_record: MakeRecord) -> None:
    [record_id] = add(database, "training", [make_record("training", notes="ghi chú cũ")])
    changed = make_record(
        "training",
        title="Tập huấn cán bộ truyền thanh",
        participants=60,
        places=[OTHER_COMMUNE],
        notes=None,
        status="confirmed",
    )
    with database.session() as session:
        update_record(session, _context(session, database), "training", record_id, changed)

    stored = get(database, "training", record_id)
    assert stored["title"] == "Tập huấn cán bộ truyền thanh"
    assert stored["participants"] == 60
    assert stored["places"] == [OTHER_COMMUNE]
    assert stored["notes"] is None
    assert stored["status"] == "confirmed"
    assert count(database, "training", RecordQuery(search="truyen thanh")) == 1
    assert count(database, "training", RecordQuery(search="lao bao")) == 0


def test_bad_update_leaves_the_record_unchanged(
    database: Database, make_record: MakeRecord
) -> None:
    [record_id] = add(database, "training", [make_record("training")])
    before = get(database, "training", record_id)
    bad = make_record("training", title="Tên mới", participants=60, participants_female=70)

    def update() -> None:
        with database.session() as session:
            update_record(session, _context(session, database), "training", record_id, bad)

    error = rejected(update)
    assert {(p.field, p.code) for p in error.problems} == {
        ("participants_female", "part_above_total")
    }
    assert get(database, "training", record_id) == before


def test_updating_a_record_into_a_duplicate_of_another_is_a_warning(
    database: Database, make_record: MakeRecord
) -> None:
    first, second = add(
        database, "training", [make_record("training"), make_record("training", title="Lớp khác")]
    )
    with database.session() as session:  # a record is never a duplicate of itself
        update_record(
            session,
            _context(session, database),
            "training",
            first,
            make_record("training", participants=55),
        )

    def update() -> None:
        with database.session() as session:
            update_record(
                session, _context(session, database), "training", second, make_record("training")
            )

    assert rejected(update).only_warnings
    assert get(database, "training", second)["title"] == "Lớp khác"


def test_updating_a_missing_record_is_not_found(
    database: Database, make_record: MakeRecord
) -> None:
    with database.session() as session, pytest.raises(NotFoundError, match="42"):
        update_record(session, _context(session, database), "training", 42, make_record("training"))


def test_delete_removes_the_record_and_its_places(
    database: Database, make_record: MakeRecord
) -> None:
    kept, gone = add(
        database,
        "training",
        [
            make_record("training", title="Lớp giữ lại"),
            make_record("training", title="Lớp bị xóa", places=[LAO_BAO, OTHER_COMMUNE]),
        ],
    )
    with database.session() as session:
        delete_record(session, "training", gone)

    with database.session() as session:
        with pytest.raises(NotFoundError):
            get_record(session, "training", gone)
        places_left = session.scalar(
            select(func.count()).select_from(ActivityPlace).where(ActivityPlace.activity_id == gone)
        )
        kind_rows_left = session.scalar(
            select(func.count()).select_from(TrainingClass).where(TrainingClass.id == gone)
        )
    assert places_left == 0 and kind_rows_left == 0
    assert count(database, "training") == 1
    assert get(database, "training", kept)["places"] == [LAO_BAO]


def test_deleting_a_missing_record_is_not_found(database: Database) -> None:
    with database.session() as session, pytest.raises(NotFoundError):
        delete_record(session, "training", 999)


def test_record_of_one_kind_is_not_found_as_another_kind(
    database: Database, make_record: MakeRecord
) -> None:
    [record_id] = add(database, "training", [make_record("training")])
    with database.session() as session, pytest.raises(NotFoundError):
        get_record(session, "event", record_id)


# --- search, filters, order, pages ------------------------------------------------------------
@pytest.fixture
def trainings(database: Database, make_record: MakeRecord) -> Database:
    add(
        database,
        "training",
        [
            make_record(
                "training",
                title="Tập huấn tại Trung tâm Đức Phổ",
                start_date="2024-02-01",
                end_date=None,
                places=[OTHER_COMMUNE],
            ),
            make_record(
                "training",
                title="Bồi dưỡng cán bộ truyền thanh",
                start_date="2024-05-20",
                end_date=None,
                places=[LAO_BAO],
            ),
            make_record(
                "training",
                title="Tập huấn kỹ năng số",
                start_date="2024-08-12",
                end_date=None,
                places=[OTHER_COMMUNE],
            ),
            make_record(
                "training",
                title="Ánh sáng thông tin vùng biên",
                start_date="2023-12-31",
                end_date=None,
                places=[OLD_TAN_THANH],
            ),
            make_record(
                "training",
                title="Dân tộc thiểu số và truyền thông",
                program="DTTS21.DA10.TDA1.ND1",
                start_date="2025-09-10",
                end_date=None,
                places=[LAO_BAO],
            ),
        ],
    )
    return database


def test_search_without_diacritics_finds_d_stroke(trainings: Database) -> None:
    assert titles(trainings, "training", RecordQuery(search="duc")) == [
        "Tập huấn tại Trung tâm Đức Phổ"
    ]


def test_search_finds_records_by_the_name_of_their_place(trainings: Database) -> None:
    found = titles(trainings, "training", RecordQuery(search="lao bao"))
    assert found == ["Bồi dưỡng cán bộ truyền thanh", "Dân tộc thiểu số và truyền thông"]


def test_every_search_word_must_match(trainings: Database) -> None:
    assert titles(trainings, "training", RecordQuery(search="truyen lao")) == [
        "Bồi dưỡng cán bộ truyền thanh",
        "Dân tộc thiểu số và truyền thông",
    ]
    assert titles(trainings, "training", RecordQuery(search="TRUYỀN thanh Lao Bảo")) == [
        "Bồi dưỡng cán bộ truyền thanh"
    ]
    assert titles(trainings, "training", RecordQuery(search="duc lao")) == []


def test_period_keeps_records_starting_in_it(trainings: Database) -> None:
    first_half = titles(trainings, "training", RecordQuery(period=parse_period("2024-H1")))
    assert first_half == ["Tập huấn tại Trung tâm Đức Phổ", "Bồi dưỡng cán bộ truyền thanh"]
    assert count(trainings, "training", RecordQuery(period=parse_period("2024"))) == 3
    assert count(trainings, "training", RecordQuery(period=parse_period("2023-Q4"))) == 1


def test_program_filter_includes_sub_nodes(trainings: Database) -> None:
    assert count(trainings, "training", RecordQuery(program="GNBV21")) == 4
    assert count(trainings, "training", RecordQuery(program="GNBV21.DA6.TDA1")) == 4
    assert titles(trainings, "training", RecordQuery(program="DTTS21")) == [
        "Dân tộc thiểu số và truyền thông"
    ]
    assert count(trainings, "training", RecordQuery(program="GNBV21.DA6.TDA2")) == 0


def test_current_commune_also_finds_records_of_its_legacy_communes(
    trainings: Database, catalog: Any
) -> None:
    found = titles(trainings, "training", RecordQuery(place=LAO_BAO), catalog)
    assert found == [
        "Ánh sáng thông tin vùng biên",
        "Bồi dưỡng cán bộ truyền thanh",
        "Dân tộc thiểu số và truyền thông",
    ]
    legacy_only = titles(trainings, "training", RecordQuery(place=OLD_TAN_THANH), catalog)
    assert legacy_only == ["Ánh sáng thông tin vùng biên"]


def test_province_place_filter_finds_records_in_all_its_communes(
    trainings: Database, catalog: Any
) -> None:
    with trainings.session() as session:
        assert count_records(session, "training", RecordQuery(place="44"), catalog) == 5
        assert count_records(session, "training", RecordQuery(place="01"), catalog) == 0


def test_sorting_by_title_follows_vietnamese_order(trainings: Database) -> None:
    ascending = titles(trainings, "training", RecordQuery(sort="title"))
    assert ascending == [
        "Ánh sáng thông tin vùng biên",
        "Bồi dưỡng cán bộ truyền thanh",
        "Dân tộc thiểu số và truyền thông",
        "Tập huấn kỹ năng số",
        "Tập huấn tại Trung tâm Đức Phổ",
    ]
    assert ascending == sorted(ascending, key=sort_key)
    descending = titles(trainings, "training", RecordQuery(sort="title", descending=True))
    assert descending == list(reversed(ascending))


def test_sorting_by_title_puts_d_stroke_after_d(
    database: Database, make_record: MakeRecord
) -> None:
    names = ["Đường dây nóng", "Dân vận", "Ấp Bắc", "Ăn ở", "An toàn"]
    add(database, "training", [make_record("training", title=n) for n in names])
    assert titles(database, "training", RecordQuery(sort="title")) == [
        "An toàn",
        "Ăn ở",
        "Ấp Bắc",
        "Dân vận",
        "Đường dây nóng",
    ]


def test_default_order_is_by_start_date(trainings: Database) -> None:
    with trainings.session() as session:
        starts = [r.start_date for r in list_records(session, "training", RecordQuery())]
    assert starts == sorted(starts)


def test_pages_follow_the_sort_order(trainings: Database) -> None:
    everything = titles(trainings, "training", RecordQuery(sort="title", limit=None))
    page = titles(trainings, "training", RecordQuery(sort="title", offset=2, limit=2))
    assert page == everything[2:4]
    last = titles(trainings, "training", RecordQuery(sort="title", offset=4, limit=2))
    assert last == everything[4:]
    assert count(trainings, "training", RecordQuery(sort="title", offset=2, limit=2)) == 5


def test_sorting_by_an_unknown_field_is_refused(trainings: Database) -> None:
    with pytest.raises(ValueError, match="cannot sort"):
        titles(trainings, "training", RecordQuery(sort="hamlets"))


# --- evidence ---------------------------------------------------------------------------------
def _evidence_files(database: Database) -> list[Path]:
    root = database.path.with_name(database.path.name + ".evidence")
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_evidence_file_is_stored_by_its_content_beside_the_database(
    database: Database, make_record: MakeRecord, tmp_path: Path
) -> None:
    photo = tmp_path / "diem-danh.jpg"
    photo.write_bytes(b"\xff\xd8 attendance list of 50 people")
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()

    [record_id] = add(
        database, "training", [make_record("training", evidence=[{"path": str(photo)}])]
    )

    stored = database.path.with_name(database.path.name + ".evidence") / sha[:2] / sha
    assert _evidence_files(database) == [stored]
    assert stored.read_bytes() == photo.read_bytes()
    assert get(database, "training", record_id)["evidence"] == [
        {"sha256": sha, "name": "diem-danh.jpg"}
    ]
    photo.unlink()  # the record keeps its evidence when the original is gone
    assert stored.is_file()


def test_same_content_in_two_records_is_stored_once(
    database: Database, make_record: MakeRecord, tmp_path: Path
) -> None:
    first, second = tmp_path / "anh-1.jpg", tmp_path / "anh-2.jpg"
    first.write_bytes(b"the same photo")
    second.write_bytes(b"the same photo")

    add(
        database,
        "training",
        [
            make_record("training", evidence=[{"path": str(first)}]),
            make_record("training", title="Lớp 2", evidence=[{"path": str(second)}]),
        ],
    )

    assert len(_evidence_files(database)) == 1
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(EvidenceFile)) == 1
        assert session.scalar(select(func.count()).select_from(ActivityEvidence)) == 2


def test_same_content_twice_in_one_record_is_stored_once(
    database: Database, make_record: MakeRecord, tmp_path: Path
) -> None:
    first, second = tmp_path / "bien-ban.pdf", tmp_path / "bien-ban-copy.pdf"
    first.write_bytes(b"%PDF minutes of the class")
    second.write_bytes(b"%PDF minutes of the class")
    sha = hashlib.sha256(first.read_bytes()).hexdigest()

    [record_id] = add(
        database,
        "training",
        [make_record("training", evidence=[{"path": str(first)}, {"path": str(second)}])],
    )

    assert len(_evidence_files(database)) == 1
    assert [e["sha256"] for e in get(database, "training", record_id)["evidence"]] == [sha]


def test_listed_evidence_reference_can_be_given_back_by_hash(
    database: Database, make_record: MakeRecord, tmp_path: Path
) -> None:
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(b"photo")
    [first] = add(database, "training", [make_record("training", evidence=[{"path": str(photo)}])])
    reference = get(database, "training", first)["evidence"]
    [second] = add(
        database, "training", [make_record("training", title="Lớp 2", evidence=reference)]
    )
    assert get(database, "training", second)["evidence"] == reference


def test_unknown_evidence_hash_is_rejected(database: Database, make_record: MakeRecord) -> None:
    data = make_record("training", evidence=[{"sha256": "0" * 64}])
    error = rejected(lambda: add(database, "training", [data]))
    assert {(p.field, p.code) for p in error.problems} == {("evidence", "unknown_evidence")}
    assert count(database, "training") == 0


def test_single_add_returns_the_new_id(database: Database, make_record: MakeRecord) -> None:
    with database.session() as session:
        record_id = add_record(session, _context(session, database), "event", make_record("event"))
    assert get(database, "event", record_id)["event_type"] == "policy_dialogue"
