"""The eight activity kinds and their fields: the one description that validation, the JSON
schema of ``ctmt add``, listings, forms, imports and reports all read.

A field's ``name`` is the key a record uses in JSON and the column of its ORM model.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FieldType(StrEnum):
    TEXT = "text"
    DATE = "date"
    INT = "int"
    MONEY = "money"  # whole đồng, >= 0
    CODE = "code"  # one code from a catalog vocabulary
    PLACES = "places"  # administrative unit codes
    BOOL = "bool"
    INDICATORS = "indicators"  # criterion indicator code -> met (bool)
    EVIDENCE = "evidence"


@dataclass(frozen=True)
class FieldSpec:
    """One field of a record.

    Attributes:
        name: key in JSON and column name.
        type: kind of value.
        label_en, label_vi: labels for people (forms, reports, error messages).
        required: must be present and not empty.
        vocabulary: for CODE fields, the catalog vocabulary the code must come from
            (``program`` for the program tree).
        max_length: for TEXT fields.
        minimum, maximum: for INT fields (MONEY is always >= 0).
        part_of: the field whose value this one may not exceed (women <= participants).
        default: value used when the field is absent.
    """

    name: str
    type: FieldType
    label_en: str
    label_vi: str
    required: bool = False
    vocabulary: str | None = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    part_of: str | None = None
    default: object = None

    def label(self, language: str = "vi") -> str:
        return self.label_vi if language == "vi" else self.label_en


@dataclass(frozen=True)
class KindSpec:
    """An activity kind: its code, names and the fields a record of it has.

    Attributes:
        max_places: 1 for kinds about one commune (cluster, radio, criterion).
        year_based: records carry a ``year`` and their dates default to that year.
        retired_fields: fields records of the kind once had and no longer have (a criterion
            assessment's funding source and cost, a cluster's second money field). Input
            that still carries them (an older package, workbook or listing) is accepted and
            the values are dropped; a stored record keeps them in its columns, unread.
    """

    code: str
    name_en: str
    name_vi: str
    fields: tuple[FieldSpec, ...]
    max_places: int | None = None
    year_based: bool = False
    retired_fields: frozenset[str] = frozenset()

    def name(self, language: str = "vi") -> str:
        return self.name_vi if language == "vi" else self.name_en

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)

    @property
    def specific_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(spec for spec in self.fields if spec.name not in COMMON_FIELD_NAMES)


TITLE_MAX = 300
NOTES_MAX = 4000
SHORT_TEXT_MAX = 200
MAX_COUNT = 10_000_000
MAX_MONEY = 10**15  # one million billion đồng: far above any program's budget


def _text(name: str, en: str, vi: str, *, required: bool = False, limit: int = SHORT_TEXT_MAX):
    return FieldSpec(name, FieldType.TEXT, en, vi, required=required, max_length=limit)


def _count(
    name: str,
    en: str,
    vi: str,
    *,
    required: bool = False,
    part_of: str | None = None,
    minimum: int = 0,
    maximum: int = MAX_COUNT,
    default: int | None = None,
) -> FieldSpec:
    return FieldSpec(
        name,
        FieldType.INT,
        en,
        vi,
        required=required,
        minimum=minimum,
        maximum=maximum,
        part_of=part_of,
        default=default,
    )


def _code(
    name: str,
    en: str,
    vi: str,
    vocabulary: str,
    *,
    required: bool = False,
    default: str | None = None,
) -> FieldSpec:
    return FieldSpec(
        name, FieldType.CODE, en, vi, required=required, vocabulary=vocabulary, default=default
    )


def _money(name: str, en: str, vi: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(
        name,
        FieldType.MONEY,
        en,
        vi,
        required=required,
        minimum=0,
        maximum=MAX_MONEY,
        default=0 if not required else None,
    )


PROGRAM = _code("program", "Program node", "Chương trình/dự án", "program", required=True)
TITLE = _text("title", "Title", "Tên hoạt động", required=True, limit=TITLE_MAX)
START = FieldSpec("start_date", FieldType.DATE, "Start date", "Ngày bắt đầu", required=True)
END = FieldSpec("end_date", FieldType.DATE, "End date", "Ngày kết thúc")
PLACES = FieldSpec("places", FieldType.PLACES, "Places", "Địa bàn", required=True)
UNIT = _text("implementing_unit", "Implementing unit", "Đơn vị thực hiện")
SOURCE = _code("funding_source", "Funding source", "Nguồn vốn", "funding_sources", required=True)
COST = _money("cost", "Cost (đồng)", "Kinh phí (đồng)")
NOTES = _text("notes", "Notes", "Ghi chú", limit=NOTES_MAX)
STATUS = _code("status", "Status", "Trạng thái", "record_statuses", default="draft")
EVIDENCE = FieldSpec("evidence", FieldType.EVIDENCE, "Evidence files", "Tài liệu minh chứng")

COMMON_HEAD = (PROGRAM, TITLE, START, END, PLACES, UNIT, SOURCE)
COMMON_TAIL = (COST, NOTES, STATUS, EVIDENCE)
#: The common fields less the funding source: kinds whose records spend no money of their own.
HEAD_WITHOUT_SOURCE = (PROGRAM, TITLE, START, END, PLACES, UNIT)
#: The common tail less the cost: kinds without a cost, or with a money field of their own.
TAIL_WITHOUT_COST = (NOTES, STATUS, EVIDENCE)
#: Fields stored in the ``activity`` table (every kind has most of them; a kind may leave out
#: the funding source or the cost, which then keep their column defaults).
COMMON_FIELD_NAMES = frozenset(f.name for f in COMMON_HEAD + COMMON_TAIL)
#: The common fields by name: what a retired field was (a criterion's old funding source is
#: labelled and formatted as any funding source where an older audit entry shows it).
COMMON_FIELDS: dict[str, FieldSpec] = {f.name: f for f in COMMON_HEAD + COMMON_TAIL}

PARTICIPANTS = _count("participants", "Participant-times", "Số lượt người tham dự", required=True)
FEMALE = _count("participants_female", "of which women", "Trong đó: nữ", part_of="participants")
ETHNIC = _count(
    "participants_ethnic",
    "of which ethnic minority",
    "Trong đó: người DTTS",
    part_of="participants",
)
YEAR = _count("year", "Year", "Năm", required=True, minimum=2016, maximum=2035)

TRAINING = KindSpec(
    "training",
    "Training class",
    "Lớp tập huấn, bồi dưỡng",
    COMMON_HEAD
    + (
        _count("classes", "Classes", "Số lớp", minimum=1, maximum=10_000, default=1),
        _count("days", "Days", "Số ngày", required=True, minimum=1, maximum=60),
        _code("form", "Form", "Hình thức", "training_forms", required=True, default="in_person"),
        _code("target_group", "Target group", "Đối tượng", "participant_groups"),
        PARTICIPANTS,
        FEMALE,
        ETHNIC,
        _count(
            "participants_commune",
            "of which commune level",
            "Trong đó: cấp xã",
            part_of="participants",
        ),
        _count(
            "participants_village",
            "of which village level",
            "Trong đó: cấp thôn, bản",
            part_of="participants",
        ),
        _code("material_type", "Material type", "Loại tài liệu", "material_types"),
    )
    + COMMON_TAIL,
)

EVENT = KindSpec(
    "event",
    "Event",
    "Hội nghị, tọa đàm, đối thoại, liên hoan",
    COMMON_HEAD
    + (
        _code("event_type", "Event type", "Loại sự kiện", "event_types", required=True),
        _count("sessions", "Sessions", "Số cuộc/buổi", minimum=1, maximum=100_000, default=1),
        PARTICIPANTS,
        FEMALE,
        ETHNIC,
        _count(
            "participants_poor",
            "of which poor households",
            "Trong đó: hộ nghèo",
            part_of="participants",
        ),
    )
    + COMMON_TAIL,
)

MEDIA = KindSpec(
    "media",
    "Media product",
    "Sản phẩm truyền thông",
    COMMON_HEAD
    + (
        _code("media_type", "Media type", "Loại sản phẩm", "media_types", required=True),
        _count("quantity", "Quantity", "Số lượng", required=True),
        _code("quantity_unit", "Unit", "Đơn vị tính", "quantity_units", required=True),
        _count("duration_minutes", "Duration (minutes)", "Thời lượng (phút)", maximum=1_000_000),
        _count("pages", "Pages", "Số trang", maximum=1_000_000),
        _code("language", "Language", "Ngôn ngữ", "languages", required=True, default="vi"),
        _text("outlet", "Channel or outlet", "Kênh, cơ quan phát hành"),
        FieldSpec(
            "published_on",
            FieldType.DATE,
            "Broadcast or publication date",
            "Ngày phát sóng, phát hành",
        ),
        _money("unit_cost", "Unit cost (đồng)", "Đơn giá (đồng)"),
        _text("cost_norm", "Cost norm applied", "Định mức áp dụng"),
    )
    + COMMON_TAIL,
)

CLUSTER = KindSpec(
    "cluster",
    "Information cluster",
    "Cụm thông tin",
    COMMON_HEAD
    + (
        _code("cluster_type", "Cluster type", "Loại cụm", "cluster_types", required=True),
        _text("border_gate", "Border gate", "Cửa khẩu"),
        _code(
            "cluster_status",
            "Status of the cluster",
            "Tình trạng",
            "cluster_statuses",
            required=True,
        ),
        _count(
            "year_in_service", "Year in service", "Năm đưa vào sử dụng", minimum=2000, maximum=2035
        ),
        _money("investment", "Investment (đồng)", "Vốn đầu tư (đồng)"),
    )
    + TAIL_WITHOUT_COST,  # the investment is the cluster's money: no second cost field
    max_places=1,
    retired_fields=frozenset({"cost"}),
)

RADIO = KindSpec(
    "radio",
    "Commune radio station",
    "Đài truyền thanh cấp xã",
    COMMON_HEAD
    + (
        _code("technology", "Technology", "Công nghệ", "radio_technologies", required=True),
        _count("loudspeaker_clusters", "Loudspeaker clusters", "Số cụm loa"),
        _count("hamlets", "Hamlets in the commune", "Tổng số thôn, bản", required=True),
        _count(
            "hamlets_covered",
            "Hamlets with loudspeakers",
            "Số thôn, bản có loa",
            required=True,
            part_of="hamlets",
        ),
        FieldSpec(
            "connected_to_province",
            FieldType.BOOL,
            "Connected to the provincial source-information system",
            "Kết nối hệ thống thông tin nguồn cấp tỉnh",
            default=False,
        ),
    )
    + COMMON_TAIL,
    max_places=1,
)

DEVICE = KindSpec(
    "device",
    "Listening and viewing devices",
    "Hỗ trợ phương tiện nghe, xem",
    COMMON_HEAD
    + (
        _code("device_type", "Device type", "Loại phương tiện", "device_types", required=True),
        _count("quantity", "Quantity", "Số lượng", required=True),
        _code(
            "beneficiary_group",
            "Beneficiaries",
            "Đối tượng thụ hưởng",
            "beneficiary_groups",
            required=True,
        ),
    )
    + COMMON_TAIL,
)

CRITERION = KindSpec(
    "criterion",
    "ICT criterion assessment",
    "Đánh giá tiêu chí thông tin và truyền thông",
    HEAD_WITHOUT_SOURCE  # an assessment spends nothing: no funding source, no cost
    + (
        YEAR,
        _code("criterion_set", "Criterion set", "Bộ tiêu chí", "criterion_sets", required=True),
        FieldSpec(
            "indicators",
            FieldType.INDICATORS,
            "Indicators met",
            "Kết quả các chỉ tiêu",
            required=True,
        ),
    )
    + TAIL_WITHOUT_COST,
    max_places=1,
    year_based=True,
    retired_fields=frozenset({"funding_source", "cost"}),
)

FUNDING = KindSpec(
    "funding",
    "Funding plan and disbursement",
    "Kế hoạch vốn, giải ngân",
    COMMON_HEAD
    + (
        YEAR,
        _code("funding_type", "Type of capital", "Loại vốn", "funding_types", required=True),
        _money("plan_amount", "Plan (đồng)", "Kế hoạch vốn (đồng)", required=True),
        _money("disbursed_amount", "Disbursed to date (đồng)", "Đã giải ngân (đồng)"),
        FieldSpec("as_of", FieldType.DATE, "Disbursed as of", "Số liệu giải ngân đến ngày"),
    )
    + TAIL_WITHOUT_COST,
    year_based=True,
)

#: The columns a table of each kind shows by default, in order; the kind's other fields
#: follow, hidden until the user shows them.
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "training": (
        "title",
        "start_date",
        "places",
        "program",
        "days",
        "participants",
        "participants_female",
        "participants_ethnic",
        "cost",
        "status",
    ),
    "event": (
        "title",
        "start_date",
        "places",
        "event_type",
        "sessions",
        "participants",
        "participants_female",
        "participants_poor",
        "cost",
        "status",
    ),
    "media": (
        "title",
        "start_date",
        "media_type",
        "quantity",
        "quantity_unit",
        "language",
        "outlet",
        "cost",
        "status",
    ),
    "cluster": (
        "title",
        "places",
        "cluster_type",
        "border_gate",
        "cluster_status",
        "year_in_service",
        "investment",
        "status",
    ),
    "radio": (
        "title",
        "places",
        "start_date",
        "technology",
        "loudspeaker_clusters",
        "hamlets_covered",
        "hamlets",
        "connected_to_province",
        "cost",
        "status",
    ),
    "device": (
        "title",
        "start_date",
        "places",
        "device_type",
        "quantity",
        "beneficiary_group",
        "cost",
        "status",
    ),
    "criterion": ("title", "places", "year", "criterion_set", "met", "indicators", "status"),
    "funding": (
        "title",
        "year",
        "program",
        "funding_source",
        "funding_type",
        "plan_amount",
        "disbursed_amount",
        "disbursement_rate",
        "as_of",
        "status",
    ),
}


KINDS: dict[str, KindSpec] = {
    spec.code: spec for spec in (TRAINING, EVENT, MEDIA, CLUSTER, RADIO, DEVICE, CRITERION, FUNDING)
}
KIND_CODES: tuple[str, ...] = tuple(KINDS)


def kind_spec(kind: str) -> KindSpec:
    """Return the spec of ``kind`` or raise ``KeyError`` with the list of kinds."""
    try:
        return KINDS[kind]
    except KeyError:
        raise KeyError(f"unknown kind '{kind}': use one of {', '.join(KIND_CODES)}") from None
