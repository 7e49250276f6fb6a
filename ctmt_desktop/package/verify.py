"""Verify a submission package (a zip, or its numbered parts) and report every check.

:func:`verify_package` runs these checks, each reported by name as ``ok``, ``failed`` (with
the reason) or ``skipped`` (an earlier failure left nothing to check):

``parts``
    one zip, or parts ``NAME.zip.001``… numbered without a gap, all but the last of one
    size, that join into one zip (parts of two packages do not);
``extraction``
    the zip is extracted entry by entry into a new temporary folder, refusing absolute
    paths, ``..``, backslashes, names Windows would read as a stream or a device, links and
    other special files, names that collide after
    Unicode normalisation and case folding, encrypted entries, more entries or bytes than
    the caps and a compression ratio above the cap; bytes are counted as they are written
    (declared sizes are not trusted), files are created exclusively and never through a
    link, and each file's SHA-256 is computed on the way;
``bag_complete``
    ``bagit.txt``, ``bag-info.txt``, ``manifest-sha256.txt`` and ``tagmanifest-sha256.txt``
    present and well formed, every payload file listed in the manifest and every listed
    file present (no added or missing file), every tag file listed in the tag manifest,
    nothing outside ``bag/`` but the signature, the payload the format requires present,
    ``Payload-Oxum`` right (the ``bagit`` library's own path checks are not relied on);
``checksums``
    every file's SHA-256 equal to the manifest's and the tag manifest's;
``signature``
    the detached CMS signature over ``bag/tagmanifest-sha256.txt`` is intact (the digest
    matches) and valid (the signature value matches the signer's key), with pyHanko;
``signer_trusted``
    the signer's certificate chains to one of ``trust_roots``, or is one of the
    ``registered`` self-issued certificates (same SHA-256 fingerprint), checked by pyHanko
    at the signing time without fetching anything;
``certificate_valid``
    the signing time the signature states lies within the certificate's validity (and not
    in the future);
``schema``
    ``records.json`` is canonical JSON valid against the shipped schema version it names;
``consistency``
    ``bag-info.txt`` and ``records.json`` agree (package id, period, version, counts,
    signer), and every evidence file the records refer to is in the bag under its SHA-256.

Nothing is written outside the temporary folder, which is removed before returning.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import shutil
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509

from ctmt_desktop.errors import StorageError
from ctmt_desktop.package.build import (
    AUDIT_JSON,
    BAG_DIR,
    EVIDENCE_DIR,
    FIXED_PAYLOAD,
    MANIFEST,
    RECORDS_JSON,
    SCHEMA_ID,
    SCHEMA_VERSION,
    SIGNATURE_NAME,
    TAGMANIFEST,
    canonical_json,
    schema_problems,
)
from ctmt_desktop.signing.identity import (
    fingerprint_sha256,
    load_certificates,
    subject_text,
    to_asn1,
)

CHECK_PARTS = "parts"
CHECK_EXTRACTION = "extraction"
CHECK_BAG = "bag_complete"
CHECK_CHECKSUMS = "checksums"
CHECK_SIGNATURE = "signature"
CHECK_TRUST = "signer_trusted"
CHECK_VALIDITY = "certificate_valid"
CHECK_SCHEMA = "schema"
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
    CHECK_VALIDITY: "certificate valid at signing time",
    CHECK_SCHEMA: "records valid against the schema",
    CHECK_CONSISTENCY: "package facts agree",
}
OK, FAILED, SKIPPED = "ok", "failed", "skipped"
_CHUNK = 1 << 20
_PART = re.compile(r"^(?P<stem>.+)\.(?P<number>\d{3})$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_WINDOWS_UNSAFE = re.compile(r'[<>:"|?*]')
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{n}" for n in range(1, 10)}
    | {f"LPT{n}" for n in range(1, 10)}
)
#: A signing time this far ahead of the verifier's clock is refused.
CLOCK_SKEW = timedelta(days=1)

# pyHanko logs each failed path validation with a traceback; the report says it in one line.
# A NullHandler keeps Python's last-resort handler from printing them on stderr, while an app
# that configures logging still receives them.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Limits:
    """Caps applied while extracting (a package of a year with 200 MB of evidence is far
    below every one of them).

    Attributes:
        max_entries: entries in the zip.
        max_total_bytes: bytes of all entries together, as written.
        max_entry_bytes: bytes of one entry.
        max_ratio: uncompressed / compressed size of an entry (or of the whole zip), checked
            for entries above ``ratio_floor`` bytes.
        max_name_length: characters of an entry's name.
    """

    max_entries: int = 100_000
    max_total_bytes: int = 8 * 1024**3
    max_entry_bytes: int = 2 * 1024**3
    max_ratio: float = 200.0
    ratio_floor: int = 1 << 20
    max_name_length: int = 512


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
    ``evidence_count``, ``signer_subject``, ``signer_fingerprint``, ``signing_time``.
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


class _Refused(Exception):
    """A check failed; its reason is the message."""


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


def _join_parts(parts: list[Path], work: Path, limits: Limits) -> tuple[Path, str]:
    """The zip to extract (the one file, or the parts joined in ``work``) and a reason."""
    for part in parts:
        if not part.is_file():
            raise _Refused(f"{part}: no such file")
    if len(parts) == 1 and _PART.match(parts[0].name) is None:
        return parts[0], f"one file, {parts[0].stat().st_size} bytes"
    numbered = []
    for part in parts:
        match = _PART.match(part.name)
        if match is None:
            raise _Refused(f"{part.name} is not a numbered part (NAME.zip.001…)")
        numbered.append((int(match.group("number")), match.group("stem"), part))
    numbered.sort()
    stems = {stem for _, stem, _ in numbered}
    if len(stems) > 1:
        raise _Refused(f"the parts belong to different files: {', '.join(sorted(stems))}")
    numbers = [number for number, _, _ in numbered]
    for expected, number in enumerate(numbers, start=1):
        if number != expected:
            missing = f"{next(iter(stems))}.{expected:03d}"
            raise _Refused(f"part {missing} is missing")
    sizes = [part.stat().st_size for _, _, part in numbered]
    if len(sizes) > 1:
        first = sizes[0]
        for (_, _, part), size in zip(numbered[1:-1], sizes[1:-1], strict=True):
            if size != first:
                raise _Refused(
                    f"part {part.name} has {size} bytes, the first has {first}: a part is "
                    "truncated or comes from another package"
                )
        if sizes[-1] > first or sizes[-1] == 0:
            raise _Refused(
                f"the last part {numbered[-1][2].name} has {sizes[-1]} bytes, more than the "
                f"first ({first}) or none: it comes from another package"
            )
    if sum(sizes) > limits.max_total_bytes:
        raise _Refused(f"the parts hold {sum(sizes)} bytes, more than the cap")
    joined = work / "joined.zip"
    with joined.open("wb") as out:
        for _, _, part in numbered:
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, _CHUNK)
    return joined, f"{len(numbered)} parts joined, {sum(sizes)} bytes"


# --- extraction --------------------------------------------------------------------------------
def _safe_name(name: str, limits: Limits) -> PurePosixPath:
    """The entry name as a relative path inside the folder, or :class:`_Refused`."""
    shown = repr(name)
    if not name or len(name) > limits.max_name_length:
        raise _Refused(f"entry {shown[:80]}: empty or too long a name")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise _Refused(f"entry {shown}: control characters in the name")
    if "\\" in name:
        raise _Refused(f"entry {shown}: a backslash in the name (a Windows path)")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise _Refused(f"entry {shown}: an absolute path")
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise _Refused(f"entry {shown}: '..', '.' or an empty folder in the path")
    for part in parts:  # names Windows would take as something else (a stream, a device)
        if _WINDOWS_UNSAFE.search(part) or part.endswith((".", " ")):
            raise _Refused(f"entry {shown}: a name Windows cannot store as a plain file")
        if part.split(".", 1)[0].upper() in _WINDOWS_DEVICES:
            raise _Refused(f"entry {shown}: a Windows device name")
    if parts[0] not in (BAG_DIR, "signature"):
        raise _Refused(f"entry {shown}: outside bag/ and signature/")
    return PurePosixPath(*parts)


def _file_type(info: zipfile.ZipInfo) -> str:
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_IFMT(mode):  # Unix: the upper 16 bits are st_mode
        if stat.S_ISLNK(mode):
            return "link"
        if stat.S_ISDIR(mode):
            return "dir"
        if not stat.S_ISREG(mode):
            return "special"  # a device, a pipe, a socket
        return "file"  # (permission bits alone, as Python's writestr leaves them: a file)
    if info.filename.endswith("/") or info.external_attr & 0x10:  # MS-DOS directory bit
        return "dir"
    if info.external_attr & 0x400:  # Windows reparse point (a link)
        return "link"
    return "file"


@dataclass
class _Extracted:
    root: Path
    files: dict[str, str]  # name relative to the root (posix) -> sha256
    sizes: dict[str, int]
    total: int


def _extract(archive_path: Path, root: Path, limits: Limits) -> _Extracted:
    try:
        archive = zipfile.ZipFile(archive_path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _Refused(f"not a complete zip file (truncated or damaged): {exc}") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise _Refused(f"{len(infos)} entries, more than the cap of {limits.max_entries}")
        seen: dict[str, str] = {}
        plan: list[tuple[zipfile.ZipInfo, PurePosixPath, str]] = []
        declared = 0
        compressed = 0
        for info in infos:
            relative = _safe_name(info.filename, limits)
            kind = _file_type(info)
            if kind in ("link", "special"):
                raise _Refused(f"entry {info.filename!r}: a {kind}, not a regular file")
            if info.flag_bits & 0x1:
                raise _Refused(f"entry {info.filename!r}: encrypted")
            key = unicodedata.normalize("NFC", relative.as_posix()).casefold()
            if key in seen:
                if seen[key] == info.filename:
                    raise _Refused(f"entry {info.filename!r} appears twice")
                raise _Refused(
                    f"entries {seen[key]!r} and {info.filename!r} have the same name once case "
                    "and Unicode forms are ignored"
                )
            seen[key] = info.filename
            if kind == "file":
                if info.file_size > limits.max_entry_bytes:
                    raise _Refused(f"entry {info.filename!r}: {info.file_size} bytes, above cap")
                _check_ratio(info.filename, info.file_size, info.compress_size, limits)
                declared += info.file_size
                compressed += info.compress_size
            plan.append((info, relative, kind))
        file_keys = {
            unicodedata.normalize("NFC", relative.as_posix()).casefold()
            for _, relative, kind in plan
            if kind == "file"
        }
        for key in seen:  # a file may not also be the folder of another entry
            parts = key.split("/")
            for depth in range(1, len(parts)):
                if "/".join(parts[:depth]) in file_keys:
                    raise _Refused(
                        f"entry {seen['/'.join(parts[:depth])]!r} is both a file and a folder"
                    )
        if declared > limits.max_total_bytes:
            raise _Refused(f"the entries expand to {declared} bytes, more than the cap")
        _check_ratio("the zip", declared, compressed, limits)
        files: dict[str, str] = {}
        sizes: dict[str, int] = {}
        total = 0
        for info, relative, kind in plan:
            target = root.joinpath(*relative.parts)
            if not _inside(target, root):
                raise _Refused(f"entry {info.filename!r} would land outside the folder")
            if kind == "dir":
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if not _inside(target.parent.resolve(), root.resolve()):
                raise _Refused(f"entry {info.filename!r} would land outside the folder")
            digest = hashlib.sha256()
            written = 0
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            flags |= getattr(os, "O_BINARY", 0)
            try:
                handle = os.open(target, flags, 0o600)
            except FileExistsError as exc:
                raise _Refused(f"entry {info.filename!r} appears twice") from exc
            try:
                with os.fdopen(handle, "wb") as out, archive.open(info) as src:
                    while chunk := src.read(_CHUNK):
                        written += len(chunk)
                        total += len(chunk)
                        if written > limits.max_entry_bytes or written > info.file_size:
                            raise _Refused(
                                f"entry {info.filename!r} holds more bytes than it declares"
                            )
                        if total > limits.max_total_bytes:
                            raise _Refused("the entries hold more bytes than the cap")
                        digest.update(chunk)
                        out.write(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
                raise _Refused(f"entry {info.filename!r} cannot be read: {exc}") from exc
            if written != info.file_size:
                raise _Refused(f"entry {info.filename!r} is shorter than it declares")
            name = relative.as_posix()
            files[name] = digest.hexdigest()
            sizes[name] = written
        return _Extracted(root, files, sizes, total)


def _check_ratio(name: str, size: int, compressed: int, limits: Limits) -> None:
    if size <= limits.ratio_floor:
        return
    ratio = size / max(compressed, 1)
    if ratio > limits.max_ratio:
        raise _Refused(
            f"{name!s}: {size} bytes from {compressed} compressed (ratio {ratio:.0f}, cap "
            f"{limits.max_ratio:.0f}): a zip bomb"
        )


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


# --- the bag -----------------------------------------------------------------------------------
def _decode_path(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _read_manifest(data: bytes, what: str) -> dict[str, str]:
    """``path -> sha256`` of a (tag) manifest; :class:`_Refused` when malformed."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Refused(f"{what} is not UTF-8") from exc
    entries: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, path = line.partition(" ")
        path = _decode_path(path.lstrip(" \t").lstrip("*"))
        if not _SHA256.match(digest.lower()) or not path:
            raise _Refused(f"{what} line {number} is not 'SHA-256 path'")
        parts = path.split("/")
        if path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts):
            raise _Refused(f"{what} line {number}: unsafe path {path!r}")
        key = unicodedata.normalize("NFC", path)
        if key in entries:
            raise _Refused(f"{what} lists {path!r} twice")
        entries[key] = digest.lower()
    return entries


def _read_tag_file(data: bytes, what: str) -> dict[str, list[str]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Refused(f"{what} is not UTF-8") from exc
    fields: dict[str, list[str]] = {}
    last: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line[0] in " \t" and last is not None:
            fields[last][-1] += " " + line.strip()
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise _Refused(f"{what} line {number} is not 'Name: value'")
        last = name.strip()
        fields.setdefault(last, []).append(value.strip())
    return fields


@dataclass
class _Bag:
    info: dict[str, list[str]]
    manifest: dict[str, str]
    tagmanifest: dict[str, str]


def _check_bag(extracted: _Extracted) -> tuple[_Bag, str]:
    files = {unicodedata.normalize("NFC", name): name for name in extracted.files}
    bag_prefix = f"{BAG_DIR}/"
    unexpected = [
        name for name in files if not name.startswith(bag_prefix) and name != SIGNATURE_NAME
    ]
    if unexpected:
        raise _Refused(f"files outside the bag: {', '.join(sorted(unexpected)[:5])}")
    if SIGNATURE_NAME not in files:
        raise _Refused(f"{SIGNATURE_NAME} is missing")
    required = ("bagit.txt", "bag-info.txt", MANIFEST, TAGMANIFEST)
    missing = [name for name in required if f"{bag_prefix}{name}" not in files]
    if missing:
        raise _Refused(f"missing from the bag: {', '.join(missing)}")

    def read(name: str) -> bytes:
        return (extracted.root / BAG_DIR / name).read_bytes()

    declaration = _read_tag_file(read("bagit.txt"), "bagit.txt")
    if not declaration.get("BagIt-Version") or declaration.get("Tag-File-Character-Encoding", [""])[
        0
    ].upper() not in ("UTF-8",):
        raise _Refused("bagit.txt does not declare a BagIt version and UTF-8 tag files")
    info = _read_tag_file(read("bag-info.txt"), "bag-info.txt")
    manifest = _read_manifest(read(MANIFEST), MANIFEST)
    tagmanifest = _read_manifest(read(TAGMANIFEST), TAGMANIFEST)
    in_bag = {name[len(bag_prefix) :] for name in files if name.startswith(bag_prefix)}
    payload = {name for name in in_bag if name.startswith("data/")}
    tags = {name for name in in_bag if not name.startswith("data/")}
    for name in manifest:
        if not name.startswith("data/"):
            raise _Refused(f"{MANIFEST} lists {name!r}, which is not payload")
    added = sorted(payload - set(manifest))
    lost = sorted(set(manifest) - payload)
    if added:
        raise _Refused(f"files not in the manifest (added): {', '.join(added[:5])}")
    if lost:
        raise _Refused(f"files in the manifest but not in the bag (missing): {', '.join(lost[:5])}")
    unlisted = sorted(tags - set(tagmanifest) - {TAGMANIFEST})
    if unlisted:
        raise _Refused(f"tag files not in {TAGMANIFEST} (added): {', '.join(unlisted[:5])}")
    for name in tagmanifest:
        if name.startswith("data/") or name == TAGMANIFEST:
            raise _Refused(f"{TAGMANIFEST} lists {name!r}, which is not a tag file")
        if name not in tags:
            raise _Refused(f"{TAGMANIFEST} lists {name!r}, which is missing")
    for name in ("bagit.txt", "bag-info.txt", MANIFEST):
        if name not in tagmanifest:
            raise _Refused(f"{TAGMANIFEST} does not list {name}, so the signature misses it")
    for name in FIXED_PAYLOAD:
        if name not in manifest:
            raise _Refused(f"the package has no {name}")
    oxum = info.get("Payload-Oxum", [""])[0]
    if oxum:
        size = sum(extracted.sizes[files[f"{bag_prefix}{name}"]] for name in payload)
        if oxum != f"{size}.{len(payload)}":
            raise _Refused(
                f"Payload-Oxum says {oxum}, the payload is {size} bytes in {len(payload)} files"
            )
    text = f"{len(payload)} payload files, {len(tags)} tag files"
    return _Bag(info, manifest, tagmanifest), text


def _check_checksums(extracted: _Extracted, bag: _Bag) -> str:
    files = {unicodedata.normalize("NFC", name): name for name in extracted.files}
    wrong = []
    for listing in (bag.manifest, bag.tagmanifest):
        for name, digest in sorted(listing.items()):
            actual = extracted.files[files[f"{BAG_DIR}/{name}"]]
            if actual != digest:
                wrong.append(name)
    if wrong:
        shown = ", ".join(wrong[:5]) + (f" and {len(wrong) - 5} more" if len(wrong) > 5 else "")
        raise _Refused(f"SHA-256 differs from the manifest: {shown}")
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
class _SignatureResult:
    intact: bool
    valid: bool
    trusted: bool
    trust_problem: str
    signer: asn1_x509.Certificate | None
    signing_time: datetime | None


def _signed_data(data: bytes) -> cms.SignedData:
    try:
        info = cms.ContentInfo.load(data)
        if info["content_type"].native != "signed_data":
            raise ValueError(f"a CMS {info['content_type'].native}, not signed data")
        signed = info["content"]
        if signed["encap_content_info"]["content"].native is not None:
            raise ValueError("the signature is not detached")
        signed.native  # noqa: B018 - parses every field now
    except (ValueError, TypeError, KeyError) as exc:
        raise _Refused(f"{SIGNATURE_NAME} is not a detached CMS signature: {exc}") from exc
    return signed


def _signer_certificate(signed: cms.SignedData) -> asn1_x509.Certificate:
    from pyhanko.sign.general import extract_certificate_info

    try:
        cert = extract_certificate_info(signed).signer_cert
    except Exception as exc:  # noqa: BLE001 - pyHanko raises several kinds here
        raise _Refused(f"the signature does not carry its signer's certificate: {exc}") from exc
    return cert


def _signing_time(signed: cms.SignedData) -> datetime | None:
    from pyhanko.sign.general import extract_signer_info
    from pyhanko.sign.validation.generic_cms import extract_self_reported_ts

    try:
        when: datetime | None = extract_self_reported_ts(extract_signer_info(signed))
    except Exception:  # noqa: BLE001 - no or malformed signing-time attribute
        return None
    return when


def _validate_signature(
    content: bytes,
    signed: cms.SignedData,
    roots: list[asn1_x509.Certificate],
    registered: list[asn1_x509.Certificate],
) -> _SignatureResult:
    from pyhanko.sign.validation import async_validate_detached_cms
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    signer = _signer_certificate(signed)
    signing_time = _signing_time(signed)
    fingerprint = fingerprint_sha256(signer)
    anchors = list(roots)
    anchors += [cert for cert in registered if fingerprint_sha256(cert) == fingerprint]
    # The chain is checked at the signing time, kept inside the signer's validity: whether
    # the certificate was valid then is the separate check ``certificate_valid``, and an
    # expired certificate still tells whether it chains to a root.
    start, end = signer.not_valid_before, signer.not_valid_after
    moment = min(max(signing_time or datetime.now(UTC), start), end)
    context = ValidationContext(trust_roots=anchors, allow_fetching=False, moment=moment)
    try:
        status = asyncio.run(
            async_validate_detached_cms(content, signed, signer_validation_context=context)
        )
    except (SignatureValidationError, ValueError, TypeError) as exc:
        raise _Refused(f"the signature cannot be validated: {exc}") from exc
    problem = status.trust_problem_indic
    return _SignatureResult(
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        trust_problem=str(problem.name if hasattr(problem, "name") else problem or ""),
        signer=signer,
        signing_time=signing_time,
    )


# --- records -----------------------------------------------------------------------------------
def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"records.json has the key {key!r} twice in one object")
        result[key] = value
    return result


def _load_records(extracted: _Extracted) -> tuple[Any, bytes]:
    data = (extracted.root / BAG_DIR / RECORDS_JSON).read_bytes()
    try:
        document = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, ValueError) as exc:
        raise _Refused(f"records.json is not JSON in UTF-8: {exc}") from exc
    return document, data


def _check_schema(document: Any, data: bytes) -> str:
    if not isinstance(document, dict):
        raise _Refused("records.json does not hold an object")
    named = document.get("schema"), document.get("schema_version")
    if named != (SCHEMA_ID, SCHEMA_VERSION):
        raise _Refused(
            f"records.json names schema {named[0]!r} version {named[1]!r}; this verifier "
            f"knows {SCHEMA_ID} version {SCHEMA_VERSION}"
        )
    problems = schema_problems(document)
    if problems:
        more = " (and more)" if len(problems) >= 20 else ""
        raise _Refused("records.json fails the schema: " + "; ".join(problems[:5]) + more)
    if canonical_json(document) != data:
        raise _Refused("records.json is not canonical JSON (sorted keys, no spaces, UTF-8)")
    return f"{len(document['records'])} records valid against schema version {SCHEMA_VERSION}"


def _first(info: dict[str, list[str]], name: str) -> str:
    values = info.get(name) or [""]
    return values[0]


def _check_consistency(
    document: dict[str, Any], bag: _Bag, signer: asn1_x509.Certificate | None
) -> str:
    info = bag.info
    expected = {
        "CTMT-Package-Id": document["package_id"],
        "CTMT-Period": document["period"]["code"],
        "CTMT-Package-Version": str(document["version"]),
        "CTMT-Supersedes": document["supersedes"] or "none",
        "CTMT-Province-Code": document["sender"]["province_code"],
        "CTMT-Record-Count": str(len(document["records"])),
        "CTMT-Evidence-Count": str(len(document["evidence"])),
        "CTMT-Schema-Version": document["schema_version"],
    }
    for name, value in expected.items():
        if _first(info, name) != value:
            raise _Refused(f"bag-info.txt {name} is {_first(info, name)!r}, records.json {value!r}")
    counts = document["counts"]
    if counts["records"] != len(document["records"]):
        raise _Refused("records.json counts differ from its records")
    if counts["evidence_files"] != len(document["evidence"]):
        raise _Refused("records.json counts differ from its evidence list")
    if signer is not None:
        stated = _first(info, "CTMT-Signer-SHA256").lower()
        if stated and stated != fingerprint_sha256(signer):
            raise _Refused("bag-info.txt names another signer certificate than the signature's")
    listed = {item["sha256"]: item for item in document["evidence"]}
    for item in document["evidence"]:
        member = f"data/{item['path']}"
        if item["path"] != f"{EVIDENCE_DIR[len('data/') :]}/{item['sha256'][:2]}/{item['sha256']}":
            raise _Refused(f"evidence {item['sha256']} is listed at the wrong path")
        if bag.manifest.get(member) != item["sha256"]:
            raise _Refused(f"evidence file {member} is missing or its content differs")
    for record in document["records"]:
        for ref in record.get("evidence") or []:
            if ref["sha256"] not in listed:
                raise _Refused(
                    f"{record['kind']} #{record['id']} refers to evidence {ref['sha256']} "
                    "that the package does not hold"
                )
    extra = {
        name
        for name in bag.manifest
        if name.startswith(f"{EVIDENCE_DIR}/") and name.rsplit("/", 1)[-1] not in listed
    }
    if extra:
        raise _Refused(f"evidence files no record refers to: {', '.join(sorted(extra)[:5])}")
    if AUDIT_JSON not in bag.manifest:
        raise _Refused("the package has no audit.json")
    return "bag-info.txt and records.json agree; every evidence reference is in the bag"


# --- the whole -------------------------------------------------------------------------------
def verify_package(
    path_or_parts: Path | str | Sequence[Path | str],
    trust_roots: Iterable[CertificateLike] = (),
    registered: Iterable[CertificateLike] = (),
    *,
    limits: Limits | None = None,
    work_dir: Path | str | None = None,
    now: datetime | None = None,
) -> VerificationReport:
    """Verify a package and return the report of every check (see the module docstring).

    ``path_or_parts``: the zip, or its parts (a list, or the first part ``NAME.zip.001``,
    or ``NAME.zip`` when only its parts exist). ``trust_roots``: CA certificates to chain
    to; ``registered``: self-issued certificates registered by the ministry; both as
    certificate objects, DER bytes or PEM/DER file paths. ``work_dir`` is where the
    temporary folder is made (the system's temporary folder by default); it is removed
    before returning. Never raises for a bad package: the report says what failed.

    Raises:
        IdentityError: a trust root or registered certificate file cannot be read.
        StorageError: the temporary folder cannot be made or written (this computer's disk).
    """
    limits = limits or Limits()
    parts = _parts_of(path_or_parts)
    report = VerificationReport(source=[str(part) for part in parts])
    roots = _certificates(trust_roots)
    registered_certs = _certificates(registered)
    if work_dir is not None:
        Path(work_dir).mkdir(parents=True, exist_ok=True)
    try:
        work = Path(tempfile.mkdtemp(prefix="ctmt-verify-", dir=work_dir))
    except OSError as exc:
        raise StorageError(f"cannot make a temporary folder ({exc.strerror or exc})") from exc
    try:
        _run(report, parts, work, limits, roots, registered_certs, now or datetime.now(UTC))
    except OSError as exc:  # this computer's disk, not the package: nothing to report on
        raise StorageError(
            f"{work}: cannot extract the package here ({exc.strerror or exc}); free some "
            "space or choose another temporary folder"
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def _run(
    report: VerificationReport,
    parts: list[Path],
    work: Path,
    limits: Limits,
    roots: list[asn1_x509.Certificate],
    registered: list[asn1_x509.Certificate],
    now: datetime,
) -> None:
    results: dict[str, Check] = {}

    def record(name: str, status: str, reason: str = "") -> None:
        results[name] = Check(name, status, reason)

    def finish() -> None:
        for name in CHECKS:
            report.checks.append(
                results.get(name, Check(name, SKIPPED, "not checked: an earlier check failed"))
            )

    try:
        archive, text = _join_parts(parts, work, limits)
        record(CHECK_PARTS, OK, text)
    except _Refused as refused:
        record(CHECK_PARTS, FAILED, str(refused))
        return finish()
    joined = len(parts) > 1 or _PART.match(parts[0].name) is not None
    root = work / "package"
    root.mkdir()
    try:
        extracted = _extract(archive, root, limits)
        record(CHECK_EXTRACTION, OK, f"{len(extracted.files)} files, {extracted.total} bytes")
        tagmanifest = extracted.files.get(f"{BAG_DIR}/{TAGMANIFEST}")
        if tagmanifest is not None:
            report.facts["tagmanifest_sha256"] = tagmanifest
    except _Refused as refused:
        reason = str(refused)
        structural = any(
            text in reason for text in ("cannot be read", "not a complete zip", "shorter than")
        )
        if joined and structural:
            results[CHECK_PARTS] = Check(
                CHECK_PARTS,
                FAILED,
                f"the parts do not join into one package (parts of different packages, or "
                f"a damaged part): {reason}",
            )
        else:
            record(CHECK_EXTRACTION, FAILED, reason)
        return finish()
    finally:
        if joined:
            (work / "joined.zip").unlink(missing_ok=True)

    bag: _Bag | None = None
    try:
        bag, text = _check_bag(extracted)
        record(CHECK_BAG, OK, text)
        _facts_from_bag_info(report, bag.info)
    except _Refused as refused:
        record(CHECK_BAG, FAILED, str(refused))
    if bag is not None:
        try:
            record(CHECK_CHECKSUMS, OK, _check_checksums(extracted, bag))
        except _Refused as refused:
            record(CHECK_CHECKSUMS, FAILED, str(refused))

    signer = _signature_checks(report, extracted, roots, registered, now, record)

    document: Any = None
    try:
        if f"{BAG_DIR}/{RECORDS_JSON}" not in extracted.files:
            raise _Refused("the package has no records.json")
        document, data = _load_records(extracted)
        record(CHECK_SCHEMA, OK, _check_schema(document, data))
        report.records = document
    except _Refused as refused:
        record(CHECK_SCHEMA, FAILED, str(refused))
        document = None
    if document is not None and bag is not None:
        try:
            record(CHECK_CONSISTENCY, OK, _check_consistency(document, bag, signer))
        except _Refused as refused:
            record(CHECK_CONSISTENCY, FAILED, str(refused))
    finish()


def _signature_checks(
    report: VerificationReport,
    extracted: _Extracted,
    roots: list[asn1_x509.Certificate],
    registered: list[asn1_x509.Certificate],
    now: datetime,
    record: Any,
) -> asn1_x509.Certificate | None:
    signature_file = extracted.root / SIGNATURE_NAME
    manifest_file = extracted.root / BAG_DIR / TAGMANIFEST
    if not signature_file.is_file() or not manifest_file.is_file():
        record(CHECK_SIGNATURE, FAILED, f"{SIGNATURE_NAME} or bag/{TAGMANIFEST} is missing")
        return None
    try:
        signed = _signed_data(signature_file.read_bytes())
        result = _validate_signature(manifest_file.read_bytes(), signed, roots, registered)
    except _Refused as refused:
        record(CHECK_SIGNATURE, FAILED, str(refused))
        return None
    signer = result.signer
    assert signer is not None
    fingerprint = fingerprint_sha256(signer)
    subject = subject_text(signer)
    report.facts["signer_subject"] = subject
    report.facts["signer_fingerprint"] = fingerprint
    report.facts["signing_time"] = result.signing_time.isoformat() if result.signing_time else None
    if not result.intact:
        record(
            CHECK_SIGNATURE,
            FAILED,
            f"bag/{TAGMANIFEST} is not what was signed (its digest differs): the bag was "
            "changed after signing, or the signature is over other content",
        )
    elif not result.valid:
        record(CHECK_SIGNATURE, FAILED, "the signature value does not match the signer's key")
    else:
        record(CHECK_SIGNATURE, OK, f"signed by {subject}")
    registered_match = any(fingerprint_sha256(cert) == fingerprint for cert in registered)
    if not roots and not registered:
        record(
            CHECK_TRUST,
            FAILED,
            "no trust root or registered certificate was given (--trust PEM, --registered "
            f"CERT); signer {subject}, SHA-256 {fingerprint}",
        )
    elif not (result.intact and result.valid):
        record(CHECK_TRUST, SKIPPED, "not checked: the signature is not intact and valid")
    elif result.trusted:
        how = "a registered self-issued certificate" if registered_match else "a trusted root"
        record(CHECK_TRUST, OK, f"{subject} (SHA-256 {fingerprint}) chains to {how}")
    else:
        problem = f" ({result.trust_problem})" if result.trust_problem else ""
        record(
            CHECK_TRUST,
            FAILED,
            f"{subject} (SHA-256 {fingerprint}) does not chain to a given root and is not a "
            f"registered certificate{problem}",
        )
    parsed = x509.load_der_x509_certificate(signer.dump())
    start, end = parsed.not_valid_before_utc, parsed.not_valid_after_utc
    when = result.signing_time
    period = f"valid {start:%d/%m/%Y %H:%M} to {end:%d/%m/%Y %H:%M} UTC"
    if when is None:
        if start <= now <= end:
            record(CHECK_VALIDITY, OK, f"no signing time stated; {period}, and now")
        else:
            record(
                CHECK_VALIDITY,
                FAILED,
                f"no signing time stated, and the certificate is {period}, not now",
            )
    elif when > now + CLOCK_SKEW:
        record(CHECK_VALIDITY, FAILED, f"the signing time {when:%d/%m/%Y %H:%M} is in the future")
    elif not start <= when <= end:
        record(
            CHECK_VALIDITY,
            FAILED,
            f"signed {when:%d/%m/%Y %H:%M} UTC with a certificate {period}",
        )
    else:
        record(CHECK_VALIDITY, OK, f"signed {when:%d/%m/%Y %H:%M} UTC; certificate {period}")
    return signer


def _facts_from_bag_info(report: VerificationReport, info: dict[str, list[str]]) -> None:
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
            report.facts[key] = _first(info, name)
