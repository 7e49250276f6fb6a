"""Writing rows through a plain :class:`sqlite3.Connection`, stored exactly as the ORM's column
types store them, so that either side reads what the other wrote.

The record services (:mod:`ctmt_desktop.services.records`) and the audit trail's writer
(:func:`ctmt_desktop.audit.write`) insert and update this way: a ``ctmt add`` then never
imports SQLAlchemy, and the window's writes go through the same code on its session's
connection (:func:`ctmt_desktop.services.listing.dbapi_connection`), in its transaction.

Storage, as SQLAlchemy's SQLite dialect keeps it: a ``DateTime`` is the text
``YYYY-MM-DD HH:MM:SS.ffffff`` (microseconds always written), a ``Date`` ``YYYY-MM-DD``, a
``Boolean`` 0 or 1, a ``JSON`` column the JSON text (``ensure_ascii=False``, as
:func:`ctmt_desktop.db.make_engine` serialises it; SQL NULL for None).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

#: The tables and columns these helpers may name (they are put into SQL text).
_NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def datetime_text(moment: datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite: ``2024-05-01 08:30:00.000000``."""
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}"
    )


def sql_value(value: Any) -> Any:
    """``value`` as the column stores it (datetimes and dates as text, booleans as 0/1)."""
    if isinstance(value, datetime):
        return datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def json_value(value: Any) -> str | None:
    """A JSON column's stored text (None stays SQL NULL)."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _name(text: str) -> str:
    if not text or not set(text) <= _NAME_CHARACTERS or text[0].isdigit():
        raise ValueError(f"not a table or column name: {text!r}")
    return text


def _stored(row: Mapping[str, Any], columns: Sequence[str], json_columns: Collection[str]) -> list:
    return [
        json_value(row[name]) if name in json_columns else sql_value(row[name]) for name in columns
    ]


def insert_row(
    connection: sqlite3.Connection,
    table: str,
    row: Mapping[str, Any],
    *,
    json_columns: Collection[str] = (),
) -> int:
    """Insert one row; return its rowid (the id an ``INTEGER PRIMARY KEY`` got)."""
    columns = [_name(name) for name in row]
    cursor = connection.execute(
        f"INSERT INTO {_name(table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})",
        _stored(row, columns, json_columns),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def insert_rows(
    connection: sqlite3.Connection,
    table: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    json_columns: Collection[str] = (),
) -> None:
    """Insert rows that all have the first row's keys (nothing for no rows)."""
    if not rows:
        return
    columns = [_name(name) for name in rows[0]]
    connection.executemany(
        f"INSERT INTO {_name(table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})",
        [_stored(row, columns, json_columns) for row in rows],
    )


def update_row(
    connection: sqlite3.Connection,
    table: str,
    row_id: int,
    values: Mapping[str, Any],
    *,
    json_columns: Collection[str] = (),
) -> None:
    """Set ``values`` on the row ``id = row_id`` of ``table``."""
    if not values:
        return
    columns = [_name(name) for name in values]
    connection.execute(
        f"UPDATE {_name(table)} SET {', '.join(f'{name} = ?' for name in columns)} WHERE id = ?",
        [*_stored(values, columns, json_columns), row_id],
    )
