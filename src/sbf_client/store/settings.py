"""The client's settings, typed, with their defaults in one place, over the application store's key/values.

A setting read back with a value it cannot have (an older version's, or edited by hand) gives its default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")

PAGE_SIZES = (10, 20, 50, 100, 500, 1000, 5000, 10000)


class KeyValues(Protocol):
    def setting(self, key: str, default: Any = None) -> Any: ...

    def set_setting(self, key: str, value: Any) -> None: ...


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T
    valid: Callable[[Any], bool]


def _widths(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, int) for k, v in value.items())


PAGE_SIZE = Setting("table.page_size", 1000, lambda value: value in PAGE_SIZES)
COLUMN_WIDTHS = Setting[dict[str, int]]("table.widths", {}, _widths)  # per list: "table.widths.<list id>"
QUERY_COLLAPSED = Setting("table.query_collapsed", False, lambda value: isinstance(value, bool))

# 备份恢复 (services/backup.py). A folder of "" is the default one under the data home.
AUTO_BACKUP_ENABLED = Setting("backup.auto_enabled", False, lambda value: isinstance(value, bool))
AUTO_BACKUP_COUNT = Setting(
    "backup.auto_count",
    5,
    lambda value: type(value) is int and 1 <= value <= 99,  # a bool is no count
)
BACKUP_FOLDER = Setting("backup.folder", "", lambda value: isinstance(value, str))
AUTO_BACKUP_FOLDER = Setting("backup.auto_folder", "", lambda value: isinstance(value, str))


class Settings:
    """Typed access to the settings; ``scope`` adds a per-list suffix (``table.widths.employees``)."""

    def __init__(self, store: KeyValues) -> None:
        self.store = store

    def get(self, setting: Setting[T], scope: str = "") -> T:
        value = self.store.setting(_key(setting, scope))
        return value if value is not None and setting.valid(value) else setting.default

    def set(self, setting: Setting[T], value: T, scope: str = "") -> None:
        if not setting.valid(value):
            raise ValueError(f"{setting.key}: {value!r} is not a valid value")
        self.store.set_setting(_key(setting, scope), value)


def _key(setting: Setting[Any], scope: str) -> str:
    return f"{setting.key}.{scope}" if scope else setting.key
