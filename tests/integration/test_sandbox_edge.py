"""The sandbox's edge under bad requests: each class of bad request we know of is refused cleanly — a 4xx whose
body is exactly ``{code, message}`` with a Chinese message, a status the OpenAPI document names for that route —
and the server is healthy afterwards. ``PROBES`` is the catalogue; the fuzz test (``test_sandbox_fuzz.py``) looks
for the classes nobody listed.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from sbf_client.modules.employer.remote.api import WageApi
from sbf_client.remote.contract import errors as codes
from sbf_client.remote.contract.models import MAX_INT32, WAGE_PERIOD_TABLE
from sbf_client.services.sandbox import RunningSandbox, start_sandbox
from tests.conftest import TEST_SCALE, TEST_SEED, _copy_template
from tests.helpers import admin, api, login

R = "/r/demo-zizhu/mgmt/v1"
U = R + "/units/Z0001"  # logged in, password changed, by the module's fixture
EMPLOYEE = "Z0001-0000001"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
BIG = 2**63
JSON_CONTENT = {"content-type": "application/json"}


def wage(declaration_type: str = "日常", by: str = "按职工", **row: Any) -> dict[str, Any]:
    """A 缴费工资申报 body of one row, valid unless ``row`` says otherwise."""
    base: dict[str, Any] = {"key": EMPLOYEE, "new_wage": "9000.00", "effective_month": "2026-12"}
    return {"declaration_type": declaration_type, "by": by, "rows": [{**base, **row}]}


@dataclass(frozen=True)
class Probe:
    """One class of bad request, and how it must be refused (``status``/``code`` None: any 4xx / any code)."""

    name: str
    method: str
    path: str
    json: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    status: int | None = None
    code: int | None = None
    signed_in: bool = True  # send Z0001's token
    keyed: bool = False  # send a fresh Idempotency-Key


def _wage_probe(name: str, body: Any, status: int = 422, code: int | None = codes.WAGE_REQUEST_INVALID) -> Probe:
    return Probe(name, "POST", U + "/wage-declarations", json=body, status=status, code=code, keyed=True)


def _raw_wage(name: str, content: bytes, status: int, code: int | None = None, **headers: str) -> Probe:
    headers = {**JSON_CONTENT, **headers}
    return Probe(name, "POST", U + "/wage-declarations", content=content, headers=headers, status=status, code=code)


def _keyed_by(name: str, headers: dict[str, str]) -> Probe:
    """A valid declaration whose Idempotency-Key (in ``headers``) is missing or malformed."""
    status, code = 400, codes.IDEMPOTENCY_KEY_MISSING
    return Probe(name, "POST", U + "/wage-declarations", json=wage(), headers=headers, status=status, code=code)


def _unsigned(name: str, authorization: str, status: int) -> Probe:
    """A feed read with this Authorization header instead of Z0001's token."""
    headers = {"Authorization": authorization}
    return Probe(name, "GET", U + "/feeds/employees/info", headers=headers, status=status, signed_in=False)


def _lookup(
    name: str, taxpayer_id: Any, business: str = "employer", status: int = 422, code: int | None = None
) -> Probe:
    body = {"taxpayer_id": taxpayer_id, "business": business}
    return Probe(name, "POST", R + "/taxpayers/lookup", json=body, status=status, code=code)


def _admin(name: str, method: str, path: str, status: int, **request: Any) -> Probe:
    """A request of the admin API (``path`` under /admin), which takes no session."""
    return Probe(name, method, "/admin" + path, status=status, signed_in=False, **request)


WAGE_PROBES = [
    # 生效年月 that are no month, or outside the region's wage_period_limits (2021-12 … 2027-12 today)
    _wage_probe("生效年月 2026-13", wage(effective_month="2026-13")),
    _wage_probe("生效年月 2026-00", wage(effective_month="2026-00")),
    _wage_probe("生效年月 0000-01", wage(effective_month="0000-01")),
    _wage_probe("生效年月 2026-1", wage(effective_month="2026-1")),
    _wage_probe("生效年月 with a newline", wage(effective_month="2026-12\n")),
    _wage_probe("生效年月 as a number", wage(effective_month=202612)),
    _wage_probe("生效年月 9999-12 (range)", wage(effective_month="9999-12")),
    _wage_probe("生效年月 2021-11 (range)", wage(effective_month="2021-11")),
    _wage_probe("生效年月 2028-01 (range)", wage(effective_month="2028-01")),
    _wage_probe("年度 with a 生效年月", wage("年度")),
    _wage_probe("日常 without a 生效年月", wage(effective_month=None)),
    _wage_probe("按险种 without a 险种", wage(by="按险种")),
    _wage_probe("险种 not a code", wage(by="按险种", item="abcde")),
    # 新缴费工资 that is no amount, or out of range
    *[
        _wage_probe(f"新缴费工资 {shown}", wage(new_wage=value))
        for shown, value in [
            ("1e30", "1e30"),
            ("1e999999", "1e999999"),
            ("400 digits", "9" * 400),
            ("-1", "-1"),
            ("0", "0"),
            ("0.00", "0.00"),
            ("0.001", "0.001"),
            ("100000000.00", "100000000.00"),
            ("with a space", " 9000"),
            ("with a newline", "9000\n"),
            ("NaN text", "NaN"),
            ("Infinity text", "Infinity"),
            ("hex", "0x10"),
            ("thousands separator", "9,000"),
            ("a float", 9000.5),
            ("an integer", 9000),
            ("a boolean", True),
            ("null", None),
            ("an object", {"amount": "9000"}),
        ]
    ],
    _raw_wage(
        "新缴费工资 NaN literal",
        b'{"declaration_type":"\xe6\x97\xa5\xe5\xb8\xb8","by":"\xe6\x8c\x89\xe8\x81\x8c'
        b'\xe5\xb7\xa5","rows":[{"key":"Z0001-0000001","new_wage":NaN,"effective_month":"2026-12"}]}',
        422,
        codes.WAGE_REQUEST_INVALID,
        **{"Idempotency-Key": "raw-nan"},
    ),
    # rows and keys
    _wage_probe("职工标识 empty", wage(key="")),
    _wage_probe("职工标识 too long", wage(key="K" * 33)),
    _wage_probe("职工标识 with NUL", wage(key="Z0001\x000000001")),
    _wage_probe("rows empty", {"declaration_type": "日常", "by": "按职工", "rows": []}),
    _wage_probe("rows not a list", {"declaration_type": "日常", "by": "按职工", "rows": "all"}),
    _wage_probe("申报类型 unknown", wage("月度")),
    _wage_probe("body an array", [wage()]),
    _wage_probe("body a string", "wages"),
    _raw_wage("body null", b"null", 422, codes.WAGE_REQUEST_INVALID, **{"Idempotency-Key": "raw-null"}),
    # transport of the body
    _keyed_by("Idempotency-Key missing", {}),
    _keyed_by("Idempotency-Key 65 characters", {"Idempotency-Key": "k" * 65}),
    _keyed_by("Idempotency-Key with a space", {"Idempotency-Key": "a b"}),
    _raw_wage("malformed JSON", b'{"declaration_type": ', 400, codes.BAD_REQUEST, **{"Idempotency-Key": "raw-1"}),
    _raw_wage("bad UTF-8", b'{"declaration_type": "\xff\xfe"}', 400, codes.BAD_REQUEST),
    _raw_wage("JSON nested 100,000 deep", b"[" * 100_000, 400, codes.BAD_REQUEST),
    _raw_wage("empty body", b"", 422, codes.WAGE_REQUEST_INVALID, **{"Idempotency-Key": "raw-2"}),
    Probe(
        "text/plain body",
        "POST",
        U + "/wage-declarations",
        content=b"declare please",
        headers={"content-type": "text/plain"},
        status=422,
        keyed=True,
    ),
]

PATH_PROBES = [
    Probe("申报记录编号 2^63", "GET", U + f"/wage-declarations/{BIG}", status=422, code=codes.BAD_REQUEST),
    Probe("申报记录编号 2^31", "GET", U + f"/wage-declarations/{MAX_INT32 + 1}", status=422),
    Probe("申报记录编号 -1", "GET", U + "/wage-declarations/-1", status=422),
    Probe("申报记录编号 0", "GET", U + "/wage-declarations/0", status=422),
    Probe("申报记录编号 not a number", "GET", U + "/wage-declarations/abc", status=422),
    Probe("申报记录编号 unknown", "GET", U + "/wage-declarations/99999", status=404, code=codes.NOT_FOUND),
    Probe("since 2^63", "GET", U + f"/feeds/employees/changes?since={BIG}", status=422),
    Probe("since -1", "GET", U + "/feeds/employees/changes?since=-1", status=422),
    Probe("since not a number", "GET", U + "/feeds/employees/changes?since=x", status=422),
    Probe("since 1e3", "GET", U + "/feeds/employees/changes?since=1e3", status=422),
    Probe("limit 0", "GET", U + "/feeds/employees/changes?limit=0", status=422),
    Probe("limit 10001", "GET", U + "/feeds/employees/changes?limit=10001", status=422),
    Probe("epoch 65 characters", "GET", U + "/feeds/employees/changes?since=1&epoch=" + "e" * 65, status=422),
    Probe("full maybe", "GET", U + "/feeds/employees/changes?full=maybe", status=422),
    Probe(
        "since from another epoch",
        "GET",
        U + "/feeds/employees/changes?since=1&epoch=other",
        status=409,
        code=codes.EPOCH_CHANGED,
    ),
    Probe("单位标识 with NUL", "GET", R + "/units/Z0001%00/feeds/employees/info", status=422),
    Probe("单位标识 40 characters", "GET", R + "/units/" + "Z" * 40 + "/feeds/employees/info", status=422),
    Probe("单位标识 in Chinese", "GET", R + "/units/%E5%8D%95%E4%BD%8D/feeds/employees/info", status=422),
    Probe("单位标识 unknown", "GET", R + "/units/ZZZZ/feeds/employees/info", status=404),
    Probe("数据集 upper case", "GET", U + "/feeds/EMPLOYEES/info", status=422),
    Probe("数据集 of the other business", "GET", U + "/feeds/residents/info", status=404),
    Probe("业务流水号 with a space", "GET", U + "/submissions/a%20b", status=422),
    Probe("业务流水号 unknown", "GET", U + "/submissions/never-sent", status=404),
    Probe("region unknown", "GET", "/r/nowhere/mgmt/v1/ping", status=404, code=codes.NOT_FOUND),
    Probe("route unknown", "GET", "/r/demo-zizhu/mgmt/v2/ping", status=404, code=codes.NOT_FOUND),
    Probe("root unknown", "GET", "/favicon.ico", status=404, code=codes.NOT_FOUND),
    Probe("method not allowed", "DELETE", R + "/ping", status=405, code=codes.METHOD_NOT_ALLOWED),
    Probe("method not allowed on a unit", "PUT", U + "/session", json={}, status=405),
    Probe("no token", "GET", U + "/feeds/employees/info", status=401, code=codes.NOT_LOGGED_IN, signed_in=False),
    _unsigned("a wrong token", "Bearer nope", 401),
    _unsigned("another scheme", "Basic eHh4", 401),
    _unsigned("token 600 characters", "Bearer " + "t" * 600, 422),
    Probe("another unit's token", "GET", R + "/units/Z0004/feeds/employees/info", status=401),
]

ACCOUNT_PROBES = [
    _lookup("纳税人识别号 too long", "9" * 21),
    _lookup("纳税人识别号 empty", ""),
    _lookup("纳税人识别号 with NUL", "9199\x00"),
    _lookup("纳税人识别号 with spaces", "9199 0101"),
    _lookup("纳税人识别号 a number", 9199),
    _lookup("业务类型 unknown", "9199", business="both"),
    _lookup("纳税人识别号 unknown", "91990101MA5D999999", status=404, code=codes.TAXPAYER_NOT_FOUND),
    Probe("申报密码 empty", "POST", R + "/units/Z0005/session", json={"password": ""}, status=422),
    Probe("申报密码 65 characters", "POST", R + "/units/Z0005/session", json={"password": "p" * 65}, status=422),
    Probe("申报密码 a number", "POST", R + "/units/Z0005/session", json={"password": 123450}, status=422),
    Probe("申报密码 missing", "POST", R + "/units/Z0005/session", json={}, status=422),
    Probe(
        "申报密码 wrong",
        "POST",
        R + "/units/Z0005/session",
        json={"password": "999999"},
        status=401,
        code=codes.WRONG_PASSWORD,
    ),
    Probe(
        "新申报密码 too weak",
        "POST",
        U + "/password",
        json={"old_password": "Sbf2026ok", "new_password": "abc"},
        status=422,
        code=codes.NEW_PASSWORD_REJECTED,
    ),
    Probe("新申报密码 missing", "POST", U + "/password", json={"old_password": "Sbf2026ok"}, status=422),
    Probe(
        "原申报密码 wrong",
        "POST",
        U + "/password",
        json={"old_password": "nope", "new_password": "Sbf2027ok"},
        status=401,
        code=codes.WRONG_PASSWORD,
    ),
    Probe(
        "password change without a session",
        "POST",
        U + "/password",
        json={"old_password": "Sbf2026ok", "new_password": "Sbf2027ok"},
        status=401,
        signed_in=False,
    ),
]

ADMIN_PROBES = [
    *[
        _admin(f"faults {name}", "PUT", "/faults", 422, json=body)
        for name, body in [
            ("error_rate 2", {"error_rate": 2}),
            ("latency -1", {"latency_ms": -1}),
            ("latency 1 hour", {"latency_ms": 3_600_000}),
            ("drop_next 10^9", {"drop_next": 10**9}),
            ("methods unknown", {"methods": ["FETCH"]}),
            ("methods not a list", {"methods": "GET"}),
            ("path_prefix 300 characters", {"path_prefix": "/" * 300}),
            ("body an array", []),
        ]
    ],
    _admin("faults malformed JSON", "PUT", "/faults", 400, content=b"{", headers=JSON_CONTENT),
    _admin("faults NaN literal", "PUT", "/faults", 422, content=b'{"error_rate": NaN}', headers=JSON_CONTENT),
    *[
        _admin(f"settings {name}", "PUT", "/settings", 422, json=body)
        for name, body in [
            ("feedback_delay text", {"feedback_delay": "soon"}),
            ("feedback_delay -1", {"feedback_delay": -1}),
            ("feedback_delay 1e9", {"feedback_delay": 1e9}),
        ]
    ],
    _admin(
        "settings Infinity literal",
        "PUT",
        "/settings",
        422,
        content=b'{"feedback_delay": Infinity}',
        headers=JSON_CONTENT,
    ),
    *[
        _admin(f"mutate {name}", "POST", "/units/Z0001/feeds/employees/mutate", 422, json=body)
        for name, body in [
            ("hires -1", {"hires": -1}),
            ("hires 10^7", {"hires": 10**7}),
            ("hires text", {"hires": "x"}),
            ("removals beyond the roll", {"removals": 100_000}),
        ]
    ],
    _admin("mutate unknown unit", "POST", "/units/ZZZZ/feeds/employees/mutate", 404, json={}),
    _admin("mutate the other business's feed", "POST", "/units/Z0001/feeds/residents/mutate", 404, json={}),
    _admin("mutate 单位标识 with NUL", "POST", "/units/Z%00/feeds/employees/mutate", 422, json={}),
    *[
        _admin(f"compact {name}", "POST", "/units/Z0001/feeds/employees/compact", 422, json=body)
        for name, body in [
            ("up_to_seq 2^63", {"up_to_seq": BIG}),
            ("up_to_seq -5", {"up_to_seq": -5}),
            ("up_to_seq text", {"up_to_seq": "x"}),
        ]
    ],
    _admin("compact unknown unit", "POST", "/units/ZZZZ/feeds/employees/compact", 404, json={}),
    _admin("rekey unknown unit", "POST", "/units/ZZZZ/feeds/employees/rekey", 404),
    _admin("rekey 数据集 malformed", "POST", "/units/Z0001/feeds/a%20b/rekey", 422),
]

PROBES = WAGE_PROBES + PATH_PROBES + ACCOUNT_PROBES + ADMIN_PROBES


@contextmanager
def signed_in_sandbox(template: Path, folder: Path) -> Iterator[tuple[RunningSandbox, str]]:
    """A sandbox of its own in ``folder``, copied from the template, with Z0001 logged in and its initial
    password changed: the sandbox and Z0001's token."""
    running = start_sandbox(_copy_template(template, folder), seed=TEST_SEED, scale=TEST_SCALE)
    try:
        yield running, login(api(running), "Z0001", "000135")
    finally:
        running.stop()


@pytest.fixture(scope="module")
def probed(sandbox_template, tmp_path_factory) -> Iterator[tuple[RunningSandbox, str]]:
    """One sandbox for the whole catalogue (each probe is refused, so none changes what another sees)."""
    with signed_in_sandbox(sandbox_template, tmp_path_factory.mktemp("probed")) as signed_in:
        yield signed_in


def _documented(openapi: dict[str, Any], method: str, path: str) -> set[int] | None:
    """The statuses the OpenAPI document names for the operation a path falls on; None for no operation."""
    path = path.split("?")[0]
    for template, operations in openapi["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return {int(s) for s in operations[method.lower()]["responses"]}
    return None


def refusal_problems(response: httpx.Response, openapi: dict[str, Any], method: str, path: str) -> list[str]:
    """What is wrong with a refusal: anything but a 4xx ``{code, message}`` in Chinese, on a documented status."""
    problems = []
    if not 400 <= response.status_code < 500:
        problems.append(f"status {response.status_code}")
    if response.headers.get("content-type", "").split(";")[0] != "application/json":
        problems.append(f"content-type {response.headers.get('content-type')}")
    try:
        body = response.json()
    except ValueError:
        return [*problems, f"not JSON: {response.text[:200]!r}"]
    if not (isinstance(body, dict) and set(body) == {"code", "message"} and isinstance(body["code"], int)):
        problems.append(f"not {{code, message}}: {str(body)[:200]}")
    elif not CHINESE.search(str(body["message"])):
        problems.append(f"message not Chinese: {body['message']!r}")
    documented = _documented(openapi, method, path)
    if documented is not None and response.status_code not in documented:
        problems.append(f"status {response.status_code} not documented ({sorted(documented)})")
    return problems


def assert_healthy(sandbox: RunningSandbox, unit_id: str = "Z0005", initial: str = "123450") -> None:
    """The server still serves a unit nobody touched: ping, 规则文件, login, a feed page, a declaration that
    gets its feedback."""
    admin(sandbox, "PUT", "/admin/faults", {})
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 0})
    remote = api(sandbox)
    assert remote.ping_mgmt().region_id == "demo-zizhu" and remote.ping_coll().subsystem == "征收子系统"
    assert WAGE_PERIOD_TABLE in remote.code_tables().tables
    token = login(remote, unit_id, initial)
    info = remote.feed_info(unit_id, "employees", token)
    page = remote.feed_page(unit_id, "employees", token, since=0, limit=5, epoch=None)
    assert info.count > 0 and b'"records":[' in page
    key = f"{unit_id}-0000001"
    body = {
        "declaration_type": "日常",
        "by": "按职工",
        "rows": [{"key": key, "new_wage": "9000.00", "effective_month": "2026-12"}],
    }
    accepted = WageApi(remote).declare_wages(unit_id, token, f"health-{time.monotonic_ns()}", body)
    detail = WageApi(remote).wage_declaration(unit_id, token, accepted.declaration_id)
    assert detail.status in ("全部申报成功", "全部申报失败", "部分申报成功"), detail.status
    assert [item.key for item in detail.items] == [key]


def test_every_known_bad_request_is_refused_cleanly(probed):
    sandbox, token = probed
    openapi = httpx.get(sandbox.url + "/openapi.json", trust_env=False).json()
    failures: dict[str, list[str]] = {}
    server_errors = schema_violations = 0
    with httpx.Client(base_url=sandbox.url, trust_env=False, timeout=60) as client:
        for number, probe in enumerate(PROBES):
            headers = dict(probe.headers)
            if probe.signed_in:
                headers.setdefault("Authorization", f"Bearer {token}")
            if probe.keyed:
                headers.setdefault("Idempotency-Key", f"probe-{number}")
            kwargs: dict[str, Any] = {"headers": headers}
            if probe.content is not None:
                kwargs["content"] = probe.content
            elif probe.json is not None:
                kwargs["json"] = probe.json
            response = client.request(probe.method, probe.path, **kwargs)
            problems = refusal_problems(response, openapi, probe.method, probe.path)
            if probe.status is not None and response.status_code != probe.status:
                problems.append(f"status {response.status_code}, expected {probe.status}")
            code = _code(response)
            if probe.code is not None and code != probe.code:
                problems.append(f"code {code}, expected {probe.code}")
            server_errors += response.status_code >= 500
            schema_violations += any("documented" in p or "code, message" in p for p in problems)
            if problems:
                failures[probe.name] = [*problems, response.text[:300]]
    print(
        f"\nprobes: {len(PROBES)} tried, {len(PROBES) - len(failures)} refused cleanly, {server_errors} server errors,"
        f" {schema_violations} schema violations"
    )
    assert not failures, failures
    assert len({p.name for p in PROBES}) == len(PROBES)  # each class once
    # Nothing a refusal touched is half written: no declaration, and a stored answer only for the keys whose
    # request reached the 缴费工资申报 rules (the range and rule refusals, 20202, answered again for a repeat).
    assert WageApi(api(sandbox)).wage_declarations("Z0001", token) == []
    with sqlite3.connect(sandbox.data_dir / "sandbox.sqlite") as conn:
        stored = dict(conn.execute("SELECT key, status_code FROM idempotency").fetchall())
    assert stored and set(stored.values()) == {422}
    assert_healthy(sandbox)


def _code(response: httpx.Response) -> object:
    try:
        return response.json().get("code")
    except (ValueError, AttributeError):
        return None


def test_a_body_over_the_limit_is_413_before_it_is_read(probed):
    from sbf_sandbox.edge import MAX_BODY_BYTES

    sandbox, token = probed
    url = sandbox.url + U + "/wage-declarations"
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "big", "content-type": "application/json"}
    declared = httpx.post(url, content=b" " * (MAX_BODY_BYTES + 1), headers=headers, trust_env=False, timeout=60)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
        for _ in range(MAX_BODY_BYTES // 1_000_000 + 2):
            yield b" " * 1_000_000

    streamed = httpx.post(url, content=chunks(), headers=headers, trust_env=False, timeout=60)
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json() == codes.error_body(codes.REQUEST_TOO_LARGE)
    assert_healthy(sandbox, "Z0004", "123400")


def test_an_unexpected_error_is_a_logged_500_with_code_and_message(sandbox):
    """The last line of defence: a broken database table gives 500 ``{code, message}`` and a traceback in
    sandbox-errors.log; the rest of the server goes on, and so does that route once the table is back."""
    accounts = sandbox.url + R + "/demo/accounts"
    with sqlite3.connect(sandbox.data_dir / "sandbox.sqlite", timeout=30) as conn:
        conn.execute("ALTER TABLE unit_numbers RENAME TO unit_numbers_away")
    try:
        broken = httpx.get(accounts, trust_env=False)
        assert broken.status_code == 500
        assert broken.json() == codes.error_body(codes.SERVER_ERROR)
        assert httpx.get(sandbox.url + R + "/ping", trust_env=False).status_code == 200
    finally:
        with sqlite3.connect(sandbox.data_dir / "sandbox.sqlite", timeout=30) as conn:
            conn.execute("ALTER TABLE unit_numbers_away RENAME TO unit_numbers")
    assert httpx.get(accounts, trust_env=False).status_code == 200
    log = (sandbox.data_dir / "sandbox-errors.log").read_text(encoding="utf-8")
    assert "unexpected error answering GET /r/demo-zizhu/mgmt/v1/demo/accounts" in log and "Traceback" in log
    assert "Traceback" not in (sandbox.data_dir / "sandbox.log").read_text(encoding="utf-8", errors="replace")
    assert_healthy(sandbox)
