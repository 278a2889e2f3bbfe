"""Qt-free data access for a list page: the ordered keys matching a query, and the rows of some keys.

A list never loads all its rows: it keeps the keys (one small value each) and fetches the columns of the few
hundred rows on screen. Everything user-typed reaches SQL as bound parameters; only the page's own fixed
SQL fragments (table, column expressions, filter templates) are written into the statement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy
from sqlalchemy import bindparam, text

# SQLite builds before 3.32 allow only 999 bound parameters per statement.
ROWS_CHUNK = 500


@dataclass(frozen=True)
class Column:
    """One column of a list: what it selects, how it is titled, sized, aligned and shown."""

    key: str
    title: str
    sql: str
    sortable: bool = True
    width: int = 120
    align: str = "left"  # "left" | "right" | "center"
    format: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Filter:
    """A WHERE fragment written by the page (``"name LIKE :name"``) and the values of its parameters."""

    sql: str
    params: dict[str, Any]


class SqlSource:
    """The keys and rows of one list: ``from_sql`` is a table or a join, ``key_sql`` a unique key expression."""

    def __init__(
        self,
        engine: sqlalchemy.Engine,
        from_sql: str,
        key_sql: str,
        columns: Sequence[Column],
        default_order: str,
    ) -> None:
        self.engine = engine
        self.from_sql = from_sql
        self.key_sql = key_sql
        self.columns: tuple[Column, ...] = tuple(columns)
        self.default_order = default_order
        self._by_key = {column.key: column for column in self.columns}
        if len(self._by_key) != len(self.columns):
            raise ValueError("列的 key 重复")

    def column(self, key: str) -> Column:
        try:
            return self._by_key[key]
        except KeyError:
            raise ValueError(f"unknown column {key!r}") from None

    def keys(self, filters: Sequence[Filter], order_column: str | None, descending: bool) -> list[Any]:
        """All keys matching the filters, in order (ORDER BY the column's sql, then key_sql for stability)."""
        where, params = _where(filters)
        direction = " DESC" if descending else ""
        if order_column is not None and self.column(order_column).sortable:
            order = f"{self.column(order_column).sql}{direction}, {self.key_sql}{direction}"
        else:
            order = f"{self.default_order}, {self.key_sql}"
        statement = text(f"SELECT {self.key_sql} FROM {self.from_sql}{where} ORDER BY {order}")
        with self.engine.connect() as conn:
            return list(conn.execute(statement, params).scalars())

    def rows(self, keys: Sequence[Any]) -> dict[Any, tuple]:
        """The column values (raw, unformatted) of these keys, fetched in one query (chunk by 500 for SQLite's
        parameter limit)."""
        selected = ", ".join([f"{self.key_sql} AS sbf_row_key", *(column.sql for column in self.columns)])
        statement = text(f"SELECT {selected} FROM {self.from_sql} WHERE {self.key_sql} IN :keys").bindparams(
            bindparam("keys", expanding=True)
        )
        found: dict[Any, tuple] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(keys), ROWS_CHUNK):
                chunk = list(keys[start : start + ROWS_CHUNK])
                for row in conn.execute(statement, {"keys": chunk}):
                    found[row[0]] = tuple(row[1:])
        return found


def _where(filters: Sequence[Filter]) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {}
    for item in filters:
        for name, value in item.params.items():
            if name in params and params[name] != value:
                raise ValueError(f"parameter :{name} is given two different values")
            params[name] = value
    if not filters:
        return "", params
    return " WHERE " + " AND ".join(f"({item.sql})" for item in filters), params
