"""The region list (选择地区) shipped in ``resources/regions.json``, and the server addresses a person may
type instead of the list's."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sbf_client.core.errors import InputError
from sbf_client.paths import resources_dir

MAX_URL_LENGTH = 2000  # what browsers and proxies reliably pass on


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


def check_server_url(value: str, what: str = "服务器地址") -> str:
    """A 管理子系统/征收子系统 address as typed: http or https, a host, at most 2,000 characters, no spaces.

    Only its form is checked here; ``ClientContext`` also asks the server before saving it.
    """
    url = (value or "").strip()
    example = "例如 https://sbf.example.gov.cn"
    if not url:
        raise InputError(f"请填写{what}，{example}。")
    if len(url) > MAX_URL_LENGTH:
        raise InputError(f"{what}有{len(url)}个字符，最多{MAX_URL_LENGTH}个字符。请检查后重新填写。")
    if not url.isprintable() or any(c.isspace() for c in url):
        raise InputError(f"{what}不能包含空格或控制字符，{example}。")
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # an unclosed [IPv6] or a port like :99999 raises here
    except ValueError:
        raise InputError(f"{what}格式不正确，{example}。") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"{what}须以 http:// 或 https:// 开头，{example}。")
    if not host:
        raise InputError(f"{what}缺少服务器名称，{example}。")
    if ":" not in host and not re.fullmatch(r"[\w.-]+", host):  # a name or IPv4 address; IPv6 came bracketed
        raise InputError(f"{what}中的服务器名称“{host[:60]}”不正确，{example}。")
    return url
