"""On a database with accounts, ``ctmt`` asks who acts and enforces roles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ctmt_desktop.accounts import create_user, get_account
from ctmt_desktop.cli import main
from ctmt_desktop.db import open_database


@pytest.fixture
def accounts_db(tmp_path, make_record):
    db = tmp_path / "qt.sqlite3"
    assert main(["init", "--db", str(db), "--province", "44", "--agency", "Sở Văn hóa"]) == 0
    database = open_database(db)
    try:
        with database.session() as session:
            admin = create_user(session, "quantri", "mat-khau-quan-tri", role="admin").actor
            create_user(session, "nhaplieu", "mat-khau-nhap-lieu", role="entry", actor=admin)
    finally:
        database.close()
    record = tmp_path / "lop.json"
    record.write_text(json.dumps(make_record("training")), encoding="utf-8")
    return str(db), str(record)


def test_writing_needs_a_user_and_the_right_password(accounts_db, monkeypatch, capsys):
    db, record = accounts_db
    assert main(["add", "training", "--db", db, "--json", record]) == 1
    assert "--user" in capsys.readouterr().err
    monkeypatch.setenv("CTMT_PASSWORD", "sai-mat-khau")
    assert main(["add", "training", "--db", db, "--json", record, "--user", "nhaplieu"]) == 1
    monkeypatch.setenv("CTMT_PASSWORD", "mat-khau-nhap-lieu")
    assert main(["add", "training", "--db", db, "--json", record, "--user", "nhaplieu"]) == 0


def test_an_entry_user_cannot_restore_but_an_admin_can(accounts_db, tmp_path, monkeypatch, capsys):
    db, _record = accounts_db
    backup = str(tmp_path / "b.zip")
    assert main(["backup", "--db", db, "--out", backup]) == 0
    monkeypatch.setenv("CTMT_PASSWORD", "mat-khau-nhap-lieu")
    assert main(["restore", backup, "--db", db, "--user", "nhaplieu"]) == 1
    assert "admin" in capsys.readouterr().err
    monkeypatch.setenv("CTMT_PASSWORD", "mat-khau-quan-tri")
    assert main(["restore", backup, "--db", db, "--user", "quantri"]) == 0
    database = open_database(Path(db))
    try:
        with database.session() as session:
            assert get_account(session, "quantri") is not None
    finally:
        database.close()


def test_an_entry_user_cannot_approve_or_sign(accounts_db, tmp_path, monkeypatch, capsys):
    db, _record = accounts_db
    monkeypatch.setenv("CTMT_PASSPHRASE", "bi-mat-123")
    p12 = str(tmp_path / "ky.p12")
    assert main(["identity", "create", "--name", "Nguyễn Văn A", "--out", p12]) == 0
    monkeypatch.setenv("CTMT_PASSWORD", "mat-khau-nhap-lieu")
    assert main(["approve", "--db", db, "--period", "2024", "--user", "nhaplieu"]) == 1
    assert "approver" in capsys.readouterr().err
    monkeypatch.setenv("CTMT_PASSWORD", "mat-khau-quan-tri")
    assert main(["approve", "--db", db, "--period", "2024", "--user", "quantri"]) == 0
    monkeypatch.setenv("CTMT_PASSWORD", "mat-khau-nhap-lieu")
    out = str(tmp_path / "goi.zip")
    assert (
        main(
            [
                "package",
                "--db",
                db,
                "--period",
                "2024",
                "--p12",
                p12,
                "--out",
                out,
                "--user",
                "nhaplieu",
            ]
        )
        == 1
    )
    assert "approver" in capsys.readouterr().err
    assert not Path(out).exists()
