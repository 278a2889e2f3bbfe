"""The sync bookkeeping tables of a unit database: state per dataset, runs, recorded changes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

sync_state = Table(
    "sync_state",
    metadata,
    Column("dataset", String, primary_key=True),
    Column("epoch", String, nullable=False),
    Column("checkpoint", Integer, nullable=False),
    Column("last_run_id", Integer),
    Column("updated_at", String, nullable=False),
)

sync_runs = Table(
    "sync_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset", String, nullable=False),
    Column("mode", String, nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String, nullable=False),
    Column("epoch", String),
    Column("since", Integer, nullable=False),
    Column("staged_through", Integer, nullable=False),
    Column("pages", Integer, nullable=False),
    Column("started_at", String, nullable=False),
    Column("finished_at", String),
    Column("added", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("deleted", Integer, nullable=False),
    Column("total", Integer, nullable=False),
)

sync_changes = Table(
    "sync_changes",
    metadata,
    Column("run_id", Integer, primary_key=True),
    Column("key", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("name", String, nullable=False),
)

sync_change_fields = Table(
    "sync_change_fields",
    metadata,
    Column("run_id", Integer, primary_key=True),
    Column("key", String, primary_key=True),
    Column("field", String, primary_key=True),
    Column("old", Text),
    Column("new", Text),
)

STAGING, AWAITING, APPLIED, DISCARDED = "staging", "awaiting_confirmation", "applied", "discarded"
FULL, INCREMENTAL = "full", "incremental"
KEEP_RUNS = 20  # recorded change details are kept for the last runs of each dataset


@dataclass(frozen=True)
class Run:
    id: int
    dataset: str
    mode: str
    reason: str
    status: str
    epoch: str | None
    since: int
    staged_through: int
    pages: int


@dataclass(frozen=True)
class Counts:
    added: int
    changed: int
    deleted: int
    total: int  # records held after the run
