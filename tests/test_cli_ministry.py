"""``ctmt ministry …``: the issue's scenario end to end on the command line — three
provinces' packages received, one resubmitted as version 2, one replayed, one signed by
another province's key, one tampered — then who has reported, the records and the report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ctmt_desktop.cli import main

if TYPE_CHECKING:
    from conftest import MinistryPackages


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def desk(tmp_path: Path, capsys, ministry_packages: MinistryPackages) -> str:
    store = str(tmp_path / "national.sqlite3")
    code, out, _ = _run(capsys, "ministry", "init", "--store", store, "--name", "Bộ VHTTDL")
    assert code == 0 and "ready" in out
    for kit in (ministry_packages.qt, ministry_packages.hue):
        code, out, err = _run(
            capsys,
            "ministry",
            "register",
            "--store",
            store,
            "--province",
            kit.code,
            "--cert",
            str(kit.certificate_pem),
            "--fingerprint",
            kit.fingerprint.upper(),
        )
        assert code == 0, err
        assert out.startswith("registered:")
    return store


def test_register_refuses_a_wrong_fingerprint(desk, capsys, ministry_packages):
    code, _, err = _run(
        capsys,
        "ministry",
        "register",
        "--store",
        desk,
        "--province",
        "44",
        "--cert",
        str(ministry_packages.qt.certificate_pem),
        "--fingerprint",
        "00" * 32,
    )
    assert code == 1 and "not the certificate's" in err
    with pytest.raises(SystemExit) as usage:
        main(["ministry", "register", "--store", desk, "--province", "44"])
    assert usage.value.code == 2


def test_receive_scenario_status_list_and_report(desk, capsys, ministry_packages, tmp_path):
    p = ministry_packages
    inbox = tmp_path / "usb"
    inbox.mkdir()
    for path in (p.qt_v1, p.qt_v2, p.hue_v1):
        shutil.copy(path, inbox / path.name)
    code, out, err = _run(capsys, "ministry", "receive", "--store", desk, str(inbox))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("accepted: QuangTri_2025_v1.zip (44 Quảng Trị 2025 v1)")
    assert lines[1].startswith("superseded 1: QuangTri_2025_v2.zip")
    assert lines[2].startswith("accepted: ThanhPhoHue_2025_v1.zip")

    code, out, err = _run(
        capsys,
        "ministry",
        "receive",
        "--store",
        desk,
        str(p.qt_v1),
        str(p.qt_v2),
        str(p.hue_by_qt_key),
        str(p.tampered),
    )
    assert code == 1
    assert out.splitlines() == [
        line for line in out.splitlines() if line.startswith("duplicate: QuangTri_2025_v2.zip")
    ]
    refused = err.splitlines()
    assert refused[0].startswith("refused: QuangTri_2025_v1.zip") and "replay" in refused[0]
    assert "signer_registered" in refused[1] and "registered for province 44" in refused[1]
    assert refused[2].startswith("refused: tampered.zip") and "checksums" in refused[2]

    code, out, _ = _run(
        capsys, "ministry", "status", "--store", desk, "--period", "2025", "--format", "json"
    )
    assert code == 0
    cells = {cell["province"]: cell for cell in json.loads(out)}
    assert len(cells) == 34
    assert cells["44"]["state"] == "on_time" and cells["44"]["version"] == 2
    assert cells["44"]["superseded_versions"] == [1]
    assert cells["46"]["state"] == "late"
    assert cells["01"]["state"] == "missing" and cells["01"]["received_at"] is None
    assert cells["44"]["counts"]["records"] > 0 and cells["44"]["received_at"]
    code, out, _ = _run(capsys, "ministry", "status", "--store", desk, "--period", "2025")
    assert "received 2/34" in out and "Quảng Trị" in out
    code, out, _ = _run(
        capsys, "ministry", "status", "--store", desk, "--period", "2025", "--format", "csv"
    )
    assert out.splitlines()[0].startswith("province,name,state")

    code, out, _ = _run(
        capsys,
        "ministry",
        "list",
        "training",
        "--store",
        desk,
        "--province",
        "44",
        "--format",
        "json",
    )
    records = json.loads(out)
    assert records and {r["province"] for r in records} == {"44"}
    code, out, _ = _run(capsys, "ministry", "signers", "--store", desk, "--format", "json")
    assert {s["province_code"] for s in json.loads(out)} == {"44", "46"}

    pdf = tmp_path / "national.pdf"
    code, out, _ = _run(
        capsys, "ministry", "report", "--store", desk, "--period", "2025", "--out", str(pdf)
    )
    assert code == 0 and "2/34" in out
    assert pdf.read_bytes().startswith(b"%PDF-")
    code, _, err = _run(
        capsys,
        "ministry",
        "report",
        "--store",
        desk,
        "--period",
        "2025",
        "--out",
        str(tmp_path / "national.txt"),
    )
    assert code == 2


def test_receive_without_packages_and_missing_store(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    store = str(tmp_path / "s.sqlite3")
    assert _run(capsys, "ministry", "init", "--store", store, "--name", "Bộ")[0] == 0
    code, _, err = _run(capsys, "ministry", "receive", "--store", store, str(empty))
    assert code == 1 and "no package" in err
    code, _, err = _run(
        capsys, "ministry", "status", "--store", str(tmp_path / "none.sqlite3"), "--period", "2025"
    )
    assert code == 1 and "no national store" in err
    code, _, err = _run(capsys, "ministry", "status", "--store", "mysql://x/y", "--period", "2025")
    assert code == 1 and "PostgreSQL" in err


def test_ministry_demo(tmp_path, capsys):
    store = str(tmp_path / "demo.sqlite3")
    code, out, _ = _run(
        capsys,
        "ministry",
        "demo",
        "--store",
        store,
        "--provinces",
        "3",
        "--period",
        "2025",
        "--records",
        "40",
    )
    assert code == 0
    assert out.count("accepted") >= 1 and "refused" in out and "superseded 1" in out
    code, out, _ = _run(
        capsys, "ministry", "status", "--store", store, "--period", "2025", "--format", "json"
    )
    states = [cell["state"] for cell in json.loads(out)]
    assert states.count("missing") == 31 and "refused" in states
