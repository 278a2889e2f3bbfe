"""Employer branch: a name's pinyin search keys held once per distinct name, not once per employee.

e0003 stored ``name_initials`` / ``name_pinyin`` on every row of ``employees`` (and of its staging twin) and
indexed each query field separately: a 全量更新 of a million employees computed and indexed a million key
pairs and built six indexes. Here the keys move to ``employee_names`` — each distinct name once (a million
employees share a few hundred thousand), with ``employee_names_by_initials`` (initials, pinyin, name) for
pinyin prefixes and ``employee_names_fts``, an external-content FTS5 trigram index over name and pinyin, for
pieces of three characters and more. The sync keeps the names in step in bulk at the end of a run
(``Dataset.value_keys``), never with per-row triggers.

``employees`` keeps one list index, ``employees_by_name`` (name, id_number, status, id_type, unit_no,
updated_at), besides e0001's exact ``employees_by_id_number``: the default window's covering index and the one
a name's rows are found through. Every other field — a 证件号码 fragment, 参保状态, 证件类型, 单位编号, a 更新时间
range — is met walking it in list order (``ORDER BY name, rowid``), testing each entry, until the window is
full: at worst one pass over a narrow index (~50–100 ms at a million rows, for a value no one has), where an
index per field cost a full update ~2 s each at a million rows.

Revision ID: e0006_name_keys
Revises: e0005_unit_insurance
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from sbf_client.modules.employer.domain.pinyin import pinyin_keys

revision = "e0006_name_keys"
down_revision = "e0005_unit_insurance"
branch_labels = None
depends_on = None

ROW_KEYS = ("name_initials", "name_pinyin")  # e0003's columns, on both tables
TABLES = ("employees", "employees_staging")
# e0003's indexes → the one that replaces them (the list's key, rowid, is in every index).
OLD_INDEXES = (
    "employees_by_name",
    "employees_by_status",
    "employees_by_id_type",
    "employees_by_unit_no",
    "employees_by_updated_at",
    "employees_by_initials",
)
NAME_INDEX = ("name", "id_number", "status", "id_type", "unit_no", "updated_at")
NAME_FTS = (
    "CREATE VIRTUAL TABLE employee_names_fts USING fts5(name, pinyin, content='employee_names', "
    "content_rowid='rowid', tokenize='trigram', columnsize=0)"
)


def _fill_names(conn: sa.Connection) -> None:
    """Each distinct name cached so far, with its keys, in name order; then the full-text index over them."""
    names = [name for (name,) in conn.exec_driver_sql("SELECT DISTINCT name FROM employees ORDER BY name")]
    if names:
        conn.exec_driver_sql(
            "INSERT INTO employee_names (name, initials, pinyin) VALUES (?, ?, ?)",
            [(name, *pinyin_keys(name)) for name in names],
        )
    conn.exec_driver_sql(
        "INSERT INTO employee_names_fts(rowid, name, pinyin) SELECT rowid, name, pinyin FROM employee_names"
    )


def upgrade() -> None:
    conn = op.get_bind()
    conn.exec_driver_sql("DROP TABLE employees_fts")
    for name in OLD_INDEXES:
        op.drop_index(name, table_name="employees")
    for table in TABLES:  # SQLite drops a column in place when no index or constraint names it
        for column in ROW_KEYS:
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.create_index("employees_by_name", "employees", list(NAME_INDEX))
    op.create_table(
        "employee_names",
        sa.Column("name", sa.String, nullable=False, unique=True),
        sa.Column("initials", sa.String, nullable=False),  # 林婷 → lt (domain.pinyin)
        sa.Column("pinyin", sa.String, nullable=False),  # 林婷 → linting
    )
    op.create_index("employee_names_by_initials", "employee_names", ["initials", "pinyin", "name"])
    conn.exec_driver_sql(NAME_FTS)
    _fill_names(conn)


OLD_INDEX_COLUMNS = (
    ("name", "id_number", "name_initials", "name_pinyin"),
    ("status", "name"),
    ("id_type", "name"),
    ("unit_no", "name"),
    ("updated_at", "name"),
    ("name_initials", "name", "name_pinyin"),
)


def downgrade() -> None:
    """Back to e0003: the keys on every row again, taken from ``employee_names`` before it goes."""
    conn = op.get_bind()
    for table in TABLES:
        for column in ROW_KEYS:
            op.add_column(table, sa.Column(column, sa.String, nullable=False, server_default=""))
        conn.exec_driver_sql(
            f"UPDATE {table} SET name_initials = k.initials, name_pinyin = k.pinyin FROM employee_names k "
            f"WHERE k.name = {table}.name"
        )
    conn.exec_driver_sql("DROP TABLE employee_names_fts")
    op.drop_table("employee_names")
    op.drop_index("employees_by_name", table_name="employees")
    for name, columns in zip(OLD_INDEXES, OLD_INDEX_COLUMNS, strict=True):
        op.create_index(name, "employees", list(columns))
    conn.exec_driver_sql(
        "CREATE VIRTUAL TABLE employees_fts USING fts5(name, name_pinyin, content='employees', "
        "content_rowid='rowid', tokenize='trigram', columnsize=0)"
    )
    conn.exec_driver_sql(
        "INSERT INTO employees_fts(rowid, name, name_pinyin) SELECT rowid, name, name_pinyin FROM employees"
    )
