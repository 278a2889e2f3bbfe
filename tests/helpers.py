"""Test helpers: free ports, a real pproxy server, the sandbox admin API."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from sbf_client.remote.api import RemoteApi
from sbf_client.remote.http import HttpClient, RetryPolicy
from sbf_client.remote.proxy import ProxySettings
from sbf_client.services.sandbox import RunningSandbox

ZIZHU = "demo-zizhu"
DAIZHENG = "demo-daizheng"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


@contextmanager
def pproxy(user: str = "", password: str = "") -> Iterator[int]:
    """A real HTTP + SOCKS5 proxy on loopback. ``--auth 0``: it must not remember a past login per IP,
    or a wrong-password test would pass falsely."""
    port = free_port()
    auth = f"#{user}:{password}" if user else ""
    bin_dir = Path(sys.executable).parent
    process = subprocess.Popen(
        [str(bin_dir / "pproxy"), "-l", f"http+socks5://127.0.0.1:{port}{auth}", "--auth", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield port
    finally:
        process.kill()
        process.wait(5)


OPEN_CLIENTS: list[RemoteApi] = []


def api(
    sandbox: RunningSandbox, region: str = ZIZHU, proxy: ProxySettings | None = None, attempts: int = 3
) -> RemoteApi:
    """A client with quick retries; closed by the ``close_clients`` fixture after the test."""
    http = HttpClient(
        sandbox.endpoints(region),
        proxy=proxy or ProxySettings(),
        retry=RetryPolicy(attempts=attempts, base_delay=0.01, max_delay=0.05),
    )
    OPEN_CLIENTS.append(RemoteApi(http))
    return OPEN_CLIENTS[-1]


def admin(sandbox: RunningSandbox, method: str, path: str, body: Any = None) -> Any:
    response = httpx.request(method, sandbox.url + path, json=body, timeout=60, trust_env=False)
    response.raise_for_status()
    return response.json()


def login(remote: RemoteApi, unit_id: str, initial: str, new: str = "Sbf2026ok") -> str:
    """Open a session and change the initial password, as the add-unit flow does; returns the token."""
    session = remote.open_session(unit_id, initial)
    if session.must_change_password:
        remote.change_password(unit_id, session.token, initial, new)
    return session.token
