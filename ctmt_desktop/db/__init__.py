"""Opening a database file: SQLite settings, migrations (with a backup first), sessions.

Every connection runs with ``journal_mode=WAL``, ``foreign_keys=ON`` and ``synchronous=FULL``:
a department's year of records is worth the extra fsync.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from ctmt_desktop.errors import StorageError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: a year of records stays in memory
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def make_engine(path: Path) -> Engine:
    """An engine for the SQLite file at ``path`` with the product's connection settings."""
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _configure_connection)
    return engine


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations shipped with the package.

    ``script_location`` is absolute so that a frozen build finds the migrations too.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision a database is at (None for an empty file)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@dataclass
class Database:
    """An open database file.

    Attributes:
        path: the SQLite file.
        engine: SQLAlchemy engine with the product's pragmas.
        sessions: factory of ORM sessions.
        migrated_from: the Alembic revision before this open upgraded the file (None when the
            file was new or already current).
        backup_path: the automatic backup taken before a migration, if any.
    """

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    migrated_from: str | None = None
    backup_path: Path | None = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends normally, rolls back on any error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def _inspect(path: Path) -> tuple[str | None, bool]:
    """(Alembic revision, has other tables) of an existing file, read without changing it."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as connection:
            names = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in names:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:  # not a database, encrypted, truncated…
        raise StorageError(f"{path}: not a CTMT database or the file is damaged ({exc})") from exc
    return revision, bool(names - {"alembic_version"})


def open_database(path: Path, *, create: bool = True, migrate: bool = True) -> Database:
    """Open (and when needed create and upgrade) the database at ``path``.

    Before upgrading an existing file to a newer schema, a backup is written beside it
    (in ``<name>.backups/``, see :mod:`ctmt_desktop.backup`). A file that is not a CTMT
    database, or comes from a newer release, is refused untouched.
    """
    path = Path(path)
    existed = path.exists() and path.stat().st_size > 0
    if not existed and not create:
        raise StorageError(f"{path}: no database file here (create it with 'ctmt init')")
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    current: str | None = None
    if existed:
        current, has_tables = _inspect(path)
        if current is None and has_tables:
            raise StorageError(f"{path}: this SQLite file is not a CTMT database")
        if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
            raise StorageError(
                f"{path}: the database was written by a newer version of CTMT Desktop "
                f"(schema {current}); install that version to open it"
            )
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"{path.parent}: cannot create the folder ({exc.strerror})") from exc
    engine = make_engine(path)
    database = Database(path, engine, sessionmaker(engine, expire_on_commit=False))
    try:
        if migrate and current != head:
            if existed:
                from ctmt_desktop.backup import create_backup

                database.backup_path = create_backup(path, reason="before-migration").path
            _upgrade(engine)
            database.migrated_from = current
    except BaseException:
        engine.dispose()
        raise
    return database


def _upgrade(engine: Engine) -> None:
    """Run the migrations up to head, with foreign keys off (batch mode copies tables)."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside any transaction
        connection.commit()
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
        problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
    if problems:
        raise StorageError(f"the schema upgrade left {len(problems)} broken references")
