"""The return path in the window: at the ministry, the review dialog (state, general comment,
record comments) and "Write receipts…" from a submission's detail; at the province, "Import
receipt…" on the Submissions page (the receipt's facts on the package), the ministry's
comments marked in the records table and shown in the record's form, and the ministry's
certificate chosen in Settings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from exchange_kit import PASSPHRASE, Exchange, build_exchange, copy_kit, open_desk
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.catalog.signed import ministry_certificate_path
from ctmt_desktop.db import open_database
from ctmt_desktop.formatting import format_date
from ctmt_desktop.ministry import intake
from ctmt_desktop.ministry.models import NationalRecord, RecordComment, Submission
from ctmt_desktop.ministry.records import current_submission
from ctmt_desktop.ministry.store import Store
from ctmt_desktop.services.profile import current_profile
from ctmt_desktop.services.receipts import ministry_certificate
from ctmt_desktop.signing.identity import fingerprint_sha256, format_fingerprint
from ui.context import AppContext
from ui.db_lane import DbLane
from ui.ministry.common import MinistryContext
from ui.ministry.review_dialog import ReviewDialog, WriteReceiptsDialog
from ui.ministry.submissions_page import SubmissionDetail
from ui.record_form import RecordForm
from ui.records_model import RecordTableModel
from ui.settings_page import SettingsPage
from ui.submissions_page import SubmissionsPage


@pytest.fixture(scope="module")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> Exchange:
    return build_exchange(tmp_path_factory.mktemp("ui-exchange"))


@pytest.fixture
def desk(exchange: Exchange, tmp_path: Path) -> Iterator[tuple[Any, Store]]:
    """Quảng Trị's own database (a copy) and a national store that received its v1."""
    kit = copy_kit(exchange.qt, tmp_path / "qt")
    store = open_desk(f"sqlite:///{(tmp_path / 'national.sqlite3').as_posix()}", kit)
    (result,) = intake.receive(store, [exchange.v1], user="ministry")
    assert result.verdict == "accepted"
    yield kit, store
    store.close()


@pytest.fixture
def ministry(qtbot: QtBot, desk: tuple[Any, Store]) -> Iterator[MinistryContext]:
    _kit, store = desk
    lane = DbLane(store)
    yield MinistryContext(store, lane, load_catalog(), store.name(), user="chuyên viên")
    lane.shutdown()


def _records(store: Store) -> list[tuple[str, int]]:
    with store.session() as session:
        rows = session.execute(
            select(NationalRecord.kind, NationalRecord.record_id).order_by(NationalRecord.record_id)
        ).all()
    return [(kind, int(record_id)) for kind, record_id in rows]


def _review_and_write(
    qtbot: QtBot, ministry: MinistryContext, exchange: Exchange, folder: Path
) -> tuple[list[tuple[str, int]], list[Any]]:
    """Review Quảng Trị's v1 through the dialogs (has issues, two record comments) and write
    its receipt into ``folder``."""
    store = ministry.store
    (first_kind, first), (second_kind, second) = _records(store)[:2]
    detail = SubmissionDetail(ministry)
    qtbot.addWidget(detail)
    assert not detail.review_button.isEnabled()
    with store.session() as session:
        info = current_submission(session, "44", "2025")
    assert info is not None
    with qtbot.waitSignal(detail.loaded, timeout=60_000):
        detail.show_submission(info.id)
    assert detail.review_button.isEnabled() and detail.receipts_button.isEnabled()
    dialog = detail.review()
    assert isinstance(dialog, ReviewDialog)
    qtbot.addWidget(dialog)
    dialog.state_box.setCurrentIndex(dialog.state_box.findData("has_issues"))
    dialog.comment_edit.setPlainText("Hai bản ghi cần sửa")
    dialog.add_row("999999", "không có bản ghi này")
    dialog.save()
    assert ministry.lane.wait_idle(60_000)
    assert "no such record in this package: 999999" in dialog.error.text()
    dialog.records_table.removeRow(dialog.records_table.rowCount() - 1)
    dialog.add_row(str(first), "Thiếu số người là nữ")
    dialog.add_row(f"{second_kind}/{second}", "Sai ngày bắt đầu")
    with qtbot.waitSignal(dialog.reviewed, timeout=60_000):
        dialog.save()
    with store.session() as session:
        submission = session.get(Submission, info.id)
        assert submission is not None and submission.review_state == "has_issues"
        comments = {
            (c.kind, c.record_id): c.comment for c in session.scalars(select(RecordComment))
        }
    assert comments == {
        (first_kind, first): "Thiếu số người là nữ",
        (second_kind, second): "Sai ngày bắt đầu",
    }
    assert ministry.lane.wait_idle(60_000)
    assert "Hai bản ghi cần sửa" in detail.fact_labels["review"].text()

    writer = detail.write_receipts()
    assert isinstance(writer, WriteReceiptsDialog)
    qtbot.addWidget(writer)
    assert writer.period_edit.text() == "2025"
    assert writer.province_box.currentData() == "44"
    writer.write(secret=PASSPHRASE)
    assert "Choose the certificate file" in writer.status.text()
    writer.p12_edit.setText(str(exchange.ministry.p12))
    writer.folder_edit.setText(str(folder))
    with qtbot.waitSignal(writer.written, timeout=60_000) as written:
        writer.write(secret=PASSPHRASE)
    receipts = written.args[0]
    assert [item.path.name for item in receipts] == ["QuangTri_2025_v1.zip.receipt.json"]
    assert writer.status.text().startswith("1 receipts written into")
    return [(first_kind, first), (second_kind, second)], receipts


def _province_context(kit: Any) -> tuple[AppContext, DbLane, Any]:
    database = open_database(kit.db_path)
    lane = DbLane(database)
    with database.session() as session:
        profile = current_profile(session)
    context = AppContext(database, lane, load_catalog(), profile.province_code, profile.name)
    return context, lane, database


def test_review_receipts_and_the_province_sees_them(
    qtbot: QtBot,
    ministry: MinistryContext,
    desk: tuple[Any, Store],
    exchange: Exchange,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kit, _store = desk
    records, receipts = _review_and_write(qtbot, ministry, exchange, tmp_path / "usb")
    context, lane, database = _province_context(kit)
    try:
        page = SubmissionsPage(context)
        qtbot.addWidget(page)
        assert page.table.item(0, 5).text() == ""
        page.table.setCurrentCell(0, 0)
        assert "No receipt of the ministry" in page.receipt_label.text()
        shown: list[BaseException] = []
        monkeypatch.setattr(
            "ui.submissions_page.report_error", lambda parent, error: shown.append(error)
        )
        page.import_receipts([receipts[0].path], certificate=exchange.forger.pem)
        assert lane.wait_idle(60_000)
        assert page.status.text() == "Nothing was imported."
        (refusal,) = shown
        assert "which is not the ministry's certificate" in str(refusal)
        with qtbot.waitSignal(context.navigator.data_changed, timeout=60_000):
            page.import_receipts([receipts[0].path], certificate=exchange.ministry.pem)
        assert lane.wait_idle(60_000)
        assert page.status.text().startswith("1 receipts imported")
        cell = page.table.item(0, 5)
        # Received on dd/MM/yyyy (today, in this test), the verdict, the review, the comments.
        assert cell.text() == (
            f"Received {format_date(date.today())}: accepted, has issues (2 record comments)"
        )
        page.table.setCurrentCell(0, 0)
        detail = page.receipt_label.text()
        assert "The ministry's comment: Hai bản ghi cần sửa" in detail
        assert "2 records have a comment of the ministry" in detail

        (first_kind, first), (_second_kind, second) = records
        model = RecordTableModel(database, first_kind, context.catalog)
        title = model.column_of("title")
        row = model.row_of(first)
        assert row is not None
        index = model.index(row, title)
        assert model.data(index, Qt.ItemDataRole.DecorationRole) is not None
        tooltip = model.data(index, Qt.ItemDataRole.ToolTipRole)
        assert tooltip.startswith("The ministry: Thiếu số người là nữ")
        assert model.ministry_comment(first) == "Thiếu số người là nữ"
        others = [r for r in range(model.rowCount()) if model.record_id(r) not in (first, second)]
        if others:
            assert model.data(model.index(others[0], title), Qt.ItemDataRole.DecorationRole) is None

        form = RecordForm(context, first_kind, record_id=first)
        qtbot.addWidget(form)
        assert not form.ministry_label.isHidden()
        assert "The ministry's comment (version 1 of 2025): Thiếu số người là nữ" in (
            form.ministry_label.text()
        )
        plain = RecordForm(context, first_kind)
        qtbot.addWidget(plain)
        assert plain.ministry_label.isHidden()
    finally:
        lane.shutdown()
        database.close()


def test_the_ministry_certificate_chosen_in_settings(
    qtbot: QtBot, desk: tuple[Any, Store], exchange: Exchange
) -> None:
    kit, _store = desk
    context, lane, database = _province_context(kit)
    try:
        page = SettingsPage(context)
        qtbot.addWidget(page)
        assert page.ministry_cert_label.text() == "none yet"
        page.set_ministry_certificate(exchange.ministry.pem)
        assert lane.wait_idle(60_000)
        fingerprint = fingerprint_sha256(exchange.ministry.certificate)
        text = page.ministry_cert_label.text()
        assert text.startswith("Bộ Văn hóa, Thể thao và Du lịch")
        assert format_fingerprint(fingerprint) in text
        with database.session() as session:
            kept = ministry_certificate(session)
        assert kept is not None and fingerprint_sha256(kept) == fingerprint
        assert ministry_certificate_path().is_file()  # for catalog updates, per user
    finally:
        lane.shutdown()
        database.close()
