"""One running copy of CTMT Desktop per database file: an OS-level lock on ``<db>.lock``.

:func:`acquire` takes an exclusive, non-blocking lock on the file ``<database>.lock`` beside
the database (``fcntl.flock`` on Linux and macOS, ``msvcrt.locking`` on Windows) and writes
``pid N on HOST`` into it so a second copy can say who holds it. The operating system drops
the lock when the process ends in any way (a crash, SIGKILL, a power cut), so a stale lock
never keeps anyone out and nothing has to be cleaned up.

Within one process the lock is shared: opening the same database twice (the app's lane and
a dialog, or a test and the code under test) counts references, and the lock goes when the
last holder releases it. The lock file itself is left in place on purpose: deleting it
while another process waits to open it would let two copies lock two different files.

The lock only keeps out other copies of the app; SQLite's own locking still coordinates
every connection. ``open_database(path, exclusive=False)`` skips it, for short command-line
reads that may run while the app is open.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ctmt_desktop.errors import DatabaseInUseError, ReadOnlyStorageError, StorageError

#: Windows locks a byte range and refuses reads of it, so the lock sits past the holder text.
_LOCK_OFFSET = 4096
_HOLDER_MAX = 200


def lock_path(db_path: Path) -> Path:
    """The lock file of a database: ``<name>.lock`` beside it."""
    return db_path.with_name(db_path.name + ".lock")


@dataclass
class DatabaseLock:
    """A held single-instance lock (one per lock file per process).

    Attributes:
        path: the lock file.
        holders: how many opens in this process share it.
    """

    path: Path
    fd: int = field(repr=False)
    holders: int = 1

    def release(self) -> None:
        """Give up one share; the last one unlocks and closes the file."""
        with _registry_guard:
            self.holders -= 1
            if self.holders > 0:
                return
            _registry.pop(_key(self.path), None)
            try:
                _unlock(self.fd)
            finally:
                os.close(self.fd)


_registry: dict[str, DatabaseLock] = {}
_registry_guard = threading.Lock()


def _key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def acquire(db_path: Path) -> DatabaseLock:
    """Take the single-instance lock of ``db_path`` (shared with other opens in this process).

    Raises:
        DatabaseInUseError: another process holds it.
        ReadOnlyStorageError: the lock file cannot be created (a read-only folder).
        StorageError: any other failure of the file system.
    """
    path = lock_path(Path(db_path))
    with _registry_guard:
        held = _registry.get(_key(path))
        if held is not None:
            held.holders += 1
            return held
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise ReadOnlyStorageError(
                    f"{db_path.parent}: the folder of the database is read-only, so nothing "
                    "could be saved there; move the database to a folder you can write to"
                ) from exc
            raise StorageError(f"{path}: cannot create the lock file ({exc.strerror})") from exc
        try:
            try:
                locked = _try_lock(fd)
            except OSError as exc:
                raise StorageError(f"{path}: cannot lock the database ({exc.strerror})") from exc
            if not locked:
                raise DatabaseInUseError(db_path, _read_holder(fd))
            _write_holder(fd)
        except BaseException:
            os.close(fd)
            raise
        lock = DatabaseLock(path, fd)
        _registry[_key(path)] = lock
        return lock


@contextmanager
def locked(db_path: Path) -> Iterator[DatabaseLock]:
    """Hold the single-instance lock of ``db_path`` for the block (a restore, say)."""
    lock = acquire(db_path)
    try:
        yield lock
    finally:
        lock.release()


def holder_of(db_path: Path) -> str:
    """What the lock file of ``db_path`` says about its holder (``""`` if nothing)."""
    try:
        fd = os.open(lock_path(Path(db_path)), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return ""
    try:
        return _read_holder(fd)
    finally:
        os.close(fd)


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, _HOLDER_MAX, 0) if hasattr(os, "pread") else _read_start(fd)
    except OSError:
        return ""
    return text.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def _read_start(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, _HOLDER_MAX)


def _write_holder(fd: int) -> None:
    text = f"pid {os.getpid()} on {socket.gethostname()}".encode()[:_HOLDER_MAX]
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, text.ljust(_HOLDER_MAX, b"\0"))
    except OSError:
        pass  # the holder text only improves the message of a second copy


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
