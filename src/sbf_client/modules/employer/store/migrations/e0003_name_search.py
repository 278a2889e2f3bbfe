"""Employer branch: every query field of 职工参保信息更新 served by an index, and the one name search box.

``name_initials`` / ``name_pinyin`` (林婷 → lt / linting) are added to ``employees`` and to
``employees_staging`` (a full update swaps the two, so they keep one schema); the sync fills them as it
stages rows, and here the rows already cached get them in bulk — once per distinct name, then one UPDATE.

Indexes (each ends in ``name`` so a filter's matches come out in the list's ``ORDER BY name, rowid``):
``employees_by_name`` (name, id_number, name_initials, name_pinyin) is the default window's covering index
and the one that short fragments scan in name order; 参保状态, 证件类型, 单位编号 and 更新时间 each lead an
index of their own; ``id_number`` keeps its exact-match index. ``employees_fts`` is an external-content
FTS5 trigram index over name and name_pinyin, for substrings of three characters and more; the
sync keeps it in step in bulk at the end of a run (``Dataset.text_index``), never with per-row triggers.

Revision ID: e0003_name_search
Revises: e0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from sbf_client.modules.employer.domain.pinyin import pinyin_keys

revision = "e0003_name_search"
down_revision = "e0002"
branch_labels = None
depends_on = None

TABLES = ("employees", "employees_staging")
KEY_COLUMNS = ("name_initials", "name_pinyin")
# name → what each index holds; the list's key (rowid) is in every index.
INDEXES = {
    "employees_by_name": ("name", "id_number", "name_initials", "name_pinyin"),
    "employees_by_status": ("status", "name"),
    "employees_by_id_type": ("id_type", "name"),
    "employees_by_unit_no": ("unit_no", "name"),
    "employees_by_updated_at": ("updated_at", "name"),
    "employees_by_initials": ("name_initials", "name", "name_pinyin"),
}
REPLACED = ("employees_by_name",)  # e0001's one-column index, widened to cover the list
FTS = (
    "CREATE VIRTUAL TABLE employees_fts USING fts5(name, name_pinyin, content='employees', "
    "content_rowid='rowid', tokenize='trigram', columnsize=0)"
)


def _fill_keys(conn: sa.Connection, table: str) -> None:
    """Each distinct name is read once; then one UPDATE joins the table to the names' keys."""
    names = [name for (name,) in conn.exec_driver_sql(f"SELECT DISTINCT name FROM {table}")]
    if not names:
        return
    conn.exec_driver_sql("CREATE TEMP TABLE _name_keys (name TEXT PRIMARY KEY, initials TEXT, pinyin TEXT)")
    conn.exec_driver_sql("INSERT INTO temp._name_keys VALUES (?, ?, ?)", [(name, *pinyin_keys(name)) for name in names])
    conn.exec_driver_sql(
        f"UPDATE {table} SET name_initials = k.initials, name_pinyin = k.pinyin FROM temp._name_keys k "
        f"WHERE k.name = {table}.name"
    )
    conn.exec_driver_sql("DROP TABLE temp._name_keys")


def upgrade() -> None:
    conn = op.get_bind()
    for table in TABLES:
        for column in KEY_COLUMNS:
            op.add_column(table, sa.Column(column, sa.String, nullable=False, server_default=""))
        _fill_keys(conn, table)
    for name in REPLACED:
        op.drop_index(name, table_name="employees")
    for name, columns in INDEXES.items():
        op.create_index(name, "employees", list(columns))
    conn.exec_driver_sql(FTS)
    conn.exec_driver_sql(
        "INSERT INTO employees_fts(rowid, name, name_pinyin) "
        "SELECT rowid, name, name_pinyin FROM employees ORDER BY rowid"
    )


def downgrade() -> None:
    conn = op.get_bind()
    conn.exec_driver_sql("DROP TABLE employees_fts")
    for name in INDEXES:
        op.drop_index(name, table_name="employees")
    op.create_index("employees_by_name", "employees", ["name"])
    for table in TABLES:
        for column in KEY_COLUMNS:
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
