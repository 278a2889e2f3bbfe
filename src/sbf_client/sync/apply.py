"""Applying a staged run in one transaction: classify 新增/变更/删除, record what changed, advance.

All set work happens in SQL inside SQLite, so a run of a million rows never passes through Python
memory. A record delivered twice (or again after a re-key, unchanged) compares equal and is neither
applied again nor counted. A full run holds the complete new contents in staging, so it is applied by
swapping the staging table in for the table (no row is copied); an incremental run copies its rows.
A dataset's full-text index follows in bulk, in the same transaction: rebuilt after a swap or a bulk
copy, else its entries for the rows leaving are dropped before the copy and the rows written added after.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from .dataset import Dataset
from .runs import APPLIED, FULL, KEEP_RUNS, Counts, Run, sync_change_fields, sync_changes, sync_runs, sync_state

BULK_ROWS = 5_000
_TEMP = ("_sync_changed", "_sync_added", "_sync_deleted")
_LEAVING = "SELECT key FROM temp._sync_deleted UNION ALL SELECT key FROM temp._sync_changed"
_WRITTEN = "SELECT key FROM temp._sync_added UNION ALL SELECT key FROM temp._sync_changed"


def _indexes(conn: Connection, table: str) -> list[tuple[str, str]]:
    """The table's own (non-automatic) indexes as (name, CREATE statement)."""
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)
    )
    return [(name, sql) for name, sql in rows]


def _diff(dataset: Dataset) -> str:
    return " OR ".join(f"s.{c} IS NOT t.{c}" for c in dataset.columns)


def _drop_temp(conn: Connection) -> None:
    for name in _TEMP:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{name}")


def classify(conn: Connection, dataset: Dataset, run: Run) -> tuple[int, Counts]:
    """Fill the temp tables of added, changed and deleted keys; returns (records held now, counts)."""
    t, s, gone = dataset.table, dataset.staging, dataset.staging_deleted
    _drop_temp(conn)
    held = conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE _sync_added AS SELECT s.key FROM {s} s LEFT JOIN {t} t ON t.key = s.key WHERE t.key IS NULL"
    )
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE _sync_changed AS SELECT s.key FROM {s} s JOIN {t} t ON t.key = s.key WHERE {_diff(dataset)}"
    )
    if run.mode == FULL:
        conn.exec_driver_sql(
            f"CREATE TEMP TABLE _sync_deleted AS SELECT t.key FROM {t} t "
            f"WHERE NOT EXISTS (SELECT 1 FROM {s} s WHERE s.key = t.key)"
        )
    else:
        conn.exec_driver_sql(
            f"CREATE TEMP TABLE _sync_deleted AS SELECT d.key FROM {gone} d JOIN {t} t ON t.key = d.key"
        )

    def count(name: str) -> int:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM temp.{name}").scalar_one())

    added, changed, deleted = count("_sync_added"), count("_sync_changed"), count("_sync_deleted")
    return held, Counts(added, changed, deleted, held + added - deleted)


def record_changes(conn: Connection, dataset: Dataset, run: Run, *, include_added: bool) -> None:
    """What the run changes, for 更新数据明细: records with their kind, and old → new per changed field."""
    t, s, n = dataset.table, dataset.staging, dataset.name_column
    conn.exec_driver_sql(
        f"INSERT INTO sync_changes (run_id, key, kind, name) SELECT {run.id}, d.key, '删除', t.{n} "
        f"FROM temp._sync_deleted d JOIN {t} t ON t.key = d.key"
    )
    conn.exec_driver_sql(
        f"INSERT INTO sync_changes (run_id, key, kind, name) SELECT {run.id}, c.key, '变更', s.{n} "
        f"FROM temp._sync_changed c JOIN {s} s ON s.key = c.key"
    )
    if include_added:
        conn.exec_driver_sql(
            f"INSERT INTO sync_changes (run_id, key, kind, name) SELECT {run.id}, a.key, '新增', s.{n} "
            f"FROM temp._sync_added a JOIN {s} s ON s.key = a.key"
        )
    for column in dataset.columns:
        conn.exec_driver_sql(
            f"INSERT INTO sync_change_fields (run_id, key, field, old, new) "
            f"SELECT {run.id}, s.key, '{column}', t.{column}, s.{column} FROM temp._sync_changed c "
            f"JOIN {s} s ON s.key = c.key JOIN {t} t ON t.key = c.key WHERE s.{column} IS NOT t.{column}"
        )


def _text_columns(conn: Connection, text_index: str) -> str:
    return ", ".join(name for (name,) in conn.exec_driver_sql("SELECT name FROM pragma_table_info(?)", (text_index,)))


def rebuild_text_index(conn: Connection, dataset: Dataset) -> None:
    """Index every row afresh: emptied, then refilled in rowid order — at a million employees about 8 s,
    where FTS5's own 'rebuild' took 40 s on the same data."""
    fts = dataset.text_index
    if fts:
        columns = _text_columns(conn, fts)
        conn.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')")
        conn.exec_driver_sql(
            f"INSERT INTO {fts}(rowid, {columns}) SELECT rowid, {columns} FROM {dataset.table} ORDER BY rowid"
        )


def _reindex_text(conn: Connection, fts: str, table: str, keys: str, *, remove: bool) -> None:
    """Drop (``remove``) or add the full-text entries of the table's rows whose key is in ``keys`` (a SELECT).

    An external-content index forgets a row only when told the values it indexed, so entries are dropped
    while the rows still hold them."""
    columns = _text_columns(conn, fts)
    command, value = (f"{fts}, ", "'delete', ") if remove else ("", "")
    conn.exec_driver_sql(
        f"INSERT INTO {fts}({command}rowid, {columns}) SELECT {value}rowid, {columns} FROM {table} "
        f"WHERE key IN ({keys})"
    )


def _swap(conn: Connection, dataset: Dataset) -> None:
    """Full run: the staging table becomes the table; a fresh staging table takes its place."""
    t, s = dataset.table, dataset.staging
    staging_sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (s,)).scalar()
    assert staging_sql is not None  # the migrations made it
    indexes = _indexes(conn, t)
    staging_indexes = _indexes(conn, s)
    conn.exec_driver_sql(f"DROP TABLE {t}")
    conn.exec_driver_sql(f'ALTER TABLE {s} RENAME TO "{t}"')
    conn.exec_driver_sql(staging_sql)
    for _name, sql in (*indexes, *staging_indexes):
        conn.exec_driver_sql(sql)
    rebuild_text_index(conn, dataset)


def _copy(conn: Connection, dataset: Dataset, counts: Counts) -> None:
    """Incremental run: delete the deleted, write the added and changed, empty staging."""
    t, s = dataset.table, dataset.staging
    columns = ", ".join(("key", "seq", *dataset.stored_columns))
    held = counts.total - counts.added
    bulk = counts.added + counts.changed > max(held, BULK_ROWS)
    text_by_row = dataset.text_index if not bulk else None
    if text_by_row:
        _reindex_text(conn, text_by_row, t, _LEAVING, remove=True)
    conn.exec_driver_sql(f"DELETE FROM {t} WHERE key IN (SELECT key FROM temp._sync_deleted)")
    indexes = _indexes(conn, t) if bulk else []
    for name, _sql in indexes:  # building an index once after a bulk load beats updating it per row
        conn.exec_driver_sql(f"DROP INDEX {name}")
    conn.exec_driver_sql(f"INSERT OR REPLACE INTO {t} ({columns}) SELECT {columns} FROM {s} WHERE key IN ({_WRITTEN})")
    for _name, sql in indexes:
        conn.exec_driver_sql(sql)
    if text_by_row:
        _reindex_text(conn, text_by_row, t, _WRITTEN, remove=False)
    elif bulk:
        rebuild_text_index(conn, dataset)
    conn.exec_driver_sql(f"DELETE FROM {s}")


def write(conn: Connection, dataset: Dataset, run: Run, counts: Counts, finished_at: str) -> None:
    """Bring the staged run into the table, advance the checkpoint, empty staging."""
    if run.mode == FULL:
        _swap(conn, dataset)
    else:
        _copy(conn, dataset, counts)
    conn.exec_driver_sql(f"DELETE FROM {dataset.staging_deleted}")
    values = {
        "epoch": run.epoch or "",
        "checkpoint": run.staged_through,
        "last_run_id": run.id,
        "updated_at": finished_at,
    }
    exists = conn.execute(select(sync_state.c.dataset).where(sync_state.c.dataset == dataset.name)).first()
    if exists:
        conn.execute(update(sync_state).where(sync_state.c.dataset == dataset.name).values(**values))
    else:
        conn.execute(insert(sync_state).values(dataset=dataset.name, **values))
    conn.execute(
        update(sync_runs)
        .where(sync_runs.c.id == run.id)
        .values(
            status=APPLIED,
            finished_at=finished_at,
            added=counts.added,
            changed=counts.changed,
            deleted=counts.deleted,
            total=counts.total,
        )
    )
    old_runs = (
        conn.execute(
            select(sync_runs.c.id)
            .where(sync_runs.c.dataset == dataset.name)
            .order_by(sync_runs.c.id.desc())
            .offset(KEEP_RUNS)
        )
        .scalars()
        .all()
    )
    if old_runs:
        conn.execute(delete(sync_change_fields).where(sync_change_fields.c.run_id.in_(old_runs)))
        conn.execute(delete(sync_changes).where(sync_changes.c.run_id.in_(old_runs)))
    _drop_temp(conn)
