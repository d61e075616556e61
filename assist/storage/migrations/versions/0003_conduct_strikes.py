"""conduct strikes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 21:27:02.975046
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "strikes",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sender", sa.String(length=300), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
    )
    op.create_index(op.f("ix_strikes_sender"), "strikes", ["sender"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_strikes_sender"), table_name="strikes")
    op.drop_table("strikes")
