"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22

The agency profile, the activity tables of the eight kinds, places, evidence and targets.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("implementing_unit", sa.String(length=200), nullable=True),
        sa.Column("funding_source", sa.String(length=16), nullable=False),
        sa.Column("cost", sa.BigInteger(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.Column("title_sort", sa.Text(), nullable=False),
        sa.Column("place_names", sa.Text(), nullable=False),
        sa.Column("place_sort", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index("ix_activity_kind_place", ["kind", "place_sort"], unique=False)
        batch_op.create_index("ix_activity_kind_start", ["kind", "start_date"], unique=False)
        batch_op.create_index("ix_activity_kind_title", ["kind", "title_sort"], unique=False)
        batch_op.create_index("ix_activity_program", ["program"], unique=False)
        batch_op.create_index("ix_activity_search", ["kind", "search_key"], unique=False)

    op.create_table(
        "agency_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("parent_body", sa.String(length=300), nullable=False),
        sa.Column("receiving_ministry", sa.String(length=300), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "evidence_file",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("program", "indicator", "period", "province_code"),
    )
    op.create_table(
        "activity_evidence",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["evidence_file.sha256"],
        ),
        sa.PrimaryKeyConstraint("activity_id", "sha256"),
    )
    op.create_table(
        "activity_place",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("activity_id", "position"),
    )
    with op.batch_alter_table("activity_place", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_place_unit_code"), ["unit_code"], unique=False
        )

    op.create_table(
        "cluster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_type", sa.String(length=32), nullable=False),
        sa.Column("border_gate", sa.String(length=200), nullable=True),
        sa.Column("cluster_status", sa.String(length=32), nullable=False),
        sa.Column("year_in_service", sa.Integer(), nullable=True),
        sa.Column("investment", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["activity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("criterion_set", sa.String(length=32), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["activity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_type", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("beneficiary_group", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["activity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("participants_female", sa.Integer(), nullable=True),
        sa.Column("participants_ethnic", sa.Integer(), nullable=True),
        sa.Column("participants_poor", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["activity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "funding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("funding_type", sa.String(length=32), nullable=False),
        sa.Column("plan_amount", sa.BigInteger(), nullable=False),
        sa.Column("disbursed_amount", sa.BigInteger(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["activity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("quantity_unit", sa.String(length=32), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=32), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("unit_cost", sa.BigInteger(), nullable=False),
        sa.Column("cost_norm", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["activity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "radio",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("technology", sa.String(length=32), nullable=False),
        sa.Column("loudspeaker_clusters", sa.Integer(), nullable=True),
        sa.Column("hamlets", sa.Integer(), nullable=False),
        sa.Column("hamlets_covered", sa.Integer(), nullable=False),
        sa.Column("connected_to_province", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["activity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("classes", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=32), nullable=False),
        sa.Column("target_group", sa.String(length=32), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("participants_female", sa.Integer(), nullable=True),
        sa.Column("participants_ethnic", sa.Integer(), nullable=True),
        sa.Column("participants_commune", sa.Integer(), nullable=True),
        sa.Column("participants_village", sa.Integer(), nullable=True),
        sa.Column("material_type", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["activity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("training")
    op.drop_table("radio")
    op.drop_table("media")
    op.drop_table("funding")
    op.drop_table("event")
    op.drop_table("device")
    op.drop_table("criterion")
    op.drop_table("cluster")
    with op.batch_alter_table("activity_place", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_place_unit_code"))

    op.drop_table("activity_place")
    op.drop_table("activity_evidence")
    op.drop_table("target")
    op.drop_table("meta")
    op.drop_table("evidence_file")
    op.drop_table("agency_profile")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_search")
        batch_op.drop_index("ix_activity_program")
        batch_op.drop_index("ix_activity_kind_title")
        batch_op.drop_index("ix_activity_kind_start")
        batch_op.drop_index("ix_activity_kind_place")

    op.drop_table("activity")
