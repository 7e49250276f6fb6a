"""The window's first paint does not wait for the ORM (issue 15).

The app starts in a new process on a database with records, opening on the dashboard or on a
records page (the page left last time). Until the window is shown and its event loop turns,
the GUI thread imports neither SQLAlchemy nor argon2: the profile, the records page and its
counts are read in plain SQL (:meth:`ctmt_desktop.db.Database.reading`), the dashboard's
figures come from the database lane. Then the lane loads the ORM for the first edit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ctmt_desktop.db import Database
from ctmt_desktop.services.records import add_record, record_context

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys, threading
watched = ("sqlalchemy", "argon2")
painted = []
imported_before_paint = []


class Watch:
    def find_spec(self, name, path=None, target=None):
        on_gui = threading.current_thread() is threading.main_thread()
        if on_gui and not painted and name.split(".")[0] in watched:
            imported_before_paint.append(name)
        return None


sys.meta_path.insert(0, Watch())
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([sys.argv[0]])
from ui import app_settings

app_settings().setValue("main_window/page", sys.argv[2])


def first_turn():
    painted.append(True)
    app.quit()


QTimer.singleShot(0, first_turn)  # the first turn of the loop, once the window is shown
from ui.app import main

code = main(["--db", sys.argv[1], "--lang", "en"])
print(code, sorted(set(imported_before_paint)), "ctmt_desktop.db.models" in sys.modules)
"""


@pytest.mark.parametrize("page", ["dashboard", "training"])
def test_the_gui_thread_paints_before_importing_the_orm(
    database: Database, make_record, tmp_path: Path, page: str
) -> None:
    with database.session() as session:
        context = record_context(session, database.path, user="lan")
        for title in ("Lớp tập huấn thông tin cơ sở", "Lớp bồi dưỡng kỹ năng số"):
            add_record(session, context, "training", make_record("training", title=title))
    database.close()
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "CTMT_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(database.path), page],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    # Exit 0, nothing imported before the first paint, and the lane loaded the ORM after it.
    assert done.stdout.strip().splitlines()[-1] == "0 [] True"
