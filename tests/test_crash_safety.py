"""Crash safety: processes killed mid-import or mid-write lose nothing committed and leave no
half-written file; a damaged file, a second copy, a read-only place, a full disk and a
locked database each give a clear StorageError."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

import ctmt_desktop.db as db_module
from ctmt_desktop.backup import create_backup, restore_backup, verify_backup
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database, QuickCheck, open_database, storage_error
from ctmt_desktop.db.models import Activity, AuditEntry
from ctmt_desktop.errors import (
    DatabaseBusyError,
    DatabaseDamagedError,
    DatabaseInUseError,
    DiskFullError,
    ReadOnlyStorageError,
    StorageError,
)
from ctmt_desktop.locking import lock_path
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import add_records, record_context

MakeRecord = Callable[..., dict[str, Any]]
REPO = Path(__file__).resolve().parent.parent
IMPORT_ROWS = 10_000

# --- child processes -------------------------------------------------------------------------
IMPORT_CHILD = r"""
import copy, json, sys, time
from pathlib import Path
from ctmt_desktop.db import open_database
from ctmt_desktop.services.records import add_records, record_context

path, base_file, mode, rows = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
base = json.loads(base_file.read_text(encoding="utf-8"))
items = []
for n in range(rows):
    item = copy.deepcopy(base)
    item["title"] = f"Lớp tập huấn số {n}"
    items.append(item)
database = open_database(path)
with database.session() as session:
    context = record_context(session, path, user="importer")
    if mode == "one-call":
        print("importing", flush=True)
        add_records(session, context, "training", items, allow_duplicates=True)
    else:
        for first in range(0, rows, 1000):
            add_records(
                session, context, "training", items[first:first + 1000], allow_duplicates=True
            )
            print(f"batch {first // 1000}", flush=True)
    print("committing", flush=True)
print("committed", flush=True)
time.sleep(120)
"""

PACKAGE_CHILD = r"""
import sys, time
from pathlib import Path
from ctmt_desktop.backup import create_backup

print("writing", flush=True)
create_backup(Path(sys.argv[1]), reason="package", out=Path(sys.argv[2]))
print("written", flush=True)
time.sleep(120)
"""

OPEN_CHILD = r"""
import sys, time
from pathlib import Path
from ctmt_desktop.db import open_database
from ctmt_desktop.errors import DatabaseInUseError

try:
    database = open_database(Path(sys.argv[1]), exclusive=sys.argv[2] == "exclusive")
except DatabaseInUseError as error:
    print(f"in use: {error}", flush=True)
    sys.exit(3)
print("open", flush=True)
if sys.argv[3:] == ["hold"]:
    time.sleep(120)
database.close()
"""

READ_ONLY_CHILD = r"""
import os, sys
from pathlib import Path
import ctmt_desktop.backup  # every module loaded before root is given up
from ctmt_desktop.db import open_database
from ctmt_desktop.errors import StorageError

open_database(Path(sys.argv[2])).close()  # warm up: imports, migrations, catalog paths
if os.geteuid() == 0:  # root writes anywhere: act as an ordinary user for the check
    os.setgid(65534)
    os.setuid(65534)
try:
    open_database(Path(sys.argv[1])).close()
except StorageError as error:
    print(f"{type(error).__name__}: {error}", flush=True)
    sys.exit(3)
print("opened", flush=True)
"""


class Child:
    """A Python child process whose output lines are read as they come."""

    def __init__(self, code: str, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=REPO,
            env=env,
        )
        self.lines: list[str] = []
        self.errors = ""
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, marker: str, timeout: float = 120) -> None:
        """Block until the child prints a line starting with ``marker``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                pytest.fail(f"no '{marker}' from the child; stderr:\n{self.stderr()}")
            if line is None:
                pytest.fail(f"the child ended before '{marker}'; stderr:\n{self.stderr()}")
            self.lines.append(line)
            if line.startswith(marker):
                return

    def kill(self) -> None:
        """SIGKILL: no cleanup, no atexit, no flush; as close to a power cut as a test gets."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=60)
        self._close()

    def finish(self, timeout: float = 120) -> int:
        code = self.process.wait(timeout=timeout)
        self._close()
        return code

    def _close(self) -> None:
        """Collect the rest of the output and close the pipes."""
        self._reader.join(timeout=60)
        while not self._queue.empty():
            line = self._queue.get()
            if line is not None:
                self.lines.append(line)
        assert self.process.stdout is not None and self.process.stderr is not None
        if not self.process.stderr.closed:
            self.errors = self.process.stderr.read()
            self.process.stderr.close()
        self.process.stdout.close()

    def stderr(self) -> str:
        if self.process.poll() is None:
            self.kill()
        self._close()
        return self.errors


def new_database(path: Path, catalog: Catalog) -> None:
    database = open_database(path)
    try:
        with database.session() as session:
            set_profile(session, ProfileData("Sở Văn hóa, Thể thao và Du lịch", "44"), catalog)
    finally:
        database.close()


def integrity(path: Path) -> list[tuple[str]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("PRAGMA integrity_check").fetchall()


def counts(path: Path) -> tuple[int, int]:
    """(training records, their create entries in the audit trail)."""
    database = open_database(path)
    try:
        with database.session() as session:
            records = session.scalar(select(func.count()).where(Activity.kind == "training"))
            audited = session.scalar(
                select(func.count()).where(
                    AuditEntry.action == "create", AuditEntry.kind == "training"
                )
            )
            return int(records or 0), int(audited or 0)
    finally:
        database.close()


# --- killed in the middle of an import -------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(
    ("mode", "marker", "delay"),
    [
        ("one-call", "importing", 0.2),
        ("one-call", "importing", 0.5),
        ("one-call", "importing", 1.0),
        ("one-call", "importing", 2.0),
        ("one-call", "committing", 0.0),
        ("batches", "batch 3", 0.0),
        ("batches", "batch 9", 0.0),
        ("batches", "committed", 0.0),
    ],
)
def test_import_killed_at_any_point_is_all_there_or_not_at_all(
    tmp_path: Path,
    catalog: Catalog,
    make_record: MakeRecord,
    mode: str,
    marker: str,
    delay: float,
) -> None:
    path = tmp_path / "ctmt.sqlite3"
    new_database(path, catalog)
    base = tmp_path / "record.json"
    base.write_text(json.dumps(make_record("training"), ensure_ascii=False), encoding="utf-8")

    child = Child(IMPORT_CHILD, str(path), str(base), mode, str(IMPORT_ROWS))
    child.wait_for(marker)
    time.sleep(delay)
    child.kill()

    # Opened as the app would after a power cut: the quick check runs first on a read-only
    # connection over the dead child's WAL, and the child's lock went with it.
    records, audited = counts(path)
    assert integrity(path) == [("ok",)]
    assert records in (0, IMPORT_ROWS)
    assert audited == records  # the audit entries share the records' fate
    if "committed" in child.lines:
        assert records == IMPORT_ROWS
    if "committing" not in child.lines:
        assert records == 0


# --- killed in the middle of writing a file ----------------------------------------------------
@pytest.fixture
def database_with_big_evidence(tmp_path: Path, catalog: Catalog, make_record: MakeRecord) -> Path:
    """A database whose backup takes a good fraction of a second to write (48 MB scan)."""
    path = tmp_path / "big" / "ctmt.sqlite3"
    new_database(path, catalog)
    scan = tmp_path / "bien-ban.pdf"
    scan.write_bytes(os.urandom(48 << 20))
    database = open_database(path)
    try:
        with database.session() as session:
            record = make_record("training")
            record["evidence"] = [{"path": str(scan)}]
            add_records(session, record_context(session, path), "training", [record])
    finally:
        database.close()
    return path


@pytest.mark.slow
@pytest.mark.parametrize(
    ("marker", "delay"), [("writing", d) for d in (0.05, 0.2, 0.4, 0.6)] + [("written", 0.0)]
)
def test_file_write_killed_at_any_point_leaves_no_partial_file_under_its_name(
    database_with_big_evidence: Path, tmp_path: Path, marker: str, delay: float
) -> None:
    out_folder = tmp_path / "goi"
    final = out_folder / "HaTinh_2025-H1_v1.zip"

    child = Child(PACKAGE_CHILD, str(database_with_big_evidence), str(final))
    child.wait_for(marker)
    time.sleep(delay)
    child.kill()

    visible = [p for p in out_folder.iterdir() if not p.name.startswith(".")]
    assert visible in ([], [final])
    if "written" in child.lines:
        assert final.exists()
    if final.exists():  # then it is whole: every checksum and the database check pass
        work = tmp_path / "check"
        work.mkdir()
        info, copy_path, evidence = verify_backup(final, work)
        assert info.records == 1 and len(evidence) == 1
        assert integrity(copy_path) == [("ok",)]


# --- a damaged file ------------------------------------------------------------------------------
def _damage(path: Path) -> None:
    """Overwrite a few pages in the middle of the file (the schema page stays intact)."""
    page = 4096
    pages = path.stat().st_size // page
    assert pages > 20
    with path.open("r+b") as handle:
        handle.seek((pages // 2) * page)
        handle.write(os.urandom(4 * page))


def _two_thousand_classes(
    path: Path, catalog: Catalog, make_record: MakeRecord, **options: Any
) -> Path:
    """A new database at ``path`` holding 2,000 training classes (enough pages to damage),
    added by ``add_records`` with ``options``."""
    new_database(path, catalog)
    database = open_database(path)
    with database.session() as session:
        items = [make_record("training", title=f"Lớp số {n}") for n in range(2000)]
        add_records(session, record_context(session, path), "training", items, **options)
    database.close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_damaged_file_is_refused_naming_the_newest_good_backup(
    tmp_path: Path, catalog: Catalog, make_record: MakeRecord
) -> None:
    path = _two_thousand_classes(
        tmp_path / "ctmt.sqlite3", catalog, make_record, audit_action="import"
    )
    older = create_backup(path, reason="daily", now=datetime(2026, 3, 1, 8))
    newest = create_backup(path, reason="daily", now=datetime(2026, 3, 2, 8))
    broken = create_backup(path, reason="daily", now=datetime(2026, 3, 3, 8))
    broken.path.write_bytes(broken.path.read_bytes()[:4096])  # a backup cut short is no help
    _damage(path)
    before = _digest(path)

    with pytest.raises(DatabaseDamagedError) as caught:
        open_database(path)

    error = caught.value
    assert isinstance(error, StorageError)
    assert error.backup is not None and error.backup.path == newest.path != older.path
    assert str(path) in str(error) and str(newest.path) in str(error)
    assert "damaged" in str(error) and "2000 records" in str(error)
    assert _digest(path) == before  # nothing written to the damaged file


def test_the_offered_backup_restores_over_the_damaged_file(
    tmp_path: Path, catalog: Catalog, make_record: MakeRecord
) -> None:
    path = _two_thousand_classes(tmp_path / "ctmt.sqlite3", catalog, make_record)
    create_backup(path, reason="daily")
    _damage(path)
    with pytest.raises(DatabaseDamagedError) as caught:
        open_database(path)
    assert caught.value.backup is not None

    restore_backup(caught.value.backup.path, path)  # what the UI offers

    assert counts(path) == (2000, 2000)


def test_a_damaged_file_without_backups_says_so(
    tmp_path: Path, catalog: Catalog, make_record: MakeRecord
) -> None:
    path = _two_thousand_classes(tmp_path / "ctmt.sqlite3", catalog, make_record)
    _damage(path)
    with pytest.raises(DatabaseDamagedError) as caught:
        open_database(path)
    assert caught.value.backup is None and "no backup" in str(caught.value)


# --- one running copy per database ---------------------------------------------------------------
def test_a_second_copy_is_refused_while_the_first_has_the_database_open(
    database: Database,
) -> None:
    refused = Child(OPEN_CHILD, str(database.path), "exclusive")
    assert refused.finish() == 3
    [message] = refused.lines
    assert "already open in another copy of CTMT Desktop" in message
    assert f"pid {os.getpid()} on" in message and str(database.path) in message

    reader = Child(OPEN_CHILD, str(database.path), "shared")  # a short command-line read
    assert reader.finish() == 0 and reader.lines == ["open"]

    database.close()
    after = Child(OPEN_CHILD, str(database.path), "exclusive")
    assert after.finish() == 0 and after.lines == ["open"]


def test_the_lock_of_a_killed_copy_is_gone_with_it(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "ctmt.sqlite3"
    new_database(path, catalog)
    holder = Child(OPEN_CHILD, str(path), "exclusive", "hold")
    holder.wait_for("open")
    with pytest.raises(DatabaseInUseError) as caught:
        open_database(path)
    assert f"pid {holder.process.pid} on" in str(caught.value)

    holder.kill()

    open_database(path).close()
    assert lock_path(path).exists()  # left in place on purpose; it locks nobody out


def test_opens_in_one_process_share_the_lock(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "ctmt.sqlite3"
    new_database(path, catalog)
    window = open_database(path)
    dialog = open_database(path)
    window.close()
    assert Child(OPEN_CHILD, str(path), "exclusive").finish() == 3
    dialog.close()
    dialog.close()  # closing twice is harmless
    assert Child(OPEN_CHILD, str(path), "exclusive").finish() == 0


# --- read-only places ------------------------------------------------------------------------
@pytest.fixture
def shared_temp() -> Iterator[Path]:
    """A folder an ordinary user may enter (pytest's own folders are private to root)."""
    with tempfile.TemporaryDirectory(prefix="ctmt-ro-") as name:
        folder = Path(name)
        folder.chmod(0o755)
        yield folder
        for path in folder.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_folder_or_file_gives_a_clear_error_and_loses_nothing(
    shared_temp: Path, catalog: Catalog, make_record: MakeRecord, what: str
) -> None:
    office = shared_temp / "office"
    office.mkdir()
    path = office / "ctmt.sqlite3"
    new_database(path, catalog)
    database = open_database(path)
    with database.session() as session:
        items = [make_record("training", title=f"Lớp số {n}") for n in range(3)]
        add_records(session, record_context(session, path), "training", items)
    database.close()
    lock_path(path).unlink()
    path.chmod(0o666 if what == "folder" else 0o444)  # only the folder, or only the file
    office.chmod(0o555 if what == "folder" else 0o777)
    warm = shared_temp / "warm"
    warm.mkdir()

    child = Child(READ_ONLY_CHILD, str(path), str(warm / "warm.sqlite3"))
    code = child.finish()

    assert code == 3, child.stderr()
    [message] = child.lines
    assert message.startswith("ReadOnlyStorageError: ")
    place = "the folder of the database" if what == "folder" else "the database file"
    assert f"{place} is read-only, so nothing could be saved" in message
    office.chmod(0o755)
    path.chmod(0o644)
    assert integrity(path) == [("ok",)]
    assert counts(path) == (3, 3)


def test_a_write_refused_by_a_read_only_connection_is_a_read_only_error(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE t (x)")
    uri = f"{path.as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        with pytest.raises(sqlite3.OperationalError) as caught:
            connection.execute("INSERT INTO t VALUES (1)")
    error = storage_error(caught.value, path)
    assert isinstance(error, ReadOnlyStorageError)
    assert "the change was not saved" in str(error)


# --- a full disk -----------------------------------------------------------------------------
def test_a_full_disk_gives_a_clear_error_and_loses_nothing_committed(
    database: Database, make_record: MakeRecord
) -> None:
    with database.session() as session:
        context = record_context(session, database.path)
        kept = add_records(
            session,
            context,
            "training",
            [make_record("training", title=f"Lớp số {n}") for n in range(5)],
        )
    with closing(sqlite3.connect(database.path)) as connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    database.engine.dispose()

    def tiny_disk(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 3}")

    event.listen(database.engine, "connect", tiny_disk)
    items = [make_record("training", title=f"Lớp mới {n}", notes="x" * 2000) for n in range(500)]
    with pytest.raises(DiskFullError) as caught, database.session() as session:
        add_records(session, record_context(session, database.path), "training", items)
    assert "the disk is full" in str(caught.value)
    assert "the change was not saved; everything saved before is safe" in str(caught.value)
    event.remove(database.engine, "connect", tiny_disk)
    database.engine.dispose()

    assert integrity(database.path) == [("ok",)]
    with database.session() as session:
        ids = list(session.scalars(select(Activity.id).order_by(Activity.id)))
        audited = session.scalar(select(func.count()).where(AuditEntry.action == "create"))
    assert ids == kept and audited == 5


def test_disk_full_while_writing_a_file_is_a_disk_full_error(tmp_path: Path) -> None:
    error = storage_error(OSError(errno.ENOSPC, "No space left on device", "/e/ab/cd"), tmp_path)
    assert isinstance(error, DiskFullError) and "/e/ab/cd: the disk is full" in str(error)
    assert storage_error(ValueError("a bug"), tmp_path) is None


# --- a database locked by another program ----------------------------------------------------
def test_a_lock_held_too_long_by_another_program_is_a_busy_error(
    tmp_path: Path, catalog: Catalog, make_record: MakeRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ctmt.sqlite3"
    new_database(path, catalog)
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    database = open_database(path)
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")  # e.g. a database viewer in the middle of a write
            with pytest.raises(DatabaseBusyError) as caught, database.session() as session:
                context = record_context(session, path)
                add_records(session, context, "training", [make_record("training")])
            assert "another program kept the database locked" in str(caught.value)
            other.execute("ROLLBACK")
        with database.session() as session:
            add_records(
                session, record_context(session, path), "training", [make_record("training")]
            )
    finally:
        database.close()
    assert counts(path) == (1, 1)


def test_a_check_begun_early_refuses_a_damaged_file_as_the_opening_does(
    tmp_path: Path, catalog: Catalog, make_record: MakeRecord
) -> None:
    path = _two_thousand_classes(tmp_path / "ctmt.sqlite3", catalog, make_record)
    open_database(path, check=QuickCheck(path)).close()  # a sound file opens with its verdict
    _damage(path)
    before = _digest(path)

    with pytest.raises(DatabaseDamagedError):
        open_database(path, check=QuickCheck(path))
    assert _digest(path) == before


def test_a_file_changed_after_the_early_check_is_checked_again(
    tmp_path: Path, catalog: Catalog, make_record: MakeRecord
) -> None:
    path = _two_thousand_classes(tmp_path / "ctmt.sqlite3", catalog, make_record)
    early = QuickCheck(path)  # the verdict "ok" is for the file as it was
    early.wait(path)
    _damage(path)  # then the file changes under it
    with pytest.raises(DatabaseDamagedError):
        open_database(path, check=early)
    with pytest.raises(DatabaseDamagedError):  # a verdict on another file is not taken either
        QuickCheck(tmp_path / "other.sqlite3").wait(path)
