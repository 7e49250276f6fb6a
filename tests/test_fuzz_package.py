"""Fuzzing the verifier: a good package mutated at random, byte by byte and structure by
structure, never crashes it, never runs long, never makes it write outside its work folder,
and never verifies unless what it holds is what was signed.

Hypothesis runs derandomised (the same examples on every run, so CI is reproducible), with
a bounded number of examples, no deadline per example and no example database (nothing is
written into the working tree). The time bound asserted is a generous guard against a hang
(a verification of these small packages takes a fraction of a second), not a benchmark.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from package_kit import RECORDS_JSON, SIGNATURE, Kit, build_kit, rehash, sign, write_zip

from ctmt_desktop.package import build
from ctmt_desktop.package import parts as package_parts
from ctmt_desktop.package.verify import CHECKS, VerificationReport, verify_package

#: Far above what one verification of these packages takes; only a hang would reach it.
GUARD_SECONDS = 20.0
#: Derandomised, no example database, no deadline; each test sets its number of examples
#: (the whole file runs in about half a minute on the project's 2-core machine).
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return build_kit(tmp_path_factory.mktemp("fuzz-kit"))


def _snapshot(folder: Path, skip: Path) -> dict[Path, tuple[int, int]]:
    return {
        path: (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path != skip and skip not in path.parents
    }


def _content(data: bytes) -> dict[str, bytes] | None:
    """What a forgiving reader (Python's zipfile) finds in ``data``, or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found: dict[str, bytes] = {}
            for info in archive.infolist():
                if info.filename in found:
                    return None
                found[info.filename] = archive.read(info)
            return found
    except Exception:  # noqa: BLE001 - any failure of the forgiving reader: nothing read
        return None


def _verify(kit: Kit, folder: Path, source: Path | list[Path]) -> VerificationReport:
    """Verify ``source`` as the tests demand: no exception, within the guard, nothing
    written outside the work folder (left empty), every check reported, no failure by
    accident rather than by a rule."""
    work = folder / "work"
    before = _snapshot(folder, work)
    started = time.monotonic()
    report = verify_package(source, registered=[kit.cert], work_dir=work)
    elapsed = time.monotonic() - started
    assert elapsed < GUARD_SECONDS, f"{elapsed:.1f} s"
    assert _snapshot(folder, work) == before
    assert not work.exists() or list(work.iterdir()) == []
    assert [check.name for check in report.checks] == list(CHECKS)
    for check in report.failed:
        assert "could not be completed" not in check.reason, check.reason
    return report


def _check_zip(kit: Kit, folder: Path, data: bytes) -> VerificationReport:
    path = folder / "in" / "fuzzed.zip"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    report = _verify(kit, folder, path)
    if report.ok:  # only a zip holding exactly what was signed may verify
        assert _content(data) == kit.members, "a mutated package verified"
    return report


# --- byte level -------------------------------------------------------------------------------
OPERATIONS = ("flip", "insert", "delete", "overwrite", "truncate")


@st.composite
def byte_mutations(draw: st.DrawFn, size: int) -> list[tuple[str, int, bytes]]:
    """Up to four operations, at offsets anywhere or near the ends (where the zip's
    directories and first headers are)."""
    where = st.one_of(
        st.integers(0, size - 1),
        st.integers(max(0, size - 3000), size - 1),
        st.integers(0, min(size - 1, 600)),
    )
    operation = st.tuples(st.sampled_from(OPERATIONS), where, st.binary(min_size=1, max_size=24))
    return draw(st.lists(operation, min_size=1, max_size=4))


def _apply(data: bytes, mutations: list[tuple[str, int, bytes]]) -> bytes:
    out = bytearray(data)
    for operation, offset, value in mutations:
        at = offset % max(len(out), 1)
        if operation == "flip" and out:
            out[at] ^= value[0] or 0x01
        elif operation == "insert":
            out[at:at] = value
        elif operation == "delete":
            del out[at : at + len(value)]
        elif operation == "overwrite":
            out[at : at + len(value)] = value
        elif operation == "truncate":
            del out[at:]
    return bytes(out)


def test_byte_mutations_never_crash_and_never_verify(kit: Kit, tmp_path: Path) -> None:
    original = kit.package.read_bytes()

    @settings(FUZZ, max_examples=150)
    @given(byte_mutations(len(original)))
    def run(mutations: list[tuple[str, int, bytes]]) -> None:
        _check_zip(kit, tmp_path, _apply(original, mutations))

    run()


# --- structure level --------------------------------------------------------------------------
NAMES = (
    "bag/fetch.txt",
    "bag/manifest-md5.txt",
    "bag/data/extra.bin",
    "bag/data/evidence/00/" + "0" * 64,
    "bag/DATA/records.json",
    "bag/data/records.json/",
    "../evil.txt",
    "signature/other.p7s",
    "bag/data/report.pdf",
)


BAG_INFO_FIELDS = (
    "CTMT-Period",
    "CTMT-Package-Version",
    "Payload-Oxum",
    "CTMT-Province-Code",
    "CTMT-Counts",
    "Extra-Field",
)


@st.composite
def structure_mutations(draw: st.DrawFn, names: list[str]) -> list[tuple[str, Any]]:
    kinds = st.sampled_from(
        ("rewrite", "rename", "duplicate", "delete", "bag-info", "reorder", "comment")
    )
    steps = []
    for kind in draw(st.lists(kinds, min_size=1, max_size=3)):
        target = draw(st.sampled_from(names))
        if kind == "rewrite":
            steps.append((kind, (target, draw(byte_mutations(64)))))
        elif kind == "rename":
            new = draw(st.one_of(st.sampled_from(NAMES + tuple(names)), st.text(max_size=40)))
            steps.append((kind, (target, new)))
        elif kind == "bag-info":
            field = draw(st.sampled_from(BAG_INFO_FIELDS))
            how = draw(st.sampled_from(("set", "twice", "drop")))
            steps.append((kind, (field, how, draw(st.text(max_size=20)))))
        elif kind == "reorder":
            steps.append((kind, draw(st.randoms(use_true_random=False))))
        elif kind == "comment":
            steps.append((kind, draw(st.binary(max_size=60))))
        else:
            steps.append((kind, target))
    return steps


def _restructure(kit: Kit, steps: list[tuple[str, Any]]) -> bytes:
    """The package re-zipped after ``steps``."""
    members = list(kit.members.items())
    comment = b""
    for kind, argument in steps:
        names = [name for name, _ in members]
        if kind == "rewrite":
            target, mutations = argument
            members = [(n, _apply(d, mutations) if n == target else d) for n, d in members]
        elif kind == "rename":
            target, new = argument
            members = [(new if n == target else n, d) for n, d in members]
        elif kind == "duplicate" and argument in names:
            members.append((argument, dict(members)[argument]))
        elif kind == "delete":
            members = [(n, d) for n, d in members if n != argument]
        elif kind == "bag-info" and "bag/bag-info.txt" in names:
            field, how, value = argument
            text = dict(members)["bag/bag-info.txt"].decode("utf-8", "replace")
            line = re.search(rf"(?m)^{re.escape(field)}: .*\n", text)
            if how == "set":
                new_line = f"{field}: {value}\n"
                text = text.replace(line.group(0), new_line) if line else text + new_line
            elif how == "twice":
                text += line.group(0) if line else f"{field}: {value}\n"
            elif line:
                text = text.replace(line.group(0), "")
            members = [
                (n, text.encode("utf-8", "surrogatepass") if n == "bag/bag-info.txt" else d)
                for n, d in members
            ]
        elif kind == "reorder":
            argument.shuffle(members)
        elif kind == "comment":
            comment = argument
    try:
        return write_zip(members, comment=comment)
    except (ValueError, UnicodeEncodeError):  # a name or comment zipfile will not write
        return write_zip(members)


def test_structure_mutations_never_crash_and_never_verify(kit: Kit, tmp_path: Path) -> None:
    names = list(kit.members)

    @settings(FUZZ, max_examples=120)
    @given(structure_mutations(names))
    def run(steps: list[tuple[str, Any]]) -> None:
        _check_zip(kit, tmp_path, _restructure(kit, steps))

    run()


# --- the signature's DER -------------------------------------------------------------------
@st.composite
def der_mutations(draw: st.DrawFn, size: int) -> list[tuple[str, int, bytes]]:
    """Byte mutations of the signature, half of them on its first bytes (tags, lengths)."""
    where = st.one_of(st.integers(0, size - 1), st.integers(0, min(size - 1, 40)))
    operation = st.tuples(st.sampled_from(OPERATIONS), where, st.binary(min_size=1, max_size=8))
    return draw(st.lists(operation, min_size=1, max_size=3))


def test_signature_mutations_never_crash_and_never_verify(kit: Kit, tmp_path: Path) -> None:
    signature = kit.members[SIGNATURE]

    @settings(FUZZ, max_examples=100)
    @given(der_mutations(len(signature)))
    def run(mutations: list[tuple[str, int, bytes]]) -> None:
        members = dict(kit.members)
        members[SIGNATURE] = _apply(signature, mutations)
        _check_zip(kit, tmp_path, write_zip(members))

    run()


# --- signed content: the parsers after the signature -----------------------------------------
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
RECORD_KEYS = ("id", "kind", "start_date", "end_date", "places", "program", "participants",
               "participants_female", "evidence", "title", "cost", "khong_co")  # fmt: skip
DOCUMENT_KEYS = ("version", "supersedes", "period", "sender", "counts", "evidence", "records",
                 "package_id", "created_at", "khong_co")  # fmt: skip


#: Values of the right type for a record's field (so that the schema passes and the records
#: check decides): dates around the period, communes of this province, of another, legacy
#: units, programs of the catalog or not, numbers small and large, ids that collide.
TYPED_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "start_date": st.dates(date(2023, 1, 1), date(2026, 12, 31)).map(date.isoformat),
    "end_date": st.dates(date(2023, 1, 1), date(2026, 12, 31)).map(date.isoformat),
    "places": st.lists(
        st.sampled_from(("19432", "44", "19815", "46", "old:19456", "old:45", "99999")),
        max_size=3,
    ),
    "program": st.sampled_from(
        ("GNBV21.DA6.TDA1.ND1", "NTM21.TC8.83", "GNBV16.DA4.C5", "GNBV21.DA6", "KHONG.CO")
    ),
    "participants": st.integers(0, 10**6),
    "participants_female": st.integers(0, 10**6),
    "cost": st.integers(0, 10**12),
    "id": st.integers(1, 4),
    "title": st.text(min_size=1, max_size=40),
}


@st.composite
def content_changes(draw: st.DrawFn) -> list[tuple[str, str, int, Any]]:
    """Values put into records.json: at the top or into a record (by index), of the right
    type half of the time, any JSON otherwise."""
    changes = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            key = draw(st.sampled_from(sorted(TYPED_VALUES)))
            changes.append(("record", key, draw(st.integers(0, 10)), draw(TYPED_VALUES[key])))
        else:
            where = draw(st.sampled_from(("document", "record")))
            key = draw(st.sampled_from(DOCUMENT_KEYS + RECORD_KEYS))
            changes.append((where, key, draw(st.integers(0, 10)), draw(JSON_VALUES)))
    return changes


def test_signed_content_mutations_never_crash(kit: Kit, tmp_path: Path) -> None:
    """records.json changed and signed again with the department's own key: the schema, the
    records check and the consistency check get arbitrary JSON; whatever they decide, they
    decide it by a rule, in time, writing nothing."""
    signer = kit.signer()

    @settings(FUZZ, max_examples=60)
    @given(content_changes())
    def run(changes: list[tuple[str, str, int, Any]]) -> None:
        document = json.loads(kit.members[RECORDS_JSON])
        for where, key, index, value in changes:
            if where == "document":
                document[key] = value
            elif isinstance(document.get("records"), list) and document["records"]:
                record = document["records"][index % len(document["records"])]
                if isinstance(record, dict):
                    record[key] = value
        members = dict(kit.members)
        members[RECORDS_JSON] = build.canonical_json(document)
        rehash(members)
        sign(members, signer)
        path = tmp_path / "in" / "resigned.zip"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(write_zip(members))
        _verify(kit, tmp_path, path)

    run()


# --- parts ------------------------------------------------------------------------------------
@st.composite
def part_choices(draw: st.DrawFn, count: int) -> list[tuple[str, int, int | None]]:
    """For each part to give: which package it comes from (a or b), which of its parts, and
    a byte of its slice to flip (or None)."""
    given_count = draw(st.integers(1, count + 1))
    return [
        (
            draw(st.sampled_from("ab")),
            draw(st.integers(0, count - 1)),
            draw(st.one_of(st.none(), st.integers(0, 10**6))),
        )
        for _ in range(given_count)
    ]


def test_parts_swapped_never_verify(kit: Kit, tmp_path: Path) -> None:
    count = len(kit.parts_a)
    assert count == len(kit.parts_b) >= 3
    sources = {"a": kit.parts_a, "b": kit.parts_b}
    signed = {key: [p.read_bytes() for p in parts] for key, parts in sources.items()}

    @settings(FUZZ, max_examples=50)
    @given(part_choices(count))
    def run(choices: list[tuple[str, int, int | None]]) -> None:
        folder = tmp_path / "in"
        for old in folder.glob("*"):
            old.unlink()
        folder.mkdir(exist_ok=True)
        given_parts = []
        for number, (which, index, flip) in enumerate(choices, start=1):
            data = bytearray(signed[which][index])
            if flip is not None:
                data[
                    package_parts.HEADER_SIZE + flip % (len(data) - package_parts.HEADER_SIZE)
                ] ^= 1
            path = folder / f"QuangTri_2024-H1.zip.{number:03d}"
            path.write_bytes(bytes(data))
            given_parts.append(bytes(data))
        report = _verify(kit, tmp_path, folder / "QuangTri_2024-H1.zip.001")
        whole = any(given_parts == signed[key] for key in signed)
        assert report.ok == whole, "\n".join(report.lines())

    run()


# --- the guard itself -------------------------------------------------------------------------
def test_the_mutations_apply_as_described() -> None:
    data = bytes(range(10))
    assert _apply(data, [("flip", 0, b"\x01")])[0] == 1
    assert _apply(data, [("insert", 2, b"ab")])[:4] == b"\x00\x01ab"
    assert _apply(data, [("delete", 2, b"xyz")]) == bytes([0, 1, 5, 6, 7, 8, 9])
    assert _apply(data, [("truncate", 4, b"x")]) == bytes(range(4))
    assert _apply(data, [("overwrite", 8, b"zzz")]) == bytes(range(8)) + b"zzz"
