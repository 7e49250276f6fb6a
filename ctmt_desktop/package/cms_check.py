"""The package's detached CMS signature read as a verifier of record reads it.

Before anything is parsed, :func:`check_der` walks the bytes as strict DER under caps (size,
element count, nesting): one element and no byte after it, definite lengths in their
shortest form, universal types primitive or constructed as DER wants, booleans 00 or FF.
Then :func:`read_signature` requires the CAdES baseline B-B profile (ETSI EN 319 122-1) on
top of CMS (RFC 5652):

* a ``SignedData`` whose content is ``id-data`` and detached, exactly one ``SignerInfo``,
  plain certificates only (at most ``max_certificates``, no two of one subject name, so
  that building a chain cannot explode, each with an RSA key of 2048 to 8192 bits or an EC
  key on P-256, P-384 or P-521, or Ed25519/Ed448, so that checking it costs little),
  exactly one of them (the same bytes may be given twice) answering to the signer's
  identifier;
* signed attributes present, none twice and each with one value: ``content-type`` equal to
  ``id-data``, ``message-digest`` of the digest algorithm's size, and
  ``signing-certificate-v2`` whose first certificate reference is the signer's certificate
  (hash, and issuer and serial when given); digest algorithms SHA-256, SHA-384 or SHA-512;
* unsigned attributes: at most one signature timestamp token (RFC 3161), nothing else;
* the signer's certificate an end-entity certificate (not a CA: no ``cA`` basic
  constraint, no certificate-signing usage) whose key usage allows digitalSignature or
  nonRepudiation.

Whether the signature value matches, and whether the certificate chains to a trusted root,
is pyHanko's work (``verify.py``); :func:`timestamp_time` validates a timestamp token with
pyHanko against the trusted roots and returns the time it proves.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509

from ctmt_desktop.package.limits import Limits, Refusal

OID_DATA = "1.2.840.113549.1.7.1"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
OID_SIGNING_TIME = "1.2.840.113549.1.9.5"
OID_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"
OID_SIGNATURE_TIMESTAMP = "1.2.840.113549.1.9.16.2.14"
_DIGESTS = {"sha256": 32, "sha384": 48, "sha512": 64}
_CURVES = frozenset({("named", "secp256r1"), ("named", "secp384r1"), ("named", "secp521r1")})
#: Universal tags that DER encodes constructed (every other universal tag is primitive).
_CONSTRUCTED = frozenset({8, 11, 16, 17, 29})


# --- strict DER -----------------------------------------------------------------------------------
def check_der(data: bytes, limits: Limits, what: str) -> None:
    """Refuse ``data`` unless it is exactly one strict DER element within the caps."""
    if len(data) > limits.max_signature_bytes:
        raise Refusal(
            f"{what} has {len(data)} bytes, more than the cap of {limits.max_signature_bytes}"
        )
    if not data:
        raise Refusal(f"{what} is empty")
    count = 0

    def element(at: int, end: int, depth: int) -> int:
        nonlocal count
        count += 1
        if count > limits.max_der_elements:
            raise Refusal(f"{what} holds more than {limits.max_der_elements} ASN.1 elements")
        first = data[at]
        at += 1
        number = first & 0x1F
        if number == 0x1F:  # a tag number of several bytes
            number = 0
            for index in range(4):
                if at >= end:
                    raise Refusal(f"{what}: a tag runs past its end")
                byte = data[at]
                at += 1
                if index == 0 and byte == 0x80:
                    raise Refusal(f"{what}: a tag number not in its shortest form (not DER)")
                number = number << 7 | byte & 0x7F
                if not byte & 0x80:
                    break
            else:
                raise Refusal(f"{what}: a tag number too large")
            if number < 0x1F:
                raise Refusal(f"{what}: a tag number not in its shortest form (not DER)")
        if at >= end:
            raise Refusal(f"{what}: an element without its length")
        length = data[at]
        at += 1
        if length == 0x80:
            raise Refusal(f"{what}: an indefinite length (BER, not DER)")
        if length & 0x80:
            octets = length & 0x7F
            if octets > 4 or at + octets > end:
                raise Refusal(f"{what}: a length that runs past the end")
            length = int.from_bytes(data[at : at + octets], "big")
            if data[at] == 0 or length < 0x80:
                raise Refusal(f"{what}: a length not in its shortest form (not DER)")
            at += octets
        if at + length > end:
            raise Refusal(f"{what}: an element longer than what holds it (truncated)")
        constructed = bool(first & 0x20)
        if first >> 6 == 0:  # universal
            if number == 0:
                raise Refusal(f"{what}: an end-of-contents marker (BER, not DER)")
            if constructed != (number in _CONSTRUCTED):
                raise Refusal(f"{what}: universal type {number} in the wrong form (not DER)")
            if number == 1 and (length != 1 or data[at] not in (0x00, 0xFF)):
                raise Refusal(f"{what}: a boolean that is not 00 or FF (not DER)")
            if number == 5 and length:
                raise Refusal(f"{what}: a NULL with content")
        if constructed:
            if depth >= limits.max_der_depth:
                raise Refusal(f"{what} nests ASN.1 deeper than {limits.max_der_depth} levels")
            inner = at
            while inner < at + length:
                inner = element(inner, at + length, depth + 1)
        return at + length

    end = element(0, len(data), 0)
    if end != len(data):
        raise Refusal(f"{what}: {len(data) - end} bytes after the DER element")


# --- the CAdES B-B profile ------------------------------------------------------------------------
@dataclass
class SignatureParts:
    """What :func:`read_signature` found."""

    signed_data: cms.SignedData
    signer_info: cms.SignerInfo
    signer: asn1_x509.Certificate
    signing_time: datetime | None
    timestamp: cms.ContentInfo | None


def _attributes(values: Any, what: str) -> dict[str, Any]:
    """Attribute type (dotted) → its one value; a type twice or with several values is
    refused."""
    found: dict[str, Any] = {}
    for attribute in values:
        kind = attribute["type"].dotted
        if kind in found:
            raise Refusal(f"the {what} attribute {attribute['type'].native} appears twice")
        if len(attribute["values"]) != 1:
            raise Refusal(f"the {what} attribute {attribute['type'].native} has not one value")
        found[kind] = attribute["values"][0]
    return found


def _matches(cert: asn1_x509.Certificate, sid: cms.SignerIdentifier) -> bool:
    if sid.name == "issuer_and_serial_number":
        wanted = sid.chosen
        return bool(
            cert.issuer == wanted["issuer"] and cert.serial_number == wanted["serial_number"].native
        )
    if sid.name == "subject_key_identifier":
        return bool(cert.key_identifier == sid.chosen.native)
    return False


def read_signature(data: bytes, limits: Limits, what: str) -> SignatureParts:
    """The parts of a detached CAdES B-B signature in strict DER, or :class:`Refusal` naming
    the rule it breaks."""
    check_der(data, limits, what)
    try:
        return _read_signature(data, limits, what)
    except Refusal:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:
        raise Refusal(f"{what} is not a CMS signature this profile reads: {exc}") from exc


def _read_signature(data: bytes, limits: Limits, what: str) -> SignatureParts:
    info = cms.ContentInfo.load(data, strict=True)
    if info["content_type"].native != "signed_data":
        raise Refusal(f"{what} holds a CMS {info['content_type'].native}, not signed data")
    signed: cms.SignedData = info["content"]
    signed.native  # noqa: B018 - parses every field now, so that damage shows here
    encapsulated = signed["encap_content_info"]
    if encapsulated["content_type"].dotted != OID_DATA:
        raise Refusal(f"{what} signs content of type {encapsulated['content_type'].native}")
    if encapsulated["content"].native is not None:
        raise Refusal(f"{what} is not detached (it carries its content)")
    infos = signed["signer_infos"]
    if len(infos) != 1:
        raise Refusal(f"{what} has {len(infos)} signers; exactly one is expected")
    certificates = []
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            raise Refusal(f"{what} carries a {choice.name}, not a plain certificate")
        certificates.append(choice.chosen)
    _check_certificate_set(certificates, limits, what)
    if signed["crls"].native:
        raise Refusal(f"{what} carries revocation data, which a B-B signature does not")
    signer_info: cms.SignerInfo = infos[0]
    digest = signer_info["digest_algorithm"]["algorithm"].native
    if digest not in _DIGESTS:
        raise Refusal(f"{what} uses the digest {digest}; SHA-256, -384 or -512 is required")
    listed = {item["algorithm"].native for item in signed["digest_algorithms"]}
    if digest not in listed:
        raise Refusal(f"{what}: the signer's digest {digest} is not among the SignedData's")
    matching = {cert.dump(): cert for cert in certificates if _matches(cert, signer_info["sid"])}
    if len(matching) != 1:
        raise Refusal(
            f"{what} carries {len(matching)} certificates that answer to its signer's "
            "identifier; exactly one is expected"
        )
    signer = next(iter(matching.values()))
    if signer_info["signed_attrs"].native is None:
        raise Refusal(f"{what} has no signed attributes (CAdES requires them)")
    signed_attrs = _attributes(signer_info["signed_attrs"], "signed")
    content_type = signed_attrs.get(OID_CONTENT_TYPE)
    if content_type is None or content_type.dotted != OID_DATA:
        raise Refusal(f"{what}: the content-type attribute is missing or is not id-data")
    message_digest = signed_attrs.get(OID_MESSAGE_DIGEST)
    if message_digest is None or len(message_digest.native) != _DIGESTS[digest]:
        raise Refusal(f"{what}: the message-digest attribute is missing or of the wrong size")
    reference = signed_attrs.get(OID_SIGNING_CERTIFICATE_V2)
    if reference is None:
        raise Refusal(
            f"{what} has no signing-certificate-v2 attribute: nothing binds the signer's "
            "certificate to the signature (CAdES requires it)"
        )
    _check_certificate_reference(reference, signer, what)
    signing_time = None
    if OID_SIGNING_TIME in signed_attrs:
        when = signed_attrs[OID_SIGNING_TIME].native
        if not isinstance(when, datetime) or when.tzinfo is None:
            raise Refusal(f"{what}: the signing-time attribute is not a time")
        signing_time = when
    timestamp = None
    if signer_info["unsigned_attrs"].native is not None:
        unsigned = _attributes(signer_info["unsigned_attrs"], "unsigned")
        for kind in unsigned:
            if kind != OID_SIGNATURE_TIMESTAMP:
                raise Refusal(
                    f"{what} has the unsigned attribute {kind}; only a signature timestamp is "
                    "allowed"
                )
        if OID_SIGNATURE_TIMESTAMP in unsigned:
            timestamp = cms.ContentInfo.load(unsigned[OID_SIGNATURE_TIMESTAMP].dump(), strict=True)
            _check_timestamp_token(timestamp, limits, what)
    check_signer_certificate(signer)
    return SignatureParts(signed, signer_info, signer, signing_time, timestamp)


def _check_certificate_set(
    certificates: list[asn1_x509.Certificate], limits: Limits, what: str
) -> None:
    """At most ``max_certificates``, and no two (other than the same bytes twice) with one
    subject name: a chain is then followed through one issuer at each step. Certificates
    sharing a name would let the path builder try every order of them (8 such certificates
    already take seconds, 16 would take years): refused before any path is built."""
    if len(certificates) > limits.max_certificates:
        raise Refusal(
            f"{what} carries {len(certificates)} certificates, more than the cap of "
            f"{limits.max_certificates}"
        )
    names: dict[Any, bytes] = {}
    for cert in certificates:
        _check_key(cert, what)
        der = cert.dump()
        name = cert.subject.hashable
        if names.setdefault(name, der) != der:
            raise Refusal(
                f"{what} carries two certificates named {cert.subject.human_friendly[:80]}: "
                "a chain names each issuer once"
            )


def _check_key(cert: asn1_x509.Certificate, what: str) -> None:
    """Keys whose use costs a known, small time: RSA of 2048 to 8192 bits, EC on a named
    curve of NIST P-256, P-384 or P-521, Ed25519 or Ed448."""
    key = cert.public_key
    algorithm = key.algorithm
    subject = cert.subject.human_friendly[:80]
    if algorithm in ("rsa", "rsassa_pss"):
        if not 2048 <= key.bit_size <= 8192:
            raise Refusal(
                f"{what}: the certificate of {subject} has an RSA key of {key.bit_size} bits"
            )
    elif algorithm == "ec":
        if key.curve not in _CURVES:
            raise Refusal(
                f"{what}: the certificate of {subject} has a key on the curve {key.curve[1]!s:.40}"
            )
    elif algorithm not in ("ed25519", "ed448"):
        raise Refusal(f"{what}: the certificate of {subject} has a {algorithm} key")


def _check_certificate_reference(value: Any, signer: asn1_x509.Certificate, what: str) -> None:
    reference = tsp.SigningCertificateV2.load(value.dump(), strict=True)
    certs = reference["certs"]
    if len(certs) == 0:
        raise Refusal(f"{what}: the signing-certificate-v2 attribute names no certificate")
    first = certs[0]
    algorithm = first["hash_algorithm"]["algorithm"].native
    if algorithm not in _DIGESTS:
        raise Refusal(f"{what}: signing-certificate-v2 hashes with {algorithm}")
    if hashlib.new(algorithm, signer.dump()).digest() != first["cert_hash"].native:
        raise Refusal(
            f"{what}: the signing-certificate-v2 attribute names another certificate than "
            "the signer's"
        )
    issuer_serial = first["issuer_serial"]
    if issuer_serial.native is not None:
        names = [name.chosen for name in issuer_serial["issuer"] if name.name == "directory_name"]
        if issuer_serial["serial_number"].native != signer.serial_number or not any(
            name == signer.issuer for name in names
        ):
            raise Refusal(
                f"{what}: the signing-certificate-v2 attribute's issuer and serial are not the "
                "signer's"
            )


def _check_timestamp_token(token: cms.ContentInfo, limits: Limits, what: str) -> None:
    if token["content_type"].native != "signed_data":
        raise Refusal(f"{what}: the signature timestamp is not signed data")
    signed = token["content"]
    signed.native  # noqa: B018
    certificates = []
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            raise Refusal(f"{what}: the timestamp carries a {choice.name}")
        certificates.append(choice.chosen)
    _check_certificate_set(certificates, limits, f"{what} (its timestamp)")
    content = signed["encap_content_info"]["content"]
    if signed["encap_content_info"]["content_type"].native != "tst_info" or content is None:
        raise Refusal(f"{what}: the signature timestamp holds no TSTInfo")
    check_der(content.contents, limits, f"{what} (its timestamp)")
    content.parsed.native  # noqa: B018


def check_signer_certificate(cert: asn1_x509.Certificate) -> None:
    """Refuse a signer certificate that is a CA's or whose key may not sign."""
    subject = cert.subject.human_friendly
    if cert["tbs_certificate"]["version"].native != "v3":
        raise Refusal(f"the signer's certificate ({subject}) is not an X.509 v3 certificate")
    constraints = cert.basic_constraints_value
    if constraints is not None and constraints["ca"].native:
        raise Refusal(
            f"the signer's certificate ({subject}) is a CA certificate; a package is signed by "
            "an end-entity certificate"
        )
    usage = cert.key_usage_value
    if usage is None:
        raise Refusal(
            f"the signer's certificate ({subject}) has no key usage; digitalSignature or "
            "nonRepudiation is required"
        )
    usages = set(usage.native)
    if "key_cert_sign" in usages:
        raise Refusal(f"the signer's certificate ({subject}) may sign certificates (a CA key)")
    if not usages & {"digital_signature", "non_repudiation"}:
        raise Refusal(
            f"the signer's certificate ({subject}) may not sign: its key usage is "
            f"{', '.join(sorted(usages)) or 'empty'}"
        )


# --- the timestamp --------------------------------------------------------------------------------
@dataclass
class TimestampResult:
    """What a signature timestamp proves: ``time`` when it is intact, valid and from a
    trusted authority (None otherwise, with ``reason``)."""

    time: datetime | None
    reason: str


def timestamp_time(
    parts: SignatureParts, roots: list[asn1_x509.Certificate], now: datetime
) -> TimestampResult:
    """Validate the signature timestamp token of ``parts`` with pyHanko: its imprint is the
    signature value's digest, its signature is intact and valid, and the authority's
    certificate (with the timeStamping purpose) chains to one of ``roots`` now."""
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.generic_cms import (
        message_imprint_checker,
        validate_tst_signed_data,
    )
    from pyhanko.sign.validation.status import TimestampSignatureStatus
    from pyhanko_certvalidator import ValidationContext

    if parts.timestamp is None:
        return TimestampResult(None, "no timestamp")
    if not roots:
        return TimestampResult(None, "a timestamp, but no trusted root to check its authority")
    context = ValidationContext(trust_roots=list(roots), allow_fetching=False, moment=now)
    try:
        kwargs = asyncio.run(
            validate_tst_signed_data(
                parts.timestamp["content"], context, message_imprint_checker(parts.signer_info)
            )
        )
        status = TimestampSignatureStatus(**kwargs)
    except (SignatureValidationError, ValueError, TypeError, KeyError) as exc:
        return TimestampResult(None, f"a timestamp that cannot be validated ({exc})")
    if not status.intact:
        return TimestampResult(None, "a timestamp over another signature value")
    if not status.valid:
        return TimestampResult(None, "a timestamp whose own signature does not match")
    if not status.trusted:
        return TimestampResult(None, "a timestamp from an authority no given root vouches for")
    return TimestampResult(status.timestamp, f"timestamped {status.timestamp:%d/%m/%Y %H:%M} UTC")
