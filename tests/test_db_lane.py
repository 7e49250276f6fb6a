"""The database lane runs operations off the GUI thread, one at a time, in a unit of work."""

from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from ctmt_desktop.services.records import add_record, count_records, record_context
from ui.db_lane import Cancelled, DbLane


@pytest.fixture
def lane(database, qtbot):
    lane = DbLane(database)
    yield lane
    lane.shutdown()


def test_operation_runs_on_another_thread_and_result_comes_back(lane, qtbot):
    results = []
    gui_thread = threading.get_ident()
    lane.run(lambda session, progress: threading.get_ident(), on_success=results.append)
    assert lane.wait_idle()
    assert results and results[0] != gui_thread


def test_operations_commit_in_order(lane, database, make_record):
    order = []

    def add(title):
        def operation(session, progress):
            context = record_context(session, database.path)
            add_record(session, context, "training", make_record("training", title=title))
            order.append(title)

        return operation

    for title in ("Lớp một", "Lớp hai", "Lớp ba"):
        lane.run(add(title))
    assert lane.wait_idle()
    assert order == ["Lớp một", "Lớp hai", "Lớp ba"]
    with database.session() as session:
        assert count_records(session, "training") == 3


def test_failing_operation_is_rolled_back_and_reported(lane, database, make_record):
    errors = []

    def operation(session, progress):
        context = record_context(session, database.path)
        add_record(session, context, "training", make_record("training"))
        raise RuntimeError("disk went away")

    lane.run(operation, on_error=errors.append)
    assert lane.wait_idle()
    assert [str(e) for e in errors] == ["disk went away"]
    with database.session() as session:
        assert count_records(session, "training") == 0


def test_cancel_from_the_progress_dialog_rolls_back(lane, database, make_record, qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    release = threading.Event()
    outcomes = []

    def operation(session, progress):
        context = record_context(session, database.path)
        add_record(session, context, "training", make_record("training"))
        started.set()
        release.wait(5)
        if not progress(1, 2):
            raise Cancelled("stopped by the user")
        return "finished"

    job = lane.run(operation, label="Đang nhập…", parent=parent, on_success=outcomes.append,
                   on_error=outcomes.append)  # fmt: skip
    assert started.wait(5)
    assert job.dialog is not None
    job.dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    release.set()
    assert lane.wait_idle()
    assert outcomes == []  # a cancel is neither a success nor an error to report
    with database.session() as session:
        assert count_records(session, "training") == 0


class _Page(QWidget):
    """A page that runs a labelled (cancellable) operation reporting its steps, as the
    ministry's Receive page does.

    Signals:
        step(object): a step of the operation (emitted on the lane's thread).
        finished(object): the operation's result.
    """

    step = Signal(object)
    finished = Signal(object)

    def __init__(self, lane: DbLane) -> None:
        super().__init__()
        self.lane = lane
        self.steps: list[int] = []
        self.step.connect(self._on_step)

    def start(self) -> None:
        def operation(session, progress):
            for number in range(3):
                progress(number, 3)
                self.step.emit(number)
            return 3

        self.lane.run(operation, on_success=self._done, label="Working…", parent=self)

    def _on_step(self, number: int) -> None:
        self.steps.append(number)

    def _done(self, result: int) -> None:
        self.finished.emit(result)


def test_a_page_deleted_right_after_its_cancellable_operation_does_not_crash(lane, qtbot):
    """The operation's progress dialog is a child of the page; the page deleted before the
    dialog's deferred deletion ran crashed Qt (PySide6 6.11, a bus error) while the dialog's
    Cancel was connected to a lambda."""
    page = _Page(lane)
    with qtbot.waitSignal(page.finished, timeout=10_000):
        page.start()
    del page  # its dialog's deleteLater() is still pending
    gc.collect()
    for _ in range(3):
        QApplication.processEvents()
    done = []
    lane.run(lambda session, progress: 2, on_success=done.append)
    assert lane.wait_idle() and done == [2]
