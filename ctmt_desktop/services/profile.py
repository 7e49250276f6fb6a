"""The agency profile: who sends the reports. Never hard-coded; changes get a new profile
with its own validity dates (the 2025 reorganisation renamed most departments).

The profile also keeps the document settings every report starts from (Decree 30/2020): the
agency's abbreviation in the document symbol, the signer's name and title and the "Nơi nhận"
list (:class:`DocumentSettings`). They belong to the current profile, are changed in place
(:func:`set_document_settings`) and carried over to a new profile.

Every change is audited (action ``profile``, the profile before and after); with an actor,
the role must allow changing the settings (admin).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from ctmt_desktop import audit
from ctmt_desktop.accounts import Actor, Permission, acting_name, require
from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db.models import AgencyProfile
from ctmt_desktop.errors import Problem, ValidationError
from ctmt_desktop.services.agency import ProfileData, current_profile_row
from ctmt_desktop.text import clean_text

NAME_MAX = 300
#: Lengths of the document settings (the columns' sizes).
ABBREVIATION_MAX, SIGNER_MAX, SIGNER_TITLE_MAX, RECIPIENT_MAX, RECIPIENTS_MAX = (
    40,
    120,
    200,
    300,
    30,
)


@dataclass(frozen=True)
class DocumentSettings:
    """What a signed report carries besides its content (Decree 30/2020).

    Attributes:
        abbreviation: the agency's abbreviation in the document symbol (``SVHTTDL`` gives
            ``Số: 12/BC-SVHTTDL``); empty: derived from the agency name (see
            :func:`ctmt_desktop.reports.figures.agency_abbreviation`).
        signer: the signer's full name.
        signer_title: the signer's title, one line or two (``KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC``).
        recipients: the "Nơi nhận" lines in order (``Lưu: VT`` last); empty: the receiving
            ministry and the parent body, then ``Lưu: VT``.
    """

    abbreviation: str = ""
    signer: str = ""
    signer_title: str = ""
    recipients: tuple[str, ...] = ()


def title_lines(text: str) -> list[str]:
    """A signer's title as its printed lines: split at line breaks and at `` / ``
    (``KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC`` is typed on one line)."""
    lines = []
    for part in text.replace("\r", "\n").split("\n"):
        lines.extend(piece.strip() for piece in part.split(" / "))
    return [line for line in lines if line]


def check_document_settings(settings: DocumentSettings) -> DocumentSettings:
    """Validate and normalise document settings; raise ValidationError naming each bad field.

    Text is cleaned (NFC, spaces), the title keeps its line breaks, empty recipients are
    dropped and a recipient's final ``;`` or ``.`` removed (the printout adds them).
    """
    problems = []
    abbreviation = clean_text(settings.abbreviation).upper().replace(" ", "")
    signer = clean_text(settings.signer)
    title = "\n".join(clean_text(line) for line in title_lines(settings.signer_title))
    recipients = []
    for item in settings.recipients:
        text = clean_text(item).lstrip("-–• ").rstrip(";.,").strip()
        if text:
            recipients.append(text)
    for name, value, limit in (
        ("abbreviation", abbreviation, ABBREVIATION_MAX),
        ("signer", signer, SIGNER_MAX),
        ("signer_title", title, SIGNER_TITLE_MAX),
    ):
        if len(value) > limit:
            problems.append(Problem(name, "too_long", f"is longer than {limit} characters"))
    if abbreviation and not all(char.isalnum() or char in "-&" for char in abbreviation):
        problems.append(
            Problem(
                "abbreviation",
                "bad_abbreviation",
                f"'{abbreviation}' is not an abbreviation (letters and digits, e.g. SVHTTDL)",
            )
        )
    if len(recipients) > RECIPIENTS_MAX:
        problems.append(
            Problem("recipients", "too_many", f"has more than {RECIPIENTS_MAX} recipients")
        )
    for item in recipients:
        if len(item) > RECIPIENT_MAX:
            problems.append(
                Problem(
                    "recipients",
                    "too_long",
                    f"a recipient is longer than {RECIPIENT_MAX} characters",
                )
            )
            break
    if problems:
        raise ValidationError(problems)
    return DocumentSettings(abbreviation, signer, title, tuple(recipients))


def document_settings(profile: AgencyProfile | None) -> DocumentSettings:
    """The document settings kept with ``profile`` (empty ones without a profile)."""
    if profile is None:
        return DocumentSettings()
    recipients = tuple(line for line in (profile.recipients or "").split("\n") if line.strip())
    return DocumentSettings(
        profile.abbreviation or "",
        profile.signer or "",
        profile.signer_title or "",
        recipients,
    )


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
    """The profile valid on ``on`` (today by default), or the latest one
    (:func:`~ctmt_desktop.services.agency.current_profile_row` says which)."""
    row = current_profile_row(session, on)
    return session.get(AgencyProfile, row["id"]) if row is not None else None


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
        "abbreviation": profile.abbreviation or "",
        "signer": profile.signer or "",
        "signer_title": profile.signer_title or "",
        "recipients": profile.recipients or "",
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
    kept = document_settings(previous)
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
        abbreviation=kept.abbreviation,
        signer=kept.signer,
        signer_title=kept.signer_title,
        recipients="\n".join(kept.recipients),
        # The ministry's certificate (receipts are checked against it) stays with the profile.
        ministry_certificate=previous.ministry_certificate if previous is not None else None,
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


def set_document_settings(
    session: Session,
    settings: DocumentSettings,
    *,
    actor: Actor | None = None,
    user: str | None = None,
) -> AgencyProfile:
    """Keep ``settings`` with the current profile (changed in place: they have no dates).

    Audited as a ``profile`` change; ``actor`` (checked: settings) or ``user`` names who
    made it.

    Raises:
        ValidationError: a setting is too long or the abbreviation is not one; or the
            database has no profile yet (field ``profile``).
    """
    if actor is not None:
        require(actor, Permission.SETTINGS)
    clean = check_document_settings(settings)
    profile = current_profile(session)
    if profile is None:
        raise ValidationError(
            [Problem("profile", "no_profile", "the database has no agency profile yet")]
        )
    before = profile_to_dict(profile)
    profile.abbreviation = clean.abbreviation
    profile.signer = clean.signer
    profile.signer_title = clean.signer_title
    profile.recipients = "\n".join(clean.recipients)
    session.flush()
    after = profile_to_dict(profile)
    if after != before:
        audit.record(
            session,
            actor if actor is not None else acting_name(None, user),
            "profile",
            kind="profile",
            entity_id=profile.id,
            summary=f"document settings of {profile.name}",
            before=before,
            after=after,
        )
    return profile
