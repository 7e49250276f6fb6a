"""Where things live: bundled resources, the user's data and backup folders.

``CTMT_DATA_DIR`` overrides the user's data folder (tests and portable installs use it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "CTMT Desktop"
APP_AUTHOR = "CTMT"
DB_FILENAME = "ctmt.sqlite3"
DEMO_DB_FILENAME = "demo.sqlite3"


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package, or inside a frozen build."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def user_data_dir() -> Path:
    """The user's own data folder (created on first use)."""
    override = os.environ.get("CTMT_DATA_DIR")
    if override:
        path = Path(override)
    else:
        import platformdirs  # here, not at the top: most runs never need it

        path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    """The database the app and ``ctmt`` use when no ``--db`` is given."""
    return user_data_dir() / DB_FILENAME


def app_db_path(db: Path | None = None, *, demo: bool = False) -> Path:
    """The province's database the desktop app opens: ``--db``, the demo database in the
    user data folder (``--demo``), or the user's own."""
    return user_data_dir() / DEMO_DB_FILENAME if demo else (db or default_db_path())


def evidence_dir(db_path: Path) -> Path:
    """The content-addressed evidence store that sits beside a database file."""
    return db_path.with_name(db_path.name + ".evidence")


def backup_dir(db_path: Path) -> Path:
    """Where automatic backups of a database go: a folder beside it."""
    return db_path.with_name(db_path.name + ".backups")
