"""缴费工资申报 end to end against the sandbox: checks, submission, feedback, the rules, idempotency."""

import csv
from decimal import Decimal

import httpx
import pytest

from sbf_client.core.errors import InputError
from sbf_client.modules.employer.services.wages import WageService
from sbf_client.services.sync import SyncService, UnitDatabases
from tests.helpers import admin, context_with_unit, server_records


@pytest.fixture
def employer(sandbox, tmp_path):
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 0})
    context, unit, session = context_with_unit(tmp_path / "home", sandbox, "129901014557560827", "9901020000017")
    databases = UnitDatabases(context)
    SyncService(context, databases).sync(unit, session)
    yield context, databases, unit, session
    databases.close()
    context.close()


def people(databases, unit, where="status = '1'", limit=5):
    with databases.engine(unit).connect() as conn:
        return conn.exec_driver_sql(
            f"SELECT key, name, id_number, insured FROM employees WHERE {where} AND id_type = '01' "
            f"ORDER BY key LIMIT {limit}"
        ).all()


def write_csv(path, header, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_daily_declaration_by_employee_end_to_end(employer, sandbox, tmp_path):
    context, databases, unit, session = employer
    staff = people(databases, unit, limit=4)
    wages = ["9500", "3000", "30000", "12000.5"]  # ok, below the floor, above the cap, ok
    rows = [(p.name, p.id_number, w, "2026-12") for p, w in zip(staff, wages, strict=True)]
    path = write_csv(tmp_path / "wages.csv", ["姓名", "证件号码", "新缴费工资", "生效年月"], rows)
    service = WageService(context, databases)
    check = service.check_file(unit, path, "日常", "按职工")
    assert check.ok and len(check.lines) == 4
    record = service.declare(unit, session, check, "日常", "按职工")
    assert record.status == "待反馈" and record.total == 4 and record.server_id
    (done,) = service.feedback(unit, session)
    assert done.status == "部分申报成功"
    items = service.items(unit, done.id)
    assert [i["status"] for i in items] == ["成功", "失败", "失败", "成功"]
    assert items[1]["reason"] == "缴费工资低于本地区缴费基数下限（5,400.00元）"
    assert items[2]["reason"] == "缴费工资高于本地区缴费基数上限（27,000.00元）"
    server = server_records(sandbox, unit.server_unit_id)
    first = server[staff[0].key]
    own = [i for i in first["insured"] if i["mode"] == "1"]
    assert {i["base"] for i in own} == {"9500.00"}
    assert {i["base"] for i in first["insured"] if i["mode"] == "2"} != {"9500.00"}  # 代征 险种 untouched
    result = SyncService(context, databases).sync(unit, session)[0]
    assert (result.mode, result.changed) == ("incremental", 2)  # the new bases arrive through the feed


def test_an_annual_declaration_by_item(employer, tmp_path):
    context, databases, unit, session = employer
    staff = people(databases, unit, limit=2)
    rows = [(p.name, p.id_number, "职工基本医疗保险费", "8800") for p in staff]
    rows.append((staff[0].name, staff[0].id_number, "工伤保险费", "8800"))  # 税务代征: filtered out
    path = write_csv(tmp_path / "annual.csv", ["姓名", "证件号码", "险种", "新缴费工资"], rows)
    service = WageService(context, databases)
    check = service.check_file(unit, path, "年度", "按险种")
    assert check.ok and len(check.lines) == 2 and check.filtered == 1
    service.declare(unit, session, check, "年度", "按险种")
    (done,) = service.feedback(unit, session)
    assert done.status == "全部申报成功"
    items = service.items(unit, done.id)
    # The 管理子系统 assigns the 年度 month: the January after the sandbox's today (conftest.TODAY).
    assert {i["effective_month"] for i in items} == {"2027-01"}
    assert {i["item"] for i in items} == {"10212"}


def test_bad_rows_stop_the_whole_file_with_their_line_numbers(employer, tmp_path):
    context, databases, unit, session = employer
    (ok, other) = people(databases, unit, limit=2)
    (stopped,) = people(databases, unit, where="status = '2'", limit=1)
    rows = [
        (ok.name, ok.id_number, "9000", "2026-12"),
        ("张冒名", other.id_number, "9000", "2026-12"),
        (stopped.name, stopped.id_number, "9000", "2099-01"),
        ("某人", "440305199001011234", "9000", "2026-12"),
        (ok.name, ok.id_number, "9000.123", "2026-12"),
        (other.name, other.id_number, "9000", "2026/12"),
        (ok.name, ok.id_number, "9100", "2026-12"),
    ]
    path = write_csv(tmp_path / "bad.csv", ["姓名", "证件号码", "新缴费工资", "生效年月"], rows)
    service = WageService(context, databases)
    check = service.check_file(unit, path, "日常", "按职工")
    assert [e.split("：")[0] for e in check.errors] == ["第3行", "第4行", "第5行", "第6行", "第7行", "第8行"]
    assert "姓名“张冒名”与证件号码不符" in check.errors[0]
    assert "生效年月不能大于该职工的停止缴费年月" in check.errors[1]
    assert "4403**********1234" in check.errors[2] and "440305199001011234" not in check.errors[2]
    assert "最多保留两位小数" in check.errors[3]
    assert "YYYY-MM" in check.errors[4]
    assert "与第2行重复" in check.errors[5]
    with pytest.raises(InputError, match="申报数据有误"):
        service.declare(unit, session, check, "日常", "按职工")
    assert service.records(unit) == []  # nothing half written


def test_an_earlier_effective_month_is_a_warning_about_back_payments(employer, tmp_path):
    context, databases, unit, _session = employer
    (person,) = people(databases, unit, limit=1)
    path = write_csv(
        tmp_path / "late.csv", ["证件号码", "新缴费工资", "生效年月"], [(person.id_number, "9000", "2025-01")]
    )
    check = WageService(context, databases).check_file(unit, path, "日常", "按职工")
    assert check.ok and "将会产生补缴信息" in check.warnings[0]


def test_idempotency_on_the_server(employer, sandbox):
    context, databases, unit, session = employer
    (person,) = people(databases, unit, limit=1)
    url = f"{sandbox.url}/r/demo-zizhu/mgmt/v1/units/{unit.server_unit_id}/wage-declarations"
    body = {
        "declaration_type": "日常",
        "by": "按职工",
        "rows": [{"key": person.key, "new_wage": "9000.00", "effective_month": "2026-12"}],
    }
    headers = {"Authorization": f"Bearer {session.token}", "Idempotency-Key": "k-1"}
    first = httpx.post(url, json=body, headers=headers, trust_env=False)
    again = httpx.post(url, json=body, headers=headers, trust_env=False)
    assert first.status_code == again.status_code == 202 and first.json() == again.json()
    other = dict(body, rows=[dict(body["rows"][0], new_wage="9100.00")])
    conflict = httpx.post(url, json=other, headers=headers, trust_env=False)
    assert conflict.status_code == 422 and conflict.json()["code"] == 10422
    missing = httpx.post(url, json=body, headers={"Authorization": headers["Authorization"]}, trust_env=False)
    assert missing.status_code == 400 and "Idempotency-Key" in missing.json()["message"]
    record = context.api().submission(unit.server_unit_id, session.token, "k-1")
    assert record.response == first.json()
    assert context.api().submission(unit.server_unit_id, session.token, "never-sent") is None


def test_a_daizheng_region_needs_no_wage_declaration(sandbox, tmp_path):
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 0})
    context, unit, session = context_with_unit(
        tmp_path / "home", sandbox, "91990201MA6K00014L", "9902010000084", region="demo-daizheng"
    )
    api = context.api()
    with pytest.raises(Exception, match="税务代征模式") as refusal:
        api.declare_wages(
            unit.server_unit_id,
            session.token,
            "dz-1",
            {
                "declaration_type": "日常",
                "by": "按职工",
                "rows": [{"key": "D0001-0000001", "new_wage": "9000.00", "effective_month": "2026-12"}],
            },
        )
    assert refusal.value.code == 20201
    context.close()


def test_feedback_waits_for_the_delay(employer, sandbox, tmp_path):
    context, databases, unit, session = employer
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 30})
    (person,) = people(databases, unit, limit=1)
    path = write_csv(
        tmp_path / "one.csv", ["证件号码", "新缴费工资", "生效年月"], [(person.id_number, "9000", "2026-12")]
    )
    service = WageService(context, databases)
    service.declare(unit, session, service.check_file(unit, path, "日常", "按职工"), "日常", "按职工")
    (waiting,) = service.feedback(unit, session)
    assert waiting.status == "待反馈"
    items = service.items(unit, waiting.id)
    assert items[0]["old_wage"] is not None and Decimal(items[0]["new_wage"]) == Decimal("9000")
