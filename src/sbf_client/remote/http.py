"""The httpx transport to one region's 管理子系统 and 征收子系统.

Retries only where a repeat cannot do harm: a connection that never opened (any method), and
idempotent GETs after a timeout, a dropped connection or a 502/503/504, with exponential backoff
and full jitter. A submission (POST) whose answer is lost is never repeated here; the caller owns
that decision (its Idempotency-Key makes asking again safe). Every failure becomes a ``RemoteError``
with a Chinese message. Personal data travels only in bodies, so httpx's INFO line per request
(method and URL) carries none.
"""

from __future__ import annotations

import logging
import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
import orjson
from socksio.exceptions import ProtocolError as SocksProtocolError

from sbf_client import __version__
from sbf_client.remote.contract.paths import IDEMPOTENCY_HEADER

from .errors import (
    ApiError,
    ConnectionDroppedError,
    ProxyAuthError,
    ProxyUnavailableError,
    RemoteError,
    RequestTimeoutError,
    ServerUnavailableError,
)
from .proxy import ProxySettings

log = logging.getLogger(__name__)

Subsystem = Literal["mgmt", "coll"]
SUBSYSTEM_NAMES: dict[str, str] = {"mgmt": "管理子系统", "coll": "征收子系统"}
_RETRY_STATUSES = {502, 503, 504}
_NODELAY = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0

    def httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    base_delay: float = 0.25
    max_delay: float = 4.0

    def delay(self, attempt: int, draw: Callable[[], float]) -> float:
        """Full jitter: uniform in [0, min(max, base * 2**(attempt-1))]."""
        return draw() * min(self.max_delay, self.base_delay * 2 ** (attempt - 1))


@dataclass(frozen=True)
class Endpoints:
    """A region's root URLs; the contract's paths (``/mgmt/…``, ``/coll/…``) are appended to them."""

    mgmt_url: str
    coll_url: str

    def root(self, subsystem: Subsystem) -> str:
        return (self.mgmt_url if subsystem == "mgmt" else self.coll_url).rstrip("/")


@dataclass
class HttpClient:
    endpoints: Endpoints
    proxy: ProxySettings = field(default_factory=ProxySettings)
    timeouts: Timeouts = field(default_factory=Timeouts)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    draw: Callable[[], float] = random.random

    def __post_init__(self) -> None:
        transport = httpx.HTTPTransport(proxy=self.proxy.url(), retries=0, socket_options=_NODELAY)
        self._client = httpx.Client(
            transport=transport,
            timeout=self.timeouts.httpx(),
            trust_env=False,  # the proxy is what 网络设置 says, not the environment
            headers={"User-Agent": f"sbf-client/{__version__}", "Accept": "application/json"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ requests

    def get(
        self, subsystem: Subsystem, path: str, *, params: dict[str, Any] | None = None, token: str | None = None
    ) -> bytes:
        """GET, retried on any transient failure; returns the raw body of a 2xx answer."""
        return self._send("GET", subsystem, path, params=params, token=token, idempotent=True)

    def get_json(
        self, subsystem: Subsystem, path: str, *, params: dict[str, Any] | None = None, token: str | None = None
    ) -> Any:
        return orjson.loads(self.get(subsystem, path, params=params, token=token))

    def post_json(
        self,
        subsystem: Subsystem,
        path: str,
        body: Any,
        *,
        token: str | None = None,
        idempotency_key: str | None = None,
    ) -> Any:
        """POST a JSON body; only a connection that never opened is retried."""
        headers = {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key else None
        raw = self._send(
            "POST", subsystem, path, body=orjson.dumps(body), token=token, headers=headers, idempotent=False
        )
        return orjson.loads(raw) if raw else None

    def _send(
        self,
        method: str,
        subsystem: Subsystem,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: bytes | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        idempotent: bool,
    ) -> bytes:
        url = self.endpoints.root(subsystem) + path
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            all_headers["Content-Type"] = "application/json"
        attempt = 0
        while True:
            attempt += 1
            request = self._client.build_request(method, url, params=params, content=body, headers=all_headers)
            answered = False
            try:
                # Streamed, so that a failure is known to have come before or after the answer's head.
                response = self._client.send(request, stream=True)
                answered = True
                try:
                    response.read()
                finally:
                    response.close()
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if attempt < self.retry.attempts:
                    self._pause(attempt, method, path, exc)
                    continue
                raise self._transport_error(exc, subsystem) from exc
            except SocksProtocolError as exc:  # socksio's own error when the proxy refuses every method
                raise _proxy_auth_error() from exc
            except httpx.TransportError as exc:
                if idempotent and attempt < self.retry.attempts and not isinstance(exc, httpx.ProxyError):
                    self._pause(attempt, method, path, exc)
                    continue
                unanswered = not answered and _closed_by_peer(exc)
                raise self._transport_error(exc, subsystem, proxy_gave_up=idempotent and unanswered) from exc
            if response.status_code in _RETRY_STATUSES and idempotent and attempt < self.retry.attempts:
                self._pause(attempt, method, path, f"HTTP {response.status_code}")
                continue
            if response.is_success:
                return response.content
            raise self._status_error(response, subsystem)

    def _pause(self, attempt: int, method: str, path: str, why: object) -> None:
        delay = self.retry.delay(attempt, self.draw)
        log.info(
            "retrying %s %s in %.2fs after %s",
            method,
            path,
            delay,
            type(why).__name__ if isinstance(why, Exception) else why,
        )
        self.sleep(delay)

    # ------------------------------------------------------------------ errors

    def _transport_error(
        self, exc: httpx.TransportError, subsystem: Subsystem, *, proxy_gave_up: bool = False
    ) -> RemoteError:
        """``proxy_gave_up``: an idempotent request whose connection closed before any answer arrived."""
        name = SUBSYSTEM_NAMES[subsystem]
        via_proxy = not self.proxy.is_direct
        text = str(exc)
        if isinstance(exc, httpx.ProxyError) or (via_proxy and _looks_like_socks_failure(text)):
            if _is_proxy_auth_failure(text):
                return _proxy_auth_error()
            return ServerUnavailableError(
                f"代理服务器（{self.proxy.describe()}）无法连接到{name}，请检查网络或代理设置后重试。"
            )
        if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError):
            if via_proxy:
                return ProxyUnavailableError(
                    f"无法连接到代理服务器（{self.proxy.describe()}），请检查代理服务器地址、端口是否正确，"
                    "或联系网络管理员。"
                )
            return ServerUnavailableError(f"无法连接到{name}，请检查网络连接后重试。")
        if isinstance(exc, httpx.TimeoutException):
            return RequestTimeoutError(f"{name}响应超时，请稍后重试。")
        # A SOCKS5 proxy such as pproxy confirms the tunnel before it tries the server, and closes it when the
        # server refuses: the client sees an end of stream, or a reset when its request was already in the
        # proxy's unread buffer. Either way nothing was answered. For a GET that is the proxy failing to reach
        # the server; a POST may have been forwarded before the close, so its outcome stays unknown (below).
        if via_proxy and proxy_gave_up:
            return ServerUnavailableError(
                f"代理服务器（{self.proxy.describe()}）未能把请求转发到{name}，服务器可能未启动或代理无法访问它，"
                "请稍后重试或检查代理设置。"
            )
        return ConnectionDroppedError(f"与{name}的连接意外中断，请稍后重试。")

    def _status_error(self, response: httpx.Response, subsystem: Subsystem) -> RemoteError:
        name = SUBSYSTEM_NAMES[subsystem]
        if response.status_code == 407:
            return _proxy_auth_error()
        try:
            payload = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            payload = None
        if isinstance(payload, dict) and isinstance(payload.get("code"), int) and payload.get("message"):
            return ApiError(str(payload["message"]), code=payload["code"], status=response.status_code)
        if response.status_code in _RETRY_STATUSES and not self.proxy.is_direct:
            return ServerUnavailableError(
                f"代理服务器（{self.proxy.describe()}）无法连接到{name}（HTTP {response.status_code}），"
                "请检查网络或代理设置后重试。"
            )
        if response.status_code >= 500:
            return ServerUnavailableError(f"{name}暂时无法提供服务（HTTP {response.status_code}），请稍后重试。")
        return RemoteError(f"{name}返回了无法识别的应答（HTTP {response.status_code}），请稍后重试。")


def _proxy_auth_error() -> ProxyAuthError:
    return ProxyAuthError("代理服务器身份验证失败，请检查代理用户名和密码是否正确（该代理服务器需要身份验证）。")


def _is_proxy_auth_failure(text: str) -> bool:
    lowered = text.lower()
    return "407" in text or "auth" in lowered or "username" in lowered or "password" in lowered


def _looks_like_socks_failure(text: str) -> bool:
    return "socks" in text.lower()


def _closed_by_peer(exc: httpx.TransportError) -> bool:
    """The connection ended under the request (end of stream, reset, broken pipe), rather than timing out
    or carrying something that is not HTTP."""
    if isinstance(exc, httpx.RemoteProtocolError):
        return "without sending a response" in str(exc)
    return isinstance(exc, httpx.ReadError | httpx.WriteError)
