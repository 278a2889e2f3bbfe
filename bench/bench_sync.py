"""Sync figures (issue targets on a 2-core machine):

- full update of 100,000 employees ≤ 3 s and ≤ 2.5× the reference: a straight httpx fetch of the same
  pages + JSON parse + one ``sqlite3.executemany`` of the same rows;
- incremental update with no changes ≤ 0.3 s;
- full update of 1,000,000 employees ≤ 20 s with peak memory ≤ 500 MB (measured in a child process);
- 10,000 changes into a 1,000,000-row cache ≤ 1 s.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson

from sbf_client.core.clock import SystemClock
from sbf_client.modules.employer.declaration import MODULE as EMPLOYER
from sbf_client.modules.employer.sync.datasets import COLUMNS, EMPLOYEES
from sbf_client.remote.api import RemoteApi
from sbf_client.remote.http import HttpClient
from sbf_client.services.sandbox import RunningSandbox, start_sandbox
from sbf_client.store.unit_store import open_unit_db
from sbf_client.sync.engine import SyncEngine
from sbf_client.sync.remote_feed import RemoteFeed

from .report import emit

UNIT, UNIT_NO, PASSWORD = "Z0008", "000168", "Bench2026x"
PAGE = 5_000


def _session(sandbox: RunningSandbox) -> tuple[RemoteApi, str]:
    api = RemoteApi(HttpClient(sandbox.endpoints("demo-zizhu")))
    first = api.open_session(UNIT, UNIT_NO)
    api.change_password(UNIT, first.token, UNIT_NO, PASSWORD)
    return api, api.open_session(UNIT, PASSWORD).token


def reference(sandbox: RunningSandbox, token: str, folder: Path, *, streamed: bool = False) -> float:
    """Fetch every page with plain httpx, parse it, and insert the same rows with executemany."""
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "reference.sqlite")
    db.execute(f"CREATE TABLE employees (key TEXT PRIMARY KEY, seq INTEGER, {', '.join(COLUMNS)})")
    marks = ", ".join("?" * (2 + len(COLUMNS)))
    url = f"{sandbox.url}/r/demo-zizhu/mgmt/v1/units/{UNIT}/feeds/employees/changes"
    start = time.perf_counter()
    rows: list[tuple[object, ...]] = []
    with httpx.Client(trust_env=False, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
        since, epoch = 0, None
        while True:
            params: dict[str, object] = {"since": since, "limit": PAGE}
            if epoch:
                params["epoch"] = epoch
            page = orjson.loads(client.get(url, params=params).content)
            for record in page["records"]:
                d = record["data"]
                rows.append(
                    (
                        record["key"],
                        record["seq"],
                        d["person_no"],
                        d["name"],
                        d["gender"],
                        d["id_type"],
                        d["id_number"],
                        d["birth_date"],
                        d["unit_no"],
                        d["status"],
                        d["updated_at"],
                        orjson.dumps(d["insured"]).decode(),
                    )
                )
            if streamed:
                db.executemany(f"INSERT INTO employees VALUES ({marks})", rows)
                rows = []
            since, epoch = page["last_seq"], page["epoch"]
            if not page["more"]:
                break
    db.executemany(f"INSERT INTO employees VALUES ({marks})", rows)
    db.commit()
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def full_update(api: RemoteApi, token: str, database: Path) -> tuple[float, SyncEngine]:
    engine = open_unit_db(database, EMPLOYER.migrations)
    sync = SyncEngine(engine, RemoteFeed(api, UNIT, "employees", token), EMPLOYEES, SystemClock())
    start = time.perf_counter()
    sync.run()
    elapsed = time.perf_counter() - start
    sync.wait_housekeeping()
    return elapsed, sync


def run(scratch: Path) -> None:
    sandbox = start_sandbox(scratch / "sandbox-100k", scale=100_000)
    try:
        api, token = _session(sandbox)
        ref = min(reference(sandbox, token, scratch / f"ref-{i}") for i in range(2))
        timings = [full_update(api, token, scratch / f"cache-{i}" / "unit.sqlite") for i in range(2)]
        best, sync = min(timings, key=lambda t: t[0])
        emit("sync_full_100k", best, "s", reference=ref, reference_name="httpx+json+executemany")
        nothing = []
        for _ in range(5):
            start = time.perf_counter()
            sync.run()
            nothing.append(time.perf_counter() - start)
        emit("sync_incremental_no_changes_100k", min(nothing) * 1000, "ms")
        api.close()
    finally:
        sandbox.stop()

    print("# generating the 1,000,000-employee sandbox (about a minute)", file=sys.stderr, flush=True)
    sandbox = start_sandbox(scratch / "sandbox-1m", scale=1_000_000, timeout=900)
    try:
        api, token = _session(sandbox)
        ref = reference(sandbox, token, scratch / "ref-1m", streamed=True)
        database = scratch / "cache-1m" / "unit.sqlite"
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.sync_child",
                sandbox.endpoints("demo-zizhu").mgmt_url,
                UNIT,
                token,
                str(database),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        _pid, _status, usage = os.wait4(child.pid, 0)
        output = json.loads(child.stdout.read() if child.stdout else "{}")
        peak_mb = usage.ru_maxrss / 1024  # Linux reports kilobytes
        emit("sync_full_1m", output["seconds"], "s", reference=ref, reference_name="httpx+json+executemany_streamed")
        emit("sync_full_1m_peak_rss", peak_mb, "MB")

        changes = {"hires": 2_500, "leaves": 2_500, "removals": 2_500, "base_changes": 2_500}
        engine = open_unit_db(database, EMPLOYER.migrations)
        sync = SyncEngine(engine, RemoteFeed(api, UNIT, "employees", token), EMPLOYEES, SystemClock())
        timings = []
        for _round in range(3):  # the best of three rounds of 10,000 fresh changes each
            httpx.post(
                f"{sandbox.url}/admin/units/{UNIT}/feeds/employees/mutate", json=changes, timeout=300, trust_env=False
            ).raise_for_status()
            start = time.perf_counter()
            result = sync.run()
            timings.append(time.perf_counter() - start)
            sync.wait_housekeeping()
            assert (result.added, result.changed, result.deleted) == (2_500, 5_000, 2_500), result
        elapsed = min(timings)
        emit("sync_10k_changes_into_1m", elapsed, "s")
        api.close()
    finally:
        sandbox.stop()
