"""Validation of records against the kind specs and the catalog.

:func:`validate_record` turns raw input (from JSON, a form or a spreadsheet row) into clean
values or raises :class:`~ctmt_desktop.errors.ValidationError` listing every problem, each
naming its field. Nothing here touches the database; the duplicate check, which needs it,
lives in the records service.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ctmt_desktop.catalog import REORGANISATION_DAY, Catalog
from ctmt_desktop.errors import Problem, ValidationError
from ctmt_desktop.kinds import FieldSpec, FieldType, KindSpec, kind_spec
from ctmt_desktop.text import clean_text

#: Keys a listed record carries that ``add`` ignores (so a listed record can be added back).
READ_ONLY_KEYS = frozenset(
    {"id", "kind", "met", "place_names", "created_at", "created_by", "updated_at", "updated_by"}
)
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TRUE = {"true", "1", "yes", "có", "co", "x"}
_FALSE = {"false", "0", "no", "không", "khong", ""}


@dataclass(frozen=True)
class ValidationContext:
    """What validation needs to know beyond the record: the catalog and the province."""

    catalog: Catalog
    province: str


def parse_date(value: Any) -> date:
    """Accept a ``date``, ISO ``YYYY-MM-DD`` or ``dd/mm/yyyy``; raise ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        match = _DMY.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    raise ValueError(value)


def parse_int(value: Any) -> int:
    """Accept an int, an integral float or a string of digits; raise ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise ValueError(value)
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
    raise ValueError(value)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


class _Checker:
    def __init__(self, spec: KindSpec, context: ValidationContext) -> None:
        self.spec = spec
        self.context = context
        self.catalog = context.catalog
        self.problems: list[Problem] = []

    def add(self, field: str, code: str, message: str, **params: Any) -> None:
        self.problems.append(Problem(field, code, message, params))

    # --- single fields ------------------------------------------------------------------
    def convert(self, field: FieldSpec, raw: Any) -> Any:
        name = field.name
        kind = field.type
        try:
            if kind is FieldType.TEXT:
                if not isinstance(raw, str | int | float) or isinstance(raw, bool):
                    raise ValueError
                text = clean_text(str(raw))
                if field.max_length is not None and len(text) > field.max_length:
                    self.add(
                        name,
                        "too_long",
                        f"is {len(text)} characters long; at most {field.max_length} are allowed",
                        limit=field.max_length,
                    )
                return text
            if kind is FieldType.DATE:
                return parse_date(raw)
            if kind in (FieldType.INT, FieldType.MONEY):
                return self.number(field, raw)
            if kind is FieldType.CODE:
                return self.code(field, raw)
            if kind is FieldType.PLACES:
                return self.place_codes(raw)
            if kind is FieldType.BOOL:
                return self.boolean(raw)
            if kind is FieldType.INDICATORS:
                return self.indicator_values(raw)
            if kind is FieldType.EVIDENCE:
                return self.evidence_refs(raw)
        except ValueError:
            expected = {
                FieldType.TEXT: "text",
                FieldType.DATE: "a date (dd/mm/yyyy or yyyy-mm-dd)",
                FieldType.INT: "a whole number",
                FieldType.MONEY: "a whole number of đồng",
                FieldType.BOOL: "yes or no",
                FieldType.INDICATORS: "an object of indicator codes and true/false",
                FieldType.EVIDENCE: "a list of evidence files",
                FieldType.PLACES: "a list of administrative unit codes",
                FieldType.CODE: "a code",
            }[kind]
            self.add(name, "invalid", f"'{raw}' is not {expected}", expected=expected, value=raw)
        return None

    def number(self, field: FieldSpec, raw: Any) -> int | None:
        if isinstance(raw, float) and not math.isfinite(raw):
            raise ValueError(raw)
        if field.type is FieldType.MONEY and isinstance(raw, float) and raw != int(raw):
            self.add(field.name, "not_whole_dong", f"{raw} is not a whole number of đồng")
            return None
        value = parse_int(raw)
        if value < 0 and (field.minimum or 0) >= 0:
            self.add(field.name, "negative", f"must not be negative (got {value})", value=value)
        elif field.minimum is not None and value < field.minimum:
            self.add(
                field.name,
                "too_small",
                f"must be at least {field.minimum} (got {value})",
                minimum=field.minimum,
                value=value,
            )
        elif field.maximum is not None and value > field.maximum:
            self.add(
                field.name,
                "too_large",
                f"must be at most {field.maximum} (got {value})",
                maximum=field.maximum,
                value=value,
            )
        return value

    def code(self, field: FieldSpec, raw: Any) -> str | None:
        if not isinstance(raw, str):
            raise ValueError(raw)
        code = raw.strip()
        assert field.vocabulary is not None
        if code not in self.catalog.vocabulary(field.vocabulary):
            what = "program node" if field.vocabulary == "program" else "code"
            self.add(
                field.name,
                "unknown_code",
                f"'{code}' is not a {what} of the catalog ({field.vocabulary})",
                value=code,
                vocabulary=field.vocabulary,
            )
            return None
        return code

    def place_codes(self, raw: Any) -> list[str]:
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list) or not all(isinstance(i, str | int) for i in items):
            raise ValueError(raw)
        codes: list[str] = []
        for item in items:
            code = str(item).strip()
            if code and code not in codes:
                codes.append(code)
        return codes

    def boolean(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str) and raw.strip().casefold() in _TRUE | _FALSE:
            return raw.strip().casefold() in _TRUE
        raise ValueError(raw)

    def indicator_values(self, raw: Any) -> dict[str, bool]:
        if not isinstance(raw, Mapping):
            raise ValueError(raw)
        return {str(key).strip(): self.boolean(value) for key, value in raw.items()}

    def evidence_refs(self, raw: Any) -> list[dict[str, str]]:
        if not isinstance(raw, list):
            raise ValueError(raw)
        refs = []
        for item in raw:
            if not isinstance(item, Mapping):
                raise ValueError(raw)
            if "path" in item:
                refs.append({"path": str(item["path"]), "name": str(item.get("name", ""))})
            elif "sha256" in item:
                sha = str(item["sha256"]).strip().lower()
                if not re.fullmatch(r"[0-9a-f]{64}", sha):
                    raise ValueError(raw)
                refs.append({"sha256": sha, "name": clean_text(str(item.get("name") or sha))})
            else:
                raise ValueError(raw)
        return refs

    # --- whole record ---------------------------------------------------------------------
    def run(self, data: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            self.add("", "not_an_object", "a record must be an object of field names and values")
            return {}
        known = set(self.spec.field_names) | self.spec.retired_fields  # retired: dropped
        for key in data:
            if key not in known and key not in READ_ONLY_KEYS:
                self.add(str(key), "unknown_field", f"is not a field of a {self.spec.code} record")
        values: dict[str, Any] = {}
        for field in self.spec.fields:
            raw = data.get(field.name)
            if _empty(raw):
                if field.required and field.default is None and not self.derivable(field, data):
                    self.add(field.name, "required", "is required")
                values[field.name] = (
                    list(field.default)
                    if isinstance(field.default, list | tuple)
                    else field.default
                )
                continue
            values[field.name] = self.convert(field, raw)
        if values.get("places") is None:
            values["places"] = []
        if values.get("evidence") is None:
            values["evidence"] = []
        self.cross_checks(values)
        return values

    def derivable(self, field: FieldSpec, data: Mapping[str, Any]) -> bool:
        """Fields the validator fills itself (dates of year-based kinds)."""
        return self.spec.year_based and field.name == "start_date" and not _empty(data.get("year"))

    def cross_checks(self, values: dict[str, Any]) -> None:
        spec = self.spec
        year = values.get("year")
        if spec.year_based and isinstance(year, int):
            if values.get("start_date") is None:
                values["start_date"] = date(year, 1, 1)
                if values.get("end_date") is None:
                    values["end_date"] = date(year, 12, 31)
            elif values["start_date"].year != year:
                self.add(
                    "start_date",
                    "outside_year",
                    f"{values['start_date']:%d/%m/%Y} does not fall in the year {year}",
                    year=year,
                )
        start: date | None = values.get("start_date")
        if values.get("end_date") is None and start is not None:
            values["end_date"] = start
        end: date | None = values.get("end_date")
        if start is not None and end is not None and end < start:
            self.add(
                "end_date",
                "end_before_start",
                f"{end:%d/%m/%Y} is before the start date {start:%d/%m/%Y}",
            )
            end = None
        for field in spec.fields:
            if field.part_of and isinstance(values.get(field.name), int):
                total = values.get(field.part_of)
                if isinstance(total, int) and values[field.name] > total:
                    total_label = spec.field(field.part_of).label_en.lower()
                    self.add(
                        field.name,
                        "part_above_total",
                        f"{values[field.name]} is more than the {total_label} ({total})",
                        total_field=field.part_of,
                        total=total,
                    )
        self.program_checks(values, start, end)
        self.place_checks(values, start)
        check = getattr(self, f"check_{spec.code}", None)
        if check is not None:
            check(values)

    def program_checks(self, values: dict[str, Any], start: date | None, end: date | None) -> None:
        code = values.get("program")
        if code is None or start is None or end is None:
            return
        node = self.catalog.program(code)
        assert node is not None  # unknown codes were reported by convert()
        if not node.valid_over(start, end):
            self.add(
                "program",
                "program_not_valid",
                f"{code} is valid from {node.valid_from:%d/%m/%Y} to "
                f"{node.valid_to:%d/%m/%Y}, not on the record's dates",
                valid_from=node.valid_from,
                valid_to=node.valid_to,
            )

    def place_checks(self, values: dict[str, Any], start: date | None) -> None:
        places: list[str] = values.get("places") or []
        admin = self.catalog.admin
        province = self.context.province
        if self.spec.max_places is not None and len(places) > self.spec.max_places:
            self.add(
                "places",
                "too_many_places",
                f"a {self.spec.code} record concerns one commune; {len(places)} given",
            )
        for code in places:
            unit = admin.get(code)
            if unit is None:
                self.add(
                    "places",
                    "unknown_place",
                    f"'{code}' is not an administrative unit code",
                    value=code,
                )
                continue
            if unit.province != province:
                self.add(
                    "places",
                    "outside_province",
                    f"{unit.name} ({code}) is not in the department's province",
                    value=code,
                )
                continue
            if unit.legacy and start is not None and start >= REORGANISATION_DAY:
                self.add(
                    "places",
                    "legacy_unit",
                    f"{unit.name} ({code}) ceased to exist on 01/07/2025; use the current "
                    "commune for activities from that day",
                    value=code,
                )
            if self.spec.max_places == 1 and unit.level != "commune":
                self.add(
                    "places",
                    "commune_required",
                    f"{unit.name} ({code}) is not a commune",
                    value=code,
                )

    # --- rules of one kind ------------------------------------------------------------------
    def check_training(self, values: dict[str, Any]) -> None:
        total = values.get("participants")
        commune, village = values.get("participants_commune"), values.get("participants_village")
        if isinstance(total, int) and isinstance(commune, int) and isinstance(village, int):
            if commune + village > total and commune <= total and village <= total:
                self.add(
                    "participants_village",
                    "levels_above_total",
                    f"commune level ({commune}) and village level ({village}) together "
                    f"exceed the participant-times ({total})",
                    total=total,
                )
        days, program = values.get("days"), values.get("program")
        if isinstance(days, int) and program:
            limit = self.catalog.program_rule(program, "max_training_days")
            if limit is not None and days > limit:
                self.add(
                    "days",
                    "too_many_days",
                    f"{days} days; a class under {program} lasts at most {limit} days",
                    maximum=limit,
                )

    def check_cluster(self, values: dict[str, Any]) -> None:
        if values.get("cluster_type") == "border_gate" and not values.get("border_gate"):
            self.add("border_gate", "required", "is required for a cluster at a border gate")

    def check_criterion(self, values: dict[str, Any]) -> None:
        criterion_set = values.get("criterion_set")
        results = values.get("indicators")
        if criterion_set is None:
            return
        term = self.catalog.vocabulary("criterion_sets")[criterion_set]
        year = values.get("year")
        valid_from, valid_to = term.extra.get("valid_from"), term.extra.get("valid_to")
        if isinstance(year, int) and valid_from and valid_to:
            if not int(valid_from[:4]) <= year <= int(valid_to[:4]):
                self.add(
                    "criterion_set",
                    "set_not_valid",
                    f"{criterion_set} applies from {valid_from[:4]} to {valid_to[:4]}, "
                    f"not in {year}",
                )
        expected = [i.code for i in self.catalog.criterion_indicators(criterion_set)]
        if not expected:
            self.add(
                "criterion_set",
                "set_not_published",
                f"the indicators of {criterion_set} are not in the catalog yet; install "
                "a newer catalog",
            )
            return
        if not isinstance(results, dict):
            return
        unknown = sorted(set(results) - set(expected))
        missing = [code for code in expected if code not in results]
        if unknown:
            self.add(
                "indicators",
                "unknown_indicator",
                f"{', '.join(unknown)} not in {criterion_set} (expected {', '.join(expected)})",
            )
        if missing:
            self.add("indicators", "missing_indicator", f"no result for {', '.join(missing)}")
        values["indicators"] = {code: results[code] for code in expected if code in results}

    def check_funding(self, values: dict[str, Any]) -> None:
        plan, disbursed = values.get("plan_amount"), values.get("disbursed_amount")
        if isinstance(plan, int) and isinstance(disbursed, int) and disbursed > plan:
            self.add(
                "disbursed_amount",
                "part_above_total",
                f"{disbursed:,} đồng disbursed is more than the plan ({plan:,} đồng)",
                total_field="plan_amount",
                total=plan,
            )
        as_of, year = values.get("as_of"), values.get("year")
        if isinstance(as_of, date) and isinstance(year, int) and as_of.year < year:
            self.add("as_of", "before_year", f"{as_of:%d/%m/%Y} is before the plan year {year}")


def validate_record(
    kind: str, data: Mapping[str, Any], context: ValidationContext
) -> dict[str, Any]:
    """Check ``data`` as a record of ``kind``; return clean values or raise ValidationError.

    Clean values: text in NFC, trimmed and within its length; dates as ``date``; numbers as
    ``int``; codes that exist in the catalog; ``end_date`` filled from ``start_date``.
    Fields the kind no longer has (:attr:`~ctmt_desktop.kinds.KindSpec.retired_fields`, which
    older packages, workbooks and listings still carry) are accepted and left out, whatever
    their value.
    """
    checker = _Checker(kind_spec(kind), context)
    values = checker.run(data)
    if checker.problems:
        raise ValidationError(checker.problems)
    if kind == "criterion":
        values["met"] = all(values["indicators"].values())
    return values
