"""The sandbox's own database (SQLite by default, any SQLAlchemy URL such as PostgreSQL): the tables every
business shares. A business's own tables join ``metadata`` from its module (``modules/<business>/sandbox``), which
``business.businesses()`` imports before the schema is created."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Insert

metadata = MetaData()

meta = Table("meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))

regions = Table(
    "regions",
    metadata,
    Column("region_id", String(32), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("mode", String(16), nullable=False),
    Column("avg_wage_fen", Integer, nullable=False),  # 社平工资, monthly; the 60 %–300 % band hangs on it
    Column("band_low_pct", Integer, nullable=False),
    Column("band_high_pct", Integer, nullable=False),
)

units = Table(
    "units",
    metadata,
    Column("unit_id", String(32), primary_key=True),
    Column("region_id", String(32), ForeignKey("regions.region_id"), nullable=False),
    Column("taxpayer_id", String(20), nullable=False, index=True),
    Column("business", String(16), nullable=False),
    Column("name", String(128), nullable=False),
    Column("registered_on", String(10), nullable=False),
    Column("taxpayer_status", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("tax_authority", String(128), nullable=False),
    Column("tax_branch", String(128), nullable=False),
    Column("password_salt", String(64), nullable=False),
    Column("password_hash", String(128), nullable=False),
    Column("password_is_initial", Boolean, nullable=False),
    Column("password_changed_at", String(19)),
    Column("label", String(32), nullable=False, server_default=""),  # e.g. "large", for scripts
)

unit_numbers = Table(
    "unit_numbers",
    metadata,
    Column("unit_id", String(32), ForeignKey("units.unit_id"), primary_key=True),
    Column("unit_no", String(32), primary_key=True),
    Column("agency", String(128), nullable=False),
    Column("tax_authority", String(128), nullable=False),
    Column("position", Integer, nullable=False),
)

feeds = Table(
    "feeds",
    metadata,
    Column("unit_id", String(32), ForeignKey("units.unit_id"), primary_key=True),
    Column("feed", String(16), primary_key=True),
    Column("epoch", String(40), nullable=False),
    Column("last_seq", Integer, nullable=False),
    Column("horizon_seq", Integer, nullable=False),
    Column("next_key", Integer, nullable=False),
    Column("live_count", Integer, nullable=False),  # records not deleted, kept with every write
)

records = Table(
    "records",
    metadata,
    Column("unit_id", String(32), primary_key=True),
    Column("feed", String(16), primary_key=True),
    Column("key", String(32), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("data", Text),  # the record's JSON, served as it is stored
    Column("changed_at", String(19), nullable=False),
    Column("ident", String(32)),  # the person's ID number, to keep new hires unique
    Index("records_by_seq", "unit_id", "feed", "seq", unique=True),
    Index("records_by_ident", "unit_id", "feed", "ident"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("unit_id", String(32), ForeignKey("units.unit_id"), nullable=False),
    Column("expires_at", String(19), nullable=False),
    Column("initial", Boolean, nullable=False),
)

# Wrong 申报密码 in a row per unit (session and password change alike) and the lock they brought on.
password_failures = Table(
    "password_failures",
    metadata,
    Column("unit_id", String(32), ForeignKey("units.unit_id"), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", String(19)),  # the sandbox clock's stamp; None: not locked
)

idempotency = Table(
    "idempotency",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("unit_id", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response", Text, nullable=False),
    Column("received_at", String(19), nullable=False),
)


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'sandbox.sqlite'}"


def make_engine(url: str) -> Engine:
    """An engine for the sandbox database; SQLite gets WAL, a busy timeout and real BEGINs."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_size=8, max_overflow=16, pool_pre_ping=True)
    engine = create_engine(url, pool_size=8, max_overflow=16, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get("write") else "BEGIN")

    return engine


def upsert(engine: Engine, table: Table) -> Insert:
    """An INSERT that the caller turns into an upsert with ``on_conflict_do_update``."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)
