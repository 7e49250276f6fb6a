"""SQLAlchemy 2.0 models: the agency profile, activities of the eight kinds, places,
evidence, targets, user accounts and the audit trail.

Activities use joined-table inheritance: ``activity`` holds the fields every record has, one
table per kind holds its own fields (named exactly as in :mod:`ctmt_desktop.kinds`).
Alembic migrations in ``ctmt_desktop/db/migrations`` create and upgrade this schema; the
models never create tables themselves.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key-value facts about the database file (creation time, catalog version used)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AgencyProfile(Base):
    """The sending agency. Names change with reorganisations, so each profile has dates."""

    __tablename__ = "agency_profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    province_code: Mapped[str] = mapped_column(String(8))
    parent_body: Mapped[str] = mapped_column(String(300), default="")
    receiving_ministry: Mapped[str] = mapped_column(String(300), default="")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Document settings (Decree 30/2020): what every report starts from; "" keeps defaults.
    abbreviation: Mapped[str] = mapped_column(String(40), default="", server_default="")
    signer: Mapped[str] = mapped_column(String(120), default="", server_default="")
    signer_title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    recipients: Mapped[str] = mapped_column(Text, default="", server_default="")  # one a line
    #: The receiving ministry's certificate (DER): receipts are checked against it.
    ministry_certificate: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class Activity(Base):
    """Fields every record has, whatever its kind."""

    __tablename__ = "activity"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    program: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    implementing_unit: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # A criterion assessment has neither (a cluster has no cost): their records take these
    # defaults; rows stored before the fields were retired keep their old values, unread.
    funding_source: Mapped[str] = mapped_column(String(16), default="")
    cost: Mapped[int] = mapped_column(BigInteger, default=0)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # Derived columns kept by the service for fast search, sort and display.
    search_key: Mapped[str] = mapped_column(Text, default="")
    title_sort: Mapped[str] = mapped_column(Text, default="")
    place_names: Mapped[str] = mapped_column(Text, default="")
    place_sort: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))

    places: Mapped[list[ActivityPlace]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="ActivityPlace.position",
        lazy="selectin",
    )
    evidence: Mapped[list[ActivityEvidence]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="ActivityEvidence.name",
        lazy="selectin",
    )

    __mapper_args__ = {"polymorphic_on": "kind"}
    __table_args__ = (
        Index("ix_activity_kind_start", "kind", "start_date"),
        Index("ix_activity_kind_title", "kind", "title_sort"),
        Index("ix_activity_kind_place", "kind", "place_sort"),
        Index("ix_activity_program", "program"),
        # Narrow covering index: a folded search scans it instead of the wide rows.
        Index("ix_activity_search", "kind", "search_key"),
        # Ids are never reused after a delete: the audit trail and the packages sent to the
        # ministry refer to records by id (migration 0002).
        {"sqlite_autoincrement": True},
    )


class ActivityPlace(Base):
    """An administrative unit where an activity took place (current or legacy code)."""

    __tablename__ = "activity_place"
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(16), index=True)
    activity: Mapped[Activity] = relationship(back_populates="places")


class EvidenceFile(Base):
    """A stored evidence file, named by the SHA-256 of its content."""

    __tablename__ = "evidence_file"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    stored_at: Mapped[datetime] = mapped_column(DateTime)


class ActivityEvidence(Base):
    """The link from a record to an evidence file, with the file name the user gave it."""

    __tablename__ = "activity_evidence"
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(ForeignKey("evidence_file.sha256"), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    activity: Mapped[Activity] = relationship(back_populates="evidence")
    file: Mapped[EvidenceFile] = relationship(lazy="joined")


def _kind_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True)


class TrainingClass(Activity):
    __tablename__ = "training"
    __mapper_args__ = {"polymorphic_identity": "training"}
    id: Mapped[int] = _kind_fk()
    classes: Mapped[int] = mapped_column(Integer, default=1)
    days: Mapped[int] = mapped_column(Integer)
    form: Mapped[str] = mapped_column(String(32))
    target_group: Mapped[str | None] = mapped_column(String(32), nullable=True)
    participants: Mapped[int] = mapped_column(Integer)
    participants_female: Mapped[int | None] = mapped_column(Integer, nullable=True)
    participants_ethnic: Mapped[int | None] = mapped_column(Integer, nullable=True)
    participants_commune: Mapped[int | None] = mapped_column(Integer, nullable=True)
    participants_village: Mapped[int | None] = mapped_column(Integer, nullable=True)
    material_type: Mapped[str | None] = mapped_column(String(32), nullable=True)


class Event(Activity):
    __tablename__ = "event"
    __mapper_args__ = {"polymorphic_identity": "event"}
    id: Mapped[int] = _kind_fk()
    event_type: Mapped[str] = mapped_column(String(32))
    sessions: Mapped[int] = mapped_column(Integer, default=1)
    participants: Mapped[int] = mapped_column(Integer)
    participants_female: Mapped[int | None] = mapped_column(Integer, nullable=True)
    participants_ethnic: Mapped[int | None] = mapped_column(Integer, nullable=True)
    participants_poor: Mapped[int | None] = mapped_column(Integer, nullable=True)


class MediaProduct(Activity):
    __tablename__ = "media"
    __mapper_args__ = {"polymorphic_identity": "media"}
    id: Mapped[int] = _kind_fk()
    media_type: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(Integer)
    quantity_unit: Mapped[str] = mapped_column(String(32))
    duration_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    language: Mapped[str] = mapped_column(String(32), default="vi")
    outlet: Mapped[str | None] = mapped_column(String(200), nullable=True)
    published_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    unit_cost: Mapped[int] = mapped_column(BigInteger, default=0)
    cost_norm: Mapped[str | None] = mapped_column(String(200), nullable=True)


class InformationCluster(Activity):
    __tablename__ = "cluster"
    __mapper_args__ = {"polymorphic_identity": "cluster"}
    id: Mapped[int] = _kind_fk()
    cluster_type: Mapped[str] = mapped_column(String(32))
    border_gate: Mapped[str | None] = mapped_column(String(200), nullable=True)
    cluster_status: Mapped[str] = mapped_column(String(32))
    year_in_service: Mapped[int | None] = mapped_column(Integer, nullable=True)
    investment: Mapped[int] = mapped_column(BigInteger, default=0)


class RadioStation(Activity):
    __tablename__ = "radio"
    __mapper_args__ = {"polymorphic_identity": "radio"}
    id: Mapped[int] = _kind_fk()
    technology: Mapped[str] = mapped_column(String(32))
    loudspeaker_clusters: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hamlets: Mapped[int] = mapped_column(Integer)
    hamlets_covered: Mapped[int] = mapped_column(Integer)
    connected_to_province: Mapped[bool] = mapped_column(Boolean, default=False)


class DeviceSupport(Activity):
    __tablename__ = "device"
    __mapper_args__ = {"polymorphic_identity": "device"}
    id: Mapped[int] = _kind_fk()
    device_type: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(Integer)
    beneficiary_group: Mapped[str] = mapped_column(String(32))


class CriterionAssessment(Activity):
    __tablename__ = "criterion"
    __mapper_args__ = {"polymorphic_identity": "criterion"}
    id: Mapped[int] = _kind_fk()
    year: Mapped[int] = mapped_column(Integer)
    criterion_set: Mapped[str] = mapped_column(String(32))
    indicators: Mapped[dict[str, Any]] = mapped_column(JSON)
    met: Mapped[bool] = mapped_column(Boolean, default=False)


class FundingPlan(Activity):
    __tablename__ = "funding"
    __mapper_args__ = {"polymorphic_identity": "funding"}
    id: Mapped[int] = _kind_fk()
    year: Mapped[int] = mapped_column(Integer)
    funding_type: Mapped[str] = mapped_column(String(32))
    plan_amount: Mapped[int] = mapped_column(BigInteger)
    disbursed_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    as_of: Mapped[date | None] = mapped_column(Date, nullable=True)


MODEL_OF_KIND: dict[str, type[Activity]] = {
    "training": TrainingClass,
    "event": Event,
    "media": MediaProduct,
    "cluster": InformationCluster,
    "radio": RadioStation,
    "device": DeviceSupport,
    "criterion": CriterionAssessment,
    "funding": FundingPlan,
}


class Target(Base):
    """A target (chỉ tiêu) for an indicator, per program node, year or phase, and province."""

    __tablename__ = "target"
    id: Mapped[int] = mapped_column(primary_key=True)
    program: Mapped[str] = mapped_column(String(64))
    indicator: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))  # "2024" or a phase "2021-2025"
    province_code: Mapped[str] = mapped_column(String(8))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))
    __table_args__ = (UniqueConstraint("program", "indicator", "period", "province_code"),)


class UserAccount(Base):
    """A local account: who may log in to this database, and with which role.

    ``password_hash`` is an argon2id hash (PHC string); ``failed_attempts`` counts failed
    logins since the last good one and ``locked_until`` refuses logins until then.
    """

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """One line of the audit trail: who did what, when, to which thing, before and after.

    Append-only: triggers made by migration 0002 abort any UPDATE or DELETE of these rows.
    ``kind`` is a record kind (``training``…) or ``target``, ``profile``, ``account``,
    ``period``, ``package``, ``backup``; ``entity_id`` is the id of that thing as text;
    ``period`` is the quarter (``2024-Q1``) of a record's start date, so a period's entries
    can travel in its package. ``search_key`` is the folded text that the audit page
    searches.
    """

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    username: Mapped[str] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(16), nullable=True)
    action: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str | None] = mapped_column(String(32), nullable=True)
    entity_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    period: Mapped[str | None] = mapped_column(String(16), nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[Any | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    after: Mapped[Any | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    search_key: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_audit_entry_at", "at"),
        Index("ix_audit_entry_username", "username", "at"),
        Index("ix_audit_entry_action", "action", "at"),
        Index("ix_audit_entry_entity", "kind", "entity_id"),
        Index("ix_audit_entry_period", "period"),
        {"sqlite_autoincrement": True},
    )


class PeriodApproval(Base):
    """The approval of a reporting period (one row per period code, kept up to date; the
    audit trail keeps its history).

    ``status`` is ``approved`` or ``reopened``. ``locked`` is set when a submission package
    is made for the period and cleared when an approver reopens it (with a written reason):
    while it is set, records starting in the period cannot be added, changed or deleted.
    """

    __tablename__ = "period_approval"
    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(16), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    approved_by: Mapped[str] = mapped_column(String(100))
    approved_at: Mapped[datetime] = mapped_column(DateTime)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    locked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    reopened_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    reopen_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class SubmissionPackage(Base):
    """A signed submission package made for a period.

    ``version`` counts from 1 per period; ``supersedes`` is the package id of the version
    before it (None for version 1). ``signer_fingerprint`` is the SHA-256 of the signer
    certificate (DER) in lower-case hex.
    """

    __tablename__ = "submission_package"
    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    supersedes: Mapped[str | None] = mapped_column(String(36), nullable=True)
    package_id: Mapped[str] = mapped_column(String(36), unique=True)
    file_path: Mapped[str] = mapped_column(Text)
    part_count: Mapped[int] = mapped_column(Integer, default=1)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    signer_fingerprint: Mapped[str] = mapped_column(String(64))
    signer_subject: Mapped[str] = mapped_column(Text)
    #: SHA-256 of the package's ``bag/tagmanifest-sha256.txt`` (None for packages made
    #: before migration 0005: read from the file when a receipt needs it).
    tagmanifest_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: SHA-256 of the ministry's receipt this package answers (bag-info
    #: ``CTMT-Answers-Receipt``), None when it answers none.
    answers_receipt: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (UniqueConstraint("period", "version"),)


class MinistryReceipt(Base):
    """A signed receipt of the ministry, imported (:mod:`ctmt_desktop.services.receipts`).

    ``document`` and ``signature`` are the files as received (they can be checked again);
    the other columns are what the receipt says. ``package_ref`` is the package of the
    register it answers. Times are local, as everywhere in the database.
    """

    __tablename__ = "ministry_receipt"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    package_ref: Mapped[int | None] = mapped_column(
        ForeignKey("submission_package.id"), nullable=True
    )
    package_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    period: Mapped[str | None] = mapped_column(String(16), nullable=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    verdict: Mapped[str] = mapped_column(String(16))
    review_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    failed_checks: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    issued_by: Mapped[str] = mapped_column(Text, default="")
    signer_fingerprint: Mapped[str] = mapped_column(String(64))
    signer_subject: Mapped[str] = mapped_column(Text, default="")
    signing_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    file_name: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[str] = mapped_column(Text)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (Index("ix_ministry_receipt_package", "package_ref", "issued_at"),)


class MinistryComment(Base):
    """The ministry's comment on one record, as a receipt carried it."""

    __tablename__ = "ministry_comment"
    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("ministry_receipt.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    #: The record's id (the package's and this database's); no foreign key: a comment
    #: outlives a record deleted since.
    record_id: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("receipt_id", "kind", "record_id"),
        Index("ix_ministry_comment_record", "record_id"),
    )
