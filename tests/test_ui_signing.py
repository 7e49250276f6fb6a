"""Signing identities in the window: the Settings section, the passphrase/PIN dialog with its
lock-out warning, a self-issued identity and its registration form, and packages signed with
a PKCS#12 file, a SoftHSM2 token and split into parts, then verified."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from softhsm import TOKEN_LABEL, TOKEN_PIN, Token, make_token, softhsm_tools, write_config

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.cli import main as cli_main
from ctmt_desktop.demo import generate_demo
from ctmt_desktop.package.verify import verify_package
from ctmt_desktop.services.approval import list_packages, reopen_period
from ctmt_desktop.services.profile import current_profile
from ctmt_desktop.services.records import add_record
from ctmt_desktop.signing import identity
from ui.context import AppContext
from ui.db_lane import DbLane
from ui.signing import (
    CreateIdentityDialog,
    SecretDialog,
    SigningChoice,
    SigningSection,
    load_choice,
    save_choice,
)
from ui.submissions_page import SubmissionsPage

PASSPHRASE = "bi-mat-123"


@pytest.fixture
def context(qtbot, database) -> Iterator[AppContext]:
    generate_demo(database, records=60, seed=3)
    lane = DbLane(database)
    with database.session() as session:
        profile = current_profile(session)
    yield AppContext(database, lane, load_catalog(), profile.province_code, profile.name)
    lane.shutdown()


@pytest.fixture
def section(qtbot, context) -> SigningSection:
    shown = SigningSection(context)
    qtbot.addWidget(shown)
    return shown


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    softhsm_tools()
    folder = tmp_path_factory.mktemp("softhsm-ui")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(write_config(folder)))
        yield make_token(folder)


def _answer_dialog(secret: str | None, seen: list[SecretDialog]) -> None:
    """Type ``secret`` in the next SecretDialog and press OK (None: cancel it)."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SecretDialog):
            QTimer.singleShot(10, look)
            return
        seen.append(dialog)
        if secret is None:
            dialog.reject()
        else:
            dialog.secret_edit.setText(secret)
            dialog.accept()

    QTimer.singleShot(0, look)


# --- the choice --------------------------------------------------------------------------------
def test_nothing_is_chosen_at_first_and_a_choice_survives_a_restart(section, qtbot, context):
    assert not load_choice().complete
    assert section.file_radio.isChecked()
    section.p12_edit.setText("/data/ky.p12")
    section.p12_edit.editingFinished.emit()
    assert load_choice() == SigningChoice(kind="p12", p12_path="/data/ky.p12")
    section.token_radio.setChecked(True)
    section.module_box.setEditText("/usr/lib/vnptca.so")
    section.token_box.setEditText("VNPT-CA 01")
    choice = load_choice()
    assert (choice.kind, choice.module, choice.token_label) == (
        "pkcs11", "/usr/lib/vnptca.so", "VNPT-CA 01",
    )  # fmt: skip
    again = SigningSection(context)
    qtbot.addWidget(again)
    assert again.token_radio.isChecked() and again.stack.currentIndex() == 1
    assert again.current_choice() == choice


def test_checking_a_p12_shows_its_fingerprint_and_a_wrong_passphrase_is_explained(
    section, tmp_path: Path
):
    p12 = tmp_path / "ky.p12"
    cert = identity.create_self_issued("Nguyễn Văn A", p12, PASSPHRASE)
    section.p12_edit.setText(str(p12))
    section.p12_edit.editingFinished.emit()
    assert section.check_identity("sai-mat-khau") is None
    assert section.error.isVisibleTo(section) and "passphrase" in section.error.text()
    assert not section.form_button.isEnabled()
    checked = section.check_identity(PASSPHRASE)
    assert checked is not None and identity.fingerprint_sha256(checked) == (
        identity.fingerprint_sha256(cert)
    )
    fingerprint = identity.format_fingerprint(identity.fingerprint_sha256(cert))
    assert fingerprint in section.summary.text()
    assert load_choice().fingerprint == identity.fingerprint_sha256(cert)
    saved = section.save_certificate(tmp_path / "ky.pem")
    assert x509.load_pem_x509_certificate(saved.read_bytes()) == cert
    # another file: the certificate seen before no longer applies
    section.p12_edit.setText(str(tmp_path / "khac.p12"))
    section.p12_edit.editingFinished.emit()
    assert load_choice().certificate is None and not section.form_button.isEnabled()


def test_the_passphrase_dialog_asks_without_a_token_warning(qtbot, tmp_path: Path):
    dialog = SecretDialog(SigningChoice(kind="p12", p12_path=str(tmp_path / "ky.p12")))
    qtbot.addWidget(dialog)
    assert "ky.p12" in dialog.findChild(type(dialog.warning)).text()
    assert not dialog.warning.isVisibleTo(dialog)
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()
    dialog.secret_edit.setText("x")
    assert ok.isEnabled()


# --- a self-issued identity ---------------------------------------------------------------------
def test_create_identity_refuses_bad_input_naming_the_field(qtbot, context, tmp_path: Path):
    from ctmt_desktop.reports.figures import make_letterhead

    with context.database.session() as session:
        agency = make_letterhead(session, context.catalog).agency
    dialog = CreateIdentityDialog(agency)
    qtbot.addWidget(dialog)
    existing = tmp_path / "co-roi.p12"
    existing.write_bytes(b"old")
    dialog.name_edit.setText("  ")
    dialog.passphrase_edit.setText("ngan")
    dialog.path_edit.setText(str(existing))
    dialog.create()
    assert dialog.created is None
    assert dialog._errors["name"].isVisibleTo(dialog)
    assert "8" in dialog._errors["passphrase"].text()
    assert "never" in dialog._errors["path"].text()
    assert existing.read_bytes() == b"old"
    dialog.name_edit.setText("Sở VHTTDL")
    dialog.passphrase_edit.setText(PASSPHRASE)
    dialog.repeat_edit.setText(PASSPHRASE + "x")
    dialog.create()
    assert dialog._errors["repeat"].isVisibleTo(dialog) and dialog.created is None
    assert list(tmp_path.glob("*.p12")) == [existing]


def test_create_identity_writes_p12_certificate_and_registration_form(
    section, qtbot, tmp_path: Path, monkeypatch
):
    target = tmp_path / "chu-ky" / "so.p12"
    created = []

    def fill(dialog: CreateIdentityDialog) -> int:
        dialog.key_box.setCurrentIndex(dialog.key_box.findData("ec"))
        dialog.passphrase_edit.setText(PASSPHRASE)
        dialog.repeat_edit.setText(PASSPHRASE)
        dialog.path_edit.setText(str(target))
        dialog.create()
        created.append(dialog.created)
        return QDialog.DialogCode.Accepted.value if dialog.created else 0

    monkeypatch.setattr(CreateIdentityDialog, "exec", fill)
    result = section.create_identity()
    assert result is not None and created == [result]
    assert identity.load_pkcs12(target, PASSPHRASE).fingerprint == identity.fingerprint_sha256(
        result.certificate
    )
    assert "ec" in identity._key_description(result.certificate).lower()
    pem = x509.load_pem_x509_certificate(target.with_suffix(".pem").read_bytes())
    assert pem == result.certificate
    text = "".join(page.extract_text() for page in PdfReader(result.form_path).pages)
    fingerprint = identity.fingerprint_sha256(result.certificate)
    assert fingerprint.upper()[:16] in text.replace(":", "").replace(" ", "").upper()
    assert "Sở Văn hóa" in text
    choice = load_choice()
    assert choice.kind == "p12" and choice.p12_path == str(target)
    assert choice.fingerprint == fingerprint
    assert section.form_button.isEnabled()
    form = section.save_registration_form(tmp_path / "mau.pdf")
    assert form is not None and PdfReader(form).pages


# --- signing in the window: PKCS#12, parts ------------------------------------------------------
@pytest.fixture
def submissions(qtbot, context) -> SubmissionsPage:
    page = SubmissionsPage(context)
    qtbot.addWidget(page)
    page.period_box.setCurrentIndex(page.period_box.findData("2024"))
    page.approve(confirm_drafts=True)  # the demo's 2024 may hold drafts
    assert context.lane.wait_idle()
    return page


def test_without_an_identity_the_page_says_where_to_choose_one(submissions, tmp_path: Path):
    assert "Settings" in submissions.identity_label.text()
    submissions.make_package(tmp_path / "goi.zip", secret="x")
    box = QApplication.activeModalWidget()
    assert box is not None and "Settings" in box.text()
    box.close()
    assert not (tmp_path / "goi.zip").exists()


def test_a_package_split_into_parts_verifies_and_copies_whole(
    submissions, make_record, tmp_path: Path
):
    p12 = tmp_path / "ky.p12"
    cert = identity.create_self_issued("Nguyễn Văn A", p12, PASSPHRASE)
    save_choice(SigningChoice(kind="p12", p12_path=str(p12)))
    submissions.refresh()
    assert "ky.p12" in submissions.identity_label.text()
    submissions.split_check.setChecked(True)
    submissions.part_size.setCurrentIndex(submissions.part_size.findData(1))
    evidence = []
    for number in range(3):  # incompressible scans: several parts of 1 MB
        scan = tmp_path / f"biên bản {number}.pdf"
        scan.write_bytes(os.urandom(700_000))
        evidence.append({"path": str(scan), "name": scan.name})
    context = submissions.context
    with context.database.session() as session:
        # The approval froze 2024: reopened to add the record, then approved again.
        reopen_period(session, submissions._actor(), "2024", "Bổ sung biên bản")
        add_record(
            session,
            context.record_context(session),
            "training",
            make_record("training", evidence=evidence),
        )
    submissions.approve(confirm_drafts=True)
    assert context.lane.wait_idle()
    out = tmp_path / "goi.zip"
    seen: list[SecretDialog] = []
    _answer_dialog(PASSPHRASE, seen)
    submissions.make_package(out)
    assert context.lane.wait_idle(60_000)
    assert seen and seen[0].state == "ok"
    parts = sorted(tmp_path.glob("goi.zip.0*"))
    assert len(parts) >= 2 and all(p.stat().st_size <= 1_000_000 for p in parts)
    assert "parts" in submissions.status.text() or "phần" in submissions.status.text()
    with context.database.session() as session:
        (info,) = list_packages(session)
    assert info.files == parts
    drive = tmp_path / "usb"
    drive.mkdir()
    copied = submissions.copy_to(info, drive)
    assert [p.name for p in copied] == [p.name for p in parts]
    assert not list(drive.glob(".*partial"))
    report = verify_package(copied, registered=[cert])
    assert report.ok, [c.reason for c in report.failed]
    submissions.verify(copied, [])  # no certificate given: the signer is not trusted
    assert context.lane.wait_idle(60_000)
    assert "REFUSED" in submissions.verify_summary.text() or "TỪ CHỐI" in (
        submissions.verify_summary.text()
    )


def test_cancelling_the_passphrase_makes_nothing(submissions, tmp_path: Path):
    p12 = tmp_path / "ky.p12"
    identity.create_self_issued("Nguyễn Văn A", p12, PASSPHRASE)
    save_choice(SigningChoice(kind="p12", p12_path=str(p12)))
    seen: list[SecretDialog] = []
    _answer_dialog(None, seen)
    submissions.make_package(tmp_path / "goi.zip")
    assert submissions.context.lane.wait_idle()
    assert seen and not list(tmp_path.glob("goi.zip*"))
    with submissions.context.database.session() as session:
        assert list_packages(session) == []


# --- a USB token (SoftHSM2) -------------------------------------------------------------------
def test_a_token_is_found_checked_and_signs_a_package_that_verifies(
    token: Token, section, submissions, qtbot, tmp_path: Path
):
    section.token_radio.setChecked(True)
    section.module_box.setEditText(token.module)
    assert TOKEN_LABEL in section.find_tokens()
    section.token_box.setCurrentText(TOKEN_LABEL)
    seen: list[SecretDialog] = []
    _answer_dialog(TOKEN_PIN, seen)
    checked = section.check_identity()
    assert seen and seen[0].windowTitle() and seen[0].warning.isVisibleTo(seen[0])
    assert "lock" in seen[0].warning.text() or "khóa" in seen[0].warning.text()
    assert checked == token.cert
    choice = load_choice()
    assert (choice.kind, choice.token_label) == ("pkcs11", TOKEN_LABEL)
    submissions.refresh()
    assert TOKEN_LABEL in submissions.identity_label.text()
    out = tmp_path / "token.zip"
    submissions.make_package(out, secret=TOKEN_PIN)
    assert submissions.context.lane.wait_idle(60_000)
    assert out.is_file()
    with zipfile.ZipFile(out) as archive:
        assert "signature/tagmanifest-sha256.txt.p7s" in archive.namelist()
    report = verify_package(out, registered=[token.cert])
    assert report.ok, [c.reason for c in report.failed]
    # the ministry's side: the command line and openssl agree
    pem = tmp_path / "token.pem"
    pem.write_bytes(token.cert.public_bytes(Encoding.PEM))
    assert cli_main(["verify", str(out), "--registered", str(pem)]) == 0
    if shutil.which("openssl") is None:
        pytest.skip("openssl is absent: install Debian's openssl for the cross-check")
    with zipfile.ZipFile(out) as archive:
        (tmp_path / "tm").write_bytes(archive.read("bag/tagmanifest-sha256.txt"))
        (tmp_path / "sig").write_bytes(archive.read("signature/tagmanifest-sha256.txt.p7s"))
    command = [
        "openssl", "cms", "-verify", "-binary", "-inform", "DER",
        "-content", str(tmp_path / "tm"), "-in", str(tmp_path / "sig"),
        "-CAfile", str(pem), "-out", os.devnull,
    ]  # fmt: skip
    checked = subprocess.run(command, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr


def test_a_wrong_pin_warns_louder_the_next_time(token: Token, section, qtbot):
    section.token_radio.setChecked(True)
    section.module_box.setEditText(token.module)
    section.token_box.setEditText(TOKEN_LABEL)
    assert section.check_identity("000000") is None
    assert "wrong PIN" in section.error.text()
    assert identity.token_pin_state(token.module, TOKEN_LABEL) == "count_low"  # SoftHSM2 says
    dialog = SecretDialog(section.current_choice())
    qtbot.addWidget(dialog)
    assert dialog.state == "count_low"
    assert "wrong PIN was entered" in dialog.warning.text() or "nhập sai" in (dialog.warning.text())
    assert section.check_identity(TOKEN_PIN) == token.cert  # a right PIN resets the count
    assert identity.token_pin_state(token.module, TOKEN_LABEL) == "ok"


def test_a_locked_token_cannot_be_tried(token: Token, qtbot, monkeypatch):
    monkeypatch.setattr(identity, "token_pin_state", lambda module, label: "locked")
    dialog = SecretDialog(SigningChoice(kind="pkcs11", module=token.module, token_label="x"))
    qtbot.addWidget(dialog)
    dialog.secret_edit.setText("123456")
    assert not dialog.buttons.buttons()[0].isEnabled()
    assert "LOCKED" in dialog.warning.text() or "BỊ KHÓA" in dialog.warning.text()
