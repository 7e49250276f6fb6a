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
    try:
        import alembic  # noqa: F401
        import PySide6  # noqa: F401
        import sqlalchemy  # noqa: F401
        import vietnam_provinces  # noqa: F401
    except ImportError:
        return False
    return True


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
