"""The ``records`` check: a package's content judged by the core's own rules.

The schema says what shape ``records.json`` has; this says whether its records could have been
entered at all, by applying :func:`ctmt_desktop.validation.validate_record` to every record
with a :class:`~ctmt_desktop.validation.ValidationContext` of the verifier's catalog and the
sender's province, as the desktop app does when a record is saved (codes the catalog knows,
communes of the province, legacy units only before 1 July 2025, parts not above their
totals, a program node valid on the dates…). Then the package as a whole:

* every record starts inside the package's period (a year-based kind in its year), the
  period's dates are the ones its code names, no kind has an id twice;
* the counts per kind (``records.json`` and ``bag-info.txt``'s ``CTMT-Counts``) and the
  totals are the records' own;
* version 1 supersedes nothing; version n > 1 supersedes another package, and bag-info says
  it supersedes version n - 1;
* each evidence entry names a file of the bag at its own path, with its size and SHA-256;
  every record's evidence is in that list and every listed file is some record's;
* ``report.pdf`` begins with ``%PDF-`` and ends with ``%%EOF``, ``report.xlsx`` is a zip
  (its first local header and its end record), ``audit.json`` is a JSON list of objects
  read under the JSON caps.

Each problem names the record's kind, id and field; the first few are given, with how many
there are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.errors import ValidationError
from ctmt_desktop.kinds import KIND_CODES, kind_spec
from ctmt_desktop.package.build import (
    AUDIT_JSON,
    BAG_DIR,
    REPORT_PDF,
    REPORT_XLSX,
    evidence_member,
)
from ctmt_desktop.package.limits import DROPPED_OBJECT, Deadline, Limits, Refusal, load_json
from ctmt_desktop.package.strictzip import Entry
from ctmt_desktop.periods import PeriodError, parse_period
from ctmt_desktop.validation import ValidationContext, validate_record

#: How many problems a refusal spells out.
SHOWN = 5
#: Bytes kept from the end of report.pdf and report.xlsx (a zip's end record and comment).
TAIL_BYTES = 22 + 0xFFFF
_PDF_END = re.compile(rb"%%EOF[\r\n]{0,2}\Z")


class _Problems:
    def __init__(self) -> None:
        self.shown: list[str] = []
        self.count = 0

    def add(self, text: str) -> None:
        self.count += 1
        if len(self.shown) < SHOWN:
            self.shown.append(text)

    def refuse(self) -> None:
        if self.count:
            more = f" (and {self.count - len(self.shown)} more)" if self.count > SHOWN else ""
            raise Refusal(f"{self.count} problems: " + "; ".join(self.shown) + more)


def _record_name(record: Mapping[str, Any]) -> str:
    return f"{record.get('kind')} #{record.get('id')}"


def check_records(
    document: dict[str, Any],
    entries: Mapping[str, Entry],
    info: Mapping[str, str],
    catalog: Catalog,
    limits: Limits,
    deadline: Deadline,
) -> str:
    """Check ``document`` (valid against the schema) with the bag's ``entries`` and
    ``bag-info.txt``'s fields ``info``; return a summary or raise :class:`Refusal`."""
    problems = _Problems()
    records = document["records"]
    if len(records) > limits.max_records:
        raise Refusal(f"{len(records)} records, more than the cap of {limits.max_records}")
    try:
        period = parse_period(document["period"]["code"])
    except PeriodError as exc:
        raise Refusal(f"records.json period: {exc}") from exc
    stated = (document["period"]["start"], document["period"]["end"])
    if stated != (period.start.isoformat(), period.end.isoformat()):
        raise Refusal(
            f"records.json period: {period.code} runs from {period.start} to {period.end}, not "
            f"{stated[0]} to {stated[1]}"
        )
    province = document["sender"]["province_code"]
    unit = catalog.admin.get(province)
    if unit is None or unit.level != "province":
        raise Refusal(f"records.json sender province_code: {province!r} is not a province code")
    context = ValidationContext(catalog, province)
    seen: dict[str, set[int]] = {kind: set() for kind in KIND_CODES}
    counts = dict.fromkeys(KIND_CODES, 0)
    for index, record in enumerate(records):
        if index % 1000 == 0:
            deadline.check("checking the records")
        kind, record_id = record["kind"], record["id"]
        name = _record_name(record)
        counts[kind] += 1
        if record_id in seen[kind]:
            problems.add(f"{name} id: the id appears twice among the {kind} records")
        seen[kind].add(record_id)
        try:
            values = validate_record(kind, record, context)
        except ValidationError as exc:
            for problem in exc.problems:
                problems.add(f"{name} {problem.field or 'record'}: {problem.message}")
            continue
        start = values.get("start_date")
        if isinstance(start, date) and not period.contains(start):
            problems.add(
                f"{name} start_date: {start:%d/%m/%Y} is outside the period {period.code} "
                f"({period.start:%d/%m/%Y}–{period.end:%d/%m/%Y})"
            )
        if kind_spec(kind).year_based:
            year = values.get("year")
            if isinstance(year, int) and not period.start.year <= year <= period.end.year:
                problems.add(f"{name} year: {year} is outside the period {period.code}")
        if kind == "criterion" and "met" in record and record["met"] != values.get("met"):
            problems.add(f"{name} met: {record['met']} does not follow from its indicators")
    problems.refuse()
    _check_counts(document, info, counts, problems)
    _check_versions(document, info, problems)
    _check_evidence(document, entries, problems)
    problems.refuse()
    _check_reports(entries, limits)
    return (
        f"{len(records)} records pass the core's rules for province {province}, every one in "
        f"{period.code}; counts, versions, evidence and reports agree"
    )


def _check_counts(
    document: Mapping[str, Any],
    info: Mapping[str, str],
    counts: Mapping[str, int],
    problems: _Problems,
) -> None:
    stated = document["counts"]
    for kind in KIND_CODES:
        if stated[kind] != counts[kind]:
            problems.add(
                f"records.json counts {kind}: {stated[kind]}, but it holds {counts[kind]} "
                f"{kind} records"
            )
    if stated["records"] != sum(counts.values()):
        problems.add(
            f"records.json counts records: {stated['records']}, not {sum(counts.values())}"
        )
    if stated["evidence_files"] != len(document["evidence"]):
        problems.add(
            f"records.json counts evidence_files: {stated['evidence_files']}, not "
            f"{len(document['evidence'])}"
        )
    expected = " ".join(f"{kind}={counts[kind]}" for kind in KIND_CODES)
    if info.get("CTMT-Counts") != expected:
        problems.add(f"bag-info.txt CTMT-Counts: {info.get('CTMT-Counts')!r}, not {expected!r}")


def _check_versions(
    document: Mapping[str, Any], info: Mapping[str, str], problems: _Problems
) -> None:
    version, supersedes = document["version"], document["supersedes"]
    if version == 1:
        if supersedes is not None:
            problems.add("records.json supersedes: version 1 supersedes no package")
        if info.get("CTMT-Supersedes-Version") != "none":
            problems.add("bag-info.txt CTMT-Supersedes-Version: version 1 supersedes nothing")
        return
    if supersedes is None:
        problems.add(
            f"records.json supersedes: version {version} must name the package it replaces"
        )
    elif supersedes == document["package_id"]:
        problems.add("records.json supersedes: a package cannot supersede itself")
    if info.get("CTMT-Supersedes-Version") != str(version - 1):
        problems.add(
            f"bag-info.txt CTMT-Supersedes-Version: {info.get('CTMT-Supersedes-Version')!r}, "
            f"not {version - 1}"
        )


def _check_evidence(
    document: Mapping[str, Any], entries: Mapping[str, Entry], problems: _Problems
) -> None:
    listed: dict[str, Mapping[str, Any]] = {}
    for item in document["evidence"]:
        sha256 = item["sha256"]
        where = f"evidence {sha256[:12]}…"
        if sha256 in listed:
            problems.add(f"{where}: listed twice")
            continue
        listed[sha256] = item
        member = evidence_member(sha256)
        if item["path"] != member[len("data/") :]:
            problems.add(f"{where} path: {item['path']!r}, not {member[len('data/') :]!r}")
            continue
        entry = entries.get(f"{BAG_DIR}/{member}")
        if entry is None:
            problems.add(f"{where}: no such file in the bag")
            continue
        if entry.sha256 != sha256:
            problems.add(f"{where} sha256: the file's content has another SHA-256")
        if entry.size != item["size"]:
            problems.add(f"{where} size: {item['size']}, the file has {entry.size} bytes")
    referred: set[str] = set()
    for record in document["records"]:
        for ref in record.get("evidence") or []:
            referred.add(ref["sha256"])
            if ref["sha256"] not in listed:
                problems.add(
                    f"{_record_name(record)} evidence: {ref['sha256'][:12]}… is not among the "
                    "package's evidence files"
                )
    for sha256 in listed:
        if sha256 not in referred:
            problems.add(f"evidence {sha256[:12]}…: no record refers to it")
    prefix = f"{BAG_DIR}/data/evidence/"
    for name in entries:
        if name.startswith(prefix) and name.rsplit("/", 1)[-1] not in listed:
            problems.add(f"{name}: not in records.json's evidence list")


def _check_reports(entries: Mapping[str, Entry], limits: Limits) -> None:
    pdf = entries[f"{BAG_DIR}/{REPORT_PDF}"]
    if not pdf.head.startswith(b"%PDF-") or not _PDF_END.search(pdf.tail or pdf.data or b""):
        raise Refusal("report.pdf is not a PDF (it must begin with %PDF- and end with %%EOF)")
    xlsx = entries[f"{BAG_DIR}/{REPORT_XLSX}"]
    tail = xlsx.tail or xlsx.data or b""
    end = tail.rfind(b"PK\x05\x06")
    if not xlsx.head.startswith(b"PK\x03\x04") or end < 0 or end + 22 > len(tail):
        raise Refusal("report.xlsx is not a workbook (a zip with its end record)")
    comment_length = int.from_bytes(tail[end + 20 : end + 22], "little")
    if end + 22 + comment_length != len(tail):
        raise Refusal("report.xlsx is not a workbook (data after its zip's end record)")
    audit = entries[f"{BAG_DIR}/{AUDIT_JSON}"]
    assert audit.data is not None
    trail = load_json(
        audit.data,
        limits,
        "audit.json",
        max_bytes=limits.max_audit_bytes,
        max_strings=limits.max_audit_strings,
        max_containers=limits.max_audit_containers,
        objects="drop",
    )
    if not isinstance(trail, list) or any(item is not DROPPED_OBJECT for item in trail):
        raise Refusal("audit.json is not a list of audit entries (objects)")
