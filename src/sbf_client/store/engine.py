"""SQLite engines: WAL, foreign keys, a busy timeout, and transactions that really begin at BEGIN.

pysqlite's own transaction handling starts a transaction only before the first write, so a read
followed by a write is not atomic; the driver's handling is turned off and SQLAlchemy's ``begin``
emits ``BEGIN`` (or ``BEGIN IMMEDIATE`` for a connection with ``execution_options(immediate=True)``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 10_000


def sqlite_engine(path: Path, *, synchronous: str = "NORMAL") -> Engine:
    """An engine on a SQLite file, created with its folder if missing.

    ``synchronous="FULL"`` is for databases whose every commit must survive a power cut (payments).
    """
    if synchronous not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
        raise ValueError(synchronous)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=8,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # type: ignore[no-untyped-def]
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
