"""用人单位业务: the employer module (manual chapter 2)."""

from .declaration import MODULE

__all__ = ["MODULE"]
