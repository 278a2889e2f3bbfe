"""App database: each unit's 基本信息 (单位信息, manual 4.4), as last downloaded from the 管理子系统.

A table of its own, one row per unit: no row means it was never downloaded (a unit added by an older
version, or never logged in online since), which the 单位信息 page says, rather than showing blanks as data.

Revision ID: a0003
Revises: a0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "a0003"
down_revision = "a0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_profiles",
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("finance_officer", sa.String, nullable=False, server_default=""),  # 财务负责人
        sa.Column("legal_representative", sa.String, nullable=False, server_default=""),  # 法定代表人
        sa.Column("industry", sa.String, nullable=False, server_default=""),  # 行业
        sa.Column("enterprise_type", sa.String, nullable=False, server_default=""),  # 企业类型
        sa.Column("address", sa.String, nullable=False, server_default=""),  # 地址
        sa.Column("postcode", sa.String, nullable=False, server_default=""),  # 邮政编码
        sa.Column("phone", sa.String, nullable=False, server_default=""),  # 联系电话
        sa.Column("email", sa.String, nullable=False, server_default=""),  # 电子邮箱
        sa.Column("listed", sa.Boolean),  # 上市公司; NULL when the 管理子系统 has nothing
        sa.Column("refreshed_at", sa.String, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("unit_profiles")
