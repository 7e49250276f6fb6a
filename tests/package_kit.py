"""What the hostile-package and fuzzing tests make packages from.

:func:`build_kit` makes, in a folder, a province database (province 44) with a few records of
2024-H1 and two evidence files, a self-issued signing identity, and three packages of
2024-H1: version 1 as one zip, versions 2 and 3 split into parts. The helpers then take a
package apart and put it back together as an attacker would: members rewritten and re-zipped
(with the builder's entry attributes), the manifests redone, re-signed with the department's
own key or another, CMS signatures crafted field by field, and zips written byte by byte with
any lie in their headers (:func:`raw_zip`).
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import inspect
import io
import json
import os
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import cms, keys, tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ctmt_desktop.accounts import Actor
from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.db import open_database
from ctmt_desktop.package import build
from ctmt_desktop.package.build import MIN_PART_SIZE, build_package
from ctmt_desktop.services import approval
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import add_record, record_context
from ctmt_desktop.signing import identity

PASSPHRASE = "mat-khau-thu-nghiem"
APPROVER = Actor("truong.phong", "approver")
LAO_BAO = "19432"
#: Records of 2024-H1 for province 44.
RECORDS: dict[str, dict[str, Any]] = {
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
}
SIGNATURE = build.SIGNATURE_NAME
RECORDS_JSON = f"bag/{build.RECORDS_JSON}"


@dataclass
class Kit:
    """A province's packages of 2024-H1 and the identity that signed them."""

    folder: Path
    package: Path  # version 1, one zip
    parts_a: list[Path]  # version 2, in parts
    parts_b: list[Path]  # version 3, in parts
    p12: Path
    key: Any
    cert: x509.Certificate
    members: dict[str, bytes] = field(default_factory=dict)  # of ``package``, in order

    def signer(self) -> Any:
        return identity.pkcs12_signer(self.p12, PASSPHRASE)


def build_kit(folder: Path) -> Kit:
    """The packages of the module docstring, made in ``folder``."""
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
            photo = folder / "anh.jpg"
            photo.write_bytes(os.urandom(150_000))  # incompressible: three parts of 64 KiB
            scan = folder / "danh-sach.pdf"
            scan.write_bytes(b"%PDF-1.4 danh sach hoc vien " * 100)
            with db.session() as session:
                context = record_context(session, db.path, user="lan")
                for kind, data in RECORDS.items():
                    data = copy.deepcopy(data)
                    if kind == "training":
                        data["evidence"] = [
                            {"path": str(photo), "name": "ảnh lớp học.jpg"},
                            {"path": str(scan), "name": "danh sách.pdf"},
                        ]
                    add_record(session, context, kind, data)
                approval.approve_period(session, APPROVER, "2024-H1", **_confirming())
            p12 = folder / "so.p12"
            cert = identity.create_self_issued(
                "Sở VHTTDL Quảng Trị", p12, PASSPHRASE, key_type="ec"
            )

            def make(name: str, split: int | None = None) -> Any:
                with db.session() as session:
                    return build_package(
                        session,
                        APPROVER,
                        "2024-H1",
                        identity.pkcs12_signer(p12, PASSPHRASE),
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
    loaded = identity.load_pkcs12(p12, PASSPHRASE)
    return Kit(
        folder=folder,
        package=v1.path,
        parts_a=list(v2.parts),
        parts_b=list(v3.parts),
        p12=p12,
        key=loaded.key,
        cert=cert,
        members=zip_members(v1.path.read_bytes()),
    )


def _confirming() -> dict[str, bool]:
    """Ask the approval to confirm the records entered as drafts, where approvals know drafts."""
    known = inspect.signature(approval.approve_period).parameters
    return {"confirm_drafts": True} if "confirm_drafts" in known else {}


# --- members and zips ---------------------------------------------------------------------------
def zip_members(data: bytes) -> dict[str, bytes]:
    """The entries of a zip (read by Python's forgiving reader), in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def entry_info(name: str, *, deflate: bool = True) -> zipfile.ZipInfo:
    """A zip entry as the builder writes it: a regular Unix file, rw-r--r--."""
    info = zipfile.ZipInfo(name, date_time=(2024, 7, 1, 8, 0, 0))
    info.external_attr = 0o100644 << 16
    info.create_system = 3
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    return info


def write_zip(
    members: dict[str, bytes] | Iterable[tuple[str, bytes]], *, comment: bytes = b""
) -> bytes:
    """A zip of ``members`` (a name may come twice in a list of pairs)."""
    items = members.items() if isinstance(members, dict) else members
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": some tests want it
        with zipfile.ZipFile(out, "w") as archive:
            for name, data in items:
                archive.writestr(entry_info(name), data)
            archive.comment = comment
    return out.getvalue()


def bag_info(members: dict[str, bytes]) -> str:
    return members["bag/bag-info.txt"].decode("utf-8")


def set_bag_info(members: dict[str, bytes], text: str) -> None:
    members["bag/bag-info.txt"] = text.encode("utf-8")


def rehash(members: dict[str, bytes]) -> None:
    """The manifest, Payload-Oxum and the tag manifest redone for the members as they are
    (as an attacker would after changing a file)."""
    payload = sorted(
        (name[len("bag/") :], data)
        for name, data in members.items()
        if name.startswith("bag/data/")
    )
    members["bag/manifest-sha256.txt"] = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in payload
    ).encode()
    oxum = f"{sum(len(data) for _, data in payload)}.{len(payload)}"
    text = re.sub(r"(?m)^Payload-Oxum: .*$", f"Payload-Oxum: {oxum}", bag_info(members))
    set_bag_info(members, text)
    tags = sorted(
        (name[len("bag/") :], data)
        for name, data in members.items()
        if name.startswith("bag/")
        and not name.startswith("bag/data/")
        and name != "bag/tagmanifest-sha256.txt"
        and not name.startswith("bag/tagmanifest-")
    )
    members["bag/tagmanifest-sha256.txt"] = "".join(
        f"{hashlib.sha256(data).hexdigest()} {name}\n" for name, data in tags
    ).encode()


def sign(
    members: dict[str, bytes],
    signer: Any,
    *,
    signing_time: datetime | None = None,
    timestamper: Any = None,
) -> None:
    """Sign the tag manifest with pyHanko (CAdES), as the builder does."""
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    settings = PdfCMSSignedAttributes(signing_time=signing_time) if signing_time else None
    signed = asyncio.run(
        signer.async_sign_general_data(
            members["bag/tagmanifest-sha256.txt"],
            "sha256",
            detached=True,
            use_cades=True,
            timestamper=timestamper,
            signed_attr_settings=settings,
        )
    )
    members[SIGNATURE] = signed.dump()


def edit_records(members: dict[str, bytes], change: Callable[[dict[str, Any]], Any]) -> None:
    document = json.loads(members[RECORDS_JSON])
    change(document)
    members[RECORDS_JSON] = build.canonical_json(document)


def resigned(kit: Kit, change: Callable[[dict[str, bytes]], Any]) -> bytes:
    """The package with ``change`` made to its members, the manifests redone and signed
    again with the department's own key: only the checks after the signature can refuse it."""
    members = dict(kit.members)
    change(members)
    rehash(members)
    sign(members, kit.signer())
    return write_zip(members)


# --- certificates and signers -------------------------------------------------------------------
def name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def issue(
    common_name: str,
    *,
    issuer: tuple[Any, x509.Certificate] | None = None,
    ca: bool = False,
    start: datetime | None = None,
    days: int = 365,
    usage: dict[str, bool] | None = None,
    key_usage: bool = True,
    purposes: list[x509.ObjectIdentifier] | None = None,
    rsa_key: bool = False,
    rsa_bits: int = 2048,
) -> tuple[Any, x509.Certificate]:
    """An EC P-256 key and its certificate: a CA (self-signed without ``issuer``), a signer
    (digitalSignature and nonRepudiation unless ``usage`` says otherwise; none at all when
    ``key_usage`` is false), or a timestamp authority (``purposes`` [timeStamping]); an RSA
    key of ``rsa_bits`` with ``rsa_key``."""
    key: Any = (
        rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits)
        if rsa_key
        else ec.generate_private_key(ec.SECP256R1())
    )
    begin = start or datetime.now(UTC) - timedelta(days=1)
    issuer_key, issuer_cert = issuer if issuer else (key, None)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(common_name))
        .issuer_name(issuer_cert.subject if issuer_cert else name(common_name))
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
    flags = dict.fromkeys(
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
        flags.update(key_cert_sign=True, crl_sign=True)
    else:
        flags.update(digital_signature=True, content_commitment=True)
    flags.update(usage or {})
    if key_usage:
        builder = builder.add_extension(x509.KeyUsage(**flags), critical=True)
    if purposes is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(purposes), critical=True)
    elif not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False
        )
    return key, builder.sign(issuer_key, hashes.SHA256())


def asn1_key(key: Any) -> keys.PrivateKeyInfo:
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return keys.PrivateKeyInfo.load(der)


def simple_signer(key: Any, cert: x509.Certificate, chain: Iterable[x509.Certificate] = ()) -> Any:
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    return SimpleSigner(
        signing_key=asn1_key(key),
        signing_cert=identity.to_asn1(cert),
        cert_registry=SimpleCertificateStore.from_certs([identity.to_asn1(c) for c in chain]),
    )


def timestamper(key: Any, cert: x509.Certificate, at: datetime) -> Any:
    """A timestamp authority of our own (pyHanko's testing TSA) that stamps ``at``."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    return DummyTimeStamper(tsa_cert=identity.to_asn1(cert), tsa_key=asn1_key(key), fixed_dt=at)


# --- CMS crafted field by field -----------------------------------------------------------------
def attribute(kind: str, value: Any) -> dict[str, Any]:
    return {"type": kind, "values": [value]}


def cert_reference(cert: x509.Certificate) -> tsp.SigningCertificateV2:
    der = cert.public_bytes(serialization.Encoding.DER)
    return tsp.SigningCertificateV2({"certs": [{"cert_hash": hashlib.sha256(der).digest()}]})


def standard_attributes(content: bytes, cert: x509.Certificate) -> list[dict[str, Any]]:
    """The signed attributes of a CAdES B-B signature of ``content`` by ``cert``."""
    import pyhanko.sign.general  # noqa: F401 - registers signing_certificate_v2 with asn1crypto

    return [
        attribute("content_type", "data"),
        attribute("signing_time", cms.Time({"utc_time": datetime.now(UTC).replace(microsecond=0)})),
        attribute("message_digest", hashlib.sha256(content).digest()),
        attribute("signing_certificate_v2", cert_reference(cert)),
    ]


def signer_info(
    content: bytes,
    key: Any,
    cert: x509.Certificate,
    attributes: list[dict[str, Any]] | None = None,
    unsigned: list[dict[str, Any]] | None = None,
) -> cms.SignerInfo:
    asn1_cert = identity.to_asn1(cert)
    signed_attrs = cms.CMSAttributes(
        attributes if attributes is not None else standard_attributes(content, cert)
    )
    signature = key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256()))
    info: dict[str, Any] = {
        "version": "v1",
        "sid": cms.SignerIdentifier(
            {
                "issuer_and_serial_number": {
                    "issuer": asn1_cert.issuer,
                    "serial_number": asn1_cert.serial_number,
                }
            }
        ),
        "digest_algorithm": {"algorithm": "sha256"},
        "signed_attrs": signed_attrs,
        "signature_algorithm": {"algorithm": "sha256_ecdsa"},
        "signature": signature,
    }
    if unsigned is not None:
        info["unsigned_attrs"] = cms.CMSAttributes(unsigned)
    return cms.SignerInfo(info)


def crafted_cms(
    content: bytes,
    infos: list[cms.SignerInfo],
    certs: list[x509.Certificate],
) -> bytes:
    signed = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "data"},
            "certificates": [identity.to_asn1(c) for c in certs],
            "signer_infos": infos,
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


# --- zips written byte by byte -----------------------------------------------------------------
@dataclass
class Raw:
    """One entry of :func:`raw_zip`, with the lies its headers may tell."""

    name: str
    data: bytes
    method: int = 8
    flags: int = 0
    external: int = 0o100644 << 16
    local_name: str | None = None
    local_crc: int | None = None
    local_size: int | None = None
    local_method: int | None = None
    crc: int | None = None
    extra: bytes = b""  # in both headers
    central_extra: bytes = b""
    after: bytes = b""  # bytes written after the data (a descriptor, hidden data)
    offset: int | None = None  # the central directory's offset, when it lies
    stream: bytes | None = None  # the compressed bytes, when they lie


def compressed(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def raw_entries(members: dict[str, bytes]) -> list[Raw]:
    return [Raw(name, data) for name, data in members.items()]


def raw_zip(
    entries: list[Raw],
    *,
    prefix: bytes = b"",
    suffix: bytes = b"",
    comment: bytes = b"",
    shift: int = 0,
    central_only: list[Raw] | None = None,
) -> bytes:
    """A zip written field by field: ``prefix`` before it (its offsets moved by ``shift``
    too, as a self-extractor's are), ``suffix`` after it, entries ``central_only`` listed in
    the central directory alone (at their ``offset``)."""
    out = bytearray(prefix)
    central = bytearray()
    count = 0
    stamp = (8 << 11, (2024 - 1980) << 9 | 7 << 5 | 1)
    for entry in [*entries, *(central_only or [])]:
        listed_only = any(entry is other for other in central_only or [])
        body = entry.stream
        if body is None:
            body = compressed(entry.data) if entry.method == 8 else entry.data
        crc = entry.crc if entry.crc is not None else zlib.crc32(entry.data)
        offset = len(out) - len(prefix) + shift
        if not listed_only:
            local_name = (entry.local_name or entry.name).encode()
            out += struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                entry.flags,
                entry.local_method if entry.local_method is not None else entry.method,
                *stamp,
                entry.local_crc if entry.local_crc is not None else crc,
                len(body),
                entry.local_size if entry.local_size is not None else len(entry.data),
                len(local_name),
                len(entry.extra),
            )
            out += local_name + entry.extra + body + entry.after
        central_name = entry.name.encode()
        extra = entry.extra + entry.central_extra
        central += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            3 << 8 | 20,
            20,
            entry.flags,
            entry.method,
            *stamp,
            crc,
            len(body),
            len(entry.data),
            len(central_name),
            len(extra),
            0,
            0,
            0,
            entry.external,
            entry.offset if entry.offset is not None else offset,
        )
        central += central_name + extra
        count += 1
    cd_offset = len(out) - len(prefix) + shift
    out += central
    out += struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), cd_offset, len(comment)
    )
    out += comment + suffix
    return bytes(out)


def local_offsets(entries: list[Raw]) -> dict[str, int]:
    """Where :func:`raw_zip` writes each entry's local header (without a prefix)."""
    offsets = {}
    at = 0
    for entry in entries:
        offsets[entry.name] = at
        body = entry.stream
        if body is None:
            body = compressed(entry.data) if entry.method == 8 else entry.data
        at += 30 + len((entry.local_name or entry.name).encode()) + len(entry.extra)
        at += len(body) + len(entry.after)
    return offsets


def with_entry(entries: list[Raw], name: str, **changes: Any) -> list[Raw]:
    """``entries`` with the entry called ``name`` changed."""
    return [replace(e, **changes) if e.name == name else e for e in entries]
