"""Applying a staged run in one transaction: classify 新增/变更/删除, record what changed, advance.

All set work happens in SQL inside SQLite, so a run of a million rows never passes through Python
memory. A record delivered twice (or again after a re-key, unchanged) compares equal and is neither
applied again nor counted. A full run holds the complete new contents in staging, so it is applied by
swapping the staging table in for the table (no row is copied, every index is built once) — unless it
differs from the table in a few rows only (``SWAP_SHARE``): then, like an incremental run, just those rows
are copied and the table keeps its indexes (a 全量更新 of a million rows that changed little skips ~4 s of
index builds). Either way the table ends up holding exactly what staging held.
A dataset's keys per value (``ValueKeys``: a name's pinyin, with its full-text index) follow in bulk, in the
same transaction: the values a run brings in get theirs, and a full update drops those no row holds.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from .dataset import Dataset, ValueKeys
from .runs import APPLIED, FULL, KEEP_RUNS, Counts, Run, sync_change_fields, sync_changes, sync_runs, sync_state

BULK_ROWS = 5_000
# A full run whose added, changed and deleted rows are at most this share of the rows held copies them
# (~0.05 ms a row at a million rows, its index entries updated in place) instead of swapping tables (which
# builds every index anew: ~5 µs per row held).
SWAP_SHARE = 0.05
_TEMP = ("_sync_changed", "_sync_added", "_sync_deleted", "_sync_unused")
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
    # One pass over the changed records (each looked up once in staging and once in the table), crossed with
    # the column list: a pass per column looked every record up once per column.
    fields = ", ".join(f"({number}, '{column}')" for number, column in enumerate(dataset.columns))

    def value_in(alias: str) -> str:
        whens = " ".join(f"WHEN {number} THEN {alias}.{c}" for number, c in enumerate(dataset.columns))
        return f"CASE f.column1 {whens} END"

    conn.exec_driver_sql(
        f"INSERT INTO sync_change_fields (run_id, key, field, old, new) "
        f"SELECT {run.id}, key, field, old, new FROM (SELECT s.key AS key, f.column2 AS field, "
        f"{value_in('t')} AS old, {value_in('s')} AS new FROM temp._sync_changed c CROSS JOIN {s} s "
        f"CROSS JOIN {t} t CROSS JOIN (VALUES {fields}) f WHERE s.key = c.key AND t.key = c.key) "
        f"WHERE new IS NOT old"
    )


def _text_columns(conn: Connection, text_index: str) -> str:
    return ", ".join(name for (name,) in conn.exec_driver_sql("SELECT name FROM pragma_table_info(?)", (text_index,)))


def _build_indexes(conn: Connection, statements: list[str]) -> None:
    """CREATE INDEX after a bulk load: one sort per index (building once beats updating it per row)."""
    for sql in statements:
        conn.exec_driver_sql(sql)


def add_value_keys(conn: Connection, keys: ValueKeys, source: str) -> int:
    """Give the values of ``source`` (a table or staging) that have no keys yet theirs, and index them.

    Keys are computed in Python once per new value; a full update of a million employees meets a few
    hundred thousand names the first time and almost none after. Returns how many values were added."""
    value, table = keys.source, keys.table
    new = [
        v
        for (v,) in conn.exec_driver_sql(
            f"SELECT DISTINCT {value} FROM {source} WHERE {value} NOT IN (SELECT {value} FROM {table}) ORDER BY {value}"
        )
    ]
    if not new:
        return 0
    compute = keys.compute
    held, last = conn.exec_driver_sql(f"SELECT count(*), coalesce(max(rowid), 0) FROM {table}").one()
    indexes = _indexes(conn, table) if len(new) > max(held, BULK_ROWS) else []
    for name, _sql in indexes:
        conn.exec_driver_sql(f"DROP INDEX {name}")
    columns = ", ".join((value, *keys.columns))
    marks = ", ".join("?" * (1 + len(keys.columns)))
    for start in range(0, len(new), BULK_ROWS):  # in slices: the keys of every name never sit in memory at once
        rows = [(v, *compute(v)) for v in new[start : start + BULK_ROWS]]
        conn.exec_driver_sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    _build_indexes(conn, [sql for _name, sql in indexes])
    if keys.text_index:  # the new rows come after every rowid held before
        indexed = _text_columns(conn, keys.text_index)
        conn.exec_driver_sql(
            f"INSERT INTO {keys.text_index}(rowid, {indexed}) SELECT rowid, {indexed} FROM {table} "
            f"WHERE rowid > ? ORDER BY rowid",
            (last,),
        )
    return len(new)


def drop_unused_value_keys(conn: Connection, keys: ValueKeys, rows: str) -> None:
    """Forget the values no row of ``rows`` holds any more (after a full update: the whole table).

    An external-content index forgets an entry only when told the values it indexed, so the entries go
    first, while the key rows still hold them."""
    value, table = keys.source, keys.table
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE _sync_unused AS SELECT k.rowid AS id FROM {table} k "
        f"WHERE NOT EXISTS (SELECT 1 FROM {rows} r WHERE r.{value} = k.{value})"
    )
    if keys.text_index:
        fts, indexed = keys.text_index, _text_columns(conn, keys.text_index)
        conn.exec_driver_sql(
            f"INSERT INTO {fts}({fts}, rowid, {indexed}) SELECT 'delete', rowid, {indexed} FROM {table} "
            f"WHERE rowid IN (SELECT id FROM temp._sync_unused)"
        )
    conn.exec_driver_sql(f"DELETE FROM {table} WHERE rowid IN (SELECT id FROM temp._sync_unused)")
    conn.exec_driver_sql("DROP TABLE temp._sync_unused")


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
    _build_indexes(conn, [sql for _name, sql in (*indexes, *staging_indexes)])
    if dataset.value_keys:
        drop_unused_value_keys(conn, dataset.value_keys, t)
        add_value_keys(conn, dataset.value_keys, t)


def _copy(conn: Connection, dataset: Dataset, counts: Counts) -> None:
    """Incremental run (or a full one that changes little): delete the deleted, write the added and changed,
    empty staging."""
    t, s = dataset.table, dataset.staging
    columns = ", ".join(("key", "seq", *dataset.columns))
    held = counts.total - counts.added
    bulk = counts.added + counts.changed > max(held, BULK_ROWS)
    if dataset.value_keys:  # a value no row holds any more stays until a full update: it finds no row
        add_value_keys(conn, dataset.value_keys, f"(SELECT * FROM {s} WHERE key IN ({_WRITTEN}))")
    conn.exec_driver_sql(f"DELETE FROM {t} WHERE key IN (SELECT key FROM temp._sync_deleted)")
    indexes = _indexes(conn, t) if bulk else []
    for name, _sql in indexes:
        conn.exec_driver_sql(f"DROP INDEX {name}")
    # A changed row is updated in place: it keeps its rowid, and an index none of whose columns changed is
    # left alone (REPLACE deleted the row and inserted it again, through every index).
    assigned = ", ".join(f"{c} = s.{c}" for c in ("seq", *dataset.columns))
    conn.exec_driver_sql(
        f"UPDATE {t} SET {assigned} FROM {s} s "
        f"WHERE s.key = {t}.key AND {t}.key IN (SELECT key FROM temp._sync_changed)"
    )
    conn.exec_driver_sql(
        f"INSERT INTO {t} ({columns}) SELECT {columns} FROM {s} WHERE key IN (SELECT key FROM temp._sync_added)"
    )
    _build_indexes(conn, [sql for _name, sql in indexes])
    conn.exec_driver_sql(f"DELETE FROM {s}")


def write(conn: Connection, dataset: Dataset, run: Run, counts: Counts, finished_at: str) -> None:
    """Bring the staged run into the table, advance the checkpoint, empty staging."""
    held_before = counts.total - counts.added + counts.deleted
    differences = counts.added + counts.changed + counts.deleted
    if run.mode == FULL and differences > held_before * SWAP_SHARE:
        _swap(conn, dataset)
    else:
        _copy(conn, dataset, counts)
        if run.mode == FULL and dataset.value_keys:
            drop_unused_value_keys(conn, dataset.value_keys, dataset.table)
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
