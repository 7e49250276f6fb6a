"""Catalog updates signed by the ministry, and the ministry's certificate they are checked
against.

**The signed catalog file** (``catalog-2026.12.2.json.p7m``, written by
``ctmt ministry catalog-sign``) is one CMS ``SignedData`` in DER (CAdES-BES, SHA-256) that
carries the catalog JSON inside it (an *attached* signature: one file to e-mail, nothing to
keep together), signed by the ministry's identity (PKCS#12 or USB token). OpenSSL checks it
and takes the catalog out::

    openssl cms -verify -binary -inform DER -in catalog.json.p7m -CAfile ministry.pem \\
        -purpose any -out catalog.json

**Installing** (:func:`install_signed_catalog`, ``ctmt catalog install``, Settings) takes a
catalog only when, in this order: the file is at most :data:`MAX_SIGNED_CATALOG_BYTES`; it
is a CMS signature carrying its content; its signer *is* the ministry's certificate (pinned
by its SHA-256: the one given, else the one remembered) and the signature is intact, valid
and trusted, made while the certificate was valid; the catalog inside is JSON within the
caps on size and depth (checked before parsing), with no key twice; it is a catalog this
version reads; and its version is newer than the one in use. Anything else is refused with
the reason, and the catalog in use stays. The catalog is then written to the user data folder
(to a temporary name, then renamed) with the signed file beside it.

The **bundled** catalog (``resources/catalog``) is trusted as shipped: it came with the
program. A plain ``catalog.json`` is no longer installed.

**The ministry's certificate** for catalogs is remembered per user, as ``ministry.pem`` in
the user data folder (:func:`remember_ministry_certificate`): ``--ministry-cert FILE.pem``
once, or Settings. Receipts are checked against the certificate kept in the database's agency
profile (:mod:`ctmt_desktop.services.receipts`), which Settings sets at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctmt_desktop.catalog import (
    ADMIN_UNITS_FILE,
    Catalog,
    CatalogError,
    _version_tuple,
    installed_catalog_path,
    load_catalog,
)
from ctmt_desktop.paths import resources_dir, user_data_dir

if TYPE_CHECKING:
    from cryptography import x509

    from ctmt_desktop.signing.cms import CertificateLike, SignedBy

SIGNED_SUFFIX = ".p7m"
#: Largest signed catalog read (the catalog with its own administrative units is ~2 MB).
MAX_SIGNED_CATALOG_BYTES = 32 * 1024 * 1024
#: Deepest nesting of arrays and objects accepted in a catalog (it uses 5).
MAX_CATALOG_DEPTH = 16
MINISTRY_CERTIFICATE_FILE = "ministry.pem"
#: The largest certificate file read.
MAX_CERTIFICATE_BYTES = 256 * 1024


@dataclass(frozen=True)
class SignedCatalog:
    """A signed catalog that passed: the catalog, its JSON bytes and who signed it."""

    catalog: Catalog
    data: bytes
    signed_by: SignedBy
    signed_file: bytes


# --- the ministry's certificate ------------------------------------------------------------------
def ministry_certificate_path() -> Path:
    """Where the ministry's certificate for catalogs is remembered for this user."""
    return user_data_dir() / MINISTRY_CERTIFICATE_FILE


def read_certificate_file(path: Path | str) -> x509.Certificate:
    """The one certificate of a PEM or DER file (a file of several is refused: say which).

    Raises:
        CatalogError: not readable, too large, not a certificate, or several.
    """
    from ctmt_desktop.signing.identity import IdentityError, load_certificates

    source = Path(path)
    try:
        if source.stat().st_size > MAX_CERTIFICATE_BYTES:
            raise CatalogError(
                f"{source}: larger than a certificate file ({MAX_CERTIFICATE_BYTES} bytes)"
            )
        certificates = load_certificates(source)
    except OSError as exc:
        raise CatalogError(
            f"{source}: cannot read the certificate ({exc.strerror or exc})"
        ) from exc
    except IdentityError as exc:
        raise CatalogError(str(exc)) from exc
    if len(certificates) != 1:
        raise CatalogError(
            f"{source}: {len(certificates)} certificates; give the file of the ministry's one"
        )
    return certificates[0]


def remembered_ministry_certificate() -> x509.Certificate | None:
    """The ministry's certificate remembered for this user, or None."""
    path = ministry_certificate_path()
    if not path.is_file():
        return None
    try:
        return read_certificate_file(path)
    except CatalogError:
        return None


def remember_ministry_certificate(certificate: x509.Certificate) -> Path:
    """Keep ``certificate`` as the ministry's for this user (written, then renamed)."""
    from cryptography.hazmat.primitives.serialization import Encoding

    target = ministry_certificate_path()
    _write_atomically(target, certificate.public_bytes(Encoding.PEM))
    return target


def _write_atomically(target: Path, data: bytes) -> None:
    """The identity module's atomic write (temporary name, fsync, rename)."""
    from ctmt_desktop.signing.identity import _write_atomically as write

    write(target, data)


# --- reading and installing ----------------------------------------------------------------------
def catalog_from_json(data: bytes, origin: Path) -> Catalog:
    """A catalog from its JSON bytes, under the caps (size, depth, no key twice).

    Raises:
        CatalogError: naming ``origin`` and the problem.
    """
    from ctmt_desktop.catalog import _read_json
    from ctmt_desktop.signing.cms import SignatureRefused, load_capped_json

    try:
        document: Any = load_capped_json(
            data,
            what=f"{origin}: the catalog inside",
            max_bytes=MAX_SIGNED_CATALOG_BYTES,
            max_depth=MAX_CATALOG_DEPTH,
        )
    except SignatureRefused as exc:
        raise CatalogError(str(exc)) from exc
    if not isinstance(document, dict):
        raise CatalogError(f"{origin}: the signed content is not a catalog")
    admin = document.pop("admin_units", None)
    if admin is None:
        admin = _read_json(resources_dir() / "catalog" / ADMIN_UNITS_FILE)
    elif not isinstance(admin, dict):
        raise CatalogError(f"{origin}: malformed catalog (admin_units is not an object)")
    catalog = Catalog(document, admin, origin)
    catalog.admin  # noqa: B018 - reads the units now: a malformed section is refused here
    return catalog


def read_signed_catalog(
    path: Path | str, pinned: list[CertificateLike], *, now: Any = None
) -> SignedCatalog:
    """Check a signed catalog file against the ministry's certificate(s) ``pinned``.

    Raises:
        CatalogError: naming the file and the first problem (see the module docstring).
    """
    source = Path(path)
    return check_signed_catalog(_read(source), pinned, origin=source, now=now)


def _read(source: Path) -> bytes:
    """The file's bytes within the cap; a plain JSON catalog refused as unsigned."""
    from ctmt_desktop.signing.cms import SignatureRefused, read_capped

    try:
        data = read_capped(source, what=str(source), max_bytes=MAX_SIGNED_CATALOG_BYTES)
    except SignatureRefused as exc:
        raise CatalogError(str(exc)) from exc
    _refuse_unsigned(data, source)
    return data


def _refuse_unsigned(data: bytes, origin: Path) -> None:
    if data.lstrip()[:1] in (b"{", b"["):
        raise CatalogError(
            f"{origin}: an unsigned catalog; only a catalog signed by the ministry "
            "(ctmt ministry catalog-sign) is installed"
        )


def check_signed_catalog(
    data: bytes, pinned: list[CertificateLike], *, origin: Path, now: Any = None
) -> SignedCatalog:
    """Check the bytes of a signed catalog (read from ``origin``); see
    :func:`read_signed_catalog`."""
    from ctmt_desktop.signing.cms import SignatureRefused, verify_attached

    _refuse_unsigned(data, origin)
    try:
        signed_by = verify_attached(
            data, pinned, what=str(origin), max_bytes=MAX_SIGNED_CATALOG_BYTES, now=now
        )
    except SignatureRefused as exc:
        raise CatalogError(str(exc)) from exc
    try:
        catalog = catalog_from_json(signed_by.content, origin)
    except CatalogError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{origin}: malformed catalog ({exc})") from exc
    return SignedCatalog(catalog, signed_by.content, signed_by, data)


def install_signed_catalog(
    source: Path | str,
    *,
    ministry_certificate: Path | str | None = None,
    now: Any = None,
) -> SignedCatalog:
    """Install a signed catalog newer than the one in use, for this user; see the module
    docstring. ``ministry_certificate`` (a PEM or DER file) is used, and remembered when the
    catalog is installed; without it the remembered one is.

    Raises:
        CatalogError: refused, with the reason; the catalog in use stays.
    """
    path = Path(source)
    data = _read(path)
    given = read_certificate_file(ministry_certificate) if ministry_certificate else None
    certificate = given or remembered_ministry_certificate()
    if certificate is None:
        raise CatalogError(
            f"{path}: no ministry certificate to check the catalog against; give it once "
            "(--ministry-cert FILE.pem, or in Settings)"
        )
    signed = check_signed_catalog(data, [certificate], origin=path, now=now)
    current = load_catalog()
    if _version_tuple(signed.catalog.version) <= _version_tuple(current.version):
        raise CatalogError(
            f"{path}: catalog version {signed.catalog.version} is not newer than the one in use "
            f"({current.version})"
        )
    target = installed_catalog_path()
    _write_atomically(target.with_name(target.name + SIGNED_SUFFIX), signed.signed_file)
    _write_atomically(target, signed.data)
    if given is not None:
        remember_ministry_certificate(given)
    from ctmt_desktop import catalog as catalog_module

    catalog_module._CACHE.clear()
    installed = load_catalog()
    return SignedCatalog(installed, signed.data, signed.signed_by, signed.signed_file)
