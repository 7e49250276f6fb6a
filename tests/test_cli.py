"""The ``ctmt`` command line: exit codes, one stderr line per problem, and round trips
between ``list --format json`` and ``add``."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.cli import main
from ctmt_desktop.kinds import KINDS
from ctmt_desktop.schema import record_schema

MakeRecord = Callable[..., dict[str, Any]]
AGENCY = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "ctmt.sqlite3"


@pytest.fixture
def ready_db(db: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database initialised for province 44 through the command line."""
    assert main(["init", "--db", str(db), "--province", "44", "--agency", AGENCY]) == 0
    capsys.readouterr()
    return db


def write_json(path: Path, payload: Any) -> Path:
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys: pytest.CaptureFixture[str], db: Path, kind: str, *extra: str) -> list[dict]:
    code, out, err = run(capsys, "list", kind, "--db", str(db), "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def rows(path: Path, sql: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


def add_json(
    capsys: pytest.CaptureFixture[str],
    db: Path,
    kind: str,
    payload: Any,
    tmp_path: Path,
    *extra: str,
) -> tuple[int, str, str]:
    source = write_json(tmp_path / f"{kind}-input.json", payload)
    return run(capsys, "add", kind, "--db", str(db), "--json", str(source), *extra)


# --- init -------------------------------------------------------------------------------------
def test_init_creates_a_database_for_the_agency(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "init", "--db", str(db), "--province", "44", "--agency", AGENCY)
    assert code == 0, err
    assert db.is_file()
    assert "Created" in out and "Quảng Trị" in out
    assert rows(db, "SELECT name, province_code FROM agency_profile") == [(AGENCY, "44")]


def test_running_init_again_changes_nothing(
    ready_db: Path, make_record: MakeRecord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add_json(capsys, ready_db, "training", make_record("training"), tmp_path)[0] == 0
    profile = rows(ready_db, "SELECT * FROM agency_profile")
    activities = rows(ready_db, "SELECT * FROM activity")

    code, out, err = run(
        capsys, "init", "--db", str(ready_db), "--province", "44", "--agency", AGENCY
    )

    assert code == 0, err
    assert "nothing else changed" in out
    assert rows(ready_db, "SELECT * FROM agency_profile") == profile
    assert rows(ready_db, "SELECT * FROM activity") == activities


def test_init_with_another_agency_name_keeps_the_first(
    ready_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "init",
        "--db",
        str(ready_db),
        "--province",
        "044",
        "--agency",
        "Sở Thông tin và Truyền thông",
    )
    assert code == 0
    assert "left unchanged" in err
    assert rows(ready_db, "SELECT name FROM agency_profile") == [(AGENCY,)]


def test_init_with_another_province_on_the_same_database_is_rejected(
    ready_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "init", "--db", str(ready_db), "--province", "11", "--agency", AGENCY
    )
    assert code == 1
    assert err.startswith("province:")
    assert "44" in err and "11" in err
    assert rows(ready_db, "SELECT province_code FROM agency_profile") == [("44",)]


@pytest.mark.parametrize("province", ["99", "old:45", "19432"])
def test_init_with_an_unknown_province_creates_no_file(
    province: str, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "init", "--db", str(db), "--province", province, "--agency", AGENCY)
    assert code == 1
    assert "province" in err and province in err
    assert not db.exists()


# --- add --------------------------------------------------------------------------------------
def test_add_one_record_from_a_json_object(
    ready_db: Path, make_record: MakeRecord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = add_json(capsys, ready_db, "training", make_record("training"), tmp_path)
    assert code == 0, err
    assert out.startswith("Added 1 training record(s)")
    [record] = listed(capsys, ready_db, "training")
    assert record["title"] == make_record("training")["title"]


def test_add_a_list_of_records(
    ready_db: Path, make_record: MakeRecord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = [
        make_record("event"),
        make_record("event", title="Tọa đàm về giảm nghèo", event_type="talk"),
    ]
    code, out, err = add_json(capsys, ready_db, "event", items, tmp_path)
    assert code == 0, err
    assert out.startswith("Added 2 event record(s)")
    assert len(listed(capsys, ready_db, "event")) == 2


def test_add_from_standard_input(
    ready_db: Path,
    make_record: MakeRecord,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(make_record("device"))))
    code, _, err = run(capsys, "add", "device", "--db", str(ready_db), "--json", "-")
    assert code == 0, err
    assert len(listed(capsys, ready_db, "device")) == 1


def test_bad_json_is_rejected_naming_the_file(
    ready_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "lop-tap-huan.json"
    source.write_text('{"title": "Tập huấn",', encoding="utf-8")
    code, _, err = run(capsys, "add", "training", "--db", str(ready_db), "--json", str(source))
    assert code == 1
    assert str(source) in err and "invalid JSON" in err
    assert listed(capsys, ready_db, "training") == []


def test_missing_json_file_is_rejected_naming_it(
    ready_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "khong-co.json"
    code, _, err = run(capsys, "add", "training", "--db", str(ready_db), "--json", str(source))
    assert code == 1
    assert str(source) in err


def test_list_with_one_bad_record_adds_nothing_and_prints_each_problem(
    ready_db: Path, make_record: MakeRecord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = make_record("training", title="Lớp 2", days=9, participants=60, participants_female=61)
    items = [make_record("training"), bad, make_record("training", title="Lớp 3")]

    code, out, err = add_json(capsys, ready_db, "training", items, tmp_path)

    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert all(line.startswith("record 2: ") for line in lines)
    assert any("days:" in line for line in lines)
    assert any("participants_female:" in line for line in lines)
    assert listed(capsys, ready_db, "training") == []


def test_likely_duplicate_is_refused_with_the_hint_that_allow_duplicate_overrides(
    ready_db: Path, make_record: MakeRecord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = make_record("radio")
    assert add_json(capsys, ready_db, "radio", record, tmp_path)[0] == 0

    code, out, err = add_json(capsys, ready_db, "radio", record, tmp_path)
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith("title: looks like a duplicate of record #1")
    assert line.endswith("refused: use --allow-duplicate to add it anyway")
    assert "warning" not in err.lower()
    assert len(listed(capsys, ready_db, "radio")) == 1

    code, _, err = add_json(capsys, ready_db, "radio", record, tmp_path, "--allow-duplicate")
    assert code == 0, err
    assert len(listed(capsys, ready_db, "radio")) == 2


def test_empty_list_is_rejected(
    ready_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = add_json(capsys, ready_db, "training", [], tmp_path)
    assert code == 1 and "nothing to add" in err


def test_add_to_a_database_that_does_not_exist_is_rejected(
    db: Path, make_record: MakeRecord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = add_json(capsys, db, "training", make_record("training"), tmp_path)
    assert code == 1
    assert str(db) in err and "ctmt init" in err
    assert not db.exists()


def test_add_records_who_entered_them(
    ready_db: Path, make_record: MakeRecord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_json(capsys, ready_db, "media", make_record("media"), tmp_path, "--user", "nguyen.van.a")
    [record] = listed(capsys, ready_db, "media")
    assert record["created_by"] == record["updated_by"] == "nguyen.van.a"


# --- list -------------------------------------------------------------------------------------
@pytest.fixture
def three_trainings(
    ready_db: Path, make_record: MakeRecord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Path:
    items = [
        make_record(
            "training", title="Tập huấn tại Đức Phổ", start_date="2024-02-01", end_date=None
        ),
        make_record(
            "training",
            title="Bồi dưỡng cán bộ truyền thanh",
            start_date="2024-09-01",
            end_date=None,
        ),
        make_record("training", title="Ánh sáng vùng biên", start_date="2023-06-01", end_date=None),
    ]
    code, _, err = add_json(capsys, ready_db, "training", items, tmp_path)
    assert code == 0, err
    return ready_db


def test_json_listing_has_the_id_and_every_field(
    three_trainings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = listed(capsys, three_trainings, "training")
    assert len(records) == 3
    for record in records:
        assert isinstance(record["id"], int)
        assert set(KINDS["training"].field_names) <= set(record)
    assert [r["start_date"] for r in records] == ["2023-06-01", "2024-02-01", "2024-09-01"]


@pytest.mark.parametrize("keep_id", [False, True])
def test_listed_record_edited_can_be_added_back(
    keep_id: bool, three_trainings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = listed(capsys, three_trainings, "training")[0]
    original_id = record["id"]
    record["title"] = "Ánh sáng vùng biên (lớp 2)"
    if not keep_id:
        del record["id"]

    code, _, err = add_json(capsys, three_trainings, "training", record, tmp_path)

    assert code == 0, err
    records = listed(capsys, three_trainings, "training")
    assert len(records) == 4
    [copy] = [r for r in records if r["title"] == "Ánh sáng vùng biên (lớp 2)"]
    assert copy["id"] != original_id
    for name in KINDS["training"].field_names:
        if name != "title":
            assert copy[name] == record[name], name


def test_whole_json_listing_added_back_is_all_duplicates(
    three_trainings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = listed(capsys, three_trainings, "training")
    code, _, err = add_json(capsys, three_trainings, "training", records, tmp_path)
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 3
    assert all("refused: use --allow-duplicate" in line for line in lines)
    assert all(line.startswith(f"record {n}: title: ") for n, line in enumerate(lines, 1))


def test_csv_listing_has_a_header_of_field_names_and_one_row_per_record(
    three_trainings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "list",
        "training",
        "--db",
        str(three_trainings),
        "--format",
        "csv",
        "--sort",
        "title",
    )
    assert code == 0, err
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["id", *KINDS["training"].field_names]
    body = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert [r["title"] for r in body] == [
        "Ánh sáng vùng biên",
        "Bồi dưỡng cán bộ truyền thanh",
        "Tập huấn tại Đức Phổ",
    ]
    assert body[0]["start_date"] == "01/06/2023"
    assert body[0]["places"] == "19432"


def test_table_listing_shows_titles_and_a_count(
    three_trainings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "list", "training", "--db", str(three_trainings))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["ID", "Start", "Title"]
    assert "Tập huấn tại Đức Phổ" in out and "Xã Lao Bảo" in out
    assert lines[-1] == "3 record(s)"


def test_search_ignores_diacritics(
    three_trainings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = listed(capsys, three_trainings, "training", "--search", "duc pho")
    assert [r["title"] for r in found] == ["Tập huấn tại Đức Phổ"]


def test_period_keeps_records_starting_in_it(
    three_trainings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = listed(capsys, three_trainings, "training", "--period", "2024-H1")
    assert [r["title"] for r in found] == ["Tập huấn tại Đức Phổ"]


def test_bad_period_is_rejected(three_trainings: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "list", "training", "--db", str(three_trainings), "--period", "2024-H3"
    )
    assert code == 1 and out == ""
    assert err.startswith("period: ") and "2024-H3" in err


def test_descending_sort_and_limit(
    three_trainings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = listed(
        capsys, three_trainings, "training", "--sort", "title", "--descending", "--limit", "2"
    )
    assert [r["title"] for r in found] == ["Tập huấn tại Đức Phổ", "Bồi dưỡng cán bộ truyền thanh"]


# --- show and delete --------------------------------------------------------------------------
def test_show_prints_one_record_as_json(
    three_trainings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = listed(capsys, three_trainings, "training")[0]
    code, out, err = run(capsys, "show", "training", str(first["id"]), "--db", str(three_trainings))
    assert code == 0, err
    # The record as listed, with the ministry's comments on it (none: no receipt came).
    assert json.loads(out) == {**first, "ministry_comments": []}


def test_delete_removes_the_record(
    three_trainings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = listed(capsys, three_trainings, "training")[0]
    code, out, err = run(
        capsys, "delete", "training", str(first["id"]), "--db", str(three_trainings)
    )
    assert code == 0, err
    assert f"Deleted training record {first['id']}" in out
    assert first["id"] not in [r["id"] for r in listed(capsys, three_trainings, "training")]
    code, _, err = run(capsys, "show", "training", str(first["id"]), "--db", str(three_trainings))
    assert code == 1 and str(first["id"]) in err


@pytest.mark.parametrize("command", ["show", "delete"])
def test_missing_id_is_rejected(
    command: str, three_trainings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, command, "training", "999", "--db", str(three_trainings))
    assert code == 1 and out == ""
    assert "no training record with id 999" in err
    assert len(listed(capsys, three_trainings, "training")) == 3


# --- schema -----------------------------------------------------------------------------------
def test_schema_of_training_is_json_with_required_fields_and_no_extras(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "schema", "training")
    assert code == 0, err
    schema = json.loads(out)
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {
        "program",
        "title",
        "start_date",
        "places",
        "funding_source",
        "days",
        "participants",
    }
    assert set(KINDS["training"].field_names) <= set(schema["properties"])
    assert "GNBV21.DA6.TDA1.ND1" in schema["properties"]["program"]["enum"]


def test_schema_of_a_year_based_kind_does_not_require_a_start_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "schema", "funding")
    assert code == 0
    required = json.loads(out)["required"]
    assert "year" in required and "start_date" not in required


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


def test_every_value_of_a_listed_record_has_a_type_its_schema_allows(
    three_trainings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A listed record is valid input for 'add', so the published schema must accept it too;
    # this checks the JSON types without needing the jsonschema package.
    schema = record_schema("training", load_catalog())
    record = listed(capsys, three_trainings, "training")[0]
    wrong = []
    for name, value in record.items():
        declared = schema["properties"][name].get("type")
        if declared is None:
            continue
        allowed = [declared] if isinstance(declared, str) else declared
        if not any(isinstance(value, _JSON_TYPES[t]) for t in allowed):
            wrong.append(f"{name}={value!r} (schema: {declared})")
    assert wrong == []


def test_listed_record_validates_against_the_schema(
    three_trainings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    code, out, _ = run(capsys, "schema", "training")
    assert code == 0
    schema = json.loads(out)
    record = listed(capsys, three_trainings, "training")[0]
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(record)


# --- catalog ----------------------------------------------------------------------------------
def test_catalog_show_reports_version_and_unit_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "catalog", "show")
    assert code == 0, err
    assert f"Catalog version {load_catalog().version}" in out
    assert "34 provinces, 3321 communes" in out
    assert "10035 communes" in out


def test_catalog_install_of_an_older_file_is_rejected_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    from ctmt_desktop.signing.cms import sign_cms
    from ctmt_desktop.signing.identity import create_self_issued, pkcs12_signer

    data = json.loads(load_catalog().origin.read_text(encoding="utf-8"))
    data["version"] = "2000.1.1"
    plain = write_json(tmp_path / "cu.json", data)
    code, _, err = run(capsys, "catalog", "install", str(plain))
    assert code == 1
    assert str(plain) in err and "an unsigned catalog" in err
    # Signed by the ministry (tests/test_catalog_signing.py tries the other refusals).
    certificate = create_self_issued("Bộ VHTTDL", tmp_path / "bo.p12", "mat-khau-bo", key_type="ec")
    pem = tmp_path / "bo.pem"
    pem.write_bytes(certificate.public_bytes(Encoding.PEM))
    signer = pkcs12_signer(tmp_path / "bo.p12", "mat-khau-bo")
    source = tmp_path / "cu.json.p7m"
    source.write_bytes(sign_cms(signer, plain.read_bytes(), detached=False))
    code, _, err = run(capsys, "catalog", "install", str(source), "--ministry-cert", str(pem))
    assert code == 1
    assert str(source) in err and "not newer" in err


# --- usage errors -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ["list", "meeting"],
        ["schema", "seminar"],
        ["add", "training"],
        ["show", "training", "abc"],
        ["init", "--province", "44"],
        [],
    ],
    ids=[
        "unknown kind",
        "unknown kind for schema",
        "missing --json",
        "id not a number",
        "missing --agency",
        "no command",
    ],
)
def test_usage_error_exits_with_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "usage: ctmt" in capsys.readouterr().err


def test_unknown_sort_field_is_a_usage_error(
    three_trainings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "list", "training", "--db", str(three_trainings), "--sort", "hamlets"
    )
    assert code == 2 and out == ""
    assert "--sort" in err and "participants" in err


# --- JSON with a byte order mark, output into a closed pipe ------------------------------------
def test_json_with_a_utf8_byte_order_mark_is_read_from_a_file_and_standard_input(
    ready_db: Path,
    make_record: MakeRecord,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Notepad and PowerShell's Out-File write UTF-8 with a BOM.
    text = json.dumps(make_record("device"), ensure_ascii=False)
    source = tmp_path / "thiet-bi.json"
    source.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, _, err = run(capsys, "add", "device", "--db", str(ready_db), "--json", str(source))
    assert code == 0, err
    # Standard input as bytes (a pipe) ...
    stdin = io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbf" + text.encode("utf-8")))
    monkeypatch.setattr("sys.stdin", stdin)
    code, _, err = run(
        capsys, "add", "device", "--db", str(ready_db), "--json", "-", "--allow-duplicate"
    )
    assert code == 0, err
    # ... and as text already decoded with the BOM kept.
    monkeypatch.setattr("sys.stdin", io.StringIO("\ufeff" + text))
    code, _, err = run(
        capsys, "add", "device", "--db", str(ready_db), "--json", "-", "--allow-duplicate"
    )
    assert code == 0, err
    assert len(listed(capsys, ready_db, "device")) == 3


def _into_a_closed_pipe(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run ``ctmt ARGV`` with its output going into a pipe nobody reads (``| head`` gone)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run(
            [sys.executable, "-m", "ctmt_desktop.cli", *argv],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(writer)


def test_output_into_a_closed_pipe_stops_quietly_without_a_traceback(
    ready_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--db", str(ready_db), "--records", "400"]) == 0
    capsys.readouterr()
    for argv in (
        ["list", "training", "--db", str(ready_db)],  # more than a pipe's buffer
        ["list", "media", "--db", str(ready_db), "--format", "json"],
        ["list", "funding", "--db", str(ready_db), "--limit", "1"],  # a few lines
        ["catalog", "show"],
        ["schema", "training"],
    ):
        result = _into_a_closed_pipe(*argv)
        assert (result.returncode, result.stderr) == (0, ""), argv


# --- usage errors name their command; add prints a count and the ids ---------------------------
@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["list", "training", "--sort", "hamlets"], "list"),
        (["demo", "--records", "3"], "demo"),
        (["template", "media", "--out", "mau.pdf"], "template"),
        (["report", "--period", "2024", "--form", "list", "--out", "ds.pdf"], "report"),
    ],
    ids=["list --sort", "demo --records", "template --out", "report --form list"],
)
def test_a_usage_error_found_by_a_command_prints_that_commands_usage(
    argv: list[str], command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    usage, error = err.splitlines()[0], err.splitlines()[-1]
    assert usage.startswith(f"usage: ctmt {command} ")
    assert error.startswith(f"ctmt {command}: error: ")


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["add", "training"], "add"),
        (["catalog", "install"], "catalog install"),
        (["identity", "create", "--out", "x.p12"], "identity create"),
        (["list", "meeting"], "list"),
        (["list", "training", "--colour", "red"], "list"),
    ],
)
def test_an_argument_error_prints_the_usage_of_its_subcommand(
    argv: list[str], command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: ctmt {command} ")
    assert f"ctmt {command}: error: " in err


def test_add_prints_the_count_and_the_range_of_ids(
    ready_db: Path, make_record: MakeRecord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = [make_record("media", title=f"Tờ gấp số {n}") for n in range(1, 251)]
    code, out, err = add_json(capsys, ready_db, "media", items, tmp_path)
    assert code == 0, err
    assert out == "Added 250 media record(s), ids 1-250\n"
    code, out, err = add_json(capsys, ready_db, "media", make_record("media"), tmp_path)
    assert code == 0, err
    assert out == "Added 1 media record(s), id 251\n"
    from ctmt_desktop.cli.records import id_ranges

    assert id_ranges([12, 9, 10, 11, 20, 22, 23]) == "9-12, 20, 22-23"


def test_demo_into_a_database_with_records_is_refused_unless_append(
    ready_db: Path, make_record: MakeRecord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add_json(capsys, ready_db, "training", make_record("training"), tmp_path)[0] == 0
    code, out, err = run(capsys, "demo", "--db", str(ready_db), "--records", "20")
    assert code == 1 and out == ""
    assert str(ready_db) in err and "1 record(s)" in err and "--append" in err
    assert rows(ready_db, "SELECT COUNT(*) FROM activity") == [(1,)]
    code, out, err = run(capsys, "demo", "--db", str(ready_db), "--records", "20", "--append")
    assert code == 0, err
    assert out.startswith("Added 20 demo records")
    assert rows(ready_db, "SELECT COUNT(*) FROM activity") == [(21,)]
    # A second demo run is refused the same way: the demo's own records count.
    assert run(capsys, "demo", "--db", str(ready_db), "--records", "20")[0] == 1
