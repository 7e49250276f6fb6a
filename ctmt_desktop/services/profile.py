"""The agency profile: who sends the reports. Never hard-coded; changes get a new profile
with its own validity dates (the 2025 reorganisation renamed most departments).

Every change is audited (action ``profile``, the profile before and after); with an actor,
the role must allow changing the settings (admin).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ctmt_desktop import audit
from ctmt_desktop.accounts import Actor, Permission, acting_name, require
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db.models import AgencyProfile
from ctmt_desktop.errors import Problem, ValidationError
from ctmt_desktop.text import clean_text

NAME_MAX = 300


@dataclass(frozen=True)
class ProfileData:
    """An agency profile as plain data."""

    name: str
    province_code: str
    parent_body: str = ""
    receiving_ministry: str = ""
    valid_from: date = date(2016, 1, 1)
    valid_to: date | None = None


def normalise_province_code(code: str) -> str:
    """``44`` and ``044`` become ``44``; ``1`` becomes ``01`` (statistics-office style)."""
    text = code.strip()
    return text.zfill(2)[-2:] if text.isdigit() and len(text) <= 3 else text


def check_profile(data: ProfileData, catalog: Catalog) -> ProfileData:
    """Validate and normalise a profile; raise ValidationError naming each bad field."""
    problems = []
    name = clean_text(data.name)
    if not name:
        problems.append(Problem("name", "required", "the agency name is required"))
    elif len(name) > NAME_MAX:
        problems.append(Problem("name", "too_long", f"is longer than {NAME_MAX} characters"))
    province = normalise_province_code(data.province_code)
    unit = catalog.admin.get(province)
    if unit is None or unit.level != "province" or unit.legacy:
        problems.append(
            Problem(
                "province",
                "unknown_province",
                f"'{data.province_code}' is not one of the 34 province codes",
            )
        )
    parent, ministry = clean_text(data.parent_body), clean_text(data.receiving_ministry)
    for field_name, value in (("parent_body", parent), ("receiving_ministry", ministry)):
        if len(value) > NAME_MAX:
            problems.append(
                Problem(field_name, "too_long", f"is longer than {NAME_MAX} characters")
            )
    if data.valid_to is not None and data.valid_to < data.valid_from:
        problems.append(Problem("valid_to", "end_before_start", "is before valid_from"))
    if problems:
        raise ValidationError(problems)
    return ProfileData(name, province, parent, ministry, data.valid_from, data.valid_to)


def current_profile(session: Session, on: date | None = None) -> AgencyProfile | None:
    """The profile valid on ``on`` (today by default), or the latest one."""
    day = on or date.today()
    statement = (
        select(AgencyProfile)
        .where(
            AgencyProfile.valid_from <= day,
            or_(AgencyProfile.valid_to.is_(None), AgencyProfile.valid_to >= day),
        )
        .order_by(AgencyProfile.valid_from.desc())
    )
    found = session.scalars(statement).first()
    if found is None:
        found = session.scalars(
            select(AgencyProfile).order_by(AgencyProfile.valid_from.desc())
        ).first()
    return found


def profile_to_dict(profile: AgencyProfile) -> dict[str, object]:
    """A stored profile as plain data (what the audit trail keeps)."""
    return {
        "id": profile.id,
        "name": profile.name,
        "province_code": profile.province_code,
        "parent_body": profile.parent_body,
        "receiving_ministry": profile.receiving_ministry,
        "valid_from": profile.valid_from,
        "valid_to": profile.valid_to,
    }


def set_profile(
    session: Session,
    data: ProfileData,
    catalog: Catalog,
    *,
    actor: Actor | None = None,
    user: str | None = None,
) -> AgencyProfile:
    """Record a new profile from ``data.valid_from``; the previous one ends the day before.

    The province cannot change: records are validated against it. ``actor`` (checked:
    settings) or ``user`` names who made the change in the audit trail.
    """
    if actor is not None:
        require(actor, Permission.SETTINGS)
    clean = check_profile(data, catalog)
    previous = current_profile(session)
    before = profile_to_dict(previous) if previous is not None else None
    if previous is not None and previous.province_code != clean.province_code:
        raise ValidationError(
            [
                Problem(
                    "province",
                    "province_change",
                    f"this database belongs to province {previous.province_code}; "
                    f"it cannot move to {clean.province_code}",
                )
            ]
        )
    if previous is not None and previous.valid_to is None:
        if clean.valid_from <= previous.valid_from:
            session.delete(previous)  # a correction of the current profile, not a new period
        else:
            previous.valid_to = clean.valid_from - timedelta(days=1)
    profile = AgencyProfile(
        name=clean.name,
        province_code=clean.province_code,
        parent_body=clean.parent_body,
        receiving_ministry=clean.receiving_ministry,
        valid_from=clean.valid_from,
        valid_to=clean.valid_to,
        created_at=datetime.now(),
    )
    session.add(profile)
    session.flush()
    audit.record(
        session,
        actor if actor is not None else acting_name(None, user),
        "profile",
        kind="profile",
        entity_id=profile.id,
        summary=f"agency profile: {profile.name} from {profile.valid_from:%d/%m/%Y}",
        before=before,
        after=profile_to_dict(profile),
        at=profile.created_at,
    )
    return profile
