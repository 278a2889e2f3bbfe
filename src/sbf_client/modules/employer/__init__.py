"""用人单位业务: the employer module (manual chapter 2).

``MODULE`` (the entry point's object) is imported on first use, so that importing one part of the module (its
contract, from the sandbox; its domain, from a test) does not load the declaration and the plug-in spec.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MODULE"]


def __getattr__(name: str) -> Any:
    if name == "MODULE":
        from .declaration import MODULE

        return MODULE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
