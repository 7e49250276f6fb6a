"""The return path on the command line: ``ctmt ministry review``, ``ctmt ministry receipts``
(PKCS#12 and a SoftHSM2 token), ``ctmt receipt import`` with the ministry's certificate
remembered, forged, foreign and tampered receipts refused with exit 1 and one line, and the
ministry's comments in ``ctmt show``."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from exchange_kit import PASSPHRASE, Exchange, build_exchange, copy_kit, openssl_verify_detached
from softhsm import TOKEN_LABEL, TOKEN_PIN, Token, make_token, softhsm_tools, write_config
from sqlalchemy import func, select

from ctmt_desktop.cli import main
from ctmt_desktop.db import open_database
from ctmt_desktop.db.models import MinistryReceipt

if TYPE_CHECKING:
    from conftest import MinistryPackages

    from ctmt_desktop.ministry.demo import ProvinceKit


@pytest.fixture(scope="module")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> Exchange:
    return build_exchange(tmp_path_factory.mktemp("cli-exchange"))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def qt(exchange: Exchange, tmp_path: Path) -> ProvinceKit:
    return copy_kit(exchange.qt, tmp_path / "qt")


@pytest.fixture
def desk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], qt: ProvinceKit, exchange: Exchange
) -> str:
    """A national store with Quảng Trị registered and its version 1 received."""
    store = str(tmp_path / "national.sqlite3")
    assert _run(capsys, "ministry", "init", "--store", store, "--name", "Bộ VHTTDL")[0] == 0
    code, _, err = _run(
        capsys,
        "ministry",
        "register",
        "--store",
        store,
        "--province",
        "44",
        "--cert",
        str(qt.certificate_pem),
        "--fingerprint",
        qt.fingerprint,
    )
    assert code == 0, err
    code, out, err = _run(capsys, "ministry", "receive", "--store", store, str(exchange.v1))
    assert code == 0 and out.startswith("accepted:"), err
    return store


def _ids(store: str, count: int) -> list[tuple[str, int]]:
    from ctmt_desktop.ministry.models import NationalRecord
    from ctmt_desktop.ministry.store import open_store

    opened = open_store(store, create=False)
    try:
        with opened.session() as session:
            rows = session.execute(
                select(NationalRecord.kind, NationalRecord.record_id)
                .order_by(NationalRecord.record_id)
                .limit(count)
            ).all()
    finally:
        opened.close()
    return [(kind, int(record_id)) for kind, record_id in rows]


def _receipts_command(store: str, out: Path, exchange: Exchange, *more: str) -> list[str]:
    return [
        "ministry",
        "receipts",
        "--store",
        store,
        "--out",
        str(out),
        "--p12",
        str(exchange.ministry.p12),
        "--passphrase-env",
        "MINISTRY_PASS",
        *more,
    ]


def _count(kit: ProvinceKit) -> int:
    database = open_database(kit.db_path)
    try:
        with database.session() as session:
            return int(session.scalar(select(func.count()).select_from(MinistryReceipt)) or 0)
    finally:
        database.close()


def test_review_receipts_import_and_show(
    desk: str,
    qt: ProvinceKit,
    exchange: Exchange,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MINISTRY_PASS", PASSPHRASE)
    (kind1, first), (kind2, second) = _ids(desk, 2)
    review = ["ministry", "review", "--store", desk, "--province", "44", "--period", "2025"]
    code, _, err = _run(
        capsys, *review, "--state", "has_issues", "--record-comment", "987654=không có"
    )
    assert code == 1 and err == "ctmt: no such record in this package: 987654\n"
    with pytest.raises(SystemExit) as usage:
        main([*review, "--state", "pending"])
    assert usage.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    code, out, err = _run(
        capsys,
        *review,
        "--state",
        "has_issues",
        "--comment",
        "Hai bản ghi cần sửa",
        "--record-comment",
        f"{first}=Thiếu số người là nữ",
        "--record-comment",
        f"{kind2}/{second}=Sai ngày bắt đầu",
    )
    assert code == 0, err
    assert out.startswith("reviewed: 44 Quảng Trị 2025 v1: has_issues, 2 record comment(s)")

    usb = tmp_path / "usb"
    code, out, err = _run(capsys, *_receipts_command(desk, usb, exchange, "--province", "44"))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "accepted, review has_issues: QuangTri_2025_v1.zip.receipt.json (44 2025 v1)"
    assert lines[-1] == f"1 receipts (1 accepted, 0 refused) in {usb}"
    receipt = usb / "QuangTri_2025_v1.zip.receipt.json"
    checked = openssl_verify_detached(
        receipt, receipt.with_name(receipt.name + ".p7s"), exchange.ministry.pem
    )
    assert checked.returncode == 0, checked.stderr

    db = str(qt.db_path)
    code, _, err = _run(capsys, "receipt", "import", str(receipt), "--db", db)
    assert code == 1 and "no ministry certificate" in err and err.count("\n") == 1
    code, _, err = _run(
        capsys,
        "receipt",
        "import",
        str(receipt),
        "--db",
        db,
        "--ministry-cert",
        str(exchange.forger.pem),
    )
    assert code == 1 and "not the ministry's certificate" in err and err.count("\n") == 1
    assert _count(qt) == 0
    code, out, err = _run(
        capsys,
        "receipt",
        "import",
        str(receipt),
        "--db",
        db,
        "--ministry-cert",
        str(exchange.ministry.pem),
    )
    assert code == 0, err
    assert "is kept in the agency profile" in out
    assert out.splitlines()[-1] == (
        "imported: QuangTri_2025_v1.zip.receipt.json (2025 v1): accepted, review has_issues, "
        "2 record comments"
    )
    code, out, err = _run(capsys, "receipt", "import", str(usb), "--db", db)  # remembered
    assert code == 0 and "imported already" in out and "nothing changed" in out, err

    code, out, err = _run(capsys, "show", kind1, str(first), "--db", db)
    assert code == 0, err
    shown = json.loads(out)
    (comment,) = shown["ministry_comments"]
    assert comment["comment"] == "Thiếu số người là nữ" and comment["open"] is True
    assert comment["review_state"] == "has_issues" and comment["package_version"] == 1
    code, out, err = _run(capsys, "show", kind2, str(second), "--db", db)
    assert json.loads(out)["ministry_comments"][0]["comment"] == "Sai ngày bắt đầu"

    # Tampered on the way: the review changed in the JSON, the signature kept.
    tampered = tmp_path / "tampered" / receipt.name
    tampered.parent.mkdir()
    tampered.write_bytes(receipt.read_bytes().replace(b"has_issues", b"accepted__"))
    shutil.copy(receipt.with_name(receipt.name + ".p7s"), tampered.with_name(receipt.name + ".p7s"))
    code, _, err = _run(capsys, "receipt", "import", str(tampered), "--db", db)
    assert code == 1 and "not what was signed" in err and err.count("\n") == 1
    assert _count(qt) == 1
    code, _, err = _run(capsys, "receipt", "import", str(tmp_path / "nowhere.json"), "--db", db)
    assert code == 2 and "no such file or folder" in err


def test_a_foreign_receipt_is_refused_with_exit_1(
    desk: str,
    qt: ProvinceKit,
    exchange: Exchange,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    ministry_packages: MinistryPackages,
) -> None:
    monkeypatch.setenv("MINISTRY_PASS", PASSPHRASE)
    hue = ministry_packages.hue
    code, _, err = _run(
        capsys,
        "ministry",
        "register",
        "--store",
        desk,
        "--province",
        "46",
        "--cert",
        str(hue.certificate_pem),
        "--fingerprint",
        hue.fingerprint,
    )
    assert code == 0, err
    _run(capsys, "ministry", "receive", "--store", desk, str(ministry_packages.hue_v1))
    out_dir = tmp_path / "hue"
    code, _, err = _run(capsys, *_receipts_command(desk, out_dir, exchange, "--province", "46"))
    assert code == 0, err
    (receipt,) = out_dir.glob("*.receipt.json")
    code, _, err = _run(
        capsys,
        "receipt",
        "import",
        str(receipt),
        "--db",
        str(qt.db_path),
        "--ministry-cert",
        str(exchange.ministry.pem),
    )
    assert code == 1
    assert err == (
        f"refused: {receipt.name}: a receipt for province 46; this database is province 44's; "
        "nothing was imported\n"
    )
    assert _count(qt) == 0
    code, _, err = _run(
        capsys, *_receipts_command(desk, tmp_path / "none", exchange, "--province", "01")
    )
    assert code == 1 and "no package received for 01" in err


@pytest.fixture(scope="module")
def ministry_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    softhsm_tools()
    folder = tmp_path_factory.mktemp("cli-receipt-token")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(write_config(folder)))
        yield make_token(folder)


def test_receipts_signed_on_a_token_from_the_command_line(
    ministry_token: Token,
    desk: str,
    qt: ProvinceKit,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    monkeypatch.setenv("MINISTRY_PIN", TOKEN_PIN)
    out_dir = tmp_path / "usb"
    code, _, err = _run(
        capsys,
        "ministry",
        "receipts",
        "--store",
        desk,
        "--out",
        str(out_dir),
        "--period",
        "2025",
        "--pkcs11-module",
        ministry_token.module,
        "--token-label",
        TOKEN_LABEL,
        "--pin-env",
        "MINISTRY_PIN",
    )
    assert code == 0, err
    pem = tmp_path / "ministry.pem"
    pem.write_bytes(ministry_token.cert.public_bytes(Encoding.PEM))
    code, out, err = _run(
        capsys,
        "receipt",
        "import",
        str(out_dir),
        "--db",
        str(qt.db_path),
        "--ministry-cert",
        str(pem),
    )
    assert code == 0 and "accepted, review received" in out, err
