"""Local store: data home, SQLite settings, app database, unit databases and their migrations."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from sbf_client.core.errors import ConflictError
from sbf_client.store.app_store import AppStore, RegionChoice, RegistrationRow
from sbf_client.store.home import resolve_home
from sbf_client.store.migrate import SchemaTooNewError, unit_db_is_current
from sbf_client.store.unit_store import open_unit_db
from tests.helpers import COLLECTOR_SCHEMA, EMPLOYER_SCHEMA

REGION = RegionChoice(
    "demo-zizhu", "演示地区（税务自主模式）", "税务自主模式", None, None, "demo-zizhu", "2026-11-23 09:00:00"
)


def test_home_comes_from_flag_then_environment_then_platform(tmp_path):
    assert resolve_home(tmp_path / "a", {"SBF_HOME": str(tmp_path / "b")}).root == tmp_path / "a"
    assert resolve_home(None, {"SBF_HOME": str(tmp_path / "b")}).root == tmp_path / "b"
    platform_home = resolve_home(None, {}).root
    assert platform_home.name == "sbf-client" and platform_home.is_absolute()


def test_app_database_pragmas(home):
    store = AppStore.open(home)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    store.close()


def test_region_is_chosen_once(home):
    store = AppStore.open(home)
    assert store.region() is None
    store.choose_region(REGION)
    assert store.region() == REGION and store.region().is_sandbox
    with pytest.raises(ConflictError, match="地区一经确定不能更改"):
        store.choose_region(REGION)
    store.close()
    assert AppStore.open(home).region() == REGION


def add(store, taxpayer_id, unit_id, name, remark=""):
    unit = store.add_unit(
        module="employer",
        taxpayer_id=taxpayer_id,
        server_unit_id=unit_id,
        name=name,
        tax_authority="国家税务总局演示市高新区税务局",
        tax_branch="第一税务所",
        registrations=[RegistrationRow("1234", "演示市社保中心", "国家税务总局演示市高新区税务局")],
        added_at="2026-11-23 09:00:00",
    )
    if remark:
        store.set_remark(unit.id, remark)
    return unit


def test_units_are_listed_and_searched_by_id_name_or_remark(home):
    store = AppStore.open(home)
    add(store, "129901014557557170", "Z0002", "演示市妇幼保健院", remark="财务部 张会计")
    add(store, "129901014557557170", "Z0003", "演示市妇幼保健院东院区")
    add(store, "91990101MA5D000160", "Z0001", "演示市云帆科技有限公司")
    assert [u.server_unit_id for u in store.units("employer")] == ["Z0002", "Z0003", "Z0001"]
    assert [u.server_unit_id for u in store.units("employer", "东院")] == ["Z0003"]
    assert [u.server_unit_id for u in store.units("employer", "MA5D")] == ["Z0001"]
    assert [u.server_unit_id for u in store.units("employer", "张会计")] == ["Z0002"]
    assert store.units("employer", "100%") == []
    assert store.units("collector") == []
    unit = store.units("employer")[0]
    assert unit.db_name == "employer-129901014557557170-Z0002.sqlite"
    assert store.registrations(unit.id) == [RegistrationRow("1234", "演示市社保中心", "国家税务总局演示市高新区税务局")]


def test_adding_a_unit_again_refreshes_it_and_keeps_the_remark(home):
    store = AppStore.open(home)
    first = add(store, "91990101MA5D000160", "Z0001", "旧名称", remark="保留")
    again = add(store, "91990101MA5D000160", "Z0001", "演示市云帆科技有限公司")
    assert again.id == first.id and again.name == "演示市云帆科技有限公司" and again.remark == "保留"
    assert len(store.units("employer")) == 1


def test_a_failed_add_leaves_nothing_half_written(home):
    store = AppStore.open(home)
    duplicate = [RegistrationRow("1234", "a", "b"), RegistrationRow("1234", "c", "d")]
    with pytest.raises(Exception, match="UNIQUE"):
        store.add_unit(
            module="employer",
            taxpayer_id="91990101MA5D000160",
            server_unit_id="Z0001",
            name="x",
            tax_authority="",
            tax_branch="",
            registrations=duplicate,
            added_at="2026-11-23 09:00:00",
        )
    assert store.units("employer") == []


def test_settings_round_trip_json(home):
    store = AppStore.open(home)
    assert store.setting("page_size", 1000) == 1000
    store.set_setting("column_widths.employees", {"姓名": 120})
    assert store.setting("column_widths.employees") == {"姓名": 120}


@pytest.mark.parametrize(("branch", "table"), [(EMPLOYER_SCHEMA, "employees"), (COLLECTOR_SCHEMA, "residents")])
def test_unit_database_gets_core_and_its_module_branch(home, branch, table):
    path = home.units_dir / f"{table}.sqlite"
    engine = open_unit_db(path, branch)
    engine.dispose()
    engine = open_unit_db(path, branch)  # a second open is a no-op
    with engine.connect() as conn:
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
        versions = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    engine.dispose()
    assert {"unit_meta", table} <= tables
    other = {"employees", "residents"} - {table}
    assert not other & tables
    assert unit_db_is_current(open_unit_db(path, branch), branch) and versions


def test_a_database_from_a_newer_program_is_refused(home):
    path: Path = home.units_dir / "newer.sqlite"
    open_unit_db(path, EMPLOYER_SCHEMA).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO alembic_version VALUES ('zz9999')")
    with pytest.raises(SchemaTooNewError, match="请升级客户端"):
        open_unit_db(path, EMPLOYER_SCHEMA)
