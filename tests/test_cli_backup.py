"""``ctmt backup`` and ``ctmt restore``."""

from __future__ import annotations

from ctmt_desktop.cli import main


def test_backup_then_restore_brings_back_deleted_records(tmp_path, capsys):
    db = str(tmp_path / "qt.sqlite3")
    out = str(tmp_path / "save.zip")
    assert main(["init", "--db", db, "--province", "44", "--agency", "Sở Văn hóa"]) == 0
    assert main(["demo", "--db", db, "--records", "20"]) == 0
    assert main(["backup", "--db", db, "--out", out]) == 0
    assert main(["delete", "training", "1", "--db", db]) == 0
    capsys.readouterr()
    assert main(["restore", out, "--db", db]) == 0
    assert "replaced database is kept" in capsys.readouterr().out
    assert main(["show", "training", "1", "--db", db]) == 0


def test_restore_of_a_non_backup_is_refused_and_changes_nothing(tmp_path, capsys):
    db = tmp_path / "qt.sqlite3"
    assert main(["init", "--db", str(db), "--province", "44", "--agency", "Sở Văn hóa"]) == 0
    before = db.read_bytes()
    bogus = tmp_path / "notes.zip"
    bogus.write_text("not a zip")
    assert main(["restore", str(bogus), "--db", str(db)]) == 1
    assert "not a CTMT backup" in capsys.readouterr().err
    assert db.read_bytes() == before


def test_backup_of_a_missing_database_is_refused(tmp_path, capsys):
    assert main(["backup", "--db", str(tmp_path / "none.sqlite3")]) == 1
    assert "no database file" in capsys.readouterr().err


def test_an_import_is_preceded_by_a_backup(tmp_path, capsys):
    from ctmt_desktop.backup import list_backups
    from ctmt_desktop.paths import backup_dir

    db = tmp_path / "qt.sqlite3"
    assert main(["init", "--db", str(db), "--province", "44", "--agency", "Sở Văn hóa"]) == 0
    assert main(["demo", "--db", str(db), "--records", "20"]) == 0
    sheet = tmp_path / "training.xlsx"
    assert main(["export-xlsx", "--db", str(db), "--out", str(sheet), "--kind", "training"]) == 0
    other = tmp_path / "other.sqlite3"
    assert main(["init", "--db", str(other), "--province", "44", "--agency", "Sở khác"]) == 0
    assert main(["import-xlsx", str(sheet), "--db", str(other), "--dry-run"]) == 0
    assert [b.reason for b in list_backups(backup_dir(other))] == []
    assert main(["import-xlsx", str(sheet), "--db", str(other)]) == 0
    assert [b.reason for b in list_backups(backup_dir(other))] == ["before-import"]


def test_restore_of_another_agency_or_province_asks_for_force(tmp_path, capsys):
    ours = tmp_path / "qt.sqlite3"
    assert main(["init", "--db", str(ours), "--province", "44", "--agency", "Sở Văn hóa"]) == 0
    assert main(["demo", "--db", str(ours), "--records", "20"]) == 0
    for name, province, agency in (
        ("hue", "46", "Sở Văn hóa"),  # another province
        ("khac", "44", "Sở Dân tộc và Tôn giáo"),  # another agency of the province
    ):
        theirs = tmp_path / f"{name}.sqlite3"
        assert main(["init", "--db", str(theirs), "--province", province, "--agency", agency]) == 0
        backup = tmp_path / f"{name}.zip"
        assert main(["backup", "--db", str(theirs), "--out", str(backup)]) == 0
        before = ours.read_bytes()
        capsys.readouterr()
        assert main(["restore", str(backup), "--db", str(ours)]) == 1
        err = capsys.readouterr().err
        assert "--force" in err and str(backup) in err and "Traceback" not in err
        assert f"province {province}" in err
        assert len(err.strip().splitlines()) == 1  # one line naming the file and the check
        assert ours.read_bytes() == before
        assert main(["show", "training", "1", "--db", str(ours)]) == 0  # our records stay
    capsys.readouterr()
    assert main(["restore", str(tmp_path / "hue.zip"), "--db", str(ours), "--force"]) == 0
    assert "replaced database is kept" in capsys.readouterr().out
    assert main(["show", "training", "1", "--db", str(ours)]) == 1  # the other one's, empty
