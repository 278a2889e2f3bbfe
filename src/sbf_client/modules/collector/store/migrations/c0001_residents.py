"""Collector branch: the cached 城乡居民 of the collecting agent.

Revision ID: c0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "c0001"
down_revision = None
branch_labels = ("collector",)
depends_on = "u0001"


def upgrade() -> None:
    op.create_table(
        "residents",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("person_no", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("gender", sa.String, nullable=False),
        sa.Column("id_type", sa.String, nullable=False),
        sa.Column("id_number", sa.String, nullable=False),
        sa.Column("birth_date", sa.String, nullable=False),
        sa.Column("village", sa.String, nullable=False),  # 所属村（社区）
        sa.Column("status", sa.String, nullable=False),  # 参保状态 code
        sa.Column("updated_at", sa.String, nullable=False),
        sa.Column("insured", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    for column in ("name", "id_number"):
        op.create_index(f"residents_by_{column}", "residents", [column])


def downgrade() -> None:
    op.drop_table("residents")
