"""Verify a submission package (a zip, or its numbered parts) and report every check.

:func:`verify_package` runs these checks in this order, each reported by name as ``ok``,
``failed`` (with the reason) or ``skipped``. A check runs only when every check before it
passed (``signer_trusted`` and ``certificate_valid`` are both reported once the signature is
intact and valid): nothing of a package is parsed further than its first failure, so
``records.json`` is never read when its checksum or its signature failed.

``parts``
    one zip, or parts ``NAME.zip.001``… numbered without a gap; each part's header
    (:mod:`ctmt_desktop.package.parts`) names the same package, part count and zip digest,
    its own number and its slice's SHA-256; the joined zip has the digest every part states
    (a part of another package, renamed, damaged or missing is refused by name);
``extraction``
    the zip read strictly as the builder writes it (:mod:`ctmt_desktop.package.strictzip`):
    exactly one zip with nothing before or after it, entries end to end with no gap or
    overlap, local headers equal to the central directory, no data descriptor, encryption,
    folder, link or unknown extra field, safe ASCII names under ``bag/`` and ``signature/``,
    no name twice once case is ignored, no file that is also a folder, caps on sizes, counts
    and compression ratios checked before reading; every entry inflated in bounded steps,
    counted, CRC-checked and hashed. Nothing is written to disk (only parts are joined, in
    the work folder);
``bag_complete``
    the bag holds only the files of the profile: ``bagit.txt`` (exactly as written: BagIt
    0.97, UTF-8), ``bag-info.txt``, ``manifest-sha256.txt``, ``tagmanifest-sha256.txt``,
    ``data/records.json``, ``data/report.pdf``, ``data/report.xlsx``, ``data/audit.json``,
    ``data/evidence/xx/<sha256>``, and the signature; ``fetch.txt`` and other manifests
    (MD5, SHA-512…) are refused; every field of ``bag-info.txt`` is one the builder writes
    and appears exactly once; the manifest lists exactly the payload, the tag manifest
    exactly the other tag files; ``Payload-Oxum`` right;
``checksums``
    every file's SHA-256 equal to the manifest's and the tag manifest's, every evidence
    file's equal to its name;
``signature``
    the detached CMS over ``bag/tagmanifest-sha256.txt`` is strict DER within caps and a CAdES
    baseline B-B signature (:mod:`ctmt_desktop.package.cms_check`: one signer, signed
    content-type ``id-data``, message-digest and signing-certificate-v2 naming the signer's
    certificate, an end-entity certificate allowed to sign), and pyHanko finds it intact
    (the digest matches) and valid (the signature value matches the signer's key);
``signer_trusted``
    the signer's certificate chains to one of ``trust_roots``, or is one of the
    ``registered`` self-issued certificates (same SHA-256 fingerprint), checked by pyHanko
    without fetching anything;
``certificate_valid``
    the signer's certificate is valid *now* (at ``now``), or, when the signature carries an
    RFC 3161 timestamp token from an authority that chains to ``trust_roots``, at the time
    the token proves; a signing time the signer states is never proof (it must lie within
    the certificate's validity, not after the timestamp, not in the future);
``schema``
    ``records.json`` within its size and JSON caps (nesting depth before parsing, no key twice,
    no number too long or not finite) is canonical JSON valid against the shipped schema;
``records``
    every record passes the core's validation (:mod:`ctmt_desktop.package.records_check`):
    dates in the period, communes of the sender's province, parts not above totals, ids
    once per kind, known codes; counts per kind, version and supersedes, evidence metadata,
    ``report.pdf``, ``report.xlsx`` and ``audit.json`` as they must be;
``consistency``
    ``bag-info.txt``, ``records.json``, the zip comment and the parts agree (package id,
    period, version, province, counts, schema, signer).

The caps are :class:`~ctmt_desktop.package.limits.Limits` (a package of 50 MB is answered in
seconds and well under 300 MB of memory whatever it holds, and a deadline stops any
verification that runs too long); a cap met, like any other problem, is a failed check with
its reason, never an exception. Nothing is written outside the work folder, which is removed
before returning.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import x509 as asn1_x509
from cryptography import x509

from ctmt_desktop.catalog import CATALOG_FILE, Catalog, bundled_catalog_path, load_catalog
from ctmt_desktop.collector import collector_paused
from ctmt_desktop.errors import StorageError
from ctmt_desktop.package import cms_check, strictzip
from ctmt_desktop.package import parts as part_format
from ctmt_desktop.package.build import (
    AUDIT_JSON,
    BAG_DIR,
    BAG_INFO_FIELDS,
    BAGIT_TXT,
    FIXED_PAYLOAD,
    MANIFEST,
    RECORDS_JSON,
    REPORT_PDF,
    REPORT_XLSX,
    SCHEMA_ID,
    SCHEMA_VERSION,
    SIGNATURE_NAME,
    TAGMANIFEST,
    canonical_json,
    schema_problems,
)
from ctmt_desktop.package.limits import Deadline, Limits, Refusal, load_json
from ctmt_desktop.package.records_check import TAIL_BYTES, check_records
from ctmt_desktop.paths import APP_AUTHOR, APP_NAME
from ctmt_desktop.signing.identity import (
    fingerprint_sha256,
    load_certificates,
    subject_text,
    to_asn1,
)

__all__ = [
    "CHECKS",
    "CHECK_TITLES",
    "Check",
    "Limits",
    "VerificationReport",
    "verify_package",
]

CHECK_PARTS = "parts"
CHECK_EXTRACTION = "extraction"
CHECK_BAG = "bag_complete"
CHECK_CHECKSUMS = "checksums"
CHECK_SIGNATURE = "signature"
CHECK_TRUST = "signer_trusted"
CHECK_VALIDITY = "certificate_valid"
CHECK_SCHEMA = "schema"
CHECK_RECORDS = "records"
CHECK_CONSISTENCY = "consistency"
#: Every check, in the order it runs and is reported.
CHECKS: tuple[str, ...] = (
    CHECK_PARTS,
    CHECK_EXTRACTION,
    CHECK_BAG,
    CHECK_CHECKSUMS,
    CHECK_SIGNATURE,
    CHECK_TRUST,
    CHECK_VALIDITY,
    CHECK_SCHEMA,
    CHECK_RECORDS,
    CHECK_CONSISTENCY,
)
#: What each check means, for people.
CHECK_TITLES: dict[str, str] = {
    CHECK_PARTS: "parts joined",
    CHECK_EXTRACTION: "safe extraction",
    CHECK_BAG: "bag complete",
    CHECK_CHECKSUMS: "checksums right",
    CHECK_SIGNATURE: "signature intact and valid",
    CHECK_TRUST: "signer trusted",
    CHECK_VALIDITY: "certificate valid now or at a trusted timestamp",
    CHECK_SCHEMA: "records valid against the schema",
    CHECK_RECORDS: "records pass the core's rules",
    CHECK_CONSISTENCY: "package facts agree",
}
OK, FAILED, SKIPPED = "ok", "failed", "skipped"
_CHUNK = 1 << 20
_PART = re.compile(r"^(?P<stem>.+)\.(?P<number>\d{3})$")
_TAG_FILES = ("bagit.txt", "bag-info.txt", MANIFEST, TAGMANIFEST)
_EVIDENCE = re.compile(r"^data/evidence/(?P<dir>[0-9a-f]{2})/(?P<sha256>[0-9a-f]{64})$")
_OTHER_MANIFEST = re.compile(r"^(tag)?manifest-[^/]*\.txt$")
_BAG_INFO_LINE = re.compile(r"^(?P<name>[A-Za-z0-9-]+): (?P<value>[^\r\n]*)$")
_MANIFEST_LINE = re.compile(r"^(?P<digest>[0-9a-f]{64}) {1,2}(?P<path>[^ \r\n][^\r\n]*)$")
#: A signing time this far ahead of the verifier's clock is refused.
CLOCK_SKEW = timedelta(days=1)
_T = TypeVar("_T")

# pyHanko logs each failed path validation with a traceback; the report says it in one line.
# A NullHandler keeps Python's last-resort handler from printing them on stderr, while an app
# that configures logging still receives them.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Check:
    """The result of one check: ``status`` is ``ok``, ``failed`` or ``skipped``."""

    name: str
    status: str
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def title(self) -> str:
        return CHECK_TITLES.get(self.name, self.name)


@dataclass
class VerificationReport:
    """Every check of a package, in order, and the facts read from it.

    ``facts`` holds what could be read: ``package_id``, ``period``, ``version``,
    ``supersedes``, ``sender``, ``province_code``, ``created_at``, ``record_count``,
    ``evidence_count``, ``catalog_version`` (from ``bag-info.txt``, as soon as it is read,
    even for a package refused later), ``tagmanifest_sha256``, ``signer_subject``,
    ``signer_fingerprint``, ``signing_time`` (the time the signer states, ISO text) and
    ``timestamp_time`` (the time a trusted timestamp proves, ISO text, or None).
    """

    source: list[str]
    checks: list[Check] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    #: The parsed ``records.json`` once it passed the schema check (None before), for a
    #: receiver that stores the records (the ministry's intake); not part of :meth:`to_dict`.
    records: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """True only when every check passed."""
        return len(self.checks) == len(CHECKS) and all(check.ok for check in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if check.status == FAILED]

    def check(self, name: str) -> Check:
        """The result of the check called ``name``."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-safe data (``ctmt verify --format json``)."""
        return {
            "source": list(self.source),
            "ok": self.ok,
            "checks": [
                {"name": c.name, "title": c.title, "status": c.status, "reason": c.reason}
                for c in self.checks
            ],
            "facts": dict(self.facts),
        }

    def lines(self) -> list[str]:
        """The report as text lines: one per check, then the facts."""
        width = max(len(check.title) for check in self.checks) if self.checks else 0
        out = [
            f"{'OK' if c.ok else c.status.upper():7} {c.title:{width}}  {c.reason}".rstrip()
            for c in self.checks
        ]
        for key, value in self.facts.items():
            out.append(f"{key}: {value}")
        out.append("package verified" if self.ok else "package REFUSED")
        return out


# --- parts -------------------------------------------------------------------------------------
def _parts_of(source: Path | str | Sequence[Path | str]) -> list[Path]:
    """The files to join: the list given, or a single zip, or the numbered parts found
    beside ``NAME.zip.001`` (or ``NAME.zip`` when only its parts exist)."""
    if not isinstance(source, str | os.PathLike):
        return [Path(item) for item in source]
    path = Path(source)
    match = _PART.match(path.name)
    if match is None and not path.exists() and path.with_name(f"{path.name}.001").exists():
        match = _PART.match(f"{path.name}.001")
    if match is None:
        return [path]
    stem = match.group("stem")
    found = sorted(
        candidate
        for candidate in path.parent.iterdir()
        if (m := _PART.match(candidate.name)) is not None and m.group("stem") == stem
    )
    return found or [path]


@dataclass
class _Joined:
    zip_path: Path
    text: str
    package_id: str | None = None  # what the parts' headers name


def _join_parts(parts: list[Path], work: Path, limits: Limits, deadline: Deadline) -> _Joined:
    """The zip to read (the one file, or the parts joined in ``work``)."""
    for part in parts:
        if not part.is_file():
            raise Refusal(f"{part}: no such file")
    if len(parts) == 1 and _PART.match(parts[0].name) is None:
        return _Joined(parts[0], f"one file, {parts[0].stat().st_size} bytes")
    if len(parts) > limits.max_parts:
        raise Refusal(f"{len(parts)} parts, more than the cap of {limits.max_parts}")
    numbered = []
    for part in parts:
        match = _PART.match(part.name)
        if match is None:
            raise Refusal(f"{part.name} is not a numbered part (NAME.zip.001…)")
        numbered.append((int(match.group("number")), match.group("stem"), part))
    numbered.sort()
    stems = {stem for _, stem, _ in numbered}
    if len(stems) > 1:
        raise Refusal(f"the parts belong to different files: {', '.join(sorted(stems))}")
    stem = next(iter(stems))
    for expected, (number, _, _) in enumerate(numbered, start=1):
        if number != expected:
            raise Refusal(f"part {stem}.{expected:03d} is missing")
    headers: list[part_format.PartHeader] = []
    for _, _, part in numbered:
        with part.open("rb") as handle:
            head = handle.read(part_format.HEADER_SIZE)
        try:
            header = part_format.read_header(head)
        except part_format.PartHeaderError as exc:
            raise Refusal(f"{part.name}: {exc}") from exc
        headers.append(header)
    first = headers[0]
    for header, (_, _, part) in zip(headers[1:], numbered[1:], strict=True):
        if (header.package_id, header.count, header.zip_size, header.zip_sha256) != (
            first.package_id,
            first.count,
            first.zip_size,
            first.zip_sha256,
        ):
            raise Refusal(
                f"{part.name} belongs to package {header.package_id} ({header.count} parts), "
                f"{numbered[0][2].name} to package {first.package_id} ({first.count} parts): "
                "a part from another package"
            )
    for header, (number, _, part) in zip(headers, numbered, strict=True):
        if header.number != number:
            raise Refusal(
                f"{part.name} says it is part {header.number} of {header.count}: a part renamed"
            )
    if first.count != len(numbered):
        missing = ", ".join(f"{stem}.{n:03d}" for n in range(len(numbered) + 1, first.count + 1))
        raise Refusal(
            f"the package has {first.count} parts, {len(numbered)} were given"
            + (f" ({missing} missing)" if missing else "")
        )
    sizes = [part.stat().st_size - part_format.HEADER_SIZE for _, _, part in numbered]
    if first.zip_size > limits.max_package_bytes:
        raise Refusal(f"the parts hold {first.zip_size} bytes, more than the cap")
    if sum(sizes) != first.zip_size:
        raise Refusal(
            f"the parts hold {sum(sizes)} bytes, their headers say {first.zip_size}: a part is "
            "truncated or extended"
        )
    joined = work / "joined.zip"
    whole = hashlib.sha256()
    with joined.open("wb") as out:
        for (_, _, part), header in zip(numbered, headers, strict=True):
            digest = hashlib.sha256()
            with part.open("rb") as src:
                src.seek(part_format.HEADER_SIZE)
                while chunk := src.read(_CHUNK):
                    deadline.check("joining the parts")
                    digest.update(chunk)
                    whole.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != header.part_sha256:
                raise Refusal(
                    f"{part.name} is damaged: its content is not the one its header names"
                )
    if whole.hexdigest() != first.zip_sha256:
        raise Refusal("the joined parts are not the zip their headers name")
    return _Joined(
        joined, f"{len(numbered)} parts joined, {first.zip_size} bytes", first.package_id
    )


# --- extraction --------------------------------------------------------------------------------
def _keep(limits: Limits) -> Callable[[str], int]:
    caps = {
        f"{BAG_DIR}/bagit.txt": limits.max_tag_file_bytes,
        f"{BAG_DIR}/bag-info.txt": limits.max_tag_file_bytes,
        f"{BAG_DIR}/{TAGMANIFEST}": limits.max_tag_file_bytes,
        f"{BAG_DIR}/{MANIFEST}": limits.max_manifest_bytes,
        SIGNATURE_NAME: limits.max_signature_bytes,
        f"{BAG_DIR}/{RECORDS_JSON}": limits.max_records_bytes,
        f"{BAG_DIR}/{AUDIT_JSON}": limits.max_audit_bytes,
    }
    return lambda name: caps.get(name, 0)


def _tail(name: str) -> int:
    return TAIL_BYTES if name in (f"{BAG_DIR}/{REPORT_PDF}", f"{BAG_DIR}/{REPORT_XLSX}") else 0


# --- the bag -----------------------------------------------------------------------------------
@dataclass
class _Bag:
    info: dict[str, str]
    manifest: dict[str, str]
    tagmanifest: dict[str, str]


def _profile_problem(name: str) -> str | None:
    """Why ``name`` is not a file of the package profile (None when it is)."""
    if name == SIGNATURE_NAME:
        return None
    if not name.startswith(f"{BAG_DIR}/"):
        return f"{name}: not a file of the package profile"
    inner = name[len(BAG_DIR) + 1 :]
    if inner in _TAG_FILES or inner in FIXED_PAYLOAD:
        return None
    match = _EVIDENCE.match(inner)
    if match is not None:
        if match.group("sha256")[:2] == match.group("dir"):
            return None
        return f"{name}: an evidence file in another folder than its SHA-256's first two digits"
    if inner == "fetch.txt":
        return f"{name}: fetch.txt is refused (a package holds every file; nothing is fetched)"
    if _OTHER_MANIFEST.match(inner):
        return f"{name}: only SHA-256 manifests are allowed; other manifests are refused"
    return f"{name}: not a file of the package profile"


def _text(data: bytes | None, what: str) -> str:
    if data is None:
        raise Refusal(f"{what} is missing")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refusal(f"{what} is not UTF-8") from exc
    if text and not text.endswith("\n"):
        raise Refusal(f"{what} does not end with a line break")
    if "\r" in text:
        raise Refusal(f"{what} has carriage returns (lines end with LF alone)")
    return text


def _read_bag_info(data: bytes | None, limits: Limits) -> dict[str, str]:
    text = _text(data, "bag-info.txt")
    lines = text.split("\n")[:-1]
    if len(lines) > limits.max_tag_lines:
        raise Refusal(f"bag-info.txt has {len(lines)} lines, more than the cap")
    info: dict[str, str] = {}
    known = set(BAG_INFO_FIELDS)
    for number, line in enumerate(lines, start=1):
        match = _BAG_INFO_LINE.match(line)
        if match is None:
            raise Refusal(f"bag-info.txt line {number} is not 'Name: value' on one line")
        name = match.group("name")
        if name not in known:
            raise Refusal(f"bag-info.txt has the field {name!r}, which the profile does not know")
        if name in info:
            raise Refusal(f"bag-info.txt has the field {name} twice")
        info[name] = match.group("value")
    missing = [name for name in BAG_INFO_FIELDS if name not in info]
    if missing:
        raise Refusal(f"bag-info.txt lacks {', '.join(missing[:5])}")
    return info


def _read_manifest(data: bytes | None, what: str, limits: Limits) -> dict[str, str]:
    """``path -> sha256`` of a (tag) manifest; :class:`Refusal` when malformed."""
    text = _text(data, what)
    lines = text.split("\n")[:-1]
    if len(lines) > limits.max_entries:
        raise Refusal(f"{what} has {len(lines)} lines, more than the cap of {limits.max_entries}")
    entries: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        match = _MANIFEST_LINE.match(line)
        if match is None:
            raise Refusal(f"{what} line {number} is not 'SHA-256 path' (lower-case hex)")
        path = match.group("path")
        if path in entries:
            raise Refusal(f"{what} lists {path[:100]!r} twice")
        entries[path] = match.group("digest")
    return entries


def _check_bag(
    entries: Mapping[str, strictzip.Entry], limits: Limits, report: VerificationReport
) -> tuple[_Bag, str]:
    problems = [problem for name in entries if (problem := _profile_problem(name))]
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise Refusal("; ".join(problems[:5]) + more)
    required = [SIGNATURE_NAME] + [f"{BAG_DIR}/{name}" for name in (*_TAG_FILES, *FIXED_PAYLOAD)]
    missing = [name for name in required if name not in entries]
    if missing:
        raise Refusal(f"missing from the package: {', '.join(missing)}")

    def data(name: str) -> bytes | None:
        return entries[f"{BAG_DIR}/{name}"].data

    if data("bagit.txt") != BAGIT_TXT:
        raise Refusal("bagit.txt is not the declaration of BagIt 0.97 with UTF-8 tag files")
    info = _read_bag_info(data("bag-info.txt"), limits)
    _facts_from_bag_info(report, info)
    manifest = _read_manifest(data(MANIFEST), MANIFEST, limits)
    tagmanifest = _read_manifest(data(TAGMANIFEST), TAGMANIFEST, limits)
    payload = {name[len(BAG_DIR) + 1 :] for name in entries if name.startswith(f"{BAG_DIR}/data/")}
    for name in manifest:
        if not name.startswith("data/"):
            raise Refusal(f"{MANIFEST} lists {name[:100]!r}, which is not payload")
    added = sorted(payload - set(manifest))
    lost = sorted(set(manifest) - payload)
    if added:
        raise Refusal(f"files not in the manifest (added): {', '.join(added[:5])}")
    if lost:
        raise Refusal(
            "files in the manifest but not in the bag (missing): "
            + ", ".join(name[:100] for name in lost[:5])
        )
    tags = {"bagit.txt", "bag-info.txt", MANIFEST}
    if set(tagmanifest) != tags:
        odd = sorted(set(tagmanifest) ^ tags)
        raise Refusal(
            f"{TAGMANIFEST} must list exactly bag-info.txt, bagit.txt and {MANIFEST} (the "
            f"signature covers the bag through them); it differs on "
            + ", ".join(name[:100] for name in odd)
        )
    size = sum(entries[f"{BAG_DIR}/{name}"].size for name in payload)
    oxum = f"{size}.{len(payload)}"
    if info["Payload-Oxum"] != oxum:
        raise Refusal(
            f"Payload-Oxum says {info['Payload-Oxum'][:40]}, the payload is {size} bytes in "
            f"{len(payload)} files"
        )
    text = f"{len(payload)} payload files, {len(tags) + 1} tag files, every one of the profile"
    return _Bag(info, manifest, tagmanifest), text


def _check_checksums(entries: Mapping[str, strictzip.Entry], bag: _Bag) -> str:
    wrong = []
    for listing in (bag.manifest, bag.tagmanifest):
        for name, digest in sorted(listing.items()):
            if entries[f"{BAG_DIR}/{name}"].sha256 != digest:
                wrong.append(name)
    if wrong:
        shown = ", ".join(wrong[:5]) + (f" and {len(wrong) - 5} more" if len(wrong) > 5 else "")
        raise Refusal(f"SHA-256 differs from the manifest: {shown}")
    for name, entry in entries.items():
        match = _EVIDENCE.match(name[len(BAG_DIR) + 1 :]) if name.startswith(BAG_DIR) else None
        if match is not None and entry.sha256 != match.group("sha256"):
            raise Refusal(f"{name}: an evidence file whose SHA-256 is not its name")
    return f"{len(bag.manifest) + len(bag.tagmanifest)} files match"


# --- the signature -----------------------------------------------------------------------------
CertificateLike = x509.Certificate | asn1_x509.Certificate | bytes | Path | str


def _certificates(items: Iterable[CertificateLike]) -> list[asn1_x509.Certificate]:
    found: list[asn1_x509.Certificate] = []
    for item in items:
        if isinstance(item, str | os.PathLike):
            found.extend(to_asn1(cert) for cert in load_certificates(Path(item)))
        else:
            found.append(to_asn1(item))
    return found


@dataclass
class _Signature:
    parts: cms_check.SignatureParts
    intact: bool
    valid: bool
    trusted: bool
    trust_problem: str
    proven: cms_check.TimestampResult

    @property
    def signer(self) -> asn1_x509.Certificate:
        return self.parts.signer


def _validate_signature(
    content: bytes,
    parts: cms_check.SignatureParts,
    roots: list[asn1_x509.Certificate],
    registered: list[asn1_x509.Certificate],
    now: datetime,
) -> _Signature:
    from pyhanko.sign.validation import async_validate_detached_cms
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    signer = parts.signer
    proven = cms_check.timestamp_time(parts, roots, now)
    fingerprint = fingerprint_sha256(signer)
    anchors = list(roots)
    anchors += [cert for cert in registered if fingerprint_sha256(cert) == fingerprint]
    # The chain is checked now (or at the time a trusted timestamp proves), kept inside the
    # signer's validity: whether the certificate is valid then is the separate check
    # ``certificate_valid``, and an expired certificate still tells whether it chains.
    start, end = signer.not_valid_before, signer.not_valid_after
    moment = min(max(proven.time or now, start), end)
    context = ValidationContext(trust_roots=anchors, allow_fetching=False, moment=moment)
    stamps = ValidationContext(trust_roots=list(roots), allow_fetching=False, moment=now)
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})
    try:
        status = asyncio.run(
            async_validate_detached_cms(
                content,
                parts.signed_data,
                signer_validation_context=context,
                ts_validation_context=stamps,
                key_usage_settings=usage,
            )
        )
    except (SignatureValidationError, ValueError, TypeError) as exc:
        raise Refusal(f"the signature cannot be validated: {exc}") from exc
    problem = status.trust_problem_indic
    return _Signature(
        parts=parts,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        trust_problem=str(problem.name if hasattr(problem, "name") else problem or ""),
        proven=proven,
    )


def _validity(result: _Signature, now: datetime) -> str:
    """Why the signer's certificate is valid for this signature, or :class:`Refusal`."""
    parsed = x509.load_der_x509_certificate(result.signer.dump())
    start, end = parsed.not_valid_before_utc, parsed.not_valid_after_utc
    period = f"valid {start:%d/%m/%Y %H:%M} to {end:%d/%m/%Y %H:%M} UTC"
    stated = result.parts.signing_time
    proven = result.proven.time
    if stated is not None:
        if stated > now + CLOCK_SKEW:
            raise Refusal(f"the signing time {stated:%d/%m/%Y %H:%M} is in the future")
        if not start <= stated <= end:
            raise Refusal(
                f"signed {stated:%d/%m/%Y %H:%M} UTC (as stated) with a certificate {period}"
            )
    if proven is not None:
        if proven > now + CLOCK_SKEW:
            raise Refusal(f"the timestamp {proven:%d/%m/%Y %H:%M} is in the future")
        if stated is not None and stated > proven + CLOCK_SKEW:
            raise Refusal(
                f"the stated signing time {stated:%d/%m/%Y %H:%M} is after the timestamp "
                f"{proven:%d/%m/%Y %H:%M}"
            )
        if not start <= proven <= end:
            raise Refusal(f"timestamped {proven:%d/%m/%Y %H:%M} UTC with a certificate {period}")
        return f"{result.proven.reason} by a trusted authority; certificate {period}"
    if not start <= now <= end:
        note = f" ({result.proven.reason})" if result.parts.timestamp is not None else ""
        raise Refusal(
            f"the certificate is {period}, not now ({now:%d/%m/%Y %H:%M} UTC), and no trusted "
            f"timestamp proves when it signed{note}; a signing time the signer states "
            "proves nothing"
        )
    when = f"signed {stated:%d/%m/%Y %H:%M} UTC (as stated); " if stated is not None else ""
    return f"{when}certificate {period}, and now"


def _signature_checks(
    report: VerificationReport,
    entries: Mapping[str, strictzip.Entry],
    roots: list[asn1_x509.Certificate],
    registered: list[asn1_x509.Certificate],
    now: datetime,
    limits: Limits,
    record: Callable[[str, str, str], None],
) -> _Signature | None:
    """The checks ``signature``, ``signer_trusted`` and ``certificate_valid``; the result when
    all three passed."""
    data = entries[SIGNATURE_NAME].data
    content = entries[f"{BAG_DIR}/{TAGMANIFEST}"].data
    assert data is not None and content is not None
    parts = cms_check.read_signature(data, limits, SIGNATURE_NAME)
    result = _validate_signature(content, parts, roots, registered, now)
    signer = result.signer
    fingerprint = fingerprint_sha256(signer)
    subject = subject_text(signer)
    report.facts["signer_subject"] = subject
    report.facts["signer_fingerprint"] = fingerprint
    stated = parts.signing_time
    report.facts["signing_time"] = stated.isoformat() if stated else None
    report.facts["timestamp_time"] = (
        result.proven.time.isoformat() if result.proven.time is not None else None
    )
    if not result.intact:
        raise Refusal(
            f"bag/{TAGMANIFEST} is not what was signed (its digest differs): the bag was "
            "changed after signing, or the signature is over other content"
        )
    if not result.valid:
        raise Refusal("the signature value does not match the signer's key")
    record(CHECK_SIGNATURE, OK, f"signed by {subject}")
    passed = True
    registered_match = any(fingerprint_sha256(cert) == fingerprint for cert in registered)
    if not roots and not registered:
        passed = False
        record(
            CHECK_TRUST,
            FAILED,
            "no trust root or registered certificate was given (--trust PEM, --registered "
            f"CERT); signer {subject}, SHA-256 {fingerprint}",
        )
    elif result.trusted:
        how = "a registered self-issued certificate" if registered_match else "a trusted root"
        record(CHECK_TRUST, OK, f"{subject} (SHA-256 {fingerprint}) chains to {how}")
    else:
        passed = False
        problem = f" ({result.trust_problem})" if result.trust_problem else ""
        record(
            CHECK_TRUST,
            FAILED,
            f"{subject} (SHA-256 {fingerprint}) does not chain to a given root and is not a "
            f"registered certificate{problem}",
        )
    try:
        record(CHECK_VALIDITY, OK, _validity(result, now))
    except Refusal as refused:
        passed = False
        record(CHECK_VALIDITY, FAILED, str(refused))
    return result if passed else None


# --- records -----------------------------------------------------------------------------------
def _check_schema(entries: Mapping[str, strictzip.Entry], limits: Limits) -> tuple[Any, str]:
    data = entries[f"{BAG_DIR}/{RECORDS_JSON}"].data
    assert data is not None
    document = load_json(
        data,
        limits,
        "records.json",
        max_bytes=limits.max_records_bytes,
        max_strings=limits.max_json_strings,
        max_containers=limits.max_json_containers,
        objects="canonical",
    )
    try:
        canonical = _canonical_equal(document, data)
    except (ValueError, TypeError) as exc:
        raise Refusal(f"records.json cannot be written back as JSON: {exc}") from exc
    if not canonical:  # a key twice in an object could not be written back the same
        raise Refusal(
            "records.json is not canonical JSON (sorted keys, each once, no spaces, UTF-8)"
        )
    if not isinstance(document, dict):
        raise Refusal("records.json does not hold an object")
    named = document.get("schema"), document.get("schema_version")
    if named != (SCHEMA_ID, SCHEMA_VERSION):
        raise Refusal(
            f"records.json names schema {str(named[0])[:80]!r} version {str(named[1])[:20]!r}; "
            f"this verifier knows {SCHEMA_ID} version {SCHEMA_VERSION}"
        )
    records = document.get("records")
    if isinstance(records, list) and len(records) > limits.max_records:
        raise Refusal(
            f"records.json holds {len(records)} records, more than the cap of {limits.max_records}"
        )
    problems = schema_problems(document)
    if problems:
        more = " (and more)" if len(problems) >= 20 else ""
        raise Refusal("records.json fails the schema: " + "; ".join(problems[:5]) + more)
    text = f"{len(document['records'])} records valid against schema version {SCHEMA_VERSION}"
    return document, text


def _canonical_equal(document: Any, data: bytes) -> bool:
    """Whether ``data`` is ``document`` as canonical JSON, compared piece by piece (each
    record and evidence entry written alone), so that no second copy of a large document
    is made."""
    if not isinstance(document, dict):
        return canonical_json(document) == data
    view = memoryview(data)
    at = 0

    def take(piece: bytes) -> bool:
        nonlocal at
        same = view[at : at + len(piece)] == piece
        at += len(piece)
        return same

    if not take(b"{"):
        return False
    for index, key in enumerate(sorted(document)):
        if (index and not take(b",")) or not take(canonical_json(key) + b":"):
            return False
        value = document[key]
        if key in ("records", "evidence") and isinstance(value, list):
            if not take(b"["):
                return False
            for position, item in enumerate(value):
                if (position and not take(b",")) or not take(canonical_json(item)):
                    return False
            if not take(b"]"):
                return False
        elif not take(canonical_json(value)):
            return False
    return take(b"}") and at == len(data)


def _check_consistency(
    document: dict[str, Any],
    bag: _Bag,
    signature: _Signature,
    comment: tuple[str | None, int | None],
    parts_package: str | None,
) -> str:
    info = bag.info
    signer = signature.signer
    sender = document["sender"]
    expected = {
        "CTMT-Package-Id": document["package_id"],
        "External-Identifier": document["package_id"],
        "CTMT-Period": document["period"]["code"],
        "CTMT-Package-Version": str(document["version"]),
        "CTMT-Supersedes": document["supersedes"] or "none",
        "CTMT-Province-Code": sender["province_code"],
        "Bag-Group-Identifier": f"{sender['province_code']}-{document['period']['code']}",
        "CTMT-Sender": sender["name"],
        "CTMT-Record-Count": str(len(document["records"])),
        "CTMT-Evidence-Count": str(len(document["evidence"])),
        "CTMT-Schema": SCHEMA_ID,
        "CTMT-Schema-Version": document["schema_version"],
        "CTMT-Catalog-Version": document["catalog_version"],
        "CTMT-Created-At": document["created_at"],
        "CTMT-Signer-SHA256": fingerprint_sha256(signer),
    }
    for name, value in expected.items():
        if info[name] != value:
            raise Refusal(
                f"bag-info.txt {name} is {info[name][:80]!r}, the package says {value[:80]!r}"
            )
    package_id, version = comment
    if package_id is not None and (package_id, version) != (
        document["package_id"],
        document["version"],
    ):
        raise Refusal(
            f"the zip comment names package {package_id} v{version}, the bag "
            f"{document['package_id']} v{document['version']}"
        )
    if parts_package is not None and parts_package != document["package_id"]:
        raise Refusal(
            f"the parts name package {parts_package}, the bag is package {document['package_id']}"
        )
    created = _moment(document["created_at"])
    for what, when in (
        ("the signing time stated", signature.parts.signing_time),
        ("the timestamp", signature.proven.time),
    ):
        if created is not None and when is not None and when < created - CLOCK_SKEW:
            raise Refusal(
                f"{what} ({when:%d/%m/%Y %H:%M} UTC) is before the package was made "
                f"({document['created_at']})"
            )
    return "bag-info.txt, records.json, the zip comment and the parts agree"


def _moment(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _facts_from_bag_info(report: VerificationReport, info: Mapping[str, str]) -> None:
    names = {
        "package_id": "CTMT-Package-Id",
        "period": "CTMT-Period",
        "version": "CTMT-Package-Version",
        "supersedes": "CTMT-Supersedes",
        "sender": "CTMT-Sender",
        "province_code": "CTMT-Province-Code",
        "created_at": "CTMT-Created-At",
        "record_count": "CTMT-Record-Count",
        "evidence_count": "CTMT-Evidence-Count",
        "catalog_version": "CTMT-Catalog-Version",
    }
    for key, name in names.items():
        if info.get(name):
            report.facts[key] = info[name]


# --- the whole -------------------------------------------------------------------------------
def _default_catalog() -> Catalog:
    """The catalog in use (:func:`load_catalog`), found without creating the user's data
    folder when it does not exist (a verifier writes nothing outside its work folder)."""
    override = os.environ.get("CTMT_DATA_DIR")
    if override:
        folder = Path(override)
    else:
        import platformdirs

        folder = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    if (folder / "catalog" / CATALOG_FILE).is_file():
        return load_catalog()
    return load_catalog(bundled_catalog_path())


@collector_paused()  # the records read: many objects, few reference cycles
def verify_package(
    path_or_parts: Path | str | Sequence[Path | str],
    trust_roots: Iterable[CertificateLike] = (),
    registered: Iterable[CertificateLike] = (),
    *,
    limits: Limits | None = None,
    work_dir: Path | str | None = None,
    now: datetime | None = None,
    catalog: Catalog | None = None,
) -> VerificationReport:
    """Verify a package and return the report of every check (see the module docstring).

    ``path_or_parts``: the zip, or its parts (a list, or the first part ``NAME.zip.001``,
    or ``NAME.zip`` when only its parts exist). ``trust_roots``: CA certificates to chain
    to (and to check a timestamp authority against); ``registered``: self-issued
    certificates registered by the ministry; both as certificate objects, DER bytes or
    PEM/DER file paths. ``work_dir`` is where the temporary folder is made (the system's
    temporary folder by default); it is removed before returning. ``now``: the moment the
    signer's certificate must be valid at (without a trusted timestamp), this moment by
    default. ``catalog``: the catalog the records are checked with (the installed one by
    default). Never raises for a bad package: the report says what failed.

    Raises:
        IdentityError: a trust root or registered certificate file cannot be read.
        StorageError: the temporary folder cannot be made or written, or a file of the
            package cannot be read (this computer's disk).
    """
    limits = limits or Limits()
    parts = _parts_of(path_or_parts)
    report = VerificationReport(source=[str(part) for part in parts])
    roots = _certificates(trust_roots)
    registered_certs = _certificates(registered)
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if work_dir is not None:
        Path(work_dir).mkdir(parents=True, exist_ok=True)
    try:
        work = Path(tempfile.mkdtemp(prefix="ctmt-verify-", dir=work_dir))
    except OSError as exc:
        raise StorageError(f"cannot make a temporary folder ({exc.strerror or exc})") from exc
    try:
        _run(report, parts, work, limits, roots, registered_certs, moment, catalog)
    except OSError as exc:  # this computer's disk, not the package: nothing to report on
        raise StorageError(
            f"{work}: cannot read or join the package here ({exc.strerror or exc}); free some "
            "space or choose another temporary folder"
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


class _Stop(Exception):
    """A check failed: the later ones are skipped."""


def _run(
    report: VerificationReport,
    parts: list[Path],
    work: Path,
    limits: Limits,
    roots: list[asn1_x509.Certificate],
    registered: list[asn1_x509.Certificate],
    now: datetime,
    catalog: Catalog | None,
) -> None:
    deadline = Deadline(limits.max_seconds)
    results: dict[str, Check] = {}

    def record(name: str, status: str, reason: str = "") -> None:
        results[name] = Check(name, status, reason)

    def step(name: str, work: Callable[[], tuple[_T, str]]) -> _T:
        """Run the check ``name``; record its result; stop the run when it fails."""
        try:
            deadline.check(f"starting the check {name}")
            value, text = work()
        except Refusal as refused:
            record(name, FAILED, str(refused))
            raise _Stop from refused
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever a package does, it is refused
            record(
                name,
                FAILED,
                f"the check could not be completed ({type(exc).__name__}: {str(exc)[:200]}); "
                "the package is refused",
            )
            raise _Stop from exc
        record(name, OK, text)
        return value

    try:
        joined = step(CHECK_PARTS, lambda: (_join_parts(parts, work, limits, deadline), ""))
        results[CHECK_PARTS] = Check(CHECK_PARTS, OK, joined.text)

        def extract() -> tuple[strictzip.ZipContents, str]:
            try:
                contents = strictzip.read_zip(
                    joined.zip_path, limits, deadline, keep=_keep(limits), tail=_tail
                )
            finally:
                if joined.zip_path.parent == work:
                    joined.zip_path.unlink(missing_ok=True)
            return contents, f"{len(contents.entries)} files, {contents.total} bytes"

        contents = step(CHECK_EXTRACTION, extract)
        entries = contents.entries
        tagmanifest = entries.get(f"{BAG_DIR}/{TAGMANIFEST}")
        if tagmanifest is not None:
            report.facts["tagmanifest_sha256"] = tagmanifest.sha256
        bag = step(CHECK_BAG, lambda: _check_bag(entries, limits, report))
        step(CHECK_CHECKSUMS, lambda: (None, _check_checksums(entries, bag)))
        signature: _Signature | None = None

        def sign() -> tuple[None, str]:
            nonlocal signature
            signature = _signature_checks(report, entries, roots, registered, now, limits, record)
            return None, results[CHECK_SIGNATURE].reason

        step(CHECK_SIGNATURE, sign)
        if signature is None:
            raise _Stop
        signed: _Signature = signature
        document = step(CHECK_SCHEMA, lambda: _check_schema(entries, limits))
        report.records = document
        step(
            CHECK_RECORDS,
            lambda: (
                None,
                check_records(
                    document, entries, bag.info, catalog or _default_catalog(), limits, deadline
                ),
            ),
        )
        step(
            CHECK_CONSISTENCY,
            lambda: (
                None,
                _check_consistency(
                    document,
                    bag,
                    signed,
                    (contents.comment_package_id, contents.comment_version),
                    joined.package_id,
                ),
            ),
        )
    except _Stop:
        pass
    for name in CHECKS:
        report.checks.append(
            results.get(name, Check(name, SKIPPED, "not checked: an earlier check failed"))
        )
