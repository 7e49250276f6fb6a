"""The fast paths (issue 15): what they skip must not change what they answer.

- the head revision read from the migration files as text is Alembic's own, for the
  department's database and the ministry's store, and opening a current database never
  imports Alembic;
- ``ctmt list`` reads through :func:`~ctmt_desktop.db.reading` without importing SQLAlchemy,
  and refuses what :func:`~ctmt_desktop.db.open_database` refuses;
- the read path (:mod:`ctmt_desktop.services.listing`) gives every kind's records as
  ``record_to_dict`` gives the ORM's, through a session or a plain sqlite3 connection, in
  the order and pages of the ORM listing.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from ctmt_desktop import db as db_module
from ctmt_desktop.db import Database, known_revisions, open_database, reading
from ctmt_desktop.db.revisions import script_head, script_revisions
from ctmt_desktop.errors import StorageError
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.ministry import store as store_module
from ctmt_desktop.periods import parse_period
from ctmt_desktop.services import listing
from ctmt_desktop.services.records import (
    RecordQuery,
    add_record,
    list_records,
    load_records,
    ordered_ids,
    record_context,
    record_to_dict,
)

ROOT = Path(__file__).resolve().parent.parent


def _alembic(folder: Path) -> tuple[str | None, set[str]]:
    config = Config()
    config.set_main_option("script_location", str(folder))
    script = ScriptDirectory.from_config(config)
    return script.get_current_head(), {rev.revision for rev in script.walk_revisions()}


@pytest.mark.parametrize(
    "folder", [db_module.MIGRATIONS_DIR, store_module.MIGRATIONS_DIR], ids=["database", "store"]
)
def test_revisions_read_as_text_are_alembics(folder: Path) -> None:
    chain = script_revisions(folder)
    assert chain is not None
    assert (script_head(chain), set(chain)) == _alembic(folder)


def test_known_revisions_follow_the_migrations_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head, known = known_revisions()
    assert (head, known) == _alembic(db_module.MIGRATIONS_DIR)
    later = tmp_path / "migrations"
    (later / "versions").mkdir(parents=True)
    for file in (db_module.MIGRATIONS_DIR / "versions").glob("*.py"):
        (later / "versions" / file.name).write_text(file.read_text(encoding="utf-8"))
    (later / "versions" / "9100_later.py").write_text(
        f"revision: str = \"9100\"\ndown_revision = '{head}'  # the one before\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(db_module, "MIGRATIONS_DIR", later)
    assert known_revisions() == ("9100", known | {"9100"})


def test_a_folder_beyond_the_text_reader_is_left_to_alembic(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a.py").write_text('revision = "a"\ndown_revision = None\n', encoding="utf-8")
    (versions / "b.py").write_text('revision = "b"\ndown_revision = "a"\n', encoding="utf-8")
    (versions / "c.py").write_text('revision = "c"\ndown_revision = "a"\n', encoding="utf-8")
    assert script_head(script_revisions(tmp_path)) is None  # two heads
    (versions / "c.py").write_text('revision = "c"\ndown_revision = ("a", "b")\n')
    assert script_revisions(tmp_path) is None  # a merge


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "ctmt.sqlite3"
    open_database(path).close()
    probe = (
        "import sys; from pathlib import Path; from ctmt_desktop.db import open_database; "
        f"open_database(Path({str(path)!r})).close(); "
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'alembic'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


def test_ctmt_list_imports_neither_sqlalchemy_nor_alembic(database: Database) -> None:
    probe = (
        "import sys; from ctmt_desktop.cli import main; "
        f"code = main(['list', 'training', '--db', {str(database.path)!r}, '--format', 'csv']); "
        "print(code, sorted({n.split('.')[0] for n in sys.modules} & {'sqlalchemy', 'alembic'}))"
    )
    database.close()  # the command takes the single-instance lock
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []"


def test_ctmt_show_imports_neither_sqlalchemy_nor_alembic(database: Database) -> None:
    """The ministry's comments of ``ctmt show`` are read without the ORM too."""
    probe = (
        "import sys; from ctmt_desktop.cli import main; "
        f"code = main(['show', 'training', '424242', '--db', {str(database.path)!r}]); "
        "print(code, sorted({n.split('.')[0] for n in sys.modules} & {'sqlalchemy', 'alembic'}))"
    )
    database.close()
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip().splitlines()[-1] == "1 []"  # not found, answered on sqlite3


#: What a command writing one record has no use for: reports, workbooks, migrations, Qt.
_NOT_FOR_WRITES = {"reportlab", "openpyxl", "xlsxwriter", "alembic", "PySide6"}


def test_ctmt_add_and_delete_import_no_report_workbook_or_migration_machinery(
    database: Database, make_record: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    source = tmp_path / "record.json"
    source.write_text(json.dumps(make_record("training"), ensure_ascii=False), encoding="utf-8")
    probe = (
        "import sys; from ctmt_desktop.cli import main; "
        f"db = {str(database.path)!r}; "
        f"code = main(['add', 'training', '--json', {str(source)!r}, '--db', db]); "
        "code2 = main(['delete', 'training', '1', '--db', db]); "
        "loaded = {n.split('.')[0] for n in sys.modules}; "
        f"print(code, code2, sorted(loaded & {_NOT_FOR_WRITES!r}))"
    )
    database.close()
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip().splitlines()[-1] == "0 0 []"
    with closing(sqlite3.connect(database.path)) as connection:  # added, then deleted
        assert connection.execute("SELECT count(*) FROM activity").fetchone() == (0,)


def test_the_verifier_loads_neither_the_orm_nor_the_report_machinery() -> None:
    """``ctmt verify`` reads a package file: the database's ORM, the reports and workbooks
    are the builder's, not the verifier's (they cost it a third of a second to import)."""
    probe = (
        "import sys; import ctmt_desktop.package.verify, ctmt_desktop.signing.identity; "
        "from ctmt_desktop.package.build import build_package; "
        "loaded = {n.split('.')[0] for n in sys.modules}; "
        "print(sorted(loaded & {'sqlalchemy', 'alembic', 'reportlab', 'openpyxl', 'argon2'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


def test_reading_refuses_what_opening_refuses(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    with pytest.raises(StorageError, match="no database file"), reading(missing):
        pass
    foreign = tmp_path / "foreign.sqlite3"
    with closing(sqlite3.connect(foreign)) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(StorageError, match="not a CTMT database"), reading(foreign):
        pass
    newer = tmp_path / "newer.sqlite3"
    open_database(newer).close()
    with closing(sqlite3.connect(newer)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StorageError, match="newer version"), reading(newer):
        pass
    current = tmp_path / "ctmt.sqlite3"
    open_database(current).close()
    with reading(current) as connection:
        assert connection.execute("SELECT count(*) FROM activity").fetchone() == (0,)


# --- the read path ---------------------------------------------------------------------------
def _fill(database: Database, make_record: Callable[..., dict[str, Any]], folder: Path) -> None:
    photo, scan = folder / "ảnh.jpg", folder / "danh sách.pdf"
    photo.write_bytes(b"\xff\xd8 anh " * 300)
    scan.write_bytes(b"%PDF-1.4 danh sach " * 100)
    with database.session() as session:
        context = record_context(session, database.path, user="lan")
        for kind in KIND_CODES:
            data = make_record(kind)
            if kind in ("training", "event"):
                data["evidence"] = [
                    {"path": str(scan), "name": "b danh sách.pdf"},
                    {"path": str(photo), "name": "a ảnh lớp.jpg"},
                ]
            add_record(session, context, kind, data)
            add_record(session, context, kind, make_record(kind, title=f"Thông tin hai {kind}"))


def test_the_read_path_gives_what_record_to_dict_gives_for_every_kind(
    database: Database, make_record: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    _fill(database, make_record, tmp_path)
    with database.session() as session:
        for kind in KIND_CODES:
            ids = ordered_ids(session, kind, RecordQuery(sort="title", limit=None))
            assert len(ids) == 2
            expected = [record_to_dict(record) for record in load_records(session, kind, ids)]
            assert listing.read_records(session, kind, ids) == expected
            assert listing.read_records(session, kind, [*reversed(ids), 10**9]) == expected[::-1]
    with closing(sqlite3.connect(database.path)) as connection:
        rows = listing.read_records(connection, "training", ordered_ids(connection, "training"))
    assert [ref["name"] for ref in rows[0]["evidence"]] == ["a ảnh lớp.jpg", "b danh sách.pdf"]
    assert all(type(row["start_date"]).__name__ == "date" for row in rows)


@pytest.mark.parametrize(
    "query",
    [
        RecordQuery(),
        RecordQuery(search="thong tin", sort="title", descending=True),
        RecordQuery(sort="participants", limit=1, offset=1),
        RecordQuery(period=parse_period("2024"), sort="places", limit=None),
        RecordQuery(status="draft", sort="updated_at", offset=1, limit=None),
    ],
)
def test_pages_of_dicts_are_the_orm_listings_pages(
    database: Database,
    make_record: Callable[..., dict[str, Any]],
    tmp_path: Path,
    query: RecordQuery,
) -> None:
    _fill(database, make_record, tmp_path)
    with database.session() as session:
        for kind in ("training", "event"):
            orm = [record_to_dict(record) for record in list_records(session, kind, query)]
            assert listing.list_rows(session, kind, query) == orm


def test_ctmt_show_and_count_answer_as_the_orm_does(
    database: Database,
    make_record: Callable[..., dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ctmt_desktop.cli import main
    from ctmt_desktop.cli.common import dump_json
    from ctmt_desktop.services.records import count_records, get_record

    _fill(database, make_record, tmp_path)
    with database.session() as session:
        first = ordered_ids(session, "training")[0]
        # ctmt show adds the ministry's comments on the record (none here), issue 12.
        shown = dump_json({**get_record(session, "training", first), "ministry_comments": []})
        matching = count_records(session, "event", RecordQuery(search="thong tin"))
    database.close()
    capsys.readouterr()
    assert main(["show", "training", str(first), "--db", str(database.path)]) == 0
    assert capsys.readouterr().out == shown + "\n"
    assert main(["show", "media", str(first), "--db", str(database.path)]) == 1
    assert f"no media record with id {first}" in capsys.readouterr().err
    argv = ["list", "event", "--search", "thong tin", "--count", "--db", str(database.path)]
    assert main(argv) == 0
    assert capsys.readouterr().out == f"{matching}\n" and matching == 1


def test_province_name_without_the_units_is_the_units_name() -> None:
    import copy

    from ctmt_desktop.catalog import load_catalog

    catalog = load_catalog()
    fresh = copy.copy(catalog)
    fresh.__dict__.pop("admin", None)
    codes = [unit.code for unit in catalog.admin.provinces()]
    names = {code: fresh.province_name(code) for code in codes}
    assert "admin" not in fresh.__dict__  # the window's status bar builds no unit
    assert names == {code: catalog.admin.get(code).name for code in codes}  # type: ignore[union-attr]
    assert fresh.province_name("no such code") is None


def test_whole_numbers_are_formatted_as_babel_formats_them() -> None:
    import random

    from babel.numbers import format_decimal

    from ctmt_desktop.formatting import format_number

    chosen = random.Random(15)
    values = [0, 1, -1, 999, 1000, -1000, 1234567, 10**15, -(10**15)]
    values += [chosen.randint(-(10**13), 10**13) for _ in range(2000)]
    for value in values:
        assert format_number(value) == format_decimal(value, format="#,##0", locale="vi_VN")


def test_csv_rows_are_csv_cell_of_every_value() -> None:
    from datetime import date, datetime

    from ctmt_desktop.cli.records import _csv_cell, _csv_rows

    names = ["id", "title", "start_date", "places", "participants", "notes", "evidence"]
    records = [
        {
            "id": 7,
            "title": title,
            "start_date": day,
            "places": places,
            "participants": count,
            "notes": notes,
            "evidence": evidence,
        }
        for title, day, places, count, notes, evidence in [
            ("=HYPERLINK(1)", date(2024, 3, 5), ["44001", "44002"], 40, None, []),
            ("\uff1dSUM(A1)", None, [], None, "\tghi chú", [{"sha256": "ab", "name": "a.pdf"}]),
            ("Lớp tập huấn", date(2025, 12, 31), ["44001"], 0, "-5", []),
            ("", date(2024, 3, 5), [], 12.5, "+1", []),
            ("@x", datetime(2024, 1, 2, 3, 4), [], True, "\rx", []),
        ]
    ]
    rows = list(_csv_rows("training", names, records))
    expected = [[_csv_cell(record[name]) for name in names] for record in records]
    as_text = [["" if value is None else str(value) for value in row] for row in rows]
    assert as_text == expected


def test_csv_lists_of_text_joined_in_place_are_csv_cell_of_them() -> None:
    from ctmt_desktop.cli.records import _csv_cell, _csv_rows

    names = ["id", "places", "evidence"]
    lists = [["=1", "44001"], ["\uff0bx"], [], ["44001", "-2"], ["44001", 7], [None]]
    records = [{"id": 1, "places": value, "evidence": value} for value in lists]
    rows = list(_csv_rows("training", names, records))
    assert rows == [[1, _csv_cell(value), _csv_cell(value)] for value in lists]
    assert rows[0][1] == "'=1;44001" and rows[2][1] == ""


@pytest.mark.parametrize(
    ("sparse", "counted"),
    [(100, 100), (3, 100), (3, 5), (0, 0)],
    ids=["few", "counted", "dense", "none"],
)
def test_a_page_and_its_count_are_the_same_whichever_way_they_are_found(
    database: Database,
    make_record: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    sparse: int,
    counted: int,
) -> None:
    """Matches sorted in memory, counted by the scan that found them, or counted by SQLite
    and read from the sort index: one answer."""
    with database.session() as session:
        context = record_context(session, database.path)
        for n in range(12):
            title = f"Lớp {'thông tin' if n % 3 else 'báo chí'} số {n:02d}"
            add_record(session, context, "training", make_record("training", title=title))
        queries = [
            RecordQuery(search="thong tin", sort="title", limit=3, offset=offset)
            for offset in (0, 3, 6, 9)
        ]
        queries.append(RecordQuery(search="lop", sort="start_date", descending=True, limit=5))
        expected = [listing.page_ids(session, "training", query) for query in queries]
        monkeypatch.setattr(listing, "SPARSE_MATCHES", sparse)
        monkeypatch.setattr(listing, "COUNTED_MATCHES", counted)
        assert [listing.page_ids(session, "training", query) for query in queries] == expected
    assert expected[0][0] == 8 and len(expected[0][1]) == 3 and expected[-1][0] == 12
