"""Decoding change-feed pages into typed records (msgspec), one decoder per record type."""

from __future__ import annotations

from functools import cache
from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")


class FeedRecord(msgspec.Struct, Generic[T]):
    seq: int
    key: str
    deleted: bool
    data: T | None


class FeedPage(msgspec.Struct, Generic[T]):
    epoch: str
    records: list[FeedRecord[T]]
    last_seq: int
    more: bool


@cache
def decoder(record_type: type) -> msgspec.json.Decoder:  # type: ignore[type-arg]
    return msgspec.json.Decoder(FeedPage[record_type])  # type: ignore[valid-type]
