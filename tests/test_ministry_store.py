"""The ministry's national store on SQLite and on a real PostgreSQL server: registering
signers, receiving packages (accepted, superseded, duplicate, replay, foreign key, tampered),
who has reported, and national figures equal to the provinces' own."""

from __future__ import annotations

import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import open_ministry_desk
from sqlalchemy import func, select

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import open_database
from ctmt_desktop.ministry import intake
from ctmt_desktop.ministry.demo import ProvinceKit

if TYPE_CHECKING:
    from conftest import MinistryPackages
from ctmt_desktop.ministry.figures import province_figures
from ctmt_desktop.ministry.models import NationalRecord, Refusal, StoreAudit, Submission
from ctmt_desktop.ministry.records import (
    NationalRecordQuery,
    count_national_records,
    list_national_records,
)
from ctmt_desktop.ministry.registry import RegistryError, list_signers, register_signer
from ctmt_desktop.ministry.report import national_figures, write_national_report
from ctmt_desktop.ministry.status import status_matrix
from ctmt_desktop.ministry.store import init_store, open_store
from ctmt_desktop.services.indicators import compute_indicators, funding_totals, parse_scope

PERIOD = "2025"


@pytest.fixture
def packages(ministry_packages: MinistryPackages) -> MinistryPackages:
    return ministry_packages


@pytest.fixture
def store(store_url: str, packages: MinistryPackages):
    opened = open_ministry_desk(store_url, packages)
    yield opened
    opened.close()


def _receive(store, catalog, *paths):
    return intake.receive(store, list(paths), user="test", catalog=catalog)


def test_store_migrates_and_init_is_idempotent(store_url):
    store = open_store(store_url)
    try:
        assert init_store(store, "Bộ Văn hóa, Thể thao và Du lịch", user="t") is True
        assert init_store(store, "Bộ  Văn hóa, Thể thao và Du lịch", user="t") is False
        assert store.name() == "Bộ Văn hóa, Thể thao và Du lịch"
    finally:
        store.close()
    again = open_store(store_url, create=False)  # the same migrations find nothing to do
    assert again.name() == "Bộ Văn hóa, Thể thao và Du lịch"
    again.close()


def test_verdicts_of_three_provinces_packages(store, catalog, packages):
    results = _receive(store, catalog, packages.qt_v1)
    assert [r.verdict for r in results] == ["accepted"]
    (v2,) = _receive(store, catalog, packages.qt_v2)
    assert (v2.verdict, v2.replaced, v2.version) == ("superseded", 1, 2)
    (replay,) = _receive(store, catalog, packages.qt_v1)
    assert replay.verdict == "refused"
    assert replay.reasons[0][0] == "version" and "replay" in replay.reasons[0][1]
    (newer,) = _receive(store, catalog, packages.parts[0])  # Huế v3 before its v1 ever came
    assert (newer.verdict, newer.version) == ("accepted", 3)
    assert len(newer.parts) == len(packages.parts)
    (unseen,) = _receive(store, catalog, packages.hue_v1)
    assert unseen.verdict == "refused" and "not newer than version 3" in unseen.reasons[0][1]
    (duplicate,) = _receive(store, catalog, packages.qt_v2)
    assert duplicate.verdict == "duplicate"
    (foreign,) = _receive(store, catalog, packages.hue_by_qt_key)
    assert foreign.verdict == "refused"
    assert foreign.reasons[0][0] == "signer_registered"
    assert "registered for province 44" in foreign.reasons[0][1]
    (tampered,) = _receive(store, catalog, packages.tampered)
    assert tampered.verdict == "refused"
    assert "checksums" in [check for check, _ in tampered.reasons]
    with store.session() as session:
        states = session.execute(
            select(Submission.province, Submission.version, Submission.state).order_by(
                Submission.province, Submission.version
            )
        ).all()
        assert [tuple(s) for s in states] == [
            ("44", 1, "superseded"),
            ("44", 2, "current"),
            ("46", 3, "current"),
        ]
        assert session.scalar(select(func.count()).select_from(Refusal)) == 4
        actions = session.scalars(select(StoreAudit.action)).all()
        assert actions.count("receive") == 3 and actions.count("refuse") == 4
        matrix = status_matrix(session, catalog, [PERIOD])
        qt, hue = matrix.cell("44", PERIOD), matrix.cell("46", PERIOD)
        assert (qt.state, qt.version, qt.superseded) == ("on_time", 2, [1])
        assert (hue.state, hue.version) == ("late", 3)
        assert qt.counts["records"] == qt.record_count > 0
        assert matrix.cell("01", PERIOD).state == "missing"
        totals = matrix.totals(PERIOD)
        assert totals["expected"] == 34 and totals["received"] == 2
        assert totals["on_time"] == 1 and totals["late"] == 1 and totals["missing"] == 32


def test_receiving_the_same_refused_file_again_is_one_refusal(store, catalog, packages):
    _receive(store, catalog, packages.tampered)
    _receive(store, catalog, packages.tampered)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Refusal)) == 1


def test_parts_in_any_order_from_a_folder(store, catalog, packages, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    for part in reversed(packages.parts):
        shutil.copy(part, folder / part.name)
    (folder / "notes.txt").write_text("không phải gói")
    (result,) = _receive(store, catalog, folder)
    assert result.verdict == "accepted" and len(result.parts) == len(packages.parts)


def test_a_refused_province_shows_refused(store, catalog, packages):
    _receive(store, catalog, packages.hue_by_qt_key)
    with store.session() as session:
        cell = status_matrix(session, catalog, [PERIOD]).cell("46", PERIOD)
    assert cell.state == "refused" and cell.refusals == 1
    assert cell.reasons[0]["check"] == "signer_registered"


def test_unregistered_signer_is_refused(store_url, catalog, packages):
    store = open_store(store_url)
    try:
        (result,) = _receive(store, catalog, packages.qt_v1)
        assert result.verdict == "refused"
        assert {check for check, _ in result.reasons} & {"signer_trusted", "signer_registered"}
        with store.session() as session:
            assert session.scalar(select(func.count()).select_from(Submission)) == 0
    finally:
        store.close()


def test_failure_while_storing_leaves_nothing(store, catalog, packages, monkeypatch):
    original = intake._insert_records

    def broken(session, submission, records, catalog_):
        original(session, submission, records[:10], catalog_)
        raise OSError("disk gone")

    monkeypatch.setattr(intake, "_insert_records", broken)
    with pytest.raises(OSError):
        _receive(store, catalog, packages.qt_v1)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0
        assert session.scalar(select(func.count()).select_from(NationalRecord)) == 0
    monkeypatch.undo()
    (result,) = _receive(store, catalog, packages.qt_v1)
    assert result.verdict == "accepted"


def _own_figures(kit: ProvinceKit, catalog: Catalog, program: str | None):
    database = open_database(kit.db_path)
    try:
        with database.session() as session:
            scope = parse_scope(PERIOD)
            return (
                compute_indicators(session, catalog, kit.code, scope, program),
                funding_totals(session, scope, None),
            )
    finally:
        database.close()


def test_national_figures_equal_the_provinces_own(store, catalog, packages):
    _receive(store, catalog, packages.qt_v1, packages.qt_v2, packages.hue_v1)
    scope = parse_scope(PERIOD)
    with store.session() as session:
        national = national_figures(session, catalog, PERIOD)
        for kit in (packages.qt, packages.hue):
            figures = province_figures(session, catalog, kit.code, scope)
            assert national.figures[kit.code].programs == figures.programs
            for program in figures.programs:
                own, funding = _own_figures(kit, catalog, program or None)
                theirs = figures.programs[program]
                assert [(v.code, v.value, v.numerator, v.denominator) for v in theirs] == [
                    (v.code, v.value, v.numerator, v.denominator) for v in own
                ]
            assert figures.funding == funding
    total = sum(
        national.figures[code].value("training_participants").numerator for code in ("44", "46")
    )
    assert total > 0


def test_national_report_pdf_and_xlsx(store, catalog, packages, tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    _receive(store, catalog, packages.qt_v2, packages.hue_v1)
    with store.session() as session:
        pdf, report = write_national_report(session, catalog, PERIOD, tmp_path / "national.pdf")
        xlsx, _ = write_national_report(session, catalog, PERIOD, tmp_path / "national.xlsx")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Quảng Trị" in text and "Huế" in text and "Toàn quốc" in text
    table = report.table("flow/all")
    participants = [row["training_participants"] for row in table.rows]
    assert table.totals["training_participants"] == sum(participants)
    workbook = load_workbook(xlsx, read_only=True)
    cells = [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert "Quảng Trị" in cells and "Toàn quốc" in cells
    workbook.close()


def test_listing_received_records_searches_without_marks(store, catalog, packages):
    _receive(store, catalog, packages.qt_v1, packages.qt_v2)
    with store.session() as session:
        query = NationalRecordQuery("training", province="44", period=PERIOD)
        rows = list_national_records(session, query)
        assert rows and all(row["province"] == "44" for row in rows)
        assert count_national_records(session, query) == len(rows)
        (current,) = session.scalars(select(Submission.id).where(Submission.state == "current"))
        assert {row["submission_id"] for row in rows} == {current}
        word = rows[0]["title"].split()[-1]
        from ctmt_desktop.text import fold

        found = list_national_records(
            session, NationalRecordQuery("training", period=PERIOD, search=fold(word))
        )
        assert any(row["id"] == rows[0]["id"] for row in found)


# --- the registry ------------------------------------------------------------------------------
def test_registry_refusals(store_url, catalog, packages):
    store = open_store(store_url)
    qt = packages.qt
    try:
        with store.session() as session:
            with pytest.raises(RegistryError, match="fingerprint"):
                register_signer(
                    session, catalog, province="44", certificate=qt.certificate_pem, user="t"
                )
            with pytest.raises(RegistryError, match="not the certificate's"):
                register_signer(
                    session,
                    catalog,
                    province="44",
                    certificate=qt.certificate_pem,
                    fingerprint="AB" * 32,
                    user="t",
                )
            with pytest.raises(RegistryError, match="not a province"):
                register_signer(
                    session,
                    catalog,
                    province="99",
                    certificate=qt.certificate_pem,
                    fingerprint=qt.fingerprint,
                    user="t",
                )
            colons = ":".join(qt.fingerprint[i : i + 2].upper() for i in range(0, 64, 2))
            signer, new = register_signer(
                session,
                catalog,
                province="44",
                certificate=qt.certificate_pem,
                fingerprint=colons,
                user="t",
            )
            assert new and signer.method == "form"
            _again, new = register_signer(
                session,
                catalog,
                province="44",
                certificate=qt.certificate_pem,
                fingerprint=qt.fingerprint,
                user="t",
            )
            assert not new
            with pytest.raises(RegistryError, match="registered for province 44"):
                register_signer(
                    session,
                    catalog,
                    province="46",
                    certificate=qt.certificate_pem,
                    fingerprint=qt.fingerprint,
                    user="t",
                )
            assert [s.province_code for s in list_signers(session)] == ["44"]
    finally:
        store.close()


def _ca_and_leaf(tmp_path: Path) -> tuple[Path, Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    def write(cert: x509.Certificate, file: str) -> Path:
        path = tmp_path / file
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return path

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("CA thử nghiệm"))
        .issuer_name(name("CA thử nghiệm"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("Sở VHTTDL tỉnh Quảng Trị"))
        .issuer_name(ca.subject)
        .public_key(leaf_key.public_key())
        .serial_number(2)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=200))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = (
        x509.CertificateBuilder()
        .subject_name(name("CA khác"))
        .issuer_name(name("CA khác"))
        .public_key(other_key.public_key())
        .serial_number(3)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(other_key, hashes.SHA256())
    )
    return write(ca, "root.pem"), write(leaf, "leaf.pem"), write(other, "other.pem")


def test_ca_issued_certificate_needs_its_chain(tmp_path, catalog):
    root, leaf, other = _ca_and_leaf(tmp_path)
    store = open_store(tmp_path / "store.sqlite3")
    try:
        with store.session() as session:
            with pytest.raises(RegistryError, match="root"):
                register_signer(session, catalog, province="44", certificate=leaf, user="t")
            with pytest.raises(RegistryError, match="does not chain"):
                register_signer(
                    session, catalog, province="44", certificate=leaf, trust_roots=[other], user="t"
                )
            signer, new = register_signer(
                session, catalog, province="44", certificate=leaf, trust_roots=[root], user="t"
            )
            assert new and signer.method == "chain"
    finally:
        store.close()


def _package_indicators(package: Path, catalog: Catalog) -> dict[str, dict[str, float]]:
    """``{program code: {indicator name: value}}`` of the province's own report.xlsx inside
    its package (sheet "II. Chỉ tiêu": a heading row naming the program, then its rows)."""
    import io

    from openpyxl import load_workbook

    with zipfile.ZipFile(package) as archive:
        data = archive.read("bag/data/report.xlsx")
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    roots = {node.name: code for code, node in catalog.programs.items() if node.parent is None}
    found: dict[str, dict[str, float]] = {}
    program = None
    for row in workbook["II. Chỉ tiêu"].iter_rows(values_only=True):
        text = str(row[0] or "")
        named = [code for name, code in roots.items() if name in text or f"({code})" in text]
        if named and not isinstance(row[0], int):
            program = named[0]
            found[program] = {}
        elif program and isinstance(row[0], int) and row[3] is not None:
            found[program][row[1]] = row[3]
    workbook.close()
    return found


def test_each_province_row_equals_its_own_report_in_its_package(store, catalog, packages):
    from ctmt_desktop.ministry.report import FLOW, STOCK, build_national_report

    _receive(store, catalog, packages.qt_v2, packages.hue_v1)
    with store.session() as session:
        national = national_figures(session, catalog, PERIOD)
    report = build_national_report(national, catalog)
    compared = 0
    for kit, package in ((packages.qt, packages.qt_v2), (packages.hue, packages.hue_v1)):
        own = _package_indicators(package, catalog)
        assert own, "the package's report has indicator tables"
        name = catalog.admin.get(kit.code).name
        for program, values in own.items():
            rows = {}
            for part, codes in (("flow", FLOW), ("stock", STOCK)):
                (row,) = [
                    r for r in report.table(f"{part}/{program}").rows if r["province"] == name
                ]
                rows.update({code: row.get(code) for code in codes})
            by_name = {catalog.indicators[code].vi: code for code in rows}
            for indicator, value in values.items():
                code = by_name[indicator]
                assert rows[code] == pytest.approx(value), (kit.code, program, indicator)
                compared += 1
    assert compared >= 20


def test_figures_are_kept_until_a_new_version_comes(store, catalog, packages, monkeypatch):
    from ctmt_desktop.ministry import figures as figures_module
    from ctmt_desktop.ministry.models import FiguresCache

    _receive(store, catalog, packages.qt_v1)  # the intake computes the period's figures
    scope = parse_scope(PERIOD)
    with store.session() as session:
        (row,) = session.scalars(select(FiguresCache)).all()
        assert (row.province, row.scope) == ("44", PERIOD)
        first_key = row.key
        computed = province_figures(session, catalog, "44", scope, cache=False)

    def not_again(*args, **kwargs):
        raise AssertionError("computed again although nothing changed")

    monkeypatch.setattr(figures_module, "figures_of_records", not_again)
    with store.session() as session:
        assert province_figures(session, catalog, "44", scope) == computed
    monkeypatch.undo()
    _receive(store, catalog, packages.qt_v2)
    with store.session() as session:
        row = session.get(FiguresCache, ("44", PERIOD))
        assert row.key != first_key
        assert province_figures(session, catalog, "44", scope).submissions == (
            session.scalar(select(Submission.package_id).where(Submission.state == "current")),
        )
