"""``ctmt identity create``, ``approve``, ``reopen``, ``package`` and ``verify``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ctmt_desktop.cli import main


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CTMT_PASSPHRASE", "bi-mat-cua-so")
    db = str(tmp_path / "qt.sqlite3")
    assert (
        main(
            [
                "init",
                "--db",
                db,
                "--province",
                "44",
                "--agency",
                "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị",
            ]
        )
        == 0
    )
    assert main(["demo", "--db", db, "--records", "120", "--seed", "2"]) == 0
    p12 = str(tmp_path / "ky-so.p12")
    form = str(tmp_path / "dang-ky.pdf")
    assert (
        main(
            [
                "identity",
                "create",
                "--name",
                "Nguyễn Văn A",
                "--out",
                p12,
                "--form",
                form,
                "--db",
                db,
            ]
        )
        == 0
    )
    return {
        "db": db,
        "p12": p12,
        "pem": str(tmp_path / "ky-so.pem"),
        "form": form,
        "dir": str(tmp_path),
    }


def test_approve_package_and_verify(setup, capsys):
    s = setup
    assert Path(s["form"]).stat().st_size > 1000
    out = str(Path(s["dir"]) / "goi.zip")
    assert (
        main(["package", "--db", s["db"], "--period", "2024", "--p12", s["p12"], "--out", out]) == 1
    )
    assert "approv" in capsys.readouterr().err.lower()
    assert main(["approve", "--db", s["db"], "--period", "2024", "--confirm-drafts"]) == 0
    assert (
        main(["package", "--db", s["db"], "--period", "2024", "--p12", s["p12"], "--out", out]) == 0
    )
    capsys.readouterr()
    assert main(["verify", out, "--registered", s["pem"], "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert main(["verify", out]) == 1
    assert "signer_trusted" in capsys.readouterr().err
    missing = str(Path(s["dir"]) / "khong-co.pem")
    assert main(["verify", out, "--registered", missing]) == 1
    error = capsys.readouterr().err
    assert "khong-co.pem: cannot read the certificate file" in error
    assert "Traceback" not in error


def test_a_packaged_period_is_locked_until_reopened_and_version_2_supersedes_1(setup, capsys):
    s = setup
    first, second = (str(Path(s["dir"]) / name) for name in ("v1.zip", "v2.zip"))
    assert main(["approve", "--db", s["db"], "--period", "2024", "--confirm-drafts"]) == 0
    assert (
        main(["package", "--db", s["db"], "--period", "2024", "--p12", s["p12"], "--out", first])
        == 0
    )
    capsys.readouterr()
    assert main(["list", "training", "--db", s["db"], "--period", "2024", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records
    assert main(["delete", "training", str(records[0]["id"]), "--db", s["db"]]) == 1
    assert "2024" in capsys.readouterr().err
    assert (
        main(["reopen", "--db", s["db"], "--period", "2024", "--reason", "Bổ sung số liệu quý IV"])
        == 0
    )
    assert main(["delete", "training", str(records[0]["id"]), "--db", s["db"]]) == 0
    assert main(["approve", "--db", s["db"], "--period", "2024", "--confirm-drafts"]) == 0
    capsys.readouterr()
    assert (
        main(["package", "--db", s["db"], "--period", "2024", "--p12", s["p12"], "--out", second])
        == 0
    )
    assert "version 2" in capsys.readouterr().out
    assert main(["verify", second, "--registered", s["pem"], "--format", "json"]) == 0
    facts = json.loads(capsys.readouterr().out)["facts"]
    assert str(facts["version"]) == "2" and facts["supersedes"] not in ("", "none", None)


def test_package_usage_errors(setup):
    s = setup
    out = str(Path(s["dir"]) / "x.zip")
    assert main(["package", "--db", s["db"], "--period", "2024", "--out", out]) == 2
    assert (
        main(
            [
                "package",
                "--db",
                s["db"],
                "--period",
                "2024",
                "--p12",
                s["p12"],
                "--pkcs11-module",
                "/x.so",
                "--out",
                out,
            ]
        )
        == 2
    )


@pytest.mark.parametrize("existing", ["p12", "pem", "form"])
def test_identity_create_never_overwrites_a_key_a_certificate_or_a_form(
    existing: str, setup: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    s = setup
    folder = Path(s["dir"]) / "moi"
    folder.mkdir()
    paths = {
        "p12": folder / "ky-so.p12",
        "pem": folder / "ky-so.pem",
        "form": folder / "dang-ky.pdf",
    }
    paths[existing].write_bytes(b"do not touch")
    capsys.readouterr()
    argv = ["identity", "create", "--name", "Nguyễn Văn B", "--out", str(paths["p12"])]
    assert main([*argv, "--form", str(paths["form"])]) == 1
    err = capsys.readouterr().err
    assert str(paths[existing]) in err and "never overwritten" in err
    assert "Traceback" not in err
    assert paths[existing].read_bytes() == b"do not touch"
    assert [p for p in paths.values() if p.exists()] == [paths[existing]]
    # The identity made in the fixture is refused the same way: its key is kept.
    key = Path(s["p12"]).read_bytes()
    assert main(["identity", "create", "--name", "Nguyễn Văn B", "--out", s["p12"]]) == 1
    assert s["p12"] in capsys.readouterr().err
    assert Path(s["p12"]).read_bytes() == key


# --- approval lists the drafts and freezes the period --------------------------------------------
def _drafts(db: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    argv = ["list", "{kind}", "--db", db, "--period", "2024", "--status", "draft"]
    found: list[dict[str, object]] = []
    for kind in ("training", "event", "media", "cluster", "radio", "device", "criterion"):
        assert main([a.replace("{kind}", kind) for a in argv] + ["--format", "json"]) == 0
        found += json.loads(capsys.readouterr().out)
    return found


def test_approval_lists_the_drafts_and_refuses_until_they_are_confirmed(
    setup: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    s = setup
    drafts = _drafts(s["db"], capsys)
    assert drafts  # the demo's 2024 holds a draft
    assert main(["approve", "--db", s["db"], "--period", "2024"]) == 1
    out, err = capsys.readouterr()
    head, *listed = err.splitlines()
    assert out == "" and head.startswith("period: 2024 cannot be approved while ")
    assert "--confirm-drafts" in head
    assert len(listed) == len(drafts)
    assert all(f"#{d['id']} (" in "\n".join(listed) for d in drafts)
    assert _drafts(s["db"], capsys) == drafts  # nothing confirmed, nothing approved
    assert main(["reopen", "--db", s["db"], "--period", "2024", "--reason", "x"]) == 1
    capsys.readouterr()
    assert main(["approve", "--db", s["db"], "--period", "2024", "--confirm-drafts"]) == 0
    out = capsys.readouterr().out
    assert f"Confirmed {len(drafts)} draft record(s) starting in 2024" in out
    assert "frozen until an approver reopens it" in out
    assert _drafts(s["db"], capsys) == []


def test_an_approved_period_refuses_adding_editing_deleting_and_importing_until_reopened(
    setup: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = setup
    capsys.readouterr()
    assert main(["list", "media", "--db", s["db"], "--period", "2024-H1", "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)[0]
    sheet = tmp_path / "media.xlsx"
    assert main(["export-xlsx", "--db", s["db"], "--out", str(sheet), "--period", "2024-H1"]) == 0
    assert main(["approve", "--db", s["db"], "--period", "2024-H1", "--confirm-drafts"]) == 0
    copy = {k: v for k, v in record.items() if k != "id"} | {"title": "Tờ gấp mới"}
    source = tmp_path / "moi.json"
    source.write_text(json.dumps(copy, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    for argv in (
        ["add", "media", "--db", s["db"], "--json", str(source)],
        ["delete", "media", str(record["id"]), "--db", s["db"]],
    ):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "the period 2024-H1 was approved by" in err, err
        assert "ctmt reopen --period 2024-H1 --reason TEXT" in err
    for extra in (["--dry-run"], []):
        argv = ["import-xlsx", str(sheet), "--db", s["db"], "--allow-duplicate", *extra]
        assert main(argv) == 1
        lines = capsys.readouterr().err.splitlines()
        assert lines and all(line.startswith("sheet '") for line in lines)
        assert all(", row " in line and ", column " in line for line in lines)
        assert all("2024-H1 was approved" in line for line in lines)
    # 2024-H2 is not approved: its records stay open.
    second_half = copy | {"start_date": "2024-09-02", "end_date": "2024-09-02"}
    source.write_text(json.dumps(second_half, ensure_ascii=False), encoding="utf-8")
    assert main(["add", "media", "--db", s["db"], "--json", str(source)]) == 0
    assert main(["reopen", "--db", s["db"], "--period", "2024-H1", "--reason", "   "]) == 1
    reason = "Sở Tài chính đề nghị bổ sung"
    assert main(["reopen", "--db", s["db"], "--period", "2024-H1", "--reason", reason]) == 0
    source.write_text(json.dumps(copy, ensure_ascii=False), encoding="utf-8")
    assert main(["add", "media", "--db", s["db"], "--json", str(source)]) == 0
    assert main(["delete", "media", str(record["id"]), "--db", s["db"]]) == 0
