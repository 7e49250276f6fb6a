"""The record services and the periods' approvals write in plain SQL (issue 15): ``ctmt
add``, ``delete``, ``approve`` and ``reopen`` never import SQLAlchemy, and what they store is
what the ORM stores and reads.

- the values are stored as SQLAlchemy's SQLite types store them (datetimes with their
  microseconds, dates, booleans, JSON), so the ORM reads them back unchanged;
- the defaults of retired fields are the models' defaults, and an update keeps their old
  stored values;
- under an ORM session, the write shares its transaction and the session sees the change
  (a deleted record is gone, an updated one has its new values);
- :func:`~ctmt_desktop.db.writing` commits a block that ends normally, keeps nothing of one
  that fails, and refuses what :func:`~ctmt_desktop.db.open_database` refuses.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ctmt_desktop import audit
from ctmt_desktop.db import Database, open_database, writing
from ctmt_desktop.db.models import MODEL_OF_KIND, Activity, AuditEntry
from ctmt_desktop.db.storage import datetime_text, insert_row, sql_value
from ctmt_desktop.errors import NotFoundError, StorageError
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.services.approval import get_approval
from ctmt_desktop.services.records import (
    add_record,
    delete_record,
    get_record,
    load_records,
    record_context,
    record_to_dict,
    update_record,
)

ROOT = Path(__file__).resolve().parent.parent


def _probe(database: Database, tmp_path: Path, record: dict[str, Any]) -> list[str]:
    source = tmp_path / "record.json"
    source.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    probe = (
        "import sys; from ctmt_desktop.cli import main; "
        f"db = {str(database.path)!r}; "
        f"code = main(['add', 'training', '--json', {str(source)!r}, '--db', db]); "
        "code2 = main(['delete', 'training', '1', '--db', db]); "
        "code3 = main(['approve', '--period', '2030', '--db', db]); "
        "code4 = main(['reopen', '--period', '2030', '--reason', 'sửa số liệu', '--db', db]); "
        "loaded = {n.split('.')[0] for n in sys.modules}; "
        "print(code, code2, code3, code4, sorted(loaded & {'sqlalchemy', 'alembic', 'argon2'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "CTMT_LANG": "en"},
    )
    return done.stdout.strip().splitlines()


def test_ctmt_add_delete_approve_and_reopen_import_no_orm(
    database: Database, make_record: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    database.close()  # the commands take the single-instance lock
    assert _probe(database, tmp_path, make_record("training"))[-1] == "0 0 0 0 []"
    with closing(sqlite3.connect(database.path)) as connection:
        actions = connection.execute("SELECT action FROM audit_entry ORDER BY id").fetchall()
        assert connection.execute("SELECT count(*) FROM activity").fetchone() == (0,)
    assert actions[-4:] == [("create",), ("delete",), ("approve",), ("reopen",)]
    reopened = open_database(database.path)
    try:
        with reopened.session() as session:
            approval = get_approval(session, "2030")
            entries = audit.list_entries(session, action="reopen")
    finally:
        reopened.close()
    assert approval is not None and approval.status == "reopened" and not approval.locked
    assert approval.reopen_reason == "sửa số liệu" and approval.approved_at <= datetime.now()
    assert entries[0].before["status"] == "approved" and entries[0].after["status"] == "reopened"


def test_a_command_is_refused_while_the_app_holds_the_database(
    database: Database, make_record: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    lines = _probe(database, tmp_path, make_record("training"))  # the fixture holds the lock
    assert lines[-1] == "1 1 1 1 []"
    with database.session() as session:
        assert session.scalar(select(Activity.id)) is None


@pytest.mark.parametrize(
    "moment",
    [datetime(2024, 5, 1, 8, 30, 0, 0), datetime(2025, 12, 31, 23, 59, 59, 123456)],
    ids=["whole second", "microseconds"],
)
def test_datetimes_are_stored_as_the_orm_stores_them(database: Database, moment: datetime) -> None:
    with database.session() as session:
        entry = audit.record(session, "lan", "settings", summary="orm", at=moment)
        orm_id = entry.id
    with writing(database.path, exclusive=False) as connection:
        plain_id = insert_row(
            connection,
            "audit_entry",
            {
                "at": moment,
                "username": "lan",
                "action": "settings",
                "summary": "plain",
                "search_key": "",
            },
        )
        stored = dict(connection.execute("SELECT id, at FROM audit_entry").fetchall())
    assert stored[plain_id] == stored[orm_id] == datetime_text(moment)
    with database.session() as session:
        assert session.get(AuditEntry, plain_id).at == moment


def test_plain_values_are_the_columns_values() -> None:
    assert sql_value(date(2024, 1, 5)) == "2024-01-05"
    assert sql_value(True) == 1 and sql_value(False) == 0
    assert sql_value(None) is None and sql_value("Lớp") == "Lớp" and sql_value(7) == 7


def test_every_kind_written_in_plain_sql_reads_back_through_the_orm(
    database: Database, make_record: Callable[..., dict[str, Any]]
) -> None:
    with database.session() as session:
        context = record_context(session, database.path, user="lan")
        ids = {kind: add_record(session, context, kind, make_record(kind)) for kind in KIND_CODES}
    with database.session() as session:
        for kind, record_id in ids.items():
            [record] = load_records(session, kind, [record_id])
            assert isinstance(record, MODEL_OF_KIND[kind])
            assert record_to_dict(record) == get_record(session, kind, record_id)
            assert record.search_key and record.title_sort and record.place_names
    with closing(sqlite3.connect(database.path)) as connection:
        retired = dict(
            connection.execute(
                "SELECT kind, funding_source || '/' || cost FROM activity "
                "WHERE kind IN ('criterion', 'cluster')"
            ).fetchall()
        )
    assert retired["criterion"] == "/0"  # the models' defaults
    assert retired["cluster"].endswith("/0")


def test_an_update_keeps_the_stored_values_of_retired_fields(
    database: Database, make_record: Callable[..., dict[str, Any]]
) -> None:
    with database.session() as session:
        context = record_context(session, database.path, user="lan")
        record_id = add_record(session, context, "criterion", make_record("criterion"))
    with closing(sqlite3.connect(database.path)) as connection, connection:
        connection.execute(
            "UPDATE activity SET funding_source = 'NSTW', cost = 5000000 WHERE id = ?",
            (record_id,),
        )
    with database.session() as session:
        context = record_context(session, database.path, user="lan")
        update_record(
            session, context, "criterion", record_id, make_record("criterion", title="Đạt")
        )
    with closing(sqlite3.connect(database.path)) as connection:
        row = connection.execute(
            "SELECT title, funding_source, cost FROM activity WHERE id = ?", (record_id,)
        ).fetchone()
    assert row == ("Đạt", "NSTW", 5000000)


def test_the_session_sees_what_was_written_under_it(
    database: Database, make_record: Callable[..., dict[str, Any]]
) -> None:
    with database.session() as session:
        context = record_context(session, database.path, user="lan")
        record_id = add_record(session, context, "training", make_record("training"))
        model = MODEL_OF_KIND["training"]
        record = session.get(model, record_id)
        assert record is not None and record.participants == 50
        changed = make_record("training", participants=60, title="Lớp đã sửa")
        update_record(session, context, "training", record_id, changed)
        assert record.participants == 60 and record.title == "Lớp đã sửa"  # read again
        delete_record(session, "training", record_id, context=context)
        assert session.get(model, record_id) is None
        with pytest.raises(NotFoundError):
            get_record(session, "training", record_id)


def test_a_failed_block_keeps_nothing(
    database: Database, make_record: Callable[..., dict[str, Any]]
) -> None:
    with pytest.raises(RuntimeError), writing(database.path, exclusive=False) as connection:
        context = record_context(connection, database.path, user="lan")
        add_record(connection, context, "training", make_record("training"))
        assert connection.execute("SELECT count(*) FROM activity").fetchone() == (1,)
        raise RuntimeError("power cut")
    with writing(database.path, exclusive=False) as connection:
        assert connection.execute("SELECT count(*) FROM activity").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM audit_entry").fetchone() == (1,)
        context = record_context(connection, database.path, user="lan")
        add_record(connection, context, "training", make_record("training"))
    with database.session() as session:
        assert session.scalar(select(Activity.title)) == make_record("training")["title"]


def test_writing_refuses_what_opening_refuses(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no database file"), writing(tmp_path / "none.db"):
        pass
    foreign = tmp_path / "foreign.sqlite3"
    with closing(sqlite3.connect(foreign)) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(StorageError, match="not a CTMT database"), writing(foreign):
        pass
    current = tmp_path / "ctmt.sqlite3"
    open_database(current).close()
    with writing(current) as connection:
        assert connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.in_transaction
