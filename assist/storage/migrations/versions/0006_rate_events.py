"""shared load-window counts

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-25 23:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_events",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
    )
    op.create_index(op.f("ix_rate_events_key"), "rate_events", ["key"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_rate_events_key"), table_name="rate_events")
    op.drop_table("rate_events")
