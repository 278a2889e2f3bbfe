"""单位参保信息 (manual 2.19) end to end against a real sandbox: what the 管理子系统 answers (from the unit's
registration and employees, moving as they move), the download into the unit database at login and on 更新,
the page's queries over the cache — also with the sandbox stopped — and the refusals."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import httpx
import pytest

from sbf_client.core.errors import SbfError
from sbf_client.core.passwords import collector_initial_password
from sbf_client.modules.employer.remote import contract as c
from sbf_client.modules.employer.remote.unit_insurance import UnitInsuranceApi
from sbf_client.modules.employer.services.unit_insurance import (
    NEVER_DOWNLOADED,
    NOTHING_REGISTERED,
    UNIT_INSURANCE,
    empty_note,
    refresh_unit_insurance,
    statistics,
)
from sbf_client.modules.employer.store.unit_insurance import (
    InsuranceRow,
    agency_choices,
    cached,
    item_choices,
    replace_all,
)
from sbf_client.remote.contract.demo import UNITS
from sbf_client.services.startup import StartupReport, login_steps, run_steps
from sbf_client.store.lists import ListQuery, ListSource
from sbf_client.store.unit_store import open_unit_db
from sbf_client.sync.progress import Progress
from tests.helpers import EMPLOYER_SCHEMA, admin, api, logged_in, login, server_records

MULTI, MULTI_TAXPAYER, MULTI_NO = "Z0006", "129901014557560827", "9901020000017"  # 第一中学: three 单位编号
SMALL, SMALL_NO = "Z0005", "12345"  # 晨光文具店: 8 employees
PUBLIC_ITEMS = ["10218", "10211", "10212", "10213", "10214"]


def answer(sandbox, unit_id: str, password: str) -> c.UnitInsurance:
    remote = api(sandbox)
    return UnitInsuranceApi(remote).unit_insurance(unit_id, login(remote, unit_id, password))


def expected_bases(sandbox, unit_id: str) -> dict[tuple[str, str], Decimal]:
    """(单位编号, 征收项目) → the 缴费基数 of the employees paying it, added up from the feed's records."""
    bases: dict[tuple[str, str], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for person in server_records(sandbox, unit_id).values():
        for insured in person["insured"]:
            if insured["end"] is None:
                bases[(person["unit_no"], insured["item"])] += Decimal(insured["base"])
    return bases


def test_the_answer_follows_the_registration_and_the_employees(sandbox):
    got = answer(sandbox, MULTI, "000017")
    registration = api(sandbox).registration(MULTI, login(api(sandbox), MULTI, "Sbf2026ok"))
    numbers = [(r.unit_no, r.agency, r.tax_authority) for r in registration.registrations]
    assert [(i.unit_no, i.agency, i.tax_authority, i.item) for i in got.items] == [
        (*number, item) for number in numbers for item in PUBLIC_ITEMS
    ]
    bases = expected_bases(sandbox, MULTI)
    assert all(i.base == bases[(i.unit_no, i.item)] and i.base > 0 for i in got.items)
    assert all(i.status == "1" and i.end is None for i in got.items)
    pension = next(i for i in got.items if i.item == "10218")
    injury = next(i for i in got.items if i.item == "10213")
    assert (pension.category, pension.sub) == ("102180001", "")  # the pension's 征收子目 is blank
    assert (injury.category, injury.sub) == ("102130001", "1021300011")
    starts = {i.start for i in got.items}
    assert all(start <= "2016-04" for start in starts)  # never after the unit's 参保登记 (2016-04-28)


def test_the_answer_moves_with_the_employees(sandbox):
    first = answer(sandbox, MULTI, "000017")
    admin(sandbox, "POST", f"/admin/units/{MULTI}/feeds/employees/mutate", {"base_changes": 20, "hires": 2})
    second = answer(sandbox, MULTI, "Sbf2026ok")
    assert [i.base for i in second.items] != [i.base for i in first.items]  # not a stale answer
    bases = expected_bases(sandbox, MULTI)
    assert all(i.base == bases[(i.unit_no, i.item)] for i in second.items)


def test_a_unit_whose_employees_all_left_is_stopped_from_their_last_month(sandbox):
    people = server_records(sandbox, SMALL)
    paying = [p for p in people.values() if p["status"] == "1"]
    admin(sandbox, "POST", f"/admin/units/{SMALL}/feeds/employees/mutate", {"leaves": len(paying)})
    got = answer(sandbox, SMALL, "123450")
    people = server_records(sandbox, SMALL)
    for row in got.items:
        ends = [i["end"] for p in people.values() for i in p["insured"] if i["item"] == row.item]
        last = max(ends)
        assert (row.status, row.end) == ("2", last)
        assert row.base == sum(
            (
                Decimal(i["base"])
                for p in people.values()
                for i in p["insured"]
                if i["item"] == row.item and i["end"] == last
            ),
            Decimal("0.00"),
        )


def test_refusals_without_a_session_and_for_a_collector(sandbox):
    root = sandbox.endpoints("demo-zizhu").mgmt_url
    unsigned = httpx.get(f"{root}{c.UNIT_INSURANCE.format(unit_id=MULTI)}", trust_env=False)
    assert unsigned.status_code == 401 and unsigned.json()["code"]
    remote = api(sandbox)
    collector_taxpayer = next(u.taxpayer_id for u in UNITS if u.unit_id == "Z0101")  # a 代收单位
    token = login(remote, "Z0101", collector_initial_password(collector_taxpayer))
    collector = httpx.get(
        f"{root}{c.UNIT_INSURANCE.format(unit_id='Z0101')}",
        headers={"Authorization": f"Bearer {token}"},
        trust_env=False,
    )
    assert collector.status_code == 404


@pytest.fixture
def session(sandbox, tmp_path):
    session = logged_in(tmp_path / "home", sandbox, MULTI_TAXPAYER, MULTI_NO)
    yield session
    session.close()
    session.context.close()


def cache_rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.exec_driver_sql(
                "SELECT unit_no, agency, tax_authority, item, category, sub, status, start_month, end_month, base"
                " FROM unit_insurance ORDER BY id"
            )
        ]


def as_rows(got: c.UnitInsurance) -> list[tuple]:
    return [
        (i.unit_no, i.agency, i.tax_authority, i.item, i.category, i.sub, i.status, i.start, i.end, f"{i.base:.2f}")
        for i in got.items
    ]


def test_login_downloads_it_and_update_replaces_it(sandbox, session):
    context, unit, server, engine = session.context, session.unit, session.server, session.engine
    assert cached(engine).downloaded_at is None and empty_note(cached(engine)) == NEVER_DOWNLOADED
    assert statistics(engine) == "尚未下载单位参保信息"
    report = run_steps(login_steps(session, StartupReport()), Progress(), StartupReport())
    assert report.failures == []
    answered = as_rows(UnitInsuranceApi(context.api()).unit_insurance(unit.server_unit_id, server.token))
    assert cache_rows(engine) == answered and len(answered) == 15
    state = cached(engine)
    assert state.rows == 15 and state.downloaded_at is not None
    assert empty_note(state) == ""
    assert statistics(engine).startswith("单位编号：3个  正常缴费：15项  停止缴费：0项  下载时间：")

    admin(sandbox, "POST", f"/admin/units/{MULTI}/feeds/employees/mutate", {"base_changes": 30})
    seen: list[str] = []
    count = refresh_unit_insurance(session, Progress(lambda u: seen.append(u.message)))
    assert count == 15 and seen[0] == "正在下载单位参保信息" and seen[-1] == "单位参保信息已保存"
    again = as_rows(UnitInsuranceApi(context.api()).unit_insurance(unit.server_unit_id, server.token))
    assert cache_rows(engine) == again != answered


def test_queries_and_choices_over_the_cache_also_with_the_sandbox_stopped(sandbox, session):
    engine = session.engine
    refresh_unit_insurance(session)
    rows = cache_rows(engine)
    sandbox.stop()

    source = ListSource(engine, UNIT_INSURANCE)
    assert source.count(ListQuery()) == 15
    shown = [source.rows([key])[key] for key in source.keys(ListQuery())]
    # By 单位编号; within one, the 险种 as the 管理子系统 listed them (rows are cached in its order).
    assert [r[:4] for r in shown] == [r[:4] for r in sorted(rows, key=lambda row: row[0])]
    assert {r[8] for r in shown} == {"长期"}  # an open 险种 ends 长期
    medical = "演示市医疗保障事业管理中心"
    assert dict(agency_choices(engine)).keys() == {r[1] for r in rows} and medical in dict(agency_choices(engine))
    assert [code for code, _ in item_choices(engine)] == sorted(PUBLIC_ITEMS)
    by_agency = ListQuery({"agency": medical})
    assert source.count(by_agency) == 5
    by_both = ListQuery({"unit_no": "9901010000143", "item": "10213"})
    (key,) = source.keys(by_both)
    assert source.rows([key])[key][:4] == ("9901010000143", "演示市高新区社会保险事业管理中心", rows[0][2], "10213")
    for field, query in (("unit_no", by_both), ("agency", by_agency), ("item", ListQuery({"item": "10211"}))):
        assert UNIT_INSURANCE.query_field(field).index in source.plan(query), field

    with pytest.raises(SbfError):  # 更新 needs the server: a clear error, and the cache stays as it was
        refresh_unit_insurance(session)
    assert cache_rows(engine) == rows


def test_a_blank_category_and_an_empty_answer_are_kept_as_they_are(tmp_path):
    engine = open_unit_db(tmp_path / "unit.sqlite", EMPLOYER_SCHEMA)
    try:
        row = InsuranceRow("1234", "经办机构", "税务局", "10213", "", "", "1", "2019-03", None, "0.00")
        replace_all(engine, [row], "2026-12-03 10:00:00", "2026-12-03 10:00:00")
        source = ListSource(engine, UNIT_INSURANCE)
        (key,) = source.keys(ListQuery())
        assert source.rows([key])[key][4:6] == ("", "")
        replace_all(engine, [], "2026-12-03 11:00:00", "2026-12-03 11:00:00")
        assert cached(engine).rows == 0 and empty_note(cached(engine)) == NOTHING_REGISTERED
    finally:
        engine.dispose()
