"""SQLite engines: WAL, foreign keys, a busy timeout, and transactions that really begin at BEGIN.

pysqlite's own transaction handling starts a transaction only before the first write, so a read
followed by a write is not atomic; the driver's handling is turned off and SQLAlchemy's ``begin``
emits ``BEGIN`` (or ``BEGIN IMMEDIATE`` for a connection with ``execution_options(immediate=True)``).
``execution_options(relaxed_durability=True)`` commits without waiting for the disk (``synchronous=NORMAL``):
for work that is simply redone if a power cut loses it, never for submissions or payments.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 10_000


def sqlite_engine(path: Path, *, synchronous: str = "NORMAL", cache_mb: int = 16) -> Engine:
    """An engine on a SQLite file, created with its folder if missing.

    ``synchronous="FULL"`` is for databases whose every commit must survive a power cut (payments);
    ``cache_mb`` is the page cache per connection (large transactions spill less with more).
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
        cursor.execute(f"PRAGMA cache_size=-{cache_mb * 1024}")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # type: ignore[no-untyped-def]
        options = connection.get_execution_options()
        # A transaction that can be redone after a power cut (a staged sync page) need not wait for the disk.
        relaxed = bool(options.get("relaxed_durability"))
        connection.exec_driver_sql(f"PRAGMA synchronous={'NORMAL' if relaxed else synchronous}")
        # A bulk job checkpoints once at its end (checkpoint_wal) instead of at every commit.
        connection.exec_driver_sql(f"PRAGMA wal_autocheckpoint={0 if relaxed else 1000}")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get("immediate") else "BEGIN")

    return engine


def checkpoint_wal(engine: Engine) -> None:
    """Copy the write-ahead log into the database file now (after a bulk job that deferred it)."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
