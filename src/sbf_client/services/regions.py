"""The region list (选择地区) shipped in ``resources/regions.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sbf_client.core.errors import InputError
from sbf_client.paths import resources_dir


@dataclass(frozen=True)
class RegionEntry:
    id: str
    name: str
    mode: str
    sandbox_region: str | None = None
    mgmt_url: str | None = None
    coll_url: str | None = None

    @property
    def is_sandbox(self) -> bool:
        return self.sandbox_region is not None


def available_regions() -> list[RegionEntry]:
    data = json.loads((resources_dir() / "regions.json").read_text(encoding="utf-8"))
    return [
        RegionEntry(
            id=item["id"],
            name=item["name"],
            mode=item["mode"],
            sandbox_region=item.get("sandbox_region"),
            mgmt_url=item.get("mgmt_url"),
            coll_url=item.get("coll_url"),
        )
        for item in data["regions"]
    ]


def find_region(name_or_id: str) -> RegionEntry:
    for region in available_regions():
        if name_or_id in (region.id, region.name):
            return region
    names = "、".join(r.name for r in available_regions())
    raise InputError(f"没有名为“{name_or_id}”的地区。可选地区：{names}")
