"""Backups: complete and checked, rotated over days, restorable, and never half-applied."""

from __future__ import annotations

import sqlite3
import zipfile
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ctmt_desktop.backup import (
    DATABASE_ENTRY,
    automatic_backup,
    create_backup,
    list_backups,
    read_backup,
    restore_backup,
    rotation_keep,
)
from ctmt_desktop.db import open_database
from ctmt_desktop.errors import StorageError
from ctmt_desktop.paths import backup_dir, evidence_dir
from ctmt_desktop.services.records import add_record, count_records, record_context


def _titles(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("SELECT title FROM activity ORDER BY id")]


def _add(database, make_record, title: str, evidence: Path | None = None) -> None:
    with database.session() as session:
        context = record_context(session, database.path)
        record = make_record("training", title=title)
        if evidence is not None:
            record["evidence"] = [{"path": str(evidence)}]
        add_record(session, context, "training", record)


def test_backup_holds_the_database_and_its_evidence(database, make_record, tmp_path):
    scan = tmp_path / "danh-sach.pdf"
    scan.write_bytes(b"%PDF attendance list")
    _add(database, make_record, "Lớp có minh chứng", evidence=scan)
    info = create_backup(database.path, reason="manual")
    assert info.path.parent == backup_dir(database.path)
    assert info.records == 1 and info.evidence_files == 1
    with zipfile.ZipFile(info.path) as archive:
        names = archive.namelist()
        archive.extract(DATABASE_ENTRY, tmp_path / "x")
    assert DATABASE_ENTRY in names and any(n.startswith("evidence/") for n in names)
    copy = tmp_path / "x" / DATABASE_ENTRY
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _titles(copy) == ["Lớp có minh chứng"]
    assert not [p for p in info.path.parent.iterdir() if p.name.startswith(".")]


def test_rotation_keeps_7_daily_4_weekly_12_monthly(tmp_path):
    now = datetime(2026, 11, 22, 9, 0)
    times = [now - timedelta(days=day, hours=hour) for day in range(400) for hour in (0, 5)]
    keep = rotation_keep(times, now)
    days = {t.date() for t in keep}
    assert {(now - timedelta(days=d)).date() for d in range(7)} <= days
    assert len({t.isocalendar()[:2] for t in keep}) >= 4
    assert len({(t.year, t.month) for t in keep}) == 12
    assert len(keep) <= 7 + 4 + 12 + 2
    assert min(keep) > now - timedelta(days=366)


def test_daily_backups_over_simulated_days_are_rotated(database, make_record):
    start = datetime(2026, 1, 1, 8, 0)
    for day in range(120):
        moment = start + timedelta(days=day)
        if day % 10 == 0:
            _add(database, make_record, f"Lớp ngày {day}")
        assert automatic_backup(database.path, now=moment) is not None
        assert automatic_backup(database.path, now=moment + timedelta(hours=3)) is None
    backups = list_backups(backup_dir(database.path))
    now = start + timedelta(days=119)
    assert len(backups) <= 7 + 4 + 12 + 1
    assert {b.created.date() for b in backups} >= {
        (now - timedelta(days=d)).date() for d in range(7)
    }
    assert len({(b.created.year, b.created.month) for b in backups}) == 4  # Jan..Apr


def test_second_folder_gets_a_copy(database, tmp_path):
    usb = tmp_path / "usb" / "ctmt"
    info = automatic_backup(database.path, second_folder=usb, now=datetime(2026, 5, 4, 8))
    assert info is not None
    assert (usb / info.path.name).is_file()
    assert read_backup(usb / info.path.name).created == info.created


def test_each_backup_restores_to_what_it_held(database, make_record, tmp_path):
    backups = []
    for number in range(3):
        _add(database, make_record, f"Lớp số {number}")
        backups.append(create_backup(database.path, now=datetime(2026, 3, 1 + number, 9)))
    path = database.path
    database.close()
    for number, info in enumerate(backups):
        kept = restore_backup(info.path, path, now=datetime(2026, 4, 1, 9, number))
        assert kept is not None and kept.exists()
        assert _titles(path) == [f"Lớp số {n}" for n in range(number + 1)]
        reopened = open_database(path)
        try:
            with reopened.session() as session:
                assert count_records(session, "training") == number + 1
        finally:
            reopened.close()


def test_restore_brings_back_evidence_files(database, make_record, tmp_path):
    scan = tmp_path / "anh.jpg"
    scan.write_bytes(b"\xff\xd8 photo of the class")
    _add(database, make_record, "Lớp có ảnh", evidence=scan)
    info = create_backup(database.path)
    path = database.path
    database.close()
    store = evidence_dir(path)
    for file in store.rglob("*"):
        if file.is_file():
            file.unlink()
    restore_backup(info.path, path)
    assert [p.read_bytes() for p in store.rglob("*") if p.is_file()] == [scan.read_bytes()]


def test_a_damaged_backup_is_refused_and_nothing_is_replaced(database, make_record, tmp_path):
    _add(database, make_record, "Lớp cần giữ")
    info = create_backup(database.path)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(info.path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == DATABASE_ENTRY:
                data = data[:-4096] + b"\0" * 4096
            target.writestr(item, data)
    path = database.path
    database.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="damaged"):
        restore_backup(damaged, path)
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.replaced-*"))


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    bogus = tmp_path / "ctmt-backup-x.zip"
    bogus.write_text("hello")
    with pytest.raises(StorageError, match="not a CTMT backup"):
        read_backup(bogus)
