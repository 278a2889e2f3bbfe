"""What a user asked of a list — the query panel's values and the sort — as one WHERE clause and ORDER BY.

Everything typed reaches SQL as bound parameters; only the spec's own fragments are written into the
statement. An empty field (or the first choice, 全部) does not filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sbf_client.core.errors import InputError
from sbf_client.core.references import load_object

from .spec import ListSpec, QueryField

_WHEN = {"date_range": "日期", "month_range": "月份"}


def like_pattern(text: str) -> str:
    """``%text%`` with the user's own ``%``, ``_`` and ``\\`` taken literally (use with ``ESCAPE '\\'``)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass(frozen=True)
class ListQuery:
    """The query panel's values (field key → text, choice value, or a ``(start, end)`` pair) and the sort."""

    values: Mapping[str, Any] = field(default_factory=dict)
    order_column: str | None = None
    descending: bool = False

    def sorted_by(self, column: str | None, descending: bool = False) -> ListQuery:
        return ListQuery(self.values, column, descending)

    def same_filters(self, other: ListQuery) -> bool:
        return dict(self.values) == dict(other.values)


def where_clause(spec: ListSpec, query: ListQuery) -> tuple[str, dict[str, Any]]:
    """`` WHERE …`` (or ``""``) and its parameters, from the fields that have a value."""
    parts: list[str] = []
    params: dict[str, Any] = {}
    for number, item in enumerate(spec.fields):
        value = query.values.get(item.key)
        fragment = _fragment(item, value, f"q{number}")
        if fragment is None:
            continue
        sql, values = fragment
        parts.append(f"({sql})")
        for key, bound in values.items():
            if key in params and params[key] != bound:
                raise ValueError(f"{spec.id}: parameter :{key} is bound twice")
            params[key] = bound
    return (" WHERE " + " AND ".join(parts) if parts else ""), params


def order_clause(spec: ListSpec, query: ListQuery) -> str:
    """ORDER BY the chosen column (then the key, for a stable order), or the spec's default order."""
    direction = " DESC" if query.descending else ""
    if query.order_column is not None:
        column = spec.column(query.order_column)
        if column.sortable:
            return f" ORDER BY {column.sql}{direction}, {spec.key}{direction}"
    return f" ORDER BY {spec.order}, {spec.key}"


def _fragment(item: QueryField, value: Any, name: str) -> tuple[str, dict[str, Any]] | None:
    if item.kind in ("date_range", "month_range"):
        start, end = value if isinstance(value, tuple | list) and len(value) == 2 else ("", "")
        if start and end and start > end:
            raise InputError(f"{item.label}的开始{_WHEN[item.kind]}不能晚于结束{_WHEN[item.kind]}，请重新选择。")
        parts, params = [], {}
        if start:
            parts.append(f"{item.sql} >= :{name}_from")
            params[f"{name}_from"] = start
        if end:
            # A date field's end includes the whole of its last day (更新时间 carries the time of day).
            parts.append(f"{item.sql} <= :{name}_to")
            params[f"{name}_to"] = f"{end} 23:59:59" if item.kind == "date_range" and len(end) == 10 else end
        return (" AND ".join(parts), params) if parts else None
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = value.strip().upper() if item.upper else value.strip()
    if item.kind in ("search", "group"):
        if item.filter is None:
            raise ValueError(f"query field {item.key!r} names no filter")
        sql, params = load_object(item.filter)(value)
        return sql, params
    if item.kind == "like":
        return f"{item.sql} LIKE :{name} ESCAPE '\\'", {name: like_pattern(value)}
    return f"{item.sql} = :{name}", {name: value}
