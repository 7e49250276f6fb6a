"""Opening a database file: SQLite settings, migrations (with a backup first), sessions,
and the start-up checks that keep a crash or a full disk from costing data.

Every connection runs with ``journal_mode=WAL``, ``foreign_keys=ON`` and ``synchronous=FULL``:
a department's year of records is worth the extra fsync.

At open, :func:`open_database` refuses a read-only file or folder, takes the single-instance
lock (:mod:`ctmt_desktop.locking`), runs ``PRAGMA quick_check`` and refuses a damaged file
with :class:`~ctmt_desktop.errors.DatabaseDamagedError` naming the newest backup. Later, a
unit of work (:meth:`Database.session`) rolls back on any error and turns the user's
environment failing (disk full, read-only, locked by another program, damaged) into the
:class:`~ctmt_desktop.errors.StorageError` subclasses with a clear message
(:func:`storage_error`); everything committed before stays.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import sys
import threading
import zipfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctmt_desktop import locking
from ctmt_desktop.db.revisions import script_head, script_revisions
from ctmt_desktop.errors import (
    DatabaseBusyError,
    DatabaseDamagedError,
    DiskFullError,
    ReadOnlyStorageError,
    StorageError,
)

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: How long a statement waits for another connection's lock before failing (milliseconds).
BUSY_TIMEOUT_MS = 5000


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cursor.execute("PRAGMA cache_size=-32768")  # 32 MiB per connection: hot pages stay in memory
    cursor.close()


def make_engine(path: Path) -> Engine:
    """An engine for the SQLite file at ``path`` with the product's connection settings."""
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}", future=True, json_serializer=_json_text)
    event.listen(engine, "connect", _configure_connection)
    return engine


def load_orm() -> None:
    """Import SQLAlchemy's ORM and the models and configure the mappers: what the first ORM
    query pays (about 0.3 s). The window paints its first page without them and then runs
    this on its database lane, so the first edit does not wait for it."""
    from sqlalchemy.orm import configure_mappers

    from ctmt_desktop.db import models  # noqa: F401

    configure_mappers()


def _json_text(value: Any) -> str:
    # Readable Vietnamese in JSON columns (the audit trail) for anyone inspecting the file.
    return json.dumps(value, ensure_ascii=False)


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations shipped with the package.

    ``script_location`` is absolute so that a frozen build finds the migrations too.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def known_revisions() -> tuple[str, set[str]]:
    """(head revision, every revision) of the shipped migrations.

    Read from the revision files as text (:mod:`ctmt_desktop.db.revisions`), so opening a
    current database never imports Alembic; Alembic's own reading when they are beyond it.
    """
    chain = script_revisions(MIGRATIONS_DIR)
    head = script_head(chain)
    if chain is not None and head is not None:
        return head, set(chain)
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    alembic_head = script.get_current_head()
    assert alembic_head is not None
    return alembic_head, {rev.revision for rev in script.walk_revisions()}


def head_revision() -> str:
    return known_revisions()[0]


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision a database is at (None for an empty file)."""
    with engine.connect() as connection:
        if not connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first():
            return None
        rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    if len(rows) > 1:
        raise StorageError(f"the database is at several schema revisions at once: {rows}")
    return rows[0][0] if rows else None


@dataclass
class Database:
    """An open database file.

    Attributes:
        path: the SQLite file.
        engine: SQLAlchemy engine with the product's pragmas (made, and SQLAlchemy imported,
            on first use: the window paints its first page through :meth:`reading` before).
        sessions: factory of ORM sessions (made, and the ORM imported, on first use).
        migrated_from: the Alembic revision before this open upgraded the file (None when the
            file was new or already current).
        backup_path: the automatic backup taken before a migration, if any.
        lock: the single-instance lock held while the database is open (None when opened
            with ``exclusive=False``).
    """

    path: Path
    _engine: Engine | None = field(default=None, repr=False)
    migrated_from: str | None = None
    backup_path: Path | None = None
    lock: locking.DatabaseLock | None = None
    _sessions: sessionmaker[Session] | None = field(default=None, init=False, repr=False)
    _readers: threading.local = field(default_factory=threading.local, init=False, repr=False)
    _opened: list[sqlite3.Connection] = field(default_factory=list, init=False, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def engine(self) -> Engine:
        with self._guard:
            if self._engine is None:
                self._engine = make_engine(self.path)
            return self._engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        engine = self.engine
        with self._guard:
            if self._sessions is None:
                from sqlalchemy.orm import sessionmaker

                self._sessions = sessionmaker(engine, expire_on_commit=False)
            return self._sessions

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends normally, rolls back on any error.

        A failure of the user's environment (disk full, read-only file, another program's
        lock, a damaged file) comes out as the matching :class:`StorageError` subclass; the
        rollback means nothing of this unit of work was saved and nothing earlier was lost.
        """
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException as exc:
            _rollback_quietly(session)
            mapped = storage_error(exc, self.path)
            if mapped is not None:
                raise mapped from exc
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """One snapshot of the file on a plain :class:`sqlite3.Connection`, for reads that
        need no ORM (the record lists, the window's first page): one connection per thread,
        kept open (its page cache stays warm), in a read transaction for the block."""
        connection = getattr(self._readers, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            _configure_connection(connection, None)
            self._readers.connection = connection
            with self._guard:
                self._opened.append(connection)
        try:
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                connection.execute("ROLLBACK")
        except BaseException as exc:
            mapped = storage_error(exc, self.path)
            if mapped is not None:
                raise mapped from exc
            raise

    def close(self) -> None:
        """Close every connection and give up the single-instance lock (safe to repeat)."""
        self.close_connections()
        lock, self.lock = self.lock, None
        if lock is not None:
            lock.release()

    def close_connections(self) -> None:
        """Close every connection (the lock stays held)."""
        with self._guard:
            engine, opened = self._engine, list(self._opened)
            self._opened.clear()
        if engine is not None:
            engine.dispose()
        for connection in opened:
            connection.close()
        self._readers = threading.local()


def _rollback_quietly(session: Session) -> None:
    try:
        session.rollback()
    except Exception:  # the connection is gone; SQLite rolls back when it closes
        pass


# --- failures of the user's environment ------------------------------------------------------
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_NOTADB = 26
_NOT_SAVED = "the change was not saved; everything saved before is safe"


def storage_error(exc: BaseException, path: Path) -> StorageError | None:
    """The :class:`StorageError` that explains ``exc`` to the user, or None for a bug.

    Understands SQLite errors (bare or wrapped by SQLAlchemy) and ``OSError``: disk full
    (``SQLITE_FULL``, ``ENOSPC``, ``EDQUOT``) gives :class:`DiskFullError`; a read-only file,
    folder or disk gives :class:`ReadOnlyStorageError`; a lock another program kept past the
    busy timeout gives :class:`DatabaseBusyError`; a damaged file gives
    :class:`DatabaseDamagedError`. An error that already is a StorageError, or anything
    else, gives None (the caller re-raises the original).
    """
    path = Path(path)
    original: BaseException = exc
    if "sqlalchemy" in sys.modules:  # else no error can have come through it
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError) and exc.orig is not None:
            original = exc.orig
    if isinstance(original, sqlite3.Error):
        return _sqlite_storage_error(original, path)
    if isinstance(original, OSError) and not isinstance(original, StorageError):
        return _os_storage_error(original, path)
    return None


def _sqlite_storage_error(error: sqlite3.Error, path: Path) -> StorageError | None:
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error)
    lowered = text.lower()
    if primary == _SQLITE_FULL or "database or disk is full" in lowered:
        return DiskFullError(f"{path}: the disk is full ({text}); {_NOT_SAVED}. Free some space")
    if primary == _SQLITE_READONLY or "readonly database" in lowered:
        return ReadOnlyStorageError(
            f"{path}: the database file, its folder or its disk is read-only ({text}); "
            f"{_NOT_SAVED}. Move the database to a folder you can write to"
        )
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in lowered:
        return DatabaseBusyError(
            f"{path}: another program kept the database locked ({text}); {_NOT_SAVED}. "
            "Close other programs that use this file (a second copy of CTMT Desktop, a "
            "database viewer, a backup tool) and try again"
        )
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in lowered:
        return DatabaseDamagedError(path, text, newest_good_backup(path))
    if primary == _SQLITE_IOERR:
        return StorageError(
            f"{path}: the disk reported an error ({text}); {_NOT_SAVED}. Check that the "
            "disk is still connected and working"
        )
    if primary == _SQLITE_CANTOPEN:
        if not _writable_folder(path.parent):
            return _read_only_folder(path)
        return StorageError(f"{path}: cannot open the database file ({text})")
    return None


def _os_storage_error(error: OSError, path: Path) -> StorageError | None:
    where = error.filename or path
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFullError(f"{where}: the disk is full; {_NOT_SAVED}. Free some space")
    if error.errno == errno.EROFS:
        return ReadOnlyStorageError(f"{where}: the disk is read-only; {_NOT_SAVED}")
    if error.errno in (errno.EACCES, errno.EPERM):
        return StorageError(f"{where}: permission denied ({error.strerror}); {_NOT_SAVED}")
    return None


def _writable_folder(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def _read_only_folder(path: Path) -> ReadOnlyStorageError:
    return ReadOnlyStorageError(
        f"{path.parent}: the folder of the database is read-only, so nothing could be saved "
        "(SQLite also writes its journal beside the file); move the database to a folder you "
        "can write to"
    )


def _check_writable(path: Path, existed: bool) -> None:
    """Refuse up front a database that could be read but never saved."""
    if existed and not os.access(path, os.R_OK | os.W_OK):
        raise ReadOnlyStorageError(
            f"{path}: the database file is read-only, so nothing could be saved; "
            "make it writable or copy it to a folder you can write to"
        )
    if not _writable_folder(path.parent):
        raise _read_only_folder(path)


# --- start-up check ------------------------------------------------------------------------
def newest_good_backup(db_path: Path) -> Any:
    """The newest backup of ``db_path`` whose zip reads back intact (a
    :class:`~ctmt_desktop.backup.BackupInfo`), or None."""
    from ctmt_desktop.backup import list_backups
    from ctmt_desktop.paths import backup_dir

    for info in list_backups(backup_dir(Path(db_path))):
        try:
            with zipfile.ZipFile(info.path) as archive:
                if archive.testzip() is None:
                    return info
        except (OSError, zipfile.BadZipFile):
            continue
    return None


def quick_check(path: Path) -> None:
    """Run ``PRAGMA quick_check`` on the file; raise DatabaseDamagedError when it fails."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as connection:
            rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        mapped = _sqlite_storage_error(exc, path)
        if isinstance(mapped, DatabaseDamagedError) or mapped is None:
            raise DatabaseDamagedError(path, str(exc), newest_good_backup(path)) from exc
        raise mapped from exc
    if rows != [("ok",)]:
        detail = "; ".join(str(row[0]) for row in rows[:3])
        if len(rows) > 3:
            detail += f"; and {len(rows) - 3} more problems"
        raise DatabaseDamagedError(path, detail, newest_good_backup(path))


class QuickCheck:
    """``PRAGMA quick_check`` of a file, started at once on a thread of its own.

    SQLite releases Python's lock while it reads, so the check runs on the second core while
    the app imports Qt and SQLAlchemy and builds its window; :func:`open_database` then takes
    its verdict (``check=QuickCheck(path)``) instead of running the check again. It only
    reads; a file that is missing, or replaced meanwhile, is checked again by the opening.
    """

    def __init__(self, path: Path) -> None:
        import threading

        self.path = Path(path)
        self._error: BaseException | None = None
        self._stat = _identity(self.path)
        self._thread = threading.Thread(target=self._run, name="quick_check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            quick_check(self.path)
        except BaseException as exc:  # handed to the thread that opens the file
            self._error = exc

    def wait(self, path: Path) -> None:
        """Wait for the verdict on ``path``; raise what the check raised. A check of another
        file, or of a file changed since the check began, is run again here."""
        self._thread.join()
        if Path(path).resolve() != self.path.resolve() or _identity(path) != self._stat:
            quick_check(path)
            return
        if self._error is not None:
            raise self._error


def _identity(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, modification time) of a file, None when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


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
        mapped = _sqlite_storage_error(exc, path)
        if mapped is not None and not isinstance(mapped, DatabaseDamagedError):
            raise mapped from exc
        raise DatabaseDamagedError(
            path, f"not a CTMT database or the file is damaged: {exc}", newest_good_backup(path)
        ) from exc
    # sqlite_sequence (AUTOINCREMENT's counter) stays after every table is dropped.
    ours = {name for name in names if not name.startswith("sqlite_")}
    return revision, bool(ours - {"alembic_version"})


def open_database(
    path: Path,
    *,
    create: bool = True,
    migrate: bool = True,
    check: bool | QuickCheck = True,
    exclusive: bool = True,
) -> Database:
    """Open (and when needed create and upgrade) the database at ``path``.

    Before upgrading an existing file to a newer schema, a backup is written beside it
    (in ``<name>.backups/``, see :mod:`ctmt_desktop.backup`). A file that is not a CTMT
    database, or comes from a newer release, is refused untouched.

    Args:
        create: make a new database when there is no file.
        migrate: upgrade an older schema to the current one.
        check: run ``PRAGMA quick_check`` on an existing file first (a second or so for a
            big file); a failure raises :class:`DatabaseDamagedError` naming the newest
            backup. A :class:`QuickCheck` started earlier gives its verdict instead.
        exclusive: hold the single-instance lock while the database is open, so a second
            copy of the app gets :class:`DatabaseInUseError`. Opens in one process share
            it. Pass False for a short command-line read that may run beside the app
            (SQLite's own locking still applies).

    Raises:
        ReadOnlyStorageError: the file or its folder cannot be written.
        DatabaseInUseError: another running copy holds the lock.
        DatabaseDamagedError: the file fails the check or is not a database.
        StorageError: anything else the file system or the file itself refuses.
    """
    path = Path(path)
    existed = path.exists() and path.stat().st_size > 0
    if not existed and not create:
        raise StorageError(f"{path}: no database file here (create it with 'ctmt init')")
    if not existed:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            mapped = _os_storage_error(exc, path)
            if isinstance(mapped, DiskFullError | ReadOnlyStorageError):
                raise mapped from exc
            raise StorageError(f"{path.parent}: cannot create the folder ({exc.strerror})") from exc
    _check_writable(path, existed)
    lock = locking.acquire(path) if exclusive else None
    try:
        return _open_locked(path, existed, migrate=migrate, check=check, lock=lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _open_locked(
    path: Path,
    existed: bool,
    *,
    migrate: bool,
    check: bool | QuickCheck,
    lock: locking.DatabaseLock | None,
) -> Database:
    head, known = known_revisions()
    current: str | None = None
    if existed:
        current, has_tables = _inspect(path)
        if current is None and has_tables:
            raise StorageError(f"{path}: this SQLite file is not a CTMT database")
        if current is not None and current not in known:
            raise StorageError(
                f"{path}: the database was written by a newer version of CTMT Desktop "
                f"(schema {current}); install that version to open it"
            )
        if isinstance(check, QuickCheck):
            check.wait(path)
        elif check:
            quick_check(path)
    database = Database(path, lock=lock)
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as connection:
            _configure_connection(connection, None)  # WAL needs a writable file: fail here
        if migrate and current != head:
            if existed:
                from ctmt_desktop.backup import create_backup

                database.backup_path = create_backup(path, reason="before-migration").path
            _upgrade(database.engine)
            database.migrated_from = current
    except BaseException as exc:
        database.close_connections()
        mapped = storage_error(exc, path)
        if mapped is not None:
            raise mapped from exc
        raise
    return database


@contextmanager
def reading(
    path: Path, *, check: bool = False, exclusive: bool = True
) -> Iterator[sqlite3.Connection]:
    """A plain :class:`sqlite3.Connection` to an existing database, for a command that only
    reads (``ctmt list``); neither SQLAlchemy nor Alembic is imported.

    The file is refused as :func:`open_database` with ``create=False`` refuses it (no file,
    read-only, in use by the app, not a CTMT database, from a newer release); a file at an
    older schema is first upgraded by :func:`open_database` (with its backup). The block
    reads one snapshot of the file (one read transaction); failures of the file come out as
    :class:`StorageError` subclasses (:func:`storage_error`).

    ``check`` runs ``PRAGMA quick_check`` first. A read cannot spread damage, so by default
    it is not run (on a 130 MB file it takes longer than the listing itself): a damaged page
    the listing reads raises :class:`DatabaseDamagedError` naming the newest good backup.
    """
    with _plain(path, check=check, exclusive=exclusive, write=False) as connection:
        yield connection


@contextmanager
def writing(
    path: Path, *, check: bool = True, exclusive: bool = True
) -> Iterator[sqlite3.Connection]:
    """A unit of work on a plain :class:`sqlite3.Connection` to an existing database: the
    record services write through it (``ctmt add``, ``ctmt delete``) without importing
    SQLAlchemy or Alembic.

    The file is refused, or first upgraded, as :func:`reading` says, and checked with
    ``PRAGMA quick_check`` as :func:`open_database` checks it (``check``). The connection
    has the product's settings (WAL, foreign keys, ``synchronous=FULL``) and the block runs
    in one ``BEGIN IMMEDIATE`` transaction: committed when it ends normally, rolled back on
    any error, which comes out as :meth:`Database.session` says (:func:`storage_error`).
    """
    with _plain(path, check=check, exclusive=exclusive, write=True) as connection:
        yield connection


@contextmanager
def _plain(
    path: Path, *, check: bool, exclusive: bool, write: bool
) -> Iterator[sqlite3.Connection]:
    path = Path(path)
    if not (path.exists() and path.stat().st_size > 0):
        raise StorageError(f"{path}: no database file here (create it with 'ctmt init')")
    head, _known = known_revisions()
    if _inspect(path)[0] != head:  # open_database refuses it, or upgrades it, or says why
        open_database(path, create=False, check=check, exclusive=exclusive).close()
    _check_writable(path, True)
    lock = locking.acquire(path) if exclusive else None
    try:
        if check:
            quick_check(path)
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    try:
        if write:
            _configure_connection(connection, None)
        else:
            connection.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
            connection.execute("PRAGMA cache_size=-32768")
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        yield connection
        if write:
            connection.execute("COMMIT")
    except BaseException as exc:
        if write and connection.in_transaction:
            try:
                connection.execute("ROLLBACK")
            except sqlite3.Error:  # the connection is gone; SQLite rolls back when it closes
                pass
        mapped = storage_error(exc, path)
        if mapped is not None:
            raise mapped from exc
        raise
    finally:
        connection.close()
        if lock is not None:
            lock.release()


def _upgrade(engine: Engine) -> None:
    """Run the migrations up to head, with foreign keys off (batch mode copies tables)."""
    from alembic import command

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
