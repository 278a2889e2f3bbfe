"""Unit database core branch: 消息中心 messages.

Revision ID: u0003
Revises: u0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "u0003"
down_revision = "u0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("category", sa.String, nullable=False),  # 数据更新 / 申报反馈 / 系统
        sa.Column("title", sa.String, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("read", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_table("messages")
