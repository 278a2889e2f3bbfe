"""Fuzzing the sandbox's OpenAPI with schemathesis: every operation, with valid and with invalid data, against a
real sandbox process; no answer may be a 5xx, every answer must be one the document names (status, media type,
body schema — the errors are documented as ``{code, message}``), and the server must be healthy afterwards.

Schemathesis' own pytest integration (``@schema.parametrize``) loads the schema when the module is imported,
before any fixture can start a server; so the test drives it through its Python API instead: a Hypothesis
strategy per operation, run with a fixed seed and a bounded number of examples, inside one plain test. That
works under pytest-xdist and ``filterwarnings = error`` as it is.

Each operation is run twice per mode: with everything generated (mostly unknown regions and units: the refusals
at the edge), and with the region, the unit and a session of it pinned (so the bodies reach the rules); the
缴费工资申报 once more with months inside today's limits and real employees, so that generated declarations are
accepted and matured.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sbf_client.services.sandbox import RunningSandbox
from tests.helpers import admin
from tests.integration.test_sandbox_edge import assert_healthy, signed_in_sandbox

SEED = 20261203
EXAMPLES = 10  # per operation, mode and variant (about 600 requests in all, with the accepted path)
ACCEPTED_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
MUTATE_MOST = 3  # generated head counts are cut to this: a million hires would only make the test slow


@pytest.fixture(scope="module")
def fuzzed(sandbox_template, tmp_path_factory) -> Iterator[tuple[RunningSandbox, str]]:
    # Hypothesis keeps a cache (.hypothesis/) in the working directory: this run's goes to its own folder.
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    try:
        with signed_in_sandbox(sandbox_template, tmp_path_factory.mktemp("fuzzed")) as (running, token):
            admin(running, "PUT", "/admin/settings", {"feedback_delay": 0})
            yield running, token
    finally:
        set_hypothesis_home_dir(None)


def _tame(case: Any) -> None:
    """Keep a generated case from making the run slow or deaf, without narrowing what it tests: head counts of a
    mutation are cut, so it generates a few people and not a million."""
    if case.operation.path.endswith("/mutate") and isinstance(case.body, dict):
        case.body = {
            k: min(v, MUTATE_MOST) if isinstance(v, int) and not isinstance(v, bool) and v > MUTATE_MOST else v
            for k, v in case.body.items()
        }


def _realistic(case: Any, number: int) -> None:
    """For the accepted path of 缴费工资申报: generated rows get what the rules ask of them — a 生效年月 inside
    today's limits for 日常 and none for 年度, a 险种 for 按险种 and none for 按职工 — and mostly the key of a real
    employee, and the case an Idempotency-Key; so that declarations are accepted and their feedback is matured
    with the generated wages and row counts, instead of all being refused for the month."""
    body = case.body
    if not isinstance(body, dict) or not isinstance(body.get("rows"), list):
        return
    months = ("2026-12", "2021-12", "2027-12", "2025-06")
    items = ("10210", "10212", "10213", "10218")
    for index, row in enumerate(body["rows"]):
        turn = number + index
        if isinstance(row, dict):
            row["effective_month"] = months[turn % len(months)] if body.get("declaration_type") == "日常" else None
            row["item"] = items[turn % len(items)] if body.get("by") == "按险种" else None
            if turn % 4:
                row["key"] = f"Z0001-{turn % 70 + 1:07d}"  # 60 people: some keys are nobody's
    case.headers = {**(case.headers or {}), "Idempotency-Key": f"fuzz-{number}"}


def _restore(sandbox: RunningSandbox, case: Any) -> None:
    """Fault switches a case turned on (errors, latency, dropped answers) are turned off at once: they would
    answer the next cases instead of the server."""
    if case.operation.path == "/admin/faults" and case.method.upper() == "PUT":
        admin(sandbox, "PUT", "/admin/faults", {})


@dataclass
class Tally:
    """What the run saw: requests, their statuses, and the checks that failed (with schemathesis' report)."""

    tried: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    unsatisfiable: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def _fuzz(
    sandbox: RunningSandbox, strategy: Any, label: str, tally: Tally, examples: int = EXAMPLES, realistic: bool = False
) -> None:
    """Run one operation's strategy for ``examples`` cases with the fixed seed, checking every answer."""

    @seed(SEED)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as it came
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        _tame(case)
        if realistic:
            _realistic(case, tally.tried)
        response = case.call(base_url=sandbox.url, timeout=60)
        _restore(sandbox, case)
        tally.tried += 1
        tally.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            tally.failures.append(f"{label} {str(group)[:1500]}")

    run()


def test_the_openapi_document_holds_under_fuzzing(fuzzed):
    sandbox, token = fuzzed
    schema = schemathesis.openapi.from_url(f"{sandbox.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 24
    tally = Tally()
    started = time.monotonic()
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        pinned_path = {k: v for k, v in {"region_id": "demo-zizhu", "unit_id": "Z0001"}.items() if k in names}
        variants: list[dict[str, Any]] = [{}]
        if pinned_path:
            variants.append({"path_parameters": pinned_path})
            if operation.path.startswith("/r/"):
                variants[-1]["headers"] = {"Authorization": f"Bearer {token}"}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for variant in variants:
                label = f"{operation.label} [{mode.value}{', pinned' if variant else ''}]"
                try:
                    _fuzz(sandbox, operation.as_strategy(generation_mode=mode, **variant), label, tally)
                except Unsatisfiable:
                    # Nothing of this operation can be made invalid (no parameters, or only the pinned ones).
                    assert mode is GenerationMode.NEGATIVE, label
                    tally.unsatisfiable.append(label)
        if operation.method.upper() == "POST" and operation.path.endswith("/wage-declarations"):
            signed_in = {"path_parameters": pinned_path, "headers": {"Authorization": f"Bearer {token}"}}
            strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE, **signed_in)
            label = f"{operation.label} [accepted path]"
            _fuzz(sandbox, strategy, label, tally, examples=ACCEPTED_EXAMPLES, realistic=True)
    elapsed = time.monotonic() - started
    print(
        f"\nfuzz: {len(operations)} operations, {tally.tried} requests in {elapsed:.0f} s, statuses"
        f" {dict(sorted(tally.statuses.items()))}, {tally.server_errors} server errors, {len(tally.failures)} failed"
        f" checks; no invalid data possible for {tally.unsatisfiable}"
    )
    assert not tally.failures, "\n\n".join(tally.failures[:10])
    assert tally.server_errors == 0
    assert_healthy(sandbox)
