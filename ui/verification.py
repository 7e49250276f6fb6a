"""The words of a package verification, shared by the province's verify page and the
ministry's intake pages: the core names its checks by code (``signer_trusted``…) and keeps
English titles for logs and the command line; the window shows them in its language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def check_title(name: str) -> str:
    """The title of a check of the verifier or of the ministry's intake, in the interface
    language; an unknown code is shown as it is."""
    return {
        "parts": QCoreApplication.translate("Verification", "parts joined"),
        "extraction": QCoreApplication.translate("Verification", "safe extraction"),
        "bag_complete": QCoreApplication.translate("Verification", "bag complete"),
        "checksums": QCoreApplication.translate("Verification", "checksums right"),
        "signature": QCoreApplication.translate("Verification", "signature intact and valid"),
        "signer_trusted": QCoreApplication.translate("Verification", "signer trusted"),
        "certificate_valid": QCoreApplication.translate(
            "Verification", "certificate valid now or at a trusted timestamp"
        ),
        "schema": QCoreApplication.translate("Verification", "records valid against the schema"),
        "records": QCoreApplication.translate("Verification", "records pass the core's rules"),
        "consistency": QCoreApplication.translate("Verification", "package facts agree"),
        "province": QCoreApplication.translate("Verification", "province known"),
        "signer_registered": QCoreApplication.translate(
            "Verification", "signer registered for the province"
        ),
        "version": QCoreApplication.translate("Verification", "version newer than any received"),
    }.get(name, name)
