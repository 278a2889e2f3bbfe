"""Change-feed page round trip on loopback with small pages (target ≤ 10 ms: no Nagle stall).

Reference: the same GET over a raw, kept-alive ``http.client`` connection to the same server.
"""

from __future__ import annotations

import http.client
import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

from sbf_client.remote.api import RemoteApi
from sbf_client.remote.http import HttpClient
from sbf_client.services.sandbox import start_sandbox

from .report import emit

ROUNDS = 200


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run(scratch: Path) -> None:
    sandbox = start_sandbox(scratch / "sandbox", scale=10)
    try:
        remote = RemoteApi(HttpClient(sandbox.endpoints("demo-zizhu")))
        session = remote.open_session("Z0001", "000135")
        remote.change_password("Z0001", session.token, "000135", "Bench2026x")
        path = "/r/demo-zizhu/mgmt/v1/units/Z0001/feeds/employees/changes?since=0&limit=5"
        client_samples, raw_samples = [], []
        parts = urlsplit(sandbox.url)
        raw = http.client.HTTPConnection(parts.hostname, parts.port)
        headers = {"Authorization": f"Bearer {session.token}"}
        for _ in range(ROUNDS):
            start = time.perf_counter()
            remote.feed_page("Z0001", "employees", session.token, since=0, limit=5, epoch=None)
            client_samples.append(time.perf_counter() - start)
            start = time.perf_counter()
            raw.request("GET", path, headers=headers)
            raw.getresponse().read()
            raw_samples.append(time.perf_counter() - start)
        raw.close()
        remote.close()
        reference = _median_ms(raw_samples)
        emit(
            "feed_page_roundtrip_small",
            _median_ms(client_samples),
            "ms",
            reference=reference,
            reference_name="raw_http_client",
        )
        emit("feed_page_roundtrip_small_p95", statistics.quantiles(client_samples, n=20)[18] * 1000, "ms")
    finally:
        sandbox.stop()
