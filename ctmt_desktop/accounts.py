"""Local accounts, roles and permissions, and logging in.

Several staff share one office PC, so each has an account in the database with one role.
The roles nest: each has every permission of the one before it.

==================================  =====  ========  =====
Permission                          entry  approver  admin
==================================  =====  ========  =====
edit records (add, edit, delete)    yes    yes       yes
import (spreadsheets, demo data)    yes    yes       yes
edit targets (chỉ tiêu)             yes    yes       yes
export (reports, Excel)             yes    yes       yes
make a backup                       yes    yes       yes
view the audit trail                yes    yes       yes
approve a period                           yes       yes
reopen a period                            yes       yes
sign and package a period                  yes       yes
manage accounts                                      yes
settings (agency profile, folders)                   yes
restore a backup                                     yes
install a catalog                                    yes
==================================  =====  ========  =====

- ``entry`` (nhập liệu) keeps the records, targets and imports, and prints reports; targets
  are typed in from the plan decisions, so they are data entry too (every change is audited).
- ``approver`` (lãnh đạo) also approves, reopens, signs and packages a period.
- ``admin`` (quản trị) also manages accounts, the settings (agency profile, backup folders),
  restores backups and installs catalogs.

Services take an optional ``actor`` (:class:`Actor`); when given, they call :func:`require`
before changing anything, which raises :class:`PermissionDeniedError` naming the action and
the roles allowed to do it. Without an actor (older callers, the first-start wizard before
any account exists) the role is not checked.

Passwords are hashed with argon2id (argon2-cffi's :class:`PasswordHasher`, RFC 9106 low-memory
parameters) and rehashed at login when the parameters change. From the
:data:`LOCKOUT_AFTER`-th failed login in a row, each failure locks the account for
``5 s × 2^(n-3)``, at most :data:`LOCKOUT_MAX` (n = failures in a row: 5 s, 10 s, 20 s…);
the core never sleeps, it stores ``locked_until`` and refuses logins until then with
:class:`AccountLockedError`.
Logins, failed logins and every account change are audited.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctmt_desktop import audit
from ctmt_desktop.db.models import UserAccount
from ctmt_desktop.errors import (
    AccountLockedError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    Problem,
    ValidationError,
)
from ctmt_desktop.roles import (  # no database needed; importable from here as before
    PERMISSION_ACTIONS,  # noqa: F401
    ROLE_NAMES_VI,  # noqa: F401
    ROLE_PERMISSIONS,  # noqa: F401
    Actor,
    Permission,
    Role,
    acting_name,
    os_user,  # noqa: F401
    require,
    role_or_none,
    roles_allowed,  # noqa: F401
)
from ctmt_desktop.services import agency
from ctmt_desktop.text import clean_text

PASSWORD_MIN = 8
PASSWORD_MAX = 256
LOCKOUT_AFTER = 3
LOCKOUT_BASE = timedelta(seconds=5)
LOCKOUT_MAX = timedelta(minutes=15)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

#: The hasher every password goes through (argon2id; tests may swap in cheaper parameters).
HASHER = PasswordHasher()
#: A hash to verify against for unknown user names, so they take as long as known ones.
_DUMMY_HASH: str | None = None


# --- accounts as plain data ------------------------------------------------------------------
@dataclass(frozen=True)
class Account:
    """An account as plain data (never the password hash).

    Attributes:
        locked_until: logins are refused until then (None when not locked).
        must_change_password: the next login must set a new password (after a reset).
    """

    id: int
    username: str
    full_name: str
    role: str
    active: bool
    must_change_password: bool
    failed_attempts: int
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    created_by: str
    updated_at: datetime

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.role)


def _account(row: UserAccount) -> Account:
    return Account(
        id=row.id,
        username=row.username,
        full_name=row.full_name,
        role=row.role,
        active=row.active,
        must_change_password=row.must_change_password,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
        last_login_at=row.last_login_at,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
    )


def _public(row: UserAccount) -> dict[str, object]:
    """What the audit trail keeps of an account."""
    return {
        "username": row.username,
        "full_name": row.full_name,
        "role": row.role,
        "active": row.active,
        "must_change_password": row.must_change_password,
    }


# --- checks --------------------------------------------------------------------------------------
def normalise_username(text: str) -> str:
    """A user name as stored: trimmed, lower case; raise ValidationError when not usable.

    2 to 64 characters: unaccented letters, digits, dots, hyphens and underscores, starting
    with a letter or digit (``lan.nguyen``, ``ketoan2``).
    """
    name = unicodedata.normalize("NFC", text).strip().lower()
    if not _USERNAME.match(name):
        raise ValidationError(
            [
                Problem(
                    "username",
                    "invalid_username",
                    "must be 2 to 64 unaccented letters, digits, dots, hyphens or "
                    "underscores, starting with a letter or digit",
                )
            ]
        )
    return name


def check_password_policy(password: str, username: str) -> str:
    """The password as hashed (NFC); raise ValidationError naming what is wrong with it.

    At least :data:`PASSWORD_MIN` characters, at most :data:`PASSWORD_MAX`, not the user
    name. Vietnamese input methods type the same letters in different Unicode forms, so the
    password is normalised to NFC before hashing and checking.
    """
    text = unicodedata.normalize("NFC", password)
    problems = []
    if len(text) < PASSWORD_MIN:
        problems.append(
            Problem(
                "password",
                "too_short",
                f"must have at least {PASSWORD_MIN} characters",
                {"min": PASSWORD_MIN},
            )
        )
    elif len(text) > PASSWORD_MAX:
        problems.append(
            Problem(
                "password",
                "too_long",
                f"must have at most {PASSWORD_MAX} characters",
                {"max": PASSWORD_MAX},
            )
        )
    if text.strip().casefold() == username.strip().casefold():
        problems.append(Problem("password", "same_as_username", "must not be the user name"))
    if problems:
        raise ValidationError(problems)
    return text


def hash_password(password: str) -> str:
    """The argon2id hash (PHC string) of an NFC-normalised password."""
    return HASHER.hash(unicodedata.normalize("NFC", password))


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash, unicodedata.normalize("NFC", password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = HASHER.hash("not a password of anyone")
    return _DUMMY_HASH


def lockout_delay(failures: int) -> timedelta:
    """How long an account stays locked after its ``failures``-th failed login in a row."""
    if failures < LOCKOUT_AFTER:
        return timedelta(0)
    exponent = min(failures - LOCKOUT_AFTER, 20)  # 5 s × 2^20 is far past the cap
    return min(LOCKOUT_BASE * (2**exponent), LOCKOUT_MAX)


def _wait_text(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    text = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{text} {rest} second{'s' if rest != 1 else ''}" if rest else text


# --- reading -------------------------------------------------------------------------------------
def has_accounts(session: Session) -> bool:
    """True once any account exists (then the app asks for a login at start)."""
    return agency.has_accounts(session)


def list_accounts(session: Session) -> list[Account]:
    """Every account, by user name."""
    return [_account(r) for r in session.scalars(select(UserAccount).order_by("username"))]


def get_account(session: Session, username: str) -> Account:
    """The account named ``username`` (NotFoundError when there is none)."""
    return _account(_row(session, username))


def actor_for(session: Session, username: str) -> Actor:
    """The actor of an active account, without a password (the command line's ``--user``).

    Raises NotFoundError for an unknown name and AuthenticationError for a deactivated
    account. Whoever can run ``ctmt`` on the PC can read the file anyway; the desktop app
    logs in with :func:`authenticate`.
    """
    row = _row(session, username)
    if not row.active:
        raise AuthenticationError(f"the account '{row.username}' is deactivated")
    return Actor(row.username, row.role)


def _row(session: Session, username: str) -> UserAccount:
    name = unicodedata.normalize("NFC", username).strip().lower()
    row = session.scalars(select(UserAccount).where(UserAccount.username == name)).first()
    if row is None:
        raise NotFoundError(f"no account named '{name}'")
    return row


# --- account management --------------------------------------------------------------------------
def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    role: Role | str = Role.ENTRY,
    full_name: str = "",
    actor: Actor | None = None,
    must_change_password: bool = False,
    now: datetime | None = None,
) -> Account:
    """Create an account; return it.

    The first account of a database is made without an actor (the first-start wizard) and
    must be an admin; every later one needs an actor allowed to manage accounts.

    Raises:
        ValidationError: a bad user name, role or password, or a name already taken.
        PermissionDeniedError: no actor (once accounts exist), or one without the right.
    """
    first = not has_accounts(session)
    if actor is not None:
        require(actor, Permission.MANAGE_ACCOUNTS)
    elif not first:
        raise PermissionDeniedError(
            "creating an account needs an administrator to log in first",
            username="",
            role="",
            permission=Permission.MANAGE_ACCOUNTS.value,
            roles_allowed=[Role.ADMIN.value],
        )
    name = normalise_username(username)
    wanted_role = _check_role(role)
    if first and wanted_role is not Role.ADMIN:
        raise ValidationError(
            [Problem("role", "first_account_admin", "the first account must be an admin")]
        )
    text = check_password_policy(password, name)
    if session.scalars(select(UserAccount.id).where(UserAccount.username == name)).first():
        raise ValidationError(
            [Problem("username", "taken", f"an account named '{name}' already exists")]
        )
    moment = now or datetime.now()
    creator = acting_name(actor, name if first else None)
    row = UserAccount(
        username=name,
        full_name=clean_text(full_name),
        role=wanted_role.value,
        password_hash=hash_password(text),
        active=True,
        failed_attempts=0,
        must_change_password=must_change_password,
        created_at=moment,
        created_by=creator,
        updated_at=moment,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor if actor is not None else creator,
        "account_create",
        kind="account",
        entity_id=name,
        summary=f"account '{name}' created with the {wanted_role.value} role",
        after=_public(row),
        at=moment,
    )
    return _account(row)


def _check_role(role: Role | str) -> Role:
    found = role_or_none(str(role))
    if found is None:
        raise ValidationError(
            [
                Problem(
                    "role",
                    "unknown_role",
                    f"'{role}' is not a role: use entry, approver or admin",
                )
            ]
        )
    return found


def _active_admins(session: Session) -> int:
    statement = (
        select(func.count())
        .select_from(UserAccount)
        .where(UserAccount.role == Role.ADMIN.value, UserAccount.active.is_(True))
    )
    return int(session.scalar(statement) or 0)


def _keep_an_admin(session: Session, row: UserAccount) -> None:
    if row.role == Role.ADMIN.value and row.active and _active_admins(session) <= 1:
        raise ValidationError(
            [
                Problem(
                    "role",
                    "last_admin",
                    f"'{row.username}' is the only active admin; make another admin first",
                )
            ]
        )


def set_role(
    session: Session, actor: Actor, username: str, role: Role | str, *, now: datetime | None = None
) -> Account:
    """Give an account another role (admin only; the last active admin keeps the role)."""
    require(actor, Permission.MANAGE_ACCOUNTS)
    row = _row(session, username)
    wanted = _check_role(role)
    if wanted.value == row.role:
        return _account(row)
    _keep_an_admin(session, row)
    before = _public(row)
    row.role = wanted.value
    row.updated_at = now or datetime.now()
    session.flush()
    _audit_update(
        session,
        actor,
        row,
        before,
        f"account '{row.username}': role {before['role']} → {wanted.value}",
    )
    return _account(row)


def _audit_update(
    session: Session, actor: Actor, row: UserAccount, before: dict[str, object], summary: str
) -> None:
    """One ``account_update`` audit entry: the account before and after the change."""
    audit.record(
        session,
        actor,
        "account_update",
        kind="account",
        entity_id=row.username,
        summary=summary,
        before=before,
        after=_public(row),
        at=row.updated_at,
    )


def set_active(
    session: Session, actor: Actor, username: str, active: bool, *, now: datetime | None = None
) -> Account:
    """Deactivate (no more logins; the name stays in the audit trail) or reactivate an
    account. Admins only; nobody deactivates their own account or the last active admin."""
    require(actor, Permission.MANAGE_ACCOUNTS)
    row = _row(session, username)
    if row.active == active:
        return _account(row)
    if not active:
        if row.username == actor.username:
            raise ValidationError(
                [Problem("active", "own_account", "you cannot deactivate your own account")]
            )
        _keep_an_admin(session, row)
    before = _public(row)
    row.active = active
    row.updated_at = now or datetime.now()
    if active:
        row.failed_attempts = 0
        row.locked_until = None
    session.flush()
    _audit_update(
        session,
        actor,
        row,
        before,
        f"account '{row.username}' {'reactivated' if active else 'deactivated'}",
    )
    return _account(row)


def deactivate(
    session: Session, actor: Actor, username: str, *, now: datetime | None = None
) -> Account:
    """Deactivate an account (see :func:`set_active`)."""
    return set_active(session, actor, username, False, now=now)


def set_full_name(
    session: Session, actor: Actor, username: str, full_name: str, *, now: datetime | None = None
) -> Account:
    """Change an account's full name (an admin, or the account's own user)."""
    row = _row(session, username)
    if row.username != actor.username:
        require(actor, Permission.MANAGE_ACCOUNTS)
    before = _public(row)
    row.full_name = clean_text(full_name)
    row.updated_at = now or datetime.now()
    session.flush()
    _audit_update(session, actor, row, before, f"account '{row.username}': full name changed")
    return _account(row)


# --- passwords and logins ------------------------------------------------------------------------
def authenticate(
    session: Session, username: str, password: str, *, now: datetime | None = None
) -> Account:
    """Log in: return the account (``account.actor`` for the services) or raise.

    A successful login resets the failure count, rehashes the password when the hashing
    parameters changed, and is audited (``login``). A failed one is audited
    (``login_failed``) and, from the :data:`LOCKOUT_AFTER`-th failure in a row, locks the
    account for a growing time. The failure is **committed before the error is raised**, so
    the count survives the caller's rollback. The caller must check
    ``account.must_change_password`` and ask for a new password (:func:`change_password`).

    Raises:
        AccountLockedError: the account is locked now (``seconds_left`` says how long), or
            this failure locked it.
        AuthenticationError: wrong user name or password, or a deactivated account.
    """
    moment = now or datetime.now()
    name = unicodedata.normalize("NFC", username).strip().lower()
    row = session.scalars(select(UserAccount).where(UserAccount.username == name)).first()
    if row is None:
        _verify(_dummy_hash(), password)  # as slow as a real check: names do not leak
        _failed(session, name, "unknown user name", moment)
        raise AuthenticationError("wrong user name or password")
    if row.locked_until is not None and moment < row.locked_until:
        seconds = max(1, math.ceil((row.locked_until - moment).total_seconds()))
        _failed(session, name, "account locked", moment, attempts=row.failed_attempts)
        raise AccountLockedError(
            f"too many failed logins for '{name}': try again in {_wait_text(seconds)}",
            username=name,
            until=row.locked_until,
            seconds_left=seconds,
        )
    if not _verify(row.password_hash, password):
        row.failed_attempts += 1
        row.last_failed_at = moment
        delay = lockout_delay(row.failed_attempts)
        row.locked_until = moment + delay if delay else None
        _failed(session, name, "wrong password", moment, attempts=row.failed_attempts, row=row)
        if delay:
            seconds = math.ceil(delay.total_seconds())
            raise AccountLockedError(
                f"wrong user name or password; after {row.failed_attempts} failed logins "
                f"'{name}' must wait {_wait_text(seconds)} before the next try",
                username=name,
                until=row.locked_until,
                seconds_left=seconds,
            )
        raise AuthenticationError("wrong user name or password")
    if not row.active:
        _failed(session, name, "account deactivated", moment)
        raise AuthenticationError(f"the account '{name}' is deactivated; ask an administrator")
    rehashed = HASHER.check_needs_rehash(row.password_hash)
    if rehashed:
        row.password_hash = hash_password(password)
    row.failed_attempts = 0
    row.locked_until = None
    row.last_login_at = moment
    session.flush()
    audit.record(
        session,
        Actor(row.username, row.role),
        "login",
        kind="account",
        entity_id=name,
        summary=f"'{name}' logged in" + (" (password rehashed)" if rehashed else ""),
        at=moment,
    )
    return _account(row)


def _failed(
    session: Session,
    name: str,
    reason: str,
    moment: datetime,
    *,
    attempts: int | None = None,
    row: UserAccount | None = None,
) -> None:
    after: dict[str, object] = {"reason": reason}
    if attempts is not None:
        after["failed_attempts"] = attempts
    if row is not None and row.locked_until is not None:
        after["locked_until"] = row.locked_until
    session.flush()
    audit.record(
        session,
        name or "?",
        "login_failed",
        kind="account",
        entity_id=name or None,
        summary=f"failed login for '{name}': {reason}",
        after=after,
        at=moment,
    )
    session.commit()  # the caller's unit of work rolls back when we raise


def logout(session: Session, actor: Actor, *, now: datetime | None = None) -> None:
    """Record that ``actor`` logged out."""
    audit.record(
        session,
        actor,
        "logout",
        kind="account",
        entity_id=actor.username,
        summary=f"'{actor.username}' logged out",
        at=now,
    )


def change_password(
    session: Session,
    user: Actor | str,
    old_password: str,
    new_password: str,
    *,
    now: datetime | None = None,
) -> Account:
    """Change one's own password; the old one must be given. Clears must_change_password.

    Raises:
        AuthenticationError: the old password is wrong.
        ValidationError: the new password breaks the policy or equals the old one.
    """
    username = user.username if isinstance(user, Actor) else user
    row = _row(session, username)
    if not _verify(row.password_hash, old_password):
        raise AuthenticationError("the current password is wrong")
    text = check_password_policy(new_password, row.username)
    if text == unicodedata.normalize("NFC", old_password):
        raise ValidationError(
            [Problem("password", "unchanged", "must differ from the current password")]
        )
    before = _public(row)
    row.password_hash = hash_password(text)
    row.must_change_password = False
    row.updated_at = now or datetime.now()
    session.flush()
    audit.record(
        session,
        user if isinstance(user, Actor) else row.username,
        "password_change",
        kind="account",
        entity_id=row.username,
        summary=f"'{row.username}' changed the password",
        before=before,
        after=_public(row),
        at=row.updated_at,
    )
    return _account(row)


def reset_password(
    session: Session,
    actor: Actor,
    username: str,
    new_password: str,
    *,
    now: datetime | None = None,
) -> Account:
    """Set a new password for someone who forgot theirs (admins only).

    The account must change it at its next login, and any lock-out is lifted.
    """
    require(actor, Permission.MANAGE_ACCOUNTS)
    row = _row(session, username)
    text = check_password_policy(new_password, row.username)
    before = _public(row)
    row.password_hash = hash_password(text)
    row.must_change_password = True
    row.failed_attempts = 0
    row.locked_until = None
    row.updated_at = now or datetime.now()
    session.flush()
    audit.record(
        session,
        actor,
        "password_reset",
        kind="account",
        entity_id=row.username,
        summary=f"password of '{row.username}' reset by '{actor.username}'",
        before=before,
        after=_public(row),
        at=row.updated_at,
    )
    return _account(row)
