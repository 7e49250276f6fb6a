"""Roles and permissions, and who is acting: the part of :mod:`ctmt_desktop.accounts` that
needs no database, so that a service can check a role without importing the ORM (the record
services write through plain SQLite; see :mod:`ctmt_desktop.services.records`).

Every name here is importable from :mod:`ctmt_desktop.accounts` too.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from enum import StrEnum

from ctmt_desktop.errors import PermissionDeniedError


class Role(StrEnum):
    """The three roles, weakest first."""

    ENTRY = "entry"
    APPROVER = "approver"
    ADMIN = "admin"


#: Vietnamese names of the roles, as the department calls them.
ROLE_NAMES_VI = {Role.ENTRY: "Nhập liệu", Role.APPROVER: "Lãnh đạo", Role.ADMIN: "Quản trị"}


class Permission(StrEnum):
    """What a service may check before it acts."""

    EDIT_RECORDS = "edit_records"
    IMPORT = "import"
    EDIT_TARGETS = "edit_targets"
    EXPORT = "export"
    BACKUP = "backup"
    VIEW_AUDIT = "view_audit"
    APPROVE = "approve"
    REOPEN = "reopen"
    SIGN = "sign"
    MANAGE_ACCOUNTS = "manage_accounts"
    SETTINGS = "settings"
    RESTORE = "restore"
    INSTALL_CATALOG = "install_catalog"


_ENTRY = frozenset(
    {
        Permission.EDIT_RECORDS,
        Permission.IMPORT,
        Permission.EDIT_TARGETS,
        Permission.EXPORT,
        Permission.BACKUP,
        Permission.VIEW_AUDIT,
    }
)
_APPROVER = _ENTRY | {Permission.APPROVE, Permission.REOPEN, Permission.SIGN}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ENTRY: _ENTRY,
    Role.APPROVER: frozenset(_APPROVER),
    Role.ADMIN: frozenset(Permission),
}

#: The action each permission allows, for messages ("approving a period needs …").
PERMISSION_ACTIONS: dict[Permission, str] = {
    Permission.EDIT_RECORDS: "changing records",
    Permission.IMPORT: "importing records",
    Permission.EDIT_TARGETS: "changing targets",
    Permission.EXPORT: "exporting reports",
    Permission.BACKUP: "making a backup",
    Permission.VIEW_AUDIT: "viewing the audit trail",
    Permission.APPROVE: "approving a period",
    Permission.REOPEN: "reopening a period",
    Permission.SIGN: "signing and packaging a period",
    Permission.MANAGE_ACCOUNTS: "managing accounts",
    Permission.SETTINGS: "changing the settings",
    Permission.RESTORE: "restoring a backup",
    Permission.INSTALL_CATALOG: "installing a catalog",
}


# --- actors and permissions --------------------------------------------------------------------
@dataclass(frozen=True)
class Actor:
    """Who is acting, and with which role (what services get to check permissions).

    Attributes:
        username: the account's user name.
        role: ``entry``, ``approver`` or ``admin``.
    """

    username: str
    role: str

    def can(self, permission: Permission | str) -> bool:
        """True when the role has ``permission``."""
        role = role_or_none(self.role)
        return role is not None and Permission(permission) in ROLE_PERMISSIONS[role]


def roles_allowed(permission: Permission | str) -> list[Role]:
    """The roles that have ``permission``, weakest first."""
    wanted = Permission(permission)
    return [role for role in Role if wanted in ROLE_PERMISSIONS[role]]


def require(actor: Actor, permission: Permission | str) -> None:
    """Raise :class:`PermissionDeniedError` unless ``actor``'s role has ``permission``."""
    if actor.can(permission):
        return
    wanted = Permission(permission)
    allowed = roles_allowed(wanted)
    names = " or ".join(f"{role.value} ({ROLE_NAMES_VI[role]})" for role in allowed)
    raise PermissionDeniedError(
        f"{PERMISSION_ACTIONS[wanted]} needs the {names} role; "
        f"'{actor.username}' has the {actor.role} role",
        username=actor.username,
        role=actor.role,
        permission=wanted.value,
        roles_allowed=[role.value for role in allowed],
    )


def role_or_none(text: str) -> Role | None:
    try:
        return Role(text)
    except ValueError:
        return None


def os_user() -> str:
    """The operating system's login name (who acts when no account is given)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some services, containers)
        return "unknown"


def acting_name(actor: Actor | None, user: str | None = None) -> str:
    """The name to record as acting: the actor's, else ``user``, else the OS login name."""
    if actor is not None:
        return actor.username
    return user or os_user()
