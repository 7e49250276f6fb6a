"""The audit trail page and the backups of Settings: listing, filters, before and after,
back up now, the second folder, and restoring an older backup in the open window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ctmt_desktop.backup import list_backups
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.db.models import Activity
from ctmt_desktop.paths import backup_dir
from ctmt_desktop.services.profile import current_profile
from ctmt_desktop.services.records import add_record, delete_record, update_record
from ui.audit_page import AuditModel, AuditPage
from ui.context import AppContext
from ui.db_lane import DbLane
from ui.main_window import MainWindow


@pytest.fixture
def context(database: Database, catalog: Catalog) -> Iterator[AppContext]:
    lane = DbLane(database)
    with database.session() as session:
        profile = current_profile(session)
    shared = AppContext(
        database, lane, catalog, profile.province_code, profile.name, user="lan", language="en"
    )
    yield shared
    shared.lane.shutdown()  # the lane of the database in use (a restore replaces both)
    shared.database.close()


def _on_lane(context: AppContext, operation: Callable[[Any], Any]) -> Any:
    results: list[Any] = []
    errors: list[BaseException] = []
    context.lane.run(
        lambda session, progress: results.append(operation(session)), on_error=errors.append
    )
    assert context.lane.wait_idle()
    if errors:
        raise errors[0]
    return results[0]


def _add(context: AppContext, make_record: Callable[..., dict[str, Any]], **changes: Any) -> int:
    data = make_record("training", **changes)
    return _on_lane(
        context,
        lambda session: add_record(session, context.record_context(session), "training", data),
    )


@pytest.fixture
def worked(context: AppContext, make_record: Callable[..., dict[str, Any]]) -> dict[str, int]:
    """Three records added, the first changed, the second deleted (through the services)."""
    first = _add(context, make_record, title="Tập huấn kỹ năng thông tin cơ sở")
    second = _add(
        context,
        make_record,
        title="Hội nghị Đắk Lắk",
        start_date="2024-08-01",
        end_date="2024-08-02",
    )
    third = _add(
        context, make_record, title="Lớp bồi dưỡng", start_date="2024-10-01", end_date="2024-10-02"
    )
    changed = make_record("training", participants=60)
    _on_lane(
        context,
        lambda session: update_record(
            session, context.record_context(session), "training", first, changed
        ),
    )
    _on_lane(
        context,
        lambda session: delete_record(
            session, "training", second, context=context.record_context(session)
        ),
    )
    return {"first": first, "second": second, "third": third}


def _rows(page: AuditPage) -> list[tuple[str, str]]:
    model = page.model
    return [
        (model.entry(row)["action"], model.entry(row)["entity_id"])
        for row in range(model.rowCount())
    ]


# --- the audit page ---------------------------------------------------------------------------
def test_the_audit_page_lists_exactly_the_actions_newest_first(qtbot, context, worked):
    page = AuditPage(context)
    qtbot.addWidget(page)
    records = [row for row in _rows(page) if row[0] != "profile"]
    first, second, third = (str(worked[key]) for key in ("first", "second", "third"))
    assert records == [
        ("delete", second),
        ("update", first),
        ("create", third),
        ("create", second),
        ("create", first),
    ]
    model = page.model
    assert model.data(model.index(0, 1)) == "lan"
    assert model.data(model.index(0, 2)) == "Deleted"
    assert model.data(model.index(0, 4)) == second
    assert model.data(model.index(0, 5)) == "2024-Q3"
    when = model.data(model.index(0, 0))
    assert len(when) == 16 and when[2] == "/" and when[5] == "/" and when[10] == " "
    assert page.page_title() == "Audit trail"


def test_filters_narrow_the_list(qtbot, context, worked):
    page = AuditPage(context)
    qtbot.addWidget(page)
    page.action_box.setCurrentIndex(page.action_box.findData("create"))
    assert {action for action, _ in _rows(page)} == {"create"}
    assert len(_rows(page)) == 3
    page.clear_filters()
    page.kind_box.setCurrentIndex(page.kind_box.findData("training"))
    assert len(_rows(page)) == 5
    page.search_edit.setText("dak lak")  # diacritics ignored: "Hội nghị Đắk Lắk"
    qtbot.waitUntil(lambda: len(_rows(page)) == 2)
    assert {entity for _, entity in _rows(page)} == {str(worked["second"])}
    page.apply_params({"user": "somebody else"})
    assert page.user_box.currentData() is None  # an unknown user is not a choice
    page.apply_params({"user": "lan", "action": "update"})
    assert _rows(page) == [("update", str(worked["first"]))]
    from datetime import date, timedelta

    page.apply_params({"until": date.today() - timedelta(days=1)})
    assert _rows(page) == []
    assert "0 of 0" in page.range_label.text() or "0–0" in page.range_label.text()


def test_details_show_before_and_after_with_the_changes_marked(qtbot, context, worked):
    page = AuditPage(context)
    qtbot.addWidget(page)
    page.apply_params({"action": "update"})
    page.table.selectRow(0)
    details = page.details
    texts = {
        details.item(row, 0).text(): (details.item(row, 1).text(), details.item(row, 2).text())
        for row in range(details.rowCount())
    }
    assert texts["Participant-times"] == ("50", "60")
    assert "Participant-times" in page.changed_fields()
    assert "Title" not in page.changed_fields()
    page.apply_params({"action": "delete"})
    page.table.selectRow(0)
    assert details.rowCount() > 5
    assert all(details.item(row, 2).text() == "" for row in range(details.rowCount()))
    assert page.changed_fields() == []


def test_the_audit_model_passes_the_model_tester(qtmodeltester, context, worked):
    from ctmt_desktop.audit import entry_to_dict, list_entries

    model = AuditModel(None, "en")
    with context.database.session() as session:
        model.set_entries([entry_to_dict(entry) for entry in list_entries(session)])
    assert model.rowCount() == 6
    qtmodeltester.check(model)


# --- backups ----------------------------------------------------------------------------------
@pytest.fixture
def window(qtbot, context) -> MainWindow:
    shown = MainWindow(context)
    shown._inform = lambda text: None  # no modal message in tests
    qtbot.addWidget(shown)
    shown.show()
    return shown


def _status(window: MainWindow) -> str:
    from PySide6.QtWidgets import QLabel

    return " | ".join(label.text() for label in window.statusBar().findChildren(QLabel))


def test_the_audit_trail_is_in_the_navigation_after_targets(window):
    from PySide6.QtCore import Qt

    keys = [
        window.navigation.item(row).data(Qt.ItemDataRole.UserRole)
        for row in range(window.navigation.count())
    ]
    keys = [key for key in keys if key]
    assert keys.index("audit") == keys.index("targets") + 1
    page = window.show_page("audit")
    assert isinstance(page, AuditPage)
    assert window.windowTitle().startswith("Audit trail")


def test_back_up_now_lists_the_backup_and_the_status_bar_shows_it(window, tmp_path):
    assert "none yet" in _status(window)
    section = window.show_page("settings").backups
    assert section.backups() == []
    usb = tmp_path / "usb"
    section.set_second_folder(usb)
    assert str(usb) in section.folder_label.text()
    section.back_up_now()
    assert window.context.lane.wait_idle()
    assert len(section.backups()) == 1
    info = section.backups()[0]
    assert info.reason == "manual"
    assert section.list.topLevelItemCount() == 1
    assert section.selected() == info
    assert "none yet" not in _status(window)
    assert f"{info.created:%H:%M}" in _status(window)
    assert section.last_label.text().endswith(f"{info.created:%H:%M}")
    copies = list_backups(usb)
    assert [copy.path.name for copy in copies] == [info.path.name]
    with window.context.database.session() as session:
        from ctmt_desktop.audit import list_entries

        assert [entry.action for entry in list_entries(session, action="backup")] == ["backup"]
    audit_page = window.show_page("audit")
    audit_page.apply_params({"action": "backup"})
    assert info.records == 0
    assert audit_page.model.summary(0) == f"Backed up the data to {info.path.name} (0 records)"


def test_restoring_an_older_backup_brings_a_deleted_record_back(window, make_record, monkeypatch):
    context = window.context
    kept_id = _add(context, make_record, title="Bản ghi sẽ được khôi phục")
    section = window.show_page("settings").backups
    section.back_up_now()
    assert context.lane.wait_idle()
    older = section.backups()[0]
    _on_lane(
        context,
        lambda session: delete_record(
            session, "training", kept_id, context=context.record_context(session)
        ),
    )
    records = window.show_page("training")
    assert context.lane.wait_idle()
    assert kept_id not in [records.model.record_id(r) for r in range(records.model.rowCount())]

    asked: list[Any] = []
    monkeypatch.setattr(section, "confirm_restore", lambda info: asked.append(info) or True)
    window.show_page("settings")
    section.select(older)
    old_database = context.database
    section.restore_selected()
    assert asked == [older]
    assert context.database is not old_database
    assert context.lane.wait_idle()
    with context.database.session() as session:
        assert session.get(Activity, kept_id) is not None
    records = window.show_page("training")
    assert context.lane.wait_idle()
    assert kept_id in [records.model.record_id(r) for r in range(records.model.rowCount())]
    reasons = {info.reason for info in list_backups(backup_dir(context.database.path))}
    assert "before-restore" in reasons
    assert list(context.database.path.parent.glob("*.replaced-*"))
    with context.database.session() as session:
        from ctmt_desktop.audit import list_entries

        assert [entry.summary for entry in list_entries(session, action="restore")] == [
            older.path.name
        ]
    audit_page = window.show_page("audit")
    audit_page.apply_params({"action": "restore"})
    assert audit_page.model.summary(0) == (
        f"Restored the data of the backup {older.path.name}; the replaced database file is kept"
    )


def test_a_refused_backup_leaves_the_database_open_and_unchanged(window, tmp_path, monkeypatch):
    context = window.context
    shown: list[BaseException] = []
    monkeypatch.setattr("ui.db_lane.report_error", lambda parent, error: shown.append(error))
    bogus = tmp_path / "ctmt-backup-20240101-000000-manual.zip"
    bogus.write_bytes(b"not a zip")
    with context.database.session() as session:
        profile_before = current_profile(session).name
    assert window.restore_from_backup(bogus) is False
    assert len(shown) == 1 and "not a CTMT backup" in str(shown[0])
    with context.database.session() as session:
        assert current_profile(session).name == profile_before
    assert not list(context.database.path.parent.glob("*.replaced-*"))
    assert window.show_page("settings").backups.backups() == []


def test_an_entry_user_cannot_restore_from_the_window(qtbot, database, monkeypatch):
    """Restoring replaces everyone's work: the window refuses it to an entry user."""
    from ctmt_desktop.accounts import Actor
    from ctmt_desktop.backup import create_backup
    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.services.profile import current_profile
    from ui import db_lane as lane_module
    from ui.context import AppContext
    from ui.db_lane import DbLane
    from ui.main_window import MainWindow

    info = create_backup(database.path)
    lane = DbLane(database)
    with database.session() as session:
        profile = current_profile(session)
    context = AppContext(
        database,
        lane,
        load_catalog(),
        profile.province_code,
        profile.name,
        user="lan",
        actor=Actor("lan", "entry"),
    )
    window = MainWindow(context)
    qtbot.addWidget(window)
    shown = []
    monkeypatch.setattr(lane_module, "report_error", lambda parent, error: shown.append(error))
    try:
        assert window.restore_from_backup(info.path) is False
        assert shown and "admin" in str(shown[0])
        assert window.context.database is database  # nothing was closed or replaced
    finally:
        lane.shutdown()


# --- crafted and foreign backups ---------------------------------------------------------------
def _with_trigger(backup, out):
    """``backup`` with a trigger added to its database that inflates every cost (the
    manifest's checksum kept right, so that only the schema check can refuse it)."""
    import hashlib
    import json
    import sqlite3
    import zipfile
    from contextlib import closing

    copy = out.with_suffix(".sqlite3")
    with zipfile.ZipFile(backup) as archive:
        entries = [(item, archive.read(item)) for item in archive.infolist()]
    data = dict((item.filename, body) for item, body in entries)
    copy.write_bytes(data["database.sqlite3"])
    with closing(sqlite3.connect(copy)) as connection:
        connection.execute(
            "CREATE TRIGGER inflate AFTER INSERT ON training BEGIN "
            "UPDATE training SET cost = cost * 10 WHERE id = NEW.id; END"
        )
        connection.commit()
    manifest = json.loads(data["manifest.json"])
    manifest["sha256"]["database.sqlite3"] = hashlib.sha256(copy.read_bytes()).hexdigest()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("database.sqlite3", copy.read_bytes())
        archive.writestr("manifest.json", json.dumps(manifest))
    copy.unlink()
    return out


def test_a_crafted_backup_is_refused_before_the_database_is_closed(window, tmp_path, monkeypatch):
    from ctmt_desktop.backup import create_backup

    context = window.context
    crafted = _with_trigger(create_backup(context.database.path).path, tmp_path / "crafted.zip")
    shown: list[BaseException] = []
    monkeypatch.setattr("ui.db_lane.report_error", lambda parent, error: shown.append(error))
    database = context.database
    assert window.restore_from_backup(crafted) is False
    [error] = shown
    assert "refused by the schema check" in str(error) and "'inflate'" in str(error)
    assert "\n" not in str(error)
    assert context.database is database  # never closed: nothing was touched
    assert not list(database.path.parent.glob("*.replaced-*"))
    assert not list(database.path.parent.glob(".restore-*"))
    assert [b.reason for b in list_backups(backup_dir(database.path))] == ["manual"]


def test_another_provinces_backup_is_restored_only_when_the_user_says_yes(
    window, tmp_path, catalog, make_record, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from ctmt_desktop.backup import create_backup
    from ctmt_desktop.db import open_database
    from ctmt_desktop.services.profile import ProfileData, set_profile

    other = open_database(tmp_path / "hanoi" / "ctmt.sqlite3")
    try:
        with other.session() as session:
            set_profile(session, ProfileData("Sở Văn hóa và Thể thao", "01"), catalog)
    finally:
        other.close()
    foreign = create_backup(other.path, out=tmp_path / "hanoi.zip").path
    context = window.context
    database = context.database

    asked: list[tuple[str, str, bool]] = []

    def answer_no(box: QMessageBox) -> int:
        no = box.button(QMessageBox.StandardButton.No)
        asked.append((box.text(), box.informativeText(), box.defaultButton() is no))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "exec", answer_no)
    assert window.restore_from_backup(foreign) is False
    [(text, question, default)] = asked
    assert "Sở Văn hóa và Thể thao (Thành phố Hà Nội)" in text and "Quảng Trị" in text
    assert question.endswith("Restore this backup anyway?")
    assert default  # No unless the user chooses otherwise
    assert context.database is database
    assert not list(database.path.parent.glob("*.replaced-*"))

    monkeypatch.setattr(window, "confirm_foreign_restore", lambda error: True)
    assert window.restore_from_backup(foreign) is True
    with context.database.session() as session:
        assert current_profile(session).province_code == "01"
