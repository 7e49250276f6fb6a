"""The database lane: one worker thread that runs database operations one after another.

Long work (imports, reports, packages, backups, demo data, big queries) must not freeze the
window. Every such operation is a plain function of a SQLAlchemy session and a progress
callback; it runs on the lane's thread inside one unit of work (committed when it returns,
rolled back when it raises or is cancelled), never touches a widget, and its result or
error comes back to the GUI thread through queued signals::

    run_db(self, lambda session, progress: services.import_sheet(session, path, progress),
           on_success=self._on_imported, label=self.tr("Importing…"))

``progress(done, total)`` returns False once the user pressed Cancel; the operation should
then raise :class:`Cancelled` (or any error) so its transaction is rolled back.

The lane serves a province's database and the ministry's national store alike: anything whose
``session()`` is such a unit of work.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from ctmt_desktop.errors import CtmtError

if TYPE_CHECKING:  # the lane imports the ORM with its first unit of work, not at start
    from sqlalchemy.orm import Session

Progress = Callable[[int, int], bool]
Operation = Callable[["Session", Progress], Any]


class SessionSource(Protocol):
    """What the lane works on: a province's :class:`~ctmt_desktop.db.Database` or the
    ministry's :class:`~ctmt_desktop.ministry.store.Store`."""

    def session(self) -> AbstractContextManager[Session]: ...


class Cancelled(CtmtError):
    """Raised by an operation that saw its progress callback return False."""


@dataclass
class Job:
    """One operation on the lane.

    Attributes:
        cancelled: set from the GUI thread when the user cancels; read by the worker.
    """

    operation: Operation
    label: str
    cancellable: bool
    on_success: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException], None] | None = None
    cancelled: bool = False
    dialog: QProgressDialog | None = field(default=None, repr=False)


class _Worker(QObject):
    """Lives on the lane's thread. Signals: started(Job), progressed(Job, int, int),
    finished(Job, object), failed(Job, object)."""

    started = Signal(object)
    progressed = Signal(object, int, int)
    finished = Signal(object, object)
    failed = Signal(object, object)

    def __init__(self, database: SessionSource) -> None:
        super().__init__()
        self._database = database

    @Slot(object)
    def run(self, job: Job) -> None:
        self.started.emit(job)

        def progress(done: int, total: int) -> bool:
            self.progressed.emit(job, done, total)
            return not job.cancelled

        try:
            with self._database.session() as session:
                result = job.operation(session, progress)
                if job.cancelled:
                    raise Cancelled("cancelled")
        except BaseException as error:  # reported to the GUI thread, never swallowed
            error.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.failed.emit(job, error)
            return
        self.finished.emit(job, result)


class DbLane(QObject):
    """The single lane of database work for one open database.

    Signals:
        busy_changed(bool): True while an operation runs or waits.
        operation_done(): after every successful operation (views may refresh).
    """

    busy_changed = Signal(bool)
    operation_done = Signal()
    _submit = Signal(object)

    def __init__(self, database: SessionSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._thread = QThread()
        self._thread.setObjectName("database lane")
        self._worker = _Worker(database)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.progressed.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._pending = 0
        self._jobs: list[Job] = []
        self._thread.start()

    def run(
        self,
        operation: Operation,
        *,
        on_success: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        label: str = "",
        parent: QWidget | None = None,
        cancellable: bool = True,
    ) -> Job:
        """Queue ``operation``; a progress dialog appears if it takes more than 400 ms."""
        job = Job(operation, label, cancellable, on_success, on_error)
        if parent is not None and label:
            dialog = QProgressDialog(label, "", 0, 0, parent)
            dialog.setWindowTitle(label.rstrip("…. "))
            dialog.setMinimumDuration(400)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if cancellable:
                dialog.setCancelButtonText(self.tr("Cancel"))
                # A slot of the lane, not a lambda: with a lambda, deleting the dialog's parent
                # before the dialog's deferred deletion ran crashed Qt (PySide6 6.11).
                dialog.canceled.connect(self._on_cancel)
            else:
                dialog.setCancelButton(None)
            job.dialog = dialog
        self._jobs.append(job)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._submit.emit(job)
        return job

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def _on_progress(self, job: Job, done: int, total: int) -> None:
        if job.dialog is not None and not job.cancelled:
            job.dialog.setMaximum(max(total, 0))
            job.dialog.setValue(min(done, total) if total > 0 else 0)

    @Slot()
    def _on_cancel(self) -> None:
        """The Cancel of a job's progress dialog: the job stops at its next progress call."""
        dialog = self.sender()
        for job in self._jobs:
            if job.dialog is dialog:
                job.cancelled = True

    def _finish(self, job: Job) -> None:
        self._jobs = [queued for queued in self._jobs if queued is not job]
        if job.dialog is not None:
            job.dialog.hide()
            job.dialog.deleteLater()
            job.dialog = None
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)

    def _on_finished(self, job: Job, result: object) -> None:
        self._finish(job)
        self.operation_done.emit()
        if job.on_success is not None:
            job.on_success(result)

    def _on_failed(self, job: Job, error: BaseException) -> None:
        self._finish(job)
        if isinstance(error, Cancelled) or job.cancelled:
            return
        if job.on_error is not None:
            job.on_error(error)
        else:
            report_error(None, error)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Process events until every queued operation has finished (tests, shutdown)."""
        from PySide6.QtCore import QDeadlineTimer, QEventLoop

        deadline = QDeadlineTimer(timeout_ms)
        loop = QEventLoop()
        while self._pending and not deadline.hasExpired():
            QTimer.singleShot(10, loop.quit)
            loop.exec()
        return self._pending == 0

    def shutdown(self) -> None:
        """Let the running operation end, then stop the thread."""
        self.wait_idle()
        self._thread.quit()
        self._thread.wait()


def report_error(parent: QWidget | None, error: BaseException) -> None:
    """Show an error: the user's environment or input gets its message, a bug its details."""
    from ui.i18n import translate_buttons

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    if isinstance(error, CtmtError):
        box.setWindowTitle(
            QCoreApplication.translate("ErrorReport", "Cannot complete the operation")
        )
        box.setText(str(error))
    else:
        box.setWindowTitle(QCoreApplication.translate("ErrorReport", "Unexpected error"))
        box.setText(
            QCoreApplication.translate(
                "ErrorReport",
                "Something went wrong inside CTMT Desktop. Nothing was saved by the operation. "
                "Please send the details below to your IT support.",
            )
        )
        box.setDetailedText(getattr(error, "__traceback_text__", repr(error)))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    translate_buttons(box)
    box.exec()
