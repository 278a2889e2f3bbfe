"""Runs the sandbox under uvicorn on a socket it binds itself, with TCP_NODELAY on every connection.

The socket is bound before uvicorn starts, so ``--port 0`` works: the ready line printed on stdout
(``SBF-SANDBOX READY http://HOST:PORT``) carries the real port. Started with ``--parent-pid``, it stops when
that process is gone: a client that crashed (or a test worker that was killed) leaves no server behind.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import threading
import time
from collections.abc import Callable

import uvicorn

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _BaseProtocol
except ImportError:  # pragma: no cover - httptools is a dependency, h11 is uvicorn's fallback
    from uvicorn.protocols.http.h11_impl import H11Protocol as _BaseProtocol

from sbf_client.core.errors import SbfError
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
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        reason = "端口已被其他程序占用" if error.errno in (98, 10048) else (error.strerror or type(error).__name__)
        raise SbfError(
            f"无法在 {host}:{port} 上启动服务（{reason}）。请换一个端口，或用 --port 0 任选空闲端口。"
        ) from None
    sock.listen(256)
    sock.setblocking(False)
    return sock


def _parent_alive(pid: int) -> Callable[[], bool]:
    """A check that the process ``pid`` still runs: on POSIX a child of a dead parent is re-parented; on
    Windows the parent's handle is signalled when it ends."""
    if sys.platform == "win32":
        import ctypes

        synchronize, wait_object_0 = 0x00100000, 0
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(synchronize, False, pid)
        if not handle:
            return lambda: False
        return lambda: kernel32.WaitForSingleObject(handle, 0) != wait_object_0
    return lambda: os.getppid() == pid


def _stop_with_parent(pid: int, server: uvicorn.Server) -> None:
    alive = _parent_alive(pid)

    def watch() -> None:
        while alive():
            time.sleep(1)
        server.should_exit = True

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def serve(app, sock: socket.socket, log_level: str = "warning", parent_pid: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """Serve ``app`` on a socket from :func:`bind` (bound first, so that a port in use is said at once)."""
    actual_host, actual_port = sock.getsockname()[:2]
    shown = f"[{actual_host}]" if ":" in actual_host else actual_host
    quiet_uvicorn_about_drops()
    config = uvicorn.Config(
        app, http=NoDelayProtocol, log_level=log_level, access_log=False, lifespan="off", timeout_keep_alive=30
    )
    server = uvicorn.Server(config)
    if parent_pid is not None:
        _stop_with_parent(parent_pid, server)
    print(f"{READY_PREFIX}http://{shown}:{actual_port}", flush=True)
    server.run(sockets=[sock])
