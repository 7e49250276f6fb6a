"""Accounts: argon2id hashes, logins with growing lock-outs, password changes and resets, and
roles checked by the services themselves."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from ctmt_desktop import accounts, audit
from ctmt_desktop.accounts import (
    ROLE_PERMISSIONS,
    Actor,
    Permission,
    Role,
    authenticate,
    change_password,
    create_user,
    deactivate,
    get_account,
    lockout_delay,
    require,
    reset_password,
    set_active,
    set_role,
)
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.db.models import AuditEntry, UserAccount
from ctmt_desktop.errors import (
    AccountLockedError,
    AuthenticationError,
    PermissionDeniedError,
    ValidationError,
)
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import (
    add_record,
    delete_record,
    get_record,
    record_context,
    update_record,
)
from ctmt_desktop.services.targets import TargetData, delete_target, set_target

T0 = datetime(2026, 3, 2, 8, 0, 0)
MakeRecord = Callable[..., dict[str, Any]]
ADMIN_PASSWORD = "Quan-tri-2026"
LAN_PASSWORD = "Nhap-lieu-2026"


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still argon2id, with cheap parameters: lock-out tests log in many times."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
    monkeypatch.setattr(accounts, "_DUMMY_HASH", None)


@pytest.fixture
def office(database: Database, fast_hashing: None) -> Iterator[Database]:
    """A database with an admin (``admin``), an approver (``hoa``) and an entry user
    (``lan``)."""
    with database.session() as session:
        create_user(session, "admin", ADMIN_PASSWORD, role="admin", now=T0)
        boss = Actor("admin", "admin")
        create_user(session, "hoa", "Lanh-dao-2026", role="approver", actor=boss, now=T0)
        create_user(session, "lan", LAN_PASSWORD, role="entry", actor=boss, now=T0)
    yield database


def login(database: Database, username: str, password: str, at: datetime) -> accounts.Account:
    with database.session() as session:
        return authenticate(session, username, password, now=at)


def failed_login(database: Database, username: str, password: str, at: datetime) -> Exception:
    with pytest.raises(AuthenticationError) as caught:
        login(database, username, password, at)
    return caught.value


def entries(database: Database, **filters: Any) -> list[AuditEntry]:
    with database.session() as session:
        return audit.list_entries(session, **filters)


# --- hashing ---------------------------------------------------------------------------------
def test_passwords_are_stored_only_as_argon2id_hashes(database: Database) -> None:
    with database.session() as session:
        create_user(session, "admin", ADMIN_PASSWORD, role="admin", full_name="Trần Văn An")
    with database.session() as session:
        stored = session.scalars(select(UserAccount.password_hash)).one()
        trail = [audit.entry_to_dict(e) for e in audit.list_entries(session)]
    assert stored.startswith("$argon2id$v=19$")
    assert ADMIN_PASSWORD not in stored
    assert ADMIN_PASSWORD not in repr(trail) and stored not in repr(trail)
    account = login(database, "admin", ADMIN_PASSWORD, T0)
    assert account.actor == Actor("admin", "admin")


def test_password_is_rehashed_at_login_when_the_parameters_change(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "HASHER", weak)
    with database.session() as session:
        create_user(session, "admin", ADMIN_PASSWORD, role="admin")
        old_hash = session.scalars(select(UserAccount.password_hash)).one()
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher())

    login(database, "admin", ADMIN_PASSWORD, T0)

    with database.session() as session:
        new_hash = session.scalars(select(UserAccount.password_hash)).one()
    assert new_hash != old_hash and PasswordHasher().check_needs_rehash(new_hash) is False
    assert "m=1024" in old_hash and "m=65536" in new_hash
    assert login(database, "admin", ADMIN_PASSWORD, T0).username == "admin"


def test_password_typed_in_another_unicode_form_still_matches(
    database: Database, fast_hashing: None
) -> None:
    password = unicodedata.normalize("NFC", "mật khẩu của tôi")
    with database.session() as session:
        create_user(session, "admin", password, role="admin")
    decomposed = unicodedata.normalize("NFD", password)
    assert decomposed != password
    assert login(database, "admin", decomposed, T0).role == "admin"


# --- logging in ------------------------------------------------------------------------------
def test_login_with_the_right_password_gives_the_actor_and_is_audited(office: Database) -> None:
    account = login(office, "  LAN ", LAN_PASSWORD, T0)
    assert account.actor == Actor("lan", "entry")
    assert account.last_login_at == T0 and account.failed_attempts == 0
    [entry] = entries(office, action="login")
    assert (entry.username, entry.role, entry.entity_id) == ("lan", "entry", "lan")


def test_wrong_password_and_unknown_user_are_refused_alike_and_audited(office: Database) -> None:
    wrong = failed_login(office, "lan", "not-her-password", T0)
    unknown = failed_login(office, "ghost", "whatever-it-is", T0)
    assert str(wrong) == str(unknown) == "wrong user name or password"
    failures = entries(office, action="login_failed")
    assert [(e.entity_id, e.after["reason"]) for e in reversed(failures)] == [
        ("lan", "wrong password"),
        ("ghost", "unknown user name"),
    ]
    # The count survived the rollback of the unit of work that raised.
    with office.session() as session:
        assert get_account(session, "lan").failed_attempts == 1


def test_failed_logins_lock_the_account_for_growing_times(office: Database) -> None:
    now = T0
    for _ in range(2):  # two free mistakes
        error = failed_login(office, "lan", "wrong-password", now)
        assert not isinstance(error, AccountLockedError)
    expected = [5, 10, 20, 40, 80, 160, 320, 640, 900, 900]
    for attempt, seconds in enumerate(expected, start=3):
        error = failed_login(office, "lan", "wrong-password", now)
        assert isinstance(error, AccountLockedError), attempt
        assert error.seconds_left == seconds
        assert error.until == now + timedelta(seconds=seconds)
        # During the lock even the right password is refused, saying how long to wait.
        halfway = now + timedelta(seconds=seconds // 2)
        locked = failed_login(office, "lan", LAN_PASSWORD, halfway)
        assert isinstance(locked, AccountLockedError)
        assert locked.seconds_left == seconds - seconds // 2
        assert "try again in" in str(locked)
        now += timedelta(seconds=seconds)
    with office.session() as session:
        assert get_account(session, "lan").failed_attempts == 12

    account = login(office, "lan", LAN_PASSWORD, now)

    assert account.failed_attempts == 0 and account.locked_until is None


def test_lockout_message_says_how_long_in_minutes() -> None:
    assert lockout_delay(2) == timedelta(0)
    assert lockout_delay(3) == timedelta(seconds=5)
    assert lockout_delay(9) == timedelta(seconds=320)
    assert lockout_delay(50) == timedelta(minutes=15)
    assert accounts._wait_text(320) == "5 minutes 20 seconds"
    assert accounts._wait_text(1) == "1 second"


def test_deactivated_account_cannot_log_in(office: Database) -> None:
    with office.session() as session:
        deactivate(session, Actor("admin", "admin"), "lan")
    error = failed_login(office, "lan", LAN_PASSWORD, T0)
    assert "deactivated" in str(error)


# --- passwords -------------------------------------------------------------------------------
def test_password_policy_names_each_problem(database: Database, fast_hashing: None) -> None:
    with pytest.raises(ValidationError) as short, database.session() as session:
        create_user(session, "admin", "abc123", role="admin")
    assert [p.code for p in short.value.problems] == ["too_short"]
    with pytest.raises(ValidationError) as same, database.session() as session:
        create_user(session, "nguyenvana", "NguyenVanA", role="admin")
    assert [p.code for p in same.value.problems] == ["same_as_username"]
    with pytest.raises(ValidationError) as name, database.session() as session:
        create_user(session, "Nguyễn Văn A", "mat-khau-dai", role="admin")
    assert [p.field for p in name.value.problems] == ["username"]


def test_change_password_needs_the_old_one(office: Database) -> None:
    lan = Actor("lan", "entry")
    with pytest.raises(AuthenticationError), office.session() as session:
        change_password(session, lan, "not-the-old-one", "Mat-khau-moi-1")
    with pytest.raises(ValidationError), office.session() as session:
        change_password(session, lan, LAN_PASSWORD, LAN_PASSWORD)
    with office.session() as session:
        change_password(session, lan, LAN_PASSWORD, "Mat-khau-moi-1")
    failed_login(office, "lan", LAN_PASSWORD, T0)
    assert login(office, "lan", "Mat-khau-moi-1", T0).username == "lan"


def test_admin_reset_forces_a_new_password_and_lifts_the_lock(office: Database) -> None:
    for _ in range(4):
        failed_login(office, "lan", "wrong-password", T0)
    with office.session() as session:
        reset_password(session, Actor("admin", "admin"), "lan", "Tam-thoi-2026")
    account = login(office, "lan", "Tam-thoi-2026", T0)
    assert account.must_change_password
    with office.session() as session:
        change_password(session, account.actor, "Tam-thoi-2026", "Cua-rieng-lan-1")
    assert not login(office, "lan", "Cua-rieng-lan-1", T0).must_change_password


# --- roles ---------------------------------------------------------------------------------------
ENTRY = Actor("lan", "entry")
APPROVER = Actor("hoa", "approver")
ADMIN = Actor("admin", "admin")


def test_role_table_nests_entry_in_approver_in_admin() -> None:
    assert ROLE_PERMISSIONS[Role.ENTRY] < ROLE_PERMISSIONS[Role.APPROVER]
    assert ROLE_PERMISSIONS[Role.APPROVER] < ROLE_PERMISSIONS[Role.ADMIN]
    assert ROLE_PERMISSIONS[Role.ADMIN] == frozenset(Permission)


@pytest.mark.parametrize(
    "permission",
    [Permission.APPROVE, Permission.REOPEN, Permission.SIGN, Permission.RESTORE],
)
def test_entry_user_cannot_approve_reopen_sign_or_restore(permission: Permission) -> None:
    with pytest.raises(PermissionDeniedError) as caught:
        require(ENTRY, permission)
    assert caught.value.permission == permission.value
    assert "'lan' has the entry role" in str(caught.value)
    require(ADMIN, permission)


def test_approver_approves_and_signs_but_cannot_restore_or_manage_accounts() -> None:
    require(APPROVER, Permission.APPROVE)
    require(APPROVER, Permission.SIGN)
    with pytest.raises(PermissionDeniedError) as caught:
        require(APPROVER, Permission.RESTORE)
    assert str(caught.value) == (
        "restoring a backup needs the admin (Quản trị) role; 'hoa' has the approver role"
    )
    assert caught.value.roles_allowed == ["admin"]


def test_denied_message_names_every_role_allowed() -> None:
    with pytest.raises(PermissionDeniedError) as caught:
        require(ENTRY, Permission.APPROVE)
    assert str(caught.value).startswith(
        "approving a period needs the approver (Lãnh đạo) or admin (Quản trị) role"
    )


def test_entry_user_cannot_manage_accounts_through_the_services(office: Database) -> None:
    attempts = [
        lambda s: create_user(s, "minh", "Mat-khau-minh", actor=ENTRY),
        lambda s: set_role(s, ENTRY, "lan", "admin"),
        lambda s: reset_password(s, ENTRY, "hoa", "Mat-khau-moi-1"),
        lambda s: deactivate(s, ENTRY, "hoa"),
        lambda s: set_active(s, APPROVER, "lan", False),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDeniedError), office.session() as session:
            attempt(session)
    with office.session() as session:
        assert get_account(session, "lan").role == "entry"
        assert get_account(session, "hoa").active
        assert {a.username for a in accounts.list_accounts(session)} == {"admin", "hoa", "lan"}
    assert entries(office, action=["account_update", "password_reset"]) == []


def test_entry_user_cannot_change_the_settings_through_the_services(
    office: Database, catalog: Catalog
) -> None:
    with pytest.raises(PermissionDeniedError), office.session() as session:
        set_profile(session, ProfileData("Sở mới", "44"), catalog, actor=ENTRY)
    with office.session() as session:
        set_profile(session, ProfileData("Sở mới", "44"), catalog, actor=ADMIN)


def test_admin_manages_accounts(office: Database) -> None:
    with office.session() as session:
        create_user(session, "minh", "Mat-khau-minh", actor=ADMIN, full_name="Lê Minh")
        set_role(session, ADMIN, "minh", "approver")
        deactivate(session, ADMIN, "minh")
        minh = get_account(session, "minh")
    assert (minh.role, minh.active, minh.full_name) == ("approver", False, "Lê Minh")


def test_the_last_admin_keeps_the_role_and_nobody_deactivates_themselves(
    office: Database,
) -> None:
    with pytest.raises(ValidationError) as demoted, office.session() as session:
        set_role(session, ADMIN, "admin", "entry")
    assert demoted.value.problems[0].code == "last_admin"
    with pytest.raises(ValidationError) as own, office.session() as session:
        deactivate(session, ADMIN, "admin")
    assert own.value.problems[0].code == "own_account"
    with office.session() as session:
        set_role(session, ADMIN, "hoa", "admin")
        set_role(session, ADMIN, "admin", "entry")  # another admin exists now


def test_first_account_must_be_an_admin_and_later_ones_need_one(
    database: Database, fast_hashing: None
) -> None:
    with pytest.raises(ValidationError), database.session() as session:
        create_user(session, "lan", LAN_PASSWORD, role="entry")
    with database.session() as session:
        create_user(session, "admin", ADMIN_PASSWORD, role="admin")
    with pytest.raises(PermissionDeniedError), database.session() as session:
        create_user(session, "lan", LAN_PASSWORD, role="entry")
    with pytest.raises(ValidationError) as taken, database.session() as session:
        create_user(session, "ADMIN", "Mat-khau-khac", role="entry", actor=ADMIN)
    assert taken.value.problems[0].code == "taken"


def test_entry_user_keeps_records_and_targets(
    office: Database, catalog: Catalog, make_record: MakeRecord
) -> None:
    with office.session() as session:
        context = record_context(session, office.path, actor=ENTRY)
        record_id = add_record(session, context, "training", make_record("training"))
        changed = make_record("training", participants=60)
        update_record(session, context, "training", record_id, changed)
        target = set_target(
            session,
            catalog,
            "44",
            TargetData("GNBV21", "training_participants", "2024", 500),
            user="lan",
            actor=ENTRY,
        )
        delete_target(session, target.id, actor=ENTRY)
        delete_record(session, "training", record_id, context=context)
    assert {e.username for e in entries(office, kind="training")} == {"lan"}


def test_an_actor_without_a_known_role_may_do_nothing(
    office: Database, make_record: MakeRecord
) -> None:
    stranger = Actor("x", "guest")
    with pytest.raises(PermissionDeniedError), office.session() as session:
        context = record_context(session, office.path, actor=stranger)
        add_record(session, context, "training", make_record("training"))
    with office.session() as session:
        context = record_context(session, office.path, actor=ENTRY)
        record_id = add_record(session, context, "training", make_record("training"))
        assert get_record(session, "training", record_id)["created_by"] == "lan"
