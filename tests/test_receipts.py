"""The return path in the core: a package goes province → ministry → review → signed receipt
→ province; the receipt checked by the app's core and by the real ``openssl cms -verify``;
a has-issues review's record comments land on the province's records and the resubmitted
version supersedes the first at the ministry; forged, foreign, mismatched, tampered and
oversized receipts are refused and nothing changes; receipts signed on a SoftHSM2 token."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from exchange_kit import (
    MINISTRY_NAME,
    PERIOD,
    Exchange,
    build_exchange,
    copy_kit,
    open_desk,
    openssl_verify_detached,
)
from softhsm import TOKEN_LABEL, TOKEN_PIN, Token, make_token, softhsm_tools, write_config
from sqlalchemy import func, select

from ctmt_desktop.db import open_database
from ctmt_desktop.db.models import AuditEntry, MinistryComment, MinistryReceipt, SubmissionPackage
from ctmt_desktop.errors import NotFoundError
from ctmt_desktop.ministry import intake
from ctmt_desktop.ministry.models import NationalRecord, RecordComment, StoreAudit, Submission
from ctmt_desktop.ministry.receipts import (
    ReceiptError,
    canonical_json,
    issued_receipt,
    package_file_stem,
    write_receipts,
)
from ctmt_desktop.ministry.review import ReviewError, review_current, review_submission
from ctmt_desktop.services import receipts as province_receipts
from ctmt_desktop.services.receipts import (
    ReceiptRefused,
    import_receipts,
    latest_receipts,
    ministry_certificate,
    open_comments,
    receipt_to_answer,
    record_comments,
)
from ctmt_desktop.signing import cms
from ctmt_desktop.signing.identity import fingerprint_sha256, pkcs11_signer

if TYPE_CHECKING:
    from conftest import MinistryPackages

    from ctmt_desktop.ministry.demo import ProvinceKit
    from ctmt_desktop.ministry.store import Store


@pytest.fixture(scope="module")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> Exchange:
    return build_exchange(tmp_path_factory.mktemp("exchange"))


@pytest.fixture
def qt(exchange: Exchange, tmp_path: Path) -> ProvinceKit:
    """This test's own copy of Quảng Trị's database (its register holds version 1)."""
    return copy_kit(exchange.qt, tmp_path / "qt")


@pytest.fixture
def store(tmp_path: Path, qt: ProvinceKit) -> Iterator[Store]:
    opened = open_desk(f"sqlite:///{(tmp_path / 'national.sqlite3').as_posix()}", qt)
    yield opened
    opened.close()


def _records(store: Store, count: int) -> list[tuple[str, int]]:
    with store.session() as session:
        rows = session.execute(
            select(NationalRecord.kind, NationalRecord.record_id)
            .order_by(NationalRecord.record_id)
            .limit(count)
        ).all()
    return [(kind, int(record_id)) for kind, record_id in rows]


def _import(kit: ProvinceKit, *sources: Path, cert: Path | None = None, **options: Any) -> Any:
    database = open_database(kit.db_path)
    try:
        with database.session() as session:
            return import_receipts(
                session, list(sources), user="văn thư", ministry_certificate_file=cert, **options
            )
    finally:
        database.close()


def _state(kit: ProvinceKit) -> dict[str, Any]:
    """What an import may change in the province's database."""
    database = open_database(kit.db_path)
    try:
        with database.session() as session:
            return {
                "receipts": session.scalar(select(func.count()).select_from(MinistryReceipt)),
                "comments": session.scalar(select(func.count()).select_from(MinistryComment)),
                "audit": session.scalar(select(func.count()).select_from(AuditEntry)),
                "certificate": ministry_certificate(session),
            }
    finally:
        database.close()


def _receive(store: Store, *paths: Path) -> list[intake.IntakeResult]:
    return intake.receive(store, list(paths), user="ministry")


def test_an_accepted_package_comes_back_as_a_receipt_checked_by_the_core_and_openssl(
    exchange: Exchange, qt: ProvinceKit, store: Store, tmp_path: Path
) -> None:
    (result,) = _receive(store, exchange.v1)
    assert result.verdict == "accepted"
    written = write_receipts(
        store, tmp_path / "usb", exchange.ministry.signer(), user="ministry", period=PERIOD
    )
    (receipt,) = written
    assert receipt.path.name == "QuangTri_2025_v1.zip.receipt.json"
    assert receipt.signature.name == "QuangTri_2025_v1.zip.receipt.json.p7s"
    assert sorted(p.name for p in (tmp_path / "usb").iterdir()) == [
        receipt.path.name,
        receipt.signature.name,
    ]  # no temporary file left
    data = receipt.path.read_bytes()
    document = json.loads(data)
    assert data == canonical_json(document)
    with store.session() as session:
        submission = session.scalar(select(Submission))
        assert submission is not None
        assert document == {
            "receipt": 1,
            "package_id": submission.package_id,
            "package_file": "QuangTri_2025_v1.zip",
            "file_sha256": None,
            "province": "44",
            "period": "2025",
            "version": 1,
            "tagmanifest_sha256": submission.tagmanifest_sha256,
            "received_at": document["received_at"],
            "verdict": "accepted",
            "failed_checks": [],
            "superseded": False,
            "review": {"state": "received", "comment": "", "reviewed_at": None, "records": {}},
            "issued_by": MINISTRY_NAME,
            "issued_at": document["issued_at"],
        }
        assert datetime.fromisoformat(document["received_at"]).tzinfo is not None
        logged = session.scalars(select(StoreAudit).where(StoreAudit.action == "receipt")).all()
        assert [entry.detail["sha256"] for entry in logged] == [receipt.sha256]
    assert receipt.sha256 == hashlib.sha256(data).hexdigest()

    checked = openssl_verify_detached(receipt.path, receipt.signature, exchange.ministry.pem)
    assert checked.returncode == 0, checked.stderr
    assert "Verification successful" in checked.stderr
    other = openssl_verify_detached(receipt.path, receipt.signature, exchange.forger.pem)
    assert other.returncode != 0  # openssl too trusts only the ministry's own certificate

    imported = _import(qt, receipt.path, cert=exchange.ministry.pem)
    assert imported.certificate_kept is True
    (item,) = imported.receipts
    assert (item.verdict, item.review_state, item.version, item.duplicate) == (
        "accepted",
        "received",
        1,
        False,
    )
    again = _import(qt, receipt.signature)  # the .p7s named: the same receipt; the kept cert
    assert again.receipts[0].duplicate is True
    database = open_database(qt.db_path)
    try:
        with database.session() as session:
            stored = session.scalar(select(MinistryReceipt))
            assert stored is not None
            assert (
                stored.document.encode() == data
                and stored.signature == receipt.signature.read_bytes()
            )
            assert stored.signer_fingerprint == fingerprint_sha256(exchange.ministry.certificate)
            package = session.scalar(select(SubmissionPackage))
            assert package is not None and stored.package_ref == package.id
            assert package.tagmanifest_sha256 == document["tagmanifest_sha256"]
            assert package.answers_receipt is None
            (latest,) = latest_receipts(session).values()
            assert (latest.verdict, latest.review_state, latest.issued_by) == (
                "accepted",
                "received",
                MINISTRY_NAME,
            )
            assert latest.received_at is not None
            certificate = ministry_certificate(session)
            assert certificate is not None
            assert fingerprint_sha256(certificate) == fingerprint_sha256(
                exchange.ministry.certificate
            )
            actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
            assert actions[-2:] == ["ministry_certificate", "receipt"]
            assert receipt_to_answer(session, PERIOD) == receipt.sha256
    finally:
        database.close()


def test_a_review_with_two_record_comments_reaches_the_records_and_version_2_supersedes(
    exchange: Exchange, qt: ProvinceKit, store: Store, tmp_path: Path
) -> None:
    _receive(store, exchange.v1)
    (first_kind, first), (second_kind, second) = _records(store, 2)
    with store.session() as session, pytest.raises(ReviewError) as unknown:
        review_current(
            session,
            "44",
            PERIOD,
            "has_issues",
            user="chuyên viên",
            record_comments={str(first): "x", "999999": "y", "media/999998": "z"},
        )
    assert "no such record in this package: media/999998, 999999" in str(unknown.value)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(RecordComment)) == 0
        assert session.scalar(select(Submission.review_state)) == "received"
        result = review_current(
            session,
            "44",
            PERIOD,
            "has_issues",
            user="chuyên viên",
            comment="Hai bản ghi cần sửa.",
            record_comments={
                str(first): "Thiếu số người tham dự là nữ",
                f"{second_kind}/{second}": "Ngày bắt đầu sai",
            },
        )
        assert result.changed is True
        assert result.submission.record_comments == {
            (first_kind, first): "Thiếu số người tham dự là nữ",
            (second_kind, second): "Ngày bắt đầu sai",
        }
        same = review_submission(
            session,
            result.submission.id,
            "has_issues",
            user="chuyên viên",
            comment="Hai bản ghi cần sửa.",
            record_comments={
                f"{first_kind}/{first}": "Thiếu số người tham dự là nữ",
                str(second): "Ngày bắt đầu sai",
            },
        )
        assert same.changed is False
        (entry,) = session.scalars(select(StoreAudit).where(StoreAudit.action == "review")).all()
        assert entry.detail["before"] == {"state": "received", "comment": "", "records": {}}
        assert entry.detail["after"]["state"] == "has_issues"
        assert entry.detail["after"]["records"] == {
            f"{first_kind}/{first}": "Thiếu số người tham dự là nữ",
            f"{second_kind}/{second}": "Ngày bắt đầu sai",
        }
    (receipt,) = write_receipts(store, tmp_path / "r1", exchange.ministry.signer(), user="m")
    assert receipt.review_state == "has_issues"
    _import(qt, receipt.path, cert=exchange.ministry.pem)

    database = open_database(qt.db_path)
    try:
        with database.session() as session:
            (comment,) = record_comments(session, first)
            assert (comment.comment, comment.review_state, comment.version, comment.open) == (
                "Thiếu số người tham dự là nữ",
                "has_issues",
                1,
                True,
            )
            assert open_comments(session) == {
                first: "Thiếu số người tham dự là nữ",
                second: "Ngày bắt đầu sai",
            }
            assert open_comments(session, [second, 424242]) == {second: "Ngày bắt đầu sai"}
            assert record_comments(session, 424242) == []
            (latest,) = latest_receipts(session).values()
            assert (latest.review_state, latest.review_comment, latest.comments) == (
                "has_issues",
                "Hai bản ghi cần sửa.",
                2,
            )
            assert receipt_to_answer(session, PERIOD) == receipt.sha256
    finally:
        database.close()

    # The province fixes and resubmits: version 2 (its bag-info names the receipt answered).
    (tmp_path / "out2").mkdir()
    v2 = qt.package(PERIOD, tmp_path / "out2")
    import zipfile

    with zipfile.ZipFile(v2) as archive:
        bag_info = archive.read("bag/bag-info.txt").decode()
    assert f"CTMT-Answers-Receipt: {receipt.sha256}\n" in bag_info
    database = open_database(qt.db_path)
    try:
        with database.session() as session:
            row = session.scalar(select(SubmissionPackage).where(SubmissionPackage.version == 2))
            assert row is not None and row.answers_receipt == receipt.sha256
            assert row.tagmanifest_sha256 is not None
    finally:
        database.close()
    (superseding,) = _receive(store, v2)
    assert (superseding.verdict, superseding.replaced, superseding.version) == ("superseded", 1, 2)
    with store.session() as session:  # the receipt v2 answers is one the ministry issued
        v1_id = session.scalar(select(Submission.package_id).where(Submission.version == 1))
        assert v1_id is not None
        answered = issued_receipt(session, v1_id, receipt.sha256)
        assert answered is not None and answered["review"]["state"] == "has_issues"
        assert issued_receipt(session, v1_id, "0" * 64) is None
    written = write_receipts(store, tmp_path / "r2", exchange.ministry.signer(), user="m")
    by_version = {item.version: item for item in written}
    assert json.loads(by_version[1].path.read_bytes())["superseded"] is True
    assert by_version[2].review_state == "received"
    _import(qt, tmp_path / "r2")  # the folder: both receipts, the certificate kept before
    database = open_database(qt.db_path)
    try:
        with database.session() as session:
            assert open_comments(session) == {}  # version 2 answered them
            (comment,) = record_comments(session, first)
            assert comment.open is False and comment.version == 1
            states = {info.version: info for info in latest_receipts(session).values()}
            assert states[1].superseded is True and states[2].review_state == "received"
            assert receipt_to_answer(session, PERIOD) == by_version[2].sha256
    finally:
        database.close()


def test_a_refused_package_is_answered_with_its_failed_checks(
    exchange: Exchange, qt: ProvinceKit, store: Store, tmp_path: Path
) -> None:
    import zipfile

    tampered = tmp_path / "QuangTri_2025_v1.zip"
    with zipfile.ZipFile(exchange.v1) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "bag/data/records.json":
                data = data.replace(b'"title":"', b'"title":"X', 1)
            target.writestr(info, data)
    (refused,) = _receive(store, tampered)
    assert refused.verdict == "refused"
    (receipt,) = write_receipts(store, tmp_path / "usb", exchange.ministry.signer(), user="m")
    document = json.loads(receipt.path.read_bytes())
    assert document["verdict"] == "refused" and document["review"] is None
    failed = [check["check"] for check in document["failed_checks"]]
    assert failed == [check for check, _ in refused.reasons] and failed
    assert document["file_sha256"] == hashlib.sha256(tampered.read_bytes()).hexdigest()
    (item,) = _import(qt, receipt.path, cert=exchange.ministry.pem).receipts
    assert item.verdict == "refused" and item.version == 1
    database = open_database(qt.db_path)
    try:
        with database.session() as session:
            (latest,) = latest_receipts(session).values()
            assert latest.verdict == "refused"
            assert latest.failed_checks == document["failed_checks"]
    finally:
        database.close()


def test_a_refusal_of_an_unreadable_file_binds_by_the_file_hash_only(
    exchange: Exchange, qt: ProvinceKit, store: Store, tmp_path: Path
) -> None:
    garbage = tmp_path / "QuangTri_2025_v1.zip"
    garbage.write_bytes(b"not a zip at all")
    (refused,) = _receive(store, garbage)
    assert refused.verdict == "refused" and refused.package_id is None
    (receipt,) = write_receipts(store, tmp_path / "usb", exchange.ministry.signer(), user="m")
    assert json.loads(receipt.path.read_bytes())["province"] is None
    before = _state(qt)
    with pytest.raises(ReceiptRefused, match="none of this database's packages"):
        _import(qt, receipt.path, cert=exchange.ministry.pem)
    assert _state(qt) == before


def _signed_receipt(folder: Path, document: dict[str, Any], signer: Any) -> Path:
    """A receipt of our own making, signed by ``signer`` (a forger's, or the ministry's to
    try what the checks after the signature refuse)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{document.get('package_file', 'x')}.receipt.json"
    data = canonical_json(document)
    path.write_bytes(data)
    path.with_name(path.name + ".p7s").write_bytes(cms.sign_cms(signer, data))
    return path


def test_forged_foreign_mismatched_and_tampered_receipts_are_refused_and_nothing_changes(
    exchange: Exchange,
    qt: ProvinceKit,
    store: Store,
    tmp_path: Path,
    ministry_packages: MinistryPackages,
) -> None:
    _receive(store, exchange.v1)
    (genuine,) = write_receipts(store, tmp_path / "genuine", exchange.ministry.signer(), user="m")
    document = json.loads(genuine.path.read_bytes())
    ministry = exchange.ministry.signer()
    _import(qt, genuine.path, cert=exchange.ministry.pem)  # the certificate is kept now
    before = _state(qt)

    cases: dict[str, tuple[Path, str]] = {}
    # Forged: the same receipt signed by another key under the ministry's very name.
    cases["forged"] = (
        _signed_receipt(
            tmp_path / "forged",
            {**document, "review": {**document["review"], "state": "accepted"}},
            exchange.forger.signer(),
        ),
        "which is not the ministry's certificate",
    )
    # Tampered: the genuine signature kept, the review changed.
    tampered = tmp_path / "tampered" / genuine.path.name
    tampered.parent.mkdir()
    tampered.write_bytes(genuine.path.read_bytes().replace(b'"received"', b'"accepted"'))
    tampered.with_name(tampered.name + ".p7s").write_bytes(genuine.signature.read_bytes())
    cases["tampered"] = (tampered, "not what was signed")
    # Foreign: the ministry's genuine receipt of Huế's package.
    hue = ministry_packages.hue
    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.ministry.registry import register_signer

    with store.session() as session:
        register_signer(
            session,
            load_catalog(),
            province=hue.code,
            certificate=hue.certificate_pem,
            fingerprint=hue.fingerprint,
            user="test",
        )
    _receive(store, ministry_packages.hue_v1)
    (foreign,) = write_receipts(
        store, tmp_path / "foreign", ministry, user="m", province="46", period=PERIOD
    )
    cases["foreign"] = (foreign.path, "a receipt for province 46; this database is province 44's")
    # Mismatched: genuine signatures over receipts of another package, of other content.
    other_id = "7b0c9d7e-0000-4000-8000-000000000000"
    cases["other package"] = (
        _signed_receipt(tmp_path / "other", {**document, "package_id": other_id}, ministry),
        f"package {other_id} is not one this database made",
    )
    cases["other content"] = (
        _signed_receipt(
            tmp_path / "content", {**document, "tagmanifest_sha256": "ab" * 32}, ministry
        ),
        "is not the one of package 2025 v1 made here",
    )
    cases["other version"] = (
        _signed_receipt(tmp_path / "version", {**document, "version": 2}, ministry),
        "names version 2 of package",
    )
    cases["unknown field"] = (
        _signed_receipt(tmp_path / "field", {**document, "note": "x"}, ministry),
        "unknown note",
    )
    cases["newer format"] = (
        _signed_receipt(tmp_path / "format", {**document, "receipt": 2}, ministry),
        "receipt format 2",
    )
    deep: Any = "x"
    for _ in range(40):
        deep = [deep]
    cases["too deep"] = (
        _signed_receipt(tmp_path / "deep", {**document, "failed_checks": deep}, ministry),
        "more than the cap of 4",
    )
    big = tmp_path / "big" / genuine.path.name
    big.parent.mkdir()
    big.write_bytes(b" " * (province_receipts.MAX_RECEIPT_BYTES + 1))
    big.with_name(big.name + ".p7s").write_bytes(genuine.signature.read_bytes())
    cases["too large"] = (big, "larger than the cap")
    lonely = tmp_path / "lonely" / genuine.path.name
    lonely.parent.mkdir()
    lonely.write_bytes(genuine.path.read_bytes())
    cases["no signature"] = (lonely, "is not beside it")
    not_cms = tmp_path / "notcms" / genuine.path.name
    not_cms.parent.mkdir()
    not_cms.write_bytes(genuine.path.read_bytes())
    not_cms.with_name(not_cms.name + ".p7s").write_bytes(b"0\x80garbage")
    cases["not a signature"] = (not_cms, "an indefinite length (BER, not DER)")

    for name, (path, reason) in cases.items():
        with pytest.raises(ReceiptRefused) as refused:
            _import(qt, path)
        assert reason in str(refused.value), name
        assert "\n" not in str(refused.value)
        assert _state(qt) == before, name

    # All or nothing: a good receipt with a forged one imports neither.
    with store.session() as session:
        review_current(session, "44", PERIOD, "accepted", user="m")
    (newer,) = write_receipts(store, tmp_path / "newer", ministry, user="m", province="44")
    with pytest.raises(ReceiptRefused, match="not the ministry's certificate"):
        _import(qt, newer.path, cases["forged"][0])
    assert _state(qt) == before
    # A forged receipt with the forger's certificate given is refused too: the certificate
    # given is kept only when the import succeeds, and then only by a settings user's say.
    with pytest.raises(ReceiptRefused, match="not the ministry's certificate"):
        _import(qt, newer.path, cert=exchange.forger.pem)
    assert _state(qt) == before
    assert _import(qt, newer.path).receipts[0].review_state == "accepted"


def test_an_older_receipt_imported_after_a_newer_one_does_not_hide_it(
    exchange: Exchange, qt: ProvinceKit, store: Store, tmp_path: Path
) -> None:
    _receive(store, exchange.v1)
    with store.session() as session:
        review_current(session, "44", PERIOD, "has_issues", user="m", comment="Sửa")
    older = write_receipts(store, tmp_path / "a", exchange.ministry.signer(), user="m")[0]
    with store.session() as session:
        review_current(session, "44", PERIOD, "accepted", user="m")
    newer = write_receipts(
        store,
        tmp_path / "b",
        exchange.ministry.signer(),
        user="m",
        now=datetime.now() + timedelta(minutes=1),
    )[0]
    _import(qt, newer.path, cert=exchange.ministry.pem)
    _import(qt, older.path)
    database = open_database(qt.db_path)
    try:
        with database.session() as session:
            (latest,) = latest_receipts(session).values()
            assert latest.review_state == "accepted"
            assert session.scalar(select(func.count()).select_from(MinistryReceipt)) == 2
    finally:
        database.close()


def test_review_refusals_and_an_empty_batch(
    store: Store, tmp_path: Path, exchange: Exchange
) -> None:
    with store.session() as session:
        with pytest.raises(NotFoundError, match="no submission of province 44 for 2025"):
            review_current(session, "44", PERIOD, "accepted", user="m")
    with pytest.raises(ReceiptError, match="no package received for 44 2025"):
        write_receipts(
            store,
            tmp_path / "none",
            exchange.ministry.signer(),
            user="m",
            province="44",
            period=PERIOD,
        )
    _receive(store, exchange.v1)
    with store.session() as session:
        with pytest.raises(ReviewError, match="'received' is not a review state"):
            review_current(session, "44", PERIOD, "received", user="m")
        with pytest.raises(ReviewError, match="longer than 4000"):
            review_current(session, "44", PERIOD, "rejected", user="m", comment="x" * 4001)
        with pytest.raises(ReviewError, match="not a record id"):
            review_current(
                session, "44", PERIOD, "rejected", user="m", record_comments={"abc": "x"}
            )


def test_receipt_file_names_are_safe() -> None:
    assert package_file_stem("QuangTri_2025_v1.zip") == "QuangTri_2025_v1.zip"
    assert package_file_stem("Hue_2025_v3.zip.002") == "Hue_2025_v3.zip"
    assert package_file_stem("../../etc/passwd") == "passwd"
    assert package_file_stem("C:\\x\\Báo cáo Đợt 1.zip") == "Bao_cao_Dot_1.zip"
    assert package_file_stem("...") == "package"
    assert len(package_file_stem("a" * 500 + ".zip")) == 120


@pytest.fixture(scope="module")
def ministry_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    """The ministry's key on a SoftHSM2 token."""
    softhsm_tools()
    folder = tmp_path_factory.mktemp("ministry-token")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(write_config(folder)))
        yield make_token(folder)


def test_receipts_signed_on_a_token_are_checked_by_the_core_and_openssl(
    ministry_token: Token, exchange: Exchange, qt: ProvinceKit, store: Store, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    _receive(store, exchange.v1)
    with pkcs11_signer(ministry_token.module, TOKEN_LABEL, TOKEN_PIN) as signer:
        (receipt,) = write_receipts(store, tmp_path / "usb", signer, user="m")
    pem = tmp_path / "token.pem"
    pem.write_bytes(ministry_token.cert.public_bytes(Encoding.PEM))
    checked = openssl_verify_detached(receipt.path, receipt.signature, pem)
    assert checked.returncode == 0, checked.stderr
    (item,) = _import(qt, receipt.path, cert=pem).receipts
    assert item.verdict == "accepted"
    with pytest.raises(ReceiptRefused, match="not the ministry's certificate"):
        # the PKCS#12 ministry is not the token's key
        _import(qt, receipt.path, cert=exchange.ministry.pem)


def test_signing_times_out_of_the_certificate_or_in_the_future_are_refused(
    exchange: Exchange,
) -> None:
    data = b'{"a":1}'
    signer = exchange.ministry.signer()
    future = cms.sign_cms(signer, data, moment=datetime.now(UTC) + timedelta(days=2))
    with pytest.raises(cms.SignatureRefused, match="signed in the future"):
        cms.verify_detached(data, future, [exchange.ministry.pem], what="x")
    before = cms.sign_cms(signer, data, moment=datetime.now(UTC) - timedelta(days=400))
    with pytest.raises(cms.SignatureRefused, match="with a certificate valid"):
        cms.verify_detached(data, before, [exchange.ministry.pem], what="x")
    with pytest.raises(cms.SignatureRefused, match="no ministry certificate"):
        cms.verify_detached(data, cms.sign_cms(signer, data), [], what="x")
    attached = cms.sign_cms(signer, data, detached=False)
    with pytest.raises(cms.SignatureRefused, match="x is not detached"):
        cms.verify_detached(data, attached, [exchange.ministry.pem], what="x")


def test_a_package_made_before_the_register_kept_its_tag_manifest_is_bound_by_its_file(
    exchange: Exchange, qt: ProvinceKit, store: Store, tmp_path: Path
) -> None:
    import shutil

    from sqlalchemy import update

    _receive(store, exchange.v1)
    (receipt,) = write_receipts(store, tmp_path / "usb", exchange.ministry.signer(), user="m")
    database = open_database(qt.db_path)
    try:
        with database.session() as session:
            session.execute(update(SubmissionPackage).values(tagmanifest_sha256=None))
            package = session.scalar(select(SubmissionPackage))
            assert package is not None
            saved = Path(package.file_path)
    finally:
        database.close()
    moved = tmp_path / "moved.zip"
    shutil.move(saved, moved)
    try:
        before = _state(qt)
        with pytest.raises(ReceiptRefused, match="cannot be read to compare it"):
            _import(qt, receipt.path, cert=exchange.ministry.pem)
        assert _state(qt) == before
    finally:
        shutil.move(moved, saved)
    (item,) = _import(qt, receipt.path, cert=exchange.ministry.pem).receipts
    assert item.verdict == "accepted"


def test_review_and_receipts_on_sqlite_and_postgresql(
    store_url: str, exchange: Exchange, qt: ProvinceKit, tmp_path: Path
) -> None:
    opened = open_desk(store_url, qt)
    try:
        _receive(opened, exchange.v1)
        ((kind, record_id),) = _records(opened, 1)
        with opened.session() as session:
            result = review_current(
                session,
                "44",
                PERIOD,
                "rejected",
                user="m",
                comment="Thiếu báo cáo",
                record_comments={str(record_id): "Trùng lặp"},
            )
            assert result.changed
        (receipt,) = write_receipts(opened, tmp_path / "usb", exchange.ministry.signer(), user="m")
    finally:
        opened.close()
    document = json.loads(receipt.path.read_bytes())
    assert document["review"]["state"] == "rejected"
    assert document["review"]["records"] == {f"{kind}/{record_id}": "Trùng lặp"}
    (item,) = _import(qt, receipt.path, cert=exchange.ministry.pem).receipts
    assert (item.review_state, item.comments) == ("rejected", 1)
