"""The test infrastructure of the national store: ``store_url`` gives an empty database on
SQLite and on a real PostgreSQL server (tests/pgserver.py), ``pg_url`` a fresh one each time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

PROVINCES = [("44", "Quảng Trị"), ("66", "Đắk Lắk")]

metadata = sa.MetaData()
province = sa.Table(
    "province",
    metadata,
    sa.Column("code", sa.String(2), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
)


@pytest.fixture
def engines() -> Iterator[list[Engine]]:
    """Engines made by a test, disposed of before its database is dropped."""
    made: list[Engine] = []
    yield made
    for engine in made:
        engine.dispose()


def test_store_keeps_vietnamese_text(store_url: str, engines: list[Engine]) -> None:
    engine = sa.create_engine(store_url)
    engines.append(engine)
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(province.insert(), [{"code": c, "name": n} for c, n in PROVINCES])
    with engine.connect() as connection:
        rows = connection.execute(sa.select(province.c.code, province.c.name).order_by("code"))
        assert [tuple(row) for row in rows] == PROVINCES
        found = connection.execute(sa.select(province.c.code).where(province.c.name == "Đắk Lắk"))
        assert found.scalar_one() == "66"
    assert engine.dialect.name == make_url(store_url).get_backend_name()


def test_store_url_is_sqlite_then_postgresql(store_url: str) -> None:
    assert make_url(store_url).get_backend_name() in ("sqlite", "postgresql")
    if store_url.startswith("postgresql"):
        assert make_url(store_url).drivername == "postgresql+psycopg"


def test_postgresql_speaks_utf8(pg_url: str, engines: list[Engine]) -> None:
    engine = sa.create_engine(pg_url)
    engines.append(engine)
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SHOW server_encoding")) == "UTF8"
        assert connection.scalar(sa.text("SHOW client_encoding")) == "UTF8"
        assert connection.scalar(sa.select(sa.func.length("Quảng Trị"))) == 9


def test_each_pg_url_is_a_new_empty_database(
    pg_server: str, pg_url: str, request: pytest.FixtureRequest, engines: list[Engine]
) -> None:
    first = sa.create_engine(pg_url)
    engines.append(first)
    metadata.create_all(first)
    with first.begin() as connection:
        connection.execute(province.insert(), [{"code": "44", "name": "Quảng Trị"}])

    # pytest gives a test one pg_url: a second database on the same server is made by hand.
    other_name = make_url(pg_url).database + "_b"
    admin = sa.create_engine(pg_server, isolation_level="AUTOCOMMIT")
    engines.append(admin)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{other_name}"'))
    request.addfinalizer(lambda: _drop(admin, other_name))
    second = sa.create_engine(make_url(pg_url).set(database=other_name))
    engines.append(second)

    assert make_url(pg_url).database != other_name
    assert sa.inspect(first).get_table_names() == ["province"]
    assert sa.inspect(second).get_table_names() == []
    with admin.connect() as connection:
        names = connection.scalars(sa.text("SELECT datname FROM pg_database")).all()
    assert {make_url(pg_url).database, other_name} <= set(names)


def _drop(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


_seen: set[str] = set()


@pytest.mark.parametrize("round_", [1, 2])
def test_pg_url_differs_between_tests(pg_url: str, round_: int) -> None:
    name = make_url(pg_url).database
    assert name not in _seen
    _seen.add(name)


def test_two_engines_see_each_others_commits(pg_url: str, engines: list[Engine]) -> None:
    writer = sa.create_engine(pg_url)
    reader = sa.create_engine(pg_url)
    engines.extend([writer, reader])
    metadata.create_all(writer)
    with reader.connect() as watching, writer.connect() as writing:
        writing.execute(province.insert().values(code="44", name="Quảng Trị"))
        count = sa.select(sa.func.count()).select_from(province)
        assert watching.scalar(count) == 0  # not committed yet
        watching.rollback()
        writing.commit()
        assert watching.scalar(sa.select(province.c.name)) == "Quảng Trị"
        watching.rollback()
        watching.execute(province.insert().values(code="66", name="Đắk Lắk"))
        watching.commit()
        names = writing.scalars(sa.select(province.c.name).order_by(province.c.code)).all()
        assert names == ["Quảng Trị", "Đắk Lắk"]
