"""A dataset says what is synced (its feed, table, columns and how a record maps to a row), not how."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec


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

    @property
    def staging(self) -> str:
        return f"{self.table}_staging"

    @property
    def staging_deleted(self) -> str:
        return f"{self.table}_staging_deleted"
