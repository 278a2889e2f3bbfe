"""A dataset says what is synced (its feed, table, columns and how a record maps to a row), not how."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import msgspec


@dataclass(frozen=True)
class Derived:
    """Columns stored beside a record's fields, computed from one of them (``source``) as the record is staged:
    search keys such as a name's pinyin. They follow from ``source``, so they are never compared as changes
    (a change to ``compute`` comes with a migration that recomputes the rows already held)."""

    source: str
    columns: tuple[str, ...]
    compute: Callable[[Any], tuple[Any, ...]]


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

    ``derived`` columns follow ``columns`` in the table (and in staging). ``text_index`` names an
    external-content FTS5 table over ``table``, which the apply keeps in step in bulk — rebuilt after a full
    update, re-indexed for just the rows an incremental one touched — never by per-row triggers.
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
    derived: tuple[Derived, ...] = ()
    text_index: str | None = None

    @property
    def stored_columns(self) -> tuple[str, ...]:
        """The columns a row holds besides ``key`` and ``seq``: the record's, then the derived ones."""
        return self.columns + tuple(column for derived in self.derived for column in derived.columns)

    @cached_property
    def stored_row(self) -> Callable[[Any], tuple[Any, ...]]:
        """``to_row`` followed by the derived columns' values: what staging holds for a record."""
        to_row = self.to_row
        if not self.derived:
            return to_row
        plan = [(self.columns.index(derived.source), derived.compute) for derived in self.derived]

        def row(data: Any) -> tuple[Any, ...]:
            values = to_row(data)
            for at, compute in plan:
                values += compute(values[at])
            return values

        return row

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
    derived: tuple[Derived, ...] = (),
    text_index: str | None = None,
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
        derived=derived,
        text_index=text_index,
    )
