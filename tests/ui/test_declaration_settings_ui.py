"""系统管理-申报管理 (manual 4.5) for a unit logged in through the shell, against a real sandbox: the 规则文件 listed
and 【更新】d, the 申报密码 changed (then the new one logs in), a wrong 原申报密码 and mismatched new passwords
refused, and offline both buttons disabled with the reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from sbf_client.services.rule_files import RULE_FILE_TITLES, cached_rule_files
from sbf_client.ui.shell.declaration_settings import DeclarationSettingsPage
from sbf_sandbox.catalog import CODE_TABLES
from tests.helpers import CLI_PASSWORD
from tests.ui.shell_fixtures import close_shell, log_in, main_window_at_1366, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal, modal_texts

WAIT = 60_000
TAXPAYER, UNIT_NO = "91990101MA5D000160", "9901010000135"  # 演示市云帆科技有限公司: 60 employees
NEW = "Renew2026x"


@pytest.fixture
def shell(qtbot, sandbox, tmp_path):
    controller = shell_with_unit(qtbot, sandbox, tmp_path / "home", TAXPAYER, UNIT_NO)
    yield controller
    close_shell(controller)


def open_page(qtbot, shell, password: str = CLI_PASSWORD) -> DeclarationSettingsPage:
    """Log in through the shell; the page for that login, shown at the size of 参数设置中心's tab."""
    shell.show_units()
    log_in(qtbot, shell, password)
    window = main_window_at_1366(qtbot, shell, WAIT)
    page = DeclarationSettingsPage(window.page_context, window.page_context.runner)
    qtbot.addWidget(page)
    page.resize(880, 580)
    page.show()
    return page


def answered(qtbot, button, clicked) -> str:  # type: ignore[no-untyped-def]
    """The text of the 提示 that clicking ``clicked`` opens (closed with its 【确定】)."""
    seen: dict[str, str] = {}
    click_in_next_modal(button, lambda box: seen.update(text=modal_texts(box)))
    qtbot.mouseClick(clicked, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "text" in seen, timeout=WAIT)
    return seen["text"]


def test_rule_files_are_listed_and_updated(qtbot, shell, screenshot):
    page = open_page(qtbot, shell)
    rules = page.rules
    count = len(CODE_TABLES)
    assert rules.count.text() == f"规则文件个数：{count}"  # downloaded by the login's 数据更新
    assert rules.updated.text().startswith("最后更新时间：20") and "尚未记录" not in rules.updated.text()
    assert rules.table.rowCount() == count
    titles = [rules.table.item(row, 1).text() for row in range(count)]
    assert titles[:2] == ["征收项目（险种）代码表", "征收品目代码表"]
    assert set(titles) == {RULE_FILE_TITLES[key][0] for key in CODE_TABLES}
    assert rules.update_button.isEnabled() and not rules.offline.isVisible()
    screenshot(page, "declaration-settings")

    store = page.rules.session.context.store
    store.set_setting("rule_files", {"version": "old", "tables": {"gender": {"1": "男"}}})  # an older download
    rules.show_files(cached_rule_files(store))
    assert rules.count.text() == "规则文件个数：1" and rules.table.rowCount() == 1
    text = answered(qtbot, "确定", rules.update_button)
    assert f"规则文件更新成功，共{count}个" in text
    assert rules.result.text() == f"规则文件更新成功，共{count}个"
    assert rules.count.text() == f"规则文件个数：{count}" and rules.table.rowCount() == count
    assert len(store.setting("rule_files")["tables"]) == count


def test_the_declaration_password_is_changed_and_then_opens_the_unit(qtbot, shell, screenshot):
    page = open_page(qtbot, shell)
    page.tabs.setCurrentWidget(page.password)
    form = page.password
    assert "（二）申报密码修改后，请牢记，未登录状态下，客户端暂不支持重置密码。" in " ".join(
        label.text() for label in form.findChildren(QLabel)
    )
    screenshot(page, "declaration-settings-password")

    def fill(old: str, new: str, again: str) -> None:
        for box, value in ((form.old, old), (form.new, new), (form.again, again)):
            box.clear()
            qtbot.keyClicks(box, value)

    fill(CLI_PASSWORD, NEW, NEW + "y")
    assert "两次输入的新申报密码不一致" in answered(qtbot, "确定", form.save_button)
    fill("Wrong2026x", NEW, NEW)
    assert "申报密码验证失败：[20101]您输入的申报密码有误，请重新输入。" in answered(qtbot, "确定", form.save_button)
    assert form.save_button.isEnabled()
    fill(CLI_PASSWORD, NEW, NEW)
    assert "修改成功" in answered(qtbot, "确定", form.save_button)
    assert form.old.text() == form.new.text() == form.again.text() == ""

    shell.switch_unit()
    log_in(qtbot, shell, NEW)  # the server takes the new password now
    window = main_window_at_1366(qtbot, shell, WAIT)
    assert not window.page_context.session.offline


def test_offline_both_buttons_are_disabled_with_the_reason(qtbot, shell, sandbox, screenshot):
    log_in(qtbot, shell)
    main_window_at_1366(qtbot, shell, WAIT)  # online once: the rule files and the offline verifier are kept
    shell.switch_unit()
    sandbox.kill()
    click_in_next_modal("确定")  # 已进入离线模式
    page = open_page(qtbot, shell)
    assert page.rules.session.offline
    reason = page.rules.session.offline_reason
    rules, form = page.rules, page.password
    assert not rules.update_button.isEnabled() and not form.save_button.isEnabled()
    assert reason in rules.update_button.toolTip() and "更新规则文件需要连接服务器" in rules.update_button.toolTip()
    assert reason in form.save_button.toolTip() and "修改申报密码需要连接服务器" in form.save_button.toolTip()
    assert rules.offline.isVisible() and rules.offline.text() == rules.update_button.toolTip()
    assert rules.count.text() == f"规则文件个数：{len(CODE_TABLES)}"  # the cached ones, still shown
    screenshot(page, "declaration-settings-offline")
    page.tabs.setCurrentWidget(form)
    assert form.offline.isVisible()
    screenshot(page, "declaration-settings-password-offline")
