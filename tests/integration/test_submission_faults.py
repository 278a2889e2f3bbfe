"""1,000 fault-injected submissions: answers dropped after commit, a kill between send and state write,
duplicate confirmations — exactly one server-side declaration per key, and none lost."""

import random
import sqlite3
import subprocess
import sys
import time

import pytest

from sbf_client.modules.employer.services.wages import WageService
from sbf_client.outbox.engine import DONE
from sbf_client.services.sync import SyncService, UnitDatabases
from tests.helpers import CLI_PASSWORD, admin, cli, cli_unit, context_with_unit, unit_db

SUBMISSIONS = 1_000


class Killed(BaseException):
    """The process dies right after the request left and before the outbox wrote the answer down."""


def server_keys(sandbox, unit_id):
    with sqlite3.connect(sandbox.data_dir / "sandbox.sqlite") as conn:
        rows = conn.execute(
            "SELECT key, count(*) FROM wage_declarations WHERE unit_id = ? GROUP BY key", (unit_id,)
        ).fetchall()
    assert all(count == 1 for _, count in rows)
    return {key for key, _ in rows}


def outbox_keys(engine):
    with engine.connect() as conn:
        return dict(conn.exec_driver_sql("SELECT idempotency_key, state FROM outbox").all())


def test_a_thousand_faulty_submissions_land_exactly_once(sandbox, tmp_path):
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 0})
    context, unit, session = context_with_unit(tmp_path / "home", sandbox, "91990101MA5D000160", "9901010000135")
    databases = UnitDatabases(context)
    SyncService(context, databases).sync(unit, session)
    with databases.engine(unit).connect() as conn:
        ids = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT id_number FROM employees WHERE status = '1' AND id_type = '01' LIMIT 3"
            )
        ]
    path = tmp_path / "w.csv"
    path.write_text("证件号码,新缴费工资,生效年月\n" + "".join(f"{i},9000,2026-12\n" for i in ids), encoding="utf-8")
    service = WageService(context, databases)
    check = service.check_file(unit, path, "日常", "按职工")
    assert check.ok
    admin(
        sandbox,
        "PUT",
        "/admin/faults",
        {
            "drop_rate": 0.3,
            "methods": ["POST"],
            "path_prefix": f"/mgmt/v1/units/{unit.server_unit_id}/wage-declarations",
        },
    )
    engine = databases.engine(unit)
    send, lookup = service._transport(unit, session)
    rng = random.Random(7)
    killed = duplicates = 0
    for number in range(SUBMISSIONS):
        intent = f"draft-{number}"
        scenario = rng.random()
        if scenario < 0.1:  # kill between send and state write

            def crashing_send(key, body):
                answer = send(key, body)
                raise Killed(answer)

            try:
                _declare_with(service, unit, session, check, intent, crashing_send, lookup)
            except Killed:
                killed += 1
            continue
        record = service.declare(unit, session, check, "日常", "按职工", intent=intent)
        if scenario < 0.2:  # the user confirms the same thing twice
            again = service.declare(unit, session, check, "日常", "按职工", intent=intent)
            assert again.id == record.id
            duplicates += 1
    admin(sandbox, "PUT", "/admin/faults", {})
    records = service.feedback(unit, session)  # the next start: unfinished rows are reconciled
    states = outbox_keys(engine)
    assert len(states) == SUBMISSIONS and set(states.values()) == {DONE}
    assert server_keys(sandbox, unit.server_unit_id) == set(states)
    assert len(records) == SUBMISSIONS and {r.status for r in records} <= {"全部申报成功"}
    health = admin(sandbox, "GET", "/admin/health")
    assert health["faults"]["dropped"] > 200 and killed > 50 and duplicates > 50
    databases.close()
    context.close()


def _declare_with(service, unit, session, check, intent, send, lookup):
    """WageService.declare with a different transport, for the kill scenario."""
    original = service._transport
    service._transport = lambda *_: (send, lookup)
    try:
        return service.declare(unit, session, check, "日常", "按职工", intent=intent)
    finally:
        service._transport = original


@pytest.mark.parametrize("rounds", [8])
def test_kill_9_of_a_declaring_process_loses_nothing_and_doubles_nothing(sandbox, tmp_path, rounds):
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 0})
    admin(
        sandbox,
        "PUT",
        "/admin/faults",
        {"latency_ms": 300, "methods": ["POST"], "path_prefix": "/mgmt/v1/units/Z0001/wage-declarations"},
    )
    home = tmp_path / "home"
    cli_unit(home, sandbox, "91990101MA5D000160", "9901010000135")
    cli(home, "sync", "--unit", "91990101MA5D000160")
    with sqlite3.connect(unit_db(home)) as conn:
        ids = [r[0] for r in conn.execute("SELECT id_number FROM employees WHERE status='1' AND id_type='01' LIMIT 2")]
    path = tmp_path / "w.csv"
    path.write_text("证件号码,新缴费工资,生效年月\n" + "".join(f"{i},9000,2026-12\n" for i in ids), encoding="utf-8")
    import os

    env = {**os.environ, "SBF_HOME": str(home), "SBF_PASSWORD": CLI_PASSWORD}
    rng = random.Random(5)
    for _ in range(rounds):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sbf_client",
                "wages",
                "declare",
                "--unit",
                "91990101MA5D000160",
                "--file",
                str(path),
                "--yes",
                "--json",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.6, 1.6))
        process.kill()
        process.wait()
    admin(sandbox, "PUT", "/admin/faults", {})
    with sqlite3.connect(unit_db(home)) as conn:
        assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] > 0
    cli(home, "wages", "feedback", "--unit", "91990101MA5D000160")
    with sqlite3.connect(unit_db(home)) as conn:
        states = dict(conn.execute("SELECT idempotency_key, state FROM outbox").fetchall())
    assert set(states.values()) <= {DONE}
    assert server_keys(sandbox, "Z0001") == set(states)
