"""Typed errors the services raise. The UI turns them into translated messages, the command
line into exit codes and one line per problem on stderr."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


class CtmtError(Exception):
    """Base of every error the core raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    Attributes:
        field: the field it concerns (``places``, ``participants_female``…), or ``""``.
        code: a stable identifier (``required``, ``too_large``, ``part_above_total``…) the UI
            uses to pick a translated message.
        message: an English sentence naming the field and the problem.
        params: values for the translated message.
        warning: True for problems the caller may override (a likely duplicate).
        row: the position of the record in a batch (0-based), when it came from one.
    """

    field: str
    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    warning: bool = False
    row: int | None = None

    def __str__(self) -> str:
        where = f"record {self.row + 1}: " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}" if self.field else f"{where}{self.message}"


class ValidationError(CtmtError):
    """Input rejected; ``problems`` lists every reason, each naming its field."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @property
    def only_warnings(self) -> bool:
        return all(p.warning for p in self.problems)


class NotFoundError(CtmtError):
    """No record, profile or file with that identifier."""


class StorageError(CtmtError):
    """The user's environment failed us: file unreadable, disk full, locked, read-only."""


class ConfigurationError(CtmtError):
    """The database lacks something it needs (no agency profile yet…)."""


class DatabaseDamagedError(StorageError):
    """The database file fails SQLite's check (or is not a database at all).

    Attributes:
        path: the damaged file.
        detail: what SQLite reported.
        backup: the newest readable backup of this database (a
            :class:`ctmt_desktop.backup.BackupInfo`), or None when there is none; the UI
            offers to restore it.
    """

    def __init__(self, path: Any, detail: str, backup: Any = None) -> None:
        self.path = path
        self.detail = detail
        self.backup = backup
        if backup is not None:
            offer = (
                f"the newest backup is {backup.path} "
                f"(made {backup.created:%d/%m/%Y %H:%M}, {backup.records} records); "
                "restore it to go on working"
            )
        else:
            offer = "no backup of it was found; ask for help before changing the file"
        super().__init__(f"{path}: the database file is damaged ({detail}); {offer}")


class DatabaseInUseError(StorageError):
    """Another running copy of CTMT Desktop has the database open.

    Attributes:
        path: the database file.
        holder: what the other copy wrote in the lock file (``pid 1234 on PC-NAME``), or
            ``""`` when it could not be read.
    """

    def __init__(self, path: Any, holder: str = "") -> None:
        self.path = path
        self.holder = holder
        which = f" ({holder})" if holder else ""
        super().__init__(
            f"{path}: the database is already open in another copy of CTMT Desktop{which}; "
            "close that copy first, or keep working in it"
        )


class DatabaseBusyError(StorageError):
    """SQLite waited in vain for another program's lock on the file; nothing was saved."""


class DiskFullError(StorageError):
    """The disk (or the database's size limit) is full; the change was rolled back."""


class ReadOnlyStorageError(StorageError):
    """The database file or its folder cannot be written; the change was rolled back."""


class PermissionDeniedError(CtmtError):
    """The user's role does not allow the action.

    Attributes:
        username: who tried.
        role: their role.
        permission: the permission needed (a :class:`ctmt_desktop.accounts.Permission`).
        roles_allowed: the roles that have it.
    """

    def __init__(
        self, message: str, *, username: str, role: str, permission: str, roles_allowed: list[str]
    ) -> None:
        self.username = username
        self.role = role
        self.permission = permission
        self.roles_allowed = roles_allowed
        super().__init__(message)


class AuthenticationError(CtmtError):
    """A login or password check failed (wrong user name or password, deactivated account)."""


class AccountLockedError(AuthenticationError):
    """Too many failed logins: the account refuses logins until ``until``.

    Attributes:
        username: the account.
        until: when logins are allowed again.
        seconds_left: whole seconds from the attempt to ``until`` (at least 1).
    """

    def __init__(self, message: str, *, username: str, until: Any, seconds_left: int) -> None:
        self.username = username
        self.until = until
        self.seconds_left = seconds_left
        super().__init__(message)


class PeriodLockedError(CtmtError):
    """A record starting in a frozen period cannot be added, changed or deleted.

    A period is frozen once it is approved (and locked once its submission package is
    made), until an approver reopens it with a written reason.

    Attributes:
        period: the frozen period's code (``2024-H1``).
        day: the record's start date that falls in it.
        locked_at: when its package locked it (None when no package was made).
        approved_by, approved_at: who approved it and when (None when unknown).
    """

    def __init__(
        self,
        period: str,
        day: Any,
        locked_at: Any = None,
        *,
        approved_by: str | None = None,
        approved_at: Any = None,
    ) -> None:
        self.period = period
        self.day = day
        self.locked_at = locked_at
        self.approved_by = approved_by
        self.approved_at = approved_at
        if locked_at:
            state = f"is locked since its package was made on {locked_at:%d/%m/%Y %H:%M}"
        elif approved_at:
            by = f" by {approved_by}" if approved_by else ""
            state = f"was approved{by} on {approved_at:%d/%m/%Y %H:%M}"
        else:
            state = "is locked"
        super().__init__(
            f"the period {period} {state}: records starting on {day:%d/%m/%Y} cannot "
            f"be added, changed or deleted; an approver must reopen the period with a reason "
            f"first (ctmt reopen --period {period} --reason TEXT)"
        )
