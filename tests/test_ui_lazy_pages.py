"""Pages are built on first show and read their data once for it; later visits read again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import demo_main_window
from ui.main_window import MainWindow
from ui.records_model import RecordTableModel


@pytest.fixture
def window(qtbot, database, catalog) -> Iterator[MainWindow]:
    yield from demo_main_window(qtbot, database, catalog, records=120, seed=5)


def test_a_records_page_is_built_on_first_visit_and_read_once(window, monkeypatch):
    assert "training" not in window._built  # only the page shown at start is built
    refreshes: list[str] = []
    original = RecordTableModel.refresh

    def counted(model: RecordTableModel) -> None:
        refreshes.append(model.kind)
        original(model)

    monkeypatch.setattr(RecordTableModel, "refresh", counted)
    with window.context.database.session() as session:
        from ctmt_desktop.services.records import count_records

        stored = count_records(session, "training")
    assert stored > 0

    page = window.show_page("training")
    assert window.pages.currentWidget() is page
    assert page.model.rowCount() == stored  # the records are there at the first show
    assert refreshes == []  # built just now: not read a second time

    window.show_page("dashboard")
    window.context.lane.wait_idle()
    again = window.show_page("training")
    assert again is page  # the page is kept
    assert refreshes == ["training"]  # a later visit reads the records again


def test_every_page_shown_for_the_first_time_has_its_content(window):
    for key in ("media", "targets", "audit", "submissions", "settings"):
        page = window.show_page(key)
        window.context.lane.wait_idle()
        assert window.pages.currentWidget() is page
        assert page.page_title() in window.windowTitle()
    media = window.page("media")
    assert media.model.rowCount() == media.model.total_count > 0
