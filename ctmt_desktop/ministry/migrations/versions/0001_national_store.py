"""The national store: signers, submissions, records, comments, refusals, slots, figures,
audit.

Revision ID: m0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "m0001"
down_revision = None
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "signer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("province_code", sa.String(16), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=False),
        sa.Column("not_after", sa.DateTime(), nullable=False),
        sa.Column("certificate", sa.LargeBinary(), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("fingerprint", name="uq_signer_fingerprint"),
    )
    op.create_index("ix_signer_province_code", "signer", ["province_code"])
    op.create_table(
        "slot",
        sa.Column("province", sa.String(16), primary_key=True),
        sa.Column("period", sa.String(16), primary_key=True),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("package_id", sa.String(64), nullable=False),
        sa.Column("province_code", sa.String(16), nullable=False),
        sa.Column("province", sa.String(16), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes", sa.String(64), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("signer_fingerprint", sa.String(64), nullable=False),
        sa.Column("signer_subject", sa.Text(), nullable=False),
        sa.Column("signing_time", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by", sa.String(100), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("tagmanifest_sha256", sa.String(64), nullable=False),
        sa.Column("catalog_version", sa.String(32), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("evidence_count", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("review_state", sa.String(16), nullable=False),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("package_id", name="uq_submission_package"),
        sa.UniqueConstraint("province", "period", "version", name="uq_submission_version"),
    )
    op.create_index(
        "uq_submission_current",
        "submission",
        ["province", "period"],
        unique=True,
        sqlite_where=sa.text("state = 'current'"),
        postgresql_where=sa.text("state = 'current'"),
    )
    op.create_index("ix_submission_period", "submission", ["period", "province"])
    op.create_table(
        "national_record",
        sa.Column("id", _BIG_ID, primary_key=True),
        sa.Column(
            "submission_id",
            sa.Integer(),
            sa.ForeignKey("submission.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("province", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("program", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.Column("place_names", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_index(
        "ix_national_record_submission",
        "national_record",
        ["submission_id", "kind", "start_date"],
    )
    op.create_index(
        "ix_national_record_kind", "national_record", ["kind", "province", "start_date"]
    )
    op.create_index("ix_national_record_search", "national_record", ["kind", "search_key"])
    op.create_table(
        "record_comment",
        sa.Column(
            "submission_id",
            sa.Integer(),
            sa.ForeignKey("submission.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("record_id", sa.BigInteger(), primary_key=True),
        sa.Column("comment", sa.Text(), nullable=False),
    )
    op.create_table(
        "refusal",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by", sa.String(100), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("package_id", sa.String(64), nullable=True),
        sa.Column("province_code", sa.String(16), nullable=True),
        sa.Column("province", sa.String(16), nullable=True),
        sa.Column("period", sa.String(16), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("signer_fingerprint", sa.String(64), nullable=True),
        sa.Column("signing_time", sa.DateTime(), nullable=True),
        sa.Column("tagmanifest_sha256", sa.String(64), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.UniqueConstraint("file_sha256", name="uq_refusal_file"),
    )
    op.create_index("ix_refusal_period", "refusal", ["period", "province"])
    op.create_table(
        "figures_cache",
        sa.Column("province", sa.String(16), primary_key=True),
        sa.Column("scope", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_table(
        "store_audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("province", sa.String(16), nullable=True),
        sa.Column("period", sa.String(16), nullable=True),
        sa.Column("package_id", sa.String(64), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "store_audit",
        "figures_cache",
        "refusal",
        "record_comment",
        "national_record",
        "submission",
        "slot",
        "signer",
        "store_meta",
    ):
        op.drop_table(table)
