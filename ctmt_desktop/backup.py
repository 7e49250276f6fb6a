"""Backups of a database with its evidence files, their rotation, and restoring one.

A backup is one zip file: ``database.sqlite3`` (a consistent copy made with SQLite's online
backup API and checked with ``PRAGMA integrity_check``), the evidence files it refers to under
``evidence/``, and ``manifest.json`` (when, why, schema revision, counts, SHA-256 of every
file). Backups go to ``<database>.backups/`` and, when configured, to a second folder such as
a USB drive. Rotation keeps every backup of the last 24 hours, then the newest of each of the
last 7 days, 4 weeks and 12 months that have one.

A backup to restore may come from anyone (a USB stick, a mail), so :func:`restore_backup`
checks all of it in a work folder beside the database before the live database is touched,
and refuses with :class:`BackupRefused` (one line naming the file and the check):

* the zip: its directory's entry count and size read from the end record before the
  directory is parsed; every entry name before anything is extracted (no absolute path,
  drive, ``..``, backslash, control character, Windows device name or forbidden character,
  no two names equal once case-folded, each resolving inside the work folder), no link,
  device or encrypted entry, only store and deflate, only the backup's own entries
  (``manifest.json``, ``database.sqlite3``, ``evidence/<sha256>``); the sizes each declares
  (database, evidence file, manifest, all together, the free disk space) and its compression
  ratio; zipfile never returns more than an entry declares and extraction counts too;
* ``manifest.json``: size, JSON, the type of each field;
* the SHA-256 of the database and of every evidence file;
* the database: an SQLite file whose single Alembic revision is one of ours and the
  manifest's; its schema (every table, index, trigger and view in ``sqlite_master``, SQL
  compared token by token) equal to the one our migrations create at that revision, built
  once per revision in memory (:func:`reference_schema`), so that an extra trigger that
  rewrites figures or silences the audit trail is refused by name; ``PRAGMA
  integrity_check`` and ``foreign_key_check``; its record count the manifest's;
* whose it is: a backup of another agency or province than the live database (newest
  profile's province, any agency name in common) raises :class:`ForeignBackupError` unless
  forced (``ctmt restore --force``) or confirmed in the window.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from ctmt_desktop.errors import StorageError
from ctmt_desktop.evidence import MAX_EVIDENCE_BYTES
from ctmt_desktop.locking import locked
from ctmt_desktop.paths import backup_dir, evidence_dir

BACKUP_FORMAT = 1
DATABASE_ENTRY = "database.sqlite3"
MANIFEST_ENTRY = "manifest.json"
EVIDENCE_PREFIX = "evidence/"
_NAME_TIME = "%Y%m%d-%H%M%S"

# Caps checked on the zip's directory before anything is extracted.
MAX_BACKUP_ENTRIES = 200_000
MAX_DIRECTORY_BYTES = 64 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_DATABASE_BYTES = 16 * 1024**3
MAX_BACKUP_BYTES = 64 * 1024**3
#: An entry expanding more than this many times its packed size is refused (SQLite files and
#: evidence pack 2-10 times), unless it is smaller than RATIO_FLOOR_BYTES once expanded.
MAX_COMPRESSION_RATIO = 200
RATIO_FLOOR_BYTES = 16 * 1024 * 1024
_FREE_SPACE_MARGIN = 64 * 1024 * 1024
_EOCD_SEARCH = 22 + 65535 + 20  # end record, the longest comment, a Zip64 locator
_CHUNK = 1 << 20
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_DRIVE = re.compile(r"^[A-Za-z]:")
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_WINDOWS_REPARSE_POINT = 0x400
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in "0123456789¹²³"}
)
#: The statistics tables ANALYZE may add: planner hints, no code; accepted beside our schema.
_SQLITE_STATISTICS = {
    "sqlite_stat1": "create table sqlite_stat1 ( tbl , idx , stat )",
    "sqlite_stat4": "create table sqlite_stat4 ( tbl , idx , neq , nlt , ndlt , sample )",
}


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


# --- restoring: every check before anything is replaced -----------------------------------------
class BackupRefused(StorageError):
    """A backup that failed one of the restore checks; nothing was written outside the work
    folder and the live database was not touched.

    Attributes:
        path: the backup file.
        check: the check that refused it (``zip directory``, ``entry names``, ``sizes``,
            ``manifest``, ``checksum``, ``database format``, ``revision``, ``schema``,
            ``integrity``, ``foreign keys``, ``agency``…).
        detail: what that check found, one line.
    """

    def __init__(self, path: Path, check: str, detail: str) -> None:
        self.path = Path(path)
        self.check = check
        self.detail = " ".join(detail.split())  # one line, whatever the detail quoted
        super().__init__(f"{self.path}: refused by the {check} check: {self.detail}")


@dataclass(frozen=True)
class Agency:
    """Who a database belongs to: the newest agency profile's name and province code."""

    name: str
    province_code: str

    def __str__(self) -> str:
        return f"{self.name} (province {self.province_code})"


class ForeignBackupError(BackupRefused):
    """The backup belongs to another agency or province than the database it would replace.

    The restore proceeds only with ``force`` (``ctmt restore --force``) or when the window's
    question is answered yes.
    """

    def __init__(self, path: Path, backup: Agency | None, live: Agency) -> None:
        self.backup_agency = backup
        self.live_agency = live
        owner = "names no agency" if backup is None else f"belongs to {backup}"
        super().__init__(
            path,
            "agency",
            f"the backup {owner}, this database to {live}; restore it anyway only if that is "
            "intended (ctmt restore --force, or confirm in the window)",
        )


def _refuse(path: Path, check: str, detail: str) -> BackupRefused:
    return BackupRefused(path, check, detail)


def _zip_directory(path: Path) -> tuple[int, int]:
    """(entries, bytes) of the zip's central directory, read from its end record before
    zipfile parses (and holds in memory) the directory itself."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            tail_length = min(size, _EOCD_SEARCH)
            handle.seek(size - tail_length)
            tail = handle.read(tail_length)
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or len(tail) - at < 22:
                raise zipfile.BadZipFile("File is not a zip file")
            entries, directory = struct.unpack("<10xHL6x", tail[at : at + 22])
            if entries == 0xFFFF or directory == 0xFFFFFFFF:  # Zip64: the real values are there
                locator = tail[at - 20 : at] if at >= 20 else b""
                if not locator.startswith(b"PK\x06\x07"):
                    raise zipfile.BadZipFile("a Zip64 end record without its locator")
                (offset,) = struct.unpack("<8xQ4x", locator)
                if offset > size - 56:
                    raise zipfile.BadZipFile("the Zip64 end record is outside the file")
                handle.seek(offset)
                record = handle.read(56)
                if not record.startswith(b"PK\x06\x06"):
                    raise zipfile.BadZipFile("no Zip64 end record where its locator points")
                entries, directory = struct.unpack("<32xQQ8x", record)
    except OSError as exc:
        raise _refuse(path, "file", f"cannot be read ({exc.strerror or exc})") from exc
    return entries, directory


def _open_archive(path: Path) -> zipfile.ZipFile:
    """The backup's zip, after its directory passed the caps on entries and size."""
    path = Path(path)
    if not path.is_file():
        raise _refuse(path, "file", "no such file (or it is a folder)")
    try:
        entries, directory = _zip_directory(path)
    except zipfile.BadZipFile as exc:
        raise _refuse(path, "format", f"not a CTMT backup ({exc})") from exc
    if entries > MAX_BACKUP_ENTRIES or directory > MAX_DIRECTORY_BYTES:
        raise _refuse(
            path,
            "zip directory",
            f"{entries:,} entries in a directory of {directory:,} bytes (at most "
            f"{MAX_BACKUP_ENTRIES:,} entries and {MAX_DIRECTORY_BYTES:,} bytes are accepted)",
        )
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError) as exc:
        raise _refuse(path, "format", f"not a CTMT backup ({exc})") from exc


def _parse_manifest(path: Path, archive: zipfile.ZipFile) -> dict[str, Any]:
    """The checked manifest (its size, JSON, and the type of every field read)."""
    try:
        item = archive.getinfo(MANIFEST_ENTRY)
    except KeyError as exc:
        raise _refuse(path, "format", "not a CTMT backup (no manifest.json)") from exc
    if item.file_size > MAX_MANIFEST_BYTES:
        raise _refuse(
            path,
            "manifest",
            f"manifest.json is {item.file_size:,} bytes (at most {MAX_MANIFEST_BYTES:,})",
        )
    try:
        with archive.open(item) as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
        manifest = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError
        raise _refuse(path, "manifest", f"manifest.json is not valid JSON ({exc})") from exc
    except (OSError, zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError) as exc:
        raise _refuse(path, "format", f"not a CTMT backup ({exc})") from exc
    if not isinstance(manifest, dict):
        raise _refuse(path, "manifest", "manifest.json is not a JSON object")
    if manifest.get("format") != BACKUP_FORMAT:
        raise _refuse(
            path, "manifest", f"backup format {manifest.get('format')!r} is not supported"
        )
    created = manifest.get("created")
    try:
        manifest["created"] = datetime.fromisoformat(created)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise _refuse(path, "manifest", f"'created' is not a date and time: {created!r}") from exc
    if manifest["created"].tzinfo is not None:  # ours are local times; never mix the two
        raise _refuse(path, "manifest", f"'created' carries a time zone: {created!r}")
    for key in ("records", "evidence_files"):
        value = manifest.get(key, 0)
        if type(value) is not int or value < 0:
            raise _refuse(path, "manifest", f"'{key}' is not a count: {value!r}")
    revision = manifest.get("revision")
    if revision is not None and (not isinstance(revision, str) or len(revision) > 64):
        raise _refuse(path, "manifest", f"'revision' is not a schema revision: {revision!r}")
    reason = manifest.get("reason", "")
    if not isinstance(reason, str) or len(reason) > 64:
        raise _refuse(path, "manifest", "'reason' is not a short text")
    sums = manifest.get("sha256")
    digest = sums.get(DATABASE_ENTRY) if isinstance(sums, dict) else None
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise _refuse(path, "manifest", "no SHA-256 of database.sqlite3 in manifest.json")
    return manifest


def read_backup(path: Path) -> BackupInfo:
    """The manifest of a backup file, after checking it is one (a :class:`BackupRefused`
    otherwise)."""
    path = Path(path)
    with _open_archive(path) as archive:
        manifest = _parse_manifest(path, archive)
    return BackupInfo(
        path,
        manifest["created"],
        manifest.get("reason", ""),
        manifest.get("records", 0),
        manifest.get("evidence_files", 0),
        manifest.get("revision"),
    )


def _entry_name_problem(name: str) -> str | None:
    """Why an entry name could escape or alias the work folder, or None."""
    if not name:
        return "an empty name"
    if len(name) > 255:
        return "a name longer than 255 characters"
    if any(ord(char) < 32 or char == "\x7f" for char in name):
        return "a control character in its name"
    if "\\" in name:
        return "a backslash (a Windows path) in its name"
    if name.startswith("/") or _DRIVE.match(name):
        return "an absolute path"
    parts = name.rstrip("/").split("/")
    for part in parts:
        if part == "..":
            return "a '..' that climbs out of the folder"
        if part in ("", "."):
            return "an empty or '.' path component"
        if _WINDOWS_FORBIDDEN.search(part) or part[-1] in ". ":
            return f"a character Windows forbids in '{part}'"
        if part.split(".")[0].upper() in _DEVICE_NAMES:
            return f"the Windows device name '{part}'"
    return None


def _entry_type_problem(item: zipfile.ZipInfo) -> str | None:
    """Why an entry is no plain file or folder (a link, a device…), or None."""
    mode = item.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if item.create_system == 3 and kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "a symbolic link" if kind == stat.S_IFLNK else "a device, pipe or socket"
    if item.external_attr & _WINDOWS_REPARSE_POINT:
        return "a link (a Windows reparse point)"
    if item.flag_bits & 0x1:
        return "encrypted"
    if item.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return f"packed with compression method {item.compress_type} (only store and deflate)"
    return None


@dataclass
class _Members:
    database: zipfile.ZipInfo
    evidence: list[zipfile.ZipInfo]
    total: int


def _check_members(path: Path, archive: zipfile.ZipFile, work: Path) -> _Members:
    """Every entry of the zip checked before anything is extracted: names, types,
    duplicates, the backup's own layout, sizes and compression ratios."""
    items = archive.infolist()
    if len(items) > MAX_BACKUP_ENTRIES:
        raise _refuse(
            path, "zip directory", f"{len(items):,} entries (at most {MAX_BACKUP_ENTRIES:,})"
        )
    root = work.resolve()
    seen: dict[str, str] = {}
    database: zipfile.ZipInfo | None = None
    evidence: list[zipfile.ZipInfo] = []
    total = 0
    for item in items:
        name = item.filename
        shown = name.encode("unicode_escape").decode("ascii")[:120]
        problem = _entry_name_problem(name)
        if problem is not None:
            raise _refuse(path, "entry names", f"entry '{shown}' has {problem}")
        target = (work / name).resolve()
        if target != root and root not in target.parents:
            raise _refuse(path, "entry names", f"entry '{shown}' resolves outside the folder")
        problem = _entry_type_problem(item)
        if problem is not None:
            raise _refuse(path, "entry types", f"entry '{shown}' is {problem}")
        key = unicodedata.normalize("NFC", name.rstrip("/")).casefold()
        if key in seen:
            raise _refuse(
                path,
                "entry names",
                f"entries '{seen[key]}' and '{shown}' are the same file on a case-insensitive "
                "disk (a duplicate)",
            )
        seen[key] = shown
    for item in items:  # every name is safe: now the backup's own layout and sizes
        name = item.filename
        shown = name.encode("unicode_escape").decode("ascii")[:120]
        if name == DATABASE_ENTRY:
            database, limit = item, MAX_DATABASE_BYTES
        elif name == MANIFEST_ENTRY:
            limit = MAX_MANIFEST_BYTES
        elif name == EVIDENCE_PREFIX and item.is_dir():
            continue
        elif name.startswith(EVIDENCE_PREFIX) and _SHA256.fullmatch(name[len(EVIDENCE_PREFIX) :]):
            evidence.append(item)
            limit = MAX_EVIDENCE_BYTES
        else:
            raise _refuse(path, "entry names", f"entry '{shown}' is not part of a CTMT backup")
        if item.file_size > limit:
            raise _refuse(
                path,
                "sizes",
                f"entry '{shown}' expands to {item.file_size:,} bytes (at most {limit:,})",
            )
        if item.compress_type == zipfile.ZIP_STORED and item.compress_size != item.file_size:
            raise _refuse(path, "sizes", f"entry '{shown}' is stored with two different sizes")
        if item.file_size >= RATIO_FLOOR_BYTES:
            ratio = item.file_size / max(item.compress_size, 1)
            if ratio > MAX_COMPRESSION_RATIO:
                raise _refuse(
                    path,
                    "sizes",
                    f"entry '{shown}' expands {ratio:,.0f} times its packed size (at most "
                    f"{MAX_COMPRESSION_RATIO}); a zip bomb?",
                )
        total += item.file_size
        if total > MAX_BACKUP_BYTES:
            raise _refuse(
                path, "sizes", f"the backup expands to more than {MAX_BACKUP_BYTES:,} bytes"
            )
    if database is None:
        raise _refuse(path, "format", "not a CTMT backup (no database.sqlite3)")
    try:
        free = shutil.disk_usage(work).free
    except OSError:
        free = None
    if free is not None and total + _FREE_SPACE_MARGIN > free:
        raise _refuse(
            path,
            "sizes",
            f"restoring needs {_mb(total + _FREE_SPACE_MARGIN)} of free disk space beside the "
            f"database and {_mb(free)} is free",
        )
    return _Members(database, evidence, total)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def _extract(path: Path, archive: zipfile.ZipFile, item: zipfile.ZipInfo, target: Path) -> str:
    """Copy one checked entry to ``target`` (a new file of the work folder); its SHA-256.

    Never more bytes than the entry declares (zipfile stops there, and this counts too)."""
    digest = hashlib.sha256()
    written = 0
    try:
        with archive.open(item) as source, target.open("xb") as sink:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if written > item.file_size:
                    raise _refuse(path, "sizes", f"entry '{item.filename}' is longer than declared")
                digest.update(chunk)
                sink.write(chunk)
    except BackupRefused:
        raise
    except (zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise _refuse(path, "checksum", f"entry '{item.filename}' is damaged ({exc})") from exc
    except zlib.error as exc:
        raise _refuse(path, "checksum", f"entry '{item.filename}' is damaged ({exc})") from exc
    except OSError as exc:
        raise StorageError(f"{target}: cannot write ({exc.strerror or exc})") from exc
    return digest.hexdigest()


def verify_backup(path: Path, work: Path) -> tuple[BackupInfo, Path, list[Path]]:
    """Check a backup completely, extracting it into the folder ``work`` only; return what
    its manifest says, the database copy and the evidence files.

    The zip's directory and every entry (names, types, duplicates, sizes, ratios) are checked
    before anything is extracted; then the checksums, the database's format, revision and
    schema (which must equal the one the migrations create at that revision), its integrity
    and its references. Raises :class:`BackupRefused` naming the first check that failed.
    """
    path, work = Path(path), Path(work)
    with _open_archive(path) as archive:
        manifest = _parse_manifest(path, archive)
        members = _check_members(path, archive, work)
        if len(members.evidence) != manifest.get("evidence_files", 0):
            raise _refuse(
                path,
                "manifest",
                f"manifest.json lists {manifest.get('evidence_files', 0)} evidence files, the "
                f"backup holds {len(members.evidence)}",
            )
        database = work / DATABASE_ENTRY
        if (
            _extract(path, archive, members.database, database)
            != manifest["sha256"][DATABASE_ENTRY]
        ):
            raise _refuse(
                path,
                "checksum",
                "the database in the backup is damaged (its SHA-256 differs from the manifest's)",
            )
        revision = _check_database(path, database, manifest)
        evidence = []
        if members.evidence:
            (work / "evidence").mkdir()
        for item in members.evidence:
            sha = item.filename[len(EVIDENCE_PREFIX) :]
            target = work / "evidence" / sha
            if _extract(path, archive, item, target) != sha:
                raise _refuse(path, "checksum", f"evidence file {sha} in the backup is damaged")
            evidence.append(target)
    info = BackupInfo(
        path,
        manifest["created"],
        manifest.get("reason", ""),
        manifest.get("records", 0),
        len(evidence),
        revision,
    )
    return info, database, evidence


def _check_database(path: Path, database: Path, manifest: dict[str, Any]) -> str:
    """Format, revision, schema, integrity and references of the extracted database; its
    revision."""
    with database.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(_SQLITE_MAGIC):
        raise _refuse(path, "database format", "database.sqlite3 is not an SQLite database")
    try:
        with closing(sqlite3.connect(database)) as connection:
            connection.execute("PRAGMA trusted_schema=OFF")
            connection.execute("PRAGMA query_only=ON")
            revision = _database_revision(path, connection)
            if manifest.get("revision") != revision:
                raise _refuse(
                    path,
                    "revision",
                    f"manifest.json says schema {manifest.get('revision')!r}, the database is at "
                    f"{revision!r}",
                )
            differences = schema_differences(connection, revision)
            if differences:
                shown = "; ".join(differences[:5])
                if len(differences) > 5:
                    shown += f"; and {len(differences) - 5} more"
                raise _refuse(
                    path,
                    "schema",
                    f"the database's schema is not the one CTMT Desktop creates at revision "
                    f"{revision}: {shown}",
                )
            rows = connection.execute("PRAGMA integrity_check(20)").fetchall()
            if rows != [("ok",)]:
                found = "; ".join(str(row[0]) for row in rows[:3])
                raise _refuse(path, "integrity", f"the database in the backup is damaged ({found})")
            broken = connection.execute("PRAGMA foreign_key_check").fetchmany(1000)
            if broken:
                tables = sorted({str(row[0]) for row in broken})
                raise _refuse(
                    path,
                    "foreign keys",
                    f"{len(broken):,}{'+' if len(broken) == 1000 else ''} rows refer to rows that "
                    f"do not exist (tables {', '.join(tables[:5])})",
                )
            records = connection.execute("SELECT count(*) FROM activity").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, "database format", f"database.sqlite3 cannot be read ({exc})") from exc
    if records != manifest.get("records", 0):
        raise _refuse(
            path,
            "manifest",
            f"manifest.json counts {manifest.get('records', 0)} records, the database holds "
            f"{records}",
        )
    return revision


def _database_revision(path: Path, connection: sqlite3.Connection) -> str:
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchmany(2)
    except sqlite3.OperationalError as exc:
        raise _refuse(
            path,
            "revision",
            f"the backup does not hold a CTMT database (no schema revision: {exc})",
        ) from exc
    if len(rows) != 1 or not isinstance(rows[0][0], str):
        raise _refuse(path, "revision", "the backup's database has no single schema revision")
    revision = rows[0][0]
    if revision not in known_revisions():
        raise _refuse(
            path,
            "revision",
            f"unknown schema revision {revision[:40]!r} (a newer CTMT Desktop, or not ours)",
        )
    return revision


# --- the schema our migrations create ----------------------------------------------------------
SchemaObject = tuple[str, str]  # (type, name)


def known_revisions() -> frozenset[str]:
    """The Alembic revisions shipped with this version."""
    from alembic.script import ScriptDirectory

    from ctmt_desktop.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(rev.revision for rev in script.walk_revisions())


@lru_cache(maxsize=8)
def reference_schema(revision: str) -> dict[SchemaObject, tuple[str, str | None]]:
    """What our migrations create at ``revision``: (type, name) -> (table, normalised SQL),
    from a fresh in-memory database migrated exactly as :func:`ctmt_desktop.db.open_database`
    does (foreign keys off). Cached per revision."""
    from alembic import command
    from sqlalchemy import create_engine

    from ctmt_desktop.db import alembic_config

    if revision not in known_revisions():
        raise ValueError(f"unknown revision {revision!r}")
    engine = create_engine("sqlite://")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
            rows = connection.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master"
            ).fetchall()
    finally:
        engine.dispose()
    return {(row[0], row[1].lower()): (row[2].lower(), normalise_sql(row[3])) for row in rows}


def schema_differences(connection: sqlite3.Connection, revision: str) -> list[str]:
    """How the schema of ``connection`` differs from :func:`reference_schema` (empty when it
    is the same): each extra, missing or changed table, index, trigger or view named."""
    reference = reference_schema(revision)
    found: dict[SchemaObject, tuple[str, str | None]] = {}
    for kind, name, table, sql in connection.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
    ):
        found[(str(kind), str(name).lower())] = (str(table).lower(), normalise_sql(sql))
    differences = []
    for key in sorted(set(found) | set(reference)):
        kind, name = key
        if key not in reference:
            if _SQLITE_STATISTICS.get(name) == found[key][1]:
                continue  # ANALYZE's statistics: planner hints, no code
            where = f" on table '{found[key][0]}'" if kind in ("index", "trigger") else ""
            differences.append(f"an extra {kind} '{name}'{where}")
        elif key not in found:
            differences.append(f"the {kind} '{name}' is missing")
        elif found[key] != reference[key]:
            differences.append(f"the {kind} '{name}' differs from ours")
    return differences


_SQL_TOKEN = re.compile(
    r"""\s+|--[^\n]*|/\*.*?(?:\*/|$)|'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]"""
    r"""|[A-Za-z_0-9$\u0080-\uffff]+|<=|>=|<>|!=|==|\|\||<<|>>|.""",
    re.DOTALL,
)
_PLAIN_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


def normalise_sql(sql: object) -> str | None:
    """SQL as a sequence of tokens, so that layout never counts: comments and spacing dropped,
    keywords and identifiers in lower case (SQLite ignores their case), simple identifiers
    unquoted (``"activity"`` as SQLite writes a renamed table), string literals kept as they
    are."""
    if sql is None:
        return None
    tokens = []
    for match in _SQL_TOKEN.finditer(str(sql)):
        token = match.group()
        first = token[0]
        if token.isspace() or token.startswith(("--", "/*")):
            continue
        if first == "'":
            tokens.append(token)
        elif first in '"`[':
            inner = token[1:-1]
            tokens.append(inner.lower() if _PLAIN_IDENTIFIER.fullmatch(inner) else token.lower())
        else:
            tokens.append(token.lower())
    return " ".join(tokens)


# --- whose backup -----------------------------------------------------------------------------
def _agencies(connection: sqlite3.Connection) -> list[Agency]:
    rows = connection.execute(
        "SELECT name, province_code FROM agency_profile ORDER BY valid_from DESC, id DESC"
    ).fetchmany(1000)
    return [Agency(str(name), str(province)) for name, province in rows]


def _live_agencies(db_path: Path) -> list[Agency] | None:
    """The live database's agency profiles, newest first, read without writing anything
    beside it; None when it cannot be read (missing, damaged, not ours)."""
    if not db_path.is_file():
        return None
    # immutable: no -shm/-wal files are created; with a journal present, read through it.
    has_wal = Path(f"{db_path}-wal").exists()
    uri = f"{db_path.resolve().as_uri()}?{'mode=ro' if has_wal else 'immutable=1'}"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as connection:
            return _agencies(connection)
    except sqlite3.Error:
        return None


def _same_agency(backup: list[Agency], live: list[Agency]) -> bool:
    from ctmt_desktop.services.profile import normalise_province_code
    from ctmt_desktop.text import clean_text, fold

    if not backup:
        return False
    if normalise_province_code(backup[0].province_code) != normalise_province_code(
        live[0].province_code
    ):
        return False
    # Names change with reorganisations: any name in common across the two histories.
    return bool(
        {fold(clean_text(a.name)) for a in backup} & {fold(clean_text(a.name)) for a in live}
    )


def foreign_backup(path: Path, database: Path, db_path: Path) -> ForeignBackupError | None:
    """The refusal to give when the verified backup database ``database`` belongs to another
    agency or province than the live database ``db_path``; None when it is the same one, or
    when the live database names none (new, missing or unreadable)."""
    live = _live_agencies(Path(db_path))
    if not live:
        return None
    try:
        with closing(sqlite3.connect(database)) as connection:
            backup = _agencies(connection)
    except sqlite3.Error as exc:
        raise _refuse(
            path, "agency", f"the backup's agency profile cannot be read ({exc})"
        ) from exc
    if _same_agency(backup, live):
        return None
    return ForeignBackupError(Path(path), backup[0] if backup else None, live[0])


class PreparedRestore:
    """A backup verified in a work folder beside the database, ready to replace it.

    Made by :func:`prepare_restore` while the live database may still be open (nothing of it
    is touched); :meth:`apply` replaces it once it is closed. Use it as a context manager:
    leaving the block removes the work folder, applied or not.

    Attributes:
        info: what the backup's manifest says.
        foreign: the refusal to give when the backup belongs to another agency or province
            than the live database (None when it is the same one or the live database names
            none); :meth:`apply` does not look at it: asking is the caller's part.
    """

    def __init__(self, path: Path, db_path: Path) -> None:
        self.path = Path(path)
        self.db_path = Path(db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._folder = tempfile.TemporaryDirectory(dir=self.db_path.parent, prefix=".restore-")
        try:
            work = Path(self._folder.name)
            self.info, self._database, self._evidence = verify_backup(self.path, work)
            self.foreign = foreign_backup(self.path, self._database, self.db_path)
        except BaseException:
            self._folder.cleanup()
            raise
        self._applied = False

    def __enter__(self) -> PreparedRestore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the work folder (safe to repeat)."""
        self._folder.cleanup()

    def apply(self, *, now: datetime | None = None) -> Path | None:
        """Replace the live database with the verified one; return the kept old file.

        The current database is first backed up (reason ``before-restore``) and then kept
        beside it as ``<name>.replaced-<time>``; evidence files of the backup are added to
        the store. The database must not be open elsewhere (the app refuses a second copy).
        """
        if self._applied:
            raise RuntimeError("this restore was applied already")
        self._applied = True
        db_path = self.db_path
        moment = now or datetime.now()
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
            os.replace(self._database, db_path)
        store = evidence_dir(db_path)
        for file in self._evidence:
            target = store / file.name[:2] / file.name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(file, target)
        return kept


def prepare_restore(path: Path, db_path: Path) -> PreparedRestore:
    """Check the whole backup ``path`` (:func:`verify_backup`, in a work folder beside
    ``db_path``) and whose it is, touching nothing of the live database; raise
    :class:`BackupRefused` naming the check that failed."""
    return PreparedRestore(path, db_path)


def restore_backup(
    path: Path,
    db_path: Path,
    *,
    now: datetime | None = None,
    force: bool = False,
    confirm_foreign: Callable[[ForeignBackupError], bool] | None = None,
) -> Path | None:
    """Replace ``db_path`` with the database of a verified backup; return the kept old file.

    The whole backup is checked first (:func:`prepare_restore`), and so is whose it is: a
    backup of another agency or province raises :class:`ForeignBackupError` unless ``force``
    or ``confirm_foreign`` (asked with that error) says yes. Only then is the live database
    replaced (:meth:`PreparedRestore.apply`).
    """
    with prepare_restore(path, db_path) as prepared:
        foreign = prepared.foreign
        if foreign is not None and not force:
            if confirm_foreign is None or not confirm_foreign(foreign):
                raise foreign
        return prepared.apply(now=now)


def _checkpoint(db_path: Path) -> None:
    """Fold the WAL into the main file so moving the file moves every committed change."""
    try:
        with closing(sqlite3.connect(db_path)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as exc:
        raise StorageError(f"{db_path}: the database is in use or damaged ({exc})") from exc
