"""The page kit's Qt-free half: a list declared as data (``ListSpec``) and the SQL that serves it (``ListSource``).

A module declares each of its list pages as a ``ListSpec``; the generic Qt ``ListPage`` renders it, the one
Excel writer exports it, and the command line queries it — all through ``ListSource``.
"""

from .query import ListQuery, like_pattern
from .source import ListSource
from .spec import ListAction, ListColumn, ListSpec, QueryField

__all__ = ["ListAction", "ListColumn", "ListQuery", "ListSource", "ListSpec", "QueryField", "like_pattern"]
