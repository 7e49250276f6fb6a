"""Backups of a database with its evidence files, their rotation, and restoring one.

A backup is one zip file: ``database.sqlite3`` (a consistent copy made with SQLite's online
backup API and checked with ``PRAGMA integrity_check``), the evidence files it refers to under
``evidence/``, and ``manifest.json`` (when, why, schema revision, counts, SHA-256 of every
file). Backups go to ``<database>.backups/`` and, when configured, to a second folder such as
a USB drive. Rotation keeps every backup of the last 24 hours, then the newest of each of the
last 7 days, 4 weeks and 12 months that have one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

from ctmt_desktop.errors import StorageError
from ctmt_desktop.locking import locked
from ctmt_desktop.paths import backup_dir, evidence_dir

BACKUP_FORMAT = 1
DATABASE_ENTRY = "database.sqlite3"
MANIFEST_ENTRY = "manifest.json"
EVIDENCE_PREFIX = "evidence/"
_NAME_TIME = "%Y%m%d-%H%M%S"
MAX_BACKUP_ENTRIES = 1_000_000


@dataclass(frozen=True)
class BackupInfo:
    """A backup file and what its manifest says."""

    path: Path
    created: datetime
    reason: str
    records: int
    evidence_files: int
    revision: str | None


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_database(source: Path, target: Path) -> tuple[str | None, int]:
    """Online-backup ``source`` into ``target``; check it; return (revision, records)."""
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
            revision = _scalar(dst, "SELECT version_num FROM alembic_version")
            records = _scalar(dst, "SELECT count(*) FROM activity") or 0
    except sqlite3.Error as exc:
        raise StorageError(f"{source}: cannot copy the database ({exc})") from exc
    if verdict != "ok":
        raise StorageError(f"{source}: the copy failed its integrity check ({verdict})")
    return revision, int(records)


def _scalar(connection: sqlite3.Connection, sql: str) -> object:
    try:
        row = connection.execute(sql).fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def _referenced_evidence(database: Path) -> list[str]:
    with closing(sqlite3.connect(database)) as connection:
        try:
            return [row[0] for row in connection.execute("SELECT sha256 FROM evidence_file")]
        except sqlite3.OperationalError:
            return []


def create_backup(
    db_path: Path, *, reason: str = "manual", out: Path | None = None, now: datetime | None = None
) -> BackupInfo:
    """Write a backup of ``db_path`` (with its evidence) and return it.

    ``out`` is the file to write; by default a new file in the database's backup folder.
    The file appears under its final name only when complete and checked.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise StorageError(f"{db_path}: no database file to back up")
    created = now or datetime.now()
    if out is None:
        out = backup_dir(db_path) / f"ctmt-backup-{created.strftime(_NAME_TIME)}-{reason}.zip"
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{out.parent}: cannot create the folder ({exc.strerror})") from exc
    store = evidence_dir(db_path)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as work:
        copy = Path(work) / DATABASE_ENTRY
        revision, records = _copy_database(db_path, copy)
        files = {DATABASE_ENTRY: _sha256_file(copy)}
        evidence = [sha for sha in _referenced_evidence(copy) if (store / sha[:2] / sha).is_file()]
        manifest = {
            "format": BACKUP_FORMAT,
            "created": created.isoformat(timespec="seconds"),
            "reason": reason,
            "database_name": db_path.name,
            "revision": revision,
            "records": records,
            "evidence_files": len(evidence),
            "sha256": files,
        }
        partial = Path(work) / "backup.zip"
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                archive.write(copy, DATABASE_ENTRY)
                for sha in evidence:
                    archive.write(store / sha[:2] / sha, f"{EVIDENCE_PREFIX}{sha}")
                archive.writestr(MANIFEST_ENTRY, json.dumps(manifest, indent=2))
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, out)
        except OSError as exc:
            raise StorageError(f"{out}: cannot write the backup ({exc.strerror})") from exc
    return BackupInfo(out, created, reason, records, len(evidence), revision)


def read_backup(path: Path) -> BackupInfo:
    """The manifest of a backup file, after checking it is one."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST_ENTRY))
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise StorageError(f"{path}: not a CTMT backup ({exc})") from exc
    if manifest.get("format") != BACKUP_FORMAT:
        raise StorageError(f"{path}: backup format {manifest.get('format')!r} is not supported")
    return BackupInfo(
        path,
        datetime.fromisoformat(manifest["created"]),
        str(manifest.get("reason", "")),
        int(manifest.get("records", 0)),
        int(manifest.get("evidence_files", 0)),
        manifest.get("revision"),
    )


def list_backups(folder: Path) -> list[BackupInfo]:
    """The readable backups in ``folder``, newest first."""
    found = []
    for path in Path(folder).glob("ctmt-backup-*.zip"):
        try:
            found.append(read_backup(path))
        except StorageError:
            continue  # a damaged or foreign file is not offered for restore
    return sorted(found, key=lambda info: info.created, reverse=True)


def rotation_keep(created: Iterable[datetime], now: datetime) -> set[datetime]:
    """Which backup times to keep: all of the last 24 hours, then the newest of each of the
    last 7 days, 4 ISO weeks and 12 months that have a backup."""
    times = sorted(set(created), reverse=True)
    keep = {t for t in times if now - t < timedelta(hours=24)}
    for key_of, count in (
        (lambda t: t.date(), 7),
        (lambda t: t.isocalendar()[:2], 4),
        (lambda t: (t.year, t.month), 12),
    ):
        seen: list[object] = []
        for moment in times:  # newest first: the first of each bucket is its newest
            bucket = key_of(moment)
            if bucket in seen:
                continue
            if len(seen) == count:
                break
            seen.append(bucket)
            keep.add(moment)
    return keep


def rotate(folder: Path, now: datetime | None = None) -> list[Path]:
    """Delete the backups in ``folder`` that rotation does not keep; return them."""
    backups = list_backups(folder)
    keep = rotation_keep((b.created for b in backups), now or datetime.now())
    removed = []
    for info in backups:
        if info.created not in keep:
            info.path.unlink(missing_ok=True)
            removed.append(info.path)
    return removed


def automatic_backup(
    db_path: Path, *, second_folder: Path | None = None, now: datetime | None = None
) -> BackupInfo | None:
    """The first start of each day: back up unless today's backup exists; then rotate.

    A copy also goes to ``second_folder`` (a USB drive…) when given and reachable.
    """
    moment = now or datetime.now()
    folder = backup_dir(db_path)
    if any(b.created.date() == moment.date() for b in list_backups(folder)):
        return None
    info = create_backup(db_path, reason="daily", now=moment)
    rotate(folder, moment)
    if second_folder is not None:
        copy_to_second_folder(info, second_folder, now=moment)
    return info


def copy_to_second_folder(info: BackupInfo, folder: Path, *, now: datetime | None = None) -> Path:
    """Copy a backup into a second folder (rotated there too)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / info.path.name
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(info.path, partial)
        os.replace(partial, target)
    except OSError as exc:
        raise StorageError(f"{folder}: cannot copy the backup there ({exc.strerror})") from exc
    rotate(folder, now)
    return target


def _safe_entry(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name


def verify_backup(path: Path, work: Path) -> tuple[BackupInfo, Path, list[Path]]:
    """Extract a backup into ``work`` and check every part; return the database copy and
    the evidence files. Raises StorageError naming the first problem found."""
    info = read_backup(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        if len(names) > MAX_BACKUP_ENTRIES or not all(_safe_entry(n) for n in names):
            raise StorageError(f"{path}: the backup holds unsafe or too many entries")
        manifest = json.loads(archive.read(MANIFEST_ENTRY))
        database = work / DATABASE_ENTRY
        with archive.open(DATABASE_ENTRY) as src, database.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        if _sha256_file(database) != manifest["sha256"][DATABASE_ENTRY]:
            raise StorageError(f"{path}: the database in the backup is damaged (checksum)")
        evidence = []
        for name in names:
            if name.startswith(EVIDENCE_PREFIX) and not name.endswith("/"):
                sha = name[len(EVIDENCE_PREFIX) :]
                target = work / "evidence" / sha
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(name) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
                if _sha256_file(target) != sha:
                    raise StorageError(f"{path}: evidence file {sha} in the backup is damaged")
                evidence.append(target)
    with closing(sqlite3.connect(database)) as connection:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise StorageError(f"{path}: the database in the backup fails its check ({verdict})")
        if _scalar(connection, "SELECT version_num FROM alembic_version") is None:
            raise StorageError(f"{path}: the backup does not hold a CTMT database")
    return info, database, evidence


def restore_backup(path: Path, db_path: Path, *, now: datetime | None = None) -> Path | None:
    """Replace ``db_path`` with the database of a verified backup; return the kept old file.

    Nothing is replaced until the backup passed every check. The current database is first
    backed up (reason ``before-restore``) and then kept beside it as
    ``<name>.replaced-<time>``; evidence files of the backup are added to the store.
    The database must not be open elsewhere (the app refuses a second copy).
    """
    db_path = Path(db_path)
    moment = now or datetime.now()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=db_path.parent, prefix=".restore-") as folder:
        work = Path(folder)
        _info, database, evidence = verify_backup(Path(path), work)
        kept: Path | None = None
        with locked(db_path):  # no copy of the app may have the database open meanwhile
            if db_path.exists():
                kept = db_path.with_name(f"{db_path.name}.replaced-{moment.strftime(_NAME_TIME)}")
                try:
                    create_backup(db_path, reason="before-restore", now=moment)
                    _checkpoint(db_path)
                except StorageError:
                    # A damaged database (the usual reason to restore) cannot be backed up
                    # through SQLite: its file and journal are kept aside byte for byte.
                    for suffix in ("-wal", "-shm"):
                        journal = Path(f"{db_path}{suffix}")
                        if journal.exists():
                            shutil.copyfile(journal, Path(f"{kept}{suffix}"))
                os.replace(db_path, kept)
                for suffix in ("-wal", "-shm"):
                    Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            os.replace(database, db_path)
        store = evidence_dir(db_path)
        for file in evidence:
            target = store / file.name[:2] / file.name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(file, target)
    return kept


def _checkpoint(db_path: Path) -> None:
    """Fold the WAL into the main file so moving the file moves every committed change."""
    try:
        with closing(sqlite3.connect(db_path)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as exc:
        raise StorageError(f"{db_path}: the database is in use or damaged ({exc})") from exc
