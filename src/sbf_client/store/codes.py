"""The region's code tables (规则文件), read through one accessor: a code's name, a table's choices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CODES_SETTING = "rule_files"


class CodeTables:
    """The code tables as last downloaded (``{table: {code: name}}``); an unknown code shows as itself."""

    def __init__(self, tables: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.tables: dict[str, dict[str, str]] = {name: dict(codes) for name, codes in (tables or {}).items()}

    @classmethod
    def of(cls, store: Any) -> CodeTables:
        """From the application store's cached 规则文件 (anything with ``setting``)."""
        return cls((store.setting(CODES_SETTING) or {}).get("tables", {}))

    def name(self, table: str, code: Any) -> str:
        if code is None:
            return ""
        return self.tables.get(table, {}).get(str(code), str(code))

    def table(self, table: str) -> dict[str, str]:
        return self.tables.get(table, {})

    def choices(self, table: str) -> list[tuple[str, str]]:
        """``(name, code)`` pairs in the table's order, for a drop-down."""
        return [(name, code) for code, name in self.table(table).items()]
