"""Employer branch: 职工分组 — the unit's own group tree and who is in which group (manual 2.2 四、分组).

Both tables belong to the unit, not to the server: no update replaces them. Members are keyed by 证件类型 +
证件号码, not by the cached row nor the server's record key, so a group outlives 全量更新 and 增量更新 (see
``modules/employer/store/groups.py``). Sibling names are unique (the manual's 相同层级的分组名称不可重复), kept
by the database too.

Revision ID: e0004_groups
Revises: e0003_name_search
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "e0004_groups"
down_revision = "e0003_name_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "employee_groups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("employee_groups.id", ondelete="CASCADE")),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("level", sa.Integer, nullable=False),  # 1, 2 or 3 (分组层级最多为3级)
        sa.Column("path", sa.String, nullable=False),  # 一级/二级/三级, recomputed when a name changes
        sa.Column("position", sa.Integer, nullable=False),  # order among its siblings
        sa.Column("saved_at", sa.String, nullable=False),  # 保存时间
        sa.CheckConstraint("level BETWEEN 1 AND 3", name="ck_employee_groups_level"),
        sa.CheckConstraint("(level = 1) = (parent_id IS NULL)", name="ck_employee_groups_root"),
    )
    # Siblings: a top-level group's parent is NULL, which a plain unique index would not compare.
    op.execute("CREATE UNIQUE INDEX ux_employee_groups_sibling ON employee_groups (coalesce(parent_id, 0), name)")
    op.create_index("ix_employee_groups_path", "employee_groups", ["path"])
    op.create_index("ix_employee_groups_parent", "employee_groups", ["parent_id"])
    op.create_table(
        "employee_group_members",
        sa.Column("id_type", sa.String, primary_key=True),  # 证件类型 code
        sa.Column("id_number", sa.String, primary_key=True),  # 证件号码 (upper case, as cached)
        sa.Column("group_id", sa.Integer, sa.ForeignKey("employee_groups.id", ondelete="CASCADE"), nullable=False),
        sa.Column("assigned_at", sa.String, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_employee_group_members_group", "employee_group_members", ["group_id"])


def downgrade() -> None:
    op.drop_table("employee_group_members")
    op.drop_table("employee_groups")
