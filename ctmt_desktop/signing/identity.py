"""Signing identities: a PKCS#12 file, a PKCS#11 USB token, or a self-issued certificate.

- :func:`create_self_issued` makes a key pair (RSA 3072 or EC P-256) and a self-issued
  X.509 certificate for a department without a token, and writes both into a
  passphrase-protected PKCS#12 file (written to a temporary name, then renamed).
  :func:`registration_form_pdf` prints the form the department sends to the ministry by
  post: the certificate's SHA-256 fingerprint in text and as a QR code, the agency's
  details and room for the director's signature and seal. The ministry then verifies its
  packages with ``--registered CERT`` (the fingerprint must match the form).
- :func:`load_pkcs12` reads a PKCS#12 file (wrong passphrase: :class:`IdentityError`);
  :func:`pkcs12_signer` gives the pyHanko signer for it.
- :func:`pkcs11_signer` opens a token through its PKCS#11 module (python-pkcs11 via
  pyHanko's :class:`~pyhanko.sign.pkcs11.PKCS11Signer`), logs in with the PIN and finds the
  signing key and its certificate. :func:`find_token_modules` lists the usual Vietnamese CA
  token modules installed on a Windows PC.
- :func:`fingerprint_sha256` is the SHA-256 of a certificate's DER encoding, lower-case hex:
  what the package register, the verification report and the form show.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ctmt_desktop.errors import CtmtError, StorageError

if TYPE_CHECKING:
    from pyhanko.sign.pkcs11 import PKCS11Signer
    from pyhanko.sign.signers import SimpleSigner

    from ctmt_desktop.reports.figures import Agency

KeyType = Literal["rsa", "ec"]
KEY_TYPES: tuple[KeyType, ...] = ("rsa", "ec")
RSA_BITS = 3072
#: How long a self-issued certificate is valid by default (five years).
DEFAULT_VALID_DAYS = 5 * 365
#: Shortest passphrase accepted for a new PKCS#12 file.
PASSPHRASE_MIN = 8

#: PKCS#11 modules of the token drivers the Vietnamese CAs install in ``System32``
#: (the app offers those found; any other path can be typed in).
KNOWN_TOKEN_MODULES: tuple[tuple[str, str], ...] = (
    ("Viettel-CA", "viettel-ca_v6.dll"),
    ("Viettel-CA", "viettel-ca_v5.dll"),
    ("Viettel-CA", "viettel-ca_v4.dll"),
    ("Viettel-CA", "viettel-ca_v2.dll"),
    ("Viettel-CA", "viettel-ca.dll"),
    ("VNPT-CA", "vnptca_p11_v10.dll"),
    ("VNPT-CA", "vnptca_p11_v8.dll"),
    ("VNPT-CA", "vnpt-ca_csp11.dll"),
    ("VNPT-CA", "vnpt-ca_v34.dll"),
    ("VNPT-CA", "vnpt-ca_cl_v1.dll"),
    ("BkavCA", "BkavCA.dll"),
    ("BkavCA", "st3csp11.dll"),
    ("FPT-CA", "fpt-ca.dll"),
    ("CA2", "CA2_csp11.dll"),
    ("CA2", "CA2_v34.dll"),
    ("SafeNet eToken", "eTPKCS11.dll"),
    ("ePass2003", "eps2003csp11.dll"),
    ("Shuttle", "ShuttleCsp11_3003.dll"),
    ("WatchData", "wdpkcs.dll"),
)


class IdentityError(CtmtError):
    """A signing identity cannot be made, read or used (wrong passphrase or PIN, no token,
    no key on it…); the message says what to do."""


# --- fingerprints ----------------------------------------------------------------------------
def certificate_der(cert: x509.Certificate | asn1_x509.Certificate | bytes) -> bytes:
    """The DER encoding of a certificate given as a cryptography or asn1crypto object or DER."""
    if isinstance(cert, bytes):
        return cert
    if isinstance(cert, x509.Certificate):
        return cert.public_bytes(serialization.Encoding.DER)
    return cert.dump()


def fingerprint_sha256(cert: x509.Certificate | asn1_x509.Certificate | bytes) -> str:
    """SHA-256 of the certificate's DER encoding, 64 lower-case hex digits."""
    return hashlib.sha256(certificate_der(cert)).hexdigest()


def format_fingerprint(fingerprint: str, *, group: int = 2, separator: str = ":") -> str:
    """``AB:CD:…`` (upper case, in groups) for reading aloud or comparing by eye."""
    text = fingerprint.replace(":", "").replace(" ", "").upper()
    return separator.join(text[i : i + group] for i in range(0, len(text), group))


def to_asn1(cert: x509.Certificate | asn1_x509.Certificate | bytes) -> asn1_x509.Certificate:
    """The asn1crypto form of a certificate (what pyHanko works with)."""
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    return asn1_x509.Certificate.load(certificate_der(cert))


def load_certificates(path: Path | str) -> list[x509.Certificate]:
    """Every certificate in a PEM file (one or more) or a DER file.

    Raises:
        IdentityError: the file cannot be read or holds no certificate.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise IdentityError(f"{path}: cannot read the certificate file ({exc.strerror})") from exc
    try:
        if b"-----BEGIN" in data:
            return list(x509.load_pem_x509_certificates(data))
        return [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise IdentityError(f"{path}: not a certificate in PEM or DER ({exc})") from exc


def subject_text(cert: x509.Certificate | asn1_x509.Certificate | bytes) -> str:
    """The certificate's subject as RFC 4514 text (``CN=…,O=…,C=VN``)."""
    parsed = x509.load_der_x509_certificate(certificate_der(cert))
    return parsed.subject.rfc4514_string()


# --- self-issued certificates ----------------------------------------------------------------
def subject_name(cert: x509.Certificate | asn1_x509.Certificate | bytes) -> str:
    """The certificate's holder as people read it: the common name, and the organisation
    when it says more (``Nguyễn Văn A — Sở VHTTDL``); the full subject when it has no
    common name."""
    parsed = x509.load_der_x509_certificate(certificate_der(cert))

    def first(oid: x509.ObjectIdentifier) -> str:
        values = parsed.subject.get_attributes_for_oid(oid)
        return str(values[0].value).strip() if values else ""

    common, organization = first(NameOID.COMMON_NAME), first(NameOID.ORGANIZATION_NAME)
    if not common:
        return subject_text(parsed)
    return f"{common} — {organization}" if organization and organization != common else common


def _passphrase_bytes(passphrase: str | bytes) -> bytes:
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase


def _new_key(key_type: KeyType) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    raise ValueError(f"key type must be one of {', '.join(KEY_TYPES)}, not {key_type!r}")


def _name(common_name: str, organization: str, province: str) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if province.strip():
        attributes.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province.strip()))
    if organization.strip():
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization.strip()))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name.strip()))
    return x509.Name(attributes)


def self_issued_certificate(
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    common_name: str,
    *,
    organization: str = "",
    province: str = "",
    valid_days: int = DEFAULT_VALID_DAYS,
    not_before: datetime | None = None,
) -> x509.Certificate:
    """A self-issued (self-signed) end-entity certificate for ``key``, for signing only.

    Key usage digitalSignature and nonRepudiation (contentCommitment), extended key usage
    emailProtection (what ``openssl cms -verify`` asks of a signer), not a CA.
    """
    start = (not_before or datetime.now(UTC)).replace(microsecond=0)
    name = _name(common_name, organization, province)
    public_key = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start - timedelta(minutes=5))
        .not_valid_after(start + timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    return builder.sign(key, hashes.SHA256())


def write_pkcs12(
    path: Path | str,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    cert: x509.Certificate,
    passphrase: str | bytes,
    *,
    chain: Sequence[x509.Certificate] = (),
    friendly_name: str = "",
) -> Path:
    """Write ``key`` and ``cert`` (and ``chain``) as a PKCS#12 file protected by
    ``passphrase`` (AES-256, PBKDF2); to a temporary name first, then renamed."""
    target = Path(path)
    data = pkcs12.serialize_key_and_certificates(
        (friendly_name or "ctmt").encode("utf-8"),
        key,
        cert,
        list(chain) or None,
        serialization.BestAvailableEncryption(_passphrase_bytes(passphrase)),
    )
    _write_atomically(target, data)
    return target


def _write_atomically(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise StorageError(f"{target}: cannot write the file ({exc.strerror or exc})") from exc


def create_self_issued(
    common_name: str,
    out: Path | str,
    passphrase: str | bytes,
    *,
    key_type: KeyType = "rsa",
    organization: str = "",
    province: str = "",
    valid_days: int = DEFAULT_VALID_DAYS,
    not_before: datetime | None = None,
) -> x509.Certificate:
    """Make a key pair and a self-issued certificate and save both in the PKCS#12 file
    ``out`` protected by ``passphrase``; return the certificate.

    Raises:
        IdentityError: an empty name or a passphrase shorter than :data:`PASSPHRASE_MIN`.
        StorageError: the file cannot be written.
    """
    if not common_name.strip():
        raise IdentityError("the certificate needs a name (the agency or the signer)")
    if len(_passphrase_bytes(passphrase)) < PASSPHRASE_MIN:
        raise IdentityError(
            f"the passphrase must have at least {PASSPHRASE_MIN} characters; it protects the "
            "private key that signs the department's packages"
        )
    key = _new_key(key_type)
    cert = self_issued_certificate(
        key,
        common_name,
        organization=organization,
        province=province,
        valid_days=valid_days,
        not_before=not_before,
    )
    write_pkcs12(out, key, cert, passphrase, friendly_name=common_name.strip())
    return cert


# --- PKCS#12 -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pkcs12Identity:
    """The contents of a PKCS#12 file."""

    key: Any
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def fingerprint(self) -> str:
        return fingerprint_sha256(self.certificate)


def _read(path: Path | str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise IdentityError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc


def load_pkcs12(path: Path | str, passphrase: str | bytes | None) -> Pkcs12Identity:
    """Read a PKCS#12 file; raise :class:`IdentityError` for a wrong passphrase, a file that
    is not PKCS#12, or one without a key and its certificate."""
    data = _read(path)
    secret = _passphrase_bytes(passphrase) if passphrase is not None else None
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, secret)
    except ValueError as exc:
        raise IdentityError(
            f"{path}: the passphrase is wrong, or the file is not a PKCS#12 (.p12/.pfx) file"
        ) from exc
    if key is None or cert is None:
        raise IdentityError(f"{path}: the file holds no private key with its certificate")
    return Pkcs12Identity(key, cert, tuple(chain))


def pkcs12_signer(path: Path | str, passphrase: str | bytes | None) -> SimpleSigner:
    """The pyHanko signer of a PKCS#12 file (its chain certificates come along).

    What pyHanko's ``SimpleSigner.load_pkcs12_data`` makes, from the file decrypted once
    (:func:`load_pkcs12`, whose errors are clearer), and signing with the key as loaded:
    pyHanko would decrypt the file a second time and load the key again from its DER
    encoding for every signature, and cryptography checks an RSA key each time it loads
    one (0.1 s for RSA 3072, three times in ``ctmt package``).
    """
    from asn1crypto import keys
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    identity = load_pkcs12(path, passphrase)
    registry = SimpleCertificateStore()
    registry.register_multiple({to_asn1(cert) for cert in identity.chain})
    der = identity.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _loaded_key_signer()(
        identity.key,
        signing_key=keys.PrivateKeyInfo.load(der),
        signing_cert=to_asn1(identity.certificate),
        cert_registry=registry,
    )


@functools.cache
def _loaded_key_signer() -> type[SimpleSigner]:
    """A pyHanko ``SimpleSigner`` that signs with the key object it is given (made on first
    use: pyHanko's signers take a quarter of a second to import)."""
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class LoadedKeySigner(SimpleSigner):
        def __init__(self, key: Any, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._loaded_key = key

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            # pyHanko's own, for PKCS#1 v1.5 and ECDSA, without loading the key again.
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                name = mechanism.signature_algo
            except ValueError:
                name = mechanism["algorithm"].native
            key = self._loaded_key
            hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
            if name == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, PKCS1v15(), hash_algorithm)
            if name == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                return key.sign(data, ECDSA(hash_algorithm))
            return super().sign_raw(data, digest_algorithm)  # PSS, EdDSA…: pyHanko's way

    return LoadedKeySigner


# --- PKCS#11 tokens ----------------------------------------------------------------------------
def find_token_modules(system_dir: Path | str | None = None) -> list[tuple[str, Path]]:
    """The known Vietnamese CA token modules present in ``system_dir`` (``System32`` on
    Windows by default; nothing elsewhere), as (CA name, path)."""
    if system_dir is None:
        if os.name != "nt":
            return []
        system_dir = Path(os.environ.get("SystemRoot", r"C:\Windows")) / "System32"
    folder = Path(system_dir)
    found = []
    for ca, name in KNOWN_TOKEN_MODULES:
        path = folder / name
        if path.is_file():
            found.append((ca, path))
    return found


def _lockout_hint() -> str:
    return (
        "a token locks itself after a few wrong PINs in a row (often 3 to 10); check the PIN "
        "before trying again"
    )


def token_labels(module: Path | str) -> list[str]:
    """Labels of the tokens present in the slots of a PKCS#11 module."""
    import pkcs11

    try:
        library = pkcs11.lib(str(module))
        labels = [slot.get_token().label for slot in library.get_slots(token_present=True)]
    except (OSError, RuntimeError) as exc:
        raise IdentityError(f"{module}: cannot load the PKCS#11 module ({exc})") from exc
    return [label for label in labels if label.strip()]  # uninitialised slots have none


#: What a token says about its user PIN (PKCS#11 token flags), worst first.
PinState = Literal["locked", "final_try", "count_low", "ok"]


def token_pin_state(module: Path | str, token_label: str) -> PinState:
    """How many wrong PINs the token labelled ``token_label`` still tolerates, as far as it
    tells: ``locked``, ``final_try`` (one more wrong PIN locks it), ``count_low`` (a wrong
    PIN was entered since the last right one) or ``ok``.

    Raises:
        IdentityError: the module cannot be loaded or no such token is plugged in.
    """
    import pkcs11
    from pkcs11.constants import TokenFlag

    try:
        library = pkcs11.lib(str(module))
        tokens = [
            slot.get_token()
            for slot in library.get_slots(token_present=True)
            if slot.get_token().label == token_label
        ]
    except (OSError, RuntimeError, pkcs11.PKCS11Error) as exc:
        raise IdentityError(f"{module}: cannot load the PKCS#11 module ({exc})") from exc
    if not tokens:
        raise IdentityError(f"no token labelled '{token_label}' is plugged in")
    flags = tokens[0].flags
    if flags & TokenFlag.USER_PIN_LOCKED:
        return "locked"
    if flags & TokenFlag.USER_PIN_FINAL_TRY:
        return "final_try"
    if flags & TokenFlag.USER_PIN_COUNT_LOW:
        return "count_low"
    return "ok"


def token_certificate(module: Path | str, token_label: str, pin: str | None) -> x509.Certificate:
    """The certificate of the signing key on a token (logs in with ``pin``)."""
    with pkcs11_signer(module, token_label, pin) as signer:
        return x509.load_der_x509_certificate(certificate_der(signer.signing_cert))


def _signing_pair(session: Any) -> tuple[bytes | None, str | None]:
    """The id (else label) of a certificate on the token with a private signing key."""
    from pkcs11 import Attribute, ObjectClass

    keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
    key_ids = set()
    key_labels = set()
    for key in keys:
        try:
            key_ids.add(bytes(key[Attribute.ID]))
        except Exception:  # noqa: BLE001 - a key without an id
            pass
        try:
            key_labels.add(key[Attribute.LABEL])
        except Exception:  # noqa: BLE001 - a key without a label
            pass
    for cert in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        try:
            cert_id = bytes(cert[Attribute.ID])
        except Exception:  # noqa: BLE001
            cert_id = b""
        if cert_id and cert_id in key_ids:
            return cert_id, None
        try:
            label = cert[Attribute.LABEL]
        except Exception:  # noqa: BLE001
            label = None
        if label and label in key_labels:
            return None, label
    return None, None


@contextmanager
def pkcs11_signer(
    module: Path | str,
    token_label: str,
    pin: str | None,
    *,
    key_label: str | None = None,
    cert_label: str | None = None,
) -> Iterator[PKCS11Signer]:
    """Open the token labelled ``token_label`` through the PKCS#11 ``module``, log in with
    ``pin``, and yield a pyHanko signer for its signing key; the session closes after.

    Without ``key_label``/``cert_label`` the first certificate whose id (or label) matches
    a private key on the token is used.

    Raises:
        IdentityError: the module cannot be loaded, no such token, a wrong or locked PIN,
            or no key with a certificate on the token.
    """
    from pkcs11 import exceptions as p11_errors
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    path = Path(module)
    if not path.is_file():
        raise IdentityError(f"{module}: no PKCS#11 module at this path")
    try:
        session = open_pkcs11_session(
            str(path), token_criteria=TokenCriteria(label=token_label), user_pin=pin
        )
    except p11_errors.PinIncorrect as exc:
        raise IdentityError(f"token '{token_label}': wrong PIN; {_lockout_hint()}") from exc
    except p11_errors.PinLocked as exc:
        raise IdentityError(
            f"token '{token_label}': the PIN is locked after too many wrong tries; the "
            "token's CA can unlock it"
        ) from exc
    except (p11_errors.PKCS11Error, SigningError, OSError, RuntimeError) as exc:
        text = str(exc) or type(exc).__name__
        if "No token matching" in text:
            try:
                present = ", ".join(f"'{label}'" for label in token_labels(path)) or "none"
            except IdentityError:
                present = "unknown"
            text = f"no token with this label is plugged in; tokens found: {present}"
        raise IdentityError(f"{module}: cannot open the token '{token_label}' ({text})") from exc
    try:
        options: dict[str, Any] = {}
        if key_label or cert_label:
            options = {"key_label": key_label, "cert_label": cert_label or key_label}
        else:
            cert_id, label = _signing_pair(session)
            if cert_id is None and label is None:
                raise IdentityError(
                    f"token '{token_label}': no private key with its certificate was found"
                )
            options = {"cert_id": cert_id} if cert_id else {"cert_label": label}
        signer = PKCS11Signer(session, **options)
        try:
            signer.signing_cert  # noqa: B018 - loads the key and certificate now
        except (p11_errors.PKCS11Error, SigningError) as exc:
            raise IdentityError(
                f"token '{token_label}': cannot read the signing key or certificate ({exc})"
            ) from exc
        yield signer
    finally:
        session.close()


# --- the registration form -----------------------------------------------------------------------
def _key_description(cert: x509.Certificate) -> str:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size} bit"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC {key.curve.name} ({key.key_size} bit)"
    return type(key).__name__


def _date_text(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y}"


def registration_form_pdf(
    cert: x509.Certificate | asn1_x509.Certificate | bytes,
    agency: Agency,
    path: Path | str,
    *,
    issued_on: date | None = None,
    place: str = "",
) -> Path:
    """Print the registration form of a self-issued certificate as a one-page A4 PDF.

    The form has the official header (Decree 30/2020, as the reports print it) and names the
    agency (``agency``: a :class:`~ctmt_desktop.reports.figures.Agency`, e.g.
    ``make_letterhead(...).agency``), the certificate's subject, serial number, key and
    validity, and its SHA-256 fingerprint in text and as a QR code (the QR holds the 64 hex
    digits), with room for the director's signature and the agency's seal. The serif face
    is the reports' (Times New Roman when installed, else the bundled Liberation Serif).
    Written to a temporary name and renamed; returns ``path``.
    """
    from xml.sax.saxutils import escape

    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table

    from ctmt_desktop.reports.figures import Letterhead
    from ctmt_desktop.reports.pdf import _national_header, _styles, register_serif_family

    parsed = x509.load_der_x509_certificate(certificate_der(cert))
    fingerprint = fingerprint_sha256(parsed)
    styles = _styles(register_serif_family())
    fonts = styles.fonts
    base = ParagraphStyle("form", fontName=fonts.regular, fontSize=13, leading=16)
    bold = ParagraphStyle("form-bold", parent=base, fontName=fonts.bold)
    small = ParagraphStyle("form-small", parent=base, fontSize=11, leading=13.5)
    justified = ParagraphStyle("form-justified", parent=base, alignment=TA_JUSTIFY)
    mono = ParagraphStyle("form-mono", parent=base, fontName="Courier-Bold", fontSize=11)

    def para(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    day = issued_on or date.today()
    letterhead = Letterhead(
        agency=agency,
        number="",
        place=place.strip() or agency.province_name,
        issued_on=day,
        signer="",
        signer_title="THỦ TRƯỞNG CƠ QUAN",
        recipients=(),
        document_type="",
    )
    dots = "." * 70
    details = [
        ("Tên cơ quan:", agency.name),
        ("Cơ quan chủ quản:", agency.parent_body or dots),
        ("Tỉnh, thành phố:", f"{agency.province_name} (mã {agency.province_code})"),
        ("Địa chỉ:", dots),
        ("Điện thoại, thư điện tử:", dots),
    ]
    certificate = [
        ("Chủ thể:", subject_text(parsed)),
        ("Số hiệu (serial):", format(parsed.serial_number, "X")),
        ("Khóa công khai:", _key_description(parsed)),
        (
            "Hiệu lực:",
            f"từ {_date_text(parsed.not_valid_before_utc)} "
            f"đến {_date_text(parsed.not_valid_after_utc)}",
        ),
    ]
    plain = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]

    def rows(items: list[tuple[str, str]]) -> Table:
        cells = [[para(label, bold), para(value)] for label, value in items]
        return Table(cells, colWidths=[52 * mm, 113 * mm], style=plain, hAlign="LEFT")

    qr = QrCodeWidget(fingerprint, barLevel="M")
    x1, y1, x2, y2 = qr.getBounds()
    size = 40 * mm
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(qr)
    grouped = format_fingerprint(fingerprint)
    middle = len(grouped) // 2
    fingerprint_text: list[Flowable] = [
        para("Dấu vân tay SHA-256 của chứng thư số:", bold),
        Spacer(1, 2 * mm),
        para(grouped[:middle].rstrip(":"), mono),
        para(grouped[middle:].lstrip(":"), mono),
        Spacer(1, 2 * mm),
        para(
            "Mã QR bên cạnh chứa 64 chữ số thập lục phân của dấu vân tay này. Cơ quan nhận "
            "đối chiếu dấu vân tay của chứng thư số ký gói dữ liệu với phiếu này.",
            small,
        ),
    ]
    fingerprint_block = Table(
        [[fingerprint_text, drawing]],
        colWidths=[123 * mm, 42 * mm],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BOX", (0, 0), (-1, -1), 0.8, "black"),
            ("LEFTPADDING", (0, 0), (0, 0), 3 * mm),
        ],
        hAlign="LEFT",
    )
    signature = Table(
        [
            [
                "",
                [
                    para(letterhead.signer_title, styles.center_bold),
                    para("(Ký, ghi rõ họ tên và đóng dấu)", styles.center_italic),
                    Spacer(1, 30 * mm),
                ],
            ]
        ],
        colWidths=[70 * mm, 95 * mm],
        style=plain,
        hAlign="LEFT",
    )
    recipient = agency.receiving_ministry.strip() or dots
    story: list[Flowable] = [
        *_national_header(letterhead, styles),
        Spacer(1, 7 * mm),
        para("PHIẾU ĐĂNG KÝ CHỨNG THƯ SỐ TỰ CẤP", styles.title),
        para("dùng để ký gói dữ liệu báo cáo Chương trình mục tiêu quốc gia", styles.center_bold),
        Spacer(1, 3 * mm),
        para(f"Kính gửi: {recipient}", styles.center),
        Spacer(1, 4 * mm),
        para("1. Cơ quan đăng ký", bold),
        rows(details),
        Spacer(1, 2 * mm),
        para("2. Chứng thư số", bold),
        rows(certificate),
        Spacer(1, 3 * mm),
        fingerprint_block,
        Spacer(1, 3 * mm),
        para(
            "Cơ quan xác nhận chứng thư số trên do cơ quan tự tạo bằng phần mềm CTMT Desktop; "
            "khóa bí mật được giữ tại cơ quan và chỉ dùng để ký các gói dữ liệu báo cáo gửi "
            "cơ quan nhận. Khi khóa bị lộ hoặc mất, cơ quan sẽ báo ngay và đăng ký chứng thư "
            "số mới.",
            justified,
        ),
        Spacer(1, 3 * mm),
        signature,
    ]
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        os.close(handle)
    except OSError as exc:
        raise StorageError(f"{target}: cannot write the file ({exc.strerror or exc})") from exc
    try:
        document = SimpleDocTemplate(
            temporary,
            pagesize=A4,
            leftMargin=30 * mm,
            rightMargin=15 * mm,
            topMargin=20 * mm,
            bottomMargin=15 * mm,
            title="Phiếu đăng ký chứng thư số tự cấp",
            author=agency.name,
        )
        document.build(story)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise StorageError(f"{target}: cannot write the file ({exc.strerror or exc})") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
