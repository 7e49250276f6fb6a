"""Validation of records: every rule names the failing field and a stable problem code."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.errors import ValidationError
from ctmt_desktop.kinds import KIND_CODES, KINDS, TITLE_MAX, FieldType
from ctmt_desktop.validation import ValidationContext, validate_record

MakeRecord = Callable[..., dict[str, Any]]
LAO_BAO = "19432"
OLD_TAN_THANH = "old:19456"  # legacy commune of old Quảng Trị, now part of Xã Lao Bảo
HANOI_COMMUNE = "00004"  # Phường Ba Đình, province 01


@pytest.fixture
def context(catalog: Catalog) -> ValidationContext:
    return ValidationContext(catalog, "44")


@pytest.fixture
def check(context: ValidationContext) -> Callable[[str, Any], dict[str, Any]]:
    def run(kind: str, data: Any) -> dict[str, Any]:
        return validate_record(kind, data, context)

    return run


@pytest.fixture
def problems(context: ValidationContext) -> Callable[[str, Any], set[tuple[str, str]]]:
    """``problems(kind, data)``: the (field, code) pairs of the ValidationError it raises."""

    def run(kind: str, data: Any) -> set[tuple[str, str]]:
        with pytest.raises(ValidationError) as caught:
            validate_record(kind, data, context)
        found = caught.value.problems
        assert found, "a ValidationError must list its problems"
        assert all(not p.warning for p in found)
        assert all(p.message for p in found)
        return {(p.field, p.code) for p in found}

    return run


# --- a valid record of every kind -------------------------------------------------------------
@pytest.mark.parametrize("kind", KIND_CODES)
def test_valid_record_of_each_kind_passes(kind: str, make_record: MakeRecord, check) -> None:
    data = make_record(kind)
    values = check(kind, data)
    assert set(KINDS[kind].field_names) <= set(values)
    assert values["title"] == data["title"]
    assert values["places"] == data["places"]
    assert isinstance(values["start_date"], date) and isinstance(values["end_date"], date)
    assert values["status"] == "draft"


def test_all_eight_kinds_are_known() -> None:
    assert set(KIND_CODES) == {
        "training",
        "event",
        "media",
        "cluster",
        "radio",
        "device",
        "criterion",
        "funding",
    }


# --- required fields --------------------------------------------------------------------------
COMMON_REQUIRED = ["title", "program", "start_date", "places", "funding_source"]


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        (kind, name)
        for kind in KIND_CODES
        for name in COMMON_REQUIRED
        # year-based kinds derive their dates from the year (tested below)
        if not (name == "start_date" and KINDS[kind].year_based)
        and name in KINDS[kind].field_names  # a criterion assessment has no funding source
    ],
)
def test_missing_common_field_is_required(
    kind: str, name: str, make_record: MakeRecord, problems
) -> None:
    data = make_record(kind)
    data.pop(name, None)
    assert (name, "required") in problems(kind, data)


@pytest.mark.parametrize("empty", ["", "   ", None, []])
def test_blank_title_counts_as_missing(empty: Any, make_record: MakeRecord, problems) -> None:
    data = make_record("training")
    data["title"] = empty
    assert problems("training", data) == {("title", "required")}


def test_empty_place_list_counts_as_missing(make_record: MakeRecord, problems) -> None:
    assert problems("training", make_record("training", places=[])) == {("places", "required")}


KIND_REQUIRED = [
    ("training", "days"),
    ("training", "participants"),
    ("event", "event_type"),
    ("event", "participants"),
    ("media", "media_type"),
    ("media", "quantity"),
    ("media", "quantity_unit"),
    ("cluster", "cluster_type"),
    ("cluster", "cluster_status"),
    ("radio", "technology"),
    ("radio", "hamlets"),
    ("radio", "hamlets_covered"),
    ("device", "device_type"),
    ("device", "quantity"),
    ("device", "beneficiary_group"),
    ("criterion", "year"),
    ("criterion", "criterion_set"),
    ("criterion", "indicators"),
    ("funding", "year"),
    ("funding", "funding_type"),
    ("funding", "plan_amount"),
]


@pytest.mark.parametrize(("kind", "name"), KIND_REQUIRED)
def test_missing_kind_specific_field_is_required(
    kind: str, name: str, make_record: MakeRecord, problems
) -> None:
    found = problems(kind, make_record(kind, **{name: None}))
    assert (name, "required") in found


def test_every_required_field_without_default_is_listed_above() -> None:
    listed = {(kind, name) for kind, name in KIND_REQUIRED}
    for kind, spec in KINDS.items():
        for field in spec.specific_fields:
            if field.required and field.default is None:
                assert (kind, field.name) in listed


def test_missing_fields_with_defaults_take_the_default(make_record: MakeRecord, check) -> None:
    values = check("training", make_record("training", form=None, cost=None))
    assert values["form"] == "in_person"
    assert values["classes"] == 1
    assert values["cost"] == 0
    assert check("media", make_record("media", language=None))["language"] == "vi"


def test_every_problem_of_a_record_is_reported_at_once(problems) -> None:
    found = problems("training", {"title": "Tập huấn", "days": 9, "participants": -3})
    assert {
        ("program", "required"),
        ("start_date", "required"),
        ("places", "required"),
        ("funding_source", "required"),
        ("participants", "negative"),
    } <= found


def test_record_that_is_not_an_object_is_rejected(problems) -> None:
    assert problems("training", ["not", "a", "record"]) == {("", "not_an_object")}


# --- dates ------------------------------------------------------------------------------------
def test_end_date_before_start_date_is_rejected(make_record: MakeRecord, problems) -> None:
    data = make_record("training", start_date="2024-03-05", end_date="2024-03-04")
    assert problems("training", data) == {("end_date", "end_before_start")}


def test_missing_end_date_is_the_start_date(make_record: MakeRecord, check) -> None:
    values = check("training", make_record("training", end_date=None))
    assert values["end_date"] == values["start_date"] == date(2024, 3, 5)


def test_day_month_year_and_iso_dates_are_the_same_day(make_record: MakeRecord, check) -> None:
    iso = check("training", make_record("training", start_date="2024-03-05", end_date=None))
    dmy = check("training", make_record("training", start_date="05/03/2024", end_date=None))
    short = check("training", make_record("training", start_date="5/3/2024", end_date=None))
    assert iso["start_date"] == dmy["start_date"] == short["start_date"] == date(2024, 3, 5)


@pytest.mark.parametrize("text", ["31/02/2024", "2024-02-30", "29/02/2023", "next week", "2024"])
def test_impossible_or_unreadable_date_is_rejected(
    text: str, make_record: MakeRecord, problems
) -> None:
    data = make_record("training", start_date=text, end_date=None)
    assert ("start_date", "invalid") in problems("training", data)


def test_leap_day_is_a_valid_date(make_record: MakeRecord, check) -> None:
    values = check("training", make_record("training", start_date="29/02/2024", end_date=None))
    assert values["start_date"] == date(2024, 2, 29)


# --- counts -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("training", "participants"),
        ("event", "participants_poor"),
        ("media", "quantity"),
        ("radio", "hamlets"),
        ("device", "quantity"),
    ],
)
def test_negative_count_is_rejected(
    kind: str, name: str, make_record: MakeRecord, problems
) -> None:
    assert (name, "negative") in problems(kind, make_record(kind, **{name: -1}))


def test_count_below_its_minimum_is_rejected(make_record: MakeRecord, problems) -> None:
    assert problems("training", make_record("training", days=0)) == {("days", "too_small")}
    assert problems("training", make_record("training", classes=0)) == {("classes", "too_small")}


def test_count_above_its_maximum_is_rejected(make_record: MakeRecord, problems) -> None:
    found = problems("training", make_record("training", participants=10_000_001))
    assert ("participants", "too_large") in found


@pytest.mark.parametrize("value", ["many", 2.5, True, [3]])
def test_count_that_is_not_a_whole_number_is_rejected(
    value: Any, make_record: MakeRecord, problems
) -> None:
    assert ("participants", "invalid") in problems(
        "training", make_record("training", participants=value)
    )


def test_count_given_as_text_or_integral_float_is_accepted(make_record: MakeRecord, check) -> None:
    values = check("training", make_record("training", participants=" 50 ", days=3.0))
    assert (values["participants"], values["days"]) == (50, 3)


# --- parts above totals -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["participants_female", "participants_ethnic", "participants_commune", "participants_village"],
)
def test_training_part_above_participants_is_rejected(
    name: str, make_record: MakeRecord, problems
) -> None:
    changes = {"participants_commune": 0, "participants_village": 0, name: 51}
    found = problems("training", make_record("training", participants=50, **changes))
    assert found == {(name, "part_above_total")}


@pytest.mark.parametrize(
    "name", ["participants_female", "participants_ethnic", "participants_poor"]
)
def test_event_part_above_participants_is_rejected(
    name: str, make_record: MakeRecord, problems
) -> None:
    found = problems("event", make_record("event", participants=80, **{name: 81}))
    assert found == {(name, "part_above_total")}


def test_part_equal_to_total_is_accepted(make_record: MakeRecord, check) -> None:
    values = check("training", make_record("training", participants=50, participants_female=50))
    assert values["participants_female"] == 50


def test_commune_and_village_levels_together_above_participants_are_rejected(
    make_record: MakeRecord, problems
) -> None:
    data = make_record(
        "training", participants=50, participants_commune=30, participants_village=21
    )
    assert problems("training", data) == {("participants_village", "levels_above_total")}


def test_hamlets_covered_above_hamlets_is_rejected(make_record: MakeRecord, problems) -> None:
    found = problems("radio", make_record("radio", hamlets=10, hamlets_covered=11))
    assert found == {("hamlets_covered", "part_above_total")}


def test_disbursed_above_plan_is_rejected(make_record: MakeRecord, problems) -> None:
    data = make_record("funding", plan_amount=1_000_000, disbursed_amount=1_000_001)
    assert problems("funding", data) == {("disbursed_amount", "part_above_total")}


def test_disbursement_as_of_a_day_before_the_plan_year_is_rejected(
    make_record: MakeRecord, problems
) -> None:
    data = make_record("funding", year=2024, as_of="31/12/2023")
    assert problems("funding", data) == {("as_of", "before_year")}


# --- codes ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("training", "program"),
        ("training", "funding_source"),
        ("training", "form"),
        ("training", "target_group"),
        ("training", "material_type"),
        ("training", "status"),
        ("event", "event_type"),
        ("media", "media_type"),
        ("media", "quantity_unit"),
        ("media", "language"),
        ("cluster", "cluster_type"),
        ("cluster", "cluster_status"),
        ("radio", "technology"),
        ("device", "device_type"),
        ("device", "beneficiary_group"),
        ("criterion", "criterion_set"),
        ("funding", "funding_type"),
    ],
)
def test_code_not_in_the_catalog_is_rejected(
    kind: str, name: str, make_record: MakeRecord, problems
) -> None:
    assert (name, "unknown_code") in problems(kind, make_record(kind, **{name: "NO_SUCH_CODE"}))


def test_code_is_trimmed_and_case_sensitive(make_record: MakeRecord, check, problems) -> None:
    assert (
        check("training", make_record("training", funding_source=" NSTW "))["funding_source"]
        == "NSTW"
    )
    assert ("funding_source", "unknown_code") in problems(
        "training", make_record("training", funding_source="nstw")
    )


def test_confirmed_status_is_accepted(make_record: MakeRecord, check) -> None:
    assert check("training", make_record("training", status="confirmed"))["status"] == "confirmed"


# --- program validity -------------------------------------------------------------------------
def test_node_of_the_2021_2025_program_is_not_valid_in_2026(
    make_record: MakeRecord, problems
) -> None:
    data = make_record("training", start_date="2026-03-05", end_date="2026-03-07")
    assert problems("training", data) == {("program", "program_not_valid")}


def test_node_of_the_merged_program_is_not_valid_in_2024(make_record: MakeRecord, problems) -> None:
    data = make_record("training", program="MTQG26.TT.DT")
    assert problems("training", data) == {("program", "program_not_valid")}


def test_activity_running_past_the_end_of_its_program_is_rejected(
    make_record: MakeRecord, problems
) -> None:
    data = make_record("training", start_date="2025-12-29", end_date="2026-01-02", days=5)
    assert problems("training", data) == {("program", "program_not_valid")}


def test_last_day_of_a_program_is_still_valid(make_record: MakeRecord, check) -> None:
    data = make_record("training", start_date="2025-12-31", end_date=None)
    assert check("training", data)["program"] == "GNBV21.DA6.TDA1.ND1"


# --- places -----------------------------------------------------------------------------------
def test_unknown_place_code_is_rejected(make_record: MakeRecord, problems) -> None:
    found = problems("training", make_record("training", places=["99999"]))
    assert found == {("places", "unknown_place")}


def test_place_outside_the_departments_province_is_rejected(
    make_record: MakeRecord, problems
) -> None:
    found = problems("training", make_record("training", places=[LAO_BAO, HANOI_COMMUNE]))
    assert found == {("places", "outside_province")}


def test_legacy_unit_of_the_merged_province_is_accepted_before_the_reorganisation(
    make_record: MakeRecord, check
) -> None:
    data = make_record(
        "training", places=[OLD_TAN_THANH, "old:44"], start_date="2025-06-30", end_date=None
    )
    assert check("training", data)["places"] == [OLD_TAN_THANH, "old:44"]


def test_legacy_unit_is_rejected_from_1_july_2025(make_record: MakeRecord, problems) -> None:
    data = make_record("training", places=[OLD_TAN_THANH], start_date="2025-07-01", end_date=None)
    assert problems("training", data) == {("places", "legacy_unit")}


def test_legacy_commune_of_another_province_is_outside_the_province(
    make_record: MakeRecord, problems
) -> None:
    found = problems("training", make_record("training", places=["old:00001"]))
    assert found == {("places", "outside_province")}


def test_repeated_place_is_kept_once_and_a_single_code_is_a_list(
    make_record: MakeRecord, check
) -> None:
    assert check("training", make_record("training", places=[LAO_BAO, LAO_BAO, " "]))["places"] == [
        LAO_BAO
    ]
    assert check("training", make_record("training", places=LAO_BAO))["places"] == [LAO_BAO]


@pytest.mark.parametrize("kind", ["radio", "cluster", "criterion"])
def test_one_commune_kind_rejects_two_places(kind: str, make_record: MakeRecord, problems) -> None:
    other = "19435"
    assert ("places", "too_many_places") in problems(
        kind, make_record(kind, places=[LAO_BAO, other])
    )


@pytest.mark.parametrize("kind", ["radio", "cluster", "criterion"])
def test_one_commune_kind_rejects_a_province_level_place(
    kind: str, make_record: MakeRecord, problems
) -> None:
    assert problems(kind, make_record(kind, places=["44"])) == {("places", "commune_required")}


def test_kinds_about_many_places_accept_several_communes(make_record: MakeRecord, check) -> None:
    values = check("training", make_record("training", places=[LAO_BAO, "19435", "44"]))
    assert values["places"] == [LAO_BAO, "19435", "44"]


# --- text -------------------------------------------------------------------------------------
def test_decomposed_title_comes_back_composed(make_record: MakeRecord, check) -> None:
    title = "Tập huấn cán bộ thông tin cơ sở"
    values = check("training", make_record("training", title=unicodedata.normalize("NFD", title)))
    assert values["title"] == title
    assert unicodedata.is_normalized("NFC", values["title"])


def test_text_is_trimmed_and_inner_spaces_collapsed(make_record: MakeRecord, check) -> None:
    values = check(
        "training",
        make_record(
            "training", title="  Tập   huấn \t xã  ", implementing_unit=" Trung tâm  Văn hóa "
        ),
    )
    assert values["title"] == "Tập huấn xã"
    assert values["implementing_unit"] == "Trung tâm Văn hóa"


def test_title_at_the_limit_passes_and_one_more_character_is_too_long(
    make_record: MakeRecord, check, problems
) -> None:
    assert len(check("training", make_record("training", title="a" * TITLE_MAX))["title"]) == 300
    found = problems("training", make_record("training", title="a" * (TITLE_MAX + 1)))
    assert found == {("title", "too_long")}


def test_too_long_notes_are_rejected(make_record: MakeRecord, problems) -> None:
    assert problems("training", make_record("training", notes="x" * 4001)) == {
        ("notes", "too_long")
    }


def test_text_field_given_an_object_is_rejected(make_record: MakeRecord, problems) -> None:
    found = problems("training", make_record("training", title={"vi": "Tập huấn"}))
    assert found == {("title", "invalid")}


# --- money ------------------------------------------------------------------------------------
def test_money_with_a_fraction_of_a_dong_is_rejected(make_record: MakeRecord, problems) -> None:
    assert problems("training", make_record("training", cost=12.5)) == {("cost", "not_whole_dong")}


def test_fractional_money_given_as_text_is_rejected(make_record: MakeRecord, problems) -> None:
    assert problems("training", make_record("training", cost="12.5")) == {("cost", "invalid")}


def test_negative_money_is_rejected(make_record: MakeRecord, problems) -> None:
    assert problems("training", make_record("training", cost=-1)) == {("cost", "negative")}


@pytest.mark.parametrize(
    ("raw", "expected"), [("1000", 1000), (1000, 1000), (1000.0, 1000), (0, 0)]
)
def test_whole_dong_amount_is_accepted(
    raw: Any, expected: int, make_record: MakeRecord, check
) -> None:
    assert check("training", make_record("training", cost=raw))["cost"] == expected


def test_money_above_the_ceiling_is_rejected(make_record: MakeRecord, problems) -> None:
    assert problems("training", make_record("training", cost=10**15 + 1)) == {("cost", "too_large")}


@pytest.mark.parametrize("raw", [float("inf"), float("-inf"), float("nan")])
def test_non_finite_money_is_rejected_not_a_crash(
    raw: float, make_record: MakeRecord, problems
) -> None:
    # JSON input may carry Infinity or NaN (Python's json module reads them).
    assert problems("training", make_record("training", cost=raw)) == {("cost", "invalid")}


# --- rules of the catalog and of one kind -----------------------------------------------------
def test_training_longer_than_five_days_under_gnbv21_is_rejected(
    make_record: MakeRecord, problems
) -> None:
    found = problems("training", make_record("training", days=6))
    assert found == {("days", "too_many_days")}


def test_five_day_training_under_gnbv21_is_accepted(make_record: MakeRecord, check) -> None:
    assert check("training", make_record("training", days=5))["days"] == 5


def test_six_day_training_under_the_merged_program_is_accepted(
    make_record: MakeRecord, check
) -> None:
    data = make_record(
        "training", program="MTQG26.TT.DT", start_date="2026-03-02", end_date="2026-03-07", days=6
    )
    assert check("training", data)["days"] == 6


def test_cluster_at_a_border_gate_requires_the_gate(make_record: MakeRecord, problems) -> None:
    data = make_record("cluster", cluster_type="border_gate", border_gate=None)
    assert problems("cluster", data) == {("border_gate", "required")}


def test_grassroots_cluster_needs_no_border_gate(make_record: MakeRecord, check) -> None:
    data = make_record("cluster", cluster_type="grassroots", border_gate=None)
    assert check("cluster", data)["border_gate"] is None


def test_criterion_with_an_indicator_missing_is_rejected(make_record: MakeRecord, problems) -> None:
    data = make_record("criterion", indicators={"8.1": True, "8.2": True, "8.3": True})
    assert problems("criterion", data) == {("indicators", "missing_indicator")}


def test_criterion_with_an_unknown_indicator_is_rejected(make_record: MakeRecord, problems) -> None:
    data = make_record(
        "criterion", indicators={"8.1": True, "8.2": True, "8.3": True, "8.4": True, "8.9": True}
    )
    assert problems("criterion", data) == {("indicators", "unknown_indicator")}


def test_indicators_that_are_not_an_object_are_rejected(make_record: MakeRecord, problems) -> None:
    found = problems("criterion", make_record("criterion", indicators=["8.1", "8.2"]))
    assert ("indicators", "invalid") in found


def test_criterion_7_has_no_published_indicators_yet(make_record: MakeRecord, problems) -> None:
    data = make_record(
        "criterion",
        program="MTQG26.TC7",
        year=2026,
        criterion_set="QD51_TC7",
        indicators={"7.1": True},
    )
    assert problems("criterion", data) == {("criterion_set", "set_not_published")}


def test_criterion_set_outside_its_years_is_rejected(make_record: MakeRecord, problems) -> None:
    data = make_record("criterion", program="MTQG26.TC7", year=2026)
    assert ("criterion_set", "set_not_valid") in problems("criterion", data)


@pytest.mark.parametrize(
    ("results", "met"),
    [
        ({"8.1": True, "8.2": True, "8.3": True, "8.4": True}, True),
        ({"8.1": True, "8.2": "có", "8.3": "không", "8.4": 1}, False),
    ],
)
def test_commune_meets_the_criterion_only_when_every_indicator_is_met(
    results: dict[str, Any], met: bool, make_record: MakeRecord, check
) -> None:
    values = check("criterion", make_record("criterion", indicators=results))
    assert values["met"] is met
    assert list(values["indicators"]) == ["8.1", "8.2", "8.3", "8.4"]


def test_yes_no_field_accepts_vietnamese_words_and_rejects_others(
    make_record: MakeRecord, check, problems
) -> None:
    assert (
        check("radio", make_record("radio", connected_to_province="Có"))["connected_to_province"]
        is True
    )
    assert (
        check("radio", make_record("radio", connected_to_province="không"))["connected_to_province"]
        is False
    )
    assert problems("radio", make_record("radio", connected_to_province="maybe")) == {
        ("connected_to_province", "invalid")
    }


# --- year-based kinds -------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["criterion", "funding"])
def test_year_based_kind_takes_its_dates_from_the_year(
    kind: str, make_record: MakeRecord, check
) -> None:
    values = check(kind, make_record(kind, year=2023, start_date=None, end_date=None, as_of=None))
    assert (values["start_date"], values["end_date"]) == (date(2023, 1, 1), date(2023, 12, 31))


def test_year_based_record_may_give_a_start_date_inside_its_year(
    make_record: MakeRecord, check
) -> None:
    values = check("funding", make_record("funding", start_date="15/03/2024"))
    assert values["start_date"] == date(2024, 3, 15)


def test_year_based_record_with_a_start_date_outside_its_year_is_rejected(
    make_record: MakeRecord, problems
) -> None:
    data = make_record("funding", year=2024, start_date="2023-12-31")
    assert ("start_date", "outside_year") in problems("funding", data)


def test_year_outside_the_programs_span_is_rejected(make_record: MakeRecord, problems) -> None:
    assert ("year", "too_small") in problems("funding", make_record("funding", year=2015))


# --- field names ------------------------------------------------------------------------------
def test_unknown_field_name_is_rejected(make_record: MakeRecord, problems) -> None:
    data = make_record("training")
    data["participants_men"] = 30
    assert problems("training", data) == {("participants_men", "unknown_field")}


def test_field_of_another_kind_is_rejected(make_record: MakeRecord, problems) -> None:
    data = make_record("training")
    data["hamlets"] = 3
    assert problems("training", data) == {("hamlets", "unknown_field")}


def test_read_only_keys_of_a_listed_record_are_ignored(make_record: MakeRecord, check) -> None:
    data = make_record("training")
    data.update(
        id=7,
        kind="training",
        place_names="Xã Lao Bảo",
        created_at="2024-01-01T00:00:00",
        created_by="a",
        updated_at="2024-01-01T00:00:00",
        updated_by="b",
    )
    values = check("training", data)
    assert "id" not in values and "created_by" not in values


def test_a_criterion_assessment_has_no_funding_source_and_no_cost() -> None:
    assert {"funding_source", "cost"}.isdisjoint(KINDS["criterion"].field_names)
    assert KINDS["criterion"].retired_fields == {"funding_source", "cost"}


def test_a_cluster_has_one_money_field_its_investment() -> None:
    spec = KINDS["cluster"]
    money = [f.name for f in spec.fields if f.type is FieldType.MONEY]
    assert money == ["investment"] and spec.retired_fields == {"cost"}


@pytest.mark.parametrize(
    ("kind", "legacy"),
    [
        ("criterion", {"funding_source": "NSDP", "cost": 0}),
        ("criterion", {"funding_source": "NSTW", "cost": 12_000_000}),
        ("criterion", {"funding_source": None, "cost": None}),
        ("cluster", {"cost": 250_000_000}),
        ("cluster", {"cost": None}),
    ],
)
def test_retired_fields_of_an_older_record_are_accepted_and_dropped(
    kind: str, legacy: dict[str, Any], make_record: MakeRecord, check
) -> None:
    """An older package, workbook or listing still carries them: accepted, values left out."""
    values = check(kind, make_record(kind, **legacy))
    assert set(legacy).isdisjoint(values)
    assert set(values) == set(KINDS[kind].field_names) | ({"met"} if kind == "criterion" else set())


def test_a_retired_field_stays_unknown_to_the_kinds_that_never_had_it(
    make_record: MakeRecord, problems
) -> None:
    assert problems("funding", make_record("funding", cost=5)) == {("cost", "unknown_field")}


# --- evidence references ----------------------------------------------------------------------
def test_evidence_reference_by_hash_is_normalised(make_record: MakeRecord, check) -> None:
    sha = "AB" * 32
    values = check("training", make_record("training", evidence=[{"sha256": sha}]))
    assert values["evidence"] == [{"sha256": sha.lower(), "name": sha.lower()}]


@pytest.mark.parametrize("evidence", [[{"sha256": "xyz"}], [{"name": "a.jpg"}], "a.jpg", ["a.jpg"]])
def test_malformed_evidence_reference_is_rejected(
    evidence: Any, make_record: MakeRecord, problems
) -> None:
    found = problems("training", make_record("training", evidence=evidence))
    assert found == {("evidence", "invalid")}
