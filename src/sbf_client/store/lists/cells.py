"""How a list's raw values are shown: code names for codes, masks for personal numbers, amounts as money.

One formatter per column serves the screen (masked) and the Excel export (full, when it is the unit's own data).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sbf_client.core.ids import mask_account, mask_id_number, mask_phone
from sbf_client.core.money import format_amount

from ..codes import CodeTables
from .spec import ListColumn

MASKS: dict[str, Callable[[str], str]] = {
    "id_number": mask_id_number,
    "account": mask_account,
    "phone": mask_phone,
}


def screen_formatter(column: ListColumn, codes: CodeTables) -> Callable[[Any], str] | None:
    """Text for a cell on screen: code → name, masked numbers, amounts with two decimals."""
    if column.codes:
        table = column.codes
        return lambda value: codes.name(table, value)
    if column.mask:
        mask = MASKS[column.mask]
        return lambda value: mask(str(value))
    if column.kind == "money":
        return lambda value: format_amount(Decimal(str(value))) if value != "" else ""
    return None


def export_value(column: ListColumn, codes: CodeTables, *, full: bool) -> Callable[[Any], Any]:
    """A cell's value for the Excel writer: names for codes, Decimal for money, masked unless ``full``."""
    if column.codes:
        table = column.codes
        return lambda value: codes.name(table, value)
    if column.mask and not full:
        mask = MASKS[column.mask]
        return lambda value: None if value is None else mask(str(value))
    if column.kind == "money":
        return lambda value: None if value is None or value == "" else Decimal(str(value))
    return lambda value: value
