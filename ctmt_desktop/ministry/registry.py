"""The registry of provinces' signing certificates.

A certificate is registered for one province (several per province over time: renewals, a
token replaced). How it is trusted is recorded:

* **self-issued** (issuer = subject): only when the SHA-256 fingerprint typed from the
  province's printed registration form equals the certificate's, and its self-signature
  verifies;
* **CA-issued**: only when it chains to one of the trusted roots given (no fetching), and,
  when a fingerprint is typed, it matches too.

An expired certificate, or one already registered for another province, is refused. A
package is accepted only when its signer is registered for the province it claims, at its
signing time (:func:`signer_for`).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from sqlalchemy import select
from sqlalchemy.orm import Session

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.errors import CtmtError
from ctmt_desktop.ministry.audit import log
from ctmt_desktop.ministry.models import Signer
from ctmt_desktop.signing.identity import (
    IdentityError,
    certificate_der,
    fingerprint_sha256,
    format_fingerprint,
    load_certificates,
    subject_name,
    subject_text,
    to_asn1,
)

_HEX = re.compile(r"^[0-9a-f]{64}$")


class RegistryError(CtmtError):
    """A certificate cannot be registered; the message says why."""


@dataclass(frozen=True)
class RegisteredSigner:
    """A registered certificate, as the pages and the command line show it."""

    id: int
    province_code: str
    fingerprint: str
    subject: str
    holder: str
    not_before: datetime
    not_after: datetime
    method: str
    registered_at: datetime
    registered_by: str

    @property
    def method_text(self) -> str:
        return "printed form" if self.method == "form" else "CA chain"


def normalise_fingerprint(text: str) -> str:
    """64 lower-case hex digits from ``AB:CD:…``, ``ab cd …`` or ``abcd…``.

    Raises:
        RegistryError: it is not a SHA-256 fingerprint.
    """
    cleaned = re.sub(r"[\s:.\-]", "", text).lower()
    if not _HEX.match(cleaned):
        raise RegistryError(
            f"{text.strip()[:80]!r} is not a SHA-256 fingerprint (64 hexadecimal digits, "
            "colons and case ignored)"
        )
    return cleaned


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _as_signer(row: Signer) -> RegisteredSigner:
    return RegisteredSigner(
        id=row.id,
        province_code=row.province_code,
        fingerprint=row.fingerprint,
        subject=row.subject,
        holder=subject_name(row.certificate),
        not_before=row.not_before,
        not_after=row.not_after,
        method=row.method,
        registered_at=row.registered_at,
        registered_by=row.registered_by,
    )


def _load_one(source: Path | str | bytes | x509.Certificate) -> x509.Certificate:
    if isinstance(source, x509.Certificate):
        return source
    if isinstance(source, bytes):
        try:
            return x509.load_der_x509_certificate(source)
        except ValueError as exc:
            raise RegistryError(f"not a DER certificate ({exc})") from exc
    path = Path(source)
    if path.is_file() and path.stat().st_size > 256 * 1024:
        raise RegistryError(f"{path}: {path.stat().st_size} bytes is too large a certificate file")
    try:
        certificates = load_certificates(path)
    except IdentityError as exc:
        raise RegistryError(str(exc)) from exc
    if len(certificates) != 1:
        raise RegistryError(
            f"{path}: holds {len(certificates)} certificates; register the signer's own "
            "certificate alone (its CA's root goes to --trust)"
        )
    return certificates[0]


def _chains_to(cert: x509.Certificate, roots: Sequence[x509.Certificate]) -> str | None:
    """None when ``cert`` chains to one of ``roots`` now; else the reason it does not."""
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    context = ValidationContext(trust_roots=[to_asn1(root) for root in roots], allow_fetching=False)
    validator = CertificateValidator(to_asn1(cert), validation_context=context)
    try:
        asyncio.run(validator.async_validate_path())
    except (PathBuildingError, PathValidationError) as exc:
        return str(exc)
    except ValueError as exc:
        return str(exc)
    return None


def register_signer(
    session: Session,
    catalog: Catalog,
    *,
    province: str,
    certificate: Path | str | bytes | x509.Certificate,
    fingerprint: str | None = None,
    trust_roots: Iterable[Path | str | x509.Certificate] = (),
    user: str,
    now: datetime | None = None,
) -> tuple[RegisteredSigner, bool]:
    """Register ``certificate`` for ``province``; return it and whether it is new (the same
    certificate for the same province again changes nothing).

    Raises:
        RegistryError: unknown province, unreadable or expired certificate, self-issued
            without the matching fingerprint, CA-issued not chaining to a trusted root, or
            already registered for another province.
    """
    province = province.strip()
    unit = catalog.admin.get(province)
    if unit is None or unit.level != "province":
        raise RegistryError(f"{province!r} is not a province code of the catalog")
    cert = _load_one(certificate)
    found = fingerprint_sha256(cert)
    typed = normalise_fingerprint(fingerprint) if fingerprint else None
    moment = now or datetime.now(UTC)
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    if end < moment:
        raise RegistryError(
            f"the certificate of {subject_name(cert)} expired on {end:%d/%m/%Y}; ask the "
            "province for its new one"
        )
    if typed is not None and typed != found:
        raise RegistryError(
            f"the fingerprint typed ({format_fingerprint(typed)[:23]}…) is not the "
            f"certificate's ({format_fingerprint(found)[:23]}…): this file is not the "
            "certificate of the registration form"
        )
    roots = []
    for item in trust_roots:
        if isinstance(item, x509.Certificate):
            roots.append(item)
        else:
            try:
                roots.extend(load_certificates(item))
            except IdentityError as exc:
                raise RegistryError(str(exc)) from exc
    self_issued = cert.issuer == cert.subject
    if self_issued:
        if typed is None:
            raise RegistryError(
                f"{subject_name(cert)} holds a self-issued certificate: type the SHA-256 "
                "fingerprint printed on the province's registration form (--fingerprint)"
            )
        try:
            cert.verify_directly_issued_by(cert)
        except (InvalidSignature, ValueError, TypeError) as exc:
            raise RegistryError(
                "the self-issued certificate's own signature does not verify"
            ) from exc
        method = "form"
    else:
        if not roots:
            raise RegistryError(
                f"the certificate of {subject_name(cert)} is issued by a CA "
                f"({cert.issuer.rfc4514_string()}): give the CA's root certificate (--trust)"
            )
        problem = _chains_to(cert, roots)
        if problem is not None:
            raise RegistryError(
                f"the certificate of {subject_name(cert)} does not chain to a trusted root: "
                f"{problem}"
            )
        method = "chain"
    existing = session.scalar(select(Signer).where(Signer.fingerprint == found))
    if existing is not None:
        if existing.province_code != province:
            raise RegistryError(
                f"this certificate is registered for province {existing.province_code} "
                f"already; a certificate signs for one province only"
            )
        return _as_signer(existing), False
    row = Signer(
        province_code=province,
        fingerprint=found,
        subject=subject_text(cert),
        not_before=_naive_utc(start),
        not_after=_naive_utc(end),
        certificate=certificate_der(cert),
        method=method,
        registered_at=datetime.now(),
        registered_by=user,
    )
    session.add(row)
    session.flush()
    log(
        session,
        user,
        "register",
        f"certificate of {subject_name(cert)} registered for {unit.name} ({method})",
        province=province,
        detail={"fingerprint": found, "subject": row.subject, "method": method},
    )
    return _as_signer(row), True


def list_signers(session: Session, province: str | None = None) -> list[RegisteredSigner]:
    statement = select(Signer).order_by(Signer.province_code, Signer.not_before, Signer.id)
    if province:
        statement = statement.where(Signer.province_code == province)
    return [_as_signer(row) for row in session.scalars(statement)]


def registered_certificates(session: Session) -> list[bytes]:
    """The DER of every registered certificate (the verifier's registered anchors)."""
    return list(session.scalars(select(Signer.certificate)))


def signer_for(
    session: Session, fingerprint: str, province: str, when: datetime | None
) -> tuple[RegisteredSigner | None, str]:
    """The registration that lets ``fingerprint`` sign for ``province`` at ``when``, or None
    and the reason it does not."""
    row = session.scalar(select(Signer).where(Signer.fingerprint == fingerprint))
    if row is None:
        return None, "the signer's certificate is not registered for any province"
    if row.province_code != province:
        return None, (
            f"the signer's certificate is registered for province {row.province_code}, not for "
            f"{province} that the package claims"
        )
    if when is not None:
        moment = _naive_utc(when)
        if not row.not_before <= moment <= row.not_after:
            return None, (
                f"signed {moment:%d/%m/%Y %H:%M} UTC, outside the registered certificate's "
                f"validity ({row.not_before:%d/%m/%Y} to {row.not_after:%d/%m/%Y})"
            )
    return _as_signer(row), ""
