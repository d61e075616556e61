"""Alembic environment: the engine is handed over by `assist.storage.migrate`."""

from __future__ import annotations

from alembic import context

from assist.storage.tables import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
