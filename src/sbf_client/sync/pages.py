"""Decoding change-feed pages into typed records (msgspec), one decoder per record type.

The structs are not tracked by the cyclic garbage collector (``gc=False``; they hold no cycles): a page
allocates tens of thousands of them, and collections triggered by that many tracked objects would hold the
GIL long enough to stall the UI thread during a large update."""

from __future__ import annotations

from functools import cache
from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")


class FeedRecord(msgspec.Struct, Generic[T], gc=False):
    seq: int
    key: str
    deleted: bool
    data: T | None


class FeedPage(msgspec.Struct, Generic[T], gc=False):
    epoch: str
    records: list[FeedRecord[T]]
    last_seq: int
    more: bool


@cache
def decoder(record_type: type) -> msgspec.json.Decoder:  # type: ignore[type-arg]
    return msgspec.json.Decoder(FeedPage[record_type])  # type: ignore[valid-type]
