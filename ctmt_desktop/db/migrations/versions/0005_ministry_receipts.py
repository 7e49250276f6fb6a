"""the ministry's receipts and comments

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

The return path from the ministry. ``ministry_receipt``: every signed receipt the department
imported (the receipt's JSON and its signature as received, what it says — verdict, review
state, comments, failed checks — and which package of the register it answers).
``ministry_comment``: the ministry's comments on single records, one row per record and
receipt (the record's id is the package's, which is the database's). ``agency_profile``
gains ``ministry_certificate`` (DER), the certificate receipts are checked against;
``submission_package`` gains ``tagmanifest_sha256`` (what binds a receipt to the package)
and ``answers_receipt`` (the SHA-256 of the receipt a package answers, as its bag-info
names it). SQLite adds the columns in batch mode (a copy of each table).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agency_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ministry_certificate", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("submission_package", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tagmanifest_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("answers_receipt", sa.String(length=64), nullable=True))
    op.create_table(
        "ministry_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("package_ref", sa.Integer(), nullable=True),
        sa.Column("package_id", sa.String(length=64), nullable=True),
        sa.Column("period", sa.String(length=16), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("review_state", sa.String(length=16), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("failed_checks", sa.JSON(), nullable=False),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.Text(), nullable=False),
        sa.Column("signer_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("signer_subject", sa.Text(), nullable=False),
        sa.Column("signing_time", sa.DateTime(), nullable=True),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["package_ref"], ["submission_package.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    with op.batch_alter_table("ministry_receipt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ministry_receipt_package", ["package_ref", "issued_at"], unique=False
        )
    op.create_table(
        "ministry_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["receipt_id"], ["ministry_receipt.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("receipt_id", "kind", "record_id"),
    )
    with op.batch_alter_table("ministry_comment", schema=None) as batch_op:
        batch_op.create_index("ix_ministry_comment_record", ["record_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ministry_comment", schema=None) as batch_op:
        batch_op.drop_index("ix_ministry_comment_record")
    op.drop_table("ministry_comment")
    with op.batch_alter_table("ministry_receipt", schema=None) as batch_op:
        batch_op.drop_index("ix_ministry_receipt_package")
    op.drop_table("ministry_receipt")
    with op.batch_alter_table("submission_package", schema=None) as batch_op:
        batch_op.drop_column("answers_receipt")
        batch_op.drop_column("tagmanifest_sha256")
    with op.batch_alter_table("agency_profile", schema=None) as batch_op:
        batch_op.drop_column("ministry_certificate")
