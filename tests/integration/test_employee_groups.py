"""职工分组 against a real sandbox's employees: the rules and their messages, 分组管理's 保存, groups that outlive
增量更新 / 全量更新 (and a re-keyed feed), 批量编辑职工分组 (template, per-row errors, all or nothing), the 分组 query
field with its index, and ``sbf-client employees list --group``."""

from __future__ import annotations

import json
import logging
import os
import shutil
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import text

from sbf_client.core.clock import CHINA_TZ, clock_from
from sbf_client.core.errors import InputError, NotFoundError
from sbf_client.modules.employer.services import groups as rules
from sbf_client.modules.employer.services.group_import import (
    import_groups,
    import_members,
    normal_path,
    write_groups_template,
    write_members_template,
)
from sbf_client.modules.employer.services.groups import (
    GroupDraft,
    GroupRuleError,
    employee_group,
    save_groups,
    set_employee_group,
)
from sbf_client.modules.employer.services.lists import EMPLOYEES
from sbf_client.modules.employer.store.groups import find_groups, group_choices, load_groups, members_of
from sbf_client.modules.employer.sync.datasets import EMPLOYEES as EMPLOYEE_FEED
from sbf_client.remote.api import RemoteApi
from sbf_client.remote.http import HttpClient, RetryPolicy
from sbf_client.remote.proxy import ProxySettings
from sbf_client.services.sandbox import start_sandbox
from sbf_client.store.lists import ListQuery, ListSource
from sbf_client.store.unit_store import open_unit_db
from sbf_client.sync.engine import SyncEngine
from sbf_client.sync.remote_feed import RemoteFeed
from tests.conftest import TEST_SCALE, TEST_SEED
from tests.helpers import EMPLOYER_SCHEMA, ZIZHU, admin, login

UNIT = "Z0006"  # 演示市第一中学: 180 employees
SAVED = datetime(2026, 12, 3, 9, 34, 6, tzinfo=CHINA_TZ)
LATER = datetime(2026, 12, 3, 9, 40, 0, tzinfo=CHINA_TZ)


# ---------------------------------------------------------------------- the rules, pure


def test_names_are_checked_with_the_manuals_words():
    assert rules.name_problem("  ") == "分组名称不能为空"
    assert rules.name_problem("x" * 31) == "分组名称最多30个字符"
    assert rules.name_problem(" " + "x" * 30 + " ") is None  # trimmed first
    assert (
        rules.name_problem("研发/测试")
        == rules.name_problem("研发／测试")
        == "分组名称不能包含“/”（“/”用于分隔各级分组）"
    )
    assert rules.child_problem(3) == "分组层级最多为3级" and rules.child_problem(2) is None
    assert rules.child_problem(None) is None
    assert rules.duplicate_names(["B1", "B2", " B1 ", "b1", "B2"]) == [2, 4]


def test_a_draft_keeps_three_levels_and_names_what_is_wrong():
    draft = GroupDraft()
    b1 = draft.add_group(None, "B1").key
    b11 = draft.add_group(b1, "B11").key
    b111 = draft.add_group(b11, "B111").key
    with pytest.raises(GroupRuleError) as refused:
        draft.add_group(b111, "B1111")
    assert refused.value.message == "分组层级最多为3级" and refused.value.key == b111
    x1 = draft.add_group(None, "X1").key
    draft.add_group(x1, "B11")  # the same name under another parent is allowed (the manual's sample)
    assert draft.problems() == []
    draft.add_group(b1, " B11 ")
    draft.add_group(None, "")
    draft.add_group(x1, "x" * 31)
    assert [p.message for p in draft.problems()] == [
        "分组名称最多30个字符：“X1”下的“" + "x" * 31 + "”",
        "分组名称不能为空：新分组",
        "同一层级下分组名称不能重复：“B1”下有两个“B11”",
    ]
    assert draft.path(b111) == "B1/B11/B111" and draft.level(b111) == 3


# ---------------------------------------------------------------------- a unit synced from a sandbox


class Unit:
    """A unit database synced from the sandbox, and the feed to update it again."""

    def __init__(self, path, feed):  # type: ignore[no-untyped-def]
        self.engine = open_unit_db(path, EMPLOYER_SCHEMA)
        self.feed = feed

    def update(self, *, full: bool = False):  # type: ignore[no-untyped-def]
        sync = SyncEngine(self.engine, self.feed, EMPLOYEE_FEED, clock_from(os.environ), page_size=50)
        return sync.run(full=full, confirm_deletions=True)

    def people(self, where: str = "1", limit: int = 1000) -> list:  # type: ignore[type-arg]
        with self.engine.connect() as conn:
            return conn.execute(
                text(
                    f"SELECT rowid, name, id_type, id_number FROM employees WHERE {where} ORDER BY rowid LIMIT {limit}"
                )
            ).all()

    def rowid(self, id_number: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT rowid FROM employees WHERE id_number = :n"), {"n": id_number}).scalar_one()

    def listed(self, **values) -> list[str]:  # type: ignore[no-untyped-def]
        """证件号码 of the list's rows for a query, and the 分组 column of each (through the page's spec)."""
        source = ListSource(self.engine, EMPLOYEES)
        query = ListQuery(values)
        keys = source.keys(query)
        column = [c.key for c in EMPLOYEES.columns].index("group")
        ids = [c.key for c in EMPLOYEES.columns].index("id_number")
        return sorted((row[ids], row[column]) for row in source.stream(query, keys))


def _api(sandbox) -> RemoteApi:  # type: ignore[no-untyped-def]
    retry = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
    return RemoteApi(HttpClient(sandbox.endpoints(ZIZHU), proxy=ProxySettings(), retry=retry))


@pytest.fixture(scope="module")
def synced(sandbox_template, tmp_path_factory):
    """A unit database holding Z0006's employees, made once; each test gets a copy (``unit``)."""
    folder = tmp_path_factory.mktemp("groups")
    shutil.copytree(sandbox_template, folder / "sandbox")
    running = start_sandbox(folder / "sandbox", seed=TEST_SEED, scale=TEST_SCALE)
    remote = _api(running)
    try:
        unit = Unit(folder / "unit.sqlite", RemoteFeed(remote, UNIT, "employees", login(remote, UNIT, "000017")))
        assert unit.update().total == 180
        with unit.engine.connect() as conn:  # everything into the file itself: the copies take the file alone
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        unit.engine.dispose()
        yield folder / "unit.sqlite"
    finally:
        remote.close()
        running.stop()


@pytest.fixture
def unit(synced, tmp_path):
    """A copy of the synced unit database (no feed: these tests never update it)."""
    shutil.copy2(synced, tmp_path / "unit.sqlite")
    opened = Unit(tmp_path / "unit.sqlite", None)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def live(sandbox, tmp_path):
    """A unit database synced from a sandbox of its own, which the test may change."""
    remote = _api(sandbox)
    opened = Unit(tmp_path / "live.sqlite", RemoteFeed(remote, UNIT, "employees", login(remote, UNIT, "000017")))
    opened.update()
    yield opened
    opened.engine.dispose()
    remote.close()


def make_tree(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """B1 › B11 › B111, B1 › B12, X1 › B11, saved; returns path → id."""
    draft = GroupDraft()
    b1 = draft.add_group(None, "B1").key
    b11 = draft.add_group(b1, "B11").key
    draft.add_group(b11, "B111")
    draft.add_group(b1, "B12")
    x1 = draft.add_group(None, " X1 ")
    draft.add_group(x1.key, "B11")
    assert save_groups(engine, draft, SAVED).added == 6
    return {path: group_id for path, group_id in group_choices(engine)}


def put(unit: Unit, people, group_id) -> None:  # type: ignore[no-untyped-def]
    for person in people:
        set_employee_group(unit.engine, person.rowid, group_id, SAVED)


# ---------------------------------------------------------------------- 分组管理 › 保存


def test_saving_a_tree_keeps_order_paths_and_save_times(unit):
    ids = make_tree(unit.engine)
    assert list(ids) == ["B1", "B1/B11", "B1/B11/B111", "B1/B12", "X1", "X1/B11"]
    groups = load_groups(unit.engine)
    assert {g.saved_at for g in groups} == {"2026-12-03 09:34:06"}
    assert [g.level for g in groups] == [1, 2, 3, 2, 1, 2]

    draft = GroupDraft.load(unit.engine)
    assert not draft.dirty
    draft.rename(ids["B1/B11"], "B12")  # a swap of two siblings' names, saved at once
    draft.rename(ids["B1/B12"], "B11")
    draft.add_group(ids["X1"], "X12")
    assert draft.dirty
    result = save_groups(unit.engine, draft, LATER)
    assert (result.added, result.renamed, result.deleted) == (1, 2, 0)
    after = {g.path: g for g in load_groups(unit.engine)}
    assert after["B1/B12/B111"].id == ids["B1/B11/B111"]  # the sub-group followed its parent's new name
    assert after["B1/B12"].saved_at == "2026-12-03 09:40:00" and after["B1"].saved_at == "2026-12-03 09:34:06"
    assert list(after) == ["B1", "B1/B12", "B1/B12/B111", "B1/B11", "X1", "X1/B11", "X1/X12"]


def test_nothing_is_saved_when_a_rule_is_broken(unit):
    ids = make_tree(unit.engine)
    draft = GroupDraft.load(unit.engine)
    draft.add_group(ids["X1"], "New")
    draft.add_group(ids["B1"], "B12 ")  # trimmed, it repeats a sibling's name
    draft.remove(ids["X1/B11"])
    with pytest.raises(GroupRuleError, match="同一层级下分组名称不能重复：“B1”下有两个“B12”"):
        save_groups(unit.engine, draft, LATER)
    assert [p for p, _ in group_choices(unit.engine)] == list(ids)  # untouched


def test_deleting_a_group_takes_its_sub_groups_and_their_members(unit):
    ids = make_tree(unit.engine)
    people = unit.people()
    put(unit, people[:3], ids["B1/B11/B111"])
    put(unit, people[3:5], ids["B1/B12"])
    put(unit, people[5:6], ids["X1/B11"])
    draft = GroupDraft.load(unit.engine)
    gone = draft.subtree(ids["B1"])
    with unit.engine.connect() as conn:
        assert members_of(conn, draft.saved_ids(gone)) == 5  # what the confirmation tells
    draft.remove(ids["B1"])
    result = save_groups(unit.engine, draft, LATER)
    assert (result.deleted, result.released) == (4, 5)
    assert [p for p, _ in group_choices(unit.engine)] == ["X1", "X1/B11"]
    with unit.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM employee_group_members")).scalar_one() == 1
    assert employee_group(unit.engine, people[0].rowid).group_id is None
    assert employee_group(unit.engine, people[5].rowid).path == "X1/B11"


def test_one_employee_is_put_in_a_group_and_taken_out(unit):
    ids = make_tree(unit.engine)
    person = unit.people()[0]
    assert set_employee_group(unit.engine, person.rowid, ids["X1/B11"], SAVED)
    assert not set_employee_group(unit.engine, person.rowid, ids["X1/B11"], LATER)  # no change
    found = employee_group(unit.engine, person.rowid)
    assert (found.name, found.path, found.group_id) == (person.name, "X1/B11", ids["X1/B11"])
    assert set_employee_group(unit.engine, person.rowid, None, LATER)
    assert employee_group(unit.engine, person.rowid).path == ""
    with pytest.raises(NotFoundError, match="所选分组已被删除，请重新选择分组。"):
        set_employee_group(unit.engine, person.rowid, 999, LATER)
    with pytest.raises(NotFoundError, match="该职工的信息已更新，请重新查询。"):
        set_employee_group(unit.engine, 10**9, ids["B1"], LATER)


# ---------------------------------------------------------------------- the 分组 field, column and index


def test_a_group_selects_its_sub_groups_and_the_list_shows_each_path(unit):
    ids = make_tree(unit.engine)
    people = unit.people()
    put(unit, people[:2], ids["B1"])
    put(unit, people[2:4], ids["B1/B11"])
    put(unit, people[4:5], ids["B1/B11/B111"])
    put(unit, people[5:7], ids["X1/B11"])
    number = {p.id_number: p for p in people}
    b1 = unit.listed(group=ids["B1"])
    assert sorted(path for _id, path in b1) == sorted(["B1", "B1", "B1/B11", "B1/B11", "B1/B11/B111"])
    assert {number[n].rowid for n, _p in b1} == {p.rowid for p in people[:5]}
    assert len(unit.listed(group=ids["B1/B11"])) == 3
    assert len(unit.listed(group=ids["B1/B11/B111"])) == 1
    assert len(unit.listed(group=ids["X1/B11"])) == 2 and unit.listed(group=ids["B1/B12"]) == []
    everyone = unit.listed()
    assert len(everyone) == 180 and sum(1 for _n, path in everyone if path is None) == 173
    plan = ListSource(unit.engine, EMPLOYEES).plan(ListQuery({"group": ids["B1"]}))
    assert "ix_employee_group_members_group" in plan and "employees_by_id_number" in plan, plan
    assert "SCAN" not in plan, plan  # no table read whole: neither the employees nor the members


def test_find_groups_by_name_or_path(unit):
    ids = make_tree(unit.engine)
    assert [g.id for g in find_groups(unit.engine, "B12")] == [ids["B1/B12"]]
    assert [g.path for g in find_groups(unit.engine, "B11")] == ["B1/B11", "X1/B11"]
    assert [g.id for g in find_groups(unit.engine, " X1 ／ B11 ")] == [ids["X1/B11"]]
    assert find_groups(unit.engine, "nothing") == []


# ---------------------------------------------------------------------- surviving updates


def test_groups_outlive_incremental_and_full_updates_and_a_rekeyed_feed(live, sandbox):
    ids = make_tree(live.engine)
    people = live.people(limit=40)
    put(live, people[:30], ids["B1/B11"])
    kept = {p.id_number for p in people[:30]}
    admin(
        sandbox, "POST", f"/admin/units/{UNIT}/feeds/employees/mutate", {"hires": 3, "leaves": 10, "base_changes": 10}
    )
    result = live.update()
    assert result.mode == "incremental" and result.changed == 20 and result.added == 3
    assert {n for n, _p in live.listed(group=ids["B1"])} == kept
    assert live.update(full=True).mode == "full"  # the table is swapped for a new one: new row ids
    assert {n for n, _p in live.listed(group=ids["B1"])} == kept
    admin(sandbox, "POST", f"/admin/units/{UNIT}/feeds/employees/rekey")  # every server key changes
    assert live.update().mode == "full"
    assert {n for n, _p in live.listed(group=ids["B1"])} == kept
    assert all(path == "B1/B11" for _n, path in live.listed(group=ids["B1"]))
    assert len(live.listed()) == 183 and sum(1 for _n, path in live.listed() if path) == 30


def test_an_employee_who_leaves_keeps_the_group_for_when_they_come_back(live, sandbox):
    ids = make_tree(live.engine)
    people = live.people(limit=20)
    put(live, people, ids["X1/B11"])
    grouped = {p.id_number for p in people}
    with live.engine.begin() as conn:  # gone from the cache (as a person who left) …
        conn.execute(text("DELETE FROM employees WHERE id_number IN (SELECT id_number FROM employee_group_members)"))
    assert live.listed(group=ids["X1"]) == []
    assert live.update().mode == "full"  # … and back with the next update: in their group again
    assert {n for n, _p in live.listed(group=ids["X1"])} == grouped
    assert all(path == "X1/B11" for _n, path in live.listed(group=ids["X1"]))

    admin(sandbox, "POST", f"/admin/units/{UNIT}/feeds/employees/mutate", {"removals": 180})  # everyone 转出
    assert live.update().deleted == 180 and live.listed() == []
    with live.engine.connect() as conn:  # the memberships wait for them
        assert conn.execute(text("SELECT count(*) FROM employee_group_members")).scalar_one() == 20


# ---------------------------------------------------------------------- 批量编辑职工分组


def test_the_template_lists_every_employee_with_their_group_and_offers_the_groups(unit, tmp_path):
    ids = make_tree(unit.engine)
    person = unit.people()[0]
    set_employee_group(unit.engine, person.rowid, ids["X1/B11"], SAVED)
    assert write_members_template(unit.engine, tmp_path / "t.xlsx") == 180
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    sheet = book["批量编辑职工分组模板"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "证件号码", "分组") and len(rows) == 181
    assert (person.name, person.id_number, "X1/B11") in rows
    assert sum(1 for r in rows[1:] if r[2]) == 1
    dropdown = next(v for v in sheet.data_validations.dataValidation if v.type == "list")
    assert "C2" in str(dropdown.sqref) and "_sbf_template" in dropdown.formula1
    hidden = book["_sbf_template"]
    assert hidden.sheet_state in ("veryHidden", "hidden")
    assert [row[2] for row in hidden.iter_rows(min_row=4, values_only=True)] == list(ids)


def members_file(path, rows):  # type: ignore[no-untyped-def]
    """A 批量编辑职工分组模板 filled in (as the user saves it)."""
    from sbf_client.documents.templates import write_template
    from sbf_client.modules.employer.services.group_import import members_template

    return write_template(members_template(), path, rows)


def test_a_valid_file_is_applied_in_one_go(unit, tmp_path):
    ids = make_tree(unit.engine)
    people = unit.people()
    put(unit, people[:2], ids["B1"])
    # Written by the client, then edited and saved by a spreadsheet program (openpyxl here).
    write_members_template(unit.engine, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    sheet = book["批量编辑职工分组模板"]
    row_of = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    row_of[people[0].id_number][2].value = None  # taken out
    row_of[people[2].id_number][2].value = " X1 ／ B11 "  # spaces and a full-width slash are fine
    row_of[people[3].id_number][2].value = "B1/B11/B111"
    row_of[people[4].id_number][0].value = "别的名字"  # 姓名 is for the eye only
    book.save(tmp_path / "edited.xlsx")
    result = import_members(unit.engine, tmp_path / "edited.xlsx", LATER)
    assert result.ok, result.messages()
    assert (result.changed, result.cleared, result.unchanged) == (2, 1, 177)
    groups = {p.id_number: employee_group(unit.engine, p.rowid).path for p in people[:5]}
    assert list(groups.values()) == ["", "B1", "X1/B11", "B1/B11/B111", ""]
    assert import_members(unit.engine, tmp_path / "edited.xlsx", LATER).changed == 0  # the same file again


def test_a_file_with_bad_rows_changes_nothing_and_says_why_per_row(unit, tmp_path):
    ids = make_tree(unit.engine)
    people = unit.people()
    put(unit, people[:1], ids["B1"])
    lower = people[5].id_number.lower()
    rows = [
        (people[1].name, people[1].id_number, "X1/B11"),  # row 2: right
        ("某人", "110101199001011234", "B1"),  # row 3: nobody of the unit
        (people[2].name, people[2].id_number, "B1/B13"),  # row 4: no such group
        (people[3].name, None, "B1"),  # row 5: no 证件号码
        (people[1].name, people[1].id_number, "B1"),  # row 6: the employee of row 2 again
        (people[5].name, lower, "B11"),  # row 7: lower-case x is fine, but B11 alone is no top-level group
        (people[0].name, people[0].id_number, None),  # row 8: right (taken out)
    ]
    result = import_members(unit.engine, members_file(tmp_path / "bad.xlsx", rows), LATER)
    assert not result.ok
    assert result.messages() == [
        "第3行：证件号码1101**********1234在本单位职工中未找到，请核对证件号码，或先更新职工参保信息",
        "第4行：分组“B1/B13”不存在，请先在【分组管理】中新建该分组，或从下拉列表中选择",
        "第5行：缺少证件号码",
        "第6行：与第2行是同一职工，同一职工只能填写一行",
        "第7行：分组“B11”不存在，请先在【分组管理】中新建该分组，或从下拉列表中选择",
    ]
    assert employee_group(unit.engine, people[1].rowid).path == ""  # nothing applied, not even row 2
    assert employee_group(unit.engine, people[0].rowid).path == "B1"

    report = result.annotate(tmp_path / "report.xlsx")
    sheet = openpyxl.load_workbook(report).active
    reasons = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert reasons[0] is None and reasons[1].startswith("证件号码1101") and reasons[4].startswith("与第2行")
    assert sheet.cell(4, 3).fill.start_color.rgb == "FFFFC7CE"  # the bad cell in red

    # Corrected in the report itself, the file imports as it is (its 错误原因 column is ignored).
    book = openpyxl.load_workbook(report)
    sheet = book.active
    for row in (3, 5, 6):
        sheet.delete_rows(row - (row > 3) - (row > 5))
    book.save(tmp_path / "fixed.xlsx")
    book = openpyxl.load_workbook(tmp_path / "fixed.xlsx")
    sheet = book.active
    bad_group = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "B1/B13")
    bad_group[2].value = "B1/B12"
    lone = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "B11")
    lone[2].value = "X1/B11"
    book.save(tmp_path / "fixed.xlsx")
    fixed = import_members(unit.engine, tmp_path / "fixed.xlsx", LATER)
    assert fixed.ok, fixed.messages()
    assert (fixed.changed, fixed.cleared) == (3, 1)
    assert employee_group(unit.engine, people[5].rowid).path == "X1/B11"


def test_only_the_template_is_imported(unit, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["姓名", "证件号码", "分组"])
    book.active.append(["张三", "110101199001011234", "B1"])
    book.save(tmp_path / "plain.xlsx")
    with pytest.raises(InputError) as refused:
        import_members(unit.engine, tmp_path / "plain.xlsx", LATER)
    assert refused.value.message == (
        "该文件不是客户端下载的导入模板，无法导入。请下载【批量编辑职工分组模板】，在模板中填写后再导入。"
    )
    assert normal_path(" A ／B /C ") == "A/B/C"


# ---------------------------------------------------------------------- 分组管理 › 批量导入


def test_group_import_adds_the_missing_groups_to_the_draft_or_none(unit, tmp_path):
    make_tree(unit.engine)
    draft = GroupDraft.load(unit.engine)
    write_groups_template(tmp_path / "groups.xlsx", draft)
    book = openpyxl.load_workbook(tmp_path / "groups.xlsx")
    sheet = book.active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)][:3] == ["B1", "B1/B11", "B1/B11/B111"]
    for path in ("B1/B13", "N1/N2/N3", "N1 / N2 / N3 / N4", "N1//N5", "Y" * 31):
        sheet.append([path])
    book.save(tmp_path / "groups.xlsx")
    result = import_groups(tmp_path / "groups.xlsx", draft)
    assert result.messages() == [
        "第10行：分组层级最多为3级：“N1 / N2 / N3 / N4”",
        "第11行：分组名称不能为空：“N1//N5”",
        f"第12行：分组名称最多30个字符：“{'Y' * 31}”",
    ]
    assert not draft.dirty  # nothing added
    for _ in range(3):
        sheet.delete_rows(10)
    book.save(tmp_path / "groups.xlsx")
    result = import_groups(tmp_path / "groups.xlsx", draft)
    assert result.ok and result.added == ["B1/B13", "N1", "N1/N2", "N1/N2/N3"]
    save_groups(unit.engine, draft, LATER)
    assert [p for p, _ in group_choices(unit.engine)] == [
        "B1", "B1/B11", "B1/B11/B111", "B1/B12", "B1/B13", "X1", "X1/B11", "N1", "N1/N2", "N1/N2/N3",
    ]  # fmt: skip


# ---------------------------------------------------------------------- sbf-client employees list --group


def run_cli(monkeypatch, capsys, home, *argv: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    """``sbf-client --json employees …`` in this process, the employees commands registered as a module does."""
    from sbf_client.cli.common import Cli, common_options, run
    from sbf_client.core.cli_parsing import ChineseArgumentParser
    from sbf_client.modules.employer.cli.employees import register
    from tests.helpers import CLI_PASSWORD

    monkeypatch.setenv("SBF_HOME", str(home))
    monkeypatch.setenv("SBF_PASSWORD", CLI_PASSWORD)
    common = common_options()
    parser = ChineseArgumentParser(prog="sbf-client", parents=[common])
    register(parser.add_subparsers(dest="command", required=True), common)
    args = parser.parse_args([*argv, "--json"])
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        status = run(Cli(args), args.handler)
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:  # the run's log file: not the next test's
            root.removeHandler(handler)
            handler.close()
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return status, json.loads(lines[0])


def test_the_command_line_lists_a_group_with_its_sub_groups(sandbox, tmp_path, monkeypatch, capsys):
    from sbf_client.services.sync import SyncService
    from tests.helpers import logged_in

    session = logged_in(tmp_path / "home", sandbox, "91990101MA5D000160", "9901010000135")
    local = session.unit
    try:
        SyncService(session).sync()
        engine = session.engine
        ids = make_tree(engine)
        with engine.connect() as conn:
            people = conn.execute(text("SELECT rowid, name FROM employees ORDER BY rowid LIMIT 5")).all()
        for person, path in zip(people, ("B1", "B1/B11", "B1/B11/B111", "X1/B11", "X1"), strict=True):
            set_employee_group(engine, person.rowid, ids[path], SAVED)
    finally:
        session.close()
        session.context.close()

    status, listed = run_cli(monkeypatch, capsys, tmp_path / "home", "employees", "list", "--unit", local.taxpayer_id,
                             "--group", "B1")  # fmt: skip
    assert status == 0 and listed["total"] == 3
    assert sorted(row["group"] for row in listed["employees"]) == ["B1", "B1/B11", "B1/B11/B111"]
    assert {row["name"] for row in listed["employees"]} == {p.name for p in people[:3]}
    status, listed = run_cli(monkeypatch, capsys, tmp_path / "home", "employees", "list", "--unit", local.taxpayer_id,
                             "--group", "X1 / B11")  # fmt: skip
    assert status == 0 and [row["name"] for row in listed["employees"]] == [people[3].name]

    status, refused = run_cli(monkeypatch, capsys, tmp_path / "home", "employees", "list", "--unit", local.taxpayer_id,
                              "--group", "B11")  # fmt: skip
    assert status == 1 and refused["error"]["message"] == (
        "有2个名为“B11”的分组（B1/B11、X1/B11），请写出完整路径，如“B1/B11”。"
    )
    status, refused = run_cli(monkeypatch, capsys, tmp_path / "home", "employees", "list", "--unit", local.taxpayer_id,
                              "--group", "销售部")  # fmt: skip
    assert status == 1 and refused["error"]["message"] == (
        "没有名为“销售部”的分组，请核对分组名称（下级分组可写完整路径，如“一级分组/二级分组”）。"
    )
