"""Build a period's signed submission package: a BagIt bag in a zip, with a detached CMS
(CAdES-BES) signature over the bag's tag manifest.

Layout (``QuangTri_2024-H1_v2.zip``)::

    bag/bagit.txt
    bag/bag-info.txt            sender, province code, period, package id, version,
                                supersedes, schema and catalog versions, counts, creation time
    bag/manifest-sha256.txt
    bag/tagmanifest-sha256.txt
    bag/data/records.json       every record of the period and its evidence references,
                                canonical JSON valid against resources/schema/records-1.json
    bag/data/report.pdf         the period report as printed
    bag/data/report.xlsx        the same figures as official forms
    bag/data/audit.json         the audit trail of the period's records (canonical JSON)
    bag/data/evidence/ab/ab…    the evidence files, named by their SHA-256
    signature/tagmanifest-sha256.txt.p7s   detached CMS over bag/tagmanifest-sha256.txt

The tag manifest lists the SHA-256 of ``bagit.txt``, ``bag-info.txt`` and
``manifest-sha256.txt``, and the manifest lists every payload file, so the signature covers
every byte of the bag. Anyone can check it with ``openssl cms -verify -binary -inform DER
-content bag/tagmanifest-sha256.txt -in signature/tagmanifest-sha256.txt.p7s -CAfile
roots.pem``.

The zip is written to a temporary name beside the target and renamed when complete; with
``max_part_size`` it is cut into numbered parts (``NAME.zip.001``, ``.002``…) of at most
that many bytes, for email, each beginning with a small header that names the package, the
part's number, the count and the SHA-256 of the whole zip (:mod:`ctmt_desktop.package.parts`:
a part of another package is refused; the verifier takes the parts directly, and they are
no longer joined by ``cat``). Packaging needs the period approved
(:mod:`ctmt_desktop.services.approval`); the package is registered there (version n+1
superseding version n) and the period locked, in the caller's unit of work.

The bag is written here rather than by ``bagit.make_bag`` (which moves the files into
``data/`` after changing the process's working directory, and would need every evidence file
copied or linked into a work folder first): the tag files are those the ``bagit`` library
writes (BagIt 0.97, sorted ``bag-info.txt`` with ``Payload-Oxum``) and it validates the bag,
but the records, the audit trail and the tag files are made in memory, the evidence files
are hashed where they lie in the store and read once more into the zip,
and only the two reports pass through a temporary folder. Each evidence file's SHA-256 must
equal its name, so a file damaged in the store never goes out signed. Files are deflated
when a sample of them shrinks (JSON, text) and stored otherwise (photos, scans, workbooks).
On the project's 2-core machine a year of 10,000 records with 200 MB of evidence packages
in about 3.5 s (``bench/bench_package.py``).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctmt_desktop import __version__
from ctmt_desktop.catalog import Catalog, load_catalog
from ctmt_desktop.collector import collector_paused
from ctmt_desktop.errors import CtmtError, StorageError
from ctmt_desktop.evidence import CHUNK, EvidenceStore
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.package import parts
from ctmt_desktop.paths import evidence_dir, resources_dir
from ctmt_desktop.periods import Period, parse_period
from ctmt_desktop.services.listing import RecordQuery, iter_matching
from ctmt_desktop.signing.identity import fingerprint_sha256, subject_text
from ctmt_desktop.text import fold

if TYPE_CHECKING:  # the ORM and the services are imported where a package is built, so the
    # verifier, which reads this module's format, does not load them (issue 15)
    from pyhanko.sign.signers import Signer
    from sqlalchemy.orm import Session

    from ctmt_desktop.accounts import Actor
    from ctmt_desktop.reports.figures import Agency
    from ctmt_desktop.services import approval

# --- the format, shared with the verifier ----------------------------------------------------
SCHEMA_VERSION = "1"
SCHEMA_ID = "urn:ctmt-desktop:schema:package-records:1"
SCHEMA_FILE = "records-1.json"
BAG_DIR = "bag"
SIGNATURE_DIR = "signature"
TAGMANIFEST = "tagmanifest-sha256.txt"
MANIFEST = "manifest-sha256.txt"
SIGNATURE_NAME = f"{SIGNATURE_DIR}/{TAGMANIFEST}.p7s"
RECORDS_JSON = "data/records.json"
AUDIT_JSON = "data/audit.json"
REPORT_PDF = "data/report.pdf"
REPORT_XLSX = "data/report.xlsx"
EVIDENCE_DIR = "data/evidence"
#: The payload files every package has besides its evidence.
FIXED_PAYLOAD = (RECORDS_JSON, REPORT_PDF, REPORT_XLSX, AUDIT_JSON)
#: Parts are numbered ``.001`` to ``.999``; smaller parts than this are refused.
MIN_PART_SIZE = 64 * 1024
MAX_PARTS = 999
_LOAD_CHUNK = 2000


class PackageError(CtmtError):
    """A package cannot be made (an evidence file is missing, the signer's certificate is
    not valid now, the target exists…); the message says which and why."""


def schema_path() -> Path:
    """The JSON Schema of ``records.json`` shipped in ``resources/schema``."""
    return resources_dir() / "schema" / SCHEMA_FILE


@functools.lru_cache(maxsize=1)
def records_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``records.json``, version :data:`SCHEMA_VERSION`."""
    with schema_path().open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@functools.lru_cache(maxsize=1)
def records_validator() -> Any:
    """A compiled validator of :func:`records_schema`."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(records_schema())


def canonical_json(value: Any) -> bytes:
    """``value`` as canonical JSON: UTF-8, keys sorted, no spaces, no trailing newline."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def evidence_member(sha256: str) -> str:
    """Where an evidence file lies in the bag (relative to ``bag/``)."""
    return f"{EVIDENCE_DIR}/{sha256[:2]}/{sha256}"


def package_file_name(province_name: str, period: str, version: int) -> str:
    """``QuangTri_2024-H1_v2.zip``: the province without marks or spaces, period, version."""
    words = re.findall(r"[a-z0-9]+", fold(unicodedata.normalize("NFC", province_name)))
    stem = "".join(word.capitalize() for word in words) or "CTMT"
    return f"{stem}_{period}_v{version}.zip"


def part_name(path: Path, number: int) -> Path:
    """``NAME.zip.001`` for part 1 of ``NAME.zip``."""
    return path.with_name(f"{path.name}.{number:03d}")


# --- result ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PackageResult:
    """A package made.

    Attributes:
        path: the zip, or its first part when split.
        parts: every file written (the zip alone, or the parts in order).
        info: the package as registered (version, supersedes, fingerprint…).
        counts: records per kind, ``records`` and ``evidence_files``.
    """

    path: Path
    parts: tuple[Path, ...]
    info: approval.PackageInfo
    counts: dict[str, int]

    @property
    def package_id(self) -> str:
        return self.info.package_id

    @property
    def version(self) -> int:
        return self.info.version


# --- gathering the period's data -------------------------------------------------------------
#: Column values that are JSON as they are.
_PLAIN = frozenset({type(None), str, int, bool})


def _json_value(value: Any) -> Any:
    """``audit.jsonable(value)``, quicker for the plain values of a record's columns."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is date or kind is datetime:
        return value.isoformat()
    from ctmt_desktop.audit import jsonable

    return jsonable(value)


def _period_records(session: Session, period: Period) -> Iterator[dict[str, Any]]:
    """Every record starting in ``period`` as JSON-safe data with its kind, kind by kind, by id:
    what ``audit.jsonable(record_to_dict(record))`` gives, plus ``kind``.

    Read through the read path (:func:`~ctmt_desktop.services.listing.iter_matching`:
    selected columns on the session's connection, not ORM objects), so nothing stays in the
    session's identity map.
    """
    query = RecordQuery(period=period, sort="id", limit=None)
    for kind in KIND_CODES:
        for data in iter_matching(session, kind, query, convert=_json_value):
            data["kind"] = kind
            yield data


def records_document(
    session: Session,
    period: Period,
    *,
    package_id: str,
    version: int,
    supersedes: str | None,
    agency: Agency,
    catalog_version: str,
    created_at: datetime,
) -> dict[str, Any]:
    """The content of ``records.json`` for ``period`` (see ``resources/schema``)."""
    from sqlalchemy import select

    from ctmt_desktop.db.models import EvidenceFile

    records = list(_period_records(session, period))
    hashes = sorted({ref["sha256"] for record in records for ref in record.get("evidence") or []})
    files = {}
    for first in range(0, len(hashes), _LOAD_CHUNK):
        chunk = hashes[first : first + _LOAD_CHUNK]
        rows = session.scalars(select(EvidenceFile).where(EvidenceFile.sha256.in_(chunk)))
        files.update({row.sha256: row for row in rows})
    evidence = []
    for sha256 in hashes:
        row = files.get(sha256)
        evidence.append(
            {
                "sha256": sha256,
                "size": row.size if row is not None else 0,
                "media_type": row.media_type if row is not None else "application/octet-stream",
                "path": evidence_member(sha256)[len("data/") :],
            }
        )
    counts = {kind: 0 for kind in KIND_CODES}
    for record in records:
        counts[record["kind"]] += 1
    counts["records"] = len(records)
    counts["evidence_files"] = len(evidence)
    sender = {
        "name": agency.name,
        "province_code": agency.province_code,
        "province_name": agency.province_name,
        "parent_body": agency.parent_body,
        "receiving_ministry": agency.receiving_ministry,
    }
    return {
        "schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "package_id": package_id,
        "version": version,
        "supersedes": supersedes,
        "period": {
            "code": period.code,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "sender": sender,
        "catalog_version": catalog_version,
        "created_at": created_at.isoformat(timespec="seconds"),
        "counts": counts,
        "records": records,
        "evidence": evidence,
    }


def schema_problems(document: Any, limit: int = 20) -> list[str]:
    """Why ``document`` fails the records schema (empty when it is valid), at most ``limit``
    messages, each with the JSON path of the failing value.

    A year of records takes jsonschema seconds, so a compiled check of the same schema
    (:func:`fast_records_check`) answers first; only a document it finds wrong (or one it
    cannot judge) goes through jsonschema, which is authoritative and gives the messages,
    and then only over the records and evidence entries the compiled check finds wrong (at
    most ``limit`` of each, with their own indexes in the messages): a wrong value in a
    large document costs no more than in a small one.
    """
    check = fast_records_check()
    if check is not None and check(document):
        return []
    sample, indexes = _failing_sample(document, limit)
    problems = []
    for error in records_validator().iter_errors(sample):
        path = list(error.absolute_path)
        if len(path) >= 2 and path[0] in indexes and isinstance(path[1], int):
            path[1] = indexes[str(path[0])][path[1]]
        where = "/".join(str(part) for part in path) or "(top)"
        problems.append(f"{where}: {error.message[:300]}")
        if len(problems) >= limit:
            break
    return problems


@functools.lru_cache(maxsize=1)
def _item_checks() -> dict[str, Check] | None:
    """Compiled checks of one record and one evidence entry (None when they cannot be)."""
    schema = records_schema()
    try:
        compiler = _Compiler(schema)
        return {
            "records": compiler.ref("#/$defs/record"),
            "evidence": compiler.ref("#/$defs/evidence_file"),
        }
    except (_Unsupported, KeyError, re.error):
        return None


def _failing_sample(document: Any, limit: int) -> tuple[Any, dict[str, list[int]]]:
    """``document`` with its ``records`` and ``evidence`` lists cut down to the entries that
    fail (at most ``limit`` of each), and for each list the original index of every entry
    kept. The whole document when it cannot be cut down."""
    checks = _item_checks()
    schema = records_schema()
    if checks is None or not isinstance(document, dict):
        return document, {}
    for key in checks:
        listing = schema.get("properties", {}).get(key, {})
        if set(listing) - {"type", "items", "description", "title"}:
            return document, {}  # the list has constraints of its own: keep it whole
    sample = dict(document)
    indexes: dict[str, list[int]] = {}
    for key, item_check in checks.items():
        items = document.get(key)
        if not isinstance(items, list):
            continue
        kept = []
        for index, item in enumerate(items):
            if not item_check(item):
                kept.append(index)
                if len(kept) >= limit:
                    break
        indexes[key] = kept
        sample[key] = [items[index] for index in kept]
    return sample, indexes


# --- a compiled check of the records schema ----------------------------------------------------
Check = Callable[[Any], bool]
#: Keywords that only annotate (they never make a document invalid in draft 2020-12).
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "title", "description", "default", "format", "examples"}
)


class _Unsupported(Exception):
    """The schema uses a keyword the compiled check does not know: use jsonschema alone."""


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def _same(a: Any, b: Any) -> bool:
    """JSON equality for the scalars our schema names (1 is not true, 1 equals 1.0)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _all_of(checks: list[Check]) -> Check:
    """One predicate true when every one of ``checks`` is (without a generator per call)."""
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)

    def every(v: Any) -> bool:
        for check in checks:
            if not check(v):
                return False
        return True

    return every


def _any_of(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) or second(v)
    return lambda v: any(check(v) for check in checks)


def _properties_check(props: dict[str, Check]) -> Check:
    listed = tuple(props.items())

    def check(v: Any) -> bool:
        if isinstance(v, dict):
            if len(listed) < len(v):  # ``{"kind": {"const": …}}`` of a whole record
                for key, sub in listed:
                    if key in v and not sub(v[key]):
                        return False
                return True
            for key, item in v.items():
                sub = props.get(key)
                if sub is not None and not sub(item):
                    return False
        return True

    return check


def _object_check(required: tuple[str, ...], props: dict[str, Check], extra: Any) -> Check:
    """``type: object`` with its ``required``, ``properties`` and ``additionalProperties``
    (``extra``: a check, None when absent, False when no other key is allowed) in one
    pass over the object."""

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return False
        for name in required:
            if name not in v:
                return False
        for key, item in v.items():
            sub = props.get(key)
            if sub is None:
                if extra is False or (extra is not None and not extra(item)):
                    return False
            elif not sub(item):
                return False
        return True

    return check


def _number_check(integer: bool, low: Any, high: Any) -> Check:
    """``type: integer`` (or ``number``) with its ``minimum`` and ``maximum`` in one check."""

    def check(v: Any) -> bool:
        if isinstance(v, bool) or not isinstance(v, int | float):
            return False
        if integer and isinstance(v, float) and not v.is_integer():
            return False
        return (low is None or v >= low) and (high is None or v <= high)

    return check


def _string_check(pattern: re.Pattern[str] | None, least: int, most: int | None) -> Check:
    """``type: string`` with its ``pattern``, ``minLength`` and ``maxLength`` in one check."""
    search = pattern.search if pattern is not None else None

    def check(v: Any) -> bool:
        if not isinstance(v, str):
            return False
        if least and len(v) < least:
            return False
        if most is not None and len(v) > most:
            return False
        return search is None or search(v) is not None

    return check


def _additional_check(known: frozenset[str], extra: Check) -> Check:
    def check(v: Any) -> bool:
        if isinstance(v, dict):
            for key, item in v.items():
                if key not in known and not extra(item):
                    return False
        return True

    return check


def _items_check(item_check: Check) -> Check:
    def check(v: Any) -> bool:
        if isinstance(v, list):
            for item in v:
                if not item_check(item):
                    return False
        return True

    return check


class _Compiler:
    """Compiles the subset of JSON Schema 2020-12 the records schema uses into a predicate.

    The predicates are plain closures combined without generators, the keywords of one
    type checked by one closure, and references bound once compiled: a year of 10,000
    records is checked in about 0.13 s (0.25 s with a closure per keyword; jsonschema takes
    seconds); ``schema_problems`` relies on it for valid documents only, jsonschema judging
    every other.
    """

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check | None] = {}

    def ref(self, pointer: str) -> Check:
        if not pointer.startswith("#/$defs/") or pointer.count("/") != 2:
            raise _Unsupported(pointer)
        if pointer not in self.refs:
            self.refs[pointer] = None  # being compiled
            target = self.root["$defs"][pointer.rsplit("/", 1)[1]]
            compiled = self.compile(target)
            self.refs[pointer] = compiled
            return compiled
        found = self.refs[pointer]
        if found is not None:
            return found
        refs = self.refs
        return lambda v: refs[pointer](v)  # within its own definition: found when called

    def compile(self, schema: Any) -> Check:  # noqa: C901 - one branch per keyword
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise _Unsupported(repr(schema))
        checks: list[Check] = []
        fused = self._fused(schema, checks)
        for key, value in schema.items():
            if key in _ANNOTATIONS or key in ("then", "else") or key in fused:
                continue
            if key == "type":
                names = [value] if isinstance(value, str) else list(value)
                checks.append(_any_of([_TYPES[name] for name in names]))
            elif key == "const" and isinstance(value, str):
                checks.append(lambda v, c=value: type(v) is str and v == c)  # as _same
            elif key == "const":
                checks.append(lambda v, c=value: _same(v, c))
            elif key == "enum" and all(isinstance(c, str) for c in value):
                names = frozenset(value)
                checks.append(lambda v, e=names: type(v) is str and v in e)  # as _same
            elif key == "enum":
                checks.append(lambda v, e=tuple(value): any(_same(v, c) for c in e))
            elif key == "pattern":
                rx = re.compile(value)
                checks.append(lambda v, rx=rx: not isinstance(v, str) or bool(rx.search(v)))
            elif key in ("maxLength", "minLength"):
                bound = int(value)
                if key == "maxLength":
                    checks.append(lambda v, n=bound: not isinstance(v, str) or len(v) <= n)
                else:
                    checks.append(lambda v, n=bound: not isinstance(v, str) or len(v) >= n)
            elif key in ("minimum", "maximum"):
                if key == "minimum":
                    checks.append(lambda v, n=value: not _is_number(v) or v >= n)
                else:
                    checks.append(lambda v, n=value: not _is_number(v) or v <= n)
            elif key == "minItems":
                checks.append(lambda v, n=int(value): not isinstance(v, list) or len(v) >= n)
            elif key == "required":
                names = tuple(value)
                checks.append(
                    lambda v, names=names: not isinstance(v, dict) or all(n in v for n in names)
                )
            elif key == "properties":
                checks.append(
                    _properties_check({name: self.compile(sub) for name, sub in value.items()})
                )
            elif key == "additionalProperties":
                known = frozenset(schema.get("properties", {}))
                if schema.get("patternProperties"):
                    raise _Unsupported("patternProperties")
                checks.append(_additional_check(known, self.compile(value)))
            elif key == "propertyNames":
                names_check = self.compile(value)
                checks.append(
                    lambda v, c=names_check: not isinstance(v, dict) or all(c(k) for k in v)
                )
            elif key == "items":
                checks.append(_items_check(self.compile(value)))
            elif key == "anyOf":
                checks.append(_any_of([self.compile(sub) for sub in value]))
            elif key == "allOf":
                checks.append(self._dispatch(value) or _all_of([self.compile(s) for s in value]))
            elif key == "if":
                condition = self.compile(value)
                then = self.compile(schema.get("then", True))
                otherwise = self.compile(schema.get("else", True))
                checks.append(lambda v, i=condition, t=then, e=otherwise: t(v) if i(v) else e(v))
            elif key == "$ref":
                checks.append(self.ref(value))
            else:
                raise _Unsupported(key)
        return _all_of(checks)

    def _dispatch(self, parts: list[Any]) -> Check | None:
        """An ``allOf`` of ``{"if": {"properties": {KEY: {"const": TEXT}}}, "then": …}``
        (the record of each kind) as one lookup of the object's KEY: the ``then`` of the
        matching texts must hold; all of them when the value is no object or lacks KEY (an
        ``if`` of properties alone then holds). None when ``parts`` are not all such."""
        branches: dict[str, list[Check]] = {}
        keys = set()
        for part in parts:
            if not isinstance(part, dict) or set(part) != {"if", "then"}:
                return None
            condition = part["if"]
            if not isinstance(condition, dict) or list(condition) != ["properties"]:
                return None
            properties = condition["properties"]
            if not isinstance(properties, dict) or len(properties) != 1:
                return None
            ((key, sub),) = properties.items()
            if not isinstance(sub, dict) or list(sub) != ["const"]:
                return None
            text = sub["const"]
            if not isinstance(text, str):
                return None
            keys.add(key)
            branches.setdefault(text, []).append(self.compile(part["then"]))
        if len(keys) != 1:
            return None
        (key,) = keys
        every = _all_of([check for checks in branches.values() for check in checks])
        chosen = {text: _all_of(checks) for text, checks in branches.items()}

        def check(v: Any) -> bool:
            if not isinstance(v, dict) or key not in v:
                return every(v)
            value = v[key]
            branch = chosen.get(value) if type(value) is str else None  # as _same
            return branch is None or branch(v)

        return check

    def _fused(self, schema: dict[str, Any], checks: list[Check]) -> frozenset[str]:
        """Append one check for the keywords of a ``type: object``, ``string``, ``integer``
        or ``number`` schema that are checked together (one call per value rather than one
        per keyword); return those keywords."""
        kind = schema.get("type")
        if kind == "object" and "patternProperties" not in schema:
            extra = schema.get("additionalProperties")
            props = {name: self.compile(sub) for name, sub in schema.get("properties", {}).items()}
            checks.append(
                _object_check(
                    tuple(schema.get("required", ())),
                    props,
                    None if extra is None else (False if extra is False else self.compile(extra)),
                )
            )
            return frozenset({"type", "required", "properties", "additionalProperties"})
        if kind in ("integer", "number"):
            checks.append(
                _number_check(kind == "integer", schema.get("minimum"), schema.get("maximum"))
            )
            return frozenset({"type", "minimum", "maximum"})
        if kind == "string":
            pattern = schema.get("pattern")
            most = schema.get("maxLength")
            checks.append(
                _string_check(
                    None if pattern is None else re.compile(pattern),
                    int(schema.get("minLength", 0)),
                    None if most is None else int(most),
                )
            )
            return frozenset({"type", "pattern", "minLength", "maxLength"})
        return frozenset()


@functools.lru_cache(maxsize=1)
def fast_records_check() -> Check | None:
    """A compiled predicate "valid against the records schema", or None when the schema
    uses a keyword it does not know (then jsonschema alone decides)."""
    schema = records_schema()
    try:
        return _Compiler(schema).compile(schema)
    except (_Unsupported, KeyError, re.error):
        return None


#: The fields of ``bag-info.txt``, each written once (the verifier refuses any other, and any
#: field twice).
BAG_INFO_FIELDS: tuple[str, ...] = (
    "Bag-Group-Identifier",
    "Bag-Software-Agent",
    "Bagging-Date",
    "CTMT-Answers-Receipt",
    "CTMT-Catalog-Version",
    "CTMT-Counts",
    "CTMT-Created-At",
    "CTMT-Evidence-Count",
    "CTMT-Package-Id",
    "CTMT-Package-Version",
    "CTMT-Parent-Body",
    "CTMT-Period",
    "CTMT-Province-Code",
    "CTMT-Record-Count",
    "CTMT-Schema",
    "CTMT-Schema-Version",
    "CTMT-Sender",
    "CTMT-Signer",
    "CTMT-Signer-SHA256",
    "CTMT-Supersedes",
    "CTMT-Supersedes-Version",
    "External-Identifier",
    "Payload-Oxum",
    "Source-Organization",
)


def _bag_info(
    document: Mapping[str, Any],
    *,
    signer_fingerprint: str,
    signer_subject: str,
    created_at: datetime,
    answers_receipt: str | None = None,
) -> dict[str, str]:
    counts = document["counts"]
    sender = document["sender"]
    supersedes = document["supersedes"]
    return {
        "Source-Organization": sender["name"],
        "External-Identifier": document["package_id"],
        "Bag-Group-Identifier": f"{sender['province_code']}-{document['period']['code']}",
        "Bagging-Date": created_at.date().isoformat(),
        "Bag-Software-Agent": f"CTMT Desktop {__version__}",
        "CTMT-Sender": sender["name"],
        "CTMT-Parent-Body": sender["parent_body"],
        "CTMT-Province-Code": sender["province_code"],
        "CTMT-Period": document["period"]["code"],
        "CTMT-Package-Id": document["package_id"],
        "CTMT-Package-Version": str(document["version"]),
        "CTMT-Supersedes": supersedes or "none",
        "CTMT-Supersedes-Version": str(document["version"] - 1) if supersedes else "none",
        "CTMT-Schema": SCHEMA_ID,
        "CTMT-Schema-Version": SCHEMA_VERSION,
        "CTMT-Catalog-Version": document["catalog_version"],
        "CTMT-Record-Count": str(counts["records"]),
        "CTMT-Evidence-Count": str(counts["evidence_files"]),
        "CTMT-Counts": " ".join(f"{kind}={counts[kind]}" for kind in KIND_CODES),
        "CTMT-Created-At": document["created_at"],
        "CTMT-Signer-SHA256": signer_fingerprint,
        "CTMT-Signer": signer_subject,
        # The SHA-256 of the ministry's receipt this version answers (or none).
        "CTMT-Answers-Receipt": answers_receipt or "none",
    }


# --- hashing ---------------------------------------------------------------------------------
def sha256_file(path: Path | str) -> str:
    """The SHA-256 of a file (hex), read in chunks of :data:`~ctmt_desktop.evidence.CHUNK`."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def hash_files(paths: Iterable[Path]) -> dict[Path, str]:
    """The SHA-256 (hex) of each file, by path (a path given twice is hashed once). Raises
    the first OSError met (a file missing or unreadable).

    One file after the other: hashing in threads (hashlib releases the GIL) gained nothing
    on the project's 2-core machine, whose two processors do not run in parallel (two
    processes of pure Python take twice the time of one); OpenSSL's SHA-256 already hashes
    about four times as fast as ``sha256sum`` there (``bench/bench_package.py``).
    """
    return {path: sha256_file(path) for path in dict.fromkeys(paths)}


# --- the bag ---------------------------------------------------------------------------------
#: The BagIt version declared, as the ``bagit`` library (1.9) writes it.
BAGIT_TXT = b"BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n"
#: A sample of a file's first bytes deflated to tell whether deflating it pays.
_SAMPLE = 16 * 1024


@dataclass(frozen=True)
class _Member:
    """A payload file: its bytes (small files made in memory) or a file, and its SHA-256."""

    name: str  # relative to bag/, "data/…"
    sha256: str
    size: int
    data: bytes | None = None
    path: Path | None = None


def _member_from_bytes(name: str, data: bytes) -> _Member:
    return _Member(name, hashlib.sha256(data).hexdigest(), len(data), data=data)


def _manifest_order(name: str) -> tuple[int, str]:
    """Files of ``data/`` first, then the evidence folders (as ``os.walk`` lists them)."""
    return name.count("/"), name


def _tag_line(value: str) -> str:
    return re.sub(r"\r\n|\r|\n", "", value)


def _bag_tags(members: Iterable[_Member], info: Mapping[str, str]) -> dict[str, bytes]:
    """The tag files of a bag of ``members``: ``bagit.txt``, ``bag-info.txt`` (with
    ``Payload-Oxum``), ``manifest-sha256.txt`` and ``tagmanifest-sha256.txt``, as the
    ``bagit`` library writes them."""
    listed = sorted(members, key=lambda member: _manifest_order(member.name))
    fields = dict(info)
    fields["Payload-Oxum"] = f"{sum(m.size for m in listed)}.{len(listed)}"
    bag_info = "".join(f"{key}: {_tag_line(fields[key])}\n" for key in sorted(fields))
    manifest = "".join(
        f"{m.sha256}  {m.name.replace(chr(13), '%0D').replace(chr(10), '%0A')}\n" for m in listed
    )
    tags = {
        "bagit.txt": BAGIT_TXT,
        "bag-info.txt": bag_info.encode("utf-8"),
        MANIFEST: manifest.encode("utf-8"),
    }
    tagmanifest = "".join(
        f"{hashlib.sha256(data).hexdigest()} {name}\n" for name, data in sorted(tags.items())
    )
    tags[TAGMANIFEST] = tagmanifest.encode("utf-8")
    return tags


def _evidence_members(store: EvidenceStore, items: Iterable[Mapping[str, Any]]) -> list[_Member]:
    """The evidence files of the records, read from the store where they lie (no copy), each
    hashed once: a file whose content no longer has the SHA-256 it is named by (damaged in
    the store) or that is missing stops the package."""
    sources: list[tuple[str, str, Path]] = []
    for item in items:
        sha256 = item["sha256"]
        source = store.path_of(sha256)
        if not source.is_file():
            raise PackageError(
                f"the evidence file {sha256} is missing from {store.root}; restore the "
                "evidence folder from a backup before packaging"
            )
        sources.append((f"data/{item['path']}", sha256, source))
    try:
        digests = hash_files(source for _, _, source in sources)
    except OSError as exc:
        raise PackageError(
            f"an evidence file in {store.root} cannot be read ({exc.strerror or exc}); restore "
            "the evidence folder from a backup before packaging"
        ) from exc
    members = []
    for name, sha256, source in sources:
        if digests[source] != sha256:
            raise PackageError(
                f"the evidence file {source} is damaged (its content no longer has the "
                "SHA-256 it is stored under); restore it from a backup before packaging"
            )
        members.append(_Member(name, sha256, source.stat().st_size, path=source))
    return members


def _sign_detached(signer: Signer, data: bytes, moment: datetime) -> bytes:
    """A detached CMS (CAdES-BES) signature of ``data`` in DER, its signing time ``moment``
    (the package's creation time, so ``bag-info.txt`` and the signature agree)."""
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    attributes = PdfCMSSignedAttributes(signing_time=moment)
    try:
        content_info = asyncio.run(
            signer.async_sign_general_data(
                data, "sha256", detached=True, use_cades=True, signed_attr_settings=attributes
            )
        )
    except SigningError as exc:
        raise PackageError(f"signing failed: {exc}") from exc
    return bytes(content_info.dump())


# --- the zip ---------------------------------------------------------------------------------
def _deflates(sample: bytes) -> bool:
    """Whether deflating pays: the sample shrinks by a tenth at least. Photos, scans, PDF
    streams and workbooks (zips already) do not; JSON and text do."""
    if len(sample) < 64:
        return True
    return len(zlib.compress(sample, 1)) < 0.9 * len(sample)


def _zip_info(name: str, moment: datetime, deflate: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
    info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    info.create_system = 3  # Unix, so that the attributes above are read
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    return info


def _write_zip(
    target: Path,
    tags: Mapping[str, bytes],
    members: Iterable[_Member],
    signature: bytes,
    moment: datetime,
    comment: str,
) -> None:
    """The package: tag files first, then the payload by name, then the signature. Each
    file is deflated only when a sample of it shrinks (evidence is mostly compressed)."""
    stamp = max(moment, datetime(1980, 1, 1, tzinfo=moment.tzinfo))
    with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
        for name in ("bagit.txt", "bag-info.txt", MANIFEST, TAGMANIFEST):
            archive.writestr(_zip_info(f"{BAG_DIR}/{name}", stamp, True), tags[name])
        for member in sorted(members, key=lambda m: m.name):
            name = f"{BAG_DIR}/{member.name}"
            if member.data is not None:
                info = _zip_info(name, stamp, _deflates(member.data[:_SAMPLE]))
                archive.writestr(info, member.data)
                continue
            assert member.path is not None
            with member.path.open("rb") as src:
                first = src.read(CHUNK)
                info = _zip_info(name, stamp, _deflates(first[:_SAMPLE]))
                info.file_size = member.size
                with archive.open(info, "w", force_zip64=True) as out:
                    out.write(first)
                    while chunk := src.read(CHUNK):
                        out.write(chunk)
            if info.file_size != member.size:
                raise PackageError(f"{member.path} changed while the package was written")
        archive.writestr(_zip_info(SIGNATURE_NAME, stamp, True), signature)
        archive.comment = comment.encode("ascii")


def _split(
    source: Path, target: Path, max_part_size: int, package_id: str
) -> list[tuple[Path, Path]]:
    """Cut ``source`` into parts of at most ``max_part_size`` bytes each, header included
    (:mod:`ctmt_desktop.package.parts`), written to temporary names; return (temporary,
    final) pairs in order."""
    size = source.stat().st_size
    whole = sha256_file(source)
    room = max_part_size - parts.HEADER_SIZE
    count = max(1, -(-size // room))
    if count > MAX_PARTS:
        raise PackageError(
            f"{size} bytes in parts of {max_part_size} would need {count} parts; at most "
            f"{MAX_PARTS} are allowed: choose a larger part size"
        )
    pairs = []
    with source.open("rb") as src:
        for number in range(1, count + 1):
            final = part_name(target, number)
            temporary = final.with_name(f".{final.name}.partial-{uuid.uuid4().hex[:8]}")
            pairs.append((temporary, final))
            left = room
            digest = hashlib.sha256()
            with temporary.open("wb") as out:
                out.write(bytes(parts.HEADER_SIZE))
                while left and (chunk := src.read(min(CHUNK, left))):
                    out.write(chunk)
                    digest.update(chunk)
                    left -= len(chunk)
                header = parts.PartHeader(
                    package_id, number, count, size, whole, digest.hexdigest()
                )
                out.seek(0)
                out.write(header.pack())
                out.flush()
                os.fsync(out.fileno())
    return pairs


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


class _Phases:
    """Adds the seconds since the previous phase to ``timings[name]`` (when asked)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


# --- building --------------------------------------------------------------------------------
@collector_paused()  # objects by the hundred thousand, freed by their reference counts
def build_package(
    session: Session,
    actor: Actor,
    period: Period | str,
    signer: Signer,
    out: Path | str,
    *,
    db_path: Path | str,
    catalog: Catalog | None = None,
    max_part_size: int | None = None,
    now: datetime | None = None,
    timings: dict[str, float] | None = None,
) -> PackageResult:
    """Make, sign and register the submission package of an approved ``period``.

    ``signer`` is a pyHanko signer (:func:`~ctmt_desktop.signing.identity.pkcs12_signer`,
    :func:`~ctmt_desktop.signing.identity.pkcs11_signer`); ``db_path`` locates the
    evidence folder of the database. The package is written to ``out`` (or its numbered
    parts when ``max_part_size`` is given), registered as the period's next version and the
    period locked, all in ``session``'s unit of work (commit it to keep the register).
    ``timings``, when given, receives the seconds each phase took (``bench_package.py``).

    Each file is read as few times as it can be: the evidence files are hashed once where
    they lie in the store (each hash must equal the file's name) and read once more into the
    zip; the records, the audit trail and the tag files are made in
    memory; only the two reports go through a temporary folder beside ``out``.

    Raises:
        PermissionDeniedError: the actor's role cannot sign and package.
        ValidationError: the period is not approved.
        ConfigurationError: the database has no agency profile.
        PackageError: the target exists, an evidence file is missing or damaged, the
            signer's certificate is not valid now, the records fail the schema, or the
            part size is too small.
        StorageError: a file cannot be written.
    """
    from ctmt_desktop import audit
    from ctmt_desktop.accounts import Permission, require
    from ctmt_desktop.reports.figures import build_period_report, make_letterhead
    from ctmt_desktop.reports.pdf import render_period_pdf
    from ctmt_desktop.services import approval
    from ctmt_desktop.spreadsheets.export import export_period_forms

    phase = _Phases(timings)
    require(actor, Permission.SIGN)
    parsed = parse_period(period) if isinstance(period, str) else period
    approval.require_approved(session, parsed)
    target = Path(out)
    if max_part_size is not None and max_part_size < MIN_PART_SIZE:
        raise PackageError(
            f"a part must be allowed at least {MIN_PART_SIZE // 1024} KiB, not {max_part_size} "
            "bytes"
        )
    existing = [target] if max_part_size is None else [part_name(target, 1)]
    for path in existing:
        if path.exists():
            raise PackageError(f"{path} exists already; choose another name or folder")
    catalog = catalog or load_catalog()
    moment = (now or datetime.now(UTC)).astimezone()
    cert = signer.signing_cert
    if cert is None:
        raise PackageError("the signer has no certificate")
    fingerprint = fingerprint_sha256(cert)
    subject = subject_text(cert)
    not_before, not_after = cert.not_valid_before, cert.not_valid_after
    if not not_before <= moment <= not_after:
        raise PackageError(
            f"the signer's certificate ({subject}) is valid from {not_before:%d/%m/%Y} to "
            f"{not_after:%d/%m/%Y}, not now: renew it or choose another identity"
        )
    version, supersedes = approval.next_version(session, parsed)
    package_id = str(uuid.uuid4())
    letterhead = make_letterhead(session, catalog, issued_on=moment.date())
    agency = letterhead.agency
    document = records_document(
        session,
        parsed,
        package_id=package_id,
        version=version,
        supersedes=supersedes,
        agency=agency,
        catalog_version=catalog.version,
        created_at=moment,
    )
    phase("records (read)")
    problems = schema_problems(document)
    if problems:
        raise PackageError(
            "the records do not match the package schema: " + "; ".join(problems[:5])
        )
    phase("records (schema)")
    store = EvidenceStore(evidence_dir(Path(db_path)))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".ctmt-package-", dir=target.parent))
    except OSError as exc:
        raise StorageError(f"{target.parent}: cannot write here ({exc.strerror or exc})") from exc
    written: list[Path] = []
    try:
        members = [_member_from_bytes(RECORDS_JSON, canonical_json(document))]
        entries = [audit.entry_to_dict(e) for e in audit.entries_for_period(session, parsed)]
        members.append(_member_from_bytes(AUDIT_JSON, canonical_json(entries)))
        phase("records.json, audit.json")
        report = build_period_report(session, catalog, scope=parsed.code, issued_on=moment.date())
        phase("period report (figures)")
        render_period_pdf(report, work / "report.pdf")
        phase("report.pdf")
        export_period_forms(report, work / "report.xlsx")
        phase("report.xlsx")
        reports = [(REPORT_PDF, work / "report.pdf"), (REPORT_XLSX, work / "report.xlsx")]
        digests = hash_files(path for _, path in reports)
        for name, path in reports:
            members.append(_Member(name, digests[path], path.stat().st_size, path=path))
        members += _evidence_members(store, document["evidence"])
        from ctmt_desktop.services import receipts

        answers = receipts.receipt_to_answer(session, parsed.code)
        info = _bag_info(
            document,
            signer_fingerprint=fingerprint,
            signer_subject=subject,
            created_at=moment,
            answers_receipt=answers,
        )
        tags = _bag_tags(members, info)
        phase("hashing (manifests)")
        signature = _sign_detached(signer, tags[TAGMANIFEST], moment)
        phase("signature")
        temporary = target.with_name(f".{target.name}.partial-{uuid.uuid4().hex[:8]}")
        written.append(temporary)
        comment = f"CTMT package {package_id} v{version}"
        _write_zip(temporary, tags, members, signature, moment, comment)
        _fsync(temporary)
        size = temporary.stat().st_size
        if max_part_size is None:
            pairs = [(temporary, target)]
        else:
            pairs = _split(temporary, target, max_part_size, package_id)
            written.extend(pair[0] for pair in pairs)
        for path in (pair[1] for pair in pairs):
            if path.exists():
                raise PackageError(f"{path} exists already; choose another name or folder")
        phase("zip (write, fsync)")
        registered = approval.record_package(
            session,
            actor,
            period=parsed,
            version=version,
            supersedes=supersedes,
            package_id=package_id,
            file_path=str(pairs[0][1].resolve()),
            part_count=len(pairs),
            size=size,
            record_count=document["counts"]["records"],
            signer_fingerprint=fingerprint,
            signer_subject=subject,
            now=moment.replace(tzinfo=None),
        )
        tagmanifest_sha256 = hashlib.sha256(tags[TAGMANIFEST]).hexdigest()
        receipts.note_package(session, package_id, tagmanifest_sha256, answers)
        for temporary_path, final in pairs:
            os.replace(temporary_path, final)
            written.append(final)
        if max_part_size is not None:
            temporary.unlink(missing_ok=True)
        phase("register")
        return PackageResult(
            path=pairs[0][1],
            parts=tuple(pair[1] for pair in pairs),
            info=registered,
            counts=dict(document["counts"]),
        )
    except BaseException as exc:
        for path in written:
            path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise StorageError(
                f"{target}: cannot write the package ({exc.strerror or exc}); nothing was kept"
            ) from exc
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
