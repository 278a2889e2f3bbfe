"""Runs the sandbox under uvicorn on a socket it binds itself, with TCP_NODELAY on every connection.

The socket is bound before uvicorn starts, so ``--port 0`` works: the ready line printed on stdout
(``SBF-SANDBOX READY http://HOST:PORT``) carries the real port.
"""

from __future__ import annotations

import asyncio
import socket
import sys

import uvicorn

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _BaseProtocol
except ImportError:  # pragma: no cover - httptools is a dependency, h11 is uvicorn's fallback
    from uvicorn.protocols.http.h11_impl import H11Protocol as _BaseProtocol

from sbf_client.remote.contract.sandbox import READY_PREFIX

from .faults import quiet_uvicorn_about_drops


class NoDelayProtocol(_BaseProtocol):  # type: ignore[misc, valid-type]
    """Small responses leave at once instead of waiting on Nagle's algorithm and a delayed ACK."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    if sys.platform != "win32":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(256)
    sock.setblocking(False)
    return sock


def serve(app, host: str, port: int, log_level: str = "warning") -> None:  # type: ignore[no-untyped-def]
    sock = bind(host, port)
    actual_host, actual_port = sock.getsockname()[:2]
    shown = f"[{actual_host}]" if ":" in actual_host else actual_host
    quiet_uvicorn_about_drops()
    config = uvicorn.Config(
        app, http=NoDelayProtocol, log_level=log_level, access_log=False, lifespan="off", timeout_keep_alive=30
    )
    server = uvicorn.Server(config)
    print(f"{READY_PREFIX}http://{shown}:{actual_port}", flush=True)
    server.run(sockets=[sock])
