"""单位信息 (manual 4.4) from the 管理子系统 to the app database: the sandbox registers a 基本信息 for every demo unit
(some fields blank, as in the manual's sample), login keeps it, an answer without it keeps the last one, and an
app database from before it opens with the units as they were."""

from __future__ import annotations

import sqlite3

from alembic import command
from sqlalchemy import create_engine

from sbf_client.remote.contract.demo import UNITS
from sbf_client.remote.contract.models import RegistrationInfo
from sbf_client.services.startup import StartupReport, login_steps, run_steps
from sbf_client.store.app_store import AppStore, RegistrationRow, UnitProfile
from sbf_client.store.migrate import _config
from sbf_client.sync.progress import Progress
from sbf_sandbox.unit_profiles import basic_info
from tests.helpers import api, logged_in, login

MULTI_TAXPAYER, MULTI_NO = "129901014557560827", "9901020000017"  # 演示市第一中学


def test_every_demo_unit_has_a_basic_info_and_some_fields_are_blank(sandbox):
    remote = api(sandbox)
    stationer = remote.registration("Z0005", login(remote, "Z0005", "123450")).basic
    assert stationer is not None
    assert (stationer.enterprise_type, stationer.legal_representative, stationer.listed) == (
        "内资个体",
        "赵晨光",
        False,
    )
    assert stationer.finance_officer == stationer.postcode == stationer.phone == stationer.email == ""
    logistics = remote.registration("Z0008", login(remote, "Z0008", "000168")).basic
    assert logistics is not None and logistics.listed is True and logistics.email.endswith("example.com")
    for unit in UNITS:  # every demo unit has one with a 法定代表人, an 行业 and an 企业类型
        basic = basic_info(unit.unit_id)
        assert basic["legal_representative"] and basic["industry"] and basic["enterprise_type"], unit.unit_id


def test_an_answer_without_it_still_reads():
    older = {"taxpayer_id": "x", "name": "y", "tax_authority": "z", "tax_branch": "", "registrations": []}
    assert RegistrationInfo.model_validate(older).basic is None


def test_adding_and_login_keep_it_and_an_answer_without_it_keeps_the_last(sandbox, tmp_path):
    session = logged_in(tmp_path / "home", sandbox, MULTI_TAXPAYER, MULTI_NO)
    unit = session.unit
    try:
        store = session.context.store
        added = store.unit_profile(unit.id)  # kept when the unit was added, before any login
        assert added is not None and added.legal_representative == "郑宏伟"
        report = run_steps(login_steps(session, StartupReport()), Progress(), StartupReport())
        assert report.failures == []
        profile = store.unit_profile(unit.id)
        assert profile is not None and profile.refreshed_at
        assert (profile.legal_representative, profile.industry, profile.enterprise_type) == (
            "郑宏伟",
            "中等教育",
            "事业单位",
        )
        assert (profile.postcode, profile.listed) == ("990102", False)
        store.add_unit(  # as a 管理子系统 without 基本信息 would refresh it
            module="employer",
            taxpayer_id=unit.taxpayer_id,
            server_unit_id=unit.server_unit_id,
            name=unit.name,
            tax_authority=unit.tax_authority,
            tax_branch=unit.tax_branch,
            registrations=store.registrations(unit.id),
            added_at="2026-12-03 11:00:00",
        )
        assert store.unit_profile(unit.id) == profile
    finally:
        session.close()
        session.context.close()


def test_an_app_database_from_before_opens_with_its_units(home):
    engine = create_engine(f"sqlite:///{home.app_db}")
    config = _config("app")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "a0002")
    engine.dispose()
    with sqlite3.connect(home.app_db) as conn:
        conn.execute(
            "INSERT INTO units (module, taxpayer_id, server_unit_id, name, db_name, added_at)"
            " VALUES ('employer', '91990101MA5D000160', 'Z0001', '演示市云帆科技有限公司', 'x.sqlite', '2026-11-23')"
        )
    store = AppStore.open(home)
    try:
        (unit,) = store.units("employer")
        assert unit.name == "演示市云帆科技有限公司" and store.unit_profile(unit.id) is None
        profile = UnitProfile(
            "周敏", "陈志远", "软件", "有限责任公司", "地址", "990101", "", "", None, "2026-12-03 10:00:00"
        )
        store.add_unit(
            module="employer",
            taxpayer_id=unit.taxpayer_id,
            server_unit_id="Z0001",
            name=unit.name,
            tax_authority="",
            tax_branch="",
            registrations=[RegistrationRow("9901010000135", "中心", "税务局")],
            added_at="2026-12-03 10:00:00",
            profile=profile,
        )
        assert store.unit_profile(unit.id) == profile
    finally:
        store.close()
