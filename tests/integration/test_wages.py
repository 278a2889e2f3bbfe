"""缴费工资申报 end to end against the sandbox: checks (the region's 生效年月 window included), submission,
feedback, the rules, idempotency, and the same content not declared twice by accident."""

import csv
import time
from decimal import Decimal

import httpx
import pytest

from sbf_client.core.errors import InputError
from sbf_client.modules.employer.remote.api import WageApi
from sbf_client.modules.employer.services.wages import DuplicateDeclaration, WageService, write_wage_template
from sbf_client.remote.contract.models import MONTHS_AHEAD, MONTHS_BACK, WAGE_PERIOD_TABLE
from sbf_client.services.context import CODES_SETTING
from sbf_client.services.sync import SyncService
from tests.helpers import admin, logged_in, login, server_records
from tests.helpers import api as client_api


@pytest.fixture
def employer(sandbox, tmp_path):
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 0})
    session = logged_in(tmp_path / "home", sandbox, "129901014557560827", "9901020000017")
    SyncService(session).sync()
    yield session
    session.close()
    session.context.close()


def people(session, where="status = '1'", limit=5):
    with session.engine.connect() as conn:
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
    unit = employer.unit
    staff = people(employer, limit=4)
    wages = ["9500", "3000", "30000", "12000.5"]  # ok, below the floor, above the cap, ok
    rows = [(p.name, p.id_number, w, "2026-12") for p, w in zip(staff, wages, strict=True)]
    path = write_csv(tmp_path / "wages.csv", ["姓名", "证件号码", "新缴费工资", "生效年月"], rows)
    service = WageService(employer)
    check = service.check_file(path, "日常", "按职工")
    assert check.ok and len(check.lines) == 4
    record = service.declare(check, "日常", "按职工")
    assert record.status == "待反馈" and record.total == 4 and record.server_id
    (done,) = service.feedback()
    assert done.status == "部分申报成功"
    items = service.items(done.id)
    assert [i["status"] for i in items] == ["成功", "失败", "失败", "成功"]
    assert items[1]["reason"] == "缴费工资低于本地区缴费基数下限（5,400.00元）"
    assert items[2]["reason"] == "缴费工资高于本地区缴费基数上限（27,000.00元）"
    server = server_records(sandbox, unit.server_unit_id)
    first = server[staff[0].key]
    own = [i for i in first["insured"] if i["mode"] == "1"]
    assert {i["base"] for i in own} == {"9500.00"}
    assert {i["base"] for i in first["insured"] if i["mode"] == "2"} != {"9500.00"}  # 代征 险种 untouched
    result = SyncService(employer).sync()["employees"]
    assert (result.mode, result.changed) == ("incremental", 2)  # the new bases arrive through the feed


def test_an_annual_declaration_by_item(employer, tmp_path):
    staff = people(employer, limit=2)
    rows = [(p.name, p.id_number, "职工基本医疗保险费", "8800") for p in staff]
    rows.append((staff[0].name, staff[0].id_number, "工伤保险费", "8800"))  # 税务代征: filtered out
    path = write_csv(tmp_path / "annual.csv", ["姓名", "证件号码", "险种", "新缴费工资"], rows)
    service = WageService(employer)
    check = service.check_file(path, "年度", "按险种")
    assert check.ok and len(check.lines) == 2 and check.filtered == 1
    service.declare(check, "年度", "按险种")
    (done,) = service.feedback()
    assert done.status == "全部申报成功"
    items = service.items(done.id)
    # The 管理子系统 assigns the 年度 month: the January after the sandbox's today (conftest.TODAY).
    assert {i["effective_month"] for i in items} == {"2027-01"}
    assert {i["item"] for i in items} == {"10212"}


def test_bad_rows_stop_the_whole_file_with_their_line_numbers(employer, tmp_path):
    (ok, other) = people(employer, limit=2)
    (stopped,) = people(employer, where="status = '2'", limit=1)
    rows = [
        (ok.name, ok.id_number, "9000", "2026-12"),
        ("张冒名", other.id_number, "9000", "2026-12"),
        # after the stop month, within the region's wage_period_limits (2099-01 is now refused for its range)
        (stopped.name, stopped.id_number, "9000", "2027-12"),
        ("某人", "440305199001011234", "9000", "2026-12"),
        (ok.name, ok.id_number, "9000.123", "2026-12"),
        (other.name, other.id_number, "9000", "2026/12"),
        (ok.name, ok.id_number, "9100", "2026-12"),
    ]
    path = write_csv(tmp_path / "bad.csv", ["姓名", "证件号码", "新缴费工资", "生效年月"], rows)
    service = WageService(employer)
    check = service.check_file(path, "日常", "按职工")
    assert [e.split("：")[0] for e in check.errors] == ["第3行", "第4行", "第5行", "第6行", "第7行", "第8行"]
    assert "姓名“张冒名”与证件号码不符" in check.errors[0]
    assert "生效年月不能大于该职工的停止缴费年月" in check.errors[1]
    assert "4403**********1234" in check.errors[2] and "440305199001011234" not in check.errors[2]
    assert "最多保留两位小数" in check.errors[3]
    assert "YYYY-MM" in check.errors[4]
    assert "与第2行重复" in check.errors[5]
    with pytest.raises(InputError, match="申报数据有误"):
        service.declare(check, "日常", "按职工")
    assert service.records() == []  # nothing half written


def test_an_earlier_effective_month_is_a_warning_about_back_payments(employer, tmp_path):
    (person,) = people(employer, limit=1)
    path = write_csv(
        tmp_path / "late.csv", ["证件号码", "新缴费工资", "生效年月"], [(person.id_number, "9000", "2025-01")]
    )
    check = WageService(employer).check_file(path, "日常", "按职工")
    assert check.ok and "将会产生补缴信息" in check.warnings[0]


def test_idempotency_on_the_server(employer, sandbox):
    context, unit, session = employer.context, employer.unit, employer.server
    (person,) = people(employer, limit=1)
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
    logged = logged_in(tmp_path / "home", sandbox, "91990201MA6K00014L", "9902010000084", region="demo-daizheng")
    context, unit, session = logged.context, logged.unit, logged.server
    api = context.api()
    with pytest.raises(Exception, match="税务代征模式") as refusal:
        WageApi(api).declare_wages(
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
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 30})
    (person,) = people(employer, limit=1)
    path = write_csv(
        tmp_path / "one.csv", ["证件号码", "新缴费工资", "生效年月"], [(person.id_number, "9000", "2026-12")]
    )
    service = WageService(employer)
    service.declare(service.check_file(path, "日常", "按职工"), "日常", "按职工")
    (waiting,) = service.feedback()
    assert waiting.status == "待反馈"
    items = service.items(waiting.id)
    assert items[0]["old_wage"] is not None and Decimal(items[0]["new_wage"]) == Decimal("9000")


def _post_declaration(sandbox, unit, session, key, **row):
    body = {
        "declaration_type": "日常",
        "by": "按职工",
        "rows": [{"key": row.pop("employee"), "new_wage": "9000.00", "effective_month": "2026-12", **row}],
    }
    url = f"{sandbox.url}/r/demo-zizhu/mgmt/v1/units/{unit.server_unit_id}/wage-declarations"
    headers = {"Authorization": f"Bearer {session.token}", "Idempotency-Key": key}
    return httpx.post(url, json=body, headers=headers, trust_env=False)


def test_a_month_that_does_not_exist_is_refused_where_it_enters(employer, sandbox):
    """The probe that took the server down: 2026-13 was accepted, and when it came due the feedback job raised on
    every tick and every unit's reads answered 500. Now it never gets in."""
    context, unit, session = employer.context, employer.unit, employer.server
    (person,) = people(employer, limit=1)
    for number, month in enumerate(["2026-13", "2026-00", "0000-01", "2026-1", "12-2026"]):
        refused = _post_declaration(
            sandbox, unit, session, f"bad-month-{number}", employee=person.key, effective_month=month
        )
        assert refused.status_code == 422, (month, refused.text)
        assert refused.json() == {
            "code": 20202,
            "message": "缴费工资申报数据有误：申报明细第1条的生效年月须为有效的年月，格式为YYYY-MM（如2026-12）。"
            "请检查后重试。",
        }
    assert WageApi(context.api()).wage_declarations(unit.server_unit_id, session.token) == []
    assert context.api().feed_info(unit.server_unit_id, "employees", session.token).count == 180


def test_an_effective_month_outside_the_regions_limits_is_refused(employer, sandbox):
    """生效年月 within [current month − 60, current month + 12] by the sandbox's clock (conftest.TODAY: 2026-12),
    as the 规则文件's wage_period_limits say; 9999-12 used to come back 全部申报成功."""
    context, unit, session = employer.context, employer.unit, employer.server
    tables = context.api().code_tables().tables
    assert tables["wage_period_limits"] == {"months_back": "60", "months_ahead": "12"}
    (person,) = people(employer, limit=1)
    for month in ["9999-12", "2028-01", "2021-11", "1900-01"]:
        refused = _post_declaration(
            sandbox, unit, session, f"range-{month}", employee=person.key, effective_month=month
        )
        assert refused.status_code == 422
        assert refused.json() == {
            "code": 20202,
            "message": f"申报明细第1条的生效年月（{month}）超出本地区允许的范围（2021-12至2027-12），"
            "请检查后重新提交。",
        }
    for month in ["2021-12", "2027-12"]:  # the limits themselves are allowed
        assert (
            _post_declaration(
                sandbox, unit, session, f"edge-{month}", employee=person.key, effective_month=month
            ).status_code
            == 202
        )
    statuses = {d.status for d in WageApi(context.api()).wage_declarations(unit.server_unit_id, session.token)}
    assert "待反馈" not in statuses and len(statuses) >= 1


def test_a_new_wage_must_be_decimal_text_within_the_bound(employer, sandbox):
    unit, session = employer.unit, employer.server
    (person,) = people(employer, limit=1)
    refusals = ["1e30", "1e999999", "9" * 400, "100000000.00", "0", "-5", "0.001", "9000.", " 9000", "NaN", 9000.5]
    for number, new_wage in enumerate([*refusals, 9000, None]):
        refused = _post_declaration(sandbox, unit, session, f"wage-{number}", employee=person.key, new_wage=new_wage)
        assert refused.status_code == 422, new_wage
        assert refused.json() == {
            "code": 20202,
            "message": "缴费工资申报数据有误：申报明细第1条的新缴费工资须为大于0、不超过99999999.99元、最多两位小数的"
            "金额（以文本发送，如“9000.00”）。请检查后重试。",
        }
    accepted = _post_declaration(sandbox, unit, session, "max", employee=person.key, new_wage="99999999.99")
    assert accepted.status_code == 202


def test_a_declaration_id_beyond_the_database_is_a_clean_422(employer, sandbox):
    unit, session = employer.unit, employer.server
    for declaration_id in (2**63, 2**31, 0, -1):
        url = f"{sandbox.url}/r/demo-zizhu/mgmt/v1/units/{unit.server_unit_id}/wage-declarations/{declaration_id}"
        refused = httpx.get(url, headers={"Authorization": f"Bearer {session.token}"}, trust_env=False)
        assert refused.status_code == 422 and refused.json()["code"] == 10001
        assert "申报记录编号" in refused.json()["message"]


def test_a_declaration_that_cannot_be_processed_fails_alone(employer, sandbox):
    """Rows that came in some other way than a request (an older sandbox, a hand-edited database) and cannot be
    judged fail on their own, with the reason; a declaration that cannot be processed at all becomes 全部申报失败;
    the job goes on, and every unit's reads — this unit's and another's — keep working."""
    import sqlite3

    context, unit, session = employer.context, employer.unit, employer.server
    (person, other) = people(employer, limit=2)
    stamp = "2026-12-01 09:00:00"
    with sqlite3.connect(sandbox.data_dir / "sandbox.sqlite", timeout=30) as conn:
        declare = (
            "INSERT INTO wage_declarations (unit_id, key, declaration_type, by, submitted_at, due_at, status, total)"
            " VALUES (?, ?, '日常', '按职工', ?, '2026-12-01T09:00:00', '待反馈', ?) RETURNING id"
        )
        mixed = conn.execute(declare, (unit.server_unit_id, "hand-1", stamp, 2)).fetchone()[0]
        orphan = conn.execute(declare, ("Z9999", "hand-2", stamp, 1)).fetchone()[0]
        item = (
            "INSERT INTO wage_items (declaration_id, position, record_key, item, new_wage, effective_month, status,"
            " reason) VALUES (?, ?, ?, NULL, ?, ?, '待反馈', '')"
        )
        conn.execute(item, (mixed, 0, person.key, "9000.00", "2026-12"))
        conn.execute(item, (mixed, 1, other.key, "9000.00", "2026-13"))
        conn.execute(item, (mixed, 2, other.key, "abc", "2026-12"))
        conn.execute(item, (orphan, 0, "Z9999-0000001", "9000.00", "2026-13"))
    api = context.api()
    detail = WageApi(api).wage_declaration(unit.server_unit_id, session.token, mixed)  # matured before this read
    assert detail.status == "部分申报成功"
    assert [(i.status, i.reason) for i in detail.items] == [
        ("成功", ""),
        ("失败", "生效年月（2026-13）不是有效的年月"),
        ("失败", "新缴费工资（abc）不是有效的金额"),
    ]
    assert [i.effective_month for i in detail.items] == ["2026-12", None, "2026-12"]
    # The background tick fails the declaration it cannot process at all, whoever it belongs to.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with sqlite3.connect(sandbox.data_dir / "sandbox.sqlite", timeout=30) as conn:
            (status,) = conn.execute("SELECT status FROM wage_declarations WHERE id = ?", (orphan,)).fetchone()
            reasons = [r for (r,) in conn.execute("SELECT reason FROM wage_items WHERE declaration_id = ?", (orphan,))]
        if status != "待反馈":
            break
        time.sleep(0.2)
    assert status == "全部申报失败" and reasons == ["申报数据无法处理（NoResultFound），请核对后重新申报"]
    log = (sandbox.data_dir / "sandbox-errors.log").read_text(encoding="utf-8")
    assert f"wage declaration {orphan} could not be processed" in log
    # Nothing else is touched: this unit's and another unit's reads answer.
    assert api.feed_info(unit.server_unit_id, "employees", session.token).count == 180
    assert len(WageApi(api).wage_declarations(unit.server_unit_id, session.token)) == 1
    other_unit = client_api(sandbox)
    token = login(other_unit, "Z0001", "000135")
    assert other_unit.feed_info("Z0001", "employees", token).count == 60
    assert WageApi(other_unit).wage_declarations("Z0001", token) == []


def test_an_effective_month_outside_the_regions_window_is_refused_before_anything_is_sent(employer, tmp_path):
    context = employer.context
    (person,) = people(employer, limit=1)
    far = write_csv(
        tmp_path / "far.csv", ["证件号码", "新缴费工资", "生效年月"], [(person.id_number, "9000", "9999-12")]
    )
    service = WageService(employer)
    # The cached 规则文件 has no wage_period_limits table (an older cache): 60 months back, 12 ahead.
    context.refresh_code_tables()
    tables = context.store.setting(CODES_SETTING)
    tables["tables"].pop(WAGE_PERIOD_TABLE, None)
    context.store.set_setting(CODES_SETTING, tables)
    check = service.check_file(far, "日常", "按职工")
    assert check.errors == [
        "第2行：生效年月9999-12超出允许范围，须在2021-12至2027-12之间（当前年月2026-12之前60个月至之后12个月）"
    ]
    with pytest.raises(InputError, match="申报数据有误"):
        service.declare(check, "日常", "按职工")
    assert service.records() == []
    tables["tables"][WAGE_PERIOD_TABLE] = {MONTHS_BACK: "1", MONTHS_AHEAD: "0"}
    context.store.set_setting(CODES_SETTING, tables)
    near = write_csv(
        tmp_path / "near.csv", ["证件号码", "新缴费工资", "生效年月"], [(person.id_number, "9000", "2026-10")]
    )
    assert service.check_file(near, "日常", "按职工").errors == [
        "第2行：生效年月2026-10超出允许范围，须在2026-11至2026-12之间（当前年月2026-12之前1个月至之后0个月）"
    ]
    tables["tables"][WAGE_PERIOD_TABLE] = {MONTHS_BACK: "many", MONTHS_AHEAD: "-3"}  # not months: the defaults
    context.store.set_setting(CODES_SETTING, tables)
    assert service.check_file(near, "日常", "按职工").ok


def test_the_same_declaration_again_is_refused_unless_asked_for(employer, tmp_path):
    staff = people(employer, limit=2)
    rows = [(p.id_number, "9500", "2026-12") for p in staff]
    header = ["证件号码", "新缴费工资", "生效年月"]
    service = WageService(employer)
    first = service.declare(
        service.check_file(write_csv(tmp_path / "a.csv", header, rows), "日常", "按职工"),
        "日常",
        "按职工",
    )
    # The same rows in another order, from another file: the same declaration.
    again = service.check_file(write_csv(tmp_path / "b.csv", header, rows[::-1]), "日常", "按职工")
    assert service.earlier_same(again, "日常", "按职工") == first
    with pytest.raises(DuplicateDeclaration, match=r"已于.*提交过内容相同的日常缴费工资申报") as same:
        service.declare(again, "日常", "按职工")
    assert same.value.earlier.id == first.id and len(service.records()) == 1
    other_wage = service.check_file(
        write_csv(tmp_path / "c.csv", header, [(staff[0].id_number, "9600", "2026-12")]), "日常", "按职工"
    )
    assert service.earlier_same(other_wage, "日常", "按职工") is None
    assert service.earlier_same(again, "年度", "按职工") is None  # another type
    second = service.declare(again, "日常", "按职工", again=True)
    assert second.id != first.id and second.status == "待反馈"
    # A submission a crash left open may have reached the server: it counts, and the message says so.
    engine = employer.engine
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE outbox SET state = 'unknown', status_code = NULL WHERE id = ?", (second.outbox_id,)
        )
        conn.exec_driver_sql("UPDATE wage_declarations SET status = '提交中' WHERE id = ?", (second.id,))
        conn.exec_driver_sql("UPDATE outbox SET state = 'done', status_code = 422 WHERE id = ?", (first.outbox_id,))
    with pytest.raises(DuplicateDeclaration, match="上次提交的结果尚待确认") as open_one:
        service.declare(again, "日常", "按职工")
    assert open_one.value.earlier.id == second.id
    # One the server refused declared nothing: it does not count.
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE outbox SET state = 'done', status_code = 422 WHERE id = ?", (second.outbox_id,))
    assert service.earlier_same(again, "日常", "按职工") is None
    # Confirming the same intent twice is no second declaration: the first record comes back.
    third = service.declare(again, "日常", "按职工", intent="draft-1")
    assert service.declare(again, "日常", "按职工", intent="draft-1").id == third.id


# ---------------------------------------------------------------- the file import on the import pipeline


def test_the_downloaded_template_filled_in_is_declared(employer, tmp_path):
    """导入模板下载 → fill → 外部文件导入: a template file goes through the pipeline like any import."""
    from openpyxl import load_workbook

    context = employer.context
    service = WageService(employer)
    template = write_wage_template(context, tmp_path / "template.xlsx", "日常", "按险种")
    book = load_workbook(template)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["姓名", "证件号码", "险种", "新缴费工资", "生效年月"]
    assert book.worksheets[1].sheet_state == "veryHidden"
    staff = people(employer, limit=2)
    for person in staff:
        sheet.append([person.name, person.id_number, "职工基本医疗保险费", 9300, "2026-12"])
    book.save(tmp_path / "filled.xlsx")
    check = service.check_file(tmp_path / "filled.xlsx", "日常", "按险种")
    assert check.ok and check.imported.from_template and {line.item for line in check.lines} == {"10212"}
    service.declare(check, "日常", "按险种")
    assert [r.status for r in service.records()] == ["待反馈"]


def test_a_file_with_errors_gets_an_annotated_copy_and_nothing_is_declared(employer, tmp_path):
    from openpyxl import load_workbook

    service = WageService(employer)
    (ok, other) = people(employer, limit=2)
    path = write_csv(
        tmp_path / "bad.csv",
        ["姓名", "证件号码", "新缴费工资", "生效年月"],
        [(ok.name, ok.id_number, "9000", "2026-12"), ("张冒名", other.id_number, "9000.123", "2026/12")],
    )
    check = service.check_file(path, "日常", "按职工")
    assert check.errors == [f"第3行：姓名“张冒名”与证件号码不符（本单位职工为“{other.name}”）"]
    copy = load_workbook(check.annotate(tmp_path / "marked.xlsx")).worksheets[0]
    assert [c.value for c in copy[1]] == ["姓名", "证件号码", "新缴费工资", "生效年月", "错误原因"]
    assert copy["E3"].value == f"姓名“张冒名”与证件号码不符（本单位职工为“{other.name}”）"
    assert copy["A3"].fill.fgColor.rgb == "FFFFC7CE" and copy["E2"].value is None
    with pytest.raises(InputError, match="申报数据有误"):
        service.declare(check, "日常", "按职工")
    assert service.records() == []


def test_another_templates_file_or_a_hostile_one_is_refused_with_nothing_declared(employer, tmp_path):
    context = employer.context
    service = WageService(employer)
    annual = write_wage_template(context, tmp_path / "annual.xlsx", "年度", "按职工")
    with pytest.raises(
        InputError, match=r"该文件是【年度缴费工资申报导入模板（按职工）】.*请下载【日常缴费工资申报导入模板"
    ):
        service.check_file(annual, "日常", "按职工")
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_text("证件号码,新缴费工资\n", encoding="utf-8")
    with pytest.raises(InputError, match="文件内容不是Excel文件"):
        service.check_file(renamed, "日常", "按职工")
    assert service.records() == []


def test_the_command_line_downloads_the_template_and_saves_the_marked_copy(sandbox, tmp_path):
    import sqlite3

    from openpyxl import load_workbook

    from tests.helpers import cli, cli_unit, unit_db

    home = tmp_path / "home"
    cli_unit(home, sandbox, "91990101MA5D000160", "9901010000135")
    cli(home, "sync", "--unit", "91990101MA5D000160")
    saved = cli(home, "wages", "template", "--file", str(tmp_path / "t.xlsx"), password=None)
    book = load_workbook(saved["template"])
    with sqlite3.connect(unit_db(home)) as conn:
        (name, id_number) = conn.execute("SELECT name, id_number FROM employees WHERE status='1' LIMIT 1").fetchone()
    book.worksheets[0].append([name, id_number, "abc", "2026-12"])
    book.save(tmp_path / "t.xlsx")
    marked = tmp_path / "marked.xlsx"
    refused = cli(
        home,
        "wages",
        "declare",
        "--unit",
        "91990101MA5D000160",
        "--file",
        str(tmp_path / "t.xlsx"),
        "--error-file",
        str(marked),
        check=False,
    )["error"]["message"]
    assert "第2行：新缴费工资须为金额，最多保留两位小数" in refused and str(marked) in refused
    assert load_workbook(marked).worksheets[0]["E2"].value == "新缴费工资须为金额，最多保留两位小数"
