"""Employer branch: the cached employees (职工参保信息) of the unit.

Revision ID: e0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "e0001"
down_revision = None
branch_labels = ("employer",)
depends_on = "u0001"


def upgrade() -> None:
    op.create_table(
        "employees",
        sa.Column("key", sa.String, primary_key=True),  # the server's record key, never an ID number
        sa.Column("person_no", sa.String, nullable=False),  # 人员编号
        sa.Column("name", sa.String, nullable=False),
        sa.Column("gender", sa.String, nullable=False),
        sa.Column("id_type", sa.String, nullable=False),
        sa.Column("id_number", sa.String, nullable=False),
        sa.Column("birth_date", sa.String, nullable=False),
        sa.Column("unit_no", sa.String, nullable=False),  # 单位编号
        sa.Column("status", sa.String, nullable=False),  # 参保状态 code
        sa.Column("updated_at", sa.String, nullable=False),  # 更新时间 as the server reports it
        sa.Column("insured", sa.Text, nullable=False),  # JSON list of 险种 rows (职工参保明细)
        sa.Column("seq", sa.Integer, nullable=False),  # feed position of the version held here
    )
    # Only selective columns get an index: 参保状态 and 单位编号 have a handful of values, a scan is as fast.
    for column in ("name", "id_number"):
        op.create_index(f"employees_by_{column}", "employees", [column])


def downgrade() -> None:
    op.drop_table("employees")
