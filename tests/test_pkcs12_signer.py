"""The signer of a PKCS#12 file: what pyHanko's own makes, from the file decrypted once
and with the key loaded once (issue 15)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.sign.signers import SimpleSigner

from ctmt_desktop.package.build import _sign_detached
from ctmt_desktop.signing.identity import (
    IdentityError,
    create_self_issued,
    load_pkcs12,
    pkcs12_signer,
)

PASSPHRASE = "mat-khau-thu-nghiem"
MOMENT = datetime(2025, 3, 1, 8, 30, tzinfo=UTC)


def _identity(tmp_path: Path, key_type: str) -> Path:
    path = tmp_path / f"{key_type}.p12"
    create_self_issued("Sở Thử nghiệm", path, PASSPHRASE, key_type=key_type)  # type: ignore[arg-type]
    return path


def test_an_rsa_signature_is_pyhankos_byte_for_byte(tmp_path: Path) -> None:
    path = _identity(tmp_path, "rsa")
    ours = pkcs12_signer(path, PASSPHRASE)
    theirs = SimpleSigner.load_pkcs12_data(path.read_bytes(), (), PASSPHRASE.encode())
    assert ours.signing_cert.dump() == theirs.signing_cert.dump()
    assert ours.signing_key.dump() == theirs.signing_key.dump()
    assert {c.dump() for c in ours.cert_registry} == {c.dump() for c in theirs.cert_registry}
    data = b"bag/tagmanifest-sha256.txt\n" * 10
    assert ours.sign_raw(data, "sha256") == theirs.sign_raw(data, "sha256")
    # The whole detached CMS of a package (PKCS#1 v1.5 is deterministic).
    assert _sign_detached(ours, data, MOMENT) == _sign_detached(theirs, data, MOMENT)
    key = load_pkcs12(path, PASSPHRASE).key
    key.public_key().verify(ours.sign_raw(data, "sha512"), data, PKCS1v15(), hashes.SHA512())


def test_an_ec_signature_verifies(tmp_path: Path) -> None:
    path = _identity(tmp_path, "ec")
    signer = pkcs12_signer(path, PASSPHRASE)
    data = b"bag-info.txt"
    public = load_pkcs12(path, PASSPHRASE).key.public_key()
    public.verify(signer.sign_raw(data, "sha256"), data, ec.ECDSA(hashes.SHA256()))
    signed = cms.ContentInfo.load(_sign_detached(signer, data, MOMENT))
    info = signed["content"]["signer_infos"][0]
    assert info["signature_algorithm"].signature_algo == "ecdsa"


def test_a_wrong_passphrase_is_an_identity_error(tmp_path: Path) -> None:
    path = _identity(tmp_path, "ec")
    with pytest.raises(IdentityError, match="passphrase is wrong"):
        pkcs12_signer(path, "not the passphrase")
