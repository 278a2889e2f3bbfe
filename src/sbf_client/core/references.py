"""``"package.module:name"`` references: how declarations name code without importing it."""

from __future__ import annotations

import importlib
from typing import Any


def load_object(reference: str) -> Any:
    """Import ``"package.module:name"`` lazily, the way entry points name objects."""
    module_name, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module_name), attribute)
