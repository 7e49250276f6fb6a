"""Start CTMT Desktop: ``python3 main.py [--db PATH] [--demo] [--lang vi|en]``;
``python3 main.py --cli COMMAND…`` runs the ``ctmt`` command line instead.

On first use outside a prepared environment it creates ``.venv`` and installs what the app
needs (see ``installer/bootstrap.py``), then starts again inside it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ctmt_desktop.db import QuickCheck

ROOT = Path(__file__).resolve().parent


def _dependencies_present() -> bool:
    """Whether the packages the app needs can be imported: located, not imported (importing
    Alembic alone costs a quarter of a second, paid by every start for nothing)."""
    from importlib.util import find_spec

    return all(
        find_spec(name) is not None
        for name in ("alembic", "PySide6", "sqlalchemy", "vietnam_provinces")
    )


def _relaunch_in_environment() -> None:
    sys.path.insert(0, str(ROOT / "installer"))
    from bootstrap import VENV, ensure_environment

    if Path(sys.prefix).resolve() == VENV.resolve() and _dependencies_present():
        return
    python = ensure_environment()
    if Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


def early_check(argv: list[str]) -> QuickCheck | None:
    """The ``PRAGMA quick_check`` of the database the app will open, started now on a thread
    of its own: SQLite reads the file on the second core while Qt and SQLAlchemy are imported
    and the window is built, and ``ui.app.main`` opens the database with its verdict. None
    when the arguments open no province database (the ministry's desk, the self-test, help),
    name no file yet, or are not understood (the app's own parser then says why)."""
    import argparse

    from ctmt_desktop.db import QuickCheck
    from ctmt_desktop.paths import app_db_path

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--demo", action="store_true")
    for flag in ("--ministry", "--self-test", "-h", "--help"):
        parser.add_argument(flag, action="store_true", dest=flag.strip("-").replace("-", "_"))
    try:
        args, _rest = parser.parse_known_args(argv)
    except SystemExit:
        return None
    if args.ministry or args.self_test or args.h or args.help:
        return None
    path = app_db_path(args.db, demo=args.demo)
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
    except OSError:
        return None
    return QuickCheck(path)


if __name__ == "__main__":
    if not getattr(sys, "frozen", False) and not _dependencies_present():
        _relaunch_in_environment()
    if sys.argv[1:2] == ["--cli"]:  # the command line (the Linux bundle's ``ctmt``), no Qt
        from ctmt_desktop.cli import main as cli_main

        sys.exit(cli_main(sys.argv[2:]))
    precheck = early_check(sys.argv[1:])  # reads the database while Qt is imported
    from ui.app import main

    sys.exit(main(sys.argv[1:], precheck))
