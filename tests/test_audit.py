"""The audit trail: one entry per action with the right before and after, append-only at the
SQL level, filters for the audit page, and a period's entries for its package."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import delete, text, update
from sqlalchemy.exc import IntegrityError

from ctmt_desktop import accounts, audit
from ctmt_desktop.accounts import Actor
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.db.models import AuditEntry
from ctmt_desktop.demo import generate_demo
from ctmt_desktop.errors import ValidationError
from ctmt_desktop.kinds import kind_spec
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import (
    add_record,
    add_records,
    delete_record,
    get_record,
    insert_validated,
    record_context,
    update_record,
    validate_batch,
)
from ctmt_desktop.services.targets import TargetData, delete_target, set_target

MakeRecord = Callable[..., dict[str, Any]]
LAN = Actor("lan", "entry")


def all_entries(database: Database) -> list[AuditEntry]:
    with database.session() as session:
        return list(reversed(audit.list_entries(session, limit=None)))


def new_entries(database: Database, since_id: int) -> list[AuditEntry]:
    return [e for e in all_entries(database) if e.id > since_id]


def last_id(database: Database) -> int:
    entries = all_entries(database)
    return entries[-1].id if entries else 0


def add(database: Database, record: dict[str, Any], actor: Actor | None = LAN) -> int:
    with database.session() as session:
        context = record_context(session, database.path, actor=actor)
        return add_record(session, context, "training", record)


def stored(database: Database, record_id: int) -> dict[str, Any]:
    with database.session() as session:
        return audit.jsonable(get_record(session, "training", record_id))


# --- records ---------------------------------------------------------------------------------
def test_adding_a_record_leaves_one_create_entry_with_the_record_after(
    database: Database, make_record: MakeRecord
) -> None:
    mark = last_id(database)
    record_id = add(database, make_record("training"))
    [entry] = new_entries(database, mark)
    assert (entry.action, entry.kind, entry.entity_id) == ("create", "training", str(record_id))
    assert (entry.username, entry.role, entry.period) == ("lan", "entry", "2024-Q1")
    assert entry.before is None
    assert entry.after == stored(database, record_id)
    assert entry.after["title"] == "Tập huấn kỹ năng thông tin cơ sở"
    assert "Tập huấn kỹ năng" in entry.summary


def test_updating_a_record_keeps_the_values_before_and_after(
    database: Database, make_record: MakeRecord
) -> None:
    record_id = add(database, make_record("training"))
    before = stored(database, record_id)
    mark = last_id(database)
    with database.session() as session:
        context = record_context(session, database.path, actor=LAN)
        changed = make_record(
            "training", participants=70, start_date="2024-07-01", end_date="2024-07-02"
        )
        update_record(session, context, "training", record_id, changed)
    [entry] = new_entries(database, mark)
    assert entry.action == "update" and entry.entity_id == str(record_id)
    assert entry.before == before
    assert entry.after == stored(database, record_id)
    assert (entry.before["participants"], entry.after["participants"]) == (50, 70)
    assert entry.period == "2024-Q3"


def test_deleting_a_record_keeps_the_record_as_it_was(
    database: Database, make_record: MakeRecord
) -> None:
    record_id = add(database, make_record("training"))
    before = stored(database, record_id)
    mark = last_id(database)
    with database.session() as session:
        delete_record(session, "training", record_id, actor=LAN)
    [entry] = new_entries(database, mark)
    assert (entry.action, entry.before, entry.after) == ("delete", before, None)
    assert entry.username == "lan"


def test_without_an_actor_the_context_user_is_recorded(
    database: Database, make_record: MakeRecord
) -> None:
    mark = last_id(database)
    with database.session() as session:
        context = record_context(session, database.path, user="tester")
        record_id = add_record(session, context, "training", make_record("training"))
        delete_record(session, "training", record_id, context=context)
    assert [(e.action, e.username, e.role) for e in new_entries(database, mark)] == [
        ("create", "tester", None),
        ("delete", "tester", None),
    ]


def test_a_batch_typed_in_leaves_one_create_entry_per_record(
    database: Database, make_record: MakeRecord
) -> None:
    items = [make_record("training", title=f"Lớp số {n}") for n in range(5)]
    mark = last_id(database)
    with database.session() as session:
        ids = add_records(session, record_context(session, database.path), "training", items)
    created = new_entries(database, mark)
    assert [e.entity_id for e in created] == [str(i) for i in ids]
    assert {e.action for e in created} == {"create"}


def test_an_import_leaves_one_entry_with_the_count_and_ids(
    database: Database, make_record: MakeRecord
) -> None:
    items = [make_record("training", title=f"Lớp số {n}") for n in range(30)]
    mark = last_id(database)
    with database.session() as session:
        context = record_context(session, database.path, actor=LAN)
        ids = add_records(
            session, context, "training", items, audit_action="import", audit_summary="lop.xlsx"
        )
    [entry] = new_entries(database, mark)
    assert (entry.action, entry.kind, entry.period) == ("import", "training", "2024-Q1")
    assert entry.after == {"count": 30, "ids": ids, "source": "lop.xlsx"}
    assert entry.summary == "30 training records imported: lop.xlsx"


def test_demo_data_is_audited_as_imports(database: Database, catalog: Catalog) -> None:
    mark = last_id(database)
    counts = generate_demo(database, records=300, catalog=catalog)
    imports = new_entries(database, mark)
    assert {e.action for e in imports} == {"import"}
    assert sum(e.after["count"] for e in imports) == sum(counts.values()) == 300


def test_bulk_insert_can_audit_each_record(database: Database, make_record: MakeRecord) -> None:
    mark = last_id(database)
    with database.session() as session:
        context = record_context(session, database.path)
        clean = validate_batch(session, context, "training", [make_record("training")])
        [record_id] = insert_validated(
            session, context, kind_spec("training"), clean, audit_action="create"
        )
    [entry] = new_entries(database, mark)
    assert entry.action == "create" and entry.after == stored(database, record_id)


def test_a_rejected_or_rolled_back_change_leaves_no_entry(
    database: Database, make_record: MakeRecord
) -> None:
    mark = last_id(database)
    with pytest.raises(ValidationError), database.session() as session:
        context = record_context(session, database.path)
        add_record(session, context, "training", make_record("training", participants=-1))
    with pytest.raises(RuntimeError), database.session() as session:
        context = record_context(session, database.path)
        add_record(session, context, "training", make_record("training"))
        raise RuntimeError("power cut")
    assert new_entries(database, mark) == []


def test_record_ids_are_never_reused_after_a_delete(
    database: Database, make_record: MakeRecord
) -> None:
    first = add(database, make_record("training", title="Lớp một"))
    last = add(database, make_record("training", title="Lớp hai"))
    with database.session() as session:
        delete_record(session, "training", last)
    again = add(database, make_record("training", title="Lớp ba"))
    assert first < last < again


# --- profile, targets, accounts --------------------------------------------------------------
def test_a_profile_change_keeps_the_old_and_new_profile(
    database: Database, catalog: Catalog
) -> None:
    mark = last_id(database)
    with database.session() as session:
        set_profile(
            session,
            ProfileData("Sở Văn hóa và Thể thao", "44", valid_from=date(2025, 7, 1)),
            catalog,
            user="admin",
        )
    [entry] = new_entries(database, mark)
    assert (entry.action, entry.kind, entry.username) == ("profile", "profile", "admin")
    assert entry.before["name"] == "Sở Văn hóa, Thể thao và Du lịch"
    assert entry.before["valid_to"] is None
    assert entry.after["name"] == "Sở Văn hóa và Thể thao"
    assert entry.after["valid_from"] == "2025-07-01"


def test_setting_changing_and_deleting_a_target_leave_one_entry_each(
    database: Database, catalog: Catalog
) -> None:
    data = TargetData("GNBV21", "training_participants", "2024", 500)
    mark = last_id(database)
    with database.session() as session:
        target = set_target(session, catalog, "44", data, user="lan")
    with database.session() as session:
        set_target(
            session, catalog, "44", TargetData(**{**data.__dict__, "value": 650}), user="lan"
        )
    with database.session() as session:
        delete_target(session, target.id, user="lan")
    created, changed, deleted = new_entries(database, mark)
    assert {e.action for e in (created, changed, deleted)} == {"target"}
    assert created.before is None and created.after["value"] == 500
    assert (changed.before["value"], changed.after["value"]) == (500, 650)
    assert deleted.before["value"] == 650 and deleted.after is None
    assert deleted.entity_id == str(target.id)


def test_each_account_action_leaves_one_entry(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
    admin = Actor("admin", "admin")
    steps: list[tuple[str, Callable[[Any], object]]] = [
        ("account_create", lambda s: accounts.create_user(s, "admin", "Quan-tri-1", role="admin")),
        ("account_create", lambda s: accounts.create_user(s, "lan", "Nhap-lieu-1", actor=admin)),
        ("account_update", lambda s: accounts.set_role(s, admin, "lan", "approver")),
        ("password_reset", lambda s: accounts.reset_password(s, admin, "lan", "Tam-thoi-1")),
        ("login", lambda s: accounts.authenticate(s, "lan", "Tam-thoi-1")),
        (
            "password_change",
            lambda s: accounts.change_password(s, "lan", "Tam-thoi-1", "Rieng-tu-1"),
        ),
        ("logout", lambda s: accounts.logout(s, Actor("lan", "approver"))),
        ("account_update", lambda s: accounts.deactivate(s, admin, "lan")),
    ]
    recorded = []
    for action, step in steps:
        mark = last_id(database)
        with database.session() as session:
            step(session)
        [entry] = new_entries(database, mark)
        assert entry.action == action
        recorded.append(entry)
    role_change, reset = recorded[2], recorded[3]
    assert (role_change.before["role"], role_change.after["role"]) == ("entry", "approver")
    assert (reset.username, reset.entity_id, reset.after["must_change_password"]) == (
        "admin",
        "lan",
        True,
    )
    assert recorded[-1].after["active"] is False
    mark = last_id(database)
    with pytest.raises(accounts.AuthenticationError), database.session() as session:
        accounts.authenticate(session, "lan", "Rieng-tu-1")
    [failed] = new_entries(database, mark)
    assert failed.action == "login_failed" and failed.after == {"reason": "account deactivated"}


# --- append-only -----------------------------------------------------------------------------
def test_the_audit_table_refuses_update_and_delete_in_sql(
    database: Database, make_record: MakeRecord
) -> None:
    add(database, make_record("training"))
    count = len(all_entries(database))
    with closing(sqlite3.connect(database.path)) as connection:
        for statement in (
            "UPDATE audit_entry SET username = 'someone else'",
            "DELETE FROM audit_entry",
        ):
            with pytest.raises(sqlite3.DatabaseError) as caught:
                connection.execute(statement)
            assert "append-only" in str(caught.value)
    for statement in (update(AuditEntry).values(summary="x"), delete(AuditEntry)):
        with pytest.raises(IntegrityError), database.session() as session:
            session.execute(statement)
    assert len(all_entries(database)) == count
    assert {e.username for e in all_entries(database)} != {"someone else"}


def test_the_append_only_triggers_exist_in_the_schema(database: Database) -> None:
    with database.session() as session:
        triggers = session.execute(
            text("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_entry'")
        ).scalars()
        assert set(triggers) == {"audit_entry_no_update", "audit_entry_no_delete"}


# --- reading ---------------------------------------------------------------------------------
def _fill(database: Database) -> None:
    with database.session() as session:
        for at, who, action, kind, entity, summary in [
            (datetime(2026, 1, 5, 9), "lan", "create", "training", 1, "Lớp Hướng Hóa"),
            (datetime(2026, 1, 6, 9), "lan", "update", "training", 1, "Lớp Hướng Hóa"),
            (datetime(2026, 1, 7, 9), "hoa", "approve", "period", "2025-H2", "Duyệt 2025-H2"),
            (datetime(2026, 1, 8, 9), "admin", "login", "account", "admin", "đăng nhập"),
            (datetime(2026, 1, 9, 9), "lan", "delete", "event", 7, "Đối thoại Đắk Lắk"),
        ]:
            audit.record(session, who, action, kind=kind, entity_id=entity, summary=summary, at=at)


def test_filters_of_the_audit_page(database: Database) -> None:
    mark = last_id(database)
    _fill(database)
    with database.session() as session:

        def actions(**filters: Any) -> list[str]:
            found = audit.list_entries(session, **filters)
            assert audit.count_entries(session, **filters) == len(found)
            return [e.action for e in found if e.id > mark]

        assert actions(user="lan") == ["delete", "update", "create"]
        assert actions(action="approve") == ["approve"]
        assert actions(action=["create", "delete"]) == ["delete", "create"]
        assert actions(kind="training", entity_id=1) == ["update", "create"]
        assert actions(since=date(2026, 1, 6), until=date(2026, 1, 8)) == [
            "login",
            "approve",
            "update",
        ]
        assert actions(since=datetime(2026, 1, 6, 10)) == ["delete", "login", "approve"]
        assert actions(search="huong hoa") == ["update", "create"]
        assert actions(search="DAK LAK") == ["delete"]
        assert actions(search="duyet 2025") == ["approve"]
        page = audit.list_entries(session, user="lan", offset=1, limit=1)
        assert [e.action for e in page] == ["update"]


def test_values_are_stored_as_json(database: Database) -> None:
    with database.session() as session:
        entry = audit.record(
            session,
            "lan",
            "update",
            before={"day": date(2024, 3, 5), "cost": Decimal("45000000"), "rate": Decimal("0.5")},
            after={"at": datetime(2024, 3, 5, 8, 30), "codes": ("a", "b"), "set": {2, 1}},
        )
    with closing(sqlite3.connect(database.path)) as connection:
        raw = connection.execute(
            "SELECT before, after FROM audit_entry WHERE id = ?", (entry.id,)
        ).fetchone()
    assert raw == (
        '{"day": "2024-03-05", "cost": 45000000, "rate": "0.5"}',
        '{"at": "2024-03-05T08:30:00", "codes": ["a", "b"], "set": [1, 2]}',
    )


def test_unknown_action_shapes_are_refused(database: Database) -> None:
    with pytest.raises(ValueError), database.session() as session:
        audit.record(session, "lan", "Drop Table")


# --- a period's entries ----------------------------------------------------------------------
def test_a_periods_entries_follow_its_records_wherever_they_went(
    database: Database, make_record: MakeRecord
) -> None:
    march = add(database, make_record("training", title="Lớp tháng ba"))
    moved = add(database, make_record("training", title="Lớp dời sang quý ba"))
    gone = add(database, make_record("training", title="Lớp đã xóa"))
    autumn = add(
        database,
        make_record(
            "training", title="Lớp mùa thu", start_date="2024-09-02", end_date="2024-09-03"
        ),
    )
    with database.session() as session:
        context = record_context(session, database.path)
        update_record(
            session,
            context,
            "training",
            moved,
            make_record(
                "training",
                title="Lớp dời sang quý ba",
                start_date="2024-08-01",
                end_date="2024-08-02",
            ),
        )
        delete_record(session, "training", gone)
        imported = add_records(
            session,
            context,
            "training",
            [make_record("training", title=f"Nhập {n}") for n in range(3)],
            audit_action="import",
        )

    with database.session() as session:
        first_half = audit.entries_for_period(session, "2024-H1")
        second_half = audit.entries_for_period(session, "2024-Q3")
        year = audit.entries_for_period(session, "2024")
        other = audit.entries_for_period(session, "2023")

    def about(entries: list[AuditEntry]) -> list[tuple[str, str | None]]:
        return [(e.action, e.entity_id) for e in entries]

    assert about(first_half) == [
        ("create", str(march)),
        ("create", str(moved)),
        ("create", str(gone)),
        ("update", str(moved)),  # it left the period: the move is part of the period's story
        ("delete", str(gone)),
        ("import", None),
    ]
    assert about(second_half) == [
        ("create", str(moved)),
        ("create", str(autumn)),
        ("update", str(moved)),
    ]
    assert len(year) == 7 and other == []
    assert first_half[-1].after["ids"] == imported
    json_ready = [audit.entry_to_dict(e) for e in first_half]
    assert json_ready[0]["after"]["title"] == "Lớp tháng ba"
