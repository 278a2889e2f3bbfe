"""Collector branch: staging for the 城乡居民 feed (same schema as ``residents``; see e0002).

Revision ID: c0002
Revises: c0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "c0002"
down_revision = "c0001"
branch_labels = None
depends_on = "u0002"


def upgrade() -> None:
    op.create_table(
        "residents_staging",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("person_no", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("gender", sa.String, nullable=False),
        sa.Column("id_type", sa.String, nullable=False),
        sa.Column("id_number", sa.String, nullable=False),
        sa.Column("birth_date", sa.String, nullable=False),
        sa.Column("village", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.Column("insured", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "residents_staging_deleted",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("residents_staging_deleted")
    op.drop_table("residents_staging")
