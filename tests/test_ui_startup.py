"""Start-up: the daily backup, and a damaged database answered with its last good backup."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from ctmt_desktop.backup import create_backup, list_backups
from ctmt_desktop.db import open_database
from ctmt_desktop.errors import DatabaseDamagedError
from ctmt_desktop.paths import backup_dir
from ctmt_desktop.services.records import add_record, count_records, record_context
from tests.conftest import when_shown
from ui.app import main, offer_backup
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent


def test_the_first_start_of_the_day_makes_a_backup(running_app, database, tmp_path):
    path = database.path
    database.close()
    assert list_backups(backup_dir(path)) == []

    def close_when_backed_up(window: MainWindow) -> None:
        window.context.lane.wait_idle()
        window.close()
        running_app.exit(0)

    when_shown(MainWindow, close_when_backed_up)
    assert main(["--db", str(path), "--lang", "en"]) == 0
    backups = list_backups(backup_dir(path))
    assert len(backups) == 1 and backups[0].reason == "daily"


def test_a_damaged_database_is_replaced_by_its_last_good_backup(database, make_record, monkeypatch):
    with database.session() as session:
        add_record(
            session, record_context(session, database.path), "training", make_record("training")
        )
    create_backup(database.path)
    path = database.path
    database.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the header and the first page
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamagedError) as caught:
        open_database(path)
    assert caught.value.backup is not None

    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Yes)
    restored = offer_backup(caught.value)
    assert restored is not None
    try:
        with restored.session() as session:
            assert count_records(session, "training") == 1
    finally:
        restored.close()
    assert list(path.parent.glob(f"{path.name}.replaced-*"))  # the damaged file is kept


def test_declining_the_backup_leaves_the_damaged_file(database, monkeypatch, qapp):
    create_backup(database.path)
    path = database.path
    database.close()
    path.write_bytes(b"\x00" * 8192)
    with pytest.raises(DatabaseDamagedError) as caught:
        open_database(path)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.No)
    assert offer_backup(caught.value) is None
    assert path.read_bytes() == b"\x00" * 8192
    assert isinstance(QApplication.instance(), QApplication)


def test_main_py_begins_the_check_of_the_database_the_app_will_open(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("ctmt_main", ROOT / "main.py")
    launcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launcher)
    monkeypatch.setenv("CTMT_DATA_DIR", str(tmp_path))
    path = tmp_path / "own.sqlite3"
    assert launcher.early_check(["--db", str(path)]) is None  # no file yet: nothing to check
    open_database(path).close()
    check = launcher.early_check(["--db", str(path), "--lang", "en"])
    assert check is not None and check.path == path
    check.wait(path)  # a sound file
    open_database(tmp_path / "demo.sqlite3").close()
    assert launcher.early_check(["--demo"]).path == tmp_path / "demo.sqlite3"
    for argv in (["--ministry"], ["--self-test"], ["--help"], ["--db"]):
        assert launcher.early_check(argv) is None, argv


def test_the_app_opens_with_the_verdict_of_the_early_check(running_app, database):
    from ctmt_desktop.db import QuickCheck

    path = database.path
    database.close()

    def close(window: MainWindow) -> None:
        window.context.lane.wait_idle()
        window.close()
        running_app.exit(0)

    when_shown(MainWindow, close)
    assert main(["--db", str(path), "--lang", "en"], QuickCheck(path)) == 0
