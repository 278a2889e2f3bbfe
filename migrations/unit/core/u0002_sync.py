"""Unit database core branch: the sync machinery (state, runs, recorded changes) and the outbox.

Revision ID: u0002
Revises: u0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "u0002"
down_revision = "u0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("dataset", sa.String, primary_key=True),
        sa.Column("epoch", sa.String, nullable=False),
        sa.Column("checkpoint", sa.Integer, nullable=False),
        sa.Column("last_run_id", sa.Integer),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset", sa.String, nullable=False, index=True),
        sa.Column("mode", sa.String, nullable=False),  # full / incremental
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String, nullable=False),  # staging / awaiting_confirmation / applied / discarded
        sa.Column("epoch", sa.String),
        sa.Column("since", sa.Integer, nullable=False),
        sa.Column("staged_through", sa.Integer, nullable=False),
        sa.Column("pages", sa.Integer, nullable=False, server_default="0"),
        sa.Column("started_at", sa.String, nullable=False),
        sa.Column("finished_at", sa.String),
        sa.Column("added", sa.Integer, nullable=False, server_default="0"),
        sa.Column("changed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("deleted", sa.Integer, nullable=False, server_default="0"),
        sa.Column("total", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "sync_changes",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("sync_runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("kind", sa.String, nullable=False),  # 新增 / 变更 / 删除
        sa.Column("name", sa.String, nullable=False, server_default=""),
    )
    op.create_table(
        "sync_change_fields",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("sync_runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("field", sa.String, primary_key=True),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("intent", sa.String, nullable=False, unique=True),  # one per user confirmation
        sa.Column("idempotency_key", sa.String, nullable=False, unique=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("state", sa.String, nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("status_code", sa.Integer),
        sa.Column("response", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )


def downgrade() -> None:
    for table in ("outbox", "sync_change_fields", "sync_changes", "sync_runs", "sync_state"):
        op.drop_table(table)
