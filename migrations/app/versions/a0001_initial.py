"""App database: region, units, their 参保登记信息, settings.

Revision ID: a0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "a0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "region",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("region_id", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("mode", sa.String, nullable=False),
        sa.Column("mgmt_url", sa.String),
        sa.Column("coll_url", sa.String),
        sa.Column("sandbox_region", sa.String),
        sa.Column("chosen_at", sa.String, nullable=False),
        sa.CheckConstraint("id = 1", name="one_region"),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("module", sa.String, nullable=False),
        sa.Column("taxpayer_id", sa.String, nullable=False),
        sa.Column("server_unit_id", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("tax_authority", sa.String, nullable=False, server_default=""),
        sa.Column("tax_branch", sa.String, nullable=False, server_default=""),
        sa.Column("remark", sa.Text, nullable=False, server_default=""),
        sa.Column("db_name", sa.String, nullable=False),
        sa.Column("added_at", sa.String, nullable=False),
        sa.Column("last_login_at", sa.String),
        sa.UniqueConstraint("module", "taxpayer_id", "server_unit_id"),
    )
    op.create_table(
        "unit_registrations",
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("unit_no", sa.String, primary_key=True),
        sa.Column("agency", sa.String, nullable=False),
        sa.Column("tax_authority", sa.String, nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("settings", "unit_registrations", "units", "region"):
        op.drop_table(table)
