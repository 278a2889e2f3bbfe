"""What a business module declares about itself, as data: the shell reads this and imports nothing else."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Literal

Business = Literal["employer", "collector"]


@dataclass(frozen=True)
class ModuleSpec:
    """A business module (用人单位 or 代收单位 业务).

    ``migration_branch`` names the module's branch of the unit-database schema (``migrations/unit/<branch>``);
    ``feed`` is the change feed its people come from; ``password_hint`` is the red text of 安全认证.
    """

    id: Business
    title: str
    migration_branch: str
    feed: str
    password_hint: str
    datasets: tuple[str, ...] = ()  # "package.module:NAME" of each synced Dataset, imported when needed
    cli: tuple[str, ...] = ()  # "package.module:register" functions that add command-line commands
    order: int = 0

    def load_datasets(self) -> list[Any]:
        return [load_object(reference) for reference in self.datasets]


def load_object(reference: str) -> Any:
    """Import ``"package.module:name"`` lazily, the way entry points name objects."""
    module_name, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module_name), attribute)
