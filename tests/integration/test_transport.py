"""The httpx client against a real sandbox: retries, fault switches, errors, OpenAPI, log hygiene."""

import logging
import re

import httpx
import orjson
import pytest

from sbf_client.remote.api import RemoteApi
from sbf_client.remote.errors import (
    ApiError,
    ConnectionDroppedError,
    RequestTimeoutError,
    ServerUnavailableError,
)
from sbf_client.remote.http import Endpoints, HttpClient, RetryPolicy, Timeouts
from tests.helpers import admin, api, free_port, login


def test_openapi_lists_the_contract(shared_sandbox):
    spec = httpx.get(shared_sandbox.url + "/openapi.json", trust_env=False).json()
    paths = set(spec["paths"])
    for path in (
        "/r/{region_id}/mgmt/v1/taxpayers/lookup",
        "/r/{region_id}/mgmt/v1/units/{unit_id}/session",
        "/r/{region_id}/mgmt/v1/units/{unit_id}/password",
        "/r/{region_id}/mgmt/v1/units/{unit_id}/feeds/{feed}/changes",
        "/r/{region_id}/mgmt/v1/units/{unit_id}/feeds/{feed}/info",
        "/r/{region_id}/coll/v1/ping",
        "/admin/faults",
        "/admin/units/{unit_id}/feeds/{feed}/mutate",
    ):
        assert path in paths
    assert shared_sandbox.url.startswith("http://127.0.0.1:")


def test_both_subsystems_answer(shared_sandbox):
    remote = api(shared_sandbox)
    assert remote.ping_mgmt().subsystem == "管理子系统"
    coll = remote.ping_coll()
    assert coll.subsystem == "征收子系统" and coll.mode == "税务自主模式"
    assert "id_type" in remote.code_tables().tables


def test_connect_errors_are_retried_with_backoff_then_reported():
    pauses = []
    dead = f"http://127.0.0.1:{free_port()}/r/demo-zizhu"
    http = HttpClient(
        Endpoints(dead, dead),
        retry=RetryPolicy(attempts=4, base_delay=0.1, max_delay=0.15),
        sleep=pauses.append,
        draw=lambda: 1.0,
    )
    with http, pytest.raises(ServerUnavailableError, match="无法连接到管理子系统"):
        RemoteApi(http).lookup_taxpayer("91990101MA5D000160", "employer")  # a POST: connect errors are safe
    assert pauses == [0.1, 0.15, 0.15]


def test_a_get_is_retried_through_server_errors(sandbox):
    admin(sandbox, "PUT", "/admin/faults", {"error_rate": 0.6, "path_prefix": "/mgmt/v1/ping"})
    remote = api(sandbox, attempts=30)
    for _ in range(5):
        assert remote.ping_mgmt().region_id == "demo-zizhu"
    failed = admin(sandbox, "PUT", "/admin/faults", {"error_rate": 1.0, "path_prefix": "/mgmt/v1/ping"})
    assert failed["error_rate"] == 1.0
    with pytest.raises(ApiError, match="服务器繁忙") as busy:
        api(sandbox, attempts=2).ping_mgmt()
    assert busy.value.status == 503


def test_a_dropped_get_is_retried_transparently(sandbox):
    remote = api(sandbox)
    token = login(remote, "Z0001", "000135")
    admin(sandbox, "PUT", "/admin/faults", {"drop_next": 2, "path_prefix": "/mgmt/v1/units/Z0001/feeds"})
    assert remote.feed_info("Z0001", "employees", token).count == 60
    assert admin(sandbox, "GET", "/admin/faults")["drop_next"] == 0


def test_a_dropped_submission_is_not_resent_and_its_outcome_is_unknown(sandbox):
    remote = api(sandbox)
    session = remote.open_session("Z0004", "123400")
    admin(
        sandbox,
        "PUT",
        "/admin/faults",
        {"drop_next": 1, "methods": ["POST"], "path_prefix": "/mgmt/v1/units/Z0004/password"},
    )
    with pytest.raises(ConnectionDroppedError, match="连接意外中断"):
        remote.change_password("Z0004", session.token, "123400", "Sbf2026ok")
    # The server committed the change before the answer was lost.
    assert not remote.open_session("Z0004", "Sbf2026ok").must_change_password


def test_a_slow_answer_is_a_timeout(sandbox):
    admin(sandbox, "PUT", "/admin/faults", {"latency_ms": 1500, "path_prefix": "/mgmt/v1/taxpayers"})
    http = HttpClient(sandbox.endpoints("demo-zizhu"), timeouts=Timeouts(read=0.3), retry=RetryPolicy(attempts=1))
    with http, pytest.raises(RequestTimeoutError, match="响应超时"):
        RemoteApi(http).lookup_taxpayer("91990101MA5D000160", "employer")


def test_a_stopped_server_is_reported(sandbox):
    remote = api(sandbox, attempts=2)
    assert remote.ping_mgmt()
    sandbox.kill()
    with pytest.raises(ServerUnavailableError, match="无法连接到管理子系统"):
        remote.ping_mgmt()


def test_no_id_number_password_or_token_reaches_the_logs(sandbox, caplog, log_file):
    caplog.set_level(logging.DEBUG)
    remote = api(sandbox)
    session = remote.open_session("Z0001", "000135")
    remote.change_password("Z0001", session.token, "000135", "Secret2026x")
    remote.lookup_taxpayer("91990101MA5D000160", "employer")
    body = remote.feed_page("Z0001", "employees", session.token, since=0, limit=100, epoch=None)
    id_numbers = re.findall(r'"id_number":"([^"]+)"', body.decode())
    assert len(id_numbers) == 60
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "HTTP Request" in text  # httpx did log every request line
    written = log_file.read_text(encoding="utf-8")
    assert "HTTP Request" in written  # what the file got, as the user's machine keeps it
    for secret in [*id_numbers, "000135", "Secret2026x", session.token]:
        assert secret not in text and secret not in written
    assert all(
        secret not in str(orjson.dumps(r.__dict__, default=str)) for r in caplog.records for secret in id_numbers[:5]
    )
