"""The change feed: pages, mutations, tombstones, 409 on a new epoch, 410 past the horizon."""

import httpx
import orjson
import pytest

from sbf_client.core.ids import birth_date_of, gender_of, is_valid_id_number
from sbf_client.modules.collector.remote.contract import ResidentData
from sbf_client.modules.employer.remote.contract import EmployeeData
from sbf_client.remote.contract import errors as codes
from sbf_client.remote.contract.models import ChangesPage
from sbf_client.remote.errors import ApiError
from tests.helpers import DAIZHENG, admin, api, login


def read_all(remote, unit_id, feed, token, since=0, epoch=None, limit=7):
    records, pages = [], 0
    while True:
        page = ChangesPage.model_validate(
            orjson.loads(remote.feed_page(unit_id, feed, token, since=since, limit=limit, epoch=epoch))
        )
        pages += 1
        records.extend(page.records)
        assert page.records == [] or page.records[-1].seq <= page.last_seq
        since, epoch = page.last_seq, page.epoch
        if not page.more:
            return records, since, epoch, pages


def test_full_read_in_pages_matches_info(sandbox):
    remote = api(sandbox)
    token = login(remote, "Z0001", "000135")
    info = remote.feed_info("Z0001", "employees", token)
    records, last_seq, epoch, pages = read_all(remote, "Z0001", "employees", token)
    assert len(records) == info.count == 60 and pages == 9
    assert last_seq == info.last_seq and epoch == info.epoch
    assert len({r.key for r in records}) == 60
    seqs = [r.seq for r in records]
    assert seqs == sorted(seqs)


def test_employee_records_are_realistic(sandbox):
    remote = api(sandbox)
    token = login(remote, "Z0006", "000017")
    records, *_ = read_all(remote, "Z0006", "employees", token, limit=1000)
    people = [EmployeeData.model_validate(r.data) for r in records]
    residents_ids = [p for p in people if p.id_type == "01"]
    assert len(residents_ids) >= 170
    for person in residents_ids:
        assert is_valid_id_number(person.id_number)
        assert birth_date_of(person.id_number) == person.birth_date
        assert {"男": "1", "女": "2"}[gender_of(person.id_number)] == person.gender
    assert all(2 <= len(p.name) <= 4 for p in people)
    assert {p.unit_no for p in people} == {"9901020000017", "9901030000021", "9901010000143"}
    assert {p.status for p in people} == {"1", "2"}
    for person in people:
        items = {i.item for i in person.insured}
        assert items == {"10218", "10211", "10212", "10213", "10214"}  # a 机关事业 unit
        assert all((i.end is None) == (person.status == "1") for i in person.insured)
        assert {i.mode for i in person.insured if i.item == "10213"} == {"2"}  # 工伤 is 代征 here
        assert all(i.start >= f"{person.birth_date.year + 18}" for i in person.insured)
    bases = {str(i.base) for p in people for i in p.insured}
    assert "5400.00" in bases  # 60 % of the region's 9,000.00 社平工资


def test_collector_feed_holds_residents(sandbox):
    remote = api(sandbox, DAIZHENG)
    token = login(remote, "D0101", "56784L")
    records, *_ = read_all(remote, "D0101", "residents", token, limit=500)
    residents = [ResidentData.model_validate(r.data) for r in records]
    assert len(residents) == 300
    assert {r.village for r in residents} <= {"石桥村", "河东村", "河西村", "石桥社区"}
    assert any(len(r.insured) == 2 for r in residents) and any(len(r.insured) == 1 for r in residents)


def test_incremental_read_returns_exactly_the_mutations(sandbox):
    remote = api(sandbox)
    token = login(remote, "Z0001", "000135")
    _, checkpoint, epoch, _ = read_all(remote, "Z0001", "employees", token)
    result = admin(
        sandbox,
        "POST",
        "/admin/units/Z0001/feeds/employees/mutate",
        {"hires": 3, "leaves": 2, "removals": 2, "base_changes": 4},
    )
    assert len(result["added"]) == 3 and len(result["changed"]) == 6 and len(result["deleted"]) == 2
    changes, last_seq, _, _ = read_all(remote, "Z0001", "employees", token, since=checkpoint, epoch=epoch)
    assert last_seq == result["last_seq"] == checkpoint + 11
    by_key = {r.key: r for r in changes}
    assert set(by_key) == set(result["added"]) | set(result["changed"]) | set(result["deleted"])
    assert all(by_key[k].deleted and by_key[k].data is None for k in result["deleted"])
    leavers = [EmployeeData.model_validate(by_key[k].data) for k in result["changed"][:2]]
    assert all(p.status == "2" and all(i.end for i in p.insured) for p in leavers)
    hires = [EmployeeData.model_validate(by_key[k].data) for k in result["added"]]
    assert all(p.status == "1" and is_valid_id_number(p.id_number) for p in hires if p.id_type == "01")
    assert remote.feed_info("Z0001", "employees", token).count == 60 + 3 - 2
    # Nothing new: an empty page that keeps the checkpoint.
    nothing, again, _, _ = read_all(remote, "Z0001", "employees", token, since=last_seq, epoch=epoch)
    assert nothing == [] and again == last_seq


def test_rekey_gives_409_to_an_old_checkpoint(sandbox):
    remote = api(sandbox)
    token = login(remote, "Z0001", "000135")
    _, checkpoint, epoch, _ = read_all(remote, "Z0001", "employees", token)
    new = admin(sandbox, "POST", "/admin/units/Z0001/feeds/employees/rekey")
    assert new["epoch"] != epoch
    with pytest.raises(ApiError) as conflict:
        remote.feed_page("Z0001", "employees", token, since=checkpoint, limit=10, epoch=epoch)
    assert conflict.value.status == 409 and conflict.value.code == codes.EPOCH_CHANGED
    records, last_seq, fresh_epoch, _ = read_all(remote, "Z0001", "employees", token)
    assert len(records) == 60 and fresh_epoch == new["epoch"] and last_seq == 60


def test_checkpoint_older_than_the_tombstone_horizon_gets_410(sandbox):
    remote = api(sandbox)
    token = login(remote, "Z0001", "000135")
    _, checkpoint, epoch, _ = read_all(remote, "Z0001", "employees", token)
    admin(sandbox, "POST", "/admin/units/Z0001/feeds/employees/mutate", {"removals": 3})
    after_removals = remote.feed_info("Z0001", "employees", token).last_seq
    compacted = admin(sandbox, "POST", "/admin/units/Z0001/feeds/employees/compact", {})
    assert compacted["horizon_seq"] == after_removals
    with pytest.raises(ApiError) as gone:
        remote.feed_page("Z0001", "employees", token, since=checkpoint, limit=10, epoch=epoch)
    assert gone.value.status == 410 and gone.value.code == codes.HORIZON_PASSED
    # A client that had already seen the deletions is not affected.
    tail, *_ = read_all(remote, "Z0001", "employees", token, since=after_removals, epoch=epoch)
    assert tail == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": 2**63}, "起始变更序号（since）须不大于9223372036854775807"),
        ({"since": -1}, "起始变更序号（since）须不小于0"),
        ({"limit": 0}, "每页条数（limit）须不小于1"),
        ({"limit": 10_001}, "每页条数（limit）须不大于10000"),
        ({"since": 1, "epoch": "e" * 65}, "数据版本（epoch）长度须不超过64个字符"),
        ({"full": "maybe"}, "全量标志（full）须为 true 或 false"),
    ],
)
def test_feed_parameters_out_of_range_are_refused_cleanly(shared_sandbox, query, field):
    """A checkpoint beyond any database integer used to reach SQLite and answer 500; every parameter is now
    checked by type and range first, with the field named in Chinese."""
    url = f"{shared_sandbox.url}/r/demo-zizhu/mgmt/v1/units/Z0007/feeds/employees/changes"
    refused = httpx.get(url, params=query, trust_env=False)  # parameters are checked before the session
    assert refused.status_code == 422
    assert refused.json() == {"code": codes.BAD_REQUEST, "message": f"请求参数有误：{field}。请检查后重试。"}


def test_a_malformed_unit_or_feed_name_is_422_and_an_unknown_one_404(shared_sandbox):
    root = f"{shared_sandbox.url}/r/demo-zizhu/mgmt/v1/units"
    for path, status in [
        ("/Z0001%00/feeds/employees/info", 422),
        (f"/{'Z' * 33}/feeds/employees/info", 422),
        ("/Z0001/feeds/Employees/info", 422),
        ("/Z9999/feeds/employees/info", 404),
    ]:
        refused = httpx.get(root + path, trust_env=False)
        assert refused.status_code == status, path
        assert set(refused.json()) == {"code", "message"}
