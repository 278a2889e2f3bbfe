"""全量更新 / 增量更新 of a unit's cached data: the datasets its module declares, all or some by name."""

from __future__ import annotations

from collections.abc import Iterable

from sbf_client.core.errors import InputError
from sbf_client.plugins.spec import ModuleSpec
from sbf_client.sync.dataset import Dataset
from sbf_client.sync.engine import SyncEngine, SyncResult
from sbf_client.sync.progress import Progress
from sbf_client.sync.remote_feed import RemoteFeed

from .session import UnitSession

UPDATE = "更新数据"  # what needs the server, in the words of its refusal offline


def declared_datasets(module: ModuleSpec, names: Iterable[str] | None = None) -> list[Dataset]:
    """The module's datasets in the order it declares them; ``names``: only those, each of which must exist."""
    declared: list[Dataset] = module.load_datasets()
    if names is None:
        return declared
    wanted = list(names)
    known = [dataset.name for dataset in declared]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise InputError(f"{module.title}业务没有数据集“{'、'.join(unknown)}”。可更新的数据集：{'、'.join(known)}。")
    return [dataset for dataset in declared if dataset.name in wanted]


class SyncService:
    """The updates of a logged-in unit's datasets; they need the server (``UnitSession.require_server``)."""

    def __init__(self, session: UnitSession) -> None:
        self.session = session

    def engines(self, names: Iterable[str] | None = None) -> list[SyncEngine]:
        """One engine per dataset (``names``: only those), over the server session."""
        server = self.session.require_server(UPDATE)
        context, unit = self.session.context, self.session.unit
        engine, api = self.session.engine, context.api()
        return [
            SyncEngine(engine, RemoteFeed(api, unit.server_unit_id, dataset.feed, server.token), dataset, context.clock)
            for dataset in declared_datasets(self.session.module, names)
        ]

    def engine(self, name: str) -> SyncEngine:
        """The engine of one dataset, by name."""
        (found,) = self.engines([name])
        return found

    def sync(
        self,
        names: Iterable[str] | None = None,
        *,
        full: bool = False,
        confirm_deletions: bool = False,
        progress: Progress | None = None,
    ) -> dict[str, SyncResult]:
        """Update the datasets (``names``: only those; else every one the module declares), one after the
        other; their results by dataset name, in the module's order."""
        return {
            engine.dataset.name: engine.run(full=full, confirm_deletions=confirm_deletions, progress=progress)
            for engine in self.engines(names)
        }
