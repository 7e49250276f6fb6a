"""Crafted packages, one per way of lying, each refused by the check that must refuse it.

Every class of the verifier's rules is pinned here with a file made to break it and nothing
else (the honest versions of the same crafts verify, see the tests at the end): the zip's
structure (data before or after it, gaps, overlaps, local headers that disagree with the
central directory, data descriptors, folders, links, extra fields, comments), the bag's
profile (fetch.txt, other manifests, bag-info fields twice or unknown), the caps on JSON
(nesting, numbers, strings, sizes), the CMS signature (trailing bytes, BER, missing
signing-certificate-v2, two signers, a CA or a key that may not sign), the certificate's
validity (expired with a back-dated signing time, timestamps from untrusted authorities or
after expiry), the records (the core's rules), the package's facts and its parts. Nothing
is ever written outside the work folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import core
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from package_kit import (
    RECORDS_JSON,
    SIGNATURE,
    Kit,
    Raw,
    attribute,
    bag_info,
    build_kit,
    cert_reference,
    compressed,
    crafted_cms,
    edit_records,
    issue,
    local_offsets,
    raw_entries,
    raw_zip,
    rehash,
    resigned,
    set_bag_info,
    sign,
    signer_info,
    simple_signer,
    standard_attributes,
    timestamper,
    with_entry,
    write_zip,
)

from ctmt_desktop.package import build
from ctmt_desktop.package import parts as package_parts
from ctmt_desktop.package.verify import CHECKS, Limits, VerificationReport, verify_package
from ctmt_desktop.signing import identity

HUE_COMMUNE = "19815"  # Phường An Cựu, Huế: not in province 44
SIGNED_2020 = datetime(2020, 6, 1, 9, 0, tzinfo=UTC)


@dataclass
class Pki:
    """A CA trusted since 2019, a signer it certified for 2020 only (expired now), and a
    timestamp authority under its own root."""

    root: tuple[Any, x509.Certificate]
    expired: tuple[Any, x509.Certificate]
    expired_self: tuple[Any, x509.Certificate]
    tsa_root: tuple[Any, x509.Certificate]
    tsa: tuple[Any, x509.Certificate]


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return build_kit(tmp_path_factory.mktemp("kit"))


@pytest.fixture(scope="module")
def pki() -> Pki:
    since_2019 = datetime(2019, 1, 1, tzinfo=UTC)
    root = issue("Root CA thử nghiệm 2019", ca=True, start=since_2019, days=3650)
    tsa_root = issue("Root TSA thử nghiệm", ca=True, start=since_2019, days=3650)
    tsa = issue(  # RSA: pyHanko's testing TSA signs with RSA only
        "TSA thử nghiệm",
        rsa_key=True,
        issuer=tsa_root,
        start=since_2019,
        days=3650,
        usage={"content_commitment": False},
        purposes=[ExtendedKeyUsageOID.TIME_STAMPING],
    )
    start_2020 = datetime(2020, 1, 1, tzinfo=UTC)
    expired = issue("Người ký 2020", issuer=root, start=start_2020, days=366)
    expired_self = issue("Sở tự cấp 2020", start=start_2020, days=366)
    return Pki(root, expired, expired_self, tsa_root, tsa)


Made = bytes | list[Path]


@dataclass
class Case:
    """A hostile package (``make`` returns the zip's bytes or the parts) and the check that
    must be the first to fail, with words its reason must hold."""

    make: Callable[[Kit, Pki, Path], Made]
    check: str
    says: str = ""
    limits: Limits | None = None
    roots: Callable[[Pki], list[x509.Certificate]] = field(default=lambda pki: [])
    registered: Callable[[Kit, Pki], list[x509.Certificate]] = field(
        default=lambda kit, pki: [kit.cert]
    )


def _original(kit: Kit, pki: Pki, folder: Path) -> bytes:
    return kit.package.read_bytes()


def _raw(change: Callable[[list[Raw], Kit], Any], **options: Any) -> Callable[..., bytes]:
    """The package written field by field, after ``change`` to its entries."""

    def make(kit: Kit, pki: Pki, folder: Path) -> bytes:
        entries = raw_entries(kit.members)
        changed = change(entries, kit)
        return raw_zip(changed if changed is not None else entries, **options)

    return make


def _members(change: Callable[[dict[str, bytes], Kit], Any]) -> Callable[..., bytes]:
    """The package re-zipped after ``change`` to its members (nothing re-signed)."""

    def make(kit: Kit, pki: Pki, folder: Path) -> bytes:
        members = dict(kit.members)
        change(members, kit)
        return write_zip(members)

    return make


def _resigned(change: Callable[[dict[str, bytes]], Any]) -> Callable[..., bytes]:
    """The package after ``change``, its manifests redone and signed again with the
    department's registered key: only a check after the signature can refuse it."""
    return lambda kit, pki, folder: resigned(kit, change)


def _records(change: Callable[[dict[str, Any]], Any]) -> Callable[..., bytes]:
    return _resigned(lambda members: edit_records(members, change))


def _records_bytes(change: Callable[[bytes], bytes]) -> Callable[..., bytes]:
    def mutate(members: dict[str, bytes]) -> None:
        members[RECORDS_JSON] = change(members[RECORDS_JSON])

    return _resigned(mutate)


def _bag_info(change: Callable[[str], str]) -> Callable[..., bytes]:
    return _resigned(lambda members: set_bag_info(members, change(bag_info(members))))


def _signature(change: Callable[[bytes], bytes]) -> Callable[..., bytes]:
    def mutate(members: dict[str, bytes], kit: Kit) -> None:
        members[SIGNATURE] = change(members[SIGNATURE])

    return _members(mutate)


def _crafted(
    attributes: Callable[[bytes, Kit], list[dict[str, Any]]] | None = None,
    *,
    signers: int = 1,
    unsigned: list[dict[str, Any]] | None = None,
) -> Callable[..., bytes]:
    """The package signed by a CMS crafted field by field with the department's key."""

    def mutate(members: dict[str, bytes], kit: Kit) -> None:
        content = members["bag/tagmanifest-sha256.txt"]
        attrs = attributes(content, kit) if attributes is not None else None
        info = signer_info(content, kit.key, kit.cert, attrs, unsigned)
        members[SIGNATURE] = crafted_cms(content, [info] * signers, [kit.cert])

    return _members(mutate)


def _signed_by(
    who: Callable[[Pki], tuple[Any, x509.Certificate]],
    *,
    at: datetime | None = None,
    stamped: datetime | None = None,
    chain: Callable[[Pki], list[x509.Certificate]] = lambda pki: [],
) -> Callable[..., bytes]:
    """The package signed again (content untouched) by another key, with a signing time
    ``at`` and a timestamp of our TSA at ``stamped`` when given."""

    def make(kit: Kit, pki: Pki, folder: Path) -> bytes:
        key, cert = who(pki)
        members = dict(kit.members)
        stamper = timestamper(*pki.tsa, stamped) if stamped is not None else None
        sign(members, simple_signer(key, cert, chain(pki)), signing_time=at, timestamper=stamper)
        return write_zip(members)

    return make


def _long_der_length(data: bytes) -> bytes:
    assert data[0] == 0x30 and data[1] == 0x82
    return b"\x30\x83\x00" + data[2:]


def _indefinite(data: bytes) -> bytes:
    assert data[0] == 0x30 and data[1] == 0x82
    return b"\x30\x80" + data[4:] + b"\x00\x00"


def _with_descriptor(entries: list[Raw], kit: Kit) -> list[Raw]:
    name = "bag/data/audit.json"
    lie = struct.pack("<4s3L", b"PK\x07\x08", 0, 1, 1)  # a descriptor of 1 byte: a lie
    return with_entry(entries, name, flags=0x8, local_crc=0, local_size=0, after=lie, crc=None)


def _overlap(kit: Kit, pki: Pki, folder: Path) -> bytes:
    """A second central record pointing at the local header of report.pdf: two names for
    the same bytes."""
    entries = raw_entries(kit.members)
    target = "bag/data/report.pdf"
    ghost = Raw("bag/data/evidence/00/" + "0" * 64, kit.members[target])
    ghost.offset = local_offsets(entries)[target]
    return raw_zip(entries, central_only=[ghost])


def _hidden_gap(entries: list[Raw], kit: Kit) -> list[Raw]:
    return with_entry(entries, "bag/bagit.txt", after=b"hidden data between entries")


def _evidence_names(kit: Kit) -> list[str]:
    return [name for name in kit.members if name.startswith("bag/data/evidence/")]


def _move_evidence(members: dict[str, bytes]) -> None:
    name = next(n for n in members if n.startswith("bag/data/evidence/"))
    digest = name.rsplit("/", 1)[1]
    folder = "00" if digest[:2] != "00" else "11"
    members[f"bag/data/evidence/{folder}/{digest}"] = members.pop(name)


def _evidence_misnamed(members: dict[str, bytes]) -> None:
    name = next(n for n in members if n.startswith("bag/data/evidence/"))
    data = members.pop(name)
    digest = name.rsplit("/", 1)[1]
    other = digest[:2] + "f" * 62
    members[f"bag/data/evidence/{digest[:2]}/{other}"] = data


def _md5_manifest(members: dict[str, bytes]) -> None:
    lines = [
        f"{hashlib.md5(data).hexdigest()}  {name[4:]}\n"  # noqa: S324 - the hostile's choice
        for name, data in members.items()
        if name.startswith("bag/data/")
    ]
    members["bag/manifest-md5.txt"] = "".join(lines).encode()


def _sha512_tagmanifest(members: dict[str, bytes]) -> None:
    members["bag/tagmanifest-sha512.txt"] = (
        hashlib.sha512(members["bag/bagit.txt"]).hexdigest().encode() + b" bagit.txt\n"
    )


def _tagmanifest_without_bag_info(kit: Kit, pki: Pki, folder: Path) -> bytes:
    members = dict(kit.members)
    lines = members["bag/tagmanifest-sha256.txt"].decode().splitlines(keepends=True)
    members["bag/tagmanifest-sha256.txt"] = "".join(
        line for line in lines if not line.endswith(" bag-info.txt\n")
    ).encode()
    sign(members, kit.signer())
    return write_zip(members)


def _duplicate_training(document: dict[str, Any]) -> None:
    training = next(r for r in document["records"] if r["kind"] == "training")
    document["records"].append(dict(training))
    document["counts"]["training"] += 1
    document["counts"]["records"] += 1


def _record(kind: str, **values: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        next(r for r in document["records"] if r["kind"] == kind).update(values)

    return change


def _supersedes_in_version_1(members: dict[str, bytes]) -> None:
    other = str(uuid.uuid4())
    edit_records(members, lambda d: d.update(supersedes=other))
    set_bag_info(
        members, bag_info(members).replace("CTMT-Supersedes: none", f"CTMT-Supersedes: {other}")
    )


def _replace(name: str, data: bytes) -> Callable[[dict[str, bytes]], None]:
    def change(members: dict[str, bytes]) -> None:
        members[name] = data

    return change


def _copy_parts(folder: Path, sources: list[Path], names: list[int] | None = None) -> list[Path]:
    out = []
    for index, source in enumerate(sources):
        number = names[index] if names else index + 1
        target = folder / f"QuangTri_2024-H1.zip.{number:03d}"
        target.write_bytes(source.read_bytes())
        out.append(target)
    return out


def _part_from_another_package(kit: Kit, pki: Pki, folder: Path) -> list[Path]:
    assert len(kit.parts_a) == len(kit.parts_b) >= 3
    return _copy_parts(folder, [*kit.parts_a[:-1], kit.parts_b[-1]])


def _parts_renamed(kit: Kit, pki: Pki, folder: Path) -> list[Path]:
    order = list(range(1, len(kit.parts_a) + 1))
    order[1], order[2] = order[2], order[1]
    return _copy_parts(folder, kit.parts_a, order)


def _part_damaged(kit: Kit, pki: Pki, folder: Path) -> list[Path]:
    parts = _copy_parts(folder, kit.parts_a)
    data = bytearray(parts[1].read_bytes())
    data[package_parts.HEADER_SIZE + 100] ^= 0x01
    parts[1].write_bytes(bytes(data))
    return parts


def _part_extra(kit: Kit, pki: Pki, folder: Path) -> list[Path]:
    return _copy_parts(folder, [*kit.parts_a, kit.parts_b[-1]])


def _parts_plain(kit: Kit, pki: Pki, folder: Path) -> list[Path]:
    data = kit.package.read_bytes()
    size = 64 * 1024
    out = []
    for number, start in enumerate(range(0, len(data), size), start=1):
        target = folder / f"QuangTri_2024-H1.zip.{number:03d}"
        target.write_bytes(data[start : start + size])
        out.append(target)
    return out


def _huge_title(document: dict[str, Any]) -> None:
    document["records"][0]["title"] = os.urandom(5_000_000).hex()  # 10 MB, incompressible


def _deep(data: bytes) -> bytes:
    return b'{"schema":' + b"[" * 500 + b"]" * 500 + b"}"


#: Signers made once for the cases below (valid now, with a key usage that may not sign…).
pki_extra: dict[str, tuple[Any, x509.Certificate]] = {
    "no usage": issue("Không có key usage", key_usage=False),
    "encipher": issue(
        "Chỉ mã hóa",
        usage={"digital_signature": False, "content_commitment": False, "key_encipherment": True},
    ),
    "cert sign": issue("Ký chứng thư", usage={"key_cert_sign": True}),
    "valid": issue("Người ký hợp lệ"),
    "rsa 1024": issue("Khóa RSA ngắn", rsa_key=True, rsa_bits=1024),
}
#: Eight CA certificates all named "Trung gian": a path builder matching issuers by name
#: would try every order of them (seconds for eight, years for sixteen).
SAME_NAME = [issue("Trung gian", ca=True) for _ in range(8)]
pki_extra["same name signer"] = issue("Người ký giữa rừng tên", issuer=SAME_NAME[0])


CASES: dict[str, Case] = {
    # --- the zip: exactly one, as the builder writes it ---------------------------------------
    "prepended data": Case(
        lambda kit, pki, f: b"MZ" * 32 + kit.package.read_bytes(), "extraction", "central directory"
    ),
    "prepended data, offsets moved (a self-extractor)": Case(
        _raw(lambda e, k: e, prefix=b"MZ" * 32, shift=64), "extraction", "before the first entry"
    ),
    "trailing data": Case(
        lambda kit, pki, f: kit.package.read_bytes() + b"\0trailing", "extraction", "end"
    ),
    "a second zip after the first": Case(
        lambda kit, pki, f: kit.package.read_bytes() + write_zip({"bag/x.txt": b"1"}),
        "extraction",
    ),
    "hidden data between entries": Case(_raw(_hidden_gap), "extraction", "hidden data"),
    "overlapping entries": Case(_overlap, "extraction", "overlap"),
    "local header names another file": Case(
        _raw(lambda e, k: with_entry(e, "bag/data/report.pdf", local_name="bag/data/report.pdx")),
        "extraction",
        "disagree",
    ),
    "local header with another size": Case(
        _raw(lambda e, k: with_entry(e, "bag/bag-info.txt", local_size=5)), "extraction", "size"
    ),
    "local header with another CRC-32": Case(
        _raw(lambda e, k: with_entry(e, "bag/bag-info.txt", local_crc=0)), "extraction", "CRC-32"
    ),
    "local header with another method": Case(
        _raw(lambda e, k: with_entry(e, "bag/bag-info.txt", local_method=0)), "extraction", "method"
    ),
    "data descriptor that lies": Case(_raw(_with_descriptor), "extraction", "data descriptor"),
    "wrong CRC-32 in both headers": Case(
        _raw(lambda e, k: with_entry(e, "bag/bagit.txt", crc=1234)), "extraction", "CRC-32"
    ),
    "data after the deflate stream": Case(
        _raw(
            lambda e, k: with_entry(
                e,
                "bag/bagit.txt",
                stream=compressed(build.BAGIT_TXT) + b"junk",
            )
        ),
        "extraction",
        "deflate stream",
    ),
    "an entry holding more than it declares": Case(
        _raw(
            lambda e, k: with_entry(
                e,
                "bag/bagit.txt",
                stream=compressed(build.BAGIT_TXT * 3),
            )
        ),
        "extraction",
        "more bytes than it declares",
    ),
    "stored entry whose sizes differ": Case(
        _raw(lambda e, k: with_entry(e, "bag/bagit.txt", method=0, stream=build.BAGIT_TXT + b"x")),
        "extraction",
        "sizes differ",
    ),
    "folder entry": Case(
        _raw(lambda e, k: [*e, Raw("bag/data/more/", b"", method=0, external=0o40755 << 16)]),
        "extraction",
        "folder",
    ),
    "file that is also a folder": Case(
        _raw(lambda e, k: [*e, Raw("bag/data/report.pdf/inner.txt", b"x")]),
        "extraction",
        "both a file and a folder",
    ),
    "link entry": Case(
        _raw(lambda e, k: [*e, Raw("bag/data/link", b"/etc/passwd", external=0o120777 << 16)]),
        "extraction",
        "link",
    ),
    "unknown extra field": Case(
        _raw(lambda e, k: with_entry(e, "bag/bagit.txt", extra=struct.pack("<HHB", 0x5455, 1, 0))),
        "extraction",
        "extra field",
    ),
    "zip comment the builder never writes": Case(
        _raw(lambda e, k: e, comment=b"hello"), "extraction", "comment"
    ),
    "whole zip expanding above its ratio": Case(
        _original,
        "extraction",
        "zip bomb",
        limits=Limits(ratio_floor=1000, max_package_ratio=1.0),
    ),
    "central directory above its cap": Case(
        _original, "extraction", "central directory", limits=Limits(max_central_directory_bytes=100)
    ),
    "records.json above its cap": Case(
        _original, "extraction", "records.json", limits=Limits(max_records_bytes=1000)
    ),
    "signature above its cap": Case(
        _original, "extraction", "signature", limits=Limits(max_signature_bytes=100)
    ),
    # --- the bag: only the files and fields of the profile ------------------------------------
    "fetch.txt": Case(
        _resigned(_replace("bag/fetch.txt", b"https://example.org/x 10 data/x\n")),
        "bag_complete",
        "fetch.txt",
    ),
    "an MD5 manifest": Case(_resigned(_md5_manifest), "bag_complete", "SHA-256 manifests"),
    "a SHA-512 tag manifest": Case(
        _resigned(_sha512_tagmanifest), "bag_complete", "SHA-256 manifests"
    ),
    "a bag-info field twice": Case(
        _bag_info(lambda text: text + "CTMT-Province-Code: 46\n"), "bag_complete", "twice"
    ),
    "a bag-info field the profile does not know": Case(
        _bag_info(lambda text: text + "X-Ghi-Chu: thêm\n"), "bag_complete", "does not know"
    ),
    "a bag-info field folded over two lines": Case(
        _bag_info(lambda text: text + "  continued\n"), "bag_complete", "one line"
    ),
    "bagit.txt of another version": Case(
        _resigned(
            _replace("bag/bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        ),
        "bag_complete",
        "bagit.txt",
    ),
    "evidence in another folder than its name's": Case(
        _resigned(_move_evidence), "bag_complete", "another folder"
    ),
    "another file beside the signature": Case(
        _members(lambda m, k: m.update({"signature/note.txt": b"x"})),
        "bag_complete",
        "not a file of the package profile",
    ),
    "tag manifest leaving bag-info.txt out": Case(
        _tagmanifest_without_bag_info, "bag_complete", "exactly"
    ),
    "evidence file whose content is not its name": Case(
        _resigned(_evidence_misnamed), "checksums", "is not its name"
    ),
    # --- the signature: strict DER, CAdES B-B -------------------------------------------------
    "signature with trailing bytes": Case(
        _signature(lambda d: d + b"\x00\x00"), "signature", "after the DER element"
    ),
    "signature in BER (indefinite length)": Case(
        _signature(_indefinite), "signature", "indefinite"
    ),
    "signature with a length not in its shortest form": Case(
        _signature(_long_der_length), "signature", "shortest form"
    ),
    "no signing-certificate-v2": Case(
        _crafted(lambda content, kit: standard_attributes(content, kit.cert)[:3]),
        "signature",
        "signing-certificate-v2",
    ),
    "signing-certificate-v2 naming another certificate": Case(
        _crafted(
            lambda content, kit: [
                *standard_attributes(content, kit.cert)[:3],
                attribute("signing_certificate_v2", cert_reference(issue("Người khác")[1])),
            ]
        ),
        "signature",
        "another certificate",
    ),
    "content type other than id-data": Case(
        _crafted(
            lambda content, kit: [
                attribute("content_type", "signed_data"),
                *standard_attributes(content, kit.cert)[1:],
            ]
        ),
        "signature",
        "id-data",
    ),
    "a signed attribute twice": Case(
        _crafted(
            lambda content, kit: [
                *standard_attributes(content, kit.cert),
                standard_attributes(content, kit.cert)[1],
            ]
        ),
        "signature",
        "twice",
    ),
    "two signers": Case(_crafted(signers=2), "signature", "2 signers"),
    "an unsigned attribute other than a timestamp": Case(
        _crafted(unsigned=[{"type": "1.2.3.4.5", "values": [core.OctetString(b"x")]}]),
        "signature",
        "unsigned attribute",
    ),
    "signer is a CA certificate": Case(
        _signed_by(lambda pki: pki.root),
        "signature",
        "CA certificate",
        registered=lambda kit, pki: [pki.root[1]],
    ),
    "signer certificate without key usage": Case(
        _signed_by(lambda pki: pki_extra["no usage"]),
        "signature",
        "no key usage",
        registered=lambda kit, pki: [pki_extra["no usage"][1]],
    ),
    "signer certificate for encipherment only": Case(
        _signed_by(lambda pki: pki_extra["encipher"]),
        "signature",
        "may not sign",
        registered=lambda kit, pki: [pki_extra["encipher"][1]],
    ),
    "signer certificate that may sign certificates": Case(
        _signed_by(lambda pki: pki_extra["cert sign"]),
        "signature",
        "CA key",
        registered=lambda kit, pki: [pki_extra["cert sign"][1]],
    ),
    "certificates sharing one name (a path-building bomb)": Case(
        _signed_by(
            lambda pki: pki_extra["same name signer"],
            chain=lambda pki: [cert for _, cert in SAME_NAME],
        ),
        "signature",
        "two certificates named",
        roots=lambda pki: [pki.root[1]],
    ),
    "a signer's RSA key of 1024 bits": Case(
        _signed_by(lambda pki: pki_extra["rsa 1024"]),
        "signature",
        "1024 bits",
        registered=lambda kit, pki: [pki_extra["rsa 1024"][1]],
    ),
    "more certificates than the cap": Case(
        _original, "signature", "certificates", limits=Limits(max_certificates=0)
    ),
    "more ASN.1 elements than the cap": Case(
        _original, "signature", "ASN.1 elements", limits=Limits(max_der_elements=10)
    ),
    # --- the certificate's validity: now, or at a trusted timestamp ---------------------------
    "expired certificate, back-dated signing time": Case(
        _signed_by(lambda pki: pki.expired, at=SIGNED_2020, chain=lambda pki: [pki.root[1]]),
        "certificate_valid",
        "proves nothing",
        roots=lambda pki: [pki.root[1]],
    ),
    "expired registered certificate, back-dated signing time": Case(
        _signed_by(lambda pki: pki.expired_self, at=SIGNED_2020),
        "certificate_valid",
        "not now",
        registered=lambda kit, pki: [pki.expired_self[1]],
    ),
    "timestamp from an authority no root vouches for": Case(
        _signed_by(lambda pki: pki.expired, at=SIGNED_2020, stamped=SIGNED_2020),
        "certificate_valid",
        "no given root",
        roots=lambda pki: [pki.root[1]],
    ),
    "timestamp after the certificate expired": Case(
        _signed_by(
            lambda pki: pki.expired, at=SIGNED_2020, stamped=datetime(2022, 3, 1, tzinfo=UTC)
        ),
        "certificate_valid",
        "timestamped",
        roots=lambda pki: [pki.root[1], pki.tsa_root[1]],
    ),
    "signing time in the future": Case(
        _signed_by(lambda pki: pki_extra["valid"], at=datetime.now(UTC) + timedelta(days=30)),
        "certificate_valid",
        "future",
        registered=lambda kit, pki: [pki_extra["valid"][1]],
    ),
    # --- records.json: JSON under caps, the schema --------------------------------------------
    "records.json nested deeper than the cap": Case(
        _records_bytes(_deep), "schema", "deeper than the cap"
    ),
    "records.json with a number of 5,000 digits": Case(
        _records_bytes(lambda d: d.replace(b'"version":1', b'"version":' + b"9" * 5000, 1)),
        "schema",
        "number longer",
    ),
    "records.json with a number too large to be finite": Case(
        _records_bytes(lambda d: d.replace(b'"version":1', b'"version":1e999', 1)),
        "schema",
        "finite",
    ),
    "records.json with NaN": Case(
        _records_bytes(lambda d: d.replace(b'"version":1', b'"version":NaN', 1)), "schema", "NaN"
    ),
    "records.json with a key twice": Case(
        _records_bytes(
            lambda d: d.replace(
                b'{"catalog_version"', b'{"catalog_version":"x","catalog_version"', 1
            )
        ),
        "schema",
        "canonical",
    ),
    "records.json not in UTF-8": Case(
        _records_bytes(lambda d: d.replace("ậ".encode(), b"\xff", 1)), "schema", "UTF-8"
    ),
    "records.json with a string of 10 MB": Case(
        _records(_huge_title), "schema", "fails the schema"
    ),
    "more records than the cap": Case(_original, "schema", "cap", limits=Limits(max_records=2)),
    "more JSON arrays and objects than the cap": Case(
        _original, "schema", "arrays and objects", limits=Limits(max_json_containers=5)
    ),
    "more JSON strings than the cap": Case(
        _original, "schema", "strings", limits=Limits(max_json_strings=10)
    ),
    # --- the records, as the core checks them -------------------------------------------------
    "a record outside the period": Case(
        _records(_record("event", start_date="2024-08-10")), "records", "event #"
    ),
    "a commune of another province": Case(
        _records(_record("radio", places=[HUE_COMMUNE])), "records", "radio #"
    ),
    "a part above its total": Case(
        _records(_record("training", participants_female=60)), "records", "participants_female"
    ),
    "an id twice": Case(_records(_duplicate_training), "records", "appears twice"),
    "a program code the catalog does not know": Case(
        _records(_record("event", program="GNBV99.KHONG.CO")), "records", "program"
    ),
    "counts per kind that are not the records'": Case(
        _records(lambda d: d["counts"].update(training=5)), "records", "counts training"
    ),
    "bag-info counts that are not the records'": Case(
        _bag_info(lambda t: t.replace("training=1", "training=7")), "records", "CTMT-Counts"
    ),
    "version 1 superseding a package": Case(
        _resigned(_supersedes_in_version_1), "records", "supersedes"
    ),
    "evidence whose size is not its file's": Case(
        _records(lambda d: d["evidence"][0].update(size=d["evidence"][0]["size"] + 1)),
        "records",
        "size",
    ),
    "report.pdf that is not a PDF": Case(
        _resigned(_replace("bag/data/report.pdf", b"not a PDF at all")), "records", "report.pdf"
    ),
    "report.xlsx that is not a workbook": Case(
        _resigned(_replace("bag/data/report.xlsx", b"PK\x03\x04 and nothing")),
        "records",
        "report.xlsx",
    ),
    "audit.json that is not a list": Case(
        _resigned(_replace("bag/data/audit.json", b'{"action":"create"}')), "records", "audit.json"
    ),
    "audit.json nested deeper than the cap": Case(
        _resigned(_replace("bag/data/audit.json", b"[" * 100 + b"]" * 100)), "records", "deeper"
    ),
    # --- the package's facts ------------------------------------------------------------------
    "zip comment naming another package": Case(
        lambda kit, pki, f: write_zip(
            kit.members, comment=f"CTMT package {uuid.uuid4()} v1".encode()
        ),
        "consistency",
        "zip comment",
    ),
    "bag-info naming another signer": Case(
        _bag_info(
            lambda t: t.replace("CTMT-Signer-SHA256: ", "CTMT-Signer-SHA256: 0", 1)[:-1] + "\n"
        ),
        "consistency",
        "CTMT-Signer-SHA256",
    ),
    # --- parts --------------------------------------------------------------------------------
    "last part from another package": Case(_part_from_another_package, "parts", "another package"),
    "parts renamed": Case(_parts_renamed, "parts", "renamed"),
    "a damaged part": Case(_part_damaged, "parts", "damaged"),
    "a part more, from another package": Case(_part_extra, "parts", "another package"),
    "plain slices without part headers": Case(_parts_plain, "parts", "part header"),
    # --- the deadline -------------------------------------------------------------------------
    "a verification past its deadline": Case(
        _original, "parts", "took longer", limits=Limits(max_seconds=-1)
    ),
}


def _tree(folder: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def _verify(
    source: Path | list[Path],
    kit: Kit,
    pki: Pki,
    case: Case,
    work: Path,
) -> VerificationReport:
    return verify_package(
        source,
        trust_roots=case.roots(pki),
        registered=case.registered(kit, pki),
        limits=case.limits,
        work_dir=work,
    )


@pytest.mark.parametrize("name", list(CASES))
def test_a_crafted_package_is_refused_by_its_check(
    kit: Kit, pki: Pki, tmp_path: Path, name: str
) -> None:
    case = CASES[name]
    inputs = tmp_path / "in"
    inputs.mkdir()
    made = case.make(kit, pki, inputs)
    if isinstance(made, bytes):
        source: Path | list[Path] = inputs / "hostile.zip"
        source.write_bytes(made)
    else:
        source = made
    before = _tree(tmp_path)
    work = tmp_path / "work"
    report = _verify(source, kit, pki, case, work)
    failed = [check.name for check in report.failed]
    assert not report.ok
    assert failed[:1] == [case.check], "\n".join(report.lines())
    reason = report.check(case.check).reason
    assert case.says in reason, reason
    assert "could not be completed" not in reason  # refused by a rule, not by an accident
    # Stages stop at the first failure: nothing after it was looked at.
    later = CHECKS[CHECKS.index(case.check) + 1 :]
    if case.check in ("signer_trusted", "certificate_valid"):
        later = later[later.index("schema") :]
    assert all(report.check(name).status == "skipped" for name in later)
    # Nothing was written outside the work folder, which is empty and gone afterwards.
    after = _tree(tmp_path)
    assert {p: v for p, v in after.items() if p != work} == before
    assert list(work.iterdir()) == []


def test_the_corpus_covers_every_check() -> None:
    assert {case.check for case in CASES.values()} == set(CHECKS) - {"signer_trusted"}
    assert len(CASES) >= 70


# --- the honest versions of the crafts verify -----------------------------------------------
def _ok(report: VerificationReport) -> None:
    assert report.ok, "\n".join(report.lines())


def test_the_package_written_field_by_field_verifies(kit: Kit, tmp_path: Path) -> None:
    """raw_zip without a lie writes a zip the verifier accepts: each crafted lie above is the
    only thing wrong with its package."""
    path = tmp_path / "raw.zip"
    path.write_bytes(raw_zip(raw_entries(kit.members)))
    _ok(verify_package(path, registered=[kit.cert], work_dir=tmp_path / "w"))
    comment = f"CTMT package {json.loads(kit.members[RECORDS_JSON])['package_id']} v1"
    path.write_bytes(write_zip(kit.members, comment=comment.encode()))
    _ok(verify_package(path, registered=[kit.cert], work_dir=tmp_path / "w"))


def test_a_signature_crafted_with_every_attribute_verifies(kit: Kit, tmp_path: Path) -> None:
    members = dict(kit.members)
    content = members["bag/tagmanifest-sha256.txt"]
    members[SIGNATURE] = crafted_cms(content, [signer_info(content, kit.key, kit.cert)], [kit.cert])
    path = tmp_path / "crafted.zip"
    path.write_bytes(write_zip(members))
    _ok(verify_package(path, registered=[kit.cert], work_dir=tmp_path / "w"))


def test_a_resigned_package_verifies(kit: Kit, tmp_path: Path) -> None:
    path = tmp_path / "resigned.zip"
    path.write_bytes(resigned(kit, lambda members: None))
    _ok(verify_package(path, registered=[kit.cert], work_dir=tmp_path / "w"))


def _made_in_2020(kit: Kit, pki: Pki, stamped: datetime | None) -> bytes:
    """The package as the holder of the 2020 certificate would have made it then: created
    and signed on 1 June 2020 (with a timestamp of our TSA at ``stamped``)."""
    key, cert = pki.expired
    members = dict(kit.members)
    when = SIGNED_2020.isoformat()
    edit_records(members, lambda document: document.update(created_at=when))
    text = re.sub(r"(?m)^CTMT-Created-At: .*$", f"CTMT-Created-At: {when}", bag_info(members))
    fingerprint = identity.fingerprint_sha256(cert)
    text = re.sub(r"(?m)^CTMT-Signer-SHA256: .*$", f"CTMT-Signer-SHA256: {fingerprint}", text)
    set_bag_info(members, text)
    rehash(members)
    stamper = timestamper(*pki.tsa, stamped) if stamped is not None else None
    signer = simple_signer(key, cert, [pki.root[1]])
    sign(members, signer, signing_time=SIGNED_2020, timestamper=stamper)
    return write_zip(members)


def test_an_expired_certificate_verifies_with_a_trusted_timestamp(
    kit: Kit, pki: Pki, tmp_path: Path
) -> None:
    """A certificate of 2020 signed in 2020, proven by a timestamp of an authority the
    ministry trusts: the signature still holds today. Without the timestamp it is refused
    (the stated signing time proves nothing), and so it is when the authority is not
    trusted."""
    stamped = SIGNED_2020 + timedelta(minutes=3)
    path = tmp_path / "stamped.zip"
    path.write_bytes(_made_in_2020(kit, pki, stamped))
    roots = [pki.root[1], pki.tsa_root[1]]
    report = verify_package(path, trust_roots=roots, work_dir=tmp_path / "w")
    _ok(report)
    assert report.facts["timestamp_time"] == stamped.isoformat()
    assert "timestamped" in report.check("certificate_valid").reason
    # The same package judged on the day it was made needs no timestamp at all.
    without = tmp_path / "plain.zip"
    without.write_bytes(_made_in_2020(kit, pki, None))
    then = SIGNED_2020 + timedelta(days=1)
    _ok(verify_package(without, trust_roots=[pki.root[1]], work_dir=tmp_path / "w", now=then))
    refused = verify_package(without, trust_roots=[pki.root[1]], work_dir=tmp_path / "w")
    assert [c.name for c in refused.failed] == ["certificate_valid"]
