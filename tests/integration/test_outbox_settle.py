"""A submission's answer and the module's record of it are stored in one transaction: a crash can leave both
before the answer, never the outbox answered and the record still 提交中 (found by the kill -9 test under load:
one declaration of eight kept no server id)."""

import sqlite3

import pytest

from sbf_client.modules.employer.services import wages as wage_service
from sbf_client.modules.employer.services.wages import SUBMITTING, WageService
from sbf_client.outbox.engine import DONE
from sbf_client.services.sync import SyncService
from tests.helpers import admin, logged_in


class Killed(BaseException):
    """The process dies while the answer is being stored."""


@pytest.fixture
def declared(sandbox, tmp_path):
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 0})
    session = logged_in(tmp_path / "home", sandbox, "91990101MA5D000160", "9901010000135")
    SyncService(session).sync()
    with session.engine.connect() as conn:
        (number,) = conn.exec_driver_sql(
            "SELECT id_number FROM employees WHERE status = '1' AND id_type = '01'"
        ).first()
    sheet = tmp_path / "w.csv"
    sheet.write_text(f"证件号码,新缴费工资,生效年月\n{number},9000,2026-12\n", encoding="utf-8")
    service = WageService(session)
    yield service, service.check_file(sheet, "日常", "按职工"), session.engine
    session.close()
    session.context.close()


def rows(engine):
    path = engine.url.database
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT o.state, d.status, d.server_id FROM outbox o JOIN wage_declarations d ON d.outbox_id = o.id"
        ).fetchall()


def test_a_crash_while_the_answer_is_stored_leaves_it_unstored_and_the_next_feedback_settles_both(
    declared, monkeypatch
):
    service, check, engine = declared

    def dies(_conn, _entry):
        raise Killed()

    monkeypatch.setattr(wage_service, "_carry_answer", dies)
    with pytest.raises(Killed):
        service.declare(check, "日常", "按职工")
    [(state, status, server_id)] = rows(engine)
    assert state != DONE and (status, server_id) == (SUBMITTING, None)  # both before the answer
    monkeypatch.undo()
    (record,) = service.feedback()  # the next start asks the server about the key
    [(state, _status, server_id)] = rows(engine)
    assert state == DONE and server_id == record.server_id is not None
    assert record.status == "全部申报成功"


def test_a_record_left_behind_by_an_older_version_is_given_its_stored_answer(declared):
    service, check, engine = declared
    service.declare(check, "日常", "按职工")
    with sqlite3.connect(engine.url.database) as conn:  # as the two-step version could leave it after a kill
        conn.execute("UPDATE wage_declarations SET status = ?, server_id = NULL", (SUBMITTING,))
    (record,) = service.feedback()
    assert record.server_id is not None and record.status == "全部申报成功"
