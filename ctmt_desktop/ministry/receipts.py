"""Signed receipts: the ministry's answer to every package it took in, accepted or refused.

A receipt is a small JSON document in canonical form (UTF-8, keys sorted, no spaces) with a
detached CMS signature (CAdES-BES) by the ministry's identity — a PKCS#12 file or a USB
token, as provinces sign — written beside it::

    QuangTri_2025_v1.zip.receipt.json       the receipt
    QuangTri_2025_v1.zip.receipt.json.p7s   its signature (DER)

Its fields (format 1; every field is always present, ``null`` when unknown):

``receipt``            1, the format
``package_id``         the package's id (a refused package may have none that could be read)
``package_file``       the file's name as received (the first part's stem for parts)
``file_sha256``        SHA-256 of the file as received (refusals; ``null`` for accepted)
``province``           the province code the package claims (``null`` if unreadable)
``period``, ``version``
``tagmanifest_sha256`` SHA-256 of ``bag/tagmanifest-sha256.txt``: with the package id it
                       binds the receipt to exactly one package the province made
``received_at``        when the ministry received it (ISO 8601 with the offset)
``verdict``            ``accepted`` or ``refused``
``failed_checks``      ``[{"check": …, "reason": …}]`` of a refused package, else ``[]``
``superseded``         true when a newer version of the province's period came since
``review``             ``{"state", "comment", "reviewed_at", "records": {"KIND/ID": text}}``
                       for an accepted package (state ``received`` before anyone looked),
                       ``null`` for a refused one
``issued_by``          the ministry's name as kept in the store (``ctmt ministry init``)
``issued_at``          when this receipt was written

A receipt is written again after each review (``issued_at`` tells the newest); the province
keeps them all and shows the newest. Anyone can check one with::

    openssl cms -verify -binary -inform DER -content X.receipt.json -in X.receipt.json.p7s \\
        -CAfile ministry.pem -purpose any

:func:`write_receipts` writes the receipts of a batch (every submission and refusal matching
a period and a province) into one folder, each file to a temporary name then renamed, and
audits each in the store with the SHA-256 of its JSON (the id the province's next package
names in bag-info, ``CTMT-Answers-Receipt``).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctmt_desktop.errors import CtmtError, StorageError
from ctmt_desktop.ministry.audit import log
from ctmt_desktop.ministry.models import CURRENT, RecordComment, Refusal, StoreAudit, Submission
from ctmt_desktop.ministry.store import Store, store_name
from ctmt_desktop.periods import parse_period
from ctmt_desktop.signing.cms import sign_cms
from ctmt_desktop.signing.identity import fingerprint_sha256

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer

RECEIPT_FORMAT = 1
RECEIPT_SUFFIX = ".receipt.json"
SIGNATURE_SUFFIX = ".p7s"
ACCEPTED, REFUSED = "accepted", "refused"
_PART = re.compile(r"^(?P<stem>.+\.zip)\.\d{3}$", re.IGNORECASE)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_NAME_MAX = 120


class ReceiptError(CtmtError):
    """Receipts cannot be written (no ministry name, nothing matches, a folder not writable)."""


def canonical_json(value: Any) -> bytes:
    """``value`` as canonical JSON: UTF-8, keys sorted, no spaces (as the packages')."""
    from ctmt_desktop.package.build import canonical_json as package_canonical_json

    return package_canonical_json(value)


def _moment(value: datetime | None) -> str | None:
    """ISO 8601 with the offset: the store keeps local times without one."""
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.astimezone()
    return aware.isoformat(timespec="seconds")


def package_file_stem(source_name: str) -> str:
    """A received file's name made safe for a file name of ours: no folder, no marks or
    spaces, at most 120 characters; a part ``NAME.zip.001`` gives ``NAME.zip``."""
    name = unicodedata.normalize("NFC", source_name.replace("\\", "/").rsplit("/", 1)[-1])
    match = _PART.match(name)
    if match is not None:
        name = match.group("stem")
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    safe = _UNSAFE.sub("_", plain).strip("._-")[:_NAME_MAX]
    return safe or "package"


# --- the documents -----------------------------------------------------------------------------
def submission_receipt(
    session: Session, submission: Submission, *, issued_by: str, issued_at: datetime
) -> dict[str, Any]:
    """The receipt of an accepted submission as it stands (its latest review)."""
    comments = session.scalars(
        select(RecordComment)
        .where(RecordComment.submission_id == submission.id)
        .order_by(RecordComment.kind, RecordComment.record_id)
    )
    return {
        "receipt": RECEIPT_FORMAT,
        "package_id": submission.package_id,
        "package_file": package_file_stem(submission.source_name),
        "file_sha256": None,
        "province": submission.province_code,
        "period": submission.period,
        "version": submission.version,
        "tagmanifest_sha256": submission.tagmanifest_sha256,
        "received_at": _moment(submission.received_at),
        "verdict": ACCEPTED,
        "failed_checks": [],
        "superseded": submission.state != CURRENT,
        "review": {
            "state": submission.review_state,
            "comment": submission.review_comment or "",
            "reviewed_at": _moment(submission.reviewed_at),
            "records": {f"{c.kind}/{c.record_id}": c.comment for c in comments},
        },
        "issued_by": issued_by,
        "issued_at": _moment(issued_at),
    }


def refusal_receipt(refusal: Refusal, *, issued_by: str, issued_at: datetime) -> dict[str, Any]:
    """The receipt of a refused package: what could be read of it and why it was refused."""
    return {
        "receipt": RECEIPT_FORMAT,
        "package_id": refusal.package_id,
        "package_file": package_file_stem(refusal.source_name),
        "file_sha256": refusal.file_sha256,
        "province": refusal.province_code,
        "period": refusal.period,
        "version": refusal.version,
        "tagmanifest_sha256": refusal.tagmanifest_sha256,
        "received_at": _moment(refusal.received_at),
        "verdict": REFUSED,
        "failed_checks": [
            {"check": str(r.get("check", "")), "reason": str(r.get("reason", ""))}
            for r in refusal.reasons or []
        ],
        "superseded": False,
        "review": None,
        "issued_by": issued_by,
        "issued_at": _moment(issued_at),
    }


# --- writing a batch ---------------------------------------------------------------------------
@dataclass(frozen=True)
class WrittenReceipt:
    """A receipt written: its two files, its SHA-256 (the JSON's) and what it answers."""

    path: Path
    signature: Path
    sha256: str
    verdict: str
    province: str | None
    period: str | None
    version: int | None
    package_id: str | None
    review_state: str | None

    def line(self) -> str:
        what = " ".join(
            str(v) for v in (self.province, self.period, self.version and f"v{self.version}") if v
        )
        state = f", review {self.review_state}" if self.review_state else ""
        return f"{self.verdict}{state}: {self.path.name}" + (f" ({what})" if what else "")


def _select(
    session: Session, period: str | None, province: str | None
) -> tuple[list[Submission], list[Refusal]]:
    submissions = select(Submission).order_by(
        Submission.province, Submission.period, Submission.version
    )
    refusals = select(Refusal).order_by(Refusal.received_at, Refusal.id)
    if period:
        code = parse_period(period).code
        submissions = submissions.where(Submission.period == code)
        refusals = refusals.where(Refusal.period == code)
    if province:
        submissions = submissions.where(Submission.province == province)
        refusals = refusals.where(
            (Refusal.province == province) | (Refusal.province_code == province)
        )
    return list(session.scalars(submissions)), list(session.scalars(refusals))


def _write_pair(folder: Path, name: str, data: bytes, signature: bytes) -> tuple[Path, Path]:
    """Write ``name`` and ``name.p7s`` in ``folder``, each to a temporary name first."""
    target = folder / name
    signature_target = folder / (name + SIGNATURE_SUFFIX)
    written: list[Path] = []
    try:
        pairs = []
        for final, content in ((target, data), (signature_target, signature)):
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{final.name}.")
            written.append(Path(temporary))
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            pairs.append((Path(temporary), final))
        for temporary_path, final in pairs:
            os.replace(temporary_path, final)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise StorageError(f"{target}: cannot write the receipt ({exc.strerror or exc})") from exc
    return target, signature_target


def write_receipts(
    store: Store,
    out_dir: Path | str,
    signer: Signer,
    *,
    user: str,
    period: str | None = None,
    province: str | None = None,
    now: datetime | None = None,
    progress: Callable[[int, int], bool | None] | None = None,
) -> list[WrittenReceipt]:
    """Write the current receipt of every submission and refusal matching ``period`` and
    ``province`` into ``out_dir``, signed by ``signer``; audit each in the store.

    Raises:
        ReceiptError: the store has no ministry name, or nothing matches.
        StorageError: the folder cannot be written (receipts written before stay).
    """
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{folder}: cannot make the folder ({exc.strerror or exc})") from exc
    moment = (now or datetime.now()).replace(microsecond=0)
    with store.session() as session:
        name = store_name(session)
        if not name:
            raise ReceiptError(
                "the store has no ministry name to sign receipts with (ctmt ministry init --name)"
            )
        submissions, refusals = _select(session, period, province)
        documents: list[tuple[str, dict[str, Any]]] = []
        for submission in submissions:
            document = submission_receipt(session, submission, issued_by=name, issued_at=moment)
            documents.append((document["package_file"], document))
        for refusal in refusals:
            document = refusal_receipt(refusal, issued_by=name, issued_at=moment)
            documents.append((document["package_file"], document))
    if not documents:
        what = " ".join(v for v in (province, period) if v) or "the store"
        raise ReceiptError(f"no package received for {what}: no receipt to write")
    used: set[str] = set()
    written: list[WrittenReceipt] = []
    fingerprint = fingerprint_sha256(signer.signing_cert)
    for index, (stem, document) in enumerate(documents):
        if progress is not None and progress(index, len(documents)) is False:
            break
        file_name = stem + RECEIPT_SUFFIX
        number = 2
        while file_name.lower() in used:
            file_name = f"{stem}.{number}{RECEIPT_SUFFIX}"
            number += 1
        used.add(file_name.lower())
        data = canonical_json(document)
        signature = sign_cms(signer, data)
        path, signature_path = _write_pair(folder, file_name, data, signature)
        review = document["review"]
        item = WrittenReceipt(
            path=path,
            signature=signature_path,
            sha256=hashlib.sha256(data).hexdigest(),
            verdict=document["verdict"],
            province=document["province"],
            period=document["period"],
            version=document["version"],
            package_id=document["package_id"],
            review_state=review["state"] if review else None,
        )
        written.append(item)
        with store.session() as session:
            log(
                session,
                user,
                "receipt",
                f"receipt {item.verdict}"
                + (f" ({item.review_state})" if item.review_state else "")
                + f" written: {file_name}",
                province=province_of(document),
                period=item.period,
                package_id=item.package_id,
                detail={
                    "file": file_name,
                    "sha256": item.sha256,
                    "verdict": item.verdict,
                    "review": review,
                    "signer_fingerprint": fingerprint,
                },
                at=moment,
            )
    if progress is not None:
        progress(len(written), len(documents))
    return written


def issued_receipt(session: Session, package_id: str, sha256: str) -> dict[str, Any] | None:
    """What the store's audit trail says of a receipt it issued for ``package_id`` with the
    SHA-256 ``sha256`` (the one a resubmitted package names in ``CTMT-Answers-Receipt``):
    when, by whom, the file, the verdict and the review; None when it issued no such one."""
    entries = session.scalars(
        select(StoreAudit)
        .where(StoreAudit.action == "receipt", StoreAudit.package_id == package_id)
        .order_by(StoreAudit.id)
    )
    for entry in entries:
        detail = dict(entry.detail or {})
        if detail.get("sha256") == sha256:
            return {"at": entry.at, "user": entry.user, **detail}
    return None


def province_of(document: dict[str, Any]) -> str | None:
    value = document.get("province")
    return str(value)[:16] if value else None


def receipt_names(package_file: str) -> tuple[str, str]:
    """The two file names of a package file's receipt (``X.zip.receipt.json`` and ``.p7s``)."""
    stem = package_file_stem(package_file)
    return stem + RECEIPT_SUFFIX, stem + RECEIPT_SUFFIX + SIGNATURE_SUFFIX


def batch_summary(written: Sequence[WrittenReceipt]) -> str:
    accepted = sum(1 for w in written if w.verdict == ACCEPTED)
    return f"{len(written)} receipts ({accepted} accepted, {len(written) - accepted} refused)"
