"""What the return-path tests share: a province with its first package, the ministry's
identity (and a forger's with the same name), a national store that knows the province, and
OpenSSL's check of a receipt or a signed catalog.

:func:`build_exchange` makes the province once per test module (a database of province 44
with demo records of 2025, approved and packaged as version 1); :func:`copy_kit` gives each
test its own copy of the database to change.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.ministry.demo import ProvinceKit, make_province
from ctmt_desktop.ministry.registry import register_signer
from ctmt_desktop.ministry.store import Store, init_store, open_store
from ctmt_desktop.signing.identity import create_self_issued, pkcs12_signer

PERIOD = "2025"
MINISTRY_NAME = "Bộ Văn hóa, Thể thao và Du lịch"
PASSPHRASE = "ministry-passphrase"


@dataclass(frozen=True)
class Identity:
    """A PKCS#12 identity and its certificate file."""

    p12: Path
    pem: Path
    certificate: x509.Certificate

    def signer(self):  # noqa: ANN201 - a pyHanko signer
        return pkcs12_signer(self.p12, PASSPHRASE)


@dataclass(frozen=True)
class Exchange:
    qt: ProvinceKit
    v1: Path  # Quảng Trị's package of 2025, version 1
    ministry: Identity
    forger: Identity  # another key, the same name as the ministry's


def make_identity(folder: Path, name: str) -> Identity:
    folder.mkdir(parents=True, exist_ok=True)
    p12 = folder / f"{name}.p12"
    certificate = create_self_issued(
        MINISTRY_NAME,
        p12,
        PASSPHRASE,
        key_type="ec",
        organization=MINISTRY_NAME,
        not_before=datetime.now(UTC) - timedelta(days=30),
    )
    pem = folder / f"{name}.pem"
    pem.write_bytes(certificate.public_bytes(Encoding.PEM))
    return Identity(p12, pem, certificate)


def build_exchange(root: Path) -> Exchange:
    catalog = load_catalog()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    qt = make_province(
        root / "qt",
        "44",
        catalog=catalog,
        records=120,
        seed=11,
        since=start,
        identity_from=start - timedelta(days=10),
    )
    out = root / "out"
    out.mkdir()
    v1 = qt.package(PERIOD, out)
    return Exchange(
        qt, v1, make_identity(root / "ids", "ministry"), make_identity(root / "ids", "forger")
    )


def copy_kit(kit: ProvinceKit, folder: Path) -> ProvinceKit:
    """The province's folder (database, evidence, identity) copied to ``folder``."""
    shutil.copytree(kit.folder, folder)
    return replace(
        kit,
        folder=folder,
        db_path=folder / kit.db_path.name,
        p12=folder / kit.p12.name,
        certificate_pem=folder / kit.certificate_pem.name,
    )


def open_desk(url: str, *kits: ProvinceKit) -> Store:
    """A named national store with the provinces' certificates registered."""
    catalog = load_catalog()
    store = open_store(url)
    init_store(store, MINISTRY_NAME, user="test")
    with store.session() as session:
        for kit in kits:
            register_signer(
                session,
                catalog,
                province=kit.code,
                certificate=kit.certificate_pem,
                fingerprint=kit.fingerprint,
                user="test",
            )
    return store


def openssl_verify_detached(
    content: Path, signature: Path, ca: Path
) -> subprocess.CompletedProcess[str]:
    """``openssl cms -verify`` of a detached signature, as the README tells anyone to run it."""
    command = [
        *("openssl", "cms", "-verify", "-binary", "-inform", "DER"),
        *("-content", str(content), "-in", str(signature)),
        *("-CAfile", str(ca), "-purpose", "any", "-out", "/dev/null"),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def openssl_extract(signed: Path, ca: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """``openssl cms -verify`` of an attached signature (a signed catalog), its content to
    ``out``."""
    command = [
        *("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(signed)),
        *("-CAfile", str(ca), "-purpose", "any", "-out", str(out)),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False)
