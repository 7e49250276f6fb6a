"""Signed documents between the ministry and the provinces: receipts and catalogs.

Both directions use the same CMS (RFC 5652) as the packages, made and checked with pyHanko:

* :func:`sign_cms` signs bytes with a PKCS#12 or PKCS#11 signer (CAdES-BES: content type,
  message digest, signing certificate v2 and the signing time as signed attributes), either
  *detached* (the receipt's ``.p7s`` beside its ``.json``) or *attached* (a signed catalog, one
  ``.p7m`` file carrying the catalog inside it);
* :func:`verify_detached` and :func:`verify_attached` first hold the signature to the
  packages' verifier's rules (strict DER under caps; a detached one to the CAdES B-B profile,
  :mod:`ctmt_desktop.package.cms_check`), then accept it only when pyHanko
  finds it ``intact``, ``valid`` and ``trusted`` together (``valid`` alone still reads True
  for a changed content), its signer *is* one of the pinned certificates (the ministry's, by
  SHA-256 of the DER: a certificate from the same CA, or with the same name, is not enough)
  and was valid at the signing time, which is not in the future. Sizes are capped before
  anything is parsed; every refusal is a :class:`SignatureRefused` with one line naming the
  document and the problem;
* :func:`load_capped_json` reads a JSON document under caps on its size and nesting depth
  (checked on the bytes, before the parser sees them), UTF-8 only, no key twice.

Anyone can check the same signatures with OpenSSL::

    openssl cms -verify -binary -inform DER -content X.receipt.json -in X.receipt.json.p7s \\
        -CAfile ministry.pem -purpose any
    openssl cms -verify -binary -inform DER -in catalog.p7m -CAfile ministry.pem \\
        -purpose any -out catalog.json
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509

from ctmt_desktop.errors import CtmtError
from ctmt_desktop.signing.identity import (
    fingerprint_sha256,
    load_certificates,
    subject_name,
    subject_text,
    to_asn1,
)

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer

#: Largest detached signature read (a signer's certificate with a CA chain is a few KiB).
MAX_SIGNATURE_BYTES = 256 * 1024
#: How far ahead of this machine's clock a signing time may be (clocks differ a little).
CLOCK_SKEW = timedelta(minutes=10)

CertificateLike = x509.Certificate | asn1_x509.Certificate | bytes | Path | str


class SignatureRefused(CtmtError):
    """A signed document is refused: its signature, its signer, its size or its form."""


@dataclass(frozen=True)
class SignedBy:
    """Who signed a document that passed, and when.

    Attributes:
        fingerprint: SHA-256 of the signer's certificate (DER), lower-case hex.
        subject: the certificate's subject (RFC 4514).
        holder: the holder as people read it (common name — organisation).
        signing_time: the CMS signing-time attribute (UTC).
        content: the signed bytes (for an attached signature, taken out of it).
    """

    fingerprint: str
    subject: str
    holder: str
    signing_time: datetime | None
    content: bytes


# --- signing -----------------------------------------------------------------------------------
def sign_cms(
    signer: Signer, data: bytes, *, detached: bool = True, moment: datetime | None = None
) -> bytes:
    """A CMS signature (CAdES-BES, SHA-256) of ``data`` in DER: detached (the content not
    inside) or attached; its signing time ``moment`` (now by default).

    Raises:
        SignatureRefused: the signer failed (a token removed, a key that cannot sign).
    """
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    when = (moment or datetime.now(UTC)).replace(microsecond=0)
    attributes = PdfCMSSignedAttributes(signing_time=when)
    try:
        content_info = asyncio.run(
            signer.async_sign_general_data(
                data,
                "sha256",
                detached=detached,
                use_cades=True,
                signed_attr_settings=attributes,
            )
        )
    except SigningError as exc:
        raise SignatureRefused(f"signing failed: {exc}") from exc
    return bytes(content_info.dump())


# --- verifying ---------------------------------------------------------------------------------
def pinned_certificates(items: Sequence[CertificateLike]) -> list[asn1_x509.Certificate]:
    """Certificates given as objects, DER bytes or PEM/DER files."""
    found: list[asn1_x509.Certificate] = []
    for item in items:
        if isinstance(item, str | os.PathLike):
            found.extend(to_asn1(cert) for cert in load_certificates(Path(item)))
        else:
            found.append(to_asn1(item))
    return found


def _signed_data(data: bytes, what: str, *, attached: bool) -> cms.SignedData:
    try:
        info = cms.ContentInfo.load(data, strict=True)
        if info["content_type"].native != "signed_data":
            raise ValueError(f"a CMS {info['content_type'].native}, not signed data")
        signed = info["content"]
        content = signed["encap_content_info"]
        if content["content_type"].native != "data":
            raise ValueError(f"it signs a {content['content_type'].native}, not plain data")
        if attached and content["content"].native is None:
            raise ValueError("it carries no content (a detached signature)")
        if not attached and content["content"].native is not None:
            raise ValueError("it is not detached")
        if len(signed["signer_infos"]) != 1:
            raise ValueError(f"{len(signed['signer_infos'])} signers, not one")
        signed.native  # noqa: B018 - parses every field now, inside this try
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise SignatureRefused(f"{what}: not a CMS signature of ours ({exc})") from exc
    return signed


def _strict(data: bytes, what: str, *, detached: bool, max_bytes: int) -> None:
    """The packages' verifier's rules before anything is parsed: strict DER within caps
    (elements, nesting); a detached signature also to the CAdES B-B profile (one signer,
    its certificate once, the signed attributes content type, message digest and
    signing-certificate-v2 naming that certificate)."""
    from dataclasses import replace

    from ctmt_desktop.package.cms_check import check_der, read_signature
    from ctmt_desktop.package.limits import Limits, Refusal

    limits = replace(Limits(), max_signature_bytes=max_bytes)
    try:
        if detached:
            read_signature(data, limits, what)
        else:
            check_der(data, limits, what)
    except Refusal as refusal:
        text = str(refusal)
        raise SignatureRefused(text if text.startswith(what) else f"{what}: {text}") from None


def _signer_certificate(signed: cms.SignedData, what: str) -> asn1_x509.Certificate:
    from pyhanko.sign.general import extract_certificate_info

    try:
        cert: asn1_x509.Certificate = extract_certificate_info(signed).signer_cert
    except Exception as exc:  # noqa: BLE001 - pyHanko raises several kinds here
        raise SignatureRefused(f"{what}: the signature carries no signer certificate") from exc
    return cert


def _signing_time(signed: cms.SignedData) -> datetime | None:
    from pyhanko.sign.general import extract_signer_info
    from pyhanko.sign.validation.generic_cms import extract_self_reported_ts

    try:
        when: datetime | None = extract_self_reported_ts(extract_signer_info(signed))
    except Exception:  # noqa: BLE001 - no or malformed signing-time attribute
        return None
    return when


def _check(
    signed: cms.SignedData,
    content: bytes,
    pinned: Sequence[CertificateLike],
    what: str,
    now: datetime | None,
) -> SignedBy:
    from pyhanko.sign.validation import async_validate_cms_signature, async_validate_detached_cms
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    anchors = pinned_certificates(pinned)
    if not anchors:
        raise SignatureRefused(f"{what}: no ministry certificate to check it against")
    signer = _signer_certificate(signed, what)
    fingerprint = fingerprint_sha256(signer)
    subject = subject_text(signer)
    if fingerprint not in {fingerprint_sha256(cert) for cert in anchors}:
        raise SignatureRefused(
            f"{what}: signed by {subject_name(signer)} (SHA-256 {fingerprint}), which is not the "
            "ministry's certificate: forged or from someone else"
        )
    signing_time = _signing_time(signed)
    start, end = signer.not_valid_before, signer.not_valid_after
    moment = now or datetime.now(UTC)
    if signing_time is None:
        raise SignatureRefused(f"{what}: the signature states no signing time")
    if signing_time > moment + CLOCK_SKEW:
        raise SignatureRefused(f"{what}: signed in the future ({signing_time:%d/%m/%Y %H:%M} UTC)")
    if not start <= signing_time <= end:
        raise SignatureRefused(
            f"{what}: signed {signing_time:%d/%m/%Y} with a certificate valid "
            f"{start:%d/%m/%Y} to {end:%d/%m/%Y}"
        )
    context = ValidationContext(trust_roots=anchors, allow_fetching=False, moment=signing_time)
    attached = signed["encap_content_info"]["content"].native is not None
    try:
        if attached:  # the digest of the content inside, which is what we return
            status = asyncio.run(async_validate_cms_signature(signed, validation_context=context))
        else:
            status = asyncio.run(
                async_validate_detached_cms(content, signed, signer_validation_context=context)
            )
    except (SignatureValidationError, ValueError, TypeError) as exc:
        raise SignatureRefused(f"{what}: the signature cannot be validated ({exc})") from exc
    if not status.intact:
        raise SignatureRefused(
            f"{what}: the content is not what was signed (changed after signing)"
        )
    if not status.valid:
        raise SignatureRefused(f"{what}: the signature value does not match the signer's key")
    if not status.trusted:
        raise SignatureRefused(
            f"{what}: the signer's certificate is not trusted ({status.trust_problem_indic})"
        )
    return SignedBy(fingerprint, subject, subject_name(signer), signing_time, content)


def verify_detached(
    content: bytes,
    signature: bytes,
    pinned: Sequence[CertificateLike],
    *,
    what: str,
    now: datetime | None = None,
) -> SignedBy:
    """Check a detached signature of ``content`` by one of the ``pinned`` certificates.

    Raises:
        SignatureRefused: naming ``what`` and the problem.
    """
    if len(signature) > MAX_SIGNATURE_BYTES:
        raise SignatureRefused(
            f"{what}: the signature has {len(signature)} bytes, more than {MAX_SIGNATURE_BYTES}"
        )
    _strict(signature, what, detached=True, max_bytes=MAX_SIGNATURE_BYTES)
    signed = _signed_data(signature, what, attached=False)
    return _check(signed, content, pinned, what, now)


def verify_attached(
    data: bytes,
    pinned: Sequence[CertificateLike],
    *,
    what: str,
    max_bytes: int,
    now: datetime | None = None,
) -> SignedBy:
    """Check a CMS that carries its content (``.p7m``) and return it with its signer.

    Raises:
        SignatureRefused: naming ``what`` and the problem (over ``max_bytes``, not a CMS,
            unsigned, not by a pinned certificate, changed…).
    """
    if len(data) > max_bytes:
        raise SignatureRefused(f"{what}: {len(data)} bytes, more than the cap of {max_bytes}")
    _strict(data, what, detached=False, max_bytes=max_bytes)
    signed = _signed_data(data, what, attached=True)
    content = bytes(signed["encap_content_info"]["content"].native)
    return _check(signed, content, pinned, what, now)


# --- JSON under caps ---------------------------------------------------------------------------
def json_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in JSON text (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _no_duplicate_keys(what: str) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise SignatureRefused(f"{what}: the key {key!r} appears twice in one object")
            result[key] = value
        return result

    return hook


def load_capped_json(data: bytes, *, what: str, max_bytes: int, max_depth: int) -> Any:
    """Parse JSON after checking its size and depth on the bytes.

    Raises:
        SignatureRefused: too large, too deep, not UTF-8, not JSON, or a key twice.
    """
    if len(data) > max_bytes:
        raise SignatureRefused(f"{what}: {len(data)} bytes, more than the cap of {max_bytes}")
    depth = json_depth(data)
    if depth > max_depth:
        raise SignatureRefused(f"{what}: nested {depth} deep, more than the cap of {max_depth}")
    try:
        text = data.decode("utf-8")
        return json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys(what),
            parse_constant=_refuse_constant(what),
        )
    except UnicodeDecodeError as exc:
        raise SignatureRefused(f"{what}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise SignatureRefused(
            f"{what}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc


def _refuse_constant(what: str) -> Any:
    def hook(name: str) -> Any:
        raise SignatureRefused(f"{what}: {name} is not a JSON number")

    return hook


def read_capped(path: Path, *, what: str, max_bytes: int) -> bytes:
    """The bytes of ``path``, refused when larger than ``max_bytes`` (read no further)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SignatureRefused(f"{what}: cannot read the file ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise SignatureRefused(f"{what}: larger than the cap of {max_bytes} bytes")
    return data
