"""``ctmt`` speaks the interface language: Vietnamese by default, ``--lang en`` or the language
saved in the window's Settings; its catalog has the Vietnamese of every message, and the
common errors leave no line in English (nor half in English) in Vietnamese."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from ctmt_desktop.cli import main
from ctmt_desktop.cli.messages import VI, language_option, saved_language, settings_file
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.spreadsheets.layout import FIRST_DATA_ROW, KEY_ROW, SHEET_NAMES

CLI = Path(__file__).resolve().parent.parent / "ctmt_desktop" / "cli"
AGENCY = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"
MakeRecord = Callable[..., dict[str, Any]]


def _sources() -> dict[str, str]:
    """Every ``t("…")`` of the command line: its English text -> the module it is in."""
    found: dict[str, str] = {}
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.setdefault(first.value, path.name)
    return found


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)\}", text))


# --- the catalog ---------------------------------------------------------------------------------
def test_every_message_has_its_vietnamese_with_the_same_placeholders() -> None:
    sources = _sources()
    assert len(sources) > 150
    missing = sorted(f"{module}: {text}" for text, module in sources.items() if text not in VI)
    assert missing == []
    differ = [text for text in sources if _placeholders(text) != _placeholders(VI[text])]
    assert differ == []
    assert all(VI[text].strip() for text in sources)


# --- which language ------------------------------------------------------------------------------
def test_the_language_is_the_option_else_the_saved_one_else_vietnamese(
    _cli_settings_in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert settings_file() == _cli_settings_in_tmp
    assert saved_language() == "en"  # what the tests' settings say
    assert language_option(["list", "training", "--lang", "vi"]) == "vi"
    assert language_option(["--lang=en", "list"]) == "en"
    assert language_option(["list", "--", "--lang", "vi"]) is None

    def usage(*argv: str) -> str:
        with pytest.raises(SystemExit):
            main(list(argv))
        return capsys.readouterr().err

    assert usage("list").startswith("usage: ctmt list")  # saved: English
    assert usage("list", "--lang", "vi").startswith("cách dùng: ctmt list")  # after the command
    assert usage("--lang", "vi", "list").startswith("cách dùng: ctmt list")  # before it
    _cli_settings_in_tmp.write_text("[General]\nlanguage=vi\n", encoding="utf-8")
    assert usage("list").startswith("cách dùng: ctmt list")
    assert usage("--lang", "en", "list").startswith("usage: ctmt list")
    _cli_settings_in_tmp.unlink()  # nothing saved: Vietnamese
    assert usage("list").startswith("cách dùng: ctmt list")
    _cli_settings_in_tmp.write_text("not an ini file\x00", encoding="utf-8")
    assert usage("list").startswith("cách dùng: ctmt list")
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "list", "training"])
    assert "{vi,en}" in capsys.readouterr().err or "'fr'" in capsys.readouterr().err


def test_the_language_saved_by_the_window_is_read_from_its_own_settings_file(
    tmp_path: Path,
) -> None:
    # The window saves the language with QSettings (ui/i18n.py); the core reads that file
    # without Qt: same place and same format.
    config = tmp_path / "qt-config"
    script = (
        "from PySide6.QtCore import QCoreApplication;"
        "import ui;"
        "app = QCoreApplication([]);"
        "s = ui.app_settings(); s.setValue('language', 'en');"
        "s.setValue('geometry', b'\\x01\\x02'); s.sync(); print(s.fileName())"
    )
    env = {"XDG_CONFIG_HOME": str(config), "APPDATA": str(config), "HOME": str(tmp_path)}
    env["QT_QPA_PLATFORM"] = "offscreen"
    written = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**_base_env(), **env},
        cwd=CLI.parent.parent,
    ).stdout.strip()
    code = (
        "from ctmt_desktop.cli.messages import saved_language, settings_file;"
        "print(settings_file()); print(saved_language())"
    )
    read = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**_base_env(), **env},
        cwd=CLI.parent.parent,
    ).stdout.splitlines()
    assert read == [written, "en"]


def _base_env() -> dict[str, str]:
    import os

    own = ("XDG_CONFIG_HOME", "APPDATA", "CTMT_SETTINGS_FILE")
    return {k: v for k, v in os.environ.items() if k not in own}


# --- the common errors in both languages ---------------------------------------------------------
def _template(path: Path, row: dict[str, Any]) -> Path:
    assert main(["template", "training", "--out", str(path)]) == 0
    book = load_workbook(path)
    sheet = book[SHEET_NAMES["training"]]
    letters = {c.value: c.column_letter for c in sheet[KEY_ROW] if c.value}
    for cell in sheet[FIRST_DATA_ROW]:
        cell.value = None
    sheet[f"A{FIRST_DATA_ROW}"] = 1
    for name, value in row.items():
        sheet[f"{letters[name]}{FIRST_DATA_ROW}"] = value
    book.save(path)
    return path


@pytest.fixture
def world(
    tmp_path: Path, make_record: MakeRecord, capsys: pytest.CaptureFixture[str]
) -> dict[str, str]:
    """Files for the common errors: a database with a record, one with accounts, another
    province's backup, a workbook with a bad row, a text file named .xlsx, JSON files."""
    from datetime import datetime

    from ctmt_desktop.accounts import Actor, create_user
    from ctmt_desktop.db import open_database
    from ctmt_desktop.services import approval

    db = tmp_path / "qt.sqlite3"
    assert main(["init", "--db", str(db), "--province", "44", "--agency", AGENCY]) == 0
    record = tmp_path / "lop.json"
    record.write_text(json.dumps(make_record("training")), encoding="utf-8")
    assert main(["add", "training", "--db", str(db), "--json", str(record)]) == 0
    bad = make_record("training", title="Lớp 2", days=99, participants_female=70, places=["99999"])
    (tmp_path / "sai.json").write_text(json.dumps(bad), encoding="utf-8")
    (tmp_path / "hong.json").write_text('{"title": "Lớp",', encoding="utf-8")
    (tmp_path / "rong.json").write_text("[]", encoding="utf-8")
    locked = make_record("event", start_date="2023-02-10", title="Đối thoại quý I")
    (tmp_path / "khoa.json").write_text(json.dumps(locked), encoding="utf-8")
    frozen = make_record("event", start_date="2022-05-10", title="Đối thoại năm 2022")
    (tmp_path / "duyet.json").write_text(json.dumps(frozen), encoding="utf-8")
    database = open_database(db)
    try:
        with database.session() as session:  # 2022 approved: frozen; 2023-Q1 packaged
            actor = Actor("lanh.dao", "approver")
            approval.approve_period(session, actor, "2022", now=datetime(2023, 1, 5, 8, 0))
            approval.approve_period(session, actor, "2023-Q1")
            approval.record_package(
                session,
                actor,
                period="2023-Q1",
                version=1,
                supersedes=None,
                package_id="00000000-0000-4000-8000-000000000001",
                file_path="goi.zip",
                signer_fingerprint="ab" * 32,
                signer_subject="CN=Test",
                now=datetime(2023, 4, 2, 9, 30),
            )
    finally:
        database.close()
    accounts = tmp_path / "tk.sqlite3"
    assert main(["init", "--db", str(accounts), "--province", "44", "--agency", AGENCY]) == 0
    database = open_database(accounts)
    try:
        with database.session() as session:
            admin = create_user(session, "quantri", "mat-khau-quan-tri", role="admin").actor
            create_user(session, "nhaplieu", "mat-khau-nhap-lieu", role="entry", actor=admin)
    finally:
        database.close()
    hue = tmp_path / "hue.sqlite3"
    assert main(["init", "--db", str(hue), "--province", "46", "--agency", "Sở Văn hóa"]) == 0
    assert main(["backup", "--db", str(hue), "--out", str(tmp_path / "hue.zip")]) == 0
    row = {
        "program": "Đào tạo, bồi dưỡng nâng cao năng lực cán bộ làm công tác thông tin và "
        "truyền thông cơ sở",
        "title": "Lớp sai",
        "start_date": datetime(2024, 4, 2),
        "places": "Xã Lao Bảo (19432)",
        "funding_source": "Ngân sách trung ương",
        "days": 2,
        "form": "Trực tiếp",
        "participants": 40,
        "participants_female": 90,
    }
    _template(tmp_path / "sai.xlsx", row)
    (tmp_path / "van-ban.xlsx").write_text("tên,ngày\n", encoding="utf-8")
    (tmp_path / "ky-so.p12").write_bytes(b"key")
    capsys.readouterr()
    return {"dir": str(tmp_path), "db": str(db), "accounts": str(accounts)}


#: Common errors: (name, argv with {dir} and {db} to fill, exit code, an English snippet).
COMMON_ERRORS: list[tuple[str, list[str], int, str]] = [
    ("no command", [], 2, "the following arguments are required: COMMAND"),
    ("unknown kind", ["list", "meeting"], 2, "'meeting' is not a kind"),
    ("missing option", ["add", "training", "--db", "{db}"], 2, "arguments are required: --json"),
    ("unknown option", ["list", "training", "--colour"], 2, "unrecognized arguments: --colour"),
    ("bad choice", ["list", "training", "--format", "xml"], 2, "invalid choice: 'xml'"),
    ("not a number", ["show", "training", "abc", "--db", "{db}"], 2, "'abc' is not a whole"),
    ("sort field", ["list", "training", "--sort", "hamlets"], 2, "--sort: training records"),
    ("no database", ["list", "training", "--db", "{dir}/none.sqlite3"], 1, "no database file"),
    ("bad period", ["list", "training", "--db", "{db}", "--period", "2024-H3"], 1, "period: "),
    ("bad JSON", ["add", "training", "--db", "{db}", "--json", "{dir}/hong.json"], 1, "JSON"),
    ("empty JSON", ["add", "training", "--db", "{db}", "--json", "{dir}/rong.json"], 1, "empty"),
    ("no file", ["add", "training", "--db", "{db}", "--json", "{dir}/x.json"], 1, "cannot read"),
    ("invalid", ["add", "training", "--db", "{db}", "--json", "{dir}/sai.json"], 1, "days:"),
    ("duplicate", ["add", "training", "--db", "{db}", "--json", "{dir}/lop.json"], 1, "duplicate"),
    ("locked", ["add", "event", "--db", "{db}", "--json", "{dir}/khoa.json"], 1, "2023-Q1"),
    ("frozen", ["add", "event", "--db", "{db}", "--json", "{dir}/duyet.json"], 1, "approved by"),
    ("drafts", ["approve", "--db", "{db}", "--period", "2024"], 1, "are drafts"),
    ("no record", ["show", "training", "999", "--db", "{db}"], 1, "no training record"),
    ("delete none", ["delete", "media", "999", "--db", "{db}"], 1, "no media record"),
    ("demo", ["demo", "--db", "{db}", "--records", "20"], 1, "--append"),
    ("province", ["init", "--db", "{db}", "--province", "46", "--agency", "X"], 1, "belongs to"),
    ("sheet row", ["import-xlsx", "{dir}/sai.xlsx", "--db", "{db}", "--dry-run"], 1, "row 4"),
    ("not xlsx", ["import-xlsx", "{dir}/van-ban.xlsx", "--db", "{db}"], 1, "not an Excel"),
    ("foreign", ["restore", "{dir}/hue.zip", "--db", "{db}"], 1, "--force"),
    ("no backup", ["restore", "{dir}/sai.json", "--db", "{db}"], 1, "not a CTMT backup"),
    ("key exists", ["identity", "create", "--name", "A", "--out", "{dir}/ky-so.p12"], 1, "exists"),
    ("who", ["add", "training", "--db", "{accounts}", "--json", "{dir}/lop.json"], 1, "--user"),
    (
        "role",
        ["approve", "--db", "{accounts}", "--period", "2024", "--user", "nhaplieu"]
        + ["--password-env", "CTMT_ENTRY_PASSWORD"],
        1,
        "approver",
    ),
    (
        "password",
        ["delete", "training", "1", "--db", "{accounts}", "--user", "quantri"],
        1,
        "wrong user name or password",
    ),
    ("report out", ["report", "--db", "{db}", "--period", "2024", "--out", "x.doc"], 2, ".pdf"),
]

#: Words of an English sentence that no Vietnamese line of ours carries.
_ENGLISH = re.compile(
    r"\b(the|is|are|not|no|must|cannot|record|records|use|with|and|of|to|for|was|be|file|"
    r"period|row|column|sheet|error|refused|approved|locked|usage|invalid|argument|arguments|"
    r"required|duplicate|already|found|such|wrong|password|needs|role|has|holds|empty|list|"
    r"nothing|read|database|line|looks|like|unrecognized|choice|choose|from|in|at|on|by|or|"
    r"expecting|property|name|quotes|than|more|only|this|that|it)\b",
    re.IGNORECASE,
)
_VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]", re.IGNORECASE)


def _run(argv: list[str], world: dict[str, str], capsys: Any) -> tuple[int, list[str]]:
    filled = [part.format(**world) for part in argv]
    try:
        code = main(filled)
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    assert out == "", filled
    return code, err.splitlines()


def _sentences(lines: list[str], world: dict[str, str]) -> list[str]:
    """The lines to judge: usage blocks left out (syntax), and in each line what is not
    language: paths, options, quoted values, metavars, commands to type, kind codes."""
    judged: list[str] = []
    in_usage = False
    for line in lines:
        if line.startswith(("usage: ", "cách dùng: ")):
            in_usage = True
            continue
        if in_usage and line.startswith(" "):
            continue
        in_usage = False
        text = line.replace(world["dir"], "")
        text = re.sub(r"'[^']*'", "", text)
        text = re.sub(r"\(ctmt [^)]*\)|ctmt [a-z-]+(?: [a-z-]+)?", "", text)
        text = re.sub(r"--[\w-]+|\{[^}]*\}|\b[A-Z_Ý]{2,}\b", "", text)
        text = re.sub(rf"\b({'|'.join(KIND_CODES)})\b", "", text)
        judged.append(text)
    return judged


def test_common_errors_leave_no_line_in_english_in_vietnamese(
    world: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CTMT_PASSWORD", "sai-mat-khau")
    monkeypatch.setenv("CTMT_PASSPHRASE", "mat-khau-bao-ve")
    monkeypatch.setenv("CTMT_ENTRY_PASSWORD", "mat-khau-nhap-lieu")
    english: list[str] = []
    for name, argv, code, _ in COMMON_ERRORS:
        got, lines = _run(["--lang", "vi", *argv], world, capsys)
        assert got == code, (name, lines)
        assert lines, name
        for line, text in zip(lines, _sentences(lines, world), strict=False):
            if _ENGLISH.search(text) or not _VIETNAMESE.search(line):
                english.append(f"{name}: {line}")
        judged = _sentences(lines, world)
        assert judged, name  # every error says something besides its usage
    assert english == []


def test_common_errors_are_in_english_with_lang_en(
    world: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CTMT_PASSWORD", "sai-mat-khau")
    monkeypatch.setenv("CTMT_PASSPHRASE", "mat-khau-bao-ve")
    monkeypatch.setenv("CTMT_ENTRY_PASSWORD", "mat-khau-nhap-lieu")
    for name, argv, code, snippet in COMMON_ERRORS:
        got, lines = _run(["--lang", "en", *argv], world, capsys)
        assert got == code, (name, lines)
        text = "\n".join(lines)
        assert snippet in text, (name, text)
        assert "cách dùng" not in text and "lỗi" not in text, name
        if code == 2:
            assert lines[0].startswith("usage: ctmt"), name


def test_lines_of_success_follow_the_language(
    world: dict[str, str], make_record: MakeRecord, capsys: pytest.CaptureFixture[str]
) -> None:
    source = Path(world["dir"]) / "moi.json"
    source.write_text(json.dumps(make_record("media")), encoding="utf-8")
    assert main(["--lang", "vi", "add", "media", "--db", world["db"], "--json", str(source)]) == 0
    assert capsys.readouterr().out == ("Đã thêm 1 bản ghi “Sản phẩm truyền thông”, mã số 2\n")
    assert main(["list", "media", "--db", world["db"], "--lang", "vi"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["Mã", "số", "Bắt"] and table[-1] == "1 bản ghi"
    assert "nháp" in table[2]
    assert main(["list", "media", "--db", world["db"], "--lang", "en"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["ID", "Start", "Title"] and table[-1] == "1 record(s)"
    assert "draft" in table[2]
