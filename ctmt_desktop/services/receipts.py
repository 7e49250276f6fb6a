"""The ministry's signed receipts, taken in by the province (``ctmt receipt import``, the
Submissions page).

A receipt (``NAME.zip.receipt.json`` with its detached signature ``.p7s``; the format:
:mod:`ctmt_desktop.ministry.receipts`) is taken only when, in this order:

1. both files are there and within the caps (:data:`MAX_RECEIPT_BYTES`, the signature's
   :data:`~ctmt_desktop.signing.cms.MAX_SIGNATURE_BYTES`), read no further than them;
2. the signature is intact, valid and trusted, by the ministry's certificate itself (the one
   kept in the agency profile, or the one given, which is then kept), made while it was valid
   and not in the future: a receipt signed by another key — forged — is refused;
3. the JSON is within the depth cap (checked on the bytes, before parsing), has no key twice,
   and is a receipt of format 1 with every field of the right type;
4. it is for this database's province (a receipt of another province is refused);
5. it answers a package this database made: the package id is in the register with the same
   period and version, and the SHA-256 of its tag manifest is the one the receipt names
   (a refusal of a file the ministry could not read is matched by the file's SHA-256).

Several files are taken all or nothing: one refused, nothing changes. A receipt taken is
kept whole (JSON and signature, for checking again later) with what it says; its comments on
records are put on those records (:func:`record_comments`, ``ctmt show``'s
``ministry_comments``, the marker in the records table); the import is audited (``receipt``).
The same receipt twice is stored once. The newest receipt of a package (by its issue time)
is the package's state (:func:`latest_receipts`), so an older receipt imported later never
hides a newer answer.

The next version of a period names in its bag-info the receipt it answers
(:func:`receipt_to_answer`: the newest receipt of the latest version that has one).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select
from sqlalchemy.orm import Session

from ctmt_desktop import audit
from ctmt_desktop.accounts import Actor, Permission, acting_name, require
from ctmt_desktop.db.models import (
    MinistryComment,
    MinistryReceipt,
    SubmissionPackage,
)
from ctmt_desktop.errors import CtmtError
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.periods import PeriodError, parse_period
from ctmt_desktop.services.comments import (  # the readers without the ORM
    RecordComment,
    _comments,
    _Issued,
    _open_of,
    open_comments,  # noqa: F401
)
from ctmt_desktop.services.profile import current_profile
from ctmt_desktop.signing.cms import (
    MAX_SIGNATURE_BYTES,
    CertificateLike,
    SignatureRefused,
    SignedBy,
    load_capped_json,
    read_capped,
    verify_detached,
)
from ctmt_desktop.signing.identity import fingerprint_sha256, subject_name, subject_text

RECEIPT_FORMAT = 1
RECEIPT_SUFFIX = ".receipt.json"
SIGNATURE_SUFFIX = ".p7s"
#: Largest receipt read (2,000 record comments of a few lines fit in well under it).
MAX_RECEIPT_BYTES = 4 * 1024 * 1024
#: A receipt nests 3 deep (the receipt, its review, the record comments; a failed check).
MAX_RECEIPT_DEPTH = 4
#: At most this many receipts in one import (a folder is not searched deeper than itself).
MAX_RECEIPT_FILES = 2000
#: The tag manifest read from a package file made before 0005 (it lists the tag files).
MAX_TAGMANIFEST_BYTES = 64 * 1024
_FIELDS = frozenset(
    {
        "receipt",
        "package_id",
        "package_file",
        "file_sha256",
        "province",
        "period",
        "version",
        "tagmanifest_sha256",
        "received_at",
        "verdict",
        "failed_checks",
        "superseded",
        "review",
        "issued_by",
        "issued_at",
    }
)
_REVIEW_FIELDS = frozenset({"state", "comment", "reviewed_at", "records"})
REVIEW_STATES = ("received", "accepted", "has_issues", "rejected")
VERDICTS = ("accepted", "refused")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_PACKAGE_ID = re.compile(r"^[0-9A-Za-z-]{1,64}$")
_RECORD_KEY = re.compile(r"^(?P<kind>[a-z]{1,16})/(?P<id>[1-9][0-9]{0,17})$")
_PROVINCE = re.compile(r"^[0-9A-Za-z:]{1,16}$")


class ReceiptRefused(CtmtError):
    """A receipt refused: one line naming the file and the problem."""


# --- the ministry's certificate ------------------------------------------------------------------
def ministry_certificate(session: Session) -> x509.Certificate | None:
    """The ministry's certificate kept in the current agency profile, or None."""
    profile = current_profile(session)
    if profile is None or not profile.ministry_certificate:
        return None
    try:
        return x509.load_der_x509_certificate(profile.ministry_certificate)
    except ValueError:
        return None


def certificate_summary(certificate: x509.Certificate) -> dict[str, str]:
    """Holder, subject, SHA-256 and validity of a certificate, as data."""
    return {
        "holder": subject_name(certificate),
        "subject": subject_text(certificate),
        "fingerprint": fingerprint_sha256(certificate),
        "valid_from": certificate.not_valid_before_utc.date().isoformat(),
        "valid_to": certificate.not_valid_after_utc.date().isoformat(),
    }


def set_ministry_certificate(
    session: Session,
    certificate: x509.Certificate,
    *,
    actor: Actor | None = None,
    user: str | None = None,
) -> bool:
    """Keep ``certificate`` as the ministry's in the current agency profile (audited
    ``ministry_certificate`` with the one before and after); False when it is kept already.

    Raises:
        ReceiptRefused: no agency profile yet.
        PermissionDeniedError: ``actor`` cannot change the settings.
    """
    if actor is not None:
        require(actor, Permission.SETTINGS)
    profile = current_profile(session)
    if profile is None:
        raise ReceiptRefused("this database has no agency profile yet (ctmt init)")
    der = certificate.public_bytes(Encoding.DER)
    if profile.ministry_certificate == der:
        return False
    before = ministry_certificate(session)
    profile.ministry_certificate = der
    session.flush()
    after = certificate_summary(certificate)
    audit.record(
        session,
        actor if actor is not None else acting_name(None, user),
        "ministry_certificate",
        kind="profile",
        entity_id=profile.id,
        summary=f"the ministry's certificate: {after['holder']} (SHA-256 {after['fingerprint']})",
        before=certificate_summary(before) if before is not None else None,
        after=after,
    )
    return True


# --- finding the files ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ReceiptFiles:
    """A receipt's JSON and its signature."""

    json_path: Path
    signature_path: Path

    @property
    def name(self) -> str:
        return self.json_path.name


def find_receipts(sources: Iterable[Path | str]) -> list[ReceiptFiles]:
    """The receipts named: a ``.receipt.json`` or its ``.p7s`` (the other file beside it), or
    a folder (its ``*.receipt.json`` files, not its subfolders). Each receipt once.

    Raises:
        ReceiptRefused: more than :data:`MAX_RECEIPT_FILES` receipts, or a folder unreadable.
    """
    found: dict[Path, ReceiptFiles] = {}

    def take(path: Path) -> None:
        json_path = (
            path.with_name(path.name[: -len(SIGNATURE_SUFFIX)])
            if path.name.lower().endswith(SIGNATURE_SUFFIX)
            else path
        )
        key = json_path.absolute()
        if key not in found:
            found[key] = ReceiptFiles(json_path, json_path.with_name(json_path.name + ".p7s"))
        if len(found) > MAX_RECEIPT_FILES:
            raise ReceiptRefused(f"more than {MAX_RECEIPT_FILES} receipts at once")

    for source in sources:
        path = Path(source)
        if path.is_dir():
            try:
                names = sorted(entry.name for entry in os.scandir(path))
            except OSError as exc:
                raise ReceiptRefused(f"{path}: cannot read the folder ({exc.strerror})") from exc
            for name in names:
                if name.lower().endswith(RECEIPT_SUFFIX) and not name.startswith("."):
                    candidate = path / name
                    if candidate.is_file() and not candidate.is_symlink():
                        take(candidate)
        else:
            take(path)
    return list(found.values())


# --- checking one receipt ------------------------------------------------------------------------
@dataclass
class CheckedReceipt:
    """A receipt that passed every check, ready to store."""

    files: ReceiptFiles
    data: bytes
    signature: bytes
    sha256: str
    document: dict[str, Any]
    signed_by: SignedBy
    package: SubmissionPackage


def _moment(value: Any, what: str, *, required: bool = False) -> datetime | None:
    """An ISO 8601 time of the receipt as local time without offset (as the database keeps)."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise ReceiptRefused(f"{what} is not a time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ReceiptRefused(f"{what} is not a time: {value!r}") from exc
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def _text(value: Any, what: str, limit: int, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise ReceiptRefused(f"{what} is not a text of at most {limit} characters")
    return value


def _check_document(document: Any, name: str) -> dict[str, Any]:
    """The receipt's fields checked (format 1); see the format in
    :mod:`ctmt_desktop.ministry.receipts`."""

    def bad(text: str) -> ReceiptRefused:
        return ReceiptRefused(f"{name}: {text}")

    if not isinstance(document, dict):
        raise bad("not a receipt (a JSON object is expected)")
    if document.get("receipt") != RECEIPT_FORMAT:
        raise bad(f"receipt format {document.get('receipt')!r}; this version reads format 1")
    keys = set(document)
    if keys != _FIELDS:
        missing, extra = sorted(_FIELDS - keys), sorted(keys - _FIELDS)
        raise bad(
            "not a receipt of format 1"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(extra)}" if extra else "")
        )
    try:
        verdict = document["verdict"]
        if verdict not in VERDICTS:
            raise ReceiptRefused(f"verdict {verdict!r} is not accepted or refused")
        for key in ("package_id",):
            value = document[key]
            if value is not None and not (isinstance(value, str) and _PACKAGE_ID.match(value)):
                raise ReceiptRefused(f"{key} is not a package id")
        for key in ("file_sha256", "tagmanifest_sha256"):
            value = document[key]
            if value is not None and not (isinstance(value, str) and _HEX64.match(value)):
                raise ReceiptRefused(f"{key} is not a SHA-256 in hex")
        _text(document["package_file"], "package_file", 300)
        province = document["province"]
        if province is not None and not (isinstance(province, str) and _PROVINCE.match(province)):
            raise ReceiptRefused("province is not a province code")
        period = document["period"]
        if period is not None:
            if not isinstance(period, str) or len(period) > 16:
                raise ReceiptRefused("period is not a period")
            try:
                parse_period(period)
            except PeriodError as exc:
                raise ReceiptRefused(f"period: {exc}") from exc
        version = document["version"]
        if version is not None and (
            not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 10**6
        ):
            raise ReceiptRefused("version is not a version number")
        if not isinstance(document["superseded"], bool):
            raise ReceiptRefused("superseded is not true or false")
        _moment(document["received_at"], "received_at")
        _moment(document["issued_at"], "issued_at", required=True)
        _text(document["issued_by"], "issued_by", 300)
        checks = document["failed_checks"]
        if not isinstance(checks, list) or len(checks) > 200:
            raise ReceiptRefused("failed_checks is not a list of at most 200 checks")
        for check in checks:
            if not isinstance(check, dict) or set(check) != {"check", "reason"}:
                raise ReceiptRefused("a failed check is not {check, reason}")
            _text(check["check"], "a failed check's name", 100)
            _text(check["reason"], "a failed check's reason", 4000)
        review = document["review"]
        if verdict == "accepted":
            for key in ("package_id", "tagmanifest_sha256", "province", "period", "version"):
                if document[key] is None:
                    raise ReceiptRefused(f"an accepted package's receipt without {key}")
            if checks:
                raise ReceiptRefused("an accepted package's receipt with failed checks")
            if not isinstance(review, dict) or set(review) != _REVIEW_FIELDS:
                raise ReceiptRefused("review is not {state, comment, reviewed_at, records}")
            if review["state"] not in REVIEW_STATES:
                raise ReceiptRefused(f"review state {review['state']!r} is not one we know")
            _text(review["comment"], "the review's comment", 4000)
            _moment(review["reviewed_at"], "reviewed_at")
            records = review["records"]
            if not isinstance(records, dict) or len(records) > 5000:
                raise ReceiptRefused("the record comments are not an object of at most 5000")
            for key, text in records.items():
                match = _RECORD_KEY.match(key)
                if match is None or match.group("kind") not in KIND_CODES:
                    raise ReceiptRefused(f"record comment key {key[:40]!r} is not KIND/ID")
                _text(text, f"the comment on {key}", 4000)
        else:
            if review is not None:
                raise ReceiptRefused("a refused package's receipt with a review")
            if not checks:
                raise ReceiptRefused("a refused package's receipt without failed checks")
    except ReceiptRefused as exc:
        raise bad(str(exc)) from None
    return document


def _package_files(row: SubmissionPackage) -> list[Path]:
    first = Path(row.file_path)
    if row.part_count <= 1:
        return [first]
    stem = first.name[:-4] if first.name.endswith(".001") else first.name
    return [first.with_name(f"{stem}.{number:03d}") for number in range(1, row.part_count + 1)]


def _files_sha256(paths: Sequence[Path]) -> str | None:
    digest = hashlib.sha256()
    try:
        for path in paths:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def package_tagmanifest_sha256(row: SubmissionPackage) -> str | None:
    """SHA-256 of a package's tag manifest: kept in the register since migration 0005, else
    read from the package file (a single zip) when it is still where it was saved."""
    if row.tagmanifest_sha256:
        return row.tagmanifest_sha256
    if row.part_count > 1:
        return None
    try:
        with zipfile.ZipFile(row.file_path) as archive:
            info = archive.getinfo("bag/tagmanifest-sha256.txt")
            if info.file_size > MAX_TAGMANIFEST_BYTES:
                return None
            with archive.open(info) as member:
                data = member.read(MAX_TAGMANIFEST_BYTES + 1)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return None
    if len(data) > MAX_TAGMANIFEST_BYTES:
        return None
    return hashlib.sha256(data).hexdigest()


def _bind(session: Session, document: dict[str, Any], name: str) -> SubmissionPackage:
    """The package of the register the receipt answers, or refused."""
    package_id = document["package_id"]
    if package_id is None:
        digest = document["file_sha256"]
        for row in session.scalars(select(SubmissionPackage).order_by(SubmissionPackage.id)):
            if digest and _files_sha256(_package_files(row)) == digest:
                return row
        raise ReceiptRefused(
            f"{name}: the refused file {document['package_file']!r} (SHA-256 "
            f"{str(digest)[:16]}…) is none of this database's packages"
        )
    row = session.scalar(
        select(SubmissionPackage).where(SubmissionPackage.package_id == package_id)
    )
    if row is None:
        raise ReceiptRefused(
            f"{name}: package {package_id} is not one this database made: a receipt for "
            "another database or another department"
        )
    where = f"{row.period} v{row.version}"
    if document["period"] is not None and document["period"] != row.period:
        raise ReceiptRefused(
            f"{name}: it names package {package_id} of {document['period']}, but this database "
            f"made it for {where}"
        )
    if document["version"] is not None and document["version"] != row.version:
        raise ReceiptRefused(
            f"{name}: it names version {document['version']} of package {package_id}, which "
            f"this database made as {where}"
        )
    claimed = document["tagmanifest_sha256"]
    if claimed is not None:
        ours = package_tagmanifest_sha256(row)
        if ours is None:
            raise ReceiptRefused(
                f"{name}: the tag manifest of package {where} is not known to this database "
                f"and its file {row.file_path} cannot be read to compare it"
            )
        if ours != claimed:
            raise ReceiptRefused(
                f"{name}: its tag manifest SHA-256 {claimed[:16]}… is not the one of package "
                f"{where} made here ({ours[:16]}…): the receipt is for other content"
            )
    elif document["file_sha256"] is None or (
        _files_sha256(_package_files(row)) != document["file_sha256"]
    ):
        raise ReceiptRefused(
            f"{name}: the refused file is not package {where} as this database made it"
        )
    return row


def check_receipt(
    session: Session,
    files: ReceiptFiles,
    pinned: Sequence[CertificateLike],
    province_code: str,
    *,
    now: datetime | None = None,
) -> CheckedReceipt:
    """Check one receipt in the order of the module docstring; change nothing.

    Raises:
        ReceiptRefused: naming the file and the first problem.
    """
    name = files.name
    try:
        data = read_capped(files.json_path, what=name, max_bytes=MAX_RECEIPT_BYTES)
        if not files.signature_path.is_file():
            raise ReceiptRefused(
                f"{name}: its signature {files.signature_path.name} is not beside it; copy both "
                "files"
            )
        signature = read_capped(
            files.signature_path, what=files.signature_path.name, max_bytes=MAX_SIGNATURE_BYTES
        )
        signed_by = verify_detached(data, signature, pinned, what=name, now=now)
        document = load_capped_json(
            data, what=name, max_bytes=MAX_RECEIPT_BYTES, max_depth=MAX_RECEIPT_DEPTH
        )
    except SignatureRefused as exc:
        raise ReceiptRefused(str(exc)) from exc
    _check_document(document, name)
    claimed = document["province"]
    if claimed is not None and claimed != province_code:
        raise ReceiptRefused(
            f"{name}: a receipt for province {claimed}; this database is province {province_code}'s"
        )
    package = _bind(session, document, name)
    return CheckedReceipt(
        files, data, signature, hashlib.sha256(data).hexdigest(), document, signed_by, package
    )


# --- importing -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportedReceipt:
    """One receipt taken in (or found taken in already)."""

    name: str
    sha256: str
    verdict: str
    review_state: str | None
    period: str | None
    version: int | None
    package_id: str | None
    comments: int
    duplicate: bool

    def line(self) -> str:
        what = " ".join(str(v) for v in (self.period, self.version and f"v{self.version}") if v)
        if self.duplicate:
            return f"imported already: {self.name} ({what}): nothing changed"
        state = f", review {self.review_state}" if self.review_state else ""
        comments = f", {self.comments} record comments" if self.comments else ""
        return f"imported: {self.name} ({what}): {self.verdict}{state}{comments}"


@dataclass
class ImportResult:
    receipts: list[ImportedReceipt] = field(default_factory=list)
    certificate_kept: bool = False


def import_receipts(
    session: Session,
    sources: Iterable[Path | str],
    *,
    actor: Actor | None = None,
    user: str | None = None,
    ministry_certificate_file: Path | str | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Check every receipt in ``sources`` and, when all pass, store them (in ``session``'s
    unit of work). ``ministry_certificate_file`` is checked against, and kept in the agency
    profile when the import succeeds; without it the profile's certificate is used.

    Raises:
        ReceiptRefused: the first receipt refused (or no receipt, no certificate); nothing
            was stored.
        PermissionDeniedError: the actor cannot import (or change the certificate).
    """
    if actor is not None:
        require(actor, Permission.IMPORT)
    profile = current_profile(session)
    if profile is None:
        raise ReceiptRefused("this database has no agency profile yet (ctmt init)")
    given: x509.Certificate | None = None
    if ministry_certificate_file is not None:
        from ctmt_desktop.catalog import CatalogError
        from ctmt_desktop.catalog.signed import read_certificate_file

        try:
            given = read_certificate_file(ministry_certificate_file)
        except CatalogError as exc:
            raise ReceiptRefused(str(exc)) from exc
    certificate = given or ministry_certificate(session)
    if certificate is None:
        raise ReceiptRefused(
            "no ministry certificate to check receipts against: give it once with "
            "--ministry-cert FILE.pem (or in Settings)"
        )
    found = find_receipts(sources)
    if not found:
        raise ReceiptRefused("no receipt found (NAME.receipt.json with NAME.receipt.json.p7s)")
    checked: list[CheckedReceipt] = []
    seen: set[str] = set()
    for files in found:
        item = check_receipt(session, files, [certificate], profile.province_code, now=now)
        if item.sha256 not in seen:
            seen.add(item.sha256)
            checked.append(item)
    result = ImportResult()
    if given is not None:
        result.certificate_kept = set_ministry_certificate(session, given, actor=actor, user=user)
    who = actor if actor is not None else acting_name(None, user)
    for item in checked:
        result.receipts.append(_store(session, item, who))
    return result


def _store(session: Session, item: CheckedReceipt, who: Actor | str) -> ImportedReceipt:
    document = item.document
    review = document["review"] or {}
    records = dict(review.get("records") or {})
    known = session.scalar(select(MinistryReceipt.id).where(MinistryReceipt.sha256 == item.sha256))
    info = ImportedReceipt(
        name=item.files.name,
        sha256=item.sha256,
        verdict=document["verdict"],
        review_state=review.get("state"),
        period=item.package.period,
        version=item.package.version,
        package_id=item.package.package_id,
        comments=len(records),
        duplicate=known is not None,
    )
    if known is not None:
        return info
    signing_time = item.signed_by.signing_time
    row = MinistryReceipt(
        sha256=item.sha256,
        package_ref=item.package.id,
        package_id=item.package.package_id,
        period=item.package.period,
        version=item.package.version,
        verdict=document["verdict"],
        review_state=review.get("state"),
        review_comment=review.get("comment") or "",
        reviewed_at=_moment(review.get("reviewed_at"), "reviewed_at"),
        failed_checks=list(document["failed_checks"]),
        superseded=bool(document["superseded"]),
        received_at=_moment(document["received_at"], "received_at"),
        issued_at=_moment(document["issued_at"], "issued_at", required=True),
        issued_by=document["issued_by"],
        signer_fingerprint=item.signed_by.fingerprint,
        signer_subject=item.signed_by.subject,
        signing_time=signing_time.astimezone().replace(tzinfo=None) if signing_time else None,
        file_name=item.files.name[:300],
        document=item.data.decode("utf-8"),
        signature=item.signature,
        imported_at=datetime.now(),
        imported_by=who.username if isinstance(who, Actor) else who,
    )
    session.add(row)
    session.flush()
    for key, text in sorted(records.items()):
        kind, _, number = key.partition("/")
        session.add(
            MinistryComment(receipt_id=row.id, kind=kind, record_id=int(number), comment=text)
        )
    session.flush()
    state = f", review {info.review_state}" if info.review_state else ""
    audit.record(
        session,
        who,
        "receipt",
        kind="package",
        entity_id=item.package.package_id,
        period=item.package.period,
        summary=f"the ministry's receipt of {item.package.period} v{item.package.version}: "
        f"{info.verdict}{state}" + (f", {len(records)} record comments" if records else ""),
        after={
            "file": info.name,
            "sha256": item.sha256,
            "version": item.package.version,
            "verdict": info.verdict,
            "review_state": info.review_state,
            "comment": row.review_comment,
            "records": len(records),
            "failed_checks": [c["check"] for c in row.failed_checks],
            "issued_at": row.issued_at,
            "signer_fingerprint": row.signer_fingerprint,
        },
    )
    return info


# --- what the receipts say -----------------------------------------------------------------------
@dataclass(frozen=True)
class ReceiptInfo:
    """The newest receipt of a package, as the Submissions page shows it."""

    id: int
    sha256: str
    package_ref: int | None
    package_id: str | None
    period: str | None
    version: int | None
    verdict: str
    review_state: str | None
    review_comment: str
    failed_checks: list[dict[str, str]]
    superseded: bool
    received_at: datetime | None
    issued_at: datetime
    issued_by: str
    comments: int


def _info(row: MinistryReceipt, comments: int) -> ReceiptInfo:
    return ReceiptInfo(
        row.id,
        row.sha256,
        row.package_ref,
        row.package_id,
        row.period,
        row.version,
        row.verdict,
        row.review_state,
        row.review_comment,
        list(row.failed_checks or []),
        row.superseded,
        row.received_at,
        row.issued_at,
        row.issued_by,
        comments,
    )


def _newest_per_package(session: Session) -> dict[int, MinistryReceipt]:
    newest: dict[int, MinistryReceipt] = {}
    rows = session.scalars(
        select(MinistryReceipt).order_by(MinistryReceipt.issued_at, MinistryReceipt.id)
    )
    for row in rows:
        if row.package_ref is not None:
            newest[row.package_ref] = row  # later rows win: the newest issue
    return newest


def latest_receipts(session: Session) -> dict[str, ReceiptInfo]:
    """Package id → the newest receipt of that package (the Submissions page's column)."""
    newest = _newest_per_package(session)
    counts: dict[int, int] = {}
    if newest:
        for receipt_id in session.scalars(
            select(MinistryComment.receipt_id).where(
                MinistryComment.receipt_id.in_([row.id for row in newest.values()])
            )
        ):
            counts[receipt_id] = counts.get(receipt_id, 0) + 1
    return {
        str(row.package_id): _info(row, counts.get(row.id, 0))
        for row in newest.values()
        if row.package_id
    }


_ISSUED_COLUMNS = (
    MinistryReceipt.id,
    MinistryReceipt.package_ref,
    MinistryReceipt.period,
    MinistryReceipt.version,
    MinistryReceipt.review_state,
    MinistryReceipt.issued_at,
    MinistryReceipt.sha256,
)


def _open_receipts(session: Session) -> tuple[dict[int, _Issued], set[int]]:
    rows = session.execute(
        select(*_ISSUED_COLUMNS).order_by(MinistryReceipt.issued_at, MinistryReceipt.id)
    )
    return _open_of(_Issued(*row) for row in rows)


def record_comments(
    session: Session, record_id: int, kind: str | None = None
) -> list[RecordComment]:
    """The ministry's comments on a record, in the newest receipt of each package that has
    one, newest first; ``open`` for those of the latest version reviewed (the ones still to
    answer)."""
    by_id, open_ids = _open_receipts(session)
    if not by_id:
        return []
    statement = select(MinistryComment.receipt_id, MinistryComment.comment).where(
        MinistryComment.record_id == record_id, MinistryComment.receipt_id.in_(list(by_id))
    )
    if kind is not None:
        statement = statement.where(MinistryComment.kind == kind)
    found = ((int(row[0]), str(row[1])) for row in session.execute(statement))
    return _comments(found, by_id, open_ids)


def receipt_to_answer(session: Session, period: str) -> str | None:
    """The SHA-256 of the receipt the next package of ``period`` answers: the newest receipt
    of the latest version of that period that has one (None when none has)."""
    code = parse_period(period).code
    rows = session.execute(
        select(MinistryReceipt.sha256, SubmissionPackage.version, MinistryReceipt.issued_at)
        .join(SubmissionPackage, SubmissionPackage.id == MinistryReceipt.package_ref)
        .where(SubmissionPackage.period == code)
        .order_by(
            SubmissionPackage.version.desc(),
            MinistryReceipt.issued_at.desc(),
            MinistryReceipt.id.desc(),
        )
        .limit(1)
    ).first()
    return rows[0] if rows else None


def note_package(
    session: Session, package_id: str, tagmanifest_sha256: str, answers_receipt: str | None
) -> None:
    """Keep in the register what binds a package to its receipts (its tag manifest's
    SHA-256) and the receipt it answers (called by the package builder)."""
    row = session.scalar(
        select(SubmissionPackage).where(SubmissionPackage.package_id == package_id)
    )
    if row is not None:
        row.tagmanifest_sha256 = tagmanifest_sha256
        row.answers_receipt = answers_receipt
        session.flush()


def receipt_document(session: Session, receipt_id: int) -> dict[str, Any]:
    """A stored receipt's JSON as it was signed."""
    row = session.get(MinistryReceipt, receipt_id)
    if row is None:
        raise ReceiptRefused(f"no receipt #{receipt_id}")
    document: dict[str, Any] = json.loads(row.document)
    return document
