"""1C-Connect line events, the sidecar's own actions in a line, and the leads' switches

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "connect_events",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("line_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.String(length=64), nullable=True),
        sa.Column("message_type", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("message_time", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("suggestion_id", sa.String(length=36), nullable=True),
        sa.Column("request_id", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index(op.f("ix_connect_events_user_id"), "connect_events", ["user_id"])
    op.create_index(op.f("ix_connect_events_kind"), "connect_events", ["kind"])
    op.create_table(
        "connect_actions",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("line_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
    )
    op.create_index(op.f("ix_connect_actions_at"), "connect_actions", ["at"])
    op.create_index(op.f("ix_connect_actions_user_id"), "connect_actions", ["user_id"])
    op.create_table(
        "connect_switches",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("connect_switches")
    op.drop_index(op.f("ix_connect_actions_user_id"), table_name="connect_actions")
    op.drop_index(op.f("ix_connect_actions_at"), table_name="connect_actions")
    op.drop_table("connect_actions")
    op.drop_index(op.f("ix_connect_events_kind"), table_name="connect_events")
    op.drop_index(op.f("ix_connect_events_user_id"), table_name="connect_events")
    op.drop_table("connect_events")
