"""The agency profile as plain data, read with plain SQL.

:func:`current_profile_row` is the one definition of which profile is current (the one valid
on a day, else the latest); :func:`ctmt_desktop.services.profile.current_profile` gives it
as an ORM object, the record services and the window's start read it from here without
importing the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ctmt_desktop.services.listing import Source, dbapi_connection


@dataclass(frozen=True)
class ProfileData:
    """An agency profile as plain data (what :func:`~ctmt_desktop.services.profile.set_profile`
    takes; importable from there too)."""

    name: str
    province_code: str
    parent_body: str = ""
    receiving_ministry: str = ""
    valid_from: date = date(2016, 1, 1)
    valid_to: date | None = None


_COLUMNS = ("id", "name", "province_code", "parent_body", "receiving_ministry")


def current_profile_row(source: Source, on: date | None = None) -> dict[str, Any] | None:
    """The profile valid on ``on`` (today by default), or the latest one, as a dict of
    ``id``, ``name``, ``province_code``, ``parent_body`` and ``receiving_ministry``; None
    when the database has no profile yet."""
    connection = dbapi_connection(source)
    day = (on or date.today()).isoformat()
    columns = ", ".join(_COLUMNS)
    row = connection.execute(
        f"SELECT {columns} FROM agency_profile "
        "WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) "
        "ORDER BY valid_from DESC, id DESC LIMIT 1",
        (day, day),
    ).fetchone()
    if row is None:
        row = connection.execute(
            f"SELECT {columns} FROM agency_profile ORDER BY valid_from DESC, id DESC LIMIT 1"
        ).fetchone()
    return dict(zip(_COLUMNS, row, strict=True)) if row is not None else None


def has_accounts(source: Source) -> bool:
    """True once any account exists (then the app asks for a login at start, and the
    command line for ``--user``)."""
    connection = dbapi_connection(source)
    return connection.execute("SELECT 1 FROM user_account LIMIT 1").fetchone() is not None
