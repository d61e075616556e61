"""Alembic environment: the engine is handed over by `assist.storage.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from assist.storage.tables import Base

# Any fixed number: replicas starting together on PostgreSQL take turns at migrating, and
# the later ones find the schema already at head.
MIGRATION_LOCK = 7_210_417

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
