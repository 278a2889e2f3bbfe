"""The change feed: pages, mutations, tombstones, 409 on a new epoch, 410 past the horizon."""

import orjson
import pytest

from sbf_client.core.ids import birth_date_of, gender_of, is_valid_id_number
from sbf_client.remote.contract import errors as codes
from sbf_client.remote.contract.models import ChangesPage, EmployeeData, ResidentData
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
