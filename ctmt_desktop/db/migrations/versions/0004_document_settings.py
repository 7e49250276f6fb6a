"""document settings of the agency profile

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

What an office writes on every report it signs (Decree 30/2020), kept with the agency
profile so that each report starts from them: the agency's abbreviation in the document
symbol (``SVHTTDL`` in ``Số: 12/BC-SVHTTDL``), the signer's name and title (two lines for
``KT. GIÁM ĐỐC`` / ``PHÓ GIÁM ĐỐC``), and the "Nơi nhận" list, one recipient a line. Empty
values keep the defaults the reports used before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = (
    ("abbreviation", sa.String(length=40)),
    ("signer", sa.String(length=120)),
    ("signer_title", sa.String(length=200)),
    ("recipients", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("agency_profile", schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("agency_profile", schema=None) as batch_op:
        for name, _type in reversed(COLUMNS):
            batch_op.drop_column(name)
