"""App database: offline password verifiers and login failure counters.

Revision ID: a0002
Revises: a0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "a0002"
down_revision = "a0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offline_verifiers",
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("verifier", sa.String, nullable=False),  # Argon2id hash of the last verified 申报密码
        sa.Column("verified_at", sa.String, nullable=False),
    )
    op.create_table(
        "login_failures",
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure_at", sa.String, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("login_failures")
    op.drop_table("offline_verifiers")
