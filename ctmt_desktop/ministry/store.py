"""Open the national store: a SQLite file (the default) or a PostgreSQL database.

``open_store(url)`` accepts ``None`` (``national.sqlite3`` in the user data folder), a file
path, ``sqlite:///PATH`` or ``postgresql+psycopg://user@host:port/db`` (``postgresql://``
is read as psycopg 3). It runs the store's Alembic migrations up to head, the same ones on
both engines, and refuses a store written by a newer release.

On SQLite every unit of work begins with ``BEGIN IMMEDIATE``, so two processes receiving at
once take turns instead of failing at commit; on PostgreSQL the intake locks the province's
period row (:class:`~ctmt_desktop.ministry.models.Slot`) with ``SELECT … FOR UPDATE``. The
schema's unique constraints hold even if the code did not.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, make_url, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ctmt_desktop.db.revisions import script_head, script_revisions
from ctmt_desktop.errors import StorageError
from ctmt_desktop.ministry.models import StoreMeta
from ctmt_desktop.paths import user_data_dir

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
STORE_FILENAME = "national.sqlite3"
BUSY_TIMEOUT_MS = 30_000


def default_store_url() -> str:
    """``sqlite:///`` the national store file in the user data folder."""
    return f"sqlite:///{user_data_dir() / STORE_FILENAME}"


def normalise_url(text: str | Path | None) -> URL:
    """The SQLAlchemy URL of a store given as a URL, a file path or None (the default).

    Raises:
        StorageError: the text is neither a path nor a SQLite or PostgreSQL URL.
    """
    if text is None or str(text).strip() == "":
        return make_url(default_store_url())
    raw = str(text).strip()
    if "://" not in raw:
        return make_url(f"sqlite:///{Path(raw).expanduser().resolve()}")
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise StorageError(f"{raw!r} is not a store URL: {exc}") from exc
    backend = url.get_backend_name()
    if backend == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url
    raise StorageError(
        f"{url.render_as_string(hide_password=True)}: the national store is a SQLite file or "
        "a PostgreSQL database (postgresql+psycopg://user@host/db)"
    )


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below starts them
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def make_store_engine(url: URL) -> Engine:
    """An engine with the store's settings for ``url`` (SQLite or PostgreSQL)."""
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, json_serializer=_json_text)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        json_serializer=_json_text,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, "application_name": "ctmt-desktop"},
    )


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@dataclass
class Store:
    """An open national store.

    Attributes:
        url: where it is (the password hidden in :attr:`display`).
        engine: the SQLAlchemy engine.
        sessions: factory of ORM sessions (use :meth:`session`).
    """

    url: URL
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def display(self) -> str:
        """The store's location for people: a file path, or the URL without password."""
        if self.is_sqlite:
            return self.url.database or ":memory:"
        return self.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on any error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException as exc:
            try:
                session.rollback()
            except Exception:  # the connection is gone; the server rolls back itself
                pass
            if isinstance(exc, OperationalError):
                raise StorageError(f"{self.display}: the store failed: {exc.orig}") from exc
            raise
        finally:
            session.close()

    def name(self) -> str:
        """The ministry's name kept in the store ("" before ``ctmt ministry init``)."""
        with self.session() as session:
            row = session.get(StoreMeta, "name")
            return row.value if row is not None else ""

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | Path | URL | None = None, *, create: bool = True) -> Store:
    """Open (create, upgrade) the national store at ``url``.

    Raises:
        StorageError: the server cannot be reached, the file cannot be written, or the store
            was written by a newer release, or ``create`` is False and there is none.
    """
    parsed = url if isinstance(url, URL) else normalise_url(url)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and not create:
        database = Path(parsed.database or "")
        if not database.exists():
            raise StorageError(f"{database}: no national store here (ctmt ministry init)")
    try:
        engine = make_store_engine(parsed)
    except OSError as exc:
        raise StorageError(f"{shown}: cannot create the store here ({exc})") from exc
    head, known = _known_revisions()
    try:
        with engine.connect() as connection:
            current = _current_revision(connection)
            connection.rollback()
        if current is not None and current not in known:
            raise StorageError(
                f"{shown}: the store was written by a newer version of CTMT Desktop (schema "
                f"{current}); install that version to open it"
            )
        if current != head:
            if current is None and not create:
                raise StorageError(f"{shown}: no national store here (ctmt ministry init)")
            from alembic import command

            with engine.begin() as connection:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0:1]
        raise StorageError(
            f"{shown}: cannot open the national store ({'; '.join(reason)})"
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return Store(parsed, engine, sessionmaker(engine, expire_on_commit=False))


def _known_revisions() -> tuple[str, set[str]]:
    """(head, every revision) of the store's migrations, read without importing Alembic
    unless the files are beyond :mod:`ctmt_desktop.db.revisions`."""
    chain = script_revisions(MIGRATIONS_DIR)
    head = script_head(chain)
    if chain is not None and head is not None:
        return head, set(chain)
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    alembic_head = script.get_current_head()
    assert alembic_head is not None
    return alembic_head, {rev.revision for rev in script.walk_revisions()}


def _current_revision(connection: Any) -> str | None:
    """The store's revision: one query (None when the store has no version table yet)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    if len(rows) > 1:
        raise StorageError(f"the store is at several schema revisions at once: {rows}")
    return rows[0][0] if rows else None


def init_store(store: Store, name: str, *, user: str) -> bool:
    """Set the ministry's name; return True when it changed (running it again changes
    nothing)."""
    from ctmt_desktop.ministry.audit import log

    name = " ".join(name.split())
    if not name:
        raise StorageError("the ministry's name is empty")
    with store.session() as session:
        row = session.get(StoreMeta, "name")
        if row is not None and row.value == name:
            return False
        if row is None:
            session.add(StoreMeta(key="name", value=name))
            session.add(StoreMeta(key="created_at", value=datetime.now().isoformat("T", "seconds")))
        else:
            row.value = name
        log(session, user, "init", f"store named {name}", detail={"name": name})
    return True


def store_name(session: Session) -> str:
    return session.scalar(select(StoreMeta.value).where(StoreMeta.key == "name")) or ""
