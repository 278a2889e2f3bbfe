"""Employer branch: 单位参保信息 (manual 2.19) — the unit's 参保信息 per 单位编号 × 征收项目, as last downloaded.

A replica of the 管理子系统's small list, replaced as a whole at each download (login, 【更新】);
``unit_insurance_downloads`` holds when that last happened (no row: never downloaded, the page says so). The
缴费基数 is decimal text, as on the wire. The indexes serve the page's query fields.

Revision ID: e0005_unit_insurance
Revises: e0004_groups
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "e0005_unit_insurance"
down_revision = "e0004_groups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_insurance",
        sa.Column("id", sa.Integer, primary_key=True),  # the rowid: the list's key
        sa.Column("unit_no", sa.String, nullable=False),  # 单位编号
        sa.Column("agency", sa.String, nullable=False),  # 社保经办机构
        sa.Column("tax_authority", sa.String, nullable=False),  # 主管税务机关
        sa.Column("item", sa.String, nullable=False),  # 征收项目 code
        sa.Column("category", sa.String, nullable=False),  # 征收品目 code, may be blank
        sa.Column("sub", sa.String, nullable=False),  # 征收子目 code, may be blank
        sa.Column("status", sa.String, nullable=False),  # 参保状态 code: 1 正常缴费, 2 停止缴费
        sa.Column("start_month", sa.String, nullable=False),  # 开始缴费月份 YYYY-MM
        sa.Column("end_month", sa.String),  # 终止缴费月份; NULL while paid (长期)
        sa.Column("base", sa.String, nullable=False),  # 缴费基数, decimal text
    )
    op.create_index("unit_insurance_by_unit_no", "unit_insurance", ["unit_no", "item"])
    op.create_index("unit_insurance_by_agency", "unit_insurance", ["agency"])
    op.create_index("unit_insurance_by_item", "unit_insurance", ["item"])
    op.create_table(
        "unit_insurance_downloads",
        sa.Column("id", sa.Integer, primary_key=True),  # always 1
        sa.Column("downloaded_at", sa.String, nullable=False),  # the client's clock
        sa.Column("as_of", sa.String, nullable=False),  # the 管理子系统's time of the answer
        sa.CheckConstraint("id = 1", name="ck_unit_insurance_downloads_one_row"),
    )


def downgrade() -> None:
    op.drop_table("unit_insurance_downloads")
    op.drop_table("unit_insurance")
