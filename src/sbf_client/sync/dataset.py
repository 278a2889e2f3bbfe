"""A dataset says what is synced (its feed, table, columns and how a record maps to a row), not how."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec


@dataclass(frozen=True)
class ValueKeys:
    """Search keys of one column's values (a name's pinyin), held once per distinct value, not per row.

    ``table`` has the value in a unique column named like ``source`` (``name``), then ``columns``;
    ``text_index`` names an external-content FTS5 table over it. A million employees share a few hundred
    thousand names, so keys are computed (``compute``: value → one value per column) and indexed once per
    name: rows are found through their value (``name IN (SELECT name FROM employee_names WHERE …)``). The
    apply adds the values a run brings in and, after a full update, drops those no row holds any more, in
    bulk and in the run's transaction, never with triggers. A change to ``compute`` comes with a migration
    that recomputes ``table``.
    """

    source: str
    table: str
    columns: tuple[str, ...]
    compute: Callable[[str], tuple[Any, ...]]
    text_index: str | None = None


@dataclass(frozen=True)
class Dataset:
    """One cached collection fed by one server change feed.

    The module's migration creates ``table`` (``key`` primary key, ``columns``, ``seq``), ``<table>_staging``
    with exactly the same schema (a full update swaps the two), and ``<table>_staging_deleted`` (``key``,
    ``seq``). The table is a pure replica of the feed: local annotations (分组, 备注) live in tables of their
    own, keyed by ``key``. ``record_type`` is the msgspec
    struct a feed record's ``data`` decodes into (nested lists can stay ``msgspec.Raw``, stored as JSON
    text without being parsed); ``to_row`` turns it into the column values, in order. ``labels`` name the
    columns in the user's words, for the update details (更新数据明细); ``name_column`` names a record there.

    ``value_keys`` declares search keys kept per distinct value of a column (``ValueKeys``).
    """

    name: str
    feed: str
    table: str
    columns: tuple[str, ...]
    labels: dict[str, str]
    record_type: type[msgspec.Struct]
    to_row: Callable[[Any], tuple[Any, ...]]
    title: str  # e.g. 职工, for messages
    name_column: str = "name"
    value_keys: ValueKeys | None = None

    @property
    def staging(self) -> str:
        return f"{self.table}_staging"

    @property
    def staging_deleted(self) -> str:
        return f"{self.table}_staging_deleted"


def feed_dataset(
    *,
    name: str,
    table: str,
    title: str,
    columns: Sequence[tuple[str, str]],
    raw: frozenset[str] = frozenset(),
    upper: frozenset[str] = frozenset(),
    feed: str | None = None,
    value_keys: ValueKeys | None = None,
) -> Dataset:
    """A dataset whose feed records are flat objects of text fields, declared as (field, label) pairs.

    Fields in ``raw`` (nested lists) stay undecoded JSON and are stored as text; fields in ``upper`` are
    upper-cased (ID numbers with a lowercase check character). The record type and the row mapping are built
    from the declaration, so a module states what it syncs and nothing else.
    """
    names = tuple(field for field, _label in columns)
    record_type = msgspec.defstruct(
        f"{name.title().replace('_', '')}Record", [(f, msgspec.Raw if f in raw else str) for f in names], gc=False
    )
    read = operator.attrgetter(*names)
    raw_at = [i for i, f in enumerate(names) if f in raw]
    upper_at = [i for i, f in enumerate(names) if f in upper]

    def to_row(data: Any) -> tuple[Any, ...]:
        values = list(read(data))
        for i in raw_at:
            values[i] = bytes(values[i]).decode()
        for i in upper_at:
            values[i] = values[i].upper()
        return tuple(values)

    return Dataset(
        name=name,
        feed=feed or name,
        table=table,
        columns=names,
        labels=dict(columns),
        record_type=record_type,
        to_row=to_row,
        title=title,
        value_keys=value_keys,
    )
