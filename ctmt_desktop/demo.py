"""Realistic demo data for the department's province, 2021–2026, deterministic by seed.

Used by ``ctmt demo`` and the desktop app's "load demo data". :func:`generate_demo` writes
``records`` records of the eight kinds through the one write path (validation, derived keys)
in one transaction: a cancel or an error leaves the database as it was.

What the data looks like:

* dates from 01/01/2021 to 31/10/2026, none crossing 31/12/2025; activities starting before
  01/07/2025 name the legacy communes (and old provinces) that staff entered at the time,
  later ones the current communes;
* program nodes valid over the dates: GNBV21, NTM21, DTTS21 until 2025, MTQG26 in 2026;
* real commune names, the province's border gates, outlets named after the province;
* proportions after the 2016–2020 national figures (about 75 participant-times a class,
  policy dialogues ten times as many as talks, ten radio programmes for one TV programme,
  more special issues than radio programmes, TVs outnumbering radios by more than two to
  one, criterion 8 met by about 86 % of communes by 2025, fewer in mountain provinces);
* kinds with a natural size (criterion: communes × years; funding: a handful of plans a
  year; clusters: the border gates and a few grassroots clusters) stay plausible at any
  size; the other kinds make up the requested total.

Only ``random.Random(seed)`` is used: the same seed, size and province give the same records.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy.orm import Session

from ctmt_desktop.catalog import REORGANISATION_DAY, AdminUnit, Catalog, load_catalog
from ctmt_desktop.db import Database
from ctmt_desktop.errors import ConfigurationError, CtmtError
from ctmt_desktop.kinds import KIND_CODES, kind_spec
from ctmt_desktop.services.indicators import compute_indicators, parse_scope
from ctmt_desktop.services.profile import current_profile
from ctmt_desktop.services.records import (
    RecordContext,
    insert_validated,
    record_context,
    validate_batch,
)
from ctmt_desktop.services.targets import TargetData, find_target, set_target
from ctmt_desktop.text import fold

__all__ = ["DemoCancelled", "generate_demo", "plan_counts", "MIN_RECORDS", "FIRST_DAY", "LAST_DAY"]

FIRST_DAY = date(2021, 1, 1)
LAST_DAY = date(2026, 10, 31)
#: The national ministry merged on 01/03/2025; grassroots information went to culture.
MINISTRY_MERGER_DAY = date(2025, 3, 1)
MIN_RECORDS = len(KIND_CODES)
#: Records validated and inserted per call. Smaller than the service's own chunk: SQLAlchemy
#: splices the RETURNING results of a joined-inheritance insert row by row, which costs more
#: per row the larger the call.
BATCH_SIZE = 1000
#: Draws before a filler record that looks like a duplicate is accepted anyway.
_REDRAWS = 6
YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
CRITERION_YEARS = (2021, 2022, 2023, 2024, 2025)
CRITERION_SET = "QD318_TC8"

# --- proportions ------------------------------------------------------------------------------
#: Activity by year: the 2021-2025 programs were approved in 2022, 2026 runs to October.
_YEAR_WEIGHTS = {2021: 6, 2022: 14, 2023: 20, 2024: 23, 2025: 22, 2026: 15}
#: Activity by month: slow around Tết, busiest before the year's disbursement deadline.
_MONTH_WEIGHTS = (3, 2, 7, 8, 9, 9, 9, 10, 11, 12, 11, 9)
#: Shares of the kinds that make up the total (after the capped kinds).
_FILLER_WEIGHTS = {"media": 42, "event": 20, "device": 15, "radio": 13, "training": 10}
#: Shares of N asked of the capped kinds (each is also capped by its natural size).
_CAPPED_SHARES = {"funding": 0.012, "criterion": 0.08, "cluster": 0.006}
#: Share of communes meeting every indicator of criterion 8, by year.
_CRITERION_MET = {2021: 0.6, 2022: 0.67, 2023: 0.74, 2024: 0.8, 2025: 0.86}
#: Which indicator a commune not meeting the criterion most often misses.
_MISSED_INDICATORS = (("8.3", 40), ("8.2", 30), ("8.4", 20), ("8.1", 10))
#: Commune radio technology by year: the shift to IT-telecom.
_RADIO_TECH = {
    2021: (30, 50, 20),
    2022: (20, 45, 35),
    2023: (12, 38, 50),
    2024: (8, 27, 65),
    2025: (5, 20, 75),
    2026: (3, 12, 85),
}
_FUNDING_SOURCES = (("NSTW", 70), ("NSDP", 20), ("LONGGHEP", 7), ("KHAC", 3))

#: Share of ethnic-minority people among participants, and the ethnic languages used, by
#: current province (statistics-office code). Mountain provinces are far above the lowlands.
_ETHNIC: dict[str, tuple[float, tuple[str, ...]]] = {
    "01": (0.02, ()),
    "04": (0.9, ("tay", "nung", "hmong", "dao")),
    "08": (0.75, ("tay", "hmong", "dao")),
    "11": (0.82, ("thai", "hmong")),
    "12": (0.85, ("thai", "hmong", "dao")),
    "14": (0.83, ("thai", "hmong")),
    "15": (0.6, ("hmong", "dao", "tay")),
    "19": (0.4, ("tay", "dao", "nung")),
    "20": (0.83, ("tay", "nung", "dao")),
    "22": (0.12, ("dao", "tay")),
    "24": (0.03, ()),
    "25": (0.3, ("other_ethnic", "dao")),
    "31": (0.01, ()),
    "33": (0.01, ()),
    "37": (0.05, ("other_ethnic",)),
    "38": (0.17, ("thai", "hmong", "other_ethnic")),
    "40": (0.15, ("thai", "hmong", "other_ethnic")),
    "42": (0.01, ()),
    "44": (0.09, ("bru_van_kieu", "pako_taoi")),
    "46": (0.05, ("pako_taoi", "co_tu")),
    "48": (0.08, ("co_tu", "other_ethnic")),
    "51": (0.3, ("sedang", "bahnar", "other_ethnic")),
    "52": (0.3, ("jrai", "bahnar")),
    "56": (0.12, ("cham", "other_ethnic")),
    "66": (0.28, ("ede", "mnong")),
    "68": (0.2, ("koho", "mnong", "cham")),
    "75": (0.1, ("mnong", "other_ethnic")),
    "79": (0.02, ("khmer",)),
    "80": (0.02, ("khmer",)),
    "82": (0.01, ()),
    "86": (0.1, ("khmer",)),
    "91": (0.1, ("khmer", "cham")),
    "92": (0.15, ("khmer",)),
    "96": (0.05, ("khmer",)),
}

# --- vocabulary of titles -----------------------------------------------------------------------
_TOPICS: dict[str, tuple[str, ...]] = {
    "poverty": (
        "chính sách giảm nghèo đa chiều",
        "chính sách tín dụng ưu đãi cho hộ nghèo",
        "mô hình sinh kế giúp hộ nghèo vươn lên",
        "gương hộ nghèo vượt khó thoát nghèo",
        "chính sách hỗ trợ nhà ở cho hộ nghèo",
        "hỗ trợ việc làm cho người lao động thuộc hộ nghèo",
        "bảo hiểm y tế cho hộ nghèo, hộ cận nghèo",
        "giảm nghèo bền vững",
    ),
    "info": (
        "tiếp cận thông tin thiết yếu",
        "kỹ năng số cho người dân",
        "phòng, chống lừa đảo trên không gian mạng",
        "dịch vụ công trực tuyến",
        "phòng, chống thiên tai",
        "thanh toán không dùng tiền mặt",
        "giảm nghèo về thông tin",
    ),
    "ntm": (
        "xây dựng nông thôn mới",
        "xây dựng nông thôn mới nâng cao",
        "chương trình mỗi xã một sản phẩm (OCOP)",
        "bảo vệ môi trường nông thôn",
        "xây dựng khu dân cư kiểu mẫu",
        "tiêu chí thông tin và truyền thông trong xây dựng nông thôn mới",
    ),
    "ethnic": (
        "chính sách dân tộc",
        "bảo tồn văn hóa truyền thống đồng bào dân tộc thiểu số",
        "phòng, chống tảo hôn và hôn nhân cận huyết thống",
        "phát triển kinh tế vùng đồng bào dân tộc thiểu số",
        "vai trò của người có uy tín trong đồng bào dân tộc thiểu số",
    ),
    "border": (
        "bảo vệ chủ quyền, an ninh biên giới",
        "phòng, chống buôn lậu, gian lận thương mại qua biên giới",
        "xây dựng đường biên giới hòa bình, hữu nghị",
        "phòng, chống mua bán người",
        "thông tin đối ngoại vùng biên giới",
    ),
    "new": (
        "Chương trình MTQG giai đoạn 2026-2035",
        "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026-2030",
        "chuyển đổi số ở cơ sở",
        "chính quyền địa phương hai cấp",
        "giảm nghèo bền vững",
        "phòng, chống lừa đảo trên không gian mạng",
    ),
}
_SERIES: dict[str, tuple[str, ...]] = {
    "poverty": (
        "Vì người nghèo",
        "Giảm nghèo bền vững",
        "Chung tay vì người nghèo",
        "Chính sách và cuộc sống",
    ),
    "info": ("Thông tin thiết yếu", "Thông tin cơ sở", "Chuyển đổi số cho mọi nhà"),
    "ntm": ("Nông thôn mới", "Chung sức xây dựng nông thôn mới", "Tam nông"),
    "ethnic": ("Dân tộc và Miền núi", "Vì đồng bào vùng cao", "Sắc màu các dân tộc"),
    "border": ("Biên cương Tổ quốc", "Vùng biên hôm nay"),
    "new": ("Nông thôn mới - Giảm nghèo bền vững", "Vì người nghèo", "Chuyển đổi số cơ sở"),
}
_LIVELIHOODS = (
    "nuôi bò sinh sản",
    "trồng cà phê",
    "trồng rừng gỗ lớn",
    "nuôi ong lấy mật",
    "trồng dược liệu dưới tán rừng",
    "chăn nuôi lợn đen bản địa",
    "trồng chuối xuất khẩu",
    "du lịch cộng đồng",
    "nuôi cá lồng",
    "trồng lúa hữu cơ",
    "trồng cam",
    "nuôi dê",
    "trồng rau an toàn",
    "làm hàng thủ công mỹ nghệ",
    "trồng sắn cao sản",
)
_DOCUMENTARIES = (
    "Đổi thay vùng biên",
    "Sáng đèn vùng cao",
    "Những người giữ lửa thông tin cơ sở",
    "Vững bước thoát nghèo",
    "Mùa vàng trên bản",
    "Tiếng loa vùng cao",
    "Chung sức vì người nghèo",
    "Bản làng hôm nay",
    "Nghị lực vượt nghèo",
)
_BOOKS = (
    "Cẩm nang giảm nghèo về thông tin",
    "Hỏi - đáp về Chương trình MTQG giảm nghèo bền vững",
    "Sổ tay kỹ năng thông tin cơ sở",
    "Hỏi - đáp về tiêu chí thông tin và truyền thông trong xây dựng nông thôn mới",
    "Sổ tay tuyên truyền viên cơ sở",
    "Hỏi - đáp pháp luật cho đồng bào dân tộc thiểu số",
    "Cẩm nang chuyển đổi số cho người dân",
)
_PUBLICATIONS = (
    "Thông tin thiết yếu cho đồng bào vùng cao",
    "Bản tin giảm nghèo",
    "Bản tin nông thôn mới",
    "Bản tin thông tin đối ngoại vùng biên",
)
_NOTES = (
    "Số liệu tổng hợp từ báo cáo của UBND xã.",
    "Đã nghiệm thu, thanh quyết toán.",
    "Chờ bổ sung chứng từ thanh toán.",
    "Hồ sơ lưu tại phòng chuyên môn.",
    "Đã đăng tải trên Trang thông tin điện tử của Sở.",
    "Phối hợp với Mặt trận Tổ quốc và các đoàn thể thực hiện.",
    "Kinh phí lồng ghép một phần từ nguồn sự nghiệp của địa phương.",
)
#: Training: target group -> (weight, titles, share at commune level, at village level,
#: share of women).
_TRAINING_GROUPS: dict[
    str, tuple[int, tuple[str, ...], tuple[float, float], tuple[float, float], tuple[float, float]]
] = {
    "grassroots_info_staff": (
        30,
        (
            "Lớp tập huấn nâng cao kỹ năng thông tin cơ sở",
            "Lớp bồi dưỡng nghiệp vụ thông tin cơ sở",
            "Tập huấn kỹ năng khai thác, biên tập tin bài cho cán bộ thông tin cơ sở",
            "Tập huấn kỹ năng sử dụng mạng xã hội trong tuyên truyền cho cán bộ thông tin cơ sở",
        ),
        (0.5, 0.7),
        (0.2, 0.4),
        (0.35, 0.5),
    ),
    "radio_staff": (
        14,
        (
            "Tập huấn nghiệp vụ cho cán bộ đài truyền thanh cấp xã",
            "Lớp tập huấn vận hành đài truyền thanh ứng dụng CNTT-VT",
        ),
        (0.8, 1.0),
        (0.0, 0.15),
        (0.3, 0.45),
    ),
    "poverty_staff": (
        16,
        (
            "Lớp bồi dưỡng kỹ năng truyền thông về giảm nghèo đa chiều",
            "Tập huấn nghiệp vụ truyền thông giảm nghèo cho cán bộ làm công tác giảm nghèo",
        ),
        (0.5, 0.7),
        (0.2, 0.4),
        (0.4, 0.55),
    ),
    "village_heads": (
        12,
        (
            "Tập huấn kỹ năng tuyên truyền cho trưởng thôn, bản, tổ dân phố",
            "Lớp bồi dưỡng kỹ năng thông tin cơ sở cho trưởng thôn, bản",
        ),
        (0.0, 0.1),
        (0.85, 1.0),
        (0.2, 0.4),
    ),
    "propagandists": (
        10,
        (
            "Lớp bồi dưỡng nghiệp vụ cho báo cáo viên, tuyên truyền viên cơ sở",
            "Tập huấn kỹ năng tuyên truyền miệng cho tuyên truyền viên",
        ),
        (0.3, 0.5),
        (0.1, 0.3),
        (0.35, 0.5),
    ),
    "journalists": (
        6,
        ("Lớp bồi dưỡng nghiệp vụ thông tin về giảm nghèo cho phóng viên, biên tập viên",),
        (0.0, 0.0),
        (0.0, 0.0),
        (0.4, 0.55),
    ),
    "prestigious_people": (
        6,
        ("Tập huấn kỹ năng thông tin, tuyên truyền cho người có uy tín trong đồng bào DTTS",),
        (0.0, 0.1),
        (0.8, 1.0),
        (0.1, 0.3),
    ),
    "border_guards": (
        3,
        (
            "Lớp bồi dưỡng kiến thức, kỹ năng về thông tin đối ngoại cho cán bộ, chiến sĩ "
            "biên phòng",
        ),
        (0.0, 0.0),
        (0.0, 0.0),
        (0.03, 0.12),
    ),
    "other": (
        3,
        ("Tập huấn kỹ năng số, sử dụng mạng xã hội an toàn cho người dân",),
        (0.2, 0.4),
        (0.2, 0.4),
        (0.4, 0.55),
    ),
}
#: Events: type -> (weight, participants per session (low, high), sessions (low, high),
#: cost per session in millions (low, high)). Policy dialogues ten times the talks (798/76).
_EVENT_TYPES: dict[str, tuple[int, tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    "policy_dialogue": (46, (40, 110), (1, 3), (20, 70)),
    "talk": (5, (40, 100), (1, 1), (15, 50)),
    "conference": (20, (60, 180), (1, 1), (30, 150)),
    "mobile_festival": (6, (250, 1200), (1, 3), (150, 500)),
    "radio_festival": (3, (100, 300), (1, 1), (150, 400)),
    "press_award": (4, (60, 150), (1, 1), (100, 350)),
    "exhibition": (4, (400, 2500), (1, 2), (100, 450)),
    "other": (4, (80, 300), (1, 1), (30, 120)),
}
#: Media: type -> (weight, unit, quantity (low, high), unit cost in thousands (low, high),
#: minutes (low, high) or None, pages (low, high) or None).
_MEDIA_TYPES: dict[
    str,
    tuple[
        int, str, tuple[int, int], tuple[int, int], tuple[int, int] | None, tuple[int, int] | None
    ],
] = {
    "radio_programme": (240, "programme", (1, 1), (8_000, 25_000), (15, 30), None),
    "special_issue": (150, "episode", (3, 5), (35_000, 90_000), None, (8, 16)),
    "article": (120, "item", (1, 4), (1_500, 4_000), None, None),
    "news": (110, "item", (8, 40), (400, 1_200), None, None),
    "report": (90, "item", (1, 1), (10_000, 30_000), (5, 15), None),
    "video_clip": (50, "film", (1, 4), (5_000, 15_000), (2, 5), None),
    "photo": (40, "photo", (5, 30), (300, 800), None, None),
    "column": (40, "episode", (1, 1), (5_000, 20_000), None, (1, 2)),
    "tv_programme": (34, "programme", (1, 1), (15_000, 60_000), (15, 30), None),
    "poster": (25, "piece", (1, 4), (3_000, 15_000), None, None),
    "publication": (20, "copy", (500, 3_000), (20, 60), None, (16, 48)),
    "documentary": (12, "film", (1, 1), (80_000, 250_000), (20, 45), None),
    "leaflet": (12, "sheet", (1_000, 10_000), (2, 5), None, (2, 6)),
    "book": (6, "copy", (500, 1_500), (40, 120), None, (80, 240)),
}
#: Devices: type -> (weight, quantity (low, high), unit cost in thousands (low, high)).
#: TVs to radios about 2.4 to 1 in units (9,694 / 4,058); 582 outdoor points.
_DEVICE_TYPES: dict[str, tuple[int, tuple[int, int], tuple[int, int]]] = {
    "tv": (46, (10, 60), (5_500, 9_000)),
    "radio": (22, (10, 50), (500, 1_200)),
    "outdoor_point": (18, (2, 6), (20_000, 80_000)),
    "receiver": (9, (10, 50), (800, 1_500)),
    "public_info_point": (6, (1, 1), (80_000, 200_000)),
    "border_post_equipment": (6, (1, 3), (80_000, 250_000)),
}


#: Media the press agency itself produces (it is then the implementing unit).
_PRESS_TYPES = frozenset(
    {
        "radio_programme",
        "tv_programme",
        "report",
        "news",
        "article",
        "photo",
        "column",
        "special_issue",
        "documentary",
    }
)
#: The day the demo is "entered" on: recent records are more often drafts. Fixed, so that the
#: data does not depend on the clock.
TODAY = date(2026, 11, 22)


#: Funding plans: (tier, program node, type, source, plan in millions (low, high), what).
#: Lower tiers come first when only a few plans fit the requested size.
_FUNDING_LINES_2021: tuple[tuple[int, str, str, str, tuple[int, int], str], ...] = (
    (0, "GNBV21.DA6.TDA1", "recurrent", "NSTW", (1500, 6000),
     "Tiểu dự án 1 - Giảm nghèo về thông tin, Dự án 6 Chương trình MTQG giảm nghèo bền vững"),
    (1, "GNBV21.DA6.TDA2", "recurrent", "NSTW", (500, 2000),
     "Tiểu dự án 2 - Truyền thông về giảm nghèo đa chiều, Dự án 6 Chương trình MTQG giảm nghèo "
     "bền vững"),
    (2, "GNBV21.DA6.TDA1", "recurrent", "NSDP", (150, 600),
     "Tiểu dự án 1 - Giảm nghèo về thông tin, Dự án 6 Chương trình MTQG giảm nghèo bền vững"),
    (3, "GNBV21.DA6.TDA1", "investment", "NSTW", (1000, 5000),
     "Tiểu dự án 1 - Giảm nghèo về thông tin: đài truyền thanh cấp xã, cụm thông tin"),
    (4, "NTM21.TT", "recurrent", "NSTW", (200, 1000),
     "nội dung truyền thông về xây dựng nông thôn mới"),
    (5, "NTM21.TC8", "investment", "NSDP", (300, 2000),
     "tiêu chí số 8 về Thông tin và Truyền thông trong xây dựng nông thôn mới"),
    (6, "DTTS21.DA10.TDA1", "recurrent", "NSTW", (500, 3000),
     "Tiểu dự án 1, Dự án 10 Chương trình MTQG phát triển KT-XH vùng đồng bào DTTS và miền núi"),
)  # fmt: skip
_FUNDING_LINES_2026: tuple[tuple[int, str, str, str, tuple[int, int], str], ...] = (
    (0, "MTQG26.TT", "recurrent", "NSTW", (2000, 8000),
     "nội dung thông tin và truyền thông, Chương trình MTQG giai đoạn 2026-2035"),
    (2, "MTQG26.TT", "recurrent", "NSDP", (200, 800),
     "nội dung thông tin và truyền thông, Chương trình MTQG giai đoạn 2026-2035"),
    (3, "MTQG26.TT", "investment", "NSTW", (1000, 5000),
     "hạ tầng thông tin cơ sở, Chương trình MTQG giai đoạn 2026-2035"),
)  # fmt: skip
_SOURCE_NAMES = {"NSTW": "ngân sách trung ương", "NSDP": "ngân sách địa phương"}


# --- errors ----------------------------------------------------------------------------------
class DemoCancelled(CtmtError):
    """The progress callback asked to stop; nothing was written."""


# --- the province, its communes and outlets -------------------------------------------------------
_COMMUNE_PREFIXES = ("Xã ", "Phường ", "Thị trấn ", "Đặc khu ")


def _split_type(name: str) -> tuple[str, str]:
    """``"Xã Hướng Phùng"`` -> ``("xã", "Hướng Phùng")``."""
    for prefix in _COMMUNE_PREFIXES:
        if name.startswith(prefix):
            return prefix.strip().lower(), name[len(prefix) :]
    return "", name


def _bare_province(name: str) -> str:
    """``"Thành phố Huế"`` -> ``"Huế"`` (for outlet names); a city named after a person keeps
    its prefix (``"Thành phố Hồ Chí Minh"``)."""
    if name.startswith("Thành phố ") and name != "Thành phố Hồ Chí Minh":
        return name[len("Thành phố ") :]
    return name


def _province_phrase(name: str) -> str:
    """``"Quảng Bình"`` -> ``"tỉnh Quảng Bình"``; ``"Thành phố Huế"`` -> ``"thành phố Huế"``."""
    if name.startswith("Thành phố "):
        return "thành phố " + name[len("Thành phố ") :]
    return "tỉnh " + name


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class _Commune:
    """A commune as titles name it."""

    code: str
    phrase: str  # "xã Hướng Phùng" (with its district when the name alone is ambiguous)
    short: str  # "Hướng Phùng"
    district: str  # "huyện Hướng Hóa" for legacy communes, "" for current ones
    rural: bool  # a xã: the new-rural criteria apply
    hamlets: int


@dataclass
class _Area:
    """The province-level unit records of one era are about.

    Before 01/07/2025: an old province merged into the current one, with its districts.
    From that day: the current province.
    """

    code: str
    name: str  # bare name for outlets: "Quảng Bình", "Huế"
    phrase: str  # "tỉnh Quảng Bình"
    communes: list[_Commune]
    districts: dict[str, list[_Commune]] = field(default_factory=dict)
    district_names: list[str] = field(default_factory=list)
    district_cum: list[int] = field(default_factory=list)

    def outlet_radio_tv(self) -> str:
        return f"Đài Phát thanh và Truyền hình {self.name}"

    def outlet_paper(self) -> str:
        return f"Báo {self.name}"

    def outlet_e_paper(self) -> str:
        return f"Báo {self.name} điện tử"

    def outlet_portal(self) -> str:
        return f"Cổng Thông tin điện tử {self.phrase}"


@dataclass(frozen=True)
class _Gate:
    name: str  # "Cửa khẩu quốc tế Lao Bảo"
    legacy: _Commune
    current: _Commune


@dataclass(frozen=True)
class _Scene:
    """Where and when one record happens."""

    start: date
    end: date
    area: _Area

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def legacy(self) -> bool:
        return self.start < REORGANISATION_DAY


class _World:
    """The province as the generator sees it: areas, communes, gates, programs, dates."""

    def __init__(self, catalog: Catalog, province: str, agency: str, rng: random.Random) -> None:
        admin = catalog.admin
        unit = admin.get(province)
        if unit is None or unit.level != "province" or unit.legacy:
            raise ConfigurationError(f"the agency profile names an unknown province '{province}'")
        self.catalog = catalog
        self.province = province
        self.agency = agency
        self.ethnic_share, self.languages = _ETHNIC.get(province, (0.05, ("other_ethnic",)))
        self.language_names = {
            code: _lower_first(term.vi) for code, term in catalog.vocabulary("languages").items()
        }
        self.languages = tuple(c for c in self.languages if c in self.language_names)
        self.mountain = self.ethnic_share >= 0.3

        legacy_units = admin.communes(province, legacy=True)
        current_units = admin.communes(province)
        if not current_units:
            raise ConfigurationError(f"the catalog has no communes for province {province}")
        self.current = _Area(
            province,
            _bare_province(unit.name),
            _province_phrase(unit.name),
            [self._commune(u, rng, 10, 25) for u in current_units],
        )
        self.legacy_areas = self._legacy_areas(catalog, legacy_units, rng)
        if not self.legacy_areas:  # a catalog without legacy units: use the current ones
            self.legacy_areas = [self.current]
        self.legacy_cum = list(accumulate(len(a.communes) for a in self.legacy_areas))
        self.current_by_code = {c.code: c for c in self.current.communes}
        self.area_of = {c.code: self.current for c in self.current.communes}
        self.area_of.update({c.code: a for a in self.legacy_areas for c in a.communes})
        self.gates = self._gates(catalog, legacy_units, current_units, rng)
        self.rural_legacy = [c for a in self.legacy_areas for c in a.communes if c.rural] or [
            c for a in self.legacy_areas for c in a.communes
        ]
        self.programs = _ProgramChooser(catalog)
        self.days = {year: _weighted_days(year) for year in YEARS}
        self.year_list = list(_YEAR_WEIGHTS)
        self.year_cum = list(accumulate(_YEAR_WEIGHTS.values()))

    @staticmethod
    def _commune(
        unit: AdminUnit,
        rng: random.Random,
        low: int,
        high: int,
        district: str = "",
        ambiguous: bool = False,
    ) -> _Commune:
        prefix, short = _split_type(unit.name)
        phrase = f"{prefix} {short}".strip()
        if (ambiguous or short[:1].isdigit()) and district:
            phrase = f"{phrase}, {district}"
        return _Commune(unit.code, phrase, short, district, prefix == "xã", rng.randint(low, high))

    def _legacy_areas(
        self, catalog: Catalog, units: list[AdminUnit], rng: random.Random
    ) -> list[_Area]:
        admin = catalog.admin
        names: dict[str, int] = {}
        for unit in units:
            names[unit.name] = names.get(unit.name, 0) + 1
        areas: dict[str, _Area] = {}
        for unit in units:
            district_unit = admin.get(unit.parent) if unit.parent else None
            old_code = district_unit.parent if district_unit and district_unit.parent else None
            old = admin.get(old_code) if old_code else None
            if old is None:
                continue
            district = _lower_first(district_unit.name) if district_unit else ""
            commune = self._commune(unit, rng, 5, 18, district, names[unit.name] > 1)
            area = areas.get(old.code)
            if area is None:
                area = areas[old.code] = _Area(
                    old.code, _bare_province(old.name), _province_phrase(old.name), []
                )
            area.communes.append(commune)
            area.districts.setdefault(district, []).append(commune)
        for area in areas.values():
            area.district_names = list(area.districts)
            area.district_cum = list(accumulate(len(c) for c in area.districts.values()))
        return [areas[code] for code in sorted(areas)]

    def _gates(
        self,
        catalog: Catalog,
        legacy_units: list[AdminUnit],
        current_units: list[AdminUnit],
        rng: random.Random,
    ) -> list[_Gate]:
        legacy_by_code = {c.code: c for a in self.legacy_areas for c in a.communes}
        gates = []
        for name in catalog.border_gates_of(self.province):
            place = name
            for prefix in ("Cửa khẩu quốc tế ", "Cửa khẩu "):
                if place.startswith(prefix):
                    place = place[len(prefix) :]
                    break
            legacy = next(
                (
                    legacy_by_code[u.code]
                    for u in legacy_units
                    if _split_type(u.name)[1] == place and u.code in legacy_by_code
                ),
                None,
            )
            current = next(
                (
                    self.current_by_code[u.code]
                    for u in current_units
                    if _split_type(u.name)[1] == place
                ),
                None,
            )
            if legacy is None and current is not None:  # the old commune it was made from
                merged = [u for u in legacy_units if current.code in u.new_communes]
                merged.sort(key=lambda u: u.default_new != current.code)
                legacy = next((legacy_by_code[u.code] for u in merged if u.code in legacy_by_code),
                              None)  # fmt: skip
            if legacy is None:
                legacy = rng.choice(self.rural_or_all(legacy_by_code))
            if current is None:
                unit = catalog.admin.get(legacy.code)
                new = unit.default_new if unit is not None else None
                current = self.current_by_code.get(new or "") or rng.choice(self.current.communes)
            gates.append(_Gate(name, legacy, current))
        return gates

    @staticmethod
    def rural_or_all(communes: dict[str, _Commune]) -> list[_Commune]:
        rural = [c for c in communes.values() if c.rural]
        return rural or list(communes.values())

    # --- choices -------------------------------------------------------------------------
    def scene(self, rng: random.Random, length: int, year: int | None = None) -> _Scene:
        """A date range of ``length`` days in one year and the area of its era."""
        if year is None:
            year = rng.choices(self.year_list, cum_weights=self.year_cum)[0]
        days, cum = self.days[year]
        start = rng.choices(days, cum_weights=cum)[0]
        last = _year_end(year)
        if start + timedelta(days=length - 1) > last:
            start = last - timedelta(days=length - 1)
        end = start + timedelta(days=length - 1)
        return _Scene(start, end, self.area_on(rng, start))

    def area_on(self, rng: random.Random, day: date) -> _Area:
        if day >= REORGANISATION_DAY:
            return self.current
        if len(self.legacy_areas) == 1:
            return self.legacy_areas[0]
        return rng.choices(self.legacy_areas, cum_weights=self.legacy_cum)[0]

    def communes(self, rng: random.Random, area: _Area, count: int = 1) -> list[_Commune]:
        """``count`` distinct communes of ``area``, from one district when it has them."""
        pool = area.communes
        if area.districts:
            district = rng.choices(area.district_names, cum_weights=area.district_cum)[0]
            pool = area.districts[district]
        count = min(count, len(pool))
        if count == 1:
            return [rng.choice(pool)]
        return rng.sample(pool, count)

    def department(self, scene: _Scene) -> str:
        """The department that ran the activity at the time (names changed in 2025)."""
        if not scene.legacy:
            return self.agency
        if scene.start < MINISTRY_MERGER_DAY:
            return f"Sở Thông tin và Truyền thông {scene.area.phrase}"
        return f"Sở Văn hóa, Thể thao và Du lịch {scene.area.phrase}"

    def ethnic_language(self, rng: random.Random, chance: float) -> str:
        if self.languages and rng.random() < chance:
            return rng.choice(self.languages)
        return "vi"


def _year_end(year: int) -> date:
    return LAST_DAY if year == LAST_DAY.year else date(year, 12, 31)


def _weighted_days(year: int) -> tuple[list[date], list[float]]:
    """Every day of ``year`` up to its last demo day, with cumulative month weights."""
    days: list[date] = []
    weights: list[float] = []
    day, last = date(year, 1, 1), _year_end(year)
    while day <= last:
        if day.weekday() < 5:  # offices work Monday to Friday
            days.append(day)
            weights.append(_MONTH_WEIGHTS[day.month - 1])
        day += timedelta(days=1)
    return days, list(accumulate(weights))


class _ProgramChooser:
    """Program nodes fitting a kind and flavour, valid over 2021-2025 or over 2026."""

    #: flavour -> nodes (2021-2025) with weights; the 2026 node per flavour below.
    OLD: dict[str, tuple[tuple[str, int], ...]] = {
        "training_info": (("GNBV21.DA6.TDA1.ND1", 1),),
        "training_border": (("DTTS21.DA10.TDA1.ND2", 1),),
        "training_ethnic": (("DTTS21.DA10.TDA1.ND1", 1),),
        "training_poverty": (("GNBV21.DA6.TDA2.ND1", 1),),
        "event_dialogue": (("GNBV21.DA6.TDA2.ND2", 1),),
        "event_conference": (("GNBV21.DA6.TDA2.ND2", 3), ("GNBV21.DA6.TDA1.ND1", 1)),
        "event_ntm": (("NTM21.TT", 1),),
        "event_poverty": (("GNBV21.DA6.TDA2.ND1", 1),),
        "event_ethnic": (("DTTS21.DA10.TDA1.ND1", 1),),
        "media_poverty": (("GNBV21.DA6.TDA2.ND1", 1),),
        "media_info": (("GNBV21.DA6.TDA1.ND6", 1),),
        "media_ntm": (("NTM21.TT", 1),),
        "media_ethnic": (("DTTS21.DA10.TDA1.ND1", 1),),
        "media_border": (("GNBV21.DA6.TDA1.ND2", 1),),
        "radio": (("GNBV21.DA6.TDA1.ND5", 6), ("NTM21.TC8.83", 4)),
        "device_household": (("DTTS21.DA10.TDA1.ND1", 4), ("GNBV21.DA6.TDA1.ND3", 1)),
        "device_point": (("GNBV21.DA6.TDA1.ND3", 1),),
        "device_border": (("GNBV21.DA6.TDA1.ND4", 1),),
        "device_outdoor": (("GNBV21.DA6.TDA2.ND1", 1), ("NTM21.TT", 1)),
        "cluster": (("GNBV21.DA6.TDA1.ND2", 1),),
        "criterion": (("NTM21.TC8", 1),),
    }
    NEW: dict[str, str] = {
        "training": "MTQG26.TT.DT",
        "event": "MTQG26.TT.ND",
        "media": "MTQG26.TT.ND",
        "radio": "MTQG26.TT.HT",
        "device": "MTQG26.TT.HT",
        "cluster": "MTQG26.TT.HT",
    }

    def __init__(self, catalog: Catalog) -> None:
        old_valid = {n.code for n in catalog.programs_valid_over(FIRST_DAY, date(2025, 12, 31))}
        new_valid = {n.code for n in catalog.programs_valid_over(date(2026, 1, 1), LAST_DAY)}
        old_fallback = _deepest(old_valid)
        new_fallback = _deepest(new_valid)
        if old_fallback is None or new_fallback is None:
            raise ConfigurationError("the catalog has no program valid over 2021-2025 and 2026")
        self.old: dict[str, tuple[list[str], list[int]]] = {}
        for flavour, options in self.OLD.items():
            kept = [(code, weight) for code, weight in options if code in old_valid]
            if not kept:
                kept = [(old_fallback, 1)]
            self.old[flavour] = ([c for c, _ in kept], list(accumulate(w for _, w in kept)))
        self.new = {
            flavour: code if code in new_valid else new_fallback
            for flavour, code in self.NEW.items()
        }

    def pick(self, rng: random.Random, flavour: str, year: int) -> str:
        """A node for ``flavour`` (``kind_line``) valid over the whole of ``year``."""
        if year >= 2026:
            return self.new[flavour.split("_", 1)[0]]
        codes, cum = self.old[flavour]
        return codes[0] if len(codes) == 1 else rng.choices(codes, cum_weights=cum)[0]


def _deepest(codes: set[str]) -> str | None:
    """A content-level node among ``codes`` (the deepest, first in order), if any."""
    if not codes:
        return None
    return sorted(codes, key=lambda c: (-c.count("."), c))[0]


# --- the generator -------------------------------------------------------------------------------
def _money(value: float) -> int:
    """Whole đồng rounded to thousands."""
    return int(round(value / 1000.0)) * 1000


def _weight(value: Any) -> float:
    return float(value[0]) if isinstance(value, tuple) else float(value)


class _Weighted:
    """Fast repeated weighted choice over a fixed table."""

    def __init__(self, table: dict[str, Any]) -> None:
        self.keys = list(table)
        self.cum = list(accumulate(_weight(v) for v in table.values()))

    def __call__(self, rng: random.Random) -> str:
        return rng.choices(self.keys, cum_weights=self.cum)[0]


class _Generator:
    """Builds the records of each kind as ``ctmt add`` would receive them."""

    def __init__(self, world: _World, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.counters: dict[tuple[Any, ...], int] = {}
        self.training_group = _Weighted(_TRAINING_GROUPS)
        self.event_type = _Weighted(_EVENT_TYPES)
        self.media_type = _Weighted(_MEDIA_TYPES)
        device_types = dict(_DEVICE_TYPES)
        if not world.gates:  # border-post equipment only where there is a border
            device_types.pop("border_post_equipment")
        self.device_type = _Weighted(device_types)
        self.source = _Weighted(dict(_FUNDING_SOURCES))
        ethnic = 6 if world.ethnic_share >= 0.1 else 1
        border = 3 if world.gates else 0
        self.media_theme = _Weighted(
            {"poverty": 8, "info": 6, "ntm": 5, "ethnic": ethnic, "border": border}
        )

    # --- shared helpers -------------------------------------------------------------------
    def count(self, *key: Any) -> int:
        value = self.counters.get(key, 0) + 1
        self.counters[key] = value
        return value

    def status(self, scene: _Scene) -> str:
        age = (TODAY - scene.end).days
        chance = 0.96 if age > 365 else 0.8 if age > 180 else 0.55 if age > 60 else 0.25
        return "confirmed" if self.rng.random() < chance else "draft"

    def notes(self) -> str | None:
        return self.rng.choice(_NOTES) if self.rng.random() < 0.2 else None

    def common(
        self,
        scene: _Scene,
        program: str,
        title: str,
        places: Sequence[str],
        unit: str,
        cost: int | None,
    ) -> dict[str, Any]:
        """The fields most kinds share; ``cost`` None for a kind without one (a cluster)."""
        record: dict[str, Any] = {
            "program": program,
            "title": title,
            "start_date": scene.start,
            "end_date": scene.end,
            "places": list(places),
            "implementing_unit": unit,
            "funding_source": self.source(self.rng),
            "status": self.status(scene),
        }
        if cost is not None:
            record["cost"] = cost
        notes = self.notes()
        if notes:
            record["notes"] = notes
        return record

    def ethnic_count(self, total: int, factor: float = 1.0) -> int:
        """Ethnic-minority people among ``total``, around the province's share."""
        mean = self.world.ethnic_share * factor
        share = min(0.97, max(0.0, self.rng.gauss(mean, 0.08 * math.sqrt(mean + 0.01))))
        return min(total, int(round(total * share)))

    def local_unit(self, scene: _Scene, commune: _Commune) -> str:
        """The department, a district centre (until 06/2025) or the commune committee."""
        roll = self.rng.random()
        if roll < 0.55:
            return self.world.department(scene)
        if scene.legacy and commune.district and roll < 0.8:
            return f"Trung tâm Văn hóa - Thông tin và Thể thao {commune.district}"
        return f"UBND {commune.phrase}"

    # --- training ---------------------------------------------------------------------------
    def training(self) -> dict[str, Any]:
        rng, world = self.rng, self.world
        group = self.training_group(rng)
        if group == "border_guards" and not world.gates:
            group = "grassroots_info_staff"
        _, bases, commune_share, village_share, women = _TRAINING_GROUPS[group]
        days = rng.choices((1, 2, 3, 4, 5), cum_weights=(30, 70, 90, 95, 100))[0]
        scene = world.scene(rng, days)
        if scene.year >= 2026:
            flavour = "training"
        elif group == "border_guards":
            flavour = "training_border"
        elif group == "prestigious_people":
            flavour = "training_ethnic"
        elif group == "poverty_staff":
            flavour = "training_poverty"
        else:
            flavour = "training_info"
        program = world.programs.pick(rng, flavour, scene.year)
        communes = world.communes(rng, scene.area, rng.choice((1, 1, 1, 2, 3)))
        base = rng.choice(bases)
        if scene.year >= 2026 and rng.random() < 0.4:
            base = (
                "Lớp tập huấn triển khai nội dung thông tin và truyền thông của Chương "
                "trình MTQG giai đoạn 2026-2035"
            )
        provincial = group in ("journalists", "border_guards")
        unit = self.local_unit(scene, communes[0])
        roll = rng.random()
        if roll < 0.35 or provincial:
            title = f"{base} năm {scene.year}"
            number = self.count("training", base, scene.area.code, scene.year)
            if number > 1:
                title += f" (lớp thứ {number})"
            unit = world.department(scene)
        elif roll < 0.75 or not communes[0].district:
            title = f"{base} tại {communes[0].phrase}"
        else:
            title = f"{base} {communes[0].district} năm {scene.year}"
        classes = 1 if rng.random() < 0.85 else rng.randint(2, 4)
        participants = sum(rng.randint(40, 120) for _ in range(classes))
        female = int(round(participants * rng.uniform(*women)))
        commune_level = int(participants * rng.uniform(*commune_share))
        village_level = min(
            participants - commune_level, int(participants * rng.uniform(*village_share))
        )
        material = rng.choices(
            ("print", "electronic", "ethnic_language"),
            weights=(60, 30, 10 if world.languages else 0),
        )[0]
        online = 0.3 if scene.year == 2021 else 0.08
        form = rng.choices(
            ("in_person", "online", "blended"), weights=(0.85 - online, online, 0.07)
        )[0]
        cost_per_class = rng.uniform(35e6, 110e6) * (0.85 + 0.1 * days)
        if form == "online":
            cost_per_class *= 0.4
        record = self.common(
            scene,
            program,
            title,
            [c.code for c in communes],
            unit,
            _money(cost_per_class * classes),
        )
        record.update(
            classes=classes,
            days=days,
            form=form,
            target_group=group,
            participants=participants,
            participants_female=female,
            participants_ethnic=self.ethnic_count(participants, 0.4 if provincial else 1.0),
            participants_commune=commune_level,
            participants_village=village_level,
            material_type=material,
        )
        return record

    # --- events -------------------------------------------------------------------------------
    def event(self) -> dict[str, Any]:
        rng, world = self.rng, self.world
        kind = self.event_type(rng)
        _, per_session, sessions_range, cost_range = _EVENT_TYPES[kind]
        low, high = sessions_range
        sessions = low if high == low or rng.random() < 0.7 else rng.randint(low + 1, high)
        length = sessions if kind in ("mobile_festival", "exhibition") else 1
        scene = world.scene(rng, length)
        year, area = scene.year, scene.area
        commune = world.communes(rng, area)[0]
        place = commune.phrase
        places = [commune.code]
        topic = rng.choice(_TOPICS["new" if year >= 2026 else "poverty"])
        line = "poverty"
        if kind == "policy_dialogue":
            line = "dialogue"
            title = rng.choice(
                (
                    f"Hội nghị đối thoại chính sách về giảm nghèo tại {place}",
                    f"Đối thoại chính sách về {topic} với người dân {place}",
                    f"Đối thoại chính sách về hỗ trợ sinh kế cho hộ nghèo {place} năm {year}",
                )
            )
        elif kind == "talk":
            line = "dialogue"
            title = rng.choice(
                (
                    f"Tọa đàm chia sẻ kinh nghiệm giảm nghèo bền vững tại {place}",
                    f"Tọa đàm về vai trò của đài truyền thanh cơ sở trong công tác giảm nghèo "
                    f"tại {place}",
                    f"Tọa đàm “Giảm nghèo về thông tin - cầu nối đến vùng khó” tại {place}",
                )
            )
        elif kind == "conference":
            places, line = [area.code], "conference"
            options = [
                (f"Hội nghị triển khai nhiệm vụ giảm nghèo về thông tin năm {year}", line),
                (
                    f"Hội nghị đánh giá tình hình thực hiện tiêu chí thông tin và truyền thông "
                    f"trong xây dựng nông thôn mới năm {year}",
                    "ntm",
                ),
                (
                    f"Hội nghị trao đổi, học tập kinh nghiệm thực hiện Chương trình MTQG giảm "
                    f"nghèo bền vững năm {year}",
                    line,
                ),
                (
                    f"Hội nghị sơ kết công tác thông tin, truyền thông về giảm nghèo 6 tháng đầu "
                    f"năm {year}",
                    line,
                ),
            ]
            if year == 2023:
                options.append(
                    (
                        "Hội nghị sơ kết giữa kỳ thực hiện Dự án 6 Chương trình MTQG "
                        "giảm nghèo bền vững giai đoạn 2021-2025",
                        line,
                    )
                )
            if year == 2025:
                options.append(
                    (
                        "Hội nghị tổng kết thực hiện nội dung thông tin và truyền "
                        "thông các Chương trình MTQG giai đoạn 2021-2025",
                        line,
                    )
                )
            if year >= 2026:
                options = [
                    (f"Hội nghị quán triệt, triển khai {topic}", line),
                    (f"Hội nghị triển khai nhiệm vụ thông tin cơ sở năm {year}", line),
                ]
            title, line = rng.choice(options)
        elif kind == "mobile_festival":
            line = "ntm"
            if self.count("mobile", area.code, year) == 1:
                places = [area.code]
                title = f"Liên hoan các đội thông tin lưu động {area.phrase} năm {year}"
            else:
                title = (
                    f"Liên hoan thông tin lưu động tuyên truyền về xây dựng nông thôn mới "
                    f"tại {place} năm {year}"
                )
        elif kind == "radio_festival":
            line = "ntm"
            if self.count("radio_festival", area.code, year) == 1:
                places = [area.code]
                title = f"Liên hoan truyền thanh cơ sở {area.phrase} năm {year}"
            elif commune.district:
                title = f"Liên hoan truyền thanh cơ sở các xã thuộc {commune.district} năm {year}"
            else:
                title = f"Liên hoan truyền thanh cơ sở tại {place} năm {year}"
        elif kind == "press_award":
            places = [area.code]
            title, line = rng.choice(
                (
                    (f"Giải báo chí về giảm nghèo bền vững {area.phrase} năm {year}", "poverty"),
                    (
                        f"Cuộc thi sáng tác tác phẩm báo chí về xây dựng nông thôn mới năm {year}",
                        "ntm",
                    ),
                )
            )
        elif kind == "exhibition":
            title, line = rng.choice(
                (
                    (
                        f"Triển lãm ảnh “{rng.choice(_DOCUMENTARIES)}” tại {place}",
                        "ethnic" if world.ethnic_share >= 0.1 else "poverty",
                    ),
                    (f"Triển lãm sản phẩm OCOP và thành tựu giảm nghèo tại {place}", "poverty"),
                )
            )
        else:
            title = rng.choice(
                (
                    f"Hội thi tuyên truyền viên giỏi về giảm nghèo tại {place}",
                    f"Ngày hội thông tin cơ sở tại {place}",
                )
            )
        program = world.programs.pick(rng, f"event_{line}", year)
        if places == [area.code]:
            unit = world.department(scene)
        else:
            unit = self.local_unit(scene, commune)
        participants = sum(rng.randint(*per_session) for _ in range(sessions))
        if kind in ("policy_dialogue", "talk"):
            poor_share = rng.uniform(0.2, 0.5)
        else:
            poor_share = rng.uniform(0.0, 0.2)
        record = self.common(
            scene, program, title, places, unit, _money(rng.uniform(*cost_range) * 1e6 * sessions)
        )
        record.update(
            event_type=kind,
            sessions=sessions,
            participants=participants,
            participants_female=int(round(participants * rng.uniform(0.35, 0.55))),
            participants_ethnic=self.ethnic_count(participants),
            participants_poor=int(round(participants * poor_share)),
        )
        return record

    # --- media -------------------------------------------------------------------------------
    def media(self) -> dict[str, Any]:
        rng, world = self.rng, self.world
        kind = self.media_type(rng)
        _, unit, quantity_range, unit_cost_range, minutes, pages = _MEDIA_TYPES[kind]
        length = (
            rng.randint(1, 20)
            if kind in ("documentary", "book", "publication")
            else (rng.randint(1, 7))
        )
        scene = world.scene(rng, length)
        year, area = scene.year, scene.area
        theme = "new" if year >= 2026 else self.media_theme(rng)
        topic = rng.choice(_TOPICS[theme])
        series = rng.choice(_SERIES[theme])
        language = world.ethnic_language(rng, 0.5 if theme == "ethnic" else 0.05)
        if kind not in ("radio_programme", "tv_programme", "leaflet", "publication", "book"):
            language = "vi"
        in_language = f" {world.language_names[language]}" if language != "vi" else ""
        month = scene.end.month
        commune = world.communes(rng, area)[0]
        places = [area.code]
        outlet = area.outlet_radio_tv()
        quantity = rng.randint(*quantity_range)
        if kind == "radio_programme":
            if rng.random() < 0.2:
                outlet = f"Đài Truyền thanh {commune.phrase}"
                places = [commune.code]
                quantity = rng.randint(2, 4)
                unit_cost_range = (1_000, 3_000)
                title = f"Chương trình truyền thanh về {topic} tháng {month}/{year}"
            else:
                number = self.count("radio", series, language, area.code, year)
                title = f"Chương trình phát thanh{in_language} “{series}” số {number}/{year}"
        elif kind == "tv_programme":
            number = self.count("tv", series, language, area.code, year)
            title = f"Chương trình truyền hình{in_language} “{series}” số {number}/{year}"
        elif kind == "report":
            places = [commune.code]
            livelihood = rng.choice(_LIVELIHOODS)
            title = rng.choice(
                (
                    f"Phóng sự truyền hình về mô hình {livelihood} ở {commune.phrase}",
                    f"Phóng sự về {topic} tại {commune.phrase}",
                    f"Phóng sự phát thanh về mô hình {livelihood} ở {commune.phrase}",
                )
            )
        elif kind == "documentary":
            title = f"Phim phóng sự tài liệu “{rng.choice(_DOCUMENTARIES)}” năm {year}"
        elif kind == "video_clip":
            title = f"Video clip tuyên truyền về {topic}"
            outlet = area.outlet_portal()
        elif kind == "news":
            outlet = area.outlet_e_paper()
            title = f"Tin tuyên truyền về {topic} trên {outlet} tháng {month}/{year}"
        elif kind == "article":
            outlet = rng.choice((area.outlet_paper(), area.outlet_e_paper()))
            if quantity > 1:
                title = f"Loạt bài “{series}” về {topic} trên {outlet}"
            else:
                places = [commune.code]
                title = f"Bài viết về mô hình {rng.choice(_LIVELIHOODS)} ở {commune.phrase}"
        elif kind == "photo":
            outlet = area.outlet_e_paper()
            places = [commune.code]
            title = f"Ảnh tuyên truyền về {topic} tại {commune.phrase}"
        elif kind == "column":
            outlet = rng.choice((area.outlet_paper(), area.outlet_radio_tv()))
            number = self.count("column", series, outlet, year)
            title = f"Chuyên mục “{series}” trên {outlet} kỳ {number}/{year}"
            if outlet.startswith("Đài"):
                minutes, pages = (10, 15), None
        elif kind == "special_issue":
            outlet = area.outlet_paper()
            quarter = (month - 1) // 3 + 1
            title = f"Số chuyên đề “{series}” {outlet} quý {quarter}/{year}"
        elif kind == "publication":
            outlet = world.department(scene)
            title = f"Ấn phẩm{in_language} “{rng.choice(_PUBLICATIONS)}” năm {year}"
        elif kind == "book":
            outlet = "Nhà xuất bản Thông tin và Truyền thông"
            title = f"Sách “{rng.choice(_BOOKS)}”"
            if language != "vi":
                title += f" (song ngữ tiếng Việt -{in_language})"
        elif kind == "leaflet":
            outlet = world.department(scene)
            title = f"Tờ gấp{in_language} tuyên truyền về {topic} năm {year}"
        else:  # poster
            outlet = world.department(scene)
            places = [commune.code]
            title = f"Pa nô tuyên truyền về {topic} tại {commune.phrase}"
        program = world.programs.pick(rng, f"media_{theme}", year)
        unit_cost = _money(rng.randint(*unit_cost_range) * 1000)
        if unit_cost == 0:
            unit_cost = 1000
        if kind in ("leaflet", "publication", "book"):
            quantity = int(round(quantity, -2))
        cost_norm = {
            "radio_programme": "Định mức kinh tế - kỹ thuật sản xuất chương trình phát thanh",
            "tv_programme": "Định mức kinh tế - kỹ thuật sản xuất chương trình truyền hình",
            "report": "Định mức kinh tế - kỹ thuật sản xuất chương trình phát thanh, truyền hình",
            "documentary": "Định mức kinh tế - kỹ thuật sản xuất chương trình truyền hình",
        }.get(kind, "Nghị định 18/2014/NĐ-CP về chế độ nhuận bút, thù lao")
        if kind in ("leaflet", "publication", "book", "poster", "video_clip"):
            cost_norm = "Dự toán được cấp có thẩm quyền phê duyệt"
        by_outlet = kind in _PRESS_TYPES and not outlet.startswith("Đài Truyền thanh")
        unit_name = outlet if by_outlet else world.department(scene)
        record = self.common(scene, program, title, places, unit_name, unit_cost * quantity)
        record.update(
            media_type=kind,
            quantity=quantity,
            quantity_unit=unit,
            duration_minutes=rng.randint(*minutes) if minutes else None,
            pages=rng.randint(*pages) if pages else None,
            language=language,
            outlet=outlet,
            published_on=scene.end,
            unit_cost=unit_cost,
            cost_norm=cost_norm,
        )
        return record

    # --- radio -------------------------------------------------------------------------------
    def radio(self) -> dict[str, Any]:
        rng, world = self.rng, self.world
        scene = world.scene(rng, rng.randint(30, 120))
        year = scene.year
        commune = world.communes(rng, scene.area)[0]
        technology = rng.choices(("wired", "fm", "it_telecom"), weights=_RADIO_TECH[year])[0]
        name = commune.phrase
        if technology == "it_telecom":
            title = rng.choice(
                (
                    f"Nâng cấp đài truyền thanh {name} ứng dụng CNTT-VT",
                    f"Thiết lập mới đài truyền thanh ứng dụng CNTT-VT {name}",
                    f"Chuyển đổi đài truyền thanh {name} sang công nghệ CNTT-VT",
                )
            )
            cost = rng.uniform(200e6, 800e6)
        elif technology == "fm":
            title = rng.choice(
                (
                    f"Nâng cấp đài truyền thanh không dây (FM) {name}",
                    f"Sửa chữa, thay thế thiết bị đài truyền thanh FM {name}",
                    f"Bổ sung cụm loa không dây cho các thôn chưa có loa {name}",
                )
            )
            cost = rng.uniform(150e6, 500e6)
        else:
            title = f"Sửa chữa hệ thống truyền thanh hữu tuyến {name}"
            cost = rng.uniform(50e6, 200e6)
        if rng.random() < 0.4:
            title += f" năm {year}"
        hamlets = commune.hamlets
        covered = hamlets if rng.random() < 0.7 else max(1, hamlets - rng.randint(1, 3))
        program = world.programs.pick(rng, "radio", year)
        record = self.common(
            scene, program, title, [commune.code], self.local_unit(scene, commune), _money(cost)
        )
        record.update(
            technology=technology,
            loudspeaker_clusters=covered + rng.randint(0, hamlets),
            hamlets=hamlets,
            hamlets_covered=covered,
            connected_to_province=technology == "it_telecom" and rng.random() < 0.85,
        )
        return record

    # --- devices ------------------------------------------------------------------------------
    def device(self) -> dict[str, Any]:
        rng, world = self.rng, self.world
        kind = self.device_type(rng)
        _, quantity_range, unit_cost_range = _DEVICE_TYPES[kind]
        scene = world.scene(rng, rng.randint(1, 10))
        year = scene.year
        commune = world.communes(rng, scene.area)[0]
        name = commune.phrase
        quantity = rng.randint(*quantity_range)
        flavour = "device_household"
        unit = self.local_unit(scene, commune)
        if kind in ("tv", "radio", "receiver"):
            group = rng.choices(
                ("poor", "near_poor", "ethnic_minority"),
                weights=(55, 15, 90 * (world.ethnic_share + 0.05) if commune.rural else 0),
            )[0]
            who = {
                "poor": "hộ nghèo",
                "near_poor": "hộ cận nghèo",
                "ethnic_minority": "hộ đồng bào dân tộc thiểu số",
            }[group]
            what = {"tv": "ti vi", "radio": "radio", "receiver": "đầu thu truyền hình số"}[kind]
            title = rng.choice(
                (
                    f"Cấp {what} cho {who} {name}",
                    f"Hỗ trợ {what} cho {who} {name} năm {year}",
                )
            )
        elif kind == "border_post_equipment":
            group, flavour = "border_post", "device_border"
            gate = rng.choice(world.gates)
            commune = gate.legacy if scene.legacy else gate.current
            scene = replace(scene, area=world.area_of[commune.code])
            unit = world.department(scene)
            title = f"Trang bị phương tiện thu, xem cho Đồn Biên phòng {commune.short}"
        elif kind == "public_info_point":
            group, flavour = "community", "device_point"
            title = (
                "Thiết lập điểm cung cấp dịch vụ thông tin công cộng tại điểm Bưu điện - "
                f"Văn hóa {name}"
            )
        else:
            group, flavour = "community", "device_outdoor"
            title = rng.choice(
                (
                    f"Xây dựng cụm pa nô tuyên truyền cổ động ngoài trời tại {name}",
                    f"Lắp đặt điểm tuyên truyền cổ động ngoài trời về giảm nghèo tại {name}",
                )
            )
        program = world.programs.pick(rng, flavour, year)
        unit_cost = rng.randint(*unit_cost_range) * 1000
        record = self.common(
            scene, program, title, [commune.code], unit, _money(unit_cost * quantity)
        )
        record.update(device_type=kind, quantity=quantity, beneficiary_group=group)
        return record

    # --- clusters ------------------------------------------------------------------------------
    def clusters(self) -> list[dict[str, Any]]:
        """Every cluster the province plausibly has: the main record of each cluster first,
        then the yearly operation records."""
        rng, world = self.rng, self.world
        main: list[dict[str, Any]] = []
        upkeep: list[dict[str, Any]] = []
        sites: list[tuple[str, _Gate | None]] = [("border_gate", gate) for gate in world.gates]
        grassroots = 1 + min(2, len(world.current.communes) // 60)
        sites += [("grassroots", None)] * grassroots
        for index, (cluster_type, gate) in enumerate(sites):
            planned = index == len(sites) - 1 and len(sites) > 2  # one still to come in 2026
            built = 2026 if planned else rng.choice((2022, 2023, 2023, 2024, 2024, 2025))
            scene = world.scene(rng, rng.randint(60, 150), built)
            if gate is not None:
                commune = gate.legacy if scene.legacy else gate.current
                scene = replace(scene, area=world.area_of[commune.code])
                what = f"Cụm thông tin điện tử công cộng tại {gate.name}"
            else:
                commune = rng.choice(world.rural_or_all({c.code: c for c in scene.area.communes}))
                what = f"cụm thông tin cơ sở tại {commune.phrase}"
            status = "planned" if planned else "operating"
            if built == 2025 and not scene.legacy and rng.random() < 0.5:
                status = "under_construction"
            verb = "Đầu tư xây dựng" if planned else rng.choice(("Thiết lập", "Đầu tư thiết lập"))
            investment = _money(rng.uniform(1.5e9, 4e9) if gate else rng.uniform(0.4e9, 1.2e9))
            program = world.programs.pick(rng, "cluster", scene.year)
            record = self.common(
                scene,
                program,
                f"{verb} {what}",
                [commune.code],
                world.department(scene),
                None,  # a cluster's money is its investment
            )
            record.update(
                cluster_type=cluster_type,
                border_gate=gate.name if gate else None,
                cluster_status=status,
                year_in_service=built if status == "operating" else None,
                investment=investment,
            )
            main.append(record)
            if status != "operating":
                continue
            for year in range(built + 1, 2027):
                scene = world.scene(rng, rng.randint(30, 90), year)
                place = (
                    (gate.legacy if scene.legacy else gate.current)
                    if gate
                    else (self._same_commune(commune, scene))
                )
                scene = replace(scene, area=world.area_of[place.code])
                title = f"Duy trì vận hành, cập nhật nội dung {what.split(' tại ')[0]}"
                title = f"{title} tại {gate.name if gate else place.phrase} năm {year}"
                program = world.programs.pick(rng, "cluster", year)
                # Upkeep is no investment, and a cluster has no other money field: the
                # draw that once gave its cost stays, so the rest of the demo is unchanged.
                rng.uniform(60e6, 250e6)
                record = self.common(
                    scene, program, title, [place.code], world.department(scene), None
                )
                record.update(
                    cluster_type=cluster_type,
                    border_gate=gate.name if gate else None,
                    cluster_status="operating",
                    year_in_service=built,
                    investment=0,
                )
                upkeep.append(record)
        return main + upkeep

    def _same_commune(self, commune: _Commune, scene: _Scene) -> _Commune:
        """The commune of a later record about the same site, in the unit of its era."""
        if scene.legacy or commune.code in self.world.current_by_code:
            return commune
        unit = self.world.catalog.admin.get(commune.code)
        new = unit.default_new if unit is not None else None
        return self.world.current_by_code.get(new or "") or self.world.current.communes[0]

    # --- criterion 8 ---------------------------------------------------------------------------
    def criteria(self, count: int) -> list[dict[str, Any]]:
        """``count`` assessments: a sample of rural communes, each assessed every year."""
        rng, world = self.rng, self.world
        pool = world.rural_legacy
        needed = min(len(pool), math.ceil(count / len(CRITERION_YEARS)))
        communes = rng.sample(pool, needed)
        records: list[dict[str, Any]] = []
        penalty = 0.08 if world.mountain else 0.0
        for commune in communes:
            progress = rng.random()
            area = world.area_of[commune.code]
            for year in CRITERION_YEARS:
                if len(records) == count:
                    return records
                met = progress < _CRITERION_MET[year] - penalty
                results = {"8.1": True, "8.2": True, "8.3": True, "8.4": True}
                note = None
                if not met:
                    codes = [c for c, _ in _MISSED_INDICATORS]
                    weights = [w for _, w in _MISSED_INDICATORS]
                    missed = {rng.choices(codes, weights=weights)[0]}
                    if rng.random() < 0.3:
                        missed.add(rng.choices(codes, weights=weights)[0])
                    for code in missed:
                        results[code] = False
                    if "8.3" in missed:
                        gap = rng.randint(1, max(1, commune.hamlets // 3))
                        note = f"Chưa đạt chỉ tiêu 8.3: còn {gap} thôn chưa có loa truyền thanh."
                    elif "8.2" in missed:
                        note = "Chưa đạt chỉ tiêu 8.2: một số thôn chưa có sóng di động 4G."
                scene = _Scene(date(year, 1, 1), date(year, 12, 31), area)
                record: dict[str, Any] = {
                    "program": world.programs.pick(rng, "criterion", year),
                    "title": (
                        f"Đánh giá tiêu chí số 8 về Thông tin và Truyền thông "
                        f"{commune.phrase} năm {year}"
                    ),
                    "year": year,
                    "places": [commune.code],
                    "implementing_unit": f"UBND {commune.phrase}",
                    "criterion_set": CRITERION_SET,
                    "indicators": results,
                    "status": self.status(scene),
                }
                if note:
                    record["notes"] = note
                records.append(record)
        return records

    # --- funding ---------------------------------------------------------------------------------
    def funding(self) -> list[dict[str, Any]]:
        """Every funding plan, the main lines first, the latest year first."""
        rng, world = self.rng, self.world
        factor = {2021: 0.3, 2022: 0.8, 2023: 1.0, 2024: 1.1, 2025: 1.0, 2026: 0.7}
        valid = self.world.catalog.programs
        legacy_communes = sum(len(area.communes) for area in world.legacy_areas)
        plans: list[tuple[int, int, str, dict[str, Any]]] = []
        for year in YEARS:
            lines = _FUNDING_LINES_2026 if year >= 2026 else _FUNDING_LINES_2021
            areas = [world.current] if year >= 2026 else world.legacy_areas
            for tier, node, kind, source, (low, high), name in lines:
                if node not in valid or (tier == 6 and world.ethnic_share < 0.05):
                    continue
                if kind == "investment" and year == 2021:
                    continue  # no investment plan was allocated before the programs started
                for area in areas:
                    communes = len(area.communes) if year < 2026 else legacy_communes
                    size = max(0.3, communes / 150)  # plans grow with the number of communes
                    plan = int(round(rng.uniform(low, high) * factor[year] * size)) * 1_000_000
                    if year >= 2026:
                        as_of = date(2026, 9, 30)
                        ratio = rng.uniform(0.25, 0.6)
                        end = as_of
                    else:
                        as_of = date(year, 12, 31)
                        ratio = rng.uniform(0.55, 0.85) if year == 2021 else rng.uniform(0.7, 0.99)
                        end = date(year, 12, 31)
                    scene = _Scene(date(year, 1, 1), end, area)
                    capital = "vốn đầu tư phát triển" if kind == "investment" else "vốn sự nghiệp"
                    record: dict[str, Any] = {
                        "program": node,
                        "title": (
                            f"Kế hoạch {capital} năm {year} nguồn {_SOURCE_NAMES[source]} "
                            f"thực hiện {name} ({area.phrase})"
                        ),
                        "start_date": scene.start,
                        "end_date": end,
                        "year": year,
                        "places": [area.code],
                        "implementing_unit": world.department(scene),
                        "funding_source": source,
                        "funding_type": kind,
                        "plan_amount": plan,
                        "disbursed_amount": _money(plan * ratio),
                        "as_of": as_of,
                        "status": self.status(scene),
                    }
                    plans.append((tier, year, area.code, record))
        plans.sort(key=lambda item: (item[0], -item[1], item[2]))
        return [record for *_, record in plans]


# --- sizes ---------------------------------------------------------------------------------------
def plan_counts(records: int, natural: dict[str, int]) -> dict[str, int]:
    """How many records of each kind make ``records`` in all.

    ``natural`` gives the natural size of the capped kinds (funding, criterion, cluster); each
    gets a share of the total up to that size, at least one. The other kinds share the rest
    by weight, at least one each.
    """
    if records < MIN_RECORDS:
        raise ValueError(f"demo data needs at least {MIN_RECORDS} records, one of each kind")
    counts: dict[str, int] = {}
    for kind, share in _CAPPED_SHARES.items():
        counts[kind] = max(1, min(natural[kind], round(records * share)))
    rest = records - sum(counts.values())
    fillers = list(_FILLER_WEIGHTS)
    total_weight = sum(_FILLER_WEIGHTS.values())
    spare = rest - len(fillers)
    exact = {k: spare * _FILLER_WEIGHTS[k] / total_weight for k in fillers}
    shares = {k: int(exact[k]) for k in fillers}
    left = spare - sum(shares.values())
    for kind in sorted(fillers, key=lambda k: (-(exact[k] - shares[k]), k))[:left]:
        shares[kind] += 1
    for kind in fillers:
        counts[kind] = shares[kind] + 1
    return {kind: counts[kind] for kind in KIND_CODES}


def _build(
    world: _World, rng: random.Random, records: int
) -> tuple[dict[str, int], Iterator[tuple[str, list[dict[str, Any]]]]]:
    """The counts per kind and the batches of records to write, kind by kind."""
    generator = _Generator(world, rng)
    funding = generator.funding()
    clusters = generator.clusters()
    natural = {
        "funding": len(funding),
        "criterion": len(world.rural_legacy) * len(CRITERION_YEARS),
        "cluster": len(clusters),
    }
    counts = plan_counts(records, natural)
    fixed = {
        "funding": funding[: counts["funding"]],
        "criterion": generator.criteria(counts["criterion"]),
        "cluster": clusters[: counts["cluster"]],
    }
    makers: dict[str, Callable[[], dict[str, Any]]] = {
        "training": generator.training,
        "event": generator.event,
        "media": generator.media,
        "radio": generator.radio,
        "device": generator.device,
    }

    seen: set[tuple[str, str, date, str]] = set()

    def batches() -> Iterator[tuple[str, list[dict[str, Any]]]]:
        for kind in KIND_CODES:
            if kind in fixed:
                items = fixed[kind]
                for first in range(0, len(items), BATCH_SIZE):
                    yield kind, items[first : first + BATCH_SIZE]
                continue
            make, left = makers[kind], counts[kind]
            while left:
                size = min(BATCH_SIZE, left)
                yield kind, [_unique(kind, make, seen) for _ in range(size)]
                left -= size

    return counts, batches()


def _unique(kind: str, make: Callable[[], dict[str, Any]],
            seen: set[tuple[str, str, date, str]]) -> dict[str, Any]:  # fmt: skip
    """A new record from ``make`` that does not look like a duplicate of an earlier one (same
    title, start date and first place), drawing again a few times if needed."""
    for _ in range(_REDRAWS):
        record = make()
        key = (kind, fold(record["title"]), record["start_date"], record["places"][0])
        if key not in seen:
            break
    seen.add(key)
    return record


# --- entry point ---------------------------------------------------------------------------------
def generate_demo(
    database: Database,
    *,
    records: int = 2000,
    seed: int = 1,
    user: str = "demo",
    progress: Callable[[int, int], bool] | None = None,
    catalog: Catalog | None = None,
    since: date | None = None,
    targets: bool = False,
) -> dict[str, int]:
    """Write ``records`` demo records for the database's province; return {kind: count}.

    With ``targets``, each year's targets of the top-level programs are set too (those not
    set yet), through the targets service (audited), so that the dashboard shows progress.

    ``since`` leaves out the records that start (or, for funding and criterion, whose year
    starts) before that day: a department that began keeping its records then (the
    ministry's demo uses it so that each province's package holds all of its records).

    Every record goes through validation and the one write path, in one transaction.
    ``progress(done, total)`` is called before the first batch and after each one; when it
    returns False the transaction is rolled back and :class:`DemoCancelled` raised.

    Raises:
        ConfigurationError: the database has no agency profile (no province) yet.
        ValueError: ``records`` is smaller than the number of kinds.
        DemoCancelled: the progress callback asked to stop.
    """
    if records < MIN_RECORDS:
        raise ValueError(f"demo data needs at least {MIN_RECORDS} records, one of each kind")
    catalog = catalog or load_catalog()
    rng = random.Random(seed)
    written = dict.fromkeys(KIND_CODES, 0)
    with database.session() as session:
        profile = current_profile(session)
        if profile is None:
            raise ConfigurationError(
                f"{database.path}: the database has no agency profile (province) yet; "
                "run 'ctmt init' first"
            )
        context = record_context(session, database.path, user=user, catalog=catalog)
        world = _World(catalog, profile.province_code, profile.name, rng)
        counts, batches = _build(world, rng, records)
        total = sum(counts.values())
        if progress is not None and progress(0, total) is False:
            raise DemoCancelled("demo data cancelled; nothing was written")
        done = 0
        for kind, items in batches:
            if since is not None:
                items = [item for item in items if not _before(item, since)]
                if not items:
                    continue
            _write(session, context, kind, items)
            written[kind] += len(items)
            done += len(items)
            if progress is not None and progress(done, total) is False:
                raise DemoCancelled("demo data cancelled; nothing was written")
        if targets:
            _set_targets(session, catalog, profile.province_code, user, seed, since)
    return written


#: Percentage targets: (indicator, value, top-level programs it is set for; None: every one).
_SHARE_TARGETS: tuple[tuple[str, float, tuple[str, ...] | None], ...] = (
    ("disbursement_rate", 95.0, None),
    ("ict_criterion_share", 80.0, ("NTM21", "MTQG26")),
    ("radio_hamlet_coverage", 90.0, ("GNBV21", "MTQG26")),
    ("training_women_share", 40.0, ("GNBV21", "MTQG26")),
)


def _nice(value: float) -> float:
    """A round target near ``value``: two significant digits (4.735 -> 4.700)."""
    if value < 10:
        return float(max(1, round(value)))
    step = 10 ** (math.floor(math.log10(value)) - 1)
    return float(round(value / step) * step)


def _set_targets(
    session: Session, catalog: Catalog, province: str, user: str, seed: int, since: date | None
) -> None:
    """Targets of each demo year for the top-level programs, near what the records reach:
    85-115 % of it for a past year, 70-85 % in 2026 (its records run to October)."""
    rng = random.Random(seed * 7919 + 13)  # apart from the records' draws
    for year in YEARS:
        if since is not None and year < since.year:
            continue
        roots = [
            node.code
            for node in catalog.programs.values()
            if node.parent is None and node.valid_over(date(year, 1, 1), date(year, 12, 31))
        ]
        for root in roots:
            values = compute_indicators(session, catalog, province, parse_scope(str(year)), root)
            wanted: dict[str, float] = {}
            for value in values:
                if value.unit == "percent" or not value.value or value.code == "media_outputs":
                    continue  # media outputs add up different units: no target
                reached = rng.uniform(0.7, 0.85) if year >= 2026 else rng.uniform(0.85, 1.15)
                wanted[value.code] = _nice(value.value / reached)
            for code, share, programs in _SHARE_TARGETS:
                if code in catalog.indicators and (programs is None or root in programs):
                    wanted[code] = share
            for code, amount in wanted.items():
                if find_target(session, province, root, code, str(year)) is None:
                    set_target(
                        session, catalog, province, TargetData(root, code, str(year), amount),
                        user=user,
                    )  # fmt: skip


def _before(item: dict[str, Any], day: date) -> bool:
    """Whether a generated record lies before ``day`` (by its year for year-based kinds)."""
    year = item.get("year")
    if isinstance(year, int):
        return year < day.year
    start = item.get("start_date")
    if isinstance(start, str):
        start = date.fromisoformat(start)
    return isinstance(start, date) and start < day


def _write(
    session: Session, context: RecordContext, kind: str, items: list[dict[str, Any]]
) -> None:
    clean = validate_batch(session, context, kind, items, allow_duplicates=True)
    insert_validated(session, context, kind_spec(kind), clean)
