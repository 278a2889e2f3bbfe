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
# The unit-database schemas of the two modules (ModuleSpec.migrations), for tests that open a database directly.
EMPLOYER_SCHEMA = "sbf_client.modules.employer.store.migrations"
COLLECTOR_SCHEMA = "sbf_client.modules.collector.store.migrations"
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


def server_records(sandbox: RunningSandbox, unit_id: str, feed: str = "employees") -> dict[str, dict[str, Any]]:
    """Every live record of a feed, read straight from the sandbox database: the truth to compare with."""
    import sqlite3

    import orjson

    with sqlite3.connect(sandbox.data_dir / "sandbox.sqlite") as conn:
        rows = conn.execute(
            "SELECT key, data FROM records WHERE unit_id = ? AND feed = ? AND deleted = 0", (unit_id, feed)
        ).fetchall()
    return {key: orjson.loads(data) for key, data in rows}


def cached_records(engine: Any, table: str = "employees") -> dict[str, tuple[Any, ...]]:
    """key → the dataset's columns, in the dataset's order."""
    from sbf_client.modules.collector.sync.datasets import RESIDENTS
    from sbf_client.modules.employer.sync.datasets import EMPLOYEES

    columns = (EMPLOYEES if table == "employees" else RESIDENTS).columns
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f"SELECT key, {', '.join(columns)} FROM {table}").all()
    return {row[0]: tuple(row[1:]) for row in rows}


CLI_PASSWORD = "Sbf2026ok"


def cli(
    home: Path,
    *args: str,
    password: str | None = CLI_PASSWORD,
    new_password: str | None = None,
    stdin: str | None = None,
    check: bool = True,
    timeout: float = 180,
) -> dict[str, Any]:
    """Run ``sbf-client --json …`` in a child process; returns its one JSON object. ``password`` and
    ``new_password`` go to ``SBF_PASSWORD`` and ``SBF_NEW_PASSWORD`` (never the command line); ``stdin`` is
    the standard input (for ``--password-stdin``)."""
    import json
    import os

    env = {**os.environ, "SBF_HOME": str(home)}
    env.pop("SBF_PASSWORD", None)
    env.pop("SBF_NEW_PASSWORD", None)
    if password:
        env["SBF_PASSWORD"] = password
    if new_password:
        env["SBF_NEW_PASSWORD"] = new_password
    result = subprocess.run(
        [sys.executable, "-m", "sbf_client", *args, "--json"],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, f"stdout must be one JSON object: {result.stdout!r} / {result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    output = json.loads(lines[0])
    if check:
        assert output["ok"], output
    return output


def cli_unit(home: Path, sandbox: RunningSandbox, taxpayer_id: str, unit_no: str, region: str = ZIZHU) -> None:
    """Choose the sandbox region and add a unit through the command line, changing its initial password."""
    from sbf_client.services.regions import available_regions

    name = next(r.name for r in available_regions() if r.id == region)
    root = sandbox.endpoints(region).mgmt_url
    cli(home, "region", "set", name, "--mgmt-url", root, "--coll-url", root)
    cli(home, "unit", "add", taxpayer_id, "--unit-no", unit_no, "--yes", password=None, new_password=CLI_PASSWORD)


def unit_db(home: Path) -> Path:
    found = sorted((home / "units").glob("*.sqlite"))
    assert len(found) == 1, found
    return found[0]


def cache_file_records(path: Path, table: str = "employees") -> dict[str, tuple[Any, ...]]:
    """The cached rows of a unit database file (read while other processes may write it)."""
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    try:
        return cached_records(engine, table)
    finally:
        engine.dispose()


def logged_in(
    home_dir: Path,
    sandbox: RunningSandbox,
    taxpayer_id: str,
    unit_no: str,
    region: str = ZIZHU,
    module: str = "employer",
):  # type: ignore[no-untyped-def]
    """An in-process ClientContext with the region chosen and one unit added (initial password changed) and
    logged in, as the window does it; returns the ``UnitSession`` (the caller closes it, then its context)."""
    from sbf_client.core.passwords import initial_password
    from sbf_client.services.context import ClientContext
    from sbf_client.services.login import LoginService
    from sbf_client.services.regions import find_region
    from sbf_client.services.session import open_unit_session
    from sbf_client.services.units import UnitService
    from sbf_client.store.home import DataHome

    context = ClientContext(DataHome(home_dir))
    root = sandbox.endpoints(region).mgmt_url
    context.choose_region(find_region(region), root, root)
    service = UnitService(context)
    summaries = service.lookup(taxpayer_id, module)  # type: ignore[arg-type]
    initial = initial_password(unit_no)
    summary, session = next((s, opened) for s in summaries if (opened := _opened(service, s.unit_id, initial)))
    info = service.registration(session)
    unit = service.finish_adding(
        module,  # type: ignore[arg-type]
        summary,
        session,
        info,
        password=initial,
        confirmed=True,
        new_password=(CLI_PASSWORD, CLI_PASSWORD),
    )
    return open_unit_session(context, LoginService(context).login(unit, CLI_PASSWORD))


def _opened(service: Any, unit_id: str, password: str) -> Any:
    """The unit's session if the password opens it, else None."""
    from sbf_client.remote.errors import ApiError

    try:
        return service.verify(unit_id, password)
    except ApiError:
        return None


def server_rows(sandbox: RunningSandbox, unit_id: str, feed: str = "employees") -> dict[str, tuple[Any, ...]]:
    """Every live record as the row the client should hold for it (the dataset's own mapping)."""
    import sqlite3

    import msgspec

    from sbf_client.modules.collector.sync.datasets import RESIDENTS
    from sbf_client.modules.employer.sync.datasets import EMPLOYEES

    dataset = EMPLOYEES if feed == "employees" else RESIDENTS
    with sqlite3.connect(sandbox.data_dir / "sandbox.sqlite") as conn:
        rows = conn.execute(
            "SELECT key, data FROM records WHERE unit_id = ? AND feed = ? AND deleted = 0", (unit_id, feed)
        ).fetchall()
    return {key: dataset.to_row(msgspec.json.decode(data, type=dataset.record_type)) for key, data in rows}


def one_line_refusal(result: subprocess.CompletedProcess[str], as_json: bool) -> str:
    """A command line's refusal, after checking its form — a non-zero exit, no traceback, and one line on
    stderr or one JSON object on stdout — and its message."""
    import json

    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    if as_json:
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        assert len(lines) == 1, result.stdout
        answer = json.loads(lines[0])
        assert answer["ok"] is False and set(answer["error"]) == {"code", "message"}
        assert not result.stderr.strip(), result.stderr
        return str(answer["error"]["message"])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and not result.stdout.strip(), result.stderr
    assert lines[0].startswith("错误：")
    return lines[0]


LOCKED_MESSAGE = "申报密码连续输错次数过多，为保护单位数据安全，请15分钟后再试。"


class LockingFront:
    """A front for a sandbox that throttles wrong passwords per unit as the 管理子系统 is to do: after
    ``limit`` wrong ones in a row a unit's session requests get HTTP 429 ``{code: 20104, message}`` (until
    ``unlock``); a right one resets the count. Everything else is passed through. It counts every password
    tried per unit (``attempts``) and the wrong ones (``wrong``), so a test sees what reached the server."""

    def __init__(self, sandbox: RunningSandbox, limit: int = 5) -> None:
        import collections
        import json
        import re
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from sbf_client.remote.contract import errors as codes

        self.sandbox = sandbox
        self.limit = limit
        self.attempts: collections.Counter[str] = collections.Counter()
        self.wrong: collections.Counter[str] = collections.Counter()
        self.in_a_row: collections.Counter[str] = collections.Counter()
        self.locked: set[str] = set()
        self._guard = threading.Lock()
        self._forward = httpx.Client(trust_env=False, timeout=60)
        session = re.compile(r"^/r/[^/]+/mgmt/v1/units/([^/]+)/session$")
        front = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet: a test's output is its own
                pass

            def _pass_through(self, body: bytes | None) -> httpx.Response:
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() in ("authorization", "idempotency-key", "content-type")
                }
                return front._forward.request(
                    self.command, front.sandbox.url + self.path, content=body, headers=headers
                )

            def _answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                unit = session.match(self.path.split("?")[0])
                if self.command == "POST" and unit:
                    unit_id = unit.group(1)
                    with front._guard:
                        front.attempts[unit_id] += 1
                        if unit_id in front.locked:
                            message = {"code": codes.PASSWORD_LOCKED, "message": LOCKED_MESSAGE}
                            self._answer(429, json.dumps(message, ensure_ascii=False).encode())
                            return
                    answer = self._pass_through(body)
                    with front._guard:
                        if answer.status_code == 401 and answer.json().get("code") == codes.WRONG_PASSWORD:
                            front.wrong[unit_id] += 1
                            front.in_a_row[unit_id] += 1
                            if front.in_a_row[unit_id] >= front.limit:
                                front.locked.add(unit_id)
                        elif answer.status_code < 300:
                            front.in_a_row[unit_id] = 0
                else:
                    answer = self._pass_through(body)
                self._answer(answer.status_code, answer.content, answer.headers.get("content-type", "application/json"))

            do_GET = do_POST = do_PUT = do_DELETE = _handle  # the names http.server calls

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def endpoints(self, region_id: str):  # type: ignore[no-untyped-def]
        """The region's roots through this front (as ``RunningSandbox.endpoints``)."""
        from sbf_client.remote.http import Endpoints

        root = f"{self.url}/r/{region_id}"
        return Endpoints(mgmt_url=root, coll_url=root)

    def lock(self, unit_id: str) -> None:
        """As if five wrong passwords had been tried on the unit elsewhere."""
        with self._guard:
            self.locked.add(unit_id)

    def unlock(self, unit_id: str) -> None:
        with self._guard:
            self.locked.discard(unit_id)
            self.in_a_row[unit_id] = 0

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(10)
        self._forward.close()


@contextmanager
def locking_front(sandbox: RunningSandbox, limit: int = 5) -> Iterator[LockingFront]:
    front = LockingFront(sandbox, limit)
    try:
        yield front
    finally:
        front.close()
