"""申报管理 (manual 4.5) through the services, against a real sandbox: 规则文件更新 (count, names, 最后更新时间, a
failed update keeping the cached files) and 申报密码设置 (rules before sending, the server's refusal, the change,
and the offline verifier following it)."""

from __future__ import annotations

from datetime import datetime

import pytest

from sbf_client.core.clock import CHINA_TZ, FixedClock
from sbf_client.core.errors import InputError, SbfError
from sbf_client.core.passwords import initial_password
from sbf_client.remote.contract import errors as codes
from sbf_client.remote.errors import ApiError
from sbf_client.services.context import ClientContext
from sbf_client.services.declaration_password import change_declaration_password
from sbf_client.services.login import LoginService
from sbf_client.services.regions import find_region
from sbf_client.services.rule_files import (
    RuleFilesUpdateFailed,
    cached_rule_files,
    update_rule_files,
    updated_message,
)
from sbf_client.services.session import open_unit_session
from sbf_client.store.home import DataHome
from sbf_client.store.security import SecurityStore
from sbf_sandbox.catalog import CODE_TABLES, CODE_TABLES_VERSION
from tests.helpers import CLI_PASSWORD, ZIZHU, cli, logged_in

TAXPAYER, UNIT_NO = "91990101MA5D000160", "9901010000135"  # 演示市云帆科技有限公司
NEW = "Renew2026x"
INITIAL = initial_password(UNIT_NO)


@pytest.fixture
def context(sandbox, tmp_path):
    when = datetime(2026, 12, 8, 9, 30, 15, tzinfo=CHINA_TZ)
    context = ClientContext(DataHome(tmp_path / "home"), clock=FixedClock(when))
    root = sandbox.endpoints(ZIZHU).mgmt_url
    context.choose_region(find_region(ZIZHU), root, root)
    yield context
    context.close()


def test_update_keeps_every_served_file_with_its_name_and_time(context):
    before = cached_rule_files(context.store)
    assert (before.count, before.updated_at, before.files) == (0, None, ())

    files = update_rule_files(context)
    assert files.count == len(CODE_TABLES) and files.version == CODE_TABLES_VERSION
    assert files.updated_at == "2026-12-08 09:30:15"
    assert updated_message(files) == f"规则文件更新成功，共{len(CODE_TABLES)}个"
    by_key = {f.key: f for f in files.files}
    assert set(by_key) == set(CODE_TABLES)
    assert all(f.title != f.key for f in files.files), "every file the sandbox serves has a name"
    assert by_key["item"].title == "征收项目（险种）代码表"
    assert by_key["item"].entries == len(CODE_TABLES["item"])
    assert by_key["item"].content.startswith(f"共{len(CODE_TABLES['item'])}项：企业职工基本养老保险费、")
    assert by_key["category"].title == "征收品目代码表"
    assert by_key["wage_period_limits"].content == "当前月份前60个月至后12个月"
    assert [f.key for f in files.files][:2] == ["item", "category"]  # listed in the known order
    assert cached_rule_files(context.store) == files  # kept: what the page shows offline
    assert context.code_tables().name("item", "10211") == "失业保险费"  # and what the pages use


def test_a_failed_update_says_why_and_keeps_the_files(context, sandbox):
    kept = update_rule_files(context)
    context.clock.advance(hours=1)
    sandbox.kill()
    with pytest.raises(RuleFilesUpdateFailed) as failed:
        update_rule_files(context)
    reason = failed.value.message.removeprefix("规则文件更新失败：")
    assert reason and reason != failed.value.message
    assert cached_rule_files(context.store) == kept


def test_unknown_files_are_still_counted_and_listed(context):
    context.store.set_setting("rule_files", {"version": "9", "tables": {"new_rule": {"a": "甲"}, "gender": {}}})
    files = cached_rule_files(context.store)
    assert files.count == 2 and files.updated_at is None  # a cache from before the time was kept
    assert [(f.key, f.title, f.content) for f in files.files] == [
        ("gender", "性别代码表", "共0项"),
        ("new_rule", "new_rule", "共1项：甲"),
    ]


def test_the_command_line_lists_and_updates_them(context, tmp_path):
    home = tmp_path / "home"
    assert cli(home, "rules", "list", password=None)["count"] == 0
    updated = cli(home, "rules", "update", password=None)
    assert updated["message"] == f"规则文件更新成功，共{len(CODE_TABLES)}个"
    listed = cli(home, "rules", "list", password=None)
    assert listed["count"] == len(CODE_TABLES) and listed["updated_at"]
    assert {f["key"] for f in listed["files"]} == set(CODE_TABLES)


@pytest.fixture
def session(sandbox, tmp_path):
    session = logged_in(tmp_path / "home", sandbox, TAXPAYER, UNIT_NO)
    yield session
    session.close()
    session.context.close()


def test_password_rules_refuse_before_anything_is_sent(session):
    for old, new, again, said in (
        ("", NEW, NEW, "请输入原申报密码。"),
        (CLI_PASSWORD, NEW, NEW + "y", "两次输入的新申报密码不一致，请重新输入"),
        (CLI_PASSWORD, CLI_PASSWORD, CLI_PASSWORD, "新申报密码不能与原申报密码相同，请重新设置"),
        (CLI_PASSWORD, INITIAL, INITIAL, "新申报密码不能与初始申报密码相同，请重新设置"),
    ):
        with pytest.raises(InputError) as refused:
            change_declaration_password(session, old, new, again)
        assert refused.value.message == said
    assert LoginService(session.context).login(session.unit, CLI_PASSWORD, offline=False).session is not None


def test_a_wrong_old_password_is_refused_by_the_server(session):
    with pytest.raises(ApiError) as refused:
        change_declaration_password(session, "Wrong2026x", NEW, NEW)
    assert refused.value.code == codes.WRONG_PASSWORD
    assert refused.value.message == "申报密码验证失败：[20101]您输入的申报密码有误，请重新输入。"


def test_a_change_opens_with_the_new_password_online_and_offline(session, sandbox):
    change_declaration_password(session, CLI_PASSWORD, NEW, NEW)
    context, unit = session.context, session.unit
    security = SecurityStore(context.store.engine)
    assert security.verify_offline(unit.id, NEW) and not security.verify_offline(unit.id, CLI_PASSWORD)
    assert LoginService(context).login(unit, NEW, offline=False).session is not None
    with pytest.raises(ApiError):
        LoginService(context).login(unit, CLI_PASSWORD, offline=False)

    sandbox.kill()
    offline = open_unit_session(context, LoginService(context).login(unit, NEW))
    assert offline.offline
    with pytest.raises(SbfError) as refused:
        change_declaration_password(offline, NEW, "Again2026x", "Again2026x")
    assert "修改申报密码需要连接服务器，离线时无法办理。" in refused.value.message
