"""Alembic environment of the national store: runs on the connection handed over by
``ctmt_desktop.ministry.store.open_store`` (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import context

from ctmt_desktop.ministry.models import StoreBase

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise RuntimeError("run the store's migrations through ctmt_desktop.ministry.store")

context.configure(
    connection=connection,
    target_metadata=StoreBase.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
