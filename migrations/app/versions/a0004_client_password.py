"""App database: the optional client 登录密码 (manual 4.3) and its failure counter.

One row at most: none means no 登录密码 is set. The row holds an Argon2id verifier of the password (never the
password) and how many wrong passwords were typed in a row, and when the last was, so that the growing wait
after five survives a restart of the client.

Revision ID: a0004
Revises: a0003
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "a0004"
down_revision = "a0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_password",
        sa.Column("id", sa.Integer, primary_key=True),  # always 1: one 登录密码 per installation
        sa.Column("verifier", sa.String, nullable=False),  # Argon2id hash of the 登录密码
        sa.Column("set_at", sa.String, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_failure_at", sa.String),
        sa.CheckConstraint("id = 1", name="ck_client_password_single_row"),
    )


def downgrade() -> None:
    op.drop_table("client_password")
