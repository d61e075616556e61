"""template versions, review queue, CSAT ratings; feedback names its draft

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 22:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "template_versions",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("name", "language", "version"),
    )
    op.create_index(op.f("ix_template_versions_name"), "template_versions", ["name"])
    op.create_table(
        "reviews",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("suggestion_id", sa.String(length=36), nullable=False),
        sa.Column("sampled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestions.id"]),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("suggestion_id"),
    )
    op.create_table(
        "csat_ratings",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=200), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("conversation_id", "rated_at"),
    )
    op.create_index(op.f("ix_csat_ratings_conversation_id"), "csat_ratings", ["conversation_id"])
    op.create_index(op.f("ix_suggestions_created_at"), "suggestions", ["created_at"])
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("template", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("template")
    op.drop_index(op.f("ix_suggestions_created_at"), table_name="suggestions")
    op.drop_index(op.f("ix_csat_ratings_conversation_id"), table_name="csat_ratings")
    op.drop_table("csat_ratings")
    op.drop_table("reviews")
    op.drop_index(op.f("ix_template_versions_name"), table_name="template_versions")
    op.drop_table("template_versions")
