"""The command line's messages in the interface language: Vietnamese by default, English
with ``--lang en`` or when the window's Settings chose English.

How it works (no gettext, no Qt): every line the command line prints is written in English
in the code and passed through :func:`t` (``t("Deleted {kind} record {id}", kind=…, id=…)``);
its Vietnamese is the entry of the same English text in :data:`VI`, a plain table at the end
of this module, with the same ``{placeholders}``. tests/test_cli_messages.py reads every
``t("…")`` of ``ctmt_desktop/cli`` and fails when one has no Vietnamese, or when the two differ
in their placeholders: a new line is one more entry in the table, and nothing is compiled.
argparse's own words (``usage:``, ``options``, its error messages) go through :func:`t` too
(:mod:`ctmt_desktop.cli.parser`). The core's errors that reach the command line are
translated from their codes, parameters and attributes by :mod:`ctmt_desktop.cli.problems`;
one it does not know is printed in English, whole: a line is never half one language, half
the other.

The language (:func:`choose_language`): ``--lang vi|en`` anywhere on the command line; else
the language the window saved (the ``language`` key of its settings file, read here with
configparser: ``[General]`` of ``CTMT/CTMT Desktop.ini`` in the user's configuration folder,
where QSettings keeps it, see :func:`settings_file`); else Vietnamese.
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ctmt_desktop.paths import APP_AUTHOR, APP_NAME

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_language = DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Print every following message in ``language`` (``vi`` or ``en``)."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language '{language}': use one of {', '.join(LANGUAGES)}")
    _language = language


def current_language() -> str:
    """The language messages are printed in now."""
    return _language


def settings_file() -> Path:
    """The window's settings file: QSettings' INI file of organisation ``CTMT`` and
    application ``CTMT Desktop`` in the user scope (``%APPDATA%`` on Windows,
    ``$XDG_CONFIG_HOME`` or ``~/.config`` elsewhere). ``CTMT_SETTINGS_FILE`` overrides it
    (the tests' own file, as ``CTMT_DATA_DIR`` overrides the data folder)."""
    override = os.environ.get("CTMT_SETTINGS_FILE")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    else:
        base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / APP_AUTHOR / f"{APP_NAME}.ini"


def saved_language() -> str | None:
    """The interface language chosen in the window's Settings, when one was saved and the
    file reads as an INI file; None otherwise."""
    path = settings_file()
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        if not parser.read(path, encoding="utf-8"):
            return None
    except (configparser.Error, OSError, UnicodeDecodeError):
        return None
    value = parser.get("General", "language", fallback="").strip().strip('"')
    return value if value in LANGUAGES else None


def language_option(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` (``--lang en`` or ``--lang=en``) on a command line, before
    argparse reads it (the help texts are built in that language); None when absent or
    not a language (argparse then says so)."""
    for index, argument in enumerate(argv):
        if argument == "--":
            break
        if argument == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif argument.startswith("--lang="):
            value = argument.partition("=")[2]
        else:
            continue
        return value if value in LANGUAGES else None
    return None


def choose_language(argv: Sequence[str]) -> str:
    """The language of a run: ``--lang``, else the window's saved one, else Vietnamese."""
    return language_option(argv) or saved_language() or DEFAULT_LANGUAGE


def t(source: str, /, **params: Any) -> str:
    """``source`` (English, with ``{name}`` placeholders) in the current language, filled
    with ``params``."""
    template = VI.get(source, source) if _language == "vi" else source
    return template.format(**params) if params else template


def kind_label(kind: str) -> str:
    """A record kind in a message: its code in English (``training``), its Vietnamese name in
    quotes in Vietnamese (“Lớp tập huấn, bồi dưỡng”)."""
    if _language == "en":
        return kind
    from ctmt_desktop.kinds import KINDS

    spec = KINDS.get(kind)
    return f"“{spec.name_vi}”" if spec is not None else kind


def os_reason(error: OSError) -> str:
    """Why a file could not be read or written: the system's words in English, the common
    reasons in Vietnamese (the system's own text would be English inside a Vietnamese line)."""
    import errno

    if _language == "en":
        return error.strerror or str(error)
    reasons = {
        errno.ENOENT: "không có tệp này",
        errno.EACCES: "không có quyền truy cập",
        errno.EPERM: "không có quyền truy cập",
        errno.EISDIR: "đây là thư mục",
        errno.ENOSPC: "ổ đĩa đã đầy",
        errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    }
    return reasons.get(error.errno or 0, f"lỗi hệ thống {error.errno}")


def json_reason(message: str) -> str:
    """What the json module found wrong, in the interface language (its common messages)."""
    if _language == "en":
        return message
    reasons = {
        "Expecting property name enclosed in double quotes": "cần tên trường trong ngoặc kép",
        "Expecting value": "thiếu giá trị",
        "Expecting ',' delimiter": "thiếu dấu phẩy",
        "Expecting ':' delimiter": "thiếu dấu hai chấm",
        "Unterminated string starting at": "chuỗi thiếu ngoặc kép đóng",
        "Invalid control character at": "có ký tự điều khiển không hợp lệ",
        "Invalid \\escape": "có ký tự thoát không hợp lệ",
        "Extra data": "có dữ liệu thừa sau phần JSON",
        "Unexpected UTF-8 BOM (decode using utf-8-sig)": "có dấu BOM không mong đợi",
    }
    return reasons.get(message, "sai cú pháp")


#: The Vietnamese of every message, by its English source text.
VI: dict[str, str] = {
    # argparse's own words
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số vị trí",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show the version and exit": "hiện phiên bản rồi thoát",
    "{prog}: error: {message}": "{prog}: lỗi: {message}",
    "the following arguments are required: {names}": "thiếu tham số bắt buộc: {names}",
    "unrecognized arguments: {names}": "tham số không nhận ra: {names}",
    "argument {name}: invalid choice: {value} (choose from {choices})": (
        "tham số {name}: {value} không phải là lựa chọn hợp lệ (chọn một trong: {choices})"
    ),
    "argument {name}: expected one argument": "tham số {name}: cần một giá trị",
    "argument {name}: expected at least one argument": "tham số {name}: cần ít nhất một giá trị",
    "argument {name}: invalid {type} value: {value}": (
        "tham số {name}: giá trị {value} không hợp lệ"
    ),
    "argument {name}: {message}": "tham số {name}: {message}",
    "one of the arguments {names} is required": "cần một trong các tham số {names}",
    "argument {name}: not allowed with argument {other}": (
        "tham số {name}: không dùng được cùng với {other}"
    ),
    "ambiguous option: {option} could match {matches}": (
        "tùy chọn {option} không rõ ràng: có thể là {matches}"
    ),
    "argument {name}: ignored explicit argument {value}": (
        "tham số {name}: không nhận giá trị {value}"
    ),
    "the language of the messages (default: the window's choice, else vi)": (
        "ngôn ngữ của thông báo (mặc định: ngôn ngữ đã chọn trong cửa sổ, nếu không có thì vi)"
    ),
    (
        "CTMT Desktop: records of the information-and-communications part of the "
        "National Target Programs."
    ): (
        "CTMT Desktop: số liệu phần thông tin và truyền thông của các Chương trình mục tiêu "
        "quốc gia."
    ),
    "create or upgrade a database for an agency": (
        "tạo hoặc nâng cấp cơ sở dữ liệu của một cơ quan"
    ),
    "statistics-office province code, e.g. 44 for Quảng Trị": (
        "mã tỉnh theo danh mục thống kê, ví dụ 44 là Quảng Trị"
    ),
    "the agency's name": "tên cơ quan",
    "the agency's parent body": "cơ quan chủ quản",
    "the ministry that receives reports": "bộ nhận báo cáo",
    "Created {path} for {agency} ({province})": "Đã tạo {path} cho {agency} ({province})",
    "province: {path} belongs to province {province}, not {wanted}": (
        "tỉnh: {path} thuộc tỉnh {province}, không phải {wanted}"
    ),
    "{path}: already initialised for '{agency}'; the agency name was left unchanged": (
        "{path}: đã được khởi tạo cho '{agency}'; tên cơ quan được giữ nguyên"
    ),
    "{path}: upgraded to the current schema; nothing else changed": (
        "{path}: đã nâng cấp lên lược đồ hiện hành; không có gì khác thay đổi"
    ),
    "{path}: up to date; nothing else changed": (
        "{path}: đã ở phiên bản hiện hành; không có gì thay đổi"
    ),
    "add realistic demo records for the database's province": (
        "thêm bản ghi mẫu sát thực tế cho tỉnh của cơ sở dữ liệu"
    ),
    "add the demo records to a database that already holds records (refused otherwise)": (
        "thêm bản ghi mẫu vào cơ sở dữ liệu đã có bản ghi (nếu không có tùy chọn này thì bị từ "
        "chối)"
    ),
    "--records must be at least 8 (one record of each kind)": (
        "--records phải từ 8 trở lên (mỗi loại một bản ghi)"
    ),
    (
        "{path}: the database already holds {count} record(s); demo records would mix with them "
        "(add them all the same with --append)"
    ): (
        "{path}: cơ sở dữ liệu đã có {count} bản ghi; bản ghi mẫu sẽ lẫn vào đó (nếu vẫn muốn "
        "thêm, dùng --append)"
    ),
    "Added {count} demo records: {summary}": "Đã thêm {count} bản ghi mẫu: {summary}",
    "list records of a kind": "liệt kê bản ghi của một loại",
    "words to find; diacritics are ignored": "từ cần tìm; không phân biệt dấu",
    "program node (its sub-nodes included)": "mục chương trình (gồm cả các mục con)",
    "administrative unit code": "mã đơn vị hành chính",
    "print only how many records match (no --limit)": (
        "chỉ in số bản ghi khớp điều kiện (không dùng với --limit)"
    ),
    "--sort: {kind} records sort by {fields}": "--sort: bản ghi {kind} sắp xếp được theo {fields}",
    "ID": "Mã số",
    "Start": "Bắt đầu",
    "Title": "Tên",
    "Places": "Địa bàn",
    "Program": "Chương trình",
    "Status": "Trạng thái",
    "Participants": "Lượt người",
    "Quantity": "Số lượng",
    "Cluster": "Cụm",
    "Hamlets covered": "Thôn được phủ sóng",
    "Met": "Đạt",
    "Plan (đồng)": "Kế hoạch (đồng)",
    "draft": "nháp",
    "confirmed": "đã xác nhận",
    "{count} record(s)": "{count} bản ghi",
    "add one record or a list of records (all or nothing)": (
        "thêm một bản ghi hoặc một danh sách bản ghi (thêm tất cả hoặc không thêm gì)"
    ),
    "JSON file, or - for stdin": "tệp JSON, hoặc - để đọc từ đầu vào chuẩn",
    "add even when a record looks like a duplicate": "vẫn thêm khi bản ghi có vẻ trùng",
    "adding": "thêm bản ghi",
    "the JSON holds an empty list: nothing to add": (
        "tệp JSON là danh sách rỗng: không có gì để thêm"
    ),
    "Added {count} {kind} record(s), id {ids}": "Đã thêm {count} bản ghi {kind}, mã số {ids}",
    "Added {count} {kind} record(s), ids {ids}": "Đã thêm {count} bản ghi {kind}, mã số {ids}",
    "print one record as JSON": "in một bản ghi dạng JSON",
    "delete one record": "xóa một bản ghi",
    "deleting": "xóa bản ghi",
    "no {kind} record with id {id}": "không có bản ghi {kind} nào có mã số {id}",
    "Deleted {kind} record {id}": "Đã xóa bản ghi {kind} mã số {id}",
    "print the JSON Schema of the records 'add' accepts": (
        "in JSON Schema của bản ghi mà lệnh 'add' chấp nhận"
    ),
    "--user: this database has accounts; say who you are with --user NAME": (
        "--user: cơ sở dữ liệu này có tài khoản; hãy cho biết bạn là ai bằng --user TÊN"
    ),
    "--user: put the password of '{user}' in the environment variable {variable}": (
        "--user: hãy đặt mật khẩu của '{user}' vào biến môi trường {variable}"
    ),
    "{what}: the environment variable {variable} is not set": (
        "{what}: chưa đặt biến môi trường {variable}"
    ),
    "'{text}' is not a kind; use one of {kinds}": (
        "'{text}' không phải là loại bản ghi; hãy dùng một trong: {kinds}"
    ),
    "'{text}' is not a whole number": "'{text}' không phải là số nguyên",
    "'{text}' must not be negative": "'{text}' không được là số âm",
    "database file (default: {path})": "tệp cơ sở dữ liệu (mặc định: {path})",
    "who is {what}; required when the database has accounts": (
        "tên người {what}; bắt buộc khi cơ sở dữ liệu có tài khoản"
    ),
    "environment variable holding that user's password (default: CTMT_PASSWORD)": (
        "biến môi trường chứa mật khẩu của người dùng đó (mặc định: CTMT_PASSWORD)"
    ),
    "PKCS#12 signing identity": "tệp khóa ký số PKCS#12",
    "the USB token's PKCS#11 library": "thư viện PKCS#11 của token USB",
    "give either --p12 FILE or --pkcs11-module LIB --token-label LABEL": (
        "hãy dùng --p12 TỆP hoặc --pkcs11-module THƯ_VIỆN --token-label NHÃN (chỉ một trong hai)"
    ),
    "--pkcs11-module needs --token-label": "--pkcs11-module cần kèm --token-label",
    "{source}: cannot read the file ({why})": "{source}: không đọc được tệp ({why})",
    "{source}: not UTF-8 text": "{source}: không phải văn bản UTF-8",
    "standard input": "đầu vào chuẩn",
    "{where}: invalid JSON at line {line}, column {column}: {reason}": (
        "{where}: JSON không hợp lệ ở dòng {line}, cột {column} ({reason})"
    ),
    "print a report as PDF, or its figures as Excel forms": (
        "in báo cáo dạng PDF, hoặc số liệu theo biểu mẫu Excel"
    ),
    "2024, 2024-H1, 2024-Q3 or a phase such as 2021-2025": (
        "2024, 2024-H1, 2024-Q3 hoặc một giai đoạn như 2021-2025"
    ),
    "FILE.pdf or FILE.xlsx": "TỆP.pdf hoặc TỆP.xlsx",
    "the kind of a list report": "loại bản ghi của báo cáo danh sách",
    (
        "the document's number: 12 prints 'Số: 12/BC-<abbreviation>'; a whole symbol "
        "(12/BC-SVHTTDL) is printed as given; without it the clerk fills the blank"
    ): (
        "số văn bản: 12 in thành 'Số: 12/BC-<chữ viết tắt>'; ký hiệu đầy đủ (12/BC-SVHTTDL) "
        "được in nguyên văn; nếu không có, văn thư điền vào chỗ trống"
    ),
    "the date of issue (default: today)": "ngày ban hành (mặc định: hôm nay)",
    "the agency's abbreviation in the document symbol (SVHTTDL: 12/BC-SVHTTDL)": (
        "chữ viết tắt của cơ quan trong ký hiệu văn bản (SVHTTDL: 12/BC-SVHTTDL)"
    ),
    "the signer's full name": "họ và tên người ký",
    'the signer\'s title; two lines as "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"': (
        'chức vụ người ký; hai dòng viết "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"'
    ),
    'a line of "Nơi nhận" (repeat it for each, "Lưu: VT" last); replaces the list': (
        'một dòng "Nơi nhận" (lặp lại cho từng nơi, "Lưu: VT" ở cuối); thay cho danh sách đã có'
    ),
    'no "Nơi nhận" list at all': 'không in phần "Nơi nhận"',
    "--out: {out} must end in .pdf or .xlsx": "--out: {out} phải có đuôi .pdf hoặc .xlsx",
    "--date: '{date}' is not a date (YYYY-MM-DD)": (
        "--date: '{date}' không phải là ngày (YYYY-MM-DD)"
    ),
    "--form list needs --kind": "--form list cần kèm --kind",
    "Wrote {path} ({count} page(s))": "Đã ghi {path} ({count} trang)",
    "Wrote {path} (workbook)": "Đã ghi {path} (sổ tính Excel)",
    (
        "show or set what every report starts from: the agency's abbreviation, the signer, the "
        "signer's title and the 'Nơi nhận' list"
    ): (
        "xem hoặc đặt thông tin chung của mọi báo cáo: chữ viết tắt của cơ quan, người ký, chức "
        "vụ người ký và danh sách 'Nơi nhận'"
    ),
    "changing the settings": "thay đổi cài đặt",
    "the database has no agency profile yet; run 'ctmt init' first": (
        "cơ sở dữ liệu chưa có thông tin cơ quan; hãy chạy 'ctmt init' trước"
    ),
    "agency: {value}": "cơ quan: {value}",
    "abbreviation: {value}": "chữ viết tắt: {value}",
    "abbreviation: {value} (from the agency's name)": "chữ viết tắt: {value} (lấy từ tên cơ quan)",
    "signer: {value}": "người ký: {value}",
    "signer's title: {value}": "chức vụ người ký: {value}",
    "recipients: {value}": "nơi nhận: {value}",
    "(none)": "(không có)",
    "(default)": "(mặc định)",
    "export records to an Excel workbook": "xuất bản ghi ra sổ tính Excel",
    "one kind (default: all)": "một loại (mặc định: tất cả)",
    "records starting in this period or phase": "các bản ghi bắt đầu trong kỳ hoặc giai đoạn này",
    "--out: the export is an Excel workbook; use FILE.xlsx": (
        "--out: tệp xuất là sổ tính Excel; hãy dùng TỆP.xlsx"
    ),
    "Wrote {path}: {count} record(s) ({counts})": "Đã ghi {path}: {count} bản ghi ({counts})",
    "import records from an Excel workbook: every row checked, all or nothing": (
        "nhập bản ghi từ sổ tính Excel: kiểm tra mọi dòng, nhập tất cả hoặc không nhập gì"
    ),
    "the kind of the sheet (default: every sheet the template marks)": (
        "loại bản ghi của trang tính (mặc định: mọi trang tính mà mẫu đánh dấu)"
    ),
    "check and count, write nothing": "chỉ kiểm tra và đếm, không ghi gì",
    "add rows even when they look like existing records": (
        "vẫn thêm các dòng có vẻ trùng với bản ghi đã có"
    ),
    "importing": "nhập bản ghi",
    "Would add {count} record(s) from {file}: {counts}": (
        "Sẽ thêm {count} bản ghi từ {file}: {counts}"
    ),
    "Added {count} record(s) from {file}: {counts}": "Đã thêm {count} bản ghi từ {file}: {counts}",
    "write the Excel import template of a kind": "ghi mẫu nhập liệu Excel của một loại bản ghi",
    "--out: the template is an Excel workbook; use FILE.xlsx": (
        "--out: mẫu nhập liệu là sổ tính Excel; hãy dùng TỆP.xlsx"
    ),
    "Wrote the {kind} import template to {path}": "Đã ghi mẫu nhập liệu {kind} vào {path}",
    "signing identities": "khóa ký số",
    "create a self-issued certificate in a passphrase-protected PKCS#12 file": (
        "tạo chứng thư tự cấp trong tệp PKCS#12 có mật khẩu bảo vệ"
    ),
    "the signer's name": "tên người ký",
    "environment variable holding the passphrase (default: CTMT_PASSPHRASE)": (
        "biến môi trường chứa mật khẩu bảo vệ (mặc định: CTMT_PASSPHRASE)"
    ),
    "also write the registration form to send to the ministry": "ghi thêm phiếu đăng ký để gửi bộ",
    "RSA 3072 (default) or EC P-256": "RSA 3072 (mặc định) hoặc EC P-256",
    "the agency (default: profile)": "cơ quan (mặc định: theo thông tin cơ quan)",
    "--passphrase-env VAR: the PKCS#12 file must be protected by a passphrase": (
        "--passphrase-env BIẾN: tệp PKCS#12 phải được bảo vệ bằng mật khẩu"
    ),
    "{path}: the file exists; an identity is never overwritten, choose another name": (
        "{path}: tệp đã tồn tại; khóa ký số không bao giờ bị ghi đè, hãy chọn tên khác"
    ),
    "Wrote {path} and its certificate {certificate} (to register and verify)": (
        "Đã ghi {path} và chứng thư {certificate} (để đăng ký và kiểm tra)"
    ),
    "SHA-256 fingerprint: {fingerprint}": "Dấu vân tay SHA-256: {fingerprint}",
    "Wrote the registration form {path}": "Đã ghi phiếu đăng ký {path}",
    "approve a period (approver role): its records are frozen until it is reopened": (
        "phê duyệt một kỳ báo cáo (vai trò Lãnh đạo): các bản ghi của kỳ bị khóa cho đến khi "
        "kỳ được mở lại"
    ),
    (
        "confirm the period's draft records as part of the approval (refused otherwise, "
        "listing them)"
    ): (
        "xác nhận các bản ghi nháp của kỳ cùng lúc phê duyệt (nếu không có tùy chọn này thì bị "
        "từ chối, kèm danh sách bản ghi nháp)"
    ),
    "Confirmed {count} draft record(s) starting in {period}": (
        "Đã xác nhận {count} bản ghi nháp bắt đầu trong kỳ {period}"
    ),
    (
        "Records starting in {period} are frozen until an approver reopens it "
        "(ctmt reopen --period {period} --reason TEXT)"
    ): (
        "Các bản ghi bắt đầu trong kỳ {period} bị khóa cho đến khi lãnh đạo mở lại kỳ "
        "(ctmt reopen --period {period} --reason LÝ_DO)"
    ),
    (
        "period: {period} cannot be approved while {count} record(s) starting in it are "
        "drafts; confirm them first, or approve with --confirm-drafts to confirm them:"
    ): (
        "kỳ báo cáo: kỳ {period} chưa thể phê duyệt khi còn {count} bản ghi nháp bắt đầu "
        "trong kỳ; hãy xác nhận các bản ghi này trước, hoặc phê duyệt kèm --confirm-drafts "
        "để xác nhận chúng:"
    ),
    "{kind} #{id} ({day}): {title}": "{kind} số {id} ({day}): {title}",
    "… and {count} more": "… và {count} bản ghi khác",
    "reopen an approved or packaged period, with a reason": (
        "mở lại kỳ báo cáo đã phê duyệt hoặc đã lập gói, kèm lý do"
    ),
    "approving": "phê duyệt",
    "reopening": "mở lại kỳ báo cáo",
    "Approved {period} ({by})": "Đã phê duyệt kỳ {period} ({by})",
    "Reopened {period}: its records can be edited; approve it again to package": (
        "Đã mở lại kỳ {period}: có thể sửa bản ghi của kỳ; hãy phê duyệt lại trước khi lập gói"
    ),
    "build and sign the submission package of a period": (
        "lập và ký số gói dữ liệu báo cáo của một kỳ"
    ),
    "split into numbered parts no larger than this (e.g. 20M)": (
        "chia thành các phần đánh số, mỗi phần không lớn hơn mức này (ví dụ 20M)"
    ),
    "signing": "ký số",
    "'{text}' is not a size (e.g. 20M, 512K, 10000000)": (
        "'{text}' không phải là dung lượng (ví dụ 20M, 512K, 10000000)"
    ),
    "Wrote {path}": "Đã ghi {path}",
    "Package {id} version {version} of {period}, supersedes {previous}": (
        "Gói {id} phiên bản {version} của kỳ {period}, thay thế gói {previous}"
    ),
    "Package {id} version {version} of {period}": "Gói {id} phiên bản {version} của kỳ {period}",
    "verify a submission package (or its parts)": (
        "kiểm tra một gói dữ liệu báo cáo (hoặc các phần của gói)"
    ),
    "a trusted root certificate (repeatable)": "chứng thư gốc tin cậy (có thể lặp lại)",
    "a registered self-issued certificate (repeatable)": (
        "chứng thư tự cấp đã đăng ký (có thể lặp lại)"
    ),
    "verification failed: {checks}": "kiểm tra không đạt: {checks}",
    "back up a database with its evidence files": "sao lưu cơ sở dữ liệu cùng các tệp minh chứng",
    "backup file to write (default: a new file in the database's .backups folder)": (
        "tệp sao lưu cần ghi (mặc định: một tệp mới trong thư mục .backups cạnh cơ sở dữ liệu)"
    ),
    "Backed up {records} records and {files} evidence files to {path}": (
        "Đã sao lưu {records} bản ghi và {files} tệp minh chứng vào {path}"
    ),
    "replace a database with a verified backup": (
        "thay cơ sở dữ liệu bằng một bản sao lưu đã kiểm tra"
    ),
    "a backup made by CTMT Desktop": "bản sao lưu do CTMT Desktop tạo",
    "restore even a backup of another agency or province (refused otherwise)": (
        "vẫn khôi phục bản sao lưu của cơ quan hoặc tỉnh khác (nếu không có tùy chọn này thì bị "
        "từ chối)"
    ),
    "restoring (an administrator)": "khôi phục (quản trị viên)",
    "Restored {path} from {file}": "Đã khôi phục {path} từ {file}",
    "The replaced database is kept as {path}": "Cơ sở dữ liệu bị thay được giữ lại tại {path}",
    "show the catalog in use or install a newer one": (
        "xem danh mục đang dùng hoặc cài đặt danh mục mới hơn"
    ),
    "versions and counts": "phiên bản và số lượng",
    "install a newer catalog signed by the ministry (FILE.json.p7m)": (
        "cài đặt danh mục mới hơn có chữ ký số của bộ (TỆP.json.p7m)"
    ),
    "the ministry's certificate (remembered for this user once the catalog installs)": (
        "chứng thư của bộ (được ghi nhớ cho người dùng này khi cài đặt thành công)"
    ),
    "Installed catalog version {version}, signed by the ministry": (
        "Đã cài đặt danh mục phiên bản {version}, có chữ ký số của bộ"
    ),
    "The ministry's certificate {path} is remembered for this user": (
        "Chứng thư của bộ {path} được ghi nhớ cho người dùng này"
    ),
    "Catalog version {version} ({released}) from {origin}": (
        "Danh mục phiên bản {version} ({released}) từ {origin}"
    ),
    "Programs: {programs} nodes; vocabularies: {vocabularies}": (
        "Chương trình: {programs} mục; bảng mã: {vocabularies}"
    ),
    (
        "Administrative units: {provinces} provinces, {communes} communes; legacy: {legacy} "
        "communes"
    ): (
        "Đơn vị hành chính: {provinces} tỉnh, thành phố, {communes} xã, phường; trước sắp xếp: "
        "{legacy} xã, phường"
    ),
    (
        "check this installation on a temporary database (the window's part: ctmt-desktop "
        "--self-test); exit 0 when every step passed"
    ): (
        "tự kiểm tra bản cài đặt trên một cơ sở dữ liệu tạm (phần cửa sổ: ctmt-desktop "
        "--self-test); mã thoát 0 khi mọi bước đều đạt"
    ),
    "the ministry's signed receipts of this database's packages": (
        "biên nhận có chữ ký số của bộ cho các gói dữ liệu của cơ sở dữ liệu này"
    ),
    "The ministry's signed receipts of this database's packages.": (
        "Biên nhận có chữ ký số của bộ cho các gói dữ liệu của cơ sở dữ liệu này."
    ),
    (
        "verify and take in receipts (NAME.receipt.json with its .p7s, or folders of them): all "
        "or nothing; exit 1 naming a forged, foreign or mismatched receipt"
    ): (
        "kiểm tra và tiếp nhận biên nhận (TÊN.receipt.json kèm tệp .p7s, hoặc thư mục chứa "
        "chúng): nhận tất cả hoặc không nhận gì; mã thoát 1 kèm tên biên nhận giả, của nơi khác "
        "hoặc không khớp"
    ),
    "the ministry's certificate (kept in the agency profile once the import succeeds)": (
        "chứng thư của bộ (được lưu vào thông tin cơ quan khi tiếp nhận thành công)"
    ),
    "The ministry's certificate {path} is kept in the agency profile": (
        "Chứng thư của bộ {path} được lưu vào thông tin cơ quan"
    ),
    "{path}: no such file or folder": "{path}: không có tệp hoặc thư mục này",
    "the ministry's national store: receive packages, who has reported, national report": (
        "kho dữ liệu quốc gia của bộ: tiếp nhận gói, tình hình báo cáo, báo cáo tổng hợp"
    ),
    "The ministry's side: a national store of the provinces' signed packages.": (
        "Phía bộ: kho dữ liệu quốc gia chứa các gói dữ liệu có chữ ký số của các tỉnh."
    ),
    (
        "the national store: a SQLite file, sqlite:///PATH or postgresql+psycopg://user@host/db "
        "(default: national.sqlite3 in the user data folder)"
    ): (
        "kho dữ liệu quốc gia: tệp SQLite, sqlite:///ĐƯỜNG_DẪN hoặc "
        "postgresql+psycopg://user@host/db (mặc định: national.sqlite3 trong thư mục dữ liệu "
        "của người dùng)"
    ),
    "who acts (default: the login name)": "người thực hiện (mặc định: tên đăng nhập máy)",
    "create or upgrade the national store, name it": (
        "tạo hoặc nâng cấp kho dữ liệu quốc gia, đặt tên cho kho"
    ),
    "the ministry (or its department)": "bộ (hoặc đơn vị thuộc bộ)",
    "national store ready: {store}": "kho dữ liệu quốc gia đã sẵn sàng: {store}",
    "unchanged: {store}": "không thay đổi: {store}",
    "register a province's signing certificate": "đăng ký chứng thư ký số của một tỉnh",
    "province code (44…)": "mã tỉnh (44…)",
    "the certificate": "chứng thư",
    (
        "SHA-256 typed from the registration form (colons and case ignored); required for a "
        "self-issued certificate"
    ): (
        "SHA-256 nhập từ phiếu đăng ký (không phân biệt dấu hai chấm và chữ hoa, thường); bắt "
        "buộc với chứng thư tự cấp"
    ),
    "a CA root (CA-issued certificates)": "chứng thư gốc của CA (với chứng thư do CA cấp)",
    "printed form": "phiếu đăng ký in",
    "CA chain": "chuỗi chứng thư CA",
    (
        "registered: {holder} for {province} ({method}), valid {start} to {end}, SHA-256 "
        "{fingerprint}"
    ): (
        "đã đăng ký: {holder} của {province} ({method}), hiệu lực từ {start} đến {end}, SHA-256 "
        "{fingerprint}"
    ),
    (
        "registered already: {holder} for {province} ({method}), valid {start} to {end}, "
        "SHA-256 {fingerprint}"
    ): (
        "đã đăng ký từ trước: {holder} của {province} ({method}), hiệu lực từ {start} đến "
        "{end}, SHA-256 {fingerprint}"
    ),
    "list the registered certificates": "liệt kê các chứng thư đã đăng ký",
    (
        "receive packages (zips, numbered parts, folders); one line per package; exit 1 if any "
        "is refused"
    ): (
        "tiếp nhận gói dữ liệu (tệp zip, các phần đánh số, thư mục); mỗi gói một dòng; mã thoát "
        "1 nếu có gói bị từ chối"
    ),
    "a trusted CA root": "chứng thư gốc CA tin cậy",
    "no package found (NAME.zip or NAME.zip.001…)": (
        "không tìm thấy gói dữ liệu nào (TÊN.zip hoặc TÊN.zip.001…)"
    ),
    "who has reported for a period": "tình hình báo cáo của một kỳ",
    "2025, 2025-H1…": "2025, 2025-H1…",
    "one province only": "chỉ một tỉnh",
    (
        "{period}: received {received}/{expected} ({rate}%), on time {on_time}, late {late}, "
        "refused {refused}, missing {missing}"
    ): (
        "{period}: đã nhận {received}/{expected} ({rate}%), đúng hạn {on_time}, muộn {late}, bị "
        "từ chối {refused}, chưa nhận {missing}"
    ),
    "records received (current versions)": "bản ghi đã nhận (phiên bản hiện hành)",
    "words, diacritics ignored": "từ cần tìm, không phân biệt dấu",
    "the national consolidated report (PDF or Excel forms)": (
        "báo cáo tổng hợp toàn quốc (PDF hoặc biểu mẫu Excel)"
    ),
    "a period or a phase": "một kỳ hoặc một giai đoạn",
    "{name}: the report is written as .pdf or .xlsx": (
        "{name}: báo cáo được ghi dạng .pdf hoặc .xlsx"
    ),
    "national report of {period} ({received}/{expected} provinces): {path}": (
        "báo cáo tổng hợp kỳ {period} ({received}/{expected} tỉnh, thành phố): {path}"
    ),
    "build provinces' demo packages, register their identities and receive them": (
        "tạo gói dữ liệu mẫu của các tỉnh, đăng ký khóa ký số của các tỉnh và tiếp nhận các gói đó"
    ),
    "demo national desk: {store} (provinces' files in {folder})": (
        "kho dữ liệu quốc gia mẫu: {store} (tệp của các tỉnh trong {folder})"
    ),
    (
        "review the current submission of a province's period: its state, a general comment and "
        "comments on records (replacing the ones before)"
    ): (
        "xem xét gói hiện hành của một tỉnh trong một kỳ: trạng thái, nhận xét chung và nhận "
        "xét từng bản ghi (thay cho các nhận xét trước)"
    ),
    "the general comment": "nhận xét chung",
    "a comment on one record, by its id in the package (or KIND/ID); repeatable": (
        "nhận xét về một bản ghi, theo mã số trong gói (hoặc LOẠI/MÃ); có thể lặp lại"
    ),
    "--record-comment {reference}: given twice": "--record-comment {reference}: bị nêu hai lần",
    (
        "reviewed: {name} {period} v{version}: {state}, {comments} record comment(s) (ctmt "
        "ministry receipts writes the receipt)"
    ): (
        "đã xem xét: {name} kỳ {period} phiên bản {version}: {state}, {comments} nhận xét bản "
        "ghi (lệnh ctmt ministry receipts ghi biên nhận)"
    ),
    (
        "unchanged: {name} {period} v{version}: {state}, {comments} record comment(s) (ctmt "
        "ministry receipts writes the receipt)"
    ): (
        "không thay đổi: {name} kỳ {period} phiên bản {version}: {state}, {comments} nhận xét "
        "bản ghi (lệnh ctmt ministry receipts ghi biên nhận)"
    ),
    (
        "write the signed receipt of every matching package received, accepted or refused, into "
        "one folder (NAME.zip.receipt.json and .p7s)"
    ): (
        "ghi biên nhận có chữ ký số cho mọi gói khớp điều kiện đã nhận, được chấp nhận hoặc bị "
        "từ chối, vào một thư mục (TÊN.zip.receipt.json và .p7s)"
    ),
    "sign a catalog update for the provinces (one .p7m file carrying the catalog)": (
        "ký số bản cập nhật danh mục gửi các tỉnh (một tệp .p7m chứa danh mục)"
    ),
    (
        "signed catalog version {version}: {path} ({size} bytes), by {signer}, SHA-256 "
        "{fingerprint}"
    ): (
        "đã ký danh mục phiên bản {version}: {path} ({size} byte), người ký {signer}, SHA-256 "
        "{fingerprint}"
    ),
}
