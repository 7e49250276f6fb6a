"""The national store's tables (SQLAlchemy 2.0), on SQLite or PostgreSQL.

One schema for both engines, created and upgraded by the Alembic migrations in
``ctmt_desktop/ministry/migrations`` (nothing here creates tables). The store keeps:

* ``store_meta``: facts about the store (the ministry's name, when it was made);
* ``signer``: the registry of provinces' signing certificates;
* ``submission``: every accepted package (its province, period, version, package id, signer,
  signing and received time, review state), ``current`` or ``superseded``;
* ``national_record``: the records of every accepted package, as sent (canonical JSON) with
  the columns the lists and the national report filter on;
* ``record_comment``: the ministry's comments on single records of a submission;
* ``refusal``: every refused package with the checks it failed, so it can be answered;
* ``slot``: one row per province and period, locked while a package for it is stored, so two
  staff receiving at once never leave two current versions;
* ``figures_cache``: each province's figures per scope as last computed, with the key of the
  submissions they came from;
* ``store_audit``: who registered, received, refused or reviewed what, and when.

Integrity holds in the schema itself, not only in the code: a package id is stored once, a
(province, period, version) once, and a partial unique index allows one ``current``
submission per province and period.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

CURRENT = "current"
SUPERSEDED = "superseded"
#: Review states (ODK Central's): nobody has looked yet, then the ministry's verdict.
REVIEW_STATES = ("received", "accepted", "has_issues", "rejected")


class StoreBase(DeclarativeBase):
    """Base of the national store's models (a metadata of its own: the store is not a
    province's database)."""


class StoreMeta(StoreBase):
    __tablename__ = "store_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Signer(StoreBase):
    """A certificate registered for a province: packages it signs are that province's."""

    __tablename__ = "signer"
    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[str] = mapped_column(String(16), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)
    not_before: Mapped[datetime] = mapped_column(DateTime)
    not_after: Mapped[datetime] = mapped_column(DateTime)
    certificate: Mapped[bytes] = mapped_column(LargeBinary)
    #: ``form``: self-issued, fingerprint typed from the printed registration form;
    #: ``chain``: CA-issued, chains to a trusted root.
    method: Mapped[str] = mapped_column(String(16))
    registered_at: Mapped[datetime] = mapped_column(DateTime)
    registered_by: Mapped[str] = mapped_column(String(100))
    __table_args__ = (UniqueConstraint("fingerprint", name="uq_signer_fingerprint"),)


class Slot(StoreBase):
    """A province's period: the row a receiving process locks while it stores a package."""

    __tablename__ = "slot"
    province: Mapped[str] = mapped_column(String(16), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)


class Submission(StoreBase):
    """An accepted package."""

    __tablename__ = "submission"
    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[str] = mapped_column(String(64))
    #: The province the package claims (bag-info and records.json), as sent.
    province_code: Mapped[str] = mapped_column(String(16))
    #: The current province it rolls up to (the same code since 1 July 2025).
    province: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    supersedes: Mapped[str | None] = mapped_column(String(64), nullable=True)
    state: Mapped[str] = mapped_column(String(16), default=CURRENT)
    sender: Mapped[str] = mapped_column(Text, default="")
    signer_fingerprint: Mapped[str] = mapped_column(String(64))
    signer_subject: Mapped[str] = mapped_column(Text, default="")
    signing_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    received_by: Mapped[str] = mapped_column(String(100))
    source_name: Mapped[str] = mapped_column(Text, default="")
    tagmanifest_sha256: Mapped[str] = mapped_column(String(64))
    catalog_version: Mapped[str] = mapped_column(String(32), default="")
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    evidence_count: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    review_state: Mapped[str] = mapped_column(String(16), default="received")
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    reviewed_by: Mapped[str] = mapped_column(String(100), default="")
    __table_args__ = (
        UniqueConstraint("package_id", name="uq_submission_package"),
        UniqueConstraint("province", "period", "version", name="uq_submission_version"),
        # One current version per province and period, whatever the code does.
        Index(
            "uq_submission_current",
            "province",
            "period",
            unique=True,
            sqlite_where=text("state = 'current'"),
            postgresql_where=text("state = 'current'"),
        ),
        Index("ix_submission_period", "period", "province"),
    )


class NationalRecord(StoreBase):
    """A record of an accepted package, kept as sent."""

    __tablename__ = "national_record"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"))
    province: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    #: The record's id in the province's database (and in the package).
    record_id: Mapped[int] = mapped_column(BigInteger)
    program: Mapped[str] = mapped_column(String(64), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    search_key: Mapped[str] = mapped_column(Text, default="")
    place_names: Mapped[str] = mapped_column(Text, default="")
    #: The record as the package sent it (canonical JSON).
    data: Mapped[str] = mapped_column(Text)
    __table_args__ = (
        # A submission's records of some kinds over some dates (the figures, the lists).
        Index("ix_national_record_submission", "submission_id", "kind", "start_date"),
        Index("ix_national_record_kind", "kind", "province", "start_date"),
        Index("ix_national_record_search", "kind", "search_key"),
    )


class RecordComment(StoreBase):
    """The ministry's comment on one record of a submission (the record's id in the package)."""

    __tablename__ = "record_comment"
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    record_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    comment: Mapped[str] = mapped_column(Text)


class Refusal(StoreBase):
    """A package refused, with what could be read of it and every failed check."""

    __tablename__ = "refusal"
    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    received_by: Mapped[str] = mapped_column(String(100))
    source_name: Mapped[str] = mapped_column(Text, default="")
    #: SHA-256 of the file (or the joined parts) as received: the same file twice is one row.
    file_sha256: Mapped[str] = mapped_column(String(64))
    package_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    province_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    province: Mapped[str | None] = mapped_column(String(16), nullable=True)
    period: Mapped[str | None] = mapped_column(String(16), nullable=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    signer_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    signing_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    tagmanifest_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: ``[{"check": name, "reason": text}, …]``
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    __table_args__ = (
        UniqueConstraint("file_sha256", name="uq_refusal_file"),
        Index("ix_refusal_period", "period", "province"),
    )


class FiguresCache(StoreBase):
    """A province's figures over a scope, as last computed (:mod:`.figures`): valid while
    ``key`` (the submissions they come from and the code's version) is the same."""

    __tablename__ = "figures_cache"
    province: Mapped[str] = mapped_column(String(16), primary_key=True)
    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class StoreAudit(StoreBase):
    """The store's audit trail (append-only by the code: nothing updates or deletes it)."""

    __tablename__ = "store_audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    province: Mapped[str | None] = mapped_column(String(16), nullable=True)
    period: Mapped[str | None] = mapped_column(String(16), nullable=True)
    package_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    summary: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
