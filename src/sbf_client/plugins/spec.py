"""What a business module declares about itself, as data: the shell reads this and imports nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    order: int = 0
