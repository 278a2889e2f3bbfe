"""``ListSource``: the SQL behind a ``ListSpec`` — a window of keys, the total, all keys, rows, a stream.

A list never loads all its rows. The first screen comes from one small window query (``LIMIT``), so its cost
does not grow with the table; the total and the whole ordered key list (for paging and jumping) follow in
the background. Keys of a table are its ``rowid``: integers, kept in an ``array`` (8 bytes each) — a million
of them cost 8 MB. Rows are fetched a block of keys at a time.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy
from sqlalchemy import bindparam, text

from .query import ListQuery, order_clause, where_clause
from .spec import ListSpec

# SQLite builds before 3.32 allow only 999 bound parameters per statement.
ROWS_CHUNK = 500
STREAM_BATCH = 2000
Row = tuple[Any, ...]  # a row's raw column values, in the spec's column order


class ListSource:
    def __init__(self, engine: sqlalchemy.Engine, spec: ListSpec) -> None:
        self.engine = engine
        self.spec = spec
        self._selected = ", ".join([f"{spec.key} AS sbf_row_key", *(column.sql for column in spec.columns)])

    def _statement(self, select: str, query: ListQuery, *, ordered: bool, tail: str = "") -> tuple[Any, dict[str, Any]]:
        where, params = where_clause(self.spec, query)
        order = order_clause(self.spec, query) if ordered else ""
        return text(f"SELECT {select} FROM {self.spec.source}{where}{order}{tail}"), params

    def window(self, query: ListQuery, offset: int, limit: int) -> list[Any]:
        """The keys of rows ``offset`` … ``offset + limit`` of the result, in order."""
        statement, params = self._statement(
            self.spec.key, query, ordered=True, tail=" LIMIT :sbf_limit OFFSET :sbf_offset"
        )
        with self.engine.connect() as conn:
            return list(conn.execute(statement, {**params, "sbf_limit": limit, "sbf_offset": offset}).scalars())

    def count(self, query: ListQuery) -> int:
        statement, params = self._statement("count(*)", query, ordered=False)
        with self.engine.connect() as conn:
            return int(conn.execute(statement, params).scalar_one())

    def keys(self, query: ListQuery) -> Sequence[Any]:
        """Every key of the result, in order: an ``array('q')`` when the keys are integers."""
        statement, params = self._statement(self.spec.key, query, ordered=True)
        with self.engine.connect() as conn:
            found = list(conn.execute(statement, params).scalars())
        if found and all(type(key) is int for key in found):
            return array("q", found)
        return found

    def rows(self, keys: Sequence[Any]) -> dict[Any, Row]:
        """The raw column values of these keys (chunked for SQLite's parameter limit)."""
        statement = text(f"SELECT {self._selected} FROM {self.spec.source} WHERE {self.spec.key} IN :keys").bindparams(
            bindparam("keys", expanding=True)
        )
        found: dict[Any, Row] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(keys), ROWS_CHUNK):
                chunk = list(keys[start : start + ROWS_CHUNK])
                for row in conn.execute(statement, {"keys": chunk}):
                    found[row[0]] = tuple(row[1:])
        return found

    def stream(self, query: ListQuery, keys: Sequence[Any] | None = None) -> Iterator[Row]:
        """The raw rows of the result in order (or of ``keys``, in their order): for exports, a batch at a time."""
        if keys is not None:
            for start in range(0, len(keys), STREAM_BATCH):
                chunk = list(keys[start : start + STREAM_BATCH])
                found = self.rows(chunk)
                yield from (found[key] for key in chunk if key in found)
            return
        statement, params = self._statement(self._selected, query, ordered=True)
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=STREAM_BATCH).execute(statement, params)
            for row in result:
                yield tuple(row[1:])

    def plan(self, query: ListQuery) -> str:
        """SQLite's query plan of the first window (for the test that every field is served by an index)."""
        statement, params = self._statement(self.spec.key, query, ordered=True, tail=" LIMIT 100")
        with self.engine.connect() as conn:
            rows = conn.execute(text(f"EXPLAIN QUERY PLAN {statement.text}"), params).all()
        return "\n".join(str(row[-1]) for row in rows)
