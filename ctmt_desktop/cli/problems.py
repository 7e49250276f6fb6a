"""The core's errors as the command line prints them, in the interface language.

In English every error prints as it always did: one line per :class:`Problem` of a
ValidationError (``record 2: days: …``; a likely duplicate with the hint that
``--allow-duplicate`` adds it anyway), ``period: …`` for a period that cannot be read, and
``ctmt: MESSAGE`` for the rest. In Vietnamese the same lines are built from what the errors
carry besides their English message: a problem's ``code`` and ``params`` (and the Vietnamese
label of its field), a workbook problem's sheet, row and column, the attributes of
:class:`PeriodLockedError`, :class:`PermissionDeniedError`, :class:`ForeignBackupError`…,
and, for the errors that carry only a message, its wording (:data:`_MESSAGES`, patterns
over the core's English sentences, which tests pin). An error none of these know is printed
in English, whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ctmt_desktop.cli.messages import current_language, kind_label
from ctmt_desktop.errors import Problem

# --- labels --------------------------------------------------------------------------------------
#: Vietnamese labels of the fields that are not record fields (profile, approval…).
_OTHER_FIELDS = {
    "name": "Tên cơ quan",
    "province": "Tỉnh, thành phố",
    "parent_body": "Cơ quan chủ quản",
    "receiving_ministry": "Bộ nhận báo cáo",
    "abbreviation": "Chữ viết tắt",
    "recipients": "Nơi nhận",
    "valid_to": "Ngày hết hiệu lực",
    "reason": "Lý do",
    "period": "Kỳ báo cáo",
    "version": "Phiên bản",
    "evidence": "Minh chứng",
    "indicators": "Chỉ tiêu",
}

#: What a value should have been, for ``invalid`` problems.
_EXPECTED_VI = {
    "text": "văn bản",
    "a date (dd/mm/yyyy or yyyy-mm-dd)": "một ngày (dd/mm/yyyy hoặc yyyy-mm-dd)",
    "a whole number": "một số nguyên",
    "a whole number of đồng": "số tiền nguyên (đồng)",
    "yes or no": "có hoặc không",
    "an object of indicator codes and true/false": "một đối tượng mã chỉ tiêu và true/false",
    "a list of evidence files": "một danh sách tệp minh chứng",
    "a list of administrative unit codes": "một danh sách mã đơn vị hành chính",
    "a code": "một mã",
}

_ROLES_VI = {"entry": "Nhập liệu", "approver": "Lãnh đạo", "admin": "Quản trị"}

_PERMISSIONS_VI = {
    "edit_records": "Sửa bản ghi",
    "import": "Nhập bản ghi từ tệp",
    "edit_targets": "Sửa chỉ tiêu",
    "export": "Xuất báo cáo",
    "backup": "Sao lưu",
    "view_audit": "Xem nhật ký",
    "approve": "Phê duyệt kỳ báo cáo",
    "reopen": "Mở lại kỳ báo cáo",
    "sign": "Ký số và lập gói dữ liệu",
    "manage_accounts": "Quản lý tài khoản",
    "settings": "Thay đổi cài đặt",
    "restore": "Khôi phục bản sao lưu",
    "install_catalog": "Cài đặt danh mục",
}

_CHECKS_VI = {
    "format": "định dạng",
    "agency": "cơ quan",
    "zip directory": "mục lục tệp zip",
    "entry names": "tên mục",
    "sizes": "kích thước",
    "manifest": "bảng kê",
    "checksum": "mã kiểm tra",
    "database format": "định dạng cơ sở dữ liệu",
    "revision": "phiên bản lược đồ",
    "schema": "lược đồ",
    "integrity": "toàn vẹn",
    "foreign keys": "khóa ngoại",
}


def field_label(name: str) -> str:
    """The Vietnamese label of a field (a record field of any kind, or another one)."""
    from ctmt_desktop.kinds import KINDS

    for spec in KINDS.values():
        if name in spec.field_names:
            return spec.field(name).label_vi
    return _OTHER_FIELDS.get(name, name)


def _place(code: Any) -> str:
    from ctmt_desktop.catalog import load_catalog

    unit = load_catalog().admin.get(str(code))
    return f"{unit.name} ({code})" if unit is not None else f"'{code}'"


def _day(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _other_vi(other: str) -> str:
    """``record #5`` / ``record 2 of this batch`` / ``row 7 of this sheet`` in Vietnamese."""
    for pattern, template in (
        (r"record #(\d+)", "bản ghi số {0}"),
        (r"record (\d+) of this batch", "bản ghi thứ {0} của lô này"),
        (r"row (\d+) of this sheet", "dòng {0} của trang tính này"),
    ):
        match = re.fullmatch(pattern, other)
        if match:
            return template.format(*match.groups())
    return other


# --- problems --------------------------------------------------------------------------------
DUPLICATE_HINT_EN = "; refused: use --allow-duplicate to add it anyway"


def _required(problem: Problem) -> str:
    if problem.field == "border_gate":
        return "bắt buộc đối với cụm thông tin tại cửa khẩu"
    if problem.field == "reason":
        return "cần ghi lý do mở lại kỳ báo cáo"
    return "không được để trống"


def _too_long(problem: Problem) -> str:
    limit = problem.params.get("limit")
    return f"tối đa {limit} ký tự" if limit is not None else "quá dài"


def _part_above_total(problem: Problem) -> str:
    total_field = str(problem.params.get("total_field", ""))
    return f"lớn hơn {field_label(total_field).lower()} ({problem.params.get('total')})"


def _not_approved(problem: Problem) -> str:
    period = problem.params.get("period")
    if "packaged" in problem.message:
        return (
            f"kỳ {period} chưa được phê duyệt (hoặc đã mở lại mà chưa phê duyệt lại); lãnh đạo "
            f"cần phê duyệt trước khi lập gói (ctmt approve --period {period})"
        )
    return f"kỳ {period} chưa được phê duyệt nên không có gì để mở lại"


def _duplicate(problem: Problem) -> str:
    other = _other_vi(str(problem.params.get("other", "")))
    return (
        f"có vẻ trùng với {other} (cùng tên, ngày bắt đầu và địa bàn); bị từ chối: dùng "
        "--allow-duplicate nếu vẫn muốn thêm"
    )


def _locked_row(problem: Problem) -> str:
    params = problem.params
    return _locked_text(
        str(params.get("period")),
        params.get("day"),
        params.get("locked_at"),
        params.get("approved_by"),
        params.get("approved_at"),
    )


_PROBLEMS_VI: dict[str, Callable[[Problem], str]] = {
    "required": _required,
    "too_long": _too_long,
    "invalid": lambda p: (
        f"không đọc được '{p.params.get('value')}': cần "
        f"{_EXPECTED_VI.get(str(p.params.get('expected')), 'một giá trị khác')}"
    ),
    "not_whole_dong": lambda p: "số tiền phải là số nguyên (đồng)",
    "negative": lambda p: f"không được là số âm (đã nhập {p.params.get('value')})",
    "too_small": lambda p: (
        f"tối thiểu là {p.params.get('minimum')} (đã nhập {p.params.get('value')})"
    ),
    "too_large": lambda p: f"tối đa là {p.params.get('maximum')} (đã nhập {p.params.get('value')})",
    "unknown_code": lambda p: (
        f"'{p.params.get('value')}' không có trong danh mục ({p.params.get('vocabulary')})"
    ),
    "unknown_field": lambda p: "không phải là trường của loại bản ghi này",
    "not_an_object": lambda p: "mỗi bản ghi phải là một đối tượng gồm tên trường và giá trị",
    "outside_year": lambda p: f"ngày bắt đầu không thuộc năm {p.params.get('year')}",
    "end_before_start": lambda p: "ngày kết thúc trước ngày bắt đầu",
    "part_above_total": _part_above_total,
    "program_not_valid": lambda p: (
        f"chương trình/dự án này chỉ có hiệu lực từ {_day(p.params.get('valid_from'))} đến "
        f"{_day(p.params.get('valid_to'))}, không bao gồm ngày của bản ghi"
    ),
    "too_many_places": lambda p: "loại bản ghi này chỉ áp dụng cho một xã, phường",
    "unknown_place": lambda p: f"'{p.params.get('value')}' không phải là mã đơn vị hành chính",
    "outside_province": lambda p: (
        f"{_place(p.params.get('value'))} không thuộc địa bàn tỉnh của cơ quan"
    ),
    "legacy_unit": lambda p: (
        f"{_place(p.params.get('value'))} không còn tồn tại từ ngày 01/07/2025; với hoạt động "
        "từ ngày này trở đi, hãy chọn xã, phường hiện nay"
    ),
    "commune_required": lambda p: (
        f"{_place(p.params.get('value'))} không phải đơn vị hành chính cấp xã; hãy chọn xã, phường"
    ),
    "levels_above_total": lambda p: (
        f"tổng số cấp xã và cấp thôn, bản vượt quá số lượt người tham dự ({p.params.get('total')})"
    ),
    "too_many_days": lambda p: (
        f"lớp thuộc chương trình này kéo dài tối đa {p.params.get('maximum')} ngày"
    ),
    "set_not_valid": lambda p: "bộ tiêu chí này không áp dụng cho năm đã chọn",
    "set_not_published": lambda p: (
        "danh mục chưa có các chỉ tiêu của bộ tiêu chí này; hãy cài đặt danh mục mới hơn"
    ),
    "unknown_indicator": lambda p: "có chỉ tiêu không thuộc bộ tiêu chí đã chọn",
    "missing_indicator": lambda p: "hãy nhập kết quả cho mọi chỉ tiêu của bộ tiêu chí",
    "before_year": lambda p: "ngày này trước năm kế hoạch",
    "unknown_evidence": lambda p: "cơ sở dữ liệu này không lưu tệp minh chứng đã nêu",
    "likely_duplicate": _duplicate,
    "already_approved": lambda p: (
        f"kỳ {p.params.get('period')} đã được {p.params.get('by')} phê duyệt lúc "
        f"{_day(p.params.get('at'))}"
    ),
    "not_approved": _not_approved,
    "drafts_remain": lambda p: (
        f"kỳ {p.params.get('period')} chưa thể phê duyệt khi còn {p.params.get('count')} bản "
        "ghi nháp bắt đầu trong kỳ; hãy xác nhận các bản ghi này trước (hoặc phê duyệt kèm "
        "--confirm-drafts)"
    ),
    "stale_version": lambda p: (
        f"gói tiếp theo là phiên bản {p.params.get('expected')}, không phải "
        f"{p.params.get('version')}: vừa có gói khác được lập"
    ),
    "unknown_province": lambda p: "không phải là mã của một trong 34 tỉnh, thành phố",
    "period_locked": _locked_row,
    # The importer's own problems of a cell.
    "formula": lambda p: (
        f"ô này chứa công thức {p.params.get('formula')}: chỉ nhận giá trị, hãy dán giá trị "
        "thay cho công thức"
    ),
    "ambiguous_number": lambda p: (
        f"'{p.params.get('value')}' không rõ ràng (dấu phẩy phân cách hàng nghìn hay phần "
        "thập phân?)"
    ),
    "ambiguous_choice": lambda p: (
        f"'{p.params.get('value')}' có thể là {', '.join(p.params.get('candidates', []))}; "
        "hãy ghi mã"
    ),
    "unknown_choice": lambda p: (
        f"'{p.params.get('value')}' không có trong danh sách {field_label(p.field)}"
    ),
    "invalid_indicator": lambda p: f"'{p.params.get('value')}' không phải Đạt hoặc Không đạt",
    "evidence_without_file": lambda p: (
        "không thể đính kèm tệp minh chứng từ bảng tính; hãy đính kèm trong ứng dụng, hoặc xóa "
        "nội dung ô"
    ),
    "ambiguous_place": lambda p: (
        f"'{p.params.get('value')}' có thể là {', '.join(p.params.get('candidates', []))}; "
        "hãy ghi đầy đủ tên hoặc mã"
    ),
    "unknown_place_name": lambda p: (
        f"'{p.params.get('value')}' không phải là xã, phường (hiện nay hoặc trước đây) của "
        "tỉnh, cũng không phải mã đơn vị hành chính"
    ),
}


def problem_line(problem: Problem) -> str:
    """One problem of a ValidationError as its line on stderr."""
    hint = DUPLICATE_HINT_EN if problem.warning else ""
    english = f"{problem}{hint}"
    if current_language() == "en":
        return english
    text = _PROBLEMS_VI.get(problem.code)
    if text is None:
        return english  # a problem not translated yet: in English, whole
    try:
        sentence = text(problem)
    except (KeyError, TypeError, ValueError):
        return english
    from ctmt_desktop.spreadsheets.importer import SheetProblem

    if isinstance(problem, SheetProblem):
        return f"{_location(problem)}: {sentence}"
    where = f"bản ghi thứ {problem.row + 1}: " if problem.row is not None else ""
    label = f"{field_label(problem.field)}: " if problem.field else ""
    return f"{where}{label}{sentence}"


def _location(problem: Any) -> str:
    parts = [f"trang tính '{problem.sheet}'"]
    if problem.excel_row is not None:
        parts.append(f"dòng {problem.excel_row}")
    if problem.column is not None:
        header = f" ({problem.header})" if problem.header else ""
        parts.append(f"cột {problem.column}{header}")
    return ", ".join(parts)


# --- errors ----------------------------------------------------------------------------------
def _locked_text(
    period: str, day: Any, locked_at: Any, approved_by: Any = None, approved_at: Any = None
) -> str:
    if locked_at:
        state = f"đã bị khóa từ khi lập gói dữ liệu lúc {_day(locked_at)}"
    elif approved_at:
        by = f" bởi {approved_by}" if approved_by else ""
        state = f"đã được phê duyệt{by} lúc {_day(approved_at)}"
    else:
        state = "đã bị khóa"
    return (
        f"kỳ báo cáo {period} {state}: không thể thêm, sửa hoặc xóa bản ghi bắt đầu ngày "
        f"{_day(day)}; lãnh đạo cần mở lại kỳ kèm lý do trước "
        f"(ctmt reopen --period {period} --reason LÝ_DO)"
    )


#: Errors that carry only their English message: (pattern, Vietnamese), tried in order.
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), vietnamese)
    for pattern, vietnamese in (
        (
            r"(?P<path>.+): no database file here \(create it with 'ctmt init'\)",
            "{path}: không có tệp cơ sở dữ liệu ở đây (tạo bằng lệnh 'ctmt init')",
        ),
        (r"(?P<path>.+): no database file to back up", "{path}: không có tệp cơ sở dữ liệu"),
        (
            r"no (?P<kind>\w+) record with id (?P<id>\d+)",
            "không có bản ghi {kind_vi} nào có mã số {id}",
        ),
        (
            r"(?P<path>.+): the database has no agency profile \(province\) yet; run "
            r"'ctmt init' first",
            "{path}: cơ sở dữ liệu chưa có thông tin cơ quan (tỉnh); hãy chạy 'ctmt init' trước",
        ),
        (
            r"the database has no agency profile yet; run 'ctmt init' first",
            "cơ sở dữ liệu chưa có thông tin cơ quan; hãy chạy 'ctmt init' trước",
        ),
        (r"wrong user name or password", "sai tên đăng nhập hoặc mật khẩu"),
        (
            r"the account '(?P<user>.+)' is deactivated; ask an administrator",
            "tài khoản '{user}' đã bị vô hiệu hóa; hãy liên hệ quản trị viên",
        ),
        (
            r"too many failed logins for '(?P<user>.+)': try again in (?P<wait>.+)",
            "'{user}' đăng nhập sai quá nhiều lần: hãy thử lại sau ({wait})",
        ),
        (
            r"'(?P<text>.*)' is not a period: use 2024, 2024-H1, 2024-H2 or 2024-Q1 to 2024-Q4",
            "'{text}' không phải là kỳ báo cáo: hãy dùng 2024, 2024-H1, 2024-H2 hoặc từ 2024-Q1 "
            "đến 2024-Q4",
        ),
        (
            r"'(?P<text>.*)': the year must lie between 2000 and 2100",
            "'{text}': năm phải nằm trong khoảng 2000 đến 2100",
        ),
        (
            r"(?P<path>.+): not a catalog file(?: \(invalid JSON at line (?P<line>\d+)\))?",
            "{path}: không phải là tệp danh mục",
        ),
        (
            r"(?P<path>.+): the passphrase is wrong, or the file is not a PKCS#12 \(\.p12/\.pfx\) "
            r"file",
            "{path}: sai mật khẩu bảo vệ, hoặc tệp không phải là tệp PKCS#12 (.p12/.pfx)",
        ),
        (
            r"(?P<path>.+): cannot read the certificate file \((?P<why>.+)\)",
            "{path}: không đọc được tệp chứng thư ({why})",
        ),
        (
            r"(?P<path>.+): cannot read the file \((?P<why>.+)\)",
            "{path}: không đọc được tệp ({why})",
        ),
        (
            r"the passphrase must have at least (?P<count>\d+) characters; .*",
            "mật khẩu bảo vệ phải có ít nhất {count} ký tự; mật khẩu này bảo vệ khóa bí mật "
            "dùng để ký các gói dữ liệu của cơ quan",
        ),
    )
)


def _message_vi(message: str) -> str | None:
    for pattern, vietnamese in _MESSAGES:
        match = pattern.fullmatch(message)
        if match is not None:
            found = match.groupdict()
            if "kind" in found:
                found["kind_vi"] = kind_label(found["kind"])
            return vietnamese.format(**found)
    return None


def _error_vi(error: BaseException) -> str | None:
    """The Vietnamese of an error other than a ValidationError, or None."""
    from ctmt_desktop.backup import BackupRefused, ForeignBackupError
    from ctmt_desktop.errors import (
        DatabaseDamagedError,
        DatabaseInUseError,
        PeriodLockedError,
        PermissionDeniedError,
    )
    from ctmt_desktop.spreadsheets.importer import WorkbookError

    if isinstance(error, PeriodLockedError):
        return _locked_text(
            error.period,
            error.day,
            error.locked_at,
            getattr(error, "approved_by", None),
            getattr(error, "approved_at", None),
        )
    if isinstance(error, PermissionDeniedError):
        roles = " hoặc ".join(_ROLES_VI.get(role, role) for role in error.roles_allowed)
        action = _PERMISSIONS_VI.get(error.permission, error.permission)
        return (
            f"{action}: cần vai trò {roles}; '{error.username}' có vai trò "
            f"{_ROLES_VI.get(error.role, error.role)}"
        )
    if isinstance(error, ForeignBackupError):
        live = error.live_agency
        backup = error.backup_agency
        owner = (
            "không ghi cơ quan nào"
            if backup is None
            else f"thuộc {backup.name} (tỉnh {backup.province_code})"
        )
        return (
            f"{error.path}: bị từ chối ở bước kiểm tra cơ quan: bản sao lưu {owner}, còn cơ sở "
            f"dữ liệu này thuộc {live.name} (tỉnh {live.province_code}); chỉ khôi phục nếu đúng "
            "ý định (ctmt restore --force, hoặc xác nhận trong cửa sổ)"
        )
    if isinstance(error, BackupRefused) and error.detail.startswith("not a CTMT backup"):
        return f"{error.path}: bị từ chối ở bước kiểm tra định dạng: không phải bản sao lưu CTMT"
    if isinstance(error, DatabaseInUseError):
        which = f" ({error.holder})" if error.holder else ""
        return (
            f"{error.path}: cơ sở dữ liệu đang được mở trong một cửa sổ CTMT Desktop khác"
            f"{which}; hãy đóng cửa sổ đó trước, hoặc tiếp tục làm việc trong đó"
        )
    if isinstance(error, DatabaseDamagedError):
        return (
            f"{error.path}: tệp cơ sở dữ liệu bị hỏng ({error.detail}); hãy khôi phục bản sao "
            "lưu gần nhất (ctmt restore) hoặc nhờ hỗ trợ trước khi sửa tệp"
        )
    if isinstance(error, WorkbookError):
        return _workbook_vi(error)
    return _message_vi(str(error))


_WORKBOOK_VI = {
    "not_found": "không tìm thấy tệp",
    "empty": "tệp rỗng",
    "not_a_workbook": "không phải là sổ tính Excel (.xlsx)",
    "macros": "sổ tính chứa macro: hãy lưu lại dưới dạng .xlsx không có macro",
    "too_large": "tệp quá lớn",
    "zip_bomb": "tệp nén bất thường (tỷ lệ nén quá cao): bị từ chối",
    "xml_entities": "tệp chứa khai báo DTD/thực thể XML: bị từ chối",
    "unreadable": "không đọc được nội dung sổ tính",
    "no_sheet": "không có trang tính nào của loại bản ghi cần nhập",
    "several_sheets": "có nhiều trang tính cùng một loại bản ghi",
    "wrong_kind": "trang tính chứa bản ghi của loại khác",
    "no_header": "không tìm thấy dòng tiêu đề cột",
    "duplicate_column": "hai cột cùng chứa một trường",
    "missing_columns": "thiếu cột bắt buộc",
    "no_rows": "không có dòng dữ liệu nào",
    "too_many_rows": "quá nhiều dòng; hãy chia nhỏ tệp",
    "formula": "có ô chứa công thức: chỉ nhận giá trị",
    "key_mismatch": "dòng khóa ẩn mâu thuẫn với tiêu đề cột",
    "hidden_rows": "có dòng dữ liệu bị ẩn: hãy bỏ ẩn hoặc xóa",
    "hidden_columns": "có cột dữ liệu bị ẩn: hãy bỏ ẩn hoặc xóa",
    "merged_cells": "có ô gộp đè lên dữ liệu: hãy bỏ gộp ô",
}


def _workbook_vi(error: Any) -> str | None:
    text = _WORKBOOK_VI.get(error.code)
    if text is None:
        return None
    name = str(error).split(":", 1)[0]  # every WorkbookError starts with the file's name
    sheet = error.params.get("sheet")
    where = f", trang tính '{sheet}'" if sheet else ""
    return f"{name}{where}: {text}"


def error_lines(error: BaseException) -> list[str]:
    """The lines ``ctmt`` prints on stderr for an error of the core (or its own)."""
    from ctmt_desktop.errors import ValidationError
    from ctmt_desktop.periods import PeriodError

    if isinstance(error, ValidationError):
        return [problem_line(problem) for problem in error.problems]
    if isinstance(error, KeyError):
        message = str(error.args[0]) if error.args else str(error)
        return [f"ctmt: {message}"]
    english = str(error)
    vietnamese = _error_vi(error) if current_language() == "vi" else None
    if isinstance(error, PeriodError):
        return [f"kỳ báo cáo: {vietnamese}" if vietnamese else f"period: {english}"]
    return [f"ctmt: {vietnamese or english}"]
