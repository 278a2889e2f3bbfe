"""全量更新 / 增量更新 of a unit's cached data: every dataset its module declares."""

from __future__ import annotations

from sqlalchemy import Engine

from sbf_client.store.app_store import LocalUnit
from sbf_client.store.unit_store import open_unit_db
from sbf_client.sync.engine import SyncEngine, SyncResult
from sbf_client.sync.progress import Progress
from sbf_client.sync.remote_feed import RemoteFeed

from .context import ClientContext
from .units import Session


class UnitDatabases:
    """Open unit databases, one engine per unit, migrated to the unit's module schema on first open."""

    def __init__(self, context: ClientContext) -> None:
        self.context = context
        self._open: dict[int, Engine] = {}

    def engine(self, unit: LocalUnit) -> Engine:
        if unit.id not in self._open:
            spec = self.context.module(unit.module)
            self._open[unit.id] = open_unit_db(self.context.unit_db_path(unit), spec.migration_branch)
        return self._open[unit.id]

    def close(self) -> None:
        for engine in self._open.values():
            engine.dispose()
        self._open.clear()


class SyncService:
    def __init__(self, context: ClientContext, databases: UnitDatabases) -> None:
        self.context = context
        self.databases = databases

    def engines(self, unit: LocalUnit, session: Session) -> list[SyncEngine]:
        spec = self.context.module(unit.module)
        engine = self.databases.engine(unit)
        api = self.context.api()
        return [
            SyncEngine(
                engine, RemoteFeed(api, unit.server_unit_id, dataset.feed, session.token), dataset, self.context.clock
            )
            for dataset in spec.load_datasets()
        ]

    def sync(
        self,
        unit: LocalUnit,
        session: Session,
        *,
        full: bool = False,
        confirm_deletions: bool = False,
        progress: Progress | None = None,
    ) -> list[SyncResult]:
        return [
            engine.run(full=full, confirm_deletions=confirm_deletions, progress=progress)
            for engine in self.engines(unit, session)
        ]
