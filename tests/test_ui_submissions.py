"""The Submissions page: approve, make the signed package, list it, verify it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.demo import generate_demo
from ctmt_desktop.services.profile import current_profile
from ctmt_desktop.signing.identity import create_self_issued
from ui.context import AppContext
from ui.db_lane import DbLane
from ui.signing import SigningChoice, save_choice
from ui.submissions_page import SubmissionsPage


@pytest.fixture
def page(qtbot, database) -> Iterator[SubmissionsPage]:
    generate_demo(database, records=120, seed=5)
    lane = DbLane(database)
    with database.session() as session:
        profile = current_profile(session)
    context = AppContext(database, lane, load_catalog(), profile.province_code, profile.name)
    shown = SubmissionsPage(context)
    qtbot.addWidget(shown)
    yield shown
    lane.shutdown()


def test_approve_package_list_and_verify(page, tmp_path: Path, qtbot):
    p12 = tmp_path / "ky.p12"
    certificate = create_self_issued("Nguyễn Văn A", p12, "bi-mat-123")
    pem = tmp_path / "ky.pem"
    pem.write_bytes(certificate.public_bytes(Encoding.PEM))
    page.period_box.setCurrentIndex(page.period_box.findData("2024"))
    page.approve(confirm_drafts=True)  # the demo's 2024 holds drafts
    assert page.context.lane.wait_idle()
    assert "2024" in page.status.text()
    save_choice(SigningChoice(kind="p12", p12_path=str(p12)))
    out = tmp_path / "goi.zip"
    page.make_package(out, secret="bi-mat-123")
    assert page.context.lane.wait_idle(60_000)
    assert out.is_file()
    assert page.table.rowCount() == 1 and page.table.item(0, 1).text() == "2024"
    page.verify([out], [pem])
    assert page.context.lane.wait_idle(60_000)
    results = [page.verify_table.item(r, 1).text() for r in range(page.verify_table.rowCount())]
    assert results and all(text == results[0] for text in results)
    assert "REFUSED" not in page.verify_summary.text()


def test_a_package_from_an_unknown_signer_is_refused(page, tmp_path: Path):
    p12 = tmp_path / "ky.p12"
    create_self_issued("Nguyễn Văn A", p12, "bi-mat-123")
    stranger = create_self_issued("Người lạ", tmp_path / "la.p12", "khac-123")
    other = tmp_path / "la.pem"
    other.write_bytes(stranger.public_bytes(Encoding.PEM))
    page.period_box.setCurrentIndex(page.period_box.findData("2024"))
    page.approve(confirm_drafts=True)  # the demo's 2024 holds drafts
    save_choice(SigningChoice(kind="p12", p12_path=str(p12)))
    page.make_package(tmp_path / "goi.zip", secret="bi-mat-123")
    assert page.context.lane.wait_idle(60_000)
    page.verify([tmp_path / "goi.zip"], [other])
    assert page.context.lane.wait_idle(60_000)
    assert "REFUSED" in page.verify_summary.text() or "TỪ CHỐI" in page.verify_summary.text()


def test_approval_asks_to_confirm_the_drafts_and_without_them_approves_nothing(page, monkeypatch):
    from ctmt_desktop.services.approval import draft_records, get_approval

    page.period_box.setCurrentIndex(page.period_box.findData("2024"))
    with page.context.database.session() as session:
        drafts = draft_records(session, "2024")
    assert drafts
    asked: list[tuple[str, int]] = []

    def answer(period, listed):
        asked.append((period, len(listed)))
        return False

    monkeypatch.setattr(page, "_ask_to_confirm_drafts", answer)
    page.approve()
    assert asked == [("2024", len(drafts))]
    assert "2024" in page.status.text() and "draft" in page.status.text()
    with page.context.database.session() as session:
        assert get_approval(session, "2024") is None
        assert draft_records(session, "2024") == drafts
    monkeypatch.setattr(page, "_ask_to_confirm_drafts", lambda period, listed: True)
    page.approve()
    assert page.context.lane.wait_idle()
    with page.context.database.session() as session:
        approval = get_approval(session, "2024")
        assert approval is not None and approval.frozen
        assert draft_records(session, "2024") == []
