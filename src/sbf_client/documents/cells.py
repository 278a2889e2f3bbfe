"""Reading one cell of an import into the value its column's kind says, or a Chinese reason it cannot be.

A cell comes as python-calamine gives it (text, a float for any number, a date or datetime) or as CSV text.
Each column gets one parser; text it has seen is remembered, since imports repeat the same months, amounts
and choices thousands of times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sbf_client.core.money import AmountError, parse_amount
from sbf_client.core.periods import Period, PeriodError

from .templates import Column

_LONG_NUMBER = 1e15  # from here a float has lost digits: an ID number typed into a number cell


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; the message is the reason shown to the user."""


def _plain(value: object) -> str:
    """Any cell as the text a person reads (a text cell kept as typed, less surrounding spaces)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _text(column: Column) -> Callable[[object], object]:
    limit = column.max_length

    def parse(value: object) -> object:
        if value.__class__ is str:
            text = value.strip()  # type: ignore[attr-defined]
        elif isinstance(value, float) and abs(value) >= _LONG_NUMBER:
            raise CellError(f"{column.title}被Excel保存为数值，末位数字可能已丢失。请将该列设置为文本格式后重新填写")
        else:
            text = _plain(value)
        if limit is not None and len(text) > limit:
            raise CellError(f"{column.title}最多{limit}个字符（现为{len(text)}个）")
        return text

    return parse


def _int(column: Column) -> Callable[[object], object]:
    def parse(value: object) -> object:
        if isinstance(value, float) and value.is_integer() and abs(value) < _LONG_NUMBER:
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = _plain(value)
        if text.lstrip("-").isdigit() and text.isascii() and len(text) <= 15:
            return int(text)
        raise CellError(column.invalid or f"{column.title}须为整数")

    return parse


def _money(column: Column) -> Callable[[object], object]:
    def parse(value: object) -> object:
        if isinstance(value, (bool, date, datetime)):
            raise CellError(column.invalid or f"{column.title}须为金额，最多保留两位小数")
        text = repr(value) if isinstance(value, float) and not value.is_integer() else _plain(value)
        try:
            return parse_amount(text)
        except AmountError:
            raise CellError(column.invalid or f"{column.title}须为金额，最多保留两位小数") from None

    return parse


def _month(column: Column) -> Callable[[object], object]:
    def parse(value: object) -> object:
        if isinstance(value, (date, datetime)):
            return Period.of(value)
        text = _plain(value)
        try:
            return Period.parse(text[:7] if len(text) == 10 and text[7:8] == "-" else text)
        except PeriodError:
            raise CellError(column.invalid or f"{column.title}须为YYYY-MM格式的年月") from None

    return parse


def _date(column: Column) -> Callable[[object], object]:
    def parse(value: object) -> object:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _plain(value)
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
        except ValueError:
            pass
        raise CellError(column.invalid or f"{column.title}须为YYYY-MM-DD格式的日期")

    return parse


def _choice(column: Column) -> Callable[[object], object]:
    allowed = frozenset(column.choices)

    def parse(value: object) -> object:
        text = _plain(value)
        if text not in allowed:
            raise CellError(column.invalid or f"{column.title}“{text}”不是可选的值，请从下拉列表中选择")
        return text

    return parse


_KINDS = {"text": _text, "int": _int, "money": _money, "month": _month, "date": _date, "choice": _choice}


@dataclass(frozen=True, slots=True)
class Bad:
    """What a parser returns for a cell it cannot read: the reason, for a ``RowError``."""

    reason: str


def parser(column: Column) -> Callable[[object], Any]:
    """The column's parser: a cell → its value, None for an empty optional cell, or ``Bad(reason)``.
    Results for text are remembered (a column of months or amounts repeats a few values) except in text
    columns, whose values are mostly distinct and cost nothing to read."""
    read = _KINDS[column.kind](column)
    check = column.check
    missing = Bad(column.missing or f"{column.title}不能为空")
    empty = missing if column.required else None
    remember = column.kind != "text"
    seen: dict[str, Any] = {}

    def parse(value: object) -> Any:
        if value is None or value == "":
            return empty
        if remember and value.__class__ is str:
            known = seen.get(value)  # type: ignore[call-overload]
            if known is not None:
                return known
        try:
            parsed = read(value)
            if parsed == "":
                result: Any = empty
            else:
                reason = check(parsed) if check is not None else None
                result = Bad(reason) if reason else parsed
        except CellError as error:
            result = Bad(str(error))
        if remember and value.__class__ is str and result is not None and len(seen) < 50_000:
            seen[value] = result  # type: ignore[index]
        return result

    return parse


def as_text(value: object) -> str | None:
    """A parsed value as the text a staging table holds (None for an empty or bad cell)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)
