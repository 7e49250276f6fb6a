"""accounts and audit trail

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Local user accounts with roles, the append-only audit trail, and record ids that are never
reused (``activity`` becomes AUTOINCREMENT: the audit trail and the packages refer to
records by id, and SQLite would otherwise hand a deleted last id to the next record).

The audit table is append-only from the app's side: two triggers abort any UPDATE or
DELETE of its rows. A later migration that must copy the table (batch mode) drops the
triggers first and creates them again after (``DROP TABLE`` itself fires no trigger).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY_TRIGGERS = (
    """
    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
    BEGIN
        SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be changed');
    END
    """,
    """
    CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
    BEGIN
        SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be deleted');
    END
    """,
)


def upgrade() -> None:
    # Recreate ``activity`` with AUTOINCREMENT (SQLite cannot add it in place); batch mode
    # copies the rows and the indexes. Migrations run with foreign keys off.
    with op.batch_alter_table(
        "activity", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass

    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(), nullable=True),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("entity_id", sa.String(length=100), nullable=True),
        sa.Column("period", sa.String(length=16), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_action", ["action", "at"], unique=False)
        batch_op.create_index("ix_audit_entry_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_entry_entity", ["kind", "entity_id"], unique=False)
        batch_op.create_index("ix_audit_entry_period", ["period"], unique=False)
        batch_op.create_index("ix_audit_entry_username", ["username", "at"], unique=False)
    for trigger in APPEND_ONLY_TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
    op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_username")
        batch_op.drop_index("ix_audit_entry_period")
        batch_op.drop_index("ix_audit_entry_entity")
        batch_op.drop_index("ix_audit_entry_at")
        batch_op.drop_index("ix_audit_entry_action")
    op.drop_table("audit_entry")
    op.drop_table("user_account")
    with op.batch_alter_table(
        "activity", recreate="always", table_kwargs={"sqlite_autoincrement": False}
    ):
        pass
