"""Employer branch: staging for the employee feed, and the local 缴费工资申报记录.

``employees_staging`` has exactly the schema of ``employees``: a full update swaps the two tables, so any
later change to ``employees`` must be made to ``employees_staging`` too. Staged deletions go to
``employees_staging_deleted``.

Revision ID: e0002
Revises: e0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "e0002"
down_revision = "e0001"
branch_labels = None
depends_on = "u0002"


def upgrade() -> None:
    op.create_table(
        "employees_staging",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("person_no", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("gender", sa.String, nullable=False),
        sa.Column("id_type", sa.String, nullable=False),
        sa.Column("id_number", sa.String, nullable=False),
        sa.Column("birth_date", sa.String, nullable=False),
        sa.Column("unit_no", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.Column("insured", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "employees_staging_deleted",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "wage_declarations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("outbox_id", sa.Integer, sa.ForeignKey("outbox.id"), nullable=False, unique=True),
        sa.Column("server_id", sa.Integer),
        sa.Column("declaration_type", sa.String, nullable=False),  # 日常 / 年度
        sa.Column("by", sa.String, nullable=False),  # 按职工 / 按险种
        sa.Column("submitted_at", sa.String, nullable=False),
        sa.Column("tax_authority", sa.String, nullable=False, server_default=""),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("status", sa.String, nullable=False),  # 提交中 / 待反馈 / 全部申报成功 / … / 提交失败
        sa.Column("message", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "wage_declaration_items",
        sa.Column(
            "declaration_id", sa.Integer, sa.ForeignKey("wage_declarations.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("employee_key", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("id_type", sa.String, nullable=False),
        sa.Column("id_number", sa.String, nullable=False),
        sa.Column("item", sa.String),
        sa.Column("old_wage", sa.String),
        sa.Column("new_wage", sa.String, nullable=False),
        sa.Column("effective_month", sa.String),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
    )


def downgrade() -> None:
    for table in ("wage_declaration_items", "wage_declarations", "employees_staging_deleted", "employees_staging"):
        op.drop_table(table)
