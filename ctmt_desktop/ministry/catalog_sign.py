"""The ministry signs a catalog update (``ctmt ministry catalog-sign``).

The catalog JSON is checked first as the provinces will read it (caps, no key twice, a
catalog this version reads) so that the ministry never sends one they refuse, then signed
as it is, byte for byte, in an attached CMS (CAdES-BES) by the ministry's identity, and the
result checked again against the signer's own certificate before it is written (to a
temporary name, then renamed). The format and the provinces' checks:
:mod:`ctmt_desktop.catalog.signed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ctmt_desktop.catalog import CatalogError
from ctmt_desktop.catalog.signed import (
    MAX_SIGNED_CATALOG_BYTES,
    _write_atomically,
    catalog_from_json,
    check_signed_catalog,
)
from ctmt_desktop.signing.cms import SignatureRefused, read_capped, sign_cms
from ctmt_desktop.signing.identity import fingerprint_sha256, subject_name

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer


@dataclass(frozen=True)
class CatalogSignature:
    """A signed catalog written: where, which version, by whom."""

    path: Path
    version: str
    signer: str
    fingerprint: str
    size: int


def sign_catalog(
    source: Path | str, out: Path | str, signer: Signer, *, now: datetime | None = None
) -> CatalogSignature:
    """Sign the catalog ``source`` into ``out`` (``NAME.json.p7m``).

    Raises:
        CatalogError: the file is not a catalog the provinces would take, or signing failed.
    """
    path, target = Path(source), Path(out)
    try:
        data = read_capped(path, what=str(path), max_bytes=MAX_SIGNED_CATALOG_BYTES - 64 * 1024)
        catalog = catalog_from_json(data, path)
        signed = sign_cms(signer, data, detached=False, moment=now)
    except SignatureRefused as exc:
        raise CatalogError(str(exc)) from exc
    certificate = signer.signing_cert
    check_signed_catalog(signed, [certificate], origin=target, now=now)
    _write_atomically(target, signed)
    return CatalogSignature(
        target,
        catalog.version,
        subject_name(certificate),
        fingerprint_sha256(certificate),
        len(signed),
    )
