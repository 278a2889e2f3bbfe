"""Child process of the sync benchmark: one full update, timed inside, so the parent can read its peak RSS."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from sbf_client.core.clock import SystemClock
from sbf_client.modules.employer.declaration import MODULE as EMPLOYER
from sbf_client.modules.employer.sync.datasets import EMPLOYEES
from sbf_client.remote.api import RemoteApi
from sbf_client.remote.http import Endpoints, HttpClient
from sbf_client.store.unit_store import open_unit_db
from sbf_client.sync.engine import SyncEngine
from sbf_client.sync.remote_feed import RemoteFeed


def main(root: str, unit_id: str, token: str, database: str) -> None:
    engine = open_unit_db(Path(database), EMPLOYER.migrations)
    api = RemoteApi(HttpClient(Endpoints(root, root)))
    sync = SyncEngine(engine, RemoteFeed(api, unit_id, "employees", token), EMPLOYEES, SystemClock())
    start = time.perf_counter()
    result = sync.run()
    elapsed = time.perf_counter() - start
    sync.wait_housekeeping()
    print(json.dumps({"seconds": elapsed, "total": result.total}))


if __name__ == "__main__":
    main(*sys.argv[1:])
