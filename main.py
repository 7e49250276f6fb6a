"""Start CTMT Desktop: ``python3 main.py [--db PATH] [--demo] [--lang vi|en]``;
``python3 main.py --cli COMMAND…`` runs the ``ctmt`` command line instead.

On first use outside a prepared environment it creates ``.venv`` and installs what the app
needs (see ``installer/bootstrap.py``), then starts again inside it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

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


if __name__ == "__main__":
    if not getattr(sys, "frozen", False) and not _dependencies_present():
        _relaunch_in_environment()
    if sys.argv[1:2] == ["--cli"]:  # the command line (the Linux bundle's ``ctmt``), no Qt
        from ctmt_desktop.cli import main as cli_main

        sys.exit(cli_main(sys.argv[2:]))
    from ui.app import main

    sys.exit(main(sys.argv[1:]))
