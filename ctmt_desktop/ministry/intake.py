"""Receive provinces' packages into the national store.

:func:`receive` takes files and folders (a USB drive, an e-mail's attachments): every
``*.zip`` and every set of numbered parts ``NAME.zip.001…`` (in any order) is one package.
Each package goes through, in order:

1. every check of :func:`ctmt_desktop.package.verify.verify_package` (safe extraction, the
   bag, checksums, the CAdES signature, a signer that chains to a trusted root or is a
   registered certificate, its validity, the schema, the records as the core checks them,
   the package's facts agreeing);
2. ``province``: the province the package claims is one of the catalog's;
3. ``signer_registered``: the signer's certificate is registered for *that* province and was
   valid at the signing time (a valid signature by Quảng Trị's key on a package claiming Huế
   is refused);
4. ``version``: the current package again is a *duplicate* (nothing changes); a version lower
   than or equal to the one stored for the province and period — an old package sent again,
   or one never seen — is a *replay* (refused); a higher one *supersedes* the current version
   (kept, marked superseded).

Then the submission and its records are stored in one transaction, under a lock on the
province's period (:class:`~ctmt_desktop.ministry.models.Slot`): after any failure, or a
process killed half way, nothing of the package is in the store, and two staff receiving at
once never store a package twice or leave two current versions. Every refusal is stored with
its failed checks (once per file), so it can be answered.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ctmt_desktop.catalog import Catalog, load_catalog
from ctmt_desktop.kinds import kind_spec
from ctmt_desktop.ministry.audit import log
from ctmt_desktop.ministry.models import (
    CURRENT,
    SUPERSEDED,
    NationalRecord,
    Refusal,
    Slot,
    Submission,
)
from ctmt_desktop.ministry.registry import registered_certificates, signer_for
from ctmt_desktop.ministry.store import Store
from ctmt_desktop.package.build import canonical_json
from ctmt_desktop.package.verify import verify_package
from ctmt_desktop.periods import PeriodError, parse_period
from ctmt_desktop.services.records import search_columns

ACCEPTED, SUPERSEDING, DUPLICATE, REFUSED = "accepted", "superseded", "duplicate", "refused"
CHECK_PROVINCE = "province"
CHECK_SIGNER = "signer_registered"
CHECK_VERSION = "version"
_PART = re.compile(r"^(?P<stem>.+\.zip)\.(?P<number>\d{3})$", re.IGNORECASE)
#: Caps on what a folder scan looks at (a USB drive may hold anything).
MAX_SCAN_FILES = 20_000
MAX_SCAN_DEPTH = 6
_INSERT_CHUNK = 2000


@dataclass
class IntakeResult:
    """What became of one package.

    Attributes:
        verdict: ``accepted``, ``superseded`` (accepted, and it superseded ``replaced``),
            ``duplicate`` (already stored: nothing changed) or ``refused``.
        reasons: ``(check, reason)`` of every failed check when refused.
    """

    source: str
    parts: list[str]
    verdict: str
    package_id: str | None = None
    province_code: str | None = None
    province: str | None = None
    period: str | None = None
    version: int | None = None
    replaced: int | None = None
    record_count: int = 0
    submission_id: int | None = None
    reasons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.verdict != REFUSED

    def line(self, catalog: Catalog | None = None) -> str:
        """One line for the command line: the verdict, the file and what it is."""
        name = Path(self.source).name
        what = []
        if self.province_code:
            unit = catalog.admin.get(self.province_code) if catalog else None
            what.append(f"{self.province_code} {unit.name}" if unit else self.province_code)
        if self.period:
            what.append(self.period)
        if self.version is not None:
            what.append(f"v{self.version}")
        head = f"{self.verdict} {self.replaced}" if self.verdict == SUPERSEDING else self.verdict
        text = f"{head}: {name}" + (f" ({' '.join(what)})" if what else "")
        if self.verdict in (ACCEPTED, SUPERSEDING):
            text += f", {self.record_count} records"
        if self.verdict == DUPLICATE:
            text += ", received already: nothing changed"
        if self.reasons:
            text += "; " + "; ".join(f"{check}: {reason}" for check, reason in self.reasons)
        return text


# --- finding packages --------------------------------------------------------------------------
def find_packages(sources: Iterable[Path | str]) -> list[list[Path]]:
    """The packages among files and folders: ``[[NAME.zip], [NAME.zip.001, .002…]…]``.

    Folders are searched (at most :data:`MAX_SCAN_DEPTH` deep, :data:`MAX_SCAN_FILES` files,
    links not followed); a file named on the command line is taken whatever its name.
    Hidden files and the receipts (``*.receipt.json``) are passed over.
    """
    singles: list[Path] = []
    parts: dict[Path, list[Path]] = {}
    seen = 0

    def take(path: Path, named: bool) -> None:
        match = _PART.match(path.name)
        if match is not None:
            parts.setdefault(path.with_name(match.group("stem")), []).append(path)
        elif named or path.name.lower().endswith(".zip"):
            singles.append(path)

    def scan(folder: Path, depth: int) -> None:
        nonlocal seen
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            seen += 1
            if seen > MAX_SCAN_FILES:
                return
            if entry.is_dir(follow_symlinks=False):
                if depth < MAX_SCAN_DEPTH:
                    scan(Path(entry.path), depth + 1)
            elif entry.is_file(follow_symlinks=False):
                take(Path(entry.path), named=False)

    for source in sources:
        path = Path(source)
        if path.is_dir():
            scan(path, 1)
            continue
        take(path, named=True)
        match = _PART.match(path.name)
        if match is not None and path.parent.is_dir():  # one part named: its siblings too
            for sibling in sorted(path.parent.glob(f"{glob.escape(match.group('stem'))}.*")):
                if sibling != path and _PART.match(sibling.name):
                    take(sibling, named=False)
    packages = [[path] for path in singles if path not in parts]
    for _stem, members in sorted(parts.items()):
        packages.append(sorted(set(members), key=lambda p: p.name))
    return packages


def _file_digest(parts: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        try:
            with part.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except OSError:
            digest.update(str(part).encode())
    return digest.hexdigest()


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _moment(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


# --- receiving ---------------------------------------------------------------------------------
def receive(
    store: Store,
    sources: Iterable[Path | str],
    *,
    user: str,
    catalog: Catalog | None = None,
    trust_roots: Sequence[Path | str] = (),
    work_dir: Path | str | None = None,
    now: datetime | None = None,
    progress: Callable[[int, int, str], bool | None] | None = None,
) -> list[IntakeResult]:
    """Receive every package found in ``sources`` (see :func:`find_packages`), one by one.

    ``progress(done, total, name)`` is called before each package; returning False stops
    before the next one (those stored stay stored).
    """
    catalog = catalog or load_catalog()
    packages = find_packages(sources)
    results = []
    for index, parts in enumerate(packages):
        if progress is not None and progress(index, len(packages), parts[0].name) is False:
            break
        results.append(
            receive_package(
                store,
                parts,
                user=user,
                catalog=catalog,
                trust_roots=trust_roots,
                work_dir=work_dir,
                now=now,
            )
        )
    if progress is not None:
        progress(len(results), len(packages), "")
    return results


def receive_package(
    store: Store,
    parts: Sequence[Path | str],
    *,
    user: str,
    catalog: Catalog | None = None,
    trust_roots: Sequence[Path | str] = (),
    work_dir: Path | str | None = None,
    now: datetime | None = None,
) -> IntakeResult:
    """Check one package (a zip, or its parts) and store it; see the module docstring."""
    catalog = catalog or load_catalog()
    paths = [Path(part) for part in parts]
    result = IntakeResult(source=str(paths[0]), parts=[str(p) for p in paths], verdict=REFUSED)
    with store.session() as session:
        registered = registered_certificates(session)
    report = verify_package(
        paths if len(paths) > 1 else paths[0],
        trust_roots=trust_roots,
        registered=registered,
        work_dir=work_dir,
        now=now,
        catalog=catalog,
    )
    facts = report.facts
    result.package_id = facts.get("package_id")
    result.province_code = facts.get("province_code")
    result.period = facts.get("period")
    result.version = _int(facts.get("version"))
    unit = catalog.admin.get(result.province_code or "")
    if unit is not None and unit.level == "province":
        result.province = unit.province
    signing_time = _moment(facts.get("signing_time"))
    if not report.ok:
        result.reasons = [(check.name, check.reason) for check in report.failed]
        return _refuse(store, result, paths, facts, signing_time, user)
    document = report.records
    assert document is not None  # the schema check passed
    if unit is None or unit.level != "province" or result.province is None:
        result.reasons = [(CHECK_PROVINCE, f"{result.province_code!r} is not a province code")]
        return _refuse(store, result, paths, facts, signing_time, user)
    with store.session() as session:
        registration, why = signer_for(
            session, facts.get("signer_fingerprint", ""), result.province_code or "", signing_time
        )
    if registration is None:
        result.reasons = [(CHECK_SIGNER, why)]
        return _refuse(store, result, paths, facts, signing_time, user)
    try:
        stored = _store(store, result, document, facts, signing_time, catalog, user, paths)
    except IntegrityError:
        # Another process stored the same package or version between our checks and our
        # insert (the schema's constraints caught it): tell what the store holds now.
        return _after_race(store, result, paths, facts, signing_time, user)
    if stored.verdict in (ACCEPTED, SUPERSEDING):
        _prime_figures(store, catalog, stored)
    return stored


def _prime_figures(store: Store, catalog: Catalog, result: IntakeResult) -> None:
    """Compute the province's figures of the package's period now (kept in the store's
    cache), so that the dashboard and the national report find them ready."""
    from ctmt_desktop.ministry.figures import province_figures
    from ctmt_desktop.services.indicators import parse_scope

    assert result.province is not None and result.period is not None
    with store.session() as session:
        province_figures(session, catalog, result.province, parse_scope(result.period))


def _store(
    store: Store,
    result: IntakeResult,
    document: dict[str, Any],
    facts: dict[str, Any],
    signing_time: datetime | None,
    catalog: Catalog,
    user: str,
    paths: Sequence[Path],
) -> IntakeResult:
    assert result.province is not None and result.period is not None
    assert result.version is not None and result.package_id is not None
    period = parse_period(result.period)
    with store.session() as session:
        _lock_slot(session, result.province, period.code)
        existing = session.scalar(
            select(Submission).where(Submission.package_id == result.package_id)
        )
        if existing is not None:
            if existing.tagmanifest_sha256 != facts.get("tagmanifest_sha256"):
                result.reasons = [
                    (
                        CHECK_VERSION,
                        f"package id {result.package_id} was received already with other "
                        "content: a package id is never reused",
                    )
                ]
                session.rollback()
                return _refuse(store, result, paths, facts, signing_time, user)
            if existing.state != CURRENT:
                newer = session.scalar(
                    select(func.max(Submission.version)).where(
                        Submission.province == result.province, Submission.period == period.code
                    )
                )
                result.reasons = [
                    (
                        CHECK_VERSION,
                        f"version {result.version} was superseded by version {newer} for "
                        f"{result.province_code} {period.code}: a replay of an old package",
                    )
                ]
                session.rollback()
                return _refuse(store, result, paths, facts, signing_time, user)
            result.verdict = DUPLICATE
            result.submission_id = existing.id
            result.record_count = existing.record_count
            return result
        highest = session.scalar(
            select(func.max(Submission.version)).where(
                Submission.province == result.province, Submission.period == period.code
            )
        )
        if highest is not None and result.version <= highest:
            result.reasons = [
                (
                    CHECK_VERSION,
                    f"version {result.version} is not newer than version {highest} received "
                    f"for {result.province_code} {period.code}: a replay",
                )
            ]
            session.rollback()
            return _refuse(store, result, paths, facts, signing_time, user)
        current = session.scalar(
            select(Submission).where(
                Submission.province == result.province,
                Submission.period == period.code,
                Submission.state == CURRENT,
            )
        )
        if current is not None:
            session.execute(
                update(Submission).where(Submission.id == current.id).values(state=SUPERSEDED)
            )
            session.flush()
        counts = dict(document.get("counts") or {})
        submission = Submission(
            package_id=result.package_id,
            province_code=result.province_code,
            province=result.province,
            period=period.code,
            period_start=period.start,
            period_end=period.end,
            version=result.version,
            supersedes=document.get("supersedes"),
            state=CURRENT,
            sender=str((document.get("sender") or {}).get("name") or ""),
            signer_fingerprint=facts.get("signer_fingerprint", ""),
            signer_subject=facts.get("signer_subject", ""),
            signing_time=signing_time,
            created_at=_moment(document.get("created_at")),
            received_at=datetime.now(),
            received_by=user,
            source_name=paths[0].name,
            tagmanifest_sha256=facts.get("tagmanifest_sha256", ""),
            catalog_version=str(document.get("catalog_version") or ""),
            record_count=len(document["records"]),
            evidence_count=len(document.get("evidence") or []),
            counts=counts,
            review_state="received",
            review_comment="",
            reviewed_by="",
        )
        session.add(submission)
        session.flush()
        _insert_records(session, submission, document["records"], catalog)
        result.submission_id = submission.id
        result.record_count = submission.record_count
        if current is not None:
            result.verdict = SUPERSEDING
            result.replaced = current.version
        else:
            result.verdict = ACCEPTED
        log(
            session,
            user,
            "receive",
            f"{result.province_code} {period.code} v{result.version} accepted "
            f"({submission.record_count} records)"
            + (f", superseding v{current.version}" if current is not None else ""),
            province=result.province,
            period=period.code,
            package_id=result.package_id,
            detail={"source": paths[0].name, "version": result.version},
        )
    return result


def _lock_slot(session: Session, province: str, period: str) -> None:
    """Take the province's period for this unit of work (PostgreSQL: a row lock; SQLite: the
    store's ``BEGIN IMMEDIATE`` already serialises writers)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(
            pg_insert(Slot).values(province=province, period=period).on_conflict_do_nothing()
        )
        session.execute(
            select(Slot).where(Slot.province == province, Slot.period == period).with_for_update()
        )
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(
            sqlite_insert(Slot).values(province=province, period=period).on_conflict_do_nothing()
        )


def _record_row(submission: Submission, record: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    spec = kind_spec(record["kind"])
    search_key, place_names = search_columns(record, catalog)
    start = record.get("start_date")
    return {
        "submission_id": submission.id,
        "province": submission.province,
        "kind": record["kind"],
        "record_id": int(record["id"]),
        "program": str(record.get("program") or ""),
        "title": str(record.get("title") or ""),
        "start_date": date.fromisoformat(start) if isinstance(start, str) else start,
        "year": record.get("year") if spec.year_based else None,
        "search_key": search_key,
        "place_names": place_names,
        "data": canonical_json(record).decode("utf-8"),
    }


def _insert_records(
    session: Session, submission: Submission, records: list[dict[str, Any]], catalog: Catalog
) -> None:
    for first in range(0, len(records), _INSERT_CHUNK):
        rows = [_record_row(submission, r, catalog) for r in records[first : first + _INSERT_CHUNK]]
        session.execute(insert(NationalRecord), rows)


def _refuse(
    store: Store,
    result: IntakeResult,
    paths: Sequence[Path],
    facts: dict[str, Any],
    signing_time: datetime | None,
    user: str,
) -> IntakeResult:
    """Store the refusal (once per file content) and return ``result`` as refused."""
    result.verdict = REFUSED
    digest = _file_digest(paths)
    reasons = [{"check": check, "reason": reason[:2000]} for check, reason in result.reasons]
    try:
        with store.session() as session:
            known = session.scalar(select(Refusal.id).where(Refusal.file_sha256 == digest))
            if known is None:
                period = result.period if _valid_period(result.period) else None
                session.add(
                    Refusal(
                        received_at=datetime.now(),
                        received_by=user,
                        source_name=paths[0].name[:500],
                        file_sha256=digest,
                        package_id=(result.package_id or None) and str(result.package_id)[:64],
                        province_code=(result.province_code or None)
                        and str(result.province_code)[:16],
                        province=result.province,
                        period=period,
                        version=result.version,
                        signer_fingerprint=(facts.get("signer_fingerprint") or None),
                        signing_time=signing_time,
                        tagmanifest_sha256=facts.get("tagmanifest_sha256"),
                        reasons=reasons,
                    )
                )
                log(
                    session,
                    user,
                    "refuse",
                    f"{paths[0].name} refused: " + "; ".join(f"{r['check']}" for r in reasons),
                    province=result.province,
                    period=period,
                    package_id=result.package_id,
                    detail={"source": paths[0].name, "reasons": reasons},
                )
    except IntegrityError:
        pass  # another process stored the same refusal at the same moment
    return result


def _valid_period(code: str | None) -> bool:
    if not code:
        return False
    try:
        parse_period(code)
    except PeriodError:
        return False
    return True


def _after_race(
    store: Store,
    result: IntakeResult,
    paths: Sequence[Path],
    facts: dict[str, Any],
    signing_time: datetime | None,
    user: str,
) -> IntakeResult:
    with store.session() as session:
        existing = session.scalar(
            select(Submission).where(Submission.package_id == result.package_id)
        )
        if existing is not None and existing.tagmanifest_sha256 == facts.get("tagmanifest_sha256"):
            result.verdict = DUPLICATE
            result.submission_id = existing.id
            result.record_count = existing.record_count
            return result
    result.reasons = [
        (
            CHECK_VERSION,
            f"another copy stored version {result.version} of {result.province_code} "
            f"{result.period} at the same moment: a replay",
        )
    ]
    return _refuse(store, result, paths, facts, signing_time, user)


def submission_records(session: Session, submission_id: int) -> list[dict[str, Any]]:
    """The records of a submission as the package sent them."""
    rows = session.scalars(
        select(NationalRecord.data)
        .where(NationalRecord.submission_id == submission_id)
        .order_by(NationalRecord.kind, NationalRecord.record_id)
    )
    return [json.loads(data) for data in rows]
