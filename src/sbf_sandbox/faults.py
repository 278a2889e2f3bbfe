"""Fault switches for tests and demos: added latency, an error rate, answers dropped after commit.

A dropped answer is the nasty case for a client: the server did the work and committed it, then the
connection closes before the body arrives, so the client cannot know whether its request took effect.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field

from sbf_client.remote.contract.errors import SERVER_BUSY
from sbf_client.remote.contract.models import FaultSettings

from .edge import send_error

DROP_LOG_MESSAGE = "ASGI callable returned without completing response."


@dataclass
class FaultState:
    settings: FaultSettings = field(default_factory=FaultSettings)
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    dropped: int = 0
    failed: int = 0

    def applies(self, method: str, path: str) -> bool:
        s = self.settings
        if path.startswith("/admin") or path.startswith("/docs") or path == "/openapi.json":
            return False
        relative = path.split("/", 3)[3] if path.startswith("/r/") and path.count("/") >= 3 else path.lstrip("/")
        if s.path_prefix and not ("/" + relative).startswith(s.path_prefix):
            return False
        return not s.methods or method.upper() in {m.upper() for m in s.methods}

    def should_drop(self) -> bool:
        s = self.settings
        if s.drop_next > 0:
            self.settings = s.model_copy(update={"drop_next": s.drop_next - 1})
            return True
        return s.drop_rate > 0 and self.rng.random() < s.drop_rate


class _DropFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != DROP_LOG_MESSAGE


def quiet_uvicorn_about_drops() -> None:
    logging.getLogger("uvicorn.error").addFilter(_DropFilter())


class FaultMiddleware:
    """Pure ASGI middleware in front of the whole app."""

    def __init__(self, app, state: FaultState) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.state = state

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] != "http" or not self.state.applies(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        settings = self.state.settings
        if settings.latency_ms:
            await asyncio.sleep(settings.latency_ms / 1000)
        if settings.error_rate and self.state.rng.random() < settings.error_rate:
            self.state.failed += 1
            await send_error(send, 503, SERVER_BUSY)
            return
        if not self.state.should_drop():
            await self.app(scope, receive, send)
            return
        start: dict[str, object] = {}

        async def hold(message):  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start":
                start.update(message)

        await self.app(scope, receive, hold)  # the work is done and committed here
        self.state.dropped += 1
        if start:
            await send(start)  # headers promise a body that never comes; the server then closes
