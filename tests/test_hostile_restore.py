"""Restoring a backup that someone crafted: every trick is refused with one line naming the
file and the check, nothing is written outside the work folder (not even before the refusal)
and the live database is left exactly as it was.

Each crafted backup starts from a good one and changes one thing, so that only the check
under test can refuse it (the manifest's checksum and counts are kept right).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
import zipfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine

from ctmt_desktop import backup as backup_module
from ctmt_desktop.backup import (
    DATABASE_ENTRY,
    MANIFEST_ENTRY,
    BackupRefused,
    ForeignBackupError,
    create_backup,
    normalise_sql,
    read_backup,
    restore_backup,
    verify_backup,
)
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import alembic_config, open_database
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import add_record, record_context

MakeRecord = Callable[..., dict[str, Any]]


@dataclass
class Office:
    """A live database with two records, in ``root/office``, and a good backup of it in
    ``root/inbox`` (where a USB stick's files would be)."""

    root: Path
    db: Path
    good: Path

    def crafted(self, name: str) -> Path:
        return self.root / "inbox" / name


def _new_database(
    path: Path,
    catalog: Catalog,
    make_record: MakeRecord,
    agency: str,
    province: str,
    titles: list[str],
) -> None:
    database = open_database(path)
    try:
        with database.session() as session:
            set_profile(session, ProfileData(agency, province), catalog)
        for title in titles:
            with database.session() as session:
                record = make_record("training", title=title)
                if province != "44":
                    record.update(places=[province])
                add_record(session, record_context(session, path), "training", record)
    finally:
        database.close()


@pytest.fixture
def office(tmp_path: Path, catalog: Catalog, make_record: MakeRecord) -> Office:
    db = tmp_path / "office" / "ctmt.sqlite3"
    _new_database(
        db, catalog, make_record, "Sở Văn hóa, Thể thao và Du lịch", "44", ["Lớp 1", "Lớp 2"]
    )
    (tmp_path / "inbox").mkdir()
    good = create_backup(db, out=tmp_path / "inbox" / "good.zip").path
    return Office(tmp_path, db, good)


def _snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with the SHA-256 of its content."""
    found = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        found[key] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _refused(office: Office, backup: Path, check: str, *, match: str = "") -> BackupRefused:
    """Restore ``backup`` over the live database: refused by ``check`` with one line naming
    the file; nothing under the test's folder changed (the live database neither)."""
    before = _snapshot(office.root)
    with pytest.raises(BackupRefused) as caught:
        restore_backup(backup, office.db)
    error = caught.value
    message = str(error)
    assert error.check == check, message
    assert message.startswith(f"{backup}: refused by the {check} check: ")
    assert "\n" not in message and match in message
    assert _snapshot(office.root) == before
    return error


# --- crafting -----------------------------------------------------------------------------------
def _entries(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(item, archive.read(item)) for item in archive.infolist()]


def _write(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in entries:
            archive.writestr(item, data)
    return path


def _with_extra(office: Office, name: str, item: zipfile.ZipInfo | str, data: bytes) -> Path:
    """The good backup plus one entry."""
    entries: list[tuple[zipfile.ZipInfo | str, bytes]] = list(_entries(office.good))
    entries.insert(0, (item, data))  # first: a careless extractor would write it at once
    return _write(office.crafted(name), entries)


def _with_database(
    office: Office,
    name: str,
    edit: Callable[[sqlite3.Connection], None] | bytes,
    *,
    revision: str | None = None,
) -> Path:
    """The good backup with its database edited by ``edit`` (SQL run with foreign keys off)
    or replaced by bytes; the manifest's checksum and counts follow (and its revision, when
    given), so that only the database's own checks can refuse it."""
    work = office.root / f"craft-{name}"
    work.mkdir()
    copy = work / DATABASE_ENTRY
    entries = dict((item.filename, (item, data)) for item, data in _entries(office.good))
    if isinstance(edit, bytes):
        copy.write_bytes(edit)
    else:
        copy.write_bytes(entries[DATABASE_ENTRY][1])
        with closing(sqlite3.connect(copy, isolation_level=None)) as connection:
            connection.execute("PRAGMA foreign_keys=OFF")
            edit(connection)
    data = copy.read_bytes()
    for leftover in work.iterdir():
        leftover.unlink()
    work.rmdir()
    manifest = json.loads(entries[MANIFEST_ENTRY][1])
    manifest["sha256"][DATABASE_ENTRY] = hashlib.sha256(data).hexdigest()
    if revision is not None:
        manifest["revision"] = revision
    return _write(
        office.crafted(name),
        [
            (entries[DATABASE_ENTRY][0], data),
            *[(item, body) for key, (item, body) in entries.items() if key.startswith("evid")],
            (entries[MANIFEST_ENTRY][0], json.dumps(manifest).encode()),
        ],
    )


def _sql(*statements: str) -> Callable[[sqlite3.Connection], None]:
    def run(connection: sqlite3.Connection) -> None:
        for statement in statements:
            connection.execute(statement)

    return run


# --- the zip's entries ----------------------------------------------------------------------------
def test_zip_slip_entry_is_refused_and_nothing_escapes(office: Office) -> None:
    crafted = _with_extra(office, "slip.zip", "../../escaped.txt", b"owned")
    _refused(office, crafted, "entry names", match="'..'")
    assert not (office.root / "escaped.txt").exists()


@pytest.mark.parametrize(
    "name", ["/tmp/ctmt-absolute-escape.txt", "C:/Windows/escaped.txt", "C:escaped.txt"]
)
def test_absolute_path_entry_is_refused(office: Office, name: str) -> None:
    crafted = _with_extra(office, "absolute.zip", zipfile.ZipInfo(name), b"owned")
    _refused(office, crafted, "entry names", match="absolute path")
    assert not Path("/tmp/ctmt-absolute-escape.txt").exists()


def test_symlink_entry_is_refused(office: Office) -> None:
    link = zipfile.ZipInfo("evidence/" + "a" * 64)
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    crafted = _with_extra(office, "link.zip", link, b"/etc/passwd")
    _refused(office, crafted, "entry types", match="symbolic link")


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("evidence/CON", "device name"),
        ("evidence/nul.txt", "device name"),
        ("evidence\\..\\..\\x", "backslash"),
        ("evidence/a:b", "Windows forbids"),
        ("evidence//x", "empty or '.'"),
        ("Database.SQLite3", "duplicate"),
        ("notes.txt", "not part of a CTMT backup"),
    ],
)
def test_other_unsafe_names_are_refused(office: Office, name: str, why: str) -> None:
    crafted = _with_extra(office, "names.zip", zipfile.ZipInfo(name), b"x")
    _refused(office, crafted, "entry names", match=why)


def test_zip_bomb_is_refused_before_extracting(office: Office) -> None:
    entries = _entries(office.good)
    bomb = [
        (item, b"\0" * (20 * 1024 * 1024) if item.filename == DATABASE_ENTRY else data)
        for item, data in entries
    ]
    crafted = _write(office.crafted("bomb.zip"), bomb)
    with zipfile.ZipFile(crafted) as archive:
        assert archive.getinfo(DATABASE_ENTRY).compress_size < 100_000
    _refused(office, crafted, "sizes", match="zip bomb")


def test_caps_on_entries_and_sizes_are_read_before_extracting(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_module, "MAX_BACKUP_ENTRIES", 1)
    _refused(office, office.good, "zip directory", match="entries")
    monkeypatch.setattr(backup_module, "MAX_BACKUP_ENTRIES", 10)
    monkeypatch.setattr(backup_module, "MAX_DATABASE_BYTES", 1000)
    _refused(office, office.good, "sizes", match="database.sqlite3")


def test_a_manifest_that_is_no_json_object_is_refused(office: Office) -> None:
    entries = [
        (item, b"[" * 200_000 if item.filename == MANIFEST_ENTRY else data)
        for item, data in _entries(office.good)
    ]
    crafted = _write(office.crafted("manifest.zip"), entries)
    _refused(office, crafted, "manifest", match="not valid JSON")
    with pytest.raises(BackupRefused):
        read_backup(crafted)


# --- the database's schema ------------------------------------------------------------------------
def test_an_extra_trigger_that_rewrites_figures_is_refused(office: Office) -> None:
    crafted = _with_database(
        office,
        "trigger.zip",
        _sql(
            "CREATE TRIGGER inflate AFTER INSERT ON training BEGIN "
            "UPDATE training SET cost = cost * 10 WHERE id = NEW.id; END"
        ),
    )
    _refused(office, crafted, "schema", match="an extra trigger 'inflate' on table 'training'")


def test_an_extra_view_is_refused(office: Office) -> None:
    crafted = _with_database(
        office, "view.zip", _sql("CREATE VIEW activity_all AS SELECT * FROM activity")
    )
    _refused(office, crafted, "schema", match="an extra view 'activity_all'")


def test_a_modified_trigger_that_silences_the_audit_is_refused(office: Office) -> None:
    crafted = _with_database(
        office,
        "audit.zip",
        _sql(
            "DROP TRIGGER audit_entry_no_delete",
            "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN SELECT 1; END",
        ),
    )
    _refused(office, crafted, "schema", match="the trigger 'audit_entry_no_delete' differs")


def test_a_missing_table_is_refused(office: Office) -> None:
    crafted = _with_database(office, "missing.zip", _sql("DROP TABLE target"))
    _refused(office, crafted, "schema", match="the table 'target' is missing")


def test_a_database_at_another_revision_than_its_schema_is_refused(office: Office) -> None:
    older = _with_database(
        office,
        "older.zip",
        _sql("UPDATE alembic_version SET version_num = '0002'"),
        revision="0002",
    )
    _refused(office, older, "schema", match="an extra table '")  # those of 0003 and later
    disagreeing = _with_database(
        office, "disagree.zip", _sql("UPDATE alembic_version SET version_num = '0002'")
    )
    _refused(office, disagreeing, "revision", match="manifest.json says schema")


def test_an_unknown_revision_is_refused(office: Office) -> None:
    crafted = _with_database(
        office,
        "unknown.zip",
        _sql("UPDATE alembic_version SET version_num = 'ffff'"),
        revision="ffff",
    )
    _refused(office, crafted, "revision", match="unknown schema revision 'ffff'")


def test_not_a_database_is_refused(office: Office) -> None:
    crafted = _with_database(office, "text.zip", b"hello, this is no database\n" * 200)
    _refused(office, crafted, "database format", match="not an SQLite database")


def test_broken_references_are_refused(office: Office) -> None:
    crafted = _with_database(
        office,
        "references.zip",
        _sql(
            "INSERT INTO activity_place (activity_id, position, unit_code) VALUES (999, 0, '19432')"
        ),
    )
    _refused(office, crafted, "foreign keys", match="activity_place")


def test_sql_is_compared_token_by_token() -> None:
    assert normalise_sql('CREATE TABLE "activity" (\n\tid INTEGER)') == normalise_sql(
        "create  table activity (id integer) -- the same"
    )
    assert normalise_sql("SELECT RAISE(ABORT, 'No')") != normalise_sql("SELECT RAISE(ABORT, 'no')")


# --- good backups still restore ---------------------------------------------------------
def test_statistics_from_analyze_are_accepted(office: Office) -> None:
    crafted = _with_database(office, "analyzed.zip", _sql("ANALYZE"))
    assert restore_backup(crafted, office.db) is not None


def test_a_backup_of_an_older_revision_restores_and_is_upgraded(
    office: Office, catalog: Catalog
) -> None:
    old = office.root / "old" / "ctmt.sqlite3"
    old.parent.mkdir()
    engine = create_engine(f"sqlite:///{old}")
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        for step in ("0001", "0002"):  # as an older release created, then upgraded, it
            command.upgrade(config, step)
            connection.commit()
        connection.exec_driver_sql(
            "INSERT INTO agency_profile (name, province_code, parent_body, receiving_ministry, "
            "valid_from, created_at) VALUES ('Sở Văn hóa, Thể thao và Du lịch', '44', '', '', "
            "'2016-01-01', '2024-01-01 00:00:00')"
        )
        connection.commit()
    engine.dispose()
    backup = create_backup(old, out=office.crafted("old.zip"))
    assert backup.revision == "0002"
    assert restore_backup(backup.path, office.db) is not None
    database = open_database(office.db)
    try:
        assert database.migrated_from == "0002"
    finally:
        database.close()


# --- another agency or province ---------------------------------------------------------
def test_another_provinces_backup_is_refused_then_accepted_with_force(
    office: Office, catalog: Catalog, make_record: MakeRecord
) -> None:
    other = office.root / "hanoi" / "ctmt.sqlite3"
    _new_database(other, catalog, make_record, "Sở Văn hóa và Thể thao", "01", ["Lớp Hà Nội"])
    foreign = create_backup(other, out=office.crafted("hanoi.zip")).path
    error = _refused(office, foreign, "agency", match="province 01")
    assert isinstance(error, ForeignBackupError)
    assert error.backup_agency is not None and error.backup_agency.province_code == "01"
    assert error.live_agency.province_code == "44"

    asked: list[ForeignBackupError] = []
    with pytest.raises(ForeignBackupError):
        restore_backup(foreign, office.db, confirm_foreign=lambda e: asked.append(e) or False)
    assert len(asked) == 1
    assert restore_backup(foreign, office.db, force=True) is not None
    with closing(sqlite3.connect(office.db)) as connection:
        titles = [row[0] for row in connection.execute("SELECT title FROM activity")]
    assert titles == ["Lớp Hà Nội"]


def test_another_agency_of_the_same_province_is_asked_about(
    office: Office, catalog: Catalog, make_record: MakeRecord
) -> None:
    other = office.root / "other" / "ctmt.sqlite3"
    _new_database(other, catalog, make_record, "Sở Nông nghiệp và Môi trường", "44", ["Lớp"])
    foreign = create_backup(other, out=office.crafted("other.zip")).path
    _refused(office, foreign, "agency", match="Sở Nông nghiệp và Môi trường")
    assert restore_backup(foreign, office.db, confirm_foreign=lambda _error: True) is not None


def test_the_same_agency_under_an_older_name_is_the_same(office: Office, catalog: Catalog) -> None:
    from datetime import date

    database = open_database(office.db)
    try:
        with database.session() as session:
            data = ProfileData("Sở Văn hóa và Thể thao", "44", valid_from=date(2025, 7, 1))
            set_profile(session, data, catalog)
    finally:
        database.close()
    assert restore_backup(office.good, office.db) is not None


# --- verify_backup works in its folder only ---------------------------------------------
def test_verify_writes_only_in_its_work_folder(office: Office) -> None:
    work = office.root / "work"
    work.mkdir()
    before = {k: v for k, v in _snapshot(office.root).items() if not k.startswith("work")}
    info, copy, evidence = verify_backup(office.good, work)
    assert copy.parent == work and info.records == 2 and evidence == []
    after = {k: v for k, v in _snapshot(office.root).items() if not k.startswith("work")}
    assert after == before


# --- the command line -----------------------------------------------------------------------
def test_ctmt_restore_refuses_in_one_line_and_forces_another_provinces_backup(
    office: Office, catalog: Catalog, make_record: MakeRecord, capsys: pytest.CaptureFixture[str]
) -> None:
    from ctmt_desktop.cli import main

    slip = _with_extra(office, "slip.zip", "../../escaped.txt", b"owned")
    before = _snapshot(office.root)
    assert main(["restore", str(slip), "--db", str(office.db)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "Traceback" not in error
    assert error.startswith(f"ctmt: {slip}: refused by the entry names check: ")
    assert _snapshot(office.root) == before

    other = office.root / "hanoi" / "ctmt.sqlite3"
    _new_database(other, catalog, make_record, "Sở Văn hóa và Thể thao", "01", ["Lớp Hà Nội"])
    foreign = create_backup(other, out=office.crafted("hanoi.zip")).path
    before = _snapshot(office.root)
    assert main(["restore", str(foreign), "--db", str(office.db)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "refused by the agency check" in error
    assert "--force" in error
    assert _snapshot(office.root) == before
    assert main(["restore", str(foreign), "--db", str(office.db), "--force"]) == 0
    assert "Restored" in capsys.readouterr().out
    with closing(sqlite3.connect(office.db)) as connection:
        assert connection.execute("SELECT province_code FROM agency_profile").fetchall() == [
            ("01",)
        ]
