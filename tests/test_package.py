"""Submission packages: approving, locking and reopening periods; signing identities;
building, signing and verifying packages; a corpus of hostile packages."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import io
import json
import os
import re
import shutil
import stat
import struct
import subprocess
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfReader
from reportlab.graphics.barcode.qr import QrCodeWidget
from softhsm import TOKEN_LABEL, TOKEN_PIN, Token, make_token, softhsm_tools, write_config

from ctmt_desktop import audit
from ctmt_desktop.accounts import Actor
from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.errors import PeriodLockedError, PermissionDeniedError, ValidationError
from ctmt_desktop.evidence import EvidenceStore
from ctmt_desktop.kinds import KIND_CODES, kind_spec
from ctmt_desktop.package import build, verify
from ctmt_desktop.package import parts as package_parts
from ctmt_desktop.package.build import MIN_PART_SIZE, PackageResult, build_package
from ctmt_desktop.package.verify import VerificationReport
from ctmt_desktop.paths import evidence_dir
from ctmt_desktop.reports.figures import Agency
from ctmt_desktop.services import approval
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import (
    RecordContext,
    add_record,
    delete_record,
    get_record,
    record_context,
    update_record,
)
from ctmt_desktop.signing import identity

MakeRecord = Callable[..., dict[str, Any]]
APPROVER = Actor("truong.phong", "approver")
ENTRY = Actor("lan", "entry")
FINGERPRINT = "ab" * 32
LAO_BAO = "19432"
#: Records of 2024-H1 (and one of 2024-H2 that no 2024-H1 package may carry).
SAMPLE_RECORDS: dict[str, dict[str, Any]] = {
    "training": {
        "program": "GNBV21.DA6.TDA1.ND1",
        "title": "Tập huấn kỹ năng thông tin cơ sở",
        "start_date": "2024-03-05",
        "end_date": "2024-03-07",
        "places": [LAO_BAO],
        "funding_source": "NSTW",
        "days": 3,
        "form": "in_person",
        "participants": 50,
        "participants_female": 20,
        "cost": 45_000_000,
    },
    "event": {
        "program": "GNBV21.DA6.TDA2.ND1",
        "title": "Đối thoại chính sách giảm nghèo",
        "start_date": "2024-05-10",
        "places": [LAO_BAO],
        "funding_source": "NSDP",
        "event_type": "policy_dialogue",
        "participants": 80,
    },
    "media": {
        "program": "GNBV21.DA6.TDA2.ND2",
        "title": "Chương trình phát thanh tiếng Bru - Vân Kiều",
        "start_date": "2024-04-01",
        "places": ["44"],
        "funding_source": "NSTW",
        "media_type": "radio_programme",
        "quantity": 12,
        "quantity_unit": "programme",
        "language": "bru_van_kieu",
    },
    "radio": {
        "program": "NTM21.TC8.83",
        "title": "Nâng cấp đài truyền thanh xã Lao Bảo",
        "start_date": "2024-06-15",
        "places": [LAO_BAO],
        "funding_source": "LONGGHEP",
        "technology": "it_telecom",
        "hamlets": 10,
        "hamlets_covered": 8,
    },
    "device": {
        "program": "GNBV21.DA6.TDA1",
        "title": "Hỗ trợ ti vi cho hộ nghèo (quý 3)",
        "start_date": "2024-08-01",
        "places": [LAO_BAO],
        "funding_source": "NSTW",
        "device_type": "tv",
        "quantity": 10,
        "beneficiary_group": "poor",
    },
}


def _context(session: Any, database: Database) -> RecordContext:
    return record_context(session, database.path, user="tester")


def _add(database: Database, kind: str, data: dict[str, Any]) -> int:
    with database.session() as session:
        return add_record(session, _context(session, database), kind, data)


def _lock(database: Database, period: str, *, approve: bool = True) -> approval.PackageInfo:
    """Approve (when asked) and register a package for ``period``, which locks it."""
    with database.session() as session:
        if approve:
            approval.approve_period(session, APPROVER, period, confirm_drafts=True)
        version, supersedes = approval.next_version(session, period)
        return approval.record_package(
            session,
            APPROVER,
            period=period,
            version=version,
            supersedes=supersedes,
            package_id=f"00000000-0000-4000-8000-{version:012d}",
            file_path=f"/tmp/{period}_v{version}.zip",
            signer_fingerprint=FINGERPRINT.upper(),  # stored lower case
            signer_subject="CN=Test",
        )


# --- approval and locks -------------------------------------------------------------------------
def test_approval_needs_the_approver_role_and_is_audited(database: Database) -> None:
    with database.session() as session, pytest.raises(PermissionDeniedError):
        approval.approve_period(session, ENTRY, "2024-H1")
    with database.session() as session:
        state = approval.approve_period(session, APPROVER, "2024-h1")
        assert state.period == "2024-H1" and state.approved and not state.locked
        assert state.approved_by == "truong.phong"
    with database.session() as session:
        [entry] = audit.list_entries(session, action="approve")
        assert entry.kind == "period" and entry.entity_id == "2024-H1"
        assert entry.username == "truong.phong" and entry.role == "approver"
        with pytest.raises(ValidationError) as caught:
            approval.approve_period(session, APPROVER, "2024-H1")
        assert caught.value.problems[0].code == "already_approved"


def test_packaging_needs_an_approval(database: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        _lock(database, "2024-H1", approve=False)
    assert caught.value.problems[0].code == "not_approved"
    assert "ctmt approve --period 2024-H1" in str(caught.value)


def test_approval_freezes_the_period_and_its_package_locks_it(
    database: Database, make_record: MakeRecord
) -> None:
    # Changed by "approve freezes the period" (issue 13): an approved period no longer stays
    # open until its package is made; the package still marks it locked.
    record_id = _add(database, "training", make_record("training"))  # starts 05/03/2024
    with database.session() as session:
        state = approval.approve_period(session, APPROVER, "2024-H1", confirm_drafts=True)
        assert state.frozen and not state.locked
        assert approval.is_locked(session, date(2024, 3, 5))
        assert not approval.is_locked(session, date(2024, 7, 1))
    with database.session() as session, pytest.raises(PeriodLockedError) as caught:
        update_record(
            session,
            _context(session, database),
            "training",
            record_id,
            make_record("training", title="Tập huấn (đã sửa)"),
        )
    assert caught.value.period == "2024-H1" and caught.value.locked_at is None
    assert caught.value.approved_by == "truong.phong"
    assert "was approved by truong.phong on" in str(caught.value)
    assert "ctmt reopen --period 2024-H1 --reason" in str(caught.value)
    package = _lock(database, "2024-H1", approve=False)  # approved above
    assert package.signer_fingerprint == FINGERPRINT
    with database.session() as session:
        assert approval.is_locked(session, date(2024, 3, 5))
        assert approval.is_locked(session, date(2024, 6, 30))
        assert not approval.is_locked(session, date(2024, 7, 1))
        assert not approval.is_locked(session, date(2023, 12, 31))
        assert approval.list_packages(session) == [package]
        assert approval.get_approval(session, "2024-H1").locked  # type: ignore[union-attr]
    with database.session() as session, pytest.raises(PeriodLockedError) as caught:
        delete_record(session, "training", record_id, user="tester")
    assert "since its package was made" in str(caught.value)


def test_locked_period_refuses_adding_changing_and_deleting(
    database: Database, make_record: MakeRecord
) -> None:
    record_id = _add(database, "training", make_record("training"))  # 05/03/2024
    other_id = _add(database, "event", make_record("event", start_date="2024-08-10"))
    _lock(database, "2024-Q1")

    def refused(action: Callable[[Any], Any]) -> PeriodLockedError:
        with database.session() as session, pytest.raises(PeriodLockedError) as caught:
            action(session)
        return caught.value

    error = refused(
        lambda s: add_record(
            s, _context(s, database), "training", make_record("training", title="Lớp mới")
        )
    )
    assert error.period == "2024-Q1" and error.day == date(2024, 3, 5)
    assert "2024-Q1" in str(error) and "ctmt reopen --period 2024-Q1 --reason" in str(error)
    refused(
        lambda s: update_record(
            s, _context(s, database), "training", record_id, make_record("training", title="X")
        )
    )
    # Invalid data still says "locked" first: the lock is checked before validation.
    refused(
        lambda s: update_record(
            s, _context(s, database), "training", record_id, make_record("training", days=99)
        )
    )
    refused(lambda s: delete_record(s, "training", record_id, user="tester"))
    # Moving an open record into the locked period is refused too.
    moved = make_record("event", start_date="2024-02-01")
    refused(lambda s: update_record(s, _context(s, database), "event", other_id, moved))
    with database.session() as session:
        assert (
            get_record(session, "training", record_id)["title"] == make_record("training")["title"]
        )
        # Records outside the locked period stay editable.
        update_record(
            session,
            _context(session, database),
            "event",
            other_id,
            make_record("event", start_date="2024-08-10", title="Đối thoại (sửa)"),
        )


def test_overlapping_periods_lock_their_days(database: Database, make_record: MakeRecord) -> None:
    _lock(database, "2024")
    with database.session() as session:
        locked = approval.locking_period(session, date(2024, 11, 2))
        assert locked is not None and locked.period == "2024"
        approval.approve_period(session, APPROVER, "2024-Q4", confirm_drafts=True)
    with pytest.raises(PeriodLockedError) as caught:
        _add(database, "event", make_record("event", start_date="2024-11-02"))
    assert caught.value.period == "2024"


def test_reopen_needs_a_reason_and_unlocks(database: Database, make_record: MakeRecord) -> None:
    record_id = _add(database, "training", make_record("training"))
    first = _lock(database, "2024-H1")
    with database.session() as session:
        with pytest.raises(ValidationError) as caught:
            approval.reopen_period(session, APPROVER, "2024-H1", "   ")
        assert caught.value.problems[0].field == "reason"
        with pytest.raises(PermissionDeniedError):
            approval.reopen_period(session, ENTRY, "2024-H1", "Sửa số liệu")
        with pytest.raises(ValidationError) as not_approved:
            approval.reopen_period(session, APPROVER, "2023", "Sửa số liệu")
        assert not_approved.value.problems[0].code == "not_approved"
    with database.session() as session:
        state = approval.reopen_period(
            session, APPROVER, "2024-H1", "Sở Tài chính yêu cầu điều chỉnh  số giải ngân"
        )
        assert state.status == "reopened" and not state.locked
        assert state.reopen_reason == "Sở Tài chính yêu cầu điều chỉnh số giải ngân"
        update_record(
            session,
            _context(session, database),
            "training",
            record_id,
            make_record("training", participants=55),
        )
        [entry] = audit.list_entries(session, action="reopen")
        assert "điều chỉnh" in entry.summary and entry.before["locked"] is True
    # A reopened period must be approved again before its next package.
    with pytest.raises(ValidationError):
        _lock(database, "2024-H1", approve=False)
    second = _lock(database, "2024-H1")
    assert (first.version, second.version) == (1, 2)
    assert second.supersedes == first.package_id
    with database.session() as session:
        assert [p.version for p in approval.list_packages(session, "2024-H1")] == [2, 1]
        assert approval.is_locked(session, date(2024, 3, 5))


def test_stale_version_is_refused(database: Database) -> None:
    _lock(database, "2024-Q2")
    with database.session() as session, pytest.raises(ValidationError) as caught:
        approval.record_package(
            session,
            APPROVER,
            period="2024-Q2",
            version=1,
            supersedes=None,
            package_id="22222222-2222-4222-8222-222222222222",
            file_path="/tmp/x.zip",
            signer_fingerprint=FINGERPRINT,
            signer_subject="CN=Test",
        )
    assert caught.value.problems[0].code == "stale_version"


# --- signing identities ------------------------------------------------------------------------
PASSPHRASE = "mật-khẩu-ký-số"  # non-ASCII on purpose: UTF-8 bytes protect the file


def _agency() -> Agency:
    return Agency(
        name="Sở Văn hóa, Thể thao và Du lịch",
        parent_body="Ủy ban nhân dân tỉnh Quảng Trị",
        province_code="44",
        province_name="Quảng Trị",
        receiving_ministry="Bộ Văn hóa, Thể thao và Du lịch",
    )


@pytest.mark.parametrize("key_type", ["rsa", "ec"])
def test_self_issued_identity_round_trips_through_pkcs12(tmp_path: Path, key_type: str) -> None:
    out = tmp_path / "khoa" / "so-vhttdl.p12"
    cert = identity.create_self_issued(
        "Sở VHTTDL Quảng Trị",
        out,
        PASSPHRASE,
        key_type=key_type,
        organization="Sở VHTTDL",  # type: ignore[arg-type]
    )
    assert [p.name for p in out.parent.iterdir()] == ["so-vhttdl.p12"]  # no temporary left
    loaded = identity.load_pkcs12(out, PASSPHRASE)
    assert loaded.certificate == cert
    key = cert.public_key()
    if key_type == "rsa":
        assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 3072
    else:
        assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
    assert cert.subject == cert.issuer
    assert cert.subject.rfc4514_string().startswith("CN=Sở VHTTDL Quảng Trị")
    fingerprint = identity.fingerprint_sha256(cert)
    assert fingerprint == cert.fingerprint(hashes.SHA256()).hex()
    assert identity.fingerprint_sha256(identity.to_asn1(cert)) == fingerprint
    assert identity.format_fingerprint(fingerprint).count(":") == 31
    signer = identity.pkcs12_signer(out, PASSPHRASE)
    assert identity.fingerprint_sha256(signer.signing_cert) == fingerprint
    with pytest.raises(identity.IdentityError) as caught:
        identity.load_pkcs12(out, "sai mật khẩu")
    assert "passphrase is wrong" in str(caught.value)


def test_self_issued_identity_needs_a_name_and_a_real_passphrase(tmp_path: Path) -> None:
    with pytest.raises(identity.IdentityError):
        identity.create_self_issued("  ", tmp_path / "a.p12", PASSPHRASE, key_type="ec")
    with pytest.raises(identity.IdentityError):
        identity.create_self_issued("Sở", tmp_path / "a.p12", "ngắn", key_type="ec")
    assert not (tmp_path / "a.p12").exists()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_openssl_reads_the_pkcs12_file(tmp_path: Path) -> None:
    out = tmp_path / "id.p12"
    cert = identity.create_self_issued("Sở", out, "mat-khau-1", key_type="ec")
    result = subprocess.run(
        ["openssl", "pkcs12", "-in", str(out), "-nokeys", "-passin", "pass:mat-khau-1"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pem = result.stdout[result.stdout.index(b"-----BEGIN CERTIFICATE") :]
    assert x509.load_pem_x509_certificate(pem) == cert


def test_registration_form_shows_the_fingerprint_and_room_to_sign(tmp_path: Path) -> None:
    cert = identity.create_self_issued(
        "Sở VHTTDL Quảng Trị", tmp_path / "id.p12", PASSPHRASE, key_type="ec"
    )
    path = identity.registration_form_pdf(
        cert, _agency(), tmp_path / "phieu.pdf", issued_on=date(2026, 3, 5)
    )
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    grouped = identity.format_fingerprint(identity.fingerprint_sha256(cert))
    assert grouped[:47] in text and grouped[-47:] in text  # both printed lines
    for words in (
        "PHIẾU ĐĂNG KÝ CHỨNG THƯ SỐ TỰ CẤP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "Kính gửi: Bộ Văn hóa, Thể thao và Du lịch",
        "Quảng Trị, ngày 05 tháng 3 năm 2026",
        "THỦ TRƯỞNG CƠ QUAN",
        "(Ký, ghi rõ họ tên và đóng dấu)",
        "EC secp256r1",
    ):
        assert words in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Serif" in name or "Times" in name for name in fonts), fonts
    # The QR code is drawn from the fingerprint: the same widget drawn alone matches.
    qr = QrCodeWidget(identity.fingerprint_sha256(cert), barLevel="M")
    assert qr.value == identity.fingerprint_sha256(cert)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_token_modules_are_found_by_their_usual_names(tmp_path: Path) -> None:
    (tmp_path / "viettel-ca_v6.dll").write_bytes(b"MZ")
    (tmp_path / "vnpt-ca_csp11.dll").write_bytes(b"MZ")
    (tmp_path / "other.dll").write_bytes(b"MZ")
    found = identity.find_token_modules(tmp_path)
    assert [(ca, path.name) for ca, path in found] == [
        ("Viettel-CA", "viettel-ca_v6.dll"),
        ("VNPT-CA", "vnpt-ca_csp11.dll"),
    ]
    with pytest.raises(identity.IdentityError):
        with identity.pkcs11_signer(tmp_path / "missing.so", "token", "1234"):
            pass


# --- a small PKI for the tests ----------------------------------------------------------------
def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _issue(
    common_name: str,
    *,
    issuer: tuple[Any, x509.Certificate] | None = None,
    ca: bool = False,
    start: datetime | None = None,
    days: int = 365,
) -> tuple[Any, x509.Certificate]:
    """An EC P-256 key and its certificate: a CA (self-signed when no issuer) or a signer."""
    key = ec.generate_private_key(ec.SECP256R1())
    begin = start or datetime.now(UTC) - timedelta(days=1)
    issuer_key, issuer_cert = issuer if issuer else (key, None)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer_cert.subject if issuer_cert else _name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(begin)
        .not_valid_after(begin + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if issuer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    usage = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    if ca:
        usage.update(key_cert_sign=True, crl_sign=True)
    else:
        usage.update(digital_signature=True, content_commitment=True)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False
        )
    builder = builder.add_extension(x509.KeyUsage(**usage), critical=True)
    return key, builder.sign(issuer_key, hashes.SHA256())


def _pem(path: Path, *certs: x509.Certificate) -> Path:
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    return path


@dataclass
class World:
    """A database with records of 2024-H1, identities, and packages made from it."""

    folder: Path
    db_path: Path
    p12: Path  # the department's self-issued identity
    cert: x509.Certificate
    root: x509.Certificate  # a CA the ministry trusts
    root_pem: Path
    ca_p12: Path  # a signer certified by that CA
    ca_cert: x509.Certificate
    old_root: tuple[Any, x509.Certificate]  # a trusted CA since 2019 (issues expired signers)
    package: Path  # v1, signed with the self-issued identity
    parts_v1: list[Path]  # v2 (same records), split into parts
    parts_v2: list[Path]  # v3, split the same way
    signer_factory: Callable[[], Any]


def _add_sample_records(db: Database, folder: Path) -> None:
    photo = folder / "ảnh lớp học.jpg"
    photo.write_bytes(os.urandom(70_000))  # incompressible: several parts of 64 KiB
    scan = folder / "danh sách.pdf"
    scan.write_bytes(b"%PDF-1.4 danh sach hoc vien " * 200)
    with db.session() as session:
        context = record_context(session, db.path, user="lan")
        for kind, data in SAMPLE_RECORDS.items():
            data = copy.deepcopy(data)
            if kind == "training":
                data["evidence"] = [
                    {"path": str(photo), "name": photo.name},
                    {"path": str(scan), "name": scan.name},
                ]
            add_record(session, context, kind, data)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("world")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CTMT_DATA_DIR", str(folder / "data"))
        catalog = load_catalog()
        db = open_database(folder / "ctmt.sqlite3")
        try:
            with db.session() as session:
                set_profile(
                    session,
                    ProfileData(
                        "Sở Văn hóa, Thể thao và Du lịch",
                        "44",
                        parent_body="Ủy ban nhân dân tỉnh Quảng Trị",
                        receiving_ministry="Bộ Văn hóa, Thể thao và Du lịch",
                    ),
                    catalog,
                )
            _add_sample_records(db, folder)
            p12 = folder / "so-vhttdl.p12"
            cert = identity.create_self_issued(
                "Sở VHTTDL Quảng Trị", p12, PASSPHRASE, key_type="ec"
            )
            root_key, root = _issue("Root CA thử nghiệm", ca=True, days=3650)
            ca_key, ca_cert = _issue("Người ký có chứng thư", issuer=(root_key, root))
            ca_p12 = identity.write_pkcs12(
                folder / "ca-signer.p12", ca_key, ca_cert, PASSPHRASE, chain=[root]
            )
            with db.session() as session:
                approval.approve_period(session, APPROVER, "2024-H1", confirm_drafts=True)

            def signer() -> Any:
                return identity.pkcs12_signer(p12, PASSPHRASE)

            def make(name: str, split: int | None = None) -> PackageResult:
                with db.session() as session:
                    return build_package(
                        session,
                        APPROVER,
                        "2024-H1",
                        signer(),
                        folder / "out" / name,
                        db_path=db.path,
                        catalog=catalog,
                        max_part_size=split,
                    )

            v1 = make("QuangTri_2024-H1_v1.zip")
            v2 = make("QuangTri_2024-H1_v2.zip", split=MIN_PART_SIZE)
            v3 = make("QuangTri_2024-H1_v3.zip", split=MIN_PART_SIZE)
        finally:
            db.close()
        yield World(
            folder=folder,
            db_path=folder / "ctmt.sqlite3",
            p12=p12,
            cert=cert,
            root=root,
            root_pem=_pem(folder / "root.pem", root),
            ca_p12=ca_p12,
            ca_cert=ca_cert,
            old_root=_issue(
                "Root CA từ 2019", ca=True, days=3650, start=datetime(2019, 1, 1, tzinfo=UTC)
            ),
            package=v1.path,
            parts_v1=list(v2.parts),
            parts_v2=list(v3.parts),
            signer_factory=signer,
        )


# --- packages: build and verify ----------------------------------------------------------------
def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _bag_info(members: dict[str, bytes]) -> dict[str, str]:
    lines = members["bag/bag-info.txt"].decode("utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def _assert_verified(report: VerificationReport) -> None:
    assert report.ok, "\n".join(report.lines())
    assert [check.name for check in report.checks] == list(verify.CHECKS)


def test_package_has_the_layout_and_verifies(world: World) -> None:
    members = _members(world.package)
    names = set(members)
    for name in (
        "bag/bagit.txt",
        "bag/bag-info.txt",
        "bag/manifest-sha256.txt",
        "bag/tagmanifest-sha256.txt",
        "bag/data/records.json",
        "bag/data/report.pdf",
        "bag/data/report.xlsx",
        "bag/data/audit.json",
        "signature/tagmanifest-sha256.txt.p7s",
    ):
        assert name in names
    evidence = sorted(n for n in names if n.startswith("bag/data/evidence/"))
    assert len(evidence) == 2
    for name in evidence:
        assert hashlib.sha256(members[name]).hexdigest() == name.rsplit("/", 1)[1]
    records = members["bag/data/records.json"]
    document = json.loads(records)
    assert records == json.dumps(
        document, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")  # canonical
    assert build.schema_problems(document) == []
    assert {r["kind"] for r in document["records"]} == {"training", "event", "media", "radio"}
    assert all("2024-01-01" <= r["start_date"] <= "2024-06-30" for r in document["records"])
    training = next(r for r in document["records"] if r["kind"] == "training")
    assert {ref["name"] for ref in training["evidence"]} == {"ảnh lớp học.jpg", "danh sách.pdf"}
    info = _bag_info(members)
    assert info["CTMT-Sender"] == "Sở Văn hóa, Thể thao và Du lịch"
    assert info["CTMT-Province-Code"] == "44" and info["CTMT-Period"] == "2024-H1"
    assert info["CTMT-Package-Version"] == "1" and info["CTMT-Supersedes"] == "none"
    assert info["CTMT-Package-Id"] == document["package_id"] == info["External-Identifier"]
    assert info["CTMT-Schema-Version"] == "1" and info["CTMT-Catalog-Version"]
    assert info["CTMT-Record-Count"] == "4" and info["CTMT-Evidence-Count"] == "2"
    assert "training=1" in info["CTMT-Counts"] and info["CTMT-Created-At"]
    assert info["CTMT-Signer-SHA256"] == identity.fingerprint_sha256(world.cert)
    audit_entries = json.loads(members["bag/data/audit.json"])
    # The sample records were entered as drafts and confirmed by the approval (issue 13).
    assert {entry["action"] for entry in audit_entries} == {"create", "update"}
    confirmed = [entry for entry in audit_entries if entry["action"] == "update"]
    assert len(confirmed) == 4 and {e["after"]["status"] for e in confirmed} == {"confirmed"}
    assert PdfReader(io.BytesIO(members["bag/data/report.pdf"])).pages
    assert members["bag/data/report.xlsx"][:2] == b"PK"

    report = verify.verify_package(world.package, registered=[world.cert])
    _assert_verified(report)
    assert report.facts["package_id"] == document["package_id"]
    assert report.facts["signer_fingerprint"] == identity.fingerprint_sha256(world.cert)
    assert "registered self-issued" in report.check("signer_trusted").reason
    json.dumps(report.to_dict())  # JSON-safe for `ctmt verify --format json`
    # Registered certificates may be given as files too; no trust given is a failure.
    pem = _pem(world.folder / "registered.pem", world.cert)
    _assert_verified(verify.verify_package(world.package, registered=[pem]))
    untrusted = verify.verify_package(world.package)
    assert [c.name for c in untrusted.failed] == ["signer_trusted"]
    assert "--trust" in untrusted.check("signer_trusted").reason


def test_the_bag_is_valid_for_the_bagit_library(world: World, tmp_path: Path) -> None:
    """The bag is written by the package builder itself (no copy of the evidence, no change
    of working directory); the reference implementation must still find it valid."""
    import bagit

    with zipfile.ZipFile(world.package) as archive:
        archive.extractall(tmp_path)
    bag = bagit.Bag(str(tmp_path / "bag"))
    bag.validate()  # every manifest entry, Payload-Oxum and the tag manifest
    assert bag.version_info == (0, 97) and bag.algorithms == ["sha256"]
    payload = sorted(
        p.relative_to(tmp_path / "bag").as_posix()
        for p in (tmp_path / "bag" / "data").rglob("*")
        if p.is_file()
    )
    assert sorted(bag.payload_entries()) == payload
    size = sum((tmp_path / "bag" / name).stat().st_size for name in payload)
    assert bag.info["Payload-Oxum"] == f"{size}.{len(payload)}"
    for name in payload:
        digest = hashlib.sha256((tmp_path / "bag" / name).read_bytes()).hexdigest()
        assert bag.entries[name]["sha256"] == digest
    tags = (tmp_path / "bag" / "tagmanifest-sha256.txt").read_text(encoding="utf-8").split("\n")
    assert [line.split(" ")[1] for line in tags if line] == [
        "bag-info.txt",
        "bagit.txt",
        "manifest-sha256.txt",
    ]


def test_the_zip_deflates_only_what_shrinks_and_lists_tags_first(world: World) -> None:
    def member(source: str) -> str:
        digest = hashlib.sha256((world.folder / source).read_bytes()).hexdigest()
        return f"bag/{build.evidence_member(digest)}"

    with zipfile.ZipFile(world.package) as archive:
        infos = archive.infolist()
    method = {info.filename: info.compress_type for info in infos}
    names = [info.filename for info in infos]
    assert all(info.external_attr >> 16 == 0o100644 for info in infos)
    # A photo (random bytes, like any JPEG) is stored; a scanned list that is text deflates.
    assert method[member("ảnh lớp học.jpg")] == zipfile.ZIP_STORED
    assert method[member("danh sách.pdf")] == zipfile.ZIP_DEFLATED
    assert method["bag/data/records.json"] == method["bag/data/audit.json"] == zipfile.ZIP_DEFLATED
    assert method["bag/data/report.xlsx"] == zipfile.ZIP_STORED  # a zip already
    assert names[:4] == [
        "bag/bagit.txt",
        "bag/bag-info.txt",
        "bag/manifest-sha256.txt",
        "bag/tagmanifest-sha256.txt",
    ]
    assert names[4:-1] == sorted(names[4:-1]) and names[-1] == build.SIGNATURE_NAME


def test_package_build_reports_its_phases_when_asked(
    world: World, database: Database, make_record: MakeRecord, tmp_path: Path
) -> None:
    _add(database, "media", make_record("media"))
    timings: dict[str, float] = {}
    with database.session() as session:
        approval.approve_period(session, APPROVER, "2024-Q2", confirm_drafts=True)
        build_package(
            session,
            APPROVER,
            "2024-Q2",
            world.signer_factory(),
            tmp_path / "q2.zip",
            db_path=database.path,
            timings=timings,
        )
    assert {"records (read)", "report.pdf", "report.xlsx", "signature"} <= set(timings)
    assert all(seconds >= 0 for seconds in timings.values())


def test_package_register_lists_every_package(world: World) -> None:
    db = open_database(world.db_path)
    try:
        with db.session() as session:
            packages = approval.list_packages(session, "2024-H1")
            assert [p.version for p in packages] == [3, 2, 1]
            assert packages[0].supersedes == packages[1].package_id
            assert packages[1].part_count == len(world.parts_v1) >= 3
            assert packages[2].file_path == str(world.package.resolve())
            fingerprint = identity.fingerprint_sha256(world.cert)
            assert {p.signer_fingerprint for p in packages} == {fingerprint}
            assert approval.is_locked(session, date(2024, 3, 5))
            [entry, *_] = audit.list_entries(session, action="package")
            assert entry.entity_id == "2024-H1" and entry.after["version"] == 3
    finally:
        db.close()


def test_package_signed_by_a_ca_certified_signer_chains_to_the_root(
    world: World, database: Database, make_record: MakeRecord, tmp_path: Path
) -> None:
    _add(database, "event", make_record("event"))
    with database.session() as session:
        approval.approve_period(session, APPROVER, "2024-Q2", confirm_drafts=True)
        result = build_package(
            session,
            APPROVER,
            "2024-Q2",
            identity.pkcs12_signer(world.ca_p12, PASSPHRASE),
            tmp_path / "q2.zip",
            db_path=database.path,
        )
    report = verify.verify_package(result.path, trust_roots=[world.root_pem])
    _assert_verified(report)
    assert "trusted root" in report.check("signer_trusted").reason
    # The same package, given only the self-issued department certificate, is not trusted.
    other = verify.verify_package(result.path, registered=[world.cert])
    assert [c.name for c in other.failed] == ["signer_trusted"]


def test_the_shipped_schema_covers_every_field_of_every_kind() -> None:
    """records-1.json is a fixed, versioned file: a field added to a kind needs records-2."""
    schema = build.records_schema()
    assert schema["$id"] == build.SCHEMA_ID and build.schema_path().name == "records-1.json"
    extras = {"kind", "id", "place_names", "created_at", "created_by", "updated_at", "updated_by"}
    for kind in KIND_CODES:
        spec = kind_spec(kind)
        record = schema["$defs"][f"record_{kind}"]
        expected = set(spec.field_names) | extras | ({"met"} if kind == "criterion" else set())
        # A retired field stays a property (older packages carry it), no longer required.
        assert set(record["properties"]) == expected | spec.retired_fields, kind
        assert set(record["required"]) == expected, kind


def test_the_compiled_schema_check_agrees_with_jsonschema(world: World) -> None:
    """The fast check decides alone when it accepts, so it must never accept more."""
    document = json.loads(_members(world.package)["bag/data/records.json"])
    fast = build.fast_records_check()
    assert fast is not None
    validator = build.records_validator()
    wrong: list[Any] = [None, "", "x" * 4001, -1, 1.5, 2.0, 10**16, True, [], {}, ["x"],
                        {"8.1": "yes"}, "2024-13-45", "old:123", "f" * 64, "a b"]  # fmt: skip
    samples: list[Any] = [document, [], "{}", {}]

    def variant(change: Callable[[dict[str, Any]], Any]) -> None:
        copied = copy.deepcopy(document)
        change(copied)
        samples.append(copied)

    for index, record in enumerate(document["records"]):
        for key in [*record, "khong_co"]:
            for value in wrong:
                variant(lambda d, i=index, k=key, v=value: d["records"][i].__setitem__(k, v))
            variant(lambda d, i=index, k=key: d["records"][i].pop(k, None))
        for kind in KIND_CODES:
            variant(lambda d, i=index, k=kind: d["records"][i].__setitem__("kind", k))
    for key in [*document, "khong_co"]:
        for value in wrong:
            variant(lambda d, k=key, v=value: d.__setitem__(k, v))
        variant(lambda d, k=key: d.pop(k, None))
    for section in ("period", "sender", "counts"):
        for key in [*document[section], "khong_co"]:
            for value in wrong:
                variant(lambda d, s=section, k=key, v=value: d[s].__setitem__(k, v))
    for key in [*document["evidence"][0], "khong_co"]:
        for value in wrong:
            variant(lambda d, k=key, v=value: d["evidence"][0].__setitem__(k, v))
    accepted = 0
    for sample in samples:
        expected = validator.is_valid(sample)
        assert fast(sample) == expected, json.dumps(sample, ensure_ascii=False)[:500]
        accepted += expected
    assert accepted >= 1 and len(samples) - accepted > 500


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_openssl_verifies_the_signature(world: World, tmp_path: Path) -> None:
    members = _members(world.package)
    content = tmp_path / "tagmanifest-sha256.txt"
    content.write_bytes(members["bag/tagmanifest-sha256.txt"])
    signature = tmp_path / "tagmanifest-sha256.txt.p7s"
    signature.write_bytes(members["signature/tagmanifest-sha256.txt.p7s"])
    roots = _pem(tmp_path / "roots.pem", world.cert)

    def openssl_verify() -> subprocess.CompletedProcess[str]:
        command = [
            "openssl", "cms", "-verify", "-binary", "-inform", "DER",
            "-content", str(content), "-in", str(signature), "-CAfile", str(roots),
            "-out", os.devnull,
        ]  # fmt: skip
        return subprocess.run(command, capture_output=True, text=True, check=False)

    result = openssl_verify()
    assert result.returncode == 0, result.stderr
    assert "Verification successful" in result.stderr
    content.write_bytes(members["bag/tagmanifest-sha256.txt"].replace(b"a", b"b", 1))
    assert openssl_verify().returncode != 0


def test_parts_verify_and_are_no_larger_than_asked(world: World, tmp_path: Path) -> None:
    parts = world.parts_v1
    assert [p.name[-4:] for p in parts] == [f".{n:03d}" for n in range(1, len(parts) + 1)]
    assert all(p.stat().st_size <= MIN_PART_SIZE for p in parts)
    assert all(p.stat().st_size == MIN_PART_SIZE for p in parts[:-1])
    assert not parts[0].with_name(parts[0].name[:-4]).exists()  # only the parts are kept
    for source in (parts, parts[0], parts[0].with_name(parts[0].name[:-4])):
        report = verify.verify_package(source, registered=[world.cert])
        _assert_verified(report)
        assert f"{len(parts)} parts joined" in report.check("parts").reason
    # Each part begins with its header (package id, number, count, the zip's SHA-256): the
    # slices after the headers, in order, are the zip (`tail -c +129` of each part).
    header = package_parts.read_header(parts[0].read_bytes())
    assert header.count == len(parts) and header.number == 1
    assert header.package_id == _bag_info(_joined_members(parts))["CTMT-Package-Id"]
    joined = tmp_path / "joined.zip"
    joined.write_bytes(b"".join(p.read_bytes()[package_parts.HEADER_SIZE :] for p in parts))
    _assert_verified(verify.verify_package(joined, registered=[world.cert]))
    assert hashlib.sha256(joined.read_bytes()).hexdigest() == header.zip_sha256
    cat = tmp_path / "cat.zip"  # `cat NAME.zip.0*` keeps the headers: not one zip
    cat.write_bytes(b"".join(p.read_bytes() for p in parts))
    assert verify.verify_package(cat, registered=[world.cert]).failed[0].name == "extraction"


def _joined_members(parts: list[Path]) -> dict[str, bytes]:
    data = b"".join(p.read_bytes()[package_parts.HEADER_SIZE :] for p in parts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_reopen_and_repackage_gives_version_2_naming_version_1(
    database: Database, make_record: MakeRecord, tmp_path: Path
) -> None:
    record_id = _add(database, "training", make_record("training"))
    p12 = tmp_path / "id.p12"
    cert = identity.create_self_issued("Sở VHTTDL", p12, PASSPHRASE, key_type="ec")

    def package(name: str) -> PackageResult:
        with database.session() as session:
            return build_package(
                session,
                APPROVER,
                "2024-Q1",
                identity.pkcs12_signer(p12, PASSPHRASE),
                tmp_path / name,
                db_path=database.path,
            )

    with pytest.raises(ValidationError):
        package("v0.zip")  # not approved yet
    assert not (tmp_path / "v0.zip").exists()
    with database.session() as session:
        approval.approve_period(session, APPROVER, "2024-Q1", confirm_drafts=True)
    first = package("QuangTri_2024-Q1_v1.zip")
    assert first.version == 1 and first.info.supersedes is None
    with pytest.raises(PeriodLockedError), database.session() as session:
        update_record(
            session,
            _context(session, database),
            "training",
            record_id,
            make_record("training", participants=60),
        )
    with database.session() as session:
        approval.reopen_period(session, APPROVER, "2024-Q1", "Sửa số lượt người tham dự")
        update_record(
            session,
            _context(session, database),
            "training",
            record_id,
            make_record("training", participants=60),
        )
        approval.approve_period(session, APPROVER, "2024-Q1", confirm_drafts=True)
    with pytest.raises(build.PackageError):
        package("QuangTri_2024-Q1_v1.zip")  # never overwrites a package
    second = package("QuangTri_2024-Q1_v2.zip")
    assert second.version == 2 and second.info.supersedes == first.package_id
    info = _bag_info(_members(second.path))
    assert info["CTMT-Package-Version"] == "2"
    assert info["CTMT-Supersedes"] == first.package_id
    assert info["CTMT-Supersedes-Version"] == "1"
    report = verify.verify_package(second.path, registered=[cert])
    _assert_verified(report)
    assert report.facts["version"] == "2" and report.facts["supersedes"] == first.package_id
    document = json.loads(_members(second.path)["bag/data/records.json"])
    assert document["supersedes"] == first.package_id
    assert document["records"][0]["participants"] == 60
    assert build.package_file_name("Thừa Thiên Huế", "2024-Q1", 2) == "ThuaThienHue_2024-Q1_v2.zip"
    assert build.package_file_name("Đắk Lắk", "2025", 1) == "DakLak_2025_v1.zip"


def test_packaging_refuses_an_expired_certificate_and_tiny_parts(
    world: World, database: Database, tmp_path: Path
) -> None:
    key, expired = _issue("Hết hạn", start=datetime(2020, 1, 1, tzinfo=UTC), days=365)
    p12 = identity.write_pkcs12(tmp_path / "old.p12", key, expired, PASSPHRASE)
    with database.session() as session:
        approval.approve_period(session, APPROVER, "2024", confirm_drafts=True)
        with pytest.raises(build.PackageError) as caught:
            build_package(
                session,
                APPROVER,
                "2024",
                identity.pkcs12_signer(p12, PASSPHRASE),
                tmp_path / "p.zip",
                db_path=database.path,
            )
        assert "not now" in str(caught.value)
        with pytest.raises(build.PackageError):
            build_package(
                session,
                APPROVER,
                "2024",
                world.signer_factory(),
                tmp_path / "p.zip",
                db_path=database.path,
                max_part_size=1000,
            )
        with pytest.raises(PermissionDeniedError):
            build_package(
                session,
                ENTRY,
                "2024",
                world.signer_factory(),
                tmp_path / "p.zip",
                db_path=database.path,
            )
    left = {p.name for p in tmp_path.iterdir() if not p.name.startswith("ctmt.sqlite3")}
    left.discard("data")  # the isolated user data folder of the tests
    assert left == {"old.p12"}  # no package, no temporary file, no work folder


def test_a_damaged_or_missing_evidence_file_is_not_packaged(
    world: World, database: Database, make_record: MakeRecord, tmp_path: Path
) -> None:
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(b"\xff\xd8 a photo of the class")
    evidence = [{"path": str(photo), "name": "anh.jpg"}]
    _add(database, "training", make_record("training", evidence=evidence))
    sha256 = hashlib.sha256(photo.read_bytes()).hexdigest()
    stored = EvidenceStore(evidence_dir(database.path)).path_of(sha256)
    with database.session() as session:
        approval.approve_period(session, APPROVER, "2024-Q1", confirm_drafts=True)
    out = tmp_path / "out"

    def refused() -> str:
        with database.session() as session, pytest.raises(build.PackageError) as caught:
            build_package(
                session,
                APPROVER,
                "2024-Q1",
                world.signer_factory(),
                out / "p.zip",
                db_path=database.path,
            )
        assert list(out.iterdir()) == []  # neither the package nor its work folder
        return str(caught.value)

    stored.write_bytes(b"\xff\xd8 another photo")
    assert "damaged" in refused()
    stored.unlink()
    assert "missing" in refused()
    with database.session() as session:
        assert approval.list_packages(session) == []
        # Approved (so frozen), but no package locked it.
        assert not approval.get_approval(session, "2024-Q1").locked  # type: ignore[union-attr]


# --- a PKCS#11 token (SoftHSM2) ------------------------------------------------------------------
@pytest.fixture(scope="module")
def softhsm_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    """A SoftHSM2 token holding an RSA key and its self-issued certificate."""
    softhsm_tools()
    folder = tmp_path_factory.mktemp("softhsm")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(write_config(folder)))
        yield make_token(folder)


def test_package_signed_on_a_pkcs11_token_verifies(
    softhsm_token: Token, database: Database, make_record: MakeRecord, tmp_path: Path
) -> None:
    assert TOKEN_LABEL in identity.token_labels(softhsm_token.module)
    _add(database, "training", make_record("training"))
    with database.session() as session:
        approval.approve_period(session, APPROVER, "2024-Q1", confirm_drafts=True)
    with identity.pkcs11_signer(softhsm_token.module, TOKEN_LABEL, TOKEN_PIN) as signer:
        assert identity.fingerprint_sha256(signer.signing_cert) == identity.fingerprint_sha256(
            softhsm_token.cert
        )
        with database.session() as session:
            result = build_package(
                session, APPROVER, "2024-Q1", signer, tmp_path / "t.zip", db_path=database.path
            )
    assert result.info.signer_fingerprint == identity.fingerprint_sha256(softhsm_token.cert)
    report = verify.verify_package(result.path, registered=[softhsm_token.cert])
    _assert_verified(report)
    if shutil.which("openssl"):
        members = _members(result.path)
        (tmp_path / "tm").write_bytes(members["bag/tagmanifest-sha256.txt"])
        (tmp_path / "sig").write_bytes(members["signature/tagmanifest-sha256.txt.p7s"])
        command = [
            "openssl", "cms", "-verify", "-binary", "-inform", "DER",
            "-content", str(tmp_path / "tm"), "-in", str(tmp_path / "sig"),
            "-CAfile", str(_pem(tmp_path / "ca.pem", softhsm_token.cert)), "-out", os.devnull,
        ]  # fmt: skip
        checked = subprocess.run(command, capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stderr


def test_wrong_pin_and_unknown_token_are_explained(softhsm_token: Token) -> None:
    with pytest.raises(identity.IdentityError) as caught:
        with identity.pkcs11_signer(softhsm_token.module, TOKEN_LABEL, "000000"):
            pass
    assert "wrong PIN" in str(caught.value) and "locks itself" in str(caught.value)
    with pytest.raises(identity.IdentityError) as missing:
        with identity.pkcs11_signer(softhsm_token.module, "khong-co", TOKEN_PIN):
            pass
    assert f"'{TOKEN_LABEL}'" in str(missing.value)


# --- hostile packages ---------------------------------------------------------------------------
Entry = tuple[str | zipfile.ZipInfo, bytes]


def _write(path: Path, entries: Iterable[Entry]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": that is the point of some cases
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return path


def _manifest(members: dict[str, bytes], name: str) -> dict[str, str]:
    lines = members[f"bag/{name}"].decode("utf-8").splitlines()
    return {path: digest for digest, path in (line.split(maxsplit=1) for line in lines)}


def _put_manifest(members: dict[str, bytes], name: str, entries: dict[str, str]) -> None:
    text = "".join(f"{digest}  {path}\n" for path, digest in sorted(entries.items()))
    members[f"bag/{name}"] = text.encode("utf-8")


def _rehash(members: dict[str, bytes], *, payload: bool = True) -> None:
    """Bring the manifest (when ``payload``) and the tag manifest up to date with the files,
    as an attacker would; the old signature then no longer matches."""
    if payload:
        listing = {
            name[len("bag/") :]: hashlib.sha256(data).hexdigest()
            for name, data in members.items()
            if name.startswith("bag/data/")
        }
        _put_manifest(members, "manifest-sha256.txt", listing)
        oxum = f"{sum(len(members['bag/' + name]) for name in listing)}.{len(listing)}"
        info = members["bag/bag-info.txt"].decode("utf-8")
        info = re.sub(r"(?m)^Payload-Oxum: .*$", f"Payload-Oxum: {oxum}", info)
        members["bag/bag-info.txt"] = info.encode("utf-8")
    tags = {
        name[len("bag/") :]: hashlib.sha256(data).hexdigest()
        for name, data in members.items()
        if name.startswith("bag/")
        and not name.startswith("bag/data/")
        and name != "bag/tagmanifest-sha256.txt"
    }
    _put_manifest(members, "tagmanifest-sha256.txt", tags)


def _sign(members: dict[str, bytes], signer: Any, content: bytes | None = None) -> None:
    data = content if content is not None else members["bag/tagmanifest-sha256.txt"]
    signed = asyncio.run(
        signer.async_sign_general_data(data, "sha256", detached=True, use_cades=True)
    )
    members["signature/tagmanifest-sha256.txt.p7s"] = signed.dump()


def _edit_records(members: dict[str, bytes], change: Callable[[dict[str, Any]], Any]) -> None:
    document = json.loads(members["bag/data/records.json"])
    change(document)
    members["bag/data/records.json"] = build.canonical_json(document)


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


@dataclass
class Case:
    """How to make one hostile package and the check that must refuse it."""

    build: Callable[[World, Path], Any]  # returns the path or parts to verify
    check: str
    limits: verify.Limits | None = None
    trust_ca: bool = False


def _mutated(change: Callable[[dict[str, bytes], World], None]) -> Callable[[World, Path], Path]:
    def make(world: World, folder: Path) -> Path:
        members = _members(world.package)
        change(members, world)
        return _write(folder / "hostile.zip", members.items())

    return make


def _raw(extra: Callable[[World], list[Entry]], *, keep: bool = True) -> Callable[..., Path]:
    def make(world: World, folder: Path) -> Path:
        entries: list[Entry] = list(_members(world.package).items()) if keep else []
        return _write(folder / "hostile.zip", [*entries, *extra(world)])

    return make


def _link_entry(name: str, target: str) -> Entry:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def _encrypted(world: World, folder: Path) -> Path:
    """The package with one more entry whose headers say it is encrypted."""
    path = _write(
        folder / "hostile.zip",
        [*_members(world.package).items(), ("bag/data/secret.bin", b"secret")],
    )
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02")  # the last entry's central directory record
    assert data[central + 46 : central + 46 + 19] == b"bag/data/secret.bin"
    local = struct.unpack_from("<I", data, central + 42)[0]
    for flags_at in (central + 8, local + 6):
        data[flags_at] |= 0x01
    path.write_bytes(bytes(data))
    return path


def _resigned_with(which: str) -> Callable[[dict[str, bytes], World], None]:
    def change(members: dict[str, bytes], world: World) -> None:
        if which == "stranger":
            key, cert = _issue("Kẻ mạo danh")
        elif which == "other-root":
            other_root_key, other_root = _issue("Root CA khác", ca=True)
            key, cert = _issue("Người ký lạ", issuer=(other_root_key, other_root))
        else:  # "expired": certified by a trusted root, but expired years before signing
            key, cert = _issue(
                "Hết hạn", issuer=world.old_root, start=datetime(2020, 1, 1, tzinfo=UTC)
            )
        signer = SimpleSigner(
            signing_key=_asn1_key(key),
            signing_cert=identity.to_asn1(cert),
            cert_registry=SimpleCertificateStore.from_certs([identity.to_asn1(cert)]),
        )
        _sign(members, signer)

    return change


def _asn1_key(key: Any) -> Any:
    from asn1crypto import keys

    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return keys.PrivateKeyInfo.load(der)


def _parts_mixed(world: World, folder: Path) -> list[Path]:
    a, b = world.parts_v1, world.parts_v2
    assert len(a) == len(b) >= 3 and a[0].stat().st_size == b[0].stat().st_size
    chosen = [a[0], *b[1:]]
    out = []
    for number, part in enumerate(chosen, start=1):
        target = folder / f"QuangTri_2024-H1.zip.{number:03d}"
        target.write_bytes(part.read_bytes())
        out.append(target)
    return out


def _parts_missing(world: World, folder: Path) -> Path:
    for number, part in enumerate(world.parts_v1, start=1):
        if number != 2:
            (folder / f"p.zip.{number:03d}").write_bytes(part.read_bytes())
    return folder / "p.zip.001"


def _last_part_missing(world: World, folder: Path) -> Path:
    for number, part in enumerate(world.parts_v1[:-1], start=1):
        (folder / f"p.zip.{number:03d}").write_bytes(part.read_bytes())
    return folder / "p.zip"


def _part_truncated(world: World, folder: Path) -> list[Path]:
    out = []
    for number, part in enumerate(world.parts_v1, start=1):
        data = part.read_bytes()
        target = folder / f"p.zip.{number:03d}"
        target.write_bytes(data[:-10] if number == 2 else data)
        out.append(target)
    return out


def _truncated(world: World, folder: Path) -> Path:
    data = world.package.read_bytes()
    return _bytes(folder, data[: len(data) - 200])


def _bytes(folder: Path, data: bytes) -> Path:
    path = folder / "hostile.zip"
    path.write_bytes(data)
    return path


def _zip_bomb(world: World, folder: Path) -> Path:
    members = _members(world.package)
    members["bag/data/evidence/00/bomb"] = b"\0" * (30 * 1024 * 1024)
    return _write(folder / "hostile.zip", members.items())


def _payload_byte(members: dict[str, bytes], world: World) -> None:
    members["bag/data/report.pdf"] = _flip(members["bag/data/report.pdf"], 500)


def _evidence_byte(members: dict[str, bytes], world: World) -> None:
    name = next(n for n in members if n.startswith("bag/data/evidence/"))
    members[name] = _flip(members[name], 10)


def _manifest_follows_payload(members: dict[str, bytes], world: World) -> None:
    _payload_byte(members, world)
    listing = _manifest(members, "manifest-sha256.txt")
    listing["data/report.pdf"] = hashlib.sha256(members["bag/data/report.pdf"]).hexdigest()
    _put_manifest(members, "manifest-sha256.txt", listing)


def _all_manifests_redone(members: dict[str, bytes], world: World) -> None:
    _payload_byte(members, world)
    _rehash(members)


def _bag_info_changed(members: dict[str, bytes], world: World) -> None:
    members["bag/bag-info.txt"] = members["bag/bag-info.txt"].replace(b"2024-H1", b"2024-H2")


def _bag_info_changed_and_rehashed(members: dict[str, bytes], world: World) -> None:
    _bag_info_changed(members, world)
    _rehash(members, payload=False)


def _file_added(members: dict[str, bytes], world: World) -> None:
    members["bag/data/them.txt"] = "tệp thêm vào".encode()


def _file_added_and_listed(members: dict[str, bytes], world: World) -> None:
    """A file the profile allows (an evidence file named by its SHA-256), listed in both
    manifests: only the signature can refuse it."""
    data = "tệp thêm vào".encode()
    digest = hashlib.sha256(data).hexdigest()
    members[f"bag/{build.evidence_member(digest)}"] = data
    _rehash(members)


def _file_missing(members: dict[str, bytes], world: World) -> None:
    del members["bag/data/audit.json"]


def _tag_file_added(members: dict[str, bytes], world: World) -> None:
    members["bag/ghi-chu.txt"] = b"unsigned note"


def _signature_missing(members: dict[str, bytes], world: World) -> None:
    del members["signature/tagmanifest-sha256.txt.p7s"]


def _signature_garbage(members: dict[str, bytes], world: World) -> None:
    members["signature/tagmanifest-sha256.txt.p7s"] = b"0\x82\x01\x00not DER at all"


def _signature_over_other_content(members: dict[str, bytes], world: World) -> None:
    _sign(members, world.signer_factory(), content=b"another tag manifest\n")


def _genuinely_resigned(change: Callable[[dict[str, Any]], Any]) -> Callable[..., None]:
    """Change records.json, redo the manifests and sign with the department's own key: only
    the content checks can refuse it."""

    def mutate(members: dict[str, bytes], world: World) -> None:
        _edit_records(members, change)
        _rehash(members)
        _sign(members, world.signer_factory())

    return mutate


def _negative_cost(document: dict[str, Any]) -> None:
    document["records"][0]["cost"] = -5


def _unknown_field(document: dict[str, Any]) -> None:
    document["records"][0]["bi_mat"] = "thêm"


def _dangling_evidence(document: dict[str, Any]) -> None:
    record = next(r for r in document["records"] if r["kind"] == "training")
    record["evidence"].append({"sha256": "f" * 64, "name": "không có.jpg"})


def _not_canonical(members: dict[str, bytes], world: World) -> None:
    document = json.loads(members["bag/data/records.json"])
    members["bag/data/records.json"] = json.dumps(document, indent=1).encode()
    _rehash(members)
    _sign(members, world.signer_factory())


def _other_package_id(members: dict[str, bytes], world: World) -> None:
    _edit_records(members, lambda d: d.update(package_id="00000000-0000-4000-8000-000000000000"))
    _rehash(members)
    _sign(members, world.signer_factory())


CASES: dict[str, Case] = {
    "changed payload byte": Case(_mutated(_payload_byte), "checksums"),
    "changed evidence byte": Case(_mutated(_evidence_byte), "checksums"),
    "changed manifest": Case(_mutated(_manifest_follows_payload), "checksums"),
    "changed manifest and tag manifest": Case(_mutated(_all_manifests_redone), "signature"),
    "changed bag-info": Case(_mutated(_bag_info_changed), "checksums"),
    "changed bag-info, tag manifest redone": Case(
        _mutated(_bag_info_changed_and_rehashed), "signature"
    ),
    "added payload file": Case(_mutated(_file_added), "bag_complete"),
    "added payload file, manifests redone": Case(_mutated(_file_added_and_listed), "signature"),
    "missing payload file": Case(_mutated(_file_missing), "bag_complete"),
    "added tag file": Case(_mutated(_tag_file_added), "bag_complete"),
    "missing signature": Case(_mutated(_signature_missing), "bag_complete"),
    "signature not CMS": Case(_mutated(_signature_garbage), "signature"),
    "signature over other content": Case(_mutated(_signature_over_other_content), "signature"),
    "signature by an untrusted self-issued certificate": Case(
        _mutated(_resigned_with("stranger")), "signer_trusted"
    ),
    "signature by a certificate of an untrusted CA": Case(
        _mutated(_resigned_with("other-root")), "signer_trusted", trust_ca=True
    ),
    "signature by an expired certificate": Case(
        _mutated(_resigned_with("expired")), "certificate_valid", trust_ca=True
    ),
    "zip-slip entry": Case(_raw(lambda w: [("bag/../../evil-slip.txt", b"x")]), "extraction"),
    "absolute path": Case(_raw(lambda w: [("/tmp/evil-ctmt-absolute.txt", b"x")]), "extraction"),
    "windows path": Case(_raw(lambda w: [("bag\\..\\..\\evil-win.txt", b"x")]), "extraction"),
    "drive letter": Case(_raw(lambda w: [("C:/evil-drive.txt", b"x")]), "extraction"),
    "windows stream": Case(_raw(lambda w: [("bag/data/report.pdf:evil", b"x")]), "extraction"),
    "windows device": Case(_raw(lambda w: [("bag/data/NUL.txt", b"x")]), "extraction"),
    "link": Case(_raw(lambda w: [_link_entry("bag/data/link", "/etc/passwd")]), "extraction"),
    "duplicate names": Case(
        _raw(lambda w: [("bag/data/report.pdf", b"second copy")]), "extraction"
    ),
    "duplicate names after case folding": Case(
        _raw(lambda w: [("bag/data/REPORT.pdf", b"x")]), "extraction"
    ),
    "duplicate names after Unicode normalisation": Case(
        _raw(lambda w: [("bag/data/ghi chú.txt", b"a"), ("bag/data/ghi chu\u0301.txt", b"b")]),
        "extraction",
    ),
    "file that is also a folder": Case(
        _raw(lambda w: [("bag/data/report.pdf/inner.txt", b"x")]), "extraction"
    ),
    "entry outside bag and signature": Case(_raw(lambda w: [("README.txt", b"x")]), "extraction"),
    "encrypted entry": Case(_encrypted, "extraction"),
    "zip bomb": Case(_zip_bomb, "extraction"),
    "too many entries": Case(lambda w, f: w.package, "extraction", verify.Limits(max_entries=5)),
    "too many bytes": Case(
        lambda w, f: w.package, "extraction", verify.Limits(max_total_bytes=50_000)
    ),
    "truncated zip": Case(_truncated, "extraction"),
    "not a zip": Case(lambda w, f: _bytes(f, os.urandom(4096)), "extraction"),
    "empty file": Case(lambda w, f: _bytes(f, b""), "extraction"),
    "missing part": Case(_parts_missing, "parts"),
    "missing last part": Case(_last_part_missing, "parts"),
    "truncated part": Case(_part_truncated, "parts"),
    "parts of two packages mixed": Case(_parts_mixed, "parts"),
    "record failing the schema": Case(_mutated(_genuinely_resigned(_negative_cost)), "schema"),
    "record with an unknown field": Case(_mutated(_genuinely_resigned(_unknown_field)), "schema"),
    "records.json not canonical": Case(_mutated(_not_canonical), "schema"),
    "evidence reference without its file": Case(
        _mutated(_genuinely_resigned(_dangling_evidence)), "records"
    ),
    "records.json of another package": Case(_mutated(_other_package_id), "consistency"),
}


def _tree(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_package_is_refused(world: World, tmp_path: Path, name: str) -> None:
    case = CASES[name]
    inputs = tmp_path / "in"
    inputs.mkdir()
    source = case.build(world, inputs)
    roots: list[Any] = [world.root, world.old_root[1]] if case.trust_ca else []
    before = _tree(tmp_path)
    work = tmp_path / "work"
    report = verify.verify_package(
        source, trust_roots=roots, registered=[world.cert], limits=case.limits, work_dir=work
    )
    failed = [check.name for check in report.failed]
    assert not report.ok
    assert failed and failed[0] == case.check, "\n".join(report.lines())
    assert report.check(case.check).reason
    # Nothing was written outside the temporary folder, which is gone.
    assert _tree(tmp_path) - before == {work}
    assert list(work.iterdir()) == []
    assert not any(p.name.startswith("evil") for p in tmp_path.parent.rglob("evil*"))
    assert not Path("/tmp/evil-ctmt-absolute.txt").exists()


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 20
