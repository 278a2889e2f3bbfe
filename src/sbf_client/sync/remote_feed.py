"""A unit's change feed on the 管理子系统, as the sync engine's ``FeedSource``."""

from __future__ import annotations

from dataclasses import dataclass

from sbf_client.remote.api import RemoteApi
from sbf_client.remote.contract.models import FeedInfo


@dataclass
class RemoteFeed:
    api: RemoteApi
    unit_id: str
    feed: str
    token: str

    def page(self, since: int, limit: int, epoch: str | None, full: bool) -> bytes:
        return self.api.feed_page(self.unit_id, self.feed, self.token, since=since, limit=limit, epoch=epoch, full=full)

    def info(self) -> FeedInfo:
        return self.api.feed_info(self.unit_id, self.feed, self.token)
