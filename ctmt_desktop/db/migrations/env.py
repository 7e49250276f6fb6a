"""Alembic environment: runs on the connection handed over by ``open_database``."""

from __future__ import annotations

from alembic import context

from ctmt_desktop.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise RuntimeError("run migrations through ctmt_desktop.db.open_database")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
