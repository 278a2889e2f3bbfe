"""Unit databases: one SQLite file per unit, migrated to its module's schema when opened."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from .engine import sqlite_engine
from .migrate import upgrade_unit_db


def open_unit_db(path: Path, module_migrations: str) -> Engine:
    """Open a unit database (creating it if needed) and bring it to the newest schema of its module
    (``module_migrations``: the package of its branch, ``ModuleSpec.migrations``)."""
    # FULL: a unit database holds submissions and payments, whose commits must survive a power cut.
    engine = sqlite_engine(path, synchronous="FULL", cache_mb=64)
    upgrade_unit_db(engine, module_migrations)
    return engine
