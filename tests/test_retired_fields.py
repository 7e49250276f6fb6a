"""Fields a kind no longer has: a criterion assessment's funding source and cost, a cluster's
cost (its money is its investment). New records are stored without them; records, packages and
workbooks made before still open, list, export, verify, import and reach the ministry."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from package_kit import (
    APPROVER,
    PASSPHRASE,
    RECORDS_JSON,
    edit_records,
    rehash,
    sign,
    write_zip,
    zip_members,
)
from sqlalchemy import text

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.db.models import Activity
from ctmt_desktop.kinds import FieldType, kind_spec
from ctmt_desktop.ministry import intake
from ctmt_desktop.ministry.figures import province_figures
from ctmt_desktop.ministry.records import NationalRecordQuery, list_national_records
from ctmt_desktop.ministry.registry import register_signer
from ctmt_desktop.ministry.store import init_store, open_store
from ctmt_desktop.package import build, verify
from ctmt_desktop.package.build import build_package
from ctmt_desktop.reports.figures import build_period_report
from ctmt_desktop.services import approval
from ctmt_desktop.services.indicators import parse_scope
from ctmt_desktop.services.listing import RecordQuery, list_rows, sortable_fields
from ctmt_desktop.services.records import add_record, get_record, record_context, update_record
from ctmt_desktop.signing import identity
from ctmt_desktop.spreadsheets.export import export_records
from ctmt_desktop.spreadsheets.importer import import_workbook
from ctmt_desktop.spreadsheets.layout import FIRST_DATA_ROW, HEADER_ROW, KEY_ROW, SHEET_NAMES
from ctmt_desktop.spreadsheets.templates import write_template

PROVINCE = "44"
LAO_BAO = "19432"
CRITERION = {
    "program": "NTM21.TC8",
    "title": "Đánh giá tiêu chí 8 xã Lao Bảo",
    "places": [LAO_BAO],
    "year": 2024,
    "criterion_set": "QD318_TC8",
    "indicators": {"8.1": True, "8.2": True, "8.3": True, "8.4": True},
}
CLUSTER = {
    "program": "GNBV21.DA6.TDA1.ND2",
    "title": "Cụm thông tin điện tử công cộng cửa khẩu Lao Bảo",
    "start_date": "2024-03-01",
    "places": [LAO_BAO],
    "funding_source": "NSTW",
    "cluster_type": "border_gate",
    "border_gate": "Cửa khẩu quốc tế Lao Bảo",
    "cluster_status": "operating",
    "year_in_service": 2024,
    "investment": 1_500_000_000,
}
#: What a package made before the fields were retired carried, by kind.
LEGACY = {"criterion": {"funding_source": "NSDP", "cost": 0}, "cluster": {"cost": 150_000_000}}


def _add(database: Database, kind: str, data: dict[str, Any]) -> int:
    with database.session() as session:
        context = record_context(session, database.path, user="lan")
        return add_record(session, context, kind, copy.deepcopy(data))


def _stored_activity(database: Database, record_id: int) -> tuple[str, int]:
    with database.session() as session:
        row = session.get(Activity, record_id)
        assert row is not None
        return row.funding_source, row.cost


def _as_older_versions_stored(database: Database, record_id: int, source: str, cost: int) -> None:
    """The columns as a version before the change left them."""
    with database.session() as session:
        session.execute(
            text("UPDATE activity SET funding_source = :source, cost = :cost WHERE id = :id"),
            {"source": source, "cost": cost, "id": record_id},
        )


# --- the kinds -----------------------------------------------------------------------------------
def test_the_kinds_leave_out_what_makes_no_sense_for_them() -> None:
    criterion, cluster = kind_spec("criterion"), kind_spec("cluster")
    assert "funding_source" not in criterion.field_names and "cost" not in criterion.field_names
    assert [f.name for f in cluster.fields if f.type is FieldType.MONEY] == ["investment"]
    assert "cost" not in sortable_fields("criterion") and "cost" not in sortable_fields("cluster")
    assert "funding_source" not in sortable_fields("criterion")
    assert {"cost", "funding_source"} <= set(sortable_fields("training"))


# --- the province's database ---------------------------------------------------------------------
def test_a_criterion_record_saves_without_funding_source_or_cost(database: Database) -> None:
    record_id = _add(database, "criterion", CRITERION)
    assert _stored_activity(database, record_id) == ("", 0)  # the columns' defaults
    with database.session() as session:
        stored = get_record(session, "criterion", record_id)
    assert "funding_source" not in stored and "cost" not in stored
    assert stored["met"] is True


def test_a_cluster_saves_its_investment_and_no_cost(database: Database) -> None:
    record_id = _add(database, "cluster", CLUSTER)
    assert _stored_activity(database, record_id) == ("NSTW", 0)
    with database.session() as session:
        stored = get_record(session, "cluster", record_id)
    assert stored["investment"] == 1_500_000_000 and "cost" not in stored


def test_records_stored_with_the_retired_values_still_read_list_export_and_save(
    database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    criterion = _add(database, "criterion", CRITERION)
    cluster = _add(database, "cluster", CLUSTER)
    _as_older_versions_stored(database, criterion, "NSDP", 7_000_000)
    _as_older_versions_stored(database, cluster, "NSTW", 150_000_000)
    with database.session() as session:
        for kind, record_id in (("criterion", criterion), ("cluster", cluster)):
            listed = list_rows(session, kind, RecordQuery())
            assert [row["id"] for row in listed] == [record_id]
            stored = get_record(session, kind, record_id)
            assert set(listed[0]) == set(stored)
            assert kind_spec(kind).retired_fields.isdisjoint(stored)
        assert get_record(session, "cluster", cluster)["investment"] == 1_500_000_000
        both = ["criterion", "cluster"]
        assert export_records(session, catalog, tmp_path / "all.xlsx", kinds=both).path.is_file()
        # Saved again (the retired values are sent along, as a listed record would be).
        context = record_context(session, database.path, user="lan")
        again = {**get_record(session, "cluster", cluster), "cost": 150_000_000, "notes": "x"}
        update_record(session, context, "cluster", cluster, again, allow_duplicate=True)
        assert get_record(session, "cluster", cluster)["investment"] == 1_500_000_000
    book = openpyxl.load_workbook(tmp_path / "all.xlsx")
    for kind in ("criterion", "cluster"):
        keys = [cell.value for cell in book[SHEET_NAMES[kind]][KEY_ROW]]
        assert "cost" not in keys and (kind != "criterion" or "funding_source" not in keys)
    assert _stored_activity(database, cluster) == ("NSTW", 150_000_000)  # kept, unread


def test_the_period_report_shows_a_clusters_investment_apart_from_the_cost(
    database: Database, catalog: Catalog
) -> None:
    record_id = _add(database, "cluster", CLUSTER)
    _as_older_versions_stored(database, record_id, "NSTW", 150_000_000)
    _add(database, "criterion", CRITERION)
    with database.session() as session:
        report = build_period_report(session, catalog, scope="2024")
    [table] = [t for t in report.tables() if t.kind == "cluster" and not t.key.startswith("annex")]
    assert [c.key for c in table.columns if c.kind == "money"] == ["investment"]
    assert table.totals["investment"] == 1_500_000_000
    summary = " ".join(report.sections[0].text)
    # The old cost of the cluster is no longer read; the investment is named, not added in.
    assert "Tổng kinh phí thực hiện các hoạt động: 0 ₫" in summary
    assert "vốn đầu tư cụm thông tin: 1.500.000.000 ₫" in summary


# --- spreadsheets --------------------------------------------------------------------------------
def _template(kind: str, catalog: Catalog, path: Path) -> tuple[Any, Any, list[Any], list[Any]]:
    write_template(kind, path, catalog, province=PROVINCE)
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET_NAMES[kind]]
    keys = [cell.value for cell in sheet[KEY_ROW]]
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    return book, sheet, keys, headers


def test_the_criterion_template_has_no_funding_source_or_cost_column(
    catalog: Catalog, tmp_path: Path
) -> None:
    _, _, keys, headers = _template("criterion", catalog, tmp_path / "criterion.xlsx")
    assert "funding_source" not in keys and "cost" not in keys
    assert not any(str(h).startswith(("Nguồn vốn", "Kinh phí")) for h in headers)
    _, _, keys, headers = _template("cluster", catalog, tmp_path / "cluster.xlsx")
    assert "investment" in keys and "cost" not in keys
    assert not any(str(h).startswith("Kinh phí") for h in headers)


@pytest.mark.parametrize("kind", ["criterion", "cluster"])
def test_an_older_workbook_with_the_retired_columns_imports(
    kind: str, database: Database, catalog: Catalog, tmp_path: Path
) -> None:
    """The template as an older version wrote it: the retired columns after the kind's own
    (key row and header), filled in; they are left out, the rest imports."""
    path = tmp_path / f"{kind}.xlsx"
    book, sheet, keys, _ = _template(kind, catalog, path)
    legacy = {
        "funding_source": ("Nguồn vốn (*)", "Ngân sách địa phương"),
        "cost": ("Kinh phí (đồng)", 12_000_000),
    }
    column = len(keys) + 1
    for name in sorted(kind_spec(kind).retired_fields):
        header, value = legacy[name]
        sheet.cell(row=KEY_ROW, column=column, value=name)
        sheet.cell(row=HEADER_ROW, column=column, value=header)
        sheet.cell(row=FIRST_DATA_ROW, column=column, value=value)
        column += 1
    sheet.cell(row=FIRST_DATA_ROW, column=1, value=1)  # the example row, numbered: a record
    book.save(path)
    with database.session() as session:
        context = record_context(session, database.path, user="lan")
        result = import_workbook(session, context, path, kind)
    assert result.counts == {kind: 1}
    [sheet_result] = result.sheets
    [record] = sheet_result.records
    assert kind_spec(kind).retired_fields.isdisjoint(record)


# --- packages and the ministry -------------------------------------------------------------------
@pytest.fixture
def older_package(database: Database, catalog: Catalog, tmp_path: Path) -> tuple[Path, Any]:
    """A package of 2024 whose criterion and cluster records carry the retired fields, as a
    version before the change wrote them, signed by the department (and its certificate)."""
    return _package_with(database, catalog, tmp_path, LEGACY)


def _package_with(
    database: Database, catalog: Catalog, tmp_path: Path, retired: dict[str, dict[str, Any]]
) -> tuple[Path, Any]:
    """A signed package of 2024 with a criterion and a cluster record, the ``retired``
    values of each kind written into its records (and the package hashed and signed again)."""
    _add(database, "criterion", CRITERION)
    _add(database, "cluster", CLUSTER)
    p12 = tmp_path / "so.p12"
    cert = identity.create_self_issued("Sở VHTTDL Quảng Trị", p12, PASSPHRASE, key_type="ec")
    signer = identity.pkcs12_signer(p12, PASSPHRASE)
    with database.session() as session:
        approval.approve_period(session, APPROVER, "2024", confirm_drafts=True)
        made = build_package(
            session, APPROVER, "2024", signer, tmp_path / "new.zip", db_path=database.path,
            catalog=catalog,
        )  # fmt: skip
    members = zip_members(made.path.read_bytes())

    def older(document: dict[str, Any]) -> None:
        for record in document["records"]:
            record.update(retired.get(record["kind"], {}))

    edit_records(members, older)
    rehash(members)
    sign(members, signer, signing_time=datetime.now().astimezone())
    path = tmp_path / "QuangTri_2024_v1.zip"
    path.write_bytes(write_zip(members))
    return path, cert


def test_a_new_package_carries_no_retired_field(
    older_package: tuple[Path, Any], tmp_path: Path
) -> None:
    document = json.loads(zip_members((tmp_path / "new.zip").read_bytes())[RECORDS_JSON])
    kinds = {record["kind"]: record for record in document["records"]}
    assert set(kinds) == {"criterion", "cluster"}
    for kind, record in kinds.items():
        assert kind_spec(kind).retired_fields.isdisjoint(record), kind
    assert build.schema_problems(document) == []


def test_an_older_package_with_the_retired_fields_verifies(
    older_package: tuple[Path, Any], catalog: Catalog
) -> None:
    path, cert = older_package
    document = json.loads(zip_members(path.read_bytes())[RECORDS_JSON])
    criterion = next(r for r in document["records"] if r["kind"] == "criterion")
    assert criterion["funding_source"] == "NSDP" and criterion["cost"] == 0
    assert build.schema_problems(document) == []
    report = verify.verify_package(path, registered=[cert], catalog=catalog)
    assert report.ok, "\n".join(report.lines())


def test_the_ministry_receives_an_older_package(
    older_package: tuple[Path, Any], catalog: Catalog, tmp_path: Path
) -> None:
    path, cert = older_package
    store = open_store(f"sqlite:///{(tmp_path / 'store.sqlite3').as_posix()}")
    try:
        init_store(store, "Bộ Văn hóa, Thể thao và Du lịch", user="test")
        with store.session() as session:
            register_signer(
                session, catalog, province=PROVINCE, certificate=cert,
                fingerprint=identity.fingerprint_sha256(cert), user="test",
            )  # fmt: skip
        [result] = intake.receive(store, [path], user="test", catalog=catalog)
        assert result.verdict == intake.ACCEPTED, result.reasons
        with store.session() as session:
            # As received in the store; listed without the retired fields.
            kept = intake.submission_records(session, result.submission_id or 0)
            assert next(r for r in kept if r["kind"] == "cluster")["cost"] == 150_000_000
            for kind in ("criterion", "cluster"):
                [listed] = list_national_records(session, NationalRecordQuery(kind))
                assert kind_spec(kind).retired_fields.isdisjoint(listed), kind
            figures = province_figures(session, catalog, PROVINCE, parse_scope("2024"))
            assert figures.counts["criterion"] == 1 and figures.counts["cluster"] == 1
    finally:
        store.close()


@pytest.mark.parametrize(
    "retired",
    [
        {"criterion": {"funding_source": "x" * 100_000, "cost": 0}},
        {"criterion": {"funding_source": {"nested": ["object"]}}},
        {"criterion": {"cost": -1}},
        {"cluster": {"cost": 10**30}},
        {"cluster": {"cost": "150000000"}},
    ],
    ids=["long-code", "object", "negative", "huge", "text"],
)
def test_a_crafted_value_in_a_retired_field_is_refused_by_the_schema(
    database: Database, catalog: Catalog, tmp_path: Path, retired: dict[str, dict[str, Any]]
) -> None:
    """Accepted and dropped by the core's rules, a retired field is still bounded by the
    package schema: a crafted value is refused there, naming the check, never stored."""
    path, cert = _package_with(database, catalog, tmp_path, retired)
    report = verify.verify_package(path, registered=[cert], catalog=catalog)
    assert not report.ok
    assert [check.name for check in report.failed] == ["schema"], report.lines()
