"""The database lane runs operations off the GUI thread, one at a time, in a unit of work."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QPushButton, QWidget

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
