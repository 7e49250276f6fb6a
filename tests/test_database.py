"""Opening database files: schema by migration, connection settings, a backup before every
upgrade, and refusing files that are not ours."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect

import ctmt_desktop.db as db_module
from ctmt_desktop.backup import DATABASE_ENTRY, read_backup
from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.db import (
    Database,
    alembic_config,
    current_revision,
    head_revision,
    open_database,
)
from ctmt_desktop.db.models import Base
from ctmt_desktop.errors import StorageError
from ctmt_desktop.services.profile import ProfileData, set_profile

AGENCY = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"

NEXT_REVISION = '''"""a later schema change (test only)

Revision ID: 9002
Revises: {down}
"""

import sqlalchemy as sa
from alembic import op

revision = "9002"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("report_draft", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("report_draft")
'''


@contextlib.contextmanager
def opened(path: Path, **options: bool) -> Iterator[Database]:
    database = open_database(path, **options)
    try:
        yield database
    finally:
        database.close()


def sqlite_rows(path: Path, sql: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def extracted_database(backup: Path, folder: Path) -> Path:
    """The database file inside a backup zip, extracted into ``folder``."""
    with zipfile.ZipFile(backup) as archive:
        return Path(archive.extract(DATABASE_ENTRY, folder))


def backups_of(path: Path) -> list[Path]:
    folder = path.with_name(path.name + ".backups")
    return sorted(folder.iterdir()) if folder.exists() else []


def make_ctmt_database(path: Path, revision: str | None = None) -> None:
    """A database with an agency profile in it, at the head or at ``revision``."""
    with opened(path, migrate=revision is None) as database:
        if revision is not None:
            with database.engine.begin() as connection:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        with database.session() as session:
            set_profile(session, ProfileData(AGENCY, "44"), load_catalog())


@pytest.fixture
def newer_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Pretend the app is a later release whose migrations add one revision on top of the
    current head; return that (now older) head revision."""
    migrations = tmp_path / "later-release-migrations"
    shutil.copytree(
        db_module.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__")
    )
    older_head = head_revision()
    (migrations / "versions" / "9002_report_draft.py").write_text(
        NEXT_REVISION.format(down=older_head), encoding="utf-8"
    )
    monkeypatch.setattr(db_module, "MIGRATIONS_DIR", migrations)
    assert head_revision() == "9002"
    return older_head


# --- a new file -------------------------------------------------------------------------------
def test_new_file_gets_every_table_at_the_head_revision(tmp_path: Path) -> None:
    path = tmp_path / "ctmt.sqlite3"
    with opened(path) as database:
        assert current_revision(database.engine) == head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert database.migrated_from is None and database.backup_path is None
    assert set(Base.metadata.tables) | {"alembic_version"} == tables
    assert backups_of(path) == []


def test_connection_uses_wal_foreign_keys_and_full_sync(tmp_path: Path) -> None:
    with opened(tmp_path / "ctmt.sqlite3") as database, database.engine.connect() as connection:

        def pragma(name: str) -> object:
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL


def test_reopening_a_current_database_changes_nothing_and_makes_no_backup(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ctmt.sqlite3"
    make_ctmt_database(path)
    with opened(path) as database:
        assert database.migrated_from is None and database.backup_path is None
    assert backups_of(path) == []
    assert sqlite_rows(path, "SELECT name, province_code FROM agency_profile") == [(AGENCY, "44")]


def test_missing_file_is_not_created_when_creation_is_off(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.sqlite3"
    with pytest.raises(StorageError) as caught:
        open_database(path, create=False)
    assert str(path) in str(caught.value) and "ctmt init" in str(caught.value)
    assert not path.exists()


def test_folder_of_a_new_database_is_created(tmp_path: Path) -> None:
    path = tmp_path / "phong" / "du-lieu" / "ctmt.sqlite3"
    with opened(path) as database:
        assert current_revision(database.engine) == head_revision()
    assert path.is_file()


# --- upgrades ---------------------------------------------------------------------------------
def test_upgrade_of_an_older_database_keeps_a_checked_backup_first(
    tmp_path: Path, newer_release: str
) -> None:
    old_head = newer_release
    path = tmp_path / "ctmt.sqlite3"
    make_ctmt_database(path, revision=old_head)

    with opened(path) as database:
        assert database.migrated_from == old_head
        assert current_revision(database.engine) == "9002"
        backup = database.backup_path

    assert backup is not None and backup.is_file()
    assert backup.parent == path.with_name(path.name + ".backups")
    assert read_backup(backup).revision == old_head
    backup = extracted_database(backup, tmp_path / "extracted")
    assert sqlite_rows(backup, "PRAGMA integrity_check") == [("ok",)]
    # The backup is the database as it was: old revision, the agency's data, no new table.
    assert sqlite_rows(backup, "SELECT version_num FROM alembic_version") == [(old_head,)]
    assert sqlite_rows(backup, "SELECT name FROM agency_profile") == [(AGENCY,)]
    assert "report_draft" not in {
        r[0] for r in sqlite_rows(backup, "SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert sqlite_rows(path, "SELECT name FROM agency_profile") == [(AGENCY,)]


def test_backup_folder_holds_only_finished_backups(tmp_path: Path, newer_release: str) -> None:
    path = tmp_path / "ctmt.sqlite3"
    make_ctmt_database(path, revision=newer_release)

    with opened(path) as database:
        backup = database.backup_path

    # No half-written copy or journal of one is left behind to confuse a person restoring.
    assert backup is not None
    assert backups_of(path) == [backup]


def test_database_downgraded_to_base_is_upgraded_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "ctmt.sqlite3"
    with opened(path) as database, database.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert sqlite_rows(path, "SELECT count(*) FROM alembic_version") == [(0,)]

    with opened(path) as database:
        assert current_revision(database.engine) == head_revision()
        backup = database.backup_path

    assert backup is not None
    copy = extracted_database(backup, tmp_path / "extracted")
    assert sqlite_rows(copy, "PRAGMA integrity_check") == [("ok",)]


def test_database_from_a_newer_release_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "ctmt.sqlite3"
    make_ctmt_database(path)
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = digest(path)

    with pytest.raises(StorageError) as caught:
        open_database(path)

    assert str(path) in str(caught.value)
    assert digest(path) == before
    assert sqlite_rows(path, "SELECT version_num FROM alembic_version") == [("9999",)]


# --- files that are not ours ------------------------------------------------------------------
def test_random_bytes_are_refused_with_the_path_in_the_message(tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.sqlite3"
    path.write_bytes(os.urandom(8192))
    before = digest(path)

    with pytest.raises(StorageError) as caught:
        open_database(path)

    assert str(path) in str(caught.value)
    assert digest(path) == before
    assert backups_of(path) == []


def test_sqlite_file_of_another_app_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "ke-toan.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, amount INTEGER)")
        connection.execute("INSERT INTO invoice (amount) VALUES (1500000)")
    before = digest(path)

    with pytest.raises(StorageError) as caught:
        open_database(path)

    assert str(path) in str(caught.value)
    assert "not a CTMT database" in str(caught.value)
    assert digest(path) == before
    assert sqlite_rows(path, "PRAGMA journal_mode") == [("delete",)]
    assert sqlite_rows(path, "SELECT name FROM sqlite_master WHERE type='table'") == [("invoice",)]
    assert backups_of(path) == []


def test_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "ctmt.sqlite3"
    path.touch()
    with opened(path) as database:
        assert current_revision(database.engine) == head_revision()
        assert database.backup_path is None
