"""Start the ministry's desk: ``python3 main.py --ministry [--store URL] [--demo]``.

Opens the national store (``national.sqlite3`` in the user data folder unless ``--store``
names a file or a ``postgresql+psycopg://`` URL), asks the ministry's name the first time,
and shows :class:`~ui.ministry.window.MinistryWindow`. With ``--demo`` the store is
``national-demo.sqlite3`` in the user data folder; while it holds no package it is filled
with :data:`DEMO_PROVINCES` provinces' signed packages for :data:`DEMO_PERIOD`
(:func:`ctmt_desktop.ministry.demo.build_demo`) off the GUI thread, with a progress dialog.
"""

from __future__ import annotations

import argparse
import getpass
import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ctmt_desktop.catalog import Catalog, load_catalog
from ctmt_desktop.errors import StorageError
from ctmt_desktop.ministry.demo import DEMO_MINISTRY, build_demo
from ctmt_desktop.ministry.status import known_periods
from ctmt_desktop.ministry.store import Store, init_store, open_store
from ctmt_desktop.paths import user_data_dir
from ui import APPLICATION
from ui.db_lane import DbLane, Progress, report_error
from ui.i18n import translate_buttons
from ui.main_window import window_icon
from ui.ministry.common import MinistryContext
from ui.ministry.window import MinistryWindow
from ui.widgets import error_label

DEMO_STORE_NAME = "national-demo.sqlite3"
#: The provinces' demo databases, identities and packages, beside the demo store.
DEMO_FOLDER_NAME = "national-demo"
DEMO_PROVINCES = 12
DEMO_PERIOD = "2025"
DEMO_RECORDS = 300


class MinistryNameDialog(QDialog):
    """Asks the ministry's name, once, when a store has none.

    Attributes:
        name_edit: the name (the ministry of today suggested).
        error_labels: the message under the name, at ``name``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error_labels: dict[str, QLabel] = {}
        self.setWindowTitle(self.tr("The ministry's name"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        intro = QLabel(
            self.tr(
                "This national store has no name yet. Which ministry receives the provinces' "
                "packages? The name heads the national report and can be changed in Settings."
            )
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(DEMO_MINISTRY)
        self.name_edit.setObjectName("ministry_name")
        self.name_edit.selectAll()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(buttons)
        buttons.accepted.connect(self._accept_name)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.name_edit)
        layout.addWidget(error_label("name", self.error_labels))
        layout.addWidget(buttons)

    @property
    def name(self) -> str:
        return " ".join(self.name_edit.text().split())

    def _accept_name(self) -> None:
        if not self.name:
            label = self.error_labels["name"]
            label.setText(self.tr("Type the ministry's name."))
            label.show()
            return
        self.accept()


class _DemoProgress(QObject):
    """Carries the demo's progress from the lane's thread to the dialog (queued).

    Signals:
        step(str, int): the province being made and how many are done.
    """

    step = Signal(str, int)

    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__()
        self._dialog = dialog
        self.step.connect(self._show)

    @Slot(str, int)
    def _show(self, province: str, done: int) -> None:
        self._dialog.setLabelText(
            QCoreApplication.translate(
                "MinistryStartup",
                "Building the demo national desk: the signed package of {province} "
                "({done} of {total})…",
            ).format(province=province, done=done + 1, total=self._dialog.maximum())
        )
        self._dialog.setValue(done)


def store_is_empty(store: Store) -> bool:
    """True while the store holds no submission and no refusal."""
    with store.session() as session:
        return not known_periods(session)


def build_demo_store(
    store: Store, lane: DbLane, catalog: Catalog, folder: Path, parent: QWidget | None = None
) -> bool:
    """Fill ``store`` with the demo (on the lane, a progress dialog meanwhile); False when it
    failed (the error was shown)."""
    dialog = QProgressDialog(
        QCoreApplication.translate("MinistryStartup", "Building the demo national desk…"),
        "",
        0,
        DEMO_PROVINCES,
        parent,
    )
    dialog.setWindowTitle(APPLICATION)
    dialog.setCancelButton(None)  # the demo cannot stop half way; it takes seconds
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(dialog.fontMetrics().averageCharWidth() * 80)
    dialog.setValue(0)
    reporter = _DemoProgress(dialog)
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def operation(session: Session, progress: Progress) -> int:
        del session, progress  # the demo receives its packages through the intake
        shutil.rmtree(folder, ignore_errors=True)  # what an interrupted filling left
        done = 0

        def step(province: str) -> None:
            nonlocal done
            reporter.step.emit(province, done)
            done += 1

        result = build_demo(
            store,
            folder,
            provinces=DEMO_PROVINCES,
            period=DEMO_PERIOD,
            records=DEMO_RECORDS,
            catalog=catalog,
            progress=step,
        )
        return len(result.results)

    def finished(count: int) -> None:
        outcome["received"] = count
        loop.quit()

    def failed(error: BaseException) -> None:
        outcome["error"] = error
        loop.quit()

    dialog.show()
    lane.run(operation, on_success=finished, on_error=failed)
    loop.exec()
    dialog.close()
    dialog.deleteLater()
    reporter.deleteLater()
    if "error" in outcome:
        report_error(parent, outcome["error"])
        return False
    return True


def run_ministry(app: QApplication, args: argparse.Namespace) -> int:
    """Open the store, ask the name when it has none, fill the demo, show the window and run
    the app; return its exit code (1 when the store cannot be used)."""
    from ui.app import show_storage_error

    catalog = load_catalog()
    target: str | Path | None = user_data_dir() / DEMO_STORE_NAME if args.demo else args.store
    try:
        store = open_store(target)
    except StorageError as error:
        show_storage_error(error)
        return 1
    lane = DbLane(store)
    try:
        if args.demo and store_is_empty(store):
            folder = user_data_dir() / DEMO_FOLDER_NAME
            if not build_demo_store(store, lane, catalog, folder):
                return 1
        name = store.name()
        if not name:
            dialog = MinistryNameDialog()
            dialog.setWindowIcon(window_icon())
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return 0
            init_store(store, dialog.name, user=getpass.getuser())
            name = dialog.name
        context = MinistryContext(store, lane, catalog, name, language=args.lang)
        window = MinistryWindow(context)
        window.setWindowIcon(window_icon())
        window.show()
        return app.exec()
    except StorageError as error:
        show_storage_error(error)
        return 1
    finally:
        lane.shutdown()
        store.close()
