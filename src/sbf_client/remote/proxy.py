"""Proxy settings (网络设置): direct, HTTP or SOCKS5, with an optional user name and password."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

ProxyKind = Literal["direct", "http", "socks5"]
KIND_LABELS: dict[str, str] = {"direct": "直接连接网络", "http": "HTTP代理", "socks5": "SOCKS5代理"}


@dataclass(frozen=True)
class ProxySettings:
    kind: ProxyKind = "direct"
    host: str = ""
    port: int = 0
    username: str = ""
    password: str = ""

    @property
    def is_direct(self) -> bool:
        return self.kind == "direct"

    def url(self) -> str | None:
        """The proxy URL httpx takes, credentials included; never log it."""
        if self.is_direct:
            return None
        auth = f"{quote(self.username, safe='')}:{quote(self.password, safe='')}@" if self.username else ""
        return f"{self.kind}://{auth}{self.host}:{self.port}"

    def describe(self) -> str:
        """For messages and logs: no credentials."""
        return "直接连接" if self.is_direct else f"{KIND_LABELS[self.kind]} {self.host}:{self.port}"

    def problem(self) -> str | None:
        """What is wrong with the settings as entered, in Chinese, or None."""
        if self.is_direct:
            return None
        if not self.host.strip():
            return "请输入代理服务器地址"
        if not 1 <= self.port <= 65535:
            return "代理服务器端口须为1至65535之间的数字"
        if self.password and not self.username:
            return "填写了代理密码时，请同时填写代理用户名"
        return None
