"""代收单位业务: the collecting-agent module (manual chapter 3)."""

from .declaration import MODULE

__all__ = ["MODULE"]
