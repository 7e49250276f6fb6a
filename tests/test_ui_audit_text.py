"""The audit page tells each entry in the interface language, from what the core stored.

Every entry here is written by the core's own code (accounts, records, a spreadsheet import,
targets, the agency profile, approvals and packages) into a real database file; the page must
show a Vietnamese sentence with the Vietnamese translation installed and an English one
without, keep the stored sentence at hand, and label the details with the fields' labels.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt

from ctmt_desktop import accounts, audit
from ctmt_desktop.accounts import Actor
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.db.models import Activity
from ctmt_desktop.errors import AuthenticationError
from ctmt_desktop.services.approval import approve_period, record_package, reopen_period
from ctmt_desktop.services.profile import ProfileData, current_profile, set_profile
from ctmt_desktop.services.records import (
    RecordQuery,
    add_record,
    delete_record,
    record_context,
    update_record,
)
from ctmt_desktop.services.targets import TargetData, delete_target, set_target
from ctmt_desktop.spreadsheets.export import export_records
from ctmt_desktop.spreadsheets.importer import import_workbook
from ui.audit_page import AuditModel, AuditPage
from ui.audit_text import AuditText
from ui.context import AppContext
from ui.db_lane import DbLane
from ui.i18n import install_translators, remove_translators

ADMIN_PASSWORD = "mat-khau-quan-tri"
NEW_PASSWORD = "mat-khau-moi-2025"
MINH_PASSWORD = "mat-khau-cua-minh"
TITLE = "Tập huấn kỹ năng thông tin cơ sở"


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the smallest cost, so that the tests stay fast."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture
def worked(
    database: Database, catalog: Catalog, make_record: Callable[..., dict[str, Any]], tmp_path
) -> dict[str, Any]:
    """A day of work, each step by the core's own code; returns the ids involved."""
    admin = Actor("lan", "admin")
    ids: dict[str, Any] = {}
    with database.session() as session:
        accounts.create_user(
            session, "lan", ADMIN_PASSWORD, role="admin", full_name="Nguyễn Thị Lan"
        )
        accounts.create_user(session, "minh", MINH_PASSWORD, role="entry", actor=admin)
        accounts.authenticate(session, "lan", ADMIN_PASSWORD)
        session.commit()
    for name, password in (("minh", "sai-mat-khau"), ("nobody", "sai-mat-khau")):
        with database.session() as session, pytest.raises(AuthenticationError):
            accounts.authenticate(session, name, password)
    with database.session() as session:
        accounts.set_role(session, admin, "minh", "approver")
        accounts.set_active(session, admin, "minh", False)
        accounts.set_full_name(session, admin, "minh", "Trần Văn Minh")
        accounts.change_password(session, admin, ADMIN_PASSWORD, NEW_PASSWORD)
        accounts.reset_password(session, admin, "minh", MINH_PASSWORD)

        context = record_context(session, database.path, actor=admin, catalog=catalog)
        ids["changed"] = add_record(session, context, "training", make_record("training"))
        changed = make_record("training", participants=60, cost=50_000_000)
        update_record(session, context, "training", ids["changed"], changed)
        ids["deleted"] = add_record(
            session, context, "training", make_record("training", title="Lớp sẽ bị xóa")
        )
        delete_record(session, "training", ids["deleted"], context=context)
        ids["kept"] = add_record(
            session,
            context,
            "training",
            make_record(
                "training", title="Lớp bồi dưỡng", start_date="2024-10-01", end_date="2024-10-02"
            ),
        )

        sheet = tmp_path / "tap-huan.xlsx"
        query = RecordQuery(ids=(ids["changed"], ids["kept"]), limit=None)
        export_records(session, catalog, sheet, kinds=["training"], query=query)
        session.query(Activity).filter(Activity.kind == "training").delete()
        imported = import_workbook(session, context, sheet, "training", allow_duplicates=True)
        ids["imported"] = imported.sheets[0].ids

        target = TargetData("GNBV21", "training_participants", "2024", 500)
        set_target(session, catalog, "44", target, user="lan", actor=admin)
        moved = TargetData("GNBV21", "training_participants", "2024", 650)
        ids["target"] = set_target(session, catalog, "44", moved, user="lan", actor=admin).id
        delete_target(session, ids["target"], actor=admin)

        profile = ProfileData("Sở Văn hóa và Thể thao", "44", valid_from=date(2025, 7, 1))
        set_profile(session, profile, catalog, actor=admin)

        approve_period(session, admin, "2023")
        reopen_period(session, admin, "2023", "Bổ sung số liệu quý IV")
        approve_period(session, admin, "2023")
        record_package(
            session,
            admin,
            period="2023",
            version=1,
            supersedes=None,
            package_id="pkg-2023-1",
            file_path="ctmt-44-2023-v1.ctmtpkg",
            signer_fingerprint="AB" * 32,
            signer_subject="CN=Sở Văn hóa",
            record_count=2,
        )
        accounts.logout(session, admin)
        audit.record(session, admin, "settings", summary="interface language: en")
    return ids


@pytest.fixture
def entries(database: Database, worked: dict[str, Any]) -> list[dict[str, Any]]:
    with database.session() as session:
        return [audit.entry_to_dict(entry) for entry in audit.list_entries(session, limit=None)]


@pytest.fixture
def vietnamese(qapp) -> Iterator[None]:
    translators = install_translators(qapp, "vi")
    yield
    remove_translators(qapp, translators)


def _by_action(entries: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    """The entries of ``action``, oldest first."""
    return [entry for entry in reversed(entries) if entry["action"] == action]


def _summaries(entries: list[dict[str, Any]], catalog: Catalog, language: str) -> dict:
    texts = AuditText(catalog, language)
    found: dict[str, list[str]] = {}
    for entry in reversed(entries):
        found.setdefault(entry["action"], []).append(texts.summary(entry))
    return found


def test_every_action_reads_in_vietnamese(vietnamese, entries, worked, catalog):
    said = _summaries(entries, catalog, "vi")
    changed, deleted = worked["changed"], worked["deleted"]
    first, last = worked["imported"][0], worked["imported"][-1]
    assert said["create"][0] == f"Thêm bản ghi #{changed}: {TITLE}"
    assert said["update"] == [
        f"Sửa bản ghi #{changed}: {TITLE}; các trường đã sửa: "
        "Số lượt người tham dự, Kinh phí (đồng)"
    ]
    assert said["delete"] == [f"Xóa bản ghi #{deleted}: Lớp sẽ bị xóa"]
    assert said["import"] == [
        "Nhập 2 bản ghi Lớp tập huấn, bồi dưỡng từ tệp tap-huan.xlsx, "
        f"trang tính “{_sheet_of(entries)}”, dòng {_rows_of(entries)}"
    ]
    assert first < last
    assert said["account_create"] == [
        "Tạo tài khoản “lan” (Nguyễn Thị Lan) với vai trò Quản trị",
        "Tạo tài khoản “minh” với vai trò Nhập liệu",
    ]
    assert said["login"] == ["Tài khoản “lan” đăng nhập"]
    assert said["login_failed"] == [
        "Đăng nhập không thành công với tên “minh”: sai mật khẩu (lần sai thứ 1)",
        "Đăng nhập không thành công với tên “nobody”: tên đăng nhập không tồn tại",
    ]
    assert said["account_update"] == [
        "Tài khoản “minh”: đổi vai trò Nhập liệu → Lãnh đạo",
        "Khóa tài khoản “minh”",
        "Tài khoản “minh”: đổi họ và tên thành “Trần Văn Minh”",
    ]
    assert said["password_change"] == ["Tài khoản “lan” đổi mật khẩu"]
    assert said["password_reset"] == [
        "Đặt lại mật khẩu của tài khoản “minh”; phải đổi mật khẩu ở lần đăng nhập tới"
    ]
    indicator = "Số lượt người được tập huấn, bồi dưỡng"
    assert said["target"] == [
        f"Đặt chỉ tiêu “{indicator}” của GNBV21, Năm 2024: 500",
        f"Sửa chỉ tiêu “{indicator}” của GNBV21, Năm 2024: 500 → 650",
        f"Xóa chỉ tiêu “{indicator}” của GNBV21, Năm 2024",
    ]
    assert said["profile"][-1] == (
        "Lưu thông tin cơ quan: Sở Văn hóa và Thể thao, hiệu lực từ ngày 01/07/2025"
    )
    assert said["approve"] == ["Phê duyệt số liệu kỳ báo cáo 2023"] * 2
    assert said["reopen"] == ["Mở lại kỳ báo cáo 2023, lý do: Bổ sung số liệu quý IV"]
    assert said["package"] == [
        "Lập gói dữ liệu kỳ báo cáo 2023, phiên bản 1 (2 bản ghi); kỳ báo cáo đã được khóa"
    ]
    assert said["logout"] == ["Tài khoản “lan” đăng xuất"]
    assert said["settings"] == ["interface language: en"]  # not known here: as stored


def test_every_action_reads_in_english_without_the_translation(entries, worked, catalog):
    said = _summaries(entries, catalog, "en")
    changed = worked["changed"]
    assert said["update"] == [
        f"Changed record #{changed}: {TITLE}; changed: Participant-times, Cost (đồng)"
    ]
    assert said["delete"] == [f"Deleted record #{worked['deleted']}: Lớp sẽ bị xóa"]
    assert said["import"][0].startswith(
        "Imported 2 records of Training class from the file tap-huan.xlsx, sheet “"
    )
    assert said["account_create"][0] == (
        "Created the account “lan” (Nguyễn Thị Lan) with the role Administrator"
    )
    assert said["login"] == ["“lan” logged in"]
    assert said["login_failed"][0] == "Failed login as “minh”: wrong password (failed attempt 1)"
    assert said["account_update"][1] == "Deactivated the account “minh”"
    assert said["password_change"] == ["“lan” changed their password"]
    assert said["password_reset"][0].startswith("Reset the password of “minh”")
    indicator = catalog.indicators["training_participants"].name("en")
    assert said["target"][1] == (
        f"Changed the target “{indicator}” of GNBV21, Year 2024: 500 → 650"
    )
    assert said["profile"][-1] == (
        "Saved the agency profile: Sở Văn hóa và Thể thao, valid from 01/07/2025"
    )
    assert said["approve"][0] == "Approved the data of period 2023"
    assert said["reopen"] == ["Reopened period 2023; reason: Bổ sung số liệu quý IV"]
    assert said["package"] == [
        "Made the data package of period 2023, version 1 (2 records); the period is locked"
    ]
    assert said["logout"] == ["“lan” logged out"]
    assert said["settings"] == ["interface language: en"]


def _sheet_of(entries: list[dict[str, Any]]) -> str:
    source = _by_action(entries, "import")[0]["after"]["source"]
    return source.split("sheet '")[1].split("'")[0]


def _rows_of(entries: list[dict[str, Any]]) -> str:
    source = _by_action(entries, "import")[0]["after"]["source"]
    return source.rsplit("rows ", 1)[1].replace("-", "–")


def test_unknown_actions_and_unexpected_data_keep_the_stored_sentence(
    vietnamese, database, catalog
):
    with database.session() as session:
        audit.record(session, "lan", "sign", kind="package", summary="package signed by 'lan'")
        audit.record(session, "lan", "catalog", summary="catalog 2025.2 installed")
        audit.record(session, "lan", "create", kind="training", entity_id=9, summary="old shape")
        audit.record(
            session,
            "lan",
            "account_update",
            kind="account",
            entity_id="lan",
            summary="nothing changed",
            before={"role": "entry"},
            after={"role": "entry"},
        )
        audit.record(session, "lan", "stamped", summary="a later action")
        stored = [audit.entry_to_dict(entry) for entry in audit.list_entries(session, limit=5)]
    texts = AuditText(catalog, "vi")
    assert [texts.summary(entry) for entry in stored] == [
        "a later action",
        "nothing changed",
        "old shape",
        "catalog 2025.2 installed",
        "package signed by 'lan'",
    ]
    assert [row.label for row in texts.details(stored[1])] == ["Vai trò"]
    assert texts.details(stored[2]) == []


def test_batch_ids_show_their_count_and_first_runs(catalog):
    texts = AuditText(catalog, "en")
    assert texts.ids_text([7]) == "1 record: #7"
    assert texts.ids_text(list(range(2965, 3001))) == "36 records: #2965–#3000"
    many = [1, 2, 3, 5, 8, 9, 11, 13, 20, 21, 22]
    assert texts.ids_text(many) == "11 records: #1–#3, #5, #8–#9, #11, #13, …"
    assert texts.ids_text(list(range(1, 1235))) == "1.234 records: #1–#1234"


def test_fields_a_kind_no_longer_has_keep_their_labels_in_older_entries(catalog):
    """A criterion assessment created before it lost its funding source and cost."""
    texts = AuditText(catalog, "en")
    entry = {
        "action": "create",
        "kind": "criterion",
        "after": {"id": 3, "year": 2024, "funding_source": "NSDP", "cost": 12_000_000},
    }
    rows = {row.name: (row.label, row.after) for row in texts.details(entry)}
    assert rows["funding_source"] == ("Funding source", "Local counterpart budget")
    assert rows["cost"] == ("Cost (đồng)", "12.000.000 ₫")


# --- the page ---------------------------------------------------------------------------------
@pytest.fixture
def make_page(qtbot, database: Database, catalog: Catalog, worked) -> Iterator[Callable]:
    """``make_page(language)``: the audit page of the database, in ``language``."""
    lane = DbLane(database)
    with database.session() as session:
        profile = current_profile(session)

    def make(language: str) -> AuditPage:
        context = AppContext(
            database,
            lane,
            catalog,
            profile.province_code,
            profile.name,
            user="lan",
            language=language,
        )
        shown = AuditPage(context)
        qtbot.addWidget(shown)
        return shown

    yield make
    lane.shutdown()


@pytest.fixture
def page(make_page: Callable[[str], AuditPage]) -> AuditPage:
    return make_page("vi")


def _select(page: AuditPage, action: str) -> int:
    page.apply_params({"action": action})
    page.table.selectRow(0)
    return 0


def test_the_page_shows_the_vietnamese_summary_and_not_the_stored_english(vietnamese, page, worked):
    # Issue 13 item 5: the audit page entirely in the interface language. The core's English
    # sentence, once shown as "Nội dung lưu gốc: …" under the summary and in its tooltip, is
    # no longer shown in Vietnamese (the search still looks in it).
    model = page.model
    row = _select(page, "update")
    summary = model.data(model.index(row, 6))
    assert summary.startswith(f"Sửa bản ghi #{worked['changed']}: {TITLE}; các trường đã sửa:")
    tooltip = model.data(model.index(row, 6), Qt.ItemDataRole.ToolTipRole)
    assert tooltip == summary
    assert summary in page.details_title.text()
    assert page.details_stored.isHidden()
    assert model.data(model.index(row, 2)) == "Sửa"
    assert model.data(model.index(row, 3), Qt.ItemDataRole.ToolTipRole) == (
        "Lớp tập huấn, bồi dưỡng"
    )
    row = _select(page, "settings")  # an action told by none: its name, not the English
    assert model.data(model.index(row, 6)) == "Sửa cài đặt"
    assert page.details_stored.isHidden()


def test_the_details_name_the_fields_by_their_labels(vietnamese, page, worked):
    _select(page, "update")
    details = page.details
    rows = {
        details.item(row, 0).text(): (details.item(row, 1).text(), details.item(row, 2).text())
        for row in range(details.rowCount())
    }
    assert rows["Số lượt người tham dự"] == ("50", "60")
    assert rows["Kinh phí (đồng)"] == ("45.000.000 ₫", "50.000.000 ₫")
    assert rows["Ngày bắt đầu"] == ("05/03/2024", "05/03/2024")
    assert rows["Nguồn vốn"] == ("Ngân sách trung ương", "Ngân sách trung ương")
    assert rows["Địa bàn"] == ("Xã Lao Bảo", "Xã Lao Bảo")
    assert rows["Mã bản ghi"] == (str(worked["changed"]),) * 2
    assert "participants" not in rows and "place_names" not in rows
    assert "Tên địa bàn" not in rows  # the places show their names
    changed = page.changed_fields()
    assert "Số lượt người tham dự" in changed and "Kinh phí (đồng)" in changed
    assert "Tên hoạt động" not in changed

    _select(page, "import")
    rows = {
        details.item(row, 0).text(): details.item(row, 2).text()
        for row in range(details.rowCount())
    }
    first, last = worked["imported"][0], worked["imported"][-1]
    assert rows["Số bản ghi đã nhập"] == "2"
    assert rows["Các bản ghi"] == f"2 bản ghi: #{first}–#{last}"
    assert rows["Nguồn"].startswith("tệp tap-huan.xlsx, trang tính “")

    _select(page, "login_failed")
    assert [details.item(row, 0).text() for row in range(details.rowCount())] == ["Lý do"]
    assert details.item(0, 2).text() == "tên đăng nhập không tồn tại"


def test_the_page_speaks_english_without_the_translation(make_page, worked):
    page = make_page("en")
    model = page.model
    row = _select(page, "delete")
    assert model.data(model.index(row, 6)) == f"Deleted record #{worked['deleted']}: Lớp sẽ bị xóa"
    assert (
        page.details_stored.text() == f"Recorded as: training #{worked['deleted']}: Lớp sẽ bị xóa"
    )
    labels = [page.details.item(r, 0).text() for r in range(page.details.rowCount())]
    assert labels[:3] == ["Record id", "Program node", "Title"]
    assert "Participant-times" in labels


def test_search_still_finds_entries_by_what_was_stored(qtbot, page, worked):
    page.search_edit.setText("minh")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page.model.rowCount() < 12)
    actions = {page.model.entry(row)["action"] for row in range(page.model.rowCount())}
    assert actions >= {"account_create", "account_update", "login_failed", "password_reset"}


def test_the_audit_model_with_summaries_passes_the_model_tester(
    qtmodeltester, vietnamese, entries, catalog
):
    model = AuditModel(None, "vi", catalog)
    model.set_entries(entries)
    assert model.rowCount() == len(entries)
    qtmodeltester.check(model)


ENGLISH_WORDS = re.compile(
    r"\b(Created|Changed|Deleted|Imported|Approved|Reopened|record|records|updated|deleted|"
    r"created|imported|period|package|version|logged|account|password|target|profile|"
    r"receipt|certificate|accepted|refused|review|Recorded|file|sheet|rows|locked|reason)\b"
)
VIETNAMESE_WORDS = re.compile(
    r"(Thêm|Sửa|Xóa|Nhập|bản ghi|kỳ báo cáo|Tài khoản|tài khoản|mật khẩu|chỉ tiêu|"
    r"Phê duyệt|Mở lại|gói dữ liệu|Bộ|đăng nhập|Lưu|Trường|Trước|Sau|Có|Không)"
)


def _more_actions(database: Database) -> None:
    """The entries of the ministry's receipt and certificate, as the core writes them
    (services.receipts), and an action this version does not tell."""
    with database.session() as session:
        audit.record(
            session,
            "lan",
            "receipt",
            kind="package",
            entity_id="pkg-2023-1",
            period="2023",
            summary="the ministry's receipt of 2023 v1: accepted, review has_issues",
            after={
                "file": "bien-nhan.json",
                "sha256": "CD" * 32,
                "version": 1,
                "verdict": "accepted",
                "review_state": "has_issues",
                "comment": "Bổ sung minh chứng",
                "records": 2,
                "failed_checks": [],
                "issued_at": "2024-01-20T09:30:00",
                "signer_fingerprint": "EF" * 32,
            },
        )
        audit.record(
            session,
            "lan",
            "ministry_certificate",
            kind="profile",
            entity_id=1,
            summary="the ministry's certificate: Bộ Văn hóa (SHA-256 AB)",
            after={
                "holder": "Bộ Văn hóa, Thể thao và Du lịch",
                "subject": "CN=Bộ Văn hóa, Thể thao và Du lịch",
                "fingerprint": "AB" * 32,
                "valid_from": "2024-01-01",
                "valid_to": "2027-01-01",
            },
        )
        audit.record(session, "lan", "catalog", summary="catalog 2025.2 installed")


def _visible_texts(page: AuditPage) -> list[str]:
    """Every text the page shows of every entry: columns, tooltips, details, its title."""
    model = page.model
    texts: list[str] = []
    for row in range(model.rowCount()):
        for column in (2, 3, 5, 6):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(model.index(row, column), role)
                if value:
                    texts.append(str(value))
        page.table.selectRow(row)
        texts.append(page.details_title.text())
        if not page.details_stored.isHidden():
            texts.append(page.details_stored.text())
        details = page.details
        for r in range(details.rowCount()):
            texts.append(details.item(r, 0).text())
            for c in (1, 2):  # values: no data here is English, codes show their names
                item = details.item(r, c)
                if item is not None and details.item(r, 0).text() != "Tệp":
                    texts.append(item.text())
    return texts


def test_no_english_on_the_vietnamese_audit_page(vietnamese, database, make_page, worked):
    _more_actions(database)
    page = make_page("vi")
    page.apply_params({"action": None})
    assert page.model.rowCount() >= 25
    found = {
        text: ENGLISH_WORDS.findall(text)
        for text in _visible_texts(page)
        if ENGLISH_WORDS.search(text)
    }
    assert found == {}
    model = page.model
    summaries = {model.entry(row)["action"]: model.summary(row) for row in range(model.rowCount())}
    assert summaries["receipt"] == (
        "Nhập biên nhận của Bộ về kỳ báo cáo 2023, phiên bản 1: chấp nhận; "
        "kết quả thẩm định: có nội dung cần sửa; ý kiến về 2 bản ghi"
    )
    assert summaries["ministry_certificate"] == (
        "Đặt chứng thư số của Bộ: Bộ Văn hóa, Thể thao và Du lịch"
    )
    assert summaries["catalog"] == "Cài danh mục"


def test_no_vietnamese_words_on_the_english_audit_page(database, make_page, worked):
    _more_actions(database)
    page = make_page("en")
    model = page.model
    assert model.rowCount() >= 25
    found = []
    for row in range(model.rowCount()):
        entry = model.entry(row)
        if entry["action"] in ("profile", "ministry_certificate", "reopen", "delete", "create",
                               "update"):  # fmt: skip
            continue  # their summaries quote data: agency names, titles, reasons
        for column in (2, 3, 6):
            text = str(model.data(model.index(row, column)) or "")
            if VIETNAMESE_WORDS.search(text):
                found.append(text)
    assert found == []
    summaries = {model.entry(row)["action"]: model.summary(row) for row in range(model.rowCount())}
    assert summaries["receipt"] == (
        "Imported the ministry's receipt of period 2023, version 1: accepted; "
        "review: has issues to fix; comments on 2 records"
    )
