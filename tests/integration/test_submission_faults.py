"""1,000 fault-injected submissions: answers dropped after commit, a kill between send and state write,
duplicate confirmations — exactly one server-side declaration per key, and none lost."""

import os
import random
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest

from sbf_client.modules.employer.services.wages import WageService
from sbf_client.outbox.engine import DONE
from sbf_client.services.sync import SyncService
from tests.helpers import CLI_PASSWORD, admin, cli, cli_unit, logged_in, unit_db

SUBMISSIONS = 1_000
SIGN_TIMEOUT_S = 180  # a ceiling for a loaded machine: how long the work may take to begin, not a measure


class Killed(BaseException):
    """The process dies right after the request left and before the outbox wrote the answer down."""


def server_applied(sandbox, unit_id):
    """Idempotency key → the employee rows the server's declarations under that key hold, read from the
    sandbox's tables: the work it did, however often. A key is UNIQUE there, so a doubled submission would
    show as a declaration under a key the client does not hold, or as a key holding twice the rows."""
    with closing(sqlite3.connect(sandbox.data_dir / "sandbox.sqlite")) as conn:
        declarations = conn.execute("SELECT count(*) FROM wage_declarations WHERE unit_id = ?", (unit_id,)).fetchone()
        rows = conn.execute(
            "SELECT d.key, count(i.position) FROM wage_declarations d "
            "LEFT JOIN wage_items i ON i.declaration_id = d.id WHERE d.unit_id = ? GROUP BY d.id",
            (unit_id,),
        ).fetchall()
        answered = conn.execute(
            "SELECT count(*) FROM idempotency WHERE unit_id = ? AND kind = 'wage_declaration'", (unit_id,)
        ).fetchone()
    applied = dict(rows)
    assert len(applied) == declarations[0] == answered[0], (len(applied), declarations, answered)
    return applied


def outbox_keys(engine):
    with engine.connect() as conn:
        return dict(conn.exec_driver_sql("SELECT idempotency_key, state FROM outbox").all())


# A ceiling against a hang, not a measure: a thousand durable submissions take minutes on a loaded machine.
@pytest.mark.timeout(900)
def test_a_thousand_faulty_submissions_land_exactly_once(sandbox, tmp_path):
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 0})
    session = logged_in(tmp_path / "home", sandbox, "91990101MA5D000160", "9901010000135")
    unit = session.unit
    SyncService(session).sync()
    with session.engine.connect() as conn:
        ids = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT id_number FROM employees WHERE status = '1' AND id_type = '01' LIMIT 3"
            )
        ]
    path = tmp_path / "w.csv"
    path.write_text("证件号码,新缴费工资,生效年月\n" + "".join(f"{i},9000,2026-12\n" for i in ids), encoding="utf-8")
    service = WageService(session)
    check = service.check_file(path, "日常", "按职工")
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
    engine = session.engine
    send, lookup = service._transport()
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
                _declare_with(service, check, intent, crashing_send, lookup)
            except Killed:
                killed += 1
            continue
        # again=True: the same content a thousand times on purpose (the check for a repeat is test_wages')
        record = service.declare(check, "日常", "按职工", intent=intent, again=True)
        if scenario < 0.2:  # the user confirms the same thing twice
            again = service.declare(check, "日常", "按职工", intent=intent, again=True)
            assert again.id == record.id
            duplicates += 1
    admin(sandbox, "PUT", "/admin/faults", {})
    records = service.feedback()  # the next start: unfinished rows are reconciled
    states = outbox_keys(engine)
    assert len(states) == SUBMISSIONS and set(states.values()) == {DONE}
    assert server_applied(sandbox, unit.server_unit_id) == dict.fromkeys(states, len(ids))
    assert len(records) == SUBMISSIONS and {r.status for r in records} <= {"全部申报成功"}
    health = admin(sandbox, "GET", "/admin/health")
    assert health["faults"]["dropped"] > 200 and killed > 50 and duplicates > 50
    session.close()
    session.context.close()


def _declare_with(service, check, intent, send, lookup):
    """WageService.declare with a different transport, for the kill scenario."""
    original = service._transport
    service._transport = lambda *_: (send, lookup)
    try:
        return service.declare(check, "日常", "按职工", intent=intent, again=True)
    finally:
        service._transport = original


def outbox_rows(path):
    """The unit database's outbox as a declaring process left it: [(key, state)] oldest first; [] while the
    process has not created the table yet. Opened read-write but never created: the process owns the file."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=30)) as conn:
            return conn.execute("SELECT idempotency_key, state FROM outbox ORDER BY id").fetchall()
    except sqlite3.OperationalError as error:
        assert "no such table" in str(error) or "unable to open" in str(error), error
        return []


def declaring_process(home, sheet, log):
    env = {**os.environ, "SBF_HOME": str(home), "SBF_PASSWORD": CLI_PASSWORD}
    # --again: every round declares the same file on purpose
    command = ["wages", "declare", "--unit", "91990101MA5D000160", "--file", str(sheet), "--yes", "--again", "--json"]
    return subprocess.Popen(
        [sys.executable, "-m", "sbf_client", *command], env=env, stdout=subprocess.DEVNULL, stderr=log
    )


def wait_for_a_new_row(process, database, seen, log_path):
    """Wait for the sign that the submission began: its outbox row, committed before anything is sent."""
    deadline = time.monotonic() + SIGN_TIMEOUT_S
    while len(rows := outbox_rows(database)) <= seen:
        if process.poll() is not None:
            raise AssertionError(f"the command ended before writing its outbox row: {log_path.read_text()[-2000:]}")
        assert time.monotonic() < deadline, "no outbox row appeared"
        time.sleep(0.005)
    assert len(rows) == seen + 1, rows


@pytest.mark.parametrize("rounds", [8])
def test_kill_9_of_a_declaring_process_loses_nothing_and_doubles_nothing(sandbox, tmp_path, rounds):
    """Each round kills ``sbf-client wages declare`` at a random moment after its outbox row was written: in
    the critical window (row written, answer not yet stored) or after it. The server's 1 s latency keeps the
    window open long enough for kills to land in it on any machine."""
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 0})
    admin(
        sandbox,
        "PUT",
        "/admin/faults",
        {"latency_ms": 1000, "methods": ["POST"], "path_prefix": "/mgmt/v1/units/Z0001/wage-declarations"},
    )
    home = tmp_path / "home"
    cli_unit(home, sandbox, "91990101MA5D000160", "9901010000135")
    cli(home, "sync", "--unit", "91990101MA5D000160")
    database = unit_db(home)
    with sqlite3.connect(database) as conn:
        ids = [r[0] for r in conn.execute("SELECT id_number FROM employees WHERE status='1' AND id_type='01' LIMIT 2")]
    path = tmp_path / "w.csv"
    path.write_text("证件号码,新缴费工资,生效年月\n" + "".join(f"{i},9000,2026-12\n" for i in ids), encoding="utf-8")
    rng = random.Random(5)
    landed = {"not_yet_applied": 0, "applied_answer_lost": 0, "answer_stored": 0}
    for round_no in range(rounds):
        log_path = tmp_path / f"declare-{round_no}.log"
        with log_path.open("wb") as log:
            process = declaring_process(home, path, log)
            wait_for_a_new_row(process, database, round_no, log_path)
            time.sleep(rng.uniform(0, 1.3))
            process.kill()
            process.wait()
        key, state = outbox_rows(database)[-1]
        if state == DONE:
            landed["answer_stored"] += 1  # the kill came after the window
        else:  # inside it; whether the server has applied the request yet is for the record only
            landed["applied_answer_lost" if key in server_applied(sandbox, "Z0001") else "not_yet_applied"] += 1
    print(f"kills after the outbox row was written: {landed}")
    inside = landed["not_yet_applied"] + landed["applied_answer_lost"]
    assert inside >= rounds // 4, landed  # kills must land between "row written" and "answer stored"
    admin(sandbox, "PUT", "/admin/faults", {})
    cli(home, "wages", "feedback", "--unit", "91990101MA5D000160")
    states = dict(outbox_rows(database))
    assert len(states) == rounds and set(states.values()) == {DONE}
    assert server_applied(sandbox, "Z0001") == dict.fromkeys(states, len(ids))  # each once, none doubled or lost
    with sqlite3.connect(database) as conn:
        local = conn.execute("SELECT count(*), count(server_id) FROM wage_declarations").fetchone()
    assert local == (rounds, rounds)  # every local record carries the one server declaration it became
