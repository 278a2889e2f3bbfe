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


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@contextmanager
def postgres_server(folder: Path) -> Iterator[str]:
    """A throwaway PostgreSQL cluster on loopback; yields an SQLAlchemy URL of an empty database.

    initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` user and lives
    in a folder of its own directly under the system temp directory (pytest's are private to root).
    """
    import os
    import shutil
    import tempfile

    bin_dir = _postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries are missing: `make test-slow` installs them")
    port = free_port()
    as_root = os.geteuid() == 0
    if as_root:
        folder = Path(tempfile.mkdtemp(prefix="sbf-pg-"))
    data = folder / "pgdata"
    data.mkdir(parents=True)

    def run(*command: str) -> None:
        line = " ".join(command)
        if as_root:
            subprocess.run(["su", "postgres", "-c", line], check=True, capture_output=True)
        else:
            subprocess.run(command, check=True, capture_output=True)

    if as_root:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
    run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "sbf")
    options = f"'-k {data} -p {port} -c listen_addresses=127.0.0.1'"
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(data / "log"), "-w", "start")
    try:
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "sbf", "sandbox")
        yield f"postgresql+psycopg://sbf@127.0.0.1:{port}/sandbox"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        if as_root:
            shutil.rmtree(folder, ignore_errors=True)
