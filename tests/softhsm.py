"""A SoftHSM2 token standing in for a department's USB token (Debian's ``softhsm2``).

``make_token(folder)`` initialises a token in ``folder`` (``SOFTHSM2_CONF`` must point at
the configuration it writes while the token is used: the fixtures set it), imports an RSA
key with its self-issued certificate, and returns the module path and the certificate.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ctmt_desktop.signing import identity

SOFTHSM_MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)
TOKEN_LABEL = "ctmt-test"
TOKEN_PIN = "123456"
SO_PIN = "87654321"


@dataclass
class Token:
    module: str
    cert: x509.Certificate
    conf: Path


def softhsm_tools() -> tuple[str, str]:
    """``softhsm2-util`` and the module, or skip the test saying what to install."""
    util = shutil.which("softhsm2-util")
    if util is None:
        pytest.skip("softhsm2-util is absent: install Debian's softhsm2 to test PKCS#11 tokens")
    module = next((m for m in SOFTHSM_MODULES if Path(m).is_file()), None)
    if module is None:
        pytest.skip("softhsm2-util is installed but libsofthsm2.so was not found")
    return util, module


def write_config(folder: Path) -> Path:
    (folder / "tokens").mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    return conf


def make_token(folder: Path, label: str = TOKEN_LABEL, pin: str = TOKEN_PIN) -> Token:
    """A token holding an RSA key and its certificate; ``SOFTHSM2_CONF`` must already name
    ``write_config(folder)``."""
    util, module = softhsm_tools()
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    conf = Path(os.environ["SOFTHSM2_CONF"])

    def run(*args: str) -> None:
        result = subprocess.run([util, *args], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr

    run("--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", pin)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = identity.self_issued_certificate(key, "Sở VHTTDL (token)", organization="Sở")
    pem = folder / "key.pem"
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    run("--import", str(pem), "--token", label, "--label", "signer", "--id", "01", "--pin", pin)
    pem.unlink()
    library = pkcs11.lib(module)
    library.reinitialize()  # SoftHSM reads its configuration when initialised
    token = library.get_token(token_label=label)
    with token.open(rw=True, user_pin=pin) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "signer",
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
    return Token(module, cert, conf)
