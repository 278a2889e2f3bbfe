"""网络设置: load and save the proxy (the password lives in the OS keyring, never in the app database),
and 【测试】 a proxy against both subsystems before it may be saved.
"""

from __future__ import annotations

import logging
from typing import Any

from sbf_client import logs
from sbf_client.core.errors import InputError
from sbf_client.remote.api import RemoteApi
from sbf_client.remote.http import Endpoints, HttpClient, RetryPolicy, Timeouts
from sbf_client.remote.proxy import ProxySettings
from sbf_client.store.app_store import AppStore

from . import secret_store

log = logging.getLogger(__name__)

PROXY_SETTING = "network.proxy"
KEYRING_SERVICE = secret_store.SERVICE
SECRET_NAME, OTHERWISE = "代理密码", "，或使用无需密码的代理服务器"


def keyring_user(username: str) -> str:
    return "proxy:" + username


def load_proxy(store: AppStore) -> ProxySettings:
    """The saved 网络设置; the password comes from the keyring ("" when none is stored)."""
    saved: dict[str, Any] = store.setting(PROXY_SETTING) or {}
    kind = saved.get("kind", "direct")
    if kind not in ("http", "socks5"):
        return ProxySettings()
    username = str(saved.get("username", ""))
    # A proxy without a user name takes no password: the keyring is not needed (nor asked) then.
    password = secret_store.read(keyring_user(username), SECRET_NAME, OTHERWISE) if username else ""
    logs.remember_secret(password)
    return ProxySettings(kind, str(saved.get("host", "")), int(saved.get("port", 0) or 0), username, password)


def save_proxy(store: AppStore, settings: ProxySettings) -> None:
    """Check and save the 网络设置: the password into the keyring first, so that a keyring failure leaves the
    previous settings untouched; then the rest into the app database."""
    problem = settings.problem()
    if problem:
        raise InputError(problem)
    if settings.is_direct:
        settings = ProxySettings()
    previous: dict[str, Any] = store.setting(PROXY_SETTING) or {}
    old_user = str(previous.get("username", "")) if previous.get("kind") in ("http", "socks5") else ""
    logs.remember_secret(settings.password)
    if settings.password:
        secret_store.write(keyring_user(settings.username), settings.password, SECRET_NAME, OTHERWISE)
    elif settings.username:
        secret_store.delete(keyring_user(settings.username))
    if old_user and old_user != settings.username:
        secret_store.delete(keyring_user(old_user))
    value: dict[str, Any] = {"kind": settings.kind}
    if not settings.is_direct:
        value.update(host=settings.host.strip(), port=settings.port, username=settings.username)
    store.set_setting(PROXY_SETTING, value)
    log.info("网络设置 saved: %s%s", settings.describe(), " (with a user name)" if settings.username else "")


def test_connection(settings: ProxySettings, endpoints: Endpoints, timeout: float = 8.0) -> str:
    """Ping the 管理子系统 and 征收子系统 through ``settings``; the Chinese success message, or a RemoteError."""
    problem = settings.problem()
    if problem:
        raise InputError(problem)
    # One attempt with a short timeout: the user waits for this answer, and a retry would hide a bad proxy.
    http = HttpClient(
        endpoints,
        proxy=settings,
        timeouts=Timeouts(connect=timeout, read=timeout, write=timeout, pool=timeout),
        retry=RetryPolicy(attempts=1),
    )
    remote = RemoteApi(http)
    try:
        remote.ping_mgmt()
        remote.ping_coll()
    finally:
        remote.close()
    log.info("网络设置 test passed: %s", settings.describe())
    how = "已直接连接到" if settings.is_direct else f"已通过{settings.describe()} 连接到"
    return f"测试成功：{how}管理子系统和征收子系统。"


# A function named test_* in an imported module would otherwise be collected by pytest.
test_connection.__test__ = False  # type: ignore[attr-defined]
